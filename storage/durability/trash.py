"""Trash: deleting evidence only marks it (`Evidence.trashed_at`); nothing leaves the store.

- `trash_evidence` / `untrash_evidence` set and clear the mark; the rows, links and files
  stay exactly as they were, so restoring from the trash gives back the same item.
- `purge_plan` says what a purge would remove, by name; `purge` removes it. Only trashed
  items can be purged. A stored file is removed only when nothing else uses it: no other
  evidence item (trashed ones included), no inbox entry, no scan record, no sealed
  submission. The database change (with its audit entry) is committed first and the files
  are removed after; a crash in between leaves orphan files that `verify` reports.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from storage.core.archive import Archive
from storage.core.audit import log_action
from storage.kernel.durable import fsync_dir
from storage.kernel.errors import BadInput
from storage.models import (
    Blob,
    Evidence,
    EvidenceFile,
    InboxEntry,
    ScanEntry,
    SubmissionFile,
    utcnow,
)


@dataclass(frozen=True)
class TrashItem:
    evidence_id: int
    title: str
    trashed_at: str  # ISO, UTC; "" when not trashed
    files: tuple[str, ...]  # original file names


@dataclass(frozen=True)
class PurgeFile:
    sha256: str
    size: int
    names: tuple[str, ...]  # original names under which the purged items held it
    removed: bool  # False: another item, inbox entry or submission still uses it


@dataclass(frozen=True)
class PurgePlan:
    items: tuple[TrashItem, ...]
    files: tuple[PurgeFile, ...]

    @property
    def bytes_freed(self) -> int:
        return sum(f.size for f in self.files if f.removed)


def _ids(ids: Iterable[int | str]) -> list[int]:
    out: list[int] = []
    for raw in ids:
        try:
            out.append(int(str(raw).lstrip("#")))
        except ValueError as e:
            raise BadInput(f"佐证编号应为数字：{raw}", f"evidence id must be a number: {raw}") from e
    if not out:
        raise BadInput("没有指定佐证编号", "no evidence id given")
    return list(dict.fromkeys(out))


def _load(session: Session, ids: list[int]) -> list[Evidence]:
    found = {e.id: e for e in session.scalars(select(Evidence).where(Evidence.id.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        shown = "、".join(f"#{i}" for i in missing)
        raise BadInput(f"找不到佐证：{shown}；未作任何改动", f"no such evidence: {shown}; nothing was changed")
    return [found[i] for i in ids]


def _item(e: Evidence) -> TrashItem:
    return TrashItem(
        e.id,
        e.title,
        e.trashed_at.isoformat() if e.trashed_at else "",
        tuple(f.original_name for f in e.files),
    )


def trash_evidence(archive: Archive, ids: Iterable[int | str]) -> list[TrashItem]:
    """Move evidence items to the trash (all or none: an unknown id changes nothing)."""
    wanted = _ids(ids)
    with archive.sessions.write() as s:
        items = _load(s, wanted)
        now = utcnow()
        for e in items:
            if e.trashed_at is None:
                e.trashed_at = now
        s.flush()
        return [_item(e) for e in items]


def untrash_evidence(archive: Archive, ids: Iterable[int | str]) -> list[TrashItem]:
    """Bring evidence items back from the trash, unchanged."""
    wanted = _ids(ids)
    with archive.sessions.write() as s:
        items = _load(s, wanted)
        for e in items:
            if e.trashed_at is None:
                continue
            e.trashed_at = None
        s.flush()
        return [_item(e) for e in items]


def list_trash(archive: Archive) -> list[TrashItem]:
    with archive.sessions.read() as s:
        rows = s.scalars(
            select(Evidence).where(Evidence.trashed_at.is_not(None)).order_by(Evidence.trashed_at, Evidence.id)
        ).all()
        return [_item(e) for e in rows]


def _blob_still_used(session: Session, blob_id: int, purged: list[int]) -> bool:
    checks = [
        select(EvidenceFile.id).where(
            EvidenceFile.blob_id == blob_id, EvidenceFile.evidence_id.not_in(purged)
        ),
        select(InboxEntry.id).where(InboxEntry.blob_id == blob_id),
        select(ScanEntry.id).where(ScanEntry.blob_id == blob_id),
        select(SubmissionFile.id).where(SubmissionFile.blob_id == blob_id),
    ]
    return any(session.scalar(select(exists(q))) for q in checks)


def _plan(session: Session, ids: list[int]) -> tuple[list[Evidence], PurgePlan]:
    items = _load(session, ids)
    live = [f"#{e.id}《{e.title}》" for e in items if e.trashed_at is None]
    if live:
        shown = "、".join(live)
        raise BadInput(
            f"只能彻底删除回收站中的佐证，这些不在回收站：{shown}；未作任何改动",
            f"only trashed evidence can be purged; not in the trash: {shown}; nothing was changed",
        )
    by_blob: dict[int, list[str]] = {}
    for e in items:
        for f in e.files:
            by_blob.setdefault(f.blob_id, []).append(f.original_name)
    files = []
    for blob_id, names in sorted(by_blob.items()):
        blob = session.get(Blob, blob_id)
        assert blob is not None
        files.append(
            PurgeFile(blob.sha256, blob.size, tuple(names), not _blob_still_used(session, blob_id, ids))
        )
    return items, PurgePlan(tuple(_item(e) for e in items), tuple(files))


def purge_plan(archive: Archive, ids: Iterable[int | str] | None = None) -> PurgePlan:
    """What `purge` would remove (`ids=None`: everything in the trash). Changes nothing."""
    with archive.sessions.read() as s:
        wanted = _ids(ids) if ids is not None else _trashed_ids(s)
        if not wanted:
            return PurgePlan((), ())
        return _plan(s, wanted)[1]


def _trashed_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Evidence.id).where(Evidence.trashed_at.is_not(None))))


def purge(archive: Archive, ids: Iterable[int | str] | None = None) -> PurgePlan:
    """Remove trashed evidence for good (`ids=None`: everything in the trash), and the
    stored files nothing else uses. Returns what was removed."""
    with archive.sessions.write() as s:
        wanted = _ids(ids) if ids is not None else _trashed_ids(s)
        if not wanted:
            return PurgePlan((), ())
        items, plan = _plan(s, wanted)
        for e in items:
            s.delete(e)  # cascades to its files and links
        s.flush()
        gone = [f.sha256 for f in plan.files if f.removed]
        if gone:
            s.execute(delete(Blob).where(Blob.sha256.in_(gone)))
        log_action(
            s, "purge", "evidence", ",".join(str(i.evidence_id) for i in plan.items),
            {
                "items": [f"#{i.evidence_id} {i.title}" for i in plan.items],
                "files_removed": [[f.sha256, list(f.names)] for f in plan.files if f.removed],
                "files_kept": [[f.sha256, list(f.names)] for f in plan.files if not f.removed],
            },
        )
    for sha in gone:
        path = archive.files.path_for(sha)
        try:
            os.chmod(path, stat.S_IWUSR | stat.S_IRUSR)
            path.unlink()
            fsync_dir(path.parent)
        except FileNotFoundError:
            pass
    return plan


__all__ = [
    "PurgeFile",
    "PurgePlan",
    "TrashItem",
    "list_trash",
    "purge",
    "purge_plan",
    "trash_evidence",
    "untrash_evidence",
]
