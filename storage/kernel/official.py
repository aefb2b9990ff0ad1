"""The county's own name in official outputs, in place of a template's placeholder.

Tables handed down by a province or city often carry a placeholder county in their title
("某县质量强县评价指标体系", "XX县…", "××县…"); the framework keeps that title as its name. Every
output a county submits (the dashboard header, 申报表, 自评报告, 目录, 催办通知, a binder's cover)
names the county set in 设置 instead, and never the placeholder.
"""
from __future__ import annotations

import re

# A placeholder county: 某县, 某某县, XX县, ××县, ＸＸ县, ***县, ○○县, □□县 (also 区, 旗; "某县（市、区）").
_PLACEHOLDER = re.compile(r"(?:某某?|[xXｘＸ×＊*○〇□]{1,4})(?:县|区|旗)(?:（市、?区?）|（[市区]）)?")


def has_placeholder(text: str) -> bool:
    """True when `text` names a placeholder county ("某县…") rather than a real one."""
    return bool(_PLACEHOLDER.search(text or ""))


def official_name(name: str, county: str) -> str:
    """`name` (a framework's or table's title) with a placeholder county replaced by `county`,
    or dropped when no county is set yet: ("某县质量强县评价指标体系", "沂水县") →
    "沂水县质量强县评价指标体系"; ("某县质量强县评价指标体系", "") → "质量强县评价指标体系"."""
    county = (county or "").strip()
    out = _PLACEHOLDER.sub(lambda m: county, name or "")
    return re.sub(r"^[\s　、，,：:]+", "", out)


def county_title(name: str, county: str) -> str:
    """A header that names the county once: the official name, led by the county when the
    name does not already say it ("沂水县　江苏省质量强县评价办法")."""
    out = official_name(name, county)
    county = (county or "").strip()
    if county and county not in out:
        return f"{county}　{out}" if out else county
    return out


__all__ = ["county_title", "has_placeholder", "official_name"]
