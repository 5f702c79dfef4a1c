// Browser tests of the preview dashboard tabs (src/ui/preview_panels.cpp): the funnel and
// the per-reason bars against the native CLI's summary, the sender table's sorting by
// clicking its headers, the department roll-up against sums computed here from the CLI
// summary and the dataset file, the quota heat map against an independent count of the
// dataset's deliveries, and screenshots of every tab (light, dark, dpr 2, English).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  APP_PRESET, CLI, DEMO, ROOT, callString, clickItem, clickTab, colourStats, haveBuild, itemRects, launchBrowser, openApp, screenshot, startServer, state, waitIdle, hoverClick,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
// An enterprise moment: every employee sends, customers blocked for several reasons
// (a quota among them), and scheduled campaigns lose customers to it.
const CAMPAIGN = manifest.campaigns.find((f) => f.includes('01-')) || manifest.campaigns[0];
const campaignPath = join(DEMO, CAMPAIGN);
const campaignId = JSON.parse(readFileSync(campaignPath, 'utf8')).id;
const datasetPath = join(DEMO, 'dataset.json');
const dataset = JSON.parse(readFileSync(datasetPath, 'utf8'));

function cli(extra = []) {
  return execFileSync(CLI, ['preview', '--dataset', datasetPath, '--campaign', campaignPath, '--preset', APP_PRESET, ...extra],
                      { encoding: 'utf8', maxBuffer: 1 << 27 });
}
function cliAudience() {
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-preview-'));
  try {
    const out = join(dir, 'verdicts.csv');
    cli(['--verdicts', out]);
    return new Set(readFileSync(out, 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const panel = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'preview'));
async function pickCampaign(page) {
  await clickTab(page, 'drafts');
  const rects = await itemRects(page);
  const pick = Object.keys(rects).find((k) => k.startsWith('campaign:') && CAMPAIGN.endsWith(k.slice(9)));
  assert.ok(pick, `no picker entry for ${CAMPAIGN}`);
  await clickItem(page, pick);
  await waitIdle(page);
  assert.equal((await state(page)).campaign_id, campaignId);
}

// The order the table must show: the engine's userid order, stably sorted by a number.
function sortedUserids(senders, key, descending) {
  const rows = senders.map((s, i) => ({ s, i }));
  rows.sort((a, b) => (descending ? key(b.s) - key(a.s) : key(a.s) - key(b.s)) || a.i - b.i);
  return rows.map((r) => r.s.userid);
}
const blockedSum = (s) => Object.values(s.blocked).reduce((a, b) => a + b, 0);

let server, browser, want;
before(async () => {
  want = JSON.parse(cli());
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

describe('the preview tabs', () => {
  let context, page;
  const log = [];
  before(async () => {
    ({ context, page } = await openApp(browser, server.url, { dpr: 1, width: 1280, height: 800, log }));
    await pickCampaign(page);
  });
  after(async () => { await context?.close(); });

  test('the funnel and the blocked bars show the CLI summary', { timeout: 60_000 }, async () => {
    await clickTab(page, 'overview');
    const p = await panel(page);
    const pairs = want.senders.reduce((n, s) => n + s.pairs, 0);
    assert.deepEqual(p.funnel, { audience: want.audience, pairs, reached: want.reached, deliveries: want.deliveries });
    assert.deepEqual(p.blocked, want.blocked);
    assert.ok(Object.keys(want.blocked).length >= 3, 'the campaign should be blocked for several reasons');
    const rects = await itemRects(page);
    for (const name of ['funnel', 'blocked', 'submittable', 'audience', 'errors'])
      assert.ok(rects[name]?.w > 0, `${name} is not drawn`);
  });

  test('the sender table sorts by the clicked column', { timeout: 60_000 }, async () => {
    await clickTab(page, 'senders');
    let p = await panel(page);
    // Every sender of the summary, with its numbers.
    const byId = new Map(want.senders.map((s) => [s.userid, s]));
    assert.equal(p.senders.rows.length, want.senders.length);
    for (const row of p.senders.rows) {
      const s = byId.get(row.userid);
      assert.ok(s, `${row.userid} is not a sender of the summary`);
      assert.deepEqual(row, s);
    }
    // Pairs, largest first, at the start.
    assert.equal(p.senders.sort_column, 'pairs');
    assert.deepEqual(p.senders.rows.map((r) => r.userid), sortedUserids(want.senders, (s) => s.pairs, p.senders.descending));

    await hoverClick(page, 'sender_col_blocked');
    p = await panel(page);
    assert.equal(p.senders.sort_column, 'blocked');
    assert.equal(p.senders.descending, true, 'a number column sorts largest first on the first click');
    assert.deepEqual(p.senders.rows.map((r) => r.userid), sortedUserids(want.senders, blockedSum, true));

    await hoverClick(page, 'sender_col_blocked');
    p = await panel(page);
    assert.equal(p.senders.descending, false);
    assert.deepEqual(p.senders.rows.map((r) => r.userid), sortedUserids(want.senders, blockedSum, false));

    await hoverClick(page, 'sender_col_deliveries');
    p = await panel(page);
    assert.equal(p.senders.sort_column, 'deliveries');
    assert.deepEqual(p.senders.rows.map((r) => r.userid),
                     sortedUserids(want.senders, (s) => s.deliveries, p.senders.descending));
  });

  test('the department roll-up sums its employees', { timeout: 60_000 }, async () => {
    const p = await panel(page);
    // Each department: the senders in it or in a department below it, each once.
    const parent = new Map(dataset.departments.map((d) => [d.id, d.parentid]));
    const deptOf = new Map(dataset.employees.map((e) => [e.userid, e.department || []]));
    const sums = new Map();
    for (const s of want.senders) {
      const chain = new Set();
      for (let id of deptOf.get(s.userid)) {
        while (parent.has(id) && !chain.has(id)) { chain.add(id); id = parent.get(id); }
      }
      for (const id of chain) {
        const t = sums.get(id) || { senders: 0, pairs: 0, deliveries: 0, blocked: 0 };
        t.senders += 1; t.pairs += s.pairs; t.deliveries += s.deliveries; t.blocked += blockedSum(s);
        sums.set(id, t);
      }
    }
    assert.equal(p.departments.length, sums.size, 'one roll-up row per department with senders');
    for (const d of p.departments) {
      assert.deepEqual({ senders: d.senders, pairs: d.pairs, deliveries: d.deliveries, blocked: d.blocked }, sums.get(d.id),
                       `department ${d.id} ${d.name}`);
    }
    assert.ok((await itemRects(page)).department_tree?.h > 0, 'the department tree is drawn');
  });

  test('the quota heat map covers the send month and marks the send day', { timeout: 60_000 }, async (t) => {
    await clickTab(page, 'quota');
    const p = await panel(page);
    if (!p.heatmap.cells) {
      t.skip('the engine returns no quota calendar yet (core/insight.cpp placeholder)');
      return;
    }
    const tz = dataset.enterprise.tz_offset_minutes;
    const local = (time) => new Date((time + tz * 60) * 1000);
    const send = local(want.send_time);
    assert.equal(p.heatmap.year, send.getUTCFullYear());
    assert.equal(p.heatmap.month, send.getUTCMonth() + 1);
    const days = new Date(Date.UTC(p.heatmap.year, p.heatmap.month, 0)).getUTCDate();
    assert.equal(p.heatmap.days, days);
    assert.deepEqual(p.heatmap.cells.map((c) => c.day), Array.from({ length: days }, (_, i) => i + 1));
    assert.equal(p.heatmap.send_day, send.getUTCDate());
    assert.equal(p.heatmap.first_weekday, (new Date(Date.UTC(p.heatmap.year, p.heatmap.month - 1, 1)).getUTCDay() + 6) % 7);
    assert.ok((await itemRects(page)).heatmap_send_day?.w > 0, 'the send day cell is drawn');

    // Days before the dataset's time hold only the dataset's deliveries: count those the
    // quota counts (its kind and origin) to the draft's audience, day by day.
    const rules = JSON.parse(readFileSync(join(ROOT, 'assets/rules', `${APP_PRESET}.json`), 'utf8'));
    const audience = cliAudience();
    const nowDay = local(dataset.now);
    const lastFullDay = nowDay.getUTCFullYear() === p.heatmap.year && nowDay.getUTCMonth() + 1 === p.heatmap.month
      ? nowDay.getUTCDate() - 1 : 0;
    const quota = rules.quotas.find((x) => `quota:${x.id}` === p.heatmap.label);
    assert.ok(quota, `the heat map shows ${p.heatmap.label}, not a quota of ${APP_PRESET}`);
    const count = new Array(days + 1).fill(0);
    for (const d of dataset.deliveries) {
      if (!audience.has(d.external_userid)) continue;
      if (quota.kind !== 'any' && d.kind !== quota.kind) continue;
      if (quota.origin !== 'any' && d.origin !== quota.origin) continue;
      const t = local(d.time);
      if (t.getUTCFullYear() !== p.heatmap.year || t.getUTCMonth() + 1 !== p.heatmap.month) continue;
      count[t.getUTCDate()] += 1;
    }
    let checked = 0;
    for (let day = 1; day <= lastFullDay; ++day) {
      assert.equal(p.heatmap.cells[day - 1].deliveries, count[day], `${p.heatmap.label} on day ${day}`);
      checked += count[day];
    }
    assert.ok(lastFullDay < 1 || checked > 0, 'the days checked hold no delivery at all');
  });

  test('the impact tab flags scheduled campaigns that lose customers', { timeout: 60_000 }, async () => {
    await clickTab(page, 'impact');
    const p = await panel(page);
    assert.deepEqual(p.impact.map((e) => [e.campaign_id, e.reached_before, e.reached_after]),
                     want.impact.map((e) => [e.campaign_id, e.reached_before, e.reached_after]));
    assert.deepEqual(p.impact.map((e) => e.taken), want.impact.map((e) => e.reached_after < e.reached_before));
    assert.ok((await itemRects(page)).impact_table?.h > 0);
  });
});

describe('screenshots of every tab', () => {
  const TABS = ['overview', 'senders', 'quota', 'impact', 'calendar'];
  for (const [label, dpr, dark, english] of [['light', 1, false, false], ['dark', 1, true, false], ['dpr2', 2, false, false],
                                              ['en-dark', 1, true, true]]) {
    test(`${label}`, { timeout: 120_000 }, async () => {
      const { context, page } = await openApp(browser, server.url, { dpr, width: 1280, height: 800 });
      try {
        await pickCampaign(page);
        if (dark) await clickItem(page, 'theme');
        if (english) await clickItem(page, 'language');
        for (const tab of TABS) {
          await clickTab(page, tab);
          await waitIdle(page);
          const { path, png } = await screenshot(page, `preview-${tab}-${label}.png`);
          const stats = await colourStats(page, png);
          assert.ok(stats.distinct > 200, `only ${stats.distinct} colours in ${path}`);
        }
      } finally {
        await context.close();
      }
    });
  }
});
