"""storage.reading.backlog: every stored file gets its text, whatever brought it in; an
archive made before the reader existed gets its text too; password and unreadable files are
recorded once, never retried. The CLI's `ingest` and `watch --once` leave every file read."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
from conftest import run_cli
from reading_files import encrypt_ooxml, lying_dimension_xlsx, red_header_form, zip_bomb_docx
from sqlalchemy import select

from storage.catalogue.ingest import ingest_paths
from storage.catalogue.search import refresh_index, search
from storage.models import Blob, BlobText
from storage.reading.backlog import pending_count, read_pending
from storage.reading.pool import ReaderPool


def _folder(tmp_path: Path) -> Path:
    src = tmp_path / "材料"
    src.mkdir()
    red_header_form(src / "工作方案.docx")
    wb = openpyxl.Workbook()
    wb.active["B3"] = "计量器具强制检定"
    wb.save(src / "台账.xlsm")
    lying_dimension_xlsx(src / "任务清单.xlsx")
    encrypt_ooxml(src / "任务清单.xlsx", src / "加密.xlsx")
    zip_bomb_docx(src / "炸弹.docx", megabytes=250)
    (src / "说明.txt").write_text("质量强县创建工作说明", encoding="utf-8")
    return src


def test_ingested_files_get_text_password_and_unreadable_recorded(archive, tmp_path: Path) -> None:
    src = _folder(tmp_path)
    ingest_paths(archive, [str(src)])
    with archive.sessions.read() as s:
        assert pending_count(s) == 6          # ingest stores; it does not read (design.md)
    seen: list[tuple[int, int]] = []
    with ReaderPool(2) as pool:
        rep = read_pending(archive, pool=pool, progress=lambda d, t: seen.append((d, t)))
        assert (rep.read, rep.password, rep.unreadable, rep.left) == (4, 1, 1, 0)
        assert seen[-1] == (6, 6)
        again = read_pending(archive, pool=pool)   # recorded once, never retried
        assert (again.read, again.password, again.unreadable) == (0, 0, 0)
    with archive.sessions.read() as s:
        states = {bt.state: bt for bt in s.scalars(select(BlobText))}
        assert set(states) == {"ok", "password", "unreadable"}
        assert "密码" in states["password"].reason and states["password"].text == ""
        assert "炸弹.docx" in states["unreadable"].reason
    with archive.sessions.write() as s:
        refresh_index(s)
    with archive.sessions.read() as s:
        for phrase in ("县财政局", "计量器具强制检定", "任务31", "质量强县创建工作说明", "联系人"):
            assert search(s, phrase), phrase


def test_archive_made_before_the_reader_gets_its_text(archive, tmp_path: Path) -> None:
    src = tmp_path / "旧"
    src.mkdir()
    red_header_form(src / "a.docx")
    ingest_paths(archive, [str(src)])
    with archive.sessions.write() as s:   # as an older version left it: a blob, no text row
        assert s.scalar(select(BlobText)) is None and s.scalar(select(Blob)) is not None
    with ReaderPool(1) as pool:
        rep = read_pending(archive, pool=pool, limit=10)
    assert rep.read == 1 and rep.left == 0


def test_cancel_stops_between_batches(archive, tmp_path: Path) -> None:
    src = tmp_path / "many"
    src.mkdir()
    for i in range(20):
        (src / f"{i}.txt").write_text(f"第{i}号文件 质量", encoding="utf-8")
    ingest_paths(archive, [str(src)])
    with ReaderPool(1) as pool:
        rep = read_pending(archive, pool=pool, cancel=lambda: True)
    assert rep.cancelled and rep.read == 0 and rep.left == 20


def test_cli_ingest_and_watch_once_leave_every_file_with_text(tmp_path: Path) -> None:
    arch = tmp_path / "arch"
    assert run_cli("init", "--archive", str(arch)).returncode == 0
    src = tmp_path / "in"
    src.mkdir()
    red_header_form(src / "方案.docm")
    r = run_cli("ingest", str(src), "--archive", str(arch))
    assert r.returncode == 0, r.stderr
    assert "已读取正文 1 个文件" in r.stdout and "site-packages" not in r.stdout + r.stderr
    r = run_cli("search", "县财政局", "--archive", str(arch), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["hits"], r.stdout
    share = tmp_path / "share"
    share.mkdir()
    shutil.copyfile(src / "方案.docm", share / "副本.dotx")   # same content: stored once
    lying_dimension_xlsx(share / "清单.xlsx")
    assert run_cli("folders", "add", str(share), "--archive", str(arch)).returncode == 0
    r = run_cli("watch", "--once", "--archive", str(arch))
    assert r.returncode == 0, r.stdout + r.stderr
    r = run_cli("search", "任务31", "--archive", str(arch), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["hits"], r.stdout


def test_watcher_leaves_converter_formats_to_the_backlog(archive, tmp_path: Path) -> None:
    """A .doc (LibreOffice, seconds) never holds up the watcher's intake: it is stored and
    entered at once, and its text comes with the backlog."""
    import os

    import pytest
    from watch_helpers import add_folder

    from storage.kernel.convert import libreoffice
    from storage.watch.service import WatchService

    if libreoffice() is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice missing")
    from reading_files import soffice_convert

    share = tmp_path / "share"
    share.mkdir()
    red_header_form(tmp_path / "plan.docx")
    soffice_convert(tmp_path / "plan.docx", "doc", share)
    (share / "便签.txt").write_text("计量器具台账", encoding="utf-8")
    add_folder(archive, share)
    summary = WatchService(archive, observers=False).run_once()
    assert summary["taken"] == 2
    with archive.sessions.read() as s:
        assert pending_count(s) == 1          # the .doc waits for the backlog; the note was read
    with ReaderPool(1) as pool:
        rep = read_pending(archive, pool=pool)
    assert rep.read == 1
    with archive.sessions.write() as s:
        refresh_index(s)
    with archive.sessions.read() as s:
        assert search(s, "县财政局") and search(s, "计量器具台账")
