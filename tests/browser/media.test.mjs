// Browser tests of picking media (web/media.js + src/ui/media.cpp): a PNG made here goes
// through the page's real <input type=file>, is decoded by the app.browser and lands in the
// draft document with its true size, as a WebGL texture, and on screen (pixels sampled
// in a screenshot: cover-cropped, rounded corners); a video recorded by the app.browser
// itself; files that are not images give a message naming the file and leave the draft alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  call, callString, haveBuild, itemRects, mediaPanel, pickFile, png, recordWebm, openApp, screenshot, waitIdle as waitIdleShort, clickItem as clickAndSettle, useApp,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

// Waiting for the app to settle: generous, since a loaded machine renders a dpr-2 frame in
// a second or more (the assertions never depend on time).
const waitIdle = (page) => waitIdleShort(page, 90_000);
const clickItem = (page, name) => clickAndSettle(page, name, { timeout: 90_000 });

const MAGENTA = [230, 20, 190];
const GREEN = [20, 200, 60];
// 600×300: the middle half magenta, a quarter of green on each side. A square box
// cover-cropped from it shows only magenta; a stretched one would show green at its sides.
const PICTURE = png(600, 300, (x) => (x >= 150 && x < 450 ? MAGENTA : GREEN));
const PICTURE_NAME = '新品海报-测试.png';

const media = mediaPanel;
const draftDoc = async (page) => JSON.parse(await callString(page, 'rl_draft_json')).draft;
const customerView = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'customer_view'));

// RGBA of screenshot pixels (device pixels), decoded by the app.browser.
async function pixels(page, shot, points) {
  return page.evaluate(async ([b64, pts]) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    return pts.map(([x, y]) => Array.from(g.getImageData(Math.round(x), Math.round(y), 1, 1).data));
  }, [shot.toString('base64'), points]);
}
const near = (a, b, tol = 24) => Math.abs(a[0] - b[0]) <= tol && Math.abs(a[1] - b[1]) <= tol && Math.abs(a[2] - b[2]) <= tol;

const app = useApp();

describe('media', () => {
  const DPR = 2;
  let context, page;
  const log = [];
  before(async () => {
    ({ context, page } = await openApp(app.browser, app.server.url, { dpr: DPR, width: 1280, height: 900, log }));
    // The emoji sheet and the fallback font load in the background after start: let them land
    // first, so the recorded video below is not starved of frames by their merge.
    await page.waitForFunction(() => window.reachlens.fallbackFont === true, null, { timeout: 60_000 });
  });
  after(async () => { await context?.close(); });

  test('an image picked through the file input: attachment, texture, pixels on screen', { timeout: 120_000 }, async () => {
    const doc0 = await draftDoc(page);
    assert.ok(doc0, 'the app starts with a draft');
    const images0 = doc0.content.attachments.filter((a) => a.msgtype === 'image').length;

    const m = await pickFile(page, false, { name: PICTURE_NAME, mimeType: 'image/png', buffer: PICTURE });
    assert.equal(m.error, '', m.error);
    assert.equal(m.picking, false);
    const doc = await draftDoc(page);
    const added = doc.content.attachments.at(-1);
    // The picked file waits for its upload under an id of the page's (no server here).
    assert.match(added.image.upload_id ?? '', /^up-[0-9a-f-]{36}$/);
    const { upload_id, ...image } = added.image;
    assert.deepEqual({ ...added, image }, { msgtype: 'image', image: { name: PICTURE_NAME, bytes: PICTURE.length, width: 600, height: 300 } });
    assert.equal(doc.content.attachments.length, doc0.content.attachments.length + 1, 'one attachment added');
    // The texture is the thumbnail: long side 256, the picture's aspect.
    const tex = m.texture_list.find((t) => t.name === PICTURE_NAME);
    assert.deepEqual(tex, { name: PICTURE_NAME, width: 256, height: 128 });

    // On screen: the customer's-eye view of a reached customer draws the draft's images.
    await callString(page, 'rl_show_tab', 'customer');
    await waitIdle(page);
    await clickItem(page, 'cv_pick_reached');
    await waitIdle(page);
    assert.equal((await customerView(page)).verdict, 'reached');
    const rects = await itemRects(page);
    const r = rects[`cv_image:${images0}`];
    assert.ok(r, `the new image is drawn (have ${Object.keys(rects).filter((k) => k.startsWith('cv_')).join(', ')})`);
    const { png: shot } = await screenshot(page, 'media-thumbnail.png');
    const px = (fx, fy) => [(r.x + r.w * fx) * DPR, (r.y + r.h * fy) * DPR];
    const [centre, left, right, corner] = await pixels(page, shot, [px(0.5, 0.5), px(0.08, 0.5), px(0.92, 0.5), [r.x * DPR + 0.5, r.y * DPR + 0.5]]);
    assert.ok(near(centre, MAGENTA), `centre ${centre} is the picture's colour`);
    if (images0 >= 1) {
      // A grid cell is square: cover cropping keeps the middle of the 2:1 picture.
      assert.ok(near(left, MAGENTA) && near(right, MAGENTA), `cropped, not stretched: left ${left}, right ${right}`);
    }
    assert.ok(!near(corner, MAGENTA, 40), `rounded corner ${corner}`);
    assert.ok((await media(page)).textures >= 1);
    assert.equal((await media(page)).shader, 'rounded_image', 'the fragment shader compiled');
  });

  test('images known only by name get a placeholder cover, not a blank box', { timeout: 60_000 }, async () => {
    const m = await media(page);
    assert.ok(m.drawn_placeholders > 0, 'the demo draft has name-only images');
    const rects = await itemRects(page);
    const r = rects['cv_image:0'];
    assert.ok(r);
    const { png: shot } = await screenshot(page, 'media-placeholder.png');
    const pts = [];
    for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) pts.push([(r.x + r.w * i / 20) * DPR, (r.y + r.h * j / 20) * DPR]);
    const row = await pixels(page, shot, pts);
    const distinct = new Set(row.map((p) => p.slice(0, 3).join(','))).size;
    assert.ok(distinct >= 3, `the placeholder has a glyph and a label band: ${distinct} colours`);
    const bg = (await pixels(page, shot, [[(r.x - 4) * DPR, (r.y + r.h / 2) * DPR]]))[0];
    assert.ok(!near(row[0], bg, 8), `the placeholder ${row[0]} differs from the card ${bg}`);
  });

  test('a video: duration and cover frame, or a clear error when this app.browser cannot record one', { timeout: 120_000 }, async () => {
    // Chromium records a short WebM of a canvas (MediaRecorder); headless builds without an
    // encoder cannot, and then the error path is what is checked.
    const webm = await recordWebm(page);
    const doc0 = await draftDoc(page);
    if (webm) {
      const buffer = Buffer.from(webm, 'base64');
      const m = await pickFile(page, true, { name: 'clip.webm', mimeType: 'video/webm', buffer });
      if (m.failures === 0) {
        console.log('video: recorded and read back');
        const added = (await draftDoc(page)).content.attachments.at(-1);
        assert.equal(added.msgtype, 'video');
        assert.equal(added.video.name, 'clip.webm');
        assert.equal(added.video.bytes, buffer.length);
        assert.ok(added.video.seconds > 0.5 && added.video.seconds < 5, `duration ${added.video.seconds}`);
        assert.ok(m.texture_list.some((t) => t.name === 'clip.webm' && t.width === 160 && t.height === 90), 'cover frame texture');
        return;
      }
      console.log(`video: recorded but not readable: ${m.error}`);
      // Recorded but not readable back: the message names the file; the draft is unchanged.
      assert.match(m.error, /clip\.webm/);
      assert.deepEqual(await draftDoc(page), doc0);
      return;
    }
    console.log('video: MediaRecorder unavailable, checking the error path');
    const m = await pickFile(page, true, { name: 'broken.webm', mimeType: 'video/webm', buffer: Buffer.from('not a video') });
    assert.match(m.error, /broken\.webm/);
    assert.deepEqual(await draftDoc(page), doc0);
  });

  test('a file that is not an image, or a broken one: a message naming it, the draft unchanged', { timeout: 60_000 }, async () => {
    const doc0 = await draftDoc(page);
    const f0 = (await media(page)).failures;
    let m = await pickFile(page, false, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    assert.equal(m.failures, f0 + 1);
    assert.match(m.error, /notes\.txt/);
    assert.match(m.error, /不是图片|not an image/);
    assert.equal(m.picking, false);
    assert.deepEqual(await draftDoc(page), doc0, 'the draft is unchanged');
    // Worded when drawn: switching the language afterwards rewords the message (and back).
    const shown = m.error;
    for (const [lang, words] of [['en', /"notes\.txt" is not an image/], ['zh', /"notes\.txt" 不是图片/]]) {
      assert.equal(await call(page, 'rl_set_language', lang), 0);
      await waitIdleShort(page);
      assert.match((await media(page)).error, words, lang);
    }
    assert.equal(await call(page, 'rl_set_language', /不是图片/.test(shown) ? 'zh' : 'en'), 0);
    await waitIdleShort(page);

    m = await pickFile(page, false, { name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('no PNG here') });
    assert.equal(m.failures, f0 + 2);
    assert.match(m.error, /broken\.png/);
    assert.deepEqual(await draftDoc(page), doc0, 'the draft is unchanged');
    assert.ok(!log.some((l) => l.startsWith('pageerror')), log.join('\n'));
  });
});
