"""Placing evidence: links between items and indicators (in review order) or duties."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.catalogue.ingest import link_indicator
from storage.core.db import affected_rows
from storage.kernel.errors import BadInput
from storage.models import (
    Duty,
    Evidence,
    EvidenceDuty,
    EvidenceIndicator,
    Indicator,
)


def set_review_order(session: Session, indicator_id: int, evidence_ids: Sequence[int]) -> None:
    """Put an indicator's evidence in the given order (the bundle numbers files by it).

    Linked items missing from `evidence_ids` keep their relative order after the given ones;
    ids not linked to the indicator are refused.
    """
    links = {
        eid: pos
        for eid, pos in session.execute(
            select(EvidenceIndicator.evidence_id, EvidenceIndicator.position)
            .where(EvidenceIndicator.indicator_id == indicator_id)
        )
    }
    stray = [i for i in evidence_ids if i not in links]
    if stray:
        raise BadInput(
            f"这些材料未关联到该指标，不能排序：{stray[:5]}", f"not linked to the indicator: {stray[:5]}"
        )
    given = list(dict.fromkeys(evidence_ids))
    rest = sorted((i for i in links if i not in set(given)), key=lambda i: (links[i], i))
    for pos, eid in enumerate(given + rest, start=1):
        if links[eid] != pos:
            session.execute(
                update(EvidenceIndicator)
                .where(EvidenceIndicator.indicator_id == indicator_id,
                       EvidenceIndicator.evidence_id == eid)
                .values(position=pos)
            )


def _check_indicator(session: Session, indicator_id: int) -> None:
    if session.get(Indicator, indicator_id) is None:
        raise BadInput(f"找不到指标 #{indicator_id}", f"no indicator #{indicator_id}")


def link_evidence(session: Session, evidence_ids: Iterable[int], indicator_id: int) -> int:
    """Link items to an indicator (at the end of its review order); returns how many new."""
    _check_indicator(session, indicator_id)
    return sum(1 for eid in evidence_ids if link_indicator(session, eid, indicator_id))


def link_evidence_to_duty(session: Session, evidence_ids: Iterable[int], duty_id: int) -> int:
    """Link items to a responsibility-table row and to that row's indicator (at the end of
    its review order); returns how many items were newly linked to the duty."""
    duty = session.get(Duty, duty_id)
    if duty is None:
        raise BadInput(f"找不到任务 #{duty_id}", f"no duty #{duty_id}")
    n = 0
    for eid in dict.fromkeys(evidence_ids):
        if session.get(Evidence, eid) is None:
            raise BadInput(f"找不到佐证材料 #{eid}", f"no evidence #{eid}")
        if session.get(EvidenceDuty, (eid, duty_id)) is None:
            session.add(EvidenceDuty(evidence_id=eid, duty_id=duty_id))
            n += 1
        if duty.indicator_id is not None:
            link_indicator(session, eid, duty.indicator_id)
    session.flush()
    return n


def unlink_evidence(session: Session, evidence_ids: Iterable[int], indicator_id: int) -> int:
    ids = list(evidence_ids)
    res = session.execute(
        delete(EvidenceIndicator).where(
            EvidenceIndicator.indicator_id == indicator_id, EvidenceIndicator.evidence_id.in_(ids)
        )
    )
    return affected_rows(res)


def move_evidence(session: Session, evidence_ids: Iterable[int], source_id: int, target_id: int) -> int:
    """Move items from one indicator to another in one step (link to the target at the end
    of its review order, then unlink from the source); returns how many were on the source."""
    ids = list(evidence_ids)
    _check_indicator(session, target_id)
    on_source = set(session.scalars(select(EvidenceIndicator.evidence_id).where(
        EvidenceIndicator.indicator_id == source_id, EvidenceIndicator.evidence_id.in_(ids))))
    moving = [i for i in ids if i in on_source]
    for eid in moving:
        link_indicator(session, eid, target_id)
    if source_id != target_id:
        unlink_evidence(session, moving, source_id)
    return len(moving)
