"""The watcher live, with real watchdog observers (native inotify and polling) on temporary
folders. Every service is stopped and its observers joined at the end of each test (inotify
instances are a per-user limit shared by every test run on the machine)."""
from __future__ import annotations

import os
import shutil
import threading
import time

import pytest
from sqlalchemy import select
from watch_helpers import add_folder, count, entries, sha, wait_for

from storage.models import Evidence, EvidenceFile, InboxEntry, ScanEntry
from storage.watch.service import WatchService

MODES = ["native", "polling"]


@pytest.fixture
def live(archive):
    started: list[WatchService] = []

    def make(**kw):
        kw.setdefault("supervise_seconds", 0.3)
        kw.setdefault("rescan_seconds", 3600.0)  # events must do the work; rescans are the net
        svc = WatchService(archive, **kw)
        started.append(svc)
        svc.start()
        return svc

    yield make
    for svc in started:
        svc.stop()
    assert all(t.name != "evidence-desk-watcher" for t in threading.enumerate())


def _folder(archive, tmp_path, mode, name="share", dept="县工信局", settle=1.0):
    poll = 0.3 if mode == "polling" else 0
    return add_folder(archive, tmp_path / name, dept, polling_seconds=poll, settle_seconds=settle)


@pytest.mark.parametrize("mode", MODES)
def test_slow_writer_is_taken_once_complete(archive, tmp_path, live, mode):
    info = _folder(archive, tmp_path, mode)
    svc = live()
    assert wait_for(lambda: svc.folder_statuses() and svc.folder_statuses()[0].mode == mode, 5)
    target = tmp_path / "share" / "大文件.pdf"
    finished = {}

    def writer():
        with open(target, "wb") as f:
            for i in range(11):  # 5 s of chunks, 0.5 s apart (settle time is 1 s)
                f.write(os.urandom(64 * 1024))
                f.flush()
                if i < 10:
                    time.sleep(0.5)
        finished["at"] = time.monotonic()

    t = threading.Thread(target=writer)
    t.start()
    t.join()
    got = wait_for(lambda: entries(archive), 10)
    assert svc.wait_idle(10)
    [e] = entries(archive, state=None)
    assert e.size == target.stat().st_size == 11 * 64 * 1024
    with archive.sessions.read() as s:
        from storage.models import Blob

        blob = s.get(Blob, s.get(InboxEntry, e.id).blob_id)
        assert blob.sha256 == sha(target)
    assert got and count(archive, EvidenceFile) == 1
    assert info.path == str(tmp_path / "share")


@pytest.mark.parametrize("mode", MODES)
def test_office_temp_and_rename_save_is_a_new_revision(archive, tmp_path, live, mode):
    _folder(archive, tmp_path, mode, settle=0.5)
    root = tmp_path / "share"
    doc = root / "自评报告.docx"
    doc.write_bytes(b"first save" * 50)
    svc = live()
    assert wait_for(lambda: entries(archive), 10)
    # Word's save: write a temp file, move the original aside, rename the temp over it
    (root / "~$自评报告.docx").write_bytes(b"owner lock")
    tmp = root / "~WRD0001.tmp"
    tmp.write_bytes(b"second save, longer" * 50)
    os.rename(doc, root / "~WRL0001.tmp")
    os.rename(tmp, doc)
    (root / "~WRL0001.tmp").unlink()
    (root / "~$自评报告.docx").unlink()
    assert wait_for(lambda: count(archive, EvidenceFile) == 2, 10)
    assert svc.wait_idle(10)
    assert count(archive, Evidence) == 1
    with archive.sessions.read() as s:
        files = s.scalars(select(EvidenceFile).order_by(EvidenceFile.revision)).all()
        assert [(f.revision, f.is_current) for f in files] == [(1, False), (2, True)]
        assert files[1].replaces_id == files[0].id
    names = {e.name for e in entries(archive, state=None)}
    assert names == {"自评报告.docx"}  # lock and temp files never became entries


@pytest.mark.parametrize("mode", MODES)
def test_burst_of_2000_files_arrives_exactly_once(archive, tmp_path, live, mode):
    _folder(archive, tmp_path, mode, settle=0.5)
    root = tmp_path / "share"
    svc = live()
    assert wait_for(lambda: svc.folder_statuses(), 5)
    t0 = time.monotonic()
    for i in range(2000):
        sub = root / f"批次{i // 200:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"材料{i:04d}.txt").write_bytes(f"evidence {i}".encode())
    # generous bound (the suite runs two test processes side by side on a 2-core machine;
    # benchmarks/watch_burst.py measures the speed): what this test asserts is "every file,
    # exactly once"
    assert wait_for(lambda: count(archive, InboxEntry) >= 2000, 180, step=0.5)
    assert svc.wait_idle(30)
    elapsed = time.monotonic() - t0
    es = entries(archive, state=None)
    assert len(es) == 2000 and len({e.source_path for e in es}) == 2000
    assert count(archive, ScanEntry) == 2000 and count(archive, Evidence) == 2000
    assert elapsed < 210  # a runaway bound only (see above)


def test_folder_removed_and_recreated_while_watched(archive, tmp_path, live):
    _folder(archive, tmp_path, "native", settle=0.3)
    root = tmp_path / "share"
    statuses = []
    svc = live(on_folder=statuses.append)
    (root / "a.txt").write_text("a")
    assert wait_for(lambda: len(entries(archive)) == 1, 10)
    shutil.rmtree(root)  # watchdog's inotify emitter stops silently here
    assert wait_for(lambda: statuses and not statuses[-1].online, 5)
    root.mkdir()
    assert wait_for(lambda: statuses[-1].online, 5)
    (root / "b.txt").write_text("b")  # only events can find it: the rescan is an hour away
    assert wait_for(lambda: len(entries(archive)) == 2, 10)
    # removed and recreated between two checks: the new folder is a new inode
    shutil.rmtree(root)
    root.mkdir()
    time.sleep(1.0)
    (root / "c.txt").write_text("c")
    assert wait_for(lambda: len(entries(archive)) == 3, 10)
    assert svc.stats.reschedules >= 2
    assert svc.wait_idle(5)
    assert sorted(e.name for e in entries(archive)) == ["a.txt", "b.txt", "c.txt"]


def test_missed_events_cost_latency_not_files(archive, tmp_path, live):
    _folder(archive, tmp_path, "native", settle=0.3)
    svc = live(rescan_seconds=1.0)
    svc._handler.dispatch = lambda event: None  # every event dropped (buffer overflow)
    (tmp_path / "share" / "漏掉的.docx").write_bytes(b"missed event")
    assert wait_for(lambda: entries(archive), 10)


def test_files_added_while_stopped_are_found_on_next_start(archive, tmp_path, live):
    _folder(archive, tmp_path, "native", settle=0.3)
    root = tmp_path / "share"
    first = live()
    (root / "before.txt").write_text("1")
    assert wait_for(lambda: entries(archive), 10)
    first.stop()
    (root / "while-closed.txt").write_text("2")
    (root / "before.txt").unlink()
    second = live()
    assert wait_for(lambda: len(entries(archive)) == 2, 10)
    assert second.wait_idle(5)
    with archive.sessions.read() as s:
        assert s.scalars(select(ScanEntry.relpath)).all() == ["while-closed.txt"]
