// The host page <-> module message protocol (docs/contract.md section 9),
// module side (web/host.js + src/platform/host_protocol_web.cpp), driven through the
// host SDK web/embed.js from a page on ANOTHER origin than the module:
//   module  http://127.0.0.1:<p1>   build/wasm/web
//   host    http://127.0.0.1:<p2>   a generated host page + /embed.js
//   other   http://127.0.0.1:<p3>   a third origin (a sibling frame that must be ignored)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CLI, DEMO, ROOT, haveBuild, itemRects, launchBrowser, startServePy, startServer } from './helpers.mjs';
import { openApiChecker } from '../contract/openapi.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
const campaignFiles = manifest.campaigns.map((f) => join(DEMO, f));
const withoutWarnings = (s) => { const { warnings, ...rest } = s; return rest; };

// The campaign and preset the host sends (not the module's start-up ones).
const CAMPAIGN_FILE = campaignFiles[Math.min(2, campaignFiles.length - 1)];
const CAMPAIGN = JSON.parse(readFileSync(CAMPAIGN_FILE, 'utf8'));
const PRESET = 'wecom-2021';

const cliPreview = (campaignFile, preset) => JSON.parse(execFileSync(CLI, [
  'preview', '--dataset', join(DEMO, 'dataset.json'), '--campaign', campaignFile, '--preset', preset,
], { encoding: 'utf8', maxBuffer: 1 << 26 }));

const HOST_PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body style="margin:0">
<div id="slot" style="width:1100px;height:720px"></div>
<script src="/embed.js"></script>
<script>
  window.received = [];
  window.mountModule = function (options) {
    window.rl = ReachLens.mount('#slot', options);
    window.rl.on('*', function (m) { window.received.push(m); });
  };
  // A frame the SDK does not manage (e.g. a wrong ?host=); records what it posts to us.
  window.rawMessages = [];
  window.addEventListener('message', function (e) { window.rawMessages.push({ origin: e.origin, data: e.data }); });
  window.addFrame = function (src) {
    var f = document.createElement('iframe');
    f.src = src; f.style.width = '600px'; f.style.height = '400px';
    document.body.appendChild(f);
    return new Promise(function (ok) { f.onload = function () { ok(); }; });
  };
</script></body></html>`;

const OTHER_PAGE = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><p>another origin</p>';

let moduleServer, hostServer, otherServer, browser;
before(async () => {
  hostServer = await startServer(undefined, { routes: { '/host.html': { body: HOST_PAGE } } });
  otherServer = await startServer(undefined, { routes: { '/other.html': { body: OTHER_PAGE } } });
  // The module's server lets the host's origin embed it (web/host.js asks before it takes
  // a ?host=); the third origin is not listed.
  moduleServer = await startServer(undefined, { routes: { '/reachlens-embed.json': {
    body: JSON.stringify({ allow_embed: [hostServer.origin] }), type: 'application/json' } } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await Promise.all([moduleServer?.close(), hostServer?.close(), otherServer?.close()]);
});

// The module's frame (a cross-origin iframe: Playwright can still evaluate in it).
function moduleFrame(page, hostParam) {
  return page.frames().find((f) => f.url().startsWith(moduleServer.origin) &&
                                   (!hostParam || f.url().includes('host=' + encodeURIComponent(hostParam))));
}
const frameState = async (frame) => JSON.parse(await frame.evaluate(() => window.reachlens.callString('rl_state_json')));
const received = (page) => page.evaluate(() => window.received);
async function waitReceived(page, predicate, arg, timeout = 30_000) {
  await page.waitForFunction(([p, a]) => window.received.some((m) => new Function('m', 'a', 'return ' + p)(m, a)),
                             [predicate, arg], { timeout, polling: 50 });
  const all = await received(page);
  return all.filter((m) => new Function('m', 'a', 'return ' + predicate)(m, arg));
}

describe('embedding: host page <-> module messages', () => {
  let context, page, log;
  before(async () => {
    log = [];
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
    await page.goto(hostServer.url + 'host.html');
    // Embedded, the module has no tenant of its own: the host names the dataset.
    await page.evaluate(([src, campaign, preset, datasetUrl]) => window.mountModule({
      src, campaign, preset, locale: 'en', theme: 'dark', apiBase: '/api', token: 'secret-token', datasetUrl,
    }), [moduleServer.url + 'index.html', CAMPAIGN, PRESET, moduleServer.url + 'data/demo/dataset.json']);
  });
  after(async () => { await context?.close(); });

  test('the module announces reachlens.ready, then posts reachlens.preview; config is applied',
       { timeout: 120_000 }, async () => {
    await page.waitForFunction(() => window.rl.isReady(), null, { timeout: 90_000 }).catch((e) => {
      throw new Error(`${e.message}\n${log.join('\n')}`);
    });
    // Only reachlens.resize (the module's page is up) may come before reachlens.ready.
    const all = await received(page);
    const ready = all.find((m) => m.type !== 'reachlens.resize');
    assert.equal(ready.type, 'reachlens.ready');
    assert.ok(all.indexOf(ready) >= 1 && all[0].type === 'reachlens.resize', JSON.stringify(all.slice(0, 3)));
    assert.equal(ready.protocol, 1);
    assert.equal(typeof ready.version, 'string');
    // The campaign the host sent was previewed and announced (no request needed).
    const previews = await waitReceived(page, "m.type === 'reachlens.preview' && !('id' in m) && " +
                                              "m.summary && m.summary.campaign_id === a", CAMPAIGN.id);
    assert.equal(previews.at(-1).summary.format, 'reachlens.preview/1');

    const frame = moduleFrame(page);
    assert.ok(frame, 'no module frame');
    const st = await frameState(frame);
    assert.equal(st.language, 'en');
    assert.equal(st.theme, 'dark');
    assert.equal(st.preset, PRESET);
    assert.equal(st.campaign_id, CAMPAIGN.id);
    const host = await frame.evaluate(() => {
      const h = window.reachlens.host;
      return { origin: h.origin, connected: h.connected, apiBase: h.apiBase, hasToken: h.hasToken };
    });
    assert.equal(host.origin, hostServer.origin);
    assert.equal(host.connected, true);
    assert.equal(host.apiBase, hostServer.origin + '/api');
    assert.equal(host.hasToken, true);
    // The host set the draft: that is not a marketer's edit.
    assert.equal((await received(page)).filter((m) => m.type === 'reachlens.draft').length, 0);
    assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
  });

  test('requestPreview() answers with the native CLI\'s summary for the campaign and preset sent',
       { timeout: 120_000 }, async () => {
    const got = await page.evaluate(() => window.rl.requestPreview(20_000));
    const want = cliPreview(CAMPAIGN_FILE, PRESET);
    assert.deepEqual(withoutWarnings(got), withoutWarnings(want));
    // The last broadcast preview says the same.
    const previews = (await received(page)).filter((m) => m.type === 'reachlens.preview' && !('id' in m));
    assert.deepEqual(withoutWarnings(previews.at(-1).summary), withoutWarnings(want));
  });

  test('messages from another frame or origin are ignored', { timeout: 60_000 }, async () => {
    const frame = moduleFrame(page);
    const before = await frameState(frame);
    const counts = await frame.evaluate(() => ({ received: window.reachlens.host.received,
                                                 ignored: window.reachlens.host.ignored }));
    const answers = async () => (await received(page)).filter((m) => m.type !== 'reachlens.resize');
    const nReceived = (await answers()).length;
    const other = CAMPAIGN.id === JSON.parse(readFileSync(campaignFiles[0], 'utf8')).id ? campaignFiles[1] : campaignFiles[0];
    const otherCampaign = JSON.parse(readFileSync(other, 'utf8'));
    // A sibling frame on a third origin posts to the module frame.
    await page.evaluate((src) => window.addFrame(src), otherServer.url + 'other.html');
    const sibling = page.frames().find((f) => f.url().startsWith(otherServer.origin));
    await sibling.evaluate(([campaign, target]) => {
      const mod = window.parent.frames[0];
      mod.postMessage({ type: 'reachlens.campaign', campaign }, target);
      mod.postMessage({ type: 'reachlens.rules', preset: 'wecom-2020' }, '*');
      mod.postMessage({ type: 'reachlens.preview', id: 'evil' }, '*');
      mod.postMessage('garbage', '*');
    }, [otherCampaign, moduleServer.origin]);
    await frame.waitForFunction((n) => window.reachlens.host.ignored >= n, counts.ignored + 4, { timeout: 5000 });
    await page.waitForTimeout(1000);
    const after = await frameState(frame);
    assert.equal(after.campaign_id, before.campaign_id);
    assert.equal(after.preset, before.preset);
    assert.equal(after.recompute_count, before.recompute_count);
    const counts2 = await frame.evaluate(() => window.reachlens.host.received);
    assert.equal(counts2, counts.received);
    assert.equal((await answers()).length, nReceived, 'the module answered a message it must ignore');
  });

  test('malformed messages from the host get reachlens.error and change nothing', { timeout: 60_000 }, async () => {
    const frame = moduleFrame(page);
    const before = await frameState(frame);
    const summaryBefore = await page.evaluate(() => window.rl.requestPreview(20_000));
    const dir = mkdtempSync(join(tmpdir(), 'reachlens-embed-'));
    let engineMessage;
    const badCampaign = { format: 'reachlens.campaign/1', id: 7 };
    try {
      const path = join(dir, 'campaign.json');
      writeFileSync(path, JSON.stringify(badCampaign));
      const cli = spawnSync(CLI, ['preview', '--dataset', join(DEMO, 'dataset.json'), '--campaign', path,
                                  '--preset', PRESET], { encoding: 'utf8' });
      assert.equal(cli.status, 2);
      engineMessage = cli.stderr.trim().replace(/^error: /, '').replace(path, 'campaign.json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const n0 = (await received(page)).length;
    await page.evaluate(([target, bad]) => {
      const w = window.rl.iframe.contentWindow;
      w.postMessage('hello', target);                                          // not an object
      w.postMessage({ noType: true }, target);                                 // no type
      w.postMessage({ type: 42, id: 'm3' }, target);                           // type not a string
      w.postMessage({ type: 'reachlens.campaign', campaign: 'x', id: 'm4' }, target);      // wrong field type
      w.postMessage({ type: 'reachlens.rules', preset: 'wecom-1999', id: 'm5' }, target);  // unknown preset
      w.postMessage({ type: 'reachlens.campaign', campaign: bad, id: 'm6' }, target);      // engine: invalid
      w.postMessage({ type: 'reachlens.load', url: '/no-such-dataset.json', id: 'm7' }, target);
      w.postMessage({ type: 'reachlens.config', locale: 'fr', theme: 'dark', id: 'm8' }, target);
      w.postMessage({ type: 'reachlens.no-such-type', id: 'm9' }, target);     // unknown: ignored
      w.postMessage({ type: 'reachlens.preview', id: 'm10' }, target);         // in order, after the rest
    }, [moduleServer.origin, badCampaign]);
    await waitReceived(page, "m.id === 'm10'");
    const replies = (await received(page)).slice(n0).filter((m) => m.type !== 'reachlens.preview' || m.id);
    const errors = replies.filter((m) => m.type === 'reachlens.error');
    assert.equal(errors.length, 8, JSON.stringify(replies, null, 1));
    for (const e of errors) {
      assert.equal(typeof e.code, 'string');
      assert.equal(typeof e.message, 'string');
    }
    const byId = Object.fromEntries(errors.filter((e) => e.id).map((e) => [e.id, e]));
    assert.equal(errors.filter((e) => !e.id).length, 2);
    assert.ok(errors.filter((e) => !e.id).every((e) => e.code === 'invalid_message'));
    assert.equal(byId.m3.code, 'invalid_message');
    assert.equal(byId.m4.code, 'invalid_message');
    assert.equal(byId.m5.code, 'invalid_rules');
    assert.equal(byId.m6.code, 'invalid_campaign');
    assert.equal(byId.m6.message, engineMessage);
    assert.equal(byId.m7.code, 'load_failed');
    assert.equal(byId.m8.code, 'invalid_message');
    assert.equal(byId.m9, undefined);
    const answer = replies.find((m) => m.id === 'm10');
    assert.equal(answer.type, 'reachlens.preview');
    assert.deepEqual(answer.summary, summaryBefore);
    const after = await frameState(frame);
    for (const k of ['campaign_id', 'preset', 'language', 'theme', 'dataset_loaded'])
      assert.equal(after[k], before[k], k);
  });

  test('a marketer\'s edit in the module posts reachlens.draft', { timeout: 60_000 }, async () => {
    const frame = moduleFrame(page);
    const rects = await itemRects(frame);
    const box = await page.locator('#slot iframe').boundingBox();
    const r = rects.draft_text;
    assert.ok(r, 'no draft_text item');
    await page.mouse.click(box.x + r.x + r.w / 2, box.y + r.y + r.h / 2);
    await frame.waitForFunction(() => document.activeElement && document.activeElement.id === 'rl-text-input', null,
                                { timeout: 5000 });
    await page.keyboard.type('Zq7');
    // A draft per handled edit: on a loaded machine the first may hold only the first key.
    const drafts = await waitReceived(page, "m.type === 'reachlens.draft' && m.campaign.content.text.includes('Zq7')");
    const last = drafts.at(-1);
    assert.equal(last.campaign.id, CAMPAIGN.id);
    assert.ok(last.campaign.content.text.includes('Zq7'), JSON.stringify(last.campaign.content.text));
    assert.equal(last.campaign.content.text, await frame.evaluate(() => window.reachlens.callString('rl_draft_text')));
    // Followed by the preview of the edited draft.
    await waitReceived(page, "m.type === 'reachlens.preview' && !('id' in m) && m.summary.campaign_id === a", CAMPAIGN.id);
  });

  test('rules as an object and a dataset by URL go through the engine; the draft is kept', { timeout: 120_000 },
       async () => {
    const rules = JSON.parse(readFileSync(join(ROOT, 'assets/rules/wecom-2020.json'), 'utf8'));
    rules.name = 'tenant-custom';
    const dir = mkdtempSync(join(tmpdir(), 'reachlens-embed-'));
    try {
      const rulesPath = join(dir, 'rules.json');
      writeFileSync(rulesPath, JSON.stringify(rules));
      const n0 = (await received(page)).length;
      const got = await page.evaluate(async ([campaign, rulesDoc, url]) => {
        window.rl.setCampaign(campaign);   // back to the host's campaign (the test above edited it)
        window.rl.setRules(rulesDoc);
        window.rl.setDataset(url);         // absolute: the module's own origin
        return window.rl.requestPreview(60_000);
      }, [CAMPAIGN, rules, moduleServer.url + 'data/demo/dataset.json']);
      const want = JSON.parse(execFileSync(CLI, ['preview', '--dataset', join(DEMO, 'dataset.json'), '--campaign',
                                                 CAMPAIGN_FILE, '--rules', rulesPath],
                                           { encoding: 'utf8', maxBuffer: 1 << 26 }));
      assert.deepEqual(withoutWarnings(got), withoutWarnings(want));
      assert.deepEqual((await received(page)).slice(n0).filter((m) => m.type === 'reachlens.error'), []);
      const st = await frameState(moduleFrame(page));
      assert.equal(st.preset, 'tenant-custom');
      assert.equal(st.campaign_id, CAMPAIGN.id);
      assert.equal(st.dataset_loaded, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedding: a dataset object from the host', () => {
  test('is parsed in the module\'s dataset worker, the draft kept; an invalid one gets invalid_dataset with its ' +
       'JSON pointer and the tenant in use stays', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reachlens-embed-'));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      execFileSync(CLI, ['generate', '--customers', '400', '--seed', '11', '--out', dir]);
      const dataset = JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8'));
      const page = await context.newPage();
      await page.goto(hostServer.url + 'host.html');
      await page.evaluate(([src, campaign]) => window.mountModule({ src, campaign, locale: 'zh-CN' }),
                          [moduleServer.url + 'index.html', CAMPAIGN]);
      await page.waitForFunction(() => window.rl.isReady(), null, { timeout: 90_000 });
      const frame = moduleFrame(page);
      const got = await page.evaluate((doc) => { window.rl.setDataset(doc); return window.rl.requestPreview(60_000); }, dataset);
      const datasetPath = join(dir, 'dataset.json');
      const want = JSON.parse(execFileSync(CLI, ['preview', '--dataset', datasetPath, '--campaign', CAMPAIGN_FILE,
                                                 '--preset', 'wecom-2025'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
      assert.equal(got.audience, want.audience);
      assert.deepEqual(withoutWarnings(got), withoutWarnings(want));
      assert.deepEqual(await frame.evaluate(() => window.ReachLensData.lastLoad), { via: 'worker', ok: true });
      const st = await frameState(frame);
      assert.equal(st.campaign_id, CAMPAIGN.id, 'the draft was not kept');

      const bad = structuredClone(dataset);
      bad.customers[5].external_userid = 42;
      const n0 = (await received(page)).length;
      await page.evaluate((doc) => window.rl.setDataset(doc), bad);
      const errors = await waitReceived(page, "m.type === 'reachlens.error'");
      const error = errors.at(-1);
      assert.equal(error.code, 'invalid_dataset');
      assert.match(error.message, /^dataset\.json: \/customers\/5\/external_userid: /);
      assert.ok((await received(page)).length > n0);
      const data = JSON.parse(await frame.evaluate(() => window.reachlens.callString('rl_panel_json', 'data')));
      assert.equal(data.summary.customers, 400, 'the tenant in use did not stay');
      assert.match(data.error_text, /[\u4e00-\u9fff]/, 'the panel does not word it in Chinese');
      assert.match(data.error_text, /\/customers\/5\/external_userid/);
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedding: origin checks', () => {
  test('a module whose ?host= is another origin ignores the parent and posts nothing to it', { timeout: 90_000 },
       async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(hostServer.url + 'host.html');
      const wrongHost = otherServer.origin;
      await page.evaluate((src) => window.addFrame(src),
                          `${moduleServer.url}index.html?data=none&host=${encodeURIComponent(wrongHost)}`);
      const frame = moduleFrame(page, wrongHost);
      await frame.waitForFunction(() => window.reachlens && window.reachlens.ready, null, { timeout: 60_000 });
      assert.equal(await frame.evaluate(() => window.reachlens.host.origin), wrongHost);
      await page.evaluate(([target, campaign]) => {
        const w = document.querySelector('iframe').contentWindow;
        w.postMessage({ type: 'reachlens.campaign', campaign }, target);
        w.postMessage({ type: 'reachlens.preview', id: 'p1' }, target);
        w.postMessage('garbage', target);
      }, [moduleServer.origin, CAMPAIGN]);
      await frame.waitForFunction(() => window.reachlens.host.ignored >= 3, null, { timeout: 5000 });
      await page.waitForTimeout(1000);
      assert.equal(await frame.evaluate(() => window.reachlens.host.received), 0);
      assert.equal((await frameState(frame)).campaign_id, null);
      // Its reachlens.ready went to the wrong origin only: the browser dropped it.
      assert.deepEqual(await page.evaluate(() => window.rawMessages), []);
    } finally {
      await context.close();
    }
  });

  test('standalone (no ?host=): the module takes no messages', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    try {
      const page = await context.newPage();
      await page.goto(moduleServer.url + 'index.html?data=none');
      await page.waitForFunction(() => window.reachlens && window.reachlens.ready, null, { timeout: 60_000 });
      assert.equal(await page.evaluate(() => window.reachlens.host.origin), null);
      await page.evaluate((campaign) => window.postMessage({ type: 'reachlens.campaign', campaign }, '*'), CAMPAIGN);
      await page.waitForTimeout(500);
      const st = JSON.parse(await page.evaluate(() => window.reachlens.callString('rl_state_json')));
      assert.equal(st.campaign_id, null);
      assert.equal(await page.evaluate(() => window.reachlens.host.received), 0);
    } finally {
      await context.close();
    }
  });
});

describe('embedding: the mock SaaS page', () => {
  test('/host-demo.html on another origin mounts the module and gets previews', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // This static server has no /api: the page is told where a dataset is.
      await page.goto(`${hostServer.url}host-demo.html?src=${encodeURIComponent(moduleServer.url + 'index.html')}` +
                      `&dataset=${encodeURIComponent(moduleServer.url + 'data/demo/dataset.json')}`);
      await page.waitForFunction(() => window.reachlensHost && window.reachlensHost.isReady(), null, { timeout: 90_000 });
      assert.equal((await page.evaluate(() => window.reachlensHost.info())).protocol, 1);
      const summary = await page.evaluate(() => window.reachlensHost.requestPreview(20_000));
      assert.equal(summary.format, 'reachlens.preview/1');
      // The host's card words every reason in Chinese: no quota shown by its id.
      await page.waitForFunction(() => document.getElementById('reasons').children.length > 0, null, { timeout: 20_000 });
      const reasons = await page.evaluate(() => document.getElementById('reasons').textContent);
      assert.ok(Object.keys(summary.blocked || {}).some((k) => k.startsWith('quota:')), 'the demo blocks no one on a quota');
      assert.doesNotMatch(reasons, /[a-z]+_[a-z_]+/, `a reason shown by its id: ${reasons}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

// The whole embedded path against the reference server, three origins:
//   host    hostServer     the SaaS page with embed.js
//   module  moduleServer   the module's static files (a CDN)
//   API     serve.py       --token, --allow-origin <module origin>
describe('embedding: submit to serve.py from the embedded module', () => {
  const TOKEN = 'tenant-token-7';
  let serve, apiOrigin, dataDir;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'reachlens-embed-submit-'));
    serve = await startServePy(['--data', dataDir, '--customers', '300', '--no-build', '--token', TOKEN,
                                '--allow-origin', moduleServer.origin]);
    apiOrigin = serve.origin;
  });
  after(async () => {
    await serve?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (path) => {
    const r = await fetch(apiOrigin + '/api' + path, { headers: { Authorization: 'Bearer ' + TOKEN } });
    assert.equal(r.status, 200, `GET /api${path}`);
    return r.json();
  };
  // The CLI's preview of a campaign against serve.py's current dataset.
  function cliOnApiDataset(datasetDoc, campaignFile, preset) {
    const dir = mkdtempSync(join(tmpdir(), 'reachlens-embed-ds-'));
    try {
      const path = join(dir, 'dataset.json');
      writeFileSync(path, JSON.stringify(datasetDoc));
      return JSON.parse(execFileSync(CLI, ['preview', '--dataset', path, '--campaign', campaignFile, '--preset', preset],
                                     { encoding: 'utf8', maxBuffer: 1 << 26 }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  async function frameClick(page, frame, name) {
    const rects = await itemRects(frame);
    const r = rects[name];
    assert.ok(r, `no tracked item ${name}`);
    const box = await page.locator('#slot iframe').boundingBox();
    await page.mouse.click(box.x + r.x + r.w / 2, box.y + r.y + r.h / 2);
    await frame.waitForFunction(() => !JSON.parse(window.reachlens.callString('rl_state_json')).busy, null,
                                { timeout: 10_000, polling: 20 });
  }

  test('the marketer submits inside the iframe: the host hears reachlens.submitted, the row is in SQLite, ' +
       'and after a reload the campaign is scheduled and in the preview', { timeout: 240_000 }, async () => {
    // A mass send of serve.py's tenant that the engine (the CLI) finds submittable.
    const datasetBefore = await api('/dataset');
    const dir = join(dataDir, 'demo', 'campaigns');
    let campaignFile = null;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
      const c = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      if (c.kind === 'mass_send' && cliOnApiDataset(datasetBefore, join(dir, f), PRESET).submittable) {
        campaignFile = join(dir, f);
        break;
      }
    }
    assert.ok(campaignFile, 'no submittable mass send in serve.py\'s tenant');
    // Without its image, video and file attachments: their bytes would have to be uploaded
    // from the page before Submit goes out (tests/browser/trust.test.mjs does that).
    const campaign = JSON.parse(readFileSync(campaignFile, 'utf8'));
    campaign.content.attachments = (campaign.content.attachments || [])
      .filter((a) => !['image', 'video', 'file'].includes(a.msgtype));
    campaignFile = join(dataDir, 'submitted-campaign.json');
    writeFileSync(campaignFile, JSON.stringify(campaign));

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const requests = [];
    const log = [];
    try {
      const page = await context.newPage();
      const submissions = [];   // what the module POSTs to {apiBase}/campaigns
      page.on('request', (r) => {
        requests.push(r.url());
        if (r.method() === 'POST' && r.url() === apiOrigin + '/api/campaigns')
          submissions.push({ body: r.postData(), key: r.headers()['idempotency-key'] });
      });
      page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
      const mount = async () => {
        await page.goto(hostServer.url + 'host.html');
        // No dataset option: the SDK loads {apiBase}/dataset with the token.
        await page.evaluate(([src, campaign, preset, apiBase, token]) => window.mountModule({
          src, campaign, preset, apiBase, token, locale: 'en',
        }), [moduleServer.url + 'index.html', campaign, PRESET, apiOrigin + '/api', TOKEN]);
        await waitReceived(page, "m.type === 'reachlens.preview' && !('id' in m) && m.summary.campaign_id === a",
                           campaign.id, 90_000);
        const frame = moduleFrame(page);
        await frame.waitForFunction(() => !JSON.parse(window.reachlens.callString('rl_state_json')).busy, null,
                                    { timeout: 10_000, polling: 20 });
        return frame;
      };
      let frame = await mount();
      // The embedded module never fetched the bundled demo tenant.
      assert.deepEqual(requests.filter((u) => u.includes('/data/demo/')), []);
      assert.ok(requests.includes(apiOrigin + '/api/dataset'), 'the dataset came from {apiBase}/dataset');
      assert.equal((await api('/campaigns')).campaigns.length, 0);

      await frameClick(page, frame, 'submit');
      assert.equal(JSON.parse(await frame.evaluate(() => window.reachlens.callString('rl_panel_json', 'submit'))).dialog_open,
                   true);
      await frameClick(page, frame, 'submit_confirm');
      const [submitted] = await waitReceived(page, "m.type === 'reachlens.submitted'", null, 60_000);
      assert.deepEqual((await received(page)).filter((m) => m.type === 'reachlens.error'), []);
      assert.equal(submitted.response.status, 'accepted');
      assert.equal(submitted.campaign_id, submitted.response.id);
      // The module's request is what docs/openapi.yaml describes (SubmitRequest, the header).
      assert.equal(submissions.length, 1);
      const submitSchema = openApiChecker().requestSchema('POST', '/campaigns');
      const sent = JSON.parse(submissions[0].body);
      assert.ok(submitSchema(sent), JSON.stringify(submitSchema.errors));
      assert.ok(sent.summary && sent.requests.length > 0, 'the module sent its summary and request bodies');
      assert.match(submissions[0].key, /^[A-Za-z0-9._:-]{1,200}$/);

      // The row, in the API's listing and in the SQLite file itself.
      const listed = (await api('/campaigns')).campaigns;
      assert.equal(listed.length, 1);
      assert.equal(listed[0].id, submitted.campaign_id);
      assert.equal(listed[0].campaign.id, campaign.id);
      const rows = JSON.parse(execFileSync('python3', ['-c',
        'import json, sqlite3, sys; db = sqlite3.connect(sys.argv[1]); ' +
        'print(json.dumps(db.execute("SELECT id, status, scheduled_id FROM campaigns").fetchall()))',
        join(dataDir, 'reachlens.sqlite3')], { encoding: 'utf8' }));
      assert.deepEqual(rows, [[submitted.campaign_id, 'accepted', listed[0].scheduled_id]]);

      // Reload the host page: the module's dataset now holds the campaign as scheduled. The
      // preview of the same draft leaves that copy out (it is the draft: played twice, it
      // would take its own customers' quota), as the CLI does on the tenant without it; a
      // preview of another campaign would count it.
      const datasetAfter = await api('/dataset');
      assert.equal(datasetAfter.scheduled.length, datasetBefore.scheduled.length + 1);
      assert.equal(datasetAfter.scheduled.filter((c) => c.id === listed[0].scheduled_id).length, 1);
      requests.length = 0;
      frame = await mount();
      assert.deepEqual(requests.filter((u) => u.includes('/data/demo/')), []);
      // The module asks for the accepted campaigns when it starts (web/submit.js).
      await frame.waitForFunction(() => window.reachlens.submit.acceptedLists > 0, null, { timeout: 30_000, polling: 50 });
      const got = await page.evaluate(() => window.rl.requestPreview(30_000));
      const want = cliOnApiDataset(datasetBefore, campaignFile, PRESET);
      assert.deepEqual(withoutWarnings(got), withoutWarnings(want));
      assert.ok(!got.impact.some((i) => i.campaign_id === listed[0].scheduled_id),
                `the submitted campaign ${listed[0].scheduled_id} is not in its own preview's impact: ${JSON.stringify(got.impact)}`);
      assert.deepEqual(log, []);
    } finally {
      await context.close();
    }
  });
});
