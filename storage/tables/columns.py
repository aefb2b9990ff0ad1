"""Finding the header of a hand-made table and what each column means.

The header is the first row (of the first 40) where at least two cells read as known column
names, whatever title rows stand above it ("附件1", "…工作责任分解表"). A second header row
under it (two-row headers with merged group cells such as 评价指标 over 一级/二级/三级指标,
or 责任单位 over 牵头/配合) is read too. An explicit mapping (`code=A,title=C,lead=牵头单位`)
overrides what was detected, column by column.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from storage.kernel.errors import BadInput
from storage.kernel.text import fold
from storage.tables.assign import is_unit_name
from storage.tables.grid import Sheet, col_index, col_letter
from storage.tables.textparse import cell_text, clean_title, one_line, parse_numbering, parse_target

HEADER_SCAN_ROWS = 40

# Roles a column can have. Hierarchy: level1..level4 (explicit) and title (level from
# numbering, or the next level when several title columns stand side by side).
ROLES = (
    "code", "level_code", "level1", "level2", "level3", "level4", "title", "score", "rule", "key", "veto",
    "target", "task", "lead", "cooperating", "departments", "evidence", "deadline", "notes", "grade",
)
ROLE_NAMES_ZH = {
    "code": "序号/编号", "level_code": "各级指标代码", "level1": "一级指标", "level2": "二级指标", "level3": "三级指标",
    "level4": "四级指标", "title": "指标/考核项目", "score": "分值", "rule": "评分标准",
    "key": "关键项", "veto": "一票否决", "target": "目标值", "task": "工作任务",
    "lead": "牵头单位", "cooperating": "配合单位", "departments": "责任单位",
    "evidence": "佐证材料", "deadline": "完成时限", "notes": "备注", "dept_score": "各单位分值", "persons": "责任人",
    "grade": "等次分值",
}

# A grade column of an assessment sheet: 优秀 | 良好 | 合格 | 不合格 (each cell the points that grade
# earns), or the points in the header itself ("优 10" | "良 8" | "中（6分）").
GRADE_LABEL = re.compile(
    r"^(优秀|优|良好|良|较好|好|中等|中|一般|合格|基本合格|较差|差|不合格|不达标|达标|基本达标)"
    r"\s*[(（]?\s*(\d{1,3}(?:\.\d{1,2})?)?\s*分?\s*[)）]?$")


def grade_label(text: str) -> tuple[str, str] | None:
    """(grade, points in the header or "") of a grade column's label, None for other labels."""
    m = GRADE_LABEL.match(re.sub(r"\s+", "", text or ""))
    return (m.group(1), m.group(2) or "") if m else None


def _grade_columns(upper: dict[int, str], lower: dict[int, str]) -> set[int]:
    """Columns whose own label is a grade, two or more of them side by side."""
    own = {c: (lower.get(c) or upper.get(c, "")) for c in set(upper) | set(lower)}
    cols = sorted(c for c, t in own.items() if grade_label(t) is not None)
    runs: list[list[int]] = []
    for c in cols:
        if runs and c == runs[-1][-1] + 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    return {c for run in runs if len(run) >= 2 for c in run}

# (role, exact labels, substrings) — tried in order; the first that fits wins.
_RULES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("veto", ("一票否决", "一票否决项", "否决项", "是否一票否决"), ("否决",)),
    # who scores the row (考核责任单位, 负责考核单位, 评分部门) is not who does the work: a note
    ("notes", ("考核责任单位", "负责考核单位", "评分部门", "评分单位", "考核单位", "考核部门", "考核责任部门",
               "评价部门", "评价单位", "负责考核部门", "检查单位", "被考核单位",
               # who scores, or gives the data, is no unit of the work (考核牵头部门 stays a lead
               # column: 质量工作考核 sheets name there the department in charge of the indicator)
               "责任考核单位", "考核主体", "评价主体", "评分牵头单位", "考核实施单位", "考核组织单位",
               "数据来源单位", "数据提供单位", "数据来源", "数据提供部门"),
     ("负责考核", "考核责任单位", "考核责任部门", "评分部门", "评分单位", "数据来源", "数据提供")),
    ("key", ("关键项", "是否关键项", "关键指标", "重点项"), ("关键项",)),
    ("code", ("序号", "编号", "序", "指标编号", "指标代码", "代码", "指标序号", "no", "no."), ("编号", "序号")),
    ("level1", ("一级指标", "一级", "一级指标名称", "考核项目", "一级项目", "检查项目", "考核项目及分数",
                "考核项目及分值", "考核类别", "评价类别", "考核大项", "类别", "项目类别", "考核条目"), ("一级指标",)),
    ("level2", ("二级指标", "二级", "二级指标名称", "建设内容", "考核内容", "二级项目", "考核要点", "检查内容",
                "考核具体内容", "对应检查内容及分值", "检查内容及分值", "考核细目", "考核要求", "考核内容及要求",
                "检查内容及要求"), ("二级指标",)),
    ("level3", ("三级指标", "三级", "三级指标名称", "建设指标", "具体指标", "三级项目"), ("三级指标",)),
    ("level4", ("四级指标", "四级", "四级指标名称"), ("四级指标",)),
    ("score", ("分值", "分数", "满分", "标准分", "各项分值", "分值分", "权重", "得分标准分", "指标分值",
               "赋分", "基准分", "基本分", "基础分", "基础分值", "标准分值", "应得分", "应得分数", "应得分值",
               "标准分数", "标分"),
     ("分值", "满分", "标准分", "赋分")),
    ("rule", ("评分标准", "评价标准", "考评标准", "考核标准", "评分细则", "评分办法", "评分方法",
              "评价内容", "评价要点", "考核评分标准", "赋分办法", "赋分方法", "赋分标准", "计分方法",
              "计分标准", "扣分标准", "扣分办法", "考核细则", "考核方法", "检查方法", "检查标准", "验收标准",
              "考核方式", "考核办法", "评价方式", "评价方法",
              "评定标准",
              # what an indicator means (指标说明 beside 二级指标): its description, never a level
              "指标说明", "指标解释", "指标含义", "指标释义", "指标内涵", "指标定义"),
     ("评分", "评价标准", "考评标准", "考核标准", "细则")),
    ("target", ("目标值", "指标值", "目标", "目标要求", "指标要求", "量化要求", "量化指标"), ("目标值",)),
    ("lead", ("牵头单位", "牵头部门", "主责单位", "牵头", "主责部门", "牵头责任单位"), ("牵头",)),
    ("cooperating", ("配合单位", "配合部门", "协办单位", "配合", "参与单位", "协同单位", "协助单位", "协助部门",
                     "协作单位", "协同部门", "参与部门", "协作部门", "配合科室", "协办科室"), ("配合", "协办", "协助")),
    ("departments", ("责任单位", "责任部门", "承办单位", "实施单位", "责任主体", "单位", "实施主体", "主办单位",
                     "承办部门", "主办部门", "责任科室", "责任股室", "主责科室", "责任处室"),
     ("责任单位", "责任部门")),
    ("evidence", ("佐证材料", "佐证资料", "证明材料", "支撑材料", "佐证材料清单", "需提供材料", "材料清单",
                  "佐证材料要求", "备查材料", "背景材料"), ("佐证", "证明材料", "支撑材料")),
    ("deadline", ("完成时限", "完成时间", "时间节点", "时限", "完成期限", "时限要求", "完成时限要求", "检查时间"),
     ("时限", "完成时间", "时间节点")),
    ("task", ("任务内容", "工作任务", "重点任务", "具体任务", "工作内容", "任务", "主要任务", "工作措施",
              "具体措施", "工作要求", "任务分解", "抽查事项"), ("任务", "工作措施")),
    ("persons", ("牵头领导", "责任领导", "分管领导", "包保领导", "牵头县领导", "牵头市领导", "牵头区领导", "责任人",
                 "联系人", "具体责任人", "责任领导及责任人"), ("责任人", "联系人", "牵头领导", "责任领导")),
    ("notes", ("备注", "说明", "工作考核", "其他"), ("备注",)),
    ("title", ("指标", "评价指标", "考核指标", "指标名称", "评价项目", "项目", "项目名称", "指标内容", "考核项",
               "加分项目", "扣分项目", "加分项", "扣分项", "奖励项目", "加分事项", "考核事项"),
     ("指标",)),
]
PROGRESS_WORDS = ("已收", "已审核", "状态", "逾期", "剩余天数", "进度", "材料数", "催办")
_PROGRESS_WORDS = PROGRESS_WORDS


def _clean_label(text: str) -> str:
    t = fold(text)
    t = re.sub(r"[(（][^)）]*[)）]", "", t)  # "分值（分）" → "分值"
    t = re.sub(r"[\s:：*★/、]", "", t)
    # 考评 and 考核 name the same thing (考评内容 = 考核内容); "考核内容及计分" is the content column
    # 测评 (测评项目, 测评内容, 测评标准, 测评方法 of the 文明城市 sheets) is 考核 too
    return t.replace("考评", "考核").replace("测评", "考核")


_WITH_POINTS = re.compile(r"(?<=..)及(?:计分|分值|分数|评分|计分标准|评分标准)$")


@functools.lru_cache(maxsize=8192)
def match_role(text: str) -> str | None:
    """The role a header cell names, or None. Long texts are data, not headers."""
    label = _clean_label(text)
    if not label or len(label) > 16:
        return None
    if any(w in label for w in _PROGRESS_WORDS):
        return None  # our own export's progress columns: never imported
    role = _role_of_label(label)
    if role not in (None, "score") and (clean_title(text).score is not None
                                        or parse_numbering(text.strip()) is not None):
        return None   # "五、主要污染物总量减排任务（15分）": a numbered item stating its points is data
    return role


_CODE_SUFFIX = ("代码", "编码", "代号", "编号", "序号")


def _role_of_label(label: str) -> str | None:
    # "考核内容及计分" names the content column when the whole label names nothing
    # ("项目名称及分值" names the 项目名称 column: an exact name, with or without its "及分值",
    # goes before any word found inside the label)
    labels = tuple(dict.fromkeys((label, _WITH_POINTS.sub("", label))))
    if len(label) > 2 and label.endswith(_CODE_SUFFIX):
        return "code"   # 一级指标代码, 二级指标编号: the codes of a level, not the level
    for lab in labels:
        for role, exact, _ in _RULES:
            if lab in exact:
                return role
    for lab in labels:
        for role, _, subs in _RULES:
            if any(s in lab for s in subs):
                return role
    # last of all: a name nothing above knows that ends in 内容 (目标责任制内容) names what is
    # assessed
    if 4 <= len(labels[-1]) <= 10 and labels[-1].endswith("内容"):
        return "title"
    return None


@dataclass
class ColumnMap:
    """What each column of a sheet means.

    Attributes:
        header_rows: 0-based rows that make the header (empty when none was found and the
            mapping was given explicitly).
        data_start: first 0-based row of data.
        roles: role → columns (0-based), left to right.
        labels: column → header text as printed.
        explicit: roles that came from the user's mapping.
    """

    header_rows: list[int]
    data_start: int
    roles: dict[str, list[int]] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    explicit: set[str] = field(default_factory=set)
    ignored: list[int] = field(default_factory=list)

    def col(self, role: str) -> int | None:
        cols = self.roles.get(role)
        return cols[0] if cols else None

    def hierarchy(self) -> list[int]:
        """Columns that hold the indicator tree, top level first."""
        cols = [self.col(f"level{i}") for i in range(1, 5)]
        out = [c for c in cols if c is not None]
        titles = self.roles.get("title", [])
        # 项目 | 考核内容: a title column left of every level column is the level above them;
        # 测评项目 | 指标名称 | 测评内容: one standing between level columns is the level there
        inside = sorted([c for c in titles if out and c < max(out)] + out)
        return inside + [c for c in titles if c not in inside]

    def as_dict(self) -> dict[str, object]:
        return {
            "header_rows": [r + 1 for r in self.header_rows],
            "data_start_row": self.data_start + 1,
            "columns": {
                role: [
                    {"column": col_letter(c), "header": self.labels.get(c, ""),
                     "explicit": role in self.explicit}
                    for c in cols
                ]
                for role, cols in self.roles.items()
                if cols
            },
        }


def _row_labels(sheet: Sheet, r: int) -> dict[int, str]:
    out = {}
    for c in range(sheet.ncols):
        if c in sheet.hidden_cols:
            continue
        text = cell_text(sheet.get(r, c))
        if text:
            out[c] = text
    return out


def _header_roles(labels: dict[int, str]) -> dict[int, str]:
    return {c: role for c, t in labels.items() if (role := match_role(t))}


_CONTENT = {"level1", "level2", "level3", "level4", "title", "task", "rule", "lead", "departments"}


def detect_header(sheet: Sheet, *, scan: int = HEADER_SCAN_ROWS) -> ColumnMap | None:
    rows = [r for r in range(min(scan, sheet.nrows)) if r not in sheet.hidden_rows]
    for i, r in enumerate(rows):
        labels = _row_labels(sheet, r)
        roles = _header_roles(labels)
        roles.update(_named_points_levels(sheet, r, roles))
        if not _one_named_column(sheet, r, labels, roles, rows[i + 1] if i + 1 < len(rows) else None) and (
                len(set(roles.values())) < 2 or not (_CONTENT & set(roles.values()))):
            continue
        header = [r]
        # A second header row: its own (non-copied) cells all read as column names.
        if i + 1 < len(rows):
            r2 = rows[i + 1]
            own = {c: t for c, t in _row_labels(sheet, r2).items() if not sheet.is_copy(r2, c)}
            own_roles = _header_roles(own)
            # 评分标准 over 优秀 | 良好 | 合格 | 不合格: grade labels are column names too
            graded = {c for c in own if grade_label(own[c]) is not None}
            if len(graded) >= 2:
                own_roles.update({c: "grade" for c in graded if c not in own_roles})
            # unit names under a score group ("分值" over 县市场监管局 | 县农业农村局) are column names
            own_roles.update({c: "dept_score" for c, t in own.items() if c not in own_roles and is_unit_name(t)
                              and match_role(cell_text(sheet.get(r, c))) in ("score", None)})
            # a cell that states its points ("环境质量指标（35分）") is data, never a column name
            states_points = any(clean_title(t).score is not None for t in own.values())
            if own and not states_points and len(own_roles) * 5 >= len(own) * 4:
                header.append(r2)
        return _build_map(sheet, header)
    return None


def _named_points_levels(sheet: Sheet, r: int, roles: dict[int, str]) -> dict[int, str]:
    """序号 | 项目分值 | 标准: a column headed like points whose cells are names stating their
    points ("责任意识(10分)") holds the items with their points: a level, not a score column.
    (项目分值 over bare "30分" stays the points.)"""
    out: dict[int, str] = {}
    if _CONTENT & set(roles.values()):
        return out
    for c, role in roles.items():
        if role != "score":
            continue
        cells = [t for rr in range(r + 1, min(sheet.nrows, r + 41))
                 if not sheet.is_copy(rr, c) and (t := cell_text(sheet.get(rr, c)))]
        named = [t for t in cells if clean_title(t).score is not None and clean_title(t).text]
        if len(named) >= 2 and len(named) * 5 >= len(cells) * 4:
            out[c] = "level1"
    return out


def _one_named_column(sheet: Sheet, r: int, labels: dict[int, str], roles: dict[int, str],
                      below: int | None) -> bool:
    """A header that names only its indicator column ("考评指标 | 全市 | 宝应 | 高邮 …"): its
    first cell names the indicators, at least two short names stand beside it, and the row
    below holds an indicator under the first cell and values beside it."""
    if below is None or len(labels) < 3 or len(roles) != 1:
        return False
    first = min(labels)
    if roles.get(first) not in ("title", "level1") or any(len(t) > 8 for t in labels.values()):
        return False
    under = _row_labels(sheet, below)
    return bool(cell_text(sheet.get(below, first))) and len(under) >= 3


def _numeric_column(sheet: Sheet, c: int, start: int) -> bool:
    """Most filled cells of the column's first data rows are numbers (a score per unit)."""
    vals = [sheet.get(r, c) for r in range(start, min(sheet.nrows, start + 12))]
    vals = [v for v in vals if v not in (None, "")]
    nums = [v for v in vals if isinstance(v, (int, float)) or re.fullmatch(r"\s*\d+(\.\d+)?\s*分?\s*", str(v))]
    return bool(vals) and len(nums) * 3 >= len(vals) * 2


def build_map(sheet: Sheet, header: list[int]) -> ColumnMap:
    """The column map of a header made of the given rows (0-based)."""
    return _build_map(sheet, header)


def _build_map(sheet: Sheet, header: list[int]) -> ColumnMap:
    cmap = ColumnMap(header_rows=header, data_start=header[-1] + 1)
    dups: dict[int, str] = {}   # columns that named a role already taken
    upper = _row_labels(sheet, header[0])
    lower = _row_labels(sheet, header[1]) if len(header) > 1 else {}
    named_points = _named_points_levels(sheet, header[-1], _header_roles(lower or upper))
    grades = _grade_columns(upper, lower)
    for c in sorted(set(upper) | set(lower)):
        up, low = upper.get(c, ""), lower.get(c, "")
        if c in grades:
            # 评分标准 over 优秀 | 良好 | 合格 | 不合格: the points each grade earns, kept with the
            # item's rule; neither a level, nor its points, nor a rule column of its own
            cmap.labels[c] = low or up
            cmap.roles.setdefault("grade", []).append(c)
            continue
        role = match_role(low) if low else None
        if role is None and low and is_unit_name(low) and match_role(up) in ("score", None):
            role = "dept_score"   # 分值 over 县市场监管局 | 县农业农村局 …: each unit's own score
        if role is None and up and not low and is_unit_name(up) and _numeric_column(sheet, c, header[-1] + 1):
            role = "dept_score"
        if role is None and up:
            role = match_role(up)
            # An upper group label over a lower label we could not read: keep it unmapped
            # rather than guess (e.g. 责任单位 over an unknown sub-column).
        if c in named_points:
            role = named_points[c]
        label = low if low and low != up else up
        if up and low and low != up:
            label = f"{up}/{low}"
        cmap.labels[c] = label
        if role is None:
            cmap.ignored.append(c)
            continue
        multi = role in ("title", "score", "dept_score", "code", "grade")
        # 考核细则 merged over two columns (the duty | its deduction): both are the rule
        spans = role == "rule" and bool(cmap.roles.get(role)) and sheet.is_copy(header[0], c) \
            and sheet.anchor.get((header[0], c)) == (header[0], cmap.roles[role][-1])
        # 考核方法 | 考核细则: how an item is checked and how it is scored are both its rule
        method = role == "rule" and bool(cmap.roles.get(role)) and (
            _METHOD.fullmatch(fold(label.split("/")[-1])) is not None
            or any(_METHOD.fullmatch(fold(cmap.labels.get(x, "").split("/")[-1])) for x in cmap.roles[role]))
        if cmap.roles.get(role) and not multi and not spans and not method:
            cmap.ignored.append(c)
            dups[c] = role
            continue
        cmap.roles.setdefault(role, []).append(c)
    _levels_by_position(cmap, dups)
    _unnamed_points_column(sheet, cmap, set(upper) | set(lower))
    _level_code_columns(cmap)
    _indicator_columns(sheet, cmap)
    _requirement_columns(sheet, cmap)
    _describing_column(sheet, cmap)
    _bare_content_column(cmap)
    return cmap


_POINTS_CELL = re.compile(r"\s*\d{1,3}(?:\.\d{1,2})?\s*分\s*")


def _unnamed_points_column(sheet: Sheet, cmap: ColumnMap, named: set[int]) -> None:
    """项目 | 考核内容 | 评分标准 | (no name): a column the header leaves unnamed, right of the
    sheet's indicator columns, whose every filled cell is points ("10分", written with 分) is the
    points column of a sheet that has none."""
    if cmap.roles.get("score") or not cmap.hierarchy():
        return
    last = max(named | set(cmap.roles.get("rule", [])), default=-1)
    for c in range(sheet.ncols):
        if c in named or c in sheet.hidden_cols or c < min(cmap.hierarchy()) or c > last + 1:
            continue
        vals = [t for r in range(cmap.data_start, min(sheet.nrows, cmap.data_start + 60))
                if not sheet.is_copy(r, c) and (t := cell_text(sheet.get(r, c)))]
        if vals and all(_POINTS_CELL.fullmatch(v) for v in vals):
            cmap.roles["score"] = [c]
            cmap.labels[c] = ""
            return


_METHOD = re.compile(r"(?:考核|检查|考评|测评|评价|核查|验证)(?:方法|方式)")


def _describes(text: str) -> bool:
    """A cell that says what an item asks rather than naming one: a sentence ("…超过95%。"), a target
    ("≥200张", "达到100%"), or a list of numbered requirements ("1.必备科室…\n2.辅助科室…")."""
    line = one_line(text)
    if parse_numbering(line) is None and line.endswith(("。", "；", ";")):
        return True
    if re.match(r"[≥≤><＞＜]|不低于|不少于|不高于|不超过|达到|低于|高于", line):
        return True
    if parse_target(line) is not None and len(line) <= 16:
        return True
    lines = [x for x in text.split("\n") if x.strip()]
    return len(lines) >= 2 and all(parse_numbering(x.strip()) is not None for x in lines)


def _describing_column(sheet: Sheet, cmap: ColumnMap) -> None:
    """项目 | 小项内容 | 具体内容 | 分值, 指标名称 | 考核内容（指标标准） | 评分标准: the last column of the
    tree, when it never divides the item beside it (each of its cells spans the rows of that item's
    cell, one to one) and its cells are sentences ("…超过95%。"), says what each item asks: it is
    the item's description (read with its rule), not a level under it. Levels named by rank
    (三级指标) stay levels."""
    if any(r in cmap.explicit for r in (*_LEVELS, "title", "rule")):
        return
    hier = cmap.hierarchy()
    if len(hier) < 2:
        return
    last, prev = hier[-1], hier[-2]
    if "级" in cmap.labels.get(last, ""):
        return
    own = [r for r in range(cmap.data_start, sheet.nrows)
           if not sheet.is_copy(r, last) and cell_text(sheet.get(r, last)).strip()]
    if len(own) < 2:
        return
    for r in own:
        if sheet.is_copy(r, prev) or not cell_text(sheet.get(r, prev)).strip():
            return   # it runs on under an item above: it divides that item
        if sheet.span.get((r, last), (1, 1))[0] != sheet.span.get((r, prev), (1, 1))[0]:
            return
    texts = [cell_text(sheet.get(r, last)).strip() for r in own]
    if sum(1 for t in texts if _describes(t)) * 4 < len(texts) * 3:
        return
    for role in (*_LEVELS, "title"):
        if last in cmap.roles.get(role, []):
            cmap.roles[role] = [c for c in cmap.roles[role] if c != last]
            if not cmap.roles[role]:
                cmap.roles.pop(role)
    cmap.roles["rule"] = [last] + [c for c in cmap.roles.get("rule", []) if c != last]


def _level_code_columns(cmap: ColumnMap) -> None:
    """Several code columns: 一级指标代码 | 一级指标 | 二级指标代码 | 二级指标 (each right before
    the level whose codes it states) are level codes; otherwise the first is the code column
    and the others are left unread, as a column naming a role already taken always was."""
    codes = cmap.roles.get("code", [])
    if len(codes) < 2:
        return
    levels = {c for r in (*_LEVELS, "title") for c in cmap.roles.get(r, [])}
    if all(c + 1 in levels for c in codes):
        cmap.roles["level_code"] = cmap.roles.pop("code")
        return
    cmap.roles["code"] = codes[:1]
    cmap.ignored += codes[1:]


def _bare_content_column(cmap: ColumnMap) -> None:
    """序号 | 内容 | 背景材料 | 标分 | 验收标准: a column headed only 内容, beside a 序号 column on a
    sheet with no other title or level column, holds the items. (Alone, "内容" says too little
    to make a header of its own.)"""
    if "code" not in cmap.roles or "title" in cmap.roles or any(r in cmap.roles for r in _LEVELS):
        return
    bare = [c for c in cmap.ignored if _clean_label(cmap.labels.get(c, "")) == "内容"]
    if bare:
        cmap.ignored = [c for c in cmap.ignored if c != bare[0]]
        cmap.roles["title"] = [bare[0]]


# a requirement closing on its points in bare brackets ("…做到制度上墙。(2.5)"): points, as
# "(2.5分)" would be (only after a full stop, so "(2011)" in a name is never points)
SENTENCE_POINTS = re.compile(r"(?<=[。；;])\s*[(（]\s*(\d{1,2}(?:\.\d{1,2})?)\s*[)）]\s*$")


def _states_points(sheet: Sheet, c: int, start: int) -> bool:
    """Most of the column's own cells (merged copies aside) are items that state their points
    ("制度机制建设（1分）", "2.落实“两个责任”（7分）"): the column holds indicators."""
    cells = [(r, cell_text(sheet.get(r, c))) for r in range(start, min(sheet.nrows, start + 40))
             if not sheet.is_copy(r, c)]
    own = [t for _, t in cells if t]
    merged = any(sheet.span.get((r, c), (1, 1))[0] > 1 for r, t in cells if t)
    if len(own) < 2 and not (own and merged):
        return False   # one cell says little, unless it is a group merged over several rows
    # a deduction closing on its item's points ("未落实的不得分，酌情扣分。（共5分）") is a rule, not an item
    scored = [t for t in own if len(t) <= 60 and not _DEDUCTION.search(t)
              and (clean_title(t).score is not None or SENTENCE_POINTS.search(t))]
    return len(scored) * 5 >= len(own) * 3


_DEDUCTION = re.compile(r"扣\s*\d|扣分|不得分|酌情|不计分")


def _numbered_items(sheet: Sheet, c: int, start: int) -> bool:
    """Most of the column's own cells are short items that state their code ("1.1是否发生…",
    "2.4安全教育…"): the column holds indicators, whatever its header calls it (着重方面)."""
    own = [t for r in range(start, min(sheet.nrows, start + 40))
           if not sheet.is_copy(r, c) and (t := cell_text(sheet.get(r, c)))]
    # a cell listing a row's requirements "1、…\n2、…" is the standard of the row's upper item,
    # not an item: the column's other cells say what it holds
    own = [t for t in own if not numbered_list(t)]
    if len(own) < 2:
        return False
    numbered = [t for t in own if len(t) <= 80 and "\n" not in t and parse_numbering(t) is not None]
    return len(numbered) * 5 >= len(own) * 4


def numbered_list(text: str) -> bool:
    """A cell of two lines or more, each opening with the same kind of number counting 1, 2, …
    ("1、建立…\n2、有专、兼职…"): a list of requirements, not an item's name."""
    lines = [x for x in text.split("\n") if x.strip()]
    if len(lines) < 2:
        return False
    nums = [parse_numbering(x.strip()) for x in lines]
    kinds = {n.kind if n is not None else "" for n in nums}
    return len(kinds) == 1 and "" not in kinds and all(
        n is not None and n.values == (k + 1,) for k, n in enumerate(nums))


def _indicator_columns(sheet: Sheet, cmap: ColumnMap) -> None:
    """Columns whose header names nothing we know (考评内容, 绩效要求, 着重方面 …) but whose cells
    are indicators stating their points or their codes are levels of the tree, read by position with the named
    ones: a careful reader sees "食品安全县创建（8分）" over "1.5"-point rows as the upper level."""
    if "level1" in cmap.explicit or "title" in cmap.explicit:
        return
    hier = cmap.hierarchy()
    rule = cmap.roles.get("rule", [])
    # 考核标准 | 扣分标准: two rule columns, the first holding numbered items that state their
    # points ("1、按期完成换届选举（3分）。") or that each have their own points in the score
    # column ("1.专门成立活动组织机构" | 2 | 评分方式: 未落实的不得分): the first is the items,
    # the second their rule
    later = [c for c in cmap.ignored if rule and c > rule[0] and match_role(cmap.labels.get(c, "")) == "rule"]
    if hier and later and max(hier) < rule[0] and (_states_points(sheet, rule[0], cmap.data_start)
                                                   or _numbered_items(sheet, rule[0], cmap.data_start)):
        cmap.ignored = [c for c in cmap.ignored if c != later[0]] + list(rule)   # (a header merged over two)
        cmap.roles["rule"] = [later[0]]
        rule = cmap.roles["rule"]
    limit = min(rule) if rule else sheet.ncols
    found = [c for c in cmap.ignored if c < limit
             and (_states_points(sheet, c, cmap.data_start) or _numbered_items(sheet, c, cmap.data_start))]
    if not found or not hier:
        return
    cmap.ignored = [c for c in cmap.ignored if c not in found]
    levels = [c for r in _LEVELS for c in cmap.roles.get(r, [])]
    if levels:
        cols = sorted(set(levels) | set(found))[: len(_LEVELS)]
        for r in _LEVELS:
            cmap.roles.pop(r, None)
        for r, c in zip(_LEVELS, cols, strict=False):
            cmap.roles[r] = [c]
    else:
        cmap.roles["title"] = sorted(set(cmap.roles.get("title", [])) | set(found))


_LEVELS = ("level1", "level2", "level3", "level4")

_RULE_WORDS = re.compile(r"[得扣加]\s*\d|\d\s*分")


def _reads_as_requirements(sheet: Sheet, c: int, start: int) -> bool:
    """Most of the column's own cells are requirements or rules, not item names: long
    sentences, several lines, or points given and taken ("…，得2分", "扣1分")."""
    own = [t for r in range(start, min(sheet.nrows, start + 40))
           if not sheet.is_copy(r, c) and (t := cell_text(sheet.get(r, c)).strip())]
    if len(own) < 2:
        return False
    wordy = [t for t in own if len(t) > 24 or "\n" in t or _RULE_WORDS.search(t)]
    # points given or taken in a fair share of them: long indicator names never do
    scoring = [t for t in own if _RULE_WORDS.search(t)]
    return len(wordy) * 5 >= len(own) * 3 and len(scoring) * 4 >= len(own)


def _requirement_columns(sheet: Sheet, cmap: ColumnMap) -> None:
    """序号 | 考核项目 | 各项分值 | 考核指标: a column headed like indicators (考核指标) standing
    right of the named level column, when the sheet has no rule column and its cells are
    requirements ("进一步健全…组织体系。", "1.…，得2分。\n2.…"), is what each item is scored
    on, not a level under it: a careful reader takes it as the items' rule."""
    if "title" in cmap.explicit or "rule" in cmap.roles or "level1" in cmap.explicit:
        return
    levels = [c for r in _LEVELS for c in cmap.roles.get(r, [])]
    titles = cmap.roles.get("title", [])
    if not levels or len(titles) != 1 or titles[0] < max(levels):
        return
    c = titles[0]
    if _states_points(sheet, c, cmap.data_start) or not _reads_as_requirements(sheet, c, cmap.data_start):
        return
    cmap.roles.pop("title")
    cmap.roles["rule"] = [c]


def _levels_by_position(cmap: ColumnMap, dups: dict[int, str]) -> None:
    """Assessment sheets name their levels by what they hold, not by rank: 考核项目 | 考核要点 |
    考核内容, or 评价要点 | 对应检查内容. A careful reader takes such columns left to right as
    the levels of the tree, so:

    - a level column named a second time (考核要点 and 考核内容 both read as level 2) adds a
      level, and the level columns are renumbered by position;
    - a scoring-rule column standing left of every level column, while another rule column
      stands on their right, is the upper level (评价要点 | 检查内容 | 评分标准).
    """
    level_cols = [c for r in _LEVELS for c in cmap.roles.get(r, [])]
    scores = cmap.roles.get("score", [])
    # levels stand left of the points: 考核内容 | 分值 | 考核要求 has one level, and the
    # requirement beside the points is a note on it
    # (a level's own points merged down beside it, 考核项目 | 项目分值 | 考核内容 | 分值, leave the
    # levels on its right levels: only the points right of them all close the levels)
    # (and where the one points column stands between level columns, 考核项目 | 项目分值 | 考核内容 |
    # 考核要点 with the items' points in their names, the levels on its right stay levels)
    extra = [c for c, r in dups.items() if r in _LEVELS
             and not (scores and c > max(scores) and max(scores) > max(level_cols, default=-1))]
    rule = cmap.roles.get("rule", [])
    if level_cols and rule and rule[0] < min(level_cols) and any(
            r == "rule" and c > min(level_cols) for c, r in dups.items()):
        left = rule[0]
        right = min(c for c, r in dups.items() if r == "rule" and c > min(level_cols))
        cmap.roles["rule"] = [right]
        cmap.ignored = [c for c in cmap.ignored if c != right]
        extra.append(left)
    if not extra or "level1" in cmap.explicit:
        return
    cols = sorted(set(level_cols) | set(extra))[: len(_LEVELS)]
    for r in _LEVELS:
        cmap.roles.pop(r, None)
    for r, c in zip(_LEVELS, cols, strict=False):
        cmap.roles[r] = [c]
    cmap.ignored = [c for c in cmap.ignored if c not in cols]


def parse_mapping(spec: str | None) -> dict[str, str]:
    """"code=A,title=C,lead=牵头单位" → {role: column letter or header text}."""
    out: dict[str, str] = {}
    if not spec:
        return out
    for part in re.split(r"[,，;；]", spec):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise BadInput(
                f"列映射写法有误：“{part}”，应为 角色=列，例如 code=A,title=C,lead=牵头单位",
                f"bad column mapping '{part}': use role=column, e.g. code=A,title=C,lead=牵头单位",
            )
        role, col = (x.strip() for x in part.split("=", 1))
        role = role.lower()
        if role not in ROLES and role != "ignore":
            raise BadInput(
                f"未知的列角色：{role}；可用：{'、'.join(ROLES)}",
                f"unknown column role: {role}; known roles: {', '.join(ROLES)}",
            )
        out[role] = col
    return out


def apply_mapping(sheet: Sheet, cmap: ColumnMap | None, mapping: dict[str, str],
                  header_row: int | None = None) -> ColumnMap | None:
    """Apply an explicit mapping over the detected one (or build one from it alone)."""
    if header_row is not None:
        if header_row <= 0:
            cmap = ColumnMap(header_rows=[], data_start=0)
        else:
            cmap = _build_map(sheet, [header_row - 1])
    if not mapping:
        return cmap
    if cmap is None:
        cmap = ColumnMap(header_rows=[], data_start=0)
    labels_by_text = {fold(t): c for c, t in cmap.labels.items()}
    for r in cmap.header_rows:
        for c, t in _row_labels(sheet, r).items():
            labels_by_text.setdefault(fold(t), c)
    for role, ref in mapping.items():
        cols: list[int] = []
        for one in re.split(r"[+|]", ref):
            one = one.strip()
            if one in ("-", ""):
                continue
            if re.fullmatch(r"[A-Za-z]{1,3}", one):
                cols.append(col_index(one))
            elif fold(one) in labels_by_text:
                cols.append(labels_by_text[fold(one)])
            else:
                raise BadInput(
                    f"列映射中的“{one}”既不是列字母也不是表头中的列名",
                    f"'{one}' in the column mapping is neither a column letter nor a header name",
                )
        if role == "ignore":
            for c in cols:
                for lst in cmap.roles.values():
                    if c in lst:
                        lst.remove(c)
            continue
        # The column now belongs to this role only.
        for lst in cmap.roles.values():
            for c in cols:
                if c in lst:
                    lst.remove(c)
        cmap.roles[role] = cols
        cmap.explicit.add(role)
        for c in cols:
            if c not in cmap.labels:
                texts = [cell_text(sheet.get(r, c)) for r in cmap.header_rows]
                texts = [t for i, t in enumerate(texts) if t and t not in texts[:i]]
                cmap.labels[c] = "/".join(texts) or col_letter(c)
    cmap.roles = {k: v for k, v in cmap.roles.items() if v}
    return cmap


def no_header_error(sheet: Sheet, path_name: str, expected: tuple[str, ...]) -> BadInput:
    """The message for a table whose header we cannot find: names the columns expected and
    the rows looked at."""
    looked = min(HEADER_SCAN_ROWS, sheet.nrows)
    names_zh = "、".join(ROLE_NAMES_ZH[r] for r in expected)
    return BadInput(
        f"在 {path_name} 的工作表“{sheet.name}”第 1–{looked} 行中找不到表头：应至少有两列可识别的列名，"
        f"例如 {names_zh}；请检查表格，或用 --map 指定列（如 --map title=B,lead=E），用 --header-row 指定表头行",
        f"no header found in rows 1-{looked} of sheet '{sheet.name}' in {path_name}: expected at "
        f"least two known column names such as {', '.join(expected)}; check the table or give "
        "--map (e.g. --map title=B,lead=E) and --header-row",
    )
