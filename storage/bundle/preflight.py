"""What preflight looks at, read from the archive in one go (`preflight_facts`), and the
province's limits per framework (`preflight_limits` / `set_preflight_limits`).

The rules themselves are pure and live in `exporters.preflight`; the bundle plan they check
for renames comes from `exporters.bundle.plan_bundle` over `bundle_query.bundle_source`.

Limits are stored in the `setting` table under `preflight_limits.<framework id>` as JSON
({"max_mb": 50, "formats": ["pdf", "jpg"], "path_budget": 160}), so they travel with the
archive and differ between programmes (a province that takes PDF only, another with a 20 MB
cap per file).
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from storage.bundle.assessments import self_score_sheet
from storage.bundle.sources import DEFAULT_STATUSES, bundle_source, evidence_meta
from storage.catalogue.county import county_facts
from storage.catalogue.duties import duty_rows
from storage.catalogue.queries import current_framework_id
from storage.kernel.errors import BadInput
from storage.models import Duty, Evidence, EvidenceIndicator, Framework, Indicator, Setting
from storage.readmodels import (
    PreflightDuty,
    PreflightFacts,
    PreflightFile,
    PreflightIndicator,
    PreflightLimits,
)

LIMITS_KEY = "preflight_limits.{fid}"
UNSET: object = object()
MIN_BUDGET, MAX_BUDGET = 40, 259


def preflight_limits(session: Session, framework_id: int | None = None) -> PreflightLimits:
    fid = framework_id if framework_id is not None else current_framework_id(session)
    raw = session.scalar(select(Setting.value).where(Setting.key == LIMITS_KEY.format(fid=fid or 0)))
    if not raw:
        return PreflightLimits()
    try:
        d = json.loads(raw)
    except ValueError:
        return PreflightLimits()
    default = PreflightLimits()
    max_mb = d.get("max_mb", default.max_mb)
    return PreflightLimits(
        max_mb=float(max_mb) if max_mb is not None else None,
        formats=tuple(str(x) for x in d.get("formats", ()) or ()),
        path_budget=int(d.get("path_budget", default.path_budget)),
    )


def _formats(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[object] = list(value.replace("，", ",").replace(" ", ",").split(","))
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise BadInput(f"文件格式应为扩展名列表，如 pdf,jpg：{value}",
                       f"formats are a list of extensions such as pdf,jpg: {value}")
    out: list[str] = []
    for item in items:
        ext = str(item).strip().lstrip(".").lower()
        if not ext:
            continue
        if ext in ("any", "all", "*"):
            return ()
        if not ext.isalnum() or len(ext) > 8:
            raise BadInput(f"文件格式应为扩展名，如 pdf,jpg：{item}",
                           f"formats are extensions such as pdf,jpg: {item}")
        if ext not in out:
            out.append(ext)
    return tuple(sorted(out))


def set_preflight_limits(session: Session, *, max_mb: object = UNSET, formats: object = UNSET,
                         path_budget: object = UNSET, framework_id: int | None = None) -> PreflightLimits:
    """Change the limits of the framework (default: the current one); only what is given.

    max_mb: a positive number, or None / "none" / 0 for no cap; formats: "pdf,jpg" or a
    list, "any" (or empty) for any format; path_budget: 40 to 259."""
    fid = framework_id if framework_id is not None else current_framework_id(session)
    if fid is None:
        raise BadInput("档案库中还没有指标体系", "the archive has no indicator framework yet")
    cur = preflight_limits(session, fid)
    new_max, new_formats, new_budget = cur.max_mb, cur.formats, cur.path_budget
    if max_mb is not UNSET:
        if max_mb is None or str(max_mb).strip().lower() in ("", "none", "0", "无"):
            new_max = None
        else:
            try:
                new_max = float(str(max_mb).strip())
            except ValueError:
                raise BadInput(f"文件大小上限应为数字（MB）：{max_mb}",
                               f"the size limit must be a number of MB: {max_mb}") from None
            if not (0 < new_max < 1e6):
                raise BadInput(f"文件大小上限应大于 0：{max_mb}", f"the size limit must be above 0: {max_mb}")
    if formats is not UNSET:
        new_formats = _formats(formats)
    if path_budget is not UNSET:
        try:
            new_budget = int(str(path_budget).strip())
        except ValueError:
            raise BadInput(f"路径长度上限应为整数：{path_budget}",
                           f"the path budget must be a whole number: {path_budget}") from None
        if not MIN_BUDGET <= new_budget <= MAX_BUDGET:
            raise BadInput(f"路径长度上限应在 {MIN_BUDGET} 到 {MAX_BUDGET} 之间：{new_budget}",
                           f"the path budget must be {MIN_BUDGET} to {MAX_BUDGET}: {new_budget}")
    limits = PreflightLimits(max_mb=new_max, formats=new_formats, path_budget=new_budget)
    key = LIMITS_KEY.format(fid=fid)
    text = json.dumps({"max_mb": limits.max_mb, "formats": list(limits.formats),
                       "path_budget": limits.path_budget}, ensure_ascii=False)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=text))
    else:
        row.value = text
    session.flush()
    return limits


def preflight_facts(session: Session, today: dt.date | None = None,
                    framework_id: int | None = None) -> PreflightFacts:
    today = today or dt.date.today()
    fid = framework_id if framework_id is not None else current_framework_id(session)
    limits = preflight_limits(session, fid)
    if fid is None:
        return PreflightFacts(None, "", False, today, None, None, None, limits, (), (), (), (), ())
    fw = session.get(Framework, fid)
    sheet = self_score_sheet(session, fid)
    counts = {
        iid: (int(rec or 0), int(acc or 0))
        for iid, rec, acc in session.execute(
            select(
                EvidenceIndicator.indicator_id,
                func.sum(case((Evidence.status == "received", 1), else_=0)),
                func.sum(case((Evidence.status == "accepted", 1), else_=0)),
            )
            .join(Evidence, Evidence.id == EvidenceIndicator.evidence_id)
            .join(Indicator, Indicator.id == EvidenceIndicator.indicator_id)
            .where(Indicator.framework_id == fid, Evidence.trashed_at.is_(None))
            .group_by(EvidenceIndicator.indicator_id)
        )
    }
    indicators = tuple(
        PreflightIndicator(
            indicator_id=r.indicator_id, code=r.code, title=r.title, is_leaf=r.is_leaf,
            is_key=r.is_key, is_veto=r.is_veto,
            received=counts.get(r.indicator_id, (0, 0))[0],
            accepted=counts.get(r.indicator_id, (0, 0))[1],
            self_score=r.self_score, veto_state=r.veto_state,
        )
        for r in sheet.rows
    )
    source = bundle_source(session, fid, statuses=DEFAULT_STATUSES)
    files: list[PreflightFile] = []
    links: dict[int, list[str]] = defaultdict(list)
    for ind in source.indicators:
        label = ind.code or ind.title
        for f in ind.files:
            files.append(PreflightFile(f.evidence_id, label, f.original_name, f.size, f.sha256))
            if label not in links[f.evidence_id]:
                links[f.evidence_id].append(label)
    meta = evidence_meta(session, sorted(links))
    duties = duty_rows(session, (Duty.framework_id == fid) & (Duty.deadline < today), today)
    overdue = tuple(
        PreflightDuty(duty_id=d.id, task=d.task, indicator_code=d.indicator_code,
                      lead="、".join(d.lead), deadline=d.deadline, deadline_text=d.deadline_text,
                      days_left=d.days_left)
        for d in duties if d.state != "done"
    )
    return PreflightFacts(
        framework_id=fid,
        framework_name=fw.name if fw else "",
        is_sample=bool(fw.is_sample) if fw else False,
        today=today,
        data_cutoff=fw.data_cutoff if fw else None,
        period_start=fw.period_start if fw else None,
        period_end=fw.period_end if fw else None,
        limits=limits,
        indicators=indicators,
        evidence=tuple(meta[i] for i in sorted(meta)),
        evidence_codes=tuple((eid, code) for eid in sorted(links) for code in links[eid]),
        files=tuple(files),
        overdue_duties=overdue,
        county_missing=county_facts(session).is_empty(),
    )


__all__ = ["LIMITS_KEY", "preflight_facts", "preflight_limits",
           "set_preflight_limits"]
