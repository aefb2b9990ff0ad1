"""migrate-to-server and migrate-to-file (issue 9): a single-clerk archive onto the server
and back, in place or into a new folder, verify passing on both sides, nothing lost."""
from __future__ import annotations

import json

import pytest
from conftest import run_cli
from pg_helpers import fresh_url, password, requires_pg
from test_pg_backup import rows

pytestmark = requires_pg


@pytest.fixture
def lite_demo(tmp_path, monkeypatch):
    from desktop.actions.demo import create_demo_archive

    monkeypatch.setenv("PGPASSWORD", password())
    a = create_demo_archive(tmp_path / "demo")
    if a.is_server:
        a.close()
        pytest.skip("the PostgreSQL pass makes every archive a server archive")
    yield a
    a.close()


def test_round_trip_in_place_keeps_every_row_and_file(lite_demo, tmp_path):
    from storage.core.archive import Archive
    from storage.durability.server_migrate import migrate_to_file, migrate_to_server
    from storage.durability.verify import verify_archive

    root = lite_demo.root
    before = rows(lite_demo)
    files_before = sorted(sha for sha, _ in lite_demo.files.iter_stored())
    lite_demo.close()
    url = fresh_url()
    rep = migrate_to_server(root, url)
    assert rep.source_verified and rep.verify_ok, rep.verify_problems
    assert (root / "server.json").is_file() and not (root / "archive.sqlite3").exists()
    assert "moved-to-server" in rep.kept and (root / "backups").joinpath(rep.kept.rsplit("/", 1)[1]).is_file()
    assert rep.rows["evidence"] == len(before["evidence"])
    with Archive.open(root) as srv:
        assert srv.is_server and rows(srv) == before
        assert verify_archive(srv).ok
        # A seat works on the server archive: a new item gets an id after the copied ones.
        from storage.catalogue.ingest import ingest_paths

        new = tmp_path / "new.txt"
        new.write_text("迁移后新收的材料", encoding="utf-8")
        item = ingest_paths(srv, [new]).items[0]
        assert item.outcome == "stored" and item.evidence_id > max(r[0] for r in before["evidence"])
        after_server = rows(srv)

    back = migrate_to_file(root)
    assert back.verify_ok and (root / "archive.sqlite3").is_file() and not (root / "server.json").exists()
    with Archive.open(root) as lite:
        assert not lite.is_server and rows(lite) == after_server
        assert sorted(sha for sha, _ in lite.files.iter_stored()) == sorted(files_before + [item.sha256])
        assert verify_archive(lite).ok


def test_to_a_new_folder_leaves_the_source_untouched(lite_demo, tmp_path):
    from storage.core.archive import Archive
    from storage.durability.server_migrate import migrate_to_file, migrate_to_server

    root = lite_demo.root
    before = rows(lite_demo)
    lite_demo.close()
    url = fresh_url()
    rep = migrate_to_server(root, url, to=tmp_path / "share" / "县质量办档案库")
    assert rep.verify_ok and rep.files_copied > 0
    assert (root / "archive.sqlite3").is_file() and not (root / "server.json").exists()
    share = tmp_path / "share" / "县质量办档案库"
    with Archive.open(share) as srv:
        assert rows(srv) == before
    rep = migrate_to_file(share, to=tmp_path / "laptop")
    assert rep.verify_ok and (share / "server.json").is_file()
    with Archive.open(tmp_path / "laptop") as lap:
        assert not lap.is_server and rows(lap) == before


def test_refusals_leave_everything_as_it_was(lite_demo, tmp_path):
    from storage.core.archive import Archive
    from storage.durability.server_migrate import migrate_to_file, migrate_to_server
    from storage.kernel.errors import ArchiveError

    root = lite_demo.root
    # A damaged archive is not carried over.
    sha, path = next(lite_demo.files.iter_stored())
    path.chmod(0o644)
    data = path.read_bytes()
    path.write_bytes(b"x" + data[1:])
    lite_demo.close()
    url = fresh_url()
    with pytest.raises(ArchiveError) as e:
        migrate_to_server(root, url)
    assert "verify --repair" in e.value.zh
    path.write_bytes(data)
    # Not into a database that holds something.
    other = fresh_url()
    Archive.create(tmp_path / "other", db_url=other).close()
    with pytest.raises(ArchiveError) as e:
        migrate_to_server(root, other)
    assert "不是空的" in e.value.zh
    assert (root / "archive.sqlite3").is_file() and not (root / "server.json").exists()
    with pytest.raises(ArchiveError):
        migrate_to_file(root)  # not on a server


def test_cli_migrate_to_server_and_back_and_server_info(lite_demo, tmp_path):
    root = lite_demo.root
    before = rows(lite_demo)
    lite_demo.close()
    url = fresh_url()
    r = run_cli("migrate-to-server", "--archive", str(root), "--db-url", url)
    assert r.returncode == 0, r.stderr
    assert "迁移前后校验均通过" in r.stdout and password() not in r.stdout
    r = run_cli("--json", "server-info", "--archive", str(root), "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["backend"] == "postgresql" and info["watcher"] == "" and password() not in r.stdout
    r = run_cli("migrate-to-file", "--archive", str(root))
    assert r.returncode == 0, r.stderr
    from storage.core.archive import Archive

    with Archive.open(root) as a:
        assert not a.is_server and rows(a) == before
    r = run_cli("migrate-to-server", "--archive", str(root), env={"EVIDENCE_DESK_DB_URL": ""})
    assert r.returncode == 2 and "--db-url" in r.stderr
