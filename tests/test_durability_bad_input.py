"""Bad input: one clear line (Chinese, then English), exit 2, the archive unchanged.

Tests run as root here, where chmod proves nothing: permission cases run as the
unprivileged user nobody (setpriv) or on a read-only bind mount, and the disk-full case on
a 2 MB tmpfs. Each skips, saying why, where that is not possible.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest
from durability_helpers import NOBODY, archive_state, chown_tree, cli, make_sources, mounted, one_error_line

pytestmark = pytest.mark.backends

ROOT = Path(__file__).resolve().parents[1]
# /root (where pyenv keeps the venv's interpreter) is closed to other users; the system
# interpreter is the same minor version, so nobody runs that with the venv's packages.
SYSTEM_PY = Path("/usr/bin/python3.11")
SITE = ROOT / ".venv" / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"


@pytest.fixture
def filled(tmp_path):
    src = make_sources(tmp_path / "src", 3, seed=3)
    root = tmp_path / "archive"
    assert cli("init", "--archive", str(root)).returncode == 0
    r = cli("ingest", "--archive", str(root), str(tmp_path / "src"))
    assert r.returncode == 0, r.stderr
    return root, src


def _unchanged_after(root: Path, *args: str, state_of: Path | None = None, **kw) -> str:
    before = archive_state(state_of or root)
    r = cli(*args, **kw)
    assert r.returncode == 2, (args, r.returncode, r.stdout, r.stderr)
    line = one_error_line(r.stderr)
    assert archive_state(state_of or root) == before
    return line


def test_missing_path_and_not_an_archive(filled, tmp_path):
    root, _ = filled
    line = _unchanged_after(root, "ingest", "--archive", str(root), str(tmp_path / "没有这个文件夹"))
    assert "找不到" in line and "not found" in line
    (tmp_path / "plain").mkdir()
    for target in (tmp_path / "nope", tmp_path / "plain"):
        r = cli("status", "--archive", str(target))
        assert r.returncode == 2
        assert "档案库" in one_error_line(r.stderr)
    assert sorted(os.listdir(tmp_path / "plain")) == []


def test_archive_from_a_newer_version_is_refused_untouched(filled):
    root, _ = filled
    con = sqlite3.connect(root / "archive.sqlite3")
    con.execute("UPDATE alembic_version SET version_num='0099_future'")
    con.commit()
    con.close()
    raw = hashlib.sha256((root / "archive.sqlite3").read_bytes()).hexdigest()
    for args in (["status"], ["backup", str(root.parent / "b.zip")], ["repair"], ["log"]):
        line = _unchanged_after(root, *args, "--archive", str(root))
        assert "更新版本" in line and "newer" in line
    assert hashlib.sha256((root / "archive.sqlite3").read_bytes()).hexdigest() == raw
    assert not (root.parent / "b.zip").exists()


def test_disk_full_during_ingest(tmp_path):
    mnt = tmp_path / "small"
    with mounted("tmpfs", mnt, size="2m") as why:
        if why:
            pytest.skip(f"cannot mount a small tmpfs here: {why}")
        root = mnt / "archive"
        assert cli("init", "--archive", str(root)).returncode == 0
        assert cli("status", "--archive", str(root)).returncode == 0  # the daily backup
        big = tmp_path / "扫描件.pdf"
        big.write_bytes(os.urandom(3 * 1024 * 1024))
        line = _unchanged_after(root, "ingest", "--archive", str(root), str(big))
        assert "已满" in line and "full" in line
        assert not list((root / "files" / ".incoming").glob("*"))
        small = tmp_path / "通知.pdf"
        small.write_bytes(b"small" * 100)
        r = cli("ingest", "--archive", str(root), str(small))  # still usable afterwards
        assert r.returncode == 0, r.stderr
        assert cli("verify", "--archive", str(root)).returncode == 0


def test_read_only_archive_on_a_read_only_mount(filled, tmp_path):
    root, src = filled
    assert cli("status", "--archive", str(root)).returncode == 0
    ro = tmp_path / "ro"
    with mounted("ro-bind", ro, source=root) as why:
        if why:
            pytest.skip(f"cannot make a read-only bind mount here: {why}")
        new = tmp_path / "新文件.pdf"
        new.write_bytes(b"new evidence" * 10)
        for args in (["ingest", str(new)], ["trash", "1"], ["status"], ["repair"]):
            line = _unchanged_after(ro, *args, "--archive", str(ro), state_of=root)
            assert "只读" in line and "read-only" in line
    assert archive_state(root)[0]["evidence"]


def _nobody_ready() -> str:
    if os.name != "posix" or os.geteuid() != 0:
        return "needs root to switch to the unprivileged user"
    if not shutil.which("setpriv"):
        return "setpriv is not installed"
    if not SYSTEM_PY.exists() or not SITE.is_dir():
        return f"no interpreter the unprivileged user can run ({SYSTEM_PY}, {SITE})"
    return ""


def _as_nobody(*args: str):
    import subprocess

    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp",
           "PYTHONPATH": f"{ROOT}{os.pathsep}{SITE}", "EVIDENCE_DESK_CONFIG_DIR": "/tmp/evidence-desk-nobody-cfg",
           "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", str(SYSTEM_PY), "-s", "-m",
         "desktop", *args],
        capture_output=True, text=True, env=env, cwd="/", timeout=120,
    )


@pytest.fixture
def open_dir():
    """A folder the unprivileged user can reach (pytest's tmp folders are root-only)."""
    why = _nobody_ready()
    if why:
        pytest.skip(why)
    d = Path(tempfile.mkdtemp(prefix="evidence-desk-nobody-", dir="/tmp"))
    os.chmod(d, 0o755)
    r = _as_nobody("--help")
    if r.returncode != 0:
        shutil.rmtree(d)
        pytest.skip(f"the unprivileged user cannot run the program: {r.stderr.strip()[-200:]}")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def test_archive_not_writable_by_this_user(open_dir):
    root = open_dir / "archive"
    make_sources(open_dir / "src", 2, seed=5)
    assert cli("init", "--archive", str(root)).returncode == 0
    assert cli("ingest", "--archive", str(root), str(open_dir / "src")).returncode == 0
    for p in [open_dir / "src", *(open_dir / "src").rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    before = archive_state(root)
    for args in (["ingest", str(open_dir / "src")], ["status"], ["trash", "1"]):
        r = _as_nobody(*args, "--archive", str(root))
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        line = one_error_line(r.stderr)
        assert "只读" in line and "no write permission" in line
    assert archive_state(root) == before


def test_unreadable_source_file(open_dir):
    root = open_dir / "archive"
    assert cli("init", "--archive", str(root)).returncode == 0
    assert cli("status", "--archive", str(root)).returncode == 0
    chown_tree(root, NOBODY)
    secret = open_dir / "内部资料.pdf"
    secret.write_bytes(b"root only" * 50)
    os.chmod(secret, 0o600)
    before = archive_state(root)
    r = _as_nobody("ingest", "--archive", str(root), str(secret))
    # a file named on the command line that cannot be read is bad input: exit 2, one line
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    failing = [ln for ln in (r.stdout + r.stderr).splitlines() if str(secret) in ln]
    assert len(failing) == 1 and "没有读取权限" in failing[0] and "no permission to read" in failing[0]
    assert archive_state(root)[0] == before[0]
    assert not list((root / "files" / ".incoming").glob("*"))
