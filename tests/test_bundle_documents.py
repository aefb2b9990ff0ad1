"""The generated documents of the bundle (issue 7, item 2), exported from a real archive and
opened back with python-docx and openpyxl: 申报表 with the county facts, 自评报告 with a
section per indicator and the evidence by bundle number, 佐证材料目录, the self-score sheet
(SUM formulas, veto check), the responsibility table and the evidence list with sizes and
SHA-256; East Asian fonts on every run; byte-identical on a second export."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from bundle_helpers import county_archive
from conftest import run_cli
from docx import Document
from docx.oxml.ns import qn

from desktop.actions.export import prepared_bundle
from exporters.bundle import DOCS_FOLDER, write_folder, write_zip
from exporters.manifest import verify_bundle

DATE = dt.date(2026, 3, 1)
DOCS = ["01 申报表.docx", "02 自评报告.docx", "03 佐证材料目录.docx", "04 自评得分表.xlsx",
        "05 工作责任分解表.xlsx", "06 佐证材料清单.xlsx"]


@pytest.fixture
def exported(archive, tmp_path):
    ids = county_archive(archive, tmp_path)
    with prepared_bundle(archive, DATE) as prep:
        result = write_folder(prep.plan, tmp_path / "out", prep.path_for, export_date=DATE)
    return archive, ids, prep, Path(result.path)


def _body_text(doc) -> list[str]:
    """Paragraphs and table cells in body order."""
    out = []
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            out.append("".join(t.text or "" for t in el.iter(qn("w:t"))))
        elif el.tag == qn("w:tbl"):
            for tr in el.iter(qn("w:tr")):
                out.append(" | ".join("".join(t.text or "" for t in tc.iter(qn("w:t")))
                                      for tc in tr.iterchildren(qn("w:tc"))))
    return out


def _runs_have_east_asian_fonts(doc) -> None:
    runs = list(doc.element.body.iter(qn("w:r")))
    assert runs
    for r in runs:
        if not "".join(t.text or "" for t in r.iter(qn("w:t"))).strip():
            continue
        fonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), "run without w:eastAsia"
        assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_documents_come_first_in_the_bundle_and_verify(exported):
    archive, ids, prep, root = exported
    assert prep.plan.folders[0] == DOCS_FOLDER
    assert [f.path for f in prep.plan.files[:6]] == [f"{DOCS_FOLDER}/{n}" for n in DOCS]
    assert sorted(p.name for p in (root / DOCS_FOLDER).iterdir()) == DOCS
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    rows = {r["path"]: r for r in manifest["files"]}
    for n in DOCS:
        row = rows[f"{DOCS_FOLDER}/{n}"]
        assert row["evidence_id"] is None and row["indicator"] == "申报文件"
        assert hashlib.sha256((root / DOCS_FOLDER / n).read_bytes()).hexdigest() == row["sha256"]
    assert verify_bundle(root).ok


def test_application_form_has_the_county_facts(exported):
    *_, root = exported
    doc = Document(str(root / DOCS_FOLDER / DOCS[0]))
    text = _body_text(doc)
    assert text[0] == "沂水县申报表"
    rows = [t for t in text if " | " in t]
    assert rows[0] == "项目 | 内容"
    for row in ("申报单位（县、市、区） | 沂水县", "常住人口（万人） | 98.5", "面积（平方公里） | 2434.8",
                "地区生产总值（亿元） | 2024年 612.3；2023年 585.1", "县长 | 张三", "分管副县长 | 李四",
                "联系单位 | 沂水县市场监督管理局", "联系人 | 王五", "联系电话 | 0539-1234567",
                "评价指标体系 | 测试县质量强县评价指标", "数据截止日期 | 2025年12月31日",
                "自评总分 | 8.5 分（满分 10 分）", "申报日期 | 2026年3月1日"):
        assert row in rows, row
    assert any(r.startswith("佐证材料 | 4 个指标，") for r in rows)
    assert doc.core_properties.created.replace(tzinfo=None) == dt.datetime(2026, 3, 1)
    assert doc.core_properties.last_printed.replace(tzinfo=None) == dt.datetime(2026, 3, 1)
    assert doc.core_properties.revision == 1
    sec = doc.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.top_margin.mm) == 37  # gbt9704 base
    _runs_have_east_asian_fonts(doc)


def test_self_evaluation_report_sections_and_evidence_numbers(exported):
    archive, ids, prep, root = exported
    doc = Document(str(root / DOCS_FOLDER / DOCS[1]))
    text = _body_text(doc)
    assert text[0] == "沂水县自评报告"
    assert "自评总分 8.5 分（满分 10 分）" in text[1] and "1.4未核查" in text[1]
    assert "1 质量发展理念 | 10 | 8.5" in text and "合计 | 10 | 8.5" in text
    assert "一、质量发展理念（分值 10 分，自评得分 8.5 分）" in text
    i = text.index("1.1 组织领导")
    section = text[i:text.index("1.2 产品质量监督抽查合格率")]
    assert section[1] == "关键项；分值：3 分；自评得分：2.5 分。"
    assert section[2] == "评分标准：成立领导小组得1分，定期召开会议得2分。"
    assert section[3].startswith("完成情况：县政府成立了由县长任组长")
    assert section[4] == "扣分说明：领导小组会议记录缺一次，扣0.5分"
    assert section[5] == "佐证材料（2 个文件，见材料包“1.1 组织领导”文件夹）："
    assert section[6].startswith("01　关于印发沂水县") and "沂政发〔2023〕13号，2025年3月1日，沂水县人民政府" in section[6]
    assert section[7].startswith("02　会议纪要: 第一次会议?")
    # the numbers are the bundle's own
    bundle_names = sorted(p.name for p in (root / "1.1 组织领导").iterdir())
    assert [n[:2] for n in bundle_names] == ["01", "02"]
    j = text.index("1.2 产品质量监督抽查合格率")
    assert "目标值：合格率≥95%；实际值：96.2%；达标。" in text[j:j + 6]
    k = text.index("1.4 未发生重大质量安全事故")
    assert text[k + 1] == "一票否决项；核查结果：未核查。" and "佐证材料：（暂无）" in text[k + 2:k + 5]
    _runs_have_east_asian_fonts(doc)


def test_catalogue_lists_every_file_with_number_doc_number_date_body_and_path(exported):
    archive, ids, prep, root = exported
    doc = Document(str(root / DOCS_FOLDER / DOCS[2]))
    [table] = doc.tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["序号", "材料名称", "文号", "成文日期", "发文单位", "材料包中的位置"]
    assert rows[1][0] == "1.1 组织领导（关键项）" and len(set(rows[1])) == 1  # merged group row
    assert rows[2][0] == "01" and rows[2][2] == "沂政发〔2023〕13号" and rows[2][3] == "2025年3月1日"
    assert rows[2][4] == "沂水县人民政府" and rows[2][5].startswith("1.1 组织领导/01 沂政发〔2023〕13号 关于印发")
    assert (root / rows[2][5]).is_file()
    paths = [r[5] for r in rows if r[0][:2].isdigit() and len(r[0]) <= 4]
    evidence_paths = sorted(f.path for f in prep.plan.files if f.evidence_id is not None)
    assert sorted(paths) == evidence_paths
    assert ["1.4 未发生重大质量安全事故（一票否决项）　（暂无材料）"] * 6 in rows
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    assert widths[1] > widths[0] * 3
    _runs_have_east_asian_fonts(doc)


def test_self_score_sheet_formulas_and_veto_check(exported):
    *_, root = exported
    wb = openpyxl.load_workbook(root / DOCS_FOLDER / DOCS[3])
    ws = wb["自评得分表"]
    assert [c.value for c in ws[3]][:5] == ["编号", "指标", "分值", "自评得分", "扣分说明"]
    rows: dict = {}
    for r in range(4, ws.max_row + 1):
        rows.setdefault(ws.cell(row=r, column=1).value, r)
    r1 = rows["1"]
    assert ws.cell(row=r1, column=3).value == "=SUM(C5:C8)" and ws.cell(row=r1, column=4).value == "=SUM(D5:D8)"
    r11 = rows["1.1"]
    assert [ws.cell(row=r11, column=c).value for c in range(1, 6)] == [
        "1.1", "　★组织领导", 3, 2.5, "领导小组会议记录缺一次，扣0.5分"]
    r12 = rows["1.2"]
    assert [ws.cell(row=r12, column=c).value for c in (3, 4, 6, 7, 8)] == [4, 4, "合格率≥95%", 96.2, "达标"]
    assert ws.cell(row=rows["1.3"], column=4).value == 2
    r14 = rows["1.4"]
    assert ws.cell(row=r14, column=8).value == "□ 未核查"
    assert ws.cell(row=r14, column=8).fill.fgColor.rgb.endswith("F8CBAD")
    total = rows["合计"]
    assert ws.cell(row=total, column=3).value == "=SUM(C5:C8)"
    assert ws.cell(row=total, column=4).value == "=SUM(D5:D8)"
    check_row = rows["一票否决项核查"] + 2
    assert ws.cell(row=check_row, column=1).value == "1.4"
    assert ws.cell(row=check_row, column=3).value == "□ 未核查"
    [dv] = ws.data_validations.dataValidation
    assert ws.cell(row=check_row, column=3).coordinate in str(dv.sqref) and "☑ 未发生" in dv.formula1


def test_duties_and_evidence_list_workbooks(exported):
    archive, ids, prep, root = exported
    wb = openpyxl.load_workbook(root / DOCS_FOLDER / DOCS[4])
    ws = wb["责任分解表"]
    values = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert any("质量月活动" in str(v) for row in values for v in row)
    assert "统计日期：2026-03-01" in ws["A2"].value

    wb = openpyxl.load_workbook(root / DOCS_FOLDER / DOCS[5])
    ws = wb["佐证材料清单"]
    header = [c.value for c in ws[3]]
    assert header[-2:] == ["大小（字节）", "SHA-256"] and "材料包中的位置" in header
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=ws.max_row - 1)]
    evidence_files = [f for f in prep.plan.files if f.evidence_id is not None]
    assert len(rows) == len(evidence_files) == 6
    for row in rows:
        path, size, sha = row[9], row[11], row[12]
        data = (root / path).read_bytes()
        assert len(data) == size and hashlib.sha256(data).hexdigest() == sha
    assert rows[0][2] == "01" and rows[0][4] == "沂政发〔2023〕13号" and rows[0][5] == dt.datetime(2025, 3, 1)
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "合计" and last[11] == f"=SUM(L4:L{ws.max_row - 1})"


def test_same_archive_and_date_give_byte_identical_documents(exported, tmp_path):
    archive, ids, prep, root = exported
    with prepared_bundle(archive, DATE) as again:
        second = {d.name: d.data for d in again.documents}
    assert second == {d.name: d.data for d in prep.documents}
    for name, _data in second.items():
        with zipfile.ZipFile(root / DOCS_FOLDER / name) as z:
            assert {i.date_time for i in z.infolist()} == {(2026, 3, 1, 0, 0, 0)}
            core = z.read("docProps/core.xml").decode()
            assert "2026-03-01T00:00:00Z" in core and "<cp:revision>1</cp:revision>" in core.replace(
                "cp:revision", "cp:revision") or name.endswith(".xlsx")
    with prepared_bundle(archive, dt.date(2026, 3, 2)) as later:
        assert {d.name: d.data for d in later.documents}[DOCS[0]] != second[DOCS[0]]


def test_export_cli_zip_twice_is_byte_identical(archive, tmp_path):
    county_archive(archive, tmp_path)
    a = str(archive.root)
    for name in ("one", "two"):
        r = run_cli("export", str(tmp_path / name), "--zip", "--date", "2026-03-01", "--archive", a, "--json")
        assert r.returncode == 0, r.stderr
        doc = json.loads(r.stdout)
        assert doc["files"] == 12 and doc["documents"] == DOCS
    one, two = (tmp_path / "one.zip").read_bytes(), (tmp_path / "two.zip").read_bytes()
    assert one == two
    with zipfile.ZipFile(tmp_path / "one.zip") as z:
        info = z.getinfo(f"{DOCS_FOLDER}/{DOCS[1]}")
        assert info.compress_type == zipfile.ZIP_STORED and info.flag_bits & 0x800
    r = run_cli("export", str(tmp_path / "bare"), "--no-documents", "--archive", a, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["files"] == 6
    assert not (tmp_path / "bare" / DOCS_FOLDER).exists()


def test_zip_writer_takes_documents_too(exported, tmp_path):
    archive, ids, prep, root = exported
    with prepared_bundle(archive, DATE) as p:
        result = write_zip(p.plan, tmp_path / "b.zip", p.path_for, export_date=DATE)
    check = verify_bundle(result.path)
    assert check.ok and check.checked == 12
