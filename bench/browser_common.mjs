// What the browser benches share (bench/browser_snapshot_bench.mjs, bench/browser_json_load_bench.mjs,
// bench/duckdb_wasm_bench.mjs): a streaming static server, the data panel's load as the page
// runs it (with the main thread watched), and Chromium's resident memory.
import { createServer } from 'node:http';
import { createReadStream, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { watchMainThread } from '../tests/browser/helpers.mjs';

export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
                '.json': 'application/json', '.otf': 'font/otf' };

// Serves `mounts` on 127.0.0.1 at a free port, files streamed (a tenant may not fit in this
// process's memory). A mount maps a URL path to a file, or a URL prefix ending in '/' to a
// folder (nothing outside it is served); the longest match wins. `pages`: generated
// documents, {'/path': html}. Returns {server, base}.
export async function serveFiles(mounts, pages = {}) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (pages[path] !== undefined) { res.writeHead(200, { 'Content-Type': 'text/html' }).end(pages[path]); return; }
    const prefix = prefixes.find((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));
    let file = prefix && mounts[prefix];
    if (prefix && prefix.endsWith('/')) {
      const root = resolve(file);
      file = normalize(join(root, path === prefix ? 'index.html' : path.slice(prefix.length)));
      if (!file.startsWith(root)) file = null;
    }
    const st = file && statSync(file, { throwIfNoEntry: false });
    if (!st || !st.isFile()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Content-Length': st.size });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

// Loads `url` through the data panel's URL path (window.ReachLensData.loadUrl: fetch with byte
// progress, the JSON converted by the dataset worker, the snapshot loaded a slice per frame)
// with the main thread watched (tests/browser/helpers.mjs watchMainThread). Times are the
// page's performance.now(): t0 and t1 around the load, `parsing` when all bytes were in,
// `converted` when the worker's snapshot started coming in (JSON only; else t1).
export async function loadThroughDataPanel(page, url) {
  const collect = await watchMainThread(page);
  const load = await page.evaluate(async (u) => {
    const panel = () => JSON.parse(window.reachlens.callString('rl_panel_json', 'data'));
    const t0 = performance.now();
    // The phases' ends, from the calls the page makes: all bytes are in the worker
    // (rl_data_parsing), the page's engine starts on the worker's snapshot (rl_data_stream_start).
    const M = window.reachlens.module;
    let parsing = 0, converted = 0;
    const mark = (name, at) => { const f = M['_' + name]; M['_' + name] = (...a) => { at(); return f(...a); }; return () => { M['_' + name] = f; }; };
    const unmark = [mark('rl_data_parsing', () => { if (!parsing) parsing = performance.now(); }),
                    mark('rl_data_stream_start', () => { if (!converted) converted = performance.now(); })];
    const ok = await window.ReachLensData.loadUrl(u);
    const t1 = performance.now();
    for (const f of unmark) f();
    const d = panel();
    return { ok, t0, t1, parsing: parsing || t1, converted: converted || t1, error: d.error,
             customers: d.summary && d.summary.customers, engine_ms: d.summary && d.summary.load_ms,
             model_mb: d.summary && d.summary.memory_mb, heap: window.reachlens.module.HEAPU8.length };
  }, url);
  return { ...load, ...(await collect()) };
}

// Resident memory of a process and all its descendants, in bytes (Linux /proc): {total, largest}.
function treeRss(rootPid) {
  const children = new Map();
  const rss = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      rss.set(Number(name), Number(fields[21]) * 4096);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch { /* gone meanwhile */ }
  }
  let total = 0, largest = 0;
  const stack = [...(children.get(rootPid) || [])];
  while (stack.length) {
    const pid = stack.pop();
    total += rss.get(pid) || 0;
    largest = Math.max(largest, rss.get(pid) || 0);
    stack.push(...(children.get(pid) || []));
  }
  return { total, largest };
}

// Resident memory of the processes this one started (Chromium), sampled every 100 ms from
// now on, in bytes: {before, peak(), largest(), stop()}; peak() is the peak of their sum,
// largest() the peak of the largest one (the renderer holding the wasm heap).
export function sampleChromiumRss() {
  const before = treeRss(process.pid).total;
  let peak = before, largest = 0;
  const sample = () => {
    const now = treeRss(process.pid);
    peak = Math.max(peak, now.total);
    largest = Math.max(largest, now.largest);
  };
  const timer = setInterval(sample, 100);
  return { before, peak: () => { sample(); return peak; }, largest: () => largest, stop: () => clearInterval(timer) };
}
