// Browser figures for a snapshot tenant (node bench/browser_bench.mjs --tenant DIR; prints
// numbers, not a test). DIR holds tenant.rlsnap and campaigns/ (as bench/run.sh writes
// them). In headless Chromium on this machine:
//   - the load through the data panel's URL path (fetch with byte progress, the engine's
//     load a slice per frame as the bytes arrive): wall time, longest main-thread task,
//     longest gap between frames, the wasm heap before and after (a load the page refuses
//     prints a RESULT line with the reason);
//   - the first and warm previews of the enterprise moment (01-) and the 6-clause mass send (03-);
//   - the same snapshot loaded in one task (the engine's one-pass entry), for comparison
//     (files under 2 GB: the page cannot hold a bigger one whole);
//   - Chromium's resident memory at its peak (sampled every 100 ms over its processes: the
//     whole tree, and the largest process, the renderer holding the wasm heap).
// One RESULT line at the end for bench/run.sh.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WEB, launchBrowser, openApp, waitIdle, watchMainThread } from '../tests/browser/helpers.mjs';
import { loadThroughDataPanel, median, sampleChromiumRss, serveFiles } from './browser_common.mjs';

const fmt = (x) => x.toFixed(1);

// The tenant's size from its folder name (bench/run.sh's <data>/<N>), for a load that failed.
const customersOf = (dir) => Number(/(\d+)\/?$/.exec(dir)?.[1] || 0);

export async function snapshotBench(tenantDir, edits) {
  const snapshot = join(tenantDir, 'tenant.rlsnap');
  const bytes = statSync(snapshot).size;
  const campaignFile = (prefix) => readFileSync(join(tenantDir, 'campaigns', readdirSync(join(tenantDir, 'campaigns')).find((f) => f.startsWith(prefix))), 'utf8');
  const moment = campaignFile('01-'), massSend = campaignFile('03-');

  const { server, base } = await serveFiles({ '/': WEB, '/bench/tenant.rlsnap': snapshot });
  const browser = await launchBrowser();
  const rss = sampleChromiumRss();
  try {
    const { context, page } = await openApp(browser, `${base}?data=none`, { width: 1440, height: 900 });
    const heapBefore = await page.evaluate(() => window.reachlens.module.HEAPU8.length);
    const load = await loadThroughDataPanel(page, `${base}bench/tenant.rlsnap`);
    const rssPeak = rss.peak();
    if (!load.ok) {
      // bench/run.sh prints the reason in its table (e.g. a 10M tenant past what the page holds).
      const reason = String(load.error || 'no reason given').replace(/\s+/g, ' ');
      console.log(`the snapshot did not load: ${reason}`);
      console.log(`RESULT chromium customers=${customersOf(tenantDir)} peak_rss_mb=${(rssPeak / 1048576).toFixed(0)} ` +
                  `largest_rss_mb=${(rss.largest() / 1048576).toFixed(0)} failed=${reason}`);
      await context.close();
      return;
    }
    const total = load.t1 - load.t0;
    // web/data.js streams a snapshot into the engine as its bytes arrive: "parsing" comes at the end only.
    console.log(`snapshot ${(bytes / 1e6).toFixed(0)} MB, ${load.customers} customers, through the data panel: ${fmt(total)} ms ` +
                `(fetched and loaded over ${load.frames} frames, the engine ${fmt(load.engine_ms)} ms in its slices; ` +
                `${fmt(load.t1 - load.parsing)} ms after the last byte)`);
    console.log(`  longest main-thread task ${fmt(load.longest_task)} ms (${load.long_tasks} over 50 ms), longest gap between frames ` +
                `${fmt(load.longest_gap)} ms`);
    console.log(`  wasm heap ${(heapBefore / 1048576).toFixed(0)} MB before, ${(load.heap / 1048576).toFixed(0)} MB after ` +
                `(the engine's model ${fmt(load.model_mb)} MB; the heap held the file too while loading); ` +
                `Chromium resident ${(rss.before / 1048576).toFixed(0)} MB before, peak ${(rssPeak / 1048576).toFixed(0)} MB over ` +
                `its processes, ${(rss.largest() / 1048576).toFixed(0)} MB the largest`);

    const setCampaign = (text) => page.evaluate((t) => {
      const M = window.reachlens.module;
      const b = new TextEncoder().encode(t);
      const ptr = M._malloc(b.length) >>> 0;
      M.HEAPU8.set(b, ptr);
      const t0 = performance.now();
      const rc = M._rl_set_campaign_json(ptr, b.length);
      const s = JSON.parse(window.reachlens.callString('rl_summary_json'));
      const ms = performance.now() - t0;
      M._free(ptr);
      if (rc !== 0) throw new Error('campaign refused');
      return { ms, engine: JSON.parse(window.reachlens.callString('rl_state_json')).recompute_ms, audience: s.audience, reached: s.reached };
    }, text);
    // The first preview of each, then warm previews: the two drafts alternate, so each is
    // simulated again on the warm session (an edit of the content alone would reuse the last
    // result, PreviewSession::reuse, and measure nothing of the simulation), as bench's
    // warm figures are.
    const previewTasks = await watchMainThread(page);
    const drafts = { moment: JSON.parse(moment), mass: JSON.parse(massSend) };
    const cold = {}, warm = { moment: [], mass: [] };
    for (const name of ['moment', 'mass']) cold[name] = await setCampaign(JSON.stringify(drafts[name]));
    for (let i = 0; i < edits; ++i) {
      for (const name of ['moment', 'mass']) {
        drafts[name].content.text = `edit ${i}`;
        warm[name].push(await setCampaign(JSON.stringify(drafts[name])));
      }
    }
    const figures = {};
    for (const name of ['moment', 'mass']) {
      figures[name] = { cold: cold[name].ms, warm: median(warm[name].map((r) => r.engine)) };
      console.log(`${name === 'moment' ? 'enterprise moment' : '6-clause mass send'}: first preview ${fmt(cold[name].ms)} ms ` +
                  `(audience ${cold[name].audience}, reached ${cold[name].reached}); warm preview (engine, the drafts alternating) ` +
                  `median ${fmt(figures[name].warm)} ms of [${warm[name].map((r) => fmt(r.engine)).join(', ')}]`);
    }
    await waitIdle(page, 120_000);
    const during = await previewTasks();
    const heapAfter = await page.evaluate(() => window.reachlens.module.HEAPU8.length);
    console.log(`wasm heap after the previews: ${(heapAfter / 1048576).toFixed(0)} MB; longest main-thread task while ` +
                `previewing ${fmt(during.longest_task)} ms (${during.long_tasks} over 50 ms)`);
    const peakRss = rss.peak(), largestRss = rss.largest();
    console.log(`Chromium resident peak: ${(peakRss / 1048576).toFixed(0)} MB over its processes, ` +
                `${(largestRss / 1048576).toFixed(0)} MB the largest`);
    await context.close();
    const fields = `longest_task_ms=${fmt(load.longest_task)} heap_mb=${(heapAfter / 1048576).toFixed(0)} ` +
                   `peak_rss_mb=${(peakRss / 1048576).toFixed(0)} largest_rss_mb=${(largestRss / 1048576).toFixed(0)} ` +
                   `moment_cold_ms=${fmt(figures.moment.cold)} moment_ms=${fmt(figures.moment.warm)} mass_cold_ms=${fmt(figures.mass.cold)} ` +
                   `mass_ms=${fmt(figures.mass.warm)}`;
    if (bytes >= 2 ** 31) {
      console.log('(no one-task load: the page cannot hold a file over 2 GB whole)');
      console.log(`RESULT chromium customers=${load.customers} load_ms=${fmt(total)} engine_slices_ms=${fmt(load.engine_ms)} ${fields}`);
      return;
    }

    // The one-task load, in a fresh page, for comparison.
    const fresh = await openApp(browser, `${base}?data=none`, { width: 1440, height: 900 });
    const one = await fresh.page.evaluate(async (url) => {
      const M = window.reachlens.module;
      const b = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const ptr = M._malloc(b.length) >>> 0;
      M.HEAPU8.set(b, ptr);
      const t0 = performance.now();
      const rc = M._rl_load_dataset_json(ptr, b.length);
      const ms = performance.now() - t0;
      M._free(ptr);
      return { rc, ms };
    }, `${base}bench/tenant.rlsnap`);
    console.log(`the same snapshot in one task (rl_load_dataset_json): ${fmt(one.ms)} ms`);
    await fresh.context.close();
    console.log(`RESULT chromium customers=${load.customers} load_ms=${fmt(total)} engine_slices_ms=${fmt(load.engine_ms)} ` +
                `one_task_ms=${fmt(one.ms)} ${fields}`);
  } finally {
    rss.stop();
    await browser.close();
    server.close();
  }
}
