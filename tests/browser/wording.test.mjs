// The Chinese UI words the page's own errors by code, never with a raw code or an English
// sentence (issue 11): a dataset the page cannot read (not a URL, HTTP 404, over 2 GB), an
// upload refused (too large, the server refusing), a submission the server refuses (422
// media_missing, named by the attachment's card number), the outbox's reason, and the
// campaign's kind and origin (企业群发 / 成员群发 / 企业朋友圈 / 成员朋友圈) in the
// confirmation and the outbox. Against a real serve.py.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLI, callBytes, callString, clickItem, haveBuild, itemRects, launchBrowser, openApp, pickFile, png, startServedTenant, state, submitAndConfirm, waitIdle,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

let tenant, serve, browser, datasetText, massSend;
before(async () => {
  tenant = await startServedTenant('reachlens-wording-');
  ({ serve, datasetText } = tenant);
  massSend = tenant.find('mass_send', 'enterprise');
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await tenant?.stop();
});

// Two Latin words in a row (an English sentence), or a code: snake_case or a catalogue key.
const ENGLISH = /[A-Za-z]{2,}[ ,;]+[A-Za-z]{2,}/;
const RAW_CODE = /\b[a-z]+(?:_[a-z]+)+\b|\b(?:data|server|upload|host|content|campaign)\.[a-z_]+/;
// `text` is Chinese: it has hanzi, and no English sentence or raw code once the names the
// marketer gave (file names, URLs) are taken out.
function assertChinese(text, what, names = []) {
  let rest = String(text);
  for (const n of names) rest = rest.split(n).join(' ');
  assert.match(rest, /[\u4e00-\u9fff]/, `${what}: no Chinese in ${JSON.stringify(text)}`);
  assert.doesNotMatch(rest, ENGLISH, `${what}: English in ${JSON.stringify(text)}`);
  assert.doesNotMatch(rest, RAW_CODE, `${what}: a raw code in ${JSON.stringify(text)}`);
}

const panel = async (page, name) => JSON.parse(await callString(page, 'rl_panel_json', name));
const uniqueId = (what) => `${what}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
let months = 0;
const nextSendTime = () => JSON.parse(datasetText).now + 31 * 86400 * ++months + 3600;

async function openWith(campaign) {
  const { context, page } = await openApp(browser, serve.origin + '/');
  assert.equal(await callBytes(page, 'rl_load_dataset_json', datasetText), 0);
  if (campaign) {
    assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(campaign)), 0);
    await waitIdle(page);
  }
  return { context, page };
}

async function dataFailure(page, load, arg) {
  const before = await panel(page, 'data');
  await page.evaluate(load, arg);
  await page.waitForFunction((e) => {
    const d = JSON.parse(window.reachlens.callString('rl_panel_json', 'data'));
    return !d.busy && d.error_seq > e;
  }, before.error_seq, { timeout: 60_000 });
  await waitIdle(page);
  return panel(page, 'data');
}

test('a dataset the page cannot read: the reason in Chinese, by code', { timeout: 180_000 }, async () => {
  const { context, page } = await openWith(null);
  try {
    let d = await dataFailure(page, () => window.ReachLensData.loadUrl('ftp://example.com/tenant.json'));
    assert.match(d.error, /not an http\(s\) URL/, 'the English stays for logs');
    assertChinese(d.error_text, 'not a URL', ['ftp://example.com/tenant.json']);

    const missing = serve.origin + '/no-such-tenant.json';
    d = await dataFailure(page, (u) => window.ReachLensData.loadUrl(u), missing);
    assertChinese(d.error_text, 'HTTP 404', [missing]);
    assert.match(d.error_text, /404/);

    d = await dataFailure(page, () => window.ReachLensData.loadFile({ name: 'huge.json', size: 3 * 1024 ** 3, stream() { throw new Error('read'); } }));
    assertChinese(d.error_text, 'over 2 GB', ['huge.json']);
    assert.equal((await state(page)).dataset_loaded, true, 'the tenant stays');
  } finally {
    await context.close();
  }
});

// A file picked on the page (web/data.js loadFile), its bytes built in Node.
const loadFileBytes = (page, name, bytes) => dataFailure(page, ([n, b64]) => {
  const raw = atob(b64);
  const buf = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; ++i) buf[i] = raw.charCodeAt(i);
  window.ReachLensData.loadFile(new File([buf], n));
}, [name, Buffer.from(bytes).toString('base64')]);

test('a broken dataset file and a damaged snapshot: the reason in Chinese, the tenant stays', { timeout: 180_000 }, async () => {
  const { context, page } = await openWith(null);
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-wording-'));
  try {
    // JSON cut short, a wrong industry, a value outside its set: each worded with its place.
    // The JSON pointer the message names (where the marketer looks) is a place, not a code.
    const place = (text) => text.match(/ 中 (\S+) 处：/)?.[1] ?? '';
    let d = await loadFileBytes(page, '租户.json', datasetText.slice(0, 500));
    assertChinese(d.error_text, 'invalid JSON', ['租户.json', place(d.error_text)]);
    assert.match(d.error_text, /JSON 格式错误（第 \d+ 行第 \d+ 列）/);
    const doc = JSON.parse(datasetText);
    d = await loadFileBytes(page, '租户.json', JSON.stringify({ ...doc, enterprise: { ...doc.enterprise, industry: 'mining' } }));
    assertChinese(d.error_text, 'unknown industry', ['租户.json', place(d.error_text), 'mining']);
    assert.equal(place(d.error_text), '/enterprise/industry');
    assert.match(d.error_text, /零售/);
    const customers = doc.customers.map((c, i) => (i === 3 ? { ...c, gender: 7 } : c));
    d = await loadFileBytes(page, '租户.json', JSON.stringify({ ...doc, customers }));
    assertChinese(d.error_text, 'gender out of its set', ['租户.json', place(d.error_text)]);
    assert.equal(place(d.error_text), '/customers/3/gender');

    // A snapshot damaged in its middle, and one cut short: the file is named, no section or English.
    writeFileSync(join(dir, 'dataset.json'), datasetText);
    execFileSync(CLI, ['snapshot', '--dataset', join(dir, 'dataset.json'), '--out', join(dir, 't.rlsnap')]);
    const snap = readFileSync(join(dir, 't.rlsnap'));
    const damaged = Buffer.from(snap);
    damaged[damaged.length >> 1] ^= 0x5a;
    d = await loadFileBytes(page, '租户.rlsnap', damaged);
    assert.match(d.error, /checksum mismatch/, 'the English stays for logs');
    assertChinese(d.error_text, 'damaged snapshot', ['租户.rlsnap']);
    assert.match(d.error_text, /快照文件已损坏/);
    d = await loadFileBytes(page, '租户.rlsnap', snap.subarray(0, snap.length - 4096));
    assertChinese(d.error_text, 'snapshot cut short', ['租户.rlsnap']);
    assert.match(d.error_text, /快照文件不完整/);
    assert.equal((await state(page)).dataset_loaded, true, 'the tenant stays');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await context.close();
  }
});

test('a snapshot the page has no memory left for: refused before it is read, in Chinese, the tenant stays', { timeout: 180_000 }, async () => {
  const { context, page } = await openWith(null);
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-wording-'));
  try {
    writeFileSync(join(dir, 'dataset.json'), datasetText);
    execFileSync(CLI, ['snapshot', '--dataset', join(dir, 'dataset.json'), '--out', join(dir, 't.rlsnap')]);
    const snap = readFileSync(join(dir, 't.rlsnap'));
    const customersBefore = (await panel(page, 'data')).summary.customers;
    // Take the heap up to wasm32's 4 GB in 64 MB blocks (never written: little resident
    // memory), then give back one: less is left than the load's estimate plus the reserve.
    const blocks = await page.evaluate(() => {
      const M = window.reachlens.module;
      window.__held = [];
      for (let p; (p = M._malloc(64 << 20)) !== 0;) window.__held.push(p);
      M._free(window.__held.pop());
      return window.__held.length;
    });
    assert.ok(blocks > 20, `the heap grew to ${blocks} blocks of 64 MB`);
    let d = await loadFileBytes(page, '租户.rlsnap', snap);
    assert.match(d.error, /needs about \d+ MB of memory to load, more than the \d+ MB left/, 'the English stays for logs');
    assertChinese(d.error_text, 'too big for the page', ['租户.rlsnap']);
    assert.match(d.error_text, /内存/);
    assert.equal((await state(page)).dataset_loaded, true, 'the tenant stays');
    assert.equal((await panel(page, 'data')).summary.customers, customersBefore);
    // With the memory back, the same file loads.
    await page.evaluate(() => { for (const p of window.__held) window.reachlens.module._free(p); window.__held = []; });
    const loadsBefore = (await panel(page, 'data')).loads;
    await page.evaluate(([n, b64]) => {
      const raw = atob(b64);
      const buf = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; ++i) buf[i] = raw.charCodeAt(i);
      return window.ReachLensData.loadFile(new File([buf], n));
    }, ['租户.rlsnap', snap.toString('base64')]);
    await page.waitForFunction((n) => {
      const p = JSON.parse(window.reachlens.callString('rl_panel_json', 'data'));
      return !p.busy && p.loads > n;
    }, loadsBefore, { timeout: 60_000 });
    d = await panel(page, 'data');
    assert.equal(d.error, '');
    assert.equal(d.summary.customers, JSON.parse(datasetText).customers.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await context.close();
  }
});

test('uploads refused: too large, and the server refusing, worded in Chinese', { timeout: 180_000 }, async () => {
  const campaign = { ...massSend, id: uniqueId('words-upload'), send_time: nextSendTime(), content: { text: '上传', attachments: [] } };
  const { context, page } = await openWith(campaign);
  try {
    await pickFile(page, 'file', { name: 'big.zip', mimeType: 'application/zip', buffer: Buffer.alloc(20 * 1024 * 1024 + 1) });
    await page.route('**/api/media', (route) => route.continue({ url: serve.origin + '/api/media/refused' }));
    await pickFile(page, false, { name: 'red.png', mimeType: 'image/png', buffer: png(32, 32, () => [200, 20, 20]) });
    await page.waitForFunction(() => {
      const u = JSON.parse(window.reachlens.callString('rl_panel_json', 'media')).uploads;
      return u.length === 2 && u.every((x) => x.state === 'failed');
    }, null, { timeout: 60_000 });
    await waitIdle(page);
    const uploads = (await panel(page, 'media')).uploads;
    const big = uploads.find((u) => u.name === 'big.zip'), red = uploads.find((u) => u.name === 'red.png');
    assert.equal(big.error, 'too_large');
    assertChinese(big.error_text, 'too large', ['big.zip']);
    assert.match(big.error_text, /20(\.0)? MB/, 'the limit, in MB');
    assert.equal(red.error, 'server');
    assertChinese(red.error_text, 'server refusal', ['red.png']);
    assert.match(red.error_text, /405/);
  } finally {
    await context.close();
  }
});

test('a submission the server refuses, and one kept in the outbox: Chinese reasons, 企业群发', { timeout: 240_000 }, async () => {
  const campaign = {
    ...massSend, id: uniqueId('words-submit'), send_time: nextSendTime(),
    content: { text: '未上传的附件', attachments: [{ msgtype: 'image', image: { name: 'never.jpg', bytes: 1234, width: 10, height: 10 } }] },
  };
  const { context, page } = await openWith(campaign);
  try {
    // The confirmation names the kind and origin as WeCom does.
    const answer = await submitAndConfirm(page);
    assert.equal(answer.status, 422);
    let sub = await panel(page, 'submit');
    assert.equal(sub.kind_origin, '企业群发');
    assertChinese(sub.failure_text, '422 media_missing');
    assert.match(sub.failure_text, /第 1 个附件/, 'named as the card counts it');
    await clickItem(page, 'submit_cancel');

    // No server reachable: the submission waits in the outbox, its reason in Chinese.
    await page.route('**/api/campaigns', (route) => route.abort('internetdisconnected'));
    const offline = { ...campaign, id: uniqueId('words-outbox'), content: { text: '发件箱', attachments: [] } };
    assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(offline)), 0);
    await waitIdle(page);
    await submitAndConfirm(page);
    sub = await panel(page, 'submit');
    assert.equal(sub.saved_to_outbox, true);
    const entry = sub.outbox.entries.at(-1);
    assert.equal(entry.kind_origin, '企业群发');
    assertChinese(entry.reason_text, 'outbox reason', [serve.origin + '/api/campaigns', serve.origin]);
    assertChinese(sub.failure_text, 'no server reached', [serve.origin + '/api/campaigns', serve.origin]);
  } finally {
    await context.close();
  }
});

test('browser storage full: the drafts panel says so in Chinese, naming the draft', { timeout: 120_000 }, async () => {
  const campaign = { ...massSend, id: uniqueId('words-storage'), send_time: nextSendTime(), content: { text: '', attachments: [] } };
  const { context, page } = await openWith(campaign);
  try {
    await page.evaluate(() => {
      Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };
    });
    // An edit as the marketer makes it: typed into the text editor.
    const editor = (await itemRects(page)).draft_text;
    await page.mouse.click(editor.x + editor.w / 2, editor.y + editor.h / 2);
    await waitIdle(page);
    await page.keyboard.insertText('存储已满时的编辑 💄');
    await page.waitForFunction(() => JSON.parse(window.reachlens.callString('rl_panel_json', 'drafts')).error !== '', null, { timeout: 30_000 });
    await waitIdle(page);
    const drafts = await panel(page, 'drafts');
    assert.match(drafts.error, /storage is full/, 'the English stays for logs');
    assertChinese(drafts.error_text, 'storage full', [campaign.id]);
    assert.ok(drafts.error_text.includes(campaign.id), 'names the draft');
    assert.equal(await callString(page, 'rl_draft_text'), '存储已满时的编辑 💄', 'the edit is kept on the page');
  } finally {
    await context.close();
  }
});
