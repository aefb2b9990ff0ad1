"""The import preview dialog: the indicator system, the responsibility table or the work plan.

The clerk picks a file; the dialog asks for a preview (a dry run of the real importer, run by
the controller off the GUI thread) and shows how the table was read: the sheet, the header
row, which column each role came from, the first rows of the sheet as they stand, the items
parsed, and the importer's warnings and problems. The clerk can pick another sheet or header
row and another column for any role, preview again, and then import for real (progress and
Cancel in the dialog); the report stays shown until the dialog is closed.

It never reads files or the archive itself: it emits what the clerk asked for and shows the
read models it is given (`ImportPreview`, `ImportReport` from storage.tables, used by their
attributes only).

Signals:
    file_chosen(str): a file was picked (the controller usually asks for a preview next).
    preview_requested(dict): options {"kind", "path", "sheet", "header_row", "mapping"
        {role: "B" | "B+C" | "-"}, "year"}: run a dry run with them.
    commit_requested(dict): import for real with the options of the preview shown.
    cancel_requested(): stop the running import (nothing is written).
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.qtfix import emit

_Index = QModelIndex | QPersistentModelIndex

KIND_TITLES = {"framework": "导入指标体系", "duties": "导入责任分解表", "plan": "导入工作方案"}
KIND_HINTS = {
    "framework": ("选择省里下发的评价指标体系表（Excel：.xlsx / .xls）。"
                  "导入前会先预览读取结果，确认无误后再写入档案库。"),
    "duties": "选择本县的工作责任分解表（Excel：.xlsx / .xls）。每行一项任务，按编号或名称关联到指标。",
    "plan": "选择本县的工作方案（Word：.docx / .doc / .wps）。带有“（××局牵头）”等分工的条目会成为任务。",
}
FILE_FILTERS = {
    "framework": "Excel 表格 (*.xlsx *.xls *.et);;所有文件 (*)",
    "duties": "Excel 表格 (*.xlsx *.xls *.et);;所有文件 (*)",
    "plan": "Word 文档 (*.docx *.doc *.wps);;所有文件 (*)",
}
NOT_READ = "-"
AUTO = "auto"
HEADER_CHOICES = 30
ERROR_COLOUR = "#c9302c"
HEADER_BG = QColor("#fff3cd")
HIDDEN_FG = QColor("#9a9a9a")
SPAN_COLOUR = "#b3261e"       # the span a plan task's departments were read from
MARKED_ROLE = Qt.ItemDataRole.UserRole + 1   # a cell's text as HTML, read spans in bold colour


def marked_html(text: str, marks: Sequence[str]) -> str:
    """`text` as HTML with each of `marks` (where it occurs) in bold colour: how the plan
    preview shows, inside a task's own text, where its departments were read from."""
    found: list[tuple[int, int]] = []
    for m in marks:
        at = text.find(m) if m else -1
        if at >= 0 and not any(a < at + len(m) and at < b for a, b in found):
            found.append((at, at + len(m)))
    out, pos = [], 0
    for a, b in sorted(found):
        out.append(html.escape(text[pos:a]))
        out.append(f'<b style="color:{SPAN_COLOUR}">{html.escape(text[a:b])}</b>')
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


class MarkedTextDelegate(QStyledItemDelegate):
    """Paints a cell's MARKED_ROLE HTML (the read span in bold colour) instead of its text,
    wrapped to the column's width (rows sized to it with resizeRowsToContents)."""

    def _doc(self, html_text: str, font: Any, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(font)
        doc.setDocumentMargin(2)
        doc.setHtml(html_text)
        doc.setTextWidth(max(40.0, width))
        return doc

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> Any:
        size = super().sizeHint(option, index)
        html_text = index.data(MARKED_ROLE)
        view = self.parent()
        if not html_text or not isinstance(view, QTableView):
            return size
        doc = self._doc(html_text, option.font, view.columnWidth(index.column()) - 8)  # type: ignore[attr-defined]
        size.setHeight(max(size.height(), int(doc.size().height()) + 4))
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        html_text = index.data(MARKED_ROLE)
        if not html_text:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        doc = self._doc(html_text, opt.font, rect.width())  # type: ignore[attr-defined]
        painter.save()
        painter.translate(rect.left(), rect.top() + max(0, (rect.height() - doc.size().height()) / 2))
        painter.setClipRect(0, 0, rect.width(), rect.height())
        doc.drawContents(painter)
        painter.restore()


class TextRowsModel(QAbstractTableModel):
    """Rows of plain text with their headers (the preview tables); optional row highlight
    and greyed columns."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._rows: list[Sequence[str]] = []
        self._row_labels: list[str] = []
        self._marked_rows: set[int] = set()
        self._grey_cols: set[int] = set()
        self._marks: Sequence[Sequence[str]] = ()
        self._mark_col = -1

    def set_rows(self, headers: Sequence[str], rows: Sequence[Sequence[str]], *,
                 row_labels: Sequence[str] = (), marked_rows: set[int] | None = None,
                 grey_cols: set[int] | None = None, marks: Sequence[Sequence[str]] = (),
                 mark_column: int = -1) -> None:
        """`marks[r]`: texts to show in bold colour inside row r's cell of `mark_column`."""
        self.beginResetModel()
        self._marks = list(marks)
        self._mark_col = mark_column
        self._headers = list(headers)
        self._rows = list(rows)
        self._row_labels = list(row_labels)
        self._marked_rows = set(marked_rows or ())
        self._grey_cols = set(grey_cols or ())
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def cell(self, row: int, col: int) -> str:
        r = self._rows[row]
        return r[col] if col < len(r) else ""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if section < len(self._headers) else None
        if section < len(self._row_labels):
            return self._row_labels[section]
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(r, c)
        if role == MARKED_ROLE:
            if c != self._mark_col or r >= len(self._marks) or not self._marks[r]:
                return None
            return marked_html(self.cell(r, c), self._marks[r])
        if role == Qt.ItemDataRole.BackgroundRole and r in self._marked_rows:
            return QBrush(HEADER_BG)
        if role == Qt.ItemDataRole.ForegroundRole and c in self._grey_cols:
            return QBrush(HIDDEN_FG)
        return None


def _table() -> tuple[QTableView, TextRowsModel]:
    model = TextRowsModel()
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    return view, model


class ImportDialog(QDialog):
    """See the module docstring. `kind` is framework | duties | plan."""

    file_chosen = Signal(str)
    preview_requested = Signal(dict)
    commit_requested = Signal(dict)
    cancel_requested = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if kind not in KIND_TITLES:
            raise ValueError(kind)
        self.kind = kind
        self.setWindowTitle(KIND_TITLES[kind])
        self._preview: Any = None
        self._shown_options: dict | None = None
        self._overrides: dict[str, str] = {}
        self._combos: dict[str, QComboBox] = {}
        self._role_labels: dict[str, QLabel] = {}
        self._state = "empty"  # empty | previewing | preview | stale | committing | done
        self._filling = False
        self.start_dir = ""  # where the file picker opens

        hint = QLabel(KIND_HINTS[kind])
        hint.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText("尚未选择文件")
        self.browse = QPushButton("选择文件…")
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("文件："))
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)

        # how to read: sheet, header row, year
        self.sheet = QComboBox()
        self.sheet.setMinimumContentsLength(12)
        self.header_row = QComboBox()
        self.header_row.addItem("自动识别", AUTO)
        for r in range(1, HEADER_CHOICES + 1):
            self.header_row.addItem(f"第 {r} 行", r)
        self.header_row.addItem("没有表头", 0)
        self.year = QSpinBox()
        self.year.setRange(1999, 2100)
        self.year.setSpecialValueText("自动")
        self.year.setValue(1999)
        self.year.setToolTip("完成时限只写了“8月31日前”这类没有年份的日期时，按这一年计算")
        opts = QHBoxLayout()
        self._sheet_label = QLabel("工作表：")
        self._header_label = QLabel("表头行：")
        for w in (self._sheet_label, self.sheet, self._header_label, self.header_row):
            opts.addWidget(w)
        self._year_label = QLabel("时限年份：")
        opts.addWidget(self._year_label)
        opts.addWidget(self.year)
        opts.addStretch(1)
        self.refresh = QPushButton("重新预览")
        self.refresh.setToolTip("按当前选择的工作表、表头行和各列含义重新读取（不写入档案库）")
        opts.addWidget(self.refresh)

        # the mapping: one combo per role
        self.mapping_box = QGroupBox("各列的含义（可修改）")
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        inner = QWidget()
        inner.setLayout(self._form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        box_lay = QVBoxLayout(self.mapping_box)
        box_lay.setContentsMargins(6, 6, 6, 6)
        box_lay.addWidget(scroll)
        self.mapping_box.setMinimumWidth(300)

        # what was read
        self.tabs = QTabWidget()
        self.items_view, self.items_model = _table()
        self._marked_delegate = MarkedTextDelegate(self.items_view)
        self.items_view.setItemDelegate(self._marked_delegate)
        self.items_view.verticalHeader().setVisible(False)  # the 行 column says where it came from
        self.raw_view, self.raw_model = _table()
        self.messages = QListWidget()
        self.messages.setWordWrap(True)
        self.tabs.addTab(self.items_view, "读取结果")
        self.tabs.addTab(self.raw_view, "原表（前 30 行）")
        self.tabs.addTab(self.messages, "提示与问题")

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.mapping_box)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 770])
        split.setChildrenCollapsible(False)

        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress_label = QLabel("")
        self.stop = QPushButton("停止导入")
        self.commit = QPushButton("导入")
        self.commit.setDefault(True)
        self.close_btn = QPushButton("关闭")
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress_label)
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.stop)
        bottom.addStretch(0)
        bottom.addWidget(self.commit)
        bottom.addWidget(self.close_btn)

        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addLayout(file_row)
        lay.addLayout(opts)
        lay.addWidget(split, 1)
        lay.addWidget(self.summary)
        lay.addWidget(self.error)
        lay.addLayout(bottom)
        self.resize(1120, 720)

        self.error.setVisible(False)
        table = kind != "plan"
        for part in (self._sheet_label, self.sheet, self._header_label, self.header_row, self.mapping_box):
            part.setVisible(table)
        self.raw_view.setVisible(table)
        if not table:
            self.tabs.removeTab(self.tabs.indexOf(self.raw_view))
        self._year_label.setVisible(kind != "framework")
        self.year.setVisible(kind != "framework")

        self.browse.clicked.connect(self._browse)
        self.refresh.clicked.connect(self.request_preview)
        self.commit.clicked.connect(self._commit)
        self.stop.clicked.connect(self._stop)
        self.close_btn.clicked.connect(self.reject)
        self.sheet.activated.connect(self._sheet_changed)
        self.header_row.activated.connect(lambda _i: self._mark_stale())
        self.year.valueChanged.connect(lambda _v: self._mark_stale())
        self._update_buttons()

    # -- what the clerk did -----------------------------------------------------------------
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, KIND_TITLES[self.kind], self.start_dir,
                                              FILE_FILTERS[self.kind])
        if path:
            self.set_file(path)

    def set_file(self, path: str) -> None:
        """Start over with `path` and ask for its preview."""
        self.path.setText(path)
        self._overrides.clear()
        self._preview = None
        self.sheet.clear()
        self.header_row.setCurrentIndex(0)
        emit(self.file_chosen, path)
        self.request_preview()

    def options(self) -> dict:
        """The options as the clerk has set them now."""
        sheet = self.sheet.currentText() if self.sheet.count() else None
        header = self.header_row.currentData()
        return {
            "kind": self.kind,
            "path": self.path.text(),
            "sheet": sheet or None,
            "header_row": None if header == AUTO else int(header),
            "mapping": dict(self._overrides),
            "year": None if self.year.value() == self.year.minimum() else self.year.value(),
        }

    def request_preview(self) -> None:
        if not self.path.text() or self._state == "committing":
            return
        self._state = "previewing"
        self._say_error("")
        self.summary.setVisible(True)
        self.summary.setText("正在读取，请稍候…")
        self._update_buttons()
        emit(self.preview_requested, self.options())

    def _role_changed(self, role: str) -> None:
        if self._filling:
            return
        spec = self._combos[role].currentData()
        shown = self._preview.role(role) if self._preview is not None else None
        detected = "+".join(shown.columns) if shown is not None and shown.columns else NOT_READ
        if spec == detected and role not in self._overrides:
            return
        self._overrides[role] = spec
        self._style_role(role, True)
        self._mark_stale()

    def _sheet_changed(self, _i: int) -> None:
        self._overrides.clear()  # another sheet: its columns mean other things
        self.header_row.setCurrentIndex(0)
        self.request_preview()

    def _mark_stale(self) -> None:
        if self._state in ("preview", "stale"):
            self._state = "stale"
            self.summary.setVisible(True)
            self.summary.setText("已修改读取方式：请点击“重新预览”查看结果，确认后再导入。")
            self._update_buttons()

    def _commit(self) -> None:
        if self._state != "preview" or self._shown_options is None:
            return
        self._state = "committing"
        self._say_error("")
        self.progress.setRange(0, 0)
        self.progress_label.setText("正在导入…")
        self._update_buttons()
        emit(self.commit_requested, dict(self._shown_options))

    def _stop(self) -> None:
        if self._state == "committing":
            self.stop.setEnabled(False)
            self.progress_label.setText("正在停止…")
            emit(self.cancel_requested)

    def reject(self) -> None:
        if self._state == "committing":
            self._stop()  # the dialog closes when the import has stopped
            return
        super().reject()

    # -- what the controller shows -------------------------------------------------------------
    def set_preview(self, preview: Any, options: dict | None = None) -> None:
        """Show an `ImportPreview` (storage.tables.preview)."""
        self._preview = preview
        self._shown_options = options if options is not None else self.options()
        self._filling = True
        try:
            self._fill_options(preview)
            self._fill_roles(preview)
        finally:
            self._filling = False
        self._fill_tables(preview)
        self._fill_messages(preview)
        self.summary.setText(preview.summary)
        self.summary.setVisible(bool(preview.summary))
        self._say_error(("无法按当前设置读取：" + preview.error) if preview.error else "")
        if not preview.ok and self.kind != "plan" and preview.raw_rows:
            self.tabs.setCurrentWidget(self.raw_view)  # nothing was read: show the sheet as it stands
        elif preview.ok and self.tabs.currentWidget() is not self.raw_view:
            self.tabs.setCurrentWidget(self.items_view)
        self._state = "preview" if preview.ok else "stale"
        if not preview.ok:
            self._shown_options = None
        self._update_buttons()

    def _fill_options(self, p: Any) -> None:
        if self.kind == "plan":
            return
        self.sheet.clear()
        for name in p.sheets:
            self.sheet.addItem(name)
        if p.sheet:
            self.sheet.setCurrentText(p.sheet)
        self.sheet.setEnabled(len(p.sheets) > 1)
        wanted = p.options.header_row
        if wanted is None:
            self.header_row.setCurrentIndex(0)
            self.header_row.setItemText(0, "自动识别" + (f"（第 {'、'.join(map(str, p.header_rows))} 行）"
                                                     if p.header_rows else "（未找到）"))
        else:
            self.header_row.setCurrentIndex(max(0, self.header_row.findData(wanted)))

    def _fill_roles(self, p: Any) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self._combos.clear()
        self._role_labels.clear()
        for rm in p.roles:
            combo = QComboBox()
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.addItem("（不读取）", NOT_READ)
            for c in p.columns:
                combo.addItem(c.caption + ("（隐藏列）" if c.hidden else ""), c.letter)
            spec = self._overrides.get(rm.role) or ("+".join(rm.columns) if rm.columns else NOT_READ)
            i = combo.findData(spec)
            if i < 0:  # several columns for one role (e.g. two score columns)
                combo.addItem(f"{spec}  {' / '.join(rm.headers)}", spec)
                i = combo.count() - 1
            combo.setCurrentIndex(i)
            combo.setToolTip(f"{rm.name_zh}（{rm.role}）从哪一列读取")
            combo.activated.connect(lambda _i, role=rm.role: self._role_changed(role))
            label = QLabel(rm.name_zh)
            self._combos[rm.role] = combo
            self._role_labels[rm.role] = label
            self._form.addRow(label, combo)
            self._style_role(rm.role, rm.role in self._overrides, found=rm.found)

    def _style_role(self, role: str, changed: bool, found: bool | None = None) -> None:
        label = self._role_labels.get(role)
        if label is None:
            return
        if found is None:
            found = self._combos[role].currentData() != NOT_READ
        font = QFont(label.font())
        font.setBold(found)
        label.setFont(font)
        label.setStyleSheet("color: #1a6fb5;" if changed else ("" if found else "color: #8a8a8a;"))
        name = label.text().rstrip("＊")
        label.setText(name + ("＊" if changed else ""))

    def _fill_tables(self, p: Any) -> None:
        self.items_model.set_rows(p.item_headers, p.items, marks=getattr(p, "item_marks", ()),
                                  mark_column=getattr(p, "mark_column", -1))
        shown = len(p.items)
        title = f"读取结果（{p.item_count}）" if shown == p.item_count else f"读取结果（前 {shown} / {p.item_count}）"
        self.tabs.setTabText(self.tabs.indexOf(self.items_view), title)
        self.items_view.resizeColumnsToContents()
        for c in range(self.items_model.columnCount()):
            self.items_view.setColumnWidth(c, min(self.items_view.columnWidth(c), 320))
        if self.kind == "plan":
            if getattr(p, "mark_column", -1) >= 0:
                # the task's whole text, wrapped, its read span in bold colour
                self.items_view.setColumnWidth(p.mark_column, 460)
                self.items_view.resizeRowsToContents()
            return
        role_of: dict[str, str] = {}
        for rm in p.roles:
            for letter in rm.columns:
                role_of.setdefault(letter, rm.name_zh)
        headers = [f"{c.letter} {role_of.get(c.letter, '')}".strip() for c in p.columns]
        header_rows = set(p.header_rows)
        marked = {i for i, (n, _) in enumerate(p.raw_rows) if n in header_rows}
        self.raw_model.set_rows(headers, [cells for _, cells in p.raw_rows],
                                row_labels=[str(n) for n, _ in p.raw_rows], marked_rows=marked,
                                grey_cols={c.index for c in p.columns if c.hidden})
        self.raw_view.resizeColumnsToContents()
        for c in range(self.raw_model.columnCount()):
            self.raw_view.setColumnWidth(c, max(60, min(self.raw_view.columnWidth(c), 180)))

    def _fill_messages(self, p: Any, report: Any = None) -> None:
        self.messages.clear()
        problems = list(report.problems if report is not None else p.problems)
        warnings = list(report.warnings if report is not None else p.warnings)
        if report is not None:
            problems = [m.zh for m in problems]
            warnings = [m.zh for m in warnings]
        if p is not None and p.error and report is None:
            problems.insert(0, p.error)
        for text in problems:
            item = QListWidgetItem("问题：" + text)
            item.setForeground(QBrush(QColor(ERROR_COLOUR)))
            self.messages.addItem(item)
        for text in warnings:
            self.messages.addItem(QListWidgetItem("提示：" + text))
        if not problems and not warnings:
            self.messages.addItem(QListWidgetItem("没有提示或问题。"))
        n = len(problems) + len(warnings)
        self.tabs.setTabText(self.tabs.indexOf(self.messages), f"提示与问题（{n}）" if n else "提示与问题")

    def set_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        if text:
            self.progress_label.setText(text)

    def set_committed(self, report: Any, summary: str) -> None:
        """The import is done: show its report; the dialog now only closes."""
        self._state = "done"
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress_label.setText("导入完成")
        self.summary.setVisible(True)
        self.summary.setText(summary)
        self._fill_messages(self._preview, report)
        self._update_buttons()

    def set_failed(self, message: str) -> None:
        """The preview or the import failed (known failure): say why, allow another try."""
        was = self._state
        self._state = "preview" if was == "committing" and self._preview is not None and self._preview.ok else "stale"
        if was == "previewing" and self._preview is None:
            self._state = "empty"
        self.progress_label.setText("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._say_error(message)
        if was == "previewing":
            self.summary.setText("")
        self._update_buttons()

    def set_cancelled(self) -> None:
        self._state = "preview" if self._preview is not None and self._preview.ok else "stale"
        self.progress_label.setText("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.summary.setVisible(True)
        self.summary.setText("已停止导入：档案库没有任何改动。")
        self._update_buttons()

    def _say_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # -- state ---------------------------------------------------------------------------------
    def state(self) -> str:
        return self._state

    def preview(self) -> Any:
        return self._preview

    def _update_buttons(self) -> None:
        s = self._state
        busy = s in ("previewing", "committing")
        self.browse.setEnabled(not busy and s != "done")
        self.refresh.setEnabled(s in ("preview", "stale") and bool(self.path.text()))
        self.commit.setEnabled(s == "preview")
        self.commit.setVisible(s != "done")
        self.commit.setText("导入" if self._preview is None or self._preview.report is None
                            or self._preview.report.unchanged else "确认导入")
        for w in (self.sheet, self.header_row, self.year, self.mapping_box):
            w.setEnabled(not busy and s != "done" and (w is not self.sheet or self.sheet.count() > 1))
        running = s == "committing"
        self.progress.setVisible(running or s == "done")
        self.progress_label.setVisible(running or s == "done")
        self.stop.setVisible(running)
        self.stop.setEnabled(running)
        self.close_btn.setText("完成" if s == "done" else "关闭")
        self.close_btn.setEnabled(not running)
