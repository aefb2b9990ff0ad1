"""The preflight checklist as a print-ready .xlsx (openpyxl): one row per item, blocking
items first and shaded, with where it is and what to do; A4 landscape, header repeated,
fit to one page wide, filter on every column. Pinned timestamps (same report, same bytes)."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from exporters.documents_ooxml import finish_sheet, solid_fill, thin_border
from exporters.preflight import BLOCK, CATEGORY_ZH, SEVERITY_ZH
from storage.kernel.errors import ArchiveError
from storage.readmodels import PreflightReport

FONT = "宋体"
HEADER_GREY, BLOCK_RED = "D9D9D9", "F8CBAD"
HEADERS = ("序号", "级别", "类别", "问题", "指标", "佐证编号", "文件", "处理建议", "已处理")
WIDTHS = (6, 10, 11, 60, 10, 9, 36, 48, 8)


def preflight_workbook(report: PreflightReport) -> bytes:
    """The checklist workbook's bytes, pinned to the report's date."""
    from openpyxl import Workbook  # loads only when a sheet is written, not at the window's start
    from openpyxl.styles import Alignment, Font

    border = thin_border()
    wb = Workbook()
    ws = wb.active
    ws.title = "提交前检查"
    ws.append([f"提交前检查清单：{report.framework_name}"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    lim = report.limits
    ws.append([f"检查日期：{report.today.isoformat()}　阻止提交 {report.blocks} 项　提醒 {report.warnings} 项　"
               f"单个文件上限：{f'{lim.max_mb:g} MB' if lim.max_mb else '不限'}　"
               f"格式：{'、'.join(lim.formats) if lim.formats else '不限'}　路径长度 < {lim.path_budget}"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    ws["A2"].font = Font(name=FONT, size=10)
    ws.append(list(HEADERS))
    for c in range(1, len(HEADERS) + 1):
        cell = ws.cell(row=3, column=c)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = solid_fill(HEADER_GREY)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body = Font(name=FONT, size=10)
    for n, i in enumerate(report.items, start=1):
        ws.append([n, SEVERITY_ZH[i.severity], CATEGORY_ZH[i.category], i.what, i.indicator,
                   i.evidence_id if i.evidence_id is not None else "", i.file, i.action, "□"])
        r = 3 + n  # (ws.max_row walks every cell)
        for c in range(1, len(HEADERS) + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = body
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True,
                                       horizontal="center" if c in (1, 2, 3, 5, 6, 9) else "left")
            if i.severity == BLOCK and c <= 3:
                cell.fill = solid_fill(BLOCK_RED)
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{chr(64 + len(HEADERS))}{3 + len(report.items)}"
    return finish_sheet(wb, ws, WIDTHS, title="提交前检查清单",
                        when=dt.datetime.combine(report.today, dt.time(0, 0)))

def write_preflight_xlsx(report: PreflightReport, dest: str | os.PathLike[str]) -> Path:
    """Write the checklist to `dest` (via a .partial file renamed into place)."""
    dest = Path(dest)
    data = preflight_workbook(report)
    tmp = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, dest)
    except OSError as e:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise ArchiveError(f"无法写入 {dest}：{e.strerror}（文件是否正在 Excel/WPS 中打开？）",
                           f"cannot write {dest}: {e.strerror} (is it open in Excel/WPS?)") from e
    return dest


__all__ = ["preflight_workbook", "write_preflight_xlsx"]
