"""Windows name rules of exporters.winpaths, on the names clerks really have."""
from __future__ import annotations

import pytest

from exporters import winpaths as w


@pytest.mark.parametrize("name", ["CON", "con.pdf", "Aux.tar.gz", "NUL", "com1.docx", "LPT9.txt", "prn "])
def test_reserved_names_any_case_any_extension(name):
    assert w.is_reserved(name)
    cleaned = w.clean(name)
    assert not w.is_reserved(cleaned) and w.problems(cleaned) == []
    assert cleaned.startswith("_")


@pytest.mark.parametrize("name", ["CONSOLE.pdf", "COM10.pdf", "报告CON.pdf", "LPT.docx"])
def test_names_that_only_look_reserved_are_kept(name):
    assert not w.is_reserved(name) and w.clean(name) == name


def test_forbidden_and_control_characters_become_readable_full_width():
    raw = '关于"质量月"活动: 方案?<草稿>|*第1版/2版\\终稿\t\n.pdf. .'
    cleaned = w.clean(raw)
    assert w.problems(cleaned) == []
    assert cleaned == "关于＂质量月＂活动： 方案？＜草稿＞｜＊第1版_2版_终稿 .pdf"
    assert w.clean("\x01\x1f") == "_" and w.clean("...") == "_" and w.clean("") == "_"


def test_lengths_are_counted_in_utf16_units():
    assert w.units("沂政发〔2023〕13号") == 12
    assert w.units("😀") == 2


def test_shorten_keeps_number_prefix_and_extension():
    name = "07 " + "关于印发沂水县创建山东省质量强县工作实施方案的通知" * 5 + ".pdf"
    short = w.shorten(name, 50, keep_prefix=3)
    assert w.units(short) <= 50
    assert short.startswith("07 关于印发") and short.endswith("….pdf")
    assert w.shorten("01 短.pdf", 50, keep_prefix=3) == "01 短.pdf"
    with pytest.raises(ValueError):
        w.shorten("0001 x" * 10 + ".docx", 8, keep_prefix=5)


def test_clashes_are_case_insensitive_and_get_deterministic_suffixes():
    def run():
        ns = w.NameSpace()
        return [ns.claim(n, 30) for n in ["Report.PDF", "report.pdf", "REPORT.pdf", "其他.pdf"]]

    names = run()
    assert names == ["Report.PDF", "report (2).pdf", "REPORT (3).pdf", "其他.pdf"]
    assert run() == names


def test_suffix_survives_shortening():
    ns = w.NameSpace()
    long = "质量强县创建工作领导小组会议纪要" * 4 + ".docx"
    a, b = ns.claim(long, 30), ns.claim(long, 30)
    assert a != b and b.endswith(" (2).docx") and w.units(b) <= 30 and w.units(a) <= 30


def test_path_problems_names_every_broken_rule():
    assert w.path_problems("1.1.1 组织领导/01 通知.pdf") == []
    found = w.path_problems("a" * 200 + "/CON.pdf", budget=160)
    assert any("too long" in p for p in found) and any("reserved" in p for p in found)
    assert w.path_problems("x" * 159) == [] and w.path_problems("x" * 160) != []
