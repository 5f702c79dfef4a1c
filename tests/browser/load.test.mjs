// Loading a big tenant never freezes the page (issue 12): a 200k-customer snapshot, made
// here by the CLI, is fetched and loaded through the data panel's URL path while the page
// keeps drawing the tenant in use; no main-thread task runs long; Cancel keeps the tenant.
//   node --test tests/browser/load.test.mjs
//
// The bound on a task: the 50 ms is the browser's own "long task" threshold, and
// the loader slices its work at 16 ms (web/data.js), each slice in a task of its own. On
// CI's 2-core VM, shared with other jobs and drawing WebGL in software (swiftshader), a
// 16 ms slice or a software-rendered frame is sometimes stretched by the neighbours, so
// the test allows a task up to 3x the bound (150 ms) and prints the longest seen.
// A one-task load of this snapshot takes far longer (the test measures it in the same page
// and requires it to exceed the bound, so the assertion can fail).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { APP_PRESET, CLI, callString, haveBuild, launchBrowser, openApp, startServer, summary, waitIdle } from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const CUSTOMERS = 200_000;
const TASK_BOUND_MS = 150;

const dir = mkdtempSync(join(tmpdir(), 'reachlens-load-'));
const tenantDir = join(dir, 'tenant');
execFileSync(CLI, ['generate', '--customers', String(CUSTOMERS), '--seed', '7', '--out', tenantDir]);
const snapshotPath = join(dir, 'tenant.rlsnap');
execFileSync(CLI, ['snapshot', '--dataset', join(tenantDir, 'dataset.json'), '--out', snapshotPath]);
rmSync(join(tenantDir, 'dataset.json'));  // 330 MB: only the snapshot is served
const campaign = join(tenantDir, 'campaigns', readdirSync(join(tenantDir, 'campaigns')).sort()[0]);
const snapshotBytes = statSync(snapshotPath).size;

const dataState = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'data'));
const withoutWarnings = (s) => { const { warnings, ...rest } = s; return rest; };

// Watches the page: main-thread tasks over 50 ms (PerformanceObserver 'longtask') and the
// gaps between animation frames, from now until collect().
async function watchMainThread(page) {
  await page.evaluate(() => {
    const w = { tasks: [], gaps: [], running: true };
    w.observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) w.tasks.push(e.duration); });
    w.observer.observe({ type: 'longtask' });
    let last = performance.now();
    const tick = (t) => { w.gaps.push(t - last); last = t; if (w.running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    window.__watch = w;
  });
  return async () => page.evaluate(async () => {
    await new Promise((r) => setTimeout(r, 100));  // let the observer deliver the last entries
    const w = window.__watch;
    w.running = false;
    w.observer.disconnect();
    return { longest_task: Math.max(0, ...w.tasks), long_tasks: w.tasks.length, longest_gap: Math.max(0, ...w.gaps), frames: w.gaps.length };
  });
}

let server, browser, context, page;
before(async () => {
  server = await startServer(undefined, { routes: { '/big/tenant.rlsnap': { body: readFileSync(snapshotPath), type: 'application/octet-stream' } } });
  browser = await launchBrowser();
  ({ context, page } = await openApp(browser, server.url));
});
after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('loading a big tenant', () => {
  test(`a ${CUSTOMERS}-customer snapshot loads in slices: no long task, the tenant in use meanwhile, preview equals the CLI`,
       { timeout: 300_000 }, async () => {
    const before = await dataState(page);
    const demoCustomers = before.summary.customers;
    assert.notEqual(demoCustomers, CUSTOMERS);
    const collect = await watchMainThread(page);
    await page.evaluate((url) => { window.__load = window.ReachLensData.loadUrl(url); }, `${server.url}big/tenant.rlsnap`);
    // While it loads, the dashboard keeps the demo tenant and keeps drawing.
    const seen = { engineSteps: 0, progress: [] };
    for (;;) {
      const d = await dataState(page);
      if (!d.busy) break;
      if (d.parsing) {
        ++seen.engineSteps;
        seen.progress.push(d.parse_progress);
        assert.equal(d.summary.customers, demoCustomers, 'the tenant in use changed before the new one was whole');
      }
      await page.waitForTimeout(20);
    }
    assert.equal(await page.evaluate(() => window.__load), true, 'the load failed: ' + (await dataState(page)).error);
    const watched = await collect();
    console.log(`# ${CUSTOMERS} customers, snapshot ${(snapshotBytes / 1e6).toFixed(0)} MB: longest main-thread task ` +
                `${watched.longest_task.toFixed(0)} ms (${watched.long_tasks} over 50 ms), longest frame gap ` +
                `${watched.longest_gap.toFixed(0)} ms over ${watched.frames} frames`);
    const d = await dataState(page);
    assert.equal(d.summary.customers, CUSTOMERS);
    assert.equal(d.loaded_bytes, snapshotBytes);
    assert.ok(seen.engineSteps >= 2, `the engine's load was seen in ${seen.engineSteps} polls: not sliced`);
    assert.deepEqual(seen.progress, [...seen.progress].sort((x, y) => x - y), 'load progress went backwards');
    assert.ok(watched.longest_task < TASK_BOUND_MS, `a main-thread task took ${watched.longest_task} ms`);

    // The same bytes loaded in one task (the engine's one-pass entry) would block far longer.
    const oneTask = await page.evaluate(async (url) => {
      const M = window.reachlens.module;
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const ptr = M._malloc(bytes.length);
      M.HEAPU8.set(bytes, ptr);
      const t0 = performance.now();
      const rc = M._rl_load_dataset_json(ptr, bytes.length);
      const ms = performance.now() - t0;
      M._free(ptr);
      return { rc, ms };
    }, `${server.url}big/tenant.rlsnap`);
    console.log(`# the same snapshot in one task: ${oneTask.ms.toFixed(0)} ms`);
    assert.equal(oneTask.rc, 0);
    assert.ok(oneTask.ms > TASK_BOUND_MS, `a one-task load took only ${oneTask.ms} ms: this tenant is too small to tell`);

    await waitIdle(page, 120_000);
    const expected = JSON.parse(execFileSync(CLI, ['preview', '--dataset', snapshotPath, '--campaign', campaign, '--preset', APP_PRESET],
                                             { encoding: 'utf8', maxBuffer: 1 << 28 }));
    await page.evaluate((text) => {
      const M = window.reachlens.module;
      const bytes = new TextEncoder().encode(text);
      const ptr = M._malloc(bytes.length);
      M.HEAPU8.set(bytes, ptr);
      const rc = M._rl_set_campaign_json(ptr, bytes.length);
      M._free(ptr);
      if (rc !== 0) throw new Error('campaign refused');
    }, readFileSync(campaign, 'utf8'));
    assert.deepEqual(withoutWarnings(await summary(page)), withoutWarnings(expected));
  });

  test('Cancel during the engine\'s load keeps the tenant in use; loading again completes', { timeout: 300_000 }, async () => {
    // Start from the demo tenant again (a small, different one).
    await page.evaluate(() => window.ReachLensData.loadDemo());
    await waitIdle(page, 60_000);
    const before = await dataState(page);
    const sourceBefore = before.summary.source;
    assert.notEqual(before.summary.customers, CUSTOMERS);
    await page.evaluate((url) => { window.__load = window.ReachLensData.loadUrl(url); }, `${server.url}big/tenant.rlsnap`);
    await page.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_panel_json', 'data')).parse_progress > 0.2,
                               null, { timeout: 120_000, polling: 5 });
    // What the panel's Cancel button calls (the host's data_cancel: web/data.js cancel()).
    await page.evaluate(() => window.ReachLensData.cancel());
    assert.equal(await page.evaluate(() => window.__load), false);
    const d = await dataState(page);
    assert.equal(d.busy, false);
    assert.equal(d.error, '', 'a cancel is not an error');
    assert.equal(d.loads, before.loads);
    assert.equal(d.summary.source, sourceBefore);
    assert.equal(d.summary.customers, before.summary.customers);
    await waitIdle(page, 60_000);
    assert.ok((await summary(page)).audience >= 0, 'the tenant in use no longer previews');

    assert.equal(await page.evaluate((url) => window.ReachLensData.loadUrl(url), `${server.url}big/tenant.rlsnap`), true);
    assert.equal((await dataState(page)).summary.customers, CUSTOMERS);
  });
});
