"""The dashboard: inbox rows, the upload deadline, and recent activity told in the clerk's words."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.catalogue.county import county_facts, upload_deadline
from storage.catalogue.duties import duty_rows
from storage.catalogue.queries import current_framework_id, status
from storage.kernel.names import county_title
from storage.kernel.words import INBOX_STATE, STATUS
from storage.models import (
    AuditLog,
    Duty,
    InboxEntry,
    WatchedFolder,
)
from storage.readmodels import (
    ActivityRow,
    DashboardData,
    InboxRow,
)


def _suggestion_text(raw: str) -> str:
    if not raw:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    if isinstance(data, dict):
        parts = []
        for key, label in (("indicator_code", "指标"), ("indicator", "指标"),
                           ("department", "单位"), ("title", "标题")):
            if data.get(key):
                parts.append(f"{label} {data[key]}")
        return "；".join(parts) or json.dumps(data, ensure_ascii=False)
    return str(data)


def inbox_rows(session: Session, state: str | None = "pending", limit: int = 1000) -> list[InboxRow]:
    """Files found in watched folders, newest first (state None: every state)."""
    q = (
        select(InboxEntry, WatchedFolder.path)
        .outerjoin(WatchedFolder, WatchedFolder.id == InboxEntry.watched_folder_id)
        .order_by(InboxEntry.detected_at.desc(), InboxEntry.id.desc())
        .limit(limit)
    )
    if state:
        q = q.where(InboxEntry.state == state)
    return [
        InboxRow(
            id=e.id, source_path=e.source_path,
            name=Path(e.source_path.replace("\\", "/")).name or e.source_path,
            folder=folder or "", size=e.size, detected_at=e.detected_at, state=e.state,
            reason=e.reason or "", suggestion=_suggestion_text(e.suggestion or ""),
            confidence=float(e.confidence) if e.confidence is not None else None,
        )
        for e, folder in session.execute(q)
    ]


# What the clerk did, in the clerk's words: bookkeeping rows (stored blobs, extracted text,
# scan records, per-file rows that come with every item) are left out of the activity feed.
ACTIVITY_ENTITIES = ("evidence", "evidence_indicator", "evidence_duty", "duty", "framework",
                     "inbox_entry", "watched_folder", "setting", "department",
                     "indicator_assessment", "submission")


_FIELD_NAMES = {"title": "标题", "doc_number": "文号", "issue_date": "成文日期",
                "issuing_body": "发文单位", "department_id": "报送单位", "status": "状态",
                "notes": "备注", "trashed_at": "回收站", "position": "顺序", "state": "状态",
                "self_score": "自评得分", "deduction_note": "扣分说明", "value": "值",
                "deadline": "完成时限", "task": "任务", "actual_value": "实际值"}


_STATUS_NAMES = {**STATUS, **INBOX_STATE}


def _activity_text(entity: str, action: str, entity_id: str, raw: str) -> str:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    if action == "update":
        parts = []
        for key, change in data.items():
            if key in ("version", "updated_at") or not isinstance(change, list) or len(change) != 2:
                continue
            old, new = (_STATUS_NAMES.get(str(v), v) if key in ("status", "state") else v
                        for v in change)
            parts.append(f"{_FIELD_NAMES.get(key, key)}：{old or '（空）'} → {new or '（空）'}")
        return "；".join(parts)[:200]
    if entity == "evidence":
        return f"#{entity_id} {data.get('title', '')}".strip()
    if entity == "evidence_indicator":
        return f"材料 #{data.get('evidence_id', '')} → 指标 #{data.get('indicator_id', '')}"
    if entity == "evidence_duty":
        return f"材料 #{data.get('evidence_id', '')} → 任务 #{data.get('duty_id', '')}"
    for key in ("task", "name", "path", "key", "title"):
        if data.get(key):
            return str(data[key])[:120]
    return f"#{entity_id}" if entity_id else ""


def recent_activity(session: Session, limit: int = 12) -> tuple[ActivityRow, ...]:
    """The last `limit` changes a clerk would recognise, newest first, with a readable
    summary ("状态：已收到 → 已审核", "#12 关于印发…的通知")."""
    rows = session.scalars(
        select(AuditLog).where(AuditLog.entity.in_(ACTIVITY_ENTITIES))
        .order_by(AuditLog.id.desc()).limit(limit)
    )
    return tuple(
        ActivityRow(a.at, a.user, a.action, a.entity, a.entity_id,
                    _activity_text(a.entity, a.action, a.entity_id or "", a.summary or ""))
        for a in rows
    )


def dashboard(session: Session, archive_path: str = "", today: dt.date | None = None) -> DashboardData:
    today = today or dt.date.today()
    fid = current_framework_id(session)
    where = Duty.deadline < today
    if fid is not None:
        where = where & ((Duty.framework_id == fid) | Duty.framework_id.is_(None))
    overdue = tuple(d for d in duty_rows(session, where, today) if d.state != "done")
    recent = recent_activity(session)
    report = status(session, archive_path)
    if report.framework_name:
        # the header names the county set in 设置, never a template's "某县…" (issue 17, item 7)
        report = dataclasses.replace(report, framework_name=county_title(
            report.framework_name, county_facts(session).name))
    return DashboardData(
        status=report, today=today,
        upload_deadline=upload_deadline(session), overdue=overdue, recent=recent,
    )
