"""Subcommands for the provincial bundle (issue 7).

    export OUTDIR [--zip] [--date YYYY-MM-DD] [--path-budget N] [--no-documents]
                  [--seal [--note TEXT]]
        the bundle as a folder OUTDIR (new or empty), or with --zip as one file
        (OUTDIR itself when it ends in .zip, else OUTDIR.zip); the generated documents
        go first in "00 申报文件"; --seal keeps exactly what was written in the archive
    bundle verify DIR|ZIP
        re-hash a bundle against its manifest; exit 1 naming missing/changed/extra files

Thin layers over `desktop.actions.export.export_bundle` (the window's export runs the same
action) and `exporters.manifest.verify_bundle`.
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.output import EXIT_OK, EXIT_PROBLEMS, CancelOnInterrupt, Output, UsageError, open_archive, parse_date
from storage.kernel.errors import Cancelled


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




def cmd_export(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.export import export_bundle

    date = parse_date(args.date)
    with open_archive(args) as archive, CancelOnInterrupt() as cancel:
        try:
            result = export_bundle(archive=archive, target=args.outdir, as_zip=bool(args.zip),
                                   export_date=date, path_budget=args.path_budget,
                                   documents=not args.no_documents, seal=bool(args.seal),
                                   note=args.note or "", binders=bool(args.pdf),
                                   progress=out.progress, cancel=cancel)
        except Cancelled:
            raise UsageError("导出已取消，未留下不完整的材料包",
                             "export cancelled; no partial bundle was left") from None
    out.json(result.as_dict())
    out.text(f"已导出材料包：{result.bundle}")
    out.text(f"  {result.folders} 个文件夹，{result.files} 个文件（其中申报文件 {len(result.documents)} 个），"
             f"{result.bytes / 1e6:.1f} MB；为符合 Windows 规则改名 {result.renamed} 个")
    if result.binders is not None:
        for p in result.binders.docx + result.binders.pdf:
            out.text(f"装订册：{p}")
        if result.binders.message_zh:
            out.text(f"{result.binders.message_zh} ({result.binders.message_en})")
    if result.submission is not None:
        out.text(f"已封存为第 {result.submission['id']} 次提交（{result.submission['files']} 个文件），"
                 "可用 submission diff/export 查看或重新导出")
    if result.binder_error:
        out.text(f"装订册没有生成：{result.binder_error}")
    if result.cancelled_step:
        what = "封存" if result.cancelled_step == "seal" else "装订册"
        out.text(f"{what}已取消；材料包已导出并保留：{result.bundle} "
                 f"(the {result.cancelled_step} step was cancelled; the bundle was kept)")
        return EXIT_PROBLEMS
    return EXIT_PROBLEMS if result.binder_error else EXIT_OK


def cmd_bundle_verify(args: argparse.Namespace, out: Output) -> int:
    from exporters.manifest import verify_bundle


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
