#!/usr/bin/env bash
# Regenerates every screenshot the user guide (docs/用户指南.md) uses, into docs/screenshots/.
#
# A fresh demo archive is made in a temporary folder (nothing of the user's own settings or
# archives is read or changed: EVIDENCE_DESK_CONFIG_DIR points into the temporary folder),
# with one watched folder holding a few new files (so the inbox has something to show) and one
# watched folder that has gone away (shown as 离线). Then each view is rendered offscreen with
# `python -m desktop --archive DIR --screenshot docs/screenshots/NAME.png --view NAME`.
#
# Usage: bash scripts/screenshots.sh [VIEW...]     (default: every view in VIEWS below;
#        SCREENSHOT_DIR=/some/folder to write elsewhere)
# At the end it names any view the program offers that this list does not (add it here and
# to the guide).
set -euo pipefail
cd "$(dirname "$0")/.."

# The views the guide shows (tests/test_user_guide.py checks the program accepts each one).
VIEWS="main inbox dashboard departments search import import_duties settings settings_folders guide about first_run export selfscore selfscore_overview trash log submissions backup restore import_plan rectify review_compare review_import checkpoints undo move"

PY=${PYTHON:-.venv/bin/python}
OUT=${SCREENSHOT_DIR:-docs/screenshots}
export QT_QPA_PLATFORM=offscreen
export EVIDENCE_DESK_SCREENSHOT_QUERY=${EVIDENCE_DESK_SCREENSHOT_QUERY:-质量}

# A fixed, readable place (its paths show in the pictures), emptied first and removed after;
# only ever a folder this script made (it carries a marker file).
TMP="${TMPDIR:-/tmp}/EvidenceDesk-截图"
if [ -e "$TMP" ]; then
  if [ ! -f "$TMP/.made-by-screenshots-sh" ]; then
    echo "错误：$TMP 已存在且不是本脚本建立的，请先移走它 (error: $TMP exists and is not ours)" >&2
    exit 2
  fi
  rm -rf "$TMP"
fi
mkdir -p "$TMP"
touch "$TMP/.made-by-screenshots-sh"
trap 'rm -rf "$TMP"' EXIT
export EVIDENCE_DESK_CONFIG_DIR="$TMP/config"
# The export dialog proposes the user's 文档 folder, as on a Chinese desktop.
export XDG_CONFIG_HOME="$TMP/xdg"
mkdir -p "$XDG_CONFIG_HOME" "$TMP/文档"
printf 'XDG_DOCUMENTS_DIR="%s"\n' "$TMP/文档" > "$XDG_CONFIG_HOME/user-dirs.dirs"
ARCHIVE="$TMP/质量强县档案库"
SHARE="$TMP/共享文件夹"

echo "== 示例档案库：$ARCHIVE"
"$PY" -m desktop init --archive "$ARCHIVE" --demo >/dev/null
# The guided start is shown as a clerk first meets it: on a new, empty archive.
NEW_ARCHIVE="$TMP/新建的档案库"
"$PY" -m desktop init --archive "$NEW_ARCHIVE" >/dev/null

# A department's shared folder with a few new files, and one folder that is no longer there.
mkdir -p "$SHARE/县住建局" "$SHARE/县教体局"
"$PY" - "$SHARE/县住建局" <<'EOF'
import sys
from pathlib import Path

from desktop.actions.demo import _write_docx, _write_xlsx

folder = Path(sys.argv[1])
note = "本文件为截图演示生成，内容虚构。"
_write_docx(folder / "关于开展质量提升行动的实施意见.docx", "关于开展质量提升行动的实施意见", note, [
    "为推动全县产品、工程、服务质量全面提升，结合本县实际，提出如下意见。",
    "一、提升建设工程质量，落实参建各方主体责任。二、加强建材质量监管，开展建材产品专项抽查。"])
_write_docx(folder / "2025年质量工作领导小组会议纪要.docx", "2025年质量工作领导小组会议纪要", note, [
    "县质量强县工作领导小组召开全体成员会议，总结上年度工作，审议本年度工作要点。",
    "会议明确各成员单位任务分工，要求每季度召开一次工作会议，通报创建进度。"])
_write_docx(folder / "质量强县宣传活动总结.docx", "质量强县宣传活动总结", note, [
    "今年以来，县住建局围绕质量强县创建，组织施工企业开展质量宣传进工地活动。",
    "共发放宣传资料2000余份，张贴宣传标语50余条，在县融媒体中心刊发宣传报道3篇。"])
_write_xlsx(folder / "建设工程质量抽检合格率统计表.xlsx", "建设工程质量抽检合格率统计表", note, [
    ["季度", "抽检批次", "合格批次", "合格率"], ["第一季度", 30, 29, "96.7%"], ["第二季度", 28, 27, "96.4%"]])
EOF
"$PY" -m desktop folders add "$SHARE/县住建局" --department 县住建局 --archive "$ARCHIVE" >/dev/null
"$PY" -m desktop folders add "$SHARE/县教体局" --department 县教体局 --archive "$ARCHIVE" >/dev/null
rmdir "$SHARE/县教体局"   # gone (a disconnected share): shown as 离线
"$PY" -m desktop watch --once --archive "$ARCHIVE" >/dev/null || true
# A few self-scores (invented), so the 自评 views show filled-in rows.
score() { "$PY" -m desktop score set "$@" --archive "$ARCHIVE" >/dev/null; }
score 1.1.1 --score 3 --description "已成立质量强县工作领导小组，明确成员单位职责（示例）。"
score 1.1.2 --score 1.5 --note "全年召开会议 1 次，少于要求的 2 次（示例）。" \
      --description "召开领导小组工作会议 1 次（示例）。"
score 2.1.1 --score 3 --description "出台质量发展支持政策 2 项（示例）。"
score 4.1.1 --score 4 --value 96.5 --description "产品质量监督抽检合格率 96.5%（示例）。"
score 2.2.2 --veto clear
# A sealed submission, two items in the trash and one edit after the seal, so 回收站, 操作记录
# and 已封存的提交 (with its comparison) show something.
"$PY" -m desktop export "$TMP/文档/质量强县申报材料_示例" --zip --seal --note "第一次报送（示例）" \
      --archive "$ARCHIVE" >/dev/null
"$PY" -m desktop trash 3 7 --archive "$ARCHIVE" >/dev/null
"$PY" -m desktop evidence edit 5 --title "2025年质量工作要点（修订）" --archive "$ARCHIVE" >/dev/null
# Invented county facts for the settings dialog (the demo leaves them empty), and the
# first-run dialog's list of recent archives: the demo archive only.
"$PY" - "$ARCHIVE" <<'EOF'
import sys

from desktop import settings
from storage.core.archive import Archive
from storage.catalogue.county import set_county_facts
from storage.readmodels import CountyFacts, GdpYear, Leader

archive = Archive.open(sys.argv[1])
with archive.sessions.write() as session:
    set_county_facts(session, CountyFacts(
        name="示例县", population="85.6", area="1800",
        gdp=(GdpYear(2024, "412.3"), GdpYear(2025, "436.8")),
        leaders=(Leader("县长", "张某某"), Leader("分管副县长", "李某某"),
                 Leader("县市场监督管理局局长", "王某某")),
        contact_name="赵某某", contact_phone="0000-1234567", contact_unit="示例县市场监督管理局"))
archive.close()
s = settings.load()
s.remember_archive(sys.argv[1])
settings.save(s)
EOF
# The province's evaluation (issue 16): a score sheet and a report (invented contents, made by
# the tests' generator) imported into rectification items; a few with progress and evidence,
# so the 整改 and 自评与省评 views show something.
# a 自查 before the self-scores below change, and one after the rectification work (checkpoints)
"$PY" -m desktop checkpoint take --note "省评前自查（示例）" --archive "$ARCHIVE" >/dev/null
# self-scores the province marked down, so the compare view shows differences
score 2.1.2 --score 3
score 3.1.2 --score 2
score 4.2.1 --score 2.5
"$PY" tests/data/review/make_review_files.py "$TMP/省评结果" >/dev/null
"$PY" -m desktop review import "$TMP/省评结果/省评得分表_含编号.xlsx" --archive "$ARCHIVE" >/dev/null
"$PY" -m desktop review import "$TMP/省评结果/评价结果报告.docx" --archive "$ARCHIVE" >/dev/null
rect() { "$PY" -m desktop rectify "$@" --archive "$ARCHIVE" >/dev/null; }
# the items' ids (the report's problems replace the sheet's reasons for the same indicator)
read -r R1 R2 R3 _ < <("$PY" -m desktop rectify list --json --archive "$ARCHIVE" | "$PY" -c \
  'import json, sys; print(" ".join(str(i["id"]) for i in json.load(sys.stdin)["items"]))')
rect set "$R1" --status 已完成 --deadline 2026-10-31 --measures "每季度召开一次领导小组会议（示例）。" \
     --progress "已印发领导小组工作规则，按季度召开会议（示例）。"
rect link "$R1" 2 4
rect set "$R2" --status 整改中 --deadline 2026-11-30 --progress "会议纪要已印发部分成员单位（示例）。"
rect set "$R3" --status 长期坚持 --measures "将质量工作经费列入年度预算（示例）。"
"$PY" -m desktop checkpoint take --note "整改后自查（示例）" --archive "$ARCHIVE" >/dev/null
# the import dialog's preview (review_import): the sheet that names indicators by title only
export EVIDENCE_DESK_SCREENSHOT_REVIEW_FILE="$TMP/省评结果/省评得分表_仅名称.xlsx"

mkdir -p "$OUT"
for view in ${*:-$VIEWS}; do
  # the offscreen platform's harmless "propagateSizeHints" notes go to a log, shown on failure
  source_archive=$ARCHIVE
  [ "$view" = guide ] && source_archive=$NEW_ARCHIVE
  if ! "$PY" -m desktop --archive "$source_archive" --screenshot "$OUT/$view.png" --view "$view" \
      >/dev/null 2>"$TMP/$view.log"; then
    cat "$TMP/$view.log" >&2
    echo "截图失败：$view" >&2
    exit 1
  fi
  echo "已保存 $OUT/$view.png"
done

# Views the program offers that the guide does not show yet.
"$PY" - $VIEWS <<'EOF'
import sys

from desktop.window.screenshots import SETUP_VIEWS
from ui.texts import VIEWS

offered = [*VIEWS, *SETUP_VIEWS]
try:
    from desktop.window.screenshots import EXPORT_VIEWS, REVIEW_VIEWS

    offered += [*EXPORT_VIEWS, *REVIEW_VIEWS]
except ImportError:
    pass
missing = [v for v in offered if v not in sys.argv[1:]]
if missing:
    print("注意：程序还提供这些视图，本脚本未截图：" + "、".join(missing))
EOF
