"""What every command shares: exit codes, usage errors, output as text or JSON, Ctrl-C as a
cancel, which archive a command opens, and the crash log. Imported by every command module."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import traceback
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from desktop import settings as user_settings
from storage.kernel.errors import ArchiveError
from storage.kernel.names import readable_path

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
            print(readable_path(line), file=self.stream)

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
    """`obj` as JSON can hold it; a name of undecodable bytes in its readable form."""
    if isinstance(obj, str):
        return readable_path(obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        return _plain(asdict(obj))
    if isinstance(obj, dict):
        return {readable_path(str(k)): _plain(v) for k, v in obj.items()}
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


def archive_path(args: argparse.Namespace) -> Path:
    if args.archive is not None and not str(args.archive).strip():
        raise UsageError("--archive 的路径是空的，请写出档案库文件夹", "--archive is empty; give the archive folder")
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


def remember(path: Path) -> None:
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
        from storage.core.server import SERVER_FILE

        return env if (Path(path) / SERVER_FILE).is_file() else None
    return env


def open_archive(args: argparse.Namespace):
    from storage.core.archive import Archive

    path = archive_path(args)
    archive = Archive.open(path, db_url=db_url(args, path))
    remember(archive.root)
    return archive


def _crash_log(exc: BaseException) -> Path | None:
    import datetime as dt

    try:
        folder = user_settings.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
        path.write_text(
            "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
            encoding="utf-8",
            errors="backslashreplace",  # a file name of undecodable bytes in the message
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


def parse_date(text: str | None) -> dt.date:
    """A YYYY-MM-DD option (--date, --today), or today when not given; a usage error otherwise."""
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"日期格式应为 YYYY-MM-DD：{text}", f"date must be YYYY-MM-DD: {text}") from None
