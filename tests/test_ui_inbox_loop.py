"""The clerk's loop in the inbox, driven with keys and clicks on the demo archive with a
real watcher on a temporary folder (issue 15 items 2-4, issue 17 item 1): the top three
with their certainty and reasons, the document metadata editable before accepting, Enter
and F2 that move to the next row, Enter on a row without a suggestion asking for an
indicator, Ctrl+Enter accepting every 把握较高 row, a correction that changes the other
rows' suggestions at once, and the weekly acceptance rate on the dashboard.

Set EVIDENCE_DESK_SHOTS=DIR to keep screenshots of the results (docs/screenshots)."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from watch_helpers import add_folder

from storage.catalogue.activity import acceptance_by_week
from storage.catalogue.items import evidence_for_node
from storage.catalogue.queries import current_framework_id
from storage.models import Evidence, EvidenceFile, InboxEntry
from storage.watch.inbox import list_inbox

WAIT = 30_000
RED_HEAD = ("县人民政府办公室文件\n某政办发〔2023〕12号\n关于设立质量发展专项资金的通知\n"
            "各乡镇人民政府，县直各单位：\n为推进质量强县建设，县政府决定设立质量发展专项资金，"
            "列入财政预算。\n县人民政府办公室\n2023年9月15日")
FILES = {  # name → text, as a department's share holds them
    "2.1.1 质量发展支持政策.txt": "县政府出台质量发展支持政策文件。",
    "附件4.txt": "投诉处理情况统计表",
    "附件5.txt": "检验检测机构能力验证结果",
    "食堂菜单.txt": "本周食堂菜单：周一米饭，周二面条。",
    "附件6.txt": "乡镇农贸市场电子秤台账第一季度",
    "附件7.txt": "乡镇农贸市场电子秤台账第二季度",
}


def _shot(widget, name: str) -> None:
    where = os.environ.get("EVIDENCE_DESK_SHOTS")
    if where:
        widget.grab().save(str(Path(where) / name))


@pytest.fixture
def watched(qtbot, demo_archive, tmp_path):
    """The window on the demo archive with one watched folder and the watcher running."""
    from desktop.window.controllers import Controller
    from desktop.window.tasks import TaskRunner
    from ui.main_window import MainWindow

    share = tmp_path / "县市场监管局报送"
    add_folder(demo_archive, share, "县市场监管局", settle_seconds=0.3, polling_seconds=0)
    window = MainWindow()
    window.resize(1500, 900)
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    controller = Controller(window, runner, watch_folders=True)
    window.show()
    with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
        controller.set_archive(demo_archive)
    qtbot.waitUntil(lambda: controller.watcher is not None and runner.is_idle(), timeout=WAIT)
    yield window, controller, share
    controller.close_archive()
    assert runner.shutdown()


def _drop(qtbot, window, controller, share, files: dict[str, str]) -> None:
    view = window.inbox
    window.show_view("inbox")
    for name, text in files.items():
        (share / name).write_text(text, encoding="utf-8")
    qtbot.waitUntil(lambda: view.model.rowCount() == len(files), timeout=WAIT)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)


def _row(view, name: str) -> int:
    return next(n for n in range(view.model.rowCount()) if view.model.row(n).name == name)


def _cell(view, name: str, col: int, role=Qt.ItemDataRole.DisplayRole) -> str:
    return view.model.data(view.model.index(_row(view, name), col), role)


def _current_name(view) -> str:
    return view.model.row(view.table.currentIndex().row()).name


def _click_row(qtbot, view, name: str) -> None:
    table = view.table
    rect = table.visualRect(view.model.index(_row(view, name), 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.selected_ids() == [view.model.row(_row(view, name)).id]


def _linked_codes(archive, window, name: str) -> set[str]:
    with archive.sessions.read() as s:
        ev = s.query(EvidenceFile.evidence_id).filter_by(original_name=name).scalar()
        return {n.code for n in window.workbench.tree.tree_model.nodes()
                if n.is_leaf and ev in [r.id for r in evidence_for_node(s, n.id)]}


def test_keyboard_loop_top_three_next_row_corrections_and_sure(qtbot, watched, demo_archive):
    window, controller, share = watched
    view = window.inbox
    _drop(qtbot, window, controller, share, FILES)
    m = view.model

    # the top three with their certainty; the tooltip says what each is based on
    assert _cell(view, "2.1.1 质量发展支持政策.txt", m.SUGGESTION_COL).startswith("2.1.1")
    assert "〔把握较高〕" in _cell(view, "2.1.1 质量发展支持政策.txt", m.SUGGESTION_COL)
    assert _cell(view, "2.1.1 质量发展支持政策.txt", m.CERTAINTY_COL) == "把握较高"
    # its body names the indicator's title outright (检验检测机构能力): sure, though its name says nothing
    assert _cell(view, "附件5.txt", m.CERTAINTY_COL) == "把握较高"
    tip = _cell(view, "附件5.txt", m.SUGGESTION_COL, Qt.ItemDataRole.ToolTipRole)
    assert "1. 3.2.1" in tip and "文件含「" in tip and "2. " in tip and "把握较高：" in tip
    # up to three, each with its word (the folder's department no longer adds candidates of
    # its own: only indicators that share words with the file are suggested)
    top6 = m.row(_row(view, "附件6.txt")).suggestion["top"]
    assert 1 <= len(top6) <= 3 and _cell(view, "附件6.txt", m.SUGGESTION_COL).count("〔") == len(top6)
    assert _cell(view, "食堂菜单.txt", m.CERTAINTY_COL) == "无把握"
    assert "无建议指标" in _cell(view, "食堂菜单.txt", m.SUGGESTION_COL)

    # Enter on a row without a suggestion: nothing accepted, the chooser asks for an indicator
    _click_row(qtbot, view, "食堂菜单.txt")
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.picker is not None and view.picker.isVisible()
    assert "没有建议指标" in view.message.text()
    qtbot.keyClick(view.picker, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.picker is None, timeout=WAIT)
    qtbot.wait(300)
    assert m.rowCount() == 6
    with demo_archive.sessions.read() as s:
        assert len(list_inbox(s, "pending")) == 6

    # F2 on 附件6 (a wrong guess): the chooser offers the top three first; the clerk
    # types the code and presses Enter. The selection goes to the row after it, and the other
    # 电子秤 ledger's suggestion changes at once: a correction teaches.
    names = [m.row(n).name for n in range(m.rowCount())]
    after6 = names[names.index("附件6.txt") + 1] if names[-1] != "附件6.txt" else names[-2]
    _click_row(qtbot, view, "附件6.txt")
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    dlg = view.picker
    assert dlg is not None and dlg.indicators.item(0).text().startswith("建议1：")
    assert dlg.indicators.currentRow() == 0
    qtbot.keyClicks(dlg.filter, "3.1.2")
    with qtbot.waitSignal(controller.inbox_done, timeout=WAIT):
        qtbot.keyClick(dlg.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: m.rowCount() == 5 and controller.runner.is_idle(), timeout=WAIT)
    assert _current_name(view) == after6
    assert view.selected_ids() == [m.row(_row(view, after6)).id]
    assert _linked_codes(demo_archive, window, "附件6.txt") == {"3.1.2"}
    top7 = view.model.row(_row(view, "附件7.txt")).suggestion["top"]
    # the view shows the suggestions storage made again after the correction (refresh_pending):
    # the other 电子秤 ledger now goes where the clerk put the first, because of that example
    assert top7[0]["code"] == "3.1.2" and "附件6" not in top7[0]["reason"], top7
    assert "电子秤台账第一季度" in top7[0]["reason"]
    assert _cell(view, "附件7.txt", m.SUGGESTION_COL).startswith("3.1.2")
    with demo_archive.sessions.read() as s:
        assert top7 == next(i for i in list_inbox(s, "pending") if i.name == "附件7.txt").suggestion["top"]

    # Enter on 附件5 (可参考): accepted to its first suggestion; the selection moves on
    names = [m.row(n).name for n in range(m.rowCount())]
    after5 = names[names.index("附件5.txt") + 1] if names[-1] != "附件5.txt" else names[-2]
    _click_row(qtbot, view, "附件5.txt")
    with qtbot.waitSignal(controller.inbox_done, timeout=WAIT):
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: m.rowCount() == 4 and controller.runner.is_idle(), timeout=WAIT)
    assert _current_name(view) == after5
    _shot(window, "inbox-keyboard.png")
    assert _linked_codes(demo_archive, window, "附件5.txt") == {"3.2.1"}

    # Ctrl+Enter: every 把握较高 row at once, and the message says how many are left
    sure = [m.row(n).name for n in range(m.rowCount()) if _cell(view, m.row(n).name, m.CERTAINTY_COL) == "把握较高"]
    assert "2.1.1 质量发展支持政策.txt" in sure and "食堂菜单.txt" not in sure
    left = m.rowCount() - len(sure)
    with qtbot.waitSignal(controller.inbox_done, timeout=WAIT) as sig:
        qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(sig.args[1]) == len(sure)
    assert f"其余 {left} 个" in view.message.text()
    qtbot.waitUntil(lambda: m.rowCount() == left and controller.runner.is_idle(), timeout=WAIT)
    assert _linked_codes(demo_archive, window, "2.1.1 质量发展支持政策.txt") == {"2.1.1"}
    _shot(window, "inbox-after-sure.png")

    # the dashboard: this week's rate, one correction among the files with a suggestion
    with demo_archive.sessions.read() as s:
        decided = s.query(InboxEntry).filter_by(state="accepted").count()
    with qtbot.waitSignal(controller.views_loaded, timeout=WAIT,
                          check_params_cb=lambda name: name == "dashboard"):
        window.show_view("dashboard")
    dash = window.dashboard
    week = dash.acceptance_model.row(0)
    assert week.week_start == dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    assert week.corrected == 1 and week.as_suggested == decided - 1
    assert dash.acceptance_model.data(dash.acceptance_model.index(0, 3)) == f"{round(100 * (decided - 1) / decided)}%"
    assert f"{decided - 1} 个照建议接收" in dash.acceptance_note.text()
    # 最近操作 tells what the clerk did, not the suggestions the program made again
    feed = dash.activity_model.rows()
    assert feed and not [a.summary for a in feed if "suggestion" in a.summary or "confidence" in a.summary]
    assert any("已接收" in a.summary for a in feed)
    _shot(window, "dashboard-acceptance.png")


def test_metadata_read_from_the_file_is_editable_before_accepting(qtbot, watched, demo_archive):
    window, controller, share = watched
    view = window.inbox
    _drop(qtbot, window, controller, share, {"附件1.txt": RED_HEAD, "附件2.txt": FILES["附件4.txt"]})
    m = view.model
    assert _cell(view, "附件1.txt", 4) == "某政办发〔2023〕12号"
    assert _cell(view, "附件1.txt", 6) == "2023-09-15"
    assert _cell(view, "附件1.txt", 3) == "关于设立质量发展专项资金的通知"
    _click_row(qtbot, view, "附件1.txt")
    edits = view.meta_edits
    assert edits["doc_number"].text() == "某政办发〔2023〕12号"
    assert edits["issuing_body"].text() == "县政府办公室"
    assert "各乡镇人民政府" in view.meta_addressees.text()

    # the clerk corrects the 文号 (Chinese pasted, as an input method would put it) and types
    # the date, then presses Enter on the row
    qtbot.mouseClick(edits["doc_number"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(edits["doc_number"], Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QApplication.clipboard().setText("某政办发〔2023〕13号")
    qtbot.keyClick(edits["doc_number"], Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(edits["issue_date"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(edits["issue_date"], Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edits["issue_date"], "2023-09-16")
    assert _cell(view, "附件1.txt", 4) == "某政办发〔2023〕13号"   # the list shows the edit
    _shot(window, "inbox-metadata.png")
    _click_row(qtbot, view, "附件1.txt")
    assert edits["doc_number"].text() == "某政办发〔2023〕13号"    # kept while choosing rows
    with qtbot.waitSignal(controller.inbox_done, timeout=WAIT) as sig:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: m.rowCount() == 1 and controller.runner.is_idle(), timeout=WAIT)
    with demo_archive.sessions.read() as s:
        ev = s.get(Evidence, sig.args[1][0])
        assert ev.doc_number == "某政办发〔2023〕13号"
        assert ev.issue_date == dt.date(2023, 9, 16)
        assert ev.title == "关于设立质量发展专项资金的通知"
    assert m.row(0).name == "附件2.txt" and view.selected_ids() == [m.row(0).id]


def test_acceptance_by_week_counts_decisions_per_week(demo_archive):
    """The weekly query reads what was recorded at acceptance: kept or corrected, per week."""
    today = dt.date(2026, 12, 9)   # a Wednesday
    this_monday, last_monday = dt.date(2026, 12, 7), dt.date(2026, 11, 30)
    sugg = {"indicators": [{"id": 10, "code": "2.1.1"}], "top": [{"id": 10, "certainty": "把握较高"}]}
    rows = [("suggested", "2026-12-08T09:00:00"), ("corrected", "2026-12-07T10:00:00"),
            ("suggested", "2026-12-01T10:00:00"), ("suggested", "2026-10-01T10:00:00")]
    with demo_archive.sessions.write() as s:
        for how, at in rows:
            s.add(InboxEntry(source_path=f"/x/{at}.txt", state="accepted",
                             suggestion=json.dumps({**sugg, "decision": {"as": how, "at": at}})))
        s.add(InboxEntry(source_path="/x/none.txt", state="accepted", suggestion=json.dumps({"indicators": []})))
    with demo_archive.sessions.read() as s:
        weeks = acceptance_by_week(s, weeks=4, today=today)
    assert [w.week_start for w in weeks][-2:] == [last_monday, this_monday]
    assert (weeks[-1].as_suggested, weeks[-1].corrected, weeks[-1].rate) == (1, 1, 0.5)
    assert (weeks[-2].as_suggested, weeks[-2].corrected) == (1, 0)
    assert weeks[0].decided == 0 and weeks[0].rate is None   # October is outside the 4 weeks


def test_select_all_and_enter_accepts_only_rows_with_an_indicator(qtbot, watched, demo_archive):
    window, controller, share = watched
    view = window.inbox
    names = ("附件4.txt", "附件5.txt", "食堂菜单.txt")
    _drop(qtbot, window, controller, share, {n: FILES[n] for n in names})
    m = view.model
    assert _cell(view, "食堂菜单.txt", m.CERTAINTY_COL) == "无把握"
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.selected_ids()) == 3
    with qtbot.waitSignal(controller.inbox_done, timeout=WAIT) as sig:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert len(sig.args[1]) == 2
    assert "接收 2 个文件；另有 1 个没有建议指标" in view.message.text()
    qtbot.waitUntil(lambda: m.rowCount() == 1 and controller.runner.is_idle(), timeout=WAIT)
    # the one left is selected, so F2 picks its indicator next; it is not filed anywhere
    assert m.row(0).name == "食堂菜单.txt" and view.selected_ids() == [m.row(0).id]
    with demo_archive.sessions.read() as s:
        [still] = list_inbox(s, "pending")
        assert still.name == "食堂菜单.txt"
        assert s.get(Evidence, still.evidence_id).trashed_at is None
    assert not _linked_codes(demo_archive, window, "食堂菜单.txt")
    assert _linked_codes(demo_archive, window, "附件4.txt") == {"4.2.2"}
    # and F2 then files it where the clerk says
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    qtbot.keyClicks(view.picker.filter, "4.2.1")
    with qtbot.waitSignal(controller.inbox_done, timeout=WAIT):
        qtbot.keyClick(view.picker.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: m.rowCount() == 0 and controller.runner.is_idle(), timeout=WAIT)
    assert _linked_codes(demo_archive, window, "食堂菜单.txt") == {"4.2.1"}


def test_a_correction_teaches_the_next_file_on_the_command_line_path_too(demo_archive, tmp_path):
    """Without the window: accepting 附件6 (a one-line ledger with a meaningless name) to
    the indicator the clerk names makes the other ledger's first suggestion that indicator
    at once; the evidence takes the title read from the file, not 附件6."""
    from storage.catalogue.queries import indicator_by_code
    from storage.watch.inbox import accept
    from storage.watch.service import WatchService

    share = tmp_path / "县市场监管局报送"
    add_folder(demo_archive, share, "县市场监管局", settle_seconds=0.0, polling_seconds=0)
    for name in ("附件6.txt", "附件7.txt"):
        (share / name).write_text(FILES[name], encoding="utf-8")
    assert WatchService(demo_archive).run_once(max_wait=20)["taken"] == 2
    with demo_archive.sessions.read() as s:
        rows = {i.name: i for i in list_inbox(s)}
        assert rows["附件7.txt"].suggestion["top"][0]["code"] != "3.1.2"
    with demo_archive.sessions.write() as s:
        [ev_id] = accept(s, [rows["附件6.txt"].id], indicator_codes=["3.1.2"])
        assert indicator_by_code(s, "3.1.2")
    with demo_archive.sessions.read() as s:
        assert s.get(Evidence, ev_id).title == FILES["附件6.txt"]
        [left] = list_inbox(s)
        assert left.suggestion["top"][0]["code"] == "3.1.2", left.suggestion["top"]


def test_the_watcher_learns_the_filed_items_before_its_first_batch(qtbot, watched, demo_archive):
    """When the watcher starts it builds the ranker with the memory of every filed item on
    a read session: its first batch and the window's first acceptance, which load it inside
    a write transaction, find it and only apply what changed (no file has arrived here)."""
    from storage.watch import suggest

    window, controller, share = watched
    with demo_archive.sessions.read() as s:
        key = (str(s.get_bind().url), current_framework_id(s))
        filed = len(suggest._filed_links(s))
    qtbot.waitUntil(lambda: key in suggest._CACHE, timeout=WAIT)
    cached = suggest._CACHE[key]
    assert filed > 0 and cached.ranker is not None and len(cached.links) == filed
    with demo_archive.sessions.read() as s:
        assert list_inbox(s, state=None) == []
