"""Export the rectification bundle (整改材料包): the one implementation behind `evidence-desk
rectify export OUTDIR [--zip]` and the window's 导出整改材料包.

The bundle holds the three documents and the evidence of rectification, numbered per item:

    01 整改方案.docx, 02 整改台账.xlsx, 03 整改情况报告.docx
    证明材料/01-质量工作考核结果运用不充分/01 关于将质量工作纳入综合考核的通知.pdf   (number 1-1)
    证明材料/01-质量工作考核结果运用不充分/02-1 考核细则.docx                     (number 1-2)
    manifest.json, manifest.csv

Steps, as the application bundle's export (desktop/actions/export.py), with its writer,
manifest and seal (exporters.bundle, exporters.manifest, storage.bundle.submissions):
  1. read the items (storage.review.rectify.load_items), the current files of their evidence
     and the county's facts, once;
  2. plan the evidence folders (exporters.bundle.plan_bundle, under 证明材料/), number every
     piece of evidence "<序号>-<n>" and write the three documents with those numbers (staged
     in a temp folder);
  3. write the bundle (folder or zip; the writers leave nothing behind on failure or cancel);
  4. verify it against its manifest (exporters.manifest.verify_bundle);
  5. seal it, when asked (one write transaction through `write`).
A cancel before the bundle is complete raises `Cancelled` and leaves nothing; after it, the
bundle stays and `cancelled_step` names the step that did not run.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from desktop.actions.export import bundle_fingerprint, zip_target
from exporters import winpaths
from exporters.bundle import BundlePlan, GeneratedFile, PlannedFile, plan_bundle, write_folder, write_zip
from exporters.manifest import BundleCheck, verify_bundle
from exporters.rectification import (
    write_rectification_ledger,
    write_rectification_plan,
    write_rectification_report,
)
from storage.bundle.submissions import seal_submission
from storage.catalogue.county import county_facts
from storage.catalogue.items import evidence_detail
from storage.catalogue.queries import current_framework_id
from storage.core.archive import Archive
from storage.kernel.errors import BadInput, Cancelled
from storage.kernel.progress import ProgressFn, never_cancel, no_progress
from storage.models import Framework
from storage.readmodels import BundleFile, BundleIndicator, BundleSource
from storage.readmodels.review import RectificationFacts, RectificationItem
from storage.review.rectify import load_items

T = TypeVar("T")
Write = Callable[[Callable[[], T]], T]

EVIDENCE_FOLDER = "证明材料"
DOCS_INDICATOR = "整改文件"
PLAN_NAME = "01 整改方案.docx"
LEDGER_NAME = "02 整改台账.xlsx"
REPORT_NAME = "03 整改情况报告.docx"
SHORT_PROBLEM = 16      # characters of the problem in an item's folder name


def _direct(fn: Callable[[], T]) -> T:
    return fn()


@dataclass(frozen=True)
class EvidenceFiles:
    """The current files of one piece of evidence of rectification, as the bundle copies them."""

    evidence_id: int
    title: str
    doc_number: str
    status: str
    files: tuple[tuple[str, str, int], ...]     # (original name, sha256, size)


@dataclass
class RectifyExportResult:
    """What the export wrote. `check` is the verification of the written bundle;
    `cancelled_step` is "verify" or "seal" when the clerk cancelled after the bundle was
    complete (the bundle stays)."""

    bundle: str
    as_zip: bool
    items: int
    evidence: int
    files: int
    bytes: int
    documents: tuple[str, ...]
    export_date: dt.date
    numbers: dict[int, str]                   # evidence id -> bundle number ("3-2")
    check: BundleCheck | None = None
    submission: dict[str, Any] | None = None
    cancelled_step: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The --json shape of `rectify export` (docs/cli.md)."""
        doc: dict[str, Any] = {
            "bundle": self.bundle, "zip": self.as_zip, "export_date": self.export_date.isoformat(),
            "items": self.items, "evidence": self.evidence, "files": self.files, "bytes": self.bytes,
            "documents": list(self.documents),
            "numbers": {str(k): v for k, v in sorted(self.numbers.items())},
            "verified": self.check.ok if self.check is not None else None,
            "cancelled_step": self.cancelled_step,
        }
        if self.check is not None and not self.check.ok:
            doc["check"] = self.check.as_dict()
        if self.submission is not None:
            doc["submission"] = self.submission
        return doc


def default_facts(archive: Archive, *, day: dt.date, framework_id: int | None = None) -> RectificationFacts:
    """The facts the documents state when the caller gives none: the county's name and its
    联系单位 from 设置, the framework's name, `day` as the date."""
    with archive.sessions.read() as s:
        county = county_facts(s)
        fid = framework_id if framework_id is not None else current_framework_id(s)
        fw = s.get(Framework, fid) if fid is not None else None
        name = fw.name if fw is not None else ""
    return RectificationFacts(county_name=county.name, framework_name=name, date=day)


def evidence_files(archive: Archive, evidence_ids: Sequence[int]) -> dict[int, EvidenceFiles]:
    """The current files of every piece of evidence in `evidence_ids` (one read)."""
    out: dict[int, EvidenceFiles] = {}
    with archive.sessions.read() as s:
        for eid in dict.fromkeys(evidence_ids):
            d = evidence_detail(s, eid)
            out[eid] = EvidenceFiles(eid, d.title, d.doc_number, d.status, tuple(
                (f.original_name, f.sha256, f.size) for f in d.files if f.is_current))
    return out


def _folder_title(item: RectificationItem) -> str:
    text = " ".join(item.problem.split()).rstrip("。；;.")
    return text if len(text) <= SHORT_PROBLEM else text[:SHORT_PROBLEM]


def plan_evidence(items: Sequence[RectificationItem], files: dict[int, EvidenceFiles], *,
                  framework_name: str, path_budget: int = winpaths.DEFAULT_BUDGET,
                  ) -> tuple[BundlePlan, dict[tuple[int, int], str]]:
    """The evidence part of the bundle under 证明材料/, one folder per item that has evidence
    with files ("<序号>-<问题 short>"), and each piece's number "<序号>-<n>" keyed by
    (item id, evidence id). Uses exporters.bundle.plan_bundle for names within the budget."""
    indicators: list[BundleIndicator] = []
    numbers: dict[tuple[int, int], str] = {}
    for item in items:
        bfiles: list[BundleFile] = []
        position = 0
        for ev in item.evidence:
            ef = files.get(ev.evidence_id)
            if ef is None or not ef.files:
                continue
            position += 1
            numbers[(item.id, ev.evidence_id)] = f"{item.number}-{position}"
            for index, (name, sha, size) in enumerate(ef.files, start=1):
                bfiles.append(BundleFile(
                    evidence_id=ev.evidence_id, review_position=position, file_index=index,
                    file_count=len(ef.files), title=ev.title or ef.title, doc_number=ef.doc_number,
                    status=ef.status, original_name=name, sha256=sha, size=size))
        if bfiles:
            indicators.append(BundleIndicator(
                indicator_id=item.id, code="", title=f"{item.number:02d}-{_folder_title(item)}",
                is_leaf=True, is_key=False, is_veto=False, files=tuple(bfiles)))
    prefix = EVIDENCE_FOLDER + "/"
    inner = plan_bundle(BundleSource(None, framework_name, tuple(indicators)),
                        path_budget=path_budget - winpaths.units(prefix))
    folders = ((EVIDENCE_FOLDER,) if inner.folders else ()) + tuple(prefix + f for f in inner.folders)
    planned = tuple(dataclasses.replace(f, path=prefix + f.path) for f in inner.files)
    return BundlePlan(framework_name, path_budget, folders, planned), numbers


def numbered_items(items: Sequence[RectificationItem],
                   numbers: dict[tuple[int, int], str]) -> list[RectificationItem]:
    """The items with every piece of evidence carrying its bundle number."""
    return [dataclasses.replace(item, evidence=tuple(
        dataclasses.replace(e, bundle_number=numbers.get((item.id, e.evidence_id), ""))
        for e in item.evidence)) for item in items]


def make_documents(items: Sequence[RectificationItem], facts: RectificationFacts,
                   folder: Path) -> list[GeneratedFile]:
    """The three documents, written in `folder` and read back as generated files."""
    plan = write_rectification_plan(items, facts, folder / PLAN_NAME)
    ledger = write_rectification_ledger(items, facts, folder / LEDGER_NAME)
    report = write_rectification_report(items, facts, folder / REPORT_NAME)
    return [GeneratedFile(p.name, p.read_bytes()) for p in (plan, ledger, report)]


def _with_documents(plan: BundlePlan, docs: Sequence[GeneratedFile]) -> BundlePlan:
    planned = tuple(PlannedFile(path=d.name, sha256=d.sha256, size=len(d.data), indicator=DOCS_INDICATOR,
                                evidence_id=None, original_name=d.name, wanted=d.name) for d in docs)
    return BundlePlan(plan.framework_name, plan.path_budget, plan.folders, planned + plan.files,
                      plan.renamed_folders)


def write_rectification_bundle(
    *, archive: Archive, outdir: str | Path, items: Sequence[RectificationItem],
    facts: RectificationFacts, zip: bool = False, export_date: dt.date | None = None,
    seal: bool = False, note: str = "", framework_id: int | None = None,
    progress: ProgressFn = no_progress, cancel: Callable[[], bool] = never_cancel,
    write: Write[Any] = _direct,
) -> RectifyExportResult:
    """Steps 2-5 for `items` already read (see the module docstring)."""
    if not items:
        raise BadInput("还没有整改事项：请先导入省评价结果或添加整改事项，再导出整改材料包",
                       "no rectification items yet: import the province's evaluation or add items first")
    if not facts.county_name.strip():
        raise BadInput("请先在“设置 → 县情”中填写县名，整改文件要写明县名",
                       "set the county's name first (Settings → county): the documents name it")
    day = export_date or facts.date or dt.date.today()
    facts = dataclasses.replace(facts, date=facts.date or day)
    out = zip_target(outdir) if zip else Path(outdir)
    progress(0, 0, "正在读取整改事项的证明材料…")
    files = evidence_files(archive, [e.evidence_id for i in items for e in i.evidence])
    name = f"{facts.county_name}{facts.programme}整改材料包"
    evidence_plan, numbers = plan_evidence(items, files, framework_name=name)
    numbered = numbered_items(items, numbers)
    if cancel():
        raise Cancelled()
    progress(0, 0, "正在生成整改方案、整改台账和整改情况报告…")
    with tempfile.TemporaryDirectory(prefix="evidence-desk-rectify-") as tmp:
        docs = make_documents(numbered, facts, Path(tmp))
        staged: dict[str, Path] = {}
        for d in docs:
            path = Path(tmp) / d.sha256
            path.write_bytes(d.data)
            staged[d.sha256] = path

        def path_for(sha: str) -> Path:
            return staged.get(sha) or archive.files.path_for(sha)

        plan = _with_documents(evidence_plan, docs)
        if cancel():
            raise Cancelled()
        total = len(plan.files)

        def write_progress(done: int, _total: int, text: str = "") -> None:
            progress(done, total, f"正在写入整改材料包 {done}/{total}：{text}")

        writer = write_zip if zip else write_folder
        written = writer(plan, out, path_for, export_date=day, progress=write_progress, cancel=cancel)
        by_evidence = {eid: num for (_iid, eid), num in numbers.items()}
        result = RectifyExportResult(
            bundle=written.path, as_zip=zip, items=len(items), evidence=len(numbers),
            files=written.files, bytes=written.bytes, documents=tuple(d.name for d in docs),
            export_date=day, numbers=by_evidence)
        if cancel():
            result.cancelled_step = "verify"
            return result
        progress(0, 0, "正在校验整改材料包…")
        result.check = verify_bundle(written.path, cancel=cancel)
        if seal:
            if cancel():
                result.cancelled_step = "seal"
                return result
            progress(0, 0, "正在封存整改材料包…")
            result.submission = write(lambda: _seal(archive, plan, docs, written.path, zip, day,
                                                    framework_id, note))
    return result


def _seal(archive: Archive, plan: BundlePlan, docs: Sequence[GeneratedFile], bundle_path: str,
          as_zip: bool, day: dt.date, framework_id: int | None, note: str) -> dict[str, Any]:
    rows = [{"path": f.path, "sha256": f.sha256, "size": f.size, "indicator": f.indicator,
             "evidence_id": f.evidence_id, "original_name": f.original_name} for f in plan.files]
    summary = seal_submission(
        archive, framework_id=framework_id, framework_name=plan.framework_name, export_date=day,
        path_budget=plan.path_budget, folders=plan.folders, files=rows,
        documents=[(d.name, d.data) for d in docs], as_zip=as_zip, bundle_path=bundle_path,
        bundle_sha256=bundle_fingerprint(bundle_path, as_zip), note=note or "整改材料包",
    )
    return {"id": summary.id, "files": summary.files, "generated": summary.generated,
            "bundle_sha256": summary.bundle_sha256, "sealed_at": summary.sealed_at.isoformat(),
            "user": summary.user}


def export_rectification(
    archive: Archive, outdir: str | Path, *, zip: bool = False, facts: RectificationFacts | None = None,
    export_date: dt.date | None = None, seal: bool = False, note: str = "",
    framework_id: int | None = None, progress: ProgressFn = no_progress,
    cancel: Callable[[], bool] = never_cancel, write: Write[Any] = _direct,
) -> RectifyExportResult:
    """Export the rectification bundle of `framework_id` (default: the current framework) to
    `outdir` (a new folder, or a .zip with `zip`). `facts` default to the county's settings
    (default_facts). `write(fn)` runs the seal where the caller's writes run."""
    day = export_date or (facts.date if facts is not None and facts.date else None) or dt.date.today()
    with archive.sessions.read() as s:
        fid = framework_id if framework_id is not None else current_framework_id(s)
        items = load_items(s, fid, today=day)
    facts = facts or default_facts(archive, day=day, framework_id=fid)
    return write_rectification_bundle(
        archive=archive, outdir=outdir, items=items, facts=facts, zip=zip, export_date=day, seal=seal,
        note=note, framework_id=fid, progress=progress, cancel=cancel, write=write)


__all__ = ["RectifyExportResult", "default_facts", "export_rectification", "numbered_items",
           "plan_evidence", "write_rectification_bundle"]
