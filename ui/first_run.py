"""The first-run dialog: create or open an archive, pick a recent one, or open the demo."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class FirstRunDialog(QDialog):
    """After `exec()`: `choice` is ("new" | "open" | "demo", path) or None when cancelled."""

    def __init__(self, recent: list[str], message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence Desk：选择档案库")
        self.choice: tuple[str, str] | None = None
        intro = QLabel(
            "<b>欢迎使用 Evidence Desk 质量强县佐证材料管理</b><br>"
            "所有材料保存在一个“档案库”文件夹中（请放在本机磁盘上，不要放在网络共享文件夹里）。"
        )
        intro.setWordWrap(True)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c9302c;")
        self.message.setVisible(bool(message))
        self.new_btn = QPushButton("新建档案库…")
        self.open_btn = QPushButton("打开档案库…")
        self.demo_btn = QPushButton("打开示例档案库")
        self.demo_btn.setToolTip("一个虚构的示例档案库，用来熟悉软件；内容均标注为“示例”")
        buttons = QHBoxLayout()
        for b in (self.new_btn, self.open_btn, self.demo_btn):
            buttons.addWidget(b)
        self.recent = QListWidget()
        for p in recent:
            item = QListWidgetItem(p)
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.recent.addItem(item)
        self.open_recent = QPushButton("打开所选")
        self.open_recent.setEnabled(False)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.message)
        lay.addLayout(buttons)
        lay.addWidget(QLabel("最近打开的档案库（双击打开）：" if recent else "还没有打开过档案库"))
        lay.addWidget(self.recent)
        lay.addWidget(self.open_recent, alignment=Qt.AlignmentFlag.AlignRight)
        self.resize(620, 420)

        self.new_btn.clicked.connect(self._new)
        self.open_btn.clicked.connect(self._open)
        self.demo_btn.clicked.connect(lambda: self.choose("demo", ""))
        self.recent.itemDoubleClicked.connect(lambda it: self.choose("open", it.data(Qt.ItemDataRole.UserRole)))
        self.recent.currentItemChanged.connect(lambda cur, _prev: self.open_recent.setEnabled(cur is not None))
        self.open_recent.clicked.connect(self._open_selected)

    def choose(self, action: str, path: str) -> None:
        self.choice = (action, path)
        self.accept()

    def _new(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择一个空文件夹作为新档案库")
        if path:
            self.choose("new", path)

    def _open(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择档案库文件夹")
        if path:
            self.choose("open", path)

    def _open_selected(self) -> None:
        item = self.recent.currentItem()
        if item is not None:
            self.choose("open", item.data(Qt.ItemDataRole.UserRole))
