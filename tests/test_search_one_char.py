"""One-character terms (issue 19): answered from the bigram index's FTS5 prefix index
(`prefix='6'`: "b" and the character), newest first, the same items as reading every
item's text, and quickly on a few thousand items whose text has real Chinese's variety of
character pairs (what made the old prefix query merge hundreds of posting lists)."""
from __future__ import annotations

import random
import time

import pytest
from sqlalchemy import insert

from storage.catalogue.search import refresh_index, search
from storage.core.archive import Archive
from storage.models import Blob, BlobText, Evidence, EvidenceFile

pytestmark = pytest.mark.sqlite_only("the FTS5 indexes")

# Sentences in the manner of a county's 质量强县 papers (written for this test).
SENTENCES = (
    "县市场监管局牵头做好质量强县创建的统筹协调工作", "各乡镇街道要建立健全质量工作台账并按月报送",
    "计量器具强制检定覆盖率达到百分之百", "组织开展食品安全和特种设备监督抽查", "推进标准化试点示范项目建设",
    "加强知识产权保护和品牌培育工作", "质量技术基础设施一站式服务平台投入运行", "县政府召开质量工作领导小组会议",
    "农产品质量安全追溯体系覆盖主要品种", "企业首席质量官制度在规模以上企业推行", "检验检测机构能力验证全部合格",
    "开展质量月活动宣传培训三十余场", "落实质量安全主体责任的考核办法", "建立质量奖励政策的兑现清单",
)


def _archive(tmp_path, n: int) -> Archive:
    rnd = random.Random(5)
    a = Archive.create(tmp_path / "archive")
    with a.sessions.write() as s:
        conn = s.connection()
        conn.execute(insert(Blob), [{"id": i, "sha256": f"{i:064x}", "size": 1} for i in range(1, n + 1)])
        conn.execute(insert(Evidence), [{"id": i, "title": f"材料{i}", "status": "received"}
                                        for i in range(1, n + 1)])
        conn.execute(insert(EvidenceFile), [{"evidence_id": i, "blob_id": i, "original_name": f"{i}.docx"}
                                            for i in range(1, n + 1)])
        conn.execute(insert(BlobText), [{"blob_id": i, "title": "", "text": "，".join(
            rnd.sample(SENTENCES, 4)) + ("，龘" if i % 97 == 0 else "")} for i in range(1, n + 1)])
        refresh_index(s)
    return a


def test_one_character_terms_newest_first_from_the_prefix_index(tmp_path):
    a = _archive(tmp_path, 3000)
    try:
        with a.sessions.read() as s:
            conn = s.connection()
            ddl = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'search_bi'").scalar()
            assert "prefix='6'" in ddl.replace('"', "'"), ddl
            bodies = dict(conn.exec_driver_sql("SELECT rowid, body FROM search_tri").all())
            for term, limit in (("质", 50), ("的", 500), ("龘", 500), ("量", 3000), ("鑫", 10)):
                t = time.perf_counter()
                got = [h.evidence_id for h in search(s, term, limit=limit, include_trashed=True)]
                took = time.perf_counter() - t
                want = sorted((i for i, b in bodies.items() if term in b), reverse=True)[:limit]
                assert got == want, term
                assert took < 1.0, f"{term}: {took:.2f} s"
            assert len([h for h in search(s, "龘", limit=500)]) == 3000 // 97
    finally:
        a.close()


def test_an_index_of_the_old_layout_is_rebuilt_with_the_prefix_index(tmp_path):
    """An archive indexed before the prefix index: the next refresh rebuilds the bigram
    index from the indexed text (nothing else is indexed again), same answers."""
    a = _archive(tmp_path, 60)
    try:
        with a.engine.begin() as c:
            c.exec_driver_sql("DROP TABLE search_bi")
            c.exec_driver_sql("CREATE VIRTUAL TABLE search_bi USING fts5(grams, content='', detail=none, "
                              "tokenize='ascii')")  # the layout before issue 19, empty
        with a.sessions.write() as s:
            assert refresh_index(s, batch=7) == 0  # no item to index again
        with a.sessions.read() as s:
            conn = s.connection()
            ddl = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'search_bi'").scalar()
            assert "prefix" in ddl
            bodies = dict(conn.exec_driver_sql("SELECT rowid, body FROM search_tri").all())
            for term in ("质", "质量", "台"):
                want = sorted((i for i, b in bodies.items() if term in b), reverse=True)[:5]
                assert len(want) == 5
                assert [h.evidence_id for h in search(s, term, limit=5)] == want, term
    finally:
        a.close()
