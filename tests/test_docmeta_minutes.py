"""A 会议纪要 names itself in its masthead and carries no 关于… title under it: that line is
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
