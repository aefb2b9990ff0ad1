"""Names of any bytes and special files (issue 18, items 2 and 3's last part).

A Chinese Windows PC writing to a share without the UTF-8 option leaves GBK names, and a
damaged disk or a crafted file leaves bytes that are no encoding at all. Each such file is
stored and recorded under a readable, faithful form of its name (the GBK reading, else
\\xNN for each undecodable byte), JSON output and the database never crash, and it never
stops the rest of its batch, its folder or other folders. FIFOs, devices and sockets are
skipped with a reason (exit 1); an empty path argument is bad input (exit 2).
"""
from __future__ import annotations

import json
import os
import socket
import sqlite3
from pathlib import Path

import pytest
from durability_helpers import cli, one_error_line
from watch_helpers import add_folder, entries, wait_for

from storage.durability.verify import verify_archive
from storage.kernel.names import readable_name, readable_path
from storage.watch.service import WatchService

BAD = b"\xb9\xe3\xb6\xab\xff\xfe\xbe\xd6.pdf"  # GBK bytes cut by invalid ones: no encoding
GBK = "县财政局关于质量强县工作的通知〔2024〕3号.docx".encode("gbk")


def _bytes_name(folder: Path, name: bytes, data: bytes) -> Path:
    path = os.path.join(os.fsencode(folder), name)
    with open(path, "wb") as f:
        f.write(data)
    return Path(os.fsdecode(path))


def test_readable_forms_are_faithful():
    assert readable_name(os.fsdecode(GBK)) == "县财政局关于质量强县工作的通知〔2024〕3号.docx"
    bad = readable_name(os.fsdecode(BAD))
    assert "\\xff" in bad and "\\xfe" in bad and bad.endswith(".pdf")
    bad.encode("utf-8")  # storable
    assert readable_name("普通文件.pdf") == "普通文件.pdf"
    path = os.fsdecode("/srv/共享/县工信局/".encode() + GBK)
    assert readable_path(path) == "/srv/共享/县工信局/县财政局关于质量强县工作的通知〔2024〕3号.docx"


def _titles(root: Path) -> list[str]:
    con = sqlite3.connect(f"file:{root / 'archive.sqlite3'}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT title FROM evidence ORDER BY id")]
    finally:
        con.close()


def test_ingest_50_good_files_and_one_bad_name(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(50):
        (src / f"佐证材料{i:02d}.pdf").write_bytes(f"good {i}".encode() * 20)
    _bytes_name(src, BAD, b"bad name content")
    root = tmp_path / "archive"
    assert cli("init", "--archive", str(root)).returncode == 0
    r = cli("ingest", "--json", "--archive", str(root), str(src))
    assert r.returncode == 0, r.stdout + r.stderr  # nothing failed: exit 0 (docs/cli.md)
    report = json.loads(r.stdout)
    assert report["stored"] == 51 and report["failed"] == 0
    paths = [i["path"] for i in report["items"]]
    assert any("\\xff\\xfe" in p for p in paths), paths
    titles = _titles(root)
    assert len(titles) == 51
    assert any("\\xff" in t for t in titles)
    v = cli("verify", "--archive", str(root))
    assert v.returncode == 0, v.stdout + v.stderr
    # the text output too, and a second run finds all 51 as duplicates
    r = cli("ingest", "--archive", str(root), str(src))
    assert r.returncode == 0 and "重复 51 个" in r.stdout, r.stdout + r.stderr


def test_gbk_name_is_stored_under_its_chinese_title(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    _bytes_name(src, GBK, b"notice")
    root = tmp_path / "archive"
    assert cli("init", "--archive", str(root)).returncode == 0
    r = cli("ingest", "--archive", str(root), str(src))
    assert r.returncode == 0, r.stderr
    assert _titles(root) == ["县财政局关于质量强县工作的通知〔2024〕3号"]
    con = sqlite3.connect(f"file:{root / 'archive.sqlite3'}?mode=ro", uri=True)
    doc, name = con.execute("SELECT e.doc_number, f.original_name FROM evidence e "
                            "JOIN evidence_file f ON f.evidence_id = e.id").fetchone()
    con.close()
    assert "〔2024〕3号" in doc
    assert name.endswith(".docx")


def test_special_files_are_skipped_with_a_reason(tmp_path):
    root = tmp_path / "archive"
    assert cli("init", "--archive", str(root)).returncode == 0
    src = tmp_path / "src"
    src.mkdir()
    (src / "通知.pdf").write_bytes(b"notice" * 10)
    os.mkfifo(src / "管道")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(src / "套接字"))
    try:
        r = cli("ingest", "--json", "--archive", str(root), str(src), timeout=60)
    finally:
        sock.close()
    assert r.returncode == 1, r.stdout + r.stderr
    rep = json.loads(r.stdout)
    assert rep["stored"] == 1 and rep["skipped"] == 2
    reasons = {Path(i["path"]).name: i["reason"] for i in rep["items"] if i["outcome"] == "skipped"}
    assert "命名管道" in reasons["管道"] and "FIFO" in reasons["管道"]
    assert "套接字" in reasons["套接字"] and "socket" in reasons["套接字"]
    # a FIFO and a device given directly
    os.mkfifo(tmp_path / "fifo")
    for special, word in ((tmp_path / "fifo", "FIFO"), (Path("/dev/null"), "device")):
        r = cli("ingest", "--archive", str(root), str(special), timeout=60)
        assert r.returncode == 1, r.stdout + r.stderr
        assert "跳过" in r.stdout and word in r.stdout
    assert cli("verify", "--archive", str(root)).returncode == 0


def test_empty_path_is_bad_input(tmp_path):
    root = tmp_path / "archive"
    assert cli("init", "--archive", str(root)).returncode == 0
    for args in ([""], ["   "], [str(tmp_path), ""]):
        r = cli("ingest", "--archive", str(root), *args)
        assert r.returncode == 2, r.stdout + r.stderr
        line = one_error_line(r.stderr)
        assert "空" in line and "empty" in line
    assert _titles(root) == []
    for args in (["folders", "add", "", "--archive", str(root)], ["status", "--archive", ""],
                 ["ingest", str(tmp_path), "--archive", ""]):
        r = cli(*args)  # never the current folder, never the last archive used
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        line = one_error_line(r.stderr)
        assert "空" in line and "empty" in line
    assert _titles(root) == []
    assert cli("verify", "--archive", str(root)).returncode == 0


def test_live_watch_bad_name_in_one_folder_never_stops_another(archive, tmp_path):
    a = tmp_path / "工信局"
    b = tmp_path / "财政局"
    add_folder(archive, a, "县工信局", settle_seconds=0.5)
    add_folder(archive, b, "县财政局", settle_seconds=0.5)
    errors: list[str] = []
    svc = WatchService(archive, supervise_seconds=0.3, rescan_seconds=3600.0, on_error=errors.append)
    svc.start()
    try:
        assert wait_for(lambda: len(svc.folder_statuses()) == 2, 5)
        _bytes_name(a, BAD, b"bad name")
        _bytes_name(a, GBK, b"gbk name")
        for i in range(3):
            (a / f"工信{i}.pdf").write_bytes(f"a{i}".encode())
        for i in range(20):
            (b / f"财政{i:02d}.pdf").write_bytes(f"b{i}".encode())
        assert wait_for(lambda: len(entries(archive, state=None)) >= 25, 60, step=0.3), errors
        assert svc.wait_idle(30), (svc._cands, errors)
    finally:
        svc.stop()
    es = entries(archive, state=None)
    assert len(es) == 25 and not [e for e in es if e.state == "failed"]
    sources = {e.source_path for e in es}
    assert sum(1 for s in sources if "财政局/财政" in s) == 20
    assert any(s.endswith("县财政局关于质量强县工作的通知〔2024〕3号.docx") for s in sources)
    assert any("\\xff\\xfe" in s for s in sources)
    assert all(s.encode("utf-8") for s in sources)
    assert not errors, errors
    assert verify_archive(archive).ok


@pytest.mark.parametrize("as_json", [False, True])
def test_watch_once_and_inbox_list_with_odd_names(tmp_path, as_json):
    root = tmp_path / "archive"
    share = tmp_path / "share"
    share.mkdir()
    _bytes_name(share, BAD, b"bad name")
    (share / "好.pdf").write_bytes(b"good")
    assert cli("init", "--archive", str(root)).returncode == 0
    assert cli("folders", "add", str(share), "--archive", str(root)).returncode == 0
    r = cli("watch", "--once", "--archive", str(root))
    assert r.returncode == 0, r.stdout + r.stderr
    args = ["inbox", "list", "--state", "all", "--archive", str(root)] + (["--json"] if as_json else [])
    r = cli(*args)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "\\xff\\xfe" in r.stdout or "\\\\xff\\\\xfe" in r.stdout
    if as_json:
        json.loads(r.stdout)
    assert cli("verify", "--archive", str(root)).returncode == 0
