"""The province's evaluation read back (issue 16, item 1): two score-sheet layouts and a
Word report, generated for the demo framework (tests/data/review/make_review_files.py),
imported into scores, problems and rectification items with the right indicators."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.actions.review import compare, import_review
from storage.bundle.assessments import set_assessment
from storage.kernel.errors import BadInput
from storage.models import AuditLog, Rectification, ReviewProblem, ReviewScore

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_review_files", HERE / "data" / "review" / "make_review_files.py")
assert _spec is not None and _spec.loader is not None
mk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mk)

LOST_CODES = ["1.1.2", "2.1.2", "3.1.2", "4.2.1"]


@pytest.fixture
def files(tmp_path):
    return mk.make_all(tmp_path / "省里反馈")


def _counts(archive):
    with archive.sessions.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m))
                     for m in (ReviewScore, ReviewProblem, Rectification, AuditLog))


def _codes(items):
    return [[i.code for i in it.indicators] for it in items]


def test_sheet_with_codes_imports_scores_and_items(demo_archive, files):
    res = import_review(demo_archive, files["codes"])
    assert res.kind == "scores"
    assert (res.matched, res.ambiguous, res.unmatched) == (16, 0, 0)
    assert res.scores is not None and res.scores.columns["province"] == "E"
    assert res.scores_written == 16
    assert _codes(res.items) == [[c] for c in LOST_CODES]
    first = res.items[0]
    assert first.problem == "领导小组全年仅召开2次会议，未达到每季度1次的要求"
    assert first.source == "省评得分表 第5行（省评得分表_含编号.xlsx）"
    assert first.lead_departments == ("县市场监管局",)   # from the demo duty of 1.1.2
    with demo_archive.sessions.read() as s:
        scores = {sc.source_row: float(sc.province_score) for sc in s.scalars(select(ReviewScore))}
    assert scores[5] == 1.5 and scores[4] == 3.0
    # again: scores replaced in place, no new items
    again = import_review(demo_archive, files["codes"])
    assert again.items_created == () and _counts(demo_archive)[:3] == (16, 0, 4)


def test_titles_only_sheet_with_merged_cells_preview_then_correction(demo_archive, files):
    before = _counts(demo_archive)
    dry = import_review(demo_archive, files["titles"], dry_run=True)
    assert dry.dry_run and (dry.matched, dry.unmatched) == (15, 1)
    assert _counts(demo_archive) == before                     # the dry run wrote nothing
    [lost] = [r for r in dry.scores.rows if r.state == "unmatched"]
    assert (lost.row, lost.title) == (18, mk.UNMATCHED_TITLE)
    by_row = {r.row: r for r in dry.scores.rows}
    assert by_row[3].indicator.code == "1.1.1" and by_row[3].how == "名称"
    assert by_row[17].indicator.code == "4.2.1"               # level-1/2 cells merged down above it
    res = import_review(demo_archive, files["titles"], mapping="18=4.2.2")
    assert (res.matched, res.unmatched) == (16, 0)
    assert {r.row: r.how for r in res.scores.rows}[18] == "更正"
    assert _codes(res.items) == [[c] for c in LOST_CODES]
    assert res.items[1].source.startswith("省评得分表 第8行")
    skipped = import_review(demo_archive, files["titles"], dry_run=True, mapping=["18=skip"])
    assert {r.row: r.state for r in skipped.scores.rows}[18] == "skipped"


def test_report_problems_become_items_with_their_indicators(demo_archive, files):
    dry = import_review(demo_archive, files["report"], dry_run=True)
    assert [(p.indicators[0].code, p.kind) for p in dry.report.problems] == mk.REPORT_PROBLEMS
    assert _counts(demo_archive)[:3] == (0, 0, 0)
    res = import_review(demo_archive, files["report"])
    assert res.problems_written == 7
    assert _codes(res.items) == [["1.1.2"], ["1.1.2"], ["2.1.2"], ["3.1.2"], ["3.1.2"], ["4.2.1"]]
    texts = [it.problem for it in res.items]
    assert texts[1] == "会议纪要未印发至各成员单位。"
    assert texts[3] == "强制检定计量器具底数不清，未建立登记台账。"          # a （一） item
    assert texts[5].startswith("满意度调查仅覆盖县城")                      # from the report's table
    assert not any("建议" in t or "30日内" in t for t in texts)
    assert res.items[0].source == "评价报告 第7段（评价结果报告.docx）"
    assert import_review(demo_archive, files["report"]).items_created == ()


def test_report_after_sheet_replaces_untouched_stand_ins(demo_archive, files):
    import_review(demo_archive, files["codes"])
    res = import_review(demo_archive, files["report"])
    with demo_archive.sessions.read() as s:
        sources = list(s.scalars(select(Rectification.source).order_by(Rectification.position)))
    assert len(sources) == 6 and all(src.startswith("评价报告") for src in sources)
    assert len(res.items_created) == 6


def test_wrong_files_are_refused_with_chinese_and_english(demo_archive, files, tmp_path):
    framework_table = Path(__file__).resolve().parents[1] / "resources" / "demo" / "示例_指标体系.xlsx"
    with pytest.raises(BadInput) as e:
        import_review(demo_archive, framework_table, dry_run=True)
    assert "省评得分" in e.value.zh and "province score" in e.value.en
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    with pytest.raises(BadInput) as e:
        import_review(demo_archive, pdf)
    assert "Word" in e.value.zh and "neither" in e.value.en
    import docx

    plain = tmp_path / "无问题.docx"
    d = docx.Document()
    d.add_paragraph("示例县质量强县工作总结")
    d.save(plain)
    with pytest.raises(BadInput) as e:
        import_review(demo_archive, plain)
    assert "没有找到问题" in e.value.zh
    with pytest.raises(BadInput):
        import_review(demo_archive, files["codes"], mapping="18=9.9.9")
    assert _counts(demo_archive)[:3] == (0, 0, 0)


def test_compare_sorted_lost_points_first(demo_archive, files):
    import_review(demo_archive, files["codes"])
    with demo_archive.sessions.write() as s:
        for code, score in mk.SELF.items():
            set_assessment(s, code, score=str(score))
    rows = compare(demo_archive)
    head = [(r.indicator.code, r.self_score, r.province_score, r.difference) for r in rows[:5]]
    # below the self score first, largest gap first; a tie: more points lost, then the framework's order
    assert head == [
        ("2.1.2", 3.0, 2.0, -1.0), ("3.1.2", 2.0, 1.0, -1.0), ("4.2.1", 2.5, 2.0, -0.5),
        ("1.1.2", 2.0, 1.5, -0.5), ("1.1.1", 3.0, 3.0, 0.0),
    ]
    assert rows[0].deduction_reason
    assert len(rows) == 16 and all(r.difference is None for r in rows[5:])


def test_ambiguous_title_lists_candidates_and_inline_report_sections(demo_archive, tmp_path):
    import docx
    import openpyxl

    from storage.review.report import preview_report
    from storage.review.scores import preview_scores

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["三级指标", "分值", "得分", "失分原因"])
    ws.append(["服务", 3, 2, "说法含糊，两项都像"])
    ws.append(["1.1.1 成立工作领导小组", 3, 3, None])     # a code stated in the title
    ws.append(["合计", 6, 5, None])
    sheet = tmp_path / "含糊.xlsx"
    wb.save(sheet)
    with demo_archive.sessions.read() as s:
        pv = preview_scores(s, sheet)
    first, second = pv.rows
    assert first.state == "ambiguous" and first.indicator is None
    assert {c.code for c in first.candidates} >= {"3.2.2", "4.2.1"}
    assert (second.state, second.indicator.code, second.how) == ("matched", "1.1.1", "编号")
    assert len(pv.rows) == 2                                   # the 合计 row is not an indicator

    d = docx.Document()
    d.add_paragraph("2.1.2 落实经费保障：存在问题：1. 年度预算未单列质量工作经费；2. 经费使用无绩效评价。")
    d.add_paragraph("质量品牌培育：扣分说明：未开展区域品牌培育，扣0.5分。")
    d.add_paragraph("四、其他事项")
    d.add_paragraph("1. 请于30日内报送整改方案。")
    report = tmp_path / "行内.docx"
    d.save(report)
    with demo_archive.sessions.read() as s:
        rp = preview_report(s, report)
    assert [(p.indicators[0].code, p.kind, p.text) for p in rp.problems] == [
        ("2.1.2", "问题", "年度预算未单列质量工作经费"),
        ("2.1.2", "问题", "经费使用无绩效评价。"),
        ("4.1.2", "扣分说明", "未开展区域品牌培育，扣0.5分。"),
    ]


def test_two_row_header_with_group_cells(demo_archive, tmp_path):
    import openpyxl

    from storage.review.scores import preview_scores

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["示例县评价结果反馈表"])
    ws.append(["评价指标", None, "分值", "得分", None, "扣分原因"])
    ws.append(["二级指标", "三级指标", None, "自评", "省评", None])
    ws.merge_cells("A2:B2")
    ws.merge_cells("D2:E2")
    ws.append(["组织领导", "定期召开工作会议", 2, 2, 1, "会议次数不足"])
    ws.append(["质量宣传", "宣传报道材料", 2, 2, 2, None])
    path = tmp_path / "两行表头.xlsx"
    wb.save(path)
    with demo_archive.sessions.read() as s:
        pv = preview_scores(s, path)
    assert pv.header_row == 3 and pv.columns["province"] == "E"
    assert [(r.row, r.indicator.code, r.province_score) for r in pv.rows] == [(4, "1.1.2", 1.0), (5, "1.2.2", 2.0)]


def test_cancelled_import_writes_nothing(demo_archive, files):
    from storage.kernel.errors import Cancelled

    before = _counts(demo_archive)
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        import_review(demo_archive, files["report"], cancel=lambda: True,
                      progress=lambda done, total, text="": seen.append((done, total)))
    assert _counts(demo_archive) == before and seen[0] == (0, 3)
