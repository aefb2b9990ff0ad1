#!/usr/bin/env bash
# Sets up everything Evidence Desk needs on a fresh Debian/Ubuntu machine:
# the system libraries Qt needs headless, CJK fonts, tools used to look at output,
# then a virtual environment in .venv with the project installed (editable) and its
# development tools. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
  # Qt 6 (PySide6) on Linux, offscreen and on a desktop (xcb)
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libxcb-xfixes0 libx11-xcb1
  # Chinese text renders as boxes without CJK fonts
  fonts-noto-cjk fontconfig
  # pdftoppm: look at PDF output as pictures; unzip: an independent reader of bundle zips
  poppler-utils unzip
  # LibreOffice: legacy .xls/.doc import and Word-to-PDF conversion (tests use it where present)
  libreoffice-writer-nogui libreoffice-calc-nogui
  # unprivileged-user permission tests (setpriv) and read-only mounts
  util-linux
  # desktop-file-validate: checks the menu entry scripts/install-linux.sh writes
  desktop-file-utils
  # PostgreSQL server for multi-seat archives' tests (scripts/pg.sh starts a throw-away
  # cluster on loopback); contrib carries pg_trgm, the search index
  postgresql postgresql-contrib
)

# What it prints: one plain line per step (issue 17, item 11). Everything the package
# managers say (pip's build output, apt's progress) goes to a log file it names; when a step
# fails, the log's last lines are shown with the path of the whole log.
LOG="${SETUP_LOG:-${TMPDIR:-/tmp}/evidence-desk-setup.log}"
: >"$LOG"
STEP=""
step() {  # step "N/3 text": a line saying what is being done
  STEP="$1"
  printf 'setup: %s\n' "$1"
}
exec 3>&2  # the terminal's stderr, also inside a step whose output goes to the log
failed() {
  echo "setup: 第 ${STEP%% *} 步失败；完整记录：$LOG (error: set-up step ${STEP%% *} failed; full log: $LOG)" >&3
  tail -n 15 "$LOG" | sed 's/^/  | /' >&3
}
trap failed ERR

step "1/3 系统软件包（Qt 运行库、中文字体、LibreOffice、PostgreSQL） (system packages)"
if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    echo "setup:     正在安装 ${#missing[@]} 个 (installing)：${missing[*]}"
    {
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
    } >>"$LOG" 2>&1
  else
    echo "setup:     已齐全 (all present)"
  fi
else
  echo "setup:     这台电脑没有 apt-get：请自行安装 Qt 运行库和中文字体 (no apt-get here; install Qt's system libraries and CJK fonts yourself)" >&2
fi

PY=${PYTHON:-python3}
step "2/3 Python 环境（.venv） (Python environment)"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv >>"$LOG" 2>&1
  echo "setup:     已新建 (created)"
else
  echo "setup:     已有 (exists)"
fi
step "3/3 安装 Evidence Desk 及开发工具（首次约需几分钟） (installing Evidence Desk and its tools; a few minutes the first time)"
export PIP_DISABLE_PIP_VERSION_CHECK=1
{
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
} >>"$LOG" 2>&1
trap - ERR
echo "setup: 完成（.venv；完整记录：$LOG） (done; full log: $LOG)"
