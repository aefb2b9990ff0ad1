"""Engines and sessions. The one module allowed to know it is talking to SQLite.

SQLite set-up, per connection (pitfalls.md): foreign keys on, WAL, synchronous FULL (a
committed evidence row survives a power cut), a busy timeout, and writes in BEGIN IMMEDIATE
transactions so two writers queue instead of failing with "database is locked" half-way.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from . import audit

BUSY_TIMEOUT_S = 30


def sqlite_url(db_path: Path) -> str:
    return f"sqlite+pysqlite:///{db_path}"


def make_engine(url: str) -> Engine:
    """An engine for `url` with the per-back-end set-up applied."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        # Let SQLAlchemy's "begin" event below decide how transactions start.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        if conn.get_execution_options().get("write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def integrity_problems(engine: Engine) -> list[str]:
    """The database's own consistency check; an empty list means healthy."""
    problems: list[str] = []
    with engine.connect() as conn:
        if is_sqlite(engine):
            rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
            problems += [r[0] for r in rows if r[0] != "ok"]
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            problems += [f"foreign key: {tuple(r)}" for r in fk]
    return problems


class SessionFactory:
    """Read and write sessions over one engine.

    `write()` starts an IMMEDIATE transaction (on SQLite) and commits on success; `read()`
    is a plain transaction that is rolled back at the end. Sessions never cross threads.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(bind=engine, expire_on_commit=False)
        self._write = sessionmaker(
            bind=engine.execution_options(write=True), expire_on_commit=False
        )

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        # Closing (not rolling back) ends the transaction and keeps loaded objects readable.
        with self._read() as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        with self._write() as session:
            audit.track(session)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def new_write_session(self) -> Session:
        """A write session the caller commits itself (for batched long operations)."""
        session = self._write()
        audit.track(session)
        return session
