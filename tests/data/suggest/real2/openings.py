"""The second real-document set (issue 15, session 10): openings of real county/city department
documents that FIT an indicator of the corpus framework (61) and 10 that fit none, from sites
that are not in ../real (see README.md here). Labelled and split before any run.

`documents()` gives every entry with its number, codes and split. The split is by source
site, fixed before any run: dev when sha1("real2-split-1" + site) mod 100 is below 60, else held.
"""
from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SPLIT_SALT = "real2-split-1"


def split_of(site: str) -> str:
    """dev or held, by the source site (about 60/40)."""
    return "dev" if int(hashlib.sha1((SPLIT_SALT + site).encode()).hexdigest(), 16) % 100 < 60 else "held"


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"real2_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def documents() -> list[dict[str, Any]]:
    """Every document: n, site, url, kind, text, codes (() = fits no indicator), split."""
    out: list[dict[str, Any]] = []
    for d in _load("openings_fit").FIT:
        out.append({**d, "codes": tuple(d["codes"])})
    for d in _load("openings_none").NONE:
        out.append({**d, "codes": ()})
    for n, d in enumerate(out, 1):
        d["n"] = n
        d["split"] = split_of(d["site"])
    return out
