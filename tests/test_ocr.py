"""OCR of scans and photos (issue 15): the real engine (rapidocr on onnxruntime) on small
images the tests draw with a CJK font; reading order and EXIF dates; the message when the
component is absent. Without the engine or the font these tests skip locally and fail in CI."""
from __future__ import annotations

import io
import math
import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from ocr_helpers import (
    HEADER,
    NUMBER,
    TITLE,
    as_scan,
    char_accuracy,
    draw_lines,
    need_engine,
    red_header,
)
from PIL import Image

from storage.kernel.errors import BadInput, Cancelled
from storage.reading import ocr
from storage.reading.ocr import (
    OcrResult,
    OcrUnavailable,
    image_frames,
    normalise,
    ocr_image,
    ocr_pdf_pages,
    paragraph_text,
    photo_taken,
    reading_order,
)
from storage.reading.ocr_worker import OcrFailed, OcrWorker

ROOT = Path(__file__).resolve().parents[1]

BODY = [
    "为贯彻落实质量强国建设纲要，进一步提升",
    "全县产品质量和服务质量，现将有关事项通",
    "知如下。请各单位于11月30日前报送总结。",
]


@pytest.fixture(scope="module")
def engine_ready() -> None:
    need_engine()


# --- the real engine ---------------------------------------------------------------------------


def test_red_header_number_and_title_read_as_three_paragraphs(engine_ready: None) -> None:
    result = ocr_image(red_header())
    assert result.text.splitlines() == [HEADER, NUMBER, TITLE]
    assert [line.paragraph for line in result.lines] == [0, 1, 2]
    assert all(0.5 <= line.score <= 1 for line in result.lines)
    header = result.lines[0].box
    assert header[0][1] < result.lines[1].box[0][1] < result.lines[2].box[0][1]  # boxes top to bottom
    assert result.seconds > 0 and (result.width, result.height) == red_header().size


def test_engine_is_created_once_per_process_with_one_thread(engine_ready: None) -> None:
    first = ocr.engine()
    assert ocr.engine() is first
    assert first.cfg.EngineConfig.onnxruntime.intra_op_num_threads == ocr.OCR_THREADS == 1
    # every model path is explicit and inside the installed rapidocr wheel: nothing to download
    models = ocr._models_dir()
    assert models is not None
    for part in ("Det", "Rec", "Cls"):
        path = Path(first.cfg[part].model_path)
        assert path.parent == models and path.is_file()


def test_a_fresh_engine_never_downloads(engine_ready: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """rapidocr downloads a model or dictionary it cannot find (offline, that fails): with our
    parameters a new engine loads and reads without ever reaching its download code."""
    from rapidocr import RapidOCR
    from rapidocr.utils import download_file

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("rapidocr tried to download something")

    monkeypatch.setattr(download_file.DownloadFile, "run", classmethod(no_download))
    models = ocr._models_dir()
    assert models is not None
    fresh = RapidOCR(params=ocr.engine_params(models))
    result = ocr._recognise(fresh, red_header(), 0.0)
    assert result.text.splitlines() == [HEADER, NUMBER, TITLE]


def test_skewed_noisy_scan_is_still_read(engine_ready: None) -> None:
    page = draw_lines(
        [(HEADER, 40, "black"), (NUMBER, 24, "black"), (TITLE, 28, "black")]
        + [(line, 24, "black") for line in BODY],
        width=620,
    )
    scan = as_scan(page, angle=1.8)
    result = ocr_image(scan)
    truth = "\n".join([HEADER, NUMBER, TITLE, *BODY])
    assert char_accuracy(truth, result.text) >= 0.95, result.text
    assert NUMBER in result.text and TITLE in result.text
    # rows come out in order despite the skew, the body's wrapped lines as one paragraph
    rows = result.rows
    assert rows.index(TITLE) < len(rows) - 3
    assert "".join(BODY) in result.text.replace("\n", "") or char_accuracy(
        "".join(BODY), result.text.splitlines()[-1]
    ) >= 0.9


def test_sideways_photo_with_exif_orientation_and_odd_modes_are_normalised(engine_ready: None, tmp_path: Path) -> None:
    header = red_header()
    # a phone stores the sensor's pixels sideways and says "rotate 90 clockwise" (6)
    exif = Image.Exif()
    exif[0x0112] = 6
    # stored as the archive stores it: named by its hash, no extension
    photo = tmp_path / "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    header.transpose(Image.Transpose.ROTATE_90).save(photo, "JPEG", quality=90, exif=exif)
    assert ocr_image(photo).text.splitlines() == [HEADER, NUMBER, TITLE]

    # a scanner's two-page TIFF: each page by its frame number
    tiff = tmp_path / "scan.tif"
    second = draw_lines([("附件：2023年质量工作台账", 28, "black")], width=700)
    header.save(tiff, save_all=True, append_images=[second], compression="tiff_deflate")
    assert image_frames(tiff) == 2
    assert "质量工作台账" in ocr_image(tiff, frame=1).text
    with pytest.raises(BadInput):
        ocr_image(tiff, frame=2)

    # a palette PNG with transparency (black text on a transparent ground) and a 16-bit scan
    gray = header.convert("L")
    transparent = Image.new("LA", gray.size)
    transparent.putdata([(0, 255 - v) for v in gray.tobytes()])
    palette = tmp_path / "transparent.png"
    transparent.convert("RGBA").convert("P", palette=Image.Palette.ADAPTIVE).save(palette, transparency=0)
    sixteen = tmp_path / "scan16.png"
    gray.point(lambda v: v * 256, "I").convert("I;16").save(sixteen)
    for path in (palette, sixteen):
        assert NUMBER in ocr_image(path).text, path.name


def test_image_only_pdf_pages_in_the_order_asked_with_cancel(engine_ready: None, tmp_path: Path) -> None:
    first = draw_lines([(HEADER, 40, "#c00000"), (NUMBER, 24, "black")], width=700)
    second = draw_lines([("附件：2023年质量工作台账", 28, "black")], width=700)
    pdf = tmp_path / "scan.pdf"
    first.save(pdf, "PDF", resolution=200, save_all=True, append_images=[second])

    seen: list[int] = []
    results = ocr_pdf_pages(pdf, [1, 2], dpi=200, on_page=lambda n, r: seen.append(n))
    assert list(results) == [1, 2] and seen == [1, 2]
    assert results[1].text.splitlines() == [HEADER, NUMBER]
    assert "2023年质量工作台账" in results[2].text
    # rendered at 200 dpi, the page comes back at the size it was drawn (±2 px)
    assert abs(results[1].width - first.width) <= 2

    # cancel is asked before each page: the first is done and reported, then Cancelled
    seen.clear()
    with pytest.raises(Cancelled):
        ocr_pdf_pages(pdf, [2, 1], cancel=lambda: len(seen) >= 1, on_page=lambda n, r: seen.append(n))
    assert seen == [2]

    with pytest.raises(BadInput, match="没有第 3 页"):
        ocr_pdf_pages(pdf, [3])
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really")
    with pytest.raises(BadInput, match="^PDF 文件无法打开"):
        ocr_pdf_pages(broken, [1])


def test_not_an_image_is_bad_input(engine_ready: None, tmp_path: Path) -> None:
    fake = tmp_path / "IMG_0001.jpg"
    fake.write_bytes(b"this is not a picture")
    with pytest.raises(BadInput) as caught:
        ocr_image(fake)
    assert str(caught.value).startswith("图片无法打开")


# --- the worker process ------------------------------------------------------------------------


def test_worker_reads_in_its_own_limited_process_and_survives_a_failure(engine_ready: None, tmp_path: Path) -> None:
    path = tmp_path / "header.png"
    red_header().save(path)
    with OcrWorker() as worker:
        assert worker.ocr_image(path).text.splitlines() == [HEADER, NUMBER, TITLE]
        pid = worker.pid
        assert pid is not None and pid != os.getpid()
        limit = Path(f"/proc/{pid}/limits")
        if limit.exists():
            line = next(x for x in limit.read_text().splitlines() if x.startswith("Max address space"))
            assert str(ocr.OCR_MEMORY_LIMIT) in line
        with pytest.raises(BadInput, match="^图片无法打开"):
            worker.ocr_image(tmp_path / "missing.png")
        assert worker.pid == pid  # a bad file does not cost the worker

    # 300 MB of address space is far too little: the worker fails, the caller gets OcrFailed
    with OcrWorker(memory_limit=300 * 1024**2, page_timeout=60) as starved:
        with pytest.raises(OcrFailed) as caught:
            starved.ocr_image(path)
        assert str(caught.value).startswith("文字识别")


# --- reading order, without the engine ----------------------------------------------------------


def _box(x: float, y: float, w: float, h: float, angle_deg: float = 0.0) -> tuple:
    """Four corners of a w x h box at (x, y), rotated about the page origin by angle."""
    a = math.radians(angle_deg)

    def rot(px: float, py: float) -> tuple[float, float]:
        return (px * math.cos(a) - py * math.sin(a), px * math.sin(a) + py * math.cos(a))

    return (rot(x, y), rot(x + w, y), rot(x + w, y + h), rot(x, y + h))


def test_reading_order_rows_then_columns_on_a_skewed_page() -> None:
    # a page skewed by 2 degrees: on the right, row 1's boxes sit lower than row 2's on the left
    found = [
        ("县直各有关单位：", _box(720, 100, 600, 40, 2.0), 0.99),
        ("各乡镇人民政府，", _box(100, 100, 600, 40, 2.0), 0.99),
        ("为贯彻落实质量强国建设纲要", _box(180, 160, 1320, 40, 2.0), 0.98),
        ("进一步提升全县质量工作水平", _box(100, 220, 1400, 40, 2.0), 0.97),
        ("现将有关事项通知如下。", _box(100, 280, 700, 40, 2.0), 0.97),
        ("一、工作目标", _box(180, 340, 500, 40, 2.0), 0.96),
    ]
    lines = reading_order(found)
    assert [x.text for x in lines] == [
        "各乡镇人民政府，", "县直各有关单位：", "为贯彻落实质量强国建设纲要",
        "进一步提升全县质量工作水平", "现将有关事项通知如下。", "一、工作目标",
    ]
    assert [x.row for x in lines] == [0, 0, 1, 2, 3, 4]
    # indented rows start paragraphs; a wrapped row continues one; no spaces between Chinese
    assert paragraph_text(lines).splitlines() == [
        "各乡镇人民政府，县直各有关单位：",
        "为贯彻落实质量强国建设纲要进一步提升全县质量工作水平现将有关事项通知如下。",
        "一、工作目标",
    ]


def test_latin_words_keep_their_spaces_and_table_columns_stay_apart() -> None:
    found = [
        ("本年度共有三家企业通过ISO", _box(100, 100, 800, 40), 0.99),
        ("9001质量管理体系认证", _box(100, 160, 500, 40), 0.99),
        ("姓名", _box(100, 300, 80, 40), 0.99),
        ("张明", _box(400, 300, 80, 40), 0.99),
    ]
    text = paragraph_text(reading_order(found))
    assert "本年度共有三家企业通过ISO 9001质量管理体系认证" in text
    assert text.splitlines()[-1] == "姓名 张明"


def test_punctuation_next_to_chinese_made_full_width() -> None:
    assert ocr.fix_punctuation("各单位:") == "各单位："
    assert ocr.fix_punctuation("管理办法(试行)") == "管理办法（试行）"
    assert ocr.fix_punctuation("电话0591-12345678, ISO 9001:2015") == "电话0591-12345678, ISO 9001:2015"


def test_normalise_downscales_large_images_and_flattens_modes() -> None:
    big = Image.new("RGB", (3000, 300), "white")
    assert normalise(big).size == (ocr.MAX_SIDE, 240)
    assert normalise(big, max_side=1000).size == (1000, 100)
    cmyk = Image.new("CMYK", (10, 10), (0, 0, 0, 255))  # black ink
    assert normalise(cmyk).mode == "RGB" and normalise(cmyk).getpixel((0, 0)) == (0, 0, 0)
    clear = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    assert normalise(clear).getpixel((0, 0)) == (255, 255, 255)  # transparency on white
    deep = Image.new("I;16", (10, 10), 65535)
    deep.putpixel((0, 0), 0)
    flat = normalise(deep)
    assert flat.getpixel((0, 0)) == (0, 0, 0) and flat.getpixel((5, 5)) == (255, 255, 255)


def test_ocr_result_rows_and_mean_score() -> None:
    lines = reading_order([("关于", _box(0, 0, 80, 40), 0.8), ("通知", _box(0, 60, 80, 40), 1.0)])
    result = OcrResult(text=paragraph_text(lines), lines=tuple(lines), seconds=0.1, width=100, height=100)
    assert result.rows == ("关于", "通知")
    assert result.mean_score == pytest.approx(0.9)


# --- EXIF dates ----------------------------------------------------------------------------------


def _jpeg_with_exif(path: Path, tags: dict[int, str], base: dict[int, str] | None = None) -> Path:
    exif = Image.Exif()
    for tag, value in (base or {}).items():
        exif[tag] = value
    if tags:
        exif.get_ifd(0x8769).update(tags)
    Image.new("RGB", (16, 16), "white").save(path, "JPEG", exif=exif)
    return path


def test_photo_taken_from_exif(tmp_path: Path) -> None:
    taken = _jpeg_with_exif(tmp_path / "a.jpg", {0x9003: "2023:09:15 10:15:00"})
    assert photo_taken(taken) == datetime(2023, 9, 15, 10, 15, 0)

    with_offset = _jpeg_with_exif(tmp_path / "b.jpg", {0x9003: "2023:09:15 10:15:00", 0x9011: "+08:00"})
    assert photo_taken(with_offset) == datetime(2023, 9, 15, 10, 15, tzinfo=timezone(timedelta(hours=8)))

    digitized = _jpeg_with_exif(tmp_path / "c.jpg", {0x9004: "2022:01:02 03:04:05"})
    assert photo_taken(digitized) == datetime(2022, 1, 2, 3, 4, 5)

    only_datetime = _jpeg_with_exif(tmp_path / "d.jpg", {}, {0x0132: "2021:05:06 07:08:09"})
    assert photo_taken(only_datetime) == datetime(2021, 5, 6, 7, 8, 9)

    blank = _jpeg_with_exif(tmp_path / "e.jpg", {0x9003: "0000:00:00 00:00:00"})
    assert photo_taken(blank) is None
    unset_clock = _jpeg_with_exif(tmp_path / "f.jpg", {0x9003: "1970:01:01 00:00:00"})
    assert photo_taken(unset_clock) is None

    plain = tmp_path / "g.png"
    Image.new("RGB", (8, 8)).save(plain)
    assert photo_taken(plain) is None
    not_image = tmp_path / "h.jpg"
    not_image.write_bytes(b"nope")
    assert photo_taken(not_image) is None
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "JPEG")
    assert photo_taken(Image.open(io.BytesIO(buf.getvalue()))) is None


# --- the component absent ------------------------------------------------------------------------


def test_absent_component_gives_the_clerk_a_clear_message(tmp_path: Path) -> None:
    """In a Python where rapidocr and onnxruntime cannot be imported (as in a build without the
    OCR component), ocr_available() is False and every call says so in Chinese, then English."""
    picture = tmp_path / "scan.png"
    Image.new("RGB", (32, 32), "white").save(picture)
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["rapidocr"] = None
        sys.modules["onnxruntime"] = None
        from storage.reading import ocr
        from storage.reading.ocr import OcrUnavailable, ocr_available, ocr_image, ocr_pdf_pages
        from storage.kernel.errors import BadInput
        assert ocr_available() is False
        for call in (lambda: ocr_image({str(picture)!r}), lambda: ocr_pdf_pages({str(picture)!r}, [1])):
            try:
                call()
            except OcrUnavailable as err:
                assert isinstance(err, BadInput)
                print(err)
            else:
                raise SystemExit("no OcrUnavailable")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    expected = "未安装文字识别组件，扫描件和照片暂不能读出文字（error: the OCR component is not installed"
    for line in lines:
        assert line.startswith(expected), line
        assert "Traceback" not in line and "rapidocr" not in line
    err = OcrUnavailable()
    assert err.zh.startswith("未安装文字识别组件") and err.en.startswith("error: the OCR component")


def heartbeat_gaps(qapp, work, *, tick_ms: int = 5) -> tuple[float, int]:
    """Run `work` on a background thread while a QTimer ticks every `tick_ms` on the GUI
    thread; returns (largest gap between ticks in ms, ticks) over the time the work ran."""
    import threading
    import time

    from PySide6.QtCore import QElapsedTimer, QTimer

    stamps: list[int] = []
    clock = QElapsedTimer()
    clock.start()
    timer = QTimer()
    timer.setInterval(tick_ms)
    timer.timeout.connect(lambda: stamps.append(clock.elapsed()))
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as e:  # noqa: BLE001 - handed back to the test below
            failed.append(e)

    thread = threading.Thread(target=run, daemon=True)
    timer.start()
    thread.start()
    deadline = time.monotonic() + 240
    while thread.is_alive() and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.001)
    timer.stop()
    thread.join(timeout=1)
    assert not thread.is_alive() and not failed, failed
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    return float(max(gaps, default=0)), len(stamps)


def test_the_gui_thread_keeps_ticking_while_the_ocr_worker_reads_a_scan(qapp, tmp_path):
    """Issue 15: the inbox stays responsive while OCR runs. The OCR worker process reads a
    skewed noisy scan while a 5 ms QTimer heartbeat runs on the GUI thread; the largest gap
    between ticks is the longest the GUI thread was blocked. The goal is 50 ms
    (benchmarks/ocr.py --gui-block measures it); the bound here is 50 ms plus the scheduling
    noise of a loaded 2-core test machine."""
    need_engine()
    from storage.reading.ocr_worker import OcrWorker

    scan = tmp_path / "scan.jpg"
    as_scan(red_header()).save(scan)
    texts: list[str] = []
    with OcrWorker() as worker:
        worst, ticks = heartbeat_gaps(qapp, lambda: texts.append(worker.ocr_image(scan).text))
    assert "质量" in texts[0]
    assert ticks > 20
    assert worst < 150, f"GUI thread blocked {worst:.0f} ms while OCR ran"


def test_the_ocr_backlog_reads_a_stored_scan_once_and_search_finds_it(archive, tmp_path):
    """A scanned 红头文件 stored in the archive: the reader records that page 0 needs OCR; the
    OCR pass reads it in the worker, records its text, 文号 and title, and empties the list, so
    a second pass reads nothing; search finds a phrase of the scan."""
    need_engine()
    from sqlalchemy import select

    from storage.catalogue.ingest import ingest_paths
    from storage.catalogue.search import refresh_index, search
    from storage.models import BlobText
    from storage.reading.backlog import read_pending
    from storage.reading.ocr_backlog import ocr_pending, ocr_pending_count
    from storage.reading.pool import ReaderPool

    src = tmp_path / "扫描"
    src.mkdir()
    as_scan(red_header()).save(src / "扫描件001.jpg")
    ingest_paths(archive, [str(src)])
    with ReaderPool(1) as pool:
        read_pending(archive, pool=pool)
    with archive.sessions.read() as s:
        assert ocr_pending_count(s) == 1
    seen: list[tuple[int, int]] = []
    report = ocr_pending(archive, progress=lambda d, t: seen.append((d, t)))
    assert (report.read, report.failed, report.left, report.unavailable) == (1, 0, 0, "")
    assert seen == [(1, 1)]
    with archive.sessions.read() as s:
        bt = s.scalars(select(BlobText)).one()
        assert bt.ocr_pages == "" and "质量" in bt.text
        assert bt.doc_number == NUMBER and bt.title == TITLE
    assert ocr_pending(archive).read == 0          # never read twice
    with archive.sessions.write() as s:
        refresh_index(s)
    with archive.sessions.read() as s:
        assert search(s, "质量提升行动")


def test_the_window_reads_a_scan_in_the_background_without_blocking_its_gui_thread(qtbot, demo_archive, tmp_path):
    """Issue 15, as the clerk meets it: a scan arrives in the archive; the window's background
    reading (controller.read_backlog: the reader pool, then the OCR worker process) reads it
    while a 5 ms QTimer heartbeat runs on the GUI thread. The scan's text, title and 文号 are
    recorded, and the largest gap between ticks (the longest the GUI thread was blocked) is
    measured. Two scans, two runs: a single spike from the other processes of a loaded 2-core
    test machine must not decide, so the better run must stay under 100 ms (the goal is 50 ms;
    benchmarks/ocr.py --gui-block reports the figure with the load average)."""
    need_engine()
    from PySide6.QtCore import QElapsedTimer, QTimer
    from sqlalchemy import select
    from ui_helpers import open_window

    from storage.catalogue.ingest import ingest_paths
    from storage.models import BlobText

    worst: list[int] = []
    with open_window(qtbot, demo_archive, wait=60_000) as (window, controller):
        for k in range(2):
            src = tmp_path / f"来件{k}"
            src.mkdir()
            as_scan(red_header(), seed=10 + k).save(src / f"IMG_20230915_10101{k}.jpg")
            ingest_paths(demo_archive, [str(src)])
            stamps: list[int] = []
            clock = QElapsedTimer()
            clock.start()
            timer = QTimer()
            timer.setInterval(5)
            timer.timeout.connect(lambda stamps=stamps, clock=clock: stamps.append(clock.elapsed()))
            timer.start()
            with qtbot.waitSignal(controller.backlog_read, timeout=180_000):
                assert controller.read_backlog() is not None
            timer.stop()
            qtbot.waitUntil(controller.runner.is_idle, timeout=60_000)
            assert len(stamps) > 50
            worst.append(max(b - a for a, b in zip(stamps, stamps[1:])))
    with demo_archive.sessions.read() as s:
        scans = [bt for bt in s.scalars(select(BlobText)) if TITLE in bt.text]
    assert len(scans) == 2 and all(bt.ocr_pages == "" and bt.title == TITLE and bt.doc_number == NUMBER
                                   for bt in scans)
    assert min(worst) < 100, f"GUI thread blocked {worst} ms while scans were read"


def test_the_ocr_backlog_reads_every_first_page_before_any_later_page(archive, tmp_path):
    """Page 1 carries the header, 文号 and title the inbox shows: with a two-page image-only
    PDF and a scan waiting, the first two pages read are the PDF's page 1 and the scan; the
    PDF's page 2 comes after, is appended in order, and does not change the metadata."""
    need_engine()
    from sqlalchemy import select

    from storage.catalogue.ingest import ingest_paths
    from storage.models import BlobText
    from storage.reading.backlog import read_pending
    from storage.reading.ocr_backlog import ocr_pending
    from storage.reading.pool import ReaderPool

    src = tmp_path / "来件"
    src.mkdir()
    page1 = red_header().convert("RGB")
    page2 = draw_lines([("青禾县财政局文件", 40, "black"), ("青财发〔2023〕99号", 26, "black"),
                        ("附件：计量器具检定台账", 30, "black")]).convert("RGB")
    page1.save(src / "扫描件.pdf", "PDF", resolution=100.0, save_all=True, append_images=[page2])
    as_scan(red_header(), seed=5).save(src / "IMG_0001.jpg")
    ingest_paths(archive, [str(src)])
    with ReaderPool(1) as pool:
        read_pending(archive, pool=pool)

    def waiting() -> dict[str, str]:
        with archive.sessions.read() as s:
            return {("pdf" if bt.page_count == 2 else "jpg"): bt.ocr_pages for bt in s.scalars(select(BlobText))}

    assert waiting() == {"pdf": "0,1", "jpg": "0"}
    first = ocr_pending(archive, limit=2)
    assert waiting() == {"pdf": "1", "jpg": ""} and first.read == 1
    rest = ocr_pending(archive)
    assert waiting() == {"pdf": "", "jpg": ""} and rest.read == 1
    with archive.sessions.read() as s:
        pdf = next(bt for bt in s.scalars(select(BlobText)) if bt.page_count == 2)
        assert pdf.text.index("质量提升") < pdf.text.index("计量器具")
        assert pdf.doc_number == NUMBER and pdf.title == TITLE


def test_watch_once_with_ocr_suggests_a_scan_from_its_read_text(tmp_path, capsys):
    """`watch --once --ocr`: a scan with a meaningless name waits in the inbox with only its
    name until OCR reads it; then its 文号 and title are on the entry and its suggestion is
    made again from the text (the same refresh the window runs after its background reading)."""
    need_engine()
    import json

    from desktop.cli import main

    root = tmp_path / "a"
    share = tmp_path / "共享"
    share.mkdir()
    as_scan(red_header()).save(share / "IMG_20230915.jpg")
    assert main(["init", "--archive", str(root)]) == 0
    assert main(["folders", "add", str(share), "--archive", str(root)]) == 0
    capsys.readouterr()
    assert main(["watch", "--once", "--archive", str(root)]) == 0
    capsys.readouterr()
    assert main(["inbox", "list", "--json", "--archive", str(root)]) == 0
    (before,) = _entries(capsys.readouterr().out)
    assert before["suggestion"].get("doc_number") != NUMBER      # only its name so far
    assert main(["watch", "--once", "--ocr", "--archive", str(root)]) == 0
    out = capsys.readouterr().out
    assert "已识别扫描件和照片 1 个" in out
    assert main(["inbox", "list", "--json", "--archive", str(root)]) == 0
    (entry,) = _entries(capsys.readouterr().out)
    sugg = entry["suggestion"]
    assert sugg.get("doc_number") == NUMBER
    assert TITLE in json.dumps(sugg, ensure_ascii=False)


def _entries(out: str) -> list[dict]:
    import json

    data = json.loads(out)
    return data["entries"] if isinstance(data, dict) else data
