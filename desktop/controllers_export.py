"""The window's part of the provincial bundle (issue 7): self-scores per indicator, the
export dialog (preflight, bundle, binders, seal, verify) and Print.

The main `Controller` makes one `ExportController` and hands it the window's signals. Like
the other controllers, each action submits a plain function to the one task runner —
the same functions the command line uses (`storage.assessments.set_assessment`,
`desktop.commands_preflight.run_preflight`, `desktop.commands_bundle.prepared_bundle` /
`seal_prepared`, `exporters.manifest.verify_bundle`, and `desktop.commands_print.build_binders`
when this build has it) — and shows the read models on the GUI thread.

Signals (tests and screenshots wait on these):
    assessment_loaded(row or None), assessment_saved(row), assessment_refused(message),
    sheet_loaded(sheet), preflight_done(report), export_done(summary dict),
    export_cancelled(), export_failed(message), bundle_verified(BundleCheck)
"""
from __future__ import annotations

import datetime as dt
import shutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication

from storage.errors import ArchiveError, Cancelled
from ui.export_dialog import ExportDialog
from ui.qtfix import emit
from ui.selfscore import SelfScoreOverview, SelfScorePanel

from .tasks import Task, TaskContext


def binders_available() -> bool:
    """Whether this build can make binders (desktop.commands_print.build_binders, written
    beside this module; checked at run time so the window works without it)."""
    try:
        from . import commands_print
    except ImportError:
        return False
    return callable(getattr(commands_print, "build_binders", None))


def binder_folder(bundle: Path) -> Path:
    """Where the binders of a bundle go: beside it, "<bundle name> 装订册" (not inside:
    the bundle holds exactly what its manifest lists)."""
    stem = bundle.name[:-4] if bundle.name.lower().endswith(".zip") else bundle.name
    return bundle.with_name(f"{stem} 装订册")


def default_export_folder() -> str:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return docs or str(Path.home())


@dataclass
class ExportOutcome:
    """What an export wrote (plain values; `prep` is kept to seal it afterwards)."""

    bundle: str
    as_zip: bool
    files: int
    bytes: int
    renamed: int
    folders: int
    documents: int
    export_date: dt.date
    prep: Any = None
    binders: Any = None          # exporters.binder.BinderResult
    binder_error: str = ""
    submission: dict | None = None
    extra: dict = field(default_factory=dict)

    def summary(self) -> dict:
        out = {"bundle": self.bundle, "zip": self.as_zip, "files": self.files, "bytes": self.bytes,
               "renamed": self.renamed, "folders": self.folders, "documents": self.documents,
               "export_date": self.export_date.isoformat(), "binder_error": self.binder_error}
        if self.binders is not None:
            out["binders"] = {"docx": list(self.binders.docx), "pdf": list(self.binders.pdf),
                              "message": self.binders.message_zh}
        if self.submission is not None:
            out["submission"] = self.submission
        return out


def _remove_output(path: str | Path) -> None:
    """Remove a bundle this export itself has just written (after a cancel)."""
    p = Path(path)
    if p.is_dir():
        shutil.rmtree(p, ignore_errors=True)
    elif p.exists():
        p.unlink()


def write_bundle(archive: Any, ctx: Any, *, target: str, as_zip: bool, export_date: dt.date,
                 binders: bool) -> ExportOutcome:
    """The export task (runs off the GUI thread): the same steps as `export` on the command
    line (prepared_bundle, then write_folder / write_zip), then the binders beside the
    bundle when asked. A cancel at any point leaves nothing: the writers remove their
    partial output, and a bundle already finished is removed when its binders are cancelled."""
    from exporters.bundle import write_folder, write_zip

    from .commands_bundle import prepared_bundle

    out = Path(target)
    binder_dir = binder_folder(out) if binders else None
    if binder_dir is not None and binder_dir.exists() and (not binder_dir.is_dir() or any(binder_dir.iterdir())):
        raise ArchiveError(f"装订册文件夹已存在且不是空的：{binder_dir}（请换一个材料包名称）",
                           f"the binder folder exists and is not empty: {binder_dir}")
    ctx.progress(0, 0, "正在读取档案库并生成申报表、自评报告等申报文件…")
    with prepared_bundle(archive, export_date) as prep:
        ctx.check()
        total = len(prep.plan.files)

        def progress(done: int, _total: int, text: str = "") -> None:
            ctx.progress(done, total, f"正在写入材料包 {done}/{total}：{text}")

        writer = write_zip if as_zip else write_folder
        result = writer(prep.plan, out, prep.path_for, export_date=export_date,
                        progress=progress, cancel=ctx.cancelled)
    outcome = ExportOutcome(result.path, as_zip, result.files, result.bytes, result.renamed,
                            len(prep.plan.folders), len(prep.documents), export_date, prep=prep)
    if binder_dir is not None:
        from .commands_print import build_binders

        try:
            ctx.check()
            outcome.binders = build_binders(
                archive, binder_dir, export_date=export_date,
                progress=lambda d, t, text="": ctx.progress(d, t, f"正在生成装订册：{text}"),
                cancel=ctx.cancelled)
        except Cancelled:
            _remove_output(result.path)
            raise
        except ArchiveError as e:  # the bundle is good; say why the binders are not
            outcome.binder_error = e.zh
    return outcome


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

    def __init__(self, controller) -> None:  # noqa: ANN001 - desktop.controllers.Controller
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        wb = self.window.workbench
        self.panel: SelfScorePanel = wb.selfscore
        self.overview: SelfScoreOverview | None = None
        self._assess_req = 0
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

    @property
    def archive(self):  # noqa: ANN201
        return self.c.archive

    @property
    def runner(self):  # noqa: ANN201
        return self.c.runner

    # -- running tasks -------------------------------------------------------------------------
    def _submit(self, kind: str, fn: Callable[[TaskContext], Any], done: Callable[[Any], None], *,
                failed: Callable[[str], None] | None = None, cancelled: Callable[[], None] | None = None,
                label: str = "", cancellable: bool = False,
                progress: Callable[[int, int, str], None] | None = None) -> Task | None:
        """Like Controller._run, but a known failure (ArchiveError: a refused value, a full
        disk, an existing target) goes to `failed`, which says it where the clerk is looking;
        a bug still goes to the crash log and the message box. `progress` gets this task's
        progress on the GUI thread."""
        c = self.c
        if c.archive is None:
            return None
        gen = c._gen
        task: Task | None = None

        def ok(result: Any) -> None:
            if gen == c._gen:
                done(result)

        def err(exc: BaseException) -> None:
            if gen != c._gen:
                return
            if isinstance(exc, (ArchiveError, OSError)) and failed is not None:
                failed(exc.zh if isinstance(exc, ArchiveError) else
                       f"文件操作失败：{exc.strerror or exc}" + (f"（{exc.filename}）" if exc.filename else ""))
                return
            trace = task.error_trace if task is not None else "".join(traceback.format_exception(exc))
            c._error(exc, trace)
            if failed is not None:
                failed("程序内部错误，操作没有完成；详情见错误提示。")

        def stopped() -> None:
            if gen == c._gen and cancelled is not None:
                cancelled()

        submit = self.runner.submit_write if kind == "write" else self.runner.submit_read
        task = submit(fn, label=label, on_done=ok, on_error=err, on_cancelled=stopped,
                      cancellable=cancellable)
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
        current = self.window.workbench.tree.current_id()
        if current is None:
            self.panel.set_row(None)
        else:
            self.load_assessment(current)

    def load_assessment(self, indicator_id: int) -> None:
        """The 自评 tab for the selected node."""
        from storage.assessments import assessment_row

        a = self.archive
        self._assess_req += 1
        req = self._assess_req

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return assessment_row(s, indicator_id)

        def done(row) -> None:  # noqa: ANN001
            if req != self._assess_req:
                return  # the clerk has moved on to another node
            self.panel.set_row(row, node_text=f"{row.code} {row.title}（上级指标）".strip())
            emit(self.assessment_loaded, row)

        self._submit("read", fn, done, failed=lambda msg: self.panel.set_row(None, msg))

    def save_assessment(self, indicator_id: int, code: str, changes: dict) -> None:
        """One write through storage.assessments.set_assessment; a refused value (score out
        of range, not a number) comes back as its Chinese message and nothing is saved."""
        from storage.assessments import set_assessment

        a = self.archive
        panel = self.panel

        def fn(ctx: TaskContext):
            with a.sessions.write() as s:
                return set_assessment(s, code, **changes)

        def done(row) -> None:  # noqa: ANN001
            if panel.row() is not None and panel.row().indicator_id == row.indicator_id:
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
        from storage.assessments import self_score_sheet

        a = self.archive

        def fn(ctx: TaskContext):
            with a.sessions.read() as s:
                return self_score_sheet(s)

        def done(sheet) -> None:  # noqa: ANN001
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
        dlg.set_defaults(default_export_folder(), f"质量强县申报材料_{today:%Y%m%d}", today)
        dlg.set_binders_available(binders_available())
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
        from exporters.preflight import CATEGORY_ZH

        from .commands_preflight import run_preflight

        a, today = self.archive, self.c.today

        def fn(ctx: TaskContext):
            return run_preflight(a, today)

        def done(report) -> None:  # noqa: ANN001
            dlg = self._dialog()
            if dlg is not None:
                dlg.set_preflight(report, CATEGORY_ZH)
            emit(self.preflight_done, report)

        def failed(msg: str) -> None:
            dlg = self._dialog()
            if dlg is not None:
                dlg.preflight_failed(msg)

        self._submit("read", fn, done, failed=failed)

    def export(self, options: dict) -> Task | None:
        """Write the bundle (and binders) off the GUI thread, then seal it when asked."""
        a = self.archive
        try:
            date = dt.date.fromisoformat(options["date"])
        except (KeyError, ValueError):
            date = self.c.today
        target, as_zip = str(options["target"]), bool(options.get("as_zip"))

        def fn(ctx: TaskContext) -> ExportOutcome:
            return write_bundle(a, ctx, target=target, as_zip=as_zip, export_date=date,
                                binders=bool(options.get("binders")))

        def progress(done: int, total: int, text: str) -> None:
            dlg = self._dialog()
            if dlg is not None:
                dlg.set_progress(done, total, text)

        def done(outcome: ExportOutcome) -> None:
            self._export_task = None
            if options.get("seal"):
                self._seal(outcome, options.get("note") or "")
            else:
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

    def _seal(self, outcome: ExportOutcome, note: str) -> None:
        """Sealing writes the archive: one write task after the bundle is on disk."""
        from .commands_bundle import seal_prepared

        a = self.archive
        dlg = self._dialog()
        if dlg is not None:
            dlg.set_progress(0, 0, "正在封存本次提交…")

        def fn(ctx: TaskContext) -> dict:
            return seal_prepared(a, outcome.prep, outcome.bundle, as_zip=outcome.as_zip, note=note)

        def done(sealed: dict) -> None:
            outcome.submission = sealed
            self._export_finished(outcome)

        def failed(msg: str) -> None:
            outcome.extra["seal_error"] = msg
            self._export_finished(outcome)

        self._submit("write", fn, done, failed=failed)

    def _export_finished(self, outcome: ExportOutcome) -> None:
        lines = [f"已导出材料包：{outcome.bundle}",
                 f"{outcome.folders} 个文件夹，{outcome.files} 个文件（其中申报文件 {outcome.documents} 个），"
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
        if outcome.extra.get("seal_error"):
            lines.append(f"封存没有完成：{outcome.extra['seal_error']}（材料包本身已导出）")
        bundle = Path(outcome.bundle)
        folder = str(bundle.parent if outcome.as_zip else bundle)
        dlg = self._dialog()
        if dlg is not None:
            dlg.export_finished("\n".join(lines), bundle=outcome.bundle, folder=folder, binder_pdfs=pdfs)
        self.window.show_status(f"已导出材料包：{outcome.bundle}")
        outcome.prep = None  # the generated documents' bytes are not needed any more
        emit(self.export_done, outcome.summary())

    def cancel_export(self) -> None:
        for task in (self._export_task, self._verify_task):
            if task is not None:
                task.cancel()

    def verify_bundle(self, path: str) -> Task | None:
        """`bundle verify` for the bundle just written, off the GUI thread."""
        from exporters.manifest import verify_bundle

        def fn(ctx: TaskContext):
            return verify_bundle(path, progress=ctx.progress, cancel=ctx.cancelled)

        def progress(done: int, total: int, text: str) -> None:
            dlg = self._dialog()
            if dlg is not None:
                dlg.set_progress(done, total, f"正在校验 {done}/{total}：{text}")

        def done(check) -> None:  # noqa: ANN001
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


__all__ = ["ExportController", "ExportOutcome", "binder_folder", "binders_available", "write_bundle"]
