"""Conversion of a document by LibreOffice (headless), for formats no direct reader serves.

Each call works in its own temporary folder: the input is copied to `in/` under a fixed name,
LibreOffice gets its own profile (two conversions sharing one exit 0 and produce nothing,
pitfalls.md) and writes into `out/`, so its output can never be mistaken for the input. A
failure raises `ConversionFailed` with the real reason: not installed, timed out, password,
damaged (LibreOffice could not load it), or produced nothing. Inside a reader worker with a
memory limit, LibreOffice gets its own larger limit (CONVERTER_MEMORY) so that it can start.
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from storage.kernel.errors import BadInput

log = logging.getLogger(__name__)

CONVERTER_MEMORY = 2 * 1024 * 1024 * 1024   # address space for soffice (Linux)
DEFAULT_TIMEOUT = 120


class ConversionFailed(BadInput):
    """LibreOffice did not convert a file. `reason`: missing, timeout, password, damaged, empty."""

    def __init__(self, zh: str, en: str, reason: str) -> None:
        super().__init__(zh, en)
        self.reason = reason


def libreoffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if sys.platform == "win32":
        for base in (os.environ.get("PROGRAMFILES", ""), os.environ.get("PROGRAMFILES(X86)", "")):
            exe = Path(base) / "LibreOffice" / "program" / "soffice.exe"
            if base and exe.is_file():
                return str(exe)
    return None


def _limits() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        want = CONVERTER_MEMORY if hard == resource.RLIM_INFINITY else min(hard, CONVERTER_MEMORY)
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ImportError, ValueError, OSError):
        pass


def convert(path: str | os.PathLike[str] | bytes, fmt: str, *, name: str = "",
            timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Convert `path` to `fmt` ("xlsx", "docx", "txt:Text (encoded):UTF8", "pdf", …) and return
    the output file, alone in a new temporary folder: the caller removes `result.parent`.
    Raises ConversionFailed with the reason."""
    src_path = Path(os.fsdecode(os.fsencode(path)))
    shown = name or src_path.name
    exe = libreoffice()
    if exe is None:
        raise ConversionFailed(
            f"读取 {shown} 需要 LibreOffice，本机没有安装；请安装 LibreOffice，或用 Office/WPS 另存为新格式后再导入",
            f"reading {shown} needs LibreOffice, which is not installed; install it, or save the file in a "
            "current format with Office/WPS",
            "missing",
        )
    ext = fmt.split(":", 1)[0]
    work = Path(tempfile.mkdtemp(prefix="evidence-desk-convert-"))
    inp, out, profile = work / "in", work / "out", work / "profile"
    inp.mkdir()
    out.mkdir()
    suffix = Path(name or src_path.name).suffix.lower()
    if not suffix or len(suffix) > 6 or not suffix[1:].isalnum():
        suffix = ".bin"
    src = inp / ("input" + suffix)
    shutil.copyfile(src_path, src)
    cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
           "--convert-to", fmt, "--outdir", str(out), str(src)]
    kw: dict[str, object] = {}
    if sys.platform != "win32":
        kw["start_new_session"] = True
        kw["preexec_fn"] = _limits
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, **kw)  # type: ignore[call-overload]
    except OSError as e:
        shutil.rmtree(work, ignore_errors=True)
        raise ConversionFailed(
            f"无法启动 LibreOffice 来读取 {shown}；请检查 LibreOffice 的安装",
            f"LibreOffice could not be started to read {shown}; check its installation",
            "missing",
        ) from e
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        shutil.rmtree(work, ignore_errors=True)
        raise ConversionFailed(
            f"LibreOffice 转换 {shown} 超时（{int(timeout)} 秒）；请用 Office/WPS 另存为新格式后再导入",
            f"LibreOffice timed out converting {shown} ({int(timeout)} s); save it in a current format "
            "with Office/WPS and import it again",
            "timeout",
        ) from None
    log.debug("soffice %s: rc=%s out=%r err=%r", shown, proc.returncode, stdout[-500:], stderr[-500:])
    results = [p for p in out.iterdir() if p.is_file() and p.suffix.lower() == "." + ext.lower()]
    shutil.rmtree(inp, ignore_errors=True)
    shutil.rmtree(profile, ignore_errors=True)
    if not results or results[0].stat().st_size == 0:
        shutil.rmtree(work, ignore_errors=True)
        said = (stdout + stderr).decode("utf-8", "replace").lower()
        if "password" in said:
            raise ConversionFailed(
                f"文件有密码保护，请去掉密码后再导入：{shown}",
                f"the file is password-protected; remove the password and import it again: {shown}",
                "password",
            )
        raise ConversionFailed(
            f"LibreOffice 打不开 {shown}：文件已损坏或格式不对；请用 Office/WPS 打开并另存后再导入",
            f"LibreOffice could not open {shown}: the file is damaged or not in the expected format; open it "
            "in Office/WPS, save a new copy and import that",
            "damaged",
        )
    final = work / ("converted." + ext)
    results[0].replace(final)
    shutil.rmtree(out, ignore_errors=True)
    return final


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        if sys.platform != "win32":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except OSError:
        pass
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        pass
