"""The window's half of the cycle after a submission (issue 16): the 整改 view and the 对照
view (ui/review_views.py), loaded through storage.review on the task runner's read pool and
written through its one writer, with the same functions the command line calls
(desktop/cli/rectify.py, desktop/cli/review.py, desktop/cli/rectify_export.py):

- the items: `storage.review.rectify.load_items`; the compare rows:
  `storage.review.compare.compare_rows` (loaded when the view is shown, and again after a
  change while it is on screen);
- 保存: `storage.review.rectify.set_item` (status, progress, measures, deadline);
- files dropped on an item: `desktop.actions.ingest.ingest_and_link` (stored as any evidence)
  then `storage.review.rectify.link_evidence`;
- 整改方案 / 整改台账 / 整改情况报告: exporters.rectification from the loaded items and the
  county's facts (`desktop.actions.rectify_export.default_facts`); 导出整改材料包:
  `desktop.actions.rectify_export.export_rectification` (written, verified), cancellable;
- 导出对照表: `exporters.review_xlsx.write_compare_xlsx`.

The main `Controller` makes one `ReviewController` (as it makes the Export and Durability
controllers). Signals (tests and screenshots wait on these): items_loaded([items]),
compare_loaded([rows]), saved(item_id), linked(item_id, count), exported(kind, path).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.actions.ingest import ingest_and_link
from desktop.actions.rectify_export import default_facts, export_rectification
from desktop.window.tasks import TaskContext
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

    def __init__(self, controller: Any) -> None:  # desktop.window.controllers.Controller
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        self._dirty = {RECTIFY, COMPARE}
        self._items: list[RectificationItem] = []
        rv, cv = self.window.rectify, self.window.review_compare
        rv.save_requested.connect(self.save)
        rv.files_dropped.connect(self.add_files)
        rv.export_requested.connect(self.export)
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
    def export(self, kind: str, path: str) -> None:
        """Write one of the three documents, or the rectification bundle, to `path`."""
        a, today = self.c.require_archive(), self.today

        if kind == "bundle":
            def fn(ctx: TaskContext) -> str:
                target = Path(path)
                as_zip = target.suffix.lower() == ".zip"
                result = export_rectification(a, target, zip=as_zip, export_date=today,
                                              progress=ctx.progress, cancel=ctx.cancelled)
                if result.check is not None and not result.check.ok:
                    return f"整改材料包已写入，但校验未通过：{result.bundle}"
                return f"已导出整改材料包并校验通过：{result.bundle}（{result.files} 个文件）"
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

    def _go_to_indicator(self, indicator_id: int) -> None:
        self.window.show_view("main")
        self.window.workbench.tree.select_id(indicator_id)


__all__ = ["ReviewController"]
