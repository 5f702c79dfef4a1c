// The submit flow against the reference server (serve.py): Submit → confirmation dialog
// → POST /api/campaigns with an Idempotency-Key reused for the same draft.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import {
  CLI, callBytes, call, callString, clickItem, clickTab, cliJson, haveBuild, itemRects, openApp, screenshot, state, submitAndConfirm,
  summary, useServedTenant, waitIdle, withoutWarnings,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');
if (!existsSync(CLI)) throw new Error('build/native/reachlens is missing: run scripts/build_web.sh first');

const served = useServedTenant('reachlens-submit-');

const getJson = async (path) => {
  const r = await fetch(served.origin + path);
  assert.equal(r.status, 200, `GET ${path}`);
  return r.json();
};

// Items drawn in the last frame only (the dialog's buttons change).
async function itemRectsNow(page) {
  const rects = await itemRects(page);
  const last = Math.max(...Object.values(rects).map((r) => r.frame));
  return Object.fromEntries(Object.entries(rects).filter(([, r]) => r.frame === last));
}

async function waitAnswer(page, attempts) {
  await page.waitForFunction((n) => {
    const s = JSON.parse(window.reachlens.callString('rl_state_json')).submit;
    return s.attempts >= n && s.answered && !s.in_flight;
  }, attempts, { timeout: 60_000, polling: 50 });
  await waitIdle(page);
  return (await state(page)).submit;
}

test('submit a draft to serve.py: 201 once, idempotent on a second confirm', { timeout: 240_000 }, async () => {
  const log = [];
  const { context, page } = await openApp(served.browser, served.origin + '/', { log });
  try {
    // serve.py's own tenant and one of its mass_send enterprise campaigns.
    const datasetText = await (await fetch(served.origin + '/api/dataset')).text();
    const before = JSON.parse(datasetText);
    const dir = join(served.dataDir, 'demo', 'campaigns');
    const campaigns = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    assert.equal(await callBytes(page, 'rl_load_dataset_json', datasetText), 0);
    let chosen = null;
    for (const original of campaigns) {
      const c = JSON.parse(original);
      if (c.kind !== 'mass_send' || c.origin !== 'enterprise') continue;
      // Files would need uploading first (tests/browser/trust.test.mjs does that).
      c.content.attachments = (c.content.attachments || []).filter((a) => !['image', 'video', 'file'].includes(a.msgtype));
      const text = JSON.stringify(c);
      assert.equal(await callBytes(page, 'rl_set_campaign_json', text), 0);
      if ((await summary(page)).submittable) { chosen = c; break; }
    }
    assert.ok(chosen, 'no submittable mass_send enterprise campaign in serve.py\'s demo tenant');
    await waitIdle(page);
    assert.equal((await getJson('/api/campaigns')).campaigns.length, 0);

    // A non-submittable draft: Submit disabled; clicking it opens nothing.
    const text = await page.evaluate(() => window.reachlens.callString('rl_draft_text'));
    assert.equal(await call(page, 'rl_set_draft_text', 'x'.repeat(5000)), 0);
    await waitIdle(page);
    assert.equal((await summary(page)).submittable, false);
    let st = await state(page);
    assert.equal(st.submit.enabled, false);
    await clickItem(page, 'submit');
    assert.equal((await state(page)).submit.dialog_open, false);
    assert.equal(await call(page, 'rl_set_draft_text', text), 0);
    await waitIdle(page);
    assert.equal((await summary(page)).submittable, true);
    assert.equal((await state(page)).submit.enabled, true);

    // Submit → dialog → Confirm → 201.
    await clickItem(page, 'submit');
    st = await state(page);
    assert.equal(st.submit.dialog_open, true, log.join('\n'));
    const key = st.submit.key;
    assert.match(key, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await screenshot(page, 'submit-dialog.png');
    await clickItem(page, 'submit_confirm');
    let sub = await waitAnswer(page, 1);
    assert.equal(sub.status, 201, JSON.stringify(sub));
    assert.ok(sub.id);
    const id = sub.id;
    let listed = (await getJson('/api/campaigns')).campaigns;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].id, id);
    const after1 = await getJson('/api/dataset');
    assert.equal(after1.scheduled.length, before.scheduled.length + 1);
    assert.ok(listed[0].scheduled_id);
    assert.equal(after1.scheduled.filter((c) => c.id === listed[0].scheduled_id).length, 1,
                 'the accepted campaign is in scheduled');

    // Closed, the draft says it was submitted; its button sends nothing again.
    await clickItem(page, 'submit_close');
    st = await state(page);
    assert.equal(st.submit.dialog_open, false);
    let panel = JSON.parse(await callString(page, 'rl_panel_json', 'submit'));
    assert.equal(panel.submitted, true);
    assert.equal(panel.server_id, id);
    assert.equal(panel.record.key, key);
    assert.equal(panel.record.state, 'accepted');
    assert.equal(st.submit.enabled, false);
    await clickItem(page, 'submit');
    assert.equal((await state(page)).submit.dialog_open, false, 'a submitted draft opens no confirmation');
    listed = (await getJson('/api/campaigns')).campaigns;
    assert.equal(listed.length, 1);
    assert.equal((await getJson('/api/dataset')).scheduled.length, before.scheduled.length + 1);

    // Sending it again is an explicit new campaign: 另存为新活动 gives a new campaign id and key.
    await clickItem(page, 'submit_save_as_new');
    const copyId = JSON.parse(await callString(page, 'rl_draft_json')).draft.id;
    assert.notEqual(copyId, chosen.id);
    await waitIdle(page);
    assert.equal((await summary(page)).submittable, true);
    await clickItem(page, 'submit');
    st = await state(page);
    const key2 = st.submit.key;
    assert.notEqual(key2, key);

    // A network failure: the error and Retry, which sends the same key again.
    const seen = [];
    await page.route('**/api/campaigns', (route) => { seen.push(route.request().headers()); return route.abort('failed'); });
    await clickItem(page, 'submit_confirm');
    sub = await waitAnswer(page, 2);
    assert.equal(sub.status, 0);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]['idempotency-key'], key2);
    assert.equal(seen[0]['content-type'], 'application/json');
    assert.equal(seen[0].authorization, undefined);
    assert.ok((await itemRectsNow(page)).submit_retry, 'a Retry button after a network failure');
    // Not lost: kept in the browser's outbox under the same key (tests/browser/offline.test.mjs).
    panel = JSON.parse(await callString(page, 'rl_panel_json', 'submit'));
    assert.equal(panel.saved_to_outbox, true);
    assert.deepEqual(panel.outbox.entries.map((e) => e.id), [key2]);
    await page.unroute('**/api/campaigns');
    await clickItem(page, 'submit_retry');
    sub = await waitAnswer(page, 3);
    assert.equal(sub.status, 201, JSON.stringify(sub));
    panel = JSON.parse(await callString(page, 'rl_panel_json', 'submit'));
    assert.equal(panel.outbox.count, 0, 'accepted on retry: out of the outbox');
    assert.equal(sub.key, key2);
    assert.notEqual(sub.id, id);
    assert.equal((await getJson('/api/campaigns')).campaigns.length, 2);
    await clickItem(page, 'submit_close');
    assert.equal((await state(page)).submit.dialog_open, false);
  } finally {
    await context.close();
  }
});

// Issue 13: once accepted, the draft also stands among serve.py's scheduled campaigns (renamed
// "<id>#<server id>" when its id was taken). A page that loads that tenant must not play the
// campaign twice: the draft's preview and its send-time explorer leave their own copy out.
test('the preview of a submitted draft leaves its accepted copy out: the CLI\'s preview without it',
     { timeout: 240_000 }, async () => {
  const log = [];
  const { context, page } = await openApp(served.browser, served.origin + '/', { log });
  try {
    const datasetBefore = await getJson('/api/dataset');
    assert.equal(await callBytes(page, 'rl_load_dataset_json', JSON.stringify(datasetBefore)), 0);
    // A campaign the server's tenant can take, under an id of its own (emoji and rare hanzi);
    // the tenant already holds what the test above submitted.
    const dir = join(served.dataDir, 'demo', 'campaigns');
    let chosen = null;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
      const c = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      if (c.kind === 'group_send') continue;
      c.id = `${c.id}-预览-𠀀💄-${Date.now().toString(36)}`;
      c.content.attachments = (c.content.attachments || []).filter((a) => !['image', 'video', 'file'].includes(a.msgtype));
      const alone = cliJson('preview', { dataset: datasetBefore, campaign: c });
      // Played twice, the copy (at the same time, first) takes quota from the draft.
      const twice = cliJson('preview', { dataset: { ...datasetBefore, scheduled: [...datasetBefore.scheduled, { ...c, format: undefined }] },
                                         campaign: c });
      if (alone.submittable && twice.reached < alone.reached) { chosen = c; break; }
    }
    assert.ok(chosen, 'no submittable campaign whose copy would change its reach');
    assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(chosen)), 0);
    await waitIdle(page);
    const want = cliJson('preview', { dataset: datasetBefore, campaign: chosen });
    assert.deepEqual(withoutWarnings(await summary(page)), withoutWarnings(want));

    const sub = await submitAndConfirm(page);
    assert.equal(sub.status, 201, JSON.stringify(sub));
    await clickItem(page, 'submit_close');
    const listed = (await getJson('/api/campaigns')).campaigns.find((c) => c.id === sub.id);
    const datasetAfter = await getJson('/api/dataset');
    assert.equal(datasetAfter.scheduled.filter((c) => c.id === listed.scheduled_id).length, 1);
    const doubled = cliJson('preview', { dataset: datasetAfter, campaign: chosen });
    assert.ok(doubled.reached < want.reached, 'the copy, played as well, would take reach from the draft');

    // The tenant as the page gets it after a reload, with the campaign as the draft again.
    assert.equal(await page.evaluate(() => window.ReachLensSubmit.refreshAccepted()), true);
    assert.equal(await callBytes(page, 'rl_load_dataset_json', JSON.stringify(datasetAfter)), 0);
    assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(chosen)), 0);
    await waitIdle(page);
    assert.equal(JSON.parse(await callString(page, 'rl_panel_json', 'submit')).server_id, sub.id);
    const got = await summary(page);
    assert.deepEqual(withoutWarnings(got), withoutWarnings(want));
    assert.ok(!got.impact.some((i) => i.campaign_id === listed.scheduled_id), JSON.stringify(got.impact));

    // The send-time explorer: the draft's own day as in its preview, every day as `reachlens explore` without the copy.
    await clickTab(page, 'send_time');
    await page.waitForFunction(() => {
      const p = JSON.parse(window.reachlens.callString('rl_panel_json', 'send_time'));
      return p.explore && !p.running && p.explore.days.length === 30;
    }, null, { timeout: 60_000, polling: 100 });
    const shown = JSON.parse(await callString(page, 'rl_panel_json', 'send_time')).explore;
    assert.equal(shown.days.find((d) => d.chosen).reached, want.reached);
    assert.deepEqual(shown, cliJson('explore', { dataset: datasetBefore, campaign: chosen }));
    await screenshot(page, 'submit-explorer-after-accept.png');
    assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
  } finally {
    await context.close();
  }
});
