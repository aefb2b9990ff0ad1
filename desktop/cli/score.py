"""Subcommands for self-scores (issue 7, item 5).

    score set CODE [--score N] [--note TEXT] [--description TEXT] [--value N]
                   [--veto clear|violated] [--clear]
    score list

Thin layers over storage.assessments; the window calls the same functions.
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.output import EXIT_OK, Output, UsageError, open_archive

STATE_ZH = {"met": "达标", "not_met": "未达标", "unknown": "未填实际值", "": ""}
VETO_ZH = {"clear": "未发生", "violated": "已发生", "unchecked": "未核查", "": ""}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("score", parents=[common], help="自评得分 (self-scores)")
    ssub = s.add_subparsers(dest="score_command", parser_class=type(s))
    p = ssub.add_parser("set", parents=[common], help="填写一个末级指标的自评 (record a self-assessment)")
    p.add_argument("code", metavar="CODE", help="指标编号，如 1.1.1 (indicator code)")
    p.add_argument("--score", metavar="N", help="自评得分，0 到分值之间；空字符串清除 (self score)")
    p.add_argument("--note", metavar="TEXT", help="扣分说明 (deduction note)")
    p.add_argument("--description", metavar="TEXT", help="完成情况说明 (description for the report)")
    p.add_argument("--value", metavar="N", help="实际值，与目标值比较 (actual value vs the target)")
    p.add_argument("--veto", choices=("clear", "violated"),
                   help="一票否决项核查：clear 未发生 / violated 已发生 (veto item check)")
    p.add_argument("--clear", action="store_true", help="清除该指标的自评 (remove the assessment)")
    p.set_defaults(func=cmd_score_set)
    p = ssub.add_parser("list", parents=[common], help="列出自评得分 (list self-scores)")
    p.set_defaults(func=cmd_score_list)
    s.set_defaults(func=_usage)


def _usage(args: argparse.Namespace, out: Output) -> int:
    raise UsageError("请指定 score 的子命令：score set CODE … 或 score list",
                     "give a score subcommand: score set CODE … or score list")


def _num(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:g}"


def cmd_score_set(args: argparse.Namespace, out: Output) -> int:
    from storage.bundle.assessments import UNSET, set_assessment

    given = [args.score, args.note, args.description, args.value, args.veto]
    if not args.clear and all(v is None for v in given):
        raise UsageError("请至少给出 --score、--note、--description、--value、--veto 或 --clear 之一",
                         "give at least one of --score, --note, --description, --value, --veto, --clear")
    with open_archive(args) as archive, archive.sessions.write() as s:
        row = set_assessment(
            s, args.code,
            score=UNSET if args.score is None else args.score,
            note=args.note, description=args.description,
            value=UNSET if args.value is None else args.value,
            veto=args.veto, clear=args.clear,
        )
    out.json(row)
    line = f"{row.code} {row.title}：分值 {_num(row.max_score)}，自评得分 {_num(row.self_score)}"
    if row.target_state:
        target = row.target_text or row.target_value
        line += f"；目标 {target}，实际 {_num(row.actual_value)}，{STATE_ZH[row.target_state]}"
    if row.is_veto:
        line += f"；一票否决项：{VETO_ZH[row.veto_state]}"
    out.text(("已清除自评：" if args.clear else "已保存：") + line)
    return EXIT_OK


def cmd_score_list(args: argparse.Namespace, out: Output) -> int:
    from storage.bundle.assessments import self_score_sheet

    with open_archive(args) as archive, archive.sessions.read() as s:
        sheet = self_score_sheet(s)
    leaves = sheet.leaves
    out.json({
        "framework_id": sheet.framework_id, "framework_name": sheet.framework_name,
        "max_total": sheet.max_total, "self_total": sheet.self_total,
        "scored": sum(1 for r in leaves if r.self_score is not None),
        "unscored": len(sheet.unscored), "rows": list(leaves),
    })
    out.text(f"指标体系：{sheet.framework_name or '（尚未导入）'}")
    for r in leaves:
        flags = ("★" if r.is_key else "") + ("否决" if r.is_veto else "")
        line = f"  {r.code:<8} {flags:<3} 分值 {_num(r.max_score):>5}  自评 {_num(r.self_score):>5}  {r.title}"
        if r.target_state:
            target = r.target_text or _num(r.target_value)
            line += f"  [目标 {target}，实际 {_num(r.actual_value)}：{STATE_ZH[r.target_state]}]"
        if r.is_veto:
            line += f"  [{VETO_ZH[r.veto_state]}]"
        if r.deduction_note:
            line += f"  扣分说明：{r.deduction_note}"
        out.text(line)
    out.text(f"合计：分值 {sheet.max_total:g}，自评得分 {sheet.self_total:g}；"
             f"未自评 {len(sheet.unscored)} 项")
    return EXIT_OK
