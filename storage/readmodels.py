"""Plain, frozen read models: what `ui/` and `exporters/` receive from storage.

No SQLAlchemy here: these cross threads and layers freely.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IndicatorNode:
    id: int
    parent_id: int | None
    level: int
    position: int
    code: str
    title: str
    max_score: float | None
    is_key: bool
    is_veto: bool
    is_leaf: bool = False
    received: int = 0   # evidence items linked to this node (not trashed, not superseded)
    accepted: int = 0
    subtree_leaves: int = 0
    subtree_leaves_covered: int = 0     # leaves with any evidence
    subtree_leaves_accepted: int = 0    # leaves with accepted evidence

    @property
    def coverage(self) -> str:
        """missing / partial / done, for colour: leaves with accepted evidence."""
        if self.subtree_leaves_accepted >= self.subtree_leaves and self.subtree_leaves:
            return "done"
        if self.subtree_leaves_covered:
            return "partial"
        return "missing"


@dataclass(frozen=True)
class DepartmentCount:
    department_id: int | None
    name: str
    received: int
    accepted: int


@dataclass(frozen=True)
class StatusReport:
    archive: str
    framework_id: int | None
    framework_name: str
    framework_is_sample: bool
    evidence_total: int
    evidence_by_status: dict[str, int]
    files: int
    bytes: int
    departments: int
    duties: int
    inbox_pending: int
    indicators_total: int          # leaves of the current framework
    indicators_covered: int        # leaves with any evidence
    indicators_accepted: int       # leaves with accepted evidence
    level1: list[IndicatorNode] = field(default_factory=list)
    indicators: list[IndicatorNode] = field(default_factory=list)
    by_department: list[DepartmentCount] = field(default_factory=list)


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    title: str
    doc_number: str
    issue_date: dt.date | None
    status: str
    department: str
    file_count: int
    size: int
    original_name: str
    sha256: str
    position: int = 0
    added_at: dt.datetime | None = None
