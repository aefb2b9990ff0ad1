"""scripts/install-windows.ps1 cannot run here (no PowerShell on this Linux machine); these
checks keep the properties that matter on a clerk's PC from regressing: Windows PowerShell 5.1
reads it correctly (UTF-8 with BOM, else the Chinese text is read as GBK and garbled), it
needs no administrator (no HKLM, no RunAs, installs under %LOCALAPPDATA%\\Programs), it makes
its shortcuts through WScript.Shell, and every error is Chinese then English."""
from __future__ import annotations

import re
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "install-windows.ps1"


def _text() -> str:
    return SCRIPT.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")


def test_saved_so_windows_powershell_reads_the_chinese():
    raw = SCRIPT.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM: PowerShell 5.1 reads BOM-less files as ANSI"
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_no_administrator_needed():
    text = _text()
    for forbidden in ("HKLM:", "HKEY_LOCAL_MACHINE", "LocalMachine", "RunAs", "Program Files",
                      "Set-ExecutionPolicy", "New-Service", "schtasks"):
        assert forbidden.lower() not in text.lower(), forbidden
    assert "Join-Path $env:LOCALAPPDATA 'Programs\\EvidenceDesk'" in text
    assert "HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\EvidenceDesk" in text
    assert "[Environment]::GetFolderPath('Programs')" in text  # this user's Start menu


def test_shortcuts_uninstall_and_self_test():
    text = _text()
    assert "New-Object -ComObject WScript.Shell" in text and "$link.Save()" in text
    assert "[switch]$DesktopShortcut" in text and "if ($DesktopShortcut)" in text
    assert "uninstall.ps1" in text and "Remove-Installation" in text
    assert "& $cli --self-test" in text and "$LASTEXITCODE" in text
    # upgrade: copy beside, then swap
    assert text.index('"$Target.new" -Recurse') < text.index("-NewName 'EvidenceDesk.old'") \
        < text.index("-NewName 'EvidenceDesk'\n")


def test_errors_are_chinese_then_english():
    text = _text()
    calls = re.findall(r"^\s*Fail (['\"])(.+?)\1 (['\"])(.+?)\3", text, flags=re.M)
    assert len(calls) >= 6
    for _, zh, _, en in calls:
        assert re.search(r"[\u4e00-\u9fff]", zh), zh
        assert en.isascii(), en


def test_braces_and_parentheses_balance():
    """A cheap guard against a broken edit (there is no PowerShell parser here): outside
    strings and comments, every { ( [ is closed."""
    text = re.sub(r"<#.*?#>", "", _text(), flags=re.S)
    text = re.sub(r"#[^\n]*", "", text)
    text = re.sub(r"'[^'\n]*'", "''", text)
    text = re.sub(r'"(?:`.|[^"`\n])*"', '""', text)
    stack = []
    pairs = {")": "(", "}": "{", "]": "["}
    for ch in text:
        if ch in "({[":
            stack.append(ch)
        elif ch in pairs:
            assert stack and stack.pop() == pairs[ch]
    assert not stack
