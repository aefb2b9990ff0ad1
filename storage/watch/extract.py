"""Metadata and text read out of a stored file: title, 文号, issue date, page count, text.

Only cheap reads: python-docx for .docx, openpyxl (read-only) for .xlsx, pypdf for .pdf.
Formats are told by their first bytes, not the extension (WPS and people rename files).
Never raises for a damaged file: a file we cannot read still becomes evidence, with the
file name as its title and no text.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from storage.kernel.text import find_doc_number

MAX_TEXT = 200_000  # characters kept per file (enough for search; a binder is not a novel)
MAX_XLSX_CELLS = 50_000


@dataclass(frozen=True)
class Extracted:
    title: str = ""
    doc_number: str = ""
    issue_date: dt.date | None = None
    page_count: int | None = None
    text: str = ""


# 2023年5月8日, 2023年05月08日, 2023-05-08, 2023.5.8, 2023/5/8
_DATE = re.compile(
    r"((?:19|20)\d{2})\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月|[-./])\s*(\d{1,2})\s*日?"
)
# 二〇二三年五月八日 (the way dates are written at the foot of a 红头文件)
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")


def _cn_number(s: str) -> int:
    if "十" in s:
        head, _, tail = s.partition("十")
        return (_CN_DIGITS.get(head, 1) if head else 1) * 10 + (_CN_DIGITS.get(tail, 0) if tail else 0)
    return _CN_DIGITS.get(s, 0)


def find_dates(text: str) -> list[tuple[dt.date, str]]:
    """Every plausible date in `text`, with the text it was read from, in order."""
    out: list[tuple[dt.date, str]] = []
    for m in _DATE.finditer(text or ""):
        try:
            out.append((dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.group(0)))
        except ValueError:
            continue
    for m in _CN_DATE.finditer(text or ""):
        try:
            year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
            out.append((dt.date(year, _cn_number(m.group(2)), _cn_number(m.group(3))), m.group(0)))
        except (ValueError, KeyError):
            continue
    return out


def sniff(path: Path) -> str:
    """'docx' | 'xlsx' | 'pdf' | 'zip' | 'ole' | '' by content (a .docx is a zip)."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return ""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return ""
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    return ""


def extract(path: Path, name: str) -> Extracted:
    """Read what we can from the stored file `path` (original file name `name`)."""
    kind = sniff(path)
    title, text, pages = "", "", None
    try:
        if kind == "docx":
            title, text = _docx(path)
        elif kind == "xlsx":
            title, text = _xlsx(path)
        elif kind == "pdf":
            title, text, pages = _pdf(path)
        elif kind == "" and name.lower().endswith((".txt", ".csv", ".md")):
            text = _plain_text(path)
    except Exception:  # noqa: BLE001 - a damaged file is still evidence; just no text
        title, text = "", ""
    stem = Path(name).stem.strip() or name
    text = text[:MAX_TEXT]
    doc_number = find_doc_number(stem) or find_doc_number(text[:3000])
    # A date in the name wins; else the last date of the text (a 红头文件 is dated at its foot).
    in_name = find_dates(stem)
    at_foot = find_dates(text[-3000:]) if not in_name else []
    issue_date = in_name[0][0] if in_name else (at_foot[-1][0] if at_foot else None)
    return Extracted(
        title=(title or stem).strip()[:500],
        doc_number=doc_number,
        issue_date=issue_date,
        page_count=pages,
        text=text,
    )


def _plain_text(path: Path) -> str:
    with open(path, "rb") as f:
        raw = f.read(MAX_TEXT * 3)
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _docx(path: Path) -> tuple[str, str]:
    import docx

    d = docx.Document(str(path))
    title = (d.core_properties.title or "").strip()
    parts: list[str] = []
    heading = ""
    size = 0
    for p in d.paragraphs:
        t = p.text.strip()
        if not t:
            continue
        style = (p.style.name or "").lower() if p.style is not None else ""
        if not heading and style.startswith(("heading", "title", "标题")):
            heading = t
        parts.append(t)
        size += len(t)
        if size > MAX_TEXT:
            break
    for table in d.tables:
        if size > MAX_TEXT:
            break
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            line = " ".join(c for c in cells if c)
            if line:
                parts.append(line)
                size += len(line)
    return title or heading, "\n".join(parts)


def _xlsx(path: Path) -> tuple[str, str]:
    import openpyxl

    wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    try:
        title = (wb.properties.title or "").strip() if wb.properties else ""
        parts: list[str] = []
        cells = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                vals = [str(v).strip() for v in row if v is not None and str(v).strip()]
                if vals:
                    parts.append(" ".join(vals))
                cells += len(row)
                if cells > MAX_XLSX_CELLS:
                    break
            if cells > MAX_XLSX_CELLS:
                break
        if not title and parts:
            title = parts[0][:200]
        return title, "\n".join(parts)
    finally:
        wb.close()


def _pdf(path: Path) -> tuple[str, str, int | None]:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged PDFs warn loudly
    reader = PdfReader(str(path))
    pages = len(reader.pages)
    title = ""
    try:
        if reader.metadata and reader.metadata.title:
            title = str(reader.metadata.title).strip()
    except Exception:  # noqa: BLE001
        title = ""
    parts: list[str] = []
    size = 0
    for page in reader.pages[:200]:
        t = page.extract_text() or ""
        parts.append(t)
        size += len(t)
        if size > MAX_TEXT:
            break
    return title, "\n".join(parts), pages
