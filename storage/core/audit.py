"""The audit log: every change to the archive, with who (the OS user), when and what.

Rows are written by a flush hook inside the same transaction as the change they record, so
a change and its log entry are committed, or rolled back, together. Write sessions opt in
through `track()`; nothing else needs to remember to log.
"""
from __future__ import annotations

import datetime as dt
import decimal
import getpass
import json
import os
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, attributes

from storage.models import AuditLog, utcnow  # local: models imports nothing of ours

_MAX_VALUE = 200


def current_user() -> str:
    """The OS user name (Chinese names on Windows included); never fails."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getpass raises several kinds when no name is set
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"


def track(session: Session, user: str | None = None) -> None:
    session.info["audit_user"] = user or current_user()


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, str) and len(value) > _MAX_VALUE:
        return value[:_MAX_VALUE] + "…"
    return value


def _identity(obj: Any) -> str:
    # In after_flush new objects have their keys but no identity yet: read the key columns.
    state = inspect(obj)
    ident = state.identity or state.mapper.primary_key_from_instance(obj)
    return ",".join("" if v is None else str(v) for v in ident)


def _columns(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {c.key: _plain(getattr(obj, c.key)) for c in mapper.column_attrs}


def _changes(obj: Any) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for attr in inspect(obj).mapper.column_attrs:
        hist = attributes.get_history(obj, attr.key)
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            changed[attr.key] = [_plain(old), _plain(new)]
    return changed


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx: Any) -> None:
    user = session.info.get("audit_user")
    if user is None:
        return

    now = utcnow()
    rows: list[dict[str, Any]] = []

    def add(action: str, obj: Any, summary: dict[str, Any]) -> None:
        if isinstance(obj, AuditLog):
            return
        rows.append(
            {
                "at": now,
                "user": user,
                "action": action,
                "entity": obj.__tablename__,
                "entity_id": _identity(obj),
                "summary": json.dumps(summary, ensure_ascii=False, default=str),
            }
        )

    for obj in session.new:
        add("insert", obj, _columns(obj))
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            changes = _changes(obj)
            changes.pop("version", None)
            if changes:
                add("update", obj, changes)
    for obj in session.deleted:
        add("delete", obj, _columns(obj))
    if rows:
        session.connection().execute(insert(AuditLog.__table__), rows)


def log_rows(session: Session, action: str, entity: str, rows: list[dict[str, Any]]) -> None:
    """Audit rows for changes made with plain INSERT/UPDATE statements (bulk paths that
    bypass the flush hook), in the same transaction."""

    if not rows:
        return
    now = utcnow()
    user = session.info.get("audit_user") or current_user()
    session.connection().execute(
        insert(AuditLog.__table__),
        [
            {
                "at": now,
                "user": user,
                "action": action,
                "entity": entity,
                "entity_id": str(r.get("id", r.get("evidence_id", ""))),
                "summary": json.dumps({k: _plain(v) for k, v in r.items()}, ensure_ascii=False,
                                      default=str),
            }
            for r in rows
        ],
    )


def log_action(session: Session, action: str, entity: str, entity_id: str = "",
               summary: dict[str, Any] | None = None) -> None:
    """Record an action that is not a row change (an export, a verify run, a backup)."""

    session.connection().execute(
        insert(AuditLog.__table__),
        [
            {
                "at": utcnow(),
                "user": session.info.get("audit_user") or current_user(),
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "summary": json.dumps(summary or {}, ensure_ascii=False, default=str),
            }
        ],
    )
