"""The file store and ingest hand every source path through storage.paths.long_path (the
"\\\\?\\" prefix on Windows for folders deeper than MAX_PATH) and record paths as written
(display_path). Here on Linux long_path is the identity, so the test wraps it to see each
call and to check the Windows form is what would be opened."""
from __future__ import annotations

import storage.catalogue.ingest as ingest
import storage.core.filestore as filestore
from storage.kernel.paths import display_path, long_path


def test_store_and_walk_open_sources_through_long_path(archive, tmp_path, monkeypatch):
    deep = tmp_path / "县工信局" / ("很长的文件夹名称" * 4) / ("第二层" * 8)
    deep.mkdir(parents=True)
    (deep / "台账.docx").write_bytes(b"ledger " * 50)
    seen: list[str] = []

    def spy(path, **kw):
        seen.append(str(path))
        return long_path(path, **kw)

    monkeypatch.setattr(filestore, "long_path", spy)
    monkeypatch.setattr(ingest, "long_path", spy)
    report = ingest.ingest_paths(archive, [tmp_path / "县工信局"])
    assert [i.outcome for i in report.items] == ["stored"]
    assert str(tmp_path / "县工信局") in seen                 # the walk
    assert seen.count(str(deep / "台账.docx")) >= 2           # stat in ingest, open in the store
    # the recorded source path is the one the clerk knows, without any prefix
    assert report.items[0].path == str(deep / "台账.docx")


def test_the_windows_form_round_trips():
    long_dir = "D:\\共享\\县工信局\\" + "\\".join(["很长的文件夹名称" * 4] * 8)
    opened = long_path(long_dir + "\\台账.docx", platform="win32")
    assert opened.startswith("\\\\?\\D:\\")
    assert display_path(opened, platform="win32") == long_dir + "\\台账.docx"
    share = "\\\\nas\\质量办\\" + "子目录\\" * 60 + "台账.docx"
    assert long_path(share, platform="win32").startswith("\\\\?\\UNC\\nas\\质量办\\")
