"""Errors the user can act on, with the message in Chinese first and English after it.

`ArchiveError` (and subclasses) are *known* failures: a bad path, a locked archive, a
full disk. The command line prints `str(err)` as one line and exits 2; the window shows it
in a plain message box. Anything else is a bug and goes to the crash log.
"""
from __future__ import annotations


class ArchiveError(Exception):
    """A failure the user caused or can fix; never a bug.

    Attributes:
        zh: the message in Simplified Chinese.
        en: the same message in English.
    """

    exit_code = 2

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} ({en})")
        self.zh = zh
        self.en = en


class NotAnArchive(ArchiveError):
    pass


class ArchiveLocked(ArchiveError):
    pass


class NetworkPathRefused(ArchiveError):
    pass


class SchemaTooNew(ArchiveError):
    pass


class BadInput(ArchiveError):
    pass


class Cancelled(Exception):
    """Raised inside a long operation when its `cancel` callable returns True.

    The operation has already made the archive consistent when this propagates.
    """
