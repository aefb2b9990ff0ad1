"""The export dialog (文件 → 导出申报材料包…, Ctrl+E): the preflight checklist, the choices for
the bundle (folder or .zip, where, export date, seal, binders), progress with Cancel, and at
the end 打开文件夹 / 校验材料包 / 打印装订册.

Widgets only: the dialog shows the `PreflightReport` and the figures it is given and emits
what the clerk asked (desktop/controllers_export.py runs preflight, export and verify off the
GUI thread). It is not modal, so the clerk can double-click a checklist row, fix the
indicator in the main window and check again without closing it.

Blocking items do not forbid an export: the clerk is asked "仍要导出？" first.
"""
from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage.readmodels import PreflightItem, PreflightReport
from ui.intents import ExportRequest
from ui.qtfix import emit

BLOCK_COLOUR = "#c62828"
WARN_COLOUR = "#8a6d3b"
OK_COLOUR = "#2e7d32"
ITEM_ROLE = Qt.ItemDataRole.UserRole


def zip_target(text: str) -> str:
    """The .zip path for `text` (".zip" added unless it is there)."""
    return text if text.lower().endswith(".zip") else text + ".zip"


class _Note(QLabel):
    """A line of text that takes no room while it is empty."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


class ExportDialog(QDialog):
    """Signals:
        preflight_requested(): (re)run the checklist.
        export_requested(ExportRequest): where and how to export (ui.intents).
        cancel_requested(): stop the running export or verify (nothing partial is left).
        open_folder_requested(path), verify_requested(bundle path), print_requested(pdf path)
        jump_requested(indicator code, evidence id or 0): show it in the main window.
    """

    # The outcome line. It hides QDialog.result() (the exit code, which nothing here reads from
    # Python); tests read `dlg.result`, so a rename goes with them.
    result: _Note  # type: ignore[assignment]  # shadows QDialog.result() on purpose, see above

    preflight_requested = Signal()
    export_requested = Signal(object)
    cancel_requested = Signal()
    open_folder_requested = Signal(str)
    verify_requested = Signal(str)
    print_requested = Signal(str)
    jump_requested = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出申报材料包")
        self.resize(1060, 760)
        self.report: PreflightReport | None = None
        self.state = "checking"  # checking | ready | exporting | done | verifying
        self.bundle_path = ""
        self.binder_pdfs: list[str] = []
        self.folder = ""
        self.confirm_box: QMessageBox | None = None
        self._name = ""

        # -- the checklist --------------------------------------------------------------------
        self.check_status = QLabel("正在进行提交前检查…")
        self.check_status.setWordWrap(True)
        f = self.check_status.font()
        f.setBold(True)
        self.check_status.setFont(f)
        self.checklist = QTreeWidget()
        self.checklist.setColumnCount(4)
        self.checklist.setHeaderLabels(["问题", "指标", "文件", "处理建议"])
        self.checklist.setAlternatingRowColors(True)
        self.checklist.setUniformRowHeights(True)
        self.checklist.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        h = self.checklist.header()
        h.setStretchLastSection(True)
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, w in enumerate((470, 60, 180)):
            self.checklist.setColumnWidth(col, w)
        self.recheck = QPushButton("重新检查")
        top = QHBoxLayout()
        top.addWidget(self.check_status, 1)
        top.addWidget(self.recheck)
        check_box = QGroupBox("提交前检查（双击一行可转到对应的指标或材料）")
        cl = QVBoxLayout(check_box)
        cl.addLayout(top)
        cl.addWidget(self.checklist, 1)

        # -- the choices ----------------------------------------------------------------------
        self.as_folder = QRadioButton("文件夹")
        self.as_zip = QRadioButton("一个 .zip 文件")
        self.as_folder.setChecked(True)
        self._format = QButtonGroup(self)
        self._format.addButton(self.as_folder)
        self._format.addButton(self.as_zip)
        fmt = QHBoxLayout()
        fmt.addWidget(self.as_folder)
        fmt.addWidget(self.as_zip)
        fmt.addStretch(1)
        self.target = QLineEdit()
        self.target.setPlaceholderText("新的或空的文件夹；导出为 .zip 时为文件名")
        self.browse = QPushButton("浏览…")
        where = QHBoxLayout()
        where.addWidget(self.target, 1)
        where.addWidget(self.browse)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setToolTip("文件的时间取这一天；同一档案库、同一日期导出的材料包逐字节相同")
        self.date.setMaximumWidth(160)
        self.seal = QCheckBox("封存本次提交（在档案库中保存所交的每个文件及其哈希，以后可比对、可重新导出）")
        self.note = QLineEdit()
        self.note.setPlaceholderText("封存说明，如“第一次正式报送”")
        self.note.setEnabled(False)
        self.binders = QCheckBox("同时生成打印装订册（Word；本机可转换时另有合并好的 PDF），放在材料包旁边")
        self.binders.setVisible(False)
        form = QFormLayout()
        form.addRow("导出为", self._wrap(fmt))
        form.addRow("保存到", self._wrap(where))
        form.addRow("导出日期", self.date)
        form.addRow("", self.seal)
        form.addRow("封存说明", self.note)
        form.addRow("", self.binders)
        self.options = QGroupBox("导出")
        self.options.setLayout(form)

        # -- progress and result --------------------------------------------------------------
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress_label = _Note("")
        self.progress_label.setWordWrap(True)
        self.result = _Note("")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder = QPushButton("打开文件夹")
        self.verify = QPushButton("校验材料包")
        self.print_binder = QPushButton("打印装订册…")
        for b in (self.open_folder, self.verify, self.print_binder):
            b.setVisible(False)
        self.export_btn = QPushButton("导出")
        self.export_btn.setDefault(True)
        self.cancel_btn = QPushButton("取消导出")
        self.cancel_btn.setVisible(False)
        self.close_btn = QPushButton("关闭")
        buttons = QHBoxLayout()
        for b in (self.open_folder, self.verify, self.print_binder):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.export_btn, self.cancel_btn, self.close_btn):
            buttons.addWidget(b)

        lay = QVBoxLayout(self)
        lay.addWidget(check_box, 1)  # the checklist takes what the choices leave
        lay.addWidget(self.options)
        lay.addWidget(self.progress)
        lay.addWidget(self.progress_label)
        lay.addWidget(self.result)
        lay.addLayout(buttons)

        self.recheck.clicked.connect(self._recheck)
        self.checklist.itemDoubleClicked.connect(self._jump)
        self.seal.toggled.connect(self.note.setEnabled)
        self.as_zip.toggled.connect(self._format_changed)
        self.browse.clicked.connect(self._browse)
        self.export_btn.clicked.connect(self._on_export)
        self.cancel_btn.clicked.connect(self._on_cancel)
        self.close_btn.clicked.connect(self.close)
        self.open_folder.clicked.connect(lambda: emit(self.open_folder_requested, self.folder))
        self.verify.clicked.connect(lambda: emit(self.verify_requested, self.bundle_path))
        self.print_binder.clicked.connect(self._print)
        self.progress_label.setText("")
        self.result.setText("")
        self._set_state("checking")

    @staticmethod
    def _wrap(layout: QHBoxLayout) -> QWidget:
        w = QWidget()
        layout.setContentsMargins(0, 0, 0, 0)
        w.setLayout(layout)
        return w

    # -- set by the controller -----------------------------------------------------------------
    def set_defaults(self, folder: str, name: str, date: dt.date) -> None:
        """Where the bundle goes unless the clerk picks another place."""
        self._name = name
        self.target.setText(str(PurePath(folder) / name))
        self.date.setDate(QDate(date.year, date.month, date.day))

    def set_binders_available(self, available: bool) -> None:
        """The binder option is shown only when this build can make binders."""
        self.binders.setVisible(available)
        if not available:
            self.binders.setChecked(False)

    def set_preflight(self, report: PreflightReport, category_names: dict[str, str] | None = None) -> None:
        """Show the checklist: blocking items first, grouped by category (`category_names`:
        the Chinese name of each category, exporters.preflight.CATEGORY_ZH)."""
        self.report = report
        names = category_names or {}
        self.checklist.clear()
        groups = ((("block", f"阻止提交（{report.blocks} 项）", BLOCK_COLOUR),
                   ("warn", f"提醒（{report.warnings} 项）", WARN_COLOUR)))
        bold = QFont(self.checklist.font())
        bold.setBold(True)
        for severity, title, colour in groups:
            items = [i for i in report.items if i.severity == severity]
            if not items:
                continue
            top = QTreeWidgetItem([title])
            top.setForeground(0, QBrush(QColor(colour)))
            top.setFont(0, bold)
            top.setFirstColumnSpanned(True)
            self.checklist.addTopLevelItem(top)
            by_cat: dict[str, list[PreflightItem]] = {}
            for i in items:
                by_cat.setdefault(i.category, []).append(i)
            for cat, rows in by_cat.items():
                group = QTreeWidgetItem([f"{names.get(cat, cat)}（{len(rows)}）"])
                group.setFirstColumnSpanned(True)
                top.addChild(group)
                for i in rows:
                    child = QTreeWidgetItem([i.what, i.indicator, i.file, i.action])
                    child.setData(0, ITEM_ROLE, i)
                    for c, text in enumerate((i.what, i.indicator, i.file, i.action)):
                        child.setToolTip(c, text)
                    if i.indicator or i.evidence_id:
                        target = "这份材料" if i.evidence_id else "该指标"
                        child.setToolTip(0, f"{i.what}\n（双击转到{target}）")
                    group.addChild(child)
                group.setExpanded(severity == "block" or len(rows) <= 5)
            top.setExpanded(True)
        if report.ok and not report.items:
            self.check_status.setText("提交前检查通过：没有发现问题。")
        elif report.ok:
            self.check_status.setText(f"没有阻止提交的问题；{report.warnings} 项提醒，导出前请看一看。")
        else:
            self.check_status.setText(f"发现 {report.blocks} 项阻止提交的问题和 {report.warnings} 项提醒。"
                                      "可以先处理，也可以仍然导出。")
        self.check_status.setStyleSheet(f"color: {BLOCK_COLOUR if report.blocks else OK_COLOUR};")
        if self.state == "checking":
            self._set_state("ready")

    def preflight_failed(self, message: str) -> None:
        self.check_status.setText(f"提交前检查没有完成：{message}")
        self.check_status.setStyleSheet(f"color: {BLOCK_COLOUR};")
        if self.state == "checking":
            self._set_state("ready")

    def set_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:
            self.progress.setRange(0, 0)
        self.progress_label.setText(text)

    def export_finished(self, text: str, *, bundle: str, folder: str, binder_pdfs: list[str] | None = None) -> None:
        self.bundle_path, self.folder = bundle, folder
        self.binder_pdfs = list(binder_pdfs or [])
        self._set_state("done")
        self.result.setText(text)
        self.result.setStyleSheet(f"color: {OK_COLOUR};")

    def export_failed(self, message: str) -> None:
        self._set_state("ready")
        self.result.setText(message)
        self.result.setStyleSheet(f"color: {BLOCK_COLOUR};")

    def export_cancelled(self, message: str = "导出已取消，没有留下不完整的材料包。") -> None:
        self._set_state("ready")
        self.result.setText(message)
        self.result.setStyleSheet("")

    def verify_started(self) -> None:
        self._set_state("verifying")

    def verify_finished(self, text: str, ok: bool | None) -> None:
        self._set_state("done")
        self.progress_label.setText(text)
        self.progress_label.setStyleSheet(
            "" if ok is None else f"color: {OK_COLOUR if ok else BLOCK_COLOUR};")

    # -- states --------------------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        self.state = state
        busy = state in ("exporting", "verifying")
        self.options.setEnabled(state in ("ready", "done"))
        self.export_btn.setEnabled(state in ("ready", "done"))
        self.export_btn.setVisible(not busy)
        self.cancel_btn.setVisible(busy)
        self.cancel_btn.setEnabled(busy)
        self.cancel_btn.setText("取消导出" if state == "exporting" else "取消校验")
        self.recheck.setEnabled(state in ("ready", "done"))
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
        done = state in ("done", "verifying")
        self.open_folder.setVisible(done)
        self.verify.setVisible(done)
        self.print_binder.setVisible(done and bool(self.binder_pdfs))
        for b in (self.open_folder, self.verify, self.print_binder):
            b.setEnabled(state == "done")
        if state == "exporting":
            self.result.setText("")
            self.progress_label.setStyleSheet("")
        self.close_btn.setEnabled(not busy)

    # -- the clerk's actions ---------------------------------------------------------------------
    def request(self) -> ExportRequest:
        """The export as the clerk has set it up."""
        target = self.target.text().strip()
        as_zip = self.as_zip.isChecked()
        d = self.date.date()
        return ExportRequest(target=zip_target(target) if as_zip and target else target, as_zip=as_zip,
                             export_date=dt.date(d.year(), d.month(), d.day()), seal=self.seal.isChecked(),
                             note=self.note.text().strip(),
                             binders=self.binders.isVisible() and self.binders.isChecked())

    def _on_export(self) -> None:
        if not self.target.text().strip():
            self.export_failed("请先选择材料包的保存位置。")
            return
        report = self.report
        if report is not None and report.blocks:
            self._confirm(report.blocks)
            return
        self._start()

    def _confirm(self, blocks: int) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "仍要导出？",
                          f"提交前检查发现 {blocks} 项阻止提交的问题（如指标缺少已审核的佐证材料）。\n"
                          "这样的材料包可能被省平台退回。仍要导出？", parent=self)
        yes = box.addButton("仍要导出", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("返回处理", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(*_: object) -> None:
            self.confirm_box = None
            if box.clickedButton() is yes:
                self._start()

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()

    def _start(self) -> None:
        request = self.request()
        self._set_state("exporting")
        self.progress_label.setText("正在准备…")
        emit(self.export_requested, request)

    def _on_cancel(self) -> None:
        self.cancel_btn.setEnabled(False)
        self.progress_label.setText(self.progress_label.text() + "（正在停止…）")
        emit(self.cancel_requested)

    def _recheck(self) -> None:
        self._set_state("checking" if self.state != "done" else "done")
        self.check_status.setText("正在进行提交前检查…")
        self.check_status.setStyleSheet("")
        emit(self.preflight_requested)

    def _jump(self, item: QTreeWidgetItem, _column: int) -> None:
        found = item.data(0, ITEM_ROLE)
        if isinstance(found, PreflightItem) and (found.indicator or found.evidence_id):
            emit(self.jump_requested, found.indicator, int(found.evidence_id or 0))

    def _format_changed(self, as_zip: bool) -> None:
        text = self.target.text().strip()
        if not text:
            return
        if as_zip:
            self.target.setText(zip_target(text))
        elif text.lower().endswith(".zip"):
            self.target.setText(text[:-4])

    def _browse(self) -> None:
        current = self.target.text().strip()
        if self.as_zip.isChecked():
            path, _ = QFileDialog.getSaveFileName(self, "材料包保存为", zip_target(current) if current else "",
                                                  "zip 文件 (*.zip)")
            if path:
                self.target.setText(zip_target(path))
            return
        parent = QFileDialog.getExistingDirectory(
            self, "选择材料包放在哪个文件夹中（会在其中新建材料包文件夹）",
            str(PurePath(current).parent) if current else "")
        if parent:
            name = PurePath(current).name if current else self._name
            self.target.setText(str(PurePath(parent) / (name or "申报材料包")))

    def _print(self) -> None:
        if self.binder_pdfs:
            emit(self.print_requested, self.binder_pdfs[0])

    # -- closing -------------------------------------------------------------------------------
    def _busy_refusal(self) -> bool:
        if self.state in ("exporting", "verifying"):
            self.progress_label.setText("正在进行中：请先按“取消”，或等它完成后再关闭。")
            return True
        return False

    def reject(self) -> None:  # Esc
        if not self._busy_refusal():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy_refusal():
            event.ignore()
            return
        super().closeEvent(event)


__all__ = ["ExportDialog", "zip_target"]
