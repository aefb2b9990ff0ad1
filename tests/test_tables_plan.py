"""Work-plan import (domain.md "Plans as they really read"): the 沂水 plan of seed 001 with
typed numbering and with Word's automatic numbering, other cities' phrasings, .doc through
LibreOffice."""
from __future__ import annotations

import json
import shutil

import docx
import pytest
from conftest import run_cli
from sqlalchemy import func, select
from test_tables_fixtures import (
    YISHUI_EXPECTED,
    plan_docx_autonumbered,
    plan_docx_typed,
    soffice_convert,
)

from storage.kernel.errors import BadInput
from storage.models import Duty
from storage.tables.plan_import import Para, import_plan, parse_plan, read_paragraphs, task_title

pytestmark = pytest.mark.backends


def _check_yishui(items):
    got = [(task_title(i["task"]), i["lead"], i["cooperating"]) for i in items]
    assert got == YISHUI_EXPECTED


def test_yishui_plan_typed_numbering_13_duties(archive, tmp_path):
    rep = import_plan(archive, plan_docx_typed(tmp_path / "yishui.docx"))
    assert rep.written and len(rep.items) == 13
    _check_yishui(rep.items)
    assert [i["code"] for i in rep.items][:5] == ["4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.2.5"]
    assert rep.items[0]["departments_text"] == "县市场监管局、县工信局、县农业农村局等部门按职责分工负责"
    assert not rep.items[0]["task"].endswith("负责)")  # the assignment is not part of the task
    with archive.sessions.read() as s:
        assert s.scalar(select(func.count()).select_from(Duty).where(Duty.source == "plan")) == 13


def test_yishui_plan_word_automatic_numbering_13_duties(archive, tmp_path):
    path = plan_docx_autonumbered(tmp_path / "yishui-auto.docx")
    assert not any(p.text.startswith("1.") for p in docx.Document(str(path)).paragraphs)
    paras = read_paragraphs(path)
    assert any(p.text.startswith("四、主要任务") for p in paras)
    assert any(p.text.startswith("（二）夯实质量发展基础") for p in paras)
    rep = import_plan(archive, path)
    assert len(rep.items) == 13
    _check_yishui(rep.items)
    # lvlRestart=0 in the numbering definition: 1..13 run on across sections
    assert [i["code"] for i in rep.items][4] == "4.2.5"


def test_other_phrasings_and_brackets():
    paras = [Para(t) for t in [
        "一、主要任务",
        "（一）推进质量提升。",
        "1．实施标准化战略。（市质监局牵头，市经信局、市工商局等单位及各镇街配合落实）",
        "2、发展现代渔业。（市农业局、市海洋与渔业局负责）",
        "3.贯彻质量发展纲要（2011-2020年），见附件（此件公开发布）。",
        "4.加强品牌建设。",
        "牵头单位：市市场监管局；责任单位：市商务局、各县（区）人民政府",
        "完成时限：2023年10月底前",
        "（二）保障措施（市财政局负责）",
    ]]
    specs, _ = parse_plan(paras, default_year=2023)
    got = [(task_title(s.task), s.lead, s.cooperating) for s in specs]
    assert got == [
        ("实施标准化战略", ["市质监局"], ["市经信局", "市工商局", "各镇街"]),
        ("发展现代渔业", ["市农业局"], ["市海洋与渔业局"]),
        ("加强品牌建设", ["市市场监管局"], ["市商务局", "各县（区）人民政府"]),
        ("保障措施", ["市财政局"], []),
    ]
    assert specs[2].deadline is not None and specs[2].deadline.isoformat() == "2023-10-31"
    assert specs[2].deadline_text == "2023年10月底前"


def test_plan_reimport_changes_nothing_and_reports_changes(archive, tmp_path):
    p = plan_docx_typed(tmp_path / "yishui.docx")
    import_plan(archive, p)
    assert import_plan(archive, p).unchanged
    d = docx.Document(str(p))
    for para in d.paragraphs:
        if para.text.startswith("12.开展质量宣传"):
            para.text = para.text.replace("(县市场监管局负责)", "(县市场监管局、县委宣传部负责)")
    d.save(str(p))
    rep = import_plan(archive, p, dry_run=True)
    assert [(c["code"], set(c["fields"])) for c in rep.changed] == [("4.5.12", {"departments", "departments_text"})]


def test_legacy_doc_through_libreoffice_or_clear_message(archive, tmp_path):
    src = plan_docx_typed(tmp_path / "yishui.docx")
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    doc = soffice_convert(src, "doc", tmp_path)
    assert doc is not None and doc.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    renamed = doc.with_suffix(".wps")  # WPS and people rename files: sniffed, not trusted
    doc.rename(renamed)
    rep = import_plan(archive, renamed, dry_run=True)
    assert len(rep.items) == 13
    _check_yishui(rep.items)


def test_not_a_plan_exit_2(archive, tmp_path):
    txt = tmp_path / "plan.txt"
    txt.write_text("一、任务", encoding="utf-8")
    with pytest.raises(BadInput):
        import_plan(archive, txt)
    empty = tmp_path / "empty.docx"
    d = docx.Document()
    d.add_paragraph("一、总体要求")
    d.add_paragraph("（一）动员宣传阶段(2023年3月至5月)。")
    d.save(str(empty))
    archive.close()
    r = run_cli("plan", "import", str(empty), "--archive", str(archive.root))
    assert r.returncode == 2 and "没有找到带责任单位的任务" in r.stderr and "2 段" in r.stderr


def test_cli_plan_dry_run_json(archive, tmp_path):
    p = plan_docx_typed(tmp_path / "yishui.docx")
    archive.close()
    r = run_cli("plan", "import", str(p), "--dry-run", "--json", "--archive", str(archive.root))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["kind"] == "plan" and len(data["items"]) == 13 and not data["written"]
    assert data["items"][8]["cooperating"] == ["市生态环境局沂水县分局", "县应急管理局", "县12345政府服务热线受理中心"]
