"""What the table importers' tests share: a workbook written from rows."""
from __future__ import annotations

from pathlib import Path

import openpyxl


def xlsx(path: Path, rows: list[list[object]], merges: tuple[str, ...] = (),
         more: list[list[object]] | None = None) -> Path:
    """Write `rows` to the first sheet (cells merged as `merges` say; `more` on a second
    sheet) and return the path."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    if more is not None:
        extra = wb.create_sheet("Sheet2")
        for row in more:
            extra.append(row)
    wb.save(path)
    return path
