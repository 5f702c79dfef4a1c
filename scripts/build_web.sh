#!/usr/bin/env bash
# Builds the browser app into build/wasm/web/:
#   1. scripts/setup.sh                 (skipped with REACHLENS_SKIP_SETUP=1)
#   2. native CLI (build/native)        the generator for the demo tenant
#   3. demo tenant                      reachlens generate --customers 20000 --seed 7
#                                       -> build/wasm/web/data/demo/{dataset.json,campaigns/,index.json}
#                                       (regenerated only when the CLI is newer than it)
#   4. UI font                          scripts/build_font.py -> build/wasm/web/fonts/reachlens-sc.otf
#   5. wasm app (build/wasm)            target reachlens_app -> reachlens.js + reachlens.wasm,
#                                       with web/index.html and web/*.js copied next to it
# Serve build/wasm/web/ with any static server (scripts/demo.sh does).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

JOBS="${JOBS:-2}"
DEMO_CUSTOMERS="${DEMO_CUSTOMERS:-20000}"
DEMO_SEED="${DEMO_SEED:-7}"
WEB=build/wasm/web
DEMO="$WEB/data/demo"
FONT="$WEB/fonts/reachlens-sc.otf"
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"   # emcc's JS optimizer needs Debian's acorn

say() { echo "[build_web] $*"; }
T0=$SECONDS
step_time() { echo "$((SECONDS - $1))s"; }

# run_logged LOG CMD... : runs CMD with its output in LOG, shown (tail) only on failure.
run_logged() {
    local log="$1"; shift
    mkdir -p "$(dirname "$log")"
    if ! "$@" >"$log" 2>&1; then
        grep -v -E '^\[ *[0-9]+%\] (Building|Linking|Built|Embedding|Copying)' "$log" | cut -c1-400 | tail -n 120 >&2
        echo "[build_web] FAILED: $* (full log: $log)" >&2
        return 1
    fi
}

if [ "${REACHLENS_SKIP_SETUP:-0}" != "1" ]; then
    bash scripts/setup.sh
fi

# ---------------------------------------------------------------- native CLI
t=$SECONDS
say "native CLI (build/native, target reachlens)"
if [ ! -f build/native/CMakeCache.txt ]; then
    run_logged build/native/configure.log cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release
fi
run_logged build/native/web-cli-build.log cmake --build build/native -j"$JOBS" --target reachlens
say "   native CLI ready ($(step_time $t))"

# ---------------------------------------------------------------- demo tenant
t=$SECONDS
CLI=build/native/reachlens
stamp="customers=$DEMO_CUSTOMERS seed=$DEMO_SEED"
if [ -f "$DEMO/dataset.json" ] && [ -f "$DEMO/index.json" ] && [ "$(cat "$DEMO/.params" 2>/dev/null)" = "$stamp" ] \
   && [ ! "$CLI" -nt "$DEMO/dataset.json" ]; then
    say "demo tenant up to date: $DEMO ($stamp)"
else
    say "generating the demo tenant ($stamp) into $DEMO"
    rm -rf "$DEMO.tmp"
    run_logged build/native/web-generate.log "$CLI" generate --customers "$DEMO_CUSTOMERS" --seed "$DEMO_SEED" --out "$DEMO.tmp"
    # The page cannot list a folder over HTTP: index.json names the files.
    (
        cd "$DEMO.tmp"
        printf '{\n  "name": "demo",\n  "customers": %s,\n  "seed": %s,\n  "dataset": "dataset.json",\n  "campaigns": [' \
            "$DEMO_CUSTOMERS" "$DEMO_SEED"
        first=1
        for f in $(find campaigns -maxdepth 1 -type f -name '*.json' | LC_ALL=C sort); do
            [ $first -eq 1 ] || printf ','
            printf '\n    "%s"' "$f"
            first=0
        done
        printf '\n  ]\n}\n'
    ) >"$DEMO.tmp/index.json"
    echo "$stamp" >"$DEMO.tmp/.params"
    rm -rf "$DEMO"
    mkdir -p "$(dirname "$DEMO")"
    mv "$DEMO.tmp" "$DEMO"
    say "   $(du -sh "$DEMO" | cut -f1) in $DEMO ($(step_time $t))"
fi

# ---------------------------------------------------------------- font
t=$SECONDS
font_inputs=(scripts/build_font.py "$DEMO/dataset.json" src/ui/*.cpp src/ui/*.h src/app/*.cpp src/app/*.h)
need_font=0
if [ ! -f "$FONT" ]; then
    need_font=1
else
    for f in "${font_inputs[@]}"; do
        if [ -e "$f" ] && [ "$f" -nt "$FONT" ]; then need_font=1; break; fi
    done
    for f in "$DEMO"/campaigns/*.json; do
        if [ -e "$f" ] && [ "$f" -nt "$FONT" ]; then need_font=1; break; fi
    done
fi
if [ "$need_font" -eq 1 ]; then
    say "UI font subset -> $FONT"
    /usr/bin/python3 scripts/build_font.py --out "$FONT" --data "$DEMO" | sed 's/^/  /'
    say "   font built ($(step_time $t))"
else
    say "UI font up to date: $FONT ($(stat -c %s "$FONT") bytes)"
fi

# The fallback font (the rest of Noto Sans CJK SC, loaded by the page in the background):
# depends on the system font only, so built once.
FALLBACK="$WEB/fonts/reachlens-sc-fallback.otf"
if [ ! -f "$FALLBACK" ]; then
    t=$SECONDS
    say "fallback font -> $FALLBACK"
    /usr/bin/python3 scripts/build_font.py --fallback-out "$FALLBACK" | sed 's/^/  /'
    say "   fallback font built ($(step_time $t))"
fi

# ---------------------------------------------------------------- wasm app
t=$SECONDS
say "wasm app (build/wasm, target reachlens_app)"
if [ ! -f build/wasm/CMakeCache.txt ] || ! grep -q '^REACHLENS_BUILD_APP:BOOL=ON' build/wasm/CMakeCache.txt; then
    run_logged build/wasm/configure.log emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release -DREACHLENS_BUILD_APP=ON
fi
run_logged build/wasm/web-build.log cmake --build build/wasm -j"$JOBS" --target reachlens_app
say "   wasm app built ($(step_time $t))"

# Byte sizes of what the loader fetches: its progress bar falls back on them when a
# server compresses (Content-Length is then not the size of what fetch() delivers).
(
    cd "$WEB"
    printf '{'
    first=1
    for f in reachlens.wasm reachlens.js fonts/reachlens-sc.otf data/demo/index.json data/demo/dataset.json \
             $(cd . && find data/demo/campaigns -maxdepth 1 -type f -name '*.json' | LC_ALL=C sort); do
        [ -f "$f" ] || continue
        [ $first -eq 1 ] || printf ','
        printf '\n  "%s": %s' "$f" "$(stat -c %s "$f")"
        first=0
    done
    printf '\n}\n'
) >"$WEB/files.json"

wasm_size=$(stat -c %s "$WEB/reachlens.wasm")
js_size=$(stat -c %s "$WEB/reachlens.js")
font_size=$(stat -c %s "$FONT")
data_size=$(stat -c %s "$DEMO/dataset.json")
say "ready in $(step_time $T0): $WEB"
say "   reachlens.wasm $wasm_size bytes, reachlens.js $js_size bytes, font $font_size bytes, demo dataset $data_size bytes"
