"""Moving filed documents to another indicator in one step (issue 17, item 5).

Two ways in, one action (storage.catalogue.links.move_evidence, the same as the command
line's `evidence move`, run as an undoable command of desktop/window/undo.py):
- 移到… (the evidence table's context menu, or Ctrl+M): a picker of indicators
  (ui/move_dialog.py), filtered by typing;
- a drag from the evidence table onto a node of the tree: a move by default (or with
  Shift); with Ctrl held it is a copy (the item is linked to the node as well and stays where
  it was).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from ui.move_dialog import MoveDialog


class MoveController(QObject):
    """Wires 移到… and the tree's move-drops to the undo stack's move command."""

    def __init__(self, controller: Any) -> None:  # desktop.window.controllers.Controller
        super().__init__(controller)
        self.c = controller
        self.dialog: MoveDialog | None = None  # the open picker (tests press its keys)
        wb = controller.window.workbench
        wb.evidence.move_requested.connect(self.ask)
        wb.tree.evidence_moved.connect(self.move)

    def ask(self, ids: list[int], source_id: int) -> MoveDialog | None:
        """Open the picker for the selected items (window-modal, not blocking)."""
        if self.c.archive is None or not ids:
            return None
        nodes = self.c.window.workbench.tree.tree_model.nodes()
        dlg = MoveDialog(nodes, list(ids), source_id, self.c.window)
        dlg.chosen.connect(lambda target: self.move(list(ids), source_id, target))
        dlg.finished.connect(lambda *_: self._closed(dlg))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _closed(self, dlg: MoveDialog) -> None:
        if self.dialog is dlg:
            self.dialog = None
        dlg.deleteLater()

    def move(self, ids: list[int], source_id: int, target_id: int) -> None:
        if source_id == target_id or not ids:
            return
        self.c.undo.move(ids, source_id, target_id)
