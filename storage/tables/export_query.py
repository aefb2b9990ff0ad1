"""Queries behind the responsibility-table export and the department list: plain read
models, so exporters never see SQLAlchemy."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import and_, case, func, select, union
from sqlalchemy.orm import Session

from storage.catalogue.county import county_facts
from storage.catalogue.departments import find_department
from storage.catalogue.queries import current_framework_id
from storage.kernel.errors import BadInput
from storage.kernel.official import official_name
from storage.models import (
    Department,
    DepartmentAlias,
    Duty,
    DutyDepartment,
    Evidence,
    EvidenceDuty,
    EvidenceIndicator,
    Framework,
    Indicator,
    Setting,
)
from storage.readmodels import DutiesTable, DutyProgressRow
from storage.tables.duties_import import LAYOUT_KEY, labelled_parts

DEFAULT_COLUMNS = (
    ("code", "序号"), ("h1", "一级指标"), ("h2", "二级指标"), ("h3", "三级指标"), ("task", "工作任务"),
    ("lead", "牵头单位"), ("cooperating", "配合单位"), ("evidence", "佐证材料"),
    ("deadline", "完成时限"),
)
LIVE = and_(Evidence.trashed_at.is_(None), Evidence.status != "superseded")


def duties_table(session: Session, *, framework_id: int | None = None,
                 today: dt.date | None = None, department: str | None = None) -> DutiesTable:
    pass

    today = today or dt.date.today()
    fid = framework_id if framework_id is not None else current_framework_id(session)
    fw = session.get(Framework, fid) if fid is not None else None
    layout_raw = session.scalar(select(Setting.value).where(Setting.key == LAYOUT_KEY.format(fid=fid or 0)))
    layout = json.loads(layout_raw) if layout_raw else None
    if layout:
        columns = tuple((r, h) for r, h in layout["columns"])
        title = layout.get("title") or ""
    else:
        columns = DEFAULT_COLUMNS
        title = ""
    if not title:
        title = f"{fw.name if fw else ''}工作责任分解表".strip()
    # the county set in 设置, never a template's placeholder county ("某县…")
    title = official_name(title, county_facts(session).name)

    q = select(Duty).order_by(Duty.source.desc(), Duty.position, Duty.id)
    q = q.where(Duty.framework_id == fid) if fid is not None else q
    dept_filter = ""
    if department:
        dept = find_department(session, department)
        if dept is None:
            raise BadInput(f"找不到单位：{department}", f"no such department: {department}")
        dept_filter = dept.name
        q = q.where(Duty.id.in_(select(DutyDepartment.duty_id).where(DutyDepartment.department_id == dept.id)))
    duties = session.scalars(q).all()
    ids = [d.id for d in duties]

    inds = {}
    if fid is not None:
        inds = {i.id: i for i in session.scalars(select(Indicator).where(Indicator.framework_id == fid))}

    def path(iid: int | None) -> tuple[str, ...]:
        """Titles top → leaf as a county prints them: upper levels with their score
        ("质量发展理念（10分）"), the leaf with its key mark ("★…"), so a re-import of the
        exported table reads the same scores and marks back."""
        out = []
        leaf = True
        while iid is not None and iid in inds:
            ind = inds[iid]
            label = ind.title
            if leaf:
                label = ("★" if ind.is_key else "") + label
            elif ind.max_score is not None:
                label += f"（{_num(ind.max_score)}分）"
            out.append(label)
            leaf = False
            iid = ind.parent_id
        return tuple(reversed(out))

    names: dict[int, list[tuple[str, str]]] = {}
    if ids:
        for duty_id, name, role in session.execute(
            select(DutyDepartment.duty_id, Department.name, DutyDepartment.role)
            .join(Department, Department.id == DutyDepartment.department_id)
            .where(DutyDepartment.duty_id.in_(ids))
            .order_by(DutyDepartment.duty_id, DutyDepartment.role.desc(), DutyDepartment.position)
        ):
            names.setdefault(duty_id, []).append((name, role))

    # evidence linked to the duty itself or to its indicator, each item once
    counts: dict[int, tuple[int, int]] = {}
    if ids:
        links = union(
            select(EvidenceDuty.duty_id.label("duty_id"), EvidenceDuty.evidence_id.label("evidence_id"))
            .where(EvidenceDuty.duty_id.in_(ids)),
            select(Duty.id.label("duty_id"), EvidenceIndicator.evidence_id.label("evidence_id"))
            .join(EvidenceIndicator, EvidenceIndicator.indicator_id == Duty.indicator_id)
            .where(Duty.id.in_(ids)),
        ).subquery()
        for duty_id, n, acc in session.execute(
            select(links.c.duty_id, func.count(), func.sum(case((Evidence.status == "accepted", 1), else_=0)))
            .join(Evidence, Evidence.id == links.c.evidence_id)
            .where(LIVE)
            .group_by(links.c.duty_id)
        ):
            counts[duty_id] = (int(n), int(acc or 0))

    rows = []
    for d in duties:
        ind = inds.get(d.indicator_id) if d.indicator_id else None
        people = names.get(d.id, [])
        lead = tuple(n for n, r in people if r == "lead")
        coop = tuple(n for n, r in people if r == "cooperating")
        parts = labelled_parts(d.departments_text)
        received, accepted = counts.get(d.id, (0, 0))
        status = "已审核" if accepted else ("已报送" if received else "未报送")
        days_left = (d.deadline - today).days if d.deadline else None
        rows.append(DutyProgressRow(
            id=d.id,
            position=d.position,
            code=d.code,
            indicator_code=ind.code if ind else "",
            indicator_path=path(d.indicator_id),
            max_score=float(ind.max_score) if ind is not None and ind.max_score is not None else None,
            scoring_rule=ind.scoring_rule if ind else "",
            task=d.task,
            lead=lead,
            cooperating=coop,
            lead_text=parts.get("lead", "、".join(lead)) if parts else "、".join(lead),
            cooperating_text=(parts.get("cooperating", "" if "lead" in parts else "、".join(coop)) if parts
                              else "、".join(coop)),
            departments_cell=(parts.get("departments", "") if parts else
                              (d.departments_text if d.source == "table" and d.departments_text
                               else _with_lead_mark(lead, coop))),
            expected_evidence=d.expected_evidence,
            deadline=d.deadline,
            deadline_kind=d.deadline_kind,
            deadline_text=d.deadline_text or (d.deadline.isoformat() if d.deadline else ""),
            received=received,
            accepted=accepted,
            status=status,
            overdue=bool(d.deadline and d.deadline < today and not accepted),
            days_left=days_left,
            notes=d.notes,
        ))
    return DutiesTable(
        title=title,
        framework_name=fw.name if fw else "",
        is_sample=bool(fw and fw.is_sample),
        today=today,
        columns=columns,
        rows=tuple(rows),
        department_filter=dept_filter,
    )


def _num(v) -> str:
    d = v.normalize()
    return str(d.quantize(1) if d == d.to_integral_value() else d)


def _with_lead_mark(lead: tuple[str, ...], coop: tuple[str, ...]) -> str:
    return "、".join([f"{n}（牵头）" for n in lead] + list(coop))


def department_list(session: Session) -> list[dict]:
    """Every department with its aliases and how many duties it leads / cooperates on."""
    roles = {
        (dept_id, role): int(n)
        for dept_id, role, n in session.execute(
            select(DutyDepartment.department_id, DutyDepartment.role, func.count())
            .group_by(DutyDepartment.department_id, DutyDepartment.role)
        )
    }
    aliases: dict[int, list[str]] = {}
    for a in session.scalars(select(DepartmentAlias).order_by(DepartmentAlias.id)):
        aliases.setdefault(a.department_id, []).append(a.alias)
    return [
        {
            "id": d.id,
            "name": d.name,
            "is_collective": d.is_collective,
            "aliases": aliases.get(d.id, []),
            "lead": roles.get((d.id, "lead"), 0),
            "cooperating": roles.get((d.id, "cooperating"), 0),
        }
        for d in session.scalars(select(Department).order_by(Department.id))
    ]
