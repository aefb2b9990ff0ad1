"""Tables and plans built the way real ones are made (title rows, merged two-row headers,
vertical merges, hidden rows and columns, notes, WPS-style blanks), shared by the
test_tables_* modules. Also holds a few checks of the builders themselves."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment

ROOT = Path(__file__).resolve().parents[1]
# The 沂水 plan of seed 001 (a published county document), kept with the tests.
SEED_001 = Path(__file__).resolve().parent / "data" / "tables" / "yishui_plan_001.txt"


def merge(ws, rng: str) -> None:
    ws.merge_cells(rng)


def framework_table(path: Path, *, broken_sum: bool = False) -> Path:
    """A provincial-style framework table: "附件1" and a title above a two-row merged header,
    level-1/level-2 columns merged vertically, scores in the text and in a score column,
    ★/* key marks, a target, a hidden column and a hidden row, a blank row, a 一票否决 section
    merged across, a total row and a note."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标体系"
    ws["A1"] = "附件1"
    ws["A2"] = "测试省质量强县评价指标体系（测试用）"
    merge(ws, "A2:I2")
    ws["A3"], ws["B3"], ws["E3"], ws["F3"], ws["G3"], ws["I3"] = (
        "序号", "评价指标", "分值", "评分标准", "责任单位", "内部备注")
    for cells in ("A3:A4", "B3:D3", "E3:E4", "F3:F4", "G3:H3", "I3:I4"):
        merge(ws, cells)
    ws["B4"], ws["C4"], ws["D4"], ws["G4"], ws["H4"] = "一级指标", "二级指标", "三级指标", "牵头单位", "配合单位"
    rows = [
        (5, 1, "一、质量发展理念(10分)", "（一）组织领导（6分）", "★1.建立质量工作机制", 4, "成立领导小组得2分；\n制定方案得2分。", "县市场监管局", "县委办、县政府办", "旧"),
        (6, 2, None, None, "2.开展质量考核", 2, "纳入考核得2分。", "县委组织部", "", "旧"),
        (7, 3, None, "（二）质量宣传（4分）", "3．开展质量月活动", 3, "产品抽检合格率≥94%得3分。", "县市场监管局", "县委宣传部", "旧"),
        (9, 4, None, None, "4.宣传报道", 2 if broken_sum else 1, "有报道得1分。", "县委宣传部", "", "旧"),
        (11, 5, "二、质量发展保障（10分）", "（三）资金保障（10分）", "5.财政投入", 6, "列入预算得6分。", "县财政局", "", "旧"),
        (12, 6, None, None, "*6.人才保障", 4, "专业人员培训覆盖率达到100%得4分。", "县人社局", "县市场监管局", "旧"),
    ]
    for r, seq, l1, l2, l3, score, rule, lead, coop, junk in rows:
        ws.cell(r, 1, seq)
        if l1:
            ws.cell(r, 2, l1)
        if l2:
            ws.cell(r, 3, l2)
        ws.cell(r, 4, l3)
        ws.cell(r, 5, score)
        ws.cell(r, 6, rule)
        ws.cell(r, 7, lead)
        ws.cell(r, 8, coop)
        ws.cell(r, 9, junk)
    merge(ws, "B5:B9")
    merge(ws, "C5:C6")
    merge(ws, "C7:C9")
    merge(ws, "B11:B12")
    merge(ws, "C11:C12")
    # row 8: a hidden row an author left in; row 10: a blank row between sections
    ws.cell(8, 4, "旧指标（已作废）")
    ws.cell(8, 5, 9)
    ws.row_dimensions[8].hidden = True
    ws["A13"] = "一票否决项"
    merge(ws, "A13:I13")
    ws.cell(14, 1, 7)
    ws.cell(14, 4, "发生重大质量安全事故")
    ws.cell(14, 6, "发生即否决。")
    ws.cell(14, 7, "县应急管理局")
    ws.cell(15, 2, "合计")
    ws.cell(15, 5, 20)
    ws["A16"] = "注：1.指标涉及数据截至2022年12月31日。2.评分标准以省里发布为准。"
    merge(ws, "A16:I16")
    ws.column_dimensions["I"].hidden = True
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    wb.save(path)
    return path


def numbered_table(path: Path) -> Path:
    """One title column whose numbering gives the level (一、 / （一） / 1.1.1 / (1) / ①),
    full-width and half-width mixed, scores in the text only, a veto column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某县质量强县创建考核细则（测试用）"])
    ws.append([])
    ws.append(["指 标", "分值（分）", "考评标准", "一票否决"])
    ws.append(["一、质量发展理念（8分）", None, None, None])
    ws.append(["（一）组织领导（8分）", None, None, None])
    ws.append(["1．建立工作机制", 5, "有文件得5分", None])
    ws.append(["(1)召开专题会议", "3分", "每年至少1次", None])
    ws.append(["①主要领导主持", 2, "", None])
    ws.append(["②分管领导参加", 1, "", None])
    ws.append(["(2)印发工作方案", 2, "", None])
    ws.append(["2. 质量考核", 3, "纳入考核", None])
    ws.append(["二、安全底线（0分）", None, None, None])
    ws.append(["（一）不发生重大事故", None, "发生即否决", "是"])
    wb.save(path)
    return path


def taizhou_table(path: Path) -> Path:
    """台州-style headers (一级指标|建设内容|建设指标|考评标准|任务内容|责任单位|工作考核), upper
    levels left blank under their first cell instead of merged (as WPS users do), several
    task rows per indicator, departments with the lead marked inline, collective names,
    and deadlines as text, date cells and Excel serial numbers in one column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append(["沂水县落实质量强县评价指标体系工作责任分解表（2023年）"])
    ws.append(["一级指标", "建设内容", "建设指标", "考评标准", "任务内容", "责任单位", "完成时限", "工作考核"])
    ws.append(["质量发展理念", "组织领导", "建立质量工作机制", "有文件", "成立领导小组",
               "县市场监管局（牵头）、县委办、县政府办", "2023年6月底前", "A"])
    ws.append([None, None, None, None, "制定年度计划", "县市场监督管理局\n县发改局", "8月31日前", ""])
    ws.append([None, None, "开展质量考核", "纳入考核", "纳入综合考核", "县委组织部；各乡镇（街道）", dt.datetime(2023, 7, 15), ""])
    ws.append([None, "质量宣传", "开展质量月活动", "开展活动", "组织质量月",
               "县委宣传部，县直有关部门等部门按职责分工负责", "每季度", ""])
    ws.append([None, None, "宣传报道", "有报道", "媒体报道", "县融媒体中心 县委宣传部", 45199, ""])
    ws.append(["质量发展保障", "资金保障", "财政投入", "列入预算", "安排专项经费", "县财政局", "长期坚持", ""])
    ws.append([])
    ws.append(["注：责任单位排在第一位的为牵头单位。"])
    wb.save(path)
    return path


def score_merged_table(path: Path) -> Path:
    """序号|考核项目|各项分值|考核内容|评分标准|说明 with 考核项目 and 各项分值 merged over the
    same rows: the score belongs to the 考核项目, not to each row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "考核项目", "各项分值", "考核内容", "评分标准", "说明"])
    ws.append([1, "组织领导", 10, "成立机构", "有得5分", ""])
    ws.append([2, None, None, "制定方案", "有得5分", ""])
    ws.append([3, "质量基础", 5, "计量检测", "有得5分", ""])
    merge(ws, "B2:B3")
    merge(ws, "C2:C3")
    wb.save(path)
    return path


def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path | None:
    """Convert with LibreOffice (own profile per call); None when not installed."""
    exe = shutil.which("soffice")
    if exe is None:
        return None
    profile = outdir / f"lo-profile-{uuid.uuid4().hex}"
    subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
         "--outdir", str(outdir), str(src)],
        capture_output=True, timeout=180, check=False,
    )
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    shutil.rmtree(profile, ignore_errors=True)
    return out if out.is_file() else None


# --- plans ------------------------------------------------------------------------------------


_TYPED = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]\s*|\d+\.)")


def seed_lines() -> list[str]:
    return [line for line in SEED_001.read_text(encoding="utf-8").splitlines() if line.strip()]


def plan_docx_typed(path: Path) -> Path:
    import docx

    d = docx.Document()
    for line in seed_lines():
        d.add_paragraph(line)
    d.save(str(path))
    return path


def _numbering_xml() -> str:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    lvls = [
        ("chineseCounting", "%1、"),
        ("chineseCounting", "（%2）"),
        ("decimal", "%3."),
    ]
    body = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{f}"/>'
        f'<w:lvlText w:val="{t}"/>' + ('<w:lvlRestart w:val="0"/>' if i == 2 else "") + "</w:lvl>"
        for i, (f, t) in enumerate(lvls)
    )
    return f'<w:abstractNum {w} w:abstractNumId="90">{body}</w:abstractNum>', f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'


def plan_docx_autonumbered(path: Path) -> Path:
    """The same plan with numbering from Word's automatic numbering (numPr), not typed."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    d = docx.Document()
    numbering = d.part.numbering_part.element
    abstract, num = _numbering_xml()
    # abstractNum elements must come before num elements
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(parse_xml(abstract))
    else:
        numbering.append(parse_xml(abstract))
    numbering.append(parse_xml(num))
    for line in seed_lines():
        m = _TYPED.match(line)
        if not m:
            d.add_paragraph(line)
            continue
        label = m.group(0)
        ilvl = 0 if label.endswith("、") else (1 if label[0] in "(（" else 2)
        p = d.add_paragraph(line[m.end():].strip())
        ppr = p._p.get_or_add_pPr()
        ppr.append(parse_xml(
            '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'
        ))
    d.save(str(path))
    return path


YISHUI_EXPECTED = [
    ("开展产品质量提升行动", ["县市场监管局"], ["县工信局", "县农业农村局"]),
    ("开展工程质量提升行动", ["县住建局"], ["县水利局", "县人社局"]),
    ("开展服务质量提升行动", ["县发改局"], ["县文化和旅游局", "县行政审批服务局", "县交通运输局"]),
    ("开展环境质量提升行动", ["市生态环境局沂水县分局"], ["县发改局", "县自然资源和规划局"]),
    ("建设质量基础设施(NQI) 一站式服务平台", ["县市场监管局"], ["县行政审批服务局"]),
    ("深化标准化综合改革", ["县市场监管局"], []),
    ("提升认证认可、计量服务能力", ["县市场监管局"], ["县检验检测中心"]),
    ("建设质量诚信体系", ["县市场监管局"], ["县行政审批局"]),
    ("强化质量安全保障", ["县市场监管局"], ["市生态环境局沂水县分局", "县应急管理局", "县12345政府服务热线受理中心"]),
    ("激发质量创新活力", ["县科技局"], ["县工信局", "县人社局"]),
    ("打造培树质量标杆", ["县市场监管局"], ["县农业农村局", "县工信局"]),
    ("开展质量宣传", ["县市场监管局"], []),
    ("塑造质量文化", ["县市场监管局"], ["县发改局", "县工信局"]),
]


def test_builders_make_real_files(tmp_path):
    p = framework_table(tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(p)
    ws = wb.active
    assert ws.column_dimensions["I"].hidden and ws.row_dimensions[8].hidden
    assert "B5:B9" in {str(r) for r in ws.merged_cells.ranges}
    import docx

    doc = docx.Document(str(plan_docx_autonumbered(tmp_path / "p.docx")))
    texts = [p.text for p in doc.paragraphs]
    assert "开展产品质量提升行动" in texts[texts.index("实施质量提升工程") + 1]  # numbering not in text
