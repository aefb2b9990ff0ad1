"""Print (issue 7, item 4) in the window, offscreen: the page preview of a real PDF (made in
the test by Qt's own PDF writer and read back with pypdf), printing through Qt's print
dialog onto a PDF printer (all pages, then a page range) and reading the output back, the
menu's file choice, the Windows "print" verb behind its small function, and, with
LibreOffice here, the binder PDF made by an export offered for print from the export dialog."""
from __future__ import annotations

import shutil
import sys

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QRect, Qt
from PySide6.QtGui import QAction, QColor, QFont, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QDialog, QMessageBox
from ui_helpers import open_window

from storage.kernel.errors import ArchiveError

WAIT = 60_000
needs_renderer = pytest.mark.skipif(
    __import__("desktop.actions.printing", fromlist=["pdf_renderer"]).pdf_renderer() is None,
    reason="neither pypdfium2 nor pdftoppm renders the pages")


@pytest.fixture
def gui(qtbot, demo_archive):
    def before_close(window, controller):
        for dlg in (controller.export.print_dialog, controller.export.export_dialog):
            if dlg is not None:
                dlg.close()

    with open_window(qtbot, demo_archive, wait=WAIT, before_close=before_close) as opened:
        yield opened


def make_pdf(path, pages: int):
    """An A4 PDF with a black block and "第 n 页" on every page (Qt's PDF writer)."""
    w = QPdfWriter(str(path))
    w.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    w.setResolution(72)
    p = QPainter(w)
    p.setFont(QFont("Noto Sans CJK SC", 28))
    for n in range(1, pages + 1):
        if n > 1:
            w.newPage()
        p.fillRect(QRect(60, 60, 300, 300), QColor("black"))
        p.drawText(60, 460, f"第 {n} 页")
    p.end()
    assert len(PdfReader(str(path)).pages) == pages
    return path


def _preview(qtbot, controller, path):
    with qtbot.waitSignal(controller.export.preview_ready, timeout=WAIT) as sig:
        controller.export.open_print(str(path))
    dlg = sig.args[0]
    assert dlg is controller.export.print_dialog and dlg.isVisible()
    return dlg


@needs_renderer
def test_preview_shows_every_page_of_a_real_pdf(qtbot, gui, tmp_path):
    window, controller = gui
    pdf = make_pdf(tmp_path / "佐证材料汇编.pdf", 3)
    dlg = _preview(qtbot, controller, pdf)
    assert dlg.pages.count() == 3 and dlg.pages_total == 3
    assert dlg.status.text() == "共 3 页。"
    assert [dlg.pages.item(i).text() for i in range(3)] == ["第 1 页", "第 2 页", "第 3 页"]
    img = dlg.page_images()[0]
    assert img.width() > 50 and img.height() > 50
    colours = {img.pixelColor(x, y).lightness() for x in range(0, img.width(), 4)
               for y in range(0, img.height(), 4)}
    assert min(colours) < 40 and max(colours) > 200  # the black block on a white page
    assert dlg.print_btn.isVisible() and dlg.print_btn.isEnabled()
    assert dlg.system_btn.isVisible() == (sys.platform == "win32")


@needs_renderer
def test_print_through_the_qt_print_dialog_to_a_pdf_printer(qtbot, gui, tmp_path):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    window, controller = gui
    pdf = make_pdf(tmp_path / "binder.pdf", 3)
    dlg = _preview(qtbot, controller, pdf)

    def print_to(out, pages=None):
        qtbot.mouseClick(dlg.print_btn, Qt.MouseButton.LeftButton)
        pd = dlg.print_dialog
        assert isinstance(pd, QPrintDialog) and pd.isVisible()
        printer = dlg.printer
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        if pages:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*pages)
        with qtbot.waitSignal(controller.export.printed, timeout=WAIT) as sig:
            pd.done(QDialog.DialogCode.Accepted)
        return sig.args[0]

    out = tmp_path / "printed.pdf"
    assert print_to(out) == 3
    reader = PdfReader(str(out))
    assert len(reader.pages) == 3
    assert all(page.images for page in reader.pages)  # each page carries its rendered image
    assert "已送出打印：3 页" in dlg.status.text() and dlg.close_btn.isEnabled()

    out2 = tmp_path / "pages-2-3.pdf"
    assert print_to(out2, (2, 3)) == 2
    assert len(PdfReader(str(out2)).pages) == 2


@needs_renderer
def test_print_menu_asks_for_a_file(qtbot, gui, tmp_path, monkeypatch):
    window, controller = gui
    pdf = make_pdf(tmp_path / "任意.pdf", 2)
    monkeypatch.setattr("desktop.window.export.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(pdf), ""))
    action = next(a for a in window.findChildren(QAction) if a.text() == "打印装订册或 PDF…")
    with qtbot.waitSignal(controller.export.preview_ready, timeout=WAIT) as sig:
        action.trigger()
    assert sig.args[0].pages.count() == 2


def test_a_damaged_pdf_says_so(qtbot, gui, tmp_path):
    window, controller = gui
    bad = tmp_path / "坏的.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    dlg = _preview(qtbot, controller, bad)
    assert dlg.pages.count() == 0 and "无法读取 PDF" in dlg.status.text()
    assert not dlg.print_btn.isEnabled()


def test_system_print_is_the_windows_print_verb(tmp_path, monkeypatch):
    """The platform part: Windows hands the file to its associated application's "print"
    verb; elsewhere the function refuses with a message (the window hides its button)."""
    from desktop.actions import printing as ce

    path = str(tmp_path / "佐证材料汇编.docx")
    if sys.platform != "win32":
        assert not ce.system_print_available()
        with pytest.raises(ArchiveError) as e:
            ce.system_print(path)
        assert "Windows" in e.value.zh
        calls = []
        monkeypatch.setattr(ce.sys, "platform", "win32")
        monkeypatch.setattr(ce.os, "startfile", lambda p, verb: calls.append((p, verb)), raising=False)
        assert ce.system_print_available()
        ce.system_print(path)
        assert calls == [(path, "print")]


@needs_renderer
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice makes the binder PDF")
def test_binder_pdf_from_the_export_dialog_goes_to_print_preview(qtbot, gui, tmp_path):
    window, controller = gui
    with qtbot.waitSignal(controller.export.preflight_done, timeout=WAIT):
        window.export_action.trigger()
    dlg = controller.export.export_dialog
    dlg.target.setText(str(tmp_path / "申报材料"))
    dlg.date.setDate(QDate(2026, 3, 1))
    dlg.binders.setChecked(True)
    with qtbot.waitSignal(controller.export.export_done, timeout=180_000) as sig:
        qtbot.mouseClick(dlg.export_btn, Qt.MouseButton.LeftButton)
        box = dlg.confirm_box
        assert isinstance(box, QMessageBox)
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "仍要导出"), Qt.MouseButton.LeftButton)
    binder_pdf = sig.args[0]["binders"]["pdf"][0]
    pages = len(PdfReader(binder_pdf).pages)
    assert dlg.print_binder.isVisible() and dlg.print_binder.isEnabled()
    with qtbot.waitSignal(controller.export.preview_ready, timeout=WAIT) as sig:
        qtbot.mouseClick(dlg.print_binder, Qt.MouseButton.LeftButton)
    preview = sig.args[0]
    assert preview.pdf_path == binder_pdf and preview.pages_total == pages
    assert preview.pages.count() == min(pages, 150) and f"共 {pages} 页" in preview.status.text()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="compares with pdftoppm")
def test_pdfium_renders_the_pages_pdftoppm_renders(tmp_path, monkeypatch):
    """The built-in renderer (pypdfium2, what Windows PCs use) gives the same pages as
    poppler's pdftoppm: same count, same size, the black block where it was drawn."""
    from PySide6.QtGui import QImage

    from desktop.actions import printing as ce

    pdf = make_pdf(tmp_path / "三页.pdf", 3)
    assert ce.pdf_renderer() == "pdfium"
    by_pdfium = ce.render_pdf_pages(pdf, dpi=40, first=2)
    monkeypatch.setattr(ce, "pdf_renderer", lambda: shutil.which("pdftoppm"))
    by_poppler = ce.render_pdf_pages(pdf, dpi=40, first=2)
    assert len(by_pdfium) == len(by_poppler) == 2
    for a, b in zip(by_pdfium, by_poppler):
        ia, ib = QImage.fromData(a), QImage.fromData(b)
        assert abs(ia.width() - ib.width()) <= 1 and abs(ia.height() - ib.height()) <= 1
        # inside the black block (60..360 pt at 40 dpi: 33..200 px) both are dark
        for img in (ia, ib):
            assert QColor(img.pixel(100, 100)).lightness() < 40
            assert QColor(img.pixel(img.width() - 5, img.height() - 5)).lightness() > 200
    damaged = tmp_path / "坏.pdf"
    damaged.write_bytes(b"%PDF-1.4 not really")
    monkeypatch.setattr(ce, "pdf_renderer", lambda: "pdfium")
    with pytest.raises(ArchiveError) as err:
        ce.render_pdf_pages(damaged, dpi=40)
    assert "坏.pdf" in err.value.zh
