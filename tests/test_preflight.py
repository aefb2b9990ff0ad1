"""Preflight (issue 7, item 1) on a real archive: every rule, blocking items first (veto
and key items first among missing evidence), per-framework limits, exit codes, the text
checklist, --json and the .xlsx opened back with openpyxl."""
from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from bundle_helpers import county_archive
from conftest import run_cli

from desktop.actions.preflight import run_preflight
from storage.bundle.preflight import preflight_limits, set_preflight_limits
from storage.catalogue.items import update_evidence_metadata
from storage.kernel.errors import BadInput

pytestmark = pytest.mark.backends

TODAY = dt.date(2025, 12, 1)


@pytest.fixture
def county(archive, tmp_path):
    ids = county_archive(archive, tmp_path)
    return archive, ids


def _by(report, category):
    return [i for i in report.items if i.category == category]


def test_rules_on_a_county_archive(county):
    archive, ids = county
    with archive.sessions.write() as s:
        set_preflight_limits(s, max_mb="0.2", formats="pdf, .DOCX,jpg,ofd")
    report = run_preflight(archive, TODAY)
    assert not report.ok
    sev = [i.severity for i in report.items]
    assert sev == sorted(sev, key=lambda x: x != "block"), "blocking items first"

    missing = _by(report, "missing_evidence")
    # 1.4 (veto) first; 1.3 has only an unreviewed photo; 1.1 and 1.2 have accepted evidence
    assert [i.indicator for i in missing] == ["1.4", "1.3"]
    assert "一票否决项" in missing[0].what and "有 1 份已收材料待审核" in missing[1].what
    assert missing[1].action == "审核已收到的材料"

    [size] = _by(report, "file_size")
    assert size.severity == "block" and size.evidence_id == ids["big"] and "超过上限 0.2 MB" in size.what
    [fmt] = _by(report, "file_format")
    assert fmt.evidence_id == ids["rar"] and fmt.file == "抽检数据.rar" and "不在省平台接受的格式内" in fmt.what

    merge = {i.evidence_id: i for i in _by(report, "not_mergeable")}
    assert set(merge) == {ids["ofd"], ids["rar"]}
    assert "OFD 文件无法预览" in merge[ids["ofd"]].what and merge[ids["ofd"]].severity == "warn"

    unreviewed = {i.evidence_id for i in _by(report, "unreviewed")}
    assert unreviewed == {ids["rar"], ids["photo"]}

    [dated] = _by(report, "evidence_date")
    assert dated.evidence_id == ids["photo"] and "晚于数据截止日期 2025-12-31" in dated.what
    assert "晚于评价期结束 2025-12-31" in dated.what

    [overdue] = _by(report, "overdue_duty")
    assert overdue.indicator == "1.3" and "质量月活动" in overdue.what and "县委宣传部" in overdue.action
    assert "已逾期 62 天" in overdue.what

    assert [i.indicator for i in _by(report, "veto")] == ["1.4"]
    assert _by(report, "veto")[0].severity == "warn" and "--veto clear" in _by(report, "veto")[0].action
    assert [i.indicator for i in _by(report, "self_score")] == []  # 1.1–1.3 scored, 1.4 veto

    too_long = _by(report, "name_too_long")
    assert any(i.evidence_id == ids["notice"] for i in too_long), too_long
    forbidden = {i.evidence_id for i in _by(report, "forbidden_chars")}
    assert ids["minutes"] in forbidden
    folder = [i for i in _by(report, "forbidden_chars") if i.evidence_id is None]
    assert folder and folder[0].indicator == "1.3" and "1.3 宣传：质量月？活动" in folder[0].action
    assert _by(report, "county") == [] and _by(report, "framework") == []


def test_key_items_before_other_missing_and_veto_violation_blocks(county):
    archive, ids = county
    with archive.sessions.write() as s:
        for key in ("notice", "minutes"):
            update_evidence_metadata(s, ids[key], status="returned")
        from storage.bundle.assessments import set_assessment

        set_assessment(s, "1.4", veto="violated")
    report = run_preflight(archive, TODAY)
    assert [i.indicator for i in _by(report, "missing_evidence")] == ["1.4", "1.1", "1.3"]
    [veto] = _by(report, "veto")
    assert veto.severity == "block" and "已发生" in veto.what


def test_limits_are_per_framework_and_validated(county):
    archive, _ = county
    with archive.sessions.write() as s:
        assert preflight_limits(s).max_mb == 50 and preflight_limits(s).formats == ()
        lim = set_preflight_limits(s, formats="PDF,jpg", path_budget=120)
        assert lim.formats == ("jpg", "pdf") and lim.path_budget == 120 and lim.max_mb == 50
        assert set_preflight_limits(s, max_mb="none").max_mb is None
        assert set_preflight_limits(s, formats="any").formats == ()
        assert preflight_limits(s, framework_id=999).path_budget == 160  # another framework
        for kw, zh in (({"max_mb": "大"}, "应为数字"), ({"max_mb": "-3"}, "应大于 0"),
                       ({"path_budget": "20"}, "40 到 259"), ({"formats": "p d f!"}, "扩展名")):
            with pytest.raises(BadInput) as err:
                set_preflight_limits(s, **kw)
            assert zh in err.value.zh


def test_cli_text_json_xlsx_and_exit_codes(county, tmp_path):
    archive, ids = county
    a = str(archive.root)
    r = run_cli("limits", "--max-mb", "0.2", "--formats", "pdf,docx,jpg,ofd", "--archive", a, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"max_mb": 0.2, "formats": ["docx", "jpg", "ofd", "pdf"], "path_budget": 160}
    r = run_cli("limits", "--path-budget", "9", "--archive", a)
    assert r.returncode == 2 and "路径长度上限应在 40 到 259 之间" in r.stderr

    xlsx = tmp_path / "检查清单.xlsx"
    r = run_cli("preflight", "--archive", a, "--today", "2025-12-01", "--xlsx", str(xlsx))
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("提交前检查：测试县质量强县评价指标（2025-12-01）")
    assert "限制：单个文件 ≤ 0.2 MB；格式：docx、jpg、ofd、pdf；路径长度 < 160" in lines[1]
    assert lines[3].startswith("✗ 1. [阻止提交·缺少佐证] 1.4 未发生重大质量安全事故（一票否决项）")
    assert "有阻止提交的问题" in lines[-2] and lines[-1] == f"检查清单已写入：{xlsx}"

    r = run_cli("preflight", "--archive", a, "--today", "2025-12-01", "--json")
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["ok"] is False and doc["blocks"] == 4 and doc["today"] == "2025-12-01"
    assert doc["limits"]["max_mb"] == 0.2
    first = doc["items"][0]
    assert set(first) == {"severity", "category", "what", "indicator", "evidence_id", "file", "action"}
    assert [i["category"] for i in doc["items"] if i["severity"] == "block"] == [
        "missing_evidence", "missing_evidence", "file_size", "file_format"]

    wb = openpyxl.load_workbook(xlsx)
    ws = wb["提交前检查"]
    assert ws["A1"].value == "提交前检查清单：测试县质量强县评价指标"
    assert [c.value for c in ws[3]] == ["序号", "级别", "类别", "问题", "指标", "佐证编号", "文件", "处理建议", "已处理"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert len(rows) == len(doc["items"])
    assert rows[0][:3] == [1, "阻止提交", "缺少佐证"] and rows[0][4] == "1.4"
    size_row = next(r for r in rows if r[2] == "文件过大")
    assert size_row[5] == ids["big"] and size_row[6] == "抽检结果汇总.pdf"
    assert ws.freeze_panes == "A4" and ws.page_setup.orientation == "landscape"
    assert ws["A4"].fill.fgColor.rgb.endswith("F8CBAD")


def test_clean_archive_exits_zero(county):
    archive, ids = county
    with archive.sessions.write() as s:
        from storage.bundle.assessments import set_assessment

        for key in ("rar", "photo"):
            update_evidence_metadata(s, ids[key], status="accepted", issue_date="2025-06-01")
        set_assessment(s, "1.4", veto="clear")
    from bundle_helpers import make_file

    from storage.catalogue.ingest import ingest_paths

    ingest_paths(archive, [make_file(archive.root.parent / "x" / "情况说明.pdf", "无事故")], indicator_code="1.4")
    with archive.sessions.write() as s:
        from sqlalchemy import func, select

        from storage.models import Evidence

        update_evidence_metadata(s, s.scalar(select(func.max(Evidence.id))), status="accepted")
    r = run_cli("preflight", "--archive", str(archive.root), "--today", "2025-06-01", "--json")
    assert r.returncode == 0, r.stdout
    doc = json.loads(r.stdout)
    assert doc["ok"] and doc["blocks"] == 0
    assert {i["category"] for i in doc["items"]} <= {"not_mergeable", "name_too_long", "forbidden_chars",
                                                    "renamed", "reserved_name"}
