"""Fonts by family name: which Chinese fonts the documents ask for, and which of them this
computer has.

The Word documents always *name* the GB/T 9704-2012 fonts first (仿宋_GB2312 for the body,
方正小标宋简体 for titles, 宋体 for page numbers) and let Word, WPS or LibreOffice fall back
through the font table's alternative names when one is missing; the clerk's office PC usually
has them. `resolve()` answers the other question — what will actually be used here — so a
PDF conversion can tell the clerk "仿宋_GB2312 is not installed; 仿宋 is used instead".

Where the list of installed families comes from:

- Linux (统信UOS, 麒麟, the build machine): fontconfig, `fc-list : family` (one line per
  face, comma-separated names, Chinese and English names both listed).
- Windows: the registry's font lists (HKLM and, since Windows 10 1809, HKCU
  ``Software\\Microsoft\\Windows NT\\CurrentVersion\\Fonts``); value names such as
  ``"SimSun & NSimSun (TrueType)"``. When the registry cannot be read, the file names in
  %WINDIR%\\Fonts are mapped through `WINDOWS_FILES`.

Both listings go through one parser each (`parse_fc_list`, `parse_registry_names`), tested
with fake listings; `installed_families(listing=...)` takes an injected listing so nothing
here depends on the machine in tests.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

# One family, the names it goes by (Chinese name, English name, PostScript-ish names).
ALIASES: tuple[tuple[str, ...], ...] = (
    ("仿宋_GB2312", "FangSong_GB2312"),
    ("仿宋", "FangSong", "STFangsong", "华文仿宋"),
    ("宋体", "SimSun", "NSimSun", "新宋体"),
    ("黑体", "SimHei"),
    ("楷体_GB2312", "KaiTi_GB2312"),
    ("楷体", "KaiTi", "STKaiti", "华文楷体"),
    ("微软雅黑", "Microsoft YaHei", "Microsoft YaHei UI"),
    ("方正小标宋简体", "FZXiaoBiaoSong-B05S"),
    ("方正小标宋_GBK", "FZXiaoBiaoSong-B05"),
    ("小标宋", "方正小标宋", "XiaoBiaoSong"),
    ("华文中宋", "STZhongsong"),
    ("Noto Serif CJK SC", "Noto Serif SC", "思源宋体", "Source Han Serif SC", "Source Han Serif CN"),
    ("Noto Sans CJK SC", "Noto Sans SC", "思源黑体", "Source Han Sans SC", "Source Han Sans CN"),
)

# Fallback chains: the first name is the one GB/T 9704-2012 asks for and the one written
# into the documents; the rest, in order, what to use instead.
BODY = ("仿宋_GB2312", "仿宋", "FangSong", "宋体", "Noto Serif CJK SC")
TITLE = ("方正小标宋简体", "方正小标宋_GBK", "小标宋", "华文中宋", "宋体", "Noto Serif CJK SC")
HEADING1 = ("黑体", "SimHei", "微软雅黑", "Noto Sans CJK SC")
HEADING2 = ("楷体_GB2312", "楷体", "KaiTi", "仿宋", "Noto Serif CJK SC")
PAGE_NUMBER = ("宋体", "SimSun", "Noto Serif CJK SC")
UI = ("微软雅黑", "Microsoft YaHei", "Noto Sans CJK SC", "宋体")
LATIN = "Times New Roman"  # digits and Latin letters in 公文 body text

# %WINDIR%\Fonts file name -> family, for when the registry is not readable.
WINDOWS_FILES = {
    "simfang.ttf": "FangSong",
    "fangsong_gb2312.ttf": "FangSong_GB2312",
    "仿宋_gb2312.ttf": "仿宋_GB2312",
    "simsun.ttc": "SimSun",
    "simsunb.ttf": "SimSun-ExtB",
    "simhei.ttf": "SimHei",
    "simkai.ttf": "KaiTi",
    "kaiti_gb2312.ttf": "KaiTi_GB2312",
    "msyh.ttc": "Microsoft YaHei",
    "msyh.ttf": "Microsoft YaHei",
    "fzxbsjw.ttf": "方正小标宋简体",
    "fzxbsk.ttf": "方正小标宋_GBK",
    "stzhongs.ttf": "STZhongsong",
    "stfangso.ttf": "STFangsong",
}

_ALIAS_INDEX: dict[str, int] = {
    name.casefold(): i for i, names in enumerate(ALIASES) for name in names
}


def _key(name: str) -> str:
    """A family's identity: its alias group, else its case-folded name."""
    k = name.strip().casefold()
    i = _ALIAS_INDEX.get(k)
    return f"#{i}" if i is not None else k


def same_family(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def alt_names(name: str) -> tuple[str, ...]:
    """The other names `name` goes by (empty when none is known)."""
    i = _ALIAS_INDEX.get(name.strip().casefold())
    if i is None:
        return ()
    return tuple(n for n in ALIASES[i] if n.casefold() != name.strip().casefold())


# --- listings ---------------------------------------------------------------------------


def parse_fc_list(text: str) -> frozenset[str]:
    """Families from `fc-list : family` output: one face per line, its names comma-separated
    (escaped commas ``\\,`` stay in a name)."""
    out: set[str] = set()
    for line in text.splitlines():
        for name in re.split(r"(?<!\\),", line):
            name = name.replace("\\,", ",").replace("\\-", "-").strip()
            if name:
                out.add(name)
    return frozenset(out)


_REG_SUFFIX = re.compile(r"\s*\((TrueType|OpenType|All res|VGA res|[^)]*)\)\s*$", re.I)


def parse_registry_names(value_names: Iterable[str]) -> frozenset[str]:
    """Families from the registry's Fonts value names: "SimSun & NSimSun (TrueType)",
    "仿宋_GB2312 (TrueType)", "Microsoft YaHei & Microsoft YaHei UI (TrueType)"."""
    out: set[str] = set()
    for value in value_names:
        value = _REG_SUFFIX.sub("", value)
        for name in value.split("&"):
            name = name.strip()
            # "Arial Bold", "Microsoft YaHei Bold": the family without the style word
            name = re.sub(r"\s+(Bold|Italic|Light|Semibold|Regular)(\s+(Bold|Italic))?$", "", name)
            if name:
                out.add(name)
    return frozenset(out)


def parse_windows_font_files(file_names: Iterable[str]) -> frozenset[str]:
    return frozenset(WINDOWS_FILES[n.casefold()] for n in file_names if n.casefold() in WINDOWS_FILES)


def _fc_list() -> frozenset[str]:
    exe = shutil.which("fc-list")
    if exe is None:
        return frozenset()
    try:
        r = subprocess.run([exe, ":", "family"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return parse_fc_list(r.stdout.decode("utf-8", "replace"))


def _windows_listing() -> frozenset[str]:  # pragma: no cover - Windows only
    names: list[str] = []
    if sys.platform == "win32":  # only called there; mypy then knows winreg's names
        import winreg

        key_path = r"Software\Microsoft\Windows NT\CurrentVersion\Fonts"
        for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
            try:
                with winreg.OpenKey(hive, key_path) as k:
                    i = 0
                    while True:
                        try:
                            names.append(winreg.EnumValue(k, i)[0])
                        except OSError:
                            break
                        i += 1
            except OSError:
                continue
    families = parse_registry_names(names)
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
    try:
        files = os.listdir(os.path.join(windir, "Fonts"))
    except OSError:
        files = []
    return families | parse_windows_font_files(files)


@lru_cache(maxsize=1)
def _system_families() -> frozenset[str]:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return _windows_listing()
    return _fc_list()


def installed_families(listing: Callable[[], Iterable[str]] | None = None) -> frozenset[str]:
    """The font families this computer has (cached); `listing` replaces the system's."""
    if listing is not None:
        return frozenset(listing())
    return _system_families()


# --- resolving --------------------------------------------------------------------------


def resolve(chain: Iterable[str], families: Iterable[str] | None = None) -> str | None:
    """The first name of `chain` that is installed (matched through its aliases), spelled
    as the system lists it; None when none is."""
    fams = installed_families() if families is None else families
    exact = {f.strip().casefold(): f for f in fams}
    for wanted in chain:
        got = exact.get(wanted.strip().casefold())
        if got is not None:
            return got
        for alias in alt_names(wanted):  # in ALIASES order: the Chinese name, then English
            got = exact.get(alias.casefold())
            if got is not None:
                return got
    return None


@dataclass(frozen=True)
class FontChoice:
    """A role's font: the name written into documents and what this computer will show."""

    role: str                 # e.g. "正文"
    role_en: str              # e.g. "body"
    wanted: str               # GB/T name, written into the document
    used: str | None          # what is installed here (None: nothing from the chain)

    @property
    def substituted(self) -> bool:
        return self.used is None or not same_family(self.used, self.wanted)


ROLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("正文", "body", BODY),
    ("标题", "title", TITLE),
    ("一级标题", "heading 1", HEADING1),
    ("二级标题", "heading 2", HEADING2),
    ("页码", "page number", PAGE_NUMBER),
)


def font_report(families: Iterable[str] | None = None) -> list[FontChoice]:
    """For each role, what the documents ask for and what this computer has."""
    fams = installed_families() if families is None else frozenset(families)
    return [FontChoice(zh, en, chain[0], resolve(chain, fams)) for zh, en, chain in ROLES]


def substitution_notes(families: Iterable[str] | None = None) -> list[str]:
    """One line per role whose GB/T font is missing here (Chinese, then English)."""
    notes = []
    for c in font_report(families):
        if not c.substituted:
            continue
        if c.used:
            notes.append(f"本机未安装“{c.wanted}”，{c.role}以“{c.used}”代替 "
                         f"({c.wanted} is not installed; the {c.role_en} uses {c.used})")
        else:
            notes.append(f"本机未安装“{c.wanted}”及其替代字体，{c.role}可能显示为方框 "
                         f"({c.wanted} and its fallbacks are missing; the {c.role_en} may show boxes)")
    return notes


__all__ = ["ALIASES", "BODY", "FontChoice", "HEADING1", "HEADING2", "LATIN", "PAGE_NUMBER",
           "TITLE", "UI", "alt_names", "font_report", "installed_families", "parse_fc_list",
           "parse_registry_names", "parse_windows_font_files", "resolve", "same_family",
           "substitution_notes"]
