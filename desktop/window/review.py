"""The window's half of the cycle after a submission (issue 16): the 整改 view and the 对照
view (ui/review_views.py), loaded through storage.review on the task runner's read pool and
written through its one writer, with the same functions the command line calls
(desktop/cli/rectify.py, desktop/cli/review.py, desktop/cli/rectify_export.py):

- the items: `storage.review.rectify.load_items`; the compare rows:
  `storage.review.compare.compare_rows` (loaded when the view is shown, and again after a
  change while it is on screen);
- 保存: `storage.review.rectify.set_item` (status, progress, measures, deadline);
- 添加事项… (ui/rectify_add.py) and 删除此事项 (items added by hand only):
  `desktop.actions.review.add_item` / `delete_item`, as `rectify add` / `rectify delete`;
- files dropped on an item: `desktop.actions.ingest.ingest_and_link` (stored as any evidence)
  then `storage.review.rectify.link_evidence`;
- 整改方案 / 整改台账 / 整改情况报告: exporters.rectification from the loaded items and the
  county's facts (`desktop.actions.rectify_export.default_facts`); 导出整改材料包:
  `desktop.actions.rectify_export.export_rectification` (written, verified), cancellable;
  The bundle asks whether to seal it; the seal runs on the writer (`runner.write`);
- 导出对照表: `exporters.review_xlsx.write_compare_xlsx`;
- 导入省评结果… (both views' button and 文件 → 导入): ui/review_import.py's dialog, with
  `desktop.actions.review.import_review` as a dry run on the read pool for the preview and
  each correction, and for real on the writer; both views reload after it;
- a file from the inbox placed on an item (the inbox's F2 picker, 整改事项 list):
  `desktop.actions.review.accept_onto_item` on the writer.

The main `Controller` makes one `ReviewController` (as it makes the Export and Durability
controllers). Signals (tests and screenshots wait on these): items_loaded([items]),
compare_loaded([rows]), saved(item_id), linked(item_id, count), exported(kind, path),
added(item_id), deleted(item_id),
import_preview_shown(ReviewImport), import_done(ReviewImport), inbox_accepted(item_id, [evidence ids]).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from desktop import settings as user_settings
from desktop.actions.ingest import ingest_and_link
from desktop.actions.rectify_export import default_facts, export_rectification
from desktop.actions.review import ReviewImport, accept_onto_item_in, add_item, delete_item, import_review
from desktop.window.tasks import Task, TaskContext
from desktop.window.undo import AcceptCommand, UndoController
from exporters.rectification import (
    write_rectification_ledger,
    write_rectification_plan,
    write_rectification_report,
)
from exporters.review_xlsx import write_compare_xlsx
from storage.catalogue.county import county_facts
from storage.readmodels.review import RectificationItem, ReviewScoreRow
from storage.review.compare import compare_rows
from storage.review.rectify import link_evidence, load_items, set_item
from ui.qtfix import emit
from ui.rectify_add import RectifyAddDialog
from ui.review_import import ReviewImportDialog

RECTIFY, COMPARE = "rectify", "review_compare"
DOC_WRITERS = {"plan": write_rectification_plan, "ledger": write_rectification_ledger,
               "report": write_rectification_report}
DOC_NAMES = {"plan": "整改方案", "ledger": "整改台账", "report": "整改情况报告", "bundle": "整改材料包"}


class ReviewController(QObject):
    """Loads and writes for the 整改 and 对照 views of the main window."""

    items_loaded = Signal(list)
    compare_loaded = Signal(list)
    saved = Signal(int)
    linked = Signal(int, int)
    exported = Signal(str, str)
    import_preview_shown = Signal(object)
    import_done = Signal(object)
    inbox_accepted = Signal(int, list)
    added = Signal(int)
    deleted = Signal(int)

    def __init__(self, controller: Any) -> None:  # desktop.window.controllers.Controller
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        self._dirty = {RECTIFY, COMPARE}
        self._items: list[RectificationItem] = []
        self._pending_select: int | None = None
        rv, cv = self.window.rectify, self.window.review_compare
        rv.save_requested.connect(self.save)
        rv.files_dropped.connect(self.add_files)
        rv.export_requested.connect(self.export)
        rv.bundle_requested.connect(lambda path, seal: self.export("bundle", path, seal=seal))
        rv.import_requested.connect(self.open_import)
        rv.add_requested.connect(self.open_add)
        rv.delete_requested.connect(self.delete)
        self.add_dialog: RectifyAddDialog | None = None
        cv.import_requested.connect(self.open_import)
        self.window.review_import_requested.connect(self.open_import)
        self.import_dialog: ReviewImportDialog | None = None
        self._import_task: Task | None = None
        self._preview_req = 0
        controller.runner.task_progress.connect(self._task_progress)
        cv.export_requested.connect(self.export_compare)
        cv.indicator_activated.connect(self._go_to_indicator)
        self.window.view_changed.connect(lambda _name: self.refresh())
        # the tree reloads on opening and after every change: our views may be stale too
        controller.tree_loaded.connect(self._stale)

    @property
    def today(self) -> dt.date:
        return self.c.today

    def _stale(self) -> None:
        self._dirty = {RECTIFY, COMPARE}
        self.refresh()

    def refresh(self, *, all_views: bool = False) -> None:
        """Load the review views that are stale and on screen (every stale one with `all_views`)."""
        if self.c.archive is None:
            return  # closed (or closing): the next archive's tree load marks us stale again
        current = self.window.current_view()
        if RECTIFY in self._dirty and (all_views or current == RECTIFY):
            self._dirty.discard(RECTIFY)
            self.load_items()
        if COMPARE in self._dirty and (all_views or current == COMPARE):
            self._dirty.discard(COMPARE)
            self.load_compare()

    def load_items(self) -> None:
        a, today = self.c.require_archive(), self.today

        def fn(ctx: TaskContext) -> list[RectificationItem]:
            with a.sessions.read() as s:
                return load_items(s, today=today)

        def done(rows: list[RectificationItem]) -> None:
            self._items = rows
            self.window.rectify.set_items(rows)
            if self._pending_select is not None:
                self.window.rectify.select_item(self._pending_select)
                self._pending_select = None
            emit(self.items_loaded, rows)

        self.c._run("read", fn, done)

    def load_compare(self) -> None:
        a = self.c.require_archive()

        def fn(ctx: TaskContext) -> list[ReviewScoreRow]:
            with a.sessions.read() as s:
                return compare_rows(s)

        def done(rows: list[ReviewScoreRow]) -> None:
            self.window.review_compare.set_rows(rows)
            emit(self.compare_loaded, rows)

        self.c._run("read", fn, done)

    # -- writes ----------------------------------------------------------------------------
    def save(self, item_id: int, changes: dict[str, Any]) -> None:
        a = self.c.require_archive()

        def fn(ctx: TaskContext) -> None:
            with a.sessions.write() as s:
                set_item(s, item_id, status=changes.get("status"), progress=changes.get("progress"),
                         measures=changes.get("measures"), deadline=changes.get("deadline"))

        def done(_: None) -> None:
            self.window.rectify.saved()
            self.window.show_status("已保存整改事项")
            self.c._mark_changed()
            emit(self.saved, item_id)

        self.c._run("write", fn, done, label="正在保存整改事项")

    def open_add(self) -> RectifyAddDialog | None:
        """添加事项…: the form (window-modal, not blocking); the item is written on the
        writer and the dialog closes once it is, or says why not and stays open."""
        if self.c.archive is None:
            return None
        if self.add_dialog is not None:
            self.add_dialog.close()
        dlg = RectifyAddDialog(self.window.workbench.tree.tree_model.nodes(), self.window)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.add_requested.connect(lambda fields: self.add(dlg, fields))
        dlg.destroyed.connect(lambda *_: setattr(self, "add_dialog", None) if self.add_dialog is dlg else None)
        self.add_dialog = dlg
        dlg.open()
        return dlg

    def add(self, dlg: RectifyAddDialog | None, fields: dict[str, Any]) -> None:
        """Write one item added by hand (empty lead / cooperating: suggested from duties)."""
        a, today = self.c.require_archive(), self.today

        def fn(ctx: TaskContext) -> RectificationItem:
            return add_item(a, problem=fields["problem"], indicator_codes=fields["indicator_codes"],
                            lead=fields["lead"] or None, cooperating=fields["cooperating"] or None,
                            deadline=fields["deadline"], today=today)

        def done(item: RectificationItem) -> None:
            if dlg is not None and dlg is self.add_dialog:
                dlg.accept()
            self.window.show_status(f"已添加整改事项 {item.number}：{item.problem}")
            self.c._mark_changed()
            self.window.rectify.detail.item = None
            self._pending_select = item.id
            self.load_items()
            emit(self.added, item.id)

        def failed(msg: str) -> None:
            if dlg is not None and dlg is self.add_dialog:
                dlg.say(msg)
            else:
                self.window.show_error(msg)

        self.c.submit_reporting("write", fn, done, failed=failed, label="正在添加整改事项")

    def delete(self, item_id: int) -> None:
        """Delete an item the county added by hand (storage refuses the province's)."""
        a = self.c.require_archive()

        def fn(ctx: TaskContext) -> str:
            return delete_item(a, item_id)

        def done(problem: str) -> None:
            self.window.show_status(f"已删除整改事项：{problem}（证明材料仍在档案库中）")
            self.c._mark_changed()
            self.window.rectify.detail.show_item(None)
            self.load_items()
            emit(self.deleted, item_id)

        self.c._run("write", fn, done, label="正在删除整改事项")

    def add_files(self, item_id: int, paths: list[str]) -> None:
        """Store the files as evidence (as any dropped file) and link them to the item."""
        a = self.c.require_archive()

        def fn(ctx: TaskContext) -> int:
            report = ingest_and_link(archive=a, paths=paths, progress=ctx.progress, cancel=ctx.cancelled)
            ids = [i.evidence_id for i in report.items if i.evidence_id]
            if not ids:
                return 0
            with a.sessions.write() as s:
                return link_evidence(s, item_id, ids)

        def done(n: int) -> None:
            self.window.rectify.saved(f"已添加 {n} 份证明材料" if n else "没有新的证明材料（文件已关联或未能存档）")
            self.c._mark_changed()
            emit(self.linked, item_id, n)

        self.c._run("write", fn, done, label="正在存档整改证明材料", cancellable=True, show=True,
                    cancelled=self.c._mark_changed)

    # -- documents -------------------------------------------------------------------------
    def export(self, kind: str, path: str, *, seal: bool = False) -> None:
        """Write one of the three documents, or the rectification bundle (sealed when
        `seal`), to `path`."""
        a, today = self.c.require_archive(), self.today

        if kind == "bundle":
            runner = self.c.runner

            def fn(ctx: TaskContext) -> str:
                target = Path(path)
                as_zip = target.suffix.lower() == ".zip"
                result = export_rectification(a, target, zip=as_zip, export_date=today, seal=seal,
                                              progress=ctx.progress, cancel=ctx.cancelled,
                                              write=runner.write)
                if result.check is not None and not result.check.ok:
                    return f"整改材料包已写入，但校验未通过：{result.bundle}"
                text = f"已导出整改材料包并校验通过：{result.bundle}（{result.files} 个文件）"
                if result.submission is not None:
                    text += f"；已封存为第 {result.submission['id']} 次提交"
                elif result.cancelled_step == "seal":
                    text += "；封存已取消，本次没有封存"
                return text
            label, cancellable = "正在导出整改材料包", True
        else:
            items = list(self._items)

            def fn(ctx: TaskContext) -> str:
                facts = default_facts(a, day=today)
                written = DOC_WRITERS[kind](items, facts, path)
                return f"已生成{DOC_NAMES[kind]}：{written}"
            label, cancellable = f"正在生成{DOC_NAMES[kind]}", False

        def done(text: str) -> None:
            self.window.show_status(text)
            self.window.rectify.saved(text)
            emit(self.exported, kind, path)

        self.c._run("read", fn, done, label=label, cancellable=cancellable, show=cancellable)

    def export_compare(self, path: str) -> None:
        a = self.c.require_archive()

        def fn(ctx: TaskContext) -> str:
            with a.sessions.read() as s:
                rows = compare_rows(s)
                county = county_facts(s).name
            write_compare_xlsx(rows, path, title=f"{county}自评与省评对照表")
            return path

        def done(written: str) -> None:
            self.window.show_status(f"已导出对照表：{written}")
            emit(self.exported, "compare", written)

        self.c._run("read", fn, done, label="正在导出对照表")

    # -- the province's evaluation: preview, corrections, import ------------------------------
    def open_import(self, path: str | None = None) -> ReviewImportDialog | None:
        """Show the import dialog of the province's score sheet or report; with `path`,
        preview it at once."""
        if self.c.archive is None:
            self.window.show_error("请先新建或打开一个档案库。")
            return None
        if self.import_dialog is not None:
            self.import_dialog.close()
        dlg = ReviewImportDialog(self.window.workbench.tree.tree_model.nodes(), self.window)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.start_dir = user_settings.load().last_import_dir
        dlg.preview_requested.connect(lambda opts: self._preview_import(dlg, opts))
        dlg.commit_requested.connect(lambda opts: self._commit_import(dlg, opts))
        dlg.cancel_requested.connect(lambda: self._import_task.cancel() if self._import_task else None)
        dlg.destroyed.connect(lambda *_: self._forget_dialog(dlg))
        self.import_dialog = dlg
        dlg.open()
        if path:
            dlg.set_file(path)
        return dlg

    def _forget_dialog(self, dlg: ReviewImportDialog) -> None:
        if self.import_dialog is dlg:
            self.import_dialog = None

    def _preview_import(self, dlg: ReviewImportDialog, opts: dict[str, Any]) -> None:
        a = self.c.require_archive()
        folder = str(Path(opts["path"]).parent)
        if folder != dlg.start_dir:                 # the file picker opens there next time
            dlg.start_dir = folder
            us = user_settings.load()
            us.last_import_dir = folder
            try:
                user_settings.save(us)
            except OSError:
                pass  # only a convenience
        self._preview_req += 1
        req = self._preview_req

        def fn(ctx: TaskContext) -> ReviewImport:
            return import_review(a, opts["path"], dry_run=True, mapping=opts["mapping"])

        def done(result: ReviewImport) -> None:
            if req == self._preview_req and dlg is self.import_dialog:
                dlg.set_preview(result)
                emit(self.import_preview_shown, result)

        def failed(msg: str) -> None:
            if dlg is self.import_dialog:
                dlg.set_failed(msg)

        self.c.submit_reporting("read", fn, done, failed=failed)

    def _commit_import(self, dlg: ReviewImportDialog, opts: dict[str, Any]) -> None:
        a = self.c.require_archive()

        def fn(ctx: TaskContext) -> ReviewImport:
            return import_review(a, opts["path"], mapping=opts["mapping"], progress=ctx.progress,
                                 cancel=ctx.cancelled)

        def done(result: ReviewImport) -> None:
            self._import_task = None
            if dlg is self.import_dialog:
                dlg.set_committed(result)
            n = len(result.items_created)
            self.window.show_status(f"已导入省评结果（{result.file_name}）：新建整改事项 {n} 项")
            self.c._mark_changed()
            self._dirty = {RECTIFY, COMPARE}
            self.refresh(all_views=True)
            emit(self.import_done, result)

        def failed(msg: str) -> None:
            self._import_task = None
            if dlg is self.import_dialog:
                dlg.set_failed(msg)

        def cancelled() -> None:
            self._import_task = None
            if dlg is self.import_dialog:
                dlg.set_cancelled()
            self.window.show_status("已停止导入，档案库没有改动")

        self._import_task = self.c.submit_reporting(
            "write", fn, done, failed=failed, cancelled=cancelled, label="正在导入省评结果", cancellable=True)

    def _task_progress(self, task: Task, done: int, total: int, text: str) -> None:
        if self.import_dialog is not None and task is self._import_task:
            self.import_dialog.set_progress(done, total, text)

    # -- the inbox's files placed on an item -------------------------------------------------------
    def accept_inbox(self, entry_ids: list[int], item_id: int,
                     edits: Callable[[Any, list[int] | None], None] | None = None) -> None:
        """Accept inbox files as evidence of rectification of one item (linked to the item and
        its indicators). `edits(session, evidence_ids)` writes the metadata the clerk
        corrected in the inbox, before (None) and after the acceptance."""
        self.c.require_archive()

        def work(s: Any) -> list[int]:
            if edits is not None:
                edits(s, None)
            ids = accept_onto_item_in(s, entry_ids, item_id)
            if edits is not None:
                edits(s, ids)
            return ids

        # undoable like every accept (Ctrl+Z puts the files back in the inbox and unlinks them)
        self.c.undo.push(_AcceptOntoItem(self, list(entry_ids), work, item_id))

    def _go_to_indicator(self, indicator_id: int) -> None:
        self.window.show_view("main")
        self.window.workbench.tree.select_id(indicator_id)


class _AcceptOntoItem(AcceptCommand):
    """Accepting inbox files onto a rectification item, on the undo stack like other accepts;
    after it is done (or redone) the review views reload and `inbox_accepted` is emitted."""

    def __init__(self, review: ReviewController, entry_ids: list[int], work: Callable[[Any], list[int]],
                 item_id: int) -> None:
        super().__init__(entry_ids, work, f"接收 {len(entry_ids)} 个文件到整改事项")
        self.review, self.item_id = review, item_id

    def after(self, ctl: UndoController, direction: str, result: Any) -> None:
        super().after(ctl, direction, result)
        self.review._stale()
        if direction == "redo":
            emit(self.review.inbox_accepted, self.item_id, list(result))


__all__ = ["ReviewController"]
