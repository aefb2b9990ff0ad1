"""The counts `status` and the indicator tree show, kept up to date by the database itself
(SQLite archives; schema revision 0006).

Counting 200,000 items by status, department and indicator walks an index of every item or
link: a third of a second, growing with the archive. The table `tally` holds the answers
instead, one row per thing counted, and SQLite triggers on `evidence`, `evidence_indicator`
and `blob` keep it right on every insert, update and delete, whichever code writes (ingest,
link, unlink, trash, restore, purge, accept, a round switch, a repair). Rows:

- ('status', status): n = items not in the trash with that status;
- ('department', department id or ''): n = live items (not trashed, not superseded), m = the
  accepted ones among them;
- ('indicator', indicator id): n = links of live items to it, m = links of accepted ones;
- ('pair', "indicator id/department id" or "indicator id/"): the same, by the items'
  报送单位 (what the 责任单位 view and the duties' delivery state need);
- ('blob', ''): n = stored files, m = their bytes.

Rows whose counts fall to zero stay (n = m = 0); readers skip them. `recompute` rebuilds
the table from the records and makes any missing trigger again (what `verify --repair`
does when `drift` finds a difference). A trigger goes when its table is rebuilt (Alembic's
batch mode on SQLite copies a table and drops the old one): a revision that rebuilds
`evidence`, `evidence_indicator` or `blob` must make the triggers again (`TRIGGERS`) and
recount; until then `status` counts by scans (`storage.catalogue.counts` checks that all
of them are there) and verify reports them missing.
PostgreSQL (a server archive) has no tally: its counts are the scans in
`storage.catalogue.counts`. This module is plain SQL on a DB-API or SQLAlchemy connection.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

TABLE = "tally"

# What the tally must hold, counted from the records (same meaning as the triggers).
EXPECTED = (
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
CURRENT = f"SELECT kind, key, n, m FROM {TABLE}"

_UPSERT = " ON CONFLICT (kind, key) DO UPDATE SET n = n + excluded.n, m = m + excluded.m;"
_LIVE = "{r}.trashed_at IS NULL AND {r}.status <> 'superseded'"
_ACC = "CASE WHEN {r}.status = 'accepted' THEN 1 ELSE 0 END"


def _evidence(r: str, sign: str) -> str:
    """Add (sign '+') or take away (sign '-') the counts of evidence row `r` (NEW or OLD):
    its status, its department, the links it has now."""
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


# name -> CREATE TRIGGER body; the same as schema revision 0006 made (it keeps its own copy).
# An item's counts go before its row does (BEFORE DELETE): with foreign keys on, SQLite
# deletes the row, then its links (cascade, whose triggers then find no item), then runs
# AFTER triggers, which would find no links. An item's insert counts links that are already
# there, so rows copied in any table order (a server archive brought back) come out right.
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

# (sql) -> rows; the caller binds it to its connection
Run = Callable[[str], Sequence[Sequence[Any]]]


def _norm(rows: Sequence[Sequence[Any]]) -> dict[tuple[str, str], tuple[int, int]]:
    return {(str(k), str(key)): (int(n or 0), int(m or 0)) for k, key, n, m in rows
            if (n or m) or k == "blob"}


def drift(run: Run) -> list[str]:
    """The tally rows that differ from the records, as `kind key: kept (n, m), counted (n, m)`;
    empty when the tally is right or absent (PostgreSQL, or an archive before 0006)."""
    if not run(f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'"):
        return []
    want: dict[tuple[str, str], tuple[int, int]] = {}
    for sql in EXPECTED:
        want.update(_norm(run(sql)))
    have = _norm(run(CURRENT))
    present = {str(r[0]) for r in run("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    out = [f"trigger {name}: missing" for name in TRIGGERS if name not in present]
    for key in sorted(set(want) | set(have)):
        if want.get(key, (0, 0)) != have.get(key, (0, 0)):
            out.append(f"{key[0]} {key[1]}: kept {have.get(key, (0, 0))}, counted {want.get(key, (0, 0))}")
    return out


def recompute(execute: Callable[[str], object]) -> None:
    """Make missing triggers again and rebuild the tally from the records with
    `execute(sql)` (inside the caller's write transaction)."""
    for name, body in TRIGGERS.items():
        execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    execute(f"DELETE FROM {TABLE}")
    for sql in EXPECTED:
        execute(f"INSERT INTO {TABLE} (kind, key, n, m) {sql}")


__all__ = ["CURRENT", "EXPECTED", "TABLE", "TRIGGERS", "drift", "recompute"]
