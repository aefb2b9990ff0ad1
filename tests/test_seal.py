"""Sealed submissions (issue 7, item 6): export --seal keeps every file and its hash and the
generated documents themselves in the archive; later edits (metadata, scores, a new file,
a trashed and purged item) change nothing of it; submission diff names what changed;
submission export writes it again byte for byte (every file's SHA-256, and the zip's)."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from bundle_helpers import county_archive, make_file
from conftest import run_cli
from sqlalchemy import select

from storage.bundle.assessments import set_assessment
from storage.catalogue.ingest import ingest_paths
from storage.catalogue.items import update_evidence_metadata
from storage.durability.trash import purge, trash_evidence
from storage.models import AuditLog, Blob, Submission, SubmissionFile

DOCS = "00 申报文件"


def _hashes(root: Path) -> dict[str, str]:
    out = {}
    for folder, _dirs, names in os.walk(root):
        for n in names:
            p = Path(folder) / n
            out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture
def sealed(archive, tmp_path):
    ids = county_archive(archive, tmp_path)
    a = str(archive.root)
    r = run_cli("export", str(tmp_path / "submitted"), "--zip", "--seal", "--note", "首次上传",
                "--date", "2026-03-01", "--archive", a, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    r = run_cli("export", str(tmp_path / "folder"), "--seal", "--date", "2026-03-01", "--archive", a, "--json")
    assert r.returncode == 0, r.stderr
    return archive, ids, doc, json.loads(r.stdout)


def test_seal_stores_files_hashes_documents_who_and_when(sealed, tmp_path):
    archive, ids, doc, folder_doc = sealed
    sub = doc["submission"]
    assert sub["id"] == 1 and sub["files"] == 12 and sub["generated"] == 6
    assert sub["bundle_sha256"] == hashlib.sha256((tmp_path / "submitted.zip").read_bytes()).hexdigest()
    with archive.sessions.read() as s:
        row = s.get(Submission, 1)
        assert row.user and row.note == "首次上传" and row.sealed_at is not None
        files = s.execute(select(SubmissionFile.bundle_path, SubmissionFile.evidence_id, Blob.sha256, Blob.size)
                          .join(Blob, Blob.id == SubmissionFile.blob_id)
                          .where(SubmissionFile.submission_id == 1)).all()
        generated = [f for f in files if f.evidence_id is None]
        assert sorted(f.bundle_path for f in generated) == [
            f"{DOCS}/01 申报表.docx", f"{DOCS}/02 自评报告.docx", f"{DOCS}/03 佐证材料目录.docx",
            f"{DOCS}/04 自评得分表.xlsx", f"{DOCS}/05 工作责任分解表.xlsx", f"{DOCS}/06 佐证材料清单.xlsx"]
        for f in generated:  # the documents themselves are in the file store
            stored = archive.files.path_for(f.sha256)
            assert hashlib.sha256(stored.read_bytes()).hexdigest() == f.sha256
        assert len(files) - len(generated) == 6
        assert s.scalar(select(AuditLog).where(AuditLog.action == "seal", AuditLog.entity_id == "1"))
    r = run_cli("verify", "--archive", str(archive.root))
    assert r.returncode == 0, r.stdout  # stored documents are no orphans

    r = run_cli("submission", "list", "--archive", str(archive.root), "--json")
    subs = json.loads(r.stdout)["submissions"]
    assert [(x["id"], x["as_zip"], x["files"], x["generated"]) for x in subs] == [(1, True, 12, 6), (2, False, 12, 6)]
    assert subs[0]["export_date"] == "2026-03-01" and subs[0]["note"] == "首次上传"
    r = run_cli("submission", "diff", "1", "--archive", str(archive.root), "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["same"] is True


def test_later_edits_change_nothing_and_diff_names_them(sealed, tmp_path):
    archive, ids, doc, _ = sealed
    a = str(archive.root)
    with archive.sessions.write() as s:
        update_evidence_metadata(s, ids["minutes"], title="第一次领导小组会议纪要", doc_number="沂质强办〔2025〕1号")
        set_assessment(s, "1.3", score=3, note="")
    ingest_paths(archive, [make_file(tmp_path / "new" / "质量月总结.pdf", "新")], indicator_code="1.3")
    trash_evidence(archive, [ids["big"]])
    purge(archive, [ids["big"]])

    r = run_cli("submission", "diff", "1", "--archive", a, "--json")
    assert r.returncode == 1, r.stderr
    diff = json.loads(r.stdout)
    assert [f["path"] for f in diff["added"]] == ["1.3 宣传：质量月？活动/02 质量月总结.pdf"]
    assert [f["evidence_id"] for f in diff["removed"]] == [ids["big"]]
    moved = {f["evidence_id"]: f for f in diff["moved"]}
    assert moved[ids["minutes"]]["path"].startswith("1.1 组织领导/02 沂质强办〔2025〕1号 第一次领导小组会议纪要")
    changed = {f["path"] for f in diff["changed"]}
    assert {f"{DOCS}/02 自评报告.docx", f"{DOCS}/04 自评得分表.xlsx", f"{DOCS}/03 佐证材料目录.docx"} <= changed
    fields = {(m["evidence_id"], m["field"]) for m in diff["metadata"]}
    assert (ids["minutes"], "title") in fields and (ids["minutes"], "doc_number") in fields
    assert (ids["big"], "deleted") in fields
    assert {"indicator": "1.3", "field": "self_score", "sealed": 2.0, "now": 3.0} in diff["scores"]
    r = run_cli("submission", "diff", "1", "--archive", a)
    assert "[新增] 1.3 宣传：质量月？活动/02 质量月总结.pdf" in r.stdout and "[自评已改] 1.3 self_score：2.0 → 3.0" in r.stdout

    # the sealed submission comes back byte for byte: the zip and every file
    r = run_cli("submission", "export", "1", str(tmp_path / "again"), "--zip", "--archive", a, "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["identical"] is True
    assert (tmp_path / "again.zip").read_bytes() == (tmp_path / "submitted.zip").read_bytes()
    r = run_cli("submission", "export", "2", str(tmp_path / "again-folder"), "--archive", a, "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["identical"] is True
    original, again = _hashes(tmp_path / "folder"), _hashes(tmp_path / "again-folder")
    assert original == again and len(original) == 12 + 2  # files + manifest.json/.csv
    # a zip of the folder submission equals what export --zip would have written then
    r = run_cli("submission", "export", "2", str(tmp_path / "z2.zip"), "--zip", "--archive", a, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["identical"] is None
    assert (tmp_path / "z2.zip").read_bytes() == (tmp_path / "submitted.zip").read_bytes()


def test_bad_submission_numbers(sealed, tmp_path):
    archive, *_ = sealed
    a = str(archive.root)
    r = run_cli("submission", "diff", "9", "--archive", a)
    assert r.returncode == 2 and "没有第 9 次封存的提交" in r.stderr and "no sealed submission 9" in r.stderr
    r = run_cli("submission", "export", "x", str(tmp_path / "o"), "--archive", a)
    assert r.returncode == 2 and "提交编号应为数字" in r.stderr
    r = run_cli("submission", "export", "1", str(tmp_path / "submitted.zip"), "--zip", "--archive", a)
    assert r.returncode == 2 and "已存在" in r.stderr
