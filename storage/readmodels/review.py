"""Read models of the cycle after a submission (issue 16): the province's evaluation,
rectification (整改) items, self-assessment checkpoints and rounds.

Plain frozen dataclasses, no SQLAlchemy: storage.review fills them; ui/ and exporters/
receive them. The field names are the contract between storage, the documents and the
window; add fields with defaults rather than renaming.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

# Status words of a rectification item, as the county writes them in its 整改台账.
RECTIFY_STATUSES: tuple[str, ...] = ("未开始", "整改中", "已完成", "长期坚持")
RECTIFY_SOURCE_OWN = "县自查"   # the source of an item the county added by hand (the only kind it may delete)


@dataclass(frozen=True)
class IndicatorRef:
    """An indicator as a document names it: its stated code and its title."""

    id: int
    code: str
    title: str


@dataclass(frozen=True)
class ReviewScoreRow:
    """One indicator's self score beside the province's score (评价结果), for the compare view
    and the compare sheet. `difference` is province minus self (negative: the province gave
    less); None when either score is missing."""

    indicator: IndicatorRef
    level: int
    max_score: float | None
    self_score: float | None
    province_score: float | None
    difference: float | None
    deduction_reason: str = ""     # 扣分原因 / 扣分说明 as the province wrote it
    problems: tuple[str, ...] = () # 存在问题 from the report, in order


def below_self(r: ReviewScoreRow) -> bool:
    """The province gave less than the county's own score."""
    return r.difference is not None and r.difference < 0


def below_full(r: ReviewScoreRow) -> float:
    """Points the province withheld against the full score (0 when none or unknown)."""
    if r.max_score is None or r.province_score is None:
        return 0.0
    return max(0.0, r.max_score - r.province_score)


def lost_first(rows: Sequence[ReviewScoreRow]) -> list[ReviewScoreRow]:
    """The compare order everywhere (view, sheet): indicators scored below the self score
    first (the largest gap first), then those that lost points against the full score (the
    most first), then every other row; ties keep the order given (framework order)."""
    below = sorted((r for r in rows if below_self(r)), key=lambda r: r.difference or 0.0)
    full = sorted((r for r in rows if not below_self(r) and below_full(r) > 0), key=lambda r: -below_full(r))
    rest = [r for r in rows if not below_self(r) and below_full(r) == 0]
    return below + full + rest


@dataclass(frozen=True)
class RectificationEvidence:
    """A piece of evidence of rectification: its title and, once a rectification bundle
    has been written, its number there (e.g. "3-2"); empty before."""

    evidence_id: int
    title: str
    bundle_number: str = ""
    file_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class RectificationItem:
    """One 整改事项: a problem found by the province (or the county's own 自查), what will be
    done about it, who leads, by when, and the evidence that it was done."""

    id: int
    number: int                              # 序号 in the 整改方案 / 台账, 1-based
    problem: str                             # 存在问题 as written
    source: str                              # where it came from: "评价报告 第3段" / "省评得分表 第12行"
    indicators: tuple[IndicatorRef, ...] = ()
    lead_departments: tuple[str, ...] = ()   # 牵头单位
    cooperating_departments: tuple[str, ...] = ()  # 配合单位
    measures: str = ""                       # 整改措施
    deadline: dt.date | None = None          # 完成时限; None: 长期坚持 or not set
    status: str = "未开始"                   # one of RECTIFY_STATUSES
    progress: str = ""                       # 整改进展 / 完成情况, the clerk's words
    evidence: tuple[RectificationEvidence, ...] = ()
    overdue: bool = False                    # deadline passed and status not 已完成/长期坚持


@dataclass(frozen=True)
class RectificationFacts:
    """What the three documents say around the items: the county (from 设置, never a
    table's placeholder), the programme, the issuing office and the date."""

    county_name: str
    programme: str = "质量强县"               # e.g. "质量强县" / "质量强市"
    framework_name: str = ""
    issuing_office: str = ""                  # e.g. "××县质量强县工作领导小组办公室"
    doc_number: str = ""                      # 文号, optional
    date: dt.date | None = None
    evaluation_title: str = ""                # the province's report it answers


@dataclass(frozen=True)
class CheckpointSummary:
    """One self-assessment checkpoint (自查): when, why, and its headline figures."""

    id: int
    taken_at: dt.datetime
    note: str
    framework_id: int | None
    self_total: float | None
    leaves: int
    leaves_covered: int
    leaves_accepted: int
    preflight_errors: int
    preflight_warnings: int


@dataclass(frozen=True)
class CheckpointChange:
    """One indicator whose state differs between two checkpoints (or a checkpoint and a
    sealed submission): what it was, what it is, in words a clerk reads."""

    indicator: IndicatorRef
    what: str                 # "自评分" / "佐证材料" / "预检"
    before: str
    after: str
    improved: bool | None     # True better, False worse, None neither


@dataclass(frozen=True)
class RoundSummary:
    """One round (轮次) of a programme in the archive: its framework and period."""

    id: int
    name: str
    framework_id: int
    framework_name: str
    period_start: dt.date | None
    period_end: dt.date | None
    started_at: dt.datetime
    current: bool
    indicators: int = 0
    evidence_links: int = 0
    submissions: int = 0
    notes: str = ""


@dataclass(frozen=True)
class IndicatorMatch:
    """How one indicator of a new framework relates to the old one, for the round preview.
    kind: "same" (same code and title), "renamed" (same code or a similar title),
    "split" (one old → several new: the clerk chooses), "merged" (several old → one new),
    "new" (nothing carries), "dropped" (an old indicator with no successor)."""

    kind: str
    new: IndicatorRef | None
    old: tuple[IndicatorRef, ...] = ()
    similarity: float = 0.0
    evidence_to_carry: int = 0
    evidence_outside_period: int = 0
    needs_choice: bool = False
    reasons: tuple[str, ...] = field(default_factory=tuple)
