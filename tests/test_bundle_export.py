"""The provincial bundle, exported from a real archive and read back from disk and zip:
Windows path rules with long Chinese names and a clash, `bundle verify` (also on a tampered
bundle), UTF-8 flags, stored vs deflated entries, byte-identical repeats, cancel and refusal."""
from __future__ import annotations

import datetime as dt
import filecmp
import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli
from sqlalchemy import select

from exporters import winpaths
from exporters.bundle import plan_bundle, write_folder, write_zip
from exporters.manifest import verify_bundle
from storage.bundle.sources import bundle_source
from storage.catalogue.frameworks import FrameworkSpec, IndicatorSpec, add_framework
from storage.catalogue.ingest import ingest_paths
from storage.catalogue.links import set_review_order
from storage.kernel.errors import ArchiveError, Cancelled
from storage.models import Evidence, EvidenceIndicator, Indicator

pytestmark = pytest.mark.backends

DATE = dt.date(2026, 3, 1)
LONG = "关于印发沂水县创建山东省质量强县工作实施方案及工作责任分解表和年度工作要点的通知"  # 41 chars
# two leaves without codes whose long titles differ only past the folder-name limit: a clash
TWIN = "质量强县创建工作领导小组成员单位职责分工及联络员名单和工作例会制度落实情况" * 2


def _make(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("%PDF-1.4\n" if path.suffix == ".pdf" else "") .encode() + text.encode("utf-8") * 50)
    return path


@pytest.fixture
def bundle_archive(archive, tmp_path):
    """An archive shaped like a real county's: long Chinese names, forbidden characters,
    a reserved name, a trashed and a returned item, and two indicators that clash."""
    with archive.sessions.write() as s:
        add_framework(s, FrameworkSpec(name="示例县质量强县指标", indicators=[
            IndicatorSpec(code="1", title="质量发展理念", children=[
                IndicatorSpec(code="1.1", title="组织领导", children=[
                    IndicatorSpec(code="1.1.1", title="成立由政府主要负责同志任组长的质量强县工作领导小组并定期召开会议研究部署并将质量工作纳入政府年度绩效考核和领导干部政绩考核"),
                    IndicatorSpec(code="1.1.2", title="宣传：质量月?活动"),
                ]),
            ]),
            IndicatorSpec(code="", title=TWIN + "甲"),
            IndicatorSpec(code="", title=TWIN + "乙"),
        ]))
    src = tmp_path / "src"
    files = {
        "1.1.1": [_make(src / "a" / f"沂政发〔2023〕13号 {LONG}.pdf", "一"),
                  _make(src / "a" / "会议纪要: 第一次会议?.docx", "二"),
                  _make(src / "a" / "CON.txt", "三"),
                  _make(src / "a" / ((LONG * 2)[:66] + "（最终版）scan-2023-08-15-v2-approved-copy.pdf"), "四")],
        "1.1.2": [_make(src / "b" / "宣传报道.jpg", "五"), _make(src / "b" / "退回的材料.pdf", "六"),
                  _make(src / "b" / "已删除的材料.pdf", "七")],
    }
    for code, paths in files.items():
        ingest_paths(archive, paths, indicator_code=code)
    twin_files = [_make(src / "c" / "甲的材料.xlsx", "八"), _make(src / "d" / "乙的材料.xlsx", "九")]
    with archive.sessions.write() as s:
        twins = s.scalars(select(Indicator).where(Indicator.code == "").order_by(Indicator.id)).all()
        twin_ids = [t.id for t in twins]
    for path, iid in zip(twin_files, twin_ids):
        rep = ingest_paths(archive, [path])
        with archive.sessions.write() as s:
            s.add(EvidenceIndicator(evidence_id=rep.items[0].evidence_id, indicator_id=iid, position=1))
    with archive.sessions.write() as s:
        by_title = {e.title: e for e in s.scalars(select(Evidence))}
        first = by_title[f"沂政发〔2023〕13号 {LONG}"]
        first.doc_number = "沂政发〔2023〕13号"
        by_title["退回的材料"].status = "returned"
        by_title["已删除的材料"].trashed_at = dt.datetime(2026, 1, 1)
        by_title["会议纪要: 第一次会议?"].status = "accepted"
    return archive


def _export(archive, target: Path, *, zip_: bool = False, date=DATE, **kw):
    with archive.sessions.read() as s:
        source = bundle_source(s)
    plan = plan_bundle(source)
    writer = write_zip if zip_ else write_folder
    return plan, writer(plan, target, archive.files.path_for, export_date=date, **kw)


def _all_relpaths(root: Path) -> list[str]:
    out = []
    for folder, dirs, names in os.walk(root):
        for n in dirs + names:
            out.append((Path(folder) / n).relative_to(root).as_posix())
    return out


def test_bundle_folder_passes_windows_rules_and_verify(bundle_archive, tmp_path):
    plan, result = _export(bundle_archive, tmp_path / "out")
    root = Path(result.path)
    paths = _all_relpaths(root)
    assert paths, "nothing written"
    for p in paths:
        assert winpaths.path_problems(p, 160) == [], p
        assert winpaths.units(p) < 160
    # the clash: two folders whose names are the same after shortening, told apart by " (2)"
    dirs = sorted(d.name for d in root.iterdir() if d.is_dir())
    twins = [d for d in dirs if d.startswith(TWIN[:20])]
    assert len(twins) == 2 and twins[0].endswith(" (2)") != twins[1].endswith(" (2)")
    assert len({winpaths.clash_key(d) for d in dirs}) == len(dirs)

    files = sorted(p for p in paths if "/" in p)
    f111 = [p.split("/", 1)[1] for p in files if p.startswith("1.1.1 ")]
    # numbered in review order; doc number + title; Chinese kept
    assert f111[0].startswith("01 沂政发〔2023〕13号 关于印发") and f111[0].endswith(".pdf")
    assert f111[1] == "02 会议纪要： 第一次会议？.docx"
    assert f111[2] == "03 CON.txt"  # the number in front already makes it an ordinary name
    assert f111[3].startswith("04 关于印发") and f111[3].endswith("….pdf")
    folder111 = next(d for d in dirs if d.startswith("1.1.1 "))
    assert folder111.endswith("…") and winpaths.units(folder111) <= 60
    shortened = [f for f in plan.files if "shortened" in f.changes]
    assert [f.path for f in shortened] == [f"{folder111}/{f111[3]}"]
    f112 = [p for p in files if p.startswith("1.1.2 ")]
    assert [p.split("/", 1)[0] for p in f112] == ["1.1.2 宣传：质量月？活动"]  # returned/trashed left out
    assert len(f112) == 1 and f112[0].endswith("/01 宣传报道.jpg")

    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["file_count"] == len(plan.files) == 7
    for row in manifest["files"]:
        assert hashlib.sha256((root / row["path"]).read_bytes()).hexdigest() == row["sha256"]
    csv_text = (root / "manifest.csv").read_bytes().decode("utf-8-sig")
    assert csv_text.count("\r\n") == 8 and "沂政发〔2023〕13号" in csv_text

    r = run_cli("bundle", "verify", str(root))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "材料包完好" in r.stdout


def test_review_order_is_the_numbering(bundle_archive, tmp_path):
    with bundle_archive.sessions.write() as s:
        ind = s.scalar(select(Indicator).where(Indicator.code == "1.1.1"))
        ids = [e for (e,) in s.execute(select(EvidenceIndicator.evidence_id)
                                        .where(EvidenceIndicator.indicator_id == ind.id)
                                        .order_by(EvidenceIndicator.position))]
        set_review_order(s, ind.id, list(reversed(ids)))
    plan, _ = _export(bundle_archive, tmp_path / "out")
    names = [f.path.split("/", 1)[1] for f in plan.files if f.path.startswith("1.1.1 ")]
    assert names[0].startswith("01 关于印发") and names[1] == "02 CON.txt"
    assert names[3].startswith("04 沂政发〔2023〕13号")


def test_zip_utf8_flag_stored_formats_dates_and_verify(bundle_archive, tmp_path):
    plan, result = _export(bundle_archive, tmp_path / "out.zip", zip_=True)
    with zipfile.ZipFile(result.path) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        assert zf.testzip() is None
        manifest = json.loads(zf.read("manifest.json"))
        for row in manifest["files"]:
            assert hashlib.sha256(zf.read(row["path"])).hexdigest() == row["sha256"]
    for name, info in infos.items():
        assert info.date_time == (2026, 3, 1, 0, 0, 0)
        if not name.isascii():
            assert info.flag_bits & 0x800, name
        assert winpaths.path_problems(name.rstrip("/"), 160) == [], name
        ext = os.path.splitext(name)[1]
        if ext in (".pdf", ".docx", ".jpg", ".xlsx"):
            assert info.compress_type == zipfile.ZIP_STORED, name
        elif ext in (".txt", ".json", ".csv"):
            assert info.compress_type == zipfile.ZIP_DEFLATED, name
    assert any(n.endswith(".pdf") for n in infos) and any(n.endswith(".docx") for n in infos)
    # raw bytes: the flag is really in the central directory of the file on disk
    raw = Path(result.path).read_bytes()
    pos, flagged = raw.find(b"PK\x01\x02"), 0
    while raw[pos:pos + 4] == b"PK\x01\x02":
        flags = int.from_bytes(raw[pos + 8:pos + 10], "little")
        n, x, c = (int.from_bytes(raw[pos + k:pos + k + 2], "little") for k in (28, 30, 32))
        name = raw[pos + 46:pos + 46 + n]
        if not name.isascii():
            assert flags & 0x800, name.decode("utf-8")
            flagged += 1
        pos += 46 + n + x + c
    assert flagged == len([n for n in infos if not n.isascii()]) > 10
    r = run_cli("bundle", "verify", result.path, "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["checked"] == 7


def test_same_date_gives_byte_identical_bundles(bundle_archive, tmp_path):
    _, z1 = _export(bundle_archive, tmp_path / "a.zip", zip_=True)
    _, z2 = _export(bundle_archive, tmp_path / "b.zip", zip_=True)
    assert Path(z1.path).read_bytes() == Path(z2.path).read_bytes()
    _, z3 = _export(bundle_archive, tmp_path / "c.zip", zip_=True, date=dt.date(2026, 3, 2))
    assert Path(z1.path).read_bytes() != Path(z3.path).read_bytes()

    _, d1 = _export(bundle_archive, tmp_path / "d1")
    _, d2 = _export(bundle_archive, tmp_path / "d2")
    p1, p2 = sorted(_all_relpaths(Path(d1.path))), sorted(_all_relpaths(Path(d2.path)))
    assert p1 == p2
    for rel in p1:
        a, b = Path(d1.path) / rel, Path(d2.path) / rel
        if a.is_file():
            assert filecmp.cmp(a, b, shallow=False), rel
            assert a.stat().st_mtime == b.stat().st_mtime


def test_tampered_bundle_fails_verify_naming_the_files(bundle_archive, tmp_path):
    _, result = _export(bundle_archive, tmp_path / "out")
    root = Path(result.path)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    changed, removed = manifest["files"][0]["path"], manifest["files"][1]["path"]
    data = bytearray((root / changed).read_bytes())
    data[len(data) // 2] ^= 0x01
    (root / changed).write_bytes(bytes(data))
    (root / removed).unlink()
    (root / "多出来的文件.txt").write_text("x", encoding="utf-8")

    r = run_cli("bundle", "verify", str(root))
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"[已改动 changed] {changed}" in r.stdout
    assert f"[缺少 missing] {removed}" in r.stdout
    assert "[多出 extra] 多出来的文件.txt" in r.stdout
    check = verify_bundle(root)
    assert (check.changed, check.missing, check.extra) == ([changed], [removed], ["多出来的文件.txt"])


def test_tampered_zip_fails_verify(bundle_archive, tmp_path):
    _, result = _export(bundle_archive, tmp_path / "out.zip", zip_=True)
    raw = bytearray(Path(result.path).read_bytes())
    with zipfile.ZipFile(result.path) as zf:
        info = next(i for i in zf.infolist() if i.filename.endswith(".pdf"))
    # one byte inside the stored (uncompressed) data of that member
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + 20] ^= 0x01
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(raw))
    r = run_cli("bundle", "verify", str(bad), "--json")
    assert r.returncode == 1, r.stdout + r.stderr
    assert json.loads(r.stdout)["changed"] == [info.filename]


def test_export_cli_refuses_a_non_empty_folder_and_takes_an_empty_one(bundle_archive, tmp_path):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "旧文件.txt").write_text("x", encoding="utf-8")
    r = run_cli("export", str(busy), "--archive", str(bundle_archive.root))
    assert r.returncode == 2
    assert "导出文件夹已存在且不是空的" in r.stderr and "not empty" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []

    empty = tmp_path / "empty"
    empty.mkdir()
    r = run_cli("export", str(empty), "--archive", str(bundle_archive.root), "--date", "2026-03-01",
                "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["files"] == 7 + 6  # evidence and the six generated documents
    r = run_cli("export", str(tmp_path / "b"), "--zip", "--archive", str(bundle_archive.root),
                "--date", "2026-03-01")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "b.zip").is_file()
    assert verify_bundle(tmp_path / "b.zip").ok
    r = run_cli("export", str(tmp_path / "b.zip"), "--zip", "--archive", str(bundle_archive.root))
    assert r.returncode == 2 and "已存在" in r.stderr


@pytest.mark.parametrize("zip_", [False, True])
def test_cancel_leaves_nothing_under_the_final_name(bundle_archive, tmp_path, zip_):
    target = tmp_path / ("out.zip" if zip_ else "out")
    seen = []
    with pytest.raises(Cancelled):
        _export(bundle_archive, target, zip_=zip_, progress=lambda d, t, s="": seen.append(d),
                cancel=lambda: len(seen) >= 2)
    assert seen == [1, 2]
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


@pytest.mark.parametrize("zip_", [False, True], ids=["folder", "zip"])
def test_damaged_stored_file_stops_the_export(bundle_archive, tmp_path, zip_):
    with bundle_archive.sessions.read() as s:
        source = bundle_source(s)
    victim = source.indicators[0].files[0].sha256
    stored = bundle_archive.files.path_for(victim)
    os.chmod(stored, 0o644)
    data = bytearray(stored.read_bytes())
    data[0] ^= 0x01
    stored.write_bytes(bytes(data))
    target = tmp_path / ("out.zip" if zip_ else "out")
    with pytest.raises(ArchiveError) as err:
        _export(bundle_archive, target, zip_=zip_)
    planned = next(f for f in plan_bundle(source).files if f.sha256 == victim)
    assert "已损坏" in err.value.zh and planned.path in err.value.zh and planned.original_name in err.value.zh
    assert planned.path in err.value.en
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_demo_archive_bundle_verifies(demo_archive, tmp_path):
    plan, result = _export(demo_archive, tmp_path / "demo.zip", zip_=True)
    assert len(plan.folders) == 16 and plan.files
    assert verify_bundle(result.path).ok
