"""storage.tables.grid.read_sheets through the guards: by content, bounded sheets, the
password and old-format messages, damaged files refused clearly, LibreOffice's conversion in
its own folder with a real reason."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from reading_files import (
    billion_laughs_xlsx,
    encrypt_ooxml,
    far_cell_xlsx,
    lying_dimension_xlsx,
    old_excel_bytes,
    soffice_convert,
    whole_sheet_merge_xlsx,
)

from storage.kernel.convert import ConversionFailed, libreoffice
from storage.kernel.errors import BadInput
from storage.tables.grid import convert_or_refuse, convert_with_libreoffice, read_sheets

needs_lo = pytest.mark.skipif(libreoffice() is None and not os.environ.get("CI"), reason="LibreOffice missing")


def _table(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标体系"
    ws.append(["序号", "指标名称", "分值"])
    ws.append(["1.1.1", "质量工作纳入政府绩效考核", 3])
    ws.merge_cells("A3:C3")
    ws["A3"] = "合计"
    wb.save(path)
    return path


def test_by_content_and_lying_dimension(tmp_path: Path) -> None:
    blob = tmp_path / "9f86d081884c7d65"
    shutil.copyfile(_table(tmp_path / "t.xlsm"), blob)
    (sheet,) = read_sheets(blob)
    assert sheet.get(1, 1) == "质量工作纳入政府绩效考核" and sheet.get(2, 2) == "合计" and sheet.is_copy(2, 2)
    (dim,) = read_sheets(lying_dimension_xlsx(tmp_path / "dim.xlsx"))
    assert dim.nrows == 31 and dim.get(30, 0) == "任务31"


def test_far_cells_and_merges_bounded_or_refused(tmp_path: Path) -> None:
    (sheet,) = read_sheets(far_cell_xlsx(tmp_path / "far-empty.xlsx", with_value=False))
    assert (sheet.nrows, sheet.ncols) == (1, 1) and sheet.get(0, 0) == "指标名称"
    with pytest.raises(BadInput) as e:
        read_sheets(far_cell_xlsx(tmp_path / "far.xlsx"))
    assert "far.xlsx" in e.value.zh and "远处" in e.value.zh
    with pytest.raises(BadInput) as e2:
        read_sheets(whole_sheet_merge_xlsx(tmp_path / "merge.xlsx"))
    assert "合并单元格" in e2.value.zh
    with pytest.raises(BadInput) as e3:
        read_sheets(billion_laughs_xlsx(tmp_path / "lol.xlsx"))
    assert "实体" in e3.value.zh


def test_password_old_damaged_wrong_kind_messages(tmp_path: Path) -> None:
    enc = encrypt_ooxml(_table(tmp_path / "t.xlsx"), tmp_path / "加密.xlsx")
    with pytest.raises(BadInput) as e:
        read_sheets(enc)
    assert e.value.zh.startswith("文件有密码保护，请去掉密码后再导入") and "password-protected" in e.value.en
    (tmp_path / "excel4.xls").write_bytes(old_excel_bytes())
    with pytest.raises(BadInput) as e2:
        read_sheets(tmp_path / "excel4.xls")
    assert "Excel 5.0/95 或更早" in e2.value.zh and "另存为 .xlsx" in e2.value.zh
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes((tmp_path / "t.xlsx").read_bytes()[:900])
    with pytest.raises(BadInput) as e3:
        read_sheets(cut)
    assert "损坏" in e3.value.zh and "cut.xlsx" in e3.value.zh
    d = docx.Document()
    d.add_paragraph("不是表格")
    d.save(str(tmp_path / "plan.xlsx"))
    with pytest.raises(BadInput) as e4:
        read_sheets(tmp_path / "plan.xlsx")
    assert "Word 文档，不是表格" in e4.value.zh
    for err in (e, e2, e3, e4):
        msg = str(err.value)
        assert "/tmp" not in msg and "Error" not in msg and "application/" not in msg


@needs_lo
def test_ods_and_et(tmp_path: Path) -> None:
    ods = soffice_convert(_table(tmp_path / "t.xlsx"), "ods", tmp_path)
    (sheet,) = read_sheets(ods)
    assert sheet.get(1, 1) == "质量工作纳入政府绩效考核" and sheet.is_copy(2, 1)
    xls = soffice_convert(tmp_path / "t.xlsx", "xls", tmp_path)
    et = tmp_path / "wps.et"
    shutil.copyfile(xls, et)
    (sheet2,) = read_sheets(et)
    assert sheet2.get(1, 1) == "质量工作纳入政府绩效考核"


@needs_lo
def test_conversion_failure_never_returns_the_input(tmp_path: Path) -> None:
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert convert_with_libreoffice(bad, "docx") is None
    with pytest.raises(ConversionFailed) as e:
        convert_or_refuse(bad, "docx")
    assert e.value.reason == "damaged" and "坏.docx" in e.value.zh and "/tmp" not in str(e.value)
    good = tmp_path / "好.docx"
    d = docx.Document()
    d.add_paragraph("转换测试")
    d.save(str(good))
    out = convert_or_refuse(good, "docx")
    try:
        assert out.name == "converted.docx" and out.parent != good.parent and len(list(out.parent.iterdir())) == 1
        assert "转换测试" in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    finally:
        shutil.rmtree(out.parent)


def test_cli_imports_refuse_hostile_and_password_files_with_exit_2(tmp_path: Path) -> None:
    from conftest import run_cli

    arch = tmp_path / "arch"
    assert run_cli("init", "--archive", str(arch)).returncode == 0
    files = [
        billion_laughs_xlsx(tmp_path / "实体.xlsx"),
        whole_sheet_merge_xlsx(tmp_path / "合并.xlsx"),
        encrypt_ooxml(_table(tmp_path / "t.xlsx"), tmp_path / "加密.xlsx"),
    ]
    (tmp_path / "旧.xls").write_bytes(old_excel_bytes())
    files.append(tmp_path / "旧.xls")
    for f in files:
        for cmd in (("framework", "import"), ("duties", "import")):
            r = run_cli(*cmd, str(f), "--archive", str(arch))
            assert r.returncode == 2, (cmd, f.name, r.stdout, r.stderr)
            err = r.stderr.strip()
            assert f.name in err and "Traceback" not in err and "site-packages" not in err + r.stdout
            assert len(err.splitlines()) == 1, err
