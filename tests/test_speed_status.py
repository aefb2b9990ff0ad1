"""`status` on its light road (issue 19): a local archive answers through sqlite3 without
loading SQLAlchemy, the ORM models or Alembic, with the same report as the full road; and it
steps aside (the full open answers) whenever the full open has work to do."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from storage.catalogue.queries import status
from storage.catalogue.status_light import quick_status
from storage.core.archive import Archive

pytestmark = pytest.mark.sqlite_only("the light road reads the local SQLite file")

# Runs the command in this process and prints which of our heavy dependencies it loaded.
PROBE = """
import json, sys
from desktop.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as e:
    code = e.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "alembic")
               or m in ("storage.models", "storage.core.db", "storage.core.archive",
                        "storage.readmodels"))  # 46 dataclasses: the status report's 3 are apart
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def _probe(*args: str) -> tuple[dict, dict]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                       cwd=ROOT, env=env, timeout=120)
    probe = json.loads(r.stderr.strip().splitlines()[-1])
    assert probe["code"] in (0, None), r.stderr
    return json.loads(r.stdout), probe


def test_status_of_a_local_archive_loads_no_orm_and_matches_the_full_road(demo_archive):
    root = demo_archive.root
    demo_archive.daily_backup_if_due()  # opened once already: the backup is not due
    with demo_archive.sessions.read() as s:
        full = status(s, str(root))
    demo_archive.close()

    report, probe = _probe("status", "--json", "--archive", str(root))
    assert probe["heavy"] == [], f"the light road loaded {probe['heavy']}"
    assert report == json.loads(json.dumps(dataclasses.asdict(full), ensure_ascii=False, default=str))
    assert report["evidence_total"] > 0 and report["indicators_total"] > 0

    light = quick_status(root)
    assert light == full


def test_due_daily_backup_sends_status_down_the_full_road(tmp_path):
    root = tmp_path / "档案库"
    Archive.create(root).close()
    for p in (root / "backups").glob("*"):
        p.unlink()
    assert quick_status(root) is None

    report, probe = _probe("status", "--json", "--archive", str(root))
    assert "sqlalchemy" in probe["heavy"], "the full open (which takes the backup) should answer"
    assert report["evidence_total"] == 0
    assert list((root / "backups").glob("archive-*-daily.sqlite3")), "the daily backup was taken"
    # now the backup is fresh: the light road answers
    _, probe = _probe("status", "--json", "--archive", str(root))
    assert probe["heavy"] == []


def test_light_road_declines_what_the_full_open_must_explain(tmp_path):
    root = tmp_path / "a"
    Archive.create(root).close()
    Archive.open(root).close()  # the first open takes the daily backup
    assert quick_status(root) is not None
    (root / "server.json").write_text("{}", encoding="utf-8")
    assert quick_status(root) is None  # a server archive
    (root / "server.json").unlink()
    (root / "archive.sqlite3").write_bytes(b"")
    assert quick_status(root) is None  # damaged: the full open names the backup
    r = run_cli("status", "--archive", str(root))
    assert r.returncode == 2 and "备份" in r.stderr
    assert quick_status(tmp_path / "nothing") is None


def test_status_text_still_reads_the_same(demo_archive):
    root: Path = demo_archive.root
    demo_archive.close()
    r = run_cli("status", "--archive", str(root))
    assert r.returncode == 0, r.stderr
    assert "佐证材料：" in r.stdout and "按一级指标：" in r.stdout


def test_counts_match_a_plain_count_with_trashed_and_superseded_items(demo_archive):
    """The link counts take the trashed and superseded items away and count accepted live
    ones; checked against a count made item by item."""
    import datetime as dt

    from sqlalchemy import select, update

    from storage.models import Department, Evidence, EvidenceIndicator

    with demo_archive.sessions.write() as s:
        ids = list(s.scalars(select(Evidence.id).order_by(Evidence.id)))
        s.execute(update(Evidence).where(Evidence.id == ids[0]).values(trashed_at=dt.datetime(2026, 1, 1)))
        s.execute(update(Evidence).where(Evidence.id == ids[1]).values(status="superseded"))
        s.execute(update(Evidence).where(Evidence.id.in_(ids[2:6])).values(status="accepted"))
    with demo_archive.sessions.read() as s:
        rep = status(s, "x")
        items = {e.id: e for e in s.scalars(select(Evidence))}
        links = list(s.execute(select(EvidenceIndicator.evidence_id, EvidenceIndicator.indicator_id)))
        names = dict(s.execute(select(Department.id, Department.name)).all())
    live = {i for i, e in items.items() if e.trashed_at is None and e.status != "superseded"}
    for node in rep.indicators:
        mine = [e for e, i in links if i == node.id and e in live]
        assert node.received == len(mine), node
        assert node.accepted == sum(items[e].status == "accepted" for e in mine), node
    want = {}
    for i in live:
        d = items[i].department_id
        n, a = want.get(d, (0, 0))
        want[d] = (n + 1, a + (items[i].status == "accepted"))
    got = {d.department_id: (d.received, d.accepted) for d in rep.by_department}
    assert got == want
    assert all(d.name == (names.get(d.department_id) or "（未指定单位）") for d in rep.by_department)
    assert [d.received for d in rep.by_department] == sorted((d.received for d in rep.by_department), reverse=True)
