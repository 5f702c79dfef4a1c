// Drafts kept in the browser: an edited draft comes back after a reload, is listed among
// the saved drafts, can be deleted (gone after a reload) and applied as a template.
//   node --test tests/browser/drafts.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  DEMO, callString, clickItem, clickTab, draftText, haveBuild, itemRects, openApp, screenshot, state,
  useApp, waitIdle,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
const demo = manifest.campaigns.map((f) => ({ file: f.replace(/^.*\//, ''), doc: JSON.parse(readFileSync(join(DEMO, f), 'utf8')) }));

const draftsState = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'drafts'));
const draftDoc = async (page) => JSON.parse(await callString(page, 'rl_draft_json')).draft;
// The entries web/storage.js keeps, read straight from localStorage.
const stored = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('reachlens.draft.'))
  .map((k) => JSON.parse(localStorage.getItem(k))));

async function reload(page) {
  await page.reload();
  await page.waitForFunction(() => window.reachlens && (window.reachlens.ready || window.reachlens.error), null,
                             { timeout: 90_000 });
  assert.equal(await page.evaluate(() => window.reachlens.error || null), null);
  await waitIdle(page);
}

// Types at the end of the draft's text and waits until storage holds it.
async function typeIntoDraft(page, text) {
  await clickTab(page, 'compose');
  await clickItem(page, 'draft_text');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
  await waitIdle(page);
  const want = await draftText(page);
  const id = (await state(page)).campaign_id;
  await page.waitForFunction(([i, t]) => {
    const e = JSON.parse(localStorage.getItem('reachlens.draft.' + i) || 'null');
    return e && e.draft && e.draft.content && e.draft.content.text === t;
  }, [id, want], { timeout: 10_000 });
  return { id, text: want };
}

// Scrolls the left panel until tracked item `name` is inside the window, then clicks it
// (the saved drafts are listed below the demo campaigns).
async function clickVisible(page, name) {
  const height = page.viewportSize().height;
  for (let i = 0; i < 20; i++) {
    const r = (await itemRects(page))[name];
    if (!r) throw new Error(`no tracked item "${name}"`);
    const top = (await itemRects(page))['tab:drafts'];
    if (r.y > top.y + top.h && r.y + r.h < height - 16) return clickItem(page, name);
    await page.mouse.move(top.x + 20, height / 2);
    await page.mouse.wheel(0, r.y + r.h >= height - 16 ? 240 : -240);
    await waitIdle(page);
  }
  throw new Error(`cannot scroll "${name}" into view`);
}

const app = useApp();

describe('drafts kept in the browser', () => {
  test('an edited draft comes back after a reload and is listed; deleted, it is gone after a reload',
       { timeout: 180_000 }, async () => {
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      assert.deepEqual((await draftsState(page)).saved, [], 'a fresh app.browser has no saved drafts');
      // Only opening a campaign saves nothing.
      assert.deepEqual(await stored(page), []);
      const { id, text } = await typeIntoDraft(page, ' 周末限时加赠 autosave');
      assert.equal(id, demo[0].doc.id);
      assert.ok(text.startsWith(demo[0].doc.content.text) && text !== demo[0].doc.content.text);

      await reload(page);
      assert.equal(await draftText(page), text, 'the edited text did not come back after the reload');
      assert.equal((await state(page)).campaign_id, id);
      const ds = await draftsState(page);
      assert.equal(ds.restored_id, id);
      assert.equal(ds.current_id, id);
      assert.equal(ds.saved.length, 1);
      assert.equal(ds.saved[0].id, id);
      assert.equal(ds.saved[0].kind, demo[0].doc.kind);
      assert.ok(text.replace(/\n/g, ' ').startsWith(ds.saved[0].excerpt.replace(/…$/, '')), ds.saved[0].excerpt);

      await clickTab(page, 'drafts');
      await screenshot(page, 'drafts-tab.png');
      await clickVisible(page, `draft_delete:${id}`);
      assert.equal((await draftsState(page)).confirm_delete, id);
      assert.equal((await stored(page)).length, 1, 'deleted before the confirmation');
      await clickVisible(page, 'draft_delete_confirm');
      assert.deepEqual(await stored(page), []);
      assert.deepEqual((await draftsState(page)).saved, []);

      await reload(page);
      assert.deepEqual((await draftsState(page)).saved, []);
      assert.deepEqual(await stored(page), []);
      // Nothing saved: the start-up behaviour (the first demo campaign as shipped).
      assert.equal(await draftText(page), demo[0].doc.content.text);
      assert.equal((await state(page)).selected_campaign, 0);
    } finally {
      await context.close();
    }
  });

  test('a saved draft applied as a template gives the current draft its text and attachments', { timeout: 180_000 },
       async () => {
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      // Template source: a demo campaign with an attachment, edited so it is saved.
      // (another demo campaign of the same kind whose attachments differ from the first one's).
      const attachments = (c) => JSON.stringify(c.doc.content?.attachments || []);
      const withAttachment = demo.findIndex((c, i) => i > 0 && c.doc.kind === demo[0].doc.kind &&
                                              attachments(c) !== '[]' && attachments(c) !== attachments(demo[0]));
      assert.ok(withAttachment > 0, 'no demo campaign to use as a template');
      await clickTab(page, 'drafts');
      await clickItem(page, `campaign:${demo[withAttachment].file}`);
      const source = await typeIntoDraft(page, ' 模板 template');
      const sourceEntry = (await stored(page)).find((e) => e.id === source.id);
      assert.deepEqual(sourceEntry.draft.content.attachments, demo[withAttachment].doc.content.attachments);

      // Back to the first demo campaign, then apply the saved one to it.
      await clickTab(page, 'drafts');
      await clickItem(page, `campaign:${demo[0].file}`);
      assert.equal((await state(page)).campaign_id, demo[0].doc.id);
      await clickVisible(page, `draft_template:${source.id}`);
      await waitIdle(page);
      const doc = await draftDoc(page);
      assert.equal(doc.id, demo[0].doc.id, 'applying a template replaced the draft instead of its content');
      assert.equal(doc.kind, demo[0].doc.kind);
      assert.deepEqual(doc.audience, demo[0].doc.audience);
      assert.equal(doc.content.text, source.text);
      assert.deepEqual(doc.content.attachments, sourceEntry.draft.content.attachments);
      assert.equal(await draftText(page), source.text);
      // It is an edit of the current draft: saved under its own id.
      await page.waitForFunction((i) => !!localStorage.getItem('reachlens.draft.' + i), demo[0].doc.id, { timeout: 10_000 });

      // "New from this": a copy of the saved draft under a fresh id, saved as a draft of its own.
      await clickTab(page, 'drafts');
      await clickVisible(page, `draft_new_from:${source.id}`);
      await waitIdle(page);
      const fresh = await draftDoc(page);
      assert.match(fresh.id, /^draft-\d{8}-\d{6}/);
      assert.deepEqual({ ...fresh, id: sourceEntry.draft.id }, sourceEntry.draft);
      assert.equal(fresh.content.text, source.text);
      assert.deepEqual(fresh.content.attachments, sourceEntry.draft.content.attachments);
      await page.waitForFunction((i) => !!localStorage.getItem('reachlens.draft.' + i), fresh.id, { timeout: 10_000 });
      assert.equal((await draftsState(page)).saved.length, 3);
      await clickTab(page, 'drafts');
      await screenshot(page, 'drafts-tab-templates.png');
    } finally {
      await context.close();
    }
  });

  test('storage unavailable: a clear message, editing continues', { timeout: 90_000 }, async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Private-mode-like storage: every write throws.
    await context.addInitScript(() => {
      Storage.prototype.setItem = function () { throw new DOMException('blocked', 'QuotaExceededError'); };
    });
    const page = await context.newPage();
    await page.goto(app.server.url);
    await page.waitForFunction(() => window.reachlens && (window.reachlens.ready || window.reachlens.error), null,
                               { timeout: 90_000 });
    try {
      assert.match((await draftsState(page)).error, /storage/i);
      await clickTab(page, 'compose');
      await clickItem(page, 'draft_text');
      await page.keyboard.press('Control+End');
      await page.keyboard.type(' still editing');
      await waitIdle(page);
      assert.match(await draftText(page), / still editing$/);
      assert.equal(await page.evaluate(() => window.reachlens.error || null), null);
      await clickTab(page, 'drafts');
      await screenshot(page, 'drafts-storage-error.png');
    } finally {
      await context.close();
    }
  });
});
