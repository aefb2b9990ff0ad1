"""Binders for print (装订册): Word in the GB/T 9704-2012 layout and, when a converter is
available, one PDF per binder with the evidence merged in.

A binder is: a cover (county, framework, 佐证材料汇编, date), a table of contents, and for
each level-1 indicator a divider page and the catalogue of its indicators (indicator →
numbered evidence, numbered exactly as in the bundle, since both come from
`exporters.bundle.plan_bundle`). One binder holds the whole framework, or with
`per_level1=True` one binder per level-1 indicator (a box each).

The PDF (when `converter` is given): the Word parts are converted (the front matter and one
part per level-1 indicator, in one converter call), and after each part the evidence of
that level-1 indicator follows in review order — PDFs as they are, images made PDF pages
(Pillow), office files converted — with bookmarks per level-1 indicator, per indicator and
per evidence file (pypdf). OFD files, encrypted or damaged PDFs and anything that could not
be converted get a placeholder page naming the file and why. The page numbers in the table
of contents and the catalogue are the PDF's own: a first pass measures every part, a second
writes the numbers and starts each Word part's page numbering where it sits in the PDF.

Without a converter only the Word binders are written, and the result says so.

Pure: no SQLAlchemy, no Qt. `path_for(sha256)` gives a stored file's path.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from exporters import fonts, winpaths
from exporters import gbt9704 as g
from exporters.bundle import plan_bundle
from exporters.convert import OFFICE_EXTS, ConversionError, Converter, Job
from exporters.converters import missing_converter_message
from exporters.upload_ready import IMAGE_EXTS, image_to_pdf
from storage.kernel.errors import ArchiveError, Cancelled
from storage.kernel.official import official_name
from storage.readmodels import BundleIndicator, BundleSource

Progress = Callable[[int, int, str], None]
PathFor = Callable[[str], "os.PathLike[str] | str"]

BINDER_TITLE = "佐证材料汇编"
MAX_PASSES = 3
FIT_SHEET_EXTS = frozenset({".xlsx", ".xlsm"})  # what openpyxl reads and writes back
TEXT_WIDTH_CAP = 24  # characters a text column is widened to at most


def _cell_text_width(value: object, number_format: str) -> int:
    """Characters a value needs on paper (CJK counted twice): a date or number in full, so
    LibreOffice never prints 「###」 for it; text up to TEXT_WIDTH_CAP."""
    if isinstance(value, dt.datetime):
        text = value.strftime("%Y-%m-%d %H:%M" if (value.hour or value.minute) else "%Y-%m-%d")
        if "年" in number_format:
            text = f"{value.year}年{value.month:02d}月{value.day:02d}日"
    elif isinstance(value, dt.date):
        text = f"{value.year}年{value.month:02d}月{value.day:02d}日" if "年" in number_format else value.isoformat()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        text = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
    elif isinstance(value, str) and value.strip():
        # text is cut by the next cell, not 「###」: widened up to a cap, fitting shrinks the rest
        first = value.strip().splitlines()[0]
        return min(sum(2 if ord(ch) > 0x2E80 else 1 for ch in first), TEXT_WIDTH_CAP)
    else:
        return 0
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def fit_sheet_for_print(src: str | os.PathLike[str], dest: Path) -> Path:
    """A copy of a workbook set up for the binder (issue 17, item 10): every sheet printed
    one page wide (landscape when it has more than eight columns, as many pages tall as it
    needs) and every column holding dates or numbers wide enough for them. The clerk's
    stored file is never changed; on any failure to read it, the original is returned."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    try:
        # by content: a stored file has no extension, which openpyxl refuses by name
        with open(src, "rb") as f:
            wb = load_workbook(io.BytesIO(f.read()))
    except Exception:  # noqa: BLE001 - a workbook openpyxl cannot read is converted as it is
        return Path(src)
    for ws in wb.worksheets:
        needed: dict[int, int] = {}
        for row in ws.iter_rows():
            for cell in row:
                w = _cell_text_width(cell.value, str(cell.number_format or ""))
                col = getattr(cell, "column", None)
                if w and isinstance(col, int) and w > needed.get(col, 0):
                    needed[col] = w
        for col, w in needed.items():
            dim = ws.column_dimensions[get_column_letter(col)]
            current = dim.width if dim.width else 8.43
            if current < w + 2:
                dim.width = w + 2
        if ws.sheet_properties.pageSetUpPr is None:
            ws.sheet_properties.pageSetUpPr = PageSetupProperties()
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages tall as the rows need
        if (ws.max_column or 0) > 8:
            ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        wb.save(dest)
    except Exception:  # noqa: BLE001 - odd content openpyxl cannot write back: the original
        return Path(src)
    return dest


def _never() -> bool:
    return False


def _no_progress(done: int, total: int, text: str = "") -> None:
    return None


# --- the binder's content ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One evidence file in a binder: its number and name as in the bundle."""

    number: str                  # "01", "02-1"
    label: str                   # the bundle's file name without number and extension
    doc_number: str
    ext: str                     # ".pdf", ".jpg" … (lower case)
    sha256: str
    bundle_path: str             # where the file is in the bundle
    original_name: str


@dataclass(frozen=True)
class IndicatorPart:
    code: str
    title: str
    entries: tuple[Entry, ...]

    @property
    def heading(self) -> str:
        return f"{self.code} {self.title}".strip()


@dataclass(frozen=True)
class Level1Part:
    code: str
    title: str
    indicators: tuple[IndicatorPart, ...]

    @property
    def heading(self) -> str:
        return f"{self.code} {self.title}".strip()


@dataclass(frozen=True)
class Binder:
    name: str                    # file name without extension
    volume: str                  # "" or "第1册"
    parts: tuple[Level1Part, ...]


def binder_parts(source: BundleSource,
                 level1_of: Mapping[int, tuple[str, str]] | None = None) -> tuple[Level1Part, ...]:
    """Group the bundle's indicators under their level-1 indicator (in framework order).
    `level1_of`: indicator id → (code, title) of its level-1 ancestor; without it, the first
    segment of the code ("2" of "2.1.3") is the group, titled by its code."""
    plan = plan_bundle(source)
    planned = iter(plan.files)
    groups: dict[tuple[str, str], list[IndicatorPart]] = {}
    for ind in source.indicators:
        entries = []
        for f in ind.files:
            pf = next(planned)
            fname = pf.path.rsplit("/", 1)[-1]
            number, _, rest = fname.partition(" ")
            stem, ext = winpaths.split_ext(rest)
            entries.append(Entry(number, stem, f.doc_number, winpaths.split_ext(f.original_name)[1].lower()
                                 or ext.lower(), f.sha256, pf.path, f.original_name))
        key = _level1_key(ind, level1_of)
        groups.setdefault(key, []).append(IndicatorPart(ind.code, ind.title, tuple(entries)))
    return tuple(Level1Part(code, title, tuple(parts)) for (code, title), parts in groups.items())


def _level1_key(ind: BundleIndicator, level1_of: Mapping[int, tuple[str, str]] | None) -> tuple[str, str]:
    if level1_of and ind.indicator_id in level1_of:
        return level1_of[ind.indicator_id]
    code = ind.code.split(".")[0] if ind.code else ""
    return (code, "" if code else ind.title)


def plan_binders(parts: Sequence[Level1Part], *, per_level1: bool = False) -> list[Binder]:
    if not per_level1:
        return [Binder(BINDER_TITLE, "", tuple(parts))]
    out = []
    for n, p in enumerate(parts, start=1):
        name = winpaths.shorten(winpaths.clean(f"{BINDER_TITLE} 第{n}册 {p.heading}"), 80)
        out.append(Binder(name, f"第{n}册", (p,)))
    return out


# --- Word -------------------------------------------------------------------------------------


@dataclass
class Pages:
    """Where things land in the binder's PDF (1-based), once measured."""

    level1: dict[int, int] = field(default_factory=dict)           # part index -> divider page
    indicator: dict[tuple[int, int], int] = field(default_factory=dict)
    entry: dict[tuple[int, int, int], int] = field(default_factory=dict)
    part_start: dict[int, int] = field(default_factory=dict)        # Word part -> first page


def _chinese_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _cover(doc, binder: Binder, *, county: str, framework: str, export_date: dt.date) -> None:
    g.paragraph(doc, "", indent=False, line_twips=g.LINE_PITCH_TWIPS * 5)
    if county:
        g.paragraph(doc, county, indent=False, align="center", font=g.TITLE_FONT, size_pt=g.TITLE_PT,
                    line_twips=g.LINE_PITCH_TWIPS * 2)
    if framework:
        g.paragraph(doc, framework, indent=False, align="center", font=g.TITLE_FONT, size_pt=g.TITLE_PT,
                    line_twips=g.LINE_PITCH_TWIPS * 2)
    g.paragraph(doc, BINDER_TITLE, indent=False, align="center", font=g.TITLE_FONT, size_pt=26,
                line_twips=g.LINE_PITCH_TWIPS * 3)
    if binder.volume:
        g.paragraph(doc, binder.volume, indent=False, align="center", font=g.HEADING2_FONT)
        g.paragraph(doc, binder.parts[0].heading, indent=False, align="center", font=g.HEADING2_FONT)
    g.paragraph(doc, "", indent=False, line_twips=g.LINE_PITCH_TWIPS * 6)
    g.paragraph(doc, _chinese_date(export_date), indent=False, align="center")


def _toc_entries(binder: Binder, pages: Pages | None, first_part: int) -> list[tuple[int, str, str]]:
    out = []
    for i, part in enumerate(binder.parts):
        pi = first_part + i
        out.append((1, part.heading, str(pages.level1[pi]) if pages else ""))
        for j, ind in enumerate(part.indicators):
            out.append((2, ind.heading, str(pages.indicator[(pi, j)]) if pages else ""))
    return out


def _front(binder: Binder, *, county: str, framework: str, export_date: dt.date,
           pages: Pages | None, first_part: int):
    doc = g.new_document(export_date=export_date, title=f"{BINDER_TITLE}{binder.volume}",
                         number_first_page=False)
    _cover(doc, binder, county=county, framework=official_name(framework, county), export_date=export_date)
    g.heading(doc, "目  录", 0, page_break_before=True)
    g.toc(doc, _toc_entries(binder, pages, first_part))
    return doc


def _part_body(doc, part: Level1Part, pi: int, pages: Pages | None, *, first: bool) -> None:
    divider = g.heading(doc, part.heading, 1, page_break_before=not first)
    ppr = divider._p.get_or_add_pPr()
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for el in ppr.findall(qn("w:ind")):
        ppr.remove(el)
    divider.alignment = WD_ALIGN_PARAGRAPH.CENTER
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        ppr.append(spacing)
    spacing.set(qn("w:before"), str(g.LINE_PITCH_TWIPS * 7))
    spacing.set(qn("w:line"), str(g.TITLE_PT * 20 * 2))
    spacing.set(qn("w:lineRule"), "exact")
    for r in divider.runs:
        g.set_run_fonts(r, g.TITLE_FONT, size_pt=26)
    count = sum(len(i.entries) for i in part.indicators)
    g.paragraph(doc, f"（含 {len(part.indicators)} 项指标，{count} 份材料）", indent=False, align="center",
                font=g.HEADING2_FONT)
    # the catalogue of this level-1 indicator, on the next page
    g.heading(doc, f"{part.heading} 佐证材料目录", 0, page_break_before=True)
    for j, ind in enumerate(part.indicators):
        g.heading(doc, ind.heading, 2)
        if not ind.entries:
            g.paragraph(doc, "（暂无材料）")
            continue
        rows = []
        for k, e in enumerate(ind.entries):
            page = pages.entry.get((pi, j, k), "") if pages else ""
            rows.append([e.number, e.label, e.doc_number, page])
        g.table(doc, ["序号", "材料名称", "文号", "页码"], rows, widths_mm=[16, 86, 38, 16],
                align=["center", "left", "left", "center"])


def _part_doc(part: Level1Part, pi: int, pages: Pages | None, *, export_date: dt.date,
              start_page: int | None, by_position: bool = False):
    doc = g.new_document(export_date=export_date, title=part.heading)
    if start_page is not None:
        g.setup_section(doc.sections[0], first_page_number=start_page,
                        swap_sides=by_position and start_page % 2 == 0)
    _part_body(doc, part, pi, pages, first=True)
    return doc


def word_binder(binder: Binder, *, county: str, framework: str, export_date: dt.date,
                pages: Pages | None = None):
    """The whole binder as one Word document (cover, contents, dividers, catalogues)."""
    doc = _front(binder, county=county, framework=framework, export_date=export_date,
                 pages=pages, first_part=0)
    for i, part in enumerate(binder.parts):
        g.new_section(doc)
        _part_body(doc, part, i, pages, first=True)
    return doc


def _placeholder_doc(items: Sequence[tuple[Entry, str, str, int | None]], *, export_date: dt.date,
                     by_position: bool = False):
    """One page per file that cannot be merged: its name, where it is, why."""
    doc = g.new_document(export_date=export_date, title="无法合并的材料")
    for n, (e, why_zh, _why_en, page) in enumerate(items):
        # page n of this document is a right-hand page for LibreOffice when n is even
        swap = by_position and page is not None and (n % 2 == 0) != (page % 2 == 1)
        if n:
            g.new_section(doc, first_page_number=page, swap_sides=swap)
        elif page is not None:
            g.setup_section(doc.sections[0], first_page_number=page, swap_sides=swap)
        g.paragraph(doc, "", indent=False, line_twips=g.LINE_PITCH_TWIPS * 4)
        g.heading(doc, f"{e.number} {e.label}", 0)
        g.paragraph(doc, "此份材料无法并入本册，请查阅材料包中的原文件：", indent=True)
        g.paragraph(doc, e.bundle_path, indent=False, align="center", font=g.HEADING2_FONT)
        g.paragraph(doc, f"原文件名：{e.original_name}", indent=True)
        g.paragraph(doc, f"原因：{why_zh}", indent=True)
    return doc


# --- the result -------------------------------------------------------------------------------


@dataclass
class Placeholder:
    binder: str
    bundle_path: str
    reason_zh: str
    reason_en: str


@dataclass
class BinderResult:
    outdir: str
    docx: list[str] = field(default_factory=list)
    pdf: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    converter: str | None = None
    message_zh: str = ""
    message_en: str = ""
    placeholders: list[Placeholder] = field(default_factory=list)
    font_notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "outdir": self.outdir, "docx": self.docx, "pdf": self.pdf, "pages": self.pages,
            "converter": self.converter,
            "message": f"{self.message_zh} ({self.message_en})" if self.message_zh else "",
            "placeholders": [p.__dict__ for p in self.placeholders], "font_notes": self.font_notes,
        }


# --- PDF assembly --------------------------------------------------------------------------------


@dataclass
class _Evidence:
    entry: Entry
    key: tuple[int, int, int]
    pdf: Path | None = None
    why: tuple[str, str] | None = None
    pages: int = 0

    @property
    def reason(self) -> tuple[str, str]:
        """Why this entry is a placeholder page (Chinese, English); `why` is set whenever
        `pdf` is None once the PDFs are gathered."""
        return self.why or ("无法并入 PDF", "cannot be merged into the PDF")


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    r = PdfReader(str(path))
    if r.is_encrypted:
        try:
            if not r.decrypt(""):
                raise ValueError("encrypted")
        except Exception as e:  # pypdf raises several kinds
            raise ValueError("encrypted") from e
    return len(r.pages)


class _Assembler:
    def __init__(self, binder: Binder, work: Path, path_for: PathFor, converter: Converter, *,
                 county: str, framework: str, export_date: dt.date, timeout: float,
                 progress: Progress, cancel: Callable[[], bool]) -> None:
        self.binder, self.work, self.path_for, self.conv = binder, work, path_for, converter
        self.county, self.framework, self.date = county, framework, export_date
        self.timeout, self.progress, self.cancel = timeout, progress, cancel
        self.evidence: list[list[_Evidence]] = []     # per level-1 part
        self.final_pages: Pages | None = None

    def _check(self) -> None:
        if self.cancel():
            raise Cancelled()

    def prepare_evidence(self) -> None:
        """Evidence to PDF: PDFs checked, images made pages, office files converted."""
        ev_dir = self.work / "evidence"
        ev_dir.mkdir()
        jobs: list[tuple[_Evidence, Job]] = []
        total = sum(len(i.entries) for p in self.binder.parts for i in p.indicators)
        done = 0
        for pi, part in enumerate(self.binder.parts):
            lst: list[_Evidence] = []
            for j, ind in enumerate(part.indicators):
                for k, e in enumerate(ind.entries):
                    self._check()
                    ev = _Evidence(e, (pi, j, k))
                    src = Path(self.path_for(e.sha256))
                    label = e.original_name or e.bundle_path
                    if e.ext == ".pdf":
                        try:
                            _pdf_pages(src)
                            ev.pdf = src
                        except Exception:  # noqa: BLE001 - damaged, encrypted
                            ev.why = ("PDF 文件已加密或已损坏，无法合并", "the PDF is encrypted or damaged")
                    elif e.ext in IMAGE_EXTS:
                        try:
                            ev.pdf = image_to_pdf(src, ev_dir / f"{pi}-{j}-{k}.pdf", max_bytes=None,
                                                  name=label).path
                        except ConversionError as err:
                            ev.why = (err.zh, err.en)
                    elif e.ext == ".ofd":
                        ev.why = ("OFD 版式文件无法转换为 PDF，请用 OFD 阅读器打开原文件打印",
                                  "OFD files cannot be made PDF; print the original with an OFD reader")
                    elif e.ext in OFFICE_EXTS and self.conv.handles(e.ext):
                        if e.ext in FIT_SHEET_EXTS:  # one page wide, dates readable (a copy)
                            src = fit_sheet_for_print(src, ev_dir / f"{pi}-{j}-{k}-print{e.ext}")
                        jobs.append((ev, Job(src, ev_dir / f"{pi}-{j}-{k}.pdf", e.ext, label)))
                    else:
                        ev.why = (f"{e.ext or '无扩展名'} 文件无法并入 PDF",
                                  f"{e.ext or 'extensionless'} files cannot be merged into a PDF")
                    lst.append(ev)
                    done += 1
                    self.progress(done, total, label)
            self.evidence.append(lst)
        if jobs:
            results = self.conv.to_pdf_many([j for _, j in jobs], timeout=self.timeout,
                                            cancel=self.cancel)
            for (ev, _), r in zip(jobs, results):
                if isinstance(r, Exception):
                    ev.why = (r.zh, r.en)
                else:
                    ev.pdf = r
        for lst in self.evidence:
            for ev in lst:
                if ev.pdf is not None:
                    try:
                        ev.pages = _pdf_pages(ev.pdf)
                    except Exception:  # noqa: BLE001 - pypdf raises many kinds on a damaged PDF: a placeholder
                        ev.pdf, ev.why = None, ("转换后的 PDF 无法读取", "the converted PDF cannot be read")

    def _layout(self, front: int, parts: list[int]) -> tuple[Pages, dict[tuple, int]]:
        """Page numbers of everything given the Word parts' page counts; placeholders: 1 page."""
        pages = Pages()
        at = 1 + front
        ph_pages = {}
        for pi, part in enumerate(self.binder.parts):
            pages.level1[pi] = at
            pages.part_start[pi] = at
            at += parts[pi]
            for ev in self.evidence[pi]:
                pi_, j, k = ev.key
                pages.entry[ev.key] = at
                pages.indicator.setdefault((pi_, j), at)
                if ev.pdf is None:
                    ph_pages[ev.key] = at
                    at += 1
                else:
                    at += ev.pages
            for j in range(len(part.indicators)):
                pages.indicator.setdefault((pi, j), pages.level1[pi] + 1)  # its catalogue
        return pages, ph_pages

    def _word_parts(self, pages: Pages | None, ph_pages: dict | None, tag: str) -> list[Path]:
        d = self.work / tag
        d.mkdir()
        out = []
        front = _front(self.binder, county=self.county, framework=self.framework,
                       export_date=self.date, pages=pages, first_part=0)
        front.save(str(d / "front.docx"))
        out.append(d / "front.docx")
        for pi, part in enumerate(self.binder.parts):
            doc = _part_doc(part, pi, pages, export_date=self.date,
                            start_page=pages.part_start[pi] if pages else None,
                            by_position=self.conv.sides_by_position)
            doc.save(str(d / f"part{pi:03d}.docx"))
            out.append(d / f"part{pi:03d}.docx")
        ph = [(ev.entry, ev.reason[0], ev.reason[1], (ph_pages or {}).get(ev.key))
              for lst in self.evidence for ev in lst if ev.pdf is None]
        if ph:
            _placeholder_doc(ph, export_date=self.date, by_position=self.conv.sides_by_position
                             ).save(str(d / "placeholders.docx"))
            out.append(d / "placeholders.docx")
        return out

    def _convert(self, docs: list[Path]) -> list[Path]:
        results = self.conv.to_pdf_many([Job(p, p.with_suffix(".pdf")) for p in docs],
                                        timeout=self.timeout, cancel=self.cancel)
        out = []
        for r in results:
            if isinstance(r, Exception):
                raise ArchiveError(f"装订册的 Word 部分转换失败：{r.zh}",
                                   f"converting the binder's Word parts failed: {r.en}")
            out.append(r)
        return out

    def build(self, dest: Path) -> int:
        """Convert, measure, number, convert again, merge; returns the page count."""
        self.prepare_evidence()
        nparts = len(self.binder.parts)
        pdfs = self._convert(self._word_parts(None, None, "pass1"))
        counts = [_pdf_pages(p) for p in pdfs]
        for n in range(2, MAX_PASSES + 1):
            self._check()
            pages, ph_pages = self._layout(counts[0], counts[1:1 + nparts])
            pdfs = self._convert(self._word_parts(pages, ph_pages, f"pass{n}"))
            new = [_pdf_pages(p) for p in pdfs]
            if new[:1 + nparts] == counts[:1 + nparts]:
                break
            counts = new  # a table of contents grew by a page: number again
        self.final_pages = pages
        return self._merge(pdfs, pages, dest)

    def _merge(self, pdfs: list[Path], pages: Pages, dest: Path) -> int:
        from pypdf import PdfReader, PdfWriter

        nparts = len(self.binder.parts)
        w = PdfWriter()
        w.append(str(pdfs[0]), import_outline=False)
        w.add_outline_item(title="封面与目录", page_number=0)
        placeholders = PdfReader(str(pdfs[-1])) if len(pdfs) > 1 + nparts else None
        ph_index = 0
        for pi, part in enumerate(self.binder.parts):
            self._check()
            start = len(w.pages)
            w.append(str(pdfs[1 + pi]), import_outline=False)
            top = w.add_outline_item(title=part.heading, page_number=start)
            catalogue_page = start + 1 if len(w.pages) > start + 1 else start
            w.add_outline_item(title="佐证材料目录", page_number=catalogue_page, parent=top)
            for j, ind in enumerate(part.indicators):
                first = len(w.pages)
                placed = []
                for ev in (e for e in self.evidence[pi] if e.key[1] == j):
                    placed.append((ev, len(w.pages)))
                    if ev.pdf is not None:
                        w.append(str(ev.pdf), import_outline=False)
                    else:
                        assert placeholders is not None  # made whenever an entry has no PDF
                        w.add_page(placeholders.pages[ph_index])
                        ph_index += 1
                # outline items once their pages exist; an indicator without evidence
                # points at its catalogue
                item = w.add_outline_item(title=ind.heading, page_number=first if placed else catalogue_page,
                                           parent=top)
                for ev, at in placed:
                    w.add_outline_item(title=f"{ev.entry.number} {ev.entry.label}", page_number=at, parent=item)
        w.page_mode = "/UseOutlines"
        w.add_metadata({"/Title": f"{BINDER_TITLE}{self.binder.volume}", "/Producer": "Evidence Desk",
                        "/CreationDate": self.date.strftime("D:%Y%m%d000000")})
        partial = dest.with_name(dest.name + ".partial")
        with open(partial, "wb") as f:
            w.write(f)
        os.replace(partial, dest)
        return len(w.pages)


def make_binders(
    source: BundleSource,
    path_for: PathFor,
    outdir: str | os.PathLike[str],
    *,
    export_date: dt.date,
    level1_of: Mapping[int, tuple[str, str]] | None = None,
    county: str = "",
    converter: Converter | None = None,
    per_level1: bool = False,
    timeout: float = 180.0,
    progress: Progress = _no_progress,
    cancel: Callable[[], bool] = _never,
) -> BinderResult:
    """Write the Word binder(s) into `outdir` (new or empty), and with a `converter` one PDF
    per binder. Works in a hidden partial folder renamed into place at the end."""
    target = Path(outdir).absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ArchiveError(f"输出文件夹已存在且不是空的：{target}（请选择新的或空的文件夹）",
                           f"the output folder exists and is not empty: {target} (choose a new or empty folder)")
    if not source.indicators:
        raise ArchiveError("没有可装订的指标（档案库中还没有指标体系）",
                           "nothing to bind (the archive has no indicator framework yet)")
    parts = binder_parts(source, level1_of)
    binders = plan_binders(parts, per_level1=per_level1)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:8]}"
    partial.mkdir()
    result = BinderResult(str(target), converter=converter.describe() if converter else None)
    try:
        for b in binders:
            if cancel():
                raise Cancelled()
            pdf_path = partial / f"{b.name}.pdf"
            pages = None
            if converter is not None:
                work = partial / f".work-{uuid.uuid4().hex[:8]}"
                work.mkdir()
                try:
                    asm = _Assembler(b, work, path_for, converter, county=county,
                                     framework=source.framework_name, export_date=export_date,
                                     timeout=timeout, progress=progress, cancel=cancel)
                    n = asm.build(pdf_path)
                    result.pages.append(n)
                    result.pdf.append(str(target / pdf_path.name))
                    for lst in asm.evidence:
                        for ev in lst:
                            if ev.pdf is None:
                                result.placeholders.append(
                                    Placeholder(b.name, ev.entry.bundle_path, *ev.reason))
                    pages = asm.final_pages   # the Word binder carries the PDF's page numbers
                finally:
                    shutil.rmtree(work, ignore_errors=True)
            doc = word_binder(b, county=county, framework=source.framework_name,
                              export_date=export_date, pages=pages)
            doc.save(str(partial / f"{b.name}.docx"))
            result.docx.append(str(target / f"{b.name}.docx"))
        if converter is None:
            result.message_zh, result.message_en = missing_converter_message()
        else:
            result.font_notes = fonts.substitution_notes()
        if target.is_dir():
            target.rmdir()
        os.replace(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return result


__all__ = ["BINDER_TITLE", "Binder", "BinderResult", "Entry", "IndicatorPart", "Level1Part",
           "Placeholder", "binder_parts", "make_binders", "plan_binders", "word_binder"]
