"""`status` at 50,000 and 200,000 items: in process and as a whole process, this checkout
against an older one, interleaved (A B A B …, the order swapped every other round).

    .venv/bin/python benchmarks/status.py --items 200000 --keep /tmp/status200k [--compare OLD_CHECKOUT] [--rounds 7]

Each checkout gets its own copy of the window benchmark's archive (`benchmarks.ui_bench.build`:
43 leaves, 30 departments, one leaf with 5,000 items), built by a child process with that
checkout on PYTHONPATH (an older checkout keeps its own schema) and opened once (the daily
backup taken, so the light road answers), kept in --keep and reused. Per round:
- in process: a child of each checkout times `quick_status` (the road `evidence-desk status`
  takes) `--per` times after one warm-up call; its median is the round's figure;
- whole process: `evidence-desk --version` and `evidence-desk status --json` of each checkout,
  bytecode compiled first (`compileall`, as the installed program ships).
Printed: medians, the median of per-round ratios (this / old) and the load average.

`build` below (bulk inserts through SQLAlchemy, a 4/15/43 tree) is the archive
benchmarks/backends.py uses.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert

from storage.catalogue.frameworks import FrameworkSpec, IndicatorSpec, add_framework
from storage.core.archive import Archive
from storage.models import Blob, Department, Evidence, EvidenceFile, EvidenceIndicator

LEVEL2_PER_LEVEL1 = (3, 4, 4, 4)  # 15 level-2
LEVEL3_PER_LEVEL2 = (3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 3, 3, 4)  # 43 level-3


def big_framework() -> FrameworkSpec:
    names = ["质量发展理念", "质量发展保障", "质量发展基础", "质量发展成效"]
    l3 = iter(LEVEL3_PER_LEVEL2)
    tree = []
    for i, (name, n2) in enumerate(zip(names, LEVEL2_PER_LEVEL1), 1):
        kids = []
        for j in range(1, n2 + 1):
            leaves = [IndicatorSpec(f"{i}.{j}.{k}", f"基准测试指标 {i}.{j}.{k}", 2)
                      for k in range(1, next(l3) + 1)]
            kids.append(IndicatorSpec(f"{i}.{j}", f"基准测试二级指标 {i}.{j}", 2 * len(leaves), children=leaves))
        tree.append(IndicatorSpec(str(i), name, sum(2 * len(k.children) for k in kids), children=kids))
    return FrameworkSpec(name="基准测试指标体系", indicators=tree)


def build(root: Path, items: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    archive = Archive.create(root)
    with archive.sessions.write() as s:
        fw = add_framework(s, big_framework())
        leaves = [i.id for i in fw.indicators if i.level == 3]
        assert len(leaves) == 43
        conn = s.connection()
        conn.execute(insert(Department), [
            {"name": f"县单位{i:02d}", "normalized_name": f"县单位{i:02d}", "is_collective": False,
             "contact_person": "", "contact_phone": "", "notes": ""} for i in range(30)])
        now = dt.datetime(2026, 11, 1)
        statuses = ["received"] * 5 + ["accepted"] * 4 + ["returned"]
        step = 5000
        for start in range(0, items, step):
            n = min(step, items - start)
            ids = range(start + 1, start + n + 1)
            conn.execute(insert(Blob), [
                {"id": i, "sha256": f"{i:064x}", "size": rng.randint(10_000, 3_000_000), "stored_at": now}
                for i in ids])
            conn.execute(insert(Evidence), [
                {"id": i, "title": f"佐证材料 {i}", "doc_number": f"沂政发〔2023〕{i}号",
                 "department_id": rng.randint(1, 30), "status": rng.choice(statuses),
                 "created_at": now, "updated_at": now, "version": 1, "notes": "",
                 "issuing_body": ""} for i in ids])
            conn.execute(insert(EvidenceFile), [
                {"evidence_id": i, "blob_id": i, "original_name": f"佐证材料 {i}.pdf",
                 "source_path": "", "revision": 1, "is_current": True, "added_at": now}
                for i in ids])
            links = []
            for i in ids:
                for _pos, ind in enumerate(rng.sample(leaves, rng.choice([1, 1, 2])), 1):
                    links.append({"evidence_id": i, "indicator_id": ind, "position": i})
            conn.execute(insert(EvidenceIndicator), links)
    archive.close()


# Run in a child with the checkout under test first on PYTHONPATH.
CHILD = r"""
import json, sys, time
from pathlib import Path
mode, path = sys.argv[1], Path(sys.argv[2])
if mode == "build":
    from benchmarks.ui_bench import build
    from storage.core.archive import Archive
    build(path, int(sys.argv[3]))
    Archive.open(path).close()  # migrations done, the daily backup taken
    print(json.dumps({}))
else:
    from storage.catalogue.status_light import quick_status
    rep = quick_status(path)
    assert rep is not None, "the light road declined"
    out = []
    for _ in range(int(sys.argv[3])):
        t = time.perf_counter()
        quick_status(path)
        out.append(time.perf_counter() - t)
    print(json.dumps({"times": out, "items": rep.evidence_total}))
"""


def _env(tree: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _child(tree: Path, *argv: str) -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, *argv], cwd=tree, env=_env(tree), capture_output=True,
                       text=True, timeout=1800)
    if r.returncode != 0:
        raise SystemExit(f"the child in {tree} failed: {r.stderr.strip()[-800:]}")
    return dict(json.loads(r.stdout.strip().splitlines()[-1]))


def _cli(tree: Path, *argv: str) -> float:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "desktop", *argv], cwd=tree, capture_output=True, text=True,
                       env=_env(tree), timeout=300)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"`{' '.join(argv)}` failed in {tree}: {r.stderr.strip()[-500:]}")
    return elapsed


def archive_for(tree: Path, path: Path, items: int) -> Path:
    marker = path / ".bench-status"
    if marker.exists() and marker.read_text() == str(items):
        return path
    if path.exists():
        raise SystemExit(f"{path} exists and is not this benchmark's archive; remove it or pick another")
    t = time.perf_counter()
    _child(tree, "build", str(path), str(items))
    marker.write_text(str(items))
    print(f"  {tree.name}: archive of {items} items built in {time.perf_counter() - t:.0f} s: {path}", flush=True)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=50_000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--per", type=int, default=5, help="in-process calls per child")
    ap.add_argument("--keep", required=True, help="folder for the archive(s), reused if there")
    ap.add_argument("--compare", metavar="OLD_CHECKOUT", default=None,
                    help="an earlier checkout (git worktree) to run interleaved with this one")
    args = ap.parse_args()
    trees = [("this", ROOT)] + ([("old", Path(args.compare).resolve())] if args.compare else [])
    for _, tree in trees:
        subprocess.run([sys.executable, "-m", "compileall", "-q", "desktop", "storage", "ui", "exporters"],
                       cwd=tree, env=_env(tree), check=True)
    paths = {label: archive_for(tree, Path(args.keep) / label, args.items) for label, tree in trees}
    inproc: dict[str, list[float]] = {label: [] for label, _ in trees}
    whole: dict[str, list[float]] = {label: [] for label, _ in trees}
    version: dict[str, list[float]] = {label: [] for label, _ in trees}
    r_in, r_whole, loads = [], [], []
    for r in range(args.rounds):
        got_in, got_whole = {}, {}
        for label, tree in (trees if r % 2 == 0 else trees[::-1]):
            res = _child(tree, "time", str(paths[label]), str(args.per))
            assert res["items"] == args.items, res
            got_in[label] = statistics.median(res["times"])
            version[label].append(_cli(tree, "--version"))
            got_whole[label] = _cli(tree, "status", "--json", "--archive", str(paths[label]))
            inproc[label].append(got_in[label])
            whole[label].append(got_whole[label])
        loads.append(os.getloadavg()[0])
        if "old" in got_in:
            r_in.append(got_in["this"] / got_in["old"])
            r_whole.append(got_whole["this"] / got_whole["old"])
    print(f"{args.items} items; {args.rounds} rounds; load {min(loads):.1f}–{max(loads):.1f}")
    for label, _ in trees:
        print(f"{label:>5}: status in process {statistics.median(inproc[label]) * 1000:.1f} ms; "
              f"`status --json` whole process {statistics.median(whole[label]) * 1000:.0f} ms; "
              f"`--version` {statistics.median(version[label]) * 1000:.0f} ms")
    if r_in:
        print(f"median of per-round ratios this/old: in process {statistics.median(r_in):.3f}, "
              f"whole process {statistics.median(r_whole):.2f}")


if __name__ == "__main__":
    main()
