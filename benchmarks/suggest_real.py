"""Placing REAL documents: the ranker on openings of real county/city department documents
(tests/data/suggest/real), a third and more of which fit no indicator at all.

    python -m benchmarks.suggest_real [--set real|real2|real3] [--verbose] [--split dev|held|all]
                                      [--shared DIR [--shared-labels FILE]]

Per split (dev, held): top-1 and top-3 on the documents that fit, 无把握 rate on those that
fit nothing, and 把握较高 right (a 把握较高 on a document that fits nothing is wrong). The
framework is the corpus's (tests/data/suggest/spec.py), built as benchmarks/suggest.py builds
it; the text view is what the inbox reads from a file (storage.reading.docmeta on its text).

--shared DIR measures a folder of .txt openings the same way (the lead's 25 department
documents live outside the repository; tests never read them), with labels from
--shared-labels (JSON: file name -> list of codes, [] for none) and also against the demo
archive's framework (desktop/actions/demo.py; every 把握较高 is listed to be judged by eye).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.suggest import Tally, framework_targets, make_corpus
from storage.reading.docmeta import read_docmeta
from storage.watch.rank import MAYBE, SURE, UNSURE, Ranked, Ranker, TextView, view_weights

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "suggest" / "real"
SETS = {"real": REAL, "real2": REAL.parent / "real2", "real3": REAL.parent / "real3"}
FRAMEWORK2 = REAL.parent / "framework2" / "framework.py"
FRAMEWORKS = {"framework2": FRAMEWORK2, "framework3": REAL.parent / "framework3" / "framework.py"}


def load_framework(which: str = "spec") -> Any:
    """The framework to rank against: `spec` (the corpus's own, tests/data/suggest/spec.py, whose
    wording we wrote) or `framework2` (a real published indicator system in its own wording,
    tests/data/suggest/framework2) or `framework3` (a second real wording from other sources,
    tests/data/suggest/framework3)."""
    if which == "spec":
        return make_corpus.load_spec()
    spec = importlib.util.spec_from_file_location(f"suggest_{which}", FRAMEWORKS[which])
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def relabel(docs: list[dict[str, Any]], which: str, framework: str) -> list[dict[str, Any]]:
    """The documents with their labels against `framework` (framework2: labels_framework2.json
    beside the set, written by hand before any run; same split)."""
    if framework == "spec":
        return docs
    labels = json.loads((SETS[which] / f"labels_{framework}.json").read_text(encoding="utf-8"))["labels"]
    return [{**d, "codes": tuple(labels[str(d["n"])])} for d in docs]


def real_documents(which: str = "real") -> list[dict[str, Any]]:
    """A labelled real set: tests/data/suggest/real (session 9), real2 (session 10) or real3 (session 11)."""
    spec = importlib.util.spec_from_file_location(f"suggest_{which}_openings", SETS[which] / "openings.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    docs: list[dict[str, Any]] = mod.documents()
    return docs


def view_of(text: str, name: str = "") -> TextView:
    """The text view the inbox builds for a file whose text is `text` (benchmarks/suggest.py's
    text_view, without a file): title, 文号 and issuer read from the page."""
    meta = read_docmeta(text)
    return TextView(name=name, title=meta.title, doc_number=meta.doc_number, issuer=meta.issuer,
                    body=meta.body if meta.title else text)


class RealTally(Tally):
    """Tally with documents that fit nothing: their right answer is 无把握 (or 可参考)."""

    none_n: int = 0
    none_unsure: int = 0
    none_sure: int = 0
    none_maybe: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.none_n = self.none_unsure = self.none_sure = self.none_maybe = 0

    def add_any(self, codes: tuple[str, ...], ranked: list[Ranked]) -> None:
        if codes:
            self.add(list(codes), ranked)
            return
        self.none_n += 1
        word = ranked[0].certainty if ranked else UNSURE
        self.none_unsure += word == UNSURE
        self.none_maybe += word == MAYBE
        self.none_sure += word == SURE

    def row(self, label: str) -> str:
        pct = lambda a, b: f"{100 * a / b:5.1f}%" if b else "   - "  # noqa: E731 - a one-line formatter
        sure = self.sure + self.none_sure
        return (f"{label:<8} fit {self.n:3d}: top1 {pct(self.top1, self.n)} top3 {pct(self.top3, self.n)} "
                f"无把握 {pct(self.unsure, self.n)} | none {self.none_n:3d}: "
                f"无把握 {pct(self.none_unsure, self.none_n)} "
                f"可参考 {self.none_maybe:2d} 把握较高 {self.none_sure:2d} | 把握较高 {sure:3d}, right "
                f"{self.sure_right:3d} ({pct(self.sure_right, sure)})")


def evaluate(ranker: Ranker, docs: list[dict[str, Any]], *, verbose: bool = False) -> dict[str, RealTally]:
    """Tallies by split and overall; verbose prints every document's top suggestion."""
    out: dict[str, RealTally] = defaultdict(RealTally)
    for d in docs:
        ranked = ranker.rank(view_of(d["text"]))
        for key in (d["split"], "all"):
            out[key].add_any(d["codes"], ranked)
        if verbose:
            got = ranked[0] if ranked else None
            mark = ("ok" if got and got.target.code in d["codes"] else "--") if d["codes"] else \
                ("ok" if not got or got.certainty != SURE else "!!")
            line = d["text"].splitlines()[0][:40]
            print(f"  {mark} n={d['n']:2d} {d['split']:<4} {'、'.join(d['codes']) or 'none':<18} -> "
                  f"{got.target.code if got else '-':<6} {got.certainty if got else '':<4} "
                  f"{got.confidence if got else 0:.2f}  «{line}»")
    return out


def explain(ranker: Ranker, d: dict[str, Any], k: int = 4) -> None:
    """Why a document ranked as it did: the title read, the top k indicators' framework
    scores with the bigrams that carried most of each, and the 把握较高 gate's reason."""
    view = view_of(d["text"])
    q = view_weights(view, ranker.tokenize)
    fw = ranker.indicators
    scores = fw.scores(q)
    ranked = ranker.rank(view)
    print(f"  n={d['n']} {d['split']} label {'、'.join(d['codes']) or 'none'} title «{view.title[:40]}» "
          f"-> {ranked[0].target.code if ranked else '-'} {ranked[0].certainty if ranked else ''}"
          f" {ranked[0].doubt[:30] if ranked else ''}")
    for n, s in sorted(scores.items(), key=lambda x: -x[1])[:k]:
        parts = []
        for tok, qw in q.items():
            for m, f in fw.postings.get(tok, ()):
                if m == n:
                    parts.append((fw.idf[tok] * qw * f * (fw.K1 + 1) / (f + fw.norm[n]), tok))
        best = " ".join(f"{t}{v:.1f}" for v, t in sorted(parts, reverse=True)[:10])
        print(f"     {fw.targets[n].code:<6} {s:6.1f}  {best}")


def calibration(ranker: Ranker, docs: list[dict[str, Any]]) -> None:
    """How often the top suggestion is right by its confidence band, per split (a document
    that fits nothing counts as wrong whatever its top): what 把握较高 (>= 0.8) means here."""
    bands = ((0.0, 0.2), (0.2, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 1.01))
    print("\nTop suggestion right by confidence band (n / right; 'none' documents count as wrong)")
    rows: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for d in docs:
        ranked = ranker.rank(view_of(d["text"]))
        conf = ranked[0].confidence if ranked else 0.0
        ok = bool(ranked) and ranked[0].target.code in d["codes"]
        rows[d["split"]].append((conf, ok))
    for split, got in sorted(rows.items()):
        cells = []
        for lo, hi in bands:
            sel = [ok for c, ok in got if lo <= c < hi]
            cells.append(f"[{lo:.2f},{min(hi, 1.0):.2f}) {len(sel):3d}/{sum(sel):3d}")
        print(f"  {split:<5} " + "  ".join(cells))


def corpus_ranker(framework: str = "spec") -> Ranker:
    """A day-one ranker over the framework named (no filed evidence)."""
    inds, duties, _ = framework_targets(load_framework(framework))
    return Ranker(inds, duties)


def shared_run(folder: Path, labels_file: Path | None) -> None:
    """The lead's folder of real openings: against the corpus framework (with labels) and the
    demo archive's framework (every 把握较高 listed)."""
    files = sorted(folder.glob("*.txt"))
    labels: dict[str, list[str]] = json.loads(labels_file.read_text(encoding="utf-8")) if labels_file else {}
    ranker = corpus_ranker()
    t = RealTally()
    print(f"\n{folder}: {len(files)} files, corpus framework")
    for f in files:
        text = f.read_text(encoding="utf-8")
        ranked = ranker.rank(view_of(text))
        got = ranked[0] if ranked else None
        if f.name in labels:
            t.add_any(tuple(labels[f.name]), ranked)
        print(f"  {f.name:<42} {'、'.join(labels.get(f.name, ['?'])) or 'none':<12} -> "
              f"{got.target.code if got else '-':<6} {got.certainty if got else ''} {got.confidence if got else 0:.2f}")
    if labels:
        print("  " + t.row("shared"))
    _demo_run(files)


def _demo_run(files: list[Path]) -> None:
    """The demo archive's framework and filed examples, through storage.watch.suggest."""
    from desktop.actions.demo import create_demo_archive
    from storage.watch.suggest import FileFacts, SuggestContext, suggest

    with tempfile.TemporaryDirectory() as tmp:
        archive = create_demo_archive(Path(tmp) / "demo")
        with archive.sessions.read() as s:
            ctx = SuggestContext.load(s)
        print(f"\ndemo framework ({len(ctx.indicators_by_code)} indicators): the top of each file")
        sure = 0
        for f in files:
            res = suggest(FileFacts(relpath=f.name, text=f.read_text(encoding="utf-8")), ctx,
                          folder_department=None)
            top = res.get("top") or [{}]
            sure += res.get("certainty") == SURE
            print(f"  {f.name:<42} {top[0].get('code', '-'):<6} {res.get('certainty', '')} "
                  f"{top[0].get('title', '')[:28]}")
        print(f"  把握较高 on {sure} of {len(files)}")
        archive.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="placing real documents: does 把握较高 hold?")
    ap.add_argument("--verbose", action="store_true", help="every document's top suggestion")
    ap.add_argument("--set", default="real", choices=sorted(SETS),
                    help="which real set: real (session 9, a third fits nothing), real2 (session 10) or "
                         "real3 (session 11, written before session 11 changed the ranker)")
    ap.add_argument("--split", default="all", choices=("dev", "held", "all"),
                    help="which part to rank (held: run it once, after the choices are made on dev)")
    ap.add_argument("--framework", default="spec", choices=("spec", "framework2", "framework3"),
                    help="rank against the corpus framework (spec) or a real published one (framework2, framework3)")
    ap.add_argument("--explain", action="store_true", help="why each wrong document ranked as it did")
    ap.add_argument("--calibrate", action="store_true", help="also rightness by confidence band")
    ap.add_argument("--shared", type=Path, default=None, help="also a folder of .txt openings (outside the repo)")
    ap.add_argument("--shared-labels", type=Path, default=None, help="JSON labels for --shared")
    a = ap.parse_args(argv)
    docs = [d for d in relabel(real_documents(a.set), a.set, a.framework)
            if a.split == "all" or d["split"] == a.split]
    print(f"real set: {len(docs)} documents ({sum(1 for d in docs if d['codes'])} fit, "
          f"{sum(1 for d in docs if not d['codes'])} fit nothing)")
    tallies = evaluate(corpus_ranker(a.framework), docs, verbose=a.verbose)
    for key in ("dev", "held", "all"):
        if key in tallies:
            print("  " + tallies[key].row(key))
    if a.explain:
        ranker = corpus_ranker(a.framework)
        for d in docs:
            got = ranker.rank(view_of(d["text"]))
            wrong = (not got or got[0].target.code not in d["codes"]) if d["codes"] else \
                (bool(got) and got[0].certainty != UNSURE)
            if wrong:
                explain(ranker, d)
    if a.calibrate:
        calibration(corpus_ranker(a.framework), docs)
    if a.shared:
        shared_run(a.shared, a.shared_labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
