"""The next round (轮次, issue 16 item 5): start one from a revised indicator system, list
the rounds, switch between them.

`start_round` reads the revised framework table with the framework importer's reader
(storage.tables.framework_import.read_framework, the same that `framework import` uses),
then runs storage.review.rounds.start_round in ONE write transaction: committed when
applied, rolled back for a dry run (so the preview shows exactly what applying would do,
with the ids it would give). The window and `evidence-desk round` call these. Qt-free and
argparse-free.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.catalogue.queries import current_framework_id
from storage.core.archive import Archive
from storage.readmodels.review import IndicatorMatch, IndicatorRef, RoundSummary
from storage.review import rounds
from storage.tables.framework_import import read_framework, to_spec


@dataclass(frozen=True)
class RoundPreview:
    """What `start_round` did, or would do (`dry_run`), with the importer's warnings about
    the table itself (score sums, bonus items …) as (Chinese, English) pairs."""

    start: rounds.RoundStart
    file: str
    warnings: tuple[tuple[str, str], ...] = ()

    @property
    def needs_choice(self) -> tuple[IndicatorRef, ...]:
        return self.start.needs_choice

    def as_dict(self) -> dict[str, Any]:
        def ref(r: IndicatorRef | None) -> dict[str, Any] | None:
            return None if r is None else {"id": r.id, "code": r.code, "title": r.title}

        def match(mt: IndicatorMatch) -> dict[str, Any]:
            return {"kind": mt.kind, "new": ref(mt.new), "old": [ref(o) for o in mt.old],
                    "similarity": mt.similarity, "evidence_to_carry": mt.evidence_to_carry,
                    "evidence_outside_period": mt.evidence_outside_period,
                    "needs_choice": mt.needs_choice, "reasons": list(mt.reasons)}

        s = self.start
        return {
            "dry_run": s.dry_run, "file": self.file, "round": s.round, "previous": s.previous,
            "matches": [match(mt) for mt in s.matches],
            "counts": {k: sum(1 for mt in s.matches if mt.kind == k)
                       for k in ("same", "renamed", "split", "merged", "new", "dropped")},
            "needs_choice": [ref(r) for r in self.needs_choice],
            "links_carried": s.links_carried, "duties_carried": s.duties_carried,
            "outside_period": [{"evidence_id": x.evidence_id, "title": x.title, "date": x.date,
                                "indicators": list(x.indicators)} for x in s.outside_period],
            "warnings": [{"zh": zh, "en": en} for zh, en in self.warnings],
        }


def start_round(*, archive: Archive, framework_file: str | Path, name: str = "",
                period_start: dt.date | None = None, period_end: dt.date | None = None,
                mapping: Sequence[str] = (), dry_run: bool = False, sheet: str | None = None,
                notes: str = "") -> RoundPreview:
    """Start the next round from the revised framework table `framework_file` (see the
    module docstring). `mapping`: the clerk's corrections, `OLD=NEW[,NEW]` or `OLD=`."""
    chosen = rounds.parse_mapping(mapping)
    parsed, report = read_framework(framework_file, sheet=sheet)
    spec = to_spec(parsed, Path(framework_file).name)
    warnings = tuple((w.zh, w.en) for w in [*report.problems, *report.warnings])
    session = archive.sessions.new_write_session()
    try:
        start = rounds.start_round(session, spec, name=name, period_start=period_start, period_end=period_end,
                                   mapping=chosen, dry_run=dry_run, notes=notes)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    return RoundPreview(start, str(framework_file), warnings)


def list_rounds(*, archive: Archive) -> list[RoundSummary]:
    """Every round of the archive, oldest first; an archive from before rounds gets its
    current framework recorded as its first round."""
    with archive.sessions.read() as s:
        fid = current_framework_id(s)
        known = rounds.list_rounds(s)
    if fid is not None and not any(r.framework_id == fid for r in known):
        with archive.sessions.write() as s:
            rounds.ensure_round(s, fid)
        with archive.sessions.read() as s:
            known = rounds.list_rounds(s)
    return known


def use_round(*, archive: Archive, round_id: int | str) -> RoundSummary:
    """Make round `round_id` the current one (its framework is what every view shows)."""
    with archive.sessions.write() as s:
        return rounds.use_round(s, round_id)


__all__ = ["RoundPreview", "list_rounds", "start_round", "use_round"]
