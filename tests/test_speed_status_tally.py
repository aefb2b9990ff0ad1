"""The counts `status` reads from the trigger-kept tally (schema 0006, `storage.core.tally`)
never drift from the records: after every kind of change (ingest, link, unlink, move,
accept, supersede, department, trash, restore, purge, a round switch and back) the tally
equals a count from scratch, and the status report read from it equals the one counted by
scans. A tally damaged by hand is reported by verify and rebuilt by repair."""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage.catalogue import counts, duties
from storage.catalogue.frameworks import FrameworkSpec, IndicatorSpec
from storage.catalogue.ingest import ingest_paths
from storage.catalogue.items import bulk_set_department, bulk_set_status
from storage.catalogue.links import link_evidence, move_evidence, unlink_evidence
from storage.catalogue.queries import current_framework_id
from storage.catalogue.status_light import quick_status
from storage.core.archive import Archive
from storage.core.tally import drift
from storage.durability.trash import purge, trash_evidence, untrash_evidence
from storage.durability.verify import repair_archive, verify_archive
from storage.models import Evidence, Indicator
from storage.review import rounds

pytestmark = pytest.mark.sqlite_only("the tally and its triggers are SQLite's")


def _check(archive: Archive, step: str) -> None:
    """The tally equals the records, and the report from it equals the report from scans."""
    conn = sqlite3.connect(f"file:{archive.db_path}?mode=ro", uri=True)
    try:
        def run(sql: str) -> Sequence[Sequence[Any]]:
            return conn.execute(sql).fetchall()

        def fetch(sql: str, params: Any) -> Sequence[Sequence[Any]]:
            return conn.execute(sql, dict(params)).fetchall()

        assert drift(run) == [], f"after {step}"
        assert counts.has_tally(fetch, True)
        kept = counts.status_report(fetch, str(archive.root), sqlite=True)
        scanned = counts.status_report(fetch, str(archive.root), sqlite=False)  # the scans
        assert kept == scanned, f"after {step}"
    finally:
        conn.close()
    # the (indicator, 报送单位) counts behind the 责任单位 view and the duties' state
    with archive.sessions.read() as s:
        fid = current_framework_id(s)
        assert duties._indicator_evidence(s, fid, tally=True) == duties._indicator_evidence(
            s, fid, tally=False), f"after {step}"
        some = _leaves(archive)[:5]
        assert duties._indicator_evidence(s, fid, some, tally=True) == duties._indicator_evidence(
            s, fid, some, tally=False), f"after {step}"


def _leaves(archive: Archive) -> list[int]:
    with archive.sessions.read() as s:
        fid = current_framework_id(s)
        ids = set(s.scalars(select(Indicator.id).where(Indicator.framework_id == fid)))
        parents = set(s.scalars(select(Indicator.parent_id).where(Indicator.framework_id == fid)))
    return sorted(ids - parents)


def _spec_of_current(archive: Archive) -> FrameworkSpec:
    """The current framework as a spec, one leaf renamed: the next round's table."""
    with archive.sessions.read() as s:
        fid = current_framework_id(s)
        rows = s.execute(select(Indicator.id, Indicator.parent_id, Indicator.code, Indicator.title,
                                Indicator.max_score).where(Indicator.framework_id == fid)
                         .order_by(Indicator.position, Indicator.id)).all()
    specs = {r.id: IndicatorSpec(r.code, r.title, r.max_score) for r in rows}
    top: list[IndicatorSpec] = []
    for r in rows:
        (specs[r.parent_id].children if r.parent_id in specs else top).append(specs[r.id])
    leaf = next(sp for sp in specs.values() if not sp.children)
    leaf.title += "（修订）"
    return FrameworkSpec(name="第二轮指标体系", indicators=top)


def test_tally_never_drifts(demo_archive: Archive, tmp_path: Path) -> None:
    a = demo_archive
    _check(a, "the demo archive")

    src = tmp_path / "新收文件"
    src.mkdir()
    for i in range(6):
        (src / f"县质监局关于质量工作的通知{i}.txt").write_text(f"通知正文 {i} 质量强县", encoding="utf-8")
    ingest_paths(a, [src], department="县市场监管局")
    _check(a, "ingest")

    with a.sessions.read() as s:
        ids = list(s.scalars(select(Evidence.id).order_by(Evidence.id.desc()).limit(6)))
    leaves = _leaves(a)
    with a.sessions.write() as s:
        link_evidence(s, ids[:4], leaves[0])
        link_evidence(s, ids[2:], leaves[1])
    _check(a, "link")
    with a.sessions.write() as s:
        unlink_evidence(s, ids[:1], leaves[0])
    _check(a, "unlink")
    with a.sessions.write() as s:
        move_evidence(s, ids[1:3], leaves[0], leaves[2])
    _check(a, "move")
    with a.sessions.write() as s:
        bulk_set_status(s, ids[:3], "accepted")
    _check(a, "accept")
    with a.sessions.write() as s:
        bulk_set_status(s, ids[3:4], "superseded")
        bulk_set_department(s, ids[:2], "县教育局")
    _check(a, "supersede and department")

    trash_evidence(a, ids[:3])
    _check(a, "trash")
    untrash_evidence(a, ids[1:2])
    _check(a, "restore from the trash")
    purge(a, [ids[0]])
    _check(a, "purge")
    with a.engine.begin() as c:  # the database's own cascade (foreign keys on) takes the links
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        linked = int(c.exec_driver_sql("SELECT evidence_id FROM evidence_indicator e JOIN evidence v "
                                       "ON v.id = e.evidence_id WHERE v.trashed_at IS NULL LIMIT 1").scalar_one())
        c.exec_driver_sql(f"DELETE FROM evidence_file WHERE evidence_id = {linked}")
        c.exec_driver_sql(f"DELETE FROM evidence WHERE id = {linked}")
    _check(a, "a delete in SQL, links by cascade")

    spec = _spec_of_current(a)
    with a.sessions.write() as s:
        old_fid = current_framework_id(s)
        assert old_fid is not None
        rounds.ensure_round(s, old_fid)
    with a.sessions.write() as s:
        rounds.start_round(s, spec, name="第二轮")
    _check(a, "a new round")
    with a.sessions.write() as s:
        old = next(r for r in rounds.list_rounds(s) if r.framework_id == old_fid)
        rounds.use_round(s, old.id)
    _check(a, "back to the first round")
    light = quick_status(a.root)
    assert light is None or light.evidence_total > 0


def test_verify_reports_a_damaged_tally_and_repair_rebuilds_it(demo_archive: Archive) -> None:
    a = demo_archive
    assert verify_archive(a).ok
    with a.engine.begin() as c:
        c.exec_driver_sql("UPDATE tally SET n = n + 5 WHERE kind = 'status'")
    report = verify_archive(a)
    assert not report.ok
    assert any(p.kind == "database" and "统计" in p.detail for p in report.problems)
    fixed = repair_archive(a)
    assert fixed.ok and any(x.kind == "recounted" for x in fixed.actions)
    _check(a, "repair")


def test_a_lost_trigger_is_reported_and_made_again_by_repair(demo_archive: Archive) -> None:
    """A table rebuilt by a later migration loses its triggers: status then counts by scans
    (still right), verify says so, repair makes the trigger again and recounts."""
    a = demo_archive
    with a.engine.begin() as c:
        c.exec_driver_sql("DROP TRIGGER tally_link_insert")
        c.exec_driver_sql("INSERT INTO evidence_indicator (evidence_id, indicator_id, position) "
                          "SELECT e.id, i.id, 99 FROM evidence e, indicator i WHERE e.trashed_at IS NULL "
                          "AND NOT EXISTS (SELECT 1 FROM evidence_indicator x WHERE x.evidence_id = e.id "
                          "AND x.indicator_id = i.id) LIMIT 3")
    with a.sessions.read() as s:
        from storage.catalogue.queries import status

        by_scans = status(s, str(a.root))
    a.daily_backup_if_due()  # so that the light road answers
    assert quick_status(a.root) == by_scans
    report = verify_archive(a)
    assert not report.ok and any("统计" in p.detail for p in report.problems)
    assert repair_archive(a).ok
    _check(a, "repair of a lost trigger")
