"""The generated documents of the bundle ("00 申报文件"): Word (python-docx, GB/T 9704 base
from `exporters.gbt9704`) and Excel (openpyxl).

    01 申报表.docx          the application form with the county's basic facts
    02 自评报告.docx        a section per indicator: max score, self score, description,
                            target vs actual, deduction note, the evidence by bundle number
    03 佐证材料目录.docx    indicator → numbered files with 文号, date, issuing body, bundle path
    04 自评得分表.xlsx      指标 | 分值 | 自评得分 | 扣分说明, totals as SUM formulas, veto check
    05 工作责任分解表.xlsx  the responsibility table with progress (exporters.duties_xlsx)
    06 佐证材料清单.xlsx    every evidence file with size and SHA-256

`build_documents` makes them all as bytes. Deterministic: every file's core properties
(created, modified, last printed, revision) and zip entry times are pinned to the export date
(`documents_ooxml.pin_ooxml`), so the same archive and export date give the same bytes.

Pure: read models and the bundle plan in, bytes out; no SQLAlchemy, no Qt.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from exporters import gbt9704 as g
from exporters.bundle import BundlePlan, GeneratedFile
from exporters.documents_catalogue import CatalogueGroup, catalogue, date_text
from exporters.documents_ooxml import export_moment, pin_ooxml
from exporters.duties_xlsx import write_duties_xlsx
from exporters.evidence_list_xlsx import evidence_list_workbook
from exporters.selfscore_xlsx import self_score_workbook
from storage.kernel.official import official_name
from storage.readmodels import AssessmentRow, BundleSource, DocumentsSource, DutiesTable

if TYPE_CHECKING:  # python-docx loads when the documents are made
    from docx.document import Document as DocxDocument

APPLICATION = "01 申报表.docx"
REPORT = "02 自评报告.docx"
CATALOGUE = "03 佐证材料目录.docx"
SELF_SCORE = "04 自评得分表.xlsx"
DUTIES = "05 工作责任分解表.xlsx"
EVIDENCE_LIST = "06 佐证材料清单.xlsx"
DOCUMENT_NAMES = (APPLICATION, REPORT, CATALOGUE, SELF_SCORE, DUTIES, EVIDENCE_LIST)

TABLE_PT = 10.5          # 五号: tables
SMALL_PT = 12            # 小四
VETO_ZH = {"clear": "☑ 未发生", "violated": "☒ 已发生", "unchecked": "□ 未核查"}
TARGET_ZH = {"met": "达标", "not_met": "未达标", "unknown": "未填实际值"}
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (headings 一、（一）)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def score_text(v: float | None) -> str:
    if v is None:
        return ""
    return f"{v:g}"


def _save(doc: DocxDocument, export_date: dt.date, splices: Splices | None = None) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    patch = {DOCUMENT_XML: splices.apply} if splices and splices.parts else None
    return pin_ooxml(buf.getvalue(), export_moment(export_date), patch)


DOCUMENT_XML = "word/document.xml"
_MARK = re.compile(rb"<!--evidence-desk-splice-(\d+)-->")


class Splices:
    """Long runs of table rows or paragraphs written as XML text and put into
    word/document.xml when it is saved, at comments left in the tree (`marker`).

    For thousands of rows python-docx's way (a copied element per row, its cells found
    through python-docx's element classes, then lxml serialising it all) took most of the
    documents' time; the text here is what lxml writes for the same elements (`_fill`), so
    the bytes are the same (tests/test_speed_documents.py)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def marker(self, xml: str):
        """A comment to put into the tree where `xml` belongs."""
        from lxml import etree

        self.parts.append(xml)
        return etree.Comment(f"evidence-desk-splice-{len(self.parts) - 1}")

    def apply(self, document_xml: bytes) -> bytes:
        """word/document.xml with every marker replaced by its XML."""
        return _MARK.sub(lambda m: self.parts[int(m[1])].encode("utf-8"), document_xml)


def _sample_note(doc: DocxDocument, src: DocumentsSource) -> None:
    if src.is_sample:
        g.paragraph(doc, "【示例数据，非官方内容】", indent=False, align="center", bold=True)


def _merge_row(table, row_idx: int, text: str, *, bold: bool = True) -> None:
    """Merge a table row into one cell holding `text` (a group heading in the catalogue)."""
    row = table.rows[row_idx]
    cells = row.cells
    merged = cells[0].merge(cells[-1])
    for p in merged.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    p = merged.paragraphs[0]
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    g.add_run(p, text, font=g.HEADING1_FONT if bold else g.BODY_FONT, size_pt=TABLE_PT)
    p.alignment = 0


# --- 申报表 ------------------------------------------------------------------------------------


def application_form(src: DocumentsSource, groups: Sequence[CatalogueGroup], export_date: dt.date) -> bytes:
    c = src.county
    doc = g.new_document(export_date=export_date, title="申报表")
    g.heading(doc, f"{c.name}申报表" if c.name else "申报表", 0)
    g.paragraph(doc, f"（{official_name(src.framework_name, c.name)}）", indent=False, align="center",
                size_pt=SMALL_PT)
    _sample_note(doc, src)
    sheet = src.scores
    files = sum(len(gr.rows) for gr in groups)
    items = len({r.evidence_id for gr in groups for r in gr.rows})
    gdp = "；".join(f"{y}年 {v}" for y, v in sorted(c.gdp, reverse=True))
    rows: list[tuple[str, str]] = [
        ("申报单位（县、市、区）", c.name),
        ("常住人口（万人）", c.population),
        ("面积（平方公里）", c.area),
        ("地区生产总值（亿元）", gdp),
    ]
    rows += [(role or "负责同志", name) for role, name in c.leaders]
    rows += [
        ("联系单位", c.contact_unit), ("联系人", c.contact_name), ("联系电话", c.contact_phone),
    ]
    rows += list(c.extra)
    rows += [
        ("评价指标体系", official_name(src.framework_name, c.name)),
        ("评价期", f"{date_text(src.period_start)}至{date_text(src.period_end)}"
         if src.period_start and src.period_end else ""),
        ("数据截止日期", date_text(src.data_cutoff)),
        ("自评总分", f"{sheet.self_total:g} 分（满分 {sheet.max_total:g} 分）"),
        ("佐证材料", f"{len(groups)} 个指标，{items} 份材料，{files} 个文件"),
        ("申报日期", date_text(export_date)),
    ]
    g.table(doc, ("项目", "内容"), rows, widths_mm=(52, 104), size_pt=SMALL_PT, align=("center", "left"))
    g.paragraph(doc, "")
    g.paragraph(doc, "申报单位（盖章）：", indent=False)
    g.paragraph(doc, "年　　月　　日", indent=False, align="right")
    return _save(doc, export_date)


# --- 自评报告 ----------------------------------------------------------------------------------


def _level1_totals(rows: Sequence[AssessmentRow]) -> dict[int, tuple[float, float]]:
    """level-1 indicator id → (max, self) summed over its leaves."""
    parent = {r.indicator_id: r.parent_id for r in rows}
    out: dict[int, list[float]] = {}
    for r in rows:
        if not r.is_leaf:
            continue
        top = r.indicator_id
        while (up := parent.get(top)) is not None:
            top = up
        acc = out.setdefault(top, [0.0, 0.0])
        acc[0] += r.max_score or 0
        acc[1] += r.self_score or 0
    return {k: (round(a, 2), round(b, 2)) for k, (a, b) in out.items()}


def self_evaluation_report(src: DocumentsSource, groups: Sequence[CatalogueGroup],
                           export_date: dt.date) -> bytes:
    c = src.county
    sheet = src.scores
    doc = g.new_document(export_date=export_date, title="自评报告")
    g.heading(doc, f"{c.name}自评报告" if c.name else "自评报告", 0)
    _sample_note(doc, src)
    leaves = sheet.leaves
    veto = [r for r in leaves if r.is_veto]
    g.paragraph(doc, (f"依据《{official_name(src.framework_name, c.name)}》，" if src.framework_name else "")
                + f"对照 {len(leaves)} 项末级指标逐项自评，自评总分 {sheet.self_total:g} 分（满分 "
                f"{sheet.max_total:g} 分）。"
                + (f"一票否决项 {len(veto)} 项，" + "、".join(
                    f"{r.code}{VETO_ZH[r.veto_state][2:]}" for r in veto) + "。" if veto else ""))
    totals = _level1_totals(sheet.rows)
    level1 = [r for r in sheet.rows if r.parent_id is None]
    g.table(doc, ("一级指标", "分值", "自评得分"),
            [(f"{r.code} {r.title}".strip(), score_text(totals.get(r.indicator_id, (0, 0))[0]),
              score_text(totals.get(r.indicator_id, (0, 0))[1])) for r in level1]
            + [("合计", score_text(sheet.max_total), score_text(sheet.self_total))],
            widths_mm=(96, 30, 30), size_pt=SMALL_PT, align=("left", "center", "center"))

    files_by_ind = {gr.indicator_id: gr for gr in groups}
    splices = Splices()
    counters: dict[int | None, int] = {}
    for r in sheet.rows:
        n = counters[r.parent_id] = counters.get(r.parent_id, 0) + 1
        if r.level <= 1 and r.parent_id is None:
            mx, sc = totals.get(r.indicator_id, (r.max_score or 0, 0))
            g.heading(doc, f"{chinese_number(n)}、{r.title}（分值 {mx:g} 分，自评得分 {sc:g} 分）", 1)
        elif r.level == 2 and not r.is_leaf:
            g.heading(doc, f"（{chinese_number(n)}）{r.title}", 2)
        else:
            g.heading(doc, f"{r.code} {r.title}".strip(), 3 if r.level >= 2 else 2)
        if not r.is_leaf:
            continue
        _leaf_section(doc, r, files_by_ind.get(r.indicator_id), splices)
    return _save(doc, export_date, splices)


def _leaf_section(doc: DocxDocument, r: AssessmentRow, group: CatalogueGroup | None,
                  splices: Splices) -> None:
    marks = ("关键项；" if r.is_key else "") + ("一票否决项；" if r.is_veto else "")
    if r.is_veto:
        g.paragraph(doc, f"{marks}核查结果：{VETO_ZH[r.veto_state][2:]}。")
    else:
        g.paragraph(doc, f"{marks}分值：{score_text(r.max_score) or '—'} 分；自评得分："
                    f"{score_text(r.self_score) or '（未自评）'}" + (" 分。" if r.self_score is not None else "。"))
    if r.scoring_rule:
        g.paragraph(doc, f"评分标准：{r.scoring_rule}")
    if r.target_state:
        target = r.target_text or f"{r.target_comparator}{score_text(r.target_value)}{r.target_unit}"
        actual = f"{score_text(r.actual_value)}{r.target_unit}" if r.actual_value is not None else "（未填）"
        g.paragraph(doc, f"目标值：{target}；实际值：{actual}；{TARGET_ZH[r.target_state]}。")
    g.paragraph(doc, f"完成情况：{r.description or '（未填写）'}")
    if r.deduction_note:
        g.paragraph(doc, f"扣分说明：{r.deduction_note}")
    if group is None or not group.rows:
        g.paragraph(doc, "佐证材料：（暂无）")
        return
    rows = group.rows
    g.paragraph(doc, f"佐证材料（{len(rows)} 个文件，见材料包“{group.folder}”文件夹）：")
    # One paragraph per file. python-docx's add_paragraph looks for the body's sectPr among
    # all its children each time, which makes thousands of rows quadratic; so the first
    # plain one is made as usual and the following ones are its XML with their text filled
    # in (`_fill`), put into the saved document right after the previous paragraph.
    parts: list[str] | None = None
    last = None
    batch: list[str] = []

    def flush() -> None:
        nonlocal last
        if batch and last is not None:
            mark = splices.marker("".join(batch))
            last.addnext(mark)
            last = mark
        batch.clear()

    for row in rows:
        extra = "，".join(x for x in (row.doc_number if row.doc_number not in row.name else "",
                                     date_text(row.issue_date), row.issuing_body) if x)
        text = f"{row.number}　{row.name}" + (f"（{extra}）" if extra else "")
        if parts is None or not _plain_text(text):
            flush()
            last = g.paragraph(doc, text, size_pt=SMALL_PT)._p
            if parts is None and _plain_text(text):
                parts = _xml_parts(copy.deepcopy(last), 1)
            continue
        batch.append(_fill(parts, (text,)))
    flush()


def _plain_text(text: str) -> bool:
    """Text python-docx writes as one w:t (no tabs, line or page breaks), so the template
    paragraph with its w:t text filled in (`_fill`) is what `g.paragraph` would have made."""
    return text != "" and not any(c in text for c in "\t\n\r")


# --- 佐证材料目录 --------------------------------------------------------------------------------


CATALOGUE_HEADER = ("序号", "材料名称", "文号", "成文日期", "发文单位", "材料包中的位置")
CATALOGUE_WIDTHS = (12, 46, 26, 20, 22, 30)


def evidence_catalogue(src: DocumentsSource, groups: Sequence[CatalogueGroup], export_date: dt.date) -> bytes:
    doc = g.new_document(export_date=export_date, title="佐证材料目录")
    g.heading(doc, f"{src.county.name}佐证材料目录", 0)
    g.paragraph(doc, f"（{official_name(src.framework_name, src.county.name)}）", indent=False,
                align="center", size_pt=SMALL_PT)
    _sample_note(doc, src)
    body: list[tuple[str, ...]] = []
    group_rows: list[tuple[int, str]] = []
    for gr in groups:
        label = f"{gr.code} {gr.title}".strip() + ("（关键项）" if gr.is_key else "") + \
            ("（一票否决项）" if gr.is_veto else "")
        group_rows.append((len(body) + 1, label + ("" if gr.rows else "　（暂无材料）")))
        body.append(("",) * len(CATALOGUE_HEADER))
        for r in gr.rows:
            body.append((r.number, r.name, r.doc_number, date_text(r.issue_date), r.issuing_body,
                         r.bundle_path))
    splices = Splices()
    _fast_table(doc, CATALOGUE_HEADER, body, CATALOGUE_WIDTHS,
                ("center", "left", "left", "center", "left", "left"), headings=dict(group_rows),
                splices=splices)
    return _save(doc, export_date, splices)


def _fast_table(doc: DocxDocument, header: Sequence[str], rows: Sequence[Sequence[str]],
                widths_mm: Sequence[float], align: Sequence[str],
                headings: Mapping[int, str] | None = None, *, splices: Splices):
    """A GB/T-styled table like `gbt9704.table` (header repeated, rows kept whole, East
    Asian font on every run) whose body rows are XML text from one template row, put into
    the saved document (`splices`): python-docx's `table.rows[i]` and `cell.merge` walk
    every row (quadratic), and even a copied element per row took most of the time.

    `headings` maps a body row's index (1 = first row under the header) to the text of a
    group heading: that row is one merged cell (as `_merge_row` makes it), from a heading
    template made once, so the cost stays linear in the rows."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn

    t = g.table(doc, header, [], widths_mm=widths_mm, size_pt=TABLE_PT, align=align)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    # LibreOffice and WPS lay columns out by the table grid, not the cell widths
    for col, w in zip(t._tbl.tblGrid.iterchildren(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(int(w / 25.4 * 1440)))
    template = _row_template(t, widths_mm, align)
    heading_template = _heading_template(t, template) if headings else None
    headings = headings or {}
    # Every row is the template row's XML with its texts filled in (`_fill`), put into the
    # saved document at a marker (`splices`): no element per row, nothing for lxml to write.
    row_parts = _xml_parts(template, len(header))
    heading_parts = _xml_parts(heading_template, 1) if heading_template is not None else None
    xml: list[str] = []
    for idx, values in enumerate(rows, 1):
        label = headings.get(idx)
        if label is not None and heading_parts is not None:
            xml.append(_fill(heading_parts, (label,)))
        else:
            xml.append(_fill(row_parts, ["" if v is None else str(v) for v in values]))
    if xml:
        t._tbl.append(splices.marker("".join(xml)))
    return t


_W_T = "<w:t></w:t>"
_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_parts(tr, n_texts: int) -> list[str]:
    """The element `tr` (a template row or paragraph) as the XML text lxml writes for it
    inside the document (no namespace declarations of its own), split at its `n_texts`
    w:t elements, emptied."""
    from lxml import etree

    for t_el in tr.iter(_T):
        t_el.text = ""
        t_el.attrib.pop(_SPACE, None)
    text = etree.tostring(tr, encoding="unicode")
    for prefix, uri in tr.nsmap.items():
        text = text.replace(f' xmlns:{prefix}="{uri}"' if prefix else f' xmlns="{uri}"', "", 1)
    parts = text.split(_W_T)
    if len(parts) != n_texts + 1:
        raise ValueError("the template must hold one w:t per text")
    return parts


def _xml_text(text: str) -> str:
    """`text` as lxml writes an element's text: &, < and > escaped, CR as &#13;. Control
    characters are refused, as lxml refuses them when a text is set."""
    if not _SPECIAL.search(text):
        return text
    if _NOT_XML.search(text):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or "
                         "control characters")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _fill(parts: Sequence[str], texts: Sequence[str]) -> str:
    """The template's XML with `texts` in its w:t elements, set as python-docx sets a run's
    text (xml:space="preserve" when it has spaces at either end); missing ones stay empty."""
    out = [parts[0]]
    texts = [*texts, *[""] * (len(parts) - 1 - len(texts))]
    for text, after in zip(texts, parts[1:]):
        body = _xml_text(text)
        out.append(f'<w:t xml:space="preserve">{body}</w:t>' if text != text.strip() else f"<w:t>{body}</w:t>")
        out.append(after)
    return "".join(out)


def _heading_template(t, template):
    """A body row merged into one cell with a heading run (as `_merge_row` leaves it), made
    once on a table holding only the header, so merging it costs nothing; copied per heading."""
    tbl = t._tbl
    tbl.append(copy.deepcopy(template))
    _merge_row(t, len(tbl.tr_lst) - 1, "\u200b")
    tr = tbl.tr_lst[-1]
    tbl.remove(tr)
    return tr


def _row_template(t, widths_mm: Sequence[float], align: Sequence[str]):
    """One body row (cantSplit, widths, paragraph spacing and fonts as gbt9704.table makes
    them) to copy for every row."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    row = t.add_row()
    tr = row._tr
    tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for i, cell in enumerate(row.cells):
        cell.width = Mm(widths_mm[i])
        g._cell_text(cell, "\u200b", font=g.BODY_FONT, size_pt=TABLE_PT, bold=False, align=align[i])
    t._tbl.remove(tr)
    for t_el in tr.iter(qn("w:t")):
        t_el.text = ""
    return tr


# --- everything ----------------------------------------------------------------------------------


def build_documents(src: DocumentsSource, source: BundleSource, plan: BundlePlan,
                    duties: DutiesTable | None, export_date: dt.date) -> list[GeneratedFile]:
    """All generated documents of the bundle, as (name, bytes), in their folder's order.

    `plan` is the evidence plan (`plan_bundle(source)`, before `add_documents`)."""

    meta = {m.evidence_id: m for m in src.evidence}
    groups = catalogue(source, plan, meta)
    docs = [
        GeneratedFile(APPLICATION, application_form(src, groups, export_date)),
        GeneratedFile(REPORT, self_evaluation_report(src, groups, export_date)),
        GeneratedFile(CATALOGUE, evidence_catalogue(src, groups, export_date)),
        GeneratedFile(SELF_SCORE, self_score_workbook(src, export_date)),
    ]
    if duties is not None:
        named = dataclasses.replace(duties, title=official_name(duties.title, src.county.name),
                                    framework_name=official_name(duties.framework_name, src.county.name))
        docs.append(GeneratedFile(DUTIES, duties_workbook(named, export_date)))
    docs.append(GeneratedFile(EVIDENCE_LIST, evidence_list_workbook(src, groups, export_date)))
    return docs


def duties_workbook(duties: DutiesTable, export_date: dt.date) -> bytes:
    with tempfile.TemporaryDirectory(prefix="evidence-desk-") as tmp:
        path = write_duties_xlsx(duties, Path(tmp) / "duties.xlsx")
        data = path.read_bytes()
    return pin_ooxml(data, export_moment(export_date))


__all__ = ["APPLICATION", "CATALOGUE", "DOCUMENT_NAMES", "DUTIES", "EVIDENCE_LIST", "REPORT",
           "SELF_SCORE", "application_form", "build_documents", "chinese_number",
           "duties_workbook", "evidence_catalogue", "self_evaluation_report"]
