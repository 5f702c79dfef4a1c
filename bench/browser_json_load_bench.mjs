// Browser figures for loading a JSON dataset through the data panel (prints numbers, not a test):
//   node bench/browser_json_load_bench.mjs --tenant ../scale-data/1000000 [--main-thread]
// DIR holds dataset.json. In headless Chromium on this machine, the URL path of the data
// panel: the bytes streamed into the dataset worker (web/dataset-worker.js), parsed and
// checked there and written as a snapshot, which the page then loads a slice per frame.
// Prints the wall time of each phase, the longest main-thread task and frame gap, the page's
// wasm heap, and the peak resident memory of all Chromium processes (sampled every 100 ms
// from /proc; the worker lives in the page's renderer process). --main-thread loads the
// same file the way the page did before the worker (one long parse task), for comparison.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openApp } from '../tests/browser/helpers.mjs';
import { serveWebWith } from './browser_snapshot_bench.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const tenantDir = arg('--tenant', null);
if (!tenantDir) { console.error('usage: node bench/browser_json_load_bench.mjs --tenant DIR [--main-thread]'); process.exit(2); }
const mainThread = args.includes('--main-thread');
const dataset = join(tenantDir, 'dataset.json');
const bytes = statSync(dataset).size;
const fmt = (x) => x.toFixed(0);

// Resident memory of a process and all its descendants, in bytes (Linux /proc).
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
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    total += rss.get(pid) || 0;
    stack.push(...(children.get(pid) || []));
  }
  return total;
}

const { server, base } = await serveWebWith('/bench/dataset.json', dataset);
const browser = await launchBrowser();
try {
  const { context, page } = await openApp(browser, `${base}?data=none`, { width: 1440, height: 900 });
  if (mainThread) await page.evaluate(() => { window.ReachLensData.workerUrl = null; });
  // Chromium runs as this process's child: its tree without this process itself.
  const chromiumRss = () => treeRss(process.pid) - process.memoryUsage().rss;
  const rssBefore = chromiumRss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, chromiumRss()); }, 100);
  const load = await page.evaluate(async (url) => {
    const tasks = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration }); });
    observer.observe({ type: 'longtask' });
    const gaps = [];
    let last = performance.now(), running = true;
    const tick = (t) => { gaps.push(t - last); last = t; if (running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    let read = 0, converted = 0, jsonSize = 0;
    const poll = setInterval(() => {
      const d = JSON.parse(window.reachlens.callString('rl_panel_json', 'data'));
      if (!jsonSize && d.total_bytes) jsonSize = d.total_bytes;
      if (d.parsing && !read) read = performance.now();  // all bytes in: the worker parses
      if (read && !converted && d.total_bytes && d.total_bytes !== jsonSize) converted = performance.now();  // the snapshot comes in
    }, 5);
    const ok = await window.ReachLensData.loadUrl(url);
    const t1 = performance.now();
    clearInterval(poll);
    await new Promise((r) => setTimeout(r, 100));
    running = false;
    observer.disconnect();
    const d = JSON.parse(window.reachlens.callString('rl_panel_json', 'data'));
    // The longest task in each phase: reading into the worker, its parse, the page's stepped load.
    const longestIn = (from, to) => Math.max(0, ...tasks.filter((t) => t.start >= from && t.start < to).map((t) => t.duration));
    const phases = [longestIn(t0, read || t1), longestIn(read || t1, converted || t1), longestIn(converted || t1, t1)];
    return { ok, total: t1 - t0, read: (read || t1) - t0, convert: (converted || t1) - (read || t1), page: t1 - (converted || t1),
             phases, longest: Math.max(0, ...tasks.map((t) => t.duration)), long: tasks.length, gap: Math.max(0, ...gaps), frames: gaps.length,
             customers: d.summary && d.summary.customers, model_mb: d.summary && d.summary.memory_mb, error: d.error,
             heap: window.reachlens.module.HEAPU8.length };
  }, `${base}bench/dataset.json`);
  clearInterval(sampler);
  if (!load.ok) throw new Error('the dataset did not load: ' + load.error);
  const how = mainThread ? 'on the main thread (no worker)' : 'through the dataset worker';
  console.log(`JSON ${(bytes / 1e6).toFixed(0)} MB, ${load.customers} customers, ${how}: ${fmt(load.total)} ms in all` +
              (mainThread ? '' : ` (read into the worker ${fmt(load.read)} ms, parse + snapshot ${fmt(load.convert)} ms, ` +
                                  `the page's stepped load ${fmt(load.page)} ms)`));
  console.log(`  longest main-thread task ${fmt(load.longest)} ms (${load.long} over 50 ms; per phase: read ${fmt(load.phases[0])}, ` +
              `parse ${fmt(load.phases[1])}, stepped load ${fmt(load.phases[2])}), longest gap between frames ` +
              `${fmt(load.gap)} ms over ${load.frames} frames`);
  console.log(`  page wasm heap after ${(load.heap / 1048576).toFixed(0)} MB (engine model ${load.model_mb.toFixed(0)} MB); ` +
              `Chromium resident memory ${(rssBefore / 1048576).toFixed(0)} MB before, peak ${(rssPeak / 1048576).toFixed(0)} MB`);
  console.log(`RESULT chromium_json customers=${load.customers} worker=${!mainThread} load_ms=${fmt(load.total)} ` +
              `longest_task_ms=${fmt(load.longest)} longest_gap_ms=${fmt(load.gap)} peak_rss_mb=${(rssPeak / 1048576).toFixed(0)}`);
  await context.close();
} finally {
  await browser.close();
  server.close();
}
