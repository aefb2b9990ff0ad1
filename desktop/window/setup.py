"""Setting an archive up, in the window: the import preview dialog, the settings dialog, the
guided start and the about box.

The main `Controller` makes one `SetupController` and hands it the window's set-up signals.
Like the main controller, each action submits a plain storage function to the one task runner
and shows its read models on the GUI thread; the dialogs never see a session.

Signals:
    preview_shown(object): an ImportPreview is shown in an import dialog.
    import_done(object): an import was committed (its ImportReport).
    import_cancelled(): an import was stopped before it wrote anything.
    settings_loaded(object): the settings dialog shows these ArchiveSettings.
    settings_saved(object): the settings dialog's changes were saved (ArchiveSettings).
    guide_updated(object): the guided start shows this SetupProgress.
(tests wait on these.)
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from desktop import settings as user_settings
from desktop.actions.settings import archive_settings, county_facts_from, save_archive_settings
from desktop.version import VERSION
from desktop.window.tasks import Task, TaskContext
from storage.catalogue.queries import setup_progress
from storage.core import migrate
from storage.readmodels import NewFolder
from storage.tables.preview import KIND_NAMES_ZH, ImportOptions, commit_import, preview_import, summary_text
from ui.about import AboutDialog
from ui.guide import GuideDock
from ui.import_dialog import ImportDialog
from ui.intents import SettingsChange
from ui.qtfix import emit
from ui.settings_dialog import SettingsDialog


def _remember_import_dir(path: str) -> None:
    s = user_settings.load()
    s.last_import_dir = str(Path(path).parent)
    try:
        user_settings.save(s)
    except OSError:
        pass  # only a convenience


def import_options(data: dict):
    """The dialog's plain options → ImportOptions."""

    mapping = tuple(sorted((str(r), str(c)) for r, c in (data.get("mapping") or {}).items()))
    return ImportOptions(kind=data["kind"], path=data["path"], sheet=data.get("sheet") or None,
                         header_row=data.get("header_row"), mapping=mapping,
                         year=data.get("year"))


class SetupController(QObject):
    preview_shown = Signal(object)
    import_done = Signal(object)
    import_cancelled = Signal()
    settings_loaded = Signal(object)
    settings_saved = Signal(object)
    guide_updated = Signal(object)

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        self.import_dialog: ImportDialog | None = None
        self._import_task: Task | None = None  # the running import, for its Cancel button
        self._preview_req = 0  # only the newest preview is shown
        self.about_dialog: Any = None
        w = self.window
        w.import_requested.connect(lambda kind: self.open_import(kind))
        w.about_requested.connect(self.show_about)
        w.settings_requested.connect(lambda page: self.open_settings(page))
        self.settings_dialog: Any = None
        # the guided start, docked at the right (made with the window, desktop.window.controllers);
        # shown on an archive not yet set up
        self.guide: GuideDock = controller.guide
        self.guide.panel.action_requested.connect(self._guide_action)
        self.guide.panel.hide_requested.connect(self._guide_hidden)
        w.guide_requested.connect(self.show_guide)
        controller.tree_loaded.connect(self._on_tree_loaded)
        self._guide_root: str | None = None
        self._default_layout = controller.default_layout  # for 恢复默认布局, taken before any restore
        self.runner.task_progress.connect(self._task_progress)

    @property
    def runner(self):
        return self.c.runner

    @property
    def archive(self):
        return self.c.archive

    # -- running tasks -------------------------------------------------------------------------
    def _submit(self, kind: str, fn: Callable[[TaskContext], Any], done: Callable[[Any], None], *,
                failed: Callable[[str], None] | None = None, cancelled: Callable[[], None] | None = None,
                label: str = "", cancellable: bool = False, show: bool = False) -> Task | None:
        """Like Controller._run, but a known failure goes to `failed` (the dialog says it)
        instead of a message box; a bug still goes to the crash log and the box."""
        c = self.c
        task = c.submit_reporting(kind, fn, done, failed=failed, cancelled=cancelled, label=label,
                                  cancellable=cancellable)
        if task is None:
            return None
        if show:
            c._tasks[task.id] = task
            if task.state == "running":
                c._task_started(task)
        return task

    # -- import ----------------------------------------------------------------------------------
    def open_import(self, kind: str, path: str | None = None) -> ImportDialog | None:
        """Show the import dialog for `kind` (framework | duties | plan); with `path`, start
        its preview at once."""
        if self.archive is None:
            self.window.show_error("请先新建或打开一个档案库。")
            return None
        if self.import_dialog is not None:
            self.import_dialog.close()
        dlg = ImportDialog(kind, self.window)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.preview_requested.connect(lambda opts: self._preview(dlg, opts))
        dlg.commit_requested.connect(lambda opts: self._commit(dlg, opts))
        dlg.cancel_requested.connect(lambda: self._cancel_import(dlg))
        dlg.destroyed.connect(lambda *_: self._forget_dialog(dlg))
        dlg.start_dir = user_settings.load().last_import_dir
        dlg.file_chosen.connect(_remember_import_dir)
        self.import_dialog = dlg
        dlg.open()
        if path:
            dlg.set_file(path)
        return dlg

    def _forget_dialog(self, dlg: ImportDialog) -> None:
        if self.import_dialog is dlg:
            self.import_dialog = None

    def _preview(self, dlg: ImportDialog, data: dict) -> None:
        a = self.archive
        options = import_options(data)
        self._preview_req += 1
        req = self._preview_req

        def fn(ctx: TaskContext):
            return preview_import(a, options)  # a dry run: its transaction is rolled back

        def done(preview) -> None:
            if req == self._preview_req and dlg is self.import_dialog:
                dlg.set_preview(preview, data)
                emit(self.preview_shown, preview)

        def failed(msg: str) -> None:
            if dlg is self.import_dialog:
                dlg.set_failed(msg)

        # The dry run holds a write transaction (rolled back): it queues on the one writer.
        self._submit("write", fn, done, failed=failed)

    def _commit(self, dlg: ImportDialog, data: dict) -> None:
        a = self.archive
        options = import_options(data)

        def fn(ctx: TaskContext):
            return commit_import(a, options, progress=ctx.progress, cancel=ctx.cancelled)

        def done(report) -> None:
            text = summary_text(report)
            if dlg is self.import_dialog:
                dlg.set_committed(report, text)
            self.window.show_status(f"已导入{KIND_NAMES_ZH[options.kind]}：{text}")
            self.c.refresh_all()
            emit(self.import_done, report)

        def failed(msg: str) -> None:
            if dlg is self.import_dialog:
                dlg.set_failed(msg)

        def cancelled() -> None:
            if dlg is self.import_dialog:
                dlg.set_cancelled()
            self.window.show_status("已停止导入，档案库没有改动")
            emit(self.import_cancelled)

        self._import_task = self._submit("write", fn, done, failed=failed, cancelled=cancelled,
                                 label=f"正在导入{KIND_NAMES_ZH[options.kind]}", cancellable=True,
                                 show=True)

    def _cancel_import(self, dlg: ImportDialog) -> None:
        if self._import_task is not None and dlg is self.import_dialog:
            self._import_task.cancel()

    # -- settings ------------------------------------------------------------------------------------
    def open_settings(self, page: str = "") -> None:
        """Read the archive's settings off the GUI thread, then show the dialog."""
        a = self.archive
        if a is None:
            self.window.show_error("请先新建或打开一个档案库。")
            return

        def fn(ctx: TaskContext):
            return archive_settings(archive=a)

        self._submit("read", fn, lambda settings: self._show_settings(settings, page))

    def _show_settings(self, settings: Any, page: str) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.close()
        dlg = SettingsDialog(settings, user_settings.load().recent_archives, self.window, page=page)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.save_requested.connect(lambda values: self._save_settings(dlg, values))
        dlg.layout_reset_requested.connect(self.reset_layout)
        dlg.destroyed.connect(lambda *_: self._forget_settings(dlg))
        self.settings_dialog = dlg
        dlg.open()
        emit(self.settings_loaded, settings)

    def _forget_settings(self, dlg: Any) -> None:
        if self.settings_dialog is dlg:
            self.settings_dialog = None

    def _save_settings(self, dlg: Any, change: SettingsChange) -> None:
        """Everything in one write transaction: a refused value saves nothing."""

        a = self.archive
        folders_changed = bool(change.add or change.remove or change.settle)

        def fn(ctx: TaskContext):
            facts = county_facts_from(change.facts)
            add = tuple(NewFolder(f.path, f.department, f.settle) for f in change.add)
            return save_archive_settings(archive=a, facts=facts, deadline=change.deadline, add=add,
                                         remove=change.remove, settle=dict(change.settle))

        def done(saved: Any) -> None:
            if change.clear_recent:
                us = user_settings.load()
                us.recent_archives = [str(a.root)]  # the open one stays: it is in use
                try:
                    user_settings.save(us)
                except OSError:
                    pass
                self.window.set_recent(us.recent_archives)
            if dlg is self.settings_dialog:
                dlg.accept()
            self.window.show_status("设置已保存")
            if folders_changed and hasattr(self.c, "reload_watcher"):
                self.c.reload_watcher()
            self.c.refresh_all()
            emit(self.settings_saved, saved)

        def failed(msg: str) -> None:
            if dlg is self.settings_dialog:
                dlg.show_error(msg)

        self._submit("write", fn, done, failed=failed)

    def reset_layout(self) -> None:
        size, state = self._default_layout
        self.window.restoreState(state)
        self.window.resize(size)
        self.window.show_status("已恢复默认的窗口布局")

    # -- guided start --------------------------------------------------------------------------------
    def _on_tree_loaded(self) -> None:
        """After every (re)load of the tree: tick the steps; on a newly opened archive, show
        the guide when the archive is not set up yet (no framework or no duties)."""
        a = self.archive
        if a is None:
            return
        new = str(a.root) != self._guide_root
        self._guide_root = str(a.root)
        if new or self.guide.isVisible():
            self.refresh_guide(auto_show=new)

    def refresh_guide(self, *, auto_show: bool = False, show: bool = False) -> None:
        a = self.archive
        if a is None:
            return

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return setup_progress(s, str(a.root))

        def done(p: Any) -> None:
            hidden = user_settings.load().guide_is_hidden(a.root)
            self.guide.panel.set_progress(p, hidden)
            if show or (auto_show and not hidden and not (p.has_framework and p.has_duties)):
                self.guide.show()
                self.guide.raise_()
            elif auto_show:
                self.guide.hide()  # another archive's guide, or one the clerk set aside
            emit(self.guide_updated, p)

        self._submit("read", fn, done)

    def show_guide(self) -> None:
        """帮助 → 快速入门: show the checklist with fresh ticks."""
        if self.archive is None:
            self.window.show_error("请先新建或打开一个档案库。")
            return
        self.refresh_guide(show=True)

    def _guide_action(self, action: str) -> None:
        w = self.window
        if action == "new_archive":
            w._ask_new()
        elif action.startswith("import_"):
            self.open_import(action.removeprefix("import_"))
        elif action == "folders":
            self.open_settings("folders")
        elif action == "add_files":
            w.show_view("main")
            w._ask_files()

    def _guide_hidden(self, hidden: bool) -> None:
        a = self.archive
        if a is None:
            return
        s = user_settings.load()
        s.hide_guide(a.root, hidden)
        try:
            user_settings.save(s)
        except OSError:
            pass

    # -- about -------------------------------------------------------------------------------------
    def show_about(self):

        a = self.archive
        lines = about_lines(a)  # a few quick reads; the box opens at once
        dlg = AboutDialog(lines, str(a.root) if a is not None else "", self.window)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open_folder_requested.connect(lambda p: QDesktopServices.openUrl(QUrl.fromLocalFile(p)))
        dlg.open()
        self.about_dialog = dlg
        return dlg

    def _task_progress(self, task: Task, done: int, total: int, text: str) -> None:
        dlg = self.import_dialog
        if dlg is not None and task is self._import_task:
            dlg.set_progress(done, total, text)


# --- about ---------------------------------------------------------------------------------------


def program_version() -> str:
    """desktop.version.VERSION, the one constant."""
    return str(VERSION)


def about_lines(archive) -> list[tuple[str, str]]:
    """The about box's (label, value) lines; reads the schema revision from the database."""
    import platform
    import sys

    import PySide6
    from PySide6.QtCore import qVersion


    lines = [("版本", program_version())]
    if archive is not None:
        lines.append(("档案库位置", str(archive.root)))
        label = getattr(archive, "database_label", "") or str(archive.db_path)
        lines.append(("数据库", label))
        try:
            rev = migrate.current_revision(archive.engine) or "（空）"
        except Exception as e:  # noqa: BLE001 - the box must open even if the database does not
            rev = f"无法读取（{type(e).__name__}）"
        head = migrate.head_revision()
        lines.append(("数据结构版本", rev + ("（最新）" if rev == head else f"（本程序为 {head}）")))
    else:
        lines.append(("档案库位置", "（未打开档案库）"))
    lines += [
        ("Qt", f"{qVersion()}（PySide6 {PySide6.__version__}）"),
        ("Python", sys.version.split()[0]),
        ("操作系统", f"{platform.system()} {platform.release()} {platform.machine()}"),
    ]
    return lines


# --- screenshots (`evidence-desk --screenshot FILE.png --view NAME`) ------------------------------





