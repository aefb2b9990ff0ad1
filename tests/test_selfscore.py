"""Self-scores (issue 7, item 5): stored per indicator, validated against the maximum,
numeric targets compared with the value entered, veto items checked; CLI set/list."""
from __future__ import annotations

import json

import pytest
from conftest import run_cli
from sqlalchemy import select

from storage.bundle.assessments import compare_target, self_score_sheet, set_assessment
from storage.catalogue.frameworks import FrameworkSpec, IndicatorSpec, add_framework
from storage.kernel.errors import BadInput
from storage.models import AuditLog, IndicatorAssessment

pytestmark = pytest.mark.backends


@pytest.fixture
def scored(archive):
    with archive.sessions.write() as s:
        add_framework(s, FrameworkSpec(name="测试指标体系", total_score=10, indicators=[
            IndicatorSpec(code="1", title="质量发展理念", max_score=10, children=[
                IndicatorSpec(code="1.1", title="组织领导", max_score=3),
                IndicatorSpec(code="1.2", title="抽检合格率", max_score=4, is_key=True,
                              target_comparator=">=", target_value=95, target_unit="%",
                              target_text="合格率≥95%"),
                IndicatorSpec(code="1.3", title="投诉处理时限", max_score=3,
                              target_comparator="<=", target_value=7, target_unit="天"),
                IndicatorSpec(code="1.4", title="未发生重大质量安全事故", max_score=0, is_veto=True),
            ]),
        ]))
    return archive


def test_set_validate_and_read_back(scored):
    with scored.sessions.write() as s:
        row = set_assessment(s, "1.1", score="2.5", note="会议记录缺一次，扣0.5分")
        assert (row.self_score, row.deduction_note, row.max_score) == (2.5, "会议记录缺一次，扣0.5分", 3.0)
        row = set_assessment(s, "1.2", score=4, value="96.3%")
        assert row.target_state == "met" and row.actual_value == 96.3
        row = set_assessment(s, "1.3", value=9, description="平均处理 9 天")
        assert row.target_state == "not_met" and row.self_score is None
        set_assessment(s, "1.1", description="成立了领导小组")  # only what is given changes
    with scored.sessions.read() as s:
        sheet = self_score_sheet(s)
        assert [r.code for r in sheet.leaves] == ["1.1", "1.2", "1.3", "1.4"]
        by = {r.code: r for r in sheet.rows}
        assert by["1.1"].self_score == 2.5 and by["1.1"].description == "成立了领导小组"
        assert by["1.1"].deduction_note == "会议记录缺一次，扣0.5分"
        assert by["1.4"].veto_state == "unchecked" and by["1.4"].is_veto
        assert by["1"].is_leaf is False
        assert sheet.max_total == 10 and sheet.self_total == 6.5
        assert [r.code for r in sheet.unscored] == ["1.3"]
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "indicator_assessment")).all()
        assert len(audit) >= 4


@pytest.mark.parametrize("code,kw,zh,en", [
    ("1.1", {"score": "3.5"}, "超过指标 1.1 的分值 3", "above the maximum 3"),
    ("1.1", {"score": "-1"}, "不能小于 0", "cannot be below 0"),
    ("1.1", {"score": "三分"}, "自评得分应为数字", "must be a number"),
    ("1.1", {"score": "1.255"}, "最多保留两位小数", "two decimals"),
    ("1.4", {"score": "1"}, "超过指标 1.4 的分值 0", "above the maximum"),
    ("1", {"score": "1"}, "只能为末级指标自评", "leaf indicators only"),
    ("9.9", {"score": "1"}, "没有编号为“9.9”的指标", "no indicator with code '9.9'"),
    ("1.1", {"veto": "clear"}, "不是一票否决项", "not a veto item"),
    ("1.2", {"value": "很高"}, "实际值应为数字", "actual value must be a number"),
])
def test_bad_input_is_refused_with_nothing_written(scored, code, kw, zh, en):
    with pytest.raises(BadInput) as err:
        with scored.sessions.write() as s:
            set_assessment(s, code, **kw)
    assert zh in err.value.zh and en in err.value.en
    with scored.sessions.read() as s:
        assert s.scalars(select(IndicatorAssessment)).all() == []


def test_veto_check_and_clear(scored):
    with scored.sessions.write() as s:
        assert set_assessment(s, "1.4", veto="clear").veto_state == "clear"
        assert set_assessment(s, "1.4", veto="violated").veto_state == "violated"
        assert set_assessment(s, "1.4", value=0).veto_state == "clear"
        row = set_assessment(s, "1.4", clear=True)
        assert row.veto_state == "unchecked" and not row.assessed


def test_compare_target_all_comparators():
    assert compare_target(">=", 95, 95) == "met" and compare_target(">", 95, 95) == "not_met"
    assert compare_target("<", 7, 6.9) == "met" and compare_target("<=", 7, 7.01) == "not_met"
    assert compare_target("=", 0, 0) == "met" and compare_target("=", 0, 1) == "not_met"
    assert compare_target(">=", 95, None) == "unknown" and compare_target(None, None, 3) == ""


def test_cli_set_and_list(scored):
    a = str(scored.root)
    r = run_cli("score", "set", "1.2", "--score", "3", "--value", "94", "--note", "合格率未达目标",
                "--archive", a)
    assert r.returncode == 0, r.stderr
    assert "自评得分 3" in r.stdout and "未达标" in r.stdout
    r = run_cli("score", "set", "1.4", "--veto", "clear", "--archive", a)
    assert r.returncode == 0 and "未发生" in r.stdout
    r = run_cli("score", "set", "1.1", "--score", "5", "--archive", a)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("错误：自评得分 5 超过指标 1.1 的分值 3") and "(error: self score 5" in r.stderr
    r = run_cli("score", "set", "1.1", "--archive", a)
    assert r.returncode == 2 and "至少给出" in r.stderr
    r = run_cli("score", "list", "--json", "--archive", a)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["self_total"] == 3 and doc["max_total"] == 10 and doc["scored"] == 1
    rows = {x["code"]: x for x in doc["rows"]}
    assert rows["1.2"]["target_state"] == "not_met" and rows["1.2"]["deduction_note"] == "合格率未达目标"
    assert rows["1.4"]["veto_state"] == "clear"
    r = run_cli("score", "list", "--archive", a)
    assert "合计：分值 10，自评得分 3" in r.stdout and "[未发生]" in r.stdout
