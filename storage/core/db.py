"""Engines and sessions. The one module allowed to know it is talking to SQLite.

SQLite set-up, per connection (pitfalls.md): foreign keys on, WAL, synchronous FULL (a
committed evidence row survives a power cut), a busy timeout, and writes in BEGIN IMMEDIATE
transactions so two writers queue instead of failing with "database is locked" half-way.

PostgreSQL (a multi-seat archive, `storage.server`): psycopg 3, READ COMMITTED, a
connect timeout. There two seats' writes really interleave, so the optimistic version
checks (`version_id_col` on evidence and duties) are what stop a lost update: a write
session that finds its row changed underneath raises `ConcurrentEdit` to that writer.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Insert,
    Result,
    Table,
    create_engine,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from storage.core import audit
from storage.core.migrate import head_revision
from storage.kernel.durable import fsync_dir
from storage.kernel.errors import ArchiveError, NotAnArchive
from storage.models import Base

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
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=4,
        max_overflow=8,
        connect_args={"connect_timeout": 10, "application_name": "evidence-desk"},
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
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
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def integrity_problems(engine: Engine) -> list[str]:
    """The database's own consistency check; an empty list means healthy.

    SQLite: integrity_check and foreign_key_check. PostgreSQL keeps its constraints itself
    (checked on every write) and pages carry checksums; here: the server answers and holds
    the archive's tables at the schema this program expects."""
    problems: list[str] = []
    with engine.connect() as conn:
        if is_sqlite(engine):
            rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
            problems += [r[0] for r in rows if r[0] != "ok"]
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            problems += [f"foreign key: {tuple(r)}" for r in fk]
        else:
            from sqlalchemy import inspect


            have = set(inspect(conn).get_table_names())
            missing = sorted(t for t in Base.metadata.tables if t not in have)
            problems += [f"missing table: {t}" for t in missing]
            if "alembic_version" in have:
                rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                if rev != head_revision():
                    problems.append(f"schema revision {rev}, expected {head_revision()}")
            else:
                problems.append("no alembic_version table")
    return problems


def insert_ignoring_duplicates(dialect_name: str, table: Table, key: str) -> Insert:
    """INSERT … ON CONFLICT (key) DO NOTHING for the dialect (SQLite and PostgreSQL both
    spell it so): two writers adding the same row at once keep one, neither fails."""
    from sqlalchemy.dialects import postgresql, sqlite

    mod = sqlite if dialect_name == "sqlite" else postgresql
    return mod.insert(table).on_conflict_do_nothing(index_elements=[key])


def insert_returning_ids(session: Session, table: Any, params: list[dict[str, Any]]) -> list[int]:
    """INSERT many rows in one statement batch; their new ids in the order of `params`.

    On SQLite by one executemany on the driver inside the caller's write transaction
    (`driver_insert`); elsewhere INSERT … RETURNING in parameter order. Used by the
    framework and duties importers and by ingest."""
    if not params:
        return []
    if session.connection().dialect.name == "sqlite":
        return driver_insert(session, table, params, with_ids=True)
    result = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), params)
    return [row[0] for row in result]


def insert_rows(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT many rows whose ids nobody needs back: on SQLite by one executemany on the
    driver (`driver_insert`), elsewhere by SQLAlchemy's executemany. Every row names the
    same columns; a column left out gets NULL or its SQL default, not a Python-side one."""
    if not rows:
        return
    if session.connection().dialect.name == "sqlite":
        driver_insert(session, table, rows, with_ids=False)
    else:
        session.connection().execute(insert(table), rows)


def driver_insert(session: Session, table: Any, rows: list[dict[str, Any]], *, with_ids: bool) -> list[int]:
    """SQLite only: many rows by one executemany on the driver, each value through its column's
    own bind processor (dates and datetimes stored as SQLAlchemy stores them). With `with_ids`,
    ids are given after max(id), read inside this write transaction (SQLite has one writer)."""
    conn = session.connection()
    cols = list(rows[0])
    procs = [table.c[k].type._cached_bind_processor(conn.dialect) for k in cols]
    ids: list[int] = []
    if with_ids:
        start = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        ids = list(range(start + 1, start + 1 + len(rows)))
    # Column by column: the values of a column by one C call each, only the few columns with a
    # bind processor go through Python, and a value that is the same object as the row
    # before's (the audit rows' one timestamp) is processed once; the rows are then zipped
    # back together in C.
    columns: list[Any] = [ids] if with_ids else []
    for k, proc in zip(cols, procs, strict=True):
        values = list(map(itemgetter(k), rows))
        if proc is not None:
            values = _processed(values, proc)
        columns.append(values)
    data = list(zip(*columns, strict=True))
    names = (["id"] if with_ids else []) + cols
    sql = (f'INSERT INTO "{table.name}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
           f'VALUES ({", ".join("?" for _ in names)})')
    conn.exec_driver_sql(sql, data)
    return ids


def _processed(values: list[Any], proc: Callable[[Any], Any]) -> list[Any]:
    """`proc` applied to every value, once per run of the same object (a batch's one
    timestamp, its one date)."""
    out: list[Any] = []
    seen: Any = object()
    done: Any = None
    for v in values:
        if v is not seen:
            seen, done = v, proc(v)
        out.append(done)
    return out


def affected_rows(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE run through `Session.execute` touched (the session
    types every result as a plain Result; a DML statement's is a CursorResult)."""
    return int(cast("CursorResult[Any]", result).rowcount or 0)


def read_sqlite_revision(db: Path) -> str | None:
    """The schema revision stored in the SQLite file `db`, read without changing the file
    (read-only, no WAL created). A server archive's revision is read through its engine
    (`migrate.current_revision`)."""

    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise NotAnArchive(
            f"无法打开档案库数据库 {db}：{e}", f"cannot open the archive database {db}: {e}"
        ) from e
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as e:
        raise NotAnArchive(
            f"档案库数据库已损坏或不是数据库文件：{db}（{e}）",
            f"the archive database is damaged or not a database: {db} ({e})",
        ) from e
    finally:
        conn.close()


def snapshot_sqlite(src: Path, dest: Path, *, partial_suffix: str = ".partial") -> None:
    """A consistent copy of the SQLite database `src` at `dest`, safe while others write.

    SQLite's online backup API copies all pages in one step under a read transaction, so
    the copy is one committed state. It is written to `dest.partial`, switched to a
    rollback journal (a single file), fsynced and atomically renamed.
    """

    tmp = dest.with_name(dest.name + partial_suffix)
    tmp.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(tmp)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        target.commit()
    except BaseException:
        target.close()
        source.close()
        tmp.unlink(missing_ok=True)
        raise
    target.close()
    source.close()
    finish_file(tmp, dest)
    fsync_dir(dest.parent)


def to_single_file(db: Path) -> None:
    """Fold a SQLite file's WAL into it and switch it to a rollback journal, so the file
    alone is the whole database (what a backup must be)."""
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
        con.commit()
    finally:
        con.close()


def checkpoint_sqlite(db: Path) -> None:
    """Fold the WAL of the SQLite file `db` into it (the file alone is then complete)."""
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def read_sqlite_rows(db: Path, sql: str) -> list[tuple]:
    """Rows of a query on the SQLite file `db`, opened read-only (a backup's database)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def finish_file(tmp: Path, dest: Path) -> None:
    """fsync `tmp` and rename it to `dest` (removing `tmp` on failure)."""
    try:
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class ConcurrentEdit(ArchiveError):
    """Someone else (another seat, window or command) changed the same record meanwhile."""


class ConnectionLost(ArchiveError):
    """The database server went away in the middle of the work."""


class DiskFull(ArchiveError):
    """The disk that holds the archive's database (or the server's) is full."""


SQLITE_FULL = 13
PG_DISK_FULL = "53100"


def is_disk_full(e: BaseException) -> bool:
    """Did `e` (a DB-API error wrapped by SQLAlchemy, or an OSError) fail for want of
    space: SQLite's SQLITE_FULL, PostgreSQL's disk_full, ENOSPC/EDQUOT?"""
    import errno

    orig = getattr(e, "orig", e)
    if isinstance(orig, OSError):
        return orig.errno in (errno.ENOSPC, errno.EDQUOT)
    if getattr(orig, "sqlite_errorcode", None) == SQLITE_FULL:
        return True
    if (getattr(orig, "sqlstate", None) or "") == PG_DISK_FULL:
        return True
    return "database or disk is full" in str(orig)


SQLITE_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


def is_busy(e: BaseException) -> bool:
    """Did `e` fail only because another writer held the database longer than the busy
    timeout (SQLite's "database is locked")? Worth trying again, not a failure."""
    orig = getattr(e, "orig", e)
    if getattr(orig, "sqlite_errorcode", None) in SQLITE_BUSY_CODES:
        return True
    return "database is locked" in str(orig)


def disk_full_error(where: str) -> DiskFull:
    """The message for a full disk while writing the archive at `where`."""
    return DiskFull(
        f"档案库所在磁盘已满，这次修改未保存：{where}；请腾出磁盘空间后重试（已完成的部分已保留，重试不会产生重复）",
        f"the archive's disk is full; this change was not saved: {where}; free some space and "
        "try again (what was finished is kept; trying again makes no duplicates)",
    )


def _stale(e: StaleDataError) -> ConcurrentEdit:
    what = str(e).split("'", 2)[1] if str(e).count("'") >= 2 else ""
    return ConcurrentEdit(
        f"这条记录刚被其他人（另一台电脑或窗口）修改，你的修改未保存；请重新载入后再改{('：' + what) if what else ''}",
        f"this record was just changed by someone else (another seat or window); your change "
        f"was not saved; reload and edit again{(': ' + what) if what else ''}",
    )


def _lost(e: DBAPIError) -> ConnectionLost:
    detail = str(getattr(e, "orig", e)).strip().splitlines()[0] if str(e).strip() else ""
    return ConnectionLost(
        f"与数据库服务器的连接中断，这次修改未保存：{detail}",
        f"lost the connection to the database server; this change was not saved: {detail}",
    )


def _operational(e: OperationalError) -> ArchiveError | None:
    """A server-side OperationalError the writer can act on, or None (a bug: re-raise)."""
    state = getattr(e.orig, "sqlstate", None) or ""
    if state.startswith("40"):  # serialization failure, deadlock: the other writer won
        return ConcurrentEdit(
            "与其他人同时进行的修改冲突，这次修改未保存，请重试",
            "this change collided with someone else's at the same moment and was not saved; try again",
        )
    if e.connection_invalidated or not state or state.startswith(("08", "57P")):
        return _lost(e)
    return None


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
        """A write transaction, committed on success. A stale version (someone else changed
        the row since it was read) becomes `ConcurrentEdit`, a dropped server connection
        `ConnectionLost`: clear messages for the writer; nothing of the change is kept."""
        with self._write() as session:
            audit.track(session)
            try:
                yield session
                session.commit()
            except StaleDataError as e:
                session.rollback()
                raise _stale(e) from e
            except OperationalError as e:
                with contextlib.suppress(Exception):
                    session.rollback()
                mapped = None if is_sqlite(self.engine) else _operational(e)
                if is_disk_full(e):
                    mapped = disk_full_error(str(self.engine.url.database or ""))
                if mapped is not None:
                    raise mapped from e
                raise
            except BaseException:
                session.rollback()
                raise

    def new_write_session(self) -> Session:
        """A write session the caller commits itself (for batched long operations)."""
        session = self._write()
        audit.track(session)
        return session
