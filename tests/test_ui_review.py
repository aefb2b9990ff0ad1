"""The 整改 and 对照 views (issue 16, item 6), driven with clicks and keys on read models
built in the test (no archive): filters, the detail pane, saving, dropping files, the
document buttons, and the compare table with lost points first."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from review_fixtures import compare_rows, items

from ui.review_views import OVERDUE, CompareView, RectifyView


def _click_row(qtbot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _choose(qtbot, combo, text: str) -> None:
    """Pick `text` in a combo box with the keyboard, as a clerk would."""
    combo.setFocus()
    target = combo.findText(text)
    assert target >= 0, text
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def _type_chinese(widget, text: str) -> None:
    """Chinese arrives from the input method as a committed string (QTest cannot key it)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _view(qtbot) -> RectifyView:
    v = RectifyView()
    qtbot.addWidget(v)
    v.resize(1400, 800)
    v.show()
    v.set_items(items())
    return v


def test_items_table_colours_and_overdue_in_red(qtbot) -> None:
    v = _view(qtbot)
    m = v.model
    assert m.rowCount() == 4
    assert m.index(1, 4).data() == "2026-11-30（逾期）"
    assert m.index(1, 1).data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE
    assert m.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    assert m.index(3, 4).data() == "长期坚持"
    assert "共 4 项，已完成（含长期坚持）2 项，逾期 1 项" in v.summary.text()


def test_filters_by_status_department_and_overdue(qtbot) -> None:
    v = _view(qtbot)
    _choose(qtbot, v.status_filter, "整改中")
    assert [i.number for i in v.shown()] == [2]
    _choose(qtbot, v.status_filter, "逾期")
    assert [i.number for i in v.shown()] == [2]
    _choose(qtbot, v.status_filter, "全部")
    _choose(qtbot, v.department_filter, "县工信局")     # leads 3, cooperates on 4
    assert [i.number for i in v.shown()] == [3, 4]
    assert v.summary.text().startswith("显示 2 项")
    _choose(qtbot, v.status_filter, "已完成")
    assert v.shown() == [] and v.detail.item is None and not v.detail.save_btn.isEnabled()


def test_detail_pane_edits_and_saves_with_keys(qtbot) -> None:
    v = _view(qtbot)
    _click_row(qtbot, v.table, 2)
    d = v.detail
    assert d.item is not None and d.item.number == 3
    assert "品牌培育力度不够" in d.problem.text() and "牵头：县工信局" in d.departments.text()
    _choose(qtbot, d.status, "整改中")
    _type_chinese(d.progress, "已建立品牌培育库")
    d.deadline.setFocus()
    d.deadline.selectAll()
    qtbot.keyClicks(d.deadline, "2027-3-1")
    qtbot.mouseClick(d.save_btn, Qt.MouseButton.LeftButton)
    assert "2026-12-31" in d.message.text()              # not a date: said, nothing sent
    d.deadline.selectAll()
    qtbot.keyClicks(d.deadline, "2027-03-01")
    with qtbot.waitSignal(v.save_requested, timeout=2000) as sig:
        qtbot.mouseClick(d.save_btn, Qt.MouseButton.LeftButton)
    item_id, changes = sig.args
    assert item_id == 3
    assert changes == {"status": "整改中", "progress": "已建立品牌培育库",
                       "measures": "建立重点企业品牌培育库，组织企业申报好品山东。",
                       "deadline": dt.date(2027, 3, 1)}
    # the window reloads: the selection stays on the same item
    changed = [dataclasses.replace(i, status="整改中") if i.id == 3 else i for i in items()]
    v.set_items(changed)
    assert v.detail.item is not None and v.detail.item.id == 3 and v.detail.status.currentText() == "整改中"


def test_dropping_files_links_them_to_the_selected_item(qtbot, tmp_path) -> None:
    v = _view(qtbot)
    _click_row(qtbot, v.table, 1)
    f = tmp_path / "计量标准考核证书.pdf"
    f.write_bytes(b"%PDF-1.4\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(20, 20), *args)
    QApplication.sendEvent(v.detail, enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(v.files_dropped, timeout=2000) as sig:
        QApplication.sendEvent(v.detail, QDropEvent(QPointF(20, 20), *args))
    assert sig.args == [2, [str(f)]]
    assert v.detail.evidence.item(0).text().startswith("2-1 社会公用计量标准考核证书")


def test_document_buttons_ask_for_a_path_and_emit(qtbot, tmp_path) -> None:
    v = _view(qtbot)
    asked = []
    v.choose_path = lambda kind, name: asked.append((kind, name)) or str(tmp_path / name)
    for kind in ("plan", "ledger", "report"):
        with qtbot.waitSignal(v.export_requested, timeout=2000) as sig:
            qtbot.mouseClick(v.export_buttons[kind], Qt.MouseButton.LeftButton)
        assert sig.args[0] == kind
    qtbot.mouseClick(v.export_buttons["bundle"], Qt.MouseButton.LeftButton)   # the bundle asks first
    assert v.seal_box is not None
    with qtbot.waitSignal(v.bundle_requested, timeout=2000) as sig:
        qtbot.mouseClick(next(b for b in v.seal_box.buttons() if b.text() == "导出并封存"),
                         Qt.MouseButton.LeftButton)
    assert sig.args == [str(tmp_path / "整改材料包"), True]
    assert [a[1] for a in asked] == ["整改方案.docx", "整改台账.xlsx", "整改情况报告.docx", "整改材料包"]
    v.set_items([])
    assert not v.export_buttons["plan"].isEnabled() and "还没有整改事项" in v.summary.text()


def test_compare_view_lost_points_first_and_filter(qtbot, tmp_path) -> None:
    v = CompareView()
    qtbot.addWidget(v)
    v.resize(1300, 600)
    v.show()
    v.set_rows(compare_rows())
    m = v.model
    assert [m.index(r, 0).data() for r in range(m.rowCount())] == ["2.1.2", "1.1.1", "2.3.1", "3.2.1", "4.1.3"]
    assert m.index(0, 5).data() == "-2.5"
    assert m.index(0, 5).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#c9302c"
    assert m.index(3, 5).data() == "+0.5" and m.index(4, 3).data() == ""
    assert "失分指标 2 个，其中低于自评 2 个、共低 3.5 分" in v.summary.text()
    _choose(qtbot, v.only_lost, "只看失分指标")
    assert m.rowCount() == 2
    v.choose_path = lambda name: str(tmp_path / name)
    with qtbot.waitSignal(v.export_requested, timeout=2000) as sig:
        qtbot.mouseClick(v.export_btn, Qt.MouseButton.LeftButton)
    assert sig.args == [str(tmp_path / "自评与省评对照表.xlsx")]
    with qtbot.waitSignal(v.indicator_activated, timeout=2000) as sig:
        rect = v.table.visualRect(m.index(1, 1))
        qtbot.mouseClick(v.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(v.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [11]


# --- the window glue (desktop/window/review.py): needs storage.review (issue 16, helper A) ----


@pytest.fixture
def opened():
    """Closes what `_gui` opened when the test ends, so no timer of it fires in the next test."""
    made: list = []
    yield made
    for controller, runner in made:
        controller.close_archive()
        assert runner.shutdown()


def _gui(qtbot, demo_archive, opened):
    from desktop.window.controllers import Controller
    from desktop.window.tasks import TaskRunner
    from storage.catalogue.county import set_county_facts
    from storage.readmodels import CountyFacts
    from storage.review.rectify import add_item, link_evidence
    from ui.main_window import MainWindow

    with demo_archive.sessions.write() as s:
        set_county_facts(s, CountyFacts(name="示例县"))
        a = add_item(s, problem="质量工作领导小组会议召开不及时。", indicator_codes=["1.1.1"],
                     lead=["县市场监管局"], deadline="2026-11-30", status="整改中")
        link_evidence(s, a, [3])
        add_item(s, problem="品牌培育力度不够。", lead=["县工信局"], deadline="2027-06-30")
    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    controller = Controller(window, runner, today=dt.date(2026, 12, 7))
    window.show()
    with qtbot.waitSignal(controller.tree_loaded, timeout=20_000):
        controller.set_archive(demo_archive)
    qtbot.waitUntil(runner.is_idle, timeout=20_000)
    opened.append((controller, runner))
    return window, controller, runner


def test_window_loads_items_saves_links_and_exports(qtbot, demo_archive, opened, tmp_path) -> None:
    window, controller, runner = _gui(qtbot, demo_archive, opened)
    review = controller.review
    with qtbot.waitSignal(review.items_loaded, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)   # 视图 → 整改
    assert window.current_view() == "rectify"
    view = window.rectify
    assert [i.number for i in view.shown()] == [1, 2]
    assert view.model.index(0, 4).data() == "2026-11-30（逾期）"
    _click_row(qtbot, view.table, 0)
    _choose(qtbot, view.detail.status, "已完成")
    _type_chinese(view.detail.progress, "已每季度召开会议")
    with qtbot.waitSignal(review.items_loaded, timeout=20_000):
        qtbot.mouseClick(view.detail.save_btn, Qt.MouseButton.LeftButton)
    first = view.detail.item
    assert first is not None and first.status == "已完成" and first.progress == "已每季度召开会议"
    assert not first.overdue
    f = tmp_path / "会议纪要（整改）.docx"
    f.write_bytes(b"PK\x03\x04 not really a docx but a file")
    view.detail.choose_files = lambda: [str(f)]
    with qtbot.waitSignal(review.linked, timeout=20_000) as sig:
        qtbot.mouseClick(view.detail.add_btn, Qt.MouseButton.LeftButton)
    assert sig.args == [first.id, 1]
    qtbot.waitUntil(lambda: view.detail.item is not None and len(view.detail.item.evidence) == 2, timeout=20_000)
    out = tmp_path / "out"
    view.choose_path = lambda kind, name: str(out / name)
    with qtbot.waitSignal(review.exported, timeout=60_000):
        qtbot.mouseClick(view.export_buttons["ledger"], Qt.MouseButton.LeftButton)
    assert (out / "整改台账.xlsx").is_file()
    qtbot.mouseClick(view.export_buttons["bundle"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(review.exported, timeout=60_000):
        qtbot.mouseClick(next(b for b in view.seal_box.buttons() if b.text() == "只导出"),
                         Qt.MouseButton.LeftButton)
    assert (out / "整改材料包" / "manifest.json").is_file()
    assert "校验通过" in window.status_label.text() or "校验通过" in view.detail.message.text()
    qtbot.waitUntil(runner.is_idle, timeout=20_000)


def test_window_compare_view_loads_when_shown(qtbot, demo_archive, opened) -> None:
    window, controller, runner = _gui(qtbot, demo_archive, opened)
    with qtbot.waitSignal(controller.review.compare_loaded, timeout=20_000):
        window.show_view("review_compare")
    assert "还没有省评分" in window.review_compare.summary.text()
    qtbot.waitUntil(runner.is_idle, timeout=20_000)


def test_compare_view_counts_points_lost_against_the_full_score(qtbot) -> None:
    from storage.readmodels.review import IndicatorRef, ReviewScoreRow

    v = CompareView()
    qtbot.addWidget(v)
    extra = ReviewScoreRow(IndicatorRef(60, "4.2.1", "服务满意度调查"), 3, 3.0, None, 2.0, None)
    v.set_rows([*compare_rows(), extra])
    m = v.model
    assert m.index(2, 0).data() == "4.2.1"                      # after the two below the self score
    assert m.index(2, 4).data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE
    assert "失分指标 3 个，其中低于自评 2 个" in v.summary.text()


def test_window_adds_an_item_by_hand_and_deletes_it(qtbot, demo_archive, opened) -> None:
    """添加事项… writes a 县自查 item (an unknown indicator code is refused in the dialog,
    which stays open); 删除此事项 asks, then deletes it; an item from the province's report
    cannot be deleted (the button is off)."""
    from storage.review.rectify import SOURCE_REPORT, add_item

    with demo_archive.sessions.write() as s:
        add_item(s, problem="计量器具强制检定覆盖不全。", indicator_codes=["1.1.1"], source=f"{SOURCE_REPORT} 第2段")
    window, controller, runner = _gui(qtbot, demo_archive, opened)
    review, view = controller.review, window.rectify
    with qtbot.waitSignal(review.items_loaded, timeout=20_000):
        window.show_view("rectify")
    report_item = next(i for i in view.items() if i.source.startswith(SOURCE_REPORT))
    assert view.select_item(report_item.id) and not view.detail.delete_btn.isEnabled()

    qtbot.mouseClick(view.new_btn, Qt.MouseButton.LeftButton)
    dlg = review.add_dialog
    assert dlg is not None and dlg.isVisible()
    _type_chinese(dlg.problem, "乡镇质量工作站挂牌不全")
    dlg.indicators.setFocus()
    qtbot.keyClicks(dlg.indicators, "9.9.9")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "9.9.9" in dlg.message.text(), timeout=20_000)
    assert dlg.isVisible() and dlg.buttons.isEnabled()
    assert "Traceback" not in dlg.message.text()

    dlg.indicators.clear()
    qtbot.keyClicks(dlg.indicators, "1.1.1")
    _type_chinese(dlg.deadline, "2027年3月底前")
    with qtbot.waitSignal(review.added, timeout=20_000) as sig:
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    new_id = sig.args[0]
    qtbot.waitUntil(lambda: view.detail.item is not None and view.detail.item.id == new_id, timeout=20_000)
    item = view.detail.item
    assert item.problem == "乡镇质量工作站挂牌不全" and item.deadline == dt.date(2027, 3, 31)
    assert [r.code for r in item.indicators] == ["1.1.1"] and item.lead_departments  # from the duties
    assert review.add_dialog is None or not review.add_dialog.isVisible()

    assert view.detail.delete_btn.isEnabled()
    qtbot.mouseClick(view.detail.delete_btn, Qt.MouseButton.LeftButton)
    box = view.detail.confirm_box
    assert box is not None and "乡镇质量工作站挂牌不全" in box.text()
    with qtbot.waitSignal(review.deleted, timeout=20_000):
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "删除"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: new_id not in {i.id for i in view.items()}, timeout=20_000)
    assert report_item.id in {i.id for i in view.items()}
    qtbot.waitUntil(runner.is_idle, timeout=20_000)
