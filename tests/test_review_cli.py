"""`evidence-desk review …` and `rectify …` (issue 16, item 6): exit codes, messages and the
--json shapes documented in docs/cli-review.md; `inbox accept --rectify`."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import run_cli

from desktop.actions.demo import create_demo_archive

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_review_files", HERE / "data" / "review" / "make_review_files.py")
assert _spec is not None and _spec.loader is not None
mk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mk)

ITEM_KEYS = {"id", "number", "problem", "source", "indicators", "lead", "cooperating", "measures", "deadline",
             "status", "progress", "overdue", "evidence"}


@pytest.fixture
def demo(tmp_path):
    create_demo_archive(tmp_path / "demo").close()
    return str(tmp_path / "demo")


def _json(r):
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)


def test_review_import_compare_and_exit_codes(demo, tmp_path):
    files = mk.make_all(tmp_path / "files")
    r = run_cli("review", "import", str(files["titles"]), "--dry-run", "--json", "--archive", demo)
    assert r.returncode == 1                                   # a row left unmatched
    data = json.loads(r.stdout)
    assert {"kind", "file", "dry_run", "sheet", "columns", "matched", "ambiguous", "unmatched",
            "scores_written", "problems_written", "items_created", "rows", "items"} <= set(data)
    assert (data["kind"], data["dry_run"], data["matched"], data["unmatched"]) == ("scores", True, 15, 1)
    row18 = next(x for x in data["rows"] if x["row"] == 18)
    assert row18["state"] == "unmatched" and row18["indicator"] is None
    r = run_cli("review", "import", str(files["titles"]), "--map", "18=4.2.2", "--json", "--archive", demo)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["scores_written"] == 16
    assert [it["indicators"][0]["code"] for it in data["items"]] == ["1.1.2", "2.1.2", "3.1.2", "4.2.1"]
    assert ITEM_KEYS <= set(data["items"][0])
    r = run_cli("review", "import", str(files["report"]), "--archive", demo)
    assert r.returncode == 0, r.stderr
    assert "评价结果报告导入" in r.stdout and "新建整改事项 6 项" in r.stdout
    r = run_cli("review", "compare", "--json", "--archive", demo)
    data = _json(r)
    assert data["lost"] == 4 and data["lost_points"] == 3.5 and data["xlsx"] is None
    first = data["rows"][0]
    assert {"indicator", "level", "max_score", "self_score", "province_score", "difference", "points_lost",
            "deduction_reason", "problems"} <= set(first)
    assert first["indicator"]["code"] == "2.1.2" and first["problems"]
    bad = tmp_path / "说明.txt"
    bad.write_text("这不是得分表", encoding="utf-8")
    r = run_cli("review", "import", str(bad), "--archive", demo)
    assert r.returncode == 2 and r.stdout == ""
    assert "错误" in r.stderr and "error:" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("review", "import", str(files["codes"]), "--map", "oops", "--archive", demo)
    assert r.returncode == 2 and "更正" in r.stderr


def test_rectify_add_set_list_link_unlink_json(demo, tmp_path):
    r = run_cli("rectify", "add", "--indicator", "1.2.1", "--problem", "质量月活动覆盖面不足",
                "--lead", "县委宣传部", "--coop", "县市场监管局、县教育局", "--deadline", "2027-01-31",
                "--json", "--archive", demo)
    item = _json(r)
    assert ITEM_KEYS == set(item)
    assert (item["lead"], item["cooperating"], item["deadline"]) == (
        ["县委宣传部"], ["县市场监管局", "县教育局"], "2027-01-31")
    iid = item["id"]
    r = run_cli("rectify", "list", "--overdue", "--today", "2027-03-01", "--json", "--archive", demo)
    data = _json(r)
    assert data["today"] == "2027-03-01" and data["overdue"] == 1 and data["items"][0]["overdue"] is True
    r = run_cli("rectify", "set", str(iid), "--status", "已完成", "--progress", "已在12个乡镇开展活动",
                "--json", "--archive", demo)
    item = _json(r)
    assert (item["status"], item["progress"], item["overdue"]) == ("已完成", "已在12个乡镇开展活动", False)
    r = run_cli("rectify", "set", str(iid), "--status", "搞定了", "--archive", demo)
    assert r.returncode == 2 and "整改状态应为" in r.stderr and "status" in r.stderr
    r = run_cli("rectify", "set", str(iid), "--archive", demo)
    assert r.returncode == 2
    doc = tmp_path / "活动照片.txt"
    doc.write_text("活动照片说明", encoding="utf-8")
    r = run_cli("ingest", str(doc), "--json", "--archive", demo)
    assert r.returncode == 0, r.stderr
    eid = json.loads(r.stdout)["items"][0]["evidence_id"]
    r = run_cli("rectify", "link", str(iid), str(eid), "--json", "--archive", demo)
    data = _json(r)
    assert data["linked"] == 1 and data["item"]["evidence"] == [
        {"id": eid, "title": data["item"]["evidence"][0]["title"], "files": ["活动照片.txt"]}]
    r = run_cli("rectify", "unlink", str(iid), str(eid), "--json", "--archive", demo)
    data = _json(r)
    assert data["unlinked"] == 1 and data["item"]["evidence"] == []
    r = run_cli("rectify", "list", "--status", "已完成", "--archive", demo)
    assert r.returncode == 0 and "质量月活动覆盖面不足" in r.stdout and "共 1 项" in r.stdout


def test_inbox_accept_onto_a_rectification_item(demo, tmp_path):
    share = tmp_path / "共享" / "宣传"
    share.mkdir(parents=True)
    r = run_cli("rectify", "add", "--indicator", "1.2.2", "--problem", "宣传报道数量不足", "--json",
                "--archive", demo)
    iid = _json(r)["id"]
    assert run_cli("folders", "add", str(share), "--settle", "0.2", "--archive", demo).returncode == 0
    (share / "整改宣传报道汇编.txt").write_text("整改后的宣传报道", encoding="utf-8")
    assert run_cli("watch", "--once", "--archive", demo).returncode == 0
    [entry] = json.loads(run_cli("inbox", "list", "--json", "--archive", demo).stdout)["entries"]
    r = run_cli("inbox", "accept", str(entry["id"]), "--rectify", str(iid), "--json", "--archive", demo)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["rectification"] == iid
    items = _json(run_cli("rectify", "list", "--json", "--archive", demo))["items"]
    assert [e["files"] for e in items[0]["evidence"]] == [["整改宣传报道汇编.txt"]]
    r = run_cli("evidence", "show", str(entry["evidence_id"]), "--json", "--archive", demo)
    assert r.returncode == 0 and "1.2.2" in r.stdout             # linked to the item's indicator too
    r = run_cli("inbox", "accept", str(entry["id"]), "--rectify", "999", "--archive", demo)
    assert r.returncode == 2 and "找不到整改事项" in r.stderr


def test_rectify_delete_only_an_item_added_by_hand_and_its_evidence_stays(demo, tmp_path):
    """`rectify delete ID --yes` removes an item the county added itself (a mistake);
    the evidence linked to it stays in the archive; an item made from the province's
    report is refused with a reason; without --yes nothing is deleted."""
    files = mk.make_all(tmp_path / "files")
    r = run_cli("review", "import", str(files["report"]), "--archive", demo)
    assert r.returncode == 0, r.stderr
    listed = _json(run_cli("rectify", "list", "--json", "--archive", demo))["items"]
    from_report = next(it for it in listed if it["source"].startswith("评价报告"))
    item = _json(run_cli("rectify", "add", "--indicator", "1.2.1", "--problem", "误加的一项",
                         "--json", "--archive", demo))
    doc = tmp_path / "整改照片.txt"
    doc.write_text("整改照片说明", encoding="utf-8")
    eid = _json(run_cli("ingest", str(doc), "--json", "--archive", demo))["items"][0]["evidence_id"]
    assert _json(run_cli("rectify", "link", str(item["id"]), str(eid), "--json", "--archive", demo))["linked"] == 1

    r = run_cli("rectify", "delete", str(item["id"]), "--archive", demo)
    assert r.returncode == 2 and "--yes" in r.stderr
    r = run_cli("rectify", "delete", str(from_report["id"]), "--yes", "--archive", demo)
    assert r.returncode == 2 and "来自省评结果" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("rectify", "delete", str(item["id"]), "--yes", "--json", "--archive", demo)
    assert _json(r) == {"deleted": item["id"], "problem": "误加的一项"}
    ids = {it["id"] for it in _json(run_cli("rectify", "list", "--json", "--archive", demo))["items"]}
    assert item["id"] not in ids and from_report["id"] in ids
    r = run_cli("evidence", "show", str(eid), "--json", "--archive", demo)
    assert r.returncode == 0, r.stderr
    r = run_cli("verify", "--json", "--archive", demo)
    assert r.returncode == 0, r.stdout + r.stderr
