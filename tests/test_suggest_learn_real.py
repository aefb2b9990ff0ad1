"""Learning a framework the ranker has never seen from the clerk's first acceptance (issue 15,
item 3, session 14): an accepted file's words count for its indicator at once
(storage.watch.rank.Memory.learned_scores, Tuning.learned_weight), and words only the filings
taught never make a suggestion 把握较高 without a filed file like it behind it.

The framework and the files are ours, written in the shape of a real published list (a bare
area name as an item, a rate target) and of county news items; nothing is read from outside."""
from __future__ import annotations

import pytest

from benchmarks.suggest import framework_targets
from benchmarks.suggest_real import load_framework, real_documents, view_of
from storage.watch import rank as rank_mod
from storage.watch.rank import SURE, Ranker, Target, TextView, Tuning, indicator_target

# a published list's terse items: 2.1 says nothing a county's 计量 file says; 1.1 says 计量
FRAMEWORK = [
    indicator_target(1, "1.1", "社会公用计量标准建立数量", scoring_rule="建立社会公用计量标准的数量"),
    indicator_target(2, "2.1", "技术服务机构建设"),
    indicator_target(3, "3.1", "食品抽查合格率", scoring_rule="食品安全监督抽检合格率"),
    indicator_target(4, "4.1", "全民共治"),
]

FIRST = TextView(title="钟楼区五家商户获评诚信计量示范单位",
                 body="近日，区市场监管局对辖区集贸市场、加油站开展诚信计量示范单位评定，"
                      "五家商户获评诚信计量示范单位，公平秤同步投入使用。")
SECOND = TextView(title="安亭镇启动创建诚信计量示范社区",
                  body="安亭镇组织辖区农贸市场经营户签订诚信计量承诺书，启动诚信计量示范社区创建，"
                       "设置公平秤，接受群众监督。")
NOTHING = TextView(title="我县召开秋季森林防火工作会议",
                   body="会议部署秋冬季森林防火工作，要求各乡镇落实护林员巡山制度，严管野外火源。")


def learned(weight: float) -> Ranker:
    """A ranker over FRAMEWORK that has been taught FIRST under 2.1 (技术服务机构建设)."""
    r = Ranker(FRAMEWORK, tuning=Tuning(learned_weight=weight))
    r.learn(FIRST, [2], evidence_id=1)
    return r


def test_day_one_puts_a_metrology_file_on_the_item_whose_words_say_it() -> None:
    # the situation learning must overcome: the framework's words point elsewhere
    ranked = Ranker(FRAMEWORK).rank(SECOND)
    assert ranked and ranked[0].target.code == "1.1"
    assert not any(t.target.code == "2.1" for t in ranked[:1])


def test_one_acceptance_teaches_its_indicator_at_once() -> None:
    # "技术服务机构建设" shares no word with an 诚信计量 file; one accepted file is enough
    ranked = learned(0.5).rank(SECOND)
    assert ranked and ranked[0].target.code == "2.1"


def test_taught_words_alone_never_make_a_wrong_file_sure() -> None:
    r = learned(0.5)
    got = r.rank(NOTHING)
    assert not got or got[0].certainty != SURE


def test_a_correction_moves_the_taught_words_with_it() -> None:
    r = learned(0.5)
    r.learn(FIRST, [4], evidence_id=1)      # the clerk corrects the first filing to 4.1
    ranked = r.rank(SECOND)
    assert ranked and ranked[0].target.code == "4.1"
    r.memory.forget(1)                       # and unfiles it: nothing taught remains
    assert not r.memory.learned
    assert r.rank(SECOND)[0].target.code == "1.1"



def _framework3_without_bridges(monkeypatch: pytest.MonkeyPatch) -> tuple[list[Target], dict[str, int]]:
    """framework3 (a real published wording, tests/data/suggest/framework3) as a framework never
    seen: its vocabulary bridges (rank.ALIASES, rank.AREAS) emptied before its index is built."""
    monkeypatch.setattr(rank_mod, "ALIASES", ())
    monkeypatch.setattr(rank_mod, "AREAS", ())
    inds, _duties, ids = framework_targets(load_framework("framework3"))
    return inds, ids


@pytest.mark.parametrize("weight, expected", [(1.0, "1.3.1"), (0.0, "3.2.4")])
def test_one_real_acceptance_teaches_a_bare_area_name(monkeypatch: pytest.MonkeyPatch, weight: float,
                                                      expected: str) -> None:
    # real/ 4 and 5: two counties' 电梯安全专项检查 news items (tests/data/suggest/real). framework3's
    # 1.3.1 is the bare area name 质量监管; without its bridge nothing of it names 电梯 or 检查, and
    # day one puts the file on 3.2.4 (a rate target). After the clerk files ONE such item under
    # 1.3.1, the next goes there at once (the ranker before session 14, weight 0, did not).
    inds, ids = _framework3_without_bridges(monkeypatch)
    docs = {d["n"]: d for d in real_documents("real")}
    r = Ranker(inds, tuning=Tuning(learned_weight=weight))
    assert r.rank(view_of(docs[5]["text"]))[0].target.code == "3.2.4"
    r.learn(view_of(docs[4]["text"]), [ids["1.3.1"]], evidence_id=4)
    got = r.rank(view_of(docs[5]["text"]))
    assert got[0].target.code == expected
