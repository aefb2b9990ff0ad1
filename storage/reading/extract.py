"""The text of one file, whatever program made it: `read_file(path) -> ReadResult`.

The file's kind is told by content (storage.kernel.fsio.sniff), its container checked for
bombs before any parser sees it, and then:

- Word 2007+ (.docx .docm .dotx .dotm): our own walk of word/document.xml with the safe lxml
  parser, in body order: paragraphs, tables with nested tables, content controls (w:sdt),
  text boxes (w:txbxContent, once: the VML fallback copy is skipped), then headers and
  footers (where a 红头文件 carries its 文号). python-docx's `paragraphs` leaves most of that out.
- Excel 2007+ (.xlsx .xlsm .xltx): our own streaming read of every sheet's cells where
  values are (never `<dimension>`), shared strings bounded; no openpyxl (it decides by the
  file name and builds whole grids).
- PowerPoint 2007+: slide text (a:t) in slide order.
- PDF: pypdfium2's text page API (PDFium opens AES/RC4 files whose user password is empty
  without extra packages; only a real open password is refused). Pages whose text is empty
  or garbled (control characters, "(cid:n)", replacement characters) are listed for OCR.
- .odt/.ods/.odp: content.xml read directly (text:p/text:h, table cells): simple XML, no
  converter needed. OFD: the TextCode elements of each page.
- .xls/.et: xlrd (direct, fast, all sheets); LibreOffice only when xlrd cannot read it.
- .doc/.wps, .rtf: LibreOffice to UTF-8 text (no maintained pure-Python .doc reader).
- .xlsb: LibreOffice to .xlsx, then the reader above (no xlsb reader among our dependencies).
- .ppt: LibreOffice to .pptx, then the reader above.
- Images: no text; listed for OCR (storage.reading.ocr does that, not this module).
- Plain text: UTF-8/UTF-16 (BOM) or GB18030.
- Password-protected files: `password=True` and the 密码 refusal; formats too old (Excel 5/95,
  Word 6/95): refused with what to do. Damaged files: a refusal, never an exception.

Text is kept whole up to MAX_TEXT characters (far beyond any document; `truncated` says when
it stopped there). Library warnings go to the log, never to stdout.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from storage.kernel import fsio
from storage.kernel.convert import ConversionFailed, convert
from storage.kernel.fsio import FileKind, FileRefused
from storage.kernel.text import find_doc_number

if TYPE_CHECKING:  # lxml loads when a file's XML is first read, not at the window's start
    from lxml import etree

log = logging.getLogger(__name__)

MAX_TEXT = 20_000_000     # characters kept per file; `truncated` says when a file had more
MAX_TEXT_BYTES = 64 * 1024 * 1024   # plain text read at most
MAX_PDF_PAGES = 5_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DC = "{http://purl.org/dc/elements/1.1/}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


@dataclass(frozen=True)
class ReadResult:
    """What was read out of one file.

    Attributes:
        kind: the fsio kind ("docx", "pdf", "password", …); detail: the precise format.
        text: the whole text ("" when none).
        page_count: pages of a PDF/OFD, slides of a presentation, None otherwise.
        password: the file is password-protected (stored as evidence, no text).
        refusal: "" when read; else the clerk's sentence (Chinese, then English) saying why
            there is no text and what to do.
        reason: a short word for the refusal (password, damaged, bomb, old-format, timeout, …).
        ocr_pages: 0-based pages (or [0] for an image) that need OCR for their text.
        title / doc_number / issue_date: what the file says about itself, where found.
        truncated: the text stopped at MAX_TEXT characters.
    """

    kind: str
    text: str = ""
    page_count: int | None = None
    password: bool = False
    refusal: str = ""
    reason: str = ""
    ocr_pages: tuple[int, ...] = ()
    title: str = ""
    doc_number: str = ""
    issue_date: dt.date | None = None
    truncated: bool = False
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.refusal


@dataclass
class _Read:
    text: str = ""
    title: str = ""
    pages: int | None = None
    ocr: list[int] = field(default_factory=list)


# --- dates (also used by the watcher's metadata) ---------------------------------------------

_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月|[-./])\s*(\d{1,2})\s*日?")
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


# --- the entry point -------------------------------------------------------------------------


def read_file(path: str | os.PathLike[str] | bytes, *, name_hint: str = "") -> ReadResult:
    """Read the text and metadata of the file at `path` (`name_hint`: its original name, used
    for messages, for .wps/.et twins and for the title when the file gives none). Never
    raises for a bad file: a refusal says why there is no text."""
    name = name_hint or fsio.display_name(path)
    kind = FileKind(fsio.UNKNOWN)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fsio.check_regular(path)
            kind = fsio.sniff(path, name_hint=name)
            fsio.refuse_unreadable_kind(kind, name)
            got = _read_kind(path, kind, name)
        except FileRefused as e:
            return _refused(kind, e, e.reason, name)
        except ConversionFailed as e:
            return _refused(kind, e, e.reason, name)
        except MemoryError:
            return limit_result(name, "memory", kind)
        except Exception as e:  # noqa: BLE001 - any parser's failure on a damaged file is a refusal
            log.info("reading %s (%s) failed: %s: %s", name, kind.kind, type(e).__name__, e)
            if _out_of_memory(e):
                return limit_result(name, "memory", kind)
            return _refused(kind, fsio.damaged_refusal(name, kind), "damaged", name)
        finally:
            for w in caught:
                log.info("warning while reading %s: %s", name, w.message)
    text = got.text
    truncated = len(text) > MAX_TEXT
    if truncated:
        text = text[:MAX_TEXT]
    return _finish(kind, text, got, name, truncated)


def _out_of_memory(e: Exception) -> bool:
    """libxml2 reports a failed allocation as "Memory allocation failed" or, when it fails
    before it can say more, as "unknown error" at line 0."""
    from lxml import etree

    msg = str(e).lower()
    if "memory allocation failed" in msg or "out of memory" in msg or "cannot allocate" in msg:
        return True
    return isinstance(e, etree.XMLSyntaxError) and msg.startswith("unknown error") and "line 0" in msg


def limit_result(name: str, reason: str, kind: FileKind | None = None) -> ReadResult:
    """The result for a file whose reading hit a limit ("memory", "timeout") or whose reader
    died ("crashed"): no text, a refusal, never retried."""
    if reason == "timeout":
        zh = f"读取 {name} 超时，已放弃；文件可能结构异常，请用 Office/WPS 打开后另存一份"
        en = f"reading {name} took too long and was stopped; the file may be malformed: open it in Office/WPS " \
             "and save a new copy"
    elif reason == "memory":
        zh = f"读取 {name} 需要的内存超出限制，已放弃；文件可能结构异常（如压缩炸弹），请用 Office/WPS 打开后另存一份"
        en = f"reading {name} needed more memory than allowed and was stopped; the file may be malformed " \
             "(a zip bomb); open it in Office/WPS and save a new copy"
    else:
        zh = f"读取 {name} 时读取程序意外退出，已放弃；文件可能已损坏，请向发送单位要一份完整的文件"
        en = f"the reader stopped unexpectedly on {name} and gave up; the file may be damaged: ask the sender " \
             "for a complete copy"
    k = kind or FileKind(fsio.UNKNOWN)
    return ReadResult(kind=k.kind, detail=k.detail, refusal=f"{zh}（{en}）", reason=reason,
                      title=(Path(name).stem.strip() or name)[:500])


def _refused(kind: FileKind, err: Exception, reason: str, name: str) -> ReadResult:
    stem = Path(name).stem.strip() or name
    zh = getattr(err, "zh", "")
    en = getattr(err, "en", "")
    return ReadResult(kind=kind.kind, detail=kind.detail, password=reason == "password" or kind.kind == fsio.PASSWORD,
                      refusal=f"{zh}（{en}）" if zh else str(err), reason=reason or "refused",
                      title=stem[:500], doc_number=find_doc_number(stem))


def _finish(kind: FileKind, text: str, got: _Read, name: str, truncated: bool) -> ReadResult:
    stem = Path(name).stem.strip() or name
    doc_number = find_doc_number(stem) or find_doc_number(text[:3000])
    # A date in the name wins; else the last date of the text (a 红头文件 is dated at its foot).
    in_name = find_dates(stem)
    at_foot = find_dates(text[-3000:]) if not in_name else []
    issue_date = in_name[0][0] if in_name else (at_foot[-1][0] if at_foot else None)
    return ReadResult(
        kind=kind.kind, detail=kind.detail, text=text, page_count=got.pages,
        ocr_pages=tuple(got.ocr), title=(got.title or stem).strip()[:500],
        doc_number=doc_number[:100], issue_date=issue_date, truncated=truncated,
    )


def _read_kind(path: str | os.PathLike[str] | bytes, kind: FileKind, name: str) -> _Read:
    k = kind.kind
    p = os.fsdecode(os.fsencode(path))
    if k in (fsio.WORD, fsio.EXCEL, fsio.POWERPOINT, fsio.ODT, fsio.ODS, fsio.ODP, fsio.OFD):
        with zipfile.ZipFile(p) as z:
            fsio.check_zip(z, name)
            if k == fsio.WORD:
                return _word(z)
            if k == fsio.EXCEL:
                return _excel(z)
            if k == fsio.POWERPOINT:
                return _slides(z)
            if k == fsio.OFD:
                return _ofd(z)
            return _odf(z)
    if k == fsio.PDF:
        return _pdf(p, name)
    if k == fsio.IMAGE:
        return _Read(ocr=[0])
    if k == fsio.TEXT:
        return _Read(text=_plain_text(p))
    if k == fsio.XLS:
        try:
            return _xls(p)
        except Exception as e:  # noqa: BLE001 - xlrd refuses some WPS files: LibreOffice next
            log.info("xlrd could not read %s (%s); converting", name, e)
            return _converted(p, name, "xlsx", _excel)
    if k == fsio.XLSB:
        return _converted(p, name, "xlsx", _excel)
    if k == fsio.PPT:
        return _converted(p, name, "pptx", _slides)
    if k in (fsio.DOC, fsio.RTF):
        return _converted_text(p, name)
    if k == fsio.ZIP and kind.detail == "damaged":
        raise fsio.damaged_refusal(name)
    if k in (fsio.ZIP, fsio.EMPTY, fsio.OLE):
        return _Read()
    raise FileRefused(
        f"{name} 是无法识别的文件格式，没有可读的文字",
        f"{name} is in a format this program does not recognise; no text to read",
        "unknown",
    )


def _converted(p: str, name: str, fmt: str, reader: object) -> _Read:
    out = convert(p, fmt, name=name)
    try:
        with zipfile.ZipFile(out) as z:
            fsio.check_zip(z, name)
            return reader(z)  # type: ignore[operator, no-any-return]
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


def _converted_text(p: str, name: str) -> _Read:
    out = convert(p, "txt:Text (encoded):UTF8", name=name)
    try:
        with open(out, "rb") as f:
            raw = f.read(MAX_TEXT_BYTES)
        return _Read(text=raw.decode("utf-8-sig", "replace").replace("\r\n", "\n"))
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


# --- Word ------------------------------------------------------------------------------------

_STRICT = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", W[1:-1].encode()),
    (b"http://purl.oclc.org/ooxml/drawingml/main", A[1:-1].encode()),
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main", S[1:-1].encode()),
)


def _part(z: zipfile.ZipFile, name: str) -> etree._Element:
    """A Word/PowerPoint part parsed safely, Strict OOXML namespaces read as transitional."""
    data = fsio.read_member(z, name)
    if b"purl.oclc.org/ooxml" in data[:8192]:
        for strict, transitional in _STRICT:
            data = data.replace(strict, transitional)
    return fsio.parse_bytes(data, name)


def _word_lines(el: etree._Element, out: list[str]) -> None:
    """Append the text of `el`'s block content, in order: a paragraph per line (its text boxes
    after it), a table row per line with cells separated by tabs (nested tables inline)."""
    for child in el:
        tag = child.tag
        if tag == W + "p":
            boxes: list[str] = []
            out.append(_paragraph_text(child, boxes))
            out.extend(boxes)
        elif tag == W + "tbl":
            for tr in child.iter(W + "tr"):
                if _nearest(tr, W + "tbl") is not child:
                    continue
                cells: list[str] = []
                for tc in tr:
                    if tc.tag == W + "sdt":   # a content control around a cell
                        tcs = list(tc.iter(W + "tc"))
                    elif tc.tag == W + "tc":
                        tcs = [tc]
                    else:
                        continue
                    for cell in tcs:
                        inner: list[str] = []
                        _word_lines(cell, inner)
                        cells.append(" ".join(s for s in inner if s.strip()))
                if any(c.strip() for c in cells):
                    out.append("\t".join(cells))
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins",
                     W + "body", W + "hdr", W + "ftr", W + "txbxContent", W + "footnotes", W + "footnote",
                     W + "endnotes", W + "endnote"):
            _word_lines(child, out)
        elif tag == MC + "AlternateContent":
            choice = child.find(MC + "Choice")
            _word_lines(choice if choice is not None else child, out)


def _nearest(el: etree._Element, tag: str) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _paragraph_text(p: etree._Element, boxes: list[str]) -> str:
    parts: list[str] = []
    for node in p.iter():
        tag = node.tag
        if tag == W + "t":
            if not _inside_box(node, p):
                parts.append(node.text or "")
        elif tag == W + "tab" and not _inside_box(node, p):
            parts.append("\t")
        elif tag in (W + "br", W + "cr") and not _inside_box(node, p):
            parts.append("\n")
        elif tag == W + "txbxContent" and _inside_box(node, p) is node:
            if _in_fallback(node, p):
                continue
            inner: list[str] = []
            _word_lines(node, inner)
            boxes.extend(s for s in inner if s.strip())
    return "".join(parts)


def _inside_box(node: etree._Element, stop: etree._Element) -> etree._Element | None:
    """The outermost text box between `node` and paragraph `stop`, if any."""
    found = None
    cur = node if node.tag == W + "txbxContent" else node.getparent()
    while cur is not None and cur is not stop:
        if cur.tag == W + "txbxContent":
            found = cur
        cur = cur.getparent()
    return found


def _in_fallback(node: etree._Element, stop: etree._Element) -> bool:
    cur = node.getparent()
    while cur is not None and cur is not stop:
        if cur.tag == MC + "Fallback":
            return True
        cur = cur.getparent()
    return False


def _core_title(z: zipfile.ZipFile) -> str:
    from lxml import etree

    if "docProps/core.xml" not in z.namelist():
        return ""
    try:
        el = fsio.parse_member(z, "docProps/core.xml", 1024 * 1024).find(DC + "title")
    except etree.XMLSyntaxError:
        return ""
    return (el.text or "").strip() if el is not None else ""


def _word(z: zipfile.ZipFile) -> _Read:
    names = z.namelist()
    main = next((n for n in names if n.lower() == "word/document.xml"), None)
    if main is None:
        raise fsio.damaged_refusal(z.filename or "", FileKind(fsio.WORD), "缺少正文")
    body = _part(z, main)
    lines: list[str] = []
    root_body = body.find(W + "body")
    _word_lines(root_body if root_body is not None else body, lines)
    extra: list[str] = []
    for n in sorted(names):
        if re.fullmatch(r"word/(header\d*|footer\d*|footnotes|endnotes)\.xml", n):
            _word_lines(_part(z, n), extra)
    seen = set(lines)
    lines += [s for s in extra if s.strip() and s not in seen]
    title = _core_title(z)
    if not title:
        title = _word_heading(root_body if root_body is not None else body)
    return _Read(text="\n".join(s for s in lines if s.strip()), title=title)


def _word_heading(body: etree._Element) -> str:
    for p in body.iter(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        sid = (style.get(W + "val") or "").lower() if style is not None else ""
        if sid.startswith(("heading", "title", "标题")) or sid in ("1", "a3"):
            t = "".join(x.text or "" for x in p.iter(W + "t")).strip()
            if t:
                return t
    return ""


# --- Excel -----------------------------------------------------------------------------------


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    from lxml import etree

    part = next((n for n in z.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if part is None:
        return []
    out: list[str] = []
    with z.open(part) as f:
        for _ev, el in etree.iterparse(f, events=("end",), tag="{*}si", resolve_entities=False,
                                       no_network=True, load_dtd=False, huge_tree=False):
            out.append("".join(t.text or "" for t in el.iter("{*}t")
                               if t.getparent() is None or etree.QName(t.getparent()).localname != "rPh"))
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
    return out


def _cell_text(el: etree._Element, shared: list[str]) -> str:
    t = el.get("t") or "n"
    if t == "inlineStr":
        return "".join(x.text or "" for x in el.iter("{*}t"))
    v = el.find("{*}v")
    raw = (v.text or "") if v is not None else ""
    if t == "s":
        try:
            return shared[int(raw)]
        except (ValueError, IndexError):
            return ""
    if t == "b":
        return "TRUE" if raw == "1" else "FALSE" if raw else ""
    if t == "e":
        return ""
    return raw


def excel_rows(z: zipfile.ZipFile) -> Iterator[tuple[str, list[str]]]:
    """(sheet name, row of cell texts) for every row with a value, every sheet, scanning the
    cells where values are (not the declared dimension). The container must have passed
    fsio.check_zip (which refuses XML declaring entities)."""
    shared = _shared_strings(z)
    names = set(z.namelist())
    for sheet_name, _state, part in fsio.xlsx_sheet_parts(z):
        if part not in names:
            continue
        cur_row, cells = -1, {}  # type: int, dict[int, str]
        with z.open(part) as f:
            for r, c, el in fsio.iter_sheet_cells(f):
                if r != cur_row:
                    if cells:
                        yield sheet_name, [cells[k] for k in sorted(cells)]
                    cur_row, cells = r, {}
                text = _cell_text(el, shared).strip()
                if text and c < fsio.MAX_COLS:
                    cells[c] = text
        if cells:
            yield sheet_name, [cells[k] for k in sorted(cells)]


def _excel(z: zipfile.ZipFile) -> _Read:
    lines: list[str] = []
    size = 0
    last_sheet = None
    for sheet, row in excel_rows(z):
        if sheet != last_sheet:
            lines.append(sheet)
            last_sheet = sheet
        line = "\t".join(row)
        lines.append(line)
        size += len(line) + 1
        if size > MAX_TEXT:
            break
    title = _core_title(z)
    return _Read(text="\n".join(lines), title=title)


def _xls(p: str) -> _Read:
    import xlrd

    book = xlrd.open_workbook(p, on_demand=True, logfile=_LogFile())
    try:
        lines: list[str] = []
        for i in range(book.nsheets):
            sh = book.sheet_by_index(i)
            lines.append(sh.name)
            for r in range(sh.nrows):
                vals = [str(v).strip() for v in sh.row_values(r) if str(v).strip()]
                if vals:
                    lines.append("\t".join(vals))
            book.unload_sheet(i)
        return _Read(text="\n".join(lines))
    finally:
        book.release_resources()


class _LogFile:
    """xlrd's warnings go to the log, not stdout."""

    def write(self, s: str) -> None:
        if s.strip():
            log.info("xlrd: %s", s.strip())

    def flush(self) -> None:
        pass


# --- slides, ODF, OFD ------------------------------------------------------------------------


def _slides(z: zipfile.ZipFile) -> _Read:
    slides = sorted((n for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                    key=lambda n: int(re.findall(r"\d+", n)[-1]))
    lines: list[str] = []
    for n in slides:
        root = _part(z, n)
        for para in root.iter(A + "p"):
            t = "".join(x.text or "" for x in para.iter(A + "t")).strip()
            if t:
                lines.append(t)
    return _Read(text="\n".join(lines), title=_core_title(z), pages=len(slides))


def _odf(z: zipfile.ZipFile) -> _Read:
    if "content.xml" not in z.namelist():
        raise fsio.damaged_refusal(z.filename or "", None, "缺少 content.xml")
    root = fsio.parse_member(z, "content.xml")
    lines: list[str] = []
    for el in root.iter(TEXT_NS + "p", TEXT_NS + "h", TABLE_NS + "table-row"):
        if el.tag == TABLE_NS + "table-row":
            continue
        t = _odf_text(el).strip()
        if t:
            lines.append(t)
    title = ""
    if "meta.xml" in z.namelist():
        m = fsio.parse_member(z, "meta.xml", 1024 * 1024).find(f".//{DC}title")
        title = (m.text or "").strip() if m is not None else ""
    return _Read(text="\n".join(lines), title=title)


def _odf_text(el: etree._Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag == TEXT_NS + "s":
            parts.append(" " * int(child.get(TEXT_NS + "c") or 1))
        elif child.tag == TEXT_NS + "tab":
            parts.append("\t")
        elif child.tag == TEXT_NS + "line-break":
            parts.append("\n")
        elif child.tag not in (TEXT_NS + "p", TEXT_NS + "h", TEXT_NS + "note"):
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ofd(z: zipfile.ZipFile) -> _Read:
    pages = sorted((n for n in z.namelist() if re.search(r"Pages/Page_?\d+/Content\.xml$", n, re.I)),
                   key=lambda n: [int(x) for x in re.findall(r"\d+", n)])
    lines: list[str] = []
    ocr: list[int] = []
    for i, n in enumerate(pages):
        root = fsio.parse_member(z, n)
        texts = [el.text or "" for el in root.iter() if isinstance(el.tag, str) and el.tag.endswith("TextCode")]
        page = "".join(texts).strip()
        if page:
            lines.append(page)
        else:
            ocr.append(i)
    return _Read(text="\n".join(lines), pages=len(pages), ocr=ocr)


# --- PDF -------------------------------------------------------------------------------------

_CID = re.compile(r"\(cid:\d+\)")


def garbled(text: str) -> bool:
    """True when a page's text is what a font without a Unicode map gives: control
    characters, replacement characters, "(cid:n)" runs."""
    t = text.strip()
    if not t:
        return False
    if len(_CID.findall(t)) >= 3:
        return True
    bad = sum(1 for ch in t if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd"
              or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / len(t) > 0.1


def _pdf(p: str, name: str) -> _Read:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        doc = pdfium.PdfDocument(p)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            # Some files have a user password but an empty owner password: pypdf opens those
            # with "" (as qpdf does). Anything else is a real open password.
            try:
                return _pdf_pypdf(p, name)
            except FileRefused:
                raise fsio.password_refusal(name) from e
        log.info("PDFium could not open %s (%s); trying pypdf", name, e)
        return _pdf_pypdf(p, name)
    try:
        n = len(doc)
        title = ""
        try:
            title = (doc.get_metadata_dict().get("Title") or "").strip()
        except Exception:  # noqa: BLE001 - a damaged info dictionary: no title
            title = ""
        parts: list[str] = []
        ocr: list[int] = []
        size = 0
        for i in range(min(n, MAX_PDF_PAGES)):
            page = doc[i]
            try:
                tp = page.get_textpage()
                try:
                    t = tp.get_text_bounded() or ""
                finally:
                    tp.close()
            finally:
                page.close()
            t = t.replace("\r\n", "\n").replace("\r", "\n")
            if not t.strip() or garbled(t):
                ocr.append(i)
                t = ""
            parts.append(t)
            size += len(t)
            if size > MAX_TEXT:
                break
        return _Read(text="\n".join(x for x in parts if x), title=title, pages=n, ocr=ocr)
    finally:
        doc.close()


def _pdf_pypdf(p: str, name: str) -> _Read:
    """pypdf reads some damaged PDFs that PDFium refuses (a broken cross-reference table)."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(p, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise fsio.password_refusal(name)
        parts: list[str] = []
        ocr: list[int] = []
        for i, page in enumerate(reader.pages[:MAX_PDF_PAGES]):
            t = page.extract_text() or ""
            if not t.strip() or garbled(t):
                ocr.append(i)
                t = ""
            parts.append(t)
        return _Read(text="\n".join(x for x in parts if x), pages=len(reader.pages), ocr=ocr)
    except FileRefused:
        raise
    except Exception as e:
        raise fsio.damaged_refusal(name, FileKind(fsio.PDF)) from e


def _plain_text(p: str) -> str:
    with open(p, "rb") as f:
        raw = f.read(MAX_TEXT_BYTES)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", "replace")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")
