"""The guided start: a short checklist beside the main views (create archive → import the
indicator system → import the responsibility table → add watched folders → store the first
evidence). Each step is ticked from what the archive really holds (a `SetupProgress` read
model the controller gives it) and has a button that opens the action.

Signals:
    action_requested(str): new_archive | import_framework | import_duties | import_plan |
        folders | add_files.
    hide_requested(bool): 不再显示 was ticked (True) or unticked (False) for this archive.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.qtfix import emit

DONE_COLOUR = "#2e7d32"
TODO_COLOUR = "#1a6fb5"
MUTED = "#6b6b6b"


class _Step(QFrame):
    def __init__(self, number: int, title: str, actions: list[tuple[str, str]], panel: GuidePanel) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number = number
        self.mark = QLabel(str(number))
        self.mark.setFixedWidth(28)
        self.mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(title)
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet(f"color: {MUTED};")
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for action, text in actions:
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, a=action: emit(panel.action_requested, a))
            self.buttons[action] = b
            row.addWidget(b)
        row.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(4)
        column.addWidget(self.title)
        column.addWidget(self.detail)
        column.addLayout(row)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(column, 1)
        self.done = False

    def set_state(self, done: bool, detail: str) -> None:
        self.done = done
        self.mark.setText("✓" if done else str(self.number))
        colour = DONE_COLOUR if done else TODO_COLOUR
        self.mark.setStyleSheet(
            f"color: white; background: {colour}; border-radius: 12px; font-weight: bold; padding: 2px;")
        self.detail.setText(detail)


class GuidePanel(QWidget):
    """See the module docstring."""

    action_requested = Signal(str)
    hide_requested = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel("按下面几步开始使用。每完成一步会自动打勾。")
        self.intro.setWordWrap(True)
        self.steps = {
            "archive": _Step(1, "新建档案库", [("new_archive", "新建另一个…")], self),
            "framework": _Step(2, "导入指标体系", [("import_framework", "导入指标体系…")], self),
            "duties": _Step(3, "导入责任分解表", [("import_duties", "导入责任分解表…"),
                                            ("import_plan", "从工作方案导入…")], self),
            "folders": _Step(4, "添加监视文件夹", [("folders", "设置监视文件夹…")], self),
            "evidence": _Step(5, "存入第一份佐证材料", [("add_files", "添加文件…")], self),
        }
        self.finished = QLabel("")
        self.finished.setWordWrap(True)
        self.finished.setStyleSheet(f"color: {DONE_COLOUR}; font-weight: bold;")
        self.dont_show = QCheckBox("打开这个档案库时不再自动显示")
        self.dont_show.toggled.connect(lambda on: emit(self.hide_requested, on))
        inner = QWidget()
        lay = QVBoxLayout(inner)
        lay.addWidget(self.intro)
        for step in self.steps.values():
            lay.addWidget(step)
        lay.addWidget(self.finished)
        lay.addStretch(1)
        lay.addWidget(self.dont_show)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._progress: Any = None

    def set_progress(self, p: Any, hidden: bool = False) -> None:
        """Show a `SetupProgress` (storage.archive_setup)."""
        self._progress = p
        s = self.steps
        s["archive"].set_state(True, f"档案库位置：{p.root}" if p.root else "档案库已打开")
        s["framework"].set_state(
            p.has_framework,
            f"已导入“{p.framework_name}”，共 {p.indicators} 项指标" if p.has_framework
            else "导入省里下发的评价指标体系表（Excel），导入前可预览并修正各列的读法。")
        s["duties"].set_state(
            p.has_duties,
            f"已有 {p.duties} 项任务" if p.has_duties
            else "导入本县的工作责任分解表（Excel），或从工作方案（Word）读取分工。")
        s["folders"].set_state(
            p.has_folders,
            f"正在监视 {p.folders} 个文件夹" if p.has_folders
            else "各单位把材料放进共享文件夹，新文件会自动进入收件箱。")
        s["evidence"].set_state(
            p.has_evidence,
            f"档案库中已有 {p.evidence} 份材料" if p.has_evidence
            else "把文件或文件夹拖到左侧的指标上，或选中指标后点这里。")
        s["evidence"].buttons["add_files"].setEnabled(p.has_framework)
        s["duties"].buttons["import_duties"].setText("再次导入…" if p.has_duties else "导入责任分解表…")
        s["framework"].buttons["import_framework"].setText("更新指标体系…" if p.has_framework else "导入指标体系…")
        self.finished.setText("全部完成！之后可在“帮助 → 快速入门”中再次打开本清单。" if p.complete else "")
        self.dont_show.blockSignals(True)
        self.dont_show.setChecked(hidden)
        self.dont_show.blockSignals(False)

    def progress(self) -> Any:
        return self._progress

    def done_steps(self) -> list[str]:
        return [name for name, step in self.steps.items() if step.done]


class GuideDock(QDockWidget):
    """The guided start docked at the right of the main window (its place is remembered
    with the window's layout)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("快速入门", parent)
        self.setObjectName("guide_dock")
        self.panel = GuidePanel()
        self.setWidget(self.panel)
        self.setMinimumWidth(300)
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
