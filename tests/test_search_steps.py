"""The search index brought up to date in steps (storage.catalogue.search.refresh_index with
max_items): each step its own transaction, so a large backlog (the first search after a big
import, or after a new version drops the derived index) keeps other writers waiting one step
at most, shows progress in the window and can be cancelled without losing what was done."""
from __future__ import annotations

from sqlalchemy import text
from test_ui_search import WAIT, _type
from ui_helpers import open_window

from storage.catalogue.search import index_backlog, refresh_index, search


def _drop_index(archive) -> None:
    with archive.sessions.write() as s:
        for t in ("search_tri", "search_bi", "search_doc"):
            s.execute(text(f"DROP TABLE IF EXISTS {t}"))


def _all_hits(archive, terms):
    with archive.sessions.read() as s:
        return {t: sorted(h.evidence_id for h in search(s, t, limit=1000, include_trashed=True)) for t in terms}


def test_steps_index_at_most_their_size_and_end_where_one_refresh_ends(demo_archive):
    terms = ["领导小组", "纪要", "质", "发改发〔2026〕3号"]
    with demo_archive.sessions.write() as s:
        refresh_index(s)
    whole = _all_hits(demo_archive, terms)
    _drop_index(demo_archive)
    with demo_archive.sessions.read() as s:
        total = index_backlog(s)
    assert total >= 10
    steps = []
    while True:
        with demo_archive.sessions.write() as s:
            n = refresh_index(s, max_items=4)
        steps.append(n)
        assert n <= 4
        if n < 4:
            break
    assert sum(steps) == total and len(steps) >= 3
    with demo_archive.sessions.read() as s:
        assert index_backlog(s) == 0
    assert _all_hits(demo_archive, terms) == whole


def test_a_stopped_refresh_keeps_its_steps_and_the_next_goes_on(demo_archive):
    _drop_index(demo_archive)
    with demo_archive.sessions.read() as s:
        total = index_backlog(s)
    with demo_archive.sessions.write() as s:
        assert refresh_index(s, max_items=5) == 5
    with demo_archive.sessions.read() as s:
        assert index_backlog(s) == total - 5
    with demo_archive.sessions.write() as s:
        assert refresh_index(s) == total - 5


def test_the_window_refreshes_a_large_backlog_in_steps_with_progress(qtbot, demo_archive):
    with open_window(qtbot, demo_archive, wait=WAIT) as (window, controller):
        _drop_index(demo_archive)
        controller._search_stale = True
        controller.SEARCH_INDEX_STEP = 3
        seen: list[tuple[str, int, int, str]] = []
        controller.runner.task_progress.connect(lambda t, d, n, msg: seen.append((t.label, d, n, msg)))
        query, n = _type(qtbot, window, controller, "领导小组")
        assert n >= 2
        steps = [x for x in seen if x[0] == "更新搜索索引"]
        assert steps and steps[-1][1] == steps[-1][2] and steps[-1][3] == "正在更新搜索索引"
        with demo_archive.sessions.read() as s:
            assert index_backlog(s) == 0
