"""Connects the window's signals to storage calls, through the one task runner.

Each user action is a small method: it submits a plain function (which opens its own
session and returns read models) and says what to do with the result on the GUI thread.
The widgets never see a session, a path to the database or an ORM object.
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence

from desktop.actions.ingest import ingest_and_link
from desktop.window.deferred import Features
from desktop.window.session import ArchiveSession
from desktop.window.tasks import Task, TaskContext, TaskRunner
from desktop.window.watcher import FolderWatcher
from storage.catalogue import activity, duties, items, links, queries
from storage.catalogue.ingest import IngestReport
from storage.catalogue.queries import current_framework_id, indicator_tree
from storage.catalogue.search import INDEX_STEP, index_backlog, refresh_index, search
from storage.core.archive import Archive, WindowLock
from storage.durability.verify import verify_archive
from storage.kernel.errors import ArchiveError
from storage.reading.backlog import BacklogReport, read_pending
from storage.reading.ocr_backlog import OcrBacklogReport, ocr_pending
from storage.reading.preview import file_preview
from storage.review.rectify import load_items, overdue_count
from storage.watch import inbox
from ui import texts
from ui.guide import GuideDock
from ui.main_window import MainWindow
from ui.models import LazyRows
from ui.qtfix import emit

if TYPE_CHECKING:  # the feature controllers load after the first rows (desktop.window.deferred)
    from desktop.window.checkpoints import CheckpointController
    from desktop.window.dropmeta import DropMetaController
    from desktop.window.durability import DurabilityController
    from desktop.window.export import ExportController
    from desktop.window.move import MoveController
    from desktop.window.review import ReviewController
    from desktop.window.setup import SetupController
    from desktop.window.undo import UndoController


class Controller(QObject):
    """One open archive shown in one main window.

    Signals:
        tree_loaded(): the indicator tree was (re)loaded.
        node_loaded(indicator_id): the selected node's evidence and duties are shown.
        detail_loaded(evidence_id), saved(evidence_id), ingest_done(report),
        reordered(indicator_id), verify_done(report), error_shown(message)
    (tests and the benchmark wait on these).
    """

    tree_loaded = Signal()
    node_loaded = Signal(int)  # the node's whole evidence list is shown
    node_shown = Signal(int)  # its first rows are on screen (the whole list for small nodes)
    detail_loaded = Signal(int)
    preview_loaded = Signal(int)
    saved = Signal(int)
    ingest_done = Signal(object)
    linked = Signal(int)
    reordered = Signal(int)
    verify_done = Signal(object)
    views_loaded = Signal(str)
    inbox_done = Signal(str, list)  # action (accepted | ignored), evidence or entry ids
    search_done = Signal(str, int)  # query, hits shown
    evidence_shown = Signal(int)  # an item (from search) selected in its indicator
    exported = Signal(str, str)  # kind (notice | list), path written
    error_shown = Signal(str)
    backlog_read = Signal(object)  # storage.reading.backlog.BacklogReport of a finished run
    switch_requested = Signal(str, str)  # action (new | open | demo), path

    def __init__(self, window: MainWindow, runner: TaskRunner, *,
                 on_bug: Callable[[BaseException, str], Path | None] | None = None,
                 today: dt.date | None = None, watch_folders: bool = False) -> None:
        super().__init__(window)
        self.window = window
        self.runner = runner
        self.session = ArchiveSession(self)
        self.session.changed.connect(self._on_changed)
        self.lock: WindowLock | None = None
        self._backlog_task: Task | None = None
        self._on_bug = on_bug
        self._today = today
        self._gen = 0
        self._node_req = 0
        self._detail_req = 0
        self._dirty: set[str] = set()
        self._tasks: dict[int, Task] = {}
        # the folder watcher of the open archive (started after open when watch_folders)
        self._watch_folders = watch_folders
        self.watcher: Any = None
        self._folder_live: dict[int, Any] = {}  # folder id -> latest FolderStatus
        self._inbox_timer = QTimer(self)  # merges a burst of watcher reports into one reload
        self._inbox_timer.setSingleShot(True)
        self._inbox_timer.setInterval(300)
        self._inbox_timer.timeout.connect(self._after_watcher)
        self._watched_accepted = False
        # the folders' health (last full scan, reachability) changes without a report:
        # re-read it now and then while the inbox is on screen
        self.health_timer = QTimer(self)
        self.health_timer.setInterval(30_000)
        self.health_timer.timeout.connect(self._health_tick)
        self._search_stale = True  # the search index may lag the archive: refresh before searching
        self._search_req = 0
        self._reveal: int | None = None  # evidence to select once its node is shown
        self._connect()

        # the guided start, docked at the right (shown on an archive not yet set up by
        # desktop.window.setup); made now so that the window's saved layout places it
        self.guide = GuideDock(window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.guide)
        self.guide.hide()
        # 编辑 → 撤销 / 重做: in the menu from the start, disabled until desktop.window.undo
        # (loaded with the features) has something to undo
        self.edit_actions = (QAction("撤销", window), QAction("重做", window))
        self.edit_actions[0].setShortcut(QKeySequence.StandardKey.Undo)
        self.edit_actions[1].setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in self.edit_actions:
            action.setEnabled(False)
            window.edit_menu.addAction(action)
        self.default_layout = (window.size(), window.saveState())  # for 恢复默认布局
        # imports, settings, export, trash, review, self-checks, undo, 移到…, dropped files'
        # metadata: loaded after the first rows are shown, or at once when asked for
        self.features = Features(self)

    @property
    def setup(self) -> SetupController:
        """Imports, settings, the guided start, about."""
        return cast("SetupController", self.features.get("setup"))

    @property
    def export(self) -> ExportController:
        """Self-scores, the export dialog, print."""
        return cast("ExportController", self.features.get("export"))

    @property
    def durability(self) -> DurabilityController:
        """Trash, backup, restore, log, submissions."""
        return cast("DurabilityController", self.features.get("durability"))

    @property
    def review(self) -> ReviewController:
        """The 整改 and 对照 views (issue 16)."""
        return cast("ReviewController", self.features.get("review"))

    @property
    def checkpoints(self) -> CheckpointController:
        """工具 → 自查记录… (issue 16)."""
        return cast("CheckpointController", self.features.get("checkpoints"))

    @property
    def undo(self) -> UndoController:
        """Ctrl+Z: accept, link, unlink, move, status, trash."""
        return cast("UndoController", self.features.get("undo"))

    @property
    def move(self) -> MoveController:
        """移到… and drag-to-move."""
        return cast("MoveController", self.features.get("move"))

    @property
    def dropmeta(self) -> DropMetaController:
        """文号, date, title of dropped/added files."""
        return cast("DropMetaController", self.features.get("dropmeta"))

    # -- wiring ----------------------------------------------------------------------------
    def _connect(self) -> None:
        w, wb = self.window, self.window.workbench
        wb.tree.node_selected.connect(self.select_node)
        wb.tree.files_dropped.connect(self.ingest_files)
        wb.tree.evidence_dropped.connect(self.link_evidence)
        wb.evidence.selection_changed.connect(self.select_evidence)
        wb.evidence.model.reorder_requested.connect(self.reorder)
        wb.evidence.bulk_status_requested.connect(self.bulk_status)
        wb.evidence.bulk_department_requested.connect(self.bulk_department)
        wb.evidence.unlink_requested.connect(self.unlink)
        wb.detail.save_requested.connect(self.save_metadata)
        wb.detail.unlink_requested.connect(self.unlink)
        wb.detail.bulk.link_requested.connect(self.link_evidence)
        wb.detail.bulk.department_requested.connect(self.bulk_department)
        wb.detail.bulk.status_requested.connect(self.bulk_status)
        wb.duties.files_dropped.connect(lambda paths, duty_id: self.ingest_files(paths, None, duty_id))
        wb.duties.evidence_dropped.connect(self.link_to_duty)
        wb.preview.open_requested.connect(self.open_with_system)
        wb.preview.reveal_requested.connect(self.reveal)
        w.add_files_requested.connect(self.ingest_files)
        w.verify_requested.connect(self.verify)
        w.refresh_requested.connect(self.refresh_all)
        w.view_changed.connect(self._on_view_changed)
        w.task_bar.cancel_requested.connect(self._cancel_task)
        w.running_work = self.running_work
        w.inbox.accept_requested.connect(self.accept_inbox)
        w.inbox.accept_to_requested.connect(self.accept_inbox_to)
        w.inbox.ignore_requested.connect(self.ignore_inbox)
        w.inbox.rescan_requested.connect(self.rescan_folders)
        w.search_box.search_requested.connect(self.search)
        w.search.hit_activated.connect(self.show_evidence)
        w.departments.export_requested.connect(self.export_reminders)
        w.new_archive_requested.connect(lambda p: emit(self.switch_requested, "new", p))
        w.open_archive_requested.connect(lambda p: emit(self.switch_requested, "open", p))
        w.demo_requested.connect(lambda: emit(self.switch_requested, "demo", ""))
        self.runner.task_started.connect(self._task_started)
        self.runner.task_progress.connect(self._task_progress)
        self.runner.task_finished.connect(self._task_finished)

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # -- archive ---------------------------------------------------------------------------
    def set_archive(self, archive: Archive, lock: WindowLock | None = None) -> None:
        """Show `archive` (already opened, with its window lock taken by the caller)."""
        self.close_archive()
        self._gen += 1
        self.archive, self.lock = archive, lock
        self._search_stale, self._reveal = True, None
        sample = False
        self.window.set_archive_title(str(archive.root), sample)
        self.window.workbench.show_node(None, [], [])
        self.window.workbench.detail.set_detail(None)
        self.window.workbench.preview.set_preview(None)
        self.refresh_all(opening=True)
        if archive.last_backup_error:  # visible, but the clerk can go on working
            self.window.show_warning(
                archive.last_backup_error.split(" (")[0] + "。档案库可以正常使用；请检查档案库所在磁盘的空间"
                "和 backups 文件夹的权限，下次打开时会再次备份。")
        else:
            self.window.show_warning("")

    def require_archive(self) -> Archive:
        """The open archive: every view and action that reads or writes runs only while one is
        open (their menu entries and views are disabled otherwise)."""
        return self.session.require()

    @property
    def archive(self) -> Archive | None:
        return self.session.archive

    @archive.setter
    def archive(self, value: Archive | None) -> None:
        self.session.archive = value

    def close_archive(self) -> None:
        """Stop what runs on the archive, then release it (waits for the threads)."""
        if self.archive is None:
            return
        self._gen += 1
        if self.features.is_loaded:  # else nothing was done that could be undone
            self.undo.clear("closed")
        self.stop_watcher()
        self.runner.cancel_all()
        self.runner.wait()
        if self.lock is not None:
            self.lock.release()
        self.archive.close()
        self.archive, self.lock = None, None
        # what the panels held belongs to the closed archive: nothing is left to save
        wb = self.window.workbench
        wb.selfscore.set_row(None)
        wb.detail.set_detail(None)

    # -- running tasks ----------------------------------------------------------------------
    def _run(self, kind: str, fn: Callable[[TaskContext], Any], done: Callable[[Any], None] | None = None,
             *, label: str = "", cancellable: bool = False, show: bool = False,
             cancelled: Callable[[], None] | None = None) -> Task | None:
        if self.archive is None:
            return None
        gen = self._gen

        def guarded(result: Any) -> None:
            if gen == self._gen and done is not None:
                done(result)

        def on_error(exc: BaseException) -> None:
            if gen == self._gen:
                self._error(exc, task.error_trace if task else "")

        submit = self.runner.submit_write if kind == "write" else self.runner.submit_read
        task = None
        task = submit(fn, label=label, on_done=guarded, on_error=on_error,
                      on_cancelled=cancelled, cancellable=cancellable)
        if show:
            self._tasks[task.id] = task
        return task

    def submit_reporting(self, kind: str, fn: Callable[[TaskContext], Any], done: Callable[[Any], None], *,
                         failed: Callable[[str], None] | None = None,
                         cancelled: Callable[[], None] | None = None, label: str = "",
                         cancellable: bool = False, needs_archive: bool = True,
                         known: tuple[type[BaseException], ...] = (ArchiveError,)) -> Task | None:
        """Like `_run`, for dialogs that say failures themselves: a known failure (`known`:
        a refused value, a full disk, an existing target) goes to `failed` as plain Chinese;
        a bug still goes to the crash log and the message box (and `failed` gets a short
        line). Results of an archive's task are dropped once another archive is shown, unless
        `needs_archive` is False (a task about a file, e.g. printing)."""
        if self.archive is None and needs_archive:
            return None
        gen = self._gen if needs_archive else None
        task: Task | None = None

        def current() -> bool:
            return gen is None or gen == self._gen

        def ok(result: Any) -> None:
            if current():
                done(result)

        def err(exc: BaseException) -> None:
            if not current():
                return
            if isinstance(exc, known) and failed is not None:
                if isinstance(exc, ArchiveError):
                    failed(exc.zh)
                else:  # OSError
                    name = getattr(exc, "filename", None)
                    failed(f"文件操作失败：{getattr(exc, 'strerror', None) or exc}" + (f"（{name}）" if name else ""))
                return
            trace = task.error_trace if task is not None else "".join(traceback.format_exception(exc))
            self._error(exc, trace)
            if failed is not None:
                failed("程序内部错误，操作没有完成；详情见错误提示。")

        def stopped() -> None:
            if current() and cancelled is not None:
                cancelled()

        submit = self.runner.submit_write if kind == "write" else self.runner.submit_read
        task = submit(fn, label=label, on_done=ok, on_error=err, on_cancelled=stopped,
                      cancellable=cancellable)
        return task

    def _task_started(self, task: Task) -> None:
        if task.id in self._tasks:
            self.window.task_bar.start(task.id, task.label, task.cancellable)

    def _task_progress(self, task: Task, done: int, total: int, text: str) -> None:
        if task.id in self._tasks:
            self.window.task_bar.progress(task.id, done, total, text)

    def _task_finished(self, task: Task) -> None:
        if self._tasks.pop(task.id, None) is not None:
            self.window.task_bar.finish(task.id)

    def running_work(self) -> list[tuple[str, Callable[[], None]]]:
        """(label, cancel) of the running work a closing window must ask about: exports,
        imports, backups (tasks that can be cancelled and have a name). Reading the files'
        text in the background is not among them: it stops at close and goes on next time."""
        return [(t.label, t.cancel) for t in self.runner.active()
                if t.cancellable and t.label and t.state in ("queued", "running") and t is not self._backlog_task]

    def _cancel_task(self, key: object) -> None:
        task = self._tasks.get(key) if isinstance(key, int) else None
        if task is not None:
            task.cancel()

    def _error(self, exc: BaseException, trace: str = "") -> None:
        if isinstance(exc, ArchiveError):
            msg = exc.zh
        elif isinstance(exc, OSError):
            msg = f"文件操作失败：{exc.strerror or exc}" + (f"（{exc.filename}）" if exc.filename else "")
        else:
            log = self._on_bug(exc, trace or "".join(traceback.format_exception(exc))) if self._on_bug else None
            msg = ("程序内部错误：" + type(exc).__name__ +
                   (f"。详情已写入日志文件：\n{log}" if log else "。"))
        self.window.show_error(msg)
        emit(self.error_shown, msg)

    # -- loading views ------------------------------------------------------------------------
    OPEN_DEFER_MS = 800

    def refresh_all(self, *, opening: bool = False) -> None:
        """Reload every view. On opening, the tree, the inbox badge and the view on screen
        come first; the other views and the search index follow a moment later, so their
        queries do not delay the window (the start-up target is 2 s on 50,000 items)."""
        self.load_tree()
        self._dirty = {"dashboard", "departments", "inbox"}
        if opening and not self.runner.synchronous:
            self.load_inbox()
            self._dirty.discard("inbox")
            self._refresh_dirty()
            gen = self._gen
            # the window as context: a window closed meanwhile takes the timer with it
            QTimer.singleShot(self.OPEN_DEFER_MS, self.window, lambda: self._after_open(gen))
        else:
            self._refresh_dirty(all_views=True)
        a = self.require_archive()

        def names(ctx: TaskContext) -> list[str]:
            with a.sessions.read() as s:
                return items.department_names(s)

        self._run("read", names, self._set_departments)

    def _after_open(self, gen: int) -> None:
        if gen != self._gen or self.archive is None:
            return  # closed or switched meanwhile
        self._refresh_dirty(all_views=True)
        if self._watch_folders:
            self.start_watcher()
            self.refresh_search_index()
            self.read_backlog()

    def _set_departments(self, names: list[str]) -> None:
        self.window.workbench.detail.set_departments(names)
        self.window.workbench.evidence.set_departments(names)

    def _mark_changed(self) -> None:
        """After a write: say so on the session (its `changed` signal reloads the views)."""
        self.session.mark_changed()

    def _on_changed(self, _what: str) -> None:
        """The archive changed: reload what the change may show in."""
        self._search_stale = True
        self.load_tree()
        self.reload_node()
        self._dirty |= {"dashboard", "departments", "inbox"}
        self._refresh_dirty()

    def _on_view_changed(self, name: str) -> None:
        self._refresh_dirty()

    def _refresh_dirty(self, all_views: bool = False) -> None:
        current = self.window.current_view()
        for name in list(self._dirty):
            if all_views or name == current or name == "inbox":
                self._dirty.discard(name)
                getattr(self, f"load_{name}")()

    def load_tree(self) -> None:
        a = self.require_archive()

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return indicator_tree(s)

        def done(nodes) -> None:
            self.window.workbench.tree.set_nodes(nodes)
            self.window.workbench.detail.bulk.set_indicators(nodes)
            emit(self.tree_loaded)

        self._run("read", fn, done)

    def load_dashboard(self) -> None:
        a, today = self.require_archive(), self.today

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return activity.dashboard(s, str(a.root), today, rectify_overdue=overdue_count(s, today))

        def done(d) -> None:
            self.window.dashboard.set_data(d)
            self.window.set_archive_title(str(a.root), d.status.framework_is_sample)
            self.window.set_inbox_count(d.status.inbox_pending)
            emit(self.views_loaded, "dashboard")

        self._run("read", fn, done)

    def load_departments(self) -> None:
        a, today = self.require_archive(), self.today

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return duties.departments_owing(s, today)

        def done(rows) -> None:
            self.window.departments.set_data(rows)
            emit(self.views_loaded, "departments")

        self._run("read", fn, done)

    def load_inbox(self) -> None:
        """The inbox list, the watched folders' health and the choices for "改为…"."""
        a, today = self.require_archive(), self.today

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                open_items = load_items(s, today=today) if current_framework_id(s) is not None else []
                return inbox.waiting(s), inbox.folder_health(s), duties.all_duties(s, today), open_items

        def done(result) -> None:
            waiting, health, all_duty_rows, open_items = result
            live = self._folder_live
            health = [replace(h, online=live[h.id].online, mode=live[h.id].mode,
                              message=live[h.id].message or ("" if live[h.id].online else h.message))
                      if h.id in live else h for h in health]
            view = self.window.inbox
            view.set_choices(self.window.workbench.tree.tree_model.nodes(), all_duty_rows, open_items)
            view.set_items(waiting)
            view.set_folders(health)
            self.window.set_inbox_count(sum(1 for i in waiting if i.state == "pending"))
            emit(self.views_loaded, "inbox")

        self._run("read", fn, done)

    # -- the folder watcher -------------------------------------------------------------------
    def start_watcher(self) -> None:
        """Watch the open archive's folders (a worker thread and watchdog observers)."""

        if self.archive is None or self.watcher is not None:
            return
        self._folder_live = {}
        try:
            w = FolderWatcher(self.archive, write=self.runner.write)
            w.entries_added.connect(self._on_watch_entries)
            w.folder_changed.connect(self._on_folder_changed)
            w.error.connect(self._on_watch_error)
            w.start()
        except Exception as e:  # noqa: BLE001 - the window works without the watcher
            msg = f"无法启动文件夹监视：{e}。收件箱不会自动更新，其他功能不受影响。"
            self.window.inbox.show_message(msg, error=True)
            self.window.show_error(msg)
            emit(self.error_shown, msg)
            return
        self.watcher = w
        self.health_timer.start()

    def _health_tick(self) -> None:
        if self.archive is not None and self.window.current_view() == "inbox" and self.runner.is_idle():
            self.load_inbox()

    def stop_watcher(self) -> None:
        """Stop and join the watcher's threads (before the archive closes or switches)."""
        self._inbox_timer.stop()
        self.health_timer.stop()
        w, self.watcher = self.watcher, None
        if w is not None:
            w.stop()
            w.deleteLater()

    def reload_watcher(self) -> None:
        """After watched folders were added or removed (the settings dialog)."""
        if self.watcher is not None:
            self.watcher.reload()
        self.load_inbox()

    def rescan_folders(self) -> None:
        """Scan every watched folder in full now: a new watcher's first pass is that scan."""
        if self.archive is None:
            return
        self.stop_watcher()
        self.start_watcher()
        self.window.show_status("正在扫描监视文件夹…")
        self.load_inbox()

    def _on_watch_entries(self, items: list) -> None:
        if any(getattr(i, "state", "") == "accepted" for i in items):
            self._watched_accepted = True  # auto-accepted: the tree's counts change
        self._inbox_timer.start()
        self.read_backlog()  # files left for a converter (.doc, .wps, .et …) are read there

    def read_backlog(self) -> Task | None:
        """Read the text of every stored file that has none yet (storage.reading.backlog), in
        the background: worker processes read, the one writer records. One run at a time; a
        run started while one is going is not needed (it reads whatever is left)."""
        running = self._backlog_task is not None and self._backlog_task.state in ("queued", "running")
        if self.archive is None or running:
            return None
        a, runner = self.require_archive(), self.runner

        def fn(ctx: TaskContext) -> tuple[BacklogReport, OcrBacklogReport]:
            report = read_pending(a, progress=lambda d, t: ctx.progress(d, t, "正在读取文件内容"),
                                  cancel=ctx.cancelled, write=runner.write)
            # scans, photos and image-only PDF pages: the OCR worker process reads them, page 1
            # first; this thread only waits, so the GUI thread never does (issue 15)
            ocr = ocr_pending(a, progress=lambda d, t: ctx.progress(d, t, "正在识别扫描件和照片"),
                              cancel=ctx.cancelled, write=runner.write)
            if report.read or ocr.read:
                # files that waited in the inbox with only their names are suggested again
                # from the text just read (a scan's title and 文号 come from OCR)
                def resuggest() -> None:
                    with a.sessions.write() as s:
                        inbox.refresh_pending(s)
                runner.write(resuggest)
            return report, ocr

        def done(result: tuple[BacklogReport, OcrBacklogReport]) -> None:
            report, ocr = result
            if report.read or report.password or report.unreadable or ocr.read:
                self._search_stale = True  # the new text goes into search at the next query
            if ocr.unavailable:
                self.window.show_status(ocr.unavailable)
            emit(self.backlog_read, report)

        self._backlog_task = self._run("read", fn, done, label="正在读取文件内容", cancellable=True)
        return self._backlog_task

    def _on_folder_changed(self, status) -> None:
        self._folder_live[status.id] = status
        if not status.online:
            self.window.show_status(f"监视文件夹离线：{status.path}")
        self._inbox_timer.start()

    def _on_watch_error(self, message: str) -> None:
        self.window.inbox.show_message(message, error=True)
        self.window.show_status(message)

    def _after_watcher(self) -> None:
        if self.archive is None:
            return
        if self._watched_accepted:
            self._watched_accepted = False
            self._mark_changed()
        else:
            self._dirty.add("dashboard")
            self.load_inbox()
            self._refresh_dirty()

    # -- search ------------------------------------------------------------------------------
    SEARCH_LIMIT = 200

    SEARCH_INDEX_STEP = INDEX_STEP  # items indexed per write transaction

    def refresh_search_index(self, then: Callable[[], None] | None = None) -> None:
        """Bring the search index up to date on the writer thread, then call `then`.

        Cheap when nothing changed. A large backlog (the first search after a big import,
        or after opening an archive whose index a new version rebuilds) goes in steps of
        SEARCH_INDEX_STEP items, each its own transaction, as a task in the task bar with
        progress and Cancel; a cancelled refresh keeps what it indexed (the next one goes on
        from there) and `then` still runs, on the index as far as it got."""
        a = self.require_archive()
        step = self.SEARCH_INDEX_STEP

        def first(ctx: TaskContext) -> int:
            with a.sessions.write() as s:
                return refresh_index(s, max_items=step)

        def rest(ctx: TaskContext) -> int:
            with a.sessions.read() as s:
                total = index_backlog(s)
            done = 0
            while True:
                ctx.check()
                with a.sessions.write() as s:
                    n = refresh_index(s, max_items=step)
                done += n
                ctx.progress(min(done, total), max(total, done), "正在更新搜索索引")
                if n < step:
                    return done

        def finished(_n: int = 0) -> None:
            self._search_stale = False
            if then is not None:
                then()

        def after_first(n: int) -> None:
            if n < step:
                finished()
            else:
                self._run("write", rest, finished, label="更新搜索索引", cancellable=True, show=True,
                          cancelled=then)

        self._run("write", first, after_first)

    def search(self, query: str) -> None:
        """Search titles, names, 文号 and text; results in the search view."""
        self._search_req += 1
        req, a, limit = self._search_req, self.archive, self.SEARCH_LIMIT
        view = self.window.search
        if not query.strip():
            view.set_results("", [])
            emit(self.search_done, "", 0)
            return
        if a is None:
            return
        view.set_busy(query)
        if self.window.search_box.text().strip() != query.strip():
            self.window.search_box.setText(query)  # searched from elsewhere (a link, a test)
        self.window.show_view("search")

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return search(s, query, limit=limit, include_trashed=True)

        def done(hits) -> None:
            if req != self._search_req:
                return  # the clerk typed on
            view.set_results(query, hits, limit)
            emit(self.search_done, query, len(hits))

        if self._search_stale:
            def refreshed() -> None:
                if req == self._search_req:
                    self._run("read", fn, done)

            self.refresh_search_index(refreshed)
        else:
            self._run("read", fn, done)

    def show_evidence(self, evidence_id: int) -> None:
        """Select an item in the main view: its (first) indicator in the tree, then the item."""
        a = self.require_archive()

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return items.evidence_detail(s, evidence_id)

        def done(detail) -> None:
            w, wb = self.window, self.window.workbench
            tree = wb.tree
            ind = next((link.indicator_id for link in detail.links
                        if tree.tree_model.index_of(link.indicator_id).isValid()), None)
            w.show_view("main")
            if ind is None:
                wb.detail.set_detail(detail, "这份材料尚未关联指标（可能还在收件箱中待处理）")
                wb.side.setCurrentWidget(wb.detail)
                emit(self.evidence_shown, evidence_id)
                return
            if tree.current_id() == ind and wb.evidence.model.indicator_id == ind:
                if wb.evidence.select_id(evidence_id):
                    emit(self.evidence_shown, evidence_id)
                return
            self._reveal = evidence_id
            tree.select_id(ind)

        self._run("read", fn, done)

    # -- reminders ---------------------------------------------------------------------------
    def export_reminders(self, kind: str, department_id: int | None, name: str, path: str) -> Task | None:
        """The 催办通知 (.docx) or 催办清单 (.xlsx) for one department (or all), off the GUI thread."""
        a, today = self.require_archive(), self.today
        write_reminders = self.features.write_reminders()

        def fn(ctx: TaskContext) -> str:
            return str(write_reminders(archive=a, kind="notice" if kind == "notice" else "list", path=path,
                                       today=today, department=str(department_id) if department_id else name,
                                       progress=ctx.progress, cancel=ctx.cancelled))

        what = "催办通知" if kind == "notice" else "催办清单"

        def done(written: str) -> None:
            self.window.show_status(f"已生成{what}：{written}")
            self.window.show_info(f"已生成{what}（{name or '全部尚欠材料的单位'}）：\n{written}", "催办")
            emit(self.exported, kind, written)

        return self._run("read", fn, done, label=f"正在生成{what}", cancellable=True, show=True)

    # -- inbox actions ----------------------------------------------------------------------
    def accept_inbox(self, entry_ids: list[int], edits: dict | None = None) -> None:
        """Accept with the suggestions (indicators, duties, department); `edits` (entry id →
        {title, doc_number, issuing_body, issue_date}) is the metadata the clerk corrected."""
        self.require_archive()

        def work(s: Any) -> list[int]:
            _apply_inbox_edits(s, entry_ids, edits)
            out = inbox.accept(s, entry_ids)
            _apply_inbox_edits(s, entry_ids, edits, out)
            return out

        self.undo.accept(list(entry_ids), work, f"接收 {len(entry_ids)} 个文件")

    def accept_inbox_to(self, entry_ids: list[int], kind: str, target_id: int, edits: dict | None = None) -> None:
        """Accept to an indicator or a duty (and its indicator) the clerk picked: a
        correction, which the pending files' suggestions learn from at once."""
        self.require_archive()
        if kind == "rectify":  # evidence of rectification of one item (desktop/window/review.py)
            self.review.accept_inbox(list(entry_ids), target_id,
                                     lambda s, ids: _apply_inbox_edits(s, entry_ids, edits, ids))
            return

        def work(s: Any) -> list[int]:
            _apply_inbox_edits(s, entry_ids, edits)
            if kind == "duty":
                out = inbox.accept_to(s, entry_ids, duty_ids=[target_id])
            else:
                out = inbox.accept_to(s, entry_ids, indicator_ids=[target_id])
            _apply_inbox_edits(s, entry_ids, edits, out)
            return out

        where = "该任务" if kind == "duty" else self.undo.label(target_id)
        self.undo.accept(list(entry_ids), work, f"接收 {len(entry_ids)} 个文件到{where}")

    def ignore_inbox(self, entry_ids: list[int]) -> None:
        a = self.require_archive()

        def fn(ctx: TaskContext):
            with a.sessions.write() as s:
                return inbox.ignore(s, entry_ids)

        self._run("write", fn, lambda ids: self._inbox_changed("ignored", ids, len(entry_ids)))

    def _inbox_changed(self, action: str, ids: list[int], n: int) -> None:
        self.window.show_status(f"已接收 {n} 个文件" if action == "accepted" else
                                f"已忽略 {n} 个文件（文件仍保留在存储区）")
        self._search_stale = True
        self._mark_changed()
        emit(self.inbox_done, action, list(ids))

    # -- the selected node and item ----------------------------------------------------------

    def select_node(self, indicator_id: int) -> None:
        """Show a node's evidence and duties. What the table shows first comes in one read,
        the same for a node of 500 items or 60,000: the first page of keys and the rows of
        the first screen, and the list's length when it is cheap (a leaf's, from the tally;
        a list that fits in its first page). A big inner node's length (an item linked to
        two of its leaves counts once: one pass over the links) is counted in a second read
        after its rows are shown. The table reads the rest of the keys a page at a time as
        the clerk scrolls (`queries.node_evidence_page`, keyset paging) and each row when it
        is first drawn (`LazyRows`, `queries.evidence_rows_for`). `node_shown`: the first
        rows are on screen; `node_loaded`: the list's length is known too."""
        self._node_req += 1
        req, a, today = self._node_req, self.require_archive(), self.today
        tree = self.window.workbench.tree.tree_model
        node = tree.node(tree.index_of(indicator_id))
        subtree: list[int] = []

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:  # one transaction: the count and the first page agree
                subtree[:] = queries.node_subtree(s, indicator_id)
                keys = queries.node_evidence_page(s, subtree, None, LazyRows.KEY_PAGE)
                count: int | None = len(keys)
                if len(keys) >= LazyRows.KEY_PAGE:
                    count = queries.node_evidence_count(s, subtree) if len(subtree) == 1 else None
                rows = queries.evidence_rows_for(s, keys[:LazyRows.PAGE])
                return count, keys, rows, duties.duties_for_node(s, indicator_id, today)

        def fetch(keys):
            with a.sessions.read() as s:
                return queries.evidence_rows_for(s, keys)

        def more(after, n):
            with a.sessions.read() as s:
                return queries.node_evidence_page(s, subtree, after, n)

        def count(ctx: TaskContext) -> int:
            with a.sessions.read() as s:
                return queries.node_evidence_count(s, subtree)

        def loaded() -> None:
            emit(self.node_loaded, indicator_id)
            if self._reveal is not None:
                eid, self._reveal = self._reveal, None
                if self.window.workbench.evidence.select_id(eid):
                    emit(self.evidence_shown, eid)

        def counted(n: int) -> None:
            if req == self._node_req:
                self.window.workbench.evidence.model.set_count(n)
                loaded()

        def done(result) -> None:
            if req != self._node_req:
                return  # the clerk has moved on to another node
            n, keys, rows, node_duties = result
            lazy = LazyRows(keys, fetch, count=n, more=more, rows=rows)
            self.window.workbench.show_node(node, lazy, node_duties, complete=True)
            emit(self.node_shown, indicator_id)
            if n is None:
                self._run("read", count, counted)
            else:
                loaded()

        self._run("read", fn, done)

    def reload_node(self) -> None:
        current = self.window.workbench.tree.current_id()
        if current is not None:
            self.select_node(current)

    def select_evidence(self, ids: list[int]) -> None:
        wb = self.window.workbench
        self._detail_req += 1
        req = self._detail_req
        if len(ids) != 1:
            if ids:
                wb.detail.set_bulk(ids, "在上面批量修改，或在材料列表中右键")
            else:
                wb.detail.set_detail(None)
            wb.preview.set_preview(None)
            return
        eid, a = ids[0], self.require_archive()

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return items.evidence_detail(s, eid)

        def done(detail) -> None:
            if req == self._detail_req:
                wb.detail.set_detail(detail)
                emit(self.detail_loaded, eid)

        def preview(ctx: TaskContext):
            return file_preview(a, eid)

        def shown(p) -> None:
            if req == self._detail_req:
                wb.preview.set_preview(p)
                emit(self.preview_loaded, eid)

        wb.preview.set_preview(None, loading=True)
        self._run("read", fn, done)
        self._run("read", preview, shown)

    # -- writes -------------------------------------------------------------------------------
    def ingest_files(self, paths: list[str], indicator_id: int | None, duty_id: int | None = None) -> Task | None:
        """Store dropped files/folders and link them to the indicator they were dropped on
        (or to the duty they were dropped on, and that duty's indicator)."""
        self.features.ensure()  # desktop.window.dropmeta fills the new items' metadata after
        a = self.archive
        if a is None:
            return None
        duty = next((d for d in self.window.workbench.duties_model.rows() if d.id == duty_id), None)
        if duty is not None:
            indicator_id = duty.indicator_id
        tree = self.window.workbench.tree.tree_model
        node = tree.node(tree.index_of(indicator_id)) if indicator_id is not None else None
        def fn(ctx: TaskContext) -> IngestReport:
            return ingest_and_link(archive=a, paths=paths, indicator_id=node.id if node else None,
                                   duty_id=duty_id, progress=ctx.progress, cancel=ctx.cancelled)

        def done(report) -> None:
            where = f"并关联到 {node.code} {node.title}" if node else ""
            if duty is not None:
                where = f"并关联到任务“{duty.task[:20]}”" + (f"（指标 {node.code}）" if node else "")
            text = (f"已存档 {report.count('stored')} 个文件{where}；重复 {report.count('duplicate')} 个，"
                    f"跳过 {report.count('skipped')} 个，失败 {report.count('failed')} 个"
                    + ("；已按要求中途停止，已存档的文件保留" if report.cancelled else ""))
            self.window.show_status(text)
            problems = [i for i in report.items if i.outcome == "failed"]
            if problems:
                self.window.show_error(text + "\n\n" + "\n".join(
                    f"{Path(i.path).name}：{i.reason}" for i in problems[:10]))
            self._mark_changed()
            emit(self.ingest_done, report)
            self.read_backlog()

        label = f"正在存档到 {node.code}" if node else "正在存档"
        return self._run("write", fn, done, label=label, cancellable=True, show=True,
                         cancelled=self._mark_changed)

    def save_metadata(self, evidence_id: int, version: int, changes: dict) -> None:
        a = self.require_archive()

        def fn(ctx: TaskContext):
            with a.sessions.write() as s:
                return items.update_evidence_metadata(s, evidence_id, expected_version=version, **changes)

        def done(detail) -> None:
            wb = self.window.workbench
            shown = wb.detail.detail()
            if shown is not None and shown.id == evidence_id:
                wb.detail.set_detail(detail, "已保存")
            self.window.show_status(f"已保存佐证材料 #{evidence_id}")
            self._mark_changed()
            if "department" in changes:
                self.refresh_names()
            emit(self.saved, evidence_id)

        self._run("write", fn, done)

    def refresh_names(self) -> None:
        a = self.require_archive()

        def names(ctx: TaskContext) -> list[str]:
            with a.sessions.read() as s:
                return items.department_names(s)

        self._run("read", names, self._set_departments)

    def reorder(self, indicator_id: int, ids: list[int]) -> None:
        a = self.require_archive()

        def fn(ctx: TaskContext):
            with a.sessions.write() as s:
                links.set_review_order(s, indicator_id, ids)

        def done(_: Any) -> None:
            self.window.show_status("已调整送审顺序")
            emit(self.reordered, indicator_id)

        self._run("write", fn, done)

    def link_evidence(self, ids: list[int], indicator_id: int) -> None:
        """Link (undoable: desktop/window/undo.py)."""
        self.require_archive()
        self.undo.link(ids, indicator_id)

    def link_to_duty(self, ids: list[int], duty_id: int) -> None:
        """Link items to a duty and its indicator (undoable)."""
        self.require_archive()
        self.undo.link_to_duty(ids, duty_id)

    def unlink(self, ids: list[int], indicator_id: int) -> None:
        """Unlink (undoable)."""
        self.require_archive()
        self.undo.unlink(ids, indicator_id)

    def bulk_status(self, ids: list[int], status: str) -> None:
        """Change the status (undoable)."""
        self.require_archive()
        self.undo.status(ids, status, texts.STATUS.get(status, status))

    def bulk_department(self, ids: list[int], name: str) -> None:
        """Set the 报送单位 of several items (undoable)."""
        self.require_archive()
        self.undo.department(ids, name)

    # -- long reads ------------------------------------------------------------------------------
    def verify(self) -> Task | None:
        a = self.require_archive()

        def fn(ctx: TaskContext):
            return verify_archive(a, progress=ctx.progress, cancel=ctx.cancelled)

        def done(report) -> None:
            if report.cancelled:
                self.window.show_status("校验已中途停止，结果不完整")
            elif report.ok:
                self.window.show_info(f"档案库完好：已校验 {report.files_checked} 个文件。", "校验完成")
            else:
                lines = [f"{p.kind}：{'；'.join(p.names) or p.path}" for p in report.problems[:15]]
                self.window.show_error("校验发现问题：\n" + "\n".join(lines), "校验完成")
            emit(self.verify_done, report)

        return self._run("read", fn, done, label="正在校验档案库", cancellable=True, show=True)

    def open_with_system(self, stored_path: str, name: str) -> None:
        """Stored files are named by hash and read-only: open a copy with its real name."""

        def fn(ctx: TaskContext) -> str:
            folder = Path(tempfile.mkdtemp(prefix="evidence-desk-open-"))
            dest = folder / (Path(name).name or "file")
            shutil.copyfile(stored_path, dest)
            return str(dest)

        def open_copy(p: str) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(p))

        self._run("read", fn, open_copy)

    def reveal(self, stored_path: str) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(stored_path).parent)))


def _apply_inbox_edits(session: Any, entry_ids: list[int], edits: dict | None,
                       evidence_ids: list[int] | None = None) -> None:
    """Write the metadata the clerk corrected in the inbox (标题, 文号, 发文机关, 成文日期) to
    each entry's evidence item: before accepting (so the acceptance teaches the corrected
    title) and after (accepting fills empty fields from the suggestion)."""
    if not edits:
        return
    if evidence_ids is None:
        by_entry = {i.id: i.evidence_id for i in inbox.list_inbox(session, None, ids=list(entry_ids))}
    else:
        by_entry = dict(zip(entry_ids, evidence_ids, strict=False))
    for entry_id, changes in edits.items():
        ev = by_entry.get(int(entry_id))
        if ev is not None and changes:
            items.update_evidence_metadata(session, ev, **changes)
