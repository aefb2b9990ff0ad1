"""Import speed of a 2,000-row responsibility table (issue 4: median under 3 s) and its
preview in the import dialog (issue 14: under 2 s).

Builds a framework table (4 / 15 / 43 indicators, like the published system's shape, with
invented titles) and a responsibility table of N rows (merged level columns, departments
with inline lead marks, mixed deadlines), then times, on fresh archives:

  baseline   openpyxl.load_workbook of the same file (the floor any .xlsx import pays)
  parse      reading + column detection + row parsing, no database
  import     duties import into an archive holding the framework (one transaction)
  reimport   the same file again (matching every row, nothing changed)

Usage: python benchmarks/import_table.py [--rows 2000] [--runs 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl

DEPTS = [f"县{n}局" for n in ("市场监管", "工信", "发改", "财政", "住建", "农业农村", "水利", "人社", "商务",
                             "文化和旅游", "卫健", "应急管理", "交通运输", "自然资源和规划", "科技", "教体",
                             "统计", "司法", "公安", "民政")] + ["各乡镇（街道）", "县直有关部门"]
DEADLINES = ["2023年6月底前", "8月31日前", "每季度", "长期坚持", 45199, "2023年12月31日前"]


def tree():
    out = []
    n3 = 0
    for a in range(1, 5):
        l2s = []
        for b in range(1, 5 if a < 4 else 4):
            l3s = []
            for c in range(1, 4):
                n3 += 1
                if n3 > 43:
                    break
                l3s.append(f"测试三级指标{a}.{b}.{c}")
            l2s.append((f"测试二级指标{a}.{b}", l3s))
        out.append((f"测试一级指标{a}", l2s))
    return out


def build_framework(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["基准测试指标体系"])
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "评分标准"])
    for l1, l2s in tree():
        for l2, l3s in l2s:
            for l3 in l3s:
                ws.append([l1, l2, l3, 2, "评分标准文字" * 5])
    wb.save(path)


def build_duties(path: Path, rows: int) -> None:
    leaves = [(l1, l2, l3) for l1, l2s in tree() for l2, l3s in l2s for l3 in l3s]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["附件1"])
    ws.append(["基准测试县工作责任分解表（2023年）"])
    ws.append(["序号", "一级指标", "二级指标", "三级指标", "工作任务", "责任单位", "佐证材料", "完成时限", "备注"])
    per_leaf = max(1, rows // len(leaves))
    r = 0
    for i, (l1, l2, l3) in enumerate(leaves):
        count = per_leaf if i < len(leaves) - 1 else rows - r
        start = ws.max_row + 1
        for _k in range(count):
            r += 1
            d = [DEPTS[(r + j) % len(DEPTS)] for j in range(3)]
            ws.append([r, l1, l2, l3, f"第{r}项工作任务：落实{l3}的具体措施",
                       f"{d[0]}（牵头）、{d[1]}、{d[2]}等部门按职责分工负责",
                       "相关文件、会议纪要、照片", DEADLINES[r % len(DEADLINES)], ""])
        if count > 1:
            for col in "BCD":
                ws.merge_cells(f"{col}{start}:{col}{ws.max_row}")
    wb.save(path)


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from storage.core.archive import Archive
    from storage.tables.duties_import import import_duties, read_duties
    from storage.tables.framework_import import import_framework
    from storage.tables.preview import ImportOptions, preview_import

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        fw, duties = tmp / "fw.xlsx", tmp / "duties.xlsx"
        build_framework(fw)
        build_duties(duties, args.rows)
        base, parse, imp, reimp, prev = [], [], [], [], []
        for run in range(args.runs):
            base.append(timed(lambda: openpyxl.load_workbook(duties).close()))
            archive = Archive.create(tmp / f"a{run}")
            import_framework(archive, fw)
            with archive.sessions.read() as s:
                parse.append(timed(lambda: read_duties(s, duties, framework=None)))
            shown = {}
            prev.append(timed(lambda shown=shown, archive=archive: shown.setdefault(
                "p", preview_import(archive, ImportOptions(kind="duties", path=str(duties))))))
            assert shown["p"].ok and shown["p"].item_count == args.rows
            rep = {}
            imp.append(timed(lambda rep=rep, archive=archive: rep.setdefault("r", import_duties(archive, duties))))
            assert rep["r"].rows_read == args.rows and len(rep["r"].added) == args.rows
            again = {}
            reimp.append(timed(
                lambda again=again, archive=archive: again.setdefault("r", import_duties(archive, duties))))
            assert again["r"].unchanged
            archive.close()
    med = statistics.median
    print(f"rows={args.rows} runs={args.runs} file={duties.name}")
    print(f"baseline openpyxl load : median {med(base):.3f} s  (min {min(base):.3f}, max {max(base):.3f})")
    print(f"parse only             : median {med(parse):.3f} s  ({med(parse) / med(base):.2f}x baseline)")
    print(f"import (one txn)       : median {med(imp):.3f} s  ({med(imp) / med(base):.2f}x baseline)"
          f"  (min {min(imp):.3f}, max {max(imp):.3f})")
    print(f"re-import, unchanged   : median {med(reimp):.3f} s  ({med(reimp) / med(base):.2f}x baseline)")
    print(f"preview (dialog dry run): median {med(prev):.3f} s  ({med(prev) / med(base):.2f}x baseline)"
          f"  (min {min(prev):.3f}, max {max(prev):.3f})")
    print("target: import median < 3 s:", "OK" if med(imp) < 3 else "MISSED")
    print("target: preview median < 2 s (issue 14):", "OK" if med(prev) < 2 else "MISSED")


if __name__ == "__main__":
    main()
