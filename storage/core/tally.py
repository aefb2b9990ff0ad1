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
- ('blob', ''): n = stored files, m = their bytes.

Rows whose counts fall to zero stay (n = m = 0); readers skip them. `recompute` rebuilds
the table from the records (what `verify --repair` does when `drift` finds a difference).
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
)
CURRENT = f"SELECT kind, key, n, m FROM {TABLE}"

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
    out = []
    for key in sorted(set(want) | set(have)):
        if want.get(key, (0, 0)) != have.get(key, (0, 0)):
            out.append(f"{key[0]} {key[1]}: kept {have.get(key, (0, 0))}, counted {want.get(key, (0, 0))}")
    return out


def recompute(execute: Callable[[str], object]) -> None:
    """Rebuild the tally from the records with `execute(sql)` (inside the caller's write
    transaction)."""
    execute(f"DELETE FROM {TABLE}")
    for sql in EXPECTED:
        execute(f"INSERT INTO {TABLE} (kind, key, n, m) {sql}")


__all__ = ["CURRENT", "EXPECTED", "TABLE", "drift", "recompute"]
