"""User-facing words shared by several views (Simplified Chinese)."""
from __future__ import annotations

import datetime as dt

STATUS = {"received": "已收到", "accepted": "已审核", "returned": "已退回", "superseded": "已替代"}
STATUS_ORDER = ("received", "accepted", "returned", "superseded")
COVERAGE = {"missing": "缺材料", "partial": "部分", "done": "齐全"}
DUTY_STATE = {"done": "已完成", "partial": "已报送待审核", "overdue": "已逾期", "missing": "未报送",
              "received": "已报送待审核"}
ROLE = {"lead": "牵头", "cooperating": "配合"}
INBOX_STATE = {"pending": "待处理", "accepted": "已接收", "ignored": "已忽略", "failed": "失败"}

VIEWS = ("main", "inbox", "dashboard", "departments", "search")
VIEW_TITLES = {"main": "指标与材料", "inbox": "收件箱", "dashboard": "总览", "departments": "责任单位",
               "search": "搜索结果"}


def size_text(n: int | None) -> str:
    if n is None:
        return ""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def date_text(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def datetime_text(d: dt.datetime | None) -> str:
    """Stored times are naive UTC; show them in local time."""
    if d is None:
        return ""
    local = d.replace(tzinfo=dt.UTC).astimezone()
    return local.strftime("%Y-%m-%d %H:%M")


def days_left_text(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return f"逾期 {-days} 天"
    if days == 0:
        return "今天到期"
    return f"{days} 天"


def score_text(score: float | None) -> str:
    if score is None:
        return ""
    return f"{score:g}"

INBOX_KEYS_TIP = ("键盘操作：Enter 接受建议；F2 或 Ctrl+E 改为其他指标/任务；Delete 忽略；"
                  "Ctrl+A 全选；Shift/Ctrl+点击 多选")
