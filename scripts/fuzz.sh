#!/usr/bin/env bash
# Fuzzes the engine's input readers with libFuzzer (issue 10; targets in fuzz/CMakeLists.txt).
#
#   bash scripts/fuzz.sh [BUILD_DIR]        default build/sanitize (configured by scripts/test.sh:
#                                           clang, -DREACHLENS_FUZZ=ON)
#   FUZZ_SECONDS=45  per target             FUZZ_JOBS=2  targets fuzzed at once
#
# For each fuzz_<name> in BUILD_DIR/fuzz:
#   1. replays fuzz/regressions/<name>/ (inputs that once crashed or hung: regression tests);
#   2. seeds a scratch corpus (BUILD_DIR/fuzz-corpus/<name>) from the spec examples, the
#      rules presets and fuzz/regressions/, and fuzzes for FUZZ_SECONDS;
#   3. prints the executions it ran (stat::number_of_executed_units).
# Fails on any crash, sanitizer report, leak or an input running over 10 s; the input is
# left in BUILD_DIR/fuzz-artifacts/<name>/ (copy it into fuzz/regressions/<name>/ with
# the fix, so the replay keeps it fixed).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD="${1:-build/sanitize}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-45}"
JOBS="${FUZZ_JOBS:-2}"
EXAMPLES="${REACHLENS_EXAMPLES_DIR:-$ROOT/../shared/spec/examples}"

say() { echo "[fuzz] $*"; }

targets=()
for bin in "$BUILD"/fuzz/fuzz_*; do
    [ -x "$bin" ] && targets+=("$(basename "$bin" | sed 's/^fuzz_//')")
done
if [ "${#targets[@]}" -eq 0 ]; then
    say "no fuzz targets in $BUILD/fuzz (configure with CXX=clang++ -DREACHLENS_FUZZ=ON and build reachlens_fuzzers)"
    exit 1
fi

# seed NAME DIR: fills the scratch corpus DIR for target NAME.
seed() {
    local name="$1" dir="$2" f i=0
    mkdir -p "$dir"
    case "$name" in
        dataset)  for f in "$EXAMPLES"/*/dataset.json; do [ -f "$f" ] && cp "$f" "$dir/$(basename "$(dirname "$f")").json"; done ;;
        campaign) for f in "$EXAMPLES"/*/campaign.json; do [ -f "$f" ] && cp "$f" "$dir/$(basename "$(dirname "$f")").json"; done ;;
        rules)    for f in "$EXAMPLES"/*/rules.json assets/rules/*.json; do
                      [ -f "$f" ] && cp "$f" "$dir/seed-$((i++)).json"; done ;;
        expression|host_messages)
            python3 - "$name" "$dir" "$EXAMPLES" assets/rules <<'PY'
import glob, json, os, sys
name, out, examples, presets = sys.argv[1:5]
def filters(node):
    """Every audience filter (and sub-expression) of a campaign, as JSON text."""
    if isinstance(node, dict):
        if any(k in node for k in ("all", "any", "not", "tags_any", "attr", "received", "customers")):
            yield node
        for v in node.values():
            yield from filters(v)
    elif isinstance(node, list):
        for v in node:
            yield from filters(v)
n = 0
for path in sorted(glob.glob(os.path.join(examples, "*", "campaign.json"))):
    with open(path, encoding="utf-8") as f:
        campaign = json.load(f)
    if name == "expression":
        for e in filters(campaign.get("audience", {})):
            n += 1
            with open(os.path.join(out, "filter-%d.json" % n), "w", encoding="utf-8") as f:
                json.dump(e, f, ensure_ascii=False)
    else:
        folder = os.path.dirname(path)
        parts = [b"\x02" + open(path, "rb").read()]
        rules = os.path.join(folder, "rules.json")
        if os.path.exists(rules):
            parts.insert(0, b"\x01" + open(rules, "rb").read())
        parts.append(b"\x04wecom-2021")
        parts.append(b"\x03\xe6\x96\xb0\xe5\xb9\xb4 \xf0\x9f\x92\x84\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbb")
        n += 1
        with open(os.path.join(out, "messages-%d.bin" % n), "wb") as f:
            f.write(b"\xff".join(parts))
        with open(os.path.join(out, "dataset-%d.bin" % n), "wb") as f:
            f.write(b"\x00" + open(os.path.join(folder, "dataset.json"), "rb").read())
PY
            ;;
    esac
    if [ -d "fuzz/regressions/$name" ]; then
        cp fuzz/regressions/"$name"/* "$dir"/ 2>/dev/null || true
    fi
}

# run_target NAME: replay, then fuzz. Output in BUILD/fuzz-logs/NAME.log.
run_target() {
    local name="$1" bin="$BUILD/fuzz/fuzz_$1" log="$BUILD/fuzz-logs/$1.log"
    local corpus="$BUILD/fuzz-corpus/$1" artifacts="$BUILD/fuzz-artifacts/$1/"
    rm -rf "$corpus" "$artifacts"
    mkdir -p "$artifacts"
    : >"$log"
    if [ -d "fuzz/regressions/$name" ] && [ -n "$(ls -A "fuzz/regressions/$name" 2>/dev/null)" ]; then
        if ! "$bin" -runs=1 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts" \
               fuzz/regressions/"$name"/* >>"$log" 2>&1; then
            echo "REPLAY FAILED" >>"$log"
            return 1
        fi
        echo "replayed $(ls "fuzz/regressions/$name" | wc -l) regression inputs" >>"$log"
    fi
    seed "$name" "$corpus"
    "$bin" "$corpus" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
           -dict=fuzz/json.dict -print_final_stats=1 -artifact_prefix="$artifacts" >>"$log" 2>&1
}

mkdir -p "$BUILD/fuzz-logs"
say "${#targets[@]} targets, ${SECONDS_PER_TARGET}s each, $JOBS at a time: ${targets[*]}"
declare -A pids=()
failed=()
running=0
for name in "${targets[@]}"; do
    run_target "$name" &
    pids[$name]=$!
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
for name in "${targets[@]}"; do
    if ! wait "${pids[$name]}"; then failed+=("$name"); fi
done

for name in "${targets[@]}"; do
    log="$BUILD/fuzz-logs/$name.log"
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)"
    cov="$(grep -o 'cov: [0-9]*' "$log" | tail -n1)"
    replay="$(grep -o '^replayed [0-9]* regression inputs' "$log" || true)"
    say "$name: ${execs:-?} executions in ${SECONDS_PER_TARGET}s (${cov:-cov: ?})${replay:+, $replay}"
done
if [ "${#failed[@]}" -gt 0 ]; then
    for name in "${failed[@]}"; do
        say "FAILED: $name (log $BUILD/fuzz-logs/$name.log, input in $BUILD/fuzz-artifacts/$name/)"
        grep -E 'ERROR|runtime error|SUMMARY|Test unit written|REPLAY FAILED' "$BUILD/fuzz-logs/$name.log" | head -n 20 | sed 's/^/  /'
    done
    exit 1
fi
say "no crash"
