"""Subcommands for the county's facts and the upload deadline (what 设置 edits in the window).

    county show
    county set [--name N] [--population P] [--area A] [--gdp YEAR=VALUE ...]
               [--leader ROLE=NAME ...] [--contact-name N] [--contact-phone P]
               [--contact-unit U] [--deadline YYYY-MM-DD|none]

`set` changes only what it is given and saves everything in one transaction through
desktop.actions.settings, with the same checks as the settings dialog.
"""
from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import asdict
from typing import Any

from desktop.cli.output import EXIT_OK, Output, UsageError, open_archive

TEXT_FIELDS = (("name", "县（市、区）名称"), ("population", "常住人口（万人）"), ("area", "面积（平方公里）"),
               ("contact_name", "联系人"), ("contact_phone", "联系电话"), ("contact_unit", "联系单位"))


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("county", parents=[common], help="县情信息与上传截止日期 (county facts, deadline)")
    csub = s.add_subparsers(dest="county_command", parser_class=type(s))
    p = csub.add_parser("show", parents=[common], help="显示 (show)")
    p.set_defaults(func=cmd_show)
    p = csub.add_parser("set", parents=[common], help="修改（只改给出的项）(change what is given)")
    for field, label in TEXT_FIELDS:
        p.add_argument("--" + field.replace("_", "-"), dest=field, metavar="TEXT", help=label)
    p.add_argument("--gdp", action="append", metavar="YEAR=VALUE", help="地区生产总值（亿元），可重复 (GDP by year)")
    p.add_argument("--leader", action="append", metavar="ROLE=NAME", help="领导，如 县长=张三，可重复")
    p.add_argument("--deadline", metavar="YYYY-MM-DD|none", help="上传截止日期 (upload deadline)")
    p.set_defaults(func=cmd_set)
    s.set_defaults(func=_usage)


def _usage(args: argparse.Namespace, out: Output) -> int:
    raise UsageError("请指定 county 的子命令：show 或 set", "give a county subcommand: show or set")


def _pairs(values: list[str] | None, what: str) -> list[tuple[str, str]]:
    out = []
    for v in values or []:
        key, sep, value = v.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{what}应写成 键=值，实际为“{v}”", f"{what} must be KEY=VALUE, got '{v}'")
        out.append((key.strip(), value.strip()))
    return out


def _show(out: Output, settings: Any) -> None:
    f = settings.facts
    out.json({"facts": asdict(f), "upload_deadline": settings.upload_deadline})
    for field, label in TEXT_FIELDS:
        out.text(f"{label}：{getattr(f, field) or '—'}")
    for g in f.gdp:
        out.text(f"地区生产总值 {g.year} 年：{g.value} 亿元")
    for leader in f.leaders:
        out.text(f"{leader.role}：{leader.name}")
    out.text(f"上传截止日期：{settings.upload_deadline or '未设置'}")


def cmd_show(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.settings import archive_settings

    with open_archive(args) as archive:
        _show(out, archive_settings(archive=archive))
    return EXIT_OK


def cmd_set(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.settings import archive_settings, county_facts_from, save_archive_settings

    deadline: dt.date | None | str = "keep"
    if args.deadline is not None:
        if args.deadline.strip().lower() in ("", "none"):
            deadline = None
        else:
            try:
                deadline = dt.date.fromisoformat(args.deadline.strip())
            except ValueError:
                raise UsageError(f"日期格式应为 YYYY-MM-DD：{args.deadline}",
                                 f"date must be YYYY-MM-DD: {args.deadline}") from None
    with open_archive(args) as archive:
        facts = archive_settings(archive=archive).facts
        data: dict[str, Any] = asdict(facts)
        data["gdp"] = [(g.year, g.value) for g in facts.gdp]
        data["leaders"] = [(x.role, x.name) for x in facts.leaders]
        for field, _ in TEXT_FIELDS:
            if getattr(args, field) is not None:
                data[field] = getattr(args, field)
        if args.gdp:
            data["gdp"] = _pairs(args.gdp, "--gdp ")
        if args.leader:
            data["leaders"] = _pairs(args.leader, "--leader ")
        saved = save_archive_settings(archive=archive, facts=county_facts_from(data), deadline=deadline)
    _show(out, saved)
    return EXIT_OK
