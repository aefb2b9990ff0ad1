"""verify: re-hash every stored file; name what is missing, corrupt or orphaned."""
from __future__ import annotations

import json
import os
import stat

import pytest
from conftest import run_cli

from storage.catalogue.ingest import ingest_paths
from storage.durability.verify import verify_archive

pytestmark = pytest.mark.backends


def _stored(archive, tmp_path, names):
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    for n in names:
        (src / n).write_bytes(os.urandom(3000) + n.encode())
    report = ingest_paths(archive, [src])
    return {os.path.basename(i.path): i.sha256 for i in report.items}


def _flip_a_byte(path, offset=100):
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0x01]))


def test_verify_catches_a_flipped_byte_and_names_the_file(archive, tmp_path):
    shas = _stored(archive, tmp_path, ["沂政发〔2023〕13号 通知.pdf", "会议纪要.docx", "照片.jpg"])
    assert verify_archive(archive).ok
    _flip_a_byte(archive.files.path_for(shas["会议纪要.docx"]))

    report = verify_archive(archive)
    assert not report.ok
    [p] = report.problems
    assert p.kind == "corrupt" and p.sha256 == shas["会议纪要.docx"]
    assert any("会议纪要.docx" in n for n in p.names)

    r = run_cli("verify", "--archive", str(archive.root))
    assert r.returncode == 1
    assert "[损坏] 会议纪要.docx" in r.stdout
    r = run_cli("verify", "--archive", str(archive.root), "--json")
    data = json.loads(r.stdout)
    assert data["ok"] is False and data["problems"][0]["kind"] == "corrupt"


def test_verify_reports_missing_orphan_and_leftover(archive, tmp_path):
    shas = _stored(archive, tmp_path, ["甲.pdf", "乙.pdf"])
    gone = archive.files.path_for(shas["甲.pdf"])
    os.chmod(gone, stat.S_IWUSR | stat.S_IRUSR)
    gone.unlink()
    orphan = archive.files.path_for("ab" * 32)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left by a crash between store and commit")
    archive.files.staging.mkdir(exist_ok=True)
    (archive.files.staging / "tmp-abc").write_bytes(b"half a copy")

    report = verify_archive(archive)
    kinds = sorted(p.kind for p in report.problems)
    assert kinds == ["leftover", "missing", "orphan"]
    missing = next(p for p in report.problems if p.kind == "missing")
    assert any("甲.pdf" in n for n in missing.names)
    assert not report.ok
    # a leftover alone is not an error
    gone_parent = archive.files.path_for(shas["甲.pdf"])
    assert not gone_parent.exists()


def test_leftover_alone_does_not_fail_verify(archive, tmp_path):
    _stored(archive, tmp_path, ["一.txt"])
    archive.files.staging.mkdir(exist_ok=True)
    (archive.files.staging / "tmp-x").write_bytes(b"partial")
    report = verify_archive(archive)
    assert report.ok and [p.kind for p in report.problems] == ["leftover"]


def test_verify_detects_database_damage(archive, tmp_path):
    _stored(archive, tmp_path, ["一.txt", "二.txt"])
    with archive.engine.connect() as c:
        c.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        c.exec_driver_sql("INSERT INTO evidence_indicator (evidence_id, indicator_id, position) VALUES (1, 777, 1)")
        c.commit()
    report = verify_archive(archive)
    assert any(p.kind == "database" and "foreign key" in p.detail for p in report.problems)


def test_verify_can_be_cancelled(archive, tmp_path):
    _stored(archive, tmp_path, [f"{i}.bin" for i in range(10)])
    n = {"calls": 0}

    def cancel():
        n["calls"] += 1
        return n["calls"] > 3

    report = verify_archive(archive, cancel=cancel)
    assert report.cancelled and report.files_checked == 3 and not report.ok


def test_verify_repair_adopts_an_old_orphan_into_the_inbox(archive, tmp_path):
    import time

    from sqlalchemy import select

    from storage.models import InboxEntry

    _stored(archive, tmp_path, ["一.txt"])
    import hashlib

    data = b"a file a crash left without its row"
    orphan = archive.files.path_for(hashlib.sha256(data).hexdigest())
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(data)
    old = time.time() - 3600
    os.utime(orphan, (old, old))
    r = run_cli("verify", "--repair", "--archive", str(archive.root), "--json")
    assert r.returncode in (0, 1), r.stderr
    with archive.sessions.read() as s:
        entries = s.scalars(select(InboxEntry)).all()
    assert len(entries) == 1 and entries[0].state == "pending"
    assert orphan.exists()  # adopted where it is, never deleted
    assert run_cli("verify", "--archive", str(archive.root)).returncode == 0
