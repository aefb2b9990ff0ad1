"""Damaged archives and full disks (issue 18, item 4): a zero-length, truncated or foreign
archive.sqlite3 is refused (never opened as a new, empty archive) with a message that
points to the newest automatic backup and `restore`; a stale lock of a dead process never
stops that restore; a full disk while storing stops with one clear line, leaves nothing
`verify` calls an error, and a re-run after space is freed records every file once.

The full-disk cases run on a real 2 MB tmpfs (as root) and skip, saying why, elsewhere.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from durability_helpers import cli, make_sources, mounted, one_error_line, stored_sources

from storage.core.archive import DB_NAME, Archive, ArchiveDamaged


@pytest.fixture
def archive_with_backup(tmp_path: Path) -> tuple[Path, dict[Path, str]]:
    """An archive with 4 items and its daily backup in backups/."""
    root = tmp_path / "archive"
    assert cli("init", "--archive", str(root)).returncode == 0
    src = make_sources(tmp_path / "src", 4, seed=18)
    r = cli("ingest", "--archive", str(root), str(tmp_path / "src"))
    assert r.returncode == 0, r.stderr
    assert list((root / "backups").glob("archive-*-daily.sqlite3")), "the daily backup"
    return root, src


def _damage(root: Path, how: str) -> None:
    db = root / DB_NAME
    with sqlite3.connect(db) as con:  # fold the WAL in, so the file alone is the database
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for side in ("-wal", "-shm"):
        Path(str(db) + side).unlink(missing_ok=True)
    data = db.read_bytes()
    if how == "empty":
        db.write_bytes(b"")
    elif how == "truncated":
        db.write_bytes(data[: len(data) // 2 + 100])
    elif how == "garbage":
        db.write_bytes(b"PK\x03\x04" + os.urandom(len(data) - 4))
    elif how == "no-tables":
        db.unlink()
        sqlite3.connect(db).execute("PRAGMA user_version=1").connection.close()
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE t(x)")
        con.execute("DROP TABLE t")
        con.commit()
        con.close()


@pytest.mark.parametrize("how", ["empty", "truncated", "garbage", "no-tables"])
def test_damaged_database_is_refused_and_points_to_the_backup(archive_with_backup, tmp_path, how):
    root, _ = archive_with_backup
    _damage(root, how)
    before = (root / DB_NAME).read_bytes()
    newest = max((root / "backups").glob("archive-*.sqlite3"), key=lambda p: p.stat().st_mtime)
    for args in (["status"], ["ingest", str(tmp_path / "src")], ["backup", str(tmp_path / "bk")],
                 ["verify"], ["evidence", "show", "1"]):
        r = cli(*args, "--archive", str(root))
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        line = one_error_line(r.stderr)
        assert "损坏" in line or "空" in line, line
        assert str(newest) in line and "restore" in line, line
        assert "Traceback" not in r.stdout
    # never treated as a new archive: the file is exactly as it was, no backup taken of it
    assert (root / DB_NAME).read_bytes() == before
    assert not Path(str(root / DB_NAME) + "-wal").exists()
    assert not (tmp_path / "bk").exists()
    with pytest.raises(ArchiveDamaged):
        Archive.open(root)  # the window opens archives through this


def test_restore_after_damage_with_a_stale_lock_of_a_dead_process(archive_with_backup, tmp_path):
    root, src = archive_with_backup
    _damage(root, "empty")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    import socket

    (root / "window.lock").write_text(json.dumps(
        {"user": "clerk", "host": socket.gethostname(), "pid": dead.pid, "since": "2026-12-01T09:00:00"}
    ), encoding="utf-8")
    newest = max((root / "backups").glob("archive-*.sqlite3"), key=lambda p: p.stat().st_mtime)
    r = cli("restore", str(newest), "--archive", str(root))
    # the daily backup was taken before the 4 files came in: they are orphans to adopt
    assert r.returncode == 1, r.stdout + r.stderr
    assert "没有任何记录指向它" in r.stdout and "repair" in r.stdout
    assert not (root / "window.lock").exists()
    assert list((root / "backups").glob("replaced-*")), "the damaged database is kept"
    r = cli("repair", "--grace", "0", "--archive", str(root))
    assert r.returncode == 0, r.stdout + r.stderr
    r = cli("verify", "--archive", str(root))
    assert r.returncode == 0, r.stdout + r.stderr
    r = cli("status", "--archive", str(root))
    assert r.returncode == 0, r.stderr


def test_damaged_without_backups_says_to_restore_a_full_backup(tmp_path):
    root = tmp_path / "a"
    Archive.create(root).close()
    _damage(root, "empty")
    for p in (root / "backups").glob("*"):
        p.unlink()
    r = cli("status", "--archive", str(root))
    assert r.returncode == 2
    line = one_error_line(r.stderr)
    assert "没有自动备份" in line and "restore" in line and "no automatic backup" in line


def test_a_healthy_archive_still_opens(archive_with_backup):
    root, src = archive_with_backup
    assert cli("status", "--archive", str(root)).returncode == 0
    assert len(stored_sources(root)) == len(src)


def _evidence_count(root: Path) -> int:
    con = sqlite3.connect(f"file:{root / DB_NAME}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM evidence").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("size", [60_000, 150_000])
def test_disk_full_while_storing_then_rerun_makes_no_duplicates(tmp_path, size):
    mnt = tmp_path / "small"
    with mounted("tmpfs", mnt, size="2m") as why:
        if why:
            pytest.skip(f"cannot mount a small tmpfs here: {why}")
        root = mnt / "archive"
        assert cli("init", "--archive", str(root)).returncode == 0
        assert cli("status", "--archive", str(root)).returncode == 0  # the daily backup
        src = make_sources(tmp_path / "src", 20, seed=7, min_size=size, max_size=size)
        r = cli("ingest", "--archive", str(root), str(tmp_path / "src"))
        if size == 150_000:  # 3 MB into 1.5 MB free: must stop
            assert r.returncode == 2, r.stdout + r.stderr
            line = one_error_line(r.stderr)
            assert "磁盘已满" in line and "disk is full" in line
        else:
            assert r.returncode in (0, 2), r.stdout + r.stderr
        v = cli("verify", "--archive", str(root))
        assert v.returncode == 0, v.stdout + v.stderr  # no orphan, no staging leftover
        assert not list((root / "files" / ".incoming").glob("*"))
        first = _evidence_count(root)
        assert first < 20 or size == 60_000
        subprocess.run(["mount", "-o", "remount,size=20m", str(mnt)], check=True)
        r = cli("ingest", "--archive", str(root), str(tmp_path / "src"))
        assert r.returncode == 0, r.stdout + r.stderr
        assert _evidence_count(root) == 20  # each file once
        assert sorted(stored_sources(root)) == sorted(src.values())
        assert all(n == 1 for n in stored_sources(root).values())
        v = cli("verify", "--archive", str(root))
        assert v.returncode == 0, v.stdout + v.stderr


def test_the_window_refuses_a_damaged_archive_with_the_message(archive_with_backup, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop.window.app import App, ensure_app

    monkeypatch.setenv("EVIDENCE_DESK_CONFIG_DIR", str(tmp_path / "config"))  # the user's settings stay untouched
    root, _ = archive_with_backup
    _damage(root, "empty")
    ensure_app()
    app = App()
    qtbot.addWidget(app.window)
    try:
        app.switch("open", str(root))
        boxes = [b for b in app.window.findChildren(QMessageBox) if b.isVisible()]
        assert boxes, "a message box is shown"
        text = boxes[-1].text()
        assert "空文件" in text and "restore" in text and "backups" in text, text
        assert app.controller.archive is None
    finally:
        app.shutdown()
    assert (root / DB_NAME).stat().st_size == 0


def test_backup_and_restore_onto_a_full_disk(tmp_path):
    root = tmp_path / "archive"
    assert cli("init", "--archive", str(root)).returncode == 0
    make_sources(tmp_path / "src", 10, seed=11, min_size=300_000, max_size=300_000)
    assert cli("ingest", "--archive", str(root), str(tmp_path / "src")).returncode == 0
    assert cli("backup", "--archive", str(root), str(tmp_path / "bk")).returncode == 0
    mnt = tmp_path / "small"
    with mounted("tmpfs", mnt, size="1m") as why:
        if why:
            pytest.skip(f"cannot mount a small tmpfs here: {why}")
        r = cli("backup", "--archive", str(root), str(mnt / "bk"))
        assert r.returncode == 2, r.stdout + r.stderr
        line = one_error_line(r.stderr)
        assert "磁盘已满" in line and "disk is full" in line and "备份" in line
        assert not (mnt / "bk" / "manifest.json").exists()
        r = cli("restore", str(tmp_path / "bk"), "--archive", str(mnt / "r"))
        assert r.returncode == 2, r.stdout + r.stderr
        line = one_error_line(r.stderr)
        assert "磁盘已满" in line and "恢复" in line
        assert not (mnt / "r" / DB_NAME).exists()  # never an archive that looks restored
    assert cli("verify", "--archive", str(root)).returncode == 0
