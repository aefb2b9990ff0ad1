"""Self-scores in the window (issue 7, item 5), offscreen over a real demo archive: the 自评
tab saves through storage.assessments on the writer thread and the values are there after
reopening the archive; a refused value shows storage's Chinese message and writes nothing;
the 自评得分总表 from the menu shows every indicator and the total against the maximum."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from ui_helpers import open_window

from storage.bundle.assessments import self_score_sheet
from storage.core.archive import Archive

WAIT = 20_000


@pytest.fixture
def gui(qtbot, demo_archive):
    with open_window(qtbot, demo_archive, wait=WAIT) as opened:
        yield opened


def _node(window, code):
    return next(n for n in window.workbench.tree.tree_model.nodes() if n.code == code)


def _select(qtbot, window, controller, code):
    """Select the indicator `code`; the 自评 tab shows its assessment."""
    node = _node(window, code)
    with qtbot.waitSignal(controller.export.assessment_loaded, timeout=WAIT,
                          check_params_cb=lambda row: row is not None and row.indicator_id == node.id):
        window.workbench.tree.select_id(node.id)
    panel = window.workbench.selfscore
    window.workbench.side.setCurrentWidget(panel)
    assert panel.row().indicator_id == node.id
    return panel


def _save(qtbot, controller, panel):
    with qtbot.waitSignal(controller.export.assessment_saved, timeout=WAIT) as sig:
        qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    return sig.args[0]


def _sheet(archive):
    with archive.sessions.read() as s:
        return {r.code: r for r in self_score_sheet(s).rows}


def test_self_scores_entered_in_the_window_persist_after_reopening(qtbot, gui, demo_archive):
    window, controller = gui
    panel = _select(qtbot, window, controller, "1.1.1")
    assert panel.max_label.text() == "/ 3 分"
    assert panel.form.isRowVisible(panel.score_box) and not panel.form.isRowVisible(panel.veto)
    panel.score.setText("2.5")
    panel.note.setPlainText("领导小组成立文件缺少成员分工")
    panel.description.setPlainText("2023 年 3 月成立县质量强县工作领导小组。")
    row = _save(qtbot, controller, panel)
    assert row.self_score == 2.5 and panel.message.text() == "已保存"

    # a numeric target: the value entered is compared with it (达标 / 未达标)
    panel = _select(qtbot, window, controller, "4.1.1")
    assert panel.form.isRowVisible(panel.value_box)
    assert "94%" in panel.target.text() and panel.state.text() == "未填"
    panel.value.setText("96.2")
    panel.score.setText("4")
    _save(qtbot, controller, panel)
    assert panel.state.text() == "达标"
    panel.value.setText("90")
    _save(qtbot, controller, panel)
    assert panel.state.text() == "未达标"

    # a veto item: no score, 未发生 / 已发生
    panel = _select(qtbot, window, controller, "2.2.2")
    assert panel.form.isRowVisible(panel.veto) and not panel.form.isRowVisible(panel.score_box)
    assert panel.veto.currentText() == "未核查"
    panel.veto.setCurrentIndex(panel.veto.findData("clear"))
    row = _save(qtbot, controller, panel)
    assert row.veto_state == "clear"

    # a parent node: nothing to enter
    parent = _node(window, "1.1")
    with qtbot.waitSignal(controller.export.assessment_loaded, timeout=WAIT):
        window.workbench.tree.select_id(parent.id)
    assert not panel.save.isEnabled() and "上级指标" in panel.heading.text()

    root = demo_archive.root
    controller.close_archive()
    reopened = Archive.open(root)
    try:
        rows = _sheet(reopened)
        assert rows["1.1.1"].self_score == 2.5
        assert rows["1.1.1"].deduction_note == "领导小组成立文件缺少成员分工"
        assert rows["1.1.1"].description == "2023 年 3 月成立县质量强县工作领导小组。"
        assert rows["4.1.1"].actual_value == 90 and rows["4.1.1"].target_state == "not_met"
        assert rows["4.1.1"].self_score == 4
        assert rows["2.2.2"].veto_state == "clear"
        # and the window shows them again on the reopened archive
        with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
            controller.set_archive(reopened)
        qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
        panel = _select(qtbot, window, controller, "1.1.1")
        assert panel.score.text() == "2.5"
        assert panel.note.toPlainText() == "领导小组成立文件缺少成员分工"
    finally:
        controller.close_archive()


def test_a_refused_score_shows_the_message_and_writes_nothing(qtbot, gui, demo_archive):
    window, controller = gui
    panel = _select(qtbot, window, controller, "1.1.1")
    before = _sheet(demo_archive)["1.1.1"]
    assert not before.assessed

    panel.score.setText("4")
    panel.note.setPlainText("这条说明不应被保存")
    with qtbot.waitSignal(controller.export.assessment_refused, timeout=WAIT) as sig:
        qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    assert "超过指标 1.1.1 的分值 3" in sig.args[0]
    assert "超过指标 1.1.1 的分值 3" in panel.message.text() and "未保存" in panel.message.text()
    assert panel.score.text() == "4"  # kept for correction
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    after = _sheet(demo_archive)["1.1.1"]
    assert not after.assessed and after.self_score is None and after.deduction_note == ""

    for bad, words in (("-1", "不能小于 0"), ("两分", "应为数字"), ("1.255", "两位小数")):
        panel.score.setText(bad)
        with qtbot.waitSignal(controller.export.assessment_refused, timeout=WAIT) as sig:
            qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
        assert words in sig.args[0] and words in panel.message.text()
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert not _sheet(demo_archive)["1.1.1"].assessed

    # corrected, it saves
    panel.score.setText("3")
    _save(qtbot, controller, panel)
    row = _sheet(demo_archive)["1.1.1"]
    assert row.self_score == 3 and row.deduction_note == "这条说明不应被保存"


def test_self_score_overview_from_the_menu(qtbot, gui):
    window, controller = gui
    panel = _select(qtbot, window, controller, "1.2.1")
    panel.score.setText("2")
    _save(qtbot, controller, panel)
    panel = _select(qtbot, window, controller, "1.2.2")
    panel.score.setText("1.5")
    _save(qtbot, controller, panel)

    action = next(a for a in window.findChildren(QAction) if a.text() == "自评得分总表…")
    with qtbot.waitSignal(controller.export.sheet_loaded, timeout=WAIT) as sig:
        action.trigger()
    sheet = sig.args[0]
    dlg = controller.export.overview
    assert dlg is not None and dlg.isVisible()
    assert sheet.self_total == 3.5 and sheet.max_total == 41
    assert "自评合计 3.5 分 / 满分 41 分" in dlg.summary.text()
    assert "已自评 2 项，未自评 13 项" in dlg.summary.text() and "1 项未核查" in dlg.summary.text()
    tree = dlg.tree
    assert tree.topLevelItemCount() == 4
    first = tree.topLevelItem(0)  # 1 质量发展理念: the sum of its leaves
    assert first.text(0).startswith("1 质量发展理念") and first.text(1) == "10" and first.text(2) == "3.5"
    quality = first.child(1)  # 1.2
    assert quality.text(2) == "3.5" and quality.child(1).text(2) == "1.5"

    # double-click goes to the indicator's 自评 tab
    target = _node(window, "4.1.1")
    item = next(it for it in _items(tree) if it.text(0).startswith("4.1.1"))
    assert item.text(5) == "未填" and "94%" in item.text(3)
    with qtbot.waitSignal(controller.export.assessment_loaded, timeout=WAIT):
        tree.itemDoubleClicked.emit(item, 0)
    assert window.workbench.tree.current_id() == target.id
    assert window.workbench.side.currentWidget() is window.workbench.selfscore

    # a save refreshes the open overview
    panel = window.workbench.selfscore
    panel.score.setText("4")
    panel.value.setText("95")
    with qtbot.waitSignal(controller.export.sheet_loaded, timeout=WAIT):
        qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    item = next(it for it in _items(dlg.tree) if it.text(0).startswith("4.1.1"))
    assert item.text(2) == "4" and item.text(4) == "95" and item.text(5) == "达标"
    assert "自评合计 7.5 分" in dlg.summary.text()
    dlg.close()


def _items(tree):
    out = []

    def walk(item):
        out.append(item)
        for i in range(item.childCount()):
            walk(item.child(i))

    for i in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(i))
    return out
