"""Chinese text as it really arrives: full/half width mixed, stray spaces, 〔〕 vs [].

Python's `\\b` word boundaries do not work for Chinese; match substrings on folded text.
"""
from __future__ import annotations

import functools
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFKC (full-width letters, digits and brackets to half-width), lower case, no spaces."""
    if text and len(text) <= _FOLD_CACHED_LEN:
        return _fold_short(text)
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).lower()


_FOLD_CACHED_LEN = 200   # cells, names and titles repeat: short texts are folded once


@functools.lru_cache(maxsize=65536)
def _fold_short(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


def normalize_department(name: str) -> str:
    """The key departments are matched by: folded, with brackets unified."""
    return fold(name).replace("(", "（").replace(")", "）")


# 文号: 沂政发〔2023〕13号, 鲁质强发[2022]2号, 沂市监字（2023）5号 …
DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fffA-Za-z]{1,8})\s*[〔\[【(（［]\s*((?:19|20)\d{2})\s*[〕\]】)）］]\s*(\d{1,4})\s*号"
)


def find_doc_number(text: str) -> str:
    """The first document number in `text`, in its canonical form 沂政发〔2023〕13号."""
    m = DOC_NUMBER.search(text or "")
    if not m:
        return ""
    return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号"
