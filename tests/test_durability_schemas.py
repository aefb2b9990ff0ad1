"""Archives written by every earlier schema version open in this one.

tests/data/schemas/<revision>.zip holds a small archive written by the version that
introduced that revision (made by tests/data/schemas/make_<revision>.py with that
version's code). Each must open, pass verify, keep its data, and end at the current head
with the tables and columns a new archive has.
"""
from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from durability_helpers import cli

from storage.core import migrate
from storage.core.archive import Archive, read_revision
from storage.durability.verify import verify_archive

pytestmark = pytest.mark.backends

DATA = Path(__file__).resolve().parent / "data" / "schemas"
OLD = sorted(DATA.glob("*.zip"))


def _unpack(zip_path: Path, tmp_path: Path) -> Path:
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(tmp_path)
    return tmp_path / "archive"


def _schema(db: Path, *, indexes: bool = False) -> dict:
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'fts_%' AND name NOT LIKE 'search_%' ORDER BY name")]
        out = {t: sorted(r[1] for r in con.execute(f'PRAGMA table_info("{t}")')) for t in tables}
        if indexes:
            out = {"indexes": sorted(r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='index' AND name NOT LIKE 'sqlite_%'"))}
        return out
    finally:
        con.close()


def test_every_schema_revision_has_test_data():
    revisions = migrate.known_revisions()
    assert {p.stem for p in OLD} == revisions, "add tests/data/schemas/<rev>.zip for each new revision"


@pytest.mark.sqlite_only("archives of old schemas kept as SQLite zips (test_pg_archive migrates an old server schema)")
@pytest.mark.parametrize("zip_path", OLD, ids=[p.stem for p in OLD])
def test_old_archive_opens_in_the_current_version(zip_path, tmp_path):
    root = _unpack(zip_path, tmp_path)
    assert read_revision(root / "archive.sqlite3") == zip_path.stem
    with Archive.open(root) as a:
        rep = verify_archive(a)
        assert rep.ok, rep.problems
        with a.sessions.read() as s:
            from sqlalchemy import func, select

            from storage.models import Evidence, EvidenceFile

            assert s.scalar(select(func.count(Evidence.id))) == 3
            assert s.scalar(select(func.count(EvidenceFile.id))) == 3
            assert s.scalar(select(func.count(Evidence.id)).where(Evidence.trashed_at.is_not(None))) == 1
    assert read_revision(root / "archive.sqlite3") == migrate.head_revision()
    fresh = Archive.create(tmp_path / "fresh")
    fresh.close()
    assert _schema(root / "archive.sqlite3") == _schema(fresh.db_path)
    for args in (["status"], ["verify"], ["log"], ["trash"]):
        r = cli(*args, "--archive", str(root))
        assert r.returncode == 0, (args, r.stderr)


@pytest.mark.sqlite_only("compares SQLite schemas of the zipped old archives")
@pytest.mark.parametrize("zip_path", OLD, ids=[p.stem for p in OLD])
def test_old_archive_has_the_current_indexes_after_opening(zip_path, tmp_path):
    root = _unpack(zip_path, tmp_path)
    Archive.open(root).close()
    fresh = Archive.create(tmp_path / "fresh")
    fresh.close()
    assert _schema(root / "archive.sqlite3", indexes=True) == _schema(fresh.db_path, indexes=True)
