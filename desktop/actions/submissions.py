"""Sealed submissions: compare one with the archive now, and write one again byte for byte.

The window's 已封存的提交 dialog calls these; they are the steps `evidence-desk submission
diff N` and `submission export N OUTDIR [--zip]` take (desktop/cli/submission.py), in the
same order over the same storage and exporter functions:

- `diff_submission`: read the seal (`sealed_manifest`), plan the bundle the archive would
  give now with the seal's export date, path budget, documents and framework
  (`prepared_bundle` + `plan_rows`), then `submission_diff`.
- `reexport_submission`: the seal's plan (`plan_from_manifest`) written by the same writer
  (`write_folder` / `write_zip`) with the seal's export date, then the bundle's fingerprint
  compared with the one sealed. Cancel: the writers remove their partial output and raise
  `Cancelled`, so nothing is left at the target.

Qt-free and argparse-free; each opens its own read sessions.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.actions.export import bundle_fingerprint, prepared_bundle, zip_target
from exporters.bundle import plan_from_manifest, plan_rows, write_folder, write_zip
from storage.bundle.submissions import SubmissionDiff, framework_of, sealed_manifest, submission_diff
from storage.core.archive import Archive
from storage.kernel.progress import ProgressFn, never_cancel, no_progress
from storage.readmodels import SubmissionSummary


@dataclass(frozen=True)
class ReexportResult:
    """What a re-export wrote and whether it is the sealed bundle byte for byte
    (`identical` is None when the format differs from the seal's: folder vs zip)."""

    submission: SubmissionSummary
    bundle: str
    as_zip: bool
    export_date: dt.date
    files: int
    bytes: int
    bundle_sha256: str
    identical: bool | None

    def as_dict(self) -> dict[str, Any]:
        return {"submission": self.submission.id, "bundle": self.bundle, "zip": self.as_zip,
                "export_date": self.export_date.isoformat(), "files": self.files, "bytes": self.bytes,
                "bundle_sha256": self.bundle_sha256, "identical": self.identical}


def diff_submission(*, archive: Archive, number: int | str) -> tuple[SubmissionSummary, SubmissionDiff]:
    """The archive now against sealed submission `number` (see the module docstring)."""
    with archive.sessions.read() as s:
        summary, manifest = sealed_manifest(s, number)
        fid = framework_of(s, summary.id)
    with prepared_bundle(archive, dt.date.fromisoformat(manifest["export_date"]),
                         path_budget=int(manifest["path_budget"]),
                         documents=bool(manifest.get("generated")), framework_id=fid) as prep:
        rows = plan_rows(prep.plan)
    with archive.sessions.read() as s:
        return summary, submission_diff(s, summary.id, rows)


def reexport_submission(*, archive: Archive, number: int | str, target: str | Path, as_zip: bool,
                        progress: ProgressFn = no_progress,
                        cancel: Callable[[], bool] = never_cancel) -> ReexportResult:
    """Write sealed submission `number` again to `target` (a new folder, or a .zip: ".zip"
    is added when missing), byte for byte (see the module docstring)."""
    out = zip_target(target) if as_zip else Path(target)
    with archive.sessions.read() as s:
        summary, manifest = sealed_manifest(s, number)
    plan = plan_from_manifest(manifest)
    date = dt.date.fromisoformat(manifest["export_date"])
    writer = write_zip if as_zip else write_folder
    result = writer(plan, out, archive.files.path_for, export_date=date, progress=progress, cancel=cancel)
    fingerprint = bundle_fingerprint(result.path, as_zip)
    identical = fingerprint == summary.bundle_sha256 if as_zip == summary.as_zip else None
    return ReexportResult(summary, str(result.path), as_zip, date, result.files, result.bytes, fingerprint,
                          identical)


__all__ = ["ReexportResult", "diff_submission", "reexport_submission"]
