"""Subcommands for framework/duties/plan import, duties export and the department registry
(issue 4). Each is a thin layer over a function in storage.tables / exporters; imports of
storage and exporters stay inside the functions so start-up stays fast.

    framework import FILE [--sheet NAME] [--map ROLE=COL,...] [--header-row N] [--name NAME]
                          [--new] [--dry-run]
    duties    import FILE [--sheet NAME] [--map ...] [--header-row N] [--year YYYY]
                          [--framework ID] [--dry-run]
    duties    export FILE.xlsx [--reminders FILE.xlsx] [--department NAME] [--today DATE]
    plan      import FILE.docx [--year YYYY] [--dry-run]
    departments list | merge KEEP OTHER... | alias NAME ALIAS
"""
from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

EXIT_OK, EXIT_PROBLEMS = 0, 1


def _import_opts(p: argparse.ArgumentParser, table: bool = True) -> None:
    if table:
        p.add_argument("--sheet", metavar="NAME", help="工作表名称 (sheet name)")
        p.add_argument("--map", dest="mapping", metavar="ROLE=COL,...",
                       help="指定列：如 code=A,title=C,lead=牵头单位 (explicit column mapping)")
        p.add_argument("--header-row", type=int, metavar="N",
                       help="表头所在行（1 起；0 表示没有表头）(header row, 1-based; 0 = none)")
    p.add_argument("--dry-run", action="store_true", help="只显示将导入的内容，不写入 (show, do not write)")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    fw = sub.add_parser("framework", parents=[common], help="指标体系 (indicator framework)")
    fws = fw.add_subparsers(dest="framework_command", required=True)
    p = fws.add_parser("import", parents=[common], help="从 Excel 导入指标体系 (import from Excel)")
    p.add_argument("file", metavar="FILE")
    _import_opts(p)
    p.add_argument("--name", default="", help="指标体系名称 (framework name)")
    p.add_argument("--new", action="store_true", help="总是新建，不覆盖同名指标体系 (always create new)")
    p.set_defaults(func=cmd_framework_import)

    du = sub.add_parser("duties", parents=[common], help="工作责任分解表 (responsibility table)")
    dus = du.add_subparsers(dest="duties_command", required=True)
    p = dus.add_parser("import", parents=[common], help="导入责任分解表 (import)")
    p.add_argument("file", metavar="FILE")
    _import_opts(p)
    p.add_argument("--year", type=int, help="没有年份的时限所用年份 (year for deadlines without one)")
    p.add_argument("--framework", type=int, metavar="ID", help="关联的指标体系编号 (framework id)")
    p.set_defaults(func=cmd_duties_import)
    p = dus.add_parser("export", parents=[common], help="导出责任分解表及进度 (export with progress)")
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--reminders", metavar="FILE.xlsx", help="同时导出催办清单 (also write the reminder list)")
    p.add_argument("--department", metavar="NAME", help="只导出该单位的任务 (one department only)")
    p.add_argument("--framework", type=int, metavar="ID", help="指标体系编号 (framework id)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="按此日期计算逾期 (date to compute overdue from)")
    p.set_defaults(func=cmd_duties_export)

    pl = sub.add_parser("plan", parents=[common], help="工作方案 (county work plan)")
    pls = pl.add_subparsers(dest="plan_command", required=True)
    p = pls.add_parser("import", parents=[common], help="从 Word 工作方案导入任务 (import tasks)")
    p.add_argument("file", metavar="FILE.docx")
    _import_opts(p, table=False)
    p.add_argument("--year", type=int, help="没有年份的时限所用年份")
    p.add_argument("--framework", type=int, metavar="ID", help="关联的指标体系编号")
    p.set_defaults(func=cmd_plan_import)

    de = sub.add_parser("departments", parents=[common], help="责任单位 (departments)")
    des = de.add_subparsers(dest="departments_command", required=True)
    p = des.add_parser("list", parents=[common], help="列出单位 (list)")
    p.set_defaults(func=cmd_departments_list)
    p = des.add_parser("merge", parents=[common], help="合并重复单位 (merge duplicates)")
    p.add_argument("keep", metavar="KEEP", help="保留的单位（名称或编号）")
    p.add_argument("others", nargs="+", metavar="OTHER", help="并入的单位（名称或编号）")
    p.set_defaults(func=cmd_departments_merge)
    p = des.add_parser("alias", parents=[common], help="添加别名 (add an alias)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("alias", metavar="ALIAS")
    p.set_defaults(func=cmd_departments_alias)


# --- printing ------------------------------------------------------------------------------


def _print_report(out: Any, rep: Any, noun: str) -> int:
    data = rep.as_dict()
    out.json(data)
    head = "（预览，未写入）" if rep.dry_run else ""
    out.text(f"{noun}导入{head}：{rep.file}" + (f"，工作表“{rep.sheet}”" if rep.sheet else ""))
    m = data["mapping"]
    if m.get("header_rows"):
        out.text(f"  表头：第 {'、'.join(map(str, m['header_rows']))} 行")
    for role, cols in (m.get("columns") or {}).items():
        out.text(f"  {role:<12} ← " + "，".join(f"{c['column']} {c['header']}" for c in cols))
    if rep.framework_name:
        out.text(f"  指标体系：{rep.framework_name}")
    out.text(f"  读取 {rep.rows_read} 行，跳过 {len(rep.skipped)} 行；"
             f"新增 {len(rep.added)}，修改 {len(rep.changed)}，删除 {len(rep.removed)}，保留 {len(rep.kept)}")
    for c in rep.changed[:50]:
        fields = "，".join(c.get("fields", {}).keys())
        out.text(f"  [修改] {c.get('code', '')} {c.get('title') or c.get('task', '')}：{fields}")
    for c in rep.removed[:50]:
        out.text(f"  [删除] {c.get('code', '')} {c.get('title') or c.get('task', '')}")
    for msg in rep.warnings:
        out.text(f"  [提示] {msg.zh}")
    for msg in rep.problems:
        out.text(f"  [问题] {msg.zh}")
    return EXIT_PROBLEMS if rep.problems else EXIT_OK


# --- commands ---------------------------------------------------------------------------------


def _given_file(args: argparse.Namespace) -> None:
    """An empty FILE ("" or blanks) is a usage error, never the current folder (issue 18)."""
    from desktop.cli.output import UsageError

    if not str(args.file).strip():
        raise UsageError("要导入的文件路径是空的；请写出文件的路径",
                         "the path of the file to import is empty; give the path of the file")


def cmd_framework_import(args: argparse.Namespace, out: Any) -> int:
    _given_file(args)
    from desktop.cli.output import open_archive
    from storage.tables.framework_import import import_framework

    with open_archive(args) as archive:
        rep = import_framework(archive, args.file, sheet=args.sheet, mapping=args.mapping,
                               header_row=args.header_row, name=args.name,
                               dry_run=args.dry_run, new=args.new)
    return _print_report(out, rep, "指标体系")


def cmd_duties_import(args: argparse.Namespace, out: Any) -> int:
    _given_file(args)
    from desktop.cli.output import open_archive
    from storage.tables.duties_import import import_duties

    with open_archive(args) as archive:
        rep = import_duties(archive, args.file, sheet=args.sheet, mapping=args.mapping,
                            header_row=args.header_row, year=args.year,
                            framework_id=args.framework, dry_run=args.dry_run)
    return _print_report(out, rep, "责任分解表")


def cmd_plan_import(args: argparse.Namespace, out: Any) -> int:
    _given_file(args)
    from desktop.cli.output import open_archive
    from storage.tables.plan_import import import_plan

    with open_archive(args) as archive:
        rep = import_plan(archive, args.file, year=args.year, framework_id=args.framework,
                          dry_run=args.dry_run)
    return _print_report(out, rep, "工作方案")


def _today(args: argparse.Namespace) -> dt.date:
    from storage.kernel.errors import BadInput

    if not args.today:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(args.today)
    except ValueError:
        raise BadInput(f"日期格式有误：{args.today}（应为 YYYY-MM-DD）",
                       f"bad date: {args.today} (use YYYY-MM-DD)") from None


def cmd_duties_export(args: argparse.Namespace, out: Any) -> int:
    from desktop.cli.output import open_archive
    from exporters.duties_xlsx import write_duties_xlsx
    from exporters.reminders_xlsx import write_reminders_xlsx
    from storage.tables.export_query import duties_table

    today = _today(args)
    with open_archive(args) as archive, archive.sessions.read() as s:
        table = duties_table(s, framework_id=args.framework, today=today,
                             department=args.department)
    path = write_duties_xlsx(table, args.file)
    result = {"file": str(path), "rows": len(table.rows), "overdue": table.overdue_count}
    if args.reminders:
        rpath = write_reminders_xlsx(table, args.reminders)
        result["reminders"] = str(rpath)
    out.json(result)
    out.text(f"已导出责任分解表：{path}（{len(table.rows)} 项任务，逾期 {table.overdue_count} 项）")
    if args.reminders:
        out.text(f"已导出催办清单：{result['reminders']}")
    return EXIT_OK


def cmd_departments_list(args: argparse.Namespace, out: Any) -> int:
    from desktop.cli.output import open_archive
    from storage.tables.export_query import department_list

    with open_archive(args) as archive, archive.sessions.read() as s:
        rows = department_list(s)
    out.json({"departments": rows})
    for d in rows:
        extra = f"（别名：{'、'.join(d['aliases'])}）" if d["aliases"] else ""
        kind = " [集合]" if d["is_collective"] else ""
        out.text(f"{d['id']:>4}  {d['name']}{kind}{extra}  牵头 {d['lead']} 项，配合 {d['cooperating']} 项")
    return EXIT_OK


def cmd_departments_merge(args: argparse.Namespace, out: Any) -> int:
    from desktop.cli.output import open_archive
    from storage.catalogue.departments import merge_departments, resolve_department_ref

    with open_archive(args) as archive, archive.sessions.write() as s:
        keep = resolve_department_ref(s, args.keep)
        others = [resolve_department_ref(s, o) for o in args.others]
        res = merge_departments(s, keep, others)
    out.json(res)
    out.text(f"已把 {'、'.join(res.merged) or '（无）'} 并入 {res.kept_name}："
             f"任务关联 {res.duty_links_moved} 项，佐证材料 {res.evidence_moved} 份")
    return EXIT_OK


def cmd_departments_alias(args: argparse.Namespace, out: Any) -> int:
    from desktop.cli.output import open_archive
    from storage.catalogue.departments import add_alias, resolve_department_ref

    with open_archive(args) as archive, archive.sessions.write() as s:
        dept = resolve_department_ref(s, args.name)
        add_alias(s, dept, args.alias)
        name = dept.name
    out.json({"department": name, "alias": args.alias})
    out.text(f"已为 {name} 添加别名 {args.alias}")
    return EXIT_OK
