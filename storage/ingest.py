"""Ingest: files and folder trees into the archive, each content stored exactly once.

For every file: skip it with a reason (empty, lock/temp file, unreadable), or store it
(`FileStore.store`: copy + hash + fsync + rename), then record it. New content becomes a new
evidence item (status "received"); content already in the archive is reported as a
duplicate of the item that has it, and linked to the requested indicator too, never stored
twice. Rows are committed in batches, each only after its files are in place, so a crash
or a cancel leaves whole items (and at worst an orphan file `verify` reports).
"""
from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .archive import Archive
from .departments import get_or_create_department
from .errors import BadInput
from .filestore import SourceChanged, Stored
from .filters import excluded_by
from .models import Blob, Evidence, EvidenceFile, EvidenceIndicator, Indicator
from .progress import CancelFn, ProgressFn, never_cancel, no_progress
from .queries import current_framework_id
from .text import find_doc_number

BATCH_SECONDS = 1.0
BATCH_ITEMS = 500

# Outcomes, as they appear in reports and --json.
STORED = "stored"
DUPLICATE = "duplicate"
SKIPPED = "skipped"
FAILED = "failed"


@dataclass(frozen=True)
class IngestItem:
    path: str
    outcome: str  # stored | duplicate | skipped | failed
    reason: str = ""  # Chinese, then English in brackets
    sha256: str = ""
    size: int = 0
    evidence_id: int | None = None


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)
    cancelled: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for i in self.items if i.outcome == outcome)

    @property
    def bytes_stored(self) -> int:
        return sum(i.size for i in self.items if i.outcome == STORED)

    def as_dict(self) -> dict:
        return {
            "stored": self.count(STORED),
            "duplicates": self.count(DUPLICATE),
            "skipped": self.count(SKIPPED),
            "failed": self.count(FAILED),
            "bytes_stored": self.bytes_stored,
            "cancelled": self.cancelled,
            "items": [i.__dict__ for i in self.items],
        }


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def iter_files(paths: Iterable[Path], *, leave_out: Path | None = None) -> Iterator[Path]:
    """Every regular file under `paths`, in a stable order; symlinked folders not followed.
    The folder `leave_out` (the archive itself, when it sits inside a folder being ingested)
    is not entered."""
    for p in paths:
        if p.is_file():
            yield p
            continue
        for dirpath, dirnames, filenames in os.walk(p):
            if leave_out is not None:
                dirnames[:] = [d for d in dirnames if Path(dirpath, d) != leave_out]
            dirnames.sort()
            for name in sorted(filenames):
                yield Path(dirpath) / name


def _skip_reason(path: Path, size: int) -> str:
    pattern = excluded_by(path.name)
    if pattern:
        return f"临时文件或锁文件（{pattern}），不作为佐证材料 (lock or temp file, not evidence)"
    if size == 0:
        return "空文件（0 字节），已跳过 (empty file, 0 bytes, skipped)"
    return ""


def ingest_paths(
    archive: Archive,
    paths: Iterable[str | os.PathLike[str]],
    *,
    department: str | None = None,
    indicator_code: str | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelFn = never_cancel,
) -> IngestReport:
    """Store and record every file under `paths`. See the module docstring.

    Raises BadInput before anything is written when a path does not exist or the
    indicator code is unknown. Cancelling stops between files, after committing the ones
    already stored; the report then has `cancelled` set.
    """
    roots = [Path(p).expanduser().absolute() for p in paths]
    for r in roots:
        if not r.exists():
            raise BadInput(f"找不到要导入的路径：{r}", f"path to ingest not found: {r}")
    if not roots:
        raise BadInput("没有指定要导入的文件或文件夹", "no file or folder given to ingest")
    for r in roots:
        if _inside(r, archive.root):
            raise BadInput(
                f"不能导入档案库自身的文件：{r}", f"cannot ingest the archive's own files: {r}"
            )

    with archive.sessions.read() as s:
        indicator_id = _indicator_id(s, indicator_code) if indicator_code else None

    files = list(iter_files(roots, leave_out=archive.root))
    total = len(files)
    report = IngestReport()
    progress(0, total, "")

    session = archive.sessions.new_write_session()
    try:
        dept_id = get_or_create_department(session, department).id if department else None
        last_commit = time.monotonic()
        pending = 0
        for n, path in enumerate(files, start=1):
            if cancel():
                report.cancelled = True
                break
            item = _ingest_one(archive, session, path, dept_id, indicator_id)
            report.items.append(item)
            if item.outcome in (STORED, DUPLICATE):
                pending += 1
            if pending and (
                pending >= BATCH_ITEMS or time.monotonic() - last_commit >= BATCH_SECONDS
            ):
                session.commit()
                pending = 0
                last_commit = time.monotonic()
            progress(n, total, str(path.name))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    return report


def _indicator_id(session: Session, code: str) -> int:
    fw = current_framework_id(session)
    q = select(Indicator.id).where(Indicator.code == code.strip())
    if fw is not None:
        q = q.where(Indicator.framework_id == fw)
    ind = session.scalar(q)
    if ind is None:
        raise BadInput(
            f"找不到指标编号 {code}（请先导入指标体系，或用 status 查看编号）",
            f"no indicator with code {code} (import the framework first, or see `status`)",
        )
    return ind


def _ingest_one(
    archive: Archive, session: Session, path: Path, dept_id: int | None, indicator_id: int | None
) -> IngestItem:
    try:
        st = path.stat()
    except OSError as e:
        return IngestItem(str(path), FAILED, f"无法读取：{e.strerror} (cannot read: {e.strerror})")
    reason = _skip_reason(path, st.st_size)
    if reason:
        return IngestItem(str(path), SKIPPED, reason, size=st.st_size)
    try:
        stored = archive.files.store(path)
    except SourceChanged:
        return IngestItem(
            str(path), FAILED,
            "文件在复制过程中发生变化（可能仍在写入），请稍后重试 (file changed while being copied; try again later)",
        )
    except PermissionError as e:
        return IngestItem(str(path), FAILED, f"没有读取权限：{e.strerror} (permission denied)")
    except FileNotFoundError:
        return IngestItem(str(path), FAILED, "文件在导入前已被删除 (file vanished before it was stored)")
    except OSError as e:
        if e.errno in (28, 122):  # ENOSPC, EDQUOT: the archive's disk, not the source
            raise BadInput(
                f"档案库所在磁盘已满，导入已停止：{archive.root}",
                f"the archive's disk is full; ingest stopped: {archive.root}",
            ) from e
        return IngestItem(str(path), FAILED, f"无法读取：{e.strerror} (cannot read: {e.strerror})")
    return record_stored(session, stored, path, st.st_mtime, dept_id, indicator_id)


def record_stored(
    session: Session,
    stored: Stored,
    path: Path,
    mtime: float,
    dept_id: int | None,
    indicator_id: int | None,
) -> IngestItem:
    """Record a file that is already in the store: a new evidence item, or a duplicate of
    the item that holds the same content (linked to `indicator_id` as well)."""
    blob = session.scalar(select(Blob).where(Blob.sha256 == stored.sha256))
    if blob is not None:
        existing = session.scalar(
            select(EvidenceFile.evidence_id)
            .where(EvidenceFile.blob_id == blob.id)
            .order_by(EvidenceFile.id)
            .limit(1)
        )
        if existing is not None:
            if indicator_id is not None:
                link_indicator(session, existing, indicator_id)
            title = session.scalar(select(Evidence.title).where(Evidence.id == existing))
            return IngestItem(
                str(path), DUPLICATE,
                f"与已存档的《{title}》（#{existing}）内容相同，未重复存储 "
                f"(same content as evidence #{existing}; not stored twice)",
                stored.sha256, stored.size, existing,
            )
    else:
        blob = Blob(sha256=stored.sha256, size=stored.size)
        session.add(blob)
        session.flush()

    title = path.stem.strip() or path.name
    evidence = Evidence(
        title=title,
        doc_number=find_doc_number(path.stem),
        department_id=dept_id,
        status="received",
    )
    session.add(evidence)
    session.flush()
    session.add(
        EvidenceFile(
            evidence_id=evidence.id,
            blob_id=blob.id,
            original_name=path.name,
            source_path=str(path),
            source_mtime=dt.datetime.fromtimestamp(mtime, dt.timezone.utc).replace(tzinfo=None),
        )
    )
    if indicator_id is not None:
        link_indicator(session, evidence.id, indicator_id)
    return IngestItem(str(path), STORED, "", stored.sha256, stored.size, evidence.id)


def link_indicator(session: Session, evidence_id: int, indicator_id: int) -> bool:
    """Link evidence to an indicator at the end of its review order; False if linked."""
    exists = session.get(EvidenceIndicator, (evidence_id, indicator_id))
    if exists is not None:
        return False
    last = session.scalar(
        select(func.max(EvidenceIndicator.position)).where(
            EvidenceIndicator.indicator_id == indicator_id
        )
    )
    session.add(
        EvidenceIndicator(
            evidence_id=evidence_id, indicator_id=indicator_id, position=(last or 0) + 1
        )
    )
    session.flush()
    return True


__all__ = ["IngestItem", "IngestReport", "ingest_paths", "iter_files"]
