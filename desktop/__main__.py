"""`python -m desktop` and the frozen program's entry (build.spec)."""
import multiprocessing
import sys

from desktop.main import main

if __name__ == "__main__":
    # The reading and OCR workers are spawned processes: in a frozen build each would start
    # the whole program again without this (it must come first).
    multiprocessing.freeze_support()
    sys.exit(main())
