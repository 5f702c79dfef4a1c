// Browser figures for a snapshot tenant (node bench/browser_bench.mjs --tenant DIR; prints
// numbers, not a test). DIR holds tenant.rlsnap and campaigns/ (as bench/run.sh writes
// them). In headless Chromium on this machine:
//   - the load through the data panel's URL path (fetch with byte progress, then the
//     engine's load a slice per frame): wall time, longest main-thread task, longest gap
//     between frames, the wasm heap before and after;
//   - the first and warm previews of the enterprise moment (01-) and the 6-clause mass send (03-);
//   - the same snapshot loaded in one task (the engine's one-pass entry), for comparison
//     (files under 2 GB: the page cannot hold a bigger one whole);
//   - Chromium's resident memory at its peak (sampled every 200 ms over its processes: the
//     whole tree, and the largest process, the renderer holding the wasm heap).
// One RESULT line at the end for bench/run.sh.
import { createServer } from 'node:http';
import { createReadStream, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { WEB, launchBrowser, openApp, waitIdle, watchMainThread } from '../tests/browser/helpers.mjs';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const fmt = (x) => x.toFixed(1);

// Resident memory (MB) of this node process's Chromium: every process below it, read from
// /proc, sampled until stopped; the peaks of the tree's sum and of its largest process.
function sampleChromiumRss(periodMs = 200) {
  const procs = () => {
    const parent = new Map(), rss = new Map();
    for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        rss.set(Number(pid), m ? Number(m[1]) / 1024 : 0);
      } catch { /* gone meanwhile */ }
    }
    return { parent, rss };
  };
  const peak = { tree: 0, largest: 0 };
  const sample = () => {
    const { parent, rss } = procs();
    const mine = (pid) => { for (let p = parent.get(pid); p; p = parent.get(p)) if (p === process.pid) return true; return false; };
    let tree = 0, largest = 0;
    for (const [pid, mb] of rss) if (mine(pid)) { tree += mb; largest = Math.max(largest, mb); }
    peak.tree = Math.max(peak.tree, tree);
    peak.largest = Math.max(peak.largest, largest);
  };
  const timer = setInterval(sample, periodMs);
  return { peak, stop() { clearInterval(timer); sample(); return peak; } };
}

// build/wasm/web, plus `file` at `urlPath`, streamed (a tenant too big to hold in memory).
export async function serveWebWith(urlPath, file, web = WEB) {
  const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.otf': 'font/otf' };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const target = path === urlPath ? file : normalize(join(web, path === '/' ? 'index.html' : path.slice(1)));
    if (target !== file && (!target.startsWith(resolve(web)) || !statSync(target, { throwIfNoEntry: false })?.isFile())) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': TYPES[extname(target)] || 'application/octet-stream', 'Content-Length': statSync(target).size });
    createReadStream(target).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

export async function snapshotBench(tenantDir, edits) {
  const snapshot = join(tenantDir, 'tenant.rlsnap');
  const bytes = statSync(snapshot).size;
  const campaignFile = (prefix) => readFileSync(join(tenantDir, 'campaigns', readdirSync(join(tenantDir, 'campaigns')).find((f) => f.startsWith(prefix))), 'utf8');
  const moment = campaignFile('01-'), massSend = campaignFile('03-');

  const { server, base } = await serveWebWith('/bench/tenant.rlsnap', snapshot);
  const browser = await launchBrowser();
  const rss = sampleChromiumRss();
  try {
    const { context, page } = await openApp(browser, `${base}?data=none`, { width: 1440, height: 900 });
    const heapBefore = await page.evaluate(() => window.reachlens.module.HEAPU8.length);
    const load = await page.evaluate(async (url) => {
      const tasks = [];
      const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push(e.duration); });
      observer.observe({ type: 'longtask' });
      const gaps = [];
      let last = performance.now(), running = true;
      const tick = (t) => { gaps.push(t - last); last = t; if (running) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      const t0 = performance.now();
      let fetched = 0;
      const poll = setInterval(() => {
        const d = JSON.parse(window.reachlens.callString('rl_panel_json', 'data'));
        if (d.parsing && !fetched) fetched = performance.now();
      }, 5);
      const ok = await window.ReachLensData.loadUrl(url);
      const t1 = performance.now();
      clearInterval(poll);
      await new Promise((r) => setTimeout(r, 100));
      running = false;
      observer.disconnect();
      const d = JSON.parse(window.reachlens.callString('rl_panel_json', 'data'));
      return { ok, total: t1 - t0, fetch: (fetched || t1) - t0, engine: t1 - (fetched || t1), longest: Math.max(0, ...tasks),
               long: tasks.length, gap: Math.max(0, ...gaps), frames: gaps.length, customers: d.summary && d.summary.customers,
               engine_ms: d.summary && d.summary.load_ms, model_mb: d.summary && d.summary.memory_mb, error: d.error,
               heap: window.reachlens.module.HEAPU8.length };
    }, `${base}bench/tenant.rlsnap`);
    if (!load.ok) throw new Error('the snapshot did not load: ' + load.error);
    console.log(`snapshot ${(bytes / 1e6).toFixed(0)} MB, ${load.customers} customers, through the data panel: ${fmt(load.total)} ms ` +
                `(fetch ${fmt(load.fetch)} ms, engine ${fmt(load.engine)} ms wall over ${load.frames} frames, ${fmt(load.engine_ms)} ms in its slices)`);
    console.log(`  longest main-thread task ${fmt(load.longest)} ms (${load.long} over 50 ms), longest gap between frames ${fmt(load.gap)} ms`);
    console.log(`  wasm heap ${(heapBefore / 1048576).toFixed(0)} MB before, ${(load.heap / 1048576).toFixed(0)} MB after ` +
                `(the engine's model ${fmt(load.model_mb)} MB; the heap held the file too while loading)`);

    const setCampaign = (text) => page.evaluate((t) => {
      const M = window.reachlens.module;
      const b = new TextEncoder().encode(t);
      const ptr = M._malloc(b.length);
      M.HEAPU8.set(b, ptr);
      const t0 = performance.now();
      const rc = M._rl_set_campaign_json(ptr, b.length);
      const s = JSON.parse(window.reachlens.callString('rl_summary_json'));
      const ms = performance.now() - t0;
      M._free(ptr);
      if (rc !== 0) throw new Error('campaign refused');
      return { ms, engine: JSON.parse(window.reachlens.callString('rl_state_json')).recompute_ms, audience: s.audience, reached: s.reached };
    }, text);
    const rssLoad = { ...rss.peak };
    console.log(`  Chromium resident peak while loading: ${fmt(rssLoad.tree)} MB over its processes, ${fmt(rssLoad.largest)} MB the largest`);
    const figures = {};
    const previewTasks = await watchMainThread(page);
    for (const [name, text] of [['moment', moment], ['mass', massSend]]) {
      const cold = await setCampaign(text);
      const doc = JSON.parse(text);
      const warm = [];
      for (let i = 0; i < edits; ++i) {
        doc.content.text = `edit ${i}`;
        warm.push(await setCampaign(JSON.stringify(doc)));
      }
      figures[name] = { cold: cold.ms, warm: median(warm.map((r) => r.engine)) };
      console.log(`${name === 'moment' ? 'enterprise moment' : '6-clause mass send'}: first preview ${fmt(cold.ms)} ms ` +
                  `(audience ${cold.audience}, reached ${cold.reached}); warm recompute (engine) median ${fmt(figures[name].warm)} ms`);
    }
    await waitIdle(page, 120_000);
    const during = await previewTasks();
    const heapAfter = await page.evaluate(() => window.reachlens.module.HEAPU8.length);
    console.log(`wasm heap after the previews: ${(heapAfter / 1048576).toFixed(0)} MB; longest main-thread task while ` +
                `previewing ${fmt(during.longest_task)} ms (${during.long_tasks} over 50 ms)`);
    console.log(`Chromium resident peak: ${fmt(rss.peak.tree)} MB over its processes, ${fmt(rss.peak.largest)} MB the largest`);
    await context.close();
    if (bytes >= 2 ** 31) {
      console.log('(no one-task load: the page cannot hold a file over 2 GB whole)');
      console.log(`RESULT chromium customers=${load.customers} load_ms=${fmt(load.total)} engine_slices_ms=${fmt(load.engine_ms)} ` +
                  `longest_task_ms=${fmt(load.longest)} heap_mb=${(heapAfter / 1048576).toFixed(0)} rss_peak_mb=${fmt(rss.peak.largest)} ` +
                  `moment_cold_ms=${fmt(figures.moment.cold)} moment_ms=${fmt(figures.moment.warm)} mass_cold_ms=${fmt(figures.mass.cold)} ` +
                  `mass_ms=${fmt(figures.mass.warm)}`);
      return;
    }

    // The one-task load, in a fresh page, for comparison.
    const fresh = await openApp(browser, `${base}?data=none`, { width: 1440, height: 900 });
    const one = await fresh.page.evaluate(async (url) => {
      const M = window.reachlens.module;
      const b = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const ptr = M._malloc(b.length);
      M.HEAPU8.set(b, ptr);
      const t0 = performance.now();
      const rc = M._rl_load_dataset_json(ptr, b.length);
      const ms = performance.now() - t0;
      M._free(ptr);
      return { rc, ms };
    }, `${base}bench/tenant.rlsnap`);
    console.log(`the same snapshot in one task (rl_load_dataset_json): ${fmt(one.ms)} ms`);
    await fresh.context.close();
    console.log(`RESULT chromium customers=${load.customers} load_ms=${fmt(load.total)} engine_slices_ms=${fmt(load.engine_ms)} ` +
                `one_task_ms=${fmt(one.ms)} longest_task_ms=${fmt(load.longest)} heap_mb=${(heapAfter / 1048576).toFixed(0)} ` +
                `moment_cold_ms=${fmt(figures.moment.cold)} moment_ms=${fmt(figures.moment.warm)} mass_cold_ms=${fmt(figures.mass.cold)} ` +
                `mass_ms=${fmt(figures.mass.warm)}`);
  } finally {
    rss.stop();
    await browser.close();
    server.close();
  }
}
