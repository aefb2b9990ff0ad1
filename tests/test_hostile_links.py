"""Symbolic links inside an ingested or watched folder are never followed (issue 18 item 3): a
link to a file outside (here a stand-in for /etc/shadow) must not put its content in the
archive, from where it would go into the bundle."""
from __future__ import annotations

import os
import time

from conftest import run_cli
from sqlalchemy import func, select
from watch_helpers import add_folder

from storage.models import Blob
from storage.watch.service import WatchService

SECRET = b"root:$6$secret-hash:19000:0:99999:7:::\n"


def _share_with_a_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shadow").write_bytes(SECRET)
    share = tmp_path / "share"
    share.mkdir()
    (share / "通知.txt").write_text("关于开展质量月活动的通知", encoding="utf-8")
    os.symlink(outside / "shadow", share / "看起来像材料.txt")
    return share


def _stored(archive) -> set[bytes]:
    with archive.sessions.read() as s:
        return {archive.files.path_for(sha).read_bytes() for sha in s.scalars(select(Blob.sha256))}


def test_ingest_reports_a_link_and_never_reads_through_it(archive, tmp_path):
    share = _share_with_a_link(tmp_path)
    archive.close()
    r = run_cli("ingest", str(share), "--archive", str(archive.root))
    assert r.returncode == 1, r.stderr   # done, with something the clerk should look at
    assert "符号链接" in r.stdout and "看起来像材料.txt" in r.stdout
    from storage.core.archive import Archive

    with Archive.open(archive.root) as a:
        contents = _stored(a)
    assert SECRET not in contents and len(contents) == 1


def test_the_watcher_never_takes_a_link(archive, tmp_path):
    share = _share_with_a_link(tmp_path)
    add_folder(archive, share, settle_seconds=0)
    WatchService(archive, observers=False).run_once(max_wait=10)
    assert SECRET not in _stored(archive)
    with archive.sessions.read() as s:
        assert s.scalar(select(func.count(Blob.id))) == 1


def test_a_live_watcher_reports_links_and_fifos_in_the_inbox(archive, tmp_path):
    """Issue 18 item 3: a live watcher (real inotify observer) shows a link made while it runs
    and a FIFO as skipped inbox entries with their reason, never reads either (the link's
    secret stays out of the archive, the FIFO never blocks it), and the entries cannot be
    accepted; the good file beside them is taken."""
    import pytest
    from watch_helpers import entries, wait_for

    from storage.kernel.errors import BadInput
    from storage.watch.inbox import accept

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shadow").write_bytes(SECRET)
    share = tmp_path / "share"
    add_folder(archive, share, settle_seconds=0.3)
    seen = []
    svc = WatchService(archive, supervise_seconds=0.3, rescan_seconds=3600.0,
                       on_entries=lambda items: seen.extend(items))
    svc.start()
    try:
        assert wait_for(lambda: svc.folder_statuses() and svc.folder_statuses()[0].online, 5)
        time.sleep(0.5)
        os.symlink(outside / "shadow", share / "看起来像材料.txt")  # seen through an event
        os.mkfifo(share / "管道.docx")
        (share / "通知.txt").write_text("关于开展质量月活动的通知", encoding="utf-8")

        def skipped():
            return [e for e in entries(archive, "failed") if e.reason.startswith("已跳过")]

        assert wait_for(lambda: len(skipped()) == 2 and entries(archive, "pending"), 15)
    finally:
        svc.stop()
    by_name = {e.name: e for e in skipped()}
    assert "符号链接" in by_name["看起来像材料.txt"].reason
    assert "symbolic link" in by_name["看起来像材料.txt"].reason
    assert "命名管道" in by_name["管道.docx"].reason
    assert [e.name for e in entries(archive, "pending")] == ["通知.txt"]
    assert {i.name for i in seen} >= {"看起来像材料.txt", "管道.docx", "通知.txt"}
    assert SECRET not in _stored(archive)
    with archive.sessions.write() as s, pytest.raises(BadInput):
        accept(s, [by_name["看起来像材料.txt"].id])
    # a rescan finds them again: still one entry each, nothing read
    WatchService(archive, observers=False).run_once(max_wait=5)
    assert len(skipped()) == 2 and SECRET not in _stored(archive)


def test_a_file_swapped_for_a_link_after_the_walk_is_refused_by_the_store(tmp_path):
    """The walk looked at a plain file; by the time it is copied it is a link to a secret.
    The store, told the file was found by walking, refuses it instead of reading through it;
    a file the clerk named is still read as named."""
    import errno

    import pytest

    from storage.core.filestore import FileStore

    share = _share_with_a_link(tmp_path)
    swapped = share / "通知.txt"
    swapped.unlink()
    os.symlink(tmp_path / "outside" / "shadow", swapped)
    store = FileStore(tmp_path / "files")
    with pytest.raises(OSError) as e:
        store.store(swapped, follow_links=False)
    assert e.value.errno == errno.ELOOP and "符号链接" in str(e.value)
    assert not any(p.is_file() and p.read_bytes() == SECRET for p in (tmp_path / "files").rglob("*"))
    assert store.store(swapped).size == len(SECRET)       # named by the clerk: followed


def test_a_link_to_a_file_in_the_same_folder_names_that_file_and_is_not_needed(archive, tmp_path):
    """A link that points inside the same folder (a department's 最新版 → 2024/台账.xlsx) is
    not followed either, and needs no following: the file it points to is taken itself. The
    clerk is told which file that is, ingest does not flag it for attention (exit 0), and
    the watcher's skipped entry names it; the content is stored once."""
    from watch_helpers import entries

    share = tmp_path / "share"
    (share / "2024").mkdir(parents=True)
    (share / "2024" / "台账.xlsx").write_bytes(b"ledger bytes, not a real sheet")
    os.symlink(share / "2024" / "台账.xlsx", share / "最新版台账.xlsx")
    r = run_cli("ingest", str(share), "--archive", str(archive.root))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "指向本文件夹内的 2024/台账.xlsx" in r.stdout
    with archive.sessions.read() as s:
        assert s.scalar(select(func.count(Blob.id))) == 1

    add_folder(archive, share, settle_seconds=0)
    WatchService(archive, observers=False).run_once(max_wait=10)
    skipped = [e for e in entries(archive, state=None) if e.reason.startswith("已跳过")]
    assert [e.name for e in skipped] == ["最新版台账.xlsx"]
    assert "指向本文件夹内的 2024/台账.xlsx" in skipped[0].reason
    with archive.sessions.read() as s:
        assert s.scalar(select(func.count(Blob.id))) == 1
