"""Draws the application icon (evidence-desk.png, 256 px, and evidence-desk.ico with the
sizes Windows uses) with Pillow: a red archive box with a white document and a check mark.

Run from the repository root: .venv/bin/python resources/icons/make_icon.py
The output is committed; the build uses the files, not this script.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
RED, DARK, WHITE, GOLD = (196, 30, 42, 255), (140, 16, 26, 255), (255, 255, 255, 255), (242, 183, 5, 255)


def draw(size: int = 1024) -> Image.Image:
    s = size / 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([8 * s, 8 * s, 248 * s, 248 * s], radius=44 * s, fill=RED)
    d.rounded_rectangle([8 * s, 176 * s, 248 * s, 248 * s], radius=44 * s, fill=DARK)
    d.rectangle([8 * s, 176 * s, 248 * s, 200 * s], fill=DARK)
    # the document, its folded corner and three text lines
    d.polygon([(66 * s, 36 * s), (160 * s, 36 * s), (192 * s, 68 * s), (192 * s, 212 * s),
               (66 * s, 212 * s)], fill=WHITE)
    d.polygon([(160 * s, 36 * s), (160 * s, 68 * s), (192 * s, 68 * s)], fill=(230, 200, 200, 255))
    for y in (84, 108, 132):
        d.rounded_rectangle([86 * s, y * s, 172 * s, (y + 10) * s], radius=5 * s, fill=(200, 200, 200, 255))
    # the check mark in a gold seal
    d.ellipse([118 * s, 138 * s, 206 * s, 226 * s], fill=GOLD, outline=WHITE, width=int(6 * s))
    d.line([(138 * s, 182 * s), (156 * s, 200 * s), (188 * s, 162 * s)], fill=WHITE,
           width=int(12 * s), joint="curve")
    return img


def main() -> None:
    big = draw()
    big.resize((256, 256), Image.LANCZOS).save(HERE / "evidence-desk.png", optimize=True)
    big.resize((256, 256), Image.LANCZOS).save(
        HERE / "evidence-desk.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
    )


if __name__ == "__main__":
    main()
