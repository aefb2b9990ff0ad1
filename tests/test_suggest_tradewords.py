"""The clerk's trade words (红头文件, 佐证材料, 报送, 正文) say what every file is, never where it
belongs: a summary whose body says "部门报送的红头文件" matched 1.1.1 (whose expected evidence is a
红头文件) on that phrase and was shown 把握较高 in the user guide's inbox picture."""
from __future__ import annotations

import docx
from watch_helpers import add_folder, entries

from storage.watch.service import WatchService


def test_trade_words_are_never_the_phrase_a_suggestion_rests_on(demo_archive, tmp_path):
    root = tmp_path / "share"
    add_folder(demo_archive, root, "县住建局", settle_seconds=0.2)
    d = docx.Document()
    d.add_paragraph("年度宣传活动总结")
    d.add_paragraph("本文是部门报送的红头文件正文，作为佐证材料报送。")
    d.save(str(root / "年度宣传活动总结.docx"))
    WatchService(demo_archive, observers=False).run_once()
    [e] = entries(demo_archive)
    top = e.suggestion.get("top") or []
    phrases = {p for t in top for p in t.get("phrases", [])}
    assert not phrases & {"红头文件", "佐证材料", "报送", "正文"}, phrases
    assert all(t["certainty"] != "把握较高" for t in top)
