"""The entry point: `evidence-desk` opens the window, runs the self-test or one command line.

The only module that knows both the command line (`desktop.cli`) and the window
(`desktop.window`): the command line gets the window as a `WindowEntry`, imported only when
a window or a screenshot is asked for, so commands start without Qt.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from desktop import cli
from desktop.cli.output import Output


class _Window:
    """desktop.window.app, loaded on first use (Qt costs start-up time a command never pays)."""

    def run(self, archive: Path | None) -> int:
        from desktop.window.app import run_gui

        return run_gui(archive)

    def screenshot(self, archive: Path, png: Path, view: str) -> int:
        from desktop.window.screenshots import screenshot

        return screenshot(archive, png, view)

    def self_test(self, out: Output) -> int:
        from desktop.selftest import main as self_test

        return self_test(out)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, window=_Window())


if __name__ == "__main__":
    sys.exit(main())
