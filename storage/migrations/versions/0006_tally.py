"""tally: the counts `status` shows, kept by triggers (issue 19)

On SQLite only (a server archive on PostgreSQL counts with scans): the table `tally` and
the triggers that keep it right (see `storage.core.tally`), filled from the records once
here. The statements are written out here, not imported, so this revision stays what it
was (`storage.core.tally.TRIGGERS` is the same today; repair makes missing ones from it).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""
from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_UPSERT = " ON CONFLICT (kind, key) DO UPDATE SET n = n + excluded.n, m = m + excluded.m;"
_LIVE = "{r}.trashed_at IS NULL AND {r}.status <> 'superseded'"
_ACC = "CASE WHEN {r}.status = 'accepted' THEN 1 ELSE 0 END"


def _evidence(r: str, sign: str) -> str:
    """The statements adding (sign '+') or taking away (sign '-') the counts of evidence row
    `r` (NEW or OLD): its status, its department, the links it has now."""
    live, acc = _LIVE.format(r=r), _ACC.format(r=r)
    return (
        f"INSERT INTO tally (kind, key, n, m) SELECT 'status', {r}.status, {sign}1, 0 "
        f"WHERE {r}.trashed_at IS NULL" + _UPSERT
        + f" INSERT INTO tally (kind, key, n, m) SELECT 'department', coalesce({r}.department_id, ''), "
        f"{sign}1, {sign}{acc} WHERE {live}" + _UPSERT
        + f" INSERT INTO tally (kind, key, n, m) SELECT 'indicator', ei.indicator_id, {sign}1, {sign}{acc} "
        f"FROM evidence_indicator ei WHERE ei.evidence_id = {r}.id AND {live}" + _UPSERT
        + f" INSERT INTO tally (kind, key, n, m) SELECT 'pair', ei.indicator_id || '/' || "
        f"coalesce({r}.department_id, ''), {sign}1, {sign}{acc} "
        f"FROM evidence_indicator ei WHERE ei.evidence_id = {r}.id AND {live}" + _UPSERT
    )


def _link(r: str, sign: str) -> str:
    """Add or take away link `r` (NEW or OLD), counted when its item is live."""
    return (
        f"INSERT INTO tally (kind, key, n, m) SELECT 'indicator', {r}.indicator_id, {sign}1, "
        f"{sign}{_ACC.format(r='e')} FROM evidence e WHERE e.id = {r}.evidence_id AND {_LIVE.format(r='e')}"
        + _UPSERT
        + f" INSERT INTO tally (kind, key, n, m) SELECT 'pair', {r}.indicator_id || '/' || "
        f"coalesce(e.department_id, ''), {sign}1, {sign}{_ACC.format(r='e')} FROM evidence e "
        f"WHERE e.id = {r}.evidence_id AND {_LIVE.format(r='e')}" + _UPSERT
    )


def _blob(r: str, sign: str) -> str:
    return (f"INSERT INTO tally (kind, key, n, m) SELECT 'blob', '', {sign}1, {sign}coalesce({r}.size, 0) "
            f"WHERE 1" + _UPSERT)


# An item's counts go before its row does (BEFORE DELETE): with foreign keys on, SQLite
# deletes the row, then its links (cascade, whose triggers then find no item), then runs
# AFTER triggers, which would find no links.
TRIGGERS = {
    "tally_evidence_insert": f"AFTER INSERT ON evidence BEGIN {_evidence('NEW', '+')} END",
    "tally_evidence_delete": f"BEFORE DELETE ON evidence BEGIN {_evidence('OLD', '-')} END",
    "tally_evidence_update": ("AFTER UPDATE OF status, trashed_at, department_id, id ON evidence BEGIN "
                              f"{_evidence('OLD', '-')} {_evidence('NEW', '+')} END"),
    "tally_link_insert": f"AFTER INSERT ON evidence_indicator BEGIN {_link('NEW', '+')} END",
    "tally_link_delete": f"AFTER DELETE ON evidence_indicator BEGIN {_link('OLD', '-')} END",
    "tally_link_update": ("AFTER UPDATE OF evidence_id, indicator_id ON evidence_indicator BEGIN "
                          f"{_link('OLD', '-')} {_link('NEW', '+')} END"),
    "tally_blob_insert": f"AFTER INSERT ON blob BEGIN {_blob('NEW', '+')} END",
    "tally_blob_delete": f"AFTER DELETE ON blob BEGIN {_blob('OLD', '-')} END",
    "tally_blob_update": f"AFTER UPDATE OF size ON blob BEGIN {_blob('OLD', '-')} {_blob('NEW', '+')} END",
}

FILL = (
    "SELECT 'status', status, count(*), 0 FROM evidence WHERE trashed_at IS NULL GROUP BY status",
    "SELECT 'blob', '', count(*), coalesce(sum(size), 0) FROM blob",
    "SELECT 'department', coalesce(department_id, ''), count(*), "
    "sum(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) FROM evidence "
    "WHERE trashed_at IS NULL AND status <> 'superseded' GROUP BY department_id",
    "SELECT 'indicator', ei.indicator_id, count(*), "
    "sum(CASE WHEN e.status = 'accepted' THEN 1 ELSE 0 END) FROM evidence_indicator ei "
    "JOIN evidence e ON e.id = ei.evidence_id "
    "WHERE e.trashed_at IS NULL AND e.status <> 'superseded' GROUP BY ei.indicator_id",
    "SELECT 'pair', ei.indicator_id || '/' || coalesce(e.department_id, ''), count(*), "
    "sum(CASE WHEN e.status = 'accepted' THEN 1 ELSE 0 END) FROM evidence_indicator ei "
    "JOIN evidence e ON e.id = ei.evidence_id "
    "WHERE e.trashed_at IS NULL AND e.status <> 'superseded' GROUP BY ei.indicator_id, e.department_id",
)

def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    op.execute("CREATE TABLE tally (kind TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0, "
               "m INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (kind, key)) WITHOUT ROWID")
    for sql in FILL:
        op.execute(f"INSERT INTO tally (kind, key, n, m) {sql}")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS tally")
