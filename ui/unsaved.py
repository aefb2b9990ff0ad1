"""No silent loss of typing (issue 17, item 4): before the selection moves or the window
closes, a changed self-score, 完成情况 or 详情 field is saved, or the clerk is asked
(保存 / 放弃 / 取消).

The question is asked by `ask_unsaved`; `LeaveGuard` knows the two editing panels of the
workbench (the 自评 tab and the 详情 form), what is changed in them and how to save it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtWidgets import QMessageBox, QWidget

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class EditingPanel(Protocol):
    """A panel the clerk types into: what changed (`changes`), and `_on_save`, which starts
    the save and says whether it did (False: a value was refused; the panel says why)."""

    def changes(self) -> dict: ...

    def _on_save(self) -> bool: ...


# What each panel is called in the question, e.g. 「自评（2.3.1）有未保存的修改」.
FIELD_NAMES = {"score": "自评得分", "value": "实际值", "veto": "一票否决核查", "note": "扣分说明",
               "description": "完成情况", "title": "标题", "doc_number": "文号",
               "issue_date": "成文日期", "issuing_body": "发文单位", "department": "报送单位",
               "status": "状态", "notes": "备注"}


def ask_unsaved(parent: QWidget | None, what: str,
                shown: Callable[[QMessageBox], None] | None = None) -> str:
    """Ask 保存 / 放弃 / 取消 about `what` (「自评得分、完成情况」); SAVE, DISCARD or CANCEL.
    Escape and closing the box are 取消. `shown(box)` is called once the box exists."""
    box = QMessageBox(QMessageBox.Icon.Question, "保存修改？",
                      f"{what}有未保存的修改，要保存吗？\n（unsaved changes: save them, discard them, "
                      "or cancel and keep editing）", QMessageBox.StandardButton.NoButton, parent)
    save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("放弃", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.setObjectName("unsaved_changes")
    if shown is not None:
        shown(box)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is save:
        return SAVE
    if clicked is discard:
        return DISCARD
    return CANCEL


class LeaveGuard:
    """Asked before the selection moves or the window closes: True when it may go on."""

    def __init__(self, parent: QWidget, panels: list[tuple[str, EditingPanel]]) -> None:
        self.parent = parent
        self.panels = panels
        self.asking = False
        self.last_answer = ""

    def pending(self) -> list[tuple[str, EditingPanel, dict]]:
        """(name, panel, changes) of every panel with unsaved typing."""
        out = []
        for name, panel in self.panels:
            changes = panel.changes()
            if changes:
                out.append((name, panel, changes))
        return out

    def describe(self, pending: list[tuple[str, EditingPanel, dict]]) -> str:
        return "；".join(f"{name}（{'、'.join(FIELD_NAMES.get(k, k) for k in changes)}）"
                        for name, _, changes in pending)

    def may_leave(self) -> bool:
        """Nothing typed, or saved (the save is under way), or discarded: True; 取消, or a
        value the panel refused to save: False (the clerk stays where the typing is)."""
        if self.asking:
            return False
        pending = self.pending()
        if not pending:
            return True
        self.asking = True
        try:
            answer = ask_unsaved(self.parent, self.describe(pending))
        finally:
            self.asking = False
        self.last_answer = answer
        if answer == CANCEL:
            return False
        if answer == DISCARD:
            return True
        return all(panel._on_save() for _, panel, _ in pending)


__all__ = ["CANCEL", "DISCARD", "SAVE", "LeaveGuard", "ask_unsaved"]
