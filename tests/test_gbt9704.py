"""GB/T 9704-2012 layout: the values asserted in the saved document's XML, and the font
resolver tested with fake font listings (fontconfig and the Windows registry)."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from exporters import fonts
from exporters import gbt9704 as g

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _a(el, name: str) -> str | None:
    return el.get(f"{{{W}}}{name}")


def _mm_twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def sample_document(path: Path) -> Path:
    d = g.new_document(export_date=dt.date(2024, 5, 1), title="样例")
    g.heading(d, "沂水县创建质量强县工作方案", 0)
    g.heading(d, "一、总体要求", 1)
    g.heading(d, "（一）指导思想", 2)
    for i in range(40):
        g.paragraph(d, f"以习近平新时代中国特色社会主义思想为指导，深入实施质量强国战略，第{i}段。")
    g.table(d, ["序号", "材料名称", "页码"],
            [[i, "沂政发〔2023〕13号 关于成立质量强县工作领导小组的通知", i] for i in range(1, 8)],
            widths_mm=[20, 110, 26], align=["center", "left", "center"])
    d.save(str(path))
    return path


@pytest.fixture
def saved(tmp_path):
    path = sample_document(tmp_path / "sample.docx")
    with zipfile.ZipFile(path) as z:
        parts = {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")}
    return path, parts


def test_page_size_margins_and_grid(saved):
    _, parts = saved
    body = parts["word/document.xml"]
    sects = body.findall(".//w:sectPr", NS)
    assert sects
    for sect in sects:
        pg = sect.find("w:pgSz", NS)
        assert (int(_a(pg, "w")), int(_a(pg, "h"))) == (_mm_twips(210), _mm_twips(297))
        m = sect.find("w:pgMar", NS)
        assert int(_a(m, "top")) == _mm_twips(37)
        assert int(_a(m, "bottom")) == _mm_twips(35)
        assert int(_a(m, "left")) == _mm_twips(28)
        assert int(_a(m, "right")) == _mm_twips(26)
        # text block 156 x 225 mm
        assert _mm_twips(210) - int(_a(m, "left")) - int(_a(m, "right")) == pytest.approx(_mm_twips(156), abs=2)
        grid = sect.find("w:docGrid", NS)
        assert _a(grid, "type") == "lines" and _a(grid, "linePitch") == "579"


def test_fonts_sizes_and_line_pitch_in_styles(saved):
    _, parts = saved
    styles = parts["word/styles.xml"]
    # no theme font attribute anywhere: they would override the explicit names
    for rf in styles.iter(f"{{{W}}}rFonts"):
        for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            assert _a(rf, theme) is None
    dflt = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert _a(dflt.find("w:rFonts", NS), "eastAsia") == "仿宋_GB2312"
    assert _a(dflt.find("w:sz", NS), "val") == "32"
    assert _a(dflt.find("w:lang", NS), "eastAsia") == "zh-CN"

    def style(name):
        for s in styles.findall("w:style", NS):
            if _a(s.find("w:name", NS), "val") == name:
                return s
        raise AssertionError(name)

    normal = style("Normal")
    assert _a(normal.find("w:rPr/w:rFonts", NS), "eastAsia") == "仿宋_GB2312"
    assert _a(normal.find("w:rPr/w:sz", NS), "val") == "32"           # 3号 16 pt
    sp = normal.find("w:pPr/w:spacing", NS)
    assert (_a(sp, "line"), _a(sp, "lineRule")) == ("579", "exact")   # 28.95 pt, 22 lines
    title = style("Title")
    assert _a(title.find("w:rPr/w:rFonts", NS), "eastAsia") == "方正小标宋简体"
    assert _a(title.find("w:rPr/w:sz", NS), "val") == "44"            # 2号 22 pt
    assert _a(title.find("w:pPr/w:jc", NS), "val") == "center"
    assert title.find("w:pPr/w:pBdr", NS) is None
    assert _a(style("heading 1").find("w:rPr/w:rFonts", NS), "eastAsia") == "黑体"
    assert _a(style("heading 2").find("w:rPr/w:rFonts", NS), "eastAsia") == "楷体_GB2312"
    # the font table names the fallbacks for a PC without the GB/T fonts
    ft = parts["word/fontTable.xml"]
    alts = {_a(f, "name"): _a(f.find("w:altName", NS), "val") for f in ft.findall("w:font", NS)
            if f.find("w:altName", NS) is not None}
    assert alts["仿宋_GB2312"] == "仿宋" and alts["方正小标宋简体"] == "宋体"


def test_every_run_has_an_east_asian_font(saved):
    _, parts = saved
    runs = 0
    for name, root in parts.items():
        if not (name == "word/document.xml" or name.startswith("word/footer")):
            continue
        for r in root.iter(f"{{{W}}}r"):
            runs += 1
            rf = r.find("w:rPr/w:rFonts", NS)
            assert rf is not None and _a(rf, "eastAsia"), (name, etree.tostring(r)[:200])
            assert _a(rf, "ascii")
    assert runs > 50
    body = parts["word/document.xml"]
    title_run = next(p for p in body.iter(f"{{{W}}}p")
                     if p.find("w:pPr/w:pStyle", NS) is not None
                     and _a(p.find("w:pPr/w:pStyle", NS), "val") == "Title").find("w:r", NS)
    assert _a(title_run.find("w:rPr/w:rFonts", NS), "eastAsia") == "方正小标宋简体"
    assert _a(title_run.find("w:rPr/w:sz", NS), "val") == "44"
    body_run = body.findall(".//w:body/w:p/w:r", NS)[-1]
    assert _a(body_run.find("w:rPr/w:rFonts", NS), "eastAsia") == "仿宋_GB2312"
    assert _a(body_run.find("w:rPr/w:sz", NS), "val") == "32"
    # table runs carry the fonts too
    cell_runs = body.findall(".//w:tc//w:r", NS)
    assert cell_runs and all(_a(r.find("w:rPr/w:rFonts", NS), "eastAsia") for r in cell_runs)


def test_page_numbers_odd_right_even_left(saved):
    path, parts = saved
    settings = parts["word/settings.xml"]
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    sect = parts["word/document.xml"].findall(".//w:sectPr", NS)[-1]
    rels = etree.fromstring(zipfile.ZipFile(path).read("word/_rels/document.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    refs = {_a(ref, "type"): target[ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
            for ref in sect.findall("w:footerReference", NS)}
    assert {"default", "even"} <= set(refs)
    for kind, align, indent_side in (("default", "right", "right"), ("even", "left", "left")):
        footer = parts["word/" + refs[kind]]
        p = footer.find("w:p", NS)
        assert _a(p.find("w:pPr/w:jc", NS), "val") == align
        assert _a(p.find("w:pPr/w:ind", NS), indent_side) == str(14 * 20)   # one 4号 character
        instr = "".join(t.text for t in footer.iter(f"{{{W}}}instrText"))
        assert instr.strip() == "PAGE"
        texts = [t.text for t in footer.iter(f"{{{W}}}t")]
        assert texts[0] == "— " and texts[-1] == " —"
        for r in footer.iter(f"{{{W}}}r"):
            assert _a(r.find("w:rPr/w:rFonts", NS), "eastAsia") == "宋体"
            assert _a(r.find("w:rPr/w:sz", NS), "val") == "28"             # 4号 14 pt


def test_reopens_with_python_docx(saved):
    path, _ = saved
    d = docx.Document(str(path))
    s = d.sections[0]
    assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
    assert round(s.top_margin.mm) == 37 and round(s.left_margin.mm) == 28
    assert d.settings.odd_and_even_pages_header_footer
    assert d.paragraphs[0].text == "沂水县创建质量强县工作方案"
    assert d.tables[0].cell(1, 1).text.startswith("沂政发〔2023〕13号")
    assert d.core_properties.modified.date() == dt.date(2024, 5, 1)


def test_toc_is_a_field_with_a_cached_static_list(tmp_path):
    d = g.new_document()
    g.toc(d, [(1, "一、质量基础", "3"), (2, "1.1.1 组织领导", "5")])
    d.save(str(tmp_path / "toc.docx"))
    root = etree.fromstring(zipfile.ZipFile(tmp_path / "toc.docx").read("word/document.xml"))
    instr = "".join(t.text for t in root.iter(f"{{{W}}}instrText"))
    assert instr.strip().startswith("TOC \\o")
    kinds = [_a(f, "fldCharType") for f in root.iter(f"{{{W}}}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    text = "".join(t.text for t in root.iter(f"{{{W}}}t"))
    assert "一、质量基础" in text and "1.1.1 组织领导" in text and "5" in text


# --- fonts by family name ------------------------------------------------------------------

FC_LIST_UOS = """\
Noto Sans CJK SC,Noto Sans CJK SC Regular
仿宋,FangSong
宋体,SimSun
DejaVu Sans
方正小标宋简体,FZXiaoBiaoSong-B05S
"""

REGISTRY_WIN10 = [
    "Arial (TrueType)",
    "Arial Bold (TrueType)",
    "SimSun & NSimSun (TrueType)",
    "FangSong (TrueType)",
    "SimHei (TrueType)",
    "KaiTi (TrueType)",
    "Microsoft YaHei & Microsoft YaHei UI (TrueType)",
    "Microsoft YaHei Bold & Microsoft YaHei UI Bold (TrueType)",
]


def test_fc_list_parsed_and_chains_resolved():
    fams = fonts.parse_fc_list(FC_LIST_UOS)
    assert {"仿宋", "FangSong", "宋体", "SimSun", "Noto Sans CJK SC Regular"} <= fams
    assert fonts.resolve(fonts.BODY, fams) == "仿宋"           # no 仿宋_GB2312: 仿宋
    assert fonts.resolve(fonts.TITLE, fams) == "方正小标宋简体"
    assert fonts.resolve(["不存在的字体"], fams) is None


def test_windows_registry_names_parsed_and_aliases_match():
    fams = fonts.parse_registry_names(REGISTRY_WIN10)
    assert {"SimSun", "NSimSun", "FangSong", "Microsoft YaHei", "Microsoft YaHei UI", "Arial"} <= fams
    assert "Arial Bold" not in fams
    # a Chinese Windows lists English names: 仿宋 resolves to FangSong, 宋体 to SimSun
    assert fonts.resolve(fonts.BODY, fams) == "FangSong"
    assert fonts.resolve(fonts.PAGE_NUMBER, fams) == "SimSun"
    assert fonts.resolve(fonts.TITLE, fams) == "SimSun"       # no 小标宋 installed: 宋体
    assert fonts.resolve(fonts.UI, fams) == "Microsoft YaHei"
    files = fonts.parse_windows_font_files(["SIMFANG.TTF", "simsun.ttc", "arial.ttf"])
    assert files == {"FangSong", "SimSun"}


def test_installed_families_takes_an_injected_listing_and_reports_substitutes():
    fams = fonts.installed_families(lambda: ["FangSong_GB2312", "SimSun", "SimHei", "KaiTi"])
    report = {c.role_en: c for c in fonts.font_report(fams)}
    assert report["body"].used == "FangSong_GB2312" and not report["body"].substituted
    assert report["title"].used == "SimSun" and report["title"].substituted
    notes = fonts.substitution_notes(fams)
    assert any("方正小标宋简体" in n and "SimSun" in n for n in notes)
    assert not any("仿宋_GB2312" in n for n in notes)
    assert fonts.substitution_notes([])[0].startswith("本机未安装")
    assert fonts.same_family("仿宋", "FangSong") and not fonts.same_family("仿宋", "宋体")


def test_this_machine_has_a_cjk_font_for_every_role():
    """The build/test machine (fonts-noto-cjk) resolves every role to something."""
    for c in fonts.font_report():
        assert c.used, c
