"""The clerk's loop on the command line over a real archive with the built 51-indicator
framework: the watcher suggests the top three with reasons, `inbox accept ID --indicator
CODE` files one and teaches, and the next suggestion changes at once."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import docx
from conftest import run_cli

DATA = Path(__file__).parent / "data" / "suggest"


def _spec():
    s = importlib.util.spec_from_file_location("suggest_corpus_spec", DATA / "spec.py")
    mod = importlib.util.module_from_spec(s)
    sys.modules["suggest_corpus_spec"] = mod
    s.loader.exec_module(mod)
    return mod


def built_archive(root: Path) -> None:
    """An archive holding the built framework, its duties and the departments."""
    from storage.catalogue.departments import get_or_create_department
    from storage.catalogue.frameworks import DutySpec, FrameworkSpec, IndicatorSpec, add_duties, add_framework
    from storage.core.archive import Archive

    spec = _spec()
    tree: dict[str, IndicatorSpec] = {}
    roots: list[IndicatorSpec] = []
    for code in sorted({c.rsplit(".", 1)[0] for c in spec.INDICATORS} | {c.split(".")[0] for c in spec.INDICATORS},
                       key=lambda c: [int(x) for x in c.split(".")]):
        node = IndicatorSpec(code=code, title=spec.LEVELS[code], explicit_code=True)
        tree[code] = node
        (tree[code.rsplit(".", 1)[0]].children if "." in code else roots).append(node)
    for code, ind in spec.INDICATORS.items():
        tree[code.rsplit(".", 1)[0]].children.append(
            IndicatorSpec(code=code, title=ind[0], max_score=ind[1], scoring_rule=ind[2], explicit_code=True))
    a = Archive.create(root)
    try:
        with a.sessions.write() as s:
            fw = add_framework(s, FrameworkSpec(name="青河县质量强县评价指标（测试用，自建）", indicators=roots))
            for name in spec.DEPARTMENTS:
                get_or_create_department(s, name)
            add_duties(s, fw, [DutySpec(task=ind[4], indicator_code=code, lead=[ind[3]], expected_evidence=ind[5])
                               for code, ind in spec.INDICATORS.items()])
    finally:
        a.close()


def _docx(path: Path, *paras: str) -> None:
    d = docx.Document()
    for p in paras:
        d.add_paragraph(p)
    d.save(str(path))


def _entries(arch: str) -> dict[str, dict]:
    r = run_cli("inbox", "list", "--archive", arch, "--json")
    assert r.returncode == 0, r.stderr
    return {Path(e["source_path"]).name: e for e in json.loads(r.stdout)["entries"]}


def test_top_three_with_reasons_and_a_correction_that_teaches(tmp_path):
    arch = str(tmp_path / "a")
    built_archive(Path(arch))
    share = tmp_path / "share"
    share.mkdir()
    _docx(share / "附件1.docx", "青河县财政局文件", "青财发〔2023〕7号", "关于设立质量发展专项资金的通知",
          "各乡镇人民政府，县直各部门：", "县财政每年安排专项资金500万元，专款专用。", "青河县财政局", "2023年3月8日")
    _docx(share / "小米产业协会第一次会员大会情况.docx", "青河县小米产业协会第一次会员大会情况",
          "协会会员单位代表参加会议，选举产生协会理事会，审议通过协会章程。")
    _docx(share / "小米产业协会第二次会员大会情况.docx", "青河县小米产业协会第二次会员大会情况",
          "协会会员单位代表86人参加会议，审议协会年度工作报告和会费收支情况。")
    assert run_cli("folders", "add", str(share), "--department", "县财政局", "--settle", "0.2",
                   "--archive", arch).returncode == 0
    r = run_cli("watch", "--once", "--archive", arch, "--json")
    assert r.returncode == 0, r.stderr

    es = _entries(arch)
    fund = es["附件1.docx"]["suggestion"]
    assert fund["top"][0]["code"] == "2.1.1"                       # a meaningless name, read by content
    assert fund["top"][0]["title"] == "设立质量发展专项资金并列入财政预算"
    assert fund["top"][0]["certainty"] in ("把握较高", "可参考")
    assert "质量发展专项资金" in fund["top"][0]["reason"]
    assert 1 <= len(fund["top"]) <= 3 and all("confidence" in t and "reason" in t for t in fund["top"])
    assert fund["docmeta"]["doc_number"] == "青财发〔2023〕7号" and fund["issuing_body"] == "县财政局"
    assert [i["code"] for i in fund["indicators"]][:1] == ["2.1.1"]

    first, second = es["小米产业协会第一次会员大会情况.docx"], es["小米产业协会第二次会员大会情况.docx"]
    assert second["suggestion"]["top"] == [] or second["suggestion"]["top"][0]["code"] != "4.5.3"
    r = run_cli("inbox", "accept", str(first["id"]), "--indicator", "4.5.3", "--archive", arch)
    assert r.returncode == 0, r.stderr

    es = _entries(arch)
    nxt = es["小米产业协会第二次会员大会情况.docx"]["suggestion"]
    assert nxt["top"][0]["code"] == "4.5.3"                        # taught by one correction, at once
    assert nxt["top"][0]["example"]["evidence_id"] == first["evidence_id"]
    assert "与已归档的《" in nxt["top"][0]["reason"]
    r = run_cli("inbox", "list", "--archive", arch)
    assert "1. 4.5.3" in r.stdout and "与已归档的《" in r.stdout


def test_the_ranker_is_kept_between_batches_and_follows_filing_and_trash(tmp_path):
    """In one process (the window, a long `watch`) the ranker is built once and brought up
    to date: a file accepted in the window teaches the next batch, a trashed one stops voting."""
    from watch_helpers import add_folder, entries

    from storage.core.archive import Archive
    from storage.models import Evidence, utcnow
    from storage.watch.inbox import accept, refresh_pending
    from storage.watch.service import WatchService
    from storage.watch.suggest import SuggestContext

    built_archive(tmp_path / "a")
    archive = Archive.open(tmp_path / "a")
    try:
        share = tmp_path / "share"
        add_folder(archive, share, "县科技局", settle_seconds=0.2)
        _docx(share / "一.docx", "青河县小米产业协会第一次会员大会情况", "协会会员单位代表参加，选举协会理事会。")
        _docx(share / "二.docx", "青河县小米产业协会第二次会员大会情况", "协会会员单位代表86人参加，审议协会年度工作。")
        WatchService(archive, observers=False).run_once()
        by_name = {e.name: e for e in entries(archive)}
        with archive.sessions.read() as s:
            first = SuggestContext.load(s).ranker
            assert SuggestContext.load(s).ranker is first and len(first.memory) == 0
        with archive.sessions.write() as s:
            accept(s, [by_name["一.docx"].id], indicator_codes=["4.5.3"])
        with archive.sessions.read() as s:
            ranker = SuggestContext.load(s).ranker
            assert ranker is first and len(ranker.memory) == 1          # learnt, not rebuilt
        assert {e.name: e for e in entries(archive)}["二.docx"].suggestion["top"][0]["code"] == "4.5.3"
        with archive.sessions.write() as s:
            s.get(Evidence, by_name["一.docx"].evidence_id).trashed_at = utcnow()
            s.flush()
            refresh_pending(s)
        assert {e.name: e for e in entries(archive)}["二.docx"].suggestion["top"][0]["code"] != "4.5.3"
    finally:
        archive.close()
