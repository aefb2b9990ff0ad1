"""The dashboard: inbox rows, the upload deadline, and recent activity told in the clerk's words."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.catalogue.county import upload_deadline
from storage.catalogue.duties import duty_rows
from storage.catalogue.queries import current_framework_id, status
from storage.kernel.words import INBOX_STATE, STATUS
from storage.models import (
    AuditLog,
    Duty,
    EvidenceIndicator,
    InboxEntry,
    WatchedFolder,
)
from storage.readmodels import (
    AcceptanceWeek,
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


# fields the program keeps for itself: an inbox entry's suggestion (JSON, made again after
# every acceptance) and its confidence are not something the clerk did
_BOOKKEEPING = ("version", "updated_at", "suggestion", "confidence")


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
            if key in _BOOKKEEPING or not isinstance(change, list) or len(change) != 2:
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
    out: list[ActivityRow] = []
    for a in session.scalars(
        select(AuditLog).where(AuditLog.entity.in_(ACTIVITY_ENTITIES))
        .order_by(AuditLog.id.desc()).limit(limit * 5)
    ):
        text = _activity_text(a.entity, a.action, a.entity_id or "", a.summary or "")
        if a.action == "update" and not text:   # only bookkeeping changed (suggestions made again)
            continue
        out.append(ActivityRow(a.at, a.user, a.action, a.entity, a.entity_id, text))
        if len(out) == limit:
            break
    return tuple(out)


def dashboard(session: Session, archive_path: str = "", today: dt.date | None = None) -> DashboardData:
    today = today or dt.date.today()
    fid = current_framework_id(session)
    where = Duty.deadline < today
    if fid is not None:
        where = where & ((Duty.framework_id == fid) | Duty.framework_id.is_(None))
    overdue = tuple(d for d in duty_rows(session, where, today) if d.state != "done")
    recent = recent_activity(session)
    return DashboardData(
        status=status(session, archive_path), today=today,
        upload_deadline=upload_deadline(session), overdue=overdue, recent=recent,
        acceptance=tuple(acceptance_by_week(session, today=today)),
    )


# --- the inbox's acceptance rate per week (issue 15 item 4) -----------------------------------


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _first_suggested(data: dict) -> int | None:
    """The indicator the inbox put first (what Enter accepts); None when it suggested none."""
    for i in data.get("indicators") or []:
        if isinstance(i, dict) and i.get("id") is not None:
            return int(i["id"])
    return None


def acceptance_by_week(session: Session, *, weeks: int = 8, today: dt.date | None = None) -> list[AcceptanceWeek]:
    """Of the files the inbox suggested an indicator for and the clerk accepted, how many
    kept the first suggestion and how many were corrected, per week (Monday first), the
    last `weeks` weeks up to `today`, oldest first; weeks without decisions count zero.

    The decision is what the inbox recorded at acceptance (`decision` in the entry's
    suggestion: as suggested when the first suggestion is among the indicators linked);
    an entry accepted before that was recorded is judged by the evidence's links now,
    in the week it was detected."""
    today = today or dt.date.today()
    first_week = _monday(today) - dt.timedelta(weeks=weeks - 1)
    counts: dict[dt.date, list[int]] = {first_week + dt.timedelta(weeks=n): [0, 0] for n in range(weeks)}
    older: list[tuple[dt.date, int, int]] = []   # (week, evidence id, first suggested id)
    rows = session.execute(
        select(InboxEntry.suggestion, InboxEntry.detected_at, InboxEntry.evidence_id)
        .where(InboxEntry.state == "accepted", InboxEntry.suggestion != "")
    )
    for raw, detected, evidence_id in rows:
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        decision = data.get("decision")
        if isinstance(decision, dict) and decision.get("as") in ("suggested", "corrected"):
            try:
                week = _monday(dt.datetime.fromisoformat(str(decision.get("at"))).date())
            except ValueError:
                continue
            if week in counts:
                counts[week][0 if decision["as"] == "suggested" else 1] += 1
            continue
        first = _first_suggested(data)
        if first is None or evidence_id is None or detected is None:
            continue
        week = _monday(detected.date())
        if week in counts:
            older.append((week, evidence_id, first))
    if older:
        linked = set(session.execute(
            select(EvidenceIndicator.evidence_id, EvidenceIndicator.indicator_id)
            .where(EvidenceIndicator.evidence_id.in_({e for _, e, _ in older}))
        ).tuples())
        for week, evidence_id, first in older:
            counts[week][0 if (evidence_id, first) in linked else 1] += 1
    return [AcceptanceWeek(week_start=w, as_suggested=c[0], corrected=c[1]) for w, c in sorted(counts.items())]
