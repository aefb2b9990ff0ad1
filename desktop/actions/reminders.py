"""催办: the reminder notice (Word, one section per department) or the reminder list (Excel)
for the departments that still owe evidence. The one implementation behind the window's
departments view and `evidence-desk reminders`.

Which departments owe is decided once, here: those with a duty whose evidence is not yet
accepted (storage.catalogue.duties.departments_owing), and those leading or cooperating on
an open rectification item (storage.review.reminders); none owing is a refusal, not an
empty document.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from exporters.reminder_notice import write_reminder_notice
from exporters.reminders_xlsx import owed_by_department, write_reminders_xlsx
from storage.catalogue.departments import resolve_department_ref
from storage.core.archive import Archive
from storage.kernel.errors import BadInput, Cancelled
from storage.kernel.progress import ProgressFn, never_cancel, no_progress
from storage.review.reminders import add_to_source, add_to_table
from storage.tables.reminders import reminder_source, reminder_table

KINDS = ("notice", "list")
NOTHING_OWED = ("没有需要催办的任务：所选单位的任务都已有审核通过的材料",
                "nothing to remind: every duty has accepted evidence")


def write_reminders(*, archive: Archive, kind: str, path: str | Path, today: dt.date,
                    department: str = "", progress: ProgressFn = no_progress,
                    cancel: Callable[[], bool] = never_cancel) -> Path:
    """Write the 催办通知 (kind "notice", .docx) or 催办清单 ("list", .xlsx) for `department`
    (a name, alias or id; "" for every department that owes anything) to `path`."""
    if kind not in KINDS:
        raise BadInput(f"催办的种类应为 notice（通知）或 list（清单），实际为“{kind}”",
                       f"the reminder kind must be notice or list, got '{kind}'")
    progress(0, 2, "读取任务")
    with archive.sessions.read() as s:
        dept = resolve_department_ref(s, department) if department else None
        # rectification items (整改事项) still open are owed like duties (issue 16)
        if kind == "notice":
            src = reminder_source(s, today, dept.id if dept is not None else None)
            src = add_to_source(s, src, dept.id if dept is not None else None)
        else:
            table = reminder_table(s, today, dept.name if dept is not None else None)
            table = add_to_table(s, table, dept.name if dept is not None else "")
    if cancel():
        raise Cancelled()
    progress(1, 2, "写入文件")
    if kind == "notice":
        if not src.departments:
            raise BadInput(*NOTHING_OWED)
        return Path(write_reminder_notice(src, path))
    if not owed_by_department(table):
        raise BadInput(*NOTHING_OWED)
    return Path(write_reminders_xlsx(table, path))
