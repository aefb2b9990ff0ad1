"""Preflight: what would stop a submission, as a checklist (pure rules and formatting).

`check(facts, plan)` turns `storage.preflight.preflight_facts` and the bundle plan
(`exporters.bundle.plan_bundle`) into `PreflightItem`s, blocking items first:

blocks  missing_evidence  a leaf indicator without accepted evidence (veto, key items first)
        veto              a veto item recorded as violated
        file_size         a file over the framework's size cap
        file_format       a format the province does not take
        framework         no framework at all
warns   veto              a veto item not yet checked
        unreviewed        evidence still only received (it goes into the bundle unchecked)
        overdue_duty      a duty past its deadline without accepted evidence
        name_too_long / forbidden_chars / reserved_name / renamed
                          anything the bundle renames or shortens (with the new name)
        evidence_date     dated outside the assessment period or after the data cut-off
        not_mergeable     files a binder cannot show (OFD, archives …): a placeholder page
        self_score        a leaf indicator without a self score
        county, framework county facts missing; a sample framework

Each item says what, where (indicator, evidence #id, file) and what to do. Text lines,
a JSON-able dict and (in `exporters.preflight_xlsx`) a workbook come from the same items.
"""
from __future__ import annotations

import os
from typing import Any

from exporters import winpaths
from exporters.bundle import BundlePlan
from storage.readmodels import PreflightFacts, PreflightItem, PreflightReport

BLOCK, WARN = "block", "warn"
SEVERITY_ZH = {BLOCK: "阻止提交", WARN: "提醒"}
CATEGORY_ZH = {
    "framework": "指标体系", "missing_evidence": "缺少佐证", "veto": "一票否决项",
    "file_size": "文件过大", "file_format": "格式不符", "unreviewed": "未审核",
    "overdue_duty": "任务逾期", "name_too_long": "名称过长", "forbidden_chars": "非法字符",
    "reserved_name": "保留名称", "renamed": "导出改名", "evidence_date": "日期不符",
    "not_mergeable": "无法合并", "self_score": "未自评", "county": "县情信息",
}
ORDER = list(CATEGORY_ZH)
# what a binder can show: PDFs and images directly, office files through LibreOffice
MERGEABLE = frozenset({"pdf", "jpg", "jpeg", "png", "tif", "tiff", "bmp", "gif", "doc", "docx",
                       "wps", "xls", "xlsx", "et", "ppt", "pptx", "txt", "rtf", "odt", "ods"})


def _ext(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower()


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB"


def _ind_label(code: str, title: str) -> str:
    return f"{code} {title}".strip()


def check(facts: PreflightFacts, plan: BundlePlan | None) -> PreflightReport:
    items: list[PreflightItem] = []
    add = items.append
    if facts.framework_id is None:
        add(PreflightItem(BLOCK, "framework", "档案库中还没有指标体系", action="先导入指标体系：framework import FILE"))
        return PreflightReport("", facts.today, facts.limits, tuple(items))
    if facts.is_sample:
        add(PreflightItem(WARN, "framework", f"当前指标体系“{facts.framework_name}”是示例数据，不是官方内容",
                          action="导入省里发布的评价指标体系后再提交"))

    leaves = [i for i in facts.indicators if i.is_leaf]
    rank = {i.indicator_id: n for n, i in enumerate(leaves)}
    missing = sorted((i for i in leaves if i.accepted == 0),
                     key=lambda i: (not i.is_veto, not i.is_key, rank[i.indicator_id]))
    for i in missing:
        kind = "（一票否决项）" if i.is_veto else "（关键项）" if i.is_key else ""
        waiting = f"；有 {i.received} 份已收材料待审核" if i.received else ""
        add(PreflightItem(
            BLOCK, "missing_evidence", f"{_ind_label(i.code, i.title)}{kind}：没有已审核的佐证材料{waiting}",
            indicator=i.code,
            action="审核已收到的材料" if i.received else "向牵头单位催要佐证材料，收到后审核"))
    for i in leaves:
        if not i.is_veto:
            continue
        if i.veto_state == "violated":
            add(PreflightItem(BLOCK, "veto", f"{_ind_label(i.code, i.title)}：一票否决项记录为“已发生”",
                              indicator=i.code, action="核实情况；如确已发生，本次申报将被否决"))
        elif i.veto_state != "clear":
            add(PreflightItem(WARN, "veto", f"{_ind_label(i.code, i.title)}：一票否决项尚未核查",
                              indicator=i.code,
                              action=f"核查后记录：score set {i.code} --veto clear（未发生）"))

    limits = facts.limits
    cap = int(limits.max_mb * (1 << 20)) if limits.max_mb else None
    accepted = set(limits.formats)
    seen: set[tuple[int, str, str]] = set()
    for f in facts.files:
        key = (f.evidence_id, f.sha256, f.original_name)
        if key in seen:  # an item linked to several indicators: one line per file
            continue
        seen.add(key)
        ext = _ext(f.original_name)
        if cap is not None and f.size > cap:
            add(PreflightItem(BLOCK, "file_size",
                              f"文件 {_mb(f.size)}，超过上限 {limits.max_mb:g} MB",
                              indicator=f.indicator_code, evidence_id=f.evidence_id, file=f.original_name,
                              action="压缩或拆分文件（扫描件可降低分辨率后转为 PDF）"))
        if accepted and ext not in accepted:
            add(PreflightItem(BLOCK, "file_format",
                              f"格式 .{ext or '（无扩展名）'} 不在省平台接受的格式内（{'、'.join(accepted)}）",
                              indicator=f.indicator_code, evidence_id=f.evidence_id, file=f.original_name,
                              action="转换为可接受的格式（如 PDF）后作为新版本存入"))
        if ext not in MERGEABLE:
            what = ("OFD 文件无法预览，也无法并入装订册（装订册中以占位页代替）" if ext == "ofd"
                    else f".{ext or '（无扩展名）'} 文件无法并入装订册（装订册中以占位页代替）")
            add(PreflightItem(WARN, "not_mergeable", what, indicator=f.indicator_code,
                              evidence_id=f.evidence_id, file=f.original_name,
                              action="请报送单位另提供 PDF 版本" if ext == "ofd" else "另附 PDF 版本或打印件"))

    codes: dict[int, str] = {}
    for eid, code in facts.evidence_codes:
        codes.setdefault(eid, code)
    for e in facts.evidence:
        if e.status == "received":
            add(PreflightItem(WARN, "unreviewed", f"佐证材料 #{e.evidence_id}《{e.title}》尚未审核",
                              indicator=codes.get(e.evidence_id, ""), evidence_id=e.evidence_id,
                              action="审核后标记为已审核，或退回（未审核的材料也会进入材料包）"))
    for e in facts.evidence:
        reasons = []
        d = e.issue_date
        if d is not None:
            if facts.period_start and d < facts.period_start:
                reasons.append(f"成文日期 {d} 早于评价期开始 {facts.period_start}")
            if facts.period_end and d > facts.period_end:
                reasons.append(f"成文日期 {d} 晚于评价期结束 {facts.period_end}")
            if facts.data_cutoff and d > facts.data_cutoff:
                reasons.append(f"成文日期 {d} 晚于数据截止日期 {facts.data_cutoff}")
        if e.period_end and facts.data_cutoff and e.period_end > facts.data_cutoff:
            reasons.append(f"材料所属期间截至 {e.period_end}，晚于数据截止日期 {facts.data_cutoff}")
        if reasons:
            add(PreflightItem(WARN, "evidence_date", f"佐证材料 #{e.evidence_id}《{e.title}》：" + "；".join(reasons),
                              indicator=codes.get(e.evidence_id, ""), evidence_id=e.evidence_id,
                              action="核对日期是否录入有误；确属期外材料的，换用评价期内的材料"))

    for duty in facts.overdue_duties:
        when = duty.deadline.isoformat() if duty.deadline else duty.deadline_text
        late = f"，已逾期 {-duty.days_left} 天" if duty.days_left is not None and duty.days_left < 0 else ""
        add(PreflightItem(WARN, "overdue_duty",
                          f"任务“{duty.task[:60]}”完成时限 {when}{late}，尚无已审核的佐证材料",
                          indicator=duty.indicator_code,
                          action=f"向{duty.lead or '责任单位'}催办"))

    if plan is not None:
        for code, wanted, folder in plan.renamed_folders:
            changes: tuple[str, ...] = ("shortened",) if (folder.rstrip(" ()0123456789").endswith(winpaths.ELLIPSIS)
                                         and not wanted.endswith(winpaths.ELLIPSIS)) else ()
            changes += ("cleaned",) if winpaths.clean(wanted) != wanted else ("suffixed",)
            category, what = _rename_kind(wanted, changes)
            add(PreflightItem(WARN, category, "指标文件夹" + what, indicator=code,
                              action=f"无需处理：导出时文件夹名为“{folder}”"))
        for planned in plan.files:
            if not planned.changes:
                continue
            category, what = _rename_kind(planned.wanted or planned.original_name, planned.changes)
            add(PreflightItem(WARN, category, what, indicator=planned.indicator, evidence_id=planned.evidence_id,
                              file=planned.original_name,
                              action=f"无需处理：导出时改名为“{planned.path}”；如要换个名字，修改材料标题"))

    for i in leaves:
        if i.self_score is None and not i.is_veto:
            add(PreflightItem(WARN, "self_score", f"{_ind_label(i.code, i.title)}：尚未填写自评得分",
                              indicator=i.code, action=f"score set {i.code} --score N"))
    if facts.county_missing:
        add(PreflightItem(WARN, "county", "尚未填写县情信息，申报表中将留空",
                          action="在“设置 → 县情信息”中填写名称、人口、面积、地区生产总值等"))

    items.sort(key=lambda i: (i.severity != BLOCK, ORDER.index(i.category)))
    return PreflightReport(facts.framework_name, facts.today, facts.limits, tuple(items))


def _rename_kind(wanted: str, changes: tuple[str, ...]) -> tuple[str, str]:
    probs = winpaths.problems(wanted)
    if "shortened" in changes:
        return "name_too_long", f"名称过长（{winpaths.units(wanted)} 个字符），导出时将截短：{wanted}"
    if any("reserved" in p for p in probs):
        return "reserved_name", f"名称是 Windows 保留名称，导出时将改名：{wanted}"
    if "cleaned" in changes:
        return "forbidden_chars", (f"名称含 Windows 不允许的字符（\\ / : * ? \" < > | 或结尾的点、空格），"
                                   f"导出时将替换：{wanted}")
    return "renamed", f"与同一文件夹中的其他名称重复，导出时将加序号：{wanted}"


def report_dict(report: PreflightReport) -> dict[str, Any]:
    """The `preflight --json` document (docs/cli-bundle.md)."""
    lim = report.limits
    return {
        "framework": report.framework_name,
        "today": report.today.isoformat(),
        "ok": report.ok,
        "blocks": report.blocks,
        "warnings": report.warnings,
        "limits": {"max_mb": lim.max_mb, "formats": list(lim.formats), "path_budget": lim.path_budget},
        "items": [
            {"severity": i.severity, "category": i.category, "what": i.what,
             "indicator": i.indicator, "evidence_id": i.evidence_id, "file": i.file,
             "action": i.action}
            for i in report.items
        ],
    }


def where_text(item: PreflightItem) -> str:
    parts = []
    if item.indicator:
        parts.append(f"指标 {item.indicator}")
    if item.evidence_id is not None:
        parts.append(f"佐证 #{item.evidence_id}")
    if item.file:
        parts.append(item.file)
    return "，".join(parts)


def report_lines(report: PreflightReport) -> list[str]:
    """The checklist as text, one item per line (plus its where and what to do)."""
    lim = report.limits
    cap = f"{lim.max_mb:g} MB" if lim.max_mb else "不限"
    fmts = "、".join(lim.formats) if lim.formats else "不限"
    lines = [
        f"提交前检查：{report.framework_name or '（无指标体系）'}（{report.today.isoformat()}）",
        f"限制：单个文件 ≤ {cap}；格式：{fmts}；路径长度 < {lim.path_budget}",
        f"阻止提交 {report.blocks} 项，提醒 {report.warnings} 项",
    ]
    for n, i in enumerate(report.items, start=1):
        mark = "✗" if i.severity == BLOCK else "!"
        where = where_text(i)
        lines.append(f"{mark} {n}. [{SEVERITY_ZH[i.severity]}·{CATEGORY_ZH[i.category]}] {i.what}")
        redundant = not where or where in i.what or (
            where == f"指标 {i.indicator}" and i.what.startswith(f"{i.indicator} "))
        if not redundant:
            lines.append(f"     位置：{where}")
        if i.action:
            lines.append(f"     处理：{i.action}")
    lines.append("可以提交 (nothing blocks the submission)" if report.ok
                 else "有阻止提交的问题 (something blocks the submission)")
    return lines


__all__ = ["BLOCK", "CATEGORY_ZH", "SEVERITY_ZH", "WARN", "check", "report_dict", "report_lines",
           "where_text"]
