"""Search over evidence titles, file names, document numbers and text, with Chinese
substring matching. The one module here that knows it talks to SQLite.

Two derived indexes, both caches rebuilt from the archive by `refresh_index()` (created at
run time with CREATE ... IF NOT EXISTS; the migrations' autogenerate skips `search_*`):
- `search_tri`: FTS5 with the trigram tokenizer, for terms of three or more characters;
- `search_bi`: FTS5 over every two-character window of the same folded text, each bigram
  written as one ASCII token ("台账" -> "b053f008d26"), contentless with detail=none (only
  which items hold it), because FTS5's trigram tokenizer cannot answer two-character terms
  and 台账, 计量 are the usual query. One-character terms are prefix queries on it
  (`b<char>*`), answered from FTS5's prefix index on the first six characters of every token
  (`prefix='6'`: "b" and the character) as one list of items, newest first, instead of a
  merge of every bigram that starts with the character (95–360 ms at 50,000 items before).
  An index made before it (no prefix index) is rebuilt once by `refresh_index` from the
  folded text `search_tri` keeps (about half the time of indexing everything again).
Text is folded (`storage.text.fold`: full/half width, case, spaces) on both sides.

On PostgreSQL (a server archive) the same folded text goes into one derived table,
`search_doc(evidence_id, stamp, body)`, with a pg_trgm GIN index on `body`, and a term is
`body LIKE '%term%'`: the same substring semantics as the FTS5 indexes above (the body
is the same folded text joined by the same separator), so both back ends return the same
items. The trigram index serves terms of three or more characters; shorter terms, which
pg_trgm cannot index, are the same LIKE as a scan of the table. Without pg_trgm (not
installed on the server) every term is such a scan: slower, same answers.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from storage.core.server import ensure_trgm
from storage.kernel.text import fold
from storage.models import BlobText, Department, Evidence, EvidenceFile
from storage.readmodels import SearchHit

# characters of text indexed per evidence item: whole documents in practice (a 300-page report
# is about 300,000); past this the index says where it stops (the reader keeps the whole text)
MAX_INDEXED = 2_000_000
_END = "\x1f"          # closes the text so its last character also starts a bigram

_DDL = (
    "CREATE TABLE IF NOT EXISTS search_doc (evidence_id INTEGER PRIMARY KEY, stamp TEXT)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_tri USING fts5(body, tokenize='trigram')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_bi USING fts5(grams, content='', detail=none, "
    "tokenize='ascii', prefix='6')",
)


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _gram(a: str, b: str) -> str:
    return f"b{ord(a):05x}{ord(b):05x}"


def bigrams(folded: str) -> str:
    """The distinct bigram tokens of folded text, space-separated."""
    s = folded + _END
    return " ".join(sorted({_gram(s[i], s[i + 1]) for i in range(len(s) - 1)}))


def ensure_index(session: Session) -> None:
    for ddl in _DDL:
        session.execute(text(ddl))


def _rebuild_old_bigrams(session: Session, batch: int) -> bool:
    """Rebuild `search_bi` with the prefix index if it was made without one (before issue
    19), from the bodies `search_tri` holds; True if it did."""
    conn = session.connection()
    ddl = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'search_bi'").scalar()
    if ddl is None or "prefix" in ddl:
        return False
    conn.exec_driver_sql("DROP TABLE search_bi")
    conn.exec_driver_sql(_DDL[2])
    last = 0
    while True:
        rows = conn.exec_driver_sql(
            "SELECT rowid, body FROM search_tri WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, batch)).all()
        if not rows:
            return True
        conn.exec_driver_sql("INSERT INTO search_bi(rowid, grams) VALUES (?, ?)",
                             [(r, bigrams(b)) for r, b in rows])
        last = rows[-1][0]


def _bodies(session: Session, ids: list[int]) -> dict[int, str]:
    parts: dict[int, list[str]] = {i: [] for i in ids}
    for eid, title, doc, body in session.execute(
        select(Evidence.id, Evidence.title, Evidence.doc_number, Evidence.issuing_body).where(Evidence.id.in_(ids))
    ):
        parts[eid] += [title or "", doc or "", body or ""]
    for eid, name, current, bt_title, bt_doc, bt_text in session.execute(
        select(EvidenceFile.evidence_id, EvidenceFile.original_name, EvidenceFile.is_current,
               BlobText.title, BlobText.doc_number, BlobText.text)
        .outerjoin(BlobText, BlobText.blob_id == EvidenceFile.blob_id)
        .where(EvidenceFile.evidence_id.in_(ids))
    ):
        parts[eid].append(name or "")
        if current:
            parts[eid] += [bt_title or "", bt_doc or "", (bt_text or "")[:MAX_INDEXED]]
    # Folded pieces joined by a separator no query can contain (queries are folded too).
    return {i: "\x1e".join(fold(p) for p in ps if p) for i, ps in parts.items()}


# --- PostgreSQL -----------------------------------------------------------------------------

_PG_LOCK = "SELECT pg_advisory_xact_lock(17872, 3)"  # (LOCK_CLASS, search): one refresher at a time


def _pg_ensure_index(session: Session) -> None:
    session.execute(text(
        "CREATE TABLE IF NOT EXISTS search_doc (evidence_id INTEGER PRIMARY KEY, stamp TIMESTAMP, body TEXT)"))
    if ensure_trgm(session.connection()):
        session.execute(text(
            "CREATE INDEX IF NOT EXISTS search_doc_body_trgm ON search_doc USING gin (body gin_trgm_ops)"))


def _pg_has_index(session: Session) -> bool:
    return bool(session.execute(text("SELECT to_regclass('search_doc') IS NOT NULL")).scalar())


def _pg_refresh(session: Session, batch: int, limit: str = "") -> int:
    # Seats refresh at the same moments (after each batch, before a search): one at a time,
    # so two never index the same item twice.
    session.execute(text(_PG_LOCK))
    _pg_ensure_index(session)
    stale = [r[0] for r in session.execute(text(f"SELECT e.id {_PG_STALE}{limit}"))]
    session.execute(text(
        "DELETE FROM search_doc d WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.id = d.evidence_id)"))
    for i in range(0, len(stale), batch):
        chunk = stale[i:i + batch]
        bodies = _bodies(session, chunk)
        stamps = dict(session.execute(select(Evidence.id, Evidence.updated_at).where(Evidence.id.in_(chunk))).all())
        session.execute(text("DELETE FROM search_doc WHERE evidence_id = ANY(:ids)"), {"ids": chunk})
        session.execute(
            text("INSERT INTO search_doc (evidence_id, stamp, body) VALUES (:i, :s, :b)"),
            [{"i": i_, "s": stamps.get(i_), "b": b.replace("\x00", "")} for i_, b in bodies.items()],
        )
    return len(stale)


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


PROBE = 1000  # matches beyond which a term counts as common (see _pg_search)


def _pg_search(session: Session, terms: list[str], limit: int, include_trashed: bool) -> list[int]:
    """Newest matching items. The planner cannot tell a rare term from one in every item
    (pg_trgm's estimates are flat), and "collect every match, then sort" costs a full
    pass for a common term. So: first collect up to PROBE matches through the trigram
    index (or one scan, for terms under three characters); fewer than PROBE means that is
    all of them, sorted here. Else the term is common: walk the items newest first and
    stop at `limit` matches (index and sort plans switched off for that one statement)."""
    likes = {f"t{n}": _like(t) for n, t in enumerate(terms)}
    match = " AND ".join(f"d.body LIKE :t{n}" for n in range(len(terms)))
    live = "" if include_trashed else " AND e.trashed_at IS NULL"
    found = [r[0] for r in session.execute(
        text(f"SELECT d.evidence_id FROM search_doc d WHERE {match} LIMIT {PROBE}"), likes)]
    if len(found) < PROBE:
        if not found:
            return []
        return [r[0] for r in session.execute(
            text(f"SELECT e.id FROM evidence e WHERE e.id = ANY(:ids){live} ORDER BY e.id DESC LIMIT {int(limit)}"),
            {"ids": found})]
    session.execute(text("SET LOCAL enable_bitmapscan = off"))
    session.execute(text("SET LOCAL enable_seqscan = off"))
    try:
        rows = session.execute(
            text(f"SELECT e.id FROM search_doc d JOIN evidence e ON e.id = d.evidence_id WHERE {match}{live} "
                 f"ORDER BY d.evidence_id DESC LIMIT {int(limit)}"), likes).all()
    finally:
        session.execute(text("SET LOCAL enable_bitmapscan = on"))
        session.execute(text("SET LOCAL enable_seqscan = on"))
    return [r[0] for r in rows]


INDEX_STEP = 5000   # items a stepwise refresh indexes per transaction (the window, the watcher)

_STALE = ("FROM evidence e LEFT JOIN search_doc d ON d.evidence_id = e.id "
          "WHERE d.evidence_id IS NULL OR d.stamp IS NOT e.updated_at")
_PG_STALE = _STALE.replace("IS NOT", "IS DISTINCT FROM")


def index_backlog(session: Session) -> int:
    """How many items `refresh_index` would (re)index now: the total a stepwise refresh
    shows its progress against."""
    name = session.get_bind().dialect.name
    if name not in ("sqlite", "postgresql"):
        return 0
    if not inspect(session.connection()).has_table("search_doc"):
        return int(session.execute(text("SELECT count(*) FROM evidence")).scalar() or 0)
    stale = _STALE if name == "sqlite" else _PG_STALE
    return int(session.execute(text(f"SELECT count(*) {stale}")).scalar() or 0)


def refresh_index(session: Session, *, batch: int = 500, max_items: int | None = None) -> int:
    """Bring the index up to date with the archive; returns how many items were (re)indexed.
    Cheap when nothing changed (one query over evidence ids and update stamps).

    With `max_items`, index at most that many (oldest first) and return how many: a caller
    that commits after each such step and calls again until fewer come back keeps other
    writers waiting one step at most, can show progress and stop in between, and loses
    nothing by stopping (the index is a cache; the next refresh goes on where it stopped)."""
    limit = f" ORDER BY e.id LIMIT {int(max_items)}" if max_items is not None else ""
    if session.get_bind().dialect.name == "postgresql":
        return _pg_refresh(session, batch, limit)
    if not _is_sqlite(session):
        return 0
    _rebuild_old_bigrams(session, batch)
    ensure_index(session)
    stale = [r[0] for r in session.execute(text(f"SELECT e.id {_STALE}{limit}"))]
    gone = [r[0] for r in session.execute(text(
        "SELECT d.evidence_id FROM search_doc d LEFT JOIN evidence e ON e.id = d.evidence_id WHERE e.id IS NULL"
    ))]
    for i in range(0, len(gone), batch):
        _drop(session, gone[i:i + batch])
    for i in range(0, len(stale), batch):
        chunk = stale[i:i + batch]
        _drop(session, chunk)
        bodies = _bodies(session, chunk)
        stamps: dict[int, Any] = dict(session.execute(
            text(f"SELECT id, updated_at FROM evidence WHERE id IN ({','.join(map(str, chunk))})")
        ).all())
        conn = session.connection()
        conn.exec_driver_sql(
            "INSERT INTO search_tri(rowid, body) VALUES (?, ?)", [(i_, b) for i_, b in bodies.items()])
        conn.exec_driver_sql(
            "INSERT INTO search_bi(rowid, grams) VALUES (?, ?)", [(i_, bigrams(b)) for i_, b in bodies.items()])
        conn.exec_driver_sql(
            "INSERT INTO search_doc(evidence_id, stamp) VALUES (?, ?)", [(i_, stamps.get(i_)) for i_ in bodies])
    return len(stale)


def _drop(session: Session, ids: list[int]) -> None:
    conn = session.connection()
    marks = ",".join(map(str, ids))
    old = conn.exec_driver_sql(f"SELECT rowid, body FROM search_tri WHERE rowid IN ({marks})").all()
    if old:
        # A contentless FTS5 table forgets a row only when given the tokens it indexed.
        conn.exec_driver_sql(
            "INSERT INTO search_bi(search_bi, rowid, grams) VALUES ('delete', ?, ?)",
            [(r, bigrams(b)) for r, b in old])
    conn.exec_driver_sql(f"DELETE FROM search_tri WHERE rowid IN ({marks})")
    conn.exec_driver_sql(f"DELETE FROM search_doc WHERE evidence_id IN ({marks})")


def _terms(query: str) -> list[str]:
    return [t for t in (fold(p) for p in re.split(r"\s+", query or "")) if t]


def _match_sql(term: str) -> tuple[str, str]:
    """(SQL returning matching rowids, FTS5 query) for one folded term."""
    if len(term) >= 3:
        return "SELECT rowid FROM search_tri WHERE search_tri MATCH ?", '"' + term.replace('"', '""') + '"'
    if len(term) == 2:
        return "SELECT rowid FROM search_bi WHERE search_bi MATCH ?", _gram(term[0], term[1])
    return "SELECT rowid FROM search_bi WHERE search_bi MATCH ?", f"b{ord(term):05x}*"


def search(session: Session, query: str, *, limit: int = 50, include_trashed: bool = False) -> list[SearchHit]:
    """Evidence whose title, file names, 文号 or text contain every term of `query`
    (terms separated by spaces), newest first. Call `refresh_index()` before, in a write
    session, when the archive may have changed."""
    terms = _terms(query)
    if not terms:
        return []
    if session.get_bind().dialect.name == "postgresql" and _pg_has_index(session):
        return _hits(session, _pg_search(session, terms, limit, include_trashed), terms)
    if not _is_sqlite(session):
        return _search_portable(session, terms, limit, include_trashed)
    ensure_index(session)
    # The terms of each index in one FTS5 query (AND), the two indexes joined on the item,
    # walked newest first and stopped at the limit. Intersecting whole match lists instead
    # (every item holding 质量, then every item holding 通知) read all of them first: a
    # quarter of a second at 50,000 items for two common terms, growing with the archive.
    tri = [q for t in terms for sql, q in [_match_sql(t)] if "search_tri" in sql]
    bi = [q for t in terms for sql, q in [_match_sql(t)] if "search_bi" in sql]
    tables = [(name, " AND ".join(qs)) for name, qs in (("search_tri", tri), ("search_bi", bi)) if qs]
    first = tables[0][0]
    sql = f"SELECT e.id FROM {first} JOIN evidence e ON e.id = {first}.rowid"
    if len(tables) == 2:
        sql += " JOIN search_bi ON search_bi.rowid = search_tri.rowid"
    sql += " WHERE " + " AND ".join(f"{name} MATCH ?" for name, _ in tables)
    sql += ("" if include_trashed else " AND e.trashed_at IS NULL")
    sql += f" ORDER BY {first}.rowid DESC LIMIT {int(limit)}"
    rows = session.connection().exec_driver_sql(sql, tuple(q for _, q in tables)).all()
    ids = [r[0] for r in rows]
    return _hits(session, ids, terms)


def _search_portable(session: Session, terms: list[str], limit: int, include_trashed: bool) -> list[SearchHit]:
    q = select(Evidence.id).outerjoin(EvidenceFile, EvidenceFile.evidence_id == Evidence.id).outerjoin(
        BlobText, BlobText.blob_id == EvidenceFile.blob_id)
    for t in terms:
        like = f"%{t}%"
        q = q.where(Evidence.title.ilike(like) | Evidence.doc_number.ilike(like)
                    | EvidenceFile.original_name.ilike(like) | BlobText.text.ilike(like))
    if not include_trashed:
        q = q.where(Evidence.trashed_at.is_(None))
    ids = list(dict.fromkeys(session.scalars(q.order_by(Evidence.id.desc()).limit(limit * 3))))[:limit]
    return _hits(session, ids, terms)


def _hits(session: Session, ids: list[int], terms: list[str]) -> list[SearchHit]:
    if not ids:
        return []
    bodies: dict[int, str] = {}
    if _is_sqlite(session):
        marks = ",".join(map(str, ids))
        bodies = dict(session.connection().exec_driver_sql(
            f"SELECT rowid, body FROM search_tri WHERE rowid IN ({marks})").all())
    elif session.get_bind().dialect.name == "postgresql" and _pg_has_index(session):
        bodies = dict(session.execute(
            text("SELECT evidence_id, body FROM search_doc WHERE evidence_id = ANY(:ids)"), {"ids": ids}).all())
    rows = {
        eid: (title, doc, dept, trashed)
        for eid, title, doc, dept, trashed in session.execute(
            select(Evidence.id, Evidence.title, Evidence.doc_number, Department.name, Evidence.trashed_at)
            .outerjoin(Department, Department.id == Evidence.department_id)
            .where(Evidence.id.in_(ids))
        )
    }
    out = []
    for eid in ids:
        title, doc, dept, trashed = rows[eid]
        body = bodies.get(eid, "")
        snippet = ""
        pos = body.find(terms[0]) if body else -1
        if pos >= 0:
            snippet = body[max(0, pos - 20): pos + len(terms[0]) + 20].replace("\x1e", " … ")
        out.append(SearchHit(eid, title, doc or "", dept or "", trashed is not None, snippet))
    return out
