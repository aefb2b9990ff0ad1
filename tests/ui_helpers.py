"""The main window as the application wires it (window, one task runner, controller) over
an archive, for the UI tests: opened, loaded, idle; closed and its threads joined after."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any


@contextlib.contextmanager
def open_window(qtbot: Any, archive: Any, *, wait: int = 20_000,
                before_close: Callable[[Any, Any], None] | None = None) -> Iterator[tuple[Any, Any]]:
    """(window, controller) with `archive` loaded and no task running; at the end
    `before_close(window, controller)` (if given), the archive closed and the runner's
    threads stopped (asserted)."""
    from desktop.window.controllers import Controller
    from desktop.window.tasks import TaskRunner
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    controller = Controller(window, runner)
    window.show()
    with qtbot.waitSignal(controller.tree_loaded, timeout=wait):
        controller.set_archive(archive)
    qtbot.waitUntil(runner.is_idle, timeout=wait)
    yield window, controller
    if before_close is not None:
        before_close(window, controller)
    controller.close_archive()
    assert runner.shutdown()
