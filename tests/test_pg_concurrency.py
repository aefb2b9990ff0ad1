"""Two seats at once (issue 9), with real processes, on both back ends: the second writer
of the same evidence is told and nothing is lost; two processes storing the same file at
once store it once; one seat at a time runs the folder watcher."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT
from pg_helpers import SERVER, fresh_url, password, requires_pg
from sqlalchemy import func, select

BACKENDS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.skipif(not SERVER, reason="no PostgreSQL test server")),
]


@pytest.fixture(params=BACKENDS)
def shared(request, tmp_path, monkeypatch):
    """An archive on the given back end, with one evidence item (version 1)."""
    from storage.core.archive import Archive

    monkeypatch.setenv("PGPASSWORD", password()) if SERVER else None
    url = fresh_url() if request.param == "postgresql" else None
    a = Archive.create(tmp_path / "archive", db_url=url)
    src = tmp_path / "src"
    src.mkdir()
    (src / "县质量工作会议纪要.txt").write_text("会议纪要 台账", encoding="utf-8")
    from storage.catalogue.ingest import ingest_paths

    rep = ingest_paths(a, [src])
    a.evidence_id = rep.items[0].evidence_id
    yield a
    a.close()


def _env() -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if SERVER:
        env["PGPASSWORD"] = password()
    return env


def _spawn(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())


def _wait_file(path: Path, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {path.name}")
        time.sleep(0.02)


WRITER_A = """
import pathlib, sys, time
from storage.core.archive import Archive
from storage.catalogue.items import update_evidence_metadata
root, eid, sig = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3])
a = Archive.open(root, daily_backup=False)
with a.sessions.write() as s:
    update_evidence_metadata(s, eid, expected_version=1, title="甲的标题", notes="甲核对过")
    (sig / "a_flushed").touch()  # the change is written, not yet committed
    end = time.monotonic() + 60
    while not (sig / "b_ready").exists() and time.monotonic() < end:
        time.sleep(0.02)
    time.sleep(0.7)  # B is now trying to write the same row
print("A saved")
a.close()
"""

WRITER_B = """
import pathlib, sys
from storage.core.archive import Archive
from storage.kernel.errors import ArchiveError
from storage.catalogue.items import evidence_detail, update_evidence_metadata
root, eid, sig = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3])
a = Archive.open(root, daily_backup=False)
with a.sessions.read() as s:
    version = evidence_detail(s, eid).version  # what B's form was loaded with
print("B loaded version", version)
(sig / "b_ready").touch()
try:
    with a.sessions.write() as s:
        update_evidence_metadata(s, eid, expected_version=version, title="乙的标题")
except ArchiveError as e:
    print(f"错误：{e.zh} (error: {e.en})", file=sys.stderr)
    sys.exit(2)
print("B saved")
"""


def test_second_writer_of_the_same_evidence_is_told_and_nothing_is_lost(shared, tmp_path):
    from storage.catalogue.items import evidence_detail, update_evidence_metadata
    from storage.durability.auditlog import read_log

    sig = tmp_path / "sig"
    sig.mkdir()
    eid = shared.evidence_id
    a = _spawn(WRITER_A, shared.root, eid, sig)
    _wait_file(sig / "a_flushed")
    b = _spawn(WRITER_B, shared.root, eid, sig)
    out_a, err_a = a.communicate(timeout=120)
    out_b, err_b = b.communicate(timeout=120)
    assert a.returncode == 0, err_a
    assert "B loaded version 1" in out_b  # B read before A committed
    assert b.returncode == 2, (out_b, err_b)
    # One clear line, Chinese then English, telling B its change was not saved.
    line = err_b.strip().splitlines()[-1]
    assert line.startswith("错误：") and "(error: " in line
    assert ("其他" in line) and ("changed" in line)
    with shared.sessions.read() as s:
        d = evidence_detail(s, eid)
    assert (d.title, d.notes, d.version) == ("甲的标题", "甲核对过", 2)  # A's edit whole
    # B reloads and edits again: both changes are in, and the log has both.
    with shared.sessions.write() as s:
        d = update_evidence_metadata(s, eid, expected_version=d.version, title="乙的标题")
    assert (d.title, d.notes, d.version) == ("乙的标题", "甲核对过", 3)
    log = [r for r in read_log(shared, entity="evidence") if r.action == "update"]
    assert len(log) == 2


def test_stale_orm_write_becomes_a_clear_error(shared):
    """The version check itself (not only the expected_version compare): a row changed
    after this session read it raises ConcurrentEdit, in Chinese and English."""
    from storage.core.db import ConcurrentEdit
    from storage.models import Evidence

    eid = shared.evidence_id
    # Load the row in one session, change it from another, then write the first.
    reader = shared.sessions._write()
    e = reader.get(Evidence, eid)
    reader.commit()  # ends the transaction; the object keeps version 1 (expire_on_commit off)
    with shared.sessions.write() as s:
        s.get(Evidence, eid).notes = "别人改过"
    with pytest.raises(ConcurrentEdit) as err:
        with shared.sessions.write() as s:
            obj = s.merge(e, load=False)
            obj.title = "过时的修改"
    reader.close()
    assert "其他人" in err.value.zh and "someone else" in err.value.en
    with shared.sessions.read() as s:
        row = s.get(Evidence, eid)
        assert (row.notes, row.version) == ("别人改过", 2) and row.title != "过时的修改"


STORE_ONE = """
import pathlib, sys, time
from storage.core.archive import Archive
from storage.catalogue.ingest import record_batch
root, src, sig = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
a = Archive.open(root, daily_backup=False)
stored = a.files.store(src)
a.files.sync()
s = a.sessions.new_write_session()
items = record_batch(s, [(stored, src, src.stat().st_mtime)], None, None)
s.flush()
(sig / "a_recorded").touch()  # blob and evidence rows written, not committed
end = time.monotonic() + 60
while not (sig / "b_started").exists() and time.monotonic() < end:
    time.sleep(0.02)
time.sleep(0.7)
s.commit()
s.close()
print(items[0].outcome, items[0].evidence_id)
"""

STORE_TWO = """
import pathlib, sys
from storage.core.archive import Archive
from storage.catalogue.ingest import ingest_paths
root, src, sig = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
a = Archive.open(root, daily_backup=False)
(sig / "b_started").touch()
rep = ingest_paths(a, [src])
print(rep.items[0].outcome, rep.items[0].evidence_id)
"""


def test_two_processes_storing_the_same_file_at_the_same_moment_store_it_once(shared, tmp_path):
    from storage.models import Blob, Evidence, EvidenceFile

    sig = tmp_path / "sig2"
    sig.mkdir()
    one, two = tmp_path / "dept1" / "培训签到表.txt", tmp_path / "dept2" / "签到表副本.txt"
    for p in (one, two):
        p.parent.mkdir()
        p.write_text("同一份培训签到表", encoding="utf-8")
    a = _spawn(STORE_ONE, shared.root, one, sig)
    _wait_file(sig / "a_recorded")
    b = _spawn(STORE_TWO, shared.root, two, sig)
    out_a, err_a = a.communicate(timeout=120)
    out_b, err_b = b.communicate(timeout=120)
    assert a.returncode == 0 and b.returncode == 0, (err_a, err_b)
    outcome_a, eid_a = out_a.split()
    outcome_b, eid_b = out_b.split()
    assert (outcome_a, outcome_b) == ("stored", "duplicate") and eid_a == eid_b
    with shared.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 2  # this one and the fixture's
        assert s.scalar(select(func.count()).select_from(Evidence)) == 2
        assert s.scalar(select(func.count()).select_from(EvidenceFile)) == 2
    assert sum(1 for _ in shared.files.iter_stored()) == 2
    assert not shared.files.staging_leftovers()


INGEST_ALL = """
import pathlib, sys, time
from storage.core.archive import Archive
from storage.catalogue.ingest import ingest_paths
root, src, go = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
a = Archive.open(root, daily_backup=False)
while not go.exists():
    time.sleep(0.01)
rep = ingest_paths(a, [src])
print(rep.count("stored"), rep.count("duplicate"), rep.count("failed"))
"""


def test_two_processes_ingesting_the_same_folder_at_once_store_each_file_once(shared, tmp_path):
    from storage.durability.verify import verify_archive
    from storage.models import Blob, Evidence

    src = tmp_path / "same"
    src.mkdir()
    for i in range(150):
        (src / f"材料{i:03d}.txt").write_text(f"第 {i} 份材料 " * (i % 7 + 1), encoding="utf-8")
    go = tmp_path / "go"
    procs = [_spawn(INGEST_ALL, shared.root, src, go) for _ in range(2)]
    time.sleep(1.0)
    go.touch()
    outs = [p.communicate(timeout=240) for p in procs]
    for p, (_out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    counts = [tuple(map(int, out.split())) for out, _ in outs]
    assert sum(c[0] for c in counts) == 150  # each file stored by exactly one of them
    assert sum(c[1] for c in counts) == 150  # and reported a duplicate by the other
    assert all(c[2] == 0 for c in counts)
    with shared.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 151
        assert s.scalar(select(func.count()).select_from(Evidence)) == 151
    assert sum(1 for _ in shared.files.iter_stored()) == 151
    assert verify_archive(shared).ok


@requires_pg
def test_one_seat_at_a_time_runs_the_watcher_and_the_others_see_who(tmp_path, monkeypatch):
    from storage.core.archive import Archive
    from storage.kernel.errors import ArchiveLocked
    from storage.watch.folders import add_folder
    from storage.watch.service import WatchService

    monkeypatch.setenv("PGPASSWORD", password())
    archive = Archive.create(tmp_path / "archive", db_url=fresh_url())
    drop = tmp_path / "drop"
    drop.mkdir()
    with archive.sessions.write() as s:
        add_folder(s, str(drop), settle_seconds=0.2)
    # Seat 1: `evidence-desk watch` in its own process.
    seat1 = subprocess.Popen(
        [sys.executable, "-m", "desktop", "watch", "--archive", str(archive.root)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    try:
        lock = archive.watcher_lock()
        end = time.monotonic() + 60
        while lock.holder() is None and time.monotonic() < end:
            time.sleep(0.1)
        holder = lock.holder()
        assert holder is not None and f"pid {seat1.pid}" in str(holder)
        # Seat 2: a one-off scan is refused, naming the holder …
        with pytest.raises(ArchiveLocked) as e:
            WatchService(archive, observers=False).run_once(max_wait=1)
        assert "文件夹监视已由" in e.value.zh and f"pid {seat1.pid}" in e.value.en
        # … and a live watcher stands by, says who watches, and takes over when seat 1 stops.
        errors: list[str] = []
        svc = WatchService(archive, observers=False, on_error=errors.append, rescan_seconds=0.5)
        svc.lock_retry_seconds = 0.3
        svc.start()
        try:
            time.sleep(1.0)
            assert not svc.watching and f"pid {seat1.pid}" in svc.lock_holder
            assert any("本机待命" in m for m in errors)
            seat1.send_signal(signal.SIGINT)
            seat1.wait(60)
            end = time.monotonic() + 30
            while not svc.watching and time.monotonic() < end:
                time.sleep(0.1)
            assert svc.watching and svc.lock_holder == ""
            assert f"pid {os.getpid()}" in str(lock.holder())
            (drop / "新文件.txt").write_text("新到的材料", encoding="utf-8")
            svc.reload()
            from storage.models import InboxEntry

            end = time.monotonic() + 30
            n = 0
            while time.monotonic() < end and not n:
                with archive.sessions.read() as s:
                    n = s.scalar(select(func.count()).select_from(InboxEntry))
                time.sleep(0.2)
            assert n == 1  # the new seat really watches
        finally:
            svc.stop()
        assert lock.holder() is None  # released with the service
    finally:
        if seat1.poll() is None:
            seat1.kill()
            seat1.wait()
        seat1.stdout.close()   # the pipes too: left open they leak into a later test
        seat1.stderr.close()
        archive.close()
