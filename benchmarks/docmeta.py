"""Document metadata on real pages and on OCRed scans: how often `read_docmeta` reads each field right.

    python -m benchmarks.docmeta [--set web|ocr|all] [--split dev|held|all] [--show dev|held|all]

The labelled set is tests/data/docmeta/openings.json: openings of real official documents as
they reach a clerk from government portals, reposting sites and news pages (structure, titles,
文号, issuers and dates kept; body sentences rewritten; sources in SOURCES.md). It is split by
site into dev (looked at while fixing) and held (measured, never looked at while fixing); the
split was fixed before any change to docmeta. A second held split, held2 (replies to 人大建议 and
政协提案, 团体标准 and 地方标准 notices, a title wrapped before its 文号, news pages about 建议 办理),
was added in session 5 and measured once before the fixes of that session.

The OCR set is tests/data/docmeta/ocr_scans.json: 40 scans and phone photos of 红头文件 rendered
by tests/data/docmeta/make_ocr_set.py (mastheads, 文号 forms, 落款 layouts, dates in figures and in
Chinese numerals, seals, attachments after the signature) and read once by the real OCR engine;
the OCR text is kept, so this runs without OCR. Split by issuer family (dev / held), fixed in the
generator before any change to docmeta. A second, harder OCR set (ocr_scans_hard.json, `make_ocr_set.py
--hard`: another seed, masthead "文件" on its own line, 签发人 under any masthead, titles on up to three
lines, the 落款 on page 2, more phone photos, 120-150 dpi, JPEG quality 50) was made after the fixes
and measured once without tuning; --set hard reports it.

A field is right when the reading equals the label after normalisation (NFKC, whitespace
removed). Where the label is empty, an empty reading is right and anything else is a false
reading; where the label has a value, an empty reading is a miss. Per field:
    title       the label, or one of its listed alternatives (a body name standing on its own
                line above 关于…, which may be read as part of the title or not);
    doc_number  the canonical 文号 (沂政发〔2023〕13号);
    issuer      the short form (short_issuer) of the issuing body the page states;
    date        the date of issue (成文日期), ISO;
    addressees  the 主送 list, separators (，,、；;) made one.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from storage.reading.docmeta import DocMeta, read_docmeta, short_issuer

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "docmeta" / "openings.json"
OCR_DATA = DATA.parent / "ocr_scans.json"
HARD_DATA = DATA.parent / "ocr_scans_hard.json"
FIELDS = ("title", "doc_number", "issuer", "date", "addressees")


def norm(s: str | None) -> str:
    """NFKC with every whitespace character removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def _addr(s: str) -> str:
    return re.sub(r"[，,、；;]+", "、", norm(s)).strip("、：:")


def got_fields(m: DocMeta) -> dict[str, str]:
    """A reading in the labels' terms, normalised."""
    return {
        "title": norm(m.title),
        "doc_number": norm(m.doc_number),
        "issuer": norm(m.issuer),
        "date": m.issue_date.isoformat() if m.issue_date else "",
        "addressees": _addr("、".join(m.addressees)),
    }


def want_fields(label: dict[str, Any]) -> dict[str, list[str]]:
    """The accepted readings of each field (an empty string: nothing should be read)."""
    issuer = label.get("issuer") or ""
    return {
        "title": [norm(label.get("title"))] + [norm(t) for t in label.get("title_alt", [])],
        "doc_number": [norm(label.get("doc_number"))],
        "issuer": [norm(short_issuer(issuer)) if issuer else ""],
        "date": [label.get("date") or ""],
        "addressees": [_addr(label.get("addressees") or "")],
    }


def load(path: Path = DATA) -> list[dict[str, Any]]:
    """The labelled openings."""
    data: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def score(entries: list[dict[str, Any]]) -> tuple[dict[str, Counter[str]], list[tuple[str, str, str, str]]]:
    """Per field: right / miss / false counts; and every wrong reading (id, field, got, want)."""
    tally: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
    wrong: list[tuple[str, str, str, str]] = []
    for e in entries:
        got = got_fields(read_docmeta("\n".join(e["lines"])))
        want = want_fields(e["label"])
        for f in FIELDS:
            if got[f] in want[f]:
                tally[f]["right"] += 1
                continue
            kind = "false" if want[f][0] == "" else "miss" if got[f] == "" else "wrong"
            tally[f][kind] += 1
            wrong.append((e["id"], f, got[f] or "(nothing)", want[f][0] or "(nothing)"))
    return tally, wrong


def line(name: str, n: int, tally: dict[str, Counter[str]]) -> str:
    """One row of the table: per field, % right (wrong / missed / false readings)."""
    cells = []
    for f in FIELDS:
        t = tally[f]
        cells.append(f"{f} {100 * t['right'] / n:5.1f}% ({t['wrong']}w {t['miss']}m {t['false']}f)" if n else f"{f} -")
    return f"  {name:<5} n={n:3d}  " + "  ".join(cells)


def report(title: str, entries: list[dict[str, Any]], split: str, show: str) -> None:
    """Print one set's table (dev, held, all) and, if asked, the wrong readings of a split."""
    print(title + " (w wrong, m missed, f false reading where the label is empty)")
    present = [s for s in ("dev", "held", "held2") if any(e["split"] == s for e in entries)]
    splits = present if split == "all" else [split]
    for name in splits:
        sel = [e for e in entries if e["split"] == name]
        tally, wrong = score(sel)
        print(line(name, len(sel), tally))
        if show in (name, "all"):
            for id_, f, got, want in wrong:
                print(f"      {id_:<30} {f:<10} got {got}  | want {want}")
    if split == "all":
        tally, _ = score(entries)
        print(line("all", len(entries), tally))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="document metadata accuracy on real pages and OCRed scans")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--ocr-data", type=Path, default=OCR_DATA)
    ap.add_argument("--hard-data", type=Path, default=HARD_DATA)
    ap.add_argument("--set", choices=("web", "ocr", "hard", "all"), default="all", help="which labelled set")
    ap.add_argument("--split", choices=("dev", "held", "held2", "all"), default="all", help="which splits to measure")
    ap.add_argument("--show", choices=("dev", "held", "held2", "all", "none"), default="none",
                    help="list the wrong readings of this split (never look at held while tuning)")
    a = ap.parse_args(argv)
    if a.set in ("web", "all"):
        report("Document metadata on real pages", load(a.data), a.split, a.show)
    if a.set in ("ocr", "all"):
        report("Document metadata on OCRed scans and photos of 红头文件", load(a.ocr_data), a.split, a.show)
    if a.set in ("hard", "all") and a.hard_data.exists():
        report("Document metadata on the harder OCR set (made after the fixes)", load(a.hard_data), a.split, a.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
