#!/usr/bin/env bash
# ReachLens demo: builds the native CLI, generates a synthetic tenant once
# (20,000 customers, seed 7) into build/demo, and previews the first campaign
# under the wecom-2025 rules preset.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { echo "[demo] $*"; }

bash scripts/setup.sh

say "configure + build build/native (target reachlens)"
mkdir -p build/native
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >build/native/configure.log 2>&1 \
    || { tail -n 60 build/native/configure.log; exit 1; }
cmake --build build/native -j2 --target reachlens >build/native/demo-build.log 2>&1 \
    || { tail -n 150 build/native/demo-build.log; exit 1; }

CLI=build/native/reachlens
DEMO=build/demo

if [ -f "$DEMO/dataset.json" ]; then
    say "$DEMO/dataset.json exists: reusing it (delete $DEMO to regenerate)"
else
    say "$CLI generate --customers 20000 --seed 7 --out $DEMO"
    "$CLI" generate --customers 20000 --seed 7 --out "$DEMO"
fi

CAMPAIGN="$(find "$DEMO/campaigns" -maxdepth 1 -type f -name '*.json' 2>/dev/null | LC_ALL=C sort | head -n1)"
if [ -z "$CAMPAIGN" ]; then
    echo "[demo] ERROR: no campaign files in $DEMO/campaigns" >&2
    exit 1
fi

say "$CLI preview --dataset $DEMO/dataset.json --campaign $CAMPAIGN --preset wecom-2025"
"$CLI" preview --dataset "$DEMO/dataset.json" --campaign "$CAMPAIGN" --preset wecom-2025
