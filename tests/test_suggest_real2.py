"""Session 10: top-1 on real department documents that DO fit an indicator.

The second real-document set (tests/data/suggest/real2: 61 openings of real county and city
documents that fit an indicator of the corpus framework and 10 that fit none, from sites not
in ../real) and the dev part of the first showed these general faults, each written below in
our own wording with the shape of a real one:

- the name of the whole undertaking (质量强县, 质量强国) decided between indicators: a meeting
  on 质量强县 went to the 领导小组 indicator whose title happens to say 质量强县;
- a campaign's kind (宣传活动) outweighed its topic (质量月);
- the words a department uses for its work were not the framework's (建筑施工 安全 检查 for
  工程质量监督, 文旅市场 for 旅游服务, 动员大会 / 推进会 for 专题研究部署);
- an indicator about quality work as such (专题研究部署质量工作) matched any 专题会议 of the
  县委 on another subject (文明县城) as 把握较高.
"""
from __future__ import annotations

import pytest
from suggest_helpers import framework_targets, real_documents, text_view

from storage.watch.rank import SURE, Ranker, says_quality


@pytest.fixture(scope="module")
def ranker() -> Ranker:
    inds, duties, _ = framework_targets()
    return Ranker(inds, duties)


def _top(ranker: Ranker, text: str) -> tuple[str, str]:
    ranked = ranker.rank(text_view(text))
    return (ranked[0].target.code, ranked[0].certainty) if ranked else ("", "")


@pytest.mark.parametrize("which", ["real", "real2"])
def test_top1_on_the_dev_part_of_real_documents_that_fit(ranker, which):
    """At least 90% of the dev part's documents that fit an indicator have it first (the held
    parts are measured once, by benchmarks/suggest_real.py, not here). Before: real 73.9%."""
    docs = [d for d in real_documents(which) if d["split"] == "dev" and d["codes"]]
    right = [d["n"] for d in docs if _top(ranker, d["text"])[0] in d["codes"]]
    assert len(right) >= 0.9 * len(docs), sorted({d["n"] for d in docs} - set(right))


def test_no_dev_document_of_real2_that_fits_nothing_is_sure(ranker):
    """防汛, 巩固脱贫 and 文明城市 meetings: 无把握 or at most 可参考. Before, a 文明县城 专题会议
    was 把握较高 for 1.1.2 (专题研究部署质量工作) through 专题会议 and 县委常委 alone."""
    sure = [(d["n"], _top(ranker, d["text"])) for d in real_documents("real2")
            if d["split"] == "dev" and not d["codes"] and _top(ranker, d["text"])[1] == SURE]
    assert sure == []


def test_a_committee_meeting_on_another_subject_is_not_sure_for_quality_work(ranker):
    """A 县委 专题会议 on 文明县城 names no quality work: never 把握较高 for 1.1.2 (before: 0.99)."""
    text = ("县委召开创建省级文明县城专题会议\n"
            "3月2日，县委常委、宣传部部长主持召开专题会议，研究部署创建省级文明县城工作，副县长出席。\n"
            "会议通报了近期创建测评中发现的问题，要求各单位细化任务、压实责任，开展环境卫生和交通秩序集中整治，"
            "确保顺利通过测评验收。")
    code, word = _top(ranker, text)
    assert not (code == "1.1.2" and word == SURE)
    assert not says_quality(text)


def test_a_county_meeting_on_quality_work_is_the_deployment_not_the_leading_group(ranker):
    """A 动员大会 on 质量强县, the 领导小组's member units among those attending: 1.1.2 (县委县政府
    专题研究部署质量工作), not 1.1.1 (before: 1.1.1, through 质量强县 in its title)."""
    text = ("我县召开质量强县创建工作动员大会\n"
            "日前，县政府召开质量强县创建工作动员大会，各乡镇、县质量强县工作领导小组成员单位负责人和企业代表"
            "150余人参加。\n会议总结了近年来全县实施质量兴县战略的成效，部署今年质量强县创建重点工作。")
    assert _top(ranker, text)[0] == "1.1.2"


def test_the_quality_month_decides_over_the_campaign_kind(ranker):
    """A 质量月 campaign that also calls itself 宣传活动: 1.3.1 (质量月), not 1.3.2 (标准日, 计量日
    宣传). Before: 1.3.2 through 宣传活动."""
    text = ("县市场监管局举办2024年“质量月”暨科普宣传活动\n"
            "9月是全国“质量月”。9月12日，县市场监督管理局在城东社区举办宣传活动，摆放展板、发放宣传册，"
            "向居民讲解质量、认证和标准常识。")
    assert _top(ranker, text)[0] == "1.3.1"


def test_building_construction_safety_checks_are_project_quality_supervision(ranker):
    """住建 checks of 建筑施工 安全 and 在建工程 (施工现场, 监理): 4.2.1 建设工程质量监督, not 4.2.2
    绿色建筑 through the word 建筑 (before: 4.2.2)."""
    text = ("市住建局到我县开展建筑施工安全检查\n"
            "10月9日，市住房和城乡建设局检查组到我县抽查2个在建项目，检查建筑施工安全、施工现场扬尘治理、"
            "监理单位履职和企业资质情况，对发现的问题下达整改通知。")
    assert _top(ranker, text)[0] == "4.2.1"


def test_a_holiday_check_of_the_tourism_market_is_tourism_service(ranker):
    """文化市场综合执法 checks of 旅行社, 景区 and 游客 safety over a holiday: 4.3.2 旅游服务, not 2.4.2
    through 投诉举报 (before: 2.4.2)."""
    text = ("县文旅局保障国庆假期文旅市场安全有序\n"
            "国庆假期，县文化和旅游局执法人员检查A级景区、旅行社和星级饭店，查看游客接待、安全设施和"
            "价格公示情况，畅通投诉举报渠道，及时处理游客诉求。")
    assert _top(ranker, text)[0] == "4.3.2"


def test_says_quality_means_quality_work():
    """高质量发展 and another work's 质量 (兵员质量) are not quality work; 质量强县, 质量月, 质量奖 are."""
    assert not says_quality("推动县域经济高质量发展，确保兵员质量")
    assert says_quality("全县质量强县创建工作")
    assert says_quality("第三届县长质量奖")
    assert says_quality("2024年“质量月”活动")
