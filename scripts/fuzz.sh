#!/usr/bin/env bash
# Fuzzes the engine's input readers with libFuzzer (issue 10; targets in fuzz/CMakeLists.txt).
#
#   bash scripts/fuzz.sh [BUILD_DIR]        default build/sanitize (configured by scripts/test.sh:
#                                           clang, -DREACHLENS_FUZZ=ON)
#   FUZZ_SECONDS=40  per target             FUZZ_JOBS=2  targets fuzzed at once
#
# For each fuzz_<name> in BUILD_DIR/fuzz:
#   1. replays fuzz/regressions/<name>/ (inputs that once crashed or hung: regression tests);
#   2. seeds a scratch corpus (BUILD_DIR/fuzz-corpus/<name>) from a small generated tenant
#      (reachlens generate), the spec examples, the rules presets and fuzz/regressions/,
#      and fuzzes for FUZZ_SECONDS;
#   3. prints the executions it ran (stat::number_of_executed_units).
# Fails on any crash, sanitizer report, leak or an input running over 10 s; the input is
# left in BUILD_DIR/fuzz-artifacts/<name>/ (copy it into fuzz/regressions/<name>/ with
# the fix, so the replay keeps it fixed).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD="${1:-build/sanitize}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-40}"
JOBS="${FUZZ_JOBS:-2}"
# The spec examples: $REACHLENS_EXAMPLES_DIR, else the build's (CMake cache), else tests/spec_examples.
EXAMPLES="${REACHLENS_EXAMPLES_DIR:-$(sed -n 's/^REACHLENS_EXAMPLES_DIR:PATH=//p' "$BUILD/CMakeCache.txt" 2>/dev/null)}"
EXAMPLES="${EXAMPLES:-$ROOT/tests/spec_examples}"

say() { echo "[fuzz] $*"; }

targets=()
for bin in "$BUILD"/fuzz/fuzz_*; do
    [ -x "$bin" ] && targets+=("$(basename "$bin" | sed 's/^fuzz_//')")
done
if [ "${#targets[@]}" -eq 0 ]; then
    say "no fuzz targets in $BUILD/fuzz (configure with CXX=clang++ -DREACHLENS_FUZZ=ON and build reachlens_fuzzers)"
    exit 1
fi

# A small tenant from the project's own generator (dataset + campaigns): seeds that reach
# deep into every reader even where the spec examples are not checked out.
TENANT="$BUILD/fuzz-seed-tenant"
make_tenant() {
    local cli
    for cli in "$BUILD/reachlens" build/native/reachlens; do
        if [ -x "$cli" ]; then
            rm -rf "$TENANT"
            "$cli" generate --customers 20 --seed 3 --out "$TENANT" >/dev/null 2>&1 || continue
            # The snapshot target's seed: the same tenant as a snapshot (docs/snapshot.md).
            "$cli" snapshot --dataset "$TENANT/dataset.json" --out "$TENANT/tenant.rlsnap" >/dev/null 2>&1 || true
            return 0
        fi
    done
    say "warning: no reachlens CLI to generate a seed tenant; seeding from the spec examples only"
}

# seed NAME DIR: fills the scratch corpus DIR for target NAME from the seed tenant, the
# spec examples (REACHLENS_EXAMPLES_DIR), the rules presets and fuzz/regressions/NAME.
seed() {
    mkdir -p "$2"
    python3 - "$1" "$2" "$TENANT" "$EXAMPLES" assets/rules <<'PY'
import glob, os, sys
name, out, tenant, examples, presets = sys.argv[1:6]

def read(path):
    with open(path, "rb") as f:
        return f.read()

cases = []  # (dataset path, [campaign paths], rules path or None)
if os.path.isfile(os.path.join(tenant, "dataset.json")):
    cases.append((os.path.join(tenant, "dataset.json"), sorted(glob.glob(os.path.join(tenant, "campaigns", "*.json"))), None))
for folder in sorted(glob.glob(os.path.join(examples, "*"))):
    if os.path.isfile(os.path.join(folder, "dataset.json")):
        rules = os.path.join(folder, "rules.json")
        cases.append((os.path.join(folder, "dataset.json"), sorted(glob.glob(os.path.join(folder, "campaign.json"))),
                      rules if os.path.isfile(rules) else None))

def filters(node):
    """Every audience filter and sub-expression of a campaign."""
    import json
    if isinstance(node, dict):
        if any(k in node for k in ("all", "any", "not", "tags_any", "tags_all", "attr", "received", "customers",
                                   "owner", "department", "gender", "added_within_days", "tag_filter")):
            yield json.dumps(node, ensure_ascii=False).encode("utf-8")
        for v in node.values():
            yield from filters(v)
    elif isinstance(node, list):
        for v in node:
            yield from filters(v)

seeds = []
for dataset, campaigns, rules in cases:
    if name == "dataset":
        seeds.append(read(dataset))
    elif name == "snapshot" and os.path.isfile(os.path.join(os.path.dirname(dataset), "tenant.rlsnap")):
        seeds.append(read(os.path.join(os.path.dirname(dataset), "tenant.rlsnap")))
    elif name == "campaign":
        seeds.extend(read(c) for c in campaigns)
    elif name == "rules" and rules:
        seeds.append(read(rules))
    elif name == "expression":
        import json
        for c in campaigns:
            seeds.extend(filters(json.loads(read(c)).get("audience", {})))
    elif name == "host_messages":
        for c in campaigns:
            parts = [b"\x02" + read(c), b"\x04wecom-2021", "\x03新年 💄👍🏻".encode("utf-8")]
            if rules:
                parts.insert(0, b"\x01" + read(rules))
            seeds.append(b"\xff".join(parts))
        seeds.append(b"\x00" + read(dataset))
if name == "rules":
    seeds.extend(read(p) for p in sorted(glob.glob(os.path.join(presets, "*.json"))))
for i, data in enumerate(seeds):
    with open(os.path.join(out, "seed-%03d" % i), "wb") as f:
        f.write(data)
print(len(seeds))
PY
    if [ -d "fuzz/regressions/$1" ]; then
        cp fuzz/regressions/"$1"/* "$2"/ 2>/dev/null || true
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
    echo "seeds: $(seed "$name" "$corpus")" >>"$log"
    "$bin" "$corpus" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
           -dict=fuzz/json.dict -print_final_stats=1 -artifact_prefix="$artifacts" >>"$log" 2>&1
}

mkdir -p "$BUILD/fuzz-logs"
make_tenant
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
    seeds="$(sed -n 's/^seeds: //p' "$log")"
    say "$name: ${execs:-?} executions in ${SECONDS_PER_TARGET}s (${cov:-cov: ?}, ${seeds:-0} seeds)${replay:+, $replay}"
done
if [ "${#failed[@]}" -gt 0 ]; then
    for name in "${failed[@]}"; do
        say "FAILED: $name (log $BUILD/fuzz-logs/$name.log, input in $BUILD/fuzz-artifacts/$name/)"
        grep -E 'ERROR|runtime error|SUMMARY|Test unit written|REPLAY FAILED' "$BUILD/fuzz-logs/$name.log" | head -n 20 | sed 's/^/  /'
    done
    exit 1
fi
say "no crash"
