"""Session 8: the catalogue of what each indicator of the framework covers in county practice,
written from a county market-supervision bureau's catalogue of duties (商品质量 and 标签标识,
广告, 合同 and 消费者权益, 食品 by 业态, 特种设备 from 维保 to 充装, 计量 by 器具) and the
county's service sectors (养老, 快递, 停车), not from one held-out round. Each case is a file
whose words never name its indicator; every one was placed elsewhere before (round 7)."""
from __future__ import annotations

import pytest
from suggest_helpers import framework_targets

from storage.watch.rank import CATALOGUES, SURE, UNSURE, Ranker, TextView, catalogue_members


@pytest.fixture(scope="module")
def framework():
    return framework_targets()


@pytest.mark.parametrize("view,code", [
    (TextView(title="关于核查维保单位维护保养记录的通知",
              body="维保人员应按合同约定的周期到场作业，维保记录须由使用单位签字确认。"), "2.2.5"),
    (TextView(title="液化石油气充装站检查记录",
              body="序号充装单位检查内容问题整改情况\n1城东充装站充装前检查记录不全已整改\n"), "2.2.5"),
    (TextView(title="关于整治物业服务合同不公平格式条款的通知",
              body="重点清理免除经营者责任、加重消费者责任的条款，经营者应在30日内修改。"), "2.4.2"),
    (TextView(title="全县村级快递服务站点建设推进情况",
              body="今年新建村级快递服务站43个，邮政和快递企业合作进村。"), "4.3.4"),
    (TextView(title="敬老院护理记录检查情况",
              body="抽查护理记录和膳食台账，发现问题当场反馈。"), "4.3.3"),
    (TextView(title="户厕问题整改进度表",
              body="序号村名户主问题类型整改情况\n1东关村王某化粪池破损已整改\n"), "4.4.3"),
    (TextView(title="关于开展空调冰箱能效标识专项检查的通知",
              body="重点查看在售空调、冰箱是否加施能效标识，标注等级是否与备案一致。"), "2.2.6"),
    (TextView(title="冷库冻品入库查验记录",
              body="序号冻品名称产地检疫证明查验人\n1冻牛肉巴西有王磊\n"), "2.2.3"),
    (TextView(title="2026年童鞋和玩具产品质量抽检情况",
              body="共抽样童鞋和玩具30批次，不合格批次4个，已责令企业整改。"), "2.2.1"),
])
def test_a_file_whose_words_never_name_its_indicator_is_placed_by_the_catalogue(framework, view, code):
    inds, duties, _ = framework
    assert Ranker(inds, duties).rank(view)[0].target.code == code


def test_the_catalogue_keys_are_the_frameworks_own_words(framework):
    """Every umbrella word the new entries hang on is in some indicator's own text (its title,
    scoring rule or duty), so the members reach a target; none is a word of one file."""
    inds, _, _ = framework
    texts = [" ".join(t for t, _ in target.fields) for target in inds]
    for word, _members in CATALOGUES:
        assert any(word in text for text in texts), word
    assert "养老院" in catalogue_members("提升教育医疗养老公共服务质量")


def test_a_seizure_of_unlabelled_stationery_is_never_sure_for_education(framework):
    """A 三无 学生用品 seizure near schools was 质量教育 (学校, 学生) before; it is never shown
    as 把握较高 for 1.3.3 now."""
    inds, duties, _ = framework
    ranked = Ranker(inds, duties).rank(TextView(title="校园周边文具店查扣三无学生用品"))
    assert not (ranked[0].target.code == "1.3.3" and ranked[0].certainty == SURE)


def test_an_optician_check_is_metrology_with_confidence_and_a_list_of_old_brands_reaches_brands(framework):
    """验光仪 is a 强检 instrument of 眼镜制配 (it was 3.2.1 only 无把握 before); a list of
    老字号 now has 3.5.1 in its three (its word 认定 still pulls 4.5.3 first: a known limit)."""
    inds, duties, _ = framework
    ranker = Ranker(inds, duties)
    optician = ranker.rank(TextView(title="验光仪送检情况", body="辖区眼镜店的验光仪和瞳距仪已全部送检。"))
    assert optician[0].target.code == "3.2.1" and optician[0].certainty != UNSURE
    brands = ranker.rank(TextView(title="县级老字号认定名单", body="东街酱园和李记烧鸡铺入选。"))
    assert "3.5.1" in [r.target.code for r in brands]
