"""移到… (issue 17, item 5): pick the indicator a filed document moves to, in one step.

A filter box (code or words of the title) over the indicator tree in framework order; Enter
or 移到 accepts the highlighted indicator, Esc cancels. The dialog is shown with `open()`
(window-modal, not blocking), and says what it picked through `chosen(indicator_id)`.
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

from storage.readmodels import IndicatorNode
from ui.qtfix import emit

_CODE = re.compile(r"[\d.]+")


class MoveDialog(QDialog):
    """Signals: chosen(indicator_id) when the clerk presses 移到 (or Enter)."""

    chosen = Signal(int)

    def __init__(self, nodes: list[IndicatorNode], ids: list[int], source_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("移到其他指标")
        self.resize(560, 520)
        self.source_id = source_id
        src = next((n for n in nodes if n.id == source_id), None)
        where = f"从 {src.code} {src.title}".strip() if src is not None else ""
        self.info = QLabel(f"把选中的 {len(ids)} 份材料{where}移到（原关联同时取消；可按 Ctrl+Z 撤销）：")
        self.info.setWordWrap(True)
        self.filter = QLineEdit(placeholderText="输入指标编号或名称筛选，例如 2.3.1 或 抽查")
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        for n in nodes:
            item = QListWidgetItem("　" * max(0, n.level - 1) + f"{n.code} {n.title}".strip())
            item.setData(Qt.ItemDataRole.UserRole, n.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, f"{n.code} {n.title}")
            item.setData(Qt.ItemDataRole.UserRole + 2, n.code)
            if n.id == source_id:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip("材料现在就在这个指标下")
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

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        if item is None or item.isHidden() or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return int(item.data(Qt.ItemDataRole.UserRole))

    def _on_filter(self, text: str) -> None:
        words = text.split()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
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
        self.move_button.setEnabled(self.selected_id() is not None)

    def _accept(self) -> None:
        target = self.selected_id()
        if target is None:
            return
        self.accept()
        emit(self.chosen, target)
