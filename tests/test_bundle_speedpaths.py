"""The bundle writers' fast paths (issues 7 and 19, speed): the folder writer copies on a
few threads, hashing the bytes as it copies them (each stored file read once, nothing read
back); the zip writer reads and hashes on a reader thread through a ring of buffers. These tests hold them to what the
slow path promised: a damaged or missing stored file fails the export naming it and leaves
nothing behind (first, middle or last file, both writers), compressed formats stored and
others deflated, the UTF-8 flag, byte-identical repeats and the same bytes as the plain
zipfile writer used before (so sealed submissions re-export identically), Zip64 headers for
entries that need them, files of several buffers, no thread left running."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
import subprocess
import threading
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import run_cli

import exporters.bundle as eb
from exporters.bundle import plan_bundle, write_folder, write_zip
from exporters.manifest import MANIFEST_CSV, MANIFEST_JSON, manifest_csv, manifest_json, verify_bundle
from storage.bundle.sources import bundle_source
from storage.catalogue.frameworks import FrameworkSpec, IndicatorSpec, add_framework
from storage.catalogue.ingest import ingest_paths
from storage.kernel.errors import ArchiveError

DATE = dt.date(2026, 3, 1)
MiB = 1 << 20


def _files(src: Path) -> dict[str, list[Path]]:
    rng = random.Random(11)
    text = ("质量强县创建工作会议纪要，各成员单位按职责分工落实。\r\n" * 4000).encode("utf-16-le")

    def put(rel: str, data: bytes) -> Path:
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        return p

    return {
        "1.1": [
            put("a/沂政发〔2023〕13号 关于印发质量强县实施方案的通知.pdf", b"%PDF-1.4\n" + rng.randbytes(5 * MiB + 123)),
            put("a/会议纪要（第一次）.txt", (text * 12)[: 3 * MiB + 7]),        # deflated, two buffers
            put("a/领导小组名单.docx", rng.randbytes(100_000)),
            put("a/现场照片.jpg", rng.randbytes(2 * MiB)),                      # exactly one buffer
        ],
        "1.2": [
            put("b/统计台账.xls", text[:200_000] + bytes(50_000)),             # deflated
            put("b/检测报告扫描件.png", rng.randbytes(300_000)),
            put("b/原始材料.zip", rng.randbytes(70_000)),
            put("b/说明.txt", "见附件。".encode()),
        ],
    }


@pytest.fixture
def speed_archive(archive, tmp_path):
    with archive.sessions.write() as s:
        add_framework(s, FrameworkSpec(name="测试指标", indicators=[
            IndicatorSpec(code="1", title="质量发展", children=[
                IndicatorSpec(code="1.1", title="组织领导"), IndicatorSpec(code="1.2", title="质量基础")])]))
    for code, paths in _files(tmp_path / "src").items():
        ingest_paths(archive, paths, indicator_code=code)
    return archive


def _plan(archive):
    with archive.sessions.read() as s:
        return plan_bundle(bundle_source(s))


def _write(archive, target: Path, zip_: bool, **kw):
    plan = _plan(archive)
    return plan, (write_zip if zip_ else write_folder)(plan, target, archive.files.path_for,
                                                       export_date=DATE, **kw)


def _bundle_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("bundle-")]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or "partial" in p.name)


@pytest.mark.parametrize("zip_", [False, True], ids=["folder", "zip"])
@pytest.mark.parametrize("which", [0, 3, -1], ids=["first", "middle", "last"])
def test_a_damaged_stored_file_fails_the_export_naming_it(speed_archive, tmp_path, zip_, which):
    plan = _plan(speed_archive)
    victim = plan.files[which]
    stored = speed_archive.files.path_for(victim.sha256)
    os.chmod(stored, 0o644)  # the store keeps its files read-only
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, same size
    stored.write_bytes(bytes(data))
    out = tmp_path / "out"
    out.mkdir()
    target = out / ("b.zip" if zip_ else "b")
    with pytest.raises(ArchiveError) as err:
        _write(speed_archive, target, zip_)
    assert "已损坏" in err.value.zh and "damaged" in err.value.en
    for text in (err.value.zh, err.value.en):
        assert victim.original_name in text and victim.path in text
    assert not target.exists() and _leftovers(out) == [] and list(out.iterdir()) == []
    assert _bundle_threads() == []


@pytest.mark.parametrize("zip_", [False, True], ids=["folder", "zip"])
def test_a_stored_file_of_the_wrong_size_or_missing_fails(speed_archive, tmp_path, zip_):
    plan = _plan(speed_archive)
    grown, gone = plan.files[1], plan.files[5]
    stored = speed_archive.files.path_for(grown.sha256)
    os.chmod(stored, 0o644)
    with open(stored, "ab") as f:
        f.write(b"x")  # the recorded bytes are all there, plus one
    target = tmp_path / ("b.zip" if zip_ else "b")
    with pytest.raises(ArchiveError) as err:
        _write(speed_archive, target, zip_)
    assert grown.path in err.value.zh and "已损坏" in err.value.zh
    assert not target.exists() and _leftovers(tmp_path) == []

    with open(stored, "r+b") as f:
        f.truncate(grown.size)  # mended
    os.chmod(speed_archive.files.path_for(gone.sha256), 0o644)
    speed_archive.files.path_for(gone.sha256).unlink()
    with pytest.raises(ArchiveError) as err:
        _write(speed_archive, target, zip_)
    assert "缺少" in err.value.zh and gone.path in err.value.zh and gone.path in err.value.en
    assert not target.exists() and _leftovers(tmp_path) == []
    assert _bundle_threads() == []


def test_export_command_names_the_damaged_file(speed_archive, tmp_path):
    victim = _plan(speed_archive).files[2]
    stored = speed_archive.files.path_for(victim.sha256)
    os.chmod(stored, 0o644)
    stored.write_bytes(b"not the recorded content")
    for extra in ([], ["--zip"]):
        r = run_cli("export", str(tmp_path / "out"), *extra, "--archive", str(speed_archive.root),
                    "--date", "2026-03-01", "--no-documents")
        assert r.returncode == 2, r.stdout + r.stderr
        assert "错误" in r.stderr and victim.path in r.stderr and "已损坏" in r.stderr
        assert not (tmp_path / "out").exists() and not (tmp_path / "out.zip").exists()
        assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("zip_", [False, True], ids=["folder", "zip"])
def test_a_stored_file_changed_after_ingest_is_refused_naming_it(speed_archive, tmp_path, zip_):
    """Issue 19: the writers hash the bytes they copy (no read-back). A stored file whose
    content was replaced after ingest by other bytes of the same size (so only the hash can
    tell) stops the export with a Chinese message naming the item's file and its place in
    the bundle, and nothing is left behind."""
    plan = _plan(speed_archive)
    victim = next(f for f in plan.files if f.original_name == "领导小组名单.docx")
    stored = speed_archive.files.path_for(victim.sha256)
    os.chmod(stored, 0o644)
    stored.write_bytes(random.Random(5).randbytes(victim.size))  # same size, other bytes
    target = tmp_path / ("b.zip" if zip_ else "b")
    with pytest.raises(ArchiveError) as err:
        _write(speed_archive, target, zip_)
    zh = err.value.zh
    assert zh.startswith("档案库中的文件《领导小组名单.docx》已损坏或被改动"), zh
    assert victim.path in zh and victim.sha256[:12] in zh and "verify" in zh
    assert "领导小组名单.docx" in err.value.en and "changed" in err.value.en
    assert not target.exists() and _leftovers(tmp_path) == [] and _bundle_threads() == []


@pytest.mark.parametrize("zip_", [False, True], ids=["folder", "zip"])
def test_each_stored_file_is_read_once_and_nothing_written_is_read_back(speed_archive, tmp_path,
                                                                       monkeypatch, zip_):
    """The check is made on the bytes as they are copied: every stored file is opened for
    reading once, and no file of the bundle being written is read back (that read would
    come from the page cache and prove nothing more; `bundle verify` re-reads a bundle)."""
    real_open = open
    reads: list[str] = []

    def counting_open(file, mode="r", *args, **kwargs):
        if "r" in mode and "+" not in mode:
            reads.append(os.fspath(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(eb, "open", counting_open, raising=False)
    plan, _ = _write(speed_archive, tmp_path / ("b.zip" if zip_ else "b"), zip_)
    stored = sorted(str(speed_archive.files.path_for(f.sha256)) for f in plan.files)
    assert sorted(reads) == stored


def test_bundle_verify_rereads_the_written_bundle_and_names_a_changed_file(speed_archive, tmp_path):
    """What the writer's check does not prove (the bytes that reached the target disk),
    `bundle verify` does: it reads the written bundle again, and a file changed there
    afterwards is named."""
    plan, result = _write(speed_archive, tmp_path / "b", False)
    assert verify_bundle(result.path).ok
    victim = plan.files[2]
    written = Path(result.path) / victim.path
    data = bytearray(written.read_bytes())
    data[10] ^= 0xFF
    written.write_bytes(bytes(data))
    check = verify_bundle(result.path)
    assert not check.ok and check.changed == [victim.path]


def test_zip_stores_compressed_formats_deflates_others_flags_utf8(speed_archive, tmp_path):
    plan, result = _write(speed_archive, tmp_path / "b.zip", True)
    sizes = {f.path: f.size for f in plan.files}
    with zipfile.ZipFile(result.path) as zf:
        assert zf.testzip() is None  # every CRC-32 checked
        infos = {i.filename: i for i in zf.infolist()}
        for f in plan.files:
            assert hashlib.sha256(zf.read(f.path)).hexdigest() == f.sha256
    stored_ext = {".pdf", ".docx", ".jpg", ".png", ".zip"}
    for name, info in infos.items():
        ext = os.path.splitext(name)[1]
        if name.endswith("/") or ext in stored_ext:
            assert info.compress_type == zipfile.ZIP_STORED, name
            assert info.compress_size == info.file_size
        else:
            assert info.compress_type == zipfile.ZIP_DEFLATED, name
        if name in sizes:
            assert info.file_size == sizes[name]
        assert info.flag_bits & 0x800 or name.isascii(), name
        assert not info.flag_bits & 0x08  # sizes in the local header, no data descriptor
    txt = next(n for n in infos if n.endswith("会议纪要（第一次）.txt"))
    assert infos[txt].compress_size < infos[txt].file_size / 3
    _unzip_test(result.path, len(infos))


def _unzip_test(path: str, entries: int) -> None:
    """An independent reader (Info-ZIP unzip, installed by scripts/setup.sh: what 统信UOS and
    麒麟 use) checks every entry's data and CRC-32, and lists the Chinese names exactly as
    zipfile reads them (entries are marked "made on Unix", so unzip honours the UTF-8 flag)."""
    assert shutil.which("unzip"), "unzip is installed by scripts/setup.sh"
    r = subprocess.run(["unzip", "-t", path], capture_output=True)
    out = r.stdout.decode("utf-8", errors="replace") + r.stderr.decode("utf-8", errors="replace")
    assert r.returncode == 0, out
    assert out.count(" OK\n") == entries, out
    listed = subprocess.run(["unzip", "-Z1", path], capture_output=True, check=True).stdout.decode("utf-8")
    with zipfile.ZipFile(path) as zf:
        assert listed.splitlines() == [i.filename for i in zf.infolist()]
    assert "bad CRC" not in out and "error:" not in out, out


def _reference_zip(plan, path_for, target: Path) -> None:
    """The zip as plain zipfile wrote it before the speed work (the format contract: entries
    dated the export day, made on Unix with plain modes and the DOS attribute bits, deflate level 6 for
    everything but the stored formats, manifests first, then folders, then files)."""
    def info(name: str, size: int = 0) -> zipfile.ZipInfo:
        zi = zipfile.ZipInfo(name, date_time=(DATE.year, DATE.month, DATE.day, 0, 0, 0))
        zi.create_system = 3
        zi.external_attr = ((0o40755 << 16) | 0x10) if name.endswith("/") else ((0o100644 << 16) | 0x20)
        stored = name.endswith("/") or os.path.splitext(name)[1].lower() in eb.STORED_EXTENSIONS
        zi.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        zi.file_size = size
        return zi

    mj = manifest_json(plan.files, framework_name=plan.framework_name, export_date=DATE.isoformat(),
                       path_budget=plan.path_budget)
    mc = manifest_csv(json.loads(mj)["files"])
    with zipfile.ZipFile(target, "w", allowZip64=True, compresslevel=6) as zf:
        for name, data in ((MANIFEST_JSON, mj), (MANIFEST_CSV, mc)):
            zi = info(name, len(data))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, data)
        for folder in plan.folders:
            zf.writestr(info(folder + "/"), b"")
        for f in plan.files:
            with zf.open(info(f.path, f.size), "w") as out, open(path_for(f.sha256), "rb") as fin:
                shutil.copyfileobj(fin, out)


def test_zip_is_byte_identical_across_runs_and_to_the_plain_zipfile_writer(speed_archive, tmp_path):
    plan, a = _write(speed_archive, tmp_path / "a.zip", True)
    _, b = _write(speed_archive, tmp_path / "b.zip", True)
    ref = tmp_path / "ref.zip"
    _reference_zip(plan, speed_archive.files.path_for, ref)
    data = Path(a.path).read_bytes()
    assert data == Path(b.path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(ref.read_bytes()).hexdigest()


def test_zip_checksummed_by_isal_is_the_zlib_zip_byte_for_byte(speed_archive, tmp_path, monkeypatch):
    """write_zip has zipfile compute CRC-32 with ISA-L; the zip must be the very bytes
    zipfile writes with zlib's CRC-32 (sealed submissions re-export byte for byte)."""
    pytest.importorskip("isal")
    monkeypatch.setattr(zipfile, "crc32", zlib.crc32)
    plan, a = _write(speed_archive, tmp_path / "a.zip", True)
    assert zipfile.crc32 is not zlib.crc32  # the export used the fast checksum
    monkeypatch.setattr(zipfile, "crc32", zlib.crc32)
    ref = tmp_path / "ref.zip"
    _reference_zip(plan, speed_archive.files.path_for, ref)
    assert Path(a.path).read_bytes() == ref.read_bytes()
    with zipfile.ZipFile(a.path) as zf:
        assert zf.testzip() is None  # every entry's CRC checked by zlib's
    _unzip_test(a.path, len(plan.files) + len(plan.folders) + 2)


def test_folder_bundle_is_byte_identical_and_complete(speed_archive, tmp_path):
    plan, a = _write(speed_archive, tmp_path / "a", False)
    _, b = _write(speed_archive, tmp_path / "b", False)
    for f in plan.files:
        pa, pb = Path(a.path) / f.path, Path(b.path) / f.path
        assert pa.read_bytes() == pb.read_bytes()
        assert hashlib.sha256(pa.read_bytes()).hexdigest() == f.sha256
        assert pa.stat().st_mtime == pb.stat().st_mtime
    assert (Path(a.path) / MANIFEST_JSON).read_bytes() == (Path(b.path) / MANIFEST_JSON).read_bytes()
    assert verify_bundle(a.path).ok


def test_zip64_headers_for_entries_that_need_them(speed_archive, tmp_path, monkeypatch):
    """A real entry over 4 GB is too big for a test; lowering zipfile's Zip64 threshold to
    1 MiB makes the writer take the same branch for the 2–5 MiB files: their local and
    central headers carry the Zip64 extra field (sizes 0xFFFFFFFF) and readers agree."""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1 << 20)
    plan, result = _write(speed_archive, tmp_path / "b.zip", True)
    monkeypatch.undo()  # read back with the real limits
    big = {f.path for f in plan.files if f.size * 1.05 > (1 << 20)}
    assert len(big) >= 3
    raw = Path(result.path).read_bytes()
    with zipfile.ZipFile(result.path) as zf:
        entries = len(zf.infolist())
        for info in zf.infolist():
            local = raw[info.header_offset:info.header_offset + 30]
            assert local[:4] == b"PK\x03\x04"
            comp, size = (int.from_bytes(local[k:k + 4], "little") for k in (18, 22))
            n, x = (int.from_bytes(local[k:k + 2], "little") for k in (26, 28))
            extra = raw[info.header_offset + 30 + n:info.header_offset + 30 + n + x]
            if info.filename in big:
                assert (comp, size) == (0xFFFFFFFF, 0xFFFFFFFF), info.filename
                assert extra[:2] == b"\x01\x00", info.filename   # Zip64 extended information
            else:
                assert size == info.file_size
        assert zf.testzip() is None
    assert verify_bundle(result.path).ok
    _unzip_test(result.path, entries)


@pytest.mark.parametrize("zip_", [False, True], ids=["folder", "zip"])
def test_an_error_in_the_middle_stops_the_threads_and_removes_the_partial(speed_archive, tmp_path, zip_):
    """A failure that is not the archive's (here the progress callback raising, as a
    disk-full error would) still leaves no thread running and nothing on disk."""
    class Boom(Exception):
        pass

    def progress(done, total, name=""):
        if done == 3:
            raise Boom()

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(Boom):
        _write(speed_archive, out / ("b.zip" if zip_ else "b"), zip_, progress=progress)
    assert list(out.iterdir()) == []
    assert _bundle_threads() == []


def test_memory_stays_bounded_by_the_buffer_ring(speed_archive, tmp_path, monkeypatch):
    """The zip writer never holds more than BUFFERS buffers of CHUNK bytes: with a ring of
    two 64 KiB buffers, a 5 MiB file passes through in 80+ chunks and comes out whole."""
    monkeypatch.setattr(eb, "CHUNK", 64 * 1024)
    monkeypatch.setattr(eb, "BUFFERS", 2)
    made: list[int] = []
    real = bytearray

    class CountingBytearray(real):
        def __new__(cls, *a, **k):
            made.append(1)
            return real.__new__(cls, *a, **k)

    monkeypatch.setattr(eb, "bytearray", CountingBytearray, raising=False)
    plan, result = _write(speed_archive, tmp_path / "b.zip", True)
    assert len(made) == 2
    with zipfile.ZipFile(result.path) as zf:
        for f in plan.files:
            assert hashlib.sha256(zf.read(f.path)).hexdigest() == f.sha256
