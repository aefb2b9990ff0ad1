"""Responsibility-table import: departments, leads, collective names, deadlines, links to
indicators, re-import diffs, and the department registry."""
from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from conftest import run_cli
from sqlalchemy import func, select
from test_tables_fixtures import framework_table, taizhou_table

from storage.catalogue.departments import get_or_create_department, merge_departments
from storage.kernel.errors import BadInput
from storage.models import Department, Duty, DutyDepartment, Evidence, EvidenceDuty, Indicator
from storage.tables.duties_import import import_duties
from storage.tables.export_query import department_list
from storage.tables.framework_import import import_framework

pytestmark = pytest.mark.backends


def _duties(archive):
    with archive.sessions.read() as s:
        out = []
        for d in s.scalars(select(Duty).order_by(Duty.position)):
            links = s.execute(
                select(Department.name, DutyDepartment.role)
                .join(Department, Department.id == DutyDepartment.department_id)
                .where(DutyDepartment.duty_id == d.id)
                .order_by(DutyDepartment.role.desc(), DutyDepartment.position)
            ).all()
            ind = s.get(Indicator, d.indicator_id) if d.indicator_id else None
            out.append({
                "task": d.task, "indicator": ind.title if ind else None,
                "lead": [n for n, r in links if r == "lead"],
                "coop": [n for n, r in links if r == "cooperating"],
                "deadline": d.deadline, "kind": d.deadline_kind, "text": d.deadline_text,
                "evidence": d.expected_evidence, "code": d.code,
            })
        return out


@pytest.fixture
def taizhou(archive, tmp_path):
    p = taizhou_table(tmp_path / "tz.xlsx")
    import_framework(archive, p)  # the same file carries the indicator columns
    return p


def test_departments_lead_marks_separators_and_collectives(archive, taizhou):
    rep = import_duties(archive, taizhou)
    assert rep.written and rep.rows_read == 6
    d = _duties(archive)
    # inline （牵头） mark, 、 separators
    assert d[0]["lead"] == ["县市场监管局"] and d[0]["coop"] == ["县委办", "县政府办"]
    # line break; the full name is the same department as the short one (alias)
    assert d[1]["lead"] == ["县市场监管局"] and d[1]["coop"] == ["县发改局"]
    # ； separator, collective name kept as such
    assert d[2]["lead"] == ["县委组织部"] and d[2]["coop"] == ["各乡镇（街道）"]
    # ， separator and a trailing 等部门按职责分工负责
    assert d[3]["lead"] == ["县委宣传部"] and d[3]["coop"] == ["县直有关部门"]
    # spaces; first-named is the lead
    assert d[4]["lead"] == ["县融媒体中心"] and d[4]["coop"] == ["县委宣传部"]
    with archive.sessions.read() as s:
        rows = {r["name"]: r for r in department_list(s)}
    assert rows["县市场监管局"]["aliases"] == ["县市场监督管理局"]
    assert rows["各乡镇（街道）"]["is_collective"] and rows["县直有关部门"]["is_collective"]
    assert not rows["县财政局"]["is_collective"]


def test_deadlines_dates_serials_text(archive, taizhou):
    import_duties(archive, taizhou)
    d = _duties(archive)
    assert (d[0]["deadline"], d[0]["kind"], d[0]["text"]) == (dt.date(2023, 6, 30), "date", "2023年6月底前")
    # no year in the cell: the year of the table's title
    assert (d[1]["deadline"], d[1]["text"]) == (dt.date(2023, 8, 31), "8月31日前")
    assert d[2]["deadline"] == dt.date(2023, 7, 15)  # a date cell
    assert (d[3]["deadline"], d[3]["kind"], d[3]["text"]) == (None, "recurring", "每季度")
    assert d[4]["deadline"] == dt.date(2023, 9, 30)  # Excel serial 45199 in a General cell
    assert (d[5]["deadline"], d[5]["kind"], d[5]["text"]) == (None, "none", "长期坚持")


def test_linked_to_indicators_by_title_path_blank_levels_carry_down(archive, taizhou):
    import_duties(archive, taizhou)
    d = _duties(archive)
    assert [x["indicator"] for x in d] == ["建立质量工作机制", "建立质量工作机制", "开展质量考核",
                                           "开展质量月活动", "宣传报道", "财政投入"]


def test_lead_and_cooperating_columns_and_link_by_code(archive, tmp_path):
    p = framework_table(tmp_path / "f.xlsx")
    import_framework(archive, p)
    rep = import_duties(archive, p)
    d = _duties(archive)
    assert len(d) == 7 and rep.summary["linked_to_indicator"] == 7
    assert d[0]["lead"] == ["县市场监管局"] and d[0]["coop"] == ["县委办", "县政府办"]
    assert d[0]["task"] == "建立质量工作机制"  # no task column: the indicator is the task
    assert d[-1]["indicator"] == "发生重大质量安全事故" and d[-1]["lead"] == ["县应急管理局"]
    # a table that names indicators by code only
    q = tmp_path / "codes.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指标编号", "工作任务", "牵头单位", "配合单位", "佐证材料", "完成时限"])
    ws.append(["1.2.3", "组织质量月", "县市场监管局", "", "活动方案、照片", "9月30日前"])  # "3．" as stated
    wb.save(q)
    rep = import_duties(archive, q, dry_run=True, year=2024)
    item = rep.items[0]
    with archive.sessions.read() as s:
        assert s.get(Indicator, item["indicator_id"]).title == "开展质量月活动"
    assert item["deadline"] == dt.date(2024, 9, 30)  # --year
    assert item["expected_evidence"] == "活动方案、照片"


def test_without_framework_duties_are_unlinked_with_warning(archive, tmp_path):
    rep = import_duties(archive, taizhou_table(tmp_path / "tz.xlsx"))
    assert rep.written and all(i["indicator_id"] is None for i in rep.items)
    assert any("还没有指标体系" in w.zh for w in rep.warnings)


def test_reimport_diff_keeps_evidence_links(archive, taizhou):
    import_duties(archive, taizhou)
    with archive.sessions.write() as s:
        first = s.scalar(select(Duty).where(Duty.task == "制定年度计划"))
        ev = Evidence(title="年度计划")
        s.add(ev)
        s.flush()
        s.add(EvidenceDuty(evidence_id=ev.id, duty_id=first.id))
        first_id = first.id
    again = import_duties(archive, taizhou)
    assert again.unchanged
    wb = openpyxl.load_workbook(taizhou)
    ws = wb.active
    ws["F3"] = "县市场监管局（牵头）、县委办"     # a cooperating department dropped
    ws["G8"] = "2023年12月底前"                   # a deadline changed
    ws["E4"] = None                               # 制定年度计划 gone (evidence linked: kept)
    ws["F4"] = None
    ws["G4"] = None
    ws["E7"] = "新媒体报道"                        # reworded task, one duty on that indicator
    wb.save(taizhou)
    dry = import_duties(archive, taizhou, dry_run=True)
    changed = {c["task"]: set(c["fields"]) for c in dry.changed}
    assert changed["成立领导小组"] == {"departments", "departments_text"}
    assert changed["安排专项经费"] == {"deadline", "deadline_kind", "deadline_text"}
    assert changed["新媒体报道"] == {"task"}
    assert [k["task"] for k in dry.kept] == ["制定年度计划"] and dry.removed == []
    assert not dry.added
    real = import_duties(archive, taizhou)
    assert real.as_dict()["changes"] == dry.as_dict()["changes"]
    with archive.sessions.read() as s:
        assert s.get(Duty, first_id) is not None
        assert s.scalar(select(func.count()).select_from(EvidenceDuty)) == 1


def test_no_header_duties_exit_2_names_columns_and_rows(archive, tmp_path):
    p = tmp_path / "bad.xlsx"
    wb = openpyxl.Workbook()
    for i in range(3):
        wb.active.append([f"成立领导小组{i}", "县市场监管局", "6月底前"])
    wb.save(p)
    archive.close()
    r = run_cli("duties", "import", str(p), "--archive", str(archive.root))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "第 1–3 行" in r.stderr and "牵头单位" in r.stderr and "完成时限" in r.stderr
    assert "--map" in r.stderr


def test_explicit_mapping_rescues_a_table_without_header(archive, tmp_path):
    p = tmp_path / "bare.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["成立领导小组", "县市场监管局", "县委办", "6月底前"])
    wb.save(p)
    rep = import_duties(archive, p, mapping="task=A,lead=B,cooperating=C,deadline=D",
                        header_row=0, year=2023, dry_run=True)
    assert rep.items[0]["lead"] == ["县市场监管局"] and rep.items[0]["deadline"] == dt.date(2023, 6, 30)
    assert rep.mapping["columns"]["task"][0]["explicit"]


def test_cli_duties_dry_run_json(archive, taizhou):
    archive.close()
    r = run_cli("duties", "import", str(taizhou), "--dry-run", "--json", "--archive", str(archive.root))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["mapping"]["columns"]["departments"][0]["header"] == "责任单位"
    assert len(data["changes"]["added"]) == 6 and not data["written"]
    assert data["items"][1]["deadline"] == "2023-08-31"


def test_department_merge_moves_duties_and_keeps_alias(archive, taizhou):
    import_duties(archive, taizhou)
    with archive.sessions.write() as s:
        dup = get_or_create_department(s, "县融媒中心")
        d = s.scalar(select(Duty).where(Duty.task == "组织质量月"))
        s.add(DutyDepartment(duty_id=d.id, department_id=dup.id, role="cooperating", position=9))
    archive.close()
    r = run_cli("departments", "merge", "县融媒体中心", "县融媒中心", "--json", "--archive", str(archive.root))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["merged"] == ["县融媒中心"]
    r = run_cli("departments", "list", "--json", "--archive", str(archive.root))
    rows = {x["name"]: x for x in json.loads(r.stdout)["departments"]}
    assert "县融媒中心" not in rows and rows["县融媒体中心"]["aliases"] == ["县融媒中心"]
    assert rows["县融媒体中心"]["lead"] == 1 and rows["县融媒体中心"]["cooperating"] == 1
    r = run_cli("departments", "merge", "县融媒体中心", "不存在的局", "--archive", str(archive.root))
    assert r.returncode == 2 and "找不到单位" in r.stderr


def test_merge_where_both_named_on_one_duty_keeps_lead(archive):
    with archive.sessions.write() as s:
        a = get_or_create_department(s, "县市场监管局")
        b = Department(name="县市监局", normalized_name="县市监局")
        s.add(b)
        d = Duty(task="x")
        s.add(d)
        s.flush()
        s.add(DutyDepartment(duty_id=d.id, department_id=a.id, role="cooperating"))
        s.add(DutyDepartment(duty_id=d.id, department_id=b.id, role="lead"))
        s.flush()
        res = merge_departments(s, a, [b])
        assert res.duty_links_moved == 1
        links = s.scalars(select(DutyDepartment)).all()
        assert [(link.department_id, link.role) for link in links] == [(a.id, "lead")]
    with archive.sessions.write() as s:
        with pytest.raises(BadInput):
            from storage.catalogue.departments import add_alias

            add_alias(s, get_or_create_department(s, "县财政局"), "县市场监管局")
