"""Rectification items (issue 16, item 2): add, set, status and deadline, overdue, evidence
links through trash and purge, the audit log, the 催办 notice and list, the dashboard count."""
from __future__ import annotations

import datetime as dt

import docx
import openpyxl
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from desktop.actions import review
from desktop.actions.reminders import write_reminders
from storage.catalogue import activity
from storage.catalogue.ingest import ingest_paths
from storage.durability.trash import purge, trash_evidence, untrash_evidence
from storage.durability.verify import verify_archive
from storage.kernel.errors import BadInput
from storage.models import AuditLog, EvidenceRectification
from storage.review.rectify import load_items, overdue_count, overdue_items

TODAY = dt.date(2027, 3, 1)


def _evidence(archive, tmp_path, name: str) -> int:
    p = tmp_path / name
    p.write_text(f"{name} 整改佐证", encoding="utf-8")
    rep = ingest_paths(archive, [p])
    [item] = rep.items
    assert item.evidence_id is not None
    return item.evidence_id


def test_add_set_status_deadline_and_overdue(demo_archive):
    it = review.add_item(demo_archive, problem="  质量月活动  宣传覆盖面不足 ", indicator_codes=["1.2.1"],
                         deadline="2027-02-28", today=TODAY)
    assert it.problem == "质量月活动 宣传覆盖面不足" and it.number == 1 and it.status == "未开始"
    assert [i.code for i in it.indicators] == ["1.2.1"] and it.source == "县自查"
    assert it.lead_departments and it.overdue                        # suggested from the duty; past due
    other = review.add_item(demo_archive, problem="抽检不合格产品后处理不及时", indicator_codes=["4.1.1"],
                            lead=["县市场监管局"], cooperating=["县工信局", "县商务局"],
                            deadline="2027年6月底前", today=TODAY)
    assert other.deadline == dt.date(2027, 6, 30) and not other.overdue and other.number == 2
    assert other.cooperating_departments == ("县工信局", "县商务局")
    with demo_archive.sessions.read() as s:
        assert [x.id for x in overdue_items(s, TODAY)] == [it.id]
        assert overdue_count(s, TODAY) == 1
        assert activity.dashboard(s, today=TODAY, rectify_overdue=overdue_count(s, TODAY)).rectify_overdue == 1
    it = review.set_item(demo_archive, it.id, status="整改中", measures="在乡镇增设宣传点", progress_text="已完成3个乡镇",
                         lead=["县委宣传部"], cooperating=["县市场监管局"], today=TODAY)
    assert (it.status, it.measures, it.progress) == ("整改中", "在乡镇增设宣传点", "已完成3个乡镇")
    assert it.lead_departments == ("县委宣传部",) and it.cooperating_departments == ("县市场监管局",)
    assert it.overdue
    it = review.set_item(demo_archive, it.id, status="长期坚持", deadline="", today=TODAY)
    assert it.deadline is None and not it.overdue
    assert review.list_items(demo_archive, overdue=True, today=TODAY) == []
    assert [x.id for x in review.list_items(demo_archive, status="长期坚持", today=TODAY)] == [it.id]
    with pytest.raises(BadInput) as e:
        review.set_item(demo_archive, it.id, status="已整改")
    assert "未开始、整改中、已完成、长期坚持" in e.value.zh and "status" in e.value.en
    with pytest.raises(BadInput):
        review.set_item(demo_archive, 999, status="已完成")
    with pytest.raises(BadInput):
        review.add_item(demo_archive, problem="x", indicator_codes=["9.9"])
    with pytest.raises(BadInput):
        review.set_item(demo_archive, it.id, deadline="明年某时")
    with demo_archive.sessions.read() as s:
        logged = {(a.action, a.entity) for a in s.scalars(select(AuditLog))}
    assert {("insert", "rectification"), ("update", "rectification"),
            ("insert", "rectification_department")} <= logged


def test_status_check_constraint_in_the_database(demo_archive):
    it = review.add_item(demo_archive, problem="标准化示范项目未落地", indicator_codes=["3.1.1"])
    with pytest.raises(IntegrityError), demo_archive.sessions.write() as s:
        s.execute(text("UPDATE rectification SET status = '已整改' WHERE id = :i"), {"i": it.id})


def test_evidence_links_survive_trash_and_go_with_purge(demo_archive, tmp_path):
    it = review.add_item(demo_archive, problem="计量器具未建台账", indicator_codes=["3.1.2"])
    e1 = _evidence(demo_archive, tmp_path, "强检台账.txt")
    e2 = _evidence(demo_archive, tmp_path, "送检记录.txt")
    n, got = review.link_evidence(demo_archive, it.id, [e1, e2, e1])
    assert n == 2 and [e.evidence_id for e in got.evidence] == [e1, e2]
    assert got.evidence[0].file_names == ("强检台账.txt",)
    assert review.link_evidence(demo_archive, it.id, [e1])[0] == 0
    with pytest.raises(BadInput):
        review.link_evidence(demo_archive, it.id, [987654])
    trash_evidence(demo_archive, [e2])
    assert [e.evidence_id for e in review.list_items(demo_archive)[0].evidence] == [e1]
    untrash_evidence(demo_archive, [e2])
    assert [e.evidence_id for e in review.list_items(demo_archive)[0].evidence] == [e1, e2]
    n, got = review.unlink_evidence(demo_archive, it.id, [e1])
    assert n == 1 and [e.evidence_id for e in got.evidence] == [e2]
    trash_evidence(demo_archive, [e2])
    purge(demo_archive, [e2])
    with demo_archive.sessions.read() as s:
        assert s.scalars(select(EvidenceRectification)).all() == []
    report = verify_archive(demo_archive)
    assert not [p for p in report.problems if p.is_error], report.problems


def test_overdue_items_in_reminder_notice_and_list(demo_archive, tmp_path):
    it = review.add_item(demo_archive, problem="统计口径不一致导致满意度数据无法核实", indicator_codes=["4.2.1"],
                         lead=["县统计局"], deadline="2027-01-31")
    done = review.add_item(demo_archive, problem="已经整改完毕的事项", indicator_codes=["4.2.1"],
                           lead=["县统计局"], deadline="2027-01-31", status="已完成")
    notice = write_reminders(archive=demo_archive, kind="notice", path=tmp_path / "催办.docx", today=TODAY,
                             department="县统计局")
    body = "\n".join(p.text for p in docx.Document(str(notice)).paragraphs)
    body += "\n".join(c.text for t in docx.Document(str(notice)).tables for r in t.rows for c in r.cells)
    assert "县统计局" in body and f"整改事项{it.number}：统计口径不一致" in body
    assert "逾期 29 天" in body and "已经整改完毕" not in body
    assert done.status == "已完成"
    lst = write_reminders(archive=demo_archive, kind="list", path=tmp_path / "催办.xlsx", today=TODAY)
    wb = openpyxl.load_workbook(lst, read_only=True)
    cells = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    wb.close()
    assert any(f"整改事项{it.number}：统计口径不一致" in c for c in cells)
    assert not any("已经整改完毕" in c for c in cells)


def test_load_items_numbering_and_framework(demo_archive):
    a = review.add_item(demo_archive, problem="第一项问题描述", indicator_codes=["1.1.1"])
    b = review.add_item(demo_archive, problem="第二项问题描述", indicator_codes=["1.1.2", "1.2.1"])
    with demo_archive.sessions.read() as s:
        items = load_items(s)
    assert [(x.id, x.number) for x in items] == [(a.id, 1), (b.id, 2)]
    assert [i.code for i in items[1].indicators] == ["1.1.2", "1.2.1"]
