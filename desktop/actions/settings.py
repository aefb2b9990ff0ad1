"""The archive's own settings as one unit: county facts, upload deadline, watched folders.

`save_archive_settings` applies every change the settings dialog (or `evidence-desk county
set`) made in one write transaction: when any value is refused (a number that is not one, a
year typed twice, a folder that is not reachable), nothing is saved. No Qt here.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from storage.catalogue.county import county_facts, set_county_facts, set_upload_deadline, upload_deadline
from storage.core.archive import Archive
from storage.kernel.errors import BadInput
from storage.models import WatchedFolder
from storage.readmodels import ArchiveSettings, CountyFacts, FolderInfo, FolderSetting, GdpYear, Leader, NewFolder
from storage.watch.folders import SETTLE_LOCAL_S, SETTLE_NETWORK_S, add_folder, find_folder, list_folders, remove_folder

MAX_SETTLE_S = 3600.0


def _folder_setting(session: Session, info: FolderInfo) -> FolderSetting:
    row = session.get(WatchedFolder, info.id)
    raw = row.settle_seconds if row is not None else None
    return FolderSetting(
        path=info.path, department=info.department, mode=info.mode,
        settle_seconds=float(raw) if raw is not None else None,
        default_settle=SETTLE_NETWORK_S if info.network else SETTLE_LOCAL_S,
        online=info.online, network=info.network,
    )


def settings_in(session: Session) -> ArchiveSettings:
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


def apply_settings(
    session: Session,
    *,
    facts: CountyFacts | None = None,
    deadline: dt.date | None | str = "keep",
    add: tuple[NewFolder, ...] = (),
    remove: tuple[str, ...] = (),
    settle: dict[str, float | None] | None = None,
) -> ArchiveSettings:
    """Apply the settings changes in the caller's transaction (see the module docstring).
    `deadline="keep"` leaves the deadline alone, None clears it. `settle` maps a watched
    folder's path to its new settle time (None: back to the default)."""
    if facts is not None:
        set_county_facts(session, facts)
    if deadline != "keep":
        if deadline is not None and not isinstance(deadline, dt.date):
            raise BadInput(f"上传截止日期有误：{deadline}", f"bad upload deadline: {deadline}")
        set_upload_deadline(session, deadline)
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
    return settings_in(session)




def county_facts_from(data: Mapping[str, Any]) -> CountyFacts:
    """The clerk's plain values (the settings dialog's fields, or the command line's options)
    → CountyFacts: GDP years must be four digits and given once; numbers are checked by
    storage.catalogue.county when saved."""
    gdp = []
    for year, value in data.get("gdp", ()):
        y = str(year).strip()
        if not (y.isdigit() and len(y) == 4):
            raise BadInput(f"地区生产总值的年份应为四位数字，实际为“{y}”",
                           f"the GDP year must have four digits, got '{y}'")
        gdp.append(GdpYear(int(y), str(value).strip()))
    years = [g.year for g in gdp]
    dup = next((y for y in years if years.count(y) > 1), None)
    if dup is not None:
        raise BadInput(f"地区生产总值中 {dup} 年填写了不止一次", f"the GDP of {dup} is given twice")
    return CountyFacts(
        name=data.get("name", ""), population=data.get("population", ""), area=data.get("area", ""),
        gdp=tuple(gdp), leaders=tuple(Leader(r, n) for r, n in data.get("leaders", ())),
        contact_name=data.get("contact_name", ""), contact_phone=data.get("contact_phone", ""),
        contact_unit=data.get("contact_unit", ""),
    )


def archive_settings(*, archive: Archive) -> ArchiveSettings:
    """The archive's settings as the settings dialog shows them."""
    with archive.sessions.read() as s:
        return settings_in(s)


def save_archive_settings(*, archive: Archive, facts: CountyFacts | None = None,
                          deadline: dt.date | None | str = "keep", add: tuple[NewFolder, ...] = (),
                          remove: tuple[str, ...] = (),
                          settle: dict[str, float | None] | None = None) -> ArchiveSettings:
    """Save the settings changes in one write transaction (nothing is saved if one is refused)."""
    with archive.sessions.write() as s:
        return apply_settings(s, facts=facts, deadline=deadline, add=add, remove=remove, settle=settle)
