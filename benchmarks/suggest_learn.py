"""Does the ranker learn a framework from the clerk's first acceptances? (issue 15, item 3)

    python -m benchmarks.suggest_learn [--framework spec|framework2|framework3|all]
                                       [--k 0,1,2,half] [--seeds 7,3,11] [--bridges on|off|both]
                                       [--sets real,real2,real3] [--verbose]

The real sets (tests/data/suggest/real, real2, real3) are pooled and labelled against the
framework named (spec.py's labels, or labels_framework2.json / labels_framework3.json). For each
K, K documents per indicator are accepted first, chosen by the seed from the documents that fit it
(a clerk's first filings; their labels are the truth, every label of a chosen document is taught);
`half` accepts half of each indicator's documents (rounded down). Then every OTHER document is
ranked (never an accepted one; the documents that fit nothing are always ranked): top-1 and top-3
on those that fit, 无把握 on those that fit, 无把握 on those that fit nothing, and 把握较高 right (a
把握较高 on a document that fits nothing is wrong). Figures are summed over the seeds.

--bridges off measures what a NEW framework gets: the vocabulary bridges written beside one
framework's titles (rank.ALIASES, session 12, for framework2's terms and a few general ones;
rank.AREAS, session 13, for framework3's bare area names) are switched off for the run (the
module's tuples are emptied before the index is built; nothing else changes). spec.py's own
wording was never bridged, so for spec the switch only removes the aliases its titles happen to
contain.
"""
from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks.suggest import framework_targets, parse_tuning
from benchmarks.suggest_real import RealTally, load_framework, real_documents, relabel, view_of
from storage.watch import rank as rank_mod
from storage.watch.rank import Ranker, Tuning

KS = ("0", "1", "2", "half")


@contextmanager
def bridges(on: bool) -> Iterator[None]:
    """The vocabulary bridges (rank.ALIASES, rank.AREAS) on or off while the block runs."""
    saved = rank_mod.ALIASES, rank_mod.AREAS
    if not on:
        rank_mod.ALIASES, rank_mod.AREAS = (), ()
    try:
        yield
    finally:
        rank_mod.ALIASES, rank_mod.AREAS = saved


def pooled(framework: str, sets: list[str]) -> list[dict[str, Any]]:
    """Every document of the sets, labelled against the framework, with a unique key."""
    out = []
    for which in sets:
        for d in relabel(real_documents(which), which, framework):
            out.append({**d, "key": f"{which}:{d['n']}"})
    return out


def choose(docs: list[dict[str, Any]], k: str, seed: int) -> list[dict[str, Any]]:
    """The documents a clerk accepts first: K per indicator (or half of each indicator's),
    drawn by the seed from those that fit it; a document already chosen for one of its labels
    counts for all of them."""
    if k == "0":
        return []
    rng = random.Random(seed)
    by_code: dict[str, list[dict[str, Any]]] = {}
    for d in docs:
        for c in d["codes"]:
            by_code.setdefault(c, []).append(d)
    chosen: dict[str, dict[str, Any]] = {}
    for code in sorted(by_code):
        pool = sorted(by_code[code], key=lambda d: d["key"])
        rng.shuffle(pool)
        want = len(pool) // 2 if k == "half" else int(k)
        have = sum(1 for d in pool if d["key"] in chosen)
        for d in pool:
            if have >= want:
                break
            if d["key"] not in chosen:
                chosen[d["key"]] = d
                have += 1
    return list(chosen.values())


def run(framework: str, sets: list[str], k: str, seeds: list[int], *, on: bool,
        verbose: bool = False, tuning: Tuning | None = None) -> tuple[RealTally, int]:
    """One K: the tally over the seeds of the documents not accepted, and how many were accepted."""
    docs = pooled(framework, sets)
    tally = RealTally()
    accepted_n = 0
    with bridges(on):
        inds, duties, ids = framework_targets(load_framework(framework))
        for seed in seeds:
            ranker = Ranker(inds, duties, tuning=tuning)
            accepted = choose(docs, k, seed)
            accepted_n += len(accepted)
            for d in accepted:
                ranker.learn(view_of(d["text"]), [ids[c] for c in d["codes"]], evidence_id=len(ranker.memory),
                             title=d["text"].splitlines()[0][:40])
            taken = {d["key"] for d in accepted}
            for d in docs:
                if d["key"] in taken:
                    continue
                ranked = ranker.rank(view_of(d["text"]))
                tally.add_any(d["codes"], ranked)
                if verbose and d["codes"] and (not ranked or ranked[0].target.code not in d["codes"]):
                    got = ranked[0] if ranked else None
                    print(f"    -- seed {seed} {d['key']:<9} {'、'.join(d['codes']):<14} -> "
                          f"{got.target.code if got else '-':<6} {got.certainty if got else ''} "
                          f"«{d['text'].splitlines()[0][:36]}»")
    return tally, accepted_n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="learning a framework from the first acceptances (real documents)")
    ap.add_argument("--framework", default="all", choices=("spec", "framework2", "framework3", "all"))
    ap.add_argument("--k", default=",".join(KS), help="accepted per indicator: 0,1,2,half")
    ap.add_argument("--seeds", default="7,3,11")
    ap.add_argument("--bridges", default="both", choices=("on", "off", "both"),
                    help="the vocabulary bridges (rank.ALIASES, rank.AREAS): off = a framework never seen")
    ap.add_argument("--sets", default="real,real2,real3")
    ap.add_argument("--verbose", action="store_true", help="every miss")
    ap.add_argument("--tune", action="append", default=[], help="KNOB=VALUE: another setting of rank.Tuning")
    a = ap.parse_args(argv)
    tuning = parse_tuning(a.tune) if a.tune else None
    frameworks = ("spec", "framework2", "framework3") if a.framework == "all" else (a.framework,)
    seeds = [int(s) for s in a.seeds.split(",")]
    sets = a.sets.split(",")
    modes = {"on": (True,), "off": (False,), "both": (True, False)}[a.bridges]
    print(f"real sets {'+'.join(sets)} pooled; seeds {seeds}; figures summed over the seeds")
    for fw in frameworks:
        for on in modes:
            print(f"\n{fw}, bridges {'on' if on else 'OFF'}")
            for k in a.k.split(","):
                tally, acc = run(fw, sets, k, seeds, on=on, verbose=a.verbose, tuning=tuning)
                print(f"  K={k:<4} accepted {acc / len(seeds):5.1f}  " + tally.row("rest"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
