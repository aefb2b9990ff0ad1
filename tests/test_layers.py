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
    root = _tree(tmp_path, {"storage/m.py": "from .models import Evidence\nimport desktop.cli\n"})
    assert [v.module for v in check(root)] == ["desktop.cli"]


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
