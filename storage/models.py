"""The archive's schema: SQLAlchemy 2.x typed declarative models.

Portable SQL only: nothing here may depend on SQLite (PostgreSQL must take the same
schema); the SQLite-specific connection set-up lives in `storage.db` alone.

Statuses are plain strings checked by constraints, so they read the same in any database
tool a clerk's IT person might open the file with.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names so Alembic batch migrations can find them on any back end.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

EVIDENCE_STATUSES = ("received", "accepted", "returned", "superseded")
DEADLINE_KINDS = ("date", "recurring", "none")
DUTY_ROLES = ("lead", "cooperating")
INBOX_STATES = ("pending", "accepted", "ignored", "failed")


def utcnow() -> dt.datetime:
    """Naive UTC timestamp (SQLite keeps no zone; every stored time is UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # Every model here maps one Table (DeclarativeBase types it as any FromClause), so Core
    # statements can take `Model.__table__` (insert, delete, bulk copies).
    __table__: ClassVar[Table]


class Framework(Base):
    """An indicator system (评价指标体系) as published, one version of it."""

    __tablename__ = "framework"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(50), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    total_score: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    data_cutoff: Mapped[dt.date | None] = mapped_column(Date)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    source_file: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="framework", cascade="all, delete-orphan", passive_deletes=True
    )


class Indicator(Base):
    """One node of the indicator tree (any depth: 一级/二级/三级/…)."""

    __tablename__ = "indicator"
    __table_args__ = (
        Index("ix_indicator_framework_parent", "framework_id", "parent_id", "position"),
        CheckConstraint(
            "target_comparator IS NULL OR target_comparator IN ('>=','>','<=','<','=')",
            name="comparator",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("framework.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(50), default="")
    title: Mapped[str] = mapped_column(Text)
    scoring_rule: Mapped[str] = mapped_column(Text, default="")
    max_score: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)
    is_veto: Mapped[bool] = mapped_column(Boolean, default=False)
    target_comparator: Mapped[str | None] = mapped_column(String(2))
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    target_unit: Mapped[str] = mapped_column(String(20), default="")
    target_text: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship(back_populates="indicators")
    parent: Mapped[Indicator | None] = relationship(remote_side="Indicator.id")


class Department(Base):
    """A member department (成员单位) or a collective name (各乡镇（街道）)."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    normalized_name: Mapped[str] = mapped_column(String(200), unique=True)
    is_collective: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_person: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    aliases: Mapped[list[DepartmentAlias]] = relationship(
        back_populates="department", cascade="all, delete-orphan", passive_deletes=True
    )


class DepartmentAlias(Base):
    __tablename__ = "department_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(200))
    normalized_alias: Mapped[str] = mapped_column(String(200), unique=True)

    department: Mapped[Department] = relationship(back_populates="aliases")


class Duty(Base):
    """One row of the responsibility table (工作责任分解表), or a task from a work plan."""

    __tablename__ = "duty"
    __table_args__ = (
        CheckConstraint(
            "deadline_kind IN ('date','recurring','none')", name="deadline_kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int | None] = mapped_column(
        ForeignKey("framework.id", ondelete="SET NULL"), index=True
    )
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(50), default="")
    task: Mapped[str] = mapped_column(Text, default="")
    expected_evidence: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    deadline_kind: Mapped[str] = mapped_column(String(10), default="none")
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="table")
    departments_text: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")  # 备注 / 工作考核
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    departments: Mapped[list[DutyDepartment]] = relationship(
        back_populates="duty", cascade="all, delete-orphan", passive_deletes=True
    )


class DutyDepartment(Base):
    __tablename__ = "duty_department"
    __table_args__ = (
        CheckConstraint("role IN ('lead','cooperating')", name="role"),
    )

    duty_id: Mapped[int] = mapped_column(
        ForeignKey("duty.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(12), default="cooperating")
    position: Mapped[int] = mapped_column(Integer, default=0)

    duty: Mapped[Duty] = relationship(back_populates="departments")
    department: Mapped[Department] = relationship()


class Blob(Base):
    """A stored file's content, once per sha256: `files/ab/cd/<sha256>`. Never modified."""

    __tablename__ = "blob"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    stored_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Evidence(Base):
    """One piece of evidence (佐证材料): a document, with one or more stored files."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint(
            "status IN ('received','accepted','returned','superseded')", name="status"
        ),
        Index("ix_evidence_status_trashed", "status", "trashed_at"),
        # covering indexes for the progress counts (status at 50,000 items)
        Index("ix_evidence_department_status", "department_id", "status", "trashed_at"),
        Index("ix_evidence_id_status", "id", "status", "trashed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    doc_number: Mapped[str] = mapped_column(String(100), default="")
    issue_date: Mapped[dt.date | None] = mapped_column(Date)
    issuing_body: Mapped[str] = mapped_column(String(200), default="")
    issuing_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"), index=True
    )
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"), index=True
    )
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="received")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    trashed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    files: Mapped[list[EvidenceFile]] = relationship(
        back_populates="evidence",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="EvidenceFile.id",
    )


class EvidenceFile(Base):
    """A stored file of an evidence item. A new revision of the same file points at the
    one it replaces; the old one stays (is_current False), so nothing is ever lost."""

    __tablename__ = "evidence_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), index=True
    )
    blob_id: Mapped[int] = mapped_column(ForeignKey("blob.id"), index=True)
    original_name: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(Text, default="")
    source_mtime: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence_file.id", ondelete="SET NULL")
    )
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    evidence: Mapped[Evidence] = relationship(back_populates="files")
    blob: Mapped[Blob] = relationship()


class EvidenceIndicator(Base):
    """Evidence linked to an indicator; `position` is its place in that indicator's
    review order (the bundle numbers files by it)."""

    __tablename__ = "evidence_indicator"
    __table_args__ = (Index("ix_evidence_indicator_order", "indicator_id", "position"),)

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class EvidenceDuty(Base):
    __tablename__ = "evidence_duty"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True
    )
    duty_id: Mapped[int] = mapped_column(
        ForeignKey("duty.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class WatchedFolder(Base):
    """A shared folder departments drop files into. Its files are never moved or deleted."""

    __tablename__ = "watched_folder"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(Text, unique=True)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL")
    )
    polling_seconds: Mapped[float | None] = mapped_column(Numeric(8, 2))
    include_patterns: Mapped[str] = mapped_column(Text, default="")
    exclude_patterns: Mapped[str] = mapped_column(Text, default="")
    settle_seconds: Mapped[float | None] = mapped_column(Numeric(8, 2))
    auto_accept: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    online: Mapped[bool] = mapped_column(Boolean, default=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_full_scan: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ScanEntry(Base):
    """What the last scan of a watched folder saw of one file (path, size, mtime), so a
    restart finds what changed while the program was closed."""

    __tablename__ = "scan_entry"
    __table_args__ = (
        UniqueConstraint("watched_folder_id", "relpath"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    watched_folder_id: Mapped[int] = mapped_column(
        ForeignKey("watched_folder.id", ondelete="CASCADE"), index=True
    )
    relpath: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    blob_id: Mapped[int | None] = mapped_column(ForeignKey("blob.id"), index=True)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class InboxEntry(Base):
    """A file detected in a watched folder (or unpacked from a zip), waiting for the clerk."""

    __tablename__ = "inbox_entry"
    __table_args__ = (
        CheckConstraint(
            "state IN ('pending','accepted','ignored','failed')", name="state"
        ),
        Index("ix_inbox_entry_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    watched_folder_id: Mapped[int | None] = mapped_column(
        ForeignKey("watched_folder.id", ondelete="SET NULL"), index=True
    )
    source_path: Mapped[str] = mapped_column(Text)
    from_zip: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int | None] = mapped_column(BigInteger)
    source_mtime: Mapped[dt.datetime | None] = mapped_column(DateTime)
    blob_id: Mapped[int | None] = mapped_column(ForeignKey("blob.id"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    suggestion: Mapped[str] = mapped_column(Text, default="")  # JSON
    confidence: Mapped[float | None] = mapped_column(Numeric(4, 3))
    detected_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class BlobText(Base):
    """What was read out of a stored file: title, document number, date, pages, text."""

    __tablename__ = "blob_text"

    blob_id: Mapped[int] = mapped_column(ForeignKey("blob.id", ondelete="CASCADE"), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    doc_number: Mapped[str] = mapped_column(String(100), default="")
    issue_date: Mapped[dt.date | None] = mapped_column(Date)
    page_count: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    extracted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # How the reading went (storage.reading): "ok", "password" (有密码保护: stored, no text),
    # "unreadable" (damaged, a bomb, a limit hit: `reason` says why; never retried).
    state: Mapped[str] = mapped_column(String(12), default="ok", server_default="ok")
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # 0-based pages with no usable text (image-only or garbled), for OCR: "0,3,4"
    ocr_pages: Mapped[str] = mapped_column(Text, default="", server_default="")


class IndicatorAssessment(Base):
    """The clerk's self-assessment of one indicator: self score, deduction note, and the
    actual value to compare with a numeric target."""

    __tablename__ = "indicator_assessment"

    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
    )
    self_score: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    deduction_note: Mapped[str] = mapped_column(Text, default="")
    actual_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    description: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Submission(Base):
    """A sealed submission: exactly what was handed in, kept unchanged."""

    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    sealed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(200), default="")
    framework_id: Mapped[int | None] = mapped_column(ForeignKey("framework.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    manifest: Mapped[str] = mapped_column(Text, default="")  # JSON


class SubmissionFile(Base):
    __tablename__ = "submission_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    bundle_path: Mapped[str] = mapped_column(Text)
    blob_id: Mapped[int] = mapped_column(ForeignKey("blob.id"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))


class Setting(Base):
    """Archive-wide settings that travel with the archive (upload deadline, county facts)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")  # JSON


class AuditLog(Base):
    """Who changed what, when: written in the same transaction as the change itself."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(100), default="")
    summary: Mapped[str] = mapped_column(Text, default="")


# --- the province's evaluation and rectification (issue 16, items 1–2; revision 0004) -------


class ReviewScore(Base):
    """The province's score for one indicator (省评得分 / 评价得分), from its score sheet,
    with the 扣分原因 as written and where it was read. One row per indicator: a new
    import of the sheet replaces it."""

    __tablename__ = "review_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("framework.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), unique=True
    )
    province_score: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    deduction_reason: Mapped[str] = mapped_column(Text, default="")
    source_file: Mapped[str] = mapped_column(Text, default="")
    source_row: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ReviewProblem(Base):
    """One problem the province's evaluation report (评价结果报告) states: 存在问题 (kind
    问题), a 扣分说明 or a 建议, with the paragraph it was read from."""

    __tablename__ = "review_problem"
    __table_args__ = (CheckConstraint("kind IN ('问题','扣分说明','建议')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("framework.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8), default="问题")
    text: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str] = mapped_column(Text, default="")
    source_paragraph: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ReviewProblemIndicator(Base):
    """The indicator(s) a reported problem is about."""

    __tablename__ = "review_problem_indicator"

    problem_id: Mapped[int] = mapped_column(
        ForeignKey("review_problem.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Rectification(Base):
    """One rectification item (整改事项): a problem, what will be done (整改措施), by when,
    its status in the county's four words, and the clerk's notes on progress."""

    __tablename__ = "rectification"
    __table_args__ = (
        CheckConstraint("status IN ('未开始','整改中','已完成','长期坚持')", name="status"),
        Index("ix_rectification_status_deadline", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int | None] = mapped_column(
        ForeignKey("framework.id", ondelete="SET NULL"), index=True
    )
    problem_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_problem.id", ondelete="SET NULL"), index=True
    )
    score_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_score.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    problem: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="未开始")
    progress: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class RectificationIndicator(Base):
    """An indicator a rectification item answers (in the order the item lists them)."""

    __tablename__ = "rectification_indicator"

    rectification_id: Mapped[int] = mapped_column(
        ForeignKey("rectification.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class RectificationDepartment(Base):
    """A department on a rectification item: 牵头 (lead) or 配合 (cooperating)."""

    __tablename__ = "rectification_department"
    __table_args__ = (CheckConstraint("role IN ('lead','cooperating')", name="role"),)

    rectification_id: Mapped[int] = mapped_column(
        ForeignKey("rectification.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(12), default="lead")
    position: Mapped[int] = mapped_column(Integer, default=0)


class EvidenceRectification(Base):
    """Evidence of rectification linked to an item, in its order (like evidence_indicator)."""

    __tablename__ = "evidence_rectification"
    __table_args__ = (Index("ix_evidence_rectification_order", "rectification_id", "position"),)

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True
    )
    rectification_id: Mapped[int] = mapped_column(
        ForeignKey("rectification.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


# issue 16: checkpoints and rounds


class Checkpoint(Base):
    """A self-assessment checkpoint (自查): a dated snapshot of the self-scores, the evidence
    coverage and the preflight findings of one framework, kept as written (`payload` JSON,
    storage.review.checkpoints) so it can be compared later with another checkpoint or with
    a sealed submission."""

    __tablename__ = "checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    framework_id: Mapped[int | None] = mapped_column(
        ForeignKey("framework.id", ondelete="SET NULL"), index=True
    )
    framework_name: Mapped[str] = mapped_column(String(200), default="")
    payload: Mapped[str] = mapped_column(Text, default="")  # JSON


class AssessmentRound(Base):
    """A round (轮次) of the programme: one framework and its assessment period. The current
    round is the `current_framework` setting; an old round stays readable as it was."""

    __tablename__ = "assessment_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("framework.id", ondelete="CASCADE"), unique=True
    )
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    previous_round_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_round.id", ondelete="SET NULL")
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[str] = mapped_column(Text, default="")  # JSON: what the start carried and flagged


__all__ = [
    "AssessmentRound",
    "Checkpoint",
    "AuditLog",
    "BlobText",
    "IndicatorAssessment",
    "ScanEntry",
    "Submission",
    "SubmissionFile",
    "Base",
    "Blob",
    "Department",
    "DepartmentAlias",
    "Duty",
    "DutyDepartment",
    "Evidence",
    "EvidenceDuty",
    "EvidenceFile",
    "EvidenceIndicator",
    "Framework",
    "InboxEntry",
    "Indicator",
    "Setting",
    "WatchedFolder",
    "ReviewScore",
    "ReviewProblem",
    "ReviewProblemIndicator",
    "Rectification",
    "RectificationIndicator",
    "RectificationDepartment",
    "EvidenceRectification",
]
