"""The 已封存的提交 dialog (文件 → 已封存的提交…): every sealed submission, 对比当前 (what
changed in the archive since the seal) and 重新导出… (the sealed bundle again, byte for
byte, to a new folder or .zip, with progress and 取消).

Widgets only: it shows `SubmissionSummary` rows, a `SubmissionDiff` and a re-export
result the controller gives it (desktop/window/durability.py, over
desktop/actions/submissions.py: the steps of `evidence-desk submission diff/export`).

Signals:
    diff_requested(submission id)
    reexport_requested(submission id, target path, as_zip)
    cancel_requested()
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import texts
from ui.qtfix import emit

COLUMNS = ("编号", "封存时间", "导出日期", "说明", "文件", "大小", "形式", "操作人")
DIFF_LINES = 300  # a diff longer than this is cut, with a count of the rest


def diff_lines(summary: Any, diff: Any) -> list[str]:
    """The diff in the words `evidence-desk submission diff` prints."""
    lines = [f"档案库现状与第 {summary.id} 次提交（{texts.datetime_text(summary.sealed_at)}，导出日期 "
             f"{texts.date_text(summary.export_date)}）比较："]
    for label, items in (("新增", diff.added), ("移除", diff.removed)):
        lines += [f"  [{label}] {f['path']}" for f in items]
    for f in diff.changed:
        was = f"（原为 {f['sealed_path']}）" if f["sealed_path"] != f["path"] else ""
        lines.append(f"  [内容已变] {f['path']}{was}")
    lines += [f"  [位置已变] {f['sealed_path']} → {f['path']}" for f in diff.moved]
    lines += [f"  [信息已改] 佐证 #{m['evidence_id']} {texts.LOG_FIELD.get(m['field'], m['field'])}："
              f"{m['sealed']} → {m['now']}" for m in diff.metadata]
    lines += [f"  [自评已改] {m['indicator']} {texts.LOG_FIELD.get(m['field'], m['field'])}："
              f"{m['sealed']} → {m['now']}" for m in diff.scores]
    lines.append("与封存时相同。" if diff.same else "与封存时不同（见上）。")
    return lines


class SubmissionsDialog(QDialog):
    """The sealed submissions of the open archive (see the module docstring)."""

    diff_requested = Signal(int)
    reexport_requested = Signal(int, str, bool)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, default_folder: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("已封存的提交")
        self.resize(1040, 640)
        self._rows: list[Any] = []
        self._folder = default_folder
        self.state = "idle"  # idle | diffing | exporting
        intro = QLabel("导出时勾选“封存”的材料包，档案库按原样保存。"
                       "可与档案库现状对比，或按原样重新导出（逐字节相同）。")
        intro.setWordWrap(True)
        t = self.table = QTableWidget(0, len(COLUMNS))
        t.setHorizontalHeaderLabels(COLUMNS)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.verticalHeader().setVisible(False)
        t.setAlternatingRowColors(True)
        h = t.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        h.setStretchLastSection(True)
        for col, w in enumerate((50, 130, 90, 260, 60, 80, 60)):
            t.setColumnWidth(col, w)
        self.diff_btn = QPushButton("对比当前")
        self.target = QLineEdit()
        self.target.setPlaceholderText("重新导出到：新的文件夹或 .zip 文件")
        self.browse = QPushButton("浏览…")
        self.as_zip = QCheckBox("导出为 .zip")
        self.reexport_btn = QPushButton("重新导出…")
        self.cancel_btn = QPushButton("取消")
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setPlaceholderText("选择一次提交，按“对比当前”查看此后档案库的变化")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.close_btn = QPushButton("关闭")
        row1 = QHBoxLayout()
        row1.addWidget(self.diff_btn)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        row2.addWidget(QLabel("重新导出到："))
        row2.addWidget(self.target, 1)
        row2.addWidget(self.browse)
        row2.addWidget(self.as_zip)
        row2.addWidget(self.reexport_btn)
        row2.addWidget(self.cancel_btn)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(t, 2)
        lay.addLayout(row1)
        lay.addLayout(row2)
        lay.addWidget(self.progress)
        lay.addWidget(self.output, 2)
        lay.addLayout(bottom)
        self.diff_btn.clicked.connect(self._ask_diff)
        self.reexport_btn.clicked.connect(self._ask_reexport)
        self.browse.clicked.connect(self._browse)
        self.cancel_btn.clicked.connect(lambda: emit(self.cancel_requested))
        self.as_zip.toggled.connect(self._zip_toggled)
        self.close_btn.clicked.connect(self.close)
        t.itemSelectionChanged.connect(self._selected)
        self._update()

    # -- showing ------------------------------------------------------------------------------
    def set_submissions(self, rows: list[Any]) -> None:
        """`rows`: SubmissionSummary, oldest first; shown newest first, the newest selected."""
        self._rows = sorted(rows, key=lambda r: r.id, reverse=True)
        t = self.table
        t.setRowCount(0)
        t.setRowCount(len(self._rows))
        for r, x in enumerate(self._rows):
            cells = (f"#{x.id}", texts.datetime_text(x.sealed_at), texts.date_text(x.export_date), x.note,
                     f"{x.files}", texts.size_text(x.bytes), "zip" if x.as_zip else "文件夹", x.user)
            for c, text in enumerate(cells):
                t.setItem(r, c, QTableWidgetItem(text))
        if self._rows:
            t.selectRow(0)
            self.status.setText(f"共 {len(self._rows)} 次封存的提交")
        else:
            self.status.setText("还没有封存的提交：导出申报材料包时勾选“封存”即可保存所交的材料。")
        self._update()

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows and rows[0].row() < len(self._rows) else None

    def select_id(self, submission_id: int) -> None:
        for r, x in enumerate(self._rows):
            if x.id == submission_id:
                self.table.selectRow(r)

    def _selected(self) -> None:
        x = self.selected()
        if x is not None and self.state == "idle":
            self.as_zip.setChecked(x.as_zip)
            name = f"第{x.id}次提交_重新导出_{x.export_date:%Y%m%d}" if x.export_date else f"第{x.id}次提交_重新导出"
            base = Path(self.target.text()).parent if self.target.text() else Path(self._folder or ".")
            self.target.setText(str(base / (name + (".zip" if x.as_zip else ""))))
        self._update()

    def _zip_toggled(self, on: bool) -> None:
        text = self.target.text().strip()
        if not text:
            return
        if on and not text.lower().endswith(".zip"):
            self.target.setText(text + ".zip")
        elif not on and text.lower().endswith(".zip"):
            self.target.setText(text[:-4])

    def _browse(self) -> None:
        if self.as_zip.isChecked():
            path, _ = QFileDialog.getSaveFileName(self, "重新导出为 .zip", self.target.text(), "zip 文件 (*.zip)")
        else:
            path = QFileDialog.getExistingDirectory(self, "选择放置材料包的文件夹", self._folder)
            if path:
                x = self.selected()
                path = str(Path(path) / (f"第{x.id}次提交_重新导出" if x is not None else "重新导出"))
        if path:
            self.target.setText(path)

    def _update(self) -> None:
        busy = self.state != "idle"
        has = self.selected() is not None
        self.diff_btn.setEnabled(has and not busy)
        self.reexport_btn.setEnabled(has and not busy)
        self.table.setEnabled(not busy)
        self.cancel_btn.setVisible(self.state == "exporting")
        self.progress.setVisible(busy)

    # -- asking -------------------------------------------------------------------------------
    def _ask_diff(self) -> None:
        x = self.selected()
        if x is None:
            return
        self.state = "diffing"
        self.progress.setRange(0, 0)
        self.output.setPlainText("正在对比（按封存时的导出日期重新计算材料包）…")
        self._update()
        emit(self.diff_requested, x.id)

    def _ask_reexport(self) -> None:
        x = self.selected()
        target = self.target.text().strip()
        if x is None:
            return
        if not target:
            self.status.setText("请先填写重新导出到哪里（新的文件夹或 .zip 文件）。")
            return
        self.state = "exporting"
        self.progress.setRange(0, 0)
        self.status.setText(f"正在重新导出第 {x.id} 次提交…")
        self._update()
        emit(self.reexport_requested, x.id, target, self.as_zip.isChecked())

    # -- answers from the controller ------------------------------------------------------------
    def set_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        if text:
            self.status.setText(f"正在重新导出：{done}/{total} {text[:50]}")

    def show_diff(self, summary: Any, diff: Any) -> None:
        self.state = "idle"
        lines = diff_lines(summary, diff)
        if len(lines) > DIFF_LINES:
            lines = lines[:DIFF_LINES] + [f"……另有 {len(lines) - DIFF_LINES} 行未显示"]
        self.output.setPlainText("\n".join(lines))
        self.status.setText("与封存时相同" if diff.same else "档案库与封存时不同，见下方列表")
        self._update()

    def reexport_finished(self, result: Any) -> None:
        self.state = "idle"
        lines = [f"已按第 {result.submission.id} 次提交重新导出：{result.bundle}（{result.files} 个文件）"]
        if result.identical is True:
            lines.append("与封存时的材料包逐字节相同。")
        elif result.identical is False:
            lines.append("警告：与封存时的材料包不同！")
        else:
            lines.append("封存时为" + ("zip" if result.submission.as_zip else "文件夹")
                         + "，本次格式不同，文件已按清单逐一校验。")
        self.status.setText(lines[0])
        self.output.setPlainText("\n".join(lines))
        self._update()

    def failed(self, text: str) -> None:
        self.state = "idle"
        self.status.setText(text)
        self.output.setPlainText(text)
        self._update()

    def cancelled(self) -> None:
        self.state = "idle"
        self.status.setText("重新导出已取消，没有留下不完整的材料包。")
        self._update()

    def set_busy_text(self, text: str) -> None:
        self.status.setText(text)

    def keyPressEvent(self, event: Any) -> None:  # Esc while exporting cancels, not closes
        if event.key() == Qt.Key.Key_Escape and self.state == "exporting":
            emit(self.cancel_requested)
            return
        super().keyPressEvent(event)
