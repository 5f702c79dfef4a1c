// Browser tests of the campaign calendar (src/ui/campaign_calendar.cpp): walking the
// months lists every past campaign of the dataset (counted here from the dataset file)
// with its deliveries, every scheduled campaign and the draft; opening a scheduled
// campaign shows its own preview, equal to the CLI run of that campaign as the draft
// against the dataset without it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  APP_PRESET, CLI, DEMO, callString, clickItem, clickTab, haveBuild, itemRects, screenshot, state, waitIdle,
  hoverClick, useApp,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
const CAMPAIGN = manifest.campaigns.find((f) => f.includes('01-')) || manifest.campaigns[0];
const campaignId = JSON.parse(readFileSync(join(DEMO, CAMPAIGN), 'utf8')).id;
const datasetPath = join(DEMO, 'dataset.json');
const datasetText = readFileSync(datasetPath, 'utf8');
const dataset = JSON.parse(datasetText);
const tz = dataset.enterprise.tz_offset_minutes;
const local = (time) => new Date((time + tz * 60) * 1000);
const monthOf = (time) => { const d = local(time); return d.getUTCFullYear() * 12 + d.getUTCMonth(); };

// The past campaigns, independently: the dataset's deliveries grouped by campaign_id.
const past = new Map();
for (const d of dataset.deliveries) {
  const p = past.get(d.campaign_id) || { deliveries: 0, first: Infinity };
  p.deliveries += 1;
  p.first = Math.min(p.first, d.time);
  past.set(d.campaign_id, p);
}

// The CLI's preview of scheduled campaign `index` as the draft, against the dataset
// without it in `scheduled`.
function cliScheduledPreview(index) {
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-calendar-'));
  try {
    const copy = JSON.parse(datasetText);
    const [campaign] = copy.scheduled.splice(index, 1);
    writeFileSync(join(dir, 'dataset.json'), JSON.stringify(copy));
    writeFileSync(join(dir, 'campaign.json'), JSON.stringify({ format: 'reachlens.campaign/1', ...campaign }));
    return JSON.parse(execFileSync(CLI, ['preview', '--dataset', join(dir, 'dataset.json'), '--campaign',
                                         join(dir, 'campaign.json'), '--preset', APP_PRESET],
                                   { encoding: 'utf8', maxBuffer: 1 << 27 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const calendar = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'calendar'));

const app = useApp();

describe('the campaign calendar', () => {
  let context, page;
  const log = [];
  before(async () => {
    ({ context, page } = await app.open({ log }));
    await clickTab(page, 'drafts');
    const rects = await itemRects(page);
    const pick = Object.keys(rects).find((k) => k.startsWith('campaign:') && CAMPAIGN.endsWith(k.slice(9)));
    assert.ok(pick, `no picker entry for ${CAMPAIGN}`);
    await clickItem(page, pick);
    assert.equal((await state(page)).campaign_id, campaignId);
    await clickTab(page, 'calendar');
  });
  after(async () => { await context?.close(); });

  test('opens on the draft\'s month with the draft and the scheduled campaigns', { timeout: 60_000 }, async () => {
    const sum = JSON.parse(await callString(page, 'rl_summary_json'));
    const c = await calendar(page);
    const send = local(sum.send_time);
    assert.equal(c.year, send.getUTCFullYear());
    assert.equal(c.month, send.getUTCMonth() + 1);
    const draft = c.entries.filter((e) => e.source === 'draft');
    assert.deepEqual(draft.map((e) => [e.id, e.day, e.reached]), [[campaignId, send.getUTCDate(), sum.reached]]);
    // The scheduled campaigns of this month, each with its reach with the draft in place.
    const month = c.year * 12 + c.month - 1;
    const wantScheduled = dataset.scheduled.filter((s) => monthOf(s.send_time) === month);
    const shown = c.entries.filter((e) => e.source === 'scheduled');
    assert.deepEqual(shown.map((e) => e.id).sort(), wantScheduled.map((s) => s.id).sort());
    for (const e of shown) {
      const impact = sum.impact.find((i) => i.campaign_id === e.id);
      if (impact) assert.equal(e.reached, impact.reached_after, e.id);
      assert.equal(e.day, local(wantScheduled.find((s) => s.id === e.id).send_time).getUTCDate());
    }
    await screenshot(page, 'calendar-month.png');
  });

  test('walking the months lists every past and scheduled campaign', { timeout: 120_000 }, async () => {
    const months = [...past.values()].map((p) => monthOf(p.first)).concat(dataset.scheduled.map((s) => monthOf(s.send_time)));
    const first = Math.min(...months), last = Math.max(...months);
    // Back to the first month with a campaign, then forward to the last, by the arrows.
    let c = await calendar(page);
    while (c.year * 12 + c.month - 1 > first) {
      await hoverClick(page, 'calendar_prev');
      c = await calendar(page);
    }
    const seenPast = new Map(), seenScheduled = new Set();
    for (;;) {
      for (const e of c.entries) {
        if (e.source === 'past') {
          assert.ok(!seenPast.has(e.id), `${e.id} listed twice`);
          seenPast.set(e.id, e);
        } else if (e.source === 'scheduled') {
          seenScheduled.add(e.id);
        }
      }
      if (c.year * 12 + c.month - 1 >= last) break;
      await hoverClick(page, 'calendar_next');
      c = await calendar(page);
    }
    assert.equal(seenPast.size, past.size, 'every past campaign of the dataset');
    for (const [id, p] of past) {
      const e = seenPast.get(id);
      assert.ok(e, `past campaign ${id} is missing`);
      assert.equal(e.deliveries, p.deliveries, `${id} deliveries`);
      assert.equal(e.day, local(p.first).getUTCDate(), `${id} day`);
    }
    assert.deepEqual([...seenScheduled].sort(), dataset.scheduled.map((s) => s.id).sort());
    // Back to the draft's month.
    await hoverClick(page, 'calendar_draft_month');
    c = await calendar(page);
    assert.ok(c.entries.some((e) => e.source === 'draft'));
  });

  test('opening a scheduled campaign shows its own preview', { timeout: 120_000 }, async () => {
    const c = await calendar(page);
    const sum = JSON.parse(await callString(page, 'rl_summary_json'));
    // The scheduled campaign of this month with the largest reach.
    const shown = c.entries.filter((e) => e.source === 'scheduled');
    assert.ok(shown.length > 0, 'no scheduled campaign in the draft\'s month');
    const entry = shown.reduce((a, b) => ((b.reached ?? 0) > (a.reached ?? 0) ? b : a));
    const index = dataset.scheduled.findIndex((s) => s.id === entry.id);
    const want = cliScheduledPreview(index);

    await hoverClick(page, `cal:${entry.id}`);
    let after = await calendar(page);
    assert.equal(after.open, `scheduled:${entry.id}`);
    assert.ok(after.preview, 'no preview shown for the open campaign');
    assert.deepEqual(after.preview, {
      campaign_id: want.campaign_id, audience: want.audience, reached: want.reached, deliveries: want.deliveries,
      blocked: want.blocked,
    });
    const computed = after.previews_computed;
    assert.ok((await itemRects(page)).calendar_preview?.h > 0, 'the preview is drawn');
    await screenshot(page, 'calendar-open-scheduled.png');

    // Back to the day's list, then open it again: cached, not recomputed.
    await hoverClick(page, 'calendar_back');
    assert.equal((await calendar(page)).open, '');
    await hoverClick(page, `cal:${entry.id}`);
    after = await calendar(page);
    assert.equal(after.open, `scheduled:${entry.id}`);
    assert.equal(after.previews_computed, computed, 'reopening recomputed the preview');
    // The app's own draft is unchanged by previewing another campaign.
    assert.equal(JSON.parse(await callString(page, 'rl_summary_json')).reached, sum.reached);
  });
});
