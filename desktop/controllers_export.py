"""The window's part of the provincial bundle (issue 7): self-scores per indicator, the
export dialog (preflight, bundle, binders, seal, verify) and Print.

The main `Controller` makes one `ExportController` and hands it the window's signals. Like
the other controllers, each action submits a plain function to the one task runner —
the same functions the command line uses (`storage.assessments.set_assessment`,
`desktop.commands_preflight.run_preflight`, `desktop.commands_bundle.prepared_bundle` /
`seal_prepared`, `exporters.manifest.verify_bundle`, and `desktop.commands_print.build_binders`
when this build has it) — and shows the read models on the GUI thread.

Signals (tests and screenshots wait on these):
    assessment_loaded(row or None), assessment_saved(row), assessment_refused(message),
    sheet_loaded(sheet)
"""
from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication

from storage.errors import ArchiveError
from ui.qtfix import emit
from ui.selfscore import SelfScoreOverview, SelfScorePanel

from .tasks import Task, TaskContext


class ExportController(QObject):
    assessment_loaded = Signal(object)
    assessment_saved = Signal(object)
    assessment_refused = Signal(str)
    sheet_loaded = Signal(object)

    def __init__(self, controller) -> None:  # noqa: ANN001 - desktop.controllers.Controller
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        wb = self.window.workbench
        self.panel: SelfScorePanel = wb.selfscore
        self.overview: SelfScoreOverview | None = None
        self._assess_req = 0
        self._progress: dict[int, Callable[[int, int, str], None]] = {}  # task id -> callback
        controller.runner.task_progress.connect(self._task_progress)
        controller.runner.task_finished.connect(self._task_finished)
        wb.tree.node_selected.connect(self.load_assessment)
        controller.tree_loaded.connect(self._tree_loaded)
        self.panel.save_requested.connect(self.save_assessment)
        self.panel.overview_requested.connect(self.show_overview)
        w = self.window
        if hasattr(w, "selfscore_requested"):
            w.selfscore_requested.connect(self.show_overview)

    @property
    def archive(self):  # noqa: ANN201
        return self.c.archive

    @property
    def runner(self):  # noqa: ANN201
        return self.c.runner

    # -- running tasks -------------------------------------------------------------------------
    def _submit(self, kind: str, fn: Callable[[TaskContext], Any], done: Callable[[Any], None], *,
                failed: Callable[[str], None] | None = None, cancelled: Callable[[], None] | None = None,
                label: str = "", cancellable: bool = False,
                progress: Callable[[int, int, str], None] | None = None) -> Task | None:
        """Like Controller._run, but a known failure (ArchiveError: a refused value, a full
        disk, an existing target) goes to `failed`, which says it where the clerk is looking;
        a bug still goes to the crash log and the message box. `progress` gets this task's
        progress on the GUI thread."""
        c = self.c
        if c.archive is None:
            return None
        gen = c._gen
        task: Task | None = None

        def ok(result: Any) -> None:
            if gen == c._gen:
                done(result)

        def err(exc: BaseException) -> None:
            if gen != c._gen:
                return
            if isinstance(exc, (ArchiveError, OSError)) and failed is not None:
                failed(exc.zh if isinstance(exc, ArchiveError) else
                       f"文件操作失败：{exc.strerror or exc}" + (f"（{exc.filename}）" if exc.filename else ""))
                return
            trace = task.error_trace if task is not None else "".join(traceback.format_exception(exc))
            c._error(exc, trace)
            if failed is not None:
                failed("程序内部错误，操作没有完成；详情见错误提示。")

        def stopped() -> None:
            if gen == c._gen and cancelled is not None:
                cancelled()

        submit = self.runner.submit_write if kind == "write" else self.runner.submit_read
        task = submit(fn, label=label, on_done=ok, on_error=err, on_cancelled=stopped,
                      cancellable=cancellable)
        if progress is not None and task.state in ("queued", "running"):
            self._progress[task.id] = progress
        return task

    def _task_progress(self, task: Task, done: int, total: int, text: str) -> None:
        cb = self._progress.get(task.id)
        if cb is not None:
            cb(done, total, text)

    def _task_finished(self, task: Task) -> None:
        self._progress.pop(task.id, None)

    # -- self-scores ------------------------------------------------------------------------------
    def _tree_loaded(self) -> None:
        current = self.window.workbench.tree.current_id()
        if current is None:
            self.panel.set_row(None)
        else:
            self.load_assessment(current)

    def load_assessment(self, indicator_id: int) -> None:
        """The 自评 tab for the selected node."""
        from storage.assessments import assessment_row

        a = self.archive
        self._assess_req += 1
        req = self._assess_req

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return assessment_row(s, indicator_id)

        def done(row) -> None:  # noqa: ANN001
            if req != self._assess_req:
                return  # the clerk has moved on to another node
            self.panel.set_row(row, node_text=f"{row.code} {row.title}（上级指标）".strip())
            emit(self.assessment_loaded, row)

        self._submit("read", fn, done, failed=lambda msg: self.panel.set_row(None, msg))

    def save_assessment(self, indicator_id: int, code: str, changes: dict) -> None:
        """One write through storage.assessments.set_assessment; a refused value (score out
        of range, not a number) comes back as its Chinese message and nothing is saved."""
        from storage.assessments import set_assessment

        a = self.archive
        panel = self.panel

        def fn(ctx: TaskContext):
            with a.sessions.write() as s:
                return set_assessment(s, code, **changes)

        def done(row) -> None:  # noqa: ANN001
            if panel.row() is not None and panel.row().indicator_id == row.indicator_id:
                panel.set_row(row, "已保存")
            self.window.show_status(f"已保存指标 {row.code} 的自评")
            if self.overview is not None:
                self.load_sheet()
            emit(self.assessment_saved, row)

        def failed(msg: str) -> None:
            current = panel.row()
            if current is not None and current.indicator_id == indicator_id:
                panel.show_error(msg + "（未保存）")
            else:
                self.window.show_error(msg)
            emit(self.assessment_refused, msg)

        self._submit("write", fn, done, failed=failed)

    def show_overview(self) -> SelfScoreOverview | None:
        """The 自评得分总表 (all indicators, total vs maximum)."""
        if self.archive is None:
            self.window.show_error("请先新建或打开一个档案库。")
            return None
        if self.overview is None:
            dlg = SelfScoreOverview(self.window)
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dlg.indicator_activated.connect(self.go_to_indicator)
            dlg.refresh_requested.connect(self.load_sheet)
            dlg.destroyed.connect(lambda *_: setattr(self, "overview", None))
            self.overview = dlg
        self.overview.show()
        if QGuiApplication.platformName() != "offscreen":  # which warns that it cannot raise
            self.overview.raise_()
        self.load_sheet()
        return self.overview

    def load_sheet(self) -> None:
        from storage.assessments import self_score_sheet

        a = self.archive

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return self_score_sheet(s)

        def done(sheet) -> None:  # noqa: ANN001
            if self.overview is not None:
                self.overview.set_sheet(sheet)
            emit(self.sheet_loaded, sheet)

        self._submit("read", fn, done, failed=self.window.show_error)

    def go_to_indicator(self, indicator_id: int) -> None:
        """Show the indicator in the main view with its 自评 tab."""
        w, wb = self.window, self.window.workbench
        w.show_view("main")
        wb.side.setCurrentWidget(self.panel)
        if wb.tree.current_id() == indicator_id:
            self.load_assessment(indicator_id)
        else:
            wb.tree.select_id(indicator_id)


__all__ = ["ExportController"]
