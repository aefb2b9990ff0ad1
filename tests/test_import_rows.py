"""The rows an import writes stay the same while the writing gets cheaper (issue 19 item 4).

- Duties and their department links are audited by one INSERT … SELECT inside SQLite
  (`frameworks._audit_by_select`): the entries must be the ones the Python road
  (`frameworks._audit_inserts`, still used where SQLite has no JSON functions) writes, one
  per row, texts over 200 characters cut, dates as text.
- Sheets in the common shape are scanned by regular expressions (`fsio._quick_scan`): the
  figures must be the element walk's, and any other shape must go to the walk.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from reading_files import make_xlsx
from sqlalchemy import select
from table_helpers import xlsx as _xlsx

from storage.catalogue import frameworks
from storage.core.archive import Archive
from storage.kernel import fsio
from storage.models import AuditLog, Department, Duty, DutyDepartment
from storage.tables.duties_import import import_duties
from storage.tables.grid import read_sheets
from storage.tables.plan_import import import_plan

UNITS = ["县市场监管局", "县工信局", "县发改局", "县财政局", "县住建局", "各乡镇（街道）"]
LONG = "围绕质量强县创建目标，" + "完善质量基础设施，推进标准化建设，强化计量检测认证服务，" * 12


def _duties_table(path: Path) -> Path:
    """A responsibility table of 12 rows: a lead and two cooperating units each, a long task,
    dates and recurring deadlines, notes."""
    data: list[list[object]] = [["序号", "工作任务", "责任单位", "完成时限", "备注"]]
    for r in range(1, 13):
        d = [UNITS[(r + j) % len(UNITS)] for j in range(3)]
        task = LONG if r == 5 else f"第{r}项工作任务：落实质量提升具体措施"
        deadline = ["2023年6月底前", "每季度", "长期坚持"][r % 3]
        data.append([r, task, f"{d[0]}（牵头）、{d[1]}、{d[2]}", deadline, "按季度报送进展" if r % 4 == 0 else ""])
    return _xlsx(path, data)


def _plan(path: Path) -> Path:
    """A work plan of 8 tasks in two assignment forms, one task over 200 characters."""
    d = docx.Document()
    for line in ("某县人民政府", "2023年6月27日", "某县质量强县创建工作方案", "一、主要任务"):
        d.add_paragraph(line)
    for n in range(1, 9):
        a, b, c = UNITS[n % 6], UNITS[(n + 2) % 6], UNITS[(n + 4) % 6]
        body = LONG if n == 3 else f"开展第{n}项质量提升工作，完善工作机制。"
        if n % 2:
            d.add_paragraph(f"{n}.{body}（{a}牵头，{b}、{c}等单位配合落实）")
        else:
            d.add_paragraph(f"{n}.{body}（牵头单位：{a}；责任单位：{b}、{c}，6月底完成）")
    d.save(str(path))
    return path


def _rows(archive: Archive) -> dict[str, Any]:
    """Duties, links, departments and the parsed audit entries (without time and id)."""
    with archive.sessions.read() as s:
        duties = [(d.id, d.position, d.code, d.task, d.deadline, d.deadline_kind, d.deadline_text,
                   d.departments_text, d.notes, d.source) for d in s.scalars(select(Duty).order_by(Duty.id))]
        links = [tuple(r) for r in s.execute(select(
            DutyDepartment.duty_id, DutyDepartment.department_id, DutyDepartment.role, DutyDepartment.position)
            .order_by(DutyDepartment.duty_id, DutyDepartment.role.desc(), DutyDepartment.position))]
        depts = [tuple(r) for r in s.execute(select(Department.id, Department.name).order_by(Department.id))]
        audit = [(a.user, a.action, a.entity, a.entity_id, json.loads(a.summary))
                 for a in s.scalars(select(AuditLog).order_by(AuditLog.id))]
    return {"duties": duties, "links": links, "departments": depts, "audit": audit}


def _import_both_roads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Any) -> tuple[dict, dict]:
    """The same import into two new archives: audited inside SQLite, then by the Python road."""
    out = []
    for road, json_ok in (("sql", None), ("python", False)):
        monkeypatch.setattr(frameworks, "_SQLITE_JSON", json_ok)
        archive = Archive.create(tmp_path / road)
        try:
            run(archive)
            out.append(_rows(archive))
        finally:
            archive.close()
    return out[0], out[1]


def _check_audit_mirrors_rows(rows: dict[str, Any]) -> None:
    """One insert entry per duty and per link, whose summary is the row (long texts cut)."""
    entries = {(e[2], e[3]): e[4] for e in rows["audit"] if e[1] == "insert"}
    for link in rows["links"]:
        duty_id, dept_id, role, pos = link
        key = f"{duty_id},{dept_id}"
        assert entries[("duty_department", key)] == {
            "id": key, "duty_id": duty_id, "department_id": dept_id, "role": role, "position": pos}
    for d in rows["duties"]:
        summary = entries[("duty", str(d[0]))]
        assert summary["id"] == d[0] and summary["position"] == d[1] and summary["code"] == d[2]
        task = d[3] if len(d[3]) <= 200 else d[3][:200] + "…"
        assert summary["task"] == task
        assert summary["deadline"] == (d[4].isoformat() if d[4] else None)
        assert (summary["deadline_kind"], summary["deadline_text"], summary["notes"], summary["source"]) == (
            d[5], d[6], d[8], d[9])
    assert sum(1 for e in rows["audit"] if e[2] == "duty") == len(rows["duties"])
    assert sum(1 for e in rows["audit"] if e[2] == "duty_department") == len(rows["links"])


def test_duties_import_writes_the_same_rows_and_audit_on_both_roads(tmp_path, monkeypatch):
    table = _duties_table(tmp_path / "duties.xlsx")
    sql, python = _import_both_roads(tmp_path, monkeypatch, lambda a: import_duties(a, table))
    assert sql == python
    assert len(sql["duties"]) == 12 and len(sql["links"]) == 36
    assert [r[2] for r in sql["links"][:3]] == ["lead", "cooperating", "cooperating"]
    assert any(len(d[3]) > 200 for d in sql["duties"])   # the cut is exercised
    _check_audit_mirrors_rows(sql)


def test_plan_import_writes_the_same_rows_and_audit_on_both_roads(tmp_path, monkeypatch):
    plan = _plan(tmp_path / "plan.docx")
    sql, python = _import_both_roads(tmp_path, monkeypatch, lambda a: import_plan(a, plan))
    assert sql == python
    assert len(sql["duties"]) == 8 and len(sql["links"]) == 24
    assert any(d[4] is not None for d in sql["duties"])   # a date is audited as text
    _check_audit_mirrors_rows(sql)


def test_reimport_after_the_bulk_road_changes_nothing(tmp_path):
    table = _duties_table(tmp_path / "duties.xlsx")
    archive = Archive.create(tmp_path / "a")
    try:
        import_duties(archive, table)
        before = _rows(archive)
        again = import_duties(archive, table)
        assert again.unchanged
        assert _rows(archive) == before
    finally:
        archive.close()


# --- sheet scanning ---------------------------------------------------------------------------


def _both_scans(path: Path) -> tuple[tuple | None, tuple]:
    with zipfile.ZipFile(path) as z:
        part = "xl/worksheets/sheet1.xml"
        quick = fsio._quick_scan(z.read(part))
        return quick, fsio._walk_scan(z, part)


def test_quick_scan_equals_the_walk_on_tables_written_by_openpyxl(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["附件1"])
    ws.append(["序号", "一级指标", "工作任务", "责任单位", "完成时限"])
    for r in range(1, 41):
        ws.append([r, f"一级指标{(r - 1) // 10 + 1}", f"第{r}项任务", "县市场监管局（牵头）", "2023年6月底前"])
    ws["H50"].font = openpyxl.styles.Font(bold=True)   # a styled empty cell beyond the values
    ws["G45"] = "=1+1"
    for start in range(3, 43, 10):
        ws.merge_cells(f"B{start}:B{start + 9}")
    wb.save(tmp_path / "t.xlsx")
    quick, walk = _both_scans(tmp_path / "t.xlsx")
    assert quick is not None and quick == walk
    assert quick[:2] == (45, 7) and quick[2] > 160 and len(quick[3]) == 4


@pytest.mark.parametrize("cells, quick_reads", [
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c><c r="C1" s="2"/></row>'
     '<row r="3">\n  <c r="B3">\n    <v>1</v>\n  </c>\n  <c r="D3" s="1"></c>\n</row>', True),
    ('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="AB2"><f>A1</f></c></row>', True),
    ('<row r="1"><c r="a1"><v>1</v></c></row>', False),                         # lowercase reference
    ('<row r="1"><c s="1" r="A1"><v>1</v></c></row>', False),                   # reference not first
    ('<row r="1"><c><v>1</v></c><c><v>2</v></c></row>', False),                 # no references
    ('<row r="1"><c r="A1" x="a>b"><v>1</v></c></row>', False),                 # ">" in an attribute
    ('<row r="1"><c r="A1" x="a/>b"><v>1</v></c></row>', False),                # "/>" in an attribute
    ('<row r="1"><!-- <c r="Z9"><v>1</v></c> --><c r="A1"><v>1</v></c></row>', False),  # a comment
    ('<row r="1"><c r="A1"><v>1</v></c></row><row r="1000000"><c r="B1000000"><v>1</v></c></row>', False),
])
def test_quick_scan_reads_the_common_shape_and_steps_aside_for_others(tmp_path, cells, quick_reads):
    path = make_xlsx(tmp_path / "s.xlsx", cells, merges='<mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>')
    quick, walk = _both_scans(path)
    if quick_reads:
        assert quick == walk
    else:
        assert quick is None
    (scan,) = fsio.scan_xlsx(path)
    assert (scan.rows, scan.cols, scan.cells, scan.merges) == (walk[0], walk[1], walk[2], ((0, 0, 1, 1),))


def test_a_prefixed_sheet_goes_to_the_walk(tmp_path):
    path = tmp_path / "x.xlsx"
    make_xlsx(path, '<row r="1"><c r="A1"><v>1</v></c></row>')
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    prefixed = xml.replace(b'<worksheet xmlns="', b'<x:worksheet xmlns:x="').replace(b"</worksheet>", b"</x:worksheet>")
    prefixed = prefixed.replace(b"<sheetData>", b"<x:sheetData>").replace(b"</sheetData>", b"</x:sheetData>")
    prefixed = prefixed.replace(b"<row", b"<x:row").replace(b"</row>", b"</x:row>")
    prefixed = prefixed.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>").replace(b"<v>", b"<x:v>")
    prefixed = prefixed.replace(b"</v>", b"</x:v>").replace(b"<dimension", b"<x:dimension")
    assert fsio._quick_scan(prefixed) is None


def test_a_damaged_sheet_in_the_common_shape_is_still_refused(tmp_path):
    """The quick scan does not parse the XML; the readers after it refuse a broken sheet."""
    path = make_xlsx(tmp_path / "broken.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v>')
    with pytest.raises(fsio.FileRefused) as e:
        read_sheets(path)
    assert "损坏" in str(e.value) or "damaged" in str(e.value)
