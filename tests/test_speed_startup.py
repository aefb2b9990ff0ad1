"""The window's start (issue 19, item 3): the office libraries are loaded when a document is
read or written, not while the window starts. Importing the window's module, and starting
the window on an archive until the first leaf's rows are on screen, loads none of them
(benchmarks/startup.py times the start; docs/performance.md has the figures)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT

# Loaded only when used: reading or writing Word/Excel/PDF files, images, OCR, watching folders.
HEAVY = ("openpyxl", "docx", "pypdf", "pypdfium2", "lxml", "PIL", "rapidocr", "onnxruntime",
         "numpy", "olefile", "cryptography", "msoffcrypto", "watchdog", "alembic")

IMPORT_PROBE = f"""
import json, sys
import desktop.window.app
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
print(json.dumps(heavy))
"""

# Starts the window as desktop.window.app.run_gui does (without the event loop's end), opens
# the archive, selects the first leaf when the tree arrives and reports once its rows are shown.
START_PROBE = f"""
import json, sys
from PySide6.QtCore import QEventLoop, QTimer
from desktop.window.app import App, ensure_app

app = ensure_app()
shell = App()
loop = QEventLoop()
seen = {{}}

def tree_loaded():
    if "leaf" not in seen:
        leaf = next(n for n in shell.window.workbench.tree.tree_model.nodes() if n.is_leaf)
        seen["leaf"] = leaf.id
        shell.window.workbench.tree.select_id(leaf.id)

def node_loaded(node_id):
    if node_id == seen.get("leaf"):
        seen["rows"] = shell.window.workbench.evidence.model.rowCount()
        loop.quit()

shell.controller.tree_loaded.connect(tree_loaded)
shell.controller.node_loaded.connect(node_loaded)
shell.open("open", sys.argv[1])
shell.window.show()
QTimer.singleShot(60_000, loop.quit)
loop.exec()
app.processEvents()
seen["heavy"] = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
print(json.dumps(seen), flush=True)
shell.shutdown()
"""


def _run(code: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                       env=env, timeout=180)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout.strip().splitlines()[-1]


def test_importing_the_window_loads_no_office_library():
    heavy = json.loads(_run(IMPORT_PROBE))
    assert heavy == [], f"desktop.window.app loads {heavy} at import: import them where they are used"


def test_window_start_shows_rows_without_loading_an_office_library(demo_archive):
    """The demo archive holds Word, Excel and PDF files; the window shows the first leaf's
    rows without reading any of them."""
    root = demo_archive.root
    demo_archive.close()
    seen = json.loads(_run(START_PROBE, str(root)))
    assert seen.get("rows", 0) > 0, f"the first leaf's rows were not shown: {seen}"
    assert seen["heavy"] == [], f"the window's start loaded {seen['heavy']}"
