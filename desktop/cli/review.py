"""Subcommands for the province's evaluation (issue 16, items 1 and 6).

    review import FILE [--dry-run] [--map ROW=CODE,ROLE=COL,...]
    review compare [--xlsx FILE] [--all]

FILE is the province's score sheet (Excel) or its evaluation report (Word); which one is
told by its content. Thin layer over desktop.actions.review; --json shapes in
docs/cli-review.md. Exit codes: 0 done, 1 done but rows left unmatched or ambiguous,
2 a file that is neither (or unreadable).
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.output import EXIT_OK, EXIT_PROBLEMS, Output, UsageError, open_archive

STATE_ZH = {"matched": "已匹配", "ambiguous": "待选择", "unmatched": "未匹配", "skipped": "已跳过"}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    r = sub.add_parser("review", parents=[common], help="省级评价结果 (the province's evaluation)")
    rs = r.add_subparsers(dest="review_command", parser_class=type(r))
    p = rs.add_parser("import", parents=[common],
                      help="导入省评得分表（Excel）或评价结果报告（Word） (import the score sheet or report)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="只显示匹配结果，不写入 (preview, do not write)")
    p.add_argument("--map", dest="mapping", action="append", metavar="ROW=CODE,...",
                   help="更正：行号/段落号=指标编号（12=1.1.1，12=skip 跳过），或列：province=E,reason=F "
                        "(corrections: ROW=CODE, or ROLE=COLUMN)")
    p.add_argument("--no-items", action="store_true", help="只导入，不生成整改事项 (do not create items)")
    p.set_defaults(func=cmd_review_import)
    p = rs.add_parser("compare", parents=[common], help="自评与省评对比 (self vs province score)")
    p.add_argument("--xlsx", metavar="FILE", help="写出对比表 Excel (write the compare sheet)")
    p.add_argument("--all", action="store_true", help="列出全部指标 (every indicator)")
    p.set_defaults(func=cmd_review_compare)
    r.set_defaults(func=_usage)


def _usage(args: argparse.Namespace, out: Output) -> int:
    raise UsageError("请指定 review 的子命令：review import FILE 或 review compare",
                     "give a review subcommand: review import FILE or review compare")


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:g}"


def cmd_review_import(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.review import import_review, item_dict

    with open_archive(args) as archive:
        res = import_review(archive, args.file, dry_run=args.dry_run, mapping=args.mapping,
                            progress=out.progress, create_items=not args.no_items)
    data = res.as_dict()
    data["items"] = [item_dict(it) for it in res.items]
    out.json(data)
    head = "（预览，未写入）" if res.dry_run else ""
    what = "省评得分表" if res.kind == "scores" else "评价结果报告"
    out.text(f"{what}导入{head}：{res.file_name}")
    if res.scores is not None:
        sp = res.scores
        out.text(f"  工作表“{sp.sheet}”，表头第 {sp.header_row} 行；列："
                 + "，".join(f"{k}={v}" for k, v in sp.columns.items()))
        for r in sp.rows:
            ind = f"{r.indicator.code} {r.indicator.title}" if r.indicator else \
                "、".join(f"{c.code} {c.title}" for c in r.candidates) or "—"
            out.text(f"  第{r.row}行 [{STATE_ZH[r.state]}] {r.code or ''} {r.title} → {ind}；"
                     f"省评 {_num(r.province_score)}" + (f"；{r.reason}" if r.reason else ""))
    if res.report is not None:
        for p in res.report.problems:
            ind = "、".join(f"{i.code} {i.title}" for i in (p.indicators or p.candidates)) or "—"
            out.text(f"  第{p.paragraph}段 [{STATE_ZH[p.state]}] {p.kind}：{p.text} → {ind}")
    out.text(f"  已匹配 {res.matched}，待选择 {res.ambiguous}，未匹配 {res.unmatched}")
    if not res.dry_run:
        out.text(f"  写入得分 {res.scores_written} 项、问题 {res.problems_written} 条；"
                 f"新建整改事项 {len(res.items_created)} 项")
    if res.ambiguous or res.unmatched:
        out.text("  有未匹配或待选择的行：用 --map 行号=指标编号 更正后再导入"
                 " (rows left unmatched: correct them with --map ROW=CODE)")
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_review_compare(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.review import compare, row_dict
    from storage.review.compare import points_lost

    with open_archive(args) as archive:
        rows = compare(archive, all_indicators=args.all)
    written = None
    if args.xlsx:
        from exporters.review_xlsx import write_compare_xlsx

        written = str(write_compare_xlsx(rows, args.xlsx, title="自评与省评得分对比表"))
    below = [r for r in rows if r.difference is not None and r.difference < 0]
    lost = [r for r in rows if (points_lost(r) or 0) > 0]
    out.json({"rows": [row_dict(r) for r in rows], "lost": len(lost),
              "lost_points": round(sum(points_lost(r) or 0 for r in lost), 2),
              "below_self": len(below), "xlsx": written})
    out.text(f"{'编号':<8} {'分值':>5} {'自评':>5} {'省评':>5} {'差值':>6}  指标")
    for r in rows:
        out.text(f"{r.indicator.code:<8} {_num(r.max_score):>5} {_num(r.self_score):>5} "
                 f"{_num(r.province_score):>5} {_num(r.difference):>6}  {r.indicator.title}"
                 + (f"  扣分原因：{r.deduction_reason}" if r.deduction_reason else ""))
    out.text(f"失分指标 {len(lost)} 项，共失 {sum(points_lost(r) or 0 for r in lost):g} 分；"
             f"省评低于自评 {len(below)} 项")
    if written:
        out.text(f"已写出对比表：{written}")
    return EXIT_OK
