"""Self-scores (自评得分): the clerk's self-assessment of each indicator, and numeric targets
compared with the values the clerk enters.

Stored in `indicator_assessment` (one row per indicator, made on first write). A veto item
(一票否决项) has no score to give: the clerk records whether the event it is about happened
(`veto="clear"` stores 0 occurrences as the actual value, `"violated"` stores 1; a count
entered as the value works the same way, and a numeric target on the veto item, when the
framework has one, decides instead).

Writes go through `archive.sessions.write()`, so each change carries its audit row.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.catalogue.queries import current_framework_id
from storage.kernel.errors import BadInput
from storage.models import Framework, Indicator, IndicatorAssessment
from storage.readmodels import AssessmentRow, SelfScoreSheet

UNSET: object = object()
VETO_STATES = ("clear", "violated")


def _decimal(value: object, label_zh: str, label_en: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().replace(",", "").replace("，", "").rstrip("%％").strip()
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise BadInput(f"{label_zh}应为数字，实际为“{value}”",
                       f"{label_en} must be a number, got '{value}'") from None
    if not d.is_finite():
        raise BadInput(f"{label_zh}应为数字，实际为“{value}”",
                       f"{label_en} must be a number, got '{value}'")
    return d


def _fmt(d: Decimal | float | None) -> str:
    if d is None:
        return "—"
    d = Decimal(str(d)).normalize()
    return f"{d:f}"


def find_indicator(session: Session, code: str, framework_id: int | None = None) -> Indicator:
    """The indicator with `code` in the framework (default: the current one)."""
    fid = framework_id if framework_id is not None else current_framework_id(session)
    if fid is None:
        raise BadInput("档案库中还没有指标体系", "the archive has no indicator framework yet")
    code = (code or "").strip()
    found = session.scalars(
        select(Indicator).where(Indicator.framework_id == fid, Indicator.code == code)
        .order_by(Indicator.id)
    ).all()
    if not found:
        raise BadInput(f"当前指标体系中没有编号为“{code}”的指标",
                       f"no indicator with code '{code}' in the current framework")
    return found[0]


def _is_leaf(session: Session, ind: Indicator) -> bool:
    return session.scalar(select(Indicator.id).where(Indicator.parent_id == ind.id).limit(1)) is None


def compare_target(comparator: str | None, target: float | Decimal | None,
                   actual: float | Decimal | None) -> str:
    """met / not_met / unknown (a target but no value) / "" (no numeric target)."""
    if not comparator or target is None:
        return ""
    if actual is None:
        return "unknown"
    a, t = Decimal(str(actual)), Decimal(str(target))
    ok = {">=": a >= t, ">": a > t, "<=": a <= t, "<": a < t, "=": a == t}.get(comparator)
    if ok is None:
        return ""
    return "met" if ok else "not_met"


def veto_state(comparator: str | None, target: float | Decimal | None,
               actual: float | Decimal | None) -> str:
    """clear / violated / unchecked for a veto item."""
    if actual is None:
        return "unchecked"
    state = compare_target(comparator, target, actual)
    if state:
        return "clear" if state == "met" else "violated"
    return "clear" if Decimal(str(actual)) == 0 else "violated"


def set_assessment(
    session: Session,
    code: str,
    *,
    score: object = UNSET,
    note: str | None = None,
    description: str | None = None,
    value: object = UNSET,
    veto: str | None = None,
    clear: bool = False,
    framework_id: int | None = None,
) -> AssessmentRow:
    """Record (part of) the self-assessment of the leaf indicator `code`.

    Only the arguments given change. `score` must lie between 0 and the indicator's
    maximum (a veto item's only score is 0 or none); `None` or "" clears it. `clear`
    removes the whole assessment. Raises BadInput (Chinese + English) on bad input, with
    nothing written.
    """
    ind = find_indicator(session, code, framework_id)
    if not _is_leaf(session, ind):
        raise BadInput(f"只能为末级指标自评：“{ind.code} {ind.title}”下面还有下级指标",
                       f"self-assessment is for leaf indicators only: '{ind.code}' has sub-indicators")
    row = session.get(IndicatorAssessment, ind.id)
    if clear:
        if row is not None:
            session.delete(row)
            session.flush()
        return assessment_row(session, ind.id)
    if row is None:
        row = IndicatorAssessment(indicator_id=ind.id, deduction_note="", description="")
        session.add(row)
    if score is not UNSET:
        d = _decimal(score, "自评得分", "self score")
        if d is not None:
            if d < 0:
                raise BadInput(f"自评得分不能小于 0：{_fmt(d)}（指标 {ind.code}）",
                               f"self score cannot be below 0: {_fmt(d)} (indicator {ind.code})")
            if ind.max_score is not None and d > ind.max_score:
                raise BadInput(
                    f"自评得分 {_fmt(d)} 超过指标 {ind.code} 的分值 {_fmt(ind.max_score)}",
                    f"self score {_fmt(d)} is above the maximum {_fmt(ind.max_score)} "
                    f"of indicator {ind.code}")
            if d != d.quantize(Decimal("0.01")):
                raise BadInput(f"自评得分最多保留两位小数：{score}",
                               f"self score takes at most two decimals: {score}")
        row.self_score = d
    if value is not UNSET:
        row.actual_value = _decimal(value, "实际值", "actual value")
    if veto is not None:
        if not ind.is_veto:
            raise BadInput(f"指标 {ind.code} 不是一票否决项", f"indicator {ind.code} is not a veto item")
        if veto not in VETO_STATES:
            raise BadInput(f"一票否决项核查结果应为 clear（未发生）或 violated（已发生）：{veto}",
                           f"veto result must be clear or violated: {veto}")
        row.actual_value = Decimal(0 if veto == "clear" else 1)
    if note is not None:
        row.deduction_note = note.strip()
    if description is not None:
        row.description = description.strip()
    session.flush()
    return assessment_row(session, ind.id)


def _row(ind: Indicator, a: IndicatorAssessment | None, is_leaf: bool) -> AssessmentRow:
    actual = float(a.actual_value) if a is not None and a.actual_value is not None else None
    target = float(ind.target_value) if ind.target_value is not None else None
    return AssessmentRow(
        indicator_id=ind.id,
        parent_id=ind.parent_id,
        code=ind.code,
        title=ind.title,
        level=ind.level,
        is_leaf=is_leaf,
        is_key=bool(ind.is_key),
        is_veto=bool(ind.is_veto),
        max_score=float(ind.max_score) if ind.max_score is not None else None,
        scoring_rule=ind.scoring_rule or "",
        self_score=float(a.self_score) if a is not None and a.self_score is not None else None,
        deduction_note=(a.deduction_note or "") if a is not None else "",
        description=(a.description or "") if a is not None else "",
        actual_value=actual,
        target_comparator=ind.target_comparator,
        target_value=target,
        target_unit=ind.target_unit or "",
        target_text=ind.target_text or "",
        target_state=compare_target(ind.target_comparator, target, actual),
        veto_state=veto_state(ind.target_comparator, target, actual) if ind.is_veto else "",
        assessed=a is not None,
        updated_at=a.updated_at if a is not None else None,
    )


def assessment_row(session: Session, indicator_id: int) -> AssessmentRow:
    ind = session.get(Indicator, indicator_id)
    if ind is None:
        raise BadInput(f"找不到指标 {indicator_id}", f"no indicator {indicator_id}")
    return _row(ind, session.get(IndicatorAssessment, indicator_id), _is_leaf(session, ind))


def self_score_sheet(session: Session, framework_id: int | None = None) -> SelfScoreSheet:
    """Every indicator of the framework in tree order (depth first) with its assessment."""
    fid = framework_id if framework_id is not None else current_framework_id(session)
    if fid is None:
        return SelfScoreSheet(None, "", False, None, ())
    fw = session.get(Framework, fid)
    inds = session.scalars(
        select(Indicator).where(Indicator.framework_id == fid).order_by(Indicator.position, Indicator.id)
    ).all()
    ids = [i.id for i in inds]
    found: dict[int, IndicatorAssessment] = {}
    for n in range(0, len(ids), 900):
        for a in session.scalars(select(IndicatorAssessment).where(
                IndicatorAssessment.indicator_id.in_(ids[n:n + 900]))):
            found[a.indicator_id] = a
    children: dict[int | None, list[Indicator]] = {}
    for i in inds:
        children.setdefault(i.parent_id, []).append(i)
    rows: list[AssessmentRow] = []

    def walk(ind: Indicator) -> None:
        kids = children.get(ind.id, [])
        rows.append(_row(ind, found.get(ind.id), not kids))
        for k in kids:
            walk(k)

    for root in children.get(None, []):
        walk(root)
    return SelfScoreSheet(
        framework_id=fid,
        framework_name=fw.name if fw else "",
        is_sample=bool(fw.is_sample) if fw else False,
        total_score=float(fw.total_score) if fw and fw.total_score is not None else None,
        rows=tuple(rows),
    )


def snapshot(sheet: SelfScoreSheet) -> dict[str, dict[str, object]]:
    """The assessed leaves as plain JSON-able values, keyed by indicator code (for seals)."""
    out: dict[str, dict[str, object]] = {}
    for r in sheet.leaves:
        if not r.assessed:
            continue
        out[r.code or str(r.indicator_id)] = {
            "self_score": r.self_score, "deduction_note": r.deduction_note,
            "description": r.description, "actual_value": r.actual_value,
        }
    return out


__all__ = ["UNSET", "VETO_STATES", "assessment_row", "compare_target", "find_indicator",
           "self_score_sheet", "set_assessment", "snapshot", "veto_state"]
