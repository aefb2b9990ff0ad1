"""Held-out set 10t of issue 14's corpus (round 9, helper A8): real assessment sheets and
responsibility tables from programmes and sites no earlier round used (专项经费绩效评价, 工会
安全生产考核, 开发区安全生产考核细则, 禁毒示范创建打分, 节水型城市 责任分解, 禁毒工作考评细则
责任单位, 消防安全责任人考评量化标准, 节水型城市 责任目标分解). Facts kept (structure, numbering,
scores, unit names, layout), sentences in our own words; sources in SOURCES.md, "Held-out set 10t".
The expected readings below were written by hand BEFORE any importer was run on them.

Two parts, fixed before any run, split by source site:
  held10a  measured first, its misses looked at and fixed generally;
  held10b  read once on the first run (figures only, misses not looked at), then kept untouched
           until held10a's fixes were done and measured once more (the clean after-figure,
           commit "held10b measured once…"); its misses were fixed after that (no longer clean).

Beyond corpus.py's expectation keys, a framework document may give:
  "exact": True       the codes read must be exactly "codes" (nothing made of rule lines);
  "scores": {code: v} an indicator's points as the sheet gives them (None: states none);
  "by_level": {...}   indicators per level;
  "veto": [codes]     indicators marked 一票否决;
  "format": "xls"     the file the clerk receives is an .xls saved by LibreOffice.

Reading conventions (docs/cli-tables.md; new ones noted here as written before the run):
- 权重 beside 分值 (绩效评价表): the level-1 column is weighted, the rest points; blocks whose
  level-3 cells are empty are level-2 indicators with no points (项目产出 | 0 | 产出数量);
- several scored rows under one merged item (序号 1 | 考评内容 merged | 6分 / 5分 / 5分) are that
  item's scoring points: the item scores their sum (16) and no rule line becomes an indicator;
- a 责任单位 column beside a 配合单位 column names the leads, every one it lists;
- "禁毒大队" (a 大队) and "县禁毒办" are units;
- a row or an item cut on the source page is left out.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

DOCS_H10T: list[dict[str, Any]] = [
    # ================================================================= held10a
    {
        "id": "t10_jixiao_zhuanxiang_jingfei", "kind": "framework", "split": "held10a",
        # 专项经费绩效评价表 (长吉图发展战略): 一级指标 | 权重 | 二级指标 | 分值 | 三级指标 | 计量单位 |
        # 目标值(标准) | 分值 | 采集数据项 (数据项1 | 数据项2) | 指标值; header in two rows, repeated before
        # each of the three blocks; 项目产出 and 项目效果 weighted 0 with empty level-3 cells; 总分 100
        "rows": [
            ["长吉图发展战略专项经费绩效评价表", None, None, None, None, None, None, None, None, None, None],
            ["一级指标", "权重", "二级指标", "分值", "三级指标", "计量单位", "目标值(标准)", "分值", "采集数据项", None, "指标值"],
            [None, None, None, None, None, None, None, None, "数据项1", "数据项2", None],
            ["预算绩效", 100, "预算管理", 75, "预算执行进度(7月)", "%", "40%", 7, None, None, None],
            [None, None, None, None, "预算执行进度（11月）", "%", "80.21%", 8, None, None, None],
            [None, None, None, None, "预算调整次数（实际调整数）", "次", "0", 5, None, "/", None],
            [None, None, None, None, "项目预算资金是否被核减", "是/否", "否", 25, None, "/", None],
            [None, None, None, None, "结转结余资金率", "%", "-0%", 25, None, None, None],
            [None, None, None, None, "是否开展预算编报考评", "是/否", "是", 5, None, "/", None],
            [None, None, "财务管理", 25, "用款计划差错率", "%", "-0%", 7, None, None, None],
            [None, None, None, None, "是否存在违规行为", "是/否", "否", 13, None, "/", None],
            [None, None, None, None, "是否开展会计决算报表考评", "是/否", "是", 5, None, "/", None],
            ["一级指标", "权重", "二级指标", "分值", "三级指标", "计量单位", "目标值\n(标准)", "分值", "采集数据项", None, "指标值"],
            [None, None, None, None, None, None, None, None, "数据项1", "数据项2", None],
            ["项目产出", 0, "产出数量", None, None, None, None, None, None, None, None],
            [None, None, "产出质量", None, None, None, None, None, None, None, None],
            [None, None, "产出时效", None, None, None, None, None, None, None, None],
            [None, None, "产出成本", None, None, None, None, None, None, None, None],
            ["一级指标", "权重", "二级指标", "分值", "三级指标", "计量单位", "目标值\n(标准)", "分值", "采集数据项", None, None],
            [None, None, None, None, None, None, None, None, "数据项1", "理由", None],
            ["项目效果", 0, "经济效益", None, None, None, None, None, None, None, None],
            [None, None, None, None, None, None, None, None, None, None, None],
            [None, None, "社会效益", None, None, None, None, None, None, None, None],
            [None, None, None, None, None, None, None, None, None, None, None],
            [None, None, "环境效益", None, None, None, None, None, None, None, None],
            [None, None, None, None, None, None, None, None, None, None, None],
            [None, None, "可持续影响", None, None, None, None, None, None, None, None],
            [None, None, None, None, None, None, None, None, None, None, None],
            [None, None, "服务对象满意度", None, None, None, None, None, None, None, None],
            [None, None, None, None, None, None, None, None, None, None, None],
            ["总分", 100, "得分", None, None, None, None, None, None, None, None],
        ],
        "merges": ["A1:K1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:F3", "G2:G3", "H2:H3", "I2:J2",
                   "K2:K3", "A4:A12", "B4:B12", "C4:C9", "D4:D9", "C10:C12", "D10:D12",
                   "A13:A14", "B13:B14", "C13:C14", "D13:D14", "E13:E14", "F13:F14", "G13:G14", "H13:H14",
                   "I13:J13", "K13:K14", "A15:A18", "B15:B18",
                   "A19:A20", "B19:B20", "C19:C20", "D19:D20", "E19:E20", "F19:F20", "G19:G20", "H19:H20",
                   "I19:K19", "J20:K20", "A21:A30", "B21:B30", "C21:C22", "D21:D22", "C23:C24", "D23:D24",
                   "C25:C26", "D25:D26", "C27:C28", "D27:D28", "C29:C30", "D29:D30", "D31:K31"],
        "codes": ["1", "1.1", "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6", "1.2", "1.2.1", "1.2.2",
                  "1.2.3", "2", "2.1", "2.2", "2.3", "2.4", "3", "3.1", "3.2", "3.3", "3.4", "3.5"],
        "exact": True,
        "named": {"1": "预算绩效", "1.1": "预算管理", "1.1.4": "核减", "1.2": "财务管理", "1.2.2": "违规行为",
                  "2": "项目产出", "2.4": "产出成本", "3": "项目效果", "3.5": "服务对象满意度"},
        "by_level": {"1": 3, "2": 11, "3": 9},
        "scores": {"1.1": 75, "1.2": 25, "1.1.4": 25, "1.2.2": 13},
        "total": 100,
        "problems": [],
    },
    {
        "id": "t10_kaifaqu_anquan_2016", "kind": "framework", "split": "held10a",
        # 附件1 2016年度开发区部门、中心社区、驻区机构安全生产工作考核细则: 单位名称 line; 项目 |
        # 考核内容 | 标准分 | 检查方式 | 扣分标准 | 得分 (自评 | 考核); 项目 cells "一、…（16分）" merged
        # down their items; 标准分 written "2分"; block 三 cut on the page (left out)
        "rows": [
            ["附件1", None, None, None, None, None, None],
            ["2016年度开发区部门、中心社区、驻区机构安全生产工作考核细则", None, None, None, None, None, None],
            ["单位名称：", None, None, None, None, None, None],
            ["项目", "考核内容", "标准分", "检查方式", "扣分标准", "得分", None],
            [None, None, None, None, None, "自评", "考核"],
            ["一、安全生产控制指标完成情况（16分）", "把安全生产控制指标列入本单位年度考核，定有考核办法。", "2分",
             "查文件、台帐资料。", "未落实的或无考核办法的扣2分。", None, None],
            [None, "生产安全事故死亡人数控制在下达的指标以内。", "10分", "查事故汇总报表。", "每超1人扣4分。", None, None],
            [None, "（与去年同口径相比）遏制较大事故发生，杜绝重特大事故。", "4分", "查事故汇总报表",
             "各类事故起数和死亡人数每升1个百分点扣2分。", None, None],
            ["二、安全生产工作部署和落实情况（12分）", "及时传达贯彻全国、全省、全市安全生产电视电话会议及区有关会议精神。",
             "6分", "查有关资料。", "未按要求参加会议的，有一次扣1分；不落实的，一次扣2分；10天以内未贯彻的，发现一次扣1分。",
             None, None],
            [None, "职能部门每季度召开一次安全生产专题会议。", "4分", "查会议记录。",
             "职能部门全年不得少于4次，少一次扣1分。", None, None],
            [None, "把安全生产列为干部、职工考核的重要内容，实行年度评优“一票否决制”。", "2分", "查相关文件资料",
             "未实行的扣2分。", None, None],
        ],
        "merges": ["A1:G1", "A2:G2", "A3:G3", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:G4",
                   "A6:A8", "A9:A11"],
        "codes": ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3"],
        "exact": True,
        "named": {"1": "安全生产控制指标完成情况", "1.2": "死亡人数", "2": "安全生产工作部署和落实情况",
                  "2.2": "专题会议"},
        "by_level": {"1": 2, "2": 6},
        "scores": {"1": 16, "1.1": 2, "1.2": 10, "1.3": 4, "2": 12, "2.1": 6, "2.3": 2},
        "total": None,
        "problems": [],
    },
    {
        "id": "t10_ningbo_jieshui_zeren", "kind": "duties", "split": "held10a",
        # 创建节水型城市 考核指标 责任分解 (宁波): a category written down a merged cell one character a
        # line (技术考核指标) | 序号 | 项目 | 考核内容 | 考核评分标准 | 标准分 | 责任单位 | 配合单位; units one a
        # line; items 9–11 (12 cut on the page, left out)
        "rows": [
            ["创建国家节水型城市考核指标责任分解表", None, None, None, None, None, None, None],
            [None, "序号", "项目", "考核内容", "考核评分标准", "标准分", "责任单位", "配合单位"],
            ["技\n术\n考\n核\n指\n标", 9, "工业用水重复利用率", "≥75%", "查看最近连续两年资料，每低5%扣1分。", 5,
             "市经委", "市城管局\n市水利局"],
            [None, 10, "节水型企业（单位）覆盖率", "≥15%",
             "查看上一年资料。达到5%得1分；达到10%得2分；达到15%以上得3分。", 3, "市经委\n市城管局",
             "各区政府\n市教育局\n市卫生局\n市贸易局\n市旅游局"],
            [None, 11, "城市供水管网漏损率", "低于CJJ92-2002《城市供水管网漏损控制及评定标准》的指标",
             "查看最近连续两年资料，达到标准6分，每降低1%加2分，降低2%以上加4分。高于标准不得分。", 10, "市城管局",
             "鄞州区政府"],
        ],
        "merges": ["A1:H1", "A3:A5"],
        "duties": [
            {"lead": ["市经委"], "coop": ["市城管局", "市水利局"]},
            {"lead": ["市经委", "市城管局"], "coop": ["各区政府", "市教育局", "市卫生局", "市贸易局", "市旅游局"]},
            {"lead": ["市城管局"], "coop": ["鄞州区政府"]},
        ],
    },
    {
        "id": "t10_xiaofang_zerenren_kaoping", "kind": "framework", "split": "held10a", "format": "xls",
        # 附表2 各县、区政府消防安全责任人考评量化标准: 序号 | 考评内容 | 分值 | 评分标准 | 考评方式 | 自评分 |
        # 考评分; item 1 merged over three scored rows (6分 / 5分 / 5分, each with its own deduction), its
        # 考评方式 merged too; item 2's first row (its text and deduction cut on the page, kept short)
        "rows": [
            ["附表2", None, None, None, None, None, None],
            ["各县、区政府消防安全责任人考评量化标准", None, None, None, None, None, None],
            ["序号", "考评内容", "分值", "评 分 标 准", "考评方式", "自评分", "考评分"],
            [1, "贯彻执行消防法律法规，落实消防安全责任制。", "6分", "未组织研究制定年度消防工作目标和任务的扣6分。",
             "听取汇报，查阅有关文件资料。", None, None],
            [None, None, "5分", "未与下一级政府消防安全责任人签订消防安全责任书的扣5分。", None, None, None],
            [None, None, "5分", "未对消防安全责任制的落实情况进行督促检查的扣5分。", None, None, None],
            [2, "组织制定和实施消防规划，保障城镇公共消防设施达到要求。", "6分", "未组织研究落实城市消防规划的，酌情扣分。",
             "听取汇报，查阅有关文件资料，实地抽查。", None, None],
        ],
        "merges": ["A1:G1", "A2:G2", "A4:A6", "B4:B6", "E4:E6"],
        "codes": ["1", "2"],
        "exact": True,
        "named": {"1": "贯彻执行消防法律法规", "2": "消防规划"},
        "by_level": {"1": 2},
        "scores": {"1": 16, "2": 6},
        "total": None,
        "problems": [],
    },
    # ================================================================= held10b
    {
        "id": "t10_gonghui_anquan_kaohe", "kind": "framework", "split": "held10b", "format": "xls",
        # a construction company's 工会 safety assessment form: 序号 | 考核内容 | 扣分标准 | 应得分数 |
        # 扣减分数 | 实得分数; 合计 100; signature lines under it
        "rows": [
            ["序号", "考 核 内 容", "扣 分 标 准", "应得分数", "扣减分数", "实得分数"],
            [1, "安全技术管理", "未提出职业病预防措施的扣10分；未提出改善劳动卫生条件的扣10分。", 20, None, None],
            [2, "目标管理", "未制定安全生产目标管理计划并贯彻执行的扣20分。", 20, None, None],
            [3, "安全教育", "未对职工宣传、贯彻安全生产法律、法规、政策和规章制度的扣20分；未对职工开展安全操作教育的扣10分。",
             25, None, None],
            [4, "安全生产管理", "不对安全生产管理体制进行监督检查的扣15分；不组织工会安全检查的扣10分；不出安全生产宣传刊物的扣10分。",
             25, None, None],
            [5, "工伤事故处理", "未参加工伤事故调查分析处理的扣10分；未做好“四不放过”教育的扣10分。", 10, None, None],
            ["合 计", None, None, 100, None, None],
            ["被考核人：", None, "考核人：", None, None, None],
            ["施工单位：某建筑工程有限公司", None, None, None, None, None],
        ],
        "merges": ["A7:C7", "A9:F9"],
        "codes": ["1", "2", "3", "4", "5"],
        "exact": True,
        "named": {"1": "安全技术管理", "3": "安全教育", "5": "工伤事故处理"},
        "by_level": {"1": 5},
        "scores": {"1": 20, "3": 25, "5": 10},
        "total": 100,
        "problems": [],
    },
    {
        "id": "t10_hangzhou_jindu_shifan", "kind": "framework", "split": "held10b",
        # 禁毒示范创建 scoring table (杭州, 2018): 序号 | 项目 | 小项内容 | 具体内容 | 分值 | 打分方法; 项目
        # "组织\n领导\n（10分）" merged down items 1–4, "构建全覆盖毒品预防体系（20分）" down 5–7 (item 8 cut on
        # the page, left out); 序号 runs on across the blocks
        "rows": [
            ["序号", "项目", "小项内容", "具体内容", "分值", "打分方法"],
            [1, "组织\n领导\n（10分）", "强化组织领导", "以党委或政府名义开会，研究、部署、推动禁毒示范创建。", 1,
             "开政府常务会议的，每次得0.5分；其他会议党委政府主要领导出席的，每次得0.3分，其他领导出席的每次得0.2分。"
             "未开政府常务会议的不得分。"],
            [2, None, "领导批示指示", "党委政府领导对禁毒示范创建作出批示指示。", 1,
             "主要领导批示的，每次得0.5分；其他领导批示的，每次得0.2分。"],
            [3, None, "成立领导小组", "成立创建领导小组和工作专班，制定创建工作方案并贯彻执行。", 3,
             "主要领导任组长的得1分，其他领导任组长的得0.5分；成立专班的得0.5分；制定方案的得0.5分；方案目标如期完成的得1分。"],
            [4, None, "出席创建活动", "党委政府领导出席禁毒示范创建活动（含全民禁毒宣传月活动）。", 5,
             "主要领导出席的，每次得1分；其他领导出席的，每次得0.5分。"],
            [5, "构建全覆盖毒品预防体系\n（20分）", "禁毒知识知晓率", "全民禁毒知识知晓率超过95%。", 5,
             "委托第三方评估，超过95%（含）得3分，超过98%（含）得5分。"],
            [6, None, "群众满意度", "禁毒工作群众满意度超过95%。", 5,
             "委托第三方评估，超过95%（含）得3分，超过98%（含）得5分。"],
            [7, None, "禁毒专题教育", "中小学校落实禁毒专题教育不少于4课时。", 4,
             "随机抽查10%的学校材料（不足4所的按4所），每1所不合格扣1分。"],
        ],
        "merges": ["B2:B5", "B6:B8"],
        "codes": ["1", "1.1", "1.2", "1.3", "1.4", "2", "2.5", "2.6", "2.7"],
        "exact": True,
        "named": {"1": "组织领导", "1.1": "强化组织领导", "1.3": "成立领导小组", "2": "构建全覆盖毒品预防体系",
                  "2.5": "禁毒知识知晓率", "2.7": "禁毒专题教育"},
        "by_level": {"1": 2, "2": 7},
        "scores": {"1": 10, "2": 20, "1.4": 5, "2.7": 4},
        "total": None,
    },
    {
        "id": "t10_jindu_kaoping_zeren_2018", "kind": "duties", "split": "held10b",
        # 2018年度全省禁毒工作考评细则 as a county split it: 大项内容 | 小项内容 | 具体项目 | 具体内容 |
        # 责任单位 | 协助单位; points in the names ("毒品预防教育（14分）", "“6·27”工程（7分）", "工程攻坚
        # （2.5分）"); every row 县教育局 with 县禁毒办、禁毒大队 helping; rows after 重大活动组织's first cut
        "rows": [
            ["2018年度全省禁毒工作考评细则", None, None, None, None, None],
            ["大项内容", "小项内容", "具体项目", "具体内容", "责任单位", "协助单位"],
            ["毒品预防教育（14分）", "“6·27”工程（7分）", "工程攻坚（2.5分）",
             "对照《全国青少年毒品预防教育“6·27”工程达标考核标准》，全县初中以上学校项目达标率达到100%。", "县教育局",
             "县禁毒办、禁毒大队"],
            [None, None, None, "对照同一标准，乡镇（街道）项目达标率达到80%以上。", "县教育局", "县禁毒办、禁毒大队"],
            [None, None, None, "对照同一标准，村（社区）项目达标率达到80%以上。", "县教育局", "县禁毒办、禁毒大队"],
            [None, None, None, "制定出台本市青少年毒品预防教育五年发展纲要。", "县教育局", "县禁毒办、禁毒大队"],
            [None, None, None, "现有吸毒人员超过规定人数的地市和重点县（市）全部建立禁毒教育基地。", "县教育局",
             "县禁毒办、禁毒大队"],
            [None, None, "数字化平台应用（1.4分）", "全县学校在全国青少年毒品预防教育数字化平台注册比例达到90%。", "县教育局",
             "县禁毒办、禁毒大队"],
            [None, None, None, "在校学生（小学5年级至高中2年级，含中等职业学校）在数字化平台注册比例达到90%。", "县教育局",
             "县禁毒办、禁毒大队"],
            [None, None, "重大活动组织（1分）", "在2018年度全国青少年禁毒知识竞赛中各市的综合得分。", "县教育局",
             "县禁毒办、禁毒大队"],
        ],
        "merges": ["A1:F1", "A3:A10", "B3:B10", "C3:C7", "C8:C9"],
        "duties": [{"lead": ["县教育局"], "coop": ["县禁毒办", "禁毒大队"]} for _ in range(8)],
    },
    {
        "id": "t10_guiyang_jieshui_mubiao", "kind": "framework", "split": "held10b",
        # 贵阳市创建国家节水型城市各单位责任目标分解表: 指标分类 | 指标名称 | 考核内容（指标标准） | 评分标准 |
        # 责任单位 | 分数; 基本条件 merged down; each indicator's standard lines one a row under its merged
        # name; 分数 "一票否决"; a unit only on some rows
        "rows": [
            ["贵阳市创建国家节水型城市各单位责任目标分解表", None, None, None, None, None],
            ["指标分类", "指标名称", "考核内容（指标标准）", "评分标准", "责任单位", "分数"],
            ["基本条件", "法规制度健全", "有本级人大或政府颁发的城市节水管理法规、规范性文件；城市节水管理制度和长效机制健全。",
             "有城市节约用水，水资源管理，供水、排水、用水管理，地下水保护，非常规水利用方面的法规、规章及规范性文件。",
             "市城管局", "一票否决"],
            [None, None, None, "有城市节水管理规定等文件；有城市节水奖惩办法、近两年奖惩台帐及通告等材料。", None, None],
            [None, "城市节水机构规范", "按市编委文件设立城市节水管理机构，职责明确、人员齐备；对供水用水单位全面开展节水监督检查和指导；"
             "组织推广节水技术与产品。", "有城市节水管理机构的设置及变更批准文件、主管部门、内部设置、人员编制、工作职责等材料。",
             None, "一票否决"],
            [None, None, None, "考核年限内，有城市节水的日常培训和管理记录。", "市节水办", None],
            [None, None, None, "考核年限内，有城市节水技术与产品推广台帐及证明材料。", None, None],
            [None, "建立城市节水统计制度", "实行规范的城市节水统计制度，按国家节水统计要求建立统计指标体系，定期上报节水统计报表。",
             "有用水计量与统计管理办法或城市节水统计制度批准文件，统计年限至少2年以上。", None, "一票否决"],
            [None, None, None, "城市节水统计内容符合地方文件要求，全面、详尽。", None, None],
            [None, None, None, "考核年限内，有齐全的城市节水管理统计报表和全市基本情况汇总统计报表。", None, None],
        ],
        "merges": ["A1:F1", "A3:A10", "B3:B4", "C3:C4", "F3:F4", "B5:B7", "C5:C7", "F5:F7", "B8:B10", "C8:C10",
                   "F8:F10"],
        "codes": ["1", "1.1", "1.2", "1.3"],
        "exact": True,
        "named": {"1": "基本条件", "1.1": "法规制度健全", "1.2": "城市节水机构规范", "1.3": "建立城市节水统计制度"},
        "by_level": {"1": 1, "2": 3},
        "veto": ["1.1", "1.2", "1.3"],
        "total": None,
    },
]


# ================================================================= held10c (written after held10b's fixes;
# one more real sheet, its reading written by hand before its one run)
DOCS_H10T.append({
    "id": "t10_zhuyuan_yishi_pinggu_neike", "kind": "framework", "split": "held10c",
    # 住院医师规范化培训评估指标——内科专业基地 (an HTML table in a JSP page): a title; the base's
    # name and province line; 评估项目 merged over 一级指标 | 二级指标 | 三级指标（★为核心指标）, then
    # 评估内容 | 现场评估方式 | 评分标准 | 分值 | 附件信息 | 自评得分 | 专家评分 | 扣分原因, each merged down
    # the two header rows; "1.基本条件（18分）" merged down (14 rows on the page: the first five
    # kept), "1.1专业基地所在医院条件" over them; 评估内容 the targets (≥200张); 现场评估方式 merged over
    # 1.1.2–1.1.4
    "rows": [
        ["住院医师规范化培训评估指标——内科专业基地"] + [None] * 12,
        ["培训基地（医院）名称：", None, None, None, None, None, "所属省（区、市）：", None, None, None, None, None, None],
        ["评估项目", None, None, "评估内容", "现场评估\n方式", "评分标准", "分值", "附件信息", "自评得分", "专家评分",
         "扣分原因", None, None],
        ["一级指标", "二级指标", "三级指标\n★为核心指标", None, None, None, None, None, None, None, None, None, None],
        ["1.基本条件\n（18分）", "1.1专业基地\n所在医院条件", "1.1.1总床位数", "≥200张",
         "检查相关文件复印件，需加盖医院公章，实地考查", "符合标准，得1分\n不达标准，不得分", 1, None, None, None, None,
         None, None],
        [None, None, "1.1.2年收治病人数", "≥3800人次", "检查相关统计报表复印件，需加盖医院公章",
         "符合标准，得1分\n不达标准，不得分", 1, None, None, None, None, None, None],
        [None, None, "1.1.3年门诊量", "≥100000人次", None, "符合标准，得1分\n不达标准，不得分", 1, None, None, None,
         None, None, None],
        [None, None, "1.1.4年急诊量", "≥10000人次", None, "符合标准，得1分\n不达标准，不得分", 1, None, None, None,
         None, None, None],
        [None, None, "1.1.5科室和实验室", "1.必备科室：普通外科、神经内科、重症监护室、皮肤科、口腔科、麻醉科、医学影像科、病理科、"
         "检验科、输血科\n2.辅助科室：心电图室、肺功能室、消化内镜室、血液实验室等", "查看相关文件，实地考查",
         "必备科室缺1个科室，不得分\n辅助科室缺2个科室，不得分", 1, None, None, None, None, None, None],
    ],
    "merges": ["A1:K1", "A2:F2", "G2:K2", "A3:C3", "D3:D4", "E3:E4", "F3:F4", "G3:G4", "H3:H4", "I3:I4", "J3:J4",
               "K3:K4", "A5:A9", "B5:B9", "E6:E8"],
    "codes": ["1", "1.1", "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5"],
    "exact": True,
    "named": {"1": "基本条件", "1.1": "专业基地", "1.1.1": "总床位数", "1.1.5": "科室和实验室"},
    "by_level": {"1": 1, "2": 1, "3": 5},
    "scores": {"1": 18, "1.1.1": 1, "1.1.5": 1},
    "total": None,
})


def build10(doc: dict[str, Any], folder: Path) -> Path:
    """The file the clerk receives: the .xlsx of build.build, or the .xls LibreOffice saves of it."""
    from build import build

    path = build(doc, folder)
    if doc.get("format") != "xls":
        return path
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice is needed for the .xls documents of held10t")
    out = folder / "xls"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xls",
                        "--outdir", str(out), str(path)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    return out / f"{doc['id']}.xls"


def check10(doc: dict[str, Any], path: Path, archive: Any) -> Any:
    """build.check, then this set's further expectations (exact codes, points, levels, veto)."""
    from build import check

    from storage.kernel.errors import ArchiveError
    from storage.tables.framework_import import read_framework

    out = check(doc, path, archive)
    if doc["kind"] != "framework" or out.refused:
        return out
    try:
        _, rep = read_framework(path)
    except ArchiveError as e:   # pragma: no cover - check() saw it first
        out.refused = e.zh
        return out
    got = {i["code"]: i for i in rep.items}
    if doc.get("exact"):
        extra = sorted(set(got) - set(doc["codes"]))
        if extra:
            out.misses.append(f"codes read that the sheet does not have: {extra[:8]}")
    if "by_level" in doc and rep.summary.get("indicators_by_level") != doc["by_level"]:
        out.misses.append(f"levels {rep.summary.get('indicators_by_level')} != {doc['by_level']}")
    for code, want in doc.get("scores", {}).items():
        have = got.get(code, {}).get("max_score")
        if (have is None) != (want is None) or (have is not None and float(have) != float(want)):
            out.misses.append(f"{code} scores {have}, expected {want}")
    for code in doc.get("veto", []):
        if not got.get(code, {}).get("is_veto"):
            out.misses.append(f"{code} not marked 一票否决")
    return out


def run(parts: list[str], *, verbose: bool = False) -> list[str]:
    """Read the documents of `parts` through the real importers; one line per part and per
    document (codes kept, the reading wholly right or its misses when verbose, refused)."""
    from storage.core.archive import Archive

    lines: list[str] = []
    docs = [d for d in DOCS_H10T if d["split"] in parts]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        archive = Archive.create(folder / "archive")
        try:
            outcomes = [check10(d, build10(d, folder), archive) for d in docs]
        finally:
            archive.close()
    for split in parts:
        part = [o for o in outcomes if o.split == split]
        if not part:
            continue
        lines.append(f"{split:8s} documents {len(part)}  codes kept {sum(o.codes_kept for o in part)}/"
                     f"{sum(o.codes for o in part)}  duty rows right {sum(o.tasks_right for o in part)}/"
                     f"{sum(o.tasks for o in part)}  wholly right {sum(1 for o in part if not o.misses and not o.refused)}"
                     f"/{len(part)}  refused {sum(1 for o in part if o.refused)}")
        for o in part:
            ok = "right" if not o.misses and not o.refused else ("REFUSED" if o.refused else f"{len(o.misses)} misses")
            lines.append(f"  {o.doc_id:34s} codes {o.codes_kept}/{o.codes} rows {o.tasks_right}/{o.tasks}  {ok}")
            if verbose:
                lines += [f"      {m}" for m in o.misses] + ([f"      refused: {o.refused}"] if o.refused else [])
    return lines
