"""The window's side of the watcher: results arrive as Qt signals on the GUI thread."""
from __future__ import annotations

import pytest
from watch_helpers import add_folder

pytest.importorskip("pytestqt")


def test_watcher_reports_through_signals(archive, tmp_path, qtbot):
    from PySide6.QtCore import QThread

    from desktop.window.watcher import FolderWatcher

    add_folder(archive, tmp_path / "share", "县工信局", settle_seconds=0.3, polling_seconds=0)
    w = FolderWatcher(archive, supervise_seconds=0.3)
    got_threads = []
    w.entries_added.connect(lambda items: got_threads.append(QThread.currentThread()))
    try:
        with qtbot.waitSignal(w.entries_added, timeout=10000) as blocker:
            w.start()
            (tmp_path / "share" / "通知.docx").write_bytes(b"hello")
        [item] = blocker.args[0]
        assert item.name == "通知.docx" and item.suggestion["department"] == "县工信局"
        qtbot.waitUntil(lambda: bool(got_threads), timeout=5000)
        from PySide6.QtWidgets import QApplication

        assert got_threads[0] is QApplication.instance().thread()
    finally:
        w.stop()
