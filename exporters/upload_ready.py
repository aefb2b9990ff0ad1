"""Upload-ready evidence: everything as PDF, every file under the province's size cap.

Some provincial systems take PDF only, with a cap per file (often 10 or 20 MB). Here:

- images (jpg, png, bmp, tif, gif, webp) become one-page PDFs (Pillow), turned upright by
  their EXIF orientation, fitted to A4 at no more than 300 dpi, and re-encoded and
  downscaled step by step until the PDF is under the cap;
- office files (doc/docx/wps, xls/xlsx/et, ppt/pptx/dps) go through the converter this
  computer has (`exporters.convert`: LibreOffice, Microsoft Office or WPS);
- PDFs are kept as they are (reported when over the cap: they cannot be shrunk safely);
- anything else (OFD, zip, video) and whatever failed is listed, with the reason.

`make_upload_ready` works on (source, name) pairs; `pdf_only_bundle` turns a finished
bundle folder (from `exporters.bundle.write_folder`) into a PDF-only bundle folder with its
own manifest, so `bundle verify` checks it like any other bundle. Pillow: a well-kept
imaging library that reads every format clerks photograph or scan in and writes PDF itself.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from exporters import winpaths
from exporters.convert import OFFICE_EXTS, ConversionError, Converter, Job
from exporters.manifest import MANIFEST_CSV, MANIFEST_JSON, manifest_csv, manifest_json
from storage.kernel.errors import ArchiveError, Cancelled

if TYPE_CHECKING:  # Pillow loads only when an image is converted
    from PIL.Image import Image as PILImage

IMAGE_EXTS = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".gif", ".webp"})
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
A4_IN = (8.27, 11.69)
MAX_DPI = 300
MIN_LONG_SIDE = 900              # below this a scanned page is no longer readable
QUALITIES = (85, 75, 65, 55, 45)

Progress = Callable[[int, int, str], None]


def _never() -> bool:
    return False


def _no_progress(done: int, total: int, text: str = "") -> None:
    return None


@dataclass(frozen=True)
class ImagePdf:
    path: Path
    size: int
    pixels: tuple[int, int]
    quality: int


def _load_image(src: Path, label: str) -> PILImage:
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = 400_000_000   # big scans are normal; bombs are still refused
    try:
        im: PILImage = Image.open(src)
        im.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as e:
        raise ConversionError(f"无法读取图片《{label}》：{e}", f"cannot read the image {label}: {e}") from e
    im = ImageOps.exif_transpose(im)
    if im.mode in ("RGBA", "LA", "P", "PA"):
        im = im.convert("RGBA")
        bg = Image.new("RGB", im.size, "white")
        bg.paste(im, mask=im.getchannel("A"))
        im = bg
    elif im.mode not in ("RGB", "L"):
        im = im.convert("RGB")
    return im


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    w, h = size
    scale = min(1.0, long_side / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))


def _encode(im: PILImage, quality: int) -> bytes:
    # Page size: the image fitted to A4 (portrait or landscape, as the picture is).
    w, h = im.size
    page = A4_IN if h >= w else (A4_IN[1], A4_IN[0])
    dpi = max(w / page[0], h / page[1])
    buf = io.BytesIO()
    im.save(buf, "PDF", resolution=dpi, quality=quality, optimize=True)
    return buf.getvalue()


def image_to_pdf(src: str | os.PathLike[str], dest: str | os.PathLike[str], *,
                 max_bytes: int | None = DEFAULT_MAX_BYTES, name: str = "") -> ImagePdf:
    """One image as a one-page PDF under `max_bytes` (None: no cap, still at most 300 dpi
    on A4). Raises ConversionError when the image cannot be read or cannot get under the
    cap while staying readable."""
    src, dest = Path(src), Path(dest)
    label = name or src.name
    im = _load_image(src, label)
    long_side = max(_fit(im.size, round(A4_IN[1] * MAX_DPI)))
    while True:
        scaled = im.resize(_fit(im.size, long_side), 1) if max(im.size) > long_side else im  # 1: LANCZOS
        for q in QUALITIES:
            data = _encode(scaled, q)
            if max_bytes is None or len(data) <= max_bytes:
                dest.parent.mkdir(parents=True, exist_ok=True)
                partial = dest.with_name(dest.name + ".partial")
                partial.write_bytes(data)
                os.replace(partial, dest)
                return ImagePdf(dest, len(data), scaled.size, q)
        assert max_bytes is not None  # without a cap the first encoding was kept
        if long_side <= MIN_LONG_SIDE:
            raise ConversionError(
                f"图片《{label}》无法压缩到 {max_bytes / 1e6:.1f} MB 以下"
                f"（已缩小到 {scaled.size[0]}×{scaled.size[1]}）",
                f"the image {label} cannot be brought under {max_bytes / 1e6:.1f} MB "
                f"(tried down to {scaled.size[0]}x{scaled.size[1]})")
        # area scales with the square of the side: aim a little under the cap
        ratio = (max_bytes / len(data)) ** 0.5 * 0.9
        long_side = max(MIN_LONG_SIDE, int(long_side * min(ratio, 0.8)))


# --- many files --------------------------------------------------------------------------------


@dataclass
class ReadyItem:
    """What happened to one file. action: kept (already PDF), image, office (converted),
    failed (not converted; reason given), over_cap (a PDF over the size cap)."""

    name: str                    # the input's name (relative path in a bundle)
    output: str | None           # the output's name, or None when nothing was written
    action: str
    size: int = 0
    reason_zh: str = ""
    reason_en: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "output": self.output, "action": self.action, "size": self.size,
                "reason": f"{self.reason_zh} ({self.reason_en})" if self.reason_zh else ""}


@dataclass
class UploadReadyReport:
    out_dir: str
    max_bytes: int | None
    converter: str | None
    items: list[ReadyItem] = field(default_factory=list)

    @property
    def not_converted(self) -> list[ReadyItem]:
        return [i for i in self.items if i.action in ("failed", "over_cap")]

    @property
    def ok(self) -> bool:
        return not self.not_converted

    def as_dict(self) -> dict:
        return {"out_dir": self.out_dir, "max_bytes": self.max_bytes, "converter": self.converter,
                "ok": self.ok, "items": [i.as_dict() for i in self.items]}


def pdf_name(name: str) -> str:
    stem, _ext = winpaths.split_ext(name)
    return f"{stem}.pdf"


def make_upload_ready(
    items: Sequence[tuple[str | os.PathLike[str], str]],
    out_dir: str | os.PathLike[str],
    *,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    converter: Converter | None = None,
    outputs: dict[str, str] | None = None,
    timeout: float = 120.0,
    progress: Progress = _no_progress,
    cancel: Callable[[], bool] = _never,
) -> UploadReadyReport:
    """Write a PDF for every (source, name) into `out_dir`/<name with .pdf>. `outputs` may
    give the output name per input name (default: the extension replaced by .pdf)."""
    out = Path(out_dir)
    report = UploadReadyReport(str(out), max_bytes, converter.describe() if converter else None)
    total = len(items)
    office: list[tuple[int, Job]] = []
    slots: list[ReadyItem] = []
    for n, (src, name) in enumerate(items, start=1):
        if cancel():
            raise Cancelled()
        src = Path(src)
        ext = winpaths.split_ext(name)[1].lower()
        target = (outputs or {}).get(name) or pdf_name(name)
        dest = out / target
        if ext == ".pdf":
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            size = dest.stat().st_size
            item = ReadyItem(name, target, "kept", size)
            if max_bytes is not None and size > max_bytes:
                item.action = "over_cap"
                item.reason_zh = f"PDF 有 {size / 1e6:.1f} MB，超过上限 {max_bytes / 1e6:.1f} MB，请拆分或重新扫描"
                item.reason_en = (f"the PDF is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB cap; "
                                  "split it or scan it again")
            slots.append(item)
        elif ext in IMAGE_EXTS:
            try:
                r = image_to_pdf(src, dest, max_bytes=max_bytes, name=name)
                slots.append(ReadyItem(name, target, "image", r.size))
            except ConversionError as e:
                slots.append(ReadyItem(name, None, "failed", 0, e.zh, e.en))
        elif ext in OFFICE_EXTS and converter is not None and converter.handles(ext):
            slots.append(ReadyItem(name, target, "office"))
            office.append((len(slots) - 1, Job(src, dest, ext, name)))
        else:
            if ext in OFFICE_EXTS:
                why = ("本机没有可用的转换程序（Microsoft Office、WPS 或 LibreOffice）",
                       "no converter on this computer (Microsoft Office, WPS or LibreOffice)")
            elif ext == ".ofd":
                why = ("OFD 版式文件无法转换，请向报送单位索取 PDF 版本",
                       "OFD files cannot be converted; ask the department for a PDF")
            else:
                why = (f"{ext or '无扩展名'} 文件无法转换为 PDF", f"{ext or 'extensionless'} files cannot be made PDF")
            slots.append(ReadyItem(name, None, "failed", 0, *why))
        progress(n - len(office), total, name)
    if office and converter is not None:
        done0 = total - len(office)
        results = converter.to_pdf_many(
            [j for _, j in office], timeout=timeout, cancel=cancel,
            progress=lambda d, t, s: progress(done0 + d, total, s))
        for (slot, _job), converted in zip(office, results):
            item = slots[slot]
            if isinstance(converted, ConversionError):
                item.output, item.action, item.reason_zh, item.reason_en = None, "failed", converted.zh, converted.en
                continue
            item.size = converted.stat().st_size
            if max_bytes is not None and item.size > max_bytes:
                item.action = "over_cap"
                item.reason_zh = f"转换后的 PDF 有 {item.size / 1e6:.1f} MB，超过上限"
                item.reason_en = f"the converted PDF is {item.size / 1e6:.1f} MB, over the cap"
    progress(total, total, "")
    report.items = slots
    return report


# --- a PDF-only bundle ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    path: str
    size: int
    sha256: str
    indicator: str
    evidence_id: int | None
    original_name: str


def pdf_only_bundle(
    bundle_dir: str | os.PathLike[str],
    outdir: str | os.PathLike[str],
    *,
    export_date: dt.date,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    converter: Converter | None = None,
    progress: Progress = _no_progress,
    cancel: Callable[[], bool] = _never,
) -> UploadReadyReport:
    """A copy of the bundle folder `bundle_dir` with every file as a PDF under the cap and a
    new manifest (files that could not be converted are left out and listed in the report).
    Written in a hidden partial folder and renamed into place; `outdir` must not exist."""
    import hashlib

    src = Path(bundle_dir)
    mpath = src / MANIFEST_JSON
    if not mpath.is_file():
        raise ArchiveError(f"不是材料包文件夹（缺少 {MANIFEST_JSON}）：{src}",
                           f"not a bundle folder (no {MANIFEST_JSON}): {src}")
    doc = json.loads(mpath.read_text(encoding="utf-8"))
    target = Path(outdir).absolute()
    if target.exists():
        raise ArchiveError(f"导出目标已存在：{target}（请选择新的名称）",
                           f"the export target already exists: {target} (choose a new name)")
    budget = int(doc.get("path_budget") or winpaths.DEFAULT_BUDGET)
    rows = doc["files"]
    # output names: .pdf, still within the path budget and unique per folder
    spaces: dict[str, winpaths.NameSpace] = {}
    outputs: dict[str, str] = {}
    for r in rows:
        folder, _, fname = r["path"].rpartition("/")
        space = spaces.setdefault(folder, winpaths.NameSpace())
        limit = budget - 1 - (winpaths.units(folder) + 1 if folder else 0)
        number = fname.split(" ", 1)[0]
        outputs[r["path"]] = (f"{folder}/" if folder else "") + space.claim(
            pdf_name(fname), limit, keep_prefix=len(number) + 1 if " " in fname else 0)
    partial = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:8]}"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        report = make_upload_ready([(src / r["path"], r["path"]) for r in rows], partial,
                                   max_bytes=max_bytes, converter=converter, outputs=outputs,
                                   progress=progress, cancel=cancel)
        by_name = {r["path"]: r for r in rows}
        new_rows = []
        for item in report.items:
            if item.output is None or item.action == "over_cap":
                if item.output:
                    (partial / item.output).unlink(missing_ok=True)
                    item.output = None
                continue
            f = partial / item.output
            h = hashlib.sha256(f.read_bytes()).hexdigest()
            old = by_name[item.name]
            new_rows.append(_Row(item.output, f.stat().st_size, h, old["indicator"],
                                 old["evidence_id"], old["original_name"]))
        j = manifest_json(new_rows, framework_name=doc.get("framework", ""),
                          export_date=export_date.isoformat(), path_budget=budget)
        (partial / MANIFEST_JSON).write_bytes(j)
        (partial / MANIFEST_CSV).write_bytes(manifest_csv(json.loads(j)["files"]))
        os.replace(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    report.out_dir = str(target)
    return report


__all__ = ["DEFAULT_MAX_BYTES", "IMAGE_EXTS", "ImagePdf", "ReadyItem", "UploadReadyReport",
           "image_to_pdf", "make_upload_ready", "pdf_name", "pdf_only_bundle"]
