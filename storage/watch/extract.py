"""Metadata and text of a file taken from a watched folder, through the one reader.

A thin user of storage.reading: the file is read in the shared reader pool (worker
processes with memory and time limits, storage.reading.pool), by content, never by name.
Never raises for a damaged file: a file we cannot read still becomes evidence, with the
file name as its title and no text; `state` and `reason` say why (password, unreadable).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from storage.kernel import fsio
from storage.kernel.errors import BadInput
from storage.reading.extract import ReadResult, find_dates
from storage.reading.pool import shared_pool

__all__ = ["Extracted", "deferred", "extract", "find_dates", "from_result"]


@dataclass(frozen=True)
class Extracted:
    """What the watcher uses of a reading: the evidence item's title, 文号 and date, and the
    text for suggestions and search."""

    title: str = ""
    doc_number: str = ""
    issue_date: dt.date | None = None
    page_count: int | None = None
    text: str = ""
    state: str = "ok"
    reason: str = ""


def from_result(r: ReadResult) -> Extracted:
    state = "password" if r.password else ("unreadable" if r.refusal else "ok")
    return Extracted(r.title, r.doc_number, r.issue_date, r.page_count, r.text, state, r.refusal)


def extract(path: Path, name: str) -> Extracted:
    """Read what we can from the stored file `path` (original file name `name`)."""
    return from_result(read_result(path, name))


# Kinds read through LibreOffice (seconds each): left to the reading backlog
# (storage.reading.backlog.read_pending) so that a folder of old .doc files never holds up
# the watcher's intake.
DEFERRED = {fsio.DOC, fsio.RTF, fsio.XLSB, fsio.PPT}


def deferred(path: Path, name: str) -> bool:
    """True when reading `path` is left to the backlog (it needs the converter)."""
    try:
        return fsio.sniff(path, name_hint=name).kind in DEFERRED
    except (OSError, BadInput):
        return False


def read_result(path: Path, name: str) -> ReadResult:
    """The full reading of `path` in the shared reader pool."""
    stem = Path(name).stem.strip() or name
    r = shared_pool().read(path, name_hint=name)
    if not r.title:
        r = ReadResult(**{**r.__dict__, "title": stem[:500]})
    return r
