"""Preflight: what would stop a submission, for the archive's current framework.

The one implementation behind `evidence-desk preflight` and the export dialog's checklist.
"""
from __future__ import annotations

import datetime as dt

from exporters.bundle import plan_bundle
from exporters.preflight import check
from storage.bundle.preflight import preflight_facts
from storage.bundle.sources import bundle_source
from storage.core.archive import Archive
from storage.readmodels import PreflightReport


def run_preflight(archive: Archive, today: dt.date) -> PreflightReport:
    """The preflight report of the archive's current framework on `today`."""
    with archive.sessions.read() as s:
        facts = preflight_facts(s, today)
        source = bundle_source(s) if facts.framework_id is not None else None
    plan = plan_bundle(source, path_budget=facts.limits.path_budget) if source is not None else None
    return check(facts, plan)
