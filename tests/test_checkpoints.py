"""Self-assessment checkpoints (issue 16 item 4): a checkpoint records self-scores, coverage
and preflight findings; a diff of two checkpoints, or of a checkpoint and a sealed
submission, names what changed per indicator in a clerk's words; the command line's exit
codes and --json shapes (docs/cli-rounds.md).

The archive is tests/bundle_helpers.county_archive (a small county with dated evidence,
self-scores and a responsibility table)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from bundle_helpers import county_archive
from conftest import run_cli

from desktop.actions.checkpoints import diff_checkpoints, list_checkpoints, take_checkpoint
from desktop.actions.export import export_bundle
from storage.bundle.assessments import set_assessment
from storage.catalogue.items import update_evidence_metadata
from storage.kernel.errors import BadInput

pytestmark = pytest.mark.backends   # storage behaviour: runs again on PostgreSQL

TODAY = dt.date(2026, 1, 10)


def _changes(diff, code):
    return {c.what: c for c in diff.changes if c.indicator.code == code}


@pytest.fixture
def county(archive, tmp_path):
    ids = county_archive(archive, tmp_path)
    return archive, ids


def test_checkpoint_records_scores_coverage_and_preflight(county):
    archive, _ids = county
    cp = take_checkpoint(archive=archive, note="迎检前自查", today=TODAY)
    assert cp.id == 1 and cp.note == "迎检前自查"
    assert cp.self_total == 8.5            # 2.5 + 4 + 2
    assert (cp.leaves, cp.leaves_covered, cp.leaves_accepted) == (4, 3, 2)
    assert cp.preflight_errors + cp.preflight_warnings > 0
    assert [c.id for c in list_checkpoints(archive=archive)] == [1]


def test_diff_names_what_improved_and_what_is_still_missing(county):
    archive, ids = county
    take_checkpoint(archive=archive, note="第一次", today=TODAY)
    with archive.sessions.write() as s:
        set_assessment(s, "1.1", score=3)                                   # better score
        set_assessment(s, "1.3", score=1)                                   # worse score
        update_evidence_metadata(s, ids["photo"], status="accepted")        # 1.3 reviewed
    take_checkpoint(archive=archive, note="第二次", today=TODAY)
    diff = diff_checkpoints(archive=archive, before="1", after="2")

    c11 = _changes(diff, "1.1")
    assert (c11["自评分"].before, c11["自评分"].after, c11["自评分"].improved) == ("2.5 分", "3 分", True)
    c13 = _changes(diff, "1.3")
    assert (c13["自评分"].before, c13["自评分"].after, c13["自评分"].improved) == ("2 分", "1 分", False)
    assert c13["佐证材料"].before == "1 份（已审核 0 份）"
    assert c13["佐证材料"].after == "1 份（已审核 1 份）"
    assert c13["佐证材料"].improved is True
    assert "材料未审核" in c13["预检"].before and c13["预检"].improved is True
    assert "材料未审核" not in c13["预检"].after
    assert "1.2" not in {c.indicator.code for c in diff.changes}          # nothing changed there
    assert [r.code for r in diff.still_missing] == ["1.4"]                 # the veto item has none


def test_diff_against_a_sealed_submission(county, tmp_path):
    archive, ids = county
    export_bundle(archive=archive, target=tmp_path / "sealed", as_zip=True, export_date=dt.date(2026, 3, 1),
                  seal=True)
    with archive.sessions.write() as s:
        set_assessment(s, "1.2", score=3)
        update_evidence_metadata(s, ids["photo"], status="accepted")
    take_checkpoint(archive=archive, today=TODAY)
    diff = diff_checkpoints(archive=archive, before="submission:1", after="1")
    assert diff.before.startswith("第 1 次提交")
    c12 = _changes(diff, "1.2")
    assert (c12["自评分"].before, c12["自评分"].after, c12["自评分"].improved) == ("4 分", "3 分", False)
    c13 = _changes(diff, "1.3")
    assert c13["佐证材料"].before == "1 份（已审核 0 份）" and c13["佐证材料"].improved is True
    assert not any(c.what == "预检" for c in diff.changes)   # a seal records no preflight
    # the other way round and with the design's spelling
    back = diff_checkpoints(archive=archive, before="1", after="sealed:1")
    assert _changes(back, "1.2")["自评分"].improved is True


def test_unknown_references_are_refused(county):
    archive, _ids = county
    with pytest.raises(BadInput, match="没有编号为 7 的自查记录"):
        diff_checkpoints(archive=archive, before="7", after="7")
    with pytest.raises(BadInput, match="没有第 9 次封存的提交"):
        diff_checkpoints(archive=archive, before="submission:9", after="submission:9")


def test_checkpoint_on_an_empty_archive_is_refused(archive):
    with pytest.raises(BadInput, match="还没有指标体系"):
        take_checkpoint(archive=archive, today=TODAY)


def test_cli_take_list_diff_json_and_exit_codes(county):
    archive, ids = county
    a = str(archive.root)
    r = run_cli("checkpoint", "take", "--note", "自查一", "--date", "2026-01-10", "--archive", a, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["checkpoint"]["id"] == 1 and doc["checkpoint"]["note"] == "自查一"
    assert set(doc["checkpoint"]) >= {"taken_at", "self_total", "leaves", "leaves_covered", "leaves_accepted",
                                      "preflight_errors", "preflight_warnings", "framework_id"}
    with archive.sessions.write() as s:
        set_assessment(s, "1.1", score=3)
    r = run_cli("checkpoint", "take", "--archive", a)
    assert r.returncode == 0 and "已记录自查" in r.stdout
    r = run_cli("checkpoint", "list", "--archive", a, "--json")
    assert [c["id"] for c in json.loads(r.stdout)["checkpoints"]] == [1, 2]
    r = run_cli("checkpoint", "diff", "1", "2", "--archive", a, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["improved"] == 1 and doc["worse"] == 0
    assert {"indicator": {"id": doc["changes"][0]["indicator"]["id"], "code": "1.1", "title": "组织领导"},
            "what": "自评分", "before": "2.5 分", "after": "3 分", "improved": True} in doc["changes"]
    assert [m["code"] for m in doc["still_missing"]] == ["1.4"]
    r = run_cli("checkpoint", "diff", "1", "2", "--archive", a)
    assert "[好转] 1.1 组织领导  自评分：2.5 分 → 3 分" in r.stdout
    r = run_cli("checkpoint", "diff", "1", "x", "--archive", a)
    assert r.returncode == 2 and "自查编号应为数字" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("checkpoint", "--archive", a)
    assert r.returncode == 2
