"""The archive's metadata on a PostgreSQL server: the one module that knows PostgreSQL.

A multi-seat archive is still one folder, on a share every seat reaches:

    <archive>/server.json          which database holds the metadata (never a password)
    <archive>/files/ab/cd/<sha256> the file store, same atomic protocol as ever
    <archive>/backups/             automatic backups (SQLite copies of the database)
    <archive>/quarantine/

`server.json` names the database by URL without the password; each seat supplies the
password the way libpq does (PGPASSWORD, ~/.pgpass or %APPDATA%\\postgresql\\pgpass.conf),
or gives the whole URL with `--db-url` / `EVIDENCE_DESK_DB_URL`. The folder and the
database know each other by an archive id (a UUID in server.json and in the database's
`setting` table), so a folder is never opened against another archive's database, whatever
name each seat uses for the server.

Only one seat runs the folder watcher: `WatcherLock` holds a session-level advisory lock
on a dedicated connection whose `application_name` names the holder (user@host, PID,
since when); the others read who holds it from pg_locks/pg_stat_activity, so a crashed
seat never leaves a stale lock (the server drops it with the connection).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from storage.core.audit import current_user
from storage.kernel.durable import fsync_dir
from storage.kernel.errors import ArchiveError, ArchiveLocked, NotAnArchive
from storage.models import Base, Setting

if TYPE_CHECKING:  # psycopg loads only for a server archive
    import psycopg

SERVER_FILE = "server.json"
FORMAT = "evidence-desk-server"
ARCHIVE_ID_KEY = "archive.id"
DRIVER = "postgresql+psycopg"

# pg_try_advisory_lock(int, int): (Evidence Desk, what). Each archive has its own database.
LOCK_CLASS = 0x45D0  # "ED"
LOCK_WATCHER = 1
LOCK_MIGRATE = 2
APP_PREFIX = "evidence-desk watcher "


class ServerUnreachable(ArchiveError):
    """The database server cannot be reached or refused the login."""


# --- URLs --------------------------------------------------------------------------------


def is_server_url(url: str | None) -> bool:
    return bool(url) and str(url).split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")


def normalize_url(url: str) -> str:
    """`postgresql://…` / `postgres://…` as a SQLAlchemy URL for psycopg 3; anything else
    is refused with a clear message."""
    raw = (url or "").strip()
    try:
        u = make_url(raw)
    except ArgumentError as e:
        raise ArchiveError(
            f"数据库地址格式不对：{redact(raw)}（应为 postgresql://用户@服务器:5432/数据库名）",
            f"bad database URL: {redact(raw)} (expected postgresql://user@host:5432/dbname)",
        ) from e
    if u.get_backend_name() not in ("postgresql", "postgres"):
        raise ArchiveError(
            f"只支持 PostgreSQL 数据库服务器（postgresql://…）：{redact(raw)}",
            f"only PostgreSQL servers are supported (postgresql://…): {redact(raw)}",
        )
    if not u.database:
        raise ArchiveError(
            f"数据库地址中缺少数据库名：{redact(raw)}（例如 postgresql://用户@服务器/evidence）",
            f"the database URL names no database: {redact(raw)} (e.g. postgresql://user@host/evidence)",
        )
    return u.set(drivername=DRIVER).render_as_string(hide_password=False)


def redact(url: str | URL) -> str:
    """The URL with the password left out (safe to print, log and write to server.json)."""
    try:
        u = make_url(str(url)) if not isinstance(url, URL) else url
    except ArgumentError:
        return "<?>"
    u = u._replace(password=None)  # URL.set() takes None as "leave as is"
    if u.drivername == DRIVER:
        u = u.set(drivername="postgresql")
    return u.render_as_string(hide_password=False)


def libpq_conninfo(url: str | URL) -> str:
    """A libpq connection string for psycopg.connect (driver name dropped)."""
    u = make_url(str(url)) if not isinstance(url, URL) else url
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


# --- server.json -------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerInfo:
    url: str          # without password, as written in server.json
    archive_id: str


def read_server_file(root: Path) -> ServerInfo:
    path = Path(root) / SERVER_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("format")
        return ServerInfo(url=str(data["url"]), archive_id=str(data["archive_id"]))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise NotAnArchive(
            f"档案库的数据库说明文件 {SERVER_FILE} 已损坏或无法读取：{path}",
            f"the archive's {SERVER_FILE} is damaged or unreadable: {path}",
        ) from e


def write_server_file(root: Path, url: str, archive_id: str) -> Path:
    """Write server.json atomically (partial name, fsync, rename): the folder is an archive
    once it is there."""

    path = Path(root) / SERVER_FILE
    tmp = path.with_name(path.name + ".partial")
    data = {
        "format": FORMAT,
        "format_version": 1,
        "url": redact(url),
        "archive_id": archive_id,
        "note": "Evidence Desk: this archive's metadata lives in this PostgreSQL database; "
                "the password is never stored here (PGPASSWORD, .pgpass or --db-url).",
    }
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)
    return path


def new_archive_id() -> str:
    return str(uuid.uuid4())


# --- the database ------------------------------------------------------------------------


def connect_error(url: str, e: Exception) -> ServerUnreachable:
    detail = str(getattr(e, "orig", e) or e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return ServerUnreachable(
        f"无法连接数据库服务器 {redact(url)}：{detail}"
        "（请检查服务器地址、网络，以及密码是否已在 PGPASSWORD 或 .pgpass 中提供）",
        f"cannot connect to the database server {redact(url)}: {detail} (check the address, "
        "the network, and that the password is given by PGPASSWORD or .pgpass)",
    )


def check_reachable(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except (OperationalError, DBAPIError) as e:
        raise connect_error(str(engine.url), e) from e


def user_tables(engine: Engine) -> list[str]:
    return inspect(engine).get_table_names()


def database_archive_id(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if "setting" not in inspect(conn).get_table_names():
            return None
        raw = conn.scalar(select(Setting.value).where(Setting.key == ARCHIVE_ID_KEY))
    if raw is None:
        return None
    try:
        return str(json.loads(raw))
    except ValueError:
        return str(raw)


def set_archive_id(engine: Engine, archive_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(Setting.__table__.delete().where(Setting.key == ARCHIVE_ID_KEY))
        conn.execute(Setting.__table__.insert().values(key=ARCHIVE_ID_KEY, value=json.dumps(archive_id)))


def reset_sequences(conn: Connection) -> None:
    """After rows were copied in with their ids: every serial id sequence continues after
    the largest id (else the next insert collides)."""

    for table in Base.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or pk[0].name != "id":
            continue
        seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        if seq:
            conn.execute(text(
                f'SELECT setval(:s, COALESCE((SELECT MAX(id) FROM "{table.name}"), 1), '
                f'(SELECT MAX(id) FROM "{table.name}") IS NOT NULL)'), {"s": seq})


def ensure_trgm(conn: Connection) -> bool:
    """pg_trgm for the search index (a trusted extension since PostgreSQL 13: the database
    owner may create it). False when it cannot be had; search then scans without an index."""
    have = conn.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
    if have:
        return True
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        return True
    except DBAPIError:
        return False


# --- one watcher at a time -----------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    """Who runs the folder watcher (from the holder's connection name)."""

    text: str  # "user@host pid 1234 since 2026-11-21T10:00:00"

    def __str__(self) -> str:
        return self.text


def _me() -> str:
    since = dt.datetime.now().isoformat(timespec="seconds")
    return f"{current_user()}@{socket.gethostname()} pid {os.getpid()} since {since}"


class WatcherLock:
    """The right to run the folder watcher of a server archive (see the module docstring).

    `try_acquire()` → True when this process now holds it; `holder()` names whoever holds
    it; `alive()` checks the dedicated connection still stands (a server restart drops the
    lock with it); `release()` closes the connection.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: psycopg.Connection[tuple[Any, ...]] | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    def try_acquire(self) -> bool:
        import psycopg

        if self._conn is not None:
            return True
        name = (APP_PREFIX + _me())[:63]  # application_name is cut at 63 bytes (NAMEDATALEN)
        while len(name.encode("utf-8")) > 63:
            name = name[:-1]
        try:
            conn = psycopg.connect(libpq_conninfo(self.engine.url), autocommit=True,
                                   application_name=name, connect_timeout=10)
        except psycopg.Error as e:
            raise connect_error(str(self.engine.url), e) from e
        row = conn.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_CLASS, LOCK_WATCHER)).fetchone()
        if not (row and row[0]):
            conn.close()
            return False
        self._conn = conn
        return True

    def alive(self) -> bool:
        if self._conn is None:
            return False
        try:
            self._conn.execute("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 - any failure means the lock is gone
            self.release()
            return False

    def holder(self) -> Holder | None:
        with self.engine.connect() as conn:
            row = conn.execute(text(
                "SELECT a.application_name, a.usename, a.client_addr::text, a.backend_start "
                "FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :c AND l.objid = :o "
                "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ), {"c": LOCK_CLASS, "o": LOCK_WATCHER}).first()
        if row is None:
            return None
        app, user, addr, start = row
        if app and app.startswith(APP_PREFIX):
            return Holder(app[len(APP_PREFIX):])
        return Holder(f"{user or '?'}@{addr or '?'} since {start:%Y-%m-%dT%H:%M:%S}" if start else f"{user or '?'}")

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - closing a connection the server already dropped
                pass


class NoWatcherLock:
    """SQLite archives: one window per archive already (the window lock); nothing to hold."""

    held = True

    def try_acquire(self) -> bool:
        return True

    def alive(self) -> bool:
        return True

    def holder(self) -> Holder | None:
        return None

    def release(self) -> None:
        pass


def watcher_busy(holder: Holder | None) -> ArchiveLocked:
    who = str(holder) if holder else "另一台电脑"
    who_en = str(holder) if holder else "another seat"
    return ArchiveLocked(
        f"文件夹监视已由 {who} 运行（同一时间只有一台电脑监视文件夹）",
        f"the folder watcher already runs on {who_en} (one seat at a time watches the folders)",
    )


def migration_lock(conn: Connection) -> None:
    """Block until no other seat is migrating this database (released at session end)."""
    conn.exec_driver_sql(f"SELECT pg_advisory_lock({LOCK_CLASS}, {LOCK_MIGRATE})")


def migration_unlock(conn: Connection) -> None:
    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({LOCK_CLASS}, {LOCK_MIGRATE})")


__all__ = [
    "SERVER_FILE",
    "ServerInfo",
    "ServerUnreachable",
    "WatcherLock",
    "NoWatcherLock",
    "is_server_url",
    "normalize_url",
    "redact",
    "read_server_file",
    "write_server_file",
]


# --- databases (set-up helper for `migrate-to-server --create`, tests and benchmarks) -------


def create_database(url: str) -> str:
    """Create the (empty) database named in `url`, connecting to the server's maintenance
    database `postgres` as the same user (who needs CREATEDB). Returns the normalized URL."""
    import psycopg
    from psycopg import sql

    url = normalize_url(url)
    u = make_url(url)
    assert u.database  # normalize_url refuses a URL without one
    admin = libpq_conninfo(u.set(database="postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(u.database)))
    except psycopg.errors.DuplicateDatabase as e:
        raise ArchiveError(f"数据库已存在：{redact(url)}", f"the database already exists: {redact(url)}") from e
    except psycopg.errors.InsufficientPrivilege as e:
        raise ArchiveError(
            f"没有新建数据库的权限，请数据库管理员先建好空数据库：{redact(url)}",
            f"no permission to create a database; ask the administrator for an empty one: {redact(url)}",
        ) from e
    except psycopg.OperationalError as e:
        raise connect_error(url, e) from e
    return url


def drop_database(url: str) -> None:
    """Drop the database named in `url` (tests and benchmarks only), ending its sessions."""
    import psycopg
    from psycopg import sql

    u = make_url(normalize_url(url))
    assert u.database  # normalize_url refuses a URL without one
    admin = libpq_conninfo(u.set(database="postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(u.database)))
