"""Plan variants: a held-out test of the grammar of assignments (issue 14, round 8).

The stored pages ran out of whole real plans whose assignments fit in their openings, so this
generator writes plans from the FACTS of the real plans already in the corpus (corpus.py and
corpus_h3..h7: their task sentences and unit names) together with units never seen before,
invented by the organisational grammar (县XX局, XX镇人民政府, XX街道办事处, XX管委会, XX专班,
XX中心, 县委XX部, 人行XX支行, XX海关 …), and lays them out in every form issue 14 lists,
combined at random:

  role markers   牵头单位 / 牵头责任单位 / 主责单位 / 责任单位 / 配合单位 / 协同(责任)单位 /
                 协办单位 / 参与单位; "X牵头，A、B配合(落实)"; "由X负责"; "X负责";
                 "A、B等部门按职责分工负责"; "…及各镇街配合落实"; several markers in one bracket
                 separated by ，or ；; several leads
  placement      a bracket at the end (before or after the full stop) or at the start, 〔〕 or
                 （）; lines of their own after the task or between its title and its body; a
                 last sentence ("此项工作由X牵头负责，A、B等部门配合。"); the clauses opening a
                 measure ("由X负责，A、B配合，…")
  people         牵头领导：张三, 责任人, 联系人 + 联系电话: kept off the units
  deadlines      完成时限：…, "2025年6月底前完成" inside the assignment
  other brackets years, （含）, abbreviations, （2021-2025年）, （见附件2）: task text
  document       a 通知 before the plan (with its own 一、二、 requirements), typed numbering and
                 Word's automatic numbering (w:numPr), tasks at heading depth 1–4 (a level may
                 be skipped: 一、 over 1.), numbers running on across blocks, tasks over two
                 paragraphs, decoy paragraphs (prose naming units, 保障措施 without units), and
                 plans that are a task table inside the .docx (牵头 / 配合 / 责任单位 columns,
                 "X牵头，A、B配合" inside a cell, 责任领导 / 联系人 / 联系电话 columns, merged
                 cells, block rows)

The expected reading follows from the facts the generator chose, by the conventions of
docs/cli-tables.md: the first-named unit of an unmarked list leads; 责任单位 after a 牵头 label
cooperates; "等部门" is dropped; a task's code is the path of the numbers the plan states
(a table row's 序号 under its block row); people are never units.

Round 8's later batches add forms on top (`--extended 1..4`, EXTENDED_FORMS … EXTENDED_FORMS_4), and round
9's (`--extended 5`, EXTENDED_FORMS_5: forms of held-out set 10's real plans and of the brief) and round
10's (`--extended 6`, EXTENDED_FORMS_6: held-out set 11's forms and round 9's leftovers), each
written after the fixes of the batch before and measured once on a fresh seed before any change for
it (figures in SOURCES.md); with the extension off a seed gives the same plans as round 8 measured.

Run:  python tests/data/corpus14/plan_variants.py --seed 1 --plans 300 [--extended N] [--verbose]
      python -m benchmarks.import_accuracy --plan-variants SEED [--variant-forms N]   (with the corpus)
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parents[2]
for p in (str(_ROOT), str(_HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

from storage.catalogue.departments import canonical_key  # noqa: E402

# --- facts from the real plans --------------------------------------------------------------

_NUM = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[（(]\d+[）)]|[㈠-㈩])\s*")
_NOT_REAL_UNIT = re.compile(r"牵头|配合|负责|网站|^各大|^越秀区$")
_FULL_UNIT = re.compile(r"(?:局|委|办|办公室|部|院|中心|政府|管委会|街道|站|所|队|社|厅|行|总队|联|协)$")


_NAME_END = re.compile(r"(?:中心|会|平台|项目|计划|局|委|办|部|院|站|所|队|社|团)$")


def _facts() -> tuple[list[str], list[str], list[str]]:
    """(task sentences, single units, collective units) read from the real plans' facts."""
    from corpus import DOCS

    sentences: set[str] = set()
    units: set[str] = set()
    collective: set[str] = set()
    for d in DOCS:
        if d["kind"] != "plan":
            continue
        for t in d["tasks"]:
            for u in t["lead"] + t["coop"]:
                if _NOT_REAL_UNIT.search(u) or len(u) < 3:
                    continue
                if u.startswith("各"):
                    collective.add(u)
                elif _FULL_UNIT.search(u) and not re.search(r"[（(〔]", u):
                    units.add(u)
        for para in d["paras"]:
            m = _NUM.match(para)
            if not m:
                continue
            s = para[m.end():]
            if "。" not in s:
                continue
            first = s.split("。")[0]
            # a task says what is to be done: a bare name ("…创业服务中心", "…交流会") is left out
            if (10 <= len(first) <= 70 and not re.search(r"[（()）：:〔【\[]|牵头|负责|配合", first)
                    and not _NAME_END.search(first)):
                sentences.add(first + "。")
    return sorted(sentences), sorted(units), sorted(collective)


# --- units never seen: the organisational grammar ------------------------------------------------

_PLACES = ["云溪", "青岚", "石门", "桃源", "白沙", "清河", "龙泉", "凤鸣", "东岭", "柳塘", "金川", "松坪",
           "临江", "马场", "黄岩", "银杏", "梅溪", "双桥", "北塘", "南湖"]
_FUNCS = ["市场监督管理局", "市场监管局", "发展和改革局", "工业和信息化局", "教育体育局", "科学技术局",
          "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源和规划局",
          "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化和旅游局",
          "卫生健康局", "退役军人事务局", "应急管理局", "审计局", "统计局", "医疗保障局", "林业局",
          "城市管理局", "行政审批服务局", "数据资源管理局", "粮食和物资储备局", "乡村振兴局", "税务局",
          "气象局", "消防救援大队", "融媒体中心", "政务服务中心", "检验检测中心", "疾病预防控制中心",
          "农产品质量安全监管站", "总工会", "妇联", "科协", "工商联", "供销社", "政府办公室",
          "人民法院", "人民检察院", "公共资源交易中心", "退役军人服务中心", "投资促进中心"]
_PARTY = ["宣传部", "组织部", "统战部", "政法委", "编办", "网信办", "农办"]
_ZONES = ["经济开发区管委会", "高新技术产业园区管委会", "临港产业园管委会", "文旅康养示范区管委会",
          "现代农业产业园管委会"]
_SQUADS = ["招商引资工作专班", "营商环境优化提升专班", "质量强县工作专班", "河湖长制工作专班",
           "安全生产工作专班"]
_COLLECTIVE_NEW = ["各乡镇（街道）", "各镇街", "各乡镇人民政府", "县直有关部门", "各有关单位",
                   "县直各相关单位", "各村（社区）", "各园区管委会"]
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = ["建华", "明", "志强", "秀英", "海燕", "国庆", "丽", "伟", "晓东", "春梅", "立新", "红", "振宇",
          "文涛", "静", "德明", "玉兰", "俊杰", "雪", "永刚"]
_TITLES = ["副县长", "县长", "副书记", "局长", "副局长", "主任"]


def _new_unit(rng: random.Random, county: str) -> str:
    """A unit by the organisational grammar, most often never seen before."""
    k = rng.random()
    place = rng.choice(_PLACES)
    if k < 0.45:
        return rng.choice(["县", county + "县"]) + rng.choice(_FUNCS)
    if k < 0.55:
        return "县委" + rng.choice(_PARTY)
    if k < 0.65:
        return place + rng.choice(["镇人民政府", "乡人民政府", "街道办事处", "镇政府"])
    if k < 0.72:
        return county + rng.choice(_ZONES)
    if k < 0.78:
        return "县" + rng.choice(_SQUADS)
    if k < 0.83:
        return rng.choice([f"人行{county}县支行", f"国家金融监督管理总局{county}监管支局"])
    if k < 0.87:
        return f"{place}海关"
    if k < 0.91:
        return rng.choice([f"国网{county}县供电公司", f"{county}县城市投资集团"])
    if k < 0.95:
        return f"市生态环境局{county}分局"
    return "县公安局交警大队"


def _person(rng: random.Random) -> str:
    name = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
    return name if rng.random() < 0.75 else name[0] + rng.choice(_TITLES)


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
    return f"0{rng.randint(310, 939)}-{rng.randint(2000000, 8999999)}"


_DEADLINES: list[tuple[str, str]] = [
    ("{y}年6月底前", "{y}-06-30"), ("{y}年12月底前", "{y}-12-31"), ("{y}年9月30日前", "{y}-09-30"),
    ("{y}年底前", "{y}-12-31"), ("{y}年上半年", "{y}-06-30"), ("{y}年10月", "{y}-10-31"),
    ("{y}年3月31日", "{y}-03-31"),
]
_OTHER_BRACKETS = ["（2021-2025年）", "（含）", "（以下简称“三品”）", "（NQI）", "（试行）", "（见附件2）",
                   "（2025年）", "（GB/T 19001）", "（包括个体工商户）"]

# --- one assignment ---------------------------------------------------------------------------


@dataclass
class Assign:
    """The facts of one task's assignment (expected reading) and its form."""

    lead: list[str]
    coop: list[str]
    persons: list[str] = field(default_factory=list)
    person_lines: list[tuple[str, str]] = field(default_factory=list)   # (label, text)
    deadline_text: str = ""
    deadline: str = ""
    form: str = ""
    extra: list[str] = field(default_factory=list)   # round-8b forms this assignment has


class Gen:
    """One plan's random choices (a seeded random.Random)."""

    def __init__(self, rng: random.Random, facts: tuple[list[str], list[str], list[str]],
                 extended: int = 0) -> None:
        self.rng = rng
        self.sentences, self.units, self.collective = facts
        self.county = rng.choice(_PLACES)
        self.year = rng.choice([2023, 2024, 2025, 2026])
        self.extended = extended >= 1   # the round-8b forms (see EXTENDED_FORMS); off keeps old seeds
        self.level2 = extended >= 2     # the round-8c forms (see EXTENDED_FORMS_2)
        self.level3 = extended >= 3     # the round-8d forms (see EXTENDED_FORMS_3)
        self.level4 = extended >= 4     # the round-8e forms (see EXTENDED_FORMS_4)
        self.level5 = extended >= 5     # the round-9 forms (see EXTENDED_FORMS_5)
        self.level6 = extended >= 6     # the round-10 forms (see EXTENDED_FORMS_6)
        self.labels_before = False      # round 10: this plan writes each task's labels before it
        self.noted10 = False            # round 10: the plan said its convention after a list once
        self.noted = False              # the plan said "（首位单位为牵头单位，下同）" once already

    def unit(self) -> str:
        if self.extended and self.rng.random() < 0.08:
            # a unit with its other name in brackets (区发展改革委（粮食和储备局）, 县纪委（监察局）)
            main, other = self.rng.choice(_ALIASED)
            return f"县{main}（{'县' if self.rng.random() < 0.5 else ''}{other}）"
        if self.rng.random() < 0.5 and self.units:
            return self.rng.choice(self.units)
        return _new_unit(self.rng, self.county)

    def collective_unit(self) -> str:
        if self.level6 and self.rng.random() < 0.25:
            return self.rng.choice(_COLLECTIVE_10)
        if self.level5 and self.rng.random() < 0.4:
            return self.rng.choice(_COLLECTIVE_9)
        if self.rng.random() < 0.3 and self.collective:
            return self.rng.choice(self.collective)
        return self.rng.choice(_COLLECTIVE_NEW)

    def units_n(self, n: int, taken: list[str]) -> list[str]:
        out: list[str] = []
        for _ in range(n * 4):
            if len(out) == n:
                break
            u = self.unit()
            # two spellings of one department (市市场监督管理局 / 市市场监管局) are one unit
            if canonical_key(u) not in {canonical_key(x) for x in out + taken}:
                out.append(u)
        return out

    def task_text(self, *, sentences: int | None = None, bracket: bool = True) -> tuple[str, str]:
        """(task text, a phrase it must keep): sentences from the real plans, now and then a
        bracket that is no assignment inside."""
        r = self.rng
        n = sentences or r.choice([1, 1, 2])
        picked = r.sample(self.sentences, n)
        text = "".join(picked)
        if bracket and r.random() < 0.3:
            # after a phrase (before its comma) or at the end of the sentence, never inside a word
            first = picked[0].rstrip("。")
            commas = [k for k, ch in enumerate(first) if ch == "，" and k >= 8]
            cut = r.choice(commas) if commas and r.random() < 0.5 else len(first)
            first = first[:cut] + r.choice(_OTHER_BRACKETS) + first[cut:]
            text = first + "。" + "".join(picked[1:])
        return text, picked[0][:6]

    def assignment(self) -> Assign:
        """Facts: leads, cooperating units, people, deadline."""
        r = self.rng
        lead = self.units_n(2 if r.random() < 0.15 else 1, [])
        n = r.choice([0, 1, 1, 2, 2, 3, 4])
        coop = self.units_n(n, lead)
        if r.random() < 0.2:
            coop.append(self.collective_unit())
        a = Assign(lead, coop)
        if self.extended and r.random() < 0.08:
            a.lead = [self.collective_unit()]          # "（各乡镇人民政府负责）"
            a.coop = [u for u in a.coop if u not in a.lead]
            a.extra.append("collective lead")
        if r.random() < 0.3:
            text, iso = r.choice(_DEADLINES)
            a.deadline_text, a.deadline = text.format(y=self.year), iso.format(y=self.year)
        elif self.extended and r.random() < 0.12:
            a.deadline_text = r.choice(["长期坚持", "每季度", "持续推进", "常态化推进"])
            a.extra.append("deadline word")
        if r.random() < 0.25:
            for label in r.sample(["牵头领导", "责任领导", "责任人", "联系人"], r.choice([1, 1, 2])):
                name = _person(r)
                if (self.extended and r.random() < 0.3 and name[1:] in _GIVEN
                        and label.endswith("领导")):
                    name += r.choice(["副县长", "副局长", "主任"])      # "王建华副县长"
                    a.extra.append("person with title")
                a.persons.append(name)
                line = name
                if label in ("责任人", "联系人") and r.random() < 0.6:
                    line = name + r.choice(["，联系电话：", "，电话：", " "]) + _phone(r)
                a.person_lines.append((label, line))
        return a


# round 9: collective names met in the held10 plans and the brief (各成员单位, 县直有关部门 …)
_COLLECTIVE_9 = ["各成员单位", "县直有关部门", "县直各有关单位", "各相关部门", "县级各有关部门", "各有关部门"]
# round 9: the parts of a task a unit does on its own (二连浩特 环保局: "水质公开由监测站负责")
_MATTERS_9 = ["宣传报道", "信息报送", "督查考核", "资金保障", "数据统计", "执法检查"]
_ALIASED = [("发展和改革局", "粮食和物资储备局"), ("纪委", "监委"), ("委宣传部", "文明办"),
            ("文化和旅游局", "文物局"), ("发改局", "统计局"), ("委组织部", "人才办")]


def join_parts(g: Gen, parts: list[str], sep: str) -> str:
    """Labelled parts in one bracket, joined by `sep` (；or ，), always ； when units are joined by ，."""
    if g.extended and any(re.search(r"：[^：]*，", p) for p in parts):
        sep = "；"
    return sep.join(parts)


_LEAD_LABELS = ["牵头单位", "牵头单位", "牵头责任单位", "主责单位"]
_COOP_LABELS = ["配合单位", "配合单位", "协同单位", "协同责任单位", "协办单位", "参与单位", "责任单位"]


def _j(units: list[str]) -> str:
    return "、".join(units)


def labelled_parts(g: Gen, a: Assign) -> list[str]:
    """The assignment as labelled parts ("牵头单位：X", "配合单位：A、B", "完成时限：…", people)."""
    r = g.rng
    parts: list[str] = []
    jc = _j
    if g.extended and r.random() < 0.2:
        jc = "，".join                   # "配合单位：A，B，C"
        a.extra.append("units separated by ，")
    if g.extended and a.coop and len(a.lead) == 1 and r.random() < 0.15:
        # "责任单位：A、X（牵头）、B": the lead marked among the units
        names = list(a.coop)
        names.insert(r.randint(0, len(names)), a.lead[0] + "（牵头）")
        parts.append(f"责任单位：{jc(names)}")
        a.extra.append("X（牵头） inside 责任单位")
    elif a.coop and r.random() < 0.15 and len(a.lead) == 1:
        # only 责任单位: the first named leads
        parts.append(f"责任单位：{jc(a.lead + a.coop)}")
    else:
        if g.extended and len(a.lead) == 2 and r.random() < 0.5:
            parts.append(f"{r.choice(_LEAD_LABELS)}：{a.lead[0]}及{a.lead[1]}")
            a.extra.append("X及Y lead")
        else:
            lead_label = r.choice(_LEAD_LABELS)
            if g.level2 and r.random() < 0.3:
                lead_label = r.choice(["牵头部门", "主办单位", "牵头责任部门"])
                a.extra.append("other label words")
            parts.append(f"{lead_label}：{jc(a.lead)}")
        if a.coop:
            tail = ""
            if r.random() < 0.2:
                tail = "等部门"
            coop_label = r.choice(_COOP_LABELS)
            if g.level2 and r.random() < 0.3:
                coop_label = r.choice(["配合部门", "协办部门", "责任部门", "参与部门"])
                if "other label words" not in a.extra:
                    a.extra.append("other label words")
            parts.append(f"{coop_label}：{jc(a.coop)}{tail}")
    if g.level3 and a.person_lines and len(a.lead) == 1 and r.random() < 0.3 and parts[0].endswith(a.lead[0]):
        # "牵头单位：县市场监管局（联系人：李明）": the person in a bracket after the unit
        label, line = a.person_lines.pop(0)
        parts[0] += f"（{label}：{line.split('，')[0].split(' ')[0]}）"
        a.extra.append("person inside a unit's bracket")
    if a.person_lines:
        where = r.choice([0, len(parts)])
        for label, line in reversed(a.person_lines):
            parts.insert(where, f"{label}：{line}")
    if a.deadline_text:
        parts.append(f"{r.choice(['完成时限', '完成时限', '完成时间', '时间节点'])}：{a.deadline_text}")
    return parts


def verb_text(g: Gen, a: Assign) -> tuple[str, str]:
    """The assignment in words (no labels): (text, form name). People are not written here."""
    r = g.rng
    lead, coop = a.lead, a.coop
    if not coop:
        form = r.choice(["由X负责", "X负责", "X牵头负责", "X牵头"] if len(lead) == 1 else ["X牵头"])
        text = {"由X负责": f"由{_j(lead)}负责", "X负责": f"{_j(lead)}负责",
                "X牵头负责": f"{_j(lead)}牵头负责", "X牵头": f"{_j(lead)}牵头"}[form]
    else:
        k = r.random()
        last_collective = coop[-1].startswith("各") or coop[-1].startswith("县直")
        if len(lead) == 1 and k < 0.25 and not last_collective:
            form = "A、B等部门按职责分工负责"
            text = f"{_j(lead + coop)}{r.choice(['等部门', '等单位', ''])}按职责分工负责"
        elif last_collective and len(coop) >= 2 and k < 0.6:
            form = "X牵头，A、B及各镇街配合落实"
            text = (f"{_j(lead)}牵头，{_j(coop[:-1])}{r.choice(['等部门', '等单位', ''])}及{coop[-1]}"
                    f"{r.choice(['配合落实', '配合'])}")
        elif k < 0.55 and len(lead) == 1:
            form = "由X牵头，A、B参与"
            text = f"由{_j(lead)}牵头，{_j(coop)}{r.choice(['参与', '协助', '协同推进'])}"
        else:
            form = "X牵头，A、B配合"
            text = f"{_j(lead)}{r.choice(['牵头', '牵头负责'])}，{_j(coop)}{r.choice(['等部门', ''])}" \
                   f"{r.choice(['配合', '配合落实', '配合实施'])}"
    if a.deadline_text:
        text += f"，{a.deadline_text}完成" if not a.deadline_text.endswith("前") else f"，{a.deadline_text}完成"
    return text, form


# --- one plan ---------------------------------------------------------------------------------

_LEVEL_STYLES = {
    1: ["{cn}、"],
    2: ["（{cn}）", "（{cn}）", "({cn})"],
    3: ["{n}.", "{n}.", "{n}．", "{n}、"],
    4: ["（{n}）", "({n})"],
}
_CN = "一二三四五六七八九十"
# round 8b: "1）" (one bracket), ① at the fourth or fifth level
_LEVEL_STYLES[5] = ["{c}"]
_LEVEL_STYLES_8B = {3: ["{n}）", "{n})"], 4: ["{c}"]}


def _circled(n: int) -> str:
    return "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"[n - 1] if 1 <= n <= 20 else str(n)


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    if n < 20:
        return "十" + _CN[n - 11]
    return _CN[n // 10 - 1] + "十" + (_CN[n % 10 - 1] if n % 10 else "")


_BLOCK_TITLES = ["提升产品质量水平", "夯实质量基础设施", "优化营商环境", "强化质量安全监管", "推动品牌建设",
                 "加强标准化工作", "推进乡村振兴", "深化安全生产治理", "落实河长制林长制", "保障民生质量"]
_DECOY_PROSE = [
    "为深入贯彻落实上级部署，结合我县实际，制定本方案。",
    "成立以县政府主要领导为组长的工作领导小组，领导小组办公室设在{u}，办公室主任由{u}主要负责人兼任。",
    "{u}、{v}于{y}年3月联合召开推进会，部署全年工作。",
    "到{y}年底，全县质量工作体系更加完善，质量安全形势持续稳定向好（{y}年）。",
]


@dataclass
class Para:
    """A paragraph of the generated plan: its text (typed numbering included) and, for Word's
    automatic numbering, its list level (0-based) or None."""

    text: str
    ilvl: int | None = None
    run_on: bool = False


def gen_plan(g: Gen, idx: int) -> dict[str, Any]:
    """One plan (paragraph form or a task table) and its expected reading."""
    r = g.rng
    doc: dict[str, Any] = {"id": f"v{idx:04d}", "kind": "plan", "split": "variants", "tasks": [],
                           "doc_forms": []}
    paras: list[Para] = []
    title = (f"{g.county}县{g.year}年" + r.choice(["质量强县工作方案", "营商环境优化提升工作要点",
                                               "安全生产专项整治重点任务分工方案", "乡村振兴重点工作实施方案",
                                               "河长制工作要点", "知识产权强县建设工作方案"]))
    if r.random() < 0.35:
        doc["doc_forms"].append("notice")
        paras += [Para(f"{g.county}政办发〔{g.year}〕{r.randint(1, 60)}号"),
                  Para(f"{g.county}县人民政府办公室关于印发{title}的通知"),
                  Para("各乡镇人民政府、街道办事处，县直有关部门：")]
        if r.random() < 0.5:
            paras.append(Para(f"现将《{title}》印发给你们，并就有关事项通知如下："))
            paras += [Para("一、提高思想认识。各乡镇（街道）、县直各有关部门要充分认识此项工作的重要意义。"),
                      Para(f"二、加强协调配合。{g.unit()}要牵头做好统筹协调，及时报送工作进展。"),
                      Para("三、严格督查考核。工作落实情况纳入年度综合考核。")]
        else:
            paras.append(Para(f"《{title}》已经县政府同意，现印发给你们，请认真贯彻执行。"))
        if g.level4 and r.random() < 0.5:
            # the notice lists its attachments, numbered, before the signature
            paras += [Para(f"附件：1.{title}"), Para(f"2.{g.county}县{g.year}年重点任务分解表")]
            doc["doc_forms"].append("attachment list in the notice")
        paras += [Para(f"{g.county}县人民政府办公室"), Para(f"{g.year}年2月{r.randint(1, 28)}日")]
    elif r.random() < 0.15:
        # the plan as a news page publishes it: a lead paragraph naming units, then the plan
        doc["doc_forms"].append("news preface")
        paras += [Para(f"近日，{g.county}县人民政府办公室印发《{title}》（以下简称《方案》），明确了全年重点任务。"),
                  Para(f"{g.unit()}相关负责人介绍，《方案》由{g.unit()}、{g.unit()}等部门共同起草，"
                       f"经县政府常务会议审议通过。以下为《方案》全文。")]
    paras.append(Para(title))
    paras.append(Para(_DECOY_PROSE[0]))
    if r.random() < 0.2:
        return _gen_table_plan(g, doc, paras)
    auto = r.random() < 0.3
    doc["doc_forms"].append("auto_numbering" if auto else "typed_numbering")
    if auto and g.level2 and r.random() < 0.5:
        doc["style_numbering"] = True      # the list level set by the paragraph's style
        doc["doc_forms"].append("numbering by paragraph style")
    depth = r.choice([1, 2, 2, 3, 3, 4])
    levels = list(range(1, depth + 1))
    if depth == 3 and r.random() < 0.4:
        levels = [1, 3]          # 一、 over 1.: the （一） level skipped
    if g.level3 and r.random() < 0.15:
        levels = r.choice([[2], [2, 3]])    # a plan whose top level is （一）
        doc["doc_forms"].append("top level （一）")
    doc["doc_forms"].append("levels " + "/".join(str(x) for x in levels))
    run_on = len(levels) >= 3 and r.random() < 0.35
    if run_on:
        doc["doc_forms"].append("numbers run on across blocks")
    styles = {lv: r.choice(_LEVEL_STYLES[lv]) for lv in levels}
    if g.level6 and not auto:
        if len(levels) >= 2 and r.random() < 0.2:
            # round 10: every task's label lines stand BEFORE it, under its heading
            g.labels_before = True
            doc["doc_forms"].append("labels before each task")
        if len(levels) >= 2 and levels[0] == 1 and r.random() < 0.1:
            styles_roman = True
        else:
            styles_roman = False
    else:
        styles_roman = False
    if g.extended and not auto:
        if len(levels) <= 4 and r.random() < 0.3:
            levels = list(range(1, 6))[: max(len(levels), 4) + 1]   # a fifth level of ①
            doc["doc_forms"][-1] = "levels " + "/".join(str(x) for x in levels)
            styles = {lv: r.choice(_LEVEL_STYLES[lv]) for lv in levels}
        for lv in levels:
            if lv in _LEVEL_STYLES_8B and r.random() < 0.4 and not (lv == 4 and 5 in levels):
                # (never ① at two levels: a fifth level already numbers with ①)
                styles[lv] = r.choice(_LEVEL_STYLES_8B[lv])
                doc["doc_forms"].append("numbering " + styles[lv].format(cn="一", n=1, c="①"))

    if styles_roman:
        # round 10: the top level numbered with Roman numerals ("Ⅰ、", "Ⅱ、")
        styles[1] = "{roman}、"
        doc["doc_forms"].append("numbering Ⅰ、 at the top level")
    dotted = False
    if g.level5 and not auto and not run_on and levels in ([1, 3], [1, 2, 3]) and r.random() < 0.25:
        # round 9: tasks numbered by their whole path under 一、 headings ("1.1 …", "1.1.1 …")
        dotted = True
        doc["doc_forms"].append("numbering 1.1 / 1.1.1 under headings")

    def label(lv: int, n: int) -> str:
        return styles[lv].format(cn=_cn(n), n=n, c=_circled(n), roman="ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"[min(n, 12) - 1])

    counters = [0] * len(levels)
    running = 0

    def numbered(pos: int, text: str) -> tuple[Para, str]:
        """A numbered paragraph at position `pos` of `levels`; returns it and its code."""
        nonlocal running
        counters[pos] += 1
        for k in range(pos + 1, len(counters)):
            if not (run_on and k == len(levels) - 1):
                counters[k] = 0
        value = counters[pos]
        if run_on and pos == len(levels) - 1:
            running += 1
            value = running
        code = ".".join(str(counters[k]) for k in range(pos)) + ("." if pos else "") + str(value)
        ilvl = levels[pos] - 1
        mark = code + r.choice([" ", "", "　"]) if dotted and pos > 0 else label(levels[pos], value)
        return Para(mark + text, ilvl if auto else None,
                    run_on and pos == len(levels) - 1), code

    # 一、总体要求 (prose, no tasks) when the top level is a heading
    if len(levels) >= 2 or r.random() < 0.5:
        p, _ = numbered(0, "总体要求")
        paras.append(p)
        paras.append(Para(_DECOY_PROSE[3].format(y=g.year)))
    n_blocks = r.randint(1, 3) if len(levels) >= 2 else 1
    for _b in range(n_blocks):
        if len(levels) >= 2:
            block_title = r.choice(_BLOCK_TITLES)
            if g.level5 and r.random() < 0.15:
                # round 9 (海盐, 长兴): a person leads the block — "一、王建华县长牵头重点工作"
                block_title = (f"{r.choice(_SURNAMES)}{r.choice(_GIVEN)}"
                               f"{r.choice(['县长', '副县长', '常务副县长'])}牵头重点工作")
                if "block heading naming a person" not in doc["doc_forms"]:
                    doc["doc_forms"].append("block heading naming a person")
            p, _ = numbered(0, block_title)
            paras.append(p)
        mids = r.randint(1, 2) if len(levels) >= 3 else 1
        for _m in range(mids):
            for pos in range(1, len(levels) - 1):
                p, _ = numbered(pos, r.choice(_BLOCK_TITLES) + ("。" if r.random() < 0.3 else ""))
                paras.append(p)
            if g.level3 and r.random() < 0.15:
                # a title line over unnumbered tasks, each closed by its own bracket: they keep no number
                p, _ = numbered(len(levels) - 1, r.choice(_BLOCK_TITLES))
                paras.append(p)
                for _t in range(r.randint(2, 3)):
                    a = g.assignment()
                    a.persons, a.person_lines = [], []
                    text, keep = g.task_text(bracket=False)
                    inner, form = verb_text(g, a)
                    paras.append(Para(f"{text.rstrip('。')}（{inner}）。"))
                    exp: dict[str, Any] = {"code": "", "lead": a.lead, "coop": a.coop, "task_has": keep,
                                           "forms": ["unnumbered tasks under a title line", form, *a.extra]}
                    if a.deadline:
                        exp["deadline"] = a.deadline
                    doc["tasks"].append(exp)
                continue
            for _t in range(r.randint(1, 4)):
                _task(g, doc, paras, lambda text: numbered(len(levels) - 1, text))
        if r.random() < 0.15:
            paras.append(Para(_DECOY_PROSE[2].format(u=g.unit(), v=g.unit(), y=g.year)))
    if len(levels) >= 2 and r.random() < 0.5:
        doc["doc_forms"].append("保障措施 without units")
        p, _ = numbered(0, "保障措施")
        paras.append(p)
        q, _ = numbered(1, "加强组织领导。" + _DECOY_PROSE[1].format(u=g.unit()))
        paras.append(q)
    doc["paras"] = paras
    doc["format"] = "docx_auto" if auto else "docx"
    return doc


def _task(g: Gen, doc: dict[str, Any], paras: list[Para], numbered: Any) -> None:
    """One task with its assignment, in one of the placements; appends paragraphs and the
    expected reading."""
    r = g.rng
    a = g.assignment()
    forms: list[str] = []
    placement = r.choices(
        ["bracket_end", "bracket_start", "own_lines_after", "own_lines_between", "sentence",
         "opening", "two_paragraphs"], weights=[30, 6, 20, 8, 10, 6, 12])[0]
    if g.extended and r.random() < 0.1:
        placement = "three_paragraphs"
    if g.level6 and (g.labels_before or r.random() < 0.35):
        placement = "labels before each task" if g.labels_before else r.choice(_PLACEMENTS_10)
        _task_10(g, doc, paras, numbered, a, placement)
        return
    if g.level5 and r.random() < 0.35:
        placement = r.choice(_PLACEMENTS_9)
        _task_9(g, doc, paras, numbered, a, placement)
        return
    if placement in ("sentence", "opening", "bracket_start"):
        a.persons, a.person_lines = [], []
    if placement in ("opening",):
        a.deadline, a.deadline_text = "", ""
    text, keep = g.task_text()
    if g.level4 and r.random() < 0.12:
        # the task's own words name a unit and a role word that assign nothing
        decoy = r.choice(["建立由{u}牵头的联席会议制度，", "配合{u}做好迎检准备，", "落实{u}负责的专项资金，"])
        text = decoy.format(u=g.unit()) + text
        keep = text[:6]
        forms.append("unit and role word inside the task text")
    if "（" in text and not text.startswith(keep):
        forms.append("other bracket in text")
    if placement == "bracket_end":
        use_labels = r.random() < 0.5 or a.person_lines
        if use_labels:
            sep = r.choice(["；", "，", "；"])   # drawn first: the seeds of round 8 stay the same plans
            inner, form = join_parts(g, labelled_parts(g, a), sep), "labels in bracket"
        else:
            inner, form = verb_text(g, a)
        if g.level2 and not a.persons and len(a.lead) == 1 and r.random() < 0.25:
            if a.coop and r.random() < 0.5:
                # "（A、B、X（牵头））": the lead marked after the list
                inner, form = f"{_j(a.coop)}、{a.lead[0]}（牵头）", "A、B、X（牵头）"
            else:
                # "（X为牵头单位，A、B为配合单位）", "（责任单位为X）"
                inner = (f"{a.lead[0]}为牵头单位，{_j(a.coop)}为{r.choice(['配合单位', '责任单位'])}" if a.coop
                         else f"{r.choice(['责任单位为', '牵头单位为'])}{a.lead[0]}")
                form = "X为牵头单位"
            if a.deadline_text:
                inner += f"，{a.deadline_text}完成"
        opener, closer = ("〔", "〕") if r.random() < 0.15 else ("（", "）")
        if g.level2 and r.random() < 0.15:
            # copied from a web page: ASCII brackets, colons, semicolons and commas around the units
            inner = inner.replace("：", ":").replace("；", ";").replace("，", ",")
            opener, closer = "(", ")"
            forms.append("half-width punctuation")
        if r.random() < 0.5:
            body = f"{text}{opener}{inner}{closer}"
        else:
            body = f"{text.rstrip('。')}{opener}{inner}{closer}。"
        p, code = numbered(body)
        paras.append(p)
        forms.append(form)
    elif placement == "bracket_start":
        inner, form = verb_text(g, a) if r.random() < 0.5 else ("；".join(labelled_parts(g, a)), "labels in bracket")
        p, code = numbered(f"（{inner}）{text}")
        paras.append(p)
        forms.append(form)
    elif placement in ("own_lines_after", "own_lines_between"):
        if r.random() < 0.75 or a.person_lines:
            lines = labelled_parts(g, a)
            forms.append("labels on own lines")
        else:
            vt, form = verb_text(g, a)
            lines = [vt + "。"]
            forms.append(form + " on own line")
        if g.level3 and forms[-1] == "labels on own lines" and r.random() < 0.3:
            if r.random() < 0.5 or any(x.startswith(("牵头领导", "责任领导", "责任人", "联系人")) for x in lines):
                # "（牵头单位：X；配合单位：A、B）" as a paragraph of its own after the task
                lines = ["（" + "；".join(lines) + "）"]
                forms.append("bracketed own line")
            else:
                # "【牵头单位】X【配合单位】A、B" on one line
                lines = ["".join("【" + x.replace("：", "】", 1) for x in lines)]
                forms.append("【】 labels on one line")
        elif g.extended and len(lines) >= 2 and r.random() < 0.3:
            # "牵头单位：X　配合单位：A、B": two labels on one line, spaced apart
            lines = [lines[0] + r.choice(["　", "  ", "　　"]) + lines[1], *lines[2:]]
            forms.append("two labels on one line")
        if placement == "own_lines_after":
            p, code = numbered(text)
            paras.append(p)
            paras += [Para(x) for x in lines]
        else:
            head = r.choice(_BLOCK_TITLES)
            p, code = numbered(head)
            paras.append(p)
            paras += [Para(x) for x in lines]
            paras.append(Para(text))
            keep = text[:8]
    elif placement == "sentence":
        if a.coop:
            s = f"此项工作由{_j(a.lead)}牵头负责，{_j(a.coop)}{r.choice(['等部门', ''])}配合"
            form = "此项工作由X牵头负责，A、B配合"
        else:
            s = f"由{_j(a.lead)}{'负责' if len(a.lead) == 1 else '牵头负责'}"
            form = "由X负责 (sentence)"
        if a.deadline_text:
            s += f"，{a.deadline_text}完成"
        p, code = numbered(f"{text}{s}。")
        paras.append(p)
        forms.append(form)
    elif placement == "opening":
        lead = _j(a.lead)
        s = f"由{lead}{r.choice(['负责', '牵头'] if len(a.lead) == 1 else ['牵头'])}" + (f"，{_j(a.coop)}{r.choice(['配合', '协助'])}" if a.coop else "")
        p, code = numbered(f"{s}，{text}")
        paras.append(p)
        forms.append("由X负责，A配合，… (opening)")
    elif placement == "three_paragraphs":
        # a title line, a first body paragraph, then a second closing with the assignment
        title = r.choice(_BLOCK_TITLES)
        p, code = numbered(title)
        paras.append(p)
        first, _ = g.task_text(sentences=1, bracket=False)
        paras.append(Para(first))
        inner = "；".join(labelled_parts(g, a)) if (r.random() < 0.5 or a.person_lines) else verb_text(g, a)[0]
        paras.append(Para(f"{text.rstrip('。')}（{inner}）。"))
        keep = title
        forms.append("bracket after third paragraph")
    else:
        # the task's text over two paragraphs, the assignment at the end of the second
        first, keep = g.task_text(sentences=1, bracket=False)
        if r.random() < 0.5:
            first = first.rstrip("。")[:20]      # a title line, then the body
            keep = first[:8]
            forms.append("title line + body")
        else:
            forms.append("two body paragraphs")
        p, code = numbered(first)
        paras.append(p)
        if r.random() < 0.5 or a.person_lines:
            inner = "；".join(labelled_parts(g, a))
            forms.append("labels in bracket")
        else:
            inner, form = verb_text(g, a)
            forms.append(form)
        paras.append(Para(f"{text.rstrip('。')}（{inner}）。"))
        forms.append("bracket after second paragraph")
    if g.level4 and placement in ("bracket_end", "sentence") and r.random() < 0.15:
        # ▲ lines straight after the task belong to it
        paras += [Para("▲" + g.task_text(sentences=1, bracket=False)[0]) for _ in range(r.randint(1, 2))]
        forms.append("▲ lines after the task")
    forms.insert(0, placement)
    forms += a.extra
    if any("（" in u and not u.startswith(("各", "县直")) for u in a.lead + a.coop):
        forms.append("unit with its other name in brackets")
    if len(a.lead) > 1:
        forms.append("several leads")
    if a.persons:
        forms.append("people")
    if a.deadline:
        forms.append("deadline")
    exp: dict[str, Any] = {"code": code, "lead": a.lead, "coop": a.coop, "forms": forms, "task_has": keep}
    if a.persons:
        exp["persons"] = a.persons
    if a.deadline:
        exp["deadline"] = a.deadline
    doc["tasks"].append(exp)


# Round 9 (extended=5): placements and forms from held-out set 10 (real plans, corpus_h10.py) and the
# forms the brief lists that the generator did not write; see EXTENDED_FORMS_5.
_PLACEMENTS_9 = ["units on own lines", "clause 由X和Y一同负责 ending the sentence", "由X负责。 opening the body",
                 "X牵头， opening without 由", "parts by their own units", "参加", "首位单位为牵头单位 note",
                 "many leads with a note", "labels without 单位", "square brackets with ，"]


def _task_9(g: Gen, doc: dict[str, Any], paras: list[Para], numbered: Any, a: Assign, placement: str) -> None:
    """One task in a round-9 placement: appends its paragraphs and its expected reading."""
    r = g.rng
    a.persons, a.person_lines = [], []
    text, keep = g.task_text()
    lead, coop = a.lead, a.coop
    keep_deadline = False
    if placement == "units on own lines":
        # the label on a line of its own, then one unit a line
        p, code = numbered(text)
        paras.append(p)
        paras.append(Para(r.choice(["牵头单位：", "牵头单位"])))
        paras += [Para(u) for u in lead]
        if coop:
            paras.append(Para(r.choice(["配合单位：", "配合单位", "责任单位："])))
            paras += [Para(u) for u in coop]
        if a.deadline_text:
            paras.append(Para(f"完成时限：{a.deadline_text}"))
            keep_deadline = True
    elif placement.startswith("clause"):
        a.lead, a.coop = lead[:1], (lead[1:] + coop)[:1]
        lead, coop = a.lead, a.coop
        who = _j(lead) + (r.choice(["和", "、", "及"]) + coop[0] if coop else "")
        p, code = numbered(f"{text.rstrip('。')}，由{who}{r.choice(['一同负责', '共同负责', '负责'])}。")
        paras.append(p)
    elif placement.startswith("由X负责。"):
        title = r.choice(_BLOCK_TITLES)
        p, code = numbered(title)
        paras.append(p)
        s = f"由{_j(lead)}{'负责' if len(lead) == 1 and not coop else '牵头'}" + (f"，{_j(coop)}配合" if coop else "")
        paras.append(Para(f"{s}。{text}"))
    elif placement.startswith("X牵头，"):
        s = f"{_j(lead)}牵头，" + (f"{_j(coop)}{r.choice(['配合', '协助'])}，" if coop else "")
        p, code = numbered(s + text)
        paras.append(p)
    elif placement == "parts by their own units":
        a.coop = coop = coop[: len(_MATTERS_9)]
        p, code = numbered(text)
        paras.append(p)
        if coop:
            parts = [f"{m}由{u}负责" for m, u in zip(r.sample(_MATTERS_9, len(coop)), coop, strict=True)]
            paras.append(Para(f"{_j(lead)}牵头，" + "，".join(parts) + "。"))
        else:
            paras.append(Para(f"由{_j(lead)}{'负责' if len(lead) == 1 else '牵头负责'}。"))
    elif placement == "参加":
        if not coop:
            inner = f"{_j(lead)}{'负责' if len(lead) == 1 else '牵头负责'}"
        elif len(lead) == 1:
            inner = f"{_j(lead)}牵头负责，{_j(coop)}参加"
        else:
            inner = f"{_j(lead)}按照职责分工分别牵头负责，{_j(coop)}参加"
        p, code = numbered(f"{text.rstrip('。')}。（{inner}）")
        paras.append(p)
    elif placement.startswith("首位单位"):
        a.lead, a.coop = lead[:1], lead[1:] + coop
        lead, coop = a.lead, a.coop
        first = lead[0] + ("" if g.noted else "（首位单位为牵头单位，下同）")
        g.noted = True
        p, code = numbered(text)
        paras.append(p)
        paras.append(Para("责任单位：" + "、".join([first, *coop])))
    elif placement.startswith("many leads"):
        a.lead = lead = g.units_n(r.randint(4, 8), [])
        a.coop = coop = [g.collective_unit()]
        note = r.choice(["", f"。以下均需{coop[0]}负责，不再列出"])
        p, code = numbered(f"{text}〔{_j(lead)}牵头，{coop[0]}按职责分工负责{note}〕")
        paras.append(p)
    elif placement == "labels without 单位":
        inner = f"牵头：{_j(lead)}" + (f"；{r.choice(['配合', '参与', '协同'])}：{_j(coop)}" if coop else "")
        if a.deadline_text:
            inner += f"；完成时限：{a.deadline_text}"
            keep_deadline = True
        p, code = numbered(f"{text.rstrip('。')}（{inner}）。")
        paras.append(p)
    else:   # square brackets with ，
        inner = f"牵头单位：{_j(lead)}" + (f"；责任单位：{'，'.join(coop)}" if coop else "")
        p, code = numbered(f"{text.rstrip('。')}。［{inner}］")
        paras.append(p)
    forms = [placement, *a.extra]
    if len(a.lead) > 1:
        forms.append("several leads")
    if any(u in _COLLECTIVE_9 for u in a.lead + a.coop):
        forms.append("collective 各成员单位 / 县直有关部门")
    exp: dict[str, Any] = {"code": code, "lead": a.lead, "coop": a.coop, "forms": forms, "task_has": keep}
    if keep_deadline and a.deadline:
        exp["deadline"] = a.deadline
        forms.append("deadline")
    doc["tasks"].append(exp)


# Round 10 (extended=6): placements and forms from held-out set 11 (real plans, corpus_h11.py) and the
# forms left from round 9; see EXTENDED_FORMS_6. Written after the held11 fixes, committed before any run.
_PLACEMENTS_10 = ["dash after the task", "convention note after the list", "时限要求 own line",
                  "own lines ending in 。 with 牵头负责领导", "labels separated by ，", "等部门 then more units",
                  "several 牵头负责", "一是…二是… in one paragraph"]
_COLLECTIVE_10 = ["县、乡两级政府", "县、镇两级人民政府", "各乡（镇）、街道", "各县、市、区政府",
                  "各省、自治区、直辖市人民政府有关主管部门", "县级各有关部门"]
_COMPANIES_10 = ["县国投公司", "县城投集团", "县交投公司", "县供水公司"]
_CONVENTION_NOTES_10 = ["（列第一位者为牵头单位，下同）", "（列第一位者为工作牵头单位或汇总单位，下同）",
                        "（第一责任单位为牵头单位，下同）", "（排在首位的为牵头单位，下同）"]


def _task_10(g: Gen, doc: dict[str, Any], paras: list[Para], numbered: Any, a: Assign, placement: str) -> None:
    """One task in a round-10 placement: appends its paragraphs and its expected reading."""
    r = g.rng
    text, keep = g.task_text()
    lead, coop = a.lead, a.coop
    keep_deadline = keep_persons = False
    if placement == "labels before each task":
        lines = labelled_parts(g, a)
        paras += [Para(x) for x in lines]
        p, code = numbered(text)
        paras.append(p)
        keep_deadline = keep_persons = True
    elif placement == "dash after the task":
        a.persons, a.person_lines = [], []
        if coop and r.random() < 0.5:
            who = f"{_j(lead)}牵头，{_j(coop)}配合"
        else:
            a.lead, a.coop = lead[:1], lead[1:] + coop
            lead, coop = a.lead, a.coop
            who = _j(lead + coop)
        dash = r.choice(["——", "——", "—"])
        if r.random() < 0.5:
            p, code = numbered(f"{text}{dash}{who}")
            paras.append(p)
        else:
            p, code = numbered(text)
            paras += [p, Para(f"{dash}{who}")]
    elif placement == "convention note after the list":
        a.persons, a.person_lines = [], []
        a.lead, a.coop = lead[:1], lead[1:] + coop
        lead, coop = a.lead, a.coop
        names = _j(lead + coop) + ("" if g.noted10 else r.choice(_CONVENTION_NOTES_10))
        g.noted10 = True
        p, code = numbered(text)
        paras += [p, Para(f"责任单位：{names}")]
    elif placement == "时限要求 own line":
        a.persons, a.person_lines = [], []
        p, code = numbered(text)
        paras.append(p)
        paras.append(Para(f"牵头单位：{_j(lead)}"))
        if coop:
            paras.append(Para(f"配合单位：{_j(coop)}"))
        if a.deadline_text:
            paras.append(Para(f"时限要求：{a.deadline_text}"))
            keep_deadline = True
        else:
            paras.append(Para(f"时限要求：{r.choice(['持续推进', '长期坚持'])}"))
    elif placement.startswith("own lines ending in 。"):
        a.persons = [_person(r)]
        p, code = numbered(text)
        paras.append(p)
        paras.append(Para(f"{r.choice(['牵头负责领导', '牵头县领导', '包抓县级领导', '挂点领导'])}：{a.persons[0]}。"))
        paras.append(Para(f"牵头责任单位：{_j(lead)}。"))
        if coop:
            named = [u for u in coop if not u.startswith(("各", "县、", "县级"))]
            rest = [u for u in coop if u not in named]
            coop_text = _j(named) + ("等，" + _j(rest) if named and rest else (_j(rest) if rest else ""))
            a.coop = coop = named + rest
            paras.append(Para(f"协同责任单位：{coop_text}。"))
        keep_persons = True
    elif placement == "labels separated by ，":
        a.persons, a.person_lines = [], []
        inner = f"牵头单位：{_j(lead)}" + (f"，责任单位：{'，'.join(coop)}" if coop else "")
        p, code = numbered(f"{text.rstrip('。')}。（{inner}）")
        paras.append(p)
    elif placement == "等部门 then more units":
        a.persons, a.person_lines = [], []
        named = coop[:] or g.units_n(2, lead)
        more = [r.choice(_COMPANIES_10), g.collective_unit()]
        a.coop = coop = named + [m for m in more if m not in named]
        inner = f"{_j(lead)}牵头，{_j(named)}等部门，{_j(coop[len(named):])}配合"
        p, code = numbered(f"{text.rstrip('。')}。（{inner}）")
        paras.append(p)
    elif placement == "several 牵头负责":
        a.persons, a.person_lines = [], []
        a.lead = lead = g.units_n(r.randint(2, 4), [])
        a.coop = coop = []
        p, code = numbered(f"{text.rstrip('。')}。（{_j(lead)}牵头负责）")
        paras.append(p)
    else:   # 一是…二是… in one paragraph, each measure with its own units
        a.persons, a.person_lines = [], []
        units = lead[:1] + coop
        parts = [units[:1]] + [[u] for u in units[1:3]]
        if len(units) > 3:
            parts[-1] = units[2:]
        names: list[str] = []
        for part in parts:
            names += [u for u in part if u not in names]
        a.lead, a.coop = names[:1], names[1:]
        lead, coop = a.lead, a.coop
        measures = [g.task_text(sentences=1, bracket=False)[0].rstrip("。") for _ in parts]
        body = "；".join(f"{'一二三四'[k]}是{m}（{_j(part)}负责）" for k, (m, part) in enumerate(zip(measures, parts, strict=True)))
        p, code = numbered(f"{text}{body}。")
        paras.append(p)
    forms = [placement, *a.extra]
    if len(a.lead) > 1:
        forms.append("several leads")
    if any(u in _COLLECTIVE_10 for u in a.lead + a.coop):
        forms.append("collective 县、乡两级政府 / 各省、自治区…")
    if any(u in _COMPANIES_10 for u in a.coop):
        forms.append("a company as a unit")
    exp: dict[str, Any] = {"code": code, "lead": a.lead, "coop": a.coop, "forms": forms, "task_has": keep}
    if keep_deadline and a.deadline:
        exp["deadline"] = a.deadline
        forms.append("deadline")
    if keep_persons and a.persons:
        exp["persons"] = a.persons
        forms.append("people")
    doc["tasks"].append(exp)


_TABLE_LAYOUTS = [
    ("序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"),
    ("序号", "工作任务", "责任单位", "责任领导", "联系人", "联系电话", "完成时限"),
    ("序号", "任务内容", "牵头单位", "责任单位", "牵头领导", "完成时间"),
    ("序号", "工作事项", "主责单位", "协同单位", "责任人", "时间节点"),
]


def _gen_table_plan(g: Gen, doc: dict[str, Any], paras: list[Para]) -> dict[str, Any]:
    """A plan that is a task table inside the .docx."""
    r = g.rng
    head = r.choice(_TABLE_LAYOUTS)
    if g.level2 and r.random() < 0.35:
        # 责任单位 over two columns 牵头 | 配合 (a header of two rows)
        head = ("序号", "重点任务", "牵头单位", "配合单位", "完成时限")
        doc["header2"] = True
        doc["doc_forms"].append("two-row header (责任单位 over 牵头|配合)")
    doc["doc_forms"].append("task table: " + "|".join(head))
    paras.append(Para(r.choice(["附件", "重点任务分解表", f"{g.county}县{g.year}年重点任务分解表"])))
    blocks = r.random() < 0.4
    if blocks:
        doc["doc_forms"].append("block rows")
    head_no = 0
    if g.level5 and not blocks and r.random() < 0.35:
        # round 9: the table stands under a numbered heading of the plan ("二、重点任务")
        head_no = r.randint(2, 4)
        paras += [Para("一、工作目标"), Para(_DECOY_PROSE[3].format(y=g.year))] if head_no == 2 else []
        paras.append(Para(f"{_cn(head_no)}、{r.choice(['重点任务', '主要任务', '任务分工'])}"))
        doc["doc_forms"].append("task table under a numbered heading")
    rows: list[list[str]] = [list(head)]
    if doc.get("header2"):
        rows = [["序号", "重点任务", "责任单位", "责任单位", "完成时限"], ["", "", "牵头", "配合", ""]]
    merges: list[tuple[int, int, int]] = []   # (column, first row, last row) merged down
    n = 0
    for b in range(r.randint(1, 3) if blocks else 1):
        if blocks and g.extended and r.random() < 0.5:
            # the block's number in the 序号 column, its name across the rest of the row
            rows.append([_cn(b + 1)] + [r.choice(_BLOCK_TITLES)] * (len(head) - 1))
            if "block in 序号 column" not in doc["doc_forms"]:
                doc["doc_forms"].append("block in 序号 column")
        elif blocks:
            rows.append([f"{_cn(b + 1)}、{r.choice(_BLOCK_TITLES)}"] * len(head))
        group_start = len(rows)
        for _ in range(r.randint(2, 5)):
            n += 1
            a = g.assignment()
            # a table states people and deadlines only in their own columns
            a.persons, a.person_lines, a.deadline, a.deadline_text = [], [], "", ""
            text, keep = g.task_text(bracket=False)
            row = [""] * len(head)
            forms = ["table row"]
            for k, col in enumerate(head):
                if col == "序号":
                    row[k] = str(n)
                elif col in ("重点任务", "工作任务", "任务内容", "工作事项"):
                    row[k] = text if "具体措施" not in head else r.choice(_BLOCK_TITLES)
                elif col == "具体措施":
                    row[k] = text
                elif col in ("牵头单位", "主责单位"):
                    row[k] = _j(a.lead)
                elif col in ("配合单位", "协同单位"):
                    row[k] = _j(a.coop) + ("等部门" if a.coop and r.random() < 0.2 else "")
                elif col == "责任单位" and "牵头单位" in head:
                    row[k] = _j(a.coop)
                elif col == "责任单位" and g.level5 and r.random() < 0.3:
                    # round 9: "牵头：X；配合：A、B" inside one cell
                    row[k] = f"牵头：{_j(a.lead)}" + (f"；配合：{_j(a.coop)}" if a.coop else "")
                    forms.append("牵头：X；配合：A、B in a cell")
                elif col == "责任单位":
                    if a.coop and r.random() < 0.5:
                        row[k] = f"{_j(a.lead)}牵头，{_j(a.coop)}{r.choice(['配合', '配合落实'])}"
                        forms.append("X牵头，A、B配合 in a cell")
                    elif len(a.lead) == 1:
                        row[k] = _j(a.lead + a.coop)
                        forms.append("first named leads in a cell")
                    else:
                        row[k] = f"{_j(a.lead)}牵头" if not a.coop else f"{_j(a.lead)}牵头，{_j(a.coop)}配合"
                        forms.append("X牵头 in a cell")
                elif col in ("责任领导", "牵头领导", "责任人", "联系人"):
                    name = _person(r)
                    row[k] = name
                    a.persons.append(name)
                    forms.append("person columns")
                elif col == "联系电话":
                    row[k] = _phone(r)
                elif col in ("完成时限", "完成时间", "时间节点") and g.level5 and r.random() < 0.25:
                    row[k] = r.choice(["长期", "持续推进", "长期坚持", "常态化推进"])   # no date to read
                    forms.append("deadline column with 长期 / 持续推进")
                elif col in ("完成时限", "完成时间", "时间节点"):
                    if not a.deadline:
                        t, iso = r.choice(_DEADLINES)
                        a.deadline_text, a.deadline = t.format(y=g.year), iso.format(y=g.year)
                    row[k] = a.deadline_text
            rows.append(row)
            if len(a.lead) > 1:
                forms.append("several leads")
            code = f"{b + 1}.{n}" if blocks else (f"{head_no}.{n}" if head_no else str(n))
            exp: dict[str, Any] = {"code": code, "lead": a.lead, "coop": a.coop, "forms": forms,
                                   "task_has": keep}
            if a.persons:
                exp["persons"] = a.persons
            if a.deadline:
                exp["deadline"] = a.deadline
            doc["tasks"].append(exp)
        if "具体措施" in head and len(rows) - group_start >= 2 and r.random() < 0.6:
            # the 重点任务 cell merged down over the rows of its measures
            k = head.index("重点任务")
            for row in rows[group_start + 1:]:
                row[k] = rows[group_start][k]
            merges.append((k, group_start, len(rows) - 1))
            for t in doc["tasks"][-(len(rows) - group_start):]:
                t["forms"].append("merged cells")
    doc["paras"] = paras
    doc["table"] = rows
    doc["merges"] = merges
    doc["format"] = "docx_table"
    return doc


def generate(seed: int, plans: int, *, extended: int = 0) -> list[dict[str, Any]]:
    """`plans` plans from seed `seed` (the same seed gives the same plans). `extended` adds the
    round-8b forms (EXTENDED_FORMS), written after the round-8 fixes and measured once."""
    facts = _facts()
    rng = random.Random(seed)
    return [gen_plan(Gen(random.Random(rng.random()), facts, extended), i) for i in range(plans)]


# Round 8b (written after the round-8 fixes, committed before any run of them): forms a clerk meets
# that the first generator did not write. The expected reading follows the same conventions.
EXTENDED_FORMS = (
    "numbering 1）", "numbering 1)", "numbering ①", "levels 1/2/3/4/5", "units separated by ，",
    "two labels on one line", "X（牵头） inside 责任单位", "X及Y lead", "unit with its other name in brackets",
    "collective lead", "deadline word", "person with title", "three_paragraphs", "block in 序号 column",
)
# Round 9 (extended=5, written after the held10 fixes, committed before any run of them; helper A7).
EXTENDED_FORMS_5 = (*_PLACEMENTS_9, "numbering 1.1 / 1.1.1 under headings", "block heading naming a person",
                    "collective 各成员单位 / 县直有关部门", "task table under a numbered heading",
                    "牵头：X；配合：A、B in a cell", "deadline column with 长期 / 持续推进")
# Round 10 (extended=6, written after the held11 fixes, committed before any run of them; helper A9).
EXTENDED_FORMS_6 = (*_PLACEMENTS_10, "labels before each task", "numbering Ⅰ、 at the top level",
                    "collective 县、乡两级政府 / 各省、自治区…", "a company as a unit")
# Round 8e (extended=4, written after the round-8d fixes, committed before any run of them).
EXTENDED_FORMS_4 = ("attachment list in the notice", "unit and role word inside the task text", "▲ lines after the task")
# Round 8d (extended=3, written after the round-8c fixes, committed before any run of them).
EXTENDED_FORMS_3 = (
    "bracketed own line", "【】 labels on one line", "unnumbered tasks under a title line", "top level （一）",
    "person inside a unit's bracket",
)
# Round 8c (extended=2, written after the round-8b fixes, committed before any run of them).
EXTENDED_FORMS_2 = (
    "half-width punctuation", "X为牵头单位", "A、B、X（牵头）", "two-row header (责任单位 over 牵头|配合)",
    "numbering by paragraph style", "other label words",
)


# --- the .docx -------------------------------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_AUTO = [(0, "chineseCounting", "%1、"), (1, "chineseCounting", "（%2）"), (2, "decimal", "%3."),
         (3, "decimal", "（%4）")]


def _numbering(d: Any, num_id: int, run_on_level: int | None) -> None:
    from docx.oxml import parse_xml

    part = d.part.numbering_part
    body = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{f}"/><w:lvlText w:val="{t}"/>'
        + ('<w:lvlRestart w:val="0"/>' if i == run_on_level else "") + "</w:lvl>"
        for i, f, t in _AUTO)
    part.element.append(parse_xml(f'<w:abstractNum {W} w:abstractNumId="{num_id}">{body}</w:abstractNum>'))
    part.element.append(parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))


_TYPED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[（(]\d+[）)])")


def build_variant(doc: dict[str, Any], path: Path) -> Path:
    """The .docx a clerk would receive for a generated plan."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    paras: list[Para] = doc["paras"]
    if doc["format"] == "docx_auto":
        run_on = next((p.ilvl for p in paras if p.run_on), None)
        _numbering(d, 91, run_on)
    styles: dict[int, Any] = {}
    for p in paras:
        if p.ilvl is not None:
            m = _TYPED.match(p.text)
            q = d.add_paragraph(p.text[m.end():] if m else p.text)
            if doc.get("style_numbering"):
                if p.ilvl not in styles:
                    from docx.enum.style import WD_STYLE_TYPE

                    st = d.styles.add_style(f"TaskLevel{p.ilvl + 1}", WD_STYLE_TYPE.PARAGRAPH)
                    st.element.get_or_add_pPr().append(parse_xml(
                        f'<w:numPr {W}><w:ilvl w:val="{p.ilvl}"/><w:numId w:val="91"/></w:numPr>'))
                    styles[p.ilvl] = st
                q.style = styles[p.ilvl]
            else:
                q._p.get_or_add_pPr().append(parse_xml(
                    f'<w:numPr {W}><w:ilvl w:val="{p.ilvl}"/><w:numId w:val="91"/></w:numPr>'))
        else:
            d.add_paragraph(p.text)
    if doc.get("table"):
        rows = doc["table"]
        t = d.add_table(rows=len(rows), cols=len(rows[0]))
        for i, row in enumerate(rows):
            if doc.get("header2") and i <= 1:
                continue
            if len(set(row)) == 1 and i > 0:
                cell = t.cell(i, 0).merge(t.cell(i, len(row) - 1))
                cell.text = row[0]
                continue
            if i > 0 and len(set(row[1:])) == 1 and row[0] != row[1]:
                t.cell(i, 0).text = row[0]
                t.cell(i, 1).merge(t.cell(i, len(row) - 1)).text = row[1]
                continue
            for k, value in enumerate(row):
                t.cell(i, k).text = value
        if doc.get("header2"):
            for k in (0, 1, 4):
                t.cell(0, k).merge(t.cell(1, k)).text = rows[0][k]
            t.cell(0, 2).merge(t.cell(0, 3)).text = "责任单位"
            t.cell(1, 2).text, t.cell(1, 3).text = "牵头", "配合"
        for k, first, last in doc.get("merges", []):
            top = t.cell(first, k)
            text = top.text
            merged = top.merge(t.cell(last, k))
            merged.text = text
    d.core_properties.created = dt.datetime(2024, 1, 1)
    d.save(str(path))
    return path


# --- reading them back ------------------------------------------------------------------------


@dataclass
class TaskResult:
    forms: list[str]
    doc_forms: list[str]
    right: bool
    code_kept: bool
    miss: str = ""


def check_variant(doc: dict[str, Any], path: Path, archive: Any) -> tuple[list[TaskResult], str, int]:
    """Each expected task read right or not; the refusal text ('' if read); the number of
    tasks read that no expected task matches (extra tasks)."""
    from storage.kernel.errors import ArchiveError
    from storage.tables.plan_import import import_plan

    try:
        items = import_plan(archive, path, dry_run=True).items
    except ArchiveError as e:
        return [TaskResult(t["forms"], doc["doc_forms"], False, False, "refused") for t in doc["tasks"]], e.zh, 0
    by_code: dict[str, list[int]] = defaultdict(list)
    for k, it in enumerate(items):
        by_code[it["code"]].append(k)
    used: set[int] = set()
    out: list[TaskResult] = []
    pending: list[tuple[int, dict[str, Any]]] = []
    matched: dict[int, int] = {}
    for j, want in enumerate(doc["tasks"]):
        ks = [k for k in by_code.get(want["code"], []) if k not in used]
        if ks:
            matched[j] = ks[0]
            used.add(ks[0])
        else:
            pending.append((j, want))
    free = [k for k in range(len(items)) if k not in used]
    for (j, _), k in zip(pending, free, strict=False):
        matched[j] = k
        used.add(k)
    for j, want in enumerate(doc["tasks"]):
        k = matched.get(j)
        if k is None:
            out.append(TaskResult(want["forms"], doc["doc_forms"], False, False, "not read"))
            continue
        got = items[k]
        miss = []
        if list(got["lead"]) != want["lead"] or list(got["cooperating"]) != want["coop"]:
            miss.append(f"lead {got['lead']} coop {got['cooperating']} != {want['lead']} {want['coop']}")
        names = [p["name"] for p in got.get("persons", [])]
        for name in want.get("persons", []):
            if name not in names:
                miss.append(f"person {name} not kept ({names})")
        if want.get("deadline") and str(got.get("deadline")) != want["deadline"]:
            miss.append(f"deadline {got.get('deadline')} != {want['deadline']}")
        if want.get("task_has") and want["task_has"] not in got["task"]:
            miss.append(f"text lacks {want['task_has']!r}: {got['task'][:40]!r}")
        code_kept = got["code"] == want["code"]
        if not code_kept:
            miss.append(f"code {got['code']!r} != {want['code']!r}")
        out.append(TaskResult(want["forms"], doc["doc_forms"], not miss, code_kept, "; ".join(miss)))
    return out, "", len(items) - len(used)


def run(seed: int, plans: int, *, verbose: bool = False, extended: int = 0) -> dict[str, Any]:
    """Generate, build and read `plans` plans; print the figures by form; return them."""
    from storage.core.archive import Archive

    docs = generate(seed, plans, extended=extended)
    results: list[tuple[dict[str, Any], list[TaskResult], str, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        archive = Archive.create(folder / "archive")
        try:
            for d in docs:
                res, refused, extra = check_variant(d, build_variant(d, folder / f"{d['id']}.docx"), archive)
                results.append((d, res, refused, extra))
        finally:
            archive.close()
    tasks = [t for _, res, _, _ in results for t in res]
    right = sum(t.right for t in tasks)
    kept = sum(t.code_kept for t in tasks)
    refused = [d["id"] for d, _, ref, _ in results if ref]
    extra = sum(x for *_, x in results)
    whole = sum(1 for _, res, ref, x in results if not ref and not x and all(t.right for t in res))
    print(f"plan variants seed {seed}{f' (extended {extended})' if extended else ''}: plans {len(docs)}  tasks right {right}/{len(tasks)} "
          f"({100 * right / max(len(tasks), 1):.1f}%)  codes kept {kept}/{len(tasks)} "
          f"({100 * kept / max(len(tasks), 1):.1f}%)  refused {len(refused)}  extra tasks {extra}  "
          f"plans wholly right {whole}/{len(docs)}")
    by_form: dict[str, list[bool]] = defaultdict(list)
    for t in tasks:
        for f in set(t.forms) | set(t.doc_forms):
            by_form[f].append(t.right)
    print("  by form (tasks right):")
    for f, oks in sorted(by_form.items(), key=lambda kv: (sum(kv[1]) / len(kv[1]), kv[0])):
        print(f"    {sum(oks):4d}/{len(oks):<4d} {100 * sum(oks) / len(oks):5.1f}%  {f}")
    if verbose:
        for d, res, ref, x in results:
            bad = [(k, t) for k, t in enumerate(res) if not t.right]
            if not bad and not ref and not x:
                continue
            print(f"  {d['id']} {' '.join(d['doc_forms'])}" + (f" REFUSED {ref}" if ref else "")
                  + (f" extra {x}" if x else ""))
            for k, t in bad:
                print(f"      task {k + 1} [{', '.join(t.forms)}]: {t.miss}")
    return {"plans": len(docs), "tasks": len(tasks), "right": right, "kept": kept,
            "refused": refused, "extra": extra, "whole": whole,
            "by_form": {f: (sum(v), len(v)) for f, v in by_form.items()}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--plans", type=int, default=300)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--extended", type=int, nargs="?", const=1, default=0,
                    help="1: add the round-8b forms (EXTENDED_FORMS); 2: also the round-8c ones; 3: and 8d; 4: and 8e; "
                         "5: and round 9's (EXTENDED_FORMS_5); 6: and round 10's (EXTENDED_FORMS_6)")
    ap.add_argument("--dump", type=int, default=0, help="print the paragraphs of the first N plans")
    args = ap.parse_args()
    if args.dump:
        for d in generate(args.seed, args.dump, extended=args.extended):
            print(d["id"], d["doc_forms"])
            for p in d["paras"]:
                print("   ", p.ilvl if p.ilvl is not None else "-", p.text)
            for row in d.get("table", []):
                print("    |", " | ".join(row))
            for t in d["tasks"]:
                print("   =>", t)
        return 0
    run(args.seed, args.plans, verbose=args.verbose, extended=args.extended)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
