"""Builds the two sample tables shipped for first run from demo.json (run by a developer;
the .xlsx files are committed):

    示例_指标体系.xlsx     a sample framework table (import with `framework import`)
    示例_责任分解表.xlsx   a sample responsibility table (import with `duties import`)

Everything in them is invented and marked 示例 (sample); only the four level-1 names are
the public ones of the Shandong 2022 system.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side

HERE = Path(__file__).resolve().parent
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FIXED = dt.datetime(2026, 1, 1)


def _num(v) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _style(ws, first_row: int) -> None:
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.border = BORDER
            cell.font = Font(name="宋体", size=10)


def _leaves(spec):
    for l1 in spec["framework"]["indicators"]:
        for l2 in l1.get("children", []):
            for l3 in l2.get("children", []):
                yield l1, l2, l3


def framework_xlsx(spec: dict, dest: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "示例指标体系"
    ws.append([spec["framework"]["name"]])
    ws.merge_cells("A1:F1")
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "评分标准", "一票否决"])
    row = 3
    blocks1, blocks2 = {}, {}
    for l1, l2, l3 in _leaves(spec):
        title3 = ("★" if l3.get("is_key") else "") + f"{l3['code']} {l3['title']}"
        ws.append([
            f"{l1['code']}、{l1['title']}（{_num(l1['max_score'])}分）",
            f"{l2['code']} {l2['title']}（{_num(l2['max_score'])}分）",
            title3,
            None if l3.get("is_veto") else l3.get("max_score"),
            l3.get("scoring_rule", ""),
            "是" if l3.get("is_veto") else "",
        ])
        blocks1.setdefault(l1["code"], []).append(row)
        blocks2.setdefault(l2["code"], []).append(row)
        row += 1
    for col, blocks in (("A", blocks1), ("B", blocks2)):
        for rows in blocks.values():
            if len(rows) > 1:
                ws.merge_cells(f"{col}{rows[0]}:{col}{rows[-1]}")
    total = sum(l1["max_score"] for l1 in spec["framework"]["indicators"])
    ws.append(["合计", None, None, total, None, None])
    _style(ws, 2)
    ws.append(["注：" + spec["notice"]])
    ws.merge_cells(f"A{ws.max_row}:F{ws.max_row}")
    for c, w in zip("ABCDEF", (22, 24, 30, 8, 40, 10)):
        ws.column_dimensions[c].width = w
    ws.freeze_panes = "A3"
    wb.properties.creator = "Evidence Desk 示例"
    wb.properties.created = wb.properties.modified = FIXED
    wb.save(dest)


def duties_xlsx(spec: dict, dest: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "示例责任分解表"
    ws.append(["示例县落实示例指标体系工作责任分解表（示例，2026年）"])
    ws.merge_cells("A1:I1")
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws.append(["序号", "一级指标", "二级指标", "三级指标", "工作任务", "牵头单位", "配合单位", "佐证材料", "完成时限"])
    by_code = {l3["code"]: (l1, l2, l3) for l1, l2, l3 in _leaves(spec)}
    deadlines = ["2026年3月底前", "每季度", "2026年6月30日前", "9月底前", "长期坚持"]
    for n, d in enumerate(spec["duties"], start=1):
        l1, l2, l3 = by_code[d["indicator_code"]]
        ws.append([n, l1["title"], l2["title"], l3["title"], d["task"], "、".join(d["lead"]),
                   "、".join(d["cooperating"]), d["expected_evidence"],
                   deadlines[(n - 1) % len(deadlines)] if d["deadline_days_from_today"] is not None else "每季度"])
    _style(ws, 2)
    ws.append(["注：" + spec["notice"]])
    ws.merge_cells(f"A{ws.max_row}:I{ws.max_row}")
    for c, w in zip("ABCDEFGHI", (6, 14, 16, 24, 36, 16, 20, 26, 14)):
        ws.column_dimensions[c].width = w
    wb.properties.creator = "Evidence Desk 示例"
    wb.properties.created = wb.properties.modified = FIXED
    wb.save(dest)


def main() -> None:
    spec = json.loads((HERE / "demo.json").read_text(encoding="utf-8"))
    framework_xlsx(spec, HERE / "示例_指标体系.xlsx")
    duties_xlsx(spec, HERE / "示例_责任分解表.xlsx")


if __name__ == "__main__":
    main()
