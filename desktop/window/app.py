"""Application start-up: the QApplication, the first-run choice of archive, the main
window and its controller, the crash log, and the offscreen `--screenshot` render.

Both entry points return an exit code (desktop.main passes it on): 0 done, 2 bad input.
"""
from __future__ import annotations

import base64
import datetime as dt
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from desktop import settings as user_settings
from desktop.actions.demo import create_demo_archive
from desktop.actions.messages import explain_error
from desktop.window.controllers import Controller
from desktop.window.tasks import TaskRunner
from storage.core.archive import Archive, is_archive
from storage.kernel.errors import ArchiveError
from ui.first_run import FirstRunDialog
from ui.main_window import PRODUCT, MainWindow

EXIT_OK, EXIT_BAD_INPUT = 0, 2
CJK_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei", "SimHei", "PingFang SC")


# --- crash log -----------------------------------------------------------------------------


def write_crash_log(exc: BaseException, trace: str = "") -> Path | None:
    """Write a bug's traceback to the per-user log folder; the path, or None if impossible."""
    try:
        folder = user_settings.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.log"
        text = trace or "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        path.write_text(f"Evidence Desk {dt.datetime.now().isoformat()}\n{text}", encoding="utf-8")
        return path
    except OSError:
        return None


def _show_crash_dialog(log: Path | None) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        return
    where = f"\n\n详情已写入日志文件：\n{log}\n\n请把这个文件发给技术支持。" if log else ""
    QMessageBox.critical(None, "程序内部错误",
                         "Evidence Desk 遇到了一个内部错误。已保存的材料不受影响。" + where)


def install_excepthook() -> None:
    """Uncaught exceptions (in slots, in the event loop) go to the crash log and a dialog."""

    def hook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, value, tb)
            return
        log = write_crash_log(value, "".join(traceback.format_exception(etype, value, tb)))
        if threading.current_thread() is threading.main_thread():
            _show_crash_dialog(log)

    sys.excepthook = hook


# --- QApplication ------------------------------------------------------------------------------


def ensure_app():
    """The QApplication (made once), with a font that has Chinese glyphs."""
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Evidence Desk")
        app.setOrganizationName("EvidenceDesk")
        app.setApplicationDisplayName(PRODUCT)  # titles end with it: named once
        _install_qt_translation(app)
    families = set(QFontDatabase.families())
    for name in CJK_FONTS:
        if name in families:
            font = QFont(name)
            font.setPointSize(max(9, app.font().pointSize()))
            app.setFont(font)
            break
    return app


def _install_qt_translation(app) -> None:
    """Qt's own texts (OK/Cancel, file dialogs, context menus) in Simplified Chinese, from
    the qtbase_zh_CN.qm shipped with PySide6 (kept by build.spec)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        app.installTranslator(translator)
        app._evidence_desk_translator = translator  # keep it alive with the application


def _error_text(error: ArchiveError) -> str:
    """The Chinese message for the window; a too-new archive also names this program's version
    and the newest schema it opens (desktop.version.explain_error, as on the command line)."""

    return explain_error(error)[0]




def _open_archive(action: str, path: str, db_url: str = "") -> Archive:
    if action == "new":
        if db_url:
            return Archive.create(path, db_url=db_url)  # type: ignore[call-arg]
        return Archive.create(path)
    if action == "demo":
        target = Path(path) if path else user_settings.config_dir() / "示例档案库"
        if is_archive(target):
            return Archive.open(target)
        return create_demo_archive(target)
    return Archive.open(path)


def _remember(archive: Archive) -> list[str]:
    s = user_settings.load()
    s.remember_archive(archive.root)
    try:
        user_settings.save(s)
    except OSError:
        pass
    return s.recent_archives


class App:
    """The running window: owns the runner, the window, the controller and the lock."""

    def __init__(self) -> None:
        self.window = MainWindow()
        self.window.ask_before_closing = True  # unsaved typing, running work (issue 17, items 4, 6)
        self.runner = TaskRunner(self.window)
        self.controller = Controller(self.window, self.runner, on_bug=write_crash_log, watch_folders=True)
        self.controller.switch_requested.connect(self.switch)
        self.window.closing.connect(self.shutdown)
        self.window.set_recent(user_settings.load().recent_archives)
        self._closed = False

    def open(self, action: str, path: str, db_url: str = "") -> None:
        """Open an archive and take its window lock (raises ArchiveError)."""
        archive = _open_archive(action, path, db_url)
        try:
            lock = archive.acquire_window_lock()
        except ArchiveError:
            archive.close()
            raise
        self.window.set_recent(_remember(archive))
        self.controller.set_archive(archive, lock)

    def switch(self, action: str, path: str) -> None:
        try:
            self.open(action, path)
        except ArchiveError as e:
            self.window.show_error(_error_text(e))

    def restore_layout(self) -> None:
        from PySide6.QtCore import QByteArray

        s = user_settings.load()
        try:
            if s.window_geometry:
                self.window.restoreGeometry(QByteArray(base64.b64decode(s.window_geometry)))
            if s.window_state:
                self.window.restoreState(QByteArray(base64.b64decode(s.window_state)))
        except (ValueError, TypeError):
            pass

    def save_layout(self) -> None:
        s = user_settings.load()
        s.window_geometry = base64.b64encode(bytes(self.window.saveGeometry().data())).decode()
        s.window_state = base64.b64encode(bytes(self.window.saveState().data())).decode()
        try:
            user_settings.save(s)
        except OSError:
            pass

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.save_layout()
        self.controller.close_archive()
        self.runner.shutdown()


Choice = tuple[str, str] | tuple[str, str, str]  # (action, path) or (action, path, server URL)


def choose_archive(path: Path | None) -> Choice | None:
    """The first-run dialog (unless `path` is a usable archive): (action, path[, server URL])
    or None."""

    if path is not None and is_archive(path):  # a local archive, or a server one (server.json)
        return ("open", str(path))
    dlg = FirstRunDialog(user_settings.load().recent_archives, server_option=True)
    if dlg.exec() and dlg.choice:
        return dlg.choice
    return None


def run_gui(path: Path | str | None = None) -> int:
    """Open the window on `path` (or ask), run until it closes; the exit code."""
    app = ensure_app()
    install_excepthook()

    shell = App()
    choice: Choice | None = choose_archive(Path(path) if path else None)
    while True:
        if choice is None:
            shell.shutdown()
            return EXIT_OK
        try:
            shell.open(*choice)
            break
        except ArchiveError as e:
            dlg = FirstRunDialog(user_settings.load().recent_archives, message=_error_text(e),
                                 server_option=True,
                                 db_url=choice[2] if len(choice) > 2 else "")
            choice = dlg.choice if dlg.exec() else None
    shell.restore_layout()
    shell.window.show()
    rc = app.exec()
    shell.shutdown()
    return int(rc or EXIT_OK)


# --- screenshots -----------------------------------------------------------------------------------






