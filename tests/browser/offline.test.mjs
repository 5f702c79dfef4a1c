// The offline outbox (web/outbox.js + the Outbox popup in src/ui/submit_dialog.cpp): with
// no ReachLens API behind the page (a static file server answers 404), a submission is
// kept in the browser's localStorage instead of being lost; it survives a reload, can be
// downloaded as JSON, deleted, and sent again once a server answers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  DEMO, call, callBytes, callString, clickItem, colourStats, haveBuild, itemRects, launchBrowser, openApp, screenshot,
  startServer, summary, waitIdle,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const STORAGE_KEY = 'reachlens.outbox/1';
const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
const campaignTexts = manifest.campaigns.map((f) => readFileSync(join(DEMO, f), 'utf8'));

let server, browser;
before(async () => {
  server = await startServer();   // static files only: POST /api/campaigns → 404
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const panel = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'submit'));
const stored = (page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k) || '[]'), STORAGE_KEY);

// Items drawn in the last frame only (popups come and go).
async function itemRectsNow(page) {
  const rects = await itemRects(page);
  const last = Math.max(...Object.values(rects).map((r) => r.frame));
  return Object.fromEntries(Object.entries(rects).filter(([, r]) => r.frame === last));
}

// A demo campaign the engine finds submittable, loaded as the draft.
async function loadSubmittableDraft(page) {
  for (const text of campaignTexts) {
    assert.equal(await callBytes(page, 'rl_set_campaign_json', text), 0);
    await waitIdle(page);
    if ((await summary(page)).submittable) return JSON.parse(text);
  }
  throw new Error('no submittable campaign in the demo tenant');
}

async function waitAnswered(page) {
  await page.waitForFunction(() => {
    const s = JSON.parse(window.reachlens.callString('rl_panel_json', 'submit'));
    return s.answered && !s.in_flight;
  }, null, { timeout: 30_000, polling: 50 });
  await waitIdle(page);
  return panel(page);
}

test('no server: the submission goes to the outbox, survives a reload, downloads as JSON, deletes',
     { timeout: 240_000 }, async () => {
  const log = [];
  const { context, page } = await openApp(browser, server.url, { log });
  try {
    const posts = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/campaigns')) posts.push({ headers: r.headers(), body: r.postData() });
    });
    const campaign = await loadSubmittableDraft(page);
    const want = await summary(page);
    let p = await panel(page);
    assert.equal(p.outbox.count, 0);
    assert.ok((await itemRectsNow(page)).outbox, 'an Outbox button in the header');

    await clickItem(page, 'submit');
    assert.equal((await panel(page)).dialog_open, true, log.join('\n'));
    await clickItem(page, 'submit_confirm');
    p = await waitAnswered(page);
    // The static server has no API: the POST went out, came back 404, and the outbox has it.
    assert.equal(posts.length, 1);
    assert.equal(p.status, 0);
    assert.equal(p.saved_to_outbox, true, JSON.stringify(p));
    assert.match(p.response, /no ReachLens API/);
    assert.equal(p.outbox.count, 1);
    const entry = p.outbox.entries[0];
    assert.equal(entry.id, p.key);
    assert.equal(entry.campaign_id, campaign.id);
    assert.equal(entry.audience, want.audience);
    assert.equal(entry.reached, want.reached);
    assert.equal(entry.deliveries, want.deliveries);
    assert.ok(!Number.isNaN(Date.parse(entry.created_at)));
    // What the browser keeps is exactly what was POSTed, with its Idempotency-Key.
    let kept = await stored(page);
    assert.equal(kept.length, 1);
    assert.equal(kept[0].key, posts[0].headers['idempotency-key']);
    assert.deepEqual(kept[0].body, JSON.parse(posts[0].body));
    assert.deepEqual(kept[0].body.campaign, JSON.parse(await callString(page, 'rl_draft_json')).draft);
    assert.deepEqual(kept[0].body.summary, want);
    const now = await itemRectsNow(page);
    assert.ok(now.submit_retry && now.submit_open_outbox, 'Retry and Open outbox after saving to the outbox');
    await screenshot(page, 'outbox-saved-dialog.png');

    // The dialog's "Open outbox" closes it and opens the list.
    await clickItem(page, 'submit_open_outbox');
    await waitIdle(page);
    p = await panel(page);
    assert.equal(p.dialog_open, false);
    assert.equal(p.outbox.dialog_open, true);
    const { png } = await screenshot(page, 'outbox-list.png');
    assert.ok((await colourStats(page, png)).distinct > 100);
    await clickItem(page, 'outbox_close');
    assert.equal((await panel(page)).outbox.dialog_open, false);

    // A reload keeps it.
    await page.reload();
    await page.waitForFunction(() => window.reachlens && window.reachlens.ready, null, { timeout: 90_000 });
    await page.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_panel_json', 'submit')).outbox.count === 1,
                               null, { timeout: 10_000 });
    p = await panel(page);
    assert.equal(p.outbox.entries[0].id, entry.id);
    assert.equal(p.outbox.entries[0].reached, entry.reached);

    // Download JSON: one file with every entry, bodies as stored.
    await clickItem(page, 'outbox');
    await waitIdle(page);
    assert.equal((await panel(page)).outbox.dialog_open, true);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), clickItem(page, 'outbox_download')]);
    assert.match(download.suggestedFilename(), /^reachlens-outbox-.*\.json$/);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    kept = await stored(page);
    assert.equal(exported.format, 'reachlens.outbox/1');
    assert.deepEqual(exported.entries, kept);
    assert.deepEqual(exported.entries[0].body, JSON.parse(posts[0].body));

    // Delete.
    await clickItem(page, 'outbox_delete:0');
    await page.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_panel_json', 'submit')).outbox.count === 0,
                               null, { timeout: 10_000 });
    assert.deepEqual(await stored(page), []);
    await waitIdle(page);
    await screenshot(page, 'outbox-empty.png');
  } finally {
    await context.close();
  }
});

test('retry send: once a server answers, entries go out with their own key and leave the outbox',
     { timeout: 240_000 }, async () => {
  const { context, page } = await openApp(browser, server.url);
  try {
    await call(page, 'rl_set_theme', 'dark');
    await loadSubmittableDraft(page);
    await clickItem(page, 'submit');
    await clickItem(page, 'submit_confirm');
    const p = await waitAnswered(page);
    assert.equal(p.saved_to_outbox, true);
    const [entry] = await stored(page);
    await clickItem(page, 'submit_cancel');   // "Close" once saved
    assert.equal((await panel(page)).dialog_open, false);

    await clickItem(page, 'outbox');
    await waitIdle(page);
    await screenshot(page, 'outbox-list-dark.png');

    // A server that refuses first (422), then accepts.
    const seen = [];
    let answer = { status: 422, body: { error: { code: 'quota_exceeded', message: 'not submittable any more' } } };
    await page.route('**/api/campaigns', (route) => {
      seen.push({ key: route.request().headers()['idempotency-key'], body: route.request().postData() });
      return route.fulfill({ status: answer.status, contentType: 'application/json', body: JSON.stringify(answer.body) });
    });
    await clickItem(page, 'outbox_retry');
    await page.waitForFunction(() => {
      const o = JSON.parse(window.reachlens.callString('rl_panel_json', 'submit')).outbox;
      return o.retry_failed === 1 && !o.retrying;
    }, null, { timeout: 10_000 });
    let q = await panel(page);
    assert.equal(q.outbox.count, 1, 'a refused entry stays');
    assert.match(q.outbox.entries[0].last_error, /HTTP 422 quota_exceeded/);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].key, entry.key);
    assert.deepEqual(JSON.parse(seen[0].body), entry.body);

    answer = { status: 201, body: { id: 'c-42', status: 'accepted' } };
    await clickItem(page, 'outbox_retry');
    await page.waitForFunction(() => {
      const o = JSON.parse(window.reachlens.callString('rl_panel_json', 'submit')).outbox;
      return o.count === 0 && !o.retrying;
    }, null, { timeout: 10_000 });
    q = await panel(page);
    assert.equal(q.outbox.retry_accepted, 1);
    assert.equal(q.outbox.retry_failed, 0);
    assert.equal(seen.length, 2);
    assert.equal(seen[1].key, entry.key);
    assert.deepEqual(await stored(page), []);
  } finally {
    await context.close();
  }
});
