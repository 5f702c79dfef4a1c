// Browser tests of the audience builder (src/ui/audience_builder.cpp), driven like a user
// with the pointer and keyboard on tracked items: a mass send filter built node by node,
// a moment's tag picker, deleting a node, an explicit-list paste with unknown ids. Each
// time the draft document holds what was built, the preview summary equals the native
// CLI on that document, and the live count the panel shows equals the summary.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  APP_PRESET, CLI, DEMO, call, callBytes, callString, colourStats, haveBuild, itemRects, lastError, screenshot,
  summary, waitIdle, useApp, closeApp,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const dataset = JSON.parse(readFileSync(join(DEMO, 'dataset.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
const momentFile = join(DEMO, manifest.campaigns.find((f) => f.includes('01-')) || manifest.campaigns[0]);
const allTags = dataset.tag_groups.flatMap((g) => g.tags);
// Two tags from different groups, picked by id (the picker searches ids and names).
const TAG_A = dataset.tag_groups[0].tags[2].id;
const TAG_B = dataset.tag_groups[dataset.tag_groups.length > 1 ? 1 : 0].tags[0].id;
assert.notEqual(TAG_A, TAG_B);
assert.ok(allTags.length >= 2);

const FILTER = '/audience/filter';
// The machine may be shared: give the app time to settle after each input.
const IDLE = 30_000;
const MINIMAL_MASS_SEND = JSON.stringify({
  format: 'reachlens.campaign/1', id: 'audience-builder-test', kind: 'mass_send', origin: 'enterprise',
  content: { text: '双十一会员专享', attachments: [] },
});

const panel = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'audience'));
const draftDoc = async (page) => JSON.parse(await callString(page, 'rl_draft_json')).draft;

// The CLI's preview of a campaign document, with the app's preset.
function cliPreview(doc) {
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-audience-'));
  try {
    const file = join(dir, 'campaign.json');
    writeFileSync(file, JSON.stringify(doc));
    return JSON.parse(execFileSync(CLI, ['preview', '--dataset', join(DEMO, 'dataset.json'), '--campaign', file,
                                         '--preset', APP_PRESET], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Waits until `name` was drawn in the latest frame (popups appear a frame after the click).
async function waitItem(page, name, timeout = 5_000) {
  const t0 = Date.now();
  for (;;) {
    const rects = await itemRects(page);
    const latest = Math.max(...Object.values(rects).map((r) => r.frame));
    if (rects[name] && rects[name].frame === latest) return rects[name];
    if (Date.now() - t0 > timeout)
      throw new Error(`no tracked item "${name}" in the latest frame (have: ${Object.keys(rects).filter((k) => k.startsWith('aud')).join(', ')})`);
    await page.waitForTimeout(30);
  }
}

// Hover, then click (ImGui acts on a press over an item hovered in the frame before).
async function press(page, name) {
  const r = await waitItem(page, name);
  const x = r.x + r.w / 2, y = r.y + r.h / 2;
  await page.mouse.move(x, y);
  await waitIdle(page, IDLE);
  await page.mouse.click(x, y);
  await waitIdle(page, IDLE);
}

async function typeInto(page, name, text, { replace = false } = {}) {
  await press(page, name);
  if (replace) {
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
  }
  await page.keyboard.type(text);
  await waitIdle(page, IDLE);
}

// Escape twice: the first leaves the popup's search box, the second closes the popup.
async function closePopup(page) {
  for (let i = 0; i < 2; ++i) {
    await page.keyboard.press('Escape');
    await waitIdle(page, IDLE);
  }
}

// Adds a condition under the group at `ptr` (or at the root) through "+ Condition".
async function addCondition(page, ptr, op) {
  await press(page, ptr ? `aud_add:${ptr}` : 'aud_add_root');
  await press(page, `aud_add_op:${op}`);
}

// The draft document's summary equals the CLI on that document, and the panel shows its count.
async function assertMatchesCli(page, doc) {
  await waitIdle(page, IDLE);
  const got = await summary(page);
  const want = cliPreview(doc);
  const { warnings: _w1, ...gotRest } = got;
  const { warnings: _w2, ...wantRest } = want;
  assert.deepEqual(gotRest, wantRest, 'the app summary differs from the CLI on the draft document');
  // The live count shown at the top of the builder.
  await page.waitForFunction((n) => {
    const p = JSON.parse(window.reachlens.callString('rl_panel_json', 'audience'));
    return p.shown_audience === n && !p.computing;
  }, got.audience, { timeout: 5_000 }).catch(() => {});
  const p = await panel(page);
  assert.equal(p.shown_audience, got.audience, 'the live count shown equals the summary\'s audience');
  assert.equal(p.shown_reached, got.reached, 'the reached count shown equals the summary\'s');
  return got;
}

const app = useApp();

describe('the audience builder', () => {
  let context, page;
  const log = [];
  before(async () => {
    ({ context, page } = await app.open({ log }));
  });
  after(() => closeApp(context, log));

  test('a mass send filter built in the builder: any(tags_any, gender, not(added within)); then a node deleted',
       { timeout: 180_000 }, async () => {
    assert.equal(await callBytes(page, 'rl_set_campaign_json', MINIMAL_MASS_SEND), 0, await lastError(page));
    await press(page, 'tab:audience');
    await waitIdle(page, IDLE);
    let p = await panel(page);
    assert.equal(p.kind, 'mass_send');
    assert.equal(p.has_filter, false);
    const everyone = await summary(page);
    assert.equal(everyone.audience, dataset.customers.length, 'no filter = every customer');

    // any[ ... ] at the root.
    await addCondition(page, null, 'any');
    assert.deepEqual((await draftDoc(page)).audience.filter, { any: [] });

    // tags_any [TAG_A], picked in the tag picker by searching its id.
    await addCondition(page, FILTER, 'tags_any');
    await press(page, `aud_add_id:${FILTER}/any/0/tags_any`);
    await typeInto(page, 'aud_tag_search', TAG_A, { replace: true });
    await press(page, `aud_tag:${TAG_A}`);
    await closePopup(page);
    assert.deepEqual((await draftDoc(page)).audience.filter, { any: [{ tags_any: [TAG_A] }] });

    // gender: male, with the radio button.
    await addCondition(page, FILTER, 'gender');
    await press(page, `aud_gender:${FILTER}/any/1:1`);

    // not(...): added as "not", its inner condition switched to "added within" 90 days.
    await addCondition(page, FILTER, 'not');
    await press(page, `aud_op:${FILTER}/any/2/not`);
    await press(page, 'aud_op_item:added_within_days');
    await typeInto(page, `aud_days:${FILTER}/any/2/not`, '90', { replace: true });
    await page.keyboard.press('Enter');
    await waitIdle(page, IDLE);

    const doc = await draftDoc(page);
    assert.deepEqual(doc.audience.filter, {
      any: [{ tags_any: [TAG_A] }, { gender: 1 }, { not: { added_within_days: 90 } }],
    });
    p = await panel(page);
    assert.equal(p.nodes, 5);
    assert.equal(p.draft_error, '');
    const built = await assertMatchesCli(page, doc);
    assert.ok(built.audience > 0 && built.audience < dataset.customers.length, `audience ${built.audience}`);

    await screenshot(page, 'audience-mass-send-light.png');
    await call(page, 'rl_set_theme', 'dark');
    await waitIdle(page, IDLE);
    const { path, png } = await screenshot(page, 'audience-mass-send-dark.png');
    const stats = await colourStats(page, png);
    assert.ok(stats.distinct > 200, `only ${stats.distinct} colours in ${path}`);
    await call(page, 'rl_set_theme', 'light');
    await waitIdle(page, IDLE);

    // Delete the gender node through its menu: the count follows.
    await press(page, `aud_menu:${FILTER}/any/1`);
    await press(page, 'aud_delete');
    const after = await draftDoc(page);
    assert.deepEqual(after.audience.filter, { any: [{ tags_any: [TAG_A] }, { not: { added_within_days: 90 } }] });
    const fewer = await assertMatchesCli(page, after);
    assert.equal((await panel(page)).nodes, 4);
    // Removing an "or" branch can only shrink the audience.
    assert.ok(fewer.audience <= built.audience, `${fewer.audience} after deleting, ${built.audience} before`);
    assert.notEqual(fewer.audience, built.audience, 'deleting the gender branch changes the count');
  });

  test('a moment\'s tag picker edits tag_list', { timeout: 120_000 }, async () => {
    assert.equal(await callBytes(page, 'rl_set_campaign_json', readFileSync(momentFile, 'utf8')), 0, await lastError(page));
    await press(page, 'tab:audience');
    await waitIdle(page, IDLE);
    assert.equal((await panel(page)).kind, 'moment');
    const start = await draftDoc(page);
    assert.deepEqual(start.audience?.tag_list ?? [], []);

    for (const tag of [TAG_A, TAG_B]) {
      await typeInto(page, 'aud_tag_search', tag, { replace: true });
      await press(page, `aud_tag:${tag}`);
    }
    let doc = await draftDoc(page);
    assert.deepEqual(doc.audience.tag_list, [TAG_A, TAG_B]);
    const two = await assertMatchesCli(page, doc);

    // Clear the search: the picker lists every group again.
    await typeInto(page, 'aud_tag_search', '', { replace: true });
    await screenshot(page, 'audience-moment-light.png');
    await call(page, 'rl_set_theme', 'dark');
    await waitIdle(page, IDLE);
    await screenshot(page, 'audience-moment-dark.png');
    await call(page, 'rl_set_theme', 'light');
    await waitIdle(page, IDLE);

    // Remove the first chip: only TAG_B stays.
    await press(page, '/audience/tag_list/0'.replace(/^/, 'aud_chip:'));
    doc = await draftDoc(page);
    assert.deepEqual(doc.audience.tag_list, [TAG_B]);
    const one = await assertMatchesCli(page, doc);
    assert.ok(one.audience <= two.audience, `one tag ${one.audience} > two tags ${two.audience}`);
  });

  test('owner and department picked in their pickers, inside all(...)', { timeout: 120_000 }, async () => {
    assert.equal(await callBytes(page, 'rl_set_campaign_json', MINIMAL_MASS_SEND), 0, await lastError(page));
    await press(page, 'tab:audience');
    await addCondition(page, null, 'all');
    // owner: an employee found by searching their userid (the list has hundreds).
    const employee = dataset.employees[Math.floor(dataset.employees.length / 3)].userid;
    await addCondition(page, FILTER, 'owner');
    await press(page, `aud_add_id:${FILTER}/all/0/owner`);
    await typeInto(page, 'aud_employee_search', employee, { replace: true });
    await press(page, `aud_employee:${employee}`);
    await closePopup(page);
    // department: a sub-department (its own sub-departments count too), found by name in the tree.
    const dep = dataset.departments.find((d) => d.parentid !== 0 && dataset.departments.some((c) => c.parentid === d.id)) ||
                dataset.departments.find((d) => d.parentid !== 0);
    await addCondition(page, FILTER, 'department');
    await press(page, `aud_add_id:${FILTER}/all/1/department`);
    await typeInto(page, 'aud_department_search', String(dep.id), { replace: true });
    await press(page, `aud_department:${dep.id}`);
    await closePopup(page);
    const doc = await draftDoc(page);
    assert.deepEqual(doc.audience.filter, { all: [{ owner: [employee] }, { department: [dep.id] }] });
    await assertMatchesCli(page, doc);
  });

  test('an explicit list paste counts known and unknown ids', { timeout: 120_000 }, async () => {
    assert.equal(await callBytes(page, 'rl_set_campaign_json', MINIMAL_MASS_SEND), 0, await lastError(page));
    await press(page, 'tab:audience');
    await addCondition(page, null, 'customers');
    const known = dataset.customers.slice(5, 8).map((c) => c.external_userid);
    const ghosts = ['wm-not-a-customer-1', 'wm-not-a-customer-2'];
    // Pasted (the page's clipboard path) into the box: one per line and comma-separated, with a duplicate.
    await press(page, `aud_paste:${FILTER}`);
    await call(page, 'rl_paste_text', `${known[0]}\n${ghosts[0]}, ${known[1]}\n${known[2]}，${ghosts[1]}\n${known[0]}`);
    await waitIdle(page, IDLE);
    const doc = await draftDoc(page);
    assert.deepEqual(doc.audience.filter, { customers: [known[0], ghosts[0], known[1], known[2], ghosts[1]] });
    const p = await panel(page);
    assert.equal(p.customer_lists.length, 1);
    assert.equal(p.customer_lists[0].known, 3);
    assert.deepEqual(p.customer_lists[0].unknown, ghosts);
    // The unknown ids are shown, marked.
    await waitItem(page, `aud_paste_unknown:${FILTER}`);
    const got = await assertMatchesCli(page, doc);
    assert.equal(got.audience, 3, 'unknown external_userids match nobody');
    await screenshot(page, 'audience-paste.png');
  });

  test('unknown tag ids in a loaded draft are reported and shown marked', { timeout: 60_000 }, async () => {
    const doc = JSON.parse(MINIMAL_MASS_SEND);
    doc.audience = { filter: { all: [{ tags_any: [TAG_A, 'et-ghost-tag'] }, { owner: ['ghost-user'] }] } };
    assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(doc)), 0, await lastError(page));
    await press(page, 'tab:audience');
    await waitIdle(page, IDLE);
    const want = cliPreview(doc);
    const p = await panel(page);
    const codes = p.unknown_ids.map((u) => u.code).sort();
    assert.deepEqual(codes, want.errors.map((e) => e.code).filter((c) => c.startsWith('campaign.unknown_')).sort());
    assert.ok(codes.includes('campaign.unknown_tag') && codes.includes('campaign.unknown_userid'));
    // The chips of the unknown ids are drawn.
    await waitItem(page, `aud_chip:${FILTER}/all/0/tags_any/1`);
    await waitItem(page, `aud_chip:${FILTER}/all/1/owner/0`);
    await assertMatchesCli(page, doc);
    await screenshot(page, 'audience-unknown-ids.png');
  });
});

describe('the audience builder at devicePixelRatio 2', () => {
  test('renders the mass send builder', { timeout: 120_000 }, async () => {
    const { context, page } = await app.open({ dpr: 2, width: 1280, height: 800 });
    try {
      const doc = JSON.parse(readFileSync(join(DEMO, manifest.campaigns.find((f) => f.includes('03-')) || manifest.campaigns[0]), 'utf8'));
      assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(doc)), 0, await lastError(page));
      assert.equal(await call(page, 'rl_show_tab', 'audience'), 0);
      await waitIdle(page, IDLE);
      const p = await panel(page);
      assert.equal(p.nodes, 8);
      await assertMatchesCli(page, doc);
      const { path, png } = await screenshot(page, 'audience-mass-send-dpr2.png');
      const stats = await colourStats(page, png);
      assert.equal(stats.width, 2560);
      assert.ok(stats.distinct > 200, `only ${stats.distinct} colours in ${path}`);
      // English, dark: the same builder (ids of the tracked items do not depend on the language).
      await press(page, 'language');
      await call(page, 'rl_set_theme', 'dark');
      await waitIdle(page, IDLE);
      assert.equal((await panel(page)).nodes, 8);
      await waitItem(page, `aud_op:${FILTER}/all/5/not`);
      await screenshot(page, 'audience-mass-send-dpr2-en-dark.png');
    } finally {
      await context.close();
    }
  });
});
