"""Session 7 fixes of learning (issue 15): learning never overturns a clear day-one match
on thin evidence (a filed file that shares only words the day-one indicator's own text says
too, an issuer filed twice elsewhere), and the department tie-breaker keeps its weight after
learning. Framework: the built one of tests/data/suggest; every text below is ours."""
from __future__ import annotations

import pytest
from suggest_helpers import framework_targets

from storage.watch.rank import SURE, Ranker, TextView


@pytest.fixture(scope="module")
def framework():
    return framework_targets()


def _top(ranker: Ranker, view: TextView) -> str:
    return ranker.rank(view)[0].target.code


def test_a_filed_photo_sharing_only_the_hazard_words_does_not_pull_a_special_equipment_photo(framework):
    """A photo of a 起重机械 (特种设备, 2.2.5) hazard check. The clerk filed a photo of an
    电动自行车 hazard check under 2.2.2: the two banners share 安全隐患排查…现场, which 2.2.5's own
    text says as well, so that example is no evidence against 2.2.5 (the old ranker moved the
    crane photo to 2.2.2)."""
    inds, duties, ids = framework
    r = Ranker(inds, duties)
    crane = TextView(name="起重机械安全隐患排查检查现场", title="起重机械安全隐患排查检查现场")
    assert _top(r, crane) == "2.2.5"
    r.learn(TextView(name="电动自行车产品质量安全隐患排查现场", title="电动自行车产品质量安全隐患排查现场"),
            [ids["2.2.2"]], evidence_id=1)
    r.learn(TextView(title="燃气灶具生产企业隐患排查记录",
                     body="排查日期 企业名称 隐患描述 整改措施\n2025/05/06 青河华泰燃具厂 熄火保护装置失效 限期整改"),
            [ids["2.2.2"]], evidence_id=2)
    first = r.rank(crane)[0]
    assert first.target.code == "2.2.5"
    assert first.certainty != SURE          # the file's words and the memory disagree


def test_an_issuer_filed_twice_on_the_fund_does_not_move_a_certification_notice(framework):
    """县财政局 filed two fund notices under 2.1.1; its notice on subsidies for 绿色产品认证 is
    about certification (3.3.1), which its own words say clearly: two filings of one issuer
    do not overturn that (the old ranker put 2.1.1 first)."""
    inds, duties, ids = framework
    r = Ranker(inds, duties)
    notice = TextView(
        title="关于申报绿色产品认证补助资金的通知", issuer="县财政局", doc_number="青财发〔2026〕9号",
        body="各有关企业：对当年首次取得绿色产品认证证书的企业，每张证书补助2万元。请于6月底前提交认证证书复印件。")
    assert _top(r, notice) == "3.3.1"
    for k, title in enumerate(("关于批复县市场监管局部门预算的通知", "关于下达质量发展专项经费的批复")):
        r.learn(TextView(title=title, issuer="县财政局", doc_number=f"青财发〔2026〕{k + 2}号",
                         body="经县政府同意，批复你单位年度部门预算，列入财政预算，专款专用。"),
                [ids["2.1.1"]], evidence_id=10 + k)
    assert _top(r, notice) == "3.3.1"


def test_the_department_tie_breaker_keeps_its_weight_after_learning(framework):
    """A 县工信局 list of the small firms it helps (帮扶, 3.4.2, led by 县工信局) says
    质量管理体系 like 3.3.1: on day one the folder breaks the near-tie for 3.4.2. Filed 认证
    lists under 3.3.1 inflate 3.3.1's score; the tie-breaker grows with it (the old ranker
    let learning dilute it and put 3.3.1 first)."""
    inds, duties, ids = framework
    r = Ranker(inds, duties)
    names = TextView(folders="县工信局", title="小微企业质量管理体系帮扶企业名单",
                     body="序号 企业名称 帮扶内容 帮扶专家 完成情况\n1 青河华泰纺织 建立质量管理体系文件 王立新 已完成\n"
                          "2 鲁源酱菜 内审员培训 李红 进行中")
    day_one = _top(r, names)
    for k, title in enumerate(("关于组织专家赴纺织企业开展质量诊断的通知", "中小企业质量提升走访记录")):
        r.learn(TextView(folders="县工信局", title=title, body="专家组深入企业现场，查找生产过程中的质量短板并提出改进建议。"),
                [ids["3.4.2"]], evidence_id=30 + k)
    for k, title in enumerate(("企业质量管理体系认证证书统计表",)):
        r.learn(TextView(title=title, body="序号 企业名称 认证证书编号 认证机构 有效期\n1 青河宏达机械 00123Q456 中质协 2027年\n2 青河鲁丰面粉 00124Q789 方圆 2028年"),
                [ids["3.3.1"]], evidence_id=20 + k)
    assert day_one == "3.4.2"
    assert _top(r, names) == "3.4.2"
