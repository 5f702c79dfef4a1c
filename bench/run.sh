#!/usr/bin/env bash
# The scale benchmark, one command (prints figures; not part of the test command):
#   bash bench/run.sh [--sizes 100k,1M,10M] [--data /work-area/scale-data] [--runs 5]
# For each size: a generated tenant (written once into --data, outside the repo; default
# ../scale-data next to the repository), its snapshot, then
#   - native (one core): JSON and snapshot load time and peak memory (each in its own
#     process), preview cold and warm for the enterprise moment and the 6-clause mass send;
#   - the same bench as wasm under node (build/wasm/bench.js, when built: cmake --build
#     build/wasm --target bench), snapshot only;
#   - Chromium (bench/browser_bench.mjs --tenant: the snapshot loaded as the page loads it,
#     then both previews), when the web bundle is built (scripts/build_web.sh);
#   - DuckDB (@duckdb/node-api, npm) with 1 thread and all threads, tables preloaded,
#     computing both summaries (bench/sql/), each answer checked equal to `reachlens preview`'s;
#     (DuckDB-WASM is not run: its read_json needs the json extension, which it fetches from
#     extensions.duckdb.org at run time, out of this machine's reach);
# and one table side by side with the issue's targets. Native and DuckDB node-api figures
# are CPU time (the machine is shared, so wall clocks measure the neighbours too); wasm and
# Chromium figures are wall clock (performance.now()).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZES="100k,1M"
DATA="$(cd .. && pwd)/scale-data"
RUNS=5
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES="$2"; shift 2 ;;
        --data) DATA="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        *) echo "usage: bash bench/run.sh [--sizes 100k,1M,10M] [--data DIR] [--runs N]" >&2; exit 2 ;;
    esac
done
[ -x build/native/bench ] && [ -x build/native/reachlens ] || {
    echo "build first: cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release && cmake --build build/native -j2 --target bench reachlens" >&2; exit 2; }
# DuckDB is the benchmark's alone: installed here (pinned, not saved), not by the test setup.
[ -d node_modules/@duckdb/node-api ] || npm install --no-save --no-audit --no-fund @duckdb/node-api@1.5.6-r.1 >/dev/null
mkdir -p "$DATA"
number() { local s="${1,,}"; s="${s/k/000}"; s="${s/m/000000}"; echo "$s"; }
RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS"' EXIT
echo "ReachLens scale bench: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for size in ${SIZES//,/ }; do
    n="$(number "$size")"
    dir="$DATA/$n"
    if [ ! -f "$dir/dataset.json" ]; then
        echo "generating $n customers into $dir ..."
        build/native/reachlens generate --customers "$n" --seed 42 --out "$dir" >/dev/null
    fi
    # bench rewrites a snapshot of an older version itself.
    [ -f "$dir/tenant.rlsnap" ] || build/native/reachlens snapshot --dataset "$dir/dataset.json" --out "$dir/tenant.rlsnap"
    if [ "$n" -le 2000000 ]; then
        build/native/bench --data "$DATA" --format json --customers "$n" | tee -a "$RESULTS"
    else
        echo "  ($n customers: JSON load skipped, its peak exceeds this machine's budget; snapshot only)"
    fi
    build/native/bench --data "$DATA" --format snapshot --customers "$n" | tee -a "$RESULTS"
    if [ -f build/wasm/bench.js ]; then
        echo "wasm under node:"
        node build/wasm/bench.js --data "$DATA" --format snapshot --customers "$n" \
            | sed "s/^RESULT customers=/RESULT wasm customers=/" | tee -a "$RESULTS" || echo "  (wasm under node failed)"
    fi
    if [ -f build/wasm/web/index.html ]; then
        echo "Chromium:"
        node bench/browser_bench.mjs --tenant "$dir" | tee -a "$RESULTS" || echo "  (Chromium failed)"
    fi
    if [ "$n" -le 2000000 ]; then
        REACHLENS_CLI=build/native/reachlens node bench/duckdb_bench.mjs --tenant "$dir" --threads 1,0 --runs "$RUNS" \
            | sed "s/^RESULT duckdb /RESULT duckdb customers=$n /" | tee -a "$RESULTS"
    fi
done
python3 - "$RESULTS" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    if not line.startswith("RESULT "):
        continue
    words = line.split()
    kv = dict(p.split("=", 1) for p in words[1:] if "=" in p)
    r = rows.setdefault(int(kv["customers"]), {})
    what = words[1] if "=" not in words[1] else "native"
    if what == "duckdb":
        t = kv["threads"]
        r["duckdb%s_moment" % t] = float(kv["moment_cpu_ms"]); r["duckdb%s_mass" % t] = float(kv["mass_cpu_ms"])
        r["equal"] = r.get("equal", True) and kv["equal"] == "true"
    elif what == "chromium":
        r["chromium_load"] = float(kv["load_ms"]); r["chromium_task"] = float(kv["longest_task_ms"])
        r["chromium_heap"] = float(kv["heap_mb"]); r["chromium_moment"] = float(kv["moment_ms"]); r["chromium_mass"] = float(kv["mass_ms"])
    elif what == "wasm":
        r["wasm_load"] = float(kv["load_ms"]); r["wasm_peak"] = float(kv["peak_mb"])
        r["wasm_moment"] = float(kv["moment_ms"]); r["wasm_mass"] = float(kv["mass_ms"])
    else:
        f = kv["format"]
        r[f + "_load"] = float(kv["load_cpu_ms"]); r[f + "_peak"] = float(kv["peak_mb"])
        r["cold"] = float(kv.get("cold_cpu_ms", kv["cold_ms"])); r["moment"] = float(kv["moment_ms"]); r["mass"] = float(kv["mass_ms"])
def cell(v, fmt="%.1f"):
    return "-" if v is None else fmt % v
def ratio(a, b):
    return "-" if a is None or not b else "%.0fx" % (a / b)
print("\nLoad and memory")
print("| customers | JSON load ms (cpu) | JSON peak MB | snapshot load ms (cpu) | snapshot peak MB | wasm/node snapshot load ms | wasm heap MB | Chromium load ms (fetch + sliced load) | longest task ms | Chromium heap MB |")
print("|---|---|---|---|---|---|---|---|---|---|")
for n in sorted(rows):
    r = rows[n]
    print("| %d | %s |" % (n, " | ".join(cell(r.get(k)) for k in ("json_load", "json_peak", "snapshot_load", "snapshot_peak", "wasm_load", "wasm_peak",
                                                                     "chromium_load", "chromium_task", "chromium_heap"))))
for q, label in (("moment", "enterprise moment to everyone"), ("mass", "6-clause mass send")):
    print("\nWarm preview, %s (ms; ReachLens native and DuckDB node-api cpu, the rest wall)" % label)
    print("| customers | ReachLens native | wasm/node | Chromium | DuckDB 1 thread | DuckDB all threads | DuckDB 1t / native | Chromium / native | answers |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sorted(rows):
        r = rows[n]
        print("| %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            n, cell(r.get(q)), cell(r.get("wasm_" + q)), cell(r.get("chromium_" + q)), cell(r.get("duckdb1_" + q)),
            cell(r.get("duckdb0_" + q)), ratio(r.get("duckdb1_" + q), r.get(q)),
            "-" if r.get("chromium_" + q) is None or not r.get(q) else "%.1fx" % (r["chromium_" + q] / r[q]),
            "-" if "equal" not in r else ("equal" if r["equal"] else "DIFFER")))
print("\ntargets (native, one core, 1M): warm moment <= 20 ms, 6-clause <= 10 ms, cold <= 60 ms; 10M warm <= 250 ms;"
      " snapshot load 1M <= 300 ms native, <= 1 s Chromium; peak 1M load <= 600 MB; 10M in the browser <= 2.5 GB;"
      " Chromium within 2x of native; ReachLens >= 50x DuckDB 1 thread at 1M")
PY
