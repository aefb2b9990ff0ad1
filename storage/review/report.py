"""The province's evaluation report (评价结果报告) from Word: per-indicator sections found by
code or title, and the problems each states — "存在问题：1. …2. …", "（一）…" under a
存在问题 heading, "扣分说明：…", "建议：…" — in paragraphs or in a table (指标 | 存在问题 | …).

The document is opened through storage.tables.plan_import.open_plan (the container checked
by storage.kernel.fsio first; .doc/.wps converted by LibreOffice); python-docx never sees an
unchecked file.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.kernel.errors import BadInput
from storage.kernel.text import fold
from storage.models import ReviewProblem, ReviewProblemIndicator, utcnow
from storage.readmodels.review import IndicatorRef
from storage.review.index import Found, IndicatorIndex
from storage.tables.plan_import import open_plan
from storage.tables.plan_tasks import TABLE_SEP

KINDS = ("问题", "扣分说明", "建议")
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("问题", re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)?\s*"
                      r"(?:存在(?:的)?(?:主要)?问题|主要问题|问题及不足|存在不足|发现问题)\s*[:：]?\s*")),
    ("扣分说明", re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)?\s*"
                        r"(?:扣分说明|扣分原因|扣分情况|失分原因)\s*[:：]?\s*")),
    ("建议", re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)?\s*"
                      r"(?:意见建议|整改建议|改进建议|建议)\s*[:：]\s*")),
)
# the start of one numbered item inside a paragraph: 1. 1、 （1） (1) ① （一）
_ITEM = re.compile(r"(?:^|(?<=[\s；;。]))"
                   r"(?:\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[）)]|[①-⑳]|（[一二三四五六七八九十]{1,3}）)\s*")
_HEADING_MAX = 60


@dataclass(frozen=True)
class ReportProblem:
    """One problem the report states, with the indicator(s) it was found under."""

    paragraph: int                      # 1-based paragraph of the document (table rows count as one)
    kind: str                           # 问题 | 扣分说明 | 建议
    text: str
    section: str                        # the heading it stood under, as written
    state: str                          # matched | ambiguous | unmatched | skipped
    indicators: tuple[IndicatorRef, ...] = ()
    candidates: tuple[IndicatorRef, ...] = ()
    how: str = ""


@dataclass(frozen=True)
class ReportPreview:
    file_name: str
    paragraphs: int
    problems: tuple[ReportProblem, ...]

    def count(self, state: str) -> int:
        return sum(1 for p in self.problems if p.state == state)


def split_items(text: str) -> list[str]:
    """"1. 甲；2. 乙" → ["甲", "乙"]; a text with no numbering is one item."""
    text = text.strip()
    starts = [m for m in _ITEM.finditer(text)]
    if not starts:
        return [text] if text else []
    out = []
    head = text[: starts[0].start()].strip(" ：:；;")
    if head:
        out.append(head)
    for k, m in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        item = text[m.end():end].strip().rstrip("；;").strip()
        if item:
            out.append(item)
    return out


def _marker(text: str) -> tuple[str, str] | None:
    for kind, rx in _MARKERS:
        m = rx.match(text)
        if m:
            return kind, text[m.end():]
    return None


def _is_item(text: str) -> bool:
    return _ITEM.match(text) is not None


def parse_report(index: IndicatorIndex, texts: list[str],
                 corrections: dict[int, str] | None = None) -> list[ReportProblem]:
    """The problems in a report's paragraphs, each under the indicator heading before it."""
    corrections = corrections or {}
    out: list[ReportProblem] = []
    section = ""
    found = Found("unmatched")
    kind: str | None = None

    def add(n: int, k: str, body: str, where: Found, heading: str) -> None:
        for item in split_items(body):
            if len(item) < 4:
                continue
            out.append(_problem(index, n, k, item, where, heading, corrections))

    for n, raw in enumerate(texts, start=1):
        text = " ".join(raw.split())
        if not text:
            continue
        if TABLE_SEP in text:
            _table_row(index, n, text, add)
            continue
        marker = _marker(text)
        if marker is not None:
            kind, body = marker
            if body:
                add(n, kind, body, found, section)
            continue
        # an inline section: "1.1.1 成立工作领导小组：存在问题：1. …"
        head, sep, rest = text.partition("：")
        inline = _marker(rest) if sep else None
        if inline is not None:
            f = index.in_text(head)
            if f.state != "unmatched":
                section, found, kind = head, f, inline[0]
                if inline[1]:
                    add(n, inline[0], inline[1], found, section)
                continue
        if len(text) <= _HEADING_MAX and not text.endswith(("。", "；")):
            f = index.in_text(text)
            if f.state != "unmatched" and not (kind and _is_item(text) and f.how == "名称" and len(text) > 30):
                section, found, kind = text, f, None
                continue
        if kind is not None and (_is_item(text) or (
                kind != "问题" and (len(text) > _HEADING_MAX or text.endswith(("。", "；"))))):
            add(n, kind, text, found, section)
        elif _ITEM.match(text) is None and len(text) <= _HEADING_MAX and not text.endswith("。"):
            kind = None  # another heading (一、总体情况): leave the problem list
    return out


def _table_row(index: IndicatorIndex, n: int, text: str, add: Callable[[int, str, str, Found, str], None]) -> None:
    cells = [c.strip() for c in text.split(TABLE_SEP)]
    if any(_marker(c + "：") and len(c) <= 6 for c in cells):
        return  # the header row
    found = Found("unmatched")
    head = ""
    for c in cells:
        if c and len(c) <= _HEADING_MAX:
            f = index.in_text(c) if not re.fullmatch(r"[\d.．]+", fold(c)) else index.find(c, "")
            if f.state != "unmatched":
                found, head = f, c
                break
    for c in cells:
        if c == head or len(c) < 8 or re.fullmatch(r"[\d.．分\s-]+", c):
            continue
        m = _marker(c)
        kind, body = m if m is not None else ("问题", c)
        add(n, kind, body, found, head)


def _problem(index: IndicatorIndex, n: int, kind: str, text: str, found: Found, section: str,
             corrections: dict[int, str]) -> ReportProblem:
    if n in corrections:
        wanted = corrections[n].strip()
        if not wanted or wanted in ("-", "skip", "跳过"):
            return ReportProblem(n, kind, text, section, "skipped")
        refs = tuple(index.code_ref(c) for c in re.split(r"[+,，、]", wanted) if c.strip())
        return ReportProblem(n, kind, text, section, "matched", refs, refs, "更正")
    if found.state == "matched" and found.indicator is not None:
        return ReportProblem(n, kind, text, section, "matched", (found.indicator,), found.candidates, found.how)
    return ReportProblem(n, kind, text, section, found.state, (), found.candidates, found.how)


def preview_report(session: Session, path: str | Path, *,
                   corrections: dict[int, str] | None = None) -> ReportPreview:
    """Read the report and match its problems (no writes). `corrections`: paragraph
    number → indicator code(s) ("1.1.1+1.1.2"), "" to leave a paragraph's problems out."""
    path = Path(path)
    index = IndicatorIndex(session)
    paras, _converted = open_plan(path)
    texts = [p.text for p in paras]
    problems = parse_report(index, texts, corrections)
    if not problems:
        raise BadInput(
            f"{path.name} 中没有找到问题：评价结果报告应按指标写明“存在问题：1. …”“扣分说明：…”或“建议：…”",
            f"no problems found in {path.name}: an evaluation report states per indicator "
            "'存在问题：1. …', '扣分说明：…' or '建议：…'",
        )
    return ReportPreview(path.name, len(texts), tuple(problems))


def save_problems(session: Session, preview: ReportPreview, framework_id: int) -> list[ReviewProblem]:
    """Write the matched problems (a problem already imported from the same file with the
    same text and indicators is not written twice). Returns the new rows."""

    existing = {
        (p.text, p.kind) for p in session.scalars(
            select(ReviewProblem).where(ReviewProblem.framework_id == framework_id,
                                        ReviewProblem.source_file == preview.file_name))
    }
    now = utcnow()
    out: list[ReviewProblem] = []
    for p in preview.problems:
        if p.state != "matched" or (p.text, p.kind) in existing:
            continue
        existing.add((p.text, p.kind))
        row = ReviewProblem(framework_id=framework_id, kind=p.kind, text=p.text,
                            source_file=preview.file_name, source_paragraph=p.paragraph, imported_at=now)
        session.add(row)
        session.flush()
        for ref in dict.fromkeys(p.indicators):
            session.add(ReviewProblemIndicator(problem_id=row.id, indicator_id=ref.id))
        out.append(row)
    session.flush()
    return out
