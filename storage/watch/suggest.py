"""Suggestions that explain themselves: for a detected file, which department, indicators
and duties it probably belongs to, each with the reason in Chinese and a confidence.

Sources, strongest first: the folder's department; indicator codes written in the file or
folder names ("3.6.1"); the document number (文号) and the body it names; keywords of each
duty's expected evidence found in the name, title or text. All matching is on folded text
(full/half width, case, spaces: `storage.text.fold`) by substring: `\\b` word boundaries
mean nothing in Chinese.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.catalogue.queries import current_framework_id
from storage.kernel.text import DOC_NUMBER, fold
from storage.models import Department, DepartmentAlias, Duty, DutyDepartment, Indicator

# Indicator codes: 3.6.1, 1.2, 2.1.3.4 (not part of a longer number, a date or a version).
_CODE = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d{1,2}){1,3})(?![\d.])")
# Abbreviations in 文号 prefixes and the body they stand for (the county's own names are
# matched from the department registry first).
_ISSUER_ABBREV = (
    ("政办发", "县政府办公室"), ("政办字", "县政府办公室"), ("政办", "县政府办公室"),
    ("委办发", "县委办公室"), ("委办", "县委办公室"), ("委发", "县委"),
    ("政发", "县政府"), ("政字", "县政府"), ("政函", "县政府"),
    ("质强办", "县质量强县工作领导小组办公室"), ("质强", "县质量强县工作领导小组"),
    ("市监", "县市场监管局"), ("市场监管", "县市场监管局"), ("工信", "县工信局"),
    ("住建", "县住建局"), ("农业农村", "县农业农村局"), ("农", "县农业农村局"),
    ("发改", "县发展改革局"), ("财", "县财政局"), ("教", "县教育局"), ("卫健", "县卫生健康局"),
    ("生态环境", "市生态环境局分局"), ("环", "生态环境分局"), ("商务", "县商务局"),
    ("文旅", "县文化和旅游局"), ("交通", "县交通运输局"), ("水", "县水利局"),
    ("统计", "县统计局"), ("人社", "县人力资源社会保障局"), ("科", "县科技局"),
)
_KEYWORD_SPLIT = re.compile(r"[\s、，,；;。．.：:（）()《》〈〉“”\"'‘’/\\|！!？?【】\[\]<>—\-]+")
_TAIL = re.compile(r"(?:等(?:相关|有关)?(?:材料|资料|文件)?|(?:相关|有关)(?:材料|资料|文件)?)$")
_STOP = ("等", "相关", "有关", "材料", "资料", "佐证", "文件", "及", "和", "与", "或", "的")
AUTO_ACCEPT_MIN = 0.8


@dataclass
class _DutyKeys:
    id: int
    code: str
    task: str
    indicator_id: int | None
    lead_department_id: int | None
    keywords: tuple[str, ...]


@dataclass
class SuggestContext:
    """What suggestions are matched against, loaded once per batch of files."""

    indicators_by_code: dict[str, tuple[int, str]] = field(default_factory=dict)
    duties: list[_DutyKeys] = field(default_factory=list)
    departments: list[tuple[int, str, str]] = field(default_factory=list)  # id, name, folded core

    @classmethod
    def load(cls, session: Session) -> SuggestContext:
        ctx = cls()
        fid = current_framework_id(session)
        if fid is not None:
            for iid, code, title in session.execute(
                select(Indicator.id, Indicator.code, Indicator.title).where(Indicator.framework_id == fid)
            ):
                if code:
                    ctx.indicators_by_code[fold(code).rstrip(".")] = (iid, title)
        q = select(Duty.id, Duty.code, Duty.task, Duty.expected_evidence, Duty.indicator_id)
        if fid is not None:
            q = q.where((Duty.framework_id == fid) | Duty.framework_id.is_(None))
        leads = {
            d: dep for d, dep in session.execute(
                select(DutyDepartment.duty_id, DutyDepartment.department_id).where(DutyDepartment.role == "lead")
            )
        }
        for did, code, task, expected, ind in session.execute(q):
            kws = duty_keywords(expected or "")
            if kws:
                ctx.duties.append(_DutyKeys(did, code or "", task or "", ind, leads.get(did), kws))
        names: dict[int, str] = {}
        for did, name in session.execute(select(Department.id, Department.name)):
            names[did] = name
            ctx.departments.append((did, name, _core(name)))
        for did, alias in session.execute(select(DepartmentAlias.department_id, DepartmentAlias.alias)):
            ctx.departments.append((did, names.get(did, alias), _core(alias)))
        return ctx


def duty_keywords(expected: str) -> tuple[str, ...]:
    """Keywords of a duty's expected evidence: "会议纪要、工作台账等相关材料" -> 会议纪要, 工作台账."""
    out: list[str] = []
    for part in _KEYWORD_SPLIT.split(fold(expected)):
        part = _TAIL.sub("", part)
        if len(part) >= 2 and part not in _STOP and part not in out and not part.isdigit():
            out.append(part)
    return tuple(out)


def _core(name: str) -> str:
    """The distinctive part of a department name: 沂水县工信局 -> 工信."""
    f = fold(name)
    f = re.sub(r"^.{0,4}?[县市区](?=.)", "", f) if len(f) > 3 else f
    for suffix in ("局", "委员会", "委", "办公室", "办", "中心", "分局"):
        if f.endswith(suffix) and len(f) > len(suffix) + 1:
            f = f[: -len(suffix)]
            break
    return f


@dataclass(frozen=True)
class FileFacts:
    relpath: str          # path below the watched folder (or inside the zip), '/'-separated
    title: str = ""
    text: str = ""
    doc_number: str = ""
    issue_date: dt.date | None = None


def issuing_body(doc_number: str, ctx: SuggestContext) -> tuple[int | None, str]:
    """(department id or None, name) of the body a 文号 names: 沂政发〔2023〕13号 -> 县政府."""
    m = DOC_NUMBER.search(doc_number or "")
    if not m:
        return None, ""
    prefix = fold(m.group(1))
    best: tuple[int, int | None, str] = (0, None, "")
    for did, name, core in ctx.departments:
        if len(core) >= 2 and core in prefix and len(core) > best[0]:
            best = (len(core), did, name)
    if best[1] is not None:
        return best[1], best[2]
    for abbrev, body in _ISSUER_ABBREV:
        if abbrev in prefix:
            for did, name, core in ctx.departments:
                if fold(name) == fold(body):
                    return did, name
            return None, body
    return None, ""


def suggest(facts: FileFacts, ctx: SuggestContext, *, folder_department: tuple[int, str] | None) -> dict:
    """The suggestion for one file, as the JSON stored in InboxEntry.suggestion.

    Keys: department (name), department_id, indicator_code (codes joined), indicators,
    duties, doc_number, issuing_body, issue_date, title, reasons, confidence (0..1).
    """
    reasons: list[str] = []
    dept: tuple[int | None, str, float, str] | None = None
    if folder_department:
        dept = (folder_department[0], folder_department[1], 0.6, f"文件夹：{folder_department[1]}")

    # indicator codes in the file and folder names
    indicators: dict[int, dict] = {}
    path_folded = fold(facts.relpath)
    for m in _CODE.finditer(path_folded):
        hit = ctx.indicators_by_code.get(m.group(1))
        if hit and hit[0] not in indicators:
            where = "文件名" if m.start() >= path_folded.rfind("/") else "文件夹名"
            indicators[hit[0]] = {
                "id": hit[0], "code": m.group(1), "title": hit[1], "confidence": 0.8,
                "reason": f"{where}含指标编号 {m.group(1)}",
            }

    # A code that only names the parent of another matched code says less: keep the deeper.
    for iid in [i for i, v in indicators.items()
                if any(o["code"].startswith(v["code"] + ".") for o in indicators.values())]:
        del indicators[iid]

    # 文号 -> issuing body
    body_id, body = issuing_body(facts.doc_number, ctx) if facts.doc_number else (None, "")
    if facts.doc_number:
        reasons.append(f"文号 {facts.doc_number}" + (f" → {body}" if body else ""))

    # duties whose expected evidence is named in the file
    hay_name = fold(facts.relpath + " " + facts.title)
    hay_text = fold(facts.text[:20000])
    duties: list[dict] = []
    for d in ctx.duties:
        in_name = [k for k in d.keywords if k in hay_name]
        in_text = [k for k in d.keywords if k not in in_name and k in hay_text]
        if not in_name and not in_text:
            continue
        score = min(0.9, 0.45 * len(in_name) + 0.25 * len(in_text))
        where = []
        if in_name:
            where.append("文件名含「" + "、".join(in_name) + "」")
        if in_text:
            where.append("正文含「" + "、".join(in_text[:3]) + "」")
        label = d.code or d.task[:20]
        duties.append({
            "id": d.id, "code": d.code, "task": d.task[:60], "confidence": round(score, 2),
            "reason": f"符合任务 {label} 的佐证要求：" + "，".join(where),
            "indicator_id": d.indicator_id, "lead_department_id": d.lead_department_id,
        })
    duties.sort(key=lambda x: -x["confidence"])
    duties = duties[:3]
    for du in duties:
        # A duty named only once in the text is a weak hint, but still the clerk's best lead:
        # offer its indicator marked as weak rather than a reason with no suggestion.
        if du["indicator_id"] and du["indicator_id"] not in indicators and du["confidence"] >= 0.25:
            code = next((c for c, v in ctx.indicators_by_code.items() if v[0] == du["indicator_id"]), "")
            weak = "（把握较低，请核对）" if du["confidence"] < 0.35 else ""
            indicators[du["indicator_id"]] = {
                "id": du["indicator_id"], "code": code,
                "title": ctx.indicators_by_code.get(code, (0, ""))[1],
                "confidence": round(du["confidence"] * 0.8, 2),
                "reason": f"任务 {du['code'] or du['task'][:12]} 对应指标 {code}{weak}",
            }
    if dept is None and body_id is not None:
        dept = (body_id, body, 0.4, f"发文单位：{body}")
    if dept is None and duties and duties[0]["lead_department_id"]:
        lead = duties[0]["lead_department_id"]
        name = next((n for i, n, _ in ctx.departments if i == lead), "")
        dept = (lead, name, 0.3, f"任务牵头单位：{name}")

    if dept:
        reasons.insert(0, dept[3])
    reasons += [i["reason"] for i in indicators.values()]
    reasons += [d["reason"] for d in duties]
    if facts.issue_date:
        reasons.append(f"日期 {facts.issue_date.isoformat()}")

    ind_conf = max((i["confidence"] for i in indicators.values()), default=0.0)
    confidence = min(1.0, 0.2 + (dept[2] * 0.4 if dept else 0.0) + ind_conf * 0.5
                     + (0.1 if facts.doc_number else 0.0))
    ind_list = sorted(indicators.values(), key=lambda i: -i["confidence"])
    return {
        "department": dept[1] if dept else "",
        "department_id": dept[0] if dept else None,
        "indicator_code": "、".join(i["code"] for i in ind_list if i["code"]),
        "indicators": ind_list,
        "duties": duties,
        "doc_number": facts.doc_number,
        "issuing_body": body,
        "issuing_department_id": body_id,
        "issue_date": facts.issue_date.isoformat() if facts.issue_date else None,
        "title": facts.title,
        "reasons": reasons,
        "confidence": round(confidence, 3),
    }
