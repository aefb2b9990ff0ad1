"""Subcommands for folders, watch, inbox (issue 5)."""
from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add this module's subcommands to the parser (none yet)."""
