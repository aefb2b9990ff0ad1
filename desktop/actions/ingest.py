"""Store files and place them in one step: what a drop on an indicator or a duty does in the
window, and `evidence-desk ingest PATH --indicator CODE --duty ID` on the command line.

A duty's files go to the duty and to the duty's indicator. The ingest itself commits file by
file (storage.catalogue.ingest); the links are one more write transaction over the stored
items, so a cancel keeps what was stored and links what was stored.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from storage.catalogue.ingest import IngestReport, ingest_paths
from storage.catalogue.links import link_evidence, link_evidence_to_duty
from storage.core.archive import Archive
from storage.kernel.errors import BadInput
from storage.kernel.progress import ProgressFn, never_cancel, no_progress
from storage.models import Duty, Indicator


def ingest_and_link(*, archive: Archive, paths: Iterable[str | os.PathLike[str]],
                    indicator_id: int | None = None, indicator_code: str | None = None,
                    duty_id: int | None = None, department: str | None = None,
                    progress: ProgressFn = no_progress,
                    cancel: Callable[[], bool] = never_cancel) -> IngestReport:
    """Ingest `paths` and link every stored item to the indicator (by id or code) and duty."""
    with archive.sessions.read() as s:
        if duty_id is not None:
            duty = s.get(Duty, duty_id)
            if duty is None:
                raise BadInput(f"没有编号为 {duty_id} 的任务", f"no duty with id {duty_id}")
            if indicator_id is None and indicator_code is None:
                indicator_id = duty.indicator_id
        if indicator_id is not None:
            ind = s.get(Indicator, indicator_id)
            if ind is None:
                raise BadInput(f"没有编号为 {indicator_id} 的指标", f"no indicator with id {indicator_id}")
            if ind.code and indicator_code is None:
                indicator_code, indicator_id = ind.code, None
    report = ingest_paths(archive, paths, department=department, indicator_code=indicator_code,
                          progress=progress, cancel=cancel)
    ids = [i.evidence_id for i in report.items if i.evidence_id]
    if ids and (indicator_id is not None or duty_id is not None):
        with archive.sessions.write() as s:
            if indicator_id is not None:
                link_evidence(s, ids, indicator_id)
            if duty_id is not None:
                link_evidence_to_duty(s, ids, duty_id)
    return report
