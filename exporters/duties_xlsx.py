"""The responsibility table (工作责任分解表) with progress, as a print-ready .xlsx.

Takes a `DutiesTable` read model only. The county's own columns come first, in its order,
then the progress columns. Print set-up: A4 landscape, header rows repeated on every page,
fit to one page wide (any number of pages tall), frozen panes below the header, wrapped
text, thin borders, and an auto-filter so the clerk can filter by department.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from exporters.documents_ooxml import fit_to_page_width, solid_fill, thin_border
from storage.kernel.errors import ArchiveError
from storage.readmodels import DutiesTable, DutyProgressRow

if TYPE_CHECKING:  # openpyxl loads only when a table is written, not at the window's start
    from openpyxl import Workbook

PROGRESS_COLUMNS = (("received", "已收材料"), ("accepted", "已审核"), ("status", "状态"),
                    ("overdue", "是否逾期"), ("days_left", "剩余天数"))
WIDTHS = {"code": 7, "score": 6, "rule": 30, "task": 36, "lead": 16, "cooperating": 22,
          "departments": 24, "evidence": 26, "deadline": 13, "notes": 12, "received": 7,
          "accepted": 7, "status": 8, "overdue": 7, "days_left": 8}
FIXED_TIME = dt.datetime(2000, 1, 1)
HEADER_GREY, OVERDUE_RED = "D9D9D9", "F8CBAD"
FONT = "宋体"


def cell_value(row: DutyProgressRow, role: str, depth: int):
    """What one of the county's columns shows for a duty."""
    if role.startswith("h") and role[1:].isdigit():
        i = int(role[1:]) - 1
        path = list(row.indicator_path)
        if depth <= 1:
            return path[-1] if path else ""
        if len(path) > depth:
            path = path[: depth - 1] + [path[-1]]
        return path[i] if i < len(path) else ""
    return {
        "code": row.code,
        "score": row.max_score if row.max_score is None or not float(row.max_score).is_integer()
        else int(row.max_score),
        "rule": row.scoring_rule,
        "task": row.task,
        "lead": row.lead_text,
        "cooperating": row.cooperating_text,
        "departments": row.departments_cell,
        "evidence": row.expected_evidence,
        "deadline": row.deadline_text,
        "notes": row.notes,
        "received": row.received,
        "accepted": row.accepted,
        "status": row.status,
        "overdue": "逾期" if row.overdue else "",
        "days_left": row.days_left if row.days_left is not None else "",
    }.get(role, "")


def write_duties_xlsx(table: DutiesTable, dest: str | Path) -> Path:
    """Write the table with its progress columns to `dest` (.xlsx, same table → same bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    border = thin_border()
    dest = Path(dest)
    wb = Workbook()
    ws = wb.active
    ws.title = "责任分解表"
    columns = list(table.columns) + list(PROGRESS_COLUMNS)
    depth = sum(1 for r, _ in table.columns if r.startswith("h") and r[1:].isdigit())
    ncols = len(columns)
    last = get_column_letter(ncols)

    ws.append([table.title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 30
    info = f"统计日期：{table.today.isoformat()}"
    if table.department_filter:
        info += f"　单位：{table.department_filter}"
    if table.is_sample:
        info = "【示例数据，非官方内容】" + info
    ws.append([info])
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(name=FONT, size=10)
    ws.append([h for _, h in columns])
    for c in range(1, ncols + 1):
        cell = ws.cell(row=3, column=c)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = solid_fill(HEADER_GREY)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    matrix = [[cell_value(row, role, depth) for role, _ in columns] for row in table.rows]
    for row, values in zip(table.rows, matrix):
        ws.append(values)
        r = ws.max_row
        for c, (role, _) in enumerate(columns, start=1):
            cell = ws.cell(row=r, column=c)
            cell.border = border
            cell.font = Font(name=FONT, size=10)
            centre = role in ("code", "score", "received", "accepted", "status", "overdue",
                              "days_left", "deadline")
            cell.alignment = Alignment(horizontal="center" if centre else "left",
                                       vertical="center", wrap_text=True)
            if role == "overdue" and row.overdue:
                cell.fill = solid_fill(OVERDUE_RED)

    # Upper indicator levels merged vertically as counties print them (the importer reads
    # merges back by filling each block from its top cell).
    first_data = 4
    for c, (role, _) in enumerate(columns, start=1):
        if not (role.startswith("h") and role[1:].isdigit()) or int(role[1:]) >= depth:
            continue
        hcols = [i for i, (ro, _) in enumerate(columns[:c]) if ro.startswith("h") and ro[1:].isdigit()]
        keys = [tuple(values[i] for i in hcols) for values in matrix]
        start = 0
        for i in range(1, len(keys) + 1):
            if i < len(keys) and keys[i] == keys[start]:
                continue
            if i - 1 > start and keys[start][-1] not in (None, ""):
                ws.merge_cells(start_row=first_data + start, start_column=c,
                               end_row=first_data + i - 1, end_column=c)
            start = i

    for c, (role, header) in enumerate(columns, start=1):
        width = WIDTHS.get(role, 16 if role.startswith("h") else 14)
        ws.column_dimensions[get_column_letter(c)].width = max(width, min(len(header) * 2 + 2, 20))

    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{last}{max(ws.max_row, 3)}"
    fit_to_page_width(ws, title_rows="3:3", centred=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    wb.properties.creator = "Evidence Desk"
    wb.properties.title = table.title
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return _save(wb, dest)


def _pin_timestamps(path: Path) -> None:
    """openpyxl stamps docProps/core.xml with the save time; pin it so the same table gives
    the same file (pitfalls.md)."""
    import re
    import zipfile

    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\g<2>", text)
                data = text.encode("utf-8")
            info.date_time = (2000, 1, 1, 0, 0, 0)
            z.writestr(info, data)


def _save(wb: Workbook, dest: Path) -> Path:
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        wb.save(str(tmp))
        _pin_timestamps(tmp)
        tmp.replace(dest)
    except OSError as e:
        raise ArchiveError(
            f"无法写入 {dest}：{e.strerror}（文件是否正在 Excel/WPS 中打开？）",
            f"cannot write {dest}: {e.strerror} (is it open in Excel/WPS?)",
        ) from e
    return dest
