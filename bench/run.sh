#!/usr/bin/env bash
# The scale benchmark, one command (prints figures; not part of the test command):
#   bash bench/run.sh [--sizes 100k,1M,10M] [--data /work-area/scale-data] [--runs 5]
# For each size: a generated tenant (written once into --data, outside the repo; default
# ../scale-data next to the repository), its snapshot (rewritten from the JSON when older than
# this build reads; at sizes past 2M, where the JSON is not loaded, reported instead), then
#   - native (one core): JSON and snapshot load time and peak memory (each in its own
#     process), preview cold and warm for the enterprise moment and the 6-clause mass send,
#     the send-time explorer's 30 candidates (bench/bench.cpp);
#   - the same bench as wasm under node (build/wasm/bench.js, when built: cmake --build
#     build/wasm --target bench), snapshot only;
#   - Chromium (bench/browser_bench.mjs --tenant: the snapshot loaded as the page loads it,
#     then both previews; the page's wasm heap and Chromium's peak resident memory; a load
#     the page refuses is reported with its reason) and the explorer in the page
#     (bench/explore_browser_bench.mjs), when the web bundle is built (scripts/build_web.sh);
#   - DuckDB (@duckdb/node-api, npm) with 1 thread and all threads, and DuckDB-WASM (1 thread)
#     in the same Chromium from the same tables (bench/duckdb_wasm_bench.mjs), tables
#     preloaded, computing both summaries (bench/sql/), each answer checked equal to
#     `reachlens preview`'s;
#   - serve.py's submission re-check on the tenant's snapshot (bench/serve_recheck_bench.py);
# then the figures side by side, and every target of issue 12 (and the explorer's of issue 13)
# with its figure and PASS or MISS. Native, DuckDB node-api and re-check figures are CPU time
# (the machine is shared, so wall clocks measure the neighbours too); wasm, Chromium and
# DuckDB-WASM figures are wall clock (performance.now()).
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
# DuckDB is the benchmark's alone: installed here (pinned, not saved), not by the test setup;
# both in one npm run (a second --no-save install would remove the first).
[ -d node_modules/@duckdb/node-api ] && [ -d node_modules/@duckdb/duckdb-wasm ] ||
    npm install --no-save --no-audit --no-fund @duckdb/node-api@1.5.6-r.1 @duckdb/duckdb-wasm@1.32.0 >/dev/null
mkdir -p "$DATA"
number() { local s="${1,,}"; s="${s/k/000}"; s="${s/m/000000}"; echo "$s"; }
RESULTS="$(mktemp)"
ERRORS="$(mktemp)"
trap 'rm -f "$RESULTS" "$ERRORS"' EXIT
# Runs a stage whose figures end in a RESULT line; when it fails, a RESULT line saying so
# (the table prints the reason). $1: the RESULT kind and size, e.g. "chromium customers=N".
# Stages that are pipelines run as `bash -o pipefail -c '...'`; stderr lines are cut at 300
# characters (an uncaught wasm exception prints the whole minified module).
stage() {
    local what="$1"; shift
    if ! "$@" 2> >(cut -c1-300 | tee "$ERRORS" >&2) | tee -a "$RESULTS"; then
        sleep 0.2  # the stderr copy may still be writing
        local reason
        reason="$(grep -v '^\s*at ' "$ERRORS" | grep -m1 -iE 'error|fail|refus|memory|killed|crash|timeout' | cut -c1-160 || true)"
        echo "  (failed: ${reason:-no reason printed})"
        echo "RESULT $what failed=${reason:-no reason printed}" >>"$RESULTS"
    fi
}
echo "ReachLens scale bench: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for size in ${SIZES//,/ }; do
    n="$(number "$size")"
    dir="$DATA/$n"
    if [ ! -f "$dir/dataset.json" ]; then
        echo "generating $n customers into $dir ..."
        build/native/reachlens generate --customers "$n" --seed 42 --out "$dir" >/dev/null
    fi
    # A snapshot this build reads (the data folder may hold one of an older version).
    snapshot_ok=1
    if ! build/native/bench --snapshot-version "$dir/tenant.rlsnap" >/dev/null; then
        if [ "$n" -le 2000000 ]; then
            echo "$(build/native/bench --snapshot-version "$dir/tenant.rlsnap"): rewriting it from the JSON"
            build/native/reachlens snapshot --dataset "$dir/dataset.json" --out "$dir/tenant.rlsnap"
        else
            echo "  $(build/native/bench --snapshot-version "$dir/tenant.rlsnap"); at $n customers the JSON is not loaded here:"
            echo "  write it with build/native/reachlens snapshot --dataset $dir/dataset.json --out $dir/tenant.rlsnap"
            snapshot_ok=0
            echo "RESULT chromium customers=$n failed=$(build/native/bench --snapshot-version "$dir/tenant.rlsnap" | sed 's/^.*: //')" >>"$RESULTS"
        fi
    fi
    if [ "$n" -le 2000000 ]; then
        build/native/bench --data "$DATA" --format json --customers "$n" | tee -a "$RESULTS"
    else
        echo "  ($n customers: JSON load skipped, its peak exceeds this machine's budget; snapshot only)"
    fi
    if [ "$snapshot_ok" = 1 ]; then
        build/native/bench --data "$DATA" --format snapshot --customers "$n" | tee -a "$RESULTS"
        if [ -f build/wasm/bench.js ]; then
            echo "wasm under node:"
            stage "wasm customers=$n" bash -o pipefail -c 'node build/wasm/bench.js --data "$1" --format snapshot --customers "$2" |
                sed "s/^RESULT customers=/RESULT wasm customers=/"' _ "$DATA" "$n"
        fi
        if [ -f build/wasm/web/index.html ]; then
            echo "Chromium:"
            stage "chromium customers=$n" node bench/browser_bench.mjs --tenant "$dir"
            if [ "$n" -le 2000000 ]; then
                echo "Chromium, the send-time explorer:"
                stage "chromium_explore customers=$n" bash -o pipefail -c 'node bench/explore_browser_bench.mjs --tenant "$1" --runs "$3" |
                    sed "s/^RESULT chromium_explore /RESULT chromium_explore customers=$2 /"' _ "$dir" "$n" "$RUNS"
            fi
        fi
        echo "serve.py re-check:"
        stage "serve_recheck customers=$n" bash -o pipefail -c 'python3 bench/serve_recheck_bench.py --tenant "$1" --runs "$3" |
            sed "s/^RESULT serve_recheck /RESULT serve_recheck customers=$2 /"' _ "$dir" "$n" "$RUNS"
        if [ "$n" -le 2000000 ]; then
            echo "DuckDB (node-api):"
            REACHLENS_CLI=build/native/reachlens node bench/duckdb_bench.mjs --tenant "$dir" --threads 1,0 --runs "$RUNS" \
                | sed "s/^RESULT duckdb /RESULT duckdb customers=$n /" | tee -a "$RESULTS"
            if [ -f build/wasm/web/index.html ]; then  # the browser tests' Chromium is there
                echo "DuckDB-WASM in Chromium:"
                stage "duckdb_wasm customers=$n" bash -o pipefail -c 'REACHLENS_CLI=build/native/reachlens node bench/duckdb_wasm_bench.mjs \
                    --tenant "$1" --runs "$3" | sed "s/^RESULT duckdb_wasm /RESULT duckdb_wasm customers=$2 /"' _ "$dir" "$n" "$RUNS"
            fi
        fi
    fi
done
python3 - "$RESULTS" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    if not line.startswith("RESULT "):
        continue
    line, _, failed = line.rstrip("\n").partition(" failed=")
    words = line.split()
    kv = dict(p.split("=", 1) for p in words[1:] if "=" in p)
    r = rows.setdefault(int(kv["customers"]), {})
    what = words[1] if "=" not in words[1] else "native"
    if failed:
        r[what + "_failed"] = failed
        if "peak_rss_mb" in kv:
            r[what + "_rss"] = float(kv["peak_rss_mb"])
        if "largest_rss_mb" in kv:
            r[what + "_largest"] = float(kv["largest_rss_mb"])
        continue
    num = lambda k: float(kv[k]) if k in kv and kv[k] not in ("-", "") else None
    if what == "duckdb":
        t = kv["threads"]
        r["duckdb%s_moment" % t] = num("moment_cpu_ms"); r["duckdb%s_mass" % t] = num("mass_cpu_ms")
        r["equal"] = r.get("equal", True) and kv["equal"] == "true"
    elif what == "duckdb_wasm":
        r["duckdbwasm_moment"] = num("moment_ms"); r["duckdbwasm_mass"] = num("mass_ms")
        r["equal_wasm"] = kv["equal"] == "true"
    elif what == "chromium":
        r["chromium_load"] = num("load_ms"); r["chromium_task"] = num("longest_task_ms"); r["chromium_heap"] = num("heap_mb")
        r["chromium_rss"] = num("peak_rss_mb"); r["chromium_largest"] = num("largest_rss_mb")
        r["chromium_moment"] = num("moment_ms"); r["chromium_mass"] = num("mass_ms")
    elif what == "chromium_explore":
        r["chromium_explore_moment"] = num("moment_ms"); r["chromium_explore_mass"] = num("mass_ms")
        r["chromium_explore_moment_wall"] = num("moment_wall_ms"); r["chromium_explore_mass_wall"] = num("mass_wall_ms")
    elif what == "serve_recheck":
        r["recheck_cpu"] = num("recheck_cpu_ms"); r["recheck_wall"] = num("recheck_ms"); r["recheck_http"] = num("http_ms")
    elif what == "wasm":
        r["wasm_load"] = num("load_ms"); r["wasm_peak"] = num("peak_mb")
        r["wasm_moment"] = num("moment_ms"); r["wasm_mass"] = num("mass_ms")
    else:
        f = kv["format"]
        r[f + "_load"] = num("load_cpu_ms"); r[f + "_peak"] = num("peak_mb")
        r["cold"] = num("cold_cpu_ms") if "cold_cpu_ms" in kv else num("cold_ms")
        r["moment"] = num("moment_ms"); r["mass"] = num("mass_ms")
        r["explore_moment"] = num("explore_moment_cpu_ms"); r["explore_mass"] = num("explore_mass_cpu_ms")
def cell(v, fmt="%.1f"):
    return "-" if v is None else fmt % v
def ratio(a, b, fmt="%.0fx"):
    return "-" if a is None or not b else fmt % (a / b)
def answers(r, key):
    return "-" if key not in r else ("equal" if r[key] else "DIFFER")
print("\nLoad and memory")
print("| customers | JSON load ms (cpu) | JSON peak MB | snapshot load ms (cpu) | snapshot peak MB | wasm/node snapshot load ms | wasm heap MB | Chromium load ms (fetch + sliced load) | longest task ms | Chromium wasm heap MB | Chromium peak resident MB (all processes) | renderer peak resident MB |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for n in sorted(rows):
    r = rows[n]
    line = " | ".join(cell(r.get(k)) for k in ("json_load", "json_peak", "snapshot_load", "snapshot_peak", "wasm_load", "wasm_peak",
                                               "chromium_load", "chromium_task", "chromium_heap", "chromium_rss", "chromium_largest"))
    if "chromium_failed" in r:
        line += " (Chromium failed: %s)" % r["chromium_failed"]
    print("| %d | %s |" % (n, line))
for q, label in (("moment", "enterprise moment to everyone"), ("mass", "6-clause mass send")):
    print("\nWarm preview, %s (ms; ReachLens native and DuckDB node-api cpu, the rest wall)" % label)
    print("| customers | ReachLens native | wasm/node | ReachLens Chromium | DuckDB 1 thread | DuckDB all threads | DuckDB-WASM (Chromium, 1 thread) | DuckDB 1t / native | DuckDB-WASM / ReachLens Chromium | Chromium / native | answers node-api | answers WASM |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in sorted(rows):
        r = rows[n]
        print("| %d | %s |" % (n, " | ".join([
            cell(r.get(q)), cell(r.get("wasm_" + q)), cell(r.get("chromium_" + q)), cell(r.get("duckdb1_" + q)),
            cell(r.get("duckdb0_" + q)), cell(r.get("duckdbwasm_" + q)), ratio(r.get("duckdb1_" + q), r.get(q)),
            ratio(r.get("duckdbwasm_" + q), r.get("chromium_" + q)), ratio(r.get("chromium_" + q), r.get(q), "%.1fx"),
            answers(r, "equal"), answers(r, "equal_wasm")])))
print("\nSend-time explorer, 30 candidate days (ms; native cpu, Chromium the sum of its slices; wall to the 30th bar in brackets) and serve.py's re-check")
print("| customers | explore moment native | explore mass native | explore moment Chromium | explore mass Chromium | serve.py re-check cpu (wall) | POST through serve.py wall |")
print("|---|---|---|---|---|---|---|")
for n in sorted(rows):
    r = rows[n]
    chromium = lambda k: "-" if r.get(k) is None else "%s (%s)" % (cell(r[k], "%.0f"), cell(r.get(k + "_wall"), "%.0f"))
    print("| %d | %s | %s | %s | %s | %s | %s |" % (
        n, cell(r.get("explore_moment"), "%.0f"), cell(r.get("explore_mass"), "%.0f"), chromium("chromium_explore_moment"),
        chromium("chromium_explore_mass"),
        "-" if r.get("recheck_cpu") is None else "%.0f (%.0f)" % (r["recheck_cpu"], r["recheck_wall"]), cell(r.get("recheck_http"), "%.0f")))

# The targets (issue 12, and issue 13's explorer), each with its figure and PASS or MISS.
M, TEN = 1000000, 10000000
def fig(n, key):
    return rows.get(n, {}).get(key)
def failed(n, what):
    return rows.get(n, {}).get(what + "_failed")
targets = []  # (what, figure text, PASS/MISS/-)
def at_most(what, n, value, limit, unit="ms", note=""):
    if value is None:
        reason = "not run" if n not in rows else "no figure"
        targets.append((what, "- (%s)" % reason, "-"))
    else:
        targets.append((what, ("%.1f %s" % (value, unit)) + note, "PASS" if value <= limit else "MISS"))
def at_least_ratio(what, a, b, limit):
    if a is None or not b:
        targets.append((what, "- (not run)", "-"))
    else:
        targets.append((what, "%.0fx (%.1f / %.1f ms)" % (a / b, a, b), "PASS" if a / b >= limit else "MISS"))
def within_ratio(what, a, b, limit):
    if a is None or not b:
        targets.append((what, "- (not run)", "-"))
    else:
        targets.append((what, "%.2fx (%.1f / %.1f ms)" % (a / b, a, b), "PASS" if a / b <= limit else "MISS"))
at_most("native warm moment to everyone, 1M, one core (cpu) <= 20 ms", M, fig(M, "moment"), 20)
at_most("native 6-clause mass send, 1M (cpu) <= 10 ms", M, fig(M, "mass"), 10)
at_most("native cold preview, 1M (cpu) <= 60 ms", M, fig(M, "cold"), 60)
at_most("native warm moment, 10M, snapshot (cpu) <= 250 ms", TEN, fig(TEN, "moment"), 250)
at_most("native warm mass send, 10M, snapshot (cpu) <= 250 ms", TEN, fig(TEN, "mass"), 250)
at_most("snapshot load, 1M, native (cpu) <= 300 ms", M, fig(M, "snapshot_load"), 300)
at_most("snapshot load, 1M, Chromium (data panel, wall) <= 1 s", M, fig(M, "chromium_load"), 1000)
at_most("peak memory, 1M snapshot load, native <= 600 MB", M, fig(M, "snapshot_peak"), 600, "MB",
        "" if fig(M, "json_peak") is None else " (the JSON load's: %.0f MB)" % fig(M, "json_peak"))
# The renderer's resident peak (it holds the wasm heap); the sum over Chromium's processes
# counts their shared pages once per process.
if failed(TEN, "chromium"):
    targets.append(("10M in Chromium <= 2.5 GB (renderer's peak resident)", "failed: %s" % failed(TEN, "chromium"), "MISS"))
else:
    at_most("10M in Chromium <= 2.5 GB (renderer's peak resident)", TEN, fig(TEN, "chromium_largest"), 2500, "MB",
            "" if fig(TEN, "chromium_heap") is None else " (wasm heap %.0f MB, all processes %.0f MB)"
            % (fig(TEN, "chromium_heap"), fig(TEN, "chromium_rss") or 0))
within_ratio("Chromium within 2x of native, 1M warm moment", fig(M, "chromium_moment"), fig(M, "moment"), 2)
within_ratio("Chromium within 2x of native, 1M warm mass send", fig(M, "chromium_mass"), fig(M, "mass"), 2)
at_least_ratio("ReachLens >= 50x DuckDB 1 thread, 1M moment", fig(M, "duckdb1_moment"), fig(M, "moment"), 50)
at_least_ratio("ReachLens >= 50x DuckDB 1 thread, 1M mass send", fig(M, "duckdb1_mass"), fig(M, "mass"), 50)
at_most("serve.py submission re-check, 1M (the CLI's cpu) <= 1 s", M, fig(M, "recheck_cpu"), 1000, "ms",
        "" if fig(M, "recheck_wall") is None else " (wall %.0f ms)" % fig(M, "recheck_wall"))
at_most("explorer 30 candidates, 1M, native moment (cpu) <= 1 s", M, fig(M, "explore_moment"), 1000)
at_most("explorer 30 candidates, 1M, native mass send (cpu) <= 1 s", M, fig(M, "explore_mass"), 1000)
at_most("explorer 30 candidates, 1M, Chromium moment (slices) <= 2 s", M, fig(M, "chromium_explore_moment"), 2000)
at_most("explorer 30 candidates, 1M, Chromium mass send (slices) <= 2 s", M, fig(M, "chromium_explore_mass"), 2000)
for n in sorted(rows):
    for key, what in (("equal", "DuckDB node-api"), ("equal_wasm", "DuckDB-WASM")):
        if key in rows[n]:
            targets.append(("%s answers equal to reachlens preview, %d" % (what, n), "equal" if rows[n][key] else "DIFFER",
                            "PASS" if rows[n][key] else "MISS"))
failures = [(n, k[:-len("_failed")], v) for n in sorted(rows) for k, v in sorted(rows[n].items()) if k.endswith("_failed")]
if failures:
    print("\nFailed stages")
    for n, what, reason in failures:
        print("- %d customers, %s: %s" % (n, what, reason))
print("\nTargets (issue 12; the explorer's from issue 13)")
print("| target | figure | |")
print("|---|---|---|")
for what, figure, verdict in targets:
    print("| %s | %s | %s |" % (what, figure, verdict))
PY
