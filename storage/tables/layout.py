"""Tables laid out over more than one sheet, or with their header repeated.

A long table is often split by its author: the rows go on in a second sheet ("续表",
"Sheet2", "第二部分"), with the header repeated or not. `join_continued` puts such a sheet
under the one it continues, so the importers read one table; the rows of the second sheet keep
their place after the first's (row numbers in reports count on from the first sheet).

A sheet continues the previous one when its header names the same columns (same roles in the
same places), or when it has no header of its own, as many columns, and its name or first row
says it continues (续, 接上表, 第二页 …).
"""
from __future__ import annotations

import re

from storage.tables.columns import ColumnMap, detect_header
from storage.tables.grid import Sheet
from storage.tables.textparse import cell_text

_CONTINUES = re.compile(r"续|接上表|接上页|第[二三四五2-5]页|第[二三四五2-5]部分")


def _roles_by_column(cmap: ColumnMap) -> dict[int, str]:
    return {c: role for role, cols in cmap.roles.items() for c in cols}


def _same_words(cmap: ColumnMap, first: ColumnMap) -> bool:
    """A header in two rows printed again without its merged cells (考核指标 over 一级指标 | 二级指标
    the first time; 考核指标 over 一级指标 and nothing over 二级指标 the next): the same headings
    under, column by column, as many header rows."""
    if len(cmap.header_rows) != len(first.header_rows) or len(cmap.header_rows) < 2:
        return False
    def lowest(m: ColumnMap) -> dict[int, str]:
        return {c: t.split("/")[-1] for c, t in m.labels.items() if t}
    return bool(lowest(first)) and lowest(cmap) == lowest(first)


def _first_text(sheet: Sheet) -> str:
    for r in range(min(3, sheet.nrows)):
        for c in range(sheet.ncols):
            t = cell_text(sheet.get(r, c))
            if t:
                return t
    return ""


def join_continued(sheets: list[Sheet]) -> list[Sheet]:
    """The sheets with every continuation sheet joined under the sheet it continues."""
    out: list[Sheet] = []
    base: tuple[Sheet, ColumnMap] | None = None
    for s in sheets:
        cmap = detect_header(s)
        if base is not None:
            first, first_map = base
            same_header = cmap is not None and (_roles_by_column(cmap) == _roles_by_column(first_map)
                                                or _same_words(cmap, first_map))
            headless = (cmap is None and s.ncols and abs(s.ncols - first.ncols) <= 1
                        and bool(_CONTINUES.search(s.name) or _CONTINUES.search(_first_text(s))))
            if same_header or headless:
                start = cmap.data_start if same_header and cmap is not None else _skip_title(s)
                joined = _append(out[-1], s, start)
                out[-1] = joined
                base = (joined, first_map)
                continue
        out.append(s)
        base = (s, cmap) if cmap is not None else None
    return out


def _skip_title(sheet: Sheet) -> int:
    """Rows at the top of a headless continuation that only say it continues ("续表")."""
    r = 0
    while r < sheet.nrows and r < 3:
        texts = [t for c in range(sheet.ncols) if (t := cell_text(sheet.get(r, c)))]
        if len(set(texts)) == 1 and _CONTINUES.search(texts[0]) and len(texts[0]) <= 40:
            r += 1
            continue
        break
    return r


def _append(first: Sheet, more: Sheet, start: int) -> Sheet:
    off = first.nrows - start
    values = [list(row) for row in first.values] + [list(row) for row in more.values[start:]]
    anchor = dict(first.anchor)
    span = dict(first.span)
    for (r, c), (ar, ac) in more.anchor.items():
        if r >= start and ar >= start:
            anchor[(r + off, c)] = (ar + off, ac)
    for (r, c), sz in more.span.items():
        if r >= start:
            span[(r + off, c)] = sz
    return Sheet(
        name=first.name,
        values=values,
        anchor=anchor,
        span=span,
        hidden_rows=set(first.hidden_rows) | {r + off for r in more.hidden_rows if r >= start},
        hidden_cols=set(first.hidden_cols),
    )
