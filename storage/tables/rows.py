"""Walking the data rows of a table: skipping what is not data, and reading the indicator
path of each row the way a person reads it.

Kinds of rows met below a header: blank rows between sections, notes ("注：…"), a total row
("合计"), section rows merged across the table ("一票否决项", "一、质量发展理念（25分）"), rows
the author hid, and data. Level columns merged vertically (or simply left blank under their
first cell) carry their value down until a new value stands in them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from storage.kernel.text import fold
from storage.tables.columns import _CONTENT, ColumnMap, build_map, match_role
from storage.tables.grid import Sheet
from storage.tables.textparse import (
    Numbering,
    cell_text,
    clean_title,
    cn_to_int,
    one_line,
    parse_numbering,
    parse_score,
)

_NOTE = re.compile(r"^\s*(注|注释|说明|备注|填表说明|附注|数据来源|资料来源)\s*[0-9一二三四五六七八九十]*\s*[:：.、]")
# a 序号 cell as a column of 一 / 二 over 1 / 2 writes it, with or without its enumeration
# comma or stop ("一、", "二.", "3、"): the numeral is group 1
_CN_SERIAL = re.compile(r"([一二三四五六七八九十]{1,3})\s*[、.．]?")
_DEC_SERIAL = re.compile(r"(\d{1,3})\s*[、.．]?")
_NOTE_LABELS = {"备注", "注", "说明", "附注", "注释", "填表说明"}
# the form's own fields, above or under the table ("被考核人：", "考核人：", "施工单位：某公司",
# "考核时间：", "填表人：…"): no indicators
_FORM_FIELD = re.compile(r"^\s*(?:被?考[核评]人|考[核评]组长|考[核评]组|"
                         r"(?:施工|填报|被考核|被考评|考核|考评|参评|申报)?单位(?:名称)?(?:[（(]盖章[)）])?|"
                         r"填表人|审核人|负责人|签字|签名|日期|时间|考[核评]时间|考[核评]日期|盖章)\s*[:：]")
# letter codes as score sheets write them: "A", "B2", "A1.1" (a capital, then numbers); in a code
# column alone, or opening a title before its name ("A1 各部门…", "B、党组织建设")
# a letter's path may be written with hyphens ("A-1", "A-1-2", "B1-2"): read as the dotted path
# (A.1, A.1.2, B1.2)
_LETTER_CODE = re.compile(r"([A-Z])(?:[-－.．]?(\d{1,2}(?:[.．\-－]\d{1,2})*))?")
_LETTER_MARK = re.compile(r"\s*([A-Z](?:[-－]?\d{1,2}(?:[.．\-－]\d{1,2})*)?)(?:\s*[、.．:：]\s*|\s+|(?<=\d)(?=\S))"
                          r"(?=[\u4e00-\u9fff（(“])")


def letter_code(text: str) -> tuple[str, int] | None:
    """A letter code filling the cell ("A", "B2", "A1.1"): the code as written (full-width
    stops made plain) and its depth (A = 1, A1 = 2, A1.1 = 3); None for anything else."""
    m = _LETTER_CODE.fullmatch(text.strip())
    if m is None:
        return None
    code = re.sub(r"[-－]", ".", m.group(0).replace("．", "."))
    return code, 1 + (len(re.split(r"[.．\-－]", m.group(2))) if m.group(2) else 0)


def letter_mark(text: str) -> tuple[str, int, str] | None:
    """A letter code opening a title ("A1 各部门…", "B、党组织建设"): (code, depth, the rest).
    A letter run into a word ("B超", "QC成果") is no code."""
    m = _LETTER_MARK.match(text or "")
    if m is None:
        return None
    found = letter_code(m.group(1))
    return None if found is None else (found[0], found[1], text[m.end():])


# the ten heavenly stems (甲、乙、丙…) number blocks as 一、二、三 do
_STEMS = "甲乙丙丁戊己庚辛壬癸"
# Roman numerals (Ⅰ、 Ⅱ、 …) number blocks the same way ("Ⅲ—2" is a level-and-sequence mark, not this)
_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
_STEM_MARK = re.compile(rf"\s*([{_STEMS}{_ROMAN}])\s*[、.．]\s*(?=\S)")


def stem_mark(text: str) -> tuple[int, str] | None:
    """"甲、政策制度" → (1, "政策制度"), "Ⅱ、水资源保护" → (2, "水资源保护"): a block numbered by the
    heavenly stems or by Roman numerals."""
    m = _STEM_MARK.match(text or "")
    if m is None:
        return None
    ch = m.group(1)
    return (_STEMS.index(ch) + 1 if ch in _STEMS else _ROMAN.index(ch) + 1), text[m.end():]


def written_code(num: Numbering) -> str:
    """The code a code-column cell states, as the table writes it: letters kept ("A1.1"),
    numbers as their dotted path ("1-2-1" is 1.2.1)."""
    found = letter_code(num.label)
    return found[0] if found is not None else ".".join(str(v) for v in num.values)
_TOTAL = {"合计", "总计", "总分", "合计分值", "总分值", "满分", "合计满分"}


@dataclass
class Row:
    """One row of the sheet as the importers see it.

    Attributes:
        r: 0-based row index.
        kind: data | blank | note | total | section | hidden | header (the header repeated).
        text: role → cell text (first column of that role).
        raw: role → raw cell value (for dates and serial numbers).
        path: the indicator path [(level, raw title)], top first (data rows only).
    """

    r: int
    kind: str
    text: dict[str, str] = field(default_factory=dict)
    raw: dict[str, object] = field(default_factory=dict)
    path: list[tuple[int, str]] = field(default_factory=list)
    section: str = ""
    scores: dict[int, object] = field(default_factory=dict)  # hierarchy column index → score
    weights: set[int] = field(default_factory=set)   # owners whose score came from a 权重 column
    hier_len: int = 0   # hierarchy columns of the header block the row was read by
    serial_at: int = -1   # the path entry its own 序号 numbers (-1: the leaf)
    level_codes: dict[int, str] = field(default_factory=dict)   # level → the code its code column states
    # several points columns of one level, each scoring one type (河流 行洪河道·城市建成区段 |
    # 农村/郊野段 …, 县级 | 乡级): type label → the row's points in that column
    type_scores: dict[str, object] = field(default_factory=dict)

    @property
    def number(self) -> int:
        return self.r + 1


# a subtotal ("小计分值 | | 30 | 小计得分") is the sheet's total only when it is the sheet's one
# total-like row: after each of several blocks it is that block's, and says nothing of the whole
_SUBTOTAL = {"小计", "小计分值", "分值小计"}


def _is_total(text: str) -> bool:
    return fold(text) in _TOTAL or fold(text) in _SUBTOTAL   # fold drops every space already


class RowReader:
    """Reads rows in order, keeping the state a person keeps while reading down the table:
    the current value of each level column, the numbering styles seen, the current section."""

    def __init__(self, sheet: Sheet, cmap: ColumnMap) -> None:
        self.sheet = sheet
        self.stated_total: object = None
        self._totals = 0                       # 合计/总分 rows met
        self._subtotals: list[object] = []     # 小计 rows met
        self.section = ""
        self.blocks = 1
        self._setup(cmap)

    def _setup(self, cmap: ColumnMap) -> None:
        """Read the rows that follow by `cmap` (the first header, or a second header block)."""
        sheet = self.sheet
        self.cmap = cmap
        self.hier = cmap.hierarchy()
        self.label_keys = {c: {fold(x) for x in t.split("/")} for c, t in cmap.labels.items() if t}
        self.carry: list[str] = [""] * len(self.hier)
        self.kind_levels: dict[str, int] = {}
        self.last_numbered_level = 0
        self.serial_block = ""   # the open 一/二 block of a 序号 column numbering two levels
        explicit_cols = {c for role in cmap.explicit for c in cmap.roles.get(role, [])}
        self.visible_cols = [
            c for c in range(sheet.ncols) if c not in sheet.hidden_cols or c in explicit_cols
        ]
        code_col = cmap.col("code")
        self.dotted_codes = code_col is not None and any(
            # 1.1 / 1.1.1, or the same written with hyphens (1-1, 1-1-1)
            re.fullmatch(r"\s*\d{1,3}(\s*[.．]\s*\d{1,3})+\s*|\s*\d{1,3}(\s*[-－]\s*\d{1,2})+\s*",
                         cell_text(sheet.get(r, code_col)))
            for r in range(cmap.data_start, sheet.nrows)
        )
        # a 序号 column numbering its level-1 rows 一, 二 … and the rows under them 1, 2 … (on
        # across the blocks): its numbers give the levels, as a heading's numbering would
        serials = [cell_text(sheet.get(r, code_col)).strip() for r in range(cmap.data_start, sheet.nrows)
                   ] if code_col is not None and not self.dotted_codes else []
        # a code column of letter codes (A / A1 / A1.1): each row's code, its depth the level
        # (a note, a total or the header printed again in the column are no codes of the count)
        label = fold(cmap.labels.get(code_col, "")) if code_col is not None else ""
        filled = [v for v in serials if v and not _is_total(v) and fold(v) != label
                  and re.fullmatch(r"[\dA-Za-z一二三四五六七八九十.．、\-－()（）\s]+", v)]
        self.letter_codes = bool(filled) and sum(1 for v in filled if letter_code(v)) * 5 >= len(filled) * 4
        # code columns standing each before a level column (一级指标代码 | 一级指标 | 二级指标代码 |
        # 二级指标): each states the code of its level's item ("A" over "10" is A.10)
        self.level_code_cols: dict[int, int] = {}
        for c in cmap.roles.get("level_code", []):
            right = [i for i, hc in enumerate(self.hier) if hc > c]
            if right:
                self.level_code_cols.setdefault(right[0], c)
        self.mixed_serials = (any(_CN_SERIAL.fullmatch(v) for v in serials)
                              and any(_DEC_SERIAL.fullmatch(v) for v in serials))
        mapped = {c for cols in cmap.roles.values() for c in cols}
        self.mapped_cols = [c for c in self.visible_cols if c in mapped] or self.visible_cols
        # Score columns: each belongs to the nearest hierarchy column on its left.
        self.score_cols: list[tuple[int, int]] = []  # (score column, hierarchy index or -1)
        for sc in cmap.roles.get("score", []):
            owner = -1
            for i, hc in enumerate(self.hier):
                if hc < sc:
                    owner = i
            self.score_cols.append((sc, owner))
        multi_score = len(self.score_cols) > 1
        if not multi_score:
            self.score_cols = [(sc, self._learned_owner(sc)) for sc, _ in self.score_cols]
        self.type_cols = self._type_columns()

    def _under_header(self, r: int) -> bool:
        """A row of the header's lower tiers (指标分值 over 行洪河道 over 城区段): every level cell of
        it is a header cell merged down, so it names no indicator."""
        header = self.cmap.header_rows
        return bool(header and self.hier) and all(
            self.sheet.is_copy(r, c) and header[0] <= self.sheet.anchor[(r, c)][0] <= header[-1]
            for c in self.hier)

    def _type_columns(self) -> dict[int, str]:
        """Points columns of one level that each score a type of what is assessed (幸福河湖:
        指标层分值 over 行洪河道 | 排沥及其他河道, each over 城市建成区段 | 农村/郊野段; or 县级分值 |
        乡级分值): score column → its type label, the header words under the common ones joined
        by "·". Such columns are alternatives, never added together; {} when there are none."""
        groups: dict[int, list[int]] = {}
        for sc, owner in self.score_cols:
            groups.setdefault(owner, []).append(sc)
        cols = next((g for g in groups.values() if len(g) >= 2), None)
        if cols is None or any(self.sheet.span.get((r, c), (1, 1))[0] > 1
                               for c in cols for r in range(self.cmap.data_start, self.sheet.nrows)):
            return {}
        header = self.cmap.header_rows
        rows = list(header)
        r = (header[-1] + 1) if header else 0
        # rows under the header whose level cells are the header's merged down: sub-headers
        while r < self.sheet.nrows and self._under_header(r):
            rows.append(r)
            r += 1
        words = {c: list(dict.fromkeys(t for rr in rows if (t := one_line(cell_text(self.sheet.get(rr, c))))))
                 for c in cols}
        common = set.intersection(*(set(w) for w in words.values()))
        labels = {c: "·".join(w for w in words[c] if w not in common) or self.cmap.labels.get(c, "") for c in cols}
        return labels if len(set(labels.values())) == len(cols) and all(labels.values()) else {}

    # -- classification -------------------------------------------------------------------
    def rows(self) -> list[Row]:
        out = []
        above = self._section_above_header()
        if above is not None:
            out.append(above)
        for r in range(self.cmap.data_start, self.sheet.nrows):
            out.append(self.read(r))
        return out

    def _section_above_header(self) -> Row | None:
        """"一、组织领导（25分）" merged across the sheet on the row right above the header (the
        title, then the block, then the header of the block's items): the block the rows under
        the header belong to, read as their first section row."""
        if not self.cmap.header_rows or min(self.cmap.header_rows) < 1:
            return None
        r = min(self.cmap.header_rows) - 1
        if r in self.sheet.hidden_rows:
            return None
        nonempty = {c: t for c in self.visible_cols if (t := cell_text(self.sheet.get(r, c)))}
        if not nonempty or len(set(nonempty.values())) != 1:
            return None
        first = nonempty[min(nonempty)]
        num = parse_numbering(first)
        if num is None or num.kind != "cn" or not self._is_section(r, nonempty):
            return None
        self.section = first
        return Row(r, "section", text={"section": first}, section=first)

    def read(self, r: int) -> Row:
        sheet = self.sheet
        if r in sheet.hidden_rows:
            return Row(r, "hidden")
        if self._under_header(r):
            return Row(r, "header")
        cells = {c: cell_text(sheet.get(r, c)) for c in self.visible_cols}
        nonempty = {c: t for c, t in cells.items() if t}
        if not nonempty:
            return Row(r, "blank")
        distinct = {t for t in nonempty.values()}
        first = nonempty[min(nonempty)]
        if len(distinct) == 1 and _NOTE.match(first):
            return Row(r, "note", text={"note": first})
        if all(_FORM_FIELD.match(t) for t in distinct):
            return Row(r, "note", text={"note": "；".join(sorted(distinct))})
        if fold(first) in _NOTE_LABELS and len(nonempty) >= 2:
            # "备注 | 只有…的部门，扣分加倍。 | 原扣5分-现扣10分": a row the word 备注 opens, its
            # note in the cells beside it, is the sheet's note, not an indicator named 备注
            return Row(r, "note", text={"note": "\n".join(t for c, t in sorted(nonempty.items())[1:])})
        named_cols = set(self.hier) | {self.cmap.col("code")} | set(self.cmap.roles.get("level_code", []))
        if any(_is_total(t) for c, t in nonempty.items() if c in named_cols):
            score = None
            for sc, _ in self.score_cols:
                v = sheet.get(r, sc)
                if v not in (None, ""):
                    score = v
            if any(fold(t) in _TOTAL for c, t in nonempty.items() if c in named_cols):
                self.stated_total, self._totals = score, self._totals + 1
            else:
                self._subtotals.append(score)
                if not self._totals:
                    # the one subtotal of a sheet is its total; several are blocks' own
                    self.stated_total = score if len(self._subtotals) == 1 else None
            return Row(r, "total", raw={"score": score})
        if self._is_header_repeat(nonempty):
            return Row(r, "header")
        other = self._other_header(r, nonempty)
        if other is not None:
            # a second header block with columns of its own (an assessment sheet's 加分项
            # table under the main one): the rows below it are read by its columns
            self._setup(other)
            self.blocks += 1
            group = next((t for t in nonempty.values() if re.search(r"加分|扣分|奖励|鼓励|否决", t)), "")
            if group:   # "加分项目 | 分值 | 评分标准": the block is a group of its own
                self.section = group
                return Row(r, "section", text={"section": group}, section=group)
            return Row(r, "header")
        if self._is_section(r, nonempty):
            self.section = first
            self.carry = [""] * len(self.hier)
            return Row(r, "section", text={"section": first}, section=first)
        row = Row(r, "data", section=self.section, hier_len=len(self.hier))
        for role, cols in self.cmap.roles.items():
            c = cols[0]
            v = sheet.get(r, c)
            row.raw[role] = v
            row.text[role] = cell_text(v)
        # Several columns of one role (e.g. two evidence columns): join them.
        for role, cols in self.cmap.roles.items():
            if len(cols) > 1 and role not in ("title", "score"):
                # a cell merged across two of them is said once
                row.text[role] = "\n".join(t for c in cols if (c == cols[0] or not sheet.is_copy(r, c))
                                           and (t := cell_text(sheet.get(r, c))))
        row.path = self._path(r)
        for i, c in self.level_code_cols.items():
            if code := cell_text(sheet.get(r, c)).strip():
                row.level_codes[i + 1] = code
        if self.mixed_serials and len(self.hier) >= 2:
            row.path, row.serial_at = self._serial_blocks(r, row.path)
        for sc, owner in self.score_cols:
            if sheet.is_copy(r, sc):
                continue  # a merged score belongs to the row where its block starts
            v = sheet.get(r, sc)
            if v in (None, ""):
                continue
            if owner < 0:
                owner = self._score_owner(r, sc)
            if sc in self.type_cols:
                # points per type: the item keeps the first type's points, every type's apart
                row.type_scores[self.type_cols[sc]] = v
                row.scores.setdefault(owner, v)
                continue
            row.scores[owner] = v
            if "权重" in self.cmap.labels.get(sc, ""):
                row.weights.add(owner)
        return row

    def _other_header(self, r: int, nonempty: dict[int, str]) -> ColumnMap | None:
        """This row is a header of its own (two roles or more, a content column among them,
        nearly every filled cell a column name) naming other columns than the current one."""
        if self.cmap.explicit or len(nonempty) < 2 or any(len(t) > 20 for t in nonempty.values()):
            return None   # a header's cells are short names
        roles = {c: role for c, t in nonempty.items() if (role := match_role(t))}
        if (len(set(roles.values())) < 2 or not (_CONTENT & set(roles.values()))
                or len(roles) * 5 < len(nonempty) * 4):
            return None
        current = {c: role for role, cols in self.cmap.roles.items() for c in cols}
        if all(current.get(c) == role for c, role in roles.items()):
            return None
        return build_map(self.sheet, [r])

    def _is_header_repeat(self, nonempty: dict[int, str]) -> bool:
        """The header printed again further down (a second block of the same table, or a
        page's repeated title row typed in): at least two cells repeat their column's name."""
        if not self.label_keys or any(len(t) > 40 for t in nonempty.values()):
            return False
        same = sum(1 for c, t in nonempty.items() if c in self.label_keys and fold(t) in self.label_keys[c])
        return same >= 2 and same * 2 >= len(nonempty)

    def _is_section(self, r: int, nonempty: dict[int, str]) -> bool:
        """A row merged across most of the table, holding one text."""
        anchors = set()
        for c in nonempty:
            anchors.add(self.sheet.anchor.get((r, c), (r, c)))
        if len(anchors) != 1:
            return False
        (ar, ac), = anchors
        rows, cols = self.sheet.span.get((ar, ac), (1, 1))
        return cols >= max(2, (len(self.mapped_cols) + 1) // 2) and rows == 1

    def _learned_owner(self, sc: int) -> int:
        """A score column whose merged blocks line up with an upper level's merged blocks
        belongs to that level on every row (also where a block is one row tall)."""
        votes: dict[int, int] = {}
        for (ar, ac), (rows, _) in self.sheet.span.items():
            if ac != sc or rows <= 1 or ar < self.cmap.data_start:
                continue
            owner = self._score_owner(ar, sc)
            votes[owner] = votes.get(owner, 0) + 1
        if not votes:
            return self._repeated_owner(sc)
        best = max(votes, key=lambda k: votes[k])
        return best

    def _repeated_owner(self, sc: int) -> int:
        """A points column standing between level columns (考核项目 | 项目分值 | 考核内容) whose value
        is one and the same on every row of each block of the level on its left (written on each
        row, or once and left blank below) is that level's points, not its items' (their points
        are written elsewhere, e.g. in their names). Else -1 (the row's leaf)."""
        left = [i for i, hc in enumerate(self.hier) if hc < sc]
        if not left or not any(hc > sc for hc in self.hier):
            return -1
        lc = self.hier[left[-1]]
        groups: list[tuple[int, set[str]]] = []   # (rows, distinct points) per block
        stated: list[object] = []   # the points each block's own name states ("组织保障（20分）"), or None
        key = None
        for r in range(self.cmap.data_start, self.sheet.nrows):
            name = cell_text(self.sheet.get(r, lc)).strip()
            if not name and key is None:
                continue
            if name and name != key:
                key = name
                groups.append((0, set()))
                stated.append(clean_title(name).score)
            rows, vals = groups[-1]
            v = cell_text(self.sheet.get(r, sc)).strip()
            groups[-1] = (rows + 1, vals | ({v} if v else set()))
        if any(len(vals) > 1 for _, vals in groups):
            return -1
        # "组织保障（20分）" over two rows of 10分: the block states its own points, other than the
        # column's, so the column holds its items' points
        if any(own is not None and rows >= 2 and len(vals) == 1
               and parse_score(next(iter(vals))) not in (None, own)
               for (rows, vals), own in zip(groups, stated, strict=True)):
            return -1
        return left[-1] if any(rows >= 2 and len(vals) == 1 for rows, vals in groups) else -1

    def _score_owner(self, r: int, sc: int) -> int:
        """Which level a single score column's value belongs to: the level whose merged block
        covers exactly the rows the score's merged block covers; else the row's leaf (-1)."""
        span = self.sheet.span.get((r, sc))
        if not span or span[0] <= 1:
            return -1
        for i, hc in enumerate(self.hier):
            if self.sheet.span.get((r, hc), (1, 1))[0] == span[0]:
                if i < len(self.hier) - 1:
                    return i
        return -1

    # -- the indicator path -------------------------------------------------------------------
    def _path(self, r: int) -> list[tuple[int, str]]:
        if len(self.hier) >= 2:
            return self._path_columns(r)
        if len(self.hier) == 1:
            return self._path_numbering(r, cell_text(self.sheet.get(r, self.hier[0])))
        return []

    def _path_columns(self, r: int) -> list[tuple[int, str]]:
        # a cell merged across from the level column on its left ("（一）重点工作（500分）" over
        # 项目名称 | 项目名称) is that level's value, not a level of its own
        vals = ["" if self.sheet.anchor.get((r, c), (r, c))[1] != c else cell_text(self.sheet.get(r, c))
                for c in self.hier]
        deepest = max((i for i, v in enumerate(vals) if v), default=-1)
        if deepest < 0:
            # A continuation row (another task of the same indicator, levels left blank).
            return [(i + 1, v) for i, v in enumerate(self.carry) if v]
        out = []
        for i, v in enumerate(vals):
            if v:
                if v != self.carry[i]:
                    self.carry[i] = v
                    for j in range(i + 1, len(self.carry)):
                        if not vals[j]:
                            self.carry[j] = ""
                out.append((i + 1, v))
            elif i < deepest and self.carry[i]:
                # Blank above a deeper value: the value above still holds (merged or not).
                out.append((i + 1, self.carry[i]))
        return out

    def _serial_blocks(self, r: int, path: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], int]:
        """Several level columns under a 序号 column of 一、/二、 over 1, 2 …: a row numbered 一、
        opens a block of its own (its title whichever level column holds it, merged across or
        not), and the rows after it are read by their columns under that block (entry 0 of
        their path). Their own 序号 numbers the first level whose cell on the row is not a
        group merged over more rows than the 序号 cell ("1 | 重点考核部门 | 县委农工部": 1 is
        县委农工部). Returns the path and the entry the row's 序号 numbers."""
        num = self.code_numbering(r)
        if num is not None and num.kind == "cn" and path:
            self.serial_block = path[-1][1] if len(path) == 1 else path[0][1]
            self.carry = [""] * len(self.hier)
            return [(path[0][0], self.serial_block)], 0
        if not self.serial_block or not path:
            return path, -1
        out = [(0, self.serial_block)] + path
        if num is None:
            return out, -1
        code_col = self.cmap.col("code")
        tall = self.sheet.span.get((r, code_col), (1, 1))[0] if code_col is not None else 1
        for k, (lv, _) in enumerate(path):
            c = self.hier[lv - 1]
            anchor = self.sheet.anchor.get((r, c), (r, c))
            if anchor[0] == r and self.sheet.span.get(anchor, (1, 1))[0] <= tall:
                return out, k + 1
        return out, -1

    def _level_of(self, num: Numbering) -> int:
        if num.kind.startswith("dotted"):
            return int(num.kind[6:])
        if num.kind == "dec_space":
            key = "dec"
        else:
            key = num.kind
        if key not in self.kind_levels:
            self.kind_levels[key] = len(self.kind_levels) + 1
        return self.kind_levels[key]

    def _path_numbering(self, r: int, text: str) -> list[tuple[int, str]]:
        """One title column: the level comes from the numbering (or a dotted code)."""
        if not text:
            return []
        num = self.code_numbering(r)
        if num is None:
            num = clean_title(text).numbering
        stem = stem_mark(text) if num is None else None
        if stem is not None:
            num = Numbering("stem", (stem[0],), stem[1], text[: len(text) - len(stem[1])].strip())
        mark = letter_mark(text) if num is None else None
        if mark is not None:
            # "A 政策制度" / "A1 各部门…" / "A1.1 …": the letter code's depth is the level
            level = mark[1]
            self.last_numbered_level = level
        elif num is not None:
            level = self._level_of(num)
            self.last_numbered_level = level
        else:
            level = self.last_numbered_level + 1
        return [(level, text)]

    def code_numbering(self, r: int) -> Numbering | None:
        """A hierarchical code in the code column (1 / 1.1 / 1.1.1), as numbering; in a column
        of 一, 二 over 1, 2 … the Chinese numerals number one level and the digits the next."""
        if self.mixed_serials:
            code = self.row_code(r).strip()
            if m := _CN_SERIAL.fullmatch(code):
                return Numbering("cn", (cn_to_int(m.group(1)) or 0,), "", code)
            if m := _DEC_SERIAL.fullmatch(code):
                return Numbering("dec", (int(m.group(1)),), "", code)
            return None
        if self.letter_codes:
            found = letter_code(self.row_code(r))
            if found is None:
                return None
            code, depth = found
            values = (ord(code[0]) - 64,) + tuple(int(x) for x in code[1:].split(".") if x)
            return Numbering(f"dotted{depth}", values, "", code)
        if not self.dotted_codes:
            return None
        code = self.row_code(r).strip()
        if re.fullmatch(r"\d{1,3}", code):
            return Numbering("dotted1", (int(code),), "", code)
        num = parse_numbering(code)
        return num if num is not None and num.kind.startswith("dotted") else None

    def row_code(self, r: int) -> str:
        c = self.cmap.col("code")
        return cell_text(self.sheet.get(r, c)) if c is not None else ""
