"""Reading the tasks of a work plan the way a careful clerk reads them.

The paragraphs (typed numbering and Word's automatic numbering already rendered in front of
the text, see plan_import.read_paragraphs) are read in order:

- the notice of a 通知 that wraps the plan (its addressees, "现印发给你们", its own 一、二、
  requirements, signature and date) is skipped: the plan starts at its title, found by the
  title the notice quotes (《…》) or by a title-like line after the notice;
- a numbered paragraph opens a task; unnumbered paragraphs that follow belong to it until an
  assignment closes it, so a task that spans paragraphs keeps its whole text;
- the assignment is read by the one grammar (assign.py), wherever the plan writes it: in a
  bracket at the end or the start, as the last sentence ("此项工作由X牵头负责…"), or on lines
  of its own after the task ("牵头单位：X", "由X承办，A、B配合。", "完成时限：…", "联系人：…");
- bullet lines (▲ ● ◆) straight after a task add to its text.

A plan's numbers are its tasks' numbers ("1.", "（三）", "4.1.1" built from the heading path),
never indicator codes: tasks are linked to indicators only when the clerk confirms.
Every task keeps the span its departments were read from, for the preview.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from storage.catalogue.frameworks import DutySpec
from storage.tables.assign import (
    LABEL_ROLE,
    KnownFn,
    Reading,
    bracket_groups,
    collapse_spaced_labels,
    find_assignment,
    is_unit_name,
    label_at_start,
    read_assignment,
)
from storage.tables.textparse import (
    Numbering,
    cn_to_int,
    one_line,
    parse_deadline,
)
from storage.tables.textparse import (
    parse_numbering as _table_numbering,
)

_NOTICE_END = re.compile(
    r"(?:现|予以|一并)?印发给你们|现印发|印发你们|现将.{0,60}印发|请认真(?:贯彻|组织|遵照|抓好)|请结合(?:实际|以下)"
)
_TITLE_END = re.compile(
    r"(?:方案|计划|要点|清单|分工|意见|细则|办法|规划|措施|举措|任务|分解表?|责任表|责任分工|安排|行动)"
    r"(?:[(（][^)）]{0,16}[)）])?$"
)
_QUOTED = re.compile(r"《([^》]{4,80})》")
_BY_START = re.compile(r"^(?:此项工作|该项工作|本项工作|上述工作|以上工作)?(?:由|均由)")
TABLE_SEP = "\uff5c"   # "｜": between the cells of a Word table's row (plan_import joins them)
_TABLE_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("code", ("序号", "编号", "序")),
    ("lead", ("牵头单位", "牵头部门", "主责单位", "牵头责任单位", "牵头")),
    ("coop", ("配合单位", "配合部门", "参与单位", "协办单位", "协同单位", "协同责任单位", "配合")),
    ("resp", ("责任单位", "责任部门", "实施单位", "承办单位", "责任主体")),
    ("person", ("牵头领导", "责任领导", "分管领导", "责任人", "联系人", "包保领导")),
    ("deadline", ("完成时限", "完成时间", "时间节点", "时限", "完成期限", "时限要求")),
    ("task", ("工作任务", "主要任务", "任务内容", "重点任务", "具体任务", "工作内容", "工作措施", "细化措施",
              "任务措施", "具体措施", "目标任务", "重点工作", "工作事项", "任务", "主要内容", "工作目标")),
)
# "【目标任务】 … 【推进措施】 1. … 2. … 责任单位：X": one task in labelled parts; the numbered
# lines under its measures label are the task's measures, not tasks of their own.
_PART_LABEL = re.compile(r"^[【\[]\s*([\u4e00-\u9fff]{2,8})\s*[】\]]\s*(.*)$")
_BRACKET_LABEL = re.compile(r"[【\[]\s*([\u4e00-\u9fff]{2,8})\s*[】\]]")
_GOAL_PART = re.compile(r"(?:目标任务|任务目标|工作目标|主要目标|年度目标|重点任务|工作任务|主要任务|目标)$")
_RANK: dict[str, float] = {"roman": 0.5, "cn": 1, "cn_paren": 2, "dec": 3, "dec_paren": 4, "circle": 5}


def _rparen_rank(seen: dict[str, float]) -> float:
    """"1）" ranks by what the plan showed before it: in place of "1." when there is none, else
    right below "（1）" (or below "1." when there is no "（1）")."""
    if "dec_paren" in seen:
        return 4.5
    return 3.5 if "dec" in seen else 3
_BULLET = re.compile(r"^[▲●◆■•·◇○□√]")
# "1）加强…", "2) 推进…": a number closed by one bracket, as plans type it (and Word renders "%1)");
# never "1）" followed by a digit or a unit of measure
_RPAREN = re.compile(r"^\s*(\d{1,3})\s*[)）]\s*(?=[\u4e00-\u9fff“《（(【\[A-Za-z])")


def parse_numbering(text: str) -> Numbering | None:
    """A plan paragraph's number: every form the tables read (textparse.parse_numbering), and the
    one-bracket "1）" that plans use for a level of their own."""
    num = _table_numbering(text)
    if num is not None:
        return num
    m = _RPAREN.match(text or "")
    if m is None:
        return None
    src = text.lstrip()
    end = m.end() - (len(text) - len(src))
    return Numbering("dec_rparen", (int(m.group(1)),), src[end:], src[:end].strip())


@dataclass
class PlanTask:
    """A task read from a plan: the duty it becomes, and where it was read from.

    Attributes:
        spec: the draft duty (task text, number path as `code`, lead, cooperating, deadline).
        number: the number as the plan states it ("1.", "（三）"), or "" when it has none.
        first / last: 0-based paragraphs the task spans.
        span: the text its departments were read from (a bracket, a sentence, label lines).
        persons: (label, name) of people named beside the task (牵头领导：张三).
    """

    spec: DutySpec
    number: str = ""
    first: int = 0
    last: int = 0
    span: list[str] = field(default_factory=list)
    persons: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Open:
    code: str
    number: str
    texts: list[str]
    first: int
    parts: bool = False      # a task written in 【labelled】 parts: numbered lines are measures
    level: float = 0           # rank of its numbering (一、 1, （一） 2, 1. 3, （1） 4 …); 0 unnumbered
    title: str = ""          # the numbered title line the body under it took its number from
    body_first: int = 0      # the body's first paragraph, when it took a title's number

    @property
    def title_only(self) -> bool:
        t = "".join(self.texts)
        return not self.parts and len(self.texts) == 1 and len(t) <= 30 and "。" not in t


def plan_start(texts: list[str]) -> int:
    """Index of the first paragraph of the plan itself (after a wrapping notice), or 0."""
    head = texts[:60]
    notice = next((i for i, t in enumerate(head) if _NOTICE_END.search(t) and parse_numbering(t) is None), None)
    if notice is None:
        return 0
    quoted = [q for t in head[: notice + 1] for q in _QUOTED.findall(t)]
    keys = {re.sub(r"\s", "", q) for q in quoted}
    # the title printed over two lines ("…若干政策举措" / "（2025年版）"), or with its edition in brackets
    keys |= {re.sub(r"[（(][^）)]{1,12}[)）]$", "", k) for k in keys}
    for j in range(notice + 1, len(head)):
        if re.sub(r"\s", "", texts[j]) in keys:
            nxt = texts[j + 1].strip() if j + 1 < len(texts) else ""
            return j + 2 if re.fullmatch(r"[（(][^）)]{1,16}[)）]", nxt) else j + 1
    for j in range(notice + 1, len(head)):
        t = texts[j].strip()
        if parse_numbering(t) is None and 6 <= len(t) <= 60 and _TITLE_END.search(t) and "。" not in t:
            return j + 1
    return notice + 1


def _line_reading(text: str, known: KnownFn | None) -> Reading | None:
    """A paragraph that is an assignment on its own (labels, "由X负责…"), else None."""
    text = collapse_spaced_labels(text)
    if label_at_start(text) is not None:
        r = read_assignment(text, known=known)
        if r.units or r.persons or r.deadline_text:
            return r
        return None
    if _BY_START.match(text) and len(text) <= 160:
        r = read_assignment(text.rstrip("。 "), known=known)
        if r.complete:
            return r
    return None


def _merge(task: PlanTask, r: Reading, span: str | list[str], default_year: int | None) -> None:
    spans = [span] if isinstance(span, str) else span
    s = task.spec
    if r.lead_marked or not s.lead:
        lead = r.lead if r.lead_marked or not s.lead else []
        s.lead = s.lead + [n for n in lead if n not in s.lead]
        rest = r.cooperating if (r.lead_marked or lead) else r.units
    else:
        rest = r.units
    s.cooperating = s.cooperating + [n for n in rest if n not in s.lead and n not in s.cooperating]
    if r.units:
        s.departments_text = "；".join(x for x in (s.departments_text, *spans) if x)
    task.persons += [p for p in r.persons if p not in task.persons]
    if r.deadline_text and not s.deadline_text:
        d = parse_deadline(r.deadline_text, default_year=default_year)
        s.deadline, s.deadline_kind, s.deadline_text = d.date, d.kind, d.text
    task.span += spans


def _unit_lines_joined(texts: list[str], known: KnownFn | None) -> tuple[list[str], set[int]]:
    """"牵头单位：" on a line of its own and one unit a line under it ("县市场监管局" / "县工信局"):
    the label and its units as one line ("牵头单位：县市场监管局、县工信局") where the last unit
    stood; the lines before it are left empty, so every paragraph keeps its index. Returns the
    texts and the indexes emptied."""
    out = list(texts)
    emptied: set[int] = set()
    i = 0
    while i < len(out):
        t = one_line(out[i]).strip() if TABLE_SEP not in out[i] else ""
        word = t.rstrip("：: ")
        alone = word == t or t[len(word):].strip() in ("：", ":")
        if word and LABEL_ROLE.get(word) in ("lead", "coop", "resp") and alone:
            j = i + 1
            names: list[str] = []
            while j < len(out) and TABLE_SEP not in out[j]:
                u = one_line(out[j]).strip().rstrip("，,、；;。")
                # a collective written with separators ("县、镇两级人民政府", "各乡（镇）、街道") is one
                # unit on its line (round 10)
                one = bool(u) and re.search(r"[。，,；;、\s]", u) is not None \
                    and read_assignment(u, known=known).units == [u]
                if (not u or parse_numbering(u) is not None or label_at_start(u) is not None
                        or u.rstrip("：:") in LABEL_ROLE or (re.search(r"[。，,；;、\s]", u) and not one)
                        or not is_unit_name(u, known)):
                    break
                names.append(u)
                j += 1
            if names:
                # the joined line stands where its last unit stood: the lines after it (the next
                # label, 完成时限：…) stay next to it
                out[i : j - 1] = [""] * (j - 1 - i)
                emptied.update(range(i, j - 1))
                out[j - 1] = f"{word}：{'、'.join(names)}"
                i = j
                continue
        i += 1
    return out, emptied


def _labels_before_tasks(texts: list[str], emptied: set[int],
                         known: KnownFn | None) -> tuple[list[str], set[int], list[tuple[int, int]]]:
    """Plans that write each task's label lines BEFORE it ("一、…" / "牵头单位：X" / "配合单位：A" /
    "1.…" / "牵头单位：Y" / "2.…" / "二、…"): the labels are the task's after them. Told by the run,
    never by one block: a run of label blocks that starts right under a heading (or the plan's
    opening), stands before every numbered task of one kind in it, and ends with a task that no
    label block follows (the usual form, labels after each task, ends with a label block). Returns
    the texts with each such task moved before its labels (a task and its labels keep the same
    paragraphs between them), the emptied indexes moved alike, and the (first, last) paragraph
    ranges rearranged."""
    n = len(texts)
    lines = [one_line(t).strip() if TABLE_SEP not in t else "\x00" for t in texts]
    # cheap first look: a block of label lines with a short title line (or no numbered line)
    # before it and a numbered line after it; the usual form (labels after a task written as a
    # sentence) never gets past this
    starts = [bool(t) and t != "\x00" and label_at_start(t) is not None for t in lines]
    candidate = False
    i = 0
    while i < n and not candidate:
        if not starts[i] or (i and starts[i - 1]):
            i += 1
            continue
        prev = next((k for k in range(i - 1, -1, -1) if lines[k]), None)
        j = i
        while j < n and (starts[j] or (not lines[j] and j in emptied)):
            j += 1
        title_before = (prev is None or lines[prev] == "\x00" or parse_numbering(lines[prev]) is None
                        or ("。" not in lines[prev].rstrip("。") and len(lines[prev]) <= 40))
        candidate = (title_before and j < n and lines[j] not in ("", "\x00")
                     and parse_numbering(lines[j]) is not None)
        i = j
    if not candidate:
        return texts, emptied, []

    def is_label(i: int) -> bool:
        return starts[i] and _line_reading(lines[i], known) is not None

    nums = [parse_numbering(t) if t and t != "\x00" else None for t in lines]
    # the ranks of the plan's numbering kinds, as parse_plan_tasks gives them (in order met)
    rank: dict[str, float] = {}
    for nm in nums:
        if nm is not None:
            key = "dec" if nm.kind == "dec_space" else nm.kind
            if key not in rank:
                rank[key] = _rparen_rank(rank) if key == "dec_rparen" else _RANK.get(key, 10 + len(rank))

    def rank_of(kind: str) -> float:
        return rank.get("dec" if kind == "dec_space" else kind, 10)

    out, moved, ranges = list(texts), set(emptied), []
    i = 0
    while i < n:
        if not is_label(i):
            i += 1
            continue
        # the start of a run: the line before the first block is no task of the kind that follows
        prev = next((k for k in range(i - 1, -1, -1) if lines[k]), None)
        chain: list[tuple[int, int, int]] = []      # (labels from, task from, task to)
        j = i
        kind = None
        while j < n and is_label(j):
            a = j
            while j < n and (is_label(j) or (not lines[j] and j in emptied)):
                j += 1
            nj = nums[j] if j < n else None
            if nj is None or find_assignment(lines[j], known=known) is not None:
                chain = []
                break
            k = nj.kind
            if kind is None:
                kind = k
                # the run starts under its heading: a title line (no full stop) of a higher rank
                # than the tasks, or the plan's own opening prose
                np_ = nums[prev] if prev is not None else None
                head_line = lines[prev] if prev is not None else ""
                if np_ is not None and (rank_of(np_.kind) >= rank_of(k)
                                        or "。" in head_line.rstrip("。") or len(head_line) > 40):
                    chain = []
                    break
            elif k != kind:
                chain = []
                break
            t0 = j
            j += 1
            while j < n and lines[j] and nums[j] is None and not is_label(j) and lines[j] != "\x00" \
                    and find_assignment(lines[j], known=known) is None:
                j += 1          # the task's own paragraphs
            chain.append((a, t0, j - 1))
        if chain and not (j < n and is_label(j)) and (len(chain) >= 2 or prev is None or nums[prev] is not None):
            for a, t0, t1 in chain:
                task, labs = out[t0 : t1 + 1], out[a:t0]
                empties = [x for x in range(a, t0) if x in moved]
                moved -= set(empties)
                out[a : t1 + 1] = task + labs
                moved |= {x - a + (t1 - t0 + 1) for x in empties}
                ranges.append((a, t1))
            i = j
            continue
        i = max(j, i + 1)
    return out, moved, ranges


def parse_plan_tasks(texts: list[str], *, default_year: int | None = None,
                     known: KnownFn | None = None) -> list[PlanTask]:
    """The tasks of a plan from its paragraph texts (see the module docstring)."""
    texts, emptied = _unit_lines_joined(texts, known)
    texts, emptied, _before = _labels_before_tasks(texts, emptied, known)
    kind_levels: dict[str, float] = {}
    stack: list[tuple[float, int]] = []
    tasks: list[PlanTask] = []
    cur: _Open | None = None
    opened: list[_Open] = []     # numbered items opened since the last task was closed
    last: PlanTask | None = None
    columns: list[str] = []      # unit columns of a table flattened into text, if any

    def code_for(level: float, value: int) -> str:
        nonlocal stack
        stack = [s for s in stack if s[0] < level]
        stack.append((level, value))
        return ".".join(str(v) for _, v in stack)

    inherited: list[tuple[PlanTask, _Open]] = []   # a task whose body took its title's number

    def close(o: _Open, i: int, r: Reading | None, span: str | list[str], task_text: str) -> PlanTask:
        spec = DutySpec(task=task_text, code=o.code, source="plan", row=o.first + 1)
        t = PlanTask(spec=spec, number=o.number, first=o.first, last=i)
        if r is not None:
            _merge(t, r, span, default_year)
        if not o.code and inherited:
            # a second unnumbered task under one title line: the title heads a list of
            # unnumbered tasks ("一、…" over "…（市食安办负责）" "…（各区食安办负责）"), so the first
            # gives its number back
            _give_back_title(*inherited.pop())
        elif o.title:
            inherited[:] = [(t, o)]
        tasks.append(t)
        opened.clear()
        return t

    def with_measures(o: _Open) -> tuple[_Open, str] | None:
        """An assignment standing alone after a run of numbered items none of which had its
        own, the last `o`: when two or more of them are siblings under one numbered item
        ("1.完善应急预案体系" / "（1）…" … "（4）…" / "（责任单位：…）"), the assignment is
        that item's and the run is its measures. Returns (the item, its whole text)."""
        if o.level == 0 or not opened or opened[-1] is not o:
            return None
        k = next((j for j in range(len(opened) - 1, -1, -1) if 0 < opened[j].level < o.level), None)
        if k is None:
            return None
        run = opened[k + 1:]
        if sum(1 for m in run if m.level == o.level) < 2 or any(m.level < o.level for m in run):
            return None
        parent = opened[k]
        text = "".join(parent.texts).strip() + "".join(
            "\n" + m.number + "".join(m.texts).strip() for m in run)
        return parent, text

    heading: tuple[int, str] | None = None   # a unit standing alone over the list that follows
    open_body: PlanTask | None = None        # a title-line task closed by its own lines: its body may follow

    # a numbered heading that names its lead ("一、强化科技创新（区科技局牵头）", "一、县示范区管委会
    # 牵头工作（8项）"): (its level, the reading, the span, the task it was read as, its paragraph)
    block_lead: list[tuple[float, Reading, list[str], PlanTask | None, int]] = []

    def close_under_heading(o: _Open | None, i: int) -> PlanTask | None:
        """A numbered item opened under a unit's heading ("上海市区级人民政府" / "…主要承担以下
        工作：" / 1. … 2. …) that names no unit of its own is that unit's task; so is one under a
        numbered heading that names its lead, and that heading is then no task of its own."""
        if o is None or not o.code:
            return None
        if heading is not None and o.first > heading[0]:
            r = Reading(lead=[heading[1]], complete=True, text=heading[1])
            return close(o, i, r, heading[1], "".join(o.texts).strip())
        if block_lead and o.level > block_lead[0][0] and o.first > block_lead[0][4]:
            _, r, span, head_task, at = block_lead[0]
            if head_task is not None and head_task in tasks:
                tasks.remove(head_task)
                block_lead[0] = (block_lead[0][0], r, span, None, at)
            return close(o, i, r, span, "".join(o.texts).strip())
        return None

    table: dict[str, list[int]] = {}   # role → cell indexes of the Word table being read
    labels: dict[int, str] = {}        # the header's words over each column of that table
    block = ""                         # the number of the block row the table rows stand under
    head = ""                          # the number of the heading the whole table stands under
    header_rows = 0                    # header rows read since the table's last row
    for i in range(plan_start(texts), len(texts)):
        if TABLE_SEP in texts[i]:
            cells = [one_line(c) for c in texts[i].split(TABLE_SEP)]
            header = _table_header(cells)
            filled = {c for c in cells if c}
            if header:
                if header_rows and table:
                    # a second header row (牵头 | 配合 under 责任单位): its roles over the columns it
                    # names, the first row's over the others (序号, 重点任务 written once, unmerged)
                    named = {k for ks in header.values() for k in ks}
                    for role, ks in table.items():
                        rest = [k for k in ks if k not in named]
                        if rest:
                            header.setdefault(role, []).extend(rest)
                table, block = header, ""
                labels = {k: re.sub(r"\s", "", c) or (labels.get(k, "") if header_rows else "")
                          for k, c in enumerate(cells)}
                # "二、重点任务" over a table whose 序号 counts 1, 2, 3: the rows are 2.1, 2.2, 2.3
                if cur is not None and cur.code and cur.title_only:
                    head, cur = cur.code, None
                elif not header_rows:
                    head = ""
                header_rows += 1   # a second header row (牵头 | 配合 under 责任单位) keeps the heading
                continue
            header_rows = 0
            if table and len(cells) > 2 and (len(filled) == 1 or _block_number(cells, table)):
                # "一、提升产品质量水平" across the row, or "一" in the 序号 column and the block's
                # name across the rest: a block heading, not a task; the rows under it are
                # numbered within it (二 … 3 is 2.3)
                number = _block_number(cells, table)
                if number is None:
                    num = parse_numbering(filled.pop())
                    number = ".".join(str(v) for v in num.values) if num is not None else ""
                block = number
            elif table:
                row = _table_task(cells, table, i, default_year, known, labels)
                if row is not None:
                    if block and row.spec.code:
                        row.spec.code = f"{block}.{row.spec.code}"
                    elif head and row.spec.code.isdigit():
                        row.spec.code = f"{head}.{row.spec.code}"
                    tasks.append(row)
                    last, cur = row, None
            continue
        text = one_line(texts[i])
        if not text:
            if i in emptied and last is not None and cur is None and last.last == i - 1:
                last.last = i    # a label and its units, one a line: they stay with the task before
            continue
        part = _PART_LABEL.match(text)
        if part is not None and label_at_start(part.group(1) + "：") is not None:
            # 【责任单位】X → 责任单位：X; "【牵头单位】X【配合单位】A、B" on one line → labelled parts
            text = part.group(1) + "：" + _BRACKET_LABEL.sub(
                lambda m: "；" + m.group(1) + "：" if label_at_start(m.group(1) + "：") else m.group(0),
                part.group(2))
        elif part is not None:
            if _GOAL_PART.search(part.group(1)) or cur is None or not cur.parts:
                cur = _Open("", "", [part.group(2)] if part.group(2) else [], i, parts=True)
            elif part.group(2):
                cur.texts.append("\n" + part.group(2))
            continue
        num = parse_numbering(text)
        if num is not None and cur is not None and cur.parts:
            num = None      # a numbered measure inside a task written in labelled parts
            text = "\n" + text
        if num is None:
            r = _line_reading(text.lstrip("\n"), known)
            under = heading is not None and cur is not None and cur.code != "" and cur.first > heading[0]
            if ((r is None or not r.marked) and _heading_unit(text, known)
                    and (under or ((cur is None or not cur.code) and (last is None or last.last < i - 3)))):
                # the next unit's heading closes the last task of the one before
                if under and (done := close_under_heading(cur, i - 1)):
                    last = done
                heading, cur = (i, text.strip().rstrip("：:")), None
                continue
            if r is not None:
                grouped = with_measures(cur) if cur is not None and (last is None or last.first < cur.first) else None
                if grouped is not None:
                    last = close(grouped[0], i, r, text, grouped[1])
                    cur = None
                    continue
                if cur is not None and (last is None or last.first < cur.first):
                    titled = cur.title_only
                    last = close(cur, i, None, "", "".join(cur.texts).strip())
                    open_body = last if titled else None
                    cur = None
                if last is not None and last.last >= i - 3:
                    _merge(last, r, text, default_year)
                    last.last = i
                continue
            if _BULLET.match(text) and last is not None and cur is None and last.last == i - 1:
                last.spec.task += "\n" + text
                last.last = i
                continue
        if num is not None:
            key = "dec" if num.kind == "dec_space" else num.kind
            if key not in kind_levels:
                # 一、 > （一） > 1. > （1） > ① as official documents rank them, whichever the
                # plan shows first ("1.目标" under "一、" before any "（一）"); other styles
                # rank below, in the order met
                kind_levels[key] = (_rparen_rank(kind_levels) if key == "dec_rparen"
                                    else _RANK.get(key, 10 + len(kind_levels)))
            level = kind_levels[key]
            body = num.rest.strip()
            if cur is not None and level <= cur.level and (done := close_under_heading(cur, i - 1)):
                last = done
            if block_lead and level <= block_lead[0][0]:
                block_lead.clear()
            cur = _Open(code_for(level, num.values[-1]), num.label, [body], i, level=level)
            leads_block = _heading_lead(body, known)
            if leads_block is not None:
                block_lead[:] = [(level, leads_block, [body], None, i)]
            opened.append(cur)
            inherited.clear()
            open_body = None
        else:
            body = text
            if (cur is None and open_body is not None and open_body.last == i - 1
                    and find_assignment(body, known=known) is None and not _heading_unit(body, known)):
                # "1.提升产品质量" / "牵头单位：X" / "配合单位：Y" / the task's body: the lines of the
                # assignment stand between the title and its text
                open_body.spec.task = (open_body.spec.task + "\n" + body).strip()
                open_body.last = i
                continue
            if cur is not None and cur.title_only and cur.code:
                # "4.开展城乡结合部环境整治" / "创建目标：…。" (…): a numbered title line and the body
                # under it are one task with the title's number
                title = cur.texts[0].strip()
                cur = _Open(cur.code, cur.number, [title + "\n", body], cur.first, level=cur.level,
                            title=title, body_first=i)
            elif cur is None or cur.title_only:
                cur = _Open("", "", [body], i)
            else:
                cur.texts.append(body)
        found = find_assignment(body, known=known)
        if found is None:
            mid = _assignment_inside(body, known)
            if mid is not None:
                # paragraphs run together: "…划定为禁煤区。（省生态环境厅牵头，市县政府负责落实）严格落实…"
                start, end, r = mid
                task_text = "".join(cur.texts[:-1]) + body[: start - 1].rstrip()
                last = close(cur, i, r, body[start:end], task_text.strip())
                cur = _Open("", "", [body[end + 1 :].strip()], i)
                continue
        if found is None and columns:
            flat = _flattened_row(body, columns, known)
            if flat is not None:
                task_text, r, span = flat
                last = close(cur, i, r, span, ("".join(cur.texts[:-1]) + task_text).strip())
                cur = None
            continue
        if found is None:
            cols = _unit_columns(text)
            if cols:
                columns = cols
                cur = None
            continue
        if num is None and not found.task.strip(" 。；;，,") and len(cur.texts) > 1:
            own_line = cur.texts.pop()
            grouped = with_measures(cur)
            cur.texts.append(own_line)
            if grouped is not None:   # a bracketed assignment on a line of its own
                last = close(grouped[0], i, found.reading, found.span_texts(body), grouped[1])
                cur = None
                continue
        task_text = "".join(cur.texts[:-1]) + found.task
        titled = cur.title_only or bool(cur.title and len(cur.texts) == 2)
        level_closed = cur.level
        last = close(cur, i, found.reading, found.span_texts(body), task_text.strip())
        if num is not None and len(task_text) <= 30 and "。" not in task_text.rstrip("。"):
            # "一、强化科技创新（区科技局牵头）": a title with its lead; if numbered items without
            # units of their own follow under it, it heads them (see close_under_heading)
            block_lead[:] = [(level_closed, found.reading, found.span_texts(body), last, i)]
        # "1.提升产品质量" / "X牵头，A、B配合。" / the body: a line that is only the assignment
        # stands between a title line and the task's text
        open_body = last if titled and not found.task.strip(" 。；;，,") else None
        cur = None
    close_under_heading(cur, len(texts) - 1)
    return tasks


def _block_number(cells: list[str], table: dict[str, list[int]]) -> str | None:
    """The block a Word table's row opens when its 序号 cell holds a Chinese numeral ("一",
    "二、") and the rest of the row one name ("产业振兴" merged across); else None."""
    codes = [k for k in table.get("code", []) if k < len(cells)]
    if not codes:
        return None
    mark = cells[codes[0]].strip().rstrip("、.．,，")
    value = cn_to_int(mark) if mark and all(ch in "一二三四五六七八九十" for ch in mark) else None
    rest = {c for k, c in enumerate(cells) if k not in codes and c}
    return str(value) if value and len(rest) == 1 else None


def _give_back_title(t: PlanTask, o: _Open) -> None:
    """The first unnumbered task under a title line gives the title's number back (see close)."""
    t.spec.code, t.number = "", ""
    if t.spec.task.startswith(o.title):
        t.spec.task = t.spec.task[len(o.title):].strip()
    t.first = o.body_first
    t.spec.row = o.body_first + 1


# "县示范区管委会牵头工作（8项）", "县发改局牵头重点任务": a heading naming the unit that leads the
# items under it
_LEADS_THE_BLOCK = re.compile(
    r"^(.{2,60}?牵头)(?:负责)?的?(?:重点|主要)?(?:工作|任务|事项)(?:[（(][^()（）]{0,10}[)）])?$")


def _heading_lead(text: str, known: KnownFn | None) -> Reading | None:
    """The reading of a numbered heading that names the units leading its block, else None (a
    person leading the block, "王丹县长牵头重点工作", names no unit)."""
    m = _LEADS_THE_BLOCK.match(text.strip().rstrip("：:"))
    if m is None:
        return None
    r = read_assignment(m.group(1), known=known)
    return r if r.complete and r.units and not r.persons else None


def _heading_unit(text: str, known: KnownFn | None) -> bool:
    """A line that is only a unit's name ("上海市区级人民政府"): the heading of that unit's list."""
    t = text.strip().rstrip("：:")
    return (2 <= len(t) <= 30 and not re.search(r"[。，,；;、（）()\s]", t)
            and parse_numbering(t) is None and is_unit_name(t, known))


def _assignment_inside(body: str, known: KnownFn | None) -> tuple[int, int, Reading] | None:
    """A bracket inside a paragraph that is plainly an assignment (a role word or label, every
    part a unit) and ends a sentence: the paragraph holds two tasks run together."""
    for start, end in bracket_groups(body):
        if end >= len(body.rstrip("。 ")) - 1 or start == 0:
            continue
        if body[start - 1] not in "。；;":
            continue
        r = read_assignment(body[start + 1 : end], known=known)
        if r.complete and r.marked:
            return start + 1, end, r
    return None


_COLUMN_ROLES = {"牵头单位": "lead", "牵头部门": "lead", "主责单位": "lead", "参与单位": "coop",
                 "配合单位": "coop", "配合部门": "coop", "协办单位": "coop", "协同单位": "coop",
                 "责任单位": "resp", "责任部门": "resp"}


def _table_header(cells: list[str]) -> dict[str, list[int]]:
    """The roles of a Word table's columns when this row is its header, else {}."""
    roles: dict[str, list[int]] = {}
    for k, cell in enumerate(cells):
        label = re.sub(r"[\s（(][^)）]*[)）]|\s", "", cell)
        for role, words in _TABLE_ROLES:
            if label in words:
                roles.setdefault(role, []).append(k)
                break
    units = {"lead", "coop", "resp"} & set(roles)
    return roles if units and len(roles) >= 2 else {}


def _table_task(cells: list[str], table: dict[str, list[int]], i: int, default_year: int | None,
                known: KnownFn | None, labels: dict[int, str] | None = None) -> PlanTask | None:
    """One row of a plan's task table: the cells of each column read by the grammar with the
    role their column gives them; a person keeps the header of the column that names them
    (责任领导 / 联系人 / 责任人) as the label of their role."""
    def cell(role: str) -> list[str]:
        return [cells[k] for k in table.get(role, []) if k < len(cells) and cells[k]]

    task = "；".join(dict.fromkeys(cell("task")))
    if not task:
        used = {k for ks in table.values() for k in ks}
        rest = [c for k, c in enumerate(cells) if k not in used and c]
        task = max(rest, key=len) if rest else ""
    lead: list[str] = []
    others: list[str] = []
    for role in ("lead", "resp", "coop"):
        for text in cell(role):
            r = read_assignment(text, known=known, first_is_lead=False)
            if role == "lead":
                lead += r.units
            else:
                lead += r.lead if role == "resp" else []
                others += r.cooperating if role == "resp" else r.units
    if not lead and others:
        lead = [others.pop(0)]
    if not task or not (lead or others):
        return None
    number = (cell("code") or [""])[0]
    num = parse_numbering(number) if number else None
    code = ".".join(str(v) for v in num.values) if num is not None else (
        number if re.fullmatch(r"\d{1,3}(?:\.\d{1,3})*", number) else "")
    spec = DutySpec(task=task, code=code, lead=lead, source="plan", row=i + 1,
                    cooperating=[u for u in dict.fromkeys(others) if u not in lead])
    span = [f"{c}" for role in ("lead", "coop", "resp") for c in cell(role)]
    spec.departments_text = "；".join(span)
    t = PlanTask(spec=spec, number=number, first=i, last=i, span=span)
    for k in table.get("person", []):
        if k < len(cells) and cells[k]:
            label = (labels or {}).get(k, "")
            t.persons += [(label, name) for name in re.split(r"[、，,；;\s]+", cells[k]) if name]
    for text in cell("deadline"):
        d = parse_deadline(text, default_year=default_year)
        spec.deadline, spec.deadline_kind, spec.deadline_text = d.date, d.kind, d.text
    return t


def _unit_columns(text: str) -> list[str]:
    """A table flattened into text has its header as one line ("序号 类别 主要任务 细化措施
    牵头单位 参与单位 责任单位"): the roles of its unit columns, in order, or []."""
    roles = [_COLUMN_ROLES[t] for t in text.split() if t in _COLUMN_ROLES]
    return roles if len(roles) >= 2 else []


def _flattened_row(body: str, columns: list[str],
                   known: KnownFn | None) -> tuple[str, Reading, str] | None:
    """A row of such a table: the unit cells stand at the end, after the task's last
    sentence, one cell per space-separated chunk. Read from the right, one column each."""
    cut = body.rfind("。") + 1
    tail = body[cut:].split()
    if not tail:
        return None
    cells: list[str] = []
    for chunk in reversed(tail[-len(columns):]):
        r = read_assignment(chunk, known=known)
        if not r.complete:
            break
        cells.insert(0, chunk)
    if not cells:
        return None
    roles = columns[len(columns) - len(cells):]
    lead: list[str] = []
    others: list[str] = []
    for role, chunk in zip(roles, cells, strict=True):
        r = read_assignment(chunk, known=known, first_is_lead=False)
        units = r.lead + r.cooperating
        (lead if role == "lead" else others).extend(units)
    if not lead and others:
        lead = [others.pop(0)]
    span = " ".join(cells)
    reading = Reading(lead=lead, cooperating=[u for u in others if u not in lead], complete=True,
                      marked=True, lead_marked=True, text=span)
    task = body[: body.rfind(cells[0])].strip()
    return task, reading, span


def parse_plan(texts: list[str], *, default_year: int | None = None,
               known: KnownFn | None = None) -> list[DutySpec]:
    """Draft duties of a plan; persons named beside a task are kept in its notes."""
    out = []
    for t in parse_plan_tasks(texts, default_year=default_year, known=known):
        if t.persons:
            t.spec.notes = "；".join(f"{label or '责任人'}：{name}" for label, name in t.persons)
        out.append(t.spec)
    return out
