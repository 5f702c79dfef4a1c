// Customer-group sends in the dashboard (客户群群发, contract 8): composing one in the
// composer (kind, owners, the group picker with an excluded group), the overview, owner
// table and per-group heat map against the native CLI for the same campaign, the customer's
// view of the group chat against the dataset file, and the submission to serve.py with the
// group request bodies. Screenshots of each new panel in Chinese at 1280 and 800 px wide.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  APP_PRESET, CLI, DEMO, callBytes, callString, call, clickItem, clickTab, haveBuild, hoverClick, itemRects, launchBrowser, openApp,
  screenshot, startServePy, startServer, state, summary, waitIdle,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const datasetPath = join(DEMO, 'dataset.json');
const dataset = JSON.parse(readFileSync(datasetPath, 'utf8'));
const groupsById = new Map((dataset.groupchats || []).map((g) => [g.chat_id, g]));
const TEXT = '双十二社群福利：群内专享 8 折 💄👍🏻 𠀋';

const panel = async (page, name) => JSON.parse(await callString(page, 'rl_panel_json', name));
const draftDoc = async (page) => JSON.parse(await callString(page, 'rl_draft_json')).draft;

// The CLI's summary and per-group verdicts for a campaign document.
function cliPreview(campaign) {
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-groups-'));
  try {
    const path = join(dir, 'campaign.json');
    writeFileSync(path, JSON.stringify(campaign));
    const csv = join(dir, 'verdicts.csv');
    const out = execFileSync(CLI, ['preview', '--dataset', datasetPath, '--campaign', path, '--preset', APP_PRESET,
                                   '--verdicts', csv], { encoding: 'utf8', maxBuffer: 1 << 27 });
    const rows = readFileSync(csv, 'utf8').trimEnd().split('\n');
    assert.equal(rows[0], 'chat_id,verdict,reason,via');
    const verdicts = new Map(rows.slice(1).map((l) => { const [id, v, r, via] = l.split(','); return [id, { v, r, via }]; }));
    return { summary: JSON.parse(out), verdicts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Local calendar day (YYYY-MM-DD) of a Unix time in the tenant's time zone.
const tz = dataset.enterprise?.tz_offset_minutes ?? 480;
const localDay = (t) => new Date((t + tz * 60) * 1000).toISOString().slice(0, 10);

let server, browser;
before(async () => {
  assert.ok(groupsById.size > 0, 'the demo tenant has customer groups');
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// A new group send through the composer's menu, its text typed in, one group left out.
async function composeGroupSend(page) {
  await clickTab(page, 'compose');
  await clickItem(page, 'composer_new_draft');
  await clickItem(page, 'new_draft:group_send:enterprise');
  assert.equal(await call(page, 'rl_set_draft_text', TEXT), 0);
  await waitIdle(page);
  let composer = await panel(page, 'composer');
  assert.equal(composer.kind, 'group_send');
  assert.equal(composer.chat_list, 0, 'a new group send addresses every group of its owners');
  const all = composer.groups_audience;
  assert.equal(all, groupsById.size, 'every employee selected: every group is in the audience');
  assert.ok(composer.group_rows > all, 'owner rows and their groups are listed');
  return { all };
}

test('compose a group send; the overview, owner table and heat map equal the CLI', { timeout: 240_000 }, async () => {
  const log = [];
  const { context, page } = await openApp(browser, server.url, { log });
  try {
    const { all } = await composeGroupSend(page);
    // The kind segment shows the group kind selected; the content counter is in bytes (mass-send limits).
    let composer = await panel(page, 'composer');
    assert.equal(composer.counter.unit, 'bytes');
    assert.equal(composer.counter.used, Buffer.byteLength(TEXT));

    // Exclude the first group listed: the chat list becomes every other group.
    const rects = await itemRects(page);
    const first = Object.keys(rects).filter((k) => k.startsWith('group:') && rects[k].frame === Math.max(...Object.values(rects).map((r) => r.frame)))[0];
    assert.ok(first, 'a group checkbox is drawn');
    const excluded = first.slice('group:'.length);
    // The composer's body scrolls under its tab bar: scrolled (at its left edge, outside the
    // nested lists) until the checkbox is inside it.
    for (let i = 0; i < 20; i++) {
      const now = await itemRects(page);
      const body = now['body:compose'], box = now[first];
      if (box.y >= body.y && box.y + box.h <= body.y + body.h) break;
      await page.mouse.move(body.x + 2, body.y + body.h / 2);
      await page.mouse.wheel(0, box.y < body.y ? -200 : 200);
      await waitIdle(page);
    }
    await clickItem(page, first);
    composer = await panel(page, 'composer');
    assert.equal(composer.chat_list, all - 1);
    assert.equal(composer.groups_audience, all - 1);
    let doc = await draftDoc(page);
    assert.ok(!doc.audience.chat_list.includes(excluded));
    await screenshot(page, 'groups-composer-1280.png');

    // An unknown chat id is the engine's campaign.unknown_chat at its pointer, shown at the field.
    doc.audience.chat_list.push('wr_no_such_group');
    assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(doc)), 0);
    await waitIdle(page);
    composer = await panel(page, 'composer');
    const unknown = composer.field_errors.find((e) => e.code === 'campaign.unknown_chat');
    assert.ok(unknown, JSON.stringify(composer.field_errors));
    assert.match(unknown.pointer, /^\/audience\/chat_list\/\d+$/);
    assert.match(unknown.text, /客户群 wr_no_such_group 不存在/);
    doc.audience.chat_list.pop();
    assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(doc)), 0);
    await waitIdle(page);

    // The overview against the CLI for the same document.
    doc = await draftDoc(page);
    const { summary: cli, verdicts } = cliPreview(doc);
    assert.equal(verdicts.has(excluded), false);
    await clickTab(page, 'overview');
    const p = await panel(page, 'preview');
    assert.equal(p.kind, 'group_send');
    assert.deepEqual(p.group, { groups: cli.audience, reached: cli.reached, members_reached: cli.members_reached,
                                members_multi: cli.members_multi });
    assert.ok(cli.members_multi > 0, 'the demo tenant has customers in several reached groups');
    assert.deepEqual(p.blocked, cli.blocked);
    assert.equal(Object.values(cli.blocked).reduce((a, b) => a + b, 0) + cli.reached, cli.audience);
    await screenshot(page, 'groups-overview-1280.png');

    // The owner table: per 群主 the groups, reached and blocked, as the CLI's senders[].
    await clickTab(page, 'senders');
    const rows = (await panel(page, 'preview')).senders.rows;
    const byUser = new Map(rows.map((r) => [r.userid, r]));
    assert.equal(rows.length, cli.senders.length);
    for (const s of cli.senders) {
      const r = byUser.get(s.userid);
      assert.ok(r, s.userid);
      assert.equal(r.pairs, s.pairs, s.userid);
      assert.equal(r.deliveries, s.deliveries, s.userid);
    }
    await screenshot(page, 'groups-owners-1280.png');

    // The marketer's export of a group send: one row per audience group as the CLI's verdicts,
    // Chinese results and reasons, the group's name and its owner's name (no codes).
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }),
                                          hoverClick(page, 'table_export_report')]);
    const bytes = readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'no UTF-8 BOM');
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    assert.equal(lines[0], '群 ID,群名,结果,原因,群主,群主部门');
    assert.equal(lines.length - 1, verdicts.size);
    const ownerName = new Map(dataset.employees.map((e) => [e.userid, e.name || e.userid]));
    for (const f of lines.slice(1).map((l) => l.split(','))) {
      const v = verdicts.get(f[0]), group = groupsById.get(f[0]);
      assert.ok(v && group, `${f[0]} is not an audience group of the CLI`);
      assert.equal(f[1], group.name);
      assert.equal(f[2], v.v === 'reached' ? '已送达' : '未送达');
      if (v.v === 'reached') assert.equal(f[3], '');
      else assert.match(f[3], /^[\u4e00-\u9fff]/, `${f[0]}: reason ${f[3]} for ${v.r}`);
      assert.equal(f[4], ownerName.get(group.owner));
    }

    // The heat map holds the per-group quota only; the days before the send count the
    // dataset's group deliveries into the audience groups, the send day adds the reached groups.
    await clickTab(page, 'quota');
    const heat = (await panel(page, 'preview')).heatmap;
    assert.deepEqual(heat.labels, ['quota:group_send_any_month']);
    assert.equal(heat.unit, 'groups');
    const month = `${heat.year}-${String(heat.month).padStart(2, '0')}`;
    const perDay = new Map();
    for (const d of dataset.deliveries) {
      if (d.kind !== 'group_send' || !verdicts.has(d.chat_id)) continue;
      const day = localDay(d.time);
      if (day.startsWith(month)) perDay.set(Number(day.slice(8)), (perDay.get(Number(day.slice(8))) || 0) + 1);
    }
    assert.ok(heat.send_day > 0);
    for (const cell of heat.cells) {
      if (cell.day < heat.send_day) assert.equal(cell.deliveries, perDay.get(cell.day) || 0, `day ${cell.day}`);
    }
    const sendCell = heat.cells[heat.send_day - 1];
    assert.ok(sendCell.deliveries >= (perDay.get(heat.send_day) || 0) + cli.reached);
    await screenshot(page, 'groups-heatmap-1280.png');

    // Narrow window: the same panels at 800 px.
    await page.setViewportSize({ width: 800, height: 600 });
    await waitIdle(page);
    await clickTab(page, 'overview');
    await screenshot(page, 'groups-overview-800.png');
    await clickTab(page, 'compose');
    await clickItem(page, 'composer_section_content');  // folded: the group picker comes into view
    assert.ok((await itemRects(page)).composer_kind_group_send.w > 0);
    await screenshot(page, 'groups-composer-800.png');
    assert.ok(!log.some((l) => l.startsWith('pageerror')), log.join('\n'));
  } finally {
    await context.close();
  }
});

test('the customer view shows the group chat with the message, the group name and member count', { timeout: 180_000 }, async () => {
  const { context, page } = await openApp(browser, server.url);
  try {
    await composeGroupSend(page);
    const doc = await draftDoc(page);
    const { summary: cli, verdicts } = cliPreview(doc);
    await clickTab(page, 'customer');
    await clickItem(page, 'cv_pick_reached');
    const cv = await panel(page, 'customer_view');
    assert.equal(cv.kind, 'group_send');
    const gc = cv.group_chat;
    // The customer's groups from the dataset file, their names, member counts and verdicts as the CLI's.
    const mine = [...groupsById.values()].filter((g) => g.members.some((m) => m.type === 2 && m.external_userid === cv.external_userid));
    assert.deepEqual(gc.groups.map((g) => g.chat_id).sort(), mine.map((g) => g.chat_id).sort());
    let reads = 0;
    for (const g of gc.groups) {
      const file = groupsById.get(g.chat_id);
      assert.equal(g.name, file.name);
      assert.equal(g.member_count, file.members.length);
      assert.equal(g.owner, file.owner);
      const v = verdicts.get(g.chat_id);
      assert.equal(g.verdict, v ? (v.v === 'reached' ? 'reached' : v.r) : 'not_in_audience', g.chat_id);
      const joined = file.members.find((m) => m.external_userid === cv.external_userid).join_time <= cli.send_time;
      if (g.verdict === 'reached' && joined) reads++;
    }
    assert.ok(reads >= 1);
    assert.equal(gc.group_reads, Math.min(reads, 2));
    assert.equal(gc.shown, gc.groups[0].chat_id, 'a reached group is shown first');
    await screenshot(page, 'groups-customer-view-1280.png');
    await page.setViewportSize({ width: 800, height: 600 });
    await waitIdle(page);
    await screenshot(page, 'groups-customer-view-800.png');
  } finally {
    await context.close();
  }
});

test('submit a group send to serve.py: the stored bodies have chat_type group', { timeout: 240_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'reachlens-groups-serve-'));
  const serve = await startServePy(['--data', dataDir, '--customers', '300', '--no-build']);
  const { context, page } = await openApp(browser, serve.origin + '/');
  try {
    const datasetText = await (await fetch(serve.origin + '/api/dataset')).text();
    assert.equal(await callBytes(page, 'rl_load_dataset_json', datasetText), 0);
    const groupFile = readdirSync(join(dataDir, 'demo', 'campaigns')).find((f) => f.includes('group'));
    assert.ok(groupFile, 'serve.py\'s tenant has a group send campaign');
    const c = JSON.parse(readFileSync(join(dataDir, 'demo', 'campaigns', groupFile), 'utf8'));
    c.content.attachments = [];  // files would need uploading first (trust.test.mjs does that)
    c.content.text = TEXT;
    // Every group of every owner, on the 1st of next month: the small tenant's groups have used
    // this month's slots (group_send_any_month).
    delete c.senders;
    c.audience = {};
    const served = JSON.parse(datasetText);
    const offset = (served.enterprise.tz_offset_minutes ?? 480) * 60;
    const local = new Date((served.now + offset) * 1000);
    c.send_time = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1, 10) / 1000 - offset;
    assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(c)), 0);
    await waitIdle(page);
    const s = await summary(page);
    assert.equal(s.submittable, true, JSON.stringify(s.errors));
    assert.ok(s.reached > 0, JSON.stringify(s.blocked));
    const posted = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/campaigns')) posted.push(r.postDataJSON()); });
    await clickItem(page, 'submit');
    let st = await state(page);
    assert.equal(st.submit.dialog_open, true);
    const facts = (await panel(page, 'submit')).confirmation;
    assert.equal(facts.group_send, true);
    assert.equal(facts.reached, s.reached);
    assert.equal(facts.members_reached, s.members_reached);
    assert.equal(facts.requests, new Set(s.senders.filter((x) => x.deliveries > 0).map((x) => x.userid)).size);
    await screenshot(page, 'groups-submit-1280.png');
    await clickItem(page, 'submit_confirm');
    await page.waitForFunction(() => {
      const x = JSON.parse(window.reachlens.callString('rl_state_json')).submit;
      return x.answered && !x.in_flight;
    }, null, { timeout: 60_000 });
    st = await state(page);
    assert.equal(st.submit.status, 201, JSON.stringify(st.submit));
    assert.equal(posted.length, 1);
    assert.ok(posted[0].requests.length > 0);
    for (const r of posted[0].requests) assert.equal(r.body.chat_type, 'group');
    const rec = await (await fetch(`${serve.origin}/api/campaigns/${st.submit.id}`)).json();
    assert.equal(rec.campaign.kind, 'group_send');
    assert.deepEqual(rec.requests.map((r) => r.body), posted[0].requests.map((r) => r.body));
    for (const r of rec.requests) {
      assert.equal(r.api, 'externalcontact/add_msg_template');
      assert.equal(r.body.chat_type, 'group');
      assert.equal(r.body.text.content, TEXT);
    }
  } finally {
    await context.close();
    await serve.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
