"""The command line: `evidence-desk [--archive DIR] [--json] SUBCOMMAND ...`.

Every subcommand is a thin layer over a plain function in `storage`/`exporters`; the window
calls the same functions. Exit codes: 0 done, 1 done but problems found, 2 bad usage or bad
input (one line, Chinese then English), 3 an internal error (written to the crash log).
Qt is imported only when a window is opened.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from storage.errors import ArchiveError

from . import settings as user_settings

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(ArchiveError):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"命令用法有误：{message}；用 --help 查看用法", f"bad usage: {message}; see --help")


class Output:
    """Where a command writes: plain text for people or one JSON document for programs."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.stream = sys.stdout

    def text(self, line: str = "") -> None:
        if not self.as_json and self.stream is not None:
            print(line, file=self.stream)

    def json(self, data: Any) -> None:
        if self.as_json and self.stream is not None:
            json.dump(_plain(data), self.stream, ensure_ascii=False, indent=1)
            self.stream.write("\n")

    def progress(self, done: int, total: int, text: str = "") -> None:
        err = sys.stderr
        if err is None or self.as_json or not err.isatty():
            return
        err.write(f"\r{done}/{total} {text[:40]:<40}")
        if done >= total:
            err.write("\n")
        err.flush()


def _plain(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return _plain(asdict(obj))
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return obj


class CancelOnInterrupt:
    """Ctrl-C asks a long command to stop at a consistent point; a second one aborts."""

    def __init__(self) -> None:
        self.requested = False
        self._old: Any = None

    def __call__(self) -> bool:
        return self.requested

    def __enter__(self) -> CancelOnInterrupt:
        def handler(signum: int, frame: Any) -> None:
            if self.requested:
                raise KeyboardInterrupt
            self.requested = True
            if sys.stderr:
                sys.stderr.write("\n正在停止，请稍候… (stopping at a safe point…)\n")

        try:
            self._old = signal.signal(signal.SIGINT, handler)
        except ValueError:  # not the main thread
            self._old = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


# --- archive resolution ----------------------------------------------------------------


def _archive_path(args: argparse.Namespace) -> Path:
    if args.archive:
        return Path(args.archive)
    env = os.environ.get("EVIDENCE_DESK_ARCHIVE")
    if env:
        return Path(env)
    last = user_settings.load().last_archive
    if last:
        return Path(last)
    raise UsageError(
        "没有指定档案库：请用 --archive 指定文件夹（或先用 init 创建）",
        "no archive given: use --archive DIR (or create one with init)",
    )


def _remember(path: Path) -> None:
    try:
        s = user_settings.load()
        s.remember_archive(path)
        user_settings.save(s)
    except OSError:
        pass  # remembering is a convenience; never fail a command over it


def db_url(args: argparse.Namespace, path: Path | None = None) -> str | None:
    """The database server URL: --db-url, else EVIDENCE_DESK_DB_URL. The environment's
    URL only applies to archives on a server (and to init): a seat that has it set still
    opens a single-clerk archive folder."""
    given = getattr(args, "db_url", None)
    if given:
        return given
    env = os.environ.get("EVIDENCE_DESK_DB_URL") or None
    if env and path is not None:
        from storage.server import SERVER_FILE

        return env if (Path(path) / SERVER_FILE).is_file() else None
    return env


def open_archive(args: argparse.Namespace):
    from storage.archive import Archive

    path = _archive_path(args)
    archive = Archive.open(path, db_url=db_url(args, path))
    _remember(archive.root)
    return archive


# --- subcommands ---------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, out: Output) -> int:
    if not args.archive:
        raise UsageError("init 需要 --archive 指定新档案库的文件夹", "init needs --archive DIR")
    root = Path(args.archive)
    if args.demo and getattr(args, "db_url", None):
        raise UsageError("示例档案库只建在本机文件中，不能与 --db-url 同用",
                         "the demo archive is made as a local file only; not with --db-url")
    if args.demo:
        from .demo import create_demo_archive

        archive = create_demo_archive(root, progress=out.progress)
    else:
        from storage.archive import Archive

        archive = Archive.create(root, db_url=db_url(args))
    with archive:
        _remember(archive.root)
        out.text(f"已创建档案库：{archive.root}" + ("（示例数据）" if args.demo else ""))
        out.json({"archive": str(archive.root), "demo": bool(args.demo)})
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace, out: Output) -> int:
    from storage.ingest import ingest_paths
    from storage.reading.backlog import read_pending

    with open_archive(args) as archive, CancelOnInterrupt() as cancel:
        report = ingest_paths(
            archive,
            args.paths,
            department=args.department,
            indicator_code=args.indicator,
            progress=out.progress,
            cancel=cancel,
        )
        reading = read_pending(archive, cancel=cancel)   # text of every stored file (issue 21)
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
    return EXIT_PROBLEMS if report.count("failed") else EXIT_OK


def cmd_status(args: argparse.Namespace, out: Output) -> int:
    from storage.queries import status

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
        from .commands_durability import run_repair

        return run_repair(args, out)
    from storage.verify import verify_archive

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


# --- parser and entry point ------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--archive", metavar="DIR", help="档案库文件夹 (archive folder)")
    common.add_argument("--json", action="store_true", help="输出 JSON (machine-readable output)")
    common.add_argument("--db-url", metavar="URL", default=argparse.SUPPRESS,
                        help="数据库服务器 postgresql://用户@服务器/库名（多人共用档案库；也可用环境变量 "
                             "EVIDENCE_DESK_DB_URL） (PostgreSQL server for a multi-seat archive)")

    p = _Parser(
        prog="evidence-desk",
        description="Evidence Desk：质量强县佐证材料档案库 (quality-strong county evidence archive)",
        parents=[common],
    )
    p.add_argument("--version", action="store_true", help="显示版本号后退出 (print the version)")
    p.add_argument("--self-test", action="store_true",
                   help="在临时文件夹中自检后退出，全部通过时退出码为 0 (check the program, exit 0 if OK)")
    p.add_argument("--screenshot", metavar="FILE.png", help="把一个视图渲染为图片后退出")
    p.add_argument("--view", default="main", help="--screenshot 的视图：main|inbox|dashboard|departments|search，"
                   "或对话框 import|import_duties|settings|settings_folders|guide|about|first_run")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    s = sub.add_parser("init", parents=[common], help="创建档案库 (create an archive)")
    s.add_argument("--demo", action="store_true", help="带示例数据 (with sample data)")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("ingest", parents=[common], help="导入文件或文件夹 (store files)")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--department", metavar="NAME", help="报送单位 (sending department)")
    s.add_argument("--indicator", metavar="CODE", help="关联指标编号 (link to indicator)")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("status", parents=[common], help="进度统计 (counts and progress)")
    s.set_defaults(func=cmd_status)

    s = sub.add_parser("verify", parents=[common], help="校验档案库 (check every stored file)")
    s.add_argument("--repair", action="store_true",
                   help="修复：无主文件收入收件箱或隔离，列出丢失文件的来源 (adopt orphans, list missing files)")
    s.set_defaults(func=cmd_verify)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return p


# Modules that add subcommands: each has `register(subparsers, common_parent)` and keeps
# its imports of storage/exporters inside the command functions (start-up stays fast).
COMMAND_MODULES: tuple[str, ...] = (
    "desktop.commands_durability",
    "desktop.commands_server",
    "desktop.commands_tables",
    "desktop.commands_watch",
    "desktop.commands_bundle",
    "desktop.commands_print",
    "desktop.commands_submission",
    "desktop.commands_preflight",
    "desktop.commands_score",
)


def _crash_log(exc: BaseException) -> Path | None:
    import datetime as dt

    try:
        folder = user_settings.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
        path.write_text(
            "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
            encoding="utf-8",
        )
        return path
    except OSError:
        return None


def _fix_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def main(argv: Sequence[str] | None = None) -> int:
    _fix_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        out = Output(getattr(args, "json", False))
        if args.version:
            from .version import VERSION

            out.text(f"evidence-desk {VERSION}")
            out.json({"version": VERSION})
            return EXIT_OK
        if args.self_test:
            from .selftest import main as self_test

            return self_test(out)
        if args.screenshot:
            from .app import screenshot

            return screenshot(_archive_path(args), Path(args.screenshot), args.view)
        if not args.command:
            from .app import run_gui

            path = None
            try:
                path = _archive_path(args)
            except UsageError:
                pass
            return run_gui(path)
        return args.func(args, out)
    except ArchiveError as e:
        if sys.stderr:
            from .version import explain_error

            zh, en = explain_error(e)
            print(f"错误：{zh} (error: {en})", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # `evidence-desk status | head`: the reader went away; not an error of ours.
        try:
            sys.stdout = None  # type: ignore[assignment]
        finally:
            return EXIT_OK
    except OSError as e:
        # The environment, not a bug: a full disk, a read-only folder, a vanished drive.
        if sys.stderr:
            what = f"{e.strerror or e}" + (f"：{e.filename}" if e.filename else "")
            print(f"错误：文件操作失败：{what} (error: file operation failed: {e})", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        if sys.stderr:
            print("已中断 (interrupted)", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as e:  # noqa: BLE001 - the last line of defence: no traceback for clerks
        log = _crash_log(e)
        if sys.stderr:
            where = f"，详情见 {log}" if log else ""
            print(f"内部错误：{type(e).__name__}{where} (internal error; see the log)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
