"""The archive folder: creation, opening checks, the one-window lock, SQLite set-up, audit."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys

import pytest
from conftest import run_cli
from sqlalchemy import select, text

from storage.core.archive import Archive, WindowLock
from storage.kernel.errors import ArchiveError, ArchiveLocked, NetworkPathRefused, NotAnArchive, SchemaTooNew
from storage.kernel.paths import is_network_path, is_unc
from storage.models import AuditLog, Evidence

pytestmark = pytest.mark.backends

MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
//nas/质量办 /mnt/share cifs rw,vers=3.0 0 0
nas:/export /mnt/nfs nfs4 rw 0 0
/dev/sdb1 /mnt/share/local\\040disk ext4 rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/mnt/share/档案库", True),
        ("/mnt/share", True),
        ("/mnt/nfs/a/b", True),
        ("/mnt/sharedisk/x", False),  # prefix of a mount point name, not inside it
        ("/mnt/share/local disk/档案库", False),  # a local disk mounted inside the share
        ("/home/clerk/档案库", False),
        ("/tmp/x", False),
    ],
)
def test_network_mounts_are_recognised(path, expected):
    assert is_network_path(path, mounts_text=MOUNTS, platform="linux") is expected


@pytest.mark.parametrize(
    "path, expected",
    [
        (r"\\server\share\档案库", True),
        ("//server/share/档案库", True),
        (r"\\?\UNC\server\share\x", True),
        (r"\\?\C:\很长的路径\档案库", False),
        (r"C:\Users\张三\档案库", False),
        ("/home/x", False),
    ],
)
def test_unc_paths(path, expected):
    assert is_unc(path) is expected


def test_archive_on_a_network_path_is_refused_with_a_clear_message(tmp_path):
    with pytest.raises(NetworkPathRefused) as e:
        Archive.create("//nas/质量办/档案库")
    assert "网络路径" in e.value.zh and "network path" in e.value.en


def test_create_lays_out_the_folder_and_sets_up_sqlite(archive):
    for sub in ("files", "backups", "quarantine"):
        assert (archive.root / sub).is_dir()
    with archive.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_foreign_keys_are_enforced(archive):
    from sqlalchemy.exc import IntegrityError

    from storage.models import EvidenceIndicator

    with pytest.raises(IntegrityError):
        with archive.sessions.write() as s:
            s.add(EvidenceIndicator(evidence_id=999, indicator_id=999, position=1))


def test_create_refuses_an_existing_archive(archive):
    with pytest.raises(ArchiveError) as e:
        Archive.create(archive.root)
    assert "已经有" in e.value.zh


def test_open_missing_and_non_archive(tmp_path):
    with pytest.raises(NotAnArchive) as e:
        Archive.open(tmp_path / "nope")
    assert "找不到" in e.value.zh
    with pytest.raises(NotAnArchive) as e:
        Archive.open(tmp_path)
    assert "不是" in e.value.zh and "not an Evidence Desk archive" in e.value.en
    (tmp_path / "archive.sqlite3").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(NotAnArchive) as e:
        Archive.open(tmp_path)
    assert "损坏" in e.value.zh


def test_archive_from_a_newer_version_is_refused_and_left_untouched(archive):
    root = archive.root
    archive.close()
    con = sqlite3.connect(root / "archive.sqlite3")
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    before = hashlib.sha256((root / "archive.sqlite3").read_bytes()).hexdigest()
    def listing():  # SQLite's own -wal/-shm side files may appear on any read
        return sorted(p.name for p in root.iterdir() if not p.name.endswith(("-wal", "-shm")))

    before_listing = listing()
    with pytest.raises(SchemaTooNew) as e:
        Archive.open(root)
    assert "更新版本" in e.value.zh and "newer" in e.value.en
    assert hashlib.sha256((root / "archive.sqlite3").read_bytes()).hexdigest() == before
    assert listing() == before_listing
    assert list((root / "backups").iterdir()) == []


def test_archive_is_self_contained_and_opens_after_a_copy(demo_archive, tmp_path):
    import shutil

    from storage.durability.verify import verify_archive

    demo_archive.close()
    copy = tmp_path / "U盘" / "档案库副本"
    shutil.copytree(demo_archive.root, copy)
    with Archive.open(copy) as a:
        assert verify_archive(a).ok
        with a.sessions.read() as s:
            assert s.scalar(text("SELECT count(*) FROM evidence")) == 10


def test_window_lock_names_its_owner_and_takes_over_stale_locks(archive):
    lock = archive.acquire_window_lock()
    with pytest.raises(ArchiveLocked) as e:
        archive.acquire_window_lock()
    assert f"进程 {os.getpid()}" in e.value.zh
    lock.release()
    assert not (archive.root / "window.lock").exists()

    # a lock left by a process that is gone is stale
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    owner = json.loads(json.dumps(lock.owner.__dict__))
    owner["pid"] = int(dead)
    (archive.root / "window.lock").write_text(json.dumps(owner), encoding="utf-8")
    lock2 = archive.acquire_window_lock()
    assert lock2.owner.pid == os.getpid()
    lock2.release()


def test_window_lock_from_another_host_is_respected(archive):
    (archive.root / "window.lock").write_text(
        json.dumps({"user": "李四", "host": "其他电脑", "pid": 1234, "since": "2026-11-20T09:00:00"}),
        encoding="utf-8",
    )
    with pytest.raises(ArchiveLocked) as e:
        WindowLock.acquire(archive.root / "window.lock")
    assert "李四@其他电脑" in e.value.zh


def test_every_change_is_audited_in_the_same_transaction(archive):
    with archive.sessions.write() as s:
        e = Evidence(title="关于质量工作的报告", status="received")
        s.add(e)
    with archive.sessions.write() as s:
        s.get(Evidence, e.id).status = "accepted"
    with pytest.raises(RuntimeError):
        with archive.sessions.write() as s:
            s.get(Evidence, e.id).title = "改了又回滚"
            s.flush()
            raise RuntimeError("boom")
    with archive.sessions.read() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.entity == "evidence").order_by(AuditLog.id)).all()
    assert [r.action for r in rows] == ["insert", "update"]
    assert json.loads(rows[1].summary) == {"status": ["received", "accepted"]} or "status" in json.loads(rows[1].summary)
    assert all(r.user for r in rows)
    with archive.sessions.read() as s:
        assert s.get(Evidence, e.id).title == "关于质量工作的报告"


def test_cli_writes_beside_an_open_window(archive, tmp_path):
    """A window holds the lock; the command line still writes through SQLite's locking."""
    lock = archive.acquire_window_lock()
    try:
        src = tmp_path / "in"
        src.mkdir()
        (src / "通知.txt").write_text("内容", encoding="utf-8")
        r = run_cli("ingest", str(src), "--archive", str(archive.root))
        assert r.returncode == 0, r.stderr
    finally:
        lock.release()


@pytest.mark.parametrize(
    "args, zh, en",
    [
        (["status", "--archive", "{tmp}/没有"], "找不到档案库文件夹", "archive folder not found"),
        (["status", "--archive", "{tmp}"], "不是 Evidence Desk 档案库", "not an Evidence Desk archive"),
        (["ingest", "{tmp}/不存在.docx", "--archive", "{arch}"], "找不到要导入的路径", "not found"),
        (["frobnicate"], "命令用法有误", "bad usage"),
        (["init"], "init 需要 --archive", "init needs --archive"),
    ],
)
def test_cli_bad_input_is_one_clear_line_exit_2(tmp_path, archive, args, zh, en):
    args = [a.format(tmp=tmp_path, arch=archive.root) for a in args]
    r = run_cli(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("错误：") and zh in lines[0] and en in lines[0]
    assert "Traceback" not in r.stderr


def test_status_and_verify_json_shapes(demo_archive):
    r = run_cli("status", "--archive", str(demo_archive.root), "--json")
    assert r.returncode == 0, r.stderr
    st = json.loads(r.stdout)
    assert st["framework_is_sample"] is True and "示例" in st["framework_name"]
    assert st["evidence_total"] == 10 and st["indicators_total"] == 16
    assert [n["title"] for n in st["level1"]] == ["质量发展理念", "质量发展保障", "质量发展基础", "质量发展成效"]
    assert st["evidence_by_status"] == {"accepted": 4, "received": 5, "returned": 1}
    r = run_cli("verify", "--archive", str(demo_archive.root), "--json")
    assert r.returncode == 0
    v = json.loads(r.stdout)
    assert v["ok"] is True and v["files_checked"] == 10 and v["problems"] == []


def test_last_archive_is_remembered(tmp_path):
    arch = tmp_path / "a"
    assert run_cli("init", "--archive", str(arch)).returncode == 0
    env_cfg = os.environ["EVIDENCE_DESK_CONFIG_DIR"]
    r = run_cli("status", "--json", env={"EVIDENCE_DESK_CONFIG_DIR": env_cfg})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["archive"] == str(arch)


def test_schema_head_constant_matches_the_migrations():
    from storage.core.migrate import SCHEMA_HEAD, alembic_head

    assert SCHEMA_HEAD == alembic_head()


def test_models_and_migrations_agree(archive):
    """Autogenerate finds nothing to do: the migrations create exactly the models' schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.core.migrate import include_object
    from storage.models import Base

    with archive.engine.connect() as c:
        ctx = MigrationContext.configure(c, opts={"include_object": include_object})
        assert compare_metadata(ctx, Base.metadata) == []


def test_audit_rows_name_the_row_they_record(archive):
    with archive.sessions.write() as s:
        e = Evidence(title="会议纪要", status="received")
        s.add(e)
    with archive.sessions.read() as s:
        row = s.scalars(select(AuditLog).where(AuditLog.entity == "evidence")).one()
    assert row.entity_id == str(e.id) and row.action == "insert"
