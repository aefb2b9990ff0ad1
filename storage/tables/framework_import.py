"""Framework import: an indicator system (评价指标体系) from an Excel table as it really
arrives, into the archive (new, or updated in place when a framework of that name exists).

Reads the tree from level columns (一级/二级/三级指标, merged vertically or left blank under
their first cell) or from the numbering of one title column (一、 （一） 1. 1.1.1 (1) ①);
scores from a score column or from "(16分)" in the text; key items from * or ★; veto items
from a veto column or a section named 一票否决; numeric targets ("合格率≥94%"). Checks that
scores add up to their parents and to the stated total, and reports what does not.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from storage.catalogue.frameworks import FrameworkSpec, IndicatorSpec, sync_framework
from storage.kernel.errors import BadInput
from storage.kernel.gcpause import without_collection
from storage.kernel.text import fold
from storage.tables.assign import is_unit_name
from storage.tables.columns import (
    PROGRESS_WORDS,
    SENTENCE_POINTS,
    ColumnMap,
    apply_mapping,
    detect_header,
    grade_label,
    no_header_error,
    numbered_list,
    parse_mapping,
)
from storage.tables.grid import Sheet, col_letter, read_sheets
from storage.tables.layout import join_continued
from storage.tables.report import ImportReport, Message, finish
from storage.tables.rows import Row, RowReader, letter_code, letter_mark, stem_mark, written_code
from storage.tables.textparse import (
    Target,
    cell_text,
    clean_title,
    is_truthy_mark,
    one_line,
    parse_numbering,
    parse_score,
    parse_target,
    plain_decimal,
    title_key,
)

FRAMEWORK_ROLES = ("level1", "level2", "level3", "title", "score", "rule")


@dataclass
class Node:
    title: str
    raw: str = ""
    code: str = ""
    explicit_code: bool = False
    score: Decimal | None = None
    rules: list[str] = field(default_factory=list)
    is_key: bool = False
    is_veto: bool = False
    is_bonus: bool = False   # 加分项 / 扣分项 / 综合奖扣分: kept, never summed into the total
    is_weight: bool = False  # its score is a relative weight (a 权重 column, or siblings summing to 100/1)
    target: Target | None = None
    target_text: str = ""
    row: int = 0
    number: int | None = None   # its number in a 序号 column ("3"), kept as stated under its parent
    serial: str = ""            # the 序号 cell of the row it was first met on (one row, not merged)
    letter: str = ""            # a letter code the table states for it ("A", "B2"), kept as written
    column_level: int = 0       # the level column it was read from (1 = the first), 0 when none
    type_scores: dict[str, Decimal] = field(default_factory=dict)   # points per type column (label → points)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    by_key: dict[str, Node] = field(default_factory=dict, repr=False)   # children by title_key

    def child(self, raw: str, row: int, serial: str = "") -> Node:
        """The child titled `raw` (the one met before, when the title repeats), or a new one.
        A row whose 序号 differs from the one the title was first met with is an item of its
        own, even when the author typed the same title twice."""
        key = title_key(raw)
        found = self.by_key.get(key)
        if found is not None and not (serial and found.serial and serial != found.serial):
            return found
        mark = letter_mark(raw)
        stem = stem_mark(raw) if mark is None else None
        text = _joined_name(mark[2] if mark else stem[1] if stem else raw)
        t = clean_title(text)
        score, title = t.score, t.text
        if score is None and (m := SENTENCE_POINTS.search(one_line(text))):
            # "…做到制度上墙。(2.5)": the item's points in bare brackets after its full stop
            score, title = plain_decimal(Decimal(m.group(1))), clean_title(one_line(text)[: m.start()]).text
        elif score is None and (m := _NAME_POINTS.match(t.text.strip())) and not _RULE_LIKE.search(m.group(1)) and not (
                m.group(2) and _RULE_END.search(t.text.strip()[: m.start(2)])):
            # "编制河湖水库保护计划 2分", "…公开信息\n5分", "…议事日程（10）": an item's name and then its
            # points (a 计 or 得 inside a word such as 计划 is no rule)
            score = plain_decimal(Decimal(m.group(2) or m.group(3)))
            title = clean_title(m.group(1)).text
        node = Node(title=title, raw=raw, score=score, is_key=t.is_key, row=row, parent=self, serial=serial,
                    letter=mark[0] if mark else "", number=stem[0] if stem else None)
        if t.rule:
            node.rules.append(t.rule)
        self.children.append(node)
        self.by_key.setdefault(key, node)
        return node

    def walk(self):
        for c in self.children:
            yield c
            yield from c.walk()

    @property
    def level(self) -> int:
        n, p = 0, self.parent
        while p is not None:
            n, p = n + 1, p.parent
        return n


_CJK = re.compile(r"[\u4e00-\u9fff]")
# an item's points in brackets closing its rule: "…扣0.5分。（共2分）", "…扣1分（4分）"
_RULE_CLOSING_POINTS = re.compile(r"[(（]\s*(?:共|计|满分|合计)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*分\s*[)）]\s*[。；;]?\s*$")
_BRACKET_POINTS = re.compile(r"[(（]\s*(?:共|计|满分|合计)?\s*\d{1,3}(?:\.\d{1,2})?\s*分\s*[)）]")
# an item's name followed by its points: "name 2分" / "name\n2分" / "name（10）"
_NAME_POINTS = re.compile(r"^([^\d：:]{2,40}?[^\d\s：:（(])\s*"
                          r"(?:(\d{1,3}(?:\.\d+)?)\s*分|[（(]\s*(\d{1,2}(?:\.\d+)?)\s*[)）])$")
# words that make such a text a rule ("每缺一项扣 2分", "最高得 5分"), not a name with points
_RULE_LIKE = re.compile(r"每|不得|不计|满分|最多|最高|超过|[，,；;。]")
# "扣2分", "计 5分": a verb of scoring right before "N分" makes it a rule (审计 / 计划 with their points
# in brackets, or after a space, are names)
_RULE_END = re.compile(r"[计得扣加减奖罚满共最超]$")


def _joined_name(raw: str) -> str:
    """A short name the author broke over lines to fit a narrow cell ("发明\n专利申请",
    "专利权\n质押融资") is one word: its lines are joined without a space. Longer texts, and
    lines that open with a number or a bracket, keep their breaks."""
    points = _TRAILING_POINTS.search(raw)
    if points is not None and points.start() > 0:
        # "完善组\n织体系（1分）": the name before its points is the broken word
        return _joined_name(raw[: points.start()]) + raw[points.start():]
    lines = [x.strip() for x in raw.split("\n")]
    if len(lines) < 2 or any(not x or len(x) > 8 for x in lines) or len(raw) > 24:
        return raw
    if not all(_CJK.match(x[0]) and _CJK.match(x[-1]) for x in lines):
        return raw
    return "".join(lines)


# an item's points closing its name cell: "（1分）", "(1)", "〔1分〕", " 1分", "\n1分"
_TRAILING_POINTS = re.compile(r"\s*(?:[（(〔]\s*(?:满分|计)?\s*\d{1,3}(?:\.\d+)?\s*分?\s*[)）〕]"
                              r"|(?<![\d.])\d{1,3}(?:\.\d+)?\s*分)$")


@dataclass
class ParsedFramework:
    name: str
    root: Node
    stated_total: Decimal | None
    computed_total: Decimal | None
    total_score: Decimal | None
    data_cutoff: dt.date | None
    sheet: str
    mapping: ColumnMap
    rows: list[Row]
    problems: list[Message]
    warnings: list[Message]
    department_totals: dict[str, Decimal] = field(default_factory=dict)


def department_scores(sheet: Sheet, cmap: ColumnMap, rows: list[Row]) -> tuple[
        dict[str, Decimal], list[Message]]:
    """Sheets that score each unit out of its own total (分值 over 县市场监管局 | 县农业农村局 …):
    each unit's column summed on its own, checked against the table's total row for that unit.
    The units' totals are never added together into the indicator system's total."""
    cols = cmap.roles.get("dept_score", [])
    totals: dict[str, Decimal] = {}
    problems: list[Message] = []
    for c in cols:
        unit = (cmap.labels.get(c, "") or col_letter(c)).split("/")[-1]
        total = Decimal(0)
        stated: tuple[Decimal, int] | None = None
        for row in rows:
            if row.kind not in ("data", "total") or sheet.is_copy(row.r, c):
                continue
            v = parse_score(sheet.get(row.r, c))
            if v is None:
                continue
            if row.kind == "total":
                stated = (v, row.number)
            else:
                total += v
        totals[unit] = plain_decimal(total)
        if stated is not None and stated[0] != total:
            problems.append(Message(
                f"分值不一致：{unit}一列各行合计 {plain_decimal(total)} 分，"
                f"表中“合计”行为 {plain_decimal(stated[0])} 分（第 {stated[1]} 行）",
                f"scores do not add up: the column of {unit} sums to {plain_decimal(total)} but its total row "
                f"says {plain_decimal(stated[0])} (row {stated[1]})",
                stated[1],
            ))
    return totals, problems


def scoring_point(sheet: Sheet, cmap: ColumnMap, hier: list[int], r: int) -> bool:
    """Whether row `r` is one more scoring point of the item above it: every level cell of the row
    is a copy of a cell merged down from above (so the row names no item of its own), while its
    points and its rule are its own cells ("1 | 贯彻执行消防法律法规 (merged) | 5分 | 未签订…扣5分")."""
    if not hier:
        return False
    score_cols = cmap.roles.get("score", [])
    rule_cols = cmap.roles.get("rule", [])
    if len(score_cols) != 1 or not rule_cols:
        return False
    if not all(sheet.is_copy(r, c) for c in hier):
        return False
    own = [c for c in (score_cols[0], rule_cols[0]) if not sheet.is_copy(r, c) and cell_text(sheet.get(r, c)).strip()]
    return len(own) == 2


def grade_line(sheet: Sheet, cmap: ColumnMap, r: int) -> str:
    """The points each grade earns on row `r`, as one rule line ("等次：优秀 5；良好 4；合格 3；不合格 2");
    a grade whose cell is empty takes the points its header states ("优 10"). "" without grades."""
    parts = []
    for c in cmap.roles.get("grade", []):
        found = grade_label(cmap.labels.get(c, "").split("/")[-1])
        if found is None:
            continue
        grade, header_points = found
        value = "" if sheet.is_copy(r, c) else one_line(cell_text(sheet.get(r, c)))
        value = value or header_points
        if value:
            parts.append(f"{grade} {value}")
    return "等次：" + "；".join(parts) if parts else ""


def grade_points(line: str) -> list[Decimal]:
    """The numbers of a grade line that are points (a grade's own text is no points)."""
    out = []
    for part in line.removeprefix("等次：").split("；"):
        m = re.fullmatch(r"\S+ (\d{1,3}(?:\.\d{1,2})?)\s*分?", part)
        if m:
            out.append(Decimal(m.group(1)))
    return out


def stated_code(raw: str, prefix: str) -> str:
    """The code a title states by its own number: "1.1.2…" → "1.1.2"; "（三）…" under "2." → "2.3";
    "五、…" at the top → "5"; "" when the title has no number."""
    num = clean_title(raw).numbering
    if num is None:
        return ""
    if num.kind.startswith("dotted"):
        return ".".join(str(v) for v in num.values)
    return f"{prefix}{num.values[-1]}"


def choose_sheet(sheets: list[Sheet], name: str | None, path: Path,
                 mapping: dict[str, str], header_row: int | None) -> tuple[Sheet, ColumnMap]:
    """The sheet to read (by name, else the first with a header) and its column map."""
    if name:
        for s in sheets:
            if s.name == name or fold(s.name) == fold(name):
                cmap = apply_mapping(s, detect_header(s) if header_row is None else None, mapping, header_row)
                if cmap is None:
                    raise no_header_error(s, path.name, FRAMEWORK_ROLES)
                return s, cmap
        raise BadInput(
            f"{path.name} 中没有名为“{name}”的工作表；现有：{'、'.join(s.name for s in sheets)}",
            f"no sheet named '{name}' in {path.name}; sheets: {', '.join(s.name for s in sheets)}",
        )
    if not sheets:
        raise BadInput(f"{path.name} 中没有可见的工作表", f"no visible sheet in {path.name}")
    for s in sheets:
        detected = detect_header(s) if header_row is None else None
        if detected is not None or mapping or header_row is not None:
            cmap = apply_mapping(s, detected, mapping, header_row)
            if cmap is not None:
                return s, cmap
    raise no_header_error(sheets[0], path.name, FRAMEWORK_ROLES)


def title_above(sheet: Sheet, cmap: ColumnMap) -> str:
    """The table's title from the rows above its header (not "附件1")."""
    best = ""
    top = cmap.header_rows[0] if cmap.header_rows else 0
    for r in range(top):
        for c in range(sheet.ncols):
            t = one_line(cell_text(sheet.get(r, c)))
            t = re.sub(r"^附件\s*\d*\s*[:：]?\s*", "", t)
            if t.startswith(("统计日期", "【示例", "单位：", "填报单位")):
                continue
            if len(t) > len(best):
                best = t
    return best


_TOTAL_ABOVE = (re.compile(r"[共计]\s*(\d+(?:\.\d+)?)\s*分"),
                re.compile(r"(?:总分|满分|总分值)\s*[:：为]?\s*(\d+(?:\.\d+)?)"))


def serial_runs_on(sheet: Sheet, cmap: ColumnMap, code_col: int | None) -> bool:
    """A one-row 序号 left of the levels counting 1, 2, … N down the whole sheet, on across two
    blocks or more of the level above ("行洪通道畅通" over 1–4, "岸线管控" over 5–6): the sheet
    numbers its items, and the numbers stay as stated under their blocks (2.5, 2.6)."""
    hier = cmap.hierarchy()
    if code_col is None or len(hier) != 2 or code_col > hier[0]:
        return False   # (over three levels a number counting on down the sheet counts rows)
    if any(w in label for label in cmap.labels.values() for w in PROGRESS_WORDS):
        return False   # our own export (已收材料, 状态 …): its 序号 counts rows
    nums: list[int] = []
    blocks: list[str] = []
    for r in range(cmap.data_start, sheet.nrows):
        text = cell_text(sheet.get(r, code_col)).strip()
        if not text or sheet.is_copy(r, code_col) or fold(text) == fold(cmap.labels.get(code_col, "")):
            continue   # (the header printed again further down)
        if not re.fullmatch(r"[\d一二三四五六七八九十A-Za-z.．、\-－()（）\s]+", text):
            continue   # a note, a total or a heading written in the column: no number of the count
        if not re.fullmatch(r"\d{1,3}", text) or sheet.span.get((r, code_col), (1, 1))[0] > 1:
            return False
        nums.append(int(text))
        top = cell_text(sheet.get(r, hier[0])).strip()
        if top and (not blocks or blocks[-1] != top):
            blocks.append(top)
    return len(nums) >= 3 and nums == list(range(1, len(nums) + 1)) and len(blocks) >= 2 and all(
        parse_numbering(b) is None for b in blocks)


def serial_owner(sheet: Sheet, cmap: ColumnMap, r: int, code_col: int, *, runs_on: bool = False) -> int | None:
    """Which level (0-based) a 序号 cell on row `r` numbers; None when it is merged over rows
    no level spans alike (then the rows under it are parts of the leaf it numbers).

    A merged 序号 numbers the level merged alike; one between level columns numbers the level
    on its right; a one-row 序号 left of them all counts rows and numbers no level (-1)."""
    hier = cmap.hierarchy()
    if not hier:
        return 0
    span = sheet.span.get((r, code_col), (1, 1))[0]
    if span > 1:
        for i, hc in enumerate(hier):
            if sheet.span.get((r, hc), (1, 1))[0] == span:
                return i
        return None
    right = [i for i, hc in enumerate(hier) if hc > code_col]
    if right and len(right) < len(hier):
        return right[0]
    above = r   # the level-1 cell holding for this row: its own, or the last one written above it
    while above > cmap.data_start and not cell_text(sheet.get(above, hier[0])).strip():
        above -= 1
    if len(hier) >= 2 and parse_numbering(cell_text(sheet.get(above, hier[0])).strip()) is not None:
        # the level above numbers itself ("1、安全目标（50分）" over rows 1–4, "2、…" over 5–7):
        # the 序号 running on beside it numbers the items, kept as stated ("2.5")
        return len(hier) - 1
    if runs_on:
        return len(hier) - 1
    return -1   # a row counter left of the tree ("序号 1…N" over every row): numbers no level


def total_above(sheet: Sheet, cmap: ColumnMap) -> Decimal | None:
    """The total the rows above the header state ("…指标赋分（共72分）", "总分100（+2）")."""
    top = cmap.header_rows[0] if cmap.header_rows else 0
    for r in range(top):
        for c in range(sheet.ncols):
            t = cell_text(sheet.get(r, c))
            for rx in _TOTAL_ABOVE:
                m = rx.search(t)
                if m:
                    return Decimal(m.group(1))
    return None


_BONUS = re.compile(r"加分项|加分|扣分项|综合奖|奖励分|鼓励项|附加分|减分项")
_CUTOFF = re.compile(r"截至\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def parse_framework_sheet(sheet: Sheet, cmap: ColumnMap, *, name: str = "",
                          default_name: str = "") -> ParsedFramework:
    reader = RowReader(sheet, cmap)
    rows = reader.rows()
    root = Node(title="")
    problems: list[Message] = []
    warnings: list[Message] = []
    sections: dict[str, Node] = {}
    stack: list[Node] = []          # numbering mode: the open node at each level
    data_cutoff: dt.date | None = None
    texts_for_cutoff = [title_above(sheet, cmap)]
    code_col = cmap.col("code")
    runs_on = serial_runs_on(sheet, cmap, code_col)
    block: tuple[tuple[int, int], Node] | None = None   # a 序号 cell merged over rows, and its item

    for row in rows:
        if row.kind == "note":
            texts_for_cutoff.append(row.text["note"])
            continue
        if row.kind == "section":
            sec = root.child(row.section, row.number)
            sections[row.section] = sec
            stack = []
            continue
        if row.kind != "data":
            continue
        parent = sections.get(row.section, root) if row.section else root
        path = list(row.path)
        if not path:
            # A veto section lists its items in whatever column holds text.
            alt = row.text.get("rule") or row.text.get("task") or ""
            if row.section and alt:
                path = [(1, alt)]
            else:
                continue
        listed = ""
        if row.hier_len >= 2 and len(path) >= 2 and numbered_list(path[-1][1]):
            # "一、组织机构（20）| 1、建立…\n2、有专、兼职…| 20": the numbered list beside a level
            # with one score is that level's standard, not an item under it
            listed = path.pop()[1]
        nodes: list[Node] = []
        serial = (reader.row_code(row.r).strip() if code_col is not None and not sheet.is_copy(row.r, code_col)
                  and sheet.span.get((row.r, code_col), (1, 1))[0] == 1 else "")
        # rows under a 序号 cell merged over several rows are parts of the item numbered there
        # ("1 | 人均国内生产总值" over "经济发达地区" / "经济欠发达地区")
        in_block = (block[1] if code_col is not None and block is not None and not reader.dotted_codes
                    and not reader.letter_codes
                    and sheet.is_copy(row.r, code_col)
                    and sheet.anchor.get((row.r, code_col)) == block[0] else None)
        if in_block is not None and title_key(path[-1][1]) != title_key(in_block.raw):
            nodes = [in_block.child(path[-1][1], row.number)]
        elif row.hier_len >= 2 or not row.hier_len:
            node = parent
            for k, (_, raw) in enumerate(path):
                node = node.child(raw, row.number, serial if k == len(path) - 1 else "")
                node.column_level = node.column_level or path[k][0]
                nodes.append(node)
        else:
            level, raw = path[0]
            # numbering mode: attach under the nearest open node of a lower level
            stack = stack[: level - 1]
            anchor = stack[-1] if stack else parent
            if stack and len(stack) < level - 1:
                anchor = stack[-1]
            node = anchor.child(raw, row.number, serial)
            stack.append(node)
            nodes.append(node)
        leaf = nodes[-1]
        # code
        code_num = reader.code_numbering(row.r)
        if code_num is not None and not code_num.kind.startswith("dotted"):
            # 一 / 8 in a 序号 column: kept under its parent (the entry of the path it numbers)
            numbered_node = nodes[row.serial_at] if 0 <= row.serial_at < len(nodes) else leaf
            numbered_node.number = code_num.values[-1]
        elif code_num is not None:
            leaf.code = written_code(code_num)
            leaf.explicit_code = True
        elif code_col is not None and not sheet.is_copy(row.r, code_col) and in_block is None:
            owner = serial_owner(sheet, cmap, row.r, code_col, runs_on=runs_on)
            numbered = leaf if owner is None else next(
                (n for (lv, _), n in zip(path, nodes, strict=False) if lv == owner + 1), None)
            serial = reader.row_code(row.r).strip()
            if numbered is not None and re.fullmatch(r"\d{1,3}", serial) and numbered.number is None:
                numbered.number = int(serial)
            if owner is None:
                block = ((row.r, code_col), leaf)
        # codes in code columns of their own levels (一级指标代码 "A" | 二级指标代码 "10"): a
        # letter is kept as written, a number under its parent as a 序号's number is
        for lv, text in row.level_codes.items():
            owner_node = next((n for (plv, _), n in zip(path, nodes, strict=False) if plv == lv), None)
            if owner_node is None:
                continue
            found = letter_code(text)
            if found is not None:
                owner_node.letter = found[0]
            elif re.fullmatch(r"\d{1,3}", text) and owner_node.number is None:
                owner_node.number = int(text)
        # scores
        for owner, value in row.scores.items():
            target = leaf
            if owner >= 0:
                lvl = owner + 1
                target = next((n for (lv, _), n in zip(path, nodes, strict=False) if lv == lvl), leaf)
            score = parse_score(value)
            if score is None and "否决" in cell_text(value):
                # 分数 "一票否决": the item is a veto item and states no points
                target.is_veto = True
                continue
            if score is None:
                warnings.append(Message(
                    f"第 {row.number} 行的分值“{cell_text(value)}”不是数字，已忽略",
                    f"row {row.number}: score '{cell_text(value)}' is not a number; ignored",
                    row.number,
                ))
                continue
            if (target is leaf and target.score is not None and target.row != row.number
                    and scoring_point(sheet, cmap, reader.hier, row.r)):
                # "1 | 贯彻执行消防法律法规（merged over three rows）| 6分 / 5分 / 5分", each row its own
                # deduction: the rows are the item's scoring points, the item scores their sum
                target.score += score
                continue
            if target.score is not None and target.score != score and target.row != row.number:
                problems.append(Message(
                    f"第 {row.number} 行：“{target.title}”的分值前后不一致（{target.score} 与 {score}）",
                    f"row {row.number}: '{target.title}' has two different scores ({target.score}, {score})",
                    row.number,
                ))
            target.score = score
            if owner in row.weights:
                target.is_weight = True
        if row.type_scores:
            for label, value in row.type_scores.items():
                pts = parse_score(value)
                if pts is not None:
                    leaf.type_scores[label] = pts
            if leaf.type_scores:
                line = "分值（按类型）：" + "；".join(f"{k} {plain_decimal(v)}" for k, v in leaf.type_scores.items())
                leaf.rules = [r for r in leaf.rules if not r.startswith("分值（按类型）：")] + [line]
        if listed and listed not in leaf.rules:
            leaf.rules.append(listed)
        grades = grade_line(sheet, reader.cmap, row.r)
        if grades:
            leaf.rules = [r for r in leaf.rules if not r.startswith("等次：")] + [grades]
            points = grade_points(grades)
            if leaf.score is None and points:
                leaf.score = max(points)
        rule = row.text.get("rule", "")
        if rule and rule not in leaf.rules and not (row.section and not row.path and rule == leaf.raw):
            leaf.rules.append(rule)
        if is_truthy_mark(row.raw.get("key")):
            leaf.is_key = True
        if is_truthy_mark(row.raw.get("veto")):
            leaf.is_veto = True
        if leaf.target is None:
            for text in (row.text.get("target", ""), leaf.raw, rule):
                t = parse_target(text)
                if t is not None:
                    leaf.target = t
                    leaf.target_text = t.text
                    break

    for cut_text in texts_for_cutoff:
        m = _CUTOFF.search(cut_text or "")
        if m:
            try:
                data_cutoff = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                pass
            break

    # an item that states no points of its own, whose rule closes on its points in brackets
    # ("没有建立制度的，每少一项扣0.5分。（共2分）", "…扣1分（4分）"), scores those points; a rule that
    # lists several such brackets (one per requirement) states none for the item as a whole
    for n in root.walk():
        if n.score is not None or n.children or not n.rules:
            continue
        text = n.rules[-1].strip()
        # (the rule read from two columns, 考核细则 | 考核方法, is one line each: any line may close on them)
        closing = [m for line in text.split("\n") if (m := _RULE_CLOSING_POINTS.search(line.strip()))]
        if len(closing) == 1 and len(_BRACKET_POINTS.findall(text)) == 1:
            n.score = Decimal(closing[0].group(1))

    # a lone sentence under a scored item, with no number and no points of its own, among
    # numbered scored items elsewhere in its column ("社区党建（10分）| 由市委组织部制定考核标准。"),
    # is that item's standard, not an item under it
    numbered_scored: dict[int, int] = {}
    for x in root.walk():
        if x.score is not None and clean_title(x.raw).numbering is not None:
            numbered_scored[x.level] = numbered_scored.get(x.level, 0) + 1
    for n in list(root.walk()):
        if n.score is not None and len(n.children) == 1:
            only = n.children[0]
            if (not only.children and only.score is None and only.raw.rstrip().endswith("。")
                    and clean_title(only.raw).numbering is None and numbered_scored.get(only.level, 0) >= 2):
                n.rules.insert(0, one_line(only.raw))
                n.children, n.by_key = [], {}

    # an item whose level cell holds only its number (考核条目 over the block's name and the
    # item's number | 考核细则 over the duty and its deduction: "1 | 上报…实施方案。| 未报扣10分")
    # is named by the first line of the text beside it; the rest is its rule
    for n in root.walk():
        if n.title.isdigit() and not n.children and n.rules:
            lines = [t for r in n.rules for t in r.split("\n") if t.strip()]
            if n.number is None and len(n.title) <= 3:
                # its number stays as stated, also where it runs on across the blocks (9 and 10
                # under the second block are 2.9 and 2.10)
                n.number = int(n.title)
            if lines:
                n.title, n.rules = one_line(lines[0]), ["\n".join(lines[1:])] if lines[1:] else []

    # 考核项目 | 各项分值 | 考核内容 | 评分标准: a level column standing right of the one points
    # column, beside level columns left of it, describes the item the points belong to. Where an
    # item has one such description alone ("组织领导 | 8 | 组织领导" or "县委农工部 | 60 | 农村生活垃圾
    # 专项治理"), it is that item's description, not an item under it; several under one item
    # (县农粮局 30 / 15 / 15) stay its items.
    scols = cmap.roles.get("score", [])
    hier_cols = reader.hier
    if len(scols) == 1 and len(hier_cols) >= 2 and any(c < scols[0] for c in hier_cols):
        right = [i + 1 for i, c in enumerate(hier_cols) if c > scols[0]]
        for n in list(root.walk()):
            if len(n.children) != 1 or n.score is not None or n.parent is None:
                continue
            only = n.children[0]
            if (only.children or only.column_level not in right or only.score is None or only.explicit_code
                    or only.letter or only.number is not None or clean_title(only.raw).numbering is not None):
                continue
            n.score = only.score
            if only.title != n.title:
                n.rules.insert(0, one_line(only.raw))
            n.rules += [r for r in only.rules if r not in n.rules]
            n.children, n.by_key = [], {}

    # veto: a node (or section) named 一票否决 makes its whole subtree veto items
    def mark_veto(n: Node, inherited: bool) -> None:
        v = inherited or n.is_veto or "一票否决" in n.title or "否决项" in n.title
        n.is_veto = v
        for c in n.children:
            mark_veto(c, v)

    for top in root.children:
        mark_veto(top, False)

    # bonus and penalty items (加分项, 鼓励项, 综合奖扣分 …) stand outside the 100 points
    def mark_bonus(n: Node, inherited: bool) -> None:
        n.is_bonus = inherited or bool(_BONUS.search(n.title))
        for c in n.children:
            mark_bonus(c, n.is_bonus)

    for top in root.children:
        mark_bonus(top, False)

    # one block per unit: 部门履职差异考核项目 60 over a group label merged down beside the units
    # (重点考核部门 over 县委农工部 60 | 县农粮局 30+15+15 | 县工信局 60), each unit scored out of the
    # block's own points: the label names no level of its own, so the units stand right under
    # the block, each a block of its own (the label is kept in the block's rule)
    def own_points(n: Node) -> Decimal | None:
        if n.score is not None:
            return n.score
        kids = [c for c in n.children if not c.is_veto and not c.is_bonus]
        if not kids or any(c.score is None for c in kids):
            return None
        return sum((c.score or Decimal(0) for c in kids), Decimal(0))

    for n in list(root.walk()):
        kids = [c for c in n.children if not c.is_veto and not c.is_bonus]
        if n.score is None or len(kids) != 1 or kids[0].score is not None:
            continue
        label = kids[0]
        units = [c for c in label.children if not c.is_veto and not c.is_bonus]
        if len(units) < 2 or not all(is_unit_name(u.title) and own_points(u) == n.score for u in units):
            continue
        at = n.children.index(label)
        for u in label.children:
            u.parent = n
        n.children[at:at + 1] = label.children
        n.by_key.update({k: v for k, v in label.by_key.items() if k not in n.by_key})
        n.rules.append(f"分组：{label.title}")

    # codes: those the table states (a code column, or the title's own number: "2.3.1",
    # "（三）", "五、") are kept as stated; the others come from positions. A level-2 number
    # that runs on across level-1 blocks ((一)…(十五)) stays as stated, not restarted.
    used: set[str] = {x.code for x in root.walk() if x.explicit_code}

    def assign(n: Node, prefix: str) -> None:
        taken = {c.code for c in n.children if c.explicit_code}
        stated = {id(c): c.letter or stated_code(c.raw, prefix) for c in n.children if not c.explicit_code}
        foreign = [x for x in stated.values() if prefix and "." in x and not x.startswith(prefix)]
        # "1.1 … 1.4" under 三级 "1." of （一）=1.1: codes counted within their parent, as the
        # table means them (1.1.1.1 …), once one of them would repeat a code met already
        relative = any(x in used for x in foreign)
        for c in n.children:
            if c.explicit_code:
                continue
            code = stated[id(c)]
            if relative and code in foreign:
                code = f"{prefix}{code.rsplit('.', 1)[1]}"
            if not code and c.number is not None:
                code = f"{prefix}{c.number}"
            if code and code not in taken and code not in used:
                c.code, c.explicit_code = code, True
                taken.add(code)
                used.add(code)
        i = 0
        for c in n.children:
            if not c.explicit_code:
                i += 1
                while f"{prefix}{i}" in taken or f"{prefix}{i}" in used:
                    i += 1
                c.code = f"{prefix}{i}"
                taken.add(c.code)
                used.add(c.code)
            assign(c, c.code + ".")

    assign(root, "")

    # checks. Scores that are relative weights (a column headed 权重, or the children of a
    # scored item summing to 100 or 1 instead of to its score, as in 预算管理 75 + 财务管理 25
    # under 预算绩效 50) are checked as weights: siblings sum to 100 (or 1), and a weight is
    # never compared with the points of the items under it.
    weighted = False

    def weights_group(n: Node, kids: list[Node]) -> bool:
        scored = [c for c in kids if c.score is not None]
        if not scored:
            return False
        if any(c.is_weight for c in scored):
            return True
        total = sum((c.score or Decimal(0) for c in scored), Decimal(0))
        if total not in (Decimal(100), Decimal(1)):
            return False
        # the top level of a 100-point table sums to 100 as points; a top level summing to 1
        # is weights
        return total == Decimal(1) if n is root else (n.score is not None and total != n.score)

    def scored_points(n: Node) -> tuple[Decimal, int]:
        """The points `n` stands for (its own, else its scored items' sum) and how many items
        under it state none."""
        if n.score is not None:
            return n.score, 0
        kids = [c for c in n.children if not c.is_veto and not c.is_bonus]
        if not kids:
            return Decimal(0), 1
        total, unscored = Decimal(0), 0
        for c in kids:
            t, u = scored_points(c)
            total, unscored = total + t, unscored + u
        return total, unscored

    per_unit: list[Node] = []   # blocks that score each unit under them out of the block's points

    def units_each_out_of(n: Node) -> list[Node]:
        """部门履职差异考核项目 60 over 县委农工部 60 | 县农粮局 30+15+15 | 县工信局 60 ("按部门分值
        各60分考核"): under a scored block, two or more units (through groups that state no
        points) whose items each come to the block's own points are each scored out of it,
        not added together. Returns those units, else []."""
        group = [c for c in n.children if not c.is_veto and not c.is_bonus]
        while len(group) == 1 and group[0].score is None:
            group = [c for c in group[0].children if not c.is_veto and not c.is_bonus]
        if len(group) < 2 or n.score is None or not all(is_unit_name(c.title) for c in group):
            return []
        return group if all(scored_points(c) == (n.score, 0) for c in group) else []

    def check(n: Node) -> None:
        nonlocal weighted
        kids = [c for c in n.children if not c.is_veto and not c.is_bonus]
        units = units_each_out_of(n) if n is not root and kids else []
        if units:
            per_unit.append(n)
            for unit in units:
                # each unit is a block of its own, out of the block's points (县农粮局 30 + 15 + 15
                # states no 60 of its own row: it comes to 60 like the others)
                if unit.score is None:
                    unit.score = n.score
            warnings.append(Message(
                f"“{n.code} {n.title}”下的{len(units)}个单位各按 {plain_decimal(n.score or Decimal(0))} 分考核，"
                "单位之间的分值不相加",
                f"the {len(units)} units under '{n.code} {n.title}' are each scored out of its "
                f"{plain_decimal(n.score or Decimal(0))} points; their scores are not added together",
                n.row,
            ))
        elif kids and weights_group(n, kids):
            weighted = True
            for c in kids:
                c.is_weight = True
            if all(c.score is not None for c in kids):
                total = sum((c.score or Decimal(0) for c in kids), Decimal(0))
                if total not in (Decimal(100), Decimal(1)):
                    where = f"“{n.code} {n.title}”下" if n is not root else "一级指标"
                    where_en = f"under '{n.code} {n.title}'" if n is not root else "of the level-1 indicators"
                    problems.append(Message(
                        f"权重不一致：{where}各项权重合计 {plain_decimal(total)}，应为 100（或 1）"
                        f"（第 {kids[0].row} 行起）",
                        f"weights do not add up: the weights {where_en} sum to {plain_decimal(total)}, "
                        f"not 100 (or 1) (from row {kids[0].row})",
                        kids[0].row,
                    ))
        elif n.score is not None and not n.is_weight and kids and any(c.type_scores for c in kids):
            # points per type (one points column per river type, 县级 | 乡级): each column is checked
            # on its own against the block's points, the columns never added together; a type an
            # item states no points for does not apply to it
            labels = list(dict.fromkeys(k for c in kids for k in c.type_scores))
            wrong: dict[tuple[Decimal, str], list[str]] = {}   # (sum, rows) → the columns that come to it
            for label in labels:
                total = sum((c.type_scores[label] for c in kids if label in c.type_scores), Decimal(0))
                if total != n.score:
                    rows_k = "、".join(str(c.row) for c in kids if label in c.type_scores)
                    wrong.setdefault((total, rows_k), []).append(label)
            for (total, rows_k), cols in wrong.items():
                named = "、".join(f"“{x}”" for x in cols)
                problems.append(Message(
                    f"分值不一致：“{n.code} {n.title}”为 {plain_decimal(n.score)} 分，{named}列下级指标合计 "
                    f"{plain_decimal(total)} 分（第 {n.row} 行；下级在第 {rows_k} 行）",
                    f"scores do not add up: '{n.code} {n.title}' is {plain_decimal(n.score)} but its children "
                    f"sum to {plain_decimal(total)} in the column(s) {', '.join(cols)} (row {n.row}; children in "
                    f"rows {rows_k})",
                    n.row,
                ))
        elif n.score is not None and not n.is_weight and kids:
            # a child stating no points counts by the points of the items under it (一级 20 分 |
            # 二级 unscored | 三级 4 分 …); items stating none at all are named, not guessed
            total, unscored = Decimal(0), 0
            for c in kids:
                t, u = scored_points(c)
                total, unscored = total + t, unscored + u
            if unscored and total == 0:
                pass   # nothing under it states points: nothing to compare
            elif total != n.score and not unscored:
                problems.append(Message(
                    f"分值不一致：“{n.code} {n.title}”为 {plain_decimal(n.score)} 分，"
                    f"下级指标合计 {plain_decimal(total)} 分（第 {n.row} 行）",
                    f"scores do not add up: '{n.code} {n.title}' is {plain_decimal(n.score)} but its children "
                    f"sum to {plain_decimal(total)} (row {n.row})",
                    n.row,
                ))
            elif total != n.score:
                problems.append(Message(
                    f"分值不一致：“{n.code} {n.title}”为 {plain_decimal(n.score)} 分，下级指标中标明分值的合计 "
                    f"{plain_decimal(total)} 分，另有 {unscored} 项未标分值（第 {n.row} 行）",
                    f"scores do not add up: '{n.code} {n.title}' is {plain_decimal(n.score)} but the items under it "
                    f"that state points sum to {plain_decimal(total)}, and {unscored} state none (row {n.row})",
                    n.row,
                ))
        for c in n.children:
            check(c)

    check(root)
    types = list(dict.fromkeys(k for n in root.walk() for k in n.type_scores))
    if types:
        warnings.append(Message(
            f"表中有 {len(types)} 个分值列按类型分别计分（{'、'.join(types)}）：各列分别核对，不相加；"
            "指标的分值取第一个标有分值的列，各列分值写在其评分标准中",
            f"the table scores each type in its own points column ({len(types)}: {', '.join(types)}): each "
            "column is checked on its own and never added to the others; an indicator's score is its first "
            "stated column, and every column's points are kept in its scoring rule",
        ))
    if weighted:
        warnings.append(Message(
            "表中的分值含权重（权重列，或同级合计 100/1 而不等于上级分值），已按权重核对，不与上下级分值相加比较",
            "some scores are relative weights (a 权重 column, or siblings summing to 100/1 rather than to "
            "their parent's score): they were checked as weights, not added up as points",
        ))
    stated = parse_score(reader.stated_total) if reader.stated_total is not None else None
    if stated is None:
        stated = total_above(sheet, cmap)
    tops = [c for c in root.children if not c.is_veto and not c.is_bonus]
    inside = {id(m) for b in per_unit for m in b.walk() if m is not b}
    leaves = [n for n in root.walk() if not n.children and not n.is_veto and not n.is_bonus
              and id(n) not in inside] + per_unit
    computed = None
    tops_sum = leaves_sum = None
    if tops and all(c.score is not None for c in tops):
        tops_sum = sum((c.score or Decimal(0) for c in tops), Decimal(0))
    if leaves and all(c.score is not None for c in leaves):
        leaves_sum = sum((c.score or Decimal(0) for c in leaves), Decimal(0))
    computed = tops_sum if tops_sum is not None else leaves_sum
    scored_sum = None
    if tops_sum is None and leaves_sum is None:
        # neither every top nor every leaf has points: add the highest scored item of each branch
        def highest(n: Node) -> list[Node]:
            if n.is_veto or n.is_bonus:
                return []
            if n.score is not None:
                return [n]
            return [m for c in n.children for m in highest(c)]
        scored = [m for c in root.children for m in highest(c)]
        if scored:
            scored_sum = sum((m.score or Decimal(0) for m in scored), Decimal(0))
    if weighted:
        leaves_sum = None     # leaves under weights are not points of the whole table
    if stated is not None:
        for what_zh, what_en, value in (("各一级指标", "the level-1 indicators", tops_sum),
                                        ("各末级指标", "the leaf indicators", leaves_sum),
                                        ("列出分值的各指标", "the indicators that state points", scored_sum)):
            if value is not None and value != stated:
                problems.append(Message(
                    f"分值不一致：表中合计为 {plain_decimal(stated)} 分，{what_zh}合计 {plain_decimal(value)} 分",
                    f"scores do not add up: the table's total is {plain_decimal(stated)} but {what_en} "
                    f"sum to {plain_decimal(value)}",
                ))
    fw_name = name or title_above(sheet, cmap) or default_name
    dept_totals, dept_problems = department_scores(sheet, cmap, rows)
    problems += dept_problems
    return ParsedFramework(
        department_totals=dept_totals,
        name=fw_name,
        root=root,
        stated_total=stated,
        total_score=stated if stated is not None else computed,
        computed_total=computed,
        data_cutoff=data_cutoff,
        sheet=sheet.name,
        mapping=cmap,
        rows=rows,
        problems=problems,
        warnings=warnings,
    )


def to_spec(parsed: ParsedFramework, source_file: str):
    def conv(n: Node) -> IndicatorSpec:
        t = n.target
        return IndicatorSpec(
            code=n.code,
            title=n.title,
            max_score=n.score,
            scoring_rule="\n".join(n.rules),
            is_key=n.is_key,
            is_veto=n.is_veto,
            target_comparator=t.comparator if t else None,
            target_value=t.value if t else None,
            target_unit=t.unit if t else "",
            target_text=n.target_text,
            children=[conv(c) for c in n.children],
            explicit_code=n.explicit_code,
        )

    return FrameworkSpec(
        name=parsed.name,
        indicators=[conv(c) for c in parsed.root.children],
        total_score=parsed.total_score,
        data_cutoff=parsed.data_cutoff,
        is_sample="示例" in parsed.name,
        source_file=source_file,
    )


def read_framework(path: str | Path, *, sheet: str | None = None, mapping: str | None = None,
                   header_row: int | None = None, name: str = "", sheets: list[Sheet] | None = None,
                   ) -> tuple[ParsedFramework, ImportReport]:
    """Parse a framework table without touching any archive."""
    path = Path(path)
    sheets = read_sheets(path) if sheets is None else sheets
    if sheet is None:   # a sheet named by the clerk is read alone
        sheets = join_continued(sheets)
    s, cmap = choose_sheet(sheets, sheet, path, parse_mapping(mapping), header_row)
    if not cmap.hierarchy():
        raise BadInput(
            f"{path.name} 中找不到指标名称列（一级/二级/三级指标或“指标”列）；可用 --map title=列 指定",
            f"no indicator column (level1/level2/level3 or title) in {path.name}; give --map title=COLUMN",
        )
    parsed = parse_framework_sheet(s, cmap, name=name, default_name=path.stem)
    report = ImportReport(kind="framework", file=str(path), sheet=s.name, mapping=cmap.as_dict())
    for row in parsed.rows:
        if row.kind != "data":
            reason = {"blank": "空行", "note": "注释行", "total": "合计行", "section": "分节行",
                      "hidden": "隐藏行", "header": "重复的表头行"}[row.kind]
            report.skip(row.number, reason)
        else:
            report.rows_read += 1
    hidden = [r["row"] for r in report.skipped if r["reason"] == "隐藏行"]
    if hidden:
        report.warnings.append(Message(
            f"跳过了隐藏的行：{'、'.join(map(str, hidden))}",
            f"hidden rows skipped: {', '.join(map(str, hidden))}",
        ))
    report.problems += parsed.problems
    report.warnings += parsed.warnings
    report.framework_name = parsed.name
    report.items = [
        {
            "code": n.code,
            "level": n.level,
            "title": n.title,
            "max_score": n.score,
            "is_key": n.is_key,
            "is_veto": n.is_veto,
            "target": ({"comparator": n.target.comparator, "value": n.target.value,
                        "unit": n.target.unit, "text": n.target_text} if n.target else None),
            "scoring_rule": "\n".join(n.rules),
            "row": n.row,
            "code_stated": n.explicit_code,
        }
        for n in parsed.root.walk()
    ]
    by_level: dict[int, int] = {}
    for n in parsed.root.walk():
        by_level[n.level] = by_level.get(n.level, 0) + 1
    report.summary = {
        "indicators_by_level": {str(k): v for k, v in sorted(by_level.items())},
        "total_score": parsed.total_score,
        "stated_total": parsed.stated_total,
        "computed_total": parsed.computed_total,
        "key_items": sum(1 for n in parsed.root.walk() if n.is_key),
        "veto_items": sum(1 for n in parsed.root.walk() if n.is_veto and not n.children),
        "department_totals": parsed.department_totals,
        "bonus_items": [f"{n.code} {n.title}" for n in parsed.root.walk()
                        if n.is_bonus and n.parent is not None and not n.parent.is_bonus],
        "data_cutoff": parsed.data_cutoff,
    }
    if parsed.department_totals:
        listed = "、".join(f"{u} {plain_decimal(t)} 分" for u, t in parsed.department_totals.items())
        report.warnings.append(Message(
            f"此表为各单位分别计分（{listed}），各单位的分值不相加计入总分",
            f"each unit is scored out of its own total ({listed}); units' scores are not added together",
        ))
    for item in report.summary["bonus_items"]:
        report.warnings.append(Message(
            f"“{item}”是加分或扣分项，另行计分，未计入总分",
            f"'{item}' is a bonus or penalty item: scored apart, not summed into the total",
        ))
    if not report.items:
        raise BadInput(
            f"{path.name} 的工作表“{s.name}”中表头下没有读到任何指标"
            f"（表头在第 {cmap.header_rows[0] + 1 if cmap.header_rows else '?'} 行）",
            f"no indicators found under the header of sheet '{s.name}' in {path.name}",
        )
    return parsed, report


@without_collection
def import_framework(archive, path: str | Path, *, sheet: str | None = None,
                     mapping: str | None = None, header_row: int | None = None, name: str = "",
                     dry_run: bool = False, new: bool = False,
                     sheets: list[Sheet] | None = None) -> ImportReport:
    """Import (or re-import in place) a framework table in one transaction.

    A framework with the same name is updated in place (indicators matched by title, then
    code; evidence links kept) unless `new`. With `dry_run`, the same work is done inside a
    transaction that is rolled back, so the report shows exactly what would change.
    """

    parsed, report = read_framework(path, sheet=sheet, mapping=mapping, header_row=header_row,
                                    name=name, sheets=sheets)
    spec = to_spec(parsed, str(Path(path).name))
    session = archive.sessions.new_write_session()
    try:
        fw, diff = sync_framework(session, spec, new=new)
        report.framework_id = fw.id
        report.added, report.changed = diff.added, diff.changed
        report.removed, report.kept = diff.removed, diff.kept
        for k in diff.kept:
            report.warnings.append(Message(
                f"指标“{k['code']} {k['title']}”已不在新表中，但有佐证材料关联，已保留",
                f"indicator '{k['code']} {k['title']}' is gone from the table but has evidence linked; kept",
            ))
        finish(session, report, dry_run)
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    return report
