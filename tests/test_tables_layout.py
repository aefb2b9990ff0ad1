"""Tables laid out as people make them (issue 14): a table continued on a second sheet, its
header repeated further down, bonus and penalty rows outside the 100 points, level-1 rows with
their own text and score, and score checks that name the rows and never refuse."""
from __future__ import annotations

import openpyxl

from storage.tables.duties_import import import_duties
from storage.tables.framework_import import read_framework

HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]


def _duty_rows(start: int, n: int) -> list[list[object]]:
    return [[i, f"第{i}项任务", "县市场监管局", "县工信局、县商务局", "2023年6月底前"] for i in range(start, start + n)]


def test_table_continued_on_a_second_sheet_with_and_without_its_header(archive, tmp_path):
    p = tmp_path / "续表.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "分解表"
    ws.append(["某县质量强县创建工作任务分解表"])
    ws.append(HEADER)
    for row in _duty_rows(1, 3):
        ws.append(row)
    more = wb.create_sheet("Sheet2")   # the header repeated
    more.append(HEADER)
    for row in _duty_rows(4, 2):
        more.append(row)
    last = wb.create_sheet("续表")      # no header, only rows
    for row in _duty_rows(6, 2):
        last.append(row)
    wb.create_sheet("说明").append(["填表说明：每项任务请注明完成时限。"])
    wb.save(p)
    rep = import_duties(archive, p, dry_run=True)
    assert [i["task"] for i in rep.items] == [f"第{i}项任务" for i in range(1, 8)]
    assert all(i["lead"] == ["县市场监管局"] and i["cooperating"] == ["县工信局", "县商务局"] for i in rep.items)


def test_header_repeated_further_down_is_skipped_not_read_as_a_task(archive, tmp_path):
    p = tmp_path / "两段.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in _duty_rows(1, 2):
        ws.append(row)
    ws.append([])
    ws.append(HEADER)
    for row in _duty_rows(3, 2):
        ws.append(row)
    wb.save(p)
    rep = import_duties(archive, p, dry_run=True)
    assert [i["task"] for i in rep.items] == [f"第{i}项任务" for i in range(1, 5)]
    assert any(s["reason"] == "重复的表头行" for s in rep.skipped)


def test_assessment_sheet_bonus_rows_kept_apart_and_checks_name_rows(tmp_path):
    p = tmp_path / "考核细则.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "考核项目", "各项分值", "考核内容", "评分标准", "说明"])
    ws.append([1, "一、组织领导（20分）", 20, "建立工作机制", "有机制得10分", None])
    ws.append([None, None, None, "纳入考核", "纳入得10分", None])
    ws.append([2, "二、质量提升（80分）", 80, "开展质量提升行动", "开展得50分", None])
    ws.append([None, None, None, "开展质量月活动", "开展得20分", None])
    ws.append([3, "加分项", 5, "获评省长质量奖", "获评加5分", "不计入总分"])
    ws.append([4, "综合奖扣分", None, "发生质量安全事故", "发生一起扣5分", None])
    ws.append(["合计", None, 100])
    for rng in ("A2:A3", "B2:B3", "C2:C3", "A4:A5", "B4:B5", "C4:C5"):
        ws.merge_cells(rng)
    wb.save(p)
    parsed, rep = read_framework(p)
    items = {i["code"]: i for i in rep.items}
    assert items["1"]["title"] == "组织领导" and items["1"]["max_score"] == 20   # level-1 row's own text and score
    assert items["2"]["max_score"] == 80
    assert items["1"]["code_stated"] and not items["1.1"]["code_stated"]   # "一、" stated; 1.1 made
    assert rep.summary["total_score"] == 100 and rep.summary["stated_total"] == 100
    assert len(rep.summary["bonus_items"]) == 2          # 加分项 and 综合奖扣分 kept, not summed
    assert any("加分项" in w.zh and "未计入总分" in w.zh for w in rep.warnings)
    problems = [m.zh for m in rep.problems]
    # children of 2 have no score of their own here, so nothing to compare: no false alarm
    assert not any("“2 " in t for t in problems), problems
    assert rep.items  # read, never refused


def test_a_score_per_department_is_summed_per_unit_never_into_the_total(tmp_path):
    p = tmp_path / "分单位计分.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "考核项目", "考核内容", "分值", None, None])
    ws.append([None, None, None, "县市场监管局", "县农业农村局", "县卫健局"])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("C1:C2")
    ws.merge_cells("D1:F1")
    ws.append([1, "一、食品安全（60分）", "食品抽检", 40, 30, 20])
    ws.append([None, None, "农产品检测", 20, 40, 30])
    ws.append([2, "二、药品安全（40分）", "药品监管", 40, 30, 40])
    ws.append(["合计", None, None, 100, 100, 100])
    ws.merge_cells("B3:B4")
    wb.save(p)
    parsed, rep = read_framework(p)
    tops = [i for i in rep.items if i["level"] == 1]
    assert [t["title"] for t in tops] == ["食品安全", "药品安全"]       # not one per unit column
    assert [t["max_score"] for t in tops] == [60, 40]
    assert rep.summary["department_totals"] == {"县市场监管局": 100, "县农业农村局": 100, "县卫健局": 90}
    problems = [m.zh for m in rep.problems]
    assert any("县卫健局" in t and "90" in t and "第 6 行" in t for t in problems), problems
    assert not any("县市场监管局" in t for t in problems)
    assert rep.summary["total_score"] == 100       # the stated total, never 300


def test_two_header_blocks_on_one_sheet_each_read_by_its_own_columns(tmp_path):
    p = tmp_path / "两个表头.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["一级指标", "二级指标", "分值", "评分标准"])
    ws.append(["质量基础（60分）", "标准化建设", 30, "主导制定标准得30分"])
    ws.append([None, "计量能力", 30, "建标得30分"])
    ws.append(["质量成效（40分）", "质量奖", 40, "获奖得40分"])
    ws.append([])
    ws.append(["加分项目", "分值", "评分标准", "说明"])      # a second table with its own columns
    ws.append(["获得中国质量奖提名", 3, "获提名加3分", "另行计分"])
    ws.append(["主导制定国际标准", 2, "每项加1分", None])
    ws.merge_cells("A2:A3")
    wb.save(p)
    parsed, rep = read_framework(p)
    titles = [i["title"] for i in rep.items]
    assert "获得中国质量奖提名" in titles and "主导制定国际标准" in titles
    assert "分值" not in titles and "评分标准" not in titles          # the second header is not data
    bonus = {i["title"]: i for i in rep.items}
    assert bonus["获得中国质量奖提名"]["max_score"] == 3 and bonus["获得中国质量奖提名"]["level"] == 2
    assert rep.summary["total_score"] == 100                            # 60 + 40; the bonus block apart
    assert rep.summary["bonus_items"] == [f"{bonus['加分项目']['code']} 加分项目"]


def test_people_in_a_table_are_kept_on_the_duty_never_as_departments(archive, tmp_path):
    p = tmp_path / "责任人.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作任务", "牵头单位", "配合单位", "牵头领导", "完成时限"])
    ws.append([1, "开展质量月活动", "县市场监管局", "县委宣传部", "王副县长", "2023年9月底前"])
    ws.append([2, "推进标准化", "县市场监管局、县工信局", "县商务局；联系人：李明", None, "长期坚持"])
    wb.save(p)
    rep = import_duties(archive, p, dry_run=True)
    assert rep.mapping["columns"]["persons"][0]["header"] == "牵头领导"
    a, b = rep.items
    assert a["lead"] == ["县市场监管局"] and a["cooperating"] == ["县委宣传部"] and a["notes"] == "牵头领导：王副县长"
    assert b["lead"] == ["县市场监管局", "县工信局"] and b["cooperating"] == ["县商务局"]   # two leads
    assert b["notes"] == "联系人：李明"
