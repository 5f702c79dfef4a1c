// The send-time explorer in headless Chromium (not a test: it prints figures).
//   node bench/explore_browser_bench.mjs --tenant DIR [--runs 3]
// DIR is a generated tenant with its snapshot (`reachlens generate` then `reachlens
// snapshot --out DIR/tenant.rlsnap`; bench/run.sh leaves both in its data folder). Needs
// scripts/build_web.sh. Loads the snapshot into the page, makes the moment to everyone
// (01-) and then the mass send (03-) the draft, opens the 发送时机 tab and waits for its 30
// bars; prints the explorer's compute time (the sum of its per-frame slices,
// src/model/send_time_explorer.cpp: the page draws between them), the wall time from the tab's
// click to the 30th bar, and the longest main-thread task meanwhile (PerformanceObserver
// 'longtask': only tasks over 50 ms are reported, so 0 means none) and the longest gap
// between animation frames. A RESULT line at the end for bench/run.sh.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './browser_common.mjs';
import { WEB, callBytes, clickTab, launchBrowser, openApp, startServer, waitIdle, watchMainThread } from '../tests/browser/helpers.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const tenant = arg('--tenant', null);
const runs = Number(arg('--runs', 3));
if (!tenant) throw new Error('usage: node bench/explore_browser_bench.mjs --tenant DIR [--runs 3]');

const snapshot = readFileSync(join(tenant, 'tenant.rlsnap'));
const campaign = (prefix) => readFileSync(join(tenant, 'campaigns', readdirSync(join(tenant, 'campaigns')).find((f) => f.startsWith(prefix))), 'utf8');
const server = await startServer(WEB, { routes: { '/bench/tenant.rlsnap': { body: snapshot, type: 'application/octet-stream' } } });
const browser = await launchBrowser();
try {
  const { context, page } = await openApp(browser, `${server.url}?data=none`, { width: 1440, height: 900 });
  const loaded = await page.evaluate(async (url) => {
    const M = window.reachlens.module;
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const ptr = M._malloc(bytes.length) >>> 0;
    M.HEAPU8.set(bytes, ptr);
    const ok = M._rl_load_dataset_json(ptr, bytes.length);
    M._free(ptr);
    return { ok, bytes: bytes.length };
  }, `${server.url}bench/tenant.rlsnap`);
  if (loaded.ok !== 0) throw new Error('the snapshot did not load');
  console.log(`tenant ${tenant}: snapshot ${(loaded.bytes / 1e6).toFixed(1)} MB loaded`);
  const fields = [];
  for (const [name, label, prefix] of [['moment', 'moment to everyone', '01-'], ['mass', 'mass send (6 clauses)', '03-']]) {
    const compute = [], wall = [], longest = [], gaps = [];
    const doc = JSON.parse(campaign(prefix));
    for (let i = 0; i < runs; ++i) {
      await clickTab(page, 'drafts', { timeout: 120_000 });
      doc.content.text = `run ${i}`;  // an edit: the explorer starts again
      if (await callBytes(page, 'rl_set_campaign_json', JSON.stringify(doc)) !== 0) throw new Error('the campaign did not load');
      await waitIdle(page, 600_000);  // the draft's own preview first (at 1M on a loaded VM, minutes)
      const collect = await watchMainThread(page);
      const t0 = Date.now();
      // The tab's click is settled once the explorer stops asking for frames (at 1M, seconds).
      await clickTab(page, 'send_time', { timeout: 600_000 });
      await page.waitForFunction(() => {
        const p = JSON.parse(window.reachlens.callString('rl_panel_json', 'send_time'));
        return p.explore && !p.running && p.explore.days.length === 30;
      }, null, { timeout: 600_000, polling: 50 });
      wall.push(Date.now() - t0);
      const watched = await collect();
      longest.push(watched.longest_task);
      gaps.push(watched.longest_gap);
      compute.push(JSON.parse(await page.evaluate(() => window.reachlens.callString('rl_panel_json', 'send_time'))).compute_ms);
    }
    console.log(`explore 30 days, ${label}: compute median ${median(compute).toFixed(0)} ms of [${compute.map((x) => x.toFixed(0)).join(', ')}]; ` +
                `wall median ${median(wall)} ms (frames drawn between slices); ` +
                `longest main-thread task ${Math.max(...longest).toFixed(0)} ms (0: none over 50 ms), ` +
                `longest frame gap ${Math.max(...gaps).toFixed(0)} ms, over ${runs} runs`);
    fields.push(`${name}_ms=${median(compute).toFixed(0)} ${name}_wall_ms=${median(wall)} ${name}_longest_task_ms=${Math.max(...longest).toFixed(0)}`);
  }
  console.log(`RESULT chromium_explore ${fields.join(' ')}`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
