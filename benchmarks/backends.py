"""SQLite against PostgreSQL in the same run: `status()` and search on 50,000 items.

    eval "$(bash scripts/pg.sh start)"        # or any server: --server postgresql://user:pw@host/postgres
    .venv/bin/python benchmarks/backends.py [--items 50000] [--chars 400] [--runs 15]
    bash scripts/pg.sh stop "$EVIDENCE_DESK_PG_DIR"

Builds one archive as benchmarks/status.py does (a 4/15/43 tree, 30 departments, every item
with a blob, a file row and one or two indicator links), adds extracted text to every blob
(~CHARS characters of Chinese words, as benchmarks/watch_search.py), then copies it onto a
new database on the server with the same code as `migrate-to-server`, so both back ends
hold exactly the same rows. Reports the medians of `status()` and of `search()` for
one-, two-, three- and four-character terms and two terms, on both, with their ratio, and
checks both return the same items. The server is whatever the URL names (scripts/pg.sh's
throw-away cluster runs with fsync off: fine for reads, which is what is measured here).
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select
from sqlalchemy.engine import make_url

from benchmarks.status import build
from benchmarks.watch_search import WORDS
from storage.catalogue.queries import status
from storage.catalogue.search import refresh_index, search
from storage.core import server
from storage.core.archive import Archive
from storage.core.server_copy import load_into
from storage.models import Blob, BlobText

QUERIES = ("质", "台账", "计量", "标准化", "检验检测", "食品安全 台账", "不存在")


def add_text(archive: Archive, chars: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    with archive.sessions.write() as s:
        conn = s.connection()
        ids = [r[0] for r in conn.execute(select(Blob.id).order_by(Blob.id))]
        for start in range(0, len(ids), 5000):
            rows = []
            for i in ids[start:start + 5000]:
                words, n = [], 0
                while n < chars:
                    w = rnd.choice(WORDS)
                    words.append(w)
                    n += len(w)
                rows.append({"blob_id": i, "title": "", "doc_number": "", "text": "，".join(words)})
            conn.execute(insert(BlobText), rows)


def median_ms(fn, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=50_000)
    ap.add_argument("--chars", type=int, default=400, help="characters of extracted text per item")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--server", default=os.environ.get("EVIDENCE_DESK_TEST_DB_URL"),
                    help="a PostgreSQL URL whose user may create databases (default: $EVIDENCE_DESK_TEST_DB_URL)")
    a = ap.parse_args()
    if not a.server:
        sys.exit("no server: eval \"$(bash scripts/pg.sh start)\" first, or give --server")
    url = make_url(a.server).set(database=f"bench_{uuid.uuid4().hex[:10]}").render_as_string(hide_password=False)
    os.environ.setdefault("PGPASSWORD", make_url(a.server).password or "")
    tmp = Path(tempfile.mkdtemp(prefix="ed-bench-backends-"))
    try:
        t = time.perf_counter()
        build(tmp / "lite", a.items)
        lite = Archive.open(tmp / "lite", daily_backup=False)
        add_text(lite, a.chars)
        print(f"{a.items} items (+ ~{a.chars} chars of text each) built on SQLite in {time.perf_counter() - t:.0f} s")

        server.create_database(url)
        pg = Archive.create(tmp / "share", db_url=url)
        t = time.perf_counter()
        load_into(lite.engine, pg.engine, replace=True)
        server.set_archive_id(pg.engine, pg.server.archive_id)
        print(f"copied onto PostgreSQL ({server.redact(url)}) in {time.perf_counter() - t:.0f} s")

        for name, arch in (("SQLite", lite), ("PostgreSQL", pg)):
            t = time.perf_counter()
            with arch.sessions.write() as s:
                n = refresh_index(s)
            print(f"search index built on {name}: {n} items in {time.perf_counter() - t:.0f} s")
        with pg.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

        rows = []

        def run_status(arch):
            with arch.sessions.read() as s:
                return status(s, str(arch.root))

        ms_l, rep_l = median_ms(lambda: run_status(lite), a.runs)
        ms_p, rep_p = median_ms(lambda: run_status(pg), a.runs)
        assert rep_l.evidence_total == rep_p.evidence_total == a.items
        # (by_department is ordered by count only: ties may come in another order)
        assert rep_l.level1 == rep_p.level1
        assert sorted(rep_l.by_department, key=repr) == sorted(rep_p.by_department, key=repr)
        rows.append(("status()", ms_l, ms_p, ""))

        for q in QUERIES:
            def run_search(arch, q=q):
                with arch.sessions.read() as s:
                    return [h.evidence_id for h in search(s, q, limit=50)]

            ms_l, ids_l = median_ms(lambda: run_search(lite), a.runs)
            ms_p, ids_p = median_ms(lambda: run_search(pg), a.runs)
            assert ids_l == ids_p, q
            rows.append((f"search {q!r}", ms_l, ms_p, f"{len(ids_l)} hits"))

        print(f"\nmedians over {a.runs} runs, {a.items} items, same rows on both; same results checked")
        print(f"{'':28} {'SQLite':>10} {'PostgreSQL':>11} {'PG/SQLite':>10}")
        for label, l_, p_, note in rows:
            print(f"{label:28} {l_:8.1f} ms {p_:8.1f} ms {p_ / l_:9.2f}x  {note}")
        try:
            print(f"\nload average: {os.getloadavg()[0]:.2f} (2 cores shared)")
        except OSError:
            pass
        lite.close()
        pg.close()
    finally:
        try:
            server.drop_database(url)
        except Exception:  # noqa: BLE001 - the benchmark's figures are printed; a failed cleanup is no failure
            pass
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
