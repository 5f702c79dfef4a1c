// The single-file build (scripts/build_web.sh step 6): build/wasm/web-single/reachlens.html
// opened straight from file:// — as a marketer double-clicking it would — with no server.
// The module (wasm inside, -sSINGLE_FILE=1), the page's scripts, the font and a small
// demo tenant are all inside the one file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { APP_PRESET, CLI, ROOT, callString, clickItem, colourStats, launchBrowser, screenshot, state, summary, waitIdle } from './helpers.mjs';

const SINGLE = join(ROOT, 'build/wasm/web-single');
const HTML = join(SINGLE, 'reachlens.html');
const TENANT = join(SINGLE, 'demo');
if (!existsSync(HTML)) throw new Error(`${HTML} is missing: run scripts/build_web.sh first`);
if (!existsSync(CLI)) throw new Error('build/native/reachlens is missing: run scripts/build_web.sh first');

const manifest = JSON.parse(readFileSync(join(TENANT, 'index.json'), 'utf8'));
const withoutWarnings = (s) => { const { warnings, ...rest } = s; return rest; };

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('reachlens.html opens from file:// with no server and previews the bundled tenant like the CLI',
     { timeout: 180_000 }, async () => {
  const url = pathToFileURL(HTML).href;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const log = [];
  const requests = [];
  try {
    const page = await context.newPage();
    page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url);
    await page.waitForFunction(() => window.reachlens && (window.reachlens.ready || window.reachlens.error), null,
                               { timeout: 120_000 });
    assert.equal(await page.evaluate(() => window.reachlens.error), null, log.join('\n'));

    // Nothing fetched but the page itself (and data: URLs it decodes).
    const outside = requests.filter((u) => u !== url && !u.startsWith('data:'));
    assert.deepEqual(outside, []);

    // The bundled tenant and its first campaign, previewed as the CLI does.
    const st = await state(page);
    assert.equal(st.dataset_loaded, true);
    assert.equal(st.campaigns, manifest.campaigns.length);
    assert.equal(st.preset, APP_PRESET);
    const got = await summary(page);
    const want = JSON.parse(execFileSync(CLI, ['preview', '--dataset', join(TENANT, 'dataset.json'), '--campaign',
                                               join(TENANT, manifest.campaigns[0]), '--preset', APP_PRESET],
                                         { encoding: 'utf8', maxBuffer: 1 << 26 }));
    assert.equal(got.campaign_id, want.campaign_id);
    assert.deepEqual(withoutWarnings(got), withoutWarnings(want));

    // The dashboard is drawn (not a blank canvas), with the bundled font (CJK glyphs).
    await waitIdle(page);
    const { path, png } = await screenshot(page, 'single-file.png');
    const stats = await colourStats(page, png);
    assert.ok(stats.distinct > 200, `only ${stats.distinct} colours in ${path}: blank canvas?`);
    assert.ok(stats.topShare < 0.9, `one colour covers ${(stats.topShare * 100).toFixed(0)}% of ${path}`);

    // No server behind file://: a submission goes straight to the outbox, no request made.
    assert.equal(await page.evaluate(() => window.reachlens.submit.apiBase), null);
    assert.equal(want.submittable, true, 'the bundled first campaign should be submittable (seed 7)');
    const before = requests.length;
    await clickItem(page, 'submit');
    await clickItem(page, 'submit_confirm');
    await page.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_panel_json', 'submit')).answered, null,
                               { timeout: 10_000 });
    await waitIdle(page);
    const panel = JSON.parse(await callString(page, 'rl_panel_json', 'submit'));
    assert.equal(panel.saved_to_outbox, true, JSON.stringify(panel));
    assert.equal(panel.outbox.count, 1);
    assert.equal(panel.outbox.entries[0].reached, want.reached);
    assert.deepEqual(requests.slice(before).filter((u) => !u.startsWith('data:') && !u.startsWith('blob:')), []);
    console.log(`reachlens.html: ${statSync(HTML).size} bytes`);
  } finally {
    await context.close();
  }
});

test('from file:// no dataset worker can start: a picked JSON file is parsed by the page, which says it may pause',
     { timeout: 180_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const log = [];
  try {
    const page = await context.newPage();
    page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
    await page.goto(pathToFileURL(HTML).href);
    await page.waitForFunction(() => window.reachlens && (window.reachlens.ready || window.reachlens.error), null,
                               { timeout: 120_000 });
    const text = readFileSync(join(TENANT, 'dataset.json'));
    const seen = await page.evaluate(async (b64) => {
      const M = window.reachlens.module;
      const start = M.asm.rl_data_start;
      let panelAtStart = null;
      // What the panel says as the page's engine starts on the JSON (the page pauses right after).
      M._rl_data_start = (ptr, len) => {
        panelAtStart = JSON.parse(window.reachlens.callString('rl_panel_json', 'data'));
        return start(ptr, len);
      };
      const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const ok = await window.ReachLensData.loadFile(new File([bytes], 'again.json'));
      const after = JSON.parse(window.reachlens.callString('rl_panel_json', 'data'));
      return { ok, panelAtStart, after };
    }, text.toString('base64'));
    assert.equal(seen.ok, true, seen.after.error);
    assert.equal(seen.panelAtStart.parse_on_page, true, 'the panel did not say the page parses it');
    assert.equal(seen.after.parse_on_page, false);
    assert.equal(seen.after.summary.source, 'again.json');
    assert.equal(seen.after.loaded_bytes, text.length);
    assert.ok(log.some((l) => /no dataset worker|dataset worker did not start/.test(l)), 'no note in the console:\n' + log.join('\n'));
  } finally {
    await context.close();
  }
});
