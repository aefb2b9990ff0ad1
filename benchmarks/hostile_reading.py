"""Hostile files through the reader pool and the importers' sheet reader: result, time and
peak memory per case (each case in a fresh process: the worker's peak is RUSAGE_CHILDREN's
maxrss, the parent's RUSAGE_SELF; "parent" includes making the file).

    python benchmarks/hostile_reading.py
"""
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import reading_files as rf

from storage.reading.pool import ReaderPool
from storage.tables.grid import read_sheets

if __name__ == "__main__":
    d = Path(tempfile.mkdtemp(prefix="hostile-"))
    case = sys.argv[1] if len(sys.argv) > 1 else ""
    makers = {
        "zip-bomb.docx (300 MB inflated)": lambda p: rf.zip_bomb_docx(p, megabytes=300),
        "sharedStrings bomb .xlsx (150 MB)": lambda p: rf.shared_strings_bomb_xlsx(p, megabytes=150),
        "billion-laughs .xlsx": rf.billion_laughs_xlsx,
        "far-away cell .xlsx": rf.far_cell_xlsx,
        "whole-sheet merge .xlsx": rf.whole_sheet_merge_xlsx,
        "big legit .docx (13 MB, 400k paragraphs)": lambda p: rf.big_text_docx(p, paragraphs=400_000),
    }
    if not case:
        for name in makers:
            print(subprocess.run([sys.executable, __file__, name], capture_output=True, text=True).stdout.strip())
        raise SystemExit
    p = d / ("x.docx" if "docx" in case else "x.xlsx")
    makers[case](p)
    t = time.monotonic()
    with ReaderPool(1) as pool:
        r = pool.read(p, name_hint=p.name)
    el = time.monotonic() - t
    t = time.monotonic()
    try:
        read_sheets(p)
        g = "read"
    except Exception as e:  # noqa: BLE001 - the kind of refusal is the figure
        g = type(e).__name__
    gl = time.monotonic() - t
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{case:45} reader: {r.reason or 'ok':8} {el:5.1f} s worker peak {child:5.0f} MB | "
          f"read_sheets: {g} {gl:4.1f} s | parent peak {parent:4.0f} MB")
