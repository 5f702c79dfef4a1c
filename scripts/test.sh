#!/usr/bin/env bash
# ReachLens test command (README "bash scripts/test.sh"; .ci/run execs it).
#
#   1. scripts/setup.sh                       toolchain + Dear ImGui sources
#   2. native build (build/native) + ctest    g++, Catch2 test per test case
#   3. wasm build (build/wasm) + ctest        emscripten, tests run under node; the
#                                             build includes the browser app (reachlens_app)
#   4. browser tests                          scripts/build_web.sh (demo tenant, font, app)
#                                             then node --test tests/browser/ in headless
#                                             Chromium; screenshots in build/screenshots/
#   5. server tests                           tests/server/run.sh: serve.py over HTTP (SQLite,
#                                             idempotency, limits, re-check with the CLI)
#   6. contract tests                         node --test tests/contract/: docs/schemas/ against
#                                             examples, generator and CLI; serve.py's answers
#                                             against docs/openapi.yaml
#   7. sanitizers and fuzzing (build/sanitize) clang -O1, ASan+UBSan (no recovery): the whole
#                                             Catch2 suite, then scripts/fuzz.sh: each libFuzzer
#                                             target (fuzz/) replays its regressions and fuzzes
#                                             for FUZZ_SECONDS (40 s), two at a time
#   8. build/native/bench --quick             when the bench exists
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
WASM_OK=0

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

# quiet_build_target DIR TARGET : builds one target of DIR (same output rules).
quiet_build_target() {
    local log="$1/build-$2.log"
    if cmake --build "$1" -j"$JOBS" --target "$2" >"$log" 2>&1; then
        return 0
    fi
    grep -v -E '^\[ *[0-9]+%\] (Building|Linking|Built|Embedding)' "$log" | cut -c1-400 | tail -n 150
    return 1
}

# quiet_build_targets DIR TARGET... : builds these targets of DIR (same output rules).
quiet_build_targets() {
    local dir="$1"; shift
    local log="$dir/build-targets.log"
    if cmake --build "$dir" -j"$JOBS" --target "$@" >"$log" 2>&1; then
        grep -E 'warning:' "$log" | sort -u | head -n 40 || true
        return 0
    fi
    grep -v -E '^\[ *[0-9]+%\] (Building|Linking|Built|Embedding)' "$log" | cut -c1-400 | tail -n 150
    return 1
}

# run_node_tests DIR LOG LABEL TIMEOUT : node's test runner (TAP) over DIR; prints the
# results and failures, adds its "# pass N" / "# fail N" to the totals.
run_node_tests() {
    local dir="$1" log="$2" label="$3" limit="$4" rc=0
    mkdir -p build
    timeout "$limit" node --test --test-reporter=tap "$dir" >"$log" 2>&1 || rc=$?
    local pass fail
    pass="$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$log" | tail -n1)"
    fail="$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$log" | tail -n1)"
    if [ -n "$fail" ] && [ "$fail" -gt 0 ] || [ "$rc" -ne 0 ]; then
        # Failures with their details (the whole TAP log stays in $log).
        grep -v -E '^ *# Subtest:|^ *ok [0-9]+ ' "$log" | cut -c1-400 | head -n 200 | sed "s/^/  [$label] /"
    else
        grep -E '^ *ok [0-9]+ |^# (tests|pass|fail|duration)' "$log" | sed "s/^/  [$label] /"
    fi
    if [ -n "$pass" ] && [ -n "$fail" ]; then
        TESTS_PASSED=$((TESTS_PASSED + pass))
        TESTS_FAILED=$((TESTS_FAILED + fail))
        [ "$fail" -eq 0 ] && [ "$rc" -ne 0 ] && TESTS_FAILED=$((TESTS_FAILED + 1))   # runner failed outside tests
    else
        TESTS_FAILED=$((TESTS_FAILED + 1))   # the runner itself failed (no summary)
    fi
    [ "$rc" -eq 0 ] && [ "${fail:-1}" -eq 0 ]
}
run_browser_tests() { run_node_tests tests/browser/ build/browser-tests.log browser 1500; }
# JSON Schemas (docs/schemas/) against examples, generator and CLI; serve.py against docs/openapi.yaml.
run_contract_tests() {
    REACHLENS_CLI="$ROOT/build/native/reachlens" run_node_tests tests/contract/ build/contract-tests.log contract 300
}

# run_server_tests : Python unittest over serve.py; adds its "Ran N tests" to the totals.
run_server_tests() {
    local log=build/server-tests.log rc=0
    mkdir -p build
    REACHLENS_CLI="$ROOT/build/native/reachlens" timeout 600 bash tests/server/run.sh >"$log" 2>&1 || rc=$?
    local ran failed
    ran="$(sed -n 's/^Ran \([0-9][0-9]*\) tests\{0,1\} in .*/\1/p' "$log" | tail -n1)"
    failed=0   # "FAILED (failures=2, errors=1)" counts 3
    local n
    for n in $(sed -n 's/^FAILED (\(.*\))$/\1/p' "$log" | tr ',' '\n' | sed -n 's/.*=\([0-9][0-9]*\).*/\1/p'); do
        failed=$((failed + n))
    done
    if [ "$rc" -ne 0 ]; then
        grep -E '^(FAIL|ERROR):|Error|assert|Traceback' "$log" | head -n 60 | sed 's/^/  [server] /'
    fi
    tail -n 3 "$log" | sed 's/^/  [server] /'
    if [ -n "$ran" ]; then
        [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
        TESTS_PASSED=$((TESTS_PASSED + ran - failed))
        TESTS_FAILED=$((TESTS_FAILED + failed))
    else
        TESTS_FAILED=$((TESTS_FAILED + 1))   # the runner itself failed
    fi
    return "$rc"
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
       emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release; then
    if run_step "wasm build" quiet_build build/wasm; then
        WASM_OK=1
        run_step "wasm tests (node)" run_ctest build/wasm wasm || true
    elif run_step "wasm build (engine tests only)" quiet_build_target build/wasm reachlens_tests; then
        # The browser app failed to build: still run the engine's tests.
        run_step "wasm tests (node)" run_ctest build/wasm wasm || true
    fi
fi

if [ "$NATIVE_OK" -eq 1 ] && [ "$WASM_OK" -eq 1 ]; then
    if run_step "web build (demo tenant, font, app)" env REACHLENS_SKIP_SETUP=1 JOBS="$JOBS" bash scripts/build_web.sh; then
        run_step "browser tests" run_browser_tests || true
    else
        TESTS_FAILED=$((TESTS_FAILED + 1))
    fi
else
    say "== browser tests: skipped (needs the native and wasm builds)"
    FAILED_STEPS+=("browser tests (skipped)")
fi

if [ "$NATIVE_OK" -eq 1 ]; then
    run_step "server tests" run_server_tests || true
else
    say "== server tests: skipped (needs the native CLI)"
    FAILED_STEPS+=("server tests (skipped)")
fi

if [ "$NATIVE_OK" -eq 1 ]; then
    run_step "contract tests" run_contract_tests || true
else
    say "== contract tests: skipped (needs the native CLI)"
    FAILED_STEPS+=("contract tests (skipped)")
fi

# Sanitizers and fuzzing: one clang build (coverage-instrumented for libFuzzer) serves both.
# Run after everything else so nothing competes with it for the two cores.
if run_step "sanitizer configure (clang, ASan+UBSan, libFuzzer)" quiet_configure build/sanitize \
       env CXX=clang++ cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g" \
       -DREACHLENS_FUZZ=ON -DREACHLENS_BUILD_UI=OFF \
   && run_step "sanitizer build (tests, CLI, fuzzers)" quiet_build_targets build/sanitize \
       reachlens_tests reachlens reachlens_fuzzers; then
    UBSAN_OPTIONS=print_stacktrace=1 run_step "sanitizer tests (Catch2 under ASan+UBSan)" run_ctest build/sanitize sanitize || true
    run_step "fuzz (bounded, scripts/fuzz.sh)" bash scripts/fuzz.sh build/sanitize || true
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
say "all steps passed: setup, native build+tests, wasm build+tests, browser tests, server tests, contract tests, sanitizer tests, fuzzing, bench"
echo "ReachLens: $TESTS_PASSED passed, $TESTS_FAILED failed"
