// Browser tests of the composer (tab "撰写 Compose", src/ui/composer.cpp), driven with the
// pointer and the keyboard like a marketer: every control edits the draft document
// (rl_draft_json), and the preview of the edited draft equals the native CLI's preview of
// the same document. Field errors show next to their field; bad input keeps the document.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  APP_PRESET, CLI, DEMO, ROOT, call, callString, clickItem, clickTab, colourStats, haveBuild, itemRects, liveRects, press,
  screenshot, state, summary, useApp, waitIdle, withoutWarnings,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const DATASET = join(DEMO, 'dataset.json');
const dataset = JSON.parse(readFileSync(DATASET, 'utf8'));
const TZ = dataset.enterprise.tz_offset_minutes ?? 480;
const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
const MOMENT_FILE = manifest.campaigns.find((f) => f.includes('01-')) || manifest.campaigns[0];

const draftDoc = async (page) => JSON.parse(await callString(page, 'rl_draft_json')).draft;
const composer = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'composer'));

// The CLI's preview of a draft document (written to a file, as the marketer would export it).
function cliSummary(draft, { rules } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-composer-'));
  try {
    const campaign = join(dir, 'draft.json');
    writeFileSync(campaign, JSON.stringify(draft));
    const args = ['preview', '--dataset', DATASET, '--campaign', campaign];
    if (rules) {
      const file = join(dir, 'rules.json');
      writeFileSync(file, JSON.stringify(rules));
      args.push('--rules', file);
    } else {
      args.push('--preset', APP_PRESET);
    }
    return JSON.parse(execFileSync(CLI, args, { encoding: 'utf8', maxBuffer: 1 << 26 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function assertSummaryEqualsCli(page, opts) {
  await waitIdle(page);
  const draft = await draftDoc(page);
  const got = await summary(page);
  assert.deepEqual(withoutWarnings(got), withoutWarnings(cliSummary(draft, opts)));
  return got;
}

// Opens one composer section and closes the others, so its widgets are on screen.
async function showSection(page, name) {
  for (const sec of ['content', 'senders', 'send_time', 'rules']) {
    const want = sec === name;
    const open = (await composer(page)).sections[`composer_section_${sec}`];
    if (open !== want) await press(page, `composer_section_${sec}`);
  }
  const sections = (await composer(page)).sections;
  assert.equal(sections[`composer_section_${name}`], true, `section ${name} did not open`);
}

async function typeInto(page, item, text) {
  await press(page, item);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  // ImGui takes one typed character per frame; a long text needs many frames.
  await waitIdle(page, 10_000 + 400 * text.length);
}

async function newDraft(page, kind, origin) {
  await press(page, 'composer_new_draft');
  await press(page, `new_draft:${kind}:${origin}`);
  const d = await draftDoc(page);
  assert.equal(d.kind, kind);
  assert.equal(d.origin, origin);
  assert.equal(d.content.text, '', 'not a blank draft');
  assert.equal(d.senders, undefined, 'not a blank draft');
}

// The employees the engine should resolve for a department: its subtree, without duplicates.
function employeesUnder(deptId) {
  const subtree = new Set([deptId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const d of dataset.departments)
      if (subtree.has(d.parentid) && !subtree.has(d.id)) { subtree.add(d.id); grew = true; }
  }
  return dataset.employees.filter((e) => e.department.some((d) => subtree.has(d)));
}

const app = useApp();

describe('the composer', () => {
  let context, page;
  const log = [];
  before(async () => {
    ({ context, page } = await app.open({ log }));
    await clickTab(page, 'compose');
  });
  after(async () => { await context?.close(); });

  test('kind and origin switches edit the draft; the preview equals the CLI', { timeout: 120_000 }, async () => {
    await showSection(page, 'content');
    const start = await draftDoc(page);
    assert.ok(start, 'no draft at start');
    const otherKind = start.kind === 'moment' ? 'mass_send' : 'moment';
    await press(page, `composer_kind_${otherKind}`);
    let d = await draftDoc(page);
    assert.equal(d.kind, otherKind);
    assert.equal(d.id, start.id, 'the switch kept the rest of the draft');
    assert.deepEqual(d.content.attachments, start.content.attachments);
    await assertSummaryEqualsCli(page);

    await press(page, 'composer_origin_employee');
    d = await draftDoc(page);
    assert.equal(d.origin, 'employee');
    const sum = await assertSummaryEqualsCli(page);
    // The draft's senders resolve to more than one employee: the engine says why it cannot go out.
    assert.ok(sum.errors.some((e) => e.code === 'senders.employee_origin_needs_one'));

    await press(page, `composer_kind_${start.kind}`);
    await press(page, 'composer_origin_enterprise');
    d = await draftDoc(page);
    assert.equal(d.kind, start.kind);
    assert.equal(d.origin, 'enterprise');
    await assertSummaryEqualsCli(page);
  });

  test('a department picked in the tree becomes the senders', { timeout: 120_000 }, async () => {
    await newDraft(page, 'mass_send', 'enterprise');
    await showSection(page, 'senders');
    let panel = await composer(page);
    assert.equal(panel.senders_all, true);
    assert.equal(panel.senders_selected, dataset.employees.length, 'no selection = every employee');

    // A top-level department under the root, with employees of its own subtree.
    const root = dataset.departments.find((d) => d.parentid === 0);
    const dept = dataset.departments.find((d) => d.parentid === root.id && employeesUnder(d.id).length > 0);
    assert.ok(dept, 'no department with employees under the root');
    const rects = await liveRects(page);
    assert.ok(rects[`dept:${dept.id}`], `department ${dept.id} is not shown in the tree`);
    await press(page, `dept:${dept.id}`);

    const d = await draftDoc(page);
    assert.deepEqual(d.senders.department_list, [dept.id]);
    panel = await composer(page);
    const want = employeesUnder(dept.id);
    assert.equal(panel.senders_all, false);
    assert.equal(panel.senders_selected, want.length);
    assert.equal(panel.senders_active, want.filter((e) => e.status === 'active').length);
    const sum = await assertSummaryEqualsCli(page);
    assert.equal(sum.senders.length, want.length);

    // Searching an employee by userid and ticking them adds them to user_list.
    const extra = dataset.employees.find((e) => !want.includes(e));
    await typeInto(page, 'composer_employee_search', extra.userid);
    await press(page, `employee:${extra.userid}`);
    assert.deepEqual((await draftDoc(page)).senders.user_list, [extra.userid]);
    assert.equal((await composer(page)).senders_selected, want.length + 1);
    await assertSummaryEqualsCli(page);
    await screenshot(page, 'composer-senders.png');
  });

  test('the send time is typed in the enterprise time zone; bad input keeps the document', { timeout: 120_000 }, async () => {
    await showSection(page, 'send_time');
    await press(page, 'composer_send_at');
    assert.equal((await composer(page)).send_time.mode, 'at');
    assert.ok(Number.isInteger((await draftDoc(page)).send_time));

    // Three days after the dataset's time, 10:30 local.
    const local = new Date((dataset.now + TZ * 60 + 3 * 86400) * 1000);
    const y = local.getUTCFullYear(), m = local.getUTCMonth() + 1, day = local.getUTCDate();
    const date = `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    await typeInto(page, 'composer_send_date', date);
    await typeInto(page, 'composer_send_clock', '10:30');
    const want = Date.UTC(y, m - 1, day, 10, 30) / 1000 - TZ * 60;
    let d = await draftDoc(page);
    assert.equal(d.send_time, want);
    let panel = await composer(page);
    assert.equal(panel.send_time.error, '');
    assert.equal(panel.send_time.utc_offset, `UTC${TZ < 0 ? '-' : '+'}${String(Math.floor(Math.abs(TZ) / 60)).padStart(2, '0')}:${String(Math.abs(TZ) % 60).padStart(2, '0')}`);
    const sum = await assertSummaryEqualsCli(page);
    assert.equal(sum.send_time, want);

    // February 30th does not exist: a message next to the date, the document unchanged.
    await typeInto(page, 'composer_send_date', `${y + 1}-02-30`);
    panel = await composer(page);
    assert.equal(panel.send_time.error_field, 'date');
    assert.match(panel.send_time.error, /[\u4e00-\u9fff]/, 'the error is not in the UI\'s language');
    // Worded when drawn: a language switch afterwards rewords it (and back).
    assert.equal(await call(page, 'rl_set_language', 'en'), 0);
    await waitIdle(page);
    const english = (await composer(page)).send_time.error;
    assert.ok(english.length > 0 && !/[\u4e00-\u9fff]/.test(english), `the error stays in Chinese: ${english}`);
    assert.equal(await call(page, 'rl_set_language', 'zh'), 0);
    await waitIdle(page);
    assert.equal((await composer(page)).send_time.error, panel.send_time.error);
    d = await draftDoc(page);
    assert.equal(d.send_time, want, 'an invalid date changed the draft');
    const rects = await liveRects(page);
    const err = rects.composer_send_time_error, field = rects.composer_send_date;
    assert.ok(err && field, 'no error message drawn');
    assert.ok(err.y >= field.y + field.h - 1 && err.y - (field.y + field.h) < 3 * field.h, 'the message is not by the field');
    await screenshot(page, 'composer-send-time-error.png');

    await press(page, 'composer_send_now');
    assert.equal((await draftDoc(page)).send_time, undefined);
  });

  test('an over-long link title shows its error at the link and disables submit', { timeout: 240_000 }, async () => {
    await newDraft(page, 'mass_send', 'enterprise');
    await showSection(page, 'content');
    await press(page, 'draft_text');
    await page.keyboard.type('Autumn sale');
    await press(page, 'composer_add_link');
    assert.equal((await draftDoc(page)).content.attachments.length, 1, 'no link added');
    await typeInto(page, 'att0:url', 'https://example.com/sale');
    await typeInto(page, 'att0:title', 'Short title');
    let sum = await assertSummaryEqualsCli(page);
    assert.equal(sum.submittable, true, JSON.stringify(sum.errors));
    assert.equal((await state(page)).submit.enabled, true);

    // One byte over the mass-send link title limit of the preset.
    const rules = JSON.parse(readFileSync(join(ROOT, 'assets/rules', `${APP_PRESET}.json`), 'utf8'));
    const limit = rules.content.mass_send.link_title_max_bytes;
    await typeInto(page, 'att0:title', 'x'.repeat(limit + 1));
    const d = await draftDoc(page);
    assert.equal(d.content.attachments[0].link.title.length, limit + 1);
    const panel = await composer(page);
    const shown = panel.field_errors.find((e) => e.code === 'content.link_title_too_long');
    assert.ok(shown, `no link title error shown: ${JSON.stringify(panel.field_errors)}`);
    assert.equal(shown.pointer, '/content/attachments/0/link/title');
    const rects = await liveRects(page);
    const box = rects['att0:box'], title = rects['att0:title'];
    const err = rects[`error:${shown.pointer}`];
    assert.ok(err, 'the error has no place on screen');
    assert.ok(err.y > title.y && err.y + err.h <= box.y + box.h + 1, 'the error is not inside the link\'s box');
    sum = await assertSummaryEqualsCli(page);
    assert.equal(sum.submittable, false);
    assert.ok(sum.errors.some((e) => e.code === 'content.link_title_too_long'));
    assert.equal((await state(page)).submit.enabled, false, 'submit stays enabled');
    await screenshot(page, 'composer-content-error.png');
  });

  test('the rules editor changes a quota count; the preview equals the CLI with that rules file', { timeout: 120_000 }, async () => {
    // The moment demo campaign, picked like a user.
    await clickTab(page, 'drafts');
    const pick = Object.keys(await itemRects(page)).find((k) => k.startsWith('campaign:') && MOMENT_FILE.endsWith(k.slice(9)));
    assert.ok(pick, `no picker entry for ${MOMENT_FILE}`);
    await press(page, pick);
    await clickTab(page, 'compose');
    await showSection(page, 'rules');
    const before = await summary(page);

    await press(page, 'composer_rules_edit');
    assert.equal((await composer(page)).rules_editor_open, true);
    await screenshot(page, 'composer-rules-editor.png');
    const preset = JSON.parse(readFileSync(join(ROOT, 'assets/rules', `${APP_PRESET}.json`), 'utf8'));
    const index = preset.quotas.findIndex((q) => q.kind === 'moment' && q.origin === 'enterprise');
    assert.ok(index >= 0 && Number.isInteger(preset.quotas[index].count));
    const newCount = 1;
    assert.notEqual(preset.quotas[index].count, newCount);
    await typeInto(page, `rules_quota_count:${index}`, String(newCount));
    await press(page, 'rules_apply');
    const panel = await composer(page);
    assert.equal(panel.rules_editor_open, false, panel.rules_error);
    assert.equal(panel.rules_custom, true);
    assert.equal((await state(page)).preset, 'custom');

    const edited = structuredClone(preset);
    edited.quotas[index].count = newCount;
    const after = await assertSummaryEqualsCli(page, { rules: edited });
    assert.ok(after.reached <= before.reached);
    // Back to the preset through the header's picker keeps both pickers in step.
    await screenshot(page, 'composer-rules.png');
  });
});

describe('composer screenshots', () => {
  for (const dpr of [1, 2]) {
    for (const theme of ['light', 'dark']) {
      test(`composer at dpr ${dpr}, ${theme}`, { timeout: 120_000 }, async () => {
        const { context, page } = await app.open({ dpr, width: 1280, height: 800 });
        try {
          await clickTab(page, 'compose');
          if (theme === 'dark') await press(page, 'theme');
          assert.equal((await state(page)).theme, theme);
          const { png } = await screenshot(page, `composer-${theme}-dpr${dpr}.png`);
          const stats = await colourStats(page, png);
          assert.ok(stats.distinct > 200, 'blank canvas?');
          // Nothing of the composer leaks out of the left column.
          const rects = await liveRects(page);
          const left = rects['tab:compose'];
          const preview = rects.preview_panel;
          for (const [name, r] of Object.entries(rects)) {
            if (!name.startsWith('composer_') && name !== 'draft_text') continue;
            assert.ok(r.x + r.w <= preview.x + 1, `${name} overflows into the preview (${r.x + r.w} > ${preview.x})`);
            assert.ok(r.x >= left.x - 40, `${name} starts left of the panel`);
          }
        } finally {
          await context.close();
        }
      });
    }
  }
});
