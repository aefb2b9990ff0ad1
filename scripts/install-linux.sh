#!/usr/bin/env bash
# Installs Evidence Desk for the current user on a Linux desktop (统信UOS, 麒麟 Kylin x86-64 and
# other X11 desktops): no root, no package manager, nothing outside the home folder.
#
#   EvidenceDesk/           the built folder (dist/EvidenceDesk, or next to this script on a
#                           USB stick)  →  ~/.local/opt/EvidenceDesk/
#   evidence-desk           the command line  →  ~/.local/bin/evidence-desk (a link)
#   menu entry              ~/.local/share/applications/evidence-desk.desktop
#   icon                    ~/.local/share/icons/hicolor/256x256/apps/evidence-desk.png
#   uninstall               ~/.local/opt/EvidenceDesk/uninstall.sh (or: install-linux.sh --uninstall)
#
# Usage: install-linux.sh [--source DIR] [--desktop] [--no-self-test] [--uninstall]
#   --source DIR     the built EvidenceDesk folder (default: ./EvidenceDesk next to this
#                    script, else ../dist/EvidenceDesk)
#   --desktop        also put a launcher on the desktop
#   --no-self-test   skip `evidence-desk --self-test` after copying
#   --uninstall      remove the program, its menu entry, icon and link. Archives and settings
#                    (~/.config/EvidenceDesk …) are the clerk's data and are never removed.
# An upgrade is the same command: the old folder is replaced only after the new one is copied.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
OPT=$HOME/.local/opt
TARGET=$OPT/EvidenceDesk
BIN=$HOME/.local/bin
APPS=$DATA_HOME/applications
ICONS=$DATA_HOME/icons/hicolor/256x256/apps
DESKTOP_FILE=$APPS/evidence-desk.desktop

SOURCE=""
WITH_DESKTOP=0
SELF_TEST=1
UNINSTALL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --source) SOURCE=${2:?--source needs a folder}; shift 2 ;;
    --desktop) WITH_DESKTOP=1; shift ;;
    --no-self-test) SELF_TEST=0; shift ;;
    --uninstall) UNINSTALL=1; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "错误：未知参数 $1 (error: unknown option $1; see --help)" >&2; exit 2 ;;
  esac
done

desktop_dir() {
  local d
  d=$(xdg-user-dir DESKTOP 2>/dev/null || true)
  [ -n "$d" ] && [ "$d" != "$HOME" ] || d=$HOME/Desktop
  printf '%s\n' "$d"
}

uninstall() {
  rm -f "$DESKTOP_FILE" "$ICONS/evidence-desk.png"
  [ -L "$BIN/evidence-desk" ] && rm -f "$BIN/evidence-desk"
  rm -f "$(desktop_dir)/evidence-desk.desktop"
  rm -rf "$TARGET" "$TARGET.new" "$TARGET.old"
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$APPS" 2>/dev/null || true
  echo "已卸载 Evidence Desk（档案库和设置保留）(uninstalled; archives and settings kept)"
}

if [ "$UNINSTALL" = 1 ]; then
  uninstall
  exit 0
fi

if [ -z "$SOURCE" ]; then
  for candidate in "$HERE/EvidenceDesk" "$HERE/../dist/EvidenceDesk"; do
    if [ -x "$candidate/EvidenceDesk" ]; then SOURCE=$candidate; break; fi
  done
fi
if [ -z "$SOURCE" ] || [ ! -x "$SOURCE/EvidenceDesk" ] || [ ! -x "$SOURCE/evidence-desk" ]; then
  echo "错误：找不到程序文件夹 EvidenceDesk（用 --source 指定）(error: no built EvidenceDesk folder; use --source DIR)" >&2
  exit 2
fi
SOURCE=$(cd "$SOURCE" && pwd)
if [ "$SOURCE" = "$TARGET" ]; then
  echo "错误：程序已安装在 $TARGET (error: the source is the installed folder)" >&2
  exit 2
fi
case "$(uname -m)" in
  x86_64|amd64) ;;
  *) echo "错误：此版本只适用于 x86-64 (error: this build is for x86-64, this machine is $(uname -m))" >&2; exit 2 ;;
esac

# Copy beside the old version, then swap: a failed copy leaves the old one working.
mkdir -p "$OPT" "$BIN" "$APPS" "$ICONS"
rm -rf "$TARGET.new" "$TARGET.old"
cp -a "$SOURCE" "$TARGET.new"
if [ -d "$TARGET" ]; then mv "$TARGET" "$TARGET.old"; fi
mv "$TARGET.new" "$TARGET"
rm -rf "$TARGET.old"

ICON_SRC=""
for candidate in "$TARGET/_internal/resources/icons/evidence-desk.png" "$TARGET/resources/icons/evidence-desk.png"; do
  if [ -f "$candidate" ]; then ICON_SRC=$candidate; break; fi
done
if [ -n "$ICON_SRC" ]; then cp "$ICON_SRC" "$ICONS/evidence-desk.png"; fi

# The command line on PATH (~/.local/bin is on PATH on most desktops once it exists).
ln -sfn "$TARGET/evidence-desk" "$BIN/evidence-desk"

# Exec: quoted, with the desktop-entry escapes for a path that has spaces or quotes.
exec_path=$(printf '%s' "$TARGET/EvidenceDesk" | sed -e 's/\\/\\\\\\\\/g' -e 's/"/\\\\"/g' -e 's/`/\\\\`/g' -e 's/\$/\\\\$/g' -e 's/%/%%/g')
tmp=$(mktemp "$APPS/.evidence-desk.XXXXXX")
cat >"$tmp" <<EOF
[Desktop Entry]
Type=Application
Version=1.0
Name=Evidence Desk
Name[zh_CN]=质量强县佐证材料档案库
GenericName=Evidence archive
GenericName[zh_CN]=佐证材料档案库
Comment=Keep and export the evidence of a quality-strong county application
Comment[zh_CN]=整理、归档和导出质量强县申报佐证材料
Exec="$exec_path"
Icon=evidence-desk
Terminal=false
Categories=Office;
Keywords=evidence;archive;quality;
Keywords[zh_CN]=佐证;材料;档案;质量强县;
StartupNotify=true
EOF
chmod 0644 "$tmp"
mv "$tmp" "$DESKTOP_FILE"

if [ "$WITH_DESKTOP" = 1 ]; then
  d=$(desktop_dir)
  mkdir -p "$d"
  cp "$DESKTOP_FILE" "$d/evidence-desk.desktop"
  chmod 0755 "$d/evidence-desk.desktop"  # launchers on the desktop must be executable
  command -v gio >/dev/null 2>&1 && gio set "$d/evidence-desk.desktop" metadata::trusted true 2>/dev/null || true
fi

cat >"$TARGET/uninstall.sh" <<EOF
#!/usr/bin/env bash
# Removes Evidence Desk for this user; archives and settings are kept.
set -euo pipefail
rm -f "$DESKTOP_FILE" "$ICONS/evidence-desk.png" "$(desktop_dir)/evidence-desk.desktop"
[ -L "$BIN/evidence-desk" ] && rm -f "$BIN/evidence-desk"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$APPS" 2>/dev/null || true
rm -rf "$TARGET"
echo "已卸载 Evidence Desk（档案库和设置保留）(uninstalled; archives and settings kept)"
EOF
chmod 0755 "$TARGET/uninstall.sh"

command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$APPS" 2>/dev/null || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA_HOME/icons/hicolor" 2>/dev/null || true

version=$("$TARGET/evidence-desk" --version 2>/dev/null || echo "evidence-desk ?")
echo "已安装 ${version#evidence-desk } 到 $TARGET (installed)"
echo "  开始菜单：办公 → 质量强县佐证材料档案库；命令行：$BIN/evidence-desk"
if [ "$SELF_TEST" = 1 ]; then
  if QT_QPA_PLATFORM=offscreen "$TARGET/evidence-desk" --self-test >/dev/null 2>&1; then
    echo "  自检通过 (self-test passed)"
  else
    echo "  自检未通过：请运行 $TARGET/evidence-desk --self-test 查看详情 (self-test FAILED)" >&2
    exit 1
  fi
fi
