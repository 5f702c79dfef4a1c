// Browser tests of the customer's-eye view (src/ui/customer_view.cpp): the customer picked
// through the view's own controls (example buttons, search box), its verdict and
// delivering employees against the native CLI's --verdicts file, the customer's day (the
// draft among the posts of that day, hidden ones with their reason), the six-line fold,
// and screenshots of the moments card (light/dark, dpr 2), the chat view and a feed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  DEMO, callBytes, callString, cliVerdicts, colourStats, haveBuild, itemRects, screenshot, state, useApp,
  waitIdle as waitIdleShort, clickItem as clickAndSettle, clickTab as openTab,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

// Waiting for the app to settle: generous, since a loaded machine renders a dpr-2 frame in
// a second or more (the assertions never depend on time).
const waitIdle = (page) => waitIdleShort(page, 90_000);
const clickItem = (page, name) => clickAndSettle(page, name, { timeout: 90_000 });
const clickTab = (page, id) => openTab(page, id, { timeout: 90_000 });

const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
const campaignFile = (prefix) => manifest.campaigns.find((f) => f.includes(prefix));
const MOMENT = campaignFile('01-');
const MASS_SEND = campaignFile('03-');

const view = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'customer_view'));

async function selectCampaign(page, file) {
  await clickTab(page, 'drafts');
  const rects = await itemRects(page);
  const pick = Object.keys(rects).find((k) => k.startsWith('campaign:') && file.endsWith(k.slice(9)));
  assert.ok(pick, `no picker entry for ${file}`);
  await clickItem(page, pick);
  await waitIdle(page);
  assert.equal((await state(page)).campaign_id, JSON.parse(readFileSync(join(DEMO, file), 'utf8')).id);
  await clickTab(page, 'customer');
}

// The view's verdict and senders equal the CLI's for the customer it shows.
function assertMatchesCli(v, cli) {
  const want = cli.get(v.external_userid);
  assert.ok(want, `${v.external_userid} is in the CLI's audience`);
  assert.equal(v.verdict, want.verdict === 'reached' ? 'reached' : want.reason, v.external_userid);
  assert.deepEqual(v.via, want.via, `${v.external_userid}: delivering employees`);
  const draft = v.feed.find((e) => e.draft);
  assert.ok(draft, 'the draft is in the feed');
  assert.equal(draft.hidden, want.verdict !== 'reached');
  assert.equal(draft.reason, want.verdict === 'reached' ? '' : want.reason);
}

// Feed entries: all on the send date (enterprise time, UTC+8 in the demo), in time order.
function assertOneDay(v) {
  for (const e of v.feed) {
    const day = new Date((e.time + 8 * 3600) * 1000).toISOString().slice(0, 10);
    assert.equal(day, v.send_date, `${e.campaign_id} at ${e.time} is on ${v.send_date}`);
  }
  const times = v.feed.map((e) => e.time);
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'feed in time order');
}

async function searchAndPick(page, externalUserid) {
  await clickItem(page, 'cv_search');
  await page.keyboard.type(externalUserid);
  await waitIdle(page);
  await clickItem(page, 'cv_match:0');
  await waitIdle(page);
}

const app = useApp();

describe('the customer view, a moment', () => {
  let context, page;
  const log = [];
  let cli;
  before(async () => {
    cli = cliVerdicts({ campaign: join(DEMO, MOMENT) });
    ({ context, page } = await app.open({ dpr: 2, width: 1280, height: 900, log, idleTimeout: 90_000 }));
    await selectCampaign(page, MOMENT);
  });
  after(async () => { await context?.close(); });

  test('a reached and a blocked customer agree with the CLI', { timeout: 120_000 }, async () => {
    await clickItem(page, 'cv_pick_reached');
    let v = await view(page);
    assert.equal(v.kind, 'moment');
    assert.equal(v.verdict, 'reached');
    assertMatchesCli(v, cli);
    assertOneDay(v);
    const { path, png } = await screenshot(page, 'customer-moment-light.png');
    assert.ok((await colourStats(page, png)).distinct > 200, path);

    await clickItem(page, 'cv_pick_blocked');
    v = await view(page);
    assert.notEqual(v.verdict, 'reached');
    assertMatchesCli(v, cli);
  });

  test('search picks a customer blocked by a quota; the feed shows the day with hidden posts', { timeout: 120_000 }, async () => {
    const quota = [...cli].find(([, r]) => r.reason.startsWith('quota:'));
    assert.ok(quota, 'the demo moment has quota-blocked customers');
    await searchAndPick(page, quota[0]);
    const v = await view(page);
    assert.equal(v.external_userid, quota[0]);
    assertMatchesCli(v, cli);
    assertOneDay(v);
    for (const e of v.feed) if (e.hidden) assert.ok(e.reason, `${e.campaign_id} hidden without a reason`);
    // A monthly quota of 4 moments (wecom-2025) blocks only after 4 delivered this month:
    // the view lists them under "earlier this month".
    assert.ok(v.timeline_events > 0, 'the engine\'s timeline');
    const delivered = v.earlier_in_month.filter((e) => !e.hidden);
    assert.ok(delivered.length >= 4, `${delivered.length} delivered earlier this month: ${JSON.stringify(v.earlier_in_month)}`);
    for (const e of v.earlier_in_month) assert.ok(new Date((e.time + 8 * 3600) * 1000).toISOString().slice(0, 10) < v.send_date);
    await screenshot(page, 'customer-quota-blocked.png');
  });

  test('long text folds after six lines, "全文" unfolds it', { timeout: 60_000 }, async () => {
    const text = (await callString(page, 'rl_draft_text'));
    const long = Array.from({ length: 12 }, (_, i) => `第${i + 1}行：秋冬焕新，会员专享。`).join('\n');
    await page.evaluate((t) => window.reachlens.call('rl_set_draft_text', t), long);
    await waitIdle(page);
    await clickItem(page, 'cv_pick_reached');
    let v = await view(page);
    assert.equal(v.text_folded, true);
    await clickItem(page, 'cv_fold');
    v = await view(page);
    assert.equal(v.expanded, true);
    assert.equal(v.text_folded, false);
    await page.evaluate((t) => window.reachlens.call('rl_set_draft_text', t), text);
    await waitIdle(page);
  });

  test('dark theme', { timeout: 60_000 }, async () => {
    await callString(page, 'rl_set_theme', 'dark');
    await waitIdle(page);
    await clickItem(page, 'cv_pick_reached');
    const { path, png } = await screenshot(page, 'customer-moment-dark.png');
    assert.ok((await colourStats(page, png)).distinct > 200, path);
    await callString(page, 'rl_set_theme', 'light');
    await waitIdle(page);
    assert.ok(!log.some((l) => l.startsWith('pageerror')), log.join('\n'));
  });
});

describe('the customer view, a mass send', () => {
  let context, page;
  const log = [];
  let cli;
  before(async () => {
    cli = cliVerdicts({ campaign: join(DEMO, MASS_SEND) });
    ({ context, page } = await app.open({ dpr: 1, width: 1280, height: 900, log, idleTimeout: 90_000 }));
    await selectCampaign(page, MASS_SEND);
  });
  after(async () => { await context?.close(); });

  test('the chat view of a reached and a blocked customer', { timeout: 120_000 }, async () => {
    await clickItem(page, 'cv_pick_reached');
    let v = await view(page);
    assert.equal(v.kind, 'mass_send');
    assertMatchesCli(v, cli);
    assert.ok((await itemRects(page)).cv_card, 'the message is drawn');
    await screenshot(page, 'customer-chat.png');
    await clickItem(page, 'cv_pick_blocked');
    v = await view(page);
    assertMatchesCli(v, cli);
    assert.ok(!log.some((l) => l.startsWith('pageerror')), log.join('\n'));
  });
});

describe('the customer view, a day with competing posts', () => {
  // The employee moment (02) moved to the morning of the day a scheduled employee moment
  // goes out in the evening (dataset.scheduled): with one employee moment per customer and
  // day (wecom-2025), customers who get the draft lose the evening post.
  const DAY_FILE = campaignFile('02-');
  const dataset = JSON.parse(readFileSync(join(DEMO, 'dataset.json'), 'utf8'));
  const evening = dataset.scheduled.find((c) => c.kind === 'moment' && c.origin === 'employee');
  const localDay = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);
  const draft = JSON.parse(readFileSync(join(DEMO, DAY_FILE), 'utf8'));
  // Same sender and audience as the evening post, so the customers the draft reaches were due to get it too.
  draft.senders = evening.senders;
  draft.audience = evening.audience;
  draft.send_time = evening.send_time - ((evening.send_time + 8 * 3600) % 86400) + 10 * 3600;  // 10:00 local
  const draftText = JSON.stringify(draft);
  let context, page, cli;
  const log = [];
  before(async () => {
    assert.equal(localDay(draft.send_time), localDay(evening.send_time), 'same local day');
    assert.ok(draft.send_time < evening.send_time);
    cli = cliVerdicts({ campaign: JSON.parse(draftText) });
    ({ context, page } = await app.open({ dpr: 2, width: 1280, height: 900, log, idleTimeout: 90_000 }));
    assert.equal(await callBytes(page, 'rl_set_campaign_json', draftText), 0, 'the moved draft loads');
    await waitIdle(page);
    await callString(page, 'rl_show_tab', 'customer');
    await waitIdle(page);
  });
  after(async () => { await context?.close(); });

  test('the evening post is hidden for a customer the draft reaches that morning', { timeout: 240_000 }, async () => {
    let found = null;
    const reached = [...cli].filter(([, row]) => row.verdict === 'reached').slice(0, 25);
    assert.ok(reached.length > 0, 'the moved draft reaches someone');
    for (const [id] of reached) {
      assert.equal(await page.evaluate((x) => window.reachlens.call('rl_show_customer', x), id), 1);
      const v = await view(page);
      if (v.feed.some((e) => e.campaign_id === evening.id)) { found = v; break; }
    }
    assert.ok(found, `a customer reached by the draft also in the audience of ${evening.id}`);
    assertMatchesCli(found, cli);
    assertOneDay(found);
    assert.equal(found.send_date, localDay(evening.send_time));
    const other = found.feed.find((e) => e.campaign_id === evening.id);
    assert.equal(other.source, 'scheduled');
    assert.equal(other.hidden, true, 'one employee moment a day: the draft took the slot');
    assert.equal(other.reason, 'quota:moment_employee_day');
    await waitIdle(page);
    const { path, png } = await screenshot(page, 'customer-feed-hidden.png');
    assert.ok((await colourStats(page, png)).distinct > 200, path);
    assert.ok(!log.some((l) => l.startsWith('pageerror')), log.join('\n'));
  });
});
