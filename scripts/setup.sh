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

if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    echo "setup: installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "setup: no apt-get here; install Qt's system libraries and CJK fonts yourself" >&2
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[dev]'
echo "setup: ready (.venv)"
