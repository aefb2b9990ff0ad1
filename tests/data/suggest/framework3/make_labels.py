"""Writes ../real*/labels_framework3.json: each document's labels against framework3, by hand,
before any run (issue 15, session 13). MAP carries a document's spec.py label to the framework3
item(s) of the same topic; FIX is what reading each title and opening changed (README).

    PYTHONPATH=. python tests/data/suggest/framework3/make_labels.py
"""
from __future__ import annotations

import json

from benchmarks.suggest_real import real_documents

MAP: dict[str, list[str]] = {  # spec.py code -> framework3 codes (the topic table; README)
 "1.1.1": ["1.1.1"], "1.1.2": ["1.1.1"], "1.1.3": ["1.1.1", "1.1.3"], "1.2.1": ["1.1.3"],
 "1.2.2": ["1.1.2"], "1.2.3": ["1.2.1"], "1.3.1": ["1.4.2", "1.5.1"], "1.3.2": ["1.4.2", "1.5.1"],
 "1.3.3": ["2.2.1", "2.2.2"], "1.3.4": ["1.5.1"], "2.1.1": ["1.1.3"], "2.1.2": ["1.2.1", "1.1.3"],
 "2.2.1": ["1.3.1"], "2.2.2": ["1.3.1"], "2.2.3": ["1.3.1"], "2.2.4": ["1.3.1"], "2.2.5": ["1.3.1"],
 "2.2.6": ["1.3.1"], "2.3.1": ["1.3.1"], "2.3.2": ["1.3.1"], "2.4.1": ["1.3.1", "1.4.1"],
 "2.4.2": ["1.4.1"], "2.4.3": ["2.2.1", "2.2.2"], "3.1.1": ["2.1.2", "2.1.3"], "3.1.2": ["2.1.5"],
 "3.1.3": ["2.1.5"], "3.2.1": ["2.1.5", "1.3.1"], "3.2.2": ["2.1.5", "1.3.1"], "3.2.3": ["2.1.5"],
 "3.3.1": ["2.1.5", "2.2.2"], "3.3.2": ["2.1.5"], "3.4.1": ["2.1.1", "2.1.5"], "3.4.2": ["2.1.1", "2.2.2"],
 "3.5.1": ["3.6.2"], "3.5.2": [], "4.1.1": ["3.2.1"], "4.1.2": ["3.2.3", "3.2.4"], "4.1.3": ["3.2.5"],
 "4.2.1": ["3.3.1"], "4.2.2": [], "4.2.3": ["3.3.1"], "4.3.1": ["3.4.1"], "4.3.2": ["3.4.1", "3.4.2"],
 "4.3.3": ["3.4.1", "3.4.2"], "4.3.4": ["3.4.1", "3.4.3"], "4.4.1": ["3.5.1"], "4.4.2": ["3.5.1"],
 "4.4.3": ["3.5.1"], "4.5.1": ["1.4.3"], "4.5.2": [], "4.5.3": [],
}
FIX: dict[tuple[str, int], list[str]] = {  # by hand, after reading each title and opening (README lists why)
 ("real", 13): ["1.1.1", "1.1.3", "1.2.1"],
 ("real", 18): ["3.6.2"], ("real", 19): ["3.6.3", "3.6.2"], ("real", 20): ["3.6.2", "3.6.1"],
 ("real", 22): ["1.3.1", "3.2.1", "3.2.2"], ("real3", 8): ["1.3.1", "3.2.1", "3.2.2"],
 ("real", 23): ["3.3.1", "3.3.2"], ("real", 25): ["3.3.1", "3.3.2"],
 ("real", 62): ["3.1.1"],
 ("real2", 53): ["2.1.5"],
 ("real2", 21): ["1.3.1"],
 ("real2", 42): ["1.4.1"],
 ("real3", 20): ["1.4.1", "1.3.1"], ("real3", 21): ["1.4.1", "1.3.1"],
 ("real3", 32): ["3.6.3"],
 ("real3", 28): ["2.1.5", "2.2.2", "2.2.1"],
}


def main() -> None:
    """Writes the three label files and prints each set's counts (all, fit, none)."""
    for s in ("real", "real2", "real3"):
        write(s)


def write(s: str) -> None:
    """The labels of one set, written beside it."""
    out: dict[str, list[str]] = {}
    for d in real_documents(s):
        key = (s, d["n"])
        if key in FIX:
            codes = FIX[key]
        else:
            codes = []
            for c in d["codes"]:
                codes += [m for m in MAP[c] if m not in codes]
        out[str(d["n"])] = codes
    doc = {"framework": "framework3",
           "note": "labels against tests/data/suggest/framework3 (济南 DB3701/T 20-2021 + 青海/扬州/江门 "
                   "published terms), by hand, before any run; n as in openings.py; [] = fits none",
           "labels": out}
    with open(f"tests/data/suggest/{s}/labels_framework3.json", "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    fit = sum(1 for v in out.values() if v)
    print(s, len(out), fit, len(out) - fit)


if __name__ == "__main__":
    main()
