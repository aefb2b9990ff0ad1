"""Which files must never become evidence: Office/WPS/LibreOffice lock and temp files and
the system's own litter. Shared by ingest and the folder watcher."""
from __future__ import annotations

import fnmatch

DEFAULT_EXCLUDES = (
    "~$*",          # Word/Excel/WPS owner files: ~$报告.docx
    "~WRL*.tmp",    # Word's temp copies
    "~WRD*.tmp",
    ".~lock.*#",    # LibreOffice lock files
    "*.tmp",
    "*.temp",
    "*.crdownload",
    "*.part",
    "Thumbs.db",
    "desktop.ini",
    ".DS_Store",
    "._*",          # macOS resource forks on shares
)


def excluded_by(name: str, patterns: tuple[str, ...] | list[str] = DEFAULT_EXCLUDES) -> str | None:
    """The pattern that excludes file `name`, or None. Case-insensitive, as on Windows."""
    low = name.lower()
    for pat in patterns:
        if fnmatch.fnmatchcase(low, pat.lower()):
            return pat
    return None
