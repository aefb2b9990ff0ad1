"""Subcommands for one evidence item: what the window's item view does.

    evidence show ID
    evidence edit ID [--title T] [--doc-number N] [--issue-date D] [--issuing-body B]
                     [--department NAME] [--status received|accepted|returned|superseded]
                     [--notes TEXT] [--period-start D] [--period-end D]
    evidence link ID... (--indicator CODE | --duty DUTY_ID)
    evidence unlink ID... --indicator CODE
    evidence move ID... --from CODE --to CODE

Thin layers over storage.catalogue.items and storage.catalogue.links (the window calls the
same functions); each write is one transaction.
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.output import EXIT_OK, Output, UsageError, open_archive
from storage.kernel.words import STATUS

FIELDS = (("title", "标题"), ("doc_number", "文号"), ("issue_date", "成文日期"), ("issuing_body", "发文单位"),
          ("department", "报送单位"), ("status", "状态"), ("notes", "备注"), ("period_start", "所属期起"),
          ("period_end", "所属期止"))


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("evidence", parents=[common], help="查看、修改或关联一份佐证材料 (one evidence item)")
    esub = s.add_subparsers(dest="evidence_command", parser_class=type(s))
    p = esub.add_parser("show", parents=[common], help="显示材料详情 (show an item)")
    p.add_argument("id", type=int, metavar="ID")
    p.set_defaults(func=cmd_show)
    p = esub.add_parser("edit", parents=[common], help="修改材料信息 (edit an item's metadata)")
    p.add_argument("id", type=int, metavar="ID")
    for field, label in FIELDS:
        p.add_argument("--" + field.replace("_", "-"), dest=field, metavar="VALUE", help=label)
    p.set_defaults(func=cmd_edit)
    p = esub.add_parser("link", parents=[common], help="关联到指标或任务 (link items)")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--indicator", metavar="CODE", help="指标编号 (indicator code)")
    g.add_argument("--duty", type=int, metavar="DUTY_ID", help="任务编号 (duty id)")
    p.set_defaults(func=cmd_link)
    p = esub.add_parser("unlink", parents=[common], help="取消与指标的关联 (unlink items)")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p.add_argument("--indicator", metavar="CODE", required=True)
    p.set_defaults(func=cmd_unlink)
    p = esub.add_parser("move", parents=[common], help="从一个指标移到另一个指标 (move items)")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p.add_argument("--from", dest="source", metavar="CODE", required=True)
    p.add_argument("--to", dest="target", metavar="CODE", required=True)
    p.set_defaults(func=cmd_move)
    s.set_defaults(func=_usage)


def _usage(args: argparse.Namespace, out: Output) -> int:
    raise UsageError("请指定 evidence 的子命令：show、edit、link、unlink 或 move",
                     "give an evidence subcommand: show, edit, link, unlink or move")


def _print_detail(out: Output, d: Any) -> None:
    out.json(d)
    out.text(f"#{d.id} {d.title}")
    for field, label in FIELDS:
        value = getattr(d, field, None)
        if field == "status":
            value = STATUS.get(str(value), value)
        if value not in (None, ""):
            out.text(f"  {label}：{value}")
    for link in d.links:
        out.text(f"  指标：{link.code} {link.title}")


def cmd_show(args: argparse.Namespace, out: Output) -> int:
    from storage.catalogue.items import evidence_detail

    with open_archive(args) as archive, archive.sessions.read() as s:
        _print_detail(out, evidence_detail(s, args.id))
    return EXIT_OK


def cmd_edit(args: argparse.Namespace, out: Output) -> int:
    from storage.catalogue.items import update_evidence_metadata

    changes = {f: getattr(args, f) for f, _ in FIELDS if getattr(args, f) is not None}
    if not changes:
        raise UsageError("请至少给出一个要修改的字段，如 --title", "give at least one field to change, e.g. --title")
    with open_archive(args) as archive, archive.sessions.write() as s:
        detail = update_evidence_metadata(s, args.id, **changes)
    _print_detail(out, detail)
    return EXIT_OK


def cmd_link(args: argparse.Namespace, out: Output) -> int:
    from storage.catalogue.links import link_evidence, link_evidence_to_duty
    from storage.catalogue.queries import indicator_by_code

    with open_archive(args) as archive, archive.sessions.write() as s:
        if args.duty is not None:
            n = link_evidence_to_duty(s, args.ids, args.duty)
            where = f"任务 {args.duty}"
        else:
            n = link_evidence(s, args.ids, indicator_by_code(s, args.indicator))
            where = f"指标 {args.indicator}"
    out.json({"linked": n, "ids": args.ids})
    out.text(f"已关联 {n} 份材料到{where}")
    return EXIT_OK


def cmd_unlink(args: argparse.Namespace, out: Output) -> int:
    from storage.catalogue.links import unlink_evidence
    from storage.catalogue.queries import indicator_by_code

    with open_archive(args) as archive, archive.sessions.write() as s:
        n = unlink_evidence(s, args.ids, indicator_by_code(s, args.indicator))
    out.json({"unlinked": n, "ids": args.ids})
    out.text(f"已取消 {n} 份材料与指标 {args.indicator} 的关联")
    return EXIT_OK


def cmd_move(args: argparse.Namespace, out: Output) -> int:
    from storage.catalogue.links import move_evidence
    from storage.catalogue.queries import indicator_by_code

    with open_archive(args) as archive, archive.sessions.write() as s:
        n = move_evidence(s, args.ids, indicator_by_code(s, args.source), indicator_by_code(s, args.target))
    out.json({"moved": n, "ids": args.ids})
    out.text(f"已把 {n} 份材料从指标 {args.source} 移到 {args.target}")
    return EXIT_OK
