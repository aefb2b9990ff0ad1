"""The window's part of the provincial bundle (issue 7): self-scores per indicator, the
export dialog (preflight, bundle, binders, seal, verify) and Print.

The main `Controller` makes one `ExportController` and hands it the window's signals. Like
the other controllers, each action submits to the one task runner the same function the
command line calls (`storage.bundle.assessments.set_assessment`,
`desktop.actions.preflight.run_preflight`, `desktop.actions.export.export_bundle`,
`exporters.manifest.verify_bundle`, `desktop.actions.printing`) and shows the read models on
the GUI thread.

Signals (tests and screenshots wait on these):
    assessment_loaded(row or None), assessment_saved(row), assessment_refused(message),
    sheet_loaded(sheet), preflight_done(report), export_done(summary dict),
    export_cancelled(), export_failed(message), bundle_verified(BundleCheck),
    preview_ready(dialog), printed(pages printed), print_failed(message)

The platform part of printing (PDFium or pdftoppm page rendering, Windows' print verb) is
in `desktop.actions.printing`.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QFileDialog

from desktop.actions.export import ExportResult, export_bundle
from desktop.actions.preflight import run_preflight
from desktop.actions.printing import (
    pdf_page_count,
    pdf_renderer,
    preview_pdf,
    render_pdf_pages,
    system_print,
    system_print_available,
)
from desktop.window.tasks import Task, TaskContext
from exporters.manifest import verify_bundle
from exporters.preflight import CATEGORY_ZH
from storage.bundle.assessments import assessment_row, self_score_sheet, set_assessment
from storage.kernel.errors import ArchiveError, Cancelled
from ui.export_dialog import ExportDialog
from ui.intents import ExportRequest
from ui.print_preview import PrintPreviewDialog, paint_page, qt_print_available
from ui.qtfix import emit
from ui.selfscore import SelfScoreOverview, SelfScorePanel


def default_export_folder() -> str:
    """Where the export dialog proposes to write: the clerk's 文档 folder."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return docs or str(Path.home())


def free_export_name(folder: str, stem: str) -> str:
    """`stem`, or `stem_2`, `stem_3`… when an earlier export already took the name (as a
    folder, a .zip or its 装订册 folder): a second export on the same day does not fail on
    an existing target (issue 17, item 10)."""
    base = Path(folder)

    def taken(name: str) -> bool:
        return any((base / n).exists() for n in (name, f"{name}.zip", f"{name} 装订册"))

    if not taken(stem):
        return stem
    n = 2
    while taken(f"{stem}_{n}"):
        n += 1
    return f"{stem}_{n}"


# -- printing: the platform part ----------------------------------------------------------------

PREVIEW_DPI = 40
MAX_PREVIEW_PAGES = 150
PRINT_DPI = 300
RENDER_CHUNK = 8  # pages per pdftoppm run while printing (memory stays flat)


















class ExportController(QObject):
    assessment_loaded = Signal(object)
    assessment_saved = Signal(object)
    assessment_refused = Signal(str)
    sheet_loaded = Signal(object)
    preflight_done = Signal(object)
    export_done = Signal(dict)
    export_cancelled = Signal()
    export_failed = Signal(str)
    bundle_verified = Signal(object)
    preview_ready = Signal(object)
    printed = Signal(int)
    print_failed = Signal(str)

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        wb = self.window.workbench
        self.panel: SelfScorePanel = wb.selfscore
        self.overview: SelfScoreOverview | None = None
        self._assess_req = 0
        self._shown_gen = controller._gen
        self._progress: dict[int, Callable[[int, int, str], None]] = {}  # task id -> callback
        controller.runner.task_progress.connect(self._task_progress)
        controller.runner.task_finished.connect(self._task_finished)
        wb.tree.node_selected.connect(self.load_assessment)
        controller.tree_loaded.connect(self._tree_loaded)
        self.panel.save_requested.connect(self.save_assessment)
        self.panel.overview_requested.connect(self.show_overview)
        w = self.window
        if hasattr(w, "selfscore_requested"):
            w.selfscore_requested.connect(self.show_overview)
        if hasattr(w, "export_requested"):
            w.export_requested.connect(self.open_export)
        self.export_dialog: ExportDialog | None = None
        self._export_task: Task | None = None
        self._verify_task: Task | None = None
        if hasattr(w, "print_requested"):
            w.print_requested.connect(lambda: self.open_print(""))
        self.print_dialog: PrintPreviewDialog | None = None
        self._print_task: Task | None = None

    @property
    def archive(self):
        return self.c.archive

    @property
    def runner(self):
        return self.c.runner

    # -- running tasks -------------------------------------------------------------------------
    def _submit(self, kind: str, fn: Callable[[TaskContext], Any], done: Callable[[Any], None], *,
                failed: Callable[[str], None] | None = None, cancelled: Callable[[], None] | None = None,
                label: str = "", cancellable: bool = False,
                progress: Callable[[int, int, str], None] | None = None,
                needs_archive: bool = True) -> Task | None:
        """Like Controller._run, but a known failure (ArchiveError: a refused value, a full
        disk, an existing target) goes to `failed`, which says it where the clerk is looking;
        a bug still goes to the crash log and the message box. `progress` gets this task's
        progress on the GUI thread."""
        task = self.c.submit_reporting(kind, fn, done, failed=failed, cancelled=cancelled, label=label,
                                       cancellable=cancellable, needs_archive=needs_archive,
                                       known=(ArchiveError, OSError))
        if task is None:
            return None
        if progress is not None and task.state in ("queued", "running"):
            self._progress[task.id] = progress
        return task

    def _task_progress(self, task: Task, done: int, total: int, text: str) -> None:
        cb = self._progress.get(task.id)
        if cb is not None:
            cb(done, total, text)

    def _task_finished(self, task: Task) -> None:
        self._progress.pop(task.id, None)

    # -- self-scores ------------------------------------------------------------------------------
    def _tree_loaded(self) -> None:
        if self._shown_gen != self.c._gen:  # another archive: what the dialogs show is stale
            self._shown_gen = self.c._gen
            self._close_archive_dialogs()
        current = self.window.workbench.tree.current_id()
        if current is None:
            self.panel.set_row(None)
        else:
            self.load_assessment(current)

    def _close_archive_dialogs(self) -> None:
        """The export dialog and the overview belong to the archive they were opened on."""
        dlg = self.export_dialog
        if dlg is not None:
            if dlg.state in ("exporting", "verifying"):  # its task was stopped with the archive
                dlg.export_cancelled("档案库已切换，导出已停止。")
            dlg.close()
        if self.overview is not None:
            self.overview.close()

    def load_assessment(self, indicator_id: int) -> None:
        """The 自评 tab for the selected node."""

        a = self.archive
        self._assess_req += 1
        req = self._assess_req

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return assessment_row(s, indicator_id)

        def done(row) -> None:
            if req != self._assess_req:
                return  # the clerk has moved on to another node
            self.panel.set_row(row, node_text=f"{row.code} {row.title}（上级指标）".strip())
            emit(self.assessment_loaded, row)

        self._submit("read", fn, done, failed=lambda msg: self.panel.set_row(None, msg))

    def save_assessment(self, indicator_id: int, code: str, changes: dict) -> None:
        """One write through storage.assessments.set_assessment; a refused value (score out
        of range, not a number) comes back as its Chinese message and nothing is saved."""

        a = self.archive
        panel = self.panel

        def fn(ctx: TaskContext):
            with a.sessions.write() as s:
                return set_assessment(s, code, **changes)

        def done(row) -> None:
            shown = panel.row()
            if shown is not None and shown.indicator_id == row.indicator_id:
                panel.set_row(row, "已保存")
            self.window.show_status(f"已保存指标 {row.code} 的自评")
            if self.overview is not None:
                self.load_sheet()
            emit(self.assessment_saved, row)

        def failed(msg: str) -> None:
            current = panel.row()
            if current is not None and current.indicator_id == indicator_id:
                panel.show_error(msg + "（未保存）")
            else:
                self.window.show_error(msg)
            emit(self.assessment_refused, msg)

        self._submit("write", fn, done, failed=failed)

    def show_overview(self) -> SelfScoreOverview | None:
        """The 自评得分总表 (all indicators, total vs maximum)."""
        if self.archive is None:
            self.window.show_error("请先新建或打开一个档案库。")
            return None
        if self.overview is None:
            dlg = SelfScoreOverview(self.window)
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dlg.indicator_activated.connect(self.go_to_indicator)
            dlg.refresh_requested.connect(self.load_sheet)
            dlg.destroyed.connect(lambda *_: setattr(self, "overview", None))
            self.overview = dlg
        self.overview.show()
        if QGuiApplication.platformName() != "offscreen":  # which warns that it cannot raise
            self.overview.raise_()
        self.load_sheet()
        return self.overview

    def load_sheet(self) -> None:
        a = self.archive

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return self_score_sheet(s)

        def done(sheet) -> None:
            if self.overview is not None:
                self.overview.set_sheet(sheet)
            emit(self.sheet_loaded, sheet)

        self._submit("read", fn, done, failed=self.window.show_error)

    def go_to_indicator(self, indicator_id: int) -> None:
        """Show the indicator in the main view with its 自评 tab."""
        w, wb = self.window, self.window.workbench
        w.show_view("main")
        wb.side.setCurrentWidget(self.panel)
        if wb.tree.current_id() == indicator_id:
            self.load_assessment(indicator_id)
        else:
            wb.tree.select_id(indicator_id)

    # -- the export dialog --------------------------------------------------------------------------
    def open_export(self) -> ExportDialog | None:
        """Show the export dialog and start its preflight."""
        if self.archive is None:
            self.window.show_error("请先新建或打开一个档案库。")
            return None
        if self.export_dialog is not None:
            self.export_dialog.show()
            return self.export_dialog
        today = self.c.today
        dlg = ExportDialog(self.window)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        folder = default_export_folder()
        dlg.set_defaults(folder, free_export_name(folder, f"质量强县申报材料_{today:%Y%m%d}"), today)
        dlg.set_binders_available(True)
        dlg.preflight_requested.connect(self.run_preflight)
        dlg.export_requested.connect(self.export)
        dlg.cancel_requested.connect(self.cancel_export)
        dlg.verify_requested.connect(self.verify_bundle)
        dlg.open_folder_requested.connect(self.open_folder)
        dlg.jump_requested.connect(self.jump_to)
        if hasattr(self, "open_print"):
            dlg.print_requested.connect(self.open_print)
        dlg.destroyed.connect(lambda *_: self._forget_export_dialog(dlg))
        self.export_dialog = dlg
        dlg.show()
        self.run_preflight()
        return dlg

    def _forget_export_dialog(self, dlg: ExportDialog) -> None:
        if self.export_dialog is dlg:
            self.export_dialog = None

    def _dialog(self) -> ExportDialog | None:
        return self.export_dialog

    def run_preflight(self) -> None:
        a, today = self.archive, self.c.today

        def fn(ctx: TaskContext):
            return run_preflight(a, today)

        def done(report) -> None:
            dlg = self._dialog()
            if dlg is not None:
                dlg.set_preflight(report, CATEGORY_ZH)
            emit(self.preflight_done, report)

        def failed(msg: str) -> None:
            dlg = self._dialog()
            if dlg is not None:
                dlg.preflight_failed(msg)

        self._submit("read", fn, done, failed=failed)

    def export(self, request: ExportRequest) -> Task | None:
        """Write the bundle, seal it and make the binders off the GUI thread: the one export
        action (`desktop.actions.export.export_bundle`), with the seal run on the writer."""
        a = self.archive
        runner = self.runner

        def fn(ctx: TaskContext) -> ExportResult:
            return export_bundle(archive=a, target=request.target, as_zip=request.as_zip,
                                 export_date=request.export_date, seal=request.seal, note=request.note,
                                 binders=request.binders, progress=ctx.progress, cancel=ctx.cancelled,
                                 write=runner.write)

        def progress(done: int, total: int, text: str) -> None:
            dlg = self._dialog()
            if dlg is not None:
                dlg.set_progress(done, total, text)

        def done(outcome: ExportResult) -> None:
            self._export_task = None
            self._export_finished(outcome)

        def failed(msg: str) -> None:
            self._export_task = None
            dlg = self._dialog()
            if dlg is not None:
                dlg.export_failed(msg)
            emit(self.export_failed, msg)

        def cancelled() -> None:
            self._export_task = None
            dlg = self._dialog()
            if dlg is not None:
                dlg.export_cancelled()
            self.window.show_status("导出已取消，没有留下不完整的材料包")
            emit(self.export_cancelled)

        self._export_task = self._submit("read", fn, done, failed=failed, cancelled=cancelled,
                                         label="正在导出申报材料包", cancellable=True, progress=progress)
        return self._export_task

    def _export_finished(self, outcome: ExportResult) -> None:
        lines = [f"已导出材料包：{outcome.bundle}",
                 f"{outcome.folders} 个文件夹，{outcome.files} 个文件（其中申报文件 {len(outcome.documents)} 个），"
                 f"{outcome.bytes / 1e6:.1f} MB；为符合 Windows 规则改名 {outcome.renamed} 个。"]
        pdfs: list[str] = []
        if outcome.binders is not None:
            b = outcome.binders
            pdfs = list(b.pdf)
            lines.append(f"装订册：{Path(b.outdir).name}（Word {len(b.docx)} 册"
                         + (f"，PDF {len(b.pdf)} 册，共 {sum(b.pages)} 页" if b.pdf else "") + "）")
            if b.message_zh:
                lines.append(b.message_zh)
        if outcome.binder_error:
            lines.append(f"装订册没有生成：{outcome.binder_error}")
        if outcome.submission is not None:
            lines.append(f"已封存为第 {outcome.submission['id']} 次提交（{outcome.submission['files']} 个文件）。")
        if outcome.cancelled_step == "seal":
            lines.append("封存已取消，本次没有封存（材料包本身已导出并保留）")
        elif outcome.cancelled_step == "binders":
            lines.append("装订册已取消，没有留下不完整的装订册（材料包本身已导出并保留）")
        bundle = Path(outcome.bundle)
        folder = str(bundle.parent if outcome.as_zip else bundle)
        dlg = self._dialog()
        if dlg is not None:
            dlg.export_finished("\n".join(lines), bundle=outcome.bundle, folder=folder, binder_pdfs=pdfs)
        self.window.show_status(f"已导出材料包：{outcome.bundle}")
        emit(self.export_done, outcome.as_dict())

    def cancel_export(self) -> None:
        for task in (self._export_task, self._verify_task):
            if task is not None:
                task.cancel()

    def verify_bundle(self, path: str) -> Task | None:
        """`bundle verify` for the bundle just written, off the GUI thread."""

        def fn(ctx: TaskContext):
            return verify_bundle(path, progress=ctx.progress, cancel=ctx.cancelled)

        def progress(done: int, total: int, text: str) -> None:
            dlg = self._dialog()
            if dlg is not None:
                dlg.set_progress(done, total, f"正在校验 {done}/{total}：{text}")

        def done(check) -> None:
            self._verify_task = None
            if check.ok:
                text = f"材料包完好：已按清单校验 {check.checked} 个文件（{check.bytes_checked / 1e6:.1f} MB）。"
            else:
                parts = [f"{label}：{'、'.join(names[:5])}" + ("等" if len(names) > 5 else "")
                         for label, names in (("缺少", check.missing), ("已改动", check.changed),
                                              ("多出", check.extra)) if names]
                text = "材料包与清单不符——" + "；".join(parts)
            dlg = self._dialog()
            if dlg is not None:
                dlg.verify_finished(text, check.ok)
            emit(self.bundle_verified, check)

        def failed(msg: str) -> None:
            self._verify_task = None
            dlg = self._dialog()
            if dlg is not None:
                dlg.verify_finished(f"无法校验：{msg}", False)

        def cancelled() -> None:
            self._verify_task = None
            dlg = self._dialog()
            if dlg is not None:
                dlg.verify_finished("校验已取消", None)

        dlg = self._dialog()
        if dlg is not None:
            dlg.verify_started()
        self._verify_task = self._submit("read", fn, done, failed=failed, cancelled=cancelled,
                                         label="正在校验材料包", cancellable=True, progress=progress)
        return self._verify_task

    def open_folder(self, path: str) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    def jump_to(self, code: str, evidence_id: int) -> None:
        """A checklist row: show its evidence item, or its indicator, in the main window."""
        if evidence_id:
            self.c.show_evidence(evidence_id)
            return
        node = next((n for n in self.window.workbench.tree.tree_model.nodes()
                     if code and (n.code == code or n.title == code)), None)
        if node is not None:
            self.go_to_indicator(node.id)

    # -- print ------------------------------------------------------------------------------------
    def open_print(self, path: str = "") -> PrintPreviewDialog | None:
        """The page preview of a binder (or a PDF / Word file the clerk picks), with Print."""
        if not path:
            start = str(Path(self.export_dialog.bundle_path).parent) if (
                self.export_dialog is not None and self.export_dialog.bundle_path) else default_export_folder()
            path, _ = QFileDialog.getOpenFileName(self.window, "选择要打印的装订册或 PDF", start,
                                                  "PDF 或 Word 文件 (*.pdf *.docx *.doc);;所有文件 (*)")
            if not path:
                return None
        if self.print_dialog is not None:
            self.print_dialog.close()
        dlg = PrintPreviewDialog(path, self.window, system_print=system_print_available())
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        work = Path(tempfile.mkdtemp(prefix="evidence-desk-print-"))
        dlg.print_requested.connect(lambda printer: self.print_pdf(dlg, printer))
        dlg.system_print_requested.connect(self._system_print)
        dlg.open_requested.connect(lambda p: QDesktopServices.openUrl(QUrl.fromLocalFile(p)))
        dlg.cancel_requested.connect(lambda: self._print_task.cancel() if self._print_task else None)
        dlg.destroyed.connect(lambda *_: self._forget_print_dialog(dlg, work))
        self.print_dialog = dlg
        dlg.show()

        def fn(ctx: TaskContext):
            pdf = preview_pdf(path, work, ctx.cancelled)
            total = pdf_page_count(pdf)
            if pdf_renderer() is None or total == 0:
                return pdf, total, None
            return pdf, total, render_pdf_pages(pdf, dpi=PREVIEW_DPI, last=min(total, MAX_PREVIEW_PAGES))

        def done(result) -> None:
            if self.print_dialog is not dlg:
                return
            pdf, total, pngs = result
            dlg.pdf_path = pdf
            if pngs is None:
                how = "可“用关联程序打印”，或" if system_print_available() else "可"
                dlg.set_unavailable(f"共 {total} 页。本机无法在程序内生成页面预览（缺少 PDF 渲染组件）；"
                                    f"{how}用系统程序打开后预览、打印。")
            else:
                dlg.set_pages(pngs, total)
            emit(self.preview_ready, dlg)

        def failed(msg: str) -> None:
            if self.print_dialog is dlg:
                dlg.set_unavailable(msg)
                emit(self.preview_ready, dlg)

        self._submit("read", fn, done, failed=failed, needs_archive=False)
        return dlg

    def _forget_print_dialog(self, dlg: PrintPreviewDialog, work: Path) -> None:
        if self.print_dialog is dlg:
            self.print_dialog = None
        shutil.rmtree(work, ignore_errors=True)  # our own temporary conversion folder

    def _system_print(self, path: str) -> None:
        try:
            system_print(path)
        except ArchiveError as e:
            self.window.show_error(e.zh)
            return
        self.window.show_status(f"已交给关联程序打印：{Path(path).name}")

    def print_pdf(self, dlg: PrintPreviewDialog, printer) -> Task | None:
        """Print the previewed PDF on `printer` (as set in Qt's print dialog): pages are
        rendered a few at a time off the GUI thread and painted on the printer there."""
        pdf, total = dlg.pdf_path, dlg.pages_total
        if not pdf or not qt_print_available() or pdf_renderer() is None:
            msg = "本机无法在程序内打印这个文件；请用系统程序打开后打印。"
            dlg.print_finished(msg)
            emit(self.print_failed, msg)
            return None
        first = printer.fromPage() or 1
        last = min(printer.toPage() or total, total)
        dpi = max(96, min(PRINT_DPI, printer.resolution()))

        def fn(ctx: TaskContext) -> int:
            painter = QPainter()
            if not painter.begin(printer):
                raise ArchiveError("无法开始打印：打印机不可用或输出文件无法写入",
                                   "cannot start printing: the printer is not available")
            printed = 0
            try:
                for start in range(first, last + 1, RENDER_CHUNK):
                    end = min(last, start + RENDER_CHUNK - 1)
                    for png in render_pdf_pages(pdf, dpi=dpi, first=start, last=end):
                        ctx.check()
                        if printed:
                            printer.newPage()
                        paint_page(painter, printer, QImage.fromData(png))
                        printed += 1
                        ctx.progress(printed, last - first + 1, f"正在打印第 {first + printed - 1} 页")
            except Cancelled:
                printer.abort()
                raise
            finally:
                painter.end()
            return printed

        def progress(done: int, n: int, text: str) -> None:
            if self.print_dialog is dlg:
                dlg.set_progress(done, n, text)

        def done(n: int) -> None:
            self._print_task = None
            if self.print_dialog is dlg:
                dlg.print_finished(f"已送出打印：{n} 页。")
            self.window.show_status(f"已送出打印：{dlg.name}，{n} 页")
            emit(self.printed, n)

        def failed(msg: str) -> None:
            self._print_task = None
            if self.print_dialog is dlg:
                dlg.print_finished(msg)
            emit(self.print_failed, msg)

        def cancelled() -> None:
            self._print_task = None
            if self.print_dialog is dlg:
                dlg.print_finished("打印已取消。")

        dlg.print_started()
        self._print_task = self._submit("read", fn, done, failed=failed, cancelled=cancelled,
                                        label="正在打印", cancellable=True, progress=progress,
                                        needs_archive=False)
        return self._print_task


# -- screenshots -------------------------------------------------------------------------------------



