"""Every view the window can render offscreen for `--screenshot FILE --view VIEW` (and the
user guide's pictures, scripts/screenshots.sh): the main window's views, the set-up dialogs
and the export dialogs, each over a real archive and a synchronous task runner."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap

from desktop import settings as user_settings
from desktop.window.app import EXIT_OK, ensure_app, write_crash_log
from desktop.window.controllers import Controller
from desktop.window.export import ExportController
from desktop.window.setup import SetupController
from desktop.window.tasks import TaskRunner
from storage.bundle.assessments import self_score_sheet
from storage.core.archive import Archive
from storage.kernel.errors import ArchiveError
from ui.first_run import FirstRunDialog
from ui.main_window import MainWindow
from ui.texts import VIEWS

SCREENSHOT_SIZE = (1440, 900)


def render_view(archive: Archive, view: str, *, size: tuple[int, int] = SCREENSHOT_SIZE):
    """Build the window on `archive`, load everything synchronously, show `view`, and
    return (window, controller, QPixmap). Reads only: no lock, no writes."""

    if view not in VIEWS:
        raise ArchiveError(f"未知的视图：{view}（可选：{'、'.join(VIEWS)}）",
                           f"unknown view: {view} (one of {', '.join(VIEWS)})")
    window = MainWindow()
    window.resize(*size)
    runner = TaskRunner(window, synchronous=True)
    controller = Controller(window, runner, on_bug=write_crash_log)
    window.show_view(view)
    controller.set_archive(archive)  # synchronous runner: every view is loaded on return
    _pick_interesting_node(window)
    if view == "search":  # a search most archives answer (refreshes the search index cache)
        controller.search(os.environ.get("EVIDENCE_DESK_SCREENSHOT_QUERY", "质量"))
    window.show()
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    pixmap = window.grab()
    return window, controller, pixmap


def _pick_interesting_node(window) -> None:
    """For the main view: select a leaf with evidence and its first item."""
    tree = window.workbench.tree
    nodes = tree.tree_model.nodes()
    leaf = next((n for n in nodes if n.is_leaf and n.received >= 2), None) or \
        next((n for n in nodes if n.is_leaf and n.received), None) or (nodes[0] if nodes else None)
    if leaf is None:
        return
    tree.select_id(leaf.id)
    if window.workbench.evidence.model.rowCount():
        window.workbench.evidence.table.selectRow(0)
    dept = window.departments
    if dept.model.rowCount():
        dept.table.selectRow(0)


def screenshot(archive_path: Path | str, png_path: Path | str, view: str = "main") -> int:
    """Render `view` of the archive offscreen into `png_path` (exit code 0, or 2)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = ensure_app()
    archive = Archive.open(archive_path)
    try:

        render = (render_week_view if view in WEEK_VIEWS else
                  render_setup_view if view in SETUP_VIEWS else
                  render_export_view if view in EXPORT_VIEWS else
                  render_durability_view if view in DURABILITY_VIEWS else
                  render_review_view if view in REVIEW_VIEWS else render_view)
        window, controller, pixmap = render(archive, view)
        png = Path(png_path)
        png.parent.mkdir(parents=True, exist_ok=True)
        if not pixmap.save(str(png), "PNG"):
            raise ArchiveError(f"无法写入图片：{png}", f"cannot write the image: {png}")
        controller.close_archive()
        controller.runner.shutdown()
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        archive.close()
    if sys.stdout is not None:
        print(f"已保存截图：{png}")
    return EXIT_OK


SETUP_VIEWS = ("import", "import_duties", "import_plan", "settings", "settings_folders", "guide",
               "about", "first_run")


DIALOG_SIZE = (1120, 720)


def _sample_table(kind: str) -> Path | None:
    folder = Path(__file__).resolve().parents[2] / "resources" / "demo"
    name = {"framework": "示例_指标体系.xlsx", "duties": "示例_责任分解表.xlsx",
            "plan": "示例_工作方案.docx"}.get(kind, "")
    path = folder / name
    return path if name and path.is_file() else None


def _window_on(archive: Archive, view: str, views: tuple[str, ...], size: tuple[int, int]) -> tuple[Any, Any]:
    """(window, controller) shown over `archive` with a synchronous runner (everything is
    loaded on return), after checking that `view` is one of `views`."""
    if view not in views:
        raise ArchiveError(f"未知的视图：{view}（可选：{'、'.join(views)}）",
                           f"unknown view: {view} (one of {', '.join(views)})")
    window = MainWindow()
    window.resize(*size)
    runner = TaskRunner(window, synchronous=True)
    controller = Controller(window, runner, on_bug=write_crash_log)
    controller.set_archive(archive)
    window.show()
    return window, controller


def render_setup_view(archive, view: str, *, size: tuple[int, int] = (1440, 900)):
    """Like app.render_view, for the set-up dialogs and panels: build the window on
    `archive` with a synchronous runner, open `view`, and return (window, controller,
    QPixmap of the dialog, or of the window for the guide). Reads only: the import
    preview is a dry run (rolled back) and nothing is saved."""
    from PySide6.QtWidgets import QApplication


    window, controller = _window_on(archive, view, SETUP_VIEWS, size)
    setup: SetupController = controller.setup
    target: Any = window
    if view.startswith("import"):
        kind = {"import": "framework", "import_duties": "duties", "import_plan": "plan"}[view]
        dlg = setup.open_import(kind)
        if dlg is None:
            raise ArchiveError("无法打开导入对话框", "the import dialog could not be opened")
        table = _sample_table(kind)
        if table is not None:
            dlg.set_file(str(table))
        target = dlg
    elif view.startswith("settings"):
        setup.open_settings("folders" if view == "settings_folders" else "")
        target = setup.settings_dialog
    elif view == "guide":
        setup.show_guide()
    elif view == "about":
        target = setup.show_about()
    elif view == "first_run":
        recent = user_settings.load().recent_archives or [str(archive.root)]
        target = FirstRunDialog(recent, parent=window, server_option=True)
        target.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        target.show()
    if target is not window and view.startswith("import"):
        target.resize(*DIALOG_SIZE)
    QApplication.processEvents()
    return window, controller, target.grab()


EXPORT_VIEWS = ("export", "selfscore", "selfscore_overview")


EXPORT_DIALOG_SIZE = (1060, 760)


def render_export_view(archive, view: str, *, size: tuple[int, int] = (1440, 900)):
    """Like app.render_view, for this module's views: `export` (the export dialog with its
    checklist), `selfscore` (the main view on a leaf with a numeric target, 自评 tab shown),
    `selfscore_overview` (自评得分总表). Synchronous runner; reads only: nothing is exported
    or saved. Returns (window, controller, QPixmap)."""
    from PySide6.QtWidgets import QApplication


    window, controller = _window_on(archive, view, EXPORT_VIEWS, size)
    ec: ExportController = controller.export
    target: Any = window
    if view == "export":
        target = ec.open_export()
        target.resize(*EXPORT_DIALOG_SIZE)
    elif view == "selfscore":
        nodes = window.workbench.tree.tree_model.nodes()
        leaf = next((n for n in nodes if n.is_leaf and n.received and not n.is_veto and n.max_score), None)
        with archive.sessions.read() as s:  # a leaf with a numeric target shows the most

            rows = self_score_sheet(s).leaves
        targeted = next((r for r in rows if r.target_comparator and r.actual_value is not None), None) or \
            next((r for r in rows if r.target_comparator), None)
        chosen = targeted.indicator_id if targeted is not None else (leaf.id if leaf else None)
        if chosen is not None:
            window.workbench.tree.select_id(chosen)
        if window.workbench.evidence.model.rowCount():
            window.workbench.evidence.table.selectRow(0)
        window.workbench.side.setCurrentWidget(window.workbench.selfscore)
    else:
        target = ec.show_overview()
        target.resize(1100, 700)
    QApplication.processEvents()
    return window, controller, target.grab()


DURABILITY_VIEWS = ("trash", "log", "submissions", "backup", "restore")


def render_durability_view(archive: Archive, view: str, *,
                           size: tuple[int, int] = (1440, 900)) -> tuple[MainWindow, Controller, QPixmap]:
    """The window's trash, backup, restore, log and submissions dialogs
    (desktop/window/durability.py) over `archive`, with a synchronous runner: `trash` (回收站),
    `log` (操作记录, the last 30 days, or the whole log when they are empty), `submissions` (已封存的提交, the
    newest compared with the archive now when there is one), `backup` (备份档案库, before
    starting), `restore` (从备份恢复, with the newest automatic database backup chosen).
    Reads only: nothing is trashed, backed up, restored or exported. Returns (window,
    controller, QPixmap of the dialog)."""
    from PySide6.QtWidgets import QApplication

    window, controller = _window_on(archive, view, DURABILITY_VIEWS, size)
    d = controller.durability
    target: Any = d.open(view)
    if view == "log" and d.log_dialog is not None and not d.log_dialog.table.rowCount():
        d.log_dialog.use_since.setChecked(False)  # an older archive: its whole history
    elif view == "restore" and d.restore_dialog is not None:
        saved = sorted(archive.backups_dir.glob("*.sqlite3")) if archive.backups_dir.is_dir() else []
        if saved:
            d.restore_dialog.source.setText(str(saved[-1]))
    elif view == "submissions" and d.submissions_dialog is not None:
        if d.submissions_dialog.selected() is not None:
            d.diff(d.submissions_dialog.selected().id)
    elif view == "trash" and d.trash_dialog is not None and d.trash_dialog.table.rowCount():
        d.trash_dialog.table.selectRow(0)
    QApplication.processEvents()
    return window, controller, target.grab()


WEEK_VIEWS = ("undo", "move")


def render_week_view(archive: Archive, view: str, *, size: tuple[int, int] = SCREENSHOT_SIZE):
    """The main view with the 编辑 menu open (undo: 「撤销：关联到指标 …」) or with the 移到…
    picker filtered by a code (move). Reads only: the undo entry shows what a link of the
    selected item to another indicator would be called, without writing it."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    window, controller, _ = render_view(archive, "main", size=size)
    tree = window.workbench.tree
    src = tree.current_id()
    panel = window.workbench.evidence
    panel.table.selectRow(0)
    row = panel.model.row(0)
    target = next((n for n in tree.tree_model.nodes() if n.is_leaf and n.id != src), None)
    QApplication.processEvents()
    pixmap = window.grab()
    painter = QPainter(pixmap)
    if view == "undo":
        menu = window.edit_menu
        u = controller.undo
        if target is not None:
            u.undo_action.setEnabled(True)
            u.undo_action.setText(f"撤销：关联到{u.label(target.id)}")
        bar = window.menuBar()
        pos = bar.mapToGlobal(bar.actionGeometry(menu.menuAction()).bottomLeft())
        menu.popup(pos)
        QApplication.processEvents()
        painter.drawPixmap(window.mapFromGlobal(pos), menu.grab())
        menu.hide()
    elif row is not None and src is not None:
        controller.move.ask([row.id], src)  # the synchronous runner: open on return
        dlg = controller.move.dialog
        if dlg is not None:
            if target is not None:
                dlg.filter.setText(target.code.rsplit(".", 1)[0])
            QApplication.processEvents()
            painter.drawPixmap(window.mapFromGlobal(dlg.mapToGlobal(QPoint(0, 0))), dlg.grab())
            dlg.close()
    painter.end()
    return window, controller, pixmap


REVIEW_VIEWS = ("review_import", "checkpoints")


def render_review_view(archive: Archive, view: str, *, size: tuple[int, int] = SCREENSHOT_SIZE):
    """The dialogs of the cycle after a submission (issue 16) over `archive`, with a
    synchronous runner: `review_import` (导入省评结果…, previewing the file named by
    EVIDENCE_DESK_SCREENSHOT_REVIEW_FILE when set, its first unmatched row selected and the
    indicator list filtered by typing 投诉, as a clerk would), `checkpoints` (自查记录,
    the two newest entries compared). Reads only: the preview is a dry run, nothing is
    imported or recorded. Returns (window, controller, QPixmap of the dialog)."""
    from PySide6.QtWidgets import QApplication

    window, controller = _window_on(archive, view, REVIEW_VIEWS, size)
    target: Any
    if view == "review_import":
        dlg = controller.review.open_import()
        if dlg is None:
            raise ArchiveError("无法打开导入对话框", "the import dialog could not be opened")
        path = os.environ.get("EVIDENCE_DESK_SCREENSHOT_REVIEW_FILE", "")
        if path and Path(path).is_file():
            dlg.set_file(path)
            row = dlg.current_row()
            if row is not None and row.state != "matched":
                dlg.filter.setText("投诉")
        dlg.resize(*DIALOG_SIZE)
        target = dlg
    else:
        cdlg = controller.checkpoints.open()
        if cdlg is None:
            raise ArchiveError("无法打开自查记录", "the checkpoints dialog could not be opened")
        if cdlg.diff_btn.isEnabled():
            cdlg.diff_btn.click()
        target = cdlg
    QApplication.processEvents()
    return window, controller, target.grab()
