"""Print and PDF actions: the binders for print, the PDF-only copy of a bundle for upload,
and the PDF page rendering and conversion that the print preview and printing use.

No Qt here: the window's print dialog and the command line call these the same way.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from exporters.binder import BinderResult, make_binders
from exporters.convert import OFFICE_EXTS, Converter
from exporters.converters import available_converter
from exporters.upload_ready import UploadReadyReport, pdf_only_bundle
from storage.bundle.sources import bundle_source
from storage.catalogue.county import county_facts
from storage.catalogue.queries import indicator_tree
from storage.core.archive import Archive
from storage.kernel.errors import ArchiveError, BadInput
from storage.kernel.progress import ProgressFn, never_cancel, no_progress


def build_binders(archive: Archive, outdir: str | Path, *, export_date: dt.date,
                  converter: Converter | None = None, pdf: bool = True, per_level1: bool = False,
                  progress: ProgressFn = no_progress,
                  cancel: Callable[[], bool] = never_cancel) -> BinderResult:
    """Binders of the archive's current framework into `outdir` (new or empty).

    `converter`: an `exporters.convert.Converter`; None picks the one this computer has
    (`available_converter`), and `pdf=False` makes the Word binders only. The result's
    message says when no PDF could be made. A cancel leaves no partial binder."""
    with archive.sessions.read() as s:
        source = bundle_source(s)
        if source.framework_id is None:
            raise BadInput("档案库中还没有指标体系，无法生成装订册",
                           "the archive has no indicator framework yet; no binder to make")
        tree = indicator_tree(s, source.framework_id)
        county = county_facts(s).name
    by_id = {n.id: n for n in tree}
    level1_of: dict[int, tuple[str, str]] = {}
    for n in tree:
        top = n
        while top.parent_id is not None and top.parent_id in by_id:
            top = by_id[top.parent_id]
        level1_of[n.id] = (top.code, top.title)
    conv = (converter or available_converter()) if pdf else None
    return make_binders(source, archive.files.path_for, outdir, export_date=export_date,
                        level1_of=level1_of, county=county, converter=conv,
                        per_level1=per_level1, progress=progress, cancel=cancel)


def pick_converter(name: str | None) -> Converter | None:
    """The PDF converter asked for by name, or the one this computer has; a named converter
    that is not usable here is refused."""
    conv = available_converter(name) if name else available_converter()
    if name and conv is None:
        raise BadInput(f"本机无法使用指定的转换程序：{name}", f"the converter {name} is not usable here")
    return conv


def make_upload_ready(bundle: str | Path, outdir: str | Path, *, export_date: dt.date, max_mb: float,
                      converter: Converter | None, progress: ProgressFn = no_progress,
                      cancel: Callable[[], bool] = never_cancel) -> UploadReadyReport:
    """A copy of an exported bundle folder with every file as a PDF under `max_mb` MB."""
    if max_mb <= 0:
        raise BadInput("--max-mb 应大于 0", "--max-mb must be above 0")
    return pdf_only_bundle(bundle, outdir, export_date=export_date, max_bytes=int(max_mb * 1024 * 1024),
                           converter=converter, progress=progress, cancel=cancel)


def pdf_renderer() -> str | None:
    """What renders PDF pages here: "pdfium" (pypdfium2, a dependency: Windows and Linux
    alike), else pdftoppm (poppler-utils) if installed, else None."""
    try:
        import pypdfium2  # noqa: F401  (an optional component in some builds)
    except ImportError:
        return shutil.which("pdftoppm")
    return "pdfium"


_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe: one call into it at a time


def _render_with_pdfium(path: str | Path, *, dpi: int, first: int, last: int | None) -> list[bytes]:
    import io

    import pypdfium2 as pdfium

    out: list[bytes] = []
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as e:
            raise ArchiveError(f"无法生成页面图像：{Path(path).name}（{e}）",
                               f"cannot render the pages of {Path(path).name} ({e})") from e
        try:
            end = min(len(doc), last if last is not None else len(doc))
            for i in range(first - 1, end):
                page = doc[i]
                try:
                    image = page.render(scale=dpi / 72).to_pil()
                finally:
                    page.close()
                buf = io.BytesIO()
                image.save(buf, "PNG")
                out.append(buf.getvalue())
        finally:
            doc.close()
    return out


def pdf_page_count(path: str | Path) -> int:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ArchiveError(f"PDF 已加密，无法预览：{path}", f"the PDF is encrypted: {path}")
        return len(reader.pages)
    except ArchiveError:
        raise
    except Exception as e:
        raise ArchiveError(f"无法读取 PDF（文件可能已损坏）：{Path(path).name}",
                           f"cannot read the PDF (it may be damaged): {Path(path).name} ({e})") from e


def render_pdf_pages(path: str | Path, *, dpi: int, first: int = 1, last: int | None = None,
                     timeout: float = 300.0) -> list[bytes]:
    """Pages `first`..`last` of a PDF as PNG bytes, rendered by PDFium (pypdfium2) or pdftoppm."""
    exe = pdf_renderer()
    if exe == "pdfium":
        return _render_with_pdfium(path, dpi=dpi, first=first, last=last)
    if exe is None:
        raise ArchiveError("本机没有 PDF 页面渲染程序（pdftoppm），无法在程序内预览或打印",
                           "no PDF page renderer (pdftoppm) on this computer")
    with tempfile.TemporaryDirectory(prefix="evidence-desk-pages-") as tmp:
        cmd = [exe, "-png", "-r", str(int(dpi)), "-f", str(first)]
        if last is not None:
            cmd += ["-l", str(last)]
        cmd += [str(path), str(Path(tmp) / "p")]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise ArchiveError(f"生成页面图像超时：{Path(path).name}",
                               f"rendering the pages timed out: {Path(path).name}") from None
        pages = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if proc.returncode != 0 or not pages:
            why = proc.stderr.decode("utf-8", "replace").strip()[:200]
            raise ArchiveError(f"无法生成页面图像：{Path(path).name}（{why}）",
                               f"cannot render the pages of {Path(path).name} ({why})")
        return [p.read_bytes() for p in pages]


def system_print_available() -> bool:
    return sys.platform == "win32" and hasattr(os, "startfile")


def system_print(path: str) -> None:
    """Windows: the application associated with the file prints it (its "print" verb: the
    PDF reader for a PDF, Word or WPS for a .docx)."""
    if not system_print_available():
        raise ArchiveError("只有在 Windows 上才能交给关联程序打印；请用“打印…”",
                           "printing through the associated application needs Windows")
    try:
        os.startfile(path, "print")  # type: ignore[attr-defined]
    except OSError as e:
        raise ArchiveError(f"没有能打印这种文件的程序：{Path(path).name}（{e.strerror or e}）",
                           f"no application prints this file: {Path(path).name} ({e})") from e


def preview_pdf(path: str, workdir: Path, cancel: Callable[[], bool]) -> str:
    """The PDF to preview and print for `path`: itself, or a Word/Excel file converted with
    the converter this computer has (exporters.convert) into `workdir`."""
    if path.lower().endswith(".pdf"):
        return path
    if Path(path).suffix.lower() not in OFFICE_EXTS:
        raise ArchiveError(f"只能预览 PDF 或 Word/Excel 文件：{Path(path).name}",
                           f"only PDF and office files can be previewed: {Path(path).name}")
    conv = available_converter()
    if conv is None:
        raise ArchiveError("本机没有 PDF 转换程序（Microsoft Office、WPS 或 LibreOffice），无法预览 Word 文件；"
                           "可用系统程序打开或打印",
                           "no PDF converter here to preview a Word file")
    return str(conv.to_pdf(path, workdir, cancel=cancel))
