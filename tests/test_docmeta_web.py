"""Document metadata from official documents as they reach a clerk from the web: portal pages
with a 信息公开 header, reposts with a site's chrome around them, pages that lost their line
breaks, news pages. The wording and the units are ours; each text keeps the structure of a real
page named in tests/data/docmeta/SOURCES.md (the source is given with each test)."""
from __future__ import annotations

import datetime as dt

from storage.reading.docmeta import read_docmeta, short_issuer


def test_a_flattened_portal_page_gives_number_addressees_signer_and_date():
    # structure of lucheng.gov.cn (山福镇): a pipe table, then the whole notice on one line
    text = "\n".join([
        "索引号 | 001008003001086/2024-10077 | ||",
        "组配分类 | 部门文件 | 发布机构 | 东岭镇 |",
        "生成日期 | 2024-05-20 | 公开方式 | 主动公开 |",
        "文号 | 青东政〔2024〕31号 |",
        "各办线,各站所,各村: 为做好汛期安全工作，经研究，制定《东岭镇防汛应急预案》，现印发给你们，请认真执行。 "
        "附件:东岭镇防汛应急预案 青河县东岭镇人民政府 2024年5月18日 东岭镇防汛应急预案 1.总则 "
        "1.1目的 为做好防汛工作，保障群众安全，制定本预案。",
    ])
    m = read_docmeta(text)
    assert m.doc_number == "青东政〔2024〕31号"
    assert m.addressees == ("各办线", "各站所", "各村")
    assert m.issue_date == dt.date(2024, 5, 18)          # the 落款's date, not the portal's record date
    assert m.issuer == short_issuer("青河县东岭镇人民政府")
    assert m.title == ""                                   # the page does not state the notice's title


def test_a_reposted_notice_on_one_line_is_split_where_its_breaks_were():
    # structure of szab.net (杭州 杭政函〔2016〕190号): title, 文号 and 主送 run together, spaces kept
    text = "\n".join([
        "原标题:青河县人民政府关于印发青河县“标准化+”行动计划的通知",
        "青河县人民政府关于印发青河县“标准化+” 行动计划的通知 青政函〔2023〕45号 各乡镇人民政府,县政府各部门:",
        "《青河县“标准化+”行动计划》已经县政府同意，现印发给你们，请认真组织实施。",
        "青河县人民政府 2023年11月2日 青河县“标准化+”行动计划",
        "为发挥标准化的引领作用，结合本县情况，制定本行动计划。",
    ])
    m = read_docmeta(text)
    assert m.title == "青河县人民政府关于印发青河县“标准化+”行动计划的通知"
    assert m.doc_number == "青政函〔2023〕45号"
    assert m.addressees == ("各乡镇人民政府", "县政府各部门")
    assert m.issuer == "县政府"
    assert m.issue_date == dt.date(2023, 11, 2)


def test_a_page_flattened_without_spaces_gives_the_signer_before_its_date():
    # structure of 0477ly.com (建湖): 落款, date and the attachment run together with no break
    text = ("青河县人民政府2024年6月3日(此件公开发布)青河县县长质量奖管理办法第一章总则第一条为鼓励各类组织"
            "加强质量管理，制定本办法。第二条本办法适用于县长质量奖的申报和评审。")
    m = read_docmeta(text)
    assert m.issuer == "县政府"
    assert m.issue_date == dt.date(2024, 6, 3)
    assert m.title == ""


def test_a_masthead_is_never_part_of_the_title():
    # structure of zwgk.xishui.gov.cn (浠水): site chrome ending in "政府文件", a masthead line,
    # a title that names its body again, the 文号 under it
    text = "\n".join([
        "中国政府网 省政府网 市政府网 青河新闻网 繁体中文", "当前位置:首页 > 法规公文 > 政府文件",
        "索引号: 011282000 / 2023-00101 主题分类:", "发布机构: 青河县人民政府 发文日期: 2023-02-10",
        "", "青河县人民政府", "", "县人民政府关于印发《青河县人民政府工作规则》的通知", "", "青政发〔2023〕2号", "",
        "   各乡镇人民政府,县政府各部门:", "", "  《青河县人民政府工作规则》已经县政府常务会议通过，现印发给你们。", "",
        "  青河县人民政府", "", "  2023年2月6日",
    ])
    m = read_docmeta(text)
    assert m.title == "县人民政府关于印发《青河县人民政府工作规则》的通知"
    assert m.issuer == "县政府"                             # not the site's navigation line
    assert m.doc_number == "青政发〔2023〕2号"
    assert m.issue_date == dt.date(2023, 2, 6)
    assert m.addressees == ("各乡镇人民政府", "县政府各部门")
    # a masthead run into the title, and a department's name standing over 关于……
    joined = read_docmeta("青河县人民政府办公室文件关于开展2024年质量月活动的通知\n青政办发〔2024〕9号\n各乡镇人民政府，县直各部门：\n正文。")
    assert joined.title == "关于开展2024年质量月活动的通知"
    assert joined.issuer == "县政府办公室"
    above = read_docmeta("青河县市场监督管理局\n关于开展计量器具专项检查的通知\n各市场监管所：\n正文。")
    assert above.title == "关于开展计量器具专项检查的通知"
    assert above.issuer == "县市场监管局"


def test_portal_fields_whose_values_stand_on_the_next_line():
    # structure of zb.gov.cn (镇巴): bulleted labels with their values on the following lines
    text = "\n".join([
        "返回顶部", "", "青河县人民政府工作规则", "", "  • 索引号:", "", "    1307000000/2024-001005", "  • 主题分类:", "",
        "  • 发文机构:", "", "    县政府网站", "  • 发文字号:", "", "    青政发〔2024〕7号", "  • 发文日期:", "",
        "    2024年04月06日 16:40", "  • 内容概述:", "", "青河县人民政府工作规则", "", "第一章总则", "",
        "一、为规范县政府的工作，制定本规则。",
    ])
    m = read_docmeta(text)
    assert m.title == "青河县人民政府工作规则"               # not "返回顶部", not the timestamp
    assert m.doc_number == "青政发〔2024〕7号"
    assert m.issue_date == dt.date(2024, 4, 6)
    assert m.issuer == "县政府"


def test_a_reposted_title_with_the_sites_prefix_and_the_number_under_it():
    # structure of 0798ci.com (鲁政发〔2014〕20号) and jiaxiang.gov.cn (济政字〔2021〕30号)
    text = "\n".join([
        "青政发〔2022〕8号《青河县人民政府关于深化质量提升行动的实施意见》", "", "浏览量:          时间:2022-03-17 23:45:19", "",
        "青河县人民政府关于深化质量提升行动的实施意见", "", "青政发〔2022〕8号", "",
        "各乡镇人民政府,县政府各部门,各大企业:", "", "为提升全县质量水平，现提出以下意见:", "", "一、总体要求",
    ])
    m = read_docmeta(text)
    assert m.title == "青河县人民政府关于深化质量提升行动的实施意见"
    assert m.doc_number == "青政发〔2022〕8号"
    assert m.issuer == "县政府"
    assert m.addressees == ("各乡镇人民政府", "县政府各部门", "各大企业")
    # a city's title read with its own level, not the county's guessed from the 文号
    city = read_docmeta("政务服务丨青州市人民政府关于优化营商环境的实施意见\n- 发布日期:2021-07-19\n青州市人民政府\n"
                        "关于优化营商环境的实施意见\n青政字〔2021〕30号\n各县(市、区)人民政府,市政府各部门:\n为优化营商环境，提出以下意见。")
    assert city.title == "青州市人民政府关于优化营商环境的实施意见"     # the page's heading states it whole
    assert city.issuer == "市政府"
    assert city.addressees == ("各县(市", "区)人民政府", "市政府各部门")


def test_the_addressees_after_a_timestamp_and_a_long_addressee_list():
    # structure of hangzhou.baogaosu.com (浙江省安委办) and jiaxiang.gov.cn's long 主送
    text = "\n".join([
        "青河县安全生产委员会办公室转发市安委办关于报送安全生产责任落实情况的通知", "01.06.2023 21:28", "本文来源: 县应急管理局",
        "各乡镇安全生产委员会办公室:", "现将市安委办的通知转发给你们，请按要求报送。", "青河县安全生产委员会办公室", "2023年5月28日",
    ])
    m = read_docmeta(text)
    assert m.addressees == ("各乡镇安全生产委员会办公室",)
    assert m.issuer == "县安全生产委员会办公室"
    assert m.issue_date == dt.date(2023, 5, 28)
    many = ("各乡镇人民政府,青河经济开发区、青河高新技术产业园区、青河现代农业示范园区管委会(推进办公室),"
            "县政府各部门,各大企业,各中小学校,各医疗卫生机构:")
    m2 = read_docmeta(f"关于持续深化营商环境改革的实施意见\n青政字〔2023〕3号\n{many}\n为深化改革，提出以下意见。")
    assert len(m2.addressees) == 8 and m2.addressees[-1] == "各医疗卫生机构"
    # a sentence of the body that ends with a colon is not a 主送
    m3 = read_docmeta("关于开展质量月活动的通知\n经县政府同意，现将有关事项通知如下：\n一、活动时间")
    assert m3.addressees == ()


def test_a_joint_documents_signers_give_the_first_body():
    # structure of pingjiang.gov.cn (岳阳 岳办发〔2017〕2号): two bodies over one date
    text = "\n".join([
        "中共青河县委办公室青河县人民政府办公室印发《关于推进政务公开的实施意见》的通知(青办发〔2023〕2号)",
        "来源:青河县政府门户网 日期:2023-01-12 17:08", "各乡镇党委、人民政府,县直各单位:",
        "《关于推进政务公开的实施意见》已经县委、县政府同意，现印发给你们。", "中共青河县委办公室", "", "青河县人民政府办公室", "",
        "2023年1月10日", "关于推进政务公开的实施意见",
    ])
    m = read_docmeta(text)
    assert m.issuer == "县委办公室"
    assert m.doc_number == "青办发〔2023〕2号"
    assert m.issue_date == dt.date(2023, 1, 10)
    assert m.title.startswith("中共青河县委办公室青河县人民政府办公室印发")


def test_a_news_page_has_no_title_date_or_addressees_of_a_document():
    # structure of cnxw.com.cn and dsnews.zjol.com.cn: site lines, a headline, a publishing time
    text = "\n".join([
        "青河在线 -- 新闻中心", "乡镇巡礼:", " 城关镇  河口镇 东岭镇", "", " 您的当前位置:首页 > 本地新闻",
        "“质量强县”动员大会召开", "发布时间:2023年08月25日", "来源:青河新闻网", "",
        "日前，县政府召开质量强县动员大会，各乡镇和成员单位负责人参加会议。",
    ])
    m = read_docmeta(text)
    assert m.title == ""
    assert m.issue_date is None                              # a publishing time is not a date of issue
    assert m.addressees == ()
    assert m.doc_number == ""


def test_a_province_before_the_issuing_city_is_dropped_in_the_short_form():
    assert short_issuer("内蒙古自治区青河盟行政公署") == short_issuer("青河盟行政公署")
    assert short_issuer("江西省青州市人民政府办公室") == "市政府办公室"
    assert short_issuer("青海省人民政府办公厅") == "青海省政府办公厅"     # a province's own body keeps its name


def test_a_title_that_cites_another_documents_number_is_not_that_number():
    """A reposted notice whose title, wrapped above its own 文号, cites the number of the
    document it carries out ("关于明确…〔2012〕103号文件 / 重点工作责任单位的通知"): the cited
    number is part of the title, the document's own is the one on its line. Structure of
    henan.kjzch.com/hn/2013-05-17/130585.html (豫政办〔2013〕36号), our wording."""
    text = ("青河省人民政府办公厅\n关于落实青政〔2021〕58号文件\n重点任务分工的通知\n青政办〔2022〕17号\n"
            "各市、县人民政府，省政府各部门：\n为抓好质量发展各项任务，现将分工明确如下。")
    m = read_docmeta(text)
    assert m.doc_number == "青政办〔2022〕17号"
    assert m.title == "关于落实青政〔2021〕58号文件重点任务分工的通知"
    assert "省政府各部门" in m.addressees
