"""The departments view: what each department still owes, and the reminders generated off
the GUI thread for one department or all: the 催办通知 (.docx, read back with python-docx)
and the 催办清单 (.xlsx, read back with openpyxl)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from storage.catalogue.county import set_county_facts, set_upload_deadline
from storage.readmodels import CountyFacts

WAIT = 20_000
TODAY = dt.date(2026, 9, 30)


@pytest.fixture
def gui(qtbot, demo_archive, tmp_path):
    from desktop.window.controllers import Controller
    from desktop.window.tasks import TaskRunner
    from ui.main_window import MainWindow

    with demo_archive.sessions.write() as s:
        set_county_facts(s, CountyFacts(name="示例县", contact_name="王晓明", contact_phone="0539-1234567",
                                        contact_unit="示例县市场监督管理局"))
        set_upload_deadline(s, dt.date(2026, 10, 20))
    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    controller = Controller(window, runner, today=TODAY)
    window.show()
    with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
        controller.set_archive(demo_archive)
    qtbot.waitUntil(runner.is_idle, timeout=WAIT)
    with qtbot.waitSignal(controller.views_loaded, timeout=WAIT,
                          check_params_cb=lambda name: name == "departments"):
        window.show_view("departments")  # a view is loaded when it is shown
    view = window.departments
    view.choose_path = lambda kind, name: str(tmp_path / name)  # instead of the save dialog
    yield window, controller, view
    controller.close_archive()
    assert runner.shutdown()


def _body_text(d) -> list[str]:
    return [p.text for p in d.paragraphs]


def _runs_have_east_asian_font(d) -> bool:
    runs = [r for r in d.element.body.iter(qn("w:r")) if "".join(r.itertext()).strip()]
    assert runs
    for r in runs:
        fonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
        if fonts is None or not fonts.get(qn("w:eastAsia")):
            return False
    return True


def test_notice_for_one_department(qtbot, gui):
    window, controller, view = gui
    assert view.model.rowCount() >= 2
    dept = view.model.row(0)  # most owing first
    assert dept.owed
    view.table.selectRow(0)
    assert view.owed_model.rowCount() == len(dept.owed)
    with qtbot.waitSignal(controller.exported, timeout=WAIT) as sig:
        view.notice_btn.click()
    kind, path = sig.args
    assert kind == "notice" and path.endswith(f"催办通知_{dept.name}.docx")

    d = docx.Document(path)
    text = _body_text(d)
    assert text[0] == "催办通知"
    assert f"{dept.name}：" in text
    body = next(t for t in text if t.startswith("根据"))
    assert f"以下 {len(dept.owed)} 项工作" in body and "2026年9月30日" in body
    assert "请于2026年10月20日前" in body and "示例县市场监督管理局" in body
    assert any("王晓明" in t and "0539-1234567" in t for t in text)
    assert text[-1] == "2026年9月30日" and text[-2] == "示例县市场监督管理局"
    [table] = d.tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["序号", "工作任务", "对应指标", "职责", "完成时限", "逾期情况"]
    assert [r[1] for r in rows[1:]] == [o.task for o in dept.owed]
    for o, r in zip(dept.owed, rows[1:]):
        if o.days_left is not None and o.days_left < 0:
            assert r[5] == f"逾期 {-o.days_left} 天"
        assert r[2].startswith(o.indicator_code)
    assert _runs_have_east_asian_font(d)
    assert not list(Path(path).parent.glob("*.partial"))  # written whole, then renamed


def test_notice_and_list_for_all_departments(qtbot, gui, demo_archive):
    window, controller, view = gui
    owing = [view.model.row(i) for i in range(view.model.rowCount()) if view.model.row(i).owed]
    view.scope.setCurrentIndex(view.scope.findData("all"))
    with qtbot.waitSignal(controller.exported, timeout=WAIT) as sig:
        view.notice_btn.click()
    d = docx.Document(sig.args[1])
    titles = [p.text for p in d.paragraphs if p.text == "催办通知"]
    assert len(titles) == len(owing) and len(d.sections) == len(owing)
    addressed = [p.text[:-1] for p in d.paragraphs if p.text.endswith("：") and not p.text.startswith("联系")]
    assert sorted(addressed) == sorted(o.name for o in owing)
    assert len(d.tables) == len(owing)
    assert _runs_have_east_asian_font(d)

    # the 催办清单 for all, then for one department only
    with qtbot.waitSignal(controller.exported, timeout=WAIT) as sig:
        view.list_btn.click()
    wb = openpyxl.load_workbook(sig.args[1])
    assert wb.sheetnames[0] == "汇总" and len(wb.sheetnames) == 1 + len(owing)
    summary = wb["汇总"]
    counts = {summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(3, summary.max_row + 1)}
    assert counts == {o.name: len(o.owed) for o in owing}  # the list owes what the view says
    view.scope.setCurrentIndex(view.scope.findData("one"))
    view.table.selectRow(0)
    one = view.model.row(0)
    with qtbot.waitSignal(controller.exported, timeout=WAIT) as sig:
        view.list_btn.click()
    wb = openpyxl.load_workbook(sig.args[1])
    assert len(wb.sheetnames) == 2
    summary = wb["汇总"]
    assert summary.cell(3, 1).value == one.name and summary.cell(4, 1).value is None
    sheet = wb[wb.sheetnames[1]]
    assert one.name in sheet["A1"].value
    tasks = {sheet.cell(r, 4).value for r in range(4, sheet.max_row + 1)}
    assert {o.task for o in one.owed} <= tasks
