"""The third real-document set (issue 15, session 11): openings of real county/city department
documents that FIT an indicator of the corpus framework (48) and 12 that fit none, from sites
that are in neither ../real nor ../real2 (see README.md here). Labelled and split before any run.

`documents()` gives every entry with its number, codes and split. The split is by source
site, fixed before any run: dev when sha1("real3-split-1" + site) mod 100 is below 60, else held.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SPLIT_SALT = "real3-split-1"


def _real() -> Any:
    """The first real set's loader (../real/openings.py), which reads any set of this shape."""
    spec = importlib.util.spec_from_file_location("real_openings_loader", HERE.parent / "real" / "openings.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def split_of(site: str) -> str:
    """dev or held, by the source site (about 60/40)."""
    return str(_real().split_by(SPLIT_SALT, site))


def documents() -> list[dict[str, Any]]:
    """Every document: n, site, url, kind, text, codes (() = fits no indicator), split."""
    docs: list[dict[str, Any]] = _real().documents_in(HERE, SPLIT_SALT, "real3")
    return docs
