"""Reading the audit log back: who changed what, when, oldest first.

Entries are written by `storage.audit` in the same transaction as the change they record;
this module only reads them. Times are stored in UTC; `since` is given in local time (the
clerk's calendar) and converted.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from storage.core.archive import Archive
from storage.kernel.errors import BadInput
from storage.models import AuditLog


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str  # ISO 8601, UTC, ending in "Z"
    at_local: str  # the same moment in local time, "YYYY-MM-DD HH:MM:SS"
    user: str
    action: str  # insert | update | delete | purge | backup | restore | repair | …
    entity: str  # table name, or "archive"
    entity_id: str
    summary: dict[str, Any]

    def line(self) -> str:
        """One line for people: time, user, action, what."""
        what = f"{self.entity}#{self.entity_id}" if self.entity_id else self.entity
        return f"{self.at_local}  {self.user}  {self.action}  {what}  {_short(self.summary)}"


def _short(summary: dict[str, Any], limit: int = 160) -> str:
    text = json.dumps(summary, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_since(text: str) -> dt.datetime:
    """A local date or date-time ("2025-03-01", "2025-03-01 14:30", "2025-03-01T14:30:00")
    as a naive UTC datetime, as the log stores it."""
    raw = text.strip().replace("/", "-")
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError as e:
        raise BadInput(
            f"无法识别的日期：{text}（请写成 2025-03-01 或 2025-03-01 14:30）",
            f"unrecognised date: {text} (write 2025-03-01 or 2025-03-01 14:30)",
        ) from e
    if value.tzinfo is None:
        value = value.astimezone()  # interpret as local time
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def read_log(
    archive: Archive,
    *,
    since: dt.datetime | str | None = None,
    entity: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Audit entries at or after `since` (naive UTC datetime, or text for `parse_since`),
    oldest first; `limit` keeps the newest `limit` of them."""
    if isinstance(since, str):
        since = parse_since(since)
    q = select(AuditLog)
    if since is not None:
        q = q.where(AuditLog.at >= since)
    if entity:
        q = q.where(AuditLog.entity == entity)
    if limit:
        q = q.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)
    else:
        q = q.order_by(AuditLog.at, AuditLog.id)
    with archive.sessions.read() as s:
        rows = [_entry(r) for r in s.scalars(q)]
    if limit:
        rows.reverse()
    return rows


def _entry(row: AuditLog) -> AuditEntry:
    try:
        summary = json.loads(row.summary) if row.summary else {}
        if not isinstance(summary, dict):
            summary = {"value": summary}
    except ValueError:
        summary = {"text": row.summary}
    local = row.at.replace(tzinfo=dt.UTC).astimezone()
    return AuditEntry(
        id=row.id,
        at=row.at.isoformat(timespec="seconds") + "Z",
        at_local=local.strftime("%Y-%m-%d %H:%M:%S"),
        user=row.user,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        summary=summary,
    )


__all__ = ["AuditEntry", "parse_since", "read_log"]
