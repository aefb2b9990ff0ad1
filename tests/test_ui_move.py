"""Moving a filed document to another indicator in one step (issue 17, item 5), offscreen
over a real demo archive: Ctrl+M (移到…) in the evidence table opens a picker, typing the
code filters it, Enter moves; a drag onto a tree node moves by default and copies with
Ctrl; Ctrl+Z puts the item back where it was."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from ui_helpers import open_window

from storage.catalogue import items
from ui.models import EVIDENCE_MIME

WAIT = 60_000


@pytest.fixture
def gui(qtbot, demo_archive):
    def before_close(window, controller):
        if controller.move.dialog is not None:
            controller.move.dialog.close()

    with open_window(qtbot, demo_archive, wait=WAIT, before_close=before_close) as opened:
        yield opened


def _links(archive, eid):
    with archive.sessions.read() as s:
        return {link.code for link in items.evidence_detail(s, eid).links}


def _source_and_target(qtbot, window, controller, archive):
    tree = window.workbench.tree
    source = next(x for x in tree.tree_model.nodes() if x.is_leaf and x.received >= 1)
    with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        tree.select_id(source.id)
    eid = window.workbench.evidence.model.row(0).id
    target = next(n for n in tree.tree_model.nodes()
                  if n.is_leaf and n.id != source.id and n.code not in _links(archive, eid))
    return source, target, eid


def test_ctrl_m_picks_an_indicator_by_typing_and_moves_in_one_step(qtbot, gui, demo_archive):
    window, controller = gui
    source, target, eid = _source_and_target(qtbot, window, controller, demo_archive)
    panel = window.workbench.evidence
    panel.table.selectRow(0)
    panel.table.setFocus()
    with qtbot.waitSignal(controller.move.opened, timeout=WAIT):
        qtbot.keyClick(panel.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dlg = controller.move.dialog
    assert dlg is not None and dlg.isVisible()
    assert "1 份材料" in dlg.info.text() and source.code in dlg.info.text()
    qtbot.keyClicks(dlg.filter, target.code)
    assert dlg.selected_id() == target.id
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        qtbot.keyClick(dlg.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    links = _links(demo_archive, eid)
    assert target.code in links and source.code not in links
    assert f"移到指标 {target.code}" in window.status_label.text()
    assert controller.undo.undo_action.text() == f"撤销：移到指标 {target.code}"

    # Ctrl+Z: back on the source, off the target
    qtbot.waitUntil(lambda: controller.move.dialog is None, timeout=WAIT)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT)
    panel.table.setFocus()
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        qtbot.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    links = _links(demo_archive, eid)
    assert source.code in links and target.code not in links


def test_the_context_menu_offers_move_and_the_picker_cannot_pick_the_source(qtbot, gui, demo_archive):
    window, controller = gui
    source, _target, eid = _source_and_target(qtbot, window, controller, demo_archive)
    panel = window.workbench.evidence
    panel.table.selectRow(0)
    entry = next(a for a in panel.build_menu([eid]).actions() if a.text() == "移到…")
    with qtbot.waitSignal(controller.move.opened, timeout=WAIT):
        entry.trigger()
    dlg = controller.move.dialog
    assert dlg is not None
    qtbot.keyClicks(dlg.filter, source.code)
    assert dlg.selected_id() != source.id
    qtbot.keyClick(dlg.filter, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: controller.move.dialog is None, timeout=WAIT)
    assert source.code in _links(demo_archive, eid)


def _drag_to(window, ids, source_id, target_id, mods):
    tree = window.workbench.tree
    idx = tree.tree_model.index_of(target_id)
    tree.scrollTo(idx)
    pos = tree.visualRect(idx).center()
    md = QMimeData()
    md.setData(EVIDENCE_MIME, json.dumps({"indicator_id": source_id, "ids": ids}).encode())
    acts = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    btn = Qt.MouseButton.LeftButton
    for ev in (QDragEnterEvent(pos, acts, md, btn, mods), QDragMoveEvent(pos, acts, md, btn, mods),
               QDropEvent(QPointF(pos), acts, md, btn, mods)):
        QApplication.sendEvent(tree.viewport(), ev)
        assert ev.isAccepted()
    return ev.dropAction()


def test_a_drag_onto_a_node_moves_and_ctrl_copies(qtbot, gui, demo_archive):
    window, controller = gui
    source, target, eid = _source_and_target(qtbot, window, controller, demo_archive)
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        action = _drag_to(window, [eid], source.id, target.id, Qt.KeyboardModifier.NoModifier)
    assert action == Qt.DropAction.MoveAction
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    links = _links(demo_archive, eid)
    assert target.code in links and source.code not in links

    # back with Ctrl held: a copy, it stays on the target too
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        action = _drag_to(window, [eid], target.id, source.id, Qt.KeyboardModifier.ControlModifier)
    assert action == Qt.DropAction.CopyAction
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert {source.code, target.code} <= _links(demo_archive, eid)


def test_move_to_a_task_of_the_responsibility_table_and_back(qtbot, gui, demo_archive):
    """移到… a task: linked to the task and to its indicator, unlinked from the source;
    Ctrl+Z undoes all three."""
    from storage.catalogue import duties
    from storage.models import EvidenceDuty

    window, controller = gui
    with demo_archive.sessions.read() as s:
        rows = duties.all_duties(s)
    tree = window.workbench.tree
    duty = next(d for d in rows if d.indicator_id is not None)
    source = next(n for n in tree.tree_model.nodes()
                  if n.is_leaf and n.received and n.id != duty.indicator_id)
    with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        tree.select_id(source.id)
    panel = window.workbench.evidence
    eid = panel.model.row(0).id
    panel.table.selectRow(0)
    panel.table.setFocus()
    with qtbot.waitSignal(controller.move.opened, timeout=WAIT):
        qtbot.keyClick(panel.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dlg = controller.move.dialog
    words = duty.task.split("，")[0][:8]
    QApplication.clipboard().setText(words)  # Chinese typed through the clipboard
    qtbot.keyClick(dlg.filter, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert dlg.selected() == ("duty", duty.id), (words, dlg.selected())
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        qtbot.keyClick(dlg.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    links = _links(demo_archive, eid)
    assert duty.indicator_code in links and source.code not in links
    with demo_archive.sessions.read() as s:
        assert s.get(EvidenceDuty, (eid, duty.id)) is not None
    assert controller.undo.undo_action.text().startswith("撤销：移到任务“")

    qtbot.waitUntil(lambda: controller.move.dialog is None, timeout=WAIT)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT)
    panel.table.setFocus()
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        qtbot.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    links = _links(demo_archive, eid)
    assert source.code in links and duty.indicator_code not in links
    with demo_archive.sessions.read() as s:
        assert s.get(EvidenceDuty, (eid, duty.id)) is None
