"""The main window: four views in tabs, menus, and the task bar at the bottom.

It emits what the clerk asked for and shows what it is given; it never opens files or the
database itself (desktop/controllers.py connects it to storage through the task runner).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import texts
from ui.inbox import InboxView, badge_icon
from ui.qtfix import emit
from ui.review_views import CompareView, RectifyView
from ui.search import SearchBox, SearchCorner, SearchView
from ui.views import DashboardView, DepartmentsView, WarningBar
from ui.workbench import Workbench

# The product's name, once in every title: the application's display name is the same text,
# so Qt does not append it again to a title that already ends with it (issue 17, item 11).
PRODUCT = "Evidence Desk 质量强县佐证材料管理"


class TaskBar(QWidget):
    """The running task's label, progress and a Cancel button (in the status bar).

    Signals:
        cancel_requested(key): the clerk pressed 取消 for the task shown.
    """

    cancel_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks: dict[object, tuple[str, bool]] = {}
        self._shown: object | None = None
        self.label = QLabel("")
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(240)
        self.bar.setTextVisible(True)
        self.cancel = QPushButton("取消")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel)
        self.cancel.clicked.connect(self._on_cancel)
        self._refresh()

    def start(self, key: object, label: str, cancellable: bool) -> None:
        self._tasks[key] = (label, cancellable)
        self._shown = key
        self.bar.setRange(0, 0)
        self._refresh()

    def progress(self, key: object, done: int, total: int, text: str) -> None:
        if key not in self._tasks:
            return
        self._shown = key
        label, _ = self._tasks[key]
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(done, total) / total))
            self.bar.setFormat(f"{done}/{total}" if total < 10_000_000 else "%p%")
        self.label.setText(f"{label}：{text[:40]}" if text else label)
        self._refresh(label_set=True)

    def finish(self, key: object) -> None:
        self._tasks.pop(key, None)
        if self._shown == key:
            self._shown = next(iter(self._tasks), None)
            self.bar.setRange(0, 0)
        self._refresh()

    def shown(self) -> object | None:
        return self._shown

    def running(self) -> list[tuple[object, str]]:
        """(key, label) of every task that can be cancelled (an export, import, backup)."""
        return [(k, label) for k, (label, cancellable) in self._tasks.items() if cancellable]

    def _refresh(self, label_set: bool = False) -> None:
        visible = self._shown is not None
        self.setVisible(visible)
        if visible:
            label, cancellable = self._tasks[self._shown]
            if not label_set:
                self.label.setText(label)
            self.cancel.setEnabled(cancellable)

    def _on_cancel(self) -> None:
        if self._shown is not None:
            self.cancel.setEnabled(False)
            self.label.setText(self.label.text() + "（正在停止…）")
            emit(self.cancel_requested, self._shown)


class MainWindow(QMainWindow):
    """Signals (menus): new_archive_requested(path), open_archive_requested(path),
    demo_requested(), add_files_requested([paths], indicator_id or None),
    verify_requested(), refresh_requested(), view_changed(name)."""

    new_archive_requested = Signal(str)
    open_archive_requested = Signal(str)
    demo_requested = Signal()
    add_files_requested = Signal(list, object)
    verify_requested = Signal()
    refresh_requested = Signal()
    view_changed = Signal(str)
    closing = Signal()
    # set-up actions (desktop/controllers_setup.py): import_requested(kind: framework |
    # duties | plan), settings_requested(page), guide_requested(), about_requested()
    import_requested = Signal(str)
    settings_requested = Signal(str)
    guide_requested = Signal()
    about_requested = Signal()
    # issue 7 (desktop/controllers_export.py): the export dialog, the 自评得分总表, Print
    export_requested = Signal()
    selfscore_requested = Signal()
    print_requested = Signal()
    # issue 13, item 2 (desktop/window/durability.py): trash | submissions | backup | restore | log
    durability_requested = Signal(str)
    # issue 16 (desktop/window/review.py, desktop/window/checkpoints.py): the province's
    # evaluation import dialog, the 自查 (checkpoints) dialog, the read-only 轮次 list
    review_import_requested = Signal()
    checkpoints_requested = Signal()
    rounds_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(PRODUCT)
        self.resize(1400, 860)
        self._close_after_save: QTimer | None = None  # 保存 asked at closing: close once saved
        # the application shell (desktop.window.app.App) asks before closing: unsaved typing,
        # running work; `running_work` lists (label, cancel) of the work that can be cancelled
        self.ask_before_closing = False
        self.running_work: Callable[[], list[tuple[str, Callable[[], None]]]] | None = None
        self.workbench = Workbench()
        self.inbox = InboxView()
        self.dashboard = DashboardView()
        self.departments = DepartmentsView()
        self.rectify = RectifyView()
        self.review_compare = CompareView()
        self.search = SearchView()
        self.search_box = SearchBox()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._views = {"main": self.workbench, "inbox": self.inbox, "dashboard": self.dashboard,
                       "departments": self.departments, "rectify": self.rectify,
                       "review_compare": self.review_compare, "search": self.search}
        for name in texts.VIEWS:
            self.tabs.addTab(self._views[name], texts.VIEW_TITLES[name])
        self.tabs.setCornerWidget(SearchCorner(self.search_box), Qt.Corner.TopRightCorner)
        self.search_box.focus_results.connect(self.search.focus_results)
        self.warning_bar = WarningBar()
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        cl.addWidget(self.warning_bar)
        cl.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.tabs.currentChanged.connect(lambda i: emit(self.view_changed, self.current_view()))
        self.dashboard.indicator_activated.connect(self._go_to_indicator)

        self.task_bar = TaskBar()
        self.status_label = QLabel("")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.task_bar)
        self._build_menus()
        self.recent_menu_paths: list[str] = []
        self.inbox_count = 0

    # -- menus ---------------------------------------------------------------------------
    def _build_menus(self) -> None:
        m = self.menuBar().addMenu("文件(&F)")
        self.recent_menu = None

        def add(menu: QMenu, text: str, slot: Callable[..., object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
            a = QAction(text, self)
            if shortcut:
                a.setShortcut(shortcut)
            a.triggered.connect(slot)
            menu.addAction(a)
            return a

        add(m, "新建档案库…", self._ask_new)
        add(m, "打开档案库…", self._ask_open, QKeySequence.StandardKey.Open)
        add(m, "打开示例档案库", lambda *_: emit(self.demo_requested))
        self.recent_menu = m.addMenu("最近打开")
        m.addSeparator()
        imp = m.addMenu("导入")
        add(imp, "导入指标体系（Excel）…", lambda *_: emit(self.import_requested, "framework"))
        add(imp, "导入责任分解表（Excel）…", lambda *_: emit(self.import_requested, "duties"))
        add(imp, "导入工作方案（Word）…", lambda *_: emit(self.import_requested, "plan"))
        add(imp, "导入省评结果（得分表或评价报告）…", lambda *_: emit(self.review_import_requested))
        m.addSeparator()
        add(m, "添加文件到当前指标…", self._ask_files)
        add(m, "添加文件夹到当前指标…", self._ask_folder)
        m.addSeparator()
        self.export_action = add(m, "导出申报材料包…", lambda *_: emit(self.export_requested), "Ctrl+E")
        # Ctrl+E is also the inbox's 改为… key: on the inbox view the inbox's meaning wins
        # (two live shortcuts on one key would make Qt refuse both as ambiguous)
        self.tabs.currentChanged.connect(lambda *_: self.export_action.setShortcut(
            "" if self.current_view() == "inbox" else "Ctrl+E"))
        add(m, "打印装订册或 PDF…", lambda *_: emit(self.print_requested), QKeySequence.StandardKey.Print)
        add(m, "已封存的提交…", lambda *_: emit(self.durability_requested, "submissions"))
        m.addSeparator()
        add(m, "回收站…", lambda *_: emit(self.durability_requested, "trash"))
        add(m, "备份档案库…", lambda *_: emit(self.durability_requested, "backup"))
        add(m, "从备份恢复…", lambda *_: emit(self.durability_requested, "restore"))
        m.addSeparator()
        add(m, "退出", self.close, QKeySequence.StandardKey.Quit)
        # 撤销 / 重做 (desktop/window/undo.py adds them, named after what they undo)
        self.edit_menu = self.menuBar().addMenu("编辑(&E)")
        t = self.menuBar().addMenu("工具(&T)")
        add(t, "校验档案库（检查每个文件）", lambda *_: emit(self.verify_requested))
        add(t, "刷新", lambda *_: emit(self.refresh_requested), QKeySequence.StandardKey.Refresh)
        add(t, "自评得分总表…", lambda *_: emit(self.selfscore_requested))
        add(t, "自查记录…", lambda *_: emit(self.checkpoints_requested))
        add(t, "轮次…", lambda *_: emit(self.rounds_requested))
        add(t, "操作记录…", lambda *_: emit(self.durability_requested, "log"))
        t.addSeparator()
        add(t, "设置…", lambda *_: emit(self.settings_requested, ""), QKeySequence.StandardKey.Preferences)
        v = self.menuBar().addMenu("视图(&V)")
        for i, name in enumerate(texts.VIEWS):
            add(v, texts.VIEW_TITLES[name], lambda _=False, n=name: self.show_view(n), f"Ctrl+{i + 1}")
        v.addSeparator()
        add(v, "搜索…", self.focus_search, QKeySequence.StandardKey.Find)
        h = self.menuBar().addMenu("帮助(&H)")
        add(h, "快速入门", lambda *_: emit(self.guide_requested), QKeySequence.StandardKey.HelpContents)
        add(h, "关于", self._about)

    def set_recent(self, paths: list[str]) -> None:
        self.recent_menu_paths = list(paths)
        if self.recent_menu is None:
            return
        self.recent_menu.clear()
        for p in paths:
            a = QAction(p, self)
            a.triggered.connect(lambda _=False, path=p: emit(self.open_archive_requested, path))
            self.recent_menu.addAction(a)
        self.recent_menu.setEnabled(bool(paths))

    def _ask_new(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择一个空文件夹作为新档案库")
        if path:
            emit(self.new_archive_requested, path)

    def _ask_open(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择档案库文件夹")
        if path:
            emit(self.open_archive_requested, path)

    def _ask_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "选择要存档的文件")
        if paths:
            emit(self.add_files_requested, paths, self.workbench.tree.current_id())

    def _ask_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择要存档的文件夹")
        if path:
            emit(self.add_files_requested, [path], self.workbench.tree.current_id())

    def _about(self) -> None:
        emit(self.about_requested)  # the about box (ui/about.py, shown by the set-up controller)

    # -- views ---------------------------------------------------------------------------
    def show_view(self, name: str) -> None:
        if name not in self._views:
            raise ValueError(name)
        self.tabs.setCurrentWidget(self._views[name])

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def current_view(self) -> str:
        w = self.tabs.currentWidget()
        return next((n for n, v in self._views.items() if v is w), "main")

    def _go_to_indicator(self, indicator_id: int) -> None:
        self.show_view("main")
        self.workbench.tree.select_id(indicator_id)

    def set_inbox_count(self, n: int) -> None:
        """The badge on the inbox tab: how many new files wait for the clerk."""

        self.inbox_count = n
        i = self.tabs.indexOf(self.inbox)
        self.tabs.setTabText(i, f"{texts.VIEW_TITLES['inbox']}（{n}）" if n else texts.VIEW_TITLES["inbox"])
        self.tabs.setTabIcon(i, badge_icon(n))
        self.tabs.setTabToolTip(i, f"收件箱：{n} 个新文件待处理" if n else "收件箱：没有待处理的新文件")

    def set_archive_title(self, path: str, sample: bool = False) -> None:
        self.setWindowTitle(f"{path}{'（示例）' if sample else ''} — {PRODUCT}")

    # -- messages --------------------------------------------------------------------------
    def show_status(self, text: str) -> None:
        self.status_label.setText(text)

    def show_warning(self, text: str) -> None:
        """A problem that does not stop the work, in a strip above the views ("" hides it)."""
        self.warning_bar.show_text(text)

    def show_error(self, text: str, title: str = "无法完成操作") -> QMessageBox:
        """A plain message for a failure the clerk can act on (non-blocking)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def show_info(self, text: str, title: str = "完成") -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close():
            event.ignore()
            return
        emit(self.closing)
        super().closeEvent(event)

    def _may_close(self) -> bool:
        """Unsaved typing is saved, discarded or kept (取消) before the window closes; with
        保存 the window closes once the save has landed (the panel shows no change left),
        and stays open when the value is refused (the panel says why)."""
        if self._close_after_save is not None:
            return False
        if not self.ask_before_closing:
            return True
        if not self._may_stop_work():
            return False
        guard = self.workbench.guard
        pending = guard.pending()
        if not pending:
            return True
        if not guard.may_leave():
            return False
        if guard.last_answer != "save":
            return True
        self._close_after_save = QTimer(self)
        self._close_after_save.setInterval(100)
        tries = [0]

        def check() -> None:
            tries[0] += 1
            refused = any(p.message.styleSheet() for _, p, _ in pending if hasattr(p, "message"))
            if not guard.pending():
                self._stop_close_timer()
                self.close()
            elif refused or tries[0] > 300:
                self._stop_close_timer()  # the value was refused: the clerk corrects it

        self._close_after_save.timeout.connect(check)
        self._close_after_save.start()
        return False

    def _may_stop_work(self) -> bool:
        """Closing during an export, import or backup (issue 17, item 6): ask first; if the
        clerk insists, cancel the work, wait for it to stop cleanly, say what was kept, then
        close. False while the work runs or is being stopped."""
        running = self.running_work() if self.running_work is not None else []
        if not running:
            return True
        if self._close_after_save is not None:
            return False
        what = "、".join(label for label, _ in running)
        box = QMessageBox(QMessageBox.Icon.Warning, "工作还没完成",
                          f"「{what}」还没有完成。关闭窗口会取消它。\n"
                          "（work in progress: closing the window cancels it）",
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("close_while_busy")
        keep = box.addButton("继续等待", QMessageBox.ButtonRole.RejectRole)
        stop = box.addButton("取消并关闭", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        insisted = box.clickedButton() is stop
        box.deleteLater()
        if not insisted:
            return False
        for _, cancel in running:
            cancel()
        self._close_after_save = QTimer(self)
        self._close_after_save.setInterval(100)

        def stopped() -> None:
            if self.running_work is not None and self.running_work():
                return
            self._stop_close_timer()
            done = QMessageBox(QMessageBox.Icon.Information, "已取消",
                               f"已取消「{what}」。已经保存的材料和设置都在档案库里；"
                               "取消的这一步没有留下不完整的材料包、备份或导入。\n"
                               "（cancelled; everything saved before is kept, nothing half-written is left）",
                               QMessageBox.StandardButton.Ok, self)
            done.setObjectName("work_cancelled")
            done.exec()
            done.deleteLater()
            self.close()

        self._close_after_save.timeout.connect(stopped)
        self._close_after_save.start()
        return False

    def _stop_close_timer(self) -> None:
        if self._close_after_save is not None:
            self._close_after_save.stop()
            self._close_after_save.deleteLater()
            self._close_after_save = None
