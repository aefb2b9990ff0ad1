"""The generated documents grow linearly with the items (issue 19): the 佐证材料目录 merged
each group heading after building the table (python-docx walks every row per heading), the
自评报告 added each evidence line through add_paragraph (which searches the body for its
sectPr every time) and the 佐证材料清单 styled every cell through openpyxl's hashed styles.
Twice the items must take at most about twice the time (generous: ≤ 2.6×; before
the fix the 目录 took 2.8–4.4× at these sizes)."""
from __future__ import annotations

import datetime as dt
import gc
import sys
import time

from conftest import ROOT

sys.path.insert(0, str(ROOT))

from benchmarks.documents import DATE, build
from exporters import documents
from exporters.bundle import plan_bundle
from exporters.documents_catalogue import catalogue
from exporters.evidence_list_xlsx import evidence_list_workbook
from storage.bundle.sources import bundle_source, documents_source

DOCS = {
    "佐证材料目录": documents.evidence_catalogue,
    "自评报告": documents.self_evaluation_report,
    "佐证材料清单": evidence_list_workbook,
}


def _inputs(root, n: int):
    a = build(root, 43, n)
    try:
        with a.sessions.read() as s:
            source = bundle_source(s)
            src = documents_source(s, source, DATE)
        groups = catalogue(source, plan_bundle(source), {m.evidence_id: m for m in src.evidence})
    finally:
        a.close()
    assert sum(len(g.rows) for g in groups) == n
    return src, groups


def test_documents_grow_linearly(tmp_path):
    sizes = {"small": _inputs(tmp_path / "small", 1000), "big": _inputs(tmp_path / "big", 2000)}
    best = {(k, name): float("inf") for k in sizes for name in DOCS}
    for _ in range(4):  # small and big interleaved, the best of each: a busy machine hits both
        for k, (src, groups) in sizes.items():
            for name, fn in DOCS.items():
                # the collector's passes grow with every object alive, not with our work: keep
                # them out of the timing (seen: 3.0× for 2× items under load with them in)
                gc.collect()
                gc.disable()
                try:
                    t = time.perf_counter()
                    fn(src, groups, DATE)
                    best[k, name] = min(best[k, name], time.perf_counter() - t)
                finally:
                    gc.enable()
    ratios = {name: best["big", name] / best["small", name] for name in DOCS}
    assert all(r <= 2.6 for r in ratios.values()), ratios


def test_catalogue_headings_are_merged_rows(tmp_path):
    """The heading rows copied from the template are one merged cell spanning the table, as
    `_merge_row` makes them."""
    import io

    from docx import Document
    from docx.oxml.ns import qn

    a = build(tmp_path / "a", 43, 50)
    try:
        with a.sessions.read() as s:
            source = bundle_source(s)
            src = documents_source(s, source, dt.date(2026, 3, 1))
        groups = catalogue(source, plan_bundle(source), {m.evidence_id: m for m in src.evidence})
    finally:
        a.close()
    doc = Document(io.BytesIO(documents.evidence_catalogue(src, groups, DATE)))
    t = doc.tables[0]
    heads = [tr for tr in t._tbl.tr_lst if len(tr.findall(qn("w:tc"))) == 1]
    assert len(heads) == len(groups)
    for tr, g in zip(heads, groups):
        tc = tr.find(qn("w:tc"))
        assert tc.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == str(len(documents.CATALOGUE_HEADER))
        assert "".join(x.text for x in tc.iter(qn("w:t"))).startswith(f"{g.code} {g.title}")


def test_work_per_item_stays_small(tmp_path):
    """Python calls made per extra item (cProfile's count, whatever the machine's load):
    before the fix every item cost the 目录 about 180 calls, the 自评报告 440 and the 清单
    5,800 (each heading merge walked the table, each paragraph searched the body, each
    cell hashed its styles); now about 50, 30 and 600."""
    import cProfile
    import pstats

    calls: dict[int, dict[str, int]] = {}
    for n in (500, 1000):
        src, groups = _inputs(tmp_path / str(n), n)
        calls[n] = {}
        for name, fn in DOCS.items():
            pr = cProfile.Profile()
            pr.enable()
            fn(src, groups, DATE)
            pr.disable()
            calls[n][name] = pstats.Stats(pr).total_calls  # type: ignore[attr-defined]
    per_item = {name: (calls[1000][name] - calls[500][name]) / 500 for name in DOCS}
    limits = {"佐证材料目录": 100, "自评报告": 100, "佐证材料清单": 1500}
    assert all(per_item[k] <= limits[k] for k in DOCS), per_item
