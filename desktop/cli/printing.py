"""Binders for print (issue 7, item 4) and the PDF-only bundle (item 3).

    binder OUTDIR [--no-pdf] [--per-level1] [--date YYYY-MM-DD] [--converter NAME]
        the Word binder(s) in the GB/T 9704 layout, and with a converter (Microsoft Office,
        WPS or LibreOffice) one PDF per binder with the evidence merged in
    upload-ready BUNDLE_DIR OUTDIR [--max-mb N] [--date YYYY-MM-DD] [--converter NAME]
        a copy of an exported bundle folder with every file as a PDF under N MB

The work is done by `desktop.actions.printing`, which the window calls too.
"""
from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.output import EXIT_OK, EXIT_PROBLEMS, CancelOnInterrupt, Output, UsageError, open_archive, parse_date
from storage.kernel.errors import Cancelled


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("binder", parents=[common],
                       help="生成打印装订册（GB/T 9704 版式的 Word，及合并的 PDF）(binders for print)")
    s.add_argument("outdir", metavar="OUTDIR", help="新的或空的文件夹 (a new or empty folder)")
    s.add_argument("--no-pdf", action="store_true", help="只生成 Word (Word files only)")
    s.add_argument("--per-level1", action="store_true",
                   help="每个一级指标一册 (one binder per level-1 indicator)")
    s.add_argument("--date", metavar="YYYY-MM-DD", help="封面日期（默认今天）(cover date; default today)")
    s.add_argument("--converter", choices=("libreoffice", "word", "wps"),
                   help="指定 PDF 转换程序（默认自动选择）(PDF converter; default: automatic)")
    s.set_defaults(func=cmd_binder)

    s = sub.add_parser("upload-ready", parents=[common],
                       help="把材料包转为全部 PDF 且不超过大小上限 (a PDF-only copy of a bundle)")
    s.add_argument("bundle", metavar="BUNDLE_DIR")
    s.add_argument("outdir", metavar="OUTDIR")
    s.add_argument("--max-mb", type=float, default=10.0, metavar="N",
                   help="每个文件的大小上限（MB，默认 10）(per-file cap in MB)")
    s.add_argument("--date", metavar="YYYY-MM-DD")
    s.add_argument("--converter", choices=("libreoffice", "word", "wps"))
    s.set_defaults(func=cmd_upload_ready)




def cmd_binder(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.printing import build_binders, pick_converter

    date = parse_date(args.date)
    conv = None if args.no_pdf else pick_converter(args.converter)
    with open_archive(args) as archive:
        try:
            with CancelOnInterrupt() as cancel:
                result = build_binders(archive, args.outdir, export_date=date, converter=conv,
                                       pdf=not args.no_pdf, per_level1=args.per_level1,
                                       progress=out.progress, cancel=cancel)
        except Cancelled:
            raise UsageError("已取消，未留下不完整的装订册", "cancelled; no partial binder was left") from None
    out.json(result.as_dict())
    for p in result.docx:
        out.text(f"Word 装订册：{p}")
    for p, n in zip(result.pdf, result.pages, strict=True):
        out.text(f"PDF 装订册：{p}（{n} 页）")
    if result.message_zh and not args.no_pdf:
        out.text(f"{result.message_zh} ({result.message_en})")
    for ph in result.placeholders:
        out.text(f"  [占位页 placeholder] {ph.bundle_path}：{ph.reason_zh}")
    for note in result.font_notes:
        out.text(f"  [字体 font] {note}")
    return EXIT_OK


def cmd_upload_ready(args: argparse.Namespace, out: Output) -> int:
    from desktop.actions.printing import make_upload_ready, pick_converter

    conv = pick_converter(args.converter)
    try:
        with CancelOnInterrupt() as cancel:
            report = make_upload_ready(args.bundle, args.outdir, export_date=parse_date(args.date),
                                       max_mb=args.max_mb, converter=conv, progress=out.progress,
                                       cancel=cancel)
    except Cancelled:
        raise UsageError("已取消，未留下不完整的材料包", "cancelled; no partial bundle was left") from None
    out.json(report.as_dict())
    made = [i for i in report.items if i.output]
    out.text(f"已生成全 PDF 材料包：{report.out_dir}（{len(made)} 个文件）")
    for i in report.not_converted:
        out.text(f"  [未转换 not converted] {i.name}：{i.reason_zh}")
    return EXIT_OK if report.ok else EXIT_PROBLEMS
