"""添加整改事项: a problem the county found itself (自查) or one the province's report left
out, added by hand in the 整改 view — the window's `rectify add`. The dialog only gathers
the clerk's words; desktop/window/review.py writes them and says what went wrong (an
unknown indicator code, an unreadable deadline) back in the dialog, which stays open."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from storage.readmodels import IndicatorNode
from ui.qtfix import emit


def split_names(text: str) -> list[str]:
    """「县教育局、县卫健局」 (also ，,；; and spaces between codes) as a list."""
    for sep in "，,；;/ ":
        text = text.replace(sep, "、")
    return [t.strip() for t in text.split("、") if t.strip()]


class RectifyAddDialog(QDialog):
    """The form of one new item. Signal add_requested(fields): problem, indicator_codes,
    lead, cooperating (lists; an empty lead/cooperating list means "suggest from the
    indicators' duties"), deadline (the text as typed: storage reads 2027-03-31 or
    2027年3月底前)."""

    add_requested = Signal(dict)

    def __init__(self, nodes: Sequence[IndicatorNode] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("添加整改事项")
        self.setMinimumWidth(520)
        self.problem = QPlainTextEdit()
        self.problem.setPlaceholderText("存在的问题，如：部分乡镇质量工作专项经费未列入预算")
        self.problem.setMaximumHeight(90)
        self.indicators = QLineEdit()
        self.indicators.setPlaceholderText("指标编号，多个用“、”分开，如 1.2.1、2.3.1")
        leaves = [n for n in nodes if n.code and n.is_leaf]
        if leaves:
            self.indicators.setToolTip("本指标体系的三级指标：" + "、".join(n.code for n in leaves[:60])
                                       + ("…" if len(leaves) > 60 else ""))
        self.lead = QLineEdit()
        self.lead.setPlaceholderText("留空：按指标的责任分工自动填写")
        self.coop = QLineEdit()
        self.coop.setPlaceholderText("多个用“、”分开；留空：按责任分工自动填写")
        self.deadline = QLineEdit()
        self.deadline.setPlaceholderText("如 2027-03-31 或 2027年3月底前；长期坚持可留空")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c9302c;")
        form = QFormLayout()
        form.addRow("存在问题：", self.problem)
        form.addRow("对应指标：", self.indicators)
        form.addRow("牵头单位：", self.lead)
        form.addRow("配合单位：", self.coop)
        form.addRow("完成时限：", self.deadline)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("添加")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.buttons.accepted.connect(self._add)
        self.buttons.rejected.connect(self.reject)

    def fields(self) -> dict[str, Any]:
        return {"problem": " ".join(self.problem.toPlainText().split()),
                "indicator_codes": split_names(self.indicators.text()),
                "lead": split_names(self.lead.text()), "cooperating": split_names(self.coop.text()),
                "deadline": self.deadline.text().strip() or None}

    def _add(self) -> None:
        f = self.fields()
        if not f["problem"]:
            self.say("请写明存在的问题。")
            return
        self.say("正在添加…", error=False)
        self.buttons.setEnabled(False)
        emit(self.add_requested, f)

    def say(self, text: str, *, error: bool = True) -> None:
        """A message under the form; after a refused add the buttons work again."""
        self.message.setStyleSheet("color: #c9302c;" if error else "")
        self.message.setText(text)
        if error:
            self.buttons.setEnabled(True)
