"""Plain, frozen read models: what `ui/` and `exporters/` receive from storage.

No SQLAlchemy here: these cross threads and layers freely.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# The status report's three models live apart, so that `evidence-desk status` builds one
# without creating the forty-odd dataclasses below (storage.kernel.statusreport).
from storage.kernel.statusreport import DepartmentCount as DepartmentCount
from storage.kernel.statusreport import IndicatorNode as IndicatorNode
from storage.kernel.statusreport import StatusReport as StatusReport


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


# --- added for the desktop window (issue 6): evidence detail, duties, departments, inbox ---


@dataclass(frozen=True)
class IndicatorLink:
    indicator_id: int
    code: str
    title: str
    position: int = 0


@dataclass(frozen=True)
class EvidenceFileInfo:
    original_name: str
    sha256: str
    size: int
    revision: int = 1
    is_current: bool = True
    added_at: dt.datetime | None = None
    source_path: str = ""
    read_state: str = ""   # how reading its text went: "" not yet, ok, password, unreadable


@dataclass(frozen=True)
class EvidenceDetail:
    """One evidence item with everything the detail panel edits; `version` guards edits."""

    id: int
    title: str
    doc_number: str
    issue_date: dt.date | None
    issuing_body: str
    department: str
    status: str
    notes: str
    version: int
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    links: tuple[IndicatorLink, ...] = ()
    files: tuple[EvidenceFileInfo, ...] = ()


@dataclass(frozen=True)
class DutyRow:
    """One row of the responsibility table as the window shows it for an indicator.

    state: done (accepted evidence) | partial (evidence received) | overdue | missing.
    """

    id: int
    task: str
    indicator_id: int | None
    indicator_code: str
    lead: tuple[str, ...]
    cooperating: tuple[str, ...]
    expected_evidence: str
    deadline: dt.date | None
    deadline_text: str
    days_left: int | None
    state: str


@dataclass(frozen=True)
class OwedDuty:
    duty_id: int
    task: str
    indicator_code: str
    indicator_title: str
    role: str  # lead | cooperating
    deadline: dt.date | None
    deadline_text: str
    days_left: int | None
    state: str  # missing | received (evidence from the department, none accepted yet)


@dataclass(frozen=True)
class DepartmentOwing:
    """What one department still owes: duties whose indicator lacks its accepted evidence."""

    department_id: int
    name: str
    duties_total: int
    owed: tuple[OwedDuty, ...]
    evidence_received: int = 0
    evidence_accepted: int = 0

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.owed if d.days_left is not None and d.days_left < 0)


@dataclass(frozen=True)
class InboxRow:
    id: int
    source_path: str
    name: str
    folder: str
    size: int | None
    detected_at: dt.datetime | None
    state: str
    reason: str
    suggestion: str
    confidence: float | None


@dataclass(frozen=True)
class FilePreview:
    """What the preview pane shows. kind: image | text | none. `data` holds image bytes."""

    evidence_id: int
    kind: str
    name: str
    stored_path: str
    text: str = ""
    data: bytes = b""
    note: str = ""


@dataclass(frozen=True)
class ActivityRow:
    at: dt.datetime
    user: str
    action: str
    entity: str
    entity_id: str
    summary: str


@dataclass(frozen=True)
class DashboardData:
    status: StatusReport
    today: dt.date
    upload_deadline: dt.date | None
    overdue: tuple[DutyRow, ...] = ()
    recent: tuple[ActivityRow, ...] = ()
    acceptance: tuple[AcceptanceWeek, ...] = ()  # the inbox's suggestions, week by week
    rectify_overdue: int = 0   # rectification items past their deadline (storage.review.rectify.overdue_count)

    @property
    def days_to_deadline(self) -> int | None:
        return (self.upload_deadline - self.today).days if self.upload_deadline else None


# --- added for tables import/export (issue 4): the responsibility table with progress ---


@dataclass(frozen=True)
class DutyProgressRow:
    """One duty as the printed responsibility table shows it, with its progress.

    `lead_text` / `cooperating_text` / `departments_cell` are the cell texts to print: the
    county's own wording when the duty came from a table, else the names joined by 、.
    """

    id: int
    position: int
    code: str
    indicator_code: str
    indicator_path: tuple[str, ...]
    max_score: float | None
    scoring_rule: str
    task: str
    lead: tuple[str, ...]
    cooperating: tuple[str, ...]
    lead_text: str
    cooperating_text: str
    departments_cell: str
    expected_evidence: str
    deadline: dt.date | None
    deadline_kind: str
    deadline_text: str
    received: int
    accepted: int
    status: str          # 未报送 | 已报送 | 已审核
    overdue: bool
    days_left: int | None
    notes: str = ""


@dataclass(frozen=True)
class DutiesTable:
    """The responsibility table to export: the county's column layout and the rows.

    Attributes:
        columns: (role, header) in the county's order; roles are code, h1..hN (indicator
            levels), score, rule, task, lead, cooperating, departments, evidence,
            deadline, notes.
    """

    title: str
    framework_name: str
    is_sample: bool
    today: dt.date
    columns: tuple[tuple[str, str], ...]
    rows: tuple[DutyProgressRow, ...]
    department_filter: str = ""

    @property
    def overdue_count(self) -> int:
        return sum(1 for r in self.rows if r.overdue)


# --- added for the provincial bundle (issue 7): what `exporters.bundle` lays out ---


@dataclass(frozen=True)
class BundleFile:
    """One current stored file of an evidence item, as the bundle copies it.

    `review_position` is the evidence item's place in its indicator's review order (1-based
    after the query renumbers it); `file_index`/`file_count` tell files of one item apart.
    """

    evidence_id: int
    review_position: int
    file_index: int
    file_count: int
    title: str
    doc_number: str
    status: str
    original_name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class BundleIndicator:
    """A bundle folder: one leaf indicator (or an inner one with evidence linked directly)."""

    indicator_id: int
    code: str
    title: str
    is_leaf: bool
    is_key: bool
    is_veto: bool
    files: tuple[BundleFile, ...]


@dataclass(frozen=True)
class BundleSource:
    """Everything the bundle needs from the archive, in framework order."""

    framework_id: int | None
    framework_name: str
    indicators: tuple[BundleIndicator, ...]


# --- added for self-scores, preflight, documents and sealed submissions (issue 7) ---


@dataclass(frozen=True)
class AssessmentRow:
    """One indicator with the clerk's self-assessment (empty when none was recorded).

    target_state: met | not_met | unknown (a numeric target but no value entered) | ""
    (no numeric target). veto_state (veto items only): clear | violated | unchecked.
    """

    indicator_id: int
    parent_id: int | None
    code: str
    title: str
    level: int
    is_leaf: bool
    is_key: bool
    is_veto: bool
    max_score: float | None
    scoring_rule: str = ""
    self_score: float | None = None
    deduction_note: str = ""
    description: str = ""
    actual_value: float | None = None
    target_comparator: str | None = None
    target_value: float | None = None
    target_unit: str = ""
    target_text: str = ""
    target_state: str = ""
    veto_state: str = ""
    assessed: bool = False
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class SelfScoreSheet:
    """Every indicator of a framework in tree order with its self-assessment."""

    framework_id: int | None
    framework_name: str
    is_sample: bool
    total_score: float | None
    rows: tuple[AssessmentRow, ...]

    @property
    def leaves(self) -> tuple[AssessmentRow, ...]:
        return tuple(r for r in self.rows if r.is_leaf)

    @property
    def max_total(self) -> float:
        return round(sum(r.max_score or 0 for r in self.leaves), 2)

    @property
    def self_total(self) -> float:
        return round(sum(r.self_score or 0 for r in self.leaves), 2)

    @property
    def unscored(self) -> tuple[AssessmentRow, ...]:
        return tuple(r for r in self.leaves if r.self_score is None and not r.is_veto)


@dataclass(frozen=True)
class CountyInfo:
    """The county's basic facts as the application form prints them (storage.county)."""

    name: str = ""
    population: str = ""
    area: str = ""
    gdp: tuple[tuple[int, str], ...] = ()          # (year, 亿元)
    leaders: tuple[tuple[str, str], ...] = ()      # (role, name)
    contact_name: str = ""
    contact_phone: str = ""
    contact_unit: str = ""
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EvidenceMeta:
    """What the catalogue and preflight print about one evidence item."""

    evidence_id: int
    title: str
    doc_number: str
    issue_date: dt.date | None
    issuing_body: str
    department: str
    status: str
    period_start: dt.date | None = None
    period_end: dt.date | None = None


@dataclass(frozen=True)
class DocumentsSource:
    """Everything the generated documents (申报表, 自评报告, 佐证材料目录, the self-score sheet
    and the evidence list) need besides the bundle plan."""

    framework_name: str
    is_sample: bool
    data_cutoff: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    county: CountyInfo
    scores: SelfScoreSheet
    evidence: tuple[EvidenceMeta, ...]
    duties_overdue: int = 0
    duties_total: int = 0


@dataclass(frozen=True)
class PreflightLimits:
    """What the province accepts, per framework (setting `preflight_limits.<framework id>`).

    max_mb: per-file size cap (None: no cap); formats: accepted extensions without the dot,
    lower case (empty: any); path_budget: every bundle path shorter than this."""

    max_mb: float | None = 50.0
    formats: tuple[str, ...] = ()
    path_budget: int = 160


@dataclass(frozen=True)
class PreflightIndicator:
    indicator_id: int
    code: str
    title: str
    is_leaf: bool
    is_key: bool
    is_veto: bool
    received: int
    accepted: int
    self_score: float | None = None
    veto_state: str = ""


@dataclass(frozen=True)
class PreflightFile:
    """One current file of an evidence item that the bundle would carry."""

    evidence_id: int
    indicator_code: str
    original_name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class PreflightDuty:
    duty_id: int
    task: str
    indicator_code: str
    lead: str
    deadline: dt.date | None
    deadline_text: str
    days_left: int | None


@dataclass(frozen=True)
class PreflightFacts:
    """What the preflight rules look at; read by storage.preflight in one go."""

    framework_id: int | None
    framework_name: str
    is_sample: bool
    today: dt.date
    data_cutoff: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    limits: PreflightLimits
    indicators: tuple[PreflightIndicator, ...]
    evidence: tuple[EvidenceMeta, ...]           # items the bundle would carry
    evidence_codes: tuple[tuple[int, str], ...]  # (evidence id, indicator code) links
    files: tuple[PreflightFile, ...]
    overdue_duties: tuple[PreflightDuty, ...]
    county_missing: bool = False


@dataclass(frozen=True)
class PreflightItem:
    """One line of the checklist.

    severity: block | warn; category: a stable English key (missing_evidence, veto,
    overdue_duty, unreviewed, file_size, file_format, path_rename, evidence_date,
    not_mergeable, self_score, county, framework)."""

    severity: str
    category: str
    what: str
    indicator: str = ""
    evidence_id: int | None = None
    file: str = ""
    action: str = ""


@dataclass(frozen=True)
class PreflightReport:
    framework_name: str
    today: dt.date
    limits: PreflightLimits
    items: tuple[PreflightItem, ...]

    @property
    def blocks(self) -> int:
        return sum(1 for i in self.items if i.severity == "block")

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.items if i.severity == "warn")

    @property
    def ok(self) -> bool:
        return self.blocks == 0


@dataclass(frozen=True)
class SubmissionSummary:
    id: int
    sealed_at: dt.datetime
    user: str
    framework_name: str
    export_date: dt.date | None
    as_zip: bool
    files: int
    generated: int
    bytes: int
    bundle_sha256: str = ""
    note: str = ""


# --- added for the window's inbox and search (issue 6) ---


@dataclass(frozen=True)
class FolderHealth:
    """A watched folder as the inbox view shows it: reachable or not, how it is watched,
    when it was last scanned in full, and how many of its files wait for the clerk.

    mode: native | polling (automatic for network folders, or the fallback when the system
    ran out of native watches); message: why it is offline or polled, else "".
    """

    id: int
    path: str
    department: str
    online: bool
    mode: str
    message: str
    last_full_scan: dt.datetime | None
    pending: int = 0
    network: bool = False
    enabled: bool = True


@dataclass(frozen=True)
class ReminderSource:
    """What the reminder notice (催办通知) needs: the departments still owing (one or all),
    the sender's details from the county facts, and the dates."""

    framework_name: str
    is_sample: bool
    today: dt.date
    upload_deadline: dt.date | None
    county: CountyInfo
    departments: tuple[DepartmentOwing, ...]


@dataclass(frozen=True)
class InboxItem:
    """One inbox entry as the CLI and the window show it."""

    id: int
    state: str
    source_path: str
    from_zip: str
    name: str
    folder: str
    folder_department: str
    size: int | None
    detected_at: dt.datetime | None
    evidence_id: int | None
    attempts: int
    reason: str
    confidence: float | None
    suggestion: dict[str, Any]
    read_state: str = ""   # how reading its text went: "" not yet, ok, password, unreadable


@dataclass(frozen=True)
class FolderStatus:
    id: int
    path: str
    online: bool
    mode: str
    message: str


@dataclass(frozen=True)
class SearchHit:
    evidence_id: int
    title: str
    doc_number: str
    department: str
    trashed: bool
    snippet: str


@dataclass(frozen=True)
class FolderInfo:
    """A watched folder as the CLI and the window show it."""

    id: int
    path: str
    department: str
    department_id: int | None
    mode: str            # "native" | "polling"
    polling_seconds: float
    settle_seconds: float
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    auto_accept: bool
    enabled: bool
    online: bool
    last_error: str
    last_full_scan: dt.datetime | None
    network: bool


@dataclass(frozen=True)
class GdpYear:
    year: int
    value: str  # 亿元, kept as the clerk typed it (e.g. "286.5")


@dataclass(frozen=True)
class Leader:
    role: str  # e.g. 县长 / 分管副县长 / 市场监管局局长
    name: str


@dataclass(frozen=True)
class CountyFacts:
    name: str = ""            # 县（市、区）名称
    population: str = ""      # 常住人口（万人）
    area: str = ""            # 面积（平方公里）
    gdp: tuple[GdpYear, ...] = ()   # 近年地区生产总值（亿元）
    leaders: tuple[Leader, ...] = ()
    contact_name: str = ""
    contact_phone: str = ""
    contact_unit: str = ""    # 联系单位（如 县市场监督管理局）
    extra: tuple[tuple[str, str], ...] = field(default=())  # any other (label, value) lines

    def is_empty(self) -> bool:
        return not (self.name or self.population or self.area or self.gdp or self.leaders
                    or self.contact_name or self.contact_phone)


@dataclass(frozen=True)
class NewFolder:
    path: str
    department: str = ""
    settle_seconds: float | None = None  # None: the default for its kind of disk


@dataclass(frozen=True)
class FolderSetting:
    """A watched folder as the settings dialog edits it."""

    path: str
    department: str
    mode: str                      # native | polling
    settle_seconds: float | None   # set by the clerk; None: the default for its kind of disk
    default_settle: float          # what None means for this folder
    online: bool
    network: bool


@dataclass(frozen=True)
class ArchiveSettings:
    facts: CountyFacts
    upload_deadline: dt.date | None
    folders: tuple[FolderSetting, ...]


@dataclass(frozen=True)
class SetupProgress:
    """What the archive holds, for the guided start's checklist (each step's tick)."""

    root: str
    framework_name: str
    indicators: int
    duties: int
    folders: int
    evidence: int

    @property
    def has_framework(self) -> bool:
        return self.indicators > 0

    @property
    def has_duties(self) -> bool:
        return self.duties > 0

    @property
    def has_folders(self) -> bool:
        return self.folders > 0

    @property
    def has_evidence(self) -> bool:
        return self.evidence > 0

    @property
    def complete(self) -> bool:
        return self.has_framework and self.has_duties and self.has_folders and self.has_evidence


# --- added for the inbox in the window (issue 15 item 4): how often the suggestion was right ---


@dataclass(frozen=True)
class AcceptanceWeek:
    """One week of inbox decisions on files the inbox suggested an indicator for:
    accepted as suggested (the first suggestion among what was linked) or corrected."""

    week_start: dt.date     # the Monday
    as_suggested: int
    corrected: int

    @property
    def decided(self) -> int:
        return self.as_suggested + self.corrected

    @property
    def rate(self) -> float | None:
        """Share accepted as suggested (None for a week without decisions)."""
        return self.as_suggested / self.decided if self.decided else None
