#!/usr/bin/env bash
# ReachLens machine setup: installs the toolchain and fetches Dear ImGui sources.
#
# Idempotent and quick when everything is already there: it only touches apt
# when a package is missing or the ImGui sources are not in .deps/imgui yet, and
# npm only when node_modules/ lacks a pinned devDependency of package.json.
# Meant for a fresh Debian 12 machine, run as root (uses sudo only if not root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive

IMGUI_MIN_VERSION_NUM=19200          # Dear ImGui >= 1.92
IMGUI_DIR="$ROOT/.deps/imgui"
UNSTABLE_SRC_LIST=/etc/apt/sources.list.d/reachlens-unstable-src.sources

step() { echo "[setup] $*"; }
die()  { echo "[setup] ERROR: $*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "must run as root (or with sudo available)"
    SUDO="sudo"
fi

APT_UPDATED=0
apt_update() {
    if [ "$APT_UPDATED" -eq 0 ]; then
        step "apt-get update"
        # A broken third-party source must not stop us; a missing package will
        # make the install below fail with a clear message anyway.
        local log
        log="$(mktemp)"
        if ! $SUDO apt-get update -qq >"$log" 2>&1 || grep -q '^E:' "$log"; then
            if grep -q 'is expired' "$log"; then
                # A frozen (snapshot) mirror serves a Release file past its
                # Valid-Until date, which unstable's always has: accept it.
                step "apt-get update: mirror's Release file expired, retrying with Acquire::Check-Valid-Until=false"
                $SUDO apt-get update -qq -o Acquire::Check-Valid-Until=false >"$log" 2>&1 || true
            fi
            if grep -q '^E:' "$log"; then
                cat "$log" >&2
                echo "[setup] warning: apt-get update reported errors (continuing)" >&2
            fi
        fi
        rm -f "$log"
        APT_UPDATED=1
    fi
}

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# ---------------------------------------------------------------- Dear ImGui helpers
imgui_version_num() {  # prints IMGUI_VERSION_NUM of $1/imgui.h, or nothing
    [ -f "$1/imgui.h" ] || return 0
    sed -n 's/^#define IMGUI_VERSION_NUM[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$1/imgui.h" | head -n1
}
imgui_version_str() {
    sed -n 's/^#define IMGUI_VERSION[[:space:]]*"\([^"]*\)".*/\1/p' "$1/imgui.h" | head -n1
}
imgui_source_indexed() {  # does apt know a source package imgui >= 1.92?
    apt-cache showsrc imgui 2>/dev/null | grep -q '^Version: 1\.\(9[2-9]\|[1-9][0-9][0-9]\)'
}

IMGUI_NEEDED=1
have="$(imgui_version_num "$IMGUI_DIR")"
if [ -n "$have" ] && [ "$have" -ge "$IMGUI_MIN_VERSION_NUM" ]; then
    IMGUI_NEEDED=0
fi

if [ "$IMGUI_NEEDED" -eq 1 ]; then
    # Source packages only: a deb-src entry for unstable never changes which
    # binary packages get installed.
    want_list="Types: deb-src
URIs: http://deb.debian.org/debian
Suites: unstable
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
    if [ ! -f "$UNSTABLE_SRC_LIST" ] || [ "$(cat "$UNSTABLE_SRC_LIST")" != "$want_list" ]; then
        step "adding deb-src (source packages only) for Debian unstable: $UNSTABLE_SRC_LIST"
        printf '%s\n' "$want_list" | $SUDO tee "$UNSTABLE_SRC_LIST" >/dev/null
    fi
fi

# ---------------------------------------------------------------- packages
# clang + libclang-rt-14-dev: the sanitizer suite and the libFuzzer targets (build/sanitize;
# Debian 12's clang 14 keeps libclang_rt.fuzzer/asan/ubsan in libclang-rt-14-dev).
# python3-distributed: Dask, for the sharded preview example (bench/dask_shards.py) and its test.
# fonts-noto-color-emoji + python3-pil: the colour emoji sheet (scripts/build_emoji.py).
# clang-format: CTest code_format_applied keeps the code in its .clang-format style.
PACKAGES=(cmake g++ make emscripten nlohmann-json3-dev catch2 fonts-noto-cjk fonts-noto-color-emoji
          python3-fonttools python3-pil dpkg-dev xz-utils chromium clang libclang-rt-14-dev python3-distributed clang-format)
MISSING=()
for p in "${PACKAGES[@]}"; do
    is_installed "$p" || MISSING+=("$p")
done
# Node.js may come from outside Debian (e.g. a nodesource build that bundles
# npm): only install Debian's nodejs/npm when the commands are absent.
command -v node >/dev/null 2>&1 || is_installed nodejs || MISSING+=(nodejs)
command -v npm  >/dev/null 2>&1 || is_installed npm    || MISSING+=(npm)

if [ "${#MISSING[@]}" -gt 0 ]; then
    apt_update
    step "apt-get install ${MISSING[*]}"
    $SUDO apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null \
        || die "apt-get install failed for: ${MISSING[*]}"
else
    step "packages present: ${PACKAGES[*]} node npm"
fi

# ---------------------------------------------------------------- Dear ImGui
if [ "$IMGUI_NEEDED" -eq 0 ]; then
    step "Dear ImGui $(imgui_version_str "$IMGUI_DIR") present in .deps/imgui"
else
    if [ "$APT_UPDATED" -eq 0 ] && ! imgui_source_indexed; then
        apt_update
    fi

    mkdir -p "$ROOT/.deps"
    tmp="$(mktemp -d "$ROOT/.deps/.imgui-fetch.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    step "apt-get source imgui (Debian unstable) into .deps/"
    ( cd "$tmp" && apt-get source -qq imgui >/dev/null 2>"$tmp/stderr.log" ) || {
        cat "$tmp/stderr.log" >&2
        die "apt-get source imgui failed"
    }
    src="$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'imgui-*' | head -n1)"
    [ -n "$src" ] || die "apt-get source imgui produced no imgui-* folder"
    got="$(imgui_version_num "$src")"
    if [ -z "$got" ] || [ "$got" -lt "$IMGUI_MIN_VERSION_NUM" ]; then
        die "Dear ImGui from Debian unstable is version ${got:-unknown} ($(imgui_version_str "$src" 2>/dev/null || true)); ReachLens needs IMGUI_VERSION_NUM >= $IMGUI_MIN_VERSION_NUM (1.92)"
    fi
    rm -rf "$IMGUI_DIR"
    mv "$src" "$IMGUI_DIR"
    rm -rf "$tmp"
    trap - EXIT
    step "Dear ImGui $(imgui_version_str "$IMGUI_DIR") (IMGUI_VERSION_NUM $got) ready in .deps/imgui"
fi

# ---------------------------------------------------------------- npm devDependencies
# package.json pins them: playwright-core drives Debian's /usr/bin/chromium (it never
# downloads a browser of its own); typescript type-checks a host against the packed SDK
# (web/embed/); ajv and yaml validate docs/schemas/ and docs/openapi.yaml. npm runs only
# when one is missing or at another version.
stale_npm="$(cd "$ROOT" && node -e '
const fs = require("fs");
const want = JSON.parse(fs.readFileSync("package.json", "utf8")).devDependencies || {};
const have = (n) => { try { return JSON.parse(fs.readFileSync("node_modules/" + n + "/package.json", "utf8")).version; }
                      catch (e) { return null; } };
console.log(Object.keys(want).filter((n) => have(n) !== want[n]).map((n) => n + "@" + want[n]).join(" "));
')" || die "cannot read package.json with node"
if [ -n "$stale_npm" ]; then
    step "npm install ($stale_npm into node_modules/)"
    ( cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error ) >/dev/null \
        || die "npm install failed (needs the npm registry)"
else
    step "npm devDependencies present: $(cd "$ROOT" && node -p 'Object.entries(require("./package.json").devDependencies).map(([n, v]) => n + "@" + v).join(" ")')"
fi

step "done"
