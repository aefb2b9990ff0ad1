"""The one grammar of assignments (storage/tables/assign.py) and the plan reader around it
(storage/tables/plan_tasks.py): every role-marker form issue 14 lists, persons and deadlines
beside the assignment, brackets that are not assignments, units never seen before."""
from __future__ import annotations

import docx
import pytest
from sqlalchemy import select
from test_tables_fixtures import framework_table

from storage.models import Duty
from storage.tables.assign import find_assignment, read_assignment, registry_matcher
from storage.tables.framework_import import import_framework
from storage.tables.plan_import import import_plan
from storage.tables.plan_tasks import parse_plan_tasks, plan_start


@pytest.mark.parametrize("text,lead,coop", [
    # inline role marks and verbs
    ("县市场监管局牵头，县发改局、县工信局配合", ["县市场监管局"], ["县发改局", "县工信局"]),
    ("市质监局牵头，市经信局、市工商局等单位及各镇街配合落实", ["市质监局"], ["市经信局", "市工商局", "各镇街"]),
    ("由县财政局负责", ["县财政局"], []),
    ("市食安办牵头，市食安委各有关成员单位协作", ["市食安办"], ["市食安委各有关成员单位"]),
    ("县卫健局负责", ["县卫健局"], []),
    ("县市场监管局、县工信局等部门按职责分工负责", ["县市场监管局"], ["县工信局"]),
    ("此项工作由各级政府牵头负责，质监、发改等部门配合", ["各级政府"], ["质监", "发改"]),
    ("由乡三农服务中心承办，乡畜牧站、卫生院配合", ["乡三农服务中心"], ["乡畜牧站", "卫生院"]),
    # several leads
    ("市政府办公室、市审改办牵头，市级各有关部门及各县市区政府按职责分工负责",
     ["市政府办公室", "市审改办"], ["市级各有关部门", "各县市区政府"]),
    # labels, several in one text, every label word
    ("牵头单位：县发改局；配合单位：县统计局", ["县发改局"], ["县统计局"]),
    ("牵头责任单位：县住建局；协同责任单位：县自然资源局", ["县住建局"], ["县自然资源局"]),
    ("主责单位：县水利局；协办单位：各乡镇（街道）", ["县水利局"], ["各乡镇（街道）"]),
    ("责任单位：区发展和改革局", ["区发展和改革局"], []),
    ("牵头单位：县商务局；参与单位：县税务局、人行县支行", ["县商务局"], ["县税务局", "人行县支行"]),
    ("协同单位：县公安局；牵头单位：县交通运输局", ["县交通运输局"], ["县公安局"]),
    # units never seen: by suffix and collective names
    ("县数据资源管理局、县园区管委会、县乡村振兴专班", ["县数据资源管理局"], ["县园区管委会", "县乡村振兴专班"]),
    ("经开区管委会、各县、市、区政府", ["经开区管委会"], ["各县、市、区政府"]),
    ("县税务局、区直各部门", ["县税务局"], ["区直各部门"]),
    ("县农业农村局和各镇人民政府负责", ["县农业农村局"], ["各镇人民政府"]),
    # names with 和 inside stay whole
    ("县文化和旅游局、县自然资源和规划局", ["县文化和旅游局"], ["县自然资源和规划局"]),
    ("市工业和信息化局牵头", ["市工业和信息化局"], []),
])
def test_assignment_forms(text, lead, coop):
    r = read_assignment(text)
    assert (r.lead, r.cooperating) == (lead, coop)


def test_registry_names_without_a_suffix_are_units():
    assert not read_assignment("县财政局、县融媒").complete
    known = registry_matcher(["县融媒"])
    r = read_assignment("县财政局、县融媒", known=known)
    assert r.complete and r.cooperating == ["县融媒"]


def test_persons_are_kept_never_departments():
    r = read_assignment("牵头领导：张三；牵头单位：县发改局；联系人：李四；责任人：王五副局长")
    assert r.lead == ["县发改局"] and r.cooperating == []
    assert r.persons == [("牵头领导", "张三"), ("联系人", "李四"), ("责任人", "王五副局长")]


def test_deadlines_beside_the_assignment():
    r = read_assignment("牵头单位：州行政审批服务局；责任单位：州司法局，6月底完成")
    assert r.deadline_text == "6月底完成" and r.cooperating == ["州司法局"]
    r = read_assignment("牵头单位：县发改局；完成时限：2023年6月底前")
    assert r.deadline_text == "2023年6月底前" and r.lead == ["县发改局"]


@pytest.mark.parametrize("para", [
    "贯彻质量发展纲要（2011-2020年）",
    "建设质量基础设施（NQI）一站式服务平台",
    "年营业收入500万元（含）以上的企业",
    "根据任务分工（见附件1）全面开展",
    "（此件公开发布）",
    "加强保障措施落实（试行）",
    "（一）动员宣传阶段（2023年3月至5月）。",
])
def test_brackets_that_are_not_assignments_stay_in_the_task(para):
    assert find_assignment(para) is None


def test_a_deadline_in_a_bracket_of_its_own_after_the_assignment():
    f = find_assignment("开展质量月活动。（县市场监管局牵头，县委宣传部配合）（2023年9月底前完成）")
    assert f is not None and f.reading.lead == ["县市场监管局"] and f.reading.cooperating == ["县委宣传部"]
    assert f.reading.deadline_text == "2023年9月底前完成" and f.task == "开展质量月活动。"


def test_assignment_at_the_start_in_brackets_and_in_a_last_sentence():
    f = find_assignment("（牵头单位：县市场监管局）开展质量月活动。")
    assert f is not None and f.reading.lead == ["县市场监管局"] and f.task == "开展质量月活动。"
    f = find_assignment("实施名牌战略，培育知名企业。此项工作由各级政府牵头负责，质监、工商等部门配合。")
    assert f is not None and f.task == "实施名牌战略，培育知名企业。"
    assert f.reading.cooperating == ["质监", "工商"]
    f = find_assignment("推进要素市场化改革。〔责任单位：省发展改革委、商务厅按职责分工负责。"
                        "具体任务均涉及各市（州），下同。〕")
    assert f is not None and f.reading.lead == ["省发展改革委"] and f.reading.cooperating == ["商务厅"]


NOTICE = [
    "各乡镇人民政府，县政府各部门：",
    "《某县质量提升行动方案》已经县政府同意，现印发给你们，请认真贯彻执行。",
    "一、各单位要高度重视，明确专人负责（县政府办负责督查）。",
    "二、请于每季度末报送进展。",
    "某县人民政府办公室",
    "2023年3月1日",
    "某县质量提升行动方案",
]


def test_notice_paragraphs_before_the_plan_are_not_tasks():
    texts = NOTICE + ["一、主要任务", "1.开展质量提升。（县市场监管局负责）"]
    assert plan_start(texts) == len(NOTICE)
    tasks = parse_plan_tasks(texts)
    assert [t.spec.lead for t in tasks] == [["县市场监管局"]]
    assert tasks[0].spec.code == "1.1" and tasks[0].number == "1."


def test_a_task_spanning_paragraphs_keeps_its_whole_text_and_its_span():
    texts = ["一、主要任务", "（一）强化财政保障。完善财政投入机制。",
             "鼓励社会资金投向质量创新。（县财政局、县发改局负责）", "（二）加强宣传。"]
    (t,) = parse_plan_tasks(texts)
    assert t.spec.task == "强化财政保障。完善财政投入机制。鼓励社会资金投向质量创新。"
    assert (t.first, t.last) == (1, 2) and t.span == ["县财政局、县发改局负责"]
    assert t.spec.lead == ["县财政局"] and t.spec.cooperating == ["县发改局"]


def test_tasks_under_any_heading_depth_and_own_line_markers_after_the_task():
    texts = ["一、总体任务", "（一）产品质量", "1.工业品", "（1）开展抽查。", "牵头单位：县市场监管局",
             "配合单位：县工信局", "完成时限：2023年11月底前", "联系人：赵六",
             "（2）推进认证。由县市场监管局负责。"]
    tasks = parse_plan_tasks(texts, default_year=2023)
    assert [(t.spec.code, t.spec.lead, t.spec.cooperating) for t in tasks] == [
        ("1.1.1.1", ["县市场监管局"], ["县工信局"]), ("1.1.1.2", ["县市场监管局"], [])]
    assert tasks[0].spec.deadline is not None and tasks[0].spec.deadline.isoformat() == "2023-11-30"
    assert tasks[0].persons == [("联系人", "赵六")]
    assert tasks[1].spec.task == "推进认证。"


def test_a_table_flattened_into_text_reads_its_unit_columns_from_the_right():
    texts = ["序号 类别 主要任务 细化措施 牵头单位 参与单位 责任单位",
             "1 水资源 严守红线 实施双控行动，防止不合理新增取水。到2020年用水总量得到控制。 市水利局 "
             "市发展改革委、住房和城乡建设局等 各县（市、区）党委和人民政府，高新区党工委和管委会"]
    (t,) = parse_plan_tasks(texts)
    assert t.spec.lead == ["市水利局"]
    assert t.spec.cooperating == ["市发展改革委", "住房和城乡建设局", "各县（市、区）党委和人民政府",
                                  "高新区党工委和管委会"]
    assert t.spec.task.endswith("用水总量得到控制。")


def test_plan_numbers_are_task_numbers_never_indicator_codes(archive, tmp_path):
    import_framework(archive, framework_table(tmp_path / "f.xlsx"))   # has an indicator 1.1.1
    p = tmp_path / "plan.docx"
    d = docx.Document()
    for line in ("一、主要任务", "（一）组织领导", "1.建立质量工作机制。（县市场监管局负责）"):
        d.add_paragraph(line)
    d.save(str(p))
    rep = import_plan(archive, p)
    (item,) = rep.items
    assert item["code"] == "1.1.1" and item["number"] == "1."
    with archive.sessions.read() as s:
        duty = s.scalars(select(Duty).where(Duty.source == "plan")).one()
        assert duty.code == "1.1.1" and duty.indicator_id is None


def test_a_word_task_table_in_a_plan_reads_each_row_by_its_columns(archive, tmp_path):
    p = tmp_path / "任务分解表.docx"
    d = docx.Document()
    d.add_paragraph("附件")
    d.add_paragraph("某县质量强县创建工作任务分解表")
    t = d.add_table(rows=4, cols=6)
    rows = [["序号", "工作任务", "牵头单位", "配合单位", "责任人", "完成时限"],
            ["1", "开展质量月活动", "县市场监管局", "县委宣传部、各乡镇（街道）", "张三", "2023年9月底前"],
            ["2", "推进标准化建设", "县市场监管局", "县工信局", "李四", "2023年11月底前"],
            ["3", "加强品牌培育", "县商务局", "", "", "长期坚持"]]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    t.cell(1, 2).merge(t.cell(2, 2))   # 牵头单位 merged over rows 1–2
    t.cell(1, 2).text = "县市场监管局"
    d.save(str(p))
    rep = import_plan(archive, p, dry_run=True, year=2023)
    got = [(i["code"], i["task"], i["lead"], i["cooperating"]) for i in rep.items]
    assert got == [("1", "开展质量月活动", ["县市场监管局"], ["县委宣传部", "各乡镇（街道）"]),
                   ("2", "推进标准化建设", ["县市场监管局"], ["县工信局"]),
                   ("3", "加强品牌培育", ["县商务局"], [])]
    assert rep.items[0]["persons"] == [{"role": "责任人", "name": "张三"}]   # the column header says what the person is
    assert str(rep.items[1]["deadline"]) == "2023-11-30"


def test_and_others_tail_with_a_level_is_not_part_of_a_name():
    r = read_assignment("牵头单位：市发改委 责任单位：市投资局、市财政局等市级相关单位，各区县政府")
    assert r.lead == ["市发改委"]
    assert r.cooperating == ["市投资局", "市财政局", "各区县政府"]


def test_a_bare_kind_of_unit_in_brackets_is_a_gloss_not_an_assignment():
    para = "培育放心消费单位、乡村（社区）、镇（街道）。"
    assert find_assignment(para) is None
    # a named unit in the same place still is one
    assert find_assignment("培育放心消费单位。（县市场监管局）").reading.lead == ["县市场监管局"]


def test_labels_typed_with_spaces():
    r = read_assignment("责任单位：市市场监督管理局 联 系 人：孙学明")
    assert r.lead == ["市市场监督管理局"]
    assert ("联系人", "孙学明") in r.persons


def test_task_in_labelled_parts_keeps_its_numbered_measures():
    tasks = parse_plan_tasks([
        "【目标任务】", "培育市级放心消费单位不少于40个。", "【推进措施】",
        "1.开展放心消费培育活动。", "2.纳入政府质量工作考核。",
        "责任单位：市市场监督管理局", "联 系 人：孙学明",
        "【目标任务】", "建成放心消费街区4个。", "责任单位：市商务局",
    ])
    assert len(tasks) == 2
    first = tasks[0]
    assert first.spec.lead == ["市市场监督管理局"] and first.spec.code == ""
    assert "培育市级放心消费单位" in first.spec.task and "2.纳入政府质量工作考核" in first.spec.task
    assert ("联系人", "孙学明") in first.persons
    assert tasks[1].spec.lead == ["市商务局"]


def test_block_heading_naming_the_leader_is_not_an_assignment():
    tasks = parse_plan_tasks(["一、朱伟县长牵头重点工作", "1.财政收入与经济增长基本同步。", "责任单位：县财政局。"])
    assert [(t.spec.code, t.spec.lead) for t in tasks] == [("1.1", ["县财政局"])]
