"""The folder watcher in the window: `storage.watch.service.WatchService` (plain Python,
its own worker thread, watchdog observers) turned into Qt signals.

The service's callbacks run on its worker thread; they only emit signals, which Qt queues to
the receivers' (GUI) thread. Its database writes go through `write` (the task runner's one
writer thread), so the window has one writer, as design.md asks. Nothing here touches a
widget, a session or an ORM object: the signals carry frozen read models (InboxItem,
FolderStatus) and strings.

Signals:
    entries_added(list): InboxItem read models of newly detected or updated files.
    folder_changed(object): a FolderStatus (went offline, came back, fell back to polling).
    error(str): an error the watcher survived, for the status bar.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from storage.watch.service import WatchService
from ui import qtfix


class FolderWatcher(QObject):
    entries_added = Signal(list)
    folder_changed = Signal(object)
    error = Signal(str)

    def __init__(self, archive, parent: QObject | None = None, **options) -> None:
        super().__init__(parent)

        self._service = WatchService(
            archive,
            on_entries=lambda *a: qtfix.emit(self.entries_added, *a),
            on_folder=lambda *a: qtfix.emit(self.folder_changed, *a),
            on_error=lambda *a: qtfix.emit(self.error, *a),
            **options,
        )

    @property
    def service(self):
        return self._service

    def start(self) -> None:
        self._service.start()

    def reload(self) -> None:
        """Call after watched folders were added or removed."""
        self._service.reload()

    def stop(self) -> None:
        """Stop and join the worker and every observer (call before the archive closes)."""
        self._service.stop()

    def statuses(self) -> list:
        return self._service.folder_statuses()
