#!/usr/bin/env bash
# The scale benchmark, one command (prints figures; not part of the test command):
#   bash bench/run.sh [--sizes 100k,1M,10M] [--data /work-area/scale-data] [--runs 5]
# For each size: a generated tenant (written once into --data, outside the repo; default
# ../scale-data next to the repository), its snapshot, then
#   - native (one core): JSON and snapshot load time and peak memory (each in its own
#     process), preview cold and warm for the enterprise moment and the 6-clause mass send;
#   - DuckDB (@duckdb/node-api, npm) with 1 thread and all threads, tables preloaded,
#     computing the enterprise moment's summary (bench/sql/moment_summary.sql), its answer
#     checked equal to `reachlens preview`'s;
# and one table side by side with the issue's targets. The table compares CPU time (the
# machine is shared, so wall clocks measure the neighbours too); both are printed above it.
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
    kv = dict(p.split("=", 1) for p in line.split()[1:] if "=" in p)
    n = int(kv["customers"])
    r = rows.setdefault(n, {})
    if line.startswith("RESULT duckdb"):
        r["duckdb%s" % kv["threads"]] = float(kv.get("moment_cpu_ms", kv["moment_ms"]))
        r["duckdb_equal"] = r.get("duckdb_equal", True) and kv["equal"] == "true"
    else:
        f = kv["format"]
        r[f + "_load"] = float(kv["load_cpu_ms"]); r[f + "_peak"] = float(kv["peak_mb"])
        r["cold"] = float(kv["cold_ms"]); r["moment"] = float(kv["moment_ms"]); r["mass"] = float(kv["mass_ms"])
def cell(v, fmt="%.1f"):
    return "-" if v is None else fmt % v
print("\n| customers | JSON load ms (cpu) | JSON peak MB | snapshot load ms (cpu) | snapshot peak MB | cold ms (wall) | warm moment ms (cpu) | warm 6-clause ms (cpu) | DuckDB 1 thread moment ms (cpu) | DuckDB all threads ms (cpu) | DuckDB / ReachLens, 1 thread, cpu | answers |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for n in sorted(rows):
    r = rows[n]
    ratio = r["duckdb1"] / r["moment"] if "duckdb1" in r and r.get("moment") else None
    print("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        n, cell(r.get("json_load")), cell(r.get("json_peak")), cell(r.get("snapshot_load")), cell(r.get("snapshot_peak")),
        cell(r.get("cold")), cell(r.get("moment")), cell(r.get("mass")), cell(r.get("duckdb1")), cell(r.get("duckdb0")),
        cell(ratio, "%.0fx"), "equal" if r.get("duckdb_equal") else ("-" if "duckdb1" not in r else "DIFFER")))
print("\ntargets (native, one core, 1M): warm moment <= 20 ms, 6-clause <= 10 ms, cold <= 60 ms; 10M warm <= 250 ms;"
      " snapshot load 1M <= 300 ms; peak 1M load <= 600 MB; ReachLens >= 50x DuckDB 1 thread at 1M")
PY
