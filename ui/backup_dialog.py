"""备份档案库 and 从备份恢复 (文件 menu): where to, progress, and what happened.

Widgets only; the controller (desktop/window/durability.py) runs the same storage
functions as `evidence-desk backup` / `restore` (storage.durability.backup).

BackupDialog signals:
    backup_requested(dest): a new folder, or a path ending in .zip.
    cancel_requested()
RestoreDialog signals:
    restore_requested(src, target): the clerk chose a backup and confirmed. A full backup
        (folder or .zip) becomes a new archive in `target` (a new or empty folder), which
        the window then opens; a database backup (backups/*.sqlite3) replaces the open
        archive's database (`target` is that archive), the replaced one kept beside it.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.qtfix import emit

DATABASE_SUFFIXES = (".sqlite3", ".db")


def is_database_backup(path: str) -> bool:
    """A database-only backup (the automatic ones in backups/), not a full backup."""
    return Path(path).suffix.lower() in DATABASE_SUFFIXES


class BackupDialog(QDialog):
    """Back the open archive up to a new folder or .zip (see the module docstring)."""

    backup_requested = Signal(str)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, default_folder: str = "",
                 now: dt.datetime | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("备份档案库")
        self.resize(760, 260)
        self.state = "idle"  # idle | running | done
        self._folder = default_folder or str(Path.home())
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M")
        intro = QLabel("备份包含数据库和每一个存档文件，可在程序打开时进行。"
                       "请备份到另一块磁盘或U盘；恢复时用“从备份恢复…”。")
        intro.setWordWrap(True)
        self.target = QLineEdit(str(Path(self._folder) / f"档案库备份_{stamp}.zip"))
        self.browse = QPushButton("浏览…")
        self.as_zip = QCheckBox("保存为一个 .zip 文件（不勾选则为文件夹）")
        self.as_zip.setChecked(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_btn = QPushButton("开始备份")
        self.cancel_btn = QPushButton("取消")
        self.close_btn = QPushButton("关闭")
        row = QHBoxLayout()
        row.addWidget(QLabel("备份到："))
        row.addWidget(self.target, 1)
        row.addWidget(self.browse)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start_btn)
        buttons.addWidget(self.cancel_btn)
        buttons.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(row)
        lay.addWidget(self.as_zip)
        lay.addWidget(self.progress)
        lay.addWidget(self.status, 1)
        lay.addLayout(buttons)
        self.browse.clicked.connect(self._browse)
        self.as_zip.toggled.connect(self._zip_toggled)
        self.start_btn.clicked.connect(self._start)
        self.cancel_btn.clicked.connect(lambda: emit(self.cancel_requested))
        self.close_btn.clicked.connect(self.close)
        self._update()

    def _zip_toggled(self, on: bool) -> None:
        text = self.target.text().strip()
        if on and text and not text.lower().endswith(".zip"):
            self.target.setText(text + ".zip")
        elif not on and text.lower().endswith(".zip"):
            self.target.setText(text[:-4])

    def _browse(self) -> None:
        name = Path(self.target.text()).name or "档案库备份"
        if self.as_zip.isChecked():
            path, _ = QFileDialog.getSaveFileName(self, "备份为 .zip", str(Path(self._folder) / name),
                                                  "zip 文件 (*.zip)")
        else:
            folder = QFileDialog.getExistingDirectory(self, "选择放置备份的文件夹", self._folder)
            path = str(Path(folder) / name) if folder else ""
        if path:
            self.target.setText(path)

    def _start(self) -> None:
        dest = self.target.text().strip()
        if not dest:
            self.status.setText("请先填写备份到哪里。")
            return
        if self.as_zip.isChecked() and not dest.lower().endswith(".zip"):
            dest += ".zip"
            self.target.setText(dest)
        self.state = "running"
        self.progress.setRange(0, 0)
        self.status.setText("正在备份…")
        self._update()
        emit(self.backup_requested, dest)

    def _update(self) -> None:
        running = self.state == "running"
        self.start_btn.setEnabled(not running)
        self.target.setEnabled(not running)
        self.browse.setEnabled(not running)
        self.as_zip.setEnabled(not running)
        self.cancel_btn.setVisible(running)
        self.close_btn.setEnabled(not running)
        self.progress.setVisible(running)

    def set_progress(self, done: int, total: int, _text: str = "") -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(done, total) / total))
            self.status.setText(f"正在备份：{done / 1e6:.1f} / {total / 1e6:.1f} MB")

    def backup_finished(self, report: Any) -> None:
        self.state = "done"
        text = (f"已备份到：{report.dest}\n{report.files} 个文件，{report.bytes / 1e6:.1f} MB"
                f"（结构版本 {report.schema}）。")
        if report.problems:
            text += f"\n注意：有 {len(report.problems)} 个文件在档案库中缺失，未能备份；请运行“校验档案库”。"
        self.status.setText(text)
        self._update()

    def failed(self, text: str) -> None:
        self.state = "idle"
        self.status.setText(f"备份没有完成：{text}")
        self._update()

    def cancelled(self) -> None:
        self.state = "idle"
        self.status.setText("备份已取消，没有生成备份。")
        self._update()


class RestoreDialog(QDialog):
    """Choose a backup and where it goes; asks before anything happens (module docstring)."""

    restore_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, *, current_archive: str = "",
                 default_folder: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        self.resize(820, 300)
        self.state = "idle"  # idle | running
        self.confirm_box: QMessageBox | None = None
        self._current = current_archive
        self._folder = default_folder or str(Path.home())
        intro = QLabel("完整备份（文件夹或 .zip）恢复为一个新的档案库文件夹，然后打开它；当前档案库保持不变。"
                       "档案库 backups 文件夹中的数据库备份（.sqlite3）则替换当前档案库的数据库，"
                       "被替换的数据库保留在 backups 中。")
        intro.setWordWrap(True)
        self.source = QLineEdit()
        self.source.setPlaceholderText("备份文件夹、.zip，或 backups 中的 .sqlite3")
        self.pick_file = QPushButton("选择备份文件…")
        self.pick_folder = QPushButton("选择备份文件夹…")
        self.target = QLineEdit()
        self.target.setPlaceholderText("新的空文件夹")
        self.pick_target = QPushButton("浏览…")
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.restore_btn = QPushButton("恢复…")
        self.close_btn = QPushButton("关闭")
        grid = QGridLayout()
        grid.addWidget(QLabel("备份："), 0, 0)
        grid.addWidget(self.source, 0, 1)
        grid.addWidget(self.pick_file, 0, 2)
        grid.addWidget(self.pick_folder, 0, 3)
        grid.addWidget(QLabel("恢复到："), 1, 0)
        grid.addWidget(self.target, 1, 1)
        grid.addWidget(self.pick_target, 1, 2)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_btn)
        buttons.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(grid)
        lay.addWidget(self.note)
        lay.addWidget(self.progress)
        lay.addWidget(self.status, 1)
        lay.addLayout(buttons)
        self.pick_file.clicked.connect(self._pick_file)
        self.pick_folder.clicked.connect(self._pick_folder)
        self.pick_target.clicked.connect(self._pick_target)
        self.source.textChanged.connect(self._source_changed)
        self.restore_btn.clicked.connect(self._ask)
        self.close_btn.clicked.connect(self.close)
        self._source_changed("")

    def _pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择备份", self._folder,
                                              "备份 (*.zip *.sqlite3);;所有文件 (*)")
        if path:
            self.source.setText(path)

    def _pick_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择备份文件夹", self._folder)
        if path:
            self.source.setText(path)

    def _pick_target(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择一个空文件夹作为恢复后的档案库", self._folder)
        if path:
            self.target.setText(path)

    def _source_changed(self, text: str) -> None:
        text = text.strip()
        database = bool(text) and is_database_backup(text)
        self.target.setEnabled(not database and self.state == "idle")
        self.pick_target.setEnabled(not database and self.state == "idle")
        if database:
            self.target.setText(self._current)
            self.note.setText(f"这是数据库备份：将替换当前档案库（{self._current}）的数据库；"
                              "被替换的数据库保留在它的 backups 文件夹中。")
        else:
            if text and (not self.target.text() or self.target.text() == self._current):
                stem = Path(text).name
                stem = stem[:-4] if stem.lower().endswith(".zip") else stem
                self.target.setText(str(Path(self._current).parent / f"{stem}_恢复") if self._current
                                    else "")
            self.note.setText("将在“恢复到”的文件夹中建立恢复后的档案库（文件夹须为新的或空的），然后打开它。"
                              if text else "")

    def _ask(self) -> None:
        src, target = self.source.text().strip(), self.target.text().strip()
        if not src or not target:
            self.status.setText("请先选择备份和恢复到的文件夹。")
            return
        if is_database_backup(src):
            text = (f"将关闭当前档案库，用数据库备份\n{src}\n替换它的数据库，然后重新打开。\n"
                    "被替换的数据库保留在 backups 文件夹中。恢复失败时当前档案库不变。\n\n确定恢复吗？")
        else:
            text = (f"将关闭当前档案库，把备份\n{src}\n恢复为新的档案库：\n{target}\n然后打开它。"
                    "当前档案库不会被改动。\n\n确定恢复吗？")
        box = QMessageBox(QMessageBox.Icon.Question, "从备份恢复？", text, QMessageBox.StandardButton.NoButton, self)
        go = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)

        def answered(button: Any) -> None:
            if button is go:
                self.started()
                emit(self.restore_requested, src, target)

        box.buttonClicked.connect(answered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm_box = box
        box.open()

    def started(self) -> None:
        self.state = "running"
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText("正在恢复…（恢复后会校验每个文件）")
        for w in (self.restore_btn, self.close_btn, self.source, self.target, self.pick_file,
                  self.pick_folder, self.pick_target):
            w.setEnabled(False)

    def set_progress(self, done: int, total: int, _text: str = "") -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(done, total) / total))

    def restore_finished(self, text: str) -> None:
        self._idle()
        self.status.setText(text)

    def failed(self, text: str) -> None:
        self._idle()
        self.status.setText(text)

    def _idle(self) -> None:
        self.state = "idle"
        self.progress.setVisible(False)
        for w in (self.restore_btn, self.close_btn, self.source, self.pick_file, self.pick_folder):
            w.setEnabled(True)
        self._source_changed(self.source.text())
