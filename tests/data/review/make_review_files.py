"""Builds the province's evaluation files for the demo framework (resources/demo/demo.json):
two score sheets (.xlsx: one with codes, one with titles only and merged level-1/2 cells)
and an evaluation report (.docx) with per-indicator problems. Used by tests/test_review_*.py
(written to a temporary folder) and runnable by hand: `python make_review_files.py OUTDIR`.

The structure follows real documents (SOURCES.md); every sentence is ours.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import docx
import openpyxl
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "resources" / "demo" / "demo.json"

# code -> (province score, 扣分原因): the leaves that lost points; every other leaf gets full marks
LOST: dict[str, tuple[float, str]] = {
    "1.1.2": (1.5, "领导小组全年仅召开2次会议，未达到每季度1次的要求"),
    "2.1.2": (2.0, "质量工作经费未列入本级财政年度预算"),
    "3.1.2": (1.0, "强制检定计量器具底数不清，覆盖率无统计数据"),
    "4.2.1": (2.0, "满意度调查样本量不足，未覆盖乡镇"),
}
SELF: dict[str, float] = {"1.1.2": 2.0, "2.1.2": 3.0, "3.1.2": 2.0, "4.2.1": 2.5, "1.1.1": 3.0}
UNMATCHED_TITLE = "12315诉求按时办结率"   # the titles-only sheet's name for 4.2.2: no title is like it


def leaves() -> list[tuple[dict, dict, dict]]:
    spec = json.loads(DEMO.read_text(encoding="utf-8"))
    out = []
    for l1 in spec["framework"]["indicators"]:
        for l2 in l1.get("children", []):
            for l3 in l2.get("children", []):
                out.append((l1, l2, l3))
    return out


def _plain(title: str) -> str:
    return title.removeprefix("示例：")


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


def score_sheet_codes(dest: Path) -> Path:
    """附件 layout with a 序号 code column: 序号 | 评价指标 | 分值 | 自评得分 | 省评得分 | 扣分原因."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评价得分"
    ws.append(["附件2"])
    ws.append(["示例县质量强县创建省级综合评价得分表"])
    ws.merge_cells("A2:F2")
    ws.append(["序号", "评价指标", "分值", "自评得分", "省评得分", "扣分原因"])
    total = 0.0
    for _l1, _l2, l3 in leaves():
        code = l3["code"]
        full = float(l3.get("max_score") or 0)
        prov, reason = LOST.get(code, (full, ""))
        total += prov
        ws.append([code, l3["title"], _num(full), _num(SELF.get(code, full)), _num(prov), reason])
    ws.append(["合计", None, None, None, _num(total), None])
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    wb.save(dest)
    return dest


def score_sheet_titles(dest: Path) -> Path:
    """Titles only, level-1 and level-2 cells merged down, no codes:
    一级指标 | 二级指标 | 三级指标 | 分值 | 评价得分 | 扣分说明."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "省评结果"
    ws.append(["示例县质量强县评价结果（省级复核）"])
    ws.merge_cells("A1:F1")
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "评价得分", "扣分说明"])
    blocks1: dict[str, list[int]] = {}
    blocks2: dict[str, list[int]] = {}
    r = 3
    for l1, l2, l3 in leaves():
        code = l3["code"]
        full = float(l3.get("max_score") or 0)
        prov, reason = LOST.get(code, (full, ""))
        title3 = UNMATCHED_TITLE if code == "4.2.2" else _plain(l3["title"])
        ws.append([f"{l1['title']}（{_num(l1['max_score'])}分）", _plain(l2["title"]), title3,
                   _num(full), _num(prov), reason])
        blocks1.setdefault(l1["code"], []).append(r)
        blocks2.setdefault(l2["code"], []).append(r)
        r += 1
    for col, blocks in (("A", blocks1), ("B", blocks2)):
        for rows in blocks.values():
            if len(rows) > 1:
                ws.merge_cells(f"{col}{rows[0]}:{col}{rows[-1]}")
    ws.append(["总分", None, None, None, None, None])
    wb.save(dest)
    return dest


def report_docx(dest: Path) -> Path:
    """评价结果报告: a general part, per-indicator sections found by code or by title with
    "存在问题：1. …2. …", "扣分说明：…", "建议：…", "（一）…" items, and a table
    指标 | 存在问题 | 扣分; then a closing part that holds no problems."""
    d = docx.Document()
    d.add_heading("示例县质量强县创建省级评价结果报告", level=1)
    d.add_paragraph("根据示例省质量强县创建评价工作安排，评价组通过查阅佐证材料、现场核查等方式，"
                    "对示例县创建工作进行了综合评价。现将评价结果反馈如下。")
    d.add_paragraph("一、总体情况")
    d.add_paragraph("示例县领导重视，工作机制健全，质量基础设施建设取得一定成效。")
    d.add_paragraph("二、各指标评价情况")
    d.add_paragraph("1.1.2 定期召开工作会议")
    d.add_paragraph("存在问题：1. 领导小组全年仅召开2次会议，未达到每季度召开1次的要求；"
                    "2. 会议纪要未印发至各成员单位。")
    d.add_paragraph("建议：建立季度例会制度，会后及时印发会议纪要。")
    d.add_paragraph("落实经费保障")
    d.add_paragraph("扣分说明：质量工作经费未列入本级财政年度预算，扣1分。")
    d.add_paragraph("强制检定覆盖情况")
    d.add_paragraph("存在问题：")
    d.add_paragraph("（一）强制检定计量器具底数不清，未建立登记台账。")
    d.add_paragraph("（二）部分乡镇卫生院血压计未按期送检。")
    t = d.add_table(rows=2, cols=3)
    for c, text in enumerate(("指标", "存在问题", "扣分")):
        t.cell(0, c).text = text
    for c, text in enumerate(("4.2.1 服务满意度调查", "满意度调查仅覆盖县城，未覆盖乡镇，有效样本不足300份。", "1")):
        t.cell(1, c).text = text
    d.add_paragraph("三、下一步工作要求")
    d.add_paragraph("请示例县在收到本报告后30日内制定整改方案，明确整改措施、责任单位和完成时限，"
                    "报省质量强省办备案。")
    d.save(dest)
    return dest


# what the report yields: (indicator code, kind) per problem, in order
REPORT_PROBLEMS: list[tuple[str, str]] = [
    ("1.1.2", "问题"), ("1.1.2", "问题"), ("1.1.2", "建议"), ("2.1.2", "扣分说明"),
    ("3.1.2", "问题"), ("3.1.2", "问题"), ("4.2.1", "问题"),
]


def make_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "codes": score_sheet_codes(folder / "省评得分表_含编号.xlsx"),
        "titles": score_sheet_titles(folder / "省评得分表_仅名称.xlsx"),
        "report": report_docx(folder / "评价结果报告.docx"),
    }


if __name__ == "__main__":
    for k, p in make_all(Path(sys.argv[1] if len(sys.argv) > 1 else ".")).items():
        print(k, p)
