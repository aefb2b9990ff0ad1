"""Ctrl+Z / Ctrl+Shift+Z in the window (issue 17, item 4b), offscreen over a real demo
archive: the clerk's link (a Ctrl-drop on the tree), unlink, status change, 移到回收站 and
move are undone and redone with the keys; the 编辑 menu names what will be undone
(「撤销：关联到指标 2.3.1」); opening another archive clears the stack."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from ui_helpers import open_window

from storage.catalogue import items
from storage.durability.trash import list_trash
from ui.models import EVIDENCE_MIME

WAIT = 60_000


@pytest.fixture
def gui(qtbot, demo_archive):
    def before_close(window, controller):
        if controller.move.dialog is not None:
            controller.move.dialog.close()

    with open_window(qtbot, demo_archive, wait=WAIT, before_close=before_close) as opened:
        window, _ = opened
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT)
        yield opened


def _leaf(qtbot, window, controller, n=2, skip=()):
    tree = window.workbench.tree
    node = next(x for x in tree.tree_model.nodes() if x.is_leaf and x.received >= n and x.id not in skip)
    with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        tree.select_id(node.id)
    return node


def _select_rows(table, rows):
    table.clearSelection()
    sel = table.selectionModel()
    for r in rows:
        sel.select(table.model().index(r, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)


def _links(archive, eid):
    with archive.sessions.read() as s:
        return {link.code for link in items.evidence_detail(s, eid).links}


def _status(archive, eid):
    with archive.sessions.read() as s:
        return items.evidence_detail(s, eid).status


def _key(qtbot, window, key, mods):
    """Press a window shortcut the way the clerk does (on the focused evidence table)."""
    window.workbench.evidence.table.setFocus()
    qtbot.keyClick(window.workbench.evidence.table, key, mods)


def _undo_key(qtbot, window, controller):
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT) as sig:
        _key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sig.args[0] == "undo"
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)


def _redo_key(qtbot, window, controller):
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT) as sig:
        _key(qtbot, window, Qt.Key.Key_Z,
             Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert sig.args[0] == "redo"
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)


def _drop_on_tree(window, ids, source_id, target_id, mods):
    """What releasing a drag of evidence rows over a tree node sends the tree."""
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
    return ev


def _edit_menu_texts(window):
    return [a.text() for a in window.edit_menu.actions()]


def test_ctrl_z_undoes_a_link_and_ctrl_shift_z_redoes_it(qtbot, gui, demo_archive):
    window, controller = gui
    source = _leaf(qtbot, window, controller, n=1)
    eid = window.workbench.evidence.model.row(0).id
    target = next(n for n in window.workbench.tree.tree_model.nodes()
                  if n.is_leaf and n.id != source.id and n.code not in _links(demo_archive, eid))
    assert _edit_menu_texts(window)[0] == "撤销" and not controller.undo.undo_action.isEnabled()

    # Ctrl held while dropping: a copy (link), the item stays on its indicator
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        _drop_on_tree(window, [eid], source.id, target.id, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert {source.code, target.code} <= _links(demo_archive, eid)
    assert _edit_menu_texts(window)[0] == f"撤销：关联到指标 {target.code}"

    _undo_key(qtbot, window, controller)
    assert target.code not in _links(demo_archive, eid)
    assert source.code in _links(demo_archive, eid)  # what was there before stays
    assert _edit_menu_texts(window)[1] == f"重做：关联到指标 {target.code}"
    assert "已撤销：关联到指标" in window.status_label.text()

    _redo_key(qtbot, window, controller)
    assert target.code in _links(demo_archive, eid)


def test_ctrl_z_undoes_unlink_status_and_trash_in_reverse_order(qtbot, gui, demo_archive):
    window, controller = gui
    panel = window.workbench.evidence
    node = _leaf(qtbot, window, controller, n=2)
    order = [panel.model.row(r).id for r in range(panel.model.rowCount())]
    a, b = order[0], order[1]
    statuses = {a: _status(demo_archive, a), b: _status(demo_archive, b)}

    # status through the context menu: both to 退回
    _select_rows(panel.table, [0, 1])
    menu = panel.build_menu(panel.selected_ids())
    entry = next(x for x in menu.actions() if x.text().startswith("设为“已退回"))
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        entry.trigger()
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert _status(demo_archive, a) == _status(demo_archive, b) == "returned"
    assert controller.undo.undo_action.text().startswith("撤销：把 2 份材料的状态改为")

    # unlink one through the context menu
    qtbot.waitUntil(lambda: panel.model.row_of(a) >= 0, timeout=WAIT)
    _select_rows(panel.table, [panel.model.row_of(a)])
    menu = panel.build_menu([a])
    entry = next(x for x in menu.actions() if x.text() == "取消与当前指标的关联")
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        entry.trigger()
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert node.code not in _links(demo_archive, a)

    # Delete the other one
    qtbot.waitUntil(lambda: panel.model.row_of(b) >= 0, timeout=WAIT)
    _select_rows(panel.table, [panel.model.row_of(b)])
    panel.table.setFocus()
    with qtbot.waitSignal(controller.durability.trashed, timeout=WAIT):
        qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert b in {i.evidence_id for i in list_trash(demo_archive)}
    assert controller.undo.undo_action.text().startswith("撤销：把《")

    _undo_key(qtbot, window, controller)  # the trash
    assert b not in {i.evidence_id for i in list_trash(demo_archive)}
    _undo_key(qtbot, window, controller)  # the unlink: back in its place in the review order
    assert node.code in _links(demo_archive, a)
    with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        controller.reload_node()
    assert [panel.model.row(r).id for r in range(panel.model.rowCount())] == order
    _undo_key(qtbot, window, controller)  # the status: each its own again
    assert {a: _status(demo_archive, a), b: _status(demo_archive, b)} == statuses
    assert not controller.undo.undo_action.isEnabled()


def test_opening_another_archive_clears_the_stack(qtbot, gui, demo_archive, tmp_path):
    from storage.core.archive import Archive

    window, controller = gui
    _leaf(qtbot, window, controller, n=1)
    panel = window.workbench.evidence
    _select_rows(panel.table, [0])
    menu = panel.build_menu(panel.selected_ids())
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        next(x for x in menu.actions() if x.text().startswith("设为“已退回")).trigger()
    assert controller.undo.undo_action.isEnabled()
    other = Archive.create(tmp_path / "other")
    try:
        with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
            controller.set_archive(other)
        assert not controller.undo.undo_action.isEnabled()
        assert controller.undo.undo_action.text() == "撤销"
    finally:
        controller.close_archive()
        other.close()


@pytest.fixture
def watched(qtbot, demo_archive, tmp_path):
    """The window on the demo archive with one watched folder and the watcher running."""
    from watch_helpers import add_folder

    from desktop.window.controllers import Controller
    from desktop.window.tasks import TaskRunner
    from ui.main_window import MainWindow

    share = tmp_path / "县市场监管局报送"
    add_folder(demo_archive, share, "县市场监管局", settle_seconds=0.3, polling_seconds=0)
    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    controller = Controller(window, runner, watch_folders=True)
    window.show()
    with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
        controller.set_archive(demo_archive)
    qtbot.waitUntil(lambda: controller.watcher is not None and runner.is_idle(), timeout=WAIT)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT)
    yield window, controller, share
    controller.close_archive()
    assert runner.shutdown()


def test_ctrl_z_puts_an_accepted_file_back_in_the_inbox(qtbot, watched, demo_archive):
    from storage.watch.inbox import list_inbox

    window, controller, share = watched
    view = window.inbox
    window.show_view("inbox")
    (share / "2.1.1 质量发展支持政策.txt").write_text("质量发展支持政策的正文。", encoding="utf-8")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    view.table.setFocus()
    rect = view.table.visualRect(view.model.index(0, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: len(view.selected_ids()) == 1, timeout=WAIT)
    with qtbot.waitSignal(controller.inbox_done, timeout=WAIT) as sig:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    [eid] = sig.args[1]
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert "2.1.1" in _links(demo_archive, eid)
    with demo_archive.sessions.read() as s:
        assert [e.state for e in list_inbox(s, None)] == ["accepted"]
    assert controller.undo.undo_action.text() == "撤销：接收 1 个文件"

    # Ctrl+Z (from the inbox table, where the clerk is): pending again, the link gone
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    with demo_archive.sessions.read() as s:
        assert [e.state for e in list_inbox(s, None)] == ["pending"]
    assert "2.1.1" not in _links(demo_archive, eid)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and view.model.row(0).state == "pending", timeout=WAIT)

    # Ctrl+Shift+Z accepts it again
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        qtbot.keyClick(view.table, Qt.Key.Key_Z,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert "2.1.1" in _links(demo_archive, eid)


def test_an_undo_made_stale_elsewhere_says_so_and_clears_the_stack(qtbot, gui, demo_archive):
    """The trash is purged from outside the window (the command line's `purge --yes`): Ctrl+Z
    of the 移到回收站 cannot restore it; the clerk is told, and the stack is emptied."""
    from PySide6.QtWidgets import QMessageBox

    from storage.durability.trash import purge

    window, controller = gui
    panel = window.workbench.evidence
    _leaf(qtbot, window, controller, n=1)
    _select_rows(panel.table, [0])
    panel.table.setFocus()
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    purge(demo_archive)  # elsewhere
    with qtbot.waitSignal(controller.undo.cleared, timeout=WAIT) as sig:
        _key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sig.args[0] == "failed"
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "撤销“把《" in boxes[-1].text() and "撤销记录已清空" in boxes[-1].text()
    assert "Error" not in boxes[-1].text() and "#" not in boxes[-1].text()
    assert boxes[-1].text().startswith("无法撤销：")
    for b in boxes:
        b.close()
    assert not controller.undo.undo_action.isEnabled()


def _drop_on_duty(window, ids, source_id, row):
    """What releasing a drag of evidence rows over a row of the duties table sends it."""
    view = window.workbench.duties
    idx = view.model().index(row, 0)
    view.scrollTo(idx)
    pos = view.visualRect(idx).center()
    md = QMimeData()
    md.setData(EVIDENCE_MIME, json.dumps({"indicator_id": source_id, "ids": ids}).encode())
    acts = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    btn, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for ev in (QDragEnterEvent(pos, acts, md, btn, mods), QDragMoveEvent(pos, acts, md, btn, mods),
               QDropEvent(QPointF(pos), acts, md, btn, mods)):
        QApplication.sendEvent(view.viewport(), ev)
        assert ev.isAccepted()


def _duty_links(archive, eid):
    from sqlalchemy import select

    from storage.models import EvidenceDuty

    with archive.sessions.read() as s:
        return set(s.scalars(select(EvidenceDuty.duty_id).where(EvidenceDuty.evidence_id == eid)))


def test_ctrl_z_undoes_a_drop_on_a_duty_row(qtbot, gui, demo_archive):
    """Evidence rows dropped on a task of the duties table are linked to the task and its
    indicator; Ctrl+Z takes back both links, and only those (the item stays on its own
    indicator); Ctrl+Shift+Z makes them again."""
    window, controller = gui
    tree = window.workbench.tree
    duties_model = window.workbench.duties_model
    target = None
    for node in (n for n in tree.tree_model.nodes() if n.is_leaf):
        with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
            tree.select_id(node.id)
        qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
        if duties_model.rowCount():
            target = node
            break
    assert target is not None, "the demo archive has a leaf with tasks"
    duty = duties_model.row(0)
    with demo_archive.sessions.read() as s:
        other = next(n for n in tree.tree_model.nodes() if n.is_leaf and n.received and n.id != target.id)
        eid = next(e.id for e in items.evidence_for_node(s, other.id)
                   if target.code not in _links(demo_archive, e.id))
    assert duty.id not in _duty_links(demo_archive, eid)

    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        _drop_on_duty(window, [eid], other.id, 0)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert duty.id in _duty_links(demo_archive, eid)
    assert {target.code, other.code} <= _links(demo_archive, eid)
    assert _edit_menu_texts(window)[0].startswith("撤销：关联到任务“")

    _undo_key(qtbot, window, controller)
    assert duty.id not in _duty_links(demo_archive, eid)
    assert target.code not in _links(demo_archive, eid)
    assert other.code in _links(demo_archive, eid)

    _redo_key(qtbot, window, controller)
    assert duty.id in _duty_links(demo_archive, eid)
    assert target.code in _links(demo_archive, eid)


def test_ctrl_z_undoes_a_bulk_department_change(qtbot, gui, demo_archive):
    """报送单位 set on two items at once (the bulk menu) is undone item by item: each gets its
    own department back."""
    window, controller = gui
    panel = window.workbench.evidence
    _leaf(qtbot, window, controller, n=2)
    a, b = panel.model.row(0).id, panel.model.row(1).id

    def depts():
        with demo_archive.sessions.read() as s:
            return {e: items.evidence_detail(s, e).department for e in (a, b)}

    before = depts()
    with qtbot.waitSignal(controller.undo.finished, timeout=WAIT):
        controller.bulk_department([a, b], "县测试专班")
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert set(depts().values()) == {"县测试专班"}
    assert controller.undo.undo_action.text() == "撤销：把 2 份材料的报送单位改为“县测试专班”"
    _undo_key(qtbot, window, controller)
    assert depts() == before
    _redo_key(qtbot, window, controller)
    assert set(depts().values()) == {"县测试专班"}
