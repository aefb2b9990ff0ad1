r"""Windows readiness, tested here with Windows-shaped inputs (PureWindowsPath, platform=
"win32") and, where it can be done for real on Linux, with real files:

- long paths get the \\?\ (or \\?\UNC\) prefix where Windows needs it, normalised first, and
  lose it again for display;
- UNC paths and mapped network drives are network paths (the drive type is asked through an
  injectable function, so the Windows call is isolated);
- folders compare case-insensitively on Windows (watched folders, "inside the archive"), file
  names clash case-insensitively in bundles (simple, per-character case mapping as NTFS does);
- an archive under a Chinese user name and Chinese folder names with spaces: create, ingest,
  export, verify, remember — through the command line, in a C locale too;
- no POSIX-only call is reachable on the Windows path in the files that call them.
"""
from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath

import docx
import pytest

from exporters import winpaths
from storage.kernel import paths
from storage.kernel.paths import (
    LONG_PATH_THRESHOLD,
    display_path,
    is_inside,
    is_network_path,
    is_unc,
    long_path,
    path_key,
    same_path,
    win_long_path,
)
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
USER = PureWindowsPath(r"C:\Users\张三\Documents")
DEEP = USER.joinpath(*["县市场监督管理局 质量强县工作材料汇编（2024年度）"] * 8, "关于成立质量强县工作领导小组的通知.docx")
SHARE = PureWindowsPath(r"\\nas-质量办\共享\各部门报送")


# --- long paths ----------------------------------------------------------------------------


def test_short_paths_are_only_normalised():
    assert win_long_path(USER / "档案库") == r"C:\Users\张三\Documents\档案库"
    assert win_long_path("C:/Users/张三/./Documents/../Desktop/材料") == r"C:\Users\张三\Desktop\材料"
    assert win_long_path(SHARE) == r"\\nas-质量办\共享\各部门报送"


def test_long_drive_path_gets_the_extended_prefix():
    assert len(str(DEEP)) > 260
    out = win_long_path(DEEP)
    assert out == "\\\\?\\" + str(DEEP)
    assert PureWindowsPath(out).drive == "\\\\?\\C:"
    assert PureWindowsPath(out).name == DEEP.name


def test_long_unc_path_gets_the_unc_form():
    deep = SHARE.joinpath(*["市场监管局2024年第一季度工作材料"] * 12, "报告.pdf")
    out = win_long_path(deep)
    assert out.startswith("\\\\?\\UNC\\nas-质量办\\共享\\")
    assert out.endswith("\\报告.pdf")
    assert display_path(out, platform="win32") == str(deep)


def test_prefixed_paths_are_normalised_before_the_prefix():
    # \\?\ turns off Windows' own normalisation: "/" and ".." would be taken literally
    deep = "C:/Users/张三/" + "/".join(["很长的文件夹名称" * 4] * 10) + "/../最终/报告.pdf"
    out = win_long_path(deep)
    assert out.startswith("\\\\?\\C:\\Users\\张三\\")
    assert "/" not in out and "\\..\\" not in out and out.endswith("\\最终\\报告.pdf")


def test_threshold_and_always():
    base = "C:\\" + "a" * (LONG_PATH_THRESHOLD - 4)
    assert len(base) == LONG_PATH_THRESHOLD - 1 and win_long_path(base) == base
    assert win_long_path(base + "b").startswith("\\\\?\\")
    # a root that longer paths are joined to: always
    store = win_long_path(USER / "档案库" / "files", always=True)
    assert store == "\\\\?\\C:\\Users\\张三\\Documents\\档案库\\files"
    joined = PureWindowsPath(store) / "ab" / "cd" / ("0" * 64)
    assert str(joined).startswith("\\\\?\\C:\\") and len(joined.parts) == 9


@pytest.mark.parametrize("already", [
    "\\\\?\\C:\\x", "\\\\?\\UNC\\srv\\share\\x", "\\\\.\\PhysicalDrive0", "相对\\路径", "C:相对", "\\无盘符",
])
def test_prefixed_device_and_relative_paths_come_back_unchanged(already):
    assert win_long_path(already, always=True) == already


def test_long_path_is_a_no_op_off_windows(tmp_path):
    assert long_path(tmp_path / "张三", platform="linux") == str(tmp_path / "张三")
    assert long_path(str(DEEP), platform="win32") == "\\\\?\\" + str(DEEP)
    assert long_path(USER, platform="win32") == str(USER)


@pytest.mark.parametrize("shown, prefixed", [
    (r"C:\Users\张三\档案库", "\\\\?\\C:\\Users\\张三\\档案库"),
    (r"\\nas\共享\材料", "\\\\?\\UNC\\nas\\共享\\材料"),
    (r"D:\材料", r"D:\材料"),
])
def test_display_path_takes_the_prefix_off(shown, prefixed):
    assert display_path(prefixed, platform="win32") == shown
    assert display_path(win_long_path(shown, always=True), platform="win32") == shown


# --- network paths ---------------------------------------------------------------------------

DRIVES = {"C:\\": 3, "D:\\": 3, "Z:\\": 4}  # 3 DRIVE_FIXED, 4 DRIVE_REMOTE


def _drive_type(root: str) -> int:
    return DRIVES.get(root.upper(), 1)


@pytest.mark.parametrize("path, expected", [
    (SHARE / "档案库", True),
    (PureWindowsPath("//nas/质量办/档案库"), True),
    ("\\\\?\\UNC\\nas\\质量办\\档案库", True),
    (PureWindowsPath(r"Z:\质量办\档案库"), True),            # a mapped network drive
    (PureWindowsPath(r"z:\质量办"), True),
    (USER / "档案库", False),
    ("\\\\?\\C:\\Users\\张三\\档案库", False),                # long local path
    (PureWindowsPath(r"D:\质量强县"), False),
])
def test_network_paths_on_windows(path, expected):
    assert is_network_path(path, platform="win32", drive_type=_drive_type) is expected


def test_unc_in_every_spelling_is_unc():
    for p in (SHARE, PureWindowsPath("//nas/share/x"), "\\\\?\\UNC\\nas\\share"):
        assert is_unc(str(p))
    for p in (USER, "\\\\?\\C:\\x", "\\\\.\\COM1"):
        assert not is_unc(str(p))


# --- case --------------------------------------------------------------------------------------


@pytest.mark.parametrize("a, b", [
    (r"C:\Users\张三\Documents\质量办", "c:/users/张三/documents/质量办/"),
    (r"\\NAS\Share\市场监管局", r"\\nas\share\市场监管局"),
    ("\\\\?\\C:\\Docs\\材料", r"C:\DOCS\材料"),
    (r"C:\Docs\.\a\..\材料", r"c:\docs\材料"),
    (r"D:\ＡＢＣ文件", r"d:\ａｂｃ文件"),                     # full-width letters fold too
])
def test_folders_compare_case_insensitively_on_windows(a, b):
    assert same_path(a, b, platform="win32")
    assert path_key(PureWindowsPath(a), platform="win32") == path_key(PureWindowsPath(b), platform="win32")


def test_folders_compare_exactly_on_linux():
    assert not same_path("/home/张三/Docs", "/home/张三/docs", platform="linux")
    assert same_path("/home/张三/Docs/", "/home/张三/./Docs", platform="linux")


def test_inside_as_the_platform_sees_it():
    assert is_inside(r"C:\Docs\质量办\2024", r"c:\docs", platform="win32")
    assert is_inside(r"\\NAS\share\a", r"\\nas\SHARE", platform="win32")
    assert not is_inside(r"C:\Docs2\x", r"C:\Docs", platform="win32")
    assert not is_inside(r"C:\Docs", r"C:\Docs", platform="win32")
    assert is_inside(r"C:\Docs", r"c:\docs\\", platform="win32", or_same=True)
    assert is_inside(r"C:\a", "C:\\", platform="win32")
    assert not is_inside("/home/A/x", "/home/a", platform="linux")
    assert is_inside(str(PurePosixPath("/srv/质量办/a")), "/srv/质量办", platform="linux")


def test_simple_case_mapping_is_per_character():
    assert paths.simple_upper("straße ﬁle Отчёт ａｂｃ") == "STRAßE ﬁLE ОТЧЁТ ＡＢＣ"


def test_bundle_names_clash_as_ntfs_compares_them():
    ns = winpaths.NameSpace()
    got = [ns.claim(n, 100) for n in (
        "报告.PDF", "报告.pdf", "Отчёт.docx", "ОТЧЁТ.DOCX", "ＡＢＣ.xlsx", "ａｂｃ.xlsx",
        "straße.pdf", "STRASSE.pdf",
    )]
    assert got == ["报告.PDF", "报告 (2).pdf", "Отчёт.docx", "ОТЧЁТ (2).DOCX", "ＡＢＣ.xlsx",
                   "ａｂｃ (2).xlsx", "straße.pdf", "STRASSE.pdf"]
    # a decomposed name (typed on a Mac) is the same name as the composed one
    assert winpaths.clash_key("é.pdf") == winpaths.clash_key("e\u0301.PDF")


# --- Chinese user and folder names, for real ----------------------------------------------------


def _docx(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    d = docx.Document()
    d.add_paragraph(text)
    d.save(str(path))
    return path


@pytest.mark.parametrize("locale", ["C.UTF-8", "C"])
def test_archive_under_chinese_user_and_folder_names(tmp_path, locale):
    home = tmp_path / "张三的文档"
    archive = home / "质量强县 材料"
    config = tmp_path / "Users" / "张三" / "AppData" / "Local" / "EvidenceDesk"
    source = home / "各部门报送" / "县市场监管局（2024年）"
    _docx(source / "关于成立质量强县工作领导小组的通知 第1号.docx", "通知正文")
    _docx(source / "会议纪要：第二次 全体会议.docx", "纪要正文")
    env = {"EVIDENCE_DESK_CONFIG_DIR": str(config), "LC_ALL": locale, "LANG": locale}

    r = run_cli("init", "--archive", str(archive), env=env)
    assert r.returncode == 0, r.stderr
    assert (archive / "archive.sqlite3").is_file()
    r = run_cli("framework", "import", str(ROOT / "resources" / "demo" / "示例_指标体系.xlsx"),
                "--archive", str(archive), env=env)
    assert r.returncode == 0, r.stderr
    r = run_cli("ingest", str(home / "各部门报送"), "--department", "县市场监管局",
                "--indicator", "1.1.1", "--archive", str(archive), "--json", env=env)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["stored"] == 2
    assert {Path(i["path"]).name for i in report["items"]} == {
        "关于成立质量强县工作领导小组的通知 第1号.docx", "会议纪要：第二次 全体会议.docx"}
    # the last archive is remembered with its Chinese name (commands without --archive)
    r = run_cli("status", "--json", env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["archive"] == str(archive)
    # the bundle, into a Chinese folder with a space, and verified
    out = home / "导出 材料包" / "沂水县.zip"
    r = run_cli("export", str(out), "--zip", "--archive", str(archive), env=env)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
    assert any(n.endswith("关于成立质量强县工作领导小组的通知 第1号.docx") for n in names)
    assert not any(winpaths.path_problems(n.rstrip("/")) for n in names if not n.endswith("/"))
    assert run_cli("bundle", "verify", str(out), env=env).returncode == 0
    assert run_cli("verify", "--archive", str(archive), env=env).returncode == 0
    # source files untouched
    assert sorted(p.name for p in source.iterdir()) == sorted(
        ["关于成立质量强县工作领导小组的通知 第1号.docx", "会议纪要：第二次 全体会议.docx"])


def test_clear_chinese_message_for_a_missing_chinese_path(tmp_path):
    r = run_cli("ingest", str(tmp_path / "不存在的 文件夹"), "--archive", str(tmp_path / "无"))
    assert r.returncode == 2
    assert r.stderr.startswith("错误：") and "(error:" in r.stderr and "Traceback" not in r.stderr


# --- no POSIX-only calls on the Windows path -----------------------------------------------------

POSIX_ONLY = re.compile(
    r"\bos\.(getuid|geteuid|getgid|getegid|fork|setsid|killpg|getpgid|setpgrp|chown|lchown|"
    r"mkfifo|statvfs|getloadavg|nice|uname|sysconf|pathconf|waitpid|kill)\(|"
    r"^\s*(import|from) (fcntl|pwd|grp|termios|resource|tty|pty|posix)\b|"
    r"signal\.(SIGKILL|SIGHUP|SIGQUIT|SIGUSR1|SIGUSR2|SIGALRM|SIGCHLD|SIGSTOP|SIGCONT|alarm|setitimer)|"
    r"start_new_session|preexec_fn"
)
GUARD = re.compile(r"sys\.platform|os\.name|hasattr\(os|win32|_is_windows|else:")


def _uses() -> list[tuple[str, int, str]]:
    found = []
    for top in ("desktop", "storage", "exporters", "ui"):
        for f in sorted((ROOT / top).rglob("*.py")):
            for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1):
                if POSIX_ONLY.search(line) and not line.lstrip().startswith("#"):
                    found.append((str(f.relative_to(ROOT)), n, line.strip()))
    return found


def test_every_posix_only_call_is_behind_a_platform_check():
    """Each use must have a platform test (sys.platform / os.name / hasattr(os, …) / an else
    of one) within the 20 lines above it, so Windows takes the other branch."""
    unguarded = []
    for rel, n, line in _uses():
        lines = (ROOT / rel).read_text(encoding="utf-8").splitlines()
        window = "\n".join(lines[max(0, n - 21):n])
        if not GUARD.search(window):
            unguarded.append(f"{rel}:{n}: {line}")
    assert not unguarded, "POSIX-only calls without a platform check:\n" + "\n".join(unguarded)


def test_the_scan_finds_what_it_looks_for():
    assert POSIX_ONLY.search("os.killpg(pid, signal.SIGKILL)")
    assert POSIX_ONLY.search("import fcntl")
    assert not POSIX_ONLY.search("signal.signal(signal.SIGINT, handler)")
    assert {rel for rel, _, _ in _uses()} >= {"exporters/convert.py"}  # known, guarded


def test_file_store_helpers_accept_prefixed_paths_here(tmp_path):
    """long_path() output goes straight into open()/os.* on every platform."""
    target = Path(long_path(tmp_path / "张三" / "质量强县 材料", always=True))
    target.mkdir(parents=True)
    (target / "说明.txt").write_text("内容", encoding="utf-8")
    assert Path(display_path(target)) == tmp_path / "张三" / "质量强县 材料"
    assert os.listdir(long_path(target)) == ["说明.txt"]
