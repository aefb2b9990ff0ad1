"""Search on PostgreSQL answers as on SQLite (issue 9): the same archive content on both
back ends, the same Chinese substring queries (one, two, three and more characters,
several terms, full-width and mixed case, trashed items, terms with LIKE's wildcards),
the same items in the same order."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from pg_helpers import fresh_url, password, requires_pg
from sqlalchemy import insert, text

pytestmark = requires_pg

WORDS = ("质量", "计量", "台账", "标准化", "认证", "检验检测", "品牌", "会议纪要", "工作方案", "通知",
         "监督抽查", "合格率", "企业", "食品安全", "特种设备", "ISO9001", "GB/T 19001", "100%", "a_b")

QUERIES = ("台账", "计量", "质", "量", "会议纪要", "检验检测", "食品安全 台账", "不存在", "ＩＳＯ９００１",
           "iso", "gb/t", "19001", "100%", "%", "a_b", "_", "沂政发", "〔2023〕", "签到表", "质量 计量 台账",
           "材料1", "发〔", "纪要.docx")


def _fill(archive, n: int = 400, seed: int = 5) -> None:
    from storage.models import Blob, BlobText, Evidence, EvidenceFile

    rnd = random.Random(seed)
    now = dt.datetime(2026, 11, 1)
    with archive.sessions.write() as s:
        conn = s.connection()
        conn.execute(insert(Blob), [{"id": i, "sha256": f"{i:064x}", "size": 1, "stored_at": now}
                                    for i in range(1, n + 1)])
        conn.execute(insert(Evidence), [
            {"id": i, "title": "".join(rnd.choice(WORDS) for _ in range(3)),
             "doc_number": f"沂政发〔2023〕{i}号" if i % 5 == 0 else "", "status": "received",
             "created_at": now, "updated_at": now, "version": 1, "notes": "", "issuing_body": "",
             "trashed_at": now if i % 17 == 0 else None}
            for i in range(1, n + 1)])
        conn.execute(insert(EvidenceFile), [
            {"evidence_id": i, "blob_id": i, "original_name": f"材料{i}{rnd.choice(['签到表', '纪要'])}.docx",
             "source_path": "", "revision": 1, "is_current": True, "added_at": now}
            for i in range(1, n + 1)])
        conn.execute(insert(BlobText), [
            {"blob_id": i, "title": "", "doc_number": "", "extracted_at": now,
             "text": "，".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 40)))}
            for i in range(1, n + 1)])
        if conn.dialect.name == "postgresql":
            from storage.core.server import reset_sequences

            reset_sequences(conn)


@pytest.fixture
def both(tmp_path, monkeypatch):
    from storage.core.archive import Archive

    monkeypatch.setenv("PGPASSWORD", password())
    lite = Archive.create(tmp_path / "lite", db_url=None)
    pg = Archive.create(tmp_path / "pg", db_url=fresh_url())
    if lite.backend == pg.backend:
        lite.close()
        pg.close()
        pytest.skip("the PostgreSQL pass makes every archive a server archive")
    for a in (lite, pg):
        _fill(a)
    yield lite, pg
    lite.close()
    pg.close()


def _ids(archive, query: str, **kw) -> list[int]:
    from storage.catalogue.search import search

    with archive.sessions.read() as s:
        return [h.evidence_id for h in search(s, query, limit=1000, **kw)]


@pytest.mark.parametrize("probe", [1000, 3], ids=["rare-path", "common-path"])
def test_same_results_as_sqlite_for_every_kind_of_query(both, probe, monkeypatch):
    """Both of PostgreSQL's plans (see search._pg_search): with PROBE 3, every term found
    three times or more takes the newest-first walk."""
    from storage.catalogue import search as search_module
    from storage.catalogue.search import refresh_index

    monkeypatch.setattr(search_module, "PROBE", probe)

    lite, pg = both
    for a in both:
        with a.sessions.write() as s:
            assert refresh_index(s) == 400
    found = 0
    for q in QUERIES:
        for trashed in (False, True):
            want = _ids(lite, q, include_trashed=trashed)
            got = _ids(pg, q, include_trashed=trashed)
            assert got == want, (q, trashed)
            found += bool(want)
    assert found >= 30  # the queries really find things
    assert _ids(pg, "%") == _ids(pg, "100%") and _ids(pg, "不存在") == []
    # Snippets come from the index on both back ends.
    from storage.catalogue.search import search

    with lite.sessions.read() as s1, pg.sessions.read() as s2:
        assert [h.snippet for h in search(s1, "会议纪要")] == [h.snippet for h in search(s2, "会议纪要")]


def test_index_follows_edits_deletes_and_is_refreshed_by_one_seat_at_a_time(both):
    from storage.catalogue.items import update_evidence_metadata
    from storage.catalogue.search import refresh_index
    from storage.models import Evidence

    lite, pg = both
    for a in both:
        with a.sessions.write() as s:
            refresh_index(s)
        with a.sessions.write() as s:
            update_evidence_metadata(s, 3, title="全新的标题：电梯维保台账")
            s.delete(s.get(Evidence, 4))
        with a.sessions.write() as s:
            assert refresh_index(s) == 1
        with a.sessions.write() as s:
            assert refresh_index(s) == 0
    assert _ids(pg, "电梯维保") == _ids(lite, "电梯维保") == [3]
    assert 4 not in _ids(pg, "材料4") and _ids(pg, "材料") == _ids(lite, "材料")


def test_trigram_index_is_used_for_long_terms(both):
    from storage.catalogue.search import refresh_index

    _, pg = both
    with pg.sessions.write() as s:
        refresh_index(s)
    with pg.sessions.read() as s:
        s.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(r[0] for r in s.execute(text(
            "EXPLAIN SELECT evidence_id FROM search_doc WHERE body LIKE '%检验检测%'")))
    assert "search_doc_body_trgm" in plan
