"""Export the provincial bundle: the one implementation behind `evidence-desk export` and the
window's 导出申报材料包 dialog.

One order of steps, one cancel rule (design.md):
  1. check the targets (the binder folder must be new or empty) — nothing written yet;
  2. read the archive once, plan the bundle and make the documents (staged in a temp folder);
  3. write the bundle (folder or zip; the writers remove their own partial output);
  4. seal it, when asked (one write transaction, through `write`);
  5. make the binders beside it, when asked.
A cancel stops before the next step. Before the bundle is complete that raises `Cancelled`
and nothing is left behind; once the bundle is written (and sealed) it stays, and the result
says which later step was cancelled (`cancelled_step`), so the clerk is told what was kept.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from desktop.actions.printing import build_binders
from exporters.binder import BinderResult
from exporters.bundle import (
    DOCS_FOLDER,
    BundlePlan,
    GeneratedFile,
    add_documents,
    plan_bundle,
    plan_rows,
    write_folder,
    write_zip,
)
from exporters.documents import build_documents
from storage.bundle.preflight import preflight_limits
from storage.bundle.sources import bundle_source, documents_source
from storage.bundle.submissions import seal_submission
from storage.core.archive import Archive
from storage.core.filestore import hash_file
from storage.kernel.errors import ArchiveError, BadInput, Cancelled
from storage.kernel.progress import ProgressFn, never_cancel, no_progress
from storage.readmodels import BundleSource
from storage.tables.export_query import duties_table

T = TypeVar("T")
Write = Callable[[Callable[[], T]], T]


def _direct(fn: Callable[[], T]) -> T:
    return fn()


@dataclass
class PreparedBundle:
    """An export ready to write: the evidence plan, the generated documents and the full
    plan (documents first). `path_for` finds stored files and the documents alike while
    the `prepared_bundle` context is open."""

    source: BundleSource
    evidence_plan: BundlePlan
    documents: list[GeneratedFile]
    plan: BundlePlan
    export_date: dt.date
    path_for: Callable[[str], Path]


@contextmanager
def prepared_bundle(archive: Archive, export_date: dt.date, *, path_budget: int | None = None,
                    documents: bool = True, framework_id: int | None = None) -> Iterator[PreparedBundle]:
    """Read the archive once, plan the bundle, make the documents (exporters.documents) and
    stage them in a temporary folder for the writers."""
    with archive.sessions.read() as s:
        source = bundle_source(s, framework_id)
        if source.framework_id is None:
            raise BadInput("档案库中还没有指标体系，无法导出材料包",
                           "the archive has no indicator framework yet; nothing to export")
        budget = path_budget or preflight_limits(s, source.framework_id).path_budget
        docsrc = documents_source(s, source, export_date) if documents else None
        duties = duties_table(s, framework_id=source.framework_id, today=export_date) if documents else None
    evidence_plan = plan_bundle(source, path_budget=budget)
    docs = build_documents(docsrc, source, evidence_plan, duties, export_date) if docsrc is not None else []
    plan = add_documents(evidence_plan, docs)
    with tempfile.TemporaryDirectory(prefix="evidence-desk-docs-") as tmp:
        staged = {}
        for d in docs:
            path = Path(tmp) / d.sha256
            path.write_bytes(d.data)
            staged[d.sha256] = path

        def path_for(sha: str) -> Path:
            return staged.get(sha) or archive.files.path_for(sha)

        yield PreparedBundle(source, evidence_plan, docs, plan, export_date, path_for)


def bundle_fingerprint(path: str | Path, as_zip: bool) -> str:
    """SHA-256 of the zip, or of a folder bundle's manifest.json (which lists every file's
    hash): what `submission export` compares its output with."""
    p = Path(path)
    return hash_file(p if as_zip else p / "manifest.json")[0]


def seal_prepared(archive: Archive, prep: PreparedBundle, bundle_path: str, *, as_zip: bool,
                  note: str = "") -> dict[str, Any]:
    """Seal the bundle just written from `prep` (storage.bundle.submissions.seal_submission)."""
    summary = seal_submission(
        archive, framework_id=prep.source.framework_id, framework_name=prep.plan.framework_name,
        export_date=prep.export_date, path_budget=prep.plan.path_budget, folders=prep.plan.folders,
        files=plan_rows(prep.plan), documents=[(f"{DOCS_FOLDER}/{d.name}", d.data) for d in prep.documents],
        as_zip=as_zip, bundle_path=bundle_path, bundle_sha256=bundle_fingerprint(bundle_path, as_zip),
        note=note,
    )
    return {"id": summary.id, "files": summary.files, "generated": summary.generated,
            "bundle_sha256": summary.bundle_sha256, "sealed_at": summary.sealed_at.isoformat(),
            "user": summary.user}


def zip_target(target: str | Path) -> Path:
    """The zip file an export to `target` writes: `target` itself when it ends in .zip."""
    t = Path(target)
    return t if t.suffix.lower() == ".zip" else t.with_name(t.name + ".zip")


def binder_dir_for(target: str | Path) -> Path:
    """Where an export's binders go: beside the bundle, "<bundle name> 装订册" (outside it, so
    the bundle holds exactly what its manifest lists)."""
    t = Path(target)
    stem = t.stem if t.suffix.lower() == ".zip" else t.name
    return t.with_name(f"{stem} 装订册")


@dataclass
class ExportResult:
    """What an export wrote. `cancelled_step` is "seal" or "binders" when the clerk cancelled
    after the bundle was complete (the bundle stays); "" when every step asked for ran."""

    bundle: str
    as_zip: bool
    files: int
    bytes: int
    renamed: int
    folders: int
    path_budget: int
    documents: tuple[str, ...]
    export_date: dt.date
    submission: dict[str, Any] | None = None
    binders: BinderResult | None = None
    binder_error: str = ""
    cancelled_step: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "bundle": self.bundle, "zip": self.as_zip, "export_date": self.export_date.isoformat(),
            "files": self.files, "bytes": self.bytes, "renamed": self.renamed, "folders": self.folders,
            "path_budget": self.path_budget, "documents": list(self.documents),
            "binder_error": self.binder_error, "cancelled_step": self.cancelled_step,
        }
        if self.submission is not None:
            doc["submission"] = self.submission
        if self.binders is not None:
            doc["binders"] = self.binders.as_dict()
        return doc


def export_bundle(*, archive: Archive, target: str | Path, as_zip: bool, export_date: dt.date,
                  path_budget: int | None = None, documents: bool = True, seal: bool = False,
                  note: str = "", binders: bool = False, converter: Any = None,
                  progress: ProgressFn = no_progress, cancel: Callable[[], bool] = never_cancel,
                  write: Write[Any] = _direct) -> ExportResult:
    """Export the bundle (see the module docstring for the order of steps and the cancel rule).

    `write(fn)` runs a write step (the seal) where the caller's writes run: the window passes
    its task runner's writer, the command line runs it directly."""
    out = zip_target(target) if as_zip else Path(target)
    binder_dir = binder_dir_for(out) if binders else None
    if binder_dir is not None and binder_dir.exists() and (not binder_dir.is_dir() or any(binder_dir.iterdir())):
        raise BadInput(f"装订册文件夹已存在且不是空的：{binder_dir}（请换一个材料包名称）",
                       f"the binder folder exists and is not empty: {binder_dir}")
    progress(0, 0, "正在读取档案库并生成申报表、自评报告等申报文件…")
    with prepared_bundle(archive, export_date, path_budget=path_budget, documents=documents) as prep:
        if cancel():
            raise Cancelled()
        total = len(prep.plan.files)

        def write_progress(done: int, _total: int, text: str = "") -> None:
            progress(done, total, f"正在写入材料包 {done}/{total}：{text}")

        writer = write_zip if as_zip else write_folder
        written = writer(prep.plan, out, prep.path_for, export_date=export_date,
                         progress=write_progress, cancel=cancel)
        result = ExportResult(written.path, as_zip, written.files, written.bytes, written.renamed,
                              len(prep.plan.folders), prep.plan.path_budget,
                              tuple(d.name for d in prep.documents), export_date)
        if seal:
            if cancel():
                result.cancelled_step = "seal"
                return result
            progress(0, 0, "正在封存本次提交…")
            result.submission = write(lambda: seal_prepared(archive, prep, written.path, as_zip=as_zip,
                                                            note=note))
    if binder_dir is not None:
        if cancel():
            result.cancelled_step = "binders"
            return result
        try:
            result.binders = build_binders(
                archive, binder_dir, export_date=export_date, converter=converter,
                progress=lambda d, t, text="": progress(d, t, f"正在生成装订册：{text}"), cancel=cancel)
        except Cancelled:
            result.cancelled_step = "binders"
        except ArchiveError as e:  # the bundle is good; say why the binders are not
            result.binder_error = e.zh
    return result
