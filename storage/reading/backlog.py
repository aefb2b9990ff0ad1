"""The backlog of stored files without read text, worked through by the reader pool.

Whatever brought a file in (ingest, 导入文件, a watched folder, an archive made by an older
version), its blob gets a BlobText row once: the text, the metadata the file gives (title,
文号, date, pages) and how the reading went (state "ok", "password" or "unreadable" with the
reason, and the pages that need OCR). A file that cannot be read is recorded as unreadable
and never retried; a password-protected one is recorded as such (有密码保护).

Reading happens in the pool's worker processes; this module only queries and records, in
short write transactions, so a long backlog never holds the database.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.core.archive import Archive
from storage.models import Blob, BlobText, Evidence, EvidenceFile, utcnow
from storage.reading.extract import ReadResult
from storage.reading.pool import ReaderPool, shared_pool

log = logging.getLogger(__name__)

BATCH = 16


@dataclass
class BacklogReport:
    """What one pass over the backlog did.

    Attributes:
        read: files whose text was recorded (state ok).
        password: files recorded as password-protected.
        unreadable: files recorded as unreadable, with their reasons by blob id.
        left: files still without text when the pass stopped (limit or cancel).
    """

    read: int = 0
    password: int = 0
    unreadable: int = 0
    left: int = 0
    cancelled: bool = False
    reasons: dict[int, str] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the command line."""
        line = (f"已读取正文 {self.read} 个文件，有密码保护 {self.password} 个，无法读取 {self.unreadable} 个"
                f" (text read from {self.read} files, {self.password} password-protected, "
                f"{self.unreadable} unreadable)")
        if self.left:
            line += f"；还有 {self.left} 个待读取 ({self.left} still to read)"
        return line

    def as_dict(self) -> dict[str, object]:
        return {"read": self.read, "password": self.password, "unreadable": self.unreadable,
                "left": self.left, "cancelled": self.cancelled}


def state_of(result: ReadResult) -> str:
    """The BlobText.state for a reading result."""
    if result.password:
        return "password"
    return "unreadable" if result.refusal else "ok"


def record_text(session: Session, blob_id: int, result: ReadResult) -> BlobText:
    """Add the BlobText row for `blob_id` from a reading result (the caller commits) and mark
    the evidence items that hold the blob as changed, so the search index takes the text."""
    bt = BlobText(
        blob_id=blob_id, title=result.title, doc_number=result.doc_number[:100],
        issue_date=result.issue_date, page_count=result.page_count, text=result.text,
        state=state_of(result), reason=result.refusal, ocr_pages=",".join(map(str, result.ocr_pages)),
    )
    session.add(bt)
    session.flush()
    if result.text or result.title:
        holders = select(EvidenceFile.evidence_id).where(EvidenceFile.blob_id == blob_id)
        session.execute(update(Evidence).where(Evidence.id.in_(holders))
                        .values(updated_at=utcnow()).execution_options(synchronize_session=False))
    return bt


def pending_count(session: Session) -> int:
    """How many stored files have no read text yet."""
    return session.scalar(
        select(func.count()).select_from(Blob).outerjoin(BlobText, BlobText.blob_id == Blob.id)
        .where(BlobText.blob_id.is_(None))
    ) or 0


def _pending(session: Session, n: int) -> list[tuple[int, str, str]]:
    """(blob id, sha256, an original name) of up to `n` blobs without text, oldest first."""
    name = (select(func.min(EvidenceFile.original_name)).where(EvidenceFile.blob_id == Blob.id)
            .correlate(Blob).scalar_subquery())
    rows = session.execute(
        select(Blob.id, Blob.sha256, name).outerjoin(BlobText, BlobText.blob_id == Blob.id)
        .where(BlobText.blob_id.is_(None)).order_by(Blob.id).limit(n)
    ).all()
    return [(r[0], r[1], r[2] or "") for r in rows]


def read_pending(
    archive: Archive,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    pool: ReaderPool | None = None,
    write: Callable[[Callable[[], None]], None] | None = None,
) -> BacklogReport:
    """Read every stored file that has no text yet (at most `limit`), through the reader pool,
    and record the results. `progress(done, total)` after each batch; `cancel()` is checked
    between batches (what was recorded stays). `write(fn)` runs each batch's recording where
    the caller's writes run (the window's one writer thread); by default, here. Returns the
    counts."""
    pool = pool or shared_pool()
    report = BacklogReport()
    with archive.sessions.read() as s:
        total = pending_count(s)
    if limit is not None:
        total = min(total, limit)
    done = 0
    skip: set[int] = set()
    while done < total:
        if cancel is not None and cancel():
            report.cancelled = True
            break
        with archive.sessions.read() as s:
            batch = [b for b in _pending(s, BATCH + len(skip)) if b[0] not in skip][: min(BATCH, total - done)]
        if not batch:
            break
        jobs = []
        for blob_id, sha, name in batch:
            path = archive.files.path_for(sha)
            jobs.append((blob_id, path, name or sha[:12]))
        results: dict[int, ReadResult] = {}
        for key, result in pool.read_many(jobs):
            results[int(key)] = result  # type: ignore[call-overload]

        def record_batch(results: dict[int, ReadResult] = results) -> None:
            with archive.sessions.write() as s:
                for blob_id, result in results.items():
                    if s.get(BlobText, blob_id) is not None:   # another seat got there first
                        continue
                    try:
                        with s.begin_nested():
                            record_text(s, blob_id, result)
                    except IntegrityError:   # … at the same moment (PostgreSQL, two seats)
                        continue
                    state = state_of(result)
                    if state == "ok":
                        report.read += 1
                    elif state == "password":
                        report.password += 1
                    else:
                        report.unreadable += 1
                        report.reasons[blob_id] = result.reason

        (write or (lambda fn: fn()))(record_batch)
        skip.update(results)
        done += len(batch)
        if progress is not None:
            progress(done, total)
    with archive.sessions.read() as s:
        report.left = pending_count(s)
    log.info("reading backlog: %s", report.as_dict())
    return report
