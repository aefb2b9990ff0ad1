"""Plain storage functions behind the window's evidence actions, and the read models its
views show (evidence of a node, detail, duties, what departments owe, inbox, dashboard).

Every function takes a session (or the archive, where it must read a stored file) and
returns frozen read models from `readmodels`; no Qt here. Writes are meant to run inside
`archive.sessions.write()` so they commit, with their audit rows, as one transaction.
"""
from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import String, case, delete, func, select, type_coerce, update
from sqlalchemy.orm import Session

from storage.catalogue.departments import get_or_create_department
from storage.catalogue.ingest import link_indicator
from storage.catalogue.queries import LIVE, current_framework_id, status
from storage.core.archive import Archive
from storage.kernel.errors import BadInput
from storage.models import (
    EVIDENCE_STATUSES,
    AuditLog,
    Blob,
    BlobText,
    Department,
    Duty,
    DutyDepartment,
    Evidence,
    EvidenceDuty,
    EvidenceFile,
    EvidenceIndicator,
    InboxEntry,
    Indicator,
    Setting,
    WatchedFolder,
)
from storage.readmodels import (
    ActivityRow,
    CountyInfo,
    DashboardData,
    DepartmentOwing,
    DutyRow,
    EvidenceDetail,
    EvidenceFileInfo,
    EvidenceRow,
    FilePreview,
    InboxRow,
    IndicatorLink,
    OwedDuty,
    ReminderSource,
)

EDITABLE = ("title", "doc_number", "issue_date", "issuing_body", "department", "status", "notes",
            "period_start", "period_end")
IMAGE_EXT = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}
TEXT_EXT = {".txt", ".csv", ".md", ".json", ".xml", ".html", ".htm"}
MAX_PREVIEW_TEXT = 20_000
MAX_PREVIEW_IMAGE = 16 * 1024 * 1024


# --- reading evidence ----------------------------------------------------------------------


def subtree_ids(session: Session, indicator_id: int) -> list[int]:
    """`indicator_id` and every indicator below it (the tree has tens of nodes)."""
    fw = session.scalar(select(Indicator.framework_id).where(Indicator.id == indicator_id))
    if fw is None:
        return []
    kids: dict[int | None, list[int]] = defaultdict(list)
    for iid, parent in session.execute(
        select(Indicator.id, Indicator.parent_id).where(Indicator.framework_id == fw)
    ):
        kids[parent].append(iid)
    out, stack = [], [indicator_id]
    while stack:
        i = stack.pop()
        out.append(i)
        stack.extend(kids.get(i, ()))
    return out


def _as_date(v: object) -> dt.date | None:
    """A date column read without SQLAlchemy's per-value processing (see evidence_for_node):
    SQLite gives the stored ISO text, other databases a date already."""
    if v is None or isinstance(v, dt.date):
        return v  # type: ignore[return-value]
    return dt.date.fromisoformat(str(v)[:10])


def _as_datetime(v: object) -> dt.datetime | None:
    if v is None or isinstance(v, dt.datetime):
        return v  # type: ignore[return-value]
    return dt.datetime.fromisoformat(str(v))


_ROW_FIELDS = tuple(EvidenceRow.__dataclass_fields__)
_new = object.__new__


def _evidence_row(values: tuple) -> EvidenceRow:
    """EvidenceRow(*values), without the frozen dataclass's per-field __setattr__ calls
    (a level-1 node makes tens of thousands of rows; this is 2.5x faster and the result
    is equal to the normally built row: EvidenceRow has no __post_init__)."""
    row = _new(EvidenceRow)
    row.__dict__.update(zip(_ROW_FIELDS, values))
    return row


def evidence_for_node(session: Session, indicator_id: int, *, limit: int | None = None) -> list[EvidenceRow]:
    """Evidence linked to an indicator or anything below it, not trashed.

    `limit`: only the first that many items of the same list, read indicator by indicator
    through the review-order index (a few milliseconds however big the node: the window
    shows them at once while the whole list is read).

    For a leaf this is its review order; for an inner node, the children's evidence in
    tree order (an item linked twice appears once). Plain column selects, one pass: fast
    enough for tens of thousands of rows (selecting a level-1 node of a 50,000-item
    archive is measured by benchmarks/ui_bench.py). The two date columns are read as
    they are stored and parsed here with `fromisoformat`: SQLAlchemy's SQLite date
    processing (a regular expression per value) was a third of the time.
    """
    ids = subtree_ids(session, indicator_id)
    if not ids:
        return []
    order = {iid: n for n, iid in enumerate(ids)}
    # One statement: the item, its link and its current files (an item with several
    # current files comes back once per file; the first one is shown, the rest counted).
    base = (
        select(
            Evidence.id, Evidence.title, Evidence.doc_number, type_coerce(Evidence.issue_date, String),
            Evidence.status, Department.name, EvidenceIndicator.indicator_id,
            EvidenceIndicator.position, EvidenceFile.id, EvidenceFile.original_name,
            Blob.sha256, Blob.size, type_coerce(EvidenceFile.added_at, String),
        )
        .join(EvidenceIndicator, EvidenceIndicator.evidence_id == Evidence.id)
        .outerjoin(Department, Department.id == Evidence.department_id)
        .outerjoin(EvidenceFile, (EvidenceFile.evidence_id == Evidence.id)
                   & EvidenceFile.is_current.is_(True))
        .outerjoin(Blob, Blob.id == EvidenceFile.blob_id)
        .where(Evidence.trashed_at.is_(None))
    )
    if limit is None:
        rows = session.execute(base.where(EvidenceIndicator.indicator_id.in_(ids))).all()
    else:
        rows, items = [], set()
        for iid in ids:  # tree order; each in review order, as far as the limit needs
            rows += session.execute(
                base.where(EvidenceIndicator.indicator_id == iid)
                .order_by(EvidenceIndicator.position, Evidence.id, EvidenceFile.id)
                .limit(limit - len(items) + 50)  # + a few for items with several files
            ).all()
            items.update(r[0] for r in rows)
            if len(items) >= limit:
                break
    if len(ids) > 1:
        rows.sort(key=lambda r: (order[r[6]], r[7], r[0], r[8] or 0))
    else:
        rows.sort(key=lambda r: (r[7], r[0], r[8] or 0))
    first: dict[int, tuple] = {}
    files: dict[int, int] = {}
    seen_file: set[tuple[int, int]] = set()
    for r in rows:
        eid = r[0]
        if eid not in first:
            first[eid] = r
        if r[8] is not None and (eid, r[8]) not in seen_file:
            seen_file.add((eid, r[8]))
            files[eid] = files.get(eid, 0) + 1
    make, as_date, as_dt = _evidence_row, _as_date, _as_datetime
    out = [
        make((eid, r[1], r[2] or "", as_date(r[3]), r[4], r[5] or "", files.get(eid, 0),
              int(r[11] or 0), r[9] or "", r[10] or "", r[7], as_dt(r[12])))
        for eid, r in first.items()
    ]
    return out if limit is None else out[:limit]


def _chunks(ids: Sequence[int], n: int = 900) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), n):
        yield ids[i:i + n]


def _first_files(session: Session, evidence_ids: list[int]) -> dict[int, tuple]:
    """evidence id -> (current file count, first name, sha256, size, added_at)."""
    out: dict[int, tuple] = {}
    for chunk in _chunks(evidence_ids):
        for eid, name, sha, size, added in session.execute(
            select(EvidenceFile.evidence_id, EvidenceFile.original_name, Blob.sha256, Blob.size,
                   EvidenceFile.added_at)
            .join(Blob, Blob.id == EvidenceFile.blob_id)
            .where(EvidenceFile.evidence_id.in_(chunk), EvidenceFile.is_current.is_(True))
            .order_by(EvidenceFile.evidence_id, EvidenceFile.id)
        ):
            if eid in out:
                n, *rest = out[eid]
                out[eid] = (n + 1, *rest)
            else:
                out[eid] = (1, name, sha, int(size), added)
    return out


def evidence_detail(session: Session, evidence_id: int) -> EvidenceDetail:
    e = session.get(Evidence, evidence_id)
    if e is None:
        raise BadInput(f"找不到佐证材料 #{evidence_id}", f"no evidence #{evidence_id}")
    dept = session.get(Department, e.department_id) if e.department_id else None
    links = tuple(
        IndicatorLink(iid, code, title, pos)
        for iid, code, title, pos in session.execute(
            select(Indicator.id, Indicator.code, Indicator.title, EvidenceIndicator.position)
            .join(EvidenceIndicator, EvidenceIndicator.indicator_id == Indicator.id)
            .where(EvidenceIndicator.evidence_id == evidence_id)
            .order_by(Indicator.framework_id, Indicator.position, Indicator.id)
        )
    )
    files = tuple(
        EvidenceFileInfo(name, sha, int(size), rev, bool(cur), added, src or "")
        for name, sha, size, rev, cur, added, src in session.execute(
            select(EvidenceFile.original_name, Blob.sha256, Blob.size, EvidenceFile.revision,
                   EvidenceFile.is_current, EvidenceFile.added_at, EvidenceFile.source_path)
            .join(Blob, Blob.id == EvidenceFile.blob_id)
            .where(EvidenceFile.evidence_id == evidence_id)
            .order_by(EvidenceFile.is_current.desc(), EvidenceFile.id)
        )
    )
    return EvidenceDetail(
        id=e.id, title=e.title, doc_number=e.doc_number or "", issue_date=e.issue_date,
        issuing_body=e.issuing_body or "", department=dept.name if dept else "",
        status=e.status, notes=e.notes or "", version=e.version,
        period_start=e.period_start, period_end=e.period_end,
        created_at=e.created_at, updated_at=e.updated_at, links=links, files=files,
    )


def department_names(session: Session) -> list[str]:
    return list(session.scalars(select(Department.name).order_by(Department.name)))


# --- editing evidence ----------------------------------------------------------------------


def _date(value: object, label: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise BadInput(f"{label}格式不对：{value}（应为 2023-06-30）", f"bad date for {label}: {value}")


def update_evidence_metadata(
    session: Session, evidence_id: int, *, expected_version: int | None = None, **changes: object
) -> EvidenceDetail:
    """Change an evidence item's metadata; only the given fields change.

    Fields: title, doc_number, issue_date, issuing_body, department (a name; created when
    new, "" for none), status, notes, period_start, period_end. With `expected_version`, an
    item changed meanwhile (another window, the command line) is refused, not overwritten.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise BadInput(f"不能修改这些字段：{'、'.join(sorted(unknown))}", f"not editable: {sorted(unknown)}")
    e = session.get(Evidence, evidence_id)
    if e is None:
        raise BadInput(f"找不到佐证材料 #{evidence_id}", f"no evidence #{evidence_id}")
    if expected_version is not None and e.version != expected_version:
        raise BadInput(
            f"佐证材料 #{evidence_id} 已被其他操作修改，请重新载入后再编辑",
            f"evidence #{evidence_id} was changed meanwhile; reload and edit again",
        )
    if "department" in changes:  # first: finding/creating it flushes, which bumps version
        name = str(changes["department"] or "").strip()
        dept_id = get_or_create_department(session, name).id if name else None
    if "title" in changes:
        title = str(changes["title"] or "").strip()
        if not title:
            raise BadInput("标题不能为空", "the title cannot be empty")
        e.title = title
    for key in ("doc_number", "issuing_body", "notes"):
        if key in changes:
            setattr(e, key, str(changes[key] or "").strip() if key != "notes" else str(changes[key] or ""))
    labels = {"issue_date": "成文日期", "period_start": "起始日期", "period_end": "截止日期"}
    for key, label in labels.items():
        if key in changes:
            setattr(e, key, _date(changes[key], label))
    if "status" in changes:
        st = str(changes["status"])
        if st not in EVIDENCE_STATUSES:
            raise BadInput(f"未知的状态：{st}", f"unknown status: {st}")
        e.status = st
    if "department" in changes:
        e.department_id = dept_id
    session.flush()
    return evidence_detail(session, evidence_id)


def set_review_order(session: Session, indicator_id: int, evidence_ids: Sequence[int]) -> None:
    """Put an indicator's evidence in the given order (the bundle numbers files by it).

    Linked items missing from `evidence_ids` keep their relative order after the given ones;
    ids not linked to the indicator are refused.
    """
    links = {
        eid: pos
        for eid, pos in session.execute(
            select(EvidenceIndicator.evidence_id, EvidenceIndicator.position)
            .where(EvidenceIndicator.indicator_id == indicator_id)
        )
    }
    stray = [i for i in evidence_ids if i not in links]
    if stray:
        raise BadInput(
            f"这些材料未关联到该指标，不能排序：{stray[:5]}", f"not linked to the indicator: {stray[:5]}"
        )
    given = list(dict.fromkeys(evidence_ids))
    rest = sorted((i for i in links if i not in set(given)), key=lambda i: (links[i], i))
    for pos, eid in enumerate(given + rest, start=1):
        if links[eid] != pos:
            session.execute(
                update(EvidenceIndicator)
                .where(EvidenceIndicator.indicator_id == indicator_id,
                       EvidenceIndicator.evidence_id == eid)
                .values(position=pos)
            )


def _check_indicator(session: Session, indicator_id: int) -> None:
    if session.get(Indicator, indicator_id) is None:
        raise BadInput(f"找不到指标 #{indicator_id}", f"no indicator #{indicator_id}")


def link_evidence(session: Session, evidence_ids: Iterable[int], indicator_id: int) -> int:
    """Link items to an indicator (at the end of its review order); returns how many new."""
    _check_indicator(session, indicator_id)
    return sum(1 for eid in evidence_ids if link_indicator(session, eid, indicator_id))


def link_evidence_to_duty(session: Session, evidence_ids: Iterable[int], duty_id: int) -> int:
    """Link items to a responsibility-table row and to that row's indicator (at the end of
    its review order); returns how many items were newly linked to the duty."""
    duty = session.get(Duty, duty_id)
    if duty is None:
        raise BadInput(f"找不到任务 #{duty_id}", f"no duty #{duty_id}")
    n = 0
    for eid in dict.fromkeys(evidence_ids):
        if session.get(Evidence, eid) is None:
            raise BadInput(f"找不到佐证材料 #{eid}", f"no evidence #{eid}")
        if session.get(EvidenceDuty, (eid, duty_id)) is None:
            session.add(EvidenceDuty(evidence_id=eid, duty_id=duty_id))
            n += 1
        if duty.indicator_id is not None:
            link_indicator(session, eid, duty.indicator_id)
    session.flush()
    return n


def unlink_evidence(session: Session, evidence_ids: Iterable[int], indicator_id: int) -> int:
    ids = list(evidence_ids)
    res = session.execute(
        delete(EvidenceIndicator).where(
            EvidenceIndicator.indicator_id == indicator_id, EvidenceIndicator.evidence_id.in_(ids)
        )
    )
    return int(res.rowcount or 0)


def _bulk_set(session: Session, evidence_ids: Iterable[int], attr: str, value: object) -> int:
    """Set one attribute on many evidence items (through the ORM, so each change is
    audited and version-checked); returns how many actually changed."""
    n = 0
    for chunk in _chunks(list(evidence_ids)):
        for e in session.scalars(select(Evidence).where(Evidence.id.in_(chunk))):
            if getattr(e, attr) != value:
                setattr(e, attr, value)
                n += 1
    session.flush()
    return n


def bulk_set_status(session: Session, evidence_ids: Iterable[int], new_status: str) -> int:
    if new_status not in EVIDENCE_STATUSES:
        raise BadInput(f"未知的状态：{new_status}", f"unknown status: {new_status}")
    return _bulk_set(session, evidence_ids, "status", new_status)


def bulk_set_department(session: Session, evidence_ids: Iterable[int], department: str) -> int:
    name = (department or "").strip()
    dept_id = get_or_create_department(session, name).id if name else None
    return _bulk_set(session, evidence_ids, "department_id", dept_id)


# --- duties and departments ----------------------------------------------------------------


def _days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    return (deadline - today).days if deadline else None


def _indicator_evidence(session: Session, fid: int | None,
                        only: Sequence[int] | None = None) -> tuple[dict, dict]:
    """(indicator -> (received, accepted)), ((indicator, department) -> (received, accepted)),
    for every indicator of the framework, or just the indicators `only` (far cheaper on a
    big archive: the counts use the link index instead of grouping every link)."""
    by_ind: dict[int, tuple[int, int]] = {}
    by_pair: dict[tuple[int, int | None], tuple[int, int]] = {}
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
        if not only:
            return by_ind, by_pair
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


def _duties(session: Session, where, today: dt.date) -> list[DutyRow]:  # noqa: ANN001
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
    return _duties(session, Duty.indicator_id.in_(ids), today or dt.date.today())


def all_duties(session: Session, today: dt.date | None = None) -> list[DutyRow]:
    """Every responsibility-table row of the current framework (for pickers)."""
    fid = current_framework_id(session)
    where = (Duty.framework_id == fid) | Duty.framework_id.is_(None) if fid is not None else Duty.id.is_not(None)
    return _duties(session, where, today or dt.date.today())


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
    from storage.catalogue.county import county_facts

    c = county_facts(session)
    return CountyInfo(
        name=c.name, population=c.population, area=c.area,
        gdp=tuple((g.year, g.value) for g in c.gdp), leaders=tuple((x.role, x.name) for x in c.leaders),
        contact_name=c.contact_name, contact_phone=c.contact_phone, contact_unit=c.contact_unit,
        extra=tuple(c.extra),
    )


def reminder_source(session: Session, today: dt.date | None = None,
                    department_id: int | None = None) -> ReminderSource:
    """The reminder notice's content: what one department (or every department that owes
    anything) still owes, with the county's contact details."""
    from storage.models import Framework

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


def reminder_table(session: Session, today: dt.date | None = None, department: str | None = None):  # noqa: ANN201
    """The responsibility table for the 催办清单 (exporters.reminders_xlsx), one department
    or all, owing as the departments view counts it (`departments_owing`: a department owes
    a duty until its own accepted evidence is on the duty's indicator, or accepted evidence
    is linked to the duty). Each row is one (duty, department) pair carrying only that
    department and its own progress, so every department's sheet lists what it owes."""
    from dataclasses import replace

    from storage.tables.export_query import duties_table

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


# --- inbox, dashboard ------------------------------------------------------------------------


def _suggestion_text(raw: str) -> str:
    if not raw:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    if isinstance(data, dict):
        parts = []
        for key, label in (("indicator_code", "指标"), ("indicator", "指标"),
                           ("department", "单位"), ("title", "标题")):
            if data.get(key):
                parts.append(f"{label} {data[key]}")
        return "；".join(parts) or json.dumps(data, ensure_ascii=False)
    return str(data)


def inbox_rows(session: Session, state: str | None = "pending", limit: int = 1000) -> list[InboxRow]:
    """Files found in watched folders, newest first (state None: every state)."""
    q = (
        select(InboxEntry, WatchedFolder.path)
        .outerjoin(WatchedFolder, WatchedFolder.id == InboxEntry.watched_folder_id)
        .order_by(InboxEntry.detected_at.desc(), InboxEntry.id.desc())
        .limit(limit)
    )
    if state:
        q = q.where(InboxEntry.state == state)
    return [
        InboxRow(
            id=e.id, source_path=e.source_path,
            name=Path(e.source_path.replace("\\", "/")).name or e.source_path,
            folder=folder or "", size=e.size, detected_at=e.detected_at, state=e.state,
            reason=e.reason or "", suggestion=_suggestion_text(e.suggestion or ""),
            confidence=float(e.confidence) if e.confidence is not None else None,
        )
        for e, folder in session.execute(q)
    ]


def upload_deadline(session: Session) -> dt.date | None:
    raw = session.scalar(select(Setting.value).where(Setting.key == "upload_deadline"))
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


# What the clerk did, in the clerk's words: bookkeeping rows (stored blobs, extracted text,
# scan records, per-file rows that come with every item) are left out of the activity feed.
ACTIVITY_ENTITIES = ("evidence", "evidence_indicator", "evidence_duty", "duty", "framework",
                     "inbox_entry", "watched_folder", "setting", "department",
                     "indicator_assessment", "submission")
_FIELD_NAMES = {"title": "标题", "doc_number": "文号", "issue_date": "成文日期",
                "issuing_body": "发文单位", "department_id": "报送单位", "status": "状态",
                "notes": "备注", "trashed_at": "回收站", "position": "顺序", "state": "状态",
                "self_score": "自评得分", "deduction_note": "扣分说明", "value": "值",
                "deadline": "完成时限", "task": "任务", "actual_value": "实际值"}
_STATUS_NAMES = {"received": "已收到", "accepted": "已审核", "returned": "已退回",
                 "superseded": "已替换", "pending": "待处理", "ignored": "已忽略"}


def _activity_text(entity: str, action: str, entity_id: str, raw: str) -> str:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    if action == "update":
        parts = []
        for key, change in data.items():
            if key in ("version", "updated_at") or not isinstance(change, list) or len(change) != 2:
                continue
            old, new = (_STATUS_NAMES.get(str(v), v) if key in ("status", "state") else v
                        for v in change)
            parts.append(f"{_FIELD_NAMES.get(key, key)}：{old or '（空）'} → {new or '（空）'}")
        return "；".join(parts)[:200]
    if entity == "evidence":
        return f"#{entity_id} {data.get('title', '')}".strip()
    if entity == "evidence_indicator":
        return f"材料 #{data.get('evidence_id', '')} → 指标 #{data.get('indicator_id', '')}"
    if entity == "evidence_duty":
        return f"材料 #{data.get('evidence_id', '')} → 任务 #{data.get('duty_id', '')}"
    for key in ("task", "name", "path", "key", "title"):
        if data.get(key):
            return str(data[key])[:120]
    return f"#{entity_id}" if entity_id else ""


def recent_activity(session: Session, limit: int = 12) -> tuple[ActivityRow, ...]:
    """The last `limit` changes a clerk would recognise, newest first, with a readable
    summary ("状态：已收到 → 已审核", "#12 关于印发…的通知")."""
    rows = session.scalars(
        select(AuditLog).where(AuditLog.entity.in_(ACTIVITY_ENTITIES))
        .order_by(AuditLog.id.desc()).limit(limit)
    )
    return tuple(
        ActivityRow(a.at, a.user, a.action, a.entity, a.entity_id,
                    _activity_text(a.entity, a.action, a.entity_id or "", a.summary or ""))
        for a in rows
    )


def dashboard(session: Session, archive_path: str = "", today: dt.date | None = None) -> DashboardData:
    today = today or dt.date.today()
    fid = current_framework_id(session)
    where = Duty.deadline < today
    if fid is not None:
        where = where & ((Duty.framework_id == fid) | Duty.framework_id.is_(None))
    overdue = tuple(d for d in _duties(session, where, today) if d.state != "done")
    recent = recent_activity(session)
    return DashboardData(
        status=status(session, archive_path), today=today,
        upload_deadline=upload_deadline(session), overdue=overdue, recent=recent,
    )


# --- preview ---------------------------------------------------------------------------------


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    lines = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


def _xlsx_text(path: Path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    lines = []
    try:
        for ws in wb.worksheets:
            lines.append(f"【{ws.title}】")
            for row in ws.iter_rows(values_only=True):
                if any(v is not None for v in row):
                    lines.append(" | ".join("" if v is None else str(v) for v in row))
                if len(lines) > 2000:
                    break
    finally:
        wb.close()
    return "\n".join(lines)


def file_preview(archive: Archive, evidence_id: int) -> FilePreview:
    """The current first file of an item, made ready to show: image bytes, or its text
    (extracted text when ingest stored it, else read from .docx/.xlsx/.txt here)."""
    with archive.sessions.read() as s:
        row = s.execute(
            select(EvidenceFile.original_name, Blob.sha256, Blob.size, Blob.id)
            .join(Blob, Blob.id == EvidenceFile.blob_id)
            .where(EvidenceFile.evidence_id == evidence_id, EvidenceFile.is_current.is_(True))
            .order_by(EvidenceFile.id).limit(1)
        ).first()
        stored_text = None
        if row is not None:
            stored_text = s.scalar(select(BlobText.text).where(BlobText.blob_id == row[3]))
    if row is None:
        return FilePreview(evidence_id, "none", "", "", note="这份材料没有文件")
    name, sha, size, _ = row
    path = archive.files.path_for(sha)
    ext = Path(name).suffix.lower()
    if not path.is_file():
        return FilePreview(evidence_id, "none", name, str(path), note="存储区中找不到该文件，请运行校验")
    if ext in IMAGE_EXT:
        if size > MAX_PREVIEW_IMAGE:
            return FilePreview(evidence_id, "none", name, str(path), note="图片过大，请用系统程序打开")
        return FilePreview(evidence_id, "image", name, str(path), data=path.read_bytes())
    text, note = stored_text or "", ""
    if not text:
        try:
            if ext == ".docx":
                text = _docx_text(path)
            elif ext in (".xlsx", ".xlsm"):
                text = _xlsx_text(path)
            elif ext in TEXT_EXT:
                with open(path, "rb") as f:
                    raw = f.read(MAX_PREVIEW_TEXT * 4)
                for enc in ("utf-8", "gb18030"):
                    try:
                        text = raw.decode(enc)
                        break
                    except UnicodeDecodeError:
                        continue
            else:
                note = f"无法预览 {ext or '该类型'} 文件，请用系统程序打开"
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
            note = f"无法读取文件内容：{e}"
    if len(text) > MAX_PREVIEW_TEXT:
        text = text[:MAX_PREVIEW_TEXT] + "\n……（内容过长，仅显示开头）"
    return FilePreview(evidence_id, "text" if text else "none", name, str(path), text=text, note=note)


__all__ = [
    "all_duties", "bulk_set_department", "county_info", "reminder_source", "reminder_table", "bulk_set_status", "dashboard", "department_names",
    "departments_owing", "duties_for_node", "evidence_detail", "evidence_for_node",
    "file_preview", "inbox_rows", "link_evidence", "link_evidence_to_duty", "set_review_order", "subtree_ids",
    "unlink_evidence", "update_evidence_metadata", "upload_deadline",
]
