"""The command line over the watcher: folders, watch --once, inbox, search."""
from __future__ import annotations

import json

import pytest
from conftest import run_cli

pytestmark = pytest.mark.backends


def test_cli_folders_watch_once_inbox_and_search(tmp_path):
    arch = str(tmp_path / "a")
    share = tmp_path / "共享" / "工信"
    share.mkdir(parents=True)
    assert run_cli("init", "--archive", arch).returncode == 0
    r = run_cli("folders", "add", str(share), "--department", "县工信局", "--settle", "0.2", "--archive", arch)
    assert r.returncode == 0, r.stderr
    assert "县工信局" in r.stdout and "系统事件" in r.stdout
    r = run_cli("folders", "add", str(tmp_path), "--archive", arch)  # holds the archive itself
    assert r.returncode == 2 and "错误" in r.stderr
    (share / "计量台账 沂市监字〔2023〕5号.txt").write_text("计量器具台账", encoding="utf-8")
    (share / "~$锁.docx").write_bytes(b"x")
    r = run_cli("watch", "--once", "--archive", arch, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["taken"] == 1
    r = run_cli("inbox", "list", "--archive", arch, "--json")
    [entry] = json.loads(r.stdout)["entries"]
    assert entry["suggestion"]["department"] == "县工信局"
    assert entry["suggestion"]["doc_number"] == "沂市监字〔2023〕5号"
    r = run_cli("inbox", "list", "--archive", arch)
    assert "文件夹：县工信局" in r.stdout and "文号 沂市监字〔2023〕5号 → 县市场监管局" in r.stdout
    r = run_cli("search", "台账", "--archive", arch, "--json")
    assert [h["evidence_id"] for h in json.loads(r.stdout)["hits"]] == [entry["evidence_id"]]
    r = run_cli("inbox", "accept", str(entry["id"]), "--archive", arch)
    assert r.returncode == 0, r.stderr
    r = run_cli("inbox", "ignore", "999", "--archive", arch)
    assert r.returncode == 2 and "找不到收件" in r.stderr
    r = run_cli("folders", "remove", str(share), "--archive", arch)
    assert r.returncode == 0 and (share / "~$锁.docx").exists()
    r = run_cli("folders", "list", "--archive", arch, "--json")
    assert json.loads(r.stdout)["folders"] == []
