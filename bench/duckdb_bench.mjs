// DuckDB side by side with ReachLens (not a test: it prints figures and checks answers).
//   node bench/duckdb_bench.mjs --tenant DIR [--threads 1,0] [--runs 5]
// DIR is a generated tenant (dataset.json, campaigns/). The tables are loaded first (not
// timed: "tables preloaded"), then the enterprise moment draft (campaigns/01-*, by
// bench/sql/moment_summary.sql) and the 6-clause mass send (campaigns/03-*, by
// bench/sql/mass_send_summary.sql) are computed: audience, reached and blocked customers
// per reason under the wecom-2025 preset, the same summary `reachlens preview` prints. Each
// answer is checked equal to the CLI's on the same tenant. --threads 0 = all threads. The
// tables are also exported for DuckDB-WASM (TENANT/duckdb-tables/) when not yet current.
// Needs @duckdb/node-api (bash bench/run.sh installs it: npm, pinned, not in package.json).
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { median } from './browser_common.mjs';
import { boundQueries, countVerdicts, exportTables, exportedTables, sameSummary } from './duckdb_queries.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const tenant = arg('--tenant');
if (!tenant) { console.error('usage: node bench/duckdb_bench.mjs --tenant DIR [--threads 1,0] [--runs 5]'); process.exit(2); }
const threadsList = arg('--threads', '1,0').split(',').map(Number);
const runs = Number(arg('--runs', 5));

const { loadSql, queries } = boundQueries(tenant, join(tenant, 'dataset.json'));

for (const threads of threadsList) {
  const instance = await DuckDBInstance.create(':memory:', threads > 0 ? { threads: String(threads) } : {});
  const db = await instance.connect();
  const t0 = performance.now();
  await db.run(loadSql);
  const loadMs = performance.now() - t0;
  // The tables for bench/duckdb_wasm_bench.mjs, while they are loaded (the JSON is read once).
  if (!exportedTables(tenant, loadSql)) await exportTables(db, tenant, loadSql);
  const fields = [];
  let allEqual = true;
  for (const q of queries) {
    const times = [], cpus = [];
    let rows;
    for (let i = 0; i < runs; ++i) {
      const q0 = performance.now();
      const c0 = process.cpuUsage();  // DuckDB's threads run in this process: its CPU time, all threads
      rows = (await db.runAndReadAll(q.text)).getRowObjectsJS();
      const c = process.cpuUsage(c0);
      times.push(performance.now() - q0);
      cpus.push((c.user + c.system) / 1000);
    }
    const got = countVerdicts(rows);
    const equal = sameSummary(got, q.want);
    allEqual = allEqual && equal;
    console.log(`duckdb ${threads > 0 ? threads + ' thread' : 'all threads'}: ${q.label} median ${median(times).toFixed(1)} ms wall, ` +
      `${median(cpus).toFixed(1)} ms CPU (all threads) of ${runs}; answer ${equal ? 'EQUAL to' : 'DIFFERS from'} reachlens ` +
      `(audience ${got.audience}, reached ${got.reached}, blocked ${JSON.stringify(got.blocked)})`);
    if (!equal) console.log(`  reachlens: ${JSON.stringify(q.want)}`);
    fields.push(`${q.name}_ms=${median(times).toFixed(1)} ${q.name}_cpu_ms=${median(cpus).toFixed(1)}`);
  }
  console.log(`duckdb ${threads > 0 ? threads + ' thread' : 'all threads'}: tables loaded in ${loadMs.toFixed(0)} ms`);
  console.log(`RESULT duckdb threads=${threads} ${fields.join(' ')} equal=${allEqual}`);
  db.closeSync?.();
}
