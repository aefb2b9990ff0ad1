"""The plan variants (tests/data/corpus14/plan_variants.py): plans written from the facts of the
corpus's real plans in every assignment form issue 14 lists, read through the real importer; and
held-out set 9 (corpus_h9.py), real plans found in round 8.

The seed here (7) is neither the one the round-8 fixes were made on (1) nor the clean one measured
once after them (see SOURCES.md): a regression guard, not a figure."""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "corpus14"))

from build import build, check
from corpus_h9 import DOCS_H9
from corpus_h10 import DOCS_H10, DOCS_H10B
from corpus_h11 import DOCS_H11
from plan_variants import (
    EXTENDED_FORMS,
    EXTENDED_FORMS_2,
    EXTENDED_FORMS_3,
    EXTENDED_FORMS_4,
    EXTENDED_FORMS_5,
    EXTENDED_FORMS_6,
    build_variant,
    check_variant,
    generate,
)

# round 10: the facts the generator draws from changed when the 张掖 2011 plan was taken out of
# corpus.py (commit 5a76ac7, a hidden check set's source), so seed 1 draws other sentences since;
# the digest is the one of that corpus (the same before and after round 10's generator changes)
SEED1_DIGEST = "db2b66a0ce80eb35"   # the first 20 plans of seed 1 (extension off)
# --extended 5 (round 9) plans of seed 1, unchanged by round 10's level-6 draws
SEED1_ROUND9_DIGEST = "9a1d9a273a9ff058"
_FORMS = {
    # placements
    "bracket_end", "bracket_start", "own_lines_after", "own_lines_between", "sentence", "opening",
    "two_paragraphs", "table row",
    # markers and words
    "labels in bracket", "labels on own lines", "X牵头，A、B配合", "由X牵头，A、B参与",
    "A、B等部门按职责分工负责", "X牵头，A、B及各镇街配合落实", "此项工作由X牵头负责，A、B配合",
    # facts
    "several leads", "people", "deadline", "person columns",
}
_DOC_FORMS = {"notice", "news preface", "typed_numbering", "auto_numbering", "levels 1", "levels 1/2",
              "levels 1/2/3", "levels 1/2/3/4", "levels 1/3", "numbers run on across blocks", "block rows",
              "保障措施 without units"}


def test_the_generator_is_seeded_and_writes_every_form_the_issue_lists():
    a, b = generate(7, 60), generate(7, 60)
    assert [d["paras"] for d in a] == [d["paras"] for d in b]
    forms = {f for d in a for t in d["tasks"] for f in t["forms"]}
    doc_forms = {f for d in a for f in d["doc_forms"]}
    assert _FORMS <= forms, _FORMS - forms
    assert _DOC_FORMS <= doc_forms, _DOC_FORMS - doc_forms
    assert any(d["format"] == "docx_table" for d in a)
    assert any("（2021-2025年）" in p.text or "（含）" in p.text for d in a for p in d["paras"])


def test_the_extended_generator_writes_the_round_8b_forms():
    a = generate(7, 120, extended=4)
    seen = {f for d in a for t in d["tasks"] for f in t["forms"]} | {f for d in a for f in d["doc_forms"]}
    every = set(EXTENDED_FORMS + EXTENDED_FORMS_2 + EXTENDED_FORMS_3 + EXTENDED_FORMS_4)
    assert every <= seen, every - seen
    # with the extension off, seed 1 is still the plans round 8 measured (SOURCES.md)
    b = generate(1, 20)
    digest = hashlib.sha256(json.dumps([[p.text for p in d["paras"]] for d in b] + [d["tasks"] for d in b],
                                       ensure_ascii=False).encode()).hexdigest()[:16]
    assert digest == SEED1_DIGEST


def test_the_round_9_generator_writes_its_forms_and_keeps_the_earlier_plans():
    """--extended 5 (round 9) writes every form of its batch; the earlier levels draw the same plans
    as before it (the new draws happen only at level 5)."""
    a = generate(7, 300, extended=5)
    seen = {f for d in a for t in d["tasks"] for f in t["forms"]} | {f for d in a for f in d["doc_forms"]}
    assert set(EXTENDED_FORMS_5) <= seen, set(EXTENDED_FORMS_5) - seen
    for level in (0, 4):
        b = generate(7, 10, extended=level)
        assert not any("units on own lines" in t["forms"] for d in b for t in d["tasks"])


def test_the_round_10_generator_writes_its_forms_and_keeps_the_earlier_plans():
    """--extended 6 (round 10) writes every form of its batch; level 5 still draws round 9's plans."""
    a = generate(7, 300, extended=6)
    seen = {f for d in a for t in d["tasks"] for f in t["forms"]} | {f for d in a for f in d["doc_forms"]}
    assert set(EXTENDED_FORMS_6) <= seen, set(EXTENDED_FORMS_6) - seen
    b = generate(1, 20, extended=5)
    digest = hashlib.sha256(json.dumps([[p.text for p in d["paras"]] for d in b] + [d["tasks"] for d in b],
                                       ensure_ascii=False).encode()).hexdigest()[:16]
    assert digest == SEED1_ROUND9_DIGEST


@pytest.mark.parametrize("extended", [0, 1, 2, 3, 4, 5, 6],
                         ids=["round8", "round8b", "round8c", "round8d", "round8e", "round9", "round10"])
def test_plan_variants_read_as_written(archive, tmp_path, extended):
    docs = generate(7, 40, extended=extended)
    right = total = extra = 0
    refused: list[str] = []
    misses: list[str] = []
    for d in docs:
        res, ref, x = check_variant(d, build_variant(d, tmp_path / f"{d['id']}.docx"), archive)
        total += len(res)
        right += sum(t.right for t in res)
        extra += x
        if ref:
            refused.append(d["id"])
        misses += [f"{d['id']}: {t.miss}" for t in res if not t.right]
    assert not refused
    assert extra == 0
    assert right >= 0.98 * total, misses


@pytest.mark.parametrize("doc", DOCS_H9, ids=[d["id"] for d in DOCS_H9])
def test_held_out_set_9_reads_as_a_clerk_reads_it(doc, archive, tmp_path):
    out = check(doc, build(doc, tmp_path), archive)
    assert not out.refused, out.refused
    assert out.tasks_right == out.tasks and out.codes_kept == out.codes, out.misses
    assert not out.misses, out.misses


@pytest.mark.parametrize("doc", DOCS_H10 + DOCS_H10B, ids=[d["id"] for d in DOCS_H10 + DOCS_H10B])
def test_held_out_set_10_reads_as_a_clerk_reads_it(doc, archive, tmp_path):
    """Round 9's real plans (corpus_h10.py): held10 read 22/31 tasks on its first run, held10p (named held10b until the tables part took the name) 8/12."""
    out = check(doc, build(doc, tmp_path), archive)
    assert not out.refused, out.refused
    assert out.tasks_right == out.tasks and out.codes_kept == out.codes, out.misses
    assert not out.misses, out.misses


@pytest.mark.parametrize("doc", DOCS_H11, ids=[d["id"] for d in DOCS_H11])
def test_held_out_set_11_reads_as_a_clerk_reads_it(doc, archive, tmp_path):
    """Round 10's real plans (corpus_h11.py): read 13/19 tasks on their first run (4 of 7 plans wholly)."""
    out = check(doc, build(doc, tmp_path), archive)
    assert not out.refused, out.refused
    assert out.tasks_right == out.tasks and out.codes_kept == out.codes, out.misses
    assert not out.misses, out.misses
