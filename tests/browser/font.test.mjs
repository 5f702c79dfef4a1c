// The fallback font: characters outside the UI subset (Traditional forms, rare hanzi,
// Hangul) render once the page has merged the rest of Noto Sans CJK SC in the background;
// without it they show U+FFFD and the dashboard still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { haveBuild, itemRects, openApp, screenshot, useApp, waitIdle } from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const OUTSIDE_SUBSET = '們峯喆龘한';   // none of these is in GB2312 or the demo tenant
const hasGlyph = (page, ch) => page.evaluate((c) => window.reachlens.module._rl_font_has_glyph(c.codePointAt(0)), ch);

const app = useApp();

// Types `text` as the draft's text and returns a screenshot of the editor.
async function editorWith(page, text) {
  await page.evaluate((t) => {
    const M = window.reachlens.module;
    const bytes = new TextEncoder().encode(t + '\0');
    const ptr = M._malloc(bytes.length);
    M.HEAPU8.set(bytes, ptr);
    M._rl_set_draft_text(ptr);
    M._free(ptr);
  }, text);
  await waitIdle(page);
  const r = (await itemRects(page)).draft_text;
  assert.ok(r, 'the draft text editor is on screen');
  return page.screenshot({ clip: { x: r.x, y: r.y, width: Math.min(r.w, 400), height: 60 } });
}

test('characters outside the subset render after the fallback font is merged', { timeout: 120_000 }, async () => {
  const log = [];
  const { context, page } = await openApp(app.browser, app.server.url, { log });
  await page.waitForFunction(() => window.reachlens.fallbackFont === true, null, { timeout: 30_000 });
  for (const ch of OUTSIDE_SUBSET) assert.equal(await hasGlyph(page, ch), 1, `${ch} comes from the fallback font`);
  // Emoji come from the colour emoji sheet (tests/browser/unicode.test.mjs); one outside
  // the sheet is in no font and stays a placeholder.
  assert.equal(await hasGlyph(page, '\u{1FAE8}'), 0, 'an emoji outside the sheet is in no font (placeholder)');
  const text = `繁體：我們 峯 喆 龘 한국어`;
  await editorWith(page, text);
  await screenshot(page, 'fallback-font.png');
  assert.equal(await hasGlyph(page, '中'), 1, 'the UI subset still serves common hanzi');
  await context.close();
});

test('a glyph looked up before the merge is drawn from the fallback afterwards', { timeout: 120_000 }, async () => {
  const log = [];
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Hold the fallback font back until the text has been drawn with placeholders.
  let release;
  const gate = new Promise((ok) => { release = ok; });
  await context.route('**/reachlens-sc-fallback.otf', async (route) => { await gate; await route.continue(); });
  const page = await context.newPage();
  page.on('pageerror', (e) => log.push(e.message));
  await page.goto(app.server.url);
  await page.waitForFunction(() => window.reachlens && window.reachlens.ready, null, { timeout: 90_000 });
  const placeholder = await editorWith(page, '們們們們們們們們');
  assert.equal(await hasGlyph(page, '們'), 0);
  release();
  await page.waitForFunction(() => window.reachlens.fallbackFont === true, null, { timeout: 30_000 });
  const real = await editorWith(page, '們們們們們們們們');
  assert.equal(await hasGlyph(page, '們'), 1);
  assert.ok(!placeholder.equals(real), 'the text is drawn differently once the glyph exists');
  assert.deepEqual(log, []);
  await context.close();
});
