"""A spreadsheet sheet as a plain grid, whatever saved it (Excel, WPS, LibreOffice).

Formats are told by their first bytes, not by the extension (people and WPS rename files):
ZIP → .xlsx read with openpyxl; OLE2 → legacy .xls read with xlrd (formatting_info=True to
see merges and hidden rows/columns); an OLE2 file xlrd cannot read (some WPS .et files) is
converted by LibreOffice when installed. Merged cells are filled from their top-left cell,
and each filled cell remembers its anchor so importers can tell a copy from a value.
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from storage.kernel.errors import BadInput

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


def _not_a_table(path: Path) -> BadInput:
    return BadInput(
        f"无法识别的表格文件：{path.name}（请提供 .xlsx、.xls 或 WPS 表格另存的 .xlsx）",
        f"not a spreadsheet this program can read: {path.name} (give an .xlsx or .xls file)",
    )


def read_sheets(path: str | Path) -> list[Sheet]:
    """Every visible sheet of a workbook, in order."""
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"找不到文件：{path}", f"file not found: {path}")
    kind = sniff(path)
    if kind == "zip":
        return _read_xlsx(path)
    if kind == "ole2":
        try:
            return _read_xls(path)
        except BadInput:
            converted = convert_with_libreoffice(path, "xlsx")
            if converted is None:
                raise
            try:
                return _read_xlsx(converted)
            finally:
                shutil.rmtree(converted.parent, ignore_errors=True)
    raise _not_a_table(path)


def _read_xlsx(path: Path) -> list[Sheet]:
    import zipfile

    import openpyxl

    try:
        # Not read-only: read-only mode has no merged_cells (pitfalls.md).
        wb = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise BadInput(
            f"无法打开表格 {path.name}：文件已损坏或不是 Excel 表格（{e}）",
            f"cannot open {path.name}: damaged or not an Excel workbook ({e})",
        ) from e
    sheets = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        values = [list(r) for r in ws.iter_rows(values_only=True)]
        sheet = Sheet(ws.title, values)
        for rng in ws.merged_cells.ranges:
            r0, c0, r1, c1 = rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1
            _apply_merge(sheet, r0, c0, r1, c1)
        for key, dim in ws.column_dimensions.items():
            if dim.hidden:
                # Hidden columns are stored as ranges (min..max): expand them.
                lo = dim.min or (col_index(key) + 1)
                hi = dim.max or lo
                sheet.hidden_cols.update(range(lo - 1, hi))
        for r, dim in ws.row_dimensions.items():
            if dim.hidden:
                sheet.hidden_rows.add(r - 1)
        sheets.append(sheet)
    wb.close()
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
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as e:
        raise BadInput(
            f"无法读取 .xls 表格 {path.name}（{e}）；请用 Excel 或 WPS 另存为 .xlsx 后再导入",
            f"cannot read the .xls workbook {path.name} ({e}); save it as .xlsx and retry",
        ) from e
    sheets = []
    try:
        for idx in range(book.nsheets):
            sh = book.sheet_by_index(idx)
            if getattr(sh, "visibility", 0) != 0:
                continue
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
    finally:
        book.release_resources()
    return sheets


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(path: Path, fmt: str, timeout: int = 120) -> Path | None:
    """Convert `path` to `fmt` (xlsx, docx) in a new temporary folder; None when LibreOffice
    is not installed or produced nothing. Each call has its own profile (pitfalls.md)."""
    exe = libreoffice()
    if exe is None:
        return None
    out = Path(tempfile.mkdtemp(prefix="evidence-desk-convert-"))
    profile = out / "profile"
    src = out / ("source" + (path.suffix or ".bin"))
    shutil.copyfile(path, src)
    try:
        subprocess.run(
            [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless",
             "--convert-to", fmt, "--outdir", str(out), str(src)],
            capture_output=True, timeout=timeout, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        shutil.rmtree(out, ignore_errors=True)
        return None
    result = out / f"source.{fmt}"
    if not result.is_file() or result.stat().st_size == 0:
        shutil.rmtree(out, ignore_errors=True)
        return None
    return result


def as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None
