"""Responsibility-table export (print-ready, with progress), the reminder list, round trips,
and legacy .xls tables saved by LibreOffice."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import openpyxl
import pytest
from conftest import run_cli
from sqlalchemy import select
from test_tables_fixtures import framework_table, numbered_table, soffice_convert, taizhou_table

from exporters.duties_xlsx import write_duties_xlsx
from exporters.reminders_xlsx import write_reminders_xlsx
from storage.core.archive import Archive
from storage.models import Duty, Evidence, EvidenceDuty
from storage.tables.duties_import import import_duties
from storage.tables.export_query import duties_table
from storage.tables.framework_import import import_framework, read_framework
from storage.tables.grid import read_sheets

pytestmark = pytest.mark.backends

TODAY = dt.date(2023, 8, 1)


@pytest.fixture
def loaded(archive, tmp_path):
    p = taizhou_table(tmp_path / "tz.xlsx")
    import_framework(archive, p)
    import_duties(archive, p)
    with archive.sessions.write() as s:
        d = s.scalar(select(Duty).where(Duty.task == "成立领导小组"))
        ev = Evidence(title="领导小组文件", status="accepted")
        s.add(ev)
        s.flush()
        s.add(EvidenceDuty(evidence_id=ev.id, duty_id=d.id))
        d2 = s.scalar(select(Duty).where(Duty.task == "纳入综合考核"))
        ev2 = Evidence(title="考核办法（草稿）", status="received")
        s.add(ev2)
        s.flush()
        s.add(EvidenceDuty(evidence_id=ev2.id, duty_id=d2.id))
    return p


def test_export_county_layout_progress_and_print_setup(archive, loaded, tmp_path):
    with archive.sessions.read() as s:
        table = duties_table(s, today=TODAY)
    out = write_duties_xlsx(table, tmp_path / "out" / "分解表.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    headers = [c.value for c in ws[3]]
    assert headers == ["一级指标", "建设内容", "建设指标", "考评标准", "任务内容", "责任单位", "完成时限",
                       "工作考核", "已收材料", "已审核", "状态", "是否逾期", "剩余天数"]
    assert ws["A1"].value == "沂水县落实质量强县评价指标体系工作责任分解表（2023年）"
    rows = {r[4]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert rows["成立领导小组"][8:11] == (1, 1, "已审核") and rows["成立领导小组"][11] is None
    assert rows["纳入综合考核"][8:12] == (1, 0, "已报送", "逾期")  # 2023-07-15 < today, not accepted
    assert rows["制定年度计划"][12] == 30 and rows["制定年度计划"][6] == "8月31日前"
    assert rows["安排专项经费"][12] is None and rows["安排专项经费"][6] == "长期坚持"
    assert rows["成立领导小组"][5] == "县市场监管局（牵头）、县委办、县政府办"  # the county's wording
    # print-ready
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows == "$3:$3"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref.startswith("A3:M")
    cell = ws["E4"]
    assert cell.alignment.wrap_text and cell.border.left.style == "thin"
    assert "A4:A8" in {str(r) for r in ws.merged_cells.ranges}  # level-1 printed merged
    assert wb.properties.modified == dt.datetime(2000, 1, 1)
    again = write_duties_xlsx(table, tmp_path / "again.xlsx")
    assert again.read_bytes() == out.read_bytes()  # same table, same file


def test_reminder_list_per_department(archive, loaded, tmp_path):
    with archive.sessions.read() as s:
        table = duties_table(s, today=TODAY)
    out = write_reminders_xlsx(table, tmp_path / "催办清单.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "汇总"
    summary = {r[0]: r for r in wb["汇总"].iter_rows(min_row=3, values_only=True)}
    assert summary["县委组织部"][1:3] == (1, 1)  # one open duty, overdue
    assert "县市场监管局" in summary and summary["县市场监管局"][1] == 1  # the accepted one is done
    ws = wb[summary["县委组织部"][4]]
    assert ws["A1"].value == "催办通知：县委组织部"
    row = [c.value for c in ws[4]]
    assert row[1] == "牵头" and row[3] == "纳入综合考核" and row[6] == "已逾期 17 天"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    assert "各乡镇（街道）" in summary  # collective names are chased too


def test_department_filter_cli(archive, loaded, tmp_path):
    archive.close()
    out = tmp_path / "one.xlsx"
    rem = tmp_path / "rem.xlsx"
    r = run_cli("duties", "export", str(out), "--department", "县市场监督管理局", "--today", "2023-08-01",
                "--reminders", str(rem), "--json", "--archive", str(archive.root))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["rows"] == 2 and data["reminders"] == str(rem)
    ws = openpyxl.load_workbook(out).active
    assert "单位：县市场监管局" in ws["A2"].value
    r = run_cli("duties", "export", str(out), "--today", "2023-13-01", "--archive", str(archive.root))
    assert r.returncode == 2 and "日期格式有误" in r.stderr


def test_round_trip_import_export_import_changes_nothing(archive, loaded, tmp_path):
    with archive.sessions.read() as s:
        out = write_duties_xlsx(duties_table(s, today=TODAY), tmp_path / "rt.xlsx")
    rep = import_duties(archive, out)
    assert rep.unchanged, rep.as_dict()["changes"]
    fw = import_framework(archive, out, name=rep.framework_name)
    assert fw.unchanged, fw.as_dict()["changes"]
    # and into a fresh archive: the exported table rebuilds the same framework and duties
    other = Archive.create(tmp_path / "fresh")
    try:
        import_framework(other, out)
        again = import_duties(other, out)
        first = import_duties(archive, loaded, dry_run=True)
        def strip(items):
            return [{k: v for k, v in i.items() if k not in ("indicator_id", "row")} for i in items]
        assert strip(again.items) == strip(first.items)
        assert all(i["indicator_id"] for i in again.items)
    finally:
        other.close()


def test_round_trip_lead_cooperating_layout(archive, tmp_path):
    p = framework_table(tmp_path / "f.xlsx")
    import_framework(archive, p)
    import_duties(archive, p)
    with archive.sessions.read() as s:
        out = write_duties_xlsx(duties_table(s, today=TODAY), tmp_path / "rt.xlsx")
    headers = [c.value for c in openpyxl.load_workbook(out).active[3]]
    assert headers[:8] == ["序号", "一级指标", "二级指标", "三级指标", "分值", "评分标准", "牵头单位", "配合单位"]
    assert import_duties(archive, out).unchanged
    assert import_framework(archive, out, name="测试省质量强县评价指标体系（测试用）", dry_run=True).changed == []


def test_plan_duties_export_default_layout(archive, tmp_path):
    from test_tables_fixtures import plan_docx_typed

    from storage.tables.plan_import import import_plan

    import_plan(archive, plan_docx_typed(tmp_path / "p.docx"))
    with archive.sessions.read() as s:
        table = duties_table(s, today=TODAY)
    out = write_duties_xlsx(table, tmp_path / "plan.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[3]][:9] == ["序号", "一级指标", "二级指标", "三级指标", "工作任务", "牵头单位",
                                            "配合单位", "佐证材料", "完成时限"]
    assert ws.max_row == 3 + 13 and ws["F4"].value == "县市场监管局" and ws["G4"].value == "县工信局、县农业农村局"


# --- legacy .xls (saved by LibreOffice) ------------------------------------------------------

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


@needs_soffice
def test_xls_framework_with_merges_hidden_rows_and_columns(archive, tmp_path):
    src = framework_table(tmp_path / "f.xlsx")
    xls = soffice_convert(src, "xls", tmp_path / "xls")
    assert xls is not None and xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    sheet = read_sheets(xls)[0]
    assert 8 in sheet.hidden_cols and 7 in sheet.hidden_rows  # column I, row 8 (0-based)
    _, rep_x = read_framework(xls)
    _, rep_o = read_framework(src)
    assert rep_x.items == rep_o.items and rep_x.skipped == rep_o.skipped
    assert rep_x.mapping == rep_o.mapping
    # renamed to .xlsx by someone: told by its first bytes, still read
    renamed = xls.with_name("renamed.xlsx")
    shutil.copyfile(xls, renamed)
    assert read_framework(renamed)[1].items == rep_o.items
    # WPS 表格's .et is the same OLE2/BIFF container: a BIFF8 file named .et is read too
    # (no WPS here to save a native one; see the issue note)
    et = xls.with_name("wps保存.et")
    shutil.copyfile(xls, et)
    assert read_framework(et)[1].items == rep_o.items


@needs_soffice
def test_xls_responsibility_table_dates_and_serials(archive, tmp_path):
    src = taizhou_table(tmp_path / "tz.xlsx")
    xls = soffice_convert(src, "xls", tmp_path / "xls")
    import_framework(archive, xls)
    rep = import_duties(archive, xls)
    assert [i["deadline"] for i in rep.items] == [
        dt.date(2023, 6, 30), dt.date(2023, 8, 31), dt.date(2023, 7, 15), None, dt.date(2023, 9, 30), None]
    assert rep.items[0]["lead"] == ["县市场监管局"]


def test_numbered_table_round_trip_single_title_column(archive, tmp_path):
    p = numbered_table(tmp_path / "n.xlsx")
    first = import_framework(archive, p)
    assert import_framework(archive, p).unchanged
    assert len(first.added) == 10


def test_garbage_file_is_bad_input(archive, tmp_path):
    from storage.kernel.errors import BadInput

    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04not really a zip")
    with pytest.raises(BadInput):
        import_framework(archive, junk)
    text = tmp_path / "t.xls"
    text.write_text("序号,指标", encoding="utf-8")
    with pytest.raises(BadInput) as e:
        import_framework(archive, text)
    assert "无法识别" in e.value.zh


def test_notes_column_is_kept_and_exported(archive, tmp_path):
    """The 工作考核 / 备注 column is stored on the duty (schema 0002) and printed back."""
    p = taizhou_table(tmp_path / "t.xlsx")
    import_framework(archive, p)
    import_duties(archive, p)
    with archive.sessions.read() as s:
        notes = [d.notes for d in s.scalars(select(Duty).order_by(Duty.position))]
    assert notes[0] == "A" and set(notes[1:]) == {""}
    with archive.sessions.read() as s:
        out = write_duties_xlsx(duties_table(s, today=TODAY), tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(out).active
    header_row = next(r for r in ws.iter_rows() if any(c.value == "工作考核" for c in r))
    col = next(c.column for c in header_row if c.value == "工作考核")
    values = [ws.cell(row=r, column=col).value for r in range(header_row[0].row + 1, ws.max_row + 1)]
    assert values[0] == "A" and not any(values[1:])
    assert import_duties(archive, out).unchanged
