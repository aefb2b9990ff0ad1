"""How long the window's thread is held while the watcher learns the filed items.

When an archive opens, the watcher builds the suggestions' memory of every filed item on
its own thread (storage.watch.suggest.warm_up). A 5 ms QTimer heartbeat runs on the GUI
thread meanwhile, with a few hundred thousand objects of its own alive as a window has;
the largest gap between ticks is how long a click would wait. Two ways, interleaved in
rounds (A B A B …): the plain warm-up, and the watcher's way (storage.kernel.gcpause: no
cyclic collection while building, frozen after), each followed by ordinary allocation so
later collections show too.

    python benchmarks/gui_block.py --archive /tmp/items50k --rounds 3
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import gui_gap, interleave


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", type=Path, required=True, help="an archive with filed items (run_all --keep)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from storage.core.archive import Archive
    from storage.kernel.gcpause import gc_paused
    from storage.watch import suggest

    window_objects = [{"row": [i]} for i in range(300_000)]  # what a window keeps alive

    with Archive.open(args.archive) as archive:
        def warm(paused: bool) -> None:
            gc.unfreeze()
            suggest._CACHE.clear()
            with archive.sessions.read() as s:
                if paused:
                    with gc_paused(freeze_after=True):
                        suggest.warm_up(s)
                else:
                    suggest.warm_up(s)
            for _ in range(30):  # the window's ordinary allocation afterwards
                junk = [[i] for i in range(100_000)]
                del junk

        plain, paused, ratios, load = interleave(lambda: gui_gap(lambda: warm(False)),
                                                 lambda: gui_gap(lambda: warm(True)), args.rounds)
    idle = gui_gap(lambda: time.sleep(2))
    print(f"GUI thread's largest gap while the watcher learns the filed items ({args.archive}; "
          f"5 ms heartbeat; load {load}; {len(window_objects):,} window objects alive)")
    print(f"  plain warm-up              median {statistics.median(plain):5.0f} ms, max {max(plain):5.0f} ms")
    print(f"  paused collector + freeze  median {statistics.median(paused):5.0f} ms, max {max(paused):5.0f} ms")
    print(f"  nothing running            {idle:5.0f} ms")
    print(f"  per-round ratio paused/plain: median {statistics.median(ratios):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
