"""Frameworks (indicator systems) and duties written from plain specs.

Importers (Excel/Word) and the demo both produce these specs; this module is the one place
that turns them into rows.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from json import encoder as _enc
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, String, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage.catalogue.departments import DepartmentResolver
from storage.core.audit import current_user, log_rows
from storage.core.db import driver_insert, insert_returning_ids
from storage.kernel.text import fold
from storage.models import (
    AuditLog,
    Department,
    Duty,
    DutyDepartment,
    EvidenceDuty,
    EvidenceIndicator,
    Framework,
    Indicator,
    utcnow,
)


@dataclass
class IndicatorSpec:
    code: str
    title: str
    max_score: Decimal | float | None = None
    scoring_rule: str = ""
    is_key: bool = False
    is_veto: bool = False
    target_comparator: str | None = None
    target_value: Decimal | float | None = None
    target_unit: str = ""
    target_text: str = ""
    children: list[IndicatorSpec] = field(default_factory=list)
    explicit_code: bool = False  # the code is printed in the table (not made from positions)


@dataclass
class FrameworkSpec:
    name: str
    indicators: list[IndicatorSpec]
    version: str = ""
    region: str = ""
    total_score: Decimal | float | None = None
    data_cutoff: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    is_sample: bool = False
    source_file: str = ""


@dataclass
class DutySpec:
    task: str
    indicator_code: str = ""
    code: str = ""
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    expected_evidence: str = ""
    deadline: dt.date | None = None
    deadline_kind: str = "none"  # date | recurring | none
    deadline_text: str = ""
    departments_text: str = ""
    source: str = "table"
    notes: str = ""                   # the table's 备注 / 工作考核 cell
    indicator_id: int | None = None   # when the importer resolved the indicator itself
    row: int = 0                      # where it came from (table row or paragraph), for reports


def _dec(v: Decimal | float | None) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def add_framework(session: Session, spec: FrameworkSpec) -> Framework:
    fw = Framework(
        name=spec.name,
        version=spec.version,
        region=spec.region,
        total_score=_dec(spec.total_score),
        data_cutoff=spec.data_cutoff,
        period_start=spec.period_start,
        period_end=spec.period_end,
        is_sample=spec.is_sample,
        source_file=spec.source_file,
    )
    session.add(fw)
    session.flush()
    # One INSERT … RETURNING per level of the tree (not a flush per indicator): a 10,000-row
    # table is a few statements. Audit rows are written alongside, as the flush hook would.
    table = Indicator.__table__
    level_nodes: list[tuple[IndicatorSpec, int | None, int]] = [
        (n, None, pos) for pos, n in enumerate(spec.indicators, start=1)]
    level = 1
    while level_nodes:
        params = [
            {
                "framework_id": fw.id, "parent_id": parent_id, "level": level, "position": pos,
                "code": node.code, "title": node.title, "scoring_rule": node.scoring_rule,
                "max_score": _dec(node.max_score), "is_key": node.is_key, "is_veto": node.is_veto,
                "target_comparator": node.target_comparator, "target_value": _dec(node.target_value),
                "target_unit": node.target_unit, "target_text": node.target_text,
            }
            for node, parent_id, pos in level_nodes
        ]
        ids = insert_returning_ids(session, table, params)
        _audit_inserts(session, table.name, params, ids, table)
        level_nodes = [(child, ind_id, pos) for (node, _, _), ind_id in zip(level_nodes, ids, strict=True)
                       for pos, child in enumerate(node.children, start=1)]
        level += 1
    return fw


def _audit_json_encoder() -> Callable[[dict[str, Any]], str]:
    """json.dumps(…, ensure_ascii=False, default=str) of a flat summary, without building an
    encoder per row (the C encoder json.dumps makes itself, made once; the same text)."""
    c_make_encoder = getattr(_enc, "c_make_encoder", None)   # typeshed does not list it
    if c_make_encoder is None:   # pragma: no cover - CPython always has it
        return json.JSONEncoder(ensure_ascii=False, default=str).encode
    make = c_make_encoder(None, str, _enc.encode_basestring, None, ": ", ", ", False, False, True)
    return lambda summary: "".join(make(summary, 0))


_AUDIT_JSON = _audit_json_encoder()
_AUDIT_CUT = 200


def _may_be_long(column: Any) -> bool:
    """A column whose values may be strings over the audit summary's cut."""
    kind = column.type
    if isinstance(kind, String):
        return kind.length is None or kind.length > _AUDIT_CUT
    return not isinstance(kind, (Integer, Numeric, Date, DateTime, Boolean))


def _audit_inserts(session: Session, entity: str, rows: list[dict[str, Any]], keys: list[Any],
                   table: Any = None) -> None:
    """Audit rows for bulk inserts, as the flush hook writes them (one per row, its columns as
    the summary, long texts cut at 200 characters). `table` (the rows' table) tells which
    columns can hold a long text; without it every column is looked at."""
    if not rows:
        return
    if session.connection().dialect.name != "sqlite":
        log_rows(session, "insert", entity, [{"id": k, **r} for k, r in zip(keys, rows, strict=True)])
        return
    now, user = utcnow(), session.info.get("audit_user") or current_user()
    cut = [c for c in rows[0] if table is None or _may_be_long(table.c[c])]
    entries = []
    for k, r in zip(keys, rows, strict=True):
        summary = {"id": k, **r}
        for c in cut:
            v = summary[c]
            if v.__class__ is str and len(v) > _AUDIT_CUT:
                summary[c] = v[:_AUDIT_CUT] + "…"
        entries.append({"at": now, "user": user, "action": "insert", "entity": entity, "entity_id": str(k),
                        "summary": _AUDIT_JSON(summary)})
    driver_insert(session, AuditLog.__table__, entries, with_ids=False)


def _sqlite_has_json(session: Session) -> bool:
    """Whether this SQLite has the JSON functions (built in since 3.38; most older builds
    have them too). Asked once per process."""
    global _SQLITE_JSON
    if _SQLITE_JSON is None:
        try:
            session.connection().exec_driver_sql("SELECT json_object('a', 1)").scalar()
            _SQLITE_JSON = True
        except DBAPIError:
            _SQLITE_JSON = False
    return _SQLITE_JSON


_SQLITE_JSON: bool | None = None


def _audit_by_select(session: Session, table: Any, columns: list[str], key: list[str], *,
                     where: str, args: tuple[Any, ...], order: str) -> bool:
    """Audit rows for rows just bulk-inserted into `table`, written by one INSERT … SELECT
    inside SQLite: the same entries `_audit_inserts` writes (one per row, entity id the key
    columns joined by ",", the summary the id and `columns` in that order, texts over 200
    characters cut), the summary made by SQLite's json_object, so no row passes through
    Python. The JSON is the same document (json_object leaves out the blanks after ":" and
    ","; readers parse it). `where` (with `args`) picks the new rows, `order` is the order
    they were inserted in. False (nothing written) where this cannot give the same summary:
    not SQLite, no JSON functions, or a column whose stored form is not its audited form
    (decimals, date-times): the caller then audits in Python."""
    if session.connection().dialect.name != "sqlite" or not _sqlite_has_json(session):
        return False
    parts: list[str] = []
    for name in columns:
        col = table.c[name]
        q = f'"{name}"'
        if isinstance(col.type, Boolean):
            expr = f"json(CASE WHEN {q} IS NULL THEN 'null' WHEN {q} THEN 'true' ELSE 'false' END)"
        elif isinstance(col.type, (Numeric, DateTime)):
            return False
        elif _may_be_long(col):
            expr = f"CASE WHEN length({q}) > {_AUDIT_CUT} THEN substr({q}, 1, {_AUDIT_CUT}) || '…' ELSE {q} END"
        else:
            expr = q
        parts.append(f"'{name}', {expr}")
    if len(key) == 1:
        ident, summary_id = f'CAST("{key[0]}" AS TEXT)', f'"{key[0]}"'
    else:
        ident = " || ',' || ".join(f'CAST("{k}" AS TEXT)' for k in key)
        summary_id = ident
    at = AuditLog.__table__.c.at.type._cached_bind_processor(session.connection().dialect)
    now = utcnow()
    sql = (f'INSERT INTO audit_log (at, user, action, entity, entity_id, summary) '
           f"SELECT ?, ?, 'insert', ?, {ident}, json_object('id', {summary_id}, {', '.join(parts)}) "
           f'FROM "{table.name}" WHERE {where} ORDER BY {order}')
    session.connection().exec_driver_sql(
        sql, (at(now) if at else now, session.info.get("audit_user") or current_user(), table.name, *args))
    return True



@dataclass
class Diff:
    """Differences a re-import made: plain dicts, ready for the report."""

    added: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    kept: list[dict] = field(default_factory=list)


_IND_FIELDS = (
    "code", "title", "level", "position", "parent_id", "scoring_rule", "max_score", "is_key",
    "is_veto", "target_comparator", "target_value", "target_unit", "target_text",
)


def _same(a: object, b: object) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        if a is None or b is None:
            return a is b
        return Decimal(str(a)) == Decimal(str(b))
    return a == b


def sync_framework(
    session: Session, spec: FrameworkSpec, *, new: bool = False, framework_id: int | None = None
) -> tuple[Framework, Diff]:
    """Write `spec`: as a new framework, or over the framework of the same name in place.

    In place: indicators are matched by title under the same parent, then by a code printed
    in the table (codes made from positions shift when rows are inserted), then by title
    anywhere (moved); matched rows keep their id, so evidence links and duties stay.
    Indicators gone from the spec are deleted unless evidence is linked to them (or to one
    below them): those are kept and reported.
    """
    diff = Diff()
    fw = None
    if framework_id is not None:
        fw = session.get(Framework, framework_id)
    elif not new:
        fw = session.scalar(
            select(Framework).where(Framework.name == spec.name).order_by(Framework.id.desc())
        )
    if fw is None:
        fw = add_framework(session, spec)

        def walk(nodes: list[IndicatorSpec], level: int) -> None:
            for n in nodes:
                diff.added.append({"code": n.code, "title": n.title, "level": level})
                walk(n.children, level + 1)

        walk(spec.indicators, 1)
        return fw, diff

    for attr in ("total_score", "data_cutoff", "source_file"):
        new_v = _dec(getattr(spec, attr)) if attr == "total_score" else getattr(spec, attr)
        if new_v is not None and not _same(getattr(fw, attr), new_v):
            setattr(fw, attr, new_v)
    existing = session.scalars(select(Indicator).where(Indicator.framework_id == fw.id)).all()
    by_parent: dict[int | None, list[Indicator]] = {}
    for ind in existing:
        by_parent.setdefault(ind.parent_id, []).append(ind)
    matched: set[int] = set()
    by_title_anywhere: dict[tuple[int, str], list[Indicator]] = {}
    for ind in existing:
        by_title_anywhere.setdefault((ind.level, fold(ind.title)), []).append(ind)

    def pick(parent_id: int | None, node: IndicatorSpec, level: int) -> Indicator | None:
        pool = [i for i in by_parent.get(parent_id, []) if i.id not in matched]
        for test in (
            lambda i: fold(i.title) == fold(node.title),
            lambda i: node.explicit_code and bool(node.code) and i.code == node.code,
        ):
            for i in pool:
                if test(i):
                    return i
        for i in by_title_anywhere.get((level, fold(node.title)), []):
            if i.id not in matched:
                return i
        return None

    new_codes: set[str] = set()

    def collect(nodes: list[IndicatorSpec]) -> None:
        for n in nodes:
            new_codes.add(n.code)
            collect(n.children)

    collect(spec.indicators)

    def sync(nodes: list[IndicatorSpec], parent: Indicator | None, level: int) -> None:
        for pos, node in enumerate(nodes, start=1):
            values = {
                "code": node.code, "title": node.title, "level": level, "position": pos,
                "parent_id": parent.id if parent else None, "scoring_rule": node.scoring_rule,
                "max_score": _dec(node.max_score), "is_key": node.is_key, "is_veto": node.is_veto,
                "target_comparator": node.target_comparator,
                "target_value": _dec(node.target_value), "target_unit": node.target_unit,
                "target_text": node.target_text,
            }
            ind = pick(parent.id if parent else None, node, level)
            if ind is None:
                ind = Indicator(framework_id=fw.id, **values)
                session.add(ind)
                session.flush()
                diff.added.append({"code": node.code, "title": node.title, "level": level})
            else:
                if (not node.explicit_code and ind.code and ind.code != node.code
                        and ind.code not in new_codes):
                    # The table states no code for this indicator now (e.g. our own export,
                    # whose titles carry no numbers): a code it stated before is kept, never
                    # replaced by one made from positions.
                    values["code"] = ind.code
                changes = {}
                for f in _IND_FIELDS:
                    if not _same(getattr(ind, f), values[f]):
                        changes[f] = [getattr(ind, f), values[f]]
                        setattr(ind, f, values[f])
                # A move to another position alone is not worth reporting as a change.
                reportable = {k: v for k, v in changes.items() if k not in ("position",)}
                if reportable:
                    diff.changed.append({"code": node.code, "title": node.title,
                                         "fields": _plain_changes(reportable)})
            matched.add(ind.id)
            sync(node.children, ind, level + 1)

    sync(spec.indicators, None, 1)
    session.flush()
    gone = [i for i in existing if i.id not in matched]
    if gone:
        with_evidence = set(
            session.scalars(
                select(EvidenceIndicator.indicator_id)
                .where(EvidenceIndicator.indicator_id.in_([i.id for i in gone]))
            ).all()
        )
        parents = {i.id: i.parent_id for i in existing}
        keep: set[int] = set()
        for iid in with_evidence:
            cur: int | None = iid
            while cur is not None and cur not in matched:
                keep.add(cur)
                cur = parents.get(cur)
        for ind in sorted(gone, key=lambda i: -i.level):
            entry = {"code": ind.code, "title": ind.title, "level": ind.level}
            if ind.id in keep:
                diff.kept.append(entry)
            else:
                diff.removed.append(entry)
                session.delete(ind)
                session.flush()
    return fw, diff


def _plain_changes(changes: dict) -> dict:
    out = {}
    for k, (a, b) in changes.items():
        out[k] = [str(a) if isinstance(a, Decimal) else a, str(b) if isinstance(b, Decimal) else b]
    return out


def _resolve_indicator(by_code: dict[str, int], spec: DutySpec) -> int | None:
    if spec.indicator_id is not None:
        return spec.indicator_id
    return by_code.get(spec.indicator_code) if spec.indicator_code else None


def _dept_ids(resolver: DepartmentResolver, spec: DutySpec,
              known: dict[str, int] | None = None) -> list[tuple[int, str]]:
    """[(department id, role)] in order, each department once (lead wins). `known` remembers
    the id of each name already resolved in this import (tables repeat the same units)."""
    out: list[tuple[int, str]] = []
    seen: set[int] = set()
    for role, names in (("lead", spec.lead), ("cooperating", spec.cooperating)):
        for name in names:
            dept_id = known.get(name) if known is not None else None
            if dept_id is None:
                dept_id = resolver.get(name).id
                if known is not None:
                    known[name] = dept_id
            if dept_id in seen:
                continue
            seen.add(dept_id)
            out.append((dept_id, role))
    return out


def _link_rows(duty_id: int, depts: list[tuple[int, str]]) -> list[dict[str, Any]]:
    counters = {"lead": 0, "cooperating": 0}
    out = []
    for dept_id, role in depts:
        out.append({"duty_id": duty_id, "department_id": dept_id, "role": role, "position": counters[role]})
        counters[role] += 1
    return out


def _link_departments(session: Session, duty_id: int, depts: list[tuple[int, str]]) -> None:
    for row in _link_rows(duty_id, depts):
        session.add(DutyDepartment(**row))


def _insert_links(session: Session, rows: list[dict[str, Any]]) -> None:
    """Department links by one INSERT batch, audited as the flush hook would (key duty,department)."""
    if not rows:
        return
    table = DutyDepartment.__table__
    if session.connection().dialect.name == "sqlite":
        driver_insert(session, table, rows, with_ids=False)
    else:
        session.execute(insert(table), rows)
    first, last = rows[0]["duty_id"], rows[-1]["duty_id"]
    if not _audit_by_select(session, table, list(rows[0]), ["duty_id", "department_id"],
                            where="duty_id BETWEEN ? AND ?", args=(first, last),
                            order="duty_id, role DESC, position"):
        _audit_inserts(session, table.name, rows,
                       [f"{r['duty_id']},{r['department_id']}" for r in rows], table)


def add_duties(session: Session, framework: Framework | None, duties: list[DutySpec]) -> list[int]:
    """Insert duties (and their departments) by a few INSERT batches, however many rows, with
    their audit rows; returns the new duties' ids in the order of `duties`."""
    by_code: dict[str, int] = {}
    if framework is not None:
        by_code = dict(
            session.execute(
                select(Indicator.code, Indicator.id).where(Indicator.framework_id == framework.id)
            ).all()
        )
    session.flush()   # pending objects first: the batches below bypass the unit of work
    resolver = DepartmentResolver(session)
    fid = framework.id if framework is not None else None
    params = []
    depts = []
    known: dict[str, int] = {}
    for pos, spec in enumerate(duties, start=1):
        params.append({
            "framework_id": fid, "indicator_id": _resolve_indicator(by_code, spec), "position": pos,
            "code": spec.code, "task": spec.task, "expected_evidence": spec.expected_evidence,
            "deadline": spec.deadline, "deadline_kind": spec.deadline_kind,
            "deadline_text": spec.deadline_text, "departments_text": spec.departments_text,
            "notes": spec.notes, "source": spec.source, "version": 1,
        })
        depts.append(_dept_ids(resolver, spec, known))
    session.flush()   # departments the resolver created
    ids = insert_returning_ids(session, Duty.__table__, params)
    if not ids or not _audit_by_select(session, Duty.__table__, list(params[0]), ["id"],
                                       where="id BETWEEN ? AND ?", args=(ids[0], ids[-1]), order="id"):
        _audit_inserts(session, Duty.__tablename__, params, ids, Duty.__table__)
    _insert_links(session, [row for i, d in zip(ids, depts, strict=True) for row in _link_rows(i, d)])
    return ids


_DUTY_FIELDS = (
    "indicator_id", "code", "task", "expected_evidence", "deadline", "deadline_kind",
    "deadline_text", "departments_text", "notes",
)


def _duty_label(d: Duty | DutySpec) -> str:
    task = " ".join((d.task or "").split())
    return task if len(task) <= 40 else task[:40] + "…"


def sync_duties(
    session: Session, framework: Framework | None, duties: list[DutySpec], *, source: str,
    write: bool = True,
) -> Diff:
    """Write `duties` over the duties of the same framework and source, in place.

    Rows are matched by indicator and task, then by code, then by task alone, then by
    indicator when it has one duty on both sides; matched duties keep their id (so evidence
    links stay). Duties gone from the file are deleted unless evidence is linked to them.
    `write=False` (dry runs) may skip writes that cannot change the diff.
    """
    diff = Diff()
    fid = framework.id if framework is not None else None
    q = select(Duty).where(Duty.source == source)
    q = q.where(Duty.framework_id == fid) if fid is not None else q.where(Duty.framework_id.is_(None))
    existing = session.scalars(q.order_by(Duty.position, Duty.id)).all()
    if not existing:
        if not write:
            # A dry run over no earlier duties: every row is new, and nothing needs writing
            # to say so (the preview of a 2,000-row table stays fast).
            diff.added = [{"code": s.code, "task": _duty_label(s), "row": s.row} for s in duties]
            return diff
        add_duties(session, framework, duties)
        diff.added = [{"code": s.code, "task": _duty_label(s), "row": s.row} for s in duties]
        return diff

    by_code: dict[str, int] = {}
    if framework is not None:
        by_code = dict(
            session.execute(
                select(Indicator.code, Indicator.id).where(Indicator.framework_id == framework.id)
            ).all()
        )
    links: dict[int, list[tuple[int, str]]] = {}
    for link in session.scalars(
        select(DutyDepartment).where(DutyDepartment.duty_id.in_([d.id for d in existing]))
        .order_by(DutyDepartment.duty_id, DutyDepartment.role.desc(), DutyDepartment.position)
    ):
        links.setdefault(link.duty_id, []).append((link.department_id, link.role))
    # lead first, then cooperating, each in position order
    for k, v in links.items():
        links[k] = [x for x in v if x[1] == "lead"] + [x for x in v if x[1] == "cooperating"]

    resolved = [_resolve_indicator(by_code, s) for s in duties]
    free = {d.id: d for d in existing}
    match: list[Duty | None] = [None] * len(duties)

    def run(key_old, key_new) -> None:
        index: dict[object, list[Duty]] = {}
        for d in existing:
            if d.id in free:
                k = key_old(d)
                if k is not None:
                    index.setdefault(k, []).append(d)
        for i, s in enumerate(duties):
            if match[i] is not None:
                continue
            k = key_new(i, s)
            if k is None:
                continue
            for d in index.get(k, []):
                if d.id in free:
                    match[i] = d
                    del free[d.id]
                    break

    run(lambda d: (d.indicator_id, fold(d.task)), lambda i, s: (resolved[i], fold(s.task)))
    run(lambda d: d.code or None, lambda i, s: s.code or None)
    run(lambda d: fold(d.task) or None, lambda i, s: fold(s.task) or None)
    # one duty per indicator on both sides: the same row, its task reworded
    old_count: dict[int | None, int] = {}
    for d in existing:
        old_count[d.indicator_id] = old_count.get(d.indicator_id, 0) + 1
    new_count: dict[int | None, int] = {}
    for r in resolved:
        new_count[r] = new_count.get(r, 0) + 1
    run(
        lambda d: d.indicator_id if d.indicator_id is not None and old_count[d.indicator_id] == 1 else None,
        lambda i, s: resolved[i] if resolved[i] is not None and new_count[resolved[i]] == 1 else None,
    )

    resolver = DepartmentResolver(session)
    new_rows: list[tuple[Duty, list[tuple[int, str]], DutySpec]] = []
    for pos, (spec, duty, ind_id) in enumerate(zip(duties, match, resolved, strict=True), start=1):
        values = {
            "indicator_id": ind_id, "code": spec.code, "task": spec.task,
            "expected_evidence": spec.expected_evidence, "deadline": spec.deadline,
            "deadline_kind": spec.deadline_kind, "deadline_text": spec.deadline_text,
            "departments_text": spec.departments_text, "notes": spec.notes,
        }
        depts = _dept_ids(resolver, spec)
        if duty is None:
            duty = Duty(framework_id=fid, position=pos, source=source, **values)
            session.add(duty)
            new_rows.append((duty, depts, spec))
            continue
        changes = {}
        for f in _DUTY_FIELDS:
            if getattr(duty, f) != values[f]:
                changes[f] = [getattr(duty, f), values[f]]
                setattr(duty, f, values[f])
        if duty.position != pos:
            duty.position = pos
        old_depts = links.get(duty.id, [])
        if old_depts != depts:
            changes["departments"] = [_dept_names(session, old_depts), _dept_names(session, depts)]
            for link in session.scalars(select(DutyDepartment).where(DutyDepartment.duty_id == duty.id)):
                session.delete(link)
            session.flush()
            _link_departments(session, duty.id, depts)
        if changes:
            diff.changed.append({"code": spec.code, "task": _duty_label(spec), "row": spec.row,
                                 "fields": _plain_changes(changes)})
    session.flush()
    for duty, depts, spec in new_rows:
        _link_departments(session, duty.id, depts)
        diff.added.append({"code": spec.code, "task": _duty_label(spec), "row": spec.row})
    if free:
        linked = set(
            session.scalars(
                select(EvidenceDuty.duty_id).where(EvidenceDuty.duty_id.in_(list(free)))
            ).all()
        )
        for d in free.values():
            entry = {"code": d.code, "task": _duty_label(d)}
            if d.id in linked:
                diff.kept.append(entry)
            else:
                diff.removed.append(entry)
                session.delete(d)
    session.flush()
    return diff


def _dept_names(session: Session, depts: list[tuple[int, str]]) -> list[str]:
    out = []
    for dept_id, role in depts:
        d = session.get(Department, dept_id)
        out.append(f"{d.name if d else dept_id}{'（牵头）' if role == 'lead' else ''}")
    return out
