"""Rectification items and compare rows built directly as read models, for the document,
sheet and window tests (no archive needed). The county, departments and indicator codes follow
沂水县's 质量强县 plan (沂政发〔2023〕13号: 县市场监管局, 县工信局, 县发改局 …); the problems
and measures are our own sentences (tests/data/review_docs/SOURCES.md)."""
from __future__ import annotations

import datetime as dt

from storage.readmodels.review import (
    IndicatorRef,
    RectificationEvidence,
    RectificationFacts,
    RectificationItem,
    ReviewScoreRow,
)

TODAY = dt.date(2026, 12, 7)

IND = {
    "1.1.1": IndicatorRef(11, "1.1.1", "组织领导"),
    "2.1.2": IndicatorRef(22, "2.1.2", "质量基础设施建设"),
    "2.3.1": IndicatorRef(31, "2.3.1", "品牌培育"),
    "3.2.1": IndicatorRef(41, "3.2.1", "标准化建设"),
    "4.1.3": IndicatorRef(53, "4.1.3", "产品质量监督抽查合格率"),
}


def facts() -> RectificationFacts:
    return RectificationFacts(
        county_name="沂水县", programme="质量强县", framework_name="山东省质量强县评价指标体系",
        issuing_office="沂水县质量强县工作领导小组办公室", doc_number="沂质强办〔2026〕5号",
        date=TODAY, evaluation_title="山东省质量强县创建评价结果报告",
    )


def items() -> list[RectificationItem]:
    return [
        RectificationItem(
            id=1, number=1, problem="质量工作考核结果运用不充分，未纳入部门年度综合考核。",
            source="评价报告 第3段", indicators=(IND["1.1.1"],),
            lead_departments=("县委组织部",), cooperating_departments=("县市场监管局",),
            measures="将质量工作纳入县直部门年度综合考核，制定考核细则并于年底兑现。",
            deadline=dt.date(2026, 10, 31), status="已完成",
            progress="已印发考核细则，质量工作占年度综合考核 2 分。",
            evidence=(RectificationEvidence(101, "关于将质量工作纳入综合考核的通知", "1-1", ("考核通知.pdf",)),
                      RectificationEvidence(102, "2026年度综合考核细则", "1-2", ("考核细则.docx",))),
        ),
        RectificationItem(
            id=2, number=2, problem="检验检测公共服务平台建设滞后，计量标准项目覆盖不足。",
            source="省评得分表 第12行", indicators=(IND["2.1.2"],),
            lead_departments=("县市场监管局",), cooperating_departments=("县发改局", "县财政局"),
            measures="新建社会公用计量标准 3 项，推进县检验检测中心建设。",
            deadline=dt.date(2026, 11, 30), status="整改中",
            progress="已建成 2 项计量标准，第 3 项正在考核。", overdue=True,
            evidence=(RectificationEvidence(103, "社会公用计量标准考核证书", "2-1", ("证书.pdf",)),),
        ),
        RectificationItem(
            id=3, number=3, problem="品牌培育力度不够，新增省级以上知名品牌数量少。",
            source="评价报告 第5段", indicators=(IND["2.3.1"],),
            lead_departments=("县工信局",), cooperating_departments=("县农业农村局",),
            measures="建立重点企业品牌培育库，组织企业申报好品山东。",
            deadline=dt.date(2027, 6, 30), status="未开始",
        ),
        RectificationItem(
            id=4, number=4, problem="企业主导制定标准数量偏少，标准化试点示范项目不足。",
            source="评价报告 第6段", indicators=(IND["3.2.1"], IND["4.1.3"]),
            lead_departments=("县市场监管局",), cooperating_departments=("县工信局", "县农业农村局"),
            measures="开展标准化试点示范，鼓励企业参与制定团体标准。",
            deadline=None, status="长期坚持", progress="每年组织标准化培训两次。",
        ),
    ]


def compare_rows() -> list[ReviewScoreRow]:
    return [
        ReviewScoreRow(IND["1.1.1"], 3, 4.0, 4.0, 3.0, -1.0, "考核结果未运用", ("质量工作考核结果运用不充分",)),
        ReviewScoreRow(IND["2.1.2"], 3, 5.0, 5.0, 2.5, -2.5, "计量标准项目不足",
                       ("检验检测平台建设滞后", "计量标准覆盖不足")),
        ReviewScoreRow(IND["2.3.1"], 3, 3.0, 3.0, 3.0, 0.0),
        ReviewScoreRow(IND["3.2.1"], 3, 4.0, 3.5, 4.0, 0.5),
        ReviewScoreRow(IND["4.1.3"], 3, 2.0, None, 2.0, None),
    ]
