"""The generated documents grow linearly with the items (issue 19): the 佐证材料目录 merged
each group heading after building the table (python-docx walks every row per heading), the
自评报告 added each evidence line through add_paragraph (which searches the body for its
sectPr every time) and the 佐证材料清单 styled every cell through openpyxl's hashed styles.
Twice the items must take at most about twice the time (generous: ≤ 2.5×)."""
from __future__ import annotations

import datetime as dt
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


def _times(root, n: int) -> dict[str, float]:
    a = build(root, 43, n)
    try:
        with a.sessions.read() as s:
            source = bundle_source(s)
            src = documents_source(s, source, DATE)
        groups = catalogue(source, plan_bundle(source), {m.evidence_id: m for m in src.evidence})
        assert sum(len(g.rows) for g in groups) == n
        out = {}
        for name, fn in DOCS.items():
            best = float("inf")
            for _ in range(3):
                t = time.perf_counter()
                fn(src, groups, DATE)
                best = min(best, time.perf_counter() - t)
            out[name] = best
        return out
    finally:
        a.close()


def test_documents_grow_linearly(tmp_path):
    small = _times(tmp_path / "small", 1000)
    big = _times(tmp_path / "big", 2000)
    ratios = {k: big[k] / small[k] for k in DOCS}
    assert all(r <= 2.5 for r in ratios.values()), ratios


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
