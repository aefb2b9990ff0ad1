"""Self score against the province's score (自评 vs 省评), indicator by indicator, for the
compare view and the compare sheet: lost points first."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.catalogue.queries import current_framework_id
from storage.models import (
    Indicator,
    IndicatorAssessment,
    ReviewProblem,
    ReviewProblemIndicator,
    ReviewScore,
)
from storage.readmodels.review import IndicatorRef, ReviewScoreRow


def compare_rows(session: Session, framework_id: int | None = None, *,
                 all_indicators: bool = False) -> list[ReviewScoreRow]:
    """Each indicator with a province score, a self score or a reported problem (every
    indicator with `all_indicators`): self score, province score, difference (province
    minus self), 扣分原因 and the report's problems. Sorted: below the self score first
    (largest gap first), then the other indicators that lost points against the full score
    (most first), then the rest, in the framework's order."""
    fid = framework_id if framework_id is not None else current_framework_id(session)
    if fid is None:
        return []
    inds = session.execute(
        select(Indicator.id, Indicator.code, Indicator.title, Indicator.level, Indicator.max_score,
               Indicator.parent_id, Indicator.position)
        .where(Indicator.framework_id == fid)
    ).all()
    ids = [r.id for r in inds]
    selfs = {iid: s for iid, s in session.execute(
        select(IndicatorAssessment.indicator_id, IndicatorAssessment.self_score)
        .where(IndicatorAssessment.indicator_id.in_(ids)))}
    prov = {r.indicator_id: r for r in session.scalars(
        select(ReviewScore).where(ReviewScore.framework_id == fid))}
    problems: dict[int, list[str]] = {}
    for iid, text in session.execute(
        select(ReviewProblemIndicator.indicator_id, ReviewProblem.text)
        .join(ReviewProblem, ReviewProblem.id == ReviewProblemIndicator.problem_id)
        .where(ReviewProblem.framework_id == fid, ReviewProblem.kind != "建议")
        .order_by(ReviewProblem.source_paragraph, ReviewProblem.id)
    ):
        problems.setdefault(iid, []).append(text)
    order = _tree_order(inds)
    rows: list[ReviewScoreRow] = []
    for r in inds:
        s = selfs.get(r.id)
        p = prov.get(r.id)
        if not all_indicators and s is None and p is None and r.id not in problems:
            continue
        self_score = float(s) if s is not None else None
        province = float(p.province_score) if p is not None and p.province_score is not None else None
        diff = round(province - self_score, 2) if province is not None and self_score is not None else None
        rows.append(ReviewScoreRow(
            indicator=IndicatorRef(r.id, r.code or "", r.title), level=r.level,
            max_score=float(r.max_score) if r.max_score is not None else None,
            self_score=self_score, province_score=province, difference=diff,
            deduction_reason=p.deduction_reason if p is not None else "",
            problems=tuple(problems.get(r.id, ())),
        ))
    rows.sort(key=lambda x: _sort_key(x, order))
    return rows


def points_lost(row: ReviewScoreRow) -> float | None:
    """How far the province's score is below the full score (None when either is missing)."""
    if row.province_score is None or row.max_score is None:
        return None
    return round(row.max_score - row.province_score, 2)


def _sort_key(row: ReviewScoreRow, order: dict[int, int]) -> tuple[int, float, float, int]:
    # below the self score first (most first), then other lost points (most first), then the rest
    lost = points_lost(row) or 0.0
    if row.difference is not None and row.difference < 0:
        return (0, row.difference, -lost, order[row.indicator.id])
    if lost > 0:
        return (1, 0.0, -lost, order[row.indicator.id])
    return (2, 0.0, 0.0, order[row.indicator.id])


def _tree_order(inds: Sequence[Any]) -> dict[int, int]:
    children: dict[int | None, list] = {}
    for r in inds:
        children.setdefault(r.parent_id, []).append(r)
    order: dict[int, int] = {}

    def walk(pid: int | None) -> None:
        for r in sorted(children.get(pid, []), key=lambda x: (x.position, x.id)):
            order[r.id] = len(order)
            walk(r.id)

    walk(None)
    for r in inds:
        order.setdefault(r.id, len(order))
    return order
