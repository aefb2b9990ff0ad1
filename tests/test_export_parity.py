"""One export, two doors: `evidence-desk export` and the window's export dialog run the same
action (desktop.actions.export.export_bundle). The same archive gives the same bytes through
both, and a cancel at each step (preparing the documents, writing, before the seal, during the
binders) leaves the same state through both: nothing before the bundle is complete; the bundle
(and its seal) once it is."""
from __future__ import annotations

import hashlib
import os
import signal
from pathlib import Path

import pytest
from test_ui_export import DATE, WAIT, _open_dialog, _press_export, _set
from ui_helpers import open_window

import desktop.actions.export as export_action
from desktop import main as entry
from exporters.manifest import verify_bundle
from storage.bundle.submissions import list_submissions

STEPS = ("prepare", "write", "seal", "binders")


def _trip_at(monkeypatch: pytest.MonkeyPatch, step: str, trip) -> None:
    """Press cancel (call `trip`) while the export is in `step`."""
    if step == "prepare":
        real_docs = export_action.build_documents

        def documents(*a, **k):
            trip()
            return real_docs(*a, **k)

        monkeypatch.setattr(export_action, "build_documents", documents)
    elif step in ("write", "seal"):
        for name in ("write_folder", "write_zip"):
            real = getattr(export_action, name)

            def writer(plan, out, path_for, *, export_date, progress, cancel, _real=real):
                def report(n: int, total: int, text: str = "") -> None:
                    progress(n, total, text)
                    if step == "write" and n == 3:
                        trip()

                result = _real(plan, out, path_for, export_date=export_date, progress=report, cancel=cancel)
                if step == "seal":
                    trip()  # the bundle is complete; the clerk cancels before the seal
                return result

            monkeypatch.setattr(export_action, name, writer)
    elif step == "binders":
        real_binders = export_action.build_binders

        def binders(*a, **k):
            trip()
            return real_binders(*a, **k)

        monkeypatch.setattr(export_action, "build_binders", binders)


def _state(archive, target: Path) -> dict:
    """What an export left: the bundle (and whether it verifies), the binders, the seals."""
    binder_dir = export_action.binder_dir_for(target)
    with archive.sessions.read() as s:
        sealed = len(list_submissions(s))
    leftovers = sorted(p.name for p in target.parent.iterdir()
                       if p != target and p != binder_dir)
    return {
        "bundle": target.exists(),
        "verifies": target.exists() and verify_bundle(target).ok,
        "binders": binder_dir.is_dir() and any(binder_dir.iterdir()),
        "sealed": sealed,
        "leftovers": leftovers,
    }


def _cli_export(archive, target: Path) -> int:
    return entry.main(["export", str(target), "--zip", "--seal", "--pdf", "--date", DATE.isoformat(),
                       "--archive", str(archive.root)])


@pytest.fixture
def no_converter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVIDENCE_DESK_CONVERTER", "none")  # Word binders only: fast, no soffice


def test_the_window_and_the_command_line_write_the_same_bundle(qtbot, demo_archive, tmp_path, no_converter):
    cli_target = tmp_path / "cli" / "申报材料.zip"
    cli_target.parent.mkdir()
    assert _cli_export(demo_archive, cli_target) == 0
    win_target = tmp_path / "win" / "申报材料.zip"
    win_target.parent.mkdir()
    with open_window(qtbot, demo_archive, wait=WAIT,
                     before_close=lambda w, c: c.export.export_dialog and c.export.export_dialog.close()
                     ) as (window, controller):
        dlg, _ = _open_dialog(qtbot, window, controller)
        _set(dlg, win_target, as_zip=True, seal=True)
        dlg.binders.setChecked(True)
        with qtbot.waitSignal(controller.export.export_done, timeout=WAIT) as sig:
            _press_export(qtbot, dlg)
    summary = sig.args[0]
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (cli_target, win_target)]
    assert digests[0] == digests[1] == summary["submission"]["bundle_sha256"]
    with demo_archive.sessions.read() as s:
        subs = list_submissions(s)
    assert [x.bundle_sha256 for x in subs] == [digests[0], digests[0]]
    # the binders beside each bundle: the same files (Word, with the same names)
    names = [sorted(p.name for p in export_action.binder_dir_for(t).iterdir()) for t in (cli_target, win_target)]
    assert names[0] == names[1] and names[0]


@pytest.mark.parametrize("step", STEPS)
def test_a_cancel_at_each_step_leaves_the_same_state_through_both_doors(
        qtbot, demo_archive, tmp_path, monkeypatch, no_converter, step):
    with demo_archive.sessions.read() as s:
        sealed_before = len(list_submissions(s))

    # the command line: Ctrl-C at that step (SIGINT, as a clerk's key press sends it)
    cli_target = tmp_path / "cli" / "申报材料.zip"
    cli_target.parent.mkdir()
    with monkeypatch.context() as m:
        _trip_at(m, step, lambda: os.kill(os.getpid(), signal.SIGINT))
        rc = _cli_export(demo_archive, cli_target)
    cli_state = _state(demo_archive, cli_target)

    # the window: the dialog's cancel at that step
    win_target = tmp_path / "win" / "申报材料.zip"
    win_target.parent.mkdir()
    with open_window(qtbot, demo_archive, wait=WAIT,
                     before_close=lambda w, c: c.export.export_dialog and c.export.export_dialog.close()
                     ) as (window, controller):
        with monkeypatch.context() as m:
            _trip_at(m, step, lambda: controller.export._export_task.cancel())
            dlg, _ = _open_dialog(qtbot, window, controller)
            _set(dlg, win_target, as_zip=True, seal=True)
            dlg.binders.setChecked(True)
            ended = controller.export.export_done if step in ("seal", "binders") else \
                controller.export.export_cancelled
            with qtbot.waitSignal(ended, timeout=WAIT) as sig:
                _press_export(qtbot, dlg)
        if step in ("seal", "binders"):
            assert sig.args[0]["cancelled_step"] == step
    win_state = _state(demo_archive, win_target)

    complete = step in ("seal", "binders")
    for state in (cli_state, win_state):
        assert state["bundle"] == complete and state["verifies"] == complete
        assert not state["binders"]            # never a half set of binders
        assert state["leftovers"] == []        # no temporary or partial file beside the bundle
    # the seal happens only when the bundle is complete and the cancel came after it
    assert cli_state["sealed"] - sealed_before == (1 if step == "binders" else 0)
    assert win_state["sealed"] - cli_state["sealed"] == (1 if step == "binders" else 0)
    assert rc == (1 if complete else 2)
    assert {k: v for k, v in cli_state.items() if k != "sealed"} == \
        {k: v for k, v in win_state.items() if k != "sealed"}

