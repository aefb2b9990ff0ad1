#!/usr/bin/env bash
# Builds the one-folder application (dist/EvidenceDesk) with PyInstaller from build.spec, then
# checks the BUILT program, not the source:
#   1. evidence-desk --self-test (offscreen; exit 0 only if every step passed)
#   2. EvidenceDesk --self-test (the windowed program: same check, exit code only on Windows)
#   3. an archive written by schema 0001 (tests/data/schemas/0001.zip) opens with the built
#      program: migrated, with a backup taken first (Alembic's scripts are in the bundle)
#   4. EvidenceDesk --screenshot on a demo archive writes a PNG (the window renders)
# and prints: build time, folder size and file count, start-up times (median of N runs of
# `--version`, `--self-test` and the windowed program's `--screenshot`, i.e. time to a
# rendered window). The figures also go to dist/build-report.json.
#
#   scripts/build.sh            build, smoke-test, measure (RUNS=5 by default)
#   RUNS=9 scripts/build.sh     more runs for the medians
#   SKIP_BUILD=1 scripts/build.sh   measure an existing dist/EvidenceDesk
#
# Exit code 0 only when the build and every smoke test passed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
RUNS=${RUNS:-5}
DIST=$ROOT/dist/EvidenceDesk
export QT_QPA_PLATFORM=offscreen

if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "build: PyInstaller is missing: .venv/bin/pip install -e '.[dev]' (or scripts/setup.sh)" >&2
  exit 2
fi

BUILD_SECONDS=0
if [ -z "${SKIP_BUILD:-}" ]; then
  echo "build: pyinstaller build.spec (log: build/pyinstaller.log)"
  mkdir -p build
  start=$(date +%s%N)
  if ! "$PY" -m PyInstaller build.spec --noconfirm --clean --log-level WARN >build/pyinstaller.log 2>&1; then
    tail -40 build/pyinstaller.log >&2
    echo "build: FAILED" >&2
    exit 1
  fi
  BUILD_SECONDS=$(( ($(date +%s%N) - start) / 1000000 ))e-3
fi
[ -x "$DIST/evidence-desk" ] || { echo "build: $DIST/evidence-desk is missing" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/evidence-desk-build-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Each smoke test runs with its own settings folder: nothing touches the user's.
export EVIDENCE_DESK_CONFIG_DIR=$WORK/config

echo "smoke: evidence-desk --self-test"
"$DIST/evidence-desk" --self-test || { echo "smoke: the built program's self-test FAILED" >&2; exit 1; }

echo "smoke: EvidenceDesk --self-test (windowed program)"
"$DIST/EvidenceDesk" --self-test >/dev/null || { echo "smoke: EvidenceDesk --self-test FAILED" >&2; exit 1; }

echo "smoke: an archive of schema 0001 opens in the built program (migration + backup)"
"$PY" - "$ROOT/tests/data/schemas/0001.zip" "$WORK/old" <<'EOF'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
EOF
"$DIST/evidence-desk" status --archive "$WORK/old/archive" >/dev/null
ls "$WORK/old/archive/backups/" | grep -q "before-migration-0001" \
  || { echo "smoke: no before-migration backup after opening a 0001 archive" >&2; exit 1; }
"$DIST/evidence-desk" verify --archive "$WORK/old/archive" >/dev/null

echo "smoke: EvidenceDesk --screenshot (the window renders)"
"$DIST/evidence-desk" init --demo --archive "$WORK/demo" >/dev/null
"$DIST/EvidenceDesk" --screenshot "$WORK/main.png" --archive "$WORK/demo" >/dev/null
[ -s "$WORK/main.png" ] || { echo "smoke: no screenshot written" >&2; exit 1; }

echo "measure: start-up ($RUNS runs each)"
"$PY" - "$DIST" "$WORK" "$RUNS" "$BUILD_SECONDS" <<'EOF'
import json, os, statistics, subprocess, sys, time
from pathlib import Path

dist, work, runs, build_s = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
cli, gui = str(dist / "evidence-desk"), str(dist / "EvidenceDesk")
exe = ".exe" if os.name == "nt" else ""

def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t

def median(cmd):
    values = [timed(cmd) for _ in range(runs)]
    return statistics.median(values), min(values), max(values)

size = sum(p.stat().st_size for p in dist.rglob("*") if p.is_file() and not p.is_symlink())
files = sum(1 for p in dist.rglob("*") if p.is_file())
figures = {
    "build_seconds": round(build_s, 1),
    "folder_bytes": size,
    "folder_files": files,
    "runs": runs,
}
for key, cmd in (
    ("version", [cli, "--version"]),
    ("self_test", [cli, "--self-test"]),
    ("gui_screenshot", [gui, "--screenshot", str(work / "s.png"), "--archive", str(work / "demo")]),
):
    med, lo, hi = median(cmd)
    figures[key + "_seconds"] = {"median": round(med, 3), "min": round(lo, 3), "max": round(hi, 3)}
(dist.parent / "build-report.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
print(f"  build time            {build_s:8.1f} s" if build_s else "  build time            (skipped)")
print(f"  folder size           {size / 1e6:8.1f} MB in {files} files")
for key, label in (("version", "--version"), ("self_test", "--self-test"),
                   ("gui_screenshot", "window (--screenshot)")):
    f = figures[key + "_seconds"]
    print(f"  {label:<21} {f['median']:8.3f} s median (min {f['min']:.3f}, max {f['max']:.3f})")
print(f"  figures: {dist.parent / 'build-report.json'}")
EOF
echo "build: OK ($DIST)"
