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
