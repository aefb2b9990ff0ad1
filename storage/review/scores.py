"""The province's score sheet (省评得分表 / 评价结果): one row per indicator with the score the
province gave (省评得分 / 评价得分 / 得分) and why points were taken (扣分原因 / 扣分说明),
read through storage.tables' guarded readers in any layout the framework importer reads
(a code column and/or title columns, level-1 cells merged down), matched to the current
framework's indicators by stated code first, else by title similarity.

`preview_scores` reads and matches without writing; `save_scores` writes the matched rows
(one review_score per indicator, a new import replaces the old score).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.kernel.errors import BadInput
from storage.kernel.text import fold
from storage.models import Indicator, ReviewScore, utcnow
from storage.readmodels.review import IndicatorRef
from storage.review.index import IndicatorIndex
from storage.tables.columns import match_role
from storage.tables.grid import Sheet, col_index, col_letter, read_sheets
from storage.tables.textparse import cell_text, clean_title, one_line, parse_score

HEADER_SCAN = 40
_PROVINCE_EXACT = ("省评得分", "评价得分", "得分", "省级评价得分", "评审得分", "考核得分", "实际得分",
                   "核定得分", "评估得分", "省评分", "省级得分", "实得分", "评分")
_REASON_SUBS = ("扣分原因", "扣分说明", "扣分理由", "扣分情况", "失分原因", "扣分依据", "存在问题")
_TOTAL = re.compile(r"^(合计|总计|总分|小计|得分合计)")
SCORE_ROLES = ("code", "level1", "level2", "level3", "level4", "title", "score", "province", "reason")


@dataclass(frozen=True)
class ScoreRowMatch:
    """One row of the province's sheet and the indicator it was matched to."""

    row: int                                # 1-based row of the sheet
    code: str                               # the code the row states ("" if none)
    title: str                              # the title as written (deepest level)
    province_score: float | None
    reason: str
    state: str                              # matched | ambiguous | unmatched | skipped
    indicator: IndicatorRef | None = None
    candidates: tuple[IndicatorRef, ...] = ()
    how: str = ""                           # 编号 | 名称 | 更正
    max_score: float | None = None          # the indicator's 分值

    @property
    def lost_points(self) -> bool:
        """The province gave less than the indicator's full score, or wrote a reason."""
        if self.province_score is not None and self.max_score is not None:
            if self.province_score < self.max_score:
                return True
        return bool(self.reason)


@dataclass(frozen=True)
class ScorePreview:
    """What importing the sheet would do: its columns and each row's match."""

    file_name: str
    sheet: str
    header_row: int                          # 1-based
    columns: dict[str, str]                  # role -> column letter
    rows: tuple[ScoreRowMatch, ...]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)


def _cell_role(text: str) -> str | None:
    label = re.sub(r"[\s:：*()（）]", "", fold(text))
    if not label or len(label) > 16:
        return None
    if "自评" in label:
        return "self"
    if any(s in label for s in _REASON_SUBS):
        return "reason"
    if label in _PROVINCE_EXACT or (label.endswith("得分") and "标准" not in label):
        return "province"
    if label in ("省评", "省级", "省级评价", "省复核", "复核", "评价组评分", "考核组评分", "核定"):
        return "province"
    return match_role(text)


def _row_roles(sheet: Sheet, r: int) -> dict[int, str]:
    out: dict[int, str] = {}
    for c in range(sheet.ncols):
        role = _cell_role(cell_text(sheet.get(r, c)))
        if role is not None:
            out[c] = role
    return out


def _by_role(cols: dict[int, str]) -> dict[str, list[int]]:
    roles: dict[str, list[int]] = {}
    for c in sorted(cols):
        roles.setdefault(cols[c], []).append(c)
    return roles


def _header(sheet: Sheet) -> tuple[int, dict[str, list[int]]] | None:
    """The header row (0-based, the last row of a two-row header) and each role's columns.
    A second header row under group cells (评价指标 over 一级/二级/三级指标, 得分 over 自评/省评)
    names its columns more precisely than the group cell above it."""
    named_roles = ("code", "title", "level1", "level2", "level3", "level4")
    for r in range(min(sheet.nrows, HEADER_SCAN)):
        cols = _row_roles(sheet, r)
        if len(cols) < 2:
            continue
        below = _row_roles(sheet, r + 1) if r + 1 < sheet.nrows else {}
        two_rows = len(below) >= 2
        merged = {**cols, **below} if two_rows else cols
        roles = _by_role(merged)
        if "province" in roles and any(k in roles for k in named_roles):
            return (r + 1 if two_rows else r), roles
    return None


def _override(roles: dict[str, list[int]], columns: dict[str, str]) -> dict[str, list[int]]:
    out = dict(roles)
    for role, letters in columns.items():
        if role not in SCORE_ROLES:
            raise BadInput(f"无法识别的列名称“{role}”，可用：{'、'.join(SCORE_ROLES)}",
                           f"unknown column role '{role}'; use one of {', '.join(SCORE_ROLES)}")
        try:
            out[role] = [col_index(letters.strip().upper())]
        except (ValueError, KeyError):
            raise BadInput(f"列“{letters}”应写为字母，如 E", f"column '{letters}' must be letters such as E") from None
    return out


def read_score_sheet(path: Path, columns: dict[str, str] | None = None) -> tuple[Sheet, int, dict[str, list[int]]]:
    """The sheet holding the province's scores, its header row (0-based) and its columns.
    Refuses (BadInput) a file with no 省评得分 column next to a code or title column."""
    sheets = read_sheets(path)
    for sheet in sheets:
        found = _header(sheet)
        if found is not None:
            r, roles = found
            return sheet, r, _override(roles, columns or {})
    raise BadInput(
        f"{path.name} 中找不到省评得分表：需要一列“省评得分”（或“评价得分”“得分”）和一列指标编号或指标名称",
        f"{path.name} holds no province score sheet: it needs a 省评得分 (or 评价得分/得分) column "
        "beside an indicator code or title column",
    )


def _title_of(sheet: Sheet, r: int, roles: dict[str, list[int]]) -> tuple[str, int | None]:
    """The deepest title a row writes and its level (when level columns say it)."""
    title, level = "", None
    for n, role in enumerate(("level1", "level2", "level3", "level4"), start=1):
        for c in roles.get(role, []):
            t = one_line(cell_text(sheet.get(r, c)))
            if t:
                title, level = t, n
    for c in roles.get("title", []):
        t = one_line(cell_text(sheet.get(r, c)))
        if t:
            title, level = t, None
    return title, level


def _stated_code(raw: str) -> str:
    num = clean_title(raw).numbering
    if num is not None and num.kind.startswith("dotted"):
        return ".".join(str(v) for v in num.values)
    return ""


def preview_scores(session: Session, path: str | Path, *, corrections: dict[int, str] | None = None,
                   columns: dict[str, str] | None = None) -> ScorePreview:
    """Read the sheet and match each row (no writes). `corrections`: the clerk's choice for
    a row (1-based row → indicator code, "" to leave the row out); `columns`: role → letter
    overrides (code, title, province, reason, …)."""
    path = Path(path)
    index = IndicatorIndex(session)
    sheet, header, roles = read_score_sheet(path, columns)
    corrections = corrections or {}
    out: list[ScoreRowMatch] = []
    prov_col = roles["province"][0]
    for r in range(header + 1, sheet.nrows):
        if r in sheet.hidden_rows:
            continue
        code = ""
        for c in roles.get("code", []):
            code = one_line(cell_text(sheet.get(r, c)))
        title, level = _title_of(sheet, r, roles)
        if not code and not title:
            continue
        if _TOTAL.match(title) or _TOTAL.match(code):
            continue
        if not re.match(r"^[\d.．]+$", fold(code)):
            code = ""
        code = code or _stated_code(title)
        score = parse_score(sheet.get(r, prov_col))
        reason = " ".join(one_line(cell_text(sheet.get(r, c))) for c in roles.get("reason", [])).strip()
        if score is None and not reason:
            continue
        row = r + 1
        if row in corrections:
            wanted = corrections[row].strip()
            if not wanted or wanted in ("-", "skip", "跳过"):
                out.append(ScoreRowMatch(row, code, clean_title(title).text, _f(score), reason, "skipped"))
                continue
            ref = index.code_ref(wanted)
            out.append(ScoreRowMatch(row, code, clean_title(title).text, _f(score), reason, "matched",
                                     ref, (ref,), "更正", index.max_score.get(ref.id)))
            continue
        found = index.find(code, title, level=level if not code else None)
        got = found.indicator
        out.append(ScoreRowMatch(
            row, code, clean_title(title).text, _f(score), reason, found.state, got, found.candidates,
            found.how, index.max_score.get(got.id) if got is not None else None))
    letters = {role: col_letter(cols[0]) for role, cols in roles.items() if cols and role in SCORE_ROLES}
    return ScorePreview(path.name, sheet.name, header + 1, letters, tuple(out))


def _f(v: Decimal | None) -> float | None:
    return float(v) if v is not None else None


def save_scores(session: Session, preview: ScorePreview) -> list[ReviewScore]:
    """Write the matched rows: one review_score per indicator (replacing an earlier import's).
    Returns the rows written."""
    written: list[ReviewScore] = []
    now = utcnow()
    seen: set[int] = set()
    for m in preview.rows:
        if m.state != "matched" or m.indicator is None or m.indicator.id in seen:
            continue
        seen.add(m.indicator.id)
        ind = session.get(Indicator, m.indicator.id)
        assert ind is not None
        row = session.scalar(select(ReviewScore).where(ReviewScore.indicator_id == m.indicator.id))
        if row is None:
            row = ReviewScore(indicator_id=m.indicator.id, framework_id=ind.framework_id)
            session.add(row)
        row.framework_id = ind.framework_id
        row.province_score = Decimal(str(m.province_score)) if m.province_score is not None else None
        row.deduction_reason = m.reason
        row.source_file = preview.file_name
        row.source_row = m.row
        row.imported_at = now
        written.append(row)
    session.flush()
    return written
