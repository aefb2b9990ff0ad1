"""The hostile corpus (tests/hostile_corpus.py, issue 18 item 6) against the real command line.

Each case: its exit code and a phrase of its message; never exit 3 (a crash log), never a
traceback; `verify` clean afterwards (for a damaged archive: the database file left exactly
as it was, never taken for a new one); nothing outside a folder (a link's target, an
external entity's file) ever reaches the store; no case over 30 s. Cases run in process
through desktop.cli.main, except the bombs ("bounded"), which run as their own process so
that the peak memory of the command and of its reader workers can be measured: each must
stay under 500 MB (RUSAGE_SELF and RUSAGE_CHILDREN of that process, as
benchmarks/hostile_reading.py measures). Run with `-n 2` in CI.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from durability_helpers import mounted, python_env
from hostile_corpus import CASES, Case

ROOT = Path(__file__).resolve().parents[1]
MAX_SECONDS = 30.0
MAX_PEAK_MB = 500.0

# Runs one command line as its own process and writes its peak memory to the file named by
# EVIDENCE_DESK_PEAK_FILE: the command's own high-water mark (VmHWM: ru_maxrss would carry
# the forking test process's size across exec) and its reader workers' (RUSAGE_CHILDREN,
# forked from the command, so an upper bound).
_WRAPPER = """
import json, os, resource, sys
from desktop.cli import main
rc = main(sys.argv[1:])
try:
    from storage.reading import pool
    if pool._shared is not None:
        pool._shared.close()
except Exception:
    pass
hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM:")]
peak = {"self": int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
with open(os.environ["EVIDENCE_DESK_PEAK_FILE"], "w") as f:
    json.dump(peak, f)
sys.stdout.flush()
os._exit(rc)
"""


def _in_process(argv: list[str], cwd: Path | None) -> tuple[int, str]:
    from desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main(argv)
            except SystemExit as e:   # argparse's --help; never expected here
                rc = int(e.code or 0)
    finally:
        os.chdir(old)
    return rc, out.getvalue() + err.getvalue()


def _subprocess(argv: list[str], cwd: Path | None, peak_file: Path) -> tuple[int, str, dict]:
    env = {**python_env(), "EVIDENCE_DESK_PEAK_FILE": str(peak_file)}
    r = subprocess.run([sys.executable, "-c", _WRAPPER, *argv], capture_output=True, text=True,
                       cwd=cwd or ROOT, env=env, timeout=120)
    peak = json.loads(peak_file.read_text()) if peak_file.exists() else {}
    return r.returncode, r.stdout + r.stderr, peak


_archives: dict[str, Path] = {}


def _archive(case: Case, tmp_path_factory, tmp: Path) -> tuple[Path, contextlib.ExitStack]:
    """The archive a case runs against (see Case.archive)."""
    stack = contextlib.ExitStack()
    if case.archive == "shared" and case.klass in _archives:
        return _archives[case.klass], stack
    if case.archive == "absent":   # restore: a new folder, which must stay without an archive
        return tmp_path_factory.mktemp("restore-target") / "archive", stack
    if case.archive == "tmpfs":
        mnt = tmp / "small"
        why = stack.enter_context(mounted("tmpfs", mnt, size="2m"))
        if why:
            stack.close()
            pytest.skip(f"cannot mount a small tmpfs here: {why}")
        root = mnt / "archive"
    else:
        root = tmp_path_factory.mktemp(f"archive-{case.klass}") / "archive"
    rc, text = _in_process(["init", "--archive", str(root)], None)
    assert rc == 0, text
    rc, text = _in_process(["status", "--archive", str(root)], None)   # makes the daily backup
    assert rc == 0, text
    db = root / "archive.sqlite3"
    if case.archive == "zero":
        db.write_bytes(b"")
    elif case.archive == "truncated":
        db.write_bytes(db.read_bytes()[:3000])
    elif case.archive == "noise":
        db.write_bytes(os.urandom(64 * 1024))
    if case.archive == "shared":
        _archives[case.klass] = root
    return root, stack


def _store_holds(root: Path, secret: bytes) -> bool:
    for dirpath, _dirs, files in os.walk(root / "files"):
        for name in files:
            p = Path(dirpath, name)
            if not p.is_symlink() and secret in p.read_bytes():
                return True
    return False


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_case(case: Case, tmp_path, tmp_path_factory, record_property):
    root, stack = _archive(case, tmp_path_factory, tmp_path)
    with stack:
        d = tmp_path / "case"
        argv = case.make(d)
        db = root / "archive.sqlite3"
        damaged = case.archive in ("zero", "truncated", "noise")
        before = db.read_bytes() if damaged else b""
        steps: list[list[str]] = [[]]
        for a in argv:
            if a == "&&":
                steps.append([])
            else:
                steps[-1].append(a)
        cwd = d if case.extra.get("cwd") else None
        text = ""
        rc = 0
        peak: dict = {}
        t = time.monotonic()
        for step in steps:
            cut = step.index("--") if "--" in step else len(step)   # options before a "--"
            full = [*step[:cut], "--archive", str(root), *step[cut:]]
            if case.bounded:   # the peak of the case is the highest of its steps
                rc, out, step_peak = _subprocess(full, cwd, tmp_path / "peak.json")
                peak = {k: max(v, peak.get(k, 0.0)) for k, v in step_peak.items()}
            else:
                rc, out = _in_process(full, cwd)
            text += out
            assert rc != 3, (case.id, step, out)
            if step is not steps[-1]:   # a step before the last: done, maybe with problems found
                assert rc in (0, 1), (case.id, step, out)
        took = time.monotonic() - t
        assert "Traceback" not in text, text
        assert rc == case.exit, (case.id, rc, text)
        assert case.phrase in text, (case.id, case.phrase, text)
        assert took < MAX_SECONDS, (case.id, took)
        if peak:
            worst = max(peak.values())
            record_property("peak_mb", round(worst))
            print(f"\n{case.id}: peak {peak['self']:.0f} MB (command), {peak['children']:.0f} MB (workers); "
                  f"{took:.1f} s")
            assert worst < MAX_PEAK_MB, (case.id, peak)
        if damaged:
            assert db.read_bytes() == before, "a damaged archive must be left exactly as it was"
        elif case.archive == "absent":
            assert not db.exists(), "a refused restore leaves no archive behind"
        else:
            vrc, vtext = _in_process(["verify", "--archive", str(root)], None)
            assert vrc == 0, (case.id, vtext)
        if case.not_in_archive:
            assert not _store_holds(root, case.not_in_archive), case.id


def test_the_corpus_covers_every_class():
    classes = {c.klass for c in CASES}
    assert len(CASES) >= 60
    assert classes >= {"corrupt", "renamed", "truncated", "oversized", "crafted", "names", "special", "empty",
                       "archive", "disk"}
    assert len({c.id for c in CASES}) == len(CASES)
