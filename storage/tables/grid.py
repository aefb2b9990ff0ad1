"""A spreadsheet sheet as a plain grid, whatever saved it (Excel, WPS, LibreOffice).

Every workbook passes storage.kernel.fsio first: its kind told by content (people and WPS
rename files), a password or a format too old refused with what to do, its container checked
for bombs and each sheet scanned for where values really are (a lying `<dimension>`, a
far-away cell or a merge over the whole sheet never makes a grid of gigabytes). Then:
.xlsx/.xlsm/.xltx → python-calamine's values (by content, not by name), the grid bounded to
the scanned area, the scan's merges, hidden rows/columns and error cells from the sheet XML;
openpyxl (through a file object: it decides by the name otherwise) for a sheet calamine is
not trusted with or a file it cannot read; OLE2 .xls/.et → xlrd (formatting_info=True for merges and
hidden rows/columns), LibreOffice when xlrd cannot read it; .ods and .xlsb → LibreOffice to
.xlsx (storage.kernel.convert: its own folder, a real reason when it fails). Merged cells are
filled from their top-left cell, and each filled cell remembers its anchor so importers can
tell a copy from a value.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import unescape as xml_unescape

from storage.kernel import fsio
from storage.kernel.convert import ConversionFailed, convert
from storage.kernel.convert import libreoffice as _find_libreoffice
from storage.kernel.errors import BadInput

log = logging.getLogger(__name__)

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Sheet:
    """One sheet. Rows and columns are 0-based here; reports show them 1-based / as letters.

    Attributes:
        values: the cell values after filling merged ranges from their anchor.
        anchor: for cells filled from a merge (not the anchor itself): (row, col) of the anchor.
        span: for each merge anchor: (rows, cols) it covers.
        hidden_rows / hidden_cols: what the author hid.
    """

    name: str
    values: list[list[object]]
    anchor: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    span: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)

    @property
    def nrows(self) -> int:
        return len(self.values)

    @property
    def ncols(self) -> int:
        return max((len(r) for r in self.values), default=0)

    def get(self, r: int, c: int) -> object:
        row = self.values[r]
        return row[c] if c < len(row) else None

    def is_copy(self, r: int, c: int) -> bool:
        return (r, c) in self.anchor


def col_letter(c: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.strip().upper():
        if not "A" <= ch <= "Z":
            raise ValueError(letters)
        n = n * 26 + ord(ch) - 64
    return n - 1


def sniff(path: Path) -> str:
    """'zip', 'ole2' or 'other', from the first bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as e:
        raise BadInput(f"无法读取文件 {path}：{e.strerror}", f"cannot read {path}: {e.strerror}") from e
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    return "other"


def _not_a_table(path: Path, kind: fsio.FileKind | None = None) -> BadInput:
    if kind is not None and kind.kind not in (fsio.UNKNOWN, fsio.ZIP, fsio.OLE):
        return fsio.FileRefused(
            f"无法识别的表格文件：{path.name} 是{kind.label}，不是表格；请提供 .xlsx、.xls、.et 或 .ods 表格",
            f"not a spreadsheet: {path.name} is a {kind.label_en}; give an .xlsx, .xls, .et or .ods file",
            "wrong-kind",
        )
    return BadInput(
        f"无法识别的表格文件：{path.name}（请提供 .xlsx、.xls 或 WPS 表格另存的 .xlsx）",
        f"not a spreadsheet this program can read: {path.name} (give an .xlsx or .xls file)",
    )


def read_sheets(path: str | Path) -> list[Sheet]:
    """Every visible sheet of a workbook, in order. Raises BadInput (a FileRefused or a
    ConversionFailed) with the clerk's message for anything it will not read."""
    path = Path(path)
    fsio.check_regular(path)
    kind = fsio.sniff(path, name_hint=path.name)
    fsio.refuse_unreadable_kind(kind, path.name)
    if kind.kind == fsio.EXCEL:
        return _read_xlsx(path)
    if kind.kind in (fsio.ODS, fsio.XLSB):
        return _read_converted(path)
    if kind.kind == fsio.XLS:
        try:
            return _read_xls(path)
        except fsio.FileRefused:
            raise
        except BadInput:
            return _read_converted(path)
    if kind.kind == fsio.ZIP and kind.detail == "damaged":
        raise fsio.damaged_refusal(path.name, fsio.FileKind(fsio.EXCEL))
    raise _not_a_table(path, kind)


def _read_converted(path: Path) -> list[Sheet]:
    converted = convert(path, "xlsx", name=path.name)
    try:
        return _read_xlsx(converted, name=path.name)
    finally:
        shutil.rmtree(converted.parent, ignore_errors=True)


def _read_xlsx(path: Path, *, name: str = "") -> list[Sheet]:
    shown = name or path.name
    scans = {sc.part: sc for sc in fsio.scan_xlsx(path, name_hint=shown)}
    try:
        fast = _read_xlsx_calamine(path, scans)
    except (BadInput, MemoryError):
        raise
    except Exception as e:  # noqa: BLE001 - openpyxl reads it next and refuses if it must
        # Whatever calamine cannot read, openpyxl may: it decides, and refuses if it must.
        log.info("calamine could not read %s (%s: %s); reading it with openpyxl", shown, type(e).__name__, e)
        fast = None
    if fast is not None:
        return fast
    return _read_xlsx_openpyxl(path, scans, shown)


def _read_xlsx_openpyxl(path: Path, scans: dict[str, fsio.SheetScan], shown: str) -> list[Sheet]:
    """The reader for what calamine is not trusted with: slower (about 15× calamine on a
    10,000-row table), every cell an object, but it reads any sheet openpyxl can."""
    import openpyxl

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            import zipfile

            with zipfile.ZipFile(path) as z:
                parts = {n: part for n, _state, part in fsio.xlsx_sheet_parts(z)}
            with open(path, "rb") as f:
                # Not read-only: read-only mode has no merged_cells (pitfalls.md). A file
                # object: openpyxl decides the format by the name otherwise.
                wb = openpyxl.load_workbook(f, data_only=True)
                sheets = _sheets_of(wb, parts, scans)
                wb.close()
        except (BadInput, MemoryError):
            raise
        except Exception as e:
            log.info("openpyxl could not read %s: %s: %s", shown, type(e).__name__, e)
            raise fsio.damaged_refusal(shown, fsio.FileKind(fsio.EXCEL)) from e
        finally:
            for w in caught:
                log.info("warning while reading %s: %s", shown, w.message)
    return sheets


# --- the calamine reader ------------------------------------------------------------------
#
# calamine (Rust) gives a sheet's values as a dense grid from A1 to the last cell holding a
# value; it knows neither hidden rows and columns nor anything of the bomb checks. So: the
# scan (fsio.scan_xlsx) has already bounded the area of cells holding values within Excel's
# limits and given the merges; a look at the raw sheet XML (regular expressions, C speed)
# makes sure every cell states its own reference within those limits (calamine would
# otherwise allocate a grid as large as a far-away cell says and abort the process), and
# finds hidden rows and columns and error cells. A sheet that does not fit this shape goes
# to openpyxl, as before. Values are made the same as openpyxl's with data_only=True:
# None for empty, whole numbers as int, dates as datetime, error cells as their text.

_NS = rb"(?:[A-Za-z_][\w.-]*:)?"
_C_TAG = re.compile(rb"<" + _NS + rb"c[\s/>]")
_C_REF = re.compile(rb"<" + _NS + rb"c\s[^>]*?\br=\"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})\"")
_BIG_REF = re.compile(rb"<c r=\"(?:[A-Za-z]{3}|[A-Za-z]{1,2}[0-9]{7})")
_ROW_TAG = re.compile(rb"<" + _NS + rb"row\s[^>]*>")
_COL_TAG = re.compile(rb"<" + _NS + rb"col\s[^>]*>")
_HIDDEN = re.compile(rb"\bhidden=[\"']([^\"']*)[\"']")
_ATTR_R = re.compile(rb"\br=\"([0-9]{1,7})\"")
_ATTR_MIN = re.compile(rb"\bmin=\"([0-9]{1,5})\"")
_ATTR_MAX = re.compile(rb"\bmax=\"([0-9]{1,5})\"")
_ERR_CELL = re.compile(rb"<" + _NS + rb"c\s([^>]*?\bt=\"e\"[^>]*?)(?:/>|>(.*?)</" + _NS + rb"c>)", re.S)
_V_TEXT = re.compile(rb"<" + _NS + rb"v>([^<]*)</")
_INT_LIMIT = 1e15   # whole numbers below this are written without an exponent: openpyxl reads int


@dataclass
class _SheetExtras:
    """What the raw XML of one sheet adds to calamine's values."""

    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


def _truthy(raw: bytes) -> bool:
    """An XML boolean as openpyxl reads it."""
    return raw.strip().lower() not in (b"", b"0", b"false", b"f", b"none")


def _refs_within_limits(xml: bytes) -> bool:
    """Every `<c>` of the sheet states its reference (r="B7"), none beyond Excel's limits."""
    tags = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>")
    if tags == 0:
        # No unprefixed cell: either none at all or a namespace prefix (x:c): the slow check.
        tags = len(_C_TAG.findall(xml))
        refs = _C_REF.findall(xml)
    elif tags == xml.count(b'<c r="'):
        # The common shape (Excel, WPS, LibreOffice, openpyxl write r first): a reference
        # needs a closer look only where it has three letters or seven digits.
        if _BIG_REF.search(xml) is None:
            return True
        refs = _C_REF.findall(xml)
    else:
        refs = _C_REF.findall(xml)
    if tags != len(refs):
        return False
    if refs and max(int(n) for _col, n in refs) > fsio.MAX_ROWS:
        return False
    return not refs or max(col_index(c.decode()) for c in {c for c, _n in refs}) < fsio.MAX_COLS


def _sheet_extras(xml: bytes) -> _SheetExtras | None:
    """Hidden rows/columns and error cells of a sheet's XML; None when a cell does not state
    its reference or states one beyond Excel's limits (then openpyxl reads the workbook)."""
    if not _refs_within_limits(xml):
        return None
    extras = _SheetExtras()
    if b"hidden" in xml:
        for m in _ROW_TAG.finditer(xml):
            tag = m.group(0)
            h = _HIDDEN.search(tag)
            if h is None or not _truthy(h.group(1)):
                continue
            r = _ATTR_R.search(tag)
            if r is None:
                return None
            extras.hidden_rows.add(int(r.group(1)) - 1)
        for m in _COL_TAG.finditer(xml):
            tag = m.group(0)
            h = _HIDDEN.search(tag)
            if h is None or not _truthy(h.group(1)):
                continue
            lo_m, hi_m = _ATTR_MIN.search(tag), _ATTR_MAX.search(tag)
            if lo_m is None:
                return None
            lo = int(lo_m.group(1))
            hi = min(int(hi_m.group(1)) if hi_m else lo, fsio.MAX_COLS)
            extras.hidden_cols.update(range(lo - 1, hi))
    if b't="e"' in xml:
        for m in _ERR_CELL.finditer(xml):
            ref = _C_REF.match(b"<c " + m.group(1) + b">")
            if ref is None:
                return None
            v = _V_TEXT.search(m.group(2) or b"")
            if v is not None:
                pos = (int(ref.group(2)) - 1, col_index(ref.group(1).decode()))
                extras.errors[pos] = xml_unescape(v.group(1).decode("utf-8", "replace"))
    return extras


def _plain(v: object) -> object:
    """A calamine value as openpyxl (data_only) gives it."""
    t = type(v)
    if t is str:
        return v if v else None
    if t is float:
        f: float = v  # type: ignore[assignment]
        return int(f) if f.is_integer() and -_INT_LIMIT < f < _INT_LIMIT else f
    if t is dt.date:
        d: dt.date = v  # type: ignore[assignment]
        return dt.datetime(d.year, d.month, d.day)
    return v


def _read_xlsx_calamine(path: Path, scans: dict[str, fsio.SheetScan]) -> list[Sheet] | None:
    """Every visible sheet through calamine, or None when a sheet does not fit the shape
    calamine is trusted with (see above)."""
    import zipfile

    import python_calamine

    with zipfile.ZipFile(path) as z:
        entries = fsio.xlsx_sheet_parts(z)
        wanted: list[tuple[str, fsio.SheetScan, _SheetExtras]] = []
        for title, state, part in entries:
            if state != "visible":
                continue
            scan = scans.get(part)
            if scan is None:
                return None
            extras = _sheet_extras(z.read(part)) if scan.rows and scan.cols else _SheetExtras()
            if extras is None:
                return None
            wanted.append((title, scan, extras))
    with open(path, "rb") as f:
        # By content, not by name: from_path picks the format by the extension, and people
        # and WPS rename files (an .xlsx saved as .xls); the whole file is read here.
        wb = python_calamine.CalamineWorkbook.from_filelike(f)
    try:
        names = set(wb.sheet_names)
        sheets = []
        for title, scan, extras in wanted:
            if title not in names:
                return None
            nrows, ncols = scan.rows, scan.cols
            _refuse_too_large(title, nrows, ncols)
            values: list[list[object]] = []
            if nrows and ncols:
                grid = wb.get_sheet_by_name(title).to_python(skip_empty_area=False)
                pad = [None] * ncols
                for raw in grid[:nrows]:
                    row = [_plain(v) for v in raw[:ncols]]
                    if len(row) < ncols:
                        row.extend(pad[len(row):])
                    values.append(row)
                while len(values) < nrows:
                    values.append(list(pad))
                for (r, c), text in extras.errors.items():
                    if r < nrows and c < ncols:
                        values[r][c] = text
            sheet = Sheet(title, values)
            for r0, c0, r1, c1 in scan.merges:
                if r0 >= nrows or c0 >= ncols:
                    continue   # a merge of empty cells beyond the values holds nothing
                _apply_merge(sheet, r0, c0, min(r1, max(nrows - 1, r0)), min(c1, max(ncols - 1, c0)))
            sheet.hidden_rows = extras.hidden_rows
            sheet.hidden_cols = extras.hidden_cols
            sheets.append(sheet)
        return sheets
    finally:
        wb.close()


def _refuse_too_large(title: str, nrows: int, ncols: int) -> None:
    if nrows * ncols > fsio.MAX_SHEET_CELLS:
        raise fsio.FileRefused(
            f"{title} 工作表范围过大（{nrows} 行 × {ncols} 列），为安全起见不予读取；"
            "请删去多余的行列后另存再导入",
            f"sheet {title} is too large ({nrows} rows × {ncols} columns) to read safely; delete the extra "
            "rows and columns, save and import again",
            "bomb",
        )


def _sheets_of(wb: object, parts: dict[str, str], scans: dict[str, fsio.SheetScan]) -> list[Sheet]:
    sheets = []
    for ws in wb.worksheets:  # type: ignore[attr-defined]
        if ws.sheet_state != "visible":
            continue
        scan = scans.get(parts.get(ws.title, ""))
        # Bounded to the area that holds values, never the declared dimension or a far-away
        # empty cell. (A sheet the scan did not find by name keeps openpyxl's extent, bounded.)
        nrows = scan.rows if scan else ws.max_row
        ncols = scan.cols if scan else ws.max_column
        _refuse_too_large(ws.title, nrows, ncols)
        values = ([list(r) for r in ws.iter_rows(min_row=1, max_row=nrows, max_col=ncols, values_only=True)]
                  if nrows and ncols else [])
        sheet = Sheet(ws.title, values)
        for rng in ws.merged_cells.ranges:
            r0, c0, r1, c1 = rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1
            if r0 >= nrows or c0 >= ncols:
                continue   # a merge of empty cells beyond the values holds nothing
            _apply_merge(sheet, r0, c0, min(r1, max(nrows - 1, r0)), min(c1, max(ncols - 1, c0)))
        for key, dim in ws.column_dimensions.items():
            if dim.hidden:
                # Hidden columns are stored as ranges (min..max): expand them (bounded).
                lo = dim.min or (col_index(key) + 1)
                hi = min(dim.max or lo, fsio.MAX_COLS)
                sheet.hidden_cols.update(range(lo - 1, hi))
        for r, dim in ws.row_dimensions.items():
            if dim.hidden:
                sheet.hidden_rows.add(r - 1)
        sheets.append(sheet)
    return sheets


def _apply_merge(sheet: Sheet, r0: int, c0: int, r1: int, c1: int) -> None:
    if r0 >= sheet.nrows:
        return
    top = sheet.values[r0][c0] if c0 < len(sheet.values[r0]) else None
    sheet.span[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
    for r in range(r0, min(r1, sheet.nrows - 1) + 1):
        row = sheet.values[r]
        if len(row) <= c1:
            row.extend([None] * (c1 + 1 - len(row)))
        for c in range(c0, c1 + 1):
            if (r, c) != (r0, c0):
                row[c] = top
                sheet.anchor[(r, c)] = (r0, c0)


def _read_xls(path: Path) -> list[Sheet]:
    try:
        import xlrd
    except ImportError as e:  # pragma: no cover - a dependency
        raise BadInput(
            "读取 .xls 需要 xlrd 组件，请重新安装本程序，或把表格另存为 .xlsx",
            "reading .xls needs xlrd; reinstall the program or save the table as .xlsx",
        ) from e
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=_XlrdLog())
    except MemoryError:
        raise
    except Exception as e:
        log.info("xlrd could not read %s: %s: %s", path.name, type(e).__name__, e)
        raise BadInput(
            f"无法读取 .xls 表格 {path.name}（文件已损坏或格式特殊）；请用 Excel 或 WPS 另存为 .xlsx 后再导入",
            f"cannot read the .xls workbook {path.name} (damaged or an unusual format); save it as .xlsx "
            "and retry",
        ) from e
    sheets = []
    try:
        for idx in range(book.nsheets):
            sh = book.sheet_by_index(idx)
            if getattr(sh, "visibility", 0) != 0:
                continue
            if sh.nrows * sh.ncols > fsio.MAX_SHEET_CELLS:
                raise fsio.FileRefused(
                    f"{path.name} 的工作表“{sh.name}”有 {sh.nrows} 行 × {sh.ncols} 列，范围过大，为安全起见不予读取；"
                    "请删去多余的行列后另存再导入",
                    f"sheet {sh.name} of {path.name} spans {sh.nrows} rows × {sh.ncols} columns, too large to "
                    "read safely; delete the extra rows and columns, save and import again",
                    "bomb",
                )
            values: list[list[object]] = []
            for r in range(sh.nrows):
                row: list[object] = []
                for c in range(sh.ncols):
                    cell = sh.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            v: object = xlrd.xldate_as_datetime(cell.value, book.datemode)
                        except (ValueError, OverflowError):
                            v = cell.value
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        v = None
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        v = bool(cell.value)
                    elif cell.ctype == xlrd.XL_CELL_ERROR:
                        v = None
                    else:
                        v = cell.value
                    row.append(v)
                values.append(row)
            sheet = Sheet(sh.name, values)
            for rlo, rhi, clo, chi in sh.merged_cells:
                _apply_merge(sheet, rlo, clo, rhi - 1, chi - 1)
            for c, info in sh.colinfo_map.items():
                if info.hidden:
                    sheet.hidden_cols.add(c)
            for r, info in sh.rowinfo_map.items():
                if info.hidden:
                    sheet.hidden_rows.add(r)
            sheets.append(sheet)
    except (BadInput, MemoryError):
        raise
    except Exception as e:
        log.info("xlrd could not read a sheet of %s: %s: %s", path.name, type(e).__name__, e)
        raise BadInput(
            f"无法读取 .xls 表格 {path.name}（文件已损坏或格式特殊）；请用 Excel 或 WPS 另存为 .xlsx 后再导入",
            f"cannot read the .xls workbook {path.name} (damaged or an unusual format); save it as .xlsx "
            "and retry",
        ) from e
    finally:
        book.release_resources()
    return sheets


class _XlrdLog:
    """xlrd's warnings go to the log, never to stdout."""

    def write(self, s: str) -> None:
        if s.strip():
            log.info("xlrd: %s", s.strip())

    def flush(self) -> None:
        pass


def libreoffice() -> str | None:
    return _find_libreoffice()


def convert_or_refuse(path: Path, fmt: str, timeout: int = 120) -> Path:
    """Convert `path` to `fmt` (xlsx, docx) with LibreOffice: the output, alone in its own
    temporary folder (the caller removes `result.parent`). Raises ConversionFailed with the
    real reason (not installed, timed out, password, damaged)."""
    return convert(path, fmt, name=path.name, timeout=timeout)


def convert_with_libreoffice(path: Path, fmt: str, timeout: int = 120) -> Path | None:
    """Like convert_or_refuse, but None when the conversion failed (the reason is logged).
    Never returns the input: the output has its own name in its own folder."""
    try:
        return convert(path, fmt, name=path.name, timeout=timeout)
    except ConversionFailed as e:
        log.info("LibreOffice conversion of %s failed: %s", path.name, e.reason)
        return None


def as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None
