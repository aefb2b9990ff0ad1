"""Document metadata of replies to 人大建议 / 政协提案, standards notices, township bodies and
news pages (issue 15 item 2, session 5). The documents are ours; each keeps the structure of a
real form: the inbox corpus's held_out_5 答复 (class mark and 签发人 on the 文号 line, the deputy
as 主送), 沙河's reply (https://shaheshi.gov.cn/article/240/81060.html, "纪占斌等3名代表:"),
佛坪's notice with its title wrapped above the 文号
(http://foping.gov.cn/fpxzf/xzfwj/202406/2674f6dcdc4b48de95fa950b9e131446.shtml), 广州市标准化促进会's
团体标准 notice (http://www.zbchuanghe.com/2019/09/533938.html) and county news pages about 建议
交办 (http://www.plxrd.gov.cn/content-1427-1.html, http://xjym.gov.cn/jrym/16601.html)."""
from __future__ import annotations

import datetime as dt

from storage.reading.docmeta import find_doc_numbers, read_docmeta, short_issuer

REPLY = """青河县市场监督管理局
A类　　青市监建复〔2026〕82号　　签发人：刘志强
关于县人大代表“关于加快制定杂粮标准
体系的建议”的答复
王建华代表：
您提出的建议收悉。我局认真研究办理，现答复如下：
一是摸清杂粮种植底数；二是组织起草地方标准；三是指导企业对标达标。
感谢您对市场监管工作的关心和支持。
青河县市场监督管理局
2026年6月12日
（联系单位：青河县市场监督管理局　联系人：孙晓燕　联系电话：0539-6123456）
抄送：县人大常委会人事代表工作委员会，县政府督查室。"""


def test_a_replys_class_mark_is_not_read_into_its_doc_number() -> None:
    m = read_docmeta(REPLY)
    assert m.doc_number == "青市监建复〔2026〕82号"
    assert find_doc_numbers("甲类　青教体提复〔2026〕15号")[0][0] == "青教体提复〔2026〕15号"
    # a prefix that only ends in 类 elsewhere is left whole
    assert find_doc_numbers("青类发〔2026〕3号")[0][0] == "青类发〔2026〕3号"


def test_a_reply_title_wrapped_inside_its_quotation_marks_is_read_whole() -> None:
    m = read_docmeta(REPLY)
    assert m.title == "关于县人大代表“关于加快制定杂粮标准体系的建议”的答复"
    m2 = read_docmeta("青河县住房和城乡建设局\nB类　　青建建复〔2026〕2号　　签发人：陈卫东\n"
                      "对县政协委员“关于加快发展\n装配式建筑的提案”的答复\n李明委员：\n"
                      "您提出的提案收悉。现答复如下：\n一是编制规划；二是落实奖补。\n"
                      "青河县住房和城乡建设局\n2026年4月14日")
    assert m2.title == "对县政协委员“关于加快发展装配式建筑的提案”的答复"
    assert m2.addressees == ("李明委员",)


def test_the_deputy_a_reply_answers_is_its_addressee() -> None:
    assert read_docmeta(REPLY).addressees == ("王建华代表",)
    page = read_docmeta("首页 > 公开 > 建议提案 > 人大代表建议\n\n对青河县第九届人民代表大会第三次会议第12号建议的答复\n\n"
                        "发布时间:2026-07-21    来源:交通局 打印\n\n纪占斌等3名代表:\n\n"
                        "你们提出的改造村道的建议已收到，现答复如下：\n\n该路段已列入明年养护计划。\n\n2026年7月18日")
    assert page.title == "对青河县第九届人民代表大会第三次会议第12号建议的答复"
    assert page.addressees == ("纪占斌等3名代表",)
    assert page.issue_date == dt.date(2026, 7, 18)


def test_a_standards_notice_keeps_the_de_gonggao_wrapped_onto_its_own_line() -> None:
    m = read_docmeta("青河县标准化协会\n青标协发〔2026〕3号\n关于批准发布《青河大枣》等两项团体标准\n的公告\n"
                     "各会员单位：\n两项团体标准经技术审查通过，现予发布，自发布之日起实施。\n"
                     "青河县标准化协会\n2026年4月8日")
    assert m.title == "关于批准发布《青河大枣》等两项团体标准的公告"
    assert m.addressees == ("各会员单位",)


def test_a_standards_body_signing_a_notice_is_its_issuer() -> None:
    m = read_docmeta("各有关单位:\n青河县小米产业协会提出了《青河小米种植技术规程》团体标准的立项申请，经秘书处审核，现批准立项。\n"
                     "请起草单位按要求编写标准。\n联系人:刘美辰\n青河县标准化促进会\n2026年9月12日")
    assert m.issuer == short_issuer("青河县标准化促进会") == "县标准化促进会"
    assert m.issue_date == dt.date(2026, 9, 12)


def test_a_township_body_is_never_given_a_county_prefix() -> None:
    assert short_issuer("青河县马站镇人民政府") == "马站镇人民政府"
    assert short_issuer("马站镇人民政府") == "马站镇人民政府"
    assert short_issuer("青河县城关街道办事处") == "城关街道办事处"
    assert short_issuer("青河县城乡建设局") == "县城乡建设局"         # 城乡 is no township
    m = read_docmeta("青河县马站镇人民政府\n马政发[2O26]11号\n关于建立食品安全网格化管理制度的通知\n各行政村、镇直各单位：\n"
                     "每个行政村确定一名食品安全网格员。\n青河县马站镇人民政府\n2026年8月7日")
    assert m.issuer == "马站镇人民政府"


def test_a_merged_education_and_sports_bureau_is_read_as_the_registry_names_it() -> None:
    assert short_issuer("青河县教育和体育局") == "县教育局"
    m = read_docmeta("青河县教育和体育局\n青教体发〔2026〕58号\n关于在中小学开展质量教育进课堂活动的通知\n各中小学：\n"
                     "各学校每学期安排两课时质量安全教育。\n青河县教育和体育局\n2026年2月24日")
    assert m.issuer == "县教育局"


def test_a_news_headline_is_not_read_as_a_documents_title() -> None:
    own = read_docmeta("县政府召开人大代表建议交办会\n3月20日，县政府召开交办会，把代表建议交有关部门办理。\n"
                       "会上要求各承办单位按期办结。")
    assert own.title == ""
    web = read_docmeta("2026年11月23日 星期六 |\n\n我县召开人大代表建议意见和政协委员提案交办会\n\n"
                       "来源:青河县电视台 日期:2026-03-26 17:13:48\n\n3月24日，我县召开交办会，把24件建议转交县政府办理。")
    assert web.title == ""
    # a record of such a meeting, named for what it is, keeps its title
    record = read_docmeta("社会质量监督员座谈会情况\n5月8日，县市场监管局召开社会质量监督员座谈会。\n监督员提出意见7条。")
    assert record.title == "社会质量监督员座谈会情况"
    # a notice about such a meeting is a document all the same
    notice = read_docmeta("关于召开人大代表建议交办会的通知\n各承办单位：\n定于3月20日召开交办会。")
    assert notice.title == "关于召开人大代表建议交办会的通知"


def test_a_title_wrapped_above_its_doc_number_is_read() -> None:
    m = read_docmeta("青河县人民政府办公室\n关于认真做好2026年度县人大代表建议\n和政协提案办理工作的通知\n"
                     "青政办发〔2026〕9号\n各承办单位：\n今年交我县办理的建议和提案共有12件，现将要求通知如下。")
    assert m.title == "关于认真做好2026年度县人大代表建议和政协提案办理工作的通知"
    assert m.doc_number == "青政办发〔2026〕9号"
    assert m.issuer == "县政府办公室"


def test_a_portal_date_that_lost_its_characters_is_read_where_it_is_unambiguous() -> None:
    head = "索引号：11530000/2017-00012\n发文机关：青河县人民政府办公室\n成文日期：{}\n发文字号：青政办发〔2017〕46号\n" \
           "关于做好质量工作的通知\n各乡镇人民政府：\n正文。"
    assert read_docmeta(head.format("{ 2017 6 23")).issue_date == dt.date(2017, 6, 23)
    assert read_docmeta(head.format("2017 11 1")).issue_date is None      # 1-11 or 11-1: not guessed
