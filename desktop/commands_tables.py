"""Subcommands for framework/duties/plan import and duties export (issue 4)."""
from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add this module's subcommands to the parser (none yet)."""
