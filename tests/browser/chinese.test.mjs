// Browser tests of issue 11 (Chinese first): every engine message the marketer meets is
// worded by the catalogue (src/ui/i18n.cpp, "msg.<code>") in the UI's language, never a raw
// code or the engine's English; attachments are numbered as the cards number them; counts
// show in 万/亿 (K/M) with the exact figure in the tooltip; the marketer's export opens in
// Excel (BOM, Chinese reasons); a refused dataset is worded too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  APP_PRESET, DEMO, ROOT, call, callBytes, callString, clickItem, clickTab, cliVerdicts, haveBuild, hoverClick, itemRects,
  screenshot, state, summary, waitIdle, useApp,
} from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const dataset = JSON.parse(readFileSync(join(DEMO, 'dataset.json'), 'utf8'));
const rules = JSON.parse(readFileSync(join(ROOT, 'assets/rules', `${APP_PRESET}.json`), 'utf8'));
const M = rules.content.moment, S = rules.content.mass_send;

// The contract's content and campaign errors (docs/contract.md lists them as `code`).
const CONTRACT = readFileSync(join(ROOT, 'docs/contract.md'), 'utf8');
const CONTRACT_CODES = [...new Set([...CONTRACT.matchAll(/`((?:content|campaign|senders|audience)\.[a-z_]+)`/g)].map((m) => m[1]))]
  .filter((c) => c !== 'campaign.id' && c !== 'campaign.unknown_chat');  // a field name; group sends (issue 15)

const RAW_CODE = /\b[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)+\b|\b(?:content|campaign|senders|audience|industry|enterprise)\.[a-z_]+\b/;
// English words the engine's sentences use: none may reach the Chinese UI.
const ENGLISH = /\b(attachment|at most|bytes|images?|videos?|links?|unknown|expected|got|before now|needs|sender|characters)\b/i;
const HAN = /[\u4e00-\u9fff]/;

const image = (name, bytes = 100_000, width = 800, height = 800) => ({ msgtype: 'image', image: { name, bytes, width, height } });
const employee = dataset.employees[0].userid;

// Drafts that together raise every content and campaign error of the contract.
const DRAFTS = [
  { // moment: ten images (one too large, one too many pixels), then a video too long and too large, a link, a mini program
    format: 'reachlens.campaign/1', id: 'zh-errors-moment', kind: 'moment', origin: 'enterprise', send_time: 1000,
    senders: { user_list: ['nobody-here'], department_list: [987654] },
    audience: { tag_list: ['no-such-tag'], filter: { all: [] } },
    content: {
      text: '秋'.repeat(M.text_max_chars + 1),
      attachments: [
        ...Array.from({ length: 10 }, (_, i) => image(`图-${i + 1}.jpg`, i === 2 ? M.image_max_bytes + 1 : 1000, 800,
                                                      i === 4 ? Math.ceil(M.image_max_pixels / 800) + 1 : 800)),
        { msgtype: 'video', video: { name: '视频.mp4', bytes: M.video_max_bytes + 1, seconds: M.video_max_seconds + 3.853 } },
        { msgtype: 'video', video: { name: '视频2.mp4', bytes: 1000, seconds: 5 } },
        { msgtype: 'link', link: { title: 'x'.repeat(M.link_title_max_bytes + 1), url: '' } },
        { msgtype: 'link', link: { title: 't', url: 'https://example.com' } },
        { msgtype: 'miniprogram', miniprogram: { title: 't', appid: 'wx1', page: 'p' } },
      ],
    },
  },
  { // mass send by one employee origin with two senders; every mass-send limit
    format: 'reachlens.campaign/1', id: 'zh-errors-mass', kind: 'mass_send', origin: 'employee', send_time: 1000,
    senders: { user_list: [employee, dataset.employees[1].userid], department_list: [] },
    audience: { filter: { all: [] }, tag_list: ['stray-tag'] },
    content: {
      text: 'a'.repeat(S.text_max_bytes + 1),
      attachments: [
        { msgtype: 'file', file: { name: '报价.pdf', bytes: S.file_max_bytes + 1 } },
        { msgtype: 'link', link: { title: 't', desc: 'd'.repeat(S.link_desc_max_bytes + 1), url: 'https://e.com/' + 'u'.repeat(S.link_url_max_bytes) } },
        { msgtype: 'miniprogram', miniprogram: { title: 'm'.repeat(S.miniprogram_title_max_bytes + 1), appid: '', page: 'p' } },
        ...Array.from({ length: 8 }, (_, i) => image(`群发-${i}.jpg`)),
      ],
    },
  },
  { format: 'reachlens.campaign/1', id: 'zh-errors-empty', kind: 'moment', origin: 'enterprise',
    senders: { user_list: [], department_list: [1] }, audience: { tag_list: [] }, content: { text: '', attachments: [] } },
];

const panel = async (page, name) => JSON.parse(await callString(page, 'rl_panel_json', name));
const setDraft = async (page, doc) => {
  assert.equal(await callBytes(page, 'rl_set_campaign_json', JSON.stringify(doc)), 0);
  await waitIdle(page, 30_000);
};
const setLanguage = async (page, code) => { assert.equal(await call(page, 'rl_set_language', code), 0); await waitIdle(page); };

// Every problem as the marketer reads it, checked for the UI's language; returns the codes seen.
function checkWorded(errors, lang) {
  const seen = new Set();
  for (const e of errors) {
    seen.add(e.code);
    assert.ok(e.text && e.text.length > 0, `${e.code}: no text`);
    assert.doesNotMatch(e.text, RAW_CODE, `${e.code} shows a raw code: ${e.text}`);
    if (lang === 'zh') {
      assert.match(e.text, HAN, `${e.code} is not in Chinese: ${e.text}`);
      assert.doesNotMatch(e.text, ENGLISH, `${e.code} keeps the engine's English: ${e.text}`);
    } else {
      assert.doesNotMatch(e.text, HAN, `${e.code} is not in English: ${e.text}`);
    }
    // The attachment number is the card's (1-based), not the JSON index.
    const m = /^\/content\/attachments\/(\d+)\//.exec(e.pointer || '');
    if (m) {
      const card = Number(m[1]) + 1;
      const re = lang === 'zh' ? new RegExp(`第 ${card} 个附件`) : new RegExp(`Attachment ${card}\\b`);
      assert.match(e.text, re, `${e.code} at ${e.pointer} is not numbered as card ${card}: ${e.text}`);
    }
    assert.doesNotMatch(e.text, /\b1\d{9}\b|\b1000\b.*\b17\d{8}\b/, `${e.code} shows Unix seconds: ${e.text}`);
  }
  return seen;
}

const app = useApp();

describe('Chinese first: the message catalogue', () => {
  let context, page;
  const log = [];
  before(async () => {
    ({ context, page } = await app.open({ log }));
  });
  after(async () => {
    await setLanguage(page, 'zh');
    await context?.close();
  });

  for (const lang of ['zh', 'en']) {
    test(`every content and campaign error of the contract is worded in ${lang}, at its field, numbered as its card`,
         { timeout: 240_000 }, async () => {
      await setLanguage(page, lang);
      const seen = new Set();
      for (const doc of DRAFTS) {
        await setDraft(page, doc);
        const sum = await summary(page);
        const shown = (await panel(page, 'preview')).errors;
        assert.deepEqual(shown.map((e) => e.code), sum.errors.map((e) => e.code), 'the overview lists the engine\'s errors');
        for (const c of checkWorded(shown, lang)) seen.add(c);
        // At its field: the composer shows the same wording next to the field it points at.
        await clickTab(page, 'compose');
        await waitIdle(page);
        const fieldErrors = (await panel(page, 'composer')).field_errors ?? [];
        checkWorded(fieldErrors, lang);
        for (const fe of fieldErrors) {
          const same = shown.find((e) => e.code === fe.code && e.pointer === fe.pointer);
          assert.ok(same, `field error ${fe.code} at ${fe.pointer} not in the overview`);
          assert.equal(fe.text, same.text);
        }
        if (doc === DRAFTS[0]) await screenshot(page, `chinese-errors-${lang}.png`);
      }
      const missing = CONTRACT_CODES.filter((c) => !seen.has(c));
      assert.deepEqual(missing, [], `contract errors not raised by the test drafts: ${missing}`);
      // The header: a short status, the preset, language and theme buttons still on screen.
      const rects = await itemRects(page);
      const width = await page.evaluate(() => window.innerWidth);
      for (const name of ['submit_reason', 'preset', 'language', 'theme'])
        assert.ok(rects[name] && rects[name].x + rects[name].w <= width, `${name} pushed off-screen`);
      await hoverClick(page, 'submit_reason');
      const popup = (await itemRects(page)).submit_problems;
      assert.ok(popup && popup.w <= width, 'the problem list does not open inside the page');
      await page.keyboard.press('Escape');
      await waitIdle(page);
    });
  }

  test('attachment sizes and lengths are worded in the UI\'s language', { timeout: 120_000 }, async () => {
    const doc = (kind, attachments) => ({ format: 'reachlens.campaign/1', id: `zh-sizes-${kind}`, kind, origin: 'enterprise',
                                          senders: { user_list: [], department_list: [] }, audience: { tag_list: [] },
                                          content: { text: '尺寸', attachments } });
    const drafts = [
      doc('moment', [image('小图.jpg', 1000, 10, 10), image('大图.jpg', 2.5 * 1048576),
                     { msgtype: 'video', video: { name: '短片.mp4', bytes: 3 * 1048576, seconds: 5 } }]),
      doc('mass_send', [{ msgtype: 'file', file: { name: '报价.pdf', bytes: 1000 } }]),
    ];
    const want = {
      zh: [['1000 字节 · 10 × 10', '2.5 MB · 800 × 800', '3 MB · 5.0 秒'], ['1000 字节']],
      en: [['1000 bytes · 10 × 10', '2.5 MB · 800 × 800', '3 MB · 5.0 s'], ['1000 bytes']],
    };
    for (const lang of ['zh', 'en']) {
      await setLanguage(page, lang);
      for (const [i, d] of drafts.entries()) {
        await setDraft(page, d);
        await clickTab(page, 'compose');
        await waitIdle(page);
        assert.deepEqual((await panel(page, 'composer')).attachment_sizes, want[lang][i], `${lang}: ${d.id}`);
      }
    }
    await setLanguage(page, 'zh');
  });

  test('a refused dataset is worded in Chinese with its JSON pointer; the previous data stays', { timeout: 60_000 }, async () => {
    await setLanguage(page, 'zh');
    // The loader stops at the first problem: the rest of a dataset does not matter.
    const bad = JSON.stringify({ format: dataset.format, enterprise: { ...dataset.enterprise, tz_offset_minutes: '480' } });
    assert.notEqual(await callBytes(page, 'rl_load_dataset_json', bad), 0);
    await waitIdle(page);
    const data = await panel(page, 'data');
    assert.match(data.error, /expected an integer/, 'the engine\'s English is kept for the CLI and logs');
    assert.match(data.error_text, /\/enterprise\/tz_offset_minutes/);
    assert.match(data.error_text, /应为整数，实际是文字/);
    assert.doesNotMatch(data.error_text, ENGLISH);
    assert.equal((await state(page)).dataset_loaded, true, 'the previous dataset is gone');
  });

  test('counts in 万 with the exact figure in the tooltip (English: K)', { timeout: 60_000 }, async () => {
    await setLanguage(page, 'zh');
    assert.equal(await page.evaluate(() => window.reachlens.module._rl_select_campaign(0)), 0);
    await waitIdle(page, 30_000);
    const pre = await panel(page, 'preview');
    const audience = (await summary(page)).audience;
    assert.ok(audience >= 10_000, `the demo campaign's audience (${audience}) is too small to show 万`);
    const expectZh = audience < 1e4 ? audience.toLocaleString('en-US') : `${(audience / 1e4).toFixed(audience >= 1e5 ? 1 : 2)}万`;
    assert.equal(pre.cards.audience, expectZh);
    // Hover the audience card: the tooltip is the exact figure.
    await clickTab(page, 'overview');
    const r = (await itemRects(page)).audience;
    await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
    await waitIdle(page);
    await page.mouse.move(r.x + r.w / 2 + 1, r.y + r.h / 2);
    await waitIdle(page);
    assert.equal((await panel(page, 'preview')).card_tooltip, audience.toLocaleString('en-US'));
    await setLanguage(page, 'en');
    const expectEn = audience < 1e3 ? String(audience) : `${(audience / 1e3).toFixed(audience >= 1e5 ? 0 : audience >= 1e4 ? 1 : 2)}K`;
    assert.equal((await panel(page, 'preview')).cards.audience, expectEn);
    await setLanguage(page, 'zh');
  });

  test('the marketer\'s export starts with a BOM and has names and Chinese reasons', { timeout: 60_000 }, async () => {
    await setLanguage(page, 'zh');
    await waitIdle(page, 30_000);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }),
                                          hoverClick(page, 'table_export_report')]);
    assert.match(download.suggestedFilename(), /^触达明细-.*\.csv$/);
    const bytes = readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'no UTF-8 BOM');
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.trimEnd().split('\r\n');
    assert.equal(lines[0], '客户 ID,客户姓名,结果,原因,发送成员,成员部门');
    const sum = await summary(page);
    assert.equal(lines.length - 1, sum.audience);
    const body = lines.slice(1).join('\n');
    assert.doesNotMatch(body, /,(reached|blocked|not_friend|no_relation|quota:[a-z_]+),/, 'codes in the marketer\'s export');
    if (sum.reached > 0) assert.match(body, /,已触达,/);
    if (sum.reached < sum.audience) assert.match(body, /,未触达,[\u4e00-\u9fff]/);
    // Reached rows name their senders (the dataset's employee names) and those senders' departments.
    const employeeNames = new Set(dataset.employees.map((e) => e.name));
    const departmentNames = new Set(dataset.departments.map((d) => d.name));
    const reachedRows = lines.slice(1).map((l) => l.split(',')).filter((f) => f[2] === '已触达');
    assert.equal(reachedRows.length, sum.reached);
    for (const f of reachedRows.slice(0, 200)) {
      assert.ok(f[4], `${f[0]}: no sender named`);
      for (const n of f[4].split('；')) assert.ok(employeeNames.has(n), `${f[0]}: sender ${n} is no employee's name`);
      for (const d of f[5].split('；').filter(Boolean)) assert.ok(departmentNames.has(d), `${f[0]}: department ${d}`);
    }
    // Customer names from the dataset appear next to their ids.
    const named = dataset.customers.find((c) => c.name);
    if (named && body.includes(named.external_userid)) assert.ok(body.includes(named.name));

    // Against the CLI's verdicts for the same draft: a reached row names `via`'s employees; a
    // blocked row the selected senders the customer has (the pairs the draft tried), or, with
    // none, the employees the customer has, marked as not selected.
    const cli = cliVerdicts({ campaign: JSON.parse(await callString(page, 'rl_draft_json')).draft });
    const rows = lines.slice(1).map((l) => l.split(','));
    assert.equal(rows.length, cli.size);
    const employeeByUserid = new Map(dataset.employees.map((e) => [e.userid, e]));
    const nameOf = (u) => employeeByUserid.get(u).name || u;
    const customerById = new Map(dataset.customers.map((c) => [c.external_userid, c]));
    const selected = new Set(sum.senders.map((x) => x.userid));
    const unique = (xs) => [...new Set(xs)];
    const listed = (field) => (field ? field.split('；') : []).sort();
    let withPairs = 0, unselected = 0;
    for (const f of rows) {
      const v = cli.get(f[0]);
      assert.ok(v, `${f[0]} is not in the CLI's verdicts`);
      assert.equal(f[2] === '已触达', v.verdict === 'reached', `${f[0]}: ${f[2]} against the CLI's ${v.verdict}`);
      if (v.verdict === 'reached') {
        assert.deepEqual(listed(f[4]), unique(v.via.map(nameOf)).sort(), `${f[0]}: senders against the CLI's via`);
        continue;
      }
      const relations = customerById.get(f[0]).follow_user ?? [];
      const pairs = unique(relations.filter((r) => selected.has(r.userid)).map((r) => r.userid));
      const others = unique(relations.filter((r) => !selected.has(r.userid) && !r.deleted).map((r) => r.userid));
      const expected = pairs.length ? pairs.map(nameOf) : others.map((u) => `${nameOf(u)}（未选为发送成员）`);
      assert.deepEqual(listed(f[4]), expected.sort(), `${f[0]} (${v.reason}): the customer's senders`);
      for (const d of f[5].split('；').filter(Boolean)) assert.ok(departmentNames.has(d), `${f[0]}: department ${d}`);
      if (pairs.length) ++withPairs;
      else if (others.length) ++unselected;
    }
    if (sum.reached < sum.audience) assert.ok(withPairs + unselected > 0, 'no blocked customer names an employee');
    assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
  });
});
