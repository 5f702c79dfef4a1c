// Browser test of the audience builder with attribute metadata (docs/attribute-meta.md):
// the demo tenant (written by the generator, with `attribute_meta`) shows attributes by their
// Chinese names, offers the operators of each type, lists an enum's values with customer
// counts to pick from, and takes dates from a calendar. Each filter built is checked against
// the dataset itself (counted here) and the native CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  APP_PRESET, CLI, DEMO, call, callBytes, callString, haveBuild, hoverClick, itemRects, lastError, launchBrowser, openApp,
  screenshot, startServer, summary, waitIdle,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const dataset = JSON.parse(readFileSync(join(DEMO, 'dataset.json'), 'utf8'));
const meta = dataset.attribute_meta;
const FILTER = '/audience/filter';
const IDLE = 60_000;
const TZ = dataset.enterprise.tz_offset_minutes * 60;
const MASS_SEND = JSON.stringify({
  format: 'reachlens.campaign/1', id: 'attributes-test', kind: 'mass_send', origin: 'enterprise',
  content: { text: '会员日专享' },
});

const panel = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'audience'));
const filter = async (page) => JSON.parse(await callString(page, 'rl_draft_json')).draft.audience.filter;

function cliAudience(filterDoc) {
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-attributes-'));
  try {
    const file = join(dir, 'campaign.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(MASS_SEND), audience: { filter: filterDoc } }));
    return JSON.parse(execFileSync(CLI, ['preview', '--dataset', join(DEMO, 'dataset.json'), '--campaign', file,
                                         '--preset', APP_PRESET], { encoding: 'utf8', maxBuffer: 1 << 26 })).audience;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Waits for tracked item `name` in the latest frame (popups open a frame after the click), then hover-clicks it.
async function press(page, name) {
  const t0 = Date.now();
  for (;;) {
    const rects = await itemRects(page);
    const latest = Math.max(...Object.values(rects).map((r) => r.frame));
    if (rects[name]?.frame === latest) break;
    if (Date.now() - t0 > 10_000) throw new Error(`no tracked item "${name}" in the latest frame`);
    await page.waitForTimeout(30);
  }
  await hoverClick(page, name, { timeout: IDLE });
}

// The local day (days since 1970-01-01 in the enterprise's zone) of Unix time t, and back.
const localDay = (t) => Math.floor((t + TZ) / 86400);

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

describe('attributes people can read', () => {
  let context, page;
  const log = [];
  before(async () => {
    assert.ok(meta && meta.spend_90d && meta.member_level, 'the demo dataset carries attribute_meta');
    ({ context, page } = await openApp(browser, server.url, { width: 1280, height: 800, log }));
    assert.equal(await callBytes(page, 'rl_set_campaign_json', MASS_SEND), 0, await lastError(page));
    await press(page, 'tab:audience');
  });
  after(async () => {
    assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
    await context?.close();
  });

  test('the builder names attributes in Chinese and offers the operators of their type', { timeout: 180_000 }, async () => {
    await press(page, 'aud_add_root');
    await press(page, 'aud_add_op:attr');
    let p = await panel(page);
    assert.equal(p.attributes.length, 1);
    const first = p.attributes[0];
    assert.equal(first.label, meta[first.attr].name, 'the condition shows the display name');
    assert.notEqual(first.label, first.attr);
    const names = Object.fromEntries(p.attribute_names.map((n) => [n.attr, n.label]));
    assert.equal(names.spend_90d, '近90天消费');
    assert.ok(!Object.values(names).includes('spend_90d'), 'no raw key among the names offered');

    await press(page, `aud_attr_name:${FILTER}`);
    await press(page, 'aud_attr_name_item:spend_90d');
    p = await panel(page);
    assert.equal(p.attributes[0].label, '近90天消费');
    assert.equal(p.attributes[0].type, 'number');
    assert.ok(!p.attributes[0].ops.includes('contains') && !p.attributes[0].ops.includes('within_days'), p.attributes[0].ops.join());
    // The operator list as drawn: contains is not offered for a number.
    await press(page, `aud_attr_op:${FILTER}`);
    const rects = await itemRects(page);
    const latest = Math.max(...Object.values(rects).map((r) => r.frame));
    assert.equal(rects['aud_attr_op_item:contains']?.frame === latest, false, 'contains offered for a number');
    assert.equal(rects['aud_attr_op_item:gte']?.frame, latest);
    await press(page, 'aud_attr_op_item:gte');
    await screenshot(page, 'attributes-number.png');
  });

  test('an enum\'s values are picked from a list with counts', { timeout: 180_000 }, async () => {
    await press(page, `aud_attr_name:${FILTER}`);
    await press(page, 'aud_attr_name_item:member_level');
    let p = await panel(page);
    const cond = p.attributes[0];
    assert.equal(cond.label, '会员等级');
    assert.deepEqual(cond.ops.sort(), ['eq', 'exists', 'in', 'ne']);
    // Every declared value with the number of customers holding it, counted here from the file.
    const counts = {};
    for (const c of dataset.customers) {
      const v = c.attributes.member_level;
      if (v !== undefined) counts[v] = (counts[v] || 0) + 1;
    }
    const declared = meta.member_level.values.map((v) => (typeof v === 'object' ? v.value : v));
    assert.deepEqual(cond.choices.map((c) => c.value), declared);
    for (const c of cond.choices) assert.equal(c.customers, counts[c.value] || 0, `${c.value}`);
    const gold = cond.choices.find((c) => c.value.includes('金卡'));
    assert.ok(gold && gold.customers > 0);

    const f0 = await filter(page);
    assert.equal(f0.op, 'eq', 'gte does not fit an enum: the first operator that does');
    await press(page, `aud_attr_value:${FILTER}`);
    await press(page, `aud_attr_enum_item:${gold.value}`);
    let f = await filter(page);
    assert.deepEqual(f, { attr: 'member_level', op: 'eq', value: gold.value });
    await waitIdle(page, IDLE);
    assert.equal((await summary(page)).audience, gold.customers);
    assert.equal(cliAudience(f), gold.customers);

    // "one of": two values ticked in the list.
    await press(page, `aud_attr_op:${FILTER}`);
    await press(page, 'aud_attr_op_item:in');
    await press(page, `aud_attr_value:${FILTER}`);
    const second = cond.choices.find((c) => c.value !== gold.value && c.customers > 0);
    await press(page, `aud_attr_enum_item:${second.value}`);
    await page.keyboard.press('Escape');
    await waitIdle(page, IDLE);
    f = await filter(page);
    assert.deepEqual(f, { attr: 'member_level', op: 'in', value: [gold.value, second.value] });
    await waitIdle(page, IDLE);
    assert.equal((await summary(page)).audience, gold.customers + second.customers);
    assert.equal(cliAudience(f), gold.customers + second.customers);
    await screenshot(page, 'attributes-enum.png');
  });

  test('a date and "within N days" come from the calendar', { timeout: 180_000 }, async () => {
    await press(page, `aud_attr_name:${FILTER}`);
    await press(page, 'aud_attr_name_item:last_purchase');
    let p = await panel(page);
    assert.equal(p.attributes[0].type, 'timestamp');
    assert.ok(!p.attributes[0].ops.includes('contains'));
    await press(page, `aud_attr_op:${FILTER}`);
    await press(page, 'aud_attr_op_item:gte');
    // The calendar opens on the month of the value; go back a month and pick its 1st.
    await press(page, `aud_attr_date:${FILTER}`);
    await press(page, `aud_attr_date:${FILTER}:prev`);
    await press(page, `aud_attr_date:${FILTER}:day:1`);
    let f = await filter(page);
    assert.equal(f.op, 'gte');
    const now = new Date((dataset.now + TZ) * 1000);
    const firstOfLastMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1) / 1000;
    assert.equal(f.value, firstOfLastMonth - TZ, 'on or after: the first second of that day, enterprise time');
    const want = dataset.customers.filter((c) => typeof c.attributes.last_purchase === 'number' &&
                                                 c.attributes.last_purchase >= f.value).length;
    await waitIdle(page, IDLE);
    assert.equal((await summary(page)).audience, want);
    assert.equal(cliAudience(f), want);

    // "within N days" from a date: that day counted, to the send day.
    await press(page, `aud_attr_op:${FILTER}`);
    await press(page, 'aud_attr_op_item:within_days');
    await press(page, `aud_attr_date:${FILTER}`);
    await press(page, `aud_attr_date:${FILTER}:day:1`);
    f = await filter(page);
    assert.equal(f.op, 'within_days');
    // Switched from a date, the condition starts at 30 days, so the calendar opened on the
    // month of the day 29 days before the send day; its 1st was picked.
    const sendDay = localDay((await summary(page)).send_time);
    const opened = new Date((sendDay - 29) * 86400 * 1000);
    const firstDay = Date.UTC(opened.getUTCFullYear(), opened.getUTCMonth(), 1) / 86400000;
    assert.equal(f.value, sendDay - firstDay + 1, 'within N days: from the picked day, both ends counted');
    await waitIdle(page, IDLE);
    assert.equal((await summary(page)).audience, cliAudience(f));
    await screenshot(page, 'attributes-date.png');
  });

  test('in English the names are the English ones', { timeout: 60_000 }, async () => {
    assert.equal(await call(page, 'rl_set_language', 'en'), 0);
    await waitIdle(page, IDLE);
    const p = await panel(page);
    assert.equal(p.attributes[0].label, meta.last_purchase.name_en);
    assert.equal(await call(page, 'rl_set_language', 'zh'), 0);
    await waitIdle(page, IDLE);
  });
});
