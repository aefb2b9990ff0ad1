"""The export dialog (issue 7), offscreen over a real demo archive: preflight off the GUI
thread with the checklist grouped (blocks first) and rows that jump to their indicator;
"仍要导出？" for blocking items; a folder and a sealed .zip bundle written by the same
functions as the command line that pass exporters.manifest.verify_bundle; 校验材料包 and
打开文件夹 at the end; Cancel in the middle of an export leaves nothing at the target."""
from __future__ import annotations

import datetime as dt
import hashlib
import threading
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox
from ui_helpers import open_window

from exporters.manifest import verify_bundle

WAIT = 60_000
DATE = dt.date(2026, 3, 1)


@pytest.fixture
def gui(qtbot, demo_archive):
    def before_close(window, controller):
        dlg = controller.export.export_dialog
        if dlg is not None:
            dlg.close()

    with open_window(qtbot, demo_archive, wait=WAIT, before_close=before_close) as opened:
        yield opened


def _open_dialog(qtbot, window, controller):
    action = next(a for a in window.findChildren(QAction) if a.text() == "导出申报材料包…")
    assert action.shortcut().toString() == "Ctrl+E"
    with qtbot.waitSignal(controller.export.preflight_done, timeout=WAIT) as sig:
        action.trigger()
    dlg = controller.export.export_dialog
    assert dlg is not None and dlg.isVisible() and dlg.state == "ready"
    return dlg, sig.args[0]


def _set(dlg, target, *, as_zip=False, seal=False, note=""):
    dlg.as_folder.setChecked(True)
    dlg.target.setText(str(target))
    (dlg.as_zip if as_zip else dlg.as_folder).setChecked(True)  # adds or drops ".zip"
    dlg.date.setDate(QDate(DATE.year, DATE.month, DATE.day))
    dlg.seal.setChecked(seal)
    dlg.note.setText(note)


def _press_export(qtbot, dlg, answer="仍要导出"):
    """Press 导出; the demo archive has blocking items, so answer the question."""
    qtbot.mouseClick(dlg.export_btn, Qt.MouseButton.LeftButton)
    box = dlg.confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "仍要导出？" in box.windowTitle() and "阻止提交" in box.text()
    button = next(b for b in box.buttons() if b.text() == answer)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _items(tree):
    out = []

    def walk(item, depth):
        out.append((depth, item))
        for i in range(item.childCount()):
            walk(item.child(i), depth + 1)

    for i in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(i), 0)
    return out


def test_checklist_shows_blocks_first_and_rows_jump_to_their_indicator(qtbot, gui):
    window, controller = gui
    dlg, report = _open_dialog(qtbot, window, controller)
    assert report.blocks > 0 and report.warnings > 0
    tree = dlg.checklist
    assert tree.topLevelItem(0).text(0) == f"阻止提交（{report.blocks} 项）"
    assert tree.topLevelItem(1).text(0) == f"提醒（{report.warnings} 项）"
    groups = [tree.topLevelItem(0).child(i).text(0) for i in range(tree.topLevelItem(0).childCount())]
    assert groups[0].startswith("缺少佐证（")
    rows = [it for depth, it in _items(tree) if depth == 2]
    assert len(rows) == len(report.items)
    assert f"发现 {report.blocks} 项阻止提交的问题" in dlg.check_status.text()
    # the binder option is offered (Word binders need nothing more than this program)
    assert dlg.binders.isVisibleTo(dlg)

    missing = next(it for it in rows if it.parent().text(0).startswith("缺少佐证"))
    item = missing.data(0, Qt.ItemDataRole.UserRole)
    node = next(n for n in window.workbench.tree.tree_model.nodes() if n.code == item.indicator)
    with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        tree.itemDoubleClicked.emit(missing, 0)
    assert window.workbench.tree.current_id() == node.id and window.current_view() == "main"

    # 重新检查 runs the checklist again (off the GUI thread)
    with qtbot.waitSignal(controller.export.preflight_done, timeout=WAIT):
        qtbot.mouseClick(dlg.recheck, Qt.MouseButton.LeftButton)
    assert dlg.state == "ready"

    # Ctrl+E belongs to the inbox's 改为… while the inbox is shown
    window.show_view("inbox")
    action = next(a for a in window.findChildren(QAction) if a.text() == "导出申报材料包…")
    assert action.shortcut().isEmpty()
    window.show_view("main")
    assert action.shortcut().toString() == "Ctrl+E"


def test_dialog_exports_a_folder_bundle_that_verifies(qtbot, gui, tmp_path, monkeypatch):
    window, controller = gui
    dlg, _ = _open_dialog(qtbot, window, controller)
    target = tmp_path / "导出" / "质量强县申报材料"

    # "返回处理" exports nothing
    _set(dlg, target)
    _press_export(qtbot, dlg, "返回处理")
    qtbot.waitUntil(lambda: dlg.confirm_box is None, timeout=WAIT)
    assert dlg.state == "ready" and not target.exists()

    with qtbot.waitSignal(controller.export.export_done, timeout=WAIT) as sig:
        _press_export(qtbot, dlg)
    summary = sig.args[0]
    assert summary["bundle"] == str(target) and not summary["zip"]
    check = verify_bundle(target)
    assert check.ok and check.checked == summary["files"] > 6
    assert (target / "00 申报文件" / "02 自评报告.docx").is_file()
    assert dlg.state == "done" and "已导出材料包" in dlg.result.text()
    assert dlg.open_folder.isVisible() and dlg.verify.isVisible()

    with qtbot.waitSignal(controller.export.bundle_verified, timeout=WAIT) as sig:
        qtbot.mouseClick(dlg.verify, Qt.MouseButton.LeftButton)
    assert sig.args[0].ok and "材料包完好" in dlg.progress_label.text()

    # a tampered bundle: 校验材料包 names the file
    report = target / "00 申报文件" / "02 自评报告.docx"
    report.write_bytes(report.read_bytes() + b"x")
    with qtbot.waitSignal(controller.export.bundle_verified, timeout=WAIT) as sig:
        qtbot.mouseClick(dlg.verify, Qt.MouseButton.LeftButton)
    assert not sig.args[0].ok
    assert "材料包与清单不符" in dlg.progress_label.text() and "已改动：00 申报文件/02 自评报告.docx" in dlg.progress_label.text()
    report.write_bytes(report.read_bytes()[:-1])

    opened = []
    monkeypatch.setattr("desktop.window.export.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toLocalFile()))
    qtbot.mouseClick(dlg.open_folder, Qt.MouseButton.LeftButton)
    assert opened == [str(target)]

    # the target is now taken: a second export says so and writes nothing
    with qtbot.waitSignal(controller.export.export_failed, timeout=WAIT) as sig:
        _press_export(qtbot, dlg)
    assert "已存在且不是空的" in sig.args[0] and "已存在且不是空的" in dlg.result.text()
    assert verify_bundle(target).ok


def test_dialog_exports_a_sealed_zip_identical_to_the_command_line(qtbot, gui, tmp_path, demo_archive):
    from desktop.actions.export import prepared_bundle
    from exporters.bundle import write_zip
    from storage.bundle.submissions import list_submissions

    window, controller = gui
    dlg, _ = _open_dialog(qtbot, window, controller)
    _set(dlg, tmp_path / "申报材料", as_zip=True, seal=True, note="第一次正式报送")
    assert dlg.target.text().endswith("申报材料.zip")
    with qtbot.waitSignal(controller.export.export_done, timeout=WAIT) as sig:
        _press_export(qtbot, dlg)
    summary = sig.args[0]
    zpath = tmp_path / "申报材料.zip"
    assert summary["zip"] and summary["bundle"] == str(zpath)
    assert verify_bundle(zpath).ok
    with zipfile.ZipFile(zpath) as zf:
        assert "00 申报文件/04 自评得分表.xlsx" in zf.namelist()
    assert summary["submission"]["id"] == 1 and "已封存为第 1 次提交" in dlg.result.text()
    with demo_archive.sessions.read() as s:
        subs = list_submissions(s)
    assert len(subs) == 1 and subs[0].note == "第一次正式报送" and subs[0].as_zip
    # the window uses the command line's functions: the same archive and date, the same bytes
    with prepared_bundle(demo_archive, DATE) as prep:
        write_zip(prep.plan, tmp_path / "cli.zip", prep.path_for, export_date=DATE)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (zpath, tmp_path / "cli.zip")]
    assert digest[0] == digest[1] == summary["submission"]["bundle_sha256"]


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_cancel_in_the_middle_of_an_export_leaves_nothing(qtbot, gui, tmp_path, monkeypatch, as_zip):
    """The real writer, held after its third file (in its progress callback) until Cancel
    has been pressed."""
    import desktop.actions.export as export_action
    import exporters.bundle as bundle

    copied = []
    paused, release = threading.Event(), threading.Event()

    def held(real):
        def writer(plan, out, path_for, *, export_date, progress, cancel):
            def report(n, total, text=""):
                progress(n, total, text)
                copied.append(text)
                if n == 3:
                    paused.set()
                    release.wait(30)

            return real(plan, out, path_for, export_date=export_date, progress=report, cancel=cancel)

        return writer

    monkeypatch.setattr(export_action, "write_folder", held(bundle.write_folder))
    monkeypatch.setattr(export_action, "write_zip", held(bundle.write_zip))
    window, controller = gui
    dlg, _ = _open_dialog(qtbot, window, controller)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / ("包.zip" if as_zip else "包")
    _set(dlg, target, as_zip=as_zip)
    _press_export(qtbot, dlg)
    try:
        qtbot.waitUntil(paused.is_set, timeout=WAIT)
        assert dlg.state == "exporting" and dlg.cancel_btn.isVisible() and not dlg.close_btn.isEnabled()
        assert any(p.name.startswith(f".{target.name}.partial-") for p in folder.iterdir())
        with qtbot.waitSignal(controller.export.export_cancelled, timeout=WAIT):
            qtbot.mouseClick(dlg.cancel_btn, Qt.MouseButton.LeftButton)
            release.set()
    finally:
        release.set()
    assert len(copied) == 3
    assert list(folder.iterdir()) == []  # no bundle, no partial file or folder
    assert dlg.state == "ready" and "导出已取消" in dlg.result.text()
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)


def test_export_with_word_binders_beside_the_bundle(qtbot, gui, tmp_path, monkeypatch):
    """Binders (desktop.actions.printing.build_binders) go beside the bundle, which still
    verifies; without a converter they are Word only, and the dialog says why."""
    import docx

    monkeypatch.setenv("EVIDENCE_DESK_CONVERTER", "none")
    window, controller = gui
    dlg, _ = _open_dialog(qtbot, window, controller)
    _set(dlg, tmp_path / "申报材料")
    dlg.binders.setChecked(True)
    with qtbot.waitSignal(controller.export.export_done, timeout=WAIT) as sig:
        _press_export(qtbot, dlg)
    summary = sig.args[0]
    assert verify_bundle(tmp_path / "申报材料").ok
    binders = summary["binders"]
    assert binders["docx"] and not binders["pdf"] and "PDF 转换程序" in binders["message"]
    path = Path(binders["docx"][0])
    assert path.parent == tmp_path / "申报材料 装订册"
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "佐证材料汇编" in text
    assert "装订册" in dlg.result.text() and "PDF 转换程序" in dlg.result.text()


@pytest.mark.parametrize("view", ["export", "selfscore", "selfscore_overview"])
def test_screenshot_views_render(qtbot, demo_archive, tmp_path, view):
    """`--screenshot FILE --view export|selfscore|selfscore_overview` through desktop.app."""
    from PySide6.QtGui import QImage

    from desktop.window.screenshots import screenshot

    png = tmp_path / f"{view}.png"
    assert screenshot(demo_archive.root, png, view) == 0
    img = QImage(str(png))
    assert img.width() >= 1000 and img.height() >= 600
    lightness = {img.pixelColor(x, y).lightness() for x in range(0, img.width(), 9)
                 for y in range(0, img.height(), 9)}
    assert min(lightness) < 80 and max(lightness) > 200  # text on a background, not blank


def test_switching_archives_closes_the_export_dialog_and_overview(qtbot, gui, tmp_path):
    from storage.core.archive import Archive

    window, controller = gui
    dlg, _ = _open_dialog(qtbot, window, controller)
    with qtbot.waitSignal(controller.export.sheet_loaded, timeout=WAIT):
        controller.export.show_overview()
    other = Archive.create(tmp_path / "另一个档案库")
    try:
        with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
            controller.set_archive(other)
        qtbot.waitUntil(lambda: controller.export.export_dialog is None
                        and controller.export.overview is None, timeout=WAIT)
        assert window.workbench.selfscore.row() is None
        # and on the new (empty) archive the checklist says what is missing
        dlg, report = _open_dialog(qtbot, window, controller)
        assert [i.category for i in report.items] == ["framework"] and not report.ok
    finally:
        if controller.export.export_dialog is not None:
            controller.export.export_dialog.close()
        controller.close_archive()
