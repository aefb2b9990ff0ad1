"""The labelled corpus: its split cannot move silently, it has the shape the issue asks for,
and a generated sample (no LibreOffice) is placed as well as the benchmark says."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from suggest_helpers import load_module

DATA = Path(__file__).parent / "data" / "suggest"
ROOT = Path(__file__).parent.parent



def test_the_plan_matches_the_checked_in_labels_and_the_split_is_by_family():
    mc = load_module("suggest_make_corpus", DATA / "make_corpus.py")
    spec = mc.load_spec()
    docs = mc.plan(spec)
    fixed = json.loads((DATA / "labels.json").read_text(encoding="utf-8"))
    assert [(d.n, d.file, d.codes, d.family, d.split) for d in docs] == \
        [(x["n"], x["file"], x["codes"], x["family"], x["split"]) for x in fixed]
    assert len(docs) >= 200 and len(spec.INDICATORS) >= 40
    assert all(code.count(".") == 2 for code in spec.INDICATORS)            # level 3
    assert {c for d in docs for c in d.codes} == set(spec.INDICATORS)      # every indicator evidenced
    kinds = Counter(d.kind for d in docs)
    assert all(kinds[k] >= 20 for k in "rmlps")
    assert sum(d.meaningless_name for d in docs) >= len(docs) // 4
    by_family: dict[str, set[str]] = {}
    for d in docs:
        by_family.setdefault(d.family, set()).add(d.split)
    assert all(len(splits) == 1 for splits in by_family.values())          # a family never straddles


def test_a_generated_sample_is_placed_and_read(tmp_path):
    bench = load_module("benchmarks_suggest_for_test", ROOT / "benchmarks" / "suggest.py")
    mc = bench.make_corpus
    spec = mc.load_spec()
    plan = mc.plan(spec)
    pick = [d.n for d in plan if d.split == "tune"][::4]                  # 36 documents of every kind
    mc.build(tmp_path, pdf=False, only=pick)
    labels = json.loads((tmp_path / "labels.json").read_text(encoding="utf-8"))
    items = bench.load_items(tmp_path, labels)
    inds, duties, ids = bench.framework_targets(spec)
    tally = bench.evaluate(bench.Ranker(inds, duties), items, ids)["all"]
    assert tally.n == len(pick)
    assert tally.top1 >= 0.85 * tally.n and tally.top3 >= 0.95 * tally.n
    assert tally.sure_right == tally.sure and tally.sure >= tally.n // 2
