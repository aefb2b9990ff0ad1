"""The department registry: names matched after folding width and spaces, aliases, the
usual short forms of official names (县市场监管局 = 县市场监督管理局), and merging of
duplicates the clerk finds later.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.core.db import affected_rows
from storage.kernel.errors import BadInput
from storage.kernel.text import normalize_department
from storage.models import (
    Department,
    DepartmentAlias,
    DutyDepartment,
    Evidence,
    WatchedFolder,
)

COLLECTIVE_MARKERS = (
    "各乡镇", "各街道", "各镇", "有关部门", "各有关", "各成员单位", "相关部门", "县直有关", "县直各",
    "市直有关", "各区县", "各县区", "各园区", "各有关单位", "各相关单位",
)

# Full official names and their usual short forms: both fold to the short form, so either
# spelling finds the same department. Only unambiguous pairs belong here.
_SHORT_FORMS = (
    ("市场监督管理局", "市场监管局"),
    ("发展和改革局", "发改局"),
    ("发展改革局", "发改局"),
    ("工业和信息化局", "工信局"),
    ("人力资源和社会保障局", "人社局"),
    ("住房和城乡建设局", "住建局"),
    ("文化和旅游局", "文旅局"),
    ("文化旅游局", "文旅局"),
    ("卫生健康局", "卫健局"),
    ("卫生和健康局", "卫健局"),
    ("行政审批服务局", "行政审批局"),
    ("交通运输局", "交通局"),
    ("科学技术局", "科技局"),
    ("教育和体育局", "教体局"),
    ("应急管理局", "应急局"),
    ("综合行政执法局", "综合执法局"),
    ("自然资源和规划局", "自然资源局"),
)


def canonical_key(name: str) -> str:
    """The key two spellings of one department share: folded, short forms applied."""
    key = normalize_department(name)
    for long, short in _SHORT_FORMS:
        key = key.replace(long, short)
    return key


def is_collective(name: str) -> bool:
    return any(m in name for m in COLLECTIVE_MARKERS) or bool(re.match(r"^各", name))


def find_department(session: Session, name: str) -> Department | None:
    key = normalize_department(name)
    if not key:
        return None
    dept = session.scalar(select(Department).where(Department.normalized_name == key))
    if dept is not None:
        return dept
    dept = session.scalar(
        select(Department)
        .join(DepartmentAlias, DepartmentAlias.department_id == Department.id)
        .where(DepartmentAlias.normalized_alias == key)
    )
    if dept is not None:
        return dept
    canon = canonical_key(name)
    if canon == key and not any(short in key for _, short in _SHORT_FORMS):
        return None
    for d in session.scalars(select(Department)):
        if canonical_key(d.name) == canon:
            return d
    return None


def get_or_create_department(session: Session, name: str) -> Department:
    """The department named `name` (or one of its aliases); created when unknown."""
    dept = find_department(session, name)
    if dept is not None:
        if normalize_department(name) != dept.normalized_name:
            add_alias(session, dept, " ".join(name.split()))
        return dept
    clean = " ".join(name.split())
    dept = Department(
        name=clean,
        normalized_name=normalize_department(clean),
        is_collective=is_collective(clean),
    )
    session.add(dept)
    session.flush()
    return dept


def add_alias(session: Session, department: Department, alias: str) -> None:
    key = normalize_department(alias)
    if not key or key == department.normalized_name:
        return
    exists = session.scalar(select(DepartmentAlias).where(DepartmentAlias.normalized_alias == key))
    if exists is None:
        other = session.scalar(select(Department).where(Department.normalized_name == key))
        if other is not None and other.id != department.id:
            raise BadInput(
                f"“{alias}”已是另一个单位的名称；如是同一单位，请用合并",
                f"'{alias}' is already another department's name; merge them instead",
            )
        session.add(DepartmentAlias(department_id=department.id, alias=alias, normalized_alias=key))
        session.flush()


class DepartmentResolver:
    """Resolves many names in one transaction with one query up front (imports of 2,000
    rows must not query per name). Creates unknown departments; records spellings that
    matched through a short form as aliases."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key: dict[str, Department] = {}
        self.by_canon: dict[str, Department] = {}
        for d in session.scalars(select(Department)):
            self.by_key[d.normalized_name] = d
            self.by_canon.setdefault(canonical_key(d.name), d)
        for a in session.scalars(select(DepartmentAlias)):
            aliased = session.get(Department, a.department_id)
            if aliased is not None:
                self.by_key[a.normalized_alias] = aliased
        self.created: list[str] = []

    def get(self, name: str) -> Department:
        key = normalize_department(name)
        dept = self.by_key.get(key)
        if dept is not None:
            return dept
        canon = canonical_key(name)
        dept = self.by_canon.get(canon)
        if dept is not None:
            add_alias(self.session, dept, " ".join(name.split()))
            self.by_key[key] = dept
            return dept
        clean = " ".join(name.split())
        dept = Department(name=clean, normalized_name=key, is_collective=is_collective(clean))
        self.session.add(dept)
        self.session.flush()
        self.by_key[key] = dept
        self.by_canon.setdefault(canon, dept)
        self.created.append(clean)
        return dept


@dataclass(frozen=True)
class MergeResult:
    kept_id: int
    kept_name: str
    merged: tuple[str, ...]
    duty_links_moved: int
    evidence_moved: int


def resolve_department_ref(session: Session, ref: str) -> Department:
    """A department by id (digits) or by name/alias."""
    ref = ref.strip()
    dept = session.get(Department, int(ref)) if ref.isdigit() else find_department(session, ref)
    if dept is None:
        raise BadInput(f"找不到单位：{ref}", f"no such department: {ref}")
    return dept


def merge_departments(session: Session, keep: Department, others: list[Department]) -> MergeResult:
    """Merge duplicates into `keep`: their duties, evidence, folders and aliases move over and
    their names become aliases of `keep`. Where a duty named both, the lead role wins."""
    moved_links = moved_ev = 0
    names = []
    for other in others:
        if other.id == keep.id:
            continue
        names.append(other.name)
        for link in session.scalars(select(DutyDepartment).where(DutyDepartment.department_id == other.id)).all():
            mine = session.get(DutyDepartment, (link.duty_id, keep.id))
            if mine is None:
                session.add(DutyDepartment(duty_id=link.duty_id, department_id=keep.id,
                                           role=link.role, position=link.position))
            elif link.role == "lead" and mine.role != "lead":
                mine.role = "lead"
            session.delete(link)
            moved_links += 1
        session.flush()
        moved_ev += affected_rows(session.execute(
            update(Evidence).where(Evidence.department_id == other.id).values(department_id=keep.id)
        ))
        session.execute(
            update(Evidence).where(Evidence.issuing_department_id == other.id)
            .values(issuing_department_id=keep.id)
        )
        session.execute(
            update(WatchedFolder).where(WatchedFolder.department_id == other.id)
            .values(department_id=keep.id)
        )
        aliases = [(a.alias, a.normalized_alias) for a in other.aliases]
        for a in list(other.aliases):
            session.delete(a)
        session.flush()
        for field_ in ("contact_person", "contact_phone"):
            if not getattr(keep, field_) and getattr(other, field_):
                setattr(keep, field_, getattr(other, field_))
        other_name = other.name
        session.delete(other)
        session.flush()
        for alias, _ in aliases + [(other_name, "")]:
            add_alias(session, keep, alias)
    session.flush()
    return MergeResult(keep.id, keep.name, tuple(names), moved_links, moved_ev)
