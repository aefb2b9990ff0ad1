"""A node's list, paged (issue 19 item 3): the window reads the list's length, its first page
of keys and the rows of the first screen, the same amount for a node of N items or 4N; the
rest of the keys come a page at a time as the clerk scrolls (keyset paging), the rows as they
are drawn. The count is exact (an item linked to two leaves of the node once, trashed items
out, superseded ones in), the pages are the whole list's, and sorting and filtering still see
every item."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import event, text, update
from ui_helpers import open_window

from storage.catalogue import counts, queries
from storage.catalogue.frameworks import FrameworkSpec, IndicatorSpec, add_framework
from storage.catalogue.items import evidence_for_node
from storage.catalogue.links import link_evidence
from storage.core.archive import Archive
from storage.models import Evidence
from ui.models import LazyRows

WAIT = 20_000


def _untidy(archive: Archive) -> dict[str, int]:
    """Make the demo archive awkward for a list: an item trashed, one superseded, one linked
    to a second leaf of the same level-1 node, one linked to an inner node. Returns the ids."""
    with archive.sessions.read() as s:
        tree = queries.indicator_tree(s)
    level1 = max((n for n in tree if n.level == 1), key=lambda n: n.subtree_leaves)
    leaves = [n for n in tree if n.is_leaf and _under(tree, n.id, level1.id)]
    inner = next(n for n in tree if not n.is_leaf and n.parent_id == level1.id)
    with archive.sessions.write() as s:
        first = [r.id for r in evidence_for_node(s, level1.id)]
        assert len(first) >= 3, "the demo's level-1 node has items"
        trashed, superseded, twice = first[0], first[1], first[2]
        s.execute(update(Evidence).where(Evidence.id == trashed).values(trashed_at=dt.datetime(2026, 1, 1)))
        s.execute(update(Evidence).where(Evidence.id == superseded).values(status="superseded"))
        # twice in the level-1 node's list (a second leaf of it): shown once
        assert any(link_evidence(s, [twice], leaf.id) for leaf in reversed(leaves))
        link_evidence(s, [superseded], inner.id)   # an inner node's own link
    return {"level1": level1.id, "trashed": trashed, "superseded": superseded, "twice": twice,
            "inner": inner.id}


def _under(tree, node_id: int, ancestor: int) -> bool:
    by_id = {n.id: n for n in tree}
    n = by_id.get(node_id)
    while n is not None:
        if n.id == ancestor:
            return True
        n = by_id.get(n.parent_id) if n.parent_id is not None else None
    return False


def test_count_and_pages_are_the_whole_list(demo_archive):
    ids = _untidy(demo_archive)
    with demo_archive.sessions.read() as s:
        nodes = [r[0] for r in s.execute(text("SELECT id FROM indicator"))]
        sqlite = queries.on_sqlite(s)
        for nid in nodes:
            full = queries.node_evidence_keys(s, nid)
            assert [k[0] for k in full] == [r.id for r in evidence_for_node(s, nid)], nid
            sub = queries.node_subtree(s, nid)
            # the count, from the tally and by scans, is the list's length
            assert queries.node_evidence_count(s, sub) == len(full), nid
            assert counts.node_count(queries.counts_fetch(s), sub, sqlite=sqlite, tally=False) == len(full)
            # the pages, of any size, make the whole list; None: all the rest at once
            assert queries.node_evidence_page(s, sub, None, None) == full, nid
            for size in (1, 3, 1000):
                got, last = [], None
                while True:
                    page = queries.node_evidence_page(s, sub, last, size)
                    got += page
                    if len(page) < size:
                        break
                    last = page[-1]
                assert got == full, (nid, size)
        level1 = queries.node_evidence_keys(s, ids["level1"])
        # an inner node's list goes through its indicators in tree order, as the tree shows them
        order = {n.id: i for i, n in enumerate(queries.indicator_tree(s))}
        seen = [order[k[1]] for k in level1]
        assert seen == sorted(seen) and len(set(seen)) > 2
        eids = [k[0] for k in level1]
        assert ids["trashed"] not in eids
        assert ids["superseded"] in eids and eids.count(ids["twice"]) == 1
        assert ids["superseded"] in [k[0] for k in queries.node_evidence_keys(s, ids["inner"])]
        # the guide's count of items, from the tally, is the count of items not in the trash
        assert queries.setup_progress(s).evidence == \
            s.execute(text("SELECT count(*) FROM evidence WHERE trashed_at IS NULL")).scalar()


def test_lazy_rows_read_keys_a_page_at_a_time():
    rows = {i: _row(i) for i in range(1, 2_501)}
    keys = [(i, 1, i) for i in rows]
    asked: list[tuple[object, object]] = []

    def more(after, n):
        asked.append((after, n))
        start = 0 if after is None else keys.index(tuple(after)) + 1
        return keys[start:] if n is None else keys[start:start + n]

    lazy = LazyRows(keys[:1000], lambda ks: [rows[k[0]] for k in ks], count=2_500, more=more,
                    rows=[rows[k[0]] for k in keys[:200]])
    assert len(lazy) == 2_500 and lazy.fetched == 200 and asked == []
    assert lazy[199] == rows[200] and asked == [] and lazy.fetched == 200
    assert lazy[1_500] == rows[1_501]          # one page of keys more, one page of rows
    assert asked == [(keys[999], 1000)] and lazy.keys_read == 2_000 and lazy.fetched == 400
    assert lazy.index_of(2_400) == 2_399 and lazy.complete_keys
    assert [r.id for r in lazy] == list(rows)  # iterating reads the rest in one call


def test_a_list_counted_later_grows_as_it_is_scrolled(qtbot):
    """A big inner node's first rows are shown before its length is counted: meanwhile the
    table lists the keys read so far and reads on as it is scrolled; the count, when it
    comes, is what the label shows."""
    from ui.models import EvidenceTableModel

    rows = {i: _row(i) for i in range(1, 2_501)}
    keys = [(i, 1, i) for i in rows]

    def more(after, n):
        start = 0 if after is None else keys.index(tuple(after)) + 1
        return keys[start:] if n is None else keys[start:start + n]

    model = EvidenceTableModel()
    lazy = LazyRows(keys[:1000], lambda ks: [rows[k[0]] for k in ks], count=None, more=more)
    model.set_rows(lazy, 1, leaf=False)
    assert not model.counted_all and model.total == 1000 and model.rowCount() == 500
    with qtbot.waitSignal(model.counted, timeout=1000):
        while model.canFetchMore():
            model.fetchMore()
    assert model.rowCount() == 2_500 and model.counted_all and model.total == 2_500
    assert model.row(2_499) == rows[2_500]

    lazy = LazyRows(keys[:1000], lambda ks: [rows[k[0]] for k in ks], count=None, more=more)
    model.set_rows(lazy, 1, leaf=False)
    with qtbot.waitSignal(model.counted, timeout=1000):
        model.set_count(2_500)
    assert model.counted_all and model.total == 2_500 and lazy.keys_read == 1000


def _row(i: int):
    from storage.readmodels import EvidenceRow

    return EvidenceRow(id=i, title=f"关于第{i}项工作的通知", doc_number="", issue_date=None, status="received",
                       department="县工信局", file_count=1, size=i, original_name=f"通知{i}.pdf",
                       sha256=f"{i:064x}", position=i)


# --- the window: the same work for a node of N items and of 4N ------------------------------


def _archive(root: Path, items: int) -> Archive:
    """An archive whose level-1 node "1" holds `items` items on two leaves (and node "2" a
    few), written with bulk inserts (on SQLite the tally's triggers count them)."""
    a = Archive.create(root)
    with a.sessions.write() as s:
        add_framework(s, FrameworkSpec(name="测试指标体系", total_score=100, indicators=[
            IndicatorSpec("1", "一级指标1", 50, children=[IndicatorSpec("1.1", "二级指标1.1", 25),
                                                      IndicatorSpec("1.2", "二级指标1.2", 25)]),
            IndicatorSpec("2", "一级指标2", 50, children=[IndicatorSpec("2.1", "二级指标2.1", 50)]),
        ]))
    with a.sessions.write() as s:
        leaf = {code: iid for code, iid in s.execute(text("SELECT code, id FROM indicator"))}
        now = dt.datetime(2026, 1, 1)
        ev, links = [], []
        for i in range(1, items + 11):
            ev.append({"id": i, "title": f"佐证材料第{i}号", "status": "received" if i % 3 else "accepted",
                       "now": now})
            target = leaf["2.1"] if i > items else leaf["1.1" if i % 2 else "1.2"]
            links.append({"e": i, "i": target, "p": i})
        s.execute(text("INSERT INTO evidence (id, title, doc_number, status, created_at, updated_at, "
                       "issuing_body, notes, version) VALUES (:id, :title, '', :status, :now, :now, '', '', 1)"),
                  ev)
        s.execute(text("INSERT INTO evidence_indicator (evidence_id, indicator_id, position) "
                       "VALUES (:e, :i, :p)"), links)
    return a


def _select_level1(qtbot, archive: Archive) -> dict[str, object]:
    """Select node "1" in the window: what was read to show it, and then to scroll to its end."""
    with open_window(qtbot, archive, wait=WAIT) as (window, controller):
        tree = window.workbench.tree.tree_model
        node = next(n for n in tree.nodes() if n.code == "1")
        statements: list[str] = []

        def count(_conn, _cursor, sql, *_a) -> None:
            statements.append(sql)

        event.listen(archive.engine, "before_cursor_execute", count)
        try:
            with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
                window.workbench.tree.select_id(node.id)
            shown_statements = len(statements)
        finally:
            event.remove(archive.engine, "before_cursor_execute", count)
        evidence = window.workbench.evidence
        model, lazy = evidence.model, evidence.model._all
        assert isinstance(lazy, LazyRows)
        evidence.table.grab()  # the first screen drawn
        out: dict[str, object] = {
            "statements": shown_statements, "keys": lazy.keys_read, "rows": lazy.fetched,
            "key_calls": lazy.key_calls, "label": evidence.count.text(), "total": model.total,
        }
        with archive.sessions.read() as s:
            full = evidence_for_node(s, node.id)
        # scrolling to the end: the keys arrive page by page, the last row is the list's last
        while model.canFetchMore():
            model.fetchMore()
        evidence.table.scrollToBottom()
        evidence.table.grab()
        last = model.rowCount() - 1
        assert model.row(last) == full[-1] and model.rowCount() == len(full)
        assert lazy.keys_read == len(full) and lazy.fetched < len(full)
        # sorting by a column and filtering still see every item
        model.sort(1, Qt.SortOrder.DescendingOrder)
        assert [model.row(i).id for i in range(model.rowCount())] == \
            [r.id for r in sorted(full, key=lambda r: r.title, reverse=True)][:model.rowCount()]
        evidence.filter.setText(f"第{len(full) - 1}号")
        assert model.matching == 1 and model.row(0).id == len(full) - 1
        evidence.filter.setText("")
        out["full"] = len(full)
        return out


def test_selecting_a_node_reads_the_same_for_n_and_4n_items(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(LazyRows, "KEY_PAGE", 100)
    monkeypatch.setattr(LazyRows, "PAGE", 50)
    seen = []
    for n in (400, 1_600):
        a = _archive(tmp_path / f"a{n}", n)
        try:
            seen.append(_select_level1(qtbot, a))
        finally:
            a.close()
    small, big = seen
    assert small["full"] == 400 and big["full"] == 1_600
    assert small["total"] == 400 and big["total"] == 1_600
    assert small["label"] == "共 400 份" and big["label"] == "共 1600 份"
    # what the window read to show the node: one page of keys, the first screen's rows,
    # the same statements, whatever the node's size
    assert small["keys"] == big["keys"] == 100
    assert small["key_calls"] == big["key_calls"] == 0
    assert small["rows"] == big["rows"] <= 2 * 50
    assert small["statements"] == big["statements"]


def test_reveal_far_down_reads_keys_until_found(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(LazyRows, "KEY_PAGE", 100)
    a = _archive(tmp_path / "a", 700)
    try:
        with open_window(qtbot, a, wait=WAIT) as (window, controller):
            node = next(n for n in window.workbench.tree.tree_model.nodes() if n.code == "1")
            with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
                window.workbench.tree.select_id(node.id)
            with a.sessions.read() as s:
                full = evidence_for_node(s, node.id)
            wb = window.workbench.evidence
            target = full[350].id
            assert wb.select_id(target)
            assert wb.selected_ids() == [target]
            assert wb.model._all.keys_read == 400  # read up to its page, not all 700
    finally:
        a.close()
