"""Periodicals and minutes. A 会议纪要 names itself in its masthead and carries no 关于… title under it: that line is
the title a clerk files it by (the inbox showed no title for "2025年质量工作领导小组会议纪要"
before). Wording ours; the layout (masthead, 第N期, the office and date line, then the body)
is the one county 纪要 use."""
from __future__ import annotations

from storage.reading.docmeta import read_docmeta


def test_a_minutes_masthead_is_its_title_with_its_issue():
    m = read_docmeta("县质量强县工作领导小组会议纪要\n第3期\n县质量强县工作领导小组办公室　2024年4月17日\n"
                     "4月15日，县质量强县工作领导小组召开全体成员会议，听取各成员单位工作汇报。")
    assert m.title == "县质量强县工作领导小组会议纪要（第3期）"
    assert m.issuer == "县质量强县工作领导小组"


def test_a_minutes_title_with_a_year_before_the_body():
    m = read_docmeta("2025年质量工作领导小组会议纪要\n会议研究了质量强县创建的分工安排。")
    assert m.title == "2025年质量工作领导小组会议纪要"


def test_a_minutes_under_a_kind_only_masthead_or_with_a_real_title_keeps_that_reading():
    assert read_docmeta("会 议 纪 要\n第5期\n会议研究了分工。").title == ""
    m = read_docmeta("县人民政府办公室文件\n县政办发〔2024〕9号\n关于印发质量工作会议纪要的通知\n各乡镇人民政府：\n现印发。")
    assert m.title == "关于印发质量工作会议纪要的通知"


def test_a_periodicals_masthead_with_its_issue_is_not_part_of_the_title():
    # the layout of a county 政务督查 / 工作简报 (masthead with 第N期, the editing office and the
    # date on the next line, then the title); before, the three lines ran into one title
    m = read_docmeta("某县政务督查　第20期\n某县人民政府督查室　2022年8月19日\n"
                     "关于上半年重点工作落实情况的通报\n各乡镇人民政府，县政府各部门：\n现将督查情况通报如下。")
    assert m.title == "关于上半年重点工作落实情况的通报"
    assert m.issuer == "县政府督查室"
    assert m.issue_date is not None and m.issue_date.isoformat() == "2022-08-19"
    m = read_docmeta("质量工作简报\n（第3期）\n县质量强县办公室　2024年3月1日\n关于开展质量月活动的情况\n正文。")
    assert m.title == "关于开展质量月活动的情况" and m.issuer == "县质量强县办公室"
