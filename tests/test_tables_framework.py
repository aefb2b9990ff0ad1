"""Framework import from tables as they really arrive (domain.md "Tables as they really arrive")."""
from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest
from conftest import run_cli
from sqlalchemy import func, select
from test_tables_fixtures import framework_table, numbered_table, score_merged_table, taizhou_table

from storage.models import AuditLog, Evidence, EvidenceIndicator, Framework, Indicator
from storage.tables.framework_import import import_framework, read_framework

pytestmark = pytest.mark.backends


def _tree(archive):
    with archive.sessions.read() as s:
        return {
            i.code: i
            for i in s.scalars(select(Indicator).order_by(Indicator.id))
        }


def test_title_rows_two_row_merged_header_and_vertical_merges(archive, tmp_path):
    rep = import_framework(archive, framework_table(tmp_path / "f.xlsx"))
    assert rep.written and rep.mapping["header_rows"] == [3, 4]
    cols = {k: [c["column"] for c in v] for k, v in rep.mapping["columns"].items()}
    assert cols["level1"] == ["B"] and cols["level2"] == ["C"] and cols["level3"] == ["D"]
    assert cols["lead"] == ["G"] and cols["cooperating"] == ["H"] and cols["score"] == ["E"]
    assert "I" not in json.dumps(rep.mapping)  # the hidden column is not read
    t = _tree(archive)
    assert t["1"].title == "质量发展理念" and t["1"].level == 1
    # level-2 merged over two rows: both level-3 rows hang under it
    assert t["1.1.2"].parent_id == t["1.1"].id and t["1.2.4"].parent_id == t["1.2"].id
    with archive.sessions.read() as s:
        fw = s.scalar(select(Framework))
        assert fw.name == "测试省质量强县评价指标体系（测试用）"  # the title row, not "附件1"
        assert fw.total_score == Decimal(20)
        assert str(fw.data_cutoff) == "2022-12-31"  # from the note row


def test_scores_from_text_and_column_keys_targets(archive, tmp_path):
    import_framework(archive, framework_table(tmp_path / "f.xlsx"))
    t = _tree(archive)
    assert t["1"].max_score == 10 and t["1.1"].max_score == 6 and t["1.2"].max_score == 4  # "(10分)", "（6分）"
    assert t["1.1.1"].max_score == 4 and t["1.1.1"].is_key and t["1.1.1"].title == "建立质量工作机制"  # ★
    # codes as the table states them (issue 14): "（三）" under "二、" is 2.3, and level-3
    # numbers 1.–6. run on across the level-2 blocks, so "*6.人才保障" is 2.3.6
    assert t["2.3.6"].is_key and t["2.3.6"].title == "人才保障"  # *
    assert (t["1.2.3"].target_comparator, t["1.2.3"].target_value, t["1.2.3"].target_unit) == (">=", 94, "%")
    assert t["1.2.3"].title == "开展质量月活动"  # full-width "３．" numbering stripped
    assert (t["2.3.6"].target_comparator, t["2.3.6"].target_value) == (">=", 100)  # 达到100%
    assert "制定方案得2分" in t["1.1.1"].scoring_rule


def test_veto_section_hidden_blank_note_and_total_rows(archive, tmp_path):
    rep = import_framework(archive, framework_table(tmp_path / "f.xlsx"))
    reasons = {r["row"]: r["reason"] for r in rep.skipped}
    assert reasons == {8: "隐藏行", 10: "空行", 13: "分节行", 15: "合计行", 16: "注释行"}
    t = _tree(archive)
    assert t["3"].is_veto and t["3"].title == "一票否决项" and t["3.1"].is_veto
    assert t["3.1"].title == "发生重大质量安全事故" and t["3.1"].max_score is None
    assert not any("旧指标" in i.title for i in t.values())
    assert not rep.problems


def test_score_mismatch_is_reported_not_silently_accepted(archive, tmp_path):
    rep = import_framework(archive, framework_table(tmp_path / "f.xlsx", broken_sum=True))
    texts = [p.zh for p in rep.problems]
    assert any("质量宣传" in x and "4" in x and "5" in x for x in texts), texts
    assert any("合计为 20" in x for x in texts), texts


def test_level_from_numbering_of_one_column_and_veto_column(archive, tmp_path):
    parsed, rep = read_framework(numbered_table(tmp_path / "n.xlsx"))
    items = {i["code"]: i for i in rep.items}
    assert items["1"]["title"] == "质量发展理念" and items["1.1"]["level"] == 2
    assert items["1.1.1"]["title"] == "建立工作机制"  # "1．" full width
    assert items["1.1.1.1"]["title"] == "召开专题会议" and items["1.1.1.1"]["max_score"] == 3  # "3分"
    assert items["1.1.1.1.1"]["title"] == "主要领导主持"  # ①
    assert items["1.1.1.2"]["title"] == "印发工作方案"
    assert items["1.1.2"]["title"] == "质量考核" and items["1.1.2"]["level"] == 3
    assert items["2.1"]["is_veto"] and not items["1.1"]["is_veto"]
    assert rep.problems == []
    assert rep.mapping["columns"]["title"][0]["column"] == "A"


def test_score_column_merged_with_its_level(tmp_path):
    _, rep = read_framework(score_merged_table(tmp_path / "s.xlsx"))
    items = {i["title"]: i for i in rep.items}
    assert items["组织领导"]["max_score"] == 10 and items["成立机构"]["max_score"] is None
    assert items["质量基础"]["max_score"] == 5 and items["计量检测"]["max_score"] is None


def test_responsibility_table_imports_as_framework_too(archive, tmp_path):
    rep = import_framework(archive, taizhou_table(tmp_path / "t.xlsx"))
    titles = [i["title"] for i in rep.items]
    assert titles == ["质量发展理念", "组织领导", "建立质量工作机制", "开展质量考核", "质量宣传",
                      "开展质量月活动", "宣传报道", "质量发展保障", "资金保障", "财政投入"]


def test_reimport_updates_in_place_keeps_evidence_and_reports(archive, tmp_path):
    p = framework_table(tmp_path / "f.xlsx")
    first = import_framework(archive, p)
    assert len(first.added) == 13
    again = import_framework(archive, p)
    assert again.unchanged, again.as_dict()["changes"]
    t = _tree(archive)
    with archive.sessions.write() as s:
        ev = Evidence(title="证据", status="accepted")
        s.add(ev)
        s.flush()
        s.add(EvidenceIndicator(evidence_id=ev.id, indicator_id=t["1.1.2"].id))
        s.add(EvidenceIndicator(evidence_id=ev.id, indicator_id=t["1.1.1"].id))
    # revised table: a score and a rule changed, one row gone, one added
    wb = openpyxl.load_workbook(p)
    ws = wb.active
    ws["E5"] = 5
    ws["F5"] = "新的评分标准"
    ws["D12"] = "*6.人才队伍建设"  # a new title under the stated code 2.3.6
    ws["D10"] = "5.新增宣传指标"   # a new row where the blank row was
    ws.row_dimensions[9].hidden = True  # 宣传报道 hidden: gone from the table
    ws["F7"] = "产品抽检合格率≥95%得3分。"
    wb.save(p)
    dry = import_framework(archive, p, dry_run=True)
    assert not dry.written
    changed = {c["title"]: c["fields"] for c in dry.changed}
    assert set(changed["建立质量工作机制"]) == {"max_score", "scoring_rule"}
    assert changed["开展质量月活动"]["target_value"] == ["94.0000", "95"]
    # codes as stated (issue 14): "5." under （二） is 1.2.5; "*6.人才队伍建设" states the code
    # 2.3.6 that "人才保障" had, so the re-import keyed on it renames that indicator in place
    assert [(a["code"], a["title"]) for a in dry.added] == [("1.2.5", "新增宣传指标")]
    assert changed["人才队伍建设"]["title"] == ["人才保障", "人才队伍建设"]
    assert sorted(r["title"] for r in dry.removed) == ["宣传报道"]
    assert _tree(archive)["1.1.1"].max_score == 4  # dry run wrote nothing
    real = import_framework(archive, p)
    assert real.written and real.as_dict()["changes"] == dry.as_dict()["changes"]
    t2 = _tree(archive)
    assert t2["1.1.1"].id == t["1.1.1"].id and t2["1.1.1"].max_score == 5
    with archive.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(EvidenceIndicator)) == 2
        assert s.scalar(select(func.count()).select_from(Framework)) == 1


def test_removed_indicator_with_evidence_is_kept(archive, tmp_path):
    p = framework_table(tmp_path / "f.xlsx")
    import_framework(archive, p)
    t = _tree(archive)
    with archive.sessions.write() as s:
        ev = Evidence(title="证据")
        s.add(ev)
        s.flush()
        s.add(EvidenceIndicator(evidence_id=ev.id, indicator_id=t["2.3.6"].id))
    wb = openpyxl.load_workbook(p)
    wb.active.row_dimensions[12].hidden = True
    wb.save(p)
    rep = import_framework(archive, p)
    assert [k["title"] for k in rep.kept] == ["人才保障"] and rep.removed == []
    assert any("有佐证材料关联" in w.zh for w in rep.warnings)


def test_cli_dry_run_json_shows_mapping_and_items(archive, tmp_path):
    p = framework_table(tmp_path / "f.xlsx")
    archive.close()
    r = run_cli("framework", "import", str(p), "--dry-run", "--json", "--archive", str(archive.root))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["dry_run"] and not data["written"]
    assert data["mapping"]["columns"]["level3"][0] == {"column": "D", "header": "评价指标/三级指标", "explicit": False}
    assert len(data["items"]) == 13 and len(data["changes"]["added"]) == 13
    r = run_cli("status", "--json", "--archive", str(archive.root))
    assert json.loads(r.stdout)["framework_id"] is None  # nothing written


def test_cli_explicit_mapping_overrides_detection(archive, tmp_path):
    p = framework_table(tmp_path / "f.xlsx")
    archive.close()
    # treat the scoring rule column as ignored and the hidden column I as the rule
    r = run_cli("framework", "import", str(p), "--dry-run", "--json", "--map", "rule=I,score=-",
                "--archive", str(archive.root))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["mapping"]["columns"]["rule"] == [{"column": "I", "header": "内部备注", "explicit": True}]
    assert "score" not in data["mapping"]["columns"]
    items = {i["code"]: i for i in data["items"]}
    assert items["1.1.1"]["scoring_rule"] == "旧" and items["1.1.1"]["max_score"] is None
    r = run_cli("framework", "import", str(p), "--dry-run", "--json", "--map", "lead=牵头单位,title=D",
                "--archive", str(archive.root))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["mapping"]["columns"]["lead"][0]["explicit"] is True


def test_no_header_message_exit_2_nothing_written(archive, tmp_path):
    p = tmp_path / "noheader.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["质量发展理念", "组织领导", "成立领导小组", 4])
    ws.append(["质量发展理念", "质量宣传", "开展质量月", 3])
    wb.save(p)
    archive.close()
    r = run_cli("framework", "import", str(p), "--archive", str(archive.root))
    assert r.returncode == 2
    line = r.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "找不到表头" in line and "第 1–2 行" in line and "一级指标" in line and "分值" in line
    assert "rows 1-2" in line and "level1" in line
    from storage.core.archive import Archive

    with Archive.open(archive.root) as a, a.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(Framework)) == 0
        assert s.scalar(select(func.count()).select_from(AuditLog)) == 0


def test_failed_import_changes_nothing(archive, tmp_path, monkeypatch):
    p = framework_table(tmp_path / "f.xlsx")
    import storage.catalogue.frameworks as fw_mod

    real = fw_mod.add_framework

    def boom(session, spec):
        real(session, spec)
        raise RuntimeError("disk gone")

    monkeypatch.setattr(fw_mod, "add_framework", boom)
    with pytest.raises(RuntimeError):
        import_framework(archive, p)
    with archive.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(Indicator)) == 0
        assert s.scalar(select(func.count()).select_from(Framework)) == 0


def test_sheet_option_and_unknown_sheet(archive, tmp_path):
    p = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表说明文字"])
    ws = wb.create_sheet("指标")
    ws.append(["一级指标", "二级指标", "分值"])
    ws.append(["甲", "乙", 3])
    wb.save(p)
    rep = import_framework(archive, p, dry_run=True)  # finds the sheet with a header
    assert rep.sheet == "指标"
    from storage.kernel.errors import BadInput

    with pytest.raises(BadInput) as e:
        import_framework(archive, p, sheet="不存在")
    assert "说明、指标" in e.value.zh
