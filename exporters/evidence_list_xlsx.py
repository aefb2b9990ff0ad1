"""The evidence list (佐证材料清单) as .xlsx: every evidence file of the bundle in catalogue
order with its number, 文号, date, issuing body, sending department, review status, path in
the bundle, original name, size in bytes and SHA-256, and a total row (COUNTA and SUM
formulas). The hashes let anyone check a file against the manifest."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from exporters.documents_catalogue import CatalogueGroup
from exporters.documents_ooxml import export_moment, finish_sheet, sheet_rows_xml, solid_fill, splice_rows, thin_border
from storage.kernel.official import official_name
from storage.readmodels import DocumentsSource

FONT = "宋体"
HEADER_GREY = "D9D9D9"
HEADERS = ("序号", "指标", "编号", "材料名称", "文号", "成文日期", "发文单位", "报送单位", "状态",
           "材料包中的位置", "原文件名", "大小（字节）", "SHA-256")
WIDTHS = (6, 9, 7, 40, 22, 12, 18, 16, 8, 50, 30, 12, 66)
STATUS_ZH = {"received": "未审核", "accepted": "已审核", "returned": "退回", "superseded": "已替代"}
FIRST_ROW = 4


def evidence_list_workbook(src: DocumentsSource, groups: Sequence[CatalogueGroup],
                           export_date: dt.date) -> bytes:
    """The 佐证材料清单 workbook's bytes, pinned to the export date."""
    from openpyxl import Workbook  # loads only when a sheet is written, not at the window's start
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    border = thin_border()
    wb = Workbook()
    ws = wb.active
    ws.title = "佐证材料清单"
    ncol = len(HEADERS)
    last = get_column_letter(ncol)
    ws.append(["佐证材料清单"])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([("【示例数据，非官方内容】" if src.is_sample else "")
               + f"{official_name(src.framework_name, src.county.name)}　导出日期：{export_date.isoformat()}"])
    ws.merge_cells(f"A2:{last}2")
    ws.append(list(HEADERS))
    for c in range(1, ncol + 1):
        cell = ws.cell(row=3, column=c)
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.fill = solid_fill(HEADER_GREY)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body, bold = Font(name=FONT, size=10), Font(name=FONT, size=10, bold=True)
    rows = [[n, gr.code or gr.title, r.number, r.name, r.doc_number, r.issue_date, r.issuing_body,
             r.department, STATUS_ZH.get(r.status, r.status), r.bundle_path, r.original_name, r.size,
             r.sha256]
            for n, (gr, r) in enumerate(((gr, r) for gr in groups for r in gr.rows), start=1)]
    n = len(rows)
    end = FIRST_ROW + n - 1
    total_row = end + 1
    # Only the first data row and the total row go through openpyxl; the rows between are
    # written as XML into the saved sheet (`sheet_rows_xml`), the same bytes openpyxl wrote
    # when it made, styled and wrote a Cell for each of their values (most of the time
    # this sheet took for thousands of files).
    if rows:
        ws.append(rows[0])
    for c, v in enumerate(["合计", None, None, f"=COUNTA(D{FIRST_ROW}:D{end})" if n else 0, None, None,
                           None, None, None, None, None, f"=SUM(L{FIRST_ROW}:L{end})" if n else 0, None],
                          start=1):
        ws.cell(row=total_row, column=c, value=v)
    # (ws.max_row walks every cell: never call it inside a loop)
    first = ws[FIRST_ROW][:ncol]
    for cell in first:
        cell.border = border
        cell.font = bold if FIRST_ROW == total_row else body
        if cell.column == 6 and FIRST_ROW != total_row:
            cell.number_format = "yyyy-mm-dd"
    if total_row > FIRST_ROW:
        for cell in ws[total_row][:ncol]:
            cell.border = border
            cell.font = bold

    def patch(sheet_xml: bytes) -> bytes:
        # the first row's style ids exist once openpyxl has written it (ids are numbered in
        # the order cells are written: asking before the save would renumber them)
        if n < 2:
            return sheet_xml
        styles = [cell.style_id for cell in first]
        return splice_rows(sheet_xml, total_row, sheet_rows_xml(rows[1:], FIRST_ROW + 1, styles))

    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.auto_filter.ref = f"A3:{last}{max(end, 3)}"
    return finish_sheet(wb, ws, WIDTHS, title="佐证材料清单", when=export_moment(export_date),
                        patch_sheet=patch)

__all__ = ["HEADERS", "evidence_list_workbook"]
