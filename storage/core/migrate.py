"""Schema migrations through Alembic, run in-process on the archive's own connection.

On SQLite, Alembic's batch mode rebuilds tables; with foreign keys on, that can cascade
into link rows, so foreign keys are switched off for the migration and checked after
(pitfalls.md). The caller backs the database up first (`Archive.open`).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine

from storage.core.dbfile import SCHEMA_HEAD
from storage.core.server import migration_lock, migration_unlock
from storage.kernel.errors import ArchiveError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

# SCHEMA_HEAD, the newest revision in migrations/versions, lives in storage.core.dbfile (no
# SQLAlchemy there, so `status` can compare it before loading anything heavy); bump it there.


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Leave full-text index tables (FTS5 and their shadow tables) and the trigger-kept
    `tally` (storage.core.tally) out of autogenerate: derived data made by SQL of their own,
    not by the models."""
    if type_ == "table" and name and (name.startswith("fts_") or name.startswith("search_") or name == "tally"):
        return False
    return True


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return SCHEMA_HEAD


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return current_revision_on(conn)


def current_revision_on(conn: Connection) -> str | None:
    """The schema revision, read on `conn` (inside its transaction, if it has one)."""
    from sqlalchemy import inspect

    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _driver_execute(conn: Connection, sql: str) -> None:
    """Run `sql` on the driver's own connection, outside any transaction SQLAlchemy begins."""
    raw = conn.connection.driver_connection
    assert raw is not None  # an open Connection always holds its driver connection
    raw.execute(sql)


def upgrade(engine: Engine, target: str = "head") -> None:
    """Bring the schema to `target` (each Alembic step in one transaction)."""
    from alembic import command

    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # Must happen outside any transaction, so on the raw connection before the
            # first statement makes SQLAlchemy begin one.
            _driver_execute(conn, "PRAGMA foreign_keys=OFF")
        else:
            # Several seats may open a server archive with a new version at once: one
            # migrates, the others wait and then find the schema current (PostgreSQL runs
            # each step's DDL in its transaction, so a failed step leaves nothing behind).

            migration_lock(conn)
            conn.commit()
        cfg.attributes["connection"] = conn
        try:
            command.upgrade(cfg, target)
            conn.commit()
        finally:
            if not sqlite:
                conn.rollback()
                migration_unlock(conn)
                conn.commit()
        if sqlite:
            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            conn.commit()
            _driver_execute(conn, "PRAGMA foreign_keys=ON")
            if bad:
                raise ArchiveError(
                    f"数据库迁移后发现 {len(bad)} 处外键不一致，请用备份恢复",
                    f"{len(bad)} foreign key violations after migration; restore the backup",
                )
