"""Subcommands for rectification items (整改事项, issue 16, items 2 and 6).

    rectify list [--status S] [--overdue] [--today DATE]
    rectify add --indicator CODE --problem TEXT [--lead NAME] [--coop NAME] [--deadline D]
                [--measures TEXT] [--status S]
    rectify set ID [--status S] [--measures TEXT] [--deadline D] [--lead NAME] [--coop NAME]
                [--progress TEXT] [--problem TEXT] [--indicator CODE]
    rectify link ID EVIDENCE...
    rectify unlink ID EVIDENCE...

Thin layer over desktop.actions.review; --json shapes in docs/cli-review.md.
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli import rectify_export
from desktop.cli.output import EXIT_OK, Output, UsageError, open_archive, parse_date

STATUS_HELP = "未开始|整改中|已完成|长期坚持"


def _names(values: list[str] | None) -> list[str] | None:
    """--lead A --lead B, or --lead "A、B": the names; --lead "" clears."""
    if values is None:
        return None
    out: list[str] = []
    for v in values:
        out += [n.strip() for n in v.replace("，", "、").replace(",", "、").split("、") if n.strip()]
    return out


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    r = sub.add_parser("rectify", parents=[common], help="整改事项 (rectification items)")
    rs = r.add_subparsers(dest="rectify_command", parser_class=type(r))
    rectify_export.register(rs, common)
    p = rs.add_parser("list", parents=[common], help="列出整改事项 (list items)")
    p.add_argument("--status", metavar="S", help=f"按状态筛选：{STATUS_HELP}")
    p.add_argument("--overdue", action="store_true", help="只列出逾期事项 (overdue only)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="按此日期计算逾期 (date to compute overdue from)")
    p.set_defaults(func=cmd_rectify_list)

    p = rs.add_parser("add", parents=[common], help="添加整改事项 (add an item)")
    p.add_argument("--indicator", action="append", metavar="CODE", default=[], help="指标编号，可多次 (indicator code)")
    p.add_argument("--problem", required=True, metavar="TEXT", help="存在问题 (the problem)")
    _edit_opts(p)
    p.set_defaults(func=cmd_rectify_add)

    p = rs.add_parser("set", parents=[common], help="修改整改事项 (change an item)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--problem", metavar="TEXT", help="存在问题 (the problem)")
    p.add_argument("--indicator", action="append", metavar="CODE", help="改为这些指标，可多次 (indicators)")
    p.add_argument("--progress", metavar="TEXT", help="整改进展 (progress)")
    _edit_opts(p)
    p.set_defaults(func=cmd_rectify_set)

    for name, fn, help_ in (("link", cmd_rectify_link, "关联整改佐证 (link evidence)"),
                            ("unlink", cmd_rectify_unlink, "取消关联 (unlink evidence)")):
        p = rs.add_parser(name, parents=[common], help=help_)
        p.add_argument("id", type=int, metavar="ID")
        p.add_argument("evidence", type=int, nargs="+", metavar="EVIDENCE", help="佐证编号 (evidence ids)")
        p.set_defaults(func=fn)
    p = rs.add_parser("delete", parents=[common], help="删除自行添加的整改事项 (delete an item added by hand)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--yes", action="store_true", help="确认删除 (confirm)")
    p.set_defaults(func=cmd_rectify_delete)
    r.set_defaults(func=_usage)


def _edit_opts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lead", action="append", metavar="NAME", help="牵头单位，可多次；\"\" 清空 (lead)")
    p.add_argument("--coop", action="append", metavar="NAME", help="配合单位，可多次；\"\" 清空 (cooperating)")
    p.add_argument("--measures", metavar="TEXT", help="整改措施 (measures)")
    p.add_argument("--deadline", metavar="DATE", help="完成时限 2027-03-31；\"\" 清空 (deadline)")
    p.add_argument("--status", metavar="S", help=f"状态：{STATUS_HELP}")


def _usage(args: argparse.Namespace, out: Output) -> int:
    raise UsageError("请指定 rectify 的子命令：list、add、set、link、unlink、delete 或 export",
                     "give a rectify subcommand: list, add, set, link, unlink, delete or export")


def _print_item(out: Output, it: Any) -> None:
    inds = "、".join(i.code or i.title for i in it.indicators) or "—"
    flag = "【逾期】" if it.overdue else ""
    out.text(f"#{it.id} {it.number}. [{it.status}]{flag} {it.problem}")
    out.text(f"    指标 {inds}；牵头 {'、'.join(it.lead_departments) or '—'}；"
             f"配合 {'、'.join(it.cooperating_departments) or '—'}；"
             f"时限 {it.deadline.isoformat() if it.deadline else '—'}；来源 {it.source}")
    if it.measures:
        out.text(f"    措施：{it.measures}")
    if it.progress:
        out.text(f"    进展：{it.progress}")
    for e in it.evidence:
        out.text(f"    佐证 #{e.evidence_id}《{e.title}》")


def cmd_rectify_list(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.review import item_dict, list_items

    today = parse_date(args.today)
    with open_archive(args) as archive:
        items = list_items(archive, status=args.status, overdue=args.overdue, today=today)
    out.json({"today": today, "items": [item_dict(it) for it in items],
              "overdue": sum(1 for it in items if it.overdue)})
    for it in items:
        _print_item(out, it)
    out.text(f"共 {len(items)} 项，逾期 {sum(1 for it in items if it.overdue)} 项")
    return EXIT_OK


def cmd_rectify_add(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.review import add_item, item_dict

    with open_archive(args) as archive:
        it = add_item(archive, problem=args.problem, indicator_codes=args.indicator, lead=_names(args.lead),
                      cooperating=_names(args.coop), measures=args.measures or "", deadline=args.deadline,
                      status=args.status or "未开始")
    out.json(item_dict(it))
    out.text("已添加：")
    _print_item(out, it)
    return EXIT_OK


def cmd_rectify_set(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.review import item_dict, set_item
    from storage.review.rectify import UNSET

    given = [args.problem, args.indicator, args.progress, args.lead, args.coop, args.measures,
             args.deadline, args.status]
    if all(v is None for v in given):
        raise UsageError("请至少给出一个要修改的项：--status、--measures、--deadline、--lead、--coop、--progress …",
                         "give at least one field to change: --status, --measures, --deadline, --lead, …")
    with open_archive(args) as archive:
        it = set_item(archive, args.id, problem=args.problem, measures=args.measures,
                      deadline=UNSET if args.deadline is None else args.deadline, status=args.status,
                      progress_text=args.progress, lead=_names(args.lead), cooperating=_names(args.coop),
                      indicator_codes=args.indicator)
    out.json(item_dict(it))
    out.text("已保存：")
    _print_item(out, it)
    return EXIT_OK


def cmd_rectify_link(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.review import item_dict, link_evidence

    with open_archive(args) as archive:
        n, it = link_evidence(archive, args.id, args.evidence)
    out.json({"linked": n, "item": item_dict(it)})
    out.text(f"新关联 {n} 件佐证到整改事项 #{it.id}")
    _print_item(out, it)
    return EXIT_OK


def cmd_rectify_unlink(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.review import item_dict, unlink_evidence

    with open_archive(args) as archive:
        n, it = unlink_evidence(archive, args.id, args.evidence)
    out.json({"unlinked": n, "item": item_dict(it)})
    out.text(f"已从整改事项 #{it.id} 取消关联 {n} 件佐证")
    _print_item(out, it)
    return EXIT_OK


def cmd_rectify_delete(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.review import delete_item

    if not args.yes:
        raise UsageError(f"删除整改事项 #{args.id} 需要加 --yes 确认（其佐证材料仍留在档案库中）",
                         f"deleting item #{args.id} needs --yes (its evidence stays in the archive)")
    with open_archive(args) as archive:
        text = delete_item(archive, args.id)
    out.json({"deleted": args.id, "problem": text})
    out.text(f"已删除整改事项 #{args.id}：{text}（佐证材料仍在档案库中）")
    return EXIT_OK
