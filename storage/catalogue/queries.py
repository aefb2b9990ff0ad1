"""Queries that return read models. Aggregates are done in SQL (a few GROUP BYs), so status
stays fast at 50,000 evidence items; the indicator tree (tens of nodes) is rolled up here.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from storage.kernel.errors import BadInput
from storage.models import (
    Blob,
    Department,
    Duty,
    Evidence,
    EvidenceIndicator,
    Framework,
    InboxEntry,
    Indicator,
    Setting,
    WatchedFolder,
)
from storage.readmodels import DepartmentCount, IndicatorNode, SetupProgress, StatusReport

LIVE = and_(Evidence.trashed_at.is_(None), Evidence.status != "superseded")


def current_framework_id(session: Session) -> int | None:
    """The framework the clerk works on: the `current_framework` setting, else the newest."""
    value = session.scalar(select(Setting.value).where(Setting.key == "current_framework"))
    if value and value.strip().isdigit():
        fid = int(value)
        if session.get(Framework, fid) is not None:
            return fid
    return session.scalar(select(func.max(Framework.id)))


def indicator_tree(session: Session, framework_id: int | None = None) -> list[IndicatorNode]:
    """Every indicator of the framework in tree order (depth first), with coverage counts."""
    fid = framework_id if framework_id is not None else current_framework_id(session)
    if fid is None:
        return []
    rows = session.execute(
        select(Indicator).where(Indicator.framework_id == fid).order_by(
            Indicator.position, Indicator.id
        )
    ).scalars().all()
    counts = session.execute(
        select(
            EvidenceIndicator.indicator_id,
            func.count(),
            func.sum(case((Evidence.status == "accepted", 1), else_=0)),
        )
        .join(Evidence, Evidence.id == EvidenceIndicator.evidence_id)
        .join(Indicator, Indicator.id == EvidenceIndicator.indicator_id)
        .where(Indicator.framework_id == fid, LIVE)
        .group_by(EvidenceIndicator.indicator_id)
    ).all()
    received = {r[0]: int(r[1]) for r in counts}
    accepted = {r[0]: int(r[2] or 0) for r in counts}

    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for ind in rows:
        children[ind.parent_id].append(ind)
    out: list[IndicatorNode] = []

    def walk(ind: Indicator) -> tuple[int, int, int]:
        slot = len(out)
        out.append(None)  # type: ignore[arg-type]  # filled after the subtree
        kids = children.get(ind.id, [])
        if kids:
            leaves = covered = acc = 0
            for k in kids:
                a, b, c = walk(k)
                leaves, covered, acc = leaves + a, covered + b, acc + c
        else:
            leaves = 1
            covered = 1 if received.get(ind.id) else 0
            acc = 1 if accepted.get(ind.id) else 0
        out[slot] = IndicatorNode(
            id=ind.id,
            parent_id=ind.parent_id,
            level=ind.level,
            position=ind.position,
            code=ind.code,
            title=ind.title,
            max_score=float(ind.max_score) if ind.max_score is not None else None,
            is_key=ind.is_key,
            is_veto=ind.is_veto,
            is_leaf=not kids,
            received=received.get(ind.id, 0),
            accepted=accepted.get(ind.id, 0),
            subtree_leaves=leaves,
            subtree_leaves_covered=covered,
            subtree_leaves_accepted=acc,
        )
        return leaves, covered, acc

    for root in children.get(None, []):
        walk(root)
    return out


def status(session: Session, archive_path: str = "") -> StatusReport:
    fid = current_framework_id(session)
    fw = session.get(Framework, fid) if fid is not None else None
    by_status = {
        s: int(n)
        for s, n in session.execute(
            select(Evidence.status, func.count())
            .where(Evidence.trashed_at.is_(None))
            .group_by(Evidence.status)
        )
    }
    files, size = session.execute(select(func.count(), func.coalesce(func.sum(Blob.size), 0))).one()
    tree = indicator_tree(session, fid)
    roots = [n for n in tree if n.parent_id is None]
    dept_rows = session.execute(
        select(
            Evidence.department_id,
            Department.name,
            func.count(),
            func.sum(case((Evidence.status == "accepted", 1), else_=0)),
        )
        .outerjoin(Department, Department.id == Evidence.department_id)
        .where(LIVE)
        .group_by(Evidence.department_id, Department.name)
        .order_by(func.count().desc())
    ).all()
    return StatusReport(
        archive=archive_path,
        framework_id=fid,
        framework_name=fw.name if fw else "",
        framework_is_sample=bool(fw and fw.is_sample),
        evidence_total=sum(by_status.values()),
        evidence_by_status=by_status,
        files=int(files),
        bytes=int(size),
        departments=int(session.scalar(select(func.count()).select_from(Department)) or 0),
        duties=int(session.scalar(select(func.count()).select_from(Duty)) or 0),
        inbox_pending=int(
            session.scalar(
                select(func.count()).select_from(InboxEntry).where(InboxEntry.state == "pending")
            )
            or 0
        ),
        indicators_total=sum(r.subtree_leaves for r in roots),
        indicators_covered=sum(r.subtree_leaves_covered for r in roots),
        indicators_accepted=sum(r.subtree_leaves_accepted for r in roots),
        level1=roots,
        indicators=tree,
        by_department=[
            DepartmentCount(d, name or "（未指定单位）", int(n), int(a or 0))
            for d, name, n, a in dept_rows
        ],
    )


def setup_progress(session: Session, root: str = "") -> SetupProgress:
    fid = current_framework_id(session)
    name = session.scalar(select(Framework.name).where(Framework.id == fid)) if fid else ""
    indicators = session.scalar(select(func.count()).select_from(Indicator)
                                .where(Indicator.framework_id == fid)) if fid else 0
    return SetupProgress(
        root=root,
        framework_name=name or "",
        indicators=int(indicators or 0),
        duties=int(session.scalar(select(func.count()).select_from(Duty)) or 0),
        folders=int(session.scalar(select(func.count()).select_from(WatchedFolder)) or 0),
        evidence=int(session.scalar(select(func.count()).select_from(Evidence)
                                    .where(Evidence.trashed_at.is_(None))) or 0),
    )


def indicator_by_code(session: Session, code: str) -> int:
    """The id of the current framework's indicator with this code; a clear refusal if none."""
    fw = current_framework_id(session)
    q = select(Indicator.id).where(Indicator.code == code.strip())
    if fw is not None:
        q = q.where(Indicator.framework_id == fw)
    ind = session.scalar(q)
    if ind is None:
        raise BadInput(
            f"找不到指标编号 {code}（请先导入指标体系，或用 status 查看编号）",
            f"no indicator with code {code} (import the framework first, or see `status`)",
        )
    return ind
