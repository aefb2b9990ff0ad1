"""The `status` report (counts by status, coverage of the indicator tree, counts by
department) from a handful of plain SQL aggregates, with no ORM and no SQLAlchemy.

One implementation for both roads to it: `storage.catalogue.queries.status` runs these
statements through a session's connection (SQLite or PostgreSQL), and
`storage.catalogue.status_light` runs them through the standard library's sqlite3 on a
local archive, so `evidence-desk status` answers without importing SQLAlchemy, the models
or Alembic. The statements are plain SQL that both back ends accept; the one SQLite-only
part is an index hint for the link count (see `LINK_COUNTS_SQLITE`).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from storage.readmodels import DepartmentCount, IndicatorNode, StatusReport

# (sql, params) -> rows as tuples
Fetch = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]

LIVE_SQL = "e.trashed_at IS NULL AND e.status <> 'superseded'"

CURRENT_SETTING = "SELECT value FROM setting WHERE key = 'current_framework'"
FRAMEWORK = "SELECT id, name, is_sample FROM framework WHERE id = :fid"
NEWEST_FRAMEWORK = "SELECT max(id) FROM framework"
BY_STATUS = "SELECT status, count(*) FROM evidence WHERE trashed_at IS NULL GROUP BY status"
FILES = "SELECT count(*), coalesce(sum(size), 0) FROM blob"
INDICATORS = (
    "SELECT id, parent_id, level, position, code, title, max_score, is_key, is_veto "
    "FROM indicator WHERE framework_id = :fid ORDER BY position, id"
)
# Items linked to each indicator of the framework, and how many of them are accepted.
LINK_COUNTS = (
    "SELECT ei.indicator_id, count(*), "
    "sum(CASE WHEN e.status = 'accepted' THEN 1 ELSE 0 END) "
    "FROM evidence_indicator ei JOIN evidence e ON e.id = ei.evidence_id "
    "WHERE ei.indicator_id IN (SELECT id FROM indicator WHERE framework_id = :fid) "
    f"AND {LIVE_SQL} GROUP BY ei.indicator_id"
)
# The same on SQLite, walking the links in evidence order (the primary key's index, which
# covers both columns) and reading each item's status from the narrow (id, status,
# trashed_at) index: neighbouring lookups hit the same pages, half the time of the plan
# SQLite picks by itself (per indicator, then a random lookup in the wide evidence rows).
LINK_COUNTS_SQLITE = (
    "SELECT ei.indicator_id, count(*), "
    "sum(CASE WHEN e.status = 'accepted' THEN 1 ELSE 0 END) "
    "FROM evidence_indicator ei INDEXED BY sqlite_autoindex_evidence_indicator_1 "
    "CROSS JOIN evidence e INDEXED BY ix_evidence_id_status ON e.id = ei.evidence_id "
    "WHERE ei.indicator_id IN (SELECT id FROM indicator WHERE framework_id = :fid) "
    f"AND {LIVE_SQL} GROUP BY ei.indicator_id"
)
BY_DEPARTMENT = (
    "SELECT e.department_id, d.name, count(*), "
    "sum(CASE WHEN e.status = 'accepted' THEN 1 ELSE 0 END) "
    "FROM evidence e LEFT OUTER JOIN department d ON d.id = e.department_id "
    f"WHERE {LIVE_SQL} GROUP BY e.department_id, d.name ORDER BY count(*) DESC"
)
DEPARTMENTS = "SELECT count(*) FROM department"
DUTIES = "SELECT count(*) FROM duty"
INBOX_PENDING = "SELECT count(*) FROM inbox_entry WHERE state = 'pending'"


def _one(fetch: Fetch, sql: str, params: Mapping[str, Any] | None = None) -> Any:
    rows = fetch(sql, params or {})
    return rows[0][0] if rows else None


def current_framework(fetch: Fetch) -> tuple[int | None, str, bool]:
    """(id, name, is_sample) of the framework the clerk works on: the `current_framework`
    setting if it names one, else the newest; (None, "", False) when there is none."""
    value = _one(fetch, CURRENT_SETTING)
    rows: Sequence[Sequence[Any]] = []
    if value and str(value).strip().isdigit():
        rows = fetch(FRAMEWORK, {"fid": int(value)})
    if not rows:
        newest = _one(fetch, NEWEST_FRAMEWORK)
        rows = fetch(FRAMEWORK, {"fid": newest}) if newest is not None else []
    if not rows:
        return None, "", False
    fid, name, is_sample = rows[0]
    return int(fid), name or "", bool(is_sample)


def build_tree(indicators: Sequence[Sequence[Any]],
               counts: Sequence[Sequence[Any]]) -> list[IndicatorNode]:
    """Every indicator in tree order (depth first) with coverage counts rolled up.

    `indicators` are (id, parent_id, level, position, code, title, max_score, is_key,
    is_veto) in (position, id) order; `counts` are (indicator_id, linked, accepted)."""
    received = {int(r[0]): int(r[1]) for r in counts}
    accepted = {int(r[0]): int(r[2] or 0) for r in counts}
    children: dict[int | None, list[Sequence[Any]]] = defaultdict(list)
    for ind in indicators:
        children[ind[1]].append(ind)
    out: list[IndicatorNode | None] = []

    def walk(ind: Sequence[Any]) -> tuple[int, int, int]:
        iid, parent_id, level, position, code, title, max_score, is_key, is_veto = ind
        slot = len(out)
        out.append(None)  # filled after the subtree
        kids = children.get(iid, [])
        if kids:
            leaves = covered = acc = 0
            for k in kids:
                a, b, c = walk(k)
                leaves, covered, acc = leaves + a, covered + b, acc + c
        else:
            leaves = 1
            covered = 1 if received.get(iid) else 0
            acc = 1 if accepted.get(iid) else 0
        out[slot] = IndicatorNode(
            id=iid, parent_id=parent_id, level=level, position=position, code=code, title=title,
            max_score=float(max_score) if max_score is not None else None,
            is_key=bool(is_key), is_veto=bool(is_veto), is_leaf=not kids,
            received=received.get(iid, 0), accepted=accepted.get(iid, 0),
            subtree_leaves=leaves, subtree_leaves_covered=covered, subtree_leaves_accepted=acc,
        )
        return leaves, covered, acc

    for root in children.get(None, []):
        walk(root)
    return [n for n in out if n is not None]


HINTED_INDEXES = (
    "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
    "AND name IN ('sqlite_autoindex_evidence_indicator_1', 'ix_evidence_id_status')"
)


def indicator_tree(fetch: Fetch, fid: int, *, sqlite: bool = False) -> list[IndicatorNode]:
    """The framework's indicator tree with coverage counts (see `build_tree`); on SQLite
    with the index hint when both indexes it names are there."""
    hinted = sqlite and _one(fetch, HINTED_INDEXES) == 2
    counts = fetch(LINK_COUNTS_SQLITE if hinted else LINK_COUNTS, {"fid": fid})
    return build_tree(fetch(INDICATORS, {"fid": fid}), counts)


def status_report(fetch: Fetch, archive_path: str = "", *, sqlite: bool = False) -> StatusReport:
    """The whole `status` report. `sqlite` says the statements go to SQLite (the index hint)."""
    fid, fw_name, fw_sample = current_framework(fetch)
    by_status = {str(s): int(n) for s, n in fetch(BY_STATUS, {})}
    files, size = fetch(FILES, {})[0]
    tree = indicator_tree(fetch, fid, sqlite=sqlite) if fid is not None else []
    roots = [n for n in tree if n.parent_id is None]
    return StatusReport(
        archive=archive_path,
        framework_id=fid,
        framework_name=fw_name,
        framework_is_sample=fw_sample,
        evidence_total=sum(by_status.values()),
        evidence_by_status=by_status,
        files=int(files),
        bytes=int(size),
        departments=int(_one(fetch, DEPARTMENTS) or 0),
        duties=int(_one(fetch, DUTIES) or 0),
        inbox_pending=int(_one(fetch, INBOX_PENDING) or 0),
        indicators_total=sum(r.subtree_leaves for r in roots),
        indicators_covered=sum(r.subtree_leaves_covered for r in roots),
        indicators_accepted=sum(r.subtree_leaves_accepted for r in roots),
        level1=roots,
        indicators=tree,
        by_department=[
            DepartmentCount(d, name or "（未指定单位）", int(n), int(a or 0))
            for d, name, n, a in fetch(BY_DEPARTMENT, {})
        ],
    )


__all__ = ["Fetch", "build_tree", "current_framework", "indicator_tree", "status_report"]
