"""Rounds (轮次, issue 16 item 5): the next round of the programme in the same archive.

A round is a framework plus its assessment period (`assessment_round`); the current round is
the `current_framework` setting (storage.catalogue.queries.current_framework_id), so
switching rounds switches that setting and nothing else: an old round's framework, evidence
links, self-scores and sealed submissions stay exactly as they were.

Starting a round from a revised indicator system:

1. the new framework is written as a new framework (`add_framework`), never over the old one;
2. its indicators are matched to the current framework's, level by level
   (`match_indicators`): the same stated code with a similar title, the same title under
   another code, then similar titles (a Dice coefficient of character bigrams, leaving out
   bigrams most titles share, such as 质量 or 示例). One old indicator similar to several new
   ones is *split* (the clerk chooses where its evidence goes: `--map OLD=NEW[,NEW]`);
   several old ones similar to one new one are *merged*; the clerk's mapping overrides all;
3. evidence links are copied to the successors (`evidence_indicator`, in the old review
   order); evidence dated outside the new assessment period is still copied but listed in
   the result and kept in the round's payload (the preflight then warns about it), never
   carried silently; duties are copied to their indicator's successor, with a date deadline
   that lies before the new period cleared (its text kept in the notes); the province's
   limits and the responsibility table's layout (settings per framework) are copied;
4. the new round becomes current.

A split indicator without a choice refuses the start (BadInput naming it); a dry run
returns the same plan and the caller rolls back.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.bundle.preflight import LIMITS_KEY
from storage.catalogue.frameworks import FrameworkSpec, add_framework
from storage.catalogue.queries import current_framework_id
from storage.core.audit import log_action
from storage.kernel.errors import BadInput
from storage.kernel.text import fold
from storage.models import (
    AssessmentRound,
    Duty,
    DutyDepartment,
    Evidence,
    EvidenceDuty,
    EvidenceIndicator,
    Framework,
    Indicator,
    Setting,
    Submission,
    utcnow,
)
from storage.readmodels.review import IndicatorMatch, IndicatorRef, RoundSummary
from storage.tables.duties_import import LAYOUT_KEY

# A similar title: Dice coefficient of the titles' character bigrams at least this.
SIMILAR = 0.45
# The same stated code keeps its indicator when the titles are at least this similar.
SAME_CODE = 0.3
# A bigram in more than this share of all titles says nothing (质量, 示例, 工作 …).
COMMON_SHARE = 0.25

_NOT_WORD = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


# --- similarity ---------------------------------------------------------------------------


def _bigrams(title: str) -> set[str]:
    t = _NOT_WORD.sub("", fold(title))
    if len(t) < 2:
        return {t} if t else set()
    return {t[i:i + 2] for i in range(len(t) - 1)}


class TitleSimilarity:
    """Dice similarity of titles' character bigrams, without the bigrams that appear in
    more than COMMON_SHARE of the titles given (they tell no two indicators apart)."""

    def __init__(self, titles: Iterable[str]) -> None:
        grams = [_bigrams(t) for t in titles]
        df: dict[str, int] = {}
        for g in grams:
            for b in g:
                df[b] = df.get(b, 0) + 1
        limit = max(3, int(len(grams) * COMMON_SHARE))
        self.common = {b for b, n in df.items() if n > limit}

    def grams(self, title: str) -> set[str]:
        g = _bigrams(title)
        kept = g - self.common
        return kept or g

    def __call__(self, a: str, b: str) -> float:
        ga, gb = self.grams(a), self.grams(b)
        if not ga or not gb:
            return 0.0
        return 2 * len(ga & gb) / (len(ga) + len(gb))


# --- matching -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """An indicator as matching sees it."""

    id: int
    code: str
    title: str
    level: int

    @property
    def ref(self) -> IndicatorRef:
        return IndicatorRef(self.id, self.code, self.title)

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}".strip()


@dataclass
class Matching:
    """Old → new relations: `succ[old]` the new indicators an old one relates to,
    `pred[new]` the old ones a new one relates to, `chosen` the old ones whose successors the
    clerk named (their evidence goes exactly there), `sim` the similarity of each pair."""

    succ: dict[int, list[int]] = field(default_factory=dict)
    pred: dict[int, list[int]] = field(default_factory=dict)
    chosen: set[int] = field(default_factory=set)
    sim: dict[tuple[int, int], float] = field(default_factory=dict)
    why: dict[tuple[int, int], str] = field(default_factory=dict)

    def link(self, o: int, n: int, sim: float, why: str) -> None:
        if n not in self.succ.setdefault(o, []):
            self.succ[o].append(n)
        if o not in self.pred.setdefault(n, []):
            self.pred[n].append(o)
        self.sim[(o, n)] = sim
        self.why[(o, n)] = why

    def carry(self, o: int) -> list[int]:
        """Where old indicator `o`'s evidence goes: its one successor, the clerk's choice,
        or nowhere while a split is undecided."""
        targets = self.succ.get(o, [])
        if len(targets) > 1 and o not in self.chosen:
            return []
        return targets


def parse_mapping(entries: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """`OLD=NEW`, `OLD=NEW1,NEW2` (evidence to each) or `OLD=` (nothing carries) → a dict
    of stated codes; a clear refusal for anything else."""
    out: dict[str, tuple[str, ...]] = {}
    for raw in entries:
        for entry in (e for e in re.split(r"[;；\s]+", raw) if e):
            old, sep, new = entry.partition("=")
            if not sep or not old.strip():
                raise BadInput(f"对应关系应写成 旧编号=新编号（如 2.1.2=2.1.3），收到：{entry}",
                               f"a mapping is OLD=NEW (e.g. 2.1.2=2.1.3), got: {entry}")
            news = tuple(c.strip() for c in re.split(r"[,，、]", new) if c.strip())
            out[old.strip()] = out.get(old.strip(), ()) + news
    return out


def match_indicators(old: Sequence[Item], new: Sequence[Item],
                     mapping: Mapping[str, tuple[str, ...]] | None = None) -> Matching:
    """Relate the old framework's indicators to the new one's (see the module docstring)."""
    m = Matching()
    similar = TitleSimilarity([i.title for i in old] + [i.title for i in new])
    old_by_code = {i.code: i for i in old if i.code}
    new_by_code = {i.code: i for i in new if i.code}
    for old_code, new_codes in (mapping or {}).items():
        o = old_by_code.get(old_code)
        if o is None:
            raise BadInput(f"上一轮指标体系中没有编号 {old_code}（--map {old_code}=…）",
                           f"no indicator {old_code} in the current framework (--map)")
        m.chosen.add(o.id)
        m.succ.setdefault(o.id, [])
        for code in new_codes:
            n = new_by_code.get(code)
            if n is None:
                raise BadInput(f"新指标体系中没有编号 {code}（--map {old_code}={code}）",
                               f"no indicator {code} in the new framework (--map)")
            m.link(o.id, n.id, similar(o.title, n.title), "按指定对应")
    free_old = [o for o in old if o.id not in m.chosen]

    # 1. the same stated code at the same level, titles not unrelated
    for o in free_old:
        n = new_by_code.get(o.code) if o.code else None
        if n is None or n.level != o.level:
            continue
        s = 1.0 if fold(o.title) == fold(n.title) else similar(o.title, n.title)
        if s >= SAME_CODE:
            m.link(o.id, n.id, s, "编号相同")
    # 2. the same title under another code
    titles: dict[tuple[int, str], list[Item]] = {}
    for n in new:
        if n.id not in m.pred:
            titles.setdefault((n.level, fold(n.title)), []).append(n)
    for o in free_old:
        if o.id in m.succ:
            continue
        for n in titles.get((o.level, fold(o.title)), []):
            if n.id not in m.pred:
                m.link(o.id, n.id, 1.0, "名称相同")
                break
    # 3. similar titles, best first: a pair, a split (old already has a successor) or a
    #    merge (new already has a predecessor)
    pairs = []
    for o in free_old:
        for n in new:
            if n.level != o.level or (o.id, n.id) in m.sim:
                continue
            s = similar(o.title, n.title)
            if s >= SIMILAR:
                pairs.append((s, o.id, n.id))
    for s, oid, nid in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        o_has, n_has = bool(m.succ.get(oid)), bool(m.pred.get(nid))
        if not o_has and not n_has:
            m.link(oid, nid, s, "名称相近")
        elif o_has and not n_has:
            m.link(oid, nid, s, "拆分")
        elif n_has and not o_has:
            m.link(oid, nid, s, "合并")
    return m


def _same(o: Item, n: Item) -> bool:
    return o.code == n.code and fold(o.title) == fold(n.title)


def describe(old: Sequence[Item], new: Sequence[Item], m: Matching,
             evidence: Mapping[int, Sequence[int]], outside: set[int]) -> list[IndicatorMatch]:
    """IndicatorMatch rows, new framework order then dropped old indicators: what kind of
    succession, how many evidence items carry, how many of those are dated outside the new
    period, whether the clerk must choose. `evidence`: live evidence ids per old indicator."""
    by_id = {i.id: i for i in old}
    out: list[IndicatorMatch] = []
    for n in new:
        olds = [by_id[o] for o in m.pred.get(n.id, [])]
        carried = sorted({e for o in olds if n.id in m.carry(o.id) for e in evidence.get(o.id, ())})
        flagged = sum(1 for e in carried if e in outside)
        reasons: list[str] = []
        split_from = [o for o in olds if len(m.succ.get(o.id, [])) > 1]
        needs = any(o.id not in m.chosen for o in split_from)
        sim = max((m.sim[(o.id, n.id)] for o in olds), default=0.0)
        if not olds:
            kind = "new"
            reasons.append("新增指标，上一轮没有对应的指标")
        elif split_from:
            kind = "split"
            for o in split_from:
                others = "、".join(next(x.code or x.title for x in new if x.id == t) for t in m.succ[o.id])
                if o.id in m.chosen:
                    where = "、".join(next(x.code or x.title for x in new if x.id == t) for t in m.carry(o.id))
                    reasons.append(f"由 {o.label} 拆分（拆为 {others}）；已指定佐证材料归入 {where or '无'}")
                else:
                    reasons.append(f"由 {o.label} 拆分（拆为 {others}）：请用 --map {o.code}=新编号 "
                                   f"指定其佐证材料归入哪一项")
        elif len(olds) > 1:
            kind = "merged"
            reasons.append("由 " + "、".join(o.label for o in olds) + " 合并")
        else:
            o = olds[0]
            kind = "same" if _same(o, n) else "renamed"
            why = m.why[(o.id, n.id)]
            if kind == "renamed":
                if o.code == n.code:
                    reasons.append(f"{why}，名称由“{o.title}”改为“{n.title}”")
                else:
                    reasons.append(f"{why}（相似度 {sim:.2f}），原为 {o.label}")
            elif why == "按指定对应":
                reasons.append(why)
        if flagged:
            reasons.append(f"{flagged} 份佐证材料的日期不在新评价期内，沿用时已标出，请核对")
        out.append(IndicatorMatch(kind=kind, new=n.ref, old=tuple(o.ref for o in olds), similarity=round(sim, 3),
                                  evidence_to_carry=len(carried), evidence_outside_period=flagged,
                                  needs_choice=needs, reasons=tuple(reasons)))
    for o in old:
        if not m.succ.get(o.id):
            n_ev = len(evidence.get(o.id, ()))
            gone = ["新指标体系中没有对应的指标"]
            if n_ev:
                gone.append(f"{n_ev} 份佐证材料不随之进入新一轮（仍在上一轮中可查）")
            out.append(IndicatorMatch(kind="dropped", new=None, old=(o.ref,), reasons=tuple(gone)))
    return out


# --- rounds -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutsidePeriod:
    """An evidence item carried into the new round although dated outside its period."""

    evidence_id: int
    title: str
    date: str                       # the date that lies outside, as written (YYYY-MM-DD)
    indicators: tuple[str, ...]     # new indicators it was carried to (codes)


@dataclass(frozen=True)
class RoundStart:
    """What starting a round did (or, in a dry run, would do)."""

    round: RoundSummary
    previous: RoundSummary | None
    matches: tuple[IndicatorMatch, ...]
    outside_period: tuple[OutsidePeriod, ...]
    links_carried: int
    duties_carried: int
    dry_run: bool

    @property
    def needs_choice(self) -> tuple[IndicatorRef, ...]:
        """The old indicators split without a choice (each once)."""
        seen: dict[int, IndicatorRef] = {}
        for mt in self.matches:
            if mt.needs_choice and mt.kind == "split":
                for o in mt.old:
                    seen.setdefault(o.id, o)
        return tuple(seen.values())


def _items(session: Session, framework_id: int) -> list[Item]:
    rows = session.execute(
        select(Indicator.id, Indicator.code, Indicator.title, Indicator.level, Indicator.parent_id,
               Indicator.position).where(Indicator.framework_id == framework_id)).all()
    children: dict[int | None, list[Any]] = {}
    for r in sorted(rows, key=lambda r: (r.position, r.id)):
        children.setdefault(r.parent_id, []).append(r)
    out: list[Item] = []

    def walk(parent: int | None) -> None:
        for r in children.get(parent, []):
            out.append(Item(r.id, r.code or "", r.title or "", r.level))
            walk(r.id)

    walk(None)
    return out


_LIVE = (Evidence.trashed_at.is_(None), Evidence.status != "superseded")


def _evidence(session: Session, framework_id: int) -> dict[int, list[int]]:
    """Live evidence ids per indicator, in review order."""
    out: dict[int, list[int]] = {}
    for ind, eid in session.execute(
            select(EvidenceIndicator.indicator_id, EvidenceIndicator.evidence_id)
            .join(Indicator, Indicator.id == EvidenceIndicator.indicator_id)
            .join(Evidence, Evidence.id == EvidenceIndicator.evidence_id)
            .where(Indicator.framework_id == framework_id, *_LIVE)
            .order_by(EvidenceIndicator.indicator_id, EvidenceIndicator.position, EvidenceIndicator.evidence_id)):
        out.setdefault(ind, []).append(eid)
    return out


def outside_date(e: Evidence, start: dt.date | None, end: dt.date | None) -> dt.date | None:
    """The date that puts `e` outside [start, end], else None: its own period when it states
    one (no overlap), else its issue date. Undated evidence is never flagged."""
    if start is None and end is None:
        return None
    if e.period_start is not None or e.period_end is not None:
        if end is not None and e.period_start is not None and e.period_start > end:
            return e.period_start
        if start is not None and e.period_end is not None and e.period_end < start:
            return e.period_end
        return None
    d = e.issue_date
    if d is not None and ((start is not None and d < start) or (end is not None and d > end)):
        return d
    return None


def _round_summary(session: Session, r: AssessmentRound, current: int | None) -> RoundSummary:
    fw = session.get(Framework, r.framework_id)
    inds = int(session.scalar(select(func.count()).select_from(Indicator)
                              .where(Indicator.framework_id == r.framework_id)) or 0)
    links = int(session.scalar(
        select(func.count()).select_from(EvidenceIndicator)
        .join(Indicator, Indicator.id == EvidenceIndicator.indicator_id)
        .join(Evidence, Evidence.id == EvidenceIndicator.evidence_id)
        .where(Indicator.framework_id == r.framework_id, *_LIVE)) or 0)
    subs = int(session.scalar(select(func.count()).select_from(Submission)
                              .where(Submission.framework_id == r.framework_id)) or 0)
    return RoundSummary(id=r.id, name=r.name, framework_id=r.framework_id, framework_name=fw.name if fw else "",
                        period_start=r.period_start, period_end=r.period_end, started_at=r.started_at,
                        current=r.framework_id == current, indicators=inds, evidence_links=links,
                        submissions=subs, notes=r.notes or "")


def ensure_round(session: Session, framework_id: int) -> AssessmentRound:
    """The round of `framework_id`, recorded now if the archive had none for it (an archive
    from before rounds: its framework is its first round)."""
    r = session.scalar(select(AssessmentRound).where(AssessmentRound.framework_id == framework_id))
    if r is not None:
        return r
    fw = session.get(Framework, framework_id)
    if fw is None:
        raise BadInput(f"没有编号为 {framework_id} 的指标体系", f"no framework {framework_id}")
    n = int(session.scalar(select(func.count()).select_from(AssessmentRound)) or 0) + 1
    r = AssessmentRound(name=f"第{n}轮：{fw.name}", framework_id=fw.id, period_start=fw.period_start,
                        period_end=fw.period_end, started_at=fw.created_at or utcnow(), notes="", payload="")
    session.add(r)
    session.flush()
    return r


def list_rounds(session: Session) -> list[RoundSummary]:
    """Every recorded round, oldest first, the current one marked."""
    current = current_framework_id(session)
    return [_round_summary(session, r, current)
            for r in session.scalars(select(AssessmentRound).order_by(AssessmentRound.id))]


def set_current_framework(session: Session, framework_id: int) -> None:
    """Make `framework_id` the one the archive works on (the `current_framework` setting)."""
    row = session.get(Setting, "current_framework")
    if row is None:
        session.add(Setting(key="current_framework", value=str(framework_id)))
    else:
        row.value = str(framework_id)
    session.flush()


def use_round(session: Session, round_id: int | str) -> RoundSummary:
    """Switch the archive to round `round_id` (its framework becomes current)."""
    try:
        rid = int(round_id)
    except (TypeError, ValueError):
        raise BadInput(f"轮次编号应为数字：{round_id}", f"a round number: {round_id}") from None
    r = session.get(AssessmentRound, rid)
    if r is None:
        raise BadInput(f"没有编号为 {rid} 的轮次（用 round list 查看）", f"no round {rid} (see round list)")
    set_current_framework(session, r.framework_id)
    log_action(session, "use", "round", str(r.id), {"framework_id": r.framework_id, "name": r.name})
    return _round_summary(session, r, r.framework_id)


def _copy_duties(session: Session, old_fid: int, new_fid: int, m: Matching,
                 period_start: dt.date | None) -> int:
    duties = session.scalars(select(Duty).where(Duty.framework_id == old_fid)
                             .order_by(Duty.position, Duty.id)).all()
    if not duties:
        return 0
    depts: dict[int, list[DutyDepartment]] = {}
    for dd in session.scalars(select(DutyDepartment).where(DutyDepartment.duty_id.in_([d.id for d in duties]))):
        depts.setdefault(dd.duty_id, []).append(dd)
    ev: dict[int, list[int]] = {}
    for duty_id, eid in session.execute(select(EvidenceDuty.duty_id, EvidenceDuty.evidence_id)
                                        .join(Evidence, Evidence.id == EvidenceDuty.evidence_id)
                                        .where(EvidenceDuty.duty_id.in_([d.id for d in duties]), *_LIVE)):
        ev.setdefault(duty_id, []).append(eid)
    copied = 0
    for d in duties:
        target: int | None = None
        if d.indicator_id is not None:
            targets = m.carry(d.indicator_id)
            if not targets:
                continue          # its indicator is gone or undecided: the old round keeps it
            target = targets[0]
        deadline, kind, text, notes = d.deadline, d.deadline_kind, d.deadline_text, d.notes
        if kind == "date" and deadline is not None and period_start is not None and deadline < period_start:
            notes = "；".join(x for x in (notes, f"上一轮完成时限：{text or deadline.isoformat()}") if x)
            deadline, kind, text = None, "none", ""
        new = Duty(framework_id=new_fid, indicator_id=target, position=d.position, code=d.code, task=d.task,
                   expected_evidence=d.expected_evidence, deadline=deadline, deadline_kind=kind,
                   deadline_text=text, source=d.source, departments_text=d.departments_text, notes=notes)
        session.add(new)
        session.flush()
        for dd in depts.get(d.id, []):
            session.add(DutyDepartment(duty_id=new.id, department_id=dd.department_id, role=dd.role,
                                       position=dd.position))
        for eid in ev.get(d.id, []):
            session.add(EvidenceDuty(evidence_id=eid, duty_id=new.id))
        copied += 1
    session.flush()
    return copied


def _copy_settings(session: Session, old_fid: int, new_fid: int) -> None:
    """The province's limits (size, formats, path budget) and the responsibility table's
    column layout are the framework's settings: the next round starts from the last ones."""
    for key in (LIMITS_KEY, LAYOUT_KEY):
        value = session.scalar(select(Setting.value).where(Setting.key == key.format(fid=old_fid)))
        if value is not None and session.get(Setting, key.format(fid=new_fid)) is None:
            session.add(Setting(key=key.format(fid=new_fid), value=value))
    session.flush()


def start_round(session: Session, spec: FrameworkSpec, *, name: str = "",
                period_start: dt.date | None = None, period_end: dt.date | None = None,
                mapping: Mapping[str, tuple[str, ...]] | None = None, dry_run: bool = False,
                notes: str = "") -> RoundStart:
    """Start the next round from `spec` in the caller's transaction (see the module
    docstring). Refuses, naming them, when a split indicator has no choice and not `dry_run`;
    the caller rolls a dry run back."""
    if period_start and period_end and period_start > period_end:
        raise BadInput(f"评价期开始 {period_start} 晚于结束 {period_end}",
                       f"the period starts ({period_start}) after it ends ({period_end})")
    old_fid = current_framework_id(session)
    if old_fid is None:
        raise BadInput("档案库中还没有指标体系：请先用 framework import 导入，再开始新一轮",
                       "no framework in the archive yet: import one with `framework import` first")
    previous = ensure_round(session, old_fid)
    spec.period_start, spec.period_end = period_start, period_end
    fw = add_framework(session, spec)
    old, new = _items(session, old_fid), _items(session, fw.id)
    m = match_indicators(old, new, mapping)
    evidence = _evidence(session, old_fid)
    carried_ids = sorted({e for o, ids in evidence.items() if m.carry(o) for e in ids})
    rows = {e.id: e for e in session.scalars(select(Evidence).where(Evidence.id.in_(carried_ids)))} \
        if carried_ids else {}
    outside_dates = {eid: d for eid, e in rows.items()
                     if (d := outside_date(e, period_start, period_end)) is not None}
    matches = describe(old, new, m, evidence, set(outside_dates))
    undecided = [o for o in old if len(m.succ.get(o.id, [])) > 1 and o.id not in m.chosen]
    if undecided and not dry_run:
        by_id = {n.id: n for n in new}
        o = undecided[0]
        parts = "、".join(by_id[t].code or by_id[t].title for t in m.succ[o.id])
        raise BadInput(
            f"指标 {o.label} 在新指标体系中拆分为 {parts}，请先指定其佐证材料归入哪一项，"
            f"例如 --map {o.code}={by_id[m.succ[o.id][0]].code}"
            + (f"（另有 {len(undecided) - 1} 项拆分待指定，用 --dry-run 查看）" if len(undecided) > 1 else ""),
            f"indicator {o.code} is split into {parts.replace('、', ', ')} in the new framework: "
            f"choose where its evidence goes, "
            f"e.g. --map {o.code}={by_id[m.succ[o.id][0]].code}")
    # evidence links, in the old review order; merged indicators one after another
    new_codes = {n.id: n.code or n.title for n in new}
    carried_to: dict[int, list[str]] = {}
    links = 0
    for n in new:
        pos = 0
        seen: set[int] = set()
        for oid in m.pred.get(n.id, []):
            if n.id not in m.carry(oid):
                continue
            for eid in evidence.get(oid, []):
                if eid in seen:
                    continue
                seen.add(eid)
                session.add(EvidenceIndicator(evidence_id=eid, indicator_id=n.id, position=pos))
                pos += 1
                links += 1
                carried_to.setdefault(eid, []).append(new_codes[n.id])
    session.flush()
    duties = _copy_duties(session, old_fid, fw.id, m, period_start)
    _copy_settings(session, old_fid, fw.id)
    outside = tuple(OutsidePeriod(eid, rows[eid].title, d.isoformat(), tuple(carried_to.get(eid, ())))
                    for eid, d in sorted(outside_dates.items()))
    count = int(session.scalar(select(func.count()).select_from(AssessmentRound)) or 0) + 1
    payload = {
        "source_file": spec.source_file, "links_carried": links, "duties_carried": duties,
        "outside_period": [{"evidence_id": x.evidence_id, "title": x.title, "date": x.date,
                            "indicators": list(x.indicators)} for x in outside],
        "matches": {k: sum(1 for mt in matches if mt.kind == k)
                    for k in ("same", "renamed", "split", "merged", "new", "dropped")},
        "mapping": {k: list(v) for k, v in (mapping or {}).items()},
    }
    r = AssessmentRound(name=name.strip() or f"第{count}轮：{spec.name}", framework_id=fw.id,
                        period_start=period_start, period_end=period_end, previous_round_id=previous.id,
                        notes=notes, payload=json.dumps(payload, ensure_ascii=False, sort_keys=True))
    session.add(r)
    session.flush()
    set_current_framework(session, fw.id)
    log_action(session, "start", "round", str(r.id), {"framework_id": fw.id, "previous_round": previous.id,
                                                       **{k: v for k, v in payload.items() if k != "outside_period"},
                                                       "outside_period": len(outside)})
    return RoundStart(round=_round_summary(session, r, fw.id), previous=_round_summary(session, previous, fw.id),
                      matches=tuple(matches), outside_period=outside, links_carried=links,
                      duties_carried=duties, dry_run=dry_run)


def round_flags(session: Session, round_id: int) -> list[dict[str, Any]]:
    """The evidence flagged as outside the period when round `round_id` started."""
    r = session.get(AssessmentRound, round_id)
    if r is None or not r.payload:
        return []
    return list(json.loads(r.payload).get("outside_period", []))


__all__ = ["Item", "Matching", "OutsidePeriod", "RoundStart", "TitleSimilarity", "describe", "ensure_round",
           "list_rounds", "match_indicators", "outside_date", "parse_mapping", "round_flags",
           "set_current_framework", "start_round", "use_round"]
