"""Ctrl+Z / Ctrl+Shift+Z in the window (issue 17, item 4): the clerk's last actions —
accepting inbox files, linking, unlinking, moving, changing the status, moving to the trash —
on one QUndoStack, shown in the 编辑 menu as 「撤销：关联到指标 2.3.1」 / 「重做：…」.

Each command does its work (and its undo) through the task runner's one writer thread,
calling desktop/actions/undo.py (and storage's trash/untrash); the window holds no SQL.
A command's first `redo` is the action itself, so a clerk's action and its redo are one
code path.

When the stack is cleared (what makes its commands stale):
- another archive is opened, or the archive is closed or restored from a backup;
- the trash is purged (an undone 移到回收站 could no longer be restored);
- an indicator system, responsibility table or plan is imported (indicators are replaced);
- an undo or redo fails because its items changed elsewhere (e.g. the command line purged
  them): the clerk is told, and nothing half-done is kept on the stack.
Writes by the folder watcher or the command line do not clear it: an undo puts back only
what its own action changed, and refuses (then clears) when its items are gone.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.actions import undo as actions
from desktop.window.tasks import TaskContext
from storage.core.archive import Archive
from storage.durability.trash import trash_evidence, untrash_evidence
from ui.qtfix import emit


class _Command(QUndoCommand):
    """One undoable action: `do` and `back` run on the writer thread; `after` on the GUI
    thread once either finished ("redo" | "undo")."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.ctl: UndoController | None = None
        self.first = True

    def redo(self) -> None:
        assert self.ctl is not None
        self.ctl.run(self, "redo")

    def undo(self) -> None:
        assert self.ctl is not None
        self.ctl.run(self, "undo")

    # Abstract: every command class below overrides both (Qt's metaclass rules out abc here).
    def do(self, archive: Archive) -> Any:
        """Make the change (first time and redo); returns what `after` shows."""
        raise NotImplementedError(type(self).__name__)

    def back(self, archive: Archive) -> None:
        """Reverse what `do` changed, and only that."""
        raise NotImplementedError(type(self).__name__)

    def after(self, ctl: UndoController, direction: str, result: Any) -> None:
        """What the window says and reloads (default: the views reload)."""


class LinkCommand(_Command):
    def __init__(self, ids: Sequence[int], indicator_id: int, label: str) -> None:
        super().__init__(f"关联到{label}")
        self.ids, self.indicator_id = list(ids), indicator_id
        self.before: actions.Placement | None = None

    def do(self, archive: Archive) -> int:
        self.before = actions.link(archive, ids=self.ids, indicator_id=self.indicator_id)
        return sum(1 for i in dict.fromkeys(self.ids) if i not in self.before.linked)

    def back(self, archive: Archive) -> None:
        assert self.before is not None
        actions.undo_link(archive, before=self.before, ids=self.ids)

    def after(self, ctl: UndoController, direction: str, result: Any) -> None:
        if direction == "redo" and self.first:
            ctl.c.window.show_status(f"已关联 {result} 份材料" if result else "所选材料已关联到该指标")
            emit(ctl.c.linked, self.indicator_id)


class UnlinkCommand(_Command):
    def __init__(self, ids: Sequence[int], indicator_id: int, label: str) -> None:
        super().__init__(f"取消关联{label}")
        self.ids, self.indicator_id = list(ids), indicator_id
        self.before: actions.Placement | None = None

    def do(self, archive: Archive) -> int:
        self.before = actions.unlink(archive, ids=self.ids, indicator_id=self.indicator_id)
        return len(self.before.linked)

    def back(self, archive: Archive) -> None:
        assert self.before is not None
        actions.undo_unlink(archive, before=self.before)

    def after(self, ctl: UndoController, direction: str, result: Any) -> None:
        if direction == "redo" and self.first:
            ctl.c.window.show_status(f"已取消 {result} 份材料的关联（材料本身仍在档案库中）")
            if len(self.ids) == 1:
                ctl.c.select_evidence(self.ids)


class MoveCommand(_Command):
    def __init__(self, ids: Sequence[int], source_id: int, target_id: int, label: str) -> None:
        super().__init__(f"移到{label}")
        self.ids, self.source_id, self.target_id = list(ids), source_id, target_id
        self.record: actions.MoveRecord | None = None

    def do(self, archive: Archive) -> int:
        self.record = actions.move(archive, ids=self.ids, source_id=self.source_id, target_id=self.target_id)
        return len(self.record.moved)

    def back(self, archive: Archive) -> None:
        assert self.record is not None
        actions.undo_move(archive, record=self.record)

    def after(self, ctl: UndoController, direction: str, result: Any) -> None:
        if direction == "redo" and self.first:
            ctl.c.window.show_status(f"已把 {result} 份材料{self.text()}")
            emit(ctl.moved, self.target_id, list(self.ids))


class DutyMoveCommand(_Command):
    def __init__(self, ids: Sequence[int], source_id: int, duty_id: int, label: str) -> None:
        super().__init__(f"移到{label}")
        self.ids, self.source_id, self.duty_id = list(ids), source_id, duty_id
        self.record: actions.DutyMoveRecord | None = None

    def do(self, archive: Archive) -> int:
        self.record = actions.move_to_duty(archive, ids=self.ids, source_id=self.source_id, duty_id=self.duty_id)
        return len(self.record.moved)

    def back(self, archive: Archive) -> None:
        assert self.record is not None
        actions.undo_move_to_duty(archive, record=self.record)

    def after(self, ctl: UndoController, direction: str, result: Any) -> None:
        if direction == "redo" and self.first:
            ctl.c.window.show_status(f"已把 {result} 份材料{self.text()}")
            emit(ctl.c.linked, -self.duty_id)


class DutyLinkCommand(_Command):
    """Evidence rows dropped on a row of the responsibility table."""

    def __init__(self, ids: Sequence[int], duty_id: int, label: str) -> None:
        super().__init__(f"关联到{label}")
        self.ids, self.duty_id = list(ids), duty_id
        self.record: actions.DutyLinkRecord | None = None

    def do(self, archive: Archive) -> int:
        self.record = actions.link_to_duty(archive, ids=self.ids, duty_id=self.duty_id)
        return len(self.record.added_duty_links)

    def back(self, archive: Archive) -> None:
        assert self.record is not None
        actions.undo_link_to_duty(archive, record=self.record)

    def after(self, ctl: UndoController, direction: str, result: Any) -> None:
        if direction == "redo" and self.first:
            ctl.c.window.show_status(
                f"已把 {result} 份材料关联到该任务及其指标" if result else "所选材料已关联到该任务")
        emit(ctl.c.linked, -self.duty_id)


class DepartmentCommand(_Command):
    """报送单位 set on several items at once."""

    def __init__(self, ids: Sequence[int], name: str) -> None:
        shown = name.strip() or "（空）"
        super().__init__(f"把 {len(ids)} 份材料的报送单位改为“{shown}”")
        self.ids, self.name = list(ids), name
        self.before: dict[int, int | None] = {}

    def do(self, archive: Archive) -> int:
        self.before = actions.set_department(archive, ids=self.ids, name=self.name)
        return len(self.before)

    def back(self, archive: Archive) -> None:
        actions.restore_department(archive, before=self.before)

    def after(self, ctl: UndoController, direction: str, result: Any) -> None:
        if direction == "redo" and self.first:
            ctl.c.window.show_status(f"已修改 {result} 份材料的报送单位")
        ctl.c.refresh_names()


class StatusCommand(_Command):
    def __init__(self, ids: Sequence[int], status: str, label: str) -> None:
        super().__init__(f"把 {len(ids)} 份材料的状态改为“{label}”")
        self.ids, self.status = list(ids), status
        self.before: dict[int, str] = {}

    def do(self, archive: Archive) -> int:
        self.before = actions.set_status(archive, ids=self.ids, status=self.status)
        return len(self.before)

    def back(self, archive: Archive) -> None:
        actions.restore_status(archive, before=self.before)

    def after(self, ctl: UndoController, direction: str, result: Any) -> None:
        if direction == "redo" and self.first:
            ctl.c.window.show_status(f"已修改 {result} 份材料的状态")


class TrashCommand(_Command):
    def __init__(self, ids: Sequence[int]) -> None:
        super().__init__(f"把 {len(ids)} 份材料移到回收站")
        self.ids = list(ids)
        self.trashed: list[int] = []

    def do(self, archive: Archive) -> list[Any]:
        done = trash_evidence(archive, self.ids)
        self.trashed = [i.evidence_id for i in done]
        return done

    def back(self, archive: Archive) -> None:
        if self.trashed:
            untrash_evidence(archive, self.trashed)

    def after(self, ctl: UndoController, direction: str, result: Any) -> None:
        d = ctl.c.durability
        if d.trash_dialog is not None:
            d.load_trash()
        if direction == "redo":
            if self.first and len(result) == 1:  # named once it is known (on the GUI thread)
                title = result[0].title
                self.setText(f"把《{title[:20]}{'…' if len(title) > 20 else ''}》移到回收站")
                ctl._update_actions()
            if self.first:
                shown = "、".join(f"《{i.title}》" for i in result[:3]) + ("等" if len(result) > 3 else "")
                ctl.c.window.show_status(
                    f"已移到回收站 {len(result)} 份材料{shown}（可按 Ctrl+Z 撤销，或在 文件 → 回收站… 恢复）")
            emit(d.trashed, list(self.trashed))
        else:
            emit(d.untrashed, list(self.trashed))


class AcceptCommand(_Command):
    """Accepting inbox entries; `work(session)` is the acceptance itself (with the clerk's
    metadata edits), run in one transaction after the entries are noted."""

    def __init__(self, entry_ids: Sequence[int], work: Callable[[Any], list[int]], label: str) -> None:
        super().__init__(label)
        self.entry_ids = list(entry_ids)
        self.work = work
        self.before: list[actions.EntrySnapshot] = []

    def do(self, archive: Archive) -> list[int]:
        with archive.sessions.write() as s:
            self.before = actions.snapshot_entries(s, self.entry_ids)
            return self.work(s)

    def back(self, archive: Archive) -> None:
        actions.undo_accept(archive, before=self.before)

    def after(self, ctl: UndoController, direction: str, result: Any) -> None:
        if direction == "redo":
            ctl.c._inbox_changed("accepted", list(result), len(self.entry_ids))
        else:
            emit(ctl.c.inbox_done, "unaccepted", list(self.entry_ids))


class UndoController(QObject):
    """The window's undo stack and the 编辑 menu's 撤销 / 重做.

    Signals: finished(direction, text): a command's redo ("redo") or undo ("undo") is
    written and the views told (tests wait on it); cleared(reason).
    """

    finished = Signal(str, str)
    cleared = Signal(str)
    moved = Signal(int, list)  # target indicator id, evidence ids

    def __init__(self, controller: Any) -> None:  # desktop.window.controllers.Controller
        super().__init__(controller)
        self.c = controller
        self.stack = QUndoStack(self)
        w = controller.window
        # 编辑 → 撤销 / 重做 are in the menu from the start (Controller.edit_actions, made disabled
        # with the window, before this controller loads: desktop.window.deferred)
        self.undo_action, self.redo_action = controller.edit_actions
        self.undo_action.triggered.connect(self._undo)
        self.redo_action.triggered.connect(self._redo)
        self.stack.indexChanged.connect(self._update_actions)
        self.stack.cleanChanged.connect(self._update_actions)
        self._update_actions()
        # the trash key of the evidence table goes through the stack
        ev = w.workbench.evidence
        ev.trash_requested.disconnect(controller.durability.trash)
        ev.trash_requested.connect(self.trash)
        controller.durability.purged.connect(lambda *_: self.clear("purge"))
        controller.durability.restore_done.connect(lambda *_: self.clear("restore"))
        controller.setup.import_done.connect(lambda *_: self.clear("import"))

    # -- the menu -------------------------------------------------------------------------------
    def _update_actions(self, *_: object) -> None:
        can_undo, can_redo = self.stack.canUndo(), self.stack.canRedo()
        self.undo_action.setEnabled(can_undo)
        self.redo_action.setEnabled(can_redo)
        self.undo_action.setText(f"撤销：{self.stack.undoText()}" if can_undo else "撤销")
        self.redo_action.setText(f"重做：{self.stack.redoText()}" if can_redo else "重做")
        self.undo_action.setToolTip(self.undo_action.text() + "（Ctrl+Z）")

    def _undo(self) -> None:
        if self.c.archive is not None:
            self.stack.undo()

    def _redo(self) -> None:
        if self.c.archive is not None:
            self.stack.redo()

    def clear(self, reason: str = "") -> None:
        """Forget every command (see the module's note for when)."""
        if self.stack.count():
            self.stack.clear()
        emit(self.cleared, reason)

    # -- running --------------------------------------------------------------------------------
    def push(self, cmd: _Command) -> None:
        """Do `cmd` (its first redo) and keep it for Ctrl+Z."""
        if self.c.archive is None:
            return
        cmd.ctl = self
        self.stack.push(cmd)

    def run(self, cmd: _Command, direction: str) -> None:
        a = self.c.archive
        if a is None:
            return
        gen = self.c._gen

        def fn(ctx: TaskContext) -> Any:
            return cmd.do(a) if direction == "redo" else cmd.back(a)

        def done(result: Any) -> None:
            cmd.after(self, direction, result)
            if direction == "redo":
                cmd.first = False
            else:
                self.c.window.show_status(f"已撤销：{cmd.text()}")
            self.c._search_stale = True
            self.c.session.mark_changed()
            emit(self.finished, direction, cmd.text())

        def failed(msg: str) -> None:
            if gen != self.c._gen:
                return
            verb = "撤销" if direction == "undo" else ("重做" if not cmd.first else "")
            if verb and not msg.startswith("程序内部错误"):
                # the storage's reason names internal ids: say it in the clerk's words
                msg = (f"无法{verb}：相关的材料或指标已在别处（命令行、另一台电脑或清空回收站）"
                       "被改动或删除，档案库没有任何改动。")
            text = f"{msg}\n\n（{verb}“{cmd.text()}”没有完成；撤销记录已清空）" if verb else msg
            self.c.window.show_error(text)
            self.clear("failed")
            self.c.session.mark_changed()

        self.c.submit_reporting("write", fn, done, failed=failed)

    # -- the actions ----------------------------------------------------------------------------
    def label(self, indicator_id: int) -> str:
        """「指标 2.3.1」 from the tree on screen."""
        tree = self.c.window.workbench.tree.tree_model
        node = tree.node(tree.index_of(indicator_id))
        return f"指标 {node.code}" if node is not None and node.code else "该指标"

    def link(self, ids: list[int], indicator_id: int) -> None:
        self.push(LinkCommand(ids, indicator_id, self.label(indicator_id)))

    def unlink(self, ids: list[int], indicator_id: int) -> None:
        self.push(UnlinkCommand(ids, indicator_id, self.label(indicator_id)))

    def move(self, ids: list[int], source_id: int, target_id: int) -> None:
        self.push(MoveCommand(ids, source_id, target_id, self.label(target_id)))

    def move_to_duty(self, ids: list[int], source_id: int, duty_id: int, label: str) -> None:
        self.push(DutyMoveCommand(ids, source_id, duty_id, label))

    def status(self, ids: list[int], status: str, label: str) -> None:
        self.push(StatusCommand(ids, status, label))

    def duty_label(self, duty_id: int) -> str:
        """「任务“…”」 from the responsibility-table rows on screen."""
        model = self.c.window.workbench.duties.model()
        rows = model.rows() if model is not None and hasattr(model, "rows") else []
        d = next((r for r in rows if getattr(r, "id", None) == duty_id), None)
        task = " ".join(d.task.split()) if d is not None else ""
        return f"任务“{task[:16]}{'…' if len(task) > 16 else ''}”" if task else "该任务"

    def link_to_duty(self, ids: list[int], duty_id: int) -> None:
        self.push(DutyLinkCommand(ids, duty_id, self.duty_label(duty_id)))

    def department(self, ids: list[int], name: str) -> None:
        self.push(DepartmentCommand(ids, name))

    def trash(self, ids: list[int]) -> None:
        self.push(TrashCommand(ids))

    def accept(self, entry_ids: list[int], work: Callable[[Any], list[int]], label: str) -> None:
        self.push(AcceptCommand(entry_ids, work, label))

