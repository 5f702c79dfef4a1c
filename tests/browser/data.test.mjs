// The data panel: a tenant loaded from a file (the picker's real <input type=file>, and
// drag-and-drop onto the page) or a URL; its summary; a rejected file keeps the previous
// tenant and the draft, with the engine's message naming the place.
//   node --test tests/browser/data.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import {
  APP_PRESET, CLI, DEMO, call, callString, clickItem, clickTab, draftText, haveBuild, itemRects, launchBrowser, openApp,
  screenshot, startServer, state, summary, waitIdle,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
const firstDemoCampaign = join(DEMO, manifest.campaigns[0]);
const withoutWarnings = (s) => { const { warnings, ...rest } = s; return rest; };

const dir = mkdtempSync(join(tmpdir(), 'reachlens-data-'));
// Two small tenants from the CLI's generator (different seeds and sizes).
function generate(name, customers, seed) {
  const out = join(dir, name);
  execFileSync(CLI, ['generate', '--customers', String(customers), '--seed', String(seed), '--out', out]);
  return join(out, 'dataset.json');
}
const tenantA = generate('a', 500, 3);
const tenantB = generate('b', 300, 4);
const tenantAText = readFileSync(tenantA, 'utf8');
const tenantBText = readFileSync(tenantB, 'utf8');

// What the panel must say about a tenant, counted from its JSON here (not by the engine).
function expectedCounts(text) {
  const d = JSON.parse(text);
  return {
    corp_name: d.enterprise.corp_name,
    industry: d.enterprise.industry,
    verified: d.enterprise.verified,
    employees: d.employees.length,
    employees_active: d.employees.filter((e) => e.status === 'active').length,
    departments: d.departments.length,
    customers: d.customers.length,
    relations: d.customers.reduce((n, c) => n + (c.follow_user || []).length, 0),
    tag_groups: d.tag_groups.length,
    tags: d.tag_groups.reduce((n, g) => n + g.tags.length, 0),
    deliveries: d.deliveries.length,
    scheduled: d.scheduled.length,
  };
}
const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));

const cliPreview = (dataset) => JSON.parse(execFileSync(CLI, ['preview', '--dataset', dataset, '--campaign', firstDemoCampaign,
                                                              '--preset', APP_PRESET], { encoding: 'utf8', maxBuffer: 1 << 26 }));
// The CLI's message for a bad dataset file, with the file named as the page names it (its base name).
function cliError(path) {
  const r = spawnSync(CLI, ['preview', '--dataset', path, '--campaign', firstDemoCampaign, '--preset', APP_PRESET],
                      { encoding: 'utf8' });
  assert.equal(r.status, 2, `the CLI accepted ${path}`);
  return r.stderr.trim().replace(/^error: /, '').replace(path, basename(path));
}

const dataState = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'data'));
async function waitLoaded(page, loadsBefore, errorsBefore) {
  await page.waitForFunction(([l, e]) => {
    const d = JSON.parse(window.reachlens.callString('rl_panel_json', 'data'));
    return !d.busy && (d.loads > l || d.error_seq > e);
  }, [loadsBefore, errorsBefore], { timeout: 60_000 });
  await waitIdle(page, 30_000);
  return dataState(page);
}

let server, browser, context, page;
before(async () => {
  server = await startServer(undefined, { routes: { '/tenants/b.json': { body: tenantBText, type: 'application/json' } } });
  browser = await launchBrowser();
  ({ context, page } = await openApp(browser, server.url));
});
after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('data panel', () => {
  test('a file picked with the Open file button loads: summary counts, preview equals the CLI, draft stays',
       { timeout: 120_000 }, async () => {
    const draftBefore = await draftText(page);
    await clickTab(page, 'data');
    const before = await dataState(page);
    assert.equal(before.summary.source, 'dataset.json', 'the demo tenant the page loaded at start');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), clickItem(page, 'data_open_file')]);
    assert.equal(await chooser.element().getAttribute('accept'), '.json,.rlsnap,application/json,application/octet-stream');
    await chooser.setFiles(tenantA);
    const d = await waitLoaded(page, before.loads, before.error_seq);
    assert.equal(d.error, '');
    assert.equal(d.summary.source, 'dataset.json');  // tenantA's file name
    assert.deepEqual(pick(d.summary, Object.keys(expectedCounts(tenantAText))), expectedCounts(tenantAText));
    // Progress followed the bytes: all of them read, against the file's size.
    const size = readFileSync(tenantA).length;
    assert.equal(d.loaded_bytes, size);
    assert.equal(d.total_bytes, size);
    // The draft (the first demo campaign) stays and is previewed against the new tenant.
    assert.equal(await draftText(page), draftBefore);
    assert.deepEqual(withoutWarnings(await summary(page)), withoutWarnings(cliPreview(tenantA)));
    await screenshot(page, 'data-panel-dpr1.png');
  });

  test('a file dropped onto the page loads (overlay while dragging)', { timeout: 60_000 }, async () => {
    const before = await dataState(page);
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'tenant-b.json', { type: 'application/json' }));
      window.__rlDrop = dt;
      document.getElementById('canvas').dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, tenantBText);
    assert.equal(await page.locator('#rl-drop').isVisible(), true, 'no drop overlay while dragging a file');
    assert.match(await page.locator('#rl-drop').innerText(), /松开以加载数据/);
    await screenshot(page, 'data-drop-overlay.png');
    await page.evaluate(() => {
      document.getElementById('canvas').dispatchEvent(new DragEvent('drop', { dataTransfer: window.__rlDrop, bubbles: true, cancelable: true }));
    });
    const d = await waitLoaded(page, before.loads, before.error_seq);
    assert.equal(await page.locator('#rl-drop').isHidden(), true);
    assert.equal(d.error, '');
    assert.equal(d.summary.source, 'tenant-b.json');
    assert.deepEqual(pick(d.summary, Object.keys(expectedCounts(tenantBText))), expectedCounts(tenantBText));
    assert.deepEqual(withoutWarnings(await summary(page)), withoutWarnings(cliPreview(tenantB)));
  });

  test('an invalid file shows the engine\'s message with its place; the tenant and the draft stay', { timeout: 90_000 },
       async () => {
    const cases = [
      { name: 'truncated.json', bytes: Buffer.from('{"format": "reachlens.dataset/1", "employees": [') },
      { name: 'bad-utf8.json', bytes: Buffer.concat([Buffer.from('{"format":"reachlens.dataset/1","enterprise":{"corp_name":"'),
                                                      Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]) },
    ];
    // Another tab is open: the message must still be visible (the toast).
    await clickTab(page, 'compose');
    await clickItem(page, 'draft_text');
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' kept');
    await waitIdle(page);
    const draftBefore = await draftText(page);
    assert.match(draftBefore, / kept$/);
    const summaryBefore = await summary(page);
    for (const c of cases) {
      const path = join(dir, c.name);
      writeFileSync(path, c.bytes);
      const want = cliError(path);
      const before = await dataState(page);
      await page.evaluate(([name, b64]) => {
        const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
        window.ReachLensData.loadFile(new File([bytes], name));
      }, [c.name, c.bytes.toString('base64')]);
      const d = await waitLoaded(page, before.loads, before.error_seq);
      assert.equal(d.error, want);
      assert.match(d.error, new RegExp('^' + c.name + ': '));
      assert.equal(d.toast_error_visible, true);
      assert.equal(d.summary.source, 'tenant-b.json', 'the previous tenant stays');
      assert.equal((await state(page)).dataset_error, want);
      assert.equal(await draftText(page), draftBefore, 'the draft changed after a rejected file');
      assert.deepEqual(await summary(page), summaryBefore);
    }
    const rects = await itemRects(page);
    assert.ok(rects.data_toast && rects.data_toast.frame > 0, 'no toast over the compose tab');
    await screenshot(page, 'data-error-toast.png');
    // "Open data panel" on the toast shows the data tab with the message.
    await clickItem(page, 'data_toast_view');
    await page.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_state_json')).tabs.includes('data'));
    await waitIdle(page);
    await screenshot(page, 'data-error-panel.png');
  });

  test('a file over the 2 GB limit is refused before reading', async () => {
    const before = await dataState(page);
    const readStarted = await page.evaluate(async () => {
      let streamed = false;
      const huge = { name: 'huge.json', size: 3 * 1024 ** 3, stream() { streamed = true; throw new Error('read'); } };
      await window.ReachLensData.loadFile(huge);
      return streamed;
    });
    assert.equal(readStarted, false);
    const d = await waitLoaded(page, before.loads, before.error_seq);
    assert.match(d.error, /^huge\.json: 3072 MB .*2 GB/);
    assert.equal(d.summary.source, 'tenant-b.json');
  });

  test('a URL pasted into the panel loads; a 404 shows an error', { timeout: 90_000 }, async () => {
    await clickTab(page, 'data');
    const good = server.url + 'tenants/b.json';
    for (const [url, ok] of [[good, true], [server.url + 'tenants/missing.json', false]]) {
      const before = await dataState(page);
      await clickItem(page, 'data_url');
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
      assert.equal(await call(page, 'rl_paste_text', url), undefined);  // what a paste into the field does
      await waitIdle(page, 30_000);
      assert.equal((await dataState(page)).url, url);
      await clickItem(page, 'data_load_url');
      const d = await waitLoaded(page, before.loads, before.error_seq);
      if (ok) {
        assert.equal(d.error, '');
        assert.equal(d.summary.source, url);
        assert.equal(d.loaded_bytes, Buffer.byteLength(tenantBText));
        assert.deepEqual(pick(d.summary, Object.keys(expectedCounts(tenantBText))), expectedCounts(tenantBText));
      } else {
        assert.equal(d.error, `${url}: HTTP 404 Not Found`);
        assert.equal(d.summary.source, good, 'the previous tenant stays');
      }
    }
  });

  test('a slow download shows byte progress in the panel and the page keeps drawing', { timeout: 120_000 }, async () => {
    const size = readFileSync(join(DEMO, manifest.dataset)).length;
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions',
                   { offline: false, latency: 5, downloadThroughput: 8 * 1024 * 1024, uploadThroughput: -1 });
    try {
      await clickTab(page, 'data');
      const before = await dataState(page);
      const framesBefore = await page.evaluate(() => window.reachlens.frames());
      await page.evaluate(() => { window.ReachLensData.loadDemo(); });
      const seen = [];
      let shot = false;
      for (;;) {
        const d = await dataState(page);
        if (d.busy && !d.parsing && d.total_bytes > 0) {
          seen.push(d.loaded_bytes);
          if (!shot && d.progress > 0.3) {
            await screenshot(page, 'data-progress.png');
            shot = true;
          }
        }
        if (!d.busy && (d.loads > before.loads || d.error_seq > before.error_seq)) break;
        await page.waitForTimeout(50);
      }
      const d = await dataState(page);
      assert.equal(d.error, '');
      assert.equal(d.total_bytes, size);
      assert.equal(d.loaded_bytes, size);
      const steps = new Set(seen.filter((n) => n > 0 && n < size));
      assert.ok(steps.size >= 3, `only ${steps.size} intermediate progress values`);
      assert.deepEqual(seen, [...seen].sort((x, y) => x - y), 'progress went backwards');
      assert.ok((await page.evaluate(() => window.reachlens.frames())) - framesBefore >= steps.size,
                'the panel was not redrawn while bytes arrived');
    } finally {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await cdp.detach();
    }
  });

  test('the demo tenant button loads the bundled tenant again', { timeout: 60_000 }, async () => {
    const before = await dataState(page);
    await clickItem(page, 'data_demo');
    const d = await waitLoaded(page, before.loads, before.error_seq);
    assert.equal(d.error, '');
    assert.equal(d.summary.source, manifest.dataset);
    assert.equal(d.summary.customers, manifest.customers);
  });

  test('screenshots: data panel light/dark at dpr 1 and 2', { timeout: 120_000 }, async () => {
    for (const dpr of [1, 2]) {
      const { context: c, page: p } = await openApp(browser, server.url, { dpr });
      await clickTab(p, 'data');
      for (const theme of ['light', 'dark']) {
        assert.equal(await call(p, 'rl_set_theme', theme), 0);
        await waitIdle(p);
        await screenshot(p, `data-panel-${theme}-dpr${dpr}.png`);
      }
      await c.close();
    }
  });
});
