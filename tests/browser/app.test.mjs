// Browser tests of the web build (build/wasm/web, made by scripts/build_web.sh), run by
//   node --test tests/browser/
// in headless Debian Chromium (WebGL through SwiftShader). Screenshots go to build/screenshots/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  APP_PRESET, CLI, DEMO, SCREENSHOTS, callBytes, callString, clickItem, colourStats, draftText, frames, haveBuild,
  itemRects, lastError, openApp, screenshot, state, summary, useApp, waitFramesAbove, waitIdle,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
const campaignFiles = manifest.campaigns.map((f) => join(DEMO, f));

const withoutWarnings = (s) => { const { warnings, ...rest } = s; return rest; };
const count = (haystack, needle) => haystack.split(needle).length - 1;

const app = useApp();

describe('page load', () => {
  test('(a) the demo loads and renders at devicePixelRatio 1 and 2', { timeout: 180_000 }, async () => {
    for (const dpr of [1, 2]) {
      const log = [];
      const t0 = Date.now();
      const { context, page } = await openApp(app.browser, app.server.url, { dpr, log });
      const loadMs = Date.now() - t0;
      const st = await state(page);
      assert.equal(st.dataset_loaded, true);
      assert.equal(st.preset, APP_PRESET);
      assert.equal(st.campaigns, campaignFiles.length);
      assert.equal(st.device_pixel_ratio, dpr);
      // The canvas is sized in device pixels.
      const size = await page.evaluate(() => {
        const c = document.getElementById('canvas');
        return { w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight };
      });
      assert.equal(size.w, Math.round(size.cw * dpr));
      assert.equal(size.h, Math.round(size.ch * dpr));
      // Loading screen gone, no error overlay.
      assert.equal(await page.locator('#rl-loading').isHidden(), true);
      assert.equal(await page.locator('#rl-error').isHidden(), true);

      const { path, png } = await screenshot(page, `main-dpr${dpr}.png`);
      const stats = await colourStats(page, png);
      assert.equal(stats.width, 1280 * dpr);
      assert.ok(stats.distinct > 200, `only ${stats.distinct} colours in ${path}: blank canvas?`);
      assert.ok(stats.topShare < 0.9, `one colour covers ${(stats.topShare * 100).toFixed(1)}% of ${path}`);
      console.log(`dpr ${dpr}: ready in ${loadMs} ms, ${stats.distinct} colours, screenshot ${path}`);
      assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
      await context.close();
    }
  });

  test('the loading screen shows byte progress while downloading', { timeout: 90_000 }, async () => {
    const context = await app.browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions',
                   { offline: false, latency: 5, downloadThroughput: 12 * 1024 * 1024, uploadThroughput: -1 });
    await page.goto(app.server.url);
    const samples = [];
    let shot = false;
    while (!(await page.evaluate(() => window.reachlens && (window.reachlens.ready || window.reachlens.error)))) {
      const s = await page.evaluate(() => ({
        width: parseFloat(document.querySelector('#rl-progress > div').style.width) || 0,
        pct: document.getElementById('rl-progress-pct').textContent,
        text: document.getElementById('rl-progress-text').textContent,
        visible: !document.getElementById('rl-loading').hidden,
      }));
      samples.push(s);
      if (!shot && s.width > 30 && s.width < 90) { await screenshot(page, 'loading.png'); shot = true; }
      await page.waitForTimeout(150);
    }
    const widths = samples.filter((s) => s.visible && /%$/.test(s.pct)).map((s) => s.width);
    assert.ok(widths.length >= 3, `too few progress samples: ${JSON.stringify(samples.slice(0, 5))}`);
    assert.ok(widths.some((w) => w > 5 && w < 95), `no intermediate progress: ${widths.join(' ')}`);
    for (let i = 1; i < widths.length; ++i) assert.ok(widths[i] >= widths[i - 1], `progress went back: ${widths.join(' ')}`);
    assert.ok(samples.some((s) => /MB/.test(s.text)));
    assert.equal(await page.evaluate(() => window.reachlens.error), null);
    await context.close();
  });

  test('a wasm that cannot load shows the error overlay, not a blank page', { timeout: 60_000 }, async () => {
    const context = await app.browser.newContext({ viewport: { width: 800, height: 600 } });
    const page = await context.newPage();
    await page.route('**/reachlens.wasm', (route) => route.fulfill({ status: 200, body: 'not wasm at all' }));
    await page.goto(app.server.url);
    await page.waitForFunction(() => window.reachlens && window.reachlens.error, null, { timeout: 30_000 });
    assert.equal(await page.locator('#rl-error').isVisible(), true);
    const text = await page.locator('#rl-error-text').textContent();
    assert.match(text, /abort|WebAssembly|wasm/i);
    await screenshot(page, 'error-overlay.png');
    await context.close();
  });

  test('an exception escaping a frame shows the error overlay', { timeout: 60_000 }, async () => {
    const { context, page } = await openApp(app.browser, app.server.url);
    await page.evaluate(() => window.reachlens.module._rl_debug_fail(2));
    await page.waitForFunction(() => window.reachlens.error, null, { timeout: 10_000 });
    assert.equal(await page.locator('#rl-error').isVisible(), true);
    assert.match(await page.locator('#rl-error-text').textContent(), /rl_debug_fail\(2\)/);
    await context.close();
  });
});

describe('the app', () => {
  let context, page;
  const log = [];
  before(async () => {
    ({ context, page } = await openApp(app.browser, app.server.url,
                                       { dpr: 2, log, permissions: ['clipboard-read', 'clipboard-write'] }));
  });
  after(async () => { await context?.close(); });

  test('(f) idle: no frames are built when nothing happens', { timeout: 60_000 }, async () => {
    // The emoji sheet and then the fallback font arrive in the background after start, and
    // each redraws a few frames: idle is measured once both are in.
    await page.waitForFunction(() => window.reachlens.fallbackFont === true, null, { timeout: 30_000 });
    await page.waitForTimeout(1000);
    const f0 = await frames(page);
    await page.waitForTimeout(2000);
    const f1 = await frames(page);
    assert.ok(f1 - f0 <= 2, `rendered ${f1 - f0} frames in 2 s while idle`);
    // ... and the counter is live: input wakes the loop.
    await page.mouse.move(300, 300);
    await page.mouse.move(320, 310);
    await waitFramesAbove(page, f1);
    await page.waitForTimeout(1000);
    const f3 = await frames(page);
    await page.waitForTimeout(1000);
    assert.ok((await frames(page)) - f3 <= 2, 'still rendering 1 s after the last event');
  });

  test('(b) rl_set_campaign_json + rl_summary_json equal the native CLI preview', { timeout: 180_000 }, async () => {
    for (const file of campaignFiles) {
      const text = readFileSync(file, 'utf8');
      assert.equal(await callBytes(page, 'rl_set_campaign_json', text), 0, await lastError(page));
      const got = await summary(page);
      const want = JSON.parse(execFileSync(CLI, ['preview', '--dataset', join(DEMO, 'dataset.json'), '--campaign', file,
                                                  '--preset', APP_PRESET], { encoding: 'utf8', maxBuffer: 1 << 26 }));
      assert.equal(got.format, 'reachlens.preview/1');
      assert.deepEqual(withoutWarnings(got), withoutWarnings(want), `summary differs for ${file}`);
    }
    // Back to the first demo campaign for the tests below.
    assert.equal(await page.evaluate(() => window.reachlens.module._rl_select_campaign(0)), 0);
    await waitIdle(page);
  });

  test('(c) a bad dataset yields the engine\'s error and the previous tenant stays', { timeout: 120_000 }, async () => {
    const before = await summary(page);
    const campaign = campaignFiles[0];
    const cases = [
      '{"format":"reachlens.dataset/1","enterprise":{"corp_name":7}}',
      '{"format":"reachlens.dataset/1", "now": 1, "now": 2}',
      '{"format":"reachlens.dataset/2"}',
      '{"format": "reachlens.dataset/1", ',
    ];
    const dir = mkdtempSync(join(tmpdir(), 'reachlens-bad-'));
    try {
      for (const bad of cases) {
        const path = join(dir, 'dataset.json');
        writeFileSync(path, bad);
        const cli = spawnSync(CLI, ['preview', '--dataset', path, '--campaign', campaign, '--preset', APP_PRESET],
                              { encoding: 'utf8' });
        assert.equal(cli.status, 2, `CLI accepted ${bad}`);
        // CLI: "error: <path>: <pointer>: <problem>"; the app names the file dataset.json.
        const want = cli.stderr.trim().replace(/^error: /, '').replace(path, 'dataset.json');
        const rc = await callBytes(page, 'rl_load_dataset_json', bad);
        assert.notEqual(rc, 0);
        assert.equal(await lastError(page), want);
        const st = await state(page);
        assert.equal(st.dataset_loaded, true);
        assert.equal(st.dataset_error, want);
        assert.deepEqual(await summary(page), before, 'the summary changed after a rejected dataset');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await waitIdle(page);
    await screenshot(page, 'dataset-error.png');
  });

  test('(d) IME: composition text arrives once in the draft editor; typing once', { timeout: 60_000 }, async () => {
    const original = await draftText(page);
    await clickItem(page, 'draft_text');
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'rl-text-input', null,
                               { timeout: 5000 });
    assert.equal((await state(page)).want_text_input, true);
    // ImGui's text cursor shows as the CSS I-beam over the editor.
    assert.equal(await page.evaluate(() => document.getElementById('canvas').style.cursor), 'text');
    // The hidden input sits at ImGui's caret, inside the editor.
    const rects = await itemRects(page);
    const box = await page.locator('#rl-text-input').boundingBox();
    const ed = rects.draft_text;
    assert.ok(box.x >= ed.x - 1 && box.x <= ed.x + ed.w && box.y >= ed.y - 1 && box.y <= ed.y + ed.h,
              `hidden input at ${JSON.stringify(box)}, editor at ${JSON.stringify(ed)}`);

    const recomputes = (await state(page)).recompute_count;
    // What Chrome sends for a pinyin IME: start, updates with input(isComposing), end.
    await page.evaluate(() => {
      const el = document.getElementById('rl-text-input');
      const fire = (type, data) => el.dispatchEvent(new CompositionEvent(type, { data, bubbles: true }));
      const input = (data, isComposing, inputType) =>
        el.dispatchEvent(new InputEvent('input', { data, isComposing, inputType, bubbles: true }));
      fire('compositionstart', '');
      for (const partial of ['c', 'chu', '触', '触达']) {
        el.value = partial;
        fire('compositionupdate', partial);
        input(partial, true, 'insertCompositionText');
      }
      el.value = '触达测试';
      fire('compositionupdate', '触达测试');
      input('触达测试', true, 'insertCompositionText');
      fire('compositionend', '触达测试');
    });
    await waitIdle(page);
    let text = await draftText(page);
    assert.equal(count(text, '触达测试'), 1, `draft text: ${JSON.stringify(text)}`);
    assert.equal([...text].length, [...original].length + 4);

    // Plain typing (keydown/keypress/input): each character once, not twice.
    await page.keyboard.type('Qz9');
    await waitIdle(page);
    text = await draftText(page);
    assert.equal(count(text, 'Qz9'), 1, `draft text: ${JSON.stringify(text)}`);
    assert.equal([...text].length, [...original].length + 7);

    // Backspace reaches ImGui through GLFW's key path.
    await page.keyboard.press('Backspace');
    await waitIdle(page);
    assert.equal(count(await draftText(page), 'Qz9'), 0);
    assert.equal(count(await draftText(page), 'Qz'), 1);

    // The edit triggered a (debounced) recompute.
    await waitIdle(page);
    assert.ok((await state(page)).recompute_count > recomputes);
    await screenshot(page, 'ime-edit.png');
  });

  test('(e) paste: a paste event inserts its text into the focused editor', { timeout: 60_000 }, async () => {
    assert.equal((await state(page)).want_text_input, true, 'the editor should still be focused');
    const before = await draftText(page);
    const pasted = '粘贴：满299减50\r\n第二行 line two';
    await page.evaluate((t) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', t);
      document.getElementById('rl-text-input').dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, pasted);
    await waitIdle(page);
    const text = await draftText(page);
    const normalized = pasted.replace(/\r\n/g, '\n');
    assert.equal(count(text, normalized), 1, `draft text: ${JSON.stringify(text)}`);
    assert.equal([...text].length, [...before].length + [...normalized].length);
    // Ctrl+V itself must not paste ImGui's internal copy a second time.
    await page.keyboard.press('Control+V');
    await waitIdle(page);
    assert.equal(count(await draftText(page), normalized), 1);
    await waitIdle(page);
  });

  test('copy: Ctrl+A, Ctrl+C in the editor reach the system clipboard', { timeout: 30_000 }, async () => {
    assert.equal((await state(page)).want_text_input, true, 'the editor should still be focused');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+C');
    await waitIdle(page);
    const text = await draftText(page);
    await page.waitForFunction(async (t) => (await navigator.clipboard.readText()) === t, text, { timeout: 5000 });
  });

  test('wheel scrolls the panel under the mouse by a sane amount', { timeout: 30_000 }, async () => {
    await page.mouse.click(5, 5);  // leave the editor
    await page.setViewportSize({ width: 1280, height: 560 });  // the preview panel overflows a lot
    await waitIdle(page);
    const rects = await itemRects(page);
    const before = rects.blocked, panel = rects.preview_panel;
    await page.mouse.move(panel.x + panel.w / 2, panel.y + panel.h / 2);
    await page.mouse.wheel(0, 100);  // one notch
    await waitIdle(page);
    const after = (await itemRects(page)).blocked;
    const moved = before.y - after.y;
    assert.ok(moved > 10 && moved < 200, `one wheel notch scrolled ${moved} CSS px`);
    await page.mouse.wheel(0, -1000);
    await waitIdle(page);
    assert.ok(Math.abs((await itemRects(page)).blocked.y - before.y) < 1, 'did not scroll back to the top');
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitIdle(page);
  });

  test('resize and devicePixelRatio changes resize the canvas', { timeout: 60_000 }, async () => {
    const cdp = await context.newCDPSession(page);
    const canvasSize = () => page.evaluate(() => [document.getElementById('canvas').width, document.getElementById('canvas').height]);
    await page.setViewportSize({ width: 1100, height: 700 });
    await page.waitForFunction(() => document.getElementById('canvas').width === 2200, null, { timeout: 5000 });
    await waitIdle(page);
    assert.deepEqual(await canvasSize(), [2200, 1400]);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1100, height: 700, deviceScaleFactor: 1, mobile: false });
    await page.waitForFunction(() => document.getElementById('canvas').width === 1100, null, { timeout: 5000 });
    await waitIdle(page);
    assert.equal((await state(page)).device_pixel_ratio, 1);
    assert.deepEqual(await canvasSize(), [1100, 700]);
    await page.screenshot({ path: join(SCREENSHOTS, 'resized-1100x700-dpr1.png'), scale: 'css' });
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 2, mobile: false });
    await page.waitForFunction(() => document.getElementById('canvas').width === 2560, null, { timeout: 5000 });
    await waitIdle(page);
    assert.equal((await state(page)).device_pixel_ratio, 2);
    await cdp.send('Emulation.clearDeviceMetricsOverride');
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitIdle(page);
  });

  test('language and theme switches', { timeout: 60_000 }, async () => {
    await clickItem(page, 'language');
    await clickItem(page, 'theme');
    await waitIdle(page);
    const st = await state(page);
    assert.equal(st.language, 'en');
    assert.equal(st.theme, 'dark');
    const { png } = await screenshot(page, 'main-en-dark.png');
    assert.ok((await colourStats(page, png)).distinct > 200);
    await clickItem(page, 'language');
    await clickItem(page, 'theme');
    const back = await state(page);
    assert.equal(back.language, 'zh-CN');
    assert.equal(back.theme, 'light');
    assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
  });

  test('an exception in the UI code is caught: error window, then the app goes on', { timeout: 60_000 }, async () => {
    await page.evaluate(() => window.reachlens.module._rl_debug_fail(1));
    await waitIdle(page);
    assert.match((await state(page)).ui_error, /rl_debug_fail\(1\)/);
    await screenshot(page, 'ui-error-window.png');
    await clickItem(page, 'error_dismiss');
    assert.equal((await state(page)).ui_error, '');
    assert.equal(await page.evaluate(() => window.reachlens.error), null);
    // Still working: a campaign switch recomputes.
    const before = (await state(page)).recompute_count;
    assert.equal(await page.evaluate(() => window.reachlens.module._rl_select_campaign(2)), 0);
    await waitIdle(page);
    await summary(page);
    assert.ok((await state(page)).recompute_count > before);
    assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
  });
});
