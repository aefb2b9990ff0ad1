"""The import dialog of the province's evaluation (issue 16, item 1): the score sheet the
province returns (Excel) or its evaluation report (Word), previewed and corrected before
anything is written, as the other importers' dialog (ui/import_dialog.py) does.

The clerk picks a file; the controller runs a dry run of `desktop.actions.review.import_review`
and the dialog shows each row (or report problem) with how it was matched: 已匹配 (by code,
by title, or by the clerk), 待选择 (several indicators fit), 未匹配, 不导入. For the selected
row the right-hand pane lists the indicators (the candidates first, filtered by typing); the
clerk sets one (a report problem may take several), leaves the row out, or goes back to the
automatic match; for a score sheet the columns read (编号, 指标名称, 省评得分, 扣分原因) can be
changed too. Every correction previews again at once. 导入 writes the matched rows and
makes the rectification items; the result stays shown until the dialog is closed.

It reads no files and no archive: it shows the `ReviewImport` it is given (used by its
attributes only) and the indicator list (`IndicatorNode`s) and emits what the clerk asked.

Signals:
    preview_requested(dict): {"path", "mapping": ["18=4.2.2", "7=skip", "province=E", …]}:
        run a dry run.
    commit_requested(dict): import for real with the options of the preview shown.
    cancel_requested(): stop the running import (nothing is written).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from storage.readmodels import IndicatorNode
from ui.models import Column, RowTableModel, fold
from ui.qtfix import emit

_Index = QModelIndex | QPersistentModelIndex
TITLE = "导入省评结果"
HINT = ("选择省里反馈的评价得分表（Excel：.xlsx / .xls）或评价结果报告（Word：.docx / .doc）。"
        "导入前先预览每一行对应的指标；未匹配或有多个候选的行，在右侧选择对应指标。"
        "导入后写入省评分，每个失分点或存在问题成为一项整改事项。")
FILE_FILTER = "省评得分表或评价结果报告 (*.xlsx *.xls *.et *.docx *.doc *.wps);;所有文件 (*)"
SKIP = "skip"
STATE_WORDS = {"matched": "已匹配", "ambiguous": "待选择", "unmatched": "未匹配", "skipped": "不导入"}
STATE_COLOURS = {"ambiguous": QColor("#b76e00"), "unmatched": QColor("#c9302c"), "skipped": QColor("#8a8a8a")}
ERROR_COLOUR = "#c9302c"
# the score sheet's columns the clerk may correct: role (as import_review takes it) → name
COLUMN_ROLES = (("code", "编号"), ("title", "指标名称"), ("province", "省评得分"), ("reason", "扣分原因"))
LETTERS = tuple(chr(c) for c in range(ord("A"), ord("Z") + 1))


@dataclass(frozen=True)
class PreviewRow:
    """One row of the preview table, whichever the file: a score-sheet row (key = its row
    number) or a report problem (key = its paragraph; problems of one paragraph share it)."""

    key: int
    where: str                      # 第 18 行 / 第 7 段
    written: str                    # the code and title as the sheet writes them, or the problem
    detail: str                     # 省评得分 and 扣分原因, or the kind and section of a problem
    state: str                      # matched | ambiguous | unmatched | skipped
    how: str                        # 编号 | 名称 | 更正
    indicators: tuple[Any, ...]     # IndicatorRef
    candidates: tuple[Any, ...]

    @property
    def state_text(self) -> str:
        word = STATE_WORDS.get(self.state, self.state)
        if self.state == "matched" and self.how:
            return f"{word}（{'已更正' if self.how == '更正' else '按' + self.how}）"
        if self.state == "ambiguous":
            return f"{word}（{len(self.candidates)} 个候选）"
        return word


def _ref_text(r: Any) -> str:
    return f"{r.code} {r.title}".strip()


def _score(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def preview_rows(result: Any) -> list[PreviewRow]:
    """The rows of a `ReviewImport` (scores or report) in the dialog's one shape."""
    out: list[PreviewRow] = []
    if result.scores is not None:
        for r in result.scores.rows:
            written = f"{r.code} {r.title}".strip()
            detail = f"省评 {_score(r.province_score)} 分" if r.province_score is not None else ""
            if r.reason:
                detail += ("；" if detail else "") + r.reason
            out.append(PreviewRow(r.row, f"第 {r.row} 行", written, detail, r.state, r.how,
                                  (r.indicator,) if r.indicator is not None else (), tuple(r.candidates)))
    if result.report is not None:
        for p in result.report.problems:
            detail = p.kind + (f"（{p.section}）" if p.section else "")
            out.append(PreviewRow(p.paragraph, f"第 {p.paragraph} 段", p.text, detail, p.state, p.how,
                                  tuple(p.indicators), tuple(p.candidates)))
    return out


def _state_colour(r: PreviewRow) -> QColor | None:
    return STATE_COLOURS.get(r.state)


SCORE_HEADERS = ("位置", "表中写法", "省评得分 / 扣分原因", "匹配", "对应指标")
REPORT_HEADERS = ("位置", "存在问题", "类型（所在小节）", "匹配", "对应指标")


class PreviewModel(RowTableModel):
    """位置 | 表中写法 / 存在问题 | 得分与原因 / 类型 | 匹配 | 对应指标 (`headers` name the
    columns for the file shown: a score sheet or a report)."""

    headers: tuple[str, ...] = SCORE_HEADERS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section] if section < len(self.headers) else None
        return super().headerData(section, orientation, role)

    columns = (
        Column("位置", lambda r: r.where),
        Column("表中写法", lambda r: r.written),
        Column("省评得分 / 扣分原因", lambda r: r.detail),
        Column("匹配", lambda r: r.state_text, colour=_state_colour),
        Column("对应指标", lambda r: "；".join(_ref_text(i) for i in r.indicators)
               or ("候选：" + "、".join(c.code for c in r.candidates) if r.candidates else ""),
               colour=_state_colour),
    )


class ReviewImportDialog(QDialog):
    """See the module docstring."""

    preview_requested = Signal(dict)
    commit_requested = Signal(dict)
    cancel_requested = Signal()

    def __init__(self, nodes: Sequence[IndicatorNode] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._nodes = [n for n in nodes if n.code]          # a correction names an indicator by its code
        self._result: Any = None
        self._rows: list[PreviewRow] = []
        self._corrections: dict[int, str] = {}
        self._state = "empty"        # empty | previewing | preview | committing | done
        self._keep_key: int | None = None
        self.start_dir = ""
        self.choose_file = self._file_dialog  # replaced in tests

        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText("尚未选择文件")
        self.browse = QPushButton("选择文件…")
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("文件："))
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        self.read_as = QLabel("")
        self.read_as.setWordWrap(True)
        self._columns: dict[str, str] = {}
        self.column_combos: dict[str, QComboBox] = {}
        self.columns_row = QWidget()
        cols = QHBoxLayout(self.columns_row)
        cols.setContentsMargins(0, 0, 0, 0)
        cols.addWidget(QLabel("读取的列（读错了可改）："))
        for role, name in COLUMN_ROLES:
            combo = QComboBox()
            combo.addItem("（无）", "-")
            for letter in LETTERS:
                combo.addItem(f"{letter} 列", letter)
            combo.setToolTip(f"{name}从哪一列读取；改后立即重新预览")
            combo.activated.connect(lambda _i, r=role: self._column_changed(r))
            self.column_combos[role] = combo
            cols.addWidget(QLabel(f"{name}："))
            cols.addWidget(combo)
        cols.addStretch(1)
        self.columns_row.setVisible(False)

        self.model = PreviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, w in enumerate((64, 170, 190, 110)):
            self.table.setColumnWidth(col, w)

        # the correction pane
        self.pick_box = QGroupBox("选择对应指标")
        self.pick_label = QLabel("选择左侧的一行，为它指定对应的指标")
        self.pick_label.setWordWrap(True)
        self.filter = QLineEdit(placeholderText="输入编号或文字筛选，如 4.2 或 投诉")
        self.filter.setClearButtonEnabled(True)
        self.choices = QListWidget()
        self.set_btn = QPushButton("设为所选指标")
        self.set_btn.setDefault(False)
        self.set_btn.setAutoDefault(False)
        self.skip_btn = QPushButton("不导入此行")
        self.skip_btn.setAutoDefault(False)
        self.auto_btn = QPushButton("恢复自动匹配")
        self.auto_btn.setAutoDefault(False)
        pick_buttons = QHBoxLayout()
        pick_buttons.addWidget(self.set_btn)
        pick_buttons.addWidget(self.skip_btn)
        pick_buttons.addWidget(self.auto_btn)
        pl = QVBoxLayout(self.pick_box)
        pl.addWidget(self.pick_label)
        pl.addWidget(self.filter)
        pl.addWidget(self.choices, 1)
        pl.addLayout(pick_buttons)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.pick_box)
        split.setSizes([780, 340])
        split.setChildrenCollapsible(False)

        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error.setVisible(False)
        self.progress = QProgressBar()
        self.progress_label = QLabel("")
        self.stop = QPushButton("停止导入")
        self.commit = QPushButton("导入")
        self.commit.setAutoDefault(False)
        self.close_btn = QPushButton("关闭")
        self.close_btn.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress_label)
        bottom.addWidget(self.progress, 3)
        bottom.addStretch(1)
        bottom.addWidget(self.stop)
        bottom.addWidget(self.commit)
        bottom.addWidget(self.close_btn)

        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addLayout(file_row)
        lay.addWidget(self.read_as)
        lay.addWidget(self.columns_row)
        lay.addWidget(split, 1)
        lay.addWidget(self.summary)
        lay.addWidget(self.error)
        lay.addLayout(bottom)
        self.resize(1180, 700)

        self.browse.clicked.connect(self._browse)
        self.commit.clicked.connect(self._commit)
        self.stop.clicked.connect(self._stop)
        self.close_btn.clicked.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_choices())
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.returnPressed.connect(self._set_chosen)
        self.filter.installEventFilter(self)
        self.choices.itemDoubleClicked.connect(lambda *_: self._set_chosen())
        self.set_btn.clicked.connect(self._set_chosen)
        self.skip_btn.clicked.connect(lambda: self._correct(SKIP))
        self.auto_btn.clicked.connect(lambda: self._correct(None))
        self._update_buttons()

    # -- what the clerk did -------------------------------------------------------------------
    def _browse(self) -> None:
        path = self.choose_file()
        if path:
            self.set_file(path)

    def _file_dialog(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, TITLE, self.start_dir, FILE_FILTER)
        return path

    def set_file(self, path: str) -> None:
        """Start over with `path` and ask for its preview."""
        self.path.setText(path)
        self._corrections.clear()
        self._columns.clear()
        self._result = None
        self._rows = []
        self.model.set_rows([])
        self.request_preview()

    def options(self) -> dict[str, Any]:
        """The file and the clerk's corrections, as `import_review` takes them."""
        return {"path": self.path.text(),
                "mapping": [f"{k}={v}" for k, v in sorted(self._corrections.items())]
                + [f"{role}={letter}" for role, letter in sorted(self._columns.items())]}

    def request_preview(self) -> None:
        if not self.path.text() or self._state in ("committing", "done"):
            return
        self._state = "previewing"
        self._say_error("")
        self.summary.setText("正在读取，请稍候…")
        self._update_buttons()
        emit(self.preview_requested, self.options())

    def eventFilter(self, obj: Any, event: Any) -> bool:
        """Up/Down in the filter box move in the list: type, pick with the arrows, Enter sets."""
        if obj is self.filter and event.type() == event.Type.KeyPress and event.key() in (
                Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            QApplication.sendEvent(self.choices, QKeyEvent(event.type(), event.key(), event.modifiers()))
            return True
        return super().eventFilter(obj, event)

    def current_row(self) -> PreviewRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _set_chosen(self) -> None:
        row = self.current_row()
        picked = [i for i in self.choices.selectedItems() if not i.isHidden()]
        if row is None:
            return
        if not picked:
            self.pick_label.setText("请先在列表中选择一个指标")
            return
        codes = list(dict.fromkeys(str(i.data(Qt.ItemDataRole.UserRole)) for i in picked))
        self._correct("+".join(codes))

    def _correct(self, value: str | None) -> None:
        """Set (a code, "a+b", SKIP) or clear (None) the correction of the selected row."""
        row = self.current_row()
        if row is None or self._state != "preview":
            return
        if value is None:
            if row.key not in self._corrections:
                return
            del self._corrections[row.key]
        else:
            self._corrections[row.key] = value
        self._keep_key = row.key
        self.request_preview()

    def _column_changed(self, role: str) -> None:
        if self._state != "preview":
            return
        letter = str(self.column_combos[role].currentData())
        if letter == "-":
            self._columns.pop(role, None)
        else:
            self._columns[role] = letter
        self.request_preview()

    def _commit(self) -> None:
        if self._state != "preview" or self._result is None:
            return
        self._state = "committing"
        self._say_error("")
        self.progress.setRange(0, 0)
        self.progress_label.setText("正在导入…")
        self._update_buttons()
        emit(self.commit_requested, self.options())

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

    # -- the correction pane --------------------------------------------------------------------
    def _show_choices(self) -> None:
        row = self.current_row()
        self.choices.clear()
        enabled = row is not None and self._state == "preview"
        for w in (self.filter, self.choices, self.set_btn, self.skip_btn, self.auto_btn):
            w.setEnabled(enabled)
        if row is None:
            self.pick_label.setText("选择左侧的一行，为它指定对应的指标")
            return
        report = self._result is not None and self._result.kind == "report"
        shared = sum(1 for r in self._rows if r.key == row.key)
        what = f"{row.where}的 {shared} 个问题" if report and shared > 1 else row.where
        self.pick_label.setText(f"{what}：{row.written[:60]}\n现在：{row.state_text}"
                                + (f"，{'；'.join(_ref_text(i) for i in row.indicators)}" if row.indicators else ""))
        self.choices.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if report
                                      else QAbstractItemView.SelectionMode.SingleSelection)
        self.auto_btn.setEnabled(enabled and row.key in self._corrections)
        seen: set[str] = set()
        for c in row.candidates:
            if not c.code or c.code in seen:
                continue
            seen.add(c.code)
            self._add_choice(f"候选：{_ref_text(c)}", c.code)
        for n in self._nodes:
            self._add_choice("　" * (n.level - 1) + _ref_text(n) + ("" if n.is_leaf else "（上级指标）"), n.code)
        current = {i.code for i in row.indicators}
        for i in range(self.choices.count()):
            if self.choices.item(i).data(Qt.ItemDataRole.UserRole) in current:
                self.choices.setCurrentRow(i)
                break
        else:
            if row.candidates:
                self.choices.setCurrentRow(0)
        self._apply_filter(self.filter.text())

    def _add_choice(self, text: str, code: str) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setData(Qt.ItemDataRole.UserRole + 1, fold(text))
        self.choices.addItem(item)

    def _apply_filter(self, text: str) -> None:
        f = fold(text.strip())
        first = None
        for i in range(self.choices.count()):
            item = self.choices.item(i)
            hide = bool(f) and f not in item.data(Qt.ItemDataRole.UserRole + 1)
            item.setHidden(hide)
            if not hide and first is None:
                first = i
        if f and first is not None:
            self.choices.setCurrentRow(first)

    # -- what the controller shows --------------------------------------------------------------
    def set_preview(self, result: Any) -> None:
        """Show a dry run's `ReviewImport`."""
        self._result = result
        self._rows = preview_rows(result)
        self._state = "preview"
        self.model.headers = SCORE_HEADERS if result.scores is not None else REPORT_HEADERS
        self.model.set_rows(self._rows)
        self.table.setColumnWidth(1, 170 if result.scores is not None else 300)
        self._say_error("")
        if result.scores is not None:
            cols = result.scores.columns
            names = {"code": "编号", "title": "指标", "level3": "三级指标", "level2": "二级指标",
                     "province": "省评得分", "reason": "扣分原因"}
            read = "，".join(f"{names[k]} {v} 列" for k, v in cols.items() if k in names)
            self.read_as.setText(f"按省评得分表读取：工作表“{result.scores.sheet}”，"
                                 f"表头在第 {result.scores.header_row} 行；{read}")
            for role, combo in self.column_combos.items():
                shown = cols.get(role) or (next((cols[k] for k in ("level4", "level3", "level2", "level1")
                                                 if k in cols), None) if role == "title" else None)
                letter = self._columns.get(role) or shown or "-"
                combo.setCurrentIndex(max(0, combo.findData(letter)))
                label = combo.font()
                label.setBold(role in self._columns)
                combo.setFont(label)
            self.columns_row.setVisible(True)
        else:
            self.columns_row.setVisible(False)
            self.read_as.setText(f"按评价结果报告读取：{result.report.paragraphs} 段，"
                                 "按“存在问题”“扣分说明”“建议”找出问题及其所在指标")
        self.summary.setText(self._summary())
        keep = self._keep_key
        self._keep_key = None
        target = next((n for n, r in enumerate(self._rows) if r.key == keep), None)
        if target is None:
            target = next((n for n, r in enumerate(self._rows) if r.state in ("ambiguous", "unmatched")), None)
        if target is not None:
            self.table.selectRow(target)
        self._show_choices()
        self._update_buttons()

    def _summary(self) -> str:
        r = self._result
        what = "行" if r.kind == "scores" else "个问题"
        text = f"共 {len(self._rows)} {what}：已匹配 {r.matched}"
        if r.ambiguous:
            text += f"，待选择 {r.ambiguous}"
        if r.unmatched:
            text += f"，未匹配 {r.unmatched}"
        skipped = sum(1 for x in self._rows if x.state == "skipped")
        if skipped:
            text += f"，不导入 {skipped}"
        if r.ambiguous or r.unmatched:
            text += "。请在右侧为待选择和未匹配的行选择指标，或直接导入（这些行不导入）"
        else:
            text += "。确认无误后点击“导入”"
        return text

    def set_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        if text:
            self.progress_label.setText(text)

    def set_committed(self, result: Any) -> None:
        """The import is done: say what it wrote; the dialog now only closes."""
        self._state = "done"
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress_label.setText("导入完成")
        parts = []
        if result.kind == "scores":
            parts.append(f"写入省评分 {result.scores_written} 项")
        else:
            parts.append(f"写入存在问题 {result.problems_written} 条")
        parts.append(f"新建整改事项 {len(result.items_created)} 项" if result.items_created
                     else "没有新的整改事项（已有的不重复建立）")
        self.summary.setText("已导入：" + "，".join(parts) + "。可在“整改”和“自评与省评”中查看。")
        self._update_buttons()

    def set_failed(self, message: str) -> None:
        """The preview or the import failed (a known failure): say why, allow another try."""
        was = self._state
        self._state = "preview" if self._result is not None else "empty"
        if was == "previewing" and self._result is None:
            self.summary.setText("")
        self.progress_label.setText("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._say_error(message)
        self._update_buttons()

    def set_cancelled(self) -> None:
        self._state = "preview" if self._result is not None else "empty"
        self.progress_label.setText("")
        self.summary.setText("已停止导入：档案库没有任何改动。")
        self._update_buttons()

    def _say_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # -- state ----------------------------------------------------------------------------------
    def state(self) -> str:
        return self._state

    def rows(self) -> list[PreviewRow]:
        return list(self._rows)

    def corrections(self) -> dict[int, str]:
        return dict(self._corrections)

    def _update_buttons(self) -> None:
        s = self._state
        busy = s in ("previewing", "committing")
        self.browse.setEnabled(not busy and s != "done")
        self.commit.setEnabled(s == "preview" and any(r.state == "matched" for r in self._rows))
        self.commit.setVisible(s != "done")
        running = s == "committing"
        self.progress.setVisible(running or s == "done")
        self.progress_label.setVisible(running or s == "done")
        self.stop.setVisible(running)
        self.stop.setEnabled(running)
        self.close_btn.setText("完成" if s == "done" else "关闭")
        self.close_btn.setEnabled(not running)
        self.columns_row.setEnabled(s == "preview")
        if s != "preview":
            for w in (self.filter, self.choices, self.set_btn, self.skip_btn, self.auto_btn):
                w.setEnabled(False)


__all__ = ["ReviewImportDialog", "preview_rows"]
