"""Subcommands for rounds (轮次, issue 16 item 5).

    round new --framework FILE [--from DATE] [--to DATE] [--name NAME] [--sheet NAME]
              [--map OLD=NEW[,NEW] ...] [--dry-run]
                          start the next round from a revised indicator system: match it to
                          the current one, carry evidence links and duties, flag evidence
                          dated outside the new period, make the new round current
    round list            every round, the current one marked
    round use ID          switch back (or forth) to round ID

Exit codes: `round new --dry-run` 1 when a split indicator still needs a choice, else 0;
`round new` without that choice: 2, naming the indicator. --json shapes in
docs/cli-rounds.md. Thin layers over desktop.actions.rounds.
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.output import EXIT_OK, EXIT_PROBLEMS, Output, UsageError, open_archive, parse_date

KIND_WORDS = {"same": "不变", "renamed": "改名", "split": "拆分", "merged": "合并", "new": "新增",
              "dropped": "取消"}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    r = sub.add_parser("round", parents=[common], help="评价轮次 (rounds of the programme)")
    rsub = r.add_subparsers(dest="round_command", parser_class=type(r))
    p = rsub.add_parser("new", parents=[common],
                        help="按修订后的指标体系开始新一轮 (start the next round from a revised framework)")
    p.add_argument("--framework", required=True, metavar="FILE", help="修订后的指标体系表 (.xlsx)")
    p.add_argument("--sheet", metavar="NAME", help="工作表名称 (sheet name)")
    p.add_argument("--name", default="", help="轮次名称，默认“第N轮：指标体系名称” (round name)")
    p.add_argument("--from", dest="period_start", metavar="YYYY-MM-DD", help="新评价期开始 (period start)")
    p.add_argument("--to", dest="period_end", metavar="YYYY-MM-DD", help="新评价期结束 (period end)")
    p.add_argument("--map", dest="mapping", action="append", default=[], metavar="OLD=NEW",
                   help="更正对应关系：旧编号=新编号[,新编号]，旧编号= 表示不沿用 (correct the matching)")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入 (preview only)")
    p.set_defaults(func=cmd_new)
    p = rsub.add_parser("list", parents=[common], help="列出各轮次 (list rounds)")
    p.set_defaults(func=cmd_list)
    p = rsub.add_parser("use", parents=[common], help="切换到某一轮 (switch to a round)")
    p.add_argument("round_id", metavar="ID")
    p.set_defaults(func=cmd_use)
    r.set_defaults(func=_usage)


def _usage(args: argparse.Namespace, out: Output) -> int:
    raise UsageError("请指定 round 的子命令：new --framework FILE、list 或 use ID",
                     "give a round subcommand: new --framework FILE, list or use ID")


def _period(r: Any) -> str:
    if r.period_start is None and r.period_end is None:
        return "评价期未设"
    return f"评价期 {r.period_start or '…'} 至 {r.period_end or '…'}"


def _line(r: Any) -> str:
    mark = "（当前）" if r.current else ""
    return (f"#{r.id}  {r.name}{mark}  {_period(r)}  指标 {r.indicators} 项  材料关联 {r.evidence_links} 条  "
            f"已封存提交 {r.submissions} 次")


def cmd_new(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.rounds import start_round

    start = parse_date(args.period_start) if args.period_start else None
    end = parse_date(args.period_end) if args.period_end else None
    with open_archive(args) as archive:
        prev = start_round(archive=archive, framework_file=args.framework, name=args.name, period_start=start,
                           period_end=end, mapping=args.mapping, dry_run=args.dry_run, sheet=args.sheet)
    out.json(prev.as_dict())
    s = prev.start
    head = "预览（未写入）" if s.dry_run else "已开始新一轮"
    out.text(f"{head}：{s.round.name}，{_period(s.round)}；上一轮：{s.previous.name if s.previous else '无'}")
    for mt in s.matches:
        who = f"{mt.new.code} {mt.new.title}".strip() if mt.new else "、".join(
            f"{o.code} {o.title}".strip() for o in mt.old)
        carry = f"  沿用材料 {mt.evidence_to_carry} 份" if mt.evidence_to_carry else ""
        ask = "  【需指定】" if mt.needs_choice else ""
        why = f"  {'；'.join(mt.reasons)}" if mt.reasons else ""
        if mt.kind == "same" and not mt.evidence_outside_period:
            why = ""
        out.text(f"  [{KIND_WORDS.get(mt.kind, mt.kind)}] {who}{carry}{ask}{why}")
    for x in s.outside_period:
        out.text(f"  [期外材料] 佐证 #{x.evidence_id}《{x.title}》日期 {x.date}，已沿用到 "
                 f"{'、'.join(x.indicators)}，请核对")
    for zh, _en in prev.warnings:
        out.text(f"  [提示] {zh}")
    verb = "将沿用" if s.dry_run else "已沿用"
    out.text(f"{verb}材料关联 {s.links_carried} 条、任务 {s.duties_carried} 项；期外材料 {len(s.outside_period)} 份")
    if prev.needs_choice:
        out.text("以下指标被拆分，开始新一轮前请用 --map 旧编号=新编号 指定材料归入哪一项："
                 + "、".join(f"{r.code} {r.title}".strip() for r in prev.needs_choice))
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_list(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.rounds import list_rounds

    with open_archive(args) as archive:
        rs = list_rounds(archive=archive)
    out.json({"rounds": rs})
    if not rs:
        out.text("档案库中还没有指标体系，也就还没有轮次 (no rounds yet)")
    for r in rs:
        out.text(_line(r))
    return EXIT_OK


def cmd_use(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.rounds import use_round

    with open_archive(args) as archive:
        r = use_round(archive=archive, round_id=args.round_id)
    out.json({"round": r})
    out.text("已切换到 (now on)：" + _line(r))
    return EXIT_OK
