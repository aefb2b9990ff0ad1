"""Ingest's batched durability (issue 19: storage/core/filestore.py `StoreRun`,
storage/kernel/durable.py `FsSync`): on a local Linux file system a batch's copies are
staged unsynced, made durable by one syncfs, renamed to their hash names, the names made
durable by a second syncfs, and only then are the rows committed. Elsewhere each file is
stored and synced by itself, as before. Real files, a real archive and the real syncfs
throughout; a sync is only wrapped to watch the order, or made to fail."""
from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

import storage.catalogue.ingest as ingest_mod
from storage.catalogue.ingest import ingest_paths
from storage.core.filestore import FileStore, Staged, Stored
from storage.kernel import durable
from storage.kernel.errors import BadInput


def _sources(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"关于报送材料的通知〔2024〕{i:03d}号.pdf").write_bytes(b"%PDF-1.7\n" + bytes([i % 251]) * (700 + i))
    return folder


def _hash_named(store: FileStore) -> set[str]:
    return {sha for sha, _ in store.iter_stored()}


def _committed_files(archive) -> int:
    with sqlite3.connect(archive.db_path) as c:
        return int(c.execute("SELECT count(*) FROM evidence_file").fetchone()[0])


@pytest.fixture
def batched(archive):
    """Skip where this test folder's file system takes the per-file road."""
    if durable._SYNCFS is None or durable.fs_type(archive.files.root) not in durable._SYNCFS_TYPES:
        pytest.skip("no syncfs for this file system: the per-file road is tested elsewhere")
    return archive


def test_names_come_after_the_bytes_are_synced_and_rows_after_the_names(batched, tmp_path, monkeypatch):
    """Batch k is placed on its own thread while batch k+1 is copied and batch k-1's rows
    are written: whatever the interleaving, no name before its batch's first sync and no
    committed row for a file before its batch's second sync has returned."""
    archive = batched
    src = _sources(tmp_path / "来文", 23)
    monkeypatch.setattr(ingest_mod, "BATCH_ITEMS", 5)
    monkeypatch.setattr(ingest_mod, "BATCH_SECONDS", 1e9)   # batches by count alone, however slow
    events: list[tuple[int, int]] = []   # (files under hash names, rows committed) at each sync
    durable_names = [0]                  # names made durable by a returned second sync
    real_sync = durable.FsSync.sync

    def watched(self: durable.FsSync) -> None:
        names, rows = len(_hash_named(archive.files)), _committed_files(archive)
        assert rows <= durable_names[0]                       # no row ahead of its names' sync
        events.append((names, rows))
        real_sync(self)
        if len(events) % 2 == 0:
            durable_names[0] = names

    monkeypatch.setattr(durable.FsSync, "sync", watched)
    report = ingest_paths(archive, [src])
    assert report.count("stored") == 23
    assert len(events) == 2 * 5                       # batches of 5, 5, 5, 5, 3: two syncs each
    for n, ((names_before, _), (names_after, _)) in enumerate(zip(events[::2], events[1::2], strict=True)):
        assert names_before == 5 * n                      # no name before its bytes' sync
        assert names_after == 5 * n + (5 if n < 4 else 3)  # the batch renamed before the 2nd sync
    assert _committed_files(archive) == 23
    assert archive.files.staging_leftovers() == []


@pytest.mark.parametrize("failing", [1, 2], ids=["bytes-sync", "names-sync"])
def test_a_failed_sync_commits_no_row_and_leaves_no_file(batched, tmp_path, monkeypatch, failing):
    """A sync that fails (a write-back error: EIO) before or after the renames: the ingest
    stops with a message for the clerk, no row points at anything, and neither a staged copy
    nor a file under its hash name is left (the state a crash between rename and sync would
    leave on the disk is cleaned up on this road, and has no row on any road)."""
    archive = batched
    src = _sources(tmp_path / "来文", 9)
    calls = [0]
    real_sync = durable.FsSync.sync

    def failing_sync(self: durable.FsSync) -> None:
        calls[0] += 1
        if calls[0] == failing:
            raise OSError(errno.EIO, "Input/output error")
        real_sync(self)

    monkeypatch.setattr(durable.FsSync, "sync", failing_sync)
    with pytest.raises(BadInput) as got:
        ingest_paths(archive, [src])
    message = str(got.value)
    assert message.startswith("写入档案库所在磁盘失败") and "error" not in message.split("（")[0]
    assert "Traceback" not in message and "OSError" not in message
    assert _committed_files(archive) == 0
    assert _hash_named(archive.files) == set()
    assert archive.files.staging_leftovers() == []
    monkeypatch.setattr(durable.FsSync, "sync", real_sync)
    assert ingest_paths(archive, [src]).count("stored") == 9     # a re-run stores them once


def test_an_error_while_recording_leaves_no_staged_copy_of_the_files_in_flight(batched, tmp_path, monkeypatch):
    """The store threads run a window ahead of the rows: when recording fails, the copies
    not started are cancelled and the staged ones removed, not left for verify."""
    archive = batched
    src = _sources(tmp_path / "来文", 60)
    monkeypatch.setattr(ingest_mod, "BATCH_ITEMS", 4)
    monkeypatch.setattr(ingest_mod, "BATCH_SECONDS", 1e9)
    real = ingest_mod.record_batch

    def record_then_fail(*args, **kwargs):
        if _committed_files(archive) >= 8:
            raise RuntimeError("数据库出错 (stop here)")
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest_mod, "record_batch", record_then_fail)
    with pytest.raises(RuntimeError, match="stop here"):
        ingest_paths(archive, [src])
    assert _committed_files(archive) == 8
    assert archive.files.staging_leftovers() == []
    assert len(_hash_named(archive.files)) == 8                # only the recorded ones


def test_the_per_file_road_stores_the_same_files(archive, tmp_path, monkeypatch):
    """Where there is no syncfs (Windows, macOS, a network share) each file is stored and
    synced by itself: `stage` returns Stored files and `place` passes them on."""
    monkeypatch.setattr(durable, "_SYNCFS", None)
    src = _sources(tmp_path / "来文", 12)
    with archive.files.run() as run:
        assert not run.batched
        got = run.stage(next(iter(sorted(src.iterdir()))))
        assert isinstance(got, Stored) and got.path.is_file()
        assert run.place([got]) == [got]
    report = ingest_paths(archive, [src])                        # the file stored above has no row yet
    assert report.count("stored") == 12 and all(i.evidence_id for i in report.items)
    assert len(_hash_named(archive.files)) == 12
    assert ingest_paths(archive, [src]).count("duplicate") == 12
    assert archive.files.staging_leftovers() == []


def test_staged_copies_are_unnamed_until_placed_and_dropped_copies_leave_nothing(batched, tmp_path):
    src = _sources(tmp_path / "来文", 3)
    store = batched.files
    one, two, three = sorted(src.iterdir())
    with store.run() as run:
        assert run.batched
        a, b = run.stage(one), run.stage(two)
        assert isinstance(a, Staged) and isinstance(b, Staged)
        assert _hash_named(store) == set() and len(store.staging_leftovers()) == 2
        placed = run.place([a, b])
        assert [p.sha256 for p in placed] == [a.sha256, b.sha256] and all(p.created for p in placed)
        assert placed[0].path.read_bytes() == one.read_bytes()
        again = run.place([run.stage(one)])                      # the same content once more
        assert again[0].created is False
        run.drop([run.stage(three)])
    assert _hash_named(store) == {a.sha256, b.sha256}
    assert store.staging_leftovers() == []


def test_the_file_system_is_told_by_its_device(tmp_path):
    assert durable.fs_type(tmp_path / "not there") == ""
    kind = durable.fs_type(tmp_path)
    assert kind == "" or kind.isprintable() and " " not in kind
    sync = durable.FsSync.open(tmp_path)
    if sync is not None:
        sync.sync()
        sync.close()
        sync.close()                                             # closing twice is harmless


def test_syncfs_is_used_only_where_the_kernel_reports_its_errors():
    assert durable._kernel_reports_syncfs_errors("6.1.0-18-amd64")
    assert durable._kernel_reports_syncfs_errors("5.8.0")
    assert not durable._kernel_reports_syncfs_errors("5.4.0-150-generic")
    assert not durable._kernel_reports_syncfs_errors("4.19.112+")
    assert not durable._kernel_reports_syncfs_errors("weird")
