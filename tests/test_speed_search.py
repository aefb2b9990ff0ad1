"""Search walks the index newest first and stops at the limit (issue 19): the terms of each
FTS5 index in one AND query, the two indexes joined on the item. Same answers as reading
every item's indexed text and keeping those that hold every term."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from storage.catalogue.search import refresh_index, search
from storage.kernel.text import fold
from storage.models import Evidence

pytestmark = pytest.mark.sqlite_only("the FTS5 indexes")

QUERIES = ["质量", "通知", "方案", "质", "质量 通知", "工作 实施方案", "质 知", "2023", "县 质量 年度",
           "不存在的词", "实施方案 2023"]


def _brute(bodies: dict[int, str], trashed: set[int], query: str, limit: int, include_trashed: bool) -> list[int]:
    terms = [fold(t) for t in query.split() if fold(t)]
    ids = [i for i, b in bodies.items() if all(t in b for t in terms)
           and (include_trashed or i not in trashed)]
    return sorted(ids, reverse=True)[:limit]


@pytest.mark.parametrize("limit", [3, 50])
def test_search_answers_as_a_full_read(demo_archive, limit):
    with demo_archive.sessions.write() as s:
        first = s.scalar(select(Evidence.id).order_by(Evidence.id.desc()))
        s.execute(update(Evidence).where(Evidence.id == first).values(trashed_at=dt.datetime(2026, 1, 1)))
        refresh_index(s)
    with demo_archive.sessions.read() as s:
        conn = s.connection()
        bodies = dict(conn.exec_driver_sql("SELECT rowid, body FROM search_tri").all())
        trashed = set(s.scalars(select(Evidence.id).where(Evidence.trashed_at.is_not(None))))
        assert trashed
        seen_hits = 0
        for q in QUERIES:
            for inc in (True, False):
                got = [h.evidence_id for h in search(s, q, limit=limit, include_trashed=inc)]
                assert got == _brute(bodies, trashed, q, limit, inc), (q, inc)
                seen_hits += len(got)
        assert seen_hits > 0
