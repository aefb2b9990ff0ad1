"""The user guide (docs/用户指南.md) cannot silently drift from the program:

- every image and document it links to exists, and every image is one that
  scripts/screenshots.sh regenerates;
- every `--view` name the screenshot script uses is accepted by the program, and one real
  `--screenshot` run through the command line gives a non-blank PNG;
- every window label the guide quotes in 「」 (menus as 「文件」→「导入」→「…」, buttons, tabs,
  field names) and every “…”-quoted text ending in an ellipsis (a menu entry or button) occurs
  in the source of ui/ or desktop/.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "用户指南.md"
SCRIPT = ROOT / "scripts" / "screenshots.sh"


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def script_views() -> list[str]:
    """The VIEWS="..." list of scripts/screenshots.sh."""
    m = re.search(r'^VIEWS="([^"]*)"', SCRIPT.read_text(encoding="utf-8"), re.MULTILINE)
    assert m, "scripts/screenshots.sh has no VIEWS=\"...\" line"
    return shlex.split(m.group(1))


def source_text() -> str:
    files = (sorted((ROOT / "ui").rglob("*.py")) + sorted((ROOT / "desktop").rglob("*.py"))
             + [ROOT / "storage" / "kernel" / "words.py"])
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def quoted_labels(text: str) -> list[str]:
    """Window labels the guide quotes: each part of 「…」 (a menu path's parts are quoted
    one by one), and “…” quotes that end in an ellipsis (menu entries, buttons)."""
    labels = re.findall(r"「([^」]+)」", text)
    labels += [q for q in re.findall(r"“([^”]+)”", text) if q.endswith("…")]
    return labels


# --- links -----------------------------------------------------------------------------------------


def test_every_linked_image_and_document_exists():
    text = guide_text()
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)
    assert len(images) >= 10, images  # the guide is illustrated section by section
    missing = [i for i in images if not (GUIDE.parent / i).is_file()]
    assert not missing, f"images the guide links to that do not exist: {missing}"
    links = [u for u in re.findall(r"(?<!!)\[[^\]]*\]\(([^)\s#]+)(?:#[^)]*)?\)", text)
             if not re.match(r"[a-z]+:", u)]
    assert not [u for u in links if not (GUIDE.parent / u).exists()], links


def test_every_image_is_made_by_the_screenshot_script():
    images = re.findall(r"!\[[^\]]*\]\(screenshots/([^)\s]+)\.png\)", guide_text())
    views = set(script_views())
    stray = sorted(set(images) - views)
    assert not stray, f"images no --view of scripts/screenshots.sh regenerates: {stray}"


def test_every_anchor_in_the_table_of_contents_is_a_heading():
    text = guide_text()
    headings = re.findall(r"^##+ (.+)$", text, re.MULTILINE)

    def anchor(h: str) -> str:  # GitHub's rule: lower case, spaces to '-', punctuation dropped
        h = h.strip().lower()
        h = re.sub(r"[^\w\- ]", "", h)
        return h.replace(" ", "-")

    anchors = {anchor(h) for h in headings}
    used = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert used and used <= anchors, sorted(used - anchors)


# --- the screenshot script's views -------------------------------------------------------------------


def _known_views() -> set[str]:
    from desktop.window.screenshots import EXPORT_VIEWS, SETUP_VIEWS
    from ui.texts import VIEWS

    return set(VIEWS) | set(SETUP_VIEWS) | set(EXPORT_VIEWS)


def test_every_view_of_the_script_is_accepted(demo_archive, tmp_path):
    """Views the program lists are accepted at once; any other name must pass a real
    `--screenshot` run (so a view added elsewhere, e.g. by its own module, still counts)."""
    from conftest import run_cli

    views = script_views()
    assert "main" in views and len(views) == len(set(views))
    unknown = [v for v in views if v not in _known_views()]
    for view in unknown:
        png = tmp_path / f"{view}.png"
        r = run_cli("--archive", str(demo_archive.root), "--screenshot", str(png), "--view", view,
                    env={"QT_QPA_PLATFORM": "offscreen"})
        assert r.returncode == 0 and png.is_file(), f"--view {view} refused: {r.stderr}"


def test_a_screenshot_through_the_command_line_is_not_blank(demo_archive, tmp_path):
    from conftest import run_cli
    from PySide6.QtGui import QImage

    view = "about" if "about" in script_views() else script_views()[0]
    png = tmp_path / f"{view}.png"
    r = run_cli("--archive", str(demo_archive.root), "--screenshot", str(png), "--view", view,
                env={"QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr
    img = QImage(str(png))
    assert not img.isNull() and img.width() >= 300 and img.height() >= 200
    colours = {img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
    assert len(colours) > 8, "a blank or single-colour image"


def test_a_name_the_program_does_not_know_is_refused(demo_archive, tmp_path):
    """The check above means something: an unknown view fails with the program's message."""
    from conftest import run_cli

    r = run_cli("--archive", str(demo_archive.root), "--screenshot", str(tmp_path / "x.png"),
                "--view", "no_such_view", env={"QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 2 and "未知的视图" in r.stderr
    assert not (tmp_path / "x.png").exists()


# --- labels ------------------------------------------------------------------------------------------


def test_every_quoted_label_occurs_in_the_window_source():
    labels = quoted_labels(guide_text())
    assert len(labels) >= 80, len(labels)  # the guide names what to click
    source = source_text()
    missing = sorted({lab for lab in labels if lab not in source})
    assert not missing, f"labels the guide quotes that the window does not have: {missing}"


def test_the_label_check_catches_a_made_up_label():
    text = "点「文件」→「导出全部到云端…」，或“上传到省平台…”。"
    labels = quoted_labels(text)
    assert labels == ["文件", "导出全部到云端…", "上传到省平台…"]
    source = source_text()
    assert [lab for lab in labels if lab not in source] == ["导出全部到云端…", "上传到省平台…"]


@pytest.mark.parametrize("key", ["Enter", "F2", "Ctrl+E", "Delete", "Ctrl+A"])
def test_the_inbox_keys_the_guide_names_are_the_inbox_keys(key):
    """The guide's keyboard table is the inbox's own tip (ui.texts.INBOX_KEYS_TIP)."""
    from ui.texts import INBOX_KEYS_TIP

    assert key in INBOX_KEYS_TIP
    assert key in guide_text()
