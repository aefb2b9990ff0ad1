"""The small readers behind the importers, one quirk of domain.md per case."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from storage.catalogue.departments import canonical_key
from storage.tables.textparse import (
    clean_title,
    find_inline_assignment,
    parse_assignment,
    parse_deadline,
    parse_numbering,
    parse_score,
    parse_target,
)


@pytest.mark.parametrize("text,kind,values,rest", [
    ("一、质量发展理念", "cn", (1,), "质量发展理念"),
    ("十二、其他", "cn", (12,), "其他"),
    ("（一）组织领导", "cn_paren", (1,), "组织领导"),
    ("(二) 夯实基础", "cn_paren", (2,), "夯实基础"),
    ("1.建立机制", "dec", (1,), "建立机制"),
    ("１．全角数字", "dec", (1,), "全角数字"),
    ("3、顿号", "dec", (3,), "顿号"),
    ("1.1.1 三级", "dotted3", (1, 1, 1), "三级"),
    ("2.3 二级", "dotted2", (2, 3), "二级"),
    ("(1)括号", "dec_paren", (1,), "括号"),
    ("（２）全角括号", "dec_paren", (2,), "全角括号"),
    ("①圈号", "circle", (1,), "圈号"),
    ("⑫圈号", "circle", (12,), "圈号"),
])
def test_numbering_styles(text, kind, values, rest):
    n = parse_numbering(text)
    assert (n.kind, n.values, n.rest) == (kind, values, rest)


@pytest.mark.parametrize("text", ["质量发展理念", "1.5万元以上", "3.15活动", "2023年工作"])
def test_not_numbering(text):
    n = parse_numbering(text)
    assert n is None or n.kind not in ("dotted2",) or text.startswith("3.15")  # 3.15 is a real ambiguity


@pytest.mark.parametrize("text,title,score,key", [
    ("一、地方政府属地管理责任依法履行(16分)", "地方政府属地管理责任依法履行", Decimal(16), False),
    ("（一）组织领导（4分）", "组织领导", Decimal(4), False),
    ("★1.建立质量工作机制", "建立质量工作机制", None, True),
    ("*（二）关键项（2.5分）", "关键项", Decimal("2.5"), True),
    ("1.1.1 质量工作★", "质量工作", None, True),
])
def test_titles_scores_and_key_marks(text, title, score, key):
    t = clean_title(text)
    assert (t.text, t.score, t.is_key) == (title, score, key)


def test_score_cells():
    assert parse_score(4) == 4 and parse_score(4.0) == 4 and parse_score("4分") == 4
    assert parse_score("（4分）") == 4 and parse_score("2.5") == Decimal("2.5")
    assert parse_score("否决") is None and parse_score(None) is None


@pytest.mark.parametrize("text,cmp,value,unit", [
    ("合格率≥94%", ">=", 94, "%"),
    ("覆盖率达到100%", ">=", 100, "%"),
    ("抽查后处理率不低于90%", ">=", 90, "%"),
    ("投诉率低于5‰", "<", 5, "‰"),
    ("满意度不低于85分以上的指数", None, None, None),
])
def test_targets(text, cmp, value, unit):
    t = parse_target(text)
    if cmp is None:
        assert t is None
    else:
        assert (t.comparator, t.value, t.unit) == (cmp, value, unit)


@pytest.mark.parametrize("text,lead,coop", [
    ("县市场监管局（牵头）、县工信局", ["县市场监管局"], ["县工信局"]),
    ("县工信局、县市场监管局(牵头)", ["县市场监管局"], ["县工信局"]),
    ("县市场监管局，县工信局；县财政局", ["县市场监管局"], ["县工信局", "县财政局"]),
    ("县市场监管局,县工信局;县财政局", ["县市场监管局"], ["县工信局", "县财政局"]),
    ("县市场监管局 县工信局\n县财政局", ["县市场监管局"], ["县工信局", "县财政局"]),
    ("县市场监管局、县工信局等部门按职责分工负责", ["县市场监管局"], ["县工信局"]),
    ("各乡镇（街道）、县直有关部门", ["各乡镇（街道）"], ["县直有关部门"]),
    ("市质监局牵头，市经信局、市工商局等单位及各镇街配合落实", ["市质监局"], ["市经信局", "市工商局", "各镇街"]),
    ("牵头单位：县发改局；责任单位：县工信局、县住建局", ["县发改局"], ["县工信局", "县住建局"]),
    ("县文化和旅游局、县自然资源和规划局", ["县文化和旅游局"], ["县自然资源和规划局"]),
])
def test_department_lists(text, lead, coop):
    a = parse_assignment(text)
    assert (a.lead, a.cooperating) == (lead, coop)


def test_department_short_forms_and_width():
    assert canonical_key("县市场监督管理局") == canonical_key("县市场监管局")
    assert canonical_key("县行政审批服务局") == canonical_key("县行政审批局")
    assert canonical_key("县 市场监管局") == canonical_key("县市场监管局")
    assert canonical_key("各乡镇(街道)") == canonical_key("各乡镇（街道）")
    assert canonical_key("市场监管局") != canonical_key("县市场监管局")


@pytest.mark.parametrize("value,date,kind", [
    ("2023年6月底前", dt.date(2023, 6, 30), "date"),
    ("2023年8月31日前", dt.date(2023, 8, 31), "date"),
    ("8月31日前", dt.date(2023, 8, 31), "date"),
    ("2023年底前", dt.date(2023, 12, 31), "date"),
    ("2023.6.30", dt.date(2023, 6, 30), "date"),
    ("2023/06/30", dt.date(2023, 6, 30), "date"),
    (45107, dt.date(2023, 6, 30), "date"),
    (dt.datetime(2023, 6, 30), dt.date(2023, 6, 30), "date"),
    ("上半年", dt.date(2023, 6, 30), "date"),
    ("每季度", None, "recurring"),
    ("每月底前报送", None, "recurring"),
    ("长期坚持", None, "none"),
    ("2月30日前", None, "none"),
])
def test_deadlines(value, date, kind):
    d = parse_deadline(value, default_year=2023)
    assert (d.date, d.kind) == (date, kind)
    if isinstance(value, str):
        assert d.text == value  # the original text is always kept


def test_deadline_without_year_and_no_default():
    d = parse_deadline("8月31日前")
    assert d.date is None and d.text == "8月31日前"


@pytest.mark.parametrize("para,inner", [
    ("1.开展。(县市场监管局、县工信局等部门按职责分工负责)", "县市场监管局、县工信局等部门按职责分工负责"),
    ("1．开展。（市农业局、市海洋与渔业局负责）", "市农业局、市海洋与渔业局负责"),
    ("2.开展。（市质监局牵头，市经信局等单位及各乡镇（街道）配合落实）。", "市质监局牵头，市经信局等单位及各乡镇（街道）配合落实"),
    ("贯彻纲要（2011-2020年）", None),
    ("(一)动员宣传阶段(2023年3月至5月)。", None),
    ("根据任务分工(见附件1)全面开展", None),
    ("(此件公开发布)", None),
])
def test_inline_assignments(para, inner):
    found = find_inline_assignment(para)
    assert (found[0] if found else None) == inner
