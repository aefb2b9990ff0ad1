"""One grammar of assignments: who leads a task, who cooperates, which people answer for it
and by when, read from the text a plan or a table writes beside the task.

The same small grammar reads every form met in published plans and tables:

    （县市场监管局、县工信局等部门按职责分工负责）
    （市质监局牵头，市经信局、市工商局等单位及各镇街配合落实）
    （牵头单位：州行政审批服务局；责任单位：州司法局、州委编办，6月底完成）
    此项工作由各级政府牵头负责，质监、发改、工信等部门配合。
    由乡三农服务中心承办，乡畜牧站、卫生院、派出所、工商所配合。
    牵头单位：区发改局            责任单位：立山经济开发区，各街道
    牵头领导：张三   联系人：李四   完成时限：2023年6月底前

It works in two steps. The tokenizer cuts the text into LABEL tokens ("牵头单位：", "联系人：",
"完成时限：") and ITEM tokens (what stands between the separators 、，；/ spaces and the
conjunctions 及/和/与 that join two units). Each item is then read from both ends: a leading
"由"/"此项工作由", a trailing role verb (牵头, 配合落实, 按职责分工负责 …), a trailing "等部门",
an own role mark "（牵头）"; what is left is classified as a unit (by its organisational
suffix, a collective name such as 各乡镇（街道）, or the department registry), a person, or a
deadline. The grammar then gives roles: a role verb covers every item since the previous
role; a label covers its body; without any lead word the first-named unit leads (the usual
convention, "列第一位的责任单位为牵头单位").

`read_assignment` says whether the whole text is an assignment (every item read as a unit,
a person or a deadline, with at least one unit): that is how a plan tells "（县财政局负责）"
from "（2011-2020年）" or "（见附件1）", without a list of patterns per document.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from storage.catalogue.departments import canonical_key

# --- vocabulary ---------------------------------------------------------------------------

# Labels: the word before a colon, and the role of what follows it.
_LABEL_ROLES: tuple[tuple[str, str], ...] = (
    ("牵头责任单位", "lead"), ("责任牵头单位", "lead"), ("牵头单位", "lead"), ("牵头部门", "lead"),
    ("主责单位", "lead"), ("主责部门", "lead"), ("主办单位", "lead"), ("主抓单位", "lead"),
    ("协同责任单位", "coop"), ("协同单位", "coop"), ("协同部门", "coop"), ("配合单位", "coop"),
    ("配合部门", "coop"), ("协办单位", "coop"), ("参与单位", "coop"), ("参与部门", "coop"),
    ("协助单位", "coop"), ("责任单位", "resp"), ("责任部门", "resp"), ("承办单位", "resp"),
    ("实施单位", "resp"), ("落实单位", "resp"), ("实施机构", "resp"), ("实施主体", "resp"),
    ("责任主体", "resp"), ("责任机构", "resp"), ("牵头机构", "lead"), ("配合机构", "coop"),
    ("牵头领导", "person"), ("责任领导", "person"), ("分管领导", "person"), ("包保领导", "person"),
    ("牵头县领导", "person"), ("牵头市领导", "person"), ("牵头区领导", "person"),
    ("责任人", "person"), ("联系人", "person"), ("具体责任人", "person"),
    ("完成时限", "deadline"), ("完成时间", "deadline"), ("时间节点", "deadline"),
    # round 9: more label words met in plans; 督办/督导/督查单位 supervise the task, they do not do it
    ("主要负责单位", "lead"), ("牵头负责单位", "lead"), ("负责单位", "resp"), ("负责部门", "resp"),
    ("督办单位", "skip"), ("督导单位", "skip"), ("督查单位", "skip"), ("督办部门", "skip"),
    ("分管县领导", "person"), ("分管市领导", "person"), ("分管区领导", "person"), ("责任县领导", "person"),
    ("牵头县级领导", "person"), ("包联领导", "person"), ("挂点领导", "person"), ("联系领导", "person"),
    ("县级领导", "person"), ("包保县领导", "person"), ("责任市领导", "person"),
    ("时限要求", "deadline"), ("完成期限", "deadline"), ("时限", "deadline"),
)
# People by their grammar (round 10): a role word, a level, then 领导 ("牵头负责领导：金力。",
# "包抓县级领导：", "挂点市领导："), or a role word before 责任人 / 联系人 / 负责人 — a person, never a unit
_PERSON_ROLE_WORDS = ("", "牵头", "牵头负责", "责任", "分管", "包保", "包联", "包抓", "挂点", "挂包", "联系",
                      "主抓", "主要", "负责", "协调", "督导", "督办", "领衔", "统筹")
_PERSON_LEVELS = ("", "县", "市", "区", "州", "省", "镇", "乡", "县级", "市级", "区级", "州级", "省级")
_PERSON_LABELS = {r + lv + "领导": "person" for r in _PERSON_ROLE_WORDS for lv in _PERSON_LEVELS if r + lv}
_PERSON_LABELS |= {r + w: "person" for r in ("", "牵头", "具体", "主要", "项目", "单位")
                   for w in ("责任人", "联系人", "负责人")}
_LABEL_ROLES = _LABEL_ROLES + tuple((k, v) for k, v in _PERSON_LABELS.items() if k not in dict(_LABEL_ROLES))
# Labels by their grammar: a role word and a kind of body ("牵头科室", "责任股室", "配合处室",
# "协助部门"), the kinds a plan names besides 单位/部门 (a bureau's own 科室, a 股室, a 处室).
_ROLE_WORDS = (("牵头", "lead"), ("主责", "lead"), ("主办", "lead"), ("责任", "resp"), ("承办", "resp"),
               ("实施", "resp"), ("落实", "resp"), ("配合", "coop"), ("协同", "coop"), ("协办", "coop"),
               ("参与", "coop"), ("协助", "coop"), ("协作", "coop"),
               # "牵头责任部门", "主要责任单位", "配合责任单位": a role word before 责任
               ("牵头责任", "lead"), ("主要责任", "lead"), ("协同责任", "coop"), ("配合责任", "coop"))
_KIND_WORDS = ("单位", "部门", "科室", "股室", "处室", "机构", "主体")
LABEL_ROLE = dict(_LABEL_ROLES) | {r + k: role for r, role in _ROLE_WORDS for k in _KIND_WORDS
                                   if r + k not in dict(_LABEL_ROLES)}
# A role word alone before a colon ("（牵头：X；配合：A、B）", a 责任单位 cell "牵头：X；配合：Y"): a
# label too, but only with its colon ("X牵头为主" is no label)
_BARE_LABELS = {"牵头": "lead", "主责": "lead", "主办": "lead", "配合": "coop", "协同": "coop",
                "协办": "coop", "参与": "coop", "协助": "coop"}
LABEL_ROLE |= _BARE_LABELS
# "责任科室（单位）：", "牵头单位（部门）：": a gloss in brackets between the label and its colon
_LABEL_RX = re.compile(
    r"("
    + "|".join(sorted((re.escape(k) for k in LABEL_ROLE if k not in _BARE_LABELS), key=len, reverse=True))
    + r")\s*(?:[(（][\u4e00-\u9fff、/]{1,6}[)）])?\s*(?:[:：]|(?:为|是)(?=[\u4e00-\u9fff]))\s*"
    + r"|(?<![\u4e00-\u9fff])(" + "|".join(_BARE_LABELS) + r")\s*[:：]\s*"
)


def _label_word(m: re.Match[str]) -> str:
    return m.group(1) or m.group(2)


def label_at_start(text: str) -> str | None:
    """The label a line opens with ("牵头单位：", "责任科室（单位）：", "联系人："), or None."""
    m = _LABEL_RX.match(collapse_spaced_labels(text.lstrip()))
    return _label_word(m) if m else None

# Role verbs at the end of an item, longest first; (pattern, role).
_VERBS: tuple[tuple[str, str], ...] = (
    # "X为牵头单位，A、B为配合单位": the unit named, then its role
    (r"(?:为|是)(?:牵头|主责|主办)(?:责任)?(?:单位|部门)", "lead"),
    (r"(?:为|是)(?:配合|协同|协办|参与|协助)(?:责任)?(?:单位|部门)", "coop"),
    (r"(?:为|是)(?:责任|承办|实施)(?:单位|部门|主体)", "resp"),
    (r"(?:按照?|根据)?(?:各自)?职责(?:分工)?(?:共同|分别)?(?:负责|落实|做好|推进|实施)?(?:落实)?", "resp"),
    (r"(?:总)?牵头(?:负责|抓总|落实|实施|推进)?|负总责|(?<=[局委办室部院心府会队站所])为主", "lead"),
    (r"(?:具体|共同|一同|分别)?(?:承办|主办)", "lead"),
    (r"(?:共同|一同|积极)?(?:配合落实|配合实施|配合推进|配合|协助|协同推进|协同|协办|协作|参与|参加)", "coop"),
    (r"(?:分工|具体|共同|一同|分别|抓好|组织)?(?:负责落实|负责实施|负责推进|负责|落实|组织实施|实施|推进)", "resp"),
)
_VERB_RX = [(re.compile(f"(?:{p})$"), role) for p, role in _VERBS]
# "等部门", "等相关单位", "等市级相关单位", "等区直有关部门", "等省有关部门": the tail that says
# "and others"
_ETC_LEVEL = r"(?:[省市县区州盟旗乡镇]级|[省市县区州]直|[省市县区州]属|[省市县区州](?=[有相其]))?"
_ETC_RX = re.compile(
    rf"等{_ETC_LEVEL}(?:相关|有关|其他|各)?(?:职能)?(?:部门|单位|成员单位)?(?:、?(?:部门|单位))?$")
_LEAD_IN = re.compile(r"^(?:此项工作|该项工作|本项工作|以上工作|上述工作)?(?:由|均由|分别由)")
_OWN_MARK = re.compile(r"[(（]\s*(牵头(?:单位|部门)?|主责|配合(?:单位|部门)?|协办|参与|责任单位)\s*[)）]")

# What a unit's name ends with.
_UNIT_SUFFIX = re.compile(
    r"(?:局|委|办|办公室|室|部|院|中心|政府|府|管委会|管委|分局|街道|街道办|办事处|镇|乡|乡镇|镇街|"
    r"专班|海关|人行|银行|支行|分行|所|站|队|社|联社|会|联|司|处|厅|公司|集团|单位|部门|小组|组|科室|科|股室|股|科协|侨联|"
    r"园区|开发区|新区|示范区|高新区|实验区|公署|法院|检察院|团|馆|台|指挥部|委员会|学校|医院|村|社区|"
    r"直属库|储备库|粮库)$"
)
# Collective names: 各乡镇（街道）, 各县（市、区）, 各级政府, 各有关单位 (never 各项分值, 各类企业).
_COLLECTIVE_START = re.compile(
    r"^各(?:级|县|市|区|州|盟|旗|乡|镇|街|村|社区|部门|单位|成员|有关|相关|园区|开发区|地|委|办)")
_TRAILING_BRACKET = re.compile(r"[(（][^()（）]{1,8}[)）]$")
_PERSON_TITLE = re.compile(r"(?:副?(?:县|市|区|州|镇|乡)长|书记|副?主任|副?局长|副?部长|同志|副?秘书长|副?主席)$")
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_DEADLINE = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年)?\s*(?:(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月)?\s*"
    r"(?:\d{1,2}\s*日|底|末|份|上旬|中旬|下旬|年底|年末|内|上半年|下半年|(?:第?[一二三四1-4])季度)?\s*"
    r"(?:前|以前|之前)?\s*(?:完成|办结|到位|见效)?$"
)
# "长期坚持", "持续推进", "每季度", "每年6月底前": a deadline only as the whole item — "持续加大简政
# 放权力度" is a measure that begins with the same word
_DEADLINE_WORDS = re.compile(
    r"^(?:(?:长期坚持|长期|持续推进|持续|常态化推进|常态化|年内完成|年底前完成)(?:完成|推进|落实)?"
    r"|每(?:年|季度?|月|半年|周)[\d一二三四五六七八九十月日底末前内上中下旬份]*(?:完成|报送)?)$"
)
# what a task's phrase opens with ("加强计量监督", "推进质量提升"): never an abbreviated unit
_ACTION = re.compile(
    r"(?:加强|推进|开展|建立|完善|实施|落实|提升|强化|推动|做好|加快|深化|健全|组织|制定|出台|培育|打造|"
    r"创建|支持|鼓励|引导|规范|严格|全面|持续|积极|大力|进一步|切实|抓好|扩大|优化|促进|保障|构建|探索|"
    r"提高|增强|巩固|发挥|坚持|深入|扎实|确保|力争|完成|启动|编制|建设|新建|改造|整治|开展|做实|压实)")
_NOT_A_NAME = {"", "单位", "部门", "等", "各", "相关", "有关", "及", "和", "相关单位", "有关单位",
               "部门单位", "各部门", "共同"}
# 及/和/与 join two units only where the left side is a whole unit ("县农业农村局和各镇人民政府"),
# never inside one name ("县文化和旅游局", "工业和信息化委").
_CONJ = re.compile(r"(?:以及|及|和|与|并)")
_SEPARATORS = "、，,；;/\n \t"
_GENERIC_BODY = re.compile(r"(?:人民)?政府|党工委|管委会|办事处|党委|人大|政协")
_OPEN, _CLOSE = "(（[【〔", ")）]】〕"


@dataclass(frozen=True)
class Item:
    """One token of the assignment after reading both ends: the name left, its kind
    (unit, maybe_unit, person, deadline, empty, other) and the role its own words gave."""

    raw: str
    name: str
    kind: str
    role: str | None = None
    own_mark: bool = False
    etc: bool = False
    label_role: str | None = None


@dataclass
class Reading:
    """What an assignment says.

    Attributes:
        lead / cooperating: unit names as written, in document order.
        persons: (label, name) of people who answer for the task (牵头领导：张三); never units.
        deadline_text: a deadline written beside the assignment ("6月底完成").
        lead_marked: the lead came from a lead word or label, not from the first-named rule.
        complete: every item was read as a unit, person or deadline, and one unit was found.
        marked: the text carried a role word or a label (not only a bare list of names).
        text: the text read.
    """

    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    persons: list[tuple[str, str]] = field(default_factory=list)
    deadline_text: str = ""
    lead_marked: bool = False
    complete: bool = False
    marked: bool = False
    text: str = ""
    items: list[Item] = field(default_factory=list)

    @property
    def units(self) -> list[str]:
        return self.lead + self.cooperating


KnownFn = Callable[[str], bool]


def registry_matcher(names: Iterable[str]) -> KnownFn:
    """A test "is this a department the registry knows" over names and aliases."""
    keys = {canonical_key(n) for n in names if n}

    @functools.lru_cache(maxsize=16384)
    def known(name: str) -> bool:
        return canonical_key(name) in keys

    return known


# --- tokenizer ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@functools.lru_cache(maxsize=32768)
def is_unit_name(name: str, known: KnownFn | None = None) -> bool:
    """A unit by what it is: an organisational suffix, a collective name, or the registry."""
    n = name.strip()
    if len(n) < 2 or len(n) > 40:
        return False
    if known is not None and known(n):
        return True
    if re.search(r"[。：:；;，,]", n) or re.search(r"\d{4}\s*年", n):
        return False
    core = _TRAILING_BRACKET.sub("", n) if _TRAILING_BRACKET.search(n) else n
    if _COLLECTIVE_START.match(n) and len(n) <= 24:
        return True
    return bool(_UNIT_SUFFIX.search(core)) or bool(_UNIT_SUFFIX.search(n.rstrip(")）")))


def _split_outside_brackets(text: str) -> list[str]:
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in _SEPARATORS:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def _split_conjunctions(item: str, known: KnownFn | None) -> list[str]:
    """"县农业农村局和各镇人民政府负责" → two items; "县文化和旅游局" stays one."""
    for m in _CONJ.finditer(item):
        left, right = item[: m.start()], item[m.end():]
        if not left or not right:
            continue
        left_core = _ETC_RX.sub("", left).strip()
        if not is_unit_name(left_core, known) and not _ETC_RX.search(left):
            continue
        right_core = _strip_verbs(_strip_lead_in(right))[0]
        right_core = _ETC_RX.sub("", right_core).strip()
        if _GENERIC_BODY.fullmatch(right_core):
            continue   # "各县（市、区）党委和人民政府", "高新区党工委和管委会": one collective
        if right.startswith(("各", "有关", "相关", "其他")) or is_unit_name(right_core, known):
            return [left, *_split_conjunctions(right, known)]
    return [item]


def _strip_lead_in(t: str) -> str:
    return _LEAD_IN.sub("", t, count=1)


def _strip_verbs(t: str) -> tuple[str, str | None]:
    """Take role verbs (and "等部门") off the end of an item. The outermost verb gives the
    role, except that a lead word anywhere ("牵头负责") makes it a lead."""
    roles: list[str] = []
    for _ in range(4):
        before = t
        for rx, r in _VERB_RX:
            m = rx.search(t)
            if m and m.start() < len(t):
                t = t[: m.start()].rstrip("，, ")
                roles.append(r)
                break
        t = _ETC_RX.sub("", t).strip()
        if t == before:
            break
    if not roles:
        return t, None
    return t, "lead" if "lead" in roles else roles[0]


_SPACED_WORD = re.compile(r"((?:[\u4e00-\u9fff][ \u3000]+){1,5}[\u4e00-\u9fff])(\s*[:：])")


def collapse_spaced_labels(text: str) -> str:
    """"联 系 人：李四" → "联系人：李四": a label typed with spaces to fill a column's width."""
    def one(m: re.Match[str]) -> str:
        word = re.sub(r"[ \u3000]", "", m.group(1))
        return word + m.group(2) if any(word.endswith(k) for k in LABEL_ROLE) else m.group(0)
    return _SPACED_WORD.sub(one, text) if " " in text or "\u3000" in text else text


def tokenize(text: str, known: KnownFn | None = None) -> list[tuple[str, str]]:
    """The text as ("label", word) and ("item", raw text) tokens, in order."""
    text = collapse_spaced_labels(text)
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _LABEL_RX.finditer(text):
        out += [("item", it) for it in _items(text[pos : m.start()], known)]
        out.append(("label", _label_word(m)))
        pos = m.end()
    out += [("item", it) for it in _items(text[pos:], known)]
    return out


# A collective name written with list separators inside: 各县、市、区政府, 各乡、镇人民政府.
# The list ends at a separator or at the body it names: "各区、县级市、县公安局交警大队" is the
# collective 各区、县级市 and then a unit, never "各区、县级市、县" + "公安局交警大队".
# Round 10: also "各省、自治区、直辖市人民政府有关主管部门" (the parts 省, 自治区, 直辖市 …) and the
# body's own tail (有关主管部门, 相关部门) kept with it.
# A part may carry its gloss in brackets ("各乡（镇）、街道", "各乡（镇、场）") and may be 街道 / 社区 / 园区.
_LIST_PART = (r"(?:县级市|自治区|自治州|自治县|直辖市|计划单列市|地级市|街道|社区|园区|开发区"
              r"|[县市区乡镇州盟旗省场]{1,2})(?:[（(][\u4e00-\u9fff、]{1,6}[)）])?")
_COLLECTIVE_LIST = re.compile(
    rf"各(?:有关|相关)?{_LIST_PART}(?:[、，,]{_LIST_PART})+"
    r"(?:(?:人民)?(?:政府|党委|办事处)(?:(?:有关|相关)(?:主管)?(?:部门|单位))?"
    r"|(?=$|[^\u4e00-\u9fff（(]|等|及|和|与|牵头|配合|协助|协同|参与|参加|负责|落实|"
    r"按|共同|分别|各自|具体))")
# "市、县两级政府", "省、市、县三级政府有关部门": levels named one by one, then how many (round 10)
_LEVELS_LIST = re.compile(
    r"(?:(?<![\u4e00-\u9fff])|(?<=[由和及与]))[省市县区乡镇](?:[、，,][省市县区乡镇])+[两三四五]级(?:人民)?(?:政府|党委|党委政府)"
    r"(?:(?:有关|相关)?(?:主管)?(?:部门|单位))?")
_KEEP = "\u2063"   # an invisible separator stands in for 、 inside such a name while splitting


def _items(segment: str, known: KnownFn | None) -> list[str]:
    seg = _COLLECTIVE_LIST.sub(lambda m: re.sub(r"[、，,]", _KEEP, m.group(0)), segment.strip(" 。."))
    seg = _LEVELS_LIST.sub(lambda m: re.sub(r"[、，,]", _KEEP, m.group(0)), seg)
    out: list[str] = []
    for part in _split_outside_brackets(seg):
        out += [p.replace(_KEEP, "、") for p in _split_conjunctions(part, known)]
    return out


# --- grammar --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32768)
def _read_item(raw: str, label_role: str | None, known: KnownFn | None) -> Item:
    """One item read from both ends (cached: plans and tables name the same units again and
    again; an Item is immutable)."""
    t = raw.strip(" 　:：。.").lstrip("—―－-").strip()
    own = _OWN_MARK.search(t)
    role: str | None = None
    if own:
        word = own.group(1)
        role = "lead" if word.startswith(("牵头", "主责")) else ("resp" if word == "责任单位" else "coop")
        t = (t[: own.start()] + t[own.end():]).strip()
    t = _strip_lead_in(t)
    etc = bool(re.search(rf"等{_ETC_LEVEL}(?:相关|有关|其他|各)?(?:职能)?(?:部门|单位)", t))
    name, verb_role = _strip_verbs(t)
    name = _strip_lead_in(name).strip(" 　:：。.，,")
    if "由" in name and verb_role is not None and not (known is not None and known(name)):
        # "环境治理水质公开由监测站负责": a part of the task, then 由 and the unit that does it —
        # the unit is what follows 由 (in a unit's own name 由 is only 自由/经由)
        matter, _, unit = name.rpartition("由")
        if len(matter) >= 2 and matter[-1] not in "自经理缘" and is_unit_name(unit, known):
            name = unit
    if label_role == "person":
        kind = "person" if name else "empty"
        return Item(raw, name, kind, None, False, etc, label_role)
    if label_role == "deadline":
        return Item(raw, raw.strip(" 。；;，,"), "deadline", None, False, etc, label_role)
    if label_role == "skip":
        return Item(raw, t, "empty", None, False, etc, label_role)
    f = _fold(name)
    if name in _NOT_A_NAME or not name:
        kind = "empty"
    elif _DEADLINE_WORDS.match(f) or (_DEADLINE.match(f) and re.search(r"\d|底|末|季度|上旬|中旬|下旬|年", f)):
        kind = "deadline"
        name = raw.strip(" 。；;，,")
    elif is_unit_name(name, known):
        kind = "unit"
    elif _PERSON_TITLE.search(name) and len(name) <= 12:
        kind = "person"
    elif re.fullmatch(r"[\u4e00-\u9fff]{2,8}", name) and not _ACTION.match(name):
        kind = "maybe_unit"   # an abbreviation such as 质监、发改 inside a marked group
    else:
        kind = "other"
    return Item(raw, name, kind, role if own else verb_role, bool(own), etc, label_role)


def read_assignment(text: str, *, known: KnownFn | None = None,
                    first_is_lead: bool = True) -> Reading:
    """Read one assignment text (a bracket's inside, a line, a table cell).

    Plans and tables write the same assignment again and again ("（县市场监管局牵头，各相关部门
    配合）"): each text is read once per `known` and the caller gets its own copy."""
    r = _read_assignment_cached(text or "", known, first_is_lead)
    return replace(r, lead=list(r.lead), cooperating=list(r.cooperating), persons=list(r.persons),
                   items=list(r.items))


# "县发改局（首位单位为牵头单位，下同）、县财政局": the plan's convention said once, in a bracket
# after the first unit of the first list; it names no unit
# (round 10: "（列第一位者为工作牵头单位或汇总单位，下同）" — words between 为 and 牵头, anywhere in the list)
_CONVENTION_NOTE = re.compile(
    r"[(（][^()（）]{0,12}(?:为|是)[^()（），,]{0,4}?牵头(?:单位|部门)?[^()（）]{0,12}[)）]")


@functools.lru_cache(maxsize=16384)
def _read_assignment_cached(text: str, known: KnownFn | None, first_is_lead: bool) -> Reading:
    """read_assignment's reading (never handed out: callers change their Reading)."""
    res = Reading(text=text)
    if not text or not text.strip():
        return res
    note = _CONVENTION_NOTE.search(text)
    if note is not None and _FIRST_LEADS.search(note.group(0)):
        text = text[: note.start()] + text[note.end():]
    if "会同" in text:
        text = _with_lead_for_huitong(text, known)
    label_role: str | None = None
    label_word = ""
    items: list[Item] = []
    group: list[int] = []            # items since the last role verb (a verb covers them)
    for kind, value in tokenize(_persons_to_the_end(text), known):
        if kind == "label":
            label_word, label_role = value, LABEL_ROLE[value]
            res.marked = True
            group = []
            continue
        it = _read_item(value, label_role, known)
        if it.kind == "person" and label_role == "person":
            res.persons.append((label_word, it.name))
        elif it.kind == "person":
            res.persons.append(("", it.name))
        elif it.kind == "deadline":
            res.deadline_text = "；".join(x for x in (res.deadline_text, it.name) if x)
        items.append(it)
        idx = len(items) - 1
        if it.role and not it.own_mark:
            res.marked = True
            for j in group:
                if items[j].role is None:
                    items[j] = _with_role(items[j], it.role)
            group = []
        elif it.own_mark:
            res.marked = True
        elif it.kind in ("unit", "maybe_unit"):
            group.append(idx)
        if it.kind in ("unit", "maybe_unit") and it.role is None and label_role in ("lead", "coop", "resp"):
            items[idx] = _with_role(it, label_role)
    res.items = items
    units = [it for it in items if it.kind in ("unit", "maybe_unit")]
    # An abbreviation (质监、发改) counts as a unit only inside a group a role verb or
    # "等部门" marks; one unit at least must be a unit by what it is.
    res.complete = (
        bool(units)
        and all(it.kind in ("unit", "maybe_unit", "person", "deadline", "empty") for it in items)
        and all(it.kind == "unit" or it.role is not None or it.etc for it in units)
        and any(it.kind == "unit" or it.etc for it in units)
    )
    leads = [it.name for it in units if it.role == "lead"]
    res.lead_marked = bool(leads)
    others = [it.name for it in units if it.role != "lead"]
    if not leads and others and first_is_lead:
        leads = [others.pop(0)]
    res.lead = _dedupe(leads, [])
    res.cooperating = _dedupe(others, res.lead)
    return res


def _with_lead_for_huitong(text: str, known: KnownFn | None) -> str:
    """"X会同A、B负责": X leads and A, B work with it — read as "X牵头，A、B负责" where the words
    before 会同 are units."""
    out = text
    for m in reversed(list(re.finditer("会同", text))):
        left = re.split(r"[、，,；;：:\s]", text[: m.start()])[-1]
        if left and is_unit_name(_strip_lead_in(left), known):
            out = out[: m.start()] + "牵头，" + out[m.end():]
    return out


# "牵头单位：县市场监管局（联系人：李明）、县工信局": a person in a bracket after a unit
_PERSON_BRACKET = re.compile(
    r"[(（]\s*((?:牵头|责任|分管|包保)?领导|(?:具体)?责任人|联系人)\s*[:：]\s*([^()（）:：]{1,40})[)）]")


def _persons_to_the_end(text: str) -> str:
    """A person written in a bracket after a unit is taken out of the unit list and read as a
    labelled part at the end ("…；联系人：李明"), so the units around it keep their roles."""
    if "（" not in text and "(" not in text:
        return text
    moved: list[str] = []

    def take(m: re.Match[str]) -> str:
        moved.append(f"{m.group(1)}：{m.group(2).strip()}")
        return ""

    out = _PERSON_BRACKET.sub(take, text)
    return "；".join([out.rstrip("；;，, "), *moved]) if moved else text


def _with_role(it: Item, role: str) -> Item:
    return Item(it.raw, it.name, it.kind, role, it.own_mark, it.etc, it.label_role)


_canonical = functools.lru_cache(maxsize=32768)(canonical_key)


def _dedupe(names: list[str], taken: list[str]) -> list[str]:
    seen = {_canonical(n) for n in taken}
    out = []
    for n in names:
        k = _canonical(n)
        if k not in seen:
            seen.add(k)
            out.append(n)
    return out


# --- finding an assignment inside a plan paragraph -----------------------------------------------


@dataclass(frozen=True)
class Found:
    """An assignment found in a paragraph: where it stands, the task text without it, and its
    reading. `start`/`end` index the paragraph text (the read span the preview shows)."""

    start: int
    end: int
    task: str
    reading: Reading
    earlier: tuple[tuple[int, int], ...] = ()   # brackets of units closing earlier sentences

    def span_text(self, paragraph: str) -> str:
        return paragraph[self.start : self.end]

    def span_texts(self, paragraph: str) -> list[str]:
        """Every span the units were read from, in the paragraph's order."""
        return [paragraph[a:b] for a, b in self.earlier] + [self.span_text(paragraph)]


_BRACKET_CHAR = re.compile(r"[(（〔［\[【)）〕］\]】]")


def bracket_groups(text: str) -> list[tuple[int, int]]:
    """Top-level (…)/（…）/〔…〕/［…］ spans, nesting allowed, mixed widths allowed (a square
    bracket holds an assignment whose unit has a bracket of its own: "［区发展改革委（粮食和储备局）负责］")."""
    out: list[tuple[int, int]] = []
    depth, start = 0, -1
    for m in _BRACKET_CHAR.finditer(text):   # only the brackets, not every character
        i, ch = m.start(), m.group()
        if ch in "(（〔［[【":
            if depth == 0:
                start = i
            depth += 1
        elif ch in ")）〕］]】" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i))
    return out


# a dash and the units after it at the end of a paragraph: "——县市场监管局", "—— 县工信局、县商务局"
_DASH_UNITS = re.compile(r"(?:—{1,2}|―{1,2}|－{2}|-{2})\s*([^—―－\-。]{2,160}。?)$")
_FIRST_LEADS = re.compile(r"(?:第一|首位|首个|第1).{0,4}(?:为|是)牵头|(?:列|排)(?:在)?(?:第一|首位|前).{0,6}牵头")
_TAIL_OK = re.compile(r"^[\s。.；;，,、]*$")
_SENTENCE_START = re.compile(r"^(?:此项工作|该项工作|本项工作|上述工作|以上工作)?(?:由|均由)")


def _acceptable(r: Reading, *, need_mark: bool) -> bool:
    if not r.complete or not r.units:
        return False
    if not r.marked and all(_UNIT_SUFFIX.fullmatch(u) for u in r.units):
        # "镇（街道）", "乡村（社区）": a bare kind of unit in brackets glosses the word before
        # it; an assignment names a unit ("（县财政局）"), never only a kind of one
        return False
    return r.marked or not need_mark


def _measure_units(r: Reading) -> bool:
    """A reading that only names who does one measure: a bare list of units or "X、Y负责",
    with no lead or cooperating words, no people and no deadline."""
    return (not r.lead_marked and not r.persons and not r.deadline_text
            and all(it.role in (None, "resp") and it.label_role is None for it in r.items if it.kind == "unit"))


def _sentence_brackets(text: str, groups: list[tuple[int, int]], last: int,
                       known: KnownFn | None) -> list[tuple[int, int, Reading]]:
    """Brackets before the last one that each close a sentence of the task with the units of
    that measure, written before the sentence's full stop ("…应用（区市场局、区行政服务中心）。优化…")
    or after it ("…跟踪评价。（区卫生健康委负责）贯彻…"): every measure names its own units, and
    the task's units are all of them."""
    out: list[tuple[int, int, Reading]] = []
    for start, end in groups:
        if end >= last:
            break
        closes = text[end + 1 : end + 2] in ("。", "；", ";")
        after_stop = text[start - 1 : start] in ("。", "；", ";") and bool(text[end + 1 :].strip())
        if start == 0 or not (closes or after_stop):
            continue
        inner = text[start + 1 : end]
        r = read_assignment(inner, known=known)
        if (_acceptable(r, need_mark=False) and _measure_units(r)
                and not re.search(r"(?:19|20)\d{2}", _fold(inner))):
            out.append((start, end, r))
    return out


def _joined(last: Reading, earlier: list[Reading]) -> Reading:
    """One reading of a task whose measures each name their units: every unit once, in the
    order written; the first named leads (the convention for unmarked lists)."""
    names: list[str] = []
    for r in [*earlier, last]:
        names += [n for n in r.units if n not in names]
    return Reading(lead=names[:1], cooperating=names[1:], persons=list(last.persons),
                   deadline_text=last.deadline_text, complete=True, marked=False,
                   text="；".join(r.text for r in [*earlier, last]),
                   items=[it for r in [*earlier, last] for it in r.items])


# "由X负责，A、B配合，加快…": the clauses that open a measure and say who does it, each ending in a
# role word, before the measure's own text
_OPENING = re.compile(r"^(?:由|均由)([^。；;]{2,120}?(?:负责|牵头|承办|主办)"
                      r"(?:[，,][^。；;，,]{2,150}?(?:配合|协办|协助|参与))?)[，,。；;]")
# "环监局牵头，加强事中事后监管。": the same clauses without 由, when the first names the lead
_OPENING_LEAD = re.compile(r"^([^。；;，,]{2,80}?牵头(?:负责)?"
                           r"(?:[，,][^。；;，,]{2,150}?(?:配合|协办|协助|参与))?)[，,。；;]")
# "结合…一同进行，由二污普领导小组办公室和环境监察局一同负责。": the last clause of a sentence
_CLAUSE_BY = re.compile(r"[，,；;]\s*((?:此项工作|该项工作|本项工作)?(?:由|均由)[^，,；;。]{2,120}"
                        r"(?:[，,][^，,；;。]{2,150}?(?:配合|协办|协助|参与)[^，,；;。]{0,4})?)$")


def _opening_assignment(text: str, known: KnownFn | None) -> Found | None:
    """The clauses that open a measure and say who does it ("由X负责，A、B配合，加快…",
    "由规财科负责。结合…", "环监局牵头，加强…"), before the measure's own text."""
    for rx in (_OPENING, _OPENING_LEAD):
        m = rx.match(text)
        if m is None or not text[m.end():].strip(" 。"):
            continue
        r = read_assignment(m.group(1), known=known)
        if not _acceptable(r, need_mark=True) or not r.lead or (rx is _OPENING_LEAD and not r.lead_marked):
            continue
        return Found(m.start(1), m.end(1), text[m.end():].strip(), r)
    return None


def find_assignment(paragraph: str, *, known: KnownFn | None = None) -> Found | None:
    """The assignment a plan paragraph carries, if any.

    Looked for, in order: a bracket at the end of the paragraph (or at its start, before the
    task text); a last sentence that is an assignment ("此项工作由X牵头负责，A、B等部门配合。");
    the whole paragraph as an assignment line ("由X承办，A、B配合。", "牵头单位：X").
    Brackets that read as anything else (years, notes, abbreviations) stay in the task text.
    """
    text = paragraph.rstrip()
    dash = _DASH_UNITS.search(text)
    if dash is not None and not _BRACKET_CHAR.search(text[dash.start():].replace("（", "").replace("）", "")):
        # "…提高产品合格率。——县市场监管局", "——县市场监管局牵头，县工信局配合": the units after
        # a dash that ends the paragraph (round 10)
        r = read_assignment(dash.group(1).rstrip("。；; "), known=known)
        if _acceptable(r, need_mark=False):
            return Found(dash.start(1), dash.start(1) + len(dash.group(1).rstrip("。；; ")),
                         text[: dash.start()].strip(), r)
    groups = bracket_groups(text)
    deadline_after = ""
    for start, end in reversed(groups):
        tail = text[end + 1 :]
        if not _TAIL_OK.match(tail):
            # only punctuation (or the deadline's own bracket or sentence) may follow the assignment:
            # "…（县市场监管局负责）。2025年底前完成。"
            own_sentence = re.match(r"\s*[。；;]", tail)   # the deadline is a sentence of its own after it
            rt = read_assignment(tail.strip(" 。；;，,"), known=known) if own_sentence and len(tail) <= 30 else None
            if (deadline_after or rt is None or not rt.deadline_text or rt.units or rt.persons
                    or not all(it.kind in ("deadline", "empty") for it in rt.items)):
                break
            deadline_after = rt.deadline_text
        inner = text[start + 1 : end]
        r = read_assignment(inner, known=known)
        if not deadline_after and not r.units and r.deadline_text and not r.persons:
            # "（县市场监管局负责）（2023年底前完成）": the deadline has a bracket of its own
            deadline_after = r.deadline_text
            text = text[:start].rstrip()
            continue
        if deadline_after and not r.deadline_text:
            r.deadline_text = deadline_after
        if not r.complete and "。" in inner.rstrip("。"):
            # "〔责任单位：A、B按职责分工负责。具体任务均涉及……，下同。〕": the note after the
            # first sentence is not part of the assignment
            first, note = inner.split("。", 1)
            r2 = read_assignment(first, known=known)
            # "（A、B、C。排名第一的为牵头单位，下同）": the note names the lead, which marks the list
            if r2.complete and (r2.marked or _FIRST_LEADS.search(note)):
                r, inner = r2, first
        if _acceptable(r, need_mark=False) and not re.search(r"(?:19|20)\d{2}\s*[-—～~至]", _fold(inner)):
            earlier = _sentence_brackets(text, groups, start, known) if _measure_units(r) else []
            if earlier:
                r = _joined(r, [e[2] for e in earlier])
            task = text[:start] + text[end + 1 :]
            for a, b, _ in reversed(earlier):
                task = task[:a] + task[b + 1 :]
            task = task.strip()
            stop = task.endswith(("。", "."))
            task = task.rstrip("。. ；;，,") + ("。" if stop else "")
            return Found(start + 1, start + 1 + len(inner), task, r,
                         tuple((a + 1, b) for a, b, _ in earlier))
        break
    if groups and groups[0][0] == 0:
        start, end = groups[0]
        r = read_assignment(text[1:end], known=known)
        if _acceptable(r, need_mark=True):
            return Found(1, end, text[end + 1 :].strip(), r)
    sentences = [m for m in re.finditer(r"[^。]+。?", text)]
    if sentences:
        last = sentences[-1]
        s = last.group(0).strip()
        core = s.rstrip("。 ")
        clause = _CLAUSE_BY.search(core) if len(core) <= 300 and not _SENTENCE_START.match(core) else None
        if clause is not None and clause.start(1) > 1:
            # "…，由X和Y一同负责。": the clause is the assignment; what comes before is the task,
            # never a list of names the role word at the end would cover
            r = read_assignment(clause.group(1), known=known)
            if _acceptable(r, need_mark=True) and r.lead:
                begin = last.start() + (len(last.group(0)) - len(last.group(0).lstrip())) + clause.start(1)
                return Found(begin, begin + len(clause.group(1)), text[:begin].rstrip("，,；; ") + "。", r)
        begin = last.start() + (len(last.group(0)) - len(last.group(0).lstrip()))
        k = len(sentences) - 1
        while _LABEL_RX.match(core) and k > 0 and _LABEL_RX.match(sentences[k - 1].group(0).strip()):
            # "…。牵头单位：X。配合单位：A、B。": label sentences one after another are one assignment
            k -= 1
            prev = sentences[k]
            begin = prev.start() + (len(prev.group(0)) - len(prev.group(0).lstrip()))
            core = text[begin : last.end()].strip().rstrip("。 ")
        if len(core) <= 160:
            r = read_assignment(core, known=known)
            # "…。县市场监管局牵头，县工信局配合。": a last sentence that names its lead is the
            # assignment, whatever begins it
            whole = (_SENTENCE_START.match(core) or _LABEL_RX.match(core) or len(sentences) == 1
                     or (r.lead_marked and r.marked))
            if whole and _acceptable(r, need_mark=True) and (r.lead_marked or _SENTENCE_START.match(core)
                                                             or _LABEL_RX.match(core) or len(r.units) >= 1):
                return Found(begin, begin + len(core), text[:begin].strip(), r)
        if len(core) <= 300:
            # "加强计量监督，县市场监管局牵头，县工信局配合。": the clauses that end the sentence and
            # name its lead; the clauses before them are the task
            for m in re.finditer(r"[，,]", core):
                tail = core[m.end():].strip()
                r = read_assignment(tail, known=known)
                if _acceptable(r, need_mark=True) and r.lead_marked and len(core[: m.start()].strip()) >= 2:
                    at = begin + m.end() + (len(core[m.end():]) - len(core[m.end():].lstrip()))
                    return Found(at, at + len(tail), text[: begin + m.start()].strip() + "。", r)
    return _opening_assignment(text, known)
