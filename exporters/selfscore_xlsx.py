"""The self-score sheet (自评得分表) as .xlsx: 编号 | 指标 | 分值 | 自评得分 | 扣分说明, then the
numeric target, the actual value and whether it is met.

Scores are numbers on the leaf rows; every upper indicator and the total are SUM formulas
over its leaf cells (so a clerk who changes a score in Excel sees the totals follow, and
nothing is counted twice). Veto items (一票否决项) carry no score: they are listed again
under the totals with their check (☑ 未发生 / ☒ 已发生 / □ 未核查, a drop-down), flagged in
red when not clear. Print-ready: A4 portrait, header repeated, fit to one page wide.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from exporters.documents_ooxml import export_moment, finish_sheet, solid_fill, thin_border
from storage.kernel.official import official_name
from storage.readmodels import AssessmentRow, DocumentsSource

FONT = "宋体"
HEADER_GREY, GROUP_GREY, FLAG_RED, OK_GREEN = "D9D9D9", "F2F2F2", "F8CBAD", "C6EFCE"
HEADERS = ("编号", "指标", "分值", "自评得分", "扣分说明", "目标值", "实际值", "达标情况")
WIDTHS = (8, 44, 8, 10, 36, 14, 10, 12)
VETO_ZH = {"clear": "☑ 未发生", "violated": "☒ 已发生", "unchecked": "□ 未核查"}
TARGET_ZH = {"met": "达标", "not_met": "未达标", "unknown": "未填实际值", "": ""}
FIRST_ROW = 4


def _ranges(col: str, rows: Sequence[int]) -> str:
    """[5, 6, 7, 9] → "D5:D7,D9" (runs of consecutive rows)."""
    parts: list[str] = []
    rows = sorted(rows)
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
            j += 1
        parts.append(f"{col}{rows[i]}" if i == j else f"{col}{rows[i]}:{col}{rows[j]}")
        i = j + 1
    return ",".join(parts)


def _sum(col: str, rows: Sequence[int]) -> str:
    return f"=SUM({_ranges(col, rows)})" if rows else "=0"


def _num(v: float | None):
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


def self_score_workbook(src: DocumentsSource, export_date: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = src.scores
    rows = list(sheet.rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "自评得分表"
    ncol = len(HEADERS)
    last = get_column_letter(ncol)
    ws.append([f"{src.county.name}自评得分表" if src.county.name else "自评得分表"])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    info = f"{official_name(src.framework_name, src.county.name)}　自评日期：{export_date.isoformat()}"
    ws.append([("【示例数据，非官方内容】" if src.is_sample else "") + info])
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(name=FONT, size=10)
    ws.append(list(HEADERS))
    for c in range(1, ncol + 1):
        cell = ws.cell(row=3, column=c)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = solid_fill(HEADER_GREY)
        cell.border = thin_border()
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    # first pass: where each indicator's row goes, and which leaf rows lie below it
    row_of: dict[int, int] = {}
    for n, r in enumerate(rows):
        row_of[r.indicator_id] = FIRST_ROW + n
    parent = {r.indicator_id: r.parent_id for r in rows}
    leaf_rows_below: dict[int, list[int]] = {r.indicator_id: [] for r in rows}
    leaf_rows: list[int] = []
    for r in rows:
        if not r.is_leaf:
            continue
        leaf_rows.append(row_of[r.indicator_id])
        up = r.parent_id
        while up is not None:
            leaf_rows_below[up].append(row_of[r.indicator_id])
            up = parent.get(up)

    body = Font(name=FONT, size=10)
    bold = Font(name=FONT, size=10, bold=True)
    flag = Font(name=FONT, size=10, color="C00000")
    for r in rows:
        rn = row_of[r.indicator_id]
        indent = "　" * max(0, r.level - 1)
        title = indent + ("★" if r.is_key else "") + r.title + ("（一票否决项）" if r.is_veto else "")
        if r.is_leaf:
            state = VETO_ZH.get(r.veto_state, "") if r.is_veto else TARGET_ZH[r.target_state]
            target = ""
            if r.target_state:
                target = r.target_text or f"{r.target_comparator}{r.target_value:g}{r.target_unit}"
            values = [r.code, title, _num(r.max_score), _num(r.self_score), r.deduction_note, target,
                      _num(r.actual_value) if r.target_state else None, state]
        else:
            below = leaf_rows_below[r.indicator_id]
            values = [r.code, title, _sum("C", below), _sum("D", below), "", "", None, ""]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=rn, column=c, value=v)
            cell.border = thin_border()
            cell.font = body if r.is_leaf else bold
            cell.alignment = Alignment(vertical="center", wrap_text=True,
                                       horizontal="left" if c in (2, 5) else "center")
            if not r.is_leaf:
                cell.fill = solid_fill(GROUP_GREY)
            if c in (3, 4):
                cell.number_format = "0.##"
        if r.is_leaf and (r.target_state == "not_met" or (r.is_veto and r.veto_state != "clear")):
            ws.cell(row=rn, column=8).fill = solid_fill(FLAG_RED)
            ws.cell(row=rn, column=8).font = flag
        if r.is_leaf and r.self_score is None and not r.is_veto:
            ws.cell(row=rn, column=4).fill = solid_fill(FLAG_RED)

    total = FIRST_ROW + len(rows)
    for c, v in enumerate(["合计", "", _sum("C", leaf_rows), _sum("D", leaf_rows), "", "", None, ""], start=1):
        cell = ws.cell(row=total, column=c, value=v)
        cell.font = bold
        cell.border = thin_border()
        cell.fill = solid_fill(GROUP_GREY)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if c in (3, 4):
            cell.number_format = "0.##"
    ws.merge_cells(start_row=total, start_column=1, end_row=total, end_column=2)

    veto = [r for r in rows if r.is_leaf and r.is_veto]
    if veto:
        start = total + 2
        ws.cell(row=start, column=1, value="一票否决项核查").font = Font(name=FONT, size=12, bold=True)
        ws.merge_cells(start_row=start, start_column=1, end_row=start, end_column=ncol)
        for c, h in enumerate(("编号", "一票否决项", "核查结果", "", "说明"), start=1):
            if h:
                cell = ws.cell(row=start + 1, column=c, value=h)
                cell.font = Font(name=FONT, size=10, bold=True)
                cell.fill = solid_fill(HEADER_GREY)
                cell.border = thin_border()
        ws.merge_cells(start_row=start + 1, start_column=3, end_row=start + 1, end_column=4)
        dv = DataValidation(type="list", formula1='"☑ 未发生,☒ 已发生,□ 未核查"', allow_blank=False)
        ws.add_data_validation(dv)
        for n, r in enumerate(veto, start=start + 2):
            vals = {1: r.code, 2: r.title, 3: VETO_ZH[r.veto_state], 5: r.deduction_note or r.description}
            for c in range(1, 6):
                cell = ws.cell(row=n, column=c, value=vals.get(c))
                cell.font = body
                cell.border = thin_border()
                cell.alignment = Alignment(vertical="center", wrap_text=True,
                                           horizontal="left" if c in (2, 5) else "center")
            ws.merge_cells(start_row=n, start_column=3, end_row=n, end_column=4)
            check = ws.cell(row=n, column=3)
            check.fill = solid_fill(OK_GREEN) if r.veto_state == "clear" else solid_fill(FLAG_RED)
            if r.veto_state != "clear":
                check.font = flag
            dv.add(check.coordinate)

    ws.freeze_panes = f"A{FIRST_ROW}"
    return finish_sheet(wb, ws, WIDTHS, title="自评得分表", when=export_moment(export_date),
                        landscape=False)

def leaf_rows(rows: Sequence[AssessmentRow]) -> list[int]:
    """Worksheet row numbers of the leaf indicators (as `self_score_workbook` lays them out)."""
    return [FIRST_ROW + n for n, r in enumerate(rows) if r.is_leaf]


__all__ = ["HEADERS", "leaf_rows", "self_score_workbook"]
