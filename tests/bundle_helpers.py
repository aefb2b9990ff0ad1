"""A small county archive for the issue-7 tests (preflight, documents, seal): a framework
with an assessment period, a data cut-off, a key item, a numeric target and a veto item;
evidence with document numbers, dates and issuing bodies, long Chinese names, forbidden
characters, an OFD file, a .rar, an unreviewed item dated after the cut-off; a
responsibility table with one overdue duty; county facts; self-scores."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from storage.bundle.assessments import set_assessment
from storage.catalogue.county import set_county_facts
from storage.catalogue.frameworks import DutySpec, FrameworkSpec, IndicatorSpec, add_duties, add_framework
from storage.catalogue.ingest import ingest_paths
from storage.catalogue.items import update_evidence_metadata
from storage.models import Evidence
from storage.readmodels import CountyFacts, GdpYear, Leader

LONG = "关于印发沂水县创建山东省质量强县工作实施方案及工作责任分解表和年度工作要点的通知"


def make_file(path: Path, text: str, size: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    head = b"%PDF-1.4\n" if path.suffix == ".pdf" else b""
    data = head + text.encode("utf-8") * 40
    if size:
        data = (data * (size // len(data) + 1))[:size]
    path.write_bytes(data)
    return path


def county_archive(archive, tmp_path: Path) -> dict[str, int]:
    """Fill `archive`; returns evidence ids by a short key."""
    with archive.sessions.write() as s:
        fw = add_framework(s, FrameworkSpec(
            name="测试县质量强县评价指标", total_score=10, data_cutoff=dt.date(2025, 12, 31),
            period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
            indicators=[IndicatorSpec(code="1", title="质量发展理念", max_score=10, children=[
                IndicatorSpec(code="1.1", title="组织领导", max_score=3, is_key=True,
                              scoring_rule="成立领导小组得1分，定期召开会议得2分。"),
                IndicatorSpec(code="1.2", title="产品质量监督抽查合格率", max_score=4,
                              target_comparator=">=", target_value=95, target_unit="%",
                              target_text="合格率≥95%"),
                IndicatorSpec(code="1.3", title="宣传：质量月?活动", max_score=3),
                IndicatorSpec(code="1.4", title="未发生重大质量安全事故", max_score=0, is_veto=True),
            ])]))
        add_duties(s, fw, [
            DutySpec(task="成立质量强县工作领导小组", indicator_code="1.1", lead=["县市场监管局"],
                     deadline=dt.date(2025, 3, 31), deadline_kind="date", deadline_text="2025年3月底前"),
            DutySpec(task="组织开展质量月活动并报送宣传材料", indicator_code="1.3", lead=["县委宣传部"],
                     cooperating=["县市场监管局"], deadline=dt.date(2025, 9, 30), deadline_kind="date",
                     deadline_text="2025年9月底前"),
        ])
    src = tmp_path / "src"
    plan = {
        "1.1": [make_file(src / "a" / f"沂政发〔2023〕13号 {LONG}.pdf", "一"),
                make_file(src / "a" / "会议纪要: 第一次会议?.docx", "二")],
        "1.2": [make_file(src / "b" / "抽检报告.ofd", "三"), make_file(src / "b" / "抽检数据.rar", "四"),
                make_file(src / "b" / "抽检结果汇总.pdf", "五", size=300_000)],
        "1.3": [make_file(src / "c" / "宣传报道.jpg", "六")],
    }
    for code, paths in plan.items():
        ingest_paths(archive, paths, indicator_code=code)
    ids: dict[str, int] = {}
    with archive.sessions.write() as s:
        by_title = {e.title: e.id for e in s.scalars(select(Evidence))}
        ids = {"notice": by_title[f"沂政发〔2023〕13号 {LONG}"], "minutes": by_title["会议纪要: 第一次会议?"],
               "ofd": by_title["抽检报告"], "rar": by_title["抽检数据"], "big": by_title["抽检结果汇总"],
               "photo": by_title["宣传报道"]}
        update_evidence_metadata(s, ids["notice"], doc_number="沂政发〔2023〕13号",
                                 title=f"{LONG}（附件一：{LONG}；附件二：{LONG}）",  # too long for 160
                                 issue_date="2025-03-01", issuing_body="沂水县人民政府", status="accepted")
        update_evidence_metadata(s, ids["minutes"], issue_date="2025-04-15", issuing_body="县质量强县办",
                                 status="accepted")
        update_evidence_metadata(s, ids["ofd"], issue_date="2025-10-10", issuing_body="县市场监管局",
                                 doc_number="沂市监〔2025〕8号", status="accepted")
        update_evidence_metadata(s, ids["big"], issue_date="2025-11-01", issuing_body="县市场监管局",
                                 status="accepted")
        update_evidence_metadata(s, ids["photo"], issue_date="2026-02-01", issuing_body="县融媒体中心")
        set_county_facts(s, CountyFacts(
            name="沂水县", population="98.5", area="2434.8",
            gdp=(GdpYear(2024, "612.3"), GdpYear(2023, "585.1")),
            leaders=(Leader("县长", "张三"), Leader("分管副县长", "李四")),
            contact_name="王五", contact_phone="0539-1234567", contact_unit="沂水县市场监督管理局"))
        set_assessment(s, "1.1", score="2.5", note="领导小组会议记录缺一次，扣0.5分",
                       description="县政府成立了由县长任组长的质量强县工作领导小组，全年召开会议三次。")
        set_assessment(s, "1.2", score=4, value="96.2", description="全年监督抽查合格率96.2%。")
        set_assessment(s, "1.3", score=2)
    return ids
