"""A clerk's week in the window (issue 17): what the clerk typed and clicked, and what the
official outputs then say. Item 7: the county named in 设置 is what the dashboard header and
every output names, never a template's placeholder county ("某县…") from a table's title."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from sqlalchemy import update
from ui_helpers import open_window

from storage.models import Framework

WAIT = 60_000
DATE = dt.date(2026, 3, 1)
COUNTY = "沂水县"
TEMPLATE_TITLE = "某县质量强县评价指标体系（2024年）"


@pytest.fixture
def gui(qtbot, demo_archive):
    # the indicator system as a province hands it down: its title names a placeholder county
    with demo_archive.sessions.write() as s:
        s.execute(update(Framework).values(name=TEMPLATE_TITLE))

    def before_close(window, controller):
        for dlg in (controller.export.export_dialog, controller.setup.settings_dialog):
            if dlg is not None:
                dlg.close()

    with open_window(qtbot, demo_archive, wait=WAIT, before_close=before_close) as opened:
        yield opened


def _action(window, text: str) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text() == text)


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def _xlsx_text(path: Path) -> str:
    wb = load_workbook(path, read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)


def _set_county_by_typing(qtbot, window, controller) -> None:
    with qtbot.waitSignal(controller.setup.settings_loaded, timeout=WAIT):
        _action(window, "设置…").trigger()
    dlg = controller.setup.settings_dialog
    assert dlg is not None and dlg.isVisible()
    dlg.name.setFocus()
    dlg.name.selectAll()
    # Chinese typed through the clipboard, as the clerk did: Ctrl+V over the selected text
    QApplication.clipboard().setText(COUNTY)
    qtbot.keyClick(dlg.name, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert dlg.name.text() == COUNTY
    with qtbot.waitSignal(controller.setup.settings_saved, timeout=WAIT):
        qtbot.mouseClick(dlg.save, Qt.MouseButton.LeftButton)


def test_item7_the_county_set_in_settings_names_every_official_output(qtbot, gui, tmp_path, monkeypatch):
    monkeypatch.setenv("EVIDENCE_DESK_CONVERTER", "none")
    window, controller = gui
    _set_county_by_typing(qtbot, window, controller)

    # the dashboard header
    with qtbot.waitSignal(controller.views_loaded, timeout=WAIT):
        window.show_view("dashboard")
    qtbot.waitUntil(lambda: COUNTY in window.dashboard.title.text(), timeout=WAIT)
    assert "某县" not in window.dashboard.title.text()

    # 申报表, 自评报告, 目录, the spreadsheets and the binder cover, exported from the dialog
    with qtbot.waitSignal(controller.export.preflight_done, timeout=WAIT):
        _action(window, "导出申报材料包…").trigger()
    dlg = controller.export.export_dialog
    target = tmp_path / "申报材料"
    dlg.as_folder.setChecked(True)
    dlg.target.setText(str(target))
    dlg.date.setDate(QDate(DATE.year, DATE.month, DATE.day))
    dlg.binders.setChecked(True)
    with qtbot.waitSignal(controller.export.export_done, timeout=WAIT) as sig:
        qtbot.mouseClick(dlg.export_btn, Qt.MouseButton.LeftButton)
        box = dlg.confirm_box
        assert isinstance(box, QMessageBox)
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "仍要导出"), Qt.MouseButton.LeftButton)
    docs = target / "00 申报文件"
    outputs = {p.name: (_docx_text(p) if p.suffix == ".docx" else _xlsx_text(p))
               for p in sorted(docs.iterdir()) if p.suffix in (".docx", ".xlsx")}
    outputs.update({Path(p).name: _docx_text(Path(p)) for p in sig.args[0]["binders"]["docx"]})
    named = [n for n in outputs if any(k in n for k in ("申报表", "自评报告", "目录", "装订册", "汇编"))]
    assert len(named) >= 4, sorted(outputs)
    for name, text in outputs.items():
        assert "某县" not in text, name
    for name in named:
        assert COUNTY in outputs[name], name

    # 催办通知 from the departments view
    notice = tmp_path / "催办通知.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(notice), ""))
    window.show_view("departments")
    view = window.departments
    view.scope.setCurrentIndex(view.scope.findData("all"))
    qtbot.mouseClick(view.notice_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(notice.is_file, timeout=WAIT)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    text = _docx_text(notice)
    assert "某县" not in text and COUNTY in text


@pytest.mark.parametrize(("title", "county", "expected"), [
    ("某县质量强县评价指标体系（2024年）", "沂水县", "沂水县质量强县评价指标体系（2024年）"),
    ("XX县质量强县创建工作任务分解表", "沂水县", "沂水县质量强县创建工作任务分解表"),
    ("××县（市、区）质量强县评价指标", "兰陵县", "兰陵县质量强县评价指标"),
    ("某县质量强县评价指标体系", "", "质量强县评价指标体系"),
    ("江苏省质量强县评价办法", "沂水县", "江苏省质量强县评价办法"),
])
def test_item7_placeholder_county_names(title, county, expected):
    from storage.kernel.official import official_name

    assert official_name(title, county) == expected


# --- item 8: targets are never cut --------------------------------------------------------------

TARGET = "工业产品质量监督抽查合格率≥94%"


def _framework_with_a_long_target(path: Path) -> Path:
    """A county indicator table (the layout of tests/test_ui_import.py's): a leaf whose rule
    states a target with a 13-character subject."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["沂水县质量强县评价指标体系（2024年）"])
    ws.append(["序号", "一级指标", "二级指标", "三级指标", "分值", "评分标准", "牵头单位"])
    ws.append(["1", "质量安全（10分）", "产品质量（10分）", "工业产品质量", 6,
               f"{TARGET}得6分，每低1个百分点扣1分", "县市场监管局"])
    ws.append(["2", None, None, "食品安全", 4, "食品抽检合格率达到98%得4分", "县市场监管局"])
    wb.save(path)
    return path


def _import_framework_by_dialog(qtbot, monkeypatch, controller, path: Path) -> None:
    setup = controller.setup
    dlg = setup.open_import("framework")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(setup.preview_shown, timeout=WAIT):
        qtbot.mouseClick(dlg.browse, Qt.MouseButton.LeftButton)
    with qtbot.waitSignals([setup.import_done, controller.tree_loaded], timeout=WAIT):
        qtbot.mouseClick(dlg.commit, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.close_btn, Qt.MouseButton.LeftButton)


def _click_node(qtbot, window, controller, title: str) -> None:
    tree = window.workbench.tree
    qtbot.waitUntil(lambda: any(n.title == title for n in tree.tree_model.nodes()), timeout=WAIT)
    node = next(n for n in tree.tree_model.nodes() if n.title == title)
    idx = tree.tree_model.index_of(node.id)
    tree.scrollTo(idx)
    with qtbot.waitSignal(controller.export.assessment_loaded, timeout=WAIT):
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(idx).center())


def test_item8_a_target_is_shown_and_exported_whole(qtbot, monkeypatch, tmp_path, archive):
    monkeypatch.setenv("EVIDENCE_DESK_CONVERTER", "none")
    with open_window(qtbot, archive, wait=WAIT) as (window, controller):
        _import_framework_by_dialog(qtbot, monkeypatch, controller,
                                    _framework_with_a_long_target(tmp_path / "指标体系.xlsx"))
        _click_node(qtbot, window, controller, "工业产品质量")
        panel = window.workbench.selfscore
        window.workbench.side.setCurrentWidget(panel)
        assert panel.target.isVisibleTo(window)
        assert panel.target.text().startswith(TARGET), panel.target.text()

        with qtbot.waitSignal(controller.export.preflight_done, timeout=WAIT):
            _action(window, "导出申报材料包…").trigger()
        dlg = controller.export.export_dialog
        target = tmp_path / "申报材料"
        dlg.as_folder.setChecked(True)
        dlg.target.setText(str(target))
        dlg.date.setDate(QDate(DATE.year, DATE.month, DATE.day))
        with qtbot.waitSignal(controller.export.export_done, timeout=WAIT):
            qtbot.mouseClick(dlg.export_btn, Qt.MouseButton.LeftButton)
            box = dlg.confirm_box
            if isinstance(box, QMessageBox):
                qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "仍要导出"),
                                 Qt.MouseButton.LeftButton)
        report = _docx_text(target / "00 申报文件" / "02 自评报告.docx")
        assert f"目标值：{TARGET}" in report
        dlg.close()


# --- item 4: no silent loss of typing -------------------------------------------------------------


def _answer_when_asked(qtbot, answer: str, seen: list[str]) -> None:
    """Press `answer` (保存/放弃/取消) in the unsaved-changes question once it is shown."""
    from PySide6.QtCore import QTimer

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "unsaved_changes":
            QTimer.singleShot(20, press)
            return
        seen.append(box.text())
        button = next(b for b in box.buttons() if b.text() == answer)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, press)


def _type(qtbot, widget, text: str) -> None:
    """Typed as the clerk does with Chinese: through the clipboard, Ctrl+V."""
    widget.setFocus()
    QApplication.clipboard().setText(text)
    qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _assessment(archive, code: str):
    from storage.bundle.assessments import assessment_row
    from storage.catalogue.queries import indicator_tree

    with archive.sessions.read() as s:
        node = next(n for n in indicator_tree(s) if n.code == code)
        return assessment_row(s, node.id)


def test_item4_typing_is_saved_or_asked_before_the_selection_moves_or_the_window_closes(
        qtbot, monkeypatch, tmp_path, archive):
    with open_window(qtbot, archive, wait=WAIT) as (window, controller):
        window.ask_before_closing = True  # as the application shell sets it
        _import_framework_by_dialog(qtbot, monkeypatch, controller,
                                    _framework_with_a_long_target(tmp_path / "指标体系.xlsx"))
        wb = window.workbench
        _click_node(qtbot, window, controller, "工业产品质量")
        wb.side.setCurrentWidget(wb.selfscore)
        first = wb.selfscore.row()
        wb.selfscore.score.clear()
        qtbot.keyClicks(wb.selfscore.score, "5")
        _type(qtbot, wb.selfscore.description, "全年抽查工业产品 120 批次，合格 114 批次。")

        # 取消: the selection stays, the typing stays
        seen: list[str] = []
        _answer_when_asked(qtbot, "取消", seen)
        tree = wb.tree
        other = next(n for n in tree.tree_model.nodes() if n.title == "食品安全")
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                         pos=tree.visualRect(tree.tree_model.index_of(other.id)).center())
        assert seen and "自评" in seen[0] and "完成情况" in seen[0]
        assert tree.current_id() == first.indicator_id
        assert wb.selfscore.score.text() == "5" and "114 批次" in wb.selfscore.description.toPlainText()

        # 保存: the move goes on and what was typed is in the archive
        _answer_when_asked(qtbot, "保存", seen)
        with qtbot.waitSignal(controller.export.assessment_saved, timeout=WAIT):
            qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                             pos=tree.visualRect(tree.tree_model.index_of(other.id)).center())
        qtbot.waitUntil(lambda: wb.selfscore.row() is not None
                        and wb.selfscore.row().indicator_id == other.id, timeout=WAIT)
        saved = _assessment(controller.archive, first.code)
        assert saved.self_score == 5 and "114 批次" in saved.description

        # 放弃: the move goes on, nothing is written
        _type(qtbot, wb.selfscore.note, "抽检批次不足")
        _answer_when_asked(qtbot, "放弃", seen)
        with qtbot.waitSignal(controller.export.assessment_loaded, timeout=WAIT):
            qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                             pos=tree.visualRect(tree.tree_model.index_of(first.indicator_id)).center())
        assert len(seen) == 3 and "扣分说明" in seen[2]
        assert _assessment(controller.archive, other.code).deduction_note == ""

        # closing the window with typing in the 完成情况 field: 取消 keeps it open, 保存 saves then closes
        _type(qtbot, wb.selfscore.description, "已完成年度抽查任务。")
        _answer_when_asked(qtbot, "取消", seen)
        window.close()
        assert window.isVisible() and len(seen) == 4
        _answer_when_asked(qtbot, "保存", seen)
        window.close()
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
        assert "已完成年度抽查任务" in _assessment(controller.archive, first.code).description


# --- item 10: a second export on the same day ------------------------------------------------------


def test_item10_a_second_export_the_same_day_proposes_a_free_name(qtbot, monkeypatch, tmp_path, gui):
    window, controller = gui
    monkeypatch.setattr("desktop.window.export.default_export_folder", lambda: str(tmp_path))
    names = []
    for _ in range(2):
        with qtbot.waitSignal(controller.export.preflight_done, timeout=WAIT):
            _action(window, "导出申报材料包…").trigger()  # 文件 → 导出申报材料包… (Ctrl+E)
        dlg = controller.export.export_dialog
        names.append(Path(dlg.target.text()).name)
        with qtbot.waitSignal(controller.export.export_done, timeout=WAIT) as sig:
            qtbot.mouseClick(dlg.export_btn, Qt.MouseButton.LeftButton)
            box = dlg.confirm_box
            assert isinstance(box, QMessageBox)
            qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "仍要导出"), Qt.MouseButton.LeftButton)
        assert Path(sig.args[0]["bundle"]).is_dir()
        qtbot.mouseClick(dlg.close_btn, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: controller.export.export_dialog is None, timeout=WAIT)
    today = controller.today
    assert names == [f"质量强县申报材料_{today:%Y%m%d}", f"质量强县申报材料_{today:%Y%m%d}_2"]


# --- item 11: 最近操作 in words ------------------------------------------------------------------


def test_item11_recent_activity_on_the_dashboard_is_told_in_words(qtbot, gui):
    """Drop an item on another indicator in the window (the clerk's drag), then read the
    dashboard's 最近操作: titles and codes, never ids or column names."""
    window, controller = gui
    tree = window.workbench.tree
    nodes = [n for n in tree.tree_model.nodes() if n.is_leaf]
    source = next(n for n in nodes if n.received)
    target = next(n for n in nodes if n.id != source.id and n.code)
    with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        tree.select_id(source.id)
    row = window.workbench.evidence.model.row(0)
    with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
        tree.evidence_dropped.emit([row.id], target.id)
    window.show_view("dashboard")
    model = window.dashboard.activity_model

    def feed() -> list[str]:
        return [model.data(model.index(r, 4)) for r in range(model.rowCount())]

    qtbot.waitUntil(lambda: any("关联到指标" in t for t in feed()), timeout=WAIT)
    texts = feed()
    assert any(t.startswith("材料《") and f"关联到指标 {target.code}" in t for t in texts), texts
    assert not any("#" in t or "_id" in t for t in texts), texts


def test_item11_the_database_server_field_sits_behind_advanced(qtbot):
    from ui.first_run import FirstRunDialog

    dlg = FirstRunDialog([], server_option=True)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.server_box.isVisible() and dlg.db_url() == ""
    qtbot.mouseClick(dlg.advanced, Qt.MouseButton.LeftButton)
    assert dlg.server_box.isVisible()
    qtbot.mouseClick(dlg.advanced, Qt.MouseButton.LeftButton)
    assert not dlg.server_box.isVisible()
    again = FirstRunDialog([], server_option=True, db_url="postgresql://db.example/evidence")
    qtbot.addWidget(again)
    assert again.server_box.isVisibleTo(again) and again.advanced.isChecked()


# --- item 6: closing the window while an export runs ----------------------------------------------


def _press_in_box(qtbot, name: str, answer: str, seen: list[str]) -> None:
    """Press `answer` in the message box called `name` once it is shown."""
    from PySide6.QtCore import QTimer

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != name:
            QTimer.singleShot(20, press)
            return
        seen.append(box.text())
        button = next((b for b in box.buttons() if b.text() == answer), None)
        if button is None and answer == "OK":  # Qt's own button: "确定" once Qt's Chinese texts are loaded
            button = box.button(QMessageBox.StandardButton.Ok)
        assert button is not None, f"no button {answer!r} in {[b.text() for b in box.buttons()]}"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, press)


def test_item6_closing_during_an_export_asks_then_cancels_cleanly(qtbot, monkeypatch, tmp_path, gui):
    import time

    import exporters.bundle as bundle

    window, controller = gui
    # the bundle is written slowly here, so the export still runs when the clerk closes
    original = bundle.write_folder

    def slowly(*args, **kwargs):
        time.sleep(1.5)
        return original(*args, **kwargs)

    monkeypatch.setattr("desktop.actions.export.write_folder", slowly)
    window.ask_before_closing = True  # as the application shell sets it

    with qtbot.waitSignal(controller.export.preflight_done, timeout=WAIT):
        _action(window, "导出申报材料包…").trigger()
    dlg = controller.export.export_dialog
    target = tmp_path / "申报材料"
    dlg.as_folder.setChecked(True)
    dlg.target.setText(str(target))
    qtbot.mouseClick(dlg.export_btn, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(next(b for b in dlg.confirm_box.buttons() if b.text() == "仍要导出"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(controller.running_work()), timeout=WAIT)

    # 继续等待: the window stays, the export goes on
    seen: list[str] = []
    _press_in_box(qtbot, "close_while_busy", "继续等待", seen)
    window.close()
    assert window.isVisible() and seen and "正在导出申报材料包" in seen[0]

    # 取消并关闭: the export is cancelled, nothing half-written is left, the clerk is told
    _press_in_box(qtbot, "close_while_busy", "取消并关闭", seen)
    _press_in_box(qtbot, "work_cancelled", "OK", seen)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    assert len(seen) == 3 and "没有留下不完整的材料包" in seen[2]
    assert not target.exists() or not any(target.iterdir())


# --- item 2: the department from a share's subfolder ------------------------------------------------


def test_item2_a_departments_subfolder_names_the_department(archive):
    from storage.catalogue.departments import add_alias, get_or_create_department
    from storage.watch.folders import add_folder, department_for_path, find_folder

    share = archive.root.parent / "共享"
    share.mkdir()
    with archive.sessions.write() as s:
        fgw = get_or_create_department(s, "县发展和改革局")
        add_alias(s, fgw, "县发改局")
        scj = get_or_create_department(s, "县市场监督管理局")
        add_folder(s, str(share), department="县政府办公室")
        folder = find_folder(s, str(share))
        assert department_for_path(s, folder, "县发改局/2024年/关于印发方案的通知.pdf") == fgw.id
        assert department_for_path(s, folder, "县市场监督管理局/抽查报告.pdf") == scj.id
        assert department_for_path(s, folder, "2024年/通知.pdf") == folder.department_id
        assert department_for_path(s, None, "其他/通知.pdf") is None
