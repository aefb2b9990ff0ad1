"""Document metadata read from a document's text the way a clerk reads a 红头文件.

GB/T 9704-2012 fixes where things stand on the first page of an official document:
the 发文机关标志 ("沂水县人民政府办公室文件"), then the 文号 (沂政办发〔2023〕13号, often with
签发人 beside it), a red line, the title ("关于……的通知", wrapped over two or three lines),
the 主送机关 ("各乡镇人民政府，县直各部门："), the body, the 落款 (issuing body) and the
成文日期 (2023年5月8日, or 二〇二三年五月八日), and at the foot the 版记 ("……办公室
2023年5月9日印发", which is the printing date, not the date of issue).

Everything here is a pure function of the text (lines as extracted or as OCR returned them):
no file I/O, no database. OCR confusions of the 文号 brackets and digits (〔 read as "[", "C"
or "(", 0 read as "O") are tolerated. A field that cannot be read stays empty rather than
guessed from the body (a 文号 cited in the body is another document's number).

Scans and photos come through OCR, which joins what stands close together: the masthead, 文号
and title on one line, a title's second line with the 主送 and the first paragraph, the 落款
and its date run on after the last sentence ("……工作方案青河县市场监督管理局办公室2025年8月12日附件").
These are split apart again; the 成文日期 is the date under (or run on after) the 落款, never a
deadline in the text or an attachment ("（2025年6月4日前）"), and a Chinese-numeral year whose
〇 was lost under the seal ("二五年") takes the 文号's year. A body's or office's name alone above
the 文号 (the 函 style) is the masthead, so 办公室 is kept; benchmarks/docmeta.py measures all
this on real OCR of generated scans (tests/data/docmeta/ocr_scans.json).

Documents also arrive as web pages: a portal's 信息公开 header (索引号, 发文字号, 成文日期, as
label | value cells, label：value pairs or labels with the value on the next line), a reposting
site's chrome (breadcrumbs, "来源：", timestamps, a title wrapped in 《》 after the site's 文号),
news pages that carry no document of their own, and pages that lost their line breaks (the
header's parts in one long line). These are read too; benchmarks/docmeta.py measures it on real
pages (tests/data/docmeta).

Replies to a 人大建议 or 政协提案 (答复) put a class mark before the 文号 ("A类　青市监建复〔2026〕82号
签发人：…"), which is not part of the number; their titles quote the 建议 ("关于县人大代表“关于……的建议”
的答复") and a title is not complete while a quotation mark or 《 is open; their 主送 is the deputy
or member ("王建华代表：", "纪占斌等3名代表:"). A township's body keeps its own name without the
county's (马站镇人民政府, never 县马站镇政府). A news page's headline (someone 召开 a meeting, 开展 an
activity) is no document's title, though a record named for it ("……座谈会情况") is. Nor is the
line over a news lead ("本网讯 ……", "XX网讯（记者 …）……", "本报讯（记者 …）"), whatever its verb: it is
the headline (`DocMeta.headline`). A site's "来源：……" line between a 落款 and its date is passed
over, so the 落款 is still the issuer.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

HEAD_LINES = 14          # the header block (机关标志, 文号, title, 主送) lies within these lines
FOOT_CHARS = 2500        # the 落款 and 成文日期 lie within this many characters of the end


@dataclass(frozen=True)
class DocMeta:
    """What a clerk reads off the first and last page of a document.

    Attributes:
        issuer: the issuing body in the county's short form (县政府办公室, 县市场监管局);
            for a joint document the first body.
        issuer_line: the line it was read from, as written.
        doc_number: the 文号 in canonical form 沂政发〔2023〕13号.
        title: the title, wrapped lines joined.
        issue_date: the 成文日期.
        addressees: the 主送机关, one per entry ("各乡镇人民政府", "县直各部门").
        body: the text between the header (masthead, 文号, title, 主送) and the foot (落款,
            date, 版记), for ranking: the header and foot name the issuer, not the topic.
            The whole text when no title was found.
        headline: a news item's headline ("固安县召开质量强县工作会议"), when the page has no
            document title: not a title by the reading's convention, but what a clerk files
            the item by when its file name says nothing.
    """

    issuer: str = ""
    issuer_line: str = ""
    doc_number: str = ""
    title: str = ""
    issue_date: dt.date | None = None
    addressees: tuple[str, ...] = ()
    body: str = ""
    headline: str = ""


# --- 文号 ------------------------------------------------------------------------------------

_OPEN = r"[〔\[【(（［〈<{｛C]"
_CLOSE = r"[〕\]】)）］〉>}｝J]"
_DIGIT = r"[0-9OoIl]"
# prefix (沂政办发), bracketed year, number, 号; brackets may be lost or misread by OCR
DOC_NUMBER_LOOSE = re.compile(
    r"([\u4e00-\u9fff]{1,10})\s*" + _OPEN + r"?\s*((?:19|20|2O|2o)" + _DIGIT + r"{2})\s*"
    + _CLOSE + r"?\s*第?\s*(" + _DIGIT + r"{1,4})\s*[号號弓]"
)
# a body's name (or "……文件") standing before the prefix when OCR joined the lines
_BODY_BEFORE_PREFIX = re.compile(
    r"^.*[\u4e00-\u9fff]{4}(?:文件|办公室|办公厅|委员会|人民政府|局|领导小组)(?=[\u4e00-\u9fff]{2,}$)")
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


def canonical_doc_number(prefix: str, year: str, number: str) -> str:
    """沂政发, 2023, 013 -> 沂政发〔2023〕13号."""
    y = year.translate(_DIGIT_FIX)
    n = number.translate(_DIGIT_FIX)
    return f"{prefix}〔{y}〕{int(n)}号"


def find_doc_numbers(text: str) -> list[tuple[str, int, int]]:
    """Every 文号 in `text`: (canonical form, start, end)."""
    out = []
    for m in DOC_NUMBER_LOOSE.finditer(text or ""):
        prefix = m.group(1)
        # an 答复's class mark before its number ("A类　青市监建复〔2026〕82号", "甲类…")
        before = (text or "")[m.start(1) - 1:m.start(1)] if m.start(1) else ""
        if (prefix.startswith("类") and re.fullmatch(r"[A-DＡ-Ｄa-d]", before)) or re.match(r"^[甲乙丙丁]类", prefix):
            prefix = prefix[prefix.index("类") + 1:] or prefix
        # "……的通知（沂政发〔2023〕13号）": keep only the tail that is the prefix
        prefix = re.sub(r"^.*?(?:印发|转发|根据|按照|通知|意见|方案|文件|》)", "", prefix) or prefix
        # OCR runs the masthead into the number: "青河县卫生健康委员会青卫健发〔2023〕43号"
        ctx = (text or "")[max(0, m.start(1) - 24):m.end(1)]
        cut = _BODY_BEFORE_PREFIX.match(ctx)
        if cut and len(ctx) - cut.end() < len(prefix):
            prefix = ctx[cut.end():]
        if len(prefix) > 8:
            prefix = prefix[-8:]
        start = m.start(1) + len(m.group(1)) - len(prefix)     # the prefix kept is a tail of the match
        out.append((canonical_doc_number(prefix, m.group(2), m.group(3)), start, m.end()))
    return out


# --- issuing body ----------------------------------------------------------------------------

# Long official names and the short form the county uses in its registry.
_SHORT_FORMS = (
    ("人民政府办公室", "政府办公室"), ("人民政府", "政府"),
    ("市场监督管理局", "市场监管局"), ("工业和信息化局", "工信局"), ("工业和信息化委员会", "工信委"),
    ("质量强县工作领导小组办公室", "质量强县办"), ("人力资源和社会保障局", "人社局"),
    ("住房和城乡建设局", "住建局"), ("发展和改革局", "发展改革局"), ("发展和改革委员会", "发展改革委"),
    ("卫生健康委员会", "卫生健康委"), ("教育和体育局", "教育局"),
    ("文化和旅游局", "文化和旅游局"), ("科学技术局", "科技局"), ("农业农村局", "农业农村局"),
    ("中国共产党", "中共"),
)
_ADMIN_PREFIX = re.compile(r"^(?:中共)?[\u4e00-\u9fff]{1,6}?(?:自治县|县|市|区|旗)(?=[\u4e00-\u9fff]{2})")
_ORG_END = re.compile(
    r"(?:政府|办公室|办公厅|局|委员会|委|办|中心|小组|院|所|站|队|分局|公司|协会|促进会|联合会|学会|商会|镇|乡|街道|"
    r"党委|管委会|部|厅|公署)$"
)
_MASTHEAD = re.compile(r"^(.{2,40}?)\s*(?:文\s*件|通\s*报|简\s*报|会\s*议\s*纪\s*要|纪\s*要|工作动态)$")

# 文号 abbreviations and the body they stand for, for documents whose masthead was not read.
_ISSUER_ABBREV = (
    ("政办发", "县政府办公室"), ("政办字", "县政府办公室"), ("政办", "县政府办公室"),
    ("委办发", "县委办公室"), ("委办", "县委办公室"), ("委发", "县委"),
    ("政发", "县政府"), ("政字", "县政府"), ("政函", "县政府"),
    ("质强办", "县质量强县工作领导小组办公室"), ("质强", "县质量强县工作领导小组"),
    ("市监", "县市场监管局"), ("市场监管", "县市场监管局"), ("工信", "县工信局"),
    ("住建", "县住建局"), ("农业农村", "县农业农村局"), ("农", "县农业农村局"),
    ("发改", "县发展改革局"), ("财", "县财政局"), ("教", "县教育局"), ("卫健", "县卫生健康局"),
    ("生态环境", "市生态环境局分局"), ("环", "生态环境分局"), ("商务", "县商务局"),
    ("文旅", "县文化和旅游局"), ("交通", "县交通运输局"), ("水", "县水利局"),
    ("统计", "县统计局"), ("人社", "县人力资源社会保障局"), ("科", "县科技局"),
)


def issuer_from_doc_number_prefix(prefix: str) -> str:
    """The body a 文号 prefix names by convention: 沂政办发 -> 县政府办公室 ('' if unknown)."""
    for abbrev, body in _ISSUER_ABBREV:
        if abbrev in prefix:
            return body
    return ""


# a province before the county or city that issues ("内蒙古自治区锡林郭勒盟行政公署")
_PROVINCE = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,5}自治区)(?=[\u4e00-\u9fff]{2,6}?(?:市|县|区|盟|州|旗))")


# a township's (乡, 镇, 街道) own body after the county's name: "青河县马站镇人民政府"
_TOWNSHIP = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,6}?(?:自治县|县|市|区|旗))?([\u4e00-\u9fff]{1,5}?(?:镇|乡|街道)"
    r"(?:人民政府|政府|党委|委员会|办事处|人大主席团|[\u4e00-\u9fff]{1,10}(?:站|所|中心|办公室)))$")


def short_issuer(name: str) -> str:
    """The short form of an official body's name: 沂水县人民政府办公室 -> 县政府办公室,
    中共沂水县委办公室 -> 县委办公室, 沂水县市场监督管理局 -> 县市场监管局. A township's
    body is named as the county's registry names it, by its own name without the county's and
    never with a 县 put before it: 青河县马站镇人民政府 -> 马站镇人民政府."""
    n = re.sub(r"\s+", "", name)
    town = _TOWNSHIP.match(_PROVINCE.sub("", n))
    if town:
        return town.group(1)
    for long, short in _SHORT_FORMS:
        n = n.replace(long, short)
    party = n.startswith("中共")
    if party:
        n = n[2:]
    n = _PROVINCE.sub("", n)
    m = re.match(r"^[\u4e00-\u9fff]{1,6}?(自治县|县|市|区|旗)(?=[\u4e00-\u9fff]{2})", n)
    if m and not n.startswith(("县", "市", "区")):
        level = "县" if m.group(1) in ("县", "自治县", "旗") else m.group(1)
        n = level + n[m.end():]
    return n


_EDITED_BY = re.compile(r"^(.{2,40}?(?:办公室|局|委员会|小组|政府|中心))\s*编")


_BODY_NAME = re.compile(r"^[\u4e00-\u9fff（）()、]{2,30}$")


def _masthead(lines: list[str]) -> tuple[str, str, int]:
    """(short issuer, line, index of the last masthead line) from the 发文机关标志 in the header
    block; joint documents stack several bodies above one "文件": the first is taken. A
    简报's issuer is the body that edits it ("……办公室编")."""
    for i, line in enumerate(lines[:HEAD_LINES]):
        bare = line.replace(" ", "")
        nxt = lines[i + 1].replace(" ", "") if i + 1 < len(lines) else ""
        own_line_issue = bool(_ISSUE_ONLY.fullmatch(nxt)) and not _ISSUE_ONLY.fullmatch(bare)
        periodical = _ISSUE_MASTHEAD.match(bare) or (own_line_issue and _ISSUE_MASTHEAD.match(bare + nxt))
        if i < 3 and periodical and "纪要" not in bare:   # a 纪要's body is the one its masthead names
            # a periodical (简报, 督查, 动态) with its issue, on the same line or the next: the
            # body that edits it stands on the line after with the date
            last = i + 1 if own_line_issue else i
            editor = _ORG_DATE_LINE.match(lines[last + 1].replace(" ", "")) if last + 1 < len(lines) else None
            if editor:
                return short_issuer(editor.group("org")), lines[last + 1], last + 1
            return "", "", last
        if i < 3 and i + 1 < len(lines) and len(bare) <= 40 and _BODY_NAME.match(bare) and _ORG_END.search(bare) \
                and "关于" not in bare and DOC_NUMBER_LOOSE.match(lines[i + 1].replace(" ", "")):
            # the 函 style: the body's (or its office's) name alone above the 文号
            return short_issuer(_first_body(bare)), line, i
        if line.replace(" ", "") == "文件" and i > 0:
            # joint masthead: the bodies stand on the lines above "文件"
            above = [x for x in lines[max(0, i - 4):i] if _ORG_END.search(x)]
            if above:
                return short_issuer(above[0]), above[0], i
        e = _EDITED_BY.match(line)
        if e and i < 5:
            return short_issuer(e.group(1)), line, i
        m = _MASTHEAD.match(line)
        if not m and i + 1 < len(lines) and i < 3 and len(line) >= 8 and lines[i + 1].replace(" ", "") != "文件":
            # a long masthead wraps: "青河县质量强县工作领导小组办" + "公室文件"
            joined = line + lines[i + 1]
            m2 = _MASTHEAD.match(joined)
            if m2 and _ORG_END.search(m2.group(1)) and "关于" not in joined and _BODY_NAME.match(m2.group(1)):
                return short_issuer(m2.group(1)), joined, i + 1
        if not m:
            continue
        body = m.group(1).strip()
        if "关于" in body or not _BODY_NAME.match(body.replace(" ", "")):
            continue
        if not _ORG_END.search(body):
            above = [x for x in lines[max(0, i - 4):i] if _ORG_END.search(x)]
            if above:
                return short_issuer(above[0]), above[0], i
            continue
        return short_issuer(_first_body(body)), line, i
    return "", "", -1


_MINUTES = re.compile(r"^(?!关于)(?P<topic>.{2,38}?)(?:会议纪要|纪要)(?P<issue>[（(]?第.{1,6}[期次][）)]?)?$")


def _minutes_title(lines: list[str], title_i: int, next_i: int) -> tuple[str, int, int]:
    """A 会议纪要 names itself in its masthead ("县质量强县工作领导小组会议纪要", "2025年质量工作
    领导小组会议纪要") and has no 关于… title under it: when no other title was found, that
    line is the title a clerk files it by (with its issue, "（第3期）", when it stands on the
    next line)."""
    for i, line in enumerate(lines[:HEAD_LINES]):
        bare = line.replace(" ", "").replace("\u3000", "")
        m = _MINUTES.match(bare)
        if not m or _KIND_ONLY.match(bare) or _NOISE.search(line):
            continue
        title, after = bare, i + 1
        if not m.group("issue") and after < len(lines):
            issue = re.fullmatch(r"[（(]?第.{1,6}[期次][）)]?", lines[after].replace(" ", ""))
            if issue:
                title, after = f"{bare}（{issue.group(0).strip('（()）')}）", after + 1
        return title, i, after
    return "", title_i, next_i


def _first_body(names: str) -> str:
    """The first body of a joint masthead OCR read as one line ("武义县人民政府武义县财政局"):
    cut where a body's name ends and the next begins with the same county or city."""
    n = names.replace(" ", "")
    admin = _ADMIN_PREFIX.match(n)
    if not admin:
        return n
    place = admin.group(0).removeprefix("中共")
    at = n.find(place, admin.end())
    while at > 0:
        head = n[:at].removesuffix("中共")
        if _ORG_END.search(head) and len(head) >= 4:
            return head
        at = n.find(place, at + 1)
    return n


# --- title -----------------------------------------------------------------------------------

_TITLE_END = re.compile(
    r"(?:通知|意见|方案|报告|请示|批复|决定|通报|函|纪要|办法|规定|细则|规划|总结|计划|要点|公告|"
    r"通告|决议|议案|命令|公报|简报|说明|台账|名单|清单|汇总表|情况表|一览表|登记表|统计表|记录|"
    r"制度|章程|标准|考核表|申报表|责任书|承诺书|协议|合同|纲要|公示|规则|预案|答复|复函)(?:[(（][^)）]{0,20}[)）])?$"
)
_ADDRESSEE = re.compile(r"^[^。；;]{2,90}[：:]$")
_NOT_TITLE = re.compile(
    r"^(?:附件|抄送|签发人|印发|发布时间|来源|索引号|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|"
    r"[（(]?\s*(?:\d{4}\s*年\s*)?第\s*[\d一二三四五六七八九十]+\s*期\s*[)）]?$|.{2,40}编\s*\d{4}\s*年)")


_KIND_ONLY = re.compile(
    r"^(?:会议纪要|纪要|简报|工作简报|工作动态|情况通报|通报|文件|"
    r"(?i:sheet)\s*\d*|工作表\s*\d*|[A-Za-z]{1,12}\s*\d{0,3})$")    # … or a sheet's name (Sheet1)
_ORG_DATE_LINE = re.compile(
    r"^(?P<org>.{2,40}?(?:办公室|局|委员会|小组|政府|中心|办|督查室|研究室))\s*(?:编)?\s*"
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_ISSUE_ONLY = re.compile(
    r"[（(〔]?第\s*[0-9一二三四五六七八九十百〇零]{1,5}\s*期[）)〕]?(?:[（(]?总第\d{1,5}期[）)]?)?")
# a periodical's masthead with its issue on the same line: "寿县政务督查　第20期", "质量工作简报
# （第3期）", "……动态 第十二期（总第58期）"
_ISSUE_MASTHEAD = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,30}?\s*[（(〔]?第\s*[0-9一二三四五六七八九十百〇零]{1,5}\s*期[）)〕]?"
    r"(?:\s*[（(]?总第\s*\d{1,5}\s*期[）)]?)?$")


# Site chrome and publishing metadata around a reposted document: breadcrumbs, "来源:",
# "发布时间:", a bare timestamp. Never a title, an addressee or the date of issue.
_NOISE = re.compile(
    r"(?:^|\s)>(?:\s|$)|>>|»|[|｜]|首页\s*>|当前位置|您的位置|您现在的位置|https?:|www\.|"
    r"^[(（]?(?:原标题|来源|作者|发布时间|发表时间|发布日期|时间|日期|浏览|访问量|阅读|责任编辑|编辑|初审编辑|"
    r"核心提示|简介|字号|字体|分享|下载地址|本文来源|归档时间)\s*[:：]|"
    r"^[\d\s:./\-]+$|^\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?\s*\d{1,2}:\d{2}|"
    r"^(?:朗读|返回顶部|打印|收藏|关闭窗口|打印本页|扫一扫)")
# the publishing line a site puts under a page's heading ("来源：……", "发布日期：……", a timestamp)
_PUBLISHED = re.compile(
    r"^[(（]?(?:来源|发布时间|发表时间|发布日期|时间|日期)\s*[:：]|^\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?\s*\d{1,2}:\d{2}")
# a heading that names a kind of document (the rest of a page's headings are news)
_NAMES_KIND = re.compile(r"通知|意见|决定|方案|批复|报告|通报|公告|通告|办法|规定|简报|解读|规划|纪要|任务")
# A title on a page with nothing to place it (no 文号, no masthead) must read as one
_TITLE_WORDS = re.compile(r"关于|印发|转发|公告|通告")


_KIND_WORD = re.compile(r"通知|意见|决定|方案|批复|报告|通报|公告|通告|办法")
# a news headline reports what someone did ("县政府召开人大代表建议交办会", "市人大常委会开展主任接待
# 代表日活动"); a record of it is named for what it is ("社会质量监督员座谈会情况", "……会议纪要")
_NEWS_HEADLINE = re.compile(
    r"^[\u4e00-\u9fff]{2,}?(?:召开|举行|举办|开展.{0,12}活动|督办|视察|接待|走访|认真办理)"
    r"(?!.*(?:情况|记录|纪要|总结|报告|汇报|材料|清单|台账|表)$)")


# the rest of a title wrapped onto a line of its own: "的公告", "的通知（试行）"
_TITLE_TAIL = re.compile(r"^(?!特此)的?[\u4e00-\u9fff]{0,4}?"
                         r"(?:通知|公告|通告|意见|决定|方案|答复|复函|函|批复|报告|办法)(?:[(（][^)）]{0,10}[)）])?$")


def _title_complete(title: str, nxt: str) -> bool:
    """Whether a title read so far is whole: it ends in a kind of document, has no quotation
    mark or 《 left open ("关于县人大代表“关于打造……" goes on), and the next line is not the
    rest of it ("……团体标准" over "的公告")."""
    if title.count("“") > title.count("”") or title.count("《") > title.count("》"):
        return False
    return bool(_TITLE_END.search(title)) and not _TITLE_TAIL.match(nxt)


def _title(lines: list[str], start: int, anchored: bool = True) -> tuple[str, int, int]:
    """(title, index of its first line, index of the line after it) from line `start` on;
    wrapped lines are joined. `anchored`: the search starts right under a 文号 or masthead,
    so the first line standing there is the title; otherwise only a line that reads as a
    title counts (one line ending in a kind of document: 关于……的通知, ……工作规则, ……排查记录;
    wrapped lines only when they begin with 关于/印发/转发), so a site's name or a news
    headline is not taken."""
    for i in range(start, min(len(lines), start + HEAD_LINES)):
        line = lines[i]
        if _NOISE.search(line):
            continue
        if not line or _NOT_TITLE.match(line) or _ADDRESSEE.match(line):
            if _ADDRESSEE.match(line) and (anchored or _addressee_block(lines, i)[0]):
                break
            continue
        mast = _MASTHEAD.match(line)
        # a second masthead line ("……文件" of a body) is skipped; a 简报/通报 whose name is
        # a topic ("侵权假冒商品集中销毁活动简报") is the title
        if DOC_NUMBER_LOOSE.fullmatch(line) or (mast and "关于" not in line and _ORG_END.search(mast.group(1))):
            continue
        signing = i + 1 < len(lines) and _ORG_END.search(line) and _BODY_NAME.match(line) and \
            _DATE_LINE.match(lines[i + 1].replace(" ", ""))
        if _BODY_NAME.match(line) and _BESIDE_ORG.search(line) and i + 1 < len(lines) \
                and lines[i + 1].startswith("关于"):
            continue        # a body's name over 关于……: its masthead, not part of the title
        if signing or _DATE_LINE.match(line.replace(" ", "")):
            continue        # a 落款 over its date, the date (a page that begins with its foot)
        if _ORG_DATE_LINE.match(line) or _KIND_ONLY.match(line):
            # "……办公室　2024年4月17日" under a 纪要's masthead; a masthead that is only the
            # kind of document ("会 议 纪 要", "简报")
            continue
        if line.endswith(("。", "；", "，")) or len(line) > 60:
            if anchored:
                break
            continue
        parts = [line]
        j = i + 1
        while not _title_complete("".join(parts), lines[j] if j < len(lines) else "") \
                and j < len(lines) and len(parts) < 4:
            nxt = lines[j]
            if not nxt or _ADDRESSEE.match(nxt) or nxt.endswith(("。", "；")) or len(nxt) > 40 or _NOISE.search(nxt):
                break
            parts.append(nxt)
            j += 1
        title = "".join(parts)
        if not anchored and _NEWS_HEADLINE.search(title) and not title.startswith("关于"):
            continue        # a news page's headline reports an event; it is no document's title
        if not anchored:
            wrapped_ok = len(parts) == 1 or (_TITLE_WORDS.search(parts[0]) and not _KIND_WORD.search(parts[0]))
            if _TITLE_END.search(title) and wrapped_ok:
                return title, i, j
            # the page's heading over its publishing line, when it names a kind of document
            heading = i + 1 < len(lines) and _PUBLISHED.search(lines[i + 1]) and _NAMES_KIND.search(line)
            if heading:
                return line, i, i + 1
            continue
        if _TITLE_END.search(title) or title.startswith("关于"):
            return title, i, j
        if _NEWS_HEADLINE.search(parts[0]):
            continue        # a news headline at the top of a page of our own is no title either
        if len(parts) == 1 and i == start and len(line) <= 40:
            return title, i, j
        return parts[0], i, i + 1
    return "", -1, start


# --- dates -----------------------------------------------------------------------------------

_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "0": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4,
       "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DATE = re.compile(
    r"([〇○零Oo0一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)


_CN_DATE_ANY = re.compile(
    r"([〇○零Oo0一二三四五六七八九]{2,4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)


def _cn_number(s: str) -> int:
    if "十" in s:
        head, _, tail = s.partition("十")
        return (_CN.get(head, 1) if head else 1) * 10 + (_CN.get(tail, 0) if tail else 0)
    return _CN.get(s, 0)


def parse_date(text: str) -> dt.date | None:
    """The first date written as 2023年5月8日 or 二〇二三年五月八日 in `text`."""
    found = dates_in(text)
    return found[0][0] if found else None


def _garbled_date(value: str) -> dt.date | None:
    """A portal's date field that lost its 年月日 and the spaces between ("{ 2017 6 23" comes
    through as "{2017623"): the year, then month and day where only one split of the digits
    makes a date; None where the digits could be read two ways ("2017111": 1-11 or 11-1)."""
    m = re.fullmatch(r"\W*((?:19|20)\d{2})\W*(\d{2,4})\W*", value)
    if not m:
        return None
    year, rest = int(m.group(1)), m.group(2)
    found = set()
    for cut in range(1, len(rest)):
        month, day = rest[:cut], rest[cut:]
        if len(month) > 2 or len(day) > 2:
            continue
        try:
            found.add(dt.date(year, int(month), int(day)))
        except ValueError:
            continue
    return found.pop() if len(found) == 1 else None


def dates_in(text: str) -> list[tuple[dt.date, int]]:
    """Every date written as 2023年5月8日 or 二〇二三年五月八日, with its position, in order."""
    return [(d, s) for d, s, _ in date_spans(text)]


def date_spans(text: str, year_hint: int | None = None) -> list[tuple[dt.date, int, int]]:
    """Every date written as 2023年5月8日 or 二〇二三年五月八日: (date, start, end), in order.
    With `year_hint` (the year of the document's 文号 or 印发 date), a year in Chinese numerals
    that OCR read short ("二五年" for 二〇二五年: the 〇 is often lost, above all under a seal)
    is taken as that year when its last figure agrees."""
    out: list[tuple[dt.date, int, int]] = []
    for m in _DATE.finditer(text):
        try:
            out.append((dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.start(), m.end()))
        except ValueError:
            continue
    for m in _CN_DATE_ANY.finditer(text):
        figures = m.group(1)
        try:
            if len(figures) == 4:
                year = int("".join(str(_CN[c]) for c in figures))
            elif year_hint and figures[0] == "二" and _CN[figures[-1]] == year_hint % 10:
                year = year_hint
            else:
                continue
            out.append((dt.date(year, _cn_number(m.group(2)), _cn_number(m.group(3))), m.start(), m.end()))
        except (ValueError, KeyError):
            continue
    out.sort(key=lambda x: x[1])
    return out


_DATE_LINE = re.compile(
    r"^[（(]?\s*[\d〇○零Oo一二三四五六七八九十\s]{4,8}年[\d一二三四五六七八九十\s]{1,3}月"
    r"[\d一二三四五六七八九十\s]{1,4}日\s*[)）]?$")


_AFTER_SIGNING = re.compile(r"[（(]此件|抄送|抄报")


# what may follow the 成文日期 on its line when OCR joined them: the note under it, an
# attachment's heading, the 版记
_AFTER_DATE = re.compile(r"^(?:附件|[（(]\s*(?:此件|联系|此页)|抄送|抄报|$)")
# the end of a body's name a 落款 ends with (the bare 办/委 of the longer list are left out:
# "……报县质量强县办" is a sentence, not a signature)
_SIGNER_END = re.compile(
    r"(?:政府|办公室|办公厅|局|委员会|小组|中心|公署|党委|管委会|街道办事处|镇|乡|协会|分局|院|所|站)$")


def _signed_date(lines: list[str], start: int, year_hint: int | None) -> tuple[dt.date | None, int]:
    """The 成文日期 as it stands under (or run on after) the 落款: a date with a body's name
    just before it, on its line or on the line above, and nothing after it but the note
    "（此件公开发布）", an attachment's heading or the 版记. A deadline ("于2025年6月30日前",
    "（2025年4月1日至5月31日）") or a date in a sentence is not one. The first from line
    `start` on (an attachment after the signature may carry dates of its own); the 版记's
    印发 date never. Returns (date, line index)."""
    for k in range(max(start, 0), len(lines)):
        line = lines[k]
        for d, s, e in date_spans(line, year_hint):
            after = line[e:].strip()
            if not _AFTER_DATE.match(after):
                continue
            before = line[:s].strip()
            if before:
                if _SIGNER_END.search(before):
                    return d, k
                continue
            above = lines[k - 1].replace(" ", "") if k > 0 else ""
            if above and _SIGNER_END.search(above) and not above.endswith(("。", "；", "：", ":")) \
                    and "印发" not in above:
                return d, k
    return None, -1


def _year_hint(lines: list[str], doc_number: str) -> int | None:
    """The year a short Chinese-numeral year most likely is: the 文号's, else the 印发 date's."""
    m = re.search(r"〔(\d{4})〕", doc_number)
    if m:
        return int(m.group(1))
    for line in reversed(lines):
        if "印发" in line:
            found = dates_in(line)
            if found:
                return found[-1][0].year
    return None


def _issue_date(lines: list[str], start: int = 0, doc_number: str = "") -> tuple[dt.date | None, int]:
    """The 成文日期: the date under the 落款 (see _signed_date); else the last line near the
    foot that is only a date (not the 版记's 印发 date); else the last date in the foot that is
    not a 印发 date. Returns (date, line index)."""
    signed = _signed_date(lines, start, _year_hint(lines, doc_number))
    if signed[0] is not None:
        return signed
    total = 0
    foot_start = len(lines)
    for k in range(len(lines) - 1, -1, -1):
        total += len(lines[k])
        foot_start = k
        if total > FOOT_CHARS:
            break
    best: tuple[dt.date | None, int] = (None, -1)
    for k in range(foot_start, len(lines)):
        line = lines[k]
        if "印发" in line or "印 发" in line:
            continue
        if _DATE_LINE.match(line.replace(" ", "")):
            d = parse_date(line.replace(" ", ""))
            if d:
                best = (d, k)
    if best[0] is not None:
        return best
    for k in range(len(lines) - 1, foot_start - 1, -1):
        # OCR may join the 落款 and date with "（此件公开发布）" and the 版记 on one line
        line = _AFTER_SIGNING.split(lines[k], 1)[0]
        if "印发" in line or _NOISE.search(line):
            continue
        if len(line) > 40:
            # OCR may join the 落款 and its date to the line above ("联系人：……青河县市场监督
            # 管理局2024年3月12日"): a long line counts only when it ends with the date
            found = dates_in(line)
            if found and line.rstrip().endswith("日") and line.rstrip()[-1] == "日" and \
                    len(line) - found[-1][1] <= 17:
                return found[-1][0], k
            continue
        d = parse_date(line)
        if d:
            return d, k
    return None, -1


def _signature(lines: list[str], date_index: int) -> str:
    """The 落款 above the 成文日期: the body that signs (a line that names an office); for a
    joint document the bodies stand one above the other and the first is taken. A page that
    lost its line breaks may carry the body on the date's own line ("建湖县人民政府2024年5月27日")."""
    found = dates_in(lines[date_index])
    if found:
        before = lines[date_index][:found[0][1]].strip()
        if 2 <= len(before) <= 30 and _ORG_END.search(before) and _BODY_NAME.match(before.replace(" ", "")):
            return before
    signer = ""
    for k in range(date_index - 1, max(-1, date_index - 6), -1):
        line = lines[k]
        if line and _PUBLISHED.search(line) and not signer:
            continue    # a page's "来源：……" or timestamp put between the 落款 and its date
        if not line or line.startswith(("（", "(")) or "附件" in line:
            if signer:
                break
            continue
        if len(line) <= 30 and _ORG_END.search(line) and not line.endswith(("。", "：", ":")):
            signer = line          # keep walking up: a joint document's first body is on top
            continue
        break
    return signer


# --- addressees ------------------------------------------------------------------------------

_ADDR_WORDS = re.compile(r"各|县|市|区|乡|镇|局|委|办|政府|部门|单位|公司|中心|街道|小组")


# what a 主送 line names; and what shows a line is a sentence of the body instead
_ADDR_ORG = re.compile(r"各|政府|部门|单位|机构|局|委|办|厅|公司|中心|街道|管委会|成员|科室|站所|村")
_ADDR_NOT = re.compile(r"如下|现将|现就|通知|为了|根据|按照|附件|《")


# the 主送 of an 答复: the deputies or members who made the 建议 or 提案
_DEPUTIES = re.compile(r"^[\u4e00-\u9fff、，,]{2,40}?(?:等\s*\d{1,3}\s*(?:名|位))?(?:代表|委员)[：:]$")


def _addressee_block(lines: list[str], k: int) -> tuple[tuple[str, ...], int]:
    """The 主送 starting at line k: "各乡镇人民政府，县直各部门：" (may wrap over 3 lines), or
    the deputy a reply answers ("王建华代表："), and the index of the line after it."""
    if k < len(lines) and _DEPUTIES.match(lines[k]) and not _ADDR_NOT.search(lines[k]):
        return tuple(p.strip() for p in re.split(r"[，,、]", lines[k][:-1]) if p.strip()), k + 1
    buf, end = "", k
    for line in lines[k:k + 3]:
        if line.endswith(("。", "；")) or len(line) > 200:
            break
        if buf and not buf.endswith(("，", ",", "、")):
            return (), k
        buf += line
        end += 1
        if buf.endswith(("：", ":")):
            break
    if not buf.endswith(("：", ":")) or not _ADDR_ORG.search(buf) or _ADDR_NOT.search(buf) or len(buf) > 250:
        return (), k
    if not _ADDR_WORDS.search(buf):
        return (), k
    return tuple(p.strip() for p in re.split(r"[，,、；;]", buf[:-1]) if p.strip()), end


def _addressees(lines: list[str], start: int) -> tuple[tuple[str, ...], int]:
    """The 主送 after the title (or from `start`): the first 主送 line within a few lines,
    passing over a 文号 and a page's publishing lines ("来源：", a timestamp) on the way;
    none once the body has begun. Also the index of the line after it (`start` if none)."""
    for k in range(max(0, start), min(len(lines), start + 8)):
        line = lines[k]
        if not line or _NOISE.search(line) or DOC_NUMBER_LOOSE.fullmatch(line):
            continue
        found, end = _addressee_block(lines, k)
        if found:
            return found, end
        if line.endswith(("。", "；")) or len(line) > 200:
            break
    return (), start


# --- the whole ---------------------------------------------------------------------------------


_WIDE = {0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF21 + i: 0x41 + i for i in range(26)} | {
    0xFF41 + i: 0x61 + i for i in range(26)}


# A page that lost its line breaks keeps the header's parts in one long line, often with a
# space where a break was: "…的通知 杭政函〔2016〕190号 各区、县(市)人民政府,市政府各部门: 《…》…
# 杭州市人民政府 2016年12月23日 关于实施…". These put the breaks back before the spaces are
# dropped: after a title, around a 文号, after a 主送, around a signature with its date.
_FLAT_MIN = 40
_FLAT_TITLE = re.compile(
    r"((?:^|(?<=\s))[^\s。；;：:]{0,40}关于[^\s。；;]{2,80}?的[^\s，。；;]{0,8}?"
    r"(?:通知|意见|决定|方案|批复|函|报告|通报|公告|通告|办法|规定|细则|公示|规划))\s+")
_FLAT_NUMBER = re.compile(r"(?<=\s)(\S{1,12}[〔\[【(（]\d{4}[〕\]】)）]\s*\d{1,4}\s*号)(?=\s)")
_FLAT_ADDRESSEES = re.compile(r"(?:^|(?<=\s))([^\s。；;：:“”《》]{2,150}[：:])\s*(?=\S)")
_FLAT_SIGNED = re.compile(
    r"(?:^|(?<=\s))([\u4e00-\u9fff]{2,30}?(?:政府|办公室|办公厅|局|委员会|公署|小组|中心))\s*"
    r"((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)(?=\s|$|[(（])")
_FLAT_ANNEX = re.compile(r"\s+(?=附件\s*[：:])")


def _unflatten(raw: str) -> list[str]:
    """A long line of a page that lost its line breaks, split where the header's breaks were."""
    if len(raw) < _FLAT_MIN:
        return [raw]
    s = _FLAT_TITLE.sub(lambda m: "\n" + m.group(1) + "\n", raw)
    s = _FLAT_NUMBER.sub(lambda m: "\n" + m.group(1) + "\n", s)

    def addressees(m: re.Match[str]) -> str:
        block = m.group(1)
        ok = _ADDR_ORG.search(block) and not _ADDR_NOT.search(block) and not _PORTAL_ANY_LABEL.search(block)
        return "\n" + block + "\n" if ok else m.group(0)

    s = _FLAT_ADDRESSEES.sub(addressees, s)
    s = _FLAT_SIGNED.sub(lambda m: "\n" + m.group(1) + "\n" + m.group(2) + "\n", s)
    s = _FLAT_ANNEX.sub("\n", s)
    return s.split("\n")


def _lines(text: str) -> list[str]:
    out = []
    for raw in (piece for whole in (text or "").splitlines() for piece in _unflatten(whole)):
        line = unicodedata.normalize("NFC", raw).translate(_WIDE).strip().replace("\u3000", "")
        line = re.sub(r"[ \t]+", lambda m: "" if len(m.group(0)) < 2 else " ", line).strip()
        if line:
            out.append(line)
    return out


# "2021年县政府重点工作任务（华政发〔2021〕2号）": the number a website appends to a title
_NUMBER_IN_TITLE = re.compile(
    r"[（(【\[][\u4e00-\u9fff]{1,10}\s*[〔\[【(（][^)）〕\]】]{4}[〕\]】)）]\s*\d+\s*号[）)】\]]$")


# OCR joins rows into paragraphs: a title row, the 主送 row under it and even the first
# paragraph can come back as one line ("关于……的通知各乡镇人民政府，县直有关部门：为……"):
# split such a header line where the title ends and where the 主送 ends.
_TITLE_THEN_ADDRESSEES = re.compile(
    r"^([^：:。；;]{3,70}?(?:通知|通报|意见|方案|决定|报告|请示|批复|函|办法|规定|细则|公告|通告|纪要|"
    r"计划|要点|名单|清单|规则|制度)(?:[(（][^)）]{0,20}[)）])?)"
    r"((?:各|县|市|区|全县|中共|局)[^。；;：:]{1,88}[：:])(.*)$")


# a masthead run into the title: "青河县人民政府办公室文件关于开展……的通知"
_MAST_THEN_TITLE = re.compile(r"^([\u4e00-\u9fff（）()]{2,30}?\s*文\s*件)\s*((?:关于|印发|转发).{4,})$")


def _split_at_number(line: str) -> list[str]:
    """A header line OCR joined around the 文号 ("……局文件兰建字〔2024〕78号关于……的通知",
    "青卫健发〔2023〕43号关于……") as its parts: the masthead, the number, the title. A line
    that cites a number ("根据《……》（鲁政办发〔2023〕12号）") is left whole."""
    found = find_doc_numbers(line)
    if not found or "《" in line or line.endswith(("。", "；", "，")):
        return [line]
    _, s, e = found[0]
    before, after = line[:s].strip(), line[e:].strip()
    if before and not (re.search(r"文\s*件$", before) or (_ORG_END.search(before) and _BODY_NAME.match(before))):
        return [line]
    if after and not (after.startswith(("关于", "印发", "转发")) or re.match(r"^签\s*发\s*人", after)):
        return [line]
    if not before and not after.startswith(("关于", "印发", "转发")):
        return [line]
    return [x for x in (before, line[s:e].strip(), after) if x]


def _split_joined_header(ls: list[str]) -> list[str]:
    """The header block with a title, its 主送 and the text after it that OCR joined put back
    on lines of their own; a masthead run into the title put on a line of its own; a masthead,
    文号 and title run together split around the number."""
    split: list[str] = []
    for i, line in enumerate(ls):
        split += _split_at_number(line) if i < HEAD_LINES else [line]
    ls = split
    out: list[str] = []
    for i, line in enumerate(ls):
        mt = _MAST_THEN_TITLE.match(line) if i < HEAD_LINES else None
        if mt and _ORG_END.search(re.sub(r"\s*文\s*件$", "", mt.group(1))):
            out.append(mt.group(1))
            line = mt.group(2)
        m = _TITLE_THEN_ADDRESSEES.match(line) if i < HEAD_LINES else None
        if m and _ADDR_WORDS.search(m.group(2)) and not DOC_NUMBER_LOOSE.search(m.group(1)):
            out += [m.group(1), m.group(2)] + ([m.group(3)] if m.group(3).strip() else [])
        else:
            out.append(line)
    return out


# A government portal's 信息公开 header, as a reposted document carries it above the text:
# label | value cells ("文件名称 | 关于… | 发文字号 | 黄政发〔2024〕6号 |") or label：value pairs
# with the label spaced out ("文       号 ： 嘉政办发〔2024〕1号").
_PORTAL_FIELDS = {
    "title": ("文件名称", "文件标题", "标题", "名称"),
    "doc_number": ("发文字号", "文号", "文件编号"),
    "issuer": ("发文机关", "发文单位", "发布机构"),
    "date": ("成文日期", "发文日期"),
    "made": ("生成日期",),      # the portal's record date: the date of issue only when none is stated
}
# other labels of such a header: their lines are header too, never the title
# (a publishing line alone, "来源：" or "发布日期：", is the page's, not the header's: see _NOISE)
_PORTAL_OTHER = ("索引号", "主题分类", "效力状态", "文件类型", "公开方式", "生效日期", "组配分类",
                 "信息分类", "内容分类", "生效时间", "废止时间", "信息来源", "关键词", "主题词", "浏览次数",
                 "内容概述", "公文目录", "有效性", "发文机构", "发布部门", "时效性")


def _label_re(words: tuple[str, ...]) -> re.Pattern[str]:
    """A label of a portal header, its characters possibly spaced out, then | or ：."""
    return re.compile("(" + "|".join(r"\s*".join(w) for w in words) + r")\s*[|｜：:]\s*")


_PORTAL_LABEL = _label_re(tuple(w for ws in _PORTAL_FIELDS.values() for w in ws))
_PORTAL_ANY_LABEL = _label_re(tuple(w for ws in _PORTAL_FIELDS.values() for w in ws) + _PORTAL_OTHER)


def _portal_fields(lines: list[str]) -> tuple[dict[str, str], set[int]]:
    """The labelled fields of a portal header in the first lines, and which lines it took. A
    label whose value is empty on its line ("• 发文字号:") takes the next line as its value
    when that line is not a label itself."""
    found: dict[str, str] = {}
    used: set[int] = set()
    limit = HEAD_LINES * 2
    for i, line in enumerate(lines[:limit]):
        if set(line.replace(" ", "")) <= set("-|"):   # a table's rule line
            if found:
                used.add(i)
            continue
        label_at = _PORTAL_ANY_LABEL.search(line)
        if not label_at or (label_at.start() > 0 and not re.match(r"^[\s•·\-|｜]*$", line[:label_at.start()])
                            and not _PORTAL_ANY_LABEL.search(line[:label_at.start()] + "：")):
            continue
        used.add(i)
        hits = list(_PORTAL_LABEL.finditer(line))
        for m in hits:
            label = re.sub(r"\s", "", m.group(1))
            rest = line[m.end():]
            nxt = _PORTAL_ANY_LABEL.search(rest)
            value = (rest[:nxt.start()] if nxt else rest).strip(" |｜")
            if not value and not nxt and i + 1 < len(lines) and not _PORTAL_ANY_LABEL.search(lines[i + 1]):
                value = lines[i + 1].strip(" |｜")
                used.add(i + 1)
            field = next(f for f, ws in _PORTAL_FIELDS.items() if label in ws)
            if value and field not in found:
                found[field] = value
    return found, used


# A reposted document's title line: 关于…的通知 (or 决定, 意见, 方案 …), maybe its 文号 after it.
_REPOSTED_TITLE = re.compile(
    r"^(?P<title>.{0,40}关于.{2,80}的[^，。；;：:]{0,8}?(?:通知|决定|意见|通报|报告|批复|函|公告|通告|方案|规划|办法|"
    r"细则|规定|公示))"
    r"\s*(?:[（(]?\S{1,10}[〔\[【(（]\d{4}[〕\]】)）]\s*\d+\s*号[）)]?)?$")
# what a reposting site puts before a title: its own 文号, a column name ("政务服务丨")
_REPOST_PREFIX = re.compile(r"^(?!关于)(?:\S{1,12}[〔\[【(（]\d{4}[〕\]】)）]\s*\d{1,4}\s*号|[^丨|｜]{1,12}[丨|｜])")


def _reposted_title(ls: list[str]) -> tuple[str, int]:
    """The title of a document reposted on a web page, where it stands above the 文号 rather
    than below it (or ends with it): the first header line that reads 关于…的通知 etc., with a
    site's prefix and 《》 around it taken off. Returns (title, line index)."""
    for i, raw in enumerate(ls[:HEAD_LINES]):
        if _addressee_block(ls, i)[0] or _DATE_LINE.match(raw.replace(" ", "")):
            break           # the 主送 or a signing date: the header is over
        if _NOISE.search(raw) and not _REPOST_PREFIX.match(raw):
            continue
        line = _REPOST_PREFIX.sub("", raw.strip()).strip()
        if line.startswith("《") and line.endswith("》"):
            line = line[1:-1]
        m = _REPOSTED_TITLE.match(line)
        if m:
            return m.group("title").replace("(", "（").replace(")", "）"), i
        if line.startswith("关于") and not line.endswith(("。", "；", "，", "：", ":")):
            # a title wrapped over two or three lines above its 文号
            joined = line
            for k in range(i + 1, min(i + 3, len(ls))):
                nxt = ls[k]
                if not nxt or _NOISE.search(nxt) or DOC_NUMBER_LOOSE.fullmatch(nxt) or _ADDRESSEE.match(nxt) \
                        or nxt.endswith(("。", "；")) or len(nxt) > 40:
                    break
                joined += nxt
                m = _REPOSTED_TITLE.match(joined)
                if m and m.group("title") == joined and k + 1 < len(ls) and DOC_NUMBER_LOOSE.fullmatch(ls[k + 1]):
                    return joined, i
    return "", -1


# a body's name as a title begins with it ("济宁市人民政府关于……"); of a joint title the first
_TITLE_BODY = re.compile(
    r"^((?:中共)?[\u4e00-\u9fff]{2,30}?(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|行政公署|局|小组|厅|部))"
    r"(?=[\u4e00-\u9fff\s、]{0,60}关于)")


def _title_body(title: str) -> str:
    """The issuing body a title names before 关于 ('' if it names none)."""
    m = _TITLE_BODY.match(title)
    return m.group(1) if m and "《" not in m.group(1) else ""


# the names a body's line may end with (not "返回顶部", a site's button)
_BESIDE_ORG = re.compile(r"(?:政府|办公室|办公厅|委员会|公署|局|小组|中心|厅|(?<![顶底全内外])部)$")


def _body_beside(ls: list[str], i: int) -> str:
    """A body's name on its own line just above or below the title at line i (a title block
    "济宁市人民政府 / 关于……", a law site's "标题 / 财政部、司法部"); of several, the first."""
    for k in (i - 1, i + 1):
        if 0 <= k < len(ls):
            first = re.split(r"[、\s]+", ls[k].strip())[0]
            if _BODY_NAME.match(ls[k].replace(" ", "").replace("、", "")) and _BESIDE_ORG.search(first) \
                    and len(first) >= 3 and not _MASTHEAD.match(ls[k]):
                return first
    return ""


def read_docmeta(text: str, lines: list[str] | None = None) -> DocMeta:
    """The metadata of a document from its text (or its lines, as a layout gives them).

    >>> m = read_docmeta("沂水县人民政府办公室文件\\n沂政办发〔2023〕13号\\n关于设立质量发展专项资金的通知\\n"
    ...                  "各乡镇人民政府，县直各部门：\\n正文。\\n沂水县人民政府办公室\\n2023年5月8日")
    >>> (m.issuer, m.doc_number, m.title, m.issue_date.isoformat())
    ('县政府办公室', '沂政办发〔2023〕13号', '关于设立质量发展专项资金的通知', '2023-05-08')
    >>> m.addressees
    ('各乡镇人民政府', '县直各部门')
    """
    ls = _split_joined_header(_lines("\n".join(lines)) if lines is not None else _lines(text))
    portal, portal_lines = _portal_fields(ls)
    if portal_lines:
        ls = [line for i, line in enumerate(ls) if i not in portal_lines]
    issuer, issuer_line, mast_i = _masthead(ls)

    # 文号: a line of the header block that is (mostly) the number, maybe with 签发人
    doc_number, after, number_line = "", 0, -1
    for i, line in enumerate(ls[:HEAD_LINES]):
        found = find_doc_numbers(line)
        if not found:
            continue
        num, s, e = found[0]
        bracketed = s > 0 and line[s - 1] in "（(【["
        if line.lstrip().startswith("关于") and not bracketed:
            continue    # a title citing another document's number ("关于明确豫政〔2012〕103号文件…")
        rest = (line[:s] + line[e:]).replace(" ", "")
        rest = re.sub(r"签发人[：:]?[\u4e00-\u9fff、，]{0,12}", "", rest)
        rest = re.sub(r"^[（(【\[]|[）)】\]]$", "", rest)
        if len(rest) <= 4:
            doc_number, after = num, i + 1
            break
        cited = "《" in line[:s] or line.endswith(("。", "，", "；")) or len(line) > 80
        if bracketed and i < 4 and not doc_number and not cited:
            # a title with its number in brackets, the way websites repost documents
            doc_number, number_line = num, i
    anchored = bool(after) or mast_i >= 0
    # a web page (a portal's header, breadcrumbs, "来源：", a timestamp) puts its site's lines
    # above the document: there only a line that reads as a title is one. A file of our own
    # (a ledger, a photo's caption) begins with its title.
    web = bool(portal_lines) or any(_NOISE.search(x) for x in ls[:HEAD_LINES])
    title_start = after
    if not after and mast_i >= 0:
        title_start = mast_i + 1
    title, title_i, next_i = _title(ls, title_start, anchored=anchored or not web)
    if not title:
        title, title_i = _reposted_title(ls)
        next_i = title_i + 1 if title else next_i
    if not title and number_line >= 0 and _NUMBER_IN_TITLE.search(ls[number_line]):
        title, title_i, next_i = ls[number_line], number_line, number_line + 1
    if not title:
        title, title_i, next_i = _minutes_title(ls, title_i, next_i)
    if title:
        appended = _NUMBER_IN_TITLE.search(title)
        if appended and not doc_number:     # the number a site appends to a title is the document's own
            nums = find_doc_numbers(appended.group(0))
            doc_number = nums[0][0] if nums else ""
        title = _NUMBER_IN_TITLE.sub("", title)
        # a Chinese title's brackets are full-width; OCR often reads them as "(" ")"
        title = title.replace("(", "（").replace(")", "）")
    addressees, after_addressees = _addressees(ls, next_i if title else 0)
    date, date_i = _issue_date(ls, max(next_i, 1) if title else 1, doc_number)
    if not issuer and date_i >= 0:
        sig = _signature(ls, date_i)
        if sig:
            issuer, issuer_line = short_issuer(sig), sig
    # what a portal's header states fills what the page's own layout did not give
    if not title and portal.get("title"):
        title = portal["title"]
    run_on = _REPOSTED_TITLE.match(title) if title else None
    if run_on and len(run_on.group("title")) < len(title):
        # a reposted title with its 文号 run on after it: the number is the document's own
        run_on_nums = find_doc_numbers(title[run_on.end("title"):])
        doc_number = doc_number or (run_on_nums[0][0] if run_on_nums else "")
        title = run_on.group("title")
    if not doc_number and portal.get("doc_number"):
        nums = find_doc_numbers(portal["doc_number"])
        doc_number = nums[0][0] if nums else ""
    if not issuer and title_i >= 0:
        # the title may stand several times (a law site's heading, its record, the text)
        beside = ""
        for k in [title_i] + [k for k, x in enumerate(ls[:HEAD_LINES * 2]) if k != title_i and x == ls[title_i]]:
            beside = beside or _body_beside(ls, k)
        beside = beside or _title_body(title)
        if beside:
            issuer, issuer_line = short_issuer(beside), beside
    if not issuer and portal.get("issuer"):
        issuer, issuer_line = short_issuer(portal["issuer"]), portal["issuer"]
    for key in ("date", "made"):
        if date is None and portal.get(key):
            iso = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", portal[key])   # portals write 2024-03-04
            try:
                date = dt.date(*map(int, iso.groups())) if iso else (
                    parse_date(portal[key]) or _garbled_date(portal[key]))
            except ValueError:
                date = None
    if not issuer and doc_number:
        prefix = doc_number.split("〔", 1)[0]
        issuer = issuer_from_doc_number_prefix(prefix)
    if title and not doc_number and mast_i < 0 and not title.startswith("关于") and not _TITLE_END.search(title):
        lead, lead_i = _lead_headline(ls)
        if lead and lead_i == title_i:
            # a news report's headline (its lead "本网讯 ……" under it): it reports an event and is
            # no document's title (DocMeta.headline keeps it); the page's text is the body
            title, title_i, next_i, addressees = "", -1, 0, ()
    body = "\n".join(ls)
    if title:
        start = after_addressees if addressees else max(next_i, 0)
        end = len(ls)
        if date_i > start and date_i >= len(ls) - 6:    # a date in the foot, not in the text
            end = date_i
            while end - 1 > start and date_i - end < 3 and len(ls[end - 1]) <= 30 and _ORG_END.search(ls[end - 1]):
                end -= 1        # the 落款: one body, or several for a joint document
        foot = [k for k in range(start, end) if _FOOT.match(ls[k])]
        end = min([end, *foot])
        body = "\n".join(ls[start:end])
    return DocMeta(issuer=issuer, issuer_line=issuer_line, doc_number=doc_number, title=title,
                   issue_date=date, addressees=addressees, body=body,
                   headline="" if title else _headline(ls))


# the lead of a news report, where its first paragraph begins: "本网讯", "本报讯", "肇庆网讯",
# "中国质量新闻网讯", "XX日报讯（记者 …）", "新华社……电", "（记者 … 通讯员 …）"
_NEWS_LEAD = re.compile(
    r"^[（(【\[]?\s*(?:本报讯|本网讯|本台讯|[\u4e00-\u9fffA-Za-z]{1,16}?(?:网|报|台|客户端|电视台|融媒)讯|"
    r"新华社[\u4e00-\u9fff]{0,10}电|[（(]\s*(?:记者|通讯员)\s)")


def _lead_headline(lines: list[str]) -> tuple[str, int]:
    """A news report's headline: the line standing over its lead ("本网讯 ……", "XX网讯（记者
    ……）……"), past the site's publishing lines and a date; (headline, its index) or ("", -1)."""
    for k, line in enumerate(lines[:HEAD_LINES]):
        if not _NEWS_LEAD.match(line.strip()):
            continue
        for j in range(k - 1, -1, -1):
            above = lines[j].strip()
            if not above or _NOISE.search(above) or _DATE_LINE.match(above.replace(" ", "")):
                continue
            if 4 <= len(above) <= 60 and not above.endswith(("。", "；", "，", "：", ":")) \
                    and not _NEWS_LEAD.match(above):
                return above, j
            break
        break
    return "", -1


def _headline(lines: list[str]) -> str:
    """The first line of the head that reports an event the way a news item's headline does
    (……召开……会议, ……举行……仪式, ……开展……活动), short and not a sentence; or the line over a
    news report's lead (_lead_headline)."""
    lead, _ = _lead_headline(lines)
    if lead:
        return lead
    for line in lines[:HEAD_LINES]:
        bare = line.strip()
        if not bare or _NOISE.search(bare) or _DATE_LINE.match(bare.replace(" ", "")):
            continue
        if 6 <= len(bare) <= 60 and not bare.endswith(("。", "；", "，", "：", ":")) \
                and _NEWS_HEADLINE.search(bare):
            return bare
    return ""


# the 版记 and a 简报's distribution line: who gets copies, who printed it
_FOOT = re.compile(r"^(?:抄送|抄报|报[：:]|送[：:]|分送|发[：:]|.{2,40}\d{4}年\d{1,2}月\d{1,2}日印发)")
