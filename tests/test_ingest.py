"""Ingest: every non-empty file stored exactly once, skips and duplicates reported."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from conftest import run_cli
from sqlalchemy import func, select

from storage.catalogue.ingest import ingest_paths
from storage.kernel.errors import BadInput
from storage.models import AuditLog, Blob, Evidence, EvidenceFile, EvidenceIndicator, Indicator

pytestmark = pytest.mark.backends

NAMES = {
    "县市场监管局/沂政发〔2023〕13号 关于印发质量强县工作方案的通知.docx": b"docx-like bytes " * 300,
    "县市场监管局/【重要】质量月活动方案（２０２３）.pdf": os.urandom(70_000),
    "县工信局/子文件夹　全角空格/ＡＢＣ全角字母与１２３.xlsx": os.urandom(5_000),
    "县工信局/照片 2023.06.01.jpg": os.urandom(200_000),
    "县住建局/空文件.docx": b"",
    "县住建局/~$临时锁文件.docx": b"owner",
    "县市场监管局/副本/重复的方案.docx": b"docx-like bytes " * 300,  # same bytes as the first file
}


def make_tree(root: Path) -> dict[str, bytes]:
    for rel, data in NAMES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return NAMES


def test_ingest_tree_with_chinese_names_empty_and_duplicate(archive, tmp_path):
    src = tmp_path / "来文"
    make_tree(src)
    before = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}

    report = ingest_paths(archive, [src], department="县市场监管局")

    by_name = {Path(i.path).name: i for i in report.items}
    assert report.count("stored") == 4
    assert by_name["空文件.docx"].outcome == "skipped"
    assert "空文件" in by_name["空文件.docx"].reason and "empty" in by_name["空文件.docx"].reason
    assert by_name["~$临时锁文件.docx"].outcome == "skipped"
    assert "锁文件" in by_name["~$临时锁文件.docx"].reason
    dup = by_name["重复的方案.docx"]
    assert dup.outcome == "duplicate"
    first = by_name["沂政发〔2023〕13号 关于印发质量强县工作方案的通知.docx"]
    assert dup.evidence_id == first.evidence_id and f"#{first.evidence_id}" in dup.reason

    # every non-empty distinct content is in the store exactly once, byte for byte
    distinct = {hashlib.sha256(d).hexdigest() for d in NAMES.values() if d and d != b"owner"}
    stored = {sha for sha, _ in archive.files.iter_stored()}
    assert stored == distinct
    for sha in distinct:
        assert hashlib.sha256(archive.files.path_for(sha).read_bytes()).hexdigest() == sha

    with archive.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 4
        assert s.scalar(select(func.count()).select_from(Evidence)) == 4
        ev = s.get(Evidence, first.evidence_id)
        assert ev.doc_number == "沂政发〔2023〕13号"
        assert ev.title == "沂政发〔2023〕13号 关于印发质量强县工作方案的通知"
        f = s.scalar(select(EvidenceFile).where(EvidenceFile.evidence_id == ev.id))
        assert f.original_name.endswith("通知.docx") and f.source_path.startswith(str(src))
        assert f.source_mtime is not None
        # every change is in the audit log, with the OS user
        logged = s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "evidence"))
        assert logged == 4
        assert s.scalar(select(AuditLog.user).limit(1))

    # the sources are untouched
    after = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}
    assert after == before


def test_second_ingest_of_same_bytes_is_duplicate_and_can_link_more_indicators(demo_archive, tmp_path):
    f = tmp_path / "新材料.docx"
    f.write_bytes(b"some new evidence bytes")
    r1 = ingest_paths(demo_archive, [f], indicator_code="1.1.1")
    r2 = ingest_paths(demo_archive, [f], indicator_code="2.1.2")
    assert [i.outcome for i in r1.items] == ["stored"]
    assert [i.outcome for i in r2.items] == ["duplicate"]
    eid = r1.items[0].evidence_id
    with demo_archive.sessions.read() as s:
        links = s.scalars(
            select(EvidenceIndicator.indicator_id).where(EvidenceIndicator.evidence_id == eid)
        ).all()
        assert len(links) == 2
        n = s.scalar(select(func.count()).select_from(EvidenceFile).where(EvidenceFile.evidence_id == eid))
        assert n == 1
    assert sum(1 for _ in demo_archive.files.iter_stored()) == 11


def test_new_evidence_goes_to_the_end_of_the_review_order(demo_archive, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(3):
        (src / f"材料{i}.txt").write_text(f"内容{i}", encoding="utf-8")
    ingest_paths(demo_archive, [src], indicator_code="4.2.2")
    with demo_archive.sessions.read() as s:
        rows = s.execute(
            select(Evidence.title, EvidenceIndicator.position)
            .join(EvidenceIndicator, EvidenceIndicator.evidence_id == Evidence.id)
            .join(Indicator, Indicator.id == EvidenceIndicator.indicator_id)
            .where(Indicator.code == "4.2.2")
            .order_by(EvidenceIndicator.position)
        ).all()
    titles = [t for t, _ in rows]
    assert [p for _, p in rows] == [1, 2, 3]
    assert titles == ["材料0", "材料1", "材料2"]


def test_unknown_path_or_indicator_writes_nothing(archive, tmp_path):
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(BadInput) as e:
        ingest_paths(archive, [tmp_path / "a.txt", tmp_path / "没有这个文件.txt"])
    assert "找不到" in e.value.zh and "not found" in e.value.en
    with pytest.raises(BadInput):
        ingest_paths(archive, [tmp_path / "a.txt"], indicator_code="9.9.9")
    with archive.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(Evidence)) == 0
    assert list(archive.files.iter_stored()) == []


def test_cancel_stops_between_files_and_keeps_whole_items(archive, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(20):
        (src / f"f{i:02}.bin").write_bytes(os.urandom(1000 + i))
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 7

    report = ingest_paths(archive, [src], cancel=cancel)
    # copies already in flight when Cancel was pressed are finished and recorded
    stored = report.count("stored")
    assert report.cancelled and 7 <= stored < 20
    with archive.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(Evidence)) == stored
    assert sum(1 for _ in archive.files.iter_stored()) == stored
    from storage.durability.verify import verify_archive

    assert verify_archive(archive).ok


def test_progress_is_reported(archive, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(5):
        (src / f"{i}.txt").write_text(str(i) * 10)
    seen = []
    ingest_paths(archive, [src], progress=lambda d, t, txt="": seen.append((d, t)))
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)


def test_cli_ingest_json_report(tmp_path):
    arch = tmp_path / "档案库"
    assert run_cli("init", "--archive", str(arch)).returncode == 0
    src = tmp_path / "来文"
    make_tree(src)
    r = run_cli("ingest", str(src), "--archive", str(arch), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["stored"], data["duplicates"], data["skipped"], data["failed"]) == (4, 1, 2, 0)
    r = run_cli("ingest", str(src), "--archive", str(arch))
    assert r.returncode == 0
    assert "已存档 0 个文件" in r.stdout and "重复 5 个" in r.stdout and "[跳过]" in r.stdout


def test_ingesting_a_folder_that_holds_the_archive_leaves_the_archive_out(tmp_path):
    from storage.core.archive import Archive

    office = tmp_path / "质量办"
    (office / "材料").mkdir(parents=True)
    (office / "材料" / "纪要.txt").write_text("会议纪要", encoding="utf-8")
    with Archive.create(office / "档案库") as a:
        report = ingest_paths(a, [office])
        assert [Path(i.path).name for i in report.items] == ["纪要.txt"]
        with pytest.raises(BadInput) as e:
            ingest_paths(a, [a.root / "files"])
        assert "档案库" in e.value.zh


def test_two_processes_ingesting_overlapping_folders_store_each_content_once(archive, tmp_path):
    """Two writers at once queue on SQLite's lock (busy timeout, BEGIN IMMEDIATE): no
    "database is locked", and shared content is stored once."""
    import subprocess
    import sys

    from conftest import ROOT

    a, b = tmp_path / "甲单位", tmp_path / "乙单位"
    a.mkdir()
    b.mkdir()
    shared = [os.urandom(20_000) for _ in range(40)]
    for i, data in enumerate(shared):
        (a / f"共享{i}.pdf").write_bytes(data)
        (b / f"共享副本{i}.pdf").write_bytes(data)
    for i in range(40):
        (a / f"甲{i}.pdf").write_bytes(os.urandom(10_000))
        (b / f"乙{i}.pdf").write_bytes(os.urandom(10_000))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen([sys.executable, "-m", "desktop", "ingest", str(src), "--archive", str(archive.root),
                          "--json"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for src in (a, b)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    reports = [json.loads(out) for out, _ in outs]
    assert sum(r["stored"] for r in reports) == 120
    assert sum(r["duplicates"] for r in reports) == 40
    with archive.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 120
        assert s.scalar(select(func.count()).select_from(Evidence)) == 120
    assert sum(1 for _ in archive.files.iter_stored()) == 120
    from storage.durability.verify import verify_archive

    assert verify_archive(archive).ok
