"""Finding the current framework's indicators from what a province's document writes: a
stated code ("1.1.2"), else a title compared by similarity. Shared by the score sheet and
the report readers."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.catalogue.queries import current_framework_id
from storage.kernel.errors import BadInput
from storage.kernel.text import fold
from storage.models import Indicator
from storage.readmodels.review import IndicatorRef
from storage.tables.textparse import title_key

# A title is taken as the indicator's when it is this similar and clearly ahead of the next.
SIMILAR = 0.6
CLEAR_LEAD = 0.08
_SAMPLE = re.compile(r"^示例")


@dataclass(frozen=True)
class Found:
    """What matching one written reference gave: matched (one indicator), ambiguous
    (several candidates, the clerk chooses) or unmatched."""

    state: str                                  # matched | ambiguous | unmatched
    indicator: IndicatorRef | None = None
    candidates: tuple[IndicatorRef, ...] = ()
    how: str = ""                               # 编号 | 名称 | 更正
    similarity: float = 0.0


def norm_code(code: str) -> str:
    """"1.1.1." / "１．１．１" → "1.1.1"."""
    return fold(code).replace("．", ".").replace("。", ".").strip(".")


def _key(title: str) -> str:
    return _SAMPLE.sub("", title_key(title))


class IndicatorIndex:
    """The indicators of one framework, by code and by title key."""

    def __init__(self, session: Session, framework_id: int | None = None) -> None:
        fid = framework_id if framework_id is not None else current_framework_id(session)
        if fid is None:
            raise BadInput("档案库中还没有指标体系，请先导入指标体系",
                           "the archive has no indicator system yet; import one first")
        self.framework_id: int = fid
        rows = session.execute(
            select(Indicator.id, Indicator.code, Indicator.title, Indicator.level, Indicator.max_score)
            .where(Indicator.framework_id == fid).order_by(Indicator.level, Indicator.position, Indicator.id)
        ).all()
        self.refs: dict[int, IndicatorRef] = {r.id: IndicatorRef(r.id, r.code or "", r.title) for r in rows}
        self.level: dict[int, int] = {r.id: r.level for r in rows}
        self.max_score: dict[int, float | None] = {
            r.id: (float(r.max_score) if r.max_score is not None else None) for r in rows}
        self.by_code: dict[str, int] = {norm_code(r.code): r.id for r in rows if r.code}
        self.keys: dict[int, str] = {r.id: _key(r.title) for r in rows}

    def by_stated_code(self, code: str) -> IndicatorRef | None:
        iid = self.by_code.get(norm_code(code)) if code else None
        return self.refs[iid] if iid is not None else None

    def code_ref(self, code: str) -> IndicatorRef:
        """The indicator of a code the clerk typed; a refusal naming the code if none."""
        ref = self.by_stated_code(code)
        if ref is None:
            raise BadInput(f"当前指标体系中没有编号为“{code}”的指标",
                           f"no indicator with the code '{code}' in the current indicator system")
        return ref

    def find(self, code: str, title: str, *, level: int | None = None) -> Found:
        """Match by the stated code first, else by title similarity (exact title keys win;
        `level`, when the document says it, narrows title candidates)."""
        ref = self.by_stated_code(code)
        if ref is not None:
            return Found("matched", ref, (ref,), "编号", 1.0)
        key = _key(title)
        if not key:
            return Found("unmatched")
        pool = [i for i in self.refs if level is None or self.level[i] == level] or list(self.refs)
        exact = [i for i in pool if self.keys[i] == key]
        if len(exact) == 1:
            return Found("matched", self.refs[exact[0]], (self.refs[exact[0]],), "名称", 1.0)
        if len(exact) > 1:
            return Found("ambiguous", None, tuple(self.refs[i] for i in exact), "名称", 1.0)
        scored = sorted(((self._similarity(key, self.keys[i]), i) for i in pool), reverse=True)
        scored = [(s, i) for s, i in scored if s >= SIMILAR]
        if not scored:
            return Found("unmatched")
        best, iid = scored[0]
        close = [self.refs[i] for s, i in scored if best - s < CLEAR_LEAD]
        if len(close) == 1:
            return Found("matched", self.refs[iid], (self.refs[iid],), "名称", round(best, 3))
        return Found("ambiguous", None, tuple(close[:5]), "名称", round(best, 3))

    @staticmethod
    def _similarity(a: str, b: str) -> float:
        if not a or not b:
            return 0.0
        if a in b or b in a:
            return max(SIMILAR + 0.2, min(len(a), len(b)) / max(len(a), len(b)))
        return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()

    def in_text(self, text: str) -> Found:
        """An indicator a heading names: a code at its start, else the longest indicator
        title it contains (a tie between different indicators is ambiguous)."""
        m = re.match(r"^\s*(?:指标\s*)?(\d+(?:[.．]\d+)+)", fold(text))
        if m:
            ref = self.by_stated_code(m.group(1))
            if ref is not None:
                return Found("matched", ref, (ref,), "编号", 1.0)
        key = _key(text)
        hits = [(len(k), i) for i, k in self.keys.items() if len(k) >= 4 and k in key]
        if not hits:
            return Found("unmatched")
        longest = max(n for n, _ in hits)
        best = [i for n, i in hits if n == longest]
        if len(best) == 1:
            return Found("matched", self.refs[best[0]], (self.refs[best[0]],), "名称", 1.0)
        return Found("ambiguous", None, tuple(self.refs[i] for i in best), "名称", 1.0)
