// Browser figures for the README and the issue notes (not a test: it prints numbers).
//   node bench/browser_bench.mjs [--customers 1000000] [--edits 5]
//   node bench/browser_bench.mjs --tenant ../scale-data/1000000   a snapshot, loaded as the page does
// Needs scripts/build_web.sh and build/native/reachlens. The tenant is generated once
// into build/bench-data/<N>/ (1M customers: 1.6 GB, ~4 s), served by a streaming server,
// and loaded into the page the way the data panel does: streamed into one wasm buffer,
// then parsed by the engine. Measures, in headless Chromium on this machine:
//   - page load to an interactive dashboard with the bundled demo tenant;
//   - dataset transfer + parse; cold and warm previews; a recompute after each audience edit;
//   - ImGui frame CPU time with the per-customer table open and scrolling.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, ROOT, WEB, launchBrowser, openApp, state, waitIdle } from '../tests/browser/helpers.mjs';
import { median, serveFiles } from './browser_common.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const customers = Number(arg('--customers', 1000000));
const edits = Number(arg('--edits', 5));
// --tenant DIR: a tenant folder with tenant.rlsnap and campaigns/ (bench/run.sh's, e.g.
// ../scale-data/1000000): the snapshot is loaded the way the page loads it (the data
// panel's URL path, a slice per frame) and the page's responsiveness and memory measured.
const snapshotTenant = arg('--tenant', null);
if (snapshotTenant) {
  const { snapshotBench } = await import('./browser_snapshot_bench.mjs');
  await snapshotBench(snapshotTenant, edits);
  process.exit(0);
}

const dataDir = join(ROOT, 'build/bench-data', String(customers));
if (!existsSync(join(dataDir, 'dataset.json'))) {
  console.log(`generating a ${customers}-customer tenant into ${dataDir} ...`);
  execFileSync(CLI, ['generate', '--customers', String(customers), '--seed', '1', '--out', dataDir], { stdio: 'inherit' });
}
const datasetBytes = statSync(join(dataDir, 'dataset.json')).size;
const campaignFile = (prefix) => readdirSync(join(dataDir, 'campaigns')).find((f) => f.startsWith(prefix));
const moment = readFileSync(join(dataDir, 'campaigns', campaignFile('01-')), 'utf8');
const massSend = readFileSync(join(dataDir, 'campaigns', campaignFile('03-')), 'utf8');

// Static files from build/wasm/web plus /bench/* from the tenant folder, streamed.
const { server, base } = await serveFiles({ '/': WEB, '/bench/': dataDir });

const fmt = (x) => x.toFixed(1);
const browser = await launchBrowser();
try {
  // 1. Page load to an interactive dashboard, demo tenant (window.reachlens.ready = first frame with a preview).
  const loads = [];
  for (let i = 0; i < 3; ++i) {
    const t0 = Date.now();
    const { context } = await openApp(browser, base);
    loads.push(Date.now() - t0);
    await context.close();
  }
  console.log(`page load -> interactive dashboard (demo tenant, localhost): median ${median(loads)} ms of [${loads.join(', ')}]`);

  // 2. The big tenant.
  const { context, page } = await openApp(browser, `${base}?data=none`, { width: 1440, height: 900 });
  const load = await page.evaluate(async (url) => {
    const M = window.reachlens.module;
    const t0 = performance.now();
    const response = await fetch(url);
    const size = Number(response.headers.get('Content-Length'));
    const ptr = M._malloc(size) >>> 0;
    let at = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      M.HEAPU8.set(value, ptr + at);  // HEAPU8 is re-read: the heap may have grown
      at += value.length;
    }
    const t1 = performance.now();
    const ok = M._rl_load_dataset_json(ptr, at);
    const t2 = performance.now();
    M._free(ptr);
    return { ok, transfer: t1 - t0, parse: t2 - t1, bytes: at };
  }, `${base}bench/dataset.json`);
  if (load.ok !== 0) throw new Error('the dataset did not load: ' + await page.evaluate(() => window.reachlens.module.UTF8ToString(window.reachlens.module._rl_last_error())));
  const mb = load.bytes / 1e6;
  console.log(`dataset ${customers} customers, ${fmt(mb)} MB: transfer ${fmt(load.transfer)} ms, parse ${fmt(load.parse)} ms (${fmt(mb / (load.parse / 1000))} MB/s)`);

  const setCampaign = (text) => page.evaluate((t) => {
    const M = window.reachlens.module;
    const bytes = new TextEncoder().encode(t);
    const ptr = M._malloc(bytes.length) >>> 0;
    M.HEAPU8.set(bytes, ptr);
    const t0 = performance.now();
    const ok = M._rl_set_campaign_json(ptr, bytes.length);
    const s = window.reachlens.callString('rl_summary_json');
    const ms = performance.now() - t0;
    M._free(ptr);
    if (ok !== 0) throw new Error("rl_set_campaign_json failed");
    const engine = JSON.parse(window.reachlens.callString('rl_state_json')).recompute_ms;
    return { ok, ms, engine, audience: JSON.parse(s).audience };
  }, text);

  const cold = await setCampaign(moment);
  console.log(`moment to everyone: first preview ${fmt(cold.ms)} ms (baseline of the scheduled campaigns + draft), audience ${cold.audience}`);
  const warmMoment = [];
  const momentDoc = JSON.parse(moment);
  for (let i = 0; i < edits; ++i) {
    // The mass send between two moments: an edit of the content alone would reuse the last
    // result (PreviewSession::reuse) and measure nothing of the simulation.
    await setCampaign(massSend);
    momentDoc.content.text = `edit ${i}`;
    warmMoment.push(await setCampaign(JSON.stringify(momentDoc)));
  }
  console.log(`moment to everyone, warm preview (after the mass send): engine median ${fmt(median(warmMoment.map((r) => r.engine)))} ms; ` +
              `with the summary JSON round trip ${fmt(median(warmMoment.map((r) => r.ms)))} ms`);

  // Audience edits of the moment: its tag list, one or two of the dataset's tags (the
  // tag groups come before the customers in a generated file).
  const head = readFileSync(join(dataDir, 'dataset.json')).subarray(0, 1 << 20).toString('utf8');
  const tagSection = head.slice(head.indexOf('"tag_groups"'), head.indexOf('"customers"'));
  const tagIds = [...tagSection.matchAll(/"id": *"([^"]+)"/g)].map((m) => m[1]);
  const tagEdits = [];
  for (let i = 0; i < edits && tagIds.length > 2 * edits; ++i) {
    momentDoc.audience = { tag_list: [tagIds[i]].concat(i % 2 ? [tagIds[edits + i]] : []) };
    tagEdits.push(await setCampaign(JSON.stringify(momentDoc)));
  }
  if (tagEdits.length)
    console.log(`moment, recompute after a tag-list edit: engine median ${fmt(median(tagEdits.map((r) => r.engine)))} ms ` +
                `(audiences ${tagEdits.map((r) => r.audience).join(', ')})`);

  // Audience edits of the mass send: the within-days of its received clause, or its tags.
  const doc = JSON.parse(massSend);
  await setCampaign(massSend);
  const warm = [];
  for (let i = 0; i < edits; ++i) {
    const filter = doc.filter;
    doc.filter = { all: [filter, { not: { added_within_days: 3 + i } }] };
    const r = await setCampaign(JSON.stringify(doc));
    doc.filter = filter;
    warm.push(r);
  }
  console.log(`mass send, recompute after an audience edit: engine median ${fmt(median(warm.map((r) => r.engine)))} ms; ` +
              `with the summary JSON round trip ${fmt(median(warm.map((r) => r.ms)))} ms`);

  // The page during a recompute: an audience edit as the UI makes it (played a slice of
  // customers per frame); the longest main-thread task is how long the page could not react.
  const responsive = [];
  for (let i = 0; i < edits; ++i) {
    const filter = doc.filter;
    doc.filter = { all: [filter, { not: { added_within_days: 30 + i } }] };
    const r = await page.evaluate(async (t) => {
      const M = window.reachlens.module;
      const state = () => JSON.parse(window.reachlens.callString('rl_state_json'));
      const before = state().recompute_count;
      const bytes = new TextEncoder().encode(t);
      const ptr = M._malloc(bytes.length) >>> 0;
      M.HEAPU8.set(bytes, ptr);
      const t0 = performance.now();
      M._rl_set_campaign_json(ptr, bytes.length);  // no summary call: the frame loop recomputes
      M._free(ptr);
      // Main-thread tasks over 50 ms (the browser's "long tasks"): what blocks input.
      let longest = 0;
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
      });
      observer.observe({ type: 'longtask' });
      let frames = 0;
      await new Promise((done) => {
        const tick = () => {
          ++frames;
          if (state().recompute_count > before) done(); else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      await new Promise((ok) => setTimeout(ok, 50));
      observer.disconnect();
      return { total: performance.now() - t0, gap: longest, frames, engine: state().recompute_ms };
    }, JSON.stringify(doc));
    doc.filter = filter;
    responsive.push(r);
  }
  console.log(`mass send audience edit through the frame loop: result after ${fmt(median(responsive.map((r) => r.total)))} ms ` +
              `(engine ${fmt(median(responsive.map((r) => r.engine)))} ms over ${median(responsive.map((r) => r.frames))} frames), ` +
              `longest main-thread task ${fmt(Math.max(...responsive.map((r) => r.gap)))} ms over ${edits} edits ` +
              `(0 = none over 50 ms; the rest of the wall time is the software GL renderer's frame pacing)`);

  // 3. Frames with the per-customer table open: scroll it with the wheel.
  const rects = JSON.parse(await page.evaluate(() => window.reachlens.callString('rl_item_rects')));
  const table = rects.table;
  const frameMs = [];
  if (table) {
    await page.mouse.move(table.x + table.w / 2, table.y + table.h / 2);
    for (let i = 0; i < 30; ++i) {
      await page.evaluate(() => window.reachlens.module._rl_reset_frame_stats());
      await page.mouse.wheel(0, 300);
      await waitIdle(page, 30_000);
      frameMs.push((await state(page)).frame_ms_max);
    }
    console.log(`frame CPU with the table open (${customers} rows), scrolling: median ${fmt(median(frameMs))} ms, max ${fmt(Math.max(...frameMs))} ms`);
  } else {
    console.log('no tracked table: frame figures skipped');
  }
  await context.close();
} finally {
  await browser.close();
  server.close();
}
