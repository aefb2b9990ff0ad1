"""Subcommands for self-assessment checkpoints (自查, issue 16 item 4).

    checkpoint take [--note TEXT] [--date YYYY-MM-DD]
                                 snapshot self-scores, coverage and preflight findings
    checkpoint list [--all]      the checkpoints of the current framework (--all: every one)
    checkpoint diff A B          what changed from A to B; A, B: checkpoint ids, or
                                 submission:N (also sealed:N) for sealed submission N

Thin layers over desktop.actions.checkpoints; --json shapes in docs/cli-rounds.md.
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.output import EXIT_OK, Output, UsageError, open_archive, parse_date


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    c = sub.add_parser("checkpoint", parents=[common], help="自查记录 (self-assessment checkpoints)")
    csub = c.add_subparsers(dest="checkpoint_command", parser_class=type(c))
    p = csub.add_parser("take", parents=[common],
                        help="记录一次自查：自评分、佐证材料和预检结果 (take a checkpoint)")
    p.add_argument("--note", default="", help="说明，例如“迎检前自查” (a note)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="预检按哪一天计算，默认今天 (preflight date)")
    p.set_defaults(func=cmd_take)
    p = csub.add_parser("list", parents=[common], help="列出自查记录 (list checkpoints)")
    p.add_argument("--all", action="store_true", help="包括其他轮次的自查 (every framework's)")
    p.set_defaults(func=cmd_list)
    p = csub.add_parser("diff", parents=[common],
                        help="比较两次自查，或自查与已封存的提交 (compare two checkpoints)")
    p.add_argument("before", metavar="A", help="自查编号，或 submission:N (a checkpoint id or submission:N)")
    p.add_argument("after", metavar="B", help="自查编号，或 submission:N")
    p.set_defaults(func=cmd_diff)
    c.set_defaults(func=_usage)


def _usage(args: argparse.Namespace, out: Output) -> int:
    raise UsageError("请指定 checkpoint 的子命令：take、list 或 diff A B",
                     "give a checkpoint subcommand: take, list or diff A B")


def _line(cp: Any) -> str:
    total = "未自评" if cp.self_total is None else f"自评 {cp.self_total:g} 分"
    note = f"  {cp.note}" if cp.note else ""
    return (f"#{cp.id}  {cp.taken_at:%Y-%m-%d %H:%M} UTC  {total}  有材料的指标 {cp.leaves_covered}/{cp.leaves}"
            f"（已审核 {cp.leaves_accepted}）  预检：阻止 {cp.preflight_errors} 项，提醒 "
            f"{cp.preflight_warnings} 项{note}")


def cmd_take(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.checkpoints import take_checkpoint

    with open_archive(args) as archive:
        cp = take_checkpoint(archive=archive, note=args.note, today=parse_date(args.date))
    out.json({"checkpoint": cp})
    out.text("已记录自查 (checkpoint taken)：" + _line(cp))
    return EXIT_OK


def cmd_list(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.checkpoints import list_checkpoints

    with open_archive(args) as archive:
        cps = list_checkpoints(archive=archive, all_frameworks=args.all)
    out.json({"checkpoints": cps})
    if not cps:
        out.text("还没有自查记录（用 checkpoint take 记录一次）(no checkpoints yet)")
    for cp in cps:
        out.text(_line(cp))
    return EXIT_OK


def cmd_diff(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.checkpoints import diff_checkpoints

    with open_archive(args) as archive:
        diff = diff_checkpoints(archive=archive, before=args.before, after=args.after)
    out.json(diff.as_dict())
    out.text(f"{diff.before} → {diff.after}：")
    if not diff.changes:
        out.text("  没有变化 (nothing changed)")
    for c in diff.changes:
        mark = {True: "好转", False: "变差", None: "变化"}[c.improved]
        who = f"{c.indicator.code} {c.indicator.title}".strip()
        out.text(f"  [{mark}] {who}  {c.what}：{c.before} → {c.after}")
    out.text(f"好转 {len(diff.improved)} 项，变差 {len(diff.worse)} 项")
    if diff.still_missing:
        out.text("仍缺佐证材料的指标 (still missing)：" + "、".join(
            f"{r.code} {r.title}".strip() for r in diff.still_missing))
    return EXIT_OK
