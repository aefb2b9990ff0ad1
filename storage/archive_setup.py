"""The archive's own settings as one unit (county facts, upload deadline, watched folders)
and how far the clerk has got with setting the archive up (the guided start's checklist).

`save_archive_settings` applies every change the settings dialog made inside the caller's
one write transaction: when any value is refused (a number that is not one, a folder that is
not reachable), the exception rolls the whole transaction back, so nothing is half-saved.
No Qt here.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.catalogue.county import county_facts, set_county_facts, set_upload_deadline, upload_deadline
from storage.catalogue.queries import current_framework_id
from storage.kernel.errors import BadInput
from storage.models import Duty, Evidence, Framework, Indicator, WatchedFolder
from storage.readmodels import ArchiveSettings, CountyFacts, FolderInfo, FolderSetting, NewFolder, SetupProgress
from storage.watch.folders import SETTLE_LOCAL_S, SETTLE_NETWORK_S, add_folder, find_folder, list_folders, remove_folder

MAX_SETTLE_S = 3600.0


def _folder_setting(session: Session, info: FolderInfo) -> FolderSetting:
    raw = session.get(WatchedFolder, info.id).settle_seconds
    return FolderSetting(
        path=info.path, department=info.department, mode=info.mode,
        settle_seconds=float(raw) if raw is not None else None,
        default_settle=SETTLE_NETWORK_S if info.network else SETTLE_LOCAL_S,
        online=info.online, network=info.network,
    )


def archive_settings(session: Session) -> ArchiveSettings:
    return ArchiveSettings(county_facts(session), upload_deadline(session),
                           tuple(_folder_setting(session, f) for f in list_folders(session)))


def _check_settle(path: str, seconds: float | None) -> float | None:
    if seconds is None:
        return None
    if not 0 < float(seconds) <= MAX_SETTLE_S:
        raise BadInput(
            f"文件夹 {path} 的稳定等待时间应在 1 到 {MAX_SETTLE_S:.0f} 秒之间，实际为 {seconds:g} 秒",
            f"the settle time of {path} must be between 1 and {MAX_SETTLE_S:.0f} seconds, got {seconds:g}",
        )
    return float(seconds)


def save_archive_settings(
    session: Session,
    *,
    facts: CountyFacts | None = None,
    deadline: dt.date | None | str = "keep",
    add: tuple[NewFolder, ...] = (),
    remove: tuple[str, ...] = (),
    settle: dict[str, float | None] | None = None,
) -> ArchiveSettings:
    """Apply the settings dialog's changes in the caller's transaction (see the module
    docstring). `deadline="keep"` leaves the deadline alone, None clears it. `settle` maps a
    watched folder's path to its new settle time (None: back to the default)."""
    if facts is not None:
        set_county_facts(session, facts)
    if deadline != "keep":
        if deadline is not None and not isinstance(deadline, dt.date):
            raise BadInput(f"上传截止日期有误：{deadline}", f"bad upload deadline: {deadline}")
        set_upload_deadline(session, deadline)  # type: ignore[arg-type]
    for path in remove:
        remove_folder(session, path)
    for path, seconds in (settle or {}).items():
        f = find_folder(session, path)
        value = _check_settle(f.path, seconds)
        f.settle_seconds = Decimal(str(value)) if value is not None else None  # type: ignore[assignment]
    for nf in add:
        add_folder(session, nf.path, department=nf.department.strip() or None,
                   settle_seconds=_check_settle(nf.path, nf.settle_seconds))
    session.flush()
    return archive_settings(session)


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


__all__ = ["ArchiveSettings", "FolderSetting", "NewFolder", "SetupProgress", "archive_settings",
           "save_archive_settings", "setup_progress"]
