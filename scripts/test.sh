#!/usr/bin/env bash
# ReachLens test command (README "bash scripts/test.sh"; .ci/run execs it).
#
#   1. scripts/setup.sh                       toolchain + Dear ImGui sources
#   2. native build (build/native) + ctest    g++, Catch2 test per test case
#   3. wasm build (build/wasm) + ctest        emscripten, tests run under node
#   4. build/native/bench --quick             when the bench exists
#
# Keeps going after a failing step where later steps do not depend on it, and
# exits non-zero if anything failed. The last line is the overall verdict.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

JOBS="${JOBS:-2}"
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"   # emcc's JS optimizer needs Debian's acorn
export CLICOLOR_FORCE=0

T0=$SECONDS
FAILED_STEPS=()
TESTS_PASSED=0
TESTS_FAILED=0
NATIVE_OK=0

say() { echo "[test] $*"; }

# run_step NAME CMD... : runs CMD, prints its duration, records a failure.
run_step() {
    local name="$1"; shift
    local t=$SECONDS
    say "== $name"
    if "$@"; then
        say "   $name: ok ($((SECONDS - t))s)"
        return 0
    else
        local rc=$?
        say "   $name: FAILED with exit code $rc ($((SECONDS - t))s)"
        FAILED_STEPS+=("$name")
        return 1
    fi
}

# quiet_build DIR : builds DIR, printing the full log only when it fails.
quiet_build() {
    local log="$1/build.log"
    if cmake --build "$1" -j"$JOBS" >"$log" 2>&1; then
        grep -E 'warning:' "$log" | sort -u | head -n 40 || true
        return 0
    fi
    grep -v -E '^\[ *[0-9]+%\] (Building|Linking|Built|Embedding)' "$log" | cut -c1-400 | tail -n 150
    return 1
}

# quiet_configure DIR CMD... : configures, printing the log only on failure.
quiet_configure() {
    local dir="$1"; shift
    mkdir -p "$dir"
    if "$@" >"$dir/configure.log" 2>&1; then
        return 0
    fi
    tail -n 60 "$dir/configure.log"
    return 1
}

# run_ctest DIR LABEL : runs ctest in DIR, prints failures and the summary only.
run_ctest() {
    local dir="$1" label="$2" log="$1/ctest.log" rc=0
    ctest --test-dir "$dir" --output-on-failure --no-tests=error -j"$JOBS" \
          --timeout 600 >"$log" 2>&1 || rc=$?
    # One line per passing test case is noise: keep failures, their output
    # and the summary; cap the failure details (the whole log stays in DIR).
    local shown="$1/ctest.shown" max=250
    grep -v -E '^Internal ctest changing into directory|^ *Start +[0-9]+:|^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed +[0-9.]+ sec$' "$log" \
        | sed '/^$/N;/^\n$/D' >"$shown"
    if [ "$(wc -l <"$shown")" -gt $((max + 60)) ]; then
        head -n "$max" "$shown" | sed "s/^/  [$label] /"
        echo "  [$label] ... (failure details cut; the full log is $log)"
        sed -n '/tests passed, .* failed out of/,$p' "$shown" | sed "s/^/  [$label] /"
    else
        sed "s/^/  [$label] /" "$shown"
    fi
    local total failed
    total="$(sed -n 's/.*tests failed out of \([0-9][0-9]*\).*/\1/p' "$log" | tail -n1)"
    failed="$(sed -n 's/.* \([0-9][0-9]*\) tests* failed out of.*/\1/p' "$log" | tail -n1)"
    if [ -n "$total" ] && [ -n "$failed" ]; then
        TESTS_PASSED=$((TESTS_PASSED + total - failed))
        TESTS_FAILED=$((TESTS_FAILED + failed))
    elif [ "$rc" -ne 0 ]; then
        TESTS_FAILED=$((TESTS_FAILED + 1))   # ctest itself failed (no tests found, ...)
    fi
    return "$rc"
}

# ------------------------------------------------------------------ steps
if ! run_step "setup" bash scripts/setup.sh; then
    say "setup failed: cannot build"
    echo "test.sh: FAILED (setup) after $((SECONDS - T0))s"
    exit 1
fi

if run_step "native configure" quiet_configure build/native \
       cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release \
   && run_step "native build" quiet_build build/native; then
    NATIVE_OK=1
    run_step "native tests" run_ctest build/native native || true
fi

if run_step "wasm configure" quiet_configure build/wasm \
       emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
   && run_step "wasm build" quiet_build build/wasm; then
    run_step "wasm tests (node)" run_ctest build/wasm wasm || true
fi

if [ "$NATIVE_OK" -eq 1 ] && [ -x build/native/bench ]; then
    run_step "bench --quick" build/native/bench --quick || true
else
    say "== bench: skipped (build/native/bench not built)"
fi

# ------------------------------------------------------------------ verdict
say "total time $((SECONDS - T0))s"
if [ "${#FAILED_STEPS[@]}" -gt 0 ]; then
    say "FAILED steps: ${FAILED_STEPS[*]}"
    # A failed build or bench counts as a failure even when no test failed.
    [ "$TESTS_FAILED" -gt 0 ] || TESTS_FAILED=${#FAILED_STEPS[@]}
    echo "ReachLens: $TESTS_PASSED passed, $TESTS_FAILED failed"
    exit 1
fi
say "all steps passed: setup, native build+tests, wasm build+tests, bench"
echo "ReachLens: $TESTS_PASSED passed, $TESTS_FAILED failed"
