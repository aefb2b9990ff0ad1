"""Subcommands for sealed submissions (issue 7, item 6).

    submission list
    submission diff N            the archive now against sealed submission N (exit 1 when
                                 anything differs)
    submission export N OUTDIR [--zip]
                                 write sealed submission N again, byte for byte

A submission is sealed by `export OUTDIR [--zip] --seal`. Thin layers over
storage.submissions and exporters.bundle.
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.output import EXIT_OK, EXIT_PROBLEMS, CancelOnInterrupt, Output, UsageError, open_archive


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("submission", parents=[common], help="已封存的提交 (sealed submissions)")
    ssub = s.add_subparsers(dest="submission_command", parser_class=type(s))
    p = ssub.add_parser("list", parents=[common], help="列出已封存的提交 (list sealed submissions)")
    p.set_defaults(func=cmd_list)
    p = ssub.add_parser("diff", parents=[common],
                        help="比较档案库现状与某次提交 (the archive now vs a sealed submission)")
    p.add_argument("number", metavar="N")
    p.set_defaults(func=cmd_diff)
    p = ssub.add_parser("export", parents=[common],
                        help="按原样重新导出某次提交 (write a sealed submission again, byte for byte)")
    p.add_argument("number", metavar="N")
    p.add_argument("outdir", metavar="OUTDIR")
    p.add_argument("--zip", action="store_true", help="导出为 .zip (as one .zip file)")
    p.set_defaults(func=cmd_export_sealed)
    s.set_defaults(func=_usage)


def _usage(args: argparse.Namespace, out: Output) -> int:
    raise UsageError("请指定 submission 的子命令：list、diff N 或 export N OUTDIR",
                     "give a submission subcommand: list, diff N or export N OUTDIR")


def cmd_list(args: argparse.Namespace, out: Output) -> int:
    from storage.bundle.submissions import list_submissions

    with open_archive(args) as archive, archive.sessions.read() as s:
        subs = list_submissions(s)
    out.json({"submissions": subs})
    if not subs:
        out.text("还没有封存的提交（导出时加 --seal 封存）")
    for x in subs:
        out.text(f"#{x.id}  {x.sealed_at:%Y-%m-%d %H:%M} UTC  {x.user}  导出日期 {x.export_date}  "
                 f"{'zip' if x.as_zip else '文件夹'}  {x.files} 个文件（申报文件 {x.generated} 个），"
                 f"{x.bytes / 1e6:.1f} MB  {x.framework_name}" + (f"  {x.note}" if x.note else ""))
    return EXIT_OK


def cmd_diff(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.submissions import diff_submission

    with open_archive(args) as archive:
        summary, diff = diff_submission(archive=archive, number=args.number)
    out.json(diff.as_dict())
    out.text(f"档案库现状与第 {summary.id} 次提交（{summary.sealed_at:%Y-%m-%d %H:%M} UTC，导出日期 "
             f"{summary.export_date}）比较：")
    for label, items in (("新增", diff.added), ("移除", diff.removed)):
        for f in items:
            out.text(f"  [{label}] {f['path']}")
    for f in diff.changed:
        was = f"（原为 {f['sealed_path']}）" if f["sealed_path"] != f["path"] else ""
        out.text(f"  [内容已变] {f['path']}{was}")
    for f in diff.moved:
        out.text(f"  [位置已变] {f['sealed_path']} → {f['path']}")
    for m in diff.metadata:
        out.text(f"  [信息已改] 佐证 #{m['evidence_id']} {m['field']}：{m['sealed']} → {m['now']}")
    for m in diff.scores:
        out.text(f"  [自评已改] {m['indicator']} {m['field']}：{m['sealed']} → {m['now']}")
    out.text("与封存时相同 (unchanged since the seal)" if diff.same
             else "与封存时不同 (the archive differs from the sealed submission)")
    return EXIT_OK if diff.same else EXIT_PROBLEMS


def cmd_export_sealed(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.submissions import reexport_submission
    from storage.kernel.errors import Cancelled

    with open_archive(args) as archive:
        try:
            with CancelOnInterrupt() as cancel:
                result = reexport_submission(archive=archive, number=args.number, target=args.outdir,
                                             as_zip=bool(args.zip), progress=out.progress, cancel=cancel)
        except Cancelled:
            raise UsageError("导出已取消，未留下不完整的材料包",
                             "export cancelled; no partial bundle was left") from None
    summary, identical = result.submission, result.identical
    out.json(result.as_dict())
    out.text(f"已按第 {summary.id} 次提交重新导出：{result.bundle}（{result.files} 个文件）")
    if identical is True:
        out.text("与封存时的材料包逐字节相同 (byte-identical to the sealed bundle)")
    elif identical is False:
        out.text("警告：与封存时的材料包不同 (warning: differs from the sealed bundle)")
        return EXIT_PROBLEMS
    else:
        out.text("封存时为" + ("zip" if summary.as_zip else "文件夹") + "，本次格式不同，已按清单逐一校验文件")
    return EXIT_OK
