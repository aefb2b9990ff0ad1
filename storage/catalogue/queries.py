"""Queries that return read models. Aggregates are done in SQL (a few GROUP BYs), so status
stays fast at 50,000 evidence items; the indicator tree (tens of nodes) is rolled up here.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import and_, func, select, text
from sqlalchemy.orm import Session

from storage.catalogue import counts
from storage.kernel.errors import BadInput
from storage.models import (
    Duty,
    Evidence,
    Framework,
    Indicator,
    Setting,
    WatchedFolder,
)
from storage.readmodels import IndicatorNode, SetupProgress, StatusReport

LIVE = and_(Evidence.trashed_at.is_(None), Evidence.status != "superseded")


def current_framework_id(session: Session) -> int | None:
    """The framework the clerk works on: the `current_framework` setting, else the newest."""
    value = session.scalar(select(Setting.value).where(Setting.key == "current_framework"))
    if value and value.strip().isdigit():
        fid = int(value)
        if session.get(Framework, fid) is not None:
            return fid
    return session.scalar(select(func.max(Framework.id)))


def _fetch(session: Session) -> counts.Fetch:
    """Run `storage.catalogue.counts` statements through the session's connection."""
    def fetch(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return [tuple(r) for r in session.execute(text(sql), dict(params))]
    return fetch


def _on_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def indicator_tree(session: Session, framework_id: int | None = None) -> list[IndicatorNode]:
    """Every indicator of the framework in tree order (depth first), with coverage counts."""
    fid = framework_id if framework_id is not None else current_framework_id(session)
    if fid is None:
        return []
    return counts.indicator_tree(_fetch(session), fid, sqlite=_on_sqlite(session))


def status(session: Session, archive_path: str = "") -> StatusReport:
    """Counts by status, coverage of the indicator tree and counts by department: the same
    statements `evidence-desk status` runs without SQLAlchemy (`storage.catalogue.counts`)."""
    return counts.status_report(_fetch(session), archive_path, sqlite=_on_sqlite(session))


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
