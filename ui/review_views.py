"""The views of the cycle after a submission (issue 16): 整改 (rectification items) and 对照
(self score against the province's score). They show read models they are given
(storage.readmodels.review) and emit what the clerk asked for; desktop/window/review.py
loads and writes through the task runner.

RectifyView: the items in a table (status colours, overdue in red), filters by status and
department, a detail pane (problem, measures, deadline, status, progress, evidence; files
dropped on it are linked to the item), 导入省评结果… (the import dialog, ui/review_import.py)
and the buttons for the three documents and the rectification bundle (which asks whether to
seal it, as the application bundle's export offers).
CompareView: per indicator the self score beside the province's, lost points first; it has
the same 导入省评结果… button.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from storage.readmodels.review import (
    RECTIFY_SOURCE_OWN,
    RECTIFY_STATUSES,
    RectificationItem,
    ReviewScoreRow,
    below_full,
    below_self,
    lost_first,
)
from ui import texts
from ui.models import Column, RowTableModel
from ui.qtfix import emit

_RIGHT = Qt.AlignmentFlag.AlignRight
_CENTRE = Qt.AlignmentFlag.AlignHCenter
OVERDUE = QColor("#c9302c")
STATUS_COLOURS = {"未开始": QColor("#7f7f7f"), "整改中": QColor("#8a6d3b"),
                  "已完成": QColor("#3c763d"), "长期坚持": QColor("#31708f")}
LOST = QColor("#c9302c")
GAINED = QColor("#3c763d")
ALL = "全部"
OVERDUE_FILTER = "逾期"
# (kind, button text, tooltip) of the documents the 整改 view makes
EXPORTS = (
    ("plan", "整改方案（Word）…",
     "关于印发整改方案的通知：红头、正文和整改任务清单（问题、措施、牵头单位、配合单位、完成时限）"),
    ("ledger", "整改台账（Excel）…", "每项问题的状态、整改进展和证明材料，附完成情况统计，可直接打印"),
    ("report", "整改情况报告（Word）…", "逐项写明整改情况和状态，证明材料按整改材料包中的编号列出"),
    ("bundle", "导出整改材料包…", "三份文件和全部证明材料，按问题分文件夹编号，附清单并校验"),
)
IMPORT_TEXT = "导入省评结果…"
IMPORT_TIP = "导入省里反馈的评价得分表（Excel）或评价结果报告（Word）：先预览、更正对应指标，再导入"
SEAL_TEXT = "导出并封存"
EXPORT_ONLY_TEXT = "只导出"
SEAL_QUESTION = ("导出后是否封存本次整改材料包？\n封存会在档案库中保存所交的每个文件及其哈希，"
                 "以后可以比对、可以原样重新导出（“文件 → 已封存的提交…”）。")
EXPORT_NAMES = {"plan": "整改方案.docx", "ledger": "整改台账.xlsx", "report": "整改情况报告.docx",
                "bundle": "整改材料包"}


def _score(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def _diff(v: float | None) -> str:
    return "" if v is None else f"{v:+g}" if v else "0"


def deadline_label(item: RectificationItem) -> str:
    """The item's deadline as the table shows it (长期坚持 / 未定 when there is none)."""
    if item.deadline is not None:
        return texts.date_text(item.deadline)
    return "长期坚持" if item.status == "长期坚持" else "未定"


def _red_if_overdue(item: RectificationItem) -> QColor | None:
    return OVERDUE if item.overdue else None


class RectifyItemModel(RowTableModel):
    """The rectification items: 序号 | 存在问题 | 指标 | 牵头单位 | 完成时限 | 状态 | 材料."""

    columns = (
        Column("序号", lambda i: i.number, align=_RIGHT, colour=_red_if_overdue),
        Column("存在问题", lambda i: i.problem, colour=_red_if_overdue),
        Column("指标", lambda i: "；".join(f"{r.code} {r.title}".strip() for r in i.indicators)),
        Column("牵头单位", lambda i: "、".join(i.lead_departments)),
        Column("完成时限", lambda i: deadline_label(i) + ("（逾期）" if i.overdue else ""),
               colour=_red_if_overdue),
        Column("状态", lambda i: i.status, align=_CENTRE, colour=lambda i: STATUS_COLOURS.get(i.status)),
        Column("证明材料", lambda i: len(i.evidence) or "", align=_RIGHT),
    )


def _province_colour(r: ReviewScoreRow) -> QColor | None:
    return LOST if below_full(r) > 0 else None


def _diff_colour(r: ReviewScoreRow) -> QColor | None:
    if r.difference is None or r.difference == 0:
        return None
    return LOST if r.difference < 0 else GAINED


class CompareModel(RowTableModel):
    """代码 | 指标 | 分值 | 自评分 | 省评分 | 差值 | 扣分原因 | 存在问题."""

    columns = (
        Column("代码", lambda r: r.indicator.code),
        Column("指标", lambda r: r.indicator.title),
        Column("分值", lambda r: _score(r.max_score), align=_RIGHT),
        Column("自评分", lambda r: _score(r.self_score), align=_RIGHT),
        Column("省评分", lambda r: _score(r.province_score), align=_RIGHT, colour=_province_colour),
        Column("差值", lambda r: _diff(r.difference), align=_RIGHT, colour=_diff_colour),
        Column("扣分原因", lambda r: r.deduction_reason),
        Column("存在问题", lambda r: "；".join(r.problems)),
    )


def _table(model: RowTableModel, widths: tuple[int, ...]) -> QTableView:
    t = QTableView()
    t.setModel(model)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setAlternatingRowColors(True)
    t.setWordWrap(False)
    t.horizontalHeader().setStretchLastSection(True)
    for col, w in enumerate(widths):
        t.setColumnWidth(col, w)
    return t


def parse_deadline(text: str) -> dt.date | None:
    """The deadline field: YYYY-MM-DD, or empty for none. ValueError with a clerk's message."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"完成时限应写成 2026-12-31 这样的日期，或留空：{text}") from None


class RectifyDetail(QGroupBox):
    """One item: what the province found, what is done about it, and its evidence. Files
    dropped here are linked to the item as evidence of rectification.

    Signals:
        save_requested(item_id, changes): changes holds status, progress, measures and
            deadline (a date or None).
        files_dropped(item_id, [paths]): store these files and link them to the item.
        delete_requested(item_id): the clerk confirmed deleting an item added by hand.
    """

    save_requested = Signal(int, dict)
    files_dropped = Signal(int, list)
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("整改事项", parent)
        self.item: RectificationItem | None = None
        self.setAcceptDrops(True)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source = QLabel("")
        self.indicators = QLabel("")
        self.indicators.setWordWrap(True)
        self.departments = QLabel("")
        self.departments.setWordWrap(True)
        self.measures = QPlainTextEdit()
        self.measures.setPlaceholderText("整改措施：做什么、怎么做")
        self.measures.setMaximumHeight(80)
        self.deadline = QLineEdit()
        self.deadline.setPlaceholderText("YYYY-MM-DD，长期坚持的事项可留空")
        self.status = QComboBox()
        self.status.addItems(list(RECTIFY_STATUSES))
        self.progress = QPlainTextEdit()
        self.progress.setPlaceholderText("整改进展 / 完成情况：写进整改台账和整改情况报告")
        self.progress.setMaximumHeight(80)
        self.evidence = QListWidget()
        self.evidence.setToolTip("整改证明材料；把文件拖到这里即可添加")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.save_btn = QPushButton("保存")
        self.add_btn = QPushButton("添加证明材料…")
        self.add_btn.setToolTip("选择文件存入档案库并关联到此整改事项（也可以把文件拖到本栏）")
        self.delete_btn = QPushButton("删除此事项")
        self.delete_btn.setToolTip("只能删除自行添加（县自查）的事项；证明材料仍留在档案库中。"
                                   "省评发现的问题整改完毕后请把状态改为“已完成”")
        self.confirm_box: QMessageBox | None = None   # the delete question while it is open
        form = QFormLayout()
        form.addRow("存在问题：", self.problem)
        form.addRow("来源：", self.source)
        form.addRow("对应指标：", self.indicators)
        form.addRow("责任单位：", self.departments)
        form.addRow("整改措施：", self.measures)
        form.addRow("完成时限：", self.deadline)
        form.addRow("状态：", self.status)
        form.addRow("整改进展：", self.progress)
        form.addRow("证明材料：", self.evidence)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.delete_btn)
        buttons.addWidget(self.add_btn)
        buttons.addWidget(self.save_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(buttons)
        self.save_btn.clicked.connect(self._save)
        self.add_btn.clicked.connect(self._ask_files)
        self.delete_btn.clicked.connect(self.ask_delete)
        self.choose_files = self._file_dialog  # replaced in tests
        self.show_item(None)

    def show_item(self, item: RectificationItem | None) -> None:
        """Show `item` (None: nothing selected, the pane is disabled)."""
        self.item = item
        for w in (self.measures, self.deadline, self.status, self.progress, self.save_btn, self.add_btn):
            w.setEnabled(item is not None)
        self.delete_btn.setEnabled(item is not None and item.source == RECTIFY_SOURCE_OWN)
        self.message.setText("")
        self.evidence.clear()
        if item is None:
            self.setTitle("整改事项")
            for label in (self.problem, self.source, self.indicators, self.departments):
                label.setText("")
            self.measures.setPlainText("")
            self.deadline.setText("")
            self.progress.setPlainText("")
            self.problem.setText("选择左侧的一项问题，查看和填写整改情况")
            return
        self.setTitle(f"整改事项 {item.number}" + ("（已逾期）" if item.overdue else ""))
        self.problem.setText(item.problem)
        self.source.setText(item.source)
        self.indicators.setText("；".join(f"{r.code} {r.title}".strip() for r in item.indicators) or "（未关联指标）")
        lead = "、".join(item.lead_departments) or "（未定）"
        coop = "、".join(item.cooperating_departments)
        self.departments.setText(f"牵头：{lead}" + (f"；配合：{coop}" if coop else ""))
        self.measures.setPlainText(item.measures)
        self.deadline.setText(texts.date_text(item.deadline))
        self.deadline.setStyleSheet("color: #c9302c;" if item.overdue else "")
        self.status.setCurrentText(item.status)
        self.progress.setPlainText(item.progress)
        for e in item.evidence:
            number = f"{e.bundle_number} " if e.bundle_number else ""
            files = f"（{'、'.join(e.file_names)}）" if e.file_names else ""
            self.evidence.addItem(f"{number}{e.title}{files}")
        if not item.evidence:
            self.evidence.addItem("（还没有证明材料：把文件拖到这里）")

    def changes(self) -> dict[str, Any]:
        """What the pane holds now (raises ValueError for a deadline that is not a date)."""
        return {"status": self.status.currentText(), "progress": self.progress.toPlainText().strip(),
                "measures": self.measures.toPlainText().strip(),
                "deadline": parse_deadline(self.deadline.text())}

    def _save(self) -> None:
        if self.item is None:
            return
        try:
            changes = self.changes()
        except ValueError as e:
            self.message.setText(str(e))
            return
        self.message.setText("正在保存…")
        emit(self.save_requested, self.item.id, changes)

    def ask_delete(self) -> QMessageBox | None:
        """Ask before deleting the item shown (window-modal, not blocking)."""
        item = self.item
        if item is None or item.source != RECTIFY_SOURCE_OWN:
            return None
        if self.confirm_box is not None:
            self.confirm_box.close()
        n = len(item.evidence)
        kept = f"它的 {n} 份证明材料仍留在档案库中。" if n else ""
        box = QMessageBox(QMessageBox.Icon.Question, "删除整改事项",
                          f"删除整改事项 {item.number}“{item.problem[:40]}”？{kept}",
                          QMessageBox.StandardButton.NoButton, self)
        yes = box.addButton("删除", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(box.addButton("取消", QMessageBox.ButtonRole.RejectRole))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_button: object) -> None:
            if box.clickedButton() is yes:
                self.message.setText("正在删除…")
                emit(self.delete_requested, item.id)

        def forget() -> None:
            if self.confirm_box is box:
                self.confirm_box = None

        box.buttonClicked.connect(answered)
        box.finished.connect(lambda *_: forget())
        self.confirm_box = box
        box.open()
        return box

    def _ask_files(self) -> None:
        if self.item is None:
            return
        paths = self.choose_files()
        if paths:
            emit(self.files_dropped, self.item.id, list(paths))

    def _file_dialog(self) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self, "选择整改证明材料")
        return list(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.item is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.item is None:
            event.ignore()
            return
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.message.setText(f"正在添加 {len(paths)} 个文件…")
        emit(self.files_dropped, self.item.id, paths)


class RectifyView(QWidget):
    """The 整改 view: items, filters, the detail pane and the document buttons.

    Signals:
        save_requested(item_id, changes) and files_dropped(item_id, [paths]): from the pane.
        export_requested(kind, path): kind is plan | ledger | report.
        bundle_requested(path, seal): write the rectification bundle there (a folder, or a
            .zip), sealed when `seal` (the clerk answered the question after the path).
        import_requested(): 导入省评结果… was clicked.
        add_requested(): 添加事项… was clicked; delete_requested(item_id): from the pane.
    """

    save_requested = Signal(int, dict)
    files_dropped = Signal(int, list)
    export_requested = Signal(str, str)
    bundle_requested = Signal(str, bool)
    import_requested = Signal()
    add_requested = Signal()
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[RectificationItem] = []
        self.model = RectifyItemModel(self)
        self.table = _table(self.model, (44, 300, 150, 110, 120, 70, 60))
        self.detail = RectifyDetail()
        self.status_filter = QComboBox()
        self.status_filter.addItems([ALL, *RECTIFY_STATUSES, OVERDUE_FILTER])
        self.status_filter.setToolTip("只看某一状态的事项，或只看已逾期的")
        self.department_filter = QComboBox()
        self.department_filter.addItem(ALL)
        self.department_filter.setToolTip("只看某个单位牵头或配合的事项")
        self.summary = QLabel("")
        self.export_buttons: dict[str, QPushButton] = {}
        self.import_btn = QPushButton(IMPORT_TEXT)
        self.import_btn.setToolTip(IMPORT_TIP)
        self.new_btn = QPushButton("添加事项…")
        self.new_btn.setToolTip("添加县自查发现的问题，或评价报告没有写到的问题")
        self.seal_box: QMessageBox | None = None   # the seal question while it is open
        top = QHBoxLayout()
        top.addWidget(QLabel("状态："))
        top.addWidget(self.status_filter)
        top.addWidget(QLabel("单位："))
        top.addWidget(self.department_filter)
        top.addWidget(self.summary, 1)
        top.addWidget(self.new_btn)
        top.addWidget(self.import_btn)
        docs = QHBoxLayout()
        docs.addStretch(1)
        for kind, text, tip in EXPORTS:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(lambda _=False, k=kind: self._ask_export(k))
            self.export_buttons[kind] = b
            docs.addWidget(b)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([820, 520])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addLayout(docs)
        self.status_filter.currentTextChanged.connect(lambda *_: self._apply_filter())
        self.department_filter.currentTextChanged.connect(lambda *_: self._apply_filter())
        self.table.selectionModel().selectionChanged.connect(self._on_select)
        self.detail.save_requested.connect(lambda i, c: emit(self.save_requested, i, c))
        self.detail.files_dropped.connect(lambda i, p: emit(self.files_dropped, i, p))
        self.detail.delete_requested.connect(lambda i: emit(self.delete_requested, i))
        self.new_btn.clicked.connect(lambda: emit(self.add_requested))
        self.import_btn.clicked.connect(lambda: emit(self.import_requested))
        self.choose_path = self._save_dialog  # replaced in tests

    # -- data ----------------------------------------------------------------------------
    def set_items(self, items: Sequence[RectificationItem]) -> None:
        """Show `items`, keeping the filters and the selected item where they still apply."""
        keep = self.detail.item.id if self.detail.item is not None else None
        self._items = list(items)
        names = sorted({d for i in self._items for d in (*i.lead_departments, *i.cooperating_departments)})
        current = self.department_filter.currentText()
        self.department_filter.blockSignals(True)
        self.department_filter.clear()
        self.department_filter.addItems([ALL, *names])
        self.department_filter.setCurrentText(current if current in names else ALL)
        self.department_filter.blockSignals(False)
        for b in self.export_buttons.values():
            b.setEnabled(bool(self._items))
        self._apply_filter(keep)

    def items(self) -> list[RectificationItem]:
        return list(self._items)

    def shown(self) -> list[RectificationItem]:
        """The items the table shows (after the filters)."""
        return self.model.rows()

    def _apply_filter(self, keep: int | None = None) -> None:
        if keep is None and self.detail.item is not None:
            keep = self.detail.item.id
        status = self.status_filter.currentText()
        dept = self.department_filter.currentText()
        rows = [i for i in self._items
                if (status == ALL or (i.overdue if status == OVERDUE_FILTER else i.status == status))
                and (dept == ALL or dept in i.lead_departments or dept in i.cooperating_departments)]
        self.model.set_rows(rows)
        self.summary.setText(self._summary(rows))
        target = next((n for n, i in enumerate(rows) if i.id == keep), 0 if rows else None)
        if target is None:
            self.detail.show_item(None)
        else:
            self.table.selectionModel().select(
                self.model.index(target, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.setCurrentIndex(self.model.index(target, 0))

    def _summary(self, rows: list[RectificationItem]) -> str:
        if not self._items:
            return "还没有整改事项：导入省里的评价得分表或评价报告后，每个问题成为一项整改事项"
        done = sum(1 for i in self._items if i.status in ("已完成", "长期坚持"))
        overdue = sum(1 for i in self._items if i.overdue)
        shown = f"显示 {len(rows)} 项，" if len(rows) != len(self._items) else ""
        return f"{shown}共 {len(self._items)} 项，已完成（含长期坚持）{done} 项，逾期 {overdue} 项"

    def _on_select(self, *_: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.detail.show_item(self.model.row(rows[0].row()) if rows else None)

    def select_item(self, item_id: int) -> bool:
        """Select the item with this id if the table shows it."""
        for n, i in enumerate(self.model.rows()):
            if i.id == item_id:
                self.table.selectRow(n)
                return True
        return False

    def saved(self, text: str = "已保存") -> None:
        self.detail.message.setText(text)

    # -- documents -------------------------------------------------------------------------
    def _ask_export(self, kind: str) -> None:
        path = self.choose_path(kind, EXPORT_NAMES[kind])
        if not path:
            return
        if kind == "bundle":
            self.ask_seal(path)
        else:
            emit(self.export_requested, kind, path)

    def ask_seal(self, path: str) -> QMessageBox:
        """Ask whether to seal the bundle about to be written to `path` (window-modal, not
        blocking): 导出并封存 / 只导出 emit bundle_requested, 取消 nothing."""
        if self.seal_box is not None:
            self.seal_box.close()
        box = QMessageBox(QMessageBox.Icon.Question, "导出整改材料包", SEAL_QUESTION,
                          QMessageBox.StandardButton.NoButton, self)
        seal = box.addButton(SEAL_TEXT, QMessageBox.ButtonRole.AcceptRole)
        only = box.addButton(EXPORT_ONLY_TEXT, QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(only)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_button: object) -> None:
            clicked = box.clickedButton()
            if clicked is seal or clicked is only:
                emit(self.bundle_requested, path, clicked is seal)

        def forget() -> None:
            if self.seal_box is box:
                self.seal_box = None

        box.buttonClicked.connect(answered)
        box.finished.connect(lambda *_: forget())
        self.seal_box = box
        box.open()
        return box

    def _save_dialog(self, kind: str, name: str) -> str:
        if kind == "bundle":
            path, _ = QFileDialog.getSaveFileName(self, "整改材料包保存为（新文件夹名称，或 .zip）", name,
                                                  "文件夹或 zip (*)")
            return path
        filt = "Excel 工作簿 (*.xlsx)" if kind == "ledger" else "Word 文档 (*.docx)"
        path, _ = QFileDialog.getSaveFileName(self, "保存到", name, filt)
        return path


class CompareView(QWidget):
    """自评与省评对照: per indicator the self score beside the province's, lost points first.

    Signals:
        export_requested(path): write the compare sheet (.xlsx) there.
        indicator_activated(indicator_id): the clerk double-clicked an indicator.
        import_requested(): 导入省评结果… was clicked.
    """

    export_requested = Signal(str)
    indicator_activated = Signal(int)
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CompareModel(self)
        self.table = _table(self.model, (70, 220, 50, 60, 60, 60, 220))
        self.table.setWordWrap(True)
        self.summary = QLabel("")
        self.only_lost = QComboBox()
        self.only_lost.addItems(["全部指标", "只看失分指标"])
        self.export_btn = QPushButton("导出对照表（Excel）…")
        self.export_btn.setToolTip("自评分、省评分、差值、扣分原因和存在问题，失分指标在前，可直接打印")
        self.import_btn = QPushButton(IMPORT_TEXT)
        self.import_btn.setToolTip(IMPORT_TIP)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.only_lost)
        top.addWidget(self.import_btn)
        top.addWidget(self.export_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        self._rows: list[ReviewScoreRow] = []
        self.only_lost.currentIndexChanged.connect(lambda *_: self._show())
        self.export_btn.clicked.connect(self._ask_export)
        self.import_btn.clicked.connect(lambda: emit(self.import_requested))
        self.table.doubleClicked.connect(self._activated)
        self.choose_path = self._save_dialog  # replaced in tests

    def set_rows(self, rows: Sequence[ReviewScoreRow]) -> None:
        self._rows = lost_first(rows)
        self.export_btn.setEnabled(bool(self._rows))
        self._show()

    def _show(self) -> None:
        lost = [r for r in self._rows if below_self(r) or below_full(r) > 0]
        self.model.set_rows(lost if self.only_lost.currentIndex() == 1 else self._rows)
        if not self._rows:
            self.summary.setText("还没有省评分：导入省里返回的评价得分表后，这里逐项对照自评分和省评分")
            return
        own = sum(r.self_score for r in self._rows if r.self_score is not None)
        prov = sum(r.province_score for r in self._rows if r.province_score is not None)
        below = [r for r in self._rows if below_self(r)]
        gap = -sum(r.difference or 0.0 for r in below)
        self.summary.setText(f"自评合计 {own:g} 分，省评合计 {prov:g} 分；失分指标 {len(lost)} 个，"
                             f"其中低于自评 {len(below)} 个、共低 {gap:g} 分")

    def _activated(self, index: Any) -> None:
        r = self.model.row(index.row())
        if r is not None:
            emit(self.indicator_activated, r.indicator.id)

    def _ask_export(self) -> None:
        path = self.choose_path("自评与省评对照表.xlsx")
        if path:
            emit(self.export_requested, path)

    def _save_dialog(self, name: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "保存到", name, "Excel 工作簿 (*.xlsx)")
        return path


__all__ = ["CompareView", "RectifyDetail", "RectifyView", "lost_first", "parse_deadline"]
