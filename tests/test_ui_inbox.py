"""The inbox in the window, with a real watchdog observer on a temporary folder: files
dropped into a watched folder appear with their suggestion and reason, the tab shows a
badge, and the clerk accepts, redirects or ignores them in bulk from the keyboard."""
from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from watch_helpers import add_folder

from storage.catalogue.items import evidence_for_node
from storage.models import Evidence, EvidenceDuty
from storage.watch.inbox import list_inbox

WAIT = 20_000


@pytest.fixture
def watched(qtbot, demo_archive, tmp_path):
    """The window on the demo archive with one watched folder and the watcher running."""
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
    # the watcher starts a moment after the window shows the archive
    qtbot.waitUntil(lambda: controller.watcher is not None and runner.is_idle(), timeout=WAIT)
    yield window, controller, share
    controller.close_archive()
    assert controller.watcher is None  # stopped and joined with the archive
    assert runner.shutdown()


def _leaf(window, code):
    return next(n for n in window.workbench.tree.tree_model.nodes() if n.code == code)


def _drop_files(share, names):
    for i, name in enumerate(names):
        (share / name).write_text(f"{name} 的正文：第 {i} 份，质量强县工作材料。", encoding="utf-8")


def test_inbox_bulk_accept_from_the_keyboard(qtbot, watched, demo_archive):
    window, controller, share = watched
    names = ["1.1.1 县质量强县工作领导小组名单.txt", "2.1.1 质量发展支持政策.txt",
             "4.2.1 服务满意度调查报告.txt"]
    view = window.inbox
    window.show_view("inbox")
    _drop_files(share, names)
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=WAIT)

    # each row says where it would go and why; the tab carries a badge with the count
    rows = {r.name: r for r in view.items()}
    assert set(rows) == set(names)
    model = view.model
    for n in range(3):
        item = model.row(n)
        code = item.name.split()[0]
        assert model.data(model.index(n, 1)).startswith(code)            # 建议指标
        assert model.data(model.index(n, 7)) == "县市场监管局"            # 建议单位
        assert f"指标编号 {code}" in model.data(model.index(n, 8))        # 依据
    assert window.inbox_count == 3
    tab = window.tabs.indexOf(view)
    assert "3" in window.tabs.tabText(tab) and not window.tabs.tabIcon(tab).isNull()
    assert "Enter" in view.table.toolTip() and "Delete" in view.table.toolTip()

    # select all, Enter
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.selected_ids()) == 3
    with qtbot.waitSignal(controller.inbox_done, timeout=WAIT) as sig:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert sig.args[0] == "accepted" and len(sig.args[1]) == 3
    qtbot.waitUntil(lambda: view.model.rowCount() == 0 and controller.runner.is_idle(), timeout=WAIT)

    with demo_archive.sessions.read() as s:
        assert list_inbox(s, "pending") == []
        for name in names:
            leaf = next(n for n in window.workbench.tree.tree_model.nodes() if n.code == name.split()[0])
            linked = {r.original_name: r for r in evidence_for_node(s, leaf.id)}
            assert name in linked, (name, leaf.code)
            assert linked[name].department == "县市场监管局"
    assert window.inbox_count == 0
    assert window.tabs.tabText(tab) == "收件箱" and window.tabs.tabIcon(tab).isNull()
    assert view.heading.text() == "收件箱是空的"
    # the tree counts the new evidence
    assert _leaf(window, "2.1.1").received >= 1


def test_change_target_and_ignore_with_the_keyboard(qtbot, watched, demo_archive):
    window, controller, share = watched
    view = window.inbox
    window.show_view("inbox")
    _drop_files(share, ["现场检查照片说明.txt", "食堂菜单（与申报无关）.txt"])
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=WAIT)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    rows = [view.model.row(n).name for n in range(2)]
    keep, junk = rows.index("现场检查照片说明.txt"), rows.index("食堂菜单（与申报无关）.txt")

    # F2 on the first: pick a duty; the file is linked to the duty and to its indicator
    view.table.selectRow(keep)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    dlg = view.picker
    assert dlg is not None and dlg.isVisible() and dlg.duties.count() >= 1
    duty = view._duties[0]
    assert dlg.select("duty", duty.id)
    with qtbot.waitSignal(controller.inbox_done, timeout=WAIT):
        dlg._ok()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and controller.runner.is_idle(), timeout=WAIT)
    with demo_archive.sessions.read() as s:
        ev_id = s.query(Evidence.id).join(Evidence.files).filter_by(original_name="现场检查照片说明.txt").scalar()
        assert s.get(EvidenceDuty, (ev_id, duty.id)) is not None
        assert ev_id in [r.id for r in evidence_for_node(s, duty.indicator_id)]

    # Delete on the other: ignored, its evidence goes to the trash state, the source stays
    assert view.model.row(0).name == rows[junk]
    view.table.selectRow(0)
    with qtbot.waitSignal(controller.inbox_done, timeout=WAIT) as sig:
        qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert sig.args[0] == "ignored"
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=WAIT)
    with demo_archive.sessions.read() as s:
        [item] = list_inbox(s, "ignored")
        assert s.get(Evidence, item.evidence_id).trashed_at is not None
    assert (share / "食堂菜单（与申报无关）.txt").is_file()  # people's files are never touched


def test_folder_health_shows_offline_and_last_scan(qtbot, watched, tmp_path):
    window, controller, share = watched
    view = window.inbox
    window.show_view("inbox")
    controller.health_timer.setInterval(300)  # 30 s in use: re-read the folders' health
    controller.health_timer.start()
    qtbot.waitUntil(lambda: view.folders_model.rowCount() == 1
                    and view.folders_model.row(0).last_full_scan is not None, timeout=WAIT)
    model = view.folders_model
    assert model.data(model.index(0, 2)) == "在线"
    assert model.data(model.index(0, 3)) not in ("", "尚未扫描")
    away = tmp_path / "share-away"
    os.rename(share, away)  # the share drops off the network
    try:
        qtbot.waitUntil(lambda: model.rowCount() == 1 and not model.row(0).online, timeout=WAIT)
        assert model.data(model.index(0, 2)) == "离线"
        assert "离线" in view.folders_note.text()
        assert "恢复后自动继续" in model.data(model.index(0, 5))
    finally:
        os.rename(away, share)
    qtbot.waitUntil(lambda: model.row(0) is not None and model.row(0).online, timeout=WAIT)
