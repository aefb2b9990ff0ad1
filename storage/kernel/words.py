"""Words the clerk reads in more than one place: the window, the command line and the files
we export all say a status or a role the same way. Text shown only in the window lives in
ui/texts.py; error messages stay with the code that raises them."""
from __future__ import annotations

STATUS = {"received": "已收到", "accepted": "已审核", "returned": "已退回", "superseded": "已替代"}
STATUS_ORDER = ("received", "accepted", "returned", "superseded")
ROLE = {"lead": "牵头", "cooperating": "配合"}
INBOX_STATE = {"pending": "待处理", "accepted": "已接收", "ignored": "已忽略", "failed": "失败"}
DUTY_STATE = {"done": "已完成", "partial": "已报送待审核", "overdue": "已逾期", "missing": "未报送",
              "received": "已报送待审核"}
