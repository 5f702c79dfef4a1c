// Every Unicode character kept exactly, emoji drawn in colour, and a window the size of
// the screen (F11) or a devicePixelRatio change never throws (issue 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { callString, haveBuild, itemRects, openApp, pngPixels, screenshot, useApp, waitIdle } from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

// Lipstick, Christmas tree, thumbs up + skin tone, a ZWJ family (man ZWJ woman ZWJ girl),
// a CJK Extension B hanzi and a heart with VS16.
const EMOJI_TEXT = '春季上新💄🎄👍🏻 👨‍👩‍👧 𠀋 ❤️';

const app = useApp();

const draftText = async (page) => callString(page, 'rl_draft_text');
const hasGlyph = (page, ch) => page.evaluate((c) => window.reachlens.module._rl_font_has_glyph(c.codePointAt(0)), ch);

// Puts the caret at the end of the draft's text editor (a real click on it).
async function focusEditor(page) {
  const r = (await itemRects(page)).draft_text;
  assert.ok(r, 'the draft text editor is on screen');
  await page.mouse.click(r.x + r.w - 8, r.y + r.h - 8);
  await waitIdle(page);
  await page.keyboard.press('Control+End');
  await waitIdle(page);
  return r;
}

// Share of the editor's pixels that are strongly coloured (emoji; the UI text is grey).
async function colourfulPixels(page, rect) {
  const png = await page.screenshot({ clip: { x: rect.x, y: rect.y, width: Math.min(rect.w, 500), height: Math.min(rect.h, 80) } });
  const { data: d } = await pngPixels(page, png);
  let n = 0, red = 0, green = 0;
  for (let i = 0; i < d.length; i += 4) {
    const max = Math.max(d[i], d[i + 1], d[i + 2]), min = Math.min(d[i], d[i + 1], d[i + 2]);
    if (max - min > 80) {
      n++;
      if (d[i] > 150 && d[i + 1] < 100 && d[i + 2] < 120) red++;      // lipstick
      if (d[i + 1] > 120 && d[i] < 120 && d[i + 2] < 120) green++;    // the tree
    }
  }
  return { colourful: n, red, green, total: d.length / 4 };
}

test('typed, pasted and IME emoji are kept exactly and drawn in colour', { timeout: 180_000 }, async () => {
  const log = [];
  const { context, page } = await openApp(app.browser, app.server.url, { log, permissions: ['clipboard-read', 'clipboard-write'] });
  try {
    await page.waitForFunction(() => window.reachlens.emojiFont === true, null, { timeout: 30_000 });
    for (const ch of ['💄', '🎄', '👍', '🏻', '👨', '👩', '👧']) assert.equal(await hasGlyph(page, ch), 1, `${ch} is in the emoji sheet`);
    assert.equal(await hasGlyph(page, '\u{1FAE8}'), 0, 'an emoji outside the sheet has no glyph (drawn as □)');

    // Clear the draft text, then type through the hidden input like a keyboard does.
    await page.evaluate(() => {
      const M = window.reachlens.module;
      const p = M._malloc(1); M.HEAPU8[p] = 0; M._rl_set_draft_text(p); M._free(p);
    });
    await waitIdle(page);
    const editor = await focusEditor(page);
    const typed = '春季上新💄🎄';
    await page.keyboard.insertText(typed);   // an `input` event with the whole text (as a keyboard or emoji picker)
    await waitIdle(page);
    assert.equal(await draftText(page), typed, 'typed emoji are kept (not U+FFFD)');

    // IME: a composition that commits an emoji with a skin tone.
    await page.evaluate(() => {
      const input = document.getElementById('rl-text-input');
      input.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
      input.value = 'dianzan';
      input.dispatchEvent(new InputEvent('input', { data: 'dianzan', inputType: 'insertCompositionText', isComposing: true }));
      input.value = '👍🏻';
      input.dispatchEvent(new CompositionEvent('compositionend', { data: '👍🏻' }));
    });
    await waitIdle(page);
    assert.equal(await draftText(page), typed + '👍🏻');

    // Paste: the document `paste` event with a ZWJ family, an Extension B hanzi and VS16.
    const pasted = ' 👨‍👩‍👧 𠀋 ❤️';
    await page.evaluate((t) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', t);
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, pasted);
    await waitIdle(page);
    assert.equal(await draftText(page), EMOJI_TEXT, 'every code point kept, in order');

    // The same text in the draft document (what storage and the request bodies carry).
    const { draft } = JSON.parse(await callString(page, 'rl_draft_json'));
    assert.equal(draft.content.text, EMOJI_TEXT);

    // Drawn in colour: the lipstick's red and the tree's green in the editor.
    await focusEditor(page);
    const px = await colourfulPixels(page, editor);
    await screenshot(page, 'emoji-colour.png');
    assert.ok(px.red > 20, `red lipstick pixels drawn (${JSON.stringify(px)})`);
    assert.ok(px.green > 20, `green tree pixels drawn (${JSON.stringify(px)})`);
    assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
  } finally {
    await context.close();
  }
});

test('a window exactly the screen size, fullscreen and DPR changes never throw; state kept', { timeout: 180_000 }, async () => {
  const log = [];
  const { context, page } = await openApp(app.browser, app.server.url, { log, width: 1280, height: 800 });
  try {
    const text = '全屏测试 💄 keep me';
    await page.evaluate((t) => {
      const M = window.reachlens.module;
      const b = new TextEncoder().encode(t + '\0');
      const p = M._malloc(b.length); M.HEAPU8.set(b, p); M._rl_set_draft_text(p); M._free(p);
    }, text);
    await waitIdle(page);
    const screen = await page.evaluate(() => ({ w: screen.width, h: screen.height }));
    // The viewport becomes the screen's size (what F11 does on a normal monitor).
    await page.setViewportSize({ width: screen.w, height: screen.h });
    await page.waitForFunction(([w, h]) => {
      const c = document.getElementById('canvas');
      return c.width === w && c.height === h;
    }, [screen.w, screen.h], { timeout: 20_000 });
    await waitIdle(page);
    // Back, a DPR change (zoom), and a small window (800x600).
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitIdle(page);
    const session = await context.newCDPSession(page);
    await session.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 2, mobile: false });
    await page.waitForFunction(() => document.getElementById('canvas').width === 2560, null, { timeout: 20_000 });
    await waitIdle(page, 30_000);
    await session.send('Emulation.setDeviceMetricsOverride', { width: 800, height: 600, deviceScaleFactor: 1, mobile: false });
    await page.waitForFunction(() => document.getElementById('canvas').width === 800, null, { timeout: 20_000 });
    await waitIdle(page);
    // Fullscreen through the document API, and out again.
    await page.evaluate(async () => { try { await document.documentElement.requestFullscreen(); } catch (e) { /* headless may refuse */ } });
    await waitIdle(page);
    await page.evaluate(async () => { if (document.fullscreenElement) await document.exitFullscreen(); });
    await waitIdle(page);
    await screenshot(page, 'resize-after-fullscreen.png');
    assert.equal(await page.evaluate(() => window.reachlens.error), null, 'no error overlay');
    assert.deepEqual(log.filter((l) => /pageerror|Permissions check failed|TypeError/.test(l)), []);
    assert.equal(await draftText(page), text, 'the draft survived every resize');
  } finally {
    await context.close();
  }
});
