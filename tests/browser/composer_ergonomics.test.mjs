// Browser tests of the composer's ergonomics (issue 11, item 4): the text box wraps and
// keeps every character; nine images picked in one dialog and files dropped on the page;
// attachments reordered by dragging their cards; the send-date calendar sets the same
// send time as typing; Esc closes a popup; the tab bar stays reachable after scrolling;
// the quota heat map follows the draft's kind; no label cut short at 800×600 or in the
// host demo's frame, in both languages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  APP_PRESET, CLI, DEMO, callBytes, callString, clickTab, draftText, haveBuild, liveRects, mediaPanel, openApp, png,
  itemRects, press as pressItem, screenshot, state, useApp, waitIdle,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const DATASET = join(DEMO, 'dataset.json');
const dataset = JSON.parse(readFileSync(DATASET, 'utf8'));
const TZ = dataset.enterprise.tz_offset_minutes ?? 480;

const draftDoc = async (page) => JSON.parse(await callString(page, 'rl_draft_json')).draft;
const composer = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'composer'));
const preview = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'preview'));
const settle = (page) => waitIdle(page, 60_000);

const press = (page, name) => pressItem(page, name, { timeout: 60_000 });

async function showSection(page, name) {
  for (const sec of ['content', 'senders', 'send_time', 'rules']) {
    const open = (await composer(page)).sections[`composer_section_${sec}`];
    if (open !== (sec === name)) await press(page, `composer_section_${sec}`);
  }
}

async function newDraft(page, kind, origin) {
  await press(page, 'composer_new_draft');
  await press(page, `new_draft:${kind}:${origin}`);
  assert.equal((await draftDoc(page)).kind, kind);
}

// The request bodies the engine builds for a draft (the CLI's payload command).
function cliPayload(draft) {
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-ergonomics-'));
  try {
    const campaign = join(dir, 'draft.json');
    writeFileSync(campaign, JSON.stringify(draft));
    return JSON.parse(execFileSync(CLI, ['payload', '--dataset', DATASET, '--campaign', campaign, '--preset', APP_PRESET],
                                   { encoding: 'utf8', maxBuffer: 1 << 26 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const colour = (i) => [(i * 53) % 256, (i * 97) % 256, (i * 151) % 256];
const picture = (i) => ({ name: `海报-${i + 1}-💄.png`, mimeType: 'image/png', buffer: png(40 + i, 30, () => colour(i)) });

const app = useApp();

describe('composer ergonomics', () => {
  let context, page;
  const log = [];
  before(async () => {
    ({ context, page } = await openApp(app.browser, app.server.url, { dpr: 1, width: 1280, height: 1000, log }));
    await clickTab(page, 'compose');
  });
  after(async () => { await context?.close(); });

  test('the text box wraps; the draft keeps every character and the counter counts them', { timeout: 180_000 }, async () => {
    await newDraft(page, 'moment', 'enterprise');
    await showSection(page, 'content');
    const typed = '春季上新💄限时优惠，会员专享双倍积分👍🏻 spring sale for members only 𠀋 ' +
                  '全场满三百减五十，活动截止到月底，欢迎到店选购👨‍👩‍👧';
    await press(page, 'draft_text');
    await page.keyboard.insertText(typed);
    await settle(page);
    assert.equal(await draftText(page), typed, 'no character changed, no soft break kept');
    let c = await composer(page);
    assert.ok(c.text_field.visual_lines >= 3, `the text wraps into lines: ${c.text_field.visual_lines}`);
    assert.equal(c.counter.used, [...typed].length, 'the counter counts code points');
    // Typing at the end of a wrapped line and deleting across a soft break keep the text whole.
    await page.keyboard.press('End');
    await page.keyboard.type('AB');
    await settle(page);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await settle(page);
    assert.equal(await draftText(page), typed);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('!');
    await settle(page);
    assert.equal(await draftText(page), typed + '!');
    // Esc leaves the field and keeps what was typed (ImGui alone would revert it).
    await page.keyboard.press('Escape');
    await settle(page);
    assert.equal((await state(page)).want_text_input, false, 'Esc left the field');
    c = await composer(page);
    assert.equal(await draftText(page), typed + '!');
    assert.equal((await draftDoc(page)).content.text, typed + '!');
    await screenshot(page, 'ergonomics-wrapped-text.png');
  });

  test('nine images picked in one dialog join the draft in order, each going to the upload', { timeout: 180_000 }, async () => {
    await newDraft(page, 'moment', 'enterprise');
    await showSection(page, 'content');
    const before = await mediaPanel(page);
    const chooser = page.waitForEvent('filechooser', { timeout: 20_000 });
    await press(page, 'composer_add_image');
    const fc = await chooser;
    assert.equal(fc.isMultiple(), true, 'the dialog takes several files');
    const files = Array.from({ length: 9 }, (_, i) => picture(i));
    await fc.setFiles(files);
    await page.waitForFunction((n) => JSON.parse(window.reachlens.callString('rl_panel_json', 'media')).added >= n,
                               before.added + 9, { timeout: 90_000 });
    await settle(page);
    const m = await mediaPanel(page);
    assert.equal(m.error, '');
    assert.equal(m.picking, false, 'the picker is free again after the last file');
    const atts = (await draftDoc(page)).content.attachments;
    assert.deepEqual(atts.map((a) => a.image.name), files.map((f) => f.name), 'in the order picked');
    assert.deepEqual(atts.map((a) => a.image.width), files.map((_, i) => 40 + i), 'each file read for itself');
    const ids = atts.map((a) => a.image.upload_id);
    assert.ok(ids.every((id) => /^up-/.test(id)) && new Set(ids).size === 9, 'each file has its own upload');
    // Each file went to web/upload.js (no server here: they wait in the browser, by these ids).
    const listed = await page.evaluate(() => window.reachlens.uploads.list.map((u) => u.upload_id));
    for (const id of ids) assert.ok(listed.includes(id), `upload ${id} started`);
    assert.equal((await composer(page)).attachments, 9);
    await screenshot(page, 'ergonomics-nine-images.png');
  });

  test('images dropped on the page become attachments; a mixed failure names its file', { timeout: 120_000 }, async () => {
    await newDraft(page, 'mass_send', 'enterprise');
    await showSection(page, 'content');
    const good = [picture(20), picture(21)];
    await page.evaluate((files) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.mimeType }));
      dt.items.add(new File([new Uint8Array([1, 2, 3])], '坏图.png', { type: 'image/png' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, good.map((f) => ({ name: f.name, mimeType: f.mimeType, bytes: [...f.buffer] })));
    await page.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_panel_json', 'media')).batch_left === 0 &&
                                     !JSON.parse(window.reachlens.callString('rl_panel_json', 'media')).picking,
                               null, { timeout: 60_000 });
    await settle(page);
    const atts = (await draftDoc(page)).content.attachments;
    assert.deepEqual(atts.map((a) => a.image.name), good.map((f) => f.name));
    assert.match((await mediaPanel(page)).error, /坏图\.png/);
    assert.equal((await state(page)).dataset_loaded, true, 'the drop did not replace the dataset');
  });

  test('dragging a card by its title reorders the attachments in the draft and the request bodies', { timeout: 180_000 }, async () => {
    // Three links told apart by their titles, as a host would hand the draft over.
    const link = (i) => ({ msgtype: 'link', link: { title: `link-${i}`, url: `https://example.com/${i}` } });
    const doc = { format: 'reachlens.campaign/1', id: 'drag-order', kind: 'mass_send', origin: 'enterprise', content: { text: '拖动排序', attachments: [0, 1, 2].map(link) } };
    assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(doc)), 0);
    await settle(page);
    await clickTab(page, 'compose');
    await showSection(page, 'content');
    const titles = async () => (await draftDoc(page)).content.attachments.map((a) => a.link.title);
    assert.deepEqual(await titles(), ['link-0', 'link-1', 'link-2']);
    const rects = await liveRects(page);
    const from = rects['att0:drag'], to = rects['att2:box'];
    assert.ok(from && to, 'the cards are drawn');
    await page.mouse.move(from.x + from.w / 2, from.y + from.h / 2);
    await settle(page);
    await page.mouse.down();
    await settle(page);
    // Dropped on the target card's top, which is on screen (its middle may lie below the panel).
    const dropY = to.y + Math.min(to.h / 2, 24);
    for (let k = 1; k <= 8; k++) {
      await page.mouse.move(from.x + from.w / 2, from.y + from.h / 2 + (dropY - from.y - from.h / 2) * k / 8);
      await settle(page);
    }
    await page.mouse.up();
    await settle(page);
    assert.deepEqual(await titles(), ['link-1', 'link-2', 'link-0'], 'the dragged card went where it was dropped');
    const draft = await draftDoc(page);
    const bodies = cliPayload(draft);
    const text = JSON.stringify(bodies);
    const order = ['link-1', 'link-2', 'link-0'].map((t) => text.indexOf(`"${t}"`));
    assert.ok(order.every((i) => i >= 0) && order[0] < order[1] && order[1] < order[2], `request bodies in the new order: ${order}`);
  });

  test('the calendar sets the same send time as typing the date; at-quota days come from the engine', { timeout: 180_000 }, async () => {
    await callString(page, 'rl_show_tab', 'quota');
    await newDraft(page, 'moment', 'enterprise');
    await showSection(page, 'send_time');
    await press(page, 'composer_send_at');
    const clock = (await composer(page)).send_time.time;
    await press(page, 'composer_send_date_pick');
    let c = await composer(page);
    assert.equal(c.date_picker.open, true);
    assert.equal((await state(page)).open_popups, 1);
    await screenshot(page, 'ergonomics-date-picker.png');

    // The marks of the send month are the engine's quota calendar: the customers of the
    // audience with no headroom left on the (only) quota of an enterprise moment.
    const heat = (await preview(page)).heatmap;
    assert.equal(heat.label, 'quota:moment_enterprise_month');
    assert.deepEqual([c.date_picker.year, c.date_picker.month], [heat.year, heat.month], 'opens on the send month');
    const want = heat.cells.filter((x) => x.customers_full > 0).map((x) => ({ day: x.day, at_quota: x.customers_full }));
    assert.ok(want.length > 0, 'the demo has days with customers at the quota');
    assert.deepEqual(c.date_picker.marked.map(({ day, at_quota }) => ({ day, at_quota })), want);
    const audience = (await preview(page)).funnel.audience;
    for (const m of c.date_picker.marked) assert.equal(m.many, m.at_quota / audience >= 0.2, JSON.stringify(m));

    // The next month, day 12.
    await press(page, 'date_pick:next');
    c = await composer(page);
    const { year, month } = c.date_picker;
    assert.equal(year * 12 + month, heat.year * 12 + heat.month + 1);
    await press(page, 'date_pick:day:12');
    c = await composer(page);
    assert.equal(c.date_picker.open, false, 'picking a day closes the calendar');
    const date = `${year}-${String(month).padStart(2, '0')}-12`;
    assert.equal(c.send_time.date, date, 'the date field shows the picked day');
    const picked = (await draftDoc(page)).send_time;
    const [hh, mm] = clock.split(':').map(Number);
    assert.equal(picked, Date.UTC(year, month - 1, 12, hh, mm) / 1000 - TZ * 60, 'in the enterprise time zone');

    // Typing another day, then the same day again, gives the same send time.
    await press(page, 'composer_send_date');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`${year}-${String(month).padStart(2, '0')}-13`);
    await settle(page);
    assert.equal((await draftDoc(page)).send_time, picked + 86400);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(date);
    await settle(page);
    assert.equal((await draftDoc(page)).send_time, picked, 'typing the date = picking it');

    await press(page, 'composer_send_date_pick');
    assert.equal((await composer(page)).date_picker.open, true);
    await page.keyboard.press('Escape');
    await settle(page);
    assert.equal((await composer(page)).date_picker.open, false, 'Esc closes the calendar');
  });

  test('Esc closes the tag popup, even with its search field focused; a click outside too', { timeout: 120_000 }, async () => {
    await newDraft(page, 'mass_send', 'enterprise');
    await clickTab(page, 'audience');
    // A "has any tag" condition, whose "+ tag" button opens the tag popup.
    await press(page, 'aud_add_root');
    await press(page, 'aud_add_op:tags_any');
    const rects = await liveRects(page);
    const add = Object.keys(rects).find((k) => k.startsWith('aud_add_id:') && k.endsWith('tags_any'));
    assert.ok(add, `no tag picker button (have ${Object.keys(rects).filter((k) => k.startsWith('aud_add')).join(', ')})`);
    await press(page, add);
    assert.equal((await state(page)).open_popups, 1, 'the tag popup is open');
    await press(page, 'aud_tag_search');
    await page.keyboard.type('VIP');
    await settle(page);
    await page.keyboard.press('Escape');
    await settle(page);
    assert.equal((await state(page)).open_popups, 0, 'Esc closed it');
    await press(page, add);
    assert.equal((await state(page)).open_popups, 1);
    await page.mouse.click(1270, 990);
    await settle(page);
    assert.equal((await state(page)).open_popups, 0, 'a click outside closed it');
    await clickTab(page, 'compose');
  });

  test('the tab bar stays on screen after the composer is scrolled to its end', { timeout: 120_000 }, async () => {
    await showSection(page, 'senders');
    await press(page, 'composer_section_content');  // content and senders open: taller than the column
    const before = (await liveRects(page))['tab:compose'];
    const body = (await liveRects(page))['body:compose'];
    const header0 = (await liveRects(page)).composer_section_content;
    // At the body's left edge, outside the nested lists (they scroll on their own).
    await page.mouse.move(body.x + 2, body.y + body.h / 2);
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 400);
    await settle(page);
    const after = (await liveRects(page))['tab:compose'];
    assert.ok(after, 'the tab is drawn');
    assert.deepEqual([after.x, after.y], [before.x, before.y], 'the tab bar did not move');
    const header = (await itemRects(page)).composer_section_content;
    assert.ok(header.y < header0.y - 100, `the panel body scrolled (${header0.y} -> ${header.y})`);
    // The tab bar answers: another tab and back; then back to the top.
    await clickTab(page, 'audience');
    await clickTab(page, 'compose');
    const top = (await liveRects(page))['body:compose'];
    await page.mouse.move(top.x + 2, top.y + top.h / 2);
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -400);
    await settle(page);
  });

  test('the quota heat map shows a quota of the draft\'s kind, group sends included', { timeout: 120_000 }, async () => {
    await clickTab(page, 'quota');
    // A group send's map holds its per-group quotas, in groups (contract 8); the same chooser.
    for (const [kind, want] of [['mass_send', /^quota:mass_send/], ['moment', /^quota:moment/], ['group_send', /^quota:group_send/],
                                ['mass_send', /^quota:mass_send/]]) {
      await newDraft(page, kind, 'enterprise');
      await settle(page);
      const h = (await preview(page)).heatmap;
      assert.equal(h.applies, true, `${kind}: ${h.label} counts the draft's kind`);
      assert.match(h.label, want, `${kind}: ${h.label}`);
      assert.equal(h.unit, kind === 'group_send' ? 'groups' : 'customers');
    }
  });
});

// The panels checked at a narrow width, and in each the items that were cut at its edge
// before (issue 11): they must lie inside the panel's body, which ends at the window's edge.
const LAYOUT_TABS = ['quota', 'overview', 'compose', 'customer', 'calendar', 'impact', 'drafts'];
const MUST_FIT = {
  customer: [/^cv_pick_reached$/, /^cv_pick_blocked$/],
  calendar: [/^calendar_draft_month$/, /^cal_list:/, /^cal_list_note:/],
  impact: [/^impact_summary$/],
  drafts: [/^draft:/, /^draft_open:/, /^draft_template:/, /^draft_new_from:/, /^draft_delete:/, /^campaign_text:/],
};

// Shows each panel of LAYOUT_TABS in `target` (a page or the host demo's frame) and checks
// that no label is cut short and the MUST_FIT items lie inside the panel's body. `pointer`:
// the page's mouse and keyboard, and where `target` starts on it.
async function checkLayout(target, pointer, where) {
  const click = async (name, dx, dy) => {
    const r = (await liveRects(target))[name];
    assert.ok(r, `${where}: no ${name}`);
    await pointer.mouse.move(pointer.x + r.x + dx, pointer.y + r.y + dy);
    await waitIdle(target, 60_000);
    await pointer.mouse.click(pointer.x + r.x + dx, pointer.y + r.y + dy);
    await waitIdle(target, 60_000);
  };
  // A draft typed into is saved: the drafts panel then has a row with its buttons.
  await callString(target, 'rl_show_tab', 'compose');
  await waitIdle(target, 60_000);
  await click('draft_text', 12, 12);
  await pointer.keyboard.type('春季上新 💄👍🏻');
  await target.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_panel_json', 'drafts')).saved.length > 0,
                               null, { timeout: 30_000 });
  for (const tab of LAYOUT_TABS) {
    await callString(target, 'rl_show_tab', tab);
    await waitIdle(target, 60_000);
    if (tab === 'drafts') {
      // The saved drafts are listed below the demo campaigns: scrolled into view.
      for (let i = 0; i < 20; i++) {
        const rects = await liveRects(target);
        const body = rects['body:drafts'], row = Object.entries(rects).find(([k]) => k.startsWith('draft:'))?.[1];
        assert.ok(body && row, `${where}: a saved draft's row`);
        if (row.y >= body.y && row.y + row.h <= body.y + body.h) break;
        await pointer.mouse.move(pointer.x + body.x + 4, pointer.y + body.y + body.h / 2);
        await pointer.mouse.wheel(0, row.y < body.y ? -200 : 200);
        await waitIdle(target, 60_000);
      }
    }
    if (tab === 'calendar') {
      // The day of the shown month with the most campaigns, picked by its corner (the
      // chips inside the cell open a campaign instead): the side list shows them.
      const cal = JSON.parse(await callString(target, 'rl_panel_json', 'calendar'));
      const per = new Map();
      for (const e of cal.entries) per.set(e.day, (per.get(e.day) ?? 0) + 1);
      const [day] = [...per.entries()].sort((x, y) => y[1] - x[1])[0] ?? [];
      assert.ok(day, `${where}: the demo's month has campaigns`);
      await click(`cal_day:${day}`, 3, 3);
      assert.equal(JSON.parse(await callString(target, 'rl_panel_json', 'calendar')).selected_day, day);
    }
    await pointer.shot(tab);
    const s = await state(target);
    assert.deepEqual(s.cut_labels, [], `${where} ${tab}: labels cut short: ${s.cut_labels}`);
    const rects = await liveRects(target);
    const body = rects[`body:${tab}`];
    assert.ok(body, `${where}: the ${tab} panel is drawn`);
    // Demo campaigns are listed only where the page was given a campaign folder.
    const demoCampaigns = JSON.parse(await callString(target, 'rl_panel_json', 'drafts')).demo_campaigns;
    for (const pattern of MUST_FIT[tab] ?? []) {
      const items = Object.entries(rects).filter(([name]) => pattern.test(name));
      if (pattern.source.startsWith('^campaign_text:') && demoCampaigns === 0) continue;
      assert.ok(items.length > 0, `${where} ${tab}: no item ${pattern} drawn`);
      for (const [name, r] of items)
        assert.ok(r.x >= body.x - 1 && r.x + r.w <= body.x + body.w + 1,
                  `${where} ${tab}: ${name} [${r.x}, ${r.x + r.w}] runs past the panel [${body.x}, ${body.x + body.w}]`);
    }
    if (tab === 'calendar') {
      // Each day cell: the campaign count drawn right of the day number, never over it.
      const numbers = Object.keys(rects).filter((k) => k.startsWith('cal_day_number:'));
      assert.ok(numbers.length >= 28, `${where}: the month grid's day numbers`);
      for (const name of numbers) {
        const day = name.split(':')[1], n = rects[name], count = rects[`cal_day_count:${day}`];
        if (count) assert.ok(count.x >= n.x + n.w, `${where}: day ${day}'s count [${count.x}] runs into its number [${n.x}, ${n.x + n.w}]`);
      }
    }
  }
}

describe('layout: no label cut short', () => {
  for (const lang of ['zh', 'en']) {
    test(`800×600 in ${lang}`, { timeout: 180_000 }, async () => {
      const { context, page } = await openApp(app.browser, app.server.url, { dpr: 1, width: 800, height: 600 });
      try {
        await callString(page, 'rl_set_language', lang);
        await settle(page);
        const shot = (tab) => screenshot(page, `ergonomics-800x600-${lang}-${tab}.png`);
        await checkLayout(page, { mouse: page.mouse, keyboard: page.keyboard, x: 0, y: 0, shot }, `800×600 ${lang}`);
      } finally {
        await context.close();
      }
    });
  }

  test('inside the host demo\'s frame, both languages', { timeout: 240_000 }, async () => {
    const context = await app.browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${app.server.url}host-demo.html?src=${encodeURIComponent(app.server.url + 'index.html')}` +
                      `&dataset=${encodeURIComponent(app.server.url + 'data/demo/dataset.json')}`);
      await page.waitForFunction(() => window.reachlensHost && window.reachlensHost.isReady(), null, { timeout: 90_000 });
      const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().includes('index.html'));
      assert.ok(frame, 'the module is in a frame');
      await frame.waitForFunction(() => window.reachlens && window.reachlens.ready, null, { timeout: 90_000 });
      // The host's dataset loads after the module is ready (in the dataset worker) and gives
      // the module, which has no draft of its own, one to show.
      await frame.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_state_json')).campaign_id !== null,
                                  null, { timeout: 90_000 });
      const width = await frame.evaluate(() => window.innerWidth);
      assert.ok(width <= 880, `the frame is ${width} px wide`);
      const box = await (await frame.frameElement()).boundingBox();
      for (const lang of ['zh', 'en']) {
        await callString(frame, 'rl_set_language', lang);
        const shot = (tab) => screenshot(page, `ergonomics-host-demo-${lang}-${tab}.png`);
        await checkLayout(frame, { mouse: page.mouse, keyboard: page.keyboard, x: box.x, y: box.y, shot }, `host demo ${lang}`);
      }
    } finally {
      await context.close();
    }
  });
});
