"""The evidence table reads rows on demand (issue 19): a node's whole list arrives as keys,
each row is read when it is drawn, a page at a time, as Anki's browser does; sorting or
filtering reads the rest. The rows read this way are the rows of the whole-list read."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from ui_helpers import open_window

from storage.catalogue.items import evidence_for_node
from storage.catalogue.queries import evidence_rows_for, node_evidence_keys
from storage.readmodels import EvidenceRow
from ui.models import EvidenceTableModel, LazyRows

WAIT = 15_000


def _rows(n: int) -> list[EvidenceRow]:
    return [EvidenceRow(id=i, title=f"关于第{i}项工作的通知", doc_number=f"示政发〔2025〕{i}号",
                        issue_date=dt.date(2025, 1, 1), status="received", department="县工信局",
                        file_count=1, size=1000 + i, original_name=f"通知{i}.pdf", sha256=f"{i:064x}",
                        position=i) for i in range(1, n + 1)]


class Reader:
    """A fetch that records what it was asked for."""

    def __init__(self, rows: list[EvidenceRow]) -> None:
        self.by_id = {r.id: r for r in rows}
        self.calls: list[int] = []

    def __call__(self, keys):
        self.calls.append(len(keys))
        return [self.by_id[k[0]] for k in keys]


def test_model_reads_only_the_rows_it_draws(qtbot):
    rows = _rows(20_000)
    read = Reader(rows)
    lazy = LazyRows([(r.id, 1, r.position) for r in rows], read)
    model = EvidenceTableModel()
    model.set_rows(lazy, 1, leaf=True)
    assert model.total == 20_000 and model.complete and read.calls == []
    assert model.ids() == [r.id for r in rows] and read.calls == []  # ids need no rows

    view = QTableView()
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    view.grab()  # paint it: the rows on screen are drawn
    assert 0 < lazy.fetched <= 2 * LazyRows.PAGE, "only the rows on screen are read"
    assert model.data(model.index(0, 1)) == rows[0].title

    # scrolling to the end reads the last pages, not everything in between
    while model.canFetchMore():
        model.fetchMore()
    view.scrollToBottom()
    view.grab()
    assert model.rowCount() == 20_000
    assert model.data(model.index(19_999, 1)) == rows[-1].title
    assert lazy.fetched < 5 * LazyRows.PAGE
    assert model.row_of(rows[-1].id) == 19_999

    # sorting needs every row: read in one call, then sorted as before
    calls = len(read.calls)
    model.sort(7, Qt.SortOrder.DescendingOrder)
    assert lazy.fetched == 20_000 and len(read.calls) == calls + 1
    assert model.row(0) == rows[-1]
    model.set_filter("第19999项")
    assert model.matching == 1


def test_rows_read_on_demand_are_the_whole_list_rows(demo_archive):
    from sqlalchemy import select, update

    from storage.models import Evidence

    with demo_archive.sessions.write() as s:  # a trashed item is left out of both
        first = s.scalar(select(Evidence.id).order_by(Evidence.id))
        s.execute(update(Evidence).where(Evidence.id == first).values(trashed_at=dt.datetime(2026, 1, 1)))
    with demo_archive.sessions.read() as s:
        nodes = [r[0] for r in s.execute(__import__("sqlalchemy").text("SELECT id FROM indicator"))]
        for nid in nodes:
            full = evidence_for_node(s, nid)
            keys = node_evidence_keys(s, nid)
            assert [k[0] for k in keys] == [r.id for r in full], nid
            assert first not in [k[0] for k in keys]
            assert evidence_rows_for(s, keys) == full, nid
            # any page of it, as the table asks
            assert evidence_rows_for(s, keys[1:3]) == full[1:3]


def test_selecting_a_node_shows_its_whole_list_and_reads_rows_lazily(qtbot, demo_archive):
    with open_window(qtbot, demo_archive, wait=WAIT) as (window, controller):
        tree = window.workbench.tree.tree_model
        node = max((n for n in tree.nodes() if n.level == 1), key=lambda n: tree.subtree_received(n.id))
        with demo_archive.sessions.read() as s:
            full = evidence_for_node(s, node.id)
        with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
            window.workbench.tree.select_id(node.id)
        model = window.workbench.evidence.model
        assert isinstance(model._all, LazyRows)
        assert model.ids() == [r.id for r in full]
        assert [model.row(i) for i in range(model.rowCount())] == full[:model.rowCount()]
