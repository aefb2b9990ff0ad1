"""PostgreSQL for the tests (issue 9).

- `EVIDENCE_DESK_TEST_DB_URL` names a throw-away server (`scripts/pg.sh start` prints it):
  the tests in tests/test_pg_*.py run against it, each with its own new database; without
  it they are skipped with the reason.
- `EVIDENCE_DESK_TEST_BACKEND=postgresql` (scripts/test.sh's second pass) runs the storage
  tests again with every archive a test creates on that server: `Archive.create` without a
  `db_url` gets a new database, and `init` through the CLI too. Tests that are SQLite by
  nature are skipped on that pass with their reason (`sqlite_only` marker, or listed in
  `SQLITE_ONLY` below for test files owned by others).
"""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy.engine import make_url

SERVER = os.environ.get("EVIDENCE_DESK_TEST_DB_URL") or ""
PG_PASS = os.environ.get("EVIDENCE_DESK_TEST_BACKEND") == "postgresql"

requires_pg = pytest.mark.skipif(
    not SERVER, reason="no PostgreSQL test server (EVIDENCE_DESK_TEST_DB_URL; scripts/pg.sh start)")

_made: list[str] = []

# Tests in files owned by others that are about SQLite itself: skipped on the PostgreSQL
# pass, with why. (node id prefix -> reason)
SQLITE_ONLY: dict[str, str] = {
    "tests/test_archive.py::test_archive_on_a_network_path_is_refused_with_a_clear_message":
        "the network-path refusal is for SQLite files (a server archive's folder is meant to be on a share)",
    "tests/test_archive.py::test_create_lays_out_the_folder_and_sets_up_sqlite":
        "archive.sqlite3 and its pragmas (test_pg_archive checks the server layout)",
    "tests/test_archive.py::test_archive_from_a_newer_version_is_refused_and_left_untouched":
        "edits the SQLite file (test_pg_archive has the server version)",
    "tests/test_verify.py::test_verify_detects_database_damage":
        "switches SQLite's foreign keys off to damage the file; PostgreSQL always enforces them",
}


def password() -> str:
    return make_url(SERVER).password or ""


def fresh_url(prefix: str = "t") -> str:
    """A new, empty database on the test server; dropped by `drop_made()`."""
    from storage.core.server import create_database

    name = f"{prefix}_{uuid.uuid4().hex[:16]}"
    url = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    create_database(url)
    _made.append(url)
    return url


def no_password(url: str) -> str:
    return make_url(url)._replace(password=None).render_as_string(hide_password=False)


def drop_made() -> None:
    from storage.core.server import drop_database

    while _made:
        url = _made.pop()
        try:
            drop_database(url)
        except Exception:  # noqa: BLE001 - a test server going away at the end is not a failure
            pass


def backend_fixture(request, monkeypatch):
    """The autouse part: on the PostgreSQL pass, every archive a test creates lives in its
    own new database; SQLite-only tests are skipped."""
    if not PG_PASS:
        yield
        return
    if not SERVER:
        pytest.fail("EVIDENCE_DESK_TEST_BACKEND=postgresql needs EVIDENCE_DESK_TEST_DB_URL")
    marker = request.node.get_closest_marker("sqlite_only")
    if marker is not None:
        pytest.skip("SQLite by nature: " + (marker.args[0] if marker.args else marker.kwargs.get("reason", "")))
    for prefix, reason in SQLITE_ONLY.items():
        if request.node.nodeid.startswith(prefix):
            pytest.skip("SQLite by nature: " + reason)
    from storage.core.archive import Archive

    original = Archive.create.__func__

    def create(cls, root, *, db_url=None):
        return original(cls, root, db_url=db_url or fresh_url())

    monkeypatch.setattr(Archive, "create", classmethod(create))
    monkeypatch.setenv("PGPASSWORD", password())
    try:
        yield
    finally:
        import gc

        gc.collect()  # engines a test forgot to dispose let go of their connections
        drop_made()


def cli_env(args: tuple[str, ...]) -> dict:
    """Extra environment for a CLI subprocess on the PostgreSQL pass: `init` (not --demo)
    makes its archive in a new database."""
    if PG_PASS and "init" in args and "--demo" not in args:
        return {"EVIDENCE_DESK_DB_URL": fresh_url()}
    return {}
