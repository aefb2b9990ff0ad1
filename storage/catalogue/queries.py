"""Queries that return read models. Aggregates are done in SQL (a few GROUP BYs), so status
stays fast at 50,000 evidence items; the indicator tree (tens of nodes) is rolled up here.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import String, and_, func, select, text, type_coerce
from sqlalchemy.orm import Session

from storage.catalogue import counts, items
from storage.kernel.errors import BadInput
from storage.models import (
    Blob,
    Department,
    Duty,
    Evidence,
    EvidenceFile,
    Framework,
    Indicator,
    Setting,
    WatchedFolder,
)
from storage.readmodels import EvidenceRow, IndicatorNode, SetupProgress, StatusReport

LIVE = and_(Evidence.trashed_at.is_(None), Evidence.status != "superseded")


def current_framework_id(session: Session) -> int | None:
    """The framework the clerk works on: the `current_framework` setting, else the newest."""
    value = session.scalar(select(Setting.value).where(Setting.key == "current_framework"))
    if value and value.strip().isdigit():
        fid = int(value)
        if session.get(Framework, fid) is not None:
            return fid
    return session.scalar(select(func.max(Framework.id)))


def counts_fetch(session: Session) -> counts.Fetch:
    """Run `storage.catalogue.counts` statements through the session's connection."""
    def fetch(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return [tuple(r) for r in session.execute(text(sql), dict(params))]
    return fetch


def on_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def indicator_tree(session: Session, framework_id: int | None = None) -> list[IndicatorNode]:
    """Every indicator of the framework in tree order (depth first), with coverage counts."""
    fid = framework_id if framework_id is not None else current_framework_id(session)
    if fid is None:
        return []
    return counts.indicator_tree(counts_fetch(session), fid, sqlite=on_sqlite(session))


def status(session: Session, archive_path: str = "") -> StatusReport:
    """Counts by status, coverage of the indicator tree and counts by department: the same
    statements `evidence-desk status` runs without SQLAlchemy (`storage.catalogue.counts`)."""
    return counts.status_report(counts_fetch(session), archive_path, sqlite=on_sqlite(session))


def setup_progress(session: Session, root: str = "") -> SetupProgress:
    fid = current_framework_id(session)
    name = session.scalar(select(Framework.name).where(Framework.id == fid)) if fid else ""
    indicators = session.scalar(select(func.count()).select_from(Indicator)
                                .where(Indicator.framework_id == fid)) if fid else 0
    return SetupProgress(
        root=root,
        framework_name=name or "",
        indicators=int(indicators or 0),
        duties=int(session.scalar(select(func.count()).select_from(Duty)) or 0),
        folders=int(session.scalar(select(func.count()).select_from(WatchedFolder)) or 0),
        evidence=_items_not_trashed(session),
    )


def _items_not_trashed(session: Session) -> int:
    """Items not in the trash: the tally's counts by status where the archive keeps one (the
    guide asks this on every opening; counting 200,000 rows took 30 ms on the window's road
    to its first rows), else a count."""
    fetch = counts_fetch(session)
    if counts.has_tally(fetch, on_sqlite(session)):
        return sum(int(n) for _status, n in fetch(counts.TALLY_STATUS, {}))
    return int(session.scalar(select(func.count()).select_from(Evidence)
                              .where(Evidence.trashed_at.is_(None))) or 0)


def indicator_by_code(session: Session, code: str) -> int:
    """The id of the current framework's indicator with this code; a clear refusal if none."""
    fw = current_framework_id(session)
    q = select(Indicator.id).where(Indicator.code == code.strip())
    if fw is not None:
        q = q.where(Indicator.framework_id == fw)
    ind = session.scalar(q)
    if ind is None:
        raise BadInput(
            f"找不到指标编号 {code}（请先导入指标体系，或用 status 查看编号）",
            f"no indicator with code {code} (import the framework first, or see `status`)",
        )
    return ind


# --- a node's evidence, lazily: keys first, rows on demand (issue 19) ---------------------


def node_evidence_keys(session: Session, indicator_id: int) -> list[tuple[int, int, int]]:
    """(evidence id, indicator id, position) of every item `items.evidence_for_node` lists for
    the node, in the same order: a leaf's review order, an inner node's children in tree
    order, an item linked twice once. Reads only the links (three integers each, never
    the items' rows), a third of the time of reading the whole list; the window reads the
    rows it shows with `evidence_rows_for`."""
    ids = items.subtree_ids(session, indicator_id)
    if not ids:
        return []
    # the links alone, indicator by indicator in tree order, each in review order straight
    # from the (indicator_id, position) index; the (few) trashed items are
    # left out here: joining every link to its item for trashed_at took as long again
    links: list[Any] = []
    by_indicator = text("SELECT evidence_id, indicator_id, position FROM evidence_indicator "
                        "WHERE indicator_id = :iid ORDER BY position, evidence_id")
    for iid in ids:
        links += session.execute(by_indicator, {"iid": iid}).all()
    seen: set[int] = set(session.scalars(select(Evidence.id).where(Evidence.trashed_at.is_not(None))))
    out: list[tuple[int, int, int]] = []
    for eid, iid, pos in links:
        if eid not in seen:
            seen.add(eid)
            out.append((eid, iid, pos))
    return out


KEY_PAGE = 1000  # keys a page of `node_evidence_page` holds by default


def node_subtree(session: Session, indicator_id: int) -> list[int]:
    """The node and every indicator below it, in the order its list goes through them (what
    `node_evidence_count` and `node_evidence_page` take; tens of ids)."""
    return items.subtree_ids(session, indicator_id)


def node_evidence_count(session: Session, subtree: Sequence[int]) -> int:
    """How many items the node's list holds (`node_evidence_keys`'s length), exactly: items
    not in the trash linked to the node or below, an item linked twice once
    (`counts.node_count`: from the tally for a leaf, whatever its size)."""
    return counts.node_count(counts_fetch(session), subtree, sqlite=on_sqlite(session))


def node_evidence_page(session: Session, subtree: Sequence[int], after: tuple[int, int, int] | None = None,
                       limit: int | None = KEY_PAGE) -> list[tuple[int, int, int]]:
    """The next `limit` keys of the node's list after the key `after` (None: from the start;
    `limit` None: all the rest), the list being `node_evidence_keys`'s: (evidence id,
    indicator id, position), indicator by indicator in `subtree`'s order, each in review
    order, an item linked twice only where it comes first.

    Keyset paging: each page starts in the (indicator_id, position) index where the last
    one ended, so a page costs the same however long the list is (the window reads a page
    as the clerk scrolls to it, as Anki's browser keeps ids and fetches rows on demand).
    An item is left out when it is in the trash, or linked to an indicator earlier in
    `subtree` (looked up by its (evidence_id, indicator_id) key, per row of the page)."""
    ids = [int(i) for i in subtree]
    if not ids or limit is not None and limit <= 0:
        return []
    start, pos, eid = 0, None, None
    if after is not None:
        eid, iid, pos = (int(v) for v in after)
        if iid not in ids:
            return []
        start = ids.index(iid)
    join = "CROSS JOIN" if on_sqlite(session) else "JOIN"  # SQLite: walk the links first
    out: list[tuple[int, int, int]] = []
    conn = session.connection()
    for n in range(start, len(ids)):
        iid = ids[n]
        where = [f"ei.indicator_id = {iid}", "e.trashed_at IS NULL"]
        if n == start and pos is not None:
            where.append(f"(ei.position, ei.evidence_id) > ({int(pos)}, {int(eid or 0)})")
        if n:
            earlier = ",".join(str(i) for i in ids[:n])
            where.append("NOT EXISTS (SELECT 1 FROM evidence_indicator x WHERE x.evidence_id = ei.evidence_id"
                         f" AND x.indicator_id IN ({earlier}))")
        want = None if limit is None else limit - len(out)
        sql = (f"SELECT ei.evidence_id, ei.position FROM evidence_indicator ei {join} evidence e "
               f"ON e.id = ei.evidence_id WHERE {' AND '.join(where)} "
               f"ORDER BY ei.position, ei.evidence_id" + (f" LIMIT {want}" if want is not None else ""))
        out += [(e, iid, p) for e, p in conn.exec_driver_sql(sql)]
        if limit is not None and len(out) >= limit:
            break
    return out


def evidence_rows_for(session: Session, keys: Sequence[tuple[int, int, int]]) -> list[EvidenceRow]:
    """The rows of `keys` (from `node_evidence_keys`), in their order, as
    `items.evidence_for_node` makes them (first current file shown, the others counted);
    an item trashed or gone since is left out."""
    if not keys:
        return []
    found: dict[int, tuple[Any, ...]] = {}
    files: dict[int, set[int]] = {}
    eids = [k[0] for k in keys]
    for start in range(0, len(eids), 900):
        chunk = eids[start:start + 900]
        for r in session.execute(
            select(
                Evidence.id, Evidence.title, Evidence.doc_number, type_coerce(Evidence.issue_date, String),
                Evidence.status, Department.name, EvidenceFile.id, EvidenceFile.original_name,
                Blob.sha256, Blob.size, type_coerce(EvidenceFile.added_at, String),
            )
            .outerjoin(Department, Department.id == Evidence.department_id)
            .outerjoin(EvidenceFile, (EvidenceFile.evidence_id == Evidence.id)
                       & EvidenceFile.is_current.is_(True))
            .outerjoin(Blob, Blob.id == EvidenceFile.blob_id)
            .where(Evidence.id.in_(chunk), Evidence.trashed_at.is_(None))
        ):
            eid, fid = r[0], r[6]
            best = found.get(eid)
            if best is None or (fid is not None and (best[6] is None or fid < best[6])):
                found[eid] = tuple(r)
            if fid is not None:
                files.setdefault(eid, set()).add(fid)
    out = []
    for eid, _iid, pos in keys:
        v = found.get(eid)
        if v is None:
            continue
        out.append(items._evidence_row((
            eid, v[1], v[2] or "", items._as_date(v[3]), v[4], v[5] or "", len(files.get(eid, ())),
            int(v[9] or 0), v[7] or "", v[8] or "", pos, items._as_datetime(v[10]))))
    return out
