"""Spreadsheets in a binder (issue 17, item 10): a sheet of 12 columns with dates in narrow
columns — the way a department's 台账 often comes — prints one page wide with its dates
readable (no 「###」, no spill page). The binder converts a fitted copy; the stored file is
never changed. Converted by the real LibreOffice, read back with pypdf."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from exporters import convert
from exporters.binder import fit_sheet_for_print

needs_soffice = pytest.mark.skipif(convert.find_soffice() is None, reason="LibreOffice not installed")

HEADERS = ["序号", "抽查日期", "产品名称", "生产企业", "规格型号", "生产日期", "检验项目",
           "检验结果", "判定", "承检机构", "报告日期", "备注"]


def _ledger(path: Path) -> Path:
    """A 监督抽查台账 with narrow columns: dates in columns 6 characters wide."""
    wb = Workbook()
    ws = wb.active
    ws.title = "抽查台账"
    ws.append(HEADERS)
    for i in range(1, 16):
        ws.append([i, dt.date(2026, 3, i), f"电线电缆{i}", f"示例县第{i}电缆厂", "BV-2.5",
                   dt.date(2025, 12, i), "导体电阻", "符合", "合格", "县检验检测中心",
                   dt.date(2026, 4, i), ""])
    for col in "ABCDEFGHIJKL":
        ws.column_dimensions[col].width = 6
    for row in ws.iter_rows(min_row=2):
        for c in (row[1], row[5], row[10]):
            c.number_format = "yyyy-mm-dd"
    wb.save(path)
    return path


def _to_pdf(src: Path, out: Path) -> Path:
    [r] = convert.LibreOfficeConverter().to_pdf_many([convert.Job(src, out, ".xlsx", src.name)], timeout=180)
    assert not isinstance(r, Exception), r
    return Path(r)


def _page_texts(pdf: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(str(pdf)).pages]


@needs_soffice
def test_a_wide_sheet_with_dates_prints_one_page_wide_and_readable(tmp_path):
    stored = _ledger(tmp_path / "stored.xlsx")
    before = hashlib.sha256(stored.read_bytes()).hexdigest()

    # as it was: the narrow date columns print 「###」 and the columns spill onto more pages
    plain = _page_texts(_to_pdf(stored, tmp_path / "plain.pdf"))
    assert len(plain) > 1 or "###" in "".join(plain)

    fitted = fit_sheet_for_print(stored, tmp_path / "work" / "print.xlsx")
    assert fitted != stored
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == before  # the clerk's file untouched
    pages = _page_texts(_to_pdf(fitted, tmp_path / "fitted.pdf"))
    assert len(pages) == 1, len(pages)  # 16 rows, 12 columns: one page, nothing spilled
    text = pages[0]
    assert "###" not in text
    for d in ("2026-03-01", "2025-12-15", "2026-04-15"):
        assert d in text, d
    assert "报告日期" in text and "备注" in text  # the last columns are on the same page


def test_a_workbook_that_cannot_be_read_is_converted_as_it_is(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    assert fit_sheet_for_print(bad, tmp_path / "out.xlsx") == bad


@needs_soffice
def test_the_binder_prints_a_stored_ledger_one_page_wide(demo_archive, tmp_path):
    """Through the binder as the clerk makes it (打印装订册): the ledger filed under an
    indicator comes out on one page with its dates; the stored file keeps its bytes."""
    from desktop.actions.printing import build_binders
    from storage.catalogue.ingest import ingest_paths

    ledger = _ledger(tmp_path / "2026年产品质量监督抽查台账.xlsx")
    report = ingest_paths(demo_archive, [ledger], indicator_code="2.2.1")
    [item] = [i for i in report.items if i.outcome == "stored"]
    stored = Path(demo_archive.files.path_for(item.sha256))
    before = hashlib.sha256(stored.read_bytes()).hexdigest()

    result = build_binders(demo_archive, tmp_path / "binders", export_date=dt.date(2026, 5, 1),
                           converter=convert.LibreOfficeConverter())
    pages = _page_texts(Path(result.pdf[0]))
    ledger_pages = [t for t in pages if "抽查日期" in t or "电缆厂" in t]
    assert len(ledger_pages) == 1, len(ledger_pages)
    assert "2026-03-01" in ledger_pages[0] and "2026-04-15" in ledger_pages[0]
    assert "###" not in ledger_pages[0] and "报告日期" in ledger_pages[0]
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == before
