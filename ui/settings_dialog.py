"""The settings dialog: the county's basic facts and the upload deadline (stored in the
archive), the watched folders with their settle times, and the program's own settings
(recent archives, window layout).

It edits a copy of what it was given and, on 保存, emits every change at once; the controller
saves them in one transaction, so a refused value leaves everything as it was and the dialog
open with the reason (`show_error`). It never touches files or the archive itself.

Signals:
    save_requested(SettingsChange): every change at once (ui.intents).
    layout_reset_requested(): put the window back to its first size and layout (at once).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.intents import NewFolderRequest, SettingsChange
from ui.qtfix import emit

PAGES = ("county", "folders", "program")
ERROR_COLOUR = "#c9302c"
SETTLE_DEFAULT_TEXT = "默认"


def _row_table(headers: list[str], widths: list[int]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setStretchLastSection(True)
    for i, w in enumerate(widths):
        t.setColumnWidth(i, w)
    t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 12)
    return t


def _text(table: QTableWidget, r: int, c: int) -> str:
    item = table.item(r, c)
    return item.text().strip() if item is not None else ""


def _folder_item(table: QTableWidget, r: int) -> QTableWidgetItem:
    """The path cell of a folder row: `_add_folder_row` gives every row one."""
    item = table.item(r, 0)
    assert item is not None
    return item


class SettingsDialog(QDialog):
    """See the module docstring. `settings` is an ArchiveSettings read model (facts,
    upload_deadline, folders); `recent` the program's recent archives."""

    save_requested = Signal(object)
    layout_reset_requested = Signal()

    def __init__(self, settings: Any, recent: list[str], parent: QWidget | None = None,
                 page: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("设置")
        self._settings = settings
        self._removed: list[str] = []
        self._clear_recent = False
        self.tabs = QTabWidget()
        self.tabs.addTab(self._county_page(settings), "县情与截止日期")
        self.tabs.addTab(self._folders_page(settings), "监视文件夹")
        self.tabs.addTab(self._program_page(recent), "程序")
        if page in PAGES:
            self.tabs.setCurrentIndex(PAGES.index(page))

        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save.setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(860, 640)

    # -- pages -------------------------------------------------------------------------------
    def _county_page(self, s: Any) -> QWidget:
        f = s.facts
        page = QWidget()
        dl_box = QGroupBox("上传截止日期")
        self.deadline_set = QCheckBox("设定截止日期：")
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        d = s.upload_deadline
        self.deadline_set.setChecked(d is not None)
        self.deadline.setDate(QDate(d.year, d.month, d.day) if d else QDate.currentDate().addMonths(1))
        self.deadline.setEnabled(d is not None)
        self.deadline_set.toggled.connect(self.deadline.setEnabled)
        dl_note = QLabel("总览中显示距截止日期的天数。")
        dl_lay = QHBoxLayout(dl_box)
        dl_lay.addWidget(self.deadline_set)
        dl_lay.addWidget(self.deadline)
        dl_lay.addWidget(dl_note, 1)

        facts_box = QGroupBox("县情基本信息（用于申报表）")
        self.name = QLineEdit(f.name)
        self.name.setPlaceholderText("如：某某县")
        self.population = QLineEdit(f.population)
        self.population.setPlaceholderText("数字，单位：万人")
        self.area = QLineEdit(f.area)
        self.area.setPlaceholderText("数字，单位：平方公里")
        self.contact_name = QLineEdit(f.contact_name)
        self.contact_phone = QLineEdit(f.contact_phone)
        self.contact_unit = QLineEdit(f.contact_unit)
        self.contact_unit.setPlaceholderText("如：县市场监督管理局")
        form = QFormLayout()
        form.addRow("县（市、区）名称：", self.name)
        form.addRow("常住人口（万人）：", self.population)
        form.addRow("面积（平方公里）：", self.area)
        form.addRow("联系人：", self.contact_name)
        form.addRow("联系电话：", self.contact_phone)
        form.addRow("联系单位：", self.contact_unit)

        self.gdp = _row_table(["年份", "地区生产总值（亿元）"], [80, 160])
        for g in f.gdp:
            self._add_row(self.gdp, [str(g.year), g.value])
        self.leaders = _row_table(["职务", "姓名"], [200, 120])
        for x in f.leaders:
            self._add_row(self.leaders, [x.role, x.name])
        tables = QHBoxLayout()
        tables.addWidget(self._with_buttons("近年地区生产总值", self.gdp,
                                            lambda: self._add_row(self.gdp, [str(dt.date.today().year - 1), ""])))
        tables.addWidget(self._with_buttons("领导及分工", self.leaders,
                                            lambda: self._add_row(self.leaders, ["", ""])))
        facts_lay = QVBoxLayout(facts_box)
        facts_lay.addLayout(form)
        facts_lay.addLayout(tables, 1)

        lay = QVBoxLayout(page)
        lay.addWidget(dl_box)
        lay.addWidget(facts_box, 1)
        return page

    def _with_buttons(self, title: str, table: QTableWidget, add: Callable[[], object]) -> QGroupBox:
        box = QGroupBox(title)
        plus = QPushButton("添加一行")
        minus = QPushButton("删除所选行")
        plus.clicked.connect(add)
        minus.clicked.connect(lambda: self._remove_rows(table))
        row = QHBoxLayout()
        row.addWidget(plus)
        row.addWidget(minus)
        row.addStretch(1)
        lay = QVBoxLayout(box)
        lay.addWidget(table, 1)
        lay.addLayout(row)
        table.setMinimumHeight(120)
        return box

    def _add_row(self, table: QTableWidget, values: list[str]) -> int:
        r = table.rowCount()
        table.insertRow(r)
        for c, v in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(v))
        return r

    def _remove_rows(self, table: QTableWidget) -> None:
        for r in sorted({i.row() for i in table.selectedIndexes()}, reverse=True):
            table.removeRow(r)

    def _folders_page(self, s: Any) -> QWidget:
        page = QWidget()
        note = QLabel("各单位把材料放进这些共享文件夹，新文件会自动出现在“收件箱”中。程序只读取文件，"
                      "不会移动、改名或删除文件夹里的任何文件。“稳定等待”是文件停止变化多久后才读取"
                      "（网络文件夹复制较慢，可适当加长）。")
        note.setWordWrap(True)
        self.folders = _row_table(["文件夹", "报送单位", "监视方式", "稳定等待（秒）", "状态"],
                                  [330, 130, 110, 120])
        self.folders.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.folders.horizontalHeader().setStretchLastSection(False)
        self.folders.setColumnWidth(4, 90)
        self._folder_info: dict[str, Any] = {}
        for f in s.folders:
            self._folder_info[f.path] = f
            r = self._add_folder_row(f.path, f.department, "定时扫描" if f.mode == "polling" else "实时",
                                     f.settle_seconds, ("在线" if f.online else "离线"), new=False)
            box = self.folders.cellWidget(r, 3)
            if isinstance(box, QDoubleSpinBox):
                box.setSpecialValueText(f"默认（{f.default_settle:g} 秒）")
        self.add_folder = QPushButton("添加文件夹…")
        self.remove_folder = QPushButton("移除所选")
        self.remove_folder.setToolTip("只是不再监视；已收到的材料和文件夹里的文件都不受影响")
        self.add_folder.clicked.connect(self._browse_folder)
        self.remove_folder.clicked.connect(self._remove_selected_folders)
        row = QHBoxLayout()
        row.addWidget(self.add_folder)
        row.addWidget(self.remove_folder)
        row.addStretch(1)
        lay = QVBoxLayout(page)
        lay.addWidget(note)
        lay.addWidget(self.folders, 1)
        lay.addLayout(row)
        return page

    def _settle_box(self, seconds: float | None) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(0, 3600)
        box.setDecimals(0)
        box.setSingleStep(1)
        box.setSpecialValueText(SETTLE_DEFAULT_TEXT)  # 0 = the default for the folder's disk
        box.setSuffix(" 秒")
        box.setValue(seconds or 0)
        box.setToolTip("文件停止变化这么久之后才读取；“默认”为本机 2 秒、网络文件夹 10 秒")
        return box

    def _add_folder_row(self, path: str, department: str, mode: str, settle: float | None,
                        state: str, *, new: bool) -> int:
        r = self.folders.rowCount()
        self.folders.insertRow(r)
        item = QTableWidgetItem(path)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        item.setData(Qt.ItemDataRole.UserRole, "new" if new else "old")
        item.setToolTip(path)
        self.folders.setItem(r, 0, item)
        dept = QTableWidgetItem(department)
        if not new:
            dept.setFlags(dept.flags() & ~Qt.ItemFlag.ItemIsEditable)
        else:
            dept.setToolTip("这个文件夹的材料来自哪个单位（可不填）")
        self.folders.setItem(r, 1, dept)
        for c, text in ((2, mode), (4, state)):
            it = QTableWidgetItem(text)
            it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.folders.setItem(r, c, it)
        self.folders.setCellWidget(r, 3, self._settle_box(settle))
        return r

    def _browse_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择要监视的共享文件夹")
        if path:
            self.add_folder_path(path)

    def add_folder_path(self, path: str, department: str = "") -> int:
        """Add a row for a new folder (saved with the rest on 保存)."""
        self._removed = [p for p in self._removed if p != path]
        r = self._add_folder_row(path, department, "自动", None, "待添加", new=True)
        self.folders.selectRow(r)
        return r

    def _remove_selected_folders(self) -> None:
        for r in sorted({i.row() for i in self.folders.selectedIndexes()}, reverse=True):
            item = _folder_item(self.folders, r)
            if item.data(Qt.ItemDataRole.UserRole) == "old":
                self._removed.append(item.text())
            self.folders.removeRow(r)

    def _program_page(self, recent: list[str]) -> QWidget:
        page = QWidget()
        box = QGroupBox("最近打开的档案库")
        self.recent = QListWidget()
        self.recent.addItems(recent)
        self.clear_recent = QPushButton("清空列表")
        self.clear_recent.setEnabled(bool(recent))
        self.clear_recent.clicked.connect(self._on_clear_recent)
        b = QVBoxLayout(box)
        b.addWidget(self.recent)
        b.addWidget(self.clear_recent, alignment=Qt.AlignmentFlag.AlignLeft)
        layout_box = QGroupBox("窗口布局")
        self.reset_layout = QPushButton("恢复默认布局")
        self.reset_layout.setToolTip("把窗口大小和各面板恢复为初始状态")
        self.reset_layout.clicked.connect(lambda: emit(self.layout_reset_requested))
        lb = QHBoxLayout(layout_box)
        lb.addWidget(QLabel("关闭程序时会自动记住窗口的大小、位置和布局。"), 1)
        lb.addWidget(self.reset_layout)
        lay = QVBoxLayout(page)
        lay.addWidget(box, 1)
        lay.addWidget(layout_box)
        return page

    def _on_clear_recent(self) -> None:
        self.recent.clear()
        self._clear_recent = True
        self.clear_recent.setEnabled(False)

    # -- saving ------------------------------------------------------------------------------
    def values(self) -> SettingsChange:
        """Everything the dialog shows, as the controller saves it."""
        facts = {
            "name": self.name.text(), "population": self.population.text(),
            "area": self.area.text(), "contact_name": self.contact_name.text(),
            "contact_phone": self.contact_phone.text(), "contact_unit": self.contact_unit.text(),
            "gdp": [(_text(self.gdp, r, 0), _text(self.gdp, r, 1)) for r in range(self.gdp.rowCount())
                    if _text(self.gdp, r, 0) or _text(self.gdp, r, 1)],
            "leaders": [(_text(self.leaders, r, 0), _text(self.leaders, r, 1))
                        for r in range(self.leaders.rowCount())],
        }
        deadline = None
        if self.deadline_set.isChecked():
            q = self.deadline.date()
            deadline = dt.date(q.year(), q.month(), q.day())
        add: list[NewFolderRequest] = []
        settle: dict[str, float | None] = {}
        for r in range(self.folders.rowCount()):
            item = _folder_item(self.folders, r)
            box = self.folders.cellWidget(r, 3)
            seconds = (box.value() or None) if isinstance(box, QDoubleSpinBox) else None
            if item.data(Qt.ItemDataRole.UserRole) == "new":
                add.append(NewFolderRequest(item.text(), _text(self.folders, r, 1), seconds))
                continue
            old = self._folder_info.get(item.text())
            if old is not None and seconds != old.settle_seconds:
                settle[item.text()] = seconds
        return SettingsChange(facts=facts, deadline=deadline, add=tuple(add), remove=tuple(self._removed),
                              settle=tuple(settle.items()), clear_recent=self._clear_recent)

    def _save(self) -> None:
        self.show_error("")
        self.save.setEnabled(False)
        self.save.setText("正在保存…")
        emit(self.save_requested, self.values())

    def show_error(self, text: str) -> None:
        """A value was refused: nothing was saved; the dialog stays open."""
        self.error.setText(("未保存：" + text) if text else "")
        self.error.setVisible(bool(text))
        self.save.setEnabled(True)
        self.save.setText("保存")

