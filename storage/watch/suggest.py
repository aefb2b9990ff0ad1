"""Suggestions that explain themselves: for a detected file, which department, indicators
and duties it probably belongs to, each with the reason in Chinese and a confidence.

The main source is the ranking (`storage.watch.rank`): the file's text view (name, folders,
title, 文号, issuing body, the first part of the body) scored against every indicator and
duty of the framework, and against the evidence the clerk has already filed (each
acceptance is an example at once). Today's strong rules stay as signals: the folder's
department; indicator codes written in the file or folder names ("3.6.1", which boost
that indicator); the document number (文号) and the body it names; the masthead of a
红头文件 (`storage.reading.docmeta`). A context built by hand without a framework (no
ranker) falls back to keywords of each duty's expected evidence. All matching is on
folded text (full/half width, case, spaces) by substring or bigram: `\\b` word boundaries
mean nothing in Chinese.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field
from pathlib import PurePath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.catalogue.queries import current_framework_id
from storage.kernel.text import DOC_NUMBER, fold
from storage.models import (
    BlobText,
    Department,
    DepartmentAlias,
    Duty,
    DutyDepartment,
    Evidence,
    EvidenceFile,
    EvidenceIndicator,
    Indicator,
)
from storage.reading.docmeta import issuer_from_doc_number_prefix, read_docmeta
from storage.watch.rank import (
    MAYBE,
    SURE,
    UNSURE,
    Ranked,
    Ranker,
    Target,
    TextView,
    duty_target,
    indicator_target,
    meaningless_name,
)

# Indicator codes: 3.6.1, 1.2, 2.1.3.4 (not part of a longer number, a date or a version).
_CODE = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d{1,2}){1,3})(?![\d.])")
_KEYWORD_SPLIT = re.compile(r"[\s、，,；;。．.：:（）()《》〈〉“”\"'‘’/\\|！!？?【】\[\]<>—\-]+")
_TAIL = re.compile(r"(?:等(?:相关|有关)?(?:材料|资料|文件)?|(?:相关|有关)(?:材料|资料|文件)?)$")
_STOP = ("等", "相关", "有关", "材料", "资料", "佐证", "文件", "及", "和", "与", "或", "的")
AUTO_ACCEPT_MIN = 0.8
MEMORY_LIMIT = 50_000       # accepted items loaded as examples (the newest first)
CODE_BOOST = 3.0            # an indicator code written in the path outweighs the text (times the top score)


@dataclass
class _DutyKeys:
    id: int
    code: str
    task: str
    indicator_id: int | None
    lead_department_id: int | None
    keywords: tuple[str, ...]


@dataclass
class SuggestContext:
    """What suggestions are matched against, loaded once per batch of files."""

    indicators_by_code: dict[str, tuple[int, str]] = field(default_factory=dict)
    duties: list[_DutyKeys] = field(default_factory=list)
    departments: list[tuple[int, str, str]] = field(default_factory=list)  # id, name, folded core
    ranker: Ranker | None = None

    @classmethod
    def load(cls, session: Session, *, memory: bool = True) -> SuggestContext:
        """Everything suggestions need, from the archive: the framework's indicators and
        duties (as ranking targets), the department registry, and (memory=True) every
        evidence item filed on an indicator as an example."""
        ctx = cls()
        fid = current_framework_id(session)
        if fid is not None:
            for iid, code, title in session.execute(
                select(Indicator.id, Indicator.code, Indicator.title).where(Indicator.framework_id == fid)
            ):
                if code:
                    ctx.indicators_by_code[fold(code).rstrip(".")] = (iid, title)
        q = select(Duty.id, Duty.code, Duty.task, Duty.expected_evidence, Duty.indicator_id)
        if fid is not None:
            q = q.where((Duty.framework_id == fid) | Duty.framework_id.is_(None))
        leads = {
            d: dep for d, dep in session.execute(
                select(DutyDepartment.duty_id, DutyDepartment.department_id).where(DutyDepartment.role == "lead")
            )
        }
        for did, code, task, expected, ind in session.execute(q):
            kws = duty_keywords(expected or "")
            if kws:
                ctx.duties.append(_DutyKeys(did, code or "", task or "", ind, leads.get(did), kws))
        names: dict[int, str] = {}
        for did, name in session.execute(select(Department.id, Department.name)):
            names[did] = name
            ctx.departments.append((did, name, _core(name)))
        for did, alias in session.execute(select(DepartmentAlias.department_id, DepartmentAlias.alias)):
            ctx.departments.append((did, names.get(did, alias), _core(alias)))
        if fid is not None:
            ctx.ranker = _cached_ranker(session, fid, names, memory=memory)
        return ctx


def warm_up(session: Session) -> None:
    """Build the archive's cached ranker (the framework's targets and the memory of the
    filed items) on a read session, when an archive opens: the first batch of new files or
    the first acceptance, which load the context inside a write transaction, then apply
    only what changed since instead of holding the writer while 50,000 items are learnt
    (about 30 s)."""
    SuggestContext.load(session)


@dataclass
class _Cached:
    """A ranker kept between batches for one archive and framework (see _cached_ranker)."""

    framework_key: tuple
    ranker: Ranker | None
    links: dict[int, tuple[int, ...]] = field(default_factory=dict)
    stamp: tuple = ()


_CACHE: dict[tuple[str, int], _Cached] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 4


def _cached_ranker(session: Session, fid: int, names: dict[int, str], *, memory: bool) -> Ranker | None:
    """The archive's ranker, built once per process and brought up to date cheaply: a batch
    of files must not relearn 50,000 accepted items. The framework's targets are rebuilt when
    its indicators or duties change; the memory learns the evidence filed since, relabels
    what was refiled and forgets what was trashed or unlinked."""
    fw_key = _framework_key(session, fid)
    bind = session.get_bind()
    key = (str(getattr(bind, "url", id(bind))), fid)
    with _CACHE_LOCK:
        c = _CACHE.get(key)
        if c is None or c.framework_key != fw_key:
            c = _Cached(fw_key, _load_ranker(session, fid, names))
            _CACHE[key] = c
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
        if c.ranker is None:
            return None
        if not memory:
            return c.ranker if not c.links else _load_ranker(session, fid, names)
        stamp = _memory_stamp(session)
        if stamp != c.stamp:
            links = _filed_links(session)
            new = [e for e in links if e not in c.links]
            for e, ids in links.items():
                if e in c.links and c.links[e] != ids:
                    c.ranker.learn(TextView(), ids, evidence_id=e)
            for e in c.links:
                if e not in links:
                    c.ranker.memory.forget(e)
            load_memory(session, c.ranker, links={e: list(links[e]) for e in new})
            c.links, c.stamp = links, stamp
        return c.ranker


def _framework_key(session: Session, fid: int) -> tuple:
    """Changes whenever an indicator or duty of the framework is added, removed or reworded."""
    ind = session.execute(
        select(func.count(), func.max(Indicator.id),
               func.sum(func.length(Indicator.title) + func.length(Indicator.scoring_rule)))
        .where(Indicator.framework_id == fid)).one()
    du = session.execute(
        select(func.count(), func.max(Duty.id), func.sum(func.length(Duty.task) + func.length(Duty.expected_evidence)))
        .where((Duty.framework_id == fid) | Duty.framework_id.is_(None))).one()
    leads = session.execute(select(func.count(), func.sum(DutyDepartment.department_id))
                            .where(DutyDepartment.role == "lead")).one()
    return (tuple(ind), tuple(du), tuple(leads))


def _memory_stamp(session: Session) -> tuple:
    """Changes whenever evidence is filed, refiled, edited or trashed."""
    links = session.execute(select(func.count(), func.sum(EvidenceIndicator.indicator_id))).one()
    ev = session.execute(select(func.max(Evidence.updated_at), func.count(Evidence.trashed_at))).one()
    return (tuple(links), tuple(str(x) for x in ev))


def _filed_links(session: Session, limit: int = MEMORY_LIMIT) -> dict[int, tuple[int, ...]]:
    """Evidence (not trashed) -> the indicators it is filed on, the newest `limit` items."""
    links: dict[int, list[int]] = {}
    for eid, iid in session.execute(
        select(EvidenceIndicator.evidence_id, EvidenceIndicator.indicator_id)
        .join(Evidence, Evidence.id == EvidenceIndicator.evidence_id)
        .where(Evidence.trashed_at.is_(None))
        .order_by(EvidenceIndicator.evidence_id.desc(), EvidenceIndicator.indicator_id)
    ):
        if eid not in links and len(links) >= limit:
            break
        links.setdefault(eid, []).append(iid)
    return {e: tuple(v) for e, v in links.items()}


def _load_ranker(session: Session, fid: int, dept_names: dict[int, str]) -> Ranker | None:
    """Ranking targets of the framework: leaf indicators (their parents' titles as context)
    and every duty, with lead departments by name."""
    rows = session.execute(
        select(Indicator.id, Indicator.parent_id, Indicator.code, Indicator.title, Indicator.scoring_rule)
        .where(Indicator.framework_id == fid)
    ).all()
    if not rows:
        return None
    by_id = {r[0]: r for r in rows}
    has_child = {r[1] for r in rows if r[1] is not None}
    leads = {d: dept_names.get(dep, "") for d, dep in session.execute(
        select(DutyDepartment.duty_id, DutyDepartment.department_id).where(DutyDepartment.role == "lead"))}
    per_ind: dict[int, list[tuple[str, str]]] = {}
    ind_lead: dict[int, str] = {}
    duty_targets: list[Target] = []
    q = select(Duty.id, Duty.code, Duty.task, Duty.expected_evidence, Duty.indicator_id).where(
        (Duty.framework_id == fid) | Duty.framework_id.is_(None))
    for did, code, task, expected, ind in session.execute(q):
        lead = leads.get(did, "")
        duty_targets.append(duty_target(did, code or "", task or "", expected or "", ind, lead))
        if ind is not None:
            per_ind.setdefault(ind, []).append((task or "", expected or ""))
            if lead and ind not in ind_lead:
                ind_lead[ind] = lead
    targets: list[Target] = []
    for iid, parent, code, title, rule in rows:
        if iid in has_child:
            continue
        parents: list[str] = []
        p = by_id.get(parent) if parent else None
        while p is not None and len(parents) < 3:
            parents.append(p[3])
            p = by_id.get(p[1]) if p[1] else None
        targets.append(indicator_target(iid, code or "", title, scoring_rule=rule or "", parents=parents,
                                        duties=per_ind.get(iid, ()), lead=ind_lead.get(iid, "")))
    return Ranker(targets, duty_targets)


def load_memory(session: Session, ranker: Ranker, limit: int = MEMORY_LIMIT,
                links: dict[int, list[int]] | None = None) -> int:
    """Teach `ranker` evidence filed on indicators: `links` (evidence id -> indicator ids),
    or every filed item (newest first, at most `limit`): the clerk's acceptances and
    corrections. Returns how many were learnt."""
    if links is None:
        links = {e: list(v) for e, v in _filed_links(session, limit).items()}
    if not links:
        return 0
    ids = list(links)
    n = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = session.execute(
            select(Evidence.id, Evidence.title, Evidence.doc_number, Evidence.issuing_body,
                   EvidenceFile.original_name, func.substr(BlobText.text, 1, 1500), EvidenceFile.source_path)
            .outerjoin(EvidenceFile, (EvidenceFile.evidence_id == Evidence.id) & EvidenceFile.is_current.is_(True))
            .outerjoin(BlobText, BlobText.blob_id == EvidenceFile.blob_id)
            .where(Evidence.id.in_(chunk))
        ).all()
        seen: set[int] = set()
        for eid, title, number, issuer, name, text, source in rows:
            if eid in seen:
                continue
            seen.add(eid)
            stem = PurePath(name or "").stem
            # the folders it came from (the last two): a family key, as the inbox sees them
            folders = " ".join(PurePath((source or "").replace("\\", "/")).parts[-3:-1])
            if title and title != stem:
                # filed with a title of its own (the one the document prints, read when it
                # came in, or the clerk's): the stored fields are the text view, the body
                # starts after the printed title. Reading the 红头 again for each of 50,000
                # items cost 20 s of the first suggestion's load (session 6).
                view = TextView(name="" if meaningless_name(stem) else stem, title=title, folders=folders,
                                doc_number=number or "", issuer=issuer or "", body=body_after_title(text or "", title))
            else:
                meta = read_docmeta(text or "")
                # the file's own text view, as the inbox ranked it: the title the document
                # prints (the clerk's title only when the file gives none), its 文号 and body
                own_title = meta.title or ("" if (title or "") == stem else (title or ""))
                view = TextView(name="" if meaningless_name(stem) else stem, title=own_title, folders=folders,
                                doc_number=meta.doc_number or number or "", issuer=meta.issuer or issuer or "",
                                body=meta.body if meta.title else (text or ""))
            ranker.learn(view, links[eid], evidence_id=eid, title=title or stem)
            n += 1
    return n


_SPACES = re.compile(r"\s+")


def body_after_title(text: str, title: str, within: int = 800) -> str:
    """The text after the line that ends the printed title (its last characters found in
    the first `within` characters, wrapped lines allowed); the whole text when the title is
    not printed near the top (a ledger, a photo)."""
    tail = _SPACES.sub("", title)[-6:]
    if len(tail) < 4:
        return text
    head = text[:within]
    flat, where = [], []
    for i, ch in enumerate(head):
        if not ch.isspace():
            flat.append(ch)
            where.append(i)
    k = "".join(flat).find(tail)
    if k < 0:
        return text
    end = where[k + len(tail) - 1] + 1
    nl = text.find("\n", end)
    return text[nl + 1:] if nl >= 0 else text[end:]


def duty_keywords(expected: str) -> tuple[str, ...]:
    """Keywords of a duty's expected evidence: "会议纪要、工作台账等相关材料" -> 会议纪要, 工作台账."""
    out: list[str] = []
    for part in _KEYWORD_SPLIT.split(fold(expected)):
        part = _TAIL.sub("", part)
        if len(part) >= 2 and part not in _STOP and part not in out and not part.isdigit():
            out.append(part)
    return tuple(out)


def _core(name: str) -> str:
    """The distinctive part of a department name: 沂水县工信局 -> 工信."""
    f = fold(name)
    f = re.sub(r"^.{0,4}?[县市区](?=.)", "", f) if len(f) > 3 else f
    for suffix in ("局", "委员会", "委", "办公室", "办", "中心", "分局"):
        if f.endswith(suffix) and len(f) > len(suffix) + 1:
            f = f[: -len(suffix)]
            break
    return f


@dataclass(frozen=True)
class FileFacts:
    relpath: str          # path below the watched folder (or inside the zip), '/'-separated
    title: str = ""
    text: str = ""
    doc_number: str = ""
    issue_date: dt.date | None = None


def issuing_body(doc_number: str, ctx: SuggestContext) -> tuple[int | None, str]:
    """(department id or None, name) of the body a 文号 names: 沂政发〔2023〕13号 -> 县政府."""
    m = DOC_NUMBER.search(doc_number or "")
    if not m:
        return None, ""
    prefix = fold(m.group(1))
    best: tuple[int, int | None, str] = (0, None, "")
    for did, name, core in ctx.departments:
        if len(core) >= 2 and core in prefix and len(core) > best[0]:
            best = (len(core), did, name)
    if best[1] is not None:
        return best[1], best[2]
    body = issuer_from_doc_number_prefix(prefix)
    if body:
        for did, name, _ in ctx.departments:
            if fold(name) == fold(body):
                return did, name
        return None, body
    return None, ""


def suggest(facts: FileFacts, ctx: SuggestContext, *, folder_department: tuple[int, str] | None) -> dict:
    """The suggestion for one file, as the JSON stored in InboxEntry.suggestion.

    Keys: department (name), department_id, indicator_code (codes joined), indicators (what
    accepting without a choice links: the confident ones), top (the best three, each with
    code, title, confidence, certainty, phrases, the filed document that voted, reason),
    certainty (把握较高 / 可参考 / 无把握 of the best), duties, doc_number, issuing_body,
    issue_date, title, docmeta (what the 红头 says: issuer, 文号, title, date, 主送),
    reasons, confidence (0..1).
    """
    reasons: list[str] = []
    dept: tuple[int | None, str, float, str] | None = None
    if folder_department:
        dept = (folder_department[0], folder_department[1], 0.6, f"文件夹：{folder_department[1]}")
    meta = read_docmeta(facts.text[:20000]) if facts.text else None
    doc_number = facts.doc_number or (meta.doc_number if meta else "")
    title = facts.title
    stem = PurePath(facts.relpath).stem
    if meta and meta.title and (not title or title == stem):
        title = meta.title
    elif meta and meta.headline and (not title or (title == stem and meaningless_name(stem))):
        title = meta.headline   # a news item named 附件1.docx: its headline says what it is

    # indicator codes in the file and folder names
    indicators: dict[int, dict] = {}
    path_folded = fold(facts.relpath)
    for m in _CODE.finditer(path_folded):
        hit = ctx.indicators_by_code.get(m.group(1))
        if hit and hit[0] not in indicators:
            where = "文件名" if m.start() >= path_folded.rfind("/") else "文件夹名"
            indicators[hit[0]] = {
                "id": hit[0], "code": m.group(1), "title": hit[1], "confidence": 0.8,
                "reason": f"{where}含指标编号 {m.group(1)}",
            }

    # A code that only names the parent of another matched code says less: keep the deeper.
    for iid in [i for i, v in indicators.items()
                if any(o["code"].startswith(v["code"] + ".") for o in indicators.values())]:
        del indicators[iid]

    rule_hits = dict(indicators)

    # issuing body: the masthead of a 红头文件, else what the 文号 names
    body_id, body = (None, "")
    if meta and meta.issuer:
        body_id, body = _registry_department(meta.issuer, ctx)
    if body_id is None and doc_number:
        by_number = issuing_body(doc_number, ctx)
        if by_number[1]:
            body_id, body = by_number
    if doc_number:
        reasons.append(f"文号 {doc_number}" + (f" → {body}" if body else ""))

    top: list[dict] = []
    certainty_word = UNSURE
    if ctx.ranker is not None:
        main = meta.body if meta is not None and meta.title else facts.text
        view = _text_view(facts, title, doc_number, body, folder_department, main)
        boost = {iid: (CODE_BOOST, v["reason"]) for iid, v in indicators.items()}
        ranked = ctx.ranker.rank(view, boost=boost)
        top = [_top_entry(r, ctx) for r in ranked]
        duties = [_duty_entry(r) for r in ctx.ranker.rank_duties(view)] if ranked else []
        if ranked:
            certainty_word = ranked[0].certainty
            best = ranked[0].confidence
            for r, t in zip(ranked, top, strict=True):
                if r.certainty == UNSURE:
                    continue
                if r is not ranked[0] and r.confidence < best * ctx.ranker.tuning.also_ratio:
                    continue
                indicators.setdefault(r.target.id, {
                    "id": r.target.id, "code": r.target.code, "title": r.target.label,
                    "confidence": round(r.confidence, 3), "reason": t["reason"],
                })
        for du in duties:
            if du["lead_department_id"] is None and du.get("lead"):
                du["lead_department_id"] = _registry_department(du["lead"], ctx)[0]
    else:
        duties = _keyword_duties(facts, ctx)
        for du in duties:
            # A duty named only once in the text is a weak hint, but still the clerk's best lead:
            # offer its indicator marked as weak rather than a reason with no suggestion.
            if du["indicator_id"] and du["indicator_id"] not in indicators and du["confidence"] >= 0.25:
                code = next((c for c, v in ctx.indicators_by_code.items() if v[0] == du["indicator_id"]), "")
                weak = "（把握较低，请核对）" if du["confidence"] < 0.35 else ""
                indicators[du["indicator_id"]] = {
                    "id": du["indicator_id"], "code": code,
                    "title": ctx.indicators_by_code.get(code, (0, ""))[1],
                    "confidence": round(du["confidence"] * 0.8, 2),
                    "reason": f"任务 {du['code'] or du['task'][:12]} 对应指标 {code}{weak}",
                }
    if dept is None and body_id is not None:
        dept = (body_id, body, 0.4, f"发文单位：{body}")
    if dept is None and duties and duties[0]["lead_department_id"]:
        lead = duties[0]["lead_department_id"]
        name = next((n for i, n, _ in ctx.departments if i == lead), "")
        dept = (lead, name, 0.3, f"任务牵头单位：{name}")

    if dept:
        reasons.insert(0, dept[3])
    if top:
        reasons += [v["reason"] for v in rule_hits.values()]
        reasons += [t["reason"] for t in top]
    else:
        reasons += [i["reason"] for i in indicators.values()]
    reasons += [d["reason"] for d in duties]
    if facts.issue_date:
        reasons.append(f"日期 {facts.issue_date.isoformat()}")

    ind_list = sorted(indicators.values(), key=lambda i: -i["confidence"])
    if ctx.ranker is not None:
        confidence = top[0]["confidence"] if top else 0.2 + (dept[2] * 0.4 if dept else 0.0)
        if not top:
            certainty_word = UNSURE
    else:
        ind_conf = max((i["confidence"] for i in indicators.values()), default=0.0)
        confidence = min(1.0, 0.2 + (dept[2] * 0.4 if dept else 0.0) + ind_conf * 0.5
                         + (0.1 if doc_number else 0.0))
        certainty_word = SURE if ind_conf >= 0.8 else (MAYBE if ind_list else UNSURE)
    issue_date = facts.issue_date or (meta.issue_date if meta else None)
    return {
        "department": dept[1] if dept else "",
        "department_id": dept[0] if dept else None,
        "indicator_code": "、".join(i["code"] for i in ind_list if i["code"]),
        "indicators": ind_list,
        "top": top,
        "certainty": certainty_word,
        "duties": duties,
        "doc_number": doc_number,
        "issuing_body": body,
        "issuing_department_id": body_id,
        "issue_date": issue_date.isoformat() if issue_date else None,
        "title": title,
        "docmeta": {
            "issuer": meta.issuer, "doc_number": meta.doc_number, "title": meta.title,
            "issue_date": meta.issue_date.isoformat() if meta.issue_date else None,
            "addressees": list(meta.addressees),
        } if meta else {},
        "reasons": reasons,
        "confidence": round(confidence, 3),
    }


def _text_view(facts: FileFacts, title: str, doc_number: str, issuer: str,
               folder_department: tuple[int, str] | None, body: str) -> TextView:
    """The file as the ranker reads it: a meaningless name (附件1, IMG_…) says nothing."""
    rel = PurePath(facts.relpath.replace("\\", "/"))
    stem = rel.stem
    folders = " ".join(rel.parts[:-1])
    if folder_department:
        folders = (folders + " " + folder_department[1]).strip()
    return TextView(name="" if meaningless_name(stem) else stem, folders=folders,
                    title=title if title != stem else "", doc_number=doc_number, issuer=issuer,
                    body=body)


def _top_entry(r: Ranked, ctx: SuggestContext) -> dict:
    """One of the top three, with the reason the clerk reads."""
    t = r.target
    why: list[str] = []
    if r.rule:
        why.append(r.rule)
    if r.phrases:
        why.append("文件含「" + "」「".join(r.phrases) + "」")
    if r.example is not None:
        ref = f"（#{r.example.evidence_id}）" if r.example.evidence_id else ""
        why.append(f"与已归档的《{r.example.title[:40]}》{ref}相似")
    if r.doubt:
        why.append(r.doubt)
    label = f"{t.code} {t.label}".strip()
    return {
        "id": t.id, "code": t.code, "title": t.label, "confidence": round(r.confidence, 3),
        "certainty": r.certainty, "phrases": r.phrases,
        "example": ({"evidence_id": r.example.evidence_id, "title": r.example.title,
                     "similarity": r.example_similarity} if r.example is not None else None),
        "reason": f"指标 {label}（{r.certainty}）：" + ("；".join(why) or "只有泛泛的字词相同"),
    }


def _duty_entry(r: Ranked) -> dict:
    t = r.target
    label = t.code or t.label[:20]
    why = "、".join(r.phrases) if r.phrases else ""
    lead = next((text for text, w in t.fields if w == 0.5), "")
    return {
        "id": t.id, "code": t.code, "task": t.label[:60], "confidence": round(min(0.9, r.score / 30.0), 2),
        "reason": f"符合任务 {label} 的佐证要求" + (f"：文件含「{why}」" if why else ""),
        "indicator_id": t.indicator_id, "lead_department_id": None, "lead": lead,
    }


def _registry_department(name: str, ctx: SuggestContext) -> tuple[int | None, str]:
    """The registry's department for a body's name (县市场监管局, or an alias), else the name."""
    f = fold(name)
    core = _core(name)
    best: tuple[int, int | None, str] = (0, None, "")
    for did, dname, dcore in ctx.departments:
        if fold(dname) == f:
            return did, dname
        if len(dcore) >= 2 and (dcore == core or (dcore in f and len(dcore) > best[0])):
            best = (len(dcore) + (100 if dcore == core else 0), did, dname)
    if best[1] is not None:
        return best[1], best[2]
    return None, name


def _keyword_duties(facts: FileFacts, ctx: SuggestContext) -> list[dict]:
    """Duties whose expected evidence is named in the file (the fallback without a ranker)."""
    hay_name = fold(facts.relpath + " " + facts.title)
    hay_text = fold(facts.text[:20000])
    duties: list[dict] = []
    for d in ctx.duties:
        in_name = [k for k in d.keywords if k in hay_name]
        in_text = [k for k in d.keywords if k not in in_name and k in hay_text]
        if not in_name and not in_text:
            continue
        score = min(0.9, 0.45 * len(in_name) + 0.25 * len(in_text))
        where = []
        if in_name:
            where.append("文件名含「" + "、".join(in_name) + "」")
        if in_text:
            where.append("正文含「" + "、".join(in_text[:3]) + "」")
        label = d.code or d.task[:20]
        duties.append({
            "id": d.id, "code": d.code, "task": d.task[:60], "confidence": round(score, 2),
            "reason": f"符合任务 {label} 的佐证要求：" + "，".join(where),
            "indicator_id": d.indicator_id, "lead_department_id": d.lead_department_id,
        })
    duties.sort(key=lambda x: -x["confidence"])
    return duties[:3]
