"""Every view's load at 50,000 and 200,000 items (issue 19, item 3: "every view's first
rows under 100 ms and whole lists of any node under 300 ms").

    python -m benchmarks.views --archive /tmp/items200k [--rounds 7]
    python -m benchmarks.views --items 50000 --archive /tmp/items50k     # builds it if needed

What the window reads, on its read pool, before it shows each view (the same storage calls
as desktop/window/controllers.py and desktop/window/review.py):

- 指标与材料 (tree): `queries.indicator_tree`;
- 总览 (dashboard): `activity.dashboard` with the overdue rectification count;
- 责任单位 (departments): `duties.departments_owing`;
- 收件箱 (inbox): the waiting entries, the folders' health, the duties and the open
  rectification items (the "改为…" choices);
- the duties table under a leaf: `duties.duties_for_node`;
- 整改 / 自评与省评: `rectify.load_items` / `compare.compare_rows`.

Each view is timed in interleaved rounds against a fixed reference read of the same
archive (`SELECT sum(evidence_id) FROM evidence_indicator`, one pass over the link index), so the
ratio column stays comparable when the machine is busy; the table gives the median, the
worst round, the ratio and the load average. The archive is built once with
benchmarks/run_all.py's builder (no files stored) and reused with --archive.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EVIDENCE_DESK_CONFIG_DIR", str(Path("/tmp") / "evidence-desk-bench-config"))

from benchmarks.common import Figure, interleave, median

TODAY = dt.date(2026, 12, 7)
TARGETS = {"tree": 300, "dashboard": 300, "departments": 300, "inbox": 300, "duties_of_leaf": 100,
           "rectify": 100, "compare": 100}


def view_calls(archive: Any) -> dict[str, Callable[[Any], Any]]:
    """The storage calls behind each view, by name (each takes a read session)."""
    from sqlalchemy import select

    from storage.catalogue import activity, duties
    from storage.catalogue.queries import current_framework_id, indicator_tree
    from storage.models import Indicator
    from storage.review.compare import compare_rows
    from storage.review.rectify import load_items, overdue_count
    from storage.watch import inbox

    with archive.sessions.read() as s:
        fid = current_framework_id(s)
        leaf = s.scalar(select(Indicator.id).where(Indicator.framework_id == fid, Indicator.level == 3)
                        .order_by(Indicator.position).limit(1))

    return {
        "tree": lambda s: indicator_tree(s),
        "dashboard": lambda s: activity.dashboard(s, str(archive.root), TODAY,
                                                  rectify_overdue=overdue_count(s, TODAY)),
        "departments": lambda s: duties.departments_owing(s, TODAY),
        "inbox": lambda s: (inbox.waiting(s), inbox.folder_health(s), duties.all_duties(s, TODAY),
                            load_items(s, today=TODAY)),
        "duties_of_leaf": lambda s: duties.duties_for_node(s, leaf, TODAY),
        "rectify": lambda s: load_items(s, today=TODAY),
        "compare": lambda s: compare_rows(s),
    }


def measure(path: Path, rounds: int) -> list[Figure]:
    from sqlalchemy import text

    from storage.core.archive import Archive

    figures = []
    with Archive.open(path) as a:
        calls = view_calls(a)

        def reference() -> None:
            with a.sessions.read() as s:
                s.execute(text("SELECT sum(evidence_id) FROM evidence_indicator")).scalar()

        for name, fn in calls.items():
            def subject(fn: Callable[[Any], Any] = fn) -> None:
                with a.sessions.read() as s:
                    fn(s)

            subject()  # warm: the first read of a view also fills SQLite's page cache
            base, subj, ratios, ld = interleave(reference, subject, rounds)
            figures.append(Figure(
                "views", name, round(median(subj) * 1000, 1), "ms",
                "one pass over the link index", round(median(base) * 1000, 1), round(median(ratios), 2),
                "time", f"< {TARGETS[name]} ms", rounds, ld, {"worst_ms": round(max(subj) * 1000, 1)}))
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", type=Path, required=True, help="the benchmark archive (built if absent)")
    ap.add_argument("--items", type=int, default=200_000, help="items when building (default 200,000)")
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    from benchmarks.run_all import items_archive

    items_archive(args.archive, args.items)
    print(f"{'view':24s} {'median':>9s} {'worst':>9s} {'reference':>10s} {'ratio':>6s}  load  target")
    for f in measure(args.archive, args.rounds):
        print(f"{f.name:24s} {f.value:7.1f}ms {f.extra['worst_ms']:7.1f}ms {f.baseline_value:8.1f}ms "
              f"{f.ratio:6.2f}  {f.load:4.1f}  {f.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
