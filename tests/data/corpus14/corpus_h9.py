"""Held-out set 9 (round 8): real plan openings not in SOURCES.md before, found with the search
tool on programmes not yet used (安全生产, 乡村振兴, 林长制, 营商环境, 爱国卫生, 平安建设, 知识产权,
计量, 标准化 were searched). Labelled by hand and committed before the importers were run on them;
measured once first (`python -m benchmarks.import_accuracy --parts held9 --verbose`).

Sentences are ours where the page's are long; numbering, labels, unit names and layout are the
source's. The stored page is flattened into one line: paragraphs are rebuilt at its numbers and
labels. Sources: SOURCES.md, section "Held-out set 9".
"""
from __future__ import annotations

from typing import Any

DOCS_H9: list[dict[str, Any]] = [
    {
        "id": "p9_aiguo_weisheng_wenming", "kind": "plan", "split": "held9", "format": "docx",
        # a 科室-level plan: the notice's own "通知如下：" opens the tasks (一、工作任务 is the plan);
        # own-line "创建目标：…" then "责任科室（单位）：A、B" (first named leads); item (1) and
        # items 2.–3. are not on the stored page (the page skips them), left out
        "paras": [
            "在精神文明创建活动中深入开展爱国卫生运动的实施方案",
            "按照市、县委文明办工作要求，根据**文件精神，为做好贯彻落实，现将有关事项通知如下：",
            "一、工作任务",
            "（一）深化文明城市创建，打造整洁有序的环境秩序",
            "1.开展市容环境整治",
            "（2）创建目标：对医院的公厕进行整治提升。",
            "责任科室（单位）：县总医院、县妇幼保健院",
            "（3）创建目标：针对公共场所排队无序、插队、随地吐痰等问题开展整治。其中，在医院入口地面设置“一米线”提示标识。",
            "责任科室（单位）：县总医院、县妇幼保健院",
            "4.开展城乡结合部环境整治",
            "创建目标：开展集中和定期相结合的爱卫活动，改善县城的周边整体环境。",
            "责任科室：局爱卫工作科",
        ],
        "tasks": [
            {"code": "1.1.1.2", "lead": ["县总医院"], "coop": ["县妇幼保健院"], "task_has": "公厕"},
            {"code": "1.1.1.3", "lead": ["县总医院"], "coop": ["县妇幼保健院"], "task_has": "一米线"},
            {"code": "1.1.4", "lead": ["局爱卫工作科"], "coop": [], "task_has": "城乡结合部"},
        ],
    },
]
