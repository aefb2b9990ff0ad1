"""The window's half of parity (issue 13, item 2), offscreen over a real demo archive:
Delete in the evidence table (and its context menu) moves items to the trash; 文件 → 回收站…
restores and purges (asking first, naming what goes); 文件 → 备份档案库… then 从备份恢复…
(the window closes the archive, restores, opens the result; a damaged backup leaves the open
archive as it was); 工具 → 操作记录… shows a change just made in the clerk's words, newest
first, from a date on; 文件 → 已封存的提交… lists seals, compares one with the archive now,
and writes one again byte for byte, the same bytes `evidence-desk submission export` writes."""
from __future__ import annotations

import datetime as dt
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox
from ui_helpers import open_window

from desktop.actions.export import export_bundle
from storage.core.audit import current_user
from storage.durability.trash import list_trash

WAIT = 60_000
DATE = dt.date(2026, 3, 1)


@pytest.fixture
def gui(qtbot, demo_archive):
    def before_close(window, controller):
        d = controller.durability
        for dlg in (d.trash_dialog, d.log_dialog, d.submissions_dialog, d.backup_dialog, d.restore_dialog):
            if dlg is not None:
                dlg.close()

    with open_window(qtbot, demo_archive, wait=WAIT, before_close=before_close) as opened:
        yield opened


def _menu(window, text):
    return next(a for a in window.findChildren(QAction) if a.text() == text)


def _leaf_with_items(qtbot, window, controller, n=2, skip=()):
    """Select a leaf indicator with `n` items or more (not one of `skip`); wait until they
    are shown."""
    tree = window.workbench.tree
    node = next(x for x in tree.tree_model.nodes() if x.is_leaf and x.received >= n and x.id not in skip)
    with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        tree.select_id(node.id)
    assert window.workbench.evidence.model.rowCount() >= n
    return node


def _shown_ids(window):
    m = window.workbench.evidence.model
    return {m.row(r).id for r in range(m.rowCount())}


def _select_rows(table, rows):
    table.clearSelection()
    sel = table.selectionModel()
    for r in rows:
        sel.select(table.model().index(r, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)


def _click(qtbot, button):
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# --- trash ---------------------------------------------------------------------------------


def test_delete_trashes_and_the_trash_dialog_restores_and_purges(qtbot, gui, demo_archive):
    window, controller = gui
    d = controller.durability
    panel = window.workbench.evidence
    node = _leaf_with_items(qtbot, window, controller)
    before = _shown_ids(window)

    # Delete on two selected rows of the evidence table
    _select_rows(panel.table, [0, 1])
    first = panel.selected_ids()
    assert len(first) == 2
    panel.table.setFocus()
    with qtbot.waitSignal(d.trashed, timeout=WAIT) as sig, \
            qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert sorted(sig.args[0]) == sorted(first)
    assert {i.evidence_id for i in list_trash(demo_archive)} == set(first)
    assert _shown_ids(window) == before - set(first)  # the view refreshed
    assert "已移到回收站 2 份材料" in window.status_label.text()

    # the context menu's 移到回收站 on one more, of another indicator
    _leaf_with_items(qtbot, window, controller, n=1, skip=(node.id,))
    _select_rows(panel.table, [0])
    second = panel.selected_ids()
    menu = panel.build_menu(second)  # what a right click pops up
    entry = next(a for a in menu.actions() if a.text().startswith("移到回收站"))
    assert entry.text() == "移到回收站（1 份）"
    with qtbot.waitSignal(d.trashed, timeout=WAIT):
        entry.trigger()
    trashed = set(first) | set(second)
    assert {i.evidence_id for i in list_trash(demo_archive)} == trashed

    # 文件 → 回收站… lists them: title, when, who
    with qtbot.waitSignal(d.trash_loaded, timeout=WAIT):
        _menu(window, "回收站…").trigger()
    dlg = d.trash_dialog
    assert dlg is not None and dlg.isVisible() and dlg.table.rowCount() == 3
    rows = {dlg.table.item(r, 0).text(): [dlg.table.item(r, c).text() for c in range(5)] for r in range(3)}
    assert set(rows) == {f"#{i}" for i in trashed}
    for cells in rows.values():
        assert cells[1] and cells[2].startswith(str(dt.date.today().year)) and cells[3] == current_user()
    assert not dlg.untrash_btn.isEnabled()  # nothing selected yet

    # 恢复 the first one: back in the archive and in the view
    back = first[0]
    dlg.select_ids([back])
    assert dlg.untrash_btn.text() == "恢复（1 份）"
    with qtbot.waitSignal(d.untrashed, timeout=WAIT), qtbot.waitSignal(d.trash_loaded, timeout=WAIT), \
            qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        _click(qtbot, dlg.untrash_btn)
    assert back not in {i.evidence_id for i in list_trash(demo_archive)}
    assert dlg.table.rowCount() == 2
    with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        window.workbench.tree.select_id(node.id)
    assert back in _shown_ids(window)

    # 彻底清除 asks first, naming the items; 取消 removes nothing
    gone = sorted(trashed - {back})
    titles = {i.evidence_id: i.title for i in list_trash(demo_archive)}
    dlg.select_ids(gone)
    qtbot.waitUntil(lambda: dlg.purge_btn.isEnabled())
    _click(qtbot, dlg.purge_btn)
    qtbot.waitUntil(lambda: dlg.confirm_box is not None and dlg.confirm_box.isVisible(), timeout=WAIT)
    box = dlg.confirm_box
    assert box.windowTitle() == "彻底清除？"
    for eid in gone:
        assert f"#{eid}《{titles[eid]}》" in box.text()
    assert "不能恢复" in box.text()
    _click(qtbot, next(b for b in box.buttons() if b.text() == "取消"))
    assert {i.evidence_id for i in list_trash(demo_archive)} == set(gone)

    # … and 彻底清除 removes them and the stored files nothing else uses
    dlg.select_ids(gone)
    _click(qtbot, dlg.purge_btn)
    qtbot.waitUntil(lambda: dlg.confirm_box is not box and dlg.confirm_box is not None
                    and dlg.confirm_box.isVisible(), timeout=WAIT)
    box = dlg.confirm_box
    with qtbot.waitSignal(d.purged, timeout=WAIT) as sig, qtbot.waitSignal(d.trash_loaded, timeout=WAIT):
        _click(qtbot, next(b for b in box.buttons() if b.text() == "彻底清除"))
    plan = sig.args[0]
    assert sorted(i.evidence_id for i in plan.items) == gone
    assert list_trash(demo_archive) == [] and dlg.table.rowCount() == 0
    for f in plan.files:
        assert demo_archive.files.path_for(f.sha256).exists() == (not f.removed)
    assert "已彻底删除 2 份材料" in dlg.status.text()


# --- backup and restore ----------------------------------------------------------------------


def _backup(qtbot, window, controller, dest: Path):
    d = controller.durability
    _menu(window, "备份档案库…").trigger()
    dlg = d.backup_dialog
    assert dlg is not None and dlg.isVisible()
    dlg.as_zip.setChecked(dest.suffix == ".zip")
    dlg.target.setText(str(dest))
    with qtbot.waitSignal(d.backup_done, timeout=WAIT) as sig:
        _click(qtbot, dlg.start_btn)
    return dlg, sig.args[0]


def _restore(qtbot, window, controller, src: Path, target: Path | None, signal: str):
    d = controller.durability
    _menu(window, "从备份恢复…").trigger()
    dlg = d.restore_dialog
    assert dlg is not None and dlg.isVisible()
    dlg.source.setText(str(src))
    if target is not None:
        dlg.target.setText(str(target))
    _click(qtbot, dlg.restore_btn)
    box = dlg.confirm_box
    assert box is not None and box.isVisible() and box.windowTitle() == "从备份恢复？"
    assert str(src) in box.text()
    with qtbot.waitSignal(getattr(d, signal), timeout=WAIT) as sig, \
            qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
        _click(qtbot, next(b for b in box.buttons() if b.text() == "恢复"))
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    return dlg, sig.args[0]


def test_backup_then_restore_opens_the_restored_archive(qtbot, gui, demo_archive, tmp_path):
    window, controller = gui
    original = demo_archive.root
    dest = tmp_path / "备份" / "档案库备份.zip"
    dest.parent.mkdir()
    dlg, report = _backup(qtbot, window, controller, dest)
    assert dest.is_file() and zipfile.is_zipfile(dest) and report.files > 0
    assert f"已备份到：{dest}" in dlg.status.text() and dlg.state == "done"
    dlg.close()

    # a change after the backup: the restored archive must not have it
    eid = next(iter(_shown_ids(window)), None) or 1
    with qtbot.waitSignal(controller.durability.trashed, timeout=WAIT):
        controller.durability.trash([eid])
    assert [i.evidence_id for i in list_trash(demo_archive)] == [eid]

    target = tmp_path / "恢复的档案库"
    dlg, rep = _restore(qtbot, window, controller, dest, target, "restore_done")
    assert rep.verify_ok and Path(rep.archive) == target
    assert controller.archive is not None and controller.archive.root == target
    assert controller.lock is not None  # opened as the start-up opens: with its window lock
    assert list_trash(controller.archive) == []  # the backup's state, before the trashing
    assert str(target) in window.windowTitle()
    assert window.workbench.tree.tree_model.nodes()  # the views show the restored archive
    assert "已恢复到" in dlg.status.text() and "校验通过" in dlg.status.text()
    # the archive that was open is as it was
    from storage.core.archive import Archive

    with Archive.open(original) as old:
        assert [i.evidence_id for i in list_trash(old)] == [eid]


def test_a_damaged_backup_leaves_the_open_archive_as_it_was(qtbot, gui, demo_archive, tmp_path):
    window, controller = gui
    original = demo_archive.root
    good = tmp_path / "good.zip"
    _backup(qtbot, window, controller, good)[0].close()
    # the same backup with one stored file's bytes changed (a bad sector, a broken copy)
    bad = tmp_path / "damaged.zip"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        members = zin.namelist()
        victim = next(n for n in members if n.startswith("files/"))
        for n in members:
            data = zin.read(n)
            zout.writestr(n, data[:-1] + bytes([data[-1] ^ 0xFF]) if n == victim else data)
    before = _contents(controller.archive)
    target = tmp_path / "恢复失败"
    dlg, msg = _restore(qtbot, window, controller, bad, target, "restore_failed")
    assert "备份中的文件已损坏" in msg and "当前档案库未作改动" in msg and "已重新打开" in msg
    assert "Error" not in msg and "Traceback" not in msg
    assert dlg.status.text() == msg and dlg.state == "idle" and dlg.restore_btn.isEnabled()
    assert controller.archive is not None and controller.archive.root == original
    assert not (target / "archive.sqlite3").exists()  # no half-restored archive to open by mistake
    assert _contents(controller.archive) == before


def _contents(archive):
    """Every evidence row and audit entry, to tell an archive was not changed."""
    from sqlalchemy import select

    from storage.models import AuditLog, Evidence

    with archive.sessions.read() as s:
        rows = [(e.id, e.title, e.status, e.trashed_at, e.version) for e in s.scalars(select(Evidence))]
        log = [(a.id, a.action, a.entity, a.entity_id) for a in s.scalars(select(AuditLog))]
    return sorted(rows), log


def test_a_database_backup_goes_back_into_the_open_archive(qtbot, gui, demo_archive):
    """A backups/*.sqlite3 (the automatic ones) replaces the open archive's database: the
    window closes it, restore_archive swaps the database (keeping the replaced one) and the
    same archive is opened again."""
    window, controller = gui
    original = demo_archive.root
    saved = demo_archive.backup_database(reason="test")
    eid = next(iter(_shown_ids(window)), None) or 1
    with qtbot.waitSignal(controller.durability.trashed, timeout=WAIT):
        controller.durability.trash([eid])
    _menu(window, "从备份恢复…").trigger()
    dlg = controller.durability.restore_dialog
    dlg.source.setText(str(saved))
    assert dlg.target.text() == str(original) and not dlg.target.isEnabled()  # the open archive
    dlg, rep = _restore(qtbot, window, controller, saved, None, "restore_done")
    assert controller.archive is not None and controller.archive.root == original
    assert list_trash(controller.archive) == []  # the database as it was saved
    assert rep.replaced_database and Path(rep.replaced_database).is_file()
    assert "原数据库保留在" in dlg.status.text()


def test_cancel_in_the_middle_of_a_backup_leaves_nothing(qtbot, gui, tmp_path, monkeypatch):
    """The real backup_archive, held at its first copied file until 取消 has been pressed."""
    import desktop.window.durability as durability
    from storage.durability.backup import backup_archive

    paused, release = threading.Event(), threading.Event()

    def held(archive, dest, *, progress, cancel):
        def report(done, total, text=""):
            progress(done, total, text)
            if done > 0 and not paused.is_set():
                paused.set()
                release.wait(30)

        return backup_archive(archive, dest, progress=report, cancel=cancel)

    monkeypatch.setattr(durability, "backup_archive", held)
    window, controller = gui
    d = controller.durability
    folder = tmp_path / "备份"
    folder.mkdir()
    _menu(window, "备份档案库…").trigger()
    dlg = d.backup_dialog
    dlg.as_zip.setChecked(False)
    dlg.target.setText(str(folder / "档案库备份"))
    _click(qtbot, dlg.start_btn)
    try:
        qtbot.waitUntil(paused.is_set, timeout=WAIT)
        assert dlg.state == "running" and dlg.cancel_btn.isVisible() and not dlg.close_btn.isEnabled()
        with qtbot.waitSignal(d.backup_cancelled, timeout=WAIT):
            _click(qtbot, dlg.cancel_btn)
            release.set()
    finally:
        release.set()
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert list(folder.iterdir()) == []  # no backup, no partial folder
    assert dlg.state == "idle" and "备份已取消" in dlg.status.text() and dlg.start_btn.isEnabled()


# --- the audit log -----------------------------------------------------------------------------


def test_the_log_shows_a_change_just_made_newest_first(qtbot, gui):
    window, controller = gui
    d = controller.durability
    _leaf_with_items(qtbot, window, controller)
    panel = window.workbench.evidence
    with qtbot.waitSignal(controller.detail_loaded, timeout=WAIT):
        _select_rows(panel.table, [0])
    eid = panel.selected_ids()[0]
    detail = window.workbench.detail.detail()
    with qtbot.waitSignal(controller.saved, timeout=WAIT):
        controller.save_metadata(eid, detail.version, {"title": "县质量工作会议纪要（改）"})
    with qtbot.waitSignal(d.log_loaded, timeout=WAIT) as sig:
        _menu(window, "操作记录…").trigger()
    dlg = d.log_dialog
    assert dlg is not None and dlg.isVisible() and sig.args[0]
    top = dlg.row_texts(0)  # newest first
    assert top[1] == current_user() and top[2] == "修改" and top[3] == f"佐证材料 #{eid}"
    assert f"标题：{detail.title} → 县质量工作会议纪要（改）" in top[4]
    assert top[0] >= dlg.row_texts(dlg.table.rowCount() - 1)[0]
    shown = [dlg.row_texts(r) for r in range(dlg.table.rowCount())]
    assert not any(c in ("update", "insert", "evidence") for row in shown for c in row[2:4])

    # a change made while the log is open shows at the top
    with qtbot.waitSignal(d.log_loaded, timeout=WAIT):
        d.trash([eid])
    assert dlg.row_texts(0)[2:4] == ["移到回收站", f"佐证材料 #{eid}"]

    # the date filter: from tomorrow on there is nothing; without it, everything
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    dlg.since.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    with qtbot.waitSignal(d.log_loaded, timeout=WAIT) as sig:
        _click(qtbot, dlg.show_btn)
    assert sig.args[0] == [] and dlg.table.rowCount() == 0
    assert f"{tomorrow.isoformat()} 以后共 0 条记录" in dlg.status.text()
    with qtbot.waitSignal(d.log_loaded, timeout=WAIT) as sig:
        dlg.use_since.setChecked(False)
    assert dlg.table.rowCount() == len(sig.args[0]) > 2


# --- sealed submissions --------------------------------------------------------------------------


def test_submissions_list_diff_and_reexport_identical_to_the_command_line(qtbot, demo_archive, tmp_path):
    sealed = export_bundle(archive=demo_archive, target=tmp_path / "交" / "材料包", as_zip=True,
                           export_date=DATE, seal=True, note="第一次报送")
    assert sealed.submission is not None
    sid = sealed.submission["id"]
    with open_window(qtbot, demo_archive, wait=WAIT,
                     before_close=lambda w, c: c.durability.submissions_dialog.close()) as (window, controller):
        d = controller.durability
        with qtbot.waitSignal(d.submissions_loaded, timeout=WAIT) as sig:
            _menu(window, "已封存的提交…").trigger()
        dlg = d.submissions_dialog
        assert dlg is not None and len(sig.args[0]) == 1
        cells = [dlg.table.item(0, c).text() for c in range(dlg.table.columnCount())]
        assert cells[0] == f"#{sid}" and cells[2] == DATE.isoformat() and cells[3] == "第一次报送"
        assert cells[4] == str(sealed.submission["files"]) and cells[6] == "zip" and cells[7] == current_user()
        assert dlg.selected().id == sid and dlg.as_zip.isChecked()

        # 对比当前: nothing changed since the seal
        with qtbot.waitSignal(d.diff_done, timeout=WAIT) as sig:
            _click(qtbot, dlg.diff_btn)
        assert sig.args[0].same and "与封存时相同" in dlg.output.toPlainText()

        # 重新导出… as a zip: byte-identical to the seal
        target = tmp_path / "窗口" / "重新导出.zip"
        dlg.target.setText(str(target))
        with qtbot.waitSignal(d.reexport_done, timeout=WAIT) as sig:
            _click(qtbot, dlg.reexport_btn)
        result = sig.args[0]
        assert result.identical is True and Path(result.bundle) == target
        assert "逐字节相同" in dlg.output.toPlainText()

        # after a change, 对比当前 says what differs
        with qtbot.waitSignal(d.trashed, timeout=WAIT):
            d.trash([next(e for e in (f["evidence_id"] for f in _sealed_files(demo_archive, sid)) if e)])
        with qtbot.waitSignal(d.diff_done, timeout=WAIT) as sig:
            _click(qtbot, dlg.diff_btn)
        assert not sig.args[0].same and "[移除]" in dlg.output.toPlainText()

    cli = tmp_path / "命令行" / "重新导出.zip"
    done = run_cli("submission", "export", str(sid), str(cli), "--zip", "--archive", str(demo_archive.root))
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == cli.read_bytes()
    assert target.read_bytes() == Path(sealed.bundle).read_bytes()  # and the bundle handed in


def _sealed_files(archive, sid):
    from storage.bundle.submissions import sealed_manifest

    with archive.sessions.read() as s:
        return sealed_manifest(s, sid)[1]["files"]


# --- the menus ---------------------------------------------------------------------------------


def test_menu_entries_and_no_archive(qtbot):
    from desktop.window.controllers import Controller
    from desktop.window.tasks import TaskRunner
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    controller = Controller(window, runner)
    for text in ("回收站…", "备份档案库…", "从备份恢复…", "已封存的提交…", "操作记录…"):
        _menu(window, text).trigger()
        boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        assert boxes and "请先新建或打开一个档案库" in boxes[-1].text()
        boxes[-1].close()
    assert controller.durability.trash_dialog is None
    assert runner.shutdown()


def test_cancel_in_the_middle_of_a_reexport_leaves_nothing(qtbot, demo_archive, tmp_path, monkeypatch):
    """The real zip writer, held after its second file until 取消 has been pressed."""
    import desktop.actions.submissions as submissions
    from exporters.bundle import write_zip

    export_bundle(archive=demo_archive, target=tmp_path / "交" / "材料包", as_zip=True, export_date=DATE,
                  seal=True)
    paused, release = threading.Event(), threading.Event()

    def held(plan, out, path_for, *, export_date, progress, cancel):
        def report(n, total, text=""):
            progress(n, total, text)
            if n == 2:
                paused.set()
                release.wait(30)

        return write_zip(plan, out, path_for, export_date=export_date, progress=report, cancel=cancel)

    monkeypatch.setattr(submissions, "write_zip", held)
    with open_window(qtbot, demo_archive, wait=WAIT,
                     before_close=lambda w, c: c.durability.submissions_dialog.close()) as (window, controller):
        d = controller.durability
        with qtbot.waitSignal(d.submissions_loaded, timeout=WAIT):
            _menu(window, "已封存的提交…").trigger()
        dlg = d.submissions_dialog
        folder = tmp_path / "窗口"
        folder.mkdir()
        dlg.target.setText(str(folder / "重新导出.zip"))
        _click(qtbot, dlg.reexport_btn)
        try:
            qtbot.waitUntil(paused.is_set, timeout=WAIT)
            assert dlg.state == "exporting" and dlg.cancel_btn.isVisible() and not dlg.reexport_btn.isEnabled()
            with qtbot.waitSignal(d.reexport_cancelled, timeout=WAIT):
                _click(qtbot, dlg.cancel_btn)
                release.set()
        finally:
            release.set()
        qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
        assert list(folder.iterdir()) == []  # no bundle, no partial file
        assert dlg.state == "idle" and "重新导出已取消" in dlg.status.text() and dlg.reexport_btn.isEnabled()
