"""The window's features load after its first rows (issue 19, item 3; desktop/window/deferred.py).

The feature controllers (imports and settings, export and print, trash and backup, the review
views, self-checks, undo, 移到…, dropped files' metadata) and the 催办 action are not imported
while the window starts; they load by themselves once the first rows are shown. Nothing a
clerk can click before that breaks: a menu entry of a feature loads the features and is
handed on, 编辑 → 撤销/重做 are in the menu from the start, and code asking for a feature
gets it at once.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

pytest.importorskip("pytestqt")

WAIT = 20_000
DEFERRED = ("desktop.window.setup", "desktop.window.export", "desktop.window.durability",
            "desktop.window.review", "desktop.window.checkpoints", "desktop.window.undo",
            "desktop.window.move", "desktop.window.dropmeta", "desktop.actions.reminders")
HEAVY = ("openpyxl", "docx", "lxml", "PIL", "numpy", "watchdog", "alembic")

# A new process (this one has imported everything): start the window as run_gui does, select
# the first leaf when the tree arrives; when its first rows are shown, note which feature
# modules are imported; then wait for the features and note it again.
PROBE = f"""
import json, sys
from PySide6.QtCore import QEventLoop, QTimer
from desktop.window.app import App, ensure_app

deferred = {DEFERRED!r}
app = ensure_app()
shell = App()
c = shell.controller
loop = QEventLoop()
seen = {{}}

def modules():
    return sorted(m for m in deferred if m in sys.modules)

def tree_loaded():
    if "leaf" not in seen:
        leaf = next(n for n in shell.window.workbench.tree.tree_model.nodes() if n.is_leaf)
        seen["leaf"] = leaf.id
        shell.window.workbench.tree.select_id(leaf.id)

def node_shown(node_id):
    if node_id == seen.get("leaf") and "at_rows" not in seen:
        seen["rows"] = shell.window.workbench.evidence.model.rowCount()
        seen["at_rows"] = modules()
        seen["loaded_at_rows"] = c.features.is_loaded
        seen["edit_menu"] = [a.text() for a in shell.window.edit_menu.actions() if a.text()]

def loaded():
    seen["after"] = modules()
    seen["heavy"] = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
    seen["review"] = type(c.review).__name__
    loop.quit()

c.tree_loaded.connect(tree_loaded)
c.node_shown.connect(node_shown)
c.features.loaded.connect(loaded)
shell.open("open", sys.argv[1])
shell.window.show()
QTimer.singleShot(60_000, loop.quit)
loop.exec()
print(json.dumps(seen), flush=True)
shell.shutdown()
"""


def test_features_load_after_the_first_rows_by_themselves(demo_archive):
    root = demo_archive.root
    demo_archive.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-c", PROBE, str(root)], capture_output=True, text=True, cwd=ROOT,
                       env=env, timeout=180)
    assert r.returncode == 0, r.stderr[-2000:]
    seen = json.loads(r.stdout.strip().splitlines()[-1])
    assert seen.get("rows", 0) > 0, seen
    assert seen["at_rows"] == [] and seen["loaded_at_rows"] is False, \
        f"imported before the first rows were shown: {seen['at_rows']}"
    assert seen["edit_menu"][:2] == ["撤销", "重做"]   # in the menu from the start
    assert seen.get("after") == sorted(DEFERRED), seen   # loaded by themselves, nothing asked
    assert seen["review"] == "ReviewController"
    assert seen["heavy"] == [], f"loading the features loaded {seen['heavy']}"


@pytest.fixture
def early(qtbot, demo_archive):
    """A main window and its controller, just made: the features are not loaded yet."""
    from desktop.window.controllers import Controller
    from desktop.window.tasks import TaskRunner
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    controller = Controller(window, runner)
    window.show()
    yield window, controller, demo_archive
    # the archive's opening tasks (tree, suggestions' warm-up) may still run on a loaded machine
    qtbot.waitUntil(runner.is_idle, timeout=3 * WAIT)
    controller.close_archive()
    assert runner.shutdown()


def _action(menu, text: str):
    for a in menu.actions():
        if a.text() == text:
            return a
        sub = a.menu()
        if sub is not None and (found := _action(sub, text)) is not None:
            return found
    return None


def test_a_menu_entry_clicked_before_the_features_load_still_opens_its_dialog(qtbot, early):
    window, controller, archive = early
    controller.set_archive(archive)
    assert not controller.features.is_loaded
    entry = _action(window.menuBar(), "导入工作方案（Word）…")
    assert entry is not None
    entry.trigger()   # 文件 → 导入 → 导入工作方案（Word）…, before the tree is even shown
    assert controller.features.is_loaded
    dlg = controller.setup.import_dialog
    assert dlg is not None and dlg.isVisible() and dlg.kind == "plan"
    dlg.close()
    qtbot.waitUntil(lambda: controller.setup.import_dialog is None, timeout=WAIT)


def test_undo_and_redo_are_in_the_edit_menu_before_the_features_load(qtbot, early):
    window, controller, archive = early
    # the tree first (the features wait for a node's rows): loading the features in code while
    # the archive's opening tasks ran left the runner busy at teardown in 2 of 3 full CI runs
    # (not seen alone); see the session 7 note
    with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
        controller.set_archive(archive)
    assert not controller.features.is_loaded
    before = [a for a in window.edit_menu.actions() if a.text() in ("撤销", "重做")]
    assert [a.text() for a in before] == ["撤销", "重做"] and not any(a.isEnabled() for a in before)
    undo = controller.undo   # asked for in code: loaded at once
    assert controller.features.is_loaded
    assert (undo.undo_action, undo.redo_action) == tuple(before)   # the same entries, not a second pair
    assert [a.text() for a in window.edit_menu.actions() if a.text()].count("撤销") == 1


def test_features_loaded_after_the_tree_catch_up_with_it(qtbot, early):
    """Loaded after the tree was shown and a node selected, the features do what they do on
    those: the self-score panel shows the selected node's row."""
    window, controller, archive = early
    with qtbot.waitSignal(controller.tree_loaded, timeout=WAIT):
        controller.set_archive(archive)
    assert not controller.features.is_loaded
    leaf = next(n for n in window.workbench.tree.tree_model.nodes() if n.is_leaf)
    with qtbot.waitSignal(controller.features.loaded, timeout=WAIT):
        window.workbench.tree.select_id(leaf.id)   # its first rows, then the features
    panel = window.workbench.selfscore

    def shown() -> bool:
        row = panel.row()
        return row is not None and row.indicator_id == leaf.id

    qtbot.waitUntil(shown, timeout=WAIT)


def test_every_early_click_names_a_signal_of_the_main_window(qtbot):
    """deferred.CLICKS lists the controls whose handlers live in the features; a renamed
    signal would silently lose its catcher (a click before the features load would do nothing)."""
    from desktop.window.deferred import CLICKS, _widget
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    missing = [f"{path or 'window'}.{name}" for path, name in CLICKS
               if _widget(window, path) is None or not hasattr(_widget(window, path), name)]
    assert missing == []
