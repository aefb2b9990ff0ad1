"""What an import did (or, with --dry-run, would do): the column mapping it used, the rows it
read and skipped, what it added, changed and removed, and the problems it found.

`as_dict()` is the documented `--json` shape (docs/cli-tables.md).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


def plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


@dataclass
class Message:
    zh: str
    en: str
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"zh": self.zh, "en": self.en, "row": self.row}


@dataclass
class ImportReport:
    """The outcome of one import.

    Attributes:
        kind: framework | duties | plan.
        items: what the file holds, as plain dicts (indicators or duties), in order.
        added / changed / removed: differences against what the archive held before;
            `changed` entries carry {field: [old, new]}.
        kept: rows gone from the file but kept because evidence is linked to them.
        problems: findings the clerk must look at (score sums that do not add up …);
            the import still happened unless `written` is False.
    """

    kind: str
    file: str
    sheet: str = ""
    dry_run: bool = False
    written: bool = False
    mapping: dict[str, Any] = field(default_factory=dict)
    rows_read: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    added: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    kept: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    framework_id: int | None = None
    framework_name: str = ""
    summary: dict[str, Any] = field(default_factory=dict)

    def skip(self, row: int, reason: str) -> None:
        self.skipped.append({"row": row, "reason": reason})

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed or self.kept)

    def as_dict(self) -> dict[str, Any]:
        return plain(
            {
                "kind": self.kind,
                "file": self.file,
                "sheet": self.sheet,
                "dry_run": self.dry_run,
                "written": self.written,
                "framework_id": self.framework_id,
                "framework_name": self.framework_name,
                "mapping": self.mapping,
                "rows_read": self.rows_read,
                "skipped": self.skipped,
                "summary": self.summary,
                "items": self.items,
                "changes": {
                    "added": self.added,
                    "changed": self.changed,
                    "removed": self.removed,
                    "kept": self.kept,
                },
                "problems": [m.as_dict() for m in self.problems],
                "warnings": [m.as_dict() for m in self.warnings],
            }
        )


def finish(session: Any, report: ImportReport, dry_run: bool) -> None:
    """End an import's single transaction: rolled back for a dry run, else committed."""
    report.dry_run = dry_run
    if dry_run:
        session.rollback()
    else:
        session.commit()
        report.written = True
