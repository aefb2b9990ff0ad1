"""The main view: the indicator tree, the selected node's evidence and duties, the detail
panel and the file preview. Widgets only: they show read models they are given and emit
signals for what the clerk asked; the controller in desktop/ does the work."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from storage.readmodels import DutyRow, EvidenceDetail, EvidenceRow, FilePreview, IndicatorNode
from ui import texts
from ui.models import (
    EVIDENCE_MIME,
    DutyTableModel,
    EvidenceTableModel,
    IndicatorTreeModel,
    decode_evidence_mime,
)
from ui.qtfix import emit
from ui.selfscore import SelfScorePanel  # the 自评 tab (issue 7): the selected indicator's self-score
from ui.unsaved import LeaveGuard


class IndicatorTreeView(QTreeView):
    """The indicator tree; files and evidence rows can be dropped on a node.

    Signals:
        node_selected(indicator_id)
        files_dropped([local paths], indicator_id or None): store and link them.
        evidence_dropped([evidence ids], indicator_id): link existing items to the node
            (a copy: Ctrl held while dropping, or dragged from no single indicator).
        evidence_moved([evidence ids], source indicator_id, target indicator_id): items
            dragged from an indicator's list and dropped without Ctrl: moved (issue 17.5).
    """

    node_selected = Signal(int)
    files_dropped = Signal(list, object)
    evidence_dropped = Signal(list, int)
    evidence_moved = Signal(list, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree_model = IndicatorTreeModel(self)
        self.setModel(self.tree_model)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(True)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        h = self.header()
        h.setStretchLastSection(False)
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, self.tree_model.columnCount()):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.selectionModel().selectionChanged.connect(self._on_selection)
        # asked before the selection moves away from unsaved typing (ui.unsaved.LeaveGuard)
        self.leave_guard: Callable[[], bool] | None = None

    def set_nodes(self, nodes: list[IndicatorNode]) -> None:
        current = self.current_id()
        self.tree_model.set_nodes(nodes)
        self.expandAll()
        if current is not None:
            idx = self.tree_model.index_of(current)
            if idx.isValid():
                self.blockSignals(True)
                self.selectionModel().blockSignals(True)
                self.setCurrentIndex(idx)
                self.selectionModel().blockSignals(False)
                self.blockSignals(False)

    def current_id(self) -> int | None:
        node = self.tree_model.node(self.currentIndex())
        return node.id if node else None

    def current_node(self) -> IndicatorNode | None:
        return self.tree_model.node(self.currentIndex())

    def select_id(self, indicator_id: int) -> None:
        idx = self.tree_model.index_of(indicator_id)
        if idx.isValid():
            self.setCurrentIndex(idx)
            self.scrollTo(idx)

    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        idxs = selected.indexes()
        node = self.tree_model.node(idxs[0]) if idxs else None
        if node is not None and self.leave_guard is not None and not self.leave_guard():
            self._restore(deselected)  # 取消: the clerk stays on the node being edited
            return
        if node is not None:
            emit(self.node_selected, node.id)

    def _restore(self, previous: QItemSelection) -> None:
        idxs = previous.indexes()
        sm = self.selectionModel()
        sm.blockSignals(True)
        try:
            if idxs:
                sm.setCurrentIndex(idxs[0], sm.SelectionFlag.ClearAndSelect | sm.SelectionFlag.Rows)
            else:
                sm.clearSelection()
        finally:
            sm.blockSignals(False)
        self.viewport().update()

    # -- drops ---------------------------------------------------------------------------
    @staticmethod
    def _local_paths(event: QDropEvent | QDragMoveEvent | QDragEnterEvent) -> list[str]:
        md = event.mimeData()
        if not md.hasUrls():
            return []
        return [u.toLocalFile() for u in md.urls() if u.isLocalFile() and u.toLocalFile()]

    def _target(self, event: QDropEvent | QDragMoveEvent) -> IndicatorNode | None:
        return self.tree_model.node(self.indexAt(event.position().toPoint()))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_paths(event) or event.mimeData().hasFormat(EVIDENCE_MIME):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    @staticmethod
    def _evidence_action(event: QDropEvent | QDragMoveEvent) -> Qt.DropAction:
        """A drag of filed items inside the window moves them (the default, or Shift);
        Ctrl copies (links to the node as well, keeping the old link)."""
        payload = decode_evidence_mime(event.mimeData())
        if payload is None or payload[0] is None:
            return Qt.DropAction.CopyAction
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return Qt.DropAction.CopyAction
        if not event.possibleActions() & Qt.DropAction.MoveAction:  # the drag offers a copy only
            return Qt.DropAction.CopyAction
        return Qt.DropAction.MoveAction

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        node = self._target(event)
        if self._local_paths(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        elif event.mimeData().hasFormat(EVIDENCE_MIME) and node:
            event.setDropAction(self._evidence_action(event))
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        node = self._target(event)
        paths = self._local_paths(event)
        if paths:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            emit(self.files_dropped, paths, node.id if node else None)
            return
        payload = decode_evidence_mime(event.mimeData()) if event.mimeData().hasFormat(EVIDENCE_MIME) else None
        if payload and node is not None:
            action = self._evidence_action(event)
            event.setDropAction(action)
            event.accept()
            if action == Qt.DropAction.MoveAction and payload[0] is not None:
                if payload[0] != node.id:
                    emit(self.evidence_moved, payload[1], payload[0], node.id)
            else:
                emit(self.evidence_dropped, payload[1], node.id)
            return
        event.ignore()


class DutyTableView(QTableView):
    """The selected node's responsibility-table rows; files and evidence rows can be
    dropped on a row: they are linked to that duty and to its indicator.

    Signals:
        files_dropped([local paths], duty_id): store them, link to the duty (and indicator).
        evidence_dropped([evidence ids], duty_id): link existing items to the duty.
    """

    files_dropped = Signal(list, int)
    evidence_dropped = Signal(list, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(True)
        self.setToolTip("可把文件或材料行拖到某项任务上：存档并关联到该任务及其指标")

    def _duty(self, event: QDropEvent | QDragMoveEvent) -> DutyRow | None:
        idx = self.indexAt(event.position().toPoint())
        model = self.model()
        return model.row(idx.row()) if idx.isValid() and hasattr(model, "row") else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        md = event.mimeData()
        if IndicatorTreeView._local_paths(event) or md.hasFormat(EVIDENCE_MIME):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        md = event.mimeData()
        if self._duty(event) is not None and (IndicatorTreeView._local_paths(event) or md.hasFormat(EVIDENCE_MIME)):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        duty = self._duty(event)
        if duty is None:
            event.ignore()
            return
        paths = IndicatorTreeView._local_paths(event)
        payload = decode_evidence_mime(event.mimeData()) if event.mimeData().hasFormat(EVIDENCE_MIME) else None
        if not paths and not payload:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        if paths:
            emit(self.files_dropped, paths, duty.id)
        elif payload is not None:
            emit(self.evidence_dropped, payload[1], duty.id)


class EvidencePanel(QWidget):
    """The evidence of the selected node: filter box, table, and bulk actions by menu.

    Signals:
        selection_changed([evidence ids])
        bulk_status_requested([ids], status)
        bulk_department_requested([ids], department name)
        unlink_requested([ids], indicator_id)
        trash_requested([ids]): 移到回收站 (the Delete key or the context menu)
        move_requested([ids], indicator_id): 移到… (Ctrl+M or the context menu)
    """

    move_requested = Signal(list, int)
    selection_changed = Signal(list)
    bulk_status_requested = Signal(list, str)
    bulk_department_requested = Signal(list, str)
    unlink_requested = Signal(list, int)
    trash_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = EvidenceTableModel(self)
        self.filter = QLineEdit(placeholderText="筛选：标题、文号、单位、文件名、状态")
        self.filter.setClearButtonEnabled(True)
        self.count = QLabel("")
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)

        t = self.table = QTableView()
        t.setModel(self.model)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        t.setAlternatingRowColors(True)
        t.verticalHeader().setVisible(False)
        t.verticalHeader().setDefaultSectionSize(24)
        h = t.horizontalHeader()
        h.setSortIndicatorClearable(True)
        h.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        t.setSortingEnabled(True)
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        h.setStretchLastSection(True)
        for col, w in enumerate((44, 240, 130, 84, 110, 64, 180, 64, 120)):
            t.setColumnWidth(col, w)
        t.setDragEnabled(True)
        t.setAcceptDrops(True)
        t.viewport().setAcceptDrops(True)
        t.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        t.setDefaultDropAction(Qt.DropAction.MoveAction)
        t.setDragDropOverwriteMode(False)
        t.setDropIndicatorShown(True)
        t.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        t.customContextMenuRequested.connect(self._menu)
        t.selectionModel().selectionChanged.connect(self._on_selection)
        trash = QAction("移到回收站", t)  # Delete on the table only (the inbox has its own Delete)
        trash.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        trash.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        trash.triggered.connect(self._trash_selected)
        t.addAction(trash)
        move = QAction("移到…", t)  # to another indicator in one step (issue 17.5)
        move.setShortcut(QKeySequence("Ctrl+M"))
        move.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        move.triggered.connect(self._move_selected)
        t.addAction(move)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(t)
        self.filter.textChanged.connect(self._on_filter)
        self.model.modelReset.connect(self._update_count)
        self.model.counted.connect(self._update_count)
        self._departments: list[str] = []
        self.context_menu: QMenu | None = None  # the last one shown (tests press its entries)
        # asked before the selection moves away from unsaved typing (ui.unsaved.LeaveGuard)
        self.leave_guard: Callable[[], bool] | None = None
        self._restoring = False

    def set_rows(self, rows: Sequence[EvidenceRow], indicator_id: int | None, *, leaf: bool,
                 complete: bool = True) -> None:
        self.model.set_rows(rows, indicator_id, leaf=leaf, complete=complete)

    def complete_rows(self, rows: list[EvidenceRow]) -> None:
        """The whole list after its first rows: keep the selection and the scroll position."""
        keep = self.selected_ids()
        bar = self.table.verticalScrollBar()
        pos = bar.value()
        self.model.complete_rows(rows)
        sel = self.table.selectionModel()
        for eid in keep:
            row = self.model.row_of(eid)
            if row >= 0:
                sel.select(self.model.index(row, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
        bar.setValue(pos)

    def set_departments(self, names: list[str]) -> None:
        self._departments = list(names)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [r.id for r in (self.model.row(n) for n in rows) if r is not None]

    def select_id(self, evidence_id: int) -> bool:
        """Select (and scroll to) an item of the shown node, however far down it is."""
        row = self.model.reveal(evidence_id)
        if row >= 0:
            if self.filter.text() and not self.model._filter:
                self.filter.blockSignals(True)
                self.filter.clear()
                self.filter.blockSignals(False)
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        return row >= 0

    def _on_filter(self, text: str) -> None:
        self.model.set_filter(text)

    def _update_count(self) -> None:
        m = self.model
        if not m.complete:
            self.count.setText(f"正在读取全部材料…（先显示 {m.total} 份）")
        elif not m.counted_all:
            self.count.setText(f"正在统计…（已列出 {m.total} 份）")
        elif m.total == m.matching:
            self.count.setText(f"共 {m.total} 份")
        else:
            self.count.setText(f"{m.matching} / {m.total} 份")
        self.table.setToolTip(
            "拖动行可调整送审顺序" if m.reorderable else
            "排序或筛选时不能拖动调整顺序；选择末级指标并清除排序后可拖动"
        )

    def _on_selection(self, _selected: QItemSelection | None = None,
                      deselected: QItemSelection | None = None) -> None:
        if self.leave_guard is not None and not self._restoring and not self.leave_guard():
            self._restoring = True  # 取消: back to the item being edited
            try:
                sm = self.table.selectionModel()
                sm.clearSelection()
                if deselected is not None:
                    sm.select(deselected, sm.SelectionFlag.Select)
                    rows = deselected.indexes()
                    if rows:
                        sm.setCurrentIndex(rows[0], sm.SelectionFlag.NoUpdate)
            finally:
                self._restoring = False
            return
        if self._restoring:
            return
        emit(self.selection_changed, self.selected_ids())

    def _menu(self, pos: Any) -> None:
        ids = self.selected_ids()
        if ids:
            self.build_menu(ids).popup(self.table.viewport().mapToGlobal(pos))

    def build_menu(self, ids: list[int]) -> QMenu:
        """The context menu for the selected rows `ids` (the last one is kept for tests)."""
        menu = QMenu(self)
        for st in ("accepted", "returned", "received"):
            act = QAction(f"设为“{texts.STATUS[st]}”（{len(ids)} 份）", menu)
            act.triggered.connect(lambda _=False, s=st: emit(self.bulk_status_requested, ids, s))
            menu.addAction(act)
        act = QAction("设置报送单位…", menu)
        act.triggered.connect(lambda: self._ask_department(ids))
        menu.addAction(act)
        if self.model.indicator_id is not None:
            menu.addSeparator()
            act = QAction("移到…", menu)
            act.setShortcut(QKeySequence("Ctrl+M"))
            act.triggered.connect(lambda: emit(self.move_requested, ids, self.model.indicator_id))
            menu.addAction(act)
            act = QAction("取消与当前指标的关联", menu)
            act.triggered.connect(lambda: emit(self.unlink_requested, ids, self.model.indicator_id))
            menu.addAction(act)
        menu.addSeparator()
        act = QAction(f"移到回收站（{len(ids)} 份）", menu)
        act.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        act.triggered.connect(lambda: emit(self.trash_requested, ids))
        menu.addAction(act)
        self.context_menu = menu
        return menu

    def _trash_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            emit(self.trash_requested, ids)

    def _move_selected(self) -> None:
        ids = self.selected_ids()
        if ids and self.model.indicator_id is not None:
            emit(self.move_requested, ids, self.model.indicator_id)

    def _ask_department(self, ids: list[int]) -> None:
        name, ok = QInputDialog.getItem(self, "设置报送单位", f"为选中的 {len(ids)} 份材料设置报送单位：",
                                        self._departments, 0, True)
        if ok:
            emit(self.bulk_department_requested, ids, name)


class BulkEditBox(QGroupBox):
    """Edit several selected items at once: link them to an indicator, set their
    department, set their status.

    Signals:
        link_requested([ids], indicator_id), department_requested([ids], name),
        status_requested([ids], status)
    """

    link_requested = Signal(list, int)
    department_requested = Signal(list, str)
    status_requested = Signal(list, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("批量修改", parent)
        self._ids: list[int] = []
        self.indicator = QComboBox()
        self.indicator.setEditable(True)
        self.indicator.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.indicator.setToolTip("输入编号或文字可快速定位指标")
        self.department = QComboBox()
        self.department.setEditable(True)
        self.status = QComboBox()
        for st in texts.STATUS_ORDER:
            self.status.addItem(texts.STATUS[st], st)
        self.link_btn = QPushButton("关联")
        self.department_btn = QPushButton("设置")
        self.status_btn = QPushButton("设置")
        form = QFormLayout(self)
        for label, field, button in (("关联到指标", self.indicator, self.link_btn),
                                     ("报送单位", self.department, self.department_btn),
                                     ("状态", self.status, self.status_btn)):
            row = QHBoxLayout()
            row.addWidget(field, 1)
            row.addWidget(button)
            form.addRow(label, row)
        self.link_btn.clicked.connect(self._link)
        self.department_btn.clicked.connect(
            lambda: emit(self.department_requested, list(self._ids), self.department.currentText().strip()))
        self.status_btn.clicked.connect(
            lambda: emit(self.status_requested, list(self._ids), self.status.currentData()))

    def set_ids(self, ids: list[int]) -> None:
        self._ids = list(ids)
        self.setTitle(f"批量修改选中的 {len(ids)} 份材料")
        for b, what in ((self.link_btn, "关联到所选指标"), (self.department_btn, "设置报送单位"),
                        (self.status_btn, "设置状态")):
            b.setToolTip(f"把选中的 {len(ids)} 份材料{what}")

    def set_indicators(self, nodes: list[IndicatorNode]) -> None:
        current = self.indicator.currentData()
        self.indicator.clear()
        for n in nodes:
            self.indicator.addItem("　" * (n.level - 1) + f"{n.code} {n.title}".strip(), n.id)
        if current is not None:
            self.indicator.setCurrentIndex(max(0, self.indicator.findData(current)))

    def set_departments(self, names: list[str]) -> None:
        text = self.department.currentText()
        self.department.clear()
        self.department.addItems(names)
        self.department.setEditText(text)

    def _link(self) -> None:
        iid = self.indicator.currentData()
        typed = self.indicator.currentText().strip()
        if self.indicator.itemText(self.indicator.currentIndex()) != self.indicator.currentText():
            i = self.indicator.findText(typed, Qt.MatchFlag.MatchContains)
            iid = self.indicator.itemData(i) if i >= 0 else None
        if iid is not None:
            emit(self.link_requested, list(self._ids), int(iid))


class DetailPanel(QWidget):
    """Edit one evidence item's metadata and links, or several items at once (`set_bulk`).

    Signals:
        save_requested(evidence_id, version, {field: new value}): only changed fields.
        unlink_requested([evidence_id], indicator_id)
    """

    save_requested = Signal(int, int, dict)
    unlink_requested = Signal(list, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail: EvidenceDetail | None = None
        self.heading = QLabel("未选择材料")
        self.heading.setWordWrap(True)
        self.title = QLineEdit()
        self.doc_number = QLineEdit(placeholderText="如 沂政发〔2023〕13号")
        self.issue_date = QLineEdit(placeholderText="如 2023-06-30")
        self.issuing_body = QLineEdit()
        self.department = QComboBox()
        self.department.setEditable(True)
        self.status = QComboBox()
        for st in texts.STATUS_ORDER:
            self.status.addItem(texts.STATUS[st], st)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(90)
        self.links = QListWidget()
        self.links.setMaximumHeight(90)
        self.unlink = QPushButton("取消所选关联")
        self.files = QLabel("")
        self.files.setWordWrap(True)
        self.files.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save = QPushButton("保存")
        self.revert = QPushButton("撤销修改")
        self.message = QLabel("")
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow("标题", self.title)
        form.addRow("文号", self.doc_number)
        form.addRow("成文日期", self.issue_date)
        form.addRow("发文单位", self.issuing_body)
        form.addRow("报送单位", self.department)
        form.addRow("状态", self.status)
        form.addRow("备注", self.notes)
        form.addRow("关联指标", self.links)
        form.addRow("", self.unlink)
        form.addRow("文件", self.files)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert)
        buttons.addWidget(self.save)
        self.single = QWidget()
        sl = QVBoxLayout(self.single)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addLayout(form)
        self.bulk = BulkEditBox()
        self.bulk.hide()
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.single)
        lay.addWidget(self.bulk)
        lay.addWidget(self.message)
        self.button_row = QWidget()
        self.button_row.setLayout(buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.button_row)
        lay.addStretch(1)

        self.save.clicked.connect(self._on_save)
        self.revert.clicked.connect(lambda: self.set_detail(self._detail))
        self.unlink.clicked.connect(self._on_unlink)
        self.set_detail(None)

    def detail(self) -> EvidenceDetail | None:
        return self._detail

    def set_departments(self, names: list[str]) -> None:
        text = self.department.currentText()
        self.department.clear()
        self.department.addItem("")
        self.department.addItems(names)
        self.department.setEditText(text)
        self.bulk.set_departments(names)

    def set_bulk(self, ids: list[int], message: str = "") -> None:
        """Several items selected: the bulk editor instead of the single-item form."""
        self.set_detail(None, message)
        self.heading.setText(f"已选择 {len(ids)} 份材料")
        self.bulk.set_ids(ids)
        self.single.hide()
        self.button_row.hide()
        self.bulk.show()

    def set_detail(self, d: EvidenceDetail | None, message: str = "") -> None:
        self._detail = d
        self.bulk.hide()
        self.single.show()
        self.button_row.show()
        editors = (self.title, self.doc_number, self.issue_date, self.issuing_body,
                   self.department, self.status, self.notes, self.save, self.revert, self.unlink)
        for w in editors:
            w.setEnabled(d is not None)
        self.message.setText(message)
        self.links.clear()
        if d is None:
            self.heading.setText("未选择材料：在左侧选择指标，再在材料列表中选择一份")
            for e in (self.title, self.doc_number, self.issue_date, self.issuing_body):
                e.clear()
            self.notes.clear()
            self.department.setEditText("")
            self.files.setText("")
            return
        self.heading.setText(f"佐证材料 #{d.id}")
        self.title.setText(d.title)
        self.title.setCursorPosition(0)
        self.doc_number.setText(d.doc_number)
        self.issue_date.setText(texts.date_text(d.issue_date))
        self.issuing_body.setText(d.issuing_body)
        self.department.setEditText(d.department)
        self.status.setCurrentIndex(max(0, self.status.findData(d.status)))
        self.notes.setPlainText(d.notes)
        for link in d.links:
            item = QListWidgetItem(f"{link.code} {link.title}（第 {link.position} 份）")
            item.setData(Qt.ItemDataRole.UserRole, link.indicator_id)
            self.links.addItem(item)
        self.files.setText("\n".join(
            f"{f.original_name}（{texts.size_text(f.size)}，{texts.datetime_text(f.added_at)}"
            + ("" if f.is_current else "，旧版本") + (f"，{texts.READ_STATE[f.read_state]}"
                                                       if f.read_state in texts.READ_STATE else "") + "）"
            for f in d.files
        ) or "（无文件）")

    def changes(self) -> dict[str, Any]:
        d = self._detail
        if d is None:
            return {}
        now = {
            "title": self.title.text().strip(),
            "doc_number": self.doc_number.text().strip(),
            "issue_date": self.issue_date.text().strip(),
            "issuing_body": self.issuing_body.text().strip(),
            "department": self.department.currentText().strip(),
            "status": self.status.currentData(),
            "notes": self.notes.toPlainText(),
        }
        before = {
            "title": d.title, "doc_number": d.doc_number,
            "issue_date": texts.date_text(d.issue_date), "issuing_body": d.issuing_body,
            "department": d.department, "status": d.status, "notes": d.notes,
        }
        return {k: v for k, v in now.items() if v != before[k]}

    def _on_save(self) -> bool:
        """Start saving what changed; False when nothing could be sent (the message says why)."""
        d = self._detail
        if d is None:
            return False
        changes = self.changes()
        if not changes:
            self.message.setText("没有修改")
            return True
        if "issue_date" in changes and changes["issue_date"]:
            try:
                dt.date.fromisoformat(changes["issue_date"])
            except ValueError:
                self.message.setText("成文日期格式不对，请写成 2023-06-30")
                return False
        self.message.setText("正在保存…")
        emit(self.save_requested, d.id, d.version, changes)
        return True

    def _on_unlink(self) -> None:
        item = self.links.currentItem()
        if self._detail is None or item is None:
            self.message.setText("请先在“关联指标”中选择一项")
            return
        emit(self.unlink_requested, [self._detail.id], int(item.data(Qt.ItemDataRole.UserRole)))


class PreviewPanel(QWidget):
    """The selected item's file: an image, or its text; buttons to open it elsewhere.

    Signals:
        open_requested(stored path, original name): open with the system application.
        reveal_requested(stored path): show the stored file in the file manager.
    """

    open_requested = Signal(str, str)
    reveal_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview: FilePreview | None = None
        self._pixmap: QPixmap | None = None
        self.name = QLabel("")
        self.name.setWordWrap(True)
        self.stack = QStackedWidget()
        self.note = QLabel("选择一份材料后在这里预览")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.image)
        for w in (self.note, self.text, scroll):
            self.stack.addWidget(w)
        self.open_btn = QPushButton("用系统程序打开")
        self.reveal_btn = QPushButton("打开所在文件夹")
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_btn)
        buttons.addWidget(self.reveal_btn)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.name)
        lay.addWidget(self.stack, 1)
        lay.addLayout(buttons)
        self.open_btn.clicked.connect(self._open)
        self.reveal_btn.clicked.connect(self._reveal)
        self.set_preview(None)

    def set_preview(self, p: FilePreview | None, loading: bool = False) -> None:
        self._preview = p
        has_file = p is not None and bool(p.stored_path)
        self.open_btn.setEnabled(has_file)
        self.reveal_btn.setEnabled(has_file)
        if p is None:
            self.name.setText("")
            self.note.setText("正在读取…" if loading else "选择一份材料后在这里预览")
            self.stack.setCurrentIndex(0)
            return
        self.name.setText(p.name)
        if p.kind == "image":
            pix = QPixmap()
            if pix.loadFromData(p.data):
                self._pixmap = pix
                self.image.setPixmap(pix.scaled(
                    max(200, self.stack.width() - 20), max(200, self.stack.height() - 20),
                    Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
                self.stack.setCurrentIndex(2)
                return
            self.note.setText("图片无法显示（文件可能已损坏）")
            self.stack.setCurrentIndex(0)
        elif p.kind == "text":
            self.text.setPlainText(p.text)
            self.stack.setCurrentIndex(1)
        else:
            self.note.setText(p.note or "无法预览")
            self.stack.setCurrentIndex(0)

    def _open(self) -> None:
        if self._preview and self._preview.stored_path:
            emit(self.open_requested, self._preview.stored_path, self._preview.name)

    def _reveal(self) -> None:
        if self._preview and self._preview.stored_path:
            emit(self.reveal_requested, self._preview.stored_path)


class Workbench(QWidget):
    """Tree | evidence + duties | detail + preview."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = IndicatorTreeView()
        self.evidence = EvidencePanel()
        self.duties_model = DutyTableModel(self)
        self.duties = DutyTableView()
        self.duties.setModel(self.duties_model)
        self.duties.verticalHeader().setVisible(False)
        self.duties.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.duties.horizontalHeader().setStretchLastSection(True)
        for col, w in enumerate((260, 60, 110, 140, 110, 80)):
            self.duties.setColumnWidth(col, w)
        self.node_title = QLabel("在左侧选择一个指标；可以把文件直接拖到指标上存档")
        self.node_title.setWordWrap(True)
        f = self.node_title.font()
        f.setPointSizeF(f.pointSizeF() * 1.15)
        f.setBold(True)
        self.node_title.setFont(f)

        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(4, 0, 4, 0)
        ml.addWidget(self.node_title)
        vsplit = QSplitter(Qt.Orientation.Vertical)
        vsplit.addWidget(self.evidence)
        duties_box = QWidget()
        dl = QVBoxLayout(duties_box)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(QLabel("责任分解（牵头、配合单位与时限；可把文件拖到任务上）"))
        dl.addWidget(self.duties)
        vsplit.addWidget(duties_box)
        vsplit.setStretchFactor(0, 3)
        vsplit.setStretchFactor(1, 1)
        ml.addWidget(vsplit, 1)

        self.detail = DetailPanel()
        self.preview = PreviewPanel()
        self.side = QTabWidget()
        self.side.addTab(self.detail, "详情")
        self.side.addTab(self.preview, "预览")

        self.selfscore = SelfScorePanel()
        self.side.addTab(self.selfscore, "自评")
        self.guard = LeaveGuard(self, [("自评", self.selfscore), ("详情", self.detail)])
        self.tree.leave_guard = self.guard.may_leave
        self.evidence.leave_guard = LeaveGuard(self, [("详情", self.detail)]).may_leave

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([450, 640, 330])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.splitter)

    def show_node(self, node: IndicatorNode | None, rows: Sequence[EvidenceRow], duties: list[DutyRow],
                  *, complete: bool = True) -> None:
        if node is None:
            self.node_title.setText("在左侧选择一个指标；可以把文件直接拖到指标上存档")
            self.evidence.set_rows([], None, leaf=False)
            self.duties_model.set_rows([])
            return
        marks = "".join(m for m, on in (("【一票否决】", node.is_veto), ("【关键项】", node.is_key)) if on)
        score = f"（{texts.score_text(node.max_score)} 分）" if node.max_score is not None else ""
        self.node_title.setText(f"{node.code} {node.title}{score}{marks}")
        self.evidence.set_rows(rows, node.id, leaf=node.is_leaf, complete=complete)
        self.duties_model.set_rows(duties)
