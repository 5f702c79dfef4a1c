// Browser tests of the send-time explorer and the results tab (src/ui/send_time_panel.cpp,
// src/ui/reconcile_panel.cpp): the explorer draws every day as `reachlens explore` computes
// it, and clicking a bar sets the send time (the summary then equals the CLI's preview at
// that time); a demo results file loads, its matrix equals `reachlens reconcile`'s, and
// switching to the best-fitting rules changes the preview.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  APP_PRESET, CLI, DEMO, callBytes, callString, clickItem, clickTab, haveBuild, hoverClick, itemRects, screenshot,
  state, summary, useApp, waitIdle,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
const CAMPAIGN = manifest.campaigns.find((f) => f.includes('06-')) || manifest.campaigns.find((f) => f.includes('mass-send'));
const campaignDoc = JSON.parse(readFileSync(join(DEMO, CAMPAIGN), 'utf8'));
const resultsText = readFileSync(join(DEMO, 'results', CAMPAIGN.split('/').pop()), 'utf8');
const datasetPath = join(DEMO, 'dataset.json');

function cli(args, campaign) {
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-loop-'));
  try {
    writeFileSync(join(dir, 'campaign.json'), JSON.stringify(campaign));
    writeFileSync(join(dir, 'results.json'), resultsText);
    const expanded = args.map((a) => a.replace('@campaign', join(dir, 'campaign.json')).replace('@results', join(dir, 'results.json')));
    return JSON.parse(execFileSync(CLI, [...expanded, '--dataset', datasetPath], { encoding: 'utf8', maxBuffer: 1 << 27 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const panel = async (page, name) => JSON.parse(await callString(page, 'rl_panel_json', name));

const app = useApp();

describe('send-time explorer and results', () => {
  let context, page;
  before(async () => {
    ({ context, page } = await app.open());
    await clickTab(page, 'drafts');
    const rects = await itemRects(page);
    const pick = Object.keys(rects).find((k) => k.startsWith('campaign:') && CAMPAIGN.endsWith(k.slice(9)));
    assert.ok(pick, `no picker entry for ${CAMPAIGN}`);
    await clickItem(page, pick);
    assert.equal((await state(page)).campaign_id, campaignDoc.id);
  });
  after(async () => { await context?.close(); });

  test('the explorer draws each day as the CLI computes it; a click sets the send time', async () => {
    await clickTab(page, 'send_time');
    await page.waitForFunction(() => {
      const p = JSON.parse(window.reachlens.callString('rl_panel_json', 'send_time'));
      return p.explore && !p.running && p.explore.days.length === 30;
    }, null, { timeout: 60_000, polling: 100 });
    const shown = (await panel(page, 'send_time')).explore;
    const expected = cli(['explore', '--campaign', '@campaign', '--preset', APP_PRESET], campaignDoc);
    assert.deepEqual(shown, expected);
    await screenshot(page, 'send-time-explorer.png');

    // Click a day that is not the current choice: the draft's send time becomes that day's.
    const pickIndex = shown.days.findIndex((d, i) => !d.chosen && i !== shown.best);
    await hoverClick(page, `explore_bar_${pickIndex}`);
    await waitIdle(page, 30_000);
    const chosen = shown.days[pickIndex];
    const s = await summary(page);
    assert.equal(s.send_time, chosen.send_time);
    const atThatTime = cli(['preview', '--campaign', '@campaign', '--preset', APP_PRESET], { ...campaignDoc, send_time: chosen.send_time });
    assert.equal(s.reached, atThatTime.reached);
    assert.deepEqual(s.blocked, atThatTime.blocked);
    assert.equal(s.reached, chosen.reached);
  });

  test('a results file loads, its matrix equals the CLI, and the best-fitting rules change the preview', async () => {
    // The draft as shipped (the explorer test moved its send time).
    const rects = await itemRects(page);
    await clickTab(page, 'drafts');
    const pick = Object.keys(rects).find((k) => k.startsWith('campaign:') && CAMPAIGN.endsWith(k.slice(9)));
    await clickItem(page, pick);
    assert.equal(await callBytes(page, 'rl_set_results_json', resultsText), 0);
    await waitIdle(page, 30_000);
    const shown = (await panel(page, 'reconcile')).reconcile;
    const expected = cli(['reconcile', '--campaign', '@campaign', '--results', '@results', '--preset', APP_PRESET], campaignDoc);
    assert.deepEqual(shown.matrix, expected.matrix);
    assert.equal(shown.accuracy, expected.accuracy);
    assert.deepEqual(shown.rules_fit, expected.rules_fit);
    assert.ok((await state(page)).tabs.includes('reconcile'));
    await screenshot(page, 'reconcile.png');

    // The demo tenant's real setting is 7 a week: it fits best, and switching to it changes the preview.
    assert.equal(expected.rules_fit[0].rules, 'wecom-2025/mass_send_7_a_week');
    const before = await summary(page);
    await hoverClick(page, 'results_use_best');
    await waitIdle(page, 30_000);
    assert.equal((await state(page)).preset, 'wecom-2025/mass_send_7_a_week');
    const afterSwitch = await summary(page);
    assert.notEqual(afterSwitch.reached, before.reached);
    assert.ok(Object.keys(afterSwitch.blocked).some((r) => r.includes('mass_send_any_week')));
  });
});
