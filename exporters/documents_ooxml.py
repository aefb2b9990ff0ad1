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
from collections.abc import Sequence
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


def pin_ooxml(data: bytes, when: dt.datetime) -> bytes:
    """The same Office file with its timestamps pinned to `when` (see the module doc)."""
    date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == CORE:
                body = _core(body.decode("utf-8"), when).encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 0
            zi.external_attr = 0
            zout.writestr(zi, body)
    return out.getvalue()


def export_moment(export_date: dt.date) -> dt.datetime:
    """The time every generated document carries: the export date at midnight."""
    return dt.datetime.combine(export_date, dt.time(0, 0))


__all__ = ["export_moment", "fit_to_page_width", "pin_ooxml", "solid_fill", "thin_border"]


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
                 landscape: bool = True, title_rows: str = "3:3") -> bytes:
    """The print set-up every Evidence Desk sheet shares, then the workbook's bytes pinned to
    `when`: column widths, the header rows repeated on each page, A4 fitted to one page wide,
    "第 n 页，共 N 页" in the footer, creator and title."""
    from openpyxl.utils import get_column_letter

    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    fit_to_page_width(ws, title_rows=title_rows, landscape=landscape)
    wb.properties.creator = "Evidence Desk"
    wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    return pin_ooxml(buf.getvalue(), when)
