"""Subcommands for backup, restore, log, trash, verify --repair (issue 3)."""
from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add this module's subcommands to the parser (none yet)."""
