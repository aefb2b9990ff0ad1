"""The 自查 dialog (工具 → 自查记录…, issue 16 item 4) driven in the window on the demo
archive: take two checkpoints with a note, see them listed, compare them (the changed self
score named, better in green), and compare the newest with a sealed submission."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel

from ui.checkpoint_dialog import BETTER


@pytest.fixture
def gui(qtbot, demo_archive):
    from desktop.window.controllers import Controller
    from desktop.window.tasks import TaskRunner
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    controller = Controller(window, runner, today=dt.date(2026, 12, 7))
    window.show()
    with qtbot.waitSignal(controller.tree_loaded, timeout=20_000):
        controller.set_archive(demo_archive)
    qtbot.waitUntil(runner.is_idle, timeout=20_000)
    yield window, controller, runner
    controller.close_archive()
    assert runner.shutdown()


def _type_chinese(widget, text: str) -> None:
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _menu_action(window, menu_title: str, text: str):
    menu = next(m.menu() for m in window.menuBar().actions() if m.text().startswith(menu_title))
    return next(a for a in menu.actions() if a.text() == text)


def test_take_list_and_compare_checkpoints_then_a_sealed_submission(qtbot, gui, demo_archive, tmp_path):
    from desktop.actions.export import export_bundle
    from storage.bundle.assessments import set_assessment

    window, controller, runner = gui
    cps = controller.checkpoints
    with qtbot.waitSignal(cps.loaded, timeout=20_000):
        _menu_action(window, "工具", "自查记录…").trigger()
    dlg = cps.dialog
    assert dlg is not None and dlg.isVisible()
    assert dlg.list_model.rowCount() == 0 and not dlg.diff_btn.isEnabled()
    _type_chinese(dlg.note, "迎检前自查")
    with qtbot.waitSignals([cps.taken, cps.loaded], timeout=60_000):
        qtbot.mouseClick(dlg.take_btn, Qt.MouseButton.LeftButton)
    assert "已记录自查 1" in dlg.message.text() and dlg.note.text() == ""
    assert dlg.list_model.index(0, 2).data() == "迎检前自查"
    with demo_archive.sessions.write() as s:                   # the clerk raises a self score
        set_assessment(s, "1.1.1", score="3")
    with qtbot.waitSignals([cps.taken, cps.loaded], timeout=60_000):
        qtbot.keyClick(dlg.note, Qt.Key.Key_Return)
    assert dlg.list_model.rowCount() == 2 and dlg.list_model.index(0, 0).data() == "2"   # newest on top
    assert dlg.before.currentData() == "1" and dlg.after.currentData() == "2"
    with qtbot.waitSignal(cps.compared, timeout=20_000) as sig:
        qtbot.mouseClick(dlg.diff_btn, Qt.MouseButton.LeftButton)
    diff = sig.args[0]
    m = dlg.change_model
    rows = [(m.index(r, 0).data(), m.index(r, 1).data(), m.index(r, 4).data()) for r in range(m.rowCount())]
    changed = next(r for r in range(m.rowCount()) if m.index(r, 0).data().startswith("1.1.1"))
    assert rows[changed][1] == "自评分" and rows[changed][2] == "好转"
    assert m.index(changed, 4).data(Qt.ItemDataRole.ForegroundRole).color() == BETTER
    assert f"好转 {len(diff.improved)}" in dlg.diff_summary.text()
    # the same two chosen twice: said, nothing asked
    dlg.before.setCurrentIndex(dlg.after.currentIndex())
    qtbot.mouseClick(dlg.diff_btn, Qt.MouseButton.LeftButton)
    assert "两次不同" in dlg.message.text()

    # a sealed submission is offered for comparison once there is one
    export_bundle(archive=demo_archive, target=tmp_path / "材料包", as_zip=False,
                  export_date=dt.date(2026, 12, 7), seal=True, note="第一次正式报送")
    dlg.close()
    with qtbot.waitSignal(cps.loaded, timeout=20_000):
        _menu_action(window, "工具", "自查记录…").trigger()
    dlg = cps.dialog
    assert dlg is not None
    refs = [dlg.before.itemData(i) for i in range(dlg.before.count())]
    assert "submission:1" in refs
    dlg.before.setCurrentIndex(refs.index("submission:1"))
    dlg.after.setCurrentIndex(refs.index("2"))
    with qtbot.waitSignal(cps.compared, timeout=20_000):
        qtbot.mouseClick(dlg.diff_btn, Qt.MouseButton.LeftButton)
    assert dlg.diff_summary.text().startswith("第 1 次提交（")
    dlg.close()
    qtbot.waitUntil(runner.is_idle, timeout=20_000)


def test_rounds_list_is_read_only_and_names_the_current_round(qtbot, gui, demo_archive):
    from pathlib import Path

    from desktop.actions.rounds import start_round

    window, controller, runner = gui
    table = Path(__file__).resolve().parents[1] / "resources" / "demo" / "示例_指标体系.xlsx"
    start_round(archive=demo_archive, framework_file=table, name="2027年度",
                period_start=dt.date(2027, 1, 1), period_end=dt.date(2027, 12, 31))
    cps = controller.checkpoints
    with qtbot.waitSignal(cps.rounds_loaded, timeout=20_000) as sig:
        _menu_action(window, "工具", "轮次…").trigger()
    dlg = cps.rounds_dialog
    assert dlg is not None and dlg.isVisible()
    assert len(sig.args[0]) == 2
    m = dlg.model
    assert m.rowCount() == 2 and m.index(1, 1).data() == "2027年度"
    assert m.index(1, 3).data() == "2027-01-01 至 2027-12-31" and m.index(1, 8).data() == "当前轮次"
    assert m.index(0, 8).data() == "" and "当前是“2027年度”" in dlg.message.text()
    assert "round new" in dlg.findChild(QLabel).text()
    qtbot.mouseClick(dlg.close_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cps.rounds_dialog is None, timeout=5000)
    qtbot.waitUntil(runner.is_idle, timeout=20_000)
