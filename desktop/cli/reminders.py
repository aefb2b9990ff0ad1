"""催办 from the command line: the same notice and list the departments view makes.

    reminders notice FILE.docx [--department NAME] [--today YYYY-MM-DD]
    reminders list FILE.xlsx [--department NAME] [--today YYYY-MM-DD]
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.output import EXIT_OK, CancelOnInterrupt, Output, open_archive, parse_date


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("reminders", parents=[common], help="催办通知（Word）或催办清单（Excel）(reminders)")
    s.add_argument("kind", choices=("notice", "list"), help="notice 催办通知 / list 催办清单")
    s.add_argument("file", metavar="FILE", help="要写入的 .docx 或 .xlsx 文件 (the file to write)")
    s.add_argument("--department", metavar="NAME", default="", help="只催这一个单位 (one department)")
    s.add_argument("--today", metavar="YYYY-MM-DD", help="按此日期判断逾期 (date for overdue checks)")
    s.set_defaults(func=cmd_reminders)


def cmd_reminders(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.reminders import write_reminders

    today = parse_date(args.today)
    with open_archive(args) as archive, CancelOnInterrupt() as cancel:
        path = write_reminders(archive=archive, kind=args.kind, path=args.file, today=today,
                               department=args.department, progress=out.progress, cancel=cancel)
    out.json({"file": str(path), "kind": args.kind, "department": args.department})
    out.text(f"已生成{'催办通知' if args.kind == 'notice' else '催办清单'}：{path}")
    return EXIT_OK
