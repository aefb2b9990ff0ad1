"""The reversible half of the window's everyday writes (issue 17, items 4 and 5): each
function does one action in its own transaction and returns what it needs to take it back,
and a matching function takes it back. The window's undo stack (desktop/window/undo.py)
runs both on the writer thread; nothing here knows about Qt.

What an undo puts back is exactly what the action changed: links that already existed
before a link are not removed by its undo, items that were already on the target of a move
stay there, and a status change restores each item's own previous status.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.catalogue import items, links
from storage.catalogue.ingest import link_indicator
from storage.core.archive import Archive
from storage.kernel.errors import BadInput
from storage.models import (
    Duty,
    Evidence,
    EvidenceDuty,
    EvidenceIndicator,
    EvidenceRectification,
    InboxEntry,
    Indicator,
)


@dataclass(frozen=True)
class Placement:
    """Where a set of items stood on one indicator before an action: the indicator's whole
    review order, and which of the items were linked to it."""

    indicator_id: int
    order: tuple[int, ...]
    linked: frozenset[int]


@dataclass(frozen=True)
class MoveRecord:
    """What `move` did: the items it moved, those already on the target before, and both
    indicators' review order before."""

    moved: tuple[int, ...]
    source: Placement
    target: Placement


@dataclass
class EntrySnapshot:
    """An inbox entry and its item as they were before an acceptance."""

    entry_id: int
    state: str
    suggestion: str
    evidence_id: int | None
    fields: dict[str, object] = field(default_factory=dict)
    indicators: frozenset[int] = frozenset()
    duties: frozenset[int] = frozenset()
    rectifications: frozenset[int] = frozenset()   # rectification items it was evidence of


_FIELDS = ("title", "doc_number", "issue_date", "issuing_body", "issuing_department_id",
           "department_id", "status", "trashed_at")


def indicator_label(session: Session, indicator_id: int) -> str:
    """「指标 2.3.1」: how the undo menu names an indicator."""
    ind = session.get(Indicator, indicator_id)
    return f"指标 {ind.code}" if ind is not None else f"指标 #{indicator_id}"


def _placement(session: Session, indicator_id: int, ids: Iterable[int]) -> Placement:
    rows = session.execute(
        select(EvidenceIndicator.evidence_id).where(EvidenceIndicator.indicator_id == indicator_id)
        .order_by(EvidenceIndicator.position, EvidenceIndicator.evidence_id)).scalars().all()
    wanted = set(ids)
    return Placement(indicator_id, tuple(rows), frozenset(i for i in rows if i in wanted))


def _put_back(session: Session, p: Placement, remove: Iterable[int] = ()) -> None:
    """Re-link `p.linked`, unlink `remove`, then restore the review order of before."""
    gone = [i for i in remove if i not in p.linked]
    if gone:
        links.unlink_evidence(session, gone, p.indicator_id)
    for eid in sorted(p.linked):
        if session.get(Evidence, eid) is None:
            raise BadInput(f"佐证材料 #{eid} 已不存在，无法撤销", f"evidence #{eid} is gone; cannot undo")
        link_indicator(session, eid, p.indicator_id)
    session.flush()
    now = set(session.scalars(select(EvidenceIndicator.evidence_id).where(
        EvidenceIndicator.indicator_id == p.indicator_id)))
    links.set_review_order(session, p.indicator_id, [i for i in p.order if i in now])


# -- link / unlink ------------------------------------------------------------------------------
def link(archive: Archive, *, ids: Sequence[int], indicator_id: int) -> Placement:
    """Link items to an indicator; returns the placement before (for `undo_link`)."""
    with archive.sessions.write() as s:
        before = _placement(s, indicator_id, ids)
        links.link_evidence(s, ids, indicator_id)
        return before


def undo_link(archive: Archive, *, before: Placement, ids: Sequence[int]) -> None:
    """Unlink the items `link` newly linked; those linked before stay, in their order."""
    with archive.sessions.write() as s:
        _put_back(s, before, remove=ids)


def unlink(archive: Archive, *, ids: Sequence[int], indicator_id: int) -> Placement:
    """Unlink items from an indicator; returns the placement before (for `undo_unlink`)."""
    with archive.sessions.write() as s:
        before = _placement(s, indicator_id, ids)
        links.unlink_evidence(s, ids, indicator_id)
        return before


def undo_unlink(archive: Archive, *, before: Placement) -> None:
    """Link the items back where they were in the review order."""
    with archive.sessions.write() as s:
        _put_back(s, before)


# -- move -------------------------------------------------------------------------------------
def move(archive: Archive, *, ids: Sequence[int], source_id: int, target_id: int) -> MoveRecord:
    """storage's move_evidence (link to the target, unlink from the source, in one step)."""
    with archive.sessions.write() as s:
        source = _placement(s, source_id, ids)
        target = _placement(s, target_id, ids)
        links.move_evidence(s, ids, source_id, target_id)
        return MoveRecord(tuple(i for i in ids if i in source.linked), source, target)


def undo_move(archive: Archive, *, record: MoveRecord) -> None:
    """Back on the source in the old order; off the target unless they were there before."""
    with archive.sessions.write() as s:
        if record.target.indicator_id != record.source.indicator_id:
            _put_back(s, record.target, remove=record.moved)
        _put_back(s, record.source)


@dataclass(frozen=True)
class DutyMoveRecord:
    """What `move_to_duty` did: the items moved, the duty links it added, and the review
    order of the source and of the duty's indicator (if it has one) before."""

    moved: tuple[int, ...]
    duty_id: int
    added_duty_links: tuple[int, ...]
    source: Placement
    target: Placement | None


def move_to_duty(archive: Archive, *, ids: Sequence[int], source_id: int, duty_id: int) -> DutyMoveRecord:
    """Move items from an indicator to a responsibility-table row in one step: linked to the
    row and to its indicator (storage's link_evidence_to_duty), then unlinked from the
    source indicator unless that is the row's own indicator."""
    with archive.sessions.write() as s:
        duty = s.get(Duty, duty_id)
        if duty is None:
            raise BadInput(f"找不到任务 #{duty_id}", f"no duty #{duty_id}")
        source = _placement(s, source_id, ids)
        moving = [i for i in dict.fromkeys(ids) if i in source.linked]
        target = _placement(s, duty.indicator_id, moving) if duty.indicator_id is not None else None
        added = tuple(i for i in moving if s.get(EvidenceDuty, (i, duty_id)) is None)
        links.link_evidence_to_duty(s, moving, duty_id)
        if duty.indicator_id != source_id:
            links.unlink_evidence(s, moving, source_id)
        return DutyMoveRecord(tuple(moving), duty_id, added, source, target)


def undo_move_to_duty(archive: Archive, *, record: DutyMoveRecord) -> None:
    """The duty links it added removed, the duty's indicator and the source as before."""
    with archive.sessions.write() as s:
        for eid in record.added_duty_links:
            row = s.get(EvidenceDuty, (eid, record.duty_id))
            if row is not None:
                s.delete(row)
        s.flush()
        if record.target is not None and record.target.indicator_id != record.source.indicator_id:
            _put_back(s, record.target, remove=record.moved)
        _put_back(s, record.source)


# -- link to a duty (a drop on a row of the responsibility table) ------------------------------
@dataclass(frozen=True)
class DutyLinkRecord:
    """What `link_to_duty` did: the duty links it added and the review order of the duty's
    indicator (if it has one) before."""

    duty_id: int
    ids: tuple[int, ...]
    added_duty_links: tuple[int, ...]
    target: Placement | None


def link_to_duty(archive: Archive, *, ids: Sequence[int], duty_id: int) -> DutyLinkRecord:
    """Link items to a responsibility-table row and its indicator (storage's
    link_evidence_to_duty); returns what it needs to take that back."""
    with archive.sessions.write() as s:
        duty = s.get(Duty, duty_id)
        if duty is None:
            raise BadInput(f"找不到任务 #{duty_id}", f"no duty #{duty_id}")
        wanted = tuple(dict.fromkeys(ids))
        target = _placement(s, duty.indicator_id, wanted) if duty.indicator_id is not None else None
        added = tuple(i for i in wanted if s.get(EvidenceDuty, (i, duty_id)) is None)
        links.link_evidence_to_duty(s, wanted, duty_id)
        return DutyLinkRecord(duty_id, wanted, added, target)


def undo_link_to_duty(archive: Archive, *, record: DutyLinkRecord) -> None:
    """The duty links it added removed; the duty's indicator as before (items that were
    linked to it before stay, in their order)."""
    with archive.sessions.write() as s:
        for eid in record.added_duty_links:
            row = s.get(EvidenceDuty, (eid, record.duty_id))
            if row is not None:
                s.delete(row)
        s.flush()
        if record.target is not None:
            _put_back(s, record.target, remove=record.ids)


# -- department (报送单位) ----------------------------------------------------------------------
def set_department(archive: Archive, *, ids: Sequence[int], name: str) -> dict[int, int | None]:
    """Set the items' 报送单位 (created in the registry if new); returns each item's
    department id before."""
    with archive.sessions.write() as s:
        before = {e.id: e.department_id for e in s.scalars(select(Evidence).where(Evidence.id.in_(list(ids))))}
        items.bulk_set_department(s, ids, name)
        return before


def restore_department(archive: Archive, *, before: dict[int, int | None]) -> None:
    """Give each item back its own 报送单位 of before (a department the action created
    stays in the registry, unused)."""
    with archive.sessions.write() as s:
        for e in s.scalars(select(Evidence).where(Evidence.id.in_(list(before)))):
            if e.department_id != before[e.id]:
                e.department_id = before[e.id]
        s.flush()


# -- status -----------------------------------------------------------------------------------
def set_status(archive: Archive, *, ids: Sequence[int], status: str) -> dict[int, str]:
    """Set the items' status; returns each item's status before."""
    with archive.sessions.write() as s:
        before = {e.id: e.status for e in s.scalars(select(Evidence).where(Evidence.id.in_(list(ids))))}
        items.bulk_set_status(s, ids, status)
        return before


def restore_status(archive: Archive, *, before: dict[int, str]) -> None:
    """Give each item back its own status of before."""
    with archive.sessions.write() as s:
        by_status: dict[str, list[int]] = {}
        for eid, st in before.items():
            by_status.setdefault(st, []).append(eid)
        for st, eids in by_status.items():
            items.bulk_set_status(s, eids, st)


# -- inbox acceptance -------------------------------------------------------------------------
def snapshot_entries(session: Session, entry_ids: Iterable[int]) -> list[EntrySnapshot]:
    """The entries and their items before an acceptance (call in the accepting transaction)."""
    out = []
    for entry in session.scalars(select(InboxEntry).where(InboxEntry.id.in_(list(entry_ids)))):
        snap = EntrySnapshot(entry.id, entry.state, entry.suggestion, entry.evidence_id)
        ev = session.get(Evidence, entry.evidence_id) if entry.evidence_id is not None else None
        if ev is not None:
            snap.fields = {f: getattr(ev, f) for f in _FIELDS}
            snap.indicators = frozenset(s for s in session.scalars(select(EvidenceIndicator.indicator_id).where(
                EvidenceIndicator.evidence_id == ev.id)))
            snap.duties = frozenset(s for s in session.scalars(select(EvidenceDuty.duty_id).where(
                EvidenceDuty.evidence_id == ev.id)))
            snap.rectifications = frozenset(session.scalars(select(EvidenceRectification.rectification_id).where(
                EvidenceRectification.evidence_id == ev.id)))
        out.append(snap)
    return out


def undo_accept(archive: Archive, *, before: list[EntrySnapshot]) -> None:
    """Put accepted entries back in the inbox as they were: the links the acceptance made
    are removed, the item's fields restored; an item the acceptance created goes to the
    trash state (its file stays in the store, as for an ignored entry)."""
    with archive.sessions.write() as s:
        for snap in before:
            entry = s.get(InboxEntry, snap.entry_id)
            if entry is None:
                raise BadInput(f"收件 #{snap.entry_id} 已不存在，无法撤销", f"inbox entry #{snap.entry_id} is gone")
            made = entry.evidence_id
            ev = s.get(Evidence, made) if made is not None else None
            if ev is not None:
                for iid in s.scalars(select(EvidenceIndicator.indicator_id).where(
                        EvidenceIndicator.evidence_id == ev.id)).all():
                    if iid not in snap.indicators:
                        links.unlink_evidence(s, [ev.id], iid)
                for d in s.scalars(select(EvidenceDuty).where(EvidenceDuty.evidence_id == ev.id)).all():
                    if d.duty_id not in snap.duties:
                        s.delete(d)
                for r in s.scalars(select(EvidenceRectification).where(
                        EvidenceRectification.evidence_id == ev.id)).all():
                    if r.rectification_id not in snap.rectifications:
                        s.delete(r)
                if snap.evidence_id is None:
                    ev.trashed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
                else:
                    for f, v in snap.fields.items():
                        if getattr(ev, f) != v:
                            setattr(ev, f, v)
            entry.state = snap.state
            entry.suggestion = snap.suggestion
            # a created item stays the entry's, trashed: accepting again brings it back
            entry.evidence_id = snap.evidence_id if snap.evidence_id is not None else made
        s.flush()
