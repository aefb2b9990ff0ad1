"""The next round (issue 16 item 5): a revised indicator system matched to the current one
(renamed, split, merged, new and dropped indicators), evidence carried where the indicator
carries over, evidence dated outside the new period flagged, a split indicator that asks,
the old round readable and switchable, and an old sealed submission re-exported byte for
byte after the new round started; the command line's exit codes and --json.

Test document: the revised table is made here from resources/demo/示例_指标体系.xlsx (the
demo's own table: 4 一级 / 二级 / 三级 indicators with scores, after Shandong's 2022 质量强县
评价指标体系). It keeps the shape real revisions take from one yearly round to the next
(Shandong ran the programme yearly 2022–2024 with one indicator system and a data cut-off
per round; source: http://jchdbf.com/2/2022/1207/85672.html): the same tree and numbering,
one indicator reworded, one split in two, two merged into one, one added, one dropped, the
parents' scores adjusted. Sentences are ours."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, run_cli
from sqlalchemy import func, select

from desktop.actions.demo import create_demo_archive
from desktop.actions.export import export_bundle
from desktop.actions.preflight import run_preflight
from desktop.actions.rounds import list_rounds, start_round, use_round
from desktop.actions.submissions import reexport_submission
from storage.bundle.preflight import preflight_limits, set_preflight_limits
from storage.catalogue import queries
from storage.catalogue.ingest import ingest_paths
from storage.catalogue.items import update_evidence_metadata
from storage.catalogue.queries import current_framework_id, indicator_tree
from storage.kernel.errors import BadInput
from storage.models import (
    AssessmentRound,
    Department,
    Duty,
    DutyDepartment,
    Evidence,
    EvidenceIndicator,
    Framework,
    Indicator,
)

pytestmark = pytest.mark.backends   # storage behaviour: runs again on PostgreSQL

DEMO_TABLE = ROOT / "resources" / "demo" / "示例_指标体系.xlsx"
START, END = dt.date(2026, 7, 1), dt.date(2027, 6, 30)


def revised_table(out: Path) -> Path:
    """The demo's table as revised for the next round (see the module docstring)."""
    ws = openpyxl.load_workbook(DEMO_TABLE).worksheets[0]
    rows: list[list[object]] = []
    for r in (list(x) for x in ws.iter_rows(values_only=True)):
        third = str(r[2] or "")
        if isinstance(r[0], str) and r[0].startswith("示例指标体系"):
            r[0] = "示例指标体系（2027年修订，仅供试用，非官方内容）"
        if third.startswith("1.2.2"):                       # reworded, same code
            r[2] = "1.2.2 示例：宣传报道与舆论引导材料"
        elif third.startswith("2.1.2"):                     # split in two
            r[2], r[3] = "2.1.2 示例：落实财政经费保障", 2
            rows.append(r)
            r = [None, None, "2.1.3 示例：落实人员经费保障", 1, r[4], None]
        elif third.startswith("3.1.1"):                     # 3.1.1 + 3.1.2 merged
            r[2], r[3] = "3.1.1 示例：参与制修订标准与强制检定覆盖情况", 5
        elif third.startswith(("3.1.2", "3.2.2")):          # merged away / dropped
            continue
        elif third.startswith("4.2.2"):                     # a new one after it
            rows.append(r)
            r = [None, None, "4.2.3 示例：质量诉求快速响应", 2, r[4], None]
        first, second = str(r[0] or ""), str(r[1] or "")
        if first.startswith("3、"):
            r[0] = "3、质量发展基础（8分）"
        if first.startswith("4、"):
            r[0] = "4、质量发展成效（14分）"
        if second.startswith("3.2 "):
            r[1] = "3.2 示例：检验检测（3分）"
        if second.startswith("4.2 "):
            r[1] = "4.2 示例：服务质量（7分）"
        rows.append(r)
    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = ws.title
    for r in rows:
        sheet.append(r)
    wb.save(out)
    return out


def _file(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n" + text.encode("utf-8") * 30)
    return path


@pytest.fixture
def county(tmp_path):
    """The demo archive with evidence on the indicators the revision touches, dates on some
    of it, and a sealed submission of the first round."""
    a = create_demo_archive(tmp_path / "archive", today=dt.date(2026, 3, 1))
    src = tmp_path / "src"
    for code, name in (("1.2.2", "质量月宣传报道汇编"), ("2.1.2", "质量工作经费拨付文件"),
                       ("3.1.2", "强制检定工作总结")):
        ingest_paths(a, [_file(src / f"{name}.pdf", name)], indicator_code=code)
    with a.sessions.write() as s:
        by_title = {e.title: e.id for e in s.scalars(select(Evidence))}
        ids = {"leading_group": 1, "report": by_title["质量月宣传报道汇编"],
               "funds": by_title["质量工作经费拨付文件"], "metrology": by_title["强制检定工作总结"]}
        update_evidence_metadata(s, ids["leading_group"], issue_date="2026-02-01")   # before the new period
        update_evidence_metadata(s, ids["report"], issue_date="2026-09-01")          # inside it
        update_evidence_metadata(s, ids["metrology"], period_start="2025-01-01", period_end="2025-12-31")
    sealed = export_bundle(archive=a, target=tmp_path / "round1", as_zip=True, export_date=dt.date(2026, 6, 30),
                           seal=True)
    assert sealed.submission is not None
    yield a, ids, Path(sealed.bundle)
    a.close()


def _by_new(preview):
    return {m.new.code: m for m in preview.start.matches if m.new is not None}


def _linked(archive, framework_id: int) -> dict[str, set[int]]:
    with archive.sessions.read() as s:
        out: dict[str, set[int]] = {}
        for code, eid in s.execute(select(Indicator.code, EvidenceIndicator.evidence_id)
                                   .join(EvidenceIndicator, EvidenceIndicator.indicator_id == Indicator.id)
                                   .where(Indicator.framework_id == framework_id)):
            out.setdefault(code, set()).add(eid)
        return out


def test_dry_run_previews_every_kind_and_writes_nothing(county, tmp_path):
    archive, ids, _ = county
    table = revised_table(tmp_path / "revised.xlsx")
    preview = start_round(archive=archive, framework_file=table, period_start=START, period_end=END, dry_run=True)
    m = _by_new(preview)
    assert m["1.1.1"].kind == "same" and m["1.1.1"].evidence_to_carry == 2
    assert m["1.2.2"].kind == "renamed" and [o.code for o in m["1.2.2"].old] == ["1.2.2"]
    assert m["1.2.2"].evidence_to_carry == 1
    assert "宣传报道材料" in m["1.2.2"].reasons[0]
    for code in ("2.1.2", "2.1.3"):
        assert m[code].kind == "split" and m[code].needs_choice
        assert [o.code for o in m[code].old] == ["2.1.2"]
        assert "--map 2.1.2=" in m[code].reasons[0]
    assert m["3.1.1"].kind == "merged" and sorted(o.code for o in m["3.1.1"].old) == ["3.1.1", "3.1.2"]
    assert m["3.1.1"].evidence_to_carry == 2 and m["3.1.1"].evidence_outside_period == 1
    assert m["4.2.3"].kind == "new" and not m["4.2.3"].old
    dropped = [x for x in preview.start.matches if x.kind == "dropped"]
    assert [(x.new, [o.code for o in x.old]) for x in dropped] == [(None, ["3.2.2"])]
    assert [r.code for r in preview.needs_choice] == ["2.1.2"]
    assert m["1.1.1"].evidence_outside_period == 1     # the 2026-02-01 notice, before 2026-07-01
    with archive.sessions.read() as s:                  # rolled back: nothing written
        assert s.scalar(select(Framework.id).where(Framework.id > 1)) is None
        assert s.scalars(select(AssessmentRound)).all() == []
        assert current_framework_id(s) == 1


def test_split_without_a_choice_is_refused_naming_the_indicator(county, tmp_path):
    archive, _ids, _ = county
    table = revised_table(tmp_path / "revised.xlsx")
    with pytest.raises(BadInput, match=r"指标 2\.1\.2 示例：落实经费保障 在新指标体系中拆分为 2\.1\.2、2\.1\.3") as e:
        start_round(archive=archive, framework_file=table, period_start=START, period_end=END)
    assert "--map 2.1.2=" in e.value.args[0]
    with archive.sessions.read() as s:
        assert s.scalar(select(Framework.id).where(Framework.id > 1)) is None
        assert current_framework_id(s) == 1


def test_apply_carries_evidence_flags_dates_and_keeps_the_old_round(county, tmp_path):
    archive, ids, sealed_zip = county
    sealed_sha = hashlib.sha256(sealed_zip.read_bytes()).hexdigest()
    before_old = _linked(archive, 1)
    with archive.sessions.write() as s:
        set_preflight_limits(s, max_mb=20, formats="pdf,jpg")
    table = revised_table(tmp_path / "revised.xlsx")
    done = start_round(archive=archive, framework_file=table, period_start=START, period_end=END,
                       mapping=["2.1.2=2.1.3"])
    new_fid = done.start.round.framework_id
    assert new_fid != 1 and done.start.round.current and not done.needs_choice
    linked = _linked(archive, new_fid)
    assert linked["1.2.2"] == {ids["report"]}                       # renamed: carried
    assert linked["2.1.3"] == {ids["funds"]} and "2.1.2" not in linked   # the clerk's choice
    assert linked["3.1.1"] >= {ids["metrology"]}                    # merged: both olds' evidence
    assert "4.2.3" not in linked and "3.2.2" not in linked
    flagged = {x.evidence_id: x for x in done.start.outside_period}
    assert set(flagged) == {ids["leading_group"], ids["metrology"]}   # dated outside, not silent
    assert flagged[ids["leading_group"]].date == "2026-02-01"
    assert flagged[ids["leading_group"]].indicators == ("1.1.1",)
    assert flagged[ids["metrology"]].date == "2025-12-31"
    assert ids["report"] not in flagged                             # 2026-09-01 is inside
    with archive.sessions.read() as s:
        assert current_framework_id(s) == new_fid
        fw = s.get(Framework, new_fid)
        assert (fw.period_start, fw.period_end) == (START, END)
        codes = [n.code for n in indicator_tree(s) if n.is_leaf]
        limits = preflight_limits(s, new_fid)                       # the province's limits carry over
        assert (limits.max_mb, set(limits.formats)) == (20, {"pdf", "jpg"})
        assert "4.2.3" in codes and "3.2.2" not in codes
    # duties follow their indicator; a deadline of the last round is kept only as a note
    with archive.sessions.read() as s:
        rows = s.execute(select(Indicator.code, Duty.task, Duty.deadline, Duty.notes, Duty.id)
                         .join(Indicator, Indicator.id == Duty.indicator_id)
                         .where(Duty.framework_id == new_fid)).all()
        by_code = {r.code: r for r in rows}
        assert by_code["1.1.1"].task.startswith("示例：成立质量强县工作领导小组")
        assert by_code["1.1.1"].deadline is None and "上一轮完成时限" in by_code["1.1.1"].notes
        assert by_code["2.1.3"].task == "示例：安排质量工作经费" and "2.1.2" not in by_code
        roles = sorted((d.name, dd.role) for dd, d in s.execute(
            select(DutyDepartment, Department).join(Department, Department.id == DutyDepartment.department_id)
            .where(DutyDepartment.duty_id == by_code["1.1.1"].id)))
        assert roles == [("县发改局", "cooperating"), ("县市场监管局", "lead")]
        old_duty = s.scalars(select(Duty).where(Duty.framework_id == 1, Duty.task == by_code["1.1.1"].task)).one()
        assert old_duty.deadline == dt.date(2026, 2, 9)              # the old round keeps its own
    # `status` counts the current round's duties, not both rounds' (it counted every duty)
    with archive.sessions.read() as s:
        new_duties = s.scalar(select(func.count()).select_from(Duty).where(Duty.framework_id == new_fid))
        assert 0 < new_duties < s.scalar(select(func.count()).select_from(Duty))
        assert queries.status(s).duties == new_duties
    # the preflight of the new round warns about the flagged evidence
    report = run_preflight(archive, dt.date(2026, 12, 1))
    dated = {i.evidence_id for i in report.items if i.category == "evidence_date"}
    assert ids["leading_group"] in dated
    # the old round is unchanged and can be switched back to
    assert _linked(archive, 1) == before_old
    rounds = list_rounds(archive=archive)
    assert [(r.id, r.framework_id, r.current) for r in rounds] == [(1, 1, False), (2, new_fid, True)]
    assert rounds[0].submissions == 1 and rounds[1].submissions == 0
    use_round(archive=archive, round_id=1)
    with archive.sessions.read() as s:
        assert current_framework_id(s) == 1
    # the first round's sealed submission re-exports byte for byte after the new round
    again = reexport_submission(archive=archive, number=1, target=tmp_path / "again", as_zip=True)
    assert again.identical is True
    assert hashlib.sha256(Path(again.bundle).read_bytes()).hexdigest() == sealed_sha


def test_mapping_errors_are_clear(county, tmp_path):
    archive, _ids, _ = county
    table = revised_table(tmp_path / "revised.xlsx")
    with pytest.raises(BadInput, match="上一轮指标体系中没有编号 9.9"):
        start_round(archive=archive, framework_file=table, mapping=["9.9=1.1.1"], dry_run=True)
    with pytest.raises(BadInput, match="新指标体系中没有编号 8.8"):
        start_round(archive=archive, framework_file=table, mapping=["2.1.2=8.8"], dry_run=True)
    with pytest.raises(BadInput, match="旧编号=新编号"):
        start_round(archive=archive, framework_file=table, mapping=["2.1.2"], dry_run=True)


def test_cli_round_new_list_use(county, tmp_path):
    archive, _ids, _ = county
    a = str(archive.root)
    table = str(revised_table(tmp_path / "revised.xlsx"))
    period = ("--from", "2026-07-01", "--to", "2027-06-30")
    r = run_cli("round", "new", "--framework", table, *period, "--dry-run", "--archive", a, "--json")
    assert r.returncode == 1, r.stderr                 # a split still needs a choice
    doc = json.loads(r.stdout)
    assert doc["dry_run"] is True and [x["code"] for x in doc["needs_choice"]] == ["2.1.2"]
    assert doc["counts"] == {"same": 23, "renamed": 1, "split": 2, "merged": 1, "new": 1, "dropped": 1}
    split = next(x for x in doc["matches"] if x["new"] and x["new"]["code"] == "2.1.3")
    assert split["kind"] == "split" and split["needs_choice"] is True and split["old"][0]["code"] == "2.1.2"
    r = run_cli("round", "new", "--framework", table, *period, "--archive", a)
    assert r.returncode == 2 and "指标 2.1.2" in r.stderr and "--map" in r.stderr
    assert "Traceback" not in r.stderr
    r = run_cli("round", "new", "--framework", table, *period, "--map", "2.1.2=2.1.2", "--archive", a, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["dry_run"] is False and doc["round"]["current"] is True
    first = doc["previous"]["id"]     # (ids: a rolled-back dry run may use some on PostgreSQL)
    assert {x["evidence_id"] for x in doc["outside_period"]} and doc["links_carried"] >= 12
    r = run_cli("round", "list", "--archive", a, "--json")
    rounds = json.loads(r.stdout)["rounds"]
    assert [(x["id"], x["current"]) for x in rounds] == [(first, False), (doc["round"]["id"], True)]
    assert set(rounds[0]) >= {"name", "framework_id", "framework_name", "period_start", "period_end",
                              "started_at", "indicators", "evidence_links", "submissions"}
    r = run_cli("round", "use", str(first), "--archive", a)
    assert r.returncode == 0 and "已切换到" in r.stdout
    r = run_cli("round", "use", "999", "--archive", a)
    assert r.returncode == 2 and "没有编号为 999 的轮次" in r.stderr
    r = run_cli("submission", "export", "1", str(tmp_path / "again"), "--zip", "--archive", a, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["identical"] is True
