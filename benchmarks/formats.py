"""Every file of a folder through the one reader, counted by file type.

    python benchmarks/formats.py FOLDER [--workers 2] [--time-limit 180] [--tables] [--commands] [--show N]

For each file (by extension, as a clerk would name it): read ok (with or without text),
refused with a clear message (a Chinese sentence with its English, naming the file), crashed
(an exception that is not a clear refusal, or a message that is not clear: a path, a library
class name, a MIME type), and how many had text. Files are read through the reader pool
(worker processes with the 500 MB limit), as ingest and the watcher do. `--tables` also puts
every spreadsheet-like file through storage.tables.grid.read_sheets (the importers' reader).
`--commands` brings the folder into two new archives, once by ingest and once by a watched
folder (`watch --once`), reads the backlog and counts, by type, the files with text whose
probe phrase (a run of 4–12 letters from their text) search then finds.
Prints a table and the parent's peak memory.
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.kernel.errors import BadInput
from storage.kernel.fsio import display_name
from storage.reading.pool import ReaderPool

_UNCLEAR = re.compile(r"(/tmp/|site-packages|Traceback|Error\b|Exception\b|application/vnd|\bxml\b.*line \d+)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PROBE = re.compile(r"[\u4e00-\u9fffA-Za-z]{4,12}")
TABLE_EXT = {".xlsx", ".xlsm", ".xltx", ".xls", ".et", ".ods", ".xlsb", ".csv"}


def clear(msg: str, name: str) -> bool:
    """A clear refusal: Chinese first, English after, the file named, no path or class name."""
    rest = msg.replace(name, "")
    return bool(msg) and bool(_CJK.search(rest[:30])) and name in msg and not _UNCLEAR.search(rest)


def walk(folder: Path) -> list[Path]:
    out = []
    for root, _dirs, files in os.walk(os.fsencode(folder)):
        for f in files:
            p = Path(os.fsdecode(os.path.join(root, f)))
            if p.is_file() and not p.is_symlink():
                out.append(p)
    return sorted(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=60)
    ap.add_argument("--tables", action="store_true", help="also read spreadsheets as the importers do")
    ap.add_argument("--commands", action="store_true", help="also ingest and watch into archives and search")
    ap.add_argument("--show", type=int, default=5, help="examples of crashes/unclear messages to print")
    args = ap.parse_args()
    files = walk(args.folder)
    stats: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    bad: list[str] = []
    reasons: collections.Counter[str] = collections.Counter()
    probes: dict[Path, str] = {}
    t0 = time.monotonic()
    slowest = (0.0, "")
    with ReaderPool(args.workers, time_limit=args.time_limit) as pool:
        items = [(i, p, display_name(p)) for i, p in enumerate(files)]
        started = time.monotonic()
        for key, r in pool.read_many(items):
            p = files[int(key)]  # type: ignore[call-overload]
            ext = p.suffix.lower() or "(none)"
            c = stats[ext]
            c["files"] += 1
            if r.ok:
                c["read ok"] += 1
                if r.text.strip():
                    c["text"] += 1
                    m = _PROBE.search(r.text)
                    if m:
                        probes[p] = m.group(0)
                        c["probed"] += 1
            elif clear(r.refusal, display_name(p)):
                c["refused clearly"] += 1
                reasons[r.reason] += 1
                if r.password:
                    c["password"] += 1
            else:
                c["crashed/unclear"] += 1
                bad.append(f"{p}: {r.reason}: {r.refusal[:200]}")
            el = time.monotonic() - started
            started = time.monotonic()
            slowest = max(slowest, (el, p.name))
    reading_s = time.monotonic() - t0
    table_stats: collections.Counter[str] = collections.Counter()
    if args.tables:
        from storage.tables.grid import read_sheets

        for p in files:
            if p.suffix.lower() not in TABLE_EXT:
                continue
            table_stats["files"] += 1
            try:
                read_sheets(p)
                table_stats["read ok"] += 1
            except BadInput as e:
                if clear(e.zh, p.name):
                    table_stats["refused clearly"] += 1
                else:
                    table_stats["crashed/unclear"] += 1
                    bad.append(f"[tables] {p}: {e}")
            except Exception as e:  # noqa: BLE001 - counting crashes is the point
                table_stats["crashed/unclear"] += 1
                bad.append(f"[tables] {p}: {type(e).__name__}: {e}")
    if args.commands:
        searchable = commands(args.folder, probes, args.workers)
        for ext, c in searchable.items():
            stats[ext].update(c)
    cols = ["files", "read ok", "text", "refused clearly", "password", "crashed/unclear"]
    if args.commands:
        cols += ["probed", "found/ingest", "found/watch"]
    print(f"{'type':<10}" + "".join(f"{c:>17}" for c in cols))
    total: collections.Counter[str] = collections.Counter()
    for ext in sorted(stats):
        total.update(stats[ext])
        print(f"{ext:<10}" + "".join(f"{stats[ext][c]:>17}" for c in cols))
    print(f"{'ALL':<10}" + "".join(f"{total[c]:>17}" for c in cols))
    print(f"refusals by reason: {dict(reasons)}")
    if args.tables:
        print(f"importers' reader (read_sheets): {dict(table_stats)}")
    print(f"reading time: {reading_s:.1f} s for {len(files)} files; slowest file {slowest[0]:.1f} s ({slowest[1]})")
    print(f"parent peak memory (maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
          f"workers' peak: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")
    for line in bad[: args.show]:
        print("  " + line)
    return 0


def commands(folder: Path, probes: dict[Path, str], workers: int) -> dict[str, collections.Counter[str]]:
    """Ingest the folder into one new archive and watch it into another; read the backlog;
    count the files whose probe phrase search finds, by type."""
    import tempfile

    from storage.catalogue.ingest import ingest_paths
    from storage.catalogue.search import refresh_index, search
    from storage.core.archive import Archive
    from storage.reading.backlog import read_pending
    from storage.watch.folders import add_folder
    from storage.watch.service import WatchService

    out: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    with tempfile.TemporaryDirectory() as tmp, ReaderPool(workers) as pool:
        for how in ("ingest", "watch"):
            archive = Archive.create(Path(tmp) / how)
            try:
                if how == "ingest":
                    ingest_paths(archive, [str(folder)])
                else:
                    with archive.sessions.write() as s:
                        add_folder(s, folder)
                    svc = WatchService(archive, observers=False)
                    for _ in range(20):   # as a clerk runs `watch --once` again for what was left
                        if not svc.run_once()["still_changing"]:
                            break
                read_pending(archive, pool=pool)
                with archive.sessions.write() as s:
                    refresh_index(s)
                with archive.sessions.read() as s:
                    for p, probe in probes.items():
                        if search(s, probe, limit=1):
                            out[p.suffix.lower() or "(none)"][f"found/{how}"] += 1
                        elif os.environ.get("FORMATS_DEBUG"):
                            print(f"not found after {how}: {probe!r} {p}")
            finally:
                archive.close()
    return out


if __name__ == "__main__":
    raise SystemExit(main())
