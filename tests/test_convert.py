"""PDF conversion: LibreOffice for real (several files in one soffice start, own profiles so
parallel runs do not collide, clear errors, timeout, cancel), and Microsoft Office / WPS
through the same interface with a fake COM dispatch injected (the Windows part isolated)."""
from __future__ import annotations

import os
import shutil
import stat
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader, PdfWriter
from test_gbt9704 import sample_document

from exporters import convert
from exporters.convert import ConversionError, Job, LibreOfficeConverter
from exporters.convert_win import OfficeComConverter, office_converter
from exporters.converters import available_converter
from storage.kernel.errors import Cancelled

needs_soffice = pytest.mark.skipif(convert.find_soffice() is None, reason="LibreOffice not installed")


def _xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指标", "分值", "自评得分"])
    for i in range(1, 40):
        ws.append([f"1.{i} 质量基础", 5, 4])
    wb.save(path)
    return path


@needs_soffice
def test_libreoffice_converts_many_in_one_start_and_reports_failures(tmp_path):
    docx = sample_document(tmp_path / "公文样例.docx")
    xlsx = _xlsx(tmp_path / "自评表.xlsx")
    stored = tmp_path / "ab12cd"                    # a stored file: no extension
    shutil.copyfile(docx, stored)
    broken = tmp_path / "损坏.docx"
    broken.write_bytes(b"PK\x03\x04 this is not really a docx")
    conv = LibreOfficeConverter()
    seen = []
    out = tmp_path / "pdf"
    results = conv.to_pdf_many(
        [Job(docx, out / "a.pdf"), Job(xlsx, out / "b.pdf"),
         Job(stored, out / "c.pdf", suffix=".docx", name="会议纪要.docx"),
         Job(broken, out / "d.pdf"), Job(tmp_path / "照片.png", out / "e.pdf")],
        progress=lambda d, t, s="": seen.append((d, t)))
    a, b, c, d, e = results
    assert isinstance(a, Path) and isinstance(b, Path) and isinstance(c, Path)
    # the GB/T sample: 40 paragraphs of 2 lines + title + table, 22 lines a page
    pages = PdfReader(a).pages
    assert 3 <= len(pages) <= 7
    box = pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842    # A4
    text = pages[0].extract_text()
    assert "沂水县创建质量强县工作方案" in text.replace(" ", "")
    assert "— 1 —" in text or "—1—" in text.replace(" ", "")
    assert "— 2 —" in pages[1].extract_text() or "—2—" in pages[1].extract_text().replace(" ", "")
    assert len(PdfReader(c).pages) == len(pages)
    assert 1 <= len(PdfReader(b).pages) <= 3
    assert isinstance(d, ConversionError)
    assert d.zh.startswith("无法把《损坏.docx》转换为 PDF") and "cannot convert 损坏.docx" in d.en
    assert isinstance(e, ConversionError) and ".png" in d.en + e.en
    assert not (out / "d.pdf").exists() and not list(out.glob("*.partial"))
    assert seen[-1] == (5, 5)


@needs_soffice
def test_parallel_conversions_use_their_own_profiles(tmp_path):
    docx = sample_document(tmp_path / "s.docx")
    results: dict[int, Path] = {}

    def run(n: int) -> None:
        results[n] = LibreOfficeConverter().to_pdf(docx, tmp_path / f"out{n}")

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(results) == [0, 1]
    for p in results.values():
        assert p.name == "s.pdf" and len(PdfReader(p).pages) >= 3


def _fake_soffice(tmp_path: Path, body: str) -> str:
    exe = tmp_path / "fake-soffice"
    exe.write_text("#!/bin/sh\n" + body + "\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return str(exe)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell script as fake soffice")
def test_timeout_kills_the_conversion_and_says_so(tmp_path):
    src = tmp_path / "a.docx"
    src.write_bytes(b"x")
    conv = LibreOfficeConverter(_fake_soffice(tmp_path, "sleep 60"), replacements={}, start_grace=0)
    t0 = time.monotonic()
    with pytest.raises(ConversionError) as ei:
        conv.to_pdf(src, tmp_path, timeout=0.5)
    assert time.monotonic() - t0 < 10
    assert "超过" in ei.value.zh and "did not finish" in ei.value.en
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell script as fake soffice")
def test_cancel_stops_the_conversion(tmp_path):
    src = tmp_path / "a.docx"
    src.write_bytes(b"x")
    conv = LibreOfficeConverter(_fake_soffice(tmp_path, "sleep 60"), replacements={}, start_grace=0)
    flag = {"n": 0}

    def cancel() -> bool:
        flag["n"] += 1
        return flag["n"] > 3

    t0 = time.monotonic()
    with pytest.raises(Cancelled):
        conv.to_pdf(src, tmp_path, cancel=cancel)
    assert time.monotonic() - t0 < 10
    assert not (tmp_path / "a.pdf").exists()


def test_font_replacements_follow_the_resolver():
    fams = ["仿宋", "SimSun", "Noto Sans CJK SC"]
    rep = convert.font_replacements(fams)
    assert rep["仿宋_GB2312"] == "仿宋"
    assert rep["方正小标宋简体"] == "SimSun"
    assert "宋体" not in rep                      # installed as SimSun: nothing to replace
    assert rep["黑体"] == "Noto Sans CJK SC"
    xcu = convert._profile_xcu(rep)
    assert "<value>仿宋_GB2312</value>" in xcu and "<value>仿宋</value>" in xcu


def test_available_converter_is_chosen_at_run_time(monkeypatch):
    monkeypatch.setenv("EVIDENCE_DESK_CONVERTER", "none")
    assert available_converter() is None
    monkeypatch.setenv("EVIDENCE_DESK_CONVERTER", "bogus")
    with pytest.raises(ConversionError) as ei:
        available_converter()
    assert "未知的转换程序" in ei.value.zh
    monkeypatch.delenv("EVIDENCE_DESK_CONVERTER")
    conv = available_converter()
    if convert.find_soffice():
        assert isinstance(conv, LibreOfficeConverter)
    if sys.platform != "win32":
        assert office_converter("word") is None and office_converter("wps") is None


# --- Microsoft Office / WPS through COM, with a fake dispatch -----------------------------


def _write_pdf(path: str, pages: int = 1) -> None:
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(595, 842)
    with open(path, "wb") as f:
        w.write(f)


class FakeDoc:
    def __init__(self, app, path, *, export=True):
        self.app, self.path = app, path
        if not export:
            self.ExportAsFixedFormat = None  # WPS 2016: no ExportAsFixedFormat

    def ExportAsFixedFormat(self, out, fmt):
        self.app.calls.append(("ExportAsFixedFormat", Path(out).suffix, fmt))
        _write_pdf(out, 2)

    def SaveAs2(self, out, fmt):
        self.app.calls.append(("SaveAs2", Path(out).suffix, fmt))
        _write_pdf(out, 3)

    def Close(self, save):
        self.app.calls.append(("Close", save))


class FakeCollection:
    def __init__(self, app, make):
        self.app, self.make = app, make

    def Open(self, path, *args):
        self.app.calls.append(("Open", Path(path).suffix, args))
        if self.app.fail_on and self.app.fail_on in Path(path).read_bytes().decode("latin-1"):
            raise OSError("文档已加密 (-2146822880)")
        if self.app.hang:
            time.sleep(self.app.hang)
        return self.make(self.app, path)


class FakeWorkbook:
    def __init__(self, app, path):
        self.app = app

    def ExportAsFixedFormat(self, kind, out):
        self.app.calls.append(("WorkbookExport", kind, Path(out).suffix))
        _write_pdf(out, 1)

    def Close(self, save):
        self.app.calls.append(("WorkbookClose", save))


class FakeApp:
    def __init__(self, progid, *, export=True, fail_on=None, hang=0.0):
        self.progid, self.calls, self.fail_on, self.hang = progid, [], fail_on, hang
        self.Documents = FakeCollection(self, lambda a, p: FakeDoc(a, p, export=export))
        self.Workbooks = FakeCollection(self, FakeWorkbook)
        self.quit = False

    def Quit(self):
        self.quit = True


def _jobs(tmp_path: Path) -> list[Job]:
    (tmp_path / "src").mkdir()
    files = {"通知.docx": b"doc", "ab12": b"stored doc", "表.xlsx": b"xls",
             "演示.pptx": b"ppt", "坏.doc": b"ENCRYPTED"}
    for name, data in files.items():
        (tmp_path / "src" / name).write_bytes(data)
    s = tmp_path / "src"
    out = tmp_path / "out"
    return [Job(s / "通知.docx", out / "1.pdf"), Job(s / "ab12", out / "2.pdf", suffix=".wps"),
            Job(s / "表.xlsx", out / "3.pdf"), Job(s / "演示.pptx", out / "4.pdf"),
            Job(s / "坏.doc", out / "5.pdf")]


def test_word_through_com_with_a_fake_dispatch(tmp_path):
    apps: dict[str, FakeApp] = {}

    def dispatch(progid):
        apps[progid] = FakeApp(progid, fail_on="ENCRYPTED")
        return apps[progid]

    registered = {"Word.Application", "Excel.Application"}          # no PowerPoint
    conv = office_converter("word", dispatch=dispatch, progid_exists=registered.__contains__)
    assert isinstance(conv, OfficeComConverter) and conv.name == "Microsoft Office"
    assert conv.handles(".docx") and conv.handles(".et") and not conv.handles(".pptx")
    r = conv.to_pdf_many(_jobs(tmp_path))
    assert [type(x).__name__ for x in r] == ["PosixPath" if os.name != "nt" else "WindowsPath"] * 3 + [
        "ConversionError", "ConversionError"]
    assert len(PdfReader(r[0]).pages) == 2 and len(PdfReader(r[2]).pages) == 1
    word = apps["Word.Application"]
    # opened read-only from a staged copy carrying the right extension, exported as PDF (17)
    assert ("Open", ".docx", (False, True, False)) in word.calls
    assert ("Open", ".wps", (False, True, False)) in word.calls
    assert ("ExportAsFixedFormat", ".pdf", 17) in word.calls
    assert word.calls.count(("Close", 0)) == 2 and word.quit
    excel = apps["Excel.Application"]
    assert ("WorkbookExport", 0, ".pdf") in excel.calls and excel.quit
    assert "不能转换 .pptx" in r[3].zh
    assert "坏.doc" in r[4].zh and "文档已加密" in r[4].zh and "Microsoft Office reported" in r[4].en
    assert word.Visible is False and word.DisplayAlerts == 0


def test_wps_through_com_falls_back_to_saveas(tmp_path):
    apps: dict[str, FakeApp] = {}

    def dispatch(progid):
        apps[progid] = FakeApp(progid, export=False)
        return apps[progid]

    conv = office_converter("wps", dispatch=dispatch,
                            progid_exists={"KWPS.Application", "KET.Application"}.__contains__)
    assert conv.describe() == "WPS Office (KET.Application, KWPS.Application)"
    pdf = conv.to_pdf(_jobs(tmp_path)[0].src, tmp_path / "pdf")
    assert pdf == tmp_path / "pdf" / "通知.pdf" and len(PdfReader(pdf).pages) == 3
    assert ("SaveAs2", ".pdf", 17) in apps["KWPS.Application"].calls
    assert office_converter("wps", dispatch=dispatch, progid_exists=lambda p: False) is None


def test_com_timeout_and_cancel(tmp_path):
    jobs = _jobs(tmp_path)
    conv = office_converter("word", dispatch=lambda p: FakeApp(p, hang=2.0),
                            progid_exists=lambda p: True)
    t0 = time.monotonic()
    r = conv.to_pdf_many(jobs[:2], timeout=0.3)
    assert time.monotonic() - t0 < 1.8
    assert all(isinstance(x, ConversionError) for x in r)
    assert "超过" in r[0].zh and "did not finish" in r[1].en
    with pytest.raises(Cancelled):
        conv.to_pdf_many(jobs[:2], timeout=5, cancel=lambda: True)
