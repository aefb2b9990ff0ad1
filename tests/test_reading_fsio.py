"""storage.kernel.fsio: kinds by content, and the guards every supplied file passes first."""
from __future__ import annotations

import os
import shutil
import socket
import zipfile
from pathlib import Path

import openpyxl
import pytest
from reading_files import (
    DOCM_CT_MAIN,
    DOTX_CT_MAIN,
    billion_laughs_xlsx,
    encrypt_ooxml,
    far_cell_xlsx,
    lying_dimension_xlsx,
    old_excel_bytes,
    red_header_form,
    text_pdf,
    whole_sheet_merge_xlsx,
    zip_bomb_docx,
)

from storage.kernel import fsio
from storage.kernel.errors import BadInput
from storage.kernel.fsio import FileRefused


def _xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "指标"
    wb.save(path)
    return path


def test_kinds_by_content_not_by_name(tmp_path: Path) -> None:
    docx = red_header_form(tmp_path / "a.docx")
    docm = red_header_form(tmp_path / "b.docm", main_ct=DOCM_CT_MAIN)
    dotx = red_header_form(tmp_path / "c.dotx", main_ct=DOTX_CT_MAIN)
    xlsx = _xlsx(tmp_path / "d.xlsx")
    renamed = tmp_path / "blob-without-extension"
    shutil.copyfile(xlsx, renamed)
    pdf = text_pdf(tmp_path / "e.pdf")
    png = tmp_path / "f.bin"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    txt = tmp_path / "g"
    txt.write_bytes("质量强县工作总结\n".encode("gb18030"))
    old = tmp_path / "h.xls"
    old.write_bytes(old_excel_bytes())
    empty = tmp_path / "i.docx"
    empty.write_bytes(b"")
    plain_zip = tmp_path / "j.zip"
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("a.txt", "x")
    cases = {
        docx: ("docx", "docx"), docm: ("docx", "docm"), dotx: ("docx", "dotx"), xlsx: ("xlsx", "xlsx"),
        renamed: ("xlsx", "xlsx"), pdf: ("pdf", ""), png: ("image", "png"), txt: ("text", ""),
        old: ("old-excel", "biff2-4"), empty: ("empty", ""), plain_zip: ("zip", ""),
    }
    for path, (kind, detail) in cases.items():
        got = fsio.sniff(path)
        assert (got.kind, got.detail) == (kind, detail), path.name


def test_encrypted_ooxml_is_password(tmp_path: Path) -> None:
    enc = encrypt_ooxml(_xlsx(tmp_path / "a.xlsx"), tmp_path / "enc.xlsx")
    kind = fsio.sniff(enc)
    assert kind.kind == fsio.PASSWORD
    with pytest.raises(FileRefused) as e:
        fsio.refuse_unreadable_kind(kind, "enc.xlsx")
    assert e.value.zh.startswith("文件有密码保护，请去掉密码后再导入")
    assert "password-protected" in e.value.en and e.value.reason == "password"


def test_symlink_outside_root_is_refused_inside_is_followed(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0")
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "inside.txt").write_text("正文")
    (folder / "link-out.txt").symlink_to(outside)
    (folder / "link-in.txt").symlink_to(folder / "inside.txt")
    with pytest.raises(FileRefused) as e:
        fsio.check_regular(folder / "link-out.txt", root=folder)
    assert e.value.reason == "link-outside" and "符号链接" in e.value.zh and "link-out.txt" in e.value.zh
    assert fsio.check_regular(folder / "link-in.txt", root=folder).st_size == len("正文".encode())
    with pytest.raises(FileRefused):
        fsio.check_regular(folder / "link-in.txt", root=folder, allow_links=False)
    with pytest.raises(FileRefused):
        with fsio.open_regular(folder / "link-out.txt", root=folder) as f:
            f.read()


def test_fifo_socket_folder_are_refused_with_reason(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused) as e:
        with fsio.open_regular(fifo) as f:   # must not block
            f.read()
    assert e.value.reason == "fifo" and "FIFO" in e.value.zh
    sock_path = tmp_path / "s.sock"
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(sock_path))
        with pytest.raises(FileRefused) as e2:
            fsio.check_regular(sock_path)
        assert e2.value.reason == "socket"
    finally:
        s.close()
    with pytest.raises(FileRefused) as e3:
        fsio.check_regular(tmp_path)
    assert e3.value.reason == "folder"
    with pytest.raises(FileRefused) as e4:
        fsio.check_regular("/dev/null")
    assert e4.value.reason == "device"


def test_name_not_valid_utf8(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/\xb9\xa4\xd7\xf7\xb7\xbd\xb0\xb8.txt"   # GBK 工作方案.txt
    with open(raw, "wb") as f:
        f.write("质量强县".encode())
    assert fsio.check_regular(raw).st_size == 12
    shown = fsio.display_name(raw)
    shown.encode("utf-8")   # printable, storable
    assert shown.endswith(".txt") and "\\x" in shown
    assert fsio.sniff(raw).kind == fsio.TEXT


def test_zip_bomb_refused_before_parsing(tmp_path: Path) -> None:
    bomb = zip_bomb_docx(tmp_path / "bomb.docx", megabytes=250)
    assert bomb.stat().st_size < 2_000_000
    with zipfile.ZipFile(bomb) as z, pytest.raises(FileRefused) as e:
        fsio.check_zip(z, "bomb.docx")
    assert e.value.reason == "bomb" and "bomb.docx" in e.value.zh
    with pytest.raises(FileRefused):
        fsio.check_word_file(bomb)


def test_traversal_member_names_refused(tmp_path: Path) -> None:
    p = tmp_path / "evil.zip"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("../../etc/passwd", "x")
    with zipfile.ZipFile(p) as z, pytest.raises(FileRefused):
        fsio.check_zip(z, "evil.zip")


def test_entity_bomb_refused(tmp_path: Path) -> None:
    p = billion_laughs_xlsx(tmp_path / "lol.xlsx")
    with pytest.raises(FileRefused) as e:
        fsio.scan_xlsx(p)
    assert e.value.reason == "bomb" and "实体" in e.value.zh


def test_sheet_scan_ignores_lying_dimension_and_bounds_far_cells_and_merges(tmp_path: Path) -> None:
    (scan,) = fsio.scan_xlsx(lying_dimension_xlsx(tmp_path / "dim.xlsx"))
    assert scan.declared == "A1" and (scan.rows, scan.cols, scan.cells) == (31, 2, 62)
    (empty_far,) = fsio.scan_xlsx(far_cell_xlsx(tmp_path / "far-empty.xlsx", with_value=False))
    assert (empty_far.rows, empty_far.cols) == (1, 1)   # an empty far cell holds nothing
    with pytest.raises(FileRefused) as e:
        fsio.scan_xlsx(far_cell_xlsx(tmp_path / "far.xlsx"))
    assert "远处" in e.value.zh
    with pytest.raises(FileRefused) as e2:
        fsio.scan_xlsx(whole_sheet_merge_xlsx(tmp_path / "merge.xlsx"))
    assert "合并单元格" in e2.value.zh


def test_check_word_file(tmp_path: Path) -> None:
    assert fsio.check_word_file(red_header_form(tmp_path / "a.docm", main_ct=DOCM_CT_MAIN)).detail == "docm"
    with pytest.raises(FileRefused) as e:
        fsio.check_word_file(_xlsx(tmp_path / "t.docx"))
    assert "Excel" in e.value.zh and "不是 Word 文档" in e.value.zh
    enc = encrypt_ooxml(red_header_form(tmp_path / "p.docx"), tmp_path / "enc.docx")
    with pytest.raises(FileRefused) as e2:
        fsio.check_word_file(enc)
    assert e2.value.reason == "password"
    cut = tmp_path / "cut.docx"
    cut.write_bytes((tmp_path / "p.docx").read_bytes()[:300])
    with pytest.raises(BadInput) as e3:
        fsio.check_word_file(cut)
    assert "损坏" in e3.value.zh
