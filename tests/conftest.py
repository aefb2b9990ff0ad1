"""Shared fixtures. Tests use real parts: real SQLite files in temporary folders, real
files, real Qt widgets offscreen."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if not os.environ.get("XDG_RUNTIME_DIR"):
    _runtime = Path(tempfile.gettempdir()) / f"xdg-runtime-{os.getuid() if hasattr(os, 'getuid') else 0}"
    _runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = str(_runtime)

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _user_config(tmp_path_factory, monkeypatch):
    """Each test gets its own per-user settings folder (recent archives, crash logs)."""
    cfg = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("EVIDENCE_DESK_CONFIG_DIR", str(cfg))
    monkeypatch.delenv("EVIDENCE_DESK_ARCHIVE", raising=False)
    return cfg


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only(reason): about SQLite itself; skipped on the PostgreSQL pass (pg_helpers)")
    config.addinivalue_line(
        "markers", "backends: storage behaviour that must hold on both back ends; scripts/test.sh runs "
                   "these again with every archive on PostgreSQL (-m backends)")


@pytest.fixture(autouse=True)
def _backend(request, monkeypatch):
    """EVIDENCE_DESK_TEST_BACKEND=postgresql: each test's archives in fresh PostgreSQL
    databases (tests/pg_helpers.py)."""
    from pg_helpers import backend_fixture

    yield from backend_fixture(request, monkeypatch)


@pytest.fixture
def archive(tmp_path):
    """A new, empty archive in a temporary folder (closed at the end of the test)."""
    from storage.core.archive import Archive

    a = Archive.create(tmp_path / "archive")
    yield a
    a.close()


@pytest.fixture
def demo_archive(tmp_path):
    from desktop.actions.demo import create_demo_archive

    a = create_demo_archive(tmp_path / "demo")
    yield a
    a.close()


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, user: str | None = None):
    """Run `python -m desktop.cli ARGS` in a subprocess; returns CompletedProcess (text)."""
    import subprocess

    cmd = [sys.executable, "-m", "desktop", *args]
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(ROOT)
    if env:
        full_env.update(env)
    from pg_helpers import cli_env

    full_env.update(cli_env(args))
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd or ROOT, env=full_env, timeout=300)
