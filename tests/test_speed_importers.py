"""The importers stay linear and near their file reader's own speed (issue 19 item 4, issue 14).

A responsibility table and a work plan, each at 250 and 2,000 rows/tasks, are imported into
fresh archives, interleaved with the baseline every .xlsx/.docx reading pays: openpyxl loading
the same workbook, python-docx reading the same document (benchmarks/import_table.py and
import_plan.py measure the same at 10,000). Two bounds, both generous for a busy machine
(the best of three rounds is taken, as a busy machine slows some rounds, never speeds one):

- the 2,000-row import takes at most 6× its baseline (measured: duties about 1.5×, plan
  about 3×; before issue 19's work, duties 2–2.7× and plan 3.3× at 10,000);
- eight times the rows take at most 12× the time: linear work takes about 8× (less, with the
  fixed costs), work that grows with the square of the rows 64×; so a per-row rescan of what
  was read before (a query, a flush, a search of a list) fails here once it costs about half
  the linear work at 2,000 rows, where 10,000 rows would take over three times as long as
  linear. (Checked: such a rescan injected into the duty writer made the duties import 14×
  and 7.0× its baseline, the plan import 13× and 9.4×; both tests failed.)
"""
from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT))

import openpyxl

from benchmarks.import_plan import build_plan, docx_load
from benchmarks.import_table import build_duties, build_framework
from storage.core.archive import Archive
from storage.tables.duties_import import import_duties
from storage.tables.framework_import import import_framework
from storage.tables.plan_import import import_plan

SMALL, BIG = 250, 2000
ROUNDS = 3
MAX_RATIO = 6.0      # the big import against its baseline
MAX_GROWTH = 12.0    # big / small import time, for 8× the rows


def _seconds(fn: Callable[[], object]) -> float:
    """One call's time, the garbage collector kept out (its passes grow with every object
    alive in the test process, not with the importer's work)."""
    gc.collect()
    gc.disable()
    try:
        t = time.perf_counter()
        fn()
        return time.perf_counter() - t
    finally:
        gc.enable()


def _measure(tmp: Path, files: dict[int, Path], baseline: Callable[[Path], object],
             subject: Callable[[Archive, Path], object], prepare: Callable[[Archive], object] | None = None,
             ) -> tuple[dict[int, float], float]:
    """Best import time per size over the rounds (sizes interleaved), and the best ratio of the
    big import to the baseline measured just before it."""
    best = {n: float("inf") for n in files}
    ratio = float("inf")
    for rnd in range(ROUNDS):
        for n, path in files.items():
            archive = Archive.create(tmp / f"a{rnd}_{n}")
            try:
                if prepare is not None:
                    prepare(archive)
                b = _seconds(partial(baseline, path))
                t = _seconds(partial(subject, archive, path))
            finally:
                archive.close()
            best[n] = min(best[n], t)
            if n == BIG:
                ratio = min(ratio, t / b)
    return best, ratio


def _check(what: str, best: dict[int, float], ratio: float) -> None:
    growth = best[BIG] / best[SMALL]
    assert ratio <= MAX_RATIO, f"{what}: {BIG} rows took {ratio:.1f}× the baseline (bound {MAX_RATIO}×)"
    assert growth <= MAX_GROWTH, (
        f"{what}: {BIG // SMALL}× the rows took {growth:.1f}× the time ({best[SMALL]:.3f} s → "
        f"{best[BIG]:.3f} s; linear is about {BIG // SMALL}×, bound {MAX_GROWTH}×)")


def _load_workbook(path: Path) -> None:
    openpyxl.load_workbook(path).close()


def test_duties_import_is_linear_and_near_the_workbook_load(tmp_path):
    fw = tmp_path / "fw.xlsx"
    build_framework(fw)
    files = {}
    for n in (SMALL, BIG):
        files[n] = tmp_path / f"duties_{n}.xlsx"
        build_duties(files[n], n)

    def subject(archive: Archive, path: Path) -> None:
        rep = import_duties(archive, path)
        assert len(rep.added) == int(path.stem.split("_")[1])

    best, ratio = _measure(tmp_path, files, _load_workbook, subject,
                           prepare=lambda archive: import_framework(archive, fw))
    _check("duties import", best, ratio)


def test_plan_import_is_linear_and_near_the_document_read(tmp_path):
    files = {}
    for n in (SMALL, BIG):
        files[n] = tmp_path / f"plan_{n}.docx"
        build_plan(files[n], n)

    def subject(archive: Archive, path: Path) -> None:
        rep = import_plan(archive, path)
        assert len(rep.added) == int(path.stem.split("_")[1])

    best, ratio = _measure(tmp_path, files, docx_load, subject)
    _check("plan import", best, ratio)
