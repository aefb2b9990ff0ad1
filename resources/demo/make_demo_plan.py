"""Builds the sample work plan shipped beside the sample tables (run by a developer; the
.docx is committed):

    示例_工作方案.docx   a sample plan (import with `plan import`, shown by the plan preview)

Everything in it is invented and marked 示例 (sample). Its layout is the one published
plans use (a notice around the plan, 一、/（一）/1. numbering, assignments in a bracket at the
end, on lines of their own and as "由X牵头…" sentences, a responsible leader who is a person,
a deadline beside the assignment, a bracket that is not an assignment), so the preview shows
each way an assignment is read.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent

PARAS = [
    "示例县人民政府办公室关于印发《示例县质量强县建设工作方案》的通知",
    "各乡镇人民政府、街道办事处，县政府各部门：",
    "《示例县质量强县建设工作方案》已经县政府同意，现印发给你们，请认真贯彻执行。",
    "示例县人民政府办公室",
    "2026年3月1日",
    "示例县质量强县建设工作方案",
    "为推进质量强县建设（示例内容，仅供试用），制定本方案。",
    "一、强化质量发展基础",
    "（一）健全质量工作机制",
    "1.成立质量强县工作领导小组，每半年召开一次工作会议。（牵头单位：县市场监管局；配合单位：县发改局、县财政局）",
    "2.把质量工作纳入乡镇和部门年度考核（2026-2028年），考核结果向社会公开。由县市场监管局牵头，各乡镇（街道）配合落实。",
    "（二）夯实质量基础设施",
    "3.建设县级质量基础设施“一站式”服务平台，为企业提供计量、标准、认证服务。",
    "牵头单位：县市场监管局",
    "责任单位：县工信局",
    "牵头领导：王示例副县长",
    "完成时限：2026年9月底前",
    "二、提升产品和工程质量",
    "4.开展农产品质量提升行动，扩大绿色食品认证（含有机农产品）。（县农业农村局负责，6月底前完成）",
    "5.开展工程质量安全专项检查，每季度通报一次检查结果。（县住建局牵头，县市场监管局、县统计局等部门配合）",
]


def build(path: Path) -> Path:
    d = docx.Document()
    for text in PARAS:
        d.add_paragraph(text)
    d.core_properties.created = dt.datetime(2026, 1, 1)
    d.core_properties.modified = dt.datetime(2026, 1, 1)
    d.core_properties.title = "示例县质量强县建设工作方案（示例）"
    d.save(str(path))
    return path


if __name__ == "__main__":
    print(build(HERE / "示例_工作方案.docx"))
