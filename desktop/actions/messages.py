"""How an error reads to the clerk, wherever it is shown (command line or window)."""
from __future__ import annotations

from desktop.version import VERSION
from storage.core.migrate import head_revision
from storage.kernel.errors import ArchiveError, SchemaTooNew


def explain_error(error: ArchiveError) -> tuple[str, str]:
    """(Chinese, English) text of an error for the clerk. An archive or backup from a newer
    program (SchemaTooNew) also names this program's version and the newest schema it reads,
    so the clerk knows what to ask IT for ("此档案库由更新版本…（结构版本 0003）" alone does not
    say which version is installed here)."""
    zh, en = error.zh, error.en
    if isinstance(error, SchemaTooNew):
        head = head_revision()
        zh += f"（本机安装的是 Evidence Desk {VERSION}，能打开的结构版本最高为 {head}）"
        en += f" (this is Evidence Desk {VERSION}, which opens schema versions up to {head})"
    return zh, en
