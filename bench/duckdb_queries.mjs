// The DuckDB side of the scale bench, shared by bench/duckdb_bench.mjs (@duckdb/node-api) and
// bench/duckdb_wasm_bench.mjs (DuckDB-WASM in Chromium): the SQL of bench/sql/ bound to a
// generated tenant's campaigns, ReachLens' answers to check DuckDB's against, and the tables
// exported for DuckDB-WASM.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync,
         writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = process.env.REACHLENS_CLI || join(ROOT, 'build/native/reachlens');
const sql = (name) => readFileSync(join(ROOT, 'bench/sql', name), 'utf8');

// {loadSql, queries: [{name, label, text, want}]} for the tenant in `tenant`; the tables
// are read from `datasetFile` (a path, or the name DuckDB-WASM registered the bytes under).
export function boundQueries(tenant, datasetFile) {
  const campaignAt = (prefix) => join(tenant, 'campaigns', readdirSync(join(tenant, 'campaigns')).find((f) => f.startsWith(prefix)));
  const datasetPath = join(tenant, 'dataset.json');
  const snapshot = join(tenant, 'tenant.rlsnap');

  // ReachLens' answer (its time comes from bench, on a warm session).
  const cliSummary = (campaignPath) => JSON.parse(execFileSync(CLI, ['preview', '--dataset', snapshot, '--campaign', campaignPath,
    '--preset', 'wecom-2025'], { maxBuffer: 1 << 30 }).toString());

  const head = (() => {  // the enterprise object is near the top; the file may be larger than a JS string
    const fd = openSync(datasetPath, 'r');
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
    return buf.subarray(0, n).toString('utf8');
  })();
  const tz = Number((/"tz_offset_minutes"\s*:\s*(-?\d+)/.exec(head) || [0, 480])[1]);
  const sqlList = (xs, type) => `[${xs.map((x) => typeof x === 'string' ? `'${x.replaceAll("'", "''")}'` : String(x)).join(',')}]::${type}[]`;

  // The parameters both queries share: the send time, its local month (the presets' month
  // quotas) and the senders.
  function common(campaign) {
    const t = campaign.send_time;
    const local = new Date((t + tz * 60) * 1000);
    const monthBegin = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) / 1000 - tz * 60;
    const monthEnd = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) / 1000 - tz * 60;
    return {
      send_time: t, month_begin: monthBegin, month_end: monthEnd, days_in_month: Math.round((monthEnd - monthBegin) / 86400),
      department_list: sqlList(campaign.senders.department_list || [], 'BIGINT'),
      user_list: sqlList(campaign.senders.user_list || [], 'VARCHAR'),
    };
  }
  // The 6-clause filter's operands, clause by clause (bench/sql/mass_send_summary.sql).
  function massSendParams(campaign) {
    const p = common(campaign);
    const clauses = campaign.audience.filter.all;
    const find = (test, what) => { const c = clauses.find(test); if (!c) throw new Error(`the mass send has no ${what} clause`); return c; };
    p.tags_any = sqlList(find((c) => c.tags_any, 'tags_any').tags_any, 'VARCHAR');
    p.tags_none = sqlList(find((c) => c.tags_none, 'tags_none').tags_none, 'VARCHAR');
    const spend = find((c) => c.attr === 'spend_90d' && c.op === 'gte', 'spend_90d gte');
    p.spend_min = String(spend.value);
    p.cities = sqlList(find((c) => c.attr === 'city' && c.op === 'in', 'city in').value, 'VARCHAR');
    p.added_days = String(find((c) => c.added_within_days, 'added_within_days').added_within_days);
    const received = find((c) => c.not && c.not.received, 'not received').not.received;
    if (received.kind !== 'mass_send' || received.min !== 1) throw new Error('the received clause is not "no mass send within N days"');
    p.received_days = String(received.within_days);
    if (clauses.length !== 6) throw new Error(`expected 6 clauses, got ${clauses.length}`);
    return p;
  }
  const bind = (text, params) => Object.entries(params)
    .sort((a, b) => b[0].length - a[0].length)  // $month_begin before $month...
    .reduce((q, [k, v]) => q.replaceAll('$' + k, String(v)), text);

  const queries = [
    { name: 'moment', label: 'enterprise moment', campaign: campaignAt('01-'), sql: 'moment_summary.sql', params: common },
    { name: 'mass', label: '6-clause mass send', campaign: campaignAt('03-'), sql: 'mass_send_summary.sql', params: massSendParams },
  ];
  for (const q of queries) {
    const campaign = JSON.parse(readFileSync(q.campaign, 'utf8'));
    q.text = bind(sql(q.sql), q.params(campaign));
    const s = cliSummary(q.campaign);
    q.want = { audience: s.audience, reached: s.reached, blocked: s.blocked };
  }
  return { loadSql: sql('load_tables.sql').replaceAll('$dataset', datasetFile.replaceAll("'", "''")), queries };
}

// Rows {verdict, customers} -> {audience, reached, blocked: {reason: customers}}.
export function countVerdicts(rows) {
  const got = { audience: 0, reached: 0, blocked: {} };
  for (const r of rows) {
    const n = Number(r.customers);
    got.audience += n;
    if (r.verdict === 'reached') got.reached += n;
    else got.blocked[r.verdict] = n;
  }
  return got;
}

const sorted = (o) => JSON.stringify(o, Object.keys(o).sort());
export const sameSummary = (a, b) => a.audience === b.audience && a.reached === b.reached && sorted(a.blocked) === sorted(b.blocked);

// DuckDB-WASM fetches its json and parquet extensions from extensions.duckdb.org at run time
// (out of this machine's reach); its CSV reader is built in. So the tables load_tables.sql
// builds from the JSON are exported as gzipped CSV into TENANT/duckdb-tables/ with their
// column types (tables.json), once per dataset.json and load SQL (its stamp says which).
const exportDir = (tenant) => join(tenant, 'duckdb-tables');
function exportStamp(tenant, loadSql) {
  const st = statSync(join(tenant, 'dataset.json'));
  return JSON.stringify({ format: 'csv.gz', size: st.size, mtime: st.mtimeMs, sql: createHash('sha256').update(loadSql).digest('hex') });
}
// {dir, tables: {name: {column: type}}} when the export is current, else null.
export function exportedTables(tenant, loadSql) {
  const manifest = join(exportDir(tenant), 'tables.json');
  if (!existsSync(manifest)) return null;
  const m = JSON.parse(readFileSync(manifest, 'utf8'));
  return m.stamp === exportStamp(tenant, loadSql) ? { dir: exportDir(tenant), tables: m.tables } : null;
}
// Writes the export from `db` (a @duckdb/node-api connection with loadSql's tables built);
// a reader never sees half of it (written beside, then renamed).
export async function exportTables(db, tenant, loadSql) {
  const dir = exportDir(tenant), tmp = dir + '.tmp';
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const tables = {};  // name -> {column: type}, for read_csv's `columns`
  for (const r of (await db.runAndReadAll('SELECT table_name, column_name, data_type FROM duckdb_columns() ' +
                                          'WHERE NOT internal ORDER BY table_name, column_index')).getRowObjectsJS())
    (tables[r.table_name] ||= {})[r.column_name] = r.data_type;
  for (const t of Object.keys(tables))
    await db.run(`COPY ${t} TO '${join(tmp, t + '.csv.gz').replaceAll("'", "''")}' (FORMAT csv, HEADER, COMPRESSION gzip)`);
  writeFileSync(join(tmp, 'tables.json'), JSON.stringify({ stamp: exportStamp(tenant, loadSql), tables }));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, tables };
}
