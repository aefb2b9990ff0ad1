"""Rectification items (整改事项): one per problem the province found (a report problem, or
a score-sheet row that lost points), with its indicator(s) and source, lead and
cooperating departments (suggested from the indicator's duties), measures, deadline,
status (未开始 / 整改中 / 已完成 / 长期坚持), progress and linked evidence of rectification.

Every change goes through the ORM in the caller's write session, so the audit hook logs it.
`load_items` and `overdue_items` are what the documents (整改方案, 台账, 情况报告) read.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from storage.catalogue.departments import get_or_create_department
from storage.catalogue.queries import LIVE, current_framework_id
from storage.kernel.errors import BadInput
from storage.models import (
    Department,
    Duty,
    DutyDepartment,
    Evidence,
    EvidenceFile,
    EvidenceRectification,
    Indicator,
    Rectification,
    RectificationDepartment,
    RectificationIndicator,
    ReviewProblem,
    ReviewProblemIndicator,
    ReviewScore,
    utcnow,
)
from storage.readmodels.review import (
    RECTIFY_SOURCE_OWN,
    RECTIFY_STATUSES,
    IndicatorRef,
    RectificationEvidence,
    RectificationItem,
)
from storage.review.index import IndicatorIndex
from storage.tables.textparse import parse_deadline

OPEN_STATUSES = ("未开始", "整改中")   # an item past its deadline in these is overdue
SOURCE_SHEET = "省评得分表"
SOURCE_REPORT = "评价报告"
SOURCE_OWN = RECTIFY_SOURCE_OWN


class _Unset:
    pass


UNSET = _Unset()


# --- reading -------------------------------------------------------------------------------


def _is_overdue(deadline: dt.date | None, status: str, today: dt.date) -> bool:
    return deadline is not None and deadline < today and status in OPEN_STATUSES


def overdue_clause(today: dt.date):
    """The SQL condition of an overdue item (deadline passed, not 已完成 / 长期坚持)."""
    return and_(Rectification.deadline.is_not(None), Rectification.deadline < today,
                Rectification.status.in_(OPEN_STATUSES))


def _framework_clause(session: Session, framework_id: int | None):
    fid = framework_id if framework_id is not None else current_framework_id(session)
    if fid is None:
        return None
    return or_(Rectification.framework_id == fid, Rectification.framework_id.is_(None))


def load_items(session: Session, framework_id: int | None = None, *, today: dt.date | None = None,
               status: str | None = None, overdue_only: bool = False,
               ids: Sequence[int] | None = None) -> list[RectificationItem]:
    """The rectification items of a framework (None: the current one; items made without a
    framework are always included), numbered 1.. in their order, with indicators,
    departments and evidence (trashed evidence left out). `status` / `overdue_only` filter;
    `today` decides what is overdue (default: the computer's date)."""
    today = today or dt.date.today()
    q = select(Rectification).order_by(Rectification.position, Rectification.id)
    if framework_id is None and ids:
        # asked by id: number the items among their own framework's, whichever it is
        first = session.get(Rectification, int(ids[0]))
        if first is not None and first.framework_id is not None:
            framework_id = first.framework_id
    where = _framework_clause(session, framework_id)
    if where is not None:
        q = q.where(where)
    items = list(session.scalars(q))
    numbers = {it.id: n for n, it in enumerate(items, start=1)}
    if status:
        check_status(status)
        items = [it for it in items if it.status == status]
    if overdue_only:
        items = [it for it in items if _is_overdue(it.deadline, it.status, today)]
    if ids is not None:
        wanted = set(ids)
        items = [it for it in items if it.id in wanted]
    if not items:
        return []
    rids = [it.id for it in items]
    inds: dict[int, list[IndicatorRef]] = {}
    for rid, iid, code, title in session.execute(
        select(RectificationIndicator.rectification_id, Indicator.id, Indicator.code, Indicator.title)
        .join(Indicator, Indicator.id == RectificationIndicator.indicator_id)
        .where(RectificationIndicator.rectification_id.in_(rids))
        .order_by(RectificationIndicator.position, Indicator.id)
    ):
        inds.setdefault(rid, []).append(IndicatorRef(iid, code or "", title))
    depts: dict[tuple[int, str], list[str]] = {}
    for rid, role, name in session.execute(
        select(RectificationDepartment.rectification_id, RectificationDepartment.role, Department.name)
        .join(Department, Department.id == RectificationDepartment.department_id)
        .where(RectificationDepartment.rectification_id.in_(rids))
        .order_by(RectificationDepartment.position, Department.id)
    ):
        depts.setdefault((rid, role), []).append(name)
    files: dict[int, list[str]] = {}
    evid: dict[int, list[tuple[int, str]]] = {}
    for rid, eid, title in session.execute(
        select(EvidenceRectification.rectification_id, Evidence.id, Evidence.title)
        .join(Evidence, Evidence.id == EvidenceRectification.evidence_id)
        .where(EvidenceRectification.rectification_id.in_(rids), LIVE)
        .order_by(EvidenceRectification.position, Evidence.id)
    ):
        evid.setdefault(rid, []).append((eid, title))
    eids = {eid for lst in evid.values() for eid, _ in lst}
    if eids:
        for eid, name in session.execute(
            select(EvidenceFile.evidence_id, EvidenceFile.original_name)
            .where(EvidenceFile.evidence_id.in_(eids), EvidenceFile.is_current.is_(True))
            .order_by(EvidenceFile.id)
        ):
            files.setdefault(eid, []).append(name)
    return [
        RectificationItem(
            id=it.id, number=numbers[it.id], problem=it.problem, source=it.source,
            indicators=tuple(inds.get(it.id, ())),
            lead_departments=tuple(depts.get((it.id, "lead"), ())),
            cooperating_departments=tuple(depts.get((it.id, "cooperating"), ())),
            measures=it.measures, deadline=it.deadline, status=it.status, progress=it.progress,
            evidence=tuple(RectificationEvidence(eid, title, "", tuple(files.get(eid, ())))
                           for eid, title in evid.get(it.id, ())),
            overdue=_is_overdue(it.deadline, it.status, today),
        )
        for it in items
    ]


def overdue_items(session: Session, today: dt.date) -> list[RectificationItem]:
    """Items of the current framework whose deadline has passed and that are neither
    已完成 nor 长期坚持, most overdue first."""
    items = load_items(session, today=today, overdue_only=True)
    return sorted(items, key=lambda it: (it.deadline or today, it.number))


def overdue_count(session: Session, today: dt.date) -> int:
    """How many items are overdue (the dashboard's count), by one query."""
    q = select(func.count()).select_from(Rectification).where(overdue_clause(today))
    where = _framework_clause(session, None)
    if where is not None:
        q = q.where(where)
    return int(session.scalar(q) or 0)


@dataclass(frozen=True)
class OwingRectification:
    """A department that leads or cooperates on open rectification items (for 催办)."""

    department_id: int
    name: str
    items: tuple[tuple[str, RectificationItem], ...]   # (role lead|cooperating, item)


def departments_owing_rectification(session: Session, today: dt.date) -> list[OwingRectification]:
    """Departments on items not yet 已完成 / 长期坚持, with their items (overdue first)."""
    items = [it for it in load_items(session, today=today) if it.status in OPEN_STATUSES]
    if not items:
        return []
    by_id = {it.id: it for it in items}
    per: dict[int, tuple[str, list[tuple[str, RectificationItem]]]] = {}
    for rid, role, did, name in session.execute(
        select(RectificationDepartment.rectification_id, RectificationDepartment.role,
               Department.id, Department.name)
        .join(Department, Department.id == RectificationDepartment.department_id)
        .where(RectificationDepartment.rectification_id.in_(list(by_id)))
        .order_by(Department.name, RectificationDepartment.position)
    ):
        per.setdefault(did, (name, []))[1].append((role, by_id[rid]))
    out = []
    for did, (name, lst) in per.items():
        lst.sort(key=lambda x: (not x[1].overdue, x[1].deadline or dt.date.max, x[1].number))
        out.append(OwingRectification(did, name, tuple(lst)))
    out.sort(key=lambda d: (-len(d.items), d.name))
    return out


# --- suggestions ---------------------------------------------------------------------------


def suggest_departments(session: Session, indicator_ids: Iterable[int]) -> tuple[list[str], list[str]]:
    """Lead and cooperating departments for items on these indicators, from the duties of
    the responsibility table (duty_department roles); a lead stays a lead."""
    ids = list(indicator_ids)
    if not ids:
        return [], []
    lead: list[str] = []
    coop: list[str] = []
    for role, name in session.execute(
        select(DutyDepartment.role, Department.name)
        .join(Duty, Duty.id == DutyDepartment.duty_id)
        .join(Department, Department.id == DutyDepartment.department_id)
        .where(Duty.indicator_id.in_(ids))
        .order_by(Duty.position, Duty.id, DutyDepartment.position)
    ):
        (lead if role == "lead" else coop).append(name)
    lead = list(dict.fromkeys(lead))
    coop = [n for n in dict.fromkeys(coop) if n not in lead]
    return lead, coop


# --- writing -------------------------------------------------------------------------------


def check_status(status: str) -> str:
    s = status.strip()
    if s not in RECTIFY_STATUSES:
        raise BadInput(f"整改状态应为：{'、'.join(RECTIFY_STATUSES)}，实际为“{status}”",
                       f"the status must be one of {', '.join(RECTIFY_STATUSES)}, got '{status}'")
    return s


def as_deadline(value: dt.date | str | None) -> dt.date | None:
    """A deadline from a date, "2027-03-31", "2027年3月底前"; None / "" clears it."""
    if value is None or isinstance(value, dt.date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    d = parse_deadline(text).date
    if d is None:
        raise BadInput(f"看不懂的完成时限：“{value}”，请写成 2027-03-31 或 2027年3月底前",
                       f"cannot read the deadline '{value}'; write 2027-03-31 or 2027年3月底前")
    return d


def _item(session: Session, item_id: int) -> Rectification:
    it = session.get(Rectification, int(item_id))
    if it is None:
        raise BadInput(f"找不到整改事项 #{item_id}", f"no rectification item #{item_id}")
    return it


def _set_indicators(session: Session, item: Rectification, indicator_ids: Sequence[int]) -> None:
    session.execute(delete(RectificationIndicator).where(RectificationIndicator.rectification_id == item.id))
    for pos, iid in enumerate(dict.fromkeys(indicator_ids), start=1):
        session.add(RectificationIndicator(rectification_id=item.id, indicator_id=iid, position=pos))


def _set_departments(session: Session, item: Rectification, role: str, names: Sequence[str]) -> None:
    other = "cooperating" if role == "lead" else "lead"
    current = {d.department_id: d for d in session.scalars(
        select(RectificationDepartment).where(RectificationDepartment.rectification_id == item.id))}
    for d in list(current.values()):
        if d.role == role:
            session.delete(d)
    session.flush()
    for pos, name in enumerate(dict.fromkeys(n.strip() for n in names if n.strip()), start=1):
        dept = get_or_create_department(session, name)
        existing = session.get(RectificationDepartment, (item.id, dept.id))
        if existing is not None and existing.role == other:
            session.delete(existing)   # named again under the other role: it moves
            session.flush()
        session.add(RectificationDepartment(rectification_id=item.id, department_id=dept.id,
                                            role=role, position=pos))
    session.flush()


def _next_position(session: Session) -> int:
    return int(session.scalar(select(func.max(Rectification.position))) or 0) + 1


def add_item(session: Session, *, problem: str, indicator_codes: Sequence[str] = (),
             indicator_ids: Sequence[int] = (), lead: Sequence[str] | None = None,
             cooperating: Sequence[str] | None = None, measures: str = "",
             deadline: dt.date | str | None = None, status: str = "未开始", progress: str = "",
             source: str = SOURCE_OWN, framework_id: int | None = None,
             problem_id: int | None = None, score_id: int | None = None) -> int:
    """Add one item; departments not given are suggested from the indicators' duties.
    Returns its id."""
    text = " ".join((problem or "").split())
    if not text:
        raise BadInput("请写明存在的问题", "give the problem text")
    ids = list(indicator_ids)
    if indicator_codes:
        index = IndicatorIndex(session, framework_id)
        ids += [index.code_ref(c).id for c in indicator_codes]
    fid = framework_id if framework_id is not None else current_framework_id(session)
    item = Rectification(
        framework_id=fid, problem_id=problem_id, score_id=score_id, position=_next_position(session),
        problem=text, source=source, measures=measures.strip(), deadline=as_deadline(deadline),
        status=check_status(status), progress=progress.strip(),
    )
    session.add(item)
    session.flush()
    _set_indicators(session, item, ids)
    s_lead, s_coop = suggest_departments(session, ids)
    _set_departments(session, item, "lead", s_lead if lead is None else list(lead))
    _set_departments(session, item, "cooperating", s_coop if cooperating is None else list(cooperating))
    return item.id


def set_item(session: Session, item_id: int, *, problem: str | None = None, measures: str | None = None,
             deadline: dt.date | str | None | _Unset = UNSET, status: str | None = None,
             progress: str | None = None, lead: Sequence[str] | None = None,
             cooperating: Sequence[str] | None = None,
             indicator_codes: Sequence[str] | None = None) -> None:
    """Change the given fields of an item (None / UNSET: leave as is)."""
    item = _item(session, item_id)
    if problem is not None:
        text = " ".join(problem.split())
        if not text:
            raise BadInput("问题不能为空", "the problem cannot be empty")
        item.problem = text
    if measures is not None:
        item.measures = measures.strip()
    if not isinstance(deadline, _Unset):
        item.deadline = as_deadline(deadline)
    if status is not None:
        item.status = check_status(status)
    if progress is not None:
        item.progress = progress.strip()
    if indicator_codes is not None:
        index = IndicatorIndex(session, item.framework_id)
        _set_indicators(session, item, [index.code_ref(c).id for c in indicator_codes])
    if lead is not None:
        _set_departments(session, item, "lead", lead)
    if cooperating is not None:
        _set_departments(session, item, "cooperating", cooperating)
    item.updated_at = utcnow()
    session.flush()


def item_indicator_codes(session: Session, item_id: int) -> list[str]:
    """The codes of an item's indicators (a refusal for an unknown item)."""
    item = _item(session, item_id)
    return [c for c in session.scalars(
        select(Indicator.code).join(RectificationIndicator, RectificationIndicator.indicator_id == Indicator.id)
        .where(RectificationIndicator.rectification_id == item.id)
        .order_by(RectificationIndicator.position)) if c]


def link_evidence(session: Session, item_id: int, evidence_ids: Iterable[int]) -> int:
    """Link evidence of rectification to an item (at the end of its order); returns how
    many were newly linked. An unknown id changes nothing."""
    item = _item(session, item_id)
    ids = list(dict.fromkeys(int(e) for e in evidence_ids))
    for eid in ids:
        if session.get(Evidence, eid) is None:
            raise BadInput(f"找不到佐证材料 #{eid}", f"no evidence #{eid}")
    pos = int(session.scalar(select(func.max(EvidenceRectification.position))
                             .where(EvidenceRectification.rectification_id == item.id)) or 0)
    n = 0
    for eid in ids:
        if session.get(EvidenceRectification, (eid, item.id)) is None:
            pos += 1
            session.add(EvidenceRectification(evidence_id=eid, rectification_id=item.id, position=pos))
            n += 1
    session.flush()
    return n


def unlink_evidence(session: Session, item_id: int, evidence_ids: Iterable[int]) -> int:
    """Take evidence off an item; returns how many links were removed."""
    item = _item(session, item_id)
    n = 0
    for eid in dict.fromkeys(int(e) for e in evidence_ids):
        link = session.get(EvidenceRectification, (eid, item.id))
        if link is not None:
            session.delete(link)
            n += 1
    session.flush()
    return n


def delete_item(session: Session, item_id: int) -> str:
    """Delete an item the county added itself (source 县自查), e.g. one added by mistake;
    its evidence stays in the archive, only the links to the item go. Items made from the
    province's report or score sheet are the province's findings: they are refused (a
    re-import would bring them back); the clerk closes them with a status instead.
    Returns the deleted item's problem text."""
    item = _item(session, item_id)
    if item.source != SOURCE_OWN or item.problem_id is not None or item.score_id is not None:
        raise BadInput(
            f"整改事项 #{item_id} 来自省评结果（{item.source}），不能删除；整改完毕请把状态改为“已完成”或“长期坚持”",
            f"item #{item_id} comes from the province's evaluation ({item.source}) and cannot be deleted; "
            "set its status instead")
    text = item.problem
    session.delete(item)
    session.flush()
    return text


def _fmt(v: Decimal | float | None) -> str:
    if v is None:
        return ""
    return f"{float(v):g}"


def create_from_review(session: Session, framework_id: int | None = None) -> list[int]:
    """One item per imported problem (存在问题 and 扣分说明; 建议 become the item's
    measures hint only when it has none) and per score row that lost points where no
    item covers that indicator yet. Problems and rows already turned into items are
    skipped, so running it again adds nothing. Returns the new items' ids."""
    fid = framework_id if framework_id is not None else current_framework_id(session)
    if fid is None:
        return []
    done_problems = set(session.scalars(select(Rectification.problem_id).where(Rectification.problem_id.is_not(None))))
    done_scores = set(session.scalars(select(Rectification.score_id).where(Rectification.score_id.is_not(None))))
    new: list[int] = []
    problems = list(session.scalars(
        select(ReviewProblem).where(ReviewProblem.framework_id == fid)
        .order_by(ReviewProblem.source_paragraph, ReviewProblem.id)))
    links: dict[int, list[int]] = {}
    for pid, iid in session.execute(
        select(ReviewProblemIndicator.problem_id, ReviewProblemIndicator.indicator_id)
        .join(Indicator, Indicator.id == ReviewProblemIndicator.indicator_id)
        .order_by(Indicator.level, Indicator.position)
    ):
        links.setdefault(pid, []).append(iid)
    for p in problems:
        if p.id in done_problems or p.kind == "建议":
            continue
        source = f"{SOURCE_REPORT} 第{p.source_paragraph}段" + (f"（{p.source_file}）" if p.source_file else "")
        new.append(add_item(session, problem=p.text, indicator_ids=links.get(p.id, []), source=source,
                            framework_id=fid, problem_id=p.id))
    _drop_placeholders(session, [links.get(p.id, []) for p in problems if p.kind != "建议"])
    covered = set(session.scalars(select(RectificationIndicator.indicator_id)))
    rows = session.execute(
        select(ReviewScore, Indicator.max_score, Indicator.title)
        .join(Indicator, Indicator.id == ReviewScore.indicator_id)
        .where(ReviewScore.framework_id == fid)
        .order_by(ReviewScore.source_row, ReviewScore.id)
    ).all()
    for sc, max_score, title in rows:
        if sc.id in done_scores or sc.indicator_id in covered:
            continue
        lost = (sc.province_score is not None and max_score is not None and sc.province_score < max_score)
        if not lost and not sc.deduction_reason:
            continue
        text = sc.deduction_reason or f"{title}：省评得分 {_fmt(sc.province_score)} 分（满分 {_fmt(max_score)} 分）"
        source = f"{SOURCE_SHEET} 第{sc.source_row}行" + (f"（{sc.source_file}）" if sc.source_file else "")
        new.append(add_item(session, problem=text, indicator_ids=[sc.indicator_id], source=source,
                            framework_id=fid, score_id=sc.id))
        covered.add(sc.indicator_id)
    return new


def _drop_placeholders(session: Session, indicator_lists: list[list[int]]) -> None:
    """A score row's item stands in for the report until the report names the problems:
    once a report problem covers its indicator, the untouched stand-in (未开始, no
    measures, no progress, no evidence) is removed."""
    covered = {i for lst in indicator_lists for i in lst}
    if not covered:
        return
    for item in list(session.scalars(select(Rectification).where(Rectification.score_id.is_not(None)))):
        if item.status != "未开始" or item.measures or item.progress:
            continue
        inds = set(session.scalars(select(RectificationIndicator.indicator_id)
                                   .where(RectificationIndicator.rectification_id == item.id)))
        if not inds or not inds <= covered:
            continue
        if session.scalar(select(func.count()).select_from(EvidenceRectification)
                          .where(EvidenceRectification.rectification_id == item.id)):
            continue
        session.delete(item)
    session.flush()
