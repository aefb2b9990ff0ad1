"""Trash / untrash / purge, reading the audit log back, and verify --repair."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import pytest
from durability_helpers import archive_state, cli, db_rows, make_sources, one_error_line

from storage.catalogue.ingest import ingest_paths
from storage.core.archive import Archive
from storage.durability.auditlog import parse_since, read_log
from storage.durability.trash import list_trash, purge, purge_plan, trash_evidence, untrash_evidence
from storage.durability.verify import repair_archive, verify_archive
from storage.kernel.errors import BadInput

pytestmark = pytest.mark.backends


def _archive_with(tmp_path, n=4):
    a = Archive.create(tmp_path / "archive")
    src = make_sources(tmp_path / "src", n, seed=7)
    ingest_paths(a, [tmp_path / "src"])
    return a, src


@pytest.mark.sqlite_only("reads rows from the SQLite file (durability_helpers.db_rows)")
def test_trash_keeps_files_and_untrash_gives_the_same_item_back(tmp_path):
    a, _ = _archive_with(tmp_path)
    before = db_rows(a.db_path)["evidence_file"]
    items = trash_evidence(a, [1, "#2"])
    assert [i.evidence_id for i in items] == [1, 2] and all(i.trashed_at for i in items)
    assert [i.evidence_id for i in list_trash(a)] == [1, 2]
    assert verify_archive(a).ok  # files stay in the store
    assert db_rows(a.db_path)["evidence_file"] == before
    untrash_evidence(a, [1])
    assert [i.evidence_id for i in list_trash(a)] == [2]
    # An unknown id changes nothing at all.
    with pytest.raises(BadInput) as e:
        trash_evidence(a, [3, 99])
    assert "#99" in e.value.zh
    assert [i.evidence_id for i in list_trash(a)] == [2]
    a.close()


@pytest.mark.sqlite_only("reads rows from the SQLite file (durability_helpers.db_rows)")
def test_purge_names_what_it_removes_and_keeps_shared_files(tmp_path):
    a, src = _archive_with(tmp_path, n=3)
    # A second evidence item using the same content as #1 (a revision kept elsewhere).
    from storage.models import Evidence, EvidenceFile

    with a.sessions.write() as s:
        ev = Evidence(title="另一份", status="received")
        s.add(ev)
        s.flush()
        f1 = s.get(EvidenceFile, 1)
        s.add(EvidenceFile(evidence_id=ev.id, blob_id=f1.blob_id, original_name="共用.pdf"))
        shared = f1.blob.sha256
        only_2 = s.get(EvidenceFile, 2).blob.sha256
    with pytest.raises(BadInput):
        purge(a, [1])  # not trashed: refused
    trash_evidence(a, [1, 2])
    plan = purge_plan(a, [1, 2])
    assert [i.evidence_id for i in plan.items] == [1, 2]
    assert {f.sha256: f.removed for f in plan.files} == {shared: False, only_2: True}
    assert db_rows(a.db_path)["evidence"] and len(db_rows(a.db_path)["evidence"]) == 4  # dry run
    done = purge(a, [1, 2])
    assert done == plan
    for f in done.files:
        assert a.files.has(f.sha256) == (not f.removed)
    rep = verify_archive(a)
    assert rep.ok, rep.problems
    log = read_log(a, entity="evidence")
    purge_entry = [e for e in log if e.action == "purge"][-1]
    assert purge_entry.entity_id == "1,2" and len(purge_entry.summary["files_removed"]) == 1
    a.close()


@pytest.mark.sqlite_only("reads rows from the SQLite file (durability_helpers.db_rows)")
def test_trash_purge_cli(tmp_path):
    a, _ = _archive_with(tmp_path, n=3)
    a.close()
    root = str(a.root)
    r = cli("trash", "--archive", root, "1")
    assert r.returncode == 0 and "#1" in r.stdout
    r = cli("purge", "--archive", root, "--all")
    assert r.returncode == 0 and "预览" in r.stdout and "#1" in r.stdout
    state = archive_state(a.root)
    r = cli("purge", "--archive", root, "2", "--yes")  # not trashed
    assert r.returncode == 2
    assert "回收站" in one_error_line(r.stderr)
    r = cli("trash", "--archive", root, "abc")
    assert r.returncode == 2
    one_error_line(r.stderr)
    assert archive_state(a.root)[0]["evidence"] == state[0]["evidence"]
    r = cli("purge", "--archive", root, "--all", "--yes", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["purged"] and [i["evidence_id"] for i in data["items"]] == [1]
    assert data["files"][0]["removed"] is True
    r = cli("untrash", "--archive", root, "1")
    assert r.returncode == 2  # gone for good


def test_audit_log_reads_back_and_is_written_with_the_change(tmp_path):
    a, _ = _archive_with(tmp_path, n=2)
    start = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
    trash_evidence(a, [1])
    entries = read_log(a, since=start)
    upd = [e for e in entries if e.entity == "evidence" and e.action == "update"]
    assert upd and "trashed_at" in upd[-1].summary
    assert read_log(a, limit=1)[0].id == max(e.id for e in read_log(a))
    # A change that is rolled back leaves no log entry: same transaction.
    n = len(read_log(a))
    with pytest.raises(RuntimeError):
        with a.sessions.write() as s:
            from storage.models import Evidence

            s.get(Evidence, 2).title = "改了又撤销"
            s.flush()
            raise RuntimeError("abort")
    assert len(read_log(a)) == n
    assert read_log(a, since="2999-01-01") == []
    with pytest.raises(BadInput):
        parse_since("上周")
    a.close()
    r = cli("log", "--archive", str(a.root), "--since", "2000-01-01", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["entries"] and data["entries"][0]["at"].endswith("Z")
    r = cli("log", "--archive", str(a.root))
    assert r.returncode == 0 and "update" in r.stdout
    r = cli("log", "--archive", str(a.root), "--since", "昨天")
    assert r.returncode == 2
    one_error_line(r.stderr)


@pytest.mark.sqlite_only("reads rows from the SQLite file (durability_helpers.db_rows); test_pg_backup repairs a server archive")
def test_repair_adopts_orphans_quarantines_bad_ones_and_brings_missing_files_back(tmp_path):
    a, src = _archive_with(tmp_path, n=4)
    files = sorted(src.items())
    # 1. an orphan: a stored file with no row (a crash between store and commit)
    orphan_src = tmp_path / "孤儿.pdf"
    orphan_src.write_bytes(b"orphan content" * 100)
    orphan = a.files.store(orphan_src)
    # 2. an orphan whose bytes do not match its name
    bogus = a.files.path_for("ab" * 32)
    bogus.parent.mkdir(parents=True, exist_ok=True)
    bogus.write_bytes(b"not what the name says")
    # 3. a missing file whose source is still there, 4. one whose source is gone
    (_p_back, sha_back), (p_gone, sha_gone) = files[0], files[1]
    for sha in (sha_back, sha_gone):
        path = a.files.path_for(sha)
        os.chmod(path, 0o600)
        path.unlink()
    p_gone.unlink()
    # 5. a corrupt stored file whose source is still there
    p_bad, sha_bad = files[2]
    bad = a.files.path_for(sha_bad)
    os.chmod(bad, 0o600)
    bad.write_bytes(b"bit rot")
    # 6. a leftover of an interrupted copy
    a.files.staging.mkdir(exist_ok=True)
    (a.files.staging / "tmp-abc").write_bytes(b"partial")

    rep = repair_archive(a, grace_seconds=0)
    kinds = sorted(x.kind for x in rep.actions)
    assert kinds == sorted(["adopted", "quarantined", "restored", "unrecoverable",
                            "quarantined", "restored", "removed_leftover"]), rep.actions
    adopted = next(x for x in rep.actions if x.kind == "adopted")
    assert adopted.sha256 == orphan.sha256 and adopted.inbox_id
    inbox = db_rows(a.db_path)["inbox_entry"]
    assert len(inbox) == 1 and "pending" in inbox[0]
    lost = next(x for x in rep.actions if x.kind == "unrecoverable")
    assert lost.sha256 == sha_gone and str(p_gone) in lost.sources[0] and p_gone.name in lost.sources[0]
    quarantined = list((a.root / "quarantine").rglob("*"))
    assert {p.name for p in quarantined if p.is_file()} == {"ab" * 32, sha_bad}
    assert a.files.has(sha_back) and a.files.has(sha_bad)
    # Only the file whose source is gone remains a problem; nothing was deleted.
    assert [(p.kind, p.sha256) for p in rep.after.problems] == [("missing", sha_gone)]
    assert any(e.action == "repair" for e in read_log(a))
    a.close()
    r = cli("repair", "--archive", str(a.root), "--grace", "0")
    assert r.returncode == 1
    assert "无法找回" in r.stdout and p_gone.name in r.stdout


@pytest.mark.sqlite_only("reads rows from the SQLite file (durability_helpers.db_rows)")
def test_repair_leaves_recent_files_alone(tmp_path):
    a, _ = _archive_with(tmp_path, n=1)
    src = tmp_path / "new.pdf"
    src.write_bytes(b"just stored by another process")
    stored = a.files.store(src)
    rep = repair_archive(a, grace_seconds=600)
    assert [x.kind for x in rep.actions] == ["skipped_recent"]
    assert a.files.has(stored.sha256) and not db_rows(a.db_path)["inbox_entry"]
    a.close()
    shutil.rmtree(tmp_path / "src")
