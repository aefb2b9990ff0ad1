"""What every throughput benchmark shares: baseline and subject timed in interleaved rounds
(A B A B …, so both see the same machine load), the median of the per-round ratios, the
load average, and a row for docs/performance.md."""
from __future__ import annotations

import os
import platform
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    """One measured figure: the subject's median, the baseline's, and the median of the
    per-round ratios (subject time / baseline time unless `speed` says it is
    baseline / subject, a speed ratio where 1.0 is the baseline's pace)."""

    section: str
    name: str
    value: float                 # the subject's median (unit below)
    unit: str = "ms"
    baseline: str = ""
    baseline_value: float | None = None
    ratio: float | None = None
    ratio_kind: str = ""         # "time" (subject/baseline) or "speed" (baseline/subject)
    target: str = ""
    rounds: int = 0
    load: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load() -> float:
    """The 1-minute load average (what else the machine was doing)."""
    return round(os.getloadavg()[0], 2)


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def interleave(baseline: Callable[[], float | None], subject: Callable[[], float | None],
               rounds: int, *, between: Callable[[], None] | None = None
               ) -> tuple[list[float], list[float], list[float], float]:
    """Run baseline and subject alternately `rounds` times (A B A B …; the order swapped
    every other round so neither always runs on a warmer cache). Each callable returns its
    own seconds (or None: timed here). Returns (baseline times, subject times, per-round
    ratios subject/baseline, mean load average)."""
    a_times: list[float] = []
    b_times: list[float] = []
    loads: list[float] = []
    for r in range(rounds):
        order = ((baseline, a_times), (subject, b_times))
        for fn, out in (order if r % 2 == 0 else order[::-1]):
            t0 = time.perf_counter()
            got = fn()
            out.append(got if got is not None else time.perf_counter() - t0)
            if between is not None:
                between()
        loads.append(load())
    ratios = [b / a for a, b in zip(a_times, b_times) if a > 0]
    return a_times, b_times, ratios, round(statistics.mean(loads), 2) if loads else load()


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def p95(xs: list[float]) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def machine() -> str:
    """CPU model and count, memory, Python and SQLite, for the table's heading."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1e6:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import sqlite3

    return (f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def remove(path: Path) -> None:
    """Delete a benchmark's output (file or folder), ignoring what is already gone."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()


def gui_gap(work: Callable[[], Any], *, tick_ms: int = 5) -> float:
    """The longest the GUI thread waited (ms between two ticks of a `tick_ms` QTimer on it)
    while `work` ran on a thread of this process: how long a click would have waited."""
    import threading

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    stamps: list[int] = []
    clock = QElapsedTimer()
    clock.start()
    timer = QTimer()
    timer.setInterval(tick_ms)
    timer.timeout.connect(lambda: stamps.append(clock.elapsed()))
    thread = threading.Thread(target=work, daemon=True)
    timer.start()
    thread.start()
    while thread.is_alive():
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    return float(max((b - a for a, b in zip(stamps, stamps[1:])), default=0))
