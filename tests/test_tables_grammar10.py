"""Round 9 of issue 14: the grammar fixes held-out set 10 (tests/data/corpus14/corpus_h10.py, seven
real plan openings read once first) and round 8's leftovers showed, each on a small plan of our own
wording. The fix tests fail on the importers as they were before round 9 (commit c9ec31d); the
guard tests (named so in their docstrings) keep the older readings."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import docx

from storage.tables.assign import find_assignment, label_at_start, read_assignment
from storage.tables.plan_import import import_plan
from storage.tables.plan_tasks import parse_plan_tasks
from storage.tables.textparse import clean_title


def _tasks(paras: list[str]) -> list[tuple[str, list[str], list[str]]]:
    return [(t.spec.code, t.spec.lead, t.spec.cooperating) for t in parse_plan_tasks(paras)]


# --- 由X负责 where a measure's sentences put it -----------------------------------------------------


def test_by_x_as_the_last_clause_of_the_sentence():
    """"结合…一同开展，由A和B一同负责。": the clause after the comma is the assignment; the task keeps
    the clause before it."""
    found = find_assignment("结合全县污染源普查一同开展，由县普查领导小组办公室和县环境监察大队一同负责。")
    assert found is not None
    assert found.reading.lead == ["县普查领导小组办公室"]
    assert found.reading.cooperating == ["县环境监察大队"]
    assert found.task.startswith("结合全县污染源普查一同开展")


def test_by_x_as_the_first_sentence_of_the_body_under_a_title_line():
    got = _tasks([
        "一、大气污染防治",
        "（一）燃煤散烧治理",
        "由县规划财务股负责。结合老旧小区改造一并推进。",
        "（二）扬尘管控",
        "由县执法大队牵头，县住建局、县交通局配合。",
    ])
    assert got == [("1.1", ["县规划财务股"], []),
                   ("1.2", ["县执法大队"], ["县住建局", "县交通局"])]


def test_x_leads_opening_a_measure_without_by():
    """"县环境监察大队牵头，加强事中事后监管。": the lead named before the measure, no 由."""
    got = _tasks(["一、水污染防治", "（一）污水处理厂监管", "县环境监察大队牵头，加强事中事后监管。"])
    assert got == [("1.1", ["县环境监察大队"], [])]
    task = parse_plan_tasks(["一、水污染防治", "（一）污水处理厂监管", "县环境监察大队牵头，加强事中事后监管。"])[0]
    assert "事中事后监管" in task.spec.task


def test_a_task_that_only_mentions_a_lead_unit_stays_unassigned():
    """Guard: "建立由X牵头的联席会议制度" names a unit with a role word that assigns nothing."""
    assert find_assignment("建立由县市场监管局牵头的联席会议制度，定期会商质量工作。") is None


# --- parts of a task, each by its own unit -------------------------------------------------------------


def test_a_part_of_the_task_by_its_own_unit_names_the_unit():
    """"水质公开由监测站负责": the matter, then 由 and the unit; the unit cooperates under the lead."""
    r = read_assignment("县办公室牵头，水质信息公开由县监测站负责，执法信息公开由县环境监察大队负责")
    assert r.complete
    assert r.lead == ["县办公室"]
    assert r.cooperating == ["县监测站", "县环境监察大队"]


def test_a_unit_named_with_ziyou_stays_whole():
    """Guard: 自由 inside a unit's own name is not the 由 that introduces a unit."""
    r = read_assignment("自由贸易试验区管委会负责")
    assert r.lead == ["自由贸易试验区管委会"]


# --- the lead convention said in a bracket inside the list --------------------------------------------


def test_the_first_named_leads_note_inside_a_unit_list():
    """"县发改局（首位单位为牵头单位，下同）、县财政局": the bracket names no unit; the first named leads."""
    r = read_assignment("责任单位：县发改局（首位单位为牵头单位，下同）、县财政局、县税务局")
    assert r.lead == ["县发改局"]
    assert r.cooperating == ["县财政局", "县税务局"]
    got = _tasks([
        "一、县长牵头重点工作",
        "1.全县生产总值增长7%左右。",
        "责任单位：县发改局（首位单位为牵头单位，下同）、县财政局、县统计局",
    ])
    assert got == [("1.1", ["县发改局"], ["县财政局", "县统计局"])]


# --- round 8's leftovers ----------------------------------------------------------------------------


def test_a_title_from_a_requirement_sentence_has_no_full_stop():
    assert clean_title("1.进一步健全质量工作组织体系。（5分）").text == "进一步健全质量工作组织体系"
    assert clean_title("建立质量工作联席会议制度。").text == "建立质量工作联席会议制度"
    assert clean_title("质量基础（20分）").text == "质量基础"


def _table_plan(path: Path, before: list[str], rows: list[list[str]]) -> Path:
    d = docx.Document()
    for line in before:
        d.add_paragraph(line)
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    d.save(str(path))
    return path


def test_person_columns_keep_their_header_as_the_role(archive: Any, tmp_path: Path):
    """A plan table's person columns say what the person is: 责任领导 and 联系人, not an empty role."""
    p = _table_plan(tmp_path / "plan.docx", ["某县质量工作任务分解表"], [
        ["序号", "工作任务", "牵头单位", "责任领导", "联系人", "完成时限"],
        ["1", "开展质量月活动", "县市场监管局", "王副县长", "张三", "2024年9月底前"],
    ])
    rep = import_plan(archive, p, dry_run=True, year=2024)
    assert rep.items[0]["persons"] == [{"role": "责任领导", "name": "王副县长"},
                                       {"role": "联系人", "name": "张三"}]


def test_a_word_table_under_a_numbered_heading_numbers_its_rows_under_it(archive: Any, tmp_path: Path):
    """"二、重点任务" over a table whose 序号 counts 1, 2: the rows are 2.1 and 2.2."""
    p = _table_plan(tmp_path / "plan.docx", ["某县质量强县工作方案", "一、工作目标", "到2025年建成质量强县。",
                                             "二、重点任务"], [
        ["序号", "工作任务", "牵头单位", "配合单位"],
        ["1", "开展质量月活动", "县市场监管局", "县委宣传部"],
        ["2", "推进标准化建设", "县市场监管局", "县工信局"],
    ])
    rep = import_plan(archive, p, dry_run=True)
    assert [(i["code"], i["lead"], i["cooperating"]) for i in rep.items] == [
        ("2.1", ["县市场监管局"], ["县委宣传部"]), ("2.2", ["县市场监管局"], ["县工信局"])]


def test_a_word_table_without_a_heading_keeps_its_numbers(archive: Any, tmp_path: Path):
    """Guard: a task table under the plan's title alone keeps its 序号 as stated."""
    p = _table_plan(tmp_path / "plan.docx", ["某县质量强县创建工作任务分解表"], [
        ["序号", "工作任务", "牵头单位", "配合单位"],
        ["1", "开展质量月活动", "县市场监管局", "县委宣传部"],
        ["2", "推进标准化建设", "县市场监管局", "县工信局"],
    ])
    rep = import_plan(archive, p, dry_run=True)
    assert [i["code"] for i in rep.items] == ["1", "2"]


# --- plan-variant batch 9 (seed 909, first run 92.8%) ---------------------------------------------


def test_a_label_alone_on_its_line_with_one_unit_a_line_under_it():
    tasks = parse_plan_tasks([
        "一、重点任务",
        "1.开展质量提升行动，推动重点产品质量对标。",
        "牵头单位：",
        "县市场监管局",
        "配合单位",
        "县工信局",
        "县商务局",
        "各乡镇（街道）",
        "完成时限：2025年6月底前",
        "2.推进标准化建设。（县农业农村局负责）",
    ], default_year=2025)
    assert [(t.spec.code, t.spec.lead, t.spec.cooperating) for t in tasks] == [
        ("1.1", ["县市场监管局"], ["县工信局", "县商务局", "各乡镇（街道）"]),
        ("1.2", ["县农业农村局"], []),
    ]
    assert str(tasks[0].spec.deadline) == "2025-06-30"
    assert (tasks[0].first, tasks[0].last) == (1, 8)


def test_role_words_alone_before_a_colon_are_labels():
    r = read_assignment("牵头：县市场监管局；配合：县工信局、县商务局")
    assert (r.lead, r.cooperating, r.complete) == (["县市场监管局"], ["县工信局", "县商务局"], True)
    found = find_assignment("加强计量监督检查（牵头：县市场监管局；参与：各乡镇人民政府）。")
    assert found is not None and found.reading.cooperating == ["各乡镇人民政府"]


def test_a_role_word_inside_a_name_before_a_colon_is_no_label():
    """Guard: a bare role word is a label only where no word runs into it."""
    assert label_at_start("质量工作牵头：县市场监管局") is None
    assert label_at_start("牵头：县市场监管局") == "牵头"


def test_a_clause_by_x_is_read_before_the_sentence_as_a_list_of_names():
    """"…，…，由A和B一同负责。": the short phrases before the clause are the task, not abbreviations
    the role word at the end would cover."""
    found = find_assignment("大力实施标准化战略，提升质量竞争优势，由县纪委（监委）和县科技局一同负责。")
    assert found is not None
    assert (found.reading.lead, found.reading.cooperating) == (["县纪委（监委）"], ["县科技局"])
    assert found.task.startswith("大力实施标准化战略")


def test_a_two_row_table_header_under_a_heading_keeps_its_number_and_person_labels(archive: Any, tmp_path: Path):
    p = _table_plan(tmp_path / "plan.docx", ["某县质量强县工作方案", "三、任务分工"], [
        ["序号", "重点任务", "责任单位", "责任单位", "责任人"],
        ["", "", "牵头", "配合", ""],
        ["1", "开展质量月活动", "县市场监管局", "县委宣传部", "张三"],
    ])
    rep = import_plan(archive, p, dry_run=True)
    item = rep.items[0]
    assert (item["code"], item["lead"], item["cooperating"]) == ("3.1", ["县市场监管局"], ["县委宣传部"])
    assert item["persons"] == [{"role": "责任人", "name": "张三"}]


# --- held10b (measured once after the fixes above: 8/12, 1 of 4 refused) --------------------------


def test_a_numbered_heading_naming_its_lead_unit_leads_the_items_under_it():
    """"一、县招商中心牵头工作（5项）" over 1. 2. with no units of their own: each is that unit's task."""
    got = _tasks([
        "2025年县政府工作报告任务清单",
        "一、县招商中心牵头工作（5项）",
        "1.引进亿元以上产业项目10个。",
        "2.举办招商推介活动4场。",
        "二、王建华副县长牵头重点工作",
        "1.完成农村公路提质改造50公里。",
        "责任单位：县交通运输局",
    ])
    assert got == [("1.1", ["县招商中心"], []), ("1.2", ["县招商中心"], []), ("2.1", ["县交通运输局"], [])]


def test_a_heading_with_its_lead_in_a_bracket_heads_its_measures_and_is_no_task():
    got = _tasks([
        "若干政策举措",
        "一、强化科技创新（县科技局牵头）",
        "力争全社会研发投入强度达到2.5%。",
        "（一）加强科创平台建设。支持企业建设研发中心。",
        "（二）加大研发投入奖补。对研发投入增长的企业给予奖励。",
        "二、扩大有效投资（县发改局牵头）",
    ])
    assert got == [("1.1", ["县科技局"], []), ("1.2", ["县科技局"], []), ("2", ["县发改局"], [])]


def test_the_plan_starts_at_its_title_printed_over_two_lines():
    """The notice quotes "《…若干政策举措（2025年版）》"; the plan prints the title and "（2025年版）" on
    two lines: the signature above it is no unit heading."""
    got = _tasks([
        "各乡镇人民政府、街道办事处，县直属有关单位：",
        "《关于推动经济高质量发展若干政策举措（2025年版）》已经县政府同意，现印发给你们，请认真贯彻执行。",
        "某某县人民政府",
        "2025年4月1日",
        "关于推动经济高质量发展若干政策举措",
        "（2025年版）",
        "一、强化科技创新（县科技局牵头）",
        "（一）加强科创平台建设。支持企业建设研发中心。",
    ])
    assert got == [("1.1", ["县科技局"], [])]


# --- forms probed after held10b (our own wording of forms plans use; no figure counts them) ----------


def test_more_label_words_and_supervisors_who_do_not_do_the_task():
    r = read_assignment("主要负责单位：县市场监管局；协作单位：县工信局、县商务局；督办单位：县委督查室；分管县领导：李明")
    assert (r.lead, r.cooperating) == (["县市场监管局"], ["县工信局", "县商务局"])
    assert r.persons == [("分管县领导", "李明")]
    assert read_assignment("负责单位：县财政局").lead == ["县财政局"]


def test_huitong_fuzongze_weizhu_and_zhuahao_luoshi():
    """"X会同A、B负责", "X负总责", "X总牵头", "X为主，A配合", "…，各乡镇抓好落实"."""
    cases = {
        "县市场监管局会同县工信局、县商务局负责": (["县市场监管局"], ["县工信局", "县商务局"]),
        "由县市场监管局会同县工信局组织实施": (["县市场监管局"], ["县工信局"]),
        "县住建局负总责，县城管局配合": (["县住建局"], ["县城管局"]),
        "县卫健局总牵头，县医保局配合": (["县卫健局"], ["县医保局"]),
        "县应急管理局为主，县消防救援大队配合": (["县应急管理局"], ["县消防救援大队"]),
        "县农业农村局牵头抓总，各乡镇抓好落实": (["县农业农村局"], ["各乡镇"]),
    }
    for text, want in cases.items():
        r = read_assignment(text)
        assert r.complete and (r.lead, r.cooperating) == want, text


def test_a_last_sentence_naming_its_lead_and_the_clauses_that_end_a_sentence():
    """"…。县市场监管局牵头，县工信局配合。" and "加强…，县市场监管局牵头，县工信局配合。": the task's
    own phrases are never read as abbreviated units."""
    for text in ("加强计量监督检查。县市场监管局牵头，县工信局配合。",
                 "加强计量监督检查，县市场监管局牵头，县工信局配合。"):
        found = find_assignment(text)
        assert found is not None, text
        assert (found.reading.lead, found.reading.cooperating) == (["县市场监管局"], ["县工信局"])
        assert found.task.startswith("加强计量监督检查")


def test_abbreviated_units_still_read_in_a_marked_list():
    """Guard: 质监、发改、工信 are units in "此项工作由各级政府牵头负责，质监、发改、工信等部门配合"."""
    found = find_assignment("完善质量工作机制。此项工作由各级政府牵头负责，质监、发改、工信等部门配合。")
    assert found is not None and found.reading.cooperating == ["质监", "发改", "工信"]


def test_label_sentences_one_after_another_at_the_end_of_a_task():
    found = find_assignment("开展质量提升行动。牵头单位：县市场监管局。配合单位：县工信局、县商务局。")
    assert found is not None
    assert (found.reading.lead, found.reading.cooperating) == (["县市场监管局"], ["县工信局", "县商务局"])
    assert found.task == "开展质量提升行动。"


def test_articles_numbered_di_yi_tiao():
    got = _tasks(["第一条 开展质量月活动（县市场监管局负责）。", "第二条、推进品牌建设（县商务局负责）。"])
    assert got == [("1", ["县市场监管局"], []), ("2", ["县商务局"], [])]
    # "第一条生产线…" is a task's own words, not a number
    assert _tasks(["第一条生产线建成投产（县工信局负责）。"]) == [("", ["县工信局"], [])]


def test_a_deadline_sentence_after_the_bracket_and_units_in_lenticular_brackets():
    found = find_assignment("开展质量月活动（县市场监管局负责）。2025年底前完成。")
    assert found is not None and found.reading.lead == ["县市场监管局"]
    assert found.reading.deadline_text == "2025年底前完成"
    found = find_assignment("开展质量月活动【县市场监管局、县委宣传部】")
    assert found is not None and (found.reading.lead, found.reading.cooperating) == (["县市场监管局"], ["县委宣传部"])


def test_a_unit_glossed_in_brackets_before_the_deadline_clause_stays_whole():
    """Guard: "由县纪委（县监委）负责，2025年6月底前完成。" — the gloss is no assignment of its own."""
    found = find_assignment("加强廉政监督。由县纪委（县监委）负责，2025年6月底前完成。")
    assert found is not None and found.reading.lead == ["县纪委（县监委）"]
