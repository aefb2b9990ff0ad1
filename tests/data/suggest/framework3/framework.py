"""framework3 (issue 15, session 13): a second REAL published wording, from sources that are
neither framework2's (安徽, 南通, 徐州, 漯河) nor in the hidden check sets, measured once on the
ranker before any change for it.

No single source found with the search tool had 30 level-3 items in full (the 泰州 2011 细则's 43
items, the 延安/湟中 评分细则 and the 全国质量强市示范城市 验收评分表 are named in what was found,
but only their openings could be read), so — as the brief allows — published terms of four
sources are combined, titles kept word for word:

- the skeleton is 济南's local standard DB3701/T 20—2021 区域质量提升评价指标 (a Shandong
  indicator system, 1000 points): level 1 质量治理 / 质量支撑 / 质量供给 and the areas it scores —
  质量制度, 质量激励, 质量监管, 全民共治, 质量文化环境, 质量技术服务, 质量人才队伍建设 and the
  "五大质量" 产业质量, 产品质量, 工程质量, 服务质量, 环境质量
  (http://cornels-photography.com/paper/191099248.html; what it covers:
  http://zjmzl.com/qcxw/202104/t20210406_8291121.htm). Its per-item points are not readable, so
  the areas named there stand as level-3 items in their own (terse) words;
- 青海省 2023 贯彻《质量强国建设纲要》实施意见's published targets (制造业产品质量合格率,
  农畜产品监测合格率, 食品抽检问题处置率, 交通建设工程交工验收合格率, 制修订地方标准, 制定团体标准,
  社会公用计量标准, 注册商标总量, 地理标志商标/保护产品累计注册量, 生产性/生活性服务业, 政策引导,
  质量考核, 人民群众质量获得感、满意度; http://8a9v.com/article-23781-1.html);
- 扬州 扬府发〔2023〕141号 深化质量强市建设的实施意见's targets (地产农产品质量安全例行监测合格率,
  食品抽查合格率, 消费品质量合格率, 工程质量抽检合格率, 住建工程材料抽查和实体抽测平均抽检合格率;
  https://0798ci.com/rule/224598.html);
- 江门 江府办函〔2018〕83号 创建全国质量强市示范城市工作方案's aims (创新质量发展机制, 优化质量发展
  环境, 提升质量管理水平, 凝聚先进质量文化, 质量公共服务体系, 全民质量意识;
  http://www.wftygzs.com/products/944.html).

Rules are the published target where one is given, shortened in our words; else empty. No
points (not readable), lead departments, tasks or expected evidence: a real list gives the
ranker titles, and rules where it gives them, nothing else.

Same shape as ../spec.py: LEVELS (code → name), INDICATORS (code → (title, points, rule, lead,
task, expected)).
"""
from __future__ import annotations

SOURCE = "济南 DB3701/T 20—2021 区域质量提升评价指标 (+ 青海 2023, 扬州 2023, 江门 2018 published terms)"

LEVELS = {
    "1": "质量治理",
    "1.1": "质量制度",
    "1.2": "质量激励",
    "1.3": "质量监管",
    "1.4": "全民共治",
    "1.5": "质量文化环境",
    "2": "质量支撑",
    "2.1": "质量技术服务",
    "2.2": "质量人才队伍建设",
    "3": "质量供给",
    "3.1": "产业质量",
    "3.2": "产品质量",
    "3.3": "工程质量",
    "3.4": "服务质量",
    "3.5": "环境质量",
    "3.6": "品牌建设",
}

_ = ""
INDICATORS: dict[str, tuple[str, float | None, str, str, str, str]] = {
    # 质量治理
    "1.1.1": ("创新质量发展机制", None, _, _, _, _),
    "1.1.2": ("质量考核", None, "质量责任有效落实，质量考核体系基本建立", _, _, _),
    "1.1.3": ("政策引导", None, "政策引导体系基本建立", _, _, _),
    "1.2.1": ("质量激励", None, _, _, _, _),
    "1.3.1": ("质量监管", None, _, _, _, _),
    "1.4.1": ("全民共治", None, _, _, _, _),
    "1.4.2": ("全民质量意识", None, "全民质量意识明显提高", _, _, _),
    "1.4.3": ("人民群众质量获得感、满意度", None, "人民群众质量获得感、满意度持续增强", _, _, _),
    "1.5.1": ("凝聚先进质量文化", None, _, _, _, _),
    "1.5.2": ("优化质量发展环境", None, _, _, _, _),
    # 质量支撑
    "2.1.1": ("质量公共服务体系", None, "质量公共服务体系基本形成", _, _, _),
    "2.1.2": ("制修订地方标准", None, "制修订地方标准达到目标数", _, _, _),
    "2.1.3": ("制定团体标准", None, "制定团体标准达到目标数", _, _, _),
    "2.1.4": ("社会公用计量标准", None, "强制检定项目社会公用计量标准增加，建标覆盖率提高", _, _, _),
    "2.1.5": ("质量技术服务", None, _, _, _, _),
    "2.2.1": ("质量人才队伍建设", None, _, _, _, _),
    "2.2.2": ("提升质量管理水平", None, _, _, _, _),
    # 质量供给
    "3.1.1": ("产业质量", None, _, _, _, _),
    "3.2.1": ("制造业产品质量合格率", None, "制造业产品质量合格率稳定在94%以上", _, _, _),
    "3.2.2": ("消费品质量合格率", None, "消费品质量合格率达到95%以上", _, _, _),
    "3.2.3": ("农畜产品监测合格率", None, "农畜产品监测合格率保持在98%以上", _, _, _),
    "3.2.4": ("地产农产品质量安全例行监测合格率", None, "例行监测合格率达到98%以上", _, _, _),
    "3.2.5": ("食品抽查合格率", None, "食品抽查合格率达到98%以上", _, _, _),
    "3.2.6": ("食品抽检问题处置率", None, "食品抽检问题处置率达到100%", _, _, _),
    "3.3.1": ("工程质量抽检合格率", None, "工程质量抽检合格率逐年提高", _, _, _),
    "3.3.2": ("住建工程材料抽查和实体抽测平均抽检合格率", None, "平均抽检合格率高于95%", _, _, _),
    "3.3.3": ("交通建设工程交工验收合格率", None, "交通建设工程交工验收合格率达到100%", _, _, _),
    "3.4.1": ("服务质量", None, _, _, _, _),
    "3.4.2": ("生活性服务业", None, "生活性服务业满足消费新需求的能力增强", _, _, _),
    "3.4.3": ("生产性服务业", None, "生产性服务业效率和专业化水平提高", _, _, _),
    "3.5.1": ("环境质量", None, _, _, _, _),
    "3.6.1": ("注册商标总量", None, "注册商标总量达到目标数", _, _, _),
    "3.6.2": ("地理标志商标累计注册量", None, "地理标志商标累计注册量达到目标数", _, _, _),
    "3.6.3": ("地理标志保护产品累计注册量", None, "地理标志保护产品累计注册量达到目标数", _, _, _),
}
