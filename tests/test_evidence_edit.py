"""storage/evidence.py without Qt: editing metadata, review order, links, bulk edits,
what departments owe, inbox rows, previews."""
from __future__ import annotations

import datetime as dt

import pytest

from storage.catalogue.activity import dashboard, inbox_rows
from storage.catalogue.duties import departments_owing, duties_for_node
from storage.catalogue.items import (
    bulk_set_department,
    bulk_set_status,
    evidence_detail,
    evidence_for_node,
    update_evidence_metadata,
)
from storage.catalogue.links import link_evidence, set_review_order, unlink_evidence
from storage.catalogue.queries import indicator_tree
from storage.core.archive import Archive
from storage.kernel.errors import BadInput
from storage.models import InboxEntry, WatchedFolder
from storage.reading.preview import file_preview

pytestmark = pytest.mark.backends


def _leaf(archive, minimum=1):
    with archive.sessions.read() as s:
        return next(n for n in indicator_tree(s) if n.is_leaf and n.received >= minimum)


def test_metadata_edit_persists_and_is_audited(demo_archive):
    leaf = _leaf(demo_archive)
    with demo_archive.sessions.read() as s:
        eid = evidence_for_node(s, leaf.id)[0].id
        version = evidence_detail(s, eid).version
    with demo_archive.sessions.write() as s:
        d = update_evidence_metadata(
            s, eid, expected_version=version, title="  新标题 ", doc_number="鲁质强发〔2022〕2号",
            issue_date="2022年3月1日", issuing_body="省质量强省办", department="县住建局",
            status="accepted", notes="已核对原件",
        )
    assert d.title == "新标题" and d.issue_date == dt.date(2022, 3, 1) and d.version == version + 1
    root = demo_archive.root
    demo_archive.close()
    with Archive.open(root) as again, again.sessions.read() as s:
        d2 = evidence_detail(s, eid)
        log = dashboard(s).recent
    assert (d2.title, d2.doc_number, d2.department, d2.status, d2.notes) == (
        "新标题", "鲁质强发〔2022〕2号", "县住建局", "accepted", "已核对原件")
    assert any(a.entity == "evidence" and a.action == "update" for a in log)


@pytest.mark.parametrize("changes, words", [
    ({"title": "  "}, "标题不能为空"),
    ({"status": "lost"}, "未知的状态"),
    ({"issue_date": "去年"}, "成文日期格式不对"),
    ({"sha256": "x"}, "不能修改"),
])
def test_bad_edits_are_refused_with_a_chinese_message(demo_archive, changes, words):
    leaf = _leaf(demo_archive)
    with demo_archive.sessions.read() as s:
        eid = evidence_for_node(s, leaf.id)[0].id
    with pytest.raises(BadInput) as err, demo_archive.sessions.write() as s:
        update_evidence_metadata(s, eid, **changes)
    assert words in err.value.zh


def test_stale_version_is_refused(demo_archive):
    leaf = _leaf(demo_archive)
    with demo_archive.sessions.read() as s:
        d = evidence_detail(s, evidence_for_node(s, leaf.id)[0].id)
    with demo_archive.sessions.write() as s:
        update_evidence_metadata(s, d.id, notes="先改")
    with pytest.raises(BadInput), demo_archive.sessions.write() as s:
        update_evidence_metadata(s, d.id, expected_version=d.version, notes="后改")
    with demo_archive.sessions.read() as s:
        assert evidence_detail(s, d.id).notes == "先改"


def test_review_order_link_unlink_and_bulk(archive, tmp_path, demo_archive):
    leaf = _leaf(demo_archive, minimum=2)
    with demo_archive.sessions.read() as s:
        ids = [r.id for r in evidence_for_node(s, leaf.id)]
    with demo_archive.sessions.write() as s:
        set_review_order(s, leaf.id, list(reversed(ids)))
    with demo_archive.sessions.read() as s:
        rows = evidence_for_node(s, leaf.id)
    assert [r.id for r in rows] == list(reversed(ids))
    assert [r.position for r in rows] == list(range(1, len(ids) + 1))
    with pytest.raises(BadInput), demo_archive.sessions.write() as s:
        set_review_order(s, leaf.id, [999_999])

    empty = next(n for n in indicator_tree_of(demo_archive) if n.is_leaf and n.received == 0)
    with demo_archive.sessions.write() as s:
        assert link_evidence(s, ids, empty.id) == len(ids)
        assert link_evidence(s, ids, empty.id) == 0  # already linked
    with demo_archive.sessions.write() as s:
        assert unlink_evidence(s, ids[:1], empty.id) == 1
        assert bulk_set_status(s, ids, "accepted") >= 0
        bulk_set_department(s, ids, "县住建局")
    with demo_archive.sessions.read() as s:
        rows = evidence_for_node(s, empty.id)
        assert [r.id for r in rows] == ids[1:]
        assert {r.status for r in rows} == {"accepted"} and {r.department for r in rows} == {"县住建局"}
        # the leaf is now covered in the tree
        node = next(n for n in indicator_tree(s) if n.id == empty.id)
        assert node.coverage == "done"


def indicator_tree_of(archive):
    with archive.sessions.read() as s:
        return indicator_tree(s)


def test_departments_owing_and_duties(demo_archive):
    today = dt.date.today()
    with demo_archive.sessions.read() as s:
        owing = departments_owing(s, today)
        root = indicator_tree(s)[0]
        duties = duties_for_node(s, root.id, today)
    names = {d.name for d in owing}
    assert "县市场监管局" in names
    for d in owing:
        assert d.duties_total >= len(d.owed)
        for o in d.owed:
            assert o.state in ("missing", "received") and o.role in ("lead", "cooperating")
    assert duties and all(d.state in ("done", "partial", "missing", "overdue") for d in duties)
    # a department with accepted evidence for a duty's indicator does not owe that duty
    assert any(d.duties_total > len(d.owed) for d in owing)


def test_inbox_rows_and_preview(demo_archive, tmp_path):
    with demo_archive.sessions.write() as s:
        f = WatchedFolder(path=str(tmp_path / "共享"))
        s.add(f)
        s.flush()
        s.add(InboxEntry(watched_folder_id=f.id, source_path=str(tmp_path / "共享" / "通知.docx"),
                         size=1234, suggestion='{"indicator_code": "1.1.1", "department": "县工信局"}',
                         reason="文件名含“领导小组”"))
    with demo_archive.sessions.read() as s:
        [row] = inbox_rows(s)
    assert row.name == "通知.docx" and row.suggestion == "指标 1.1.1；单位 县工信局"

    leaf = _leaf(demo_archive)
    with demo_archive.sessions.read() as s:
        eid = evidence_for_node(s, leaf.id)[0].id
    p = file_preview(demo_archive, eid)
    assert p.kind == "text" and "示例" in p.text


def test_recent_activity_speaks_the_clerks_language(demo_archive):
    """The dashboard's feed leaves out bookkeeping rows (stored blobs, extracted text, scan
    records) and says what changed: the title of a new item, "状态：已收到 → 已审核"."""
    from storage.catalogue.activity import recent_activity
    from storage.catalogue.items import bulk_set_status

    leaf = _leaf(demo_archive)
    with demo_archive.sessions.read() as s:
        eid = evidence_for_node(s, leaf.id)[0].id
    with demo_archive.sessions.write() as s:
        bulk_set_status(s, [eid], "returned")
    with demo_archive.sessions.read() as s:
        feed = recent_activity(s, limit=40)
    assert feed and all(a.entity not in ("blob", "blob_text", "scan_entry", "evidence_file") for a in feed)
    newest = feed[0]
    assert newest.entity == "evidence" and newest.action == "update"
    assert "状态" in newest.summary and "已退回" in newest.summary
    inserted = [a for a in feed if a.entity == "evidence" and a.action == "insert"]
    assert inserted and all(a.summary.startswith("材料《") and "#" not in a.summary for a in inserted)
