// Browser figures for loading a JSON dataset through the data panel (prints numbers, not a test):
//   node bench/browser_json_load_bench.mjs --tenant ../scale-data/1000000 [--main-thread] [--web DIR]
// DIR holds dataset.json. In headless Chromium on this machine, the URL path of the data
// panel: the bytes streamed into the dataset worker (web/dataset-worker.js), parsed and
// checked there and written as a snapshot, which the page then streams into its engine and
// loads a slice per task. Prints the wall time of each phase (read into the worker, the
// worker's parse and snapshot, the page's load), the longest main-thread task overall and
// per phase, the longest frame gap, the page's wasm heap, the CPU time of all Chromium
// processes, the load average, and the peak resident memory of all Chromium processes
// (sampled every 100 ms from /proc; the worker lives in the page's renderer process).
// --main-thread loads the same file the way the page did before the worker (one long parse
// task), for comparison; --web DIR serves another build of the page (default build/wasm/web).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser, openApp } from '../tests/browser/helpers.mjs';
import { serveWebWith } from './browser_snapshot_bench.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const tenantDir = arg('--tenant', null);
if (!tenantDir) { console.error('usage: node bench/browser_json_load_bench.mjs --tenant DIR [--main-thread]'); process.exit(2); }
const mainThread = args.includes('--main-thread');
const web = arg('--web', null);
const dataset = join(tenantDir, 'dataset.json');
const bytes = statSync(dataset).size;
const fmt = (x) => x.toFixed(0);

// Resident memory (bytes) and CPU time (seconds, user + system) of a process and all its
// descendants (Linux /proc).
function treeUsage(rootPid) {
  const children = new Map();
  const usage = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      usage.set(Number(name), { rss: Number(fields[21]) * 4096, cpu: (Number(fields[11]) + Number(fields[12])) / 100 });
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch { /* gone meanwhile */ }
  }
  const total = { rss: 0, cpu: 0 };
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    const u = usage.get(pid);
    if (u) { total.rss += u.rss; total.cpu += u.cpu; }
    stack.push(...(children.get(pid) || []));
  }
  return total;
}

const { server, base } = web ? await serveWebWith('/bench/dataset.json', dataset, resolve(web)) : await serveWebWith('/bench/dataset.json', dataset);
const browser = await launchBrowser();
try {
  const { context, page } = await openApp(browser, `${base}?data=none`, { width: 1440, height: 900 });
  if (mainThread) await page.evaluate(() => { window.ReachLensData.workerUrl = null; });
  // Chromium runs as this process's child: its tree without this process itself.
  const chromiumRss = () => treeUsage(process.pid).rss - process.memoryUsage().rss;
  const chromiumCpu = () => { const u = treeUsage(process.pid).cpu; const own = process.cpuUsage(); return u - (own.user + own.system) / 1e6; };
  const rssBefore = chromiumRss();
  const cpuBefore = chromiumCpu();
  const loadBefore = loadavg()[0];
  let rssPeak = rssBefore;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, chromiumRss()); }, 100);
  // Chromium's own trace of the renderer's main thread: each task's wall time and its
  // thread CPU time (tdur), which a loaded machine does not inflate the way it does wall time.
  await browser.startTracing(page, { categories: ['toplevel'] });
  const load = await page.evaluate(async (url) => {
    const tasks = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration }); });
    observer.observe({ type: 'longtask' });
    const gaps = [];
    let last = performance.now(), running = true;
    const tick = (t) => { gaps.push(t - last); last = t; if (running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    // The phases' ends, from the calls the page makes: all bytes are in the worker
    // (rl_data_parsing), the page's engine starts on the snapshot (streamed, or in one buffer
    // before the streamed path took the worker's snapshot: rl_data_start).
    const M = window.reachlens.module;
    let read = 0, converted = 0;
    const mark = (name, at) => { const f = M.asm[name]; M['_' + name] = (...a) => { at(); return f(...a); }; };
    mark('rl_data_parsing', () => { if (!read) read = performance.now(); });
    mark('rl_data_stream_start', () => { if (!converted) converted = performance.now(); });
    mark('rl_data_start', () => { if (!converted) converted = performance.now(); });
    // What the long tasks hold: the loader's engine calls (each timed) and the dashboard's
    // frames (ImGui and the software-GL draw: rl_state_json frame_ms_max).
    let longestCall = 0, longestCallName = '';
    for (const name of ['rl_data_step', 'rl_data_stream_feed', 'rl_data_stream_end', 'rl_data_progress', 'rl_data_parse_progress']) {
      const f = M['_' + name];
      M['_' + name] = (...a) => {
        const c0 = performance.now();
        const rc = f(...a);
        const ms = performance.now() - c0;
        if (ms > longestCall) { longestCall = ms; longestCallName = name; }
        return rc;
      };
    }
    M._rl_reset_frame_stats();
    const ok = await window.ReachLensData.loadUrl(url);
    const t1 = performance.now();
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
             heap: window.reachlens.module.HEAPU8.length, longestCall, longestCallName,
             longestFrame: JSON.parse(window.reachlens.callString('rl_state_json')).frame_ms_max };
  }, `${base}bench/dataset.json`);
  clearInterval(sampler);
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
  const events = trace.traceEvents || trace;
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args && e.args.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`) && e.dur >= 0 && /RunTask/.test(e.name));
  const longestWall = tasks.reduce((m, e) => (e.dur > m.dur ? e : m), { dur: 0, tdur: 0 });
  const longestCpu = tasks.reduce((m, e) => ((e.tdur || 0) > (m.tdur || 0) ? e : m), { dur: 0, tdur: 0 });
  const cpuOver50 = tasks.filter((e) => (e.tdur || 0) > 50_000).length;
  const cpu = chromiumCpu() - cpuBefore;
  const loadAfter = loadavg()[0];
  if (!load.ok) throw new Error('the dataset did not load: ' + load.error);
  const how = mainThread ? 'on the main thread (no worker)' : 'through the dataset worker';
  console.log(`JSON ${(bytes / 1e6).toFixed(0)} MB, ${load.customers} customers, ${how}: ${fmt(load.total)} ms in all` +
              (mainThread ? '' : ` (read into the worker ${fmt(load.read)} ms, parse + snapshot ${fmt(load.convert)} ms, ` +
                                  `the page's stepped load ${fmt(load.page)} ms)`));
  console.log(`  longest main-thread task ${fmt(load.longest)} ms (${load.long} over 50 ms; per phase: read ${fmt(load.phases[0])}, ` +
              `parse ${fmt(load.phases[1])}, stepped load ${fmt(load.phases[2])}), longest gap between frames ` +
              `${fmt(load.gap)} ms over ${load.frames} frames`);
  console.log(`  renderer main thread (Chromium trace, ${tasks.length} tasks): longest task ${fmt(longestWall.dur / 1000)} ms wall ` +
              `(${fmt((longestWall.tdur || 0) / 1000)} ms CPU); most CPU in one task ${fmt((longestCpu.tdur || 0) / 1000)} ms ` +
              `(${fmt(longestCpu.dur / 1000)} ms wall); ${cpuOver50} tasks over 50 ms of CPU`);
  console.log(`  longest engine call of the loader ${load.longestCall.toFixed(1)} ms (${load.longestCallName}), longest ` +
              `dashboard frame (ImGui + software GL) ${fmt(load.longestFrame)} ms`);
  console.log(`  page wasm heap after ${(load.heap / 1048576).toFixed(0)} MB (engine model ${load.model_mb.toFixed(0)} MB); ` +
              `Chromium resident memory ${(rssBefore / 1048576).toFixed(0)} MB before, peak ${(rssPeak / 1048576).toFixed(0)} MB`);
  console.log(`  CPU time of all Chromium processes during the load ${cpu.toFixed(1)} s; load average (1 min) ` +
              `${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`);
  console.log(`RESULT chromium_json customers=${load.customers} worker=${!mainThread} load_ms=${fmt(load.total)} ` +
              `longest_task_ms=${fmt(load.longest)} longest_task_cpu_ms=${fmt((longestCpu.tdur || 0) / 1000)} longest_gap_ms=${fmt(load.gap)} peak_rss_mb=${(rssPeak / 1048576).toFixed(0)} ` +
              `cpu_s=${cpu.toFixed(1)}`);
  await context.close();
} finally {
  await browser.close();
  server.close();
}
