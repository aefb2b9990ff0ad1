"""The three rectification documents (issue 16, item 3): written from read models, converted
to PDF by LibreOffice, page counts and text checked; the 整改台账 read back with openpyxl."""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader
from review_fixtures import facts, items

from exporters.rectification import (
    progress_summary,
    write_rectification_ledger,
    write_rectification_plan,
    write_rectification_report,
)
from storage.kernel.errors import ArchiveError


def _pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(str(path))
    return len(reader.pages), "".join((p.extract_text() or "") for p in reader.pages).replace(" ", "").replace("\n", "")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/setup.sh")
def test_three_documents_convert_to_pdf_with_their_content(tmp_path: Path) -> None:
    from exporters.convert import Job
    from exporters.converters import available_converter

    conv = available_converter("libreoffice")
    assert conv is not None
    docs = [
        write_rectification_plan(items(), facts(), tmp_path / "01 整改方案.docx"),
        write_rectification_ledger(items(), facts(), tmp_path / "02 整改台账.xlsx"),
        write_rectification_report(items(), facts(), tmp_path / "03 整改情况报告.docx"),
    ]
    jobs = [Job(d, tmp_path / (d.stem + ".pdf")) for d in docs]
    results = conv.to_pdf_many(jobs, timeout=180)
    out = {}
    for job, res in zip(jobs, results):
        assert not isinstance(res, Exception), res
        out[job.src.stem] = _pdf_text(Path(res))

    pages, text = out["01 整改方案"]
    assert 3 <= pages <= 6, pages     # notice, the 方案, the landscape 附件 table
    assert "沂水县质量强县工作领导小组办公室" in text
    assert "关于印发《沂水县质量强县评价反馈问题整改方案》的通知" in text
    assert "沂质强办〔2026〕5号" in text
    for word in ("存在问题", "整改措施", "牵头单位", "配合单位", "完成时限", "县委组织部",
                 "检验检测公共服务平台建设滞后", "2026年11月30日", "长期坚持"):
        assert word in text, word
    assert "××" not in text

    pages, text = out["02 整改台账"]
    assert pages == 1, pages          # fits one landscape page: 4 items, fit to width
    assert "沂水县质量强县评价反馈问题整改台账" in text and "整改中" in text

    pages, text = out["03 整改情况报告"]
    assert 2 <= pages <= 6, pages
    assert "关于沂水县质量强县评价反馈问题整改情况的报告" in text
    for word in ("质量工作考核结果运用不充分", "县市场监管局", "2026年10月31日", "已完成",
                 "1-1关于将质量工作纳入综合考核的通知", "2-1社会公用计量标准考核证书",
                 "已超过完成时限"):
        assert word in text, word


def test_plan_table_lists_every_item_in_a_landscape_section(tmp_path: Path) -> None:
    path = write_rectification_plan(items(), facts(), tmp_path / "plan.docx")
    doc = docx.Document(str(path))
    assert len(doc.sections) == 2
    wide = doc.sections[1]
    assert wide.page_width > wide.page_height
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "存在问题", "整改措施", "牵头单位", "配合单位", "完成时限"]
    assert len(table.rows) == 1 + len(items())
    row2 = [c.text for c in table.rows[2].cells]
    assert row2[0] == "2" and row2[3] == "县市场监管局" and row2[4] == "县发改局、县财政局"
    assert row2[5] == "2026年\n11月30日"          # the year on its own line: a narrow column
    assert [c.text for c in table.rows[4].cells][5] == "长期坚持"


def test_ledger_reads_back_with_status_progress_evidence_and_print_fit(tmp_path: Path) -> None:
    path = write_rectification_ledger(items(), facts(), tmp_path / "台账.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    headers = [c.value for c in ws[3]]
    assert headers == ["序号", "存在问题", "对应指标", "整改措施", "牵头单位", "配合单位", "完成时限",
                       "状态", "整改进展", "证明材料"]
    first = [c.value for c in ws[4]]
    assert first[0] == 1 and first[4] == "县委组织部"
    assert first[6] == dt.datetime(2026, 10, 31)          # a real date, shown as 2026年10月31日
    assert "年" in ws.cell(row=4, column=7).number_format
    assert first[7] == "已完成" and "〔1-2〕2026年度综合考核细则" in first[9]
    second = [c.value for c in ws[5]]
    assert second[7] == "整改中（逾期）"
    assert ws.cell(row=5, column=7).font.color.rgb.endswith("C00000")
    assert [c.value for c in ws[7]][6] == "长期坚持"
    summary = ws.cell(row=8, column=1).value
    assert summary.startswith("整改进展：共 4 项") and "逾期 1 项" in summary and "50%" in summary
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    # rows tall enough for their wrapped text (LibreOffice/WPS print the stored height)
    assert ws.row_dimensions[4].height >= 30


def test_same_items_give_the_same_bytes(tmp_path: Path) -> None:
    a = write_rectification_ledger(items(), facts(), tmp_path / "a.xlsx").read_bytes()
    b = write_rectification_ledger(items(), facts(), tmp_path / "b.xlsx").read_bytes()
    assert a == b


def test_county_name_is_required_and_no_items_is_said(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError) as e:
        write_rectification_plan(items(), dataclasses.replace(facts(), county_name=" "), tmp_path / "x.docx")
    assert "县名" in e.value.zh
    with pytest.raises(ArchiveError) as e:
        write_rectification_report([], facts(), tmp_path / "y.docx")
    assert "还没有整改事项" in e.value.zh
    assert not (tmp_path / "x.docx").exists()


def test_progress_summary_counts_statuses() -> None:
    assert progress_summary(items()) == ("共 4 项：未开始 1 项，整改中 1 项，已完成 1 项，长期坚持 1 项；"
                                        "逾期 1 项；完成率（含长期坚持）50%")
