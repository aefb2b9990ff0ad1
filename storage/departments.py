"""The department registry: names matched after folding width and spaces, and aliases."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Department, DepartmentAlias
from .text import normalize_department

COLLECTIVE_MARKERS = ("各乡镇", "各街道", "各镇", "有关部门", "各有关", "各成员单位", "相关部门")


def find_department(session: Session, name: str) -> Department | None:
    key = normalize_department(name)
    if not key:
        return None
    dept = session.scalar(select(Department).where(Department.normalized_name == key))
    if dept is not None:
        return dept
    return session.scalar(
        select(Department)
        .join(DepartmentAlias, DepartmentAlias.department_id == Department.id)
        .where(DepartmentAlias.normalized_alias == key)
    )


def get_or_create_department(session: Session, name: str) -> Department:
    """The department named `name` (or one of its aliases); created when unknown."""
    dept = find_department(session, name)
    if dept is not None:
        return dept
    clean = " ".join(name.split())
    dept = Department(
        name=clean,
        normalized_name=normalize_department(clean),
        is_collective=any(m in clean for m in COLLECTIVE_MARKERS),
    )
    session.add(dept)
    session.flush()
    return dept


def add_alias(session: Session, department: Department, alias: str) -> None:
    key = normalize_department(alias)
    if key == department.normalized_name:
        return
    exists = session.scalar(select(DepartmentAlias).where(DepartmentAlias.normalized_alias == key))
    if exists is None:
        session.add(DepartmentAlias(department_id=department.id, alias=alias, normalized_alias=key))
