"""The reminder notice (催办通知): a formal Word notice addressed to a department, listing
each duty it still owes with its deadline and days overdue, and whom to contact.

One department per notice; for several departments, one notice each, every one starting on
a new page (a section of its own, so page numbers restart). Laid out with the GB/T 9704
helpers (exporters/gbt9704.py: A4, 仿宋_GB2312 body, 小标宋 title, East Asian fonts set on
every run with w:eastAsia). Takes a `ReminderSource` read model only; no Qt, no database.
The file is written to `<name>.partial` and renamed, so a failure leaves nothing half-written.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from exporters import gbt9704 as g
from storage.kernel.errors import ArchiveError
from storage.kernel.official import official_name
from storage.readmodels import DepartmentOwing, OwedDuty, ReminderSource

if TYPE_CHECKING:  # python-docx loads only when a notice is written (exporters/gbt9704.py)
    from docx.document import Document as DocxDocument

HEADERS = ("序号", "工作任务", "对应指标", "职责", "完成时限", "逾期情况")
WIDTHS_MM = (12, 58, 30, 13, 22, 21)
ALIGN = ("center", "left", "left", "center", "center", "center")
ROLE = {"lead": "牵头", "cooperating": "配合"}


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def overdue_text(o: OwedDuty) -> str:
    if o.days_left is None:
        return "—"
    if o.days_left < 0:
        return f"逾期 {-o.days_left} 天"
    if o.days_left == 0:
        return "今日到期"
    return f"剩余 {o.days_left} 天"


def sender_name(src: ReminderSource) -> str:
    c = src.county
    if c.contact_unit:
        return c.contact_unit
    return f"{c.name}质量强县工作领导小组办公室" if c.name else "质量强县工作领导小组办公室"


def _notice(doc: DocxDocument, src: ReminderSource, d: DepartmentOwing) -> None:
    mark = "（示例数据，非正式通知）" if src.is_sample else ""
    g.heading(doc, "催办通知", 0)
    if mark:
        g.paragraph(doc, mark, indent=False, align="center")
    g.paragraph(doc, f"{d.name}：", indent=False, align="left")
    overdue = d.overdue
    basis = (f"《{official_name(src.framework_name, src.county.name)}》工作责任分解" if src.framework_name
             else "质量强县工作责任分解")
    by = (f"请于{cn_date(src.upload_deadline)}前" if src.upload_deadline and src.upload_deadline >= src.today
          else "请尽快")
    g.paragraph(doc, (
        f"根据{basis}要求，截至{cn_date(src.today)}，贵单位牵头或配合的以下 {len(d.owed)} 项工作"
        f"尚无审核通过的佐证材料" + (f"，其中 {overdue} 项已超过完成时限" if overdue else "") +
        f"。{by}将佐证材料报送{sender_name(src)}；确有困难不能按时报送的，请说明原因及预计报送时间。"
    ))
    g.table(doc, HEADERS, [
        (n, o.task, f"{o.indicator_code} {o.indicator_title}".strip(), ROLE.get(o.role, o.role),
         o.deadline_text or (o.deadline.isoformat() if o.deadline else "未定"), overdue_text(o))
        for n, o in enumerate(d.owed, start=1)
    ], widths_mm=WIDTHS_MM, size_pt=10.5, align=ALIGN)
    c = src.county
    contact = "，".join(x for x in (
        f"联系人：{c.contact_name}" if c.contact_name else "",
        f"联系电话：{c.contact_phone}" if c.contact_phone else "",
    ) if x)
    g.paragraph(doc, "")
    g.paragraph(doc, contact or "联系人：＿＿＿＿＿＿，联系电话：＿＿＿＿＿＿")
    g.paragraph(doc, "")
    g.paragraph(doc, sender_name(src), indent=False, align="right")
    g.paragraph(doc, cn_date(src.today), indent=False, align="right")


def write_reminder_notice(src: ReminderSource, dest: str | os.PathLike[str]) -> Path:
    """Write the notice(s) for every department in `src` to `dest` (.docx)."""
    dest = Path(dest)
    if not src.departments:
        raise ArchiveError("没有需要催办的单位：所有任务都已有审核通过的材料",
                           "no department owes anything: nothing to remind")
    doc = g.new_document(export_date=src.today, title="催办通知")
    for i, d in enumerate(src.departments):
        if i:
            g.new_section(doc, first_page_number=1)
        _notice(doc, src, d)
    tmp = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(tmp))
        os.replace(tmp, dest)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise ArchiveError(f"无法写入 {dest}：{e.strerror}（文件是否正在 Word/WPS 中打开？）",
                           f"cannot write {dest}: {e.strerror} (is it open in Word/WPS?)") from e
    return dest


__all__ = ["write_reminder_notice"]
