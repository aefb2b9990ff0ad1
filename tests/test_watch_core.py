"""Watched folders, the stability rules, the inbox, suggestions, zips and search, driven
through `WatchService.run_once()` and the storage functions (no observers needed here)."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import docx
import pytest
from sqlalchemy import func, select, text
from watch_helpers import add_folder, count, entries

from storage.kernel.errors import BadInput
from storage.models import Blob, Evidence, EvidenceDuty, EvidenceIndicator, ScanEntry
from storage.watch import folders
from storage.watch.inbox import accept, evidence_departments, ignore
from storage.watch.service import WatchService

pytestmark = pytest.mark.backends


def _svc(archive, **kw):
    kw.setdefault("observers", False)
    return WatchService(archive, **kw)


def test_folders_add_list_remove_and_modes(archive, tmp_path):
    a = add_folder(archive, tmp_path / "工信", "县工信局")
    assert a.mode == "native" and a.settle_seconds == 2.0 and a.department == "县工信局"
    b = add_folder(archive, tmp_path / "住建", polling_seconds=15)
    assert b.mode == "polling" and b.polling_seconds == 15
    with archive.sessions.write() as s:
        with pytest.raises(BadInput):
            folders.add_folder(s, tmp_path / "工信")          # already watched
        with pytest.raises(BadInput):
            folders.add_folder(s, tmp_path / "工信" / "子")  # not a folder / overlaps
        row = folders.find_folder(s, str(a.id))
        net = folders.folder_info(s, row, network=True)
        assert net.mode == "polling" and net.polling_seconds == folders.POLL_NETWORK_S
        assert net.settle_seconds == folders.SETTLE_NETWORK_S
        assert [f.path for f in folders.list_folders(s)] == [a.path, b.path]
        folders.remove_folder(s, a.path)
        assert [f.id for f in folders.list_folders(s)] == [b.id]


def test_lock_temp_and_empty_files_are_never_evidence(archive, tmp_path):
    root = tmp_path / "share"
    add_folder(archive, root, "县工信局", settle_seconds=0.3)
    for name in ("~$报告.docx", "~WRL0001.tmp", ".~lock.报告.docx#", "a.tmp", "Thumbs.db",
                 "desktop.ini", ".DS_Store"):
        (root / name).write_bytes(b"lock")
    (root / "空.docx").write_bytes(b"")
    (root / "报告.docx").write_bytes(b"real content")
    r = _svc(archive).run_once()
    assert r["taken"] == 1
    assert [e.name for e in entries(archive)] == ["报告.docx"]


def test_files_added_while_stopped_are_found_at_next_start(archive, tmp_path):
    root = tmp_path / "share"
    add_folder(archive, root, "县工信局", settle_seconds=0.2)
    (root / "一.pdf").write_bytes(b"%PDF-1 one")
    assert _svc(archive).run_once()["taken"] == 1
    # closed: one added, one changed, one removed
    (root / "sub").mkdir()
    (root / "sub" / "二.xlsx").write_bytes(b"two")
    (root / "一.pdf").write_bytes(b"%PDF-1 one, edited")
    r = _svc(archive).run_once()
    assert r["taken"] == 2
    (root / "sub" / "二.xlsx").unlink()
    _svc(archive).run_once()
    with archive.sessions.read() as s:
        assert s.scalars(select(ScanEntry.relpath)).all() == ["一.pdf"]
    # nothing new on a further start, and the removed file stays in the archive
    assert _svc(archive).run_once()["taken"] == 0
    assert len(entries(archive)) == 2 and count(archive, Blob) == 3


def test_file_vanishing_between_detection_and_storage_leaves_no_trace(archive, tmp_path, monkeypatch):
    root = tmp_path / "share"
    add_folder(archive, root, settle_seconds=0.2)
    victim = root / "转瞬即逝.docx"
    victim.write_bytes(b"gone soon")
    (root / "留下.docx").write_bytes(b"stays")
    real = archive.files.store

    def store(path, **kw):
        if Path(path).name == victim.name:
            victim.unlink()  # deleted on the share after it was seen and settled
        return real(path, **kw)

    monkeypatch.setattr(archive.files, "store", store)
    svc = _svc(archive)
    r = svc.run_once()
    assert r["taken"] == 1 and svc.stats.vanished == 1
    assert [e.name for e in entries(archive, state=None)] == ["留下.docx"]
    assert count(archive, Blob) == 1
    assert not list((archive.root / "files" / ".incoming").glob("tmp-*"))


def test_file_deleted_before_it_settles_is_not_taken(archive, tmp_path):
    root = tmp_path / "share"
    add_folder(archive, root, settle_seconds=1.0)
    f = root / "草稿.docx"
    f.write_bytes(b"draft")
    svc = _svc(archive)
    svc._load_folders()
    svc._rescan(svc._folders[1])
    assert svc._cands
    f.unlink()
    svc.run_once(max_wait=1.5)
    assert entries(archive, state=None) == [] and count(archive, Blob) == 0


def test_locked_file_retried_with_backoff_then_shown_failed_then_taken(archive, tmp_path, monkeypatch):
    root = tmp_path / "share"
    add_folder(archive, root, settle_seconds=0.1)
    (root / "占用.xlsx").write_bytes(b"locked by excel")
    real = archive.files.store
    state = {"locked": True}

    def store(path, **kw):
        if state["locked"]:
            raise PermissionError(13, "Permission denied")
        return real(path, **kw)

    monkeypatch.setattr(archive.files, "store", store)
    svc = _svc(archive, fail_after=3, backoff_seconds=0.1)
    svc.run_once(max_wait=2.0)
    [e] = entries(archive, state="failed")
    assert "占用" in e.reason and e.attempts >= 3 and e.name == "占用.xlsx"
    state["locked"] = False
    svc.run_once(max_wait=3.0)
    assert entries(archive, state="failed") == []
    [ok] = entries(archive)
    assert ok.name == "占用.xlsx" and ok.evidence_id


def test_duplicate_from_two_department_folders_stored_once_attributed_to_both(archive, tmp_path):
    a, b = tmp_path / "工信", tmp_path / "住建"
    add_folder(archive, a, "县工信局", settle_seconds=0.2)
    add_folder(archive, b, "县住建局", settle_seconds=0.2)
    payload = b"the same red-header document" * 100
    (a / "联合通知.pdf").write_bytes(payload)
    (b / "联合通知(住建).pdf").write_bytes(payload)
    _svc(archive).run_once()
    es = entries(archive)
    assert len(es) == 2 and es[0].evidence_id == es[1].evidence_id
    assert count(archive, Blob) == 1 and count(archive, Evidence) == 1
    assert es[1].suggestion["duplicate_of"] == es[0].evidence_id
    assert {e.suggestion["department"] for e in es} == {"县工信局", "县住建局"}
    with archive.sessions.write() as s:
        accept(s, [es[0].id, es[1].id])
        assert evidence_departments(s, es[0].evidence_id) == ["县工信局", "县住建局"]
    # a blob file exists once in the store
    assert len([p for _, p in archive.files.iter_stored()]) == 1


def test_changed_file_becomes_a_revision_not_a_new_item(archive, tmp_path):
    from storage.models import EvidenceFile

    root = tmp_path / "share"
    add_folder(archive, root, settle_seconds=0.2)
    f = root / "自评报告.docx"
    f.write_bytes(b"v1")
    _svc(archive).run_once()
    [e1] = entries(archive)
    with archive.sessions.write() as s:
        accept(s, [e1.id])
    # Office: write a temp file and rename it over the original
    tmp = root / "~WRD0001.tmp"
    tmp.write_bytes(b"version two")
    os.replace(tmp, f)
    _svc(archive).run_once()
    es = entries(archive, state=None)
    assert len(es) == 2 and {e.evidence_id for e in es} == {e1.evidence_id}
    assert count(archive, Evidence) == 1
    with archive.sessions.read() as s:
        files = s.scalars(select(EvidenceFile).order_by(EvidenceFile.revision)).all()
        assert [(x.revision, x.is_current) for x in files] == [(1, False), (2, True)]
        assert files[1].replaces_id == files[0].id
    # a further edit while the revision entry is still pending updates that entry
    tmp.write_bytes(b"version three!")
    os.replace(tmp, f)
    _svc(archive).run_once()
    assert len(entries(archive, state=None)) == 2
    [pending] = entries(archive)
    assert pending.suggestion["revision"] == 3


def test_offline_share_is_reported_and_resumes_without_reingesting(archive, tmp_path):
    root = tmp_path / "share"
    add_folder(archive, root, "县工信局", settle_seconds=0.2)
    (root / "a.docx").write_bytes(b"a")
    (root / "b.docx").write_bytes(b"b")
    seen = []
    svc = _svc(archive, on_folder=seen.append)
    svc.run_once()
    away = tmp_path / "share-away"
    root.rename(away)  # the network drops
    r = svc.run_once()
    assert r["folders"][0]["online"] is False and seen[-1].online is False
    with archive.sessions.read() as s:
        assert s.scalar(select(ScanEntry.relpath).limit(1))  # not treated as deleted
    away.rename(root)
    (root / "c.docx").write_bytes(b"c")
    r = svc.run_once()
    assert r["folders"][0]["online"] is True and r["taken"] == 3  # 2 before + 1 new
    assert sorted(e.name for e in entries(archive)) == ["a.docx", "b.docx", "c.docx"]


def test_same_content_back_at_same_path_is_not_a_new_entry(archive, tmp_path):
    root = tmp_path / "share"
    add_folder(archive, root, settle_seconds=0.2)
    (root / "a.docx").write_bytes(b"aaa")
    _svc(archive).run_once()
    (root / "a.docx").unlink()
    _svc(archive).run_once()
    (root / "a.docx").write_bytes(b"aaa")
    svc = _svc(archive)
    svc.run_once()
    assert svc.stats.unchanged == 1 and len(entries(archive, state=None)) == 1


# --- suggestions -----------------------------------------------------------------------------


def _docx(path: Path, title: str, *paras: str) -> None:
    d = docx.Document()
    d.core_properties.title = title
    for p in paras:
        d.add_paragraph(p)
    d.save(str(path))


def test_suggestions_explain_themselves(demo_archive, tmp_path):
    from storage.models import Duty

    archive = demo_archive
    with archive.sessions.read() as s:
        duty = s.scalars(select(Duty).where(Duty.expected_evidence != "")).first()
        kw = duty.expected_evidence.split("、")[0].strip("等相关材料")
    root = tmp_path / "share"
    add_folder(archive, root, "县工信局", settle_seconds=0.2)
    sub = root / "3.1 质量基础"
    sub.mkdir()
    # full-width digits and brackets in the name, the 文号 with half-width brackets
    _docx(sub / "３．１．１ 沂政发[2023]13号 关于加强质量工作的通知.docx", "关于加强质量工作的通知",
          f"正文提到{kw}。", "沂水县人民政府", "2023年5月8日")
    _svc(archive).run_once()
    [e] = entries(archive)
    sg = e.suggestion
    assert sg["department"] == "县工信局"
    assert "文件夹：县工信局" in sg["reasons"]
    assert sg["indicator_code"].startswith("3.1.1")
    assert any("文件名含指标编号 3.1.1" == r for r in sg["reasons"])
    assert sg["doc_number"] == "沂政发〔2023〕13号"
    assert "文号 沂政发〔2023〕13号 → 县政府" in sg["reasons"]
    assert sg["issue_date"] == "2023-05-08"
    assert any(d["id"] == duty.id for d in sg["duties"])
    assert 0.8 <= e.confidence <= 1.0
    with archive.sessions.write() as s:
        [ev_id] = accept(s, [e.id])
        ev = s.get(Evidence, ev_id)
        assert ev.doc_number == "沂政发〔2023〕13号" and ev.issuing_body == "县政府"
        assert ev.title == "关于加强质量工作的通知"
        assert s.scalar(select(EvidenceIndicator.indicator_id).where(EvidenceIndicator.evidence_id == ev_id))
        assert s.get(EvidenceDuty, (ev_id, duty.id)) is not None


def test_duty_keywords_fold_width_and_need_no_word_boundaries():
    from storage.watch.suggest import FileFacts, SuggestContext, _DutyKeys, duty_keywords, suggest

    assert duty_keywords("会议纪要、工作台账等相关材料；ＱＣ小组名单") == ("会议纪要", "工作台账", "qc小组名单")
    ctx = SuggestContext(duties=[_DutyKeys(7, "2.1", "开展QC小组活动", None, None,
                                           duty_keywords("ＱＣ小组名单、活动照片"))])
    s = suggest(FileFacts(relpath="2023年QC小组名单汇总.xlsx"), ctx, folder_department=None)
    assert s["duties"][0]["id"] == 7 and "qc小组名单" in s["duties"][0]["reason"]


def test_ignore_trashes_and_accept_with_explicit_links(demo_archive, tmp_path):
    archive = demo_archive
    root = tmp_path / "share"
    add_folder(archive, root, settle_seconds=0.2)
    (root / "无关.docx").write_bytes(b"unrelated")
    (root / "相关.docx").write_bytes(b"related")
    _svc(archive).run_once()
    e1, e2 = entries(archive)
    with archive.sessions.write() as s:
        ignore(s, [e1.id])
        assert s.get(Evidence, e1.evidence_id).trashed_at is not None
        accept(s, [e2.id], department="县住建局", indicator_codes=["3.1.1"])
        ev = s.get(Evidence, e2.evidence_id)
        assert ev.department_id is not None and ev.trashed_at is None
        with pytest.raises(BadInput):
            accept(s, [e2.id], indicator_codes=["9.9.9"])
        with pytest.raises(BadInput):
            ignore(s, [99999])
    assert (root / "无关.docx").exists()  # never touched


def test_auto_accept_when_turned_on_for_the_folder(demo_archive, tmp_path):
    archive = demo_archive
    root = tmp_path / "share"
    add_folder(archive, root, "县工信局", settle_seconds=0.2, auto_accept=True)
    (root / "3.1.1 台账.docx").write_bytes(b"confident")
    (root / "随便.docx").write_bytes(b"not confident")
    _svc(archive).run_once()
    states = {e.name: e.state for e in entries(archive, state=None)}
    assert states == {"3.1.1 台账.docx": "accepted", "随便.docx": "pending"}


# --- zips ------------------------------------------------------------------------------------


def _zip_with_raw_names(path: Path, members: list[tuple[bytes, bytes]]) -> None:
    import struct
    import zlib

    out = io.BytesIO()
    central = []
    for raw_name, data in members:
        crc = zlib.crc32(data)
        offset = out.tell()
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(data), len(data),
                             len(raw_name), 0)
        out.write(header + raw_name + data)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc, len(data),
                                   len(data), len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name)
    start = out.tell()
    for c in central:
        out.write(c)
    size = out.tell() - start
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))
    path.write_bytes(out.getvalue())


def test_zip_with_gbk_names_is_opened_into_entries(archive, tmp_path):
    root = tmp_path / "share"
    add_folder(archive, root, "县工信局", settle_seconds=0.2)
    _zip_with_raw_names(root / "报送材料.zip", [
        ("3.1.1 计量台账.txt".encode("gbk"), "计量台账内容".encode("gbk")),
        ("子目录/会议纪要.txt".encode("gbk"), b"minutes"),
        ("../../逃逸.txt".encode("gbk"), b"escape"),
        ("~$锁.docx".encode("gbk"), b"lock"),
    ])
    _svc(archive).run_once()
    es = entries(archive)
    assert sorted(e.source_path for e in es) == ["3.1.1 计量台账.txt", "子目录/会议纪要.txt"]
    assert all(e.from_zip == str(root / "报送材料.zip") for e in es)
    assert not (tmp_path / "逃逸.txt").exists() and not (root.parent.parent / "逃逸.txt").exists()
    assert not list((archive.root / "files" / ".incoming").glob("zip-*"))  # unpacked copies removed


def test_zip_bomb_and_rar_are_refused_with_a_reason(archive, tmp_path):
    root = tmp_path / "share"
    add_folder(archive, root, settle_seconds=0.2)
    with zipfile.ZipFile(root / "炸弹.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.bin", b"\0" * (20 * 1024 * 1024))
    (root / "材料.rar").write_bytes(b"Rar!\x1a\x07\x00 fake")
    _svc(archive).run_once()
    failed = {e.name: e.reason for e in entries(archive, state="failed")}
    assert "压缩比" in failed["炸弹.zip"]
    assert "请解压" in failed["材料.rar"]
    assert entries(archive) == []


# --- text and search -------------------------------------------------------------------------


def test_text_extraction_docx_xlsx_pdf(tmp_path):
    import openpyxl

    from storage.watch.extract import extract

    _docx(tmp_path / "a.docx", "", "关于开展计量台账检查的通知", "沂市监字（2023）5号")
    ex = extract(tmp_path / "a.docx", "检查通知.docx")
    assert "计量台账" in ex.text and ex.doc_number == "沂市监字〔2023〕5号"
    wb = openpyxl.Workbook()
    wb.active.append(["企业名称", "标准化良好行为"])
    wb.save(tmp_path / "b.xlsx")
    assert "标准化良好行为" in extract(tmp_path / "b.xlsx", "b.xlsx").text
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.add_blank_page(595, 842)
    w.add_metadata({"/Title": "Quality report"})
    with open(tmp_path / "c.pdf", "wb") as f:
        w.write(f)
    ex = extract(tmp_path / "c.pdf", "c.pdf")
    assert ex.page_count == 2 and ex.title == "Quality report"
    # a damaged file is still evidence, titled by its name
    (tmp_path / "d.docx").write_bytes(b"PK\x03\x04 broken")
    assert extract(tmp_path / "d.docx", "坏文件.docx").title == "坏文件"


def test_search_two_character_and_longer_terms(archive, tmp_path):
    from storage.catalogue.search import refresh_index, search

    root = tmp_path / "share"
    add_folder(archive, root, settle_seconds=0.2)
    _docx(root / "通知.docx", "关于计量工作的通知", "请各单位建立计量器具台账。")
    _docx(root / "纪要.docx", "领导小组会议纪要", "研究质量强县创建工作。")
    (root / "ＱＣ小组.txt").write_text("全角字母的文件名", encoding="utf-8")
    _svc(archive).run_once()
    with archive.sessions.write() as s:
        assert refresh_index(s) == 0  # the watcher indexed each batch it took
        s.execute(text("DELETE FROM search_doc"))
        assert refresh_index(s) == 3  # a lost cache is rebuilt from the archive
    with archive.sessions.read() as s:
        assert [h.title for h in search(s, "台账")] == ["关于计量工作的通知"]
        assert [h.title for h in search(s, "计量器具台账")] == ["关于计量工作的通知"]
        assert [h.title for h in search(s, "质量强县")] == ["领导小组会议纪要"]
        assert [h.title for h in search(s, "纪要 质量")] == ["领导小组会议纪要"]
        assert len(search(s, "qc")) == 1 and len(search(s, "ＱＣ小组")) == 1
        assert search(s, "账") and search(s, "不存在的词") == []
    [notice] = [e for e in entries(archive) if e.name == "通知.docx"]
    with archive.sessions.write() as s:
        ignore(s, [notice.id])
        refresh_index(s)
    with archive.sessions.read() as s:
        assert search(s, "台账") == []
        assert len(search(s, "台账", include_trashed=True)) == 1


def test_a_duty_named_once_in_the_text_still_offers_its_indicator_marked_weak():
    """A reason "符合任务 …" with no indicator suggested confuses the clerk; a single keyword
    in the text offers the duty's indicator, marked as weak; in the name it is a firm one."""
    from storage.watch.suggest import FileFacts, SuggestContext, _DutyKeys, duty_keywords, suggest

    ctx = SuggestContext(
        indicators_by_code={"1.1.1": (11, "成立工作领导小组")},
        duties=[_DutyKeys(7, "", "成立质量强县工作领导小组", 11, None, duty_keywords("领导小组成员名单"))],
    )
    weak = suggest(FileFacts(relpath="通知.docx", text="附件：领导小组成员名单"), ctx, folder_department=None)
    assert [i["code"] for i in weak["indicators"]] == ["1.1.1"]
    assert "把握较低" in weak["indicators"][0]["reason"]
    firm = suggest(FileFacts(relpath="领导小组成员名单.docx"), ctx, folder_department=None)
    assert firm["indicators"][0]["code"] == "1.1.1" and "把握较低" not in firm["indicators"][0]["reason"]
    assert firm["confidence"] > weak["confidence"]


def test_blob_for_keeps_one_row_when_the_content_is_already_there(archive, tmp_path):
    """The watcher's blob row is added with INSERT … ON CONFLICT DO NOTHING: content another
    writer already recorded is reused, new content gets one audited row."""
    from storage.models import AuditLog, Blob
    from storage.watch.inbox import blob_for

    src = tmp_path / "台账.docx"
    src.write_bytes(b"ledger " * 100)
    stored = archive.files.store(src)
    archive.files.sync()
    with archive.sessions.write() as s:
        first = blob_for(s, stored)
        again = blob_for(s, stored)
        assert first.id == again.id
    with archive.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 1
        assert s.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.entity == "blob", AuditLog.entity_id == str(first.id))) == 1


def test_a_burst_is_recorded_in_bulk_as_faithfully_as_one_by_one(archive, tmp_path):
    """Issue 18 (watcher speed): one batch mixing new files (the bulk path), a copy of content
    already held (a duplicate), the same content twice in the batch and a changed file at a
    path taken before (a revision) ends with exactly the rows and audit entries the
    one-by-one recorder makes: one evidence item per new content, one inbox entry per file,
    its text read, its title from the document, an audit insert for every row."""
    from storage.models import AuditLog, BlobText, EvidenceFile, InboxEntry

    share = tmp_path / "share"
    add_folder(archive, share, "县工信局", settle_seconds=0)
    d = docx.Document()
    d.add_paragraph("关于开展2024年质量月活动的通知")
    d.add_paragraph("各有关单位：为提升全县产品质量，现就开展质量月活动通知如下。")
    d.save(str(share / "通知.docx"))
    (share / "旧方案.txt").write_text("第一版", encoding="utf-8")
    _svc(archive).run_once(max_wait=10)
    (share / "旧方案.txt").write_text("第二版，内容已修改", encoding="utf-8")
    for i in range(30):
        (share / f"材料{i:02d}.txt").write_text(f"佐证材料第 {i} 份：质量强县工作台账", encoding="utf-8")
    (share / "通知副本.docx").write_bytes((share / "通知.docx").read_bytes())   # held already
    (share / "甲.txt").write_text("两个文件同一内容", encoding="utf-8")
    (share / "乙.txt").write_text("两个文件同一内容", encoding="utf-8")
    svc = _svc(archive)
    svc.run_once(max_wait=10)
    assert svc.stats.failures == 0
    with archive.sessions.read() as s:
        rows = s.execute(select(InboxEntry.source_path, InboxEntry.state, InboxEntry.evidence_id,
                                InboxEntry.reason)).all()
        by_name = {Path(r[0]).name: r for r in rows}
        assert len(rows) == 2 + 30 + 3          # the revision updates its pending entry
        assert all(r[1] == "pending" and r[2] is not None for r in rows)
        assert by_name["通知副本.docx"][2] == by_name["通知.docx"][2]          # duplicate
        assert "内容相同" in by_name["通知副本.docx"][3]
        assert by_name["甲.txt"][2] == by_name["乙.txt"][2]                   # stored once
        assert "第 2 版" in by_name["旧方案.txt"][3]
        assert s.scalar(select(func.count()).select_from(Evidence)) == 2 + 30 + 1
        assert s.scalar(select(func.count()).select_from(EvidenceFile)) == 2 + 30 + 1 + 1
        texts = {sha: t for sha, t in s.execute(select(Blob.sha256, BlobText.text).join(BlobText, BlobText.blob_id == Blob.id))}
        assert len(texts) == s.scalar(select(func.count()).select_from(Blob))   # every file's text read
        assert any("质量强县工作台账" in t for t in texts.values())
        audited = {(e, int(i)) for e, i in s.execute(
            select(AuditLog.entity, AuditLog.entity_id).where(AuditLog.action == "insert"))}
        for table, model in (("evidence", Evidence), ("inbox_entry", InboxEntry), ("evidence_file", EvidenceFile),
                             ("blob", Blob)):
            ids = set(s.scalars(select(model.id)))
            assert {(table, i) for i in ids} <= audited, table
        assert s.scalar(select(func.count()).select_from(ScanEntry)) == 2 + 30 + 3


def test_settle_clock_counts_from_the_files_mtime_bounded_by_the_previous_look(archive, tmp_path):
    """Issue 19 item 4: a change a poll or rescan sees late is settled from the file's own
    mtime, not from the sighting (no poll interval added to the settle time); a clock that
    disagrees can move the start back no further than the previous look, and a future mtime
    counts from now."""
    import time

    share = tmp_path / "share"
    add_folder(archive, share, settle_seconds=3, polling_seconds=30)
    svc = _svc(archive)
    svc._load_folders()
    f = next(iter(svc._folders.values()))
    svc._rescan(f)                                   # the first look: nothing there yet
    f.last_scan = time.monotonic() - 10              # as if it was 10 s ago
    now_wall = time.time()
    for name, age in (("五秒前.txt", 5), ("一小时前.txt", 3600), ("将来.txt", -60)):
        p = share / name
        p.write_text(name, encoding="utf-8")
        os.utime(p, (now_wall - age, now_wall - age))
    svc._rescan(f)
    now = time.monotonic()
    cands = {rel: c for (_fid, rel), c in svc._cands.items()}
    assert abs((now - cands["五秒前.txt"].since) - 5) < 1.0       # written 5 s ago: settled already
    assert cands["五秒前.txt"].due <= now
    assert abs((now - cands["一小时前.txt"].since) - 10) < 1.0    # no earlier than the last look
    assert now - cands["将来.txt"].since < 1.0 and cands["将来.txt"].due > now + 2
    svc._process_due()                                # the two settled files are taken at once
    assert {e.name for e in entries(archive)} == {"五秒前.txt", "一小时前.txt"}


def test_one_file_the_database_refuses_never_stops_its_bulk_batch(archive, tmp_path, monkeypatch):
    """A batch recorded in bulk that fails (here: the database refusing one file's row, as
    injected below) is recorded again file by file: the rest of the batch goes in, the one
    file is retried with backoff and, after the attempts, shown in the inbox with its reason."""
    from storage.watch import service

    share = tmp_path / "share"
    add_folder(archive, share, settle_seconds=0)
    for i in range(20):
        (share / f"材料{i:02d}.txt").write_text(f"第 {i} 份", encoding="utf-8")
    (share / "坏.txt").write_text("数据库拒收的一行", encoding="utf-8")
    real_bulk, real_one = service.record_new_files, service.record_file

    def bulk(s, folder, files, ctx):
        if any(f.relpath.endswith("坏.txt") for f in files):
            raise ValueError("CHECK constraint failed: refused row")
        return real_bulk(s, folder, files, ctx)

    def one(s, **kw):
        if kw["relpath"].endswith("坏.txt"):
            raise ValueError("CHECK constraint failed: refused row")
        return real_one(s, **kw)

    monkeypatch.setattr(service, "record_new_files", bulk)
    monkeypatch.setattr(service, "record_file", one)
    svc = _svc(archive, fail_after=2, backoff_seconds=0.1)
    svc.run_once(max_wait=3)
    pending = {e.name for e in entries(archive)}
    assert pending == {f"材料{i:02d}.txt" for i in range(20)}
    failed = entries(archive, "failed")
    assert [e.name for e in failed] == ["坏.txt"] and "无法登记" in failed[0].reason
