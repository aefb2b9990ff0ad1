"""The search box (in the menu bar's corner) and the search results view.

The box asks for a search a moment after the clerk stops typing (or at once on Enter);
the view lists the hits (storage.readmodels.SearchHit) and, when one is activated
(double-click or Enter), asks to show that item in its indicator.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # defined in storage.watch; importing it at start-up costs ~0.1 s
    from storage.readmodels import SearchHit

from ui.models import STATE_COLOURS, Column, RowTableModel
from ui.qtfix import emit

SEARCH_DELAY_MS = 300


class SearchBox(QLineEdit):
    """Signals: search_requested(text) (debounced; "" clears), focus_results()."""

    search_requested = Signal(str)
    focus_results = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("搜索标题、文号、单位、文件名、正文（Ctrl+F）")
        self.setClearButtonEnabled(True)
        self.setFixedWidth(360)
        self.setToolTip("输入关键词搜索全部佐证材料：标题、文号、文件名和文件正文。\n"
                        "多个词用空格分开（同时包含）；回车立即搜索，↓ 键进入结果列表。")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._fire)
        self.textEdited.connect(lambda _t: self._timer.start())
        self.returnPressed.connect(self._fire)
        self._last: str | None = None

    def _fire(self) -> None:
        self._timer.stop()
        text = self.text().strip()
        self._last = text
        emit(self.search_requested, text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            emit(self.focus_results)
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self._fire()
            return
        super().keyPressEvent(event)


class SearchHitModel(RowTableModel):
    columns = (
        Column("标题", lambda h: h.title + ("（已删除）" if h.trashed else ""),
               colour=lambda h: STATE_COLOURS["overdue"] if h.trashed else None),
        Column("文号", lambda h: h.doc_number),
        Column("报送单位", lambda h: h.department),
        Column("匹配内容", lambda h: h.snippet),
    )


class SearchCorner(QWidget):
    """The search box as the tab bar's corner widget (with room around it, so the tab bar
    sizes it fully)."""

    def __init__(self, box: SearchBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 2, 6, 2)
        lay.addWidget(box)


class _ResultsTable(QTableView):
    activated_row = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            emit(self.activated_row, self.currentIndex().row())
            return
        super().keyPressEvent(event)


class SearchView(QWidget):
    """Search results. Signals: hit_activated(evidence_id)."""

    hit_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SearchHitModel(self)
        self.heading = QLabel("在窗口右上角的搜索框输入关键词（Ctrl+F）")
        f = self.heading.font()
        f.setBold(True)
        self.heading.setFont(f)
        self.hint = QLabel("双击或按回车，跳到该材料所在的指标并选中它。")
        self.table = _ResultsTable()
        t = self.table
        t.setModel(self.model)
        t.verticalHeader().setVisible(False)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setAlternatingRowColors(True)
        t.setWordWrap(False)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        t.horizontalHeader().setStretchLastSection(True)
        for col, w in enumerate((380, 170, 120, 520)):
            t.setColumnWidth(col, w)
        t.setToolTip("双击或回车：在“指标与材料”中显示这份材料")
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.hint)
        lay.addWidget(t, 1)
        t.doubleClicked.connect(self._on_double)
        t.activated_row.connect(self._activate)
        self.query = ""

    def set_results(self, query: str, hits: list[SearchHit], limit: int | None = None) -> None:
        self.query = query
        self.model.set_rows(hits)
        if not query:
            self.heading.setText("在窗口右上角的搜索框输入关键词（Ctrl+F）")
        elif not hits:
            self.heading.setText(f"没有找到包含“{query}”的材料")
        elif limit is not None and len(hits) >= limit:
            self.heading.setText(f"“{query}”：显示最新的 {len(hits)} 份，请输入更多关键词缩小范围")
        else:
            self.heading.setText(f"“{query}”：找到 {len(hits)} 份材料")
        if hits:
            self.table.selectRow(0)

    def set_busy(self, query: str) -> None:
        self.heading.setText(f"正在搜索“{query}”…")

    def focus_results(self) -> None:
        self.table.setFocus()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _on_double(self, index: QModelIndex) -> None:
        self._activate(index.row())

    def _activate(self, row: int) -> Any:
        hit = self.model.row(row)
        if hit is not None:
            emit(self.hit_activated, hit.evidence_id)
