"""Document metadata read as a clerk reads a 红头文件: issuing body, 文号, title, date of issue,
addressees — from texts we wrote in the GB/T 9704 layout, and from generated corpus files
read back through the extractor."""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path

from storage.reading.docmeta import read_docmeta, short_issuer
from storage.watch.extract import extract

DATA = Path(__file__).parent / "data" / "suggest"

REDHEAD = """青河县人民政府办公室文件

青政办发[2023]１３号

关于设立质量发展专项资金的
通知

各乡镇人民政府、街道办事处，县直各部门、
单位：
　　为深入贯彻落实质量强国建设纲要，根据《山东省质量强县创建实施方案》（鲁质强发〔2022〕2号）要求，经县政府同意，现将有关事项通知如下。
　　一、县财政每年安排质量发展专项资金，列入年度部门预算。
　　附件：专项资金管理办法
青河县人民政府办公室
二〇二三年五月八日
（此件公开发布）
抄送：县委办公室，县人大常委会办公室。
青河县人民政府办公室　　　　　　2023年5月9日印发
"""


def test_a_redhead_text_gives_issuer_number_title_date_and_addressees():
    m = read_docmeta(REDHEAD)
    assert m.issuer == "县政府办公室"
    assert m.doc_number == "青政办发〔2023〕13号"          # [] and a full-width digit read
    assert m.title == "关于设立质量发展专项资金的通知"       # the wrapped title joined
    assert m.issue_date == dt.date(2023, 5, 8)            # 成文日期, not the 印发 date
    assert m.addressees == ("各乡镇人民政府", "街道办事处", "县直各部门", "单位")


def test_a_number_cited_in_the_body_is_not_the_documents_own():
    text = REDHEAD.replace("青政办发[2023]１３号", "")
    m = read_docmeta(text)
    assert m.doc_number == ""                               # 鲁质强发〔2022〕2号 is another document's
    assert m.title == "关于设立质量发展专项资金的通知"


def test_ocr_confusions_in_the_number_and_a_letter_without_a_masthead():
    text = "\n".join([
        "青河县市场监督管理局",
        "青市监函(2O23)76 号　　　　签发人：王立新",
        "关于不合格食品核查处置情况的通报",
        "县质量强县工作领导小组各成员单位：",
        "全年完成食品评价性抽检1850批次。",
        "青河县市场监督管理局",
        "二〇二三年十一月二十日",
    ])
    m = read_docmeta(text)
    assert m.doc_number == "青市监函〔2023〕76号"
    assert m.title == "关于不合格食品核查处置情况的通报"   # a title ending in 通报 is not a masthead
    assert m.issuer == "县市场监管局"                      # from the 落款 above the date
    assert m.issue_date == dt.date(2023, 11, 20)
    assert m.addressees == ("县质量强县工作领导小组各成员单位",)


def test_short_forms_of_official_names():
    assert short_issuer("沂水县人民政府办公室") == "县政府办公室"
    assert short_issuer("中共沂水县委办公室") == "县委办公室"
    assert short_issuer("沂水县市场监督管理局") == "县市场监管局"
    assert short_issuer("青河县质量强县工作领导小组办公室") == "县质量强县办"


def test_nothing_is_guessed_from_a_text_that_is_not_an_official_document():
    m = read_docmeta("会议照片\n2023年9月15日 摄")
    assert m.doc_number == "" and m.addressees == ()


def _make_corpus():
    spec = importlib.util.spec_from_file_location("suggest_make_corpus", DATA / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["suggest_make_corpus"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_generated_redhead_files_and_scans_read_back(tmp_path):
    """Word files of the corpus through the extractor, and scan sidecars (OCR's text), give the
    labelled metadata field by field."""
    mc = _make_corpus()
    plan = mc.plan(mc.load_spec())
    pick = [d.n for d in plan if d.kind == "r" and d.format == "docx"][:8]
    pick += [d.n for d in plan if d.kind == "s"][:6]
    docs = mc.build(tmp_path, pdf=False, only=pick)
    assert len(docs) == len(pick)
    for d in docs:
        if d.truth:
            text = (tmp_path / d.truth).read_text(encoding="utf-8")
        else:
            text = extract(tmp_path / "files" / d.file, Path(d.file).name).text
        m = read_docmeta(text)
        want = d.meta
        assert m.doc_number == want["doc_number"], d.file
        assert m.title == want["title"], d.file
        assert m.issue_date == dt.date.fromisoformat(want["issue_date"]), d.file
        assert m.issuer == want["issuer"], d.file
        assert list(m.addressees) == want["addressees"], d.file
    labels = json.loads((tmp_path / "labels.json").read_text(encoding="utf-8"))
    assert {x["n"] for x in labels} == set(pick)


def test_a_title_and_its_addressees_that_ocr_joined_are_read_apart():
    """OCR returns the title row and the 主送 row under it as one line at times."""
    from storage.reading.docmeta import read_docmeta

    text = ("青河县卫生健康局文件\n青卫健发[2023]41号\n"
            "关于做好产品伤害监测数据报送工作的通知各乡镇人民政府，县直有关部门：\n"
            "监测数据须于每月10日前上报。\n青河县卫生健康局\n2023年6月22日")
    m = read_docmeta(text)
    assert m.title == "关于做好产品伤害监测数据报送工作的通知"
    assert m.addressees == ("各乡镇人民政府", "县直有关部门")
    assert m.doc_number == "青卫健发〔2023〕41号"


def test_a_ledger_a_briefing_and_minutes_have_their_own_titles():
    """A sheet's name is not a title (Sheet1); a 简报 named by its topic is the title under
    the masthead and the editor's line; a 纪要 whose masthead is only 会议纪要 takes the title
    under its office/date line."""
    from storage.reading.docmeta import read_docmeta

    ledger = "Sheet1\n燃气灶具生产企业隐患排查记录\n填报单位：县工信局\t填报日期：2023年10月\n月份\t检查对象\t发现问题"
    assert read_docmeta(ledger).title == "燃气灶具生产企业隐患排查记录"
    brief = ("青河县质量强县工作简报\n第10期\n青河县质量强县工作领导小组办公室编\u3000\u3000\u3000\u30002023年5月9日\n"
             "侵权假冒商品集中销毁活动简报\n近日，县市场监管局组织开展了集中销毁。\n销毁侵权假冒商品共计3.2吨。")
    m = read_docmeta(brief)
    assert m.title == "侵权假冒商品集中销毁活动简报" and m.issuer == "县质量强县办"
    assert "青河县质量强县工作简报" not in m.body and "销毁侵权假冒商品" in m.body
    minutes = ("会 议 纪 要\n第2期\n青河县市场监督管理局办公室\u3000\u3000\u3000\u30002024年4月17日\n"
               "食品安全委员会办公室全体会议纪要\n会议指出，各项工作总体进展顺利。\n会议要求落实包保责任。")
    assert read_docmeta(minutes).title == "食品安全委员会办公室全体会议纪要"


def test_ocr_joins_of_the_foot_and_half_width_brackets():
    """OCR joins the 落款, the 成文日期, "（此件公开发布）" and the 版记 on one line at times:
    the date of issue is still the signing date, not the 印发 date; a title's brackets read
    as "(" ")" are made full-width."""
    from storage.reading.docmeta import read_docmeta

    text = ("青河县生态环境分局文件\n青环发〔2023〕7号\n质量工作考核细则(2023年）\n各乡镇人民政府：\n正文。\n"
            "青河县生态环境分局2023年6月21日（此件公开发布）抄送：县委办公室。青河县生态环境分局办公室 2023年6月23日印发")
    m = read_docmeta(text)
    assert m.issue_date is not None and m.issue_date.isoformat() == "2023-06-21"
    assert m.title == "质量工作考核细则（2023年）"


def test_a_portal_header_table_gives_title_number_issuer_and_date() -> None:
    """A document reposted on a government portal carries its 信息公开 header above the text:
    label | value cells (the layout of 黄石市人民政府's 黄政发〔2024〕6号 page,
    http://www.huangshi.gov.cn) or label：value pairs with the label spaced out (嘉鱼县's
    嘉政办发〔2024〕1号 page). The cells give what the page's own layout does not, and are never
    read as the title. The wording below is ours."""
    from storage.reading.docmeta import read_docmeta

    table = ("文件名称 | 关于表彰2025年度县长质量奖获奖企业的决定 | 文件类型 | 青政发 |\n"
             "---|---|---|---|\n"
             "发文单位 | 青禾县人民政府 | 发文字号 | 青政发〔2025〕9号 |\n"
             "发文日期 | 2025-04-02 10:20:00 | 发布日期 | 2025-04-03 09:00:00 |\n"
             "效力状态 | 有效 | 主题分类 |\n"
             "各乡镇人民政府，县直各部门：\n为推动企业提高质量管理水平，县政府决定表彰以下企业。\n")
    m = read_docmeta(table)
    assert m.title == "关于表彰2025年度县长质量奖获奖企业的决定"
    assert (m.doc_number, m.issuer, m.issue_date.isoformat() if m.issue_date else None) == (
        "青政发〔2025〕9号", "县政府", "2025-04-02")

    pairs = ("索引号 ： 01234567X/2025-00012 文       号 ： 青政办发〔2025〕3号\n"
             "主题分类： 政务督查 发文单位： 青禾县人民政府办公室\n"
             "各乡镇人民政府，县直各部门：\n现将重点工作责任分解方案印发给你们，请认真落实。\n")
    m = read_docmeta(pairs)
    assert (m.doc_number, m.issuer) == ("青政办发〔2025〕3号", "县政府办公室")
    assert "索引号" not in m.title and "|" not in m.title


def test_a_reposted_document_has_its_title_above_or_before_its_number() -> None:
    """Web reposts put the title above the 文号 (市场监管总局's 国市监质发〔2024〕97号 as
    reposted), run the number on after the title (江门's 江府办函〔2018〕83号 page), or give the
    title in a spaced-out 名 称 cell (咸宁's portal). Seen on real pages not tuned on; the
    wording below is ours."""
    from storage.reading.docmeta import read_docmeta

    above = read_docmeta("青禾县市场监督管理局关于开展质量提升专项行动的通知\n青禾县市场监督管理局 2025-05-06\n"
                         "青市监发〔2025〕7号\n各乡镇市场监管所：\n现将有关事项通知如下。")
    assert (above.title, above.doc_number) == ("青禾县市场监督管理局关于开展质量提升专项行动的通知", "青市监发〔2025〕7号")
    run_on = read_docmeta("青禾县人民政府办公室关于印发青禾县质量强县工作方案的通知 青政办函〔2025〕11号\n"
                          "发布时间:2025-06-01 来源:县政府办\n各乡镇人民政府：\n现将方案印发给你们。")
    assert (run_on.title, run_on.doc_number) == ("青禾县人民政府办公室关于印发青禾县质量强县工作方案的通知", "青政办函〔2025〕11号")
    cell = read_docmeta("索引号 : 0123/2025-001 文  号 :\n主题分类: 政务公开 发文单位: 县人民政府\n"
                        "名 称: 县人民政府关于印发青禾县标准化发展规划的通知 发布日期: 2025年7月1日\n"
                        "青政发〔2025〕15号\n各乡镇人民政府：\n现将规划印发给你们。")
    assert cell.title == "县人民政府关于印发青禾县标准化发展规划的通知" and cell.doc_number == "青政发〔2025〕15号"
