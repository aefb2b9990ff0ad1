"""Making writes durable, shared by the file store and the bundle writers (exporters may
import the kernel): fsync of a file or of a folder's names."""
from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Flush a written file's data to the disk."""
    flags = os.O_RDWR if os.name == "nt" else os.O_RDONLY  # Windows commits writable handles only
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make the names (a rename, a new file) in a folder durable; a no-op where folders cannot
    be opened (Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
