"""Watched folders compared as the platform compares names (Windows: case-insensitive)."""
from __future__ import annotations

import pytest

from storage.kernel.errors import BadInput
from storage.watch.folders import add_folder, find_folder, folder_conflict


@pytest.mark.parametrize("existing, new, expected", [
    (["D:\\共享\\县财政局"], "d:\\共享\\县财政局\\", ("D:\\共享\\县财政局", "same")),
    (["D:\\共享\\县财政局"], "D:\\共享\\县财政局\\2024", ("D:\\共享\\县财政局", "overlap")),
    (["D:\\共享\\县财政局\\2024"], "d:\\共享", ("D:\\共享\\县财政局\\2024", "overlap")),
    (["\\\\NAS\\质量办\\工信局"], "\\\\nas\\质量办\\工信局", ("\\\\NAS\\质量办\\工信局", "same")),
    (["D:\\共享\\县财政局"], "D:\\共享\\县财政局2", None),
    (["D:\\共享\\Docs"], "D:\\共享\\Docs2", None),
])
def test_windows_names_compare_without_case(existing, new, expected):
    assert folder_conflict(existing, new, platform="win32") == expected


def test_linux_keeps_case_apart():
    assert folder_conflict(["/srv/共享/Docs"], "/srv/共享/docs", platform="linux") is None
    assert folder_conflict(["/srv/共享/Docs"], "/srv/共享/Docs/", platform="linux") == ("/srv/共享/Docs", "same")


def test_add_folder_refuses_another_spelling_and_find_accepts_it(archive, tmp_path):
    share = tmp_path / "共享" / "县工信局"
    (share / "2024").mkdir(parents=True)
    with archive.sessions.write() as s:
        info = add_folder(s, share)
    with pytest.raises(BadInput) as err, archive.sessions.write() as s:
        add_folder(s, str(share) + "/")
    assert "已在监视中" in err.value.zh
    with pytest.raises(BadInput) as err, archive.sessions.write() as s:
        add_folder(s, share / "2024")
    assert "互相包含" in err.value.zh
    with archive.sessions.read() as s:
        assert find_folder(s, str(share) + "/./").id == info.id
