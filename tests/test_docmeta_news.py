"""A news report's headline and a reposted document's issuer (issue 15, session 11).

- A news report opens with its lead: "本网讯 ……", "XX网讯（记者 …）……", "本报讯（记者 …）". The line
  over the lead is the headline, whatever verb it uses (开展……行动, 通过验收, 获……认定), past the
  site's 来源 line; it is no document's title.
- A reposted notice may carry the site's "来源：……" line between its 落款 and its date; the 落款
  is still the issuer.

Wording ours; the forms are those of county portals' news items and reposted notices.
"""
from __future__ import annotations

import datetime as dt

import pytest

from storage.reading.docmeta import read_docmeta

HEADLINE = "青山县开展计量器具强制检定行动"
LEAD = "今年以来，青山县市场监督管理局组织县计量检定所对集贸市场在用衡器实施强制检定。"


@pytest.mark.parametrize("lead", [
    f"青山网讯（记者 王明 通讯员 李红）{LEAD}",
    f"本网讯 {LEAD}",
    f"本报讯（记者 王明）{LEAD}",
    f"中国质量新闻网讯 {LEAD}",
])
def test_the_line_over_a_news_lead_is_the_headline(lead):
    m = read_docmeta(f"{HEADLINE}\n{lead}\n检定合格的粘贴合格标志，不合格的责令停用。")
    assert m.headline == HEADLINE
    assert m.title == ""
    assert HEADLINE in m.body


def test_a_site_line_between_headline_and_lead_is_passed_over():
    m = read_docmeta(f"{HEADLINE}\n来源：青山新闻网　2024-03-01 09:30\n本网讯 {LEAD}")
    assert m.headline == HEADLINE and m.title == ""


def test_a_notice_is_still_a_title_and_a_sentence_is_no_headline():
    notice = read_docmeta("关于开展计量器具强制检定的通知\n各乡镇人民政府：\n本网讯 现将有关事项通知如下。")
    assert notice.title == "关于开展计量器具强制检定的通知"
    sentence = read_docmeta(f"据悉，全县已检定衡器600余台。\n本网讯 {LEAD}")
    assert sentence.headline == ""


NOTICE = ("关于开展2024年“质量月”活动的通知\n各乡镇人民政府，县直各部门：\n现将有关事项通知如下。\n"
          "一、活动主题\n略。\n青山县市场监督管理局\n")


def test_a_source_line_between_the_signature_and_its_date_keeps_the_issuer():
    m = read_docmeta(NOTICE + "来源：青山县人民政府网\n2024年8月26日")
    assert m.issuer == "县市场监管局"
    assert m.issue_date == dt.date(2024, 8, 26)


def test_a_source_line_under_the_date_keeps_the_issuer_too():
    m = read_docmeta(NOTICE + "2024年8月26日\n来源：青山县人民政府网　发布时间：2024-08-27 10:20")
    assert m.issuer == "县市场监管局"
