"""The window's 自查 dialog (工具 → 自查记录…, issue 16 item 4), run through the task runner
with the functions `evidence-desk checkpoint take | list | diff` calls
(desktop.actions.checkpoints): the list and the sealed submissions on the read pool, a new
checkpoint (the preflight, then one write) and a comparison on the read pool. And the
read-only 轮次 list (工具 → 轮次…, `desktop.actions.rounds.list_rounds`, on the writer: an
archive from before rounds gets its first round recorded).

Signals (tests wait on these): loaded([checkpoints]), taken(CheckpointSummary),
compared(CheckpointDiff), rounds_loaded([RoundSummary]).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from desktop.actions.checkpoints import CheckpointDiff, diff_checkpoints, list_checkpoints, take_checkpoint
from desktop.actions.rounds import list_rounds
from desktop.window.tasks import TaskContext
from storage.bundle.submissions import list_submissions
from storage.readmodels import SubmissionSummary
from storage.readmodels.review import CheckpointSummary, RoundSummary
from ui.checkpoint_dialog import CheckpointDialog, RoundsDialog
from ui.qtfix import emit


class CheckpointController(QObject):
    """Opens the 自查 dialog and runs what it asks."""

    loaded = Signal(list)
    taken = Signal(object)
    compared = Signal(object)
    rounds_loaded = Signal(list)

    def __init__(self, controller: Any) -> None:  # desktop.window.controllers.Controller
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        self.dialog: CheckpointDialog | None = None
        self.rounds_dialog: RoundsDialog | None = None
        self.window.checkpoints_requested.connect(self.open)
        self.window.rounds_requested.connect(self.open_rounds)

    @property
    def today(self) -> dt.date:
        return self.c.today

    def open(self) -> CheckpointDialog | None:
        if self.c.archive is None:
            self.window.show_error("请先新建或打开一个档案库。")
            return None
        if self.dialog is not None:
            self.dialog.close()
        dlg = CheckpointDialog(self.window)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.take_requested.connect(lambda note: self.take(dlg, note))
        dlg.diff_requested.connect(lambda a, b: self.diff(dlg, a, b))
        dlg.destroyed.connect(lambda *_: self._forget(dlg))
        self.dialog = dlg
        dlg.open()
        self.load(dlg)
        return dlg

    def _forget(self, dlg: CheckpointDialog) -> None:
        if self.dialog is dlg:
            self.dialog = None

    def load(self, dlg: CheckpointDialog) -> None:
        a = self.c.require_archive()

        def fn(ctx: TaskContext) -> tuple[list[CheckpointSummary], list[SubmissionSummary]]:
            with a.sessions.read() as s:
                subs = list_submissions(s)
            return list_checkpoints(archive=a), subs

        def done(result: tuple[list[CheckpointSummary], list[SubmissionSummary]]) -> None:
            if dlg is self.dialog:
                dlg.set_data(*result)
            emit(self.loaded, result[0])

        self.c.submit_reporting("read", fn, done, failed=lambda m: self._failed(dlg, m))

    def take(self, dlg: CheckpointDialog, note: str) -> None:
        a, today = self.c.require_archive(), self.today

        def fn(ctx: TaskContext) -> CheckpointSummary:
            return take_checkpoint(archive=a, note=note, today=today)

        def done(cp: CheckpointSummary) -> None:
            if dlg is self.dialog:
                dlg.taken(cp)
                self.load(dlg)
            self.window.show_status(f"已记录自查 {cp.id}")
            emit(self.taken, cp)

        self.c.submit_reporting("write", fn, done, failed=lambda m: self._failed(dlg, m), label="正在自查")

    def diff(self, dlg: CheckpointDialog, before: str, after: str) -> None:
        a = self.c.require_archive()

        def fn(ctx: TaskContext) -> CheckpointDiff:
            return diff_checkpoints(archive=a, before=before, after=after)

        def done(d: CheckpointDiff) -> None:
            if dlg is self.dialog:
                dlg.show_diff(d)
            emit(self.compared, d)

        self.c.submit_reporting("read", fn, done, failed=lambda m: self._failed(dlg, m))

    def _failed(self, dlg: CheckpointDialog, message: str) -> None:
        if dlg is self.dialog:
            dlg.failed(message)

    # -- 轮次 (read-only) ----------------------------------------------------------------------
    def open_rounds(self) -> RoundsDialog | None:
        if self.c.archive is None:
            self.window.show_error("请先新建或打开一个档案库。")
            return None
        if self.rounds_dialog is not None:
            self.rounds_dialog.close()
        dlg = RoundsDialog(self.window)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.destroyed.connect(lambda *_: self._forget_rounds(dlg))
        self.rounds_dialog = dlg
        dlg.open()
        a = self.c.require_archive()

        def fn(ctx: TaskContext) -> list[RoundSummary]:
            return list_rounds(archive=a)

        def done(rows: list[RoundSummary]) -> None:
            if dlg is self.rounds_dialog:
                dlg.set_rounds(rows)
            emit(self.rounds_loaded, rows)

        def failed(message: str) -> None:
            if dlg is self.rounds_dialog:
                dlg.message.setText(message)

        self.c.submit_reporting("write", fn, done, failed=failed)
        return dlg

    def _forget_rounds(self, dlg: RoundsDialog) -> None:
        if self.rounds_dialog is dlg:
            self.rounds_dialog = None


__all__ = ["CheckpointController"]
