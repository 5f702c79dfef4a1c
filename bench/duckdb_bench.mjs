// DuckDB side by side with ReachLens (not a test: it prints figures and checks answers).
//   node bench/duckdb_bench.mjs --tenant DIR [--threads 1,0] [--runs 5]
// DIR is a generated tenant (dataset.json, campaigns/). The tables are loaded first (not
// timed: "tables preloaded"), then the enterprise moment draft (campaigns/01-*) is
// computed by bench/sql/moment_summary.sql: audience, reached and blocked customers per
// reason under the wecom-2025 preset, the same summary `reachlens preview` prints. The
// answer is checked equal to the CLI's on the same tenant. --threads 0 = all threads.
// Needs @duckdb/node-api (bash bench/run.sh installs it: npm, pinned, not in package.json).
import { DuckDBInstance } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const tenant = arg('--tenant');
if (!tenant) { console.error('usage: node bench/duckdb_bench.mjs --tenant DIR [--threads 1,0] [--runs 5]'); process.exit(2); }
const threadsList = arg('--threads', '1,0').split(',').map(Number);
const runs = Number(arg('--runs', 5));
const CLI = process.env.REACHLENS_CLI || join(ROOT, 'build/native/reachlens');
const sql = (name) => readFileSync(join(ROOT, 'bench/sql', name), 'utf8');

const campaignPath = join(tenant, 'campaigns', readdirSync(join(tenant, 'campaigns')).find((f) => f.startsWith('01-')));
const campaign = JSON.parse(readFileSync(campaignPath, 'utf8'));
const datasetPath = join(tenant, 'dataset.json');

// ReachLens' answer (and its time, from its own preview on a warm session: see bench).
const snapshot = join(tenant, 'tenant.rlsnap');
const cliSummary = JSON.parse(execFileSync(CLI, ['preview', '--dataset', snapshot, '--campaign', campaignPath, '--preset', 'wecom-2025'],
  { maxBuffer: 1 << 30 }).toString());

// The month window of the send time, in the tenant's local time (the preset's quota).
const head = (() => {  // the enterprise object is near the top; the file may be larger than a JS string
  const fd = openSync(datasetPath, 'r');
  const buf = Buffer.alloc(65536);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return buf.subarray(0, n).toString('utf8');
})();
const tz = Number((/"tz_offset_minutes"\s*:\s*(-?\d+)/.exec(head) || [0, 480])[1]);
const t = campaign.send_time;
const local = new Date((t + tz * 60) * 1000);
const monthBegin = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) / 1000 - tz * 60;
const monthEnd = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) / 1000 - tz * 60;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
for (const threads of threadsList) {
  const instance = await DuckDBInstance.create(':memory:', threads > 0 ? { threads: String(threads) } : {});
  const db = await instance.connect();
  const t0 = performance.now();
  await db.run(sql('load_tables.sql').replaceAll('$dataset', datasetPath.replaceAll("'", "''")));
  const loadMs = performance.now() - t0;
  const query = sql('moment_summary.sql')
    .replaceAll('$send_time', String(t))
    .replaceAll('$month_begin', String(monthBegin))
    .replaceAll('$month_end', String(monthEnd))
    .replaceAll('$department_list', `[${(campaign.senders.department_list || []).join(',')}]::BIGINT[]`)
    .replaceAll('$user_list', `[${(campaign.senders.user_list || []).map((u) => `'${u.replaceAll("'", "''")}'`).join(',')}]::VARCHAR[]`);
  const times = [], cpus = [];
  let rows;
  for (let i = 0; i < runs; ++i) {
    const q0 = performance.now();
    const c0 = process.cpuUsage();  // DuckDB's threads run in this process: its CPU time, all threads
    rows = (await db.runAndReadAll(query)).getRowObjectsJS();
    const c = process.cpuUsage(c0);
    times.push(performance.now() - q0);
    cpus.push((c.user + c.system) / 1000);
  }
  const got = { audience: 0, reached: 0, blocked: {} };
  for (const r of rows) {
    const n = Number(r.customers);
    got.audience += n;
    if (r.verdict === 'reached') got.reached += n;
    else got.blocked[r.verdict] = n;
  }
  const want = { audience: cliSummary.audience, reached: cliSummary.reached, blocked: cliSummary.blocked };
  const sorted = (o) => JSON.stringify(o, Object.keys(o).sort());
  const equal = got.audience === want.audience && got.reached === want.reached && sorted(got.blocked) === sorted(want.blocked);
  console.log(`duckdb ${threads > 0 ? threads + ' thread' : 'all threads'}: tables loaded in ${loadMs.toFixed(0)} ms; ` +
    `enterprise moment median ${median(times).toFixed(1)} ms wall, ${median(cpus).toFixed(1)} ms CPU (all threads) of ${runs}; answer ${equal ? 'EQUAL to' : 'DIFFERS from'} reachlens ` +
    `(audience ${got.audience}, reached ${got.reached}, blocked ${JSON.stringify(got.blocked)})`);
  console.log(`RESULT duckdb threads=${threads} moment_ms=${median(times).toFixed(1)} moment_cpu_ms=${median(cpus).toFixed(1)} equal=${equal}`);
  if (!equal) console.log(`  reachlens: ${JSON.stringify(want)}`);
  db.closeSync?.();
}
