"""The provincial bundle: one folder per indicator in framework order, files numbered in
review order, plus manifest.json / manifest.csv; written as a folder or as a streaming zip.

    1.1.1 组织领导/01 沂政发〔2023〕13号 关于成立质量强县工作领导小组的通知.pdf
    1.1.1 组织领导/02-1 会议纪要.docx        (an item with several files: 02-1, 02-2 …)
    00 申报文件/01 申报表.docx …              (generated documents, `add_documents`)
    manifest.json, manifest.csv

`plan_bundle` decides every path (pure; `exporters.winpaths` rules, within the path budget);
`add_documents` puts generated documents (already made, so their hashes are known) into the
"00 申报文件" folder, whose name `plan_bundle` always reserves so evidence paths never depend
on whether documents are added;
`write_folder` / `write_zip` copy the stored files, hashing the bytes they copy against the
recorded SHA-256 so a file damaged or changed in the archive never ships silently
(`bundle verify` re-reads a written bundle from its disk). Determinism: the same source and export date give
byte-identical output (sorted manifest, zip timestamps and attributes fixed from the export
date, file modification times set to it).

Pure: no SQLAlchemy, no Qt. `path_for(sha256)` gives a stored file's path.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import queue
import shutil
import threading
import time
import uuid
import zipfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from exporters import winpaths
from exporters.manifest import MANIFEST_CSV, MANIFEST_JSON, manifest_csv, manifest_json
from storage.kernel.durable import fsync_dir, fsync_path
from storage.kernel.errors import ArchiveError, Cancelled
from storage.kernel.progress import never_cancel, no_progress
from storage.readmodels import BundleFile, BundleSource

FOLDER_LIMIT = 60          # units for an indicator folder's name: leaves ~100 for file names
# A file name of at most 85 UTF-16 units is at most 255 bytes in UTF-8 (3 bytes per CJK
# character, 4 per surrogate pair): the limit of Linux/macOS file systems and of unzip tools,
# so a bundle unpacks there too (Windows allows 255 units).
NAME_LIMIT = 85
STORED_EXTENSIONS = frozenset(
    {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".pptx", ".zip", ".ofd", ".rar",
     ".7z", ".gz", ".mp4"}
)
CHUNK = 2 << 20  # 2 MiB: big enough that hashing and copying release the GIL for long
DOCS_FOLDER = "00 申报文件"
DOCS_INDICATOR = "申报文件"

PathFor = Callable[[str], "os.PathLike[str] | str"]
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PlannedFile:
    """One file of the bundle. `changes`: cleaned / shortened / suffixed, for preflight;
    `wanted`: the name before the Windows rules were applied ("02 会议纪要: 第一次.docx")."""

    path: str
    sha256: str
    size: int
    indicator: str
    evidence_id: int | None
    original_name: str
    changes: tuple[str, ...] = ()
    wanted: str = ""

    @property
    def number(self) -> str:
        """The file's number in its folder as the bundle prints it ("01", "02-1")."""
        name = self.path.rsplit("/", 1)[-1]
        return name.split(" ", 1)[0]


@dataclass(frozen=True)
class BundlePlan:
    framework_name: str
    path_budget: int
    folders: tuple[str, ...]
    files: tuple[PlannedFile, ...]
    # (indicator code, wanted folder name, folder name) for folders the rules changed
    renamed_folders: tuple[tuple[str, str, str], ...] = ()

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


@dataclass(frozen=True)
class BundleResult:
    path: str
    files: int
    bytes: int
    renamed: int


def _label(f: BundleFile) -> tuple[str, str]:
    """(name without extension, extension) as the bundle names the file."""
    stem, ext = winpaths.split_ext(f.original_name)
    title = f.title.strip()
    if title and ext and title.lower().endswith(ext.lower()):
        title = title[: -len(ext)]
    doc = f.doc_number.strip()
    if title:
        label = title if (not doc or doc in title) else f"{doc} {title}"
    else:
        label = f"{doc} {stem}".strip() if doc and doc not in stem else stem
    return label, ext


def plan_bundle(source: BundleSource, *, path_budget: int = winpaths.DEFAULT_BUDGET) -> BundlePlan:
    """Every path of the bundle: cleaned for Windows, each path shorter than `path_budget`
    UTF-16 units below the bundle root (and each file name at most `NAME_LIMIT`), clashes
    (case-insensitive) given " (2)" …"""
    if path_budget < 40:
        raise ArchiveError(f"路径长度上限太小：{path_budget}（至少 40）",
                           f"path budget too small: {path_budget} (at least 40)")
    root = winpaths.NameSpace()
    root.claim(MANIFEST_JSON, path_budget)
    root.claim(MANIFEST_CSV, path_budget)
    root.claim(DOCS_FOLDER, path_budget)
    folder_limit = min(FOLDER_LIMIT, path_budget // 3)
    folders: list[str] = []
    files: list[PlannedFile] = []
    renamed: list[tuple[str, str, str]] = []
    for ind in source.indicators:
        raw = f"{ind.code} {ind.title}".strip() if ind.code else ind.title
        folder = root.claim(winpaths.clean(raw), folder_limit, keep_prefix=len(ind.code))
        folders.append(folder)
        if folder != raw:
            renamed.append((ind.code or ind.title, raw, folder))
        names = winpaths.NameSpace()
        width = max(2, len(str(max((f.review_position for f in ind.files), default=0))))
        limit = min(NAME_LIMIT, path_budget - 1 - winpaths.units(folder) - 1)  # "/", exclusive budget
        for f in ind.files:
            number = f"{f.review_position:0{width}d}"
            if f.file_count > 1:
                number += f"-{f.file_index}"
            label, ext = _label(f)
            wanted = f"{number} {label}{ext}"
            cleaned = winpaths.clean(wanted)
            name = names.claim(cleaned, limit, keep_prefix=len(number) + 1)
            changes = []
            if cleaned != wanted:
                changes.append("cleaned")
            if winpaths.units(cleaned) > limit:
                changes.append("shortened")
            if winpaths.clash_key(name) != winpaths.clash_key(
                    winpaths.shorten(cleaned, limit, keep_prefix=len(number) + 1)):
                changes.append("suffixed")
            files.append(PlannedFile(
                path=f"{folder}/{name}", sha256=f.sha256, size=f.size,
                indicator=ind.code or ind.title, evidence_id=f.evidence_id,
                original_name=f.original_name, changes=tuple(changes), wanted=wanted,
            ))
    return BundlePlan(source.framework_name, path_budget, tuple(folders), tuple(files),
                      tuple(renamed))


@dataclass(frozen=True)
class GeneratedFile:
    """A document made for the bundle: its name inside "00 申报文件" and its bytes."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def add_documents(plan: BundlePlan, documents: list[GeneratedFile] | tuple[GeneratedFile, ...]) -> BundlePlan:
    """The plan with the generated documents first, in the "00 申报文件" folder (numbered by
    the caller: "01 申报表.docx" …). Names are cleaned and kept within the path budget."""
    if not documents:
        return plan
    names = winpaths.NameSpace()
    limit = min(NAME_LIMIT, plan.path_budget - 1 - winpaths.units(DOCS_FOLDER) - 1)
    docs = []
    for d in documents:
        name = names.claim(winpaths.clean(d.name), limit)
        docs.append(PlannedFile(
            path=f"{DOCS_FOLDER}/{name}", sha256=d.sha256, size=len(d.data),
            indicator=DOCS_INDICATOR, evidence_id=None, original_name=d.name, wanted=d.name,
        ))
    return BundlePlan(plan.framework_name, plan.path_budget, (DOCS_FOLDER,) + plan.folders,
                      tuple(docs) + plan.files, plan.renamed_folders)


def plan_rows(plan: BundlePlan) -> list[dict]:
    """Every file of the plan as a plain dict (path, sha256, size, indicator, evidence_id,
    original_name), in bundle order: what a sealed submission records."""
    return [{"path": f.path, "sha256": f.sha256, "size": f.size, "indicator": f.indicator,
             "evidence_id": f.evidence_id, "original_name": f.original_name} for f in plan.files]


def plan_from_manifest(doc: dict) -> BundlePlan:
    """The plan a sealed submission recorded (`storage.submissions`), to write it again:
    the same plan, export date and writer give the same bytes."""
    files = tuple(PlannedFile(path=r["path"], sha256=r["sha256"], size=int(r["size"]),
                              indicator=r["indicator"], evidence_id=r["evidence_id"],
                              original_name=r["original_name"]) for r in doc["files"])
    return BundlePlan(doc.get("framework", ""), int(doc["path_budget"]), tuple(doc["folders"]), files)


def _manifests(plan: BundlePlan, export_date: dt.date) -> tuple[bytes, bytes]:
    j = manifest_json(plan.files, framework_name=plan.framework_name,
                      export_date=export_date.isoformat(), path_budget=plan.path_budget)
    import json

    rows = json.loads(j)["files"]
    return j, manifest_csv(rows)


# ---------------------------------------------------------------------------------------
# Writing. Every stored file is checked against its SHA-256 (the store's content address)
# while it is copied: each stored file is read once, those very bytes are hashed and
# written, and the hash is compared with the recorded one when the file ends. A stored
# file that changed or was damaged since it was stored fails the export, naming it.
#
#   folder  a few copier threads (read, hash, write: hashlib and file I/O release the
#           GIL) copy files side by side, a bounded window ahead of the main thread,
#           which reports progress in plan order; one parallel fsync pass at the end,
#           then the rename into place.
#   zip     a reader thread reads each stored file into a small ring of buffers and hashes
#           it; the main thread hands the same buffers to zipfile (CRC-32, by ISA-L where
#           installed; deflate (zlib, level 6) or store; write). The archive is the one
#           plain zipfile writes, byte for byte.
#
# What the writers' check proves: the bytes written are the bytes read from the store, and
# those match the SHA-256 recorded when the file was stored. It does not re-read what
# reached the target disk (right after writing, that read would come from the page cache
# and prove no more); `bundle verify` re-reads a written bundle in full for that.
#
# Memory: a fixed number of buffers (threads or BUFFERS x CHUNK) and a bounded window of
# files in flight, whatever the size of the bundle.
# ---------------------------------------------------------------------------------------

BUFFERS = 4             # zip: buffers in flight between the reader and the writer
COPY_THREADS = 3        # folder: files copied side by side
WINDOW = COPY_THREADS * 4  # folder: files submitted ahead of the one being reported
FSYNC_THREADS = 8       # parallel fsyncs let the file system commit them in groups
SYNC_PENDING = 256      # folder: written files waiting for their fsync, at most
ZIP_SYNC_BYTES = 32 << 20  # zip: start writing out what is written every this many bytes
_copy_buffers = threading.local()


def _missing(f: PlannedFile) -> ArchiveError:
    return ArchiveError(
        f"档案库中缺少文件《{f.original_name}》（材料包中的 {f.path}，{f.sha256[:12]}…），请先运行 verify / repair",
        f"a stored file is missing from the archive: {f.original_name} (bundle path {f.path}, "
        f"{f.sha256[:12]}…); run verify / repair first",
    )


def _damaged(f: PlannedFile) -> ArchiveError:
    return ArchiveError(
        f"档案库中的文件《{f.original_name}》已损坏或被改动（材料包中的 {f.path}；内容与记录的 SHA-256 "
        f"{f.sha256[:12]}… 不符），未导出，请先运行 verify / repair",
        f"the stored file {f.original_name} is damaged or was changed (bundle path {f.path}; its "
        f"SHA-256 does not match the record {f.sha256[:12]}…); nothing was exported; run verify / "
        f"repair first",
    )


def _copy_buffer() -> memoryview:
    """This copier thread's buffer, made once (a new one per file would be an mmap each)."""
    buf: bytearray | None = getattr(_copy_buffers, "buf", None)
    if buf is None:
        buf = _copy_buffers.buf = bytearray(CHUNK)
    return memoryview(buf)


def _copy_checked(src: Path, dest: Path, f: PlannedFile, stamp: float) -> None:
    """Copy one stored file to `dest`, hashing the bytes as they are copied; raise the
    archive's message when the source is missing or its bytes do not match the record
    (reading at most one byte more than the recorded size)."""
    view = _copy_buffer()
    h = hashlib.sha256()
    size, limit = 0, f.size + 1
    try:
        fin = open(src, "rb", buffering=0)
    except FileNotFoundError as e:
        raise _missing(f) from e
    with fin, open(dest, "xb", buffering=0) as fout:
        while size < limit and (n := fin.readinto(view[: min(len(view), limit - size)])):
            chunk = view[:n]
            h.update(chunk)
            while chunk:
                w = fout.write(chunk) or 0
                chunk = chunk[w:]
            size += n
    if (h.hexdigest(), size) != (f.sha256, f.size):
        raise _damaged(f)
    os.utime(dest, (stamp, stamp))


class _Syncer:
    """fsyncs written files on a few threads while the next ones are still being copied,
    so the disk writes them out as the export goes instead of all at the end (the plain
    copy's pass). At most SYNC_PENDING wait; `finish()` waits for all and raises the first
    failure."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=FSYNC_THREADS // 2, thread_name_prefix="bundle-fsync")
        self._pending: deque[Future[None]] = deque()

    def add(self, path: Path) -> None:
        self._pending.append(self._pool.submit(fsync_path, path))
        while self._pending and (len(self._pending) > SYNC_PENDING or self._pending[0].done()):
            self._pending.popleft().result()

    def finish(self) -> None:
        while self._pending:
            self._pending.popleft().result()

    def close(self) -> None:
        for fut in self._pending:
            fut.cancel()
        self._pool.shutdown(wait=True)


def fsync_tree(files: list[Path], folders: list[Path], threads: int = FSYNC_THREADS) -> None:
    """fsync every file, then every folder, on a few threads: one durability pass instead of
    a flush per file while copying (the benchmark's plain copy uses the same pass)."""
    if files:
        with ThreadPoolExecutor(max_workers=max(1, min(threads, len(files))),
                                thread_name_prefix="bundle-fsync") as pool:
            for _ in pool.map(fsync_path, files):
                pass
    for folder in folders:
        fsync_dir(folder)


def _refuse_existing(target: Path, *, folder: bool) -> None:
    if folder and target.is_dir():
        if any(target.iterdir()):
            raise ArchiveError(
                f"导出文件夹已存在且不是空的：{target}（请选择新的或空的文件夹）",
                f"the export folder exists and is not empty: {target} (choose a new or empty folder)",
            )
    elif target.exists():
        raise ArchiveError(
            f"导出目标已存在：{target}（请选择新的名称）",
            f"the export target already exists: {target} (choose a new name)",
        )


def _partial_name(target: Path) -> Path:
    return target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:8]}"


def _epoch(export_date: dt.date) -> float:
    return time.mktime(dt.datetime.combine(export_date, dt.time(0, 0)).timetuple())


def write_folder(
    plan: BundlePlan,
    outdir: str | os.PathLike[str],
    path_for: PathFor,
    *,
    export_date: dt.date,
    progress: Progress = no_progress,
    cancel: Callable[[], bool] = never_cancel,
) -> BundleResult:
    """Write the bundle as a folder. Works in a hidden sibling `.OUTDIR.partial-<id>`,
    checks every copy against its SHA-256 as it copies, makes everything durable (each file
    fsynced on a few threads as soon as it is written, then the manifests and folders) and
    renames it into place at the end, so an interrupted, cancelled or failed export leaves
    nothing under the final name (and removes its partial folder unless the process is
    killed). `outdir` must not exist or be empty."""
    target = Path(outdir).absolute()
    _refuse_existing(target, folder=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial_name(target)
    stamp = _epoch(export_date)
    total = len(plan.files)
    written: list[Path] = []
    pool = ThreadPoolExecutor(max_workers=COPY_THREADS, thread_name_prefix="bundle-copy")
    pending: deque[tuple[PlannedFile, Future[None]]] = deque()
    syncer = _Syncer()
    try:
        partial.mkdir()
        mj, mc = _manifests(plan, export_date)
        for name, data in ((MANIFEST_JSON, mj), (MANIFEST_CSV, mc)):
            (partial / name).write_bytes(data)
            os.utime(partial / name, (stamp, stamp))
            written.append(partial / name)
        for folder in plan.folders:
            (partial / folder).mkdir()
        files = iter(plan.files)
        done = 0
        while True:
            if cancel():  # between files, as the clerk sees them reported
                raise Cancelled()
            while len(pending) < WINDOW and (f := next(files, None)) is not None:
                pending.append((f, pool.submit(_copy_checked, Path(path_for(f.sha256)), partial / f.path,
                                               f, stamp)))
            if not pending:
                break
            f, fut = pending.popleft()
            fut.result()
            syncer.add(partial / f.path)
            done += 1
            progress(done, total, f.path)
        syncer.finish()
        dirs = [partial / folder for folder in plan.folders]
        for d in dirs:
            os.utime(d, (stamp, stamp))
        fsync_tree(written, dirs + [partial])  # the manifests (the files are synced already)
        if target.is_dir():
            target.rmdir()  # empty (checked above); replaced by the finished bundle
        os.replace(partial, target)
        fsync_dir(target.parent)
    except BaseException:
        for _, fut in pending:
            fut.cancel()
        pool.shutdown(wait=True)
        syncer.close()
        shutil.rmtree(partial, ignore_errors=True)
        raise
    pool.shutdown(wait=True)
    syncer.close()
    renamed = sum(1 for f in plan.files if f.changes)
    return BundleResult(str(target), total, plan.total_bytes, renamed)


def _zipinfo(name: str, export_date: dt.date, *, is_dir: bool = False, size: int = 0) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=(export_date.year, export_date.month, export_date.day, 0, 0, 0))
    # "Made on Unix" with plain modes (plus the DOS directory/archive bits): the same bytes on
    # any OS, and Info-ZIP unzip on 统信UOS/麒麟 honours the UTF-8 flag (for entries "made on
    # MS-DOS" it decodes names as the OEM code page and garbles Chinese).
    zi.create_system = 3
    zi.external_attr = ((0o40755 << 16) | 0x10) if is_dir else ((0o100644 << 16) | 0x20)
    ext = os.path.splitext(name)[1].lower()
    zi.compress_type = zipfile.ZIP_STORED if (is_dir or ext in STORED_EXTENSIONS) else zipfile.ZIP_DEFLATED
    # The size is known from the plan (and checked: a file of another size fails the
    # export), so zipfile writes Zip64 headers up front for an entry that needs them.
    zi.file_size = size
    return zi


class _Stop(Exception):
    pass


class _Reader:
    """Reads and hashes the stored files of `files`, in order, on a thread; `chunks(f)`
    yields one file's bytes as memoryviews of a ring of BUFFERS buffers (a buffer goes
    back to the ring when the next chunk is asked for), then checks the file's SHA-256 and
    size. Raises the archive's message for a missing or damaged file."""

    def __init__(self, files: tuple[PlannedFile, ...], path_for: PathFor) -> None:
        self._files = files
        self._path_for = path_for
        self._free: queue.Queue[bytearray] = queue.Queue()
        for _ in range(BUFFERS):
            self._free.put(bytearray(CHUNK))
        self._out: queue.Queue[tuple] = queue.Queue(maxsize=BUFFERS + 2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bundle-read", daemon=True)
        self._thread.start()

    def _put(self, item: tuple) -> None:
        while not self._stop.is_set():
            try:
                self._out.put(item, timeout=0.05)
                return
            except queue.Full:
                continue
        raise _Stop()

    def _buffer(self) -> bytearray:
        while not self._stop.is_set():
            try:
                return self._free.get(timeout=0.05)
            except queue.Empty:
                continue
        raise _Stop()

    def _run(self) -> None:
        try:
            for f in self._files:
                try:
                    fin = open(self._path_for(f.sha256), "rb", buffering=0)
                except FileNotFoundError:
                    self._put(("missing", None, None))
                    return
                h = hashlib.sha256()
                size, limit = 0, f.size + 1
                with fin:
                    while size < limit:
                        buf = self._buffer()
                        view = memoryview(buf)
                        n = fin.readinto(view[: min(len(buf), limit - size)])
                        if not n:
                            self._free.put(buf)
                            break
                        h.update(view[:n])
                        size += n
                        self._put(("data", view[:n], buf))
                self._put(("end", h.hexdigest(), size))
        except _Stop:
            pass
        except BaseException as e:  # noqa: BLE001 - any failure reading the store goes to the writer, which raises it
            try:
                self._put(("error", e, None))
            except _Stop:
                pass

    def chunks(self, f: PlannedFile):
        held: bytearray | None = None
        try:
            while True:
                kind, a, b = self._out.get()
                if held is not None:
                    self._free.put(held)
                    held = None
                if kind == "data":
                    held = b
                    yield a
                elif kind == "end":
                    if (a, b) != (f.sha256, f.size):
                        raise _damaged(f)
                    return
                elif kind == "missing":
                    raise _missing(f)
                else:
                    raise a
        finally:
            if held is not None:
                self._free.put(held)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


class _ZipSyncer:
    """Writes the zip out as it grows: every ZIP_SYNC_BYTES, an fdatasync of what is
    written so far on a thread (one at a time), so the final fsync has little left to do
    and the disk works while the next files are read and compressed."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-zipsync")
        self._running: Future[None] | None = None
        self._synced = 0

    def written(self, raw: io.BufferedWriter) -> None:
        pos = raw.tell()
        if pos - self._synced < ZIP_SYNC_BYTES or (self._running is not None and not self._running.done()):
            return
        if self._running is not None:
            self._running.result()
        raw.flush()
        self._synced = pos
        self._running = self._pool.submit(_datasync, raw.fileno())

    def finish(self) -> None:
        if self._running is not None:
            self._running.result()
            self._running = None

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def _use_fast_crc32() -> None:
    """Have zipfile compute CRC-32 with ISA-L (`isal`, 3-4x zlib's on this kind of CPU)
    where it is installed. The checksum is the same number, so the zip is the same bytes;
    only zipfile's checksum function is swapped (the deflate stays zlib's: ISA-L's
    compresses differently and would change sealed re-exports). zipfile calls its
    module's `crc32` for every entry it writes or reads, so the swap is process-wide and
    harmless: the same results, sooner."""
    try:
        from isal.isal_zlib import crc32
    except ImportError:  # not installed: zlib's, as zipfile has it
        return
    if crc32(b"123456789") == 0xCBF43926:  # the standard check value
        zipfile.crc32 = crc32  # type: ignore[attr-defined]


def _datasync(fd: int) -> None:
    (getattr(os, "fdatasync", None) or os.fsync)(fd)


def write_zip(
    plan: BundlePlan,
    zip_path: str | os.PathLike[str],
    path_for: PathFor,
    *,
    export_date: dt.date,
    progress: Progress = no_progress,
    cancel: Callable[[], bool] = never_cancel,
) -> BundleResult:
    """Write the bundle as one .zip, streaming: memory does not grow with the bundle (a
    fixed ring of buffers). Already-compressed formats are stored, others deflated; names
    are UTF-8 with the flag set (zipfile sets bit 11 for every non-ASCII name); entries
    get Zip64 headers when their size needs them. Every file's SHA-256 is checked on the
    way; a damaged stored file fails the export naming it. Written to a hidden partial file
    beside `zip_path`, fsynced, then renamed into place."""
    target = Path(zip_path).absolute()
    _refuse_existing(target, folder=False)
    _use_fast_crc32()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial_name(target)
    total = len(plan.files)
    reader: _Reader | None = None
    syncer = _ZipSyncer()
    try:
        with open(partial, "wb") as raw:
            with zipfile.ZipFile(raw, "w", allowZip64=True, compresslevel=6) as zf:
                mj, mc = _manifests(plan, export_date)
                for name, data in ((MANIFEST_JSON, mj), (MANIFEST_CSV, mc)):
                    zi = _zipinfo(name, export_date, size=len(data))
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(zi, data)
                for folder in plan.folders:
                    zf.writestr(_zipinfo(folder + "/", export_date, is_dir=True), b"")
                reader = _Reader(plan.files, path_for)
                for n, f in enumerate(plan.files, start=1):
                    if cancel():
                        raise Cancelled()
                    zi = _zipinfo(f.path, export_date, size=f.size)
                    with zf.open(zi, "w") as out:
                        for chunk in reader.chunks(f):
                            out.write(chunk)
                    progress(n, total, f.path)
                    syncer.written(raw)
            syncer.finish()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
        fsync_dir(target.parent)
    except BaseException:
        try:
            partial.unlink()
        except OSError:
            pass
        raise
    finally:
        syncer.close()
        if reader is not None:
            reader.close()
    renamed = sum(1 for f in plan.files if f.changes)
    return BundleResult(str(target), total, plan.total_bytes, renamed)


__all__ = ["BundlePlan", "BundleResult", "DOCS_FOLDER", "GeneratedFile", "PlannedFile",
           "STORED_EXTENSIONS", "add_documents", "plan_bundle", "plan_from_manifest", "plan_rows",
           "write_folder", "write_zip"]
