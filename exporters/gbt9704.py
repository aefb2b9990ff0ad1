"""python-docx helpers for documents in the GB/T 9704-2012 layout (党政机关公文格式).

What the standard fixes and where it is set here:

- A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so the text
  block is 156 × 225 mm (`new_document`, section properties).
- Body 3号 (16 pt) 仿宋_GB2312, 22 lines per page: line spacing exactly 28.95 pt
  (579 twentieths of a point; 225 mm / 22 = 28.99 pt, and 28.95 pt is the value Word
  templates for 公文 use so that 22 lines fit), and the section's document grid with the
  same pitch (`w:docGrid w:linePitch="579"`).
- Titles 2号 (22 pt) 方正小标宋简体; first-level headings 3号 黑体, second-level 3号 楷体_GB2312.
- Page numbers 4号 (14 pt) 宋体 as "— 1 —", odd pages at the right and even pages at the left,
  one character in from the edge, about 7 mm below the text block: two footers and
  `w:evenAndOddHeaders` in the settings.

Fonts: python-docx's `font.name` sets only the Latin font (`w:ascii`/`w:hAnsi`); Chinese text
is drawn with `w:eastAsia`, and the default template's theme attributes (`w:eastAsiaTheme` …)
override explicit names. Every style and every run written here gets all four names set and
the theme attributes removed (`set_run_fonts`). The documents name the GB/T font; the font
table gives Word/WPS/LibreOffice the fallback (`w:altName`, 仿宋 / 宋体) for a PC without it.

No Qt, no storage: plain python-docx.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from exporters import fonts

if TYPE_CHECKING:  # python-docx loads when a document is made, not at the window's start
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

PAGE_W_MM, PAGE_H_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26
TEXT_W_MM = PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM    # 156
TEXT_H_MM = PAGE_H_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM    # 225
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH_TWIPS = 579          # 28.95 pt: exact line spacing and document grid pitch
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14   # 3号, 2号, 4号
HEADER_MM = 15
# The page number's line (14 pt ≈ 5 mm) sits about 7 mm below the text block:
# 35 mm bottom margin - 7 mm - 5 mm ≈ 23 mm from the page's bottom edge to the footer's bottom.
FOOTER_MM = 23
DASH = "\u2014"                # 一字线 "—"

BODY_FONT = fonts.BODY[0]
TITLE_FONT = fonts.TITLE[0]
HEADING1_FONT = fonts.HEADING1[0]
HEADING2_FONT = fonts.HEADING2[0]
PAGE_NUMBER_FONT = fonts.PAGE_NUMBER[0]
LATIN_FONT = fonts.LATIN

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Font table entries: name -> (alternative name, panose, family, pitch). charset 86 = GB2312.
_FONT_TABLE = {
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "modern", "fixed"),
    "仿宋": ("FangSong", "02010609060101010101", "modern", "fixed"),
    "方正小标宋简体": ("宋体", "02000000000000000000", "script", "variable"),
    "宋体": ("SimSun", "02010600030101010101", "auto", "variable"),
    "黑体": ("SimHei", "02010609060101010101", "modern", "fixed"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "modern", "fixed"),
}


# --- low-level: fonts, spacing ------------------------------------------------------------


def _rpr_fonts(rpr, east_asia: str, latin: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


def _set_child(parent, tag: str, **attrs: str):
    """Replace (or add) the child `tag` of `parent` with the given w: attributes."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    old = parent.find(qn(tag))
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    if old is not None:
        old.addprevious(el)
        parent.remove(old)
    else:
        parent.append(el)
    return el


def set_run_fonts(run: Run, east_asia: str = BODY_FONT, *, latin: str = LATIN_FONT,
                  size_pt: float | None = None, bold: bool | None = None) -> Run:
    """Set the East Asian and Latin fonts (and optionally size/bold) on one run."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    rpr = run._r.get_or_add_rPr()
    _rpr_fonts(rpr, east_asia, latin)
    if size_pt is not None:
        run.font.size = Pt(size_pt)
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = OxmlElement("w:szCs")
            rpr.append(szcs)
        szcs.set(qn("w:val"), str(int(round(size_pt * 2))))
    if bold is not None:
        run.font.bold = bold
    return run


def _exact_spacing(ppr, *, line_twips: int = LINE_PITCH_TWIPS, before: int = 0, after: int = 0) -> None:
    _set_child(ppr, "w:spacing", before=str(before), after=str(after), line=str(line_twips),
               lineRule="exact")


def _style_rpr(style, east_asia: str, size_pt: float, *, bold: bool = False) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = style.element
    rpr = el.get_or_add_rPr()
    for child in list(rpr):
        rpr.remove(child)
    _rpr_fonts(rpr, east_asia, LATIN_FONT)
    if bold:
        rpr.append(OxmlElement("w:b"))
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "000000")
    rpr.append(color)
    for tag in ("w:sz", "w:szCs"):
        sz = OxmlElement(tag)
        sz.set(qn("w:val"), str(int(round(size_pt * 2))))
        rpr.append(sz)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)


def _style_ppr(style, *, align: str | None = None, line_twips: int = LINE_PITCH_TWIPS,
               before: int = 0, after: int = 0, outline: int | None = None,
               keep_next: bool = False) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = style.element.get_or_add_pPr()
    for child in list(ppr):
        ppr.remove(child)
    if keep_next:
        ppr.append(OxmlElement("w:keepNext"))
    _exact_spacing(ppr, line_twips=line_twips, before=before, after=after)
    if align:
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), align)
        ppr.append(jc)
    if outline is not None:
        ol = OxmlElement("w:outlineLvl")
        ol.set(qn("w:val"), str(outline))
        ppr.append(ol)


def _strip_theme_fonts(doc: DocxDocument) -> None:
    from docx.oxml.ns import qn

    for rfonts in doc.styles.element.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            if rfonts.get(qn(attr)) is not None:
                del rfonts.attrib[qn(attr)]


def _defaults(doc: DocxDocument) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr_default):
        rpr_default.remove(child)
    _rpr_fonts(rpr_default, BODY_FONT, LATIN_FONT)
    for tag in ("w:sz", "w:szCs"):
        sz = OxmlElement(tag)
        sz.set(qn("w:val"), str(BODY_PT * 2))
        rpr_default.append(sz)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr_default.append(lang)
    ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr_default):
        ppr_default.remove(child)
    _exact_spacing(ppr_default)


def _font_table(doc: DocxDocument) -> None:
    """Declare the GB/T fonts with their fallbacks (w:altName) in word/fontTable.xml."""
    from docx.oxml.ns import qn
    from lxml import etree

    part = next((r.target_part for r in doc.part.rels.values()
                 if r.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, (alt, panose, family, pitch) in _FONT_TABLE.items():
        if name in present:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, val in (("w:altName", alt), ("w:panose1", panose), ("w:charset", "86"),
                         ("w:family", family), ("w:pitch", pitch)):
            el = etree.SubElement(font, qn(tag))
            el.set(qn("w:val"), val)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _settings(doc: DocxDocument) -> None:
    from docx.oxml.ns import qn

    doc.settings.odd_and_even_pages_header_footer = True
    settings = doc.settings.element
    # No spelling squiggles under Chinese names, no "compress punctuation" surprises.
    for rsids in settings.findall(qn("w:rsids")):
        settings.remove(rsids)


def _page_number_paragraph(footer, *, odd: bool) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    ppr = p._p.get_or_add_pPr()
    _exact_spacing(ppr, line_twips=int(PAGE_NUMBER_PT * 20 * 1.2))
    one_char = str(PAGE_NUMBER_PT * 20)
    _set_child(ppr, "w:ind", **({"right": one_char} if odd else {"left": one_char}))
    _set_child(ppr, "w:jc", val="right" if odd else "left")

    def run(text: str | None = None):
        r = p.add_run(text)
        set_run_fonts(r, PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT, size_pt=PAGE_NUMBER_PT)
        return r

    run(f"{DASH} ")
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                        ("end", None)):
        r = run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
        elif instr == " PAGE ":
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = instr
            r._r.append(it)
        else:
            t = OxmlElement("w:t")
            t.text = instr
            r._r.append(t)
    run(f" {DASH}")


def setup_section(section, *, page_numbers: bool = True, first_page_number: int | None = None,
                  number_first_page: bool = True, swap_sides: bool = False) -> None:
    """A4, GB/T margins, grid, footers with "— n —" (odd right, even left).

    `swap_sides`: put the left-hand number in the odd-page footer and the right-hand one in
    the even-page footer. For LibreOffice, which picks the footer by the page's position in
    the document rather than by its number, when a part converted on its own starts at an
    even page number of the merged binder."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance, section.footer_distance = Mm(HEADER_MM), Mm(FOOTER_MM)
    section.gutter = Mm(0)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    for k in list(grid.attrib):
        del grid.attrib[k]
    # "lines", not "linesAndChars": LibreOffice spreads characters apart on a character grid
    # (seen in its PDF output); 28 characters a line are then up to the font's own width.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    if first_page_number is not None:
        pg = sect.find(qn("w:pgNumType"))
        if pg is None:
            pg = OxmlElement("w:pgNumType")
            grid.addprevious(pg)
        pg.set(qn("w:start"), str(first_page_number))
    if page_numbers:
        section.footer.is_linked_to_previous = False
        section.even_page_footer.is_linked_to_previous = False
        _page_number_paragraph(section.footer, odd=not swap_sides)
        _page_number_paragraph(section.even_page_footer, odd=swap_sides)
    section.different_first_page_header_footer = not number_first_page
    if not number_first_page:
        section.first_page_footer.is_linked_to_previous = False
        for p in section.first_page_footer.paragraphs:
            for r in list(p.runs):
                r._r.getparent().remove(r._r)


def _styles(doc: DocxDocument) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = doc.styles
    _style_rpr(styles["Normal"], BODY_FONT, BODY_PT)
    _style_ppr(styles["Normal"], align="both")
    _style_rpr(styles["Title"], TITLE_FONT, TITLE_PT)
    _style_ppr(styles["Title"], align="center", line_twips=int(TITLE_PT * 20 * 1.5),
               after=LINE_PITCH_TWIPS)
    _style_rpr(styles["Heading 1"], HEADING1_FONT, BODY_PT)
    _style_ppr(styles["Heading 1"], outline=0, keep_next=True)
    _style_rpr(styles["Heading 2"], HEADING2_FONT, BODY_PT)
    _style_ppr(styles["Heading 2"], outline=1, keep_next=True)
    _style_rpr(styles["Heading 3"], BODY_FONT, BODY_PT, bold=True)
    _style_ppr(styles["Heading 3"], outline=2, keep_next=True)
    for name in ("TOC Heading",):
        if name in [s.name for s in styles]:
            _style_rpr(styles[name], HEADING1_FONT, BODY_PT)
    for level in (1, 2, 3):
        name = f"toc {level}"
        try:
            st = styles[name]
        except KeyError:
            from docx.enum.style import WD_STYLE_TYPE

            st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            st.base_style = styles["Normal"]
        _style_rpr(st, BODY_FONT, BODY_PT)
        _style_ppr(st)
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str((level - 1) * BODY_PT * 20 * 2))
        st.element.get_or_add_pPr().append(ind)
    _strip_theme_fonts(doc)


def new_document(*, export_date: dt.date | None = None, title: str = "",
                 number_first_page: bool = True) -> DocxDocument:
    """A new Word document in the GB/T 9704-2012 layout (A4, margins, fonts, 22 lines,
    page numbers "— n —" odd right / even left). `export_date` pins the document's
    creation/modification time (the same input gives the same document properties)."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document()
    _defaults(doc)
    _styles(doc)
    _settings(doc)
    _font_table(doc)
    for section in doc.sections:
        setup_section(section, number_first_page=number_first_page)
    cp = doc.core_properties
    stamp = dt.datetime.combine(export_date or dt.date(2000, 1, 1), dt.time(0, 0))
    cp.created = cp.modified = cp.last_printed = stamp
    cp.author = cp.last_modified_by = "Evidence Desk"
    cp.title = title
    cp.revision = 1
    # the template's placeholder paragraph, if any
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        if not "".join(p.itertext()).strip():
            body.remove(p)
    return doc


# --- content ---------------------------------------------------------------------------------


def paragraph(doc_or_cell, text: str = "", *, indent: bool = True, align: str | None = None,
              font: str = BODY_FONT, size_pt: float = BODY_PT, bold: bool = False,
              style: str | None = None, keep_with_next: bool = False,
              page_break_before: bool = False, line_twips: int | None = None) -> Paragraph:
    """A body paragraph: 3号 仿宋_GB2312, first line indented two characters (`indent`),
    justified unless `align` ("left", "center", "right", "both") says otherwise."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc_or_cell.add_paragraph(style=style)
    ppr = p._p.get_or_add_pPr()
    if keep_with_next:
        p.paragraph_format.keep_with_next = True
    if page_break_before:
        p.paragraph_format.page_break_before = True
    if line_twips is not None:
        _exact_spacing(ppr, line_twips=line_twips)
    if indent:
        _set_child(ppr, "w:ind", firstLineChars="200", firstLine=str(int(size_pt * 20 * 2)))
    if align:
        p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT, "both": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    if text:
        add_run(p, text, font=font, size_pt=size_pt, bold=bold)
    return p


def add_run(p: Paragraph, text: str, *, font: str = BODY_FONT, size_pt: float | None = BODY_PT,
            bold: bool = False) -> Run:
    """A run with its East Asian font set (and the Latin font Times New Roman)."""
    r = p.add_run(text)
    set_run_fonts(r, font, size_pt=size_pt, bold=bold or None)
    return r


def heading(doc: DocxDocument, text: str, level: int = 1, *, page_break_before: bool = False,
            bookmark: str | None = None) -> Paragraph:
    """Level 0: the title (2号 小标宋, centred); 1: 黑体 (一、); 2: 楷体 (（一）); 3: 仿宋 bold.
    Levels 1-3 use Word's Heading styles, so a TOC field and PDF bookmarks see them."""
    style, font, size = {
        0: ("Title", TITLE_FONT, TITLE_PT),
        1: ("Heading 1", HEADING1_FONT, BODY_PT),
        2: ("Heading 2", HEADING2_FONT, BODY_PT),
        3: ("Heading 3", BODY_FONT, BODY_PT),
    }[level]
    p = doc.add_paragraph(style=style)
    if page_break_before:
        p.paragraph_format.page_break_before = True
    if level in (1, 2, 3):
        ppr = p._p.get_or_add_pPr()
        _set_child(ppr, "w:ind", firstLineChars="200", firstLine=str(BODY_PT * 20 * 2))
    if bookmark:
        add_bookmark(p, bookmark)
    add_run(p, text, font=font, size_pt=size, bold=(level == 3))
    return p


def add_bookmark(p: Paragraph, name: str) -> None:
    """A bookmark around the paragraph's content (for PAGEREF fields)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    body = p.part.element
    bid = 1 + max((int(b.get(qn("w:id"))) for b in body.iter(qn("w:bookmarkStart"))), default=0)
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bid))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bid))
    p._p.append(start)
    p._p.append(end)


def page_break(doc: DocxDocument) -> None:
    from docx.enum.text import WD_BREAK

    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)


def new_section(doc: DocxDocument, *, first_page_number: int | None = None,
                swap_sides: bool = False) -> None:
    """A new section starting on a new page, with the same GB/T page set-up."""
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    setup_section(section, first_page_number=first_page_number, swap_sides=swap_sides)


def _cell_text(cell, text: str, *, font: str, size_pt: float, bold: bool, align: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = cell.paragraphs[0]
    ppr = p._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert(0, snap)
    _exact_spacing(ppr, line_twips=int(size_pt * 20 * 1.35))
    _set_child(ppr, "w:jc", val=align)
    lines = str(text).split("\n")
    for i, line in enumerate(lines):
        r = add_run(p, line, font=font, size_pt=size_pt, bold=bold)
        if i < len(lines) - 1:
            r.add_break()


def table(doc: DocxDocument, header: Sequence[str], rows: Iterable[Sequence[object]], *,
          widths_mm: Sequence[float] | None = None, size_pt: float = 12,
          font: str = BODY_FONT, header_font: str = HEADING1_FONT,
          align: Sequence[str] | None = None) -> Table:
    """A bordered table across the text block: header row repeated on every page, rows not
    split across pages, every run with its East Asian font. `align` per column ("left",
    "center", "right"); widths default to equal shares of 156 mm."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    rows = [list(r) for r in rows]
    ncols = len(header)
    t = doc.add_table(rows=1 + len(rows), cols=ncols)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    widths = list(widths_mm) if widths_mm else [TEXT_W_MM / ncols] * ncols
    aligns = list(align) if align else ["left"] * ncols
    # Widths in three places: the grid (LibreOffice and WPS lay out by it), each cell (Word),
    # and a fixed layout so long names wrap instead of widening a column.
    for i, w in enumerate(widths):
        for cell in t.columns[i].cells:
            cell.width = Mm(w)
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(Mm(w).twips)))
    tblpr = t._tbl.tblPr
    _set_child(tblpr, "w:tblW", w=str(int(Mm(sum(widths)).twips)), type="dxa")
    _set_child(tblpr, "w:tblLayout", type="fixed")
    hdr = t.rows[0]
    trpr = hdr._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))
    for i, text in enumerate(header):
        _cell_text(hdr.cells[i], text, font=header_font, size_pt=size_pt, bold=False, align="center")
    for r_idx, values in enumerate(rows, start=1):
        row = t.rows[r_idx]
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for i in range(ncols):
            value = values[i] if i < len(values) else ""
            _cell_text(row.cells[i], "" if value is None else str(value), font=font,
                       size_pt=size_pt, bold=False, align=aligns[i])
    return t


# --- fields -----------------------------------------------------------------------------------


def _field_run(p: Paragraph, kind: str | None = None, instr: str | None = None,
               text: str | None = None, *, font: str = BODY_FONT, size_pt: float = BODY_PT) -> Run:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = p.add_run()
    set_run_fonts(r, font, size_pt=size_pt)
    if kind:
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            fld.set(qn("w:dirty"), "true")
        r._r.append(fld)
    elif instr is not None:
        it = OxmlElement("w:instrText")
        it.set(qn("xml:space"), "preserve")
        it.text = instr
        r._r.append(it)
    elif text is not None:
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r._r.append(t)
    return r


def toc(doc: DocxDocument, entries: Sequence[tuple[int, str, str]], *,
        levels: str = "1-2") -> None:
    """A table of contents: a TOC field whose cached result is the static list `entries`
    ((level, text, page text)), so the document is not empty before Word updates fields
    (LibreOffice and WPS show the cached result as is). Word replaces the list with its
    own when the clerk updates the field (F9)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    right_tab = str(int(TEXT_W_MM / 25.4 * 1440))
    paras: list[Paragraph] = []
    for i, (level, text, page) in enumerate(entries or [(1, "（目录）", "")]):
        p = doc.add_paragraph(style=f"toc {min(max(level, 1), 3)}")
        ppr = p._p.get_or_add_pPr()
        tabs = OxmlElement("w:tabs")
        tab = OxmlElement("w:tab")
        tab.set(qn("w:val"), "right")
        tab.set(qn("w:leader"), "dot")
        tab.set(qn("w:pos"), right_tab)
        tabs.append(tab)
        ppr.insert(0, tabs)
        if i == 0:
            _field_run(p, "begin")
            _field_run(p, instr=f' TOC \\o "{levels}" \\h \\z \\u ')
            _field_run(p, "separate")
        add_run(p, text, font=BODY_FONT if level > 1 else HEADING1_FONT)
        if page != "":
            r = add_run(p, "")
            r._r.append(OxmlElement("w:tab"))
            add_run(p, str(page))
        paras.append(p)
    _field_run(paras[-1], "end")


__all__ = [
    "BODY_FONT", "BODY_PT", "CHARS_PER_LINE", "DASH", "FOOTER_MM", "HEADING1_FONT",
    "HEADING2_FONT", "LINES_PER_PAGE", "LINE_PITCH_TWIPS", "MARGIN_BOTTOM_MM", "MARGIN_LEFT_MM",
    "MARGIN_RIGHT_MM", "MARGIN_TOP_MM", "PAGE_NUMBER_FONT", "PAGE_NUMBER_PT", "TITLE_FONT",
    "TITLE_PT", "add_bookmark", "add_run", "heading", "new_document", "new_section",
    "page_break", "paragraph", "set_run_fonts", "setup_section", "table", "toc",
]
