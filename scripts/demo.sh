#!/usr/bin/env bash
# Sets everything up and opens Evidence Desk on a demo archive (created on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DEMO="${EVIDENCE_DESK_DEMO:-$HOME/EvidenceDesk-示例档案库}"
if [ ! -f "$DEMO/archive.sqlite3" ]; then
  .venv/bin/evidence-desk init --demo --archive "$DEMO"
fi
exec .venv/bin/evidence-desk --archive "$DEMO" "$@"
