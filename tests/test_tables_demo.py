"""The sample tables shipped in resources/demo import cleanly and say they are samples."""
from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import select

import resources
from storage.models import Framework, Indicator
from storage.tables.duties_import import import_duties
from storage.tables.framework_import import import_framework

pytestmark = pytest.mark.backends

FW = resources.path("demo", "示例_指标体系.xlsx")
DUTIES = resources.path("demo", "示例_责任分解表.xlsx")


def test_demo_tables_are_marked_sample():
    for p in (FW, DUTIES):
        ws = openpyxl.load_workbook(p).active
        assert "示例" in ws["A1"].value
        last = ws.cell(ws.max_row, 1).value
        assert last.startswith("注：") and "虚构示例" in last and "不代表任何官方内容" in last


def test_demo_framework_and_duties_import(archive):
    rep = import_framework(archive, FW)
    assert rep.written and not rep.problems
    with archive.sessions.read() as s:
        fw = s.scalar(select(Framework))
        assert fw.is_sample and "示例" in fw.name and fw.total_score == 41
        level1 = s.scalars(select(Indicator.title).where(Indicator.level == 1).order_by(Indicator.position)).all()
        # the only official content: the four public level-1 names
        assert level1 == ["质量发展理念", "质量发展保障", "质量发展基础", "质量发展成效"]
        others = s.scalars(select(Indicator.title).where(Indicator.level > 1)).all()
        assert all(t.startswith("示例") for t in others)
        veto = s.scalar(select(Indicator).where(Indicator.is_veto.is_(True)))
        assert veto.title == "示例：未发生重大质量安全事故"
    d = import_duties(archive, DUTIES)
    assert d.rows_read == 9 and d.summary["linked_to_indicator"] == 9 and not d.warnings
