"""The store's hot path after the per-file trims of issue 19 (storage/core/filestore.py,
storage/catalogue/ingest.py): stored files still read-only without a chmod, the same content
never stored twice when its folder already exists (made by this store, another store object
or an earlier run), a source changed after it was looked at still refused, and the cyclic
collector's freeze held only while an ingest runs. Real files throughout."""
from __future__ import annotations

import gc
import os
import stat
import threading

import pytest

from storage.catalogue.ingest import ingest_paths
from storage.core.filestore import FileStore, SourceChanged, hash_file
from storage.kernel import gcpause


@pytest.fixture
def thawed(monkeypatch):
    """No cache frozen for good in this process (a watcher's warm-up in an earlier test of
    the same worker freezes the suggestions' memory and pins it): the ingest's own freeze is
    then the only one."""
    gc.unfreeze()
    monkeypatch.setattr(gcpause, "_pinned", False)
    yield
    gc.unfreeze()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_stored_files_are_read_only_and_staging_is_left_empty(archive, tmp_path):
    if _umask() & 0o444:
        pytest.skip("a umask that takes read bits: the store then uses chmod, as before")
    src = tmp_path / "来文"
    src.mkdir()
    for i in range(12):
        (src / f"材料{i:02d}.pdf").write_bytes(b"%PDF-1.4\n" + bytes([i]) * (1000 + i))
    report = ingest_paths(archive, [src])
    assert report.count("stored") == 12
    for item in report.items:
        path = archive.files.path_for(item.sha256)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o444, path
        assert hash_file(path) == (item.sha256, item.size)
    assert archive.files.staging_leftovers() == []


def test_the_same_content_is_never_stored_twice_whoever_made_its_folder(tmp_path):
    root = tmp_path / "files"
    one, two = tmp_path / "甲.docx", tmp_path / "乙.docx"
    one.write_bytes(b"same bytes" * 1000)
    two.write_bytes(b"same bytes" * 1000)
    store = FileStore(root)
    first = store.store(one, sync_now=True)
    assert first.created
    again = store.store(two, sync_now=True)            # this store made the folder
    assert (again.sha256, again.created) == (first.sha256, False)
    other_seat = FileStore(root)                        # a store that has not seen the folder
    third = other_seat.store(two, sync_now=True)
    assert (third.sha256, third.created) == (first.sha256, False)
    assert [sha for sha, _ in store.iter_stored()] == [first.sha256]
    assert store.staging_leftovers() == []
    # a new content whose `ab/` folder exists but not its `ab/cd/` folder
    three = tmp_path / "丙.docx"
    three.write_bytes(b"other bytes" * 999)
    sha = hash_file(three)[0]
    (root / sha[:2]).mkdir(exist_ok=True)
    made = FileStore(root).store(three, sync_now=True)
    assert made.created and made.path == root / sha[:2] / sha[2:4] / sha
    assert made.path.read_bytes() == three.read_bytes()


def test_a_source_changed_after_it_was_looked_at_is_refused(tmp_path):
    src = tmp_path / "会议纪要.docx"
    src.write_bytes(b"first version " * 5000)
    looked = os.stat(src)
    with open(src, "ab") as f:                          # still being written by its author
        f.write(b"more" * 100)
    store = FileStore(tmp_path / "files")
    with pytest.raises(SourceChanged):
        store.store(src, looked=looked)
    assert list(store.iter_stored()) == []
    assert store.staging_leftovers() == []
    assert store.store(src).created                     # looked at afresh: stored


def test_the_collector_is_frozen_only_while_an_ingest_runs(archive, tmp_path, thawed):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(5):
        (src / f"{i}.pdf").write_bytes(b"%PDF" + bytes([i]) * 50)
    seen: list[int] = []
    lock = threading.Lock()

    def progress(done: int, total: int, name: str) -> None:
        with lock:
            seen.append(gc.get_freeze_count())

    before = gc.get_freeze_count()
    ingest_paths(archive, [src], progress=progress)
    assert seen and min(seen) > 0      # the objects alive before it were left out of the passes
    assert gc.get_freeze_count() == before == 0


def test_an_ingest_stopped_by_an_error_thaws_the_collector(archive, tmp_path, thawed):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(6):
        (src / f"{i}.pdf").write_bytes(b"%PDF" + bytes([i]) * 50)

    def progress(done: int, total: int, name: str) -> None:
        if done == 3:
            raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        ingest_paths(archive, [src], progress=progress)
    assert gc.get_freeze_count() == 0


def test_a_cache_frozen_for_good_stays_frozen_after_an_ingest(archive, tmp_path, thawed):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.pdf").write_bytes(b"%PDF" + b"a" * 50)
    with gcpause.gc_paused(freeze_after=True):   # as the watcher's warm-up does
        cache = [{"k": [i]} for i in range(1000)]
    pinned = gc.get_freeze_count()
    assert pinned > 1000
    ingest_paths(archive, [src])
    assert gc.get_freeze_count() >= pinned and cache
