"""A link or special file the watcher shows but never reads (issue 18 item 3): the inbox
says it was skipped, never invites a choice of indicator, and Enter on it accepts nothing."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from storage.readmodels import InboxItem
from ui.inbox import InboxView


def _item(i: int, state: str, reason: str, name: str) -> InboxItem:
    return InboxItem(id=i, state=state, source_path=f"/share/{name}", from_zip="", name=name, folder="/share",
                     folder_department="", size=10, detected_at=dt.datetime(2026, 12, 7, 9), evidence_id=None,
                     attempts=1, reason=reason, confidence=None, suggestion={})


def test_a_skipped_link_is_shown_as_skipped_and_enter_accepts_nothing(qtbot) -> None:
    view = InboxView()
    qtbot.addWidget(view)
    accepted: list[list[int]] = []
    view.accept_requested.connect(lambda ids, edits: accepted.append(list(ids)))
    view.set_items([
        _item(1, "failed", "已跳过：符号链接，不跟随读取 (skipped: a symbolic link, never followed)", "密码.txt"),
        _item(2, "failed", "文件被占用，稍后重试 (locked)", "台账.xlsx"),
    ])
    view.show()
    assert "已跳过 1 个" in view.heading.text() and "读取失败 1 个" in view.heading.text()
    shown = view.model.index(0, 1).data()
    assert "不能接收" in shown and "F2" not in shown
    assert "读取失败" in view.model.index(1, 1).data()
    view.table.selectRow(0)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert accepted == []
    assert "链接或特殊文件" in view.message.text()
