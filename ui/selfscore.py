"""Self-scores in the window (issue 7, item 5): the 自评 tab beside an indicator's detail,
and the overview of every indicator (自评得分总表).

Widgets only. They show `storage.readmodels.AssessmentRow` / `SelfScoreSheet` they are
given and emit what the clerk asked; the checks (score between 0 and the maximum, two
decimals, numbers) are storage's (`storage.assessments.set_assessment`), so a refused
value comes back as a message from the controller and nothing is saved.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage.readmodels import AssessmentRow, SelfScoreSheet
from ui.qtfix import emit

TARGET_STATE = {"met": "达标", "not_met": "未达标", "unknown": "未填", "": ""}
TARGET_COLOURS = {"met": "#2e7d32", "not_met": "#c62828", "unknown": "#8a8a8a"}
VETO_STATE = {"clear": "未发生", "violated": "已发生", "unchecked": "未核查", "": ""}
VETO_COLOURS = {"clear": "#2e7d32", "violated": "#c62828", "unchecked": "#8a6d3b"}
ERROR_COLOUR = "#c62828"
COMPARATORS = {">=": "≥", ">": "＞", "<=": "≤", "<": "＜", "=": "＝"}


def number_text(value: float | None) -> str:
    """12.0 → "12", 96.25 → "96.25", None → ""."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def target_text(row: AssessmentRow) -> str:
    """The numeric target as the framework gives it, e.g. "合格率≥94%（≥ 94 %）"."""
    if not row.target_comparator or row.target_value is None:
        return row.target_text
    numeric = f"{COMPARATORS.get(row.target_comparator, row.target_comparator)} " \
              f"{number_text(row.target_value)}{row.target_unit}"
    if row.target_text and number_text(row.target_value) in row.target_text:
        return row.target_text  # "合格率≥94%" says it already
    return f"{row.target_text}（{numeric}）" if row.target_text else numeric


class SelfScorePanel(QWidget):
    """The self-assessment of the selected leaf indicator: score (with the maximum),
    deduction note, description for the 自评报告, the actual value against a numeric target
    (达标/未达标/未填) and, for a veto item, whether the event happened (未发生/已发生).

    Signals:
        save_requested(indicator_id, code, {field: value}): only what changed, in the
            keywords of `storage.assessments.set_assessment` (score, value, veto, note,
            description); values are the clerk's text, checked by storage.
        overview_requested(): show the 自评得分总表.
    """

    save_requested = Signal(int, str, dict)
    overview_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._row: AssessmentRow | None = None
        self.heading = QLabel("")
        self.heading.setWordWrap(True)
        f = self.heading.font()
        f.setBold(True)
        self.heading.setFont(f)
        self.rule = QLabel("")
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet("color: #555;")
        self.score = QLineEdit()
        self.score.setMaximumWidth(90)
        self.max_label = QLabel("")
        score_row = QHBoxLayout()
        score_row.addWidget(self.score)
        score_row.addWidget(self.max_label)
        score_row.addStretch(1)
        self.score_box = QWidget()
        self.score_box.setLayout(score_row)
        score_row.setContentsMargins(0, 0, 0, 0)
        self.veto = QComboBox()
        for key in ("unchecked", "clear", "violated"):
            self.veto.addItem(VETO_STATE[key], key)
        self.veto.setToolTip("一票否决项不打分：核查该事项是否发生")
        self.target = QLabel("")
        self.target.setWordWrap(True)
        self.value = QLineEdit()
        self.value.setMaximumWidth(110)
        self.unit = QLabel("")
        self.state = QLabel("")
        value_row = QHBoxLayout()
        value_row.setContentsMargins(0, 0, 0, 0)
        value_row.addWidget(self.value)
        value_row.addWidget(self.unit)
        value_row.addWidget(self.state)
        value_row.addStretch(1)
        self.value_box = QWidget()
        self.value_box.setLayout(value_row)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("扣分的原因；满分时可不填")
        self.note.setMaximumHeight(80)
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("写入自评报告的完成情况")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.save = QPushButton("保存自评")
        self.revert = QPushButton("撤销修改")
        self.overview = QPushButton("自评得分总表…")

        form = self.form = QFormLayout()
        form.addRow("自评得分", self.score_box)
        form.addRow("一票否决核查", self.veto)
        form.addRow("目标", self.target)
        form.addRow("实际值", self.value_box)
        form.addRow("扣分说明", self.note)
        form.addRow("完成情况", self.description)
        buttons = QHBoxLayout()
        buttons.addWidget(self.overview)
        buttons.addStretch(1)
        buttons.addWidget(self.revert)
        buttons.addWidget(self.save)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.rule)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addLayout(buttons)
        lay.addStretch(1)

        self.save.clicked.connect(self._on_save)
        self.revert.clicked.connect(lambda: self.set_row(self._row))
        self.overview.clicked.connect(lambda: emit(self.overview_requested))
        self.value.textEdited.connect(self._value_edited)
        self.score.returnPressed.connect(self._on_save)
        self.value.returnPressed.connect(self._on_save)
        self.set_row(None)

    # -- content ---------------------------------------------------------------------------
    def row(self) -> AssessmentRow | None:
        return self._row

    def set_row(self, row: AssessmentRow | None, message: str = "", *, node_text: str = "") -> None:
        """Show `row` (None: nothing to assess; `node_text` says why, e.g. a parent node)."""
        self._row = row
        editable = row is not None and row.is_leaf
        for w in (self.score, self.veto, self.value, self.note, self.description, self.save, self.revert):
            w.setEnabled(editable)
        self._set_message(message)
        if row is None or not row.is_leaf:
            self.heading.setText(node_text or "在左侧选择一个末级指标后，在这里填写自评得分")
            self.rule.setText("只有末级指标自评打分；上级指标的得分是下级之和，见“自评得分总表”。"
                              if row is not None else "")
            for e in (self.score, self.value):
                e.clear()
            self.note.clear()
            self.description.clear()
            self.max_label.setText("")
            self.target.setText("")
            self.state.setText("")
            self.unit.setText("")
            self._show_rows(score=True, veto=False, target=False)
            return
        marks = "".join(m for m, on in (("【一票否决】", row.is_veto), ("【关键项】", row.is_key)) if on)
        self.heading.setText(f"{row.code} {row.title}{marks}".strip())
        self.rule.setText(f"评分标准：{row.scoring_rule}" if row.scoring_rule else "")
        has_target = bool(row.target_comparator) and row.target_value is not None
        veto_combo = row.is_veto and not has_target
        self._show_rows(score=not row.is_veto, veto=veto_combo,
                        target=has_target or bool(row.target_text) and not row.is_veto)
        maximum = number_text(row.max_score) if row.max_score is not None else ""
        self.max_label.setText(f"/ {maximum} 分" if maximum else "（本指标没有分值）")
        self.score.setPlaceholderText(f"0–{maximum}" if maximum else "")
        self.score.setText(number_text(row.self_score))
        self.veto.setCurrentIndex(max(0, self.veto.findData(row.veto_state or "unchecked")))
        self.target.setText(target_text(row) or "（无数值目标）")
        self.value.setText(number_text(row.actual_value))
        self.unit.setText(row.target_unit)
        self._show_state(row)
        self.note.setPlainText(row.deduction_note)
        self.description.setPlainText(row.description)

    def _show_rows(self, *, score: bool, veto: bool, target: bool) -> None:
        self.form.setRowVisible(self.score_box, score)
        self.form.setRowVisible(self.veto, veto)
        self.form.setRowVisible(self.target, target)
        self.form.setRowVisible(self.value_box, target)

    def _show_state(self, row: AssessmentRow) -> None:
        if row.is_veto and row.veto_state and row.target_comparator:
            key, text, colours = row.veto_state, VETO_STATE[row.veto_state], VETO_COLOURS
        else:
            key, text, colours = row.target_state, TARGET_STATE.get(row.target_state, ""), TARGET_COLOURS
        self.state.setText(text)
        self.state.setStyleSheet(f"color: {colours.get(key, '#555')}; font-weight: bold;")

    def _value_edited(self, _text: str) -> None:
        if self._row is not None:
            self.state.setText("（保存后判断是否达标）")
            self.state.setStyleSheet("color: #8a8a8a;")

    def _set_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")

    def show_error(self, text: str) -> None:
        """A refused value: the message, the clerk's text kept for correction."""
        self._set_message(text, error=True)

    # -- saving ----------------------------------------------------------------------------
    def changes(self) -> dict[str, Any]:
        r = self._row
        if r is None or not r.is_leaf:
            return {}
        out: dict[str, Any] = {}
        if self.form.isRowVisible(self.score_box) and self.score.text().strip() != number_text(r.self_score):
            out["score"] = self.score.text().strip()
        if self.form.isRowVisible(self.veto):
            state = self.veto.currentData()
            if state != (r.veto_state or "unchecked"):
                if state == "unchecked":
                    out["value"] = None
                else:
                    out["veto"] = state
        if self.form.isRowVisible(self.value_box) and self.value.text().strip() != number_text(r.actual_value):
            out["value"] = self.value.text().strip()
        if self.note.toPlainText().strip() != r.deduction_note:
            out["note"] = self.note.toPlainText()
        if self.description.toPlainText().strip() != r.description:
            out["description"] = self.description.toPlainText()
        return out

    def _on_save(self) -> bool:
        """Start saving what changed; False when nothing could be sent (the message says why)."""
        r = self._row
        if r is None or not r.is_leaf:
            return False
        changes = self.changes()
        if not changes:
            self._set_message("没有修改")
            return True
        if not r.code:
            self.show_error("这个指标没有编号，无法保存自评；请先在指标体系中为它补上编号")
            return False
        self._set_message("正在保存…")
        emit(self.save_requested, r.indicator_id, r.code, changes)
        return True


class SelfScoreOverview(QDialog):
    """Every indicator with its self-score (自评得分总表): the tree of the framework with
    maximum, self score (a parent shows the sum of its leaves), target, actual value and
    whether it is met, and the deduction note; the total against the maximum at the top.

    Signals:
        indicator_activated(indicator_id): the clerk double-clicked a row (go and edit it).
        refresh_requested()
    """

    indicator_activated = Signal(int)
    refresh_requested = Signal()
    COLUMNS = ("指标", "分值", "自评得分", "目标", "实际值", "达标情况", "扣分说明")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("自评得分总表")
        self.resize(1000, 640)
        self.sheet: SelfScoreSheet | None = None
        self.summary = QLabel("正在读取…")
        self.summary.setWordWrap(True)
        f = self.summary.font()
        f.setPointSizeF(f.pointSizeF() * 1.1)
        self.summary.setFont(f)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(self.COLUMNS))
        self.tree.setHeaderLabels(list(self.COLUMNS))
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setToolTip("双击一行，转到该指标填写自评")
        h = self.tree.header()
        h.setStretchLastSection(True)
        for col, w in enumerate((380, 50, 70, 170, 70, 70)):
            self.tree.setColumnWidth(col, w)
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.refresh = buttons.addButton("刷新", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.refresh.clicked.connect(lambda: emit(self.refresh_requested))
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree, 1)
        lay.addWidget(buttons)
        self.tree.itemDoubleClicked.connect(self._activated)

    def set_sheet(self, sheet: SelfScoreSheet) -> None:
        self.sheet = sheet
        self.tree.clear()
        if sheet.framework_id is None:
            self.summary.setText("档案库中还没有指标体系。")
            return
        children: dict[int | None, list[AssessmentRow]] = {}
        for r in sheet.rows:
            children.setdefault(r.parent_id, []).append(r)

        def subtotal(r: AssessmentRow) -> tuple[float, bool]:
            """The sum of the self scores of r's leaves, and whether any was given."""
            if r.is_leaf:
                return (r.self_score or 0.0, r.self_score is not None)
            total, any_given = 0.0, False
            for k in children.get(r.indicator_id, ()):
                t, g = subtotal(k)
                total, any_given = total + t, any_given or g
            return round(total, 2), any_given

        bold = QFont(self.tree.font())
        bold.setBold(True)

        def add(parent: QTreeWidgetItem | None, r: AssessmentRow) -> None:
            marks = "".join(m for m, on in (("【一票否决】", r.is_veto), ("【关键项】", r.is_key)) if on)
            score, given = subtotal(r)
            if r.is_veto:
                result, colour = VETO_STATE.get(r.veto_state, ""), VETO_COLOURS.get(r.veto_state)
            else:
                result, colour = TARGET_STATE.get(r.target_state, ""), TARGET_COLOURS.get(r.target_state)
            cells = [
                f"{r.code} {r.title}{marks}".strip(),
                number_text(r.max_score),
                number_text(score) if given else ("—" if r.is_leaf and not r.is_veto else ""),
                target_text(r) if r.is_leaf else "",
                number_text(r.actual_value) if not r.is_veto else "",
                result,
                r.deduction_note,
            ]
            item = QTreeWidgetItem(cells)
            item.setData(0, Qt.ItemDataRole.UserRole, r.indicator_id)
            item.setToolTip(0, cells[0])
            item.setToolTip(6, r.deduction_note)
            for c in (1, 2, 4):
                item.setTextAlignment(c, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if colour:
                item.setForeground(5, QBrush(QColor(colour)))
            if not r.is_leaf:
                for c in range(len(cells)):
                    item.setFont(c, bold)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            for k in children.get(r.indicator_id, ()):
                add(item, k)

        for root in children.get(None, ()):
            add(None, root)
        self.tree.expandAll()
        self.summary.setText(overview_summary(sheet))

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        iid = item.data(0, Qt.ItemDataRole.UserRole)
        if iid is not None:
            emit(self.indicator_activated, int(iid))


def overview_summary(sheet: SelfScoreSheet) -> str:
    """"自评合计 35 分 / 满分 41 分；已自评 12 项，未自评 2 项；一票否决项：1 项未核查"."""
    leaves = sheet.leaves
    scored = sum(1 for r in leaves if r.self_score is not None and not r.is_veto)
    unscored = len(sheet.unscored)
    vetoes = [r for r in leaves if r.is_veto]
    veto_parts = []
    for key in ("violated", "unchecked"):
        n = sum(1 for r in vetoes if r.veto_state == key)
        if n:
            veto_parts.append(f"{n} 项{VETO_STATE[key]}")
    veto = ("；一票否决项：" + ("、".join(veto_parts) if veto_parts else "均未发生")) if vetoes else ""
    maximum = sheet.total_score if sheet.total_score is not None else sheet.max_total
    sample = "（示例指标体系）" if sheet.is_sample and "示例" not in sheet.framework_name else ""
    return (f"{sheet.framework_name}{sample}：自评合计 {number_text(sheet.self_total)} 分 / "
            f"满分 {number_text(maximum)} 分；已自评 {scored} 项，未自评 {unscored} 项{veto}")


__all__ = ["SelfScoreOverview", "SelfScorePanel", "number_text", "overview_summary", "target_text"]
