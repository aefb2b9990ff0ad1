"""Relative-weight tables (issue 14, follow-up): a 权重 column, or the items of a block whose
scores sum to 100 (or 1) rather than to the block's own score, are checked as weights, not
added up as points. Layout of the tables: a public repository's 项目支出绩效评价表 pages
(hktianyi/Meeting, admin/src/main/webapp/WEB-INF/views/task/kpi/*.jsp: 一级指标 | 权重 |
二级指标 | 分值 | 三级指标 | 分值, merged blocks); the numbers are ours."""
from __future__ import annotations

from pathlib import Path

import openpyxl

from storage.tables.framework_import import read_framework


def _table(path: Path, weight_header: str = "权重", first_weights: tuple[int, int] = (50, 50),
           block_scores: tuple[int, int] = (75, 25)) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目支出绩效评价表"])
    ws.append(["一级指标", weight_header, "二级指标", "分值", "三级指标", "计量单位", "分值"])
    a, b = block_scores
    rows = [
        ["预算绩效", first_weights[0], "预算管理", a, "预算执行进度", "%", a - 25],
        [None, None, None, None, "结转结余资金率", "%", 25],
        [None, None, "财务管理", b, "用款计划差错率", "%", b],
        ["项目效果", first_weights[1], "经济效益", 40, "是否对地方经济作出贡献", "是/否", 5],
        [None, None, "社会效益", 60, "是否有效预防疾病传入", "是/否", 5],
    ]
    for r in rows:
        ws.append(r)
    for rng in ("A3:A5", "B3:B5", "C3:C4", "D3:D4", "A6:A7", "B6:B7"):
        ws.merge_cells(rng)
    wb.save(path)
    return path


def test_weights_are_checked_as_weights_not_points(tmp_path):
    parsed, rep = read_framework(_table(tmp_path / "w.xlsx"))
    assert [m.zh for m in rep.problems] == []
    assert any("权重" in m.zh for m in rep.warnings)
    assert rep.summary["total_score"] == 100
    tops = parsed.root.children
    assert [(n.title, n.score, n.is_weight) for n in tops] == [("预算绩效", 50, True), ("项目效果", 50, True)]


def test_block_of_scores_summing_to_100_under_a_scored_item_is_weights(tmp_path):
    # headed 分值, not 权重: 75 + 25 = 100 under 预算绩效 50 are still the block's weights
    _, rep = read_framework(_table(tmp_path / "w.xlsx", weight_header="分值"))
    assert not any("预算绩效" in m.zh for m in rep.problems), [m.zh for m in rep.problems]
    assert not any("经济效益" in m.zh for m in rep.problems), [m.zh for m in rep.problems]


def test_weights_that_do_not_add_up_are_reported(tmp_path):
    _, rep = read_framework(_table(tmp_path / "w.xlsx", first_weights=(50, 40)))
    assert any("权重不一致" in m.zh and "90" in m.zh for m in rep.problems), [m.zh for m in rep.problems]


def test_points_that_do_not_add_up_are_still_reported(tmp_path):
    # 预算管理 75 whose items sum to 70 (points under a weight block) is not a weight error
    # but 70 + 25 = 95 under 预算绩效 50: neither weights (not 100) nor points (not 50)
    _, rep = read_framework(_table(tmp_path / "w.xlsx", weight_header="分值", block_scores=(70, 25)))
    assert any("预算绩效" in m.zh for m in rep.problems), [m.zh for m in rep.problems]
