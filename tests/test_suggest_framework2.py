"""Session 12: the ranker against a REAL framework it was never written for.

framework2 (tests/data/suggest/framework2) is a published indicator system in its own words
(安徽省质量工作考核要点, with 南通/徐州 评分细则 items and 漯河's 考核内容): titles only, no duties,
no expected evidence, no lead departments. Its first run showed the ranker knew the work by the
county's names (电梯, 3·15, 地理标志, 景区) and our framework's wording, not by the words a
published list uses (产品质量监管, 消费者维权机制建设, 品牌发展战略实施, 服务质量监管). The general
fixes (storage/watch/rank.py): ALIASES (a published term brings the county's words for the
work and their catalogues) and 年度 ending a word. The documents below are ours, in the shape
of real department news items.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
from suggest_helpers import ROOT, load_module, real_documents, suggest_bench, text_view

from storage.watch.rank import SURE, UNSURE, Ranker, catalogue_members, tokens

FW2 = ROOT / "tests" / "data" / "suggest" / "framework2" / "framework.py"


@pytest.fixture(scope="module")
def fw2() -> Any:
    return load_module("suggest_framework2_for_tests", FW2)


@pytest.fixture(scope="module")
def ranker(fw2: Any) -> Ranker:
    inds, duties, _ = suggest_bench().framework_targets(fw2)
    return Ranker(inds, duties)


def _top(ranker: Ranker, text: str) -> tuple[str, str, list[str]]:
    got = ranker.rank(text_view(text))
    return (got[0].target.code, got[0].certainty, [r.target.code for r in got[:3]]) if got else ("", UNSURE, [])


def test_framework2_is_a_real_list_of_at_least_30_items(fw2):
    """30 level-3 items under 5 level-2 and 2 level-1, every code under a level that exists,
    no duties: what a clerk imports from a published 考核要点."""
    assert len(fw2.INDICATORS) >= 30
    for code, (title, _pts, _rule, lead, task, expected) in fw2.INDICATORS.items():
        assert code.rsplit(".", 1)[0] in fw2.LEVELS and code.split(".")[0] in fw2.LEVELS
        assert title and not lead and not task and not expected
    _inds, duties, _ = suggest_bench().framework_targets(fw2)
    assert duties == []          # a published list gives no duties: none are made up


@pytest.mark.parametrize("text, codes", [
    # 3·15 and complaints: the list says 消费者维权机制建设, never 投诉 (a guard: right before too)
    ("城关镇开展“3·15”国际消费者权益日宣传咨询活动\n3月15日，县市场监管局联合县消协在城关广场设点，"
     "受理群众消费投诉12件，讲解12315投诉举报热线的使用，现场发放宣传资料500余份。", ("2.2.6",)),
    # 地理标志 证明商标: 品牌发展战略实施 (was 2.2.2 through 商标 before)
    ("我县“高山红薯”获准注册地理标志证明商标\n近日，国家知识产权局核准我县“高山红薯”地理标志证明商标注册，"
     "全县地理标志证明商标增至3件。县市场监管局将指导协会规范使用专用标志，擦亮区域品牌。", ("2.1.7",)),
    # 景区 and 文旅 市场 checks: 服务质量监管 (a guard)
    ("县文旅局开展国庆假期A级景区安全和服务巡查\n节前，县文化和旅游局组成检查组对全县5家A级景区开展巡查，"
     "重点检查游客接待、导游讲解、价格公示和投诉处理，督促景区提升游客服务质量。", ("2.2.9",)),
    # 电梯 checks: 质量安全风险管理 or 产品质量监管 (the list has no 特种设备 item)
    ("县市场监管局开展住宅小区电梯安全专项检查\n检查组查看电梯使用登记、维护保养记录和定期检验标志，"
     "对3部超期未检电梯下达整改指令，要求物业单位限期整改。", ("2.2.5", "2.2.7")),
    # 在建工程 safety checks by 住建: 工程质量监管, not the 竣工验收合格率 target (a guard)
    ("县住建局开展在建工程质量安全大检查\n检查组深入12个在建项目施工现场，查看实体质量、施工安全和监理履职情况，"
     "对发现的质量通病问题下发整改通知书8份。", ("2.2.8",)),
])
def test_a_published_lists_wording_is_met(ranker, text, codes):
    """The file is ranked under the published item that names its work in the list's own terms."""
    code, _certainty, _top3 = _top(ranker, text)
    assert code in codes


def test_a_work_term_brings_its_county_words_and_their_catalogues():
    """产品质量监管 brings 重点工业产品 (a county's word) and so the 重点工业产品 catalogue's members
    (电线电缆); 消费者维权 brings 投诉 and its 12315."""
    members = catalogue_members("产品质量监管")
    assert "重点工业产品" in members and "电线电缆" in members
    assert "12315" in catalogue_members("消费者维权机制建设")
    assert catalogue_members("修订重点领域质量安全风险应急预案") == ""   # an 应急预案 item gains nothing


def test_a_year_is_not_part_of_the_next_word():
    """年度 ends a word: "2017年度质量工作考核" shares no bigram 度质 with "年度质量工作方案"."""
    assert "度质" not in tokens("2017年度质量工作考核结果")
    assert "年度" in tokens("2017年度质量工作考核结果")


def test_an_assessment_result_is_not_sure_for_a_plan_item(ranker):
    """A city's 质量工作考核 results (a list with no 考核 item) were 把握较高 for 2.1.3 (制定…年度
    质量工作方案) on 年度质量工作 alone."""
    text = ("某市人民政府办公室关于2019年度质量工作考核结果的通报\n各县（市、区）人民政府：\n"
            "根据《某市质量工作考核办法》，市政府组织对各县（市、区）2019年度质量工作进行了考核。"
            "考核结果为A级的有甲县、乙区，B级的有丙县，无C级。\n某市人民政府办公室\n2020年5月20日")
    _code, certainty, _ = _top(ranker, text)
    assert certainty != SURE


def test_no_fit_nothing_document_is_sure_on_the_dev_parts(ranker):
    """Against framework2, the dev parts' documents that fit none of its items (labels written
    before any run) get 无把握 or 可参考, never 把握较高."""
    sure = []
    for which in ("real", "real2", "real3"):
        labels = json.loads((ROOT / "tests" / "data" / "suggest" / which / "labels_framework2.json")
                            .read_text(encoding="utf-8"))["labels"]
        for d in real_documents(which):
            if d["split"] != "dev" or labels[str(d["n"])]:
                continue
            got = ranker.rank(text_view(d["text"]))
            if got and got[0].certainty == SURE:
                sure.append((which, d["n"], got[0].target.code))
    assert sure == []


def test_labels_cover_every_document_and_only_framework2_codes(fw2):
    """Every document of the three sets has a framework2 label ([] = fits none), by its number."""
    for which in ("real", "real2", "real3"):
        labels = json.loads((ROOT / "tests" / "data" / "suggest" / which / "labels_framework2.json")
                            .read_text(encoding="utf-8"))["labels"]
        assert sorted(labels, key=int) == sorted((str(d["n"]) for d in real_documents(which)), key=int)
        assert all(c in fw2.INDICATORS for codes in labels.values() for c in codes)
