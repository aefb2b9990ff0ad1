"""Upgrades between builds (issue 8, item 6), on top of tests/test_durability_schemas.py
(every old schema opens, verifies and reaches the head schema) and test_archive.py (a newer
archive is refused untouched):

- opening an older archive takes a backup first, and that backup is the archive as it was
  (old schema revision, same rows), so a failed upgrade can be undone by `restore`;
- opening it again does not migrate or back up again; the backup restores;
- a program older than the archive refuses it in one line that names the archive's schema,
  the newest schema this program opens, and this program's version; nothing is written;
- the same for restoring a backup made by a newer program.
"""
from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from pathlib import Path

import pytest

from desktop.version import VERSION
from storage.core import migrate
from storage.core.archive import Archive, read_revision
from tests.conftest import run_cli

DATA = Path(__file__).resolve().parent / "data" / "schemas"
OLDER = [p for p in sorted(DATA.glob("*.zip")) if p.stem != migrate.head_revision()]


def _unpack(zip_path: Path, dest: Path) -> Path:
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(dest)
    return dest / "archive"


def _count(db: Path, table: str) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    finally:
        con.close()


def test_there_is_an_older_schema_to_upgrade_from():
    assert OLDER, "tests/data/schemas holds archives of earlier schemas"


@pytest.mark.parametrize("zip_path", OLDER, ids=[p.stem for p in OLDER])
def test_older_archive_is_backed_up_then_migrated(zip_path, tmp_path):
    root = _unpack(zip_path, tmp_path)
    old = zip_path.stem
    db = root / "archive.sqlite3"
    before = {t: _count(db, t) for t in ("evidence", "evidence_file", "blob")}
    assert read_revision(db) == old

    # through the command line, as a clerk's first start of the new version does
    r = run_cli("status", "--archive", str(root))
    assert r.returncode == 0, r.stderr
    assert read_revision(db) == migrate.head_revision()

    backups = sorted((root / "backups").glob(f"*before-migration-{old}*"))
    assert len(backups) == 1, sorted(p.name for p in (root / "backups").iterdir())
    backup = backups[0]
    assert read_revision(backup) == old
    assert {t: _count(backup, t) for t in before} == before
    assert {t: _count(db, t) for t in before} == before

    # the second start neither migrates nor backs up before migrating again
    with Archive.open(root, daily_backup=False):
        pass
    assert sorted((root / "backups").glob("*before-migration-*")) == backups


@pytest.mark.parametrize("zip_path", OLDER, ids=[p.stem for p in OLDER])
def test_the_pre_migration_backup_restores_the_archive(zip_path, tmp_path):
    """Rolling back: the backup taken before the migration goes back into the archive with
    `restore` (the current database is kept aside), and everything is there again."""
    root = _unpack(zip_path, tmp_path)
    Archive.open(root).close()
    [backup] = (root / "backups").glob(f"*before-migration-{zip_path.stem}*")
    before = _count(root / "archive.sqlite3", "evidence")
    r = run_cli("restore", str(backup), "--archive", str(root))
    assert r.returncode == 0, r.stdout + r.stderr
    assert list((root / "backups").glob("replaced-*archive.sqlite3")), "the replaced database is kept"
    assert _count(root / "archive.sqlite3", "evidence") == before
    assert run_cli("verify", "--archive", str(root)).returncode == 0


def _future(root: Path, rev: str = "0099_future") -> str:
    con = sqlite3.connect(root / "archive.sqlite3")
    con.execute("UPDATE alembic_version SET version_num=?", (rev,))
    con.commit()
    con.close()
    return hashlib.sha256((root / "archive.sqlite3").read_bytes()).hexdigest()


def test_older_program_refuses_a_newer_archive_naming_both_versions(tmp_path):
    root = tmp_path / "档案库"
    Archive.create(root).close()
    digest = _future(root)
    r = run_cli("status", "--archive", str(root))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    line = lines[0]
    assert line.startswith("错误：") and "(error:" in line
    head = migrate.head_revision()
    for part in ("0099_future", head, VERSION, "更新版本", "newer"):
        assert part in line, part
    # Chinese first, English after
    assert line.index(VERSION) < line.index("(error:") < line.rindex(VERSION)
    assert hashlib.sha256((root / "archive.sqlite3").read_bytes()).hexdigest() == digest
    assert list((root / "backups").iterdir()) == []


def test_other_errors_are_not_decorated(tmp_path):
    r = run_cli("status", "--archive", str(tmp_path / "不存在"))
    assert r.returncode == 2 and VERSION not in r.stderr


def test_window_names_both_versions_when_an_archive_is_too_new(qtbot, monkeypatch, tmp_path):
    """Switching to a newer archive in the window shows the same message as the command line:
    what the archive needs and what this program is; the archive is left untouched."""
    from desktop.window.app import App

    root = tmp_path / "新档案库"
    Archive.create(root).close()
    digest = _future(root)
    shown: list[str] = []
    app = App()
    qtbot.addWidget(app.window)
    monkeypatch.setattr(app.window, "show_error", lambda text, *a, **k: shown.append(text))
    try:
        app.switch("open", str(root))
    finally:
        app.shutdown()
    assert len(shown) == 1
    for part in ("0099_future", migrate.head_revision(), VERSION, "更新版本"):
        assert part in shown[0], (part, shown[0])
    assert hashlib.sha256((root / "archive.sqlite3").read_bytes()).hexdigest() == digest
