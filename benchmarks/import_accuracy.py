"""Accuracy of reading plans and tables (issue 14) on the corpus in tests/data/corpus14.

Every document is rebuilt as the .docx/.xlsx a clerk receives and read through the real
importers (dry runs on a fresh archive); the readings are compared with the ones written by
hand. Figures, for the development part and the held-out part (split by source, fixed before
tuning; `synthetic` documents are left out of both):

  tasks right      share of tasks (plans, duty rows) with exactly the expected lead and
                   cooperating units (and persons, deadline where the reading names them)
  codes kept       share of codes the document states that come out as stated
  refused          documents the importer refused (target 0)

Usage: python -m benchmarks.import_accuracy [--verbose] [--parts dev,held,…,held5a,held5b,held9]
       [--plan-variants SEED [--variant-plans N] [--variant-forms 0-3]]   (generated plans, round 8)
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data" / "corpus14"))

from build import build, check
from corpus import DOCS

# --- round 8 (helper A6): held-out set 9 and the plan variants --------------------------------
from corpus_h9 import DOCS_H9

DOCS = DOCS + [d for d in DOCS_H9 if d["id"] not in {x["id"] for x in DOCS}]
# -----------------------------------------------------------------------------------------------
# --- round 9 (helper A7): held-out set 10 (real plan openings, corpus_h10.py) -----------------
from corpus_h10 import DOCS_H10, DOCS_H10B

DOCS = DOCS + [d for d in DOCS_H10 + DOCS_H10B if d["id"] not in {x["id"] for x in DOCS}]
# -----------------------------------------------------------------------------------------------
# --- round 10 (helper A9): held-out set 11 (real plan openings, corpus_h11.py) ----------------
from corpus_h11 import DOCS_H11

DOCS = DOCS + [d for d in DOCS_H11 if d["id"] not in {x["id"] for x in DOCS}]
# -----------------------------------------------------------------------------------------------

from storage.core.archive import Archive


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="list every document and its misses")
    ap.add_argument("--parts",
                    default="dev,held,held3,held3b,held4a,held4b,held4c,held5a,held5b,held5c,held6a,held6b,held7a,held7b",
                    help="comma-separated parts to read (held7b was round 7's part kept untouched until its one "
                         "measurement, commit 41f15c8; held6b was round 6's part kept "
                         "untouched until its one measurement, commit 78250e9; held5b and held5c were the "
                         "parts kept untouched until the end of round 5; held4b/held4c and held3b "
                         "were rounds 4 and 3's)")
    # ---- round 8 (helper A5): held8a / held8b (corpus_h8.py) and the variants (variants.py)
    ap.add_argument("--seed", type=int, default=400, help="variants: the generator's seed")
    ap.add_argument("--variants", type=int, default=400, help="variants: how many")
    ap.add_argument("--forms", default="v2", choices=("v2", "v3", "v4", "v5"),
                    help="variants: v2 (the round's first and clean figures), v3 (with the forms added after "
                         "held8b) or v4 (v3 with round 9's: A-1-2, ①, Ⅱ、, points in the name cell, 扣分项, a 备注 "
                         "column, a header in two rows) or v5 (v4 with round 10's: grade columns 优秀|良好|合格, "
                         "an unnamed points column, a form line, level-1 names a character a line, points closing "
                         "the rule)")
    # round 8 (helper A6): the generated plans of tests/data/corpus14/plan_variants.py
    ap.add_argument("--plan-variants", type=int, default=None, metavar="SEED",
                    help="also read the generated plan variants of this seed (plan_variants.py)")
    ap.add_argument("--variant-plans", type=int, default=300)
    ap.add_argument("--variant-forms", type=int, default=0, metavar="LEVEL",
                    help="0: round 8's forms; 1/2/3/4: with the round-8b/8c/8d/8e forms; 5: and round 9's "
                         "(plan_variants --extended)")
    args = ap.parse_args()
    if args.plan_variants is not None:
        import plan_variants

        plan_variants.run(args.plan_variants, args.variant_plans, verbose=args.verbose, extended=args.variant_forms)
    parts = [p for p in args.parts.split(",") if p]
    if not any(a.startswith("--parts") for a in sys.argv[1:]):
        parts.append("held9")   # round 8's held-out set (A6's block, above)
        parts += ["held10", "held10p"]  # round 9's held-out sets (A7's block, above)
        parts.append("held11")  # round 10's held-out set (A9's block, above)
    if "variants" in parts:
        from variants import measure, report
        print(f"variants (seed {args.seed}, {args.variants}, forms {args.forms})")
        print("\n".join(report(measure(args.seed, args.variants, forms=args.forms), verbose=args.verbose)))
        parts.remove("variants")
        if not parts:
            return 0
    from corpus_h8 import DOCS_H8
    round8 = [d for d in DOCS_H8 if d["split"] in parts]
    # ---- end of round 8's block
    # ---- rounds 9 and 10 (helpers A8, A10): held-out sets 10t and 11t, their own reading and checks
    import importlib

    for module, names in (("corpus_h10t", ("held10a", "held10b", "held10c")),
                          ("corpus_h11t", ("held11a", "held11b", "held11c"))):
        own = [p for p in parts if p in names]
        if own:
            print("\n".join(importlib.import_module(module).run(own, verbose=args.verbose)))
            parts = [p for p in parts if p not in own]
            if not parts:
                return 0
    # ---- end of rounds 9 and 10's blocks
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        archive = Archive.create(folder / "archive")
        try:
            outcomes = [check(d, build(d, folder), archive) for d in DOCS + round8 if d["split"] in parts]
        finally:
            archive.close()
    for split in parts:
        part = [o for o in outcomes if o.split == split]
        tasks = sum(o.tasks for o in part)
        right = sum(o.tasks_right for o in part)
        codes = sum(o.codes for o in part)
        kept = sum(o.codes_kept for o in part)
        refused = [o.doc_id for o in part if o.refused]
        if not part:
            continue
        print(f"{split:6s} documents {len(part):2d}  tasks right {right}/{tasks} "
              f"({100 * right / max(tasks, 1):.1f}%)  codes kept {kept}/{codes} "
              f"({100 * kept / max(codes, 1):.1f}%)  refused {len(refused)}"
              + (f" {refused}" if refused else ""))
    families = {"plan": "plans", "duties": "tables", "framework": "score sheets"}
    for split in parts:
        for kind, family in families.items():
            part = [o for o in outcomes if o.split == split and o.kind == kind]
            if not part or split in ("dev", "held"):
                continue
            whole = sum(1 for o in part if not o.misses and not o.refused)
            print(f"  {split:6s} {family:12s} documents read wholly right {whole}/{len(part)}  "
                  f"tasks right {sum(o.tasks_right for o in part)}/{sum(o.tasks for o in part)}  "
                  f"codes kept {sum(o.codes_kept for o in part)}/{sum(o.codes for o in part)}  "
                  f"refused {sum(1 for o in part if o.refused)}")
    if args.verbose:
        for o in outcomes:
            print(f"  {o.split:9s} {o.doc_id:32s} {o.tasks_right}/{o.tasks} codes {o.codes_kept}/{o.codes}"
                  + (" REFUSED" if o.refused else ""))
            for m in o.misses:
                print("      ", m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
