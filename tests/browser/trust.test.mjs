// Submit you can trust (issue 9), against a real serve.py: a campaign is sent once (the
// Idempotency-Key lives with the draft; a reload shows 已提交; another tab gets 409 in
// words), media really reach the server (uploaded as attached, byte-identical, request
// bodies with media: ids; a missing upload is 422 at the attachment; failure then retry;
// offline files kept in IndexedDB and sent with the outbox; file attachments as images and
// videos), emoji (typed, pasted, IME through Chromium's own composition) kept exactly in the
// stored request body, and drafts never lost (two new drafts both kept, a rename leaves one).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';

import {
  CLI, callBytes, callString, clickItem, haveBuild, hoverClick, itemRects, launchBrowser, openApp, pickFile, png,
  screenshot, startServedTenant, state, submitAndConfirm, summary, waitIdle, waitSubmitAnswer,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');
if (!existsSync(CLI)) throw new Error('build/native/reachlens is missing: run scripts/build_web.sh first');

const EMOJI_TEXT = '新品上市💄🎄👍🏻 全家福👨‍👩‍👧 𠀋';
let tenant, serve, browser, baseCampaign, datasetText;

before(async () => {
  tenant = await startServedTenant('reachlens-trust-');
  ({ serve, datasetText } = tenant);
  browser = await launchBrowser();
  // serve.py's tenant's mass send of the whole enterprise, without its files.
  baseCampaign = structuredClone(tenant.find('mass_send', 'enterprise'));
  baseCampaign.content.attachments = baseCampaign.content.attachments.filter((a) => !['image', 'video', 'file'].includes(a.msgtype));
});
after(async () => {
  await browser?.close();
  await tenant?.stop();
});

const getJson = async (path) => {
  const r = await fetch(serve.origin + path);
  assert.equal(r.status, 200, `GET ${path}`);
  return r.json();
};
const rowsFor = async (campaignId) => (await getJson('/api/campaigns')).campaigns.filter((r) => r.campaign.id === campaignId);
const submitPanel = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'submit'));
const draftsPanel = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'drafts'));
const draftDoc = async (page) => JSON.parse(await callString(page, 'rl_draft_json')).draft;
// Each test's campaign goes out in a month of its own: the tenant's mass-send quotas count a
// customer's sends per day and per month, and an earlier test's accepted campaign must not leave a later
// one reaching nobody.
let sendDays = 0;
const nextSendDay = () => JSON.parse(datasetText).now + 31 * 86400 * ++sendDays + 3600;
const uniqueId = (what) => `${what}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

// The page on serve.py with serve.py's tenant and `campaign` as the draft.
async function openWith(campaign, log = []) {
  const { context, page } = await openApp(browser, serve.origin + '/', { log });
  assert.equal(await callBytes(page, 'rl_load_dataset_json', datasetText), 0);
  if (campaign) {
    assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(campaign)), 0);
    await waitIdle(page);
  }
  return { context, page };
}

async function waitUploads(page, count, states = ['done']) {
  try {
    await page.waitForFunction(([n, want]) => {
      const u = JSON.parse(window.reachlens.callString('rl_panel_json', 'media')).uploads;
      return u.length >= n && u.slice(0, n).every((x) => want.includes(x.state));
    }, [count, states], { timeout: 60_000, polling: 100 });
  } catch (e) {
    const now = await page.evaluate(() => JSON.stringify(window.reachlens.uploads.list));
    throw new Error(`uploads not ${states.join('/')}: ${now}`);
  }
  await waitIdle(page);
  return JSON.parse(await callString(page, 'rl_panel_json', 'media')).uploads;
}

// First: later tests spend the tenant's quota on the same customers, and a campaign that
// reaches nobody has no request bodies to look into.
test('an image and a video upload as attached, come back byte-identical, and are submitted with media: ids', { timeout: 300_000 }, async () => {
  const campaign = { ...baseCampaign, send_time: nextSendDay(), id: uniqueId('media') };
  const log = [];
  const { context, page } = await openWith(campaign, log);
  try {
    const picture = png(320, 200, (x, y) => [(x * 7) & 255, (y * 5) & 255, 120]);
    let m = await pickFile(page, false, { name: '海报 💄.png', mimeType: 'image/png', buffer: picture });
    assert.equal(m.error, '');
    // A 10 MB MP4 (the video limit; ftyp box first, as serve.py checks), attached the way
    // web/media.js attaches a decoded video (the decoding itself is tests/browser/media.test.mjs's).
    const clip = Buffer.alloc(10 * 1024 * 1024);
    Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex').copy(clip);
    for (let i = 64; i < clip.length; i += 4096) clip[i] = (i / 4096) & 255;
    const seconds = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const blob = new Blob([bytes], { type: 'video/mp4' });
      const uploadId = 'up-test-video';
      window.reachlens.module.ccall('rl_media_add', null,
        ['number', 'string', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'string'],
        [1, 'clip.mp4', blob.size, 1280, 720, 12.5, 0, 0, 0, uploadId]);
      const t0 = performance.now();
      const u = await window.ReachLensUpload.start(uploadId, blob, 'clip.mp4', 'video');
      return u.state === 'done' ? (performance.now() - t0) / 1000 : -1;
    }, clip.toString('base64'));
    assert.ok(seconds > 0, 'the 10 MB video uploaded');
    console.log(`upload: 10 MB video to serve.py on localhost in ${seconds.toFixed(2)} s (${(10 / seconds).toFixed(1)} MB/s)`);
    const uploads = await waitUploads(page, 2);
    const doc = await draftDoc(page);
    const bodies = doc.content.attachments.filter((a) => ['image', 'video'].includes(a.msgtype)).map((a) => a[a.msgtype]);
    assert.equal(bodies.length, 2);
    for (const [body, bytes] of [[bodies[0], picture], [bodies[1], clip]]) {
      assert.ok(body.media, `${body.name} has its media id`);
      assert.ok(uploads.some((u) => u.media === body.media && u.state === 'done'));
      const r = await fetch(serve.origin + '/api/media/' + body.media);
      assert.equal(r.status, 200);
      assert.ok(Buffer.from(await r.arrayBuffer()).equals(bytes), `${body.name} came back byte-identical`);
    }
    await screenshot(page, 'trust-uploaded.png');
    const sub = await submitAndConfirm(page);
    assert.equal(sub.status, 201, JSON.stringify(sub));
    const rec = await getJson('/api/campaigns/' + sub.id);
    const sent = JSON.stringify(rec.requests);
    for (const body of bodies) assert.ok(sent.includes(`"media_id":"media:${body.media}"`), `media:${body.media} in the request bodies: ${sent.slice(0, 1500)}`);
    for (const body of bodies) assert.ok(!sent.includes('${upload:' + body.name), `no placeholder for ${body.name}`);
  } finally {
    await context.close();
  }
});

test('a file attachment is picked, uploaded as attached, comes back byte-identical and is submitted with its media id', { timeout: 300_000 }, async () => {
  const campaign = { ...baseCampaign, send_time: nextSendDay(), id: uniqueId('file'), content: { text: '价目表见附件', attachments: [] } };
  const log = [];
  const { context, page } = await openWith(campaign, log);
  try {
    // A PDF-like file of 300 KB with every byte value (a file attachment takes any type).
    const bytes = Buffer.alloc(300 * 1024);
    Buffer.from('%PDF-1.4\n').copy(bytes);
    for (let i = 16; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 8)) & 255;
    const name = '春季价目表 💄.pdf';
    const m = await pickFile(page, 'file', { name, mimeType: 'application/pdf', buffer: bytes });
    assert.equal(m.error, '', m.error);
    const uploads = await waitUploads(page, 1);
    assert.equal(uploads[0].kind, 'file');
    const att = (await draftDoc(page)).content.attachments.at(-1);
    assert.equal(att.msgtype, 'file');
    assert.equal(att.file.name, name, 'the file name kept exactly');
    assert.equal(att.file.bytes, bytes.length, 'its real size');
    assert.match(att.file.upload_id, /^up-/);
    assert.equal(att.file.media, uploads[0].media, 'the media id stored on the attachment');
    const r = await fetch(serve.origin + '/api/media/' + att.file.media);
    assert.equal(r.status, 200);
    assert.ok(Buffer.from(await r.arrayBuffer()).equals(bytes), 'the file came back byte-identical');
    assert.ok((await itemRects(page))['att0:upload'], 'the card shows the upload state');
    await screenshot(page, 'trust-file-uploaded.png');

    // The confirmation names the file and its media id, numbered as the card.
    const attempts = (await state(page)).submit.attempts;
    await clickItem(page, 'submit');
    const panel = await submitPanel(page);
    assert.equal(panel.dialog_open, true);
    assert.ok(panel.upload_lines.some((l) => l.startsWith('1 · 文件 ' + name) && l.includes('media:' + att.file.media.slice(0, 8))),
              JSON.stringify(panel.upload_lines));
    await screenshot(page, 'trust-file-confirmation.png');
    await clickItem(page, 'submit_confirm');
    const sub = await waitSubmitAnswer(page, attempts + 1);
    assert.equal(sub.status, 201, JSON.stringify(sub));
    const rec = await getJson('/api/campaigns/' + sub.id);
    assert.equal(rec.campaign.content.attachments[0].file.media, att.file.media);
    assert.ok(JSON.stringify(rec.requests).includes(`"media_id":"media:${att.file.media}"`), 'the request bodies carry media:<id>');
    assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
  } finally {
    await context.close();
  }
});

test('a file over the 20 MB limit fails at once at its card, with no retry; nothing reaches the server', { timeout: 300_000 }, async () => {
  const campaign = { ...baseCampaign, send_time: nextSendDay(), id: uniqueId('bigfile'), content: { text: '大文件', attachments: [] } };
  const { context, page } = await openWith(campaign);
  try {
    let posts = 0;
    await page.route('**/api/media', (route) => { posts++; return route.continue(); });
    await pickFile(page, 'file', { name: 'too-big.zip', mimeType: 'application/zip', buffer: Buffer.alloc(20 * 1024 * 1024 + 1) });
    const uploads = await waitUploads(page, 1, ['failed']);
    assert.equal(uploads[0].error, 'too_large');
    assert.equal(posts, 0, 'refused before any byte went up');
    const rects = await itemRects(page);
    assert.ok(rects['att0:upload'], 'the error is shown at the attachment');
    assert.ok(!Object.keys(rects).some((k) => k.endsWith(':upload_retry')), 'no retry for a file that can never fit');
    assert.equal((await state(page)).submit.enabled, false, 'Submit waits');
  } finally {
    await context.close();
  }
});

test('IME (CDP composition), typed and pasted emoji are equal in the stored request body', { timeout: 300_000 }, async () => {
  const campaign = { ...baseCampaign, send_time: nextSendDay(), id: uniqueId('ime'), content: { text: '', attachments: [] } };
  const { context, page } = await openWith(campaign);
  try {
    const editor = (await itemRects(page)).draft_text;
    assert.ok(editor, 'the text editor is on screen');
    await page.mouse.click(editor.x + editor.w / 2, editor.y + editor.h / 2);
    await waitIdle(page);
    // Typed: an `input` event with the whole text, as a keyboard or the emoji picker sends it.
    await page.keyboard.insertText('新品上市💄🎄');
    await waitIdle(page);
    // IME: Chromium's own composition (pinyin shown while composing, then the committed emoji).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'dianzan', selectionStart: 7, selectionEnd: 7 });
    await waitIdle(page);
    assert.equal(await callString(page, 'rl_draft_text'), '新品上市💄🎄', 'nothing is committed while composing');
    await cdp.send('Input.insertText', { text: '👍🏻' });
    await waitIdle(page);
    // Pasted: a ZWJ family and a rare hanzi (CJK Extension B).
    await page.evaluate((t) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', t);
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, ' 全家福👨‍👩‍👧 𠀋');
    await waitIdle(page);
    const want = '新品上市💄🎄👍🏻 全家福👨‍👩‍👧 𠀋';
    assert.equal(await callString(page, 'rl_draft_text'), want);
    const sub = await submitAndConfirm(page);
    assert.equal(sub.status, 201, JSON.stringify(sub));
    const rec = await getJson('/api/campaigns/' + sub.id);
    assert.equal(rec.campaign.content.text, want);
    assert.ok(rec.requests.length > 0);
    for (const r of rec.requests) assert.equal(r.body.text.content, want, 'the request body carries every code point');
  } finally {
    await context.close();
  }
});

test('submit, reload, submit again: one stored campaign, the page says 已提交, emoji kept exactly', { timeout: 300_000 }, async () => {
  const campaign = { ...baseCampaign, send_time: nextSendDay(), id: uniqueId('once'), content: { ...baseCampaign.content, text: EMOJI_TEXT } };
  const log = [];
  let { context, page } = await openWith(campaign, log);
  try {
    assert.equal((await summary(page)).submittable, true);
    const sub = await submitAndConfirm(page);
    assert.equal(sub.status, 201, JSON.stringify(sub));
    const key = sub.key;
    await clickItem(page, 'submit_close');
    let panel = await submitPanel(page);
    assert.equal(panel.submitted, true);
    assert.equal(panel.server_id, sub.id);

    // The stored campaign and request body carry the text byte for byte.
    const rec = await getJson('/api/campaigns/' + sub.id);
    assert.equal(rec.campaign.content.text, EMOJI_TEXT);
    assert.ok(rec.requests.length > 0);
    for (const r of rec.requests) assert.equal(r.body.text.content, EMOJI_TEXT);

    // Reload: the draft comes back from the browser's storage, still submitted, same key.
    await page.reload();
    await page.waitForFunction(() => window.reachlens && window.reachlens.ready, null, { timeout: 90_000 });
    await page.waitForFunction(() => window.reachlens.submit.acceptedLists > 0, null, { timeout: 30_000 });
    await waitIdle(page);
    assert.equal((await draftDoc(page)).id, campaign.id, 'the submitted draft was restored');
    panel = await submitPanel(page);
    assert.equal(panel.submitted, true, JSON.stringify(panel));
    assert.equal(panel.server_id, sub.id);
    assert.equal(panel.record.key, key, 'the Idempotency-Key survived the reload with the draft');
    assert.ok((await itemRects(page)).submit_state, '已提交 with the server id is on screen');
    assert.ok((await draftsPanel(page)).saved.find((d) => d.id === campaign.id).submission.state === 'accepted');
    await screenshot(page, 'trust-submitted-after-reload.png');

    // Submit again: the button says 已提交 and sends nothing.
    assert.equal((await state(page)).submit.enabled, false);
    await clickItem(page, 'submit');
    assert.equal((await state(page)).submit.dialog_open, false);
    assert.equal((await rowsFor(campaign.id)).length, 1, 'one stored campaign');

    // A page that lost its storage (another browser) sees it as submitted from the server's list.
    await context.close();
    ({ context, page } = await openWith(campaign));
    await page.waitForFunction(() => window.reachlens.submit.acceptedLists > 0, null, { timeout: 30_000 });
    await waitIdle(page);
    panel = await submitPanel(page);
    assert.equal(panel.submitted, true, 'known from GET /api/campaigns');
    assert.equal(panel.server_id, sub.id);
    assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
  } finally {
    await context.close();
  }
});

test('a submitted draft: the header keeps 规则 / language / theme on screen at 1280, 1024 and 800 px; details on click', { timeout: 300_000 }, async () => {
  const campaign = { ...baseCampaign, send_time: nextSendDay(), id: uniqueId('header-' + 'x'.repeat(24)), content: { text: '表头', attachments: [] } };
  const { context, page } = await openWith(campaign);
  try {
    const sub = await submitAndConfirm(page);
    assert.equal(sub.status, 201, JSON.stringify(sub));
    await clickItem(page, 'submit_close');
    for (const lang of ['zh', 'en']) {
      assert.equal(await page.evaluate((c) => window.reachlens.call('rl_set_language', c), lang), 0);
      for (const width of [1280, 1024, 800]) {
        await page.setViewportSize({ width, height: 720 });
        await page.waitForFunction((w) => document.getElementById('canvas').width === w, width, { timeout: 20_000 });
        await waitIdle(page);
        const rects = await itemRects(page);
        for (const name of ['submit', 'submit_state', 'submit_save_as_new', 'preset', 'language', 'theme'])
          assert.ok(rects[name] && rects[name].x >= 0 && rects[name].x + rects[name].w <= width, `${lang} ${width}px: ${name} off-screen ${JSON.stringify(rects[name])}`);
        await screenshot(page, `header-submitted-${lang}-${width}.png`);
      }
      // The full status (server id, time, what a second send needs) opens on click.
      await hoverClick(page, 'submit_state');
      const details = (await itemRects(page)).submit_state_details;
      assert.ok(details && details.x + details.w <= 800, 'the details open inside the page');
      await screenshot(page, `header-submitted-details-${lang}.png`);
      await page.keyboard.press('Escape');
      await waitIdle(page);
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  } finally {
    await context.close();
  }
});

test('the same campaign id from another tab: 409 campaign_exists, shown in words, nothing stored', { timeout: 300_000 }, async () => {
  const campaign = { ...baseCampaign, send_time: nextSendDay(), id: uniqueId('twice') };
  const first = await openWith(campaign);
  const second = await openWith(campaign);   // opened before the first one submitted
  try {
    const a = await submitAndConfirm(first.page);
    assert.equal(a.status, 201);
    const b = await submitAndConfirm(second.page);
    assert.equal(b.status, 409, JSON.stringify(b));
    assert.equal(b.error_code, 'campaign_exists');
    assert.equal(b.existing_id, a.id);
    assert.ok((await itemRects(second.page)).submit_answer, 'the answer is shown');
    await screenshot(second.page, 'trust-campaign-exists.png');
    await clickItem(second.page, 'submit_cancel');
    const panel = await submitPanel(second.page);
    assert.equal(panel.submitted, true, 'the second tab now shows the campaign as submitted');
    assert.equal(panel.record.state, 'exists');
    assert.equal(panel.server_id, a.id);
    assert.equal((await rowsFor(campaign.id)).length, 1);
  } finally {
    await first.context.close();
    await second.context.close();
  }
});

test('two new drafts are both kept; renaming the campaign id leaves one draft', { timeout: 300_000 }, async () => {
  const { context, page } = await openWith(null);
  try {
    const typeDraft = async (text) => {
      await clickItem(page, 'composer_new_draft');
      await clickItem(page, 'new_draft:mass_send:enterprise');
      const r = (await itemRects(page)).draft_text;
      await page.mouse.click(r.x + 20, r.y + 10);
      await waitIdle(page);
      await page.keyboard.insertText(text);
      await waitIdle(page);
      return (await draftDoc(page)).id;
    };
    const id1 = await typeDraft('第一份草稿 💄');
    const id2 = await typeDraft('第二份草稿 🎄');
    assert.notEqual(id1, id2, 'every new draft gets its own id');
    await page.evaluate(() => window.ReachLensStorage.flush());
    await waitIdle(page);
    let saved = (await draftsPanel(page)).saved;
    assert.equal(saved.find((d) => d.id === id1)?.excerpt, '第一份草稿 💄');
    assert.equal(saved.find((d) => d.id === id2)?.excerpt, '第二份草稿 🎄');

    // Rename the current draft's campaign id in the composer: one draft, under the new id.
    const r = (await itemRects(page)).composer_id;
    await page.mouse.click(r.x + r.w - 5, r.y + r.h / 2);
    await waitIdle(page);
    await page.keyboard.press('End');
    await page.keyboard.insertText('-春');
    await waitIdle(page);
    await page.mouse.click(5, 5);   // leave the field
    await waitIdle(page);
    await page.evaluate(() => window.ReachLensStorage.flush());
    await waitIdle(page);
    saved = (await draftsPanel(page)).saved;
    const renamed = id2 + '-春';
    assert.equal((await draftDoc(page)).id, renamed);
    assert.deepEqual(saved.filter((d) => d.excerpt === '第二份草稿 🎄').map((d) => d.id), [renamed], 'one draft, renamed');
    assert.ok(saved.find((d) => d.id === id1), 'the first draft is still there');
  } finally {
    await context.close();
  }
});

test('a submission with an attachment never uploaded is 422, shown at the attachment', { timeout: 300_000 }, async () => {
  const campaign = {
    ...baseCampaign, send_time: nextSendDay(), id: uniqueId('missing'),
    content: { text: 'no file', attachments: [{ msgtype: 'image', image: { name: 'never-uploaded.jpg', bytes: 12345, width: 100, height: 100 } }] },
  };
  const { context, page } = await openWith(campaign);
  try {
    assert.ok((await itemRects(page))['att0:upload'], 'the attachment says it is not uploaded');
    const sub = await submitAndConfirm(page);
    assert.equal(sub.status, 422);
    assert.equal(sub.error_code, 'media_missing');
    assert.equal(sub.error_pointer, '/campaign/content/attachments/0/image/media');
    await screenshot(page, 'trust-media-missing.png');
    assert.equal((await rowsFor(campaign.id)).length, 0);
  } finally {
    await context.close();
  }
});

test('an upload that fails, then a retry', { timeout: 300_000 }, async () => {
  // No other attachment: the picked one is the first, on screen without scrolling.
  const campaign = { ...baseCampaign, send_time: nextSendDay(), id: uniqueId('retry'), content: { text: '重试上传', attachments: [] } };
  const { context, page } = await openWith(campaign);
  try {
    let refusals = 0;
    // The first upload reaches an address serve.py refuses (405 with an error body): a
    // server failure, not a network one.
    await page.route('**/api/media', (route) => {
      refusals++;
      return route.continue({ url: serve.origin + '/api/media/refused' });
    });
    const picture = png(64, 64, () => [200, 30, 30]);
    await pickFile(page, false, { name: 'red.png', mimeType: 'image/png', buffer: picture });
    let uploads = await waitUploads(page, 1, ['failed']);
    assert.equal(refusals, 1);
    assert.equal(uploads[0].error, 'server');
    assert.equal((await state(page)).submit.enabled, false, 'Submit waits for the failed upload');
    const retry = Object.keys(await itemRects(page)).find((k) => k.endsWith(':upload_retry'));
    assert.ok(retry, 'a retry button at the attachment');
    await page.unroute('**/api/media');
    await hoverClick(page, retry);
    assert.equal((await page.evaluate(() => window.reachlens.uploads.stats)).retries, 1, 'the button retried the upload');
    uploads = await waitUploads(page, 1, ['done']);
    const body = (await draftDoc(page)).content.attachments.at(-1).image;
    assert.equal(body.media, uploads[0].media);
    assert.equal((await state(page)).submit.enabled, true);
  } finally {
    await context.close();
  }
});

test('offline: the files wait in IndexedDB with the outbox and go up when the server is back', { timeout: 300_000 }, async () => {
  const campaign = { ...baseCampaign, send_time: nextSendDay(), id: uniqueId('offline') };
  const { context, page } = await openWith(campaign);
  try {
    await page.route('**/api/**', (route) => route.abort('internetdisconnected'));
    const picture = png(80, 60, () => [20, 180, 40]);
    await pickFile(page, false, { name: 'green.png', mimeType: 'image/png', buffer: picture });
    const brochure = Buffer.from('%PDF-1.4 offline brochure ' + '价目'.repeat(500));
    await pickFile(page, 'file', { name: '离线价目表.pdf', mimeType: 'application/pdf', buffer: brochure });
    const uploads = await waitUploads(page, 2, ['waiting']);
    assert.deepEqual((await page.evaluate(() => window.reachlens.uploads.kept())).sort(), uploads.map((u) => u.upload_id).sort(),
                     'both kept in IndexedDB');
    assert.equal(await page.evaluate(() => Object.keys(localStorage).some((k) => localStorage.getItem(k).length > 50000)), false,
                 'not in localStorage');
    const sub = await submitAndConfirm(page);
    assert.equal(sub.status, 0);
    assert.equal((await submitPanel(page)).saved_to_outbox, true);
    await clickItem(page, 'submit_cancel');

    // The server is back: the outbox's retry uploads the kept file, then submits.
    await page.unroute('**/api/**');
    await page.evaluate(() => window.ReachLensOutbox.retry());
    await page.waitForFunction(() => window.reachlens.outbox.entries.length === 0, null, { timeout: 60_000 });
    const rows = await rowsFor(campaign.id);
    assert.equal(rows.length, 1);
    const sentAtts = rows[0].campaign.content.attachments;
    const image = sentAtts.at(-2).image, file = sentAtts.at(-1).file;
    for (const [body, bytes] of [[image, picture], [file, brochure]]) {
      assert.ok(body.media, `${body.name} submitted with its media id`);
      const r = await fetch(serve.origin + '/api/media/' + body.media);
      assert.ok(Buffer.from(await r.arrayBuffer()).equals(bytes), `${body.name} reached the server byte-identical`);
    }
    assert.deepEqual(await page.evaluate(() => window.reachlens.uploads.kept()), [], 'IndexedDB emptied once uploaded');
  } finally {
    await context.close();
  }
});
