// Browser tests of the per-customer verdict table (src/ui/customer_table.cpp): row counts
// against the preview summary, the verdict filter and the search box driven through the
// UI, and the CSV download compared byte for byte with the native CLI's --verdicts file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  APP_PRESET, CLI, DEMO, callString, clickItem, clickTab, colourStats, haveBuild, hoverClick, itemRects, screenshot,
  state, summary, useApp, waitIdle,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
// A mass send: blocked customers for several reasons.
const CAMPAIGN = manifest.campaigns.find((f) => f.includes('03-')) || manifest.campaigns[0];
const campaignPath = join(DEMO, CAMPAIGN);
const campaignId = JSON.parse(readFileSync(campaignPath, 'utf8')).id;

const tableState = async (page) => JSON.parse(await callString(page, 'rl_table_json'));
const tableRows = (page) => page.evaluate(() => window.reachlens.module._rl_table_rows());

function cliVerdicts() {
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-verdicts-'));
  try {
    const out = join(dir, 'verdicts.csv');
    execFileSync(CLI, ['preview', '--dataset', join(DEMO, 'dataset.json'), '--campaign', campaignPath,
                       '--preset', APP_PRESET, '--verdicts', out], { encoding: 'utf8', maxBuffer: 1 << 26 });
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const app = useApp();

describe('the customer table', () => {
  let context, page;
  const log = [];
  let want;  // the CLI's verdict CSV for CAMPAIGN
  before(async () => {
    want = cliVerdicts();
    ({ context, page } = await app.open({ height: 900, log }));
  });
  after(async () => { await context?.close(); });

  test('all audience customers, then filtered by verdict and search', { timeout: 120_000 }, async () => {
    // Pick the campaign in the picker (tab "Campaigns & drafts"), like a user.
    await clickTab(page, 'drafts');
    const rects = await itemRects(page);
    const pick = Object.keys(rects).find((k) => k.startsWith('campaign:') && CAMPAIGN.endsWith(k.slice(9)));
    assert.ok(pick, `no picker entry for ${CAMPAIGN}: ${Object.keys(rects).join(', ')}`);
    await clickItem(page, pick);
    await waitIdle(page);
    assert.equal((await state(page)).campaign_id, campaignId);
    const sum = await summary(page);
    await waitIdle(page);
    const audience = sum.audience, reached = sum.reached;
    assert.ok(audience > 0 && reached < audience, `campaign ${campaignId}: audience ${audience}, reached ${reached}`);
    const lines = want.trimEnd().split('\n').slice(1);
    assert.equal(lines.length, audience, 'the CLI CSV has one row per audience customer');

    // All rows.
    assert.equal(await tableRows(page), audience);
    assert.equal((await tableState(page)).verdict, 'all');

    // Verdict filter: blocked, by clicking the radio button.
    await clickItem(page, 'table_verdict_blocked');
    let ts = await tableState(page);
    assert.equal(ts.verdict, 'blocked');
    assert.equal(ts.rows, audience - reached);
    await clickItem(page, 'table_verdict_reached');
    assert.equal(await tableRows(page), reached);
    await clickItem(page, 'table_verdict_blocked');
    assert.equal(await tableRows(page), audience - reached);
    // A blocked customer's row still names the employees they belong to (as the Excel
    // export does): each one an employee the customer has a relation with in the dataset.
    ts = await tableState(page);
    assert.equal(ts.top_employees.length, Math.min(5, audience - reached));
    const dataset = JSON.parse(readFileSync(join(DEMO, 'dataset.json'), 'utf8'));
    const nameOf = new Map(dataset.employees.map((e) => [e.userid, e.name || e.userid]));
    const customers = new Map(dataset.customers.map((c) => [c.external_userid, c]));
    ts.top.forEach((id, i) => {
      const related = new Set((customers.get(id)?.follow_user || []).map((f) => nameOf.get(f.userid)));
      const { names } = ts.top_employees[i];
      assert.ok(names.length > 0, `blocked customer ${id}: no employee named in the table`);
      for (const n of names) assert.ok(related.has(n), `${id}: ${n} has no relation with the customer`);
    });
    const { path, png } = await screenshot(page, 'table.png');
    const stats = await colourStats(page, png);
    assert.ok(stats.distinct > 200, `only ${stats.distinct} colours in ${path}`);

    // Search: a prefix of a blocked customer's external_userid, typed into the box.
    const blocked = lines.filter((l) => l.split(',')[1] === 'blocked').map((l) => l.split(',')[0]);
    const id = blocked[Math.floor(blocked.length / 2)];
    const prefix = id.slice(0, Math.max(1, id.length - 3));
    await clickItem(page, 'table_search');
    await page.keyboard.type(prefix);
    await waitIdle(page);
    ts = await tableState(page);
    assert.equal(ts.search, prefix);
    assert.ok(ts.rows >= 1 && ts.rows < audience - reached, `search ${prefix}: ${ts.rows} rows`);
    // At least the blocked ids containing the prefix (names may add a few more).
    const byId = blocked.filter((b) => b.includes(prefix)).length;
    assert.ok(ts.rows >= byId, `${ts.rows} rows, ${byId} blocked ids contain ${prefix}`);

    await screenshot(page, 'table-search.png');

    // Clear the search and go back to every verdict.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.mouse.click(5, 5);
    await waitIdle(page);
    await clickItem(page, 'table_verdict_all');
    assert.equal(await tableRows(page), audience);
  });

  test('clicking a column header sorts the rows', { timeout: 60_000 }, async () => {
    const ids = want.trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]);
    let ts = await tableState(page);
    assert.equal(ts.sort, 'external_userid');
    assert.deepEqual(ts.top, ids.slice(0, 5));
    await hoverClick(page, 'table_col_userid');  // already ascending: now descending
    ts = await tableState(page);
    assert.equal(ts.descending, true);
    assert.deepEqual(ts.top, ids.slice(-5).reverse());
    assert.equal(ts.rows, ids.length);
    await hoverClick(page, 'table_col_result');  // reached first
    ts = await tableState(page);
    assert.equal(ts.sort, 'result');
    const reachedIds = new Set(want.trimEnd().split('\n').slice(1).filter((l) => l.split(',')[1] === 'reached')
      .map((l) => l.split(',')[0]));
    assert.ok(ts.top.every((id) => reachedIds.has(id)), `top rows ${ts.top.join(' ')} not all reached`);
    await hoverClick(page, 'table_col_userid');
    ts = await tableState(page);
    assert.equal(ts.sort, 'external_userid');
    assert.equal(ts.descending, false);
    assert.deepEqual(ts.top, ids.slice(0, 5));
  });

  test('a reason filter keeps the customers blocked for that reason', { timeout: 60_000 }, async () => {
    const sum = await summary(page);
    const lines = want.trimEnd().split('\n').slice(1);
    const reason = lines.map((l) => l.split(',')).find((f) => f[1] === 'blocked')?.[2];
    assert.ok(reason, 'no blocked customer');
    const n = lines.filter((l) => l.split(',')[1] === 'blocked' && l.split(',')[2] === reason).length;
    assert.equal(await page.evaluate((r) => window.reachlens.call('rl_table_set_filter', JSON.stringify({ reason: r })),
                                     reason), 0);
    await waitIdle(page);
    assert.equal(await tableRows(page), n);
    assert.equal(await page.evaluate(() => window.reachlens.call('rl_table_set_filter', '{"reason":""}')), 0);
    assert.equal(await tableRows(page), sum.audience);
  });

  test('CSV export downloads the engine\'s verdicts, equal to the CLI --verdicts file', { timeout: 60_000 }, async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }),
                                          clickItem(page, 'table_export')]);
    assert.equal(download.suggestedFilename(), `verdicts-${campaignId}.csv`);
    const file = await download.path();
    const got = readFileSync(file, 'utf8');
    assert.equal(got, want, 'downloaded CSV differs from the CLI output');
    const ts = await tableState(page);
    assert.equal(ts.exports, 1);
    assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
  });
});
