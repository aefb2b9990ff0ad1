<#
.SYNOPSIS
  为当前用户安装 Evidence Desk（不需要管理员权限）。
  Installs Evidence Desk for the current user (no administrator rights needed).

.DESCRIPTION
  Copies the built program folder (EvidenceDesk, from a USB stick or dist\EvidenceDesk) to
  %LOCALAPPDATA%\Programs\EvidenceDesk, creates Start-menu shortcuts (the application and its
  uninstaller) through WScript.Shell, optionally a desktop shortcut, registers an entry under
  "Apps & features" for this user only (HKCU; nothing is written under HKLM), and runs the
  program's self-test. Upgrading is the same command: the new folder is copied next to the old
  one and swapped in only when the copy is complete.

  Uninstalling removes the program folder, the shortcuts and the HKCU entry. Archives and
  settings (%APPDATA%\EvidenceDesk, %LOCALAPPDATA%\EvidenceDesk) are the clerk's data and are
  never removed.

  Run it (Windows PowerShell 5.1, which every Windows 10/11 has):
    right-click install-windows.ps1 → "使用 PowerShell 运行" (Run with PowerShell), or
    powershell -NoProfile -ExecutionPolicy Bypass -File install-windows.ps1 [-DesktopShortcut]
  "-ExecutionPolicy Bypass" applies to this one run only and needs no administrator.

.PARAMETER Source
  The built EvidenceDesk folder. Default: .\EvidenceDesk next to this script, else
  ..\dist\EvidenceDesk.
.PARAMETER DesktopShortcut
  Also put a shortcut on the desktop.
.PARAMETER NoSelfTest
  Do not run "evidence-desk.exe --self-test" after copying.
.PARAMETER NoAppsEntry
  Do not add the entry under Settings → Apps (HKCU).
.PARAMETER Uninstall
  Remove the program (also what uninstall.ps1 in the program folder does).
.PARAMETER NoPause
  Do not wait for Enter before closing (for scripted installs). The pause is there because a
  window opened by "Run with PowerShell" closes as soon as the script ends.
#>
[CmdletBinding()]
param(
    [string]$Source = "",
    [switch]$DesktopShortcut,
    [switch]$NoSelfTest,
    [switch]$NoAppsEntry,
    [switch]$Uninstall,
    [switch]$NoPause
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$Target      = Join-Path $env:LOCALAPPDATA 'Programs\EvidenceDesk'
$MenuFolder  = Join-Path ([Environment]::GetFolderPath('Programs')) 'Evidence Desk'
$AppLink     = Join-Path $MenuFolder '质量强县佐证材料档案库.lnk'
$RemoveLink  = Join-Path $MenuFolder '卸载 Evidence Desk.lnk'
$DesktopLink = Join-Path ([Environment]::GetFolderPath('DesktopDirectory')) '质量强县佐证材料档案库.lnk'
$AppsKey     = 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\EvidenceDesk'
$PowerShell  = Join-Path $env:SystemRoot 'System32\WindowsPowerShell\v1.0\powershell.exe'

function Close-Window([int]$code) {
    if (-not $NoPause -and [Environment]::UserInteractive -and $Host.Name -eq 'ConsoleHost') {
        [void](Read-Host '按回车键关闭窗口 (press Enter to close)')
    }
    exit $code
}

function Fail([string]$zh, [string]$en, [int]$code = 2) {
    [Console]::Error.WriteLine("错误：$zh (error: $en)")
    Close-Window $code
}

function Assert-NotRunning {
    $running = @(Get-Process -Name 'EvidenceDesk', 'evidence-desk' -ErrorAction SilentlyContinue |
        Where-Object { $_.Path -and $_.Path.StartsWith($Target, [StringComparison]::OrdinalIgnoreCase) })
    if ($running.Count -gt 0) {
        Fail 'Evidence Desk 正在运行，请先关闭程序窗口后再试' 'Evidence Desk is running; close it and try again'
    }
}

function New-Shortcut([string]$Path, [string]$TargetPath, [string]$Arguments, [string]$Description,
                      [string]$Icon, [string]$WorkingDirectory) {
    $shell = New-Object -ComObject WScript.Shell
    $link = $shell.CreateShortcut($Path)
    $link.TargetPath = $TargetPath
    $link.Arguments = $Arguments
    $link.Description = $Description
    $link.WorkingDirectory = $WorkingDirectory
    $link.IconLocation = "$Icon,0"
    $link.Save()
    [void][Runtime.InteropServices.Marshal]::ReleaseComObject($shell)
}

function Remove-Installation {
    Assert-NotRunning
    Set-Location -LiteralPath $env:TEMP   # never stand inside the folder being removed
    foreach ($p in @($AppLink, $RemoveLink, $DesktopLink)) {
        if (Test-Path -LiteralPath $p) { Remove-Item -LiteralPath $p -Force }
    }
    if ((Test-Path -LiteralPath $MenuFolder) -and -not (Get-ChildItem -LiteralPath $MenuFolder -Force)) {
        Remove-Item -LiteralPath $MenuFolder -Force
    }
    if (Test-Path $AppsKey) { Remove-Item -Path $AppsKey -Recurse -Force }
    foreach ($p in @("$Target.new", "$Target.old", $Target)) {
        if (Test-Path -LiteralPath $p) { Remove-Item -LiteralPath $p -Recurse -Force }
    }
    Write-Host '已卸载 Evidence Desk（档案库和设置保留）(uninstalled; archives and settings kept)'
}

# uninstall.ps1 in the program folder is a copy of this script: run as that, it uninstalls.
if ($PSCommandPath -and ((Split-Path -Leaf $PSCommandPath) -ieq 'uninstall.ps1')) { $Uninstall = $true }
if ($Uninstall) {
    Remove-Installation
    Close-Window 0
}

# --- checks ------------------------------------------------------------------------------------

if ([Environment]::OSVersion.Version.Major -lt 10) {
    Fail '需要 Windows 10 或 Windows 11' 'Windows 10 or 11 is required'
}
if (-not [Environment]::Is64BitOperatingSystem) {
    Fail '需要 64 位 Windows' 'a 64-bit Windows is required'
}
if (-not $Source) {
    foreach ($candidate in @((Join-Path $PSScriptRoot 'EvidenceDesk'),
                             (Join-Path $PSScriptRoot '..\dist\EvidenceDesk'))) {
        if (Test-Path -LiteralPath (Join-Path $candidate 'EvidenceDesk.exe')) { $Source = $candidate; break }
    }
}
if (-not $Source -or -not (Test-Path -LiteralPath (Join-Path $Source 'EvidenceDesk.exe')) -or
    -not (Test-Path -LiteralPath (Join-Path $Source 'evidence-desk.exe'))) {
    Fail '找不到程序文件夹 EvidenceDesk（用 -Source 指定）' 'no built EvidenceDesk folder found; use -Source DIR'
}
$Source = (Resolve-Path -LiteralPath $Source).ProviderPath
if ($Source.TrimEnd('\') -ieq $Target.TrimEnd('\')) {
    Fail "程序已安装在 $Target" 'the source is the installed folder'
}
Assert-NotRunning

# --- copy next to the old version, then swap ---------------------------------------------------

$programs = Split-Path -Parent $Target
New-Item -ItemType Directory -Force -Path $programs | Out-Null
foreach ($p in @("$Target.new", "$Target.old")) {
    if (Test-Path -LiteralPath $p) { Remove-Item -LiteralPath $p -Recurse -Force }
}
Write-Host "正在复制程序文件到 $Target … (copying)"
Copy-Item -LiteralPath $Source -Destination "$Target.new" -Recurse -Force
if (Test-Path -LiteralPath $Target) { Rename-Item -LiteralPath $Target -NewName 'EvidenceDesk.old' }
Rename-Item -LiteralPath "$Target.new" -NewName 'EvidenceDesk'
if (Test-Path -LiteralPath "$Target.old") { Remove-Item -LiteralPath "$Target.old" -Recurse -Force }

$gui = Join-Path $Target 'EvidenceDesk.exe'
$cli = Join-Path $Target 'evidence-desk.exe'
$uninstaller = Join-Path $Target 'uninstall.ps1'
if ($PSCommandPath) { Copy-Item -LiteralPath $PSCommandPath -Destination $uninstaller -Force }
$version = (Get-Item -LiteralPath $gui).VersionInfo.ProductVersion
if (-not $version) { $version = '' }

# --- shortcuts (this user's Start menu and desktop) ------------------------------------------------

$documents = [Environment]::GetFolderPath('MyDocuments')
New-Item -ItemType Directory -Force -Path $MenuFolder | Out-Null
New-Shortcut -Path $AppLink -TargetPath $gui -Arguments '' -Icon $gui -WorkingDirectory $documents `
    -Description '质量强县佐证材料档案库 Evidence Desk'
$removeArgs = "-NoProfile -ExecutionPolicy Bypass -File `"$uninstaller`""
New-Shortcut -Path $RemoveLink -TargetPath $PowerShell -Arguments $removeArgs -Icon $gui `
    -WorkingDirectory $env:TEMP -Description '卸载 Evidence Desk（档案库和设置保留）'
if ($DesktopShortcut) {
    New-Shortcut -Path $DesktopLink -TargetPath $gui -Arguments '' -Icon $gui -WorkingDirectory $documents `
        -Description '质量强县佐证材料档案库 Evidence Desk'
}

# --- "Apps & features" entry for this user (HKCU only) ----------------------------------------------

if (-not $NoAppsEntry) {
    $kb = [int]((Get-ChildItem -LiteralPath $Target -Recurse -File | Measure-Object -Property Length -Sum).Sum / 1KB)
    New-Item -Path $AppsKey -Force | Out-Null
    $values = @{
        DisplayName          = 'Evidence Desk 质量强县佐证材料档案库'
        DisplayVersion       = $version
        Publisher            = 'Evidence Desk'
        InstallLocation      = $Target
        DisplayIcon          = "$gui,0"
        UninstallString      = "`"$PowerShell`" $removeArgs"
        QuietUninstallString = "`"$PowerShell`" $removeArgs"
    }
    foreach ($name in $values.Keys) {
        New-ItemProperty -Path $AppsKey -Name $name -Value $values[$name] -PropertyType String -Force | Out-Null
    }
    foreach ($name in @('NoModify', 'NoRepair')) {
        New-ItemProperty -Path $AppsKey -Name $name -Value 1 -PropertyType DWord -Force | Out-Null
    }
    New-ItemProperty -Path $AppsKey -Name 'EstimatedSize' -Value $kb -PropertyType DWord -Force | Out-Null
}

Write-Host "已安装 Evidence Desk $version 到 $Target (installed)"
Write-Host "  开始菜单：Evidence Desk → 质量强县佐证材料档案库"

if (-not $NoSelfTest) {
    Write-Host '正在自检… (self-test)'
    & $cli --self-test
    if ($LASTEXITCODE -ne 0) {
        Fail "自检未通过，请把上面的输出发给技术支持；也可运行 `"$cli`" --self-test" 'self-test FAILED' 1
    }
}
Close-Window 0
