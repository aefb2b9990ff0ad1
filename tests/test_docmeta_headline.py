"""A news item has no document title by the reading's convention (a headline reports an
event), but a clerk files it by its headline: when the department named the file 附件1.docx,
the inbox shows the headline as the title, and accepting keeps it. Wording ours; the form (a
headline, a 来源 line, the report) is a county portal's news item."""
from __future__ import annotations

import docx
from watch_helpers import add_folder, entries

from storage.reading.docmeta import read_docmeta
from storage.watch.inbox import accept
from storage.watch.service import WatchService

HEADLINE = "某县召开质量强县工作推进会暨质量月启动仪式"


def _news(path, tail: str = "") -> None:
    d = docx.Document()
    for p in (HEADLINE, "来源：县市场监管局　2024-09-02", "9月2日上午，某县召开质量强县工作推进会，部署质量月活动。" + tail):
        d.add_paragraph(p)
    d.save(str(path))


def test_a_headline_is_kept_beside_an_empty_title():
    m = read_docmeta(f"{HEADLINE}\n来源：县市场监管局　2024-09-02\n9月2日上午，某县召开会议。")
    assert m.title == "" and m.headline == HEADLINE
    assert read_docmeta("关于开展质量月活动的通知\n各乡镇：\n现将有关事项通知如下。").headline == ""
    assert read_docmeta("会议指出，要认真开展质量月活动。").headline == ""


def test_a_news_item_named_fujian1_shows_its_headline_in_the_inbox(demo_archive, tmp_path):
    root = tmp_path / "share"
    add_folder(demo_archive, root, "县市场监管局", settle_seconds=0.2)
    _news(root / "附件1.docx")
    _news(root / "质量月新闻稿.docx", "（本网讯）")
    WatchService(demo_archive, observers=False).run_once()
    titles = {e.name: e.suggestion["title"] for e in entries(demo_archive)}
    assert titles["附件1.docx"] == HEADLINE
    assert titles["质量月新闻稿.docx"] == "质量月新闻稿"   # a name that says what it is stays
    [entry] = [e for e in entries(demo_archive) if e.name == "附件1.docx"]
    from storage.models import Evidence
    with demo_archive.sessions.write() as s:
        [eid] = accept(s, [entry.id])
        assert s.get(Evidence, eid).title == HEADLINE
