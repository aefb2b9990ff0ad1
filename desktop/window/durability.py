"""The window's half of parity (issue 13, item 2): trash, untrash, purge, backup, restore,
the audit log and sealed submissions, which the command line has in desktop/cli/durability.py
and desktop/cli/submission.py.

The main `Controller` makes one `DurabilityController` (as it makes the ExportController).
Every action submits to the one task runner the same storage function (or action) the
command line calls, never a second implementation:

- 移到回收站 / 恢复 / 彻底清除: `storage.durability.trash.trash_evidence`,
  `untrash_evidence`, `purge_plan` (read, for the question) and `purge`, on the writer; the
  views refresh after each through the session's `changed` signal.
- 备份档案库…: `storage.durability.backup.backup_archive`, with progress and cancel. It runs
  on the writer: it ends with an audit entry (a write), and the one-writer rule holds; the
  price is that edits wait while a backup runs (reads and the views do not).
- 从备份恢复…: `restore_archive` (a full backup into a new folder, or a backups/*.sqlite3
  database into the open archive). The window closes the archive first (the restore takes
  the window lock), runs the restore, then opens the restored archive; when the restore
  fails the archive that was open is opened again, untouched, and the dialog says so.
- 操作记录…: `storage.durability.auditlog.read_log` (newest 2,000 from a date on).
- 已封存的提交…: `list_submissions`, and `desktop.actions.submissions.diff_submission` /
  `reexport_submission` (the steps of `submission diff` / `submission export`).

Signals (tests and screenshots wait on these):
    trashed([ids]), untrashed([ids]), purged(PurgePlan), trash_loaded([TrashItem]),
    backup_done(BackupReport), backup_cancelled(), backup_failed(message),
    restore_done(RestoreReport), restore_failed(message), log_loaded([AuditEntry]),
    submissions_loaded([SubmissionSummary]), diff_done(SubmissionDiff),
    reexport_done(ReexportResult), reexport_cancelled(), reexport_failed(message)
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

from desktop import settings as user_settings
from desktop.actions.submissions import ReexportResult, diff_submission, reexport_submission
from desktop.window.tasks import Task, TaskContext
from storage.bundle.submissions import list_submissions
from storage.core.archive import Archive
from storage.durability.auditlog import AuditEntry, read_log
from storage.durability.backup import BackupReport, RestoreReport, backup_archive, restore_archive
from storage.durability.trash import TrashItem, list_trash, purge, purge_plan, trash_evidence, untrash_evidence
from storage.kernel.errors import ArchiveError
from ui.backup_dialog import BackupDialog, RestoreDialog, is_database_backup
from ui.log_dialog import LogDialog
from ui.qtfix import emit
from ui.submissions_dialog import SubmissionsDialog
from ui.trash_dialog import TrashDialog

LOG_LIMIT = 2000  # the log dialog shows the newest this many entries from its date on


def documents_folder() -> str:
    """Where the dialogs propose to write: the clerk's 文档 folder."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return docs or str(Path.home())


def trashed_by(archive: Archive, items: list[TrashItem]) -> dict[int, str]:
    """Who moved each item to the trash, from the audit log (the trash keeps only when)."""
    if not items:
        return {}
    times = [dt.datetime.fromisoformat(i.trashed_at) for i in items if i.trashed_at]
    since = min(times) - dt.timedelta(seconds=1) if times else None
    wanted = {str(i.evidence_id) for i in items}
    who: dict[int, str] = {}
    for e in read_log(archive, since=since, entity="evidence"):
        change = e.summary.get("trashed_at") if e.action == "update" else None
        if e.entity_id in wanted and isinstance(change, list) and len(change) == 2 and change[1]:
            who[int(e.entity_id)] = e.user  # oldest first: the last one is the latest trashing
    return who


class DurabilityController(QObject):
    """Trash, backup and restore, the log and submissions for the main Controller."""

    trashed = Signal(list)
    untrashed = Signal(list)
    purged = Signal(object)
    trash_loaded = Signal(list)
    backup_done = Signal(object)
    backup_cancelled = Signal()
    backup_failed = Signal(str)
    restore_done = Signal(object)
    restore_failed = Signal(str)
    log_loaded = Signal(list)
    submissions_loaded = Signal(list)
    diff_done = Signal(object)
    reexport_done = Signal(object)
    reexport_cancelled = Signal()
    reexport_failed = Signal(str)

    def __init__(self, controller: Any) -> None:  # desktop.window.controllers.Controller
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        self.trash_dialog: TrashDialog | None = None
        self.log_dialog: LogDialog | None = None
        self.submissions_dialog: SubmissionsDialog | None = None
        self.backup_dialog: BackupDialog | None = None
        self.restore_dialog: RestoreDialog | None = None
        self._backup_task: Task | None = None
        self._reexport_task: Task | None = None
        self._progress: dict[int, Callable[[int, int, str], None]] = {}
        self._shown_gen = controller._gen
        controller.runner.task_progress.connect(self._task_progress)
        controller.runner.task_finished.connect(lambda task: self._progress.pop(task.id, None))
        controller.tree_loaded.connect(self._tree_loaded)
        self.window.workbench.evidence.trash_requested.connect(self.trash)
        self.window.durability_requested.connect(self.open)

    @property
    def archive(self) -> Archive:
        """The open archive. Tasks read it when they are made; `submit_reporting` drops a
        task made while none is open, so `None` never reaches a storage call."""
        return cast(Archive, self.c.archive)

    # -- running tasks ----------------------------------------------------------------------
    def _submit(self, kind: str, fn: Callable[[TaskContext], Any], done: Callable[[Any], None], *,
                failed: Callable[[str], None] | None = None, cancelled: Callable[[], None] | None = None,
                label: str = "", cancellable: bool = False,
                progress: Callable[[int, int, str], None] | None = None,
                needs_archive: bool = True) -> Task | None:
        """Controller.submit_reporting (known failures to `failed` in plain Chinese, bugs to
        the crash log), plus this task's progress on the GUI thread to `progress`."""
        task: Task | None = self.c.submit_reporting(
            kind, fn, done, failed=failed or self.window.show_error, cancelled=cancelled, label=label,
            cancellable=cancellable, needs_archive=needs_archive, known=(ArchiveError, OSError))
        if task is not None and progress is not None and task.state in ("queued", "running"):
            self._progress[task.id] = progress
        return task

    def _task_progress(self, task: Task, done: int, total: int, text: str) -> None:
        cb = self._progress.get(task.id)
        if cb is not None:
            cb(done, total, text)

    def _show(self, dlg: QDialog) -> None:
        dlg.show()
        if QGuiApplication.platformName() != "offscreen":  # which warns that it cannot raise
            dlg.raise_()
            dlg.activateWindow()

    def _tree_loaded(self) -> None:
        """Another archive is shown: the dialogs about the old one close."""
        if self._shown_gen == self.c._gen:
            return
        self._shown_gen = self.c._gen
        for dlg in (self.trash_dialog, self.log_dialog, self.submissions_dialog, self.backup_dialog):
            if dlg is not None:
                dlg.close()

    def _changed(self) -> None:
        """After a write: the views, and the open trash and log dialogs, show it."""
        self.c.session.mark_changed()
        if self.trash_dialog is not None:
            self.load_trash()
        if self.log_dialog is not None:
            self.load_log(self.log_dialog.since_text())

    def open(self, kind: str) -> QDialog | None:
        """A menu entry: trash | log | submissions | backup | restore."""
        if self.c.archive is None:
            self.window.show_error("请先新建或打开一个档案库。")
            return None
        opener: dict[str, Callable[[], Any]] = {
            "trash": self.open_trash, "log": self.open_log, "submissions": self.open_submissions,
            "backup": self.open_backup, "restore": self.open_restore}
        return opener[kind]()

    def _keep(self, name: str, dlg: QDialog) -> None:
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.destroyed.connect(lambda *_: setattr(self, name, None) if getattr(self, name) is dlg else None)
        setattr(self, name, dlg)

    # -- trash --------------------------------------------------------------------------------
    def trash(self, ids: list[int]) -> Task | None:
        """移到回收站 (Delete in the evidence table): storage's trash_evidence, on the writer."""
        a = self.archive

        def fn(ctx: TaskContext) -> list[TrashItem]:
            return trash_evidence(a, ids)

        def done(items: list[TrashItem]) -> None:
            shown = "、".join(f"《{i.title}》" for i in items[:3]) + ("等" if len(items) > 3 else "")
            self.window.show_status(f"已移到回收站 {len(items)} 份材料{shown}（可在 文件 → 回收站… 恢复）")
            self._changed()
            emit(self.trashed, [i.evidence_id for i in items])

        return self._submit("write", fn, done)

    def open_trash(self) -> TrashDialog:
        if self.trash_dialog is None:
            dlg = TrashDialog(self.window)
            dlg.untrash_requested.connect(self.untrash)
            dlg.purge_plan_requested.connect(self.ask_purge)
            dlg.purge_requested.connect(self.purge)
            dlg.refresh_requested.connect(self.load_trash)
            self._keep("trash_dialog", dlg)
        shown = self.trash_dialog
        assert shown is not None
        self._show(shown)
        self.load_trash()
        return shown

    def load_trash(self) -> None:
        a = self.archive

        def fn(ctx: TaskContext) -> tuple[list[TrashItem], dict[int, str]]:
            items = list_trash(a)
            return items, trashed_by(a, items)

        def done(result: tuple[list[TrashItem], dict[int, str]]) -> None:
            items, who = result
            if self.trash_dialog is not None:
                self.trash_dialog.set_items(items, who)
            emit(self.trash_loaded, items)

        self._submit("read", fn, done, failed=self._trash_message)

    def _trash_message(self, text: str) -> None:
        if self.trash_dialog is not None:
            self.trash_dialog.show_message(text)
        else:
            self.window.show_error(text)

    def untrash(self, ids: list[int]) -> Task | None:
        a = self.archive

        def fn(ctx: TaskContext) -> list[TrashItem]:
            return untrash_evidence(a, ids)

        def done(items: list[TrashItem]) -> None:
            text = f"已从回收站恢复 {len(items)} 份材料"
            self.window.show_status(text)
            self._changed()
            if self.trash_dialog is not None:
                self.trash_dialog.show_message(text)
            emit(self.untrashed, [i.evidence_id for i in items])

        return self._submit("write", fn, done, failed=self._trash_message)

    def ask_purge(self, ids: list[int]) -> None:
        """彻底清除 pressed: read what would go (purge_plan), then the dialog asks."""
        a = self.archive

        def fn(ctx: TaskContext) -> Any:
            return purge_plan(a, ids)

        def done(plan: Any) -> None:
            if self.trash_dialog is not None:
                self.trash_dialog.confirm_purge(plan)

        self._submit("read", fn, done, failed=self._trash_message)

    def purge(self, ids: list[int]) -> Task | None:
        a = self.archive

        def fn(ctx: TaskContext) -> Any:
            return purge(a, ids)

        def done(plan: Any) -> None:
            removed = sum(1 for f in plan.files if f.removed)
            text = (f"已彻底删除 {len(plan.items)} 份材料，从档案库删除 {removed} 个文件"
                    f"（{plan.bytes_freed / 1e6:.1f} MB）")
            self.window.show_status(text)
            self._changed()
            if self.trash_dialog is not None:
                self.trash_dialog.show_message(text)
            emit(self.purged, plan)

        return self._submit("write", fn, done, failed=self._trash_message)

    # -- backup -------------------------------------------------------------------------------
    def open_backup(self) -> BackupDialog:
        if self.backup_dialog is None:
            dlg = BackupDialog(self.window, default_folder=documents_folder())
            dlg.backup_requested.connect(self.backup)
            dlg.cancel_requested.connect(self.cancel_backup)
            self._keep("backup_dialog", dlg)
        shown = self.backup_dialog
        assert shown is not None
        self._show(shown)
        return shown

    def backup(self, dest: str) -> Task | None:
        """storage's backup_archive, with progress and cancel (see the module docstring for
        why it runs on the writer)."""
        a = self.archive

        def fn(ctx: TaskContext) -> BackupReport:
            return backup_archive(a, dest, progress=ctx.progress, cancel=ctx.cancelled)

        def progress(done: int, total: int, text: str) -> None:
            if self.backup_dialog is not None:
                self.backup_dialog.set_progress(done, total, text)

        def done(report: BackupReport) -> None:
            self._backup_task = None
            if self.backup_dialog is not None:
                self.backup_dialog.backup_finished(report)
            self.window.show_status(f"已备份到 {report.dest}")
            self._changed()  # the backup is in the log
            emit(self.backup_done, report)

        def failed(text: str) -> None:
            task, self._backup_task = self._backup_task, None
            if task is not None and task.cancel_requested:  # storage says a cancel as BadInput
                stopped()
                return
            if self.backup_dialog is not None:
                self.backup_dialog.failed(text)
            else:
                self.window.show_error(f"备份没有完成：{text}")
            emit(self.backup_failed, text)

        def stopped() -> None:
            self._backup_task = None
            if self.backup_dialog is not None:
                self.backup_dialog.cancelled()
            self.window.show_status("备份已取消，没有生成备份")
            emit(self.backup_cancelled)

        self._backup_task = self._submit("write", fn, done, failed=failed, cancelled=stopped,
                                         label="正在备份档案库", cancellable=True, progress=progress)
        return self._backup_task

    def cancel_backup(self) -> None:
        if self._backup_task is not None:
            self._backup_task.cancel()

    # -- restore ------------------------------------------------------------------------------
    def open_restore(self) -> RestoreDialog:
        if self.restore_dialog is None:
            a = self.c.archive
            dlg = RestoreDialog(self.window, current_archive=str(a.root) if a is not None else "",
                                default_folder=documents_folder())
            dlg.restore_requested.connect(self.restore)
            self._keep("restore_dialog", dlg)
        shown = self.restore_dialog
        assert shown is not None
        self._show(shown)
        return shown

    def restore(self, src: str, target: str) -> Task | None:
        """Close the archive, restore (storage's restore_archive), open the result; on a
        failure open the archive that was open again (it was not touched)."""
        if self.c.archive is None:
            return None
        a = self.archive
        previous = str(a.root)
        if is_database_backup(src):
            target = previous  # a database backup goes back into the open archive
        self.window.show_status("正在从备份恢复…")
        self.c.close_archive()

        def fn(ctx: TaskContext) -> RestoreReport:
            return restore_archive(src, target, progress=ctx.progress)

        def progress(done: int, total: int, text: str) -> None:
            if self.restore_dialog is not None:
                self.restore_dialog.set_progress(done, total, text)

        def done(report: RestoreReport) -> None:
            problem = self._open_archive(report.archive)
            lines = [f"已恢复到：{report.archive}（{report.files} 个文件）"
                     + ("；已升级档案库结构" if report.migrated else "")]
            if report.replaced_database:
                lines.append(f"原数据库保留在：{report.replaced_database}")
            lines.append("恢复后校验通过。" if report.verify_ok else
                         f"恢复后校验发现 {len(report.verify_problems)} 个问题，请运行“校验档案库”。")
            if problem:
                lines.append(f"但无法打开恢复后的档案库：{problem}")
                self._open_archive(previous)
            text = "\n".join(lines)
            if self.restore_dialog is not None:
                self.restore_dialog.restore_finished(text)
            self.window.show_status(lines[0])
            emit(self.restore_done, report)

        def failed(text: str) -> None:
            problem = self._open_archive(previous)
            msg = (f"恢复没有完成：{text}\n当前档案库未作改动" +
                   (f"，但重新打开时出错：{problem}" if problem else "，已重新打开。"))
            if self.restore_dialog is not None:
                self.restore_dialog.failed(msg)
            else:
                self.window.show_error(msg)
            self.window.show_status("恢复没有完成，当前档案库未作改动")
            emit(self.restore_failed, msg)

        return self._submit("write", fn, done, failed=failed, label="正在从备份恢复", progress=progress,
                            needs_archive=False)

    def _open_archive(self, path: str) -> str:
        """Open `path` in the window with its window lock, as the start-up does; "" or why not."""
        try:
            archive = Archive.open(path)
        except ArchiveError as e:
            return e.zh
        try:
            lock = archive.acquire_window_lock()
        except ArchiveError as e:
            archive.close()
            return e.zh
        s = user_settings.load()
        s.remember_archive(archive.root)
        try:
            user_settings.save(s)
        except OSError:
            pass
        self.window.set_recent(s.recent_archives)
        self.c.set_archive(archive, lock)
        return ""

    # -- the audit log ------------------------------------------------------------------------
    def open_log(self) -> LogDialog:
        if self.log_dialog is None:
            dlg = LogDialog(self.window, today=self.c.today)
            dlg.load_requested.connect(self.load_log)
            self._keep("log_dialog", dlg)
        shown = self.log_dialog
        assert shown is not None
        self._show(shown)
        self.load_log(shown.since_text())
        return shown

    def load_log(self, since: str) -> None:
        """read_log from the local date `since` ("" for all), the newest LOG_LIMIT entries."""
        a = self.archive

        def fn(ctx: TaskContext) -> list[AuditEntry]:
            return read_log(a, since=since or None, limit=LOG_LIMIT)

        def done(entries: list[AuditEntry]) -> None:
            if self.log_dialog is not None:
                self.log_dialog.set_entries(entries, limit=LOG_LIMIT)
            emit(self.log_loaded, entries)

        def failed(text: str) -> None:
            if self.log_dialog is not None:
                self.log_dialog.show_message(text)

        self._submit("read", fn, done, failed=failed)

    # -- sealed submissions ---------------------------------------------------------------------
    def open_submissions(self) -> SubmissionsDialog:
        if self.submissions_dialog is None:
            dlg = SubmissionsDialog(self.window, default_folder=documents_folder())
            dlg.diff_requested.connect(self.diff)
            dlg.reexport_requested.connect(self.reexport)
            dlg.cancel_requested.connect(self.cancel_reexport)
            self._keep("submissions_dialog", dlg)
        shown = self.submissions_dialog
        assert shown is not None
        self._show(shown)
        self.load_submissions()
        return shown

    def load_submissions(self) -> None:
        a = self.archive

        def fn(ctx: TaskContext) -> list[Any]:
            with a.sessions.read() as s:
                return list_submissions(s)

        def done(rows: list[Any]) -> None:
            if self.submissions_dialog is not None:
                self.submissions_dialog.set_submissions(rows)
            emit(self.submissions_loaded, rows)

        self._submit("read", fn, done, failed=self._submissions_failed)

    def _submissions_failed(self, text: str) -> None:
        if self.submissions_dialog is not None:
            self.submissions_dialog.failed(text)
        else:
            self.window.show_error(text)

    def diff(self, submission_id: int) -> Task | None:
        a = self.archive

        def fn(ctx: TaskContext) -> Any:
            return diff_submission(archive=a, number=submission_id)

        def done(result: Any) -> None:
            summary, diff = result
            if self.submissions_dialog is not None:
                self.submissions_dialog.show_diff(summary, diff)
            emit(self.diff_done, diff)

        return self._submit("read", fn, done, failed=self._submissions_failed, label="正在对比提交")

    def reexport(self, submission_id: int, target: str, as_zip: bool) -> Task | None:
        a = self.archive

        def fn(ctx: TaskContext) -> ReexportResult:
            return reexport_submission(archive=a, number=submission_id, target=target, as_zip=as_zip,
                                       progress=ctx.progress, cancel=ctx.cancelled)

        def progress(done: int, total: int, text: str) -> None:
            if self.submissions_dialog is not None:
                self.submissions_dialog.set_progress(done, total, text)

        def done(result: ReexportResult) -> None:
            self._reexport_task = None
            if self.submissions_dialog is not None:
                self.submissions_dialog.reexport_finished(result)
            self.window.show_status(f"已重新导出第 {submission_id} 次提交：{result.bundle}")
            emit(self.reexport_done, result)

        def failed(text: str) -> None:
            self._reexport_task = None
            self._submissions_failed(f"重新导出没有完成：{text}")
            emit(self.reexport_failed, text)

        def stopped() -> None:
            self._reexport_task = None
            if self.submissions_dialog is not None:
                self.submissions_dialog.cancelled()
            emit(self.reexport_cancelled)

        self._reexport_task = self._submit("read", fn, done, failed=failed, cancelled=stopped,
                                           label="正在重新导出提交", cancellable=True, progress=progress)
        return self._reexport_task

    def cancel_reexport(self) -> None:
        if self._reexport_task is not None:
            self._reexport_task.cancel()
