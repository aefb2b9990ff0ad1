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
from storage.kernel.official import county_title
from storage.kernel.words import INBOX_STATE, STATUS
from storage.models import (
    AuditLog,
    Department,
    Duty,
    Evidence,
    EvidenceIndicator,
    InboxEntry,
    Indicator,
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
                "deadline": "完成时限", "task": "任务", "actual_value": "实际值",
                "issuing_department_id": "发文单位", "description": "完成情况",
                "veto_state": "一票否决核查", "deadline_text": "完成时限", "role": "职责",
                "indicator_id": "指标", "duty_id": "任务", "evidence_id": "材料",
                "expected_evidence": "应报材料", "name": "名称", "path": "路径"}

# Bookkeeping columns a clerk never needs to read about.
# fields the program keeps for itself (an inbox entry's suggestion and confidence are made
# again after every acceptance): not something the clerk did
_HIDDEN_FIELDS = {"version", "updated_at", "created_at", "id", "sha256", "blob_id", "sort_key", "suggestion",
                  "confidence"}

_STATUS_NAMES = {**STATUS, **INBOX_STATE}


class _Names:
    """Titles and codes of the items, indicators, duties and units a batch of audit rows
    refers to, read at once: the feed says 「材料《…》关联到指标 2.3.1」, never ids."""

    def __init__(self, session: Session, rows: list[tuple[str, str, dict]]) -> None:
        ev: set[int] = set()
        ind: set[int] = set()
        duty: set[int] = set()
        dept: set[int] = set()
        for entity, entity_id, data in rows:
            if entity == "evidence" and entity_id.isdigit():
                ev.add(int(entity_id))
            for key, bucket in (("evidence_id", ev), ("indicator_id", ind), ("duty_id", duty)):
                if str(data.get(key, "")).isdigit():
                    bucket.add(int(data[key]))
            for key in ("department_id", "issuing_department_id"):
                change = data.get(key)
                for v in (change if isinstance(change, list) else [change]):
                    if str(v).isdigit():
                        dept.add(int(str(v)))
        self.evidence = dict(session.execute(select(Evidence.id, Evidence.title).where(Evidence.id.in_(ev)))
                             .all()) if ev else {}
        self.indicator = {i: (code or title) for i, code, title in session.execute(
            select(Indicator.id, Indicator.code, Indicator.title).where(Indicator.id.in_(ind)))} if ind else {}
        self.duty = dict(session.execute(select(Duty.id, Duty.task).where(Duty.id.in_(duty)))
                         .all()) if duty else {}
        self.department = dict(session.execute(select(Department.id, Department.name)
                                               .where(Department.id.in_(dept))).all()) if dept else {}

    def item(self, raw: object, fallback: str = "") -> str:
        title = self.evidence.get(int(str(raw))) if str(raw).isdigit() else None
        return f"材料《{_short(title or fallback or '（已删除的材料）')}》"

    def value(self, key: str, v: object) -> str:
        if v in (None, ""):
            return "（空）"
        if key in ("status", "state"):
            return str(_STATUS_NAMES.get(str(v), v))
        if key in ("department_id", "issuing_department_id") and str(v).isdigit():
            return self.department.get(int(str(v)), "（已删除的单位）")
        if key == "trashed_at":
            return "放入回收站"
        return _short(str(v), 40)


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _activity_text(entity: str, action: str, entity_id: str, data: dict, names: _Names) -> str:
    if action == "update":
        parts = []
        for key, change in data.items():
            if key in _HIDDEN_FIELDS or not isinstance(change, list) or len(change) != 2:
                continue
            label = _FIELD_NAMES.get(key)
            if label is None:
                continue  # a column name means nothing to a clerk
            if key == "trashed_at":
                parts.append("移到回收站" if change[1] else "从回收站恢复")
                continue
            parts.append(f"{label}：{names.value(key, change[0])} → {names.value(key, change[1])}")
        text = "；".join(parts)
        if entity == "evidence" and text:
            text = f"{names.item(entity_id)} {text}"
        return text[:200]
    if entity == "evidence":
        return names.item(entity_id, str(data.get("title", "")))
    if entity == "evidence_indicator":
        code = names.indicator.get(int(data["indicator_id"])) if str(data.get("indicator_id", "")).isdigit() else None
        verb = "取消关联指标" if action == "delete" else "关联到指标"
        return f"{names.item(data.get('evidence_id', ''))}{verb} {code or '（已删除的指标）'}"
    if entity == "evidence_duty":
        task = names.duty.get(int(data["duty_id"])) if str(data.get("duty_id", "")).isdigit() else None
        verb = "取消关联任务" if action == "delete" else "关联到任务"
        return f"{names.item(data.get('evidence_id', ''))}{verb}「{_short(task or '（已删除的任务）')}」"
    for key in ("task", "name", "path", "title"):
        if data.get(key):
            return _short(str(data[key]), 120)
    return ""


def recent_activity(session: Session, limit: int = 12) -> tuple[ActivityRow, ...]:
    """The last `limit` changes a clerk would recognise, newest first, told in words
    (「材料《关于印发…的通知》关联到指标 2.3.1」, 「状态：已收到 → 已审核」), never ids or
    column names. Updates of bookkeeping alone (an inbox entry's suggestion made again after
    every acceptance) are left out."""
    audit = list(session.scalars(
        select(AuditLog).where(AuditLog.entity.in_(ACTIVITY_ENTITIES))
        .order_by(AuditLog.id.desc()).limit(limit * 5)
    ))
    parsed = [(a.entity, a.entity_id or "", _summary(a.summary or "")) for a in audit]
    names = _Names(session, parsed)
    out: list[ActivityRow] = []
    for a, (entity, entity_id, data) in zip(audit, parsed, strict=True):
        text = _activity_text(entity, a.action, entity_id, data, names)
        if a.action == "update" and not text:
            continue
        out.append(ActivityRow(a.at, a.user, a.action, a.entity, a.entity_id, text))
        if len(out) == limit:
            break
    return tuple(out)


def _summary(raw: str) -> dict:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def dashboard(session: Session, archive_path: str = "", today: dt.date | None = None, *,
              rectify_overdue: int = 0) -> DashboardData:
    """What the dashboard shows. `rectify_overdue`: the count of overdue rectification items,
    counted by storage.review.rectify.overdue_count (a higher floor) and passed in."""
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
        acceptance=tuple(acceptance_by_week(session, today=today)), rectify_overdue=rectify_overdue,
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
