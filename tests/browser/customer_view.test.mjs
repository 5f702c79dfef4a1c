// Browser tests of the customer's-eye view (src/ui/customer_view.cpp): the customer picked
// through the view's own controls (example buttons, search box), its verdict and
// delivering employees against the native CLI's --verdicts file, the customer's day (the
// draft among the posts of that day, hidden ones with their reason), the six-line fold,
// and screenshots of the moments card (light/dark, dpr 2), the chat view and a feed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  APP_PRESET, CLI, DEMO, callString, colourStats, haveBuild, itemRects, launchBrowser, openApp,
  screenshot, startServer, state, waitIdle as waitIdleShort,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

// Waiting for the app to settle: generous, since a loaded machine renders a dpr-2 frame in
// a second or more (the assertions never depend on time).
const waitIdle = (page) => waitIdleShort(page, 90_000);
async function clickItem(page, name) {
  const r = (await itemRects(page))[name];
  assert.ok(r, `no tracked item ${name}`);
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
  await waitIdle(page);
  return r;
}
// A tab: hover first (ImGui reacts to a press on an item hovered in the frame before).
async function clickTab(page, id) {
  const r = (await itemRects(page))[`tab:${id}`];
  assert.ok(r, `no tab ${id}`);
  await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
  await waitIdle(page);
  await clickItem(page, `tab:${id}`);
  assert.ok((await state(page)).tabs.includes(id), `tab ${id} open`);
}

const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
const campaignFile = (prefix) => manifest.campaigns.find((f) => f.includes(prefix));
const MOMENT = campaignFile('01-');
const MASS_SEND = campaignFile('03-');

// The CLI's verdict per external_userid: {verdict, reason, via: [userid]}.
function cliVerdicts(file) {
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-cv-'));
  try {
    const out = join(dir, 'verdicts.csv');
    execFileSync(CLI, ['preview', '--dataset', join(DEMO, 'dataset.json'), '--campaign', join(DEMO, file),
                       '--preset', APP_PRESET, '--verdicts', out], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const rows = new Map();
    for (const line of readFileSync(out, 'utf8').trimEnd().split('\n').slice(1)) {
      const [id, verdict, reason, via] = line.split(',');
      rows.set(id, { verdict, reason, via: via ? via.split(';') : [] });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

describe('the customer view, a moment', () => {
  let context, page;
  const log = [];
  let cli;
  before(async () => {
    cli = cliVerdicts(MOMENT);
    ({ context, page } = await openApp(browser, server.url, { dpr: 2, width: 1280, height: 900, log }));
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
    if (v.timeline_events > 0) {
      // The engine's timeline: everything hidden says why.
      for (const e of v.feed) if (e.hidden) assert.ok(e.reason, `${e.campaign_id} hidden without a reason`);
    }
    await screenshot(page, 'customer-feed-hidden.png');
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
    cli = cliVerdicts(MASS_SEND);
    ({ context, page } = await openApp(browser, server.url, { dpr: 1, width: 1280, height: 900, log }));
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
