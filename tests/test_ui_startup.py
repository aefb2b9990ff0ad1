"""Start-up of the window: Qt's own texts in Chinese, and which folders open without asking."""
from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from desktop.window.app import ensure_app
from storage.core.archive import Archive


def test_standard_buttons_are_in_chinese(qtbot):
    ensure_app()
    # The pytest-qt application is made before ensure_app; install the translation as a run does.
    from PySide6.QtWidgets import QApplication

    from desktop.window.app import _install_qt_translation

    _install_qt_translation(QApplication.instance())
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消"])


def test_a_server_archive_folder_opens_without_the_first_run_dialog(tmp_path, monkeypatch):
    """A folder on the share holding server.json (metadata on PostgreSQL) is an archive too:
    `evidence-desk DIR` opens it instead of asking what to open."""
    from desktop.window import app as desktop_app

    def no_dialog(*a, **k):
        raise AssertionError("the first-run dialog was shown")

    monkeypatch.setattr("ui.first_run.FirstRunDialog", no_dialog)
    share = tmp_path / "质量办" / "档案库"
    share.mkdir(parents=True)
    (share / "server.json").write_text('{"url": "postgresql://evidence@nas/evidence"}', encoding="utf-8")
    assert desktop_app.choose_archive(share) == ("open", str(share))
    local = tmp_path / "本机档案库"
    Archive.create(local).close()
    assert desktop_app.choose_archive(local) == ("open", str(local))
