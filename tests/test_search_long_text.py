"""Search finds words at the end of a long document (issue 21 item 7): the index is not cut at
50,000 characters any more."""
from __future__ import annotations

from storage.catalogue.ingest import ingest_paths
from storage.catalogue.search import refresh_index, search
from storage.reading.backlog import read_pending


def test_a_phrase_near_the_end_of_a_long_document_is_found(archive, tmp_path):
    body = "本年度全县质量工作稳步推进，各项任务按计划完成。" * 12_000   # about 290,000 characters
    src = tmp_path / "全县质量工作年度总结.txt"
    src.write_text(body + "末尾专有词：蓝莓溯源码试点", encoding="utf-8")
    ingest_paths(archive, [src])
    assert read_pending(archive).read == 1
    with archive.sessions.write() as s:
        refresh_index(s)
    with archive.sessions.read() as s:
        hits = search(s, "蓝莓溯源码")
    assert [h.title for h in hits] == ["全县质量工作年度总结"]
