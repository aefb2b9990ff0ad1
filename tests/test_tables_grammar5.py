"""Round 5 of issue 14: the grammar fixes the fifth held-out set (tests/data/corpus14/corpus_h5.py,
part held5a) showed, each on a small table or plan of our own wording. Every test here fails on
the importers as they were before round 5 (commit 77bc495), except the last, which guards the
new reading of several brackets in one task against glosses."""
from __future__ import annotations

from pathlib import Path

import docx
from table_helpers import xlsx as _xlsx

from storage.tables.assign import find_assignment, read_assignment
from storage.tables.framework_import import read_framework
from storage.tables.plan_import import import_plan
from storage.tables.textparse import clean_title


def _docx(path: Path, paras: list[str]) -> Path:
    d = docx.Document()
    for text in paras:
        d.add_paragraph(text)
    d.save(str(path))
    return path


# --- score sheets -----------------------------------------------------------------------------


def test_block_serials_written_with_their_comma_over_running_numbers(tmp_path):
    p = _xlsx(tmp_path / "s.xlsx", [
        ["序号", "考核项目", "各项分值", "负责考核部门"],
        ["一、", "组织保障", 6, None],
        [1, "成立工作专班", 4, "县质量办"],
        [2, "年度工作计划", 2, "县质量办"],
        ["二、", "品牌培育", 4, None],
        [3, "培育区域公用品牌", 4, "县市场监管局"],
    ])
    _, rep = read_framework(p)
    codes = {i["code"]: i["title"] for i in rep.items}
    assert codes == {"1": "组织保障", "1.1": "成立工作专班", "1.2": "年度工作计划",
                     "2": "品牌培育", "2.3": "培育区域公用品牌"}
    assert not rep.problems


def test_a_column_of_requirements_headed_like_indicators_is_the_rule(tmp_path):
    p = _xlsx(tmp_path / "s.xlsx", [
        ["序号", "考核项目", "各项分值", "考核指标", "负责考核部门"],
        ["一、", "制度建设", 5, None, None],
        [1, "建立联席会议制度", 3, "1.出台联席会议制度，得1分。\n2.全年召开会议不少于2次，得2分。", "县质量办"],
        [2, "落实工作经费", 2, "质量工作经费纳入年度财政预算，未纳入的扣2分。", "县财政局"],
        ["二、", "宣传引导", 3, "开展质量月活动，在县级以上媒体宣传报道不少于3篇。", "县委宣传部"],
    ])
    _, rep = read_framework(p)
    assert rep.mapping["columns"]["rule"][0]["header"] == "考核指标"
    assert [(i["code"], i["level"]) for i in rep.items] == [("1", 1), ("1.1", 2), ("1.2", 2), ("2", 1)]
    assert rep.items[1]["scoring_rule"].startswith("1.出台联席会议制度")

    # long indicator names that give or take no points stay the items (a guard)
    p2 = _xlsx(tmp_path / "s2.xlsx", [
        ["一级指标", "考核指标", "分值"],
        ["质量基础", "县级以上计量技术机构建设和社会公用计量标准建立完善情况", 3],
        [None, "企业主导或参与制修订国家标准、行业标准和团体标准的数量", 3],
    ], ("A2:A3",))
    _, rep2 = read_framework(p2)
    assert "rule" not in rep2.mapping["columns"] and [i["level"] for i in rep2.items] == [1, 2, 2]


def test_block_serials_over_two_level_columns_number_the_unit_rows(tmp_path):
    # 考核项目 printed over two columns: the general items span both, the per-department block
    # has a group column merged down and the departments beside it
    p = _xlsx(tmp_path / "s.xlsx", [
        ["序号", "考核项目", None, "各项分值", "考核内容"],
        ["一、", "共性指标", None, 20, None],
        [1, "组织领导", None, 12, "成立领导小组"],
        [2, "信息报送", None, 8, "按月报送工作进展"],
        ["二、", "个性指标", None, 80, None],
        [1, "重点部门", "县农业农村局", 80, "农产品质量安全抽检"],
        [2, None, "县住建局", 50, "工程质量监督"],
        [None, None, None, 30, "建筑市场执法"],
    ], ("B1:C1", "B2:C2", "B3:C3", "B4:C4", "B5:C5", "B6:B8", "A7:A8", "C7:C8"))
    _, rep = read_framework(p)
    titles = {i["code"]: i["title"] for i in rep.items}
    assert titles["1"] == "共性指标" and titles["1.1"] == "组织领导" and titles["1.2"] == "信息报送"
    assert titles["2"] == "个性指标"
    units = {t: c for c, t in titles.items() if t in ("县农业农村局", "县住建局")}
    assert units["县农业农村局"].endswith(".1") and units["县住建局"].endswith(".2")


# --- plans ------------------------------------------------------------------------------------


def test_an_implementing_body_label_on_a_line_of_its_own(archive, tmp_path):
    r = read_assignment("实施机构：县医疗保障局牵头，县卫生健康局、县税务局等部门配合")
    assert (r.lead, r.cooperating) == (["县医疗保障局"], ["县卫生健康局", "县税务局"])
    p = _docx(tmp_path / "p.docx", [
        "县高效办成“一件事”清单",
        "1.企业开办“一件事”。将设立登记、印章刻制、税务发票申领等事项集成办理。",
        "实施机构：县行政审批服务局牵头，县公安局、县税务局配合。",
        "2.医保报销“一件事”。异地就医备案与报销一次办结。",
        "实施主体：县医疗保障局、县卫生健康局",
    ])
    items = import_plan(archive, p, dry_run=True).items
    assert [(i["code"], i["lead"], i["cooperating"]) for i in items] == [
        ("1", ["县行政审批服务局"], ["县公安局", "县税务局"]),
        ("2", ["县医疗保障局"], ["县卫生健康局"]),
    ]


def test_measures_that_each_close_with_their_own_units():
    para = ("推行“一业一证”改革，压减审批材料（县行政审批服务局、县市场监管局）。"
            "建设涉企数据共享平台（县行政审批服务局、县大数据中心）。开展个体工商户分型帮扶（县市场监管局）。")
    found = find_assignment(para)
    assert found is not None
    assert found.reading.lead == ["县行政审批服务局"]
    assert found.reading.cooperating == ["县市场监管局", "县大数据中心"]
    assert "（" not in found.task and found.task.startswith("推行“一业一证”改革")
    assert found.span_texts(para) == ["县行政审批服务局、县市场监管局", "县行政审批服务局、县大数据中心",
                                      "县市场监管局"]


def test_a_bracket_that_glosses_a_word_mid_task_stays_in_the_text():
    para = "建立质量基础设施（NQI）一站式服务站点。推动服务向乡镇（街道）延伸（县市场监管局）。"
    found = find_assignment(para)
    assert found is not None
    assert (found.reading.lead, found.reading.cooperating) == (["县市场监管局"], [])
    assert "（NQI）" in found.task


def test_units_each_scored_out_of_their_block_are_not_added_together(tmp_path):
    p = _xlsx(tmp_path / "s.xlsx", [
        ["序号", "考核项目", None, "各项分值", "考核内容", "说明"],
        [None, "总分", None, 100, None, None],
        ["一、", "共性指标", None, 20, None, None],
        [1, "组织领导", None, 20, "成立领导小组", None],
        ["二、", "个性指标", None, 80, None, "各单位分别按80分考核"],
        [1, "重点部门", "县农业农村局", 80, "农产品质量安全抽检", None],
        [2, None, "县住建局", 50, "工程质量监督", None],
        [None, None, None, 30, "建筑市场执法", None],
    ], ("B1:C1", "B2:C2", "B3:C3", "B4:C4", "B5:C5", "B6:B8", "A7:A8", "C7:C8"))
    _, rep = read_framework(p)
    assert not rep.problems, [m.zh for m in rep.problems]
    assert any("个性指标" in m.zh and "各按 80 分" in m.zh for m in rep.warnings)
    assert rep.summary["computed_total"] == 100
    # a block whose units come to more than its points is still reported
    p2 = _xlsx(tmp_path / "s2.xlsx", [
        ["序号", "考核项目", None, "各项分值", "考核内容"],
        ["一、", "个性指标", None, 80, None],
        [1, "重点部门", "县农业农村局", 80, "农产品质量安全抽检"],
        [2, None, "县住建局", 60, "工程质量监督"],
    ], ("B1:C1", "B2:C2", "B3:B4"))
    _, rep2 = read_framework(p2)
    assert any("个性指标" in m.zh for m in rep2.problems)


# --- after held5b (measured once; these fixes were made looking at it) -------------------------


def test_headers_of_a_draft_standard_with_a_points_column_named_biaofen(tmp_path):
    p = _xlsx(tmp_path / "s.xlsx", [
        ["序号", "内容", "背景材料", "量化要求", "标分", "验收标准"],
        [1, "建立质量工作责任制", "文件、会议记录", None, 10, "有制度得4分，未执行扣6分"],
        [2, "开展质量提升专项行动", "工作方案、总结", "覆盖重点行业不少于3个", 20, "每少一个行业扣5分"],
    ])
    _, rep = read_framework(p)
    cols = rep.mapping["columns"]
    assert cols["score"][0]["header"] == "标分" and cols["rule"][0]["header"] == "验收标准"
    assert [(i["code"], i["title"], i["max_score"]) for i in rep.items] == [
        ("1", "建立质量工作责任制", 10), ("2", "开展质量提升专项行动", 20)]


def test_points_followed_by_how_they_are_taken():
    t = clean_title("一、辖区内安全生产事故（共60分，扣完为止）")
    assert t.score == 60 and t.text == "辖区内安全生产事故"
    assert clean_title("二、消防安全（10分，扣完为止）").score == 10


# --- after held5c (measured once; this fix was made looking at it) -----------------------------


def test_a_unit_heading_over_its_list_of_tasks(archive, tmp_path):
    p = _docx(tmp_path / "p.docx", [
        "县2025年质量工作责任清单",
        "县市场监督管理局",
        "主要承担以下工作：",
        "1.组织开展质量提升行动，年内培育县长质量奖企业不少于2家。",
        "2.完善计量、标准、认证认可等质量基础设施一站式服务。",
        "县农业农村局",
        "1.农产品质量安全例行监测合格率稳定在98%以上。",
        "县质量发展委员会办公室",
        "2025年3月1日",
    ])
    items = import_plan(archive, p, dry_run=True).items
    assert [(i["lead"], i["cooperating"]) for i in items] == [
        (["县市场监督管理局"], []), (["县市场监督管理局"], []), (["县农业农村局"], [])]
    assert items[0]["task"].startswith("组织开展质量提升行动")
