"""Crash safety: processes killed with SIGKILL at random moments lose nothing.

- ingest: ≥ 20 kills at seeded random moments; after each, verify finds no missing or
  corrupt file and a sound database, every source file is either wholly in the archive or
  absent, and whatever the kill left (orphans, staging leftovers) is classified by verify
  and cleared by repair.
- backup and restore: killed at random moments; the source archive is untouched, and the
  destination is either absent/unfinished (never mistaken for a backup or an archive) or
  complete.
- a migration killed half-way (a throw-away revision 0002 in a temporary copy of the
  migrations that sleeps after changing the schema): the archive is still the old schema
  and sound, and the backup taken before the migration restores it.

Replay a failure with EVIDENCE_DESK_CRASH_SEED=<seed printed in the failure>.
SIGKILL tests process death, not power loss (fsync ordering is not exercised here).
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from durability_helpers import check_all_or_nothing, cli, make_sources, python_env

from storage.core.archive import Archive, read_revision
from storage.durability.backup import backup_archive, restore_archive
from storage.durability.verify import repair_archive, verify_archive

pytestmark = pytest.mark.backends

SEED = int(os.environ.get("EVIDENCE_DESK_CRASH_SEED", "20261121"))
INGEST_TRIALS = 28

INGEST_DRIVER = r"""
import sys
from storage.core.archive import Archive
from storage.catalogue.ingest import ingest_paths
a = Archive.open(sys.argv[1], daily_backup=False)
print("READY", flush=True)
ingest_paths(a, sys.argv[2:], progress=lambda done, total, text="": print(done, flush=True))
a.close()
"""


def _spawn(code: str, *args: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=python_env())
    line = proc.stdout.readline().strip()
    assert line == "READY", (line, proc.stderr.read() if proc.poll() is not None else "")
    return proc


def _kill_after(proc: subprocess.Popen, delay: float) -> bool:
    """SIGKILL `proc` after `delay` seconds; True if it was still running (really killed)."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        time.sleep(0.002)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    return killed


def _only_harmless(report) -> None:
    bad = [p for p in report.problems if p.kind not in ("orphan", "leftover")]
    assert not bad, bad


@pytest.mark.sqlite_only("reads rows from the SQLite file after each kill (durability_helpers.db_rows)")
def test_ingest_killed_at_random_moments(tmp_path):
    rng = random.Random(SEED)
    root = tmp_path / "archive"
    Archive.create(root).close()
    calib = make_sources(tmp_path / "calib", 40, seed=SEED, tag="c")
    proc = _spawn(INGEST_DRIVER, root, tmp_path / "calib")
    proc.communicate(timeout=120)
    killed = 0
    seen: dict[str, int] = {"orphan": 0, "leftover": 0}
    all_sources = dict(calib)
    for trial in range(INGEST_TRIALS):
        src = make_sources(tmp_path / f"t{trial:02d}", 40, seed=SEED + trial, tag=f"t{trial}")
        # Some files of earlier trials again: duplicates are recorded too.
        again = rng.sample(sorted(all_sources), 3)
        all_sources.update(src)
        # Kill after the k-th progress report plus a random moment: always mid-run, at a
        # random point of the store/record pipeline (store threads run ahead of the rows).
        k, delay = rng.randint(0, 40), rng.uniform(0, 0.03)
        proc = _spawn(INGEST_DRIVER, root, tmp_path / f"t{trial:02d}", *again)
        for _ in range(k):
            if not proc.stdout.readline():
                break
        killed += _kill_after(proc, delay)
        where = f"seed {SEED}, trial {trial}, killed after progress {k} + {delay:.3f}s"
        with Archive.open(root, daily_backup=False) as a:
            try:
                found = verify_archive(a)
                _only_harmless(found)
                for p in found.problems:
                    seen[p.kind] += 1
                check_all_or_nothing(root, all_sources)
                rep = repair_archive(a, grace_seconds=0)
                assert rep.ok, rep.after.problems
            except AssertionError as e:
                raise AssertionError(f"{where}: {e}") from e
    print(f"ingest crash trials: seed {SEED}, {killed}/{INGEST_TRIALS} killed mid-run, "
          f"left behind and repaired: {seen['orphan']} orphans, {seen['leftover']} leftovers")
    assert killed >= 20, f"only {killed} of {INGEST_TRIALS} ingests were still running when killed"


BACKUP_DRIVER = r"""
import sys
from storage.core.archive import Archive
from storage.durability.backup import backup_archive
a = Archive.open(sys.argv[1], daily_backup=False)
print("READY", flush=True)
backup_archive(a, sys.argv[2])
a.close()
"""

RESTORE_DRIVER = r"""
import sys
from storage.durability.backup import restore_archive
print("READY", flush=True)
restore_archive(sys.argv[1], sys.argv[2])
"""


def test_backup_and_restore_killed_at_random_moments(tmp_path):
    rng = random.Random(SEED + 1)
    root = tmp_path / "archive"
    with Archive.create(root) as a:
        from storage.catalogue.ingest import ingest_paths

        make_sources(tmp_path / "src", 120, seed=SEED, min_size=20_000, max_size=120_000)
        ingest_paths(a, [tmp_path / "src"])
        t0 = time.monotonic()
        backup_archive(a, tmp_path / "calib.zip")
        span = max(0.2, (time.monotonic() - t0) + 0.5)  # + interpreter start-up
    for trial in range(8):
        dest = tmp_path / (f"b{trial}.zip" if trial % 2 else f"b{trial}")
        delay = rng.uniform(0, span)
        _kill_after(_spawn(BACKUP_DRIVER, root, dest), delay)
        where = f"seed {SEED + 1}, backup trial {trial}, {delay:.3f}s"
        with Archive.open(root, daily_backup=False) as a:
            assert verify_archive(a).ok, where
        if dest.exists():  # only a finished backup has the final name
            rep = restore_archive(dest, tmp_path / f"from-b{trial}")
            assert rep.verify_ok, (where, rep.verify_problems)
    for trial in range(6):
        target = tmp_path / f"r{trial}"
        delay = rng.uniform(0, span)
        _kill_after(_spawn(RESTORE_DRIVER, tmp_path / "calib.zip", target), delay)
        where = f"seed {SEED + 1}, restore trial {trial}, {delay:.3f}s"
        if (target / "archive.sqlite3").exists():
            with Archive.open(target, daily_backup=False) as a:
                assert verify_archive(a).ok, where
        else:  # not an archive yet: running the restore again finishes it
            rep = restore_archive(tmp_path / "calib.zip", target)
            assert rep.verify_ok, (where, rep.verify_problems)


FAKE_REVISION = '''
"""a throw-away revision for the interrupted-migration test"""
import time
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("fake_column", sa.Text(), nullable=True))
    op.execute("UPDATE evidence SET fake_column = title")
    op.execute("DELETE FROM evidence_indicator")
    print("MIGRATING", flush=True)
    time.sleep(60)


def downgrade():
    pass
'''

MIGRATION_DRIVER = r"""
import sys
from pathlib import Path
import storage.core.migrate as m
m.MIGRATIONS = Path(sys.argv[2])
m.SCHEMA_HEAD = "9001"
from storage.core.archive import Archive
print("READY", flush=True)
Archive.open(sys.argv[1])
"""


@pytest.mark.sqlite_only("kills a migration of an old SQLite file and swaps the file back")
def test_migration_killed_half_way_is_undone_and_the_backup_restores(tmp_path, demo_archive):
    from durability_helpers import db_rows

    import storage.core.migrate as migrate

    migrations = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.SCHEMA_HEAD
    (migrations / "versions" / "9001_fake.py").write_text(
        textwrap.dedent(FAKE_REVISION).replace("{head}", head), encoding="utf-8")
    root = demo_archive.root
    rows = db_rows(demo_archive.db_path)
    demo_archive.close()
    assert rows["evidence_indicator"], "the demo archive should have links the fake revision deletes"
    proc = _spawn(MIGRATION_DRIVER, root, migrations)
    line = proc.stdout.readline().strip()
    assert line == "MIGRATING", proc.stderr.read()
    time.sleep(random.Random(SEED + 2).uniform(0, 0.3))
    assert _kill_after(proc, 0)
    [backup] = [p for p in (root / "backups").glob(f"*before-migration-{head}*")]
    assert read_revision(backup) == head
    # The half-done migration was one transaction: nothing of it is left.
    assert read_revision(root / "archive.sqlite3") == head
    with Archive.open(root, daily_backup=False) as a:
        assert verify_archive(a).ok
    after = db_rows(root / "archive.sqlite3")
    assert after["evidence_indicator"] == rows["evidence_indicator"]
    assert after["evidence"] == rows["evidence"]
    # And the backup taken before the migration puts the same data back.
    r = cli("restore", str(backup), "--archive", str(root))
    assert r.returncode == 0, r.stdout + r.stderr
    restored = db_rows(root / "archive.sqlite3")
    for table in ("evidence", "evidence_file", "evidence_indicator", "blob", "indicator"):
        assert restored[table] == rows[table], table
