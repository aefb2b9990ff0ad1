"""Round 10 of issue 14 (helper A10): the table-grammar fixes that held-out set 11t
(tests/data/corpus14/corpus_h11t.py, part held11a) showed and the items left from round 9
(grade columns; the per-department block under its group label; score checks that name the rows),
each on a small sheet of our own wording. Each fix test fails on the importers as they were at
edc245c; the guard tests (said so in their docstrings) keep the older readings."""
from __future__ import annotations

from pathlib import Path

from table_helpers import xlsx as _xlsx

from storage.tables.duties_import import import_duties, join_broken_names
from storage.tables.framework_import import read_framework


def _read(path: Path) -> tuple[dict[str, dict], list[str], list[str]]:
    _, rep = read_framework(path)
    return {i["code"]: i for i in rep.items}, [m.zh for m in rep.problems], [m.zh for m in rep.warnings]


# --- grade columns ------------------------------------------------------------------------------


def test_grade_columns_under_a_rule_header_are_kept_in_the_items_rule(tmp_path):
    """评分标准 merged over 优秀 | 良好 | 合格 | 不合格, each cell the points the grade earns: the
    item's points stay its 分值, the grades' points go to its rule, none is a level (before: the
    rule read "5\\n4" and lost the last two grades)."""
    p = _xlsx(tmp_path / "g.xlsx", [
        ["考核项目", "分值", "考核内容", "评分标准", None, None, None, "得分"],
        [None, None, None, "优秀", "良好", "合格", "不合格", None],
        ["组织保障（20分）", "10分", "成立河湖管护工作小组", 10, 8, 6, 4, None],
        [None, "10分", "落实管护经费", 10, 7, 5, 0, None],
    ], ("A1:A2", "B1:B2", "C1:C2", "D1:G1", "H1:H2", "A3:A4"))
    items, problems, _ = _read(p)
    assert sorted(items) == ["1", "1.1", "1.2"]
    assert items["1.1"]["max_score"] == 10
    assert "等次：优秀 10；良好 8；合格 6；不合格 4" in items["1.1"]["scoring_rule"]
    assert "不合格 0" in items["1.2"]["scoring_rule"]
    assert problems == []


def test_grade_points_in_the_header_give_an_item_without_a_points_column_its_points(tmp_path):
    """A header "优 10 | 良 8 | 中 6" with ticks or blanks below: each grade's points come from the
    header, and an item with no points column scores its best grade (before: no points, and the
    grade columns were not read at all)."""
    p = _xlsx(tmp_path / "h.xlsx", [
        ["序号", "考核指标", "优 10", "良 8", "中 6", "备注"],
        [1, "按时报送工作信息", None, None, None, None],
        [2, "建立工作台账", None, None, None, None],
    ])
    items, _, _ = _read(p)
    assert sorted(items) == ["1", "2"]
    assert items["1"]["max_score"] == 10
    assert "等次：优 10；良 8；中 6" in items["2"]["scoring_rule"]


def test_a_single_grade_word_is_no_grade_column(tmp_path):
    """Guard: one column headed 合格 beside others is not a grade group: the sheet reads as before."""
    p = _xlsx(tmp_path / "s.xlsx", [
        ["序号", "考核指标", "分值", "评分标准", "合格"],
        [1, "按时报送信息", 5, "少报一次扣1分", "是"],
    ])
    items, _, _ = _read(p)
    assert items["1"]["max_score"] == 5
    assert "等次" not in (items["1"]["scoring_rule"] or "")


# --- unit names broken over lines ----------------------------------------------------------------


def test_a_unit_broken_over_two_lines_in_a_lead_cell_is_one_unit(tmp_path, archive):
    """牵头负责司局 "节能与综合\\n利用司" in a narrow cell: one unit (before: 节能与综合 and 利用司)."""
    p = _xlsx(tmp_path / "d.xlsx", [
        ["序号", "指标名称", "完成时限", "牵头负责司局", "备注"],
        [1, "发布绿色制造示范典型", "10月", "节能与综合\n利用司", None],
        [2, "遴选融合发展试点示范项目", "12月", "信息化和软件\n服务业司", "按年度计划"],
        [3, "行政村通光纤", "12月", "规划司\n装备工业司", None],
    ])
    items = import_duties(archive, p, dry_run=True).items
    assert [(i["lead"], i["cooperating"]) for i in items] == [
        (["节能与综合利用司"], []), (["信息化和软件服务业司"], []), (["规划司", "装备工业司"], [])]


def test_joining_keeps_lists_and_whole_names_apart():
    """Guard: lines that are units each, or that carry list marks, are never joined."""
    assert join_broken_names("市城管局\n市水利局") == "市城管局\n市水利局"
    assert join_broken_names("县禁毒办、\n禁毒大队") == "县禁毒办、\n禁毒大队"
    assert join_broken_names("牵头单位：\n县发改局") == "牵头单位：\n县发改局"
    assert join_broken_names("县科学技术\n协会") == "县科学技术协会"


# --- one block per department ---------------------------------------------------------------------


def test_units_under_a_group_label_are_each_a_block_of_their_own(tmp_path):
    """部门履职考核 60 over a label merged down beside the units (重点部门) and the units each scored
    out of 60 (one in three items 30 + 15 + 15): the units stand right under the block, numbered
    by their 序号 (2.1, 2.2, 2.3), the label kept in the block's rule (before: 2.1 重点部门 with the
    units as 2.1.1 … under it)."""
    p = _xlsx(tmp_path / "u.xlsx", [
        ["序号", "考核项目", None, "各项分值", "考核内容", "评分标准"],
        ["一、", "通用考核项目", None, 40, None, None],
        [1, "组织领导", None, 20, "组织领导", "配合开展工作（20分）。"],
        [2, "宣传工作", None, 20, "宣传", "开展宣传（20分）。"],
        ["二、", "部门履职考核", None, 60, None, None],
        [1, "重点部门", "县城管局", 60, "生活垃圾治理", "垃圾分类（60分）"],
        [2, None, "县农业农村局", 30, "养殖污染控制", "台账（30分）"],
        [None, None, None, 15, "化肥减量", "示范点（15分）"],
        [None, None, None, 15, "渔业资源保护", "查处案件（15分）"],
        [3, None, "县经信局", 60, "工业污水防治", "设施（60分）"],
    ], ("B1:C1", "B2:C2", "B3:C3", "B4:C4", "B5:C5", "B6:B10", "A7:A9", "C7:C9"))
    items, problems, warnings = _read(p)
    assert [c for c in items if c.startswith("2")] == ["2", "2.1", "2.2", "2.2.1", "2.2.2", "2.2.3", "2.3"]
    assert items["2.1"]["title"] == "县城管局" and items["2.3"]["title"] == "县经信局"
    assert items["2.2"]["max_score"] == 60
    assert "重点部门" in items["2"]["scoring_rule"]
    assert problems == []
    assert any("各按 60 分考核" in w for w in warnings)


def test_a_scored_group_over_units_is_kept(tmp_path):
    """Guard: a group that states points of its own over units is a level, not a label."""
    p = _xlsx(tmp_path / "k.xlsx", [
        ["序号", "考核项目", None, "各项分值", "评分标准"],
        ["一、", "部门履职考核", None, 60, None],
        [1, "重点部门（60分）", "县城管局", 30, "垃圾分类"],
        [2, None, "县经信局", 30, "工业污水"],
    ], ("B1:C1", "B2:C2", "B3:B4"))
    items, _, _ = _read(p)
    assert "1.1" in items and items["1.1"]["max_score"] == 60
    assert items["1.1.1"]["title"] == "县城管局"


# --- score checks ---------------------------------------------------------------------------------


def test_a_block_whose_items_fall_short_names_its_row_and_its_items_rows_and_is_read(tmp_path):
    """Guard (held at edc245c too): a block stating 40 over items coming to 30: the table is read, and the
    problem names the block, both sums and the rows of its items."""
    p = _xlsx(tmp_path / "c.xlsx", [
        ["一级指标", "二级指标", "评分标准及验证方式"],
        ["安全生产（40）", "定期听取安全生产工作汇报（20分）", "1、未听取汇报的扣4分；\n2、未研究难点问题的扣4分"],
        [None, "危险化学品、烟花爆竹（10分）", "1.未排查出非法经营的每次扣3分"],
    ], ("A2:A3",))
    items, problems, _ = _read(p)
    assert sorted(items) == ["1", "1.1", "1.2"]
    assert len(problems) == 1
    assert "安全生产" in problems[0] and "40" in problems[0] and "30" in problems[0]
    assert "第 2" in problems[0] or "2 行" in problems[0] or "行 2" in problems[0]


# --- a points column beside a block that states its own points ------------------------------------


def test_equal_item_points_under_a_block_that_states_its_own_are_the_items(tmp_path):
    """考核项目 | 分值 | 考核内容: "组织保障（20分）" merged over two rows of 10分 each: the column holds
    the items' points (10 + 10 = 20), not the block's (before: the block read 10, its items none)."""
    p = _xlsx(tmp_path / "b.xlsx", [
        ["考核项目", "分值", "考核内容", "评分标准"],
        ["组织保障（20分）", "10分", "成立管护工作小组", "未成立扣10分"],
        [None, "10分", "落实管护经费", "未落实扣10分"],
    ], ("A2:A3",))
    items, problems, _ = _read(p)
    assert [(c, i["max_score"]) for c, i in items.items()] == [("1", 20), ("1.1", 10), ("1.2", 10)]
    assert problems == []


def test_a_repeated_value_equal_to_the_blocks_own_points_stays_the_blocks(tmp_path):
    """Guard: 项目分值 20 written on each row of a block "组织保障（20分）" is still the block's points."""
    p = _xlsx(tmp_path / "r.xlsx", [
        ["考核项目", "项目分值", "考核内容", "考核要点"],
        ["组织保障（20分）", 20, "成立管护工作小组（12分）", "有文件"],
        [None, 20, "落实管护经费（8分）", "有预算"],
    ], ("A2:A3",))
    items, problems, _ = _read(p)
    assert items["1"]["max_score"] == 20 and items["1.1"]["max_score"] == 12
    assert problems == []


# --- an unnamed points column; points closing a rule ----------------------------------------------


def test_an_unnamed_column_of_points_is_the_points_column(tmp_path):
    """项目 | 考核内容 | 评分标准 | (no name) holding "10分" merged down each block: the block's
    points; each item's rule closing on "（共2分）" / "（4分）" gives the item's points (before: no
    points anywhere)."""
    p = _xlsx(tmp_path / "n.xlsx", [
        ["项目", "考核内容", "评分标准", None],
        ["组\n织\n领\n导", "1、成立工作领导小组。", "没有成立的扣1分。（共4分）", "10分"],
        [None, "2、建立日常巡查制度。", "每少一项扣0.5分。（共6分）", None],
        ["队\n伍\n建\n设", "1、建立保洁员队伍。", "人数不足的扣1分（10分）", "10分"],
    ], ("A2:A3", "D2:D3"))
    items, problems, _ = _read(p)
    assert [(c, i["title"], i["max_score"]) for c, i in items.items()] == [
        ("1", "组织领导", 10), ("1.1", "成立工作领导小组", 4), ("1.2", "建立日常巡查制度", 6),
        ("2", "队伍建设", 10), ("2.1", "建立保洁员队伍", 10)]
    assert problems == []


def test_a_rule_listing_several_points_gives_its_item_none(tmp_path):
    """Guard: a rule cell listing requirements each with its points ("1、…（4分）；2、…（4分）") states
    no points for the item as a whole."""
    p = _xlsx(tmp_path / "m.xlsx", [
        ["序号", "考核指标", "评分标准"],
        [1, "落实领导责任", "1、调整领导分工（4分）；\n2、听取工作汇报（4分）"],
    ])
    items, _, _ = _read(p)
    assert items["1"]["max_score"] is None


def test_a_deduction_closing_on_points_beside_another_rule_column_stays_the_rule(tmp_path):
    """考核细则 | 考核方法, no points column, each 考核细则 a deduction closing on its item's points
    ("…酌情扣分。（共5分）"): the items are the level column's, the deduction their rule and its
    points theirs (before: the deductions were read as a third level of items)."""
    p = _xlsx(tmp_path / "d.xlsx", [
        ["考核项目", "考核内容", "考核细则", "考核方法"],
        ["组织领导（10分）", "成立工作专班", "未落实的不得分，部分落实的酌情扣分。（共5分）", "查阅资料"],
        [None, "制定实施方案", "未落实的不得分，部分落实的酌情扣分。（共5分）", "查阅资料"],
    ], ("A2:A3",))
    items, problems, _ = _read(p)
    assert [(c, i["max_score"]) for c, i in items.items()] == [("1", 10), ("1.1", 5), ("1.2", 5)]
    assert problems == []


def test_a_method_column_and_a_rule_column_are_both_the_rule(tmp_path):
    """考核方法 | 考核细则: how an item is checked and how it is scored are both its rule, and the
    points closing the 考核细则 are the item's (before: 考核细则 was dropped as a second rule column,
    and the items had no points)."""
    p = _xlsx(tmp_path / "m.xlsx", [
        ["一级指标", "二级指标", "考核方法", "考核细则"],
        ["一、基础工作", "①完善组织体系", "查阅资料", "未落实的不得分，部分落实的酌情扣分。（共1分）"],
        [None, "②强化督察督办", "现场查看", "未落实的不得分，部分落实的酌情扣分。（共3分）"],
    ], ("A2:A3",))
    items, _, _ = _read(p)
    assert [(c, i["max_score"]) for c, i in items.items()] == [("1", None), ("1.1", 1), ("1.2", 3)]
    assert "查阅资料" in items["1.1"]["scoring_rule"] and "酌情扣分" in items["1.1"]["scoring_rule"]
