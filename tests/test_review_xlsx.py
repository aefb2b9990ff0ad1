"""The compare sheet (issue 16, item 1): self score beside the province's, lost points first,
totals, the conditional colour, print fit; read back with openpyxl."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from review_fixtures import compare_rows

from exporters.review_xlsx import lost_first, write_compare_xlsx


def test_compare_sheet_puts_lost_points_first_with_totals(tmp_path: Path) -> None:
    path = write_compare_xlsx(compare_rows(), tmp_path / "对照.xlsx", title="沂水县自评与省评对照表")
    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    assert ws["A1"].value == "沂水县自评与省评对照表"
    assert [c.value for c in ws[3]] == ["代码", "指标", "分值", "自评分", "省评分", "差值", "扣分原因", "存在问题"]
    codes = [ws.cell(row=r, column=1).value for r in range(4, 9)]
    assert codes == ["2.1.2", "1.1.1", "2.3.1", "3.2.1", "4.1.3"]
    assert ws["F4"].value == -2.5 and ws["G4"].value == "计量标准项目不足"
    assert ws["H4"].value == "1. 检验检测平台建设滞后\n2. 计量标准覆盖不足"
    assert ws["D8"].value is None                      # no self score: left empty, not 0
    total = [c.value for c in ws[9]]
    assert total[0] == "合计" and total[2] == 18.0 and total[4] == 14.5 and total[5] == -3.0
    assert "失分指标 2 个，共失 3.5 分；省评低于自评 2 个" in ws["A2"].value
    rules = ws.conditional_formatting
    ranges = [str(cf.sqref) for cf in rules]
    assert ranges == ["F4:F8"]
    rule = next(iter(rules)).rules[0]
    assert rule.operator == "lessThan" and rule.formula == ["0"]
    assert ws.print_title_rows == "$3:$3" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_lost_first_keeps_framework_order_among_equal_losses() -> None:
    rows = compare_rows()
    same = [rows[0], rows[1], rows[0]]
    assert [r.indicator.code for r in lost_first(same)] == ["2.1.2", "1.1.1", "1.1.1"]


def test_empty_rows_still_write_a_sheet(tmp_path: Path) -> None:
    path = write_compare_xlsx([], tmp_path / "empty.xlsx", title="对照表")
    ws = openpyxl.load_workbook(path).active
    assert ws is not None and ws["A4"].value == "合计" and not list(ws.conditional_formatting)


def test_below_full_score_follows_below_self_score() -> None:
    from storage.readmodels.review import IndicatorRef, ReviewScoreRow

    rows = compare_rows() + [ReviewScoreRow(IndicatorRef(60, "4.2.1", "服务满意度调查"), 3, 3.0, None, 2.0, None)]
    assert [r.indicator.code for r in lost_first(rows)] == ["2.1.2", "1.1.1", "4.2.1", "2.3.1", "3.2.1", "4.1.3"]
