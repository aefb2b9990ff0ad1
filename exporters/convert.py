"""Office files to PDF through whatever this computer has: one interface, chosen at run time.

    conv = exporters.converters.available_converter()   # None when nothing can convert
    pdf = conv.to_pdf(src, out_dir, timeout=120, cancel=lambda: False)
    results = conv.to_pdf_many([Job(src, dest), ...], timeout=..., cancel=..., progress=...)

Implementations:

- `LibreOfficeConverter`: ``soffice --headless --convert-to pdf``. Every call gets its own
  throw-away profile (``-env:UserInstallation=file:///…``) so parallel conversions and a
  LibreOffice the clerk has open do not collide (two runs sharing a profile can exit 0 and
  write nothing). Several files go through one soffice start (``to_pdf_many``); the profile is
  seeded with a font replacement table mapping the GB/T fonts to what `exporters.fonts`
  finds here (仿宋_GB2312 → 仿宋 or Noto Serif CJK SC …), so a PC without them still gets a
  serif body instead of whatever fontconfig picks. Needs: LibreOffice (soffice on PATH or in
  its usual install folder), Writer for Word files, Calc for spreadsheets.
- `exporters.convert_win.OfficeComConverter`: Microsoft Word / Excel / PowerPoint or WPS
  (KWPS / KET / KWPP) through COM automation on Windows. Needs: Windows, pywin32 (or
  comtypes), and the office suite installed for the user.

Choice (`exporters.converters.available_converter`): ``EVIDENCE_DESK_CONVERTER`` (libreoffice | word | wps | none)
if set; on Windows Word, then WPS, then LibreOffice; elsewhere LibreOffice.

Errors are `ConversionError` (an `ArchiveError`: Chinese then English, naming the file).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from exporters import fonts
from storage.kernel.errors import ArchiveError, Cancelled

Progress = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]

WORD_EXTS = frozenset({".doc", ".docx", ".docm", ".dot", ".dotx", ".wps", ".wpt", ".rtf",
                       ".odt", ".txt"})
SHEET_EXTS = frozenset({".xls", ".xlsx", ".xlsm", ".et", ".ett", ".ods", ".csv"})
SLIDE_EXTS = frozenset({".ppt", ".pptx", ".pps", ".ppsx", ".dps", ".odp"})
OFFICE_EXTS = WORD_EXTS | SHEET_EXTS | SLIDE_EXTS

DEFAULT_TIMEOUT = 120.0          # seconds per file
BATCH = 25                       # files per soffice start


class ConversionError(ArchiveError):
    """A file could not be converted to PDF (names the file and why)."""


def _never() -> bool:
    return False


def _no_progress(done: int, total: int, text: str = "") -> None:
    return None


@dataclass(frozen=True)
class Job:
    """Convert `src` into the PDF `dest`. `suffix` tells the file's type when `src` has none
    (stored files are named by their hash): ".docx", ".xls" …; default: src's own."""

    src: Path
    dest: Path
    suffix: str = ""
    name: str = ""               # how to name the file in messages (default: src's name)

    @property
    def kind(self) -> str:
        return (self.suffix or Path(self.src).suffix).lower()

    @property
    def label(self) -> str:
        return self.name or Path(self.src).name


def failed(job: Job, why_zh: str, why_en: str) -> ConversionError:
    return ConversionError(f"无法把《{job.label}》转换为 PDF：{why_zh}",
                           f"cannot convert {job.label} to PDF: {why_en}")


class Converter:
    """The interface. Subclasses implement `_convert_batch` (or override `to_pdf_many`)."""

    name = "converter"
    extensions: frozenset[str] = OFFICE_EXTS
    # True when odd/even footers follow the page's position in the document, not its number
    # (LibreOffice); Word and WPS go by the number (pgNumType start).
    sides_by_position = False

    def handles(self, suffix: str) -> bool:
        return suffix.lower() in self.extensions

    def to_pdf(self, src: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
               timeout: float = DEFAULT_TIMEOUT, cancel: CancelFn = _never,
               suffix: str = "", name: str = "") -> Path:
        """Convert one file into `out_dir`/<stem>.pdf; returns that path or raises
        ConversionError (Cancelled when `cancel()` turns true)."""
        src = Path(src)
        dest = Path(out_dir) / (src.stem + ".pdf")
        result = self.to_pdf_many([Job(src, dest, suffix, name)], timeout=timeout, cancel=cancel)[0]
        if isinstance(result, Exception):
            raise result
        return result

    def to_pdf_many(self, jobs: Sequence[Job], *, timeout: float = DEFAULT_TIMEOUT,
                    cancel: CancelFn = _never, progress: Progress = _no_progress,
                    ) -> list[Path | ConversionError]:
        """Convert every job; one result per job, in order: the PDF's path or the error.
        `timeout` is per file. Raises Cancelled when `cancel()` turns true."""
        raise NotImplementedError

    def describe(self) -> str:
        return self.name


# --- LibreOffice ---------------------------------------------------------------------------


def find_soffice() -> str | None:
    """soffice on PATH, else LibreOffice's usual install folders."""
    for name in ("soffice", "libreoffice"):
        exe = shutil.which(name)
        if exe:
            return exe
    candidates: list[Path] = []
    if sys.platform == "win32":  # pragma: no cover - Windows only
        for base in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)"),
                     os.environ.get("LOCALAPPDATA")):
            if base:
                candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    else:
        candidates += [Path("/opt/libreoffice/program/soffice"),
                       Path("/usr/lib/libreoffice/program/soffice"),
                       Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
        candidates += sorted(Path("/opt").glob("libreoffice*/program/soffice"))
    for c in candidates:
        if c.is_file():
            return str(c)
    return None


# GB/T font -> the chain `exporters.fonts` resolves it through.
_REPLACE = {
    "仿宋_GB2312": fonts.BODY[1:],
    "方正小标宋简体": fonts.TITLE[1:],
    "黑体": fonts.HEADING1[1:],
    "楷体_GB2312": fonts.HEADING2[1:],
    "宋体": fonts.PAGE_NUMBER[1:],
}


def font_replacements(families=None) -> dict[str, str]:
    """GB/T font name -> installed substitute, for the fonts this computer lacks."""
    fams = fonts.installed_families() if families is None else frozenset(families)
    out = {}
    for wanted, chain in _REPLACE.items():
        if fonts.resolve([wanted], fams):
            continue
        used = fonts.resolve(chain, fams)
        if used:
            out[wanted] = used
    return out


def _profile_xcu(replacements: dict[str, str]) -> str:
    nodes = "".join(
        f'<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
        f'<node oor:name="_{i}" oor:op="replace">'
        f'<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
        f'<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
        f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(a)}</value></prop>'
        f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(b)}</value></prop>'
        f'</node></item>\n'
        for i, (a, b) in enumerate(sorted(replacements.items())))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>\n'
        + nodes +
        # no first-start wizard, no recovery dialog, no update check
        '<item oor:path="/org.openoffice.Office.Common/Misc">'
        '<prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>\n'
        '<item oor:path="/org.openoffice.Office.Recovery/AutoSave">'
        '<prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>\n'
        '</oor:items>\n'
    )


def _kill_tree(proc: subprocess.Popen) -> None:
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows only
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                           capture_output=True, check=False)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, ProcessLookupError):
        pass
    try:
        proc.kill()
    except OSError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _run(cmd: list[str], *, timeout: float, cancel: CancelFn) -> tuple[int | None, str]:
    """Run `cmd` in its own process group; (exit code or None on timeout, output).
    Raises Cancelled (after killing it) when `cancel()` turns true."""
    kwargs: dict = {}
    if sys.platform == "win32":  # pragma: no cover - Windows only
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | 0x08000000  # no window
    else:
        kwargs["start_new_session"] = True
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, **kwargs)
        deadline = time.monotonic() + timeout
        while True:
            try:
                code: int | None = proc.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                pass
            if cancel():
                _kill_tree(proc)
                raise Cancelled()
            if time.monotonic() > deadline:
                _kill_tree(proc)
                code = None
                break
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return code, text


class LibreOfficeConverter(Converter):
    name = "LibreOffice"
    sides_by_position = True

    def __init__(self, soffice: str | None = None, *, batch: int = BATCH,
                 replacements: dict[str, str] | None = None, start_grace: float = 30.0) -> None:
        """`start_grace`: seconds allowed for soffice to start, on top of `timeout` per file."""
        exe = soffice or find_soffice()
        if exe is None:
            raise ConversionError("本机没有安装 LibreOffice", "LibreOffice is not installed")
        self.soffice = exe
        self.batch = max(1, batch)
        self._replacements = replacements
        self.start_grace = start_grace

    @property
    def replacements(self) -> dict[str, str]:
        if self._replacements is None:
            self._replacements = font_replacements()
        return self._replacements

    def describe(self) -> str:
        return f"LibreOffice ({self.soffice})"

    def to_pdf_many(self, jobs: Sequence[Job], *, timeout: float = DEFAULT_TIMEOUT,
                    cancel: CancelFn = _never, progress: Progress = _no_progress,
                    ) -> list[Path | ConversionError]:
        results: list[Path | ConversionError | None] = [None] * len(jobs)
        todo = []
        for i, job in enumerate(jobs):
            if not self.handles(job.kind):
                results[i] = failed(job, f"不支持的文件类型 {job.kind or '（无扩展名）'}",
                                    f"unsupported file type {job.kind or '(no extension)'}")
            elif not Path(job.src).is_file():
                results[i] = failed(job, "找不到文件", "file not found")
            else:
                todo.append(i)
        done = len(jobs) - len(todo)
        progress(done, len(jobs), "")
        for start in range(0, len(todo), self.batch):
            chunk = todo[start:start + self.batch]
            got = self._batch([jobs[i] for i in chunk], timeout=timeout, cancel=cancel)
            retry = [i for i, r in zip(chunk, got) if r is None]
            for i, r in zip(chunk, got):
                results[i] = r
            # A batch that timed out (one file hanging) leaves the rest unconverted: convert
            # those one at a time so one bad file costs only itself.
            if len(chunk) > 1:
                for i in retry:
                    results[i] = self._batch([jobs[i]], timeout=timeout, cancel=cancel)[0]
            done += len(chunk)
            progress(done, len(jobs), jobs[chunk[-1]].label)
        out: list[Path | ConversionError] = []
        for job, r in zip(jobs, results):
            out.append(r if r is not None else failed(
                job, f"LibreOffice 超过 {timeout:.0f} 秒仍未完成，已停止",
                f"LibreOffice did not finish within {timeout:.0f} s and was stopped"))
        return out

    def _batch(self, jobs: Sequence[Job], *, timeout: float, cancel: CancelFn,
               ) -> list[Path | ConversionError | None]:
        """One soffice start for `jobs`; None for a job left unconverted by a timeout."""
        work = Path(tempfile.mkdtemp(prefix="evidence-desk-lo-"))
        try:
            profile = work / "profile"
            (profile / "user").mkdir(parents=True)
            (profile / "user" / "registrymodifications.xcu").write_text(
                _profile_xcu(self.replacements), encoding="utf-8")
            inputs = work / "in"
            outputs = work / "out"
            inputs.mkdir()
            outputs.mkdir()
            staged = []
            for n, job in enumerate(jobs):
                # ASCII names with the right extension: stored files have no extension, and
                # two sources may share a stem.
                s = inputs / f"f{n:05d}{job.kind}"
                try:
                    os.link(job.src, s)
                except OSError:
                    shutil.copyfile(job.src, s)
                staged.append(s)
            cmd = [self.soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                   "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                   "--convert-to", "pdf", "--outdir", str(outputs), *map(str, staged)]
            code, text = _run(cmd, timeout=timeout * len(jobs) + self.start_grace, cancel=cancel)
            results: list[Path | ConversionError | None] = []
            for n, job in enumerate(jobs):
                made = outputs / f"f{n:05d}.pdf"
                if made.is_file() and made.stat().st_size > 0:
                    Path(job.dest).parent.mkdir(parents=True, exist_ok=True)
                    partial = Path(job.dest).with_name(Path(job.dest).name + ".partial")
                    shutil.move(str(made), partial)
                    os.replace(partial, job.dest)
                    results.append(Path(job.dest))
                elif code is None:
                    results.append(None)
                else:
                    detail = text.strip().splitlines()[-1][:200] if text.strip() else f"exit {code}"
                    results.append(failed(
                        job, f"LibreOffice 没有生成 PDF（文件可能已损坏、加密或格式不对；{detail}）",
                        f"LibreOffice produced no PDF (the file may be damaged, encrypted or "
                        f"not what its extension says; {detail})"))
            return results
        finally:
            shutil.rmtree(work, ignore_errors=True)



__all__ = ["BATCH", "ConversionError", "Converter", "Job", "LibreOfficeConverter",
           "OFFICE_EXTS", "SHEET_EXTS", "SLIDE_EXTS", "WORD_EXTS", "find_soffice", "font_replacements"]
