"""The window's start: a new process to the main window shown with the first leaf's rows
(issue 19, item 3: under 1.5 s at 200,000 items).

    python benchmarks/startup.py --archive /tmp/items200k              # an archive built by run_all --keep
    python benchmarks/startup.py --items 200000 --rounds 9             # build one (removed after)
    python benchmarks/startup.py --archive A --trees . /tmp/old-checkout   # before / after

Every round starts, in turn (A B A B …, the order rotated each round so none always runs on
a warmer cache):
- the baseline: `python -c "import PySide6.QtWidgets"`, what any Qt program pays to start;
- the window of each tree (a checkout of Evidence Desk): a new process that makes the
  QApplication and the main window, opens the archive, shows the window, waits for the
  indicator tree and selects the first leaf, and stops when its rows are on screen.

The child reports when each step ended, measured from the moment the parent started it:
python (the interpreter up, before our first import), imports (desktop.window.app and all
it imports), qt (the QApplication), window (the main window and its controller built),
open (the archive opened and its window lock taken), tree (the indicator tree shown), rows
(the first paint of the window after the first leaf's rows were set: the total), features
(the window's feature controllers loaded, desktop.window.deferred; a tree without it loads
them with its imports), cpu (the process's CPU time, all threads, when the rows were
painted: steadier than wall time on a busy machine). Printed: medians of every step, the median of the per-round ratios
window / baseline, and with two trees the median of the per-round ratios second / first;
the load average beside them. To compare with a tree older than this script, copy this
script into that tree's benchmarks/ (the child runs from the tree it measures).

Bytecode is compiled first in every tree (the installed program ships it; this machine's
shells set PYTHONDONTWRITEBYTECODE, which would recompile every module in every start).
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("python", "imports", "qt", "window", "open", "tree", "rows", "features")
BASELINE = "import PySide6.QtWidgets"


# --- child: one window start, in the tree it was started from -----------------------------------


def child(archive: str) -> None:
    t0 = float(os.environ["ED_BENCH_T0"])
    marks = {"python": time.time() - t0}
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    from desktop.window.app import App, ensure_app

    marks["imports"] = time.time() - t0
    app = ensure_app()
    marks["qt"] = time.time() - t0
    shell = App()
    marks["window"] = time.time() - t0
    loop = QEventLoop()
    features = getattr(shell.controller, "features", None)  # loaded after the first rows (deferred.py)

    def maybe_quit() -> None:
        if "rows" in marks and (features is None or features.is_loaded):
            marks.setdefault("features", time.time() - t0)
            loop.quit()

    class Painted(QObject):
        """The first paint after the rows are set: the rows are on screen."""

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and "rows" not in marks and "set" in marks:
                marks["rows"] = time.time() - t0
                marks["cpu"] = time.process_time()
                QTimer.singleShot(0, maybe_quit)
            return False

    painted = Painted()
    app.installEventFilter(painted)

    def tree_loaded() -> None:
        if "tree" not in marks:
            marks["tree"] = time.time() - t0
            leaf = next(n for n in shell.window.workbench.tree.tree_model.nodes() if n.is_leaf)
            shell.window.workbench.tree.select_id(leaf.id)

    def node_loaded(_: int) -> None:
        if "set" not in marks:
            marks["set"] = time.time() - t0
            app.processEvents()  # the rows painted (the filter above marks the first paint)
            if "rows" not in marks:
                marks["rows"] = time.time() - t0
                marks["cpu"] = time.process_time()
            maybe_quit()

    shell.controller.tree_loaded.connect(tree_loaded)
    shell.controller.node_loaded.connect(node_loaded)
    if features is not None:
        features.loaded.connect(lambda: QTimer.singleShot(0, maybe_quit))
    shell.open("open", archive)
    marks["open"] = time.time() - t0
    shell.window.show()
    QTimer.singleShot(60_000, loop.quit)
    if "features" not in marks:
        loop.exec()
    app.removeEventFilter(painted)
    if features is None:  # a tree that loads every feature with the window
        marks["features"] = marks["imports"]
    print(json.dumps(marks), flush=True)
    shell.shutdown()


# --- parent ----------------------------------------------------------------------------------------


def _env(tree: Path, config: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(tree), "QT_QPA_PLATFORM": "offscreen",
           "EVIDENCE_DESK_CONFIG_DIR": str(config)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def start_window(tree: Path, archive: Path, config: Path) -> dict[str, float]:
    """One start of the window of `tree` on `archive`: the child's step times (seconds)."""
    env = _env(tree, config)
    env["ED_BENCH_T0"] = repr(time.time())
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, str(tree / "benchmarks" / "startup.py"), "--child", str(archive)],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=tree)
    assert p.stdout is not None
    with p.stdout:
        line = p.stdout.readline().strip()
        wall = time.perf_counter() - t0
    p.wait(timeout=120)
    try:
        marks: dict[str, float] = json.loads(line)
    except ValueError:
        raise SystemExit(f"the window of {tree} did not start: {line!r}") from None
    if "rows" not in marks:
        raise SystemExit(f"the window of {tree} showed no rows within a minute: {marks}")
    marks["wall"] = wall  # the parent's view of the same start (includes writing the line)
    return marks


def start_baseline(config: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", BASELINE], env=_env(ROOT, config), check=True,
                   capture_output=True, timeout=120)
    return time.perf_counter() - t0


def compile_tree(tree: Path) -> None:
    for pkg in ("storage", "desktop", "ui", "exporters", "resources", "benchmarks"):
        if (tree / pkg).is_dir():
            compileall.compile_dir(tree / pkg, quiet=1)


def build_archive(path: Path, items: int) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.run_all import items_archive

    items_archive(path, items)


def measure(trees: list[Path], archive: Path, rounds: int) -> dict:
    """Interleaved rounds; returns every time and the per-round loads."""
    config = Path(tempfile.mkdtemp(prefix="ed-bench-start-cfg-"))
    runs: dict[str, list] = {"baseline": [], **{str(t): [] for t in trees}}
    loads: list[float] = []
    try:
        for t in trees:  # one warm-up start each: the archive's pages and the libraries in the cache
            start_window(t, archive, config)
        start_baseline(config)
        order: list[str] = ["baseline", *map(str, trees)]
        for r in range(rounds):
            k = r % len(order)
            for name in order[k:] + order[:k]:
                if name == "baseline":
                    runs[name].append(start_baseline(config))
                else:
                    runs[name].append(start_window(Path(name), archive, config))
            loads.append(os.getloadavg()[0])
    finally:
        shutil.rmtree(config, ignore_errors=True)
    return {"runs": runs, "loads": loads}


def report(trees: list[Path], result: dict) -> list[str]:
    runs, loads = result["runs"], result["loads"]
    base = runs["baseline"]
    lines = [f"rounds: {len(base)}; load average {statistics.mean(loads):.2f} "
             f"(min {min(loads):.2f}, max {max(loads):.2f})",
             f"baseline `python -c \"{BASELINE}\"`: median {statistics.median(base) * 1000:.0f} ms"]
    for t in trees:
        marks = runs[str(t)]
        total = [m["rows"] for m in marks]
        ratios = [m["rows"] / b for m, b in zip(marks, base)]
        steps = "; ".join(f"{s} {statistics.median(m[s] for m in marks) * 1000:.0f}" for s in STEPS)
        lines.append(f"{t}: to the first leaf's rows: median {statistics.median(total) * 1000:.0f} ms "
                     f"(min {min(total) * 1000:.0f}, max {max(total) * 1000:.0f}); "
                     f"ratio to the baseline {statistics.median(ratios):.2f}")
        lines.append(f"    steps, ms from the process's start (medians): {steps}")
        if all("cpu" in m for m in marks):
            lines.append(f"    CPU time of the process to the first rows (all its threads): median "
                         f"{statistics.median(m['cpu'] for m in marks) * 1000:.0f} ms")
    if len(trees) == 2:
        a, b = runs[str(trees[0])], runs[str(trees[1])]
        ratios = [y["rows"] / x["rows"] for x, y in zip(a, b)]
        lines.append(f"{trees[1]} / {trees[0]}: median of per-round ratios {statistics.median(ratios):.2f}")
        if all("cpu" in m for m in a + b):
            cpu = [y["cpu"] / x["cpu"] for x, y in zip(a, b)]
            lines.append(f"    CPU time to the first rows, median of per-round ratios {statistics.median(cpu):.2f} "
                         "(steadier than wall time on a busy machine)")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--child", metavar="ARCHIVE", help=argparse.SUPPRESS)
    ap.add_argument("--archive", type=Path, help="an archive to open (e.g. made by run_all --keep)")
    ap.add_argument("--items", type=int, default=200_000, help="without --archive: build one this big")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--trees", nargs="+", type=Path, default=[ROOT],
                    help="checkouts to start (one: this one; two: before and after)")
    ap.add_argument("--json", type=Path, help="also write every time here")
    args = ap.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    trees = [t.resolve() for t in args.trees]
    for t in trees:
        compile_tree(t)
    made = None
    archive = args.archive
    if archive is None:
        made = Path(tempfile.mkdtemp(prefix="ed-bench-start-"))
        archive = made / "archive"
        build_archive(archive, args.items)
    try:
        result = measure(trees, archive, args.rounds)
    finally:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
    for line in report(trees, result):
        print(line)
    if args.json:
        args.json.write_text(json.dumps({"trees": list(map(str, trees)), **result}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
