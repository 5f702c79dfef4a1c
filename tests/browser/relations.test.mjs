// Browser test of the customer view's relation list (src/ui/customer_view.cpp, engine:
// rl::explain_relations): a tenant written here whose customers have relations in every
// state a marketer asks about (resigned, cannot post moments, deleted, not selected, not the
// first to add, not interested until a date, a quota used up by named campaigns). For each
// customer the view's per-relation reasons are checked against the native CLI's verdict
// for the same documents, in Chinese and in English.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  call, cliVerdicts, callBytes, callString, clickItem, clickTab, haveBuild, launchBrowser, lastError, openApp, screenshot,
  startServer, waitIdle,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const DAY = 86400;
const TZ = 8 * 3600;
// Tuesday 2026-05-12 10:00 in UTC+8.
const NOW = Date.UTC(2026, 4, 12, 10) / 1000 - TZ;
const employee = (userid, name, { active = true, moments = true } = {}) =>
  ({ userid, name, department: [2], status: active ? 'active' : 'resigned', moments_enabled: moments });
const rel = (userid, createtime, deleted = false) => ({ userid, createtime, tag_id: [], state: '', deleted });
const customer = (id, name, follow_user) => ({ external_userid: id, name, gender: 0, attributes: {}, follow_user });
const delivery = (id, userid, time, campaign_id) =>
  ({ campaign_id, kind: 'moment', origin: 'enterprise', external_userid: id, userid, time });

const DATASET = {
  format: 'reachlens.dataset/1',
  enterprise: { corp_name: '关系测试', industry: 'retail', verified: true, tz_offset_minutes: 480 },
  now: NOW,
  departments: [{ id: 1, name: '总部', parentid: 0 }, { id: 2, name: '华东门店', parentid: 1 }],
  employees: [employee('gone', '离职的王', { active: false }), employee('nomo', '不能发的李', { moments: false }),
              employee('del', '被删的张'), employee('other', '没选的赵'), employee('first', '先加的陈'),
              employee('later', '后加的刘')],
  tag_groups: [],
  customers: [
    // Every state at once: reached through `first`; `later` is not the first to add.
    customer('wm_all', '全状态客户', [rel('gone', NOW - 90 * DAY), rel('nomo', NOW - 80 * DAY), rel('del', NOW - 70 * DAY, true),
                                     rel('other', NOW - 60 * DAY), rel('first', NOW - 50 * DAY), rel('later', NOW - 40 * DAY)]),
    // Four enterprise moments already this month (wecom-2025 allows 4 a month).
    customer('wm_quota', '额度用完客户', [rel('first', NOW - 50 * DAY), rel('other', NOW - 20 * DAY)]),
    // Tapped "not interested" on `first` two days ago (hidden 168 hours).
    customer('wm_ni', '不感兴趣客户', [rel('del', NOW - 30 * DAY, true), rel('first', NOW - 20 * DAY)]),
  ],
  deliveries: ['五一预热', '五一正式', '母亲节', '周末上新'].map((c, i) => delivery('wm_quota', 'first', NOW - (i + 1) * DAY, c)),
  not_interested: [{ external_userid: 'wm_ni', userid: 'first', time: NOW - 2 * DAY }],
  scheduled: [],
};
const CAMPAIGN = {
  format: 'reachlens.campaign/1', id: 'relations-test', kind: 'moment', origin: 'enterprise', send_time: NOW + 3600,
  senders: { user_list: ['gone', 'nomo', 'del', 'first', 'later'], department_list: [] },
  content: { text: '母亲节礼盒上新 🎁' },
};

const view = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'customer_view'));

async function showCustomer(page, id) {
  await clickItem(page, 'cv_search', { timeout: 60_000 });
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(id);
  await waitIdle(page, 60_000);
  await clickItem(page, 'cv_match:0', { timeout: 60_000 });
  const v = await view(page);
  assert.equal(v.external_userid, id);
  return v;
}

// The relations' reasons say what the CLI's verdict says: the customer is reached through
// exactly the relations the view calls delivered, and a blocked customer's reason is on
// one of its tried relations (contract 5.4: the verdict comes from the tried pairs).
function assertAgreesWithCli(v, want) {
  const delivered = v.relations.filter((r) => r.state === 'tried' && r.reason === 'reached').map((r) => r.userid);
  assert.deepEqual(delivered, want.via, `${v.external_userid}: delivering relations`);
  assert.equal(v.verdict, want.verdict === 'reached' ? 'reached' : want.reason);
  if (want.verdict !== 'reached')
    assert.ok(v.relations.some((r) => r.state === 'tried' && r.reason === want.reason),
              `${v.external_userid}: no relation blocked by ${want.reason}`);
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

describe('the customer view explains every relation', () => {
  let context, page, cli;
  const log = [];
  before(async () => {
    cli = cliVerdicts({ dataset: DATASET, campaignJson: JSON.stringify(CAMPAIGN) });
    ({ context, page } = await openApp(browser, server.url, { width: 1280, height: 800, log }));
    assert.equal(await callBytes(page, 'rl_load_dataset_json', JSON.stringify(DATASET)), 0, await lastError(page));
    assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(CAMPAIGN)), 0, await lastError(page));
    await waitIdle(page, 60_000);
    await clickTab(page, 'customer', { timeout: 60_000 });
  });
  after(async () => {
    assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
    await context?.close();
  });

  test('a customer with relations in six states: each reason in Chinese, against the CLI', { timeout: 180_000 }, async () => {
    const v = await showCustomer(page, 'wm_all');
    assertAgreesWithCli(v, cli.get('wm_all'));
    const by = Object.fromEntries(v.relations.map((r) => [r.userid, r]));
    assert.deepEqual(v.relations.map((r) => r.userid), ['gone', 'nomo', 'del', 'other', 'first', 'later']);
    assert.equal(by.gone.text, '员工已离职');
    assert.equal(by.gone.reason, 'sender_inactive');
    assert.equal(by.nomo.text, '成员不可发朋友圈');
    assert.equal(by.nomo.reason, 'sender_inactive');
    assert.match(by.del.text, /^已删除/);
    assert.equal(by.del.reason, 'not_friend');
    assert.equal(by.other.state, 'not_selected');
    assert.equal(by.other.text, '未选为发送成员');
    assert.equal(by.first.text, '本次送达');
    assert.match(by.later.text, /^非首位添加/);
    assert.equal(by.later.reason, 'duplicate');
    await screenshot(page, 'customer-relations-zh.png');
  });

  test('a quota used up names the campaigns that used it; not interested says until when', { timeout: 180_000 }, async () => {
    let v = await showCustomer(page, 'wm_quota');
    assertAgreesWithCli(v, cli.get('wm_quota'));
    const quota = v.relations.find((r) => r.userid === 'first');
    assert.equal(quota.reason, 'quota:moment_enterprise_month');
    assert.equal(quota.quota_limit, 4);
    assert.deepEqual([...quota.quota_used_by].sort(), ['五一预热', '五一正式', '母亲节', '周末上新'].sort());
    for (const c of quota.quota_used_by) assert.ok(quota.text.includes(c), `${quota.text} names ${c}`);
    assert.match(quota.text, /4\/4/);
    assert.doesNotMatch(quota.text, /quota:|moment_enterprise_month/, 'no rule code in the Chinese text');
    assert.equal(v.relations.find((r) => r.userid === 'other').text, '未选为发送成员');

    v = await showCustomer(page, 'wm_ni');
    assertAgreesWithCli(v, cli.get('wm_ni'));
    const ni = v.relations.find((r) => r.userid === 'first');
    assert.equal(ni.reason, 'not_interested');
    assert.equal(ni.not_interested_until, NOW - 2 * DAY + 168 * 3600);
    // 168 hours after the tap: 2026-05-17 10:00 in the enterprise's zone.
    assert.match(ni.text, /^不感兴趣，至 2026-05-17 10:00/);
    assert.match(v.relations.find((r) => r.userid === 'del').text, /^已删除/);
  });

  test('in English the same relations read in English', { timeout: 180_000 }, async () => {
    assert.equal(await call(page, 'rl_set_language', 'en'), 0);
    await waitIdle(page, 60_000);
    const v = await showCustomer(page, 'wm_all');
    const by = Object.fromEntries(v.relations.map((r) => [r.userid, r]));
    assert.equal(by.nomo.text, 'The employee cannot post customer moments');
    assert.equal(by.other.text, 'Not a selected sender');
    for (const r of v.relations) assert.doesNotMatch(r.text, /[\u4e00-\u9fff]/, r.text);
    assert.equal(await call(page, 'rl_set_language', 'zh'), 0);
    await waitIdle(page, 60_000);
  });
});
