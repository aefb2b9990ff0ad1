"""`python -m desktop` and the frozen program's entry (build.spec)."""
import sys

from desktop.main import main

if __name__ == "__main__":
    # The reading and OCR workers are spawned processes: in a frozen build each would start
    # the whole program again without this (it must come first). It does nothing when not
    # frozen, so multiprocessing (a tenth of `status`'s start-up) is imported only then.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
