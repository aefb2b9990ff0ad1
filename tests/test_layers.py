"""design.md's layers stay true: no Qt in storage/ or exporters/, no SQL or office libraries
in ui/, and the command line loads Qt only to open a window."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from layers import check

ROOT = Path(__file__).resolve().parents[1]


def test_project_keeps_its_layers():
    violations = check(ROOT)
    assert violations == [], "\n".join(map(str, violations))


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_checker_catches_qt_in_storage(tmp_path):
    root = _tree(tmp_path, {"storage/__init__.py": "", "storage/bad.py": """
        def f():
            from PySide6.QtCore import QObject  # lazily, inside a function
            return QObject
        """})
    [v] = check(root)
    assert v.file == "storage/bad.py" and v.line == 3 and v.module == "PySide6.QtCore"


def test_checker_catches_sql_and_office_in_ui(tmp_path):
    root = _tree(tmp_path, {"ui/a.py": "import sqlalchemy\nimport openpyxl\nfrom storage.readmodels import X\n"})
    assert [v.module for v in check(root)] == ["sqlalchemy", "openpyxl"]


def test_checker_catches_storage_internals_in_exporters(tmp_path):
    root = _tree(tmp_path, {"exporters/x.py": "from storage.models import Evidence\nfrom storage.readmodels import R\n"})
    [v] = check(root)
    assert v.module == "storage.models"


def test_checker_allows_the_layers_own_relative_imports(tmp_path):
    root = _tree(tmp_path, {"storage/core/m.py": "from ..models import Evidence\nimport desktop.cli\n"})
    assert [v.module for v in check(root)] == ["desktop.cli"]


def test_checker_catches_the_window_importing_the_command_line(tmp_path):
    root = _tree(tmp_path, {"desktop/window/w.py": "from desktop.cli.output import Output\n",
                            "desktop/cli/output.py": "X = 1\n",
                            "desktop/cli/c.py": "from desktop.window.w import thing\n"})
    found = {(v.file, v.module) for v in check(root)}
    assert found == {("desktop/window/w.py", "desktop.cli.output"), ("desktop/cli/c.py", "desktop.window.w")}


def test_checker_keeps_qt_and_argparse_out_of_actions(tmp_path):
    root = _tree(tmp_path, {"desktop/actions/a.py": "import argparse\nfrom PySide6.QtCore import QObject\n"})
    assert sorted(v.module for v in check(root)) == ["PySide6.QtCore", "argparse"]


def test_checker_catches_an_import_circle_hidden_in_a_function(tmp_path):
    root = _tree(tmp_path, {
        "exporters/a.py": "from exporters.b import f\n",
        "exporters/b.py": "def f():\n    from exporters.a import g\n    return g\n",
    })
    rules = [v.rule for v in check(root)]
    assert any(r.startswith("import circle: exporters.a -> exporters.b") for r in rules)
    assert "our modules are imported at the top of the file" in rules


def test_checker_keeps_storage_floors_and_wings(tmp_path):
    root = _tree(tmp_path, {
        "storage/catalogue/items.py": "from storage.tables.grid import Sheet\nfrom storage.durability import backup\n",
        "storage/tables/grid.py": "from storage.catalogue.items import x\nfrom storage.core.db import y\n",
        "storage/kernel/text.py": "import sqlalchemy\n",
        "storage/durability/backup.py": "",
        "storage/core/db.py": "",
    })
    rules = sorted(v.rule for v in check(root))
    assert "floor 2 (storage.catalogue) imports floor 3" in rules           # up a floor
    assert "sibling wings on floor 2: storage.catalogue and storage.durability" in rules
    assert "storage.kernel.text is below the database" in rules
    assert not any(v.file == "storage/tables/grid.py" for v in check(root))  # down is fine


def test_command_bodies_may_import_lazily(tmp_path):
    root = _tree(tmp_path, {"desktop/cli/x.py": "def cmd(args):\n    from storage.core import archive\n",
                            "storage/core/archive.py": ""})
    assert check(root) == []


def test_cli_does_not_load_qt_without_a_window(tmp_path):
    code = textwrap.dedent(f"""
        import sys
        from desktop.main import main
        rc = main(["init", "--archive", {str(tmp_path / 'a')!r}])
        rc2 = main(["status", "--archive", {str(tmp_path / 'a')!r}, "--json"])
        loaded = [m for m in sys.modules if m.startswith(("PySide6", "shiboken6"))]
        print("LOADED", loaded, rc, rc2)
        sys.exit(1 if loaded or rc or rc2 else 0)
    """)
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       env={"PYTHONPATH": str(ROOT), "EVIDENCE_DESK_CONFIG_DIR": str(tmp_path / "cfg"),
                            "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stdout + r.stderr


def test_version_and_help_stay_light(tmp_path):
    """Start-up speed: parsing the command line imports no database, office or Qt library
    (command modules keep those imports inside their command bodies)."""
    code = textwrap.dedent("""
        import sys
        from desktop.main import main
        rc = main(["--version"])
        heavy = [m for m in ("sqlalchemy", "docx", "openpyxl", "PySide6", "exporters.bundle", "desktop.actions")
                 if m in sys.modules]
        print("HEAVY", heavy)
        sys.exit(1 if heavy or rc else 0)
    """)
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       env={"PYTHONPATH": str(ROOT), "EVIDENCE_DESK_CONFIG_DIR": str(tmp_path / "cfg"),
                            "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stdout + r.stderr


def test_checker_allows_imports_by_name_only_in_the_windows_deferred_features(tmp_path):
    """desktop/window/deferred.py may import the window's features by name at run time (after the
    first rows are shown); anywhere else that is a hidden lazy import. The modules deferred.py
    names are still checked: a forbidden one, or a circle through one, is caught."""
    root = _tree(tmp_path, {
        "desktop/window/deferred.py": """
            import importlib
            FEATURES = ("desktop.window.setup", "desktop.cli.output")
            def load(name):
                return importlib.import_module(name)
            """,
        "desktop/window/setup.py": "from desktop.window.deferred import FEATURES\n",
        "desktop/cli/output.py": "X = 1\n",
        "desktop/window/other.py": "import importlib\nM = importlib.import_module('desktop.window.setup')\n",
        "ui/view.py": "def f():\n    return __import__('storage')\n",
    })
    found = {(v.file, v.module, v.rule.split(":")[0]) for v in check(root)}
    assert ("desktop/window/deferred.py", "desktop.cli.output", "desktop.window must not import it") in found
    assert ("desktop/window/other.py", "<by name>",
            "our modules are imported at the top of the file (by name at run time only in "
            "desktop/cli and desktop/window/deferred.py)") in found
    assert any(f == "ui/view.py" and m == "<by name>" for f, m, _ in found)
    assert any(r == "import circle" for _, _, r in found)   # deferred -> setup -> deferred
    assert not any(f == "desktop/window/deferred.py" and m == "<by name>" for f, m, _ in found)
