"""The search box over the demo archive: results in the window, activating one selects its
indicator and the item; two-character Chinese terms and 文号 work; results beyond the first
lazily shown chunk of a node can still be selected."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from ui_helpers import open_window

from storage.readmodels import EvidenceRow
from ui.models import EvidenceTableModel

WAIT = 15_000


@pytest.fixture
def gui(qtbot, demo_archive):
    with open_window(qtbot, demo_archive, wait=WAIT) as opened:
        yield opened


def _type_text(widget, text):
    """Key presses carrying Chinese text, as an input method delivers them (QTest's
    keyClicks takes ASCII only)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def _type(qtbot, window, controller, text):
    box = window.search_box
    box.clear()
    box.setFocus()
    with qtbot.waitSignal(controller.search_done, timeout=WAIT) as sig:
        _type_text(box, text)  # debounced: fires once typing pauses
    assert box.text() == text
    return sig.args


def test_search_box_lists_results_and_selects_the_item(qtbot, gui):
    window, controller = gui
    query, n = _type(qtbot, window, controller, "领导小组")  # Chinese, no spaces
    assert query == "领导小组" and n >= 2
    assert window.current_view() == "search"
    view = window.search
    titles = [view.model.row(i).title for i in range(view.model.rowCount())]
    assert "领导小组成员名单" in titles
    assert "找到" in view.heading.text()

    # a two-character term (FTS5 trigram alone cannot answer it) and a 文号
    assert _type(qtbot, window, controller, "纪要")[1] >= 1
    assert any("纪要" in view.model.row(i).title for i in range(view.model.rowCount()))
    _, n = _type(qtbot, window, controller, "发改发〔2026〕3号")
    assert n == 1 and "关于支持质量发展的若干措施" in view.model.row(0).title

    # Enter on a result: the main view, its indicator selected, the item selected
    _type(qtbot, window, controller, "成员名单")
    hit = view.model.row(0)
    view.focus_results()
    with qtbot.waitSignal(controller.evidence_shown, timeout=WAIT) as sig:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert sig.args[0] == hit.evidence_id
    assert window.current_view() == "main"
    wb = window.workbench
    assert wb.evidence.selected_ids() == [hit.evidence_id]
    qtbot.waitUntil(lambda: wb.detail.detail() is not None and wb.detail.detail().id == hit.evidence_id,
                    timeout=WAIT)
    node = wb.tree.current_node()
    assert node is not None and any(link.indicator_id == node.id for link in wb.detail.detail().links)

    # nothing found, and clearing the box
    assert _type(qtbot, window, controller, "完全不存在的词语")[1] == 0
    assert "没有找到" in view.heading.text()
    window.search_box.clear()
    with qtbot.waitSignal(controller.search_done, timeout=WAIT):
        qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert view.model.rowCount() == 0


def test_search_sees_edits_made_in_the_window(qtbot, gui):
    window, controller = gui
    leaf = next(n for n in window.workbench.tree.tree_model.nodes() if n.is_leaf and n.received)
    with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        window.workbench.tree.select_id(leaf.id)
    with qtbot.waitSignal(controller.detail_loaded, timeout=WAIT):
        window.workbench.evidence.table.selectRow(0)
    panel = window.workbench.detail
    panel.title.setText("独一无二的标题词琥珀")
    with qtbot.waitSignal(controller.saved, timeout=WAIT):
        panel.save.click()
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert _type(qtbot, window, controller, "琥珀")[1] == 1


def test_reveal_fetches_rows_beyond_the_first_chunk(qtbot):
    model = EvidenceTableModel()
    rows = [EvidenceRow(i, f"材料{i}", "", None, "received", "县统计局", 1, 10, f"{i}.pdf", "x", i,
                        dt.datetime(2026, 1, 1)) for i in range(1, 1501)]
    model.set_rows(rows, 7, leaf=True)
    assert model.rowCount() == model.CHUNK
    at = model.reveal(1400)
    assert at == 1399 and model.row(at).id == 1400 and model.rowCount() == 1400
    model.set_filter("材料2")  # hides item 1400: revealing it clears the filter
    at = model.reveal(1400)
    assert model.row(at).id == 1400 and model.matching == 1500
    assert model.reveal(99999) == -1
