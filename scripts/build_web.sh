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
#   6. single-file page                 build/wasm/web-single/reachlens.html: the same objects
#                                       re-linked with -sSINGLE_FILE=1, plus the page's JS, the
#                                       font and a small tenant (SINGLE_CUSTOMERS, default 3000)
#                                       inside; opens from file:// (REACHLENS_SINGLE_FILE=0 skips it)
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
CLI=build/native/reachlens
# make_tenant DIR CUSTOMERS SEED: reachlens generate into DIR, plus the index.json the
# page reads (it cannot list a folder over HTTP); regenerated only when stale.
make_tenant() {
    local dir="$1" customers="$2" seed="$3" t=$SECONDS
    local stamp="customers=$customers seed=$seed"
    if [ -f "$dir/dataset.json" ] && [ -f "$dir/index.json" ] && [ "$(cat "$dir/.params" 2>/dev/null)" = "$stamp" ] \
       && [ ! "$CLI" -nt "$dir/dataset.json" ]; then
        say "tenant up to date: $dir ($stamp)"
        return
    fi
    say "generating a tenant ($stamp) into $dir"
    rm -rf "$dir.tmp"
    run_logged build/native/web-generate.log "$CLI" generate --customers "$customers" --seed "$seed" --out "$dir.tmp"
    (
        cd "$dir.tmp"
        printf '{\n  "name": "demo",\n  "customers": %s,\n  "seed": %s,\n  "dataset": "dataset.json",\n  "campaigns": [' \
            "$customers" "$seed"
        first=1
        for f in $(find campaigns -maxdepth 1 -type f -name '*.json' | LC_ALL=C sort); do
            [ $first -eq 1 ] || printf ','
            printf '\n    "%s"' "$f"
            first=0
        done
        printf '\n  ]\n}\n'
    ) >"$dir.tmp/index.json"
    echo "$stamp" >"$dir.tmp/.params"
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    mv "$dir.tmp" "$dir"
    say "   $(du -sh "$dir" | cut -f1) in $dir ($(step_time $t))"
}
make_tenant "$DEMO" "$DEMO_CUSTOMERS" "$DEMO_SEED"

# ---------------------------------------------------------------- font
# make_font OUT TENANT: the UI font subset (UI strings + the tenant's), rebuilt when stale.
make_font() {
    local out="$1" data="$2" t=$SECONDS
    local inputs=(scripts/build_font.py "$data/dataset.json" src/ui/*.cpp src/ui/*.h src/app/*.cpp src/app/*.h)
    local need=0 f
    if [ ! -f "$out" ]; then
        need=1
    else
        for f in "${inputs[@]}" "$data"/campaigns/*.json; do
            if [ -e "$f" ] && [ "$f" -nt "$out" ]; then need=1; break; fi
        done
    fi
    if [ "$need" -eq 1 ]; then
        say "UI font subset -> $out"
        /usr/bin/python3 scripts/build_font.py --out "$out" --data "$data" | sed 's/^/  /'
        say "   font built ($(step_time $t))"
    else
        say "UI font up to date: $out ($(stat -c %s "$out") bytes)"
    fi
}
make_font "$FONT" "$DEMO"

# The colour emoji sheet (scripts/build_emoji.py: a curated set plus the tenant's emoji
# from Noto Color Emoji), rebuilt when the script or the tenant is newer.
EMOJI="$WEB/fonts/reachlens-emoji.json"
if [ ! -f "$EMOJI" ] || [ scripts/build_emoji.py -nt "$EMOJI" ] || [ "$DEMO/dataset.json" -nt "$EMOJI" ]; then
    t=$SECONDS
    say "emoji sheet -> $EMOJI"
    /usr/bin/python3 scripts/build_emoji.py --out "$EMOJI" --data "$DEMO" | sed 's/^/  /'
    say "   emoji sheet built ($(step_time $t))"
else
    say "emoji sheet up to date: $EMOJI ($(stat -c %s "$EMOJI") bytes)"
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

# ---------------------------------------------------------------- single-file page
# The objects reachlens_app was just linked from, linked again by CMake's own link
# command with -sSINGLE_FILE=1 (seconds, no recompile), then one HTML file with the
# page's JS, the font and a small tenant inside (scripts/build_single_html.py).
if [ "${REACHLENS_SINGLE_FILE:-1}" != "0" ]; then
    t=$SECONDS
    SINGLE=build/wasm/web-single
    SINGLE_CUSTOMERS="${SINGLE_CUSTOMERS:-3000}"
    mkdir -p "$SINGLE"
    make_tenant "$SINGLE/demo" "$SINGLE_CUSTOMERS" "$DEMO_SEED"
    # The hosted font usually covers the small tenant too (same generator, same seed):
    # reuse it unless the small tenant has a character the big one lacks.
    if [ "$SINGLE/demo/dataset.json" -nt "$SINGLE/reachlens-sc.otf" ] || [ "$FONT" -nt "$SINGLE/reachlens-sc.otf" ]; then
        if /usr/bin/python3 - "$DEMO" "$SINGLE/demo" <<'PY'
import glob, json, os, sys
def chars(folder):
    out = set()
    def walk(v):
        if isinstance(v, str): out.update(v)
        elif isinstance(v, dict):
            for k, x in v.items(): out.update(k); walk(x)
        elif isinstance(v, list):
            for x in v: walk(x)
    for f in [os.path.join(folder, "dataset.json")] + glob.glob(os.path.join(folder, "campaigns", "*.json")):
        with open(f, encoding="utf-8") as fh: walk(json.load(fh))
    return out
sys.exit(0 if chars(sys.argv[2]) <= chars(sys.argv[1]) else 1)
PY
        then
            cp "$FONT" "$SINGLE/reachlens-sc.otf"
            say "UI font for the single file: the hosted one covers its tenant ($FONT)"
        else
            rm -f "$SINGLE/reachlens-sc.otf"
        fi
    fi
    make_font "$SINGLE/reachlens-sc.otf" "$SINGLE/demo"
    link_txt=build/wasm/CMakeFiles/reachlens_app.dir/link.txt
    [ -f "$link_txt" ] || { echo "[build_web] FAILED: $link_txt not found (CMake's link command for reachlens_app)" >&2; exit 1; }
    if [ ! -f "$SINGLE/reachlens.js" ] || [ "$WEB/reachlens.wasm" -nt "$SINGLE/reachlens.js" ] || [ "$link_txt" -nt "$SINGLE/reachlens.js" ]; then
        say "single-file link (-sSINGLE_FILE=1) -> $SINGLE/reachlens.js"
        # link.txt runs in build/wasm and writes web/reachlens.js: the same command, another output.
        link_cmd="$(sed -e 's# -o web/reachlens\.js # -o ../wasm/web-single/reachlens.js #' "$link_txt")"
        case "$link_cmd" in
            *"-o ../wasm/web-single/reachlens.js"*) ;;
            *) echo "[build_web] FAILED: cannot find '-o web/reachlens.js' in $link_txt" >&2; exit 1 ;;
        esac
        run_logged build/wasm/web-single-link.log bash -c "cd build/wasm && $link_cmd -sSINGLE_FILE=1"
    fi
    run_logged build/wasm/web-single-html.log python3 scripts/build_single_html.py --page web/index.html \
        --module "$SINGLE/reachlens.js" --font "$SINGLE/reachlens-sc.otf" --data "$SINGLE/demo" \
        --emoji "$EMOJI" --out "$SINGLE/reachlens.html"
    say "   single-file page: $SINGLE/reachlens.html, $(stat -c %s "$SINGLE/reachlens.html") bytes ($(step_time $t))"
fi
