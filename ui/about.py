"""The about box: what program this is, which version, where the open archive is, and the
versions a support person asks for (schema revision, Qt, PySide6, Python, system).

It shows the (label, value) lines it is given (desktop/controllers_setup.py gathers them)
and can copy them as text for a support request.
"""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.qtfix import emit


class AboutDialog(QDialog):
    """Signals: open_folder_requested(path): the clerk clicked the archive's location."""

    open_folder_requested = Signal(str)

    def __init__(self, lines: Sequence[tuple[str, str]], archive_path: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("关于")
        self._lines = list(lines)
        head = QLabel("<b style='font-size:15pt'>Evidence Desk</b><br>质量强县佐证材料管理")
        head.setTextFormat(Qt.TextFormat.RichText)
        note = QLabel("离线使用：本程序不连接网络，所有材料只保存在您选择的档案库文件夹中。")
        note.setWordWrap(True)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.values: dict[str, QLabel] = {}
        for label, value in self._lines:
            v = QLabel(value)
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            v.setWordWrap(True)
            if label == "档案库位置" and archive_path:
                v.setText(f"<a href='#'>{_html(value)}</a>")
                v.setTextFormat(Qt.TextFormat.RichText)
                v.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
                v.setToolTip("在文件管理器中打开档案库文件夹")
                v.linkActivated.connect(lambda _l, p=archive_path: emit(self.open_folder_requested, p))
            self.values[label] = v
            form.addRow(label + "：", v)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.copy = QPushButton("复制以上信息")
        self.copy.setToolTip("复制为文字，联系技术支持时粘贴到消息里")
        buttons.addButton(self.copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy.clicked.connect(self._copy)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(note)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.setMinimumWidth(560)

    def text(self) -> str:
        return "\n".join(f"{label}：{value}" for label, value in self._lines)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.copy.setText("已复制")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
