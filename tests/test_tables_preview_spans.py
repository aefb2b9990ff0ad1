"""The plan preview marks, inside each task's own text, the span its departments were read
from (issue 14 item 3): the read model gives the texts to mark, the dialog paints them in
bold colour (offscreen, pytest-qt), and the sample plan the screenshot uses reads right."""
from __future__ import annotations

from pathlib import Path

import docx
from PySide6.QtCore import Qt

from storage.tables.preview import ImportOptions, preview_import
from ui.import_dialog import MARKED_ROLE, ImportDialog, marked_html

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "demo" / "示例_工作方案.docx"


def _plan(path: Path) -> Path:
    d = docx.Document()
    for text in [
        "一、重点任务",
        "1.建立质量工作考核制度（2026-2028年），每年通报一次。（县市场监管局牵头，县发改局配合）",
        "2.建设质量基础设施服务平台。",
        "牵头单位：县工信局",
        "完成时限：2026年9月底前",
        "3.把质量工作纳入乡村（社区）、镇（街道）考核。",
    ]:
        d.add_paragraph(text)
    d.save(str(path))
    return path


def test_preview_gives_each_task_its_text_as_written_and_the_spans_to_mark(archive, tmp_path):
    p = preview_import(archive, ImportOptions(kind="plan", path=str(_plan(tmp_path / "p.docx"))))
    assert p.ok and p.item_count == 2
    col = p.mark_column
    assert p.item_headers[col].startswith("任务")
    first, second = p.items[0][col], p.items[1][col]
    assert first.startswith("1.建立质量工作考核制度（2026-2028年）") and "（县市场监管局牵头，县发改局配合）" in first
    assert p.item_marks[0] == ("县市场监管局牵头，县发改局配合",)
    # own lines belong to the task's text and are what is marked
    assert "牵头单位：县工信局" in second and "牵头单位：县工信局" in p.item_marks[1]


def test_dialog_paints_the_read_span_bold_inside_the_task_text(qtbot, archive, tmp_path):
    p = preview_import(archive, ImportOptions(kind="plan", path=str(_plan(tmp_path / "p.docx"))))
    dlg = ImportDialog("plan")
    qtbot.addWidget(dlg)
    dlg.set_preview(p)
    model = dlg.items_model
    index = model.index(0, p.mark_column)
    html_text = model.data(index, MARKED_ROLE)
    assert '<b style="color:' in html_text and ">县市场监管局牵头，县发改局配合</b>" in html_text
    # the year bracket is task text, not marked
    assert "（2026-2028年）" in html_text and ">（2026-2028年）</b>" not in html_text
    # other columns carry no marks; the row is tall enough for the wrapped text
    assert model.data(model.index(0, 3), MARKED_ROLE) is None
    assert dlg.items_view.rowHeight(0) >= dlg.items_view.fontMetrics().height()
    assert model.data(index, Qt.ItemDataRole.DisplayRole).startswith("1.建立")


def test_marked_html_escapes_and_marks_each_span_once():
    assert marked_html("a<b>（县财政局负责）", ["县财政局负责"]) == (
        'a&lt;b&gt;（<b style="color:#b3261e">县财政局负责</b>）')
    assert marked_html("没有分工", ["县财政局"]) == "没有分工"


def test_sample_plan_for_the_screenshot_reads_every_form(archive):
    p = preview_import(archive, ImportOptions(kind="plan", path=str(SAMPLE)))
    assert p.ok and p.item_count == 5
    leads = [row[3] for row in p.items]
    assert leads == ["县市场监管局", "县市场监管局", "县市场监管局", "县农业农村局", "县住建局"]
    assert all(marks for marks in p.item_marks)
    assert any("王示例副县长" in row[-1] for row in p.items)     # a person, kept beside the task


def test_screenshot_view_uses_the_sample_plan():
    from desktop.window.screenshots import _sample_table

    assert _sample_table("plan") == SAMPLE
    assert _sample_table("framework") is not None and _sample_table("duties") is not None
