"""PDF conversion through Microsoft Office or WPS Office by COM automation (Windows only).

Most county office PCs have WPS or Microsoft Office, not LibreOffice. This module drives
them the way a clerk would, invisibly:

=============  ==========================  ==========================  =========================
suite          Word files                  spreadsheets                presentations
=============  ==========================  ==========================  =========================
Microsoft      Word.Application            Excel.Application           PowerPoint.Application
Office         Documents.Open →            Workbooks.Open →            Presentations.Open →
               ExportAsFixedFormat(17)     ExportAsFixedFormat(0)      SaveAs(…, 32)
WPS Office     KWPS.Application            KET.Application             KWPP.Application
               (same object model as Word; (same as Excel)             (same as PowerPoint)
               SaveAs2(…, 17) / ExportPdf
               where ExportAsFixedFormat
               is missing)
=============  ==========================  ==========================  =========================

Needs: Windows, pywin32 (``win32com.client.DispatchEx``: a new, private instance, so the
clerk's open Word is never touched) or comtypes, and the suite installed (its ProgID
registered under HKEY_CLASSES_ROOT). win32com/comtypes are imported only when a conversion
runs, so this module imports anywhere; tests inject a fake `dispatch` and `progid_exists`.

COM calls block: each batch runs on a worker thread (COM initialised there) while the caller
waits with its timeout and cancel. A hung Office cannot be stopped safely from outside; on a
timeout the remaining files of the batch are reported as not converted.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exporters.convert import (
    DEFAULT_TIMEOUT,
    SHEET_EXTS,
    SLIDE_EXTS,
    WORD_EXTS,
    CancelFn,
    ConversionError,
    Converter,
    Job,
    Progress,
    _never,
    _no_progress,
    failed,
)
from storage.kernel.errors import Cancelled

PROGIDS: dict[str, dict[str, tuple[str, ...]]] = {
    "word": {"doc": ("Word.Application",), "sheet": ("Excel.Application",),
             "slides": ("PowerPoint.Application",)},
    "wps": {"doc": ("KWPS.Application", "WPS.Application"),
            "sheet": ("KET.Application", "ET.Application"),
            "slides": ("KWPP.Application", "WPP.Application")},
}
SUITE_NAMES = {"word": "Microsoft Office", "wps": "WPS Office"}

WD_EXPORT_PDF = 17            # wdExportFormatPDF / wdFormatPDF
WD_DO_NOT_SAVE = 0
XL_TYPE_PDF = 0
PP_SAVE_AS_PDF = 32

Dispatch = Callable[[str], Any]


def _kind(suffix: str) -> str | None:
    s = suffix.lower()
    if s in WORD_EXTS:
        return "doc"
    if s in SHEET_EXTS:
        return "sheet"
    if s in SLIDE_EXTS:
        return "slides"
    return None


def _registry_has_progid(progid: str) -> bool:  # pragma: no cover - Windows only
    if sys.platform != "win32":
        return False
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, progid + r"\CLSID"):
            return True
    except OSError:
        return False


def _default_dispatch(progid: str) -> Any:  # pragma: no cover - Windows only
    try:
        import win32com.client  # type: ignore[import-not-found]

        return win32com.client.DispatchEx(progid)
    except ImportError:
        import comtypes.client  # type: ignore[import-not-found]

        return comtypes.client.CreateObject(progid)


def _default_com_init() -> Callable[[], None]:  # pragma: no cover - Windows only
    """Initialise COM on the current thread; returns the matching uninitialise."""
    try:
        import pythoncom  # type: ignore[import-not-found]

        pythoncom.CoInitialize()
        return pythoncom.CoUninitialize
    except ImportError:
        try:
            import comtypes  # type: ignore[import-not-found]

            comtypes.CoInitialize()
            return comtypes.CoUninitialize
        except ImportError:
            return lambda: None


def com_library_available() -> bool:
    import importlib.util

    return any(importlib.util.find_spec(m) is not None for m in ("win32com", "comtypes"))


@dataclass
class _WorkState:
    """Shared between the COM worker thread and the thread that waits for it."""

    stop: bool = False
    current: tuple[int, float] | None = None  # (job index, when its conversion started)


class OfficeComConverter(Converter):
    """Microsoft Office ("word") or WPS Office ("wps") through COM."""

    def __init__(self, suite: str, *, dispatch: Dispatch | None = None,
                 progid_exists: Callable[[str], bool] | None = None,
                 com_init: Callable[[], Callable[[], None]] | None = None) -> None:
        if suite not in PROGIDS:
            raise ValueError(suite)
        self.suite = suite
        self.name = SUITE_NAMES[suite]
        self._dispatch = dispatch or _default_dispatch
        self._exists = progid_exists or _registry_has_progid
        self._com_init = com_init or (_default_com_init if dispatch is None else (lambda: lambda: None))
        self.progids: dict[str, str] = {}
        for kind, candidates in PROGIDS[suite].items():
            for progid in candidates:
                if self._exists(progid):
                    self.progids[kind] = progid
                    break
        self.extensions = frozenset(
            ext for kind, exts in (("doc", WORD_EXTS), ("sheet", SHEET_EXTS), ("slides", SLIDE_EXTS))
            if kind in self.progids for ext in exts)

    @property
    def usable(self) -> bool:
        return "doc" in self.progids

    def describe(self) -> str:
        return f"{self.name} ({', '.join(sorted(self.progids.values()))})"

    # -- conversion -------------------------------------------------------------------------

    def to_pdf_many(self, jobs: Sequence[Job], *, timeout: float = DEFAULT_TIMEOUT,
                    cancel: CancelFn = _never, progress: Progress = _no_progress,
                    ) -> list[Path | ConversionError]:
        results: list[Path | ConversionError | None] = [None] * len(jobs)
        kinds: dict[int, str] = {}
        for i, job in enumerate(jobs):
            kind = _kind(job.kind)
            if kind is not None:
                kinds[i] = kind
            if kind is None or kind not in self.progids:
                results[i] = failed(job, f"{self.name} 不能转换 {job.kind or '无扩展名'} 文件",
                                    f"{self.name} cannot convert {job.kind or 'extensionless'} files")
            elif not Path(job.src).is_file():
                results[i] = failed(job, "找不到文件", "file not found")
        todo = [i for i, r in enumerate(results) if r is None]
        state = _WorkState()
        done_count = [len(jobs) - len(todo)]

        def work() -> None:
            uninit = self._com_init()
            apps: dict[str, Any] = {}
            staging = Path(tempfile.mkdtemp(prefix="evidence-desk-com-"))
            try:
                for i in todo:
                    if state.stop:
                        return
                    state.current = (i, time.monotonic())
                    job = jobs[i]
                    kind = kinds[i]
                    try:
                        if kind not in apps:
                            apps[kind] = self._open_app(kind)
                        results[i] = self._convert_one(apps[kind], kind, job, staging, i)
                    except ConversionError as e:
                        results[i] = e
                    except Exception as e:  # noqa: BLE001 - COM raises pywintypes.com_error etc.
                        results[i] = failed(job, f"{self.name} 报告错误：{e}",
                                            f"{self.name} reported an error: {e}")
                    done_count[0] += 1
                    state.current = None
            finally:
                for app in apps.values():
                    try:
                        app.Quit()
                    except Exception:  # noqa: BLE001 - already gone
                        pass
                shutil.rmtree(staging, ignore_errors=True)
                uninit()

        progress(done_count[0], len(jobs), "")
        worker = threading.Thread(target=work, name="office-com", daemon=True)
        worker.start()
        last = -1
        while worker.is_alive():
            worker.join(0.1)
            if done_count[0] != last:
                last = done_count[0]
                progress(last, len(jobs), "")
            if cancel():
                state.stop = True
                worker.join(timeout)
                raise Cancelled()
            cur = state.current
            if cur is not None and time.monotonic() - cur[1] > timeout:
                state.stop = True
                break
        out: list[Path | ConversionError] = []
        for job, r in zip(jobs, results):
            out.append(r if r is not None else failed(
                job, f"{self.name} 超过 {timeout:.0f} 秒仍未完成",
                f"{self.name} did not finish within {timeout:.0f} s"))
        return out

    def _open_app(self, kind: str) -> Any:
        progid = self.progids[kind]
        try:
            app = self._dispatch(progid)
        except Exception as e:  # COM raises pywintypes.com_error and others
            raise ConversionError(f"无法启动 {self.name}（{progid}）：{e}",
                                  f"cannot start {self.name} ({progid}): {e}") from e
        for attr, value in (("Visible", False), ("DisplayAlerts", 0 if kind == "doc" else False),
                            ("ScreenUpdating", False)):
            try:
                setattr(app, attr, value)
            except Exception:  # noqa: BLE001 - not every app has every property
                pass
        return app

    def _convert_one(self, app: Any, kind: str, job: Job, staging: Path, n: int) -> Path:
        src = staging / f"f{n:05d}{job.kind}"
        shutil.copyfile(job.src, src)
        made = staging / f"f{n:05d}.pdf"
        if kind == "doc":
            doc = app.Documents.Open(str(src), False, True, False)  # ConfirmConversions, ReadOnly, AddToRecent
            try:
                self._export_doc(doc, made)
            finally:
                doc.Close(WD_DO_NOT_SAVE)
        elif kind == "sheet":
            wb = app.Workbooks.Open(str(src), 0, True)                # UpdateLinks=0, ReadOnly
            try:
                wb.ExportAsFixedFormat(XL_TYPE_PDF, str(made))
            finally:
                wb.Close(False)
        else:
            pres = app.Presentations.Open(str(src), True, False, False)  # ReadOnly, Untitled, WithWindow
            try:
                pres.SaveAs(str(made), PP_SAVE_AS_PDF)
            finally:
                pres.Close()
        if not made.is_file() or made.stat().st_size == 0:
            raise failed(job, f"{self.name} 没有生成 PDF", f"{self.name} produced no PDF")
        dest = Path(job.dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(dest.name + ".partial")
        shutil.move(str(made), partial)
        os.replace(partial, dest)
        return dest

    @staticmethod
    def _export_doc(doc: Any, made: Path) -> None:
        errors: list[Exception] = []
        for call in (lambda: doc.ExportAsFixedFormat(str(made), WD_EXPORT_PDF),
                     lambda: doc.SaveAs2(str(made), WD_EXPORT_PDF),     # older WPS
                     lambda: doc.ExportPdf(str(made))):                  # WPS 2016 and earlier
            try:
                call()
                if made.is_file():
                    return
            except AttributeError as e:
                errors.append(e)
            except Exception as e:  # noqa: BLE001 - COM error: try the next way
                errors.append(e)
        if errors:
            raise errors[-1]


def office_converter(suite: str, **kwargs: Any) -> OfficeComConverter | None:
    """Microsoft Office ("word") or WPS ("wps") when installed and usable here, else None."""
    if "dispatch" not in kwargs and (sys.platform != "win32" or not com_library_available()):
        return None
    conv = OfficeComConverter(suite, **kwargs)
    return conv if conv.usable else None


__all__ = ["OfficeComConverter", "PROGIDS", "office_converter"]
