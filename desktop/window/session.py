"""The open archive as the window sees it, and the one signal that says it changed.

Every write (an import, an ingest, an accepted inbox entry, a trash, a restore…) ends with
`mark_changed(what)`; whatever shows the archive listens to `changed` and reloads what it
shows, instead of each writer knowing which views to refresh.

Signals:
    changed(str): the archive was written; the argument says roughly what ("evidence",
        "settings", "inbox", … or "" for anything).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from storage.core.archive import Archive
from storage.kernel.errors import ArchiveError
from ui.qtfix import emit


class ArchiveSession(QObject):
    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.archive: Archive | None = None

    def require(self) -> Archive:
        """The open archive: views and actions that read or write run only while one is open."""
        if self.archive is None:
            raise ArchiveError("没有打开的档案库", "no archive is open")
        return self.archive

    def mark_changed(self, what: str = "") -> None:
        emit(self.changed, what)
