"""Every throughput benchmark at one scale, baseline and subject interleaved, into one table.

    .venv/bin/python benchmarks/run_all.py --scale 50k            # about 10 minutes
    .venv/bin/python benchmarks/run_all.py --scale 200k           # the archive 4x as big
    .venv/bin/python benchmarks/run_all.py --quick --out DIR      # tiny, for the test

Each section times its subject against a baseline in rounds (A B A B …, the order swapped
every other round) and reports medians, the median of the per-round ratios and the load
average (benchmarks/common.py). Sections:

    status     `status` in process (the light road the command takes, and the full road
               through SQLAlchemy), and `evidence-desk status --json` as a whole process
               against `evidence-desk --version` (Python and the command line's own start)
    window     a level-1 node's list as the window reads it before showing it (the exact
               count, the first page of keys, the first rows) against the old whole-list read
               (`items.evidence_for_node`); the biggest leaf the same way; search p95 and
               worst over the benchmark queries; the window's start (a new process to the
               first leaf's rows) against starting Qt alone (not with --quick)
    documents  the generated Word/Excel documents for N items against the same for N/2
               (the ratio is the growth for twice the items: linear is 2)
    ingest     storing 5,000 files / 1 GB (ingest_paths) against copy + SHA-256 + fsync of
               the same files
    bundle     the bundle folder and zip of 5,000 files, 1 GB (and 2 GB at 200k), against a
               durable plain copy (shutil.copyfile and an fsync pass); copy, folder and zip
               in every round, the order rotated

    views      every view's storage calls (benchmarks/views.py) on the same archive
    importers  a 10,000-row duties table and framework table against openpyxl's load, a
               10,000-task plan against python-docx's read, the previews of a 2,000-row
               table and a 500-task plan (scale-independent)
    watch      last write to inbox in a polled folder (settle 2 s, poll 2 s), p95, the
               settle clock against settling from the poll that saw the change; native
               events (scale-independent)

Ingest and bundle write 1–2 GB a run: check `df -h` first (about 5 GB free at 200k); each
run's output is removed and synced before the next.

The archive of N items (status, window) is built once per run in a temporary folder (or
kept with --keep DIR and reused); everything else is made and removed per section. The
results go to benchmarks/results/<scale>.json and docs/performance.md gets one table per
scale plus the growth factor 50k → 200k of every figure both scales have.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.common import Figure, interleave, load, machine, median, p95, remove


@dataclass(frozen=True)
class Scale:
    """How big each section's work is."""

    name: str
    items: int           # evidence items in the status/window archive
    rounds: int          # interleaved rounds per figure
    doc_items: int       # documents for this many items (and half as many)
    ingest_files: int
    ingest_mb: int
    bundle_files: int
    bundle_scales: tuple[float, ...]  # bundle file sizes × this (1.0: about 0.4 MB a file, 2 GB)
    search_rounds: int
    start: bool          # time the window's start (a Qt process per round)
    io_rounds: int = 6   # ingest and bundle rounds (each writes 1-2 GB; 6 = every balanced order of 3)


SCALES = {
    "quick": Scale("quick", 300, 2, 20, 12, 2, 12, (0.02,), 1, False, 2),
    # ingest: 5,000 files / 1 GB; bundle: 5,000 files, 1 GB (and 2 GB at 200k)
    "50k": Scale("50k", 50_000, 7, 5_000, 5_000, 1_000, 5_000, (0.5,), 5, True),
    "200k": Scale("200k", 200_000, 7, 5_000, 5_000, 1_000, 5_000, (0.5, 1.0), 5, True),
}


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _cli(*argv: str) -> float:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "desktop", *argv], cwd=ROOT, capture_output=True,
                       text=True, env=_env(), timeout=300)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"`{' '.join(argv)}` failed: {r.stderr.strip()[-500:]}")
    return elapsed


# --- the archive of N items -------------------------------------------------------------------


def items_archive(path: Path, items: int) -> Path:
    """Build (or reuse) the window benchmark's archive of `items` items: 43 leaves, one leaf
    with 5,000 items, 30 departments, 60 duties; the search index built; the daily backup
    taken, as after a first open."""
    from benchmarks.ui_bench import build
    from storage.catalogue.search import refresh_index
    from storage.core.archive import Archive

    marker = path / ".bench-items"
    if marker.exists() and marker.read_text() == str(items):
        return path
    remove(path)
    t = time.perf_counter()
    build(path, items)
    with Archive.open(path) as a, a.sessions.write() as s:
        refresh_index(s)
    marker.write_text(str(items))
    print(f"  archive of {items} items built in {time.perf_counter() - t:.0f} s", flush=True)
    return path


# --- sections ---------------------------------------------------------------------------------


def section_status(sc: Scale, root: Path) -> list[Figure]:
    from storage.catalogue.queries import status
    from storage.catalogue.status_light import quick_status
    from storage.core.archive import Archive

    out = []
    rounds = sc.rounds
    a = Archive.open(root)
    try:
        def full() -> None:
            with a.sessions.read() as s:
                status(s, str(root))

        def light() -> None:
            assert quick_status(root) is not None, "the light road declined"

        ta, tb, ratios, ld = interleave(full, light, rounds)
    finally:
        a.close()
    out.append(Figure("status", "status in process (light road)", median(tb) * 1000, "ms",
                      "full road (SQLAlchemy session)", median(ta) * 1000, median(ratios), "time",
                      "< 150 ms", rounds, ld))
    ta, tb, ratios, ld = interleave(lambda: _cli("--version"),
                                    lambda: _cli("status", "--json", "--archive", str(root)), rounds)
    out.append(Figure("status", "`status --json` whole process", median(tb) * 1000, "ms",
                      "`--version` whole process", median(ta) * 1000, median(ratios), "time",
                      "< 300 ms at 50k, < 500 ms at 200k", rounds, ld))
    return out


def section_window(sc: Scale, root: Path) -> list[Figure]:
    from benchmarks.ui_bench import SEARCH_QUERIES
    from storage.catalogue.items import evidence_for_node
    from storage.catalogue.queries import (
        evidence_rows_for,
        indicator_tree,
        node_evidence_count,
        node_evidence_keys,
        node_evidence_page,
        node_subtree,
    )
    from storage.catalogue.search import search
    from storage.core.archive import Archive
    from ui.models import LazyRows

    out = []
    with Archive.open(root) as a:
        with a.sessions.read() as s:
            tree = indicator_tree(s)
        with a.sessions.read() as s:  # the level-1 node with the most items
            level1 = max((n for n in tree if n.level == 1), key=lambda n: len(node_evidence_keys(s, n.id)))
        big_leaf = max((n for n in tree if n.is_leaf), key=lambda n: n.received)
        for label, node in (("level-1 node", level1), ("biggest leaf", big_leaf)):
            keys: list = []

            def old(node: Any = node) -> None:
                with a.sessions.read() as s:
                    evidence_for_node(s, node.id)

            def lazy(node: Any = node, keys: list = keys) -> None:
                with a.sessions.read() as s:  # what Controller.select_node reads before showing
                    sub = node_subtree(s, node.id)
                    keys[:] = [node_evidence_count(s, sub)]
                    page = node_evidence_page(s, sub, None, LazyRows.KEY_PAGE)
                    evidence_rows_for(s, page[:LazyRows.PAGE])

            ta, tb, ratios, ld = interleave(old, lazy, sc.rounds)
            out.append(Figure("window", f"{label}: count + first keys + first rows ({keys[0]} items)",
                              median(tb) * 1000, "ms", "whole-list read (evidence_for_node)",
                              median(ta) * 1000, median(ratios), "time", "< 300 ms (first rows < 100 ms)",
                              sc.rounds, ld))
        first: list[float] = []
        with a.sessions.read() as s:
            keys = node_evidence_keys(s, level1.id)
            for r in range(sc.rounds):
                page = keys[r * 3000:r * 3000 + LazyRows.PAGE] or keys[:LazyRows.PAGE]
                t = time.perf_counter()
                evidence_rows_for(s, page)
                first.append(time.perf_counter() - t)
        out.append(Figure("window", "a page of rows drawn on scrolling (200 rows)", median(first) * 1000,
                          "ms", target="< 100 ms", rounds=sc.rounds, load=load()))
        times: list[float] = []
        worst: dict[str, float] = {}
        with a.sessions.read() as s:
            for _ in range(sc.search_rounds):
                for q in SEARCH_QUERIES:
                    t = time.perf_counter()
                    search(s, q, limit=500, include_trashed=True)
                    el = time.perf_counter() - t
                    times.append(el)
                    worst[q] = max(worst.get(q, 0.0), el)
        slowest = max(worst, key=lambda q: worst[q])
        out.append(Figure("window", f"search p95 over {len(times)} queries", p95(times) * 1000, "ms",
                          target="< 100 ms, no 700 ms outliers", rounds=sc.search_rounds, load=load(),
                          extra={"max_ms": round(max(times) * 1000, 1), "slowest": slowest,
                                 "median_ms": round(median(times) * 1000, 1)}))
    if sc.start:
        def start() -> float:
            t0 = time.perf_counter()
            p = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "ui_bench.py"), "--child-start",
                                  str(root)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                 env=_env(), cwd=ROOT)
            assert p.stdout is not None
            with p.stdout:
                line = p.stdout.readline().strip()
                t = time.perf_counter() - t0
            p.wait(timeout=120)
            if line != "READY":
                raise SystemExit(f"the window did not start: {line!r}")
            return t

        def qt_alone() -> None:
            subprocess.run([sys.executable, "-c", "from PySide6.QtWidgets import QApplication, QMainWindow;"
                            "app = QApplication([]); w = QMainWindow(); w.show(); app.processEvents()"],
                           env=_env(), cwd=ROOT, check=True, capture_output=True, timeout=120)

        rounds = min(sc.rounds, 3)
        ta, tb, ratios, ld = interleave(qt_alone, start, rounds)
        out.append(Figure("window", "start: new process to the first leaf's rows", median(tb) * 1000, "ms",
                          "Qt alone (a new process showing an empty window)", median(ta) * 1000,
                          median(ratios), "time", "< 1.5 s", rounds, ld))
    return out


def section_documents(sc: Scale, work: Path) -> list[Figure]:
    from benchmarks.documents import build, run_once

    half, full = work / "half", work / "full"
    a_half = build(half, 43, sc.doc_items // 2)
    a_full = build(full, 43, sc.doc_items)
    parts: dict[str, list[float]] = {}

    def subject() -> float:
        t = run_once(a_full)
        for k, v in t.items():
            parts.setdefault(k, []).append(v)
        return t["total"]

    try:
        ta, tb, ratios, ld = interleave(lambda: run_once(a_half)["total"], subject, max(1, sc.rounds - 3))
    finally:
        a_half.close()
        a_full.close()
        remove(half)
        remove(full)
    return [Figure("documents", f"documents for {sc.doc_items} items", median(tb) * 1000, "ms",
                   f"the same for {sc.doc_items // 2} items", median(ta) * 1000, median(ratios), "time",
                   "< 4 s for 5,000; ratio ≤ 2.2 (linear)", len(tb), ld,
                   extra={k: round(median(v) * 1000) for k, v in parts.items()})]


SETTLE = [1.0]   # seconds after each run's deletion (--settle)


def _settle() -> None:
    """Between two runs that write GBs: the deletion synced and given time, so each run
    starts from the same disk (ext4 with `discard` trims deleted blocks at the next journal
    commit; ext4 without a journal, this machine's disk, keeps inodes freed in the last 60 s
    out of new files' way and reads past them: `--settle 61` for the fair figure there)."""
    os.sync()
    time.sleep(SETTLE[0])


def section_ingest(sc: Scale, work: Path) -> list[Figure]:
    from benchmarks.bundle import PeakRSS, balanced_orders
    from benchmarks.ingest import baseline, make_files
    from storage.catalogue.ingest import ingest_paths
    from storage.core.archive import Archive

    src = work / "来文"
    total = make_files(src, sc.ingest_files, sc.ingest_mb)
    files = sorted(p for p in src.rglob("*") if p.is_file())
    os.sync()
    n = [0]
    peaks: list[int] = []

    def base() -> float:
        dest = work / f"copy{n[0]}"
        n[0] += 1
        try:
            return baseline(files, dest)
        finally:
            remove(dest)

    def subject() -> float:
        dest = work / f"archive{n[0]}"
        n[0] += 1
        a = Archive.create(dest)
        try:
            with PeakRSS() as mem:
                t = time.perf_counter()
                report = ingest_paths(a, [src])
                el = time.perf_counter() - t
            peaks.append(mem.peak - mem.start)
            assert report.count("stored") == len(files)
            return el
        finally:
            a.close()
            remove(dest)

    ta: list[float] = []
    tb: list[float] = []
    loads: list[float] = []
    try:
        # balanced orders (benchmarks.bundle.balanced_orders): each phase behind the other
        # equally often, since what a phase follows (the deletion of 10,000 files) costs it
        phases = (base, subject)
        outs = (ta, tb)
        orders = balanced_orders(2)
        for r in range(max(sc.io_rounds, 2)):
            for k in orders[r % len(orders)]:
                outs[k].append(phases[k]())
                _settle()
            loads.append(load())
    finally:
        remove(src)
    ld = round(sum(loads) / len(loads), 2) if loads else load()
    speed = [a / b for a, b in zip(ta, tb)]
    return [Figure("ingest", f"ingest {len(files)} files, {total / 1e6:.0f} MB", median(tb) * 1000, "ms",
                   "copy + SHA-256 + fsync", median(ta) * 1000, median(speed), "speed", "≥ 0.9",
                   len(tb), ld, extra={"MB/s": round(total / 1e6 / median(tb), 1), "settle s": SETTLE[0],
                                            "rounds": " / ".join(f"{x:.2f}" for x in speed),
                                            "peak RSS": f"+{max(peaks) / 1e6:.0f} MB"})]


def section_bundle(sc: Scale, work: Path) -> list[Figure]:
    """Per size: copy, folder and zip in every round, in balanced orders (each behind every
    other equally often, benchmarks.bundle.balanced_orders); speed ratios copy / writer per
    round."""
    from benchmarks.bundle import PeakRSS, balanced_orders, build, bundle, plain_copy

    out = []
    for scale in sc.bundle_scales:
        a, paths = build(work / "archive", sc.bundle_files, scale)
        total = sum(p.stat().st_size for p in paths)
        times: dict[str, list[float]] = {"copy": [], "folder": [], "zip": []}
        peaks: dict[str, list[int]] = {k: [] for k in times}
        loads: list[float] = []
        try:
            kinds = list(times)
            orders = balanced_orders(3)
            for r in range(sc.io_rounds):
                for kind in (kinds[k] for k in orders[r % len(orders)]):
                    dest = work / (f"out-{kind}" + (".zip" if kind == "zip" else ""))
                    with PeakRSS() as mem:
                        t = time.perf_counter()
                        if kind == "copy":
                            plain_copy(paths, dest)
                        else:
                            bundle(a, dest, kind == "zip")
                        times[kind].append(time.perf_counter() - t)
                    peaks[kind].append(mem.peak - mem.start)
                    remove(dest)
                    _settle()
                loads.append(load())
        finally:
            a.close()
            for p in (work / "archive").rglob("*"):
                if p.is_file():
                    os.chmod(p, 0o644)  # the stored files are read-only
            remove(work / "archive")
            _settle()
        ld = round(sum(loads) / len(loads), 2) if loads else load()
        for kind in ("folder", "zip"):
            speed = [c / w for c, w in zip(times["copy"], times[kind])]
            out.append(Figure("bundle", f"bundle {kind}, {len(paths)} files, {total / 1e6:,.0f} MB",
                              median(times[kind]) * 1000, "ms", "durable plain copy",
                              median(times["copy"]) * 1000, median(speed), "speed", "≥ 0.9",
                              sc.io_rounds, ld,
                              extra={"rounds": " / ".join(f"{x:.2f}" for x in speed), "settle s": SETTLE[0],
                                     "peak RSS": f"+{max(peaks[kind]) / 1e6:.0f} MB"}))
    return out


def section_views(sc: Scale, root: Path) -> list[Figure]:
    """Every view's load (benchmarks/views.py) on the status/window archive."""
    from benchmarks.views import measure

    return measure(root, sc.rounds)


def section_importers(sc: Scale, work: Path) -> list[Figure]:
    """The importers at the issue's sizes (scale-independent: the archive is new each time):
    a 10,000-row responsibility table and framework table against openpyxl's load of the
    same file, a 10,000-task plan against python-docx's read, and the import dialog's
    previews of a 2,000-row table and a 500-task plan, each right after its own baseline."""
    import openpyxl

    from benchmarks.import_plan import build_plan, docx_load
    from benchmarks.import_table import build_duties, build_framework
    from storage.core.archive import Archive
    from storage.tables.duties_import import import_duties
    from storage.tables.framework_import import import_framework
    from storage.tables.plan_import import import_plan
    from storage.tables.preview import ImportOptions, preview_import

    rows, small_rows, tasks, small_tasks = (200, 50, 200, 50) if sc.name == "quick" else (10_000, 2_000, 10_000, 500)
    work.mkdir(parents=True, exist_ok=True)
    fw, duties, big_fw, small = work / "fw.xlsx", work / "duties.xlsx", work / "big_fw.xlsx", work / "small.xlsx"
    plan, small_plan = work / "plan.docx", work / "small_plan.docx"
    build_framework(fw)
    build_duties(duties, rows)
    build_framework(big_fw, rows)
    build_duties(small, small_rows)
    build_plan(plan, tasks)
    build_plan(small_plan, small_tasks)
    made = [0]

    def fresh(framework: bool = True) -> Any:
        made[0] += 1
        a = Archive.create(work / f"a{made[0]}")
        if framework:
            import_framework(a, fw)
        return a

    def with_archive(fn: Callable[[Any], Any], framework: bool = True) -> Callable[[], float]:
        def run() -> float:
            a = fresh(framework)
            try:
                t = time.perf_counter()
                fn(a)
                return time.perf_counter() - t
            finally:
                a.close()
        return run

    def quiet(fn: Callable[[], object]) -> Callable[[], None]:
        return lambda: None if fn() is None else None

    cases: list[tuple[str, str, Callable[[], object], Callable[[], float], str]] = [
        (f"duties import, {rows} rows", "openpyxl load of the same file",
         lambda: openpyxl.load_workbook(duties).close(), with_archive(lambda a: import_duties(a, duties)), "< 3 s"),
        (f"framework import, {rows} rows", "openpyxl load of the same file",
         lambda: openpyxl.load_workbook(big_fw).close(),
         with_archive(lambda a: import_framework(a, big_fw), framework=False), "< 3 s"),
        (f"duties preview, {small_rows} rows", "openpyxl load of the same file",
         lambda: openpyxl.load_workbook(small).close(),
         with_archive(lambda a: preview_import(a, ImportOptions(kind="duties", path=str(small)))), "< 2 s"),
        (f"plan import, {tasks} tasks", "python-docx read of the same file",
         lambda: docx_load(plan), with_archive(lambda a: import_plan(a, plan), framework=False), "< 2 s"),
        (f"plan preview, {small_tasks} tasks", "python-docx read of the same file",
         lambda: docx_load(small_plan),
         with_archive(lambda a: preview_import(a, ImportOptions(kind="plan", path=str(small_plan))),
                      framework=False), "< 2 s"),
    ]
    out = []
    try:
        for name, base_name, base, subject, target in cases:
            ta, tb, ratios, ld = interleave(quiet(base), subject, max(2, sc.rounds - 4))
            out.append(Figure("importers", name, median(tb) * 1000, "ms", base_name, median(ta) * 1000,
                              median(ratios), "time", target, len(tb), ld))
    finally:
        remove(work)
    return out


def section_watch(sc: Scale, work: Path) -> list[Figure]:
    """From a file's last write to its inbox entry in a polled folder (a network share):
    settle 2 s, poll 2 s; the settle clock (from the file's own mtime) against settling from
    the poll that first saw the change (before issue 19), interleaved; and native events."""
    from benchmarks.watch_latency import pct, run

    quick = sc.name == "quick"
    files = 2 if quick else 10
    settle = poll = 0.3 if quick else 2.0     # --quick: the test's smoke run
    goal = f"≤ settle + 1 s ({(settle + 1) * 1000:,.0f} ms)"
    base: list[float] = []
    subj: list[float] = []
    loads = []
    for _ in range(1 if quick else 2):
        base += run("polling", files, settle, poll, settle_clock=False)
        subj += run("polling", files, settle, poll, settle_clock=True)
        loads.append(load())
    native = run("native", files, settle, poll)
    ld = round(sum(loads) / len(loads), 2)
    return [
        Figure("watch", "polling: last write to inbox, p95", pct(subj, 0.95) * 1000, "ms",
               "settle counted from the poll that saw the change", pct(base, 0.95) * 1000,
               pct(subj, 0.95) / pct(base, 0.95), "time", goal, len(subj), ld,
               extra={"p50_ms": round(median(subj) * 1000), "max_ms": round(max(subj) * 1000)}),
        Figure("watch", "native events: last write to inbox, p95", pct(native, 0.95) * 1000, "ms",
               "", None, None, "", goal, len(native), load(),
               extra={"p50_ms": round(median(native) * 1000)}),
    ]


SECTIONS: dict[str, Callable[..., list[Figure]]] = {
    "status": section_status, "window": section_window, "views": section_views,
    "documents": section_documents, "ingest": section_ingest, "bundle": section_bundle,
    "importers": section_importers, "watch": section_watch,
}


# --- the table --------------------------------------------------------------------------------


def _fmt(v: float | None, unit: str = "") -> str:
    if v is None or v != v:
        return "—"
    if unit == "ms":
        return f"{v:,.0f} ms" if v >= 10 else f"{v:.1f} ms"
    return f"{v:.2f}"


def table(result: dict, other: dict | None) -> str:
    """One Markdown table of a run (and the growth from the other scale's run, if any)."""
    lines = [f"### Scale {result['scale']} ({result['items']:,} items in the status/window archive)", "",
             f"- date: {result['date']}", f"- machine: {result['machine']}",
             f"- command: `{result['command']}`",
             f"- load average at start / end: {result['load_start']} / {result['load_end']}", ""]
    growth_col = other is not None
    head = "| section | figure | value | target | baseline | ratio | rounds | load |"
    head += " growth 50k→200k |" if growth_col else ""
    lines += [head, "|" + "---|" * (9 if growth_col else 8)]
    before = {(f["section"], f["name"].split(" (")[0]): f for f in (other or {}).get("figures", [])}
    for f in result["figures"]:
        ratio = "—" if f["ratio"] is None else f"{f['ratio']:.2f} ({f['ratio_kind']})"
        base = f"{f['baseline']}: {_fmt(f['baseline_value'], f['unit'])}" if f["baseline"] else "—"
        extra = "; ".join(f"{k} {v}" for k, v in f["extra"].items())
        value = _fmt(f["value"], f["unit"]) + (f" ({extra})" if extra else "")
        row = (f"| {f['section']} | {f['name']} | {value} | {f['target']} | {base} | {ratio} | "
               f"{f['rounds']} | {f['load']} |")
        if growth_col:
            o = before.get((f["section"], f["name"].split(" (")[0]))
            row += f" {f['value'] / o['value']:.2f}× |" if o and o["value"] else " — |"
        lines.append(row)
    return "\n".join(lines) + "\n"


def write_doc(doc: Path, results_dir: Path) -> None:
    """docs/performance.md's generated part: the 50k and 200k tables (growth in the 200k one)."""
    runs = {}
    for name in ("50k", "200k", "quick"):
        p = results_dir / f"{name}.json"
        if p.exists():
            runs[name] = json.loads(p.read_text(encoding="utf-8"))
    parts = []
    if "50k" in runs:
        parts.append(table(runs["50k"], None))
    if "200k" in runs:
        parts.append(table(runs["200k"], runs.get("50k")))
    if "quick" in runs and not parts:
        parts.append(table(runs["quick"], None))
    begin, end = "<!-- run_all:begin -->", "<!-- run_all:end -->"
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# Performance\n\n{begin}\n{end}\n"
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1] if end in rest else ""
    generated = ("\n*Written by `benchmarks/run_all.py`; do not edit between the markers.*\n\n"
                 + "\n".join(parts))
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(head + begin + "\n" + generated + end + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=["50k", "200k"], default="50k")
    ap.add_argument("--quick", action="store_true", help="tiny sizes, one or two rounds (the test)")
    ap.add_argument("--sections", default=",".join(SECTIONS), help="comma-separated: " + ", ".join(SECTIONS))
    ap.add_argument("--keep", default=None, help="build (or reuse) the N-item archive here")
    ap.add_argument("--settle", type=float, default=1.0,
                    help="ingest and bundle: seconds after each run's deletion (61 on ext4 without a journal)")
    ap.add_argument("--out", default=None, help="results and the table go here instead of "
                    "benchmarks/results and docs/performance.md")
    args = ap.parse_args(argv)
    sc = SCALES["quick" if args.quick else args.scale]
    SETTLE[0] = 0.0 if args.quick else args.settle
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    results_dir = Path(args.out) if args.out else ROOT / "benchmarks" / "results"
    doc = Path(args.out) / "performance.md" if args.out else ROOT / "docs" / "performance.md"
    work = Path(tempfile.mkdtemp(prefix=f"ed-bench-all-{sc.name}-"))
    # our own settings folder: the commands below must not remember this archive as the
    # clerk's last one (another run of `status` without --archive would open it)
    os.environ["EVIDENCE_DESK_CONFIG_DIR"] = str(work / "config")
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    result: dict[str, Any] = {"scale": sc.name, "items": sc.items, "date": now,
              "machine": machine(), "load_start": load(),
              "command": "python benchmarks/run_all.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "figures": []}
    # The installed program ships compiled bytecode; a checkout run with
    # PYTHONDONTWRITEBYTECODE (as this machine's shells are) recompiles every module of ours
    # in every new process, a second of the window's start. Compile once, so the start-up
    # figures measure what a clerk's start costs.
    import compileall

    for pkg in ("storage", "desktop", "ui", "exporters", "resources", "benchmarks"):
        compileall.compile_dir(ROOT / pkg, quiet=1)
    try:
        root = Path(args.keep) if args.keep else work / "items"
        if {"status", "window", "views"} & set(sections):
            items_archive(root, sc.items)
        for name in sections:
            t = time.perf_counter()
            print(f"{name} …", flush=True)
            sub = work / name
            sub.mkdir(exist_ok=True)
            figs = SECTIONS[name](sc, root if name in ("status", "window", "views") else sub)
            for f in figs:
                print(f"  {f.name}: {_fmt(f.value, f.unit)}"
                      + (f" vs {_fmt(f.baseline_value, f.unit)} ({f.baseline}), ratio {f.ratio:.2f} {f.ratio_kind}"
                         if f.ratio is not None else "") + f", load {f.load}", flush=True)
            result["figures"] += [f.as_dict() for f in figs]
            print(f"  ({time.perf_counter() - t:.0f} s)", flush=True)
            remove(sub)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["load_end"] = load()
    results_dir.mkdir(parents=True, exist_ok=True)
    earlier = results_dir / f"{sc.name}.json"
    if earlier.exists() and set(sections) != set(SECTIONS):
        # a run of some sections keeps the other sections' figures of the last full run
        kept = [f for f in json.loads(earlier.read_text(encoding="utf-8"))["figures"]
                if f["section"] not in sections]
        order = list(SECTIONS)
        result["figures"] = sorted(kept + result["figures"], key=lambda f: order.index(f["section"]))
        result["command"] += " (other sections: their last run)"
    (results_dir / f"{sc.name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1),
                                                 encoding="utf-8")
    write_doc(doc, results_dir)
    print(f"written: {results_dir / (sc.name + '.json')} and {doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
