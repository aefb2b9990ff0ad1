"""framework2 (issue 15, session 12): a REAL published indicator system, in its own wording,
that the ranker was never written for.

Level 1 and 2 and most level-3 titles are those of 安徽省质量工作考核要点 (the attachment of
安徽省质量工作考核办法, the province's assessment of its cities' quality work after 国办发〔2013〕47号):
质量目标 (40分) → 产品质量量化指标, 工程质量量化指标; 质量措施 (60分) → 质量宏观管理, 质量安全监管,
质量基础建设; its 考核要点 are the level-3 items here, titles kept as published
(https://zjtcn.com/baike/ahszlgzkhbffj6370008). That list has 23 items, short of 30, so:

- its first 质量宏观管理 item, 质量发展规划制订与实施, is taken apart into the four 评分细则 items
  南通 2016 (and 徐州) scored under 质量发展规划制定与实施 (4分, 1分 each), titles kept, rules
  shortened in our words (2016年度南通市质量工作考核评分细则(部门), http://cornels-photography.com/paper/263996940.html;
  徐州 市质监局工商局等质量工作考核评分细则 http://www.renrendoc.com/p-14155210.html);
- 徐州's 品牌发展战略 item "建立健全本级政府质量奖励制度并组织实施" (1分) is added;
- 漯河's 2012 质量立市 考核内容 item 7 (工程质量、产品质量、食品质量安全、农畜产品质量安全、药品保健品
  质量安全等情况) gives three more under 质量安全监管: 食品 / 农畜产品 / 药品保健品 质量安全
  (2012年漯河市质量立市工作考核办法 http://henan.kjzch.com/luohe/2012-06-29/589045.html).

Points are the published ones where given (level 1; the 南通/徐州 items), else None. No lead
departments, tasks or expected evidence: the published list has none, and that is the point
(a real framework gives the ranker titles, and rules where it gives them, nothing else).

Same shape as ../spec.py: LEVELS (code → name), INDICATORS (code → (title, points, rule, lead,
task, expected)).
"""
from __future__ import annotations

SOURCE = "安徽省质量工作考核要点 (+ 南通 2016/徐州 评分细则, 漯河 2012 考核内容)"

LEVELS = {
    "1": "质量目标",
    "1.1": "产品质量量化指标",
    "1.2": "工程质量量化指标",
    "2": "质量措施",
    "2.1": "质量宏观管理",
    "2.2": "质量安全监管",
    "2.3": "质量基础建设",
}

_ = ""
INDICATORS: dict[str, tuple[str, float | None, str, str, str, str]] = {
    # 质量目标 (40分)
    "1.1.1": ("制造业产品质量合格率", None, _, _, _, _),
    "1.1.2": ("主要农产品质量安全监测合格率", None, _, _, _, _),
    "1.2.1": ("建筑工程竣工验收合格率", None, _, _, _, _),
    # 质量措施 (60分) — 质量宏观管理
    "2.1.1": ("质量发展目标纳入地区国民经济和社会发展规划", 1,
              "质量（含计量）发展目标纳入地区规划得1分，只纳入部门规划得0.5分，未纳入不得分", _, _, _),
    "2.1.2": ("质量工作在年度政府工作报告中有相应体现", 1,
              "政府工作报告写到质量工作得1分，写得不充分得0.5分，没有不得分", _, _, _),
    "2.1.3": ("制定质量发展规划和年度质量工作方案", 1,
              "制定质量发展规划得0.5分；按质量发展纲要和上级年度行动计划制定本地区年度质量工作具体方案得0.5分", _, _, _),
    "2.1.4": ("制定推动质量发展工作的相关配套政策和措施", 1,
              "产业、环境、科技、金融、财税、人才培养等方面都有推动质量发展的政策措施得1分，每缺一个方面扣0.1分", _, _, _),
    "2.1.5": ("质量安徽建设活动", None, _, _, _, _),
    "2.1.6": ("质量工作协调机制建立与运行", None, _, _, _, _),
    "2.1.7": ("品牌发展战略实施", None, _, _, _, _),
    "2.1.8": ("建立健全本级政府质量奖励制度并组织实施", 1,
              "建立政府质量奖制度并组织评选得分", _, _, _),
    "2.1.9": ("质量统计分析制度建立与开展", None, _, _, _, _),
    "2.1.10": ("质量投入机制运行", None, _, _, _, _),
    "2.1.11": ("行业准入及产业政策落实", None, _, _, _, _),
    # 质量安全监管
    "2.2.1": ("质量监管能力和制度建设", None, _, _, _, _),
    "2.2.2": ("打击假冒伪劣及专项整治", None, _, _, _, _),
    "2.2.3": ("企业质量主体责任落实", None, _, _, _, _),
    "2.2.4": ("质量诚信建设", None, _, _, _, _),
    "2.2.5": ("质量安全风险管理机制建设", None, _, _, _, _),
    "2.2.6": ("消费者维权机制建设", None, _, _, _, _),
    "2.2.7": ("产品质量监管", None, _, _, _, _),
    "2.2.8": ("工程质量监管", None, _, _, _, _),
    "2.2.9": ("服务质量监管", None, _, _, _, _),
    "2.2.10": ("食品质量安全", None, _, _, _, _),
    "2.2.11": ("农畜产品质量安全", None, _, _, _, _),
    "2.2.12": ("药品保健品质量安全", None, _, _, _, _),
    # 质量基础建设
    "2.3.1": ("标准、计量、认证认可基础建设", None, _, _, _, _),
    "2.3.2": ("检验检测技术能力建设", None, _, _, _, _),
    "2.3.3": ("口岸检验检疫综合能力建设", None, _, _, _, _),
    "2.3.4": ("质量人才队伍建设", None, _, _, _, _),
}
