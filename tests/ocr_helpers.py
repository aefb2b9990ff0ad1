"""Small test images for the OCR tests, drawn with Pillow and a CJK font found through
fontconfig. Without the font or the OCR component a test skips on a developer's machine and
FAILS in CI (CI=true), where both must be installed (scripts/setup.sh, the dev extra)."""
from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from storage.reading.ocr import ocr_available

IN_CI = os.environ.get("CI") == "true"


def missing(what: str) -> None:
    """Fail in CI, skip elsewhere: the OCR tests must never pass silently where they should run."""
    if IN_CI:
        pytest.fail(f"{what} is missing in CI; scripts/setup.sh and the dev extra install it")
    pytest.skip(f"{what} is not installed here")


def need_engine() -> None:
    if not ocr_available():
        missing("the OCR component (rapidocr, onnxruntime)")


@cache
def _font_file(family: str) -> tuple[str, int] | None:
    if shutil.which("fc-match") is None:
        return None
    out = subprocess.run(
        ["fc-match", "-f", "%{file}|%{index}|%{family}", f"{family}:lang=zh-cn"],
        capture_output=True, text=True, check=False,
    ).stdout
    parts = out.split("|")
    if len(parts) != 3 or "CJK" not in parts[2] or not Path(parts[0]).is_file():
        return None
    return parts[0], int(parts[1] or 0)


def cjk_font(size: int, family: str = "Noto Sans CJK SC") -> Any:
    """A Simplified Chinese font at `size` pixels (fonts-noto-cjk)."""
    found = _font_file(family)
    if found is None:
        missing(f"the CJK font {family} (fonts-noto-cjk)")
        raise AssertionError("unreachable")
    return ImageFont.truetype(found[0], size, index=found[1])


def draw_lines(
    lines: list[tuple[str, int, str]],
    *,
    width: int = 760,
    margin: int = 30,
    align: str = "center",
    family: str = "Noto Sans CJK SC",
) -> Image.Image:
    """An image with one row per (text, pixel size, colour), centred or left-aligned."""
    fonts = [cjk_font(size, family) for _, size, _ in lines]
    height = margin * 2 + sum(int(size * 1.6) for _, size, _ in lines)
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    y = margin
    for (text, size, colour), font in zip(lines, fonts, strict=True):
        x = (width - font.getlength(text)) / 2 if align == "center" else margin
        draw.text((x, y), text, font=font, fill=colour)
        y += int(size * 1.6)
    return img


HEADER = "青禾县市场监督管理局文件"
NUMBER = "青市监发〔2023〕12号"
TITLE = "关于开展质量提升行动的通知"


def red_header() -> Image.Image:
    """The top of a 红头文件: red issuing body, 文号, title."""
    return draw_lines([(HEADER, 44, "#c00000"), (NUMBER, 26, "black"), (TITLE, 32, "black")])


def as_scan(img: Image.Image, *, angle: float = 1.5, seed: int = 3) -> Image.Image:
    """The image as a 200 dpi office scan: grey paper, skewed, noise and speckles, soft, JPEG."""
    rng = random.Random(seed)
    gray = img.convert("L").point(lambda v: 35 + v * 0.8)
    gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=239)
    gray = ImageChops.add(gray, Image.effect_noise(gray.size, 16), scale=1.0, offset=-128)
    px = gray.load()
    for _ in range(gray.width * gray.height // 60):
        px[rng.randrange(gray.width), rng.randrange(gray.height)] = rng.choice((40, 120, 255))  # type: ignore[index]
    gray = gray.filter(ImageFilter.GaussianBlur(0.6))
    buf = io.BytesIO()
    gray.save(buf, "JPEG", quality=75, dpi=(200, 200))
    buf.seek(0)
    return Image.open(buf)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def char_accuracy(truth: str, read: str) -> float:
    t, r = "".join(truth.split()), "".join(read.split())
    return 1 - edit_distance(t, r) / max(1, len(t))
