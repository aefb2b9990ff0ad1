"""The read models of `status` and of the indicator tree: the counts by status, by
department and per indicator.

They live apart from `storage.readmodels` (which re-exports them under the same names) so
that `evidence-desk status`, which runs in a new process each time, builds its report
without creating the other forty-odd read-model dataclasses: creating a dataclass compiles
its methods, about a millisecond each, and that was most of the command's start-up beyond
`--version`. Plain frozen dataclasses, no SQLAlchemy.
"""
from __future__ import annotations

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
