"""The rectification bundle (issue 16, item 3): items and their evidence read from a real
archive, the three documents and 证明材料/<序号>-<问题>/ written, numbered, verified and sealed
like the application bundle. Needs storage.review (helper A's branch) merged."""
from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import docx
import pytest

from desktop.actions.rectify_export import export_rectification
from exporters.manifest import verify_bundle
from storage.bundle.submissions import list_submissions
from storage.catalogue.county import set_county_facts
from storage.kernel.errors import BadInput, Cancelled
from storage.readmodels import CountyFacts
from storage.review.rectify import add_item, link_evidence, set_item

DAY = dt.date(2026, 12, 7)


def _items(archive) -> tuple[int, int]:
    with archive.sessions.write() as s:
        set_county_facts(s, CountyFacts(name="示例县", contact_unit="示例县市场监督管理局"))
        a = add_item(s, problem="质量工作领导小组会议召开不及时，会议纪要不全。", indicator_codes=["1.1.1"],
                     lead=["县市场监管局"], cooperating=["县政府办公室"], measures="每季度召开一次领导小组会议。",
                     deadline="2026-11-30", status="已完成")
        set_item(s, a, progress="已召开第一季度会议并印发纪要。")
        link_evidence(s, a, [3, 2])
        b = add_item(s, problem="监督抽查覆盖面不足。", lead=["县市场监管局"], deadline="2026-10-31",
                     status="整改中")
        link_evidence(s, b, [6])
        add_item(s, problem="品牌培育力度不够。", status="未开始")
    return a, b


def test_folder_bundle_numbers_evidence_verifies_and_seals(demo_archive, tmp_path: Path) -> None:
    _items(demo_archive)
    out = tmp_path / "整改材料包"
    r = export_rectification(demo_archive, out, export_date=DAY, seal=True)
    assert r.check is not None and r.check.ok, r.check
    assert r.items == 3 and r.evidence == 3
    assert r.numbers == {3: "1-1", 2: "1-2", 6: "2-1"}
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names[:3] == ["01 整改方案.docx", "02 整改台账.xlsx", "03 整改情况报告.docx"]
    ev = [n for n in names if n.startswith("证明材料/")]
    assert ev and all(n.startswith(("证明材料/01-质量工作领导小组会议召开不及", "证明材料/02-监督抽查覆盖面不足"))
                      for n in ev), ev
    assert any(n.startswith("证明材料/01-") and n.split("/")[-1].startswith("01 第一季度领导小组会议纪要")
               for n in ev), ev
    report = "\n".join(p.text for p in docx.Document(str(out / "03 整改情况报告.docx")).paragraphs)
    assert "1-1 第一季度领导小组会议纪要" in report and "2-1 年度监督抽查计划" in report
    assert "示例县" in report and "××" not in report
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert {f["path"] for f in manifest["files"]} == set(names) - {"manifest.json", "manifest.csv"}
    assert r.submission is not None
    with demo_archive.sessions.read() as s:
        subs = list_submissions(s)
    assert any(sub.id == r.submission["id"] for sub in subs)
    # the same items and date give the same bundle
    again = export_rectification(demo_archive, tmp_path / "again", export_date=DAY)
    assert (Path(again.bundle) / "manifest.json").read_bytes() == (out / "manifest.json").read_bytes()


def test_zip_bundle_verifies_and_tampering_is_found(demo_archive, tmp_path: Path) -> None:
    _items(demo_archive)
    r = export_rectification(demo_archive, tmp_path / "整改", zip=True, export_date=DAY)
    assert r.bundle.endswith("整改.zip") and r.check is not None and r.check.ok
    with zipfile.ZipFile(r.bundle) as z:
        assert "02 整改台账.xlsx" in z.namelist()
        z.extractall(tmp_path / "x")
    (tmp_path / "x" / "02 整改台账.xlsx").write_bytes(b"changed")
    assert not verify_bundle(tmp_path / "x").ok


def test_cancel_leaves_nothing_and_no_items_is_bad_input(demo_archive, tmp_path: Path) -> None:
    outs = tmp_path / "out"
    outs.mkdir()
    with pytest.raises(BadInput):
        export_rectification(demo_archive, outs / "none", export_date=DAY)
    _items(demo_archive)
    with pytest.raises(Cancelled):
        export_rectification(demo_archive, outs / "c", export_date=DAY, cancel=lambda: True)
    calls = iter(range(100))
    with pytest.raises(Cancelled):   # cancelled while writing: the partial folder goes too
        export_rectification(demo_archive, outs / "d", export_date=DAY, cancel=lambda: next(calls) >= 4)
    assert list(outs.iterdir()) == []


def test_cli_function_writes_json(demo_archive, tmp_path: Path, capsys) -> None:
    import argparse

    from desktop.cli.output import Output
    from desktop.cli.rectify_export import register

    _items(demo_archive)
    parser = argparse.ArgumentParser()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--archive")
    register(parser.add_subparsers(), common)
    args = parser.parse_args(["export", str(tmp_path / "b"), "--zip", "--date", "2026-12-07",
                              "--archive", str(demo_archive.root)])
    args.db_url = None
    code = args.func(args, Output(True))
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["verified"] is True and doc["numbers"] == {"2": "1-2", "3": "1-1", "6": "2-1"}
