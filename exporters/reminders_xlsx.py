"""The reminder list (催办清单): per department, the duties still without accepted evidence,
soonest deadline first, as a print-ready .xlsx (one summary sheet, one sheet per department).

Takes a `DutiesTable` read model only.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from exporters.documents_ooxml import fit_to_page_width, solid_fill, thin_border
from exporters.duties_xlsx import FIXED_TIME, _save
from storage.readmodels import DutiesTable, DutyProgressRow

HEADER_GREY = "D9D9D9"
FONT = "宋体"
HEADERS = ("序号", "角色", "指标", "工作任务", "佐证材料", "完成时限", "剩余天数", "已收材料", "状态")
WIDTHS = (6, 7, 24, 40, 28, 14, 9, 9, 9)


def owed_by_department(table: DutiesTable) -> dict[str, list[tuple[str, DutyProgressRow]]]:
    """Department → [(role, duty)] of duties not yet accepted, soonest deadline first."""
    out: dict[str, list[tuple[str, DutyProgressRow]]] = {}
    for row in table.rows:
        if row.accepted:
            continue
        for role, names in (("牵头", row.lead), ("配合", row.cooperating)):
            for name in names:
                out.setdefault(name, []).append((role, row))
    far = dt.date.max
    for items in out.values():
        items.sort(key=lambda x: (x[1].deadline or far, x[0] != "牵头", x[1].position))
    return dict(sorted(out.items(), key=lambda kv: (-sum(1 for _, r in kv[1] if r.overdue), kv[0])))


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name)[:28] or "单位"
    cand, n = base, 2
    while cand in used:
        cand, n = f"{base[:26]}{n}", n + 1
    used.add(cand)
    return cand


def _print_setup(ws, header_row: int) -> None:
    ws.freeze_panes = f"A{header_row + 1}"
    fit_to_page_width(ws, title_rows=f"{header_row}:{header_row}")


def _header(ws, row: int, headers) -> None:
    from openpyxl.styles import Alignment, Font

    for c, h in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=c, value=h)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = solid_fill(HEADER_GREY)
        cell.border = thin_border()
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_reminders_xlsx(table: DutiesTable, dest: str | Path) -> Path:
    """Write the 催办清单 (a summary sheet, one sheet per department owing) to `dest`."""
    from openpyxl import Workbook  # loads only when a list is written, not at the window's start
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    border = thin_border()
    dest = Path(dest)
    owed = owed_by_department(table)
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    mark = "【示例数据，非官方内容】" if table.is_sample else ""
    ws.append([f"{mark}催办清单（统计日期：{table.today.isoformat()}）"])
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells("A1:E1")
    _header(ws, 2, ("单位", "未完成任务", "其中逾期", "最近时限", "工作表"))
    used: set[str] = {"汇总"}
    sheets = []
    for name, items in owed.items():
        overdue = sum(1 for _, r in items if r.overdue)
        dates = [r.deadline for _, r in items if r.deadline]
        sname = _sheet_name(name, used)
        ws.append([name, len(items), overdue, min(dates).isoformat() if dates else "", sname])
        sheets.append((name, sname, items))
    for row in range(3, ws.max_row + 1):
        for c in range(1, 6):
            ws.cell(row=row, column=c).border = border
    for c, w in enumerate((30, 12, 10, 14, 20), start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    _print_setup(ws, 2)

    for name, sname, items in sheets:
        sh = wb.create_sheet(sname)
        sh.append([f"{mark}催办通知：{name}"])
        sh["A1"].font = Font(name=FONT, size=14, bold=True)
        sh.merge_cells(f"A1:{get_column_letter(len(HEADERS))}1")
        sh.append([f"以下任务尚无已审核的佐证材料，请按时限报送。统计日期：{table.today.isoformat()}"])
        sh.merge_cells(f"A2:{get_column_letter(len(HEADERS))}2")
        _header(sh, 3, HEADERS)
        for n, (role, r) in enumerate(items, start=1):
            sh.append([
                n, role, " / ".join(r.indicator_path[-1:]) or r.indicator_code, r.task,
                r.expected_evidence, r.deadline_text,
                (f"已逾期 {-r.days_left} 天") if r.overdue and r.days_left is not None
                else (r.days_left if r.days_left is not None else ""),
                r.received, r.status,
            ])
            for c in range(1, len(HEADERS) + 1):
                cell = sh.cell(row=sh.max_row, column=c)
                cell.border = border
                cell.alignment = Alignment(vertical="center", wrap_text=True)
                cell.font = Font(name=FONT, size=10)
        for c, w in enumerate(WIDTHS, start=1):
            sh.column_dimensions[get_column_letter(c)].width = w
        _print_setup(sh, 3)
    wb.properties.creator = "Evidence Desk"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return _save(wb, dest)
