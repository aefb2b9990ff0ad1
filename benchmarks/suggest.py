"""Placing files: how often the right indicator comes first, in the top three, how often the
ranker says 无把握, how often 把握较高 is right, with and without learning, by format and by
split (tuned part vs the held-out families), plus document-metadata accuracy field by field
and the time of one suggestion at 1,000 duties and 50,000 accepted items.

    python -m benchmarks.suggest [--corpus DIR] [--no-pdf] [--ocr [--ocr-cache DIR]]
                                 [--alternatives] [--calibrate] [--speed] [--load N [--load-baseline F]]

The corpus is generated from tests/data/suggest (deterministic) into --corpus (default: a
folder in the system temp dir, reused when its labels.json matches the spec). Text comes from
storage.watch.extract for .docx/.xlsx/.pdf; images and image-only PDFs are read by the real
OCR engine with --ocr (--ocr-cache keeps the engine's text by content hash for reruns that
change only docmeta or the ranker), else by the text the generator rendered into them.
Splits: tune (tuned on), held_out, held_out_2 (looked at while fixing), held_out_3, held_out_4,
held_out_5, held_out_6 and held_out_7 (written before session 4's, 5's, 6's, 7's and 8's tuning; their
first figures are in those sessions' reports and tests/data/suggest/README.md). --load N times loading
N filed items into the memory (an archive is built). --seeds 7,3,11 learns with several seeded
halves (--explain: the files learning fixed and broke, with the neighbours, profiles and family
votes behind it); --tune KNOB=VALUE measures another setting of rank.Tuning.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from storage.reading.docmeta import DocMeta, read_docmeta
from storage.reading.extract import read_file
from storage.reading.ocr import ocr_image, ocr_pdf_pages
from storage.watch.extract import extract
from storage.watch.rank import (
    SURE,
    UNSURE,
    Ranker,
    Target,
    TextView,
    Tuning,
    duty_target,
    indicator_target,
    meaningless_name,
    tokens,
    view_weights,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "suggest"
DEFAULT_CORPUS = Path(tempfile.gettempdir()) / "evidence-desk-suggest-corpus"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


make_corpus = _load("suggest_make_corpus", DATA / "make_corpus.py")


@dataclass
class Item:
    """One corpus document as the ranker sees it."""

    n: int
    codes: list[str]
    format: str
    kind: str
    split: str
    family: str
    view: TextView
    meta: DocMeta
    truth_meta: dict
    text_from: str      # "file" or "sidecar"


def parse_tuning(settings: list[str]) -> Tuning:
    """rank.Tuning with KNOB=VALUE settings, each VALUE read as its knob's type (a bool from
    1/0, true/false, on/off: bool("0") would be True)."""
    values: dict[str, object] = {}
    for kv in settings:
        k, v = kv.split("=", 1)
        kind = type(getattr(Tuning(), k))
        values[k] = v.strip().lower() in ("1", "true", "yes", "on") if kind is bool else kind(v)
    return Tuning(**values)  # type: ignore[arg-type]


def framework_targets(spec) -> tuple[list[Target], list[Target], dict[str, int]]:
    """Indicator and duty targets of the built framework (ids: position + 1)."""
    ids: dict[str, int] = {}
    inds: list[Target] = []
    duties: list[Target] = []
    for k, (code, ind) in enumerate(spec.INDICATORS.items(), 1):
        ids[code] = k
        title, _pts, rule, lead, task, expected = ind[:6]
        parents = [spec.LEVELS[code.rsplit(".", 1)[0]], spec.LEVELS[code.split(".")[0]]]
        inds.append(indicator_target(k, code, title, scoring_rule=rule, parents=parents,
                                     duties=[(task, expected)], lead=lead))
        if task or expected:    # a published framework (framework2) gives no duties
            duties.append(duty_target(k, code, task, expected, k, lead))
    return inds, duties, ids


def ensure_corpus(path: Path, *, pdf: bool = True) -> list[dict]:
    """The generated corpus at `path` (made if missing); its labels."""
    labels = path / "labels.json"
    planned = [d.file for d in make_corpus.plan(make_corpus.load_spec())]
    if not labels.exists() or [d["file"] for d in json.loads(labels.read_text(encoding="utf-8"))] != [
            f if pdf else f.replace(".pdf", ".docx") for f in planned]:
        make_corpus.build(path, pdf=pdf)     # missing, or made from an older spec
    return json.loads(labels.read_text(encoding="utf-8"))


OCR: dict = {"on": False, "cache": None}
SPLITS = ("tune", "held_out", "held_out_2", "held_out_3", "held_out_4", "held_out_5", "held_out_6", "held_out_7")


def ocr_text(path: Path, name: str) -> str:
    """The text the application reads from an image or an image-only PDF: the reader
    (storage.reading.extract) says which pages need OCR; the real engine reads them.
    With a cache folder (--ocr-cache), the engine's text is kept by the file's content
    hash, so a rerun that changes only docmeta or the ranker does not OCR again."""
    cache: Path | None = OCR["cache"]
    key = None
    if cache is not None:
        import hashlib
        key = cache / (hashlib.sha256(path.read_bytes()).hexdigest()[:24] + ".txt")
        if key.exists():
            return key.read_text(encoding="utf-8")
    text = _ocr_text(path, name)
    if key is not None:
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_text(text, encoding="utf-8")
    return text


def _ocr_text(path: Path, name: str) -> str:
    result = read_file(path, name_hint=name)
    if not result.ocr_pages:
        return result.text
    if result.kind == "pdf":
        pages = ocr_pdf_pages(path, [p + 1 for p in result.ocr_pages])
        return "\n".join(pages[p].text for p in sorted(pages))
    return ocr_image(path).text


def text_view(path: Path, name: str, folder: str, sidecar: Path | None) -> tuple[TextView, DocMeta, str]:
    """What the inbox knows of a file: name, folder, extracted text, metadata read from it.
    With --ocr, scans and photos are read by the real OCR engine; else (a quick run that
    measures ranking alone) by the text the generator rendered into them."""
    ex = extract(path, name)
    text, source = ex.text, "file"
    if len(text.strip()) < 20 and OCR["on"]:
        text, source = ocr_text(path, name), "ocr"
    elif len(text.strip()) < 20 and sidecar is not None and sidecar.exists():
        text, source = sidecar.read_text(encoding="utf-8"), "sidecar"
    meta = read_docmeta(text)
    stem = Path(name).stem
    view = TextView(
        name="" if meaningless_name(stem) else stem, folders=folder,
        title=meta.title or (ex.title if ex.title != stem else ""),
        doc_number=meta.doc_number or ex.doc_number, issuer=meta.issuer,
        body=meta.body if meta.title else text,
    )
    return view, meta, source


def load_items(corpus: Path, labels: list[dict]) -> list[Item]:
    items = []
    for d in labels:
        path = corpus / "files" / d["file"]
        name = make_corpus.display_name(make_corpus.Doc(**d))
        folder = str(Path(d["file"]).parent) if "/" in d["file"] else ""
        sidecar = corpus / d["truth"] if d["truth"] else None
        view, meta, source = text_view(path, name, folder, sidecar)
        items.append(Item(d["n"], d["codes"], d["format"], d["kind"], d["split"], d["family"], view, meta,
                          d["meta"], source))
    return items


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Tally:
    n: int = 0
    top1: int = 0
    top3: int = 0
    unsure: int = 0
    sure: int = 0
    sure_right: int = 0

    def add(self, codes: list[str], ranked: list) -> None:
        self.n += 1
        got = [r.target.code for r in ranked]
        if got[:1] and got[0] in codes:
            self.top1 += 1
        if any(c in codes for c in got[:3]):
            self.top3 += 1
        if not ranked or ranked[0].certainty == UNSURE:
            self.unsure += 1
        if ranked and ranked[0].certainty == SURE:
            self.sure += 1
            self.sure_right += got[0] in codes

    def line(self, label: str) -> str:
        if not self.n:
            return f"{label:<26}    0"
        pct = lambda a, b: f"{100 * a / b:5.1f}%" if b else "   - "  # noqa: E731 - a one-line formatter for the table below
        return (f"{label:<26}{self.n:5d}  top1 {pct(self.top1, self.n)}  top3 {pct(self.top3, self.n)}  "
                f"无把握 {pct(self.unsure, self.n)}  把握较高 {self.sure:3d} ({pct(self.sure, self.n)}) "
                f"right {pct(self.sure_right, self.sure)}")


def evaluate(ranker: Ranker, items: list[Item], ids: dict[str, int]) -> dict[str, Tally]:
    """Tallies by split, by split x format group, for every item ranked once."""
    out: dict[str, Tally] = defaultdict(Tally)
    for it in items:
        ranked = ranker.rank(it.view)
        group = "scans+photos" if it.kind in "ps" else "files with text"
        for key in (it.split, f"{it.split} · {group}", f"{it.split} · {it.format}", "all"):
            out[key].add(it.codes, ranked)
    return out


def print_tallies(title: str, t: dict[str, Tally]) -> None:
    print(f"\n{title}")
    for key in sorted(t, key=lambda k: (k != "all", k)):
        print("  " + t[key].line(key))


def learning_run(make: Callable[[], Ranker], items: list[Item], ids: dict[str, int], seed: int = 7
                 ) -> tuple[dict[str, Tally], dict[str, Tally]]:
    """Accept a seeded half (each as an example, at once), measure the other half; also
    returns the same other half measured without learning, for comparison."""
    rng = random.Random(seed)
    order = items[:]
    rng.shuffle(order)
    half = len(order) // 2
    ranker = make()
    before = evaluate(ranker, order[half:], ids)
    for it in order[:half]:
        ranker.learn(it.view, [ids[c] for c in it.codes], evidence_id=it.n, title=it.view.title)
    return evaluate(ranker, order[half:], ids), before


def seeds_run(make: Callable[[], Ranker], items: list[Item], ids: dict[str, int], seeds: list[int],
              explain: bool = False) -> None:
    """Learning with several seeded halves: per split, top-1 of the other half without and
    with learning, and 把握较高 right after learning; with explain, every file learning
    turned from right to wrong, with the memory's votes that did it."""
    print("\nLearning by seed (other half: top1 without -> with learning, 把握较高 right after)")
    for seed in seeds:
        rng = random.Random(seed)
        order = items[:]
        rng.shuffle(order)
        half = len(order) // 2
        ranker = make()
        day_one = {it.n: ranker.rank(it.view) for it in order[half:]}
        for it in order[:half]:
            ranker.learn(it.view, [ids[c] for c in it.codes], evidence_id=it.n, title=it.view.title)
        before: dict[str, Tally] = defaultdict(Tally)
        after: dict[str, Tally] = defaultdict(Tally)
        flips = []
        for it in order[half:]:
            r0, r1 = day_one[it.n], ranker.rank(it.view)
            for key in (it.split, "all"):
                before[key].add(it.codes, r0)
                after[key].add(it.codes, r1)
            right0 = bool(r0) and r0[0].target.code in it.codes
            right1 = bool(r1) and r1[0].target.code in it.codes
            if right0 != right1:
                flips.append((it, r0, r1, right1))
        cells = []
        for key in (*SPLITS, "all"):
            b, a = before[key], after[key]
            if b.n:
                sure = f"{100 * a.sure_right / a.sure:.0f}" if a.sure else "-"
                cells.append(f"{key} {100 * b.top1 / b.n:.1f}->{100 * a.top1 / a.n:.1f} ({sure})")
        print(f"  seed {seed:>2}: " + "  ".join(cells))
        lost = [f for f in flips if not f[3]]
        print(f"           learning fixed {len(flips) - len(lost)}, broke {len(lost)}")
        if explain:
            for it, r0, r1, ok in flips:
                print(f"    {'fixed' if ok else 'broke'} n={it.n} {it.split} {it.kind} codes={it.codes} "
                      f"day-one {r0[0].target.code} -> {r1[0].target.code} ({r1[0].certainty})  "
                      f"«{it.view.title or it.view.name}»")
                q = view_weights(it.view, ranker.tokenize)
                for sim, ex in ranker.memory.neighbours(q, ranker.tuning.neighbours):
                    codes = [ranker.indicators.targets[ranker._by_indicator[i]].code for i in ex.indicator_ids]
                    print(f"        neighbour {sim:.2f} {codes} «{ex.title}»")
                prof = sorted(ranker.memory.profile_similarity(q).items(), key=lambda x: -x[1])[:3]
                print("        profile " + ", ".join(
                    f"{ranker.indicators.targets[ranker._by_indicator[i]].code} {c:.2f}" for i, c in prof))
                fam = ranker.memory.family_votes(it.view)
                code_of = {i: ranker.indicators.targets[ranker._by_indicator[i]].code for i in fam}
                print("        family " + ", ".join(f"{code_of[i]} {v:.2f} {k}" for i, (v, k) in fam.items()))
                fw = sorted(ranker.indicators.scores(q).items(), key=lambda x: -x[1])[:3]
                print("        framework " + ", ".join(
                    f"{ranker.indicators.targets[n].code} {v:.1f}" for n, v in fw))
                neigh = ranker.memory.neighbours(q, ranker.tuning.neighbours)
                n0 = ranker._by_indicator[ids[r0[0].target.code]]
                n1 = ranker._by_indicator[ids[r1[0].target.code]]
                back1, back0 = ranker.contrast_support(q, neigh, n1, n0), ranker.contrast_support(q, neigh, n0, n1)
                print(f"        contrast {r1[0].target.code} vs {r0[0].target.code}: {back1:.2f} vs {back0:.2f}")


def docmeta_accuracy(items: list[Item]) -> None:
    print("\nDocument metadata (红头文件 and scans of them), field by field")
    fields = ("issuer", "doc_number", "title", "issue_date", "addressees")
    groups = [(split, [it for it in items if it.truth_meta and it.split == split]) for split in SPLITS]
    groups += [(f"{split} scans", [it for it in items if it.truth_meta and it.split == split
                                   and it.text_from in ("ocr", "sidecar")]) for split in SPLITS]
    for split, sel in groups:
        right: Counter[str] = Counter()
        for it in sel:
            m = it.meta
            got = {"issuer": m.issuer, "doc_number": m.doc_number, "title": m.title,
                   "issue_date": m.issue_date.isoformat() if m.issue_date else None,
                   "addressees": list(m.addressees)}
            for f in fields:
                want = it.truth_meta[f]
                if f == "title":    # a title is right whatever spaces the extraction put in it
                    right[f] += "".join(str(got[f]).split()) == "".join(str(want).split())
                else:
                    right[f] += got[f] == want
        print(f"  {split:<16} n={len(sel):3d}  " + "  ".join(
            f"{f} {100 * right[f] / len(sel):5.1f}%" if sel else f"{f} -" for f in fields))


def calibration(ranker: Ranker, items: list[Item], learned: Callable[[], Ranker] | None = None) -> None:
    """How right the top suggestion is by confidence threshold, per split: the 把握较高
    threshold (rank.SURE_MIN) is chosen on the tuning part only — the lowest threshold at
    which the tune part's confident suggestions are all right — and read off on the others."""
    print("\nCalibration: top-1 right among suggestions with confidence >= t (n shown / right)")
    conf = [(it.split, ranker.rank(it.view)) for it in items]
    rows = []
    for t in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        cells = []
        for split in SPLITS:
            sel = [(r, it) for (sp, r), it in zip(conf, items) if sp == split and r and r[0].confidence >= t]
            right = sum(r[0].target.code in it.codes for r, it in sel)
            cells.append(f"{split} {len(sel):3d}/{right:3d}")
        rows.append(f"  t={t:4.2f}  " + "  ".join(cells))
    print("\n".join(rows))


# --- alternatives ---------------------------------------------------------------------------


def tokens_with_unigrams(text: str) -> list[str]:
    """Bigrams plus single characters (the alternative that weighs rare characters)."""
    out = tokens(text)
    out += [c for c in make_corpus_fold(text) if "\u4e00" <= c <= "\u9fff"]
    return out


def make_corpus_fold(text: str) -> str:
    from storage.watch.rank import fold
    return fold(text)


def trigram_tokens(text: str) -> list[str]:
    """Bigrams plus trigrams."""
    out = tokens(text)
    from storage.watch.rank import _CJK_RUN, fold
    for m in _CJK_RUN.finditer(fold(text)):
        r = m.group(0)
        out += [r[i:i + 3] for i in range(len(r) - 2)]
    return out


class TfidfRanker(Ranker):
    """Alternative: cosine of tf-idf bigram vectors instead of BM25 (framework part only)."""

    def rank(self, view: TextView, *, top: int = 3, boost=None):
        from storage.watch.rank import Ranked, view_weights
        q = view_weights(view, self.tokenize)
        fw = self.indicators
        qv = {t: (1 + math.log(w)) * fw.token_idf(t) for t, w in q.items()}
        qn = math.sqrt(sum(v * v for v in qv.values())) or 1.0
        acc: dict[int, float] = defaultdict(float)
        dn: dict[int, float] = defaultdict(float)
        for tok, post in fw.postings.items():
            for n, f in post:
                dn[n] += ((1 + math.log(f)) * fw.idf[tok]) ** 2 if f > 0 else 0
        for t, v in qv.items():
            for n, f in fw.postings.get(t, []):
                acc[n] += v * (1 + math.log(f)) * fw.idf[t] if f > 0 else 0
        order = sorted(((s / (qn * math.sqrt(dn[n] or 1)), n) for n, s in acc.items()), reverse=True)[:top]
        return [Ranked(target=fw.targets[n], score=s, confidence=0.5) for s, n in order]


# --- speed -----------------------------------------------------------------------------------


def speed(items: list[Item], spec, n_duties: int = 1000, n_examples: int = 50_000,
          baseline: Path | None = None) -> None:
    """One suggestion's time at n_duties duties and n_examples accepted items. With
    `baseline` (an older storage/watch/rank.py), the same scale is built with it too and the
    two are timed interleaved (A B A B over the files, five rounds): median of per-round
    ratios, with the load average."""
    if baseline is not None:
        _speed_ab(items, spec, baseline, n_duties, n_examples)
        return
    inds, duties, ids = framework_targets(spec)
    rng = random.Random(3)
    big_duties = []
    big_inds = list(inds)
    # a 1,000-row responsibility table: every duty re-worded with other duties' words mixed in
    for k in range(n_duties):
        base = duties[k % len(duties)]
        other = duties[rng.randrange(len(duties))]
        text = base.fields[0][0] + "，" + other.fields[1][0][: rng.randint(4, 12)]
        big_duties.append(duty_target(10_000 + k, f"D{k}", text, base.fields[1][0], base.indicator_id))
        ind = inds[k % len(inds)]
        if k < 1000 - len(inds):
            big_inds.append(indicator_target(20_000 + k, f"X.{k}", ind.label + other.label[:6],
                                             duties=[(text, base.fields[1][0])]))
    t0 = time.perf_counter()
    ranker = Ranker(big_inds, big_duties)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for k in range(n_examples):
        it = items[k % len(items)]
        # accepted items: corpus texts with a varying slice, so their kept tokens differ
        body = it.view.body[rng.randint(0, 200):][:800]
        ranker.learn(TextView(title=it.view.title, name=it.view.name, body=body),
                     [ids[c] for c in it.codes], evidence_id=k)
    learn_s = time.perf_counter() - t0
    times = []
    for it in items:
        t0 = time.perf_counter()
        ranker.rank(it.view)
        ranker.rank_duties(it.view)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"\nSpeed: {len(big_inds)} indicators, {len(big_duties)} duties, {len(ranker.memory)} accepted items")
    print(f"  index build {build_s * 1000:.0f} ms; learning {n_examples} items {learn_s:.1f} s "
          f"({learn_s / n_examples * 1e6:.0f} µs each)")
    print(f"  one suggestion (indicators + duties), {len(times)} files: median {statistics.median(times):.1f} ms, "
          f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms")


def _scaled(rank_mod, items: list[Item], spec, n_duties: int, n_examples: int):
    """A ranker of `rank_mod` at scale (the same targets and examples as speed())."""
    ids = {code: k for k, code in enumerate(spec.INDICATORS, 1)}
    rng = random.Random(3)
    inds, duties = [], []
    codes = list(spec.INDICATORS.items())
    for k, (code, ind) in enumerate(codes, 1):
        title, _pts, rule, lead, task, expected = ind[:6]
        inds.append(rank_mod.indicator_target(k, code, title, scoring_rule=rule, duties=[(task, expected)], lead=lead))
    for k in range(n_duties):
        code, ind = codes[k % len(codes)]
        other = codes[rng.randrange(len(codes))][1]
        text = ind[4] + "，" + other[5][: rng.randint(4, 12)]
        duties.append(rank_mod.duty_target(10_000 + k, f"D{k}", text, ind[5], ids[code]))
        if k < n_duties - len(codes):
            inds.append(rank_mod.indicator_target(20_000 + k, f"X.{k}", ind[0] + other[0][:6],
                                                  duties=[(text, ind[5])]))
    ranker = rank_mod.Ranker(inds, duties)
    for k in range(n_examples):
        it = items[k % len(items)]
        body = it.view.body[rng.randint(0, 200):][:800]
        ranker.learn(rank_mod.TextView(title=it.view.title, name=it.view.name, body=body, folders=it.view.folders,
                                       doc_number=it.view.doc_number, issuer=it.view.issuer),
                     [ids[c] for c in it.codes], evidence_id=k)
    return ranker


def _speed_ab(items: list[Item], spec, baseline: Path, n_duties: int, n_examples: int) -> None:
    import os

    from storage.watch import rank as subject_mod
    base_mod = _load("suggest_rank_baseline", baseline)
    rankers = {"baseline": _scaled(base_mod, items, spec, n_duties, n_examples),
               "subject": _scaled(subject_mod, items, spec, n_duties, n_examples)}
    views = {name: [mod.TextView(**vars(it.view)) for it in items]
             for name, mod in (("baseline", base_mod), ("subject", subject_mod))}
    ratios: list[float] = []
    med: dict[str, list[float]] = {"baseline": [], "subject": []}
    for _round in range(5):
        per: dict[str, float] = {}
        for name in ("baseline", "subject"):
            r = rankers[name]
            times = []
            for v in views[name]:
                t0 = time.perf_counter()
                r.rank(v)
                r.rank_duties(v)
                times.append((time.perf_counter() - t0) * 1000)
            per[name] = statistics.median(times)
            med[name].append(per[name])
        ratios.append(per["subject"] / per["baseline"])
    print(f"\nSpeed A/B at {n_duties} duties, {n_examples} accepted items, 5 interleaved rounds "
          f"(load {os.getloadavg()[0]:.1f}): one suggestion median baseline "
          f"{statistics.median(med['baseline']):.1f} ms, "
          f"subject {statistics.median(med['subject']):.1f} ms; median per-round ratio subject/baseline "
          f"{statistics.median(ratios):.2f}")


def load_speed(items: list[Item], n: int = 50_000, baseline: Path | None = None, rounds: int = 2) -> None:
    """How long the first suggestion after opening an archive waits for the memory: an
    archive of `n` filed items (benchmarks/status.py's, with the corpus's texts as their
    BlobText and titles as the inbox stores them: the printed title, or the file's stem for
    a third), then storage.watch.suggest.load_memory into a fresh ranker. With `baseline`
    (an older storage/watch/suggest.py), both are timed interleaved (A B A B)."""
    import os
    import shutil

    from sqlalchemy import insert, update

    from benchmarks.status import build
    from storage.core.archive import Archive
    from storage.models import BlobText, Evidence, EvidenceFile
    from storage.watch import suggest as new_mod

    root = Path(tempfile.mkdtemp(prefix="ed-bench-load-")) / "archive"
    try:
        build(root, n)
        archive = Archive.open(root)
        with archive.sessions.write() as s:
            conn = s.connection()
            for start in range(0, n, 5000):
                ids = range(start + 1, min(n, start + 5000) + 1)
                views = {i: items[i % len(items)].view for i in ids}
                conn.execute(insert(BlobText), [{"blob_id": i, "text": (v.title + "\n" + v.body)[:3000]}
                                                for i, v in views.items()])
                for i in ids:
                    it = items[i % len(items)]
                    title = it.view.title if i % 3 else ""
                    stem = f"附件{i}"
                    conn.execute(update(Evidence).where(Evidence.id == i).values(title=title or stem))
                    conn.execute(update(EvidenceFile).where(EvidenceFile.evidence_id == i)
                                 .values(original_name=f"{stem}.pdf"))
        inds, duties, _ = framework_targets(make_corpus.load_spec())
        mods = [("this", new_mod)]
        if baseline is not None:
            mods.insert(0, ("baseline", _load("suggest_baseline_mod", baseline)))
        times: dict[str, list[float]] = defaultdict(list)
        for _ in range(rounds):
            for label, mod in mods:
                ranker = Ranker(inds, duties)
                with archive.sessions.read() as s:
                    t0 = time.perf_counter()
                    k = mod.load_memory(s, ranker)
                    times[label].append(time.perf_counter() - t0)
                assert k == n, k
        archive.close()
        print(f"\nLoading {n} filed items into the memory (load {os.getloadavg()[0]:.1f}):")
        for label, ts in times.items():
            print(f"  {label}: median {statistics.median(ts):.1f} s over {len(ts)} rounds {[round(t, 1) for t in ts]}")
        if baseline is not None:
            ratios = [b / a for a, b in zip(times["baseline"], times["this"])]
            print(f"  median ratio this/baseline {statistics.median(ratios):.2f}")
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="placing files: accuracy and speed")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--no-pdf", action="store_true", help="skip LibreOffice (PDFs written as .docx)")
    ap.add_argument("--alternatives", action="store_true", help="also measure the other methods")
    ap.add_argument("--speed", action="store_true", help="also time one suggestion at scale")
    ap.add_argument("--ocr", action="store_true",
                    help="read scans and photos with the real OCR engine (slow) instead of their rendered text")
    ap.add_argument("--tune", action="append", default=[], metavar="KNOB=VALUE",
                    help="override a knob of rank.Tuning (measuring alternatives)")
    ap.add_argument("--seeds", default="", help="also learn with these seeded halves, e.g. 7,3,11")
    ap.add_argument("--explain", action="store_true", help="with --seeds: the files learning broke, and why")
    ap.add_argument("--calibrate", action="store_true", help="also print rightness by confidence threshold")
    ap.add_argument("--speed-baseline", type=Path, default=None,
                    help="with --speed: an older storage/watch/rank.py to time interleaved against this one")
    ap.add_argument("--ocr-cache", type=Path, default=None,
                    help="keep the OCR engine's text of each scan here, by content hash (reruns)")
    ap.add_argument("--load", type=int, default=0, metavar="N",
                    help="time loading N filed items into the memory (an archive is built; 50000 as asked)")
    ap.add_argument("--load-baseline", type=Path, default=None,
                    help="with --load: an older storage/watch/suggest.py to time interleaved against this one")
    a = ap.parse_args(argv)
    OCR["on"] = a.ocr
    OCR["cache"] = a.ocr_cache
    spec = make_corpus.load_spec()
    labels = ensure_corpus(a.corpus, pdf=not a.no_pdf)
    t0 = time.perf_counter()
    items = load_items(a.corpus, labels)
    print(f"corpus: {len(items)} files ({Counter(i.format for i in items)}), "
          f"{len(spec.INDICATORS)} level-3 indicators (a built framework); "
          f"text from sidecar for {sum(i.text_from == 'sidecar' for i in items)} images/scans, "
          f"from OCR for {sum(i.text_from == 'ocr' for i in items)}; "
          f"read in {time.perf_counter() - t0:.1f} s")
    inds, duties, ids = framework_targets(spec)

    tuning = parse_tuning(a.tune)

    def chosen() -> Ranker:
        return Ranker(inds, duties, tuning)

    print_tallies("Without learning (day one): BM25 over character bigrams", evaluate(chosen(), items, ids))
    after, before = learning_run(chosen, items, ids)
    print("\nThe other half without learning (same files, for comparison)")
    for key in (*SPLITS, "all"):
        print("  " + before[key].line(key))
    print_tallies("After accepting a seeded half (measured on the other half)", after)
    if a.alternatives:
        for label, make in (
            ("Alternative: BM25 over bigrams + unigrams", lambda: Ranker(inds, duties, tokenize=tokens_with_unigrams)),
            ("Alternative: BM25 over bigrams + trigrams", lambda: Ranker(inds, duties, tokenize=trigram_tokens)),
            ("Alternative: tf-idf cosine over bigrams", lambda: TfidfRanker(inds, duties)),
        ):
            t = evaluate(make(), items, ids)
            print(f"\n{label}")
            for key in SPLITS:
                print("  " + t[key].line(key))
    if a.seeds:
        seeds_run(chosen, items, ids, [int(x) for x in a.seeds.split(",")], explain=a.explain)
    if a.calibrate:
        calibration(chosen(), items)
    docmeta_accuracy(items)
    if a.speed:
        speed(items, spec, baseline=a.speed_baseline)
    if a.load:
        load_speed(items, a.load, baseline=a.load_baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
