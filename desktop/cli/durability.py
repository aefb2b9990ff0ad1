"""Subcommands for backup, restore, log, trash, verify --repair (issue 3).

    backup DEST                     folder or .zip; safe while the window is open
    restore SRC --archive DIR       a backup folder/zip into a new archive folder, or a
                                    backups/*.sqlite3 database into an existing archive
    log [--since DATE] [--limit N]  the audit log, oldest first
    trash [ID...]                   move evidence to the trash (no ID: list the trash)
    untrash ID...                   bring evidence back from the trash
    purge ID... | --all [--yes]     without --yes: say what would be removed; with: remove it
    repair [--grace SECONDS]        verify, then adopt/quarantine orphans, bring missing
                                    files back from their source, list what cannot be

Each is a thin layer over storage.backup / storage.trash / storage.auditlog /
storage.verify.repair_archive; the window calls the same functions.
"""
from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop.cli.output import EXIT_OK, EXIT_PROBLEMS, CancelOnInterrupt, Output, UsageError, open_archive
from storage.kernel.errors import BadInput


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add this module's subcommands to the parser."""
    s = sub.add_parser("backup", parents=[common], help="备份档案库到文件夹或 .zip (back the archive up)")
    s.add_argument("dest", metavar="DEST", help="新的文件夹或 .zip 文件名 (a new folder or .zip)")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", parents=[common],
                       help="从备份恢复到 --archive 指定的文件夹 (restore a backup into --archive DIR)")
    s.add_argument("src", metavar="SRC", help="备份文件夹、.zip 或 backups/ 中的 .sqlite3")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("log", parents=[common], help="查看操作记录 (the audit log)")
    s.add_argument("--since", metavar="DATE", help="起始日期，如 2025-03-01 (local date or date-time)")
    s.add_argument("--entity", metavar="TABLE", help="只看某类记录，如 evidence")
    s.add_argument("--limit", type=int, metavar="N", help="只显示最近 N 条 (only the newest N)")
    s.set_defaults(func=cmd_log)

    s = sub.add_parser("trash", parents=[common],
                       help="把佐证移入回收站；不带编号则列出回收站 (trash evidence; no ID lists the trash)")
    s.add_argument("ids", nargs="*", metavar="ID")
    s.set_defaults(func=cmd_trash)

    s = sub.add_parser("untrash", parents=[common], help="从回收站恢复佐证 (restore from the trash)")
    s.add_argument("ids", nargs="+", metavar="ID")
    s.set_defaults(func=cmd_untrash)

    s = sub.add_parser("purge", parents=[common],
                       help="彻底删除回收站中的佐证 (remove trashed evidence for good)")
    s.add_argument("ids", nargs="*", metavar="ID")
    s.add_argument("--all", action="store_true", help="回收站中的全部 (everything in the trash)")
    s.add_argument("--yes", action="store_true", help="确认删除；不加则只列出将删除的内容 (without it: dry run)")
    s.set_defaults(func=cmd_purge)

    s = sub.add_parser("repair", parents=[common],
                       help="校验并修复：收容无主文件、找回丢失文件 (verify --repair)")
    s.add_argument("--grace", type=float, default=60.0, metavar="SECONDS",
                   help="不处理最近 N 秒内写入的文件（可能正在导入），默认 60")
    s.set_defaults(func=cmd_repair)


@contextlib.contextmanager
def _disk_full_says(where: str, zh: str, en: str) -> Iterator[None]:
    """A full disk during a backup or restore: one clear line (what was written is a
    .partial or a folder without its database, never taken for a finished one)."""
    from storage.core.db import is_disk_full  # here: --help and --version stay light

    try:
        yield
    except Exception as e:  # OSError from a copy, sqlite3's "database or disk is full"
        if not is_disk_full(e):
            raise
        raise BadInput(
            f"磁盘已满，{zh}未完成：{where}；请腾出空间或换一个磁盘后重试（未完成的部分不会被当作完整的{zh}）",
            f"the disk is full; the {en} did not finish: {where}; free some space or use another "
            f"disk and try again (the unfinished part is never taken for a finished {en})",
        ) from e


def cmd_backup(args: argparse.Namespace, out: Output) -> int:
    from storage.durability.backup import backup_archive

    with open_archive(args) as archive, CancelOnInterrupt() as cancel, _disk_full_says(args.dest, "备份", "backup"):
        rep = backup_archive(archive, args.dest, progress=out.progress, cancel=cancel)
    out.json(rep)
    out.text(f"已备份到 {rep.dest}：{rep.files} 个文件，{rep.bytes / 1e6:.1f} MB（结构版本 {rep.schema}）")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: Output) -> int:
    from storage.durability.backup import restore_archive

    if not args.archive:
        raise UsageError("restore 需要 --archive 指定恢复到的文件夹", "restore needs --archive DIR")
    from desktop.cli.output import db_url

    with _disk_full_says(args.archive, "恢复", "restore"):
        rep = restore_archive(args.src, args.archive, db_url=db_url(args, Path(args.archive)),
                              progress=out.progress)
    out.json(rep)
    if rep.replaced_database:
        out.text(f"已恢复数据库；原数据库保留在 {rep.replaced_database}")
    out.text(f"已恢复到 {rep.archive}：{rep.files} 个文件"
             + ("；已升级档案库结构" if rep.migrated else ""))
    if rep.verify_ok:
        out.text("校验通过 (verify OK)")
        return EXIT_OK
    for p in rep.verify_problems:
        out.text(f"  [{p['kind']}] {'；'.join(p['names']) or p['path']}：{p['detail']}")
    out.text("恢复后校验发现问题，可运行 repair (problems after restore; run repair)")
    return EXIT_PROBLEMS


def cmd_log(args: argparse.Namespace, out: Output) -> int:
    from storage.durability.auditlog import parse_since, read_log

    since = parse_since(args.since) if args.since else None  # bad date: exit 2 before opening
    if args.limit is not None and args.limit <= 0:
        raise UsageError("--limit 应为正整数", "--limit must be a positive number")
    with open_archive(args) as archive:
        entries = read_log(archive, since=since, entity=args.entity, limit=args.limit)
    out.json({"entries": entries})
    for e in entries:
        out.text(e.line())
    out.text(f"共 {len(entries)} 条记录 ({len(entries)} entries)")
    return EXIT_OK


def _show_items(out: Output, items: Any) -> None:
    for i in items:
        files = "、".join(i.files)
        out.text(f"  #{i.evidence_id}《{i.title}》" + (f"  文件：{files}" if files else ""))


def cmd_trash(args: argparse.Namespace, out: Output) -> int:
    from storage.durability.trash import list_trash, trash_evidence

    with open_archive(args) as archive:
        if not args.ids:
            items = list_trash(archive)
            out.json({"trash": items})
            out.text(f"回收站中有 {len(items)} 份佐证 ({len(items)} items in the trash)")
            _show_items(out, items)
            return EXIT_OK
        items = trash_evidence(archive, args.ids)
    out.json({"trashed": items})
    out.text(f"已移入回收站 {len(items)} 份佐证（文件仍保留，可用 untrash 恢复）")
    _show_items(out, items)
    return EXIT_OK


def cmd_untrash(args: argparse.Namespace, out: Output) -> int:
    from storage.durability.trash import untrash_evidence

    with open_archive(args) as archive:
        items = untrash_evidence(archive, args.ids)
    out.json({"restored": items})
    out.text(f"已从回收站恢复 {len(items)} 份佐证")
    _show_items(out, items)
    return EXIT_OK


def cmd_purge(args: argparse.Namespace, out: Output) -> int:
    from storage.durability.trash import purge, purge_plan

    if bool(args.ids) == bool(args.all):
        raise UsageError("purge 需要佐证编号，或 --all（回收站中的全部），二者选一",
                         "purge needs evidence IDs or --all, not both")
    ids = None if args.all else args.ids
    with open_archive(args) as archive:
        plan = purge(archive, ids) if args.yes else purge_plan(archive, ids)
    out.json({"purged": bool(args.yes), "items": plan.items, "files": plan.files,
              "bytes_freed": plan.bytes_freed})
    verb = "已彻底删除" if args.yes else "将彻底删除"
    out.text(f"{verb} {len(plan.items)} 份佐证：")
    _show_items(out, plan.items)
    for f in plan.files:
        names = "、".join(f.names)
        if f.removed:
            out.text(f"  {verb}文件 {names}（{f.size} 字节，{f.sha256[:12]}…）")
        else:
            out.text(f"  保留文件 {names}（仍被其他佐证、收件箱或已封存的报送使用）")
    if not args.yes:
        out.text("以上只是预览，未作任何改动；确认无误后加 --yes 执行 (dry run; add --yes to purge)")
    return EXIT_OK


def cmd_repair(args: argparse.Namespace, out: Output) -> int:
    return run_repair(args, out, grace_seconds=args.grace)


def run_repair(args: argparse.Namespace, out: Output, *, grace_seconds: float = 60.0) -> int:
    """`verify --repair`: the function the verify command can call with its own args."""
    from storage.durability.verify import repair_archive

    labels = {"adopted": "收入收件箱", "quarantined": "移入隔离区", "restored": "已找回",
              "unrecoverable": "无法找回", "removed_leftover": "删除临时文件",
              "skipped_recent": "暂不处理", "recounted": "重新统计"}
    with open_archive(args) as archive, CancelOnInterrupt() as cancel:
        rep = repair_archive(archive, grace_seconds=grace_seconds, progress=out.progress, cancel=cancel)
    out.json(rep.as_dict())
    out.text(f"已校验 {rep.before.files_checked} 个文件，发现 {len(rep.before.problems)} 个问题")
    for a in rep.actions:
        where = "；".join(a.sources) if a.sources else Path(a.path).name
        out.text(f"  [{labels.get(a.kind, a.kind)}] {where}：{a.detail}")
    if rep.ok:
        out.text("档案库完好 (archive OK)")
        return EXIT_OK
    out.text("仍有问题未解决，见上 (problems remain; see above)")
    return EXIT_PROBLEMS
