// The module obeys its embedder (issue 10): it takes a ?host= origin only when its own
// server lists it (reachlens-embed.json, serve.py --allow-embed), and serve.py's
// Content-Security-Policy (frame-ancestors, 'wasm-unsafe-eval', no 'unsafe-eval') lets the
// page run while a stranger cannot frame it. Origins:
//   serve.py     http://127.0.0.1:<a>   the module with CSP, --allow-embed <host>
//   plain        http://127.0.0.1:<b>   the module's files, no CSP, allowlist = [host]
//   host         http://127.0.0.1:<c>   the SaaS page the allowlist names
//   stranger     http://127.0.0.1:<d>   a third origin that frames the module with ?host=<d>
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { haveBuild, launchBrowser, startServePy, startServer } from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

// A page that frames what it is told to and records every message it receives.
const FRAMING_PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>
<script>
  window.rawMessages = [];
  window.addEventListener('message', function (e) { window.rawMessages.push({ origin: e.origin, data: e.data }); });
  window.addFrame = function (src) {
    var f = document.createElement('iframe');
    f.src = src; f.style.width = '900px'; f.style.height = '600px';
    document.body.appendChild(f);
  };
  window.send = function (target, msg) { document.querySelector('iframe').contentWindow.postMessage(msg, target); };
</script></body></html>`;

const TINY_DATASET = {
  format: 'reachlens.dataset/1',
  enterprise: { corp_name: 'Stranger', industry: 'retail', verified: true, tz_offset_minutes: 480 },
  now: 1767225600, departments: [{ id: 1, name: 'HQ', parentid: 0 }],
  employees: [{ userid: 'u', name: 'U', department: [1], status: 'active', moments_enabled: true }],
  tag_groups: [], customers: [], deliveries: [], not_interested: [], scheduled: [],
};

// serve.py with a small demo tenant in a temporary --data folder.
async function serveWith(args) {
  const dataDir = mkdtempSync(join(tmpdir(), 'reachlens-hardening-'));
  const s = await startServePy(['--data', dataDir, '--customers', '300', '--no-build', ...args]);
  return { origin: s.origin, url: s.origin + '/', log: s.log,
           close: async () => { await s.stop(); rmSync(dataDir, { recursive: true, force: true }); } };
}

let serve, plain, host, stranger, browser;
const plainRoutes = {};
before(async () => {
  host = await startServer(undefined, { routes: { '/frame.html': { body: FRAMING_PAGE } } });
  stranger = await startServer(undefined, { routes: { '/frame.html': { body: FRAMING_PAGE } } });
  plainRoutes['/reachlens-embed.json'] = { body: JSON.stringify({ allow_embed: [host.origin] }), type: 'application/json' };
  plain = await startServer(undefined, { routes: plainRoutes });
  serve = await serveWith(['--allow-embed', host.origin]);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await Promise.all([serve?.close(), plain?.close(), host?.close(), stranger?.close()]);
});

// A context whose pages record CSP violations (securitypolicyviolation events, in every
// frame) and console lines.
async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  return { context, page, log, requests };
}
const moduleFrame = (page, origin) => page.frames().find((f) => f.url().startsWith(origin + '/index.html'));
// Opens frame.html on `framer` with the module of `server` framed as ?host=<hostOrigin>.
async function frameModule(page, framer, server, hostOrigin) {
  await page.goto(framer.url + 'frame.html');
  await page.evaluate((src) => window.addFrame(src), `${server.url}index.html?host=${encodeURIComponent(hostOrigin)}`);
}
// The module's frame once it exists and has decided about its host (allowed === false).
async function refusedModuleFrame(page, server) {
  let frame = null;
  for (let i = 0; i < 600 && !frame; i++) {
    frame = moduleFrame(page, server.origin);
    if (!frame) await page.waitForTimeout(100);
  }
  assert.ok(frame, 'the module frame did not open');
  await frame.waitForFunction(() => window.reachlens && window.reachlens.host &&
                                    window.reachlens.host.allowed === false && window.reachlens.ready,
                              null, { timeout: 90_000 });
  return frame;
}

describe('the module under its Content-Security-Policy (served by serve.py)', () => {
  test('standalone, the page runs with script-src \'self\' \'wasm-unsafe-eval\' and no violation',
       { timeout: 120_000 }, async () => {
    const { context, page, log } = await newPage();
    try {
      const response = await page.goto(serve.url + 'index.html');
      const csp = response.headers()['content-security-policy'];
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
      assert.doesNotMatch(csp, /'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
      assert.equal(response.headers()['x-content-type-options'], 'nosniff');
      await page.waitForFunction(() => window.reachlens && (window.reachlens.ready || window.reachlens.error), null,
                                 { timeout: 90_000 }).catch((e) => { throw new Error(`${e.message}\n${log.join('\n')}`); });
      assert.equal(await page.evaluate(() => window.reachlens.error || null), null);
      const st = JSON.parse(await page.evaluate(() => window.reachlens.callString('rl_state_json')));
      assert.equal(st.dataset_loaded, true);
      assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
      assert.deepEqual(log.filter((l) => /Content Security Policy|Refused to/.test(l)), []);
    } finally {
      await context.close();
    }
  });

  test('under that policy a JSON dataset from the data panel is parsed in the dataset worker (worker-src \'self\')',
       { timeout: 120_000 }, async () => {
    const { context, page, log } = await newPage();
    try {
      await page.goto(serve.url + 'index.html');
      await page.waitForFunction(() => window.reachlens && (window.reachlens.ready || window.reachlens.error), null,
                                 { timeout: 90_000 });
      const seen = await page.evaluate(async () => {
        const M = window.reachlens.module;
        const start = M.asm.rl_data_start, feed = M.asm.rl_data_stream_feed;
        const whole = [], firstFed = [];
        // The page's engine: JSON (or anything) in one buffer, or the snapshot streamed in pieces.
        M._rl_data_start = (ptr, len) => { whole.push(M.HEAPU8[ptr >>> 0]); return start(ptr, len); };
        M._rl_data_stream_feed = (ptr, len) => { if (!firstFed.length) firstFed.push(M.HEAPU8[ptr >>> 0]); return feed(ptr, len); };
        const ok = await window.ReachLensData.loadDemo();
        return { ok, whole, firstFed, via: window.ReachLensData.lastLoad.via,
                 error: JSON.parse(window.reachlens.callString('rl_panel_json', 'data')).error };
      });
      assert.equal(seen.ok, true, seen.error + '\n' + log.join('\n'));
      assert.equal(seen.via, 'worker', 'the page parsed the JSON itself: no worker under this policy\n' + log.join('\n'));
      assert.deepEqual(seen.whole, [], 'the page\'s engine was given a whole buffer');
      assert.deepEqual(seen.firstFed, [0x52], 'the page\'s engine was not fed the worker\'s snapshot');
      assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
      assert.deepEqual(log.filter((l) => /Content Security Policy|Refused to|dataset worker/.test(l)), []);
    } finally {
      await context.close();
    }
  });

  test('the allowed host frames it and hears reachlens.ready; a stranger\'s frame is blocked by ' +
       'frame-ancestors: nothing loads, nothing answers', { timeout: 150_000 }, async () => {
    const allowed = await newPage();
    const hostile = await newPage();
    try {
      await frameModule(allowed.page, host, serve, host.origin);
      await allowed.page.waitForFunction((o) => window.rawMessages.some((m) => m.origin === o &&
                                                                         m.data.type === 'reachlens.ready'),
                                         serve.origin, { timeout: 90_000 })
        .catch((e) => { throw new Error(`${e.message}\n${allowed.log.join('\n')}`); });
      const frame = moduleFrame(allowed.page, serve.origin);
      assert.deepEqual(await frame.evaluate(() => window.cspViolations), []);

      await frameModule(hostile.page, stranger, serve, stranger.origin);
      // The browser refuses the document: no script or wasm of the module is fetched.
      await hostile.page.waitForEvent('requestfailed', { timeout: 30_000 }).catch(() => null);
      await hostile.page.waitForTimeout(3000);
      await hostile.page.evaluate((target) => {
        window.send(target, { type: 'reachlens.load', dataset: {} });
        window.send(target, { type: 'reachlens.preview', id: 'p1' });
      }, serve.origin);
      await hostile.page.waitForTimeout(1000);
      assert.deepEqual(hostile.requests.filter((u) => /reachlens\.(js|wasm)$/.test(u)), []);
      assert.deepEqual(await hostile.page.evaluate(() => window.rawMessages), []);
    } finally {
      await allowed.context.close();
      await hostile.context.close();
    }
  });
});

describe('the host demo passes the token by message, never in a URL', () => {
  test('/host-demo.html#token=T on serve.py --token T: the module loads /api/dataset with it; no URL and no log ' +
       'line holds it', { timeout: 150_000 }, async () => {
    const TOKEN = 'demo-token-' + Date.now();
    const api = await serveWith(['--token', TOKEN]);
    const { context, page, log, requests } = await newPage();
    try {
      await page.goto(`${api.url}host-demo.html#token=${TOKEN}`);
      await page.waitForFunction(() => window.reachlensHost && window.reachlensHost.isReady(), null, { timeout: 90_000 })
        .catch((e) => { throw new Error(`${e.message}\n${log.join('\n')}`); });
      assert.equal(new URL(page.url()).hash, '');               // moved off the address bar
      const frame = moduleFrame(page, api.origin);
      assert.equal(await frame.evaluate(() => window.reachlens.host.hasToken), true);
      // The dataset came from the token-protected API (401 without it).
      await frame.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_state_json')).dataset_loaded, null,
                                  { timeout: 60_000 });
      const summary = await page.evaluate(() => window.reachlensHost.requestPreview(30_000));
      assert.equal(summary.format, 'reachlens.preview/1');
      assert.deepEqual(requests.filter((u) => u.includes(TOKEN)), []);
      assert.equal(api.log.join('').includes(TOKEN), false);
      assert.deepEqual(await frame.evaluate(() => window.cspViolations), []);
    } finally {
      await context.close();
      await api.close();
    }
  });
});

describe('the module asks its server before it takes a ?host= (no frame-ancestors on this server)', () => {
  test('a stranger framing it with ?host=<its own origin>: nothing loads, nothing answers; the listed host ' +
       'is answered', { timeout: 180_000 }, async () => {
    const hostile = await newPage();
    const allowed = await newPage();
    try {
      await frameModule(hostile.page, stranger, plain, stranger.origin);
      const frame = await refusedModuleFrame(hostile.page, plain)
        .catch((e) => { throw new Error(`${e.message}\n${hostile.log.join('\n')}`); });
      const ignoredBefore = await frame.evaluate(() => window.reachlens.host.ignored);
      await hostile.page.evaluate(([target, dataset]) => {
        window.send(target, { type: 'reachlens.load', dataset });
        window.send(target, { type: 'reachlens.config', locale: 'en', token: 'stolen?' });
        window.send(target, { type: 'reachlens.preview', id: 'p1' });
      }, [plain.origin, TINY_DATASET]);
      await frame.waitForFunction((n) => window.reachlens.host.ignored >= n + 3, ignoredBefore, { timeout: 10_000 });
      await hostile.page.waitForTimeout(500);
      const st = JSON.parse(await frame.evaluate(() => window.reachlens.callString('rl_state_json')));
      assert.equal(st.dataset_loaded, false);     // nothing loads: not the stranger's data, not the demo
      assert.equal(await frame.evaluate(() => window.reachlens.host.connected), false);
      assert.equal(await frame.evaluate(() => window.reachlens.host.hasToken), false);
      assert.deepEqual(await hostile.page.evaluate(() => window.rawMessages), []);  // nothing answers

      // The same server and page, framed by the listed host: answered.
      await frameModule(allowed.page, host, plain, host.origin);
      await allowed.page.waitForFunction((o) => window.rawMessages.some((m) => m.origin === o &&
                                                                         m.data.type === 'reachlens.ready'),
                                         plain.origin, { timeout: 90_000 });
      await allowed.page.evaluate(([target, dataset]) => {
        window.send(target, { type: 'reachlens.load', dataset });
        window.send(target, { type: 'reachlens.preview', id: 'p2' });
      }, [plain.origin, TINY_DATASET]);
      await allowed.page.waitForFunction(() => window.rawMessages.some((m) => m.data.id === 'p2'), null,
                                         { timeout: 30_000 });
      const good = moduleFrame(allowed.page, plain.origin);
      assert.equal(JSON.parse(await good.evaluate(() => window.reachlens.callString('rl_state_json'))).dataset_loaded, true);
    } finally {
      await hostile.context.close();
      await allowed.context.close();
    }
  });

  test('without an allowlist file (a plain static server), no host is accepted', { timeout: 120_000 }, async () => {
    const bare = await startServer();
    const { context, page } = await newPage();
    try {
      await frameModule(page, host, bare, host.origin);
      const frame = await refusedModuleFrame(page, bare);
      await page.evaluate((target) => window.send(target, { type: 'reachlens.preview', id: 'p3' }), bare.origin);
      await frame.waitForFunction(() => window.reachlens.host.ignored >= 1, null, { timeout: 10_000 });
      assert.deepEqual(await page.evaluate(() => window.rawMessages), []);
    } finally {
      await context.close();
      await bare.close();
    }
  });
});
