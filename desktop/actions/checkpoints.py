"""Self-assessment checkpoints (自查, issue 16 item 4): take one, list them, compare two.

`take_checkpoint` runs the preflight of the current framework (desktop.actions.preflight,
the same checklist the export dialog shows) and records its findings with the self-scores
and the coverage in one write transaction; `diff_checkpoints` compares two checkpoints, or
a checkpoint and a sealed submission (`submission:N`). The window and `evidence-desk
checkpoint` call these. Qt-free and argparse-free.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from desktop.actions.preflight import run_preflight
from storage.catalogue.queries import current_framework_id
from storage.core.archive import Archive
from storage.kernel.errors import BadInput
from storage.readmodels.review import CheckpointChange, CheckpointSummary, IndicatorRef
from storage.review import checkpoints


@dataclass(frozen=True)
class CheckpointDiff:
    """Two snapshots compared: what changed per indicator and what is still missing."""

    before: str
    after: str
    changes: tuple[CheckpointChange, ...]
    still_missing: tuple[IndicatorRef, ...]

    @property
    def improved(self) -> tuple[CheckpointChange, ...]:
        return tuple(c for c in self.changes if c.improved is True)

    @property
    def worse(self) -> tuple[CheckpointChange, ...]:
        return tuple(c for c in self.changes if c.improved is False)

    def as_dict(self) -> dict[str, Any]:
        def ref(r: IndicatorRef) -> dict[str, Any]:
            return {"id": r.id, "code": r.code, "title": r.title}

        return {
            "before": self.before, "after": self.after,
            "changes": [{"indicator": ref(c.indicator), "what": c.what, "before": c.before,
                         "after": c.after, "improved": c.improved} for c in self.changes],
            "improved": len(self.improved), "worse": len(self.worse),
            "still_missing": [ref(r) for r in self.still_missing],
        }


def take_checkpoint(*, archive: Archive, note: str = "", today: dt.date | None = None) -> CheckpointSummary:
    """Record a checkpoint of the current framework: self-scores, coverage and the preflight
    findings on `today`."""
    with archive.sessions.read() as s:
        fid = current_framework_id(s)
    if fid is None:
        raise BadInput("档案库中还没有指标体系，无法自查（请先导入指标体系）",
                       "no framework in the archive yet: import one before taking a checkpoint")
    report = run_preflight(archive, today or dt.date.today())
    with archive.sessions.write() as s:
        return checkpoints.take_checkpoint(s, note=note, framework_id=fid, findings=report.items)


def list_checkpoints(*, archive: Archive, all_frameworks: bool = False) -> list[CheckpointSummary]:
    """The checkpoints of the current framework (of every framework with `all_frameworks`)."""
    with archive.sessions.read() as s:
        fid = None if all_frameworks else current_framework_id(s)
        return checkpoints.list_checkpoints(s, fid)


def diff_checkpoints(*, archive: Archive, before: str, after: str) -> CheckpointDiff:
    """Compare `before` with `after`: checkpoint ids, or `submission:N` for a sealed submission."""
    with archive.sessions.read() as s:
        la, lb, changes, missing = checkpoints.diff_checkpoints(s, before, after)
    return CheckpointDiff(la, lb, tuple(changes), tuple(missing))


__all__ = ["CheckpointDiff", "diff_checkpoints", "list_checkpoints", "take_checkpoint"]
