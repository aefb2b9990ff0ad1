"""Schema migrations through Alembic, run in-process on the archive's own connection.

On SQLite, Alembic's batch mode rebuilds tables; with foreign keys on, that can cascade
into link rows, so foreign keys are switched off for the migration and checked after
(pitfalls.md). The caller backs the database up first (`Archive.open`).
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from .errors import ArchiveError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, target: str = "head") -> None:
    """Bring the schema to `target` (each Alembic step in one transaction)."""
    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # Must happen outside any transaction, so on the raw connection before the
            # first statement makes SQLAlchemy begin one.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
        conn.commit()
        if sqlite:
            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            conn.commit()
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
            if bad:
                raise ArchiveError(
                    f"数据库迁移后发现 {len(bad)} 处外键不一致，请用备份恢复",
                    f"{len(bad)} foreign key violations after migration; restore the backup",
                )
