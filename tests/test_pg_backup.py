"""verify, backup and restore of a server archive (issue 9): a backup of the PostgreSQL
archive is the usual backup (manifest + SQLite copy + files), restores to a folder or onto
a server, and the database-only backups in backups/ restore in place."""
from __future__ import annotations

import json
import zipfile

import pytest
from conftest import run_cli
from pg_helpers import fresh_url, password, requires_pg
from sqlalchemy import MetaData, select

pytestmark = requires_pg

TABLES = ("blob", "evidence", "evidence_file", "evidence_indicator", "indicator", "framework",
          "department", "duty", "duty_department", "inbox_entry", "watched_folder")


def rows(archive) -> dict[str, list[tuple]]:
    """Every row of the archive's tables (not the audit log, which restore adds to)."""
    meta = MetaData()
    with archive.engine.connect() as conn:
        meta.reflect(conn, only=TABLES)
        return {t: [tuple(r) for r in conn.execute(select(meta.tables[t]).order_by(*meta.tables[t].primary_key))]
                for t in TABLES}


@pytest.fixture
def pg_demo(tmp_path, monkeypatch):
    """The demo archive's content, on the server (moved there by migrate_to_server)."""
    from desktop.actions.demo import create_demo_archive
    from storage.core.archive import Archive
    from storage.durability.server_migrate import migrate_to_server

    monkeypatch.setenv("PGPASSWORD", password())
    demo = create_demo_archive(tmp_path / "demo")
    root, on_server = demo.root, demo.is_server
    demo.close()
    if not on_server:
        assert migrate_to_server(root, fresh_url()).verify_ok
    a = Archive.open(root)
    assert a.is_server
    yield a
    a.close()


def test_verify_on_a_server_archive_finds_file_problems_and_database_ok(pg_demo):
    from storage.durability.verify import verify_archive

    rep = verify_archive(pg_demo)
    assert rep.ok and rep.files_checked > 0
    sha, path = next(pg_demo.files.iter_stored())
    path.chmod(0o644)
    path.write_bytes(b"flipped")
    rep = verify_archive(pg_demo)
    assert [p.kind for p in rep.problems] == ["corrupt"] and rep.problems[0].sha256 == sha


def test_backup_of_a_server_archive_restores_to_a_folder_and_onto_a_server(pg_demo, tmp_path):
    from storage.core.archive import Archive
    from storage.durability.backup import backup_archive, restore_archive

    before = rows(pg_demo)
    assert before["evidence"] and before["indicator"]
    rep = backup_archive(pg_demo, tmp_path / "backup.zip")
    with zipfile.ZipFile(tmp_path / "backup.zip") as z:
        manifest = json.loads(z.read("manifest.json"))
        assert "archive.sqlite3" in z.namelist()
    assert manifest["source_backend"] == "postgresql" and password() not in json.dumps(manifest)
    assert manifest["files"] == rep.files > 0

    # To a folder: a single-clerk archive (SQLite) with the same rows.
    r1 = restore_archive(tmp_path / "backup.zip", tmp_path / "laptop")
    assert r1.verify_ok, r1.verify_problems
    with Archive.open(tmp_path / "laptop") as lap:
        if not lap.is_server:
            assert (tmp_path / "laptop" / "archive.sqlite3").is_file()
        assert rows(lap) == before

    # Onto another server database, the folder getting the files and server.json.
    url = fresh_url()
    r2 = restore_archive(tmp_path / "backup.zip", tmp_path / "share2", db_url=url)
    assert r2.verify_ok, r2.verify_problems
    assert (tmp_path / "share2" / "server.json").is_file()
    with Archive.open(tmp_path / "share2") as again:
        assert again.is_server and rows(again) == before
        # New rows get fresh ids after the copied ones (sequences moved on).
        from storage.catalogue.departments import get_or_create_department

        with again.sessions.write() as s:
            d = get_or_create_department(s, "新成立的县数据局")
        assert d.id > max(r[0] for r in before["department"])


def test_database_backup_in_backups_restores_a_server_archive_in_place(pg_demo, tmp_path):
    from storage.catalogue.items import update_evidence_metadata
    from storage.durability.backup import restore_database

    snap = pg_demo.backup_database(reason="manual")
    before = rows(pg_demo)
    eid = before["evidence"][0][0]
    with pg_demo.sessions.write() as s:
        update_evidence_metadata(s, eid, title="备份之后改的标题")
    assert rows(pg_demo) != before
    rep = restore_database(snap, pg_demo.root)
    assert rep.verify_ok and rep.replaced_database
    assert rows(pg_demo) == before
    # The replaced state is kept, as a SQLite file, and holds the later edit.
    from storage.core.db import read_sqlite_rows

    titles = [r[0] for r in read_sqlite_rows(rep.replaced_database, f"SELECT title FROM evidence WHERE id={eid}")]
    assert titles == ["备份之后改的标题"]


def test_cli_backup_and_restore_onto_a_server(pg_demo, tmp_path):
    r = run_cli("backup", str(tmp_path / "b"), "--archive", str(pg_demo.root))
    assert r.returncode == 0, r.stderr
    url = fresh_url()
    r = run_cli("restore", str(tmp_path / "b"), "--archive", str(tmp_path / "share3"), "--db-url", url)
    assert r.returncode == 0, r.stderr
    assert "校验通过" in r.stdout and (tmp_path / "share3" / "server.json").is_file()
    r = run_cli("restore", str(tmp_path / "b"), "--archive", str(tmp_path / "share4"), "--db-url", url)
    assert r.returncode == 2 and "不是空的" in r.stderr  # never over an archive
    assert not (tmp_path / "share4" / "server.json").exists()


def test_trash_purge_and_repair_on_a_server_archive(pg_demo, tmp_path):
    import os

    from storage.durability.trash import list_trash, purge, trash_evidence, untrash_evidence
    from storage.durability.verify import repair_archive
    from storage.models import Blob, Evidence, InboxEntry

    eid = rows(pg_demo)["evidence"][0][0]
    assert [t.evidence_id for t in trash_evidence(pg_demo, [eid])] == [eid]
    assert [t.evidence_id for t in list_trash(pg_demo)] == [eid]
    untrash_evidence(pg_demo, [eid])
    trash_evidence(pg_demo, [eid])
    plan = purge(pg_demo, [eid])
    with pg_demo.sessions.read() as s:
        assert s.get(Evidence, eid) is None
    assert [t.evidence_id for t in plan.items] == [eid] and plan.files

    orphan_src = tmp_path / "孤儿.pdf"
    orphan_src.write_bytes(b"orphan content" * 100)
    orphan = pg_demo.files.store(orphan_src)
    sha_back, path_back = next((sha, p) for sha, p in pg_demo.files.iter_stored() if sha != orphan.sha256)
    rep = repair_archive(pg_demo, grace_seconds=0)
    assert "adopted" in [a.kind for a in rep.actions]
    with pg_demo.sessions.read() as s:
        blob = s.query(Blob).filter_by(sha256=orphan.sha256).one()
        assert s.query(InboxEntry).filter_by(blob_id=blob.id).count() == 1
    assert rep.after is not None and not [p for p in rep.after.problems if p.kind == "orphan"]
    assert os.path.exists(path_back)
