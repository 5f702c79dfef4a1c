// Loading a big tenant never freezes the page (issue 12): a 200k-customer snapshot, made
// here by the CLI, is fetched and loaded through the data panel's URL path in short engine
// steps while the page keeps the tenant in use; Cancel keeps the tenant. A 50k-customer JSON
// dataset is parsed and checked in the dataset worker (web/dataset-worker.js) and reaches the
// page's engine only as a snapshot, streamed in pieces and loaded in the same steps; a refused
// one is worded in Chinese with its JSON pointer. The same for the other ways a dataset
// arrives (a response without a body stream, the host's dataset object, the bundled tenant
// at start-up).
//   node --test tests/browser/load.test.mjs
//
// What is asserted: the engine's load runs in many steps (slices of 2 ms here, 16 ms in
// the page), each under 150 ms; for the JSON dataset also every main-thread task of the page
// while it loads (the worker parses it; the page only passes bytes on and loads the snapshot). The bound is 50 ms, the browser's "long task"
// threshold; the steps' budget is wall-clock, so a step overruns only by its last piece
// of work, but on CI's 2-core VM shared with other jobs (load average ~20 while this was
// written) a process is sometimes descheduled for tens of ms mid-step, hence 3x. The page's
// long tasks (PerformanceObserver 'longtask') and frame gaps are printed, not asserted: in
// this headless Chromium they include the software-GL (swiftshader) frames and the fetch,
// which take 50-200 ms each on that loaded machine, loading or not.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { APP_PRESET, CLI, call, callBytes, callString, haveBuild, launchBrowser, openApp, startServer, summary, waitIdle, watchMainThread, withoutWarnings } from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const CUSTOMERS = 200_000;
const JSON_CUSTOMERS = 50_000;
const TASK_BOUND_MS = 150;

const dir = mkdtempSync(join(tmpdir(), 'reachlens-load-'));
const tenantDir = join(dir, 'tenant');
execFileSync(CLI, ['generate', '--customers', String(CUSTOMERS), '--seed', '7', '--out', tenantDir]);
const snapshotPath = join(dir, 'tenant.rlsnap');
execFileSync(CLI, ['snapshot', '--dataset', join(tenantDir, 'dataset.json'), '--out', snapshotPath]);
rmSync(join(tenantDir, 'dataset.json'));  // 330 MB: only the snapshot is served
const campaign = join(tenantDir, 'campaigns', readdirSync(join(tenantDir, 'campaigns')).sort()[0]);
const snapshotBytes = statSync(snapshotPath).size;

// The JSON tenant, and the same with one wrong type deep in it (the loader stops there).
const jsonDir = join(dir, 'json-tenant');
execFileSync(CLI, ['generate', '--customers', String(JSON_CUSTOMERS), '--seed', '9', '--out', jsonDir]);
const jsonPath = join(jsonDir, 'dataset.json');
const jsonText = readFileSync(jsonPath);
const jsonCampaign = join(jsonDir, 'campaigns', readdirSync(join(jsonDir, 'campaigns')).sort()[0]);
const BROKEN_AT = 31_337;
const brokenText = (() => {
  const doc = JSON.parse(jsonText.toString('utf8'));
  doc.customers[BROKEN_AT].external_userid = 4242;
  return Buffer.from(JSON.stringify(doc));
})();
const ENGLISH = /\b(expected|got|string|integer|number|unknown)\b/i;
const HAN = /[\u4e00-\u9fff]/;

const dataState = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'data'));

// The tenant at `url` loaded in one task by the engine's one-pass entry (rl_load_dataset_json).
const loadInOneTask = (page, url) => page.evaluate(async (u) => {
  const M = window.reachlens.module;
  const bytes = new Uint8Array(await (await fetch(u)).arrayBuffer());
  const ptr = M._malloc(bytes.length);
  M.HEAPU8.set(bytes, ptr);
  const t0 = performance.now();
  const rc = M._rl_load_dataset_json(ptr, bytes.length);
  const ms = performance.now() - t0;
  M._free(ptr);
  return { rc, ms };
}, url);

// Cancel (what the panel's Cancel button calls: the host's data_cancel, web/data.js cancel())
// ends the running load with no error; the tenant in use (panel state `before`) stays and previews.
async function cancelKeepsTenant(page, before) {
  await page.evaluate(() => window.ReachLensData.cancel());
  assert.equal(await page.evaluate(() => window.__load), false);
  const d = await dataState(page);
  assert.equal(d.busy, false);
  assert.equal(d.error, '', 'a cancel is not an error');
  assert.equal(d.loads, before.loads);
  assert.equal(d.summary.source, before.summary.source);
  assert.equal(d.summary.customers, before.summary.customers);
  await waitIdle(page, 60_000);
  assert.ok((await summary(page)).audience >= 0, 'the tenant in use no longer previews');
}

let server, browser, context, page;
before(async () => {
  server = await startServer(undefined, { routes: {
    '/big/tenant.rlsnap': { body: readFileSync(snapshotPath), type: 'application/octet-stream' },
    '/big/tenant.json': { body: jsonText, type: 'application/json' },
    '/big/broken.json': { body: brokenText, type: 'application/json' },
  } });
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
  test(`a ${CUSTOMERS}-customer snapshot loads in slices: short steps, the tenant in use meanwhile, preview equals the CLI`,
       { timeout: 300_000 }, async () => {
    const before = await dataState(page);
    const demoCustomers = before.summary.customers;
    assert.notEqual(demoCustomers, CUSTOMERS);
    // The engine's steps, timed: what the loader itself holds the main thread for. Slices of
    // 2 ms (the page uses 16) so this tenant, whose whole load takes tens of ms here, is
    // visibly cut into many.
    await page.evaluate(() => {
      const M = window.reachlens.module;
      // The raw exports: Emscripten's lazy wrappers replace themselves on their first call.
      const step = M.asm.rl_data_step, start = M.asm.rl_data_start;
      window.__steps = [];
      const timed = (f) => (...a) => { const t0 = performance.now(); const rc = f(...a); window.__steps.push(performance.now() - t0); return rc; };
      M._rl_data_step = timed(step);
      M._rl_data_start = timed(start);
      window.ReachLensData.sliceMs = 2;
    });
    const collect = await watchMainThread(page);
    await page.evaluate((url) => { window.__load = window.ReachLensData.loadUrl(url); }, `${server.url}big/tenant.rlsnap`);
    // While it loads, the dashboard keeps the demo tenant.
    const progress = [];
    for (;;) {
      const d = await dataState(page);
      if (!d.busy) break;
      if (d.parsing) {
        progress.push(d.parse_progress);
        assert.equal(d.summary.customers, demoCustomers, 'the tenant in use changed before the new one was whole');
      }
      await page.waitForTimeout(5);
    }
    assert.equal(await page.evaluate(() => window.__load), true, 'the load failed: ' + (await dataState(page)).error);
    const watched = await collect();
    const steps = await page.evaluate(() => { window.ReachLensData.sliceMs = 16; return window.__steps; });
    const longestStep = Math.max(...steps);
    console.log(`# ${CUSTOMERS} customers, snapshot ${(snapshotBytes / 1e6).toFixed(0)} MB: the engine's load in ${steps.length} ` +
                `steps, longest ${longestStep.toFixed(1)} ms, all ${steps.reduce((a, b) => a + b, 0).toFixed(0)} ms; page: longest ` +
                `main-thread task ${watched.longest_task.toFixed(0)} ms (${watched.long_tasks} over 50 ms: the software-GL frames ` +
                `and the fetch included), longest frame gap ${watched.longest_gap.toFixed(0)} ms over ${watched.frames} frames`);
    const d = await dataState(page);
    assert.equal(d.summary.customers, CUSTOMERS);
    assert.equal(d.loaded_bytes, snapshotBytes);
    assert.ok(steps.length >= 5, `the engine's load ran in ${steps.length} steps: not sliced`);
    assert.ok(longestStep < TASK_BOUND_MS, `an engine step took ${longestStep} ms`);
    assert.deepEqual(progress, [...progress].sort((x, y) => x - y), 'load progress went backwards');

    // For comparison (printed): the same bytes in one task, the engine's one-pass entry.
    const oneTask = await loadInOneTask(page, `${server.url}big/tenant.rlsnap`);
    console.log(`# the same snapshot in one task: ${oneTask.ms.toFixed(0)} ms`);
    assert.equal(oneTask.rc, 0);

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
    assert.notEqual(before.summary.customers, CUSTOMERS);
    await page.evaluate((url) => { window.__load = window.ReachLensData.loadUrl(url); }, `${server.url}big/tenant.rlsnap`);
    await page.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_panel_json', 'data')).parse_progress > 0.2,
                               null, { timeout: 120_000, polling: 5 });
    await cancelKeepsTenant(page, before);

    assert.equal(await page.evaluate((url) => window.ReachLensData.loadUrl(url), `${server.url}big/tenant.rlsnap`), true);
    assert.equal((await dataState(page)).summary.customers, CUSTOMERS);
  });
});

// The page's engine sees only snapshots, streamed in pieces (the first starts with 'R'), a
// step at a time: each engine call timed, each piece's size and first byte kept, and any
// JSON handed to the page's engine in one buffer (rl_data_start) recorded.
async function timeEngineSteps(page) {
  await page.evaluate(() => {
    const M = window.reachlens.module;
    const step = M.asm.rl_data_step, start = M.asm.rl_data_start, feed = M.asm.rl_data_stream_feed;
    window.__steps = [];
    window.__started = [];
    window.__fed = [];
    window.__progress = [];
    const progress = M.asm.rl_data_progress;
    M._rl_data_progress = (loaded, total) => { window.__progress.push({ loaded, total, at: performance.now() }); return progress(loaded, total); };
    const timed = (f) => (...a) => { const t0 = performance.now(); const rc = f(...a); window.__steps.push(performance.now() - t0); return rc; };
    window.__budgets = [];
    M._rl_data_step = (budget) => { window.__budgets.push(budget); return timed(step)(budget); };
    M._rl_data_start = (ptr, len) => { window.__started.push({ first: M.HEAPU8[ptr >>> 0], len }); return timed(start)(ptr, len); };
    M._rl_data_stream_feed = (ptr, len) => { window.__fed.push({ first: M.HEAPU8[ptr >>> 0], len }); return timed(feed)(ptr, len); };
  });
}
const FEED_BYTES = 2 << 20;  // web/data.js: the most one rl_data_stream_feed copies

describe('loading a JSON dataset in the dataset worker', () => {
  test(`a ${JSON_CUSTOMERS}-customer JSON dataset: byte progress, parsed off the main thread, loaded in steps, ` +
       'the tenant in use meanwhile, preview equals the CLI', { timeout: 300_000 }, async () => {
    await page.evaluate(() => window.ReachLensData.loadDemo());
    await waitIdle(page, 60_000);
    const before = await dataState(page);
    assert.notEqual(before.summary.customers, JSON_CUSTOMERS);
    await timeEngineSteps(page);
    const collect = await watchMainThread(page);
    await page.evaluate((url) => {
      window.__load = window.ReachLensData.loadUrl(url).then((ok) => { window.__loadEnd = performance.now(); return ok; });
    }, `${server.url}big/tenant.json`);
    const parsed = [];
    for (;;) {
      const d = await dataState(page);
      if (!d.busy) break;
      assert.equal(d.summary.customers, before.summary.customers, 'the tenant in use changed before the new one was whole');
      if (d.parse_in_worker) parsed.push(d.parse_progress);
      await page.waitForTimeout(5);
    }
    assert.equal(await page.evaluate(() => window.__load), true, 'the load failed: ' + (await dataState(page)).error);
    const watched = await collect();
    const { steps, started, fed, progress, via } = await page.evaluate(() => ({
      steps: window.__steps, started: window.__started, fed: window.__fed, progress: window.__progress, via: window.ReachLensData.lastLoad.via }));
    // The byte progress the page reported for the JSON file (the snapshot's own follows it).
    const bytes = progress.filter((p) => p.total === jsonText.length).map((p) => p.loaded);
    const longestStep = Math.max(...steps);
    // Tasks that began before the load ended (after it: the dashboard's first frames and preview on the new tenant).
    const loadEnd = await page.evaluate(() => window.__loadEnd);
    const during = watched.tasks.filter((t) => t.start < loadEnd);
    const longestDuring = Math.max(0, ...during.map((t) => t.duration));
    const longestAfter = Math.max(0, ...watched.tasks.filter((t) => t.start >= loadEnd).map((t) => t.duration));
    console.log(`# ${JSON_CUSTOMERS} customers, JSON ${(jsonText.length / 1e6).toFixed(0)} MB through the worker: the page's ` +
                `engine loaded a ${(fed.reduce((n, f) => n + f.len, 0) / 1e6).toFixed(0)} MB snapshot in ${fed.length} pieces and ` +
                `${steps.length} calls, longest ` +
                `${longestStep.toFixed(1)} ms; page: longest main-thread task during the load ${longestDuring.toFixed(0)} ms ` +
                `(${during.length} over 50 ms, software-GL frames included; after it ${longestAfter.toFixed(0)} ms), longest frame gap ` +
                `${watched.longest_gap.toFixed(0)} ms over ${watched.frames} frames; ${bytes.length} byte-progress samples, ` +
                `${parsed.filter((p) => p > 0).length} parse-progress samples`);
    const d = await dataState(page);
    assert.equal(d.summary.customers, JSON_CUSTOMERS);
    assert.equal(d.error, '');
    assert.equal(via, 'worker');
    assert.deepEqual(started, [], 'the page\'s engine was given a whole buffer (JSON, or the snapshot unstreamed)');
    assert.equal(fed[0].first, 0x52, 'the page\'s engine was not fed a snapshot');
    assert.ok(fed.every((f) => f.len <= FEED_BYTES), 'a piece over the feed size');
    assert.ok(longestStep < TASK_BOUND_MS, `an engine step took ${longestStep} ms`);
    // Every main-thread task of the page while it loaded (its frames included), not only the loader's.
    assert.ok(longestDuring < TASK_BOUND_MS, `a main-thread task took ${longestDuring} ms during the load`);
    assert.ok(parsed.length > 0 && Math.max(...parsed) > 0, 'no parse progress from the worker');
    // One bar from the worker's parse through the page's load of its snapshot.
    assert.deepEqual(parsed, [...parsed].sort((x, y) => x - y), 'parse progress went backwards');
    assert.ok(new Set(bytes).size >= 3, `byte progress seen ${new Set(bytes).size} times`);
    assert.deepEqual(bytes, [...bytes].sort((x, y) => x - y), 'byte progress went backwards');
    assert.equal(Math.max(...bytes), jsonText.length);

    // The tenant the worker made previews as the CLI's from the same JSON.
    await waitIdle(page, 120_000);
    const expected = JSON.parse(execFileSync(CLI, ['preview', '--dataset', jsonPath, '--campaign', jsonCampaign, '--preset', APP_PRESET],
                                             { encoding: 'utf8', maxBuffer: 1 << 28 }));
    assert.equal(await callBytes(page, 'rl_set_campaign_json', readFileSync(jsonCampaign, 'utf8')), 0);
    assert.deepEqual(withoutWarnings(await summary(page)), withoutWarnings(expected));

    // For comparison (printed): the same JSON parsed on the main thread in one task.
    const oneTask = await loadInOneTask(page, `${server.url}big/tenant.json`);
    console.log(`# the same JSON in one main-thread task (the path before the worker): ${oneTask.ms.toFixed(0)} ms`);
    assert.equal(oneTask.rc, 0);
  });

  test('Cancel while the worker parses keeps the tenant in use; loading again completes', { timeout: 300_000 }, async () => {
    await page.evaluate(() => window.ReachLensData.loadDemo());
    await waitIdle(page, 60_000);
    const before = await dataState(page);
    await page.evaluate((url) => { window.__load = window.ReachLensData.loadUrl(url); }, `${server.url}big/tenant.json`);
    // All bytes are in the worker, which is parsing them.
    await page.waitForFunction((size) => {
      const d = JSON.parse(window.reachlens.callString('rl_panel_json', 'data'));
      return d.parsing && d.total_bytes === size;
    }, jsonText.length, { timeout: 120_000, polling: 5 });
    await cancelKeepsTenant(page, before);

    assert.equal(await page.evaluate((url) => window.ReachLensData.loadUrl(url), `${server.url}big/tenant.json`), true);
    assert.equal((await dataState(page)).summary.customers, JSON_CUSTOMERS);
  });

  test('a refused JSON dataset is worded in Chinese with its JSON pointer; the tenant in use stays', { timeout: 300_000 }, async () => {
    assert.equal(await call(page, 'rl_set_language', 'zh'), 0);
    const before = await dataState(page);
    assert.equal(await page.evaluate((url) => window.ReachLensData.loadUrl(url), `${server.url}big/broken.json`), false);
    await waitIdle(page, 60_000);
    const d = await dataState(page);
    assert.match(d.error, new RegExp(`/customers/${BROKEN_AT}/external_userid`), 'the engine\'s English names the place');
    assert.match(d.error_text, new RegExp(`/customers/${BROKEN_AT}/external_userid`));
    assert.match(d.error_text, HAN);
    assert.doesNotMatch(d.error_text, ENGLISH);
    assert.equal(d.toast_error_visible, true);
    assert.equal(d.summary.customers, before.summary.customers);
    assert.equal(d.summary.source, before.summary.source);
    await waitIdle(page, 60_000);
    assert.ok((await summary(page)).audience >= 0, 'the tenant in use no longer previews');
  });
});

// The other ways a JSON dataset arrives take the same road (the worker, then the snapshot
// streamed into the page's engine): a response without a body stream (web/data.js reads it
// whole, then hands it on as one piece) and the host's dataset object (reachlens.load's
// `dataset`, which web/host.js gives to ReachLensData.loadObject: written as JSON text a
// slice of elements per task). `start(page, name)` begins loading big/<name> that way and
// leaves the promise in window.__load, its start in window.__loadStart.
const OTHER_PATHS = {
  'a response without a body stream': {
    prepare: (page) => page.evaluate(() => {
      window.__body = Object.getOwnPropertyDescriptor(Response.prototype, 'body');
      Object.defineProperty(Response.prototype, 'body', { configurable: true, get: () => null });
    }),
    start: (page, name) => page.evaluate((u) => {
      window.__loadStart = performance.now();
      window.__load = window.ReachLensData.loadUrl(u);
    }, `${server.url}big/${name}`),
    restore: (page) => page.evaluate(() => { Object.defineProperty(Response.prototype, 'body', window.__body); }),
  },
  'the host\'s dataset object': {
    chunkBound: 4 << 20,
    // The bytes read are its JSON.stringify text's, not the file's.
    bytes: () => Buffer.byteLength(JSON.stringify(JSON.parse(jsonText.toString('utf8')))),  // web/data.js: JSON_PIECE_CHARS (1M) UTF-16 units and one element, at most 3 bytes each
    // The object is in the page before the load starts (the host's message brought it).
    start: async (page, name) => {
      await page.evaluate(async (u) => { window.__doc = await (await fetch(u)).json(); }, `${server.url}big/${name}`);
      await page.evaluate(() => {
        window.__loadStart = performance.now();
        window.__load = window.ReachLensData.loadObject('dataset.json', window.__doc, { quiet: true, queued: true });
        window.__doc = null;
      });
    },
  },
};

for (const [path, how] of Object.entries(OTHER_PATHS)) {
  describe(`a JSON dataset from ${path}`, () => {
    before(async () => {
      await page.evaluate(() => window.ReachLensData.loadDemo());
      await waitIdle(page, 60_000);
      assert.equal(await call(page, 'rl_set_language', 'zh'), 0);
      if (how.prepare) await how.prepare(page);
    });
    after(async () => { if (how.restore) await how.restore(page); });

    test('is parsed in the worker and streamed to the page\'s engine in pieces; progress forward; the tenant in ' +
         'use meanwhile', { timeout: 300_000 }, async () => {
      const before = await dataState(page);
      assert.notEqual(before.summary.customers, JSON_CUSTOMERS);
      await timeEngineSteps(page);
      // What goes to the worker: each chunk's size, and whether its memory moved (no copy here).
      await page.evaluate(() => {
        window.__posted = [];
        const post = Worker.prototype.postMessage;
        window.__workerPost = post;
        Worker.prototype.postMessage = function (m, transfer) {
          if (m && m.type === 'chunk') window.__posted.push({ bytes: m.bytes.byteLength, moved: !!transfer && transfer.includes(m.bytes.buffer) });
          return post.call(this, m, transfer);
        };
      });
      const collect = await watchMainThread(page);
      await how.start(page, 'tenant.json');
      const t0 = await page.evaluate(() => window.__loadStart);
      const parsed = [];
      for (;;) {
        const d = await dataState(page);
        if (!d.busy && await page.evaluate(() => window.ReachLensData.busy === false)) break;
        assert.equal(d.summary.customers, before.summary.customers, 'the tenant in use changed before the new one was whole');
        if (d.parsing) parsed.push(d.parse_progress);
        await page.waitForTimeout(5);
      }
      assert.equal(await page.evaluate(() => window.__load), true, 'the load failed: ' + (await dataState(page)).error);
      const loadEnd = await page.evaluate(() => performance.now());
      const watched = await collect();
      const { steps, budgets, started, fed, progress, via, posted } = await page.evaluate(() => {
        Worker.prototype.postMessage = window.__workerPost;
        return { steps: window.__steps, budgets: window.__budgets, started: window.__started, fed: window.__fed, progress: window.__progress,
                 via: window.ReachLensData.lastLoad.via, posted: window.__posted };
      });
      const during = watched.tasks.filter((t) => t.start + t.duration > t0 && t.start < loadEnd);
      const longestDuring = Math.max(0, ...during.map((t) => t.duration));
      console.log(`# ${path}: ${JSON_CUSTOMERS} customers, ${posted.length} chunks to the worker (largest ` +
                  `${(Math.max(...posted.map((c) => c.bytes)) / 1e6).toFixed(1)} MB), the page's engine fed ${fed.length} pieces, ` +
                  `${steps.length} calls, longest ${Math.max(...steps).toFixed(1)} ms; longest main-thread task during the load ` +
                  `${longestDuring.toFixed(0)} ms (${during.length} over 50 ms, software-GL frames included)`);
      const d = await dataState(page);
      assert.equal(d.summary.customers, JSON_CUSTOMERS);
      assert.equal(via, 'worker');
      assert.deepEqual(started, [], 'the page\'s engine was given a whole buffer');
      assert.equal(fed[0].first, 0x52);
      // What bounds each main-thread task of the load, whatever the machine's load (its wall
      // time is printed above; the bench prints each task's CPU time): pieces of at most
      // FEED_BYTES for the page's engine, every step asked for a slice of the page's budget,
      // and every chunk's memory moved to the worker, none over JSON_PIECE_BYTES.
      assert.ok(fed.every((f) => f.len <= FEED_BYTES), 'a piece over the feed size');
      assert.ok(budgets.length > 0 && budgets.every((b) => b <= 16), `a step asked for ${Math.max(...budgets)} ms`);
      assert.ok(posted.length > 0 && posted.every((c) => c.moved), 'a chunk was copied to the worker');
      if (how.chunkBound) assert.ok(posted.every((c) => c.bytes <= how.chunkBound), `a chunk of ${Math.max(...posted.map((c) => c.bytes))} bytes`);
      const bytes = progress.map((p) => p.loaded);
      assert.deepEqual(bytes, [...bytes].sort((x, y) => x - y), 'byte progress went backwards');
      assert.equal(d.loaded_bytes, how.bytes ? how.bytes() : jsonText.length, 'the panel\'s byte figures are not the dataset\'s');
      assert.ok(parsed.some((p) => p > 0), 'no parse progress');
      assert.deepEqual(parsed, [...parsed].sort((x, y) => x - y), 'parse progress went backwards');
    });

    test('Cancel while the worker parses keeps the tenant in use', { timeout: 300_000 }, async () => {
      await page.evaluate(() => window.ReachLensData.loadDemo());
      await waitIdle(page, 60_000);
      const before = await dataState(page);
      await how.start(page, 'tenant.json');
      await page.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_panel_json', 'data')).parse_in_worker,
                                 null, { timeout: 120_000, polling: 5 });
      await cancelKeepsTenant(page, before);
      assert.equal(await page.evaluate(() => window.ReachLensData.lastFailure.code), 'cancelled');
    });

    test('a refused one is worded in Chinese with its JSON pointer; the tenant in use stays', { timeout: 300_000 }, async () => {
      const before = await dataState(page);
      await how.start(page, 'broken.json');
      assert.equal(await page.evaluate(() => window.__load), false);
      await waitIdle(page, 60_000);
      const d = await dataState(page);
      assert.match(d.error, new RegExp(`/customers/${BROKEN_AT}/external_userid`));
      assert.match(d.error_text, new RegExp(`/customers/${BROKEN_AT}/external_userid`));
      assert.match(d.error_text, HAN);
      assert.doesNotMatch(d.error_text, ENGLISH);
      assert.equal(d.summary.source, before.summary.source);
      assert.equal(d.summary.customers, before.summary.customers);
      assert.equal(await page.evaluate(() => window.ReachLensData.lastFailure.code), 'input');
      assert.ok((await summary(page)).audience >= 0, 'the tenant in use no longer previews');
    });
  });
}

describe('the host\'s dataset object as JSON text', () => {
  test('written a slice at a time, it is exactly JSON.stringify\'s text', async () => {
    const same = await page.evaluate(() => {
      const doc = { format: 'reachlens.dataset/1', skipped: undefined, f: () => 1, list: [1, undefined, 'a"\\b', '💄👍🏻', '𠀀', null,
        { nested: [[]], when: new Date(0), s: Symbol.iterator === 0 }], nested: { deep: { deeper: [1.5e300, -0, 1e21] } }, empty: {}, none: [] };
      return window.ReachLensData.jsonText(doc) === JSON.stringify(doc) &&
        window.ReachLensData.jsonText([]) === '[]' && window.ReachLensData.jsonText({}) === '{}';
    });
    assert.equal(same, true);
  });
});

test('the bundled tenant at start-up is parsed in the dataset worker, behind the loading screen', { timeout: 120_000 }, async () => {
  const { context: c, page: p } = await openApp(browser, server.url);
  try {
    const seen = await p.evaluate(() => ({ last: window.ReachLensData.lastLoad, data: JSON.parse(window.reachlens.callString('rl_panel_json', 'data')) }));
    assert.deepEqual(seen.last, { via: 'worker', ok: true });
    assert.equal(seen.data.summary.source, 'dataset.json');
    assert.equal(seen.data.toast_error_visible, false);
    const st = JSON.parse(await p.evaluate(() => window.reachlens.callString('rl_state_json')));
    assert.equal(st.dataset_loaded, true);
    assert.notEqual(st.campaign_id, null, 'start-up opens a campaign');
  } finally {
    await c.close();
  }
});
