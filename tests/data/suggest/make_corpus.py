"""Generate the labelled placing corpus from spec.py: deterministic (seeded), written at
test or benchmark time so the repository keeps only this script, the spec and labels.json.

    python tests/data/suggest/make_corpus.py OUTDIR [--no-pdf]

Writes OUTDIR/files/<department folder or root>/<name> for every document, a sidecar
OUTDIR/truth/<n>.txt with the text rendered into every image (photos and scans, so ranking
can be measured apart from OCR), and OUTDIR/labels.json (one record per document: file,
indicator codes, kind, format, family, split, whether its name is meaningless, and the
metadata a 红头文件 carries). The split is by family (document kind x layout variant) and is
fixed here, before any tuning: every variant-"b" family is held out.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20230915
HELD_OUT_VARIANT = "b"
FONT_DIR = Path("/usr/share/fonts/opentype/noto")


def load_spec():
    """spec.py beside this script (tests/data is not a package)."""
    s = importlib.util.spec_from_file_location("suggest_corpus_spec", HERE / "spec.py")
    mod = importlib.util.module_from_spec(s)
    assert s.loader is not None
    sys.modules["suggest_corpus_spec"] = mod
    s.loader.exec_module(mod)
    return mod


@dataclass
class Doc:
    """One labelled document of the corpus."""

    n: int
    file: str                   # relative to OUTDIR/files
    codes: list[str]
    kind: str                   # r m l p s
    format: str                 # docx xlsx pdf jpg
    family: str                 # kind + layout variant, e.g. "r_a"
    split: str                  # "tune" or "held_out"
    meaningless_name: bool
    department: str
    title: str
    truth: str = ""             # sidecar text file (images and scanned PDFs), relative to OUTDIR
    meta: dict = field(default_factory=dict)   # issuer, doc_number, title, issue_date, addressees


_CN_DIGIT = "〇一二三四五六七八九"


def cn_date(d: dt.date) -> str:
    """2023-05-08 -> 二〇二三年五月八日."""
    def num(n: int) -> str:
        if n < 10:
            return _CN_DIGIT[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGIT[tens]) + "十" + (_CN_DIGIT[ones] if ones else "")
    return "".join(_CN_DIGIT[int(c)] for c in str(d.year)) + f"年{num(d.month)}月{num(d.day)}日"


ADDRESSEES = [
    ("各乡镇人民政府、街道办事处，县直各部门、单位：", ("各乡镇人民政府", "街道办事处", "县直各部门", "单位")),
    ("各乡镇（街道）市场监管所，局机关各科室：", ("各乡镇（街道）市场监管所", "局机关各科室")),
    ("县质量强县工作领导小组各成员单位：", ("县质量强县工作领导小组各成员单位",)),
    ("各乡镇人民政府，县直有关部门：", ("各乡镇人民政府", "县直有关部门")),
]


def _wrap(title: str, width: int = 22) -> list[str]:
    if len(title) <= width:
        return [title]
    cut = len(title) // 2 + 1
    return [title[:cut], title[cut:]]


def redhead_lines(spec, doc: Doc, rng: random.Random, sentences: list[str], own: str,
                  items: list[str]) -> list[str]:
    """The lines of a 红头文件 (GB/T 9704 layout A: "…文件" masthead; B: a letter with the
    body's name as masthead and the date in Chinese numerals)."""
    full, prefix = spec.DEPARTMENTS[doc.department]
    number = rng.randint(2, 86)
    date = dt.date(2023, rng.randint(2, 11), rng.randint(1, 28))
    variant = doc.family[-1]
    addr_line, addr = ADDRESSEES[rng.randrange(len(ADDRESSEES))]
    if variant == "c":
        return _joint_redhead(spec, doc, rng, own, full, prefix, number, date, addr_line, addr)
    if variant == "d":
        return _notice_d(spec, doc, rng, own, full, prefix, number)
    if variant == "e":
        return _notice_e(spec, doc, rng, own, full, prefix, number, items)
    if variant == "f":
        return _notice_f(spec, doc, rng, own, full, prefix, number)
    if variant == "a":
        masthead, doc_number = f"{full}文件", f"{prefix}〔2023〕{number}号"
        num_line = doc_number
        date_text = f"{date.year}年{date.month}月{date.day}日"
    else:
        masthead, doc_number = full, f"{prefix.replace('发', '函')}〔2023〕{number}号"
        num_line = f"{doc_number}" if rng.random() < 0.5 else f"{doc_number}　　　　签发人：王立新"
        date_text = cn_date(date)
    body = [rng.choice(spec.BOILERPLATE_OPEN)]
    picked = sentences[:] if len(sentences) <= 2 else rng.sample(sentences, 2)
    body += picked
    if own:
        body.append(own)
    heads = "一二三四五六"
    for k, item in enumerate(items[:3]):
        body.append(f"{heads[k]}、{item}")
        body.append(f"按照职责分工抓好{item}各项工作，{rng.choice(['按月调度', '按季度通报', '年底前完成'])}。")
    body.append(rng.choice(spec.BOILERPLATE_CLOSE))
    lines = [masthead, num_line, *_wrap(doc.title), addr_line, *body]
    if rng.random() < 0.4:
        lines.append("附件：1.工作任务清单")
    lines += [full, date_text, "（此件公开发布）"]
    print_date = date + dt.timedelta(days=rng.randint(0, 3))
    lines += ["抄送：县委办公室，县人大常委会办公室，县政协办公室。",
              f"{full if full.endswith('办公室') else full + '办公室'}　　　　"
              f"{print_date.year}年{print_date.month}月{print_date.day}日印发"]
    doc.meta = {"issuer": doc.department, "doc_number": doc_number, "title": doc.title,
                "issue_date": date.isoformat(), "addressees": list(addr)}
    return lines


HELD2_OPEN = [
    "按照县委、县政府关于质量强县创建的总体部署，经研究，现就有关事项通知如下。",
    "为切实做好当前工作，根据上级有关要求，结合工作实际，特制定以下安排。",
]
HELD2_CLOSE = [
    "请各单位按照要求认真组织实施，并于规定时间内将落实情况书面报送。",
    "执行中的问题请及时与牵头单位联系。",
]


def _joint_redhead(spec, doc: Doc, rng: random.Random, own: str, full: str, prefix: str, number: int,
                   date: dt.date, addr_line: str, addr: tuple[str, ...]) -> list[str]:
    """Layout C: a joint document, the bodies stacked above one "文件"; heading numbers as 1. 2."""
    other = "县市场监管局" if doc.department != "县市场监管局" else "县财政局"
    doc_number = f"{prefix}〔2023〕{number}号"
    lines = [full, spec.DEPARTMENTS[other][0], "文件", doc_number, doc.title, addr_line,
             rng.choice(HELD2_OPEN), *([own] if own else []), rng.choice(HELD2_CLOSE),
             full, spec.DEPARTMENTS[other][0], f"{date.year}年{date.month}月{date.day}日"]
    doc.meta = {"issuer": doc.department, "doc_number": doc_number, "title": doc.title,
                "issue_date": date.isoformat(), "addressees": list(addr)}
    return lines


def _notice_d(spec, doc: Doc, rng: random.Random, own: str, full: str, prefix: str,
              number: int) -> list[str]:
    """Layout D (held_out_3): a department notice of 2024, "各有关单位：", headings （一）（二）,
    "特此通知。", a 联系人 line; 文号 with 字 (青市监字〔2024〕N号)."""
    date = dt.date(2024, rng.randint(2, 11), rng.randint(1, 28))
    doc_number = f"{prefix.replace('发', '字')}〔2024〕{number}号"
    lines = [f"{full}文件", doc_number, *_wrap(doc.title), "各有关单位：",
             rng.choice(HELD3_OPEN), "一、工作目标", *([own] if own else []),
             "二、工作要求", f"（一）{rng.choice(HELD3_REQ)}", f"（二）{rng.choice(HELD3_REQ2)}",
             "特此通知。", f"联系人：{rng.choice(['孙晓燕', '周海涛', '吴敏'])}，联系电话：0539-{rng.randint(6000000, 6999999)}",
             full, f"{date.year}年{date.month}月{date.day}日"]
    doc.meta = {"issuer": doc.department, "doc_number": doc_number, "title": doc.title,
                "issue_date": date.isoformat(), "addressees": ["各有关单位"]}
    return lines


def _notice_e(spec, doc: Doc, rng: random.Random, own: str, full: str, prefix: str,
              number: int, items: list[str]) -> list[str]:
    """Layout E (held_out_4): a department office's 函-style notice of 2025 (the office's
    name as masthead, no "文件"), a short cover text and the plan attached: 附件 / the plan's
    title / 一、工作目标 二、重点任务 三、时间安排 （一）动员部署阶段（dates）… 四、工作要求."""
    date = dt.date(2025, rng.randint(2, 11), rng.randint(1, 28))
    addr_line, addr = rng.choice([("各市场监管所，局机关各科室：", ["各市场监管所", "局机关各科室"]),
                                  ("各乡镇（街道），县直有关部门：", ["各乡镇（街道）", "县直有关部门"]),
                                  ("各有关单位：", ["各有关单位"])])
    office = full if full.endswith(("办公室", "协会", "中心", "监管站")) else full + "办公室"
    doc_number = f"{prefix.replace('发', '办函')}〔2025〕{number}号"
    plan_title = doc.title.replace("关于", "", 1)
    for tail in ("的通知", "的通报", "的公示"):
        plan_title = plan_title.removesuffix(tail)
    lines = [office, doc_number, *_wrap(doc.title), addr_line,
             rng.choice(HELD4_OPEN), *([own] if own else []),
             "请结合实际认真组织实施。",
             f"附件：{plan_title}工作方案", office, f"{date.year}年{date.month}月{date.day}日",
             "附件", f"{plan_title}工作方案", "一、工作目标",
             rng.choice(["通过集中整治，推动问题隐患动态清零，形成长效机制。",
                         "通过本次工作，进一步规范经营行为，提升服务水平。"]),
             "二、重点任务"]
    for k, item in enumerate(items[:3]):
        lines.append(f"（{'一二三'[k]}）{item}。")
    lines += ["三、时间安排",
              f"（一）动员部署阶段（{date.year}年{date.month}月{date.day}日前）。",
              "（二）组织实施阶段。各单位按照方案开展工作，建立工作台账。",
              "（三）总结提升阶段。各单位于年底前报送工作总结。",
              "四、工作要求", rng.choice(HELD4_REQ)]
    # the masthead is the office: its short form keeps 办公室 (README rule 5)
    issuer = doc.department if office == full else doc.department + "办公室"
    doc.meta = {"issuer": issuer, "doc_number": doc_number, "title": doc.title,
                "issue_date": date.isoformat(), "addressees": addr}
    return lines


def _notice_f(spec, doc: Doc, rng: random.Random, own: str, full: str, prefix: str,
              number: int) -> list[str]:
    """Layout F (held_out_5): a 2026 document. An 答复 to a 人大建议 / 政协提案 (签发人 and
    "A类" on the 文号 line, the deputy as addressee, "现答复如下：", 一是…二是…, "感谢您…",
    落款, date, 联系单位/联系人 under the date, 抄送 the 人大/政协 office), else a notice whose
    date is followed by "（联系人：… 电话：…）" and "公开方式：主动公开"; body points 一是/二是/三是."""
    date = dt.date(2026, rng.randint(2, 11), rng.randint(1, 28))
    if "答复" in doc.title:
        who = rng.choice(["王建华代表", "李秀梅委员", "赵德胜代表"])
        doc_number = f"{prefix.replace('发', '建复' if '代表' in who else '提复')}〔2026〕{number}号"
        lines = [full, f"{rng.choice(['A类', 'B类'])}　　{doc_number}　　签发人：{rng.choice(['刘志强', '陈卫东'])}",
                 *_wrap(doc.title), f"{who}：",
                 "您提出的建议收悉。我单位高度重视，认真研究办理，现答复如下：",
                 *([own] if own else []),
                 "一是加强部门协作，明确责任分工；二是强化政策支持，落实配套资金；三是跟踪推进落实，定期通报进展。",
                 "感谢您对我县相关工作的关心和支持，欢迎继续提出宝贵意见。",
                 full, f"{date.year}年{date.month}月{date.day}日",
                 f"（联系单位：{full}　联系人：{rng.choice(['孙晓燕', '周海涛'])}　联系电话：0539-{rng.randint(6000000, 6999999)}）",
                 f"抄送：{'县人大常委会人事代表工作委员会' if '代表' in who else '县政协提案委员会'}，县政府督查室。"]
        doc.meta = {"issuer": doc.department, "doc_number": doc_number, "title": doc.title,
                    "issue_date": date.isoformat(), "addressees": [who]}
        return lines
    doc_number = f"{prefix}〔2026〕{number}号"
    addr_line, addr = rng.choice([("各乡镇人民政府、街道办事处，县直有关部门：", ["各乡镇人民政府", "街道办事处", "县直有关部门"]),
                                  ("各有关企业：", ["各有关企业"]),
                                  ("各会员单位：", ["各会员单位"])])
    lines = [full, doc_number, *_wrap(doc.title), addr_line,
             rng.choice(HELD5_OPEN), *([own] if own else []),
             "一是提高思想认识，把此项工作摆上重要位置；二是细化工作措施，明确时间节点；三是加强督导检查，确保取得实效。",
             "请遵照执行。", full, f"{date.year}年{date.month}月{date.day}日",
             f"（联系人：{rng.choice(['吴敏', '郑磊', '冯雪'])}　电话：0539-{rng.randint(6000000, 6999999)}）",
             "公开方式：主动公开"]
    doc.meta = {"issuer": doc.department, "doc_number": doc_number, "title": doc.title,
                "issue_date": date.isoformat(), "addressees": addr}
    return lines


HELD5_OPEN = [
    "为贯彻落实上级部署要求，推动我县高质量发展，结合本县实际，现将有关事项通知如下。",
    "经研究决定，现就做好相关工作明确如下，请结合各自职责抓好落实。",
]


HELD4_OPEN = [
    "根据上级部门年度工作安排，经研究，决定在全县开展此项工作，现将方案印发给你们，请认真贯彻执行。",
    "为切实履行监管职责，保障群众合法权益，经局务会研究，现就有关工作安排如下。",
]
HELD4_REQ = ["各单位要落实专人，每月25日前将工作进展报送牵头科室，逾期未报的予以通报。",
             "工作中要坚持依法行政，规范执法程序，做好执法记录和资料归档。"]


HELD3_OPEN = [
    "为进一步夯实工作基础，推动相关工作规范有序开展，根据上级部门工作部署，现将有关事项通知如下：",
    "按照年度工作计划安排，经局党组研究同意，决定开展本项工作，现将具体事项通知如下：",
]
HELD3_REQ = ["加强组织协调。各单位要确定一名分管负责同志具体抓落实。",
             "压实工作责任。要逐项明确责任人和完成时间，做到件件有着落。"]
HELD3_REQ2 = ["及时报送信息。工作进展情况请于每月底前通过电子邮件报送。",
              "注重总结提炼。对工作中形成的好经验好做法要及时总结。"]


def minutes_lines(spec, doc: Doc, rng: random.Random, sentences: list[str], own: str,
                  items: list[str]) -> list[str]:
    """Minutes (layout a: 会议纪要 with 时间/地点/参会; b: a work report or summary)."""
    full, _ = spec.DEPARTMENTS[doc.department]
    date = dt.date(2023, rng.randint(2, 11), rng.randint(1, 28))
    if doc.family.endswith("d"):     # held_out_3: a department office's 会议纪要
        office = full if full.endswith("办公室") else full + "办公室"
        lines = ["会 议 纪 要", f"第{rng.randint(1, 12)}期", f"{office}　　　　2024年{date.month}月{date.day}日",
                 doc.title,
                 f"2024年{date.month}月{date.day}日，{rng.choice(['分管副县长', '局长', '常务副县长'])}主持召开会议。"
                 "现将会议议定事项纪要如下：",
                 "会议指出，前一阶段各项工作总体进展顺利，但仍有个别单位进度滞后。"]
        if own:
            lines.append(own)
        for k, item in enumerate(items[:3]):
            lines.append(f"{'一二三'[k]}、会议明确，{item}，由责任单位于月底前完成。")
        lines += ["会议要求，各单位要按照会议议定事项抓好落实。",
                  "参会人员：" + "、".join(rng.sample(["孙晓燕", "周海涛", "吴敏", "郑磊", "冯雪", "韩冬"], 4)),
                  f"分送：各参会单位　　　　{office}"]
        return lines
    if doc.family.endswith("e"):     # held_out_4: a report to the superior, or an application form
        if doc.title.endswith("申报表"):
            return [doc.title, "申报组织（盖章）：青河华泰纺织有限公司",
                    "统一社会信用代码：91371321MA3C7X2K5D", "法定代表人：刘建民　　联系人：孙晓燕",
                    "申报类别：制造业　　从业人员：386人", "组织概述",
                    "公司主要生产棉纺织品，年营业收入4.6亿元，产品出口二十余个国家和地区。",
                    *([own] if own else []), "自我评价",
                    "对照卓越绩效评价准则，组织在领导、战略、顾客与市场、资源、过程管理、测量分析与改进、"
                    "结果七个方面进行了自评，自评得分612分。",
                    "申报组织承诺：所填内容及提交材料真实有效。", f"2025年{date.month}月{date.day}日"]
        lines = [doc.title, "县市场监督管理局：" if doc.department != "县市场监管局" else "县人民政府：",
                 rng.choice(["根据工作安排，我单位认真组织开展了相关工作，现将有关情况报告如下。",
                             "按照年初确定的工作目标，现将上半年工作开展情况报告如下。"]),
                 "一、基本情况", *([own] if own else []), "二、主要措施"]
        lines += [f"{k + 1}.{item}。" for k, item in enumerate(items[:3])]
        lines += ["三、下一步工作", "继续加强日常监管，巩固工作成效。", "特此报告。",
                  full, f"2025年{date.month}月{date.day}日"]
        return lines
    if doc.family.endswith("f"):     # held_out_5: a questionnaire, or a report dated under its title
        if "问卷" in doc.title:
            lines = [doc.title, "尊敬的居民朋友：为了解您对本县质量状况的感受，特开展本次调查，问卷不记名，请如实填写。",
                     "一、基本信息", "1.您的性别：□男　□女", "2.您的年龄：□18-30岁　□31-50岁　□51岁以上",
                     "二、调查内容", f"3.{own}" if own else "3.您对本县产品质量的总体评价："]
            lines.append("　".join("□" + x for x in items))
            lines += ["4.您近一年是否遇到过质量问题：□是　□否", "5.您对本县质量工作的意见和建议：",
                      f"{full}　　2026年{date.month}月"]
            return lines
        lines = [doc.title, f"（2026年{date.month}月{date.day}日）", full,
                 "一、基本情况", *([own] if own else []), "二、主要做法及成效"]
        lines += [f"（{'一二三'[k]}）{item}。{rng.choice(['做法已在全县推广。', '取得明显成效。'])}"
                  for k, item in enumerate(items[:3])]
        lines += ["三、存在的问题", "部分单位重视程度不够，基础资料不够规范。",
                  "四、下一步工作打算", "坚持问题导向，进一步完善工作机制。"]
        return lines
    if doc.family.endswith("c"):
        return ["青河县质量强县工作简报", f"第{rng.randint(2, 20)}期",
                f"青河县质量强县工作领导小组办公室编　　　　{date.year}年{date.month}月{date.day}日",
                doc.title, f"近日，{full}{rng.choice(['组织开展了', '召开了', '推进了'])}相关工作。",
                *([own] if own else []), "下一步，将持续跟踪推进，确保取得实效。",
                "报：县委、县政府主要领导　送：领导小组各成员单位"]
    if doc.family.endswith("a"):
        lines = [doc.title, f"（{date.year}年第{rng.randint(1, 9)}期）",
                 f"{date.year}年{date.month}月{date.day}日上午，在县政府三楼会议室召开会议。",
                 "参加人员：县政府办公室、县市场监管局、县财政局等单位负责同志。",
                 "会议听取了有关单位工作情况汇报，研究了下一步工作。现将会议议定事项纪要如下："]
        lines += sentences + ([own] if own else [])
        for k, item in enumerate(items[:3], 1):
            lines.append(f"{k}．关于{item}。会议要求责任单位抓紧推进，按期完成。")
        lines.append("出席：张建国　李明华　王立新　　记录：赵静")
    else:
        lines = [doc.title, full, ""]
        lines += ["今年以来，在县委、县政府的坚强领导下，我们认真履行职责，各项工作取得积极成效。"
                  "现将有关情况报告如下。",
                  "一、工作开展情况", *sentences, *([own] if own else []),
                  "二、主要做法", *(f"（{'一二三'[k]}）{item}。" for k, item in enumerate(items[:3])),
                  "三、存在问题和下一步打算",
                  "对照创建标准，仍存在基础工作不够扎实等问题，下一步将持续用力、补齐短板。",
                  full, f"{date.year}年{date.month}月{date.day}日"]
    return lines


def ledger_rows(doc: Doc, rng: random.Random, items: list[str], spec) -> tuple[list[str], list[list]]:
    """Header and rows of a 台账."""
    units = ["青河华泰纺织有限公司", "青河县鲁源食品有限公司", "青河县城关街道", "青河县马站镇",
             "青河宏达机械制造有限公司", "青河县人民医院", "青河县第一中学", "青河县泉庄镇"]
    if doc.family.endswith("d"):     # held_out_3: a topic ledger, its columns are its own
        header = ["编号", "单位名称", "事项", "日期", "经办人", "状态"]
        rows = [[f"QH-2024-{k + 1:03d}", rng.choice(units), items[k % len(items)],
                 dt.date(2024, rng.randint(1, 12), rng.randint(1, 28)).strftime("%Y年%m月%d日"),
                 rng.choice(["孙晓燕", "周海涛", "吴敏", "郑磊"]), rng.choice(["正常", "已办结", "跟踪中"])]
                for k in range(rng.randint(5, 12))]
        return header, rows
    if doc.family.endswith("e") and not any(w in doc.title for w in ("排查", "检查", "治理", "监测", "检测")):
        # held_out_4: a register (名录, 汇总表, 统计表, 登记表) has its own columns
        header = ["序号", "单位名称", "项目", "数量或结果", "登记日期", "备注"]
        rows = [[k + 1, rng.choice(units), items[k % len(items)], rng.choice(["1", "2", "3", "合格", "有效"]),
                 dt.date(2025, rng.randint(1, 12), rng.randint(1, 28)).strftime("%Y/%m/%d"), ""]
                for k in range(rng.randint(5, 12))]
        return header, rows
    if doc.family.endswith("e"):     # held_out_4: a 排查/检查 ledger with closing-off columns
        header = ["排查日期", "排查对象", "隐患或问题描述", "整改措施", "责任人", "整改时限", "复查销号"]
        rows = [[dt.date(2025, rng.randint(1, 12), rng.randint(1, 28)).strftime("%Y/%m/%d"), rng.choice(units),
                 items[k % len(items)], rng.choice(["立即整改", "限期整改", "停止使用", "责令改正"]),
                 rng.choice(["孙晓燕", "周海涛", "吴敏", "郑磊"]), f"{rng.randint(3, 30)}日",
                 rng.choice(["已销号", "未销号"])] for k in range(rng.randint(5, 12))]
        return header, rows
    if doc.family.endswith("f"):     # held_out_5: a budget table, a score sheet, or a township ledger
        if "预算" in doc.title:
            header = ["功能科目编码", "项目名称", "预算数（万元）", "其中：财政拨款", "备注"]
            rows = [[f"20138{k:02d}", items[k % len(items)], rng.choice([300, 80, 45, 120]),
                     rng.choice([300, 80, 45, 120]), ""] for k in range(len(items) + 2)]
            return header, rows
        if "分值" in doc.title:
            header = ["考核项目", "考核内容", "分值", "自评得分", "扣分原因"]
            rows = [[items[k % len(items)], rng.choice(["组织领导", "质量安全", "质量基础", "质量发展"]),
                     rng.choice([5, 10, 15]), rng.choice([4.5, 9, 14]), rng.choice(["", "资料不全"])]
                    for k in range(rng.randint(6, 10))]
            return header, rows
        header = ["序号", "乡镇（街道）", "单位名称", "内容", "时间", "经办人", "备注"]
        rows = [[k + 1, rng.choice(["城关街道", "马站镇", "泉庄镇", "杨庄镇"]), rng.choice(units),
                 items[k % len(items)], dt.date(2026, rng.randint(1, 12), rng.randint(1, 28)).strftime("%m月%d日"),
                 rng.choice(["孙晓燕", "周海涛", "吴敏", "郑磊"]), ""] for k in range(rng.randint(5, 12))]
        return header, rows
    if doc.family.endswith("c"):
        header = ["月份", "检查对象", "发现问题", "整改措施", "整改结果"]
        problems = ["资料不全", "记录不规范", "标识不清", "未发现问题"]
        rows = [[f"{rng.randint(1, 12)}月", rng.choice(units), rng.choice(problems),
                 rng.choice(["限期整改", "当场整改", "约谈提醒"]), rng.choice(["已整改", "整改中"])]
                for _ in range(rng.randint(6, 14))]
        return header, rows
    if doc.family.endswith("a"):
        header = ["序号", "单位名称", "工作内容", "完成时间", "责任人", "备注"]
    else:
        header = ["序号", "乡镇（街道）/企业", "事项", "进展情况", "完成时限", "佐证材料"]
    rows = []
    for k in range(rng.randint(6, 14)):
        item = items[k % len(items)]
        when = dt.date(2023, rng.randint(1, 12), rng.randint(1, 28)).strftime("%Y-%m-%d")
        person = rng.choice(["张伟", "王芳", "李强", "刘洋", "陈静", "杨帆"])
        if doc.family.endswith("a"):
            rows.append([k + 1, rng.choice(units), item, when, person, ""])
        else:
            rows.append([k + 1, rng.choice(units), item, rng.choice(["已完成", "推进中", "已整改"]), when,
                         rng.choice(["照片", "台账", "文件"])])
    return header, rows


# --- writers -------------------------------------------------------------------------------


def write_docx(path: Path, lines: list[str], doc: Doc) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "FangSong"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    style.font.size = Pt(16)
    for i, line in enumerate(lines):
        p = d.add_paragraph()
        run = p.add_run(line)
        if doc.kind in "rs" and i == 0:
            run.font.color.rgb = RGBColor(0xE0, 0, 0)
            run.font.size = Pt(30)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif line in _wrap(doc.title) or line == doc.title:
            run.font.size = Pt(22)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.save(str(path))


def write_xlsx(path: Path, doc: Doc, header: list[str], rows: list[list]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if doc.family.endswith("b"):
        ws.append(["附件2"])
    if doc.family.endswith("e"):    # the year as the sheet's name, a signing footer
        ws.title = "2025年"
    if doc.family.endswith("f"):    # held_out_5: the sheet named 台账, a stamp line, amounts in 万元
        ws.title = "台账"
    ws.append([doc.title])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(header))
    ws.append([f"填报单位：{doc.department}", "", "", "", f"填报日期：2023年{len(rows)}月"])
    ws.append(header)
    for r in rows:
        ws.append(r)
    if doc.family.endswith("e"):
        ws.append(["填表人：孙晓燕", "", "审核人：周海涛", "", "填表日期：2025年6月30日"])
    else:
        ws.append(["注：本表由牵头单位汇总，每月5日前报县质量强县办。"])
    wb.save(str(path))


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    name = "NotoSerifCJK-Bold.ttc" if bold else "NotoSerifCJK-Regular.ttc"
    return ImageFont.truetype(str(FONT_DIR / name), size, index=2)


def render_page(lines: list[str], doc: Doc, dpi: int):
    """An A4 page of a 红头文件 at `dpi`, as a scanner sees it."""
    from PIL import Image, ImageDraw

    w, h = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("RGB", (w, h), "white")
    dr = ImageDraw.Draw(img)
    px = dpi / 72.0
    x0, y = int(28 / 25.4 * dpi), int(37 / 25.4 * dpi)
    body = _font(int(14 * px))
    for i, line in enumerate(lines):
        if i == 0:
            f = _font(int(26 * px), bold=True)
            tw = dr.textlength(line, font=f)
            dr.text(((w - tw) / 2, y), line, fill=(210, 20, 20), font=f)
            y += int(44 * px)
            continue
        if i == 1:
            tw = dr.textlength(line, font=body)
            dr.text(((w - tw) / 2, y), line, fill="black", font=body)
            y += int(24 * px)
            dr.line([(x0, y), (w - x0, y)], fill=(210, 20, 20), width=max(2, int(1.5 * px)))
            y += int(18 * px)
            continue
        f = _font(int(18 * px), bold=True) if line in _wrap(doc.title) else body
        # wrap long lines at the text block width
        width = w - 2 * x0
        chunk = ""
        for ch in line:
            if dr.textlength(chunk + ch, font=f) > width:
                dr.text((x0, y), chunk, fill="black", font=f)
                y += int(f.size * 1.6)
                chunk = ""
            chunk += ch
        if chunk:
            tw = dr.textlength(chunk, font=f)
            x = (w - tw) / 2 if f is not body else x0
            dr.text((x, y), chunk, fill="black", font=f)
            y += int(f.size * 1.6)
        if y > h - 2 * x0:
            break
    return img


def scanned(img, rng: random.Random):
    """Skew, noise, specks and the grey of a cheap scanner (Pillow only)."""
    from PIL import Image, ImageChops, ImageDraw

    img = img.convert("L").rotate(rng.uniform(-2.5, 2.5), resample=Image.BICUBIC, expand=False, fillcolor=255)
    # gaussian noise around 128 from the seeded generator (Image.effect_noise is not seeded)
    tile = Image.frombytes("L", (256, 256), bytes(
        max(0, min(255, int(128 + rng.gauss(0, 12)))) for _ in range(256 * 256)))
    noise = Image.new("L", img.size)
    for x in range(0, img.size[0], 256):
        for y in range(0, img.size[1], 256):
            noise.paste(tile, (x, y))
    img = ImageChops.add(img, noise, 1.0, -128)
    dr = ImageDraw.Draw(img)
    w, h = img.size
    for _ in range(int(w * h * 0.002)):
        dr.point((rng.randrange(w), rng.randrange(h)), fill=30)
    return img.point(lambda v: int(v * 0.92 + 12))


def phone_photo(img, rng: random.Random):
    """A printed page photographed by a phone on a desk: a mild perspective, uneven light
    (a shading gradient across the page) and a little blur (Pillow only)."""
    from PIL import Image, ImageChops, ImageFilter

    w, h = img.size
    dx, dy = int(w * rng.uniform(0.02, 0.05)), int(h * rng.uniform(0.01, 0.03))
    img = img.transform((w, h), Image.QUAD, (dx, dy, 0, h, w, h - dy, w - dx, 0),
                        resample=Image.BICUBIC, fillcolor=90)
    grad = Image.linear_gradient("L").resize((w, h)).point(lambda v: 255 - v // 4)
    img = ImageChops.multiply(img, grad)
    return img.filter(ImageFilter.GaussianBlur(0.7))


def render_photo(banner: str, caption: str, doc: Doc, rng: random.Random):
    """A meeting or event photo: people as blobs, the banner across the top."""
    from PIL import Image, ImageDraw, ImageFilter

    w, h = 1280, 960
    img = Image.new("RGB", (w, h), (rng.randint(150, 200), rng.randint(140, 190), rng.randint(120, 170)))
    dr = ImageDraw.Draw(img)
    for _ in range(40):
        x, y = rng.randint(0, w), rng.randint(h // 2, h)
        c = (rng.randint(20, 90), rng.randint(20, 90), rng.randint(40, 120))
        dr.ellipse([x - 40, y - 90, x + 40, y + 120], fill=c)
        dr.ellipse([x - 22, y - 140, x + 22, y - 90], fill=(230, 190, 160))
    red = doc.family.endswith("a")
    if doc.family.endswith("e"):     # held_out_4: a brass plaque, a desk's table banner or a roll-up, at an angle
        style = doc.n % 3
        if style == 0:      # plaque on a wall: dark red characters on gold
            dr.rectangle([0, 0, w, h], fill=(200, 196, 188))
            dr.rectangle([300, 60, w - 300, h - 60], fill=(196, 160, 70), outline=(120, 90, 30), width=12)
            text_lines = [doc.title[i:i + 11] for i in range(0, len(doc.title), 11)]
            f = _font(56, bold=True)
            y = 200
            for tl in text_lines:
                tw = dr.textlength(tl, font=f)
                dr.text(((w - tw) / 2, y), tl, fill=(140, 20, 20), font=f)
                y += int(f.size * 1.5)
        else:               # a consultation desk (table banner) or a roll-up stand in a square
            dr.rectangle([0, 0, w, h // 3], fill=(170, 200, 230))
            col = (230, 120, 20) if style == 1 else (30, 120, 70)
            dr.rectangle([80, 380, w - 80, 560], fill=col)
            size = 54
            while True:
                f = _font(size, bold=True)
                if dr.textlength(doc.title, font=f) < w - 220 or size < 26:
                    break
                size -= 4
            tw = dr.textlength(doc.title, font=f)
            dr.text(((w - tw) / 2, 440), doc.title, fill="white", font=f)
            dr.rectangle([120, 560, w - 120, 900], fill=(180, 20, 30))
        # taken at an angle: a mild perspective
        dx = rng.randint(30, 80)
        img = img.transform((w, h), Image.QUAD, (dx, 0, 0, h, w, h - dx // 2, w - dx // 3, dx // 2),
                            resample=Image.BICUBIC, fillcolor=(60, 60, 60))
        img = img.rotate(rng.uniform(-3, 3), resample=Image.BICUBIC, fillcolor=(60, 60, 60))
        return img.filter(ImageFilter.GaussianBlur(1.1))
    if doc.family.endswith("f"):     # held_out_5: a red banner and a 水印相机 stamp (time, place, note)
        dr.rectangle([40, 60, w - 40, 230], fill=(200, 20, 30))
        size = 60
        while True:
            f = _font(size, bold=True)
            if dr.textlength(banner, font=f) < w - 140 or size < 28:
                break
            size -= 4
        tw = dr.textlength(banner, font=f)
        dr.text(((w - tw) / 2, 110), banner, fill=(255, 240, 200), font=f)
        dr.rectangle([30, h - 230, 620, h - 30], fill=(30, 30, 30))
        dr.rectangle([30, h - 230, 44, h - 30], fill=(250, 200, 30))
        dr.text((60, h - 220), f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}", fill="white", font=_font(64, bold=True))
        dr.text((60, h - 140), f"2026.{rng.randint(1, 12):02d}.{rng.randint(1, 28):02d}　星期{rng.choice('一二三四五六')}",
                fill="white", font=_font(30))
        dr.text((60, h - 90), f"青河县·{rng.choice(['马站镇', '城关街道', '泉庄镇'])}", fill="white", font=_font(30))
        img = img.rotate(rng.uniform(-2.5, 2.5), resample=Image.BICUBIC, fillcolor=(40, 40, 40))
        return img.filter(ImageFilter.GaussianBlur(0.9))
    if doc.family.endswith("d"):     # held_out_3: a projected slide / LED screen above the room
        dr.rectangle([100, 40, w - 100, 470], fill=(10, 30, 90), outline=(30, 30, 30), width=10)
        size = 56
        while True:
            f = _font(size, bold=True)
            if dr.textlength(banner, font=f) < w - 300 or size < 28:
                break
            size -= 4
        tw = dr.textlength(banner, font=f)
        dr.text(((w - tw) / 2, 180), banner, fill=(250, 250, 250), font=f)
        dr.text((140, 380), "青河县　2024年", fill=(200, 200, 120), font=_font(30))
        img = img.rotate(rng.uniform(-4, 4), resample=Image.BICUBIC, fillcolor=(40, 40, 40))
        return img.filter(ImageFilter.GaussianBlur(1.0))
    if doc.family.endswith("c"):     # a white display board (展板) with a caption
        dr.rectangle([120, 80, w - 120, 520], fill=(245, 245, 240), outline=(60, 60, 60), width=6)
        f = _font(48, bold=True)
        tw = dr.textlength(banner, font=f)
        dr.text(((w - tw) / 2, 140), banner, fill=(20, 40, 120), font=f)
        if caption:
            dr.text((180, 260), caption, fill=(40, 40, 40), font=_font(32))
        return img.filter(ImageFilter.GaussianBlur(0.8))
    bh = 150
    dr.rectangle([40, 60, w - 40, 60 + bh], fill=(200, 20, 30) if red else (20, 60, 150))
    size = 64
    while True:
        f = _font(size, bold=True)
        if dr.textlength(banner, font=f) < w - 140 or size < 30:
            break
        size -= 4
    tw = dr.textlength(banner, font=f)
    dr.text(((w - tw) / 2, 60 + (bh - size) / 2 - 8), banner, fill=(255, 230, 80) if red else "white", font=f)
    if caption:
        f2 = _font(34)
        dr.text((60, 60 + bh + 20), caption, fill="white", font=f2)
    return img.filter(ImageFilter.GaussianBlur(0.8))


# --- the corpus ------------------------------------------------------------------------------

_MEANINGLESS = {
    "docx": ["附件{k}.docx", "新建 Microsoft Word 文档 ({k}).docx", "附件{k}（修改稿）.docx"],
    "xlsx": ["附件{k}.xlsx", "工作簿{k}.xlsx", "新建 Microsoft Excel 工作表.xlsx"],
    "pdf": ["扫描件{k:03d}.pdf", "附件{k}.pdf", "scan{k:04d}.pdf"],
    "jpg": ["IMG_2023{m:02d}{d:02d}_{t:06d}.jpg", "微信图片_2023{m:02d}{d:02d}{t:06d}.jpg", "DSC_{t:04d}.jpg"],
}


def plan(spec) -> list[Doc]:
    """Every document with its kind, format, family, split and name (no files yet)."""
    rng = random.Random(SEED)
    docs: list[Doc] = []
    entries: list[tuple[str, str, str, list[str]]] = []
    for code, ind in spec.INDICATORS.items():
        for kind, title, own in ind[8]:
            entries.append((kind, title, own, [code]))
    for kind, title, own, codes in spec.MULTI:
        entries.append((kind, title, own, list(codes)))
    second = len(entries)
    for codes2, kind, title, own in spec.HELD_OUT_2:
        entries.append((kind, title, own, list(codes2)))
    third = len(entries)
    held3_items: dict[int, list[str]] = {}
    for codes3, kind, title, own, items3 in spec.HELD_OUT_3:
        held3_items[len(entries)] = list(items3)
        entries.append((kind, title, own, list(codes3)))
    fourth = len(entries)
    held4_dept: dict[int, str] = {}
    for codes4, kind, title, own, items4, dept4 in getattr(spec, "HELD_OUT_4", []):
        held3_items[len(entries)] = list(items4)
        held4_dept[len(entries)] = dept4
        entries.append((kind, title, own, list(codes4)))
    fifth = len(entries)
    for codes5, kind, title, own, items5, dept5 in getattr(spec, "HELD_OUT_5", []):
        held3_items[len(entries)] = list(items5)
        held4_dept[len(entries)] = dept5
        entries.append((kind, title, own, list(codes5)))
    sixth = len(entries)
    for codes6, kind, title, own, items6, dept6 in getattr(spec, "HELD_OUT_6", []):
        held3_items[len(entries)] = list(items6)
        held4_dept[len(entries)] = dept6
        entries.append((kind, title, own, list(codes6)))
    seventh = len(entries)
    for codes7, kind, title, own, items7, dept7 in getattr(spec, "HELD_OUT_7", []):
        held3_items[len(entries)] = list(items7)
        held4_dept[len(entries)] = dept7
        entries.append((kind, title, own, list(codes7)))
    for n, (kind, title, own, codes) in enumerate(entries):
        variant = "b" if rng.random() < 0.35 else "a"
        if n >= second:
            variant = "c"
        if n >= third:
            variant = "d"
        if n >= fourth:
            variant = "e"
        if n >= fifth:
            variant = "f"
        if n >= sixth:          # held_out_6: the layouts of held_out_3/4/5 in turn (family g + layout)
            variant = "g" + "def"[(n - sixth) % 3]
        if n >= seventh:        # held_out_7: the same layouts in turn (family h + layout)
            variant = "h" + "def"[(n - seventh) % 3]
        fmt = {"r": "docx", "m": "docx", "l": "xlsx", "p": "jpg", "s": "jpg" if variant == "a" else "pdf"}[kind]
        if variant[0] in "defgh" and kind == "s":
            fmt = "jpg" if rng.random() < 0.5 else "pdf"
        if kind in "rm" and rng.random() < 0.3:
            fmt = "pdf"
        family = f"{kind}_{variant}" if not (kind in "rm" and fmt == "pdf") else f"{kind}pdf_{variant}"
        lead = spec.INDICATORS[codes[0]][3]
        dept = lead if (kind != "r" or rng.random() < 0.7) else "县政府办公室"
        if dept not in spec.DEPARTMENTS:
            dept = "县市场监管局"
        dept = held4_dept.get(n, dept)
        meaningless = rng.random() < 1 / 3
        if variant == "f":      # held_out_5: exactly every third file carries a meaningless name
            meaningless = (n - fifth) % 3 == 1
        if variant[0] == "g":   # held_out_6: exactly every third file, a different third
            meaningless = (n - sixth) % 3 == 2
        if variant[0] == "h":   # held_out_7: exactly every third file, the first of each three
            meaningless = (n - seventh) % 3 == 0
        if meaningless:
            pattern = rng.choice(_MEANINGLESS[fmt])
            name = pattern.format(k=rng.randint(1, 12), m=rng.randint(1, 12), d=rng.randint(1, 28),
                                  t=rng.randint(1000, 235959))
        else:
            stem = title
            if kind in "rs" and rng.random() < 0.3:
                stem = f"{spec.DEPARTMENTS[dept][0].replace('青河', '')}-{title}"
            if kind == "p":
                stem = title + "（照片）" if rng.random() < 0.5 else title
            name = f"{stem}.{fmt}"
        folder = dept if rng.random() < 0.5 else ""
        rel = f"{folder}/{n:03d}_{name}" if folder else f"{n:03d}_{name}"
        # the numeric prefix keeps names unique on disk; it is stripped from the text view
        docs.append(Doc(n=n, file=rel, codes=codes, kind=kind, format=fmt, family=family,
                        split={"a": "tune", HELD_OUT_VARIANT: "held_out", "c": "held_out_2", "d": "held_out_3",
                               "e": "held_out_4", "f": "held_out_5"}.get(
                            variant, "held_out_7" if variant[0] == "h" else "held_out_6"),
                        meaningless_name=meaningless, department=dept, title=title))
        docs[-1].meta = {"own": own}
        if n in held3_items:
            docs[-1].meta["items"] = held3_items[n]
    return docs


def display_name(doc: Doc) -> str:
    """The file name as the department saved it (without the corpus's uniqueness prefix)."""
    return Path(doc.file).name.split("_", 1)[1]


def build(out: Path, *, pdf: bool = True, only: list[int] | None = None) -> list[Doc]:
    """Write the corpus into `out` (files/, truth/, labels.json). `only`: a subset by number
    (tests); `pdf=False` skips LibreOffice (born-digital PDFs are then written as .docx)."""
    spec = load_spec()
    docs = plan(spec)
    if only is not None:
        docs = [d for d in docs if d.n in set(only)]
    files = out / "files"
    truth_dir = out / "truth"
    files.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    to_convert: list[tuple[Path, Path]] = []
    for doc in docs:
        rng = random.Random(SEED * 1000 + doc.n)
        ind = spec.INDICATORS[doc.codes[0]]
        own = doc.meta.pop("own", "")
        items3 = doc.meta.pop("items", None)
        # one of the indicator's sentences per document (documents of one indicator share
        # at most one sentence with half of the others, as letters on one topic do)
        sentences = [ind[6][doc.n % 2]] if len(doc.codes) == 1 else [spec.INDICATORS[c][6][0] for c in doc.codes]
        items = list(ind[7]) if len(doc.codes) == 1 else [spec.INDICATORS[c][7][0] for c in doc.codes]
        if doc.split == "held_out_2":       # its own words only: no sentence of the other parts
            sentences, items = [], []
        if doc.split in ("held_out_3", "held_out_4", "held_out_5", "held_out_6", "held_out_7"):       # its own words and rows only
            sentences, items = [], list(items3 or [])
        target = files / doc.file
        target.parent.mkdir(parents=True, exist_ok=True)
        if doc.kind in "rs":
            lines = redhead_lines(spec, doc, rng, sentences, own, items)
        elif doc.kind == "m":
            lines = minutes_lines(spec, doc, rng, sentences, own, items)
        else:
            lines = []
        if doc.kind == "l":
            header, rows = ledger_rows(doc, rng, items, spec)
            write_xlsx(target, doc, header, rows)
        elif doc.kind == "p":
            caption = f"{doc.department}供图　2023年{rng.randint(1, 12)}月" if doc.family[-1] in "bc" else ""
            if doc.family.endswith("d"):
                caption = ""
            img = render_photo(doc.title, caption, doc, rng)
            img.save(target, "JPEG", quality=80)
            doc.truth = f"truth/{doc.n:03d}.txt"
            (out / doc.truth).write_text("\n".join(x for x in (doc.title, caption) if x), encoding="utf-8")
        elif doc.kind == "s":
            dpi = 150 if doc.format == "jpg" else 200
            img = scanned(render_page(lines, doc, dpi), rng)
            if doc.family.endswith("e") and doc.format == "jpg":
                img = phone_photo(img, rng)
            if doc.format == "jpg":
                img.save(target, "JPEG", quality=70, dpi=(dpi, dpi))
            else:
                img.save(target, "PDF", resolution=float(dpi))
            doc.truth = f"truth/{doc.n:03d}.txt"
            seen = lines[:]
            if rng.random() < 0.3:   # what OCR makes of the 文号 brackets and a 0
                seen[1] = seen[1].replace("〔", "[").replace("〕", "]").replace("0", "O", 1)
            (out / doc.truth).write_text("\n".join(seen), encoding="utf-8")
        elif doc.format == "pdf" and pdf:
            src = target.with_suffix(".docx")
            write_docx(src, lines, doc)
            to_convert.append((src, target))
        else:
            if doc.format == "pdf":     # no LibreOffice wanted: keep it as Word
                doc.format = "docx"
                doc.file = str(Path(doc.file).with_suffix(".docx"))
                target = files / doc.file
            write_docx(target, lines, doc)
        if doc.kind not in "rs":
            doc.meta = {}
    if to_convert:
        _to_pdf(to_convert)
    (out / "labels.json").write_text(
        json.dumps([asdict(d) for d in docs], ensure_ascii=False, indent=1), encoding="utf-8")
    return docs


def _to_pdf(pairs: list[tuple[Path, Path]]) -> None:
    """Born-digital PDFs: LibreOffice converts the .docx files in one run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) is needed for the born-digital PDFs; use --no-pdf")
    with tempfile.TemporaryDirectory() as tmp:
        outdir = Path(tmp) / "out"
        profile = Path(tmp) / "profile"
        srcs = []
        for k, (src, _) in enumerate(pairs):
            s = Path(tmp) / f"{k:04d}.docx"
            shutil.move(str(src), s)
            srcs.append(s)
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(outdir), *map(str, srcs)],
                       check=True, capture_output=True, timeout=900)
        for k, (_, dst) in enumerate(pairs):
            shutil.move(str(outdir / f"{k:04d}.pdf"), dst)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--no-pdf", action="store_true")
    a = ap.parse_args(argv)
    docs = build(a.out, pdf=not a.no_pdf)
    print(f"{len(docs)} documents written to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
