"""Deterministic Office files: the same content and date give the same bytes.

python-docx and openpyxl stamp every zip entry with the clock and openpyxl stamps
docProps/core.xml with the save time (pitfalls.md). `pin_ooxml` rewrites a saved .docx/.xlsx:
core properties created / modified / lastPrinted set to `when`, revision 1, every zip entry
dated `when` with fixed attributes, entries in the order the library wrote them.

Pure: bytes in, bytes out.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl loads only when a sheet is written, not at the window's start
    from openpyxl import Workbook
    from openpyxl.styles import Border, PatternFill
    from openpyxl.worksheet.worksheet import Worksheet

CORE = "docProps/core.xml"


def _stamp(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _core(xml: str, when: dt.datetime) -> str:
    stamp = _stamp(when)
    xml = re.sub(r"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)", rf"\g<1>{stamp}\g<2>", xml)
    xml = re.sub(r"(<cp:lastPrinted\b[^>]*>)[^<]*(</cp:lastPrinted>)", rf"\g<1>{stamp}\g<2>", xml)
    xml = re.sub(r"(<cp:revision\b[^>]*>)[^<]*(</cp:revision>)", r"\g<1>1\g<2>", xml)
    return xml


def pin_ooxml(data: bytes, when: dt.datetime,
              patch: Mapping[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """The same Office file with its timestamps pinned to `when` (see the module doc);
    `patch` maps a part's name to a function rewriting its bytes (the sheet rows written
    by `sheet_rows_xml`)."""
    patch = patch or {}
    date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == CORE:
                body = _core(body.decode("utf-8"), when).encode("utf-8")
            if info.filename in patch:
                body = patch[info.filename](body)
            zi = zipfile.ZipInfo(info.filename, date_time=date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 0
            zi.external_attr = 0
            zout.writestr(zi, body)
    return out.getvalue()


def export_moment(export_date: dt.date) -> dt.datetime:
    """The time every generated document carries: the export date at midnight."""
    return dt.datetime.combine(export_date, dt.time(0, 0))


__all__ = ["export_moment", "finish_sheet", "fit_to_page_width", "pin_ooxml", "sheet_rows_xml",
           "solid_fill", "splice_rows", "thin_border"]


@functools.cache
def thin_border() -> Border:
    """The thin black border round every table cell of our sheets (made once, when the
    first sheet is written, so openpyxl is not loaded before it is needed)."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="000000")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


@functools.cache
def solid_fill(colour: str) -> PatternFill:
    """A solid cell fill of `colour` (hex RGB: "D9D9D9" the header grey, "F8CBAD" the
    overdue / blocking red), made once per colour."""
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=colour)


def fit_to_page_width(ws: Worksheet, *, title_rows: str, landscape: bool = True, centred: bool = False) -> None:
    """How every Evidence Desk sheet prints: A4, one page wide (as many pages long as it
    takes), `title_rows` ("3:3") repeated on each page, "第 n 页，共 N 页" in the footer."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if centred:
        ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def finish_sheet(wb: Workbook, ws: Worksheet, widths: Sequence[float], *, title: str, when: dt.datetime,
                 landscape: bool = True, title_rows: str = "3:3",
                 patch_sheet: Callable[[bytes], bytes] | None = None) -> bytes:
    """The print set-up every Evidence Desk sheet shares, then the workbook's bytes pinned to
    `when`: column widths, the header rows repeated on each page, A4 fitted to one page wide,
    "第 n 页，共 N 页" in the footer, creator and title. `patch_sheet` rewrites the saved
    sheet's XML (called after openpyxl has written it: `splice_rows`)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    fit_to_page_width(ws, title_rows=title_rows, landscape=landscape)
    wb.properties.creator = "Evidence Desk"
    wb.properties.title = title
    # wb.save() as openpyxl does it, but into a stored zip: pin_ooxml deflates every part
    # anyway, so compressing here too only cost time (the bytes that come out are the same)
    buf = io.BytesIO()
    wb.properties.modified = when
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return pin_ooxml(buf.getvalue(), when, {SHEET1: patch_sheet} if patch_sheet else None)


SHEET1 = "xl/worksheets/sheet1.xml"
_SPECIAL = re.compile("[&<>\r]")


def _text(value: str) -> str:
    """Text as lxml writes it into openpyxl's sheets: &, <, > and CR escaped (everything
    beyond ASCII becomes a decimal character reference `&#20304;` when the rows are
    encoded, in `sheet_rows_xml`)."""
    if not _SPECIAL.search(value):
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def sheet_rows_xml(rows: Iterable[Sequence[object]], first_row: int, styles: Sequence[int]) -> bytes:
    """Sheet rows `first_row`, `first_row` + 1, … as openpyxl 3.1 writes them, every cell
    styled (`styles[i]`: the style id of column i + 1), for the long bodies of our sheets:
    openpyxl makes a Cell object per value, checks and hashes its style and writes it through
    lxml's incremental writer, which took most of the 佐证材料清单's time.

    Each value is typed as `Cell._bind_value` types it and written as
    `openpyxl.cell._writer.lxml_write_cell` writes it: None, numbers, dates (Excel serials),
    strings inline (cut to 32,767 characters, control characters refused), "=…" as a
    formula, error codes as errors. Same bytes (tests/test_speed_documents.py compares them
    with openpyxl's own on awkward values)."""
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, IllegalCharacterError
    from openpyxl.compat import safe_string
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import to_excel

    illegal = ILLEGAL_CHARACTERS_RE.search

    def cell(ref: str, style: str, value: object) -> str:
        if value is None:
            return f'<c r="{ref}" s="{style}" t="n"></c>'
        if isinstance(value, str):
            value = value[:32767]
            if illegal(value):
                raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
            if value == "":
                return f'<c r="{ref}" s="{style}" t="inlineStr"></c>'
            if len(value) > 1 and value.startswith("="):
                return f'<c r="{ref}" s="{style}"><f>{_text(value[1:])}</f><v></v></c>'
            if value in ERROR_CODES:
                return f'<c r="{ref}" s="{style}" t="e"><v>{_text(value)}</v></c>'
            space = ' xml:space="preserve"' if value != value.strip() else ""
            return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
        if isinstance(value, bool):
            raise TypeError("sheet_rows_xml writes no booleans")
        if isinstance(value, (int, float)):
            return f'<c r="{ref}" s="{style}" t="n"><v>{safe_string(value)}</v></c>'
        if isinstance(value, dt.date):  # datetime too, naive as openpyxl requires
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                raise TypeError("Excel does not support timezones in datetimes")
            return f'<c r="{ref}" s="{style}" t="n"><v>{safe_string(to_excel(value))}</v></c>'
        raise TypeError(f"sheet_rows_xml cannot write {type(value).__name__}")

    cols = [(get_column_letter(i + 1), str(s)) for i, s in enumerate(styles)]
    out: list[str] = []
    for r, values in enumerate(rows, start=first_row):
        if len(values) != len(cols):
            raise ValueError("every row needs a value for each styled column")
        out.append(f'<row r="{r}">')
        out.extend(cell(f"{col}{r}", style, v) for (col, style), v in zip(cols, values))
        out.append("</row>")
    # the markup is ASCII: only the texts have characters to turn into references
    return "".join(out).encode("ascii", "xmlcharrefreplace")


def splice_rows(sheet_xml: bytes, before_row: int, rows_xml: bytes) -> bytes:
    """`rows_xml` put into `sheet_xml` right before row `before_row` (which must be there)."""
    at = sheet_xml.find(f'<row r="{before_row}"'.encode("ascii"))
    if at < 0:
        raise ValueError(f"row {before_row} is not in the sheet")
    return sheet_xml[:at] + rows_xml + sheet_xml[at:]
