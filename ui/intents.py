"""What a dialog asks the controller to do, as frozen dataclasses (not dicts): the fields are
named and typed once, here, and both sides are checked by mypy."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ExportRequest:
    """The export dialog's 导出: where, in which form, with which steps."""

    target: str                 # a folder, or a .zip path when as_zip
    as_zip: bool
    export_date: dt.date
    seal: bool = False
    note: str = ""
    binders: bool = False


@dataclass(frozen=True)
class NewFolderRequest:
    path: str
    department: str = ""
    settle: float | None = None   # None: the default for its kind of disk


@dataclass(frozen=True)
class SettingsChange:
    """The settings dialog's 保存: the county facts as typed (checked by the action), the
    upload deadline (None clears it), watched folders added, removed or re-timed."""

    facts: Mapping[str, object]
    deadline: dt.date | None
    add: tuple[NewFolderRequest, ...] = ()
    remove: tuple[str, ...] = ()
    settle: tuple[tuple[str, float | None], ...] = ()
    clear_recent: bool = False
