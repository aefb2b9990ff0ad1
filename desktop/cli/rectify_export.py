"""`rectify export OUTDIR [--zip] [--seal] [--date YYYY-MM-DD] [--note TEXT]`: the
rectification bundle (整改材料包) from the command line, through the same action as the window
(desktop.actions.rectify_export). The `rectify` group itself lives in desktop/cli/rectify.py,
which calls `register(rectify_subparsers, common)`.

--json: {"bundle", "zip", "export_date", "items", "evidence", "files", "bytes", "documents",
"numbers": {evidence id: "3-2"}, "verified", "cancelled_step", ["check"], ["submission"]}
(docs/cli.md). Exit 0 when written and verified, 1 when the written bundle fails its check.
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.output import EXIT_OK, EXIT_PROBLEMS, CancelOnInterrupt, Output, open_archive, parse_date


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `export` to the `rectify` group's subparsers."""
    e = sub.add_parser("export", parents=[common],
                       help="导出整改材料包：整改方案、整改台账、整改情况报告和证明材料 (rectification bundle)")
    e.add_argument("outdir", metavar="OUTDIR", help="新的文件夹，或加 --zip 写成 .zip (a new folder, or a .zip)")
    e.add_argument("--zip", action="store_true", help="写成一个 .zip 文件 (write one .zip)")
    e.add_argument("--seal", action="store_true", help="导出后封存本次整改材料包 (seal it)")
    e.add_argument("--note", default="", help="封存备注 (a note for the seal)")
    e.add_argument("--date", metavar="YYYY-MM-DD", help="文件落款和导出日期，默认今天 (document and export date)")
    e.set_defaults(func=cmd_rectify_export)


def cmd_rectify_export(args: argparse.Namespace, out: Output) -> int:
    """Write, verify and optionally seal the rectification bundle."""
    from desktop.actions.rectify_export import export_rectification

    day = parse_date(args.date)
    with open_archive(args) as archive, CancelOnInterrupt() as cancel:
        result = export_rectification(archive, args.outdir, zip=args.zip, export_date=day,
                                      seal=args.seal, note=args.note, progress=out.progress,
                                      cancel=cancel)
    out.json(result.as_dict())
    ok = result.check is None or result.check.ok
    out.text(f"已导出整改材料包：{result.bundle}（{result.items} 项整改事项，{result.evidence} 份证明材料，"
             f"{result.files} 个文件）")
    if result.check is not None:
        out.text("校验通过 (verified)" if ok else
                 f"校验未通过：缺少 {len(result.check.missing)}、不一致 {len(result.check.changed)}、"
                 f"多出 {len(result.check.extra)} 个文件 (the bundle failed its check)")
    if result.submission is not None:
        out.text(f"已封存，编号 {result.submission['id']} (sealed)")
    if result.cancelled_step:
        out.text(f"已取消：{'校验' if result.cancelled_step == 'verify' else '封存'}未进行，材料包已保留 "
                 f"(cancelled before {result.cancelled_step}; the bundle is kept)")
    return EXIT_OK if ok else EXIT_PROBLEMS
