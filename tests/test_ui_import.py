"""The import preview dialog in the window, offscreen, over real archives and real .xlsx/.docx
files: first run from an empty archive to an imported framework and duties, corrections of
the column mapping, header rows, bad tables, cancel, and the work plan."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import func, select
from ui_helpers import open_window

from storage.catalogue.duties import duties_for_node
from storage.catalogue.queries import indicator_tree
from storage.core.archive import Archive
from storage.models import Duty, Indicator
from ui.qtfix import emit

WAIT = 20_000


def _table(path: Path, header: list[str], rows: list[list], *, title: str = "") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    r0 = 1
    if title:
        ws.cell(1, 1, title)
        r0 = 2
    for c, h in enumerate(header, start=1):
        ws.cell(r0, c, h)
    for i, row in enumerate(rows, start=r0 + 1):
        for c, v in enumerate(row, start=1):
            ws.cell(i, c, v)
    wb.save(path)
    return path


FRAMEWORK_HEADER = ["序号", "一级指标", "二级指标", "三级指标", "分值", "计分办法", "牵头单位", "配合单位", "完成时限"]
FRAMEWORK_ROWS = [
    ["1", "质量发展理念（10分）", "组织领导（6分）", "建立质量工作机制", 4, "成立领导小组得2分，制定方案得2分", "县市场监管局", "县委办", "2024年6月30日"],
    ["2", None, None, "开展质量考核", 2, "纳入考核得2分", "县委组织部", "", "2024年9月30日"],
    ["3", None, "质量宣传（4分）", "开展质量月活动", 4, "开展活动得4分", "县市场监管局", "县委宣传部", "2024年9月30日"],
    ["4", "质量发展保障（10分）", "资金保障（10分）", "财政投入", 6, "列入预算得6分", "县财政局", "", "2024年12月31日"],
    ["5", None, None, "人才保障", 4, "培训覆盖率达到100%得4分", "县人社局", "县市场监管局", "2024年12月31日"],
]


def _framework_xlsx(tmp_path: Path) -> Path:
    """A county table whose scoring-rule column is headed 计分办法, which the importer does
    not know: the clerk has to point it out."""
    return _table(tmp_path / "某县质量强县指标及责任分解表.xlsx", FRAMEWORK_HEADER, FRAMEWORK_ROWS,
                  title="某县质量强县评价指标体系（2024年）")


@pytest.fixture
def shell(qtbot):
    """The application shell as `evidence-desk` builds it (window, runner, controller); the
    runner and watcher are stopped at the end."""
    from desktop.window.app import App

    app = App()
    qtbot.addWidget(app.window)
    app.window.show()
    yield app
    app.shutdown()


def _choose_new_archive(qtbot, monkeypatch, folder: Path) -> tuple[str, str]:
    """The first-run dialog as the clerk uses it: 新建档案库… and a folder."""
    from ui.first_run import FirstRunDialog

    dlg = FirstRunDialog([])
    qtbot.addWidget(dlg)
    # the new archive's folder: its name typed, the folder it goes in picked (issue 17.11)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder.parent))
    dlg.archive_name.setText(folder.name)
    dlg.new_btn.click()
    assert dlg.choice is not None
    return dlg.choice[0], dlg.choice[1]


def _pick_file(qtbot, monkeypatch, setup, dlg, path: Path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(setup.preview_shown, timeout=WAIT) as sig:
        dlg.browse.click()
    return sig.args[0]


def _choose_column(dlg, role: str, letter: str) -> None:
    """What the clerk does in the role's list: pick the column."""
    combo = dlg._combos[role]
    i = combo.findData(letter)
    assert i >= 0, f"column {letter} not offered for {role}"
    combo.setCurrentIndex(i)
    emit(combo.activated, i)


def test_first_run_to_imported_framework_and_duties(qtbot, monkeypatch, tmp_path, shell):
    # 1. first run: a new archive in an empty folder, opened in the window
    action, path = _choose_new_archive(qtbot, monkeypatch, tmp_path / "质量强县档案库")
    assert action == "new"
    controller = shell.controller
    with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
        shell.open(action, path)
    assert (tmp_path / "质量强县档案库" / "archive.sqlite3").is_file()
    assert shell.window.workbench.tree.tree_model.rowCount() == 0
    setup = controller.setup

    # 2. the indicator system: preview shows how each column was read
    table = _framework_xlsx(tmp_path)
    dlg = setup.open_import("framework")
    preview = _pick_file(qtbot, monkeypatch, setup, dlg, table)
    assert preview.ok and preview.sheet == "Sheet1" and preview.header_rows == (2,)
    assert dlg.header_row.currentText() == "自动识别（第 2 行）"
    assert preview.role("level3").columns == ("D",) and preview.role("score").columns == ("E",)
    assert not preview.role("rule").found  # 计分办法 is not a known column name
    assert dlg._combos["level1"].currentText().startswith("B  一级指标")
    assert dlg._combos["rule"].currentData() == "-"
    items = dlg.items_model
    assert items.rowCount() == 10  # 2 level-1, 3 level-2, 5 level-3
    titles = [items.cell(r, 3) for r in range(items.rowCount())]
    assert "建立质量工作机制" in titles and "财政投入" in titles
    assert items.cell(titles.index("建立质量工作机制"), 8) == ""  # no rule read yet
    assert dlg.raw_model.cell(1, 5) == "计分办法"  # the sheet as it stands, row 2
    assert "将新增 10" in dlg.summary.text()

    # 3. the clerk corrects one column: 评分标准 is in column F; preview again
    _choose_column(dlg, "rule", "F")
    assert dlg.state() == "stale" and not dlg.commit.isEnabled()
    with qtbot.waitSignal(setup.preview_shown, timeout=WAIT) as sig:
        dlg.refresh.click()
    preview = sig.args[0]
    assert preview.role("rule").columns == ("F",) and preview.role("rule").explicit
    titles = [items.cell(r, 3) for r in range(items.rowCount())]
    assert items.cell(titles.index("建立质量工作机制"), 8) == "成立领导小组得2分，制定方案得2分"
    with shell.controller.archive.sessions.read() as s:
        assert indicator_tree(s) == []  # previews write nothing

    # 4. commit: the real import off the GUI thread, then the report in the dialog
    with qtbot.waitSignals([setup.import_done, controller.tree_loaded], timeout=WAIT):
        dlg.commit.click()
    assert dlg.state() == "done" and "已新增 10" in dlg.summary.text()
    assert dlg.close_btn.text() == "完成"
    dlg.close_btn.click()
    tree = shell.window.workbench.tree.tree_model
    qtbot.waitUntil(lambda: tree.rowCount() == 2, timeout=WAIT)
    nodes = {n.title: n for n in tree.nodes()}
    assert set(nodes) >= {"质量发展理念", "组织领导", "建立质量工作机制", "财政投入", "人才保障"}
    assert nodes["建立质量工作机制"].max_score == 4

    # 5. the responsibility table (the same county table): detected as it stands, committed
    dlg = setup.open_import("duties")
    preview = _pick_file(qtbot, monkeypatch, setup, dlg, table)
    assert preview.role("lead").columns == ("G",) and preview.role("deadline").columns == ("I",)
    assert preview.item_count == 5
    assert all(dlg.items_model.cell(r, 6) == "已关联" for r in range(5))
    with qtbot.waitSignals([setup.import_done, controller.tree_loaded], timeout=WAIT):
        dlg.commit.click()
    dlg.close_btn.click()

    # 6. a node shows its duties with lead, cooperating and deadline
    leaf = next(n for n in tree.nodes() if n.title == "建立质量工作机制")
    with qtbot.waitSignal(controller.node_loaded, timeout=WAIT):
        shell.window.workbench.tree.select_id(leaf.id)
    duties = shell.window.workbench.duties_model
    assert duties.rowCount() == 1
    row = duties.row(0)
    assert row.lead == ("县市场监管局",) and row.cooperating == ("县委办",)
    assert row.deadline.isoformat() == "2024-06-30"

    # 7. all of it is in the archive on disk, with the corrected rule, after reopening
    root = shell.controller.archive.root
    shell.controller.close_archive()
    with Archive.open(root) as again, again.sessions.read() as s:
        nodes = {n.title: n for n in indicator_tree(s)}
        assert len(nodes) == 10
        ds = duties_for_node(s, nodes["开展质量月活动"].id, dt.date(2024, 1, 1))
        assert len(ds) == 1 and ds[0].cooperating == ("县委宣传部",)
        rule = s.get(Indicator, nodes["建立质量工作机制"].id).scoring_rule
        assert rule == "成立领导小组得2分，制定方案得2分"


# --- the preview functions themselves (storage.tables.preview, no Qt) -----------------------


def test_preview_of_a_provincial_table_lists_header_rows_hidden_columns_and_warnings(archive, tmp_path):
    from test_tables_fixtures import framework_table

    from storage.tables.preview import ImportOptions, preview_import

    path = framework_table(tmp_path / "省指标体系.xlsx")
    p = preview_import(archive, ImportOptions("framework", str(path)))
    assert p.ok and p.header_rows == (3, 4)  # a two-row merged header
    cols = {c.letter: c for c in p.columns}
    assert cols["B"].header == "评价指标/一级指标" and cols["I"].hidden
    assert p.role("code").columns == ("A",) and p.role("rule").columns == ("F",)
    assert any("隐藏的行" in w for w in p.warnings)
    assert p.raw_rows[0] == (1, ("附件1",) + ("",) * 8)
    assert p.item_count == 13 and "总分 20" in p.summary
    with archive.sessions.read() as s:
        assert indicator_tree(s) == []


def test_preview_of_an_unreadable_layout_keeps_the_columns_and_says_what_to_do(archive, tmp_path):
    """No header the importer knows: the preview still lists the sheet's columns and the
    dialog's words (not the command line's --map); choosing columns then reads it."""
    from storage.tables.preview import ImportOptions, preview_import

    path = _table(tmp_path / "自制表.xlsx", ["项", "内容", "满分值"],
                  [["1", "建立质量工作机制", 4], ["2", "开展质量考核", 2]])
    p = preview_import(archive, ImportOptions("framework", str(path)))
    assert not p.ok and p.report is None
    assert "找不到表头" in p.error and "--map" not in p.error and "各列的含义" in p.error
    assert [c.letter for c in p.columns] == ["A", "B", "C"]
    fixed = preview_import(archive, ImportOptions("framework", str(path), header_row=1,
                                                  mapping=(("title", "B"), ("score", "C"))))
    assert fixed.ok, fixed.error
    assert [i[3] for i in fixed.items] == ["建立质量工作机制", "开展质量考核"]
    assert fixed.role("title").columns == ("B",) and fixed.role("title").explicit
    # a mapping naming a column the sheet does not have is a message, not a crash
    bad = preview_import(archive, ImportOptions("framework", str(path), header_row=1,
                                                mapping=(("title", "不存在的列"),)))
    assert not bad.ok and "不存在的列" in bad.error and len(bad.columns) == 3


def test_commit_cancelled_before_its_transaction_commits_writes_nothing(archive, tmp_path):
    from storage.kernel.errors import Cancelled
    from storage.tables.preview import ImportOptions, commit_import

    path = _framework_xlsx(tmp_path)
    seen: list[tuple] = []

    def progress(done, total, text=""):
        seen.append((done, total, text))

    # cancel is pressed while the file is being read: the commit is refused and rolled back
    with pytest.raises(Cancelled):
        commit_import(archive, ImportOptions("framework", str(path)), progress=progress,
                      cancel=lambda: bool(seen))
    with archive.sessions.read() as s:
        assert indicator_tree(s) == []
    report = commit_import(archive, ImportOptions("framework", str(path)), progress=progress)
    assert report.written and len(report.added) == 10
    assert seen[-1][:2] == (3, 3)
    with archive.sessions.read() as s:
        assert len(indicator_tree(s)) == 10


# --- the dialog over an open archive ------------------------------------------------------------


@pytest.fixture
def gui(qtbot, archive):
    """The window and controller on a new, empty archive (as after 新建档案库)."""
    with open_window(qtbot, archive, wait=WAIT) as opened:
        yield opened


def test_menu_opens_the_import_dialog_and_a_bad_table_is_explained(qtbot, monkeypatch, tmp_path, gui):
    window, controller = gui
    setup = controller.setup
    menu_action = next(a for a in window.findChildren(type(window.menuBar().actions()[0]))
                       if a.text().startswith("导入责任分解表"))
    menu_action.trigger()
    dlg = setup.import_dialog
    assert dlg is not None and dlg.windowTitle() == "导入责任分解表" and dlg.isVisible()
    path = _table(tmp_path / "分工.xlsx", ["项", "内容", "主办"], [["1", "质量月活动", "县市场监管局"]])
    preview = _pick_file(qtbot, monkeypatch, setup, dlg, path)
    assert not preview.ok
    assert dlg.error.isVisible() and "找不到表头" in dlg.error.text()
    assert not dlg.commit.isEnabled()
    # the clerk says: header in row 1, task in B, lead in C
    dlg.header_row.setCurrentIndex(dlg.header_row.findData(1))
    emit(dlg.header_row.activated, dlg.header_row.currentIndex())
    with qtbot.waitSignal(setup.preview_shown, timeout=WAIT) as sig:
        dlg.refresh.click()
    assert not sig.args[0].ok  # row 1 has no names the importer knows
    _choose_column(dlg, "task", "B")
    _choose_column(dlg, "lead", "C")
    with qtbot.waitSignal(setup.preview_shown, timeout=WAIT) as sig:
        dlg.refresh.click()
    preview = sig.args[0]
    assert preview.ok, preview.error
    assert dlg.items_model.cell(0, 2) == "质量月活动" and dlg.items_model.cell(0, 3) == "县市场监管局"
    assert any("还没有指标体系" in w for w in preview.warnings)
    assert dlg.commit.isEnabled() and not dlg.error.isVisible()
    dlg.close_btn.click()
    assert setup.import_dialog is None or not setup.import_dialog.isVisible()


def test_stopping_an_import_leaves_the_archive_unchanged(qtbot, monkeypatch, tmp_path, gui, archive):
    import threading

    window, controller = gui
    setup = controller.setup
    dlg = setup.open_import("framework")
    _pick_file(qtbot, monkeypatch, setup, dlg, _framework_xlsx(tmp_path))
    # the one writer is busy with something else, so the import waits its turn …
    release = threading.Event()
    controller.runner.submit_write(lambda ctx: release.wait(WAIT / 1000))
    dlg.commit.click()
    assert dlg.state() == "committing" and dlg.stop.isVisible() and not dlg.close_btn.isEnabled()
    # … and the clerk stops it (closing the dialog asks the same)
    with qtbot.waitSignal(setup.import_cancelled, timeout=WAIT):
        dlg.reject()
        release.set()
    assert dlg.state() == "preview" and "没有任何改动" in dlg.summary.text()
    qtbot.waitUntil(controller.runner.is_idle, timeout=WAIT)
    with archive.sessions.read() as s:
        assert indicator_tree(s) == []
    assert not window.task_bar.isVisible()
    # and can still import
    with qtbot.waitSignal(setup.import_done, timeout=WAIT):
        dlg.commit.click()
    with archive.sessions.read() as s:
        assert len(indicator_tree(s)) == 10


def test_work_plan_preview_and_import(qtbot, monkeypatch, tmp_path, gui, archive):
    from test_tables_fixtures import plan_docx_typed

    window, controller = gui
    setup = controller.setup
    dlg = setup.open_import("plan")
    assert not dlg.mapping_box.isVisible() and not dlg.sheet.isVisible()
    preview = _pick_file(qtbot, monkeypatch, setup, dlg, plan_docx_typed(tmp_path / "沂水县工作方案.docx"))
    assert preview.ok and preview.item_count == 13
    assert dlg.items_model.headerData(0, Qt.Orientation.Horizontal) == "段"
    leads = [dlg.items_model.cell(r, 3) for r in range(dlg.items_model.rowCount())]
    assert any("市场监管局" in x for x in leads)
    with qtbot.waitSignal(setup.import_done, timeout=WAIT) as sig:
        dlg.commit.click()
    assert len(sig.args[0].added) == 13
    with archive.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(Duty)) == 13


def test_about_box_names_version_archive_schema_and_versions(qtbot, gui, archive):
    import sys

    from desktop.version import VERSION
    from storage.core import migrate

    window, controller = gui
    help_about = next(a for a in window.findChildren(type(window.menuBar().actions()[0]))
                      if a.text() == "关于")
    help_about.trigger()
    dlg = controller.setup.about_dialog
    assert dlg.isVisible()
    v = {k: w.text() for k, w in dlg.values.items()}
    assert v["版本"] == VERSION
    assert str(archive.root) in v["档案库位置"]
    assert v["数据结构版本"].startswith(migrate.head_revision()) and "最新" in v["数据结构版本"]
    assert v["Python"] == sys.version.split()[0] and "PySide6" in v["Qt"]
    dlg.copy.click()
    from PySide6.QtGui import QGuiApplication

    assert f"版本：{VERSION}" in QGuiApplication.clipboard().text()
    dlg.close()
