"""Qt's own buttons and dialogs speak Chinese too (not "OK"/"Cancel")."""
from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from desktop.app import ensure_app


def test_standard_buttons_are_in_chinese(qtbot):
    ensure_app()
    # The pytest-qt application is made before ensure_app; install the translation as a run does.
    from desktop.app import _install_qt_translation
    from PySide6.QtWidgets import QApplication

    _install_qt_translation(QApplication.instance())
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消"])
