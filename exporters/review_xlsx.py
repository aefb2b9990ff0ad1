"""The compare sheet (自评与省评对照表): per indicator the self score beside the province's
score, the difference, the 扣分原因 and the 存在问题; indicators that lost points first (most
lost first), then the rest in framework order; a totals row; lost points coloured by a
conditional format (so a clerk who edits a score sees the colour follow); printed landscape to
the page width with the header repeated.

Takes `ReviewScoreRow` read models only (storage.readmodels.review); `write_compare_xlsx` is
what `review compare --xlsx` and the window call.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from exporters.documents_ooxml import fit_to_page_width, solid_fill, thin_border
from exporters.duties_xlsx import FIXED_TIME, _save
from storage.readmodels.review import ReviewScoreRow, lost_first

if TYPE_CHECKING:  # openpyxl loads when the comparison is written
    from openpyxl.worksheet.worksheet import Worksheet

HEADERS = ("代码", "指标", "分值", "自评分", "省评分", "差值", "扣分原因", "存在问题")
WIDTHS = (9, 28, 7, 8, 8, 8, 30, 42)
FONT = "宋体"
HEADER_GREY, LOST_RED, LOST_TEXT = "D9D9D9", "F8CBAD", "9C0006"
SCORE_FORMAT = "0.0#"
HEADER_ROW = 3


def _total(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present), 2) if present else None


def write_compare_xlsx(rows: list[ReviewScoreRow], path: str | os.PathLike[str], *, title: str) -> Path:
    """Write the compare sheet to `path` (.xlsx) under the heading `title`."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    dest = Path(path)
    ordered = lost_first(rows)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "自评与省评对照"
    last = get_column_letter(len(HEADERS))
    ws.append([title])
    ws["A1"].font = Font(name=FONT, size=15, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A1:{last}1")
    # the same two figures as `review compare` prints: points lost against the full score,
    # and indicators where the province gave less than the county's own score
    lost = [r.max_score - r.province_score for r in rows
            if r.max_score is not None and r.province_score is not None and r.province_score < r.max_score]
    below = [r for r in rows if r.difference is not None and r.difference < 0]
    ws.append([f"失分指标 {len(lost)} 个，共失 {round(sum(lost), 2):g} 分；省评低于自评 {len(below)} 个"
               "（差值 = 省评分 − 自评分）"])
    ws["A2"].font = Font(name=FONT, size=11)
    ws.merge_cells(f"A2:{last}2")
    for c, h in enumerate(HEADERS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=h)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = solid_fill(HEADER_GREY)
        cell.border = thin_border()
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in ordered:
        ws.append([r.indicator.code, r.indicator.title, r.max_score, r.self_score, r.province_score,
                   r.difference, r.deduction_reason, "\n".join(
                       f"{n}. {p}" if len(r.problems) > 1 else p for n, p in enumerate(r.problems, start=1))])
        _style_row(ws, ws.max_row)
    first, end = HEADER_ROW + 1, ws.max_row
    ws.append(["合计", "", _total([r.max_score for r in rows]), _total([r.self_score for r in rows]),
               _total([r.province_score for r in rows]), _total([r.difference for r in rows]), "", ""])
    _style_row(ws, ws.max_row, bold=True)
    if end >= first:
        ws.conditional_formatting.add(
            f"F{first}:F{end}",
            CellIsRule(operator="lessThan", formula=["0"],
                       fill=PatternFill("solid", fgColor=LOST_RED, bgColor=LOST_RED),
                       font=Font(color=LOST_TEXT, bold=True)))
    for c, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    fit_to_page_width(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    wb.properties.creator = "Evidence Desk"
    wb.properties.title = title
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return _save(wb, dest)


def _style_row(ws: Worksheet, row: int, *, bold: bool = False) -> None:
    from openpyxl.styles import Alignment, Font

    lines = 1
    for c in range(1, len(HEADERS) + 1):
        cell = ws.cell(row=row, column=c)
        cell.border = thin_border()
        cell.font = Font(name=FONT, size=10, bold=bold)
        numeric = 3 <= c <= 6
        cell.alignment = Alignment(vertical="center", wrap_text=True,
                                   horizontal="center" if numeric or c == 1 else "left")
        if numeric:
            cell.number_format = SCORE_FORMAT
        elif isinstance(cell.value, str) and cell.value:
            width = WIDTHS[c - 1] - 1
            units = [sum(1.8 if ord(ch) > 0x2E7F else 1.0 for ch in part) for part in cell.value.split("\n")]
            lines = max(lines, sum(max(1, -(-int(u) // width)) for u in units))
    ws.row_dimensions[row].height = max(18.0, 14.0 * lines + 4)


__all__ = ["lost_first", "write_compare_xlsx"]
