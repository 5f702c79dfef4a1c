// Browser tests of WeCom's results on the page with the real serve.py (src/ui/reconcile_panel.cpp,
// web/submit.js fetchResults, web/data.js pickResults): an accepted campaign's results tab
// says plainly that no results exist yet, then shows the reconciliation the server stores
// (equal to the server's own); the tab's file picker loads a results file, and bad files
// are refused in the UI's language naming the response and row, keeping what was shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import {
  APP_PRESET, CLI, callBytes, callString, clickItem, haveBuild, openApp, screenshot, state, useServedTenant, waitIdle,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');
if (!existsSync(CLI)) throw new Error('build/native/reachlens is missing: run scripts/build_web.sh first');

const served = useServedTenant('reachlens-results-');

const panel = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'reconcile'));

// A demo mass send with its generated results, both under a fresh campaign id; files left
// out (they would need uploading first; the results are about the audience, not the content).
function demoCampaignAndResults() {
  const name = readdirSync(join(served.dataDir, 'demo', 'results')).filter((f) => f.includes('mass-send')).sort()[0];
  assert.ok(name, 'no demo results for a mass send');
  const campaign = JSON.parse(readFileSync(join(served.dataDir, 'demo', 'campaigns', name), 'utf8'));
  const results = JSON.parse(readFileSync(join(served.dataDir, 'demo', 'results', name), 'utf8'));
  campaign.id = `${campaign.id}-结果-${randomUUID().slice(0, 8)}`;
  campaign.content.attachments = (campaign.content.attachments || []).filter((a) => !['image', 'video', 'file'].includes(a.msgtype));
  results.campaign_id = campaign.id;
  return { campaign, results };
}

async function post(path, body, headers = {}) {
  const r = await fetch(served.origin + path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

test('an accepted campaign shows its stored results: none yet, then the server\'s reconciliation; a picked file loads, bad ones are refused', { timeout: 300_000 }, async () => {
  const { campaign, results } = demoCampaignAndResults();
  const accepted = await post('/api/campaigns', { campaign, rules: APP_PRESET }, { 'Idempotency-Key': randomUUID() });
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  const serverId = accepted.body.id;

  const log = [];
  const { context, page } = await openApp(served.browser, served.origin + '/', { log });
  try {
    // The server's tenant (which schedules the accepted campaign) and the campaign as the draft.
    const datasetText = await (await fetch(served.origin + '/api/dataset')).text();
    assert.equal(await callBytes(page, 'rl_load_dataset_json', datasetText), 0);
    assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(campaign)), 0);
    // The server's list of accepted campaigns (the page asks for it when it starts, and after a submission).
    assert.equal(await page.evaluate(() => window.ReachLensSubmit.refreshAccepted()), true);
    await page.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_panel_json', 'submit')).submitted,
                               null, { timeout: 30_000, polling: 100 });
    await waitIdle(page);
    assert.equal((await state(page)).campaign_id, campaign.id);
    assert.equal(JSON.parse(await callString(page, 'rl_panel_json', 'submit')).server_id, serverId);

    // The submitted draft's "Send results" opens the tab, which asks the server: none yet, said plainly.
    await clickItem(page, 'submitted_results');
    await page.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_panel_json', 'reconcile')).stored.state === 'none',
                               null, { timeout: 30_000, polling: 100 });
    let p = await panel(page);
    assert.equal(p.stored.server_id, serverId);
    assert.equal(p.reconcile, null);
    await waitIdle(page);
    await screenshot(page, 'results-none-yet.png');

    // WeCom's results reach the server; "Refresh" shows them, as the server reconciled them.
    const stored = await post(`/api/campaigns/${serverId}/results`, results);
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    await clickItem(page, 'results_stored_refresh');
    await page.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_panel_json', 'reconcile')).stored.state === 'loaded',
                               null, { timeout: 30_000, polling: 100 });
    await waitIdle(page);
    p = await panel(page);
    assert.equal(p.error, '');
    assert.equal(p.source, `campaigns/${serverId}/results`);
    const server = stored.body.reconcile;
    assert.ok(server.agree > 0);
    for (const key of ['audience', 'matrix', 'agree', 'disagree', 'accuracy', 'senders', 'rules_fit', 'outside_audience']) {
      assert.deepEqual(p.reconcile[key], server[key], key);
    }
    await screenshot(page, 'results-stored.png');

    // The file picker: a results file whose 4th response is a WeCom error body is refused
    // naming /responses/3, in the UI's language, and the reconciliation shown stays.
    const pick = async (name, doc) => {
      await page.keyboard.press('Shift');
      const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 10_000 }), clickItem(page, 'results_file')]);
      assert.equal(await chooser.element().getAttribute('accept'), '.json,application/json');
      assert.equal(chooser.isMultiple(), false);
      await chooser.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)) });
    };
    // Polled from here: the page's CSP (no 'unsafe-eval') refuses a predicate built from text.
    const waitPanel = async (test) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (test(await panel(page))) return;
        if (Date.now() > deadline) throw new Error('the reconcile panel never met: ' + test);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    assert.equal((await state(page)).language, 'zh-CN');
    const first = results.responses[0];
    const failed = { ...results, responses: [first, first, first, { ...first, body: { errcode: 45009, errmsg: 'api freq out of limit' } }] };
    await pick('企业微信结果.json', failed);
    await waitPanel((p) => p.error !== '');
    p = await panel(page);
    assert.match(p.error, /企业微信结果\.json 中 \/responses\/3 处：企业微信返回了错误（错误码 45009）/);
    assert.deepEqual(p.reconcile.matrix, server.matrix);
    assert.equal(p.source, `campaigns/${serverId}/results`);

    // A malformed row: named down to the field, worded in Chinese.
    const rows = JSON.parse(JSON.stringify(results));
    rows.responses[0].body.detail_list[1].status = 7;
    await pick('rows.json', rows);
    await waitPanel((p) => p.error.includes('rows.json'));
    p = await panel(page);
    assert.match(p.error, /rows\.json 中 \/responses\/0\/body\/detail_list\/1\/status 处：status 应为 0（未发送）/);
    // The error is worded when drawn: switching the language afterwards rewords it (a screenshot
    // of the panel shows the same text as the panel's state).
    await page.evaluate(() => window.reachlens.call('rl_set_language', 'en'));
    await waitPanel((p) => p.error.includes('rows.json') && !/[\u4e00-\u9fff]/.test(p.error));
    p = await panel(page);
    assert.match(p.error, /^rows\.json: \/responses\/0\/body\/detail_list\/1\/status: /);
    await waitIdle(page);
    await screenshot(page, 'results-error-en.png');
    await page.evaluate(() => window.reachlens.call('rl_set_language', 'zh-CN'));
    await waitPanel((p) => /处：status 应为 0/.test(p.error));
    // Not JSON at all, in English this time.
    await page.evaluate(() => window.reachlens.call('rl_set_language', 'en'));
    await pick('broken.json', '{"format": "reachlens.results/1", "responses": [');
    await waitPanel((p) => p.error.includes('broken.json'));
    p = await panel(page);
    assert.match(p.error, /^broken\.json: .*Invalid JSON/);
    assert.deepEqual(p.reconcile.matrix, server.matrix);
    await page.evaluate(() => window.reachlens.call('rl_set_language', 'zh-CN'));

    // A good file loads under its own name, the same reconciliation as the server's.
    await pick('wecom-results.json', results);
    await waitPanel((p) => p.source === 'wecom-results.json' && p.error === '');
    p = await panel(page);
    assert.deepEqual(p.reconcile.matrix, server.matrix);
    assert.equal(p.reconcile.accuracy, server.accuracy);
    await waitIdle(page);
    await screenshot(page, 'results-picked.png');
  } catch (e) {
    e.message += '\n' + log.slice(-20).join('\n');
    throw e;
  } finally {
    await context.close();
  }
});
