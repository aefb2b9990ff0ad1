"""User-facing words shared by several views (Simplified Chinese)."""
from __future__ import annotations

import datetime as dt

from storage.kernel.words import DUTY_STATE, INBOX_STATE, ROLE, STATUS, STATUS_ORDER

__all__ = ["COVERAGE", "DUTY_STATE", "INBOX_STATE", "ROLE", "STATUS", "STATUS_ORDER", "VIEWS", "VIEW_TITLES"]

COVERAGE = {"missing": "缺材料", "partial": "部分", "done": "齐全"}

# how reading a stored file's text went (storage.reading.backlog), where it needs saying
READ_STATE = {"password": "有密码保护", "unreadable": "无法读取内容"}

VIEWS = ("main", "inbox", "dashboard", "departments", "rectify", "review_compare", "search")
VIEW_TITLES = {"main": "指标与材料", "inbox": "收件箱", "dashboard": "总览", "departments": "责任单位",
               "rectify": "整改", "review_compare": "自评与省评", "search": "搜索结果"}


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

# -- the audit log in the window (工具 → 操作记录…): the clerk's words for storage's names --
LOG_ACTION = {"insert": "新增", "update": "修改", "delete": "删除", "purge": "彻底删除",
              "backup": "备份", "restore": "恢复", "repair": "修复", "seal": "封存提交",
              "export": "导出", "verify": "校验", "migrate": "升级结构"}
LOG_ENTITY = {"evidence": "佐证材料", "evidence_file": "材料文件", "evidence_indicator": "指标关联",
              "evidence_duty": "任务关联", "indicator": "指标", "framework": "指标体系",
              "department": "责任单位", "department_alias": "单位别名", "duty": "责任任务",
              "duty_department": "任务单位", "blob": "存储文件", "watched_folder": "共享文件夹",
              "scan_entry": "文件夹扫描", "inbox_entry": "收件箱", "blob_text": "全文索引",
              "indicator_assessment": "自评", "submission": "提交", "submission_file": "提交文件",
              "setting": "设置", "archive": "档案库"}
LOG_FIELD = {"title": "标题", "doc_number": "文号", "issue_date": "成文日期", "issuing_body": "发文机关",
             "status": "状态", "notes": "备注", "trashed_at": "移入回收站", "department_id": "报送单位",
             "issuing_department_id": "发文单位", "period_start": "起始日期", "period_end": "截止日期",
             "review_order": "送审顺序", "score": "自评得分", "note": "扣分说明", "description": "自评说明",
             "name": "名称", "original_name": "文件名", "indicator_id": "指标", "duty_id": "任务",
             "evidence_id": "佐证", "items": "佐证", "files_removed": "删除的文件", "files_kept": "保留的文件",
             "dest": "备份位置", "files": "文件数", "bytes": "字节", "archive": "档案库",
             "verify_ok": "校验通过", "export_date": "导出日期", "bundle": "材料包", "generated": "申报文件",
             "value": "值", "key": "项目", "path": "路径", "task": "任务", "code": "编号",
             "bundle_path": "材料包中的位置", "submission_id": "提交"}
