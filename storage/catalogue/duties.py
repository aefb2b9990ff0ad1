"""Duties with their progress: what each row of the responsibility table has received, what is
overdue, and which departments owe evidence."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.catalogue import counts
from storage.catalogue.county import county_facts
from storage.catalogue.items import subtree_ids
from storage.catalogue.queries import LIVE, counts_fetch, current_framework_id, on_sqlite
from storage.models import (
    Department,
    Duty,
    DutyDepartment,
    Evidence,
    EvidenceDuty,
    EvidenceIndicator,
    Indicator,
)
from storage.readmodels import (
    CountyInfo,
    DepartmentOwing,
    DutyRow,
    OwedDuty,
)


def _days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    return (deadline - today).days if deadline else None


TALLY_PAIRS = "SELECT key, n, m FROM tally WHERE kind = 'pair' AND n <> 0"


def _indicator_evidence(session: Session, fid: int | None,
                        only: Sequence[int] | None = None, *, tally: bool | None = None) -> tuple[dict, dict]:
    """(indicator -> (received, accepted)), ((indicator, department) -> (received, accepted)),
    for every indicator of the framework, or just the indicators `only`. Read from the
    trigger-kept tally where there is one (SQLite, schema 0006; `tally=False` forces the
    scan, for tests), else counted from the links (with `only`, from the link index)."""
    by_ind: dict[int, tuple[int, int]] = {}
    by_pair: dict[tuple[int, int | None], tuple[int, int]] = {}
    if only is not None and not only:
        return by_ind, by_pair
    fetch = counts_fetch(session)
    if tally if tally is not None else counts.has_tally(fetch, on_sqlite(session)):
        # kept by triggers (storage.core.tally): a few hundred rows instead of every link
        if only is not None:
            wanted: set[int] | None = set(only)
        elif fid is not None:
            wanted = set(session.scalars(select(Indicator.id).where(Indicator.framework_id == fid)))
        else:
            wanted = None
        for key, n, acc in fetch(TALLY_PAIRS, {}):
            iid_text, _, did_text = str(key).partition("/")
            iid = int(iid_text)
            if wanted is not None and iid not in wanted:
                continue
            n, acc = int(n), int(acc or 0)
            by_pair[(iid, int(did_text) if did_text else None)] = (n, acc)
            r, a = by_ind.get(iid, (0, 0))
            by_ind[iid] = (r + n, a + acc)
        return by_ind, by_pair
    q = (
        select(
            EvidenceIndicator.indicator_id, Evidence.department_id, func.count(),
            func.sum(case((Evidence.status == "accepted", 1), else_=0)),
        )
        .join(Evidence, Evidence.id == EvidenceIndicator.evidence_id)
        .where(LIVE)
        .group_by(EvidenceIndicator.indicator_id, Evidence.department_id)
    )
    if only is not None:
        q = q.where(EvidenceIndicator.indicator_id.in_(list(only)))
    elif fid is not None:
        q = q.join(Indicator, Indicator.id == EvidenceIndicator.indicator_id).where(
            Indicator.framework_id == fid)
    for iid, did, n, acc in session.execute(q):
        n, acc = int(n), int(acc or 0)
        by_pair[(iid, did)] = (n, acc)
        r, a = by_ind.get(iid, (0, 0))
        by_ind[iid] = (r + n, a + acc)
    return by_ind, by_pair


def _duty_state(received: int, accepted: int, days_left: int | None) -> str:
    if accepted:
        return "done"
    if received:
        return "partial"
    if days_left is not None and days_left < 0:
        return "overdue"
    return "missing"


def duty_rows(session: Session, where: ColumnElement[bool], today: dt.date) -> list[DutyRow]:
    fid = current_framework_id(session)
    duties = session.execute(
        select(Duty, Indicator.code).outerjoin(Indicator, Indicator.id == Duty.indicator_id)
        .where(where).order_by(Duty.position, Duty.id)
    ).all()
    if not duties:
        return []
    ids = [d.id for d, _ in duties]
    roles: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "cooperating": []})
    for did, role, name in session.execute(
        select(DutyDepartment.duty_id, DutyDepartment.role, Department.name)
        .join(Department, Department.id == DutyDepartment.department_id)
        .where(DutyDepartment.duty_id.in_(ids))
        .order_by(DutyDepartment.duty_id, DutyDepartment.position)
    ):
        roles[did][role].append(name)
    by_ind, _ = _indicator_evidence(session, fid, only=sorted({d.indicator_id for d, _ in duties if d.indicator_id}))
    direct = dict(session.execute(
        select(EvidenceDuty.duty_id, func.count())
        .join(Evidence, Evidence.id == EvidenceDuty.evidence_id)
        .where(LIVE, EvidenceDuty.duty_id.in_(ids)).group_by(EvidenceDuty.duty_id)
    ).all())
    out = []
    for d, code in duties:
        r, a = by_ind.get(d.indicator_id, (0, 0)) if d.indicator_id else (0, 0)
        r += int(direct.get(d.id, 0))
        left = _days_left(d.deadline, today)
        out.append(DutyRow(
            id=d.id, task=d.task, indicator_id=d.indicator_id, indicator_code=code or "",
            lead=tuple(roles[d.id]["lead"]), cooperating=tuple(roles[d.id]["cooperating"]),
            expected_evidence=d.expected_evidence or "", deadline=d.deadline,
            deadline_text=d.deadline_text or "", days_left=left, state=_duty_state(r, a, left),
        ))
    return out


def duties_for_node(session: Session, indicator_id: int, today: dt.date | None = None) -> list[DutyRow]:
    """The responsibility-table rows of an indicator and everything below it."""
    ids = subtree_ids(session, indicator_id)
    if not ids:
        return []
    return duty_rows(session, Duty.indicator_id.in_(ids), today or dt.date.today())


def all_duties(session: Session, today: dt.date | None = None) -> list[DutyRow]:
    """Every responsibility-table row of the current framework (for pickers)."""
    fid = current_framework_id(session)
    where = (Duty.framework_id == fid) | Duty.framework_id.is_(None) if fid is not None else Duty.id.is_not(None)
    return duty_rows(session, where, today or dt.date.today())


def departments_owing(session: Session, today: dt.date | None = None) -> list[DepartmentOwing]:
    """For each department named in the responsibility table: the duties for which it has
    not yet delivered accepted evidence (its own evidence on the duty's indicator, or any
    evidence linked to the duty itself), most overdue first; departments owing most first."""
    today = today or dt.date.today()
    fid = current_framework_id(session)
    q = (
        select(Department.id, Department.name, DutyDepartment.role, Duty.id, Duty.task,
               Duty.indicator_id, Duty.deadline, Duty.deadline_text, Indicator.code,
               Indicator.title)
        .join(DutyDepartment, DutyDepartment.department_id == Department.id)
        .join(Duty, Duty.id == DutyDepartment.duty_id)
        .outerjoin(Indicator, Indicator.id == Duty.indicator_id)
        .order_by(Department.name, Duty.position, Duty.id)
    )
    if fid is not None:
        q = q.where((Duty.framework_id == fid) | Duty.framework_id.is_(None))
    rows = session.execute(q).all()
    _, by_pair = _indicator_evidence(session, fid)
    direct_acc = {
        did for did, in session.execute(
            select(EvidenceDuty.duty_id).join(Evidence, Evidence.id == EvidenceDuty.evidence_id)
            .where(LIVE, Evidence.status == "accepted").distinct()
        )
    }
    totals = {
        did: (int(n), int(a or 0))
        for did, n, a in session.execute(
            select(Evidence.department_id, func.count(),
                   func.sum(case((Evidence.status == "accepted", 1), else_=0)))
            .where(LIVE).group_by(Evidence.department_id)
        )
    }
    per: dict[int, dict] = {}
    for dept_id, name, role, duty_id, task, ind_id, deadline, dtext, code, ititle in rows:
        entry = per.setdefault(dept_id, {"name": name, "total": 0, "owed": []})
        entry["total"] += 1
        rec, acc = by_pair.get((ind_id, dept_id), (0, 0)) if ind_id else (0, 0)
        if acc or duty_id in direct_acc:
            continue
        entry["owed"].append(OwedDuty(
            duty_id=duty_id, task=task, indicator_code=code or "", indicator_title=ititle or "",
            role=role, deadline=deadline, deadline_text=dtext or "",
            days_left=_days_left(deadline, today), state="received" if rec else "missing",
        ))
    out = []
    for dept_id, e in per.items():
        owed = sorted(e["owed"], key=lambda o: (o.days_left is None, o.days_left or 0, o.duty_id))
        r, a = totals.get(dept_id, (0, 0))
        out.append(DepartmentOwing(dept_id, e["name"], e["total"], tuple(owed), r, a))
    out.sort(key=lambda d: (-len(d.owed), d.name))
    return out


def county_info(session: Session) -> CountyInfo:
    c = county_facts(session)
    return CountyInfo(
        name=c.name, population=c.population, area=c.area,
        gdp=tuple((g.year, g.value) for g in c.gdp), leaders=tuple((x.role, x.name) for x in c.leaders),
        contact_name=c.contact_name, contact_phone=c.contact_phone, contact_unit=c.contact_unit,
        extra=tuple(c.extra),
    )
