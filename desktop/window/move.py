"""Moving filed documents to another indicator in one step (issue 17, item 5).

Two ways in, one action (storage.catalogue.links.move_evidence, the same as the command
line's `evidence move`, run as an undoable command of desktop/window/undo.py):
- 移到… (the evidence table's context menu, or Ctrl+M): a picker of indicators and of the
  responsibility table's tasks (ui/move_dialog.py), filtered by typing; a task target links
  the items to the task and its indicator and unlinks them from where they were;
- a drag from the evidence table onto a node of the tree: a move by default (or with
  Shift); with Ctrl held it is a copy (the item is linked to the node as well and stays where
  it was).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.window.tasks import TaskContext
from storage.catalogue import duties
from storage.readmodels import DutyRow
from ui.move_dialog import MoveDialog
from ui.qtfix import emit


class MoveController(QObject):
    """Wires 移到… and the tree's move-drops to the undo stack's move commands.

    Signals: opened(MoveDialog) once the picker is on screen."""

    opened = Signal(object)

    def __init__(self, controller: Any) -> None:  # desktop.window.controllers.Controller
        super().__init__(controller)
        self.c = controller
        self.dialog: MoveDialog | None = None  # the open picker (tests press its keys)
        wb = controller.window.workbench
        wb.evidence.move_requested.connect(self.ask)
        wb.tree.evidence_moved.connect(self.move)

    def ask(self, ids: list[int], source_id: int) -> None:
        """Read the tasks (in the background), then open the picker for the selected items
        (window-modal, not blocking); `opened` says when it is on screen."""
        a = self.c.archive
        if a is None or not ids:
            return
        today = self.c.today

        def fn(ctx: TaskContext) -> list[DutyRow]:
            with a.sessions.read() as s:
                return duties.all_duties(s, today)

        self.c._run("read", fn, lambda rows: self.show_picker(list(ids), source_id, rows))

    def show_picker(self, ids: list[int], source_id: int, duty_rows: list[DutyRow]) -> MoveDialog:
        nodes = self.c.window.workbench.tree.tree_model.nodes()
        dlg = MoveDialog(nodes, ids, source_id, self.c.window, duties=duty_rows)
        dlg.chosen.connect(lambda kind, target: self._chosen(ids, source_id, kind, target, duty_rows))
        dlg.finished.connect(lambda *_: self._closed(dlg))
        self.dialog = dlg
        dlg.open()
        emit(self.opened, dlg)
        return dlg

    def _chosen(self, ids: list[int], source_id: int, kind: str, target: int, duty_rows: list[DutyRow]) -> None:
        if kind == "duty":
            d = next((r for r in duty_rows if r.id == target), None)
            task = " ".join(d.task.split()) if d is not None else ""
            label = f"任务“{task[:16]}{'…' if len(task) > 16 else ''}”"
            self.c.undo.move_to_duty(ids, source_id, target, label)
        else:
            self.move(ids, source_id, target)

    def _closed(self, dlg: MoveDialog) -> None:
        if self.dialog is dlg:
            self.dialog = None
        dlg.deleteLater()

    def move(self, ids: list[int], source_id: int, target_id: int) -> None:
        if source_id == target_id or not ids:
            return
        self.c.undo.move(ids, source_id, target_id)
