"""Rectification items in the 催办 notices and lists: a department leading or cooperating
on an open item (未开始 / 整改中) owes it like a duty, so the reminder notice and list
(desktop.actions.reminders) add these rows to the duties they already carry."""
from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy.orm import Session

from storage.readmodels import DepartmentOwing, DutiesTable, DutyProgressRow, OwedDuty, ReminderSource
from storage.readmodels.review import RectificationItem
from storage.review.rectify import departments_owing_rectification

ROLE_ZH = {"lead": "牵头", "cooperating": "配合"}


def _task(it: RectificationItem) -> str:
    return f"整改事项{it.number}：{it.problem}" + (f"（措施：{it.measures}）" if it.measures else "")


def _days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    return (deadline - today).days if deadline is not None else None


def _deadline_text(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日前" if d is not None else "未定"


def _codes(it: RectificationItem) -> str:
    return "、".join(i.code for i in it.indicators if i.code)


def add_to_source(session: Session, src: ReminderSource, department_id: int | None = None) -> ReminderSource:
    """The reminder notice's departments with their open rectification items added (as
    owed rows after their duties); departments owing only rectification are added too."""
    owing = departments_owing_rectification(session, src.today)
    if department_id is not None:
        owing = [d for d in owing if d.department_id == department_id]
    if not owing:
        return src
    by_id = {d.department_id: d for d in src.departments}
    for d in owing:
        rows = tuple(
            OwedDuty(duty_id=-it.id, task=_task(it), indicator_code=_codes(it),
                     indicator_title="、".join(i.title for i in it.indicators), role=role,
                     deadline=it.deadline, deadline_text=_deadline_text(it.deadline),
                     days_left=_days_left(it.deadline, src.today), state="missing")
            for role, it in d.items
        )
        old = by_id.get(d.department_id)
        if old is None:
            by_id[d.department_id] = DepartmentOwing(d.department_id, d.name, 0, rows)
        else:
            owed = sorted(old.owed + rows, key=lambda o: (o.days_left is None, o.days_left or 0))
            by_id[d.department_id] = dataclasses.replace(old, owed=tuple(owed))
    departments = sorted(by_id.values(), key=lambda x: (-len(x.owed), x.name))
    return dataclasses.replace(src, departments=tuple(departments))


def add_to_table(session: Session, table: DutiesTable, department: str = "") -> DutiesTable:
    """The reminder list's rows with one row per (open rectification item, department)."""
    owing = departments_owing_rectification(session, table.today)
    name = department.strip()
    rows = list(table.rows)
    base = max((r.position for r in rows), default=0)
    for d in owing:
        if name and d.name != name:
            continue
        for role, it in d.items:
            lead = (d.name,) if role == "lead" else ()
            coop = (d.name,) if role == "cooperating" else ()
            rows.append(DutyProgressRow(
                id=-it.id, position=base + it.number, code=f"整改{it.number}", indicator_code=_codes(it),
                indicator_path=tuple(i.title for i in it.indicators), max_score=None, scoring_rule="",
                task=_task(it), lead=lead, cooperating=coop, lead_text="、".join(lead),
                cooperating_text="、".join(coop), departments_cell=f"{d.name}（{ROLE_ZH.get(role, role)}）",
                expected_evidence="整改佐证材料", deadline=it.deadline,
                deadline_kind="date" if it.deadline else "none", deadline_text=_deadline_text(it.deadline),
                received=len(it.evidence), accepted=0, status="已报送" if it.evidence else "未报送",
                overdue=it.overdue, days_left=_days_left(it.deadline, table.today),
                notes=f"整改状态：{it.status}",
            ))
    return dataclasses.replace(table, rows=tuple(rows))
