"""Subcommands for archives on a PostgreSQL server (issue 9).

    migrate-to-server --db-url URL [--to DIR] [--create-database]
                          the single-clerk archive (--archive) onto the server; in place,
                          or into a new (shared) folder DIR; verified on both sides
    migrate-to-file [--to DIR]
                          back to a SQLite archive: in place (a local folder), or a new
                          local folder DIR; the server database is left as it is
    server-info           where the metadata is, and which seat runs the folder watcher

Thin layers over storage.server_migrate and storage.server; the window calls the same.
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.output import EXIT_OK, EXIT_PROBLEMS, CancelOnInterrupt, Output, UsageError, archive_path, db_url


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("migrate-to-server", parents=[common],
                       help="把档案库的数据迁到数据库服务器（多人共用） (move the metadata onto a PostgreSQL server)")
    s.add_argument("--to", metavar="DIR", help="迁到新的（共享）文件夹，原文件夹保持不变 (a new shared folder)")
    s.add_argument("--create-database", action="store_true",
                   help="先在服务器上新建 --db-url 中的数据库 (create the database first)")
    s.set_defaults(func=cmd_migrate_to_server)

    s = sub.add_parser("migrate-to-file", parents=[common],
                       help="把服务器上的档案库迁回本机文件 (move the metadata back into the folder, SQLite)")
    s.add_argument("--to", metavar="DIR", help="迁到新的本机文件夹，服务器上的档案库保持不变 (a new local folder)")
    s.set_defaults(func=cmd_migrate_to_file)

    s = sub.add_parser("server-info", parents=[common],
                       help="档案库数据在哪里，哪台电脑在监视文件夹 (where the metadata is; who watches)")
    s.set_defaults(func=cmd_server_info)


def _show(report, out: Output) -> int:
    out.json(report)
    total = sum(report.rows.values())
    out.text(f"已迁移：{report.archive} → {report.database}（{total} 行"
             + (f"，复制文件 {report.files_copied} 个" if report.files_copied else "") + "）")
    if report.kept:
        out.text(f"原来的数据库说明已保留在 {report.kept}")
    if report.verify_ok:
        out.text("迁移前后校验均通过 (verify OK on both sides)")
        return EXIT_OK
    for p in report.verify_problems:
        out.text(f"  [{p['kind']}] {'；'.join(p['names']) or p['path']}：{p['detail']}")
    out.text("迁移后校验发现问题 (problems after the move)")
    return EXIT_PROBLEMS


def cmd_migrate_to_server(args: argparse.Namespace, out: Output) -> int:
    from storage.durability.server_migrate import migrate_to_server

    url = getattr(args, "db_url", None)
    if not url:
        import os

        url = os.environ.get("EVIDENCE_DESK_DB_URL")
    if not url:
        raise UsageError("migrate-to-server 需要 --db-url postgresql://用户@服务器/库名",
                         "migrate-to-server needs --db-url postgresql://user@host/dbname")
    with CancelOnInterrupt() as cancel:
        rep = migrate_to_server(archive_path(args), url, to=args.to, create_database=args.create_database,
                                progress=out.progress, cancel=cancel)
    return _show(rep, out)


def cmd_migrate_to_file(args: argparse.Namespace, out: Output) -> int:
    from storage.durability.server_migrate import migrate_to_file

    path = archive_path(args)
    with CancelOnInterrupt() as cancel:
        rep = migrate_to_file(path, db_url=db_url(args, path), to=args.to, progress=out.progress, cancel=cancel)
    code = _show(rep, out)
    out.text("服务器上的数据库未删除；确认不再需要后，可由管理员删除 (the server database was left as it is)")
    return code


def cmd_server_info(args: argparse.Namespace, out: Output) -> int:
    from storage.core.archive import Archive

    path = archive_path(args)
    with Archive.open(path, db_url=db_url(args, path), daily_backup=False) as a:
        holder = a.watcher_lock().holder() if a.is_server else None
        info = {
            "archive": str(a.root),
            "backend": a.backend,
            "database": a.database_label,
            "archive_id": a.server.archive_id if a.server else "",
            "watcher": str(holder) if holder else "",
        }
    out.json(info)
    out.text(f"档案库：{info['archive']}")
    out.text(f"数据：{'数据库服务器 ' if info['backend'] == 'postgresql' else '本机文件 '}{info['database']}")
    if info["backend"] == "postgresql":
        out.text(f"文件夹监视：{info['watcher'] or '当前没有电脑在监视 (nobody is watching)'}")
    return EXIT_OK


__all__ = ["register"]
