// Browser figures for loading a JSON dataset through the data panel (prints numbers, not a test):
//   node bench/browser_json_load_bench.mjs --tenant ../scale-data/1000000 [--main-thread]
// DIR holds dataset.json. In headless Chromium on this machine, the URL path of the data
// panel: the bytes streamed into the dataset worker (web/dataset-worker.js), parsed and
// checked there and written as a snapshot, which the page then loads a slice per frame.
// Prints the wall time of each phase, the longest main-thread task and frame gap, the page's
// wasm heap, and the peak resident memory of all Chromium processes (sampled every 100 ms
// from /proc; the worker lives in the page's renderer process). --main-thread loads the
// same file the way the page did before the worker (one long parse task), for comparison.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { WEB, launchBrowser, openApp } from '../tests/browser/helpers.mjs';
import { loadThroughDataPanel, sampleChromiumRss, serveFiles } from './browser_common.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const tenantDir = arg('--tenant', null);
if (!tenantDir) { console.error('usage: node bench/browser_json_load_bench.mjs --tenant DIR [--main-thread]'); process.exit(2); }
const mainThread = args.includes('--main-thread');
const dataset = join(tenantDir, 'dataset.json');
const bytes = statSync(dataset).size;
const fmt = (x) => x.toFixed(0);

const { server, base } = await serveFiles({ '/': WEB, '/bench/dataset.json': dataset });
const browser = await launchBrowser();
try {
  const { context, page } = await openApp(browser, `${base}?data=none`, { width: 1440, height: 900 });
  if (mainThread) await page.evaluate(() => { window.ReachLensData.workerUrl = null; });
  const rss = sampleChromiumRss();
  // Chromium's own trace of the renderer's main thread: each task's wall time and its thread
  // CPU time (tdur), which a loaded machine does not inflate the way it does wall time.
  await browser.startTracing(page, { categories: ['toplevel'] });
  const load = await loadThroughDataPanel(page, `${base}bench/dataset.json`);
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
  const events = trace.traceEvents || trace;
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const traced = events.filter((e) => e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`) && e.dur >= 0 && /RunTask/.test(e.name));
  const mostCpu = traced.reduce((m, e) => ((e.tdur || 0) > (m.tdur || 0) ? e : m), { dur: 0, tdur: 0 });
  const cpuOver50 = traced.filter((e) => (e.tdur || 0) > 50_000).length;
  const rssPeak = rss.peak();
  rss.stop();
  if (!load.ok) throw new Error('the dataset did not load: ' + load.error);
  // The longest task in each phase: reading into the worker, its parse, the page's stepped load.
  const longestIn = (from, to) => Math.max(0, ...load.tasks.filter((t) => t.start >= from && t.start < to).map((t) => t.duration));
  const phases = [longestIn(load.t0, load.parsing), longestIn(load.parsing, load.converted), longestIn(load.converted, load.t1)];
  const how = mainThread ? 'on the main thread (no worker)' : 'through the dataset worker';
  console.log(`JSON ${(bytes / 1e6).toFixed(0)} MB, ${load.customers} customers, ${how}: ${fmt(load.t1 - load.t0)} ms in all` +
              (mainThread ? '' : ` (read into the worker ${fmt(load.parsing - load.t0)} ms, parse + snapshot ` +
                                  `${fmt(load.converted - load.parsing)} ms, the page's stepped load ${fmt(load.t1 - load.converted)} ms)`));
  console.log(`  longest main-thread task ${fmt(load.longest_task)} ms (${load.long_tasks} over 50 ms; per phase: read ${fmt(phases[0])}, ` +
              `parse ${fmt(phases[1])}, stepped load ${fmt(phases[2])}), longest gap between frames ` +
              `${fmt(load.longest_gap)} ms over ${load.frames} frames`);
  console.log(`  renderer main thread (Chromium trace, ${traced.length} tasks): most CPU in one task ` +
              `${fmt((mostCpu.tdur || 0) / 1000)} ms (${fmt(mostCpu.dur / 1000)} ms wall); ${cpuOver50} tasks over 50 ms of CPU`);
  console.log(`  page wasm heap after ${(load.heap / 1048576).toFixed(0)} MB (engine model ${load.model_mb.toFixed(0)} MB); ` +
              `Chromium resident memory ${(rss.before / 1048576).toFixed(0)} MB before, peak ${(rssPeak / 1048576).toFixed(0)} MB`);
  console.log(`RESULT chromium_json customers=${load.customers} worker=${!mainThread} load_ms=${fmt(load.t1 - load.t0)} ` +
              `longest_task_ms=${fmt(load.longest_task)} longest_task_cpu_ms=${fmt((mostCpu.tdur || 0) / 1000)} longest_gap_ms=${fmt(load.longest_gap)} peak_rss_mb=${(rssPeak / 1048576).toFixed(0)}`);
  await context.close();
} finally {
  await browser.close();
  server.close();
}
