"""Subcommands for watched folders, the watcher, the inbox and search (issue 5).

    folders add PATH [--department NAME] [--polling SECONDS] [--settle SECONDS]
                     [--include PATTERNS] [--exclude PATTERNS] [--auto-accept]
    folders list | remove PATH
    watch [--once] [--rescan SECONDS]
    inbox list [--state pending|accepted|ignored|failed|all]   (--json: each entry's
                     suggestion holds "top", the best three indicators with reasons)
    inbox accept ID... [--department NAME] [--indicator CODE ...] [--duty ID ...] [--rectify ITEM]
                     (an acceptance teaches: the pending suggestions are made again at once)
    inbox ignore ID...
    search QUERY [--limit N]

Storage is imported inside the command functions (start-up stays fast).
"""
from __future__ import annotations

import argparse
import time
from typing import Any


def _cli():
    from desktop.cli import output as cli

    return cli


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    cli = _cli()
    p = sub.add_parser("folders", parents=[common], help="监视的共享文件夹 (watched folders)")
    fs = p.add_subparsers(dest="folders_command", parser_class=cli._Parser)
    s = fs.add_parser("add", parents=[common], help="添加监视文件夹 (watch a folder)")
    s.add_argument("path", metavar="PATH")
    s.add_argument("--department", metavar="NAME", help="此文件夹所属单位 (the department that drops files here)")
    s.add_argument("--polling", type=float, metavar="SECONDS",
                   help="轮询间隔秒数；0 = 使用系统事件；不指定 = 网络路径自动轮询 "
                        "(poll every SECONDS; 0 = native events; default: poll network paths)")
    s.add_argument("--settle", type=float, metavar="SECONDS", help="文件稳定等待秒数 (settle time)")
    s.add_argument("--include", default="", metavar="PATTERNS", help="只收这些文件，如 *.docx;*.pdf")
    s.add_argument("--exclude", default="", metavar="PATTERNS", help="另外排除的文件，如 草稿*")
    s.add_argument("--auto-accept", action="store_true",
                   help="把握大的建议自动接受 (auto-accept confident suggestions)")
    s.set_defaults(func=cmd_folders_add)
    s = fs.add_parser("list", parents=[common], help="列出监视文件夹")
    s.set_defaults(func=cmd_folders_list)
    s = fs.add_parser("remove", parents=[common], help="停止监视（不会动文件夹里的文件）")
    s.add_argument("path", metavar="PATH")
    s.set_defaults(func=cmd_folders_remove)
    p.set_defaults(func=lambda a, o: _need_sub("folders"))

    s = sub.add_parser("watch", parents=[common], help="扫描/监视共享文件夹 (scan or watch the folders)")
    s.add_argument("--once", action="store_true", help="扫描一遍后退出 (scan once and exit)")
    s.add_argument("--ocr", action="store_true",
                   help="配合 --once：再识别扫描件和照片的文字（较慢） (with --once: also OCR scans and photos)")
    s.add_argument("--rescan", type=float, default=300.0, metavar="SECONDS",
                   help="完整重新扫描的间隔 (full rescan interval, default 300)")
    s.set_defaults(func=cmd_watch)

    p = sub.add_parser("inbox", parents=[common], help="收件箱 (files found in watched folders)")
    ib = p.add_subparsers(dest="inbox_command", parser_class=cli._Parser)
    s = ib.add_parser("list", parents=[common], help="列出收件")
    s.add_argument("--state", default="pending", choices=["pending", "accepted", "ignored", "failed", "all"])
    s.add_argument("--limit", type=int, default=1000)
    s.set_defaults(func=cmd_inbox_list)
    s = ib.add_parser("accept", parents=[common], help="接受收件（按建议或指定的单位、指标、任务关联）")
    s.add_argument("ids", nargs="+", type=int, metavar="ID")
    s.add_argument("--department", metavar="NAME")
    s.add_argument("--indicator", action="append", metavar="CODE")
    s.add_argument("--duty", action="append", type=int, metavar="ID")
    s.add_argument("--rectify", type=int, metavar="ITEM",
                   help="作为整改事项的整改佐证（默认同时关联该事项的指标） (place on a rectification item)")
    s.set_defaults(func=cmd_inbox_accept)
    s = ib.add_parser("ignore", parents=[common], help="忽略收件（移入回收站，文件仍保留）")
    s.add_argument("ids", nargs="+", type=int, metavar="ID")
    s.set_defaults(func=cmd_inbox_ignore)
    p.set_defaults(func=lambda a, o: _need_sub("inbox"))

    s = sub.add_parser("search", parents=[common], help="搜索标题、文件名、文号和正文 (search)")
    s.add_argument("query", metavar="QUERY")
    s.add_argument("--limit", type=int, default=50)
    s.set_defaults(func=cmd_search)


def _need_sub(name: str) -> int:
    cli = _cli()
    raise cli.UsageError(f"{name} 需要子命令；用 --help 查看用法", f"{name} needs a subcommand; see --help")


def _folder_line(f) -> str:
    mode = "系统事件" if f.mode == "native" else f"轮询 {f.polling_seconds:g} 秒"
    state = "在线" if f.online else "离线"
    extra = f"；{f.last_error}" if f.last_error else ""
    auto = "；自动接受" if f.auto_accept else ""
    return (f"#{f.id} {f.path}  单位：{f.department or '（未指定）'}  {mode}，稳定等待 "
            f"{f.settle_seconds:g} 秒  {state}{auto}{extra}")


def cmd_folders_add(args: argparse.Namespace, out) -> int:
    import os

    from storage.kernel.errors import BadInput
    from storage.watch.folders import add_folder

    cli = _cli()
    with cli.open_archive(args) as archive:
        target = os.path.abspath(args.path)
        root = str(archive.root)
        if root == target or root.startswith(target.rstrip(os.sep) + os.sep):
            raise BadInput("不能监视包含档案库本身的文件夹", "cannot watch a folder that contains the archive")
        with archive.sessions.write() as s:
            info = add_folder(s, args.path, department=args.department, polling_seconds=args.polling,
                              settle_seconds=args.settle, include=args.include, exclude=args.exclude,
                              auto_accept=args.auto_accept)
    out.json(info)
    out.text("已添加监视文件夹：" + _folder_line(info))
    return cli.EXIT_OK


def cmd_folders_list(args: argparse.Namespace, out) -> int:
    from storage.watch.folders import list_folders

    cli = _cli()
    with cli.open_archive(args) as archive, archive.sessions.read() as s:
        rows = list_folders(s)
    out.json({"folders": rows})
    if not rows:
        out.text("尚未添加监视文件夹（用 folders add PATH 添加）")
    for f in rows:
        out.text(_folder_line(f))
    return cli.EXIT_OK


def cmd_folders_remove(args: argparse.Namespace, out) -> int:
    from storage.watch.folders import remove_folder

    cli = _cli()
    with cli.open_archive(args) as archive, archive.sessions.write() as s:
        info = remove_folder(s, args.path)
    out.json(info)
    out.text(f"已停止监视：{info.path}（文件夹中的文件未作任何改动，已存档的文件仍保留）")
    return cli.EXIT_OK


def cmd_watch(args: argparse.Namespace, out) -> int:
    from storage.catalogue.search import refresh_index
    from storage.reading.backlog import read_pending
    from storage.reading.ocr_backlog import ocr_pending
    from storage.watch.inbox import refresh_pending
    from storage.watch.service import WatchService

    cli = _cli()
    with cli.open_archive(args) as archive:
        def entries(items):
            for i in items:
                if i.state == "failed" and i.reason.startswith("已跳过"):   # a link, a FIFO: never read
                    out.text(f"  [已跳过 #{i.id}] {i.name}  {i.reason}")
                    continue
                out.text(f"  [新收件 #{i.id}] {i.name}  {'；'.join(i.suggestion.get('reasons', [])[:3])}")

        def folder(st):
            out.text(f"  [文件夹{'在线' if st.online else '离线'}] {st.path} {st.message}")

        def error(msg):
            out.text(f"  [错误] {msg}")

        svc = WatchService(archive, on_entries=entries, on_folder=folder, on_error=error,
                           rescan_seconds=args.rescan, observers=not args.once)
        if args.once:
            summary = svc.run_once()
            reading = read_pending(archive)   # text of every stored file (issue 21)
            ocr = ocr_pending(archive, progress=out.progress) if args.ocr else None
            with archive.sessions.write() as s:
                if reading.read or (ocr is not None and ocr.read):
                    refresh_pending(s)       # suggested again from the text just read
                refresh_index(s)
            out.json(summary)
            out.text(f"扫描完成：新收件 {summary['taken']} 个，失败 {summary['failures']} 个，"
                     f"跳过链接和特殊文件 {summary['skipped']} 个")
            out.text(reading.summary())
            if ocr is not None:
                out.text(ocr.summary())
            for p in summary["still_changing"]:
                out.text(f"  [仍在写入，下次再收] {p}")
            offline = [f for f in summary["folders"] if not f["online"]]
            for f in offline:
                out.text(f"  [离线] {f['path']}：{f['message']}")
            return cli.EXIT_PROBLEMS if offline or summary["failures"] else cli.EXIT_OK
        with cli.CancelOnInterrupt() as cancel:
            out.text("正在监视共享文件夹，按 Ctrl-C 停止 (watching; Ctrl-C to stop)")
            svc.start()
            try:
                last_index = 0.0
                while not cancel():
                    time.sleep(0.5)
                    if time.monotonic() - last_index > 30:
                        with archive.sessions.write() as s:
                            refresh_index(s)
                        last_index = time.monotonic()
            finally:
                svc.stop()
        return cli.EXIT_OK


def cmd_inbox_list(args: argparse.Namespace, out) -> int:
    from storage.watch.inbox import list_inbox

    cli = _cli()
    state = None if args.state == "all" else args.state
    with cli.open_archive(args) as archive, archive.sessions.read() as s:
        rows = list_inbox(s, state=state, limit=args.limit)
    out.json({"entries": rows})
    labels = {"pending": "待确认", "accepted": "已接受", "ignored": "已忽略", "failed": "失败"}
    if not rows:
        out.text("收件箱为空")
    for r in rows:
        conf = f"{r.confidence:.0%}" if r.confidence is not None else "-"
        where = f"{r.from_zip} › {r.source_path}" if r.from_zip else r.source_path
        label = "已跳过" if r.state == "failed" and r.reason.startswith("已跳过") else labels.get(r.state, r.state)
        out.text(f"#{r.id} [{label}] {where}")
        sug = r.suggestion
        parts = []
        if sug.get("department"):
            parts.append(f"单位 {sug['department']}")
        if sug.get("indicator_code"):
            parts.append(f"指标 {sug['indicator_code']}")
        if sug.get("duties"):
            parts.append("任务 " + "、".join(d.get("code") or d.get("task", "")[:16] for d in sug["duties"]))
        out.text(f"    建议：{'；'.join(parts) or '（无）'}  把握：{conf}" +
                 (f"（{sug['certainty']}）" if sug.get("certainty") else ""))
        for k, t in enumerate(sug.get("top", []), 1):
            out.text(f"      {k}. {t.get('code', '')} {t.get('title', '')}  {t.get('confidence', 0):.0%} "
                     f"{t.get('certainty', '')}")
        for reason in sug.get("reasons", []):
            out.text(f"      · {reason}")
        if r.reason:
            out.text(f"    说明：{r.reason}")
    return cli.EXIT_OK


def cmd_inbox_accept(args: argparse.Namespace, out) -> int:
    from storage.watch.inbox import accept

    cli = _cli()
    rectify = getattr(args, "rectify", None)
    if rectify is not None:
        from desktop.actions.review import accept_onto_item

        with cli.open_archive(args) as archive:
            ids = accept_onto_item(archive, args.ids, rectify, department=args.department,
                                   indicator_codes=args.indicator, duty_ids=args.duty)
    else:
        with cli.open_archive(args) as archive, archive.sessions.write() as s:
            ids = accept(s, args.ids, department=args.department, indicator_codes=args.indicator,
                         duty_ids=args.duty)
    out.json({"accepted": args.ids, "evidence": ids, "rectification": rectify})
    placed = f"，作为整改事项 #{rectify} 的整改佐证" if rectify is not None else ""
    out.text(f"已接受 {len(args.ids)} 个收件{placed}")
    return cli.EXIT_OK


def cmd_inbox_ignore(args: argparse.Namespace, out) -> int:
    from storage.watch.inbox import ignore

    cli = _cli()
    with cli.open_archive(args) as archive, archive.sessions.write() as s:
        ids = ignore(s, args.ids)
    out.json({"ignored": ids})
    out.text(f"已忽略 {len(ids)} 个收件（材料移入回收站，文件仍保留在档案库中）")
    return cli.EXIT_OK


def cmd_search(args: argparse.Namespace, out) -> int:
    from storage.catalogue.search import refresh_index, search

    cli = _cli()
    with cli.open_archive(args) as archive:
        with archive.sessions.write() as s:
            refresh_index(s)
        with archive.sessions.read() as s:
            hits = search(s, args.query, limit=args.limit)
    out.json({"query": args.query, "hits": hits})
    if not hits:
        out.text("没有找到 (no match)")
    for h in hits:
        out.text(f"#{h.evidence_id} {h.title}  {h.doc_number}  {h.snippet}")
    return cli.EXIT_OK
