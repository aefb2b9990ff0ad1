"""Sealed submissions (`export --seal`): exactly what was handed in, kept in the archive.

A seal stores, in one transaction after the bundle was written:
- a `submission` row: when (UTC), by whom (the OS user), the framework, a note, and as
  `manifest` the JSON of everything needed to write the same bundle again byte for byte
  (export date, path budget, folders, every file in bundle order with path, SHA-256, size,
  indicator, evidence id and original name; the zip's SHA-256 when it was a zip), plus a
  snapshot of each evidence item's metadata and of the self-scores, for `diff`;
- a `submission_file` row per file pointing at its blob; the generated documents (申报表 …)
  are stored in the file store like any evidence file (same protocol: copy, fsync, hash,
  rename, then the rows) with `evidence_id` NULL.

Later edits change nothing of it: the blobs are never modified, `purge` keeps any blob a
submission uses, and the manifest is written once. `submission_diff` compares the archive
now with a seal; re-export is `exporters.bundle.plan_from_manifest` + the writers.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.bundle.assessments import self_score_sheet, snapshot
from storage.bundle.sources import evidence_meta
from storage.core.archive import Archive
from storage.core.audit import current_user, log_action
from storage.kernel.errors import BadInput
from storage.models import Blob, Submission, SubmissionFile
from storage.readmodels import SubmissionSummary

FORMAT = "evidence-desk-submission"
VERSION = 1
FILE_KEYS = ("path", "sha256", "size", "indicator", "evidence_id", "original_name")
META_FIELDS = ("title", "doc_number", "issue_date", "issuing_body", "status")


def _evidence_snapshot(session: Session, ids: Sequence[int]) -> dict[str, dict[str, Any]]:
    meta = evidence_meta(session, sorted(set(ids)))
    return {
        str(eid): {k: (getattr(m, k).isoformat() if isinstance(getattr(m, k), dt.date) else getattr(m, k))
                   for k in META_FIELDS}
        for eid, m in sorted(meta.items())
    }


def _store_documents(archive: Archive, documents: Sequence[tuple[str, bytes]]) -> dict[str, int]:
    """Put the generated documents into the file store; returns sha256 → size."""
    out: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="evidence-desk-seal-") as tmp:
        for n, (_name, data) in enumerate(documents):
            path = Path(tmp) / f"doc{n}"
            path.write_bytes(data)
            stored = archive.files.store(path)
            if stored.sha256 != hashlib.sha256(data).hexdigest():  # pragma: no cover - store checks
                raise OSError(f"stored document hash mismatch: {_name}")
            out[stored.sha256] = stored.size
    archive.files.sync()
    return out


def seal_submission(
    archive: Archive,
    *,
    framework_id: int | None,
    framework_name: str,
    export_date: dt.date,
    path_budget: int,
    folders: Sequence[str],
    files: Sequence[Mapping[str, Any]],
    documents: Sequence[tuple[str, bytes]],
    as_zip: bool,
    bundle_path: str = "",
    bundle_sha256: str = "",
    note: str = "",
    user: str | None = None,
) -> SubmissionSummary:
    """Seal what was just written. `files`: every file of the bundle in bundle order (dicts
    with FILE_KEYS); `documents`: the generated ones as (bundle path, bytes), whose bytes
    go into the file store."""
    doc_sizes = _store_documents(archive, documents)
    rows = [{k: f[k] for k in FILE_KEYS} for f in files]
    with archive.sessions.write() as s:
        for sha, size in doc_sizes.items():
            if s.scalar(select(Blob.id).where(Blob.sha256 == sha)) is None:
                s.add(Blob(sha256=sha, size=size))
        s.flush()
        shas = sorted({r["sha256"] for r in rows})
        blob_ids: dict[str, int] = {}
        for n in range(0, len(shas), 900):
            blob_ids.update(dict(s.execute(
                select(Blob.sha256, Blob.id).where(Blob.sha256.in_(shas[n:n + 900]))).all()))
        missing = [r["path"] for r in rows if r["sha256"] not in blob_ids]
        if missing:
            raise BadInput(f"档案库中没有这些文件的记录，无法封存：{'；'.join(missing[:3])}",
                           f"files not recorded in the archive, cannot seal: {missing[:3]}")
        evidence_ids = [r["evidence_id"] for r in rows if r["evidence_id"] is not None]
        manifest = {
            "format": FORMAT, "version": VERSION,
            "framework": framework_name, "export_date": export_date.isoformat(),
            "path_budget": path_budget, "as_zip": as_zip, "bundle": bundle_path,
            "bundle_sha256": bundle_sha256, "folders": list(folders), "files": rows,
            "generated": [p for p, _ in documents],
            "evidence": _evidence_snapshot(s, evidence_ids),
            "scores": snapshot(self_score_sheet(s, framework_id)),
        }
        sub = Submission(user=user or current_user(), framework_id=framework_id, note=note,
                         manifest=json.dumps(manifest, ensure_ascii=False, sort_keys=True))
        s.add(sub)
        s.flush()
        s.add_all(SubmissionFile(submission_id=sub.id, bundle_path=r["path"], blob_id=blob_ids[r["sha256"]],
                                 evidence_id=r["evidence_id"]) for r in rows)
        log_action(s, "seal", "submission", str(sub.id),
                   {"files": len(rows), "generated": len(documents), "export_date": export_date.isoformat(),
                    "bundle": bundle_path, "bundle_sha256": bundle_sha256})
        s.flush()
        return _summary(sub, manifest)


def _summary(sub: Submission, manifest: Mapping[str, Any]) -> SubmissionSummary:
    files = manifest.get("files", [])
    export_date = manifest.get("export_date")
    return SubmissionSummary(
        id=sub.id, sealed_at=sub.sealed_at, user=sub.user, framework_name=manifest.get("framework", ""),
        export_date=dt.date.fromisoformat(export_date) if export_date else None,
        as_zip=bool(manifest.get("as_zip")), files=len(files),
        generated=len(manifest.get("generated", [])), bytes=sum(int(f["size"]) for f in files),
        bundle_sha256=manifest.get("bundle_sha256", ""), note=sub.note or "",
    )


def _load(session: Session, submission_id: int | str) -> tuple[Submission, dict[str, Any]]:
    try:
        sid = int(submission_id)
    except (TypeError, ValueError):
        raise BadInput(f"提交编号应为数字：{submission_id}", f"a submission number: {submission_id}") from None
    sub = session.get(Submission, sid)
    if sub is None:
        raise BadInput(f"没有第 {sid} 次封存的提交（用 submission list 查看）",
                       f"no sealed submission {sid} (see submission list)")
    return sub, json.loads(sub.manifest)


def list_submissions(session: Session) -> list[SubmissionSummary]:
    subs = session.scalars(select(Submission).order_by(Submission.id)).all()
    return [_summary(sub, json.loads(sub.manifest or "{}")) for sub in subs]


def sealed_manifest(session: Session, submission_id: int | str) -> tuple[SubmissionSummary, dict[str, Any]]:
    """The seal's summary and its manifest (files in bundle order, export date, budget …),
    after checking that its file rows still point at the same contents."""
    sub, manifest = _load(session, submission_id)
    stored = dict(session.execute(
        select(SubmissionFile.bundle_path, Blob.sha256).join(Blob, Blob.id == SubmissionFile.blob_id)
        .where(SubmissionFile.submission_id == sub.id)).all())
    for f in manifest["files"]:
        if stored.get(f["path"]) != f["sha256"]:
            raise BadInput(f"第 {sub.id} 次提交的记录不一致：{f['path']}",
                           f"submission {sub.id} is inconsistent at {f['path']}")
    return _summary(sub, manifest), manifest


@dataclass
class SubmissionDiff:
    """The archive now against a sealed submission."""

    submission: int
    added: list[dict[str, Any]] = field(default_factory=list)      # files now, not sealed
    removed: list[dict[str, Any]] = field(default_factory=list)    # sealed, not now
    changed: list[dict[str, Any]] = field(default_factory=list)    # same file, other content
    moved: list[dict[str, Any]] = field(default_factory=list)      # same content, other path
    metadata: list[dict[str, Any]] = field(default_factory=list)   # evidence fields changed
    scores: list[dict[str, Any]] = field(default_factory=list)     # self-assessment changed

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved or self.metadata
                    or self.scores)

    def as_dict(self) -> dict[str, Any]:
        return {"submission": self.submission, "same": self.same, "added": self.added,
                "removed": self.removed, "changed": self.changed, "moved": self.moved,
                "metadata": self.metadata, "scores": self.scores}


def _key(f: Mapping[str, Any]) -> tuple:
    if f.get("evidence_id") is None:
        return ("generated", f["path"])
    return ("evidence", f["indicator"], int(f["evidence_id"]), f["original_name"])


def submission_diff(session: Session, submission_id: int | str,
                    current_files: Iterable[Mapping[str, Any]]) -> SubmissionDiff:
    """Compare `current_files` (the bundle the archive would give now, planned with the
    seal's export date and path budget) and the archive's evidence metadata and self-scores
    with the sealed submission."""
    sub, manifest = _load(session, submission_id)
    diff = SubmissionDiff(sub.id)
    sealed = {_key(f): f for f in manifest["files"]}
    now = {_key(f): dict(f) for f in current_files}
    brief = ("path", "sha256", "size", "evidence_id", "indicator")
    for k in sorted(now.keys() - sealed.keys(), key=str):
        diff.added.append({x: now[k][x] for x in brief})
    for k in sorted(sealed.keys() - now.keys(), key=str):
        diff.removed.append({x: sealed[k][x] for x in brief})
    for k in sorted(now.keys() & sealed.keys(), key=str):
        a, b = sealed[k], now[k]
        if a["sha256"] != b["sha256"]:
            diff.changed.append({"path": b["path"], "sealed_path": a["path"], "evidence_id": b["evidence_id"],
                                 "sealed_sha256": a["sha256"], "sha256": b["sha256"]})
        elif a["path"] != b["path"]:
            diff.moved.append({"sealed_path": a["path"], "path": b["path"], "evidence_id": b["evidence_id"],
                               "sha256": b["sha256"]})
    then = manifest.get("evidence", {})
    current = _evidence_snapshot(session, [int(e) for e in then])
    for eid, old in sorted(then.items(), key=lambda kv: int(kv[0])):
        new = current.get(eid)
        if new is None:
            diff.metadata.append({"evidence_id": int(eid), "field": "deleted", "sealed": old.get("title"),
                                  "now": None})
            continue
        for fld in META_FIELDS:
            if old.get(fld) != new.get(fld):
                diff.metadata.append({"evidence_id": int(eid), "field": fld, "sealed": old.get(fld),
                                      "now": new.get(fld)})
    scores_then = manifest.get("scores", {})
    scores_now = snapshot(self_score_sheet(session, sub.framework_id)) if sub.framework_id else {}
    for code in sorted(set(scores_then) | set(scores_now)):
        a, b = scores_then.get(code, {}), scores_now.get(code, {})
        for fld in sorted(set(a) | set(b)):
            if a.get(fld) != b.get(fld):
                diff.scores.append({"indicator": code, "field": fld, "sealed": a.get(fld), "now": b.get(fld)})
    return diff


def framework_of(session: Session, submission_id: int | str) -> int | None:
    sub, _ = _load(session, submission_id)
    return sub.framework_id


__all__ = ["FILE_KEYS", "SubmissionDiff", "framework_of", "list_submissions", "seal_submission",
           "sealed_manifest", "submission_diff"]
