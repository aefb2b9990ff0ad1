"""The OCR backlog: stored scans, photos and image-only PDF pages get their text read by the
OCR worker, after the reader (storage.reading.backlog) has recorded which pages need it.

The reader records a BlobText row for every stored file, with `ocr_pages` naming the 0-based
pages that had no usable text (an image is page 0). This pass works through those rows:

- one OcrWorker process (storage.reading.ocr_worker: its own memory and time limit), one
  page at a time: page 1 of every waiting file first, because it carries the header, 文号 and
  title the inbox shows; the later pages when no file's page 1 waits;
- `cancel()` is asked between pages, `progress(done, total)` after each page;
- each file is recorded in its own short write transaction (through `write(fn)`, the
  window's one writer): the OCR text appended to whatever the reader had, the 文号 / title /
  date the page gives when the reader had none (storage.reading.docmeta), a photo's EXIF
  date; `ocr_pages` emptied, so a file is never read twice; the evidence items holding the
  file are marked changed so search takes the new text;
- a file the worker cannot read (memory, time, a crash) keeps its reader text, gets the
  reason and is not retried; when the OCR component is not installed the pass stops with
  that message and leaves the files for a later installation.

All waiting happens on the caller's thread (a background task in the window), never the GUI
thread; the OCR itself runs in the worker process.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.core.archive import Archive
from storage.models import Blob, BlobText, Evidence, EvidenceFile, utcnow
from storage.reading.docmeta import read_docmeta
from storage.reading.ocr import OcrError, OcrUnavailable, photo_taken
from storage.reading.ocr_worker import OcrWorker

log = logging.getLogger(__name__)


@dataclass
class OcrBacklogReport:
    """What one OCR pass did: files read, files that failed (reason by blob id), files left,
    whether it was cancelled, and the message when the OCR component is absent."""

    read: int = 0
    failed: int = 0
    left: int = 0
    cancelled: bool = False
    unavailable: str = ""
    reasons: dict[int, str] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the command line or the status bar."""
        if self.unavailable:
            return self.unavailable
        line = (f"已识别扫描件和照片 {self.read} 个，识别失败 {self.failed} 个"
                f" (OCR read {self.read} scans and photos, {self.failed} failed)")
        if self.left:
            line += f"；还有 {self.left} 个待识别 ({self.left} still to read)"
        return line


def ocr_pending_count(session: Session) -> int:
    """How many stored files still wait for OCR."""
    return session.scalar(
        select(func.count()).select_from(BlobText)
        .where(BlobText.ocr_pages != "", BlobText.state == "ok")) or 0


def _pages(text: str) -> list[int]:
    return sorted({int(p) for p in text.split(",") if p.strip().isdigit()})


def _next_page(session: Session, skip: set[int]) -> tuple[int, str, list[int]] | None:
    """(blob id, sha256, pages still waiting) of the file whose page comes next: a file whose
    first page (0) still waits comes before any file's later pages (the first page carries
    the header, 文号 and title the inbox shows); oldest file first within each."""
    q = (select(BlobText.blob_id, Blob.sha256, BlobText.ocr_pages).join(Blob, Blob.id == BlobText.blob_id)
         .where(BlobText.ocr_pages != "", BlobText.state == "ok"))
    if skip:
        q = q.where(BlobText.blob_id.not_in(skip))
    later: tuple[int, str, list[int]] | None = None
    for blob_id, sha, text in session.execute(q.order_by(BlobText.blob_id)):
        pages = _pages(text)
        if not pages:
            continue
        if pages[0] == 0:
            return blob_id, sha, pages
        if later is None:
            later = (blob_id, sha, pages)
    return later


def _pages_waiting(session: Session) -> int:
    return sum(len(_pages(t)) for t in session.scalars(
        select(BlobText.ocr_pages).where(BlobText.ocr_pages != "", BlobText.state == "ok")))


_MISSING = "文件已不在存档中，无法识别（error: the stored file is missing; it could not be read）"


def _is_pdf(path: object) -> bool:
    with open(str(path), "rb") as f:
        return f.read(1024).lstrip().startswith(b"%PDF")


def record_ocr(session: Session, blob_id: int, text: str, *, reason: str = "",
               photo_date: dt.datetime | None = None, left: list[int] | None = None,
               head: bool = True) -> None:
    """Record what OCR read of `blob_id` (the caller commits): text appended, metadata the
    page gives where the reader had none, `ocr_pages` set to the pages `left` (none: done);
    the holders marked changed. `head`: the text is of the first page (metadata is read only
    from it: a 文号 on a later page is another document's)."""
    bt = session.get(BlobText, blob_id)
    if bt is None:
        return
    if text.strip():
        bt.text = (bt.text + "\n" + text) if bt.text.strip() else text
    if text.strip() and head:
        meta = read_docmeta(text)
        if meta.doc_number and not bt.doc_number:
            bt.doc_number = meta.doc_number[:100]
        if meta.title and (not bt.title or bt.title == _stem_title(session, blob_id)):
            bt.title = meta.title[:500]
        if meta.issue_date and bt.issue_date is None:
            bt.issue_date = meta.issue_date
    if photo_date is not None and bt.issue_date is None:
        bt.issue_date = photo_date.date()
    if reason:
        bt.reason = reason
    bt.ocr_pages = ",".join(map(str, left or []))
    session.flush()
    if text.strip():
        holders = select(EvidenceFile.evidence_id).where(EvidenceFile.blob_id == blob_id)
        session.execute(update(Evidence).where(Evidence.id.in_(holders))
                        .values(updated_at=utcnow()).execution_options(synchronize_session=False))


def _stem_title(session: Session, blob_id: int) -> str:
    """The title the reader falls back to for a file with no text: its name's stem."""
    name = session.scalar(select(func.min(EvidenceFile.original_name)).where(EvidenceFile.blob_id == blob_id))
    return (name or "").rsplit(".", 1)[0]


def ocr_pending(
    archive: Archive,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    write: Callable[[Callable[[], None]], None] | None = None,
    worker: OcrWorker | None = None,
) -> OcrBacklogReport:
    """OCR the pages waiting in the archive, one page at a time: the first page of every
    waiting file before any file's later pages (at most `limit` pages); see the module
    docstring. `progress(done, total)` counts pages. `worker`: an OcrWorker to use (else one
    is started here and stopped at the end). A file counts as read when its last page is."""
    report = OcrBacklogReport()
    with archive.sessions.read() as s:
        total = _pages_waiting(s)
    if limit is not None:
        total = min(total, limit)
    if not total:
        return report
    own = worker is None
    w = worker or OcrWorker()
    run = write or (lambda fn: fn())
    done = 0
    skip: set[int] = set()      # files that failed in this pass (recorded; not asked again)
    try:
        while done < total:
            if cancel is not None and cancel():
                report.cancelled = True
                break
            with archive.sessions.read() as s:
                nxt = _next_page(s, skip)
            if nxt is None:
                break
            blob_id, sha, pages = nxt
            page, left = pages[0], pages[1:]
            path = archive.files.path_for(sha)
            text, reason = "", ""
            taken: dt.datetime | None = None
            try:
                if _is_pdf(path):
                    text = w.ocr_pdf_pages(path, [page + 1])[page + 1].text
                else:
                    text = w.ocr_image(path).text
                    taken = photo_taken(path)
                    left = []
            except OcrUnavailable as e:
                report.unavailable = str(e)
                break
            except OcrError as e:
                reason, left = str(e), []
            except OSError:
                reason, left = _MISSING, []

            def record(blob_id: int = blob_id, text: str = text, reason: str = reason,
                       taken: dt.datetime | None = taken, left: list[int] = left, head: bool = page == 0) -> None:
                with archive.sessions.write() as s:
                    record_ocr(s, blob_id, text, reason=reason, photo_date=taken, left=left, head=head)

            run(record)
            if reason:
                skip.add(blob_id)
                report.failed += 1
                report.reasons[blob_id] = reason
            elif not left:
                report.read += 1
            done += 1
            if progress is not None:
                progress(done, total)
    finally:
        if own:
            w.close()
    with archive.sessions.read() as s:
        report.left = ocr_pending_count(s)
    log.info("OCR backlog: read %d, failed %d, left %d", report.read, report.failed, report.left)
    return report
