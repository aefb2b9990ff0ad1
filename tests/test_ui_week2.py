"""A clerk's week, second part (issue 17, item 11): the window title names the product
once (Qt appends the application's display name to a title that does not end with it), and
the inbox's 把握 column says, on hovering its header, what the percentages are based on."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import open_window

from desktop.window.app import ensure_app
from ui.main_window import PRODUCT

WAIT = 60_000


def _shown_title(widget) -> str:
    """The title as the window manager shows it (Qt's QPlatformWindow::formatWindowTitle)."""
    title, name = widget.windowTitle(), QApplication.applicationDisplayName()
    return title if not name or title.endswith(name) else f"{title} — {name}"


def test_the_title_names_the_product_once(qtbot, demo_archive):
    ensure_app()
    # the shell's display name (set when the application starts; pytest-qt made the app)
    QApplication.setApplicationDisplayName(PRODUCT)
    with open_window(qtbot, demo_archive, wait=WAIT) as (window, _controller):
        shown = _shown_title(window)
        assert shown.count("Evidence Desk") == 1, shown
        assert str(demo_archive.root) in shown
        window.show_view("inbox")
        assert _shown_title(window).count("Evidence Desk") == 1


def test_the_certainty_header_explains_the_percentages(qtbot, demo_archive):
    with open_window(qtbot, demo_archive, wait=WAIT) as (window, _controller):
        qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 视图 → 收件箱
        qtbot.waitUntil(lambda: window.current_view() == "inbox", timeout=WAIT)
        model = window.inbox.model
        col = model.CERTAINTY_COL
        assert model.headerData(col, Qt.Orientation.Horizontal) == "把握"
        tip = model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert tip and "百分比" in tip and "依据" in tip and "80%" in tip


# --- item 12: metadata of dropped and added files --------------------------------------------

RED_HEADER = ["{issuer}文件", "", "{number}", "", "{title}", "",
              "各市场监管所，局机关各科室：",
              "为落实质量强县工作要求，现就有关工作通知如下。",
              "一、范围：全县生产企业。", "", "{issuer}", "{date}"]


def _red_header_docx(path, *, issuer, number, title, date):
    """A 红头文件 as a department sends it (a scan's file name tells nothing)."""
    import docx

    d = docx.Document()
    for line in RED_HEADER:
        d.add_paragraph(line.format(issuer=issuer, number=number, title=title, date=date))
    d.save(str(path))
    return path


def _detail(archive, eid):
    from storage.catalogue import items

    with archive.sessions.read() as s:
        return items.evidence_detail(s, eid)


def test_item12_added_and_dropped_files_get_their_doc_number_date_and_title(
        qtbot, demo_archive, tmp_path, monkeypatch):
    import datetime as dt

    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QFileDialog

    added = _red_header_docx(tmp_path / "扫描件001.docx", issuer="沂水县市场监督管理局",
                             number="沂市监发〔2026〕7号",
                             title="关于开展2026年产品质量监督抽查工作的通知", date="2026年3月2日")
    dropped = _red_header_docx(tmp_path / "新建文档.docx", issuer="沂水县人民政府办公室",
                               number="沂政办发〔2026〕12号",
                               title="关于成立质量强县工作领导小组的通知", date="2026年2月9日")
    with open_window(qtbot, demo_archive, wait=WAIT) as (window, controller):
        tree = window.workbench.tree
        leaf = next(n for n in tree.tree_model.nodes() if n.is_leaf)
        with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
            tree.select_id(leaf.id)

        # 文件 → 添加文件到当前指标…
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(added)], ""))
        action = next(a for a in window.findChildren(QAction) if a.text() == "添加文件到当前指标…")
        with qtbot.waitSignal(controller.ingest_done, timeout=WAIT) as ing:
            action.trigger()
        [eid] = [i.evidence_id for i in ing.args[0].items if i.outcome == "stored"]
        qtbot.waitUntil(lambda: eid not in controller.dropmeta.waiting, timeout=WAIT)
        d = _detail(demo_archive, eid)
        assert d.doc_number == "沂市监发〔2026〕7号"
        assert d.title == "关于开展2026年产品质量监督抽查工作的通知"
        assert d.issue_date == dt.date(2026, 3, 2)
        assert d.issuing_body == "县市场监管局"

        # a file dragged from the file manager onto a node
        idx = tree.tree_model.index_of(leaf.id)
        pos = tree.visualRect(idx).center()
        md = QMimeData()
        md.setUrls([QUrl.fromLocalFile(str(dropped))])
        acts, btn, mods = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        with qtbot.waitSignal(controller.ingest_done, timeout=WAIT) as ing:
            for ev in (QDragEnterEvent(pos, acts, md, btn, mods), QDragMoveEvent(pos, acts, md, btn, mods),
                       QDropEvent(QPointF(pos), acts, md, btn, mods)):
                QApplication.sendEvent(tree.viewport(), ev)
        [eid2] = [i.evidence_id for i in ing.args[0].items if i.outcome == "stored"]
        qtbot.waitUntil(lambda: eid2 not in controller.dropmeta.waiting, timeout=WAIT)
        d = _detail(demo_archive, eid2)
        assert (d.doc_number, d.title, d.issue_date) == (
            "沂政办发〔2026〕12号", "关于成立质量强县工作领导小组的通知", dt.date(2026, 2, 9))
        qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)


# --- item 11: a new archive's folder from a typed name ---------------------------------------


def test_item11_a_new_archive_folder_is_made_from_the_typed_name(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from desktop.window.app import _open_archive
    from storage.core.archive import is_archive
    from ui.first_run import FirstRunDialog

    dlg = FirstRunDialog([])
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.archive_name.setFocus()
    dlg.archive_name.selectAll()
    QApplication.clipboard().setText("沂水县质量强县/2026")  # Chinese typed through the clipboard
    qtbot.keyClick(dlg.archive_name, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    asked: list[str] = []

    def pick(_parent, title, *a, **k):
        asked.append(title)
        return str(tmp_path)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", pick)
    qtbot.mouseClick(dlg.new_btn, Qt.MouseButton.LeftButton)
    assert "沂水县质量强县／2026" in asked[0]  # the dialog says what it will make, and where
    action, path = dlg.choice[:2]
    assert action == "new" and path == str(tmp_path / "沂水县质量强县／2026")  # '/' made harmless
    archive = _open_archive(action, path)
    try:
        assert is_archive(tmp_path / "沂水县质量强县／2026")
    finally:
        archive.close()


# --- item 11: set-up prints a few plain lines ----------------------------------------------------

NOISE = "\n".join(f"  warning: building wheel {i}: deprecated setup.cfg option" for i in range(150))


def _fake_repo(tmp_path, pip_exit: int):
    """A copy of scripts/setup.sh over stand-ins for apt (every package installed) and a
    .venv whose pip prints build noise (and fails with `pip_exit`)."""
    import shutil
    import stat

    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(Path(__file__).parent.parent / "scripts" / "setup.sh", repo / "scripts" / "setup.sh")
    fake = tmp_path / "bin"
    fake.mkdir()
    tools = {
        fake / "dpkg-query": "#!/bin/sh\nprintf 'install ok installed'\n",
        fake / "apt-get": "#!/bin/sh\nexit 0\n",
        repo / ".venv" / "bin" / "python": f"#!/bin/sh\ncat <<'X'\n{NOISE}\nX\necho 'pip: error text' >&2\nexit {pip_exit}\n",
    }
    for path, text in tools.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return repo, fake


def _run_setup(repo, fake, log):
    import os
    import subprocess

    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}", "SETUP_LOG": str(log)}
    return subprocess.run(["bash", str(repo / "scripts" / "setup.sh")], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_item11_setup_prints_a_line_per_step_and_logs_the_rest(tmp_path):
    repo, fake = _fake_repo(tmp_path, 0)
    log = tmp_path / "setup.log"
    done = _run_setup(repo, fake, log)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) <= 8, lines
    assert [ln.split()[1] for ln in lines if ln.startswith("setup: ") and ln[7:8].isdigit()] == ["1/3", "2/3", "3/3"]
    assert str(log) in lines[-1] and "完成" in lines[-1]
    assert "warning" not in done.stdout + done.stderr
    assert "building wheel 149" in log.read_text(encoding="utf-8")  # the whole output kept


def test_item11_a_failed_setup_step_names_the_log_and_shows_its_end(tmp_path):
    repo, fake = _fake_repo(tmp_path, 1)
    log = tmp_path / "setup.log"
    done = _run_setup(repo, fake, log)
    assert done.returncode != 0
    assert "第 3/3 步失败" in done.stderr and str(log) in done.stderr
    assert "pip: error text" in done.stderr  # the end of the log, to see why
    assert done.stderr.count("warning") <= 15


# --- item 3: clicking an Excel item shows its cells -------------------------------------------


def test_item3_clicking_an_excel_item_previews_its_cells(qtbot, demo_archive, tmp_path, monkeypatch):
    import openpyxl
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QFileDialog

    src = tmp_path / "计量器具台账.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "器具名称", "检定日期"])
    wb.active.append([1, "电子计价秤", "2026-05-08"])
    wb.save(src)
    with open_window(qtbot, demo_archive, wait=WAIT) as (window, controller):
        errors: list[str] = []
        controller.error_shown.connect(errors.append)
        tree = window.workbench.tree
        leaf = next(n for n in tree.tree_model.nodes() if n.is_leaf and not n.received)
        with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
            tree.select_id(leaf.id)
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(src)], ""))
        action = next(a for a in window.findChildren(QAction) if a.text() == "添加文件到当前指标…")
        with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
            action.trigger()
        panel = window.workbench.evidence
        qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=WAIT)
        table = panel.table
        rect = table.visualRect(panel.model.index(0, 1))
        with qtbot.waitSignal(controller.preview_loaded, timeout=WAIT):
            qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        preview = window.workbench.preview
        assert "电子计价秤" in preview.text.toPlainText()
        assert not errors and "程序内部错误" not in preview.note.text()


# --- item 2: a department's subfolder of a watched share ------------------------------------------


def _item2_run(qtbot, demo_archive, tmp_path) -> tuple[str, str]:
    """Drop a file into a department's subfolder of a watched share, accept it with Enter;
    (the inbox's 建议单位 before accepting, the registry name expected)."""
    from watch_helpers import add_folder

    from desktop.window.controllers import Controller
    from desktop.window.tasks import TaskRunner
    from storage.catalogue import items
    from storage.catalogue.departments import add_alias, get_or_create_department
    from ui.main_window import MainWindow

    with demo_archive.sessions.write() as s:  # the registry as the clerk set it up: an alias
        fgw = get_or_create_department(s, "县发改局")
        add_alias(s, fgw, "发展改革局")
        expected = fgw.name
    share = tmp_path / "质量强县报送"
    add_folder(demo_archive, share, "县政府办公室", settle_seconds=0.3, polling_seconds=0)
    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    controller = Controller(window, runner, watch_folders=True)
    window.show()
    try:
        with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
            controller.set_archive(demo_archive)
        qtbot.waitUntil(lambda: controller.watcher is not None and runner.is_idle(), timeout=WAIT)
        window.show_view("inbox")
        (share / "发展改革局" / "2026年").mkdir(parents=True)
        (share / "发展改革局" / "2026年" / "2.1.1 质量发展支持政策.txt").write_text("质量发展支持政策。", encoding="utf-8")
        view = window.inbox
        qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT)
        shown_department = view.model.data(view.model.index(0, 7))  # 建议单位
        qtbot.waitUntil(runner.is_idle, timeout=WAIT)
        view.table.setFocus()
        rect = view.table.visualRect(view.model.index(0, 0))
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.waitUntil(lambda: len(view.selected_ids()) == 1, timeout=WAIT)
        with qtbot.waitSignal(controller.inbox_done, timeout=WAIT) as sig:
            qtbot.keyClick(view.table, Qt.Key.Key_Return)
        [eid] = sig.args[1]
        with demo_archive.sessions.read() as s:
            assert items.evidence_detail(s, eid).department == expected
        return str(shown_department), expected
    finally:
        controller.close_archive()
        assert runner.shutdown()


def test_item2_a_file_in_a_departments_subfolder_is_sent_by_that_department(qtbot, demo_archive, tmp_path):
    _item2_run(qtbot, demo_archive, tmp_path)  # asserts the accepted item's 报送单位


def test_item2_the_inbox_names_the_subfolders_department_before_accepting(qtbot, demo_archive, tmp_path):
    shown, expected = _item2_run(qtbot, demo_archive, tmp_path)
    assert shown == expected


# --- item 9: a plan's numbers are task numbers ---------------------------------------------------


def test_item9_a_plans_numbers_are_task_numbers_when_imported_in_the_window(qtbot, demo_archive, tmp_path,
                                                                            monkeypatch):
    import docx
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QFileDialog
    from sqlalchemy import select

    from storage.models import Duty

    plan = tmp_path / "沂水县质量强县工作方案.docx"
    d = docx.Document()
    for line in ("一、主要任务", "（一）组织领导",
                 "1.1.1 建立质量工作联席会议机制，每季度召开一次会议。（县市场监管局牵头，2026年6月底前）"):
        d.add_paragraph(line)
    d.save(str(plan))

    def close_dialogs(window, controller):
        dlg = controller.setup.import_dialog
        if dlg is not None:
            dlg.close()

    with open_window(qtbot, demo_archive, wait=WAIT, before_close=close_dialogs) as (window, controller):
        setup = controller.setup
        action = next(a for a in window.findChildren(QAction) if a.text() == "导入工作方案（Word）…")
        action.trigger()
        dlg = setup.import_dialog
        assert dlg is not None and dlg.isVisible()
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(plan), ""))
        with qtbot.waitSignal(setup.preview_shown, timeout=WAIT) as sig:
            qtbot.mouseClick(dlg.browse, Qt.MouseButton.LeftButton)
        assert sig.args[0].ok and sig.args[0].item_count == 1
        with qtbot.waitSignal(setup.import_done, timeout=WAIT):
            qtbot.mouseClick(dlg.commit, Qt.MouseButton.LeftButton)
    with demo_archive.sessions.read() as s:
        duty = s.scalars(select(Duty).where(Duty.task.like("%联席会议%"))).one()
        # "1.1.1" numbers the task in the plan; the demo's indicator 1.1.1 is not its indicator
        assert duty.indicator_id is None, duty.indicator_id
        assert duty.task.startswith("建立质量工作联席会议机制")
