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
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
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
from storage.readmodels.review import RectificationItem

if TYPE_CHECKING:  # defined in storage.watch; importing it at start-up costs ~0.1 s
    from storage.readmodels import InboxItem

from ui import texts
from ui.models import STATE_COLOURS, Column, RowTableModel, fold
from ui.qtfix import emit

_RIGHT = Qt.AlignmentFlag.AlignRight


# --- what a suggestion says, in words ---------------------------------------------------------


SURE, MAYBE, UNSURE = "把握较高", "可参考", "无把握"
CERTAINTY_COLOURS = {SURE: QColor("#3c763d"), MAYBE: QColor("#8a6d3b"), UNSURE: QColor("#777777")}
CERTAINTY_TIP = ("把握较高：与指标的字词或已归档的同类材料高度吻合，按 Ctrl+Enter 可一次接收全部；"
                 "可参考：请核对后接收；无把握：不会自动接收，请按 F2 选择指标。\n"
                 "括号里的百分比是这条建议的把握程度，依据三样东西算出：文件的标题、文号和正文里"
                 "与该指标名称、考核要点相同的字词；与您已接收或改过的同类材料的相似程度；"
                 "文件所在的文件夹和报送单位。80% 及以上为把握较高（在已标注的材料上约 97% 正确），"
                 "20% 以下为无把握。它不是概率，您接收或改正得越多，建议越准。")
META_FIELDS = (("title", "标题"), ("doc_number", "文号"), ("issuing_body", "发文机关"),
               ("issue_date", "成文日期"))


def suggested_indicators(item: InboxItem) -> list[dict]:
    """What accepting without a choice links (the confident suggestions), best first."""
    return [i for i in (item.suggestion or {}).get("indicators", []) if isinstance(i, dict)]


def top_three(item: InboxItem) -> list[dict]:
    """The best three indicators with their certainty and reason (older entries: the
    suggested indicators)."""
    top = [i for i in (item.suggestion or {}).get("top", []) if isinstance(i, dict)]
    return (top or suggested_indicators(item))[:3]


def has_suggestion(item: InboxItem) -> bool:
    """Whether Enter has an indicator to accept this file to."""
    return item.state == "pending" and bool(suggested_indicators(item))


def certainty(item: InboxItem) -> str:
    """把握较高 / 可参考 / 无把握 of the best suggestion."""
    if not has_suggestion(item):
        return UNSURE
    word = (item.suggestion or {}).get("certainty")
    return word if word in (SURE, MAYBE, UNSURE) else MAYBE


def _one(i: dict) -> str:
    title = str(i.get("title", ""))
    title = title if len(title) <= 16 else title[:15] + "…"
    word = i.get("certainty") or ""
    return f"{i.get('code', '')} {title}".strip() + (f"〔{word}〕" if word else "")


SKIPPED_PREFIX = "已跳过："


def is_skipped(item: InboxItem) -> bool:
    """A link or special file the watcher shows but never reads (storage/watch: a failed
    entry whose reason starts 已跳过：); nothing to choose, only to ignore."""
    return item.state == "failed" and item.reason.startswith(SKIPPED_PREFIX)


def suggestion_text(item: InboxItem) -> str:
    if is_skipped(item):
        return "（不读取，不能接收；可按 Delete 忽略）"
    if item.state == "failed":
        return "（读取失败，见原因）"
    top = top_three(item)
    if not top or not has_suggestion(item) and all(i.get("certainty") == UNSURE for i in top):
        return "（无建议指标，按 F2 选择）" + ("；可能：" + "、".join(_one(i) for i in top) if top else "")
    return "；".join(_one(i) for i in top)


def suggestion_tip(item: InboxItem) -> str:
    """What each of the top three is based on: the phrases found, or the filed document."""
    lines = []
    for n, i in enumerate(top_three(item), 1):
        conf = i.get("confidence")
        pct = f"，{round(100 * float(conf))}%" if isinstance(conf, int | float) else ""
        why = str(i.get("reason") or "")
        if not why:
            parts = []
            if i.get("phrases"):
                parts.append("文件含「" + "」「".join(map(str, i["phrases"])) + "」")
            ex = i.get("example")
            if isinstance(ex, dict) and ex.get("title"):
                parts.append(f"与已归档的《{ex['title']}》相似")
            why = "；".join(parts) or "依据文件名和文件夹"
        lines.append(f"{n}. {i.get('code', '')} {i.get('title', '')}（{i.get('certainty') or MAYBE}{pct}）\n   {why}")
    if not lines:
        return "没有找到相符的指标：请按 F2 选择指标"
    return "\n".join(lines) + "\n\n" + CERTAINTY_TIP


def meta_value(item: InboxItem, field: str) -> str:
    """The metadata read from the file: the suggestion's value, else what the 红头 says."""
    s = item.suggestion or {}
    dm = s.get("docmeta") or {}
    other = {"issuing_body": "issuer"}.get(field, field)
    return str(s.get(field) or (dm.get(other) if isinstance(dm, dict) else "") or "")


def reason_text(item: InboxItem) -> str:
    if item.state == "failed":
        return item.reason
    reasons = [str(r) for r in (item.suggestion or {}).get("reasons", []) if r]
    return "；".join(reasons) or item.reason.split(" (")[0]


def confidence_text(item: InboxItem) -> str:
    c = item.confidence
    return "" if c is None else f"{round(100 * c)}%"


class InboxItemModel(RowTableModel):
    """The inbox rows; the metadata columns show the clerk's edits over what was read."""

    SUGGESTION_COL, CERTAINTY_COL = 1, 2
    META_COL = {3: "title", 4: "doc_number", 5: "issuing_body", 6: "issue_date"}
    columns = (
        Column("文件", lambda r: r.name + (f"（来自压缩包 {r.from_zip.replace(chr(92), '/').rsplit('/', 1)[-1]}）"
                                          if r.from_zip else "")
               + (f"〔{texts.READ_STATE[r.read_state]}〕" if r.read_state in texts.READ_STATE else "")),
        Column("建议指标（前三）", suggestion_text),
        Column("把握", lambda r: certainty(r) if r.state == "pending" else "",
               sort_key=lambda r: r.confidence or 0, colour=lambda r: CERTAINTY_COLOURS.get(certainty(r))),
        Column("标题", lambda r: meta_value(r, "title")),
        Column("文号", lambda r: meta_value(r, "doc_number")),
        Column("发文机关", lambda r: meta_value(r, "issuing_body")),
        Column("成文日期", lambda r: meta_value(r, "issue_date")),
        Column("建议单位", lambda r: (r.suggestion or {}).get("department") or r.folder_department),
        Column("依据", reason_text),
        Column("来源文件夹", lambda r: r.folder),
        Column("发现时间", lambda r: texts.datetime_text(r.detected_at)),
        Column("状态", lambda r: texts.INBOX_STATE.get(r.state, r.state),
               colour=lambda r: STATE_COLOURS["overdue"] if r.state == "failed" else None),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.edits: dict[int, dict[str, str]] = {}   # entry id → the fields the clerk changed

    def value(self, item: InboxItem, field: str) -> str:
        """A metadata field as it will be saved: the clerk's edit, else what was read."""
        return self.edits.get(item.id, {}).get(field, meta_value(item, field))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                and section in (self.SUGGESTION_COL, self.CERTAINTY_COL)):
            return CERTAINTY_TIP  # what the words and the percentages are based on
        return super().headerData(section, orientation, role)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() < self.rowCount():
            item, col = self.row(index.row()), index.column()
            if role == Qt.ItemDataRole.ToolTipRole and col in (self.SUGGESTION_COL, self.CERTAINTY_COL):
                return suggestion_tip(item)
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and col in self.META_COL:
                return self.value(item, self.META_COL[col])
        return super().data(index, role)

    def set_edit(self, entry_id: int, field: str, value: str) -> None:
        """Remember the clerk's correction of one field (sent with the acceptance)."""
        self.edits.setdefault(entry_id, {})[field] = value
        for n, r in enumerate(self.rows()):
            if r.id == entry_id:
                self.dataChanged.emit(self.index(n, 3), self.index(n, 6))

    def edits_for(self, ids: list[int]) -> dict[int, dict[str, str]]:
        """The metadata to save with each accepted file: what the list shows (read from the
        file, or the clerk's edit); a field left empty that the clerk did not clear is not
        sent (it keeps what the item has), an empty title never."""
        out: dict[int, dict[str, str]] = {}
        rows = {r.id: r for r in self.rows()}
        for i in ids:
            if i not in rows:
                continue
            edited = self.edits.get(i, {})
            values = {f: self.value(rows[i], f) for f, _ in META_FIELDS}
            values = {f: v for f, v in values.items() if (v or f in edited) and (v or f != "title")}
            if values:
                out[i] = values
        return out


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
    """Choose an indicator, a duty (responsibility-table row) or an open rectification item
    (整改事项: the files become its evidence of rectification) for the selected files.

    After `accepted`: `choice` is ("indicator", id), ("duty", id) or ("rectify", id).
    """

    def __init__(self, nodes: list[IndicatorNode], duties: list[DutyRow], count: int,
                 parent: QWidget | None = None, suggested: list[dict] | None = None,
                 rectify: list[RectificationItem] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("改为其他指标或任务")
        self.resize(560, 520)
        self.choice: tuple[str, int] | None = None
        self.filter = QLineEdit(placeholderText="输入编号或文字筛选，如 2.1 或 宣传")
        self.filter.setClearButtonEnabled(True)
        self.indicators = QListWidget()
        self.duties = QListWidget()
        for rank, s in enumerate(suggested or [], 1):  # the top three first: Enter takes the first
            word = s.get("certainty") or MAYBE
            item = QListWidgetItem(f"建议{rank}：{s.get('code', '')} {s.get('title', '')}（{word}）")
            item.setData(Qt.ItemDataRole.UserRole, ("indicator", int(s["id"])))
            item.setData(Qt.ItemDataRole.UserRole + 1, fold(f"{s.get('code', '')} {s.get('title', '')}"))
            item.setToolTip(str(s.get("reason") or ""))
            self.indicators.addItem(item)
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
        self.rectify = QListWidget()
        for r in rectify or []:
            codes = "、".join(i.code for i in r.indicators if i.code)
            item = QListWidgetItem(f"{r.number}. {r.problem}" + (f"（{codes}）" if codes else "")
                                   + f"［{r.status}］")
            item.setData(Qt.ItemDataRole.UserRole, ("rectify", r.id))
            item.setData(Qt.ItemDataRole.UserRole + 1, fold(f"{r.number} {r.problem} {codes} "
                                                            f"{' '.join(r.lead_departments)}"))
            item.setToolTip(r.problem)
            self.rectify.addItem(item)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.indicators, "指标")
        self.tabs.addTab(self.duties, "责任任务（同时关联其指标）")
        self.tabs.addTab(self.rectify, "整改事项（作为整改证明材料）")
        self.tabs.setTabEnabled(2, self.rectify.count() > 0)    # no open items: nothing to pick
        self.tabs.setTabToolTip(2, "把文件作为这项整改事项的证明材料接收，同时关联到它的指标"
                                if self.rectify.count() else "没有未完成的整改事项")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("关联到所选")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        self.message = QLabel(f"为选中的 {count} 个文件选择指标、任务或整改事项，确认后即接收。")
        self.message.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.message)
        lay.addWidget(self.filter)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(buttons)
        self.filter.textChanged.connect(self._apply_filter)
        for lst in (self.indicators, self.duties, self.rectify):
            lst.itemDoubleClicked.connect(lambda *_: self._ok())
        self.filter.installEventFilter(self)

    def eventFilter(self, obj: Any, event: Any) -> bool:
        """Up/Down in the filter box move in the list, so the clerk types and picks without
        leaving it (Enter confirms)."""
        if obj is self.filter and event.type() == event.Type.KeyPress and event.key() in (
                Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            lst = self.tabs.currentWidget()
            if isinstance(lst, QListWidget):
                QApplication.sendEvent(lst, QKeyEvent(event.type(), event.key(), event.modifiers()))
                return True
        return super().eventFilter(obj, event)

    def select(self, kind: str, target_id: int) -> bool:
        """Select an entry by (kind, id) (keyboard users type and use the arrows)."""
        lst = {"indicator": self.indicators, "duty": self.duties}.get(kind, self.rectify)
        for i in range(lst.count()):
            if lst.item(i).data(Qt.ItemDataRole.UserRole) == (kind, target_id):
                self.tabs.setCurrentWidget(lst)
                lst.setCurrentRow(i)
                return True
        return False

    def _apply_filter(self, text: str) -> None:
        f = fold(text)
        for lst in (self.indicators, self.duties, self.rectify):
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
            self.message.setText("请先在列表中选择一个指标、任务或整改事项")
            return
        kind, tid = item.data(Qt.ItemDataRole.UserRole)
        self.choice = (kind, int(tid))
        self.accept()


# --- the view -----------------------------------------------------------------------------------


class InboxTable(QTableView):
    """The inbox list; Enter accepts, Delete ignores, F2 (or Ctrl+E) changes the target."""

    accept_key = Signal()
    accept_sure_key = Signal()
    ignore_key = Signal()
    change_key = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods & Qt.KeyboardModifier.ControlModifier:
            emit(self.accept_sure_key)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            emit(self.accept_key)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            emit(self.ignore_key)
        elif key == Qt.Key.Key_F2 or (key == Qt.Key.Key_E and mods & Qt.KeyboardModifier.ControlModifier):
            emit(self.change_key)
        else:
            super().keyPressEvent(event)


class InboxView(QWidget):
    """Files found in the watched folders, waiting for the clerk, and the folders' health.

    Keys: Enter accepts the selected rows' suggestion (a row without one asks for an
    indicator); Ctrl+Enter accepts every 把握较高 row; F2 picks another of the top three or
    any indicator (a correction that teaches). After either, the next row is selected.

    Signals:
        accept_requested([entry ids], {entry id: {field: value}}): accept with the suggested
            indicators/department, with the metadata the clerk corrected.
        accept_to_requested([entry ids], kind, target id, edits): accept to an indicator,
            duty or rectification item the clerk picked instead (kind: indicator | duty | rectify).
        ignore_requested([entry ids]): the files are not evidence (their items go to trash).
        rescan_requested(): scan the watched folders now.
    """

    accept_requested = Signal(list, object)
    accept_to_requested = Signal(list, str, int, object)
    ignore_requested = Signal(list)
    rescan_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = InboxItemModel(self)
        self.folders_model = FolderHealthModel(self)
        self._nodes: list[IndicatorNode] = []
        self._duties: list[DutyRow] = []
        self._rectify: list[RectificationItem] = []
        self.picker: PickTargetDialog | None = None
        self._accepting: set[int] = set()       # ids sent to be accepted, still on the list
        self._after: tuple[list[int], int] = ([], 0)  # what to select when they are gone

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
        for col, w in enumerate((200, 330, 64, 220, 130, 110, 80, 100, 260, 160, 110)):
            t.setColumnWidth(col, w)
        t.setToolTip(texts.INBOX_KEYS_TIP + "；Ctrl+Enter 接受全部把握较高的文件")

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
        self.accept_sure_btn = button("接受全部把握较高（Ctrl+Enter）",
                                      "把建议为“把握较高”的文件全部接收到各自的第一个建议指标，其余留待核对")
        self.rescan_btn = button("立即扫描", "马上完整扫描所有监视文件夹（平时每 5 分钟自动扫描一次，新文件随时发现）")
        bar = QHBoxLayout()
        bar.addWidget(self.heading, 1)
        for b in (self.select_all_btn, self.accept_sure_btn, self.accept_btn, self.change_btn, self.ignore_btn):
            bar.addWidget(b)
        self.meta_box = self._meta_panel()

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
        ul.addWidget(self.meta_box)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(folders_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([600, 200])
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)

        self.accept_btn.clicked.connect(self.accept_selected)
        self.accept_sure_btn.clicked.connect(self.accept_sure)
        t.accept_sure_key.connect(self.accept_sure)
        self.change_btn.clicked.connect(self.change_selected)
        self.ignore_btn.clicked.connect(self.ignore_selected)
        self.select_all_btn.clicked.connect(self._select_all)
        self.rescan_btn.clicked.connect(lambda: emit(self.rescan_requested))
        t.accept_key.connect(self.accept_selected)
        t.ignore_key.connect(self.ignore_selected)
        t.change_key.connect(self.change_selected)
        t.selectionModel().selectionChanged.connect(self._update_buttons)
        t.selectionModel().currentRowChanged.connect(self._show_meta)
        # the same shortcuts when the focus is on the buttons rather than the list
        for keys, slot in ((("F2", "Ctrl+E"), self.change_selected), (("Ctrl+Return", "Ctrl+Enter"), self.accept_sure)):
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
        skipped = sum(1 for i in items if is_skipped(i))
        failed = len(items) - pending - skipped
        self.heading.setText(
            (f"待处理 {pending} 个文件" + (f"，读取失败 {failed} 个" if failed else "")
             + (f"，已跳过 {skipped} 个（链接或特殊文件）" if skipped else "")) if items else "收件箱是空的")
        self.stack.setCurrentIndex(1 if items else 0)
        sel = self.table.selectionModel()
        ids = {r.id for r in items}
        if self._accepting and not (self._accepting & ids):   # they are filed: go on from there
            after, pos = self._after
            self._accepting, self._after = set(), ([], 0)
            keep = set(after)
            if not keep & ids and items:
                keep = {items[min(pos, len(items) - 1)].id}
        self.model.edits = {k: v for k, v in self.model.edits.items() if k in ids}
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
        self._show_meta()

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

    def set_choices(self, nodes: list[IndicatorNode], duties: list[DutyRow],
                    rectify: list[RectificationItem] | None = None) -> None:
        """What "改为…" offers: the indicator tree, the responsibility-table rows and the open
        rectification items (not 已完成)."""
        self._nodes, self._duties = list(nodes), list(duties)
        self._rectify = [r for r in rectify or [] if r.status != "已完成"]

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
        self.accept_sure_btn.setEnabled(any(certainty(i) == SURE for i in self.model.rows() if has_suggestion(i)))
        self.change_btn.setEnabled(bool(pending))
        self.ignore_btn.setEnabled(bool(items))
        self.select_all_btn.setEnabled(self.model.rowCount() > 0)

    def _pending_selection(self, what: str) -> list[int]:
        items = self.selected_items()
        ids = [i.id for i in items if i.state == "pending"]
        if not items:
            self.show_message("请先选择文件（Ctrl+A 全选）")
        elif not ids:
            if all(is_skipped(i) for i in items):
                self.show_message(f"选中的是链接或特殊文件，程序不读取，不能{what}；可按 Delete 忽略", error=True)
            else:
                self.show_message(f"选中的文件读取失败，不能{what}；请检查原因后忽略，或等待自动重试", error=True)
        elif len(ids) < len(items):
            self.show_message(f"有 {len(items) - len(ids)} 个读取失败的文件未{what}")
        else:
            self.show_message("")
        return ids

    def _move_on(self, ids: list[int], stay: list[int] | None = None) -> None:
        """Remember where the selection goes once `ids` are filed: the rows left behind
        (`stay`), else the row after the last of them, never back to the top."""
        rows = [n for n, r in enumerate(self.model.rows()) if r.id in set(ids)]
        after = [r.id for r in self.model.rows()[max(rows) + 1:] if r.id not in set(ids)] if rows else []
        self._accepting = set(ids)
        self._after = (list(stay) if stay else after[:1], (min(rows) if rows else 0))

    def accept_selected(self) -> None:
        """Enter: accept the selected rows that have a suggested indicator; a single row
        without one asks for an indicator (the F2 chooser), several leave those rows
        selected and say how many."""
        ids = self._pending_selection("接收")
        if not ids:
            return
        rows = {r.id: r for r in self.model.rows()}
        ready = [i for i in ids if has_suggestion(rows[i])]
        left = [i for i in ids if i not in ready]
        if not ready:
            if len(left) == 1:
                self.change_selected()
                self.show_message("这个文件没有建议指标：请选择指标后接收（Esc 取消）")
            else:
                self.show_message(f"选中的 {len(left)} 个文件都没有建议指标，未接收：请按 F2 为它们选择指标",
                                  error=True)
            return
        if left:
            self.show_message(f"接收 {len(ready)} 个文件；另有 {len(left)} 个没有建议指标，留在收件箱"
                              "（已选中，按 F2 选择指标）")
        self._move_on(ready, stay=left)
        emit(self.accept_requested, ready, self.model.edits_for(ready))

    def accept_sure(self) -> None:
        """Ctrl+Enter / 接受全部把握较高: every pending row whose suggestion is 把握较高."""
        rows = self.model.rows()
        sure = [r.id for r in rows if has_suggestion(r) and certainty(r) == SURE]
        left = sum(1 for r in rows if r.state == "pending") - len(sure)
        if not sure:
            self.show_message(f"没有把握较高的文件；{left} 个文件请逐个核对（Enter 接受建议，F2 改为其他指标）")
            return
        self.show_message(f"接收把握较高的 {len(sure)} 个文件；其余 {left} 个留在收件箱待核对" if left
                          else f"接收把握较高的 {len(sure)} 个文件，收件箱中没有其他待核对的文件")
        self._move_on(sure)
        emit(self.accept_requested, sure, self.model.edits_for(sure))

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
        first = next(i for i in self.selected_items() if i.id in ids)
        top = [i for i in top_three(first) if i.get("id") is not None]
        dlg = PickTargetDialog(self._nodes, self._duties, len(ids), self, suggested=top, rectify=self._rectify)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if top:
            dlg.indicators.setCurrentRow(0)

        def chosen() -> None:
            if dlg.choice is not None:
                self._move_on(ids)
                emit(self.accept_to_requested, ids, dlg.choice[0], dlg.choice[1], self.model.edits_for(ids))

        def forget() -> None:
            self.picker = None

        dlg.accepted.connect(chosen)
        dlg.finished.connect(forget)
        self.picker = dlg
        dlg.open()
        dlg.filter.setFocus()
        return dlg

    # -- the metadata read from the file, editable before accepting ------------------------------
    def _meta_panel(self) -> QGroupBox:
        """标题 on one line, 文号 / 发文机关 / 成文日期 on the next, 主送 after them."""
        box = QGroupBox("文件信息（从文件中读出，接收前可修改，接收时写入材料）")
        grid = QGridLayout(box)
        self.meta_edits: dict[str, QLineEdit] = {}
        places = {"title": (0, 0, 5), "doc_number": (1, 0, 1), "issuing_body": (1, 2, 1), "issue_date": (1, 4, 1)}
        for field, label in META_FIELDS:
            e = QLineEdit()
            e.setPlaceholderText("如 2023-09-15" if field == "issue_date" else f"未读出{label}")
            e.textEdited.connect(lambda text, f=field: self._meta_edited(f, text))
            self.meta_edits[field] = e
            row, col, span = places[field]
            grid.addWidget(QLabel(label), row, col)
            grid.addWidget(e, row, col + 1, 1, span)
        self.meta_addressees = QLabel("")
        grid.addWidget(QLabel("主送"), 2, 0)
        grid.addWidget(self.meta_addressees, 2, 1, 1, 5)
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)
        return box

    def _current_item(self) -> InboxItem | None:
        idx = self.table.currentIndex()
        return self.model.row(idx.row()) if idx.isValid() else None

    def _show_meta(self, *_: Any) -> None:
        item = self._current_item()
        editable = item is not None and item.state == "pending"
        for field, e in self.meta_edits.items():
            e.setText(self.model.value(item, field) if item is not None else "")
            e.setEnabled(editable)
        dm = (item.suggestion or {}).get("docmeta") if item is not None else None
        self.meta_addressees.setText("、".join(dm.get("addressees") or []) if isinstance(dm, dict) else "")

    def _meta_edited(self, field: str, text: str) -> None:
        item = self._current_item()
        if item is not None:
            self.model.set_edit(item.id, field, text.strip())
