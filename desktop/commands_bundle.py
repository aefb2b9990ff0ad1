"""Subcommands for the provincial bundle (issue 7).

    export OUTDIR [--zip] [--date YYYY-MM-DD] [--path-budget N] [--no-documents]
                  [--seal [--note TEXT]]
        the bundle as a folder OUTDIR (new or empty), or with --zip as one file
        (OUTDIR itself when it ends in .zip, else OUTDIR.zip); the generated documents
        go first in "00 申报文件"; --seal keeps exactly what was written in the archive
    bundle verify DIR|ZIP
        re-hash a bundle against its manifest; exit 1 naming missing/changed/extra files

Thin layers over storage.bundle_query.bundle_source and exporters.bundle /
exporters.manifest; the window calls the same functions.
"""
from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.cli import EXIT_OK, EXIT_PROBLEMS, CancelOnInterrupt, Output, UsageError, open_archive


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add this module's subcommands to the parser."""
    s = sub.add_parser("export", parents=[common],
                       help="导出申报材料包 (export the provincial bundle)")
    s.add_argument("outdir", metavar="OUTDIR", help="新的或空的文件夹；加 --zip 时为 .zip 文件名")
    s.add_argument("--zip", action="store_true", help="导出为一个 .zip 文件 (one .zip file)")
    s.add_argument("--date", metavar="YYYY-MM-DD",
                   help="导出日期（文件时间取此日期；默认今天）(export date; default today)")
    s.add_argument("--path-budget", type=int, default=None, metavar="N",
                   help="包内每个路径的最大长度（不含），默认取 limits 的设置（160）(every path shorter than N)")
    s.add_argument("--no-documents", action="store_true",
                   help="不生成申报表、自评报告等申报文件 (leave the generated documents out)")
    s.add_argument("--seal", action="store_true",
                   help="封存本次提交：在档案库中保存提交的全部文件及其哈希 (keep exactly what was submitted)")
    s.add_argument("--note", metavar="TEXT", help="封存说明 (a note for the sealed submission)")
    s.add_argument("--pdf", action="store_true",
                   help="同时生成打印装订册（Word，及有转换程序时的合并 PDF），放在材料包旁的“… 装订册”文件夹"
                        " (also make the binders for print beside the bundle)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("bundle", parents=[common], help="材料包工具 (bundle tools)")
    bsub = s.add_subparsers(dest="bundle_command", parser_class=type(s))
    v = bsub.add_parser("verify", parents=[common],
                        help="按清单重新校验材料包 (re-check a bundle against its manifest)")
    v.add_argument("path", metavar="DIR|ZIP")
    v.set_defaults(func=cmd_bundle_verify)
    s.set_defaults(func=_bundle_usage)


def _bundle_usage(args: argparse.Namespace, out: Output) -> int:
    raise UsageError("请指定 bundle 的子命令，如 bundle verify DIR|ZIP",
                     "give a bundle subcommand, e.g. bundle verify DIR|ZIP")


def _export_date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期格式应为 YYYY-MM-DD：{text}", f"date must be YYYY-MM-DD: {text}") from None


@dataclass
class PreparedBundle:
    """An export ready to write: the evidence plan, the generated documents and the full
    plan (documents first). `path_for` finds stored files and the documents alike while
    the `prepared_bundle` context is open."""

    source: Any
    evidence_plan: Any
    documents: list
    plan: Any
    export_date: dt.date
    path_for: Callable[[str], Path]


@contextmanager
def prepared_bundle(archive: Any, export_date: dt.date, *, path_budget: int | None = None,
                    documents: bool = True, framework_id: int | None = None) -> Iterator[PreparedBundle]:
    """Read the archive once, plan the bundle, make the documents (exporters.documents) and
    stage them in a temporary folder for the writers. The window uses the same function."""
    from exporters.bundle import add_documents, plan_bundle
    from exporters.documents import build_documents
    from storage.bundle.preflight import preflight_limits
    from storage.bundle.sources import bundle_source, documents_source
    from storage.tables.export_query import duties_table

    with archive.sessions.read() as s:
        source = bundle_source(s, framework_id)
        if source.framework_id is None:
            raise UsageError("档案库中还没有指标体系，无法导出材料包",
                             "the archive has no indicator framework yet; nothing to export")
        budget = path_budget or preflight_limits(s, source.framework_id).path_budget
        docsrc = documents_source(s, source, export_date) if documents else None
        duties = duties_table(s, framework_id=source.framework_id, today=export_date) if documents else None
    evidence_plan = plan_bundle(source, path_budget=budget)
    docs = build_documents(docsrc, source, evidence_plan, duties, export_date) if documents else []
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
    from storage.core.filestore import hash_file

    p = Path(path)
    return hash_file(p if as_zip else p / "manifest.json")[0]


def seal_prepared(archive: Any, prep: PreparedBundle, bundle_path: str, *, as_zip: bool,
                  note: str = "") -> dict:
    """Seal the bundle just written from `prep` (storage.submissions.seal_submission)."""
    from exporters.bundle import DOCS_FOLDER, plan_rows
    from storage.bundle.submissions import seal_submission

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


def cmd_export(args: argparse.Namespace, out: Output) -> int:
    from exporters.bundle import write_folder, write_zip
    from storage.kernel.errors import Cancelled

    date = _export_date(args.date)
    target = Path(args.outdir)
    if args.zip and target.suffix.lower() != ".zip":
        target = target.with_name(target.name + ".zip")
    sealed = None
    with open_archive(args) as archive:
        with prepared_bundle(archive, date, path_budget=args.path_budget,
                             documents=not args.no_documents) as prep:
            plan = prep.plan
            writer = write_zip if args.zip else write_folder
            try:
                with CancelOnInterrupt() as cancel:
                    result = writer(plan, target, prep.path_for, export_date=date,
                                    progress=out.progress, cancel=cancel)
            except Cancelled:
                raise UsageError("导出已取消，未留下不完整的材料包",
                                 "export cancelled; no partial bundle was left") from None
            if args.seal:
                sealed = seal_prepared(archive, prep, result.path, as_zip=bool(args.zip),
                                       note=args.note or "")
        binders = _export_binders(archive, target, date, out) if args.pdf else None
    doc = {"bundle": result.path, "zip": bool(args.zip), "export_date": date.isoformat(),
           "files": result.files, "bytes": result.bytes, "renamed": result.renamed,
           "folders": len(plan.folders), "path_budget": plan.path_budget,
           "documents": [d.name for d in prep.documents]}
    if sealed is not None:
        doc["submission"] = sealed
    if binders is not None:
        doc["binders"] = binders.as_dict()
    out.json(doc)
    out.text(f"已导出材料包：{result.path}")
    out.text(f"  {len(plan.folders)} 个文件夹，{result.files} 个文件（其中申报文件 {len(prep.documents)} 个），"
             f"{result.bytes / 1e6:.1f} MB；为符合 Windows 规则改名 {result.renamed} 个")
    if binders is not None:
        for p in binders.docx + binders.pdf:
            out.text(f"装订册：{p}")
        if binders.message_zh:
            out.text(f"{binders.message_zh} ({binders.message_en})")
    if sealed is not None:
        out.text(f"已封存为第 {sealed['id']} 次提交（{sealed['files']} 个文件），可用 submission diff/export 查看或重新导出")
    return EXIT_OK


def binder_dir_for(target: Path) -> Path:
    """Where `export --pdf` puts the binders: beside the bundle, "<bundle name> 装订册"."""
    stem = target.stem if target.suffix.lower() == ".zip" else target.name
    return target.with_name(f"{stem} 装订册")


def _export_binders(archive: Any, target: Path, date: dt.date, out: Output):
    """The binders for print, built from the same archive state right after the bundle."""
    from desktop.commands_print import build_binders
    from storage.kernel.errors import Cancelled

    outdir = binder_dir_for(target)
    try:
        with CancelOnInterrupt() as cancel:
            return build_binders(archive, outdir, export_date=date, progress=out.progress,
                                 cancel=cancel)
    except Cancelled:
        raise UsageError(f"材料包已导出；装订册已取消，未留下不完整的装订册：{outdir}",
                         f"the bundle was written; binders cancelled, none left: {outdir}") from None


def cmd_bundle_verify(args: argparse.Namespace, out: Output) -> int:
    from exporters.manifest import verify_bundle
    from storage.kernel.errors import Cancelled

    try:
        with CancelOnInterrupt() as cancel:
            check = verify_bundle(args.path, progress=out.progress, cancel=cancel)
    except Cancelled:
        raise UsageError("校验已取消 (verify cancelled)", "verify cancelled") from None
    out.json(check.as_dict())
    out.text(f"已校验 {check.checked} 个文件，{check.bytes_checked / 1e6:.1f} MB：{check.bundle}")
    for label, en, names in (("缺少", "missing", check.missing), ("已改动", "changed", check.changed),
                             ("多出", "extra", check.extra)):
        for name in names:
            out.text(f"  [{label} {en}] {name}")
    out.text("材料包完好 (bundle OK)" if check.ok else "材料包与清单不符 (bundle does not match its manifest)")
    return EXIT_OK if check.ok else EXIT_PROBLEMS
