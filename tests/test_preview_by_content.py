"""The item view's preview reads a stored file by its content (issue 17 item 3, issue 21): the
store keeps files by hash without their extension, so an .xlsx must not be given to a reader
that decides by the name ("InvalidFileException" in front of a clerk)."""
from __future__ import annotations

import openpyxl
from sqlalchemy import delete

from storage.catalogue.ingest import ingest_paths
from storage.models import BlobText
from storage.reading.preview import file_preview


def test_an_excel_item_previews_its_cells_without_an_extension(archive, tmp_path):
    src = tmp_path / "计量器具台账.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "器具名称", "检定日期"])
    wb.active.append([1, "电子计价秤", "2026-05-08"])
    wb.save(src)
    report = ingest_paths(archive, [src])
    eid = report.items[0].evidence_id
    with archive.sessions.write() as s:   # no text read yet: the preview must read the file itself
        s.execute(delete(BlobText))
    preview = file_preview(archive, eid)
    assert archive.files.path_for(report.items[0].sha256).suffix == ""
    assert preview.kind == "text" and "电子计价秤" in preview.text and preview.note == ""


def test_a_password_protected_item_says_so(archive, tmp_path):
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["机密"])
    wb.save(plain)
    plain.seek(0)
    out = tmp_path / "加密表.xlsx"
    office = OOXMLFile(plain)
    with open(out, "wb") as f:
        office.encrypt("1234", f)
    report = ingest_paths(archive, [out])
    with archive.sessions.write() as s:
        s.execute(delete(BlobText))
    preview = file_preview(archive, report.items[0].evidence_id)
    assert preview.text == "" and "密码" in preview.note


def test_the_item_view_and_the_inbox_say_a_file_is_password_protected(qtbot, archive, tmp_path):
    """有密码保护 in the item view's file list and after the inbox row's name (issue 21 item 4)."""
    from msoffcrypto.format.ooxml import OOXMLFile
    from watch_helpers import add_folder

    from storage.catalogue.items import evidence_detail
    from storage.reading.backlog import read_pending
    from storage.watch.inbox import list_inbox
    from storage.watch.service import WatchService
    from ui.inbox import InboxItemModel

    share = tmp_path / "share"
    share.mkdir()
    plain = tmp_path / "plain.docx"
    import docx

    d = docx.Document()
    d.add_paragraph("内部资料")
    d.save(plain)
    with open(plain, "rb") as fin, open(share / "加密通知.docx", "wb") as fout:
        OOXMLFile(fin).encrypt("1234", fout)
    add_folder(archive, share, settle_seconds=0)
    WatchService(archive, observers=False).run_once(max_wait=10)
    read_pending(archive)
    with archive.sessions.read() as s:
        [item] = list_inbox(s)
    model = InboxItemModel()
    model.set_rows([item])
    assert item.read_state == "password" and "有密码保护" in model.data(model.index(0, 0))
    assert item.evidence_id is not None
    with archive.sessions.read() as s:
        detail = evidence_detail(s, item.evidence_id)
    assert any(f.read_state == "password" for f in detail.files)
