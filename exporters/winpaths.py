"""Windows file-name rules, so a bundle made on any machine unpacks on a clerk's Windows PC
and passes the provincial upload tool.

Rules applied (what Windows and Explorer refuse or mangle):
- forbidden characters  \\ / : * ? " < > |  and control characters (U+0000–U+001F, U+007F);
  the punctuation becomes its full-width form (：？＊＜＞｜＂), which reads the same in a
  Chinese name; slashes and control characters become "_";
- no trailing dot or space (Windows strips them silently, so two names could collide);
- reserved device names CON PRN AUX NUL COM1–COM9 LPT1–LPT9, with any extension
  ("CON.txt", "com1.pdf"), get a "_" in front;
- lengths are counted in UTF-16 code units, as Windows counts them (a CJK character in the
  BMP is one, an emoji two);
- names clash case-insensitively, as on NTFS: "A.pdf" and "a.PDF" are the same file.

Every function here is pure and deterministic: same input, same output.
"""
from __future__ import annotations

import re
import unicodedata

FORBIDDEN = '\\/:*?"<>|'
_REPLACE: dict[str, str | int | None] = {
    ":": "：", "*": "＊", "?": "？", '"': "＂", "<": "＜", ">": "＞", "|": "｜",
    "/": "_", "\\": "_",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{i}" for i in range(1, 10)]
    + [f"LPT{i}" for i in range(1, 10)]
)
DEFAULT_BUDGET = 160
ELLIPSIS = "…"


def units(text: str) -> int:
    """Length as Windows counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def is_reserved(name: str) -> bool:
    """True for CON, nul.txt, Com1.tar.gz … (the part before the first dot, any case)."""
    return name.split(".", 1)[0].rstrip(" ").upper() in RESERVED


def problems(name: str) -> list[str]:
    """What is wrong with one path component on Windows (empty list: nothing)."""
    out = []
    if not name:
        out.append("empty")
    if any(c in FORBIDDEN for c in name):
        out.append("forbidden character")
    if _CONTROL.search(name):
        out.append("control character")
    if name.endswith((".", " ")):
        out.append("trailing dot or space")
    if is_reserved(name):
        out.append("reserved name")
    return out


def clean(name: str) -> str:
    """A component Windows accepts, keeping the name as readable as possible."""
    name = unicodedata.normalize("NFC", name)
    name = _SPACES.sub(" ", name.translate(str.maketrans(_REPLACE)))  # tabs, line breaks
    name = _CONTROL.sub("_", name).strip()
    name = name.rstrip(". ")
    if not name:
        return "_"
    if is_reserved(name):
        name = "_" + name
    return name


def split_ext(name: str) -> tuple[str, str]:
    """("报告", ".pdf"); no extension when the dot part is long or odd (a title with a dot)."""
    dot = name.rfind(".")
    if dot <= 0:
        return name, ""
    ext = name[dot:]
    if 1 < len(ext) <= 6 and ext[1:].isalnum() and ext.isascii():
        return name[:dot], ext
    return name, ""


def shorten(name: str, limit: int, *, keep_prefix: int = 0) -> str:
    """Cut `name` to at most `limit` UTF-16 units, keeping its first `keep_prefix` characters
    (the "01 " number) and its extension, marking the cut with "…".

    Raises ValueError when even the prefix and extension do not fit.
    """
    if units(name) <= limit:
        return name
    stem, ext = split_ext(name)
    prefix, body = stem[:keep_prefix], stem[keep_prefix:]
    room = limit - units(prefix) - units(ext) - units(ELLIPSIS)
    if room < 1:
        raise ValueError(f"no room for {name!r} in {limit} characters")
    cut = ""
    for ch in body:
        if units(cut) + units(ch) > room:
            break
        cut += ch
    cut = cut.rstrip(". ")  # the ellipsis follows, but keep the stem tidy
    return f"{prefix}{cut}{ELLIPSIS}{ext}"


def with_suffix(name: str, n: int) -> str:
    """"报告.pdf", 2 → "报告 (2).pdf"."""
    stem, ext = split_ext(name)
    return f"{stem} ({n}){ext}"


def clash_key(name: str) -> str:
    """How NTFS compares names: case-insensitively, one character at a time (its upcase
    table maps each UTF-16 unit to one unit), after NFC.

    "A.pdf" = "a.PDF", "ＡＢＣ" = "ａｂｃ" (full-width), "Отчёт" = "ОТЧЁТ"; but "straße" ≠
    "STRASSE" (str.upper() would make them equal, NTFS does not). NFC: a name typed on a Mac
    (decomposed) and the same name typed on Windows count as one, since unzip tools and the
    provincial upload page may normalise either way.
    """
    out = []
    for ch in unicodedata.normalize("NFC", name):
        up = ch.upper()
        out.append(up if len(up) == 1 else ch)
    return "".join(out)


class NameSpace:
    """The names already used in one folder; hands out unique, fitting names.

    `claim(name, limit, keep_prefix)` returns the name (cleaned by the caller) shortened to
    `limit` units, with " (2)", " (3)" … added on a clash; calls in the same order give the
    same names.
    """

    def __init__(self) -> None:
        self._used: set[str] = set()

    def claim(self, name: str, limit: int, *, keep_prefix: int = 0) -> str:
        candidate = shorten(name, limit, keep_prefix=keep_prefix)
        n = 1
        while clash_key(candidate) in self._used:
            n += 1
            # shorten the name first, then add the suffix, so the suffix is never cut off
            base = shorten(name, limit - units(f" ({n})"), keep_prefix=keep_prefix)
            candidate = with_suffix(base, n)
        self._used.add(clash_key(candidate))
        return candidate


def path_problems(relpath: str, budget: int = DEFAULT_BUDGET) -> list[str]:
    """Every rule a relative path ("a/b.pdf") breaks; `budget` is the exclusive limit."""
    out = []
    if units(relpath) >= budget:
        out.append(f"path too long ({units(relpath)} ≥ {budget})")
    for part in relpath.split("/"):
        out.extend(f"{p}: {part}" for p in problems(part))
    return out


__all__ = [
    "DEFAULT_BUDGET",
    "FORBIDDEN",
    "NameSpace",
    "RESERVED",
    "clash_key",
    "clean",
    "is_reserved",
    "path_problems",
    "problems",
    "shorten",
    "split_ext",
    "units",
]
