"""Speed of reading a work plan: a 10,000-task plan imported (issue 19 item 4: under 2 s, it
took 4.5 s = 13x python-docx's own load) and previewed (issue 14: a 500-task plan under 2 s).

Builds a plan .docx shaped like published ones: a 通知 wrapping it, 一、/（一）/1. headings,
tasks written in every assignment form the grammar reads (bracket at the end, last sentence,
own lines with labels, persons and deadlines, tasks spanning two paragraphs), then times, on a
fresh archive:

  baseline   python-docx opening the same file and reading its paragraphs' text
  read       paragraphs in body order with automatic numbering rendered
  parse      the task reader (plan_tasks.parse_plan_tasks) on those paragraphs
  preview    what the import dialog runs: the importer as a dry run (rolled back)

  import     the importer writing the tasks (one transaction)

Baseline and subjects run interleaved (A B A B), each subject's time divided by the baseline
measured just before it; reported: medians of those ratios, median seconds, load average.
Usage: python -m benchmarks.import_plan [--tasks 10000] [--rounds 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx

UNITS = ["县市场监管局", "县工信局", "县发改局", "县财政局", "县住建局", "县农业农村局", "县水利局",
         "县人社局", "县商务局", "县文化和旅游局", "县卫健局", "县应急管理局", "各乡镇（街道）"]
FORMS = [
    "（{a}、{b}、{c}等部门按职责分工负责）",
    "（{a}牵头，{b}、{c}等单位及各镇街配合落实）",
    "此项工作由{a}牵头负责，{b}、{c}等部门配合。",
    "（牵头单位：{a}；责任单位：{b}、{c}，6月底完成）",
]


def build_plan(path: Path, tasks: int) -> None:
    d = docx.Document()
    for line in ("各乡镇人民政府，县政府各部门：",
                 "《某县质量强县创建工作方案》已经县政府同意，现印发给你们，请认真贯彻执行。",
                 "某县人民政府", "2023年6月27日", "某县质量强县创建工作方案", "一、主要任务"):
        d.add_paragraph(line)
    n = 0
    section = 0
    while n < tasks:
        section += 1
        d.add_paragraph(f"（{section}）第{section}组任务")
        for _ in range(10):
            if n >= tasks:
                break
            n += 1
            a, b, c = UNITS[n % 13], UNITS[(n + 3) % 13], UNITS[(n + 7) % 13]
            form = FORMS[n % 5] if n % 5 < 4 else ""
            body = f"{n}.开展第{n}项质量提升工作。加强组织协调，完善工作机制，推动任务落实，确保取得实效。"
            if n % 5 == 4:  # own lines after the task, and a task spanning two paragraphs
                d.add_paragraph(body)
                d.add_paragraph("巩固提升创建成果，形成长效机制。")
                d.add_paragraph(f"牵头单位：{a}")
                d.add_paragraph(f"配合单位：{b}、{c}")
                d.add_paragraph("完成时限：2023年10月底前")
            else:
                d.add_paragraph(body + form.format(a=a, b=b, c=c))
    d.save(str(path))


def docx_load(path: Path) -> list[str]:
    """The baseline: python-docx opening the plan and giving every paragraph's text (the
    floor of any reading of a plan through python-docx)."""
    return [p.text for p in docx.Document(str(path)).paragraphs]


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from storage.core.archive import Archive
    from storage.tables.plan_import import import_plan, read_paragraphs
    from storage.tables.plan_tasks import parse_plan_tasks
    from storage.tables.preview import ImportOptions, preview_import

    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = folder / "plan.docx"
        build_plan(plan, args.tasks)
        base: list[float] = []
        times: dict[str, list[float]] = {"read": [], "parse": [], "preview": [], "import": []}
        ratios: dict[str, list[float]] = {k: [] for k in times}
        texts: list[str] = []
        for rnd in range(args.rounds):
            # A B A B: the baseline just before each subject, each ratio against its own baseline
            b = timed(lambda: docx_load(plan))
            t0 = time.perf_counter()
            paras = read_paragraphs(plan)
            times["read"].append(time.perf_counter() - t0)
            ratios["read"].append(times["read"][-1] / b)
            texts = [p.text for p in paras]
            b = timed(lambda: docx_load(plan))
            t0 = time.perf_counter()
            tasks = parse_plan_tasks(texts, default_year=2023)
            times["parse"].append(time.perf_counter() - t0)
            ratios["parse"].append(times["parse"][-1] / b)
            assert len(tasks) == args.tasks, len(tasks)
            archive = Archive.create(folder / f"a{rnd}")
            try:
                b = timed(lambda: docx_load(plan))
                base.append(b)
                t0 = time.perf_counter()
                shown = preview_import(archive, ImportOptions(kind="plan", path=str(plan)))
                times["preview"].append(time.perf_counter() - t0)
                ratios["preview"].append(times["preview"][-1] / b)
                assert shown.ok and shown.item_count == args.tasks
                b = timed(lambda: docx_load(plan))
                t0 = time.perf_counter()
                rep = import_plan(archive, plan)
                times["import"].append(time.perf_counter() - t0)
                ratios["import"].append(times["import"][-1] / b)
                assert len(rep.added) == args.tasks
            finally:
                archive.close()
            loads.append(os.getloadavg()[0])
    med = statistics.median
    print(f"tasks={args.tasks} rounds={args.rounds} paragraphs={len(texts)} (baseline and subjects interleaved) "
          f"load average {min(loads):.1f}–{max(loads):.1f}")
    print(f"baseline python-docx read : median {med(base):.3f} s")
    for k, label in (("read", "read paragraphs"), ("parse", "parse tasks"), ("preview", "preview (dry run)"),
                     ("import", "import (one txn)")):
        print(f"{label:26s}: median {med(times[k]):.3f} s  median ratio {med(ratios[k]):.1f}x baseline"
              f"  (ratios {', '.join(f'{x:.1f}' for x in ratios[k])})")


if __name__ == "__main__":
    main()
