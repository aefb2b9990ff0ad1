"""Copy an archive's rows from one database to another: SQLite ⇄ PostgreSQL, either way.

One routine serves four jobs: a server archive's backups (its rows copied into a new SQLite
file, the same form as a SQLite archive's backup), restoring a backup onto a server,
`migrate-to-server` and `migrate-to-file`.

Why a logical copy through SQLAlchemy and not pg_dump: the result is a SQLite file that
every Evidence Desk opens and restores (to a folder or to a server), pg_dump would have to
be installed at each seat with the server's major version (Windows office PCs have no
PostgreSQL client tools), and a copy made in one REPEATABLE READ, READ ONLY transaction is
one committed state of the database while the other seats keep working.

Both sides carry the same schema revision (the destination is created by the same
migrations). Rows are copied table by table in foreign-key order, keeping their ids; a
column pointing into its own table (indicator.parent_id, evidence_file.replaces_id) is
filled in after its table's rows are in. On PostgreSQL the id sequences are moved past the
copied ids. Derived search indexes are not copied: they are rebuilt on first search.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, Table, func, insert, select, update

from storage.core import migrate
from storage.core.db import finish_file, make_engine, sqlite_url, to_single_file
from storage.core.server import reset_sequences
from storage.kernel.durable import fsync_dir
from storage.kernel.errors import BadInput, Cancelled, SchemaTooNew
from storage.kernel.progress import CancelFn, ProgressFn, never_cancel, no_progress

CHUNK_ROWS = 2000


def _self_refs(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _archive_table(name: str, _meta: MetaData | None = None) -> bool:
    """The archive's own tables; not Alembic's bookkeeping, nor derived search indexes, nor
    the counts SQLite's triggers keep (`tally`, storage.core.tally: they follow the rows)."""
    return name not in ("alembic_version", "tally") and not name.startswith(("search_", "fts_", "sqlite_"))


def _tables(conn: Connection) -> MetaData:
    """The archive's tables as they are in this database (reflected, so a copy made at an
    older schema revision, before a migration, copies that revision's columns)."""
    meta = MetaData()
    meta.reflect(conn, only=_archive_table)
    return meta


def count_rows(conn: Connection) -> dict[str, int]:
    return {t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
            for t in _tables(conn).sorted_tables}


def copy_rows(
    src: Connection,
    dst: Connection,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelFn = never_cancel,
) -> dict[str, int]:
    """Copy every row of every archive table from `src` to `dst` (both in a transaction
    the caller ends, both at the same schema revision); returns rows per table."""
    src_meta, dst_meta = _tables(src), _tables(dst)
    missing = sorted(set(src_meta.tables) ^ set(dst_meta.tables))
    if missing:
        raise BadInput(
            f"两个数据库的表不一致（{', '.join(missing)}），无法复制",
            f"the two databases do not have the same tables ({', '.join(missing)}); cannot copy",
        )
    counts = {t.name: int(src.scalar(select(func.count()).select_from(t)) or 0)
              for t in src_meta.sorted_tables}
    total = sum(counts.values())
    done = 0
    progress(0, total, "")
    copied: dict[str, int] = {}
    for table in dst_meta.sorted_tables:
        source = src_meta.tables[table.name]
        cols = [c.name for c in table.columns if c.name in source.columns]
        refs = _self_refs(table)
        pk = [c.name for c in table.primary_key.columns]
        later: list[dict] = []
        n = 0
        query = select(*[source.c[c] for c in cols]).order_by(*[source.c[c] for c in pk])
        result = src.execution_options(yield_per=CHUNK_ROWS).execute(query)
        for part in result.partitions():
            if cancel():
                raise Cancelled()
            rows = [dict(r._mapping) for r in part]
            if refs:
                for r in rows:
                    if any(r[c] is not None for c in refs):
                        later.append({**{p: r[p] for p in pk}, **{c: r[c] for c in refs}})
                        for c in refs:
                            r[c] = None
            dst.execute(insert(table), rows)
            n += len(rows)
            done += len(rows)
            progress(done, total, table.name)
        for r in later:
            dst.execute(
                update(table)
                .where(*[table.c[p] == r[p] for p in pk])
                .values({c: r[c] for c in refs})
            )
        copied[table.name] = n
    if dst.dialect.name == "postgresql":
        reset_sequences(dst)
    return copied


def _snapshot_conn(engine: Engine) -> Connection:
    """A connection whose next transaction sees one committed state of the database."""
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    return conn


def snapshot_to_sqlite(
    engine: Engine,
    dest: Path,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelFn = never_cancel,
) -> dict[str, int]:
    """The rows of the database behind `engine`, as one committed state, copied into a new
    SQLite file `dest` (at the same schema revision): written as `dest.partial`, made one
    self-contained file, fsynced and renamed."""

    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    for extra in ("-wal", "-shm", "-journal"):
        Path(str(tmp) + extra).unlink(missing_ok=True)
    with _snapshot_conn(engine) as src, src.begin():
        rev = migrate.current_revision_on(src)
        target = make_engine(sqlite_url(tmp))
        try:
            migrate.upgrade(target, rev or "head")
            with target.begin() as dst:
                copied = copy_rows(src, dst, progress=progress, cancel=cancel)
        except BaseException:
            target.dispose()
            tmp.unlink(missing_ok=True)
            raise
        target.dispose()
    try:
        to_single_file(tmp)
        finish_file(tmp, dest)
    finally:
        for extra in ("-wal", "-shm"):
            Path(str(tmp) + extra).unlink(missing_ok=True)
    fsync_dir(dest.parent)
    return copied


def load_into(
    source: Engine,
    target: Engine,
    *,
    replace: bool = False,
    progress: ProgressFn = no_progress,
    cancel: CancelFn = never_cancel,
) -> dict[str, int]:
    """Copy the archive in `source` into `target`, in one transaction on `target`.

    Both must be at this program's schema head (open/migrate the source first; create the
    target with `migrate.upgrade`). The target must hold no rows, unless `replace`: then its
    rows are removed first, in the same transaction (other seats see the old archive or
    the new, never a mix)."""
    head = migrate.head_revision()
    with _snapshot_conn(source) as src, src.begin():
        rev = migrate.current_revision_on(src)
        if rev != head:
            raise SchemaTooNew(
                f"源数据库的结构版本（{rev}）与本程序（{head}）不同，请先打开它完成升级",
                f"the source database is at schema {rev}, this program at {head}; open it first",
            )
        with target.begin() as dst:
            if migrate.current_revision_on(dst) != head:
                raise BadInput("目标数据库尚未建立档案库结构", "the target database has no archive schema")
            if replace:
                clear_rows(dst)
            else:
                filled = {t: n for t, n in count_rows(dst).items() if n}
                if filled:
                    raise BadInput(
                        f"目标数据库不是空的（{', '.join(sorted(filled))}），不会覆盖",
                        f"the target database is not empty ({', '.join(sorted(filled))}); not overwritten",
                    )
            return copy_rows(src, dst, progress=progress, cancel=cancel)


def clear_rows(conn: Connection) -> None:
    tables = list(reversed(_tables(conn).sorted_tables))
    if conn.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        conn.exec_driver_sql(f"TRUNCATE {names}")
        conn.exec_driver_sql("DROP TABLE IF EXISTS search_doc")
    else:
        for t in tables:
            conn.execute(t.delete())
        for name in ("search_doc", "search_tri", "search_bi"):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")


__all__ = ["copy_rows", "load_into", "snapshot_to_sqlite", "clear_rows"]
