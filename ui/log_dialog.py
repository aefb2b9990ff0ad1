"""The 操作记录 dialog (工具 → 操作记录…): the audit log, newest first, from a date on.

Widgets only. It shows `storage.durability.auditlog.AuditEntry` rows the controller read
with `read_log` (the function `evidence-desk log` calls) and says them in the clerk's
words: 修改 佐证材料 #12 "标题：旧 → 新", not `update evidence {"title": [...]}`. Table,
action and field names storage gives are translated through ui/texts.py; a name without a
translation is shown as it is.

Signals:
    load_requested(since): read the log again; `since` is "YYYY-MM-DD" (local date) or ""
        for the whole log.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import texts
from ui.qtfix import emit

COLUMNS = ("时间", "操作人", "操作", "对象", "内容")
DEFAULT_DAYS = 30
VALUE_CHARS = 40


def _value(field: str, value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if field == "status" and isinstance(value, str):
        return texts.STATUS.get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(_value(field, v) for v in value[:5]) + ("等" if len(value) > 5 else "")
    text = str(value)
    if field.endswith("_at") and "T" in text:
        try:
            return texts.datetime_text(dt.datetime.fromisoformat(text.rstrip("Z")))
        except ValueError:
            pass
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


def action_text(entry: Any) -> str:
    """The action in the clerk's words; trashing is an update of `trashed_at` in storage."""
    change = entry.summary.get("trashed_at") if entry.action == "update" else None
    if isinstance(change, list) and len(change) == 2:
        return "移到回收站" if change[1] else "从回收站恢复"
    return texts.LOG_ACTION.get(entry.action, entry.action)


def object_text(entry: Any) -> str:
    what = texts.LOG_ENTITY.get(entry.entity, entry.entity)
    return f"{what} #{entry.entity_id}" if entry.entity_id and "," not in entry.entity_id else what


def summary_text(entry: Any) -> str:
    """What changed: "字段：旧 → 新" for an update, the item's name for an insert or delete."""
    s = entry.summary
    parts: list[str] = []
    if entry.action == "update":
        for field, change in s.items():
            if field in ("updated_at", "trashed_at"):
                continue
            name = texts.LOG_FIELD.get(field, field)
            if isinstance(change, list) and len(change) == 2:
                parts.append(f"{name}：{_value(field, change[0])} → {_value(field, change[1])}")
            else:
                parts.append(f"{name}：{_value(field, change)}")
        if not parts and "trashed_at" in s:
            parts.append("佐证材料仍保留，可恢复" if action_text(entry) == "移到回收站" else "已恢复")
        return "；".join(parts)
    if entry.action in ("insert", "delete"):
        for key in ("title", "name", "original_name", "bundle_path", "task", "code", "path", "key"):
            if s.get(key):
                return f"{texts.LOG_FIELD.get(key, key)}：{_value(key, s[key])}"
        known = [k for k in s if k in texts.LOG_FIELD and s[k] not in (None, "")][:3]
        return "；".join(f"{texts.LOG_FIELD[k]}：{_value(k, s[k])}" for k in known)
    for field, value in s.items():
        if field in ("blobs", "files_kept") or value in (None, "", [], {}):
            continue
        if field == "files_removed" and isinstance(value, list):
            value = ["、".join(v[1]) if isinstance(v, list) and len(v) == 2 else v for v in value]
        parts.append(f"{texts.LOG_FIELD.get(field, field)}：{_value(field, value)}")
    return "；".join(parts)


class LogDialog(QDialog):
    """The audit log of the open archive (see the module docstring)."""

    load_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("操作记录")
        self.resize(1100, 620)
        today = today or dt.date.today()
        start = today - dt.timedelta(days=DEFAULT_DAYS)
        self.use_since = QCheckBox("只看此日期以后的记录：")
        self.use_since.setChecked(True)
        self.since = QDateEdit(QDate(start.year, start.month, start.day))
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.show_btn = QPushButton("查看")
        top = QHBoxLayout()
        top.addWidget(self.use_since)
        top.addWidget(self.since)
        top.addWidget(self.show_btn)
        top.addStretch(1)
        t = self.table = QTableWidget(0, len(COLUMNS))
        t.setHorizontalHeaderLabels(COLUMNS)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.verticalHeader().setVisible(False)
        t.setAlternatingRowColors(True)
        t.setWordWrap(False)
        h = t.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        h.setStretchLastSection(True)
        for col, w in enumerate((150, 90, 100, 140)):
            t.setColumnWidth(col, w)
        self.status = QLabel("")
        self.close_btn = QPushButton("关闭")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(t, 1)
        lay.addLayout(bottom)
        self.show_btn.clicked.connect(self.request)
        self.use_since.toggled.connect(self.since.setEnabled)
        self.use_since.toggled.connect(lambda *_: self.request())
        self.close_btn.clicked.connect(self.close)

    def since_text(self) -> str:
        return self.since.date().toString("yyyy-MM-dd") if self.use_since.isChecked() else ""

    def request(self) -> None:
        self.status.setText("正在读取…")
        emit(self.load_requested, self.since_text())

    def set_entries(self, entries: list[Any], *, limit: int | None = None) -> None:
        """`entries`: AuditEntry rows oldest first (as read_log gives them); shown newest first."""
        rows = list(reversed(entries))
        t = self.table
        t.setRowCount(0)
        t.setRowCount(len(rows))
        for r, e in enumerate(rows):
            content = summary_text(e)
            for c, text in enumerate((e.at_local, e.user, action_text(e), object_text(e), content)):
                cell = QTableWidgetItem(text)
                if c == 4:
                    cell.setToolTip(content)
                t.setItem(r, c, cell)
        since = self.since_text()
        where = f"{since} 以后" if since else "全部"
        more = f"（只显示最近 {limit} 条）" if limit is not None and len(rows) >= limit else ""
        self.status.setText(f"{where}共 {len(rows)} 条记录{more}，最新的在最上面")

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    def row_texts(self, row: int) -> list[str]:
        """The cells of one row (for tests and copy)."""
        cells = (self.table.item(row, c) for c in range(self.table.columnCount()))
        return [cell.text() if cell is not None else "" for cell in cells]
