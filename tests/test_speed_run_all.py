"""benchmarks/run_all.py at its tiny scale (issue 19): every section runs, baseline and
subject interleaved, and the table is written with the machine, date, command, figures,
ratios and load average; its temporary folders are removed."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import ROOT


def test_run_all_quick_writes_the_table(tmp_path):
    before = set(Path(tempfile.gettempdir()).glob("ed-bench-all-*"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--quick", "--out", str(tmp_path)],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    result = json.loads((tmp_path / "quick.json").read_text(encoding="utf-8"))
    sections = {f["section"] for f in result["figures"]}
    assert sections == {"status", "window", "views", "documents", "ingest", "bundle", "importers", "watch"}
    for f in result["figures"]:
        assert f["value"] > 0 and f["load"] >= 0, f
        if f["baseline"]:
            assert f["ratio"] is not None and f["rounds"] >= 1, f
    doc = (tmp_path / "performance.md").read_text(encoding="utf-8")
    assert "run_all:begin" in doc and "machine:" in doc and "command:" in doc and "load" in doc
    assert "| status | `status --json` whole process |" in doc
    assert "durable plain copy" in doc and "copy + SHA-256 + fsync" in doc
    assert set(Path(tempfile.gettempdir()).glob("ed-bench-all-*")) == before, "temp folders left behind"
