"""Matching a revised indicator system to the current one (storage.review.rounds), on
indicator lists alone: codes shifted by an inserted indicator, a code reused for another
indicator, bigrams every title shares, and the clerk's corrections (--map)."""
from __future__ import annotations

import pytest

from storage.kernel.errors import BadInput
from storage.review.rounds import Item, TitleSimilarity, describe, match_indicators, parse_mapping


def _kinds(old, new, mapping=None):
    m = match_indicators(old, new, parse_mapping(mapping or []))
    return {(x.new.code if x.new else "-" + x.old[0].code): (x.kind, tuple(o.code for o in x.old))
            for x in describe(old, new, m, {}, set())}


def test_codes_shifted_by_an_inserted_indicator_follow_the_title():
    old = [Item(1, "2.1.1", "出台支持质量发展的政策文件", 3), Item(2, "2.1.2", "落实质量工作经费保障", 3)]
    new = [Item(11, "2.1.1", "出台支持质量发展的政策文件", 3), Item(12, "2.1.2", "建立质量激励制度", 3),
           Item(13, "2.1.3", "落实质量工作经费保障", 3)]
    k = _kinds(old, new)
    assert k["2.1.1"] == ("same", ("2.1.1",))
    assert k["2.1.3"] == ("renamed", ("2.1.2",))      # same title, code moved
    assert k["2.1.2"] == ("new", ())                  # the code now names something else


def test_a_reused_code_with_an_unrelated_title_is_new_and_the_old_one_dropped():
    old = [Item(1, "3.2.2", "一站式服务平台建设", 3)]
    new = [Item(11, "3.2.2", "计量器具强制检定覆盖率", 3)]
    assert _kinds(old, new) == {"3.2.2": ("new", ()), "-3.2.2": ("dropped", ("3.2.2",))}


def test_bigrams_every_title_shares_tell_nothing():
    titles = [f"示例：质量{x}" for x in ("宣传报道", "品牌培育", "投诉处理", "满意度调查", "抽检合格")]
    sim = TitleSimilarity(titles)
    assert sim("示例：质量宣传报道", "示例：质量品牌培育") == 0.0
    assert sim("示例：质量宣传报道", "示例：质量宣传报道材料") > 0.7


def test_the_clerks_mapping_overrides_and_can_drop():
    old = [Item(1, "4.2.2", "投诉处理情况", 3), Item(2, "4.2.1", "服务满意度调查", 3)]
    new = [Item(11, "4.2.2", "诉求快速响应机制", 3), Item(12, "4.2.1", "服务满意度调查", 3)]
    assert _kinds(old, new)["4.2.2"][0] == "new"
    k = _kinds(old, new, ["4.2.2=4.2.2", "4.2.1="])
    assert k["4.2.2"] == ("renamed", ("4.2.2",))
    assert k["-4.2.1"] == ("dropped", ("4.2.1",)) and k["4.2.1"] == ("new", ())


def test_mapping_syntax():
    assert parse_mapping(["2.1.2=2.1.2,2.1.3", "3.1.2=3.1.1；4.1.1="]) == {
        "2.1.2": ("2.1.2", "2.1.3"), "3.1.2": ("3.1.1",), "4.1.1": ()}
    with pytest.raises(BadInput, match="旧编号=新编号"):
        parse_mapping(["=2.1.2"])
