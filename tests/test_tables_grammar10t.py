"""Round 9 of issue 14 (helper A8): the table-grammar fixes that held-out set 10t
(tests/data/corpus14/corpus_h10t.py, part held10a) showed, and the two left from round 8 (points
per type in several columns; the per-department block), each on a small sheet of our own wording.
Each fix test fails on the importers as they were at c9ec31d."""
from __future__ import annotations

from pathlib import Path

from table_helpers import xlsx as _xlsx

from storage.tables.duties_import import import_duties
from storage.tables.framework_import import read_framework


def _read(path: Path) -> tuple[dict[str, dict], list[str], list[str]]:
    _, rep = read_framework(path)
    return {i["code"]: i for i in rep.items}, [m.zh for m in rep.problems], [m.zh for m in rep.warnings]


# --- scoring points under one merged item ------------------------------------------------------


def test_scored_rows_under_one_merged_item_are_its_scoring_points(tmp_path):
    """序号 1 and its 考评内容 merged over three rows, each row with its own points and its own
    deduction: the item scores the sum (6 + 5 + 5 = 16), no deduction becomes an item, and no
    "two different scores" problem (before: 5, the last row's, and a problem)."""
    p = _xlsx(tmp_path / "x.xlsx", [
        ["序号", "考评内容", "分值", "评分标准", "考评方式"],
        [1, "落实防火安全责任制。", "6分", "未制定年度防火目标的扣6分。", "查阅资料"],
        [None, None, "5分", "未签订防火责任书的扣5分。", None],
        [None, None, "5分", "未督促检查责任落实的扣5分。", None],
        [2, "建设公共消防设施。", "8分", "设施缺一项扣2分。", "实地查看"],
    ], ("A2:A4", "B2:B4", "E2:E4"))
    items, problems, _ = _read(p)
    assert sorted(items) == ["1", "2"]
    assert items["1"]["max_score"] == 16 and items["2"]["max_score"] == 8
    assert "未签订防火责任书" in items["1"]["scoring_rule"]
    assert problems == []


def test_a_row_naming_its_own_item_still_reports_two_scores(tmp_path):
    """Guard: the same title typed again on a row of its own (not a merged cell) with other
    points is still reported, not summed."""
    p = _xlsx(tmp_path / "g.xlsx", [
        ["序号", "考评内容", "分值", "评分标准"],
        [1, "落实防火安全责任制。", 6, "未制定的扣6分。"],
        [None, "落实防火安全责任制。", 5, "未签订的扣5分。"],
    ])
    items, problems, _ = _read(p)
    assert items["1"]["max_score"] != 11
    assert any("前后不一致" in t for t in problems)


# --- 责任单位 beside 配合单位 -------------------------------------------------------------------


def test_every_unit_of_a_zeren_column_beside_a_peihe_column_leads(archive, tmp_path):
    """序号 | 项目 | 责任单位 | 配合单位 with "市经委\\n市城管局" in 责任单位: both lead (before: the
    first led and the second became a cooperating unit); a 责任单位 cell that marks its own roles
    ("市水利局牵头，市农业局配合") keeps them."""
    p = _xlsx(tmp_path / "d.xlsx", [
        ["序号", "项目", "标准分", "责任单位", "配合单位"],
        [1, "节水型企业覆盖率", 3, "市经委\n市城管局", "各区政府\n市教育局"],
        [2, "城市供水管网漏损率", 10, "市城管局", "鄞州区政府"],
        [3, "再生水利用率", 5, "市水利局牵头，市农业局配合", "市财政局"],
    ])
    items = import_duties(archive, p, dry_run=True).items
    assert items[0]["lead"] == ["市经委", "市城管局"] and items[0]["cooperating"] == ["各区政府", "市教育局"]
    assert items[1]["lead"] == ["市城管局"] and items[1]["cooperating"] == ["鄞州区政府"]
    assert items[2]["lead"] == ["市水利局"] and set(items[2]["cooperating"]) == {"市农业局", "市财政局"}


# --- points per type in several columns --------------------------------------------------------

_TYPES = [
    ["河湖评分标准（河流）", None, None, None, None, None, None],
    ["序号", "要素", "指标", "指标分值", None, None, None],
    [None, None, None, "行洪河道", None, "排沥河道", None],
    [None, None, None, "城区段", "郊野段", "城区段", "郊野段"],
    [1, "河道通畅（12分）", "堤防达标", 5, 4, None, None],
    [2, None, "岸坡稳定", 4, 4, 6, 6],
    [3, None, "水工建筑物运行", 3, 4, 6, 6],
    [4, "岸线管控（10分）", "四乱清理", 6, 6, 5, 5],
    [5, None, "排污口规范", 4, 3, 5, 5],
]
_TYPE_MERGES = ("A1:G1", "A2:A4", "B2:B4", "C2:C4", "D2:G2", "D3:E3", "F3:G3", "B5:B7", "B8:B9")


def test_points_per_type_are_never_added_together(tmp_path):
    """One points column per river type and section: the item keeps its first stated column's
    points, every column's points stay readable in its rule, each column is checked alone
    against its block (before: 4 columns overwrote each other and the block's check added them
    up wrong), and a warning names the type columns."""
    items, problems, warnings = _read(_xlsx(tmp_path / "t.xlsx", _TYPES, _TYPE_MERGES))
    assert items["1.1"]["max_score"] == 5 and items["1.2"]["max_score"] == 4
    assert "分值（按类型）：行洪河道·城区段 5；行洪河道·郊野段 4" in items["1.1"]["scoring_rule"]
    assert "排沥河道·郊野段 6" in items["1.3"]["scoring_rule"]
    # block 1 comes to 12 in every column; block 2 comes to 10 in 行洪·城区 and 排沥 only
    assert len(problems) == 1, problems
    assert "行洪河道·郊野段" in problems[0] and "第 8、9 行" in problems[0] and "9 分" in problems[0]
    assert any("按类型分别计分" in w for w in warnings)


def test_two_points_columns_of_different_levels_are_no_types(tmp_path):
    """Guard: 一级分值 beside the level-1 column and 分值 beside the level-2 column are points of
    two levels, checked as before (children against their parent)."""
    p = _xlsx(tmp_path / "g.xlsx", [
        ["一级指标", "一级分值", "二级指标", "分值"],
        ["组织保障", 10, "成立专班", 4],
        [None, None, "落实经费", 5],
    ], ("A2:A3", "B2:B3"))
    items, problems, warnings = _read(p)
    assert items["1"]["max_score"] == 10 and items["1.2"]["max_score"] == 5
    assert any("下级指标合计 9" in t for t in problems)
    assert not any("按类型" in w for w in warnings)


# --- the per-department block --------------------------------------------------------------------


def test_a_department_block_without_its_own_points_is_out_of_the_blocks(tmp_path):
    """部门差异考核 60 over three departments each scored out of 60; the second states its items'
    points only (30 + 15 + 15): it comes to 60 like the others (before: no points of its own),
    the departments are not added together, and nothing is reported."""
    p = _xlsx(tmp_path / "s.xlsx", [
        ["序号", "考核项目", None, "各项分值", "考核内容", "评分标准"],
        ["一、", "部门差异考核", None, 60, None, None],
        [1, "重点部门", "县农业局", 60, "农村垃圾治理", "试点（20分）；保洁（40分）。"],
        [2, None, "县林业局", 30, "林地保护", "查处案件（30分）。"],
        [None, None, None, 15, "防火巡查", "巡查记录（15分）。"],
        [None, None, None, 15, "有害生物防治", "防治面积（15分）。"],
        [3, None, "县工信局", 60, "工业污水治理", "在线监测（60分）。"],
    ], ("B1:C1", "B2:C2", "B3:B7", "A4:A6", "C4:C6"))
    items, problems, warnings = _read(p)
    by_title = {i["title"]: i for i in items.values()}
    assert by_title["县林业局"]["max_score"] == 60
    assert by_title["县农业局"]["max_score"] == 60 and by_title["县工信局"]["max_score"] == 60
    assert problems == []
    assert any("不相加" in w for w in warnings)


# --- forms batch v4 (variants.py --forms v4, seed 909) ---------------------------------------------


def test_letter_paths_written_with_hyphens(tmp_path):
    """A / A-1 / A-1-2, in a code column or opening the names, are the letter's dotted path (A.1,
    A.1.2), kept as stated (before: renumbered 1.1, 1.1.1)."""
    p = _xlsx(tmp_path / "c.xlsx", [
        ["指标编号", "考核内容", "分值"],
        ["A", "组织保障", None],
        ["A-1", "成立工作专班", 4],
        ["A-2", "落实工作经费", 6],
        ["B", "宣传培训", None],
        ["B-1", "开展业务培训", 8],
    ])
    items, _, _ = _read(p)
    assert sorted(items) == ["A", "A.1", "A.2", "B", "B.1"]
    assert items["A.2"]["title"] == "落实工作经费" and items["A.2"]["level"] == 2
    q = _xlsx(tmp_path / "t.xlsx", [
        ["考核项目", "考核内容", "考核要点", "分值"],
        ["A 组织管理", "A-1 机构", "A-1-1 设置档案管理机构", 1],
        [None, None, "A-1-2 建立集中统一管理体系", 1],
    ], ("A2:A3", "B2:B3"))
    items, _, _ = _read(q)
    assert sorted(items) == ["A", "A.1", "A.1.1", "A.1.2"] and items["A.1.2"]["title"] == "建立集中统一管理体系"


def test_roman_numerals_number_blocks(tmp_path):
    """Ⅰ、 / Ⅱ、 open level-1 blocks like 一、 (before: the name kept the numeral, or the rows
    under a block became its siblings); Ⅲ—2 stays a level-and-sequence mark."""
    p = _xlsx(tmp_path / "r.xlsx", [
        ["考核项目", "评分标准", "分值"],
        ["Ⅰ、政策制度（20分）", None, None],
        ["1.列入重要议事日程", "未列入不得分。", "10分"],
        ["2.建立长效机制", "未建立不得分。", "10分"],
        ["Ⅱ、水资源保护（10分）", None, None],
        ["1.编制保护计划", "未编制不得分。", "10分"],
    ])
    items, problems, _ = _read(p)
    assert sorted(items) == ["1", "1.1", "1.2", "2", "2.1"]
    assert items["2"]["title"] == "水资源保护" and items["2.1"]["title"] == "编制保护计划"
    assert problems == []


def test_points_written_in_the_name_cell(tmp_path):
    """No points column: each item's points close its name ("…计划 2分", "…信息\\n5分", "…审计（2）");
    a 计 inside a word (计划, 审计) is no scoring rule, "扣2分" still is."""
    p = _xlsx(tmp_path / "n.xlsx", [
        ["考核项目", "考核内容", "评分标准"],
        ["政策制度", "编制河湖保护计划 2分", "未编制不得分。"],
        [None, "设立公示牌并公开信息\n5分", "未设立不得分。"],
        [None, "推行资产离任审计（3）", "未推行不得分。"],
        ["宣传培训", "组织业务培训（满分4分）", "少一次扣1分。"],
    ], ("A2:A4",))
    items, _, _ = _read(p)
    assert [items[c]["max_score"] for c in ("1.1", "1.2", "1.3", "2.1")] == [2, 5, 3, 4]
    assert items["1.1"]["title"] == "编制河湖保护计划" and items["1.3"]["title"] == "推行资产离任审计"


def test_a_name_broken_over_lines_before_its_points_is_one_word(tmp_path):
    """"完善组\\n织体系（1）": the short name before its points is one word (before: "完善组 织体系")."""
    p = _xlsx(tmp_path / "b.xlsx", [
        ["考核项目", "考核内容", "评分标准"],
        ["基础工作", "完善组\n织体系（1）", "未完善不得分。"],
        [None, "强化督\n察督办（3分）", "未督办不得分。"],
    ], ("A2:A3",))
    items, _, _ = _read(p)
    assert items["1.1"]["title"] == "完善组织体系" and items["1.2"]["title"] == "强化督察督办"
    assert items["1.2"]["max_score"] == 3


def test_a_points_column_repeated_down_each_block_is_the_blocks(tmp_path):
    """考核项目 | 项目分值 | 考核内容 | 考核要点 with 项目分值 written on every row of its block and the
    items' points in their names: the column is the block's points (before: each item got the
    block's 20) and 考核要点 stays a level (before: dropped as a note right of the points)."""
    p = _xlsx(tmp_path / "p.xlsx", [
        ["考核项目", "项目分值", "考核内容", "考核要点", "评分标准"],
        ["组织管理", "4分", "机构（2分）", "设置档案管理机构 1分", "未设置不得分。"],
        ["组织管理", "4分", "机构（2分）", "建立集中统一管理体系 1分", "未建立不得分。"],
        ["组织管理", "4分", "人员（2分）", "明确分管领导 2分", "未明确不得分。"],
    ])
    items, problems, _ = _read(p)
    assert items["1"]["max_score"] == 4 and items["1.1"]["max_score"] == 2
    assert items["1.1.2"]["max_score"] == 1 and items["1.2.1"]["max_score"] == 2
    assert problems == []


def test_a_two_row_header_printed_again_without_its_merges_continues_the_table(tmp_path):
    """Sheet 2 repeats the header in two rows but without the merged cells (考核指标 over the first
    level column only): it continues sheet 1 (before: read as a table of its own, its blocks lost)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["考核指标", None, "考核评分", None], ["一级指标", "二级指标", "考核方法", "评分标准"],
                ["政策制度", "列入议事日程 10分", "查阅资料", "未列入不得分。"],
                [None, "建立长效机制 5分", "现场检查", "未建立不得分。"]]:
        ws.append(row)
    for rng in ("A1:B1", "C1:D1", "A3:A4"):
        ws.merge_cells(rng)
    ws2 = wb.create_sheet("续表")
    for row in [["考核指标", None, "考核评分", None], ["一级指标", "二级指标", "考核方法", "评分标准"],
                ["岸线保护", "建立防汛责任体系 5分", "查阅资料", "未建立不得分。"],
                [None, "落实度汛措施 10分", "现场检查", "未落实不得分。"]]:
        ws2.append(row)
    ws2.merge_cells("A3:A4")
    p = tmp_path / "two.xlsx"
    wb.save(p)
    items, _, _ = _read(p)
    assert sorted(items) == ["1", "1.1", "1.2", "2", "2.1", "2.2"]
    assert items["2"]["title"] == "岸线保护"


# --- held10b (measured clean once, then fixed) ---------------------------------------------------


def test_a_xiezhu_column_names_the_helping_units(archive, tmp_path):
    """责任单位 | 协助单位: the 协助单位 column names cooperating units, 禁毒大队 among them (before:
    the column was not read at all)."""
    p = _xlsx(tmp_path / "x.xlsx", [
        ["具体项目", "具体内容", "责任单位", "协助单位"],
        ["工程攻坚（2.5分）", "全县初中以上学校项目达标率达到100%。", "县教育局", "县禁毒办、禁毒大队"],
        [None, "乡镇（街道）项目达标率达到80%以上。", "县教育局", "县禁毒办、禁毒大队"],
    ], ("A2:A3",))
    items = import_duties(archive, p, dry_run=True).items
    assert [(i["lead"], i["cooperating"]) for i in items] == [(["县教育局"], ["县禁毒办", "禁毒大队"])] * 2


def test_a_last_column_of_sentences_that_never_divides_its_item_describes_it(tmp_path):
    """序号 | 项目 | 小项内容 | 具体内容 | 分值 | 打分方法: 具体内容 gives each 小项 one sentence of its own;
    it describes the item (its rule text), it is no third level, and the 序号 running on over the
    blocks numbers the items as stated (5 under the second block is 2.5). Before: a third level,
    the points on it, and the items renumbered 2.1…"""
    p = _xlsx(tmp_path / "d.xlsx", [
        ["序号", "项目", "小项内容", "具体内容", "分值", "打分方法"],
        [1, "组织领导（4分）", "强化组织领导", "以政府名义开会研究部署创建工作。", 1, "每开一次得0.5分。"],
        [2, None, "成立领导小组", "成立创建领导小组和工作专班。", 3, "成立的得1分，有专班的得2分。"],
        [3, "宣传教育（9分）", "知识知晓率", "全民禁毒知识知晓率超过95%。", 5, "超过95%得3分。"],
        [4, None, "专题教育", "中小学落实禁毒专题教育不少于4课时。", 4, "每一所不合格扣1分。"],
    ], ("B2:B3", "B4:B5"))
    items, problems, _ = _read(p)
    assert sorted(items) == ["1", "1.1", "1.2", "2", "2.3", "2.4"]
    assert items["2.3"]["title"] == "知识知晓率" and items["2.3"]["max_score"] == 5
    assert "不少于4课时" in items["2.4"]["scoring_rule"]
    assert problems == []


def test_a_described_level_named_by_rank_stays_a_level(tmp_path):
    """Guard: 二级指标 | 三级指标 with one 三级 sentence per 二级 keeps the third level (its header
    names the rank)."""
    p = _xlsx(tmp_path / "g.xlsx", [
        ["一级指标", "二级指标", "三级指标", "分值"],
        ["质量基础", "计量", "建立计量检定体系。", 4],
        [None, "标准", "主导制定地方标准。", 6],
    ], ("A2:A3",))
    items, _, _ = _read(p)
    assert "1.1.1" in items and items["1.1.1"]["level"] == 3


def test_yipiao_foujue_in_the_points_column_marks_a_veto_item(tmp_path):
    """分数 "一票否决" (merged down the item's standard lines): the item is a veto item, states no
    points, and no "not a number" warning (before: a warning and no veto)."""
    p = _xlsx(tmp_path / "v.xlsx", [
        ["指标分类", "指标名称", "考核内容（指标标准）", "评分标准", "分数"],
        ["基本条件", "法规制度健全", "有城市节水管理法规和长效机制。", "有节水法规及规范性文件。", "一票否决"],
        [None, None, None, "有节水奖惩办法和台帐。", None],
        [None, "节水机构规范", "设立节水管理机构，职责明确。", "有机构设置文件。", "一票否决"],
    ], ("A2:A4", "B2:B3", "C2:C3", "E2:E3"))
    items, _, warnings = _read(p)
    assert sorted(items) == ["1", "1.1", "1.2"]
    assert items["1.1"]["is_veto"] and items["1.2"]["is_veto"] and items["1.1"]["max_score"] is None
    assert not any("不是数字" in w for w in warnings)


def test_sign_off_lines_under_the_table_are_no_items(tmp_path):
    """"被考核人： | 考核人：" and "施工单位：某公司" under the 合计 row are the form's fields (before:
    an item 6 named 施工单位：…)."""
    p = _xlsx(tmp_path / "s.xlsx", [
        ["序号", "考核内容", "扣分标准", "应得分数"],
        [1, "安全技术管理", "未提出预防措施的扣10分。", 60],
        [2, "目标管理", "未制定目标管理计划的扣40分。", 40],
        ["合计", None, None, 100],
        ["被考核人：", None, "考核人：", None],
        ["施工单位：某建筑工程有限公司", None, None, None],
    ], ("A6:D6",))
    items, _, _ = _read(p)
    assert sorted(items) == ["1", "2"]


def test_who_scores_or_gives_data_is_no_unit_of_the_work(archive, tmp_path):
    """评分牵头单位 / 考核主体 / 数据来源单位 name who scores or gives data: a note, never a unit of
    the work (before: 评分牵头单位 a rule, the others unread); 协同部门 / 参与部门 help, 责任科室 /
    主办单位 are responsible. (考核牵头部门 stays a lead column, as the 质量工作考核 sheets mean it.)"""
    from storage.tables.columns import match_role

    words = ("评分牵头单位", "考核主体", "数据来源单位", "责任考核单位")
    assert {t: match_role(t) for t in words} == dict.fromkeys(words, "notes")
    assert match_role("考核牵头部门") == "lead"
    assert match_role("协同部门") == match_role("参与部门") == "cooperating"
    assert match_role("责任科室") == match_role("主办单位") == "departments"
    p = _xlsx(tmp_path / "d.xlsx", [
        ["序号", "工作任务", "责任单位", "协同部门", "数据来源单位"],
        [1, "开展质量提升行动。", "县市场监管局", "县工信局、县农业农村局", "县委督查室"],
    ])
    items = import_duties(archive, p, dry_run=True).items
    assert items[0]["lead"] == ["县市场监管局"] and items[0]["cooperating"] == ["县工信局", "县农业农村局"]
    assert "县委督查室" in (items[0]["notes"] or "")


def test_a_column_of_targets_beside_the_last_level_describes_it(tmp_path):
    """一级 | 二级 | 三级指标 | 评估内容 (≥200张, ≥3800人次, a numbered list) | 评分标准 | 分值: the targets
    describe the 三级 items, which keep their points (before: a fourth level holding the points)."""
    p = _xlsx(tmp_path / "t.xlsx", [
        ["一级指标", "二级指标", "三级指标", "评估内容", "评分标准", "分值"],
        ["1.基本条件（3分）", "1.1医院条件", "1.1.1总床位数", "≥200张", "符合得1分。", 1],
        [None, None, "1.1.2年收治病人数", "≥3800人次", "符合得1分。", 1],
        [None, None, "1.1.3科室设置", "1.必备科室齐全\n2.辅助科室齐全", "缺1个不得分。", 1],
    ], ("A2:A4", "B2:B4"))
    items, problems, _ = _read(p)
    assert sorted(items) == ["1", "1.1", "1.1.1", "1.1.2", "1.1.3"]
    assert items["1.1.1"]["max_score"] == 1 and "≥200张" in items["1.1.1"]["scoring_rule"]
    assert problems == []
