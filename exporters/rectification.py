"""The three rectification (整改) documents a county writes after the province's evaluation:

- 整改方案: a notice in the county's format (GB/T 9704 base, as exporters/reminder_notice.py):
  红头 (the issuing office in red, the 文号, the red rule), the title "关于印发《××县质量强县评价
  反馈问题整改方案》的通知", the covering text, the 落款, then the 方案 itself (总体要求, 整改
  任务, 工作要求) with its item table 序号 / 存在问题 / 整改措施 / 牵头单位 / 配合单位 / 完成时限
  on a landscape page of its own (附件 整改任务清单), as counties lay out a wide list.
- 整改台账: the items as an .xlsx with 状态, 整改进展 and 证明材料, a progress summary row,
  printed landscape to the page width with the header row repeated on every page.
- 整改情况报告: per item the problem, what was done, its status, and the evidence listed by its
  number in the rectification bundle (RectificationEvidence.bundle_number).

Everything comes from `RectificationItem` + `RectificationFacts` read models; the county's name
is `RectificationFacts.county_name` (from 设置), never a placeholder. No Qt, no database.

The structure follows real documents of this kind (the sentences are ours): the 琼中县
"2022年政府质量工作考核存在问题整改方案" with its 整改责任清单 (news item of 2023-07-31 on the
琼中 质量强县 meeting), the 杞县 "创建卫生县城技术评估反馈问题整改报告"
(https://m.wenke99.com/p-10309471.html: the evaluation, the problems, "现将整改情况报告如下",
then per-problem progress) and the 宁波市审计局 report on the rectification of audit findings
(http://sjj.ningbo.gov.cn/art/2023/1/6/art_1229055570_58921710.html: 总体部署, per-problem
整改情况, 下一步工作). See also tests/data/review_docs/SOURCES.md.
"""
from __future__ import annotations

import datetime as dt
import io
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from exporters import gbt9704 as g
from exporters.documents_ooxml import export_moment, fit_to_page_width, pin_ooxml, solid_fill, thin_border
from exporters.duties_xlsx import FIXED_TIME, _save
from storage.kernel.errors import ArchiveError
from storage.readmodels.review import RECTIFY_STATUSES, RectificationFacts, RectificationItem

if TYPE_CHECKING:  # python-docx and openpyxl load when a document is made
    from docx.document import Document as DocxDocument
    from docx.shared import RGBColor
    from docx.text.paragraph import Paragraph
    from openpyxl.worksheet.worksheet import Worksheet

RED = "FF0000"
PLAN_HEADERS = ("序号", "存在问题", "整改措施", "牵头单位", "配合单位", "完成时限")
# landscape text block: 297 - 28 - 26 = 243 mm
PLAN_WIDTHS_MM = (14, 60, 72, 30, 36, 31)
PLAN_ALIGN = ("center", "left", "left", "center", "center", "center")

LEDGER_HEADERS = ("序号", "存在问题", "对应指标", "整改措施", "牵头单位", "配合单位", "完成时限",
                  "状态", "整改进展", "证明材料")
LEDGER_WIDTHS = (6, 34, 18, 34, 14, 14, 14, 12, 30, 28)
STATUS_FILL = {"未开始": "F2F2F2", "整改中": "FFF2CC", "已完成": "E2EFDA", "长期坚持": "DDEBF7"}
OVERDUE_FONT = "C00000"
FONT = "宋体"
HEADER_GREY = "D9D9D9"


# --- words shared by the three documents ------------------------------------------------------


def cn_date(d: dt.date) -> str:
    """2026年3月5日: how a 公文 writes a date."""
    return f"{d.year}年{d.month}月{d.day}日"


def plan_name(facts: RectificationFacts) -> str:
    """《沂水县质量强县评价反馈问题整改方案》 without the book-title marks."""
    return f"{facts.county_name}{facts.programme}评价反馈问题整改方案"


def ledger_name(facts: RectificationFacts) -> str:
    """沂水县质量强县评价反馈问题整改台账."""
    return f"{facts.county_name}{facts.programme}评价反馈问题整改台账"


def office_name(facts: RectificationFacts) -> str:
    """The issuing office: from the facts, else the county's 领导小组办公室."""
    return facts.issuing_office or f"{facts.county_name}{facts.programme}工作领导小组办公室"


def deadline_text(item: RectificationItem) -> str:
    """完成时限 as the documents print it: a date, 长期坚持, or 未定."""
    if item.deadline is not None:
        return cn_date(item.deadline)
    return "长期坚持" if item.status == "长期坚持" else "未定"


def indicator_text(item: RectificationItem) -> str:
    """The item's indicators: "1.2.3 质量基础设施" joined by "；"."""
    return "；".join(f"{i.code} {i.title}".strip() for i in item.indicators)


def departments(names: Sequence[str]) -> str:
    return "、".join(names)


def evidence_text(item: RectificationItem) -> str:
    """The evidence of one item, each as "〔3-1〕题名" (bundle number when it has one)."""
    parts = []
    for e in item.evidence:
        parts.append(f"〔{e.bundle_number}〕{e.title}" if e.bundle_number else e.title)
    return "\n".join(parts)


def progress_summary(items: Sequence[RectificationItem]) -> str:
    """One sentence: how many items, how many done, in hand, not started, overdue."""
    counts = Counter(i.status for i in items)
    done = counts.get("已完成", 0) + counts.get("长期坚持", 0)
    rate = f"{done * 100 / len(items):.0f}%" if items else "—"
    overdue = sum(1 for i in items if i.overdue)
    parts = "，".join(f"{s} {counts.get(s, 0)} 项" for s in RECTIFY_STATUSES)
    return f"共 {len(items)} 项：{parts}；逾期 {overdue} 项；完成率（含长期坚持）{rate}"


def _check(items: Sequence[RectificationItem], facts: RectificationFacts) -> None:
    if not facts.county_name.strip():
        raise ArchiveError("请先在“设置 → 县情”中填写县名，整改文件要写明县名",
                           "set the county's name first (Settings → county): the documents name it")
    if not items:
        raise ArchiveError("还没有整改事项：请先导入省评价结果或添加整改事项",
                           "no rectification items yet: import the province's evaluation or add items")


def _save_docx(doc: DocxDocument, dest: Path, day: dt.date) -> Path:
    """Save with every timestamp pinned to `day` (the same items give the same bytes), to a
    partial file renamed into place."""
    tmp = dest.with_name(dest.name + ".partial")
    buf = io.BytesIO()
    doc.save(buf)
    data = pin_ooxml(buf.getvalue(), export_moment(day))
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, dest)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise ArchiveError(f"无法写入 {dest}：{e.strerror}（文件是否正在 Word/WPS 中打开？）",
                           f"cannot write {dest}: {e.strerror} (is it open in Word/WPS?)") from e
    return dest


# --- the 整改方案 ---------------------------------------------------------------------------


def _red_rule(p: Paragraph) -> None:
    """The 版头分隔线: a red line under the paragraph, across the text block."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")      # 1.5 pt
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), RED)
    bdr.append(bottom)
    ppr.append(bdr)


def _letterhead(doc: DocxDocument, facts: RectificationFacts) -> None:
    """红头: the issuing office in red 小标宋, the 文号 centred, the red rule."""
    p = g.paragraph(doc, "", indent=False, align="center", line_twips=int(26 * 20 * 1.3))
    r = g.add_run(p, office_name(facts), font=g.TITLE_FONT, size_pt=26)
    r.font.color.rgb = _rgb(RED)
    g.paragraph(doc, "")
    number = g.paragraph(doc, facts.doc_number or "", indent=False, align="center")
    _red_rule(number)
    g.paragraph(doc, "")


def _rgb(hexcode: str) -> RGBColor:
    from docx.shared import RGBColor

    return RGBColor.from_string(hexcode)


def _landscape_section(doc: DocxDocument) -> None:
    """A new section on landscape A4 for the wide item table (page numbers continue)."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    g.new_section(doc)
    section = doc.sections[-1]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(g.PAGE_H_MM), Mm(g.PAGE_W_MM)
    # keep the GB/T side margins; the top and bottom ones shrink to fit the short page
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)


def write_rectification_plan(items: Sequence[RectificationItem], facts: RectificationFacts,
                             dest: str | os.PathLike[str]) -> Path:
    """Write the 整改方案 notice with its item table to `dest` (.docx)."""
    _check(items, facts)
    dest = Path(dest)
    day = facts.date or dt.date.today()
    name = plan_name(facts)
    doc = g.new_document(export_date=day, title=f"关于印发《{name}》的通知")
    _letterhead(doc, facts)
    g.heading(doc, f"关于印发《{name}》的通知", 0)
    g.paragraph(doc, f"各乡镇（街道），县{facts.programme}工作领导小组各成员单位：", indent=False)
    basis = f"《{facts.evaluation_title}》" if facts.evaluation_title else "省级评价反馈意见"
    g.paragraph(doc, (
        f"根据{basis}，为切实抓好评价中发现问题的整改落实，现将《{name}》印发给你们，"
        "请结合工作职责认真抓好落实，按时限完成整改任务，并及时报送整改进展和证明材料。"
    ))
    g.paragraph(doc, "")
    g.paragraph(doc, office_name(facts), indent=False, align="right")
    g.paragraph(doc, cn_date(day), indent=False, align="right")

    g.heading(doc, name, 0, page_break_before=True)
    lead_count = len({d for i in items for d in i.lead_departments})
    g.heading(doc, "一、总体要求", 1)
    g.paragraph(doc, (
        f"坚持问题导向、目标导向，对照{facts.framework_name or '评价指标体系'}，把省级评价反馈的"
        f"{len(items)}个问题逐条分解到牵头单位和配合单位，明确整改措施和完成时限，"
        "做到问题不解决不放过、整改不到位不销号。"
    ))
    g.heading(doc, "二、整改任务", 1)
    g.paragraph(doc, (
        f"本次共梳理问题{len(items)}项，涉及牵头单位{lead_count}个，具体整改任务见附件"
        "《整改任务清单》。各牵头单位要制定具体措施，配合单位要主动对接、协同推进。"
    ))
    g.heading(doc, "三、工作要求", 1)
    g.heading(doc, "（一）压实整改责任。", 2)
    g.paragraph(doc, "各牵头单位主要负责同志是整改第一责任人，要明确专人负责，确保每项任务落到实处。")
    g.heading(doc, "（二）按时报送进展。", 2)
    g.paragraph(doc, (
        f"各单位于每月底前向{office_name(facts)}报送整改进展，整改完成后及时报送证明材料，"
        "由办公室统一建立整改台账、实行销号管理。"
    ))
    g.heading(doc, "（三）建立长效机制。", 2)
    g.paragraph(doc, "对需要长期坚持的事项，要总结经验做法，形成制度成果，防止问题反弹。")
    g.paragraph(doc, "")
    g.paragraph(doc, "附件：整改任务清单", indent=True)

    _landscape_section(doc)
    g.paragraph(doc, "附件", indent=False, font=g.HEADING1_FONT)
    g.heading(doc, f"{name}任务清单", 0)
    g.table(doc, PLAN_HEADERS, [
        (i.number, i.problem, i.measures or "（待定）", departments(i.lead_departments) or "（待定）",
         departments(i.cooperating_departments), deadline_text(i).replace("年", "年\n", 1))
        for i in items
    ], widths_mm=PLAN_WIDTHS_MM, size_pt=12, align=PLAN_ALIGN)
    return _save_docx(doc, dest, day)


# --- the 整改情况报告 ------------------------------------------------------------------------


CN_NUMBERS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (for headings 一、 and （一）)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    if n < 20:
        return "十" + (CN_NUMBERS[n % 10 - 1] if n % 10 else "")
    if n < 100:
        return CN_NUMBERS[n // 10 - 1] + "十" + (CN_NUMBERS[n % 10 - 1] if n % 10 else "")
    return str(n)


def write_rectification_report(items: Sequence[RectificationItem], facts: RectificationFacts,
                               dest: str | os.PathLike[str]) -> Path:
    """Write the 整改情况报告 to `dest` (.docx): per item the problem, what was done, its
    status, and its evidence listed by its number in the rectification bundle."""
    _check(items, facts)
    dest = Path(dest)
    day = facts.date or dt.date.today()
    title = f"关于{facts.county_name}{facts.programme}评价反馈问题整改情况的报告"
    doc = g.new_document(export_date=day, title=title)
    g.heading(doc, title, 0)
    counts = Counter(i.status for i in items)
    done = counts.get("已完成", 0)
    lasting = counts.get("长期坚持", 0)
    basis = f"《{facts.evaluation_title}》" if facts.evaluation_title else "省级评价反馈意见"
    g.paragraph(doc, (
        f"{facts.county_name}对照{basis}，逐条梳理反馈问题{len(items)}项，制定《{plan_name(facts)}》，"
        "明确牵头单位、配合单位、整改措施和完成时限，实行台账管理、逐项销号。现将整改情况报告如下："
    ))
    g.heading(doc, "一、整改工作总体情况", 1)
    g.paragraph(doc, (
        f"截至{cn_date(day)}，{len(items)}项问题中已完成整改{done}项，需长期坚持{lasting}项，"
        f"正在整改{counts.get('整改中', 0)}项，尚未开始{counts.get('未开始', 0)}项。"
        "各项证明材料按序号收入整改材料包，编号见各项问题之后。"
    ))
    g.heading(doc, "二、问题整改落实情况", 1)
    for n, item in enumerate(items, start=1):
        short = _short(item.problem, 40)
        g.heading(doc, f"（{cn_number(n)}）{short}", 2)
        if short != " ".join(item.problem.split()):
            g.paragraph(doc, f"存在问题：{item.problem}")
        ind = indicator_text(item)
        if ind:
            g.paragraph(doc, f"对应指标：{ind}")
        lead = departments(item.lead_departments) or "（未定）"
        coop = departments(item.cooperating_departments)
        g.paragraph(doc, f"牵头单位：{lead}" + (f"；配合单位：{coop}" if coop else "") +
                    f"；完成时限：{deadline_text(item)}。")
        if item.measures:
            g.paragraph(doc, f"整改措施：{item.measures}")
        g.paragraph(doc, f"整改情况：{item.progress or '（尚未报送整改进展）'}")
        status = item.status + ("（已超过完成时限）" if item.overdue else "")
        g.paragraph(doc, f"整改状态：{status}。")
        if item.evidence:
            g.paragraph(doc, "证明材料：", keep_with_next=True)
            for e in item.evidence:
                label = f"{e.bundle_number} " if e.bundle_number else ""
                g.paragraph(doc, f"{label}{e.title}")
        else:
            g.paragraph(doc, "证明材料：暂无。")
    g.heading(doc, "三、下一步工作", 1)
    open_items = [i for i in items if i.status in ("未开始", "整改中")]
    if open_items:
        g.paragraph(doc, (
            f"对尚未完成的{len(open_items)}项问题，继续压实牵头单位责任，按月调度进展，"
            "确保按期完成；对已完成的问题适时开展回头看，防止反弹。"
        ))
    else:
        g.paragraph(doc, "反馈问题已全部整改到位或转入常态化推进，下一步将适时开展回头看，巩固整改成果。")
    g.paragraph(doc, "")
    g.paragraph(doc, office_name(facts), indent=False, align="right")
    g.paragraph(doc, cn_date(day), indent=False, align="right")
    return _save_docx(doc, dest, day)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the 整改台账 ---------------------------------------------------------------------------


def _text_units(text: str) -> float:
    """Width of `text` in column-width units at 10 pt: a CJK character about 1.8, others 1."""
    return sum(1.8 if ord(ch) > 0x2E7F else 1.0 for ch in text)


def _row_height(ws: Worksheet, row: int) -> float:
    """A height (points) that shows every wrapped line of the row: Excel sizes rows on
    opening, LibreOffice and WPS print them at the stored height."""
    lines = 1
    for c, width in enumerate(LEDGER_WIDTHS, start=1):
        value = ws.cell(row=row, column=c).value
        if value is None or isinstance(value, (int, float, dt.date)):
            continue
        total = sum(max(1, -(-int(_text_units(part)) // max(1, int(width - 1))))
                    for part in str(value).split("\n"))
        lines = max(lines, total)
    return max(20.0, 14.0 * lines + 4)


def _ledger_print_setup(ws: Worksheet, header_row: int) -> None:
    ws.freeze_panes = f"A{header_row + 1}"
    fit_to_page_width(ws, title_rows=f"{header_row}:{header_row}", centred=True)


def write_rectification_ledger(items: Sequence[RectificationItem], facts: RectificationFacts,
                               dest: str | os.PathLike[str]) -> Path:
    """Write the 整改台账 to `dest` (.xlsx): one row per item with 状态 (coloured), 整改进展
    and 证明材料, overdue deadlines in red, and a progress summary row under the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    _check(items, facts)
    dest = Path(dest)
    day = facts.date or dt.date.today()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "整改台账"
    ncols = len(LEDGER_HEADERS)
    last = get_column_letter(ncols)
    ws.append([ledger_name(facts)])
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A1:{last}1")
    ws.append([f"填报单位：{office_name(facts)}　　统计日期：{cn_date(day)}"])
    ws["A2"].font = Font(name=FONT, size=11)
    ws.merge_cells(f"A2:{last}2")
    for c, h in enumerate(LEDGER_HEADERS, start=1):
        cell = ws.cell(row=3, column=c, value=h)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = solid_fill(HEADER_GREY)
        cell.border = thin_border()
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for item in items:
        ws.append([
            item.number, item.problem, indicator_text(item), item.measures,
            departments(item.lead_departments), departments(item.cooperating_departments),
            item.deadline if item.deadline is not None else deadline_text(item),
            item.status + ("（逾期）" if item.overdue else ""), item.progress, evidence_text(item),
        ])
        row = ws.max_row
        for c in range(1, ncols + 1):
            cell = ws.cell(row=row, column=c)
            cell.border = thin_border()
            cell.font = Font(name=FONT, size=10)
            centre = c in (1, 5, 6, 7, 8)
            cell.alignment = Alignment(vertical="center", wrap_text=True,
                                       horizontal="center" if centre else "left")
        deadline = ws.cell(row=row, column=7)
        if item.deadline is not None:
            deadline.number_format = "yyyy\"年\"m\"月\"d\"日\""
        if item.overdue:
            deadline.font = Font(name=FONT, size=10, bold=True, color=OVERDUE_FONT)
        ws.row_dimensions[row].height = _row_height(ws, row)
        ws.cell(row=row, column=8).fill = PatternFill("solid", fgColor=STATUS_FILL.get(item.status, "FFFFFF"))
    ws.append([f"整改进展：{progress_summary(items)}"])
    summary = ws.max_row
    ws.merge_cells(f"A{summary}:{last}{summary}")
    ws.cell(row=summary, column=1).font = Font(name=FONT, size=11, bold=True)
    ws.cell(row=summary, column=1).alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[summary].height = 30
    for c, w in enumerate(LEDGER_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    _ledger_print_setup(ws, 3)
    wb.properties.creator = "Evidence Desk"
    wb.properties.title = ledger_name(facts)
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return _save(wb, dest)


__all__ = ["cn_date", "deadline_text", "evidence_text", "ledger_name", "plan_name", "progress_summary",
           "write_rectification_ledger", "write_rectification_plan", "write_rectification_report"]
