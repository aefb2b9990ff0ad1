"""The real-document set (issue 15): openings of real county/city department documents,
labelled against the corpus framework (tests/data/suggest/spec.py), a third and more of
them fitting NO indicator (codes == ()). See README.md here for the rules and the split.

`documents()` gives every entry with its number, codes and split. The split is by source
site (never by document), fixed before any run: dev when sha1("real-split-1" + site) mod 100
is below 60, else held.
"""
from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SPLIT_SALT = "real-split-1"


def split_by(salt: str, site: str) -> str:
    """dev or held, by the source site (about 60/40), for the set whose salt this is."""
    return "dev" if int(hashlib.sha1((salt + site).encode()).hexdigest(), 16) % 100 < 60 else "held"


def split_of(site: str) -> str:
    """dev or held, by the source site (about 60/40)."""
    return split_by(SPLIT_SALT, site)


def _load(folder: Path, prefix: str, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"{prefix}_{name}", folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def documents_in(folder: Path, salt: str, prefix: str) -> list[dict[str, Any]]:
    """Every document of the set in `folder` (openings_fit.FIT, openings_none.NONE): n, site,
    url, kind, text, codes (() = fits no indicator), split by `salt`."""
    out: list[dict[str, Any]] = []
    for d in _load(folder, prefix, "openings_fit").FIT:
        out.append({**d, "codes": tuple(d["codes"])})
    for d in _load(folder, prefix, "openings_none").NONE:
        out.append({**d, "codes": ()})
    for n, d in enumerate(out, 1):
        d["n"] = n
        d["split"] = split_by(salt, d["site"])
    return out


def documents() -> list[dict[str, Any]]:
    """Every document: n, site, url, kind, text, codes (() = fits no indicator), split."""
    return documents_in(HERE, SPLIT_SALT, "real")
