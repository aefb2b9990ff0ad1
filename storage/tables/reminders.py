"""What the 催办 notices and lists are made from: the departments that owe evidence, with their
rows of the responsibility table."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from storage.catalogue.county import upload_deadline
from storage.catalogue.duties import county_info, departments_owing
from storage.catalogue.queries import current_framework_id
from storage.models import Framework
from storage.readmodels import (
    ReminderSource,
)
from storage.tables.export_query import duties_table


def reminder_source(session: Session, today: dt.date | None = None,
                    department_id: int | None = None) -> ReminderSource:
    """The reminder notice's content: what one department (or every department that owes
    anything) still owes, with the county's contact details."""

    today = today or dt.date.today()
    owing = [d for d in departments_owing(session, today) if d.owed]
    if department_id is not None:
        owing = [d for d in owing if d.department_id == department_id]
    fid = current_framework_id(session)
    fw = session.get(Framework, fid) if fid is not None else None
    return ReminderSource(
        framework_name=fw.name if fw else "", is_sample=bool(fw.is_sample) if fw else False,
        today=today, upload_deadline=upload_deadline(session), county=county_info(session),
        departments=tuple(owing),
    )


def reminder_table(session: Session, today: dt.date | None = None, department: str | None = None):
    """The responsibility table for the 催办清单 (exporters.reminders_xlsx), one department
    or all, owing as the departments view counts it (`departments_owing`: a department owes
    a duty until its own accepted evidence is on the duty's indicator, or accepted evidence
    is linked to the duty). Each row is one (duty, department) pair carrying only that
    department and its own progress, so every department's sheet lists what it owes."""
    from dataclasses import replace


    today = today or dt.date.today()
    table = duties_table(session, today=today)
    owed = {d.name: {o.duty_id: o for o in d.owed} for d in departments_owing(session, today)}
    name = (department or "").strip()
    rows = []
    for r in table.rows:
        for role, names in (("lead", r.lead), ("cooperating", r.cooperating)):
            for n in names:
                o = owed.get(n, {}).get(r.id)
                if o is None or (name and n != name):
                    continue
                got = o.state == "received"
                rows.append(replace(
                    r, lead=(n,) if role == "lead" else (), cooperating=(n,) if role == "cooperating" else (),
                    received=r.received if got else 0, accepted=0, status="已报送" if got else "未报送"))
    return replace(table, rows=tuple(rows), department_filter=name)
