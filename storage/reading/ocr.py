"""Offline OCR of scans and photos: the text of images and of image-only PDF pages.

The engine is rapidocr (PP-OCR detection, direction and recognition models, shipped inside the
rapidocr wheel) running on onnxruntime. It is an optional component: a build made without it
still opens every archive, and `ocr_available()` says so; the functions here then raise
`OcrUnavailable` with a message the clerk can read.

What this module promises the reader (storage/reading/extract.py, pool.py):

- `ocr_image(path_or_pil)` and `ocr_pdf_pages(path, pages)` give an `OcrResult`: the text in
  reading order (rows sorted top to bottom with a tolerance and a slight skew taken out, boxes
  left to right; the lines of one paragraph joined without spaces between Chinese characters,
  paragraphs on lines of their own) and every recognised box with its score.
- The engine is created once per process and reused, with onnxruntime's intra-op threads set
  to `OCR_THREADS` (1), so OCR takes one core and never starves the window.
- Models come only from the wheel: every model path is given explicitly, so rapidocr's
  download code (which it runs when a model path is missing) is never reached; if a model file
  is missing the component counts as absent.
- Images are normalised first: EXIF orientation applied, modes such as CMYK, palette, 16-bit
  and transparency turned into 8-bit RGB on white, and large photos downscaled to `MAX_SIDE`.
- OCR needs far more memory than parsing: run it in a worker process limited to
  `OCR_MEMORY_LIMIT` bytes (storage/reading/ocr_worker.py starts one; figures in
  benchmarks/ocr.py).

No Qt and no SQLAlchemy here: this is floor 2 of storage and runs inside worker processes.
"""
from __future__ import annotations

import importlib.util
import math
import re
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storage.kernel.errors import BadInput, Cancelled

if TYPE_CHECKING:  # Pillow loads when an image is first read, not at the window's start
    from PIL import Image

# --- limits, measured with benchmarks/ocr.py (figures in its docstring) ------------------------

#: onnxruntime intra-op (and inter-op) threads of the engine: one core, the window keeps the other.
OCR_THREADS = 1

#: Longest side, in pixels, an image is scaled down to before OCR. Measured (benchmarks/ocr.py
#: --sides): on a photo of an A4 page from a distance, 1600 to 3200 all read 100% of the
#: characters at the same CPU time (detection is capped by DET_LIMIT; the recogniser scales
#: each line to 48 px anyway); 1280 took 45% more CPU and, on a photo from further still, lost
#: characters (99.8%). So the side is a question of
#: memory, not speed: 2400 leaves an A4 page at 200 dpi (1654 x 2339) untouched and shrinks a
#: 48-megapixel photo (8000 x 6000, 140 MB of pixels, decoded at 1/2 scale through JPEG draft
#: mode) to 2400 x 1800 (13 MB).
MAX_SIDE = 2400

#: Address-space limit (RLIMIT_AS) for a process that runs OCR. Measured (benchmarks/ocr.py
#: --memory, rapidocr 3.10 + onnxruntime 1.32, one thread): one A4 page at 200 dpi peaks at
#: 0.6-0.8 GiB resident; under RLIMIT_AS of 0.5, 0.75 and 1 GiB inference fails (onnxruntime
#: cannot allocate), from 1.25 GiB it works, and the largest page we render (MAX_RENDER_SIDE)
#: works under 2 GiB. So the OCR worker gets 2 GiB; the 500 MB limit is for parsing workers.
OCR_MEMORY_LIMIT = 2 * 1024**3

#: Default resolution for rendering PDF pages before OCR.
PDF_DPI = 200

#: No rendered PDF page is larger than this many pixels on its long side, whatever its size in
#: points: a 5 m poster page at 200 dpi would otherwise ask for gigabytes.
MAX_RENDER_SIDE = 4000

#: Text detection runs on the image scaled so its long side is at most this many pixels; the
#: recogniser still reads each line from the full image. Chosen on the "tune" pages of
#: benchmarks/ocr.py (A4, 200 dpi; the held-out pages were not looked at): 1280 reads them as
#: well as full size (2339 px) at a third of the time (4 s instead of 13 s wall a page, one thread,
#: on a loaded machine); 960 loses 6% of the characters of the noisy scan.
DET_LIMIT = 1280

#: Boxes recognised with a lower score than this are dropped (rapidocr's own default is 0.5).
MIN_SCORE = 0.5

_MODELS = {
    # rapidocr 3.x: the default PP-OCR models that ship in the wheel's models/ folder.
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}

_UNAVAILABLE_ZH = "未安装文字识别组件，扫描件和照片暂不能读出文字"
_UNAVAILABLE_EN = (
    "error: the OCR component is not installed, so the text of scans and photos cannot be read; "
    "install the edition of Evidence Desk with OCR"
)


class OcrError(BadInput):
    """A failure of OCR the clerk is told about: Chinese, then the English in full-width
    brackets, as the house style writes it."""

    def __str__(self) -> str:
        return f"{self.zh}（{self.en}）"


class OcrUnavailable(OcrError):
    """The OCR component (rapidocr, onnxruntime or their models) is not in this installation."""

    def __init__(self) -> None:
        super().__init__(_UNAVAILABLE_ZH, _UNAVAILABLE_EN)


# --- results -----------------------------------------------------------------------------------

Point = tuple[float, float]


@dataclass(frozen=True)
class OcrLine:
    """One recognised box: its text, its four corners (clockwise from top left, in pixels of
    the image as OCRed, i.e. after orientation and downscaling), the recogniser's confidence
    (0-1), and the visual row and paragraph it belongs to (0-based, in reading order)."""

    text: str
    box: tuple[Point, Point, Point, Point]
    score: float
    row: int
    paragraph: int


@dataclass(frozen=True)
class OcrResult:
    """The text of one image or page.

    text: paragraphs in reading order, one per line; inside a paragraph the visual lines are
    joined without a space between Chinese characters. lines: every box, in reading order.
    seconds: time spent in the engine and in preparing the image. width, height: size of the
    image as OCRed.
    """

    text: str
    lines: tuple[OcrLine, ...]
    seconds: float
    width: int
    height: int

    @property
    def rows(self) -> tuple[str, ...]:
        """The text visual row by visual row (a wrapped title is two rows, one paragraph)."""
        out: list[str] = []
        current = -1
        parts: list[OcrLine] = []
        for line in self.lines:
            if line.row != current and parts:
                out.append(_join_row(parts))
                parts = []
            current = line.row
            parts.append(line)
        if parts:
            out.append(_join_row(parts))
        return tuple(out)

    @property
    def mean_score(self) -> float:
        """Mean recognition confidence over the boxes, weighted by text length (0 if none)."""
        total = sum(len(x.text) for x in self.lines)
        if not total:
            return 0.0
        return sum(x.score * len(x.text) for x in self.lines) / total


# --- the component ---------------------------------------------------------------------------


def _models_dir() -> Path | None:
    """The rapidocr wheel's models folder, found without importing rapidocr (None if absent)."""
    try:
        spec = importlib.util.find_spec("rapidocr")
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    locations = list(spec.submodule_search_locations or [])
    if spec.origin:  # a frozen build may give only the package's __init__ file
        locations.append(str(Path(spec.origin).parent))
    for location in locations:
        folder = Path(location) / "models"
        if all((folder / name).is_file() for name in _MODELS.values()):
            return folder
    return None


def ocr_available() -> bool:
    """True when rapidocr, onnxruntime and the models in rapidocr's wheel are all installed.
    Cheap: nothing is imported or loaded."""
    try:
        if importlib.util.find_spec("onnxruntime") is None:
            return False
    except (ImportError, ValueError):
        return False
    return _models_dir() is not None


_engine_lock = threading.Lock()
_engines: dict[int, Any] = {}


def engine_params(models: Path, threads: int = OCR_THREADS) -> dict[str, Any]:
    """rapidocr's parameters: every model path explicit (so nothing is ever downloaded),
    `threads` onnxruntime threads, our own downscaling instead of rapidocr's 2000 px cap."""
    params: dict[str, Any] = {f"{part}.model_path": str(models / name) for part, name in _MODELS.items()}
    params.update({
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "Global.max_side_len": max(MAX_SIDE, MAX_RENDER_SIDE),
        "Det.limit_type": "max",
        "Det.limit_side_len": DET_LIMIT,
        "Global.text_score": MIN_SCORE,
        "Global.log_level": "error",
    })
    return params


def engine(threads: int = OCR_THREADS) -> Any:
    """The process's rapidocr engine for `threads` threads: created on first use, then reused.
    Raises OcrUnavailable when the component is not installed."""
    with _engine_lock:
        found = _engines.get(threads)
        if found is not None:
            return found
        models = _models_dir()
        if models is None or not ocr_available():
            raise OcrUnavailable()
        try:
            from rapidocr import RapidOCR
        except ImportError as err:  # a broken install: a library rapidocr needs is missing
            raise OcrUnavailable() from err
        made = RapidOCR(params=engine_params(models, threads))
        _engines[threads] = made
        return made


# --- images ----------------------------------------------------------------------------------


def _flatten(img: Image.Image) -> Image.Image:
    """8-bit RGB of any Pillow mode; transparency composited on white (a transparent PNG of
    black text would otherwise be black on black)."""
    from PIL import Image, ImageOps

    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        gray = img.convert("I") if mode.startswith("I;16") else img
        extrema: Any = gray.getextrema()  # (low, high) for a one-band image
        lo, hi = float(extrema[0]), float(extrema[1])
        scale = 255.0 / (hi - lo) if hi != lo else 1.0
        img = gray.point(lambda v: (v - lo) * scale).convert("L")
        mode = "L"
    if mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if mode == "CMYK":
        return ImageOps.invert(img.convert("RGB")) if _adobe_inverted(img) else img.convert("RGB")
    return img if mode == "RGB" else img.convert("RGB")


def _adobe_inverted(img: Image.Image) -> bool:
    """Photoshop writes CMYK JPEGs inverted; Pillow reads them as they are stored, so those come
    out as a negative. True when the image says it is such a file and it looks like one
    (mostly dark when converted as is)."""
    if img.format != "JPEG" or "adobe" not in img.info:
        return False
    gray = img.convert("RGB").convert("L").resize((64, 64))
    return statistics.fmean(gray.getdata()) < 100


def normalise(img: Image.Image, max_side: int | None = None) -> Image.Image:
    """An image ready for OCR: EXIF orientation applied, 8-bit RGB on white, the long side at
    most `max_side` (default MAX_SIDE) pixels. Large JPEGs are decoded at a reduced scale."""
    from PIL import Image, ImageOps

    limit = MAX_SIDE if max_side is None else max_side
    if limit < 64:
        raise ValueError("max_side must be at least 64 pixels")
    if getattr(img, "format", None) == "JPEG" and max(img.size) > 2 * limit:
        try:
            img.draft("RGB", (limit, limit))  # DCT scaling: a 48 MP photo never decodes whole
        except (OSError, ValueError):
            pass
    img = ImageOps.exif_transpose(img) or img
    img = _flatten(img)
    if max(img.size) > limit:
        factor = limit / max(img.size)
        size = (max(1, round(img.width * factor)), max(1, round(img.height * factor)))
        img = img.resize(size, Image.Resampling.LANCZOS)
    return img


_BAD_IMAGE_ZH = "图片无法打开，可能已损坏或不是图片"
_BAD_IMAGE_EN = "error: the image cannot be opened; it may be damaged or not an image"


def _open_image(path_or_pil: str | Path | Image.Image, max_side: int | None, frame: int = 0) -> Image.Image:
    from PIL import Image

    if isinstance(path_or_pil, Image.Image):
        return normalise(path_or_pil, max_side)
    try:
        with Image.open(path_or_pil) as img:
            img.seek(frame)  # a multi-page TIFF's page (0-based), an animation's frame
            return normalise(img, max_side)
    except EOFError as err:  # no such frame
        raise BadInput(_BAD_IMAGE_ZH, _BAD_IMAGE_EN) from err
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as err:
        raise BadInput(_BAD_IMAGE_ZH, _BAD_IMAGE_EN) from err


def image_frames(path: str | Path) -> int:
    """How many pages an image file holds (a scanner's multi-page TIFF: several; most: 1).
    Raises BadInput when it is not an image."""
    from PIL import Image

    try:
        with Image.open(path) as img:
            return int(getattr(img, "n_frames", 1))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as err:
        raise BadInput(_BAD_IMAGE_ZH, _BAD_IMAGE_EN) from err


# --- recognising ------------------------------------------------------------------------------


def ocr_image(
    path_or_pil: str | Path | Image.Image,
    *,
    max_side: int | None = None,
    threads: int = OCR_THREADS,
    frame: int = 0,
) -> OcrResult:
    """The text of one image: a file (read by content, so a stored blob without an extension
    is fine) or a Pillow image. `frame` picks the page of a multi-page TIFF (0-based; see
    `image_frames`). `max_side` overrides MAX_SIDE.

    Raises OcrUnavailable without the component, BadInput for a file that is not an image.
    """
    started = time.perf_counter()
    ocr = engine(threads)
    img = _open_image(path_or_pil, max_side, frame)
    return _recognise(ocr, img, started)


def _recognise(ocr: Any, img: Image.Image, started: float) -> OcrResult:
    import numpy as np  # a dependency of rapidocr: present whenever engine() succeeded

    # rapidocr takes OpenCV's channel order (BGR) for arrays.
    out = ocr(np.ascontiguousarray(np.asarray(img)[:, :, ::-1]))
    boxes = getattr(out, "boxes", None)
    texts = getattr(out, "txts", None)
    scores = getattr(out, "scores", None)
    found: list[tuple[str, tuple[Point, Point, Point, Point], float]] = []
    if boxes is not None and texts is not None and scores is not None:
        for box, text, score in zip(boxes, texts, scores, strict=False):
            text = fix_punctuation(str(text).strip())
            if not text or float(score) < MIN_SCORE:
                continue
            corners = tuple((float(x), float(y)) for x, y in box)
            if len(corners) != 4:
                continue
            found.append((text, corners, float(score)))  # type: ignore[arg-type]
    lines = reading_order(found)
    return OcrResult(
        text=paragraph_text(lines),
        lines=tuple(lines),
        seconds=time.perf_counter() - started,
        width=img.width,
        height=img.height,
    )


_BAD_PDF_ZH = "PDF 文件无法打开，可能已损坏或有密码保护"
_BAD_PDF_EN = "error: the PDF cannot be opened; it may be damaged or password-protected"
_NO_PAGE_ZH = "PDF 没有第 {page} 页（共 {count} 页）"
_NO_PAGE_EN = "error: the PDF has no page {page}; it has {count}"


def render_pdf_page(pdf: Any, page_number: int, dpi: int = PDF_DPI) -> Image.Image:
    """Page `page_number` (1-based) of an open pypdfium2 document as a Pillow image at `dpi`,
    capped at MAX_RENDER_SIDE pixels on its long side."""
    page = pdf[page_number - 1]
    try:
        width, height = page.get_size()  # points, 1/72 inch
        scale = dpi / 72.0
        longest = max(width, height) * scale
        if longest > MAX_RENDER_SIDE:
            scale *= MAX_RENDER_SIDE / longest
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), may_draw_forms=False)
        try:
            return bitmap.to_pil().convert("RGB")
        finally:
            bitmap.close()
    finally:
        page.close()


def ocr_pdf_pages(
    path: str | Path,
    pages: Sequence[int],
    *,
    dpi: int = PDF_DPI,
    cancel: Callable[[], bool] | None = None,
    threads: int = OCR_THREADS,
    on_page: Callable[[int, OcrResult], None] | None = None,
) -> dict[int, OcrResult]:
    """OCR the given pages (1-based page numbers) of a PDF, in the order given: the caller
    passes page 1 first because it carries the header, 文号 and title.

    `cancel` is asked before each page; when it returns True, Cancelled is raised (pages done
    so far have been reported to `on_page`). `on_page(number, result)` is called as each page
    is finished, so a caller can store page 1 before the rest is read.
    """
    ocr = engine(threads)
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as err:
        raise BadInput(_BAD_PDF_ZH, _BAD_PDF_EN) from err
    results: dict[int, OcrResult] = {}
    try:
        count = len(pdf)
        for number in pages:
            if not 1 <= number <= count:
                raise BadInput(
                    _NO_PAGE_ZH.format(page=number, count=count), _NO_PAGE_EN.format(page=number, count=count)
                )
        for number in pages:
            if cancel is not None and cancel():
                raise Cancelled()
            if number in results:
                continue
            started = time.perf_counter()
            img = normalise(render_pdf_page(pdf, number, dpi), MAX_RENDER_SIDE)
            results[number] = _recognise(ocr, img, started)
            if on_page is not None:
                on_page(number, results[number])
    finally:
        pdf.close()
    return results


# --- reading order ---------------------------------------------------------------------------

_CJK = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ef\u3200-\u9fff"
    r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)
_SENTENCE_END = "。！？；：!?;:」』”）)"


@dataclass
class _Box:
    text: str
    corners: tuple[Point, Point, Point, Point]
    score: float
    x0: float = 0.0  # left, right, top, bottom, centre in deskewed coordinates
    x1: float = 0.0
    y0: float = 0.0
    y1: float = 0.0

    @property
    def height(self) -> float:
        return max(1.0, self.y1 - self.y0)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def _skew(boxes: list[_Box]) -> float:
    """The page's skew in radians: the median slope of the top edges of wide boxes."""
    angles = []
    for b in boxes:
        (ax, ay), (bx, by) = b.corners[0], b.corners[1]
        (_, dy), (_, ey) = b.corners[3], b.corners[2]
        width, height = bx - ax, ((dy - ay) + (ey - by)) / 2
        if width > 2 * max(height, 1.0):
            angles.append(math.atan2(by - ay, width))
    if not angles:
        return 0.0
    angle = statistics.median(angles)
    return angle if abs(angle) < math.radians(15) else 0.0


def reading_order(found: Sequence[tuple[str, tuple[Point, Point, Point, Point], float]]) -> list[OcrLine]:
    """Boxes in reading order: rows from top to bottom (a box joins a row when its centre is
    within half a line height of the row's, after taking out the page's skew), each row left
    to right; rows grouped into paragraphs (see `_paragraph_breaks`)."""
    boxes = [_Box(text, corners, score) for text, corners, score in found]
    if not boxes:
        return []
    angle = _skew(boxes)
    cos, sin = math.cos(angle), math.sin(angle)
    for b in boxes:
        xs = [x * cos + y * sin for x, y in b.corners]
        ys = [-x * sin + y * cos for x, y in b.corners]
        b.x0, b.x1, b.y0, b.y1 = min(xs), max(xs), min(ys), max(ys)
    boxes.sort(key=lambda b: (b.cy, b.x0))
    rows: list[list[_Box]] = []
    for b in boxes:
        if rows:
            row = rows[-1]
            centre = statistics.fmean(x.cy for x in row)
            height = min(statistics.median(x.height for x in row), b.height)
            beside = all(b.x0 >= x.x1 - 0.5 * height or b.x1 <= x.x0 + 0.5 * height for x in row)
            if abs(b.cy - centre) < 0.5 * height and beside:
                row.append(b)
                continue
        rows.append([b])
    for row in rows:
        row.sort(key=lambda b: b.x0)
    breaks = _paragraph_breaks(rows)
    out: list[OcrLine] = []
    paragraph = 0
    for index, row in enumerate(rows):
        if index and breaks[index]:
            paragraph += 1
        for b in row:
            out.append(OcrLine(b.text, b.corners, b.score, index, paragraph))
    return out


def _paragraph_breaks(rows: list[list[_Box]]) -> list[bool]:
    """For each row, whether it starts a new paragraph. A Chinese page wraps a paragraph's
    lines at the right margin and starts the next paragraph indented by two characters, so a
    row starts a paragraph when: the row before ended short of the right margin, or it is
    indented, or it is centred (headers, 文号, titles: a wrapped title's second centred row of
    the same size directly under the first stays in its paragraph), or the gap above it is
    wider than a line, or its characters are of another size."""
    n = len(rows)
    lefts = [row[0].x0 for row in rows]
    rights = [row[-1].x1 for row in rows]
    heights = [statistics.median(b.height for b in row) for row in rows]
    tops = [min(b.y0 for b in row) for row in rows]
    bottoms = [max(b.y1 for b in row) for row in rows]
    char = statistics.median(heights)
    margin_left = min(lefts)
    margin_right = max(rights)
    # The body's margins: the most common left and right ends (within a character), when there
    # are enough rows to tell; otherwise the extremes.
    if n >= 4:
        margin_left = min(lefts, key=lambda v: (-sum(abs(v - w) < char for w in lefts), v))
        margin_right = max(rights, key=lambda v: (sum(abs(v - w) < char for w in rights), v))
    middle = (margin_left + margin_right) / 2

    def centred(i: int) -> bool:
        indent = lefts[i] - margin_left
        short = margin_right - rights[i]
        return indent > 2.5 * char and short > 2.5 * char and abs((lefts[i] + rights[i]) / 2 - middle) < 1.5 * char

    out = [True] + [False] * (n - 1)
    for i in range(1, n):
        size_changed = max(heights[i], heights[i - 1]) > 1.3 * min(heights[i], heights[i - 1])
        gap = tops[i] - bottoms[i - 1]
        wide_gap = gap > 1.0 * max(heights[i], heights[i - 1])
        if centred(i) or centred(i - 1):
            out[i] = not (centred(i) and centred(i - 1) and not size_changed and gap < 0.8 * heights[i])
            continue
        indented = lefts[i] - margin_left > 1.2 * char
        short_before = margin_right - rights[i - 1] > 1.5 * char
        ended = rows[i - 1][-1].text[-1:] in _SENTENCE_END and margin_right - rights[i - 1] > 0.5 * char
        out[i] = indented or short_before or wide_gap or size_changed or ended
    return out


_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}


def fix_punctuation(text: str) -> str:
    """Half-width punctuation the recogniser reads next to Chinese characters made full-width,
    as a Chinese document writes it ("单位:" becomes "单位：", "(试行)" "（试行）"); numbers and
    Latin text keep theirs ("0591-12345678", "3.5", "ISO 9001:2015")."""
    chars = list(text)
    for i, ch in enumerate(chars):
        full = _HALF_TO_FULL.get(ch)
        if full is None:
            continue
        before = chars[i - 1] if i else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        if ch == "(":
            near_cjk = bool(_CJK.match(after) or (_CJK.match(before) and not after.isascii()))
        else:
            near_cjk = bool(_CJK.match(before))
        if near_cjk:
            chars[i] = full
    return "".join(chars)


def _needs_space(left: str, right: str) -> bool:
    """Whether two pieces of text joined on one line need a space: never next to a Chinese
    character or full-width punctuation, between two Latin words or numbers yes."""
    if not left or not right:
        return False
    return not (_CJK.match(left[-1]) or _CJK.match(right[0]))


def _join_row(parts: Sequence[OcrLine]) -> str:
    text = ""
    previous: OcrLine | None = None
    for part in parts:
        if previous is not None:
            height = max(1.0, abs(previous.box[3][1] - previous.box[0][1]))
            gap = part.box[0][0] - previous.box[1][0]
            # a wide gap inside a row (a table's columns, 姓名 and 张三) keeps a space
            text += " " if gap > 1.5 * height or _needs_space(text, part.text) else ""
        text += part.text
        previous = part
    return text


def paragraph_text(lines: Sequence[OcrLine]) -> str:
    """The text of boxes in reading order: rows of one paragraph joined (a space only between
    Latin words), paragraphs one per line."""
    paragraphs: list[str] = []
    row_parts: list[OcrLine] = []
    current_row, current_paragraph = -1, -1
    text = ""

    def flush_row() -> None:
        nonlocal text
        if row_parts:
            row = _join_row(row_parts)
            text += (" " if _needs_space(text, row) and not text.endswith("-") else "") + row
            row_parts.clear()

    for line in lines:
        if line.row != current_row:
            flush_row()
            if line.paragraph != current_paragraph and text:
                paragraphs.append(text)
                text = ""
            current_row, current_paragraph = line.row, line.paragraph
        row_parts.append(line)
    flush_row()
    if text:
        paragraphs.append(text)
    return "\n".join(paragraphs)


# --- photos ----------------------------------------------------------------------------------

_EXIF_IFD = 0x8769
_DATE_TAGS = ((0x9003, 0x9011), (0x9004, 0x9012))  # DateTimeOriginal / Digitized, with offsets
_DATE_TIME = 0x0132  # DateTime: when the file was last changed; only if nothing else is there


def photo_taken(path: str | Path | Image.Image) -> datetime | None:
    """When a photo was taken, from its EXIF DateTimeOriginal (else DateTimeDigitized, else
    the camera's DateTime); timezone-aware when the camera wrote its offset. None when the
    file is not an image, has no EXIF, or the date is blank or impossible."""
    from PIL import Image

    try:
        if isinstance(path, Image.Image):
            exif = path.getexif()
        else:
            with Image.open(path) as img:
                exif = img.getexif()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    try:
        sub = exif.get_ifd(_EXIF_IFD)
    except (KeyError, OSError, ValueError, TypeError):
        sub = {}
    for date_tag, offset_tag in _DATE_TAGS:
        taken = _exif_datetime(sub.get(date_tag), sub.get(offset_tag))
        if taken is not None:
            return taken
    return _exif_datetime(exif.get(_DATE_TIME), None)


_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


def _exif_datetime(value: object, offset: object) -> datetime | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    value = value.strip().rstrip("\x00").strip()
    for fmt in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d %H:%M", "%Y:%m:%d"):
        try:
            taken = datetime.strptime(value, fmt)
            break
        except ValueError:
            continue
    else:
        return None
    if taken.year < 1990:  # 0000:00:00 fails above; 1970 is an unset camera clock
        return None
    if isinstance(offset, bytes):
        offset = offset.decode("ascii", "replace")
    if isinstance(offset, str):
        m = _OFFSET.match(offset.strip().rstrip("\x00"))
        if m:
            delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
            taken = taken.replace(tzinfo=timezone(delta if m.group(1) == "+" else -delta))
    return taken
