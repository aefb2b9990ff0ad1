"""backup DEST / restore SRC --archive DIR, daily backups on open, and a backup taken while
another process writes."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import zipfile

import pytest
from durability_helpers import archive_state, cli, db_rows, make_sources, one_error_line, python_env, tree
from sqlalchemy import text

from storage.catalogue.ingest import ingest_paths
from storage.core.archive import KEEP_DAILY, Archive
from storage.core.migrate import SCHEMA_HEAD
from storage.durability.backup import backup_archive, restore_archive
from storage.durability.verify import verify_archive

pytestmark = pytest.mark.backends


def _filled(tmp_path, n=12, seed=1):
    a = Archive.create(tmp_path / "archive")
    ingest_paths(a, [tmp_path / "src"] if make_sources(tmp_path / "src", n, seed=seed) else [])
    return a


@pytest.mark.sqlite_only("compares rows read from the SQLite files (durability_helpers.db_rows); test_pg_backup covers the server archive")
@pytest.mark.parametrize("kind", ["folder", "zip"])
def test_backup_and_restore_round_trip(tmp_path, kind):
    a = _filled(tmp_path)
    dest = tmp_path / ("bk.zip" if kind == "zip" else "bk")
    rep = backup_archive(a, dest)
    assert rep.files == 12 and rep.schema == SCHEMA_HEAD
    assert dest.exists() and not (tmp_path / (dest.name + ".partial")).exists()
    if kind == "zip":
        names = zipfile.ZipFile(dest).namelist()
        assert "manifest.json" in names and "archive.sqlite3" in names
    rows_before = db_rows(a.db_path)
    a.close()
    out = restore_archive(dest, tmp_path / "restored")
    assert out.verify_ok, out.verify_problems
    restored = tmp_path / "restored"
    after = db_rows(restored / "archive.sqlite3")
    for table in ("evidence", "evidence_file", "blob", "department"):
        assert after[table] == rows_before[table]
    assert {k: v for k, v in tree(a.root / "files").items()} == tree(restored / "files")


def test_cli_backup_restore_and_bad_destinations(tmp_path):
    a = _filled(tmp_path, n=4)
    a.close()
    root = str(a.root)
    r = cli("backup", "--archive", root, str(tmp_path / "b.zip"), "--json")
    assert r.returncode == 0, r.stderr
    assert '"files": 4' in r.stdout
    # Destination exists / inside the archive / parent missing: one line, exit 2.
    for bad in (tmp_path / "b.zip", a.root / "inside.zip", tmp_path / "no" / "such" / "b.zip"):
        r = cli("backup", "--archive", root, str(bad))
        assert r.returncode == 2, r.stdout
        one_error_line(r.stderr)
    r = cli("restore", str(tmp_path / "b.zip"), "--archive", str(tmp_path / "new"))
    assert r.returncode == 0, r.stderr
    assert "校验通过" in r.stdout
    # Never over an existing archive.
    before = archive_state(tmp_path / "new")
    r = cli("restore", str(tmp_path / "b.zip"), "--archive", str(tmp_path / "new"))
    assert r.returncode == 2
    assert "不会覆盖" in one_error_line(r.stderr)
    assert archive_state(tmp_path / "new") == before
    # Not a backup, missing backup, no --archive.
    (tmp_path / "junk.zip").write_bytes(b"PK not really")
    for args in (["restore", str(tmp_path / "junk.zip"), "--archive", str(tmp_path / "x")],
                 ["restore", str(tmp_path / "nope.zip"), "--archive", str(tmp_path / "x")],
                 ["restore", str(tmp_path / "b.zip")]):
        r = cli(*args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        one_error_line(r.stderr)
    assert not (tmp_path / "x" / "archive.sqlite3").exists()


def test_restore_refuses_a_damaged_or_hostile_backup(tmp_path):
    a = _filled(tmp_path, n=3)
    backup_archive(a, tmp_path / "bk")
    a.close()
    # A flipped byte in a stored file: refused, the target does not become an archive.
    victim = next(p for p in (tmp_path / "bk" / "files").rglob("*") if p.is_file())
    data = bytearray(victim.read_bytes())
    data[10] ^= 0xFF
    victim.write_bytes(bytes(data))
    r = cli("restore", str(tmp_path / "bk"), "--archive", str(tmp_path / "t1"))
    assert r.returncode == 2
    assert "损坏" in one_error_line(r.stderr)
    assert not (tmp_path / "t1" / "archive.sqlite3").exists()
    # A zip with a path-traversal entry is refused before anything is written.
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as z:
        z.writestr("manifest.json", '{"format": "evidence-desk-backup", "format_version": 1}')
        z.writestr("archive.sqlite3", b"")
        z.writestr("../../escape.txt", b"x")
    r = cli("restore", str(tmp_path / "evil.zip"), "--archive", str(tmp_path / "t2"))
    assert r.returncode == 2
    one_error_line(r.stderr)
    assert not (tmp_path / "t2").exists() and not (tmp_path.parent / "escape.txt").exists()


@pytest.mark.sqlite_only("swaps archive.sqlite3 files; test_pg_backup restores a server database in place")
def test_restore_of_a_database_backup_keeps_the_replaced_database(tmp_path):
    a = _filled(tmp_path, n=3)
    early = a.backup_database(reason="manual")
    make_sources(tmp_path / "later", 2, seed=9)
    ingest_paths(a, [tmp_path / "later"])
    a.close()
    r = cli("restore", str(early), "--archive", str(a.root), "--json")
    # Files stored after the backup are now orphans: restore says so and repair adopts them.
    assert r.returncode == 1, r.stderr
    assert "orphan" in r.stdout
    kept = list((a.root / "backups").glob("replaced-*archive.sqlite3"))
    assert len(kept) == 1 and len(db_rows(kept[0])["evidence"]) == 5
    r = cli("repair", "--archive", str(a.root), "--grace", "0")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("[收入收件箱]") == 2
    with Archive.open(a.root) as b:
        assert verify_archive(b).ok
        assert len(db_rows(b.db_path)["inbox_entry"]) == 2


def test_daily_backup_on_open_is_bounded(tmp_path):
    a = Archive.create(tmp_path / "archive")
    a.close()
    with Archive.open(a.root) as b:
        first = b.list_backups()
    assert len(first) == 1 and first[0].name.endswith("-daily.sqlite3")
    with Archive.open(a.root) as b:  # less than a day later: no new one
        assert b.list_backups() == first
        # Age them: each open a "day" later makes one more, never more than KEEP_DAILY.
        for _day in range(1, KEEP_DAILY + 4):
            for p in b.list_backups():
                old = time.time() - 2 * 86400
                os.utime(p, (old, old))
            time.sleep(0.002)
            assert b.daily_backup_if_due() is not None
        daily = [p for p in b.list_backups() if p.name.endswith("-daily.sqlite3")]
        assert len(daily) == KEEP_DAILY
        assert b.daily_backup_if_due(now=dt.datetime.now()) is None
        # A backup someone made by hand is never pruned.
        manual = b.backup_database(reason="manual")
        for p in b.list_backups():
            os.utime(p, (time.time() - 3 * 86400,) * 2)
        b.daily_backup_if_due()
        assert manual.exists()


WRITER = r"""
import sys, time
from pathlib import Path
from storage.core.archive import Archive
from storage.catalogue.ingest import ingest_paths
root, src = Path(sys.argv[1]), Path(sys.argv[2])
a = Archive.open(root, daily_backup=False)
print("READY", flush=True)
for folder in sorted(src.iterdir()):
    if (src.parent / "stop").exists():
        break
    ingest_paths(a, [folder])
    time.sleep(0.05)  # keep writing for a few seconds, however fast the machine is
print("DONE", flush=True)
a.close()
"""


def test_backup_while_another_process_writes_restores_consistent(tmp_path):
    a = Archive.create(tmp_path / "archive")
    a.close()
    for i in range(80):
        make_sources(tmp_path / "src" / f"{i:02d}", 5, seed=100 + i, tag=f"b{i}", max_size=20_000)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(a.root), str(tmp_path / "src")],
                            stdout=subprocess.PIPE, text=True, env=python_env())
    try:
        assert proc.stdout.readline().strip() == "READY"
        backups = []
        with Archive.open(a.root, daily_backup=False) as live:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # a loaded machine may start the writer late
                with live.sessions.read() as s:
                    if s.scalar(text("SELECT count(*) FROM evidence")):
                        break
                time.sleep(0.05)
            for n in range(3):
                time.sleep(0.2)
                dest = tmp_path / f"during-{n}.zip"
                backup_archive(live, dest)
                backups.append(dest)
        writing_during = proc.poll() is None
    finally:
        (tmp_path / "stop").touch()
        proc.wait(timeout=120)
        proc.stdout.close()
    assert proc.returncode == 0
    assert writing_during, "the writer finished before the backups; make it longer"
    counts = []
    for n, dest in enumerate(backups):
        rep = restore_archive(dest, tmp_path / f"r{n}")
        assert rep.verify_ok, rep.verify_problems
        rows = db_rows(tmp_path / f"r{n}" / "archive.sqlite3")
        assert len(rows["evidence"]) == len(rows["evidence_file"])  # whole items only
        counts.append(len(rows["evidence"]))
    assert counts == sorted(counts) and 0 < counts[0] and counts[-1] < 400


@pytest.mark.sqlite_only("the window lock guards swapping archive.sqlite3; a server restore is one transaction")
def test_database_restore_refuses_an_archive_open_in_a_window(tmp_path):
    a = _filled(tmp_path, n=2)
    early = a.backup_database(reason="manual")
    lock = a.acquire_window_lock()
    try:
        before = archive_state(a.root)
        r = cli("restore", str(early), "--archive", str(a.root))
        assert r.returncode == 2
        assert "另一个窗口" in one_error_line(r.stderr)
        assert archive_state(a.root) == before
    finally:
        lock.release()
        a.close()
