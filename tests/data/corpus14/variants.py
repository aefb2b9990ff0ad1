"""Variants of real score sheets (issue 14, round 8): the FACTS of tables already in the corpus
(their items, points and block structure, not their layout) written out again in the forms the
issue and the stored pages show, combined at random with a fixed seed, and the expected reading
derived from the facts. This tests the table grammar, not one page.

Forms combined (each variant draws one of each):
- layout: level columns (一级 | 二级 [| 三级], one row per item, upper levels merged down,
  repeated on every row, or written once and left blank below) or one row per indicator
  (a title column, every level on its own row);
- codes: dotted 1 / 1.1 / 1.1.1 (in a code column or opening the title), hyphens 1-1-1,
  一、 / （一） / 1., 第一项, 甲、, letters (A / A1 / A1.1 in a column or the title; A | 1 in
  code columns of their own), a 序号 column of 一 over 1…n (restarting or running on across
  the blocks), or none stated (codes then made from positions);
- points: a score column (10, 10.0, "10分"), a level's own points in its title ("（20分）",
  "（满分20分）", "〔20分〕", "20分" on a line of its own) or in a column of their own merged
  down; a 加分项 block kept apart; 小计 rows after each block; a 合计 row; a 备注 row;
- the header repeated further down, or the sheet continued on a second sheet (续表);
- the other columns (score, rule, 考核方法) in any order; a title row or none;
- file: .xlsx, or .xls / .et saved through LibreOffice.

Expected reading (the conventions of docs/cli-tables.md): stated codes kept as written (letters
as letters: "A", "A1"; a number in its own code column under a letter is kept under it, "A.1";
numbers running on across blocks stay as stated under their block, "2.4"; 甲/乙 and 第一项 number
like 一/二), levels as the facts nest them, the computed total the sum of the level-1 points
outside the 加分项, a 合计 row the stated total, the 加分项 named among the bonus items.

Usage: python -m benchmarks.import_accuracy --parts variants [--seed 400 --variants 400]
"""
from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from build import build_table

from storage.tables.grid import col_letter

# ---------------------------------------------------------------- facts of real tables
# Each fact set: level-1 blocks (title, points, children); leaves (title, points). Points of a
# level are the sum of the points shown under it where the page cut the block (noted).
F = dict[str, Any]


def _n(title: str, points: float | None, kids: list[F] | None = None, bonus: bool = False) -> F:
    return {"title": title, "points": points, "kids": kids or [], "bonus": bonus}


FACTS: dict[str, list[F]] = {
    # t4_zhongshanling_hezhang (中山陵园管理局河长制工作考核评分表), blocks 一–三 whole
    "hezhang": [
        _n("政策制度", 20, [_n("各部门把河长制工作列入重要议事日程", 10), _n("建立河湖水库长效管理机制并组织实施", 5),
                        _n("设立河长公示牌并公开信息", 5)]),
        _n("水资源保护", 10, [_n("编制河湖水库保护计划", 2), _n("完成水环境功能区达标率年度计划", 4),
                         _n("做好景区水资源保护工作", 4)]),
        _n("岸线保护和防汛安全", 20, [_n("建立防汛排涝责任体系", 5), _n("落实各类水利工程的度汛措施", 10),
                              _n("堤防岸坡和穿堤建筑物达到标准", 5)]),
    ],
    # t4_poyanghu_hehu_2019 (2019年河湖长制工作考核项目), block 一 whole, block 二's first five
    # items (its points here the sum of those five)
    "hehu": [
        _n("河湖长制基础工作", 16, [_n("完善组织体系", 1), _n("强化督察督办", 3), _n("贯彻落实有关法规", 2),
                             _n("全面推行自然资源资产离任审计", 2), _n("完善基础工作", 1), _n("强化宣传教育", 4),
                             _n("鄱阳湖生态环境专项整治日常工作", 3)]),
        _n("鄱阳湖生态环境专项整治", 20, [_n("持续推进城乡生活污水治理", 4), _n("持续推进城乡垃圾治理", 4),
                                 _n("开展工业污染集中整治", 4), _n("强化重点企业排污监管", 4),
                                 _n("深入推进化工污染整治", 4)]),
    ],
    # t7_qiye_dangan_pingding (企业档案工作等级评定标准), 1 组织管理 with 1.1 机构 and 1.2 人员 whole
    # (its points here 2 + 5); t_shipin_shifandian's 加分项 beside it
    "dangan": [
        _n("组织管理", 7, [
            _n("机构", 2, [_n("设置了与企业发展相适应的档案管理机构", 1), _n("建立了档案集中统一管理体系", 1)]),
            _n("人员", 5, [_n("有明确的企业领导分管档案工作", 1), _n("配备了相适应的档案人员", 3),
                         _n("企业内部建立了档案工作人员网络", 1)]),
        ]),
        _n("加分项", 2, [_n("获评市级以上档案工作示范单位", 2)], bonus=True),
    ],
    # t_shipin_shifandian (县“食品安全示范店”考评细则) and t7_biaozhunhua_gongzuo_kaohe (标准化工作考核)
    # block 综合类's first three items (its points here 10 + 4 + 3)
    "shifan": [
        _n("经营主体准入规范", 8, [_n("持有有效的营业执照及经营许可证", 6), _n("从业人员具有有效的健康证", 2)]),
        _n("综合类", 17, [_n("坚持机制创新并建立工作推进机制", 10), _n("重点工作制定实施方案并组织实施", 4),
                       _n("组织开展宣传教育培训调研", 3)]),
        _n("加分项", 2, [_n("获评市级以上食品安全示范店", 2)], bonus=True),
    ],
}

_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ"]
_JIA = "甲乙丙丁戊己庚辛"
_LET = "ABCDEFGH"


def _with_gaps(blocks: list[F], rng: random.Random, gap: str, depth: int) -> list[F]:
    """Copies of the blocks numbered as stated ("num", and "gnum" for numbers running on across
    blocks), with a block and/or an item left out; points of what holds a gap re-summed."""
    glob = 0

    def number(n: F, num: int, level: int) -> F:
        nonlocal glob
        if level == depth or (not n["kids"] and level > 1):
            glob += 1
        kids = [number(k, j, level + 1) for j, k in enumerate(n["kids"], 1)]
        return {**n, "num": num, "gnum": glob, "kids": kids}

    out = [number(b, i, 1) for i, b in enumerate(blocks, 1)]
    scored = [b for b in out if not b["bonus"]]
    if gap in ("block", "both") and len(scored) >= 3:
        drop = rng.choice(scored[:-1])
        out = [b for b in out if b is not drop]
    if gap in ("item", "both"):
        holders = [n for b in out if not b["bonus"] for n in _walk(b) if len(n["kids"]) >= 3]
        if holders:
            h = rng.choice(holders)
            victim = rng.choice(h["kids"][1:])
            h["kids"] = [k for k in h["kids"] if k is not victim]

    def resum(n: F) -> float | None:
        if n["kids"]:
            total = sum(resum(k) or 0 for k in n["kids"])
            n["points"] = total
        return n["points"]

    for b in out:
        resum(b)
    return out


def _walk(n: F) -> list[F]:
    return [n] + [m for k in n["kids"] for m in _walk(k)]


def _depth(blocks: list[F]) -> int:
    def d(n: F) -> int:
        return 1 + max((d(k) for k in n["kids"]), default=0)
    return max(d(b) for b in blocks)


def _pts(v: float | None, form: str) -> Any:
    if v is None:
        return None
    iv = int(v) if float(v).is_integer() else v
    return {"num": iv, "float": float(v), "fen": f"{iv}分", "text": str(iv)}[form]


def _name_points(v: float, form: str) -> str:
    """An item's points written in its name cell (forms v4)."""
    iv = int(v) if float(v).is_integer() else v
    return {"paren": f"（{iv}分）", "fen": f" {iv}分", "paren_bare": f"（{iv}）", "line": f"\n{iv}分"}[form]


_GRADES = ("优秀", "良好", "合格", "不合格")


def _grade_cells(row: list[Any], cols: dict[str, int], points: float | None) -> None:
    """The points each grade earns (forms v5): the item's points, then 80 / 60 / 40 % of them."""
    if points is None or "grade_优秀" not in cols:
        return
    for g, share in zip(_GRADES, (1.0, 0.8, 0.6, 0.4), strict=True):
        v = round(points * share, 1)
        row[cols[f"grade_{g}"]] = int(v) if float(v).is_integer() else v


def _own_points(v: float, form: str) -> str:
    iv = int(v) if float(v).is_integer() else v
    return {"paren": f"（{iv}分）", "man": f"（满分{iv}分）", "bracket": f"〔{iv}分〕", "line": f"\n{iv}分",
            "ascii": f"({iv}分)"}[form]


@dataclass
class Expect:
    """The reading a variant must give."""

    codes: list[str] = field(default_factory=list)       # stated codes, kept as stated
    named: dict[str, str] = field(default_factory=dict)  # code -> words its title holds
    by_level: dict[str, int] = field(default_factory=dict)
    computed_total: Decimal | None = None
    stated_total: Decimal | None = None
    bonus: list[str] = field(default_factory=list)
    graded: list[str] = field(default_factory=list)     # leaves whose grade columns' points are in their rule


def _title_words(t: str) -> str:
    return t[:6]


def make_variant(rng: random.Random, k: int, extra: random.Random | None = None,
                 extra4: random.Random | None = None, extra5: random.Random | None = None) -> dict[str, Any]:
    """One variant: a corpus-format document (rows, merges, more_sheets) with its expectation.
    `extra` (forms v3) draws the forms added after held8b's measurement: a 序号 counting items
    over blocks that state no number (河北 幸福河湖's form), and short names broken over two lines
    (六安's). A seed's v3 variants are a set of their own (after the first one these forms touch,
    the draws differ from v2's)."""
    fact_name = rng.choice(sorted(FACTS))
    blocks = FACTS[fact_name]
    depth = _depth(blocks)
    layout = rng.choice(["columns", "columns", "rows"])
    if layout == "columns":
        forms = ["dotted_text", "hyphen_text", "cn_text", "dijixiang", "jia", "letter_text", "letter_cols",
                 "none"] + (["serial_col"] if depth == 2 else [])
    else:
        forms = ["dotted_col", "hyphen_col", "letter_col", "cn_text", "dotted_text"] + (
            ["serial_rows"] if depth == 2 else [])
    code_form = rng.choice(forms)
    run_on = depth == 2 and code_form in ("serial_col", "serial_rows", "letter_cols", "cn_text", "jia",
                                           "dijixiang") and rng.random() < 0.5
    counter = extra is not None and layout == "columns" and depth == 2 and extra.random() < 0.25
    broken = extra is not None and extra.random() < 0.3
    if counter:
        code_form = "counter_col"
        run_on = extra is not None and extra.random() < 0.6
    # forms v4 (round 9, A8): drawn from a generator of their own, so the v2/v3 draws stay as they were
    f4: dict[str, Any] = {"code": None, "in_name": None, "penalty": False, "notes": False, "two_rows": False}
    if extra4 is not None:
        f4["code"] = extra4.choice([None, None, "letter_hyphen", "circled", "roman"])
        f4["in_name"] = extra4.choice([None, None, "paren", "fen", "paren_bare", "line"]) if layout == "columns" else None
        f4["penalty"] = extra4.random() < 0.3
        f4["notes"] = extra4.random() < 0.3
        f4["two_rows"] = layout == "columns" and extra4.random() < 0.3
        if f4["code"] == "letter_hyphen":
            code_form = "letter_hyphen_text" if layout == "columns" else "letter_hyphen_col"
        elif f4["code"] in ("circled", "roman") and not counter:
            code_form = f4["code"]
        if code_form in ("circled", "roman", "letter_hyphen_text", "letter_hyphen_col"):
            run_on = False
        if code_form == "letter_cols" or counter:
            f4["two_rows"] = False
    # forms v5 (round 10, A10): from a generator of their own again, so the earlier draws stay
    f5: dict[str, Any] = {"grades": False, "unnamed": False, "form_line": False, "vertical": False,
                          "rule_pts": False}
    if extra5 is not None:
        f5["grades"] = extra5.random() < 0.3
        f5["unnamed"] = extra5.random() < 0.3
        f5["form_line"] = extra5.random() < 0.3
        f5["vertical"] = layout == "columns" and extra5.random() < 0.35
        f5["rule_pts"] = extra5.random() < 0.25
    merge_style = rng.choice(["merged", "repeated", "blank"]) if layout == "columns" else "rows"
    l1_points = rng.choice(["paren", "man", "bracket", "line", "ascii", "column", "none"])
    if layout == "rows":
        l1_points = rng.choice(["paren", "man", "row"])
    score_form = rng.choice(["num", "float", "fen", "text"])
    use_bonus = any(b["bonus"] for b in blocks) and rng.random() < 0.7
    blocks = [b for b in blocks if use_bonus or not b["bonus"]]
    # gaps, as real sheets have them (a block or an item left out of this year's sheet, a row
    # cut at a page): the others keep their stated numbers; a level's points become the sum
    # of what is left under it
    gap = rng.choice(["none", "none", "item", "block", "both"])
    gapped = _with_gaps(blocks, rng, gap, depth)
    if counter:   # a counter with a number missing is no counter: not drawn (the v2 draws kept)
        gap, gapped = "none", _with_gaps(blocks, random.Random(0), "none", depth)
    blocks = gapped
    if f4["penalty"]:
        # an 扣分项 block at the end: kept, never summed into the total
        glob_max = max((n["gnum"] for b in blocks for n in _walk(b)), default=0)
        item = {"title": "工作中出现失误被上级通报批评", "points": 5, "kids": [], "bonus": False, "num": 1,
                "gnum": glob_max + 1}
        blocks = blocks + [{"title": "扣分项", "points": 5, "kids": [item], "bonus": True,
                            "num": max((b["num"] for b in blocks), default=0) + 1, "gnum": glob_max + 1}]
        use_bonus = True
    # several 小计 rows belong to their blocks (one alone would be the sheet's total): only where
    # two or more scored blocks stand
    subtotals = rng.random() < 0.25 and l1_points != "column" and sum(not b["bonus"] for b in blocks) >= 2
    total_row = rng.random() < 0.3
    note_row = rng.random() < 0.3
    split = rng.choice(["none", "none", "header_repeat", "second_sheet"]) if len(blocks) >= 2 else "none"
    title_row = rng.random() < 0.6
    others = ["score", "rule"] + (["method"] if rng.random() < 0.5 else [])
    rng.shuffle(others)
    if f4["in_name"]:
        # the leaves' points written in their name cells ("成立工作专班（5分）"): no points column
        others.remove("score")
        subtotals = total_row = False
    if f4["notes"]:
        others.append("notes")
    if f5["rule_pts"] and "score" in others and layout == "columns" and l1_points != "column":
        # the leaves' points closing their rule ("…扣分。（共5分）"): no points column
        others.remove("score")
        subtotals = total_row = False
    else:
        f5["rule_pts"] = False
    if f5["grades"] and not f4["two_rows"] and "score" in others:
        others.append("grades")   # 优秀 | 良好 | 合格 | 不合格: the points each grade earns
    else:
        f5["grades"] = False
    f5["unnamed"] = f5["unnamed"] and "score" in others and l1_points != "column" and not f4["two_rows"]
    if f5["unnamed"]:
        score_form = "fen"   # a column the header leaves unnamed, its cells "10分"
    f5["vertical"] = f5["vertical"] and code_form in ("none", "counter_col", "letter_cols")
    fmt = rng.choices(["xlsx", "xls", "et"], weights=[6, 2, 2])[0]

    exp = Expect()
    nonbonus_total = sum(Decimal(str(b["points"])) for b in blocks if not b["bonus"])
    exp.computed_total = nonbonus_total
    if total_row:
        exp.stated_total = nonbonus_total
    exp.bonus = [b["title"] for b in blocks if b["bonus"]]

    # ------------------------------------------------ codes of every node, and how they are written
    def code_texts(path: list[int], glob: int, level: int, kpath: list[int]) -> tuple[str, str, bool]:
        """(expected code, the mark written, stated) for the node at `path` (its stated numbers,
        1-based); `glob` is the item's number when numbers run on across blocks; `kpath` its
        positions among the rows written (the codes made where none is stated)."""
        i = path[-1]
        num = glob if (run_on and level == depth and level > 1) else i
        dotted = ".".join(map(str, path[:-1] + [num]))
        if code_form in ("dotted_text", "dotted_col"):
            return dotted, ".".join(map(str, path)), True
        if code_form in ("hyphen_text", "hyphen_col"):
            return dotted, "-".join(map(str, path)), True
        if code_form == "cn_text":
            mark = [f"{_CN[i - 1]}、", f"（{_CN[num - 1] if num <= 10 else num}）" if depth == 3 else f"{num}.",
                    f"{num}."][level - 1]
            return dotted, mark, True
        if code_form in ("dijixiang", "jia"):
            first = f"第{_CN[i - 1]}项" if code_form == "dijixiang" else f"{_JIA[i - 1]}、"
            mark = [first, f"（{_CN[i - 1]}）" if depth == 3 else f"{num}.", f"{num}."][level - 1]
            return dotted, mark, True
        if code_form in ("letter_text", "letter_col"):
            letter = _LET[path[0] - 1]
            code = letter if level == 1 else letter + ".".join(map(str, path[1:]))
            return code, code, True
        if code_form == "letter_cols":
            letter = _LET[path[0] - 1]
            rest = path[1:-1] + [num] if level > 1 else []
            return ".".join([letter] + [str(x) for x in rest]), (letter if level == 1 else str(num)), True
        if code_form in ("serial_col", "serial_rows"):
            return dotted, (_CN[i - 1] if level == 1 else str(num)), True
        if code_form == "circled":
            # 一、 over （一） over ① (or 一、 over ①): ① counts within its parent
            mark = [f"{_CN[i - 1]}、", f"（{_CN[i - 1]}）" if depth == 3 else _CIRCLED[i - 1], _CIRCLED[i - 1]][level - 1]
            return dotted, mark, True
        if code_form == "roman":
            mark = [f"{_ROMAN[i - 1]}、", f"{i}.", f"（{i}）"][level - 1]
            return dotted, mark, True
        if code_form in ("letter_hyphen_text", "letter_hyphen_col"):
            # A / A-1 / A-1-2: the letter's path written with hyphens, read as A.1.2
            letter = _LET[path[0] - 1]
            return (".".join([letter] + [str(x) for x in path[1:]]),
                    "-".join([letter] + [str(x) for x in path[1:]]), True)
        if code_form == "counter_col":
            # the blocks state no number (made from positions); the items their 序号
            return (".".join(map(str, kpath)), "", False) if level == 1 else (dotted, str(num), True)
        return ".".join(map(str, kpath)), "", False

    # walk the facts: every node with its path, expected code, mark
    nodes: list[dict[str, Any]] = []
    def walk(n: F, path: list[int], kpath: list[int], level: int, bonus: bool) -> None:
        code, mark, stated = code_texts(path, n["gnum"], level, kpath)
        rec = {"fact": n, "path": path, "kpath": kpath, "level": level, "code": code, "mark": mark,
               "stated": stated, "bonus": bonus or n["bonus"]}
        nodes.append(rec)
        for j, kid in enumerate(n["kids"], 1):
            walk(kid, path + [kid["num"]], kpath + [j], level + 1, rec["bonus"])

    for i, b in enumerate(blocks, 1):
        walk(b, [b["num"]], [i], 1, False)

    # the bonus block states no code of its own in most real sheets: its mark is kept only
    # where the forms number every block in the text
    for rec in nodes:
        if rec["stated"]:
            exp.codes.append(rec["code"])
        exp.named[rec["code"]] = _title_words(rec["fact"]["title"])
        lv = str(rec["level"])
        exp.by_level[lv] = exp.by_level.get(lv, 0) + 1
        if f5["grades"] and not rec["fact"]["kids"] and rec["fact"]["points"] is not None:
            exp.graded.append(rec["code"])

    def with_mark(rec: dict[str, Any], text: str) -> str:
        in_text = rec["mark"] and code_form not in ("dotted_col", "hyphen_col", "letter_col", "letter_cols",
                                                    "serial_col", "serial_rows", "counter_col", "letter_hyphen_col")
        if broken and not in_text and 4 <= len(text) <= 8 and rec["level"] > 1:
            text = f"{text[: len(text) // 2]}\n{text[len(text) // 2:]}"   # a name broken to fit the cell
        if code_form == "serial_col" and rec["level"] == 1:
            return f"{rec['mark']}、{text}"     # 一、 opens the block's cell; its items are numbered in 序号
        if not rec["mark"] or code_form in ("dotted_col", "hyphen_col", "letter_col", "letter_cols",
                                            "serial_col", "serial_rows", "counter_col", "letter_hyphen_col"):
            return text
        sep = "" if rec["mark"].endswith(("、", "）", ".")) or rec["mark"][-1] in _CIRCLED else " "
        return f"{rec['mark']}{sep}{text}"

    def rule_for(rec: dict[str, Any]) -> str:
        p = rec["fact"]["points"]
        if rec["bonus"]:
            return "获评的加分。" + (f"（共{_pts(p, 'num')}分）" if f5["rule_pts"] and p is not None else "")
        if f5["rule_pts"] and p is not None:
            return f"未落实的不得分，部分落实的酌情扣分。（共{_pts(p, 'num')}分）"
        return f"未落实的不得分，部分落实的酌情扣分（最多扣{_pts(p, 'num')}分）。"

    # ------------------------------------------------ columns
    header: list[str] = []
    cols: dict[str, int] = {}

    def add(role: str, name: str) -> None:
        cols[role] = len(header)
        header.append(name)

    if layout == "columns":
        if code_form in ("serial_col", "counter_col"):
            add("code", "序号")
        names = ["考核项目", "考核内容", "考核要点"] if depth == 3 else rng.choice(
            [["考核项目", "考核内容"], ["一级指标", "二级指标"], ["考核类别", "考核要点"]])
        for lv in range(1, depth + 1):
            if code_form == "letter_cols":
                add(f"code{lv}", f"{'一二三'[lv - 1]}级指标代码")
            add(f"level{lv}", names[lv - 1])
            if lv == 1 and l1_points == "column":
                add("l1score", "项目分值")
    else:
        if code_form in ("dotted_col", "hyphen_col", "letter_col", "letter_hyphen_col"):
            add("code", rng.choice(["编号", "序号", "指标编号"]))
        if code_form == "serial_rows":
            add("code", "序号")
        add("level1", rng.choice(["考核项目", "评定项目与评定内容", "考核内容"]))
    for o in others:
        if o == "grades":
            for g in _GRADES:
                add(f"grade_{g}", g)
            continue
        add(o, {"score": rng.choice(["分值", "标准分值", "各项分值"]), "rule": rng.choice(["评分标准", "考核细则"]),
                "method": "考核方法", "notes": "备注"}[o] if o != "notes" else "备注")
    if f5["unnamed"]:
        header[cols["score"]] = None   # type: ignore[call-overload]
    width = len(header)

    # ------------------------------------------------ rows
    body: list[list[Any]] = []     # data rows; ("block", i) markers split blocks
    merges_rel: list[tuple[int, int, int, int]] = []    # (row0, col0, row1, col1) in body coordinates
    block_starts: list[int] = []

    def new_row() -> list[Any]:
        return [None] * width

    if layout == "columns":
        for bi, b in enumerate(blocks, 1):
            block_starts.append(len(body))
            block_recs = [r for r in nodes if r["kpath"][0] == bi]
            leaves = [r for r in block_recs if not r["fact"]["kids"]]
            start = len(body)
            for leaf in leaves:
                row = new_row()
                for lv in range(1, leaf["level"] + 1):   # a shallower leaf (加分项's item) stops at its level
                    anc = next(r for r in block_recs if r["path"] == leaf["path"][:lv])
                    first = anc["path"] == leaf["path"][:lv] and body_first(body, start, anc, leaves, leaf)
                    text = with_mark(anc, anc["fact"]["title"])
                    if f5["vertical"] and lv == 1 and text == anc["fact"]["title"] and len(text) <= 8:
                        text = "\n".join(text)   # written down a narrow merged cell, a character a line
                    if lv < leaf["level"] and anc["fact"]["points"] is not None and (lv == 1 and l1_points not in (
                            "column", "none") or lv == 2 and depth == 3):
                        form = l1_points if lv == 1 else "paren"
                        if form in ("column", "none"):
                            form = "paren"
                        text += _own_points(anc["fact"]["points"], form)
                    if lv == leaf["level"] and f4["in_name"] and leaf["fact"]["points"] is not None:
                        text += _name_points(leaf["fact"]["points"], f4["in_name"])
                    if lv == leaf["level"] or merge_style == "repeated" or first:
                        row[cols[f"level{lv}"]] = text
                        if code_form == "letter_cols":
                            row[cols[f"code{lv}"]] = anc["mark"] if lv == 1 else (
                                int(anc["mark"]) if anc["mark"].isdigit() else anc["mark"])
                    if lv == 1 and l1_points == "column" and (first or merge_style == "repeated"):
                        row[cols["l1score"]] = _pts(anc["fact"]["points"], "fen")
                if code_form in ("serial_col", "counter_col"):
                    row[cols["code"]] = int(leaf["mark"])
                if "score" in cols:
                    row[cols["score"]] = _pts(leaf["fact"]["points"], score_form)
                _grade_cells(row, cols, leaf["fact"]["points"])
                row[cols["rule"]] = rule_for(leaf)
                if "notes" in cols and extra4 is not None:
                    row[cols["notes"]] = extra4.choice(["由县市场监管局负责考核", "县发改局提供数据", None,
                                                        "以正式文件为准", "县统计局"])
                if "method" in cols:
                    row[cols["method"]] = rng.choice(["查阅资料", "现场检查", "查阅资料、现场查看"])
                body.append(row)
            end = len(body) - 1
            if merge_style == "merged" and end > start:
                for lv in range(1, depth):
                    # merge each upper node over its leaves' rows
                    for anc in [r for r in block_recs if r["level"] == lv]:
                        rows_of = [start + x for x, lf in enumerate(leaves) if lf["path"][:lv] == anc["path"]]
                        if len(rows_of) > 1:
                            merges_rel.append((rows_of[0], cols[f"level{lv}"], rows_of[-1], cols[f"level{lv}"]))
                            if code_form == "letter_cols":
                                merges_rel.append((rows_of[0], cols[f"code{lv}"], rows_of[-1], cols[f"code{lv}"]))
                            if lv == 1 and l1_points == "column":
                                merges_rel.append((rows_of[0], cols["l1score"], rows_of[-1], cols["l1score"]))
            if subtotals and not b["bonus"]:
                row = new_row()
                row[cols["level1"]] = "小计"
                row[cols["score"]] = _pts(b["points"], score_form)
                body.append(row)
    else:
        for bi, b in enumerate(blocks, 1):
            block_starts.append(len(body))
            for rec in [r for r in nodes if r["kpath"][0] == bi]:
                row = new_row()
                text = with_mark(rec, rec["fact"]["title"])
                own_in_title = rec["fact"]["kids"] and l1_points in ("paren", "man")
                if own_in_title:
                    text += _own_points(rec["fact"]["points"], l1_points)
                row[cols["level1"]] = text
                if "code" in cols:
                    row[cols["code"]] = rec["mark"] if not rec["mark"].isdigit() else int(rec["mark"])
                if not own_in_title:
                    row[cols["score"]] = _pts(rec["fact"]["points"], score_form)
                if not rec["fact"]["kids"]:
                    _grade_cells(row, cols, rec["fact"]["points"])
                    row[cols["rule"]] = rule_for(rec)
                    if "notes" in cols and extra4 is not None:
                        row[cols["notes"]] = extra4.choice(["由县市场监管局负责考核", None, "县统计局"])
                    if "method" in cols:
                        row[cols["method"]] = rng.choice(["查阅资料", "现场检查"])
                body.append(row)
            if subtotals and not b["bonus"]:
                row = new_row()
                row[cols["level1"]] = "小计"
                row[cols["score"]] = _pts(b["points"], score_form)
                body.append(row)

    tail: list[list[Any]] = []
    tail_merges: list[tuple[int, int]] = []
    if total_row:
        row = new_row()
        row[0] = "合计"
        row[cols["score"]] = _pts(float(nonbonus_total), score_form)
        tail.append(row)
    if note_row:
        row = new_row()
        row[0] = rng.choice(["备注：", "注："]) + "各项分值扣完为止，不计负分。"
        tail.append(row)
        tail_merges.append((len(tail) - 1, 0))

    # ------------------------------------------------ assemble sheet(s)
    title = "考核评分细则" if not title_row else rng.choice(
        ["工作考核评分细则", "年度工作考核评分表", "考核细则（试行）"])
    top: list[list[Any]] = []
    if title_row:
        top.append([title] + [None] * (width - 1))
    if f5["form_line"]:
        # the form's own fields over the table
        line_row: list[Any] = [None] * width
        line_row[0] = extra5.choice(["被考核单位：", "考评单位：        县（市、区）", "单位名称："]) if extra5 else None
        line_row[width - 1] = "考核时间：    年  月  日"
        top.append(line_row)
    hdr_at = len(top)
    hdr_rows = [list(header)]
    hdr_merges: list[str] = []
    if f4["two_rows"]:
        # the header in two rows: 考核指标 over the level columns, 考核评分 over points / rule /
        # method, the other columns merged down both rows
        role_of = {c: r for r, c in cols.items()}
        group = {c: ("考核指标" if role_of[c].startswith("level") or role_of[c] == "l1score" else
                     "考核评分" if role_of[c] in ("score", "rule", "method") else "") for c in range(width)}
        top_row: list[Any] = [None] * width
        low_row: list[Any] = [None] * width
        c = 0
        while c < width:
            g = group[c]
            if not g:
                top_row[c] = header[c]
                hdr_merges.append(f"{col_letter(c)}{hdr_at + 1}:{col_letter(c)}{hdr_at + 2}")
                c += 1
                continue
            end = c
            while end + 1 < width and group[end + 1] == g:
                end += 1
            top_row[c] = g
            for x in range(c, end + 1):
                low_row[x] = header[x]
            if end > c:
                hdr_merges.append(f"{col_letter(c)}{hdr_at + 1}:{col_letter(end)}{hdr_at + 1}")
            else:
                top_row[c], low_row[c] = header[c], None
                hdr_merges.append(f"{col_letter(c)}{hdr_at + 1}:{col_letter(c)}{hdr_at + 2}")
            c = end + 1
        hdr_rows = [top_row, low_row]
    top.extend(list(r) for r in hdr_rows)

    cut = block_starts[1] if split in ("header_repeat", "second_sheet") and len(block_starts) > 1 else None
    sheet1 = body if cut is None or split == "header_repeat" else body[:cut]
    rows = list(top)
    row_of_body: dict[int, int] = {}
    for x, r in enumerate(sheet1):
        if split == "header_repeat" and cut is not None and x == cut:
            rows.extend(list(h) for h in hdr_rows)
        row_of_body[x] = len(rows)
        rows.append(r)
    merges: list[str] = []
    if title_row:
        merges.append(f"A1:{col_letter(width - 1)}1")
    merges += hdr_merges
    more: list[tuple[str, list[list[Any]], list[str]]] = []
    sheet2_of_body: dict[int, int] = {}
    rows2: list[list[Any]] = []
    if split == "second_sheet" and cut is not None:
        rows2 = [list(h) for h in hdr_rows]
        for x in range(cut, len(body)):
            sheet2_of_body[x] = len(rows2)
            rows2.append(body[x])
    target_rows, target_merges = (rows2, []) if rows2 else (rows, merges)
    for r in tail:
        target_rows.append(r)
    for (tr, c0) in tail_merges:
        at = len(target_rows) - len(tail) + tr
        target_merges.append(f"{col_letter(c0)}{at + 1}:{col_letter(width - 1)}{at + 1}")
    for (r0, c0, r1, c1) in merges_rel:
        if r0 in row_of_body and r1 in row_of_body and row_of_body[r1] - row_of_body[r0] == r1 - r0:
            merges.append(f"{col_letter(c0)}{row_of_body[r0] + 1}:{col_letter(c1)}{row_of_body[r1] + 1}")
        elif r0 in sheet2_of_body and r1 in sheet2_of_body:
            target_merges.append(f"{col_letter(c0)}{sheet2_of_body[r0] + 1}:{col_letter(c1)}{sheet2_of_body[r1] + 1}")
        # a merge broken by a repeated header is written as two cells (the page's next-page form)
    if rows2:
        more.append((rng.choice(["续表", "Sheet2"]), rows2, target_merges))
    _ = hdr_at
    desc = (f"{fact_name}/gap:{gap}/{'broken/' if broken else ''}{layout}/{code_form}{'+runon' if run_on else ''}/{merge_style}/l1:{l1_points}/"
            f"{score_form}/{'bonus' if use_bonus else '-'}/{'sub' if subtotals else '-'}/"
            f"{'total' if total_row else '-'}/{'note' if note_row else '-'}/{split}/{'+'.join(others)}/{fmt}"
            + ("" if extra4 is None else f"|v4:{'pts_' + f4['in_name'] if f4['in_name'] else '-'}/"
               f"{'penalty' if f4['penalty'] else '-'}/{'notes' if f4['notes'] else '-'}/"
               f"{'two_rows' if f4['two_rows'] else '-'}")
            + ("" if extra5 is None else "|v5:" + "/".join(k for k, v in f5.items() if v)))
    return {
        "id": f"v{k:04d}", "kind": "framework", "split": "variants", "format": fmt, "desc": desc,
        "family": code_form, "rows": rows, "merges": merges, "more_sheets": more,
        "codes": exp.codes, "named": exp.named, "total": exp.stated_total, "expect": exp,
        "problems": [], "bonus": exp.bonus, "computed_total": exp.computed_total,
    }


def body_first(body: list[list[Any]], start: int, anc: dict[str, Any], leaves: list[dict[str, Any]],
               leaf: dict[str, Any]) -> bool:
    """Whether `leaf` is the first leaf under `anc` (where an upper cell is written once)."""
    lv = anc["level"]
    first = next(lf for lf in leaves if lf["path"][:lv] == anc["path"])
    return first is leaf


def make_variants(seed: int, count: int, forms: str = "v2") -> list[dict[str, Any]]:
    """`count` variants of `seed`; forms "v2" (the round's first and clean figures), "v3" (v2's
    forms plus those added after held8b's measurement), "v4" (with round 9's) or "v5" (with round
    10's: grade columns, an unnamed points column, a form line over the header, level-1 names a
    character a line, points closing the rule)."""
    rng = random.Random(seed)
    extra = random.Random(f"{seed}/v3") if forms in ("v3", "v4", "v5") else None
    extra4 = random.Random(f"{seed}/v4") if forms in ("v4", "v5") else None
    extra5 = random.Random(f"{seed}/v5") if forms == "v5" else None
    return [make_variant(rng, k, extra, extra4, extra5) for k in range(count)]


def build_variants(docs: list[dict[str, Any]], folder: Path) -> dict[str, Path]:
    """Write every variant: .xlsx directly; .xls and .et saved by LibreOffice from the .xlsx
    (one LibreOffice run for all of them; an .et is the OLE2 workbook WPS writes)."""
    paths: dict[str, Path] = {}
    to_convert: list[Path] = []
    for d in docs:
        p = build_table(d, folder / f"{d['id']}.xlsx")
        paths[d["id"]] = p
        if d["format"] in ("xls", "et"):
            to_convert.append(p)
    if to_convert:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            raise RuntimeError("LibreOffice is needed for the .xls/.et variants")
        out = folder / "xls"
        out.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory() as profile:
            for i in range(0, len(to_convert), 60):
                subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                                "--convert-to", "xls", "--outdir", str(out), *map(str, to_convert[i:i + 60])],
                               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
        for d in docs:
            if d["format"] in ("xls", "et"):
                src = out / f"{d['id']}.xls"
                dst = folder / f"{d['id']}.{d['format']}"
                shutil.move(str(src), dst)
                paths[d["id"]] = dst
    return paths


@dataclass
class VariantOutcome:
    """How one variant read: stated codes kept, levels right (every node at its place with its
    words, the count per level), totals right (computed, stated, bonus apart), refused."""

    doc_id: str
    family: str
    desc: str
    codes: int = 0
    codes_kept: int = 0
    levels_right: bool = False
    totals_right: bool = False
    refused: str = ""
    misses: list[str] = field(default_factory=list)


def check_variant(doc: dict[str, Any], path: Path) -> VariantOutcome:
    from storage.kernel.errors import ArchiveError
    from storage.tables.framework_import import read_framework

    exp: Expect = doc["expect"]
    out = VariantOutcome(doc["id"], doc["family"], doc["desc"], codes=len(exp.codes))
    try:
        _, rep = read_framework(path)
    except ArchiveError as e:
        out.refused = e.zh
        return out
    got = {i["code"]: i for i in rep.items}
    out.codes_kept = sum(1 for c in exp.codes if c in got)
    out.misses += [f"code {c} not kept" for c in exp.codes if c not in got]
    lv_ok = rep.summary["indicators_by_level"] == exp.by_level
    if not lv_ok:
        out.misses.append(f"levels {rep.summary['indicators_by_level']} != {exp.by_level}")
    for code, words in exp.named.items():
        if code not in got or words not in got[code]["title"]:
            lv_ok = False
            out.misses.append(f"{code} is {got.get(code, {}).get('title')!r}, expected {words!r}")
    out.levels_right = lv_ok
    tot_ok = rep.summary.get("computed_total") == exp.computed_total
    if not tot_ok:
        out.misses.append(f"computed total {rep.summary.get('computed_total')} != {exp.computed_total}")
    if rep.summary.get("stated_total") != exp.stated_total:
        tot_ok = False
        out.misses.append(f"stated total {rep.summary.get('stated_total')} != {exp.stated_total}")
    for b in exp.bonus:
        if not any(b in x for x in rep.summary.get("bonus_items", [])):
            tot_ok = False
            out.misses.append(f"bonus {b} not kept apart: {rep.summary.get('bonus_items')}")
    for c in exp.graded:
        if "等次：" not in (got.get(c, {}).get("scoring_rule") or ""):
            tot_ok = False
            out.misses.append(f"{c}: the grades' points are not in its rule")
    out.totals_right = tot_ok
    return out


def measure(seed: int, count: int, *, verbose: bool = False, forms: str = "v2") -> list[VariantOutcome]:
    docs = make_variants(seed, count, forms)
    with tempfile.TemporaryDirectory() as tmp:
        paths = build_variants(docs, Path(tmp))
        outcomes = [check_variant(d, paths[d["id"]]) for d in docs]
    return outcomes


def report(outcomes: list[VariantOutcome], *, verbose: bool = False) -> list[str]:
    lines: list[str] = []

    def line(name: str, part: list[VariantOutcome]) -> str:
        codes = sum(o.codes for o in part)
        kept = sum(o.codes_kept for o in part)
        return (f"  {name:16s} variants {len(part):3d}  codes kept {kept}/{codes} ({100 * kept / max(codes, 1):.1f}%)  "
                f"levels right {sum(o.levels_right for o in part)}/{len(part)}  "
                f"totals right {sum(o.totals_right for o in part)}/{len(part)}  "
                f"refused {sum(1 for o in part if o.refused)}")

    lines.append(line("all", outcomes))
    for fam in sorted({o.family for o in outcomes}):
        lines.append(line(fam, [o for o in outcomes if o.family == fam]))
    for key in ("header_repeat", "second_sheet", "bonus", "sub", "total", "note", "merged", "repeated", "broken",
                "blank", "xls", "et", "runon", "pts_paren", "pts_fen", "pts_paren_bare", "pts_line", "penalty",
                "notes", "two_rows", "grades", "unnamed", "form_line", "vertical", "rule_pts"):
        part = [o for o in outcomes if f"/{key}/" in f"/{o.desc.replace('|v4:', '/').replace('|v5:', '/')}/"
                or (key == "runon" and "+runon" in o.desc)
                or (key in ("xls", "et") and o.desc.split("|")[0].endswith("/" + key))]
        if part:
            lines.append(line("with " + key, part))
    if verbose:
        for o in outcomes:
            if o.misses or o.refused:
                lines.append(f"    {o.doc_id} {o.desc} {'REFUSED ' + o.refused if o.refused else ''}")
                lines += [f"        {m}" for m in o.misses[:6]]
    return lines
