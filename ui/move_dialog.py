"""移到… (issue 17, item 5): pick the indicator or the responsibility-table task a filed
document moves to, in one step.

A filter box (a code, or words of the title or task) over the indicator tree in framework
order, then the tasks of the responsibility table; Enter or 移到 accepts the highlighted
line, Esc cancels. The dialog is shown with `open()` (window-modal, not blocking), and says
what it picked through `chosen(kind, id)`: ("indicator", id) or ("duty", id).
"""
from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage.readmodels import DutyRow, IndicatorNode
from ui.qtfix import emit

_CODE = re.compile(r"[\d.]+")


class MoveDialog(QDialog):
    """Signals: chosen(kind, id) when the clerk presses 移到 (or Enter): kind is
    "indicator" or "duty"."""

    chosen = Signal(str, int)

    def __init__(self, nodes: list[IndicatorNode], ids: list[int], source_id: int | None,
                 parent: QWidget | None = None, duties: list[DutyRow] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("移到其他指标")
        self.resize(560, 520)
        self.source_id = source_id
        src = next((n for n in nodes if n.id == source_id), None)
        where = f"从 {src.code} {src.title}".strip() if src is not None else ""
        self.info = QLabel(f"把选中的 {len(ids)} 份材料{where}移到（原关联同时取消；可按 Ctrl+Z 撤销）：")
        self.info.setWordWrap(True)
        self.filter = QLineEdit(placeholderText="输入指标编号、名称或任务的字词筛选，例如 2.3.1 或 抽查")
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        for n in nodes:
            item = QListWidgetItem("　" * max(0, n.level - 1) + f"{n.code} {n.title}".strip())
            item.setData(Qt.ItemDataRole.UserRole, ("indicator", n.id))
            item.setData(Qt.ItemDataRole.UserRole + 1, f"{n.code} {n.title}")
            item.setData(Qt.ItemDataRole.UserRole + 2, n.code)
            if n.id == source_id:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip("材料现在就在这个指标下")
            self.list.addItem(item)
        if duties:
            head = QListWidgetItem("—— 责任分解表的任务（移到任务：同时关联到任务和它的指标）——")
            head.setFlags(Qt.ItemFlag.NoItemFlags)
            head.setData(Qt.ItemDataRole.UserRole + 1, "")
            head.setData(Qt.ItemDataRole.UserRole + 2, "")
            self.duty_header = head
            self.list.addItem(head)
        for d in duties or []:
            task = " ".join(d.task.split())
            item = QListWidgetItem(f"任务：{task[:60]}{'…' if len(task) > 60 else ''}"
                                   + (f"（指标 {d.indicator_code}）" if d.indicator_code else ""))
            item.setToolTip(task)
            item.setData(Qt.ItemDataRole.UserRole, ("duty", d.id))
            item.setData(Qt.ItemDataRole.UserRole + 1, f"{d.indicator_code} {task}")
            item.setData(Qt.ItemDataRole.UserRole + 2, d.indicator_code)
            self.list.addItem(item)
        self.buttons = QDialogButtonBox()
        self.move_button = self.buttons.addButton("移到", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda *_: self._accept())
        self.list.currentItemChanged.connect(lambda *_: self._update())
        self.filter.textChanged.connect(self._on_filter)
        self.filter.returnPressed.connect(self._accept)
        lay = QVBoxLayout(self)
        lay.addWidget(self.info)
        lay.addWidget(self.filter)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.buttons)
        self._on_filter("")
        self.filter.setFocus()

    def selected(self) -> tuple[str, int] | None:
        """("indicator" | "duty", id) of the highlighted line, or None."""
        item = self.list.currentItem()
        if item is None or item.isHidden() or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        kind, ident = item.data(Qt.ItemDataRole.UserRole)
        return str(kind), int(ident)

    def selected_id(self) -> int | None:
        """The highlighted indicator's id (None for a task or nothing)."""
        s = self.selected()
        return s[1] if s is not None and s[0] == "indicator" else None

    def _on_filter(self, text: str) -> None:
        words = text.split()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) is None:  # the tasks' heading
                item.setHidden(False)
                continue
            hay = str(item.data(Qt.ItemDataRole.UserRole + 1))
            code = str(item.data(Qt.ItemDataRole.UserRole + 2))
            # a code typed (2.1) matches codes from their start; other words, anywhere
            show = all(code.startswith(w) if _CODE.fullmatch(w) else w in hay for w in words)
            item.setHidden(not show)
            if show and first is None and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                first = item
        if first is not None and (words or self.list.currentItem() is None):
            self.list.setCurrentItem(first)
        self._update()

    def _update(self) -> None:
        self.move_button.setEnabled(self.selected() is not None)

    def _accept(self) -> None:
        target = self.selected()
        if target is None:
            return
        self.accept()
        emit(self.chosen, *target)
