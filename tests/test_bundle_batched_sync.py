"""The bundle folder's batched durability (issue 19: exporters/bundle.py `write_folder` with
storage/kernel/durable.py `FsSync`): on a local Linux file system no file is fsynced by
itself; one syncfs makes every copy, manifest and folder durable before the partial folder
is renamed to its final name, and a second makes the name durable. A failed sync leaves
nothing under the final name and no partial folder. Elsewhere each file is fsynced as it
is written, as before. Real files, the real syncfs; a sync is only wrapped to watch the
order, or made to fail."""
from __future__ import annotations

import datetime as dt
import errno
import hashlib
from pathlib import Path

import pytest

import exporters.bundle as eb
from exporters.bundle import plan_bundle, write_folder
from storage.bundle.sources import bundle_source
from storage.catalogue.frameworks import FrameworkSpec, IndicatorSpec, add_framework
from storage.catalogue.ingest import ingest_paths
from storage.kernel import durable

DATE = dt.date(2026, 3, 1)


@pytest.fixture
def filled(archive, tmp_path):
    with archive.sessions.write() as s:
        add_framework(s, FrameworkSpec(name="测试指标", indicators=[
            IndicatorSpec(code="1", title="质量发展", children=[IndicatorSpec(code="1.1", title="组织领导")])]))
    src = tmp_path / "来文"
    src.mkdir()
    paths = []
    for i in range(12):
        p = src / f"关于报送材料的通知〔2024〕{i:02d}号.pdf"
        p.write_bytes(b"%PDF-1.7\n" + bytes([i + 1]) * (5000 + 97 * i))
        paths.append(p)
    ingest_paths(archive, paths, indicator_code="1.1")
    return archive


@pytest.fixture
def batched(filled, tmp_path):
    if durable.FsSync.open(tmp_path) is None:
        pytest.fail("this test folder's file system takes the per-file road; the batched road is "
                    "tested on a local Linux file system (ext4, XFS, Btrfs, F2FS)")
    return filled


def _export(archive, target: Path):
    with archive.sessions.read() as s:
        plan = plan_bundle(bundle_source(s))
    return plan, write_folder(plan, target, archive.files.path_for, export_date=DATE)


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_one_sync_before_the_name_and_one_after_and_no_file_synced_by_itself(batched, tmp_path, monkeypatch):
    target = tmp_path / "out" / "上报材料"
    (tmp_path / "out").mkdir()
    seen: list[tuple[bool, list[str]]] = []
    real_sync = durable.FsSync.sync
    per_file: list[Path] = []
    real_fsync_path = eb.fsync_path

    def watched(self: durable.FsSync) -> None:
        partials = [p.name for p in (tmp_path / "out").iterdir() if "partial" in p.name]
        seen.append((target.exists(), partials))
        real_sync(self)

    def counted(path: Path) -> None:
        per_file.append(path)
        real_fsync_path(path)

    monkeypatch.setattr(durable.FsSync, "sync", watched)
    monkeypatch.setattr(eb, "fsync_path", counted)
    plan, result = _export(batched, target)
    assert result.files == len(plan.files) == 12
    assert len(seen) == 2
    assert seen[0][0] is False and len(seen[0][1]) == 1    # first sync: the whole partial folder, no final name
    assert seen[1] == (True, [])                            # second: after the rename
    assert per_file == []
    for f in plan.files:
        assert hashlib.sha256((target / f.path).read_bytes()).hexdigest() == f.sha256


def test_a_failed_sync_leaves_no_bundle_and_no_partial_folder(batched, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()

    def failing(self: durable.FsSync) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(durable.FsSync, "sync", failing)
    with pytest.raises(OSError):
        _export(batched, out / "上报材料")
    assert list(out.iterdir()) == []


def test_the_per_file_road_writes_the_same_bundle(filled, tmp_path, monkeypatch):
    """Where syncfs is not known to hold, every file is fsynced as it is written (as before),
    and the bundle is the same, byte for byte."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _export(filled, tmp_path / "a" / "上报材料")
    per_file: list[Path] = []
    real_fsync_path = eb.fsync_path
    monkeypatch.setattr(durable, "_SYNCFS", None)
    monkeypatch.setattr(eb, "fsync_path", lambda p: (per_file.append(p), real_fsync_path(p))[1])
    _export(filled, tmp_path / "b" / "上报材料")
    assert len(per_file) >= 12
    assert _tree(tmp_path / "a" / "上报材料") == _tree(tmp_path / "b" / "上报材料")
