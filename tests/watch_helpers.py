"""Helpers shared by the tests/test_watch_*.py files (not a test module)."""
from __future__ import annotations

import hashlib
import time
from pathlib import Path

from sqlalchemy import func, select


def add_folder(archive, path: Path, department: str | None = None, **kw):
    from storage.watch.folders import add_folder as _add

    path.mkdir(parents=True, exist_ok=True)
    with archive.sessions.write() as s:
        return _add(s, path, department=department, **kw)


def entries(archive, state="pending"):
    from storage.watch.inbox import list_inbox

    with archive.sessions.read() as s:
        return list_inbox(s, state=state, limit=100000)


def count(archive, model) -> int:
    with archive.sessions.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wait_for(cond, timeout: float, step: float = 0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(step)
    return cond()
