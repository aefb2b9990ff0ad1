"""The inbox view: files the watched folders brought in, each with the suggested indicators,
department and the reasons, for the clerk to accept, redirect or ignore in bulk, mostly
from the keyboard; and the health of every watched folder.

Widgets only: they show the read models they are given (storage.readmodels.InboxItem,
FolderHealth) and emit what the clerk asked for; desktop/controllers.py does the work.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QKeyEvent, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from storage.readmodels import DutyRow, FolderHealth, IndicatorNode

if TYPE_CHECKING:  # defined in storage.watch; importing it at start-up costs ~0.1 s
    from storage.readmodels import InboxItem

from ui import texts
from ui.models import STATE_COLOURS, Column, RowTableModel, fold
from ui.qtfix import emit

_RIGHT = Qt.AlignmentFlag.AlignRight


# --- what a suggestion says, in words ---------------------------------------------------------


def suggested_indicators(item: InboxItem) -> list[dict]:
    return [i for i in (item.suggestion or {}).get("indicators", []) if isinstance(i, dict)]


def suggestion_text(item: InboxItem) -> str:
    inds = suggested_indicators(item)
    return "；".join(f"{i.get('code', '')} {i.get('title', '')}".strip() for i in inds) or "（无建议指标）"


def reason_text(item: InboxItem) -> str:
    if item.state == "failed":
        return item.reason
    reasons = [str(r) for r in (item.suggestion or {}).get("reasons", []) if r]
    return "；".join(reasons) or item.reason.split(" (")[0]


def confidence_text(item: InboxItem) -> str:
    c = item.confidence
    return "" if c is None else f"{round(100 * c)}%"


class InboxItemModel(RowTableModel):
    columns = (
        Column("文件", lambda r: r.name + (f"（来自压缩包 {r.from_zip.replace(chr(92), '/').rsplit('/', 1)[-1]}）"
                                          if r.from_zip else "")),
        Column("建议指标", suggestion_text),
        Column("建议单位", lambda r: (r.suggestion or {}).get("department") or r.folder_department),
        Column("依据", reason_text),
        Column("把握", confidence_text, sort_key=lambda r: r.confidence or 0, align=_RIGHT),
        Column("来源文件夹", lambda r: r.folder),
        Column("发现时间", lambda r: texts.datetime_text(r.detected_at)),
        Column("状态", lambda r: texts.INBOX_STATE.get(r.state, r.state),
               colour=lambda r: STATE_COLOURS["overdue"] if r.state == "failed" else None),
    )


class FolderHealthModel(RowTableModel):
    columns = (
        Column("监视文件夹", lambda f: f.path),
        Column("单位", lambda f: f.department),
        Column("状态", lambda f: folder_state_text(f),
               colour=lambda f: STATE_COLOURS["overdue"] if not f.online else (
                   STATE_COLOURS["partial"] if f.mode == "polling" else STATE_COLOURS["done"])),
        Column("上次完整扫描", lambda f: texts.datetime_text(f.last_full_scan) or "尚未扫描"),
        Column("待处理", lambda f: f.pending, align=_RIGHT),
        Column("说明", lambda f: f.message.split(" (")[0]),  # the Chinese half of "中文 (English)"
    )


def folder_state_text(f: FolderHealth) -> str:
    if not f.enabled:
        return "已停用"
    if not f.online:
        return "离线"
    return "在线（轮询）" if f.mode == "polling" else "在线"


def badge_icon(n: int, colour: str = "#d9534f") -> QIcon:
    """A round red badge with the number `n` (an empty icon for 0)."""
    if n <= 0:
        return QIcon()
    text = str(n) if n < 100 else "99+"
    scale = 2
    w, h = (20 if len(text) < 3 else 28) * scale, 20 * scale
    pix = QPixmap(w, h)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(colour))
    p.drawRoundedRect(QRectF(0, 0, w, h), h / 2, h / 2)
    f = QFont()
    f.setBold(True)
    f.setPixelSize(int(h * (0.62 if len(text) < 3 else 0.52)))
    p.setFont(f)
    p.setPen(QColor("white"))
    p.drawText(QRectF(0, 0, w, h), int(Qt.AlignmentFlag.AlignCenter), text)
    p.end()
    return QIcon(pix)


# --- picking where files go instead of the suggestion -------------------------------------------


class PickTargetDialog(QDialog):
    """Choose an indicator or a duty (responsibility-table row) for the selected files.

    After `accepted`: `choice` is ("indicator", id) or ("duty", id).
    """

    def __init__(self, nodes: list[IndicatorNode], duties: list[DutyRow], count: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("改为其他指标或任务")
        self.resize(560, 520)
        self.choice: tuple[str, int] | None = None
        self.filter = QLineEdit(placeholderText="输入编号或文字筛选，如 2.1 或 宣传")
        self.filter.setClearButtonEnabled(True)
        self.indicators = QListWidget()
        self.duties = QListWidget()
        for n in nodes:
            item = QListWidgetItem("　" * (n.level - 1) + f"{n.code} {n.title}".strip()
                                   + ("" if n.is_leaf else "（上级指标）"))
            item.setData(Qt.ItemDataRole.UserRole, ("indicator", n.id))
            item.setData(Qt.ItemDataRole.UserRole + 1, fold(f"{n.code} {n.title}"))
            self.indicators.addItem(item)
        for d in duties:
            lead = "、".join(d.lead)
            item = QListWidgetItem(f"{d.indicator_code} {d.task}" + (f"（牵头：{lead}）" if lead else ""))
            item.setData(Qt.ItemDataRole.UserRole, ("duty", d.id))
            item.setData(Qt.ItemDataRole.UserRole + 1, fold(f"{d.indicator_code} {d.task} {lead}"))
            self.duties.addItem(item)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.indicators, "指标")
        self.tabs.addTab(self.duties, "责任任务（同时关联其指标）")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("关联到所选")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        self.message = QLabel(f"为选中的 {count} 个文件选择指标或任务，确认后即接收。")
        self.message.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.message)
        lay.addWidget(self.filter)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(buttons)
        self.filter.textChanged.connect(self._apply_filter)
        for lst in (self.indicators, self.duties):
            lst.itemDoubleClicked.connect(lambda *_: self._ok())

    def select(self, kind: str, target_id: int) -> bool:
        """Select an entry by (kind, id) (keyboard users type and use the arrows)."""
        lst = self.indicators if kind == "indicator" else self.duties
        for i in range(lst.count()):
            if lst.item(i).data(Qt.ItemDataRole.UserRole) == (kind, target_id):
                self.tabs.setCurrentWidget(lst)
                lst.setCurrentRow(i)
                return True
        return False

    def _apply_filter(self, text: str) -> None:
        f = fold(text)
        for lst in (self.indicators, self.duties):
            first = None
            for i in range(lst.count()):
                item = lst.item(i)
                hide = bool(f) and f not in item.data(Qt.ItemDataRole.UserRole + 1)
                item.setHidden(hide)
                if not hide and first is None:
                    first = i
            if f and first is not None:
                lst.setCurrentRow(first)

    def _ok(self) -> None:
        lst = self.tabs.currentWidget()
        item = lst.currentItem() if isinstance(lst, QListWidget) else None
        if item is None or item.isHidden():
            self.message.setText("请先在列表中选择一个指标或任务")
            return
        kind, tid = item.data(Qt.ItemDataRole.UserRole)
        self.choice = (kind, int(tid))
        self.accept()


# --- the view -----------------------------------------------------------------------------------


class InboxTable(QTableView):
    """The inbox list; Enter accepts, Delete ignores, F2 (or Ctrl+E) changes the target."""

    accept_key = Signal()
    ignore_key = Signal()
    change_key = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            emit(self.accept_key)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            emit(self.ignore_key)
        elif key == Qt.Key.Key_F2 or (key == Qt.Key.Key_E and mods & Qt.KeyboardModifier.ControlModifier):
            emit(self.change_key)
        else:
            super().keyPressEvent(event)


class InboxView(QWidget):
    """Files found in the watched folders, waiting for the clerk, and the folders' health.

    Signals:
        accept_requested([entry ids]): accept with the suggested indicators/department.
        accept_to_requested([entry ids], kind, target id): accept to an indicator or duty
            the clerk picked instead (kind: indicator | duty).
        ignore_requested([entry ids]): the files are not evidence (their items go to trash).
        rescan_requested(): scan the watched folders now.
    """

    accept_requested = Signal(list)
    accept_to_requested = Signal(list, str, int)
    ignore_requested = Signal(list)
    rescan_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = InboxItemModel(self)
        self.folders_model = FolderHealthModel(self)
        self._nodes: list[IndicatorNode] = []
        self._duties: list[DutyRow] = []
        self.picker: PickTargetDialog | None = None

        self.heading = QLabel("")
        f = self.heading.font()
        f.setBold(True)
        self.heading.setFont(f)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = InboxTable()
        t = self.table
        t.setModel(self.model)
        t.verticalHeader().setVisible(False)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setAlternatingRowColors(True)
        t.setWordWrap(False)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        t.horizontalHeader().setStretchLastSection(True)
        for col, w in enumerate((230, 230, 110, 330, 50, 200, 120)):
            t.setColumnWidth(col, w)
        t.setToolTip(texts.INBOX_KEYS_TIP)

        self.empty = QLabel(
            "收件箱是空的。\n\n添加各单位报送材料的共享文件夹（监视文件夹）后，"
            "新放入的文件会出现在这里，附带建议关联的指标和单位。\n"
            "也可以直接把文件拖到“指标与材料”页面左侧的指标上存档。"
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)

        def button(text: str, tip: str) -> QPushButton:
            b = QPushButton(text)
            b.setToolTip(tip)
            return b

        self.accept_btn = button("接受建议（Enter）", "把选中的文件关联到建议的指标、任务和单位（快捷键 Enter）")
        self.change_btn = button("改为…（F2）", "为选中的文件另选指标或责任任务后接收（快捷键 F2 或 Ctrl+E）")
        self.ignore_btn = button("忽略（Delete）",
                                 "选中的文件不是佐证材料：移出收件箱，文件保留在存储区（快捷键 Delete）")
        self.select_all_btn = button("全选（Ctrl+A）", "选中收件箱中的全部文件（快捷键 Ctrl+A）")
        self.rescan_btn = button("立即扫描", "马上完整扫描所有监视文件夹（平时每 5 分钟自动扫描一次，新文件随时发现）")
        bar = QHBoxLayout()
        bar.addWidget(self.heading, 1)
        for b in (self.select_all_btn, self.accept_btn, self.change_btn, self.ignore_btn):
            bar.addWidget(b)

        self.folders = QTableView()
        self.folders.setModel(self.folders_model)
        self.folders.verticalHeader().setVisible(False)
        self.folders.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.folders.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.folders.horizontalHeader().setStretchLastSection(True)
        for col, w in enumerate((330, 120, 90, 130, 60)):
            self.folders.setColumnWidth(col, w)
        self.folders_note = QLabel("")
        self.folders_note.setWordWrap(True)
        folders_box = QGroupBox("监视文件夹状态")
        fl = QVBoxLayout(folders_box)
        top = QHBoxLayout()
        top.addWidget(self.folders_note, 1)
        top.addWidget(self.rescan_btn)
        fl.addLayout(top)
        fl.addWidget(self.folders)

        upper = QWidget()
        ul = QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)
        ul.addLayout(bar)
        ul.addWidget(self.message)
        ul.addWidget(self.stack, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(folders_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([600, 200])
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)

        self.accept_btn.clicked.connect(self.accept_selected)
        self.change_btn.clicked.connect(self.change_selected)
        self.ignore_btn.clicked.connect(self.ignore_selected)
        self.select_all_btn.clicked.connect(self._select_all)
        self.rescan_btn.clicked.connect(lambda: emit(self.rescan_requested))
        t.accept_key.connect(self.accept_selected)
        t.ignore_key.connect(self.ignore_selected)
        t.change_key.connect(self.change_selected)
        t.selectionModel().selectionChanged.connect(self._update_buttons)
        # the same shortcuts when the focus is on the buttons rather than the list
        for keys, slot in ((("F2", "Ctrl+E"), self.change_selected),):
            act = QAction(self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
        self.set_items([])
        self.set_folders([])

    # -- content ---------------------------------------------------------------------------
    def set_items(self, items: list[InboxItem]) -> None:
        keep = set(self.selected_ids())
        had_focus = self.table.hasFocus()
        self.model.set_rows(items)
        pending = sum(1 for i in items if i.state == "pending")
        failed = len(items) - pending
        self.heading.setText(
            (f"待处理 {pending} 个文件" + (f"，读取失败 {failed} 个" if failed else "")) if items else "收件箱是空的")
        self.stack.setCurrentIndex(1 if items else 0)
        sel = self.table.selectionModel()
        rows = [n for n, r in enumerate(items) if r.id in keep]
        if rows:
            self.table.selectRow(rows[0])
            for n in rows[1:]:
                sel.select(self.model.index(n, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
        elif items:
            self.table.selectRow(0)  # ready for the next Enter
        if had_focus or items:
            self.table.setFocus()
        self._update_buttons()

    def items(self) -> list[InboxItem]:
        return self.model.rows()

    def set_folders(self, folders: list[FolderHealth]) -> None:
        self.folders_model.set_rows(folders)
        if not folders:
            self.folders_note.setText("尚未设置监视文件夹（在“设置”中添加各单位报送材料的共享文件夹）")
            return
        offline = sum(1 for f in folders if not f.online)
        polling = sum(1 for f in folders if f.online and f.mode == "polling")
        parts = [f"监视 {len(folders)} 个文件夹"]
        if offline:
            parts.append(f"{offline} 个离线（恢复后自动继续，离线期间的文件不会丢）")
        if polling:
            parts.append(f"{polling} 个用轮询方式监视")
        self.folders_note.setText("，".join(parts))

    def set_choices(self, nodes: list[IndicatorNode], duties: list[DutyRow]) -> None:
        """What "改为…" offers: the indicator tree and the responsibility-table rows."""
        self._nodes, self._duties = list(nodes), list(duties)

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #a94442;" if error else "")

    # -- selection and actions ------------------------------------------------------------------
    def selected_items(self) -> list[InboxItem]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [r for r in (self.model.row(n) for n in rows) if r is not None]

    def selected_ids(self) -> list[int]:
        return [r.id for r in self.selected_items()]

    def _select_all(self) -> None:
        self.table.selectAll()
        self.table.setFocus()

    def _update_buttons(self, *_: Any) -> None:
        items = self.selected_items()
        pending = [i for i in items if i.state == "pending"]
        self.accept_btn.setEnabled(bool(pending))
        self.change_btn.setEnabled(bool(pending))
        self.ignore_btn.setEnabled(bool(items))
        self.select_all_btn.setEnabled(self.model.rowCount() > 0)

    def _pending_selection(self, what: str) -> list[int]:
        items = self.selected_items()
        ids = [i.id for i in items if i.state == "pending"]
        if not items:
            self.show_message("请先选择文件（Ctrl+A 全选）")
        elif not ids:
            self.show_message(f"选中的文件读取失败，不能{what}；请检查原因后忽略，或等待自动重试", error=True)
        elif len(ids) < len(items):
            self.show_message(f"有 {len(items) - len(ids)} 个读取失败的文件未{what}")
        else:
            self.show_message("")
        return ids

    def accept_selected(self) -> None:
        ids = self._pending_selection("接收")
        if ids:
            emit(self.accept_requested, ids)

    def ignore_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.show_message("请先选择文件（Ctrl+A 全选）")
            return
        self.show_message("")
        emit(self.ignore_requested, ids)

    def change_selected(self) -> PickTargetDialog | None:
        ids = self._pending_selection("接收")
        if not ids:
            return None
        dlg = PickTargetDialog(self._nodes, self._duties, len(ids), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        first = self.selected_items()[0]
        sugg = suggested_indicators(first)
        if sugg:
            dlg.select("indicator", int(sugg[0]["id"]))

        def chosen() -> None:
            if dlg.choice is not None:
                emit(self.accept_to_requested, ids, dlg.choice[0], dlg.choice[1])

        def forget() -> None:
            self.picker = None

        dlg.accepted.connect(chosen)
        dlg.finished.connect(forget)
        self.picker = dlg
        dlg.open()
        dlg.filter.setFocus()
        return dlg
