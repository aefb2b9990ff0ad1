"""`evidence-desk --self-test`: the program checks itself and exits.

Run on a clerk's PC after installing (or by scripts/build.sh on the built folder), it does the
first minutes of real work in a temporary folder whose name has Chinese characters and a
space, through the same functions the window and the command line use:

    create an archive → import the sample framework and responsibility table (the .xlsx files
    in resources/demo) → store a Word file (made with python-docx, so its template must be
    there) linked to a leaf indicator → verify the archive → export the bundle as a .zip →
    verify the bundle → open the main window offscreen, render it, close it (and check that
    Qt's JPEG plugin and Chinese texts are found: a build missing them still starts)

Each step prints "✓ name (time)" or "✗ name: reason"; after the first failure the rest are
listed as not run (they depend on it). Exit code 0 only when every step passed, else 1.
Nothing outside the temporary folder is touched: no settings, no "last archive".
"""
from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import resources
from desktop.actions.printing import pdf_renderer, render_pdf_pages
from desktop.version import VERSION
from desktop.window.app import ensure_app
from desktop.window.screenshots import render_view
from exporters.bundle import plan_bundle, write_zip
from exporters.manifest import verify_bundle
from exporters.upload_ready import image_to_pdf
from storage.bundle.sources import bundle_source
from storage.catalogue.ingest import ingest_paths
from storage.core.archive import Archive
from storage.durability.verify import verify_archive
from storage.kernel.errors import ArchiveError
from storage.tables.duties_import import import_duties
from storage.tables.framework_import import import_framework

EXIT_OK, EXIT_FAILED = 0, 1
OK_MARK, FAIL_MARK, SKIP_MARK = "✓", "✗", "·"
# A Chinese Windows console or a redirected stdout may be GBK (cp936), which has no ✓ ✗.
GBK_MARKS = ("√", "×", "·")
FOLDER_NAME = "自检 档案库"          # Chinese and a space, as clerks name folders


@dataclass
class StepResult:
    key: str
    title: str
    ok: bool | None            # None: not run
    seconds: float = 0.0
    detail: str = ""


@dataclass
class SelfTestReport:
    version: str
    python: str
    system: str
    frozen: bool
    steps: list[StepResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "version": self.version,
            "python": self.python,
            "system": self.system,
            "frozen": self.frozen,
            "steps": [s.__dict__ for s in self.steps],
        }


class _Context:
    """What the steps hand on to each other."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.archive: Any = None
        self.leaf_code = ""
        self.bundle: Path | None = None


# --- the steps ------------------------------------------------------------------------------


def _create(ctx: _Context) -> str:
    ctx.archive = Archive.create(ctx.tmp / FOLDER_NAME)
    if not (ctx.archive.root / "archive.sqlite3").is_file():
        raise AssertionError("archive.sqlite3 was not created")
    return str(ctx.archive.root)


def _import_tables(ctx: _Context) -> str:
    fw = import_framework(ctx.archive, resources.path("demo", "示例_指标体系.xlsx"))
    if not fw.written or not fw.items:
        raise AssertionError("the sample framework was not written")
    codes = [i["code"] for i in fw.items]
    leaves = [c for c in codes if not any(o.startswith(c + ".") for o in codes)]
    ctx.leaf_code = leaves[0]
    du = import_duties(ctx.archive, resources.path("demo", "示例_责任分解表.xlsx"))
    if not du.written or not du.items:
        raise AssertionError("the sample responsibility table was not written")
    return f"{len(fw.items)} 项指标，{len(du.items)} 项任务"


def _ingest(ctx: _Context) -> str:
    import docx


    source = ctx.tmp / "县市场监管局 来件"
    source.mkdir()
    path = source / "自检：关于成立质量强县工作领导小组的通知.docx"
    doc = docx.Document()
    doc.add_heading("自检文件", level=1)
    doc.add_paragraph(f"Evidence Desk {VERSION} 自检生成，可删除。")
    doc.save(str(path))
    report = ingest_paths(ctx.archive, [path], department="县市场监管局",
                          indicator_code=ctx.leaf_code)
    if report.count("stored") != 1:
        reasons = "; ".join(i.reason for i in report.items) or "nothing stored"
        raise AssertionError(reasons)
    return f"{path.name} → {ctx.leaf_code}"


def _verify_archive(ctx: _Context) -> str:
    report = verify_archive(ctx.archive)
    if not report.ok:
        raise AssertionError("; ".join(f"{p.kind}: {p.path} {p.detail}" for p in report.problems))
    return f"{report.files_checked} 个文件"


def _export(ctx: _Context) -> str:
    import datetime as dt


    with ctx.archive.sessions.read() as s:
        source = bundle_source(s)
    plan = plan_bundle(source)
    result = write_zip(plan, ctx.tmp / "材料包.zip", ctx.archive.files.path_for,
                       export_date=dt.date.today())
    if result.files < 1:
        raise AssertionError("the bundle holds no files")
    ctx.bundle = Path(result.path)
    return f"{result.files} 个文件，{len(plan.folders)} 个指标文件夹"


def _verify_bundle(ctx: _Context) -> str:
    assert ctx.bundle is not None
    check = verify_bundle(ctx.bundle)
    if not check.ok or check.checked < 1:
        raise AssertionError(f"missing {check.missing}, changed {check.changed}, extra {check.extra}")
    return f"{check.checked} 个文件与清单一致"


def _window(ctx: _Context) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QImageReader
    from PySide6.QtWidgets import QApplication


    app = ensure_app()
    previous = _quiet_offscreen_notes()
    try:
        window, controller, pixmap = render_view(ctx.archive, "main", size=(1024, 700))
        try:
            if pixmap.isNull() or pixmap.width() < 100:
                raise AssertionError("the window rendered nothing")
            nodes = len(window.workbench.tree.tree_model.nodes())
            if nodes < 1:
                raise AssertionError("the indicator tree is empty")
        finally:
            controller.close_archive()
            controller.runner.shutdown()
            window.close()
            window.deleteLater()
            app.processEvents()
    finally:
        _restore_handler(previous)
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = {"png", "jpg"} - formats
    if missing:
        raise AssertionError(f"Qt image plugins missing: {', '.join(sorted(missing))}")
    from PySide6.QtCore import QLibraryInfo

    qm = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_zh_CN.qm"
    if not qm.is_file():  # OK/Cancel and the file dialogs would be in English
        raise AssertionError(f"Qt's Chinese texts are missing: {qm}")
    return f"平台 {QApplication.platformName()}，{nodes} 个节点"


def _pdf_pages(ctx: _Context) -> str:
    """Pillow makes a photo into an upload-ready PDF, PDFium (pypdfium2) renders its page as
    the print preview does: checks the image and PDF libraries the build must carry."""
    from PIL import Image


    photo = ctx.tmp / "现场照片.jpg"
    Image.new("RGB", (1200, 900), (30, 90, 160)).save(photo, "JPEG", quality=85)
    pdf = ctx.tmp / "现场照片.pdf"
    image_to_pdf(photo, pdf)
    renderer = pdf_renderer()
    if renderer is None:
        raise AssertionError("no PDF page renderer (pypdfium2 missing from the build)")
    pages = render_pdf_pages(pdf, dpi=30)
    if len(pages) != 1 or not pages[0].startswith(b"\x89PNG"):
        raise AssertionError(f"expected one rendered page, got {len(pages)}")
    return f"{renderer} 渲染 1 页"


def _quiet_offscreen_notes():
    """Hide the offscreen platform's "does not support propagateSizeHints()" note (it is about
    window-manager hints there is no window manager for), pass everything else on."""
    from PySide6.QtCore import qInstallMessageHandler

    previous = None

    def handler(mode, context, message):
        if "propagateSizeHints" in message:
            return
        if previous is not None:
            previous(mode, context, message)
        elif sys.stderr is not None:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)
    return previous


def _restore_handler(previous) -> None:
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(previous)


STEPS: tuple[tuple[str, str, Callable[[_Context], str]], ...] = (
    ("create", "创建档案库 (create an archive)", _create),
    ("import", "导入示例指标体系和责任分解表 (import the sample framework and table)", _import_tables),
    ("ingest", "存入一份文件 (store a file)", _ingest),
    ("verify", "校验档案库 (verify the archive)", _verify_archive),
    ("export", "导出材料包 (export the bundle)", _export),
    ("bundle_verify", "校验材料包 (verify the bundle)", _verify_bundle),
    ("window", "打开主窗口（离屏）(open the main window offscreen)", _window),
    ("pdf", "图片转 PDF 并渲染页面 (image to PDF, page rendered for print preview)", _pdf_pages),
)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ArchiveError):
        return f"{exc.zh} ({exc.en})"
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, AssertionError) else text


def marks_for(stream: Any) -> tuple[str, str, str]:
    """✓ ✗ · when `stream` can write them, else √ × · (GBK has those)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        (OK_MARK + FAIL_MARK + SKIP_MARK).encode(encoding)
        return OK_MARK, FAIL_MARK, SKIP_MARK
    except (UnicodeEncodeError, LookupError):
        return GBK_MARKS


def run_self_test(emit: Callable[[str], None] = lambda line: None, *,
                  marks: tuple[str, str, str] = (OK_MARK, FAIL_MARK, SKIP_MARK)) -> SelfTestReport:
    """Run every step in a temporary folder; `emit` receives each printed line."""
    ok_mark, fail_mark, skip_mark = marks
    report = SelfTestReport(
        version=VERSION,
        python=platform.python_version(),
        system=f"{platform.system()} {platform.release()} {platform.machine()}",
        frozen=bool(getattr(sys, "frozen", False)),
    )
    emit(f"Evidence Desk {VERSION} 自检 (self-test) — Python {report.python}, {report.system}"
         + ("，已打包 (frozen)" if report.frozen else ""))
    with tempfile.TemporaryDirectory(prefix="evidence-desk-selftest-") as tmp:
        ctx = _Context(Path(tmp))
        failed = False
        try:
            for key, title, fn in STEPS:
                if failed:
                    report.steps.append(StepResult(key, title, None, detail="not run"))
                    emit(f"{skip_mark} {title}：未运行 (not run)")
                    continue
                start = time.perf_counter()
                try:
                    detail = fn(ctx)
                    ok = True
                except Exception as e:  # noqa: BLE001 - a self-test reports, never crashes
                    detail, ok, failed = _reason(e), False, True
                    if os.environ.get("EVIDENCE_DESK_SELFTEST_TRACE"):
                        emit(traceback.format_exc())
                seconds = time.perf_counter() - start
                report.steps.append(StepResult(key, title, ok, round(seconds, 3), detail))
                mark = ok_mark if ok else fail_mark
                emit(f"{mark} {title}（{seconds:.2f} s）：{detail}")
        finally:
            if ctx.archive is not None:
                ctx.archive.close()  # before the folder goes (Windows cannot delete open files)
    emit("自检通过 (self-test passed)" if report.ok else "自检未通过 (self-test FAILED)")
    return report


def main(out: Any) -> int:
    """The `--self-test` flag: `out` is desktop.cli.Output (text or --json)."""
    report = run_self_test(out.text, marks=marks_for(out.stream))
    out.json(report.as_dict())
    return EXIT_OK if report.ok else EXIT_FAILED
