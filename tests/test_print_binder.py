"""Binders for print: the Word binder opened back with python-docx (cover, contents field with
its static list, dividers, catalogue numbered as in the bundle), every Word output converted
by LibreOffice, and the merged PDF opened back with pypdf (page count, bookmarks per
indicator, the placeholder page of an OFD file, page numbers that match the PDF)."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import run_cli
from lxml import etree
from pypdf import PdfReader, PdfWriter
from test_gbt9704 import sample_document
from test_print_upload_ready import big_photo

from desktop.actions.printing import build_binders
from exporters import convert
from exporters.bundle import plan_bundle
from storage.bundle.sources import bundle_source
from storage.catalogue.ingest import ingest_paths
from storage.kernel.errors import ArchiveError, Cancelled

needs_soffice = pytest.mark.skipif(convert.find_soffice() is None, reason="LibreOffice not installed")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DAY = dt.date(2024, 6, 1)


def _pdf(path: Path, pages: int) -> Path:
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(595, 842)
    with open(path, "wb") as f:
        w.write(f)
    return path


@pytest.fixture
def archive_with_mixed_evidence(demo_archive, tmp_path):
    """The demo archive plus a 3-page PDF, a big photo, a GB/T Word file and an OFD."""
    src = tmp_path / "incoming"
    src.mkdir()
    _pdf(src / "质量工作会议纪要.pdf", 3)
    big_photo(src / "质量月现场照片.jpg", (2400, 1800))
    sample_document(src / "沂水县质量强县工作方案.docx")
    (src / "营业执照电子证照.ofd").write_bytes(b"PK\x03\x04 OFD document")
    for name, code in (("质量工作会议纪要.pdf", "1.1.2"), ("质量月现场照片.jpg", "1.2.1"),
                       ("沂水县质量强县工作方案.docx", "2.1.1"), ("营业执照电子证照.ofd", "3.1.1")):
        report = ingest_paths(demo_archive, [src / name], indicator_code=code)
        assert report.count("stored") == 1
    return demo_archive


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    out = []

    def walk(items, depth):
        for it in items:
            if isinstance(it, list):
                walk(it, depth + 1)
            else:
                out.append((depth, it.title, reader.get_destination_page_number(it)))

    walk(reader.outline, 0)
    return out


@needs_soffice
def test_binder_pdf_merged_with_bookmarks_placeholders_and_page_numbers(archive_with_mixed_evidence, tmp_path):
    archive = archive_with_mixed_evidence
    seen = []
    result = build_binders(archive, tmp_path / "binders", export_date=DAY,
                           converter=convert.LibreOfficeConverter(),
                           progress=lambda d, t, s="": seen.append((d, t)))
    assert result.converter.startswith("LibreOffice") and not result.message_zh
    assert [Path(p).name for p in result.docx] == ["佐证材料汇编.docx"]
    pdf = Path(result.pdf[0])
    reader = PdfReader(pdf)
    pages = len(reader.pages)
    assert pages == result.pages[0]
    # 14 evidence files: 10 demo documents (1-2 pages each when converted), a 3-page PDF,
    # a photo (1), the 5-page GB/T sample (3-7 pages here), an OFD placeholder (1); plus
    # cover + contents (2-4) and per level-1 indicator a divider and a catalogue (4 x 2-3)
    assert 30 <= pages <= 60

    outline = _outline(reader)
    titles = [t for _, t, _ in outline]
    with archive.sessions.read() as s:
        source = bundle_source(s)
    plan = plan_bundle(source)
    # one bookmark per level-1 indicator, per indicator, per evidence file (bundle numbering)
    for l1 in ("1 质量发展理念", "2 质量发展保障", "3 质量发展基础", "4 质量发展成效"):
        assert (0, l1) in [(d, t) for d, t, _ in outline]
    for ind in source.indicators:
        assert (1, f"{ind.code} {ind.title}") in [(d, t) for d, t, _ in outline], ind.code
    numbered = [t for d, t, _ in outline if d == 2]
    assert len(numbered) == len(plan.files)
    for f in plan.files:
        name = f.path.rsplit("/", 1)[-1]
        assert name.rsplit(".", 1)[0] in numbered
    assert titles[0] == "封面与目录"

    # the OFD file: a placeholder page naming it and where it is in the bundle
    ofd_plan = next(f for f in plan.files if f.original_name.endswith(".ofd"))
    ofd_page = next(p for d, t, p in outline if d == 2 and t.endswith("营业执照电子证照"))
    text = reader.pages[ofd_page].extract_text().replace(" ", "").replace("\n", "")
    assert "营业执照电子证照" in text and "OFD" in text
    assert ofd_plan.path.replace(" ", "") in text
    assert [p.bundle_path for p in result.placeholders] == [ofd_plan.path]

    # the 3-page PDF is merged whole, after its indicator's bookmark
    minutes = next(p for d, t, p in outline if d == 2 and t.endswith("质量工作会议纪要"))
    nxt = sorted(p for _, _, p in outline if p > minutes)[0]
    assert nxt - minutes == 3

    # page numbers: the contents lists each level-1 divider at its PDF page, and the
    # divider's footer shows that number ("— n —")
    contents = "".join(reader.pages[i].extract_text() for i in range(1, 3))
    for d, t, p in outline:
        if d == 0 and t != "封面与目录":
            assert f"{t}" in contents.replace("\u3000", " ")
            footer = reader.pages[p].extract_text()
            assert f"— {p + 1} —" in footer or f"—{p + 1}—" in footer.replace(" ", "")
    assert seen and seen[-1][0] == seen[-1][1]

    # the Word binder carries the same numbering and is itself convertible
    d = docx.Document(result.docx[0])
    cat_rows = [[c.text for c in r.cells] for t in d.tables for r in t.rows[1:]]
    assert len(cat_rows) == len(plan.files)
    minutes_row = next(r for r in cat_rows if r[1] == "质量工作会议纪要")
    minutes_plan = next(f for f in plan.files if f.original_name == "质量工作会议纪要.pdf")
    assert minutes_row[0] == minutes_plan.path.rsplit("/", 1)[-1].split(" ")[0] == "02"
    assert minutes_row[3] == str(minutes + 1)


def _word_checks(path: Path, *, county: str = "") -> None:
    d = docx.Document(str(path))
    texts = [p.text for p in d.paragraphs]
    assert "佐证材料汇编" in texts and "2024年6月1日" in texts
    assert "目  录" in texts
    for l1 in ("1 质量发展理念", "2 质量发展保障", "3 质量发展基础", "4 质量发展成效"):
        assert l1 in texts                                     # divider
        assert f"{l1} 佐证材料目录" in texts                    # catalogue title
    assert "（暂无材料）" in texts
    assert d.settings.odd_and_even_pages_header_footer
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    instr = "".join(t.text for t in root.iter(f"{{{W}}}instrText"))
    assert "TOC \\o" in instr
    for r in root.iter(f"{{{W}}}r"):
        rf = r.find(f"{{{W}}}rPr/{{{W}}}rFonts")
        assert rf is not None and rf.get(f"{{{W}}}eastAsia")
    # the static list inside the field names every indicator before Word updates it
    toc_text = [p.text for p in d.paragraphs if p.style.name.startswith("toc")]
    assert any(t.startswith("1.1.1 示例") for t in toc_text)


@needs_soffice
def test_word_binders_without_pdf_and_each_converts(archive_with_mixed_evidence, tmp_path):
    archive = archive_with_mixed_evidence
    one = build_binders(archive, tmp_path / "one", export_date=DAY, pdf=False)
    assert one.pdf == [] and "没有可用的 PDF 转换程序" in one.message_zh and "no PDF converter" in one.message_en
    _word_checks(Path(one.docx[0]))
    vols = build_binders(archive, tmp_path / "vols", export_date=DAY, pdf=False, per_level1=True)
    assert [Path(p).name for p in vols.docx] == [
        "佐证材料汇编 第1册 1 质量发展理念.docx", "佐证材料汇编 第2册 2 质量发展保障.docx",
        "佐证材料汇编 第3册 3 质量发展基础.docx", "佐证材料汇编 第4册 4 质量发展成效.docx"]
    d = docx.Document(vols.docx[1])
    texts = [p.text for p in d.paragraphs]
    assert "第2册" in texts and "2 质量发展保障" in texts and "1 质量发展理念" not in texts
    # every Word output converted by LibreOffice (one soffice start), page counts in range
    conv = convert.LibreOfficeConverter()
    docs = [Path(p) for p in one.docx + vols.docx]
    results = conv.to_pdf_many([convert.Job(p, tmp_path / "pdf" / f"{n}.pdf") for n, p in enumerate(docs)])
    counts = [len(PdfReader(r).pages) for r in results]
    assert 9 <= counts[0] <= 20          # cover, contents, 4 x (divider + catalogue)
    for c in counts[1:]:
        assert 3 <= c <= 7                # cover, contents, divider, catalogue
    first = PdfReader(results[0])
    assert round(float(first.pages[0].mediabox.width)) == 595


def test_no_framework_refused_and_cancel_leaves_nothing(archive, demo_archive, tmp_path):
    with pytest.raises(ArchiveError) as ei:
        build_binders(archive, tmp_path / "x", export_date=DAY, pdf=False)
    assert "还没有指标体系" in ei.value.zh
    with pytest.raises(Cancelled):
        build_binders(demo_archive, tmp_path / "y", export_date=DAY, pdf=False, cancel=lambda: True)
    assert not (tmp_path / "y").exists() and not list(tmp_path.glob(".y.partial*"))
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a.txt").write_text("x")
    with pytest.raises(ArchiveError) as ei:
        build_binders(demo_archive, tmp_path / "full", export_date=DAY, pdf=False)
    assert "不是空的" in ei.value.zh


def test_cli_binder_no_pdf(demo_archive, tmp_path):
    root = str(demo_archive.root)
    demo_archive.close()
    r = run_cli("binder", str(tmp_path / "out"), "--no-pdf", "--date", "2024-06-01", "--archive", root)
    assert r.returncode == 0, r.stderr
    assert "Word 装订册" in r.stdout and (tmp_path / "out" / "佐证材料汇编.docx").is_file()
    _word_checks(tmp_path / "out" / "佐证材料汇编.docx")
    r = run_cli("binder", str(tmp_path / "out"), "--no-pdf", "--archive", root)
    assert r.returncode == 2 and r.stderr.startswith("错误：") and "(error:" in r.stderr
