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
