"""The first-run dialog: create or open an archive, pick a recent one, or open the demo."""
from __future__ import annotations

from pathlib import PurePath

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

SERVER_PLACEHOLDER = "postgresql://用户名@服务器地址/数据库名"


DEFAULT_ARCHIVE_NAME = "质量强县佐证材料档案库"
_FOLDER_FIX = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in '\\/:*?"<>|'})


class FirstRunDialog(QDialog):
    """After `exec()`: `choice` is ("new" | "open" | "demo", path) or None when cancelled;
    for a new archive on a database server, ("new", path, db_url).

    `server_option`: show the optional database-server field (when the storage can keep an
    archive's metadata on PostgreSQL); `db_url` pre-fills it (after a refused attempt)."""

    def __init__(self, recent: list[str], message: str = "", parent: QWidget | None = None,
                 *, server_option: bool = False, db_url: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("选择档案库")
        self.choice: tuple[str, str] | tuple[str, str, str] | None = None
        intro = QLabel(
            "<b>欢迎使用 Evidence Desk 质量强县佐证材料管理</b><br>"
            "所有材料保存在一个“档案库”文件夹中（请放在本机磁盘上，不要放在网络共享文件夹里）。"
        )
        intro.setWordWrap(True)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c9302c;")
        self.message.setVisible(bool(message))
        # a new archive's folder is made from a typed name, inside a folder the clerk picks
        self.archive_name = QLineEdit(DEFAULT_ARCHIVE_NAME)
        self.archive_name.setToolTip("新档案库的文件夹名称；点“新建档案库…”后选择把它放在哪个文件夹里")
        self.archive_name.setClearButtonEnabled(True)
        self.new_btn = QPushButton("新建档案库…")
        self.open_btn = QPushButton("打开档案库…")
        self.demo_btn = QPushButton("打开示例档案库")
        self.demo_btn.setToolTip("一个虚构的示例档案库，用来熟悉软件；内容均标注为“示例”")
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel("新档案库名称："))
        name_row.addWidget(self.archive_name, 1)
        buttons = QHBoxLayout()
        for b in (self.new_btn, self.open_btn, self.demo_btn):
            buttons.addWidget(b)
        self.server = QLineEdit(db_url)
        self.server.setPlaceholderText(SERVER_PLACEHOLDER)
        self.server.setClearButtonEnabled(True)
        self.server.setToolTip("几台电脑共用一个档案库时，把目录数据放在本单位的 PostgreSQL 数据库服务器上"
                               "（需为档案库新建一个空数据库）；档案库文件夹放在各台电脑都能访问的共享位置。"
                               "单机使用请留空。密码可不写在这里，改用 PGPASSWORD 或 .pgpass。")
        self.server_box = QGroupBox("数据库服务器（多人共用，可选）")
        server_lay = QVBoxLayout(self.server_box)
        server_lay.addWidget(self.server)
        note = QLabel("仅在“新建档案库”时使用；不填则数据保存在档案库文件夹中（推荐单机使用）。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #6b6b6b;")
        server_lay.addWidget(note)
        # the server field sits behind 高级 (issue 17, item 11): a clerk alone at one PC never
        # needs it; it is open at once only when a server address was already tried
        self.advanced = QPushButton("高级…")
        self.advanced.setCheckable(True)
        self.advanced.setToolTip("几台电脑共用一个档案库时：数据库服务器")
        self.advanced.setVisible(server_option)
        self.advanced.setChecked(server_option and bool(db_url))
        self.server_box.setVisible(server_option and bool(db_url))
        self.advanced.toggled.connect(self.server_box.setVisible)
        buttons.addStretch(1)
        buttons.addWidget(self.advanced)
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
        lay.addLayout(name_row)
        lay.addLayout(buttons)
        lay.addWidget(self.server_box)
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

    def db_url(self) -> str:
        return self.server.text().strip() if self.server_box.isVisibleTo(self) else ""

    def new_folder_name(self) -> str:
        """The typed name as a folder name (characters Windows refuses made full-width)."""
        name = self.archive_name.text().strip().translate(_FOLDER_FIX).strip(". ")
        return name or DEFAULT_ARCHIVE_NAME

    def _new(self) -> None:
        url = self.db_url()
        name = self.new_folder_name()
        title = (f"选择把新档案库“{name}”放在哪里（各台电脑都能访问的共享文件夹）" if url
                 else f"选择把新档案库“{name}”放在哪个文件夹里")
        parent = QFileDialog.getExistingDirectory(self, title)
        path = str(PurePath(parent) / name) if parent else ""
        if path:
            if url:
                self.choice = ("new", path, url)
                self.accept()
            else:
                self.choose("new", path)

    def _open(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择档案库文件夹")
        if path:
            self.choose("open", path)

    def _open_selected(self) -> None:
        item = self.recent.currentItem()
        if item is not None:
            self.choose("open", item.data(Qt.ItemDataRole.UserRole))
