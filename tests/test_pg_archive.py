"""A multi-seat archive on PostgreSQL (issue 9): the folder with server.json, the database
on a real (throw-away) PostgreSQL server, opened by URL or by the folder alone."""
from __future__ import annotations

import json
import os
import sys

import pytest
from conftest import ROOT, run_cli
from pg_helpers import fresh_url, no_password, password, requires_pg
from sqlalchemy import func, select, text

pytestmark = requires_pg


@pytest.fixture
def pg_archive(tmp_path, monkeypatch):
    from storage.core.archive import Archive

    url = fresh_url()
    monkeypatch.setenv("PGPASSWORD", password())
    a = Archive.create(tmp_path / "share" / "archive", db_url=url)
    yield a
    a.close()


def test_create_writes_server_json_without_password_and_reopens_by_folder(tmp_path, monkeypatch):
    from storage.core.archive import Archive, is_archive
    from storage.core.migrate import SCHEMA_HEAD, current_revision

    url = fresh_url()
    root = tmp_path / "share" / "archive"
    a = Archive.create(root, db_url=url)
    assert a.backend == "postgresql" and a.is_server
    assert current_revision(a.engine) == SCHEMA_HEAD
    a.close()
    info = json.loads((root / "server.json").read_text(encoding="utf-8"))
    assert info["format"] == "evidence-desk-server"
    assert info["url"] == no_password(url).replace("postgresql+psycopg", "postgresql")
    assert password() not in (root / "server.json").read_text(encoding="utf-8")
    assert not (root / "archive.sqlite3").exists() and is_archive(root)
    assert {p.name for p in root.iterdir()} >= {"files", "backups", "quarantine", "server.json"}

    # Another seat: the folder alone, the password from PGPASSWORD (libpq).
    monkeypatch.setenv("PGPASSWORD", password())
    with Archive.open(root) as b:
        assert b.is_server
        with b.sessions.read() as s:
            assert s.scalar(text("SELECT current_database()")) == url.rsplit("/", 1)[1]
    # … or the whole URL given.
    monkeypatch.delenv("PGPASSWORD")
    with Archive.open(root, db_url=url) as c:
        assert c.is_server


def test_clear_messages_for_wrong_password_other_database_and_non_empty_database(tmp_path, monkeypatch):
    from storage.core.archive import Archive
    from storage.kernel.errors import ArchiveError, NotAnArchive

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    url = fresh_url()
    root = tmp_path / "a"
    Archive.create(root, db_url=url).close()
    with pytest.raises(ArchiveError) as e:
        Archive.open(root)
    assert "无法连接数据库服务器" in e.value.zh and "password" in e.value.en
    assert password() not in str(e.value)

    other = fresh_url()
    Archive.create(tmp_path / "b", db_url=other).close()
    with pytest.raises(NotAnArchive) as e:
        Archive.open(root, db_url=other)  # the folder belongs to another database
    assert "另一个档案库" in e.value.zh

    with pytest.raises(ArchiveError) as e:
        Archive.create(tmp_path / "c", db_url=other)  # not empty
    assert "不是空的" in e.value.zh and not (tmp_path / "c" / "server.json").exists()

    with pytest.raises(ArchiveError) as e:
        Archive.create(tmp_path / "d", db_url="mysql://x@y/z")
    assert "PostgreSQL" in e.value.zh


def test_sqlite_folder_with_db_url_is_refused_and_cli_env_only_applies_to_server_archives(tmp_path):
    from storage.core.archive import Archive
    from storage.kernel.errors import ArchiveError

    url = fresh_url()
    local = tmp_path / "local"
    r = run_cli("init", "--archive", str(local), env={"EVIDENCE_DESK_DB_URL": ""})
    assert r.returncode == 0, r.stderr
    if not (local / "archive.sqlite3").exists():
        pytest.skip("the PostgreSQL pass makes every init a server archive")
    with pytest.raises(ArchiveError) as e:
        Archive.open(local, db_url=url)
    assert "migrate-to-server" in e.value.zh
    # A seat with EVIDENCE_DESK_DB_URL set still opens a single-clerk folder.
    r = run_cli("status", "--archive", str(local), env={"EVIDENCE_DESK_DB_URL": url})
    assert r.returncode == 0, r.stderr


def test_cli_init_and_commands_through_db_url_and_env(tmp_path):
    url = fresh_url()
    root = tmp_path / "share"
    r = run_cli("init", "--archive", str(root), "--db-url", url, env={"PGPASSWORD": ""})
    assert r.returncode == 0, r.stderr
    assert (root / "server.json").is_file()
    src = tmp_path / "src"
    src.mkdir()
    (src / "质量工作台账.txt").write_text("2023 年计量台账", encoding="utf-8")
    r = run_cli("ingest", str(src), "--archive", str(root), env={"EVIDENCE_DESK_DB_URL": url, "PGPASSWORD": ""})
    assert r.returncode == 0, r.stderr
    r = run_cli("--json", "status", "--archive", str(root), "--json", env={"PGPASSWORD": password()})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["evidence_total"] == 1
    r = run_cli("verify", "--archive", str(root), env={"PGPASSWORD": ""})
    assert r.returncode == 2 and "错误：无法连接数据库服务器" in r.stderr and "(error: cannot connect" in r.stderr
    assert password() not in r.stderr


def test_same_migrations_make_the_same_schema_on_both_back_ends(pg_archive, tmp_path):
    from sqlalchemy import inspect

    from storage.core.archive import Archive

    with Archive.create(tmp_path / "lite", db_url=None) as lite:
        def shape(engine):
            insp = inspect(engine)
            return {
                t: (sorted(c["name"] for c in insp.get_columns(t)),
                    sorted(i["name"] for i in insp.get_indexes(t) if not i.get("duplicates_constraint")),
                    sorted(u["name"] for u in insp.get_unique_constraints(t)),
                    sorted(f["referred_table"] for f in insp.get_foreign_keys(t)))
                # the tally is SQLite's (kept by its triggers); PostgreSQL counts by scans
                for t in insp.get_table_names() if not t.startswith("search_") and t != "tally"
            }
        if lite.backend != "sqlite":
            pytest.skip("the PostgreSQL pass makes every archive a server archive")
        assert shape(lite.engine) == shape(pg_archive.engine)


def test_backup_before_migration_and_upgrade_on_open(tmp_path, monkeypatch):
    """An archive on the server at an older schema: opening backs it up, then migrates."""
    from storage.core import migrate, server
    from storage.core.archive import Archive
    from storage.core.db import make_engine

    url = fresh_url()
    engine = make_engine(server.normalize_url(url))
    migrate.upgrade(engine, "0001")
    server.set_archive_id(engine, "old-one")
    engine.dispose()
    root = tmp_path / "old"
    (root / "files").mkdir(parents=True)
    server.write_server_file(root, url, "old-one")
    monkeypatch.setenv("PGPASSWORD", password())
    with Archive.open(root) as a:
        assert migrate.current_revision(a.engine) == migrate.SCHEMA_HEAD
        before = [p for p in a.list_backups() if "before-migration-0001" in p.name]
        assert len(before) == 1
        from storage.core.db import read_sqlite_revision

        assert read_sqlite_revision(before[0]) == "0001"


def test_window_lock_is_per_seat_on_a_server_archive(pg_archive):
    lock = pg_archive.acquire_window_lock()
    try:
        assert lock.path.name.startswith("window-") and lock.path.parent == pg_archive.root
    finally:
        lock.release()


def test_python_path_independent_subprocess_opens_by_folder(pg_archive):
    """A second process (a second seat) opens the same archive by its folder alone."""
    import subprocess

    code = (
        "import sys; from storage.core.archive import Archive; "
        "a = Archive.open(sys.argv[1], daily_backup=False); print(a.backend, a.database_label); a.close()"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), PGPASSWORD=password())
    r = subprocess.run([sys.executable, "-c", code, str(pg_archive.root)], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("postgresql postgresql://") and password() not in r.stdout


def test_blob_counts_match_after_ingest(pg_archive, tmp_path):
    from storage.catalogue.ingest import ingest_paths
    from storage.models import Blob, Evidence

    src = tmp_path / "src"
    src.mkdir()
    for i in range(30):
        (src / f"f{i}.txt").write_text(f"content {i % 20}", encoding="utf-8")
    rep = ingest_paths(pg_archive, [src])
    assert rep.count("stored") == 20 and rep.count("duplicate") == 10
    with pg_archive.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 20
        assert s.scalar(select(func.count()).select_from(Evidence)) == 20
    assert sum(1 for _ in pg_archive.files.iter_stored()) == 20


def test_archive_from_a_newer_version_on_the_server_is_refused_and_left_untouched(pg_archive):
    from storage.core.archive import Archive
    from storage.kernel.errors import SchemaTooNew

    root = pg_archive.root
    with pg_archive.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num='9999_future'")
    pg_archive.close()
    listing = sorted(p.name for p in root.iterdir())
    with pytest.raises(SchemaTooNew) as e:
        Archive.open(root)
    assert "更新版本" in e.value.zh and "newer" in e.value.en
    assert sorted(p.name for p in root.iterdir()) == listing and not list((root / "backups").iterdir())
    from storage.core import migrate
    from storage.core.db import make_engine
    from storage.core.server import normalize_url, read_server_file

    engine = make_engine(normalize_url(read_server_file(root).url))
    try:
        assert migrate.current_revision(engine) == "9999_future"
    finally:
        engine.dispose()
