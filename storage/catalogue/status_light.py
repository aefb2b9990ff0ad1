"""`status` of a local archive through the standard library's sqlite3: the light road.

`evidence-desk status` is the command a clerk (or a script) runs most; loading SQLAlchemy,
the ORM models and their mapper configuration costs more than the counting. This module
imports none of them: it checks the folder and the database file as `Archive.open` does
(`storage.core.dbfile`), opens the file read-only and runs the same statements as
`storage.catalogue.queries.status` (`storage.catalogue.counts`).

It answers only when nothing needs the full road, and says so by returning None: a server
archive, a schema that is not the current one (the full open migrates or refuses it), a
daily backup that is due (the full open takes it), a folder this process may not write
(the full open explains), or any error from SQLite. The caller then opens the archive as
usual, which gives the clerk the same messages as before.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from storage.catalogue.counts import status_report
from storage.core.dbfile import (
    DB_NAME,
    SCHEMA_HEAD,
    _check_not_network,
    _check_writable,
    check_database_file,
    daily_backup_due,
)
from storage.kernel.errors import ArchiveError
from storage.kernel.statusreport import StatusReport

SERVER_FILE = "server.json"  # storage.core.server.SERVER_FILE (that module loads SQLAlchemy)


def quick_status(root: str | os.PathLike[str]) -> StatusReport | None:
    """The status report of the local archive at `root`, or None when the full road
    (`Archive.open` then `queries.status`) must answer."""
    root = Path(root).expanduser().absolute()
    db = root / DB_NAME
    if not root.is_dir() or (root / SERVER_FILE).exists() or not db.is_file():
        return None
    try:
        _check_not_network(root)
        _check_writable(root)
        check_database_file(root, integrity=False)
    except ArchiveError:
        return None
    if daily_backup_due(root):
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("BEGIN")  # one read transaction: every count from one snapshot
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if not row or row[0] != SCHEMA_HEAD:
            return None

        def fetch(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
            return conn.execute(sql, dict(params)).fetchall()

        return status_report(fetch, str(root), sqlite=True)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


__all__ = ["quick_status"]
