"""`evidence-desk --self-test` from source: every step runs for real and passes, the temporary
folder is gone afterwards, the user's settings are not touched, and a broken installation
(resources missing) is reported with ✗, the dependent steps not run, and exit code 1.
(The built program's self-test: tests/test_build.py, scripts/build.sh.)"""
from __future__ import annotations

import json
from pathlib import Path

from desktop import main as entry
from desktop import selftest
from desktop.version import VERSION
from tests.conftest import run_cli

STEP_KEYS = ["create", "import", "ingest", "verify", "export", "bundle_verify", "window", "pdf"]


def test_every_step_passes_in_process(qapp, _user_config):
    lines: list[str] = []
    report = selftest.run_self_test(lines.append)

    assert report.ok, lines
    assert [s.key for s in report.steps] == STEP_KEYS
    assert all(s.ok is True for s in report.steps)
    assert report.version == VERSION and report.frozen is False
    # one ✓ line per step, a header and the verdict
    assert sum(1 for line in lines if line.startswith(selftest.OK_MARK)) == len(STEP_KEYS)
    assert lines[0].startswith(f"Evidence Desk {VERSION}")
    assert lines[-1] == "自检通过 (self-test passed)"
    steps = {s.key: s for s in report.steps}
    assert "28 项指标" in steps["import"].detail and "9 项任务" in steps["import"].detail
    assert steps["ingest"].detail.endswith("→ 1.1.1")
    # the archive lived in a folder with Chinese characters and a space, now removed
    archive_root = Path(steps["create"].detail)
    assert archive_root.name == selftest.FOLDER_NAME
    assert not archive_root.parent.exists()
    # nothing remembered in the user's settings
    assert not any(_user_config.iterdir())


def test_cli_self_test_json_exits_0():
    proc = run_cli("--self-test", "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["ok"] is True and data["version"] == VERSION and data["frozen"] is False
    assert [s["key"] for s in data["steps"]] == STEP_KEYS
    assert all(s["ok"] is True and s["seconds"] >= 0 for s in data["steps"])


def test_cli_self_test_text_prints_ticks():
    proc = run_cli("--self-test")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ticks = [line for line in proc.stdout.splitlines() if line.startswith("✓ ")]
    assert len(ticks) == len(STEP_KEYS)
    assert "✗" not in proc.stdout
    assert proc.stdout.rstrip().endswith("自检通过 (self-test passed)")


def test_missing_resources_fail_with_a_cross_and_exit_1(tmp_path, monkeypatch, capsys, qapp):
    import resources

    monkeypatch.setattr(resources, "ROOT", tmp_path / "no-resources")  # a broken install
    rc = entry.main(["--self-test"])
    out = capsys.readouterr().out
    assert rc == 1
    lines = out.splitlines()
    assert lines[1].startswith("✓ 创建档案库")
    assert lines[2].startswith("✗ 导入示例指标体系") and "示例_指标体系.xlsx" in lines[2]
    not_run = [line for line in lines if line.startswith(selftest.SKIP_MARK)]
    assert len(not_run) == len(STEP_KEYS) - 2
    assert lines[-1] == "自检未通过 (self-test FAILED)"


def test_version_flag(capsys):
    assert entry.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"evidence-desk {VERSION}"
    assert entry.main(["--version", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"version": VERSION}


def test_pyproject_reads_the_version_from_the_one_constant():
    import tomllib

    root = Path(__file__).resolve().parents[1]
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in data["project"]["dynamic"] and "version" not in data["project"]
    assert data["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "desktop.version.VERSION"}
    assert VERSION.count(".") == 2 and all(p.isdigit() for p in VERSION.split("."))


def test_version_needs_no_archive_and_no_qt(tmp_path):
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    code = ("import sys; from desktop.main import main; rc = main(['--version']); "
            "print('qt' if 'PySide6.QtWidgets' in sys.modules else 'no-qt'); sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(root)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["evidence-desk", VERSION, "no-qt"]


def test_gbk_console_gets_marks_it_can_show(tmp_path):
    """A Chinese Windows console or redirected output in cp936 has no ✓/✗: √/× instead,
    never "?" in their place."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONIOENCODING": "gbk",
           "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-m", "desktop", "--self-test"], cwd=tmp_path,
                          capture_output=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode("gbk", "replace")
    out = proc.stdout.decode("gbk")
    lines = out.splitlines()
    assert sum(1 for line in lines if line.startswith("√ ")) == len(STEP_KEYS)
    assert "?" not in "".join(line[:2] for line in lines)
    assert "自检通过" in out
    assert selftest.marks_for(type("S", (), {"encoding": "cp936"})()) == selftest.GBK_MARKS
    assert selftest.marks_for(type("S", (), {"encoding": "utf-8"})())[0] == "✓"
