"""The window's features that the first screen does not need, loaded after it is shown.

Importing the feature controllers (imports and settings, export and print, trash and backup,
the review views, self-checks, undo, 移到…, the metadata of dropped files) and everything
they import is about a fifth of the window's start (issue 19, item 3). The window starts
without them: when the first rows of a node are on screen (or shortly after the tree is, or
after a few seconds whatever happens), `Features` imports them one module per turn of the
event loop, so the window keeps answering, and then makes the controllers.

Nothing a clerk can click waits on that:
- a menu entry or button whose handler lives in a feature (导入…, 设置…, 导出…, 回收站…,
  移到…, the review views' buttons, …) is caught while the features are not loaded: the
  features are loaded at once and the click is handed to them;
- code that needs a feature (`controller.undo`, `controller.setup`, …) loads them at once;
- what a feature does when the tree is shown (the guided start, the self-score panel of the
  selected node, the review views) is done when it is loaded.

This is the one place of the window that imports our modules by name at run time
(`importlib.import_module`); tests/layers.py allows it here and nowhere else, and still
checks the modules named in FEATURES against the layer rules and for import circles.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial
from typing import Any, cast

from PySide6.QtCore import QObject, QTimer, Signal

from ui.qtfix import emit

# (the controller's attribute, the module, its class), in the order they are made: undo uses
# durability and setup.
FEATURES: tuple[tuple[str, str, str], ...] = (
    ("setup", "desktop.window.setup", "SetupController"),
    ("export", "desktop.window.export", "ExportController"),
    ("durability", "desktop.window.durability", "DurabilityController"),
    ("review", "desktop.window.review", "ReviewController"),
    ("checkpoints", "desktop.window.checkpoints", "CheckpointController"),
    ("undo", "desktop.window.undo", "UndoController"),
    ("move", "desktop.window.move", "MoveController"),
    ("dropmeta", "desktop.window.dropmeta", "DropMetaController"),
)
NAMES = tuple(name for name, _, _ in FEATURES)
# Modules of actions a click starts, loaded with the features.
ACTIONS: tuple[str, ...] = ("desktop.actions.reminders",)

# Signals of the window whose only handlers are in the features: (the widget's attribute path
# from the main window, "" for the window itself; the signal). A click on them before the
# features are loaded loads them and is handed on.
CLICKS: tuple[tuple[str, str], ...] = (
    ("", "import_requested"), ("", "about_requested"), ("", "settings_requested"),
    ("", "guide_requested"), ("", "selfscore_requested"), ("", "export_requested"),
    ("", "print_requested"), ("", "durability_requested"), ("", "review_import_requested"),
    ("", "checkpoints_requested"), ("", "rounds_requested"),
    ("workbench.selfscore", "save_requested"), ("workbench.selfscore", "overview_requested"),
    ("workbench.evidence", "trash_requested"), ("workbench.evidence", "move_requested"),
    ("workbench.tree", "evidence_moved"),
    ("rectify", "save_requested"), ("rectify", "files_dropped"), ("rectify", "export_requested"),
    ("rectify", "bundle_requested"), ("rectify", "import_requested"), ("rectify", "add_requested"),
    ("rectify", "delete_requested"),
    ("review_compare", "import_requested"), ("review_compare", "export_requested"),
    ("review_compare", "indicator_activated"),
)
# Without a node shown, the features load this long after the tree is (ms), or after the
# window is made (no archive open: the first-run dialog).
AFTER_TREE_MS = 300
AFTER_START_MS = 3000


def _widget(window: Any, path: str) -> Any:
    obj = window
    for part in filter(None, path.split(".")):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


class Features(QObject):
    """The feature controllers of one `Controller`: made on demand or after the first rows.

    Signals: loaded() once every feature is made (tests and the start benchmark wait on it).
    """

    loaded = Signal()

    def __init__(self, controller: Any) -> None:  # desktop.window.controllers.Controller
        super().__init__(controller)
        self.c = controller
        self._made: dict[str, Any] = {}
        self._pending = [module for _, module, _ in FEATURES] + list(ACTIONS)
        self._tree_gen: int | None = None  # the controller's generation whose tree was shown
        self._ticking = False
        self._catchers: list[tuple[Any, Any]] = []  # (signal, connection) of the early clicks
        for path, name in CLICKS:
            widget = _widget(controller.window, path)
            signal = getattr(widget, name, None) if widget is not None else None
            if signal is not None:
                self._catchers.append((signal, signal.connect(partial(self._early, signal))))
        controller.tree_loaded.connect(self._tree_shown)
        controller.node_shown.connect(lambda _id: self.start())
        QTimer.singleShot(AFTER_START_MS, self, self.start)

    @property
    def is_loaded(self) -> bool:
        return bool(self._made)

    def get(self, name: str) -> Any:
        """The feature controller `name` (one of NAMES), loading the features if need be."""
        self.ensure()
        return self._made[name]

    def write_reminders(self) -> Callable[..., Any]:
        """desktop.actions.reminders.write_reminders (the 催办 documents), loading it if need be."""
        self.ensure()
        return cast("Callable[..., Any]", importlib.import_module("desktop.actions.reminders").write_reminders)

    # -- loading ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Load the features in the background of the event loop: one module per turn."""
        if self._ticking or self.is_loaded:
            return
        self._ticking = True
        QTimer.singleShot(0, self, self._tick)

    def _tick(self) -> None:
        if self.is_loaded:
            return
        if self._pending:
            importlib.import_module(self._pending.pop(0))
            QTimer.singleShot(0, self, self._tick)
        else:
            self.ensure()

    def ensure(self) -> None:
        """Import what is left and make every feature controller, now."""
        if self.is_loaded:
            return
        for _signal, connection in self._catchers:
            QObject.disconnect(connection)
        self._catchers = []
        made: dict[str, Any] = {}
        for module in ACTIONS:
            importlib.import_module(module)
        for name, module, cls in FEATURES:
            made[name] = getattr(importlib.import_module(module), cls)(self.c)
            self._made[name] = made[name]   # the next ones may use it (undo uses durability)
        self._pending = []
        if self._tree_gen is not None and self._tree_gen == self.c._gen:
            self._catch_up(made)
        emit(self.loaded)

    def _tree_shown(self) -> None:
        if self._tree_gen is None:
            QTimer.singleShot(AFTER_TREE_MS, self, self.start)
        self._tree_gen = self.c._gen

    def _catch_up(self, made: dict[str, Any]) -> None:
        """What the features do when the tree is shown, for the tree already shown."""
        steps: list[Callable[[], Any]] = [
            made["setup"]._on_tree_loaded, made["export"]._tree_loaded,
            made["durability"]._tree_loaded, made["dropmeta"]._maybe_switched,
            made["review"]._stale,
        ]
        for step in steps:
            step()

    def _early(self, signal: Any, *args: Any) -> None:
        """A click on a feature's control before the features were loaded: load them, then
        hand the click on (the features' own handlers are connected by now)."""
        self.ensure()
        signal.emit(*args)
