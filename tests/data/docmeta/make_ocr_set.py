"""Make the labelled OCR set for docmeta: scans and phone photos of 红头文件, read by the real OCR.

    python tests/data/docmeta/make_ocr_set.py [--images DIR] [--only ID ...]

Renders 40 first pages (and an attachment page where the document has one) of official
documents in GB/T 9704-2012 layouts: a "……文件" masthead, a body's or an office's name as
masthead (函 style, 签发人 beside the 文号), joint mastheads, 文号 with 〔〕, 字/函/办函 numbers,
titles on one or two lines, 主送 lists of one to four bodies (or none, for a 公告), body text
citing other 文号 and deadlines, an attachment list, the 落款 right-aligned with its date in
figures or in Chinese numerals (some under a red seal), "（此件公开发布）", an attachment after
the signature with its own deadlines, and the 版记 (抄送, 印发). Each page is degraded as a cheap
scanner (skew, noise, specks) or a phone photo (perspective, shading, blur) sees it, saved as
JPEG, and read once by storage.reading.ocr; the text of the pages, joined as the application
joins them, is written with the labels to ocr_scans.json, so tests and benchmarks/docmeta.py
check docmeta without running OCR.

The split is by issuer family and fixed here, before any change to docmeta: the families in
HELD are measured, never looked at while fixing. Everything is seeded.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SEED = 20261207
OUT = HERE / "ocr_scans.json"
HARD_OUT = HERE / "ocr_scans_hard.json"     # --hard: made after the fixes, measured once, never tuned on
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
RED = (205, 25, 25)

# family: (full name, 文号 prefix, kind of masthead: "file" (……文件) / "name" (the name alone))
FAMILIES: dict[str, tuple[str, str, str]] = {
    "yishui_zfb": ("沂水县人民政府办公室", "沂政办发", "file"),
    "wuyi_zf": ("武义县人民政府", "武政发", "file"),
    "pingyin_scj": ("平阴县市场监督管理局", "平市监发", "file"),
    "pingyin_scjbgs": ("平阴县市场监督管理局办公室", "平市监办函", "name"),
    "jianhu_cz": ("建湖县财政局", "建财发", "file"),
    "huarong_gx": ("华容县工业和信息化局", "华工信发", "file"),
    "wenshang_jt": ("汶上县教育和体育局", "汶教体发", "name"),
    "lanling_zj": ("兰陵县住房和城乡建设局", "兰建字", "file"),
    "ningyang_ny": ("宁阳县农业农村局", "宁农发", "name"),
    "wulian_zqb": ("五莲县质量强县工作领导小组办公室", "五质强办发", "file"),
    "yishui_xwb": ("中共沂水县委办公室", "沂办发", "file"),
    "qinghe_wj": ("青河县卫生健康委员会", "青卫健发", "name"),
    "xujiahu_zf": ("沂水县许家湖镇人民政府", "许政发", "file"),
    "jianhu_sw": ("建湖县商务局", "建商务发", "name"),
    "wuyi_scjbgs": ("武义县市场监督管理局办公室", "武市监办", "name"),
    "ningyang_wl": ("宁阳县文化和旅游局", "宁文旅字", "file"),
}
# issuer families held out (measured once at the end, never looked at while fixing)
HELD = {"pingyin_scjbgs", "huarong_gx", "ningyang_ny", "wulian_zqb", "jianhu_sw"}

TOPICS = [
    ("开展质量提升行动", "质量提升行动实施方案"),
    ("做好2024年度质量强县创建工作", "质量强县创建工作任务分解表"),
    ("开展计量器具专项检查", "计量器具专项检查工作方案"),
    ("组织申报县长质量奖", "县长质量奖申报指南"),
    ("加强标准化工作", "标准化工作要点"),
    ("开展“质量月”活动", "“质量月”活动安排"),
    ("开展食品安全风险排查", "食品安全风险排查工作方案"),
    ("推进品牌建设", "品牌建设三年行动计划"),
    ("开展特种设备安全隐患排查整治", "特种设备安全隐患排查整治方案"),
    ("做好质量发展专项资金申报", "质量发展专项资金管理办法"),
    ("开展知识产权保护宣传周活动", "宣传周活动安排"),
    ("建立质量工作联络员制度", "质量工作联络员名单"),
]
KINDS = ["通知", "实施意见", "通知", "通知", "工作方案", "通知"]
ADDRESSEES = [
    ("各乡镇人民政府、街道办事处，县直各部门、单位：", "各乡镇人民政府、街道办事处、县直各部门、单位"),
    ("各乡镇人民政府，县直有关部门：", "各乡镇人民政府、县直有关部门"),
    ("各市场监管所，局机关各科室：", "各市场监管所、局机关各科室"),
    ("各有关单位：", "各有关单位"),
    ("县质量强县工作领导小组各成员单位：", "县质量强县工作领导小组各成员单位"),
    ("各村（居）委员会，镇直各单位：", "各村（居）委员会、镇直各单位"),
    ("各中小学校，局机关各股室：", "各中小学校、局机关各股室"),
]
OPENINGS = [
    "为深入贯彻落实《质量强国建设纲要》，根据《山东省人民政府办公厅关于开展质量提升行动的通知》"
    "（鲁政办发〔2023〕12号）要求，结合我县实际，现将有关事项通知如下。",
    "按照县委、县政府年度工作部署，经研究，决定在全县范围内开展此项工作，现就有关事项通知如下：",
    "为进一步提升全县质量工作水平，推动高质量发展，经县政府同意，现将有关工作安排如下。",
    "根据上级部门工作要求，结合本部门职责，现将具体工作安排通知如下。",
]
MIDDLE = [
    "一、提高思想认识。各单位要把此项工作摆上重要位置，主要负责同志亲自抓，分管负责同志具体抓。",
    "二、明确工作任务。各单位要对照任务分解表，逐项明确责任人和完成时限，确保按期完成。",
    "三、加强督促检查。县里将适时组织督查，对工作推进不力的单位予以通报。",
    "四、及时报送信息。请各单位于{deadline}前将工作开展情况报送牵头科室，电子版发送至指定邮箱。",
]
CC = ["抄送：县委办公室，县人大常委会办公室，县政协办公室。", "抄送：市市场监督管理局。",
      "抄送：县委办，县人大办，县政协办，县纪委监委。"]

def cn_date(d: dt.date) -> str:
    """2023-05-08 -> 二〇二三年五月八日 (the inbox corpus generator's)."""
    return (sys.modules.get("_make_corpus") or _corpus_degraders()).cn_date(d)


def fig_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _wrap(title: str, width: int) -> list[str]:
    if len(title) <= width:
        return [title]
    cut = len(title) // 2 + 1
    return [title[:cut], title[cut:]]


EXTRA = [
    "五、强化宣传引导。各单位要充分利用报刊、广播、电视和政务新媒体，广泛宣传工作中的好经验好做法，营造全社会关心支持质量工作的良好氛围。",
    "六、严肃工作纪律。对工作中弄虚作假、敷衍塞责的，将按照有关规定严肃追责问责，确保各项任务落到实处、取得实效。",
]


def _wrap3(title: str, width: int) -> list[str]:
    return [title[i:i + width] for i in range(0, len(title), width)]


def _paginate(lines: list[tuple[str, str]], first: int = 24, rest: int = 30) -> list[list[tuple[str, str]]]:
    """Lines cut into pages by an estimate of their rows (31 characters a row of body text)."""
    pages: list[list[tuple[str, str]]] = [[]]
    used, cap = 0, first
    for text, style in lines:
        rows = 3 if style == "mast" else 2 if style in ("number", "number_left", "foot") else \
            -(-(len(text) + 2) // 31) + (1 if style == "right" else 0)
        if used + rows > cap and pages[-1]:
            pages.append([])
            used, cap = 0, rest
        pages[-1].append((text, style))
        used += rows
    return pages


def document(family: str, k: int, rng: random.Random,
             hard: bool = False) -> tuple[list[list[tuple[str, str]]], dict[str, Any], str]:
    """The pages of one document as (text, style) lines, its labels and its layout's name.
    Styles: mast, number, number_left, title, body, right, center, foot."""
    full, prefix, mast_kind = FAMILIES[family]
    year = rng.choice([2023, 2024, 2025])
    date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    number = rng.randint(1, 120)
    topic, annex = rng.choice(TOPICS)
    kind = rng.choice(KINDS)
    if kind == "工作方案":
        title = f"关于印发{topic.removeprefix('开展').removeprefix('做好')}工作方案的通知"
    elif kind == "实施意见":
        title = f"关于{topic}的实施意见"
    else:
        title = f"关于{topic}的通知"
    joint = family in ("wuyi_zf", "jianhu_cz") and k == 1
    doc_number = f"{prefix}〔{year}〕{number}号"
    signer_line = rng.random() < 0.4 and (mast_kind == "name" or hard)
    wrapped_mast = hard and mast_kind == "file" and len(full) > 9 and rng.random() < 0.6
    lines: list[tuple[str, str]] = []
    other = "武义县财政局" if family == "wuyi_zf" else "建湖县市场监督管理局"
    if joint:
        lines += [(full, "mast"), (other, "mast"), ("文件", "mast")]
    elif wrapped_mast:
        lines += [(full, "mast"), ("文件", "mast")]
    elif mast_kind == "file":
        lines.append((f"{full}文件", "mast"))
    else:
        lines.append((full, "mast"))
    if signer_line:
        lines.append((f"{doc_number}　　　　　　签发人：{rng.choice(['王立新', '李文华', '张建国'])}", "number_left"))
    else:
        lines.append((doc_number, "number"))
    width = rng.choice([16, 20, 26])
    if hard:
        lines += [(t, "title") for t in _wrap3(title, rng.choice([10, 12, 14]))]
    else:
        lines += [(t, "title") for t in _wrap(title, width)]
    addr_line, addr = ("", "")
    if rng.random() < 0.9:
        addr_line, addr = rng.choice(ADDRESSEES)
        lines.append((addr_line, "body"))
    deadline = fig_date(date + dt.timedelta(days=rng.randint(10, 60)))
    lines.append((rng.choice(OPENINGS), "body"))
    for m in sorted(rng.sample(MIDDLE, rng.randint(2, 3))):
        lines.append((m.format(deadline=deadline), "body"))
    if hard and rng.random() < 0.6:
        lines += [(x, "body") for x in EXTRA]
    has_annex = rng.random() < 0.5
    if has_annex:
        lines.append((f"附件：{annex}", "body"))
    signers = [full, other] if joint else [full]
    for s in signers:
        lines.append((s, "right"))
    date_text = cn_date(date) if rng.random() < 0.45 else fig_date(date)
    lines.append((date_text, "right"))
    if rng.random() < 0.5:
        lines.append(("（此件公开发布）", "body"))
    elif rng.random() < 0.5:
        lines.append((f"（联系人：{rng.choice(['孙晓燕', '周海涛', '吴敏'])}，联系电话：0539-{rng.randint(2000000, 6999999)}）", "body"))
    printed = date + dt.timedelta(days=rng.randint(0, 3))
    office = full if full.endswith("办公室") else full + "办公室"
    foot = [(rng.choice(CC), "foot"), (f"{office}　　　　　{fig_date(printed)}印发", "foot")]
    pages = _paginate(lines) if hard else [lines]
    if has_annex:
        start = date + dt.timedelta(days=rng.randint(3, 20))
        plan = [("附件", "body"), (annex, "title"), ("一、工作目标", "body"),
                ("通过集中整治，推动问题隐患动态清零，形成长效机制。", "body"), ("二、时间安排", "body"),
                (f"（一）动员部署阶段（{fig_date(start)}前）。", "body"),
                (f"（二）组织实施阶段（{fig_date(start + dt.timedelta(days=30))}至"
                 f"{fig_date(start + dt.timedelta(days=90))}）。", "body"),
                ("（三）总结提升阶段。各单位于年底前报送工作总结。", "body"),
                ("三、工作要求", "body"), ("各单位要落实专人，每月25日前将工作进展报送牵头科室。", "body")]
        pages.append(plan + foot)
    else:
        pages[-1] += foot
    label = {"title": title, "title_alt": [], "doc_number": doc_number, "issuer": full,
             "date": date.isoformat(), "addressees": addr}
    layout = ("joint" if joint else mast_kind) + ("+wrapped" if wrapped_mast else "") + \
        ("+signer" if signer_line else "") + (f"+{len(pages)}pages" if hard else "") + \
        ("+annex" if has_annex else "") + ("+cn_date" if "〇" in date_text or "二" in date_text[:4] else "")
    return pages, label, layout


def _font(size: int, bold: bool = False) -> Any:
    from PIL import ImageFont

    name = "NotoSerifCJK-Bold.ttc" if bold else "NotoSerifCJK-Regular.ttc"
    return ImageFont.truetype(str(FONT_DIR / name), size, index=2)


def render(lines: list[tuple[str, str]], dpi: int, rng: random.Random, seal: bool) -> Any:
    """One A4 page: masthead in red, centred 文号 and title, right-aligned 落款 and date."""
    from PIL import Image, ImageDraw

    w, h = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("RGB", (w, h), "white")
    dr = ImageDraw.Draw(img)
    px = dpi / 72.0
    x0, y = int(28 / 25.4 * dpi), int(35 / 25.4 * dpi)
    body = _font(int(14 * px))
    right_edge = w - x0 - int(4 * 14 * px)
    date_box: tuple[int, int] | None = None
    for i, (text, style) in enumerate(lines):
        if style == "mast":
            f = _font(int((22 if len(text) > 12 else 28) * px), bold=True)
            tw = dr.textlength(text, font=f)
            dr.text(((w - tw) / 2, y), text, fill=RED, font=f)
            y += int(f.size * 1.45)
            continue
        if style in ("number", "number_left"):
            y += int(8 * px)
            tw = dr.textlength(text, font=body)
            x = (w - tw) / 2 if style == "number" else x0 + int(14 * px)
            dr.text((x, y), text, fill="black", font=body)
            y += int(22 * px)
            dr.line([(x0, y), (w - x0, y)], fill=RED, width=max(2, int(1.5 * px)))
            y += int(16 * px)
            continue
        if style == "right":
            tw = dr.textlength(text, font=body)
            if i > 0 and lines[i - 1][1] != "right":
                y += int(14 * px)
            dr.text((right_edge - tw, y), text, fill="black", font=body)
            date_box = (int(right_edge - tw / 2), int(y))
            y += int(body.size * 1.6)
            continue
        if style == "foot":
            y = max(y + int(10 * px), h - int(70 * px) if text.endswith("印发") else y + int(10 * px))
            dr.line([(x0, y - int(4 * px)), (w - x0, y - int(4 * px))], fill="black", width=1)
        f = _font(int(18 * px), bold=True) if style == "title" else body
        width = w - 2 * x0
        indent = "　　" if style == "body" and not text.startswith(("附件", "（此件", "（联系人", "各")) \
            and not text.endswith("：") else ""
        chunk = indent
        for ch in text:
            if dr.textlength(chunk + ch, font=f) > width:
                dr.text((x0, y), chunk, fill="black", font=f)
                y += int(f.size * 1.6)
                chunk = ""
            chunk += ch
        if chunk:
            tw = dr.textlength(chunk, font=f)
            x = (w - tw) / 2 if style in ("title", "center") else x0
            dr.text((x, y), chunk, fill="black", font=f)
            y += int(f.size * 1.6)
        if style == "title" and i + 1 < len(lines) and lines[i + 1][1] != "title":
            y += int(10 * px)
        if y > h - int(40 * px):
            break
    if seal and date_box:
        r = int(60 * px)
        layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
        ld = ImageDraw.Draw(layer)
        cx, cy = date_box[0] + rng.randint(-20, 20), date_box[1] - int(10 * px)
        ld.ellipse([cx - r, cy - r, cx + r, cy + r], outline=RED + (170,), width=max(3, int(3 * px)))
        star = _font(int(30 * px))
        ld.text((cx - int(15 * px), cy - int(18 * px)), "★", fill=RED + (170,), font=star)
        img = Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB")
    return img


def _corpus_degraders() -> Any:
    """The scanner and phone degradations of the inbox corpus generator (read, not edited)."""
    path = ROOT / "tests" / "data" / "suggest" / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("_make_corpus", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["_make_corpus"] = mod
    spec.loader.exec_module(mod)
    return mod


def build(images: Path, only: set[str] | None = None, hard: bool = False) -> list[dict[str, Any]]:
    """Render, degrade, OCR; the labelled entries. `hard`: the second set (another seed, long
    names' "文件" on a line of its own, 签发人 under any masthead, titles on up to three lines,
    bodies that push the 落款 onto page 2, more photos, lower resolution and JPEG quality)."""
    sys.path.insert(0, str(ROOT))
    from storage.reading.ocr import ocr_image

    mc = _corpus_degraders()
    rng = random.Random(SEED + 1 if hard else SEED)
    entries: list[dict[str, Any]] = []
    plan = []
    for family in FAMILIES:
        many = family in ("pingyin_scj", "yishui_zfb", "wuyi_scjbgs", "qinghe_wj",
                          "ningyang_ny", "xujiahu_zf", "wulian_zqb", "lanling_zj")
        for k in range((2 if many else 1) if hard else (3 if many else 2)):
            plan.append((family, k))
    for family, k in plan:
        pages, label, layout = document(family, k, rng, hard)
        photo = rng.random() < (0.5 if hard else 0.3)
        dpi = (rng.choice([120, 150]) if hard else rng.choice([150, 200])) if not photo else (120 if hard else 150)
        seal = rng.random() < 0.5
        doc_id = f"{family}_{k}"
        page_seeds = [rng.random() for _ in pages]
        if only and doc_id not in only:
            continue
        texts = []
        for p, lines in enumerate(pages):
            prng = random.Random(page_seeds[p])
            img = render(lines, dpi, prng, seal and p == 0)
            img = mc.phone_photo(img.convert("L"), prng) if photo else mc.scanned(img, prng)
            target = images / f"{doc_id}_p{p + 1}.jpg"
            img.convert("L").save(target, "JPEG", quality=50 if hard else 70, dpi=(dpi, dpi))
            texts.append(ocr_image(target).text)
        entries.append({
            "id": doc_id, "family": family, "split": "held" if family in HELD else "dev",
            "kind": "photo" if photo else "scan", "layout": layout + ("+seal" if seal else ""), "dpi": dpi,
            "lines": "\n".join(texts).splitlines(), "label": label,
        })
        print(doc_id, layout, flush=True)
    return entries


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=Path, default=None, help="keep the page images here")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--hard", action="store_true", help="the second, harder set (ocr_scans_hard.json)")
    ap.add_argument("--only", nargs="*", default=None)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        images = a.images or Path(tmp)
        images.mkdir(parents=True, exist_ok=True)
        entries = build(images, set(a.only) if a.only else None, a.hard)
    out = a.out or (HARD_OUT if a.hard else OUT)
    out.write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(entries)} documents -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
