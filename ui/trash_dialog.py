"""The 回收站 dialog (文件 → 回收站…): the evidence items in the trash, with 恢复 and
彻底清除.

Widgets only. It shows `storage.durability.trash.TrashItem` rows (and who moved each one,
as the controller read it from the audit log) and emits what the clerk asked; the work is
the controller's (desktop/window/durability.py), through the same storage functions as
`evidence-desk untrash` / `purge`. 彻底清除 asks first: the controller hands back the
purge plan (`PurgePlan`: which items, which stored files go and which stay because
something else uses them) and the dialog says it in a question before anything is removed.

Signals:
    untrash_requested([evidence ids]): 恢复 the selected items.
    purge_plan_requested([evidence ids]): 彻底清除 pressed; the controller answers with
        `confirm_purge(plan)`.
    purge_requested([evidence ids]): the clerk confirmed the purge.
    refresh_requested(): read the trash again.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import texts
from ui.qtfix import emit

COLUMNS = ("编号", "标题", "移入时间", "操作人", "文件")
PLAN_LINES = 12  # how many items/files the purge question names before "等"


def _local_time(iso: str) -> str:
    """The trash stores ISO UTC text; the clerk reads local time."""
    import datetime as dt

    if not iso:
        return ""
    try:
        return texts.datetime_text(dt.datetime.fromisoformat(iso))
    except ValueError:
        return iso


class TrashDialog(QDialog):
    """The trash of the open archive (see the module docstring)."""

    untrash_requested = Signal(list)
    purge_plan_requested = Signal(list)
    purge_requested = Signal(list)
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("回收站")
        self.resize(900, 520)
        self.confirm_box: QMessageBox | None = None
        self._items: list[Any] = []
        self._note = ""
        intro = QLabel("移到回收站的佐证材料仍保留在档案库中，可以恢复；彻底清除后不能恢复。"
                       "已封存的提交用到的文件不会被删除。")
        intro.setWordWrap(True)
        t = self.table = QTableWidget(0, len(COLUMNS))
        t.setHorizontalHeaderLabels(COLUMNS)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.verticalHeader().setVisible(False)
        t.setAlternatingRowColors(True)
        h = t.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        h.setStretchLastSection(True)
        for col, w in enumerate((56, 300, 130, 90)):
            t.setColumnWidth(col, w)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.untrash_btn = QPushButton("恢复")
        self.purge_btn = QPushButton("彻底清除…")
        self.refresh_btn = QPushButton("刷新")
        self.close_btn = QPushButton("关闭")
        buttons = QHBoxLayout()
        buttons.addWidget(self.untrash_btn)
        buttons.addWidget(self.purge_btn)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_btn)
        buttons.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(t, 1)
        lay.addWidget(self.status)
        lay.addLayout(buttons)
        self.untrash_btn.clicked.connect(lambda: self._emit_selected(self.untrash_requested))
        self.purge_btn.clicked.connect(lambda: self._emit_selected(self.purge_plan_requested))
        self.refresh_btn.clicked.connect(lambda: emit(self.refresh_requested))
        self.close_btn.clicked.connect(self.close)
        t.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # -- showing --------------------------------------------------------------------------
    def set_items(self, items: list[Any], who: dict[int, str] | None = None) -> None:
        """`items`: TrashItem rows (oldest first, as storage lists them); shown newest first."""
        who = who or {}
        self._items = sorted(items, key=lambda i: (i.trashed_at, i.evidence_id), reverse=True)
        t = self.table
        t.setRowCount(0)
        t.setRowCount(len(self._items))
        for r, item in enumerate(self._items):
            cells = (f"#{item.evidence_id}", item.title, _local_time(item.trashed_at),
                     who.get(item.evidence_id, ""), "、".join(item.files))
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.evidence_id)
                if c == 4:
                    cell.setToolTip("\n".join(item.files))
                t.setItem(r, c, cell)
        count = f"回收站中有 {len(self._items)} 份佐证材料" if self._items else "回收站是空的"
        self.status.setText(f"{self._note}。{count}" if self._note else count)
        self._note = ""
        self._update_buttons()

    def show_message(self, text: str) -> None:
        """What the last action did; kept in front of the count when the list is read again."""
        self._note = text
        self.status.setText(text)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self._items[r].evidence_id for r in rows if r < len(self._items)]

    def select_ids(self, ids: list[int]) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r, item in enumerate(self._items):
            if item.evidence_id in ids:
                self.table.selectRow(r)
        self.table.setSelectionMode(mode)

    def _update_buttons(self) -> None:
        n = len(self.selected_ids())
        self.untrash_btn.setEnabled(n > 0)
        self.purge_btn.setEnabled(n > 0)
        self.untrash_btn.setText(f"恢复（{n} 份）" if n else "恢复")
        self.purge_btn.setText(f"彻底清除（{n} 份）…" if n else "彻底清除…")

    def _emit_selected(self, signal: Any) -> None:
        ids = self.selected_ids()
        if ids:
            emit(signal, ids)

    # -- the purge question -----------------------------------------------------------------
    def confirm_purge(self, plan: Any) -> QMessageBox:
        """Ask before purging: name the items, the files that will be deleted and those kept."""
        lines = [f"将彻底删除以下 {len(plan.items)} 份佐证材料，删除后不能恢复："]
        lines += [f"  #{i.evidence_id}《{i.title}》" for i in plan.items[:PLAN_LINES]]
        if len(plan.items) > PLAN_LINES:
            lines.append(f"  等，共 {len(plan.items)} 份")
        removed = [f for f in plan.files if f.removed]
        kept = [f for f in plan.files if not f.removed]
        if removed:
            lines.append(f"并从档案库删除 {len(removed)} 个文件（{texts.size_text(plan.bytes_freed)}）：")
            lines += [f"  {'、'.join(f.names)}" for f in removed[:PLAN_LINES]]
        if kept:
            lines.append(f"保留 {len(kept)} 个文件（仍被其他佐证、收件箱或已封存的提交使用）。")
        box = QMessageBox(QMessageBox.Icon.Warning, "彻底清除？", "\n".join(lines),
                          QMessageBox.StandardButton.NoButton, self)
        purge = box.addButton("彻底清除", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        ids = [i.evidence_id for i in plan.items]

        def answered(button: Any) -> None:
            if button is purge:
                emit(self.purge_requested, ids)

        box.buttonClicked.connect(answered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm_box = box
        box.open()
        return box
