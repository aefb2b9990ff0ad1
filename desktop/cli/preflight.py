"""Subcommands for preflight (issue 7, item 1).

    preflight [--xlsx FILE] [--today YYYY-MM-DD]
        what would stop a submission; exit 1 when anything blocks
    limits [--max-mb N|none] [--formats pdf,jpg|any] [--path-budget N]
        show or change what the province accepts (per framework, stored in the archive)

Thin layers over storage.preflight (facts, limits), exporters.bundle.plan_bundle (renames)
and exporters.preflight / exporters.preflight_xlsx (rules, checklist).
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.output import EXIT_OK, EXIT_PROBLEMS, Output, open_archive, parse_date


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("preflight", parents=[common],
                       help="提交前检查：列出会阻止提交的问题 (what would stop a submission)")
    s.add_argument("--xlsx", metavar="FILE", help="同时把检查清单写入 Excel 文件 (also write the checklist)")
    s.add_argument("--today", metavar="YYYY-MM-DD", help="按此日期判断逾期 (date for overdue checks)")
    s.set_defaults(func=cmd_preflight)

    s = sub.add_parser("limits", parents=[common],
                       help="省平台对文件的要求：大小上限、格式、路径长度 (the province's file limits)")
    s.add_argument("--max-mb", metavar="N", help="单个文件大小上限（MB），none 为不限 (per-file cap)")
    s.add_argument("--formats", metavar="LIST", help="接受的格式，如 pdf,jpg；any 为不限 (accepted formats)")
    s.add_argument("--path-budget", metavar="N", help="包内路径长度上限，40–259，默认 160 (path budget)")
    s.set_defaults(func=cmd_limits)






def cmd_preflight(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.preflight import run_preflight
    from exporters.preflight import report_dict, report_lines
    from exporters.preflight_xlsx import write_preflight_xlsx

    today = parse_date(args.today)
    with open_archive(args) as archive:
        report = run_preflight(archive, today)
    if args.xlsx:
        write_preflight_xlsx(report, args.xlsx)
    doc = report_dict(report)
    if args.xlsx:
        doc["xlsx"] = str(args.xlsx)
    out.json(doc)
    for line in report_lines(report):
        out.text(line)
    if args.xlsx:
        out.text(f"检查清单已写入：{args.xlsx}")
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_limits(args: argparse.Namespace, out: Output) -> int:
    from storage.bundle.preflight import UNSET, preflight_limits, set_preflight_limits

    change = {k: v for k, v in (("max_mb", args.max_mb), ("formats", args.formats),
                                ("path_budget", args.path_budget)) if v is not None}
    with open_archive(args) as archive:
        if change:
            with archive.sessions.write() as s:
                lim = set_preflight_limits(s, **{k: change.get(k, UNSET) for k in
                                                 ("max_mb", "formats", "path_budget")})
        else:
            with archive.sessions.read() as s:
                lim = preflight_limits(s)
    out.json({"max_mb": lim.max_mb, "formats": list(lim.formats), "path_budget": lim.path_budget})
    out.text(("已保存。" if change else "") +
             f"单个文件上限：{f'{lim.max_mb:g} MB' if lim.max_mb else '不限'}；"
             f"接受的格式：{'、'.join(lim.formats) if lim.formats else '不限'}；"
             f"路径长度 < {lim.path_budget}")
    return EXIT_OK
