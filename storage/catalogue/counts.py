"""The `status` report (counts by status, coverage of the indicator tree, counts by
department) from a handful of plain SQL aggregates, with no ORM and no SQLAlchemy.

One implementation for both roads to it: `storage.catalogue.queries.status` runs these
statements through a session's connection (SQLite or PostgreSQL), and
`storage.catalogue.status_light` runs them through the standard library's sqlite3 on a
local archive, so `evidence-desk status` answers without importing SQLAlchemy, the models
or Alembic. The statements are plain SQL that both back ends accept; the one SQLite-only
part is CROSS JOIN, which keeps SQLite to the join order of the link counts (`LINKS_NOT_LIVE`).

A SQLite archive (schema 0006 on) keeps the counts by status, department, indicator and
file in the table `tally`, maintained by triggers (`storage.core.tally`): those are read
from it, a few hundred rows, whatever the archive's size. The scans below are the answer
on PostgreSQL and wherever the tally or one of its triggers is missing.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from storage.kernel.statusreport import DepartmentCount, IndicatorNode, StatusReport

# (sql, params) -> rows as tuples
Fetch = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]

CURRENT_SETTING = "SELECT value FROM setting WHERE key = 'current_framework'"
FRAMEWORK = "SELECT id, name, is_sample FROM framework WHERE id = :fid"
NEWEST_FRAMEWORK = "SELECT max(id) FROM framework"
BY_STATUS = "SELECT status, count(*) FROM evidence WHERE trashed_at IS NULL GROUP BY status"
FILES = "SELECT count(*), coalesce(sum(size), 0) FROM blob"
INDICATORS = (
    "SELECT id, parent_id, level, position, code, title, max_score, is_key, is_veto "
    "FROM indicator WHERE framework_id = :fid ORDER BY position, id"
)
# Links to each indicator (every framework's: the caller keeps its framework's): all of them
# from the (indicator_id, position) index alone, then the few links of items that are not
# live (trashed or superseded) to take away, and the links of accepted live items. Each
# walks an index of evidence (status, trashed_at) and looks the links up by evidence id, so
# the wide evidence rows are never read: about a fifth of the time of joining every link to
# its item. `{join}` is CROSS JOIN on SQLite (keep that order: evidence first) and JOIN
# elsewhere.
LINKS_ALL = "SELECT indicator_id, count(*) FROM evidence_indicator GROUP BY indicator_id"
LINKS_NOT_LIVE = (
    "SELECT ei.indicator_id, count(*) FROM evidence e {join} evidence_indicator ei "
    "ON ei.evidence_id = e.id WHERE e.trashed_at IS NOT NULL OR e.status = 'superseded' "
    "GROUP BY ei.indicator_id"
)
LINKS_ACCEPTED = (
    "SELECT ei.indicator_id, count(*) FROM evidence e {join} evidence_indicator ei "
    "ON ei.evidence_id = e.id WHERE e.status = 'accepted' AND e.trashed_at IS NULL "
    "GROUP BY ei.indicator_id"
)
# Live items by department (grouped in the (department_id, status, trashed_at) index's
# order, no sorting); names and the order by count are added here.
BY_DEPARTMENT = (
    "SELECT department_id, count(*), sum(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) "
    "FROM evidence WHERE trashed_at IS NULL AND status <> 'superseded' GROUP BY department_id"
)
DEPARTMENT_NAMES = "SELECT id, name FROM department"
DEPARTMENTS = "SELECT count(*) FROM department"
DUTIES = "SELECT count(*) FROM duty"
# the current round's duties only (after `round new` the old round's stay, not counted twice)
DUTIES_OF = "SELECT count(*) FROM duty WHERE framework_id = :fid"
INBOX_PENDING = "SELECT count(*) FROM inbox_entry WHERE state = 'pending'"

# The tally (SQLite, storage.core.tally): used when the table and all its triggers are there.
TALLY_READY = (
    "SELECT count(*) FROM sqlite_master WHERE (type = 'table' AND name = 'tally') "
    "OR (type = 'trigger' AND name GLOB 'tally_*')"
)
TALLY_PARTS = 10  # the table and its nine triggers
TALLY_STATUS = "SELECT key, n FROM tally WHERE kind = 'status' AND n <> 0"
TALLY_FILES = "SELECT n, m FROM tally WHERE kind = 'blob'"
TALLY_LINKS = "SELECT key, n, m FROM tally WHERE kind = 'indicator' AND n <> 0"
TALLY_DEPARTMENTS = "SELECT key, n, m FROM tally WHERE kind = 'department' AND n <> 0"


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


def has_tally(fetch: Fetch, sqlite: bool) -> bool:
    """Whether the counts can be read from the trigger-kept tally (SQLite, schema 0006 on)."""
    return sqlite and int(_one(fetch, TALLY_READY) or 0) == TALLY_PARTS


def link_counts(fetch: Fetch, indicator_ids: set[int], *, sqlite: bool = False,
                tally: bool | None = None) -> list[tuple[int, int, int]]:
    """(indicator id, live items linked, accepted ones) for the given indicators."""
    if tally if tally is not None else has_tally(fetch, sqlite):
        return [(int(i), int(n), int(m or 0)) for i, n, m in fetch(TALLY_LINKS, {})
                if int(i) in indicator_ids]
    join = "CROSS JOIN" if sqlite else "JOIN"
    total = {int(i): int(n) for i, n in fetch(LINKS_ALL, {}) if int(i) in indicator_ids}
    for i, n in fetch(LINKS_NOT_LIVE.format(join=join), {}):
        if int(i) in total:
            total[int(i)] -= int(n)
    accepted = {int(i): int(n) for i, n in fetch(LINKS_ACCEPTED.format(join=join), {})}
    return [(i, n, accepted.get(i, 0)) for i, n in total.items() if n]


# A node's list length (`queries.node_evidence_count`); `{ids}` are the node's subtree ids.
NODE_SUPERSEDED_LINKS = (  # links of superseded items not in the trash (the tally leaves them out)
    "SELECT count(*) FROM evidence e {join} evidence_indicator ei ON ei.evidence_id = e.id "
    "WHERE e.status = 'superseded' AND e.trashed_at IS NULL AND ei.indicator_id IN ({ids})"
)
NODE_KEPT_LINKS = (  # links of items not in the trash, by scan (no tally)
    "SELECT count(*) FROM evidence_indicator ei JOIN evidence e ON e.id = ei.evidence_id "
    "WHERE e.trashed_at IS NULL AND ei.indicator_id IN ({ids})"
)
# items linked to the subtree (trashed or not). On SQLite `{plus}` is "+", which keeps the
# planner off the (indicator_id, position) index: it then counts in one pass over the
# (evidence_id, indicator_id) key, in its order, with no temporary table for DISTINCT
# (the (indicator_id, position) road looks each link's row up and sorts: 4x the time)
NODE_ITEMS = "SELECT count(DISTINCT evidence_id) FROM evidence_indicator WHERE {plus}indicator_id IN ({ids})"
# trashed items linked to the subtree, walked from the (status, trashed_at) index
NODE_TRASHED_ITEMS = (
    "SELECT count(DISTINCT ei.evidence_id) FROM evidence e {join} evidence_indicator ei "
    "ON ei.evidence_id = e.id WHERE e.status IN ('received', 'accepted', 'returned', 'superseded') "
    "AND e.trashed_at IS NOT NULL AND ei.indicator_id IN ({ids})"
)
TALLY_NODE = "SELECT coalesce(sum(n), 0) FROM tally WHERE kind = 'indicator' AND key IN ({keys})"


def node_count(fetch: Fetch, subtree: Sequence[int], *, sqlite: bool = False,
               tally: bool | None = None) -> int:
    """Items in a node's list: linked to an indicator of `subtree` (the node and all below
    it), not in the trash, an item linked to several of them once.

    A leaf (one indicator: an item links to it at most once) is counted from the tally (live
    links) plus the links of superseded items, which the list shows and the tally leaves out:
    two index lookups, the same for 500 items or 50,000. An inner node can hold an item twice
    (linked to two of its leaves), so its items are counted in one pass over the
    (evidence_id, indicator_id) key, minus the trashed ones among them."""
    ids = ",".join(str(int(i)) for i in subtree)
    if not ids:
        return 0
    join = "CROSS JOIN" if sqlite else "JOIN"
    if len(subtree) == 1:
        if tally if tally is not None else has_tally(fetch, sqlite):
            live = int(_one(fetch, TALLY_NODE.format(keys=f"'{int(subtree[0])}'")) or 0)
            return live + int(_one(fetch, NODE_SUPERSEDED_LINKS.format(join=join, ids=ids)) or 0)
        return int(_one(fetch, NODE_KEPT_LINKS.format(ids=ids)) or 0)
    return (int(_one(fetch, NODE_ITEMS.format(plus="+" if sqlite else "", ids=ids)) or 0)
            - int(_one(fetch, NODE_TRASHED_ITEMS.format(join=join, ids=ids)) or 0))


def indicator_tree(fetch: Fetch, fid: int, *, sqlite: bool = False,
                   tally: bool | None = None) -> list[IndicatorNode]:
    """The framework's indicator tree with coverage counts (see `build_tree`)."""
    indicators = fetch(INDICATORS, {"fid": fid})
    counts = link_counts(fetch, {int(r[0]) for r in indicators}, sqlite=sqlite, tally=tally)
    return build_tree(indicators, counts)


def by_department(fetch: Fetch, *, tally: bool = False) -> list[DepartmentCount]:
    """Live items and accepted ones per department, most items first (ties: no department
    first, then by id)."""
    names = {int(i): n for i, n in fetch(DEPARTMENT_NAMES, {})}
    if tally:
        rows = [(int(d) if d not in (None, "") else None, int(n), int(a or 0))
                for d, n, a in fetch(TALLY_DEPARTMENTS, {})]
    else:
        rows = [(d, int(n), int(a or 0)) for d, n, a in fetch(BY_DEPARTMENT, {})]
    rows.sort(key=lambda r: (-r[1], r[0] is not None, r[0] or 0))
    return [DepartmentCount(d, (names.get(d) if d is not None else None) or "（未指定单位）", n, a)
            for d, n, a in rows]


def status_report(fetch: Fetch, archive_path: str = "", *, sqlite: bool = False) -> StatusReport:
    """The whole `status` report. `sqlite` says the statements go to SQLite (the index hint)."""
    fid, fw_name, fw_sample = current_framework(fetch)
    tally = has_tally(fetch, sqlite)
    by_status = {str(s): int(n) for s, n in fetch(TALLY_STATUS if tally else BY_STATUS, {})}
    files, size = ((fetch(TALLY_FILES, {}) if tally else fetch(FILES, {})) or [(0, 0)])[0]
    tree = indicator_tree(fetch, fid, sqlite=sqlite, tally=tally) if fid is not None else []
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
        duties=int((_one(fetch, DUTIES_OF, {"fid": fid}) if fid is not None else _one(fetch, DUTIES)) or 0),
        inbox_pending=int(_one(fetch, INBOX_PENDING) or 0),
        indicators_total=sum(r.subtree_leaves for r in roots),
        indicators_covered=sum(r.subtree_leaves_covered for r in roots),
        indicators_accepted=sum(r.subtree_leaves_accepted for r in roots),
        level1=roots,
        indicators=tree,
        by_department=by_department(fetch, tally=tally),
    )


__all__ = ["Fetch", "build_tree", "current_framework", "has_tally", "indicator_tree", "link_counts",
           "node_count", "status_report"]
