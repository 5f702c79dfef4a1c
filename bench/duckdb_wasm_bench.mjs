// DuckDB-WASM in headless Chromium, side by side with ReachLens (not a test: it prints figures
// and checks answers).
//   node bench/duckdb_wasm_bench.mjs --tenant DIR [--runs 5]
// DIR is a generated tenant (dataset.json, tenant.rlsnap, campaigns/). DuckDB-WASM cannot read
// the JSON here (its json extension is fetched at run time from extensions.duckdb.org, out of
// this machine's reach), so it reads the tables bench/sql/load_tables.sql builds, exported once
// by @duckdb/node-api as gzipped CSV with their column types (bench/duckdb_queries.mjs
// exportTables). The page (the same headless flags as the browser tests) runs DuckDB-WASM's
// single-threaded "eh" bundle in its worker, self-hosted from node_modules (no CDN); the
// tables are fetched, registered and created with their types first (not timed: "tables
// preloaded"), then the enterprise moment (campaigns/01-*) and the 6-clause mass send
// (campaigns/03-*) are computed --runs times by the same SQL as bench/duckdb_bench.mjs
// (bench/sql/), each answer checked equal to `reachlens preview`'s.
// Times are wall clock in the page (performance.now() around conn.query, the worker's round
// trip included). Needs @duckdb/duckdb-wasm and @duckdb/node-api (bash bench/run.sh installs
// them: npm, pinned, not in package.json).
import { DuckDBInstance } from '@duckdb/node-api';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launchBrowser } from '../tests/browser/helpers.mjs';
import { median, serveFiles } from './browser_common.mjs';
import { boundQueries, countVerdicts, exportTables, exportedTables, sameSummary } from './duckdb_queries.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const tenant = arg('--tenant');
if (!tenant) { console.error('usage: node bench/duckdb_wasm_bench.mjs --tenant DIR [--runs 5]'); process.exit(2); }
const runs = Number(arg('--runs', 5));
const { loadSql, queries } = boundQueries(tenant, join(tenant, 'dataset.json'));

let exported = exportedTables(tenant, loadSql);
if (!exported) {  // bench/duckdb_bench.mjs writes it as it loads the tables; standalone, this does
  const t0 = performance.now();
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(loadSql);
  exported = await exportTables(db, tenant, loadSql);
  db.closeSync?.();
  console.log(`duckdb-wasm: tables exported to ${exported.dir} by @duckdb/node-api in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const { dir: tablesDir, tables } = exported;
const compressedMb = Object.keys(tables).reduce((s, t) => s + statSync(join(tablesDir, t + '.csv.gz')).size, 0) / 1e6;

// The page: DuckDB-WASM's async API (duckdb-browser.mjs imports apache-arrow, which imports
// flatbuffers and tslib: an import map resolves them to node_modules).
const PAGE = `<!doctype html><meta charset="utf-8"><title>DuckDB-WASM bench</title>
<script type="importmap">{"imports": {"apache-arrow": "/arrow/Arrow.dom.mjs", "flatbuffers": "/flatbuffers/flatbuffers.js",
                              "tslib": "/tslib/tslib.es6.mjs"}}</script>
<script type="module">
import * as duckdb from '/duckdb/duckdb-browser.mjs';
let db, conn;
window.bench = {
  async open() {
    db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker('/duckdb/duckdb-browser-eh.worker.js'));
    await db.instantiate('/duckdb/duckdb-eh.wasm');
    await db.open({});
    conn = await db.connect();
    await conn.query("SET autoinstall_known_extensions = false");
    return db.getVersion();
  },
  async load(tables) {
    const t0 = performance.now();
    const sqlString = (s) => "'" + s.replaceAll("'", "''") + "'";
    for (const [t, columns] of Object.entries(tables)) {
      const file = t + '.csv.gz';
      await db.registerFileBuffer(file, new Uint8Array(await (await fetch('/tables/' + file)).arrayBuffer()));
      const types = Object.entries(columns).map(([c, type]) => sqlString(c) + ': ' + sqlString(type)).join(', ');
      await conn.query('CREATE TABLE ' + t + ' AS SELECT * FROM read_csv(' + sqlString(file) + ', header = true, auto_detect = false, ' +
                       'columns = {' + types + '})');
      await db.dropFile(file);
    }
    return performance.now() - t0;
  },
  async query(sql) {
    const t0 = performance.now();
    const result = await conn.query(sql);
    const ms = performance.now() - t0;
    return { ms, rows: result.toArray().map((r) => ({ verdict: r.verdict, customers: Number(r.customers) })) };
  },
};
window.benchReady = true;
</script>`;
const { server, base } = await serveFiles({
  '/duckdb/': join(ROOT, 'node_modules/@duckdb/duckdb-wasm/dist'),
  '/arrow/': join(ROOT, 'node_modules/apache-arrow'),
  '/flatbuffers/': join(ROOT, 'node_modules/flatbuffers/mjs'),
  '/tslib/': join(ROOT, 'node_modules/tslib'),
  '/tables/': tablesDir,
}, { '/': PAGE });
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext()).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base);
  await page.waitForFunction(() => window.benchReady, null, { timeout: 30_000 }).catch(() => {
    throw new Error(`the DuckDB-WASM page did not start: ${errors.join('; ')}`);
  });
  const version = await page.evaluate(() => window.bench.open());
  const loadMs = await page.evaluate((t) => window.bench.load(t), tables);
  console.log(`duckdb-wasm ${version} (eh bundle, 1 thread) in Chromium: ${Object.keys(tables).length} tables from ` +
              `${compressedMb.toFixed(1)} MB of gzipped CSV loaded in ${loadMs.toFixed(0)} ms`);
  const fields = [];
  let allEqual = true;
  for (const q of queries) {
    const times = [];
    let rows;
    for (let i = 0; i < runs; ++i) {
      const r = await page.evaluate((sql) => window.bench.query(sql), q.text);
      times.push(r.ms);
      rows = r.rows;
    }
    const got = countVerdicts(rows);
    const equal = sameSummary(got, q.want);
    allEqual = allEqual && equal;
    console.log(`duckdb-wasm: ${q.label} median ${median(times).toFixed(1)} ms, best ${Math.min(...times).toFixed(1)} ms wall of ${runs}; ` +
                `answer ${equal ? 'EQUAL to' : 'DIFFERS from'} reachlens (audience ${got.audience}, reached ${got.reached}, ` +
                `blocked ${JSON.stringify(got.blocked)})`);
    if (!equal) console.log(`  reachlens: ${JSON.stringify(q.want)}`);
    fields.push(`${q.name}_ms=${median(times).toFixed(1)} ${q.name}_best_ms=${Math.min(...times).toFixed(1)}`);
  }
  console.log(`RESULT duckdb_wasm ${fields.join(' ')} equal=${allEqual}`);
} finally {
  await browser.close();
  server.close();
}
