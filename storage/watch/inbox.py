"""The inbox: files taken from watched folders, waiting for the clerk to confirm.

A stable file is stored at once (so a later deletion on the share loses nothing), and its
inbox entry points at an evidence item in the "received" state:
- new content: a new evidence item (title, 文号, date read from the file);
- new content at a path already taken (Office's temp-and-rename save, or any edit): a new
  revision of the same evidence (EvidenceFile.replaces_id, the old one kept, not current);
- content already in the archive (the same file in two department folders): stored once,
  the entry points at the evidence that holds it, so both departments are attributed;
- the same content at the same path again (a share that went offline and came back):
  nothing new.
Accepting links the evidence to the confirmed department, indicators and duties; ignoring
moves it to the trash state (its files stay in the store).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from storage.catalogue.departments import get_or_create_department
from storage.catalogue.ingest import link_indicator
from storage.catalogue.queries import indicator_by_code
from storage.core import audit
from storage.core.db import insert_ignoring_duplicates
from storage.core.filestore import Stored
from storage.kernel.errors import BadInput
from storage.models import (
    Blob,
    BlobText,
    Department,
    Duty,
    Evidence,
    EvidenceDuty,
    EvidenceFile,
    InboxEntry,
    Indicator,
    WatchedFolder,
    utcnow,
)
from storage.reading.backlog import record_text, state_of
from storage.reading.docmeta import read_docmeta
from storage.reading.extract import ReadResult
from storage.readmodels import FolderHealth, InboxItem
from storage.watch.extract import Extracted, deferred, from_result, read_result
from storage.watch.folders import department_for_path, list_folders, relpath_of
from storage.watch.rank import TextView, meaningless_name
from storage.watch.suggest import AUTO_ACCEPT_MIN, FileFacts, SuggestContext, suggest


def _utc(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.UTC).replace(tzinfo=None)


def blob_for(session: Session, stored: Stored) -> Blob:
    """The blob row for stored content, added if new. INSERT … ON CONFLICT DO NOTHING: a
    watcher on one seat and an ingest on another storing the same content at the same moment
    (PostgreSQL) end with one row and no unique-key error."""
    blob = session.scalar(select(Blob).where(Blob.sha256 == stored.sha256))
    if blob is None:
        row = {"sha256": stored.sha256, "size": stored.size, "stored_at": utcnow()}
        stmt = insert_ignoring_duplicates(session.get_bind().dialect.name, Blob.__table__, "sha256")
        new_id = session.execute(stmt.values(**row).returning(Blob.id)).scalar()
        if new_id is not None:
            audit.log_rows(session, "insert", "blob", [{"id": new_id, **row}])
        blob = session.scalar(select(Blob).where(Blob.sha256 == stored.sha256))
    assert blob is not None  # inserted just now, or by another seat at the same moment
    return blob


def blob_text(session: Session, blob: Blob, stored_path: Path, name: str,
              result: ReadResult | None = None) -> Extracted:
    """The text read from a blob, extracted once and kept in BlobText. `result`: the file
    already read (off the writer, before the transaction), else it is read here."""
    bt = session.get(BlobText, blob.id)
    if bt is None and result is None and deferred(stored_path, name):   # the backlog reads it later
        return Extracted(title=(PurePath(name).stem.strip() or name)[:500])
    if bt is None:
        result = result or read_result(stored_path, name)
        record_text(session, blob.id, result)
        return from_result(result)
    return Extracted(bt.title, bt.doc_number, bt.issue_date, bt.page_count, bt.text, bt.state, bt.reason)


def _folder_department(session: Session, folder: WatchedFolder | None,
                       relpath: str = "") -> tuple[int, str] | None:
    """The department a file's place in the share names (its nearest registered subfolder,
    else the share's own department: folders.department_for_path), as (id, name) for the
    suggestion; the same department the accepted item will carry."""
    dept_id = department_for_path(session, folder, relpath) if relpath else (
        folder.department_id if folder is not None else None)
    if dept_id is None:
        return None
    d = session.get(Department, dept_id)
    return (d.id, d.name) if d else None


def _same_source(folder_id: int | None, source_path: str, from_zip: str):
    return (
        (InboxEntry.watched_folder_id == folder_id)
        & (InboxEntry.source_path == source_path)
        & (InboxEntry.from_zip == from_zip)
    )


def record_file(
    session: Session,
    *,
    folder: WatchedFolder | None,
    relpath: str,
    source_path: str,
    stored: Stored,
    mtime: float,
    from_zip: str = "",
    ctx: SuggestContext | None = None,
    result: ReadResult | None = None,
) -> InboxEntry | None:
    """Record a stored file taken from `folder` (see the module docstring). Returns the
    inbox entry created or updated, or None when nothing new was seen."""
    fid = folder.id if folder else None
    blob = blob_for(session, stored)
    same = session.scalar(
        select(InboxEntry.id).where(_same_source(fid, source_path, from_zip), InboxEntry.blob_id == blob.id).limit(1)
    )
    if same is not None:
        return None
    # A placeholder for a file that kept failing is replaced by the real entry.
    for failed in session.scalars(
        select(InboxEntry).where(_same_source(fid, source_path, from_zip), InboxEntry.state == "failed",
                                 InboxEntry.blob_id.is_(None))
    ):
        session.delete(failed)
    name = PurePath(relpath).name
    ex = blob_text(session, blob, stored.path, name, result)
    now = utcnow()
    ctx = ctx or SuggestContext.load(session)
    facts = FileFacts(relpath=relpath, title=ex.title, text=ex.text, doc_number=ex.doc_number,
                      issue_date=ex.issue_date)
    sugg = suggest(facts, ctx, folder_department=_folder_department(session, folder, relpath))

    prev = session.scalar(
        select(InboxEntry).where(_same_source(fid, source_path, from_zip), InboxEntry.evidence_id.is_not(None))
        .order_by(InboxEntry.id.desc()).limit(1)
    )
    entry: InboxEntry | None = None
    evidence = session.get(Evidence, prev.evidence_id) if prev is not None else None
    if prev is not None and evidence is not None:
        current = session.scalar(
            select(EvidenceFile).where(EvidenceFile.evidence_id == evidence.id)
            .order_by(EvidenceFile.is_current.desc(), EvidenceFile.revision.desc()).limit(1)
        )
        revision = (session.scalar(
            select(func.max(EvidenceFile.revision)).where(EvidenceFile.evidence_id == evidence.id)
        ) or 0) + 1
        for f in session.scalars(select(EvidenceFile).where(EvidenceFile.evidence_id == evidence.id,
                                                            EvidenceFile.is_current.is_(True))):
            f.is_current = False
        session.add(EvidenceFile(
            evidence_id=evidence.id, blob_id=blob.id, original_name=name, source_path=source_path,
            source_mtime=_utc(mtime), revision=revision, replaces_id=current.id if current else None,
            is_current=True,
        ))
        evidence.updated_at = now
        sugg["revision"] = revision
        note = f"第 {revision} 版，替换第 {revision - 1} 版 (revision {revision} replaces {revision - 1})"
        sugg["reasons"].insert(0, f"同一文件的新版本：第 {revision} 版")
        if prev.state == "pending":
            entry = prev
            entry.blob_id, entry.size, entry.source_mtime = blob.id, stored.size, _utc(mtime)
            entry.reason, entry.detected_at = note, now
        else:
            entry = InboxEntry(watched_folder_id=fid, source_path=source_path, from_zip=from_zip,
                               size=stored.size, source_mtime=_utc(mtime), blob_id=blob.id,
                               evidence_id=evidence.id, state="pending", reason=note)
            session.add(entry)
    else:
        holder = session.scalar(
            select(EvidenceFile.evidence_id).where(EvidenceFile.blob_id == blob.id)
            .order_by(EvidenceFile.id).limit(1)
        )
        if holder is not None:
            title = session.scalar(select(Evidence.title).where(Evidence.id == holder))
            sugg["duplicate_of"] = holder
            sugg["reasons"].insert(0, f"与已存档的《{title}》（#{holder}）内容相同，未重复存储")
            entry = InboxEntry(
                watched_folder_id=fid, source_path=source_path, from_zip=from_zip, size=stored.size,
                source_mtime=_utc(mtime), blob_id=blob.id, evidence_id=holder, state="pending",
                reason=f"与 #{holder} 内容相同，未重复存储 (same content as evidence #{holder}; stored once)",
            )
            session.add(entry)
        else:
            evidence = Evidence(
                title=ex.title or PurePath(name).stem or name, doc_number=ex.doc_number[:100],
                issue_date=ex.issue_date, issuing_body=sugg.get("issuing_body") or "",
                department_id=department_for_path(session, folder, relpath), status="received",
            )
            session.add(evidence)
            session.flush()
            session.add(EvidenceFile(
                evidence_id=evidence.id, blob_id=blob.id, original_name=name,
                source_path=source_path, source_mtime=_utc(mtime),
            ))
            entry = InboxEntry(
                watched_folder_id=fid, source_path=source_path, from_zip=from_zip, size=stored.size,
                source_mtime=_utc(mtime), blob_id=blob.id, evidence_id=evidence.id, state="pending",
            )
            session.add(entry)
    entry.suggestion = json.dumps(sugg, ensure_ascii=False)
    entry.confidence = sugg["confidence"]
    session.flush()
    if folder is not None and folder.auto_accept and sugg["confidence"] >= AUTO_ACCEPT_MIN:
        _accept_one(session, entry, None, None, None)
        if ctx.ranker is not None and entry.evidence_id is not None:
            ctx.ranker.learn(_view_of(facts, sugg), [i["id"] for i in sugg.get("indicators", [])],
                             evidence_id=entry.evidence_id, title=sugg.get("title", ""))
    return entry


@dataclass
class NewFile:
    """A file taken from a watched folder and already in the store, ready to record.
    `relpath` and `source_path` in their readable form (storage.kernel.names); `result` the
    reading done before the transaction (None: deferred to the backlog, or already read)."""

    relpath: str
    source_path: str
    stored: Stored
    mtime: float
    result: ReadResult | None = None


def blob_ids_for(session: Session, stored: list[Stored]) -> dict[str, int]:
    """sha256 -> blob id for `stored`, adding the missing rows with one INSERT … ON CONFLICT DO
    NOTHING (sha order: two writers never deadlock) and their audit rows."""
    conn = session.connection()
    sizes = {st.sha256: st.size for st in stored}
    shas = sorted(sizes)
    ids: dict[str, int] = {}
    for i in range(0, len(shas), 500):
        ids.update(conn.execute(select(Blob.sha256, Blob.id).where(Blob.sha256.in_(shas[i:i + 500]))).all())
    now = utcnow()
    new = [{"sha256": sha, "size": sizes[sha], "stored_at": now} for sha in shas if sha not in ids]
    if new:
        stmt = insert_ignoring_duplicates(conn.dialect.name, Blob.__table__, "sha256")
        got = conn.execute(stmt.returning(Blob.id, Blob.sha256), new).all()
        mine = {sha: bid for bid, sha in got}
        ids.update(mine)
        raced = [b["sha256"] for b in new if b["sha256"] not in mine]
        if raced:  # another seat committed these meanwhile: use its rows
            ids.update(conn.execute(select(Blob.sha256, Blob.id).where(Blob.sha256.in_(raced))).all())
        audit.log_rows(session, "insert", "blob", [dict(b, id=mine[b["sha256"]]) for b in new
                                                    if b["sha256"] in mine])
    return ids


def record_new_files(
    session: Session, folder: WatchedFolder, files: list[NewFile], ctx: SuggestContext,
) -> tuple[list[int], list[NewFile]]:
    """Record a batch of files from one watched folder with a few multi-row INSERTs: each
    file at a path the inbox has never seen, with content no evidence holds yet, becomes a
    new evidence item and a pending inbox entry, exactly as `record_file` makes them (the
    same rows, the same audit entries, written as plain statements: the ORM's per-object
    flush cost about 10 ms a file). Returns (the new entries' ids, the files left for
    `record_file`: a known path (a revision, an unchanged file, a failure placeholder),
    content already held (a duplicate), the same content twice in the batch, a folder that
    accepts on its own)."""
    if folder.auto_accept or not files:
        return [], list(files)
    session.flush()
    conn = session.connection()
    blob_ids = blob_ids_for(session, [f.stored for f in files])
    seen_paths: set[str] = set()
    paths = sorted({f.source_path for f in files})
    for i in range(0, len(paths), 500):
        seen_paths.update(session.scalars(select(InboxEntry.source_path).where(
            InboxEntry.watched_folder_id == folder.id, InboxEntry.from_zip == "",
            InboxEntry.source_path.in_(paths[i:i + 500]))))
    held: set[int] = set()
    bids = sorted(set(blob_ids.values()))
    for i in range(0, len(bids), 500):
        held.update(session.scalars(select(EvidenceFile.blob_id).where(EvidenceFile.blob_id.in_(bids[i:i + 500]))))
    texts: dict[int, BlobText] = {}
    for i in range(0, len(bids), 500):
        texts.update((bt.blob_id, bt) for bt in session.scalars(
            select(BlobText).where(BlobText.blob_id.in_(bids[i:i + 500]))))
    fast: list[NewFile] = []
    rest: list[NewFile] = []
    claimed: set[int] = set()
    for f in files:
        bid = blob_ids[f.stored.sha256]
        if f.source_path in seen_paths or bid in held or bid in claimed:
            rest.append(f)
            continue
        claimed.add(bid)
        fast.append(f)
    if not fast:
        return [], rest
    now = utcnow()
    text_rows: list[dict] = []
    ev_rows: list[dict] = []
    pending: list[tuple[NewFile, dict, str]] = []
    for f in fast:
        bid = blob_ids[f.stored.sha256]
        name = PurePath(f.relpath).name
        bt = texts.get(bid)
        if bt is not None:
            ex = Extracted(bt.title, bt.doc_number, bt.issue_date, bt.page_count, bt.text, bt.state, bt.reason)
        elif f.result is not None:
            r = f.result
            text_rows.append({
                "blob_id": bid, "title": r.title, "doc_number": r.doc_number[:100], "issue_date": r.issue_date,
                "page_count": r.page_count, "text": r.text, "extracted_at": now, "state": state_of(r),
                "reason": r.refusal, "ocr_pages": ",".join(map(str, r.ocr_pages)),
            })
            ex = from_result(r)
        else:   # deferred to the reading backlog
            ex = Extracted(title=(PurePath(name).stem.strip() or name)[:500])
        facts = FileFacts(relpath=f.relpath, title=ex.title, text=ex.text, doc_number=ex.doc_number,
                          issue_date=ex.issue_date)
        sugg = suggest(facts, ctx, folder_department=_folder_department(session, folder, f.relpath))
        ev_rows.append({
            "title": ex.title or PurePath(name).stem or name, "doc_number": ex.doc_number[:100],
            "issue_date": ex.issue_date, "issuing_body": sugg.get("issuing_body") or "",
            "department_id": department_for_path(session, folder, f.relpath), "status": "received",
            "notes": "", "created_at": now, "updated_at": now, "version": 1,
        })
        pending.append((f, sugg, name))
    if text_rows:
        conn.execute(insert(BlobText), text_rows)
        audit.log_rows(session, "insert", "blob_text", [dict(r, id=r["blob_id"]) for r in text_rows])
    ev_ids = conn.execute(insert(Evidence).returning(Evidence.id, sort_by_parameter_order=True),
                          ev_rows).scalars().all()
    audit.log_rows(session, "insert", "evidence", [dict(r, id=i) for r, i in zip(ev_rows, ev_ids, strict=True)])
    file_rows = [{
        "evidence_id": eid, "blob_id": blob_ids[f.stored.sha256], "original_name": name,
        "source_path": f.source_path, "source_mtime": _utc(f.mtime), "revision": 1, "is_current": True,
        "added_at": now,
    } for eid, (f, _sugg, name) in zip(ev_ids, pending, strict=True)]
    file_ids = conn.execute(insert(EvidenceFile).returning(EvidenceFile.id, sort_by_parameter_order=True),
                            file_rows).scalars().all()
    audit.log_rows(session, "insert", "evidence_file",
                   [dict(r, id=i) for r, i in zip(file_rows, file_ids, strict=True)])
    entry_rows = [{
        "watched_folder_id": folder.id, "source_path": f.source_path, "from_zip": "", "size": f.stored.size,
        "source_mtime": _utc(f.mtime), "blob_id": blob_ids[f.stored.sha256], "evidence_id": eid,
        "state": "pending", "attempts": 0, "reason": "", "suggestion": json.dumps(sugg, ensure_ascii=False),
        "confidence": sugg["confidence"], "detected_at": now,
    } for eid, (f, sugg, _name) in zip(ev_ids, pending, strict=True)]
    entry_ids = conn.execute(insert(InboxEntry).returning(InboxEntry.id, sort_by_parameter_order=True),
                             entry_rows).scalars().all()
    audit.log_rows(session, "insert", "inbox_entry",
                   [dict(r, id=i) for r, i in zip(entry_rows, entry_ids, strict=True)])
    return list(entry_ids), rest


def _view_of(facts: FileFacts, sugg: dict) -> TextView:
    """The text view an accepted file teaches (as `storage.watch.suggest` builds it)."""
    stem = PurePath(facts.relpath).stem
    meta = read_docmeta(facts.text)
    return TextView(name="" if meaningless_name(stem) else stem, title=sugg.get("title", ""),
                    doc_number=sugg.get("doc_number", ""), issuer=sugg.get("issuing_body", ""),
                    body=meta.body if meta.title else facts.text)


def refresh_pending(session: Session, ctx: SuggestContext | None = None) -> int:
    """Suggest again for every pending entry, with what the clerk has filed so far: an
    acceptance or a correction changes the next suggestions at once. Returns how many
    entries were refreshed. Reasons the watcher added (a new revision, a duplicate) stay."""
    pending = list(session.scalars(
        select(InboxEntry).where(InboxEntry.state == "pending", InboxEntry.blob_id.is_not(None))
    ))
    if not pending:
        return 0
    ctx = ctx or SuggestContext.load(session)
    folders = {f.id: f for f in session.scalars(select(WatchedFolder))}
    n = 0
    for e in pending:
        bt = session.get(BlobText, e.blob_id)
        folder = folders.get(e.watched_folder_id) if e.watched_folder_id else None
        root = folder.path if folder else ""
        if e.from_zip:
            relpath = f"{relpath_of(root, e.from_zip) or PurePath(e.from_zip).name}/{e.source_path}"
        else:
            relpath = relpath_of(root, e.source_path) or PurePath(e.source_path).name
        facts = FileFacts(relpath=relpath, title=bt.title if bt else "", text=bt.text if bt else "",
                          doc_number=bt.doc_number if bt else "", issue_date=bt.issue_date if bt else None)
        old = _suggestion(e)
        new = suggest(facts, ctx, folder_department=_folder_department(session, folder, relpath))
        for key in ("duplicate_of", "revision"):
            if key in old:
                new[key] = old[key]
                if old.get("reasons"):
                    new["reasons"].insert(0, old["reasons"][0])
        e.suggestion = json.dumps(new, ensure_ascii=False)
        e.confidence = new["confidence"]
        n += 1
    session.flush()
    return n


def record_failure(
    session: Session, *, folder: WatchedFolder | None, source_path: str, reason: str, attempts: int,
    size: int | None = None, mtime: float | None = None, from_zip: str = "", blob_id: int | None = None,
) -> InboxEntry:
    """Show a file that keeps failing (locked, unreadable, a .rar) in the inbox, with why."""
    fid = folder.id if folder else None
    entry = session.scalar(
        select(InboxEntry).where(_same_source(fid, source_path, from_zip), InboxEntry.state == "failed")
        .order_by(InboxEntry.id.desc()).limit(1)
    )
    if entry is None:
        entry = InboxEntry(watched_folder_id=fid, source_path=source_path, from_zip=from_zip, state="failed")
        session.add(entry)
    entry.reason, entry.attempts, entry.size = reason, attempts, size
    entry.source_mtime = _utc(mtime) if mtime else None
    entry.blob_id = blob_id
    entry.suggestion = entry.suggestion or json.dumps(
        suggest(FileFacts(relpath=PurePath(source_path).name), SuggestContext(),
                folder_department=_folder_department(
                    session, folder, (relpath_of(folder.path, source_path) or "") if folder else "")),
        ensure_ascii=False)
    session.flush()
    return entry


def forget_failure(session: Session, *, folder_id: int | None, source_path: str) -> int:
    """A file that vanished before it was taken leaves no trace: drop its failure entry."""
    n = 0
    for e in session.scalars(select(InboxEntry).where(
        _same_source(folder_id, source_path, ""), InboxEntry.state == "failed", InboxEntry.blob_id.is_(None)
    )):
        session.delete(e)
        n += 1
    return n


# --- the clerk's side -----------------------------------------------------------------------


def _suggestion(entry: InboxEntry) -> dict:
    try:
        data = json.loads(entry.suggestion or "{}")
        return data if isinstance(data, dict) else {}
    except ValueError:
        return {}


def first_suggested(suggestion: dict) -> int | None:
    """The indicator id the inbox put first for a file (what Enter accepts), or None when
    it suggested none (无把握 everywhere)."""
    for key in ("indicators", "top"):
        for i in suggestion.get(key) or []:
            if isinstance(i, dict) and i.get("id") is not None and (
                    key == "indicators" or i.get("certainty") != "无把握"):
                return int(i["id"])
    return None


def _accept_one(
    session: Session, entry: InboxEntry, dept_id: int | None, indicator_ids: list[int] | None,
    duty_ids: list[int] | None,
) -> None:
    s = _suggestion(entry)
    if entry.evidence_id is None:
        if entry.blob_id is None:
            raise BadInput(
                f"收件 #{entry.id} 尚未成功读取文件，不能接受：{entry.reason}",
                f"inbox entry #{entry.id} has no stored file yet and cannot be accepted",
            )
        name = PurePath(entry.source_path).name
        new = Evidence(title=PurePath(name).stem or name, status="received")
        session.add(new)
        session.flush()
        session.add(EvidenceFile(evidence_id=new.id, blob_id=entry.blob_id, original_name=name,
                                 source_path=entry.source_path, source_mtime=entry.source_mtime))
        entry.evidence_id = new.id
    ev = session.get(Evidence, entry.evidence_id)
    if ev is None:
        raise BadInput(f"收件 #{entry.id} 对应的材料已不存在", f"inbox entry #{entry.id}: its evidence is gone")
    dept = dept_id if dept_id is not None else s.get("department_id")
    if dept is not None and (dept_id is not None or ev.department_id is None):
        ev.department_id = dept
    stem = PurePath(entry.source_path.replace("\\", "/")).stem
    if s.get("title") and ev.title in ("", stem) and s["title"] != stem:
        # the title read from the page (a 红头's title line), not 附件1: what the clerk saw in
        # the inbox, and what the file teaches the suggestions for the files still waiting
        ev.title = str(s["title"])[:500]
    if not ev.doc_number and s.get("doc_number"):
        ev.doc_number = s["doc_number"][:100]
    if not ev.issuing_body and s.get("issuing_body"):
        ev.issuing_body = s["issuing_body"][:200]
    if ev.issuing_department_id is None and s.get("issuing_department_id"):
        ev.issuing_department_id = s["issuing_department_id"]
    if ev.issue_date is None and s.get("issue_date"):
        try:
            ev.issue_date = dt.date.fromisoformat(s["issue_date"])
        except ValueError:
            pass
    ev.trashed_at = None
    ids = indicator_ids if indicator_ids is not None else [i["id"] for i in s.get("indicators", [])]
    for iid in ids:
        link_indicator(session, ev.id, iid)
    dids = duty_ids if duty_ids is not None else [
        d["id"] for d in s.get("duties", []) if d.get("confidence", 0) >= 0.25]
    for did in dids:
        if session.get(Duty, did) is not None and session.get(EvidenceDuty, (ev.id, did)) is None:
            session.add(EvidenceDuty(evidence_id=ev.id, duty_id=did))
    first = first_suggested(s)
    if first is not None:  # for the weekly acceptance rate (storage.catalogue.activity)
        s["decision"] = {"as": "suggested" if first in ids else "corrected",
                         "at": utcnow().isoformat(timespec="seconds"), "indicator_ids": list(ids)}
        entry.suggestion = json.dumps(s, ensure_ascii=False)
    entry.state = "accepted"
    session.flush()


def accept(
    session: Session,
    entry_ids: Iterable[int],
    *,
    department: str | None = None,
    indicator_codes: Iterable[str] | None = None,
    duty_ids: Iterable[int] | None = None,
) -> list[int]:
    """Accept inbox entries: link each file's evidence to the given department, indicators
    and duties, or to the suggested ones where none are given. Returns the evidence ids.
    Raises BadInput (nothing changed) for an unknown id or code."""
    entries = _entries(session, entry_ids)
    dept_id = get_or_create_department(session, department).id if department else None
    ind_ids = [indicator_by_code(session, c) for c in indicator_codes] if indicator_codes is not None else None
    duties = list(duty_ids) if duty_ids is not None else None
    for d in duties or []:
        if session.get(Duty, d) is None:
            raise BadInput(f"找不到任务 #{d}", f"no duty #{d}")
    out: list[int] = []
    for e in entries:
        if e.state == "accepted" and department is None and ind_ids is None and duties is None:
            if e.evidence_id is not None:
                out.append(e.evidence_id)
            continue
        _accept_one(session, e, dept_id, ind_ids, duties)
        if e.evidence_id is not None:
            out.append(e.evidence_id)
    refresh_pending(session)    # each acceptance is an example for the files still waiting
    return out


def ignore(session: Session, entry_ids: Iterable[int]) -> list[int]:
    """Ignore inbox entries. An evidence item only this inbox brought in goes to the trash
    state (its files stay in the store); one that also came another way is left alone."""
    entries = _entries(session, entry_ids)
    for e in entries:
        e.state = "ignored"
    session.flush()
    for e in entries:
        if e.evidence_id is None or _suggestion(e).get("duplicate_of"):
            continue
        others = session.scalar(
            select(func.count()).select_from(InboxEntry).where(
                InboxEntry.evidence_id == e.evidence_id, InboxEntry.state != "ignored")
        )
        ev = session.get(Evidence, e.evidence_id)
        if not others and ev is not None and ev.trashed_at is None:
            ev.trashed_at = utcnow()
    session.flush()
    return [e.id for e in entries]


def _entries(session: Session, ids: Iterable[int]) -> list[InboxEntry]:
    out = []
    for i in ids:
        e = session.get(InboxEntry, int(i))
        if e is None:
            raise BadInput(f"找不到收件 #{i}", f"no inbox entry #{i}")
        out.append(e)
    return out


def list_inbox(
    session: Session, state: str | None = "pending", limit: int = 1000, ids: list[int] | None = None
) -> list[InboxItem]:
    """Inbox entries, oldest first (state None: every state; `ids`: just these)."""
    q = (
        select(InboxEntry, WatchedFolder.path, Department.name, BlobText.state)
        .outerjoin(WatchedFolder, WatchedFolder.id == InboxEntry.watched_folder_id)
        .outerjoin(Department, Department.id == WatchedFolder.department_id)
        .outerjoin(BlobText, BlobText.blob_id == InboxEntry.blob_id)
        .order_by(InboxEntry.id)
        .limit(limit)
    )
    if state:
        q = q.where(InboxEntry.state == state)
    if ids is not None:
        q = q.where(InboxEntry.id.in_(ids))
    out = []
    for e, folder, dept, read_state in session.execute(q):
        out.append(InboxItem(
            id=e.id, state=e.state, source_path=e.source_path, from_zip=e.from_zip or "",
            name=PurePath(e.source_path.replace("\\", "/")).name, folder=folder or "",
            folder_department=dept or "", size=e.size, detected_at=e.detected_at,
            evidence_id=e.evidence_id, attempts=e.attempts, reason=e.reason or "",
            confidence=float(e.confidence) if e.confidence is not None else None,
            suggestion=_suggestion(e), read_state=read_state or "",
        ))
    return out


def evidence_departments(session: Session, evidence_id: int) -> list[str]:
    """Every department an evidence item is attributed to: its own, plus the department of
    each watched folder that delivered the same content (the schema has one department
    column per evidence; the inbox remembers the others)."""
    names: list[str] = []
    ev = session.get(Evidence, evidence_id)
    dept = session.get(Department, ev.department_id) if ev is not None and ev.department_id else None
    if dept is not None:
        names.append(dept.name)
    for (name,) in session.execute(
        select(Department.name)
        .join(WatchedFolder, WatchedFolder.department_id == Department.id)
        .join(InboxEntry, InboxEntry.watched_folder_id == WatchedFolder.id)
        .where(InboxEntry.evidence_id == evidence_id, InboxEntry.state != "ignored")
        .order_by(InboxEntry.id)
    ):
        if name not in names:
            names.append(name)
    return names


# --- added for the window (issue 6): accept to a chosen place, folder health ------------


def accept_to(
    session: Session,
    entry_ids: Iterable[int],
    *,
    indicator_ids: Iterable[int] | None = None,
    duty_ids: Iterable[int] | None = None,
    department: str | None = None,
) -> list[int]:
    """Accept inbox entries to what the clerk picked instead of the suggestion: indicators
    by id (indicators need not have a code), duties by id. A duty brings its indicator
    along when no indicator is given. None keeps the suggestion for that part. Returns the
    evidence ids; raises BadInput (nothing changed) for an unknown id."""

    entries = _entries(session, entry_ids)
    inds = list(dict.fromkeys(int(i) for i in indicator_ids)) if indicator_ids is not None else None
    duties = list(dict.fromkeys(int(d) for d in duty_ids)) if duty_ids is not None else None
    for iid in inds or []:
        if session.get(Indicator, iid) is None:
            raise BadInput(f"找不到指标 #{iid}", f"no indicator #{iid}")
    duty_inds = []
    for did in duties or []:
        d = session.get(Duty, did)
        if d is None:
            raise BadInput(f"找不到任务 #{did}", f"no duty #{did}")
        if d.indicator_id is not None:
            duty_inds.append(d.indicator_id)
    if inds is None and duties:
        inds = list(dict.fromkeys(duty_inds))
    dept_id = get_or_create_department(session, department).id if department else None
    out = []
    for e in entries:
        _accept_one(session, e, dept_id, inds, duties if duties is not None else ([] if inds is not None else None))
        if e.evidence_id is not None:
            out.append(e.evidence_id)
    refresh_pending(session)    # each acceptance is an example for the files still waiting
    return out


def waiting(session: Session, limit: int = 5000) -> list[InboxItem]:
    """What the clerk still has to look at: pending entries, then failed ones, oldest first."""
    return list_inbox(session, "pending", limit) + list_inbox(session, "failed", limit)


def waiting_count(session: Session) -> int:
    return int(session.scalar(
        select(func.count()).select_from(InboxEntry).where(InboxEntry.state.in_(("pending", "failed")))
    ) or 0)


def folder_health(session: Session):
    """Every watched folder with its last full scan, reachability and pending count (as
    the watcher last recorded them; the window overlays what the running watcher says)."""

    pending = dict(session.execute(
        select(InboxEntry.watched_folder_id, func.count())
        .where(InboxEntry.state.in_(("pending", "failed")))
        .group_by(InboxEntry.watched_folder_id)
    ).all())
    return [
        FolderHealth(
            id=f.id, path=f.path, department=f.department, online=f.online, mode=f.mode,
            message=f.last_error, last_full_scan=f.last_full_scan, pending=int(pending.get(f.id, 0)),
            network=f.network, enabled=f.enabled,
        )
        for f in list_folders(session)
    ]
