"""The province's evaluation and the rectification items (issue 16, items 1–2): the steps
`evidence-desk review …` / `rectify …` and the window's 整改 and compare views take.

- `import_review`: a score sheet (.xlsx/.xls) or an evaluation report (Word) read and matched
  to indicators; with `dry_run` the preview only (nothing written), else the matched rows
  and problems written and rectification items made from them, in one transaction.
- `compare`: self score beside the province's, lost points first.
- `add_item`, `set_item`, `link_evidence`, `unlink_evidence`, `list_items`: the edits of
  items, each in its own write transaction, returning the items as the documents read them.

Qt-free and argparse-free.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from storage.core.archive import Archive
from storage.kernel import fsio
from storage.kernel.errors import BadInput, Cancelled
from storage.kernel.progress import ProgressFn, never_cancel, no_progress
from storage.readmodels.review import RectificationItem, ReviewScoreRow
from storage.review import rectify
from storage.review.compare import compare_rows, points_lost
from storage.review.index import IndicatorIndex
from storage.review.report import ReportPreview, preview_report, save_problems
from storage.review.scores import SCORE_ROLES, ScorePreview, preview_scores, save_scores
from storage.watch.inbox import accept

SHEET_KINDS = (fsio.EXCEL, fsio.XLS, fsio.ODS, fsio.XLSB)
REPORT_KINDS = (fsio.WORD, fsio.DOC, fsio.ODT, fsio.RTF)


@dataclass(frozen=True)
class ReviewImport:
    """What importing a file did (or, with dry_run, would do)."""

    kind: str                                  # "scores" | "report"
    file_name: str
    dry_run: bool
    scores: ScorePreview | None = None
    report: ReportPreview | None = None
    scores_written: int = 0
    problems_written: int = 0
    items_created: tuple[int, ...] = ()
    items: tuple[RectificationItem, ...] = field(default_factory=tuple)

    @property
    def matched(self) -> int:
        return self._count("matched")

    @property
    def ambiguous(self) -> int:
        return self._count("ambiguous")

    @property
    def unmatched(self) -> int:
        return self._count("unmatched")

    def _count(self, state: str) -> int:
        if self.scores is not None:
            return self.scores.count(state)
        return self.report.count(state) if self.report is not None else 0

    def as_dict(self) -> dict[str, Any]:
        """The --json shape of `review import` (docs/cli-review.md)."""
        rows: list[dict[str, Any]] = []
        if self.scores is not None:
            for r in self.scores.rows:
                rows.append({
                    "row": r.row, "code": r.code, "title": r.title, "province_score": r.province_score,
                    "max_score": r.max_score, "reason": r.reason, "state": r.state, "how": r.how,
                    "indicator": _ref(r.indicator), "candidates": [_ref(c) for c in r.candidates],
                })
        if self.report is not None:
            for p in self.report.problems:
                rows.append({
                    "paragraph": p.paragraph, "kind": p.kind, "text": p.text, "section": p.section,
                    "state": p.state, "how": p.how, "indicators": [_ref(i) for i in p.indicators],
                    "candidates": [_ref(c) for c in p.candidates],
                })
        return {
            "kind": self.kind, "file": self.file_name, "dry_run": self.dry_run,
            "sheet": self.scores.sheet if self.scores is not None else None,
            "columns": self.scores.columns if self.scores is not None else None,
            "matched": self.matched, "ambiguous": self.ambiguous, "unmatched": self.unmatched,
            "scores_written": self.scores_written, "problems_written": self.problems_written,
            "items_created": list(self.items_created), "rows": rows,
        }


def _ref(ref: Any) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {"id": ref.id, "code": ref.code, "title": ref.title}


def parse_corrections(spec: str | Sequence[str] | None) -> tuple[dict[int, str], dict[str, str]]:
    """The clerk's corrections: "12=1.1.1" (row or paragraph 12 is indicator 1.1.1; "12="
    or "12=skip" leaves it out; "12=1.1.1+1.1.2" for a report problem on two indicators)
    and column overrides "province=E,reason=F,code=A". Separated by commas or given
    several times."""
    parts: list[str] = []
    for s in ([spec] if isinstance(spec, str) else list(spec or [])):
        parts += [p for p in s.replace("，", ",").split(",") if p.strip()]
    rows: dict[int, str] = {}
    cols: dict[str, str] = {}
    for p in parts:
        key, sep, value = p.partition("=")
        key = key.strip()
        if not sep:
            raise BadInput(f"更正应写成 行号=指标编号 或 列名=列字母：“{p}”",
                           f"a correction is ROW=CODE or ROLE=LETTER: '{p}'")
        if key.isdigit():
            rows[int(key)] = value.strip()
        elif key in SCORE_ROLES:
            cols[key] = value.strip()
        else:
            raise BadInput(f"看不懂的更正：“{p}”（行号=指标编号，或 {'/'.join(SCORE_ROLES)}=列字母）",
                           f"cannot read the correction '{p}' (ROW=CODE, or ROLE=LETTER)")
    return rows, cols


def file_kind(path: Path) -> str:
    """"scores" for a spreadsheet, "report" for a Word document; a refusal for anything else."""
    if not path.is_file():
        raise BadInput(f"找不到文件：{path.name}", f"file not found: {path.name}")
    kind = fsio.sniff(path, name_hint=path.name)
    fsio.refuse_unreadable_kind(kind, path.name)
    if kind.kind in SHEET_KINDS:
        return "scores"
    if kind.kind in REPORT_KINDS:
        return "report"
    raise BadInput(
        f"{path.name} 既不是省评得分表（Excel）也不是评价结果报告（Word），请选择省里反馈的得分表或报告",
        f"{path.name} is neither a province score sheet (Excel) nor an evaluation report (Word)",
    )


def import_review(archive: Archive, path: str | Path, *, dry_run: bool = False,
                  mapping: str | Sequence[str] | None = None, progress: ProgressFn = no_progress,
                  cancel: Callable[[], bool] = never_cancel, create_items: bool = True) -> ReviewImport:
    """Import the province's score sheet or evaluation report. `mapping`: the clerk's
    corrections (parse_corrections). With `dry_run` nothing is written; otherwise the
    matched rows or problems are saved and, with `create_items`, made into rectification
    items (existing ones are never duplicated)."""
    path = Path(path)
    kind = file_kind(path)
    rows, cols = parse_corrections(mapping)
    progress(0, 3, "读取文件")
    if dry_run:
        with archive.sessions.read() as s:
            if kind == "scores":
                return ReviewImport(kind, path.name, True, scores=preview_scores(s, path, corrections=rows,
                                                                                  columns=cols))
            if cols:
                raise BadInput("评价结果报告没有列，列更正只用于得分表", "column overrides apply to score sheets only")
            return ReviewImport(kind, path.name, True, report=preview_report(s, path, corrections=rows))
    with archive.sessions.write() as s:
        fid = IndicatorIndex(s).framework_id
        sp: ScorePreview | None = None
        rp: ReportPreview | None = None
        if kind == "scores":
            sp = preview_scores(s, path, corrections=rows, columns=cols)
        else:
            if cols:
                raise BadInput("评价结果报告没有列，列更正只用于得分表", "column overrides apply to score sheets only")
            rp = preview_report(s, path, corrections=rows)
        if cancel():
            raise Cancelled()
        progress(1, 3, "写入")
        n_scores = len(save_scores(s, sp)) if sp is not None else 0
        n_problems = len(save_problems(s, rp, fid)) if rp is not None else 0
        progress(2, 3, "生成整改事项")
        created = rectify.create_from_review(s, fid) if create_items else []
        if cancel():
            raise Cancelled()
        items = rectify.load_items(s, fid, ids=created) if created else []
    progress(3, 3, "")
    return ReviewImport(kind, path.name, False, sp, rp, n_scores, n_problems, tuple(created), tuple(items))


def compare(archive: Archive, *, all_indicators: bool = False) -> list[ReviewScoreRow]:
    """Self score beside the province's score, lost points first."""
    with archive.sessions.read() as s:
        return compare_rows(s, all_indicators=all_indicators)


def list_items(archive: Archive, *, status: str | None = None, overdue: bool = False,
               today: dt.date | None = None) -> list[RectificationItem]:
    """The current framework's rectification items, optionally by status or only overdue."""
    with archive.sessions.read() as s:
        return rectify.load_items(s, today=today, status=status, overdue_only=overdue)


def _one(archive: Archive, item_id: int, today: dt.date | None) -> RectificationItem:
    with archive.sessions.read() as s:
        got = rectify.load_items(s, today=today, ids=[item_id])
    if not got:
        raise BadInput(f"找不到整改事项 #{item_id}", f"no rectification item #{item_id}")
    return got[0]


def add_item(archive: Archive, *, problem: str, indicator_codes: Sequence[str] = (),
             lead: Sequence[str] | None = None, cooperating: Sequence[str] | None = None,
             measures: str = "", deadline: dt.date | str | None = None, status: str = "未开始",
             progress_text: str = "", source: str = rectify.SOURCE_OWN,
             today: dt.date | None = None) -> RectificationItem:
    """Add an item by hand (a problem the county found itself, or one the report left out)."""
    with archive.sessions.write() as s:
        iid = rectify.add_item(s, problem=problem, indicator_codes=indicator_codes, lead=lead,
                               cooperating=cooperating, measures=measures, deadline=deadline,
                               status=status, progress=progress_text, source=source)
    return _one(archive, iid, today)


def set_item(archive: Archive, item_id: int, *, problem: str | None = None, measures: str | None = None,
             deadline: dt.date | str | None | rectify._Unset = rectify.UNSET, status: str | None = None,
             progress_text: str | None = None, lead: Sequence[str] | None = None,
             cooperating: Sequence[str] | None = None, indicator_codes: Sequence[str] | None = None,
             today: dt.date | None = None) -> RectificationItem:
    """Change fields of an item; returns it as it now reads."""
    with archive.sessions.write() as s:
        rectify.set_item(s, item_id, problem=problem, measures=measures, deadline=deadline, status=status,
                         progress=progress_text, lead=lead, cooperating=cooperating,
                         indicator_codes=indicator_codes)
    return _one(archive, item_id, today)


def link_evidence(archive: Archive, item_id: int, evidence_ids: Sequence[int],
                  today: dt.date | None = None) -> tuple[int, RectificationItem]:
    """Link evidence of rectification; returns (how many new, the item)."""
    with archive.sessions.write() as s:
        n = rectify.link_evidence(s, item_id, evidence_ids)
    return n, _one(archive, item_id, today)


def unlink_evidence(archive: Archive, item_id: int, evidence_ids: Sequence[int],
                    today: dt.date | None = None) -> tuple[int, RectificationItem]:
    """Take evidence off an item; returns (how many removed, the item)."""
    with archive.sessions.write() as s:
        n = rectify.unlink_evidence(s, item_id, evidence_ids)
    return n, _one(archive, item_id, today)


def delete_item(archive: Archive, item_id: int) -> str:
    """Delete an item the county added itself; returns its problem text (see
    storage.review.rectify.delete_item for what is refused)."""
    with archive.sessions.write() as s:
        return rectify.delete_item(s, item_id)


def accept_onto_item(archive: Archive, entry_ids: Sequence[int], item_id: int, *,
                     department: str | None = None, indicator_codes: Sequence[str] | None = None,
                     duty_ids: Sequence[int] | None = None) -> list[int]:
    """Accept inbox files as evidence of rectification of one item, in one transaction:
    linked to the item, and to the given indicators/duties — or, when none are given, to
    the item's own indicators (the inbox's suggestion when the item has none). Returns the
    evidence ids; an unknown entry or item changes nothing."""
    with archive.sessions.write() as s:
        return accept_onto_item_in(s, entry_ids, item_id, department=department,
                                   indicator_codes=indicator_codes, duty_ids=duty_ids)


def accept_onto_item_in(session: Session, entry_ids: Sequence[int], item_id: int, *,
                        department: str | None = None, indicator_codes: Sequence[str] | None = None,
                        duty_ids: Sequence[int] | None = None) -> list[int]:
    """`accept_onto_item` inside the caller's transaction (the window's undoable accept)."""
    s = session
    codes = list(indicator_codes) if indicator_codes is not None else None
    if codes is None and duty_ids is None:
        codes = rectify.item_indicator_codes(s, item_id) or None
    else:
        rectify.item_indicator_codes(s, item_id)          # refuse an unknown item first
    ids = accept(s, entry_ids, department=department, indicator_codes=codes,
                 duty_ids=list(duty_ids) if duty_ids is not None else None)
    rectify.link_evidence(s, item_id, ids)
    return ids


def item_dict(it: RectificationItem) -> dict[str, Any]:
    """The --json shape of one item (docs/cli-review.md)."""
    return {
        "id": it.id, "number": it.number, "problem": it.problem, "source": it.source,
        "indicators": [_ref(i) for i in it.indicators],
        "lead": list(it.lead_departments), "cooperating": list(it.cooperating_departments),
        "measures": it.measures, "deadline": it.deadline.isoformat() if it.deadline else None,
        "status": it.status, "progress": it.progress, "overdue": it.overdue,
        "evidence": [{"id": e.evidence_id, "title": e.title, "files": list(e.file_names)} for e in it.evidence],
    }


def row_dict(r: ReviewScoreRow) -> dict[str, Any]:
    """The --json shape of one compare row (docs/cli-review.md)."""
    return {
        "indicator": _ref(r.indicator), "level": r.level, "max_score": r.max_score,
        "self_score": r.self_score, "province_score": r.province_score, "difference": r.difference,
        "points_lost": points_lost(r), "deduction_reason": r.deduction_reason, "problems": list(r.problems),
    }
