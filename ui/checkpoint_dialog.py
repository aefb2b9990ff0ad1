"""The 自查 dialog (issue 16, item 4): take a self-assessment checkpoint with a note, list the
checkpoints, and compare two of them, or one with a sealed submission, showing what changed
per indicator (自评分, 佐证材料, 预检) and what is still missing. And the read-only 轮次 list
(`RoundsDialog`, issue 16 item 5: starting or switching a round stays on the command line).

It shows the read models it is given (`CheckpointSummary`, `SubmissionSummary`,
`CheckpointChange`, the `CheckpointDiff` of desktop.actions.checkpoints used by its
attributes) and emits what the clerk asked; desktop/window/checkpoints.py runs the work.

Signals:
    take_requested(note): record a checkpoint now.
    diff_requested(before, after): compare; each a checkpoint id ("3") or "submission:N".
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from storage.readmodels import SubmissionSummary
from storage.readmodels.review import CheckpointChange, CheckpointSummary, RoundSummary
from ui import texts
from ui.models import Column, RowTableModel
from ui.qtfix import emit

BETTER = QColor("#3c763d")
WORSE = QColor("#c9302c")
_RIGHT = Qt.AlignmentFlag.AlignRight


def _when(cp: CheckpointSummary) -> str:
    return texts.datetime_text(cp.taken_at)


def _total(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


class CheckpointModel(RowTableModel):
    """编号 | 时间 | 说明 | 自评总分 | 有材料 | 已采纳 | 预检."""

    columns = (
        Column("编号", lambda c: c.id, align=_RIGHT),
        Column("时间", _when),
        Column("说明", lambda c: c.note),
        Column("自评总分", lambda c: _total(c.self_total), align=_RIGHT),
        Column("有材料的末级指标", lambda c: f"{c.leaves_covered}/{c.leaves}", align=_RIGHT),
        Column("已采纳", lambda c: f"{c.leaves_accepted}/{c.leaves}", align=_RIGHT),
        Column("预检", lambda c: f"{c.preflight_errors} 个问题，{c.preflight_warnings} 个提醒"),
    )


def _change_colour(c: CheckpointChange) -> QColor | None:
    return None if c.improved is None else (BETTER if c.improved else WORSE)


def _change_word(c: CheckpointChange) -> str:
    return "—" if c.improved is None else ("好转" if c.improved else "变差")


class ChangeModel(RowTableModel):
    """指标 | 项目 | 之前 | 现在 | 变化."""

    columns = (
        Column("指标", lambda c: f"{c.indicator.code} {c.indicator.title}".strip()),
        Column("项目", lambda c: c.what),
        Column("之前", lambda c: c.before),
        Column("现在", lambda c: c.after),
        Column("变化", _change_word, colour=_change_colour),
    )


def _table(model: RowTableModel, widths: Sequence[int]) -> QTableView:
    t = QTableView()
    t.setModel(model)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setAlternatingRowColors(True)
    t.horizontalHeader().setStretchLastSection(True)
    for col, w in enumerate(widths):
        t.setColumnWidth(col, w)
    return t


class CheckpointDialog(QDialog):
    """See the module docstring."""

    take_requested = Signal(str)
    diff_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("自查记录")
        self._checkpoints: list[CheckpointSummary] = []
        self._submissions: list[SubmissionSummary] = []
        hint = QLabel("自查记录保存某一时刻的自评分、材料覆盖情况和预检结果。随时可以记录一次，"
                      "再与以前的自查或已封存的提交比较：哪些指标好转了，哪些还缺材料。")
        hint.setWordWrap(True)
        self.note = QLineEdit(placeholderText="说明，如“迎检前自查”（可不填）")
        self.take_btn = QPushButton("记录自查")
        self.take_btn.setAutoDefault(False)
        take_row = QHBoxLayout()
        take_row.addWidget(QLabel("本次说明："))
        take_row.addWidget(self.note, 1)
        take_row.addWidget(self.take_btn)

        self.list_model = CheckpointModel(self)
        self.list_view = _table(self.list_model, (50, 130, 200, 80, 120, 90))
        list_box = QGroupBox("自查记录")
        ll = QVBoxLayout(list_box)
        ll.addLayout(take_row)
        ll.addWidget(self.list_view, 1)

        self.before = QComboBox()
        self.after = QComboBox()
        for combo in (self.before, self.after):
            combo.setMinimumContentsLength(24)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.diff_btn = QPushButton("比较")
        self.diff_btn.setAutoDefault(False)
        diff_row = QHBoxLayout()
        diff_row.addWidget(QLabel("较早："))
        diff_row.addWidget(self.before, 1)
        diff_row.addWidget(QLabel("较晚："))
        diff_row.addWidget(self.after, 1)
        diff_row.addWidget(self.diff_btn)
        self.diff_summary = QLabel("")
        self.diff_summary.setWordWrap(True)
        self.diff_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change_model = ChangeModel(self)
        self.change_view = _table(self.change_model, (200, 60, 290, 290))
        diff_box = QGroupBox("比较")
        dl = QVBoxLayout(diff_box)
        dl.addLayout(diff_row)
        dl.addWidget(self.diff_summary)
        dl.addWidget(self.change_view, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(list_box)
        split.addWidget(diff_box)
        split.setSizes([260, 420])
        split.setChildrenCollapsible(False)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.close_btn = QPushButton("关闭")
        self.close_btn.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addWidget(split, 1)
        lay.addLayout(bottom)
        self.resize(980, 720)

        self.take_btn.clicked.connect(self._take)
        self.note.returnPressed.connect(self._take)
        self.diff_btn.clicked.connect(self._diff)
        self.close_btn.clicked.connect(self.reject)
        self._update_buttons()

    # -- what the clerk did -------------------------------------------------------------------
    def _take(self) -> None:
        if not self.take_btn.isEnabled():
            return
        self.take_btn.setEnabled(False)
        self.say("正在自查（预检全部指标），请稍候…")
        emit(self.take_requested, self.note.text().strip())

    def _diff(self) -> None:
        before, after = self.before.currentData(), self.after.currentData()
        if before is None or after is None:
            return
        if before == after:
            self.say("请选择两次不同的自查（或一次自查和一次封存的提交）进行比较", error=True)
            return
        self.say("正在比较…")
        self.diff_btn.setEnabled(False)
        emit(self.diff_requested, str(before), str(after))

    # -- what the controller shows --------------------------------------------------------------
    def set_data(self, checkpoints: Sequence[CheckpointSummary], submissions: Sequence[SubmissionSummary]) -> None:
        """The checkpoints (oldest first) and the sealed submissions to compare with; the
        comparison picks the two newest checkpoints (or the newest submission and the newest
        checkpoint)."""
        self._checkpoints = sorted(checkpoints, key=lambda c: (c.taken_at, c.id))
        self._submissions = list(submissions)
        self.list_model.set_rows(list(reversed(self._checkpoints)))   # the newest on top
        entries: list[tuple[Any, str, str]] = []
        for s in self._submissions:
            when = texts.datetime_text(s.sealed_at)
            entries.append((s.sealed_at, f"封存的第 {s.id} 次提交（{when}{'，' + s.note if s.note else ''}）",
                            f"submission:{s.id}"))
        for c in self._checkpoints:
            entries.append((c.taken_at, f"自查 {c.id}（{_when(c)}{'，' + c.note if c.note else ''}）", str(c.id)))
        entries.sort(key=lambda e: e[0])
        for combo in (self.before, self.after):
            combo.clear()
            for _at, text, ref in entries:
                combo.addItem(text, ref)
        if len(entries) >= 2:
            self.before.setCurrentIndex(len(entries) - 2)
            self.after.setCurrentIndex(len(entries) - 1)
        self._update_buttons()

    def taken(self, cp: CheckpointSummary) -> None:
        self.note.clear()
        self.say(f"已记录自查 {cp.id}：自评总分 {_total(cp.self_total) or '—'}，"
                 f"{cp.leaves_covered}/{cp.leaves} 个末级指标有材料，预检 {cp.preflight_errors} 个问题")
        self._update_buttons()

    def show_diff(self, diff: Any) -> None:
        """Show a `CheckpointDiff`: its changes, what improved, what is still missing."""
        self.change_model.set_rows(list(diff.changes))
        missing = list(diff.still_missing)
        text = (f"{diff.before} → {diff.after}：{len(diff.changes)} 处变化，好转 {len(diff.improved)}，"
                f"变差 {len(diff.worse)}")
        if missing:
            names = "、".join(f"{r.code} {r.title}".strip() for r in missing[:8])
            text += f"；仍缺材料的指标 {len(missing)} 个：{names}" + ("等" if len(missing) > 8 else "")
        else:
            text += "；所有末级指标都有材料"
        self.diff_summary.setText(text)
        self.say("")
        self._update_buttons()

    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #c9302c;" if error else "")

    def failed(self, text: str) -> None:
        self.say(text, error=True)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.take_btn.setEnabled(True)
        self.diff_btn.setEnabled(self.before.count() >= 2)


def _period(r: RoundSummary) -> str:
    if r.period_start is None and r.period_end is None:
        return "未定"
    return f"{texts.date_text(r.period_start) or '…'} 至 {texts.date_text(r.period_end) or '…'}"


class RoundModel(RowTableModel):
    """编号 | 名称 | 指标体系 | 评价期 | 开始于 | 指标 | 材料关联 | 封存的提交 | 当前."""

    columns = (
        Column("编号", lambda r: r.id, align=_RIGHT),
        Column("名称", lambda r: r.name),
        Column("指标体系", lambda r: r.framework_name),
        Column("评价期", _period),
        Column("开始于", lambda r: texts.datetime_text(r.started_at)),
        Column("指标", lambda r: r.indicators, align=_RIGHT),
        Column("材料关联", lambda r: r.evidence_links, align=_RIGHT),
        Column("封存的提交", lambda r: r.submissions, align=_RIGHT),
        Column("当前", lambda r: "当前轮次" if r.current else "", colour=lambda r: BETTER if r.current else None),
    )


ROUNDS_HINT = ("同一个档案库里的各轮评价（每轮一套指标体系）。上一轮的指标、材料关联、自评分和封存的提交都原样保留。"
               "开始新一轮或切换轮次请用命令行：evidence-desk round new --framework 新指标体系.xlsx --dry-run，"
               "evidence-desk round use 编号（见用户指南第 8 章“下一轮”）。")


class RoundsDialog(QDialog):
    """The rounds of the archive, read-only (`set_rounds` with RoundSummary rows)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("轮次")
        hint = QLabel(ROUNDS_HINT)
        hint.setWordWrap(True)
        hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = RoundModel(self)
        self.table = _table(self.model, (50, 160, 220, 190, 130, 50, 70, 80))
        self.message = QLabel("正在读取…")
        self.close_btn = QPushButton("关闭")
        self.close_btn.setAutoDefault(False)
        self.close_btn.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        self.resize(1060, 360)

    def set_rounds(self, rounds: Sequence[RoundSummary]) -> None:
        self.model.set_rows(list(rounds))
        current = next((r for r in rounds if r.current), None)
        self.message.setText(f"共 {len(rounds)} 轮" + (f"，当前是“{current.name}”" if current else "")
                             if rounds else "还没有轮次：导入指标体系后即为第一轮")


__all__ = ["CheckpointDialog", "RoundsDialog"]
