"""Import speed of a responsibility table (issue 19 item 4: a 10,000-row table imported in
under 3 s; issue 14: a 2,000-row table previewed in under 2 s).

Builds a framework table (4 / 15 / 43 indicators, like the published system's shape, with
invented titles) and a responsibility table of N rows (merged level columns, departments
with inline lead marks, mixed deadlines). Then, in rounds, baseline and subjects interleaved
(A B A B …) so that load on the machine falls on both alike:

  baseline   openpyxl.load_workbook of the same file (the floor any .xlsx import pays)
  import     duties import into a fresh archive holding the framework (one transaction)
  preview    what the import dialog runs: the importer as a dry run
  framework  the framework importer on a table of N indicator rows (fresh archive)

  preview small  the dry run on a table of --preview-rows (2,000) rows, against its own load

Reported: per subject the median over rounds of (subject time / that round's baseline time),
the median seconds, the load average, and the ratio times the reference machine's baseline:
there the openpyxl load of the 10,000-row table takes 1.15 s (the 2,000-row table's is
scaled by the two loads measured here). Goals: duties and framework imports of 10,000 rows
under 3 s (2.6× the load), the 2,000-row preview under 2 s.

Usage: python -m benchmarks.import_table [--rows 10000] [--preview-rows 2000] [--rounds 3]

Against another version of the program (issue 19: a change measured against the commit
before it, on a loaded machine):

  python -m benchmarks.import_table --against /tmp/base-worktree [--rows 10000] [--rounds 6]

imports the same tables with this tree's code and with the other tree's, each import in a new
process (after one untimed small import there, so both have loaded their libraries), the two
alternating A B B A; reported per import: the median wall and CPU seconds of each and the
median of the per-round ratios (this / other) of both, with the load average. CPU time is
what the machine's load least disturbs.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl

T = TypeVar("T")

DEPTS = [f"县{n}局" for n in ("市场监管", "工信", "发改", "财政", "住建", "农业农村", "水利", "人社", "商务",
                             "文化和旅游", "卫健", "应急管理", "交通运输", "自然资源和规划", "科技", "教体",
                             "统计", "司法", "公安", "民政")] + ["各乡镇（街道）", "县直有关部门"]
DEADLINES = ["2023年6月底前", "8月31日前", "每季度", "长期坚持", 45199, "2023年12月31日前"]
REFERENCE_LOAD = 1.15   # s: the reference machine's openpyxl load of the 10,000-row table
REFERENCE_ROWS = 10000


def tree():
    out = []
    n3 = 0
    for a in range(1, 5):
        l2s = []
        for b in range(1, 5 if a < 4 else 4):
            l3s = []
            for c in range(1, 4):
                n3 += 1
                if n3 > 43:
                    break
                l3s.append(f"测试三级指标{a}.{b}.{c}")
            l2s.append((f"测试二级指标{a}.{b}", l3s))
        out.append((f"测试一级指标{a}", l2s))
    return out


def build_framework(path: Path, rows: int = 0) -> None:
    """The 43-leaf framework; with `rows`, a big one of that many leaf rows (merged levels)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["基准测试指标体系"])
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "评分标准"])
    if not rows:
        for l1, l2s in tree():
            for l2, l3s in l2s:
                for l3 in l3s:
                    ws.append([l1, l2, l3, 2, "评分标准文字" * 5])
    else:
        per_l1, per_l2 = max(1, rows // 10), max(1, rows // 100)
        for i in range(rows):
            ws.append([f"一级指标{i // per_l1 + 1}", f"二级指标{i // per_l2 + 1}", f"三级指标{i + 1}",
                       1, "评分标准文字" * 3])
    wb.save(path)


def build_duties(path: Path, rows: int) -> None:
    leaves = [(l1, l2, l3) for l1, l2s in tree() for l2, l3s in l2s for l3 in l3s]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["附件1"])
    ws.append(["基准测试县工作责任分解表（2023年）"])
    ws.append(["序号", "一级指标", "二级指标", "三级指标", "工作任务", "责任单位", "佐证材料", "完成时限", "备注"])
    per_leaf = max(1, rows // len(leaves))
    r = 0
    for i, (l1, l2, l3) in enumerate(leaves):
        count = per_leaf if i < len(leaves) - 1 else rows - r
        start = ws.max_row + 1
        for _k in range(count):
            r += 1
            d = [DEPTS[(r + j) % len(DEPTS)] for j in range(3)]
            ws.append([r, l1, l2, l3, f"第{r}项工作任务：落实{l3}的具体措施",
                       f"{d[0]}（牵头）、{d[1]}、{d[2]}等部门按职责分工负责",
                       "相关文件、会议纪要、照片", DEADLINES[r % len(DEADLINES)], ""])
        if count > 1:
            for col in "BCD":
                ws.merge_cells(f"{col}{start}:{col}{ws.max_row}")
    wb.save(path)


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def run(fn: Callable[[], T]) -> tuple[float, T]:
    """(seconds, result) of one call."""
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def child(kind: str, file: Path, warm: Path, extra: Path | None, root: Path) -> dict[str, float]:
    """In a new process, with the program at `root`: one untimed import of `warm`, then the
    timed import of `file` into a new archive; wall and CPU seconds."""
    sys.path.insert(0, str(root))
    import storage
    from storage.core.archive import Archive

    assert Path(storage.__file__).resolve().is_relative_to(root.resolve()), storage.__file__

    if kind == "plan":
        from storage.tables.plan_import import import_plan as fn
    elif kind == "duties":
        from storage.tables.duties_import import import_duties as fn
    else:
        from storage.tables.framework_import import import_framework as fn
    from storage.tables.framework_import import import_framework

    with tempfile.TemporaryDirectory() as tmp:
        for i, path in enumerate((warm, file)):
            archive = Archive.create(Path(tmp) / f"a{i}")
            try:
                if extra is not None:
                    import_framework(archive, extra)
                c0, t0 = time.process_time(), time.perf_counter()
                fn(archive, path)
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            finally:
                archive.close()
    return {"wall": wall, "cpu": cpu}


def against(script: Path, other: Path, jobs: list[tuple[str, Path, Path, Path | None]], rounds: int) -> None:
    """Each job (kind, file, warm-up file, framework first or None) imported by this tree's
    program and by `other`'s, each in a new process, A B B A; medians and per-round ratios."""
    med = statistics.median
    loads = [os.getloadavg()[0]]
    got: dict[tuple[str, str], list[dict[str, float]]] = {}
    for rnd in range(rounds):
        for kind, file, warm, extra in jobs:
            order = [("this", ROOT), ("other", other)]
            for side, root in (order if rnd % 2 == 0 else order[::-1]):
                cmd = [sys.executable, str(script), "--child", kind, "--file", str(file), "--warm", str(warm),
                       "--root", str(root)] + (["--extra", str(extra)] if extra else [])
                out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=str(root))
                got.setdefault((kind, side), []).append(json.loads(out.stdout.strip().splitlines()[-1]))
        loads.append(os.getloadavg()[0])
    print(f"this tree {ROOT} against {other}; {rounds} rounds, A B B A, each import in a new process; "
          f"load average {min(loads):.1f}–{max(loads):.1f}")
    for kind, *_ in jobs:
        a, b = got[(kind, "this")], got[(kind, "other")]
        for key in ("wall", "cpu"):
            ratios = [x[key] / y[key] for x, y in zip(a, b, strict=True)]
            print(f"{kind:9s} {key:4s}: this {med(x[key] for x in a):.3f} s, other {med(y[key] for y in b):.3f} s, "
                  f"median ratio {med(ratios):.2f} (ratios {', '.join(f'{r:.2f}' for r in ratios)})")


def child_args(ap: argparse.ArgumentParser) -> None:
    """The options of the comparison mode and of its child processes."""
    ap.add_argument("--against", type=Path, help="another tree of the program to compare with (a git worktree)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--warm", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--extra", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--root", type=Path, help=argparse.SUPPRESS)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--preview-rows", type=int, default=2000,
                    help="the smaller table previewed as the import dialog does (issue 14: under 2 s)")
    ap.add_argument("--rounds", type=int, default=3)
    child_args(ap)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.file, args.warm, args.extra, args.root)))
        return
    if args.against:
        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            fw, duties, big_fw = tmp / "fw.xlsx", tmp / "duties.xlsx", tmp / "big_fw.xlsx"
            small, small_fw = tmp / "duties_small.xlsx", tmp / "small_fw.xlsx"
            build_framework(fw)
            build_duties(duties, args.rows)
            build_framework(big_fw, args.rows)
            build_duties(small, 200)
            build_framework(small_fw, 200)
            against(Path(__file__).resolve(), args.against.resolve(),
                    [("duties", duties, small, fw), ("framework", big_fw, small_fw, None)], args.rounds)
        return
    from storage.core.archive import Archive
    from storage.tables.duties_import import import_duties
    from storage.tables.framework_import import import_framework
    from storage.tables.preview import ImportOptions, preview_import

    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        fw, duties, big_fw = tmp / "fw.xlsx", tmp / "duties.xlsx", tmp / "big_fw.xlsx"
        small = tmp / "duties_small.xlsx"
        build_framework(fw)
        build_duties(duties, args.rows)
        build_framework(big_fw, args.rows)
        build_duties(small, args.preview_rows)
        base: list[float] = []
        base_small: list[float] = []
        times: dict[str, list[float]] = {"import": [], "preview": [], "framework": [], "preview_small": []}
        ratios: dict[str, list[float]] = {k: [] for k in times}
        for rnd in range(args.rounds):
            # A B A B: each subject right after its own baseline, each ratio against it
            b = timed(lambda: openpyxl.load_workbook(duties).close())
            base.append(b)
            archive = Archive.create(tmp / f"a{rnd}")
            import_framework(archive, fw)
            t, shown = run(partial(preview_import, archive, ImportOptions(kind="duties", path=str(duties))))
            assert shown.ok and shown.item_count == args.rows
            times["preview"].append(t)
            ratios["preview"].append(t / b)
            b = timed(lambda: openpyxl.load_workbook(small).close())
            base_small.append(b)
            t, shown = run(partial(preview_import, archive, ImportOptions(kind="duties", path=str(small))))
            assert shown.ok and shown.item_count == args.preview_rows
            times["preview_small"].append(t)
            ratios["preview_small"].append(t / b)
            b = timed(lambda: openpyxl.load_workbook(duties).close())
            t, rep = run(partial(import_duties, archive, duties))
            assert rep.rows_read == args.rows and len(rep.added) == args.rows
            times["import"].append(t)
            ratios["import"].append(t / b)
            archive.close()
            b = timed(lambda: openpyxl.load_workbook(big_fw).close())
            archive = Archive.create(tmp / f"f{rnd}")
            t = timed(partial(import_framework, archive, big_fw))
            times["framework"].append(t)
            ratios["framework"].append(t / b)
            archive.close()
            loads.append(os.getloadavg()[0])
    med = statistics.median
    # The reference machine's openpyxl load of the big table is REFERENCE_LOAD; the small
    # table's is scaled by the two loads measured here.
    ref = {"import": REFERENCE_LOAD, "preview": REFERENCE_LOAD, "framework": REFERENCE_LOAD,
           "preview_small": REFERENCE_LOAD * med(base_small) / med(base)}
    print(f"rows={args.rows} (preview also at {args.preview_rows}) rounds={args.rounds} "
          f"(baseline and subjects interleaved) load average {min(loads):.1f}–{max(loads):.1f}")
    print(f"baseline openpyxl load     : median {med(base):.3f} s ({args.rows} rows), "
          f"{med(base_small):.3f} s ({args.preview_rows} rows)")
    labels = (("import", f"duties import {args.rows}"), ("preview", f"duties preview {args.rows}"),
              ("preview_small", f"duties preview {args.preview_rows}"), ("framework", f"framework import {args.rows}"))
    scaled = args.rows == REFERENCE_ROWS   # the reference figures are for 10,000 rows
    for k, label in labels:
        est = f"  ≈ {med(ratios[k]) * ref[k]:.2f} s on the reference machine" if scaled else ""
        print(f"{label:27s}: median {med(times[k]):.3f} s  median ratio {med(ratios[k]):.2f}x baseline{est}"
              f"  (ratios {', '.join(f'{x:.2f}' for x in ratios[k])})")
    if not scaled:
        print(f"(reference-machine estimates and targets only with --rows {REFERENCE_ROWS})")
        return
    for k, goal in (("import", 3.0), ("framework", 3.0), ("preview_small", 2.0)):
        est_s = med(ratios[k]) * ref[k]
        print(f"target: {dict(labels)[k]} under {goal:.0f} s on the reference machine: "
              f"{est_s:.2f} s", "OK" if est_s < goal else "MISSED")


if __name__ == "__main__":
    main()
