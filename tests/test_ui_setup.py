"""The settings dialog and the guided start in the window, offscreen, over real archives:
values persist after reopening the archive, a refused value saves nothing, watched folders
added/removed with their settle times, the program's own settings."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QFileDialog
from ui_helpers import open_window

from desktop.actions.settings import archive_settings, save_archive_settings
from storage.catalogue.county import county_facts, upload_deadline
from storage.core.archive import Archive
from storage.readmodels import GdpYear, Leader
from storage.watch.folders import list_folders

WAIT = 20_000


@pytest.fixture
def gui(qtbot, archive):
    with open_window(qtbot, archive, wait=WAIT) as opened:
        yield opened


def _menu_action(window, text: str):
    from PySide6.QtGui import QAction

    return next(a for a in window.findChildren(QAction) if a.text() == text)


def _open_settings(qtbot, window, controller):
    with qtbot.waitSignal(controller.setup.settings_loaded, timeout=WAIT) as sig:
        _menu_action(window, "设置…").trigger()
    dlg = controller.setup.settings_dialog
    assert dlg is not None and dlg.isVisible()
    return dlg, sig.args[0]


def _set_cell(table, r, c, text):
    from PySide6.QtWidgets import QTableWidgetItem

    table.setItem(r, c, QTableWidgetItem(text))


def test_settings_persist_after_reopening_the_archive(qtbot, monkeypatch, tmp_path, gui, archive):
    window, controller = gui
    shares = [tmp_path / "共享" / "县工信局", tmp_path / "共享" / "县财政局"]
    for p in shares:
        p.mkdir(parents=True)

    dlg, _ = _open_settings(qtbot, window, controller)
    dlg.deadline_set.setChecked(True)
    dlg.deadline.setDate(QDate(2026, 11, 30))
    dlg.name.setText("沂水县")
    dlg.population.setText("98.6")
    dlg.area.setText("2,434")
    dlg.contact_name.setText("王明")
    dlg.contact_phone.setText("0539-2251234")
    dlg.contact_unit.setText("县市场监督管理局")
    for year, value in (("2023", "610.5"), ("2022", "585.2")):
        r = dlg._add_row(dlg.gdp, ["", ""])
        _set_cell(dlg.gdp, r, 0, year)
        _set_cell(dlg.gdp, r, 1, value)
    r = dlg._add_row(dlg.leaders, ["", ""])
    _set_cell(dlg.leaders, r, 0, "县长")
    _set_cell(dlg.leaders, r, 1, "张某某")
    dlg.tabs.setCurrentIndex(1)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(shares[0]))
    dlg.add_folder.click()
    dlg.add_folder_path(str(shares[1]), "县财政局")
    r = dlg.folders.rowCount() - 1
    dlg.folders.cellWidget(r, 3).setValue(30)
    with qtbot.waitSignal(controller.setup.settings_saved, timeout=WAIT):
        dlg.save.click()
    assert "设置已保存" in window.status_label.text()

    # reopen the archive in the window: the dialog shows what was saved
    root = archive.root
    controller.close_archive()
    again = Archive.open(root)
    try:
        with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
            controller.set_archive(again)
        dlg, settings = _open_settings(qtbot, window, controller)
        assert settings.upload_deadline == dt.date(2026, 11, 30)
        assert dlg.deadline_set.isChecked() and dlg.deadline.date() == QDate(2026, 11, 30)
        assert dlg.name.text() == "沂水县" and dlg.population.text() == "98.6"
        assert dlg.area.text() == "2434"  # stored as a plain number
        assert [dlg.gdp.item(r, 0).text() for r in range(dlg.gdp.rowCount())] == ["2022", "2023"]
        assert dlg.leaders.item(0, 1).text() == "张某某"
        paths = [dlg.folders.item(r, 0).text() for r in range(dlg.folders.rowCount())]
        assert paths == [str(shares[0]), str(shares[1])]
        assert dlg.folders.item(1, 1).text() == "县财政局"
        assert dlg.folders.cellWidget(1, 3).value() == 30
        assert dlg.folders.cellWidget(0, 3).value() == 0  # the default for its disk
        dlg.reject()
        with again.sessions.read() as s:
            facts = county_facts(s)
            assert facts.gdp == (GdpYear(2022, "585.2"), GdpYear(2023, "610.5"))
            assert facts.leaders == (Leader("县长", "张某某"),)
            assert facts.contact_unit == "县市场监督管理局"
            assert upload_deadline(s) == dt.date(2026, 11, 30)
            info = {f.path: f for f in list_folders(s)}
            assert info[str(shares[1])].settle_seconds == 30 and info[str(shares[1])].department == "县财政局"
            assert info[str(shares[0])].settle_seconds == 2.0  # local default
    finally:
        controller.close_archive()
        again.close()


def test_a_refused_value_saves_nothing_and_says_why(qtbot, tmp_path, gui, archive):
    window, controller = gui
    share = tmp_path / "共享"
    share.mkdir()
    dlg, _ = _open_settings(qtbot, window, controller)
    dlg.name.setText("沂水县")
    dlg.deadline_set.setChecked(True)
    dlg.add_folder_path(str(share))
    dlg.population.setText("约一百万")
    dlg.save.click()
    qtbot.waitUntil(lambda: dlg.error.isVisible(), timeout=WAIT)
    assert "常住人口应为数字" in dlg.error.text() and "约一百万" in dlg.error.text()
    assert "error" not in dlg.error.text()  # Chinese only in the window
    assert dlg.isVisible() and dlg.save.isEnabled()
    with archive.sessions.read() as s:
        assert county_facts(s).is_empty() and upload_deadline(s) is None
        assert list_folders(s) == []  # the folder was not added either
    # a bad year and a folder that is not there: each refused the same way
    dlg.population.setText("98.6")
    r = dlg._add_row(dlg.gdp, ["二〇二三", "610"])
    dlg.save.click()
    qtbot.waitUntil(lambda: "年份应为四位数字" in dlg.error.text(), timeout=WAIT)
    dlg.gdp.removeRow(r)
    dlg.add_folder_path(str(tmp_path / "不存在的文件夹"))
    dlg.save.click()
    qtbot.waitUntil(lambda: "不是文件夹或无法访问" in dlg.error.text(), timeout=WAIT)
    with archive.sessions.read() as s:
        assert county_facts(s).is_empty() and list_folders(s) == []
    # fixed: all of it is saved
    dlg.folders.selectRow(dlg.folders.rowCount() - 1)
    dlg._remove_selected_folders()
    with qtbot.waitSignal(controller.setup.settings_saved, timeout=WAIT):
        dlg.save.click()
    with archive.sessions.read() as s:
        assert county_facts(s).population == "98.6" and len(list_folders(s)) == 1


def test_removing_a_folder_and_changing_a_settle_time(qtbot, tmp_path, gui, archive):
    from storage.watch.folders import add_folder

    window, controller = gui
    a, b = tmp_path / "甲", tmp_path / "乙"
    a.mkdir()
    b.mkdir()
    (a / "材料.docx").write_bytes(b"PK keep me")
    with archive.sessions.write() as s:
        add_folder(s, a, department="县工信局")
        add_folder(s, b, settle_seconds=5)
    dlg, settings = _open_settings(qtbot, window, controller)
    assert [f.settle_seconds for f in settings.folders] == [None, 5.0]
    assert "默认（2 秒）" == dlg.folders.cellWidget(0, 3).specialValueText()
    dlg.folders.selectRow(0)
    dlg._remove_selected_folders()
    dlg.folders.cellWidget(0, 3).setValue(0)  # back to the default
    values = dlg.values()
    assert values.remove == (str(a),) and values.settle == ((str(b), None),)
    with qtbot.waitSignal(controller.setup.settings_saved, timeout=WAIT) as sig:
        dlg.save.click()
    assert [f.path for f in sig.args[0].folders] == [str(b)]
    assert sig.args[0].folders[0].settle_seconds is None
    assert (a / "材料.docx").read_bytes() == b"PK keep me"  # people's files are sacred
    assert [f.path for f in archive_settings(archive=archive).folders] == [str(b)]


def test_program_settings_recent_archives_and_layout(qtbot, gui, archive, tmp_path):
    from desktop import settings as user_settings

    window, controller = gui
    us = user_settings.load()
    for p in ("/档案库/甲", "/档案库/乙", str(archive.root)):
        us.remember_archive(p)
    user_settings.save(us)
    dlg, _ = _open_settings(qtbot, window, controller)
    assert dlg.recent.count() == 3
    dlg.clear_recent.click()
    window.resize(700, 500)
    dlg.reset_layout.click()
    assert window.width() == 1400
    with qtbot.waitSignal(controller.setup.settings_saved, timeout=WAIT):
        dlg.save.click()
    assert user_settings.load().recent_archives == [str(archive.root)]
    assert window.recent_menu_paths == [str(archive.root)]


def test_user_settings_keep_unknown_and_new_fields(tmp_path):
    from desktop import settings as user_settings

    s = user_settings.load()
    s.hide_guide(tmp_path / "甲")
    s.last_import_dir = str(tmp_path)
    user_settings.save(s)
    again = user_settings.load()
    assert again.guide_is_hidden(tmp_path / "甲") and not again.guide_is_hidden(tmp_path / "乙")
    assert again.last_import_dir == str(tmp_path)
    again.hide_guide(tmp_path / "甲", hidden=False)
    assert not again.guide_is_hidden(tmp_path / "甲")
    # a settings file from an older version (fewer fields) still loads
    (user_settings.config_dir() / "settings.json").write_text('{"recent_archives": ["/x"]}', encoding="utf-8")
    old = user_settings.load()
    assert old.recent_archives == ["/x"] and old.guide_hidden == []


def test_archive_settings_are_one_transaction(archive, tmp_path):
    """desktop.actions.settings on its own: a refused folder leaves the facts unsaved too."""
    from storage.kernel.errors import BadInput
    from storage.readmodels import CountyFacts, NewFolder

    with pytest.raises(BadInput):
        save_archive_settings(archive=archive, facts=CountyFacts(name="沂水县"), deadline=dt.date(2026, 1, 1),
                              add=(NewFolder(str(tmp_path), settle_seconds=99999),))
    with archive.sessions.read() as s:
        assert county_facts(s).is_empty() and upload_deadline(s) is None and not list_folders(s)
    saved = save_archive_settings(archive=archive, facts=CountyFacts(name="沂水县"),
                                  add=(NewFolder(str(tmp_path), "县工信局", 12),))
    assert saved.facts.name == "沂水县" and saved.folders[0].settle_seconds == 12
    assert saved.upload_deadline is None  # "keep": untouched


# --- the guided start ---------------------------------------------------------------------------


@pytest.fixture
def shell(qtbot):
    from desktop.window.app import App

    app = App()
    qtbot.addWidget(app.window)
    app.window.show()
    yield app
    app.shutdown()


def test_guided_start_ticks_each_step_from_the_archive(qtbot, monkeypatch, tmp_path, shell):
    from test_ui_import import _framework_xlsx

    window, controller = shell.window, shell.controller
    setup = controller.setup
    # a new archive: the guide appears by itself with only step 1 done
    with qtbot.waitSignal(setup.guide_updated, timeout=WAIT) as sig:
        shell.open("new", str(tmp_path / "新档案库"))
    guide = setup.guide
    qtbot.waitUntil(guide.isVisible, timeout=WAIT)
    assert not sig.args[0].has_framework
    assert guide.panel.done_steps() == ["archive"]
    assert str(tmp_path / "新档案库") in guide.panel.steps["archive"].detail.text()
    assert not guide.panel.steps["evidence"].buttons["add_files"].isEnabled()

    # step 2 and 3: the buttons open the import dialog for each kind
    table = _framework_xlsx(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(table), ""))
    for step, action, kind in (("framework", "import_framework", "framework"),
                               ("duties", "import_duties", "duties")):
        guide.panel.steps[step].buttons[action].click()
        dlg = setup.import_dialog
        assert dlg.kind == kind
        with qtbot.waitSignal(setup.preview_shown, timeout=WAIT):
            dlg.browse.click()
        with qtbot.waitSignal(setup.guide_updated, timeout=WAIT):
            dlg.commit.click()
        qtbot.waitUntil(lambda s=step: s in guide.panel.done_steps(), timeout=WAIT)
        dlg.close_btn.click()
    assert "共 10 项指标" in guide.panel.steps["framework"].detail.text()
    assert "5 项任务" in guide.panel.steps["duties"].detail.text()

    # step 4: the settings dialog opens on the folders page
    share = tmp_path / "共享文件夹"
    share.mkdir()
    with qtbot.waitSignal(setup.settings_loaded, timeout=WAIT):
        guide.panel.steps["folders"].buttons["folders"].click()
    sd = setup.settings_dialog
    assert sd.tabs.currentIndex() == 1
    sd.add_folder_path(str(share), "县工信局")
    with qtbot.waitSignal(setup.guide_updated, timeout=WAIT):
        sd.save.click()
    qtbot.waitUntil(lambda: "folders" in guide.panel.done_steps(), timeout=WAIT)

    # step 5: the first evidence, added with the step's button
    doc = tmp_path / "质量工作领导小组文件.txt"
    doc.write_text("关于成立质量强县工作领导小组的通知", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(doc)], ""))
    assert guide.panel.steps["evidence"].buttons["add_files"].isEnabled()
    with qtbot.waitSignal(controller.ingest_done, timeout=WAIT):
        guide.panel.steps["evidence"].buttons["add_files"].click()
    qtbot.waitUntil(lambda: "evidence" in guide.panel.done_steps(), timeout=WAIT)
    assert guide.panel.progress().complete and "全部完成" in guide.panel.finished.text()

    # closed, then back from 帮助 → 快速入门
    guide.close()
    assert not guide.isVisible()
    with qtbot.waitSignal(setup.guide_updated, timeout=WAIT):
        _menu_action(window, "快速入门").trigger()
    assert guide.isVisible() and len(guide.panel.done_steps()) == 5


def test_guide_stays_away_from_a_set_up_archive_and_when_asked(qtbot, shell, demo_archive, tmp_path):
    from desktop import settings as user_settings

    setup = shell.controller.setup
    root = demo_archive.root
    demo_archive.close()
    with qtbot.waitSignal(setup.guide_updated, timeout=WAIT) as sig:
        shell.open("open", str(root))
    assert sig.args[0].has_framework and sig.args[0].has_duties
    assert not setup.guide.isVisible()  # framework and duties are there: no guide by itself
    # a new archive whose guide the clerk asked not to show again
    new = tmp_path / "另一个档案库"
    s = user_settings.load()
    s.hide_guide(new)
    user_settings.save(s)
    with qtbot.waitSignal(setup.guide_updated, timeout=WAIT):
        shell.open("new", str(new))
    assert not setup.guide.isVisible()
    with qtbot.waitSignal(setup.guide_updated, timeout=WAIT):
        setup.show_guide()
    assert setup.guide.isVisible() and setup.guide.panel.dont_show.isChecked()
    setup.guide.panel.dont_show.setChecked(False)
    assert not user_settings.load().guide_is_hidden(new)


# --- first run: the optional database-server field -----------------------------------------------


def test_first_run_offers_a_database_server_for_a_new_archive(qtbot, monkeypatch, tmp_path, shell):
    import os

    from ui.first_run import FirstRunDialog

    plain = FirstRunDialog([])
    qtbot.addWidget(plain)
    assert not plain.server_box.isVisibleTo(plain) and plain.db_url() == ""
    dlg = FirstRunDialog([], server_option=True)
    qtbot.addWidget(dlg)
    assert not dlg.server_box.isVisibleTo(dlg)  # behind 高级 (issue 17, item 11)
    dlg.advanced.click()
    assert dlg.server_box.isVisibleTo(dlg) and dlg.server_box.title() == "数据库服务器（多人共用，可选）"
    folder = tmp_path / "共享档案库"
    # the archive's folder is made from the typed name inside the folder picked (17.11)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder.parent))
    dlg.archive_name.setText(folder.name)
    dlg.new_btn.click()  # empty field: an ordinary archive
    assert dlg.choice == ("new", str(folder))

    server = os.environ.get("EVIDENCE_DESK_TEST_DB_URL")
    if not server:
        pytest.skip("no PostgreSQL test server (EVIDENCE_DESK_TEST_DB_URL; scripts/pg.sh start)")
    import uuid

    from sqlalchemy.engine import make_url

    from storage.core.server import create_database, drop_database

    url = make_url(server).set(database=f"ui_{uuid.uuid4().hex[:12]}").render_as_string(hide_password=False)
    create_database(url)
    try:
        dlg = FirstRunDialog([], server_option=True)
        qtbot.addWidget(dlg)
        dlg.advanced.click()
        dlg.server.setText(f"  {url} ")
        dlg.archive_name.setText(folder.name)
        dlg.new_btn.click()
        assert dlg.choice == ("new", str(folder), url)
        setup = shell.controller.setup
        with qtbot.waitSignal(setup.guide_updated, timeout=WAIT):
            shell.open(*dlg.choice)
        archive = shell.controller.archive
        assert archive.is_server and (folder / "server.json").is_file()
        assert not (folder / "archive.sqlite3").exists()
        about = setup.show_about()
        assert about.values["数据库"].text().startswith("postgresql") and "最新" in about.values["数据结构版本"].text()
        about.close()
        shell.controller.close_archive()
    finally:
        drop_database(url)


# --- screenshots of the set-up dialogs ----------------------------------------------------------


@pytest.mark.parametrize("view", ["import", "import_duties", "settings", "settings_folders",
                                  "guide", "about", "first_run"])
def test_screenshot_of_each_setup_view(qtbot, demo_archive, tmp_path, view):
    from PySide6.QtGui import QImage
    from sqlalchemy import func, select

    from desktop.window.screenshots import screenshot
    from storage.models import Duty, Indicator

    def counts():
        with demo_archive.sessions.read() as s:
            return (s.scalar(select(func.count()).select_from(Duty)),
                    s.scalar(select(func.count()).select_from(Indicator)))

    before = counts()
    png = tmp_path / f"{view}.png"
    assert screenshot(demo_archive.root, png, view) == 0
    img = QImage(str(png))
    assert img.width() >= 500 and img.height() >= 300
    colours = {img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
    assert len(colours) > 8
    assert counts() == before  # rendering writes nothing: the import preview is a dry run


def test_unknown_setup_view_is_refused(demo_archive):
    from desktop.window.screenshots import render_setup_view
    from storage.kernel.errors import ArchiveError

    with pytest.raises(ArchiveError) as e:
        render_setup_view(demo_archive, "nope")
    assert "未知的视图" in e.value.zh
