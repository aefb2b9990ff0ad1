"""The archive's own commands: init, ingest, status, verify."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.output import (
    EXIT_OK,
    EXIT_PROBLEMS,
    CancelOnInterrupt,
    Output,
    UsageError,
    archive_path,
    db_url,
    open_archive,
    remember,
)


def cmd_init(args: argparse.Namespace, out: Output) -> int:
    if not args.archive:
        raise UsageError("init 需要 --archive 指定新档案库的文件夹", "init needs --archive DIR")
    root = Path(args.archive)
    if args.demo and getattr(args, "db_url", None):
        raise UsageError("示例档案库只建在本机文件中，不能与 --db-url 同用",
                         "the demo archive is made as a local file only; not with --db-url")
    if args.demo:
        from desktop.actions.demo import create_demo_archive

        archive = create_demo_archive(root, progress=out.progress)
    else:
        from storage.core.archive import Archive

        archive = Archive.create(root, db_url=db_url(args))
    with archive:
        remember(archive.root)
        out.text(f"已创建档案库：{archive.root}" + ("（示例数据）" if args.demo else ""))
        out.json({"archive": str(archive.root), "demo": bool(args.demo)})
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.ingest import ingest_and_link
    from storage.reading.backlog import read_pending

    with open_archive(args) as archive, CancelOnInterrupt() as cancel:
        report = ingest_and_link(archive=archive, paths=args.paths, department=args.department,
                                 indicator_code=args.indicator, duty_id=args.duty,
                                 progress=out.progress, cancel=cancel)
        # reading is not part of storing: the text of every stored file without one, after
        reading = read_pending(archive, cancel=cancel)
    out.json(report.as_dict())
    out.text(
        f"已存档 {report.count('stored')} 个文件（{report.bytes_stored / 1e6:.1f} MB），"
        f"重复 {report.count('duplicate')} 个，跳过 {report.count('skipped')} 个，"
        f"失败 {report.count('failed')} 个"
        + ("；已按要求中途停止" if report.cancelled else "")
    )
    out.text(reading.summary())
    for item in report.items:
        if item.outcome != "stored":
            label = {"duplicate": "重复", "skipped": "跳过", "failed": "失败"}[item.outcome]
            out.text(f"  [{label}] {item.path}：{item.reason}")
    return EXIT_PROBLEMS if report.problems else EXIT_OK


def cmd_status(args: argparse.Namespace, out: Output) -> int:
    # The light road first (sqlite3 only, no SQLAlchemy, ORM or Alembic: a third of a second
    # less start-up); it declines anything the full open must handle (server archives,
    # migrations, the daily backup, damage) and the full road answers as before.
    from storage.catalogue.status_light import quick_status

    rep = None if getattr(args, "db_url", None) else quick_status(archive_path(args))
    if rep is not None:
        remember(Path(rep.archive))
    else:
        from storage.catalogue.queries import status

        with open_archive(args) as archive, archive.sessions.read() as s:
            rep = status(s, str(archive.root))
    out.json(rep)
    out.text(f"档案库：{rep.archive}")
    out.text(
        f"指标体系：{rep.framework_name or '（尚未导入）'}"
        + ("  [示例]" if rep.framework_is_sample else "")
    )
    st = rep.evidence_by_status
    out.text(
        f"佐证材料：{rep.evidence_total} 份（已收 {st.get('received', 0)}，已审核 {st.get('accepted', 0)}，"
        f"退回 {st.get('returned', 0)}，已替代 {st.get('superseded', 0)}）；"
        f"文件 {rep.files} 个，{rep.bytes / 1e6:.1f} MB"
    )
    out.text(
        f"末级指标：{rep.indicators_total} 项，有材料 {rep.indicators_covered} 项，"
        f"已审核 {rep.indicators_accepted} 项；责任单位 {rep.departments} 个，任务 {rep.duties} 项，"
        f"待处理收件 {rep.inbox_pending} 个"
    )
    if rep.level1:
        out.text("按一级指标：")
        for n in rep.level1:
            out.text(
                f"  {n.code} {n.title}：{n.subtree_leaves_covered}/{n.subtree_leaves} 项有材料，"
                f"{n.subtree_leaves_accepted} 项已审核"
            )
    if rep.by_department:
        out.text("按单位：")
        for d in rep.by_department:
            out.text(f"  {d.name}：{d.received} 份，已审核 {d.accepted} 份")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, out: Output) -> int:
    if args.repair:
        from desktop.cli.durability import run_repair

        return run_repair(args, out)
    from storage.durability.verify import verify_archive

    with open_archive(args) as archive, CancelOnInterrupt() as cancel:
        report = verify_archive(archive, progress=out.progress, cancel=cancel)
    out.json(report.as_dict())
    kinds = {"missing": "丢失", "corrupt": "损坏", "orphan": "无主文件", "database": "数据库",
             "leftover": "残留临时文件"}
    out.text(f"已校验 {report.files_checked} 个文件，{report.bytes_checked / 1e6:.1f} MB")
    for p in report.problems:
        names = "；".join(p.names) if p.names else ""
        out.text(f"  [{kinds.get(p.kind, p.kind)}] {names or p.path}：{p.detail}")
    if report.cancelled:
        out.text("校验已中途停止，结果不完整 (verify was cancelled; results incomplete)")
    elif report.ok:
        out.text("档案库完好 (archive OK)")
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add init, ingest, status and verify to the parser."""
    s = sub.add_parser("init", parents=[common], help="创建档案库 (create an archive)")
    s.add_argument("--demo", action="store_true", help="带示例数据 (with sample data)")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("ingest", parents=[common], help="导入文件或文件夹 (store files)")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--department", metavar="NAME", help="报送单位 (sending department)")
    s.add_argument("--indicator", metavar="CODE", help="关联指标编号 (link to indicator)")
    s.add_argument("--duty", type=int, metavar="DUTY_ID",
                   help="关联任务（责任分解表的一行）及其指标 (link to a duty and its indicator)")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("status", parents=[common], help="进度统计 (counts and progress)")
    s.set_defaults(func=cmd_status)

    s = sub.add_parser("verify", parents=[common], help="校验档案库 (check every stored file)")
    s.add_argument("--repair", action="store_true",
                   help="修复：无主文件收入收件箱或隔离，列出丢失文件的来源 (adopt orphans, list missing files)")
    s.set_defaults(func=cmd_verify)
