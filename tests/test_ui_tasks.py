"""The task runner (one writer thread, a read pool, progress/cancel/errors to the GUI thread)
and the Qt item models on their own, without a database."""
from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from PySide6.QtCore import Qt, QThread

from storage.kernel.errors import BadInput, Cancelled
from storage.readmodels import EvidenceRow, IndicatorNode
from ui.models import EvidenceTableModel, IndicatorTreeModel


@pytest.fixture
def runner(qtbot):
    from desktop.window.tasks import TaskRunner

    r = TaskRunner()
    yield r
    assert r.shutdown(), "a task thread did not stop"


def test_results_and_progress_arrive_on_the_gui_thread(qtbot, runner):
    gui = QThread.currentThread()
    seen: dict = {"progress": [], "threads": set()}

    def work(ctx):
        seen["threads"].add(threading.get_ident())
        for i in range(1, 6):
            ctx.progress(i, 5, f"第 {i} 步")
            time.sleep(0.06)
        return "完成"

    def on_progress(task, done, total, text):
        assert QThread.currentThread() is gui
        seen["progress"].append(done)

    def on_done(result):
        assert QThread.currentThread() is gui
        seen["result"] = result

    runner.task_progress.connect(on_progress)
    with qtbot.waitSignal(runner.task_finished, timeout=10_000):
        task = runner.submit_read(work, label="读取", on_done=on_done)
    assert seen["result"] == "完成" and task.state == "done"
    assert seen["progress"][-1] == 5 and len(seen["progress"]) >= 2
    assert threading.get_ident() not in seen["threads"]


def test_cancel_stops_a_long_task(qtbot, runner):
    started = threading.Event()

    def long(ctx):
        started.set()
        for _i in range(1000):
            ctx.check()  # raises Cancelled once cancel() was called
            time.sleep(0.01)
        return "never"

    cancelled = []
    with qtbot.waitSignal(runner.task_finished, timeout=10_000):
        task = runner.submit_write(long, label="长任务", on_done=lambda r: cancelled.append(r),
                                   on_cancelled=lambda: cancelled.append("cancelled"))
        assert started.wait(5)
        task.cancel()
    assert task.state == "cancelled" and cancelled == ["cancelled"]
    assert runner.is_idle()


def test_errors_are_delivered_not_lost(qtbot, runner):
    errors = []
    with qtbot.waitSignal(runner.task_finished, timeout=10_000):
        task = runner.submit_write(lambda ctx: (_ for _ in ()).throw(BadInput("坏输入", "bad input")),
                                   on_error=errors.append)
    assert task.state == "failed" and isinstance(errors[0], BadInput)
    assert "BadInput" in task.error_trace


def test_writes_run_one_at_a_time_in_order(qtbot, runner):
    active, order, overlap = [0], [], []
    lock = threading.Lock()

    def write(n):
        def fn(ctx):
            with lock:
                active[0] += 1
                overlap.append(active[0])
            time.sleep(0.02)
            order.append(n)
            with lock:
                active[0] -= 1
        return fn

    for n in range(6):
        runner.submit_write(write(n))
    qtbot.waitUntil(runner.is_idle, timeout=10_000)
    assert order == list(range(6)) and max(overlap) == 1


def test_shutdown_cancels_and_waits(qtbot):
    from desktop.window.tasks import TaskRunner

    r = TaskRunner()
    finished = threading.Event()

    def long(ctx):
        while not ctx.cancelled():
            time.sleep(0.01)
        finished.set()
        raise Cancelled()

    r.submit_read(long, label="等待")
    time.sleep(0.05)
    assert r.shutdown(timeout_ms=5000)
    assert finished.is_set()
    with pytest.raises(RuntimeError):
        r.submit_read(lambda ctx: None)


def test_synchronous_mode_runs_inline(qtbot):
    from desktop.window.tasks import TaskRunner

    r = TaskRunner(synchronous=True)
    out = []
    r.submit_read(lambda ctx: 42, on_done=out.append)
    assert out == [42]
    r.shutdown()


# --- models ------------------------------------------------------------------------------


def _rows(n: int) -> list[EvidenceRow]:
    depts = ["县工信局", "县市场监管局", "县农业农村局"]
    return [
        EvidenceRow(id=i, title=f"材料{i:05d}", doc_number=f"沂政发〔2023〕{i}号" if i % 7 == 0 else "",
                    issue_date=dt.date(2023, 1, 1) + dt.timedelta(days=i % 300),
                    status=("received", "accepted", "returned")[i % 3], department=depts[i % 3],
                    file_count=1, size=i * 10, original_name=f"材料{i:05d}.pdf", sha256="",
                    position=i)
        for i in range(1, n + 1)
    ]


def test_evidence_model_is_lazy_sortable_and_filterable(qtbot):
    m = EvidenceTableModel()
    m.set_rows(_rows(1200), 7, leaf=True)
    assert m.rowCount() == m.CHUNK and m.canFetchMore()
    m.fetchMore()
    m.fetchMore()
    assert m.rowCount() == 1200 and not m.canFetchMore()
    assert m.reorderable

    m.set_filter("工信")
    assert m.matching == 400 and not m.reorderable
    assert all(m.row(i).department == "县工信局" for i in range(m.rowCount()))
    m.set_filter("")
    m.sort(7, Qt.SortOrder.DescendingOrder)  # by size
    assert m.row(0).id == 1200 and not m.reorderable
    m.sort(-1)
    assert m.row(0).id == 1 and m.reorderable
    assert m.data(m.index(0, 5)) == "已审核"  # status label in Chinese

    m.set_rows(_rows(3), 7, leaf=True)
    got = []
    m.reorder_requested.connect(lambda iid, ids: got.append((iid, ids)))
    m.move_rows([3], 0)
    assert got == [(7, [3, 1, 2])] and [m.row(i).position for i in range(3)] == [1, 2, 3]


def test_tree_model_shows_levels_marks_and_coverage(qtbot):
    nodes = [
        IndicatorNode(1, None, 1, 1, "1", "质量发展理念", 10.0, False, False, False, 0, 0, 2, 1, 0),
        IndicatorNode(2, 1, 2, 1, "1.1", "组织领导", 5.0, True, False, True, 2, 0, 1, 1, 0),
        IndicatorNode(3, 1, 2, 2, "1.2", "安全底线", 0.0, False, True, True, 0, 0, 1, 0, 0),
    ]
    m = IndicatorTreeModel()
    m.set_nodes(nodes)
    assert m.rowCount() == 1 and m.rowCount(m.index(0, 0)) == 2
    child = m.index(1, 2, m.index(0, 0))
    assert m.data(child) == "否决"
    assert m.parent(child) == m.index(0, 0)
    assert m.data(m.index(0, 0, m.index(0, 0)), Qt.ItemDataRole.DisplayRole) == "1.1 组织领导"
    assert m.data(m.index(0, 2, m.index(0, 0))) == "关键"
    assert nodes[0].coverage == "partial" and nodes[2].coverage == "missing"


def test_many_tasks_and_emits_keep_reference_counts(qtbot, runner):
    """PySide6 6.12.0 loses a reference to True on every Signal.emit/disconnect and to None
    on every QThreadPool task; enough of them abort the interpreter (bool_dealloc). The
    runner and ui.qtfix.emit must not lose any."""
    import sys

    from PySide6.QtCore import QObject, Signal

    from ui.qtfix import disconnect, emit

    class Probe(QObject):
        ping = Signal(int)

    p = Probe()
    slot = lambda n: None  # noqa: E731 - a lambda slot is what the test is about
    import gc

    # The defects lose 300 (True) and 300-600 (None) references on every round, always; a
    # thread of an earlier test in the same worker (a watcher stopping, a cache dropping
    # entries) can free unrelated references meanwhile. So: up to three rounds, and one
    # round without a loss is enough — the defects cannot pass any round.
    losses = []
    for _round in range(3):
        p.ping.connect(slot)
        gc.collect()
        true0, none0 = sys.getrefcount(True), sys.getrefcount(None)
        for i in range(300):
            emit(p.ping, i)
        for _ in range(300):
            runner.submit_read(lambda ctx: None, on_done=lambda r: None)
        qtbot.waitUntil(runner.is_idle, timeout=10_000)
        disconnect(p.ping, slot)
        gc.collect()
        lost = (true0 - sys.getrefcount(True), none0 - sys.getrefcount(None))
        if lost[0] < 100 and lost[1] < 200:
            break
        losses.append(lost)
    else:
        raise AssertionError(f"references to True / None lost in every round: {losses}")
