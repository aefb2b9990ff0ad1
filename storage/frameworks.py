"""Frameworks (indicator systems) and duties written from plain specs.

Importers (Excel/Word) and the demo both produce these specs; this module is the one place
that turns them into rows.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from .departments import get_or_create_department
from .models import Duty, DutyDepartment, Framework, Indicator


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

    def add(nodes: list[IndicatorSpec], parent: Indicator | None, level: int) -> None:
        for pos, node in enumerate(nodes, start=1):
            ind = Indicator(
                framework_id=fw.id,
                parent_id=parent.id if parent else None,
                level=level,
                position=pos,
                code=node.code,
                title=node.title,
                scoring_rule=node.scoring_rule,
                max_score=_dec(node.max_score),
                is_key=node.is_key,
                is_veto=node.is_veto,
                target_comparator=node.target_comparator,
                target_value=_dec(node.target_value),
                target_unit=node.target_unit,
                target_text=node.target_text,
            )
            session.add(ind)
            session.flush()
            add(node.children, ind, level + 1)

    add(spec.indicators, None, 1)
    return fw


def add_duties(session: Session, framework: Framework, duties: list[DutySpec]) -> list[Duty]:
    by_code = {i.code: i.id for i in framework.indicators if i.code}
    out = []
    for pos, spec in enumerate(duties, start=1):
        duty = Duty(
            framework_id=framework.id,
            indicator_id=by_code.get(spec.indicator_code),
            position=pos,
            code=spec.code,
            task=spec.task,
            expected_evidence=spec.expected_evidence,
            deadline=spec.deadline,
            deadline_kind=spec.deadline_kind,
            deadline_text=spec.deadline_text,
            departments_text=spec.departments_text,
            source=spec.source,
        )
        session.add(duty)
        session.flush()
        seen: set[int] = set()
        for role, names in (("lead", spec.lead), ("cooperating", spec.cooperating)):
            for n, name in enumerate(names):
                dept = get_or_create_department(session, name)
                if dept.id in seen:
                    continue
                seen.add(dept.id)
                session.add(
                    DutyDepartment(duty_id=duty.id, department_id=dept.id, role=role, position=n)
                )
        out.append(duty)
    session.flush()
    return out
