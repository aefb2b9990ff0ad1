"""Upload-ready evidence: big images become PDFs under the cap (opened back with pypdf),
office files go through LibreOffice, what cannot be converted is listed with the reason, and
a PDF-only copy of a bundle passes `bundle verify`."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from test_gbt9704 import sample_document

from exporters import convert
from exporters.bundle import plan_bundle, write_folder
from exporters.convert import ConversionError
from exporters.manifest import verify_bundle
from exporters.upload_ready import image_to_pdf, make_upload_ready, pdf_only_bundle
from storage.kernel.errors import ArchiveError
from storage.readmodels import BundleFile, BundleIndicator, BundleSource

needs_soffice = pytest.mark.skipif(convert.find_soffice() is None, reason="LibreOffice not installed")
MB = 1024 * 1024


def big_photo(path: Path, size=(4800, 3600), *, mode="RGB", fmt=None, exif_rotate=False) -> Path:
    """A photo-like picture that compresses badly: gradients plus noise."""
    w, h = size
    noise = Image.frombytes("L", (w, h), os.urandom(w * h))
    grad = Image.linear_gradient("L").resize((w, h))
    im = Image.merge("RGB", (noise, grad, Image.blend(noise, grad, 0.5)))
    if mode == "RGBA":
        im = im.convert("RGBA")
        im.putalpha(Image.linear_gradient("L").resize((w, h)))
    kwargs = {}
    if exif_rotate:
        exif = Image.Exif()
        exif[0x0112] = 6           # rotate 90° clockwise to display
        kwargs["exif"] = exif
    im.save(path, fmt, quality=95, **kwargs)
    return path


def test_big_image_becomes_a_pdf_under_the_cap(tmp_path):
    src = big_photo(tmp_path / "现场照片.jpg")
    assert src.stat().st_size > 4 * MB
    r = image_to_pdf(src, tmp_path / "out" / "现场照片.pdf", max_bytes=1 * MB)
    assert r.path.stat().st_size == r.size <= 1 * MB
    assert max(r.pixels) < 4800                  # it had to be downscaled
    reader = PdfReader(r.path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    # landscape photo fitted to A4 landscape: one side is A4's, the other within it
    w, h = float(box.width), float(box.height)
    assert w > h and w <= 843 and h <= 596
    assert w == pytest.approx(842, abs=1.5) or h == pytest.approx(595, abs=1.5)
    images = reader.pages[0].images
    assert len(images) == 1 and images[0].image.size == r.pixels


def test_png_with_transparency_and_exif_rotation(tmp_path):
    png = big_photo(tmp_path / "扫描件.png", (1200, 1700), mode="RGBA")
    r = image_to_pdf(png, tmp_path / "a.pdf", max_bytes=2 * MB)
    assert r.size <= 2 * MB and PdfReader(r.path).pages[0].images[0].image.mode in ("RGB", "L")
    rotated = big_photo(tmp_path / "手机拍照.jpg", (1600, 1200), exif_rotate=True)
    r = image_to_pdf(rotated, tmp_path / "b.pdf", max_bytes=None)
    assert r.pixels == (1200, 1600)              # turned upright: portrait page
    box = PdfReader(r.path).pages[0].mediabox
    assert float(box.height) > float(box.width)


def test_unreadable_or_incompressible_images_are_refused_clearly(tmp_path):
    fake = tmp_path / "不是图片.jpg"
    fake.write_bytes(b"not an image at all")
    with pytest.raises(ConversionError) as ei:
        image_to_pdf(fake, tmp_path / "x.pdf")
    assert ei.value.zh.startswith("无法读取图片《不是图片.jpg》")
    with pytest.raises(ConversionError) as ei:
        image_to_pdf(big_photo(tmp_path / "n.jpg", (2400, 1800)), tmp_path / "y.pdf", max_bytes=20_000)
    assert "无法压缩到" in ei.value.zh and "cannot be brought under" in ei.value.en
    assert not (tmp_path / "y.pdf").exists()


@needs_soffice
def test_mixed_files_report_what_could_not_be_converted(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    sample_document(src / "方案.docx")
    big_photo(src / "照片.jpg", (3000, 2000))
    (src / "电子证照.ofd").write_bytes(b"PK\x03\x04 ofd")
    (src / "视频.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    shutil.copyfile(src / "方案.docx", src / "stored-blob")
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    with open(src / "已是PDF.pdf", "wb") as f:
        w.write(f)
    items = [(src / "方案.docx", "1.1 组织/01 方案.docx"), (src / "照片.jpg", "1.1 组织/02 照片.jpg"),
             (src / "电子证照.ofd", "1.2 基础/01 电子证照.ofd"), (src / "视频.mp4", "1.2 基础/02 视频.mp4"),
             (src / "stored-blob", "1.2 基础/03 纪要.docx"), (src / "已是PDF.pdf", "1.2 基础/04 已是PDF.pdf")]
    seen = []
    report = make_upload_ready(items, tmp_path / "out", max_bytes=2 * MB,
                               converter=convert.LibreOfficeConverter(),
                               progress=lambda d, t, s="": seen.append(d))
    actions = {i.name: i.action for i in report.items}
    assert actions == {"1.1 组织/01 方案.docx": "office", "1.1 组织/02 照片.jpg": "image",
                       "1.2 基础/01 电子证照.ofd": "failed", "1.2 基础/02 视频.mp4": "failed",
                       "1.2 基础/03 纪要.docx": "office", "1.2 基础/04 已是PDF.pdf": "kept"}
    assert [i.name for i in report.not_converted] == ["1.2 基础/01 电子证照.ofd", "1.2 基础/02 视频.mp4"]
    assert "OFD" in report.not_converted[0].reason_zh and "PDF" in report.not_converted[0].reason_en
    for i in report.items:
        if i.output:
            p = tmp_path / "out" / i.output
            assert p.suffix == ".pdf" and p.stat().st_size <= 2 * MB
            assert len(PdfReader(p).pages) >= 1
    assert len(PdfReader(tmp_path / "out" / "1.1 组织/01 方案.pdf").pages) >= 3
    assert seen[-1] == 6
    # without a converter, office files are listed as not converted
    report = make_upload_ready(items[:1], tmp_path / "out2", converter=None)
    assert report.items[0].action == "failed" and "没有可用的转换程序" in report.items[0].reason_zh


@needs_soffice
def test_pdf_only_bundle_passes_verify(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    files = {}

    def put(path: Path) -> tuple[str, int]:
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        (store / sha).write_bytes(data)
        files[sha] = store / sha
        return sha, len(data)

    sha_doc, n_doc = put(sample_document(tmp_path / "方案.docx"))
    sha_jpg, n_jpg = put(big_photo(tmp_path / "p.jpg", (2400, 1800)))
    (tmp_path / "x.ofd").write_bytes(b"ofd")
    sha_ofd, n_ofd = put(tmp_path / "x.ofd")

    def bf(eid, pos, name, sha, size):
        return BundleFile(eid, pos, 1, 1, name.rsplit(".", 1)[0], "", "accepted", name, sha, size)

    source = BundleSource(1, "示例指标体系", (
        BundleIndicator(1, "1.1.1", "组织领导", True, False, False,
                        (bf(1, 1, "工作方案.docx", sha_doc, n_doc), bf(2, 2, "现场照片.jpg", sha_jpg, n_jpg))),
        BundleIndicator(2, "1.1.2", "电子证照", True, False, False, (bf(3, 1, "营业执照.ofd", sha_ofd, n_ofd),)),
    ))
    day = dt.date(2024, 6, 1)
    plan = plan_bundle(source)
    write_folder(plan, tmp_path / "bundle", lambda s: files[s], export_date=day)
    report = pdf_only_bundle(tmp_path / "bundle", tmp_path / "pdf-only", export_date=day,
                             max_bytes=3 * MB, converter=convert.LibreOfficeConverter())
    out = tmp_path / "pdf-only"
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == ["1.1.1 组织领导/01 工作方案.pdf", "1.1.1 组织领导/02 现场照片.pdf",
                     "manifest.csv", "manifest.json"]
    assert [i.name for i in report.not_converted] == ["1.1.2 电子证照/01 营业执照.ofd"]
    check = verify_bundle(out)
    assert check.ok and check.checked == 2
    with pytest.raises(ArchiveError):
        pdf_only_bundle(tmp_path / "bundle", out, export_date=day)
