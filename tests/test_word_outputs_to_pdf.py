"""Every Word document the program writes converts to PDF with LibreOffice (installed by
scripts/setup.sh), and the page counts fall in the expected ranges (fonts differ from
Windows, so exact counts would not match Word): the bundle's 申报表, 自评报告 and
佐证材料目录, and the 催办通知 for all departments. The binders are converted in
tests/test_print_binder.py."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import run_cli
from pypdf import PdfReader

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice is installed by scripts/setup.sh")

# name part -> (min pages, max pages) for the demo archive (16 leaf indicators, 10 items)
EXPECTED = {
    "申报表": (1, 3),
    "自评报告": (4, 14),
    "佐证材料目录": (1, 5),
    "催办通知": (4, 16),   # one notice per owing department, each on its own pages
}


def test_every_word_output_converts_with_pages_in_range(demo_archive, tmp_path):
    from exporters.convert import Job
    from exporters.converters import available_converter
    from exporters.reminder_notice import write_reminder_notice
    from storage.catalogue.county import set_county_facts
    from storage.readmodels import CountyFacts, GdpYear, Leader
    from storage.tables.reminders import reminder_source

    conv = available_converter("libreoffice")
    assert conv is not None, "LibreOffice is installed but not usable"
    with demo_archive.sessions.write() as s:
        set_county_facts(s, CountyFacts(name="示例县", population="52.3", area="1234",
                                        gdp=(GdpYear(2024, "310.2"),), leaders=(Leader("县长", "张三"),),
                                        contact_name="李四", contact_phone="0539-1234567"))
    for code, score in (("1.1.1", "3"), ("1.1.2", "1.5")):
        r = run_cli("score", "set", code, "--score", score, "--note", "示例扣分说明",
                    "--archive", str(demo_archive.root))
        assert r.returncode == 0, r.stderr
    out = tmp_path / "bundle"
    r = run_cli("export", str(out), "--date", "2026-11-20", "--archive", str(demo_archive.root))
    assert r.returncode == 0, r.stderr
    docs = sorted((out / "00 申报文件").glob("*.docx"))
    assert len(docs) == 3, docs
    with demo_archive.sessions.read() as s:
        src = reminder_source(s, dt.date(2026, 11, 20))
    assert src.departments, "the demo archive has departments that still owe evidence"
    docs.append(write_reminder_notice(src, tmp_path / "催办通知（全部单位）.docx"))

    pdf_dir = tmp_path / "pdf"
    pdf_dir.mkdir()
    jobs = [Job(Path(d), pdf_dir / (Path(d).stem + ".pdf")) for d in docs]
    results = conv.to_pdf_many(jobs, timeout=180)
    pages: dict[str, int] = {}
    for job, result in zip(jobs, results):
        assert not isinstance(result, Exception), f"{job.src.name}: {result}"
        reader = PdfReader(str(result))
        pages[job.src.stem] = len(reader.pages)
        text = "".join(p.extract_text() or "" for p in reader.pages[:2])
        assert text.strip(), f"{job.src.name}: no text in the PDF"
    for part, (low, high) in EXPECTED.items():
        hits = [n for stem, n in pages.items() if part in stem]
        assert hits, (part, pages)
        assert all(low <= n <= high for n in hits), (part, hits, (low, high))
    # the notice holds one section per owing department: at least that many pages
    notice = next(n for stem, n in pages.items() if "催办通知" in stem)
    assert notice >= len(src.departments)
