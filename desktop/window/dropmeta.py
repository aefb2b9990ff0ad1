"""Metadata for dropped and added files (issue 17, item 12), read as for watched files.

After an ingest (a drop on the tree or a duty, 添加文件…, 添加文件夹…) the controller starts
the background reading of the new files' text (storage.reading.backlog through the reader
pool; the writer records it). When a reading run ends, the 文号, 成文日期, 发文机关 and title
of the items still waiting are filled from that text on the writer thread
(desktop/actions/dropmeta.py); nothing of this runs on the GUI thread.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.actions.dropmeta import MetaFill, fill_from_text
from desktop.window.tasks import TaskContext
from ui.qtfix import emit


class DropMetaController(QObject):
    """Signals: filled([evidence ids]) after a run gave items their metadata."""

    filled = Signal(list)

    def __init__(self, controller: Any) -> None:  # desktop.window.controllers.Controller
        super().__init__(controller)
        self.c = controller
        self.waiting: set[int] = set()
        controller.ingest_done.connect(self._ingested)
        controller.backlog_read.connect(self._read)
        controller.tree_loaded.connect(self._maybe_switched)
        self._gen = controller._gen

    def _maybe_switched(self) -> None:
        if self._gen != self.c._gen:  # another archive: its items are not ours to fill
            self._gen = self.c._gen
            self.waiting.clear()

    def _ingested(self, report: Any) -> None:
        self.waiting |= {i.evidence_id for i in report.items if i.outcome == "stored" and i.evidence_id}

    def _read(self, report: Any) -> None:
        if not self.waiting or self.c.archive is None:
            return
        a, ids = self.c.archive, sorted(self.waiting)

        def fn(ctx: TaskContext) -> MetaFill:
            return fill_from_text(a, ids)

        def done(result: MetaFill) -> None:
            self.waiting -= set(ids) - set(result.waiting)
            if result.filled:
                said = self.c.window.status_label.text()
                self.c.window.show_status((said + "；" if said else "")
                                          + f"已从 {len(result.filled)} 份文件中读出文号、日期和标题")
                shown = self.c.window.workbench.detail.detail()
                if shown is not None and shown.id in result.filled and not self.c.window.workbench.detail.changes():
                    self.c.select_evidence([shown.id])
                self.c.session.mark_changed()
            left: int = report.left
            if result.waiting and left:
                self.c.read_backlog()  # the run began before these files were stored
            emit(self.filled, list(result.filled))

        self.c._run("write", fn, done)
