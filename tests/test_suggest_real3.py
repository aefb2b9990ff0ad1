"""Session 11: real department documents nobody tuned on (tests/data/suggest/real3), and the
general faults the dev parts of real, real2 and real3 showed. Each case below is written in our
own wording with the shape of a real one:

- the undertaking's name (质量强县) and 宣传 never counted, even in a title ABOUT them: a 解读 of
  the county's 质量强县 plan went wherever its body's task list pointed;
- a parent's umbrella word gave its catalogue to every child: 质量基础设施一站式服务 (3.4) gave
  服务站 to 3.4.2 (帮扶) as much as to 3.4.1 (the platform and its stations);
- a body outvoted its own headline: a 质量强县工作会议暨质量月启动仪式 whose body says 压实责任
  and 质量提升行动 went to 1.1.3 (实施方案), an indicator its headline never names;
- a file its title plainly names was 无把握 because its second indicator stood close (a 抽查
  通告 and the 抽查合格率, a 3·15 day and 打假): a close second is no doubt about the first.
"""
from __future__ import annotations

import pytest
from suggest_helpers import framework_targets, real_documents, text_view

from storage.watch.rank import MAYBE, SURE, UNSURE, Ranker


@pytest.fixture(scope="module")
def ranker() -> Ranker:
    inds, duties, _ = framework_targets()
    return Ranker(inds, duties)


def _top(ranker: Ranker, text: str) -> tuple[str, str]:
    ranked = ranker.rank(text_view(text))
    return (ranked[0].target.code, ranked[0].certainty) if ranked else ("", "")


def test_real3_was_labelled_and_split_by_site_before_any_run():
    """60 documents (48 fit, 12 fit nothing) from 60 sites, none a site of real/ or real2/; a
    site's documents stay in one part."""
    docs = real_documents("real3")
    assert len(docs) == 60 and sum(1 for d in docs if d["codes"]) == 48
    earlier = {d["site"] for which in ("real", "real2") for d in real_documents(which)}
    assert not earlier & {d["site"] for d in docs}
    by_site: dict[str, set[str]] = {}
    for d in docs:
        by_site.setdefault(d["site"], set()).add(d["split"])
    assert all(len(parts) == 1 for parts in by_site.values())


@pytest.mark.parametrize("which", ["real", "real2", "real3"])
def test_top1_on_the_dev_parts(ranker, which):
    """The dev parts (the held parts are run once, by benchmarks/suggest_real.py, not here):
    real 95.7%, real2 97.3%, real3 100% now (before: 91.3, 97.3, 96.3)."""
    docs = [d for d in real_documents(which) if d["split"] == "dev" and d["codes"]]
    right = [d["n"] for d in docs if _top(ranker, d["text"])[0] in d["codes"]]
    assert len(right) >= 0.95 * len(docs), sorted({d["n"] for d in docs} - set(right))


@pytest.mark.parametrize("which", ["real", "real2", "real3"])
def test_no_real_document_that_fits_nothing_is_sure(ranker, which):
    """禁毒, 招商引资, 八一 座谈会 (real3), and the earlier sets' families: never 把握较高."""
    sure = [d["n"] for d in real_documents(which) if not d["codes"] and _top(ranker, d["text"])[1] == SURE]
    assert sure == []


def test_a_reading_of_the_quality_county_plan_is_the_plan(ranker):
    """A 解读 whose title names the 质量强县 实施方案, its body a list of tasks (标准化, 计量, 品牌):
    1.1.3 (制定质量强县创建实施方案). Before: 3.5.2 (品牌), the plan's name counting for nothing."""
    text = ("《青山县国家质量强县培育建设工作实施方案》政策解读\n"
            "一、起草背景\n为落实《质量强国建设纲要》，县市场监管局牵头起草实施方案，书面征求县发改委、县科工信局等"
            "单位意见，经县政府同意后由县政府办公室印发。\n"
            "二、主要内容\n方案提出到2027年把我县培育成质量强县的目标，明确推进标准化建设、提升计量和检验检测能力、"
            "培育区域公用品牌、提高产品工程服务质量等重点任务，并逐项明确牵头单位和完成时限。")
    assert _top(ranker, text)[0] == "1.1.3"


def test_a_quality_service_station_is_the_platform_not_the_assistance(ranker):
    """A visit to a 开发区 质量服务站 whose guests also advise 精准帮扶: 3.4.1 (一站式服务平台 and its
    stations). Before: 3.4.2, which had 服务站 from its parent's title as much as 3.4.1."""
    text = ("市市场监管局调研开发区质量服务站建设\n"
            "3月5日，市市场监管局质量发展科科长带队到青山经济开发区质量服务站调研，副区长陪同。\n"
            "调研组查看服务站窗口和设施运行，听取服务站建设运营汇报，走访两家入园企业，了解企业研发和质量提升需求。\n"
            "科长建议推进服务站规范化建设，以企业需求为导向拓展服务项目，对企业开展精准帮扶，线上接入全省质量服务网，"
            "为获得质量荣誉的企业提供质量融资。")
    assert _top(ranker, text)[0] == "3.4.1"


def test_a_headline_outweighs_a_body_it_never_names(ranker):
    """A news item "……召开质量强县工作会议暨质量月启动仪式" whose body says 压实责任, 工作方案 and
    质量提升行动: the headline's indicators (1.1.2 the meeting, 1.3.1 the 质量月), not 1.1.3 (实施方案),
    which its headline never names. Before: 1.1.3."""
    text = ("青山县召开质量强县工作会议暨“质量月”启动仪式\n"
            "9月3日上午，全市质量强市工作视频会议后，青山县召开质量强县工作会议暨“质量月”启动仪式，副县长出席，"
            "县市场监督管理局、县委宣传部、县财政局等26个单位分管负责同志参加。\n"
            "副县长要求压实责任、完善工作机制，制定各部门专项工作方案，推动各行业开展质量提升行动。\n"
            "县市场监管局负责同志宣读《2025年全县“质量月”活动方案》，通报2025年质量强县工作情况；县农业农村局、"
            "县水务局汇报“质量强市”考核任务完成情况。")
    assert _top(ranker, text)[0] in ("1.1.2", "1.3.1")


def test_a_title_that_names_its_indicator_is_at_least_worth_a_look(ranker):
    """A 抽查 通告 whose title says 监督抽查 (2.2.1), its 合格率 (4.1.1) a close second: 可参考, not
    无把握 — the file is plainly about 抽查; the second is its other indicator. Before: 无把握."""
    text = ("青山县市场监督管理局关于2024年产品质量县级监督抽查情况的通告\n"
            "根据年度产品质量监督抽查计划，县市场监督管理局组织对县内生产、销售的电线电缆、塑料管材、化肥等"
            "8类产品开展监督抽查，共抽查62家企业的80批次产品，经检验合格75批次，不合格5批次。\n"
            "对抽查不合格的企业，已责令停止生产销售并限期整改，依法组织复查。")
    code, word = _top(ranker, text)
    assert code in ("2.2.1", "4.1.1") and word in (MAYBE, SURE)


def test_the_floor_never_lifts_a_file_about_nothing(ranker):
    """A 禁毒 meeting whose best indicator rests on 部署 alone stays 无把握 (or 可参考 by its own
    score), never 把握较高: the floor needs the head to name the indicator and the file to be
    about it."""
    text = ("全县禁毒工作部署会召开\n3月10日，副县长主持召开全县禁毒工作部署会，县禁毒委成员单位和各乡镇分管负责人"
            "参加，会议总结去年禁毒工作，部署今年重点管控、预防教育和涉毒打击。")
    assert _top(ranker, text)[1] in (UNSURE, MAYBE)


def test_a_news_opening_without_its_headline_is_read_by_its_lede(ranker):
    """A news item stored without its headline begins with its lede ("今天，我市……启动……质量月……活动，
    ……"): the lede stands for the headline, so the 质量月 it opens with counts as a title's word, not
    as one word among the ten 质量提升 tasks listed after it. Before: 4.3.2 (服务质量提升), 无把握."""
    text = ("今天，我县在青山电器有限公司启动2025年全国质量月暨质量开放日活动，现场发布了全县质量状况和"
            "2025年十大质量提升任务。\n今年，全县将实施质量兴农、食品药品、制造业、消费品、建设工程、服务业、"
            "公共服务和品牌建设等十大质量提升行动，力争到2027年初步建成质量强县。")
    code, word = _top(ranker, text)
    assert code == "1.3.1" and word != UNSURE


def test_the_undertakings_older_name_is_its_name():
    """质量兴县 / 质量兴市 (before 2017) and 质量立县 read as 质量强县 / 质量强市 (not 高质量发展)."""
    from storage.watch.rank import fold

    assert fold("宁都县全面启动质量兴县工作") == "宁都县全面启动质量强县工作"
    assert fold("质量兴市战略") == "质量强市战略" and fold("质量立县") == "质量强县"
    assert fold("推动高质量发展") == "推动高质量发展"


def test_a_title_names_an_indicator_by_its_topic_not_by_an_accident_of_its_evidence(ranker):
    """Title vs body counts the title's words of an indicator's topic or catalogue, never a
    bigram an expected-evidence phrase happens to contain: "质监联络员" shares 质监 with 4.4.2's
    "水质监测报告", and must not carry a 社会监督 item there (seen on real2's held part after its
    once-run figure; the fix is general, the figure after it is not clean)."""
    text = ("人大代表和政协委员当上青山县质监联络员\n"
            "日前，县市场监督管理局聘请12名县人大代表和政协委员为质监联络员，颁发聘书。\n"
            "联络员将收集群众的质量投诉和消费投诉，协助处理投诉举报，也关注饮用水水质。")
    assert _top(ranker, text)[0] == "2.4.2"
