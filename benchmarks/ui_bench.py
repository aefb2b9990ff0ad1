"""Window speed over a large archive: 50,000 evidence items on 43 leaf indicators.

    python benchmarks/ui_bench.py [--items 50000] [--runs 3] [--keep DIR]

Prints (medians over runs):
- start: wall time from launching a new process to the window shown with the indicator
  tree loaded and the first node's evidence on screen (target: 2 s);
- select: time from selecting a tree node to its evidence in the table (target: 200 ms),
  for leaves (about 1,100 items each, one leaf with 5,000) and level-1 nodes (~12,000);
- scroll: SQL statements run while scrolling the evidence table to the end (target: 0);
- baseline: the bare storage call (`evidence_for_node`) for the same leaves, in this
  process, so the ratio shows what the Qt side adds;
- search: time from the search box asking to the results shown in the window (target:
  200 ms), for rare and common terms of two, three and more characters, against the bare
  `storage.watch.search.search` call; and the one-off time to build the search index.

- lists: the storage reads behind selecting a node, in this process, baseline and subject
  interleaved (A B A B …): the old road (the whole key list, `queries.node_evidence_keys`,
  then the first screen's rows) against the window's road (the first page of keys by
  keyset and the first screen's rows, `queries.node_evidence_page`; the exact count,
  `node_evidence_count`, in the same read for a leaf, in a second read for a big inner
  node), for the level-1 node with the most items and the biggest leaf; the first rows alone and with the count;
  medians, the median of per-round ratios, the load average; and the time to read every
  key page by page (scrolling to the end).

`--parts start,select,search,lists` runs only some of them.

The archive is made with bulk SQL inserts here (no files are stored: the window never
reads them unless previewed). Runs offscreen.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEPARTMENTS = [f"县{n}局" for n in (
    "市场监管", "工信", "住建", "农业农村", "发改", "财政", "统计", "教育", "卫健", "交通运输",
    "水利", "商务", "文旅", "应急", "生态环境", "自然资源", "人社", "公安", "司法", "民政")] + \
    [f"{n}镇" for n in ("城关", "许家湖", "道托", "高庄", "沙沟", "院东头", "夏蔚", "诸葛", "龙家圈", "黄山铺")]


def build(root: Path, items: int) -> None:
    import datetime as dt

    from storage.catalogue.frameworks import DutySpec, FrameworkSpec, IndicatorSpec, add_duties, add_framework
    from storage.core.archive import Archive

    sizes = [4, 4, 4, 3]  # 15 level-2 under 4 level-1
    leaves_per_l2 = [3] * 13 + [2, 2]  # 43 leaves
    l1s, k = [], 0
    for a, n2 in enumerate(sizes, start=1):
        l2s = []
        for b in range(1, n2 + 1):
            leaves = [IndicatorSpec(f"{a}.{b}.{c}", f"三级指标{a}.{b}.{c}", 2, is_key=(c == 1 and b == 1),
                                    is_veto=(a == 4 and b == n2 and c == 1))
                      for c in range(1, leaves_per_l2[k] + 1)]
            k += 1
            l2s.append(IndicatorSpec(f"{a}.{b}", f"二级指标{a}.{b}", sum(2 for _ in leaves), children=leaves))
        l1s.append(IndicatorSpec(str(a), f"一级指标{a}", sum(x.max_score for x in l2s), children=l2s))
    archive = Archive.create(root)
    with archive.sessions.write() as s:
        fw = add_framework(s, FrameworkSpec(name="基准测试指标体系", indicators=l1s, total_score=100))
        add_duties(s, fw, [
            DutySpec(task=f"任务{i}", indicator_code=f"{1 + i % 4}.1.1", lead=[DEPARTMENTS[i % 30]],
                     cooperating=[DEPARTMENTS[(i + 7) % 30]], deadline=dt.date.today() + dt.timedelta(days=i - 20),
                     deadline_kind="date")
            for i in range(60)
        ])
    archive.close()

    con = sqlite3.connect(root / "archive.sqlite3")
    con.execute("PRAGMA synchronous=OFF")
    leaf_ids = [r[0] for r in con.execute(
        "SELECT id FROM indicator i WHERE NOT EXISTS (SELECT 1 FROM indicator c WHERE c.parent_id = i.id) ORDER BY id")]
    assert len(leaf_ids) == 43, len(leaf_ids)
    dept_ids = [r[0] for r in con.execute("SELECT id FROM department")]
    rnd = random.Random(7)
    now = "2026-01-01 00:00:00.000000"
    statuses = ["received", "accepted", "returned"]
    big_leaf = leaf_ids[5]
    blobs, evid, files, links = [], [], [], []
    positions: dict[int, int] = {}
    for i in range(1, items + 1):
        sha = hashlib.sha256(str(i).encode()).hexdigest()
        size = rnd.randint(10_000, 3_000_000)
        blobs.append((i, sha, size, now))
        doc = f"沂政发〔2023〕{i}号" if i % 5 == 0 else ""
        evid.append((i, f"佐证材料第{i}号 关于质量工作的通知", doc, rnd.choice(dept_ids), rnd.choice(statuses),
                     now, now))
        files.append((i, i, i, f"佐证材料第{i}号.pdf", "", 1, 1, now))
        leaf = big_leaf if i <= 5000 else rnd.choice(leaf_ids)
        positions[leaf] = positions.get(leaf, 0) + 1
        links.append((i, leaf, positions[leaf]))
    with con:
        con.executemany("INSERT INTO blob (id, sha256, size, stored_at) VALUES (?,?,?,?)", blobs)
        con.executemany(
            "INSERT INTO evidence (id, title, doc_number, department_id, status, created_at, updated_at,"
            " issuing_body, notes, version) VALUES (?,?,?,?,?,?,?, '', '', 1)", evid)
        con.executemany(
            "INSERT INTO evidence_file (id, evidence_id, blob_id, original_name, source_path, revision,"
            " is_current, added_at) VALUES (?,?,?,?,?,?,?,?)", files)
        con.executemany("INSERT INTO evidence_indicator (evidence_id, indicator_id, position) VALUES (?,?,?)", links)
    con.execute("ANALYZE")
    con.close()


# --- child: one window start ---------------------------------------------------------------


def child_start(path: str) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop.window.app import App, ensure_app

    app = ensure_app()
    shell = App()
    ready = {"tree": False, "node": False}
    loop = QEventLoop()

    def tree_loaded() -> None:
        if not ready["tree"]:
            ready["tree"] = True
            leaf = next(n for n in shell.window.workbench.tree.tree_model.nodes() if n.is_leaf)
            shell.window.workbench.tree.select_id(leaf.id)

    def node_loaded(_: int) -> None:
        ready["node"] = True
        loop.quit()

    shell.controller.tree_loaded.connect(tree_loaded)
    shell.controller.node_loaded.connect(node_loaded)
    shell.open("open", path)
    shell.window.show()
    QTimer.singleShot(20_000, loop.quit)
    loop.exec()
    app.processEvents()
    print("READY" if ready["node"] else "TIMEOUT", flush=True)
    shell.shutdown()


def measure_start(path: Path, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, __file__, "--child-start", str(path)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
        line = p.stdout.readline().strip()
        t = time.perf_counter() - t0
        p.wait(timeout=60)
        if line != "READY":
            raise SystemExit(f"child did not get ready: {line!r}")
        out.append(t)
    return out


# --- in process: selecting nodes, scrolling ---------------------------------------------------


def measure_select(path: Path, runs: int) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer
    from sqlalchemy import event

    from desktop.window.app import App, ensure_app
    from storage.catalogue.items import evidence_for_node
    from ui.qtfix import disconnect

    app = ensure_app()
    shell = App()
    c, w = shell.controller, shell.window
    loop = QEventLoop()
    c.tree_loaded.connect(loop.quit)
    shell.open("open", str(path))
    w.show()
    QTimer.singleShot(20_000, loop.quit)
    loop.exec()
    disconnect(c.tree_loaded, loop.quit)
    nodes = w.workbench.tree.tree_model.nodes()
    leaves = [n for n in nodes if n.is_leaf]
    level1 = [n for n in nodes if n.level == 1]

    complete: dict[str, list[float]] = {"leaf": [], "big": [], "level1": []}
    kind = ["leaf"]

    def select(node_id: int) -> float:
        """Selecting to the node's rows on screen (laid out and painted); the time until
        the whole list of a big node is there goes to `complete`."""
        done = QEventLoop()
        shown: list[float] = []

        def on_shown(_id: int) -> None:
            app.processEvents()  # let the view lay out and paint the new rows
            shown.append(time.perf_counter())

        c.node_shown.connect(on_shown)
        c.node_loaded.connect(done.quit)
        t0 = time.perf_counter()
        w.workbench.tree.select_id(node_id)
        QTimer.singleShot(20_000, done.quit)
        done.exec()
        app.processEvents()
        t_all = time.perf_counter() - t0
        disconnect(c.node_loaded, done.quit)
        disconnect(c.node_shown, on_shown)
        complete[kind[0]].append(t_all)
        return (shown[0] - t0) if shown else t_all

    picks = leaves[::3][:15]
    big = max(leaves, key=lambda n: n.received)
    res = {"leaf": [], "big": [], "level1": []}
    for _ in range(runs):
        kind[0] = "leaf"
        res["leaf"] += [select(n.id) for n in picks]
        kind[0] = "big"
        res["big"].append(select(big.id))
        kind[0] = "level1"
        res["level1"] += [select(n.id) for n in level1]

    # scrolling to the end of the biggest leaf: count SQL statements meanwhile
    kind[0] = "scroll"
    complete["scroll"] = []
    select(big.id)
    statements = [0]

    def count(*_a, **_k) -> None:
        statements[0] += 1

    event.listen(shell.controller.archive.engine, "before_cursor_execute", count)
    table = w.workbench.evidence.table
    model = w.workbench.evidence.model
    t0 = time.perf_counter()
    while model.canFetchMore():
        table.scrollToBottom()
        app.processEvents()
    table.scrollToBottom()
    app.processEvents()
    scroll_s = time.perf_counter() - t0
    rows_shown = model.rowCount()
    event.remove(shell.controller.archive.engine, "before_cursor_execute", count)

    base = []
    with shell.controller.archive.sessions.read() as s:
        for _ in range(runs):
            for n in picks:
                t0 = time.perf_counter()
                evidence_for_node(s, n.id)
                base.append(time.perf_counter() - t0)
    shell.shutdown()
    return {**res, "complete": complete, "scroll_statements": statements[0], "scroll_s": scroll_s, "rows": rows_shown,
            "big_items": big.received, "baseline": base}


# --- in process: search ------------------------------------------------------------------------

SEARCH_QUERIES = ("第12345号", "沂政发", "质量", "通知", "佐证材料第4999", "县工信局", "不存在的词")


def measure_search(path: Path, runs: int) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop.window.app import App, ensure_app
    from storage.catalogue.search import ensure_index, refresh_index, search
    from storage.core.archive import Archive
    from ui.qtfix import disconnect

    with Archive.open(path) as a, a.sessions.write() as s:  # start from an empty index
        for table in ("search_doc", "search_tri", "search_bi"):
            s.connection().exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
        ensure_index(s)
    with Archive.open(path) as a:
        t0 = time.perf_counter()
        with a.sessions.write() as s:  # the window does this in the background on open
            built = refresh_index(s)
        build_s = time.perf_counter() - t0
    app = ensure_app()
    shell = App()
    c, w = shell.controller, shell.window
    shell.open("open", str(path))
    w.show()
    loop = QEventLoop()
    QTimer.singleShot(200, loop.quit)
    loop.exec()
    app.processEvents()

    def ask(q: str) -> tuple[float, int]:
        done = QEventLoop()
        got = [0]

        def finished(_q: str, n: int) -> None:
            got[0] = n
            done.quit()

        c.search_done.connect(finished)
        t0 = time.perf_counter()
        c.search(q)
        QTimer.singleShot(20_000, done.quit)
        done.exec()
        app.processEvents()  # the results table laid out and painted
        t = time.perf_counter() - t0
        disconnect(c.search_done, finished)
        return t, got[0]

    window: dict[str, list[float]] = {q: [] for q in SEARCH_QUERIES}
    hits: dict[str, int] = {}
    for _ in range(runs):
        for q in SEARCH_QUERIES:
            t, n = ask(q)
            window[q].append(t)
            hits[q] = n
    base: dict[str, list[float]] = {q: [] for q in SEARCH_QUERIES}
    with c.archive.sessions.read() as s:
        for _ in range(runs):
            for q in SEARCH_QUERIES:
                t0 = time.perf_counter()
                search(s, q, limit=c.SEARCH_LIMIT, include_trashed=True)
                base[q].append(time.perf_counter() - t0)
    shell.shutdown()
    return {"build_s": build_s, "built": built, "window": window, "base": base, "hits": hits}


# --- in process: the storage reads behind selecting a node, old road against new -------------


def measure_lists(path: Path, runs: int) -> list[dict]:
    from benchmarks.common import interleave
    from storage.catalogue import queries
    from storage.core.archive import Archive
    from ui.models import LazyRows

    out = []
    with Archive.open(path) as a:
        with a.sessions.read() as s:
            tree = queries.indicator_tree(s)
            level1 = max((n for n in tree if n.level == 1),
                         key=lambda n: queries.node_evidence_count(s, queries.node_subtree(s, n.id)))
        leaf = max((n for n in tree if n.is_leaf), key=lambda n: n.received)
        for label, node in (("level-1 node", level1), ("biggest leaf", leaf)):
            got: dict[str, int] = {}

            def old(node: Any = node, got: dict = got) -> None:
                with a.sessions.read() as s:
                    keys = queries.node_evidence_keys(s, node.id)
                    queries.evidence_rows_for(s, keys[:LazyRows.PAGE])
                    got["old"] = len(keys)

            first: list[float] = []

            def new(node: Any = node, got: dict = got, first: list = first) -> None:
                t0 = time.perf_counter()
                with a.sessions.read() as s:  # what Controller.select_node reads before showing
                    sub = queries.node_subtree(s, node.id)
                    keys = queries.node_evidence_page(s, sub, None, LazyRows.KEY_PAGE)
                    n: int | None = len(keys)
                    if len(keys) >= LazyRows.KEY_PAGE:
                        n = queries.node_evidence_count(s, sub) if len(sub) == 1 else None
                    queries.evidence_rows_for(s, keys[:LazyRows.PAGE])
                first.append(time.perf_counter() - t0)
                if n is None:  # a big inner node: counted in a second read, after its rows show
                    with a.sessions.read() as s:
                        n = queries.node_evidence_count(s, sub)
                got["new"] = n

            ta, tb, ratios, ld = interleave(old, new, runs)
            assert got["old"] == got["new"], got
            pages: list[float] = []
            for _ in range(max(1, runs // 2)):
                t0 = time.perf_counter()
                with a.sessions.read() as s:
                    sub, last, n = queries.node_subtree(s, node.id), None, 0
                    while True:
                        page = queries.node_evidence_page(s, sub, last, LazyRows.KEY_PAGE)
                        n += len(page)
                        if len(page) < LazyRows.KEY_PAGE:
                            break
                        last = page[-1]
                pages.append(time.perf_counter() - t0)
            out.append({"node": label, "items": got["new"], "old_ms": 1000 * statistics.median(ta),
                         "new_ms": 1000 * statistics.median(tb), "ratio": statistics.median(ratios),
                         "first_ms": 1000 * statistics.median(first),
                         "load": ld, "rounds": runs, "all_pages_ms": 1000 * statistics.median(pages)})
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("--child-start", metavar="ARCHIVE")
    ap.add_argument("--parts", default="start,select,search")
    args = ap.parse_args()
    if args.child_start:
        child_start(args.child_start)
        return
    os.environ.setdefault("EVIDENCE_DESK_CONFIG_DIR", tempfile.mkdtemp(prefix="ed-bench-cfg-"))
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="ed-bench-")) / "archive"
    if not (tmp / "archive.sqlite3").exists():
        t0 = time.perf_counter()
        build(tmp, args.items)
        print(f"built archive with {args.items} evidence items in {time.perf_counter() - t0:.1f} s: {tmp}")
    def ms(xs: list[float]) -> str:
        return f"median {1000 * statistics.median(xs):.0f} ms, max {1000 * max(xs):.0f} ms (n={len(xs)})"

    parts = set(args.parts.split(","))
    if "lists" in parts:
        for r in measure_lists(tmp, args.runs):
            print(f"lists, {r['node']} ({r['items']} items): window's road: first rows (first page of keys + "
                  f"their rows) {r['first_ms']:.1f} ms, with the count {r['new_ms']:.1f} ms; "
                  f"old road (whole key list + first rows) "
                  f"{r['old_ms']:.1f} ms; median per-round ratio new/old {r['ratio']:.2f} "
                  f"({r['rounds']} rounds, load {r['load']}); every key page by page {r['all_pages_ms']:.0f} ms")
    if "start" in parts:
        start = measure_start(tmp, args.runs)
        print(f"start to window with tree and first node shown: {ms(start)}   target 2000 ms")
    if "search" in parts:
        r = measure_search(tmp, args.runs)
        print(f"search index: {r['built']} items indexed in {r['build_s']:.1f} s (once; then only changes)")
        every = [t for ts in r["window"].values() for t in ts]
        print(f"search, box to results shown (all queries): {ms(every)}   target 200 ms")
        for q in SEARCH_QUERIES:
            print(f"  {q!r:16} {r['hits'][q]:>4} hits: window {ms(r['window'][q])}; "
                  f"bare search() {ms(r['base'][q])}")
    if "select" not in parts:
        return
    r = measure_select(tmp, args.runs)
    print(f"select leaf (~{args.items // 43} items): {ms(r['leaf'])}   target 200 ms")
    print(f"select biggest leaf ({r['big_items']} items): {ms(r['big'])}; whole list: {ms(r['complete']['big'])}")
    print(f"select level-1 node (~{args.items // 4} items): {ms(r['level1'])}; "
          f"whole list: {ms(r['complete']['level1'])}")
    print(f"baseline evidence_for_node for the same leaves: {ms(r['baseline'])}; "
          f"ratio window/baseline {statistics.median(r['leaf']) / statistics.median(r['baseline']):.1f}")
    print(f"scroll biggest leaf to the end ({r['rows']} rows): {r['scroll_statements']} SQL statements, "
          f"{1000 * r['scroll_s']:.0f} ms")


if __name__ == "__main__":
    main()
