"""A clerk's week, second part (issue 17, item 11): the window title names the product
once (Qt appends the application's display name to a title that does not end with it), and
the inbox's 把握 column says, on hovering its header, what the percentages are based on."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import open_window

from desktop.window.app import ensure_app
from ui.main_window import PRODUCT

WAIT = 60_000


def _shown_title(widget) -> str:
    """The title as the window manager shows it (Qt's QPlatformWindow::formatWindowTitle)."""
    title, name = widget.windowTitle(), QApplication.applicationDisplayName()
    return title if not name or title.endswith(name) else f"{title} — {name}"


def test_the_title_names_the_product_once(qtbot, demo_archive):
    ensure_app()
    # the shell's display name (set when the application starts; pytest-qt made the app)
    QApplication.setApplicationDisplayName(PRODUCT)
    with open_window(qtbot, demo_archive, wait=WAIT) as (window, _controller):
        shown = _shown_title(window)
        assert shown.count("Evidence Desk") == 1, shown
        assert str(demo_archive.root) in shown
        window.show_view("inbox")
        assert _shown_title(window).count("Evidence Desk") == 1


def test_the_certainty_header_explains_the_percentages(qtbot, demo_archive):
    with open_window(qtbot, demo_archive, wait=WAIT) as (window, _controller):
        qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 视图 → 收件箱
        qtbot.waitUntil(lambda: window.current_view() == "inbox", timeout=WAIT)
        model = window.inbox.model
        col = model.CERTAINTY_COL
        assert model.headerData(col, Qt.Orientation.Horizontal) == "把握"
        tip = model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert tip and "百分比" in tip and "依据" in tip and "80%" in tip
