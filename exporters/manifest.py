"""The bundle's manifest (manifest.json and manifest.csv at the bundle root) and
`bundle verify`: re-hash a bundle folder or zip and name every missing, changed or extra file.

The manifest lists every file of the bundle except the two manifest files themselves, sorted
by path, with size and SHA-256, the indicator it belongs to and the evidence item and
original file name it came from. Its bytes depend only on the bundle's content and the
export date (sorted keys, sorted rows, no clock).

What each check proves: the writers (`exporters.bundle`) hash every stored file's bytes as
they copy them and compare with the SHA-256 recorded at ingest, so a bundle is written only
from the recorded content; `verify_bundle` reads a written bundle back in full (from wherever
it now is: the target disk, a USB stick, an unpacked upload) and compares every file with
this manifest, which proves what is on that disk.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.kernel.errors import ArchiveError, Cancelled
from storage.kernel.progress import never_cancel, no_progress

MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
FORMAT = "evidence-desk-bundle"
VERSION = 1
CSV_COLUMNS = ("path", "size", "sha256", "indicator", "evidence_id", "original_name")
CSV_HEADERS = ("路径 path", "字节 size", "SHA-256", "指标 indicator", "佐证编号 evidence_id",
               "原文件名 original_name")
CHUNK = 1 << 20


def _row(f: Any) -> dict[str, Any]:
    return {
        "path": f.path,
        "size": int(f.size),
        "sha256": f.sha256,
        "indicator": f.indicator,
        "evidence_id": f.evidence_id,
        "original_name": f.original_name,
    }


def manifest_json(files: Iterable[Any], *, framework_name: str, export_date: str,
                  path_budget: int) -> bytes:
    """manifest.json's bytes; `files` have path, size, sha256, indicator, evidence_id,
    original_name."""
    rows = sorted((_row(f) for f in files), key=lambda r: r["path"])
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "framework": framework_name,
        "export_date": export_date,
        "path_budget": path_budget,
        "file_count": len(rows),
        "total_bytes": sum(r["size"] for r in rows),
        "files": rows,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def manifest_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """manifest.csv's bytes: UTF-8 with a BOM so Excel on Chinese Windows reads it right."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_HEADERS)
    for r in sorted(rows, key=lambda r: r["path"]):
        w.writerow(["" if r[c] is None else r[c] for c in CSV_COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


@dataclass
class BundleCheck:
    """What `bundle verify` found. `ok` only when nothing is missing, changed or extra."""

    bundle: str
    checked: int = 0
    bytes_checked: int = 0
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.extra or self.cancelled)

    def as_dict(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle, "ok": self.ok, "checked": self.checked,
            "bytes_checked": self.bytes_checked, "missing": self.missing,
            "changed": self.changed, "extra": self.extra, "cancelled": self.cancelled,
        }


def _hash_stream(f: Any) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    while chunk := f.read(CHUNK):
        h.update(chunk)
        n += len(chunk)
    return h.hexdigest(), n


def _load_manifest(data: bytes, where: str) -> dict[str, Any]:
    try:
        doc = json.loads(data.decode("utf-8"))
        if doc.get("format") != FORMAT or not isinstance(doc.get("files"), list):
            raise ValueError("not a bundle manifest")
        return doc
    except (ValueError, UnicodeDecodeError, AttributeError) as e:
        raise ArchiveError(
            f"清单文件无法读取或不是本程序生成的：{where}",
            f"the manifest cannot be read or was not made by Evidence Desk: {where} ({e})",
        ) from e


def verify_bundle(
    path: str | os.PathLike[str],
    *,
    progress: Callable[[int, int, str], None] = no_progress,
    cancel: Callable[[], bool] = never_cancel,
) -> BundleCheck:
    """Re-hash every file of a bundle (folder or .zip) against its manifest.json.

    Raises ArchiveError when the path is not a bundle (no readable manifest).
    """
    p = Path(path)
    if p.is_dir():
        return _verify_dir(p, progress, cancel)
    if p.is_file() and zipfile.is_zipfile(p):
        return _verify_zip(p, progress, cancel)
    raise ArchiveError(
        f"找不到材料包（应为文件夹或 .zip）：{p}", f"no bundle folder or .zip at {p}"
    )


def _compare(check: BundleCheck, doc: dict, present: dict[str, Any], opener, progress, cancel,
             csv_bytes: bytes | None) -> BundleCheck:
    files = doc["files"]
    expected = {unicodedata.normalize("NFC", r["path"]): r for r in files}
    if csv_bytes is None:
        check.missing.append(MANIFEST_CSV)
    elif csv_bytes != manifest_csv(files):
        check.changed.append(MANIFEST_CSV)
    total = len(expected)
    for n, (name, row) in enumerate(sorted(expected.items()), start=1):
        if cancel():
            check.cancelled = True
            raise Cancelled()
        if name not in present:
            check.missing.append(name)
            continue
        try:
            with opener(present[name]) as f:
                digest, size = _hash_stream(f)
        except zipfile.BadZipFile:  # a zip member whose CRC no longer matches
            check.checked += 1
            check.changed.append(name)
            continue
        check.checked += 1
        check.bytes_checked += size
        if digest != row["sha256"] or size != row["size"]:
            check.changed.append(name)
        progress(n, total, name)
    check.extra = sorted(set(present) - set(expected) - {MANIFEST_JSON, MANIFEST_CSV})
    return check


def _verify_dir(root: Path, progress, cancel) -> BundleCheck:
    mpath = root / MANIFEST_JSON
    if not mpath.is_file():
        raise ArchiveError(f"材料包中没有 {MANIFEST_JSON}：{root}", f"no {MANIFEST_JSON} in {root}")
    doc = _load_manifest(mpath.read_bytes(), str(mpath))
    present: dict[str, Path] = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            full = Path(folder) / name
            rel = unicodedata.normalize("NFC", full.relative_to(root).as_posix())
            present[rel] = full
    csv_path = root / MANIFEST_CSV
    csv_bytes = csv_path.read_bytes() if csv_path.is_file() else None
    return _compare(BundleCheck(str(root)), doc, present, lambda p: open(p, "rb"),
                    progress, cancel, csv_bytes)


def _verify_zip(path: Path, progress, cancel) -> BundleCheck:
    # metadata_encoding: a bundle unpacked and zipped again on Chinese Windows has GBK names
    # without the UTF-8 flag; names that carry the flag are read as UTF-8 regardless.
    with zipfile.ZipFile(path, metadata_encoding="gbk") as zf:
        present = {unicodedata.normalize("NFC", i.filename): i for i in zf.infolist()
                   if not i.is_dir()}
        if MANIFEST_JSON not in present:
            raise ArchiveError(f"材料包中没有 {MANIFEST_JSON}：{path}", f"no {MANIFEST_JSON} in {path}")
        doc = _load_manifest(zf.read(present[MANIFEST_JSON]), f"{path}!{MANIFEST_JSON}")
        csv_bytes = zf.read(present[MANIFEST_CSV]) if MANIFEST_CSV in present else None
        return _compare(BundleCheck(str(path)), doc, present, zf.open, progress, cancel, csv_bytes)


__all__ = ["BundleCheck", "MANIFEST_CSV", "MANIFEST_JSON", "manifest_csv", "manifest_json",
           "verify_bundle"]
