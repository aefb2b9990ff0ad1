"""The command line: `evidence-desk [--archive DIR] [--json] SUBCOMMAND ...`.

argparse only: each command module parses its arguments, calls one action
(`desktop.actions`) or storage/exporter function, prints, and returns an exit code. Exit
codes: 0 done, 1 done but problems found, 2 bad usage or bad input (one line, Chinese then
English), 3 an internal error (written to the crash log). The window is never imported
here: `desktop.main` hands `main` a `WindowEntry` for the window and screenshots.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from desktop.cli.output import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    Output,
    UsageError,
    _crash_log,
    _fix_streams,
    _Parser,
    archive_path,
)
from storage.kernel.errors import ArchiveError


class WindowEntry(Protocol):
    """How the command line reaches the window, screenshots and the self-test (which opens
    the window offscreen) without importing them (see desktop.main)."""

    def run(self, archive: Path | None) -> int: ...

    def screenshot(self, archive: Path, png: Path, view: str) -> int: ...

    def self_test(self, out: Output) -> int: ...


def _common_options(*, defaults: bool) -> argparse.ArgumentParser:
    """--archive, --json and --db-url, accepted before or after any subcommand. Only the top
    parser sets their defaults: a subcommand's copy suppresses them, so `rectify --archive D
    list` keeps D instead of the inner parser's default overwriting it."""
    common = argparse.ArgumentParser(add_help=False)
    keep: dict[str, Any] = {} if defaults else {"default": argparse.SUPPRESS}
    common.add_argument("--archive", metavar="DIR", help="档案库文件夹 (archive folder)", **keep)
    common.add_argument("--json", action="store_true", help="输出 JSON (machine-readable output)", **keep)
    common.add_argument("--db-url", metavar="URL", default=argparse.SUPPRESS,
                        help="数据库服务器 postgresql://用户@服务器/库名（多人共用档案库；也可用环境变量 "
                             "EVIDENCE_DESK_DB_URL） (PostgreSQL server for a multi-seat archive)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options(defaults=False)

    p = _Parser(
        prog="evidence-desk",
        description="Evidence Desk：质量强县佐证材料档案库 (quality-strong county evidence archive)",
        parents=[_common_options(defaults=True)],
    )
    p.add_argument("--version", action="store_true", help="显示版本号后退出 (print the version)")
    p.add_argument("--self-test", action="store_true",
                   help="在临时文件夹中自检后退出，全部通过时退出码为 0 (check the program, exit 0 if OK)")
    p.add_argument("--screenshot", metavar="FILE.png", help="把一个视图渲染为图片后退出")
    p.add_argument("--view", default="main", help="--screenshot 的视图：main|inbox|dashboard|departments|search，"
                   "或对话框 import|import_duties|settings|settings_folders|guide|about|first_run")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)


    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return p


# Modules that add subcommands: each has `register(subparsers, common_parent)` and keeps
# its imports of storage/exporters inside the command functions (start-up stays fast).
COMMAND_MODULES: tuple[str, ...] = (
    "desktop.cli.archive",
    "desktop.cli.evidence",
    "desktop.cli.county",
    "desktop.cli.reminders",
    "desktop.cli.durability",
    "desktop.cli.server",
    "desktop.cli.tables",
    "desktop.cli.watch",
    "desktop.cli.bundle",
    "desktop.cli.printing",
    "desktop.cli.submission",
    "desktop.cli.preflight",
    "desktop.cli.score",
    "desktop.cli.review",
    "desktop.cli.rectify",
    "desktop.cli.checkpoint",
    "desktop.cli.round",
)


def main(argv: Sequence[str] | None = None, *, window: WindowEntry | None = None) -> int:
    """Run one command line: 0 done, 1 problems found, 2 bad usage or input, 3 a bug.

    `window` (given by `desktop.main`) opens the window or renders a view offscreen; the
    command line itself never imports the window."""
    _fix_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        out = Output(getattr(args, "json", False))
        if args.version:
            from desktop.version import VERSION

            out.text(f"evidence-desk {VERSION}")
            out.json({"version": VERSION})
            return EXIT_OK
        if args.self_test:
            if window is None:
                raise UsageError("此入口不含自检", "this entry point has no self-test")
            return window.self_test(out)
        if args.screenshot or not args.command:
            if window is None:
                raise UsageError("请指定子命令；用 --help 查看用法", "give a subcommand; see --help")
            if args.screenshot:
                return window.screenshot(archive_path(args), Path(args.screenshot), args.view)
            path = None
            try:
                path = archive_path(args)
            except UsageError:
                pass
            return window.run(path)
        return args.func(args, out)
    except ArchiveError as e:
        if sys.stderr:
            from desktop.actions.messages import explain_error

            zh, en = explain_error(e)
            print(f"错误：{zh} (error: {en})", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # `evidence-desk status | head`: the reader went away; not an error of ours.
        sys.stdout = None  # type: ignore[assignment]  # nothing more may be written to the closed pipe
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
