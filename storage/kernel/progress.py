"""The progress/cancel protocol every long storage operation takes.

`progress(done, total, text)` is called from the worker thread; the UI's task runner turns
it into a signal. `cancel()` returns True once the user pressed Cancel; operations check it
between units of work and stop at a consistent point.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class ProgressFn(Protocol):
    def __call__(self, done: int, total: int, text: str = "") -> None: ...


CancelFn = Callable[[], bool]


def no_progress(done: int, total: int, text: str = "") -> None:
    return None


def never_cancel() -> bool:
    return False
