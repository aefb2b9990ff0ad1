"""The main window over a real demo archive, offscreen: tree, evidence, detail, drops,
edits that persist, cancel of a long task, and screenshots of every view."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QApplication
from ui_helpers import open_window

from storage.catalogue.items import evidence_detail, evidence_for_node
from storage.core.archive import Archive
from storage.durability.verify import verify_archive
from ui.qtfix import disconnect

WAIT = 15_000


@pytest.fixture
def gui(qtbot, demo_archive):
    """The window and controller on the demo archive; the runner is stopped and waited
    for at the end (threads left running would break later tests)."""
    with open_window(qtbot, demo_archive, wait=WAIT) as opened:
        yield opened


def _leaf_with_evidence(window, minimum=1):
    return next(n for n in window.workbench.tree.tree_model.nodes() if n.is_leaf and n.received >= minimum)


def _select(qtbot, window, controller, node_id):
    with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        window.workbench.tree.select_id(node_id)


def test_window_shows_tree_evidence_duties_and_detail(qtbot, gui):
    window, controller = gui
    tree = window.workbench.tree.tree_model
    assert tree.rowCount() == 4  # the four level-1 indicators
    first = tree.index(0, 0)
    assert tree.data(first).startswith("1 质量发展理念")
    assert tree.data(tree.index(0, 1)) == "10"
    veto = next(n for n in tree.nodes() if n.is_veto)
    assert tree.data(tree.index_of(veto.id, 2)) == "否决"
    assert tree.data(tree.index_of(veto.id), Qt.ItemDataRole.DecorationRole) is not None

    leaf = _leaf_with_evidence(window)
    _select(qtbot, window, controller, leaf.id)
    model = window.workbench.evidence.model
    assert model.rowCount() == leaf.received
    assert window.workbench.duties_model.rowCount() >= 1
    assert leaf.code in window.workbench.node_title.text()

    with qtbot.waitSignal(controller.detail_loaded, timeout=WAIT):
        window.workbench.evidence.table.selectRow(0)
    detail = window.workbench.detail.detail()
    assert detail is not None and detail.title == model.row(0).title
    qtbot.waitUntil(lambda: window.workbench.preview._preview is not None, timeout=WAIT)
    assert window.workbench.preview._preview.kind in ("text", "image")

    # level-1 node: the evidence of its whole subtree, not reorderable
    _select(qtbot, window, controller, tree.nodes()[0].id)
    assert model.rowCount() >= 1 and not model.reorderable


def _drag_and_drop(view, mime, node_id):
    """What Qt delivers for a drag from outside onto the tree node: enter, move, drop."""
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent

    idx = view.tree_model.index_of(node_id)
    view.scrollTo(idx)
    pos = view.visualRect(idx).center()
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)

    def make(cls):
        # PySide6 6.11 takes a QPoint for drag enter/move events, 6.12 a QPointF
        try:
            return cls(pos, *args)
        except TypeError:
            return cls(pos.toPointF(), *args)

    enter = make(QDragEnterEvent)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    move = make(QDragMoveEvent)
    QApplication.sendEvent(view.viewport(), move)
    assert move.isAccepted()
    drop = QDropEvent(pos.toPointF(), *args)
    QApplication.sendEvent(view.viewport(), drop)
    return drop


def _drop_urls(view, paths, node_id):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return _drag_and_drop(view, mime, node_id)


def test_dropping_files_on_an_indicator_stores_and_links_them(qtbot, gui, tmp_path, demo_archive):
    window, controller = gui
    target = next(n for n in window.workbench.tree.tree_model.nodes() if n.is_leaf and n.received == 0)
    folder = tmp_path / "来自县工信局"
    folder.mkdir()
    (folder / "关于开展质量提升行动的通知.docx").write_bytes(b"PK fake docx content one")
    (folder / "~$临时锁文件.docx").write_bytes(b"lock")
    single = tmp_path / "现场照片.jpg"
    single.write_bytes(b"\xff\xd8\xff fake jpeg bytes")

    with qtbot.waitSignal(controller.ingest_done, timeout=WAIT) as sig:
        drop = _drop_urls(window.workbench.tree, [folder, single], target.id)
        assert drop.isAccepted()
    report = sig.args[0]
    assert report.count("stored") == 2 and report.count("skipped") == 1
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)

    with demo_archive.sessions.read() as s:
        titles = {r.title for r in evidence_for_node(s, target.id)}
    assert titles == {"关于开展质量提升行动的通知", "现场照片"}
    # the tree now shows the node as covered, and its evidence list shows the two files
    node = next(n for n in window.workbench.tree.tree_model.nodes() if n.id == target.id)
    assert node.received == 2 and node.coverage == "partial"
    assert "已存档 2 个文件" in window.status_label.text()


def test_edited_metadata_persists_after_reopening(qtbot, gui, demo_archive):
    window, controller = gui
    leaf = _leaf_with_evidence(window)
    _select(qtbot, window, controller, leaf.id)
    with qtbot.waitSignal(controller.detail_loaded, timeout=WAIT):
        window.workbench.evidence.table.selectRow(0)
    panel = window.workbench.detail
    eid = panel.detail().id
    panel.title.setText("关于成立质量强县工作领导小组的通知（修订）")
    panel.doc_number.setText("沂政发〔2023〕13号")
    panel.issue_date.setText("2023-06-30")
    panel.department.setEditText("县住建局")
    panel.status.setCurrentIndex(panel.status.findData("returned"))
    panel.notes.setPlainText("缺盖章页，已退回补充")
    with qtbot.waitSignal(controller.saved, timeout=WAIT):
        panel.save.click()
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert panel.message.text() == "已保存"
    assert window.workbench.evidence.model.row(0).title.endswith("（修订）")

    root = demo_archive.root
    controller.close_archive()
    with Archive.open(root) as again, again.sessions.read() as s:
        d = evidence_detail(s, eid)
    assert d.title == "关于成立质量强县工作领导小组的通知（修订）"
    assert d.doc_number == "沂政发〔2023〕13号"
    assert d.issue_date.isoformat() == "2023-06-30"
    assert d.department == "县住建局"
    assert d.status == "returned"
    assert d.notes == "缺盖章页，已退回补充"


def test_stale_edit_is_refused_not_overwritten(qtbot, gui, demo_archive):
    window, controller = gui
    leaf = _leaf_with_evidence(window)
    _select(qtbot, window, controller, leaf.id)
    with qtbot.waitSignal(controller.detail_loaded, timeout=WAIT):
        window.workbench.evidence.table.selectRow(0)
    eid = window.workbench.detail.detail().id
    from storage.catalogue.items import update_evidence_metadata

    with demo_archive.sessions.write() as s:  # someone else (the command line) edits first
        update_evidence_metadata(s, eid, notes="命令行修改")
    window.workbench.detail.title.setText("窗口里的修改")
    with qtbot.waitSignal(controller.error_shown, timeout=WAIT) as sig:
        window.workbench.detail.save.click()
    assert "已被其他操作修改" in sig.args[0]
    with demo_archive.sessions.read() as s:
        assert evidence_detail(s, eid).notes == "命令行修改"
    for box in window.findChildren(__import__("PySide6.QtWidgets", fromlist=["QMessageBox"]).QMessageBox):
        box.close()


def test_long_ingest_can_be_cancelled_and_leaves_archive_consistent(qtbot, gui, tmp_path, demo_archive):
    window, controller = gui
    folder = tmp_path / "批量"
    folder.mkdir()
    for i in range(2000):   # enough that the ingest outlasts the click: a batch now syncs once, not per file
        (folder / f"材料{i:04d}.txt").write_text(f"第 {i} 份材料的内容 " * 20, encoding="utf-8")
    target = _leaf_with_evidence(window)
    if not controller.features.is_loaded:   # the GUI thread free of the deferred imports when it clicks
        with qtbot.waitSignal(controller.features.loaded, timeout=WAIT):
            pass

    def cancel_on_progress(task, done, total, text):
        if done >= 5:
            window.task_bar.cancel.click()

    controller.runner.task_progress.connect(cancel_on_progress)
    with qtbot.waitSignal(controller.ingest_done, timeout=60_000) as sig:
        task = controller.ingest_files([str(folder)], target.id)
    disconnect(controller.runner.task_progress, cancel_on_progress)
    report = sig.args[0]
    assert task.cancel_requested and report.cancelled
    stored = report.count("stored")
    assert 5 <= stored < 2000   # stopped before the end (batches in flight still finish)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert not window.task_bar.isVisible()

    result = verify_archive(demo_archive)
    assert result.ok, result.problems
    with demo_archive.sessions.read() as s:
        linked = [r for r in evidence_for_node(s, target.id) if r.title.startswith("材料")]
    assert len(linked) == stored  # every stored file is a whole, linked item


def test_dragging_rows_sets_the_review_order(qtbot, gui, demo_archive, tmp_path):
    window, controller = gui
    target = _leaf_with_evidence(window)
    files = []
    for i in range(3):
        p = tmp_path / f"排序{i}.txt"
        p.write_text(f"内容 {i}", encoding="utf-8")
        files.append(p)
    with qtbot.waitSignal(controller.ingest_done, timeout=WAIT):
        controller.ingest_files([str(p) for p in files], target.id)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    _select(qtbot, window, controller, target.id)
    model = window.workbench.evidence.model
    before = model.ids()
    assert len(before) >= 4 and model.reorderable
    # drag the last row onto the first: the mime data the view would carry
    mime = model.mimeData([model.index(len(before) - 1, 0)])
    with qtbot.waitSignal(controller.reordered, timeout=WAIT):
        model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, window.workbench.evidence.table.rootIndex())
    expected = [before[-1]] + before[:-1]
    assert model.ids() == expected
    with demo_archive.sessions.read() as s:
        assert [r.id for r in evidence_for_node(s, target.id)] == expected
    # sorted by title: not reorderable, and a drop is refused
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert not model.reorderable
    assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, window.workbench.evidence.table.rootIndex())


def test_dropping_evidence_rows_on_another_indicator_links_them(qtbot, gui, demo_archive):
    window, controller = gui
    source = _leaf_with_evidence(window)
    target = next(n for n in window.workbench.tree.tree_model.nodes() if n.is_leaf and n.received == 0)
    _select(qtbot, window, controller, source.id)
    model = window.workbench.evidence.model
    eid = model.row(0).id
    mime = model.mimeData([model.index(0, 0)])
    with qtbot.waitSignal(controller.linked, timeout=WAIT):
        assert _drag_and_drop(window.workbench.tree, mime, target.id).isAccepted()
    with demo_archive.sessions.read() as s:
        assert [r.id for r in evidence_for_node(s, target.id)] == [eid]
        assert eid in [r.id for r in evidence_for_node(s, source.id)]  # still linked there too


def test_dashboard_and_departments_views_show_status(qtbot, gui):
    window, controller = gui
    window.show_view("dashboard")
    d = window.dashboard
    # the load is queued when the view is shown: wait for its result, not for an idle runner
    # (the runner can be idle a moment before the load starts)
    qtbot.waitUntil(lambda: d.cards["covered"].value.text().endswith("/16"), timeout=WAIT)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    assert d.key_model.rowCount() >= 1 and d.key_model.row(0).is_veto  # veto items first
    assert d.dept_model.rowCount() >= 1
    window.show_view("departments")  # loaded when shown (after opening, a moment later)
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    dep = window.departments
    assert dep.model.rowCount() >= 1
    assert dep.owed_model.rowCount() == len(dep.model.row(0).owed)
    assert "责任单位" in dep.summary.text()


VIEWS = ("main", "dashboard", "departments", "inbox", "search")


@pytest.mark.parametrize("view", VIEWS)
def test_screenshot_writes_a_non_blank_png(qtbot, demo_archive, tmp_path, view):
    from desktop.window.screenshots import screenshot

    png = tmp_path / f"{view}.png"
    assert screenshot(demo_archive.root, png, view) == 0
    img = QImage(str(png))
    assert img.width() >= 1000 and img.height() >= 600
    colours = {img.pixel(x, y) for x in range(0, img.width(), 13) for y in range(0, img.height(), 13)}
    assert len(colours) > 8  # not a blank or single-colour image


def test_screenshot_command_line(demo_archive, tmp_path):
    from conftest import run_cli

    png = tmp_path / "cli-main.png"
    r = run_cli("--archive", str(demo_archive.root), "--screenshot", str(png), "--view", "main",
                env={"QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr
    assert png.stat().st_size > 10_000
    r = run_cli("--archive", str(demo_archive.root), "--screenshot", str(png), "--view", "nope",
                env={"QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 2 and "未知的视图" in r.stderr


def test_bulk_edit_from_the_detail_panel(qtbot, gui, demo_archive):
    window, controller = gui
    wb = window.workbench
    leaf = _leaf_with_evidence(window, 2)
    target = next(n for n in wb.tree.tree_model.nodes() if n.is_leaf and n.received == 0)
    _select(qtbot, window, controller, leaf.id)
    wb.evidence.table.selectAll()
    ids = wb.evidence.selected_ids()
    assert len(ids) == leaf.received >= 2
    bulk = wb.detail.bulk
    assert bulk.isVisible() and not wb.detail.single.isVisible()
    assert f"{len(ids)} 份" in bulk.title()

    bulk.status.setCurrentIndex(bulk.status.findData("accepted"))
    bulk.status_btn.click()
    qtbot.waitUntil(lambda: controller.runner.is_idle() and "已修改" in window.status_label.text(), timeout=WAIT)
    bulk.department.setEditText("县统计局")
    bulk.department_btn.click()
    qtbot.waitUntil(lambda: controller.runner.is_idle() and "报送单位" in window.status_label.text(), timeout=WAIT)
    bulk.indicator.setCurrentIndex(bulk.indicator.findData(target.id))
    with qtbot.waitSignal(controller.linked, timeout=WAIT):
        bulk.link_btn.click()
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)

    with demo_archive.sessions.read() as s:
        for eid in ids:
            d = evidence_detail(s, eid)
            assert d.status == "accepted" and d.department == "县统计局"
            assert {leaf.id, target.id} <= {link.indicator_id for link in d.links}
    # one item selected again: the single-item form is back
    with qtbot.waitSignal(controller.detail_loaded, timeout=WAIT):
        wb.evidence.table.selectRow(0)
    assert wb.detail.single.isVisible() and not bulk.isVisible()


def test_dropping_files_on_a_duty_links_the_duty_and_its_indicator(qtbot, gui, tmp_path, demo_archive):
    from storage.models import EvidenceDuty

    window, controller = gui
    wb = window.workbench
    leaf = next(n for n in wb.tree.tree_model.nodes() if n.code == "2.1.1")
    _select(qtbot, window, controller, leaf.id)
    assert wb.duties_model.rowCount() >= 1
    duty = wb.duties_model.row(0)
    f = tmp_path / "支持政策落实情况.txt"
    f.write_text("支持政策落实情况报告", encoding="utf-8")

    view = wb.duties
    idx = wb.duties_model.index(0, 0)
    pos = view.visualRect(idx).center()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent

    def make(cls):
        try:
            return cls(pos, *args)
        except TypeError:
            return cls(pos.toPointF(), *args)

    for ev_ in (make(QDragEnterEvent), make(QDragMoveEvent)):
        QApplication.sendEvent(view.viewport(), ev_)
        assert ev_.isAccepted()
    with qtbot.waitSignal(controller.ingest_done, timeout=WAIT) as sig:
        drop = QDropEvent(pos.toPointF(), *args)
        QApplication.sendEvent(view.viewport(), drop)
        assert drop.isAccepted()
    [item] = [i for i in sig.args[0].items if i.evidence_id]
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    with demo_archive.sessions.read() as s:
        assert s.get(EvidenceDuty, (item.evidence_id, duty.id)) is not None
        assert item.evidence_id in [r.id for r in evidence_for_node(s, duty.indicator_id)]
    assert "任务" in window.status_label.text()


def test_failed_daily_backup_is_a_visible_warning_not_a_block(qtbot, tmp_path):
    from desktop.actions.demo import create_demo_archive
    from desktop.window.controllers import Controller
    from desktop.window.tasks import TaskRunner
    from ui.main_window import MainWindow

    root = tmp_path / "备份失败"
    create_demo_archive(root).close()
    backups = root / "backups"
    for p in backups.iterdir():
        p.unlink()
    backups.rmdir()
    backups.write_text("not a folder")  # the daily backup cannot be written
    archive = Archive.open(root)
    try:
        assert archive.last_backup_error.startswith("每日自动备份失败")
        window = MainWindow()
        qtbot.addWidget(window)
        runner = TaskRunner(window)
        controller = Controller(window, runner)
        window.show()
        with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
            controller.set_archive(archive)
        qtbot.waitUntil(runner.is_idle, timeout=WAIT)
        bar = window.warning_bar
        assert bar.isVisible() and "每日自动备份失败" in bar.text.text() and "(daily" not in bar.text.text()
        assert not [w for w in QApplication.topLevelWidgets() if w.isModal() and w.isVisible()]
        assert window.workbench.tree.tree_model.rowCount() == 4  # the window works as usual
        bar.close_btn.click()
        assert not bar.isVisible()
        controller.close_archive()
        assert runner.shutdown()
    finally:
        archive.close()


def test_big_node_shows_its_whole_list_at_once(qtbot, gui, demo_archive):
    """A node's whole list is there when it is shown (its ids, in the order of reading the
    whole list at once; issue 19), its rows read as they are drawn (tests/test_speed_lazy.py)."""
    window, controller = gui
    tree = window.workbench.tree.tree_model
    node = max((n for n in tree.nodes() if n.level == 1), key=lambda n: tree.subtree_received(n.id))
    assert tree.subtree_received(node.id) > 2
    with demo_archive.sessions.read() as s:
        full = evidence_for_node(s, node.id)
    model = window.workbench.evidence.model
    seen = {}

    def on_shown(_id):
        seen["ids"], seen["complete"] = model.ids(), model.complete
        seen["label"] = window.workbench.evidence.count.text()

    controller.node_shown.connect(on_shown)
    with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        window.workbench.tree.select_id(node.id)
    disconnect(controller.node_shown, on_shown)
    assert seen["ids"] == [r.id for r in full] and seen["complete"] is True
    assert seen["label"] == f"共 {len(full)} 份"
    assert [model.row(i) for i in range(model.rowCount())] == full


def test_dashboard_counts_overdue_rectification_items(qtbot, demo_archive):
    """Issue 16 item 2: overdue 整改事项 feed the dashboard like overdue duties."""
    from storage.review.rectify import add_item

    with demo_archive.sessions.write() as s:
        add_item(s, problem="强制检定计量器具底数不清", deadline="2020-01-31")
        add_item(s, problem="品牌培育措施不足", deadline="2099-12-31")
    with open_window(qtbot, demo_archive, wait=WAIT) as (window, controller):
        window.show_view("dashboard")
        label = window.dashboard.rectify_overdue
        qtbot.waitUntil(lambda: "整改事项逾期 1 项" in label.text(), timeout=WAIT)
        assert label.isVisibleTo(window.dashboard)
