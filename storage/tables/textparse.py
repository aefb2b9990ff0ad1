"""Reading the free text of hand-made tables and plans: numbering, scores written inside a
title, key and veto marks, numeric targets, department lists and deadlines.

Everything here is pure (no database), so the importers and their tests share it.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from storage.kernel.text import fold
from storage.tables.assign import find_assignment, read_assignment

# --- cell values -----------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell's value as one clean line-preserving string ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _str_cell_text(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


@functools.lru_cache(maxsize=65536)
def _str_cell_text(value: str) -> str:
    """cell_text of a string (tables repeat the same cells: read each once)."""
    if value.isprintable() and "  " not in value:   # no line breaks, tabs, wide or odd spaces
        return value.strip()
    lines = [" ".join(line.split()) for line in value.replace("\r\n", "\n").replace("\r", "\n")
             .replace("\u3000", " ").split("\n")]
    return "\n".join(_join_vertical([line for line in lines if line])).strip()


_ONE_HAN = re.compile(r"^[\u4e00-\u9fff]$")


def _join_vertical(lines: list[str]) -> list[str]:
    """A name written down a narrow merged cell one character per line ("综\n合\n类",
    "区\n政\n府\n重\n点\n工\n作") is one word: runs of two or more one-character lines are
    joined without a separator; other lines are kept as they are."""
    out: list[str] = []
    run: list[str] = []
    for line in lines + [""]:
        if _ONE_HAN.match(line):
            run.append(line)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if line:
            out.append(line)
    return out


def one_line(text: str) -> str:
    return " ".join((text or "").split())


# --- numbering -------------------------------------------------------------------------------

CN_DIGITS = "零一二三四五六七八九"
_CN = "一二三四五六七八九十百零〇两"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_to_int(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23 (enough for numbering)."""
    if not s:
        return None
    total, num = 0, 0
    for ch in s:
        if ch in "零〇":
            num = 0
        elif ch in CN_DIGITS:
            num = CN_DIGITS.index(ch)
        elif ch == "两":
            num = 2
        elif ch == "十":
            total += (num or 1) * 10
            num = 0
        elif ch == "百":
            total += (num or 1) * 100
            num = 0
        else:
            return None
    return total + num


def int_to_cn(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


@dataclass(frozen=True)
class Numbering:
    """A number found at the start of a title: its style (`kind`), the value(s), and the
    text after it. `kind` keeps dotted depth apart ("dotted3" for 1.1.1)."""

    kind: str
    values: tuple[int, ...]
    rest: str
    label: str


ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
_ROMAN_RX = re.compile(rf"^([{ROMAN}])\s*[、.．]\s*")

_NUMBERING = [
    # (kind, regex); tried in order on NFKC-folded start of text (brackets → half width).
    ("cn", re.compile(rf"^([{_CN}]+)\s*[、.．,，]\s*")),
    ("cn_paren", re.compile(rf"^\(\s*([{_CN}]+)\s*\)\s*[、.．]?\s*")),
    # later parts of a dotted number have one or two digits: "11.121人才梯队" is 11. + text
    ("dotted", re.compile(r"^(\d{1,3}(?:\s*[.．]\s*\d{1,2})+)(?![\d%万亿元倍])\s*[、.．]?\s*")),
    # "1-1", "2-3-1": a code written with hyphens is the dotted code (never a range of months,
    # days or amounts: "1-3月", "10-20万元")
    ("hyphen", re.compile(r"^(\d{1,3}(?:\s*[-－]\s*\d{1,2})+)(?![\d%万亿元倍月日年个项次天人家号])\s*[、.．]?\s*")),
    # "第一项 组织保障", "第二项："
    ("cn_item", re.compile(rf"^第\s*([{_CN}]+)\s*项\s*[、.．：:，,]?\s*")),
    # "第一条 开展…", "第二条、…" (never "第一条生产线…": the mark is followed by a space or a stop)
    ("cn_item", re.compile(rf"^第\s*([{_CN}]+)\s*条(?:\s*[、.．：:，,]\s*|\s+)")),
    ("dec", re.compile(r"^(\d{1,3})\s*[、.．](?!\d)\s*")),
    # "11.121人才梯队项目": a number glued to text that starts with digits (never a decimal:
    # three or more digits, then words)
    ("dec", re.compile(r"^(\d{1,3})\s*[.．](?=\d{3,}[\u4e00-\u9fff])")),
    ("dec_paren", re.compile(r"^\(\s*(\d{1,3})\s*\)\s*[、.．]?\s*")),
    ("circle", re.compile(rf"^([{CIRCLED}])\s*[、.．]?\s*")),
    ("dec_space", re.compile(r"^(\d{1,3})\s+(?=[\u4e00-\u9fff*★])")),
]


@functools.lru_cache(maxsize=65536)
def parse_numbering(text: str) -> Numbering | None:
    """The numbering at the start of `text` (一、 （一） 1. 1.1.1 (1) ① …), or None (cached: a
    plan's paragraphs are looked at more than once; a Numbering is immutable).

    Full-width and half-width forms are both read: the text is NFKC-folded for matching only.
    """
    if not text:
        return None
    src = text.lstrip()
    folded = unicodedata.normalize("NFKC", src)
    # NFKC maps Ⅱ to "II": Roman numerals ("Ⅱ、", "Ⅳ．") are read on the original (round 10);
    # "Ⅲ—2" (a level-and-sequence mark) is no Roman number of its own
    rm = _ROMAN_RX.match(src)
    if rm:
        return Numbering("roman", (ROMAN.index(rm.group(1)) + 1,), src[rm.end():], src[: rm.end()].strip())
    # NFKC maps ① to "1" ; check the circled form on the original first.
    if src[:1] in CIRCLED:
        m = next(rx for kind, rx in _NUMBERING if kind == "circle").match(src)
        if m:
            return Numbering("circle", (CIRCLED.index(src[0]) + 1,), src[m.end():], src[: m.end()].strip())
    for kind, rx in _NUMBERING:
        if kind == "circle":
            continue
        m = rx.match(folded)
        if not m:
            continue
        raw = m.group(1)
        if kind in ("cn", "cn_paren", "cn_item"):
            v = cn_to_int(raw)
            if v is None:
                continue
            values: tuple[int, ...] = (v,)
        elif kind in ("dotted", "hyphen"):
            values = tuple(int(x) for x in re.split(r"\s*[.．\-－]\s*", raw))
            kind = f"dotted{len(values)}"
        else:
            values = (int(raw),)
        # Map the folded match length back onto the original (NFKC keeps lengths for these).
        end = _orig_end(src, folded, m.end())
        return Numbering(kind, values, src[end:], src[:end].strip())
    return None


def _orig_end(src: str, folded: str, folded_end: int) -> int:
    if len(src) == len(folded):
        return folded_end
    # Rare (a compatibility character that folds to several): walk until lengths agree.
    for i in range(len(src) + 1):
        if len(unicodedata.normalize("NFKC", src[:i])) >= folded_end:
            return i
    return len(src)


# --- scores, marks, targets --------------------------------------------------------------------

# "（10分）", "(10 分)", "（满分10分）", "（计10分）", "〔10分〕", "【10分】" at the end of a title; a
# note on how the points are taken may follow them ("（共60分，扣完为止）", "（10分，扣完为止）")
_SCORE_IN_TEXT = re.compile(
    r"[(（〔【\[]\s*(?:满分|计|共|分值|总分)?\s*[:：]?\s*(\d+(?:\.\d+)?)\s*分"
    r"(?:\s*[，,；;]\s*(?:扣完为止|扣完即止|扣满为止|扣完不再扣分|不得倒扣|不倒扣))?"
    r"\s*[)）〕】\]]\s*[。；;.]?\s*$")
_SCORE_VALUE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:分)?\s*$")
KEY_MARKS = "*★☆＊"


def plain_decimal(d: Decimal) -> Decimal:
    """4.0 → 4, 100 stays 100 (never 1E+2), 2.50 → 2.5."""
    d = d.normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def parse_score(value: object) -> Decimal | None:
    """A score cell: 4, 4.0, "4", "4分", "（4分）"; None for anything else."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return plain_decimal(Decimal(str(value))) if value == value else None
    text = unicodedata.normalize("NFKC", str(value)).strip().strip("()")
    m = _SCORE_VALUE.match(text)
    if not m:
        return None
    try:
        return plain_decimal(Decimal(m.group(1)))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Title:
    """A title cleaned of its numbering, trailing "(16分)" and leading key mark. `rule` is what
    follows a title that states its points before a colon ("粮食生产（3分）：完成…计1分")."""

    text: str
    numbering: Numbering | None = None
    score: Decimal | None = None
    is_key: bool = False
    rule: str = ""


@functools.lru_cache(maxsize=32768)
def clean_title(raw: str) -> Title:
    """A title cell read (cached: a merged level cell is filled into every row below it, so
    the same title is read again row after row; a Title is immutable)."""
    text = _LEVEL_SEQ.sub("", one_line(raw), count=1)
    is_key = False
    if text[:1] in KEY_MARKS:
        is_key, text = True, text[1:].lstrip()
    num = parse_numbering(text)
    if num is not None:
        text = num.rest.strip()
    if text[:1] in KEY_MARKS:
        is_key, text = True, text[1:].lstrip()
    score = None
    rule = ""
    m = _SCORE_IN_TEXT.search(text)
    head = None if m else _SCORED_HEAD.match(text)
    bare = None if m or head else (_BARE_SCORE.match(text) or _BRACKET_NUMBER.match(text))
    if bare and _RULE_WORDS.search(bare.group(1)):
        bare = None
    if m:
        score = plain_decimal(Decimal(m.group(1)))
        text = text[: m.start()].rstrip()
    elif bare:
        score = plain_decimal(Decimal(bare.group(2)))
        text = bare.group(1).rstrip()
    elif head:
        score = plain_decimal(Decimal(head.group(2)))
        text, rule = head.group(1).rstrip(), head.group(3).strip()
    if text[-1:] in KEY_MARKS:
        is_key, text = True, text[:-1].rstrip()
    # a title taken from a requirement sentence ("进一步健全质量工作组织体系。") ends without the
    # sentence's full stop
    text = text.rstrip("。；;").rstrip()
    return Title(text=text, numbering=num, score=score, is_key=is_key, rule=rule)


# "Ⅲ—2 党员干部学习": a level-and-sequence code (the 文明城市 测评体系 numbers its 测评项目 Ⅰ—1,
# 指标 Ⅱ—1…, 测评内容 Ⅲ—1… running on through the sheet) names the level, not a path: the tree
# the level columns draw gives the code, and the mark is no part of the title
_LEVEL_SEQ = re.compile(r"^[ⅠⅡⅢⅣⅤ]\s*[—\-－–]\s*\d{1,3}\s*")

# "安全目标 50分" (the points on a line of their own under a category written down its cell),
# "安全基础管理15分": a short name and its points with no brackets. A name with words of a rule
# in it ("计5分", "扣2分", "每少一项…", "满分10分") is a rule, not a title.
_BARE_SCORE = re.compile(r"^([^\d：:（()）]{2,20}?)\s*(\d+(?:\.\d+)?)\s*分$")
# "基础工作（70）": a short group name with its points in brackets, 分 left out
_BRACKET_NUMBER = re.compile(r"^([^\d：:（()）]{2,12}?)\s*[（(]\s*(\d{1,3}(?:\.\d+)?)\s*[)）]$")
# A rule is told by its phrases ("计5分", "得2分", "扣1分", "每少一项", "满分", "不得分", "未完成"),
# never by a character alone: "编制年度计划 2分" and "获得市级表彰 3分" are names with points
# (round 10; before, any 计/得/不 in the name made it a rule)
_RULE_WORDS = re.compile(
    r"计\s*\d|得\s*\d|得分|不得|扣|加分|减分|加\s*\d|减\s*\d|奖|罚|每[少缺有一二三四五六七八九十\d项个次人家件条年月]"
    r"|满分|满\s*\d|共计|共\s*\d|最高|最多|最低|超过|超出|未(?:完成|达到|达标|按|开展|落实|建立|制定|提交|报送)"
    r"|不(?:足|到位|达标|合格|满)|以内|以下|[计得共满加减扣]\s*$")

# "粮食生产（3分）：完成全年任务计1分…": a short title, its points, then its rule after a colon
_SCORED_HEAD = re.compile(
    r"^([^：:（(〔【]{2,30}?)\s*[（(〔【]\s*(?:满分|计|共|分值)?\s*(\d+(?:\.\d+)?)\s*分\s*[)）〕】]\s*[:：]\s*(\S.*)$")


@functools.lru_cache(maxsize=32768)
def title_key(text: str) -> str:
    """The key titles are matched by across files: cleaned, folded, punctuation dropped."""
    t = clean_title(text).text
    return re.sub(r"[\s,，。.、;；:：\"“”'‘’()（）]", "", fold(t))


@dataclass(frozen=True)
class Target:
    comparator: str
    value: Decimal
    unit: str
    text: str


_CMP = [
    (r"≥|>=|≧|不低于|不少于|不小于|大于等于|达到|达", ">="),
    (r"≤|<=|≦|不高于|不超过|不多于|小于等于|控制在", "<="),
    (r">|高于|大于|超过", ">"),
    (r"<|低于|小于", "<"),
    (r"=|＝|为", "="),
]
# The subject ("工业产品质量监督抽查合格率") runs back to the start of its words: a subject that
# starts at a word boundary is preferred, so a long one is never cut mid-word ("业产品质量…",
# issue 17 item 8); only a run of over 60 letters falls back to its last 12.
_WORD = r"[\u4e00-\u9fffA-Za-z]"
_TARGET = re.compile(
    rf"((?<!{_WORD}){_WORD}{{0,60}}?|{_WORD}{{0,12}}?)\s*("
    + "|".join(p for p, _ in _CMP)
    + r")\s*(\d+(?:\.\d+)?)\s*(%|‰|个百分点|个|家|项|次|人|件|座|所|天|小时|万元|亿元|元|分|米|公里|平方米|吨)?"
)


@functools.lru_cache(maxsize=32768)
def parse_target(text: str) -> Target | None:
    """"合格率≥94%" → (>=, 94, %); "达到100%" → (>=, 100, %); "不低于90%" → (>=, 90, %).

    Only phrases with a unit or a rate word count, so "(16分)" or "3个方面" stay plain text.
    """
    if not text:
        return None
    src = unicodedata.normalize("NFKC", text).replace("％", "%")
    for m in _TARGET.finditer(src):
        subject, op, number, unit = m.group(1), m.group(2), m.group(3), m.group(4) or ""
        if unit == "分":
            continue
        if not unit and not re.search(r"率|比例|占比|指数", subject):
            continue
        if op == "为" and not re.search(r"率|比例|占比|指数", subject):
            continue
        cmp = next(c for p, c in _CMP if re.fullmatch(p, op))
        return Target(cmp, plain_decimal(Decimal(number)), unit, m.group(0).strip())
    return None


def is_truthy_mark(value: object) -> bool:
    """A yes-mark in a veto/key column: 是, √, ✓, Y, ★, 一票否决, 1."""
    t = fold(cell_text(value))
    if not t:
        return False
    return t in {"是", "√", "✓", "✔", "y", "yes", "1", "★", "*", "x", "是否"} or "否决" in t or t.startswith("是")


# --- departments -------------------------------------------------------------------------------

DEPT_SPLIT = re.compile(r"[、，,；;/\n\s]+")
_CONJ = re.compile(r"(?<=[局委办室院所队站心会门位府处厅司行社团联馆])(?:及|和|与|以及)(?=[各县市区乡镇街])")
_ROLE_PAREN = re.compile(r"[(（]\s*(牵头(?:单位|部门)?|主责|配合(?:单位|部门)?|协办|参与|责任单位)\s*[)）]")
_TRAILING = [
    re.compile(r"(?:按照?|根据)?(?:各自)?职责(?:分工)?(?:共同|分别)?(?:负责|落实|做好)?$"),
    re.compile(r"(?:分工)?(?:负责|牵头负责|具体负责)$"),
    re.compile(r"(?:共同|协助|协同)?(?:配合落实|配合|参与|落实|实施|推进)$"),
]
_ETC = re.compile(r"等(?:相关|有关|其他)?(?:部门|单位|成员单位|部门单位)?(?:和|及|、)?(?:部门|单位)?$")
_NOT_A_NAME = {"", "单位", "部门", "等", "各", "相关", "有关", "及", "和"}
LEAD_WORDS = ("牵头",)
COOP_WORDS = ("配合", "协办", "参与", "协助", "协同")

_LABELS = re.compile(
    r"(牵头单位|牵头部门|主责单位|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位)\s*[:：]"
)


@dataclass
class Assignment:
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    lead_marked: bool = False   # the lead came from a mark, not from the first-named rule
    persons: list[tuple[str, str]] = field(default_factory=list)  # (label, name): 牵头领导：张三
    deadline_text: str = ""     # a deadline written beside the assignment

    @property
    def units(self) -> list[str]:
        return self.lead + self.cooperating

    @property
    def all(self) -> list[str]:
        return self.lead + self.cooperating


def _clean_name(token: str) -> tuple[str, str | None, bool]:
    """A department name stripped of role words; the role it carried (lead/coop/None), and
    whether that role was a bracketed mark of this name alone ("县市场监管局（牵头）")."""
    role = None
    t = token.strip(" 　:：。.")
    m = _ROLE_PAREN.search(t)
    own = bool(m)
    if m:
        word = m.group(1)
        role = "lead" if word.startswith(("牵头", "主责")) else "coop"
        t = (t[: m.start()] + t[m.end():]).strip()
    for _ in range(3):
        before = t
        if t.endswith(("牵头负责", "牵头")):
            role = role or "lead"
        elif t.endswith(COOP_WORDS) or re.search(r"(配合落实|配合|协助|参与)$", t):
            role = role or "coop"
        for rx in _TRAILING:
            t = rx.sub("", t).strip()
        t = re.sub(r"牵头(负责)?$", "", t).strip()
        t = _ETC.sub("", t).strip()
        if t == before:
            break
    t = t.strip(" 　:：。.，,")
    return t, role, own


def split_departments(text: str) -> list[tuple[str, str | None]]:
    """Names in one cell, in order, each with the role its own words gave it."""
    t = one_line((text or "").replace("\n", "、"))
    t = _CONJ.sub("、", t)
    out: list[tuple[str, str | None]] = []
    pending: list[int] = []
    # Protect brackets that belong to names (各乡镇（街道）) from the splitter.
    for raw in _split_outside_brackets(t):
        name, role, own = _clean_name(raw)
        if name in _NOT_A_NAME or len(name) < 2 and not name.startswith("各"):
            # A bare verb ("单位按职责分工负责"): its role still applies to what came before.
            if role:
                for i in pending:
                    out[i] = (out[i][0], role)
                pending = []
            continue
        out.append((name, role))
        if role and not own:
            # "A、B配合" : a trailing verb covers the names since the last role.
            for i in pending:
                out[i] = (out[i][0], role)
            pending = []
        else:
            pending.append(len(out) - 1)
    return out


def _split_outside_brackets(text: str) -> list[str]:
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch in "(（[【〔":
            depth += 1
        elif ch in ")）]】〕":
            depth = max(0, depth - 1)
        if depth == 0 and DEPT_SPLIT.fullmatch(ch):
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return [p for p in parts if p.strip()]


def parse_assignment(text: str, *, first_is_lead: bool = True) -> Assignment:
    """Lead and cooperating departments from one text, read by the one grammar of
    assignments (storage/tables/assign.py): "A（牵头）、B、C", "A牵头，B、C等单位及各镇街配合落实",
    "A、B等部门按职责分工负责", "牵头单位：A；责任单位：B、C", "由A负责", plain lists. Without
    any mark, the first-named is the lead unless `first_is_lead` is False.
    """
    lead, coop, marked, persons, deadline = _reading(text or "", first_is_lead)
    return Assignment(lead=list(lead), cooperating=list(coop), lead_marked=marked,
                      persons=list(persons), deadline_text=deadline)


@functools.lru_cache(maxsize=4096)
def _reading(text: str, first_is_lead: bool) -> tuple[tuple[str, ...], tuple[str, ...], bool,
                                                     tuple[tuple[str, str], ...], str]:
    """Tables repeat the same department cells row after row: read each text once."""
    r = read_assignment(text, first_is_lead=first_is_lead)
    return tuple(r.lead), tuple(r.cooperating), r.lead_marked, tuple(r.persons), r.deadline_text


def _dedupe(res: Assignment) -> None:
    seen: set[str] = set()
    for lst in (res.lead, res.cooperating):
        keep = []
        for n in lst:
            k = fold(n)
            if k not in seen:
                seen.add(k)
                keep.append(n)
        lst[:] = keep


# An inline assignment in a plan: a bracketed clause naming departments and a verb.
_ASSIGN_VERB = re.compile(r"(负责|牵头|配合|落实|承办|实施)\s*$")
_DEPT_WORD = re.compile(r"(局|委|办|中心|政府|乡镇|街道|镇街|部门|单位|院|所|公司|队|站|处|厅|会|分局|社|行)")


def find_inline_assignment(paragraph: str) -> tuple[str, str] | None:
    """The bracketed assignment in a plan paragraph: (inner text, paragraph without it).

    "(2011-2020年)", "(见附件1)" or "(此件公开发布)" are not assignments: the grammar must
    read every part of the bracket as a unit, a person or a deadline.
    """
    found = find_assignment(paragraph)
    if found is None or found.start == 0 or paragraph[found.start - 1] not in "(（":
        return None
    return found.span_text(paragraph), found.task


def _bracket_groups(text: str) -> list[tuple[int, int]]:
    """Top-level (…)/（…） spans, nesting allowed, mixed widths allowed."""
    out, depth, start = [], 0, -1
    for i, ch in enumerate(text):
        if ch in "(（":
            if depth == 0:
                start = i
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i))
    return out


# --- deadlines ---------------------------------------------------------------------------------

_RECURRING = re.compile(r"每(?:年|季度?|月|半年|周|旬)|按季度?|按月|按年|定期")
_NO_DATE = re.compile(r"长期坚持|长期|持续推进|持续|常态化|长效")
_YMD = re.compile(r"((?:19|20)\d{2})\s*[年.\-/／]\s*(\d{1,2})\s*[月.\-/／]\s*(\d{1,2})\s*日?")
_YM_END = re.compile(r"(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(?:底|末|份|中旬|上旬|下旬)?")
_MD = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_Y_END = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:底|末|年底|年末|内|)")
_HALF = re.compile(r"(?:((?:19|20)\d{2})\s*年\s*)?(上半年|下半年|第?([一二三四1-4])季度)")


@dataclass(frozen=True)
class Deadline:
    date: dt.date | None
    kind: str   # date | recurring | none
    text: str


def excel_serial_to_date(n: float) -> dt.date | None:
    if 20000 <= n <= 80000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(n))
    return None


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def parse_deadline(value: object, *, default_year: int | None = None) -> Deadline:
    """A deadline cell: a date, an Excel serial number, or text.

    "2023年6月底前" → 2023-06-30; "8月31日前" → that date in `default_year` (the framework's
    year); "每季度" → recurring; "长期坚持" → no date. The original text is always kept.
    """
    if value is None or value == "":
        return Deadline(None, "none", "")
    if isinstance(value, dt.datetime):
        return Deadline(value.date(), "date", value.date().isoformat())
    if isinstance(value, dt.date):
        return Deadline(value, "date", value.isoformat())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        d = excel_serial_to_date(float(value))
        text = cell_text(value)
        return Deadline(d, "date", d.isoformat() if d else text) if d else Deadline(None, "none", text)
    text = cell_text(value)
    src = unicodedata.normalize("NFKC", text)
    try:
        m = _YMD.search(src)
        if m:
            return Deadline(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "date", text)
        m = _HALF.search(src)
        if m and (m.group(1) or default_year):
            y = int(m.group(1) or default_year or 0)
            word = m.group(2)
            if word == "上半年":
                return Deadline(dt.date(y, 6, 30), "date", text)
            if word == "下半年":
                return Deadline(dt.date(y, 12, 31), "date", text)
            q = m.group(3)
            qn = cn_to_int(q) if q in "一二三四" else int(q)
            if qn and not _RECURRING.search(src):
                return Deadline(_month_end(y, qn * 3), "date", text)
        m = _MD.search(src)
        if m:
            ym = re.search(r"((?:19|20)\d{2})\s*年\s*" + re.escape(m.group(0)), src)
            md_year = int(ym.group(1)) if ym else default_year
            if md_year:
                return Deadline(dt.date(md_year, int(m.group(1)), int(m.group(2))), "date", text)
        m = _YM_END.search(src)
        if m and 1 <= int(m.group(2)) <= 12 and (m.group(1) or default_year):
            y = int(m.group(1) or default_year or 0)
            return Deadline(_month_end(y, int(m.group(2))), "date", text)
        m = _Y_END.search(src)
        if m and re.search(r"年\s*(底|末|年底|年末|内)", src):
            return Deadline(dt.date(int(m.group(1)), 12, 31), "date", text)
        if default_year and re.search(r"(?<!\d)(年底|年末|年内)", src):
            return Deadline(dt.date(default_year, 12, 31), "date", text)
    except ValueError:
        pass  # an impossible date such as 2月30日: keep the text
    if _RECURRING.search(src):
        return Deadline(None, "recurring", text)
    if _NO_DATE.search(src):
        return Deadline(None, "none", text)
    return Deadline(None, "none", text)
