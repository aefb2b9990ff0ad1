"""Which PDF converter this computer has: Microsoft Office or WPS through COM on Windows
(`exporters.convert_win`), else LibreOffice (`exporters.convert`), as the clerk or the
EVIDENCE_DESK_CONVERTER variable prefers."""
from __future__ import annotations

import os
import sys

from exporters.convert import ConversionError, Converter, LibreOfficeConverter, find_soffice
from exporters.convert_win import office_converter


def available_converter(prefer: str | None = None) -> Converter | None:
    """The converter this computer can use, or None. `prefer` (or the environment variable
    EVIDENCE_DESK_CONVERTER): "libreoffice", "word", "wps" or "none"."""
    choice = (prefer or os.environ.get("EVIDENCE_DESK_CONVERTER") or "").strip().lower()
    if choice == "none":
        return None
    order = [choice] if choice else (["word", "wps", "libreoffice"] if sys.platform == "win32"
                                     else ["libreoffice"])
    for name in order:
        if name == "libreoffice":
            if find_soffice():
                return LibreOfficeConverter()
        elif name in ("word", "wps"):
            conv = office_converter(name)
            if conv is not None:
                return conv
        else:
            raise ConversionError(f"未知的转换程序：{choice}（可选 libreoffice、word、wps、none）",
                                  f"unknown converter: {choice} (libreoffice, word, wps, none)")
    return None


def missing_converter_message() -> tuple[str, str]:
    return ("本机没有可用的 PDF 转换程序（Microsoft Office、WPS 或 LibreOffice），只生成了 Word 文件；"
            "安装其中之一后可生成合并的 PDF",
            "no PDF converter on this computer (Microsoft Office, WPS or LibreOffice): only the "
            "Word files were made; install one of them to get the merged PDF")
