// The JSON Schemas of docs/schemas/ against what the project reads and writes:
//   - every worked example of the contract (dataset, campaign, rules, expected summary);
//   - the generator's output (reachlens generate: dataset, demo campaigns) and the
//     shipped rules presets (assets/rules/);
//   - the CLI's outputs (reachlens preview summaries of examples and generated campaigns);
//   - a table of broken documents (a required field dropped, a type changed): the engine
//     rejects each (exit 2) and so does the schema.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CLI, ROOT, cli, examplesDir, readJson, validators } from './contract.mjs';

const validate = validators();
const valid = (format, doc, what) => {
  const errors = validate(format)(doc);
  assert.equal(errors, null, `${what} does not validate as ${format}:\n  ${errors}`);
};

const EXAMPLES = examplesDir();
const cases = readdirSync(EXAMPLES).filter((d) => /^(case|invalid)-/.test(d)).sort();
const FILES = { 'dataset.json': 'dataset', 'campaign.json': 'campaign', 'rules.json': 'rules',
                'expected-summary.json': 'preview' };

let scratch;
before(() => { scratch = mkdtempSync(join(tmpdir(), 'reachlens-schemas-')); });
after(() => { if (scratch) rmSync(scratch, { recursive: true, force: true }); });

const previewArgs = (dir, campaign = join(dir, 'campaign.json')) => {
  const args = ['preview', '--dataset', join(dir, 'dataset.json'), '--campaign', campaign];
  if (existsSync(join(dir, 'rules.json'))) args.push('--rules', join(dir, 'rules.json'));
  return args;
};

describe('worked examples validate', () => {
  test(`every example file (${cases.length} cases)`, () => {
    let n = 0;
    for (const c of cases) {
      for (const [file, format] of Object.entries(FILES)) {
        const path = join(EXAMPLES, c, file);
        if (!existsSync(path)) continue;
        if (c.startsWith('invalid-') && file === 'dataset.json') continue;  // may be the broken one: below
        valid(format, readJson(path), `${c}/${file}`);
        n++;
      }
    }
    assert.ok(n >= cases.length * 2, `only ${n} files checked`);
  });

  test('the CLI\'s summary of every valid example validates as reachlens.preview/1', () => {
    for (const c of cases.filter((x) => x.startsWith('case-'))) {
      const r = cli(previewArgs(join(EXAMPLES, c)));
      assert.equal(r.status, 0, `${c}: ${r.stderr}`);
      valid('preview', JSON.parse(r.stdout), `reachlens preview of ${c}`);
    }
  });
});

describe('the generator\'s output and the shipped presets validate', () => {
  let out;
  before(() => {
    out = join(scratch, 'tenant');
    const r = cli(['generate', '--customers', '400', '--seed', '11', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
  });

  test('dataset, campaigns and results files of reachlens generate', () => {
    valid('dataset', readJson(join(out, 'dataset.json')), 'generated dataset.json');
    const campaigns = readdirSync(join(out, 'campaigns')).filter((f) => f.endsWith('.json'));
    assert.ok(campaigns.length > 0, 'the generator wrote no campaigns');
    for (const f of campaigns) {
      const doc = readJson(join(out, 'campaigns', f));
      // The generator may write WeCom results beside the campaigns (contract section 7).
      valid(doc.format === 'reachlens.results/1' ? 'results' : 'campaign', doc, `generated campaigns/${f}`);
    }
    if (existsSync(join(out, 'results'))) {
      for (const f of readdirSync(join(out, 'results')).filter((x) => x.endsWith('.json')))
        valid('results', readJson(join(out, 'results', f)), `generated results/${f}`);
    }
  });

  test('the CLI\'s summary of every generated campaign validates', () => {
    for (const f of readdirSync(join(out, 'campaigns')).filter((x) => x.endsWith('.json'))) {
      const path = join(out, 'campaigns', f);
      if (readJson(path).format !== 'reachlens.campaign/1') continue;
      for (const preset of ['wecom-2020', 'wecom-2025']) {
        const r = cli(['preview', '--dataset', join(out, 'dataset.json'), '--campaign', path, '--preset', preset]);
        assert.equal(r.status, 0, `${f}: ${r.stderr}`);
        valid('preview', JSON.parse(r.stdout), `reachlens preview of ${f} (${preset})`);
      }
    }
  });

  test('reachlens reconcile of every generated results file validates as reachlens.reconcile/1 (once the CLI has it)',
       (t) => {
    const usage = cli(['--help']);
    if (!/reconcile/.test(usage.stdout + usage.stderr)) { t.diagnostic('this CLI has no reconcile command yet'); return; }
    const files = [];
    const walk = (d) => { for (const f of readdirSync(d, { withFileTypes: true })) {
      if (f.isDirectory()) walk(join(d, f.name));
      else if (f.name.endsWith('.json')) files.push(join(d, f.name));
    } };
    walk(out);
    const results = files.map((f) => [f, readJson(f)]).filter(([, d]) => d.format === 'reachlens.results/1');
    const campaigns = new Map(files.map((f) => [f, readJson(f)]).filter(([, d]) => d.format === 'reachlens.campaign/1')
                                   .map(([f, d]) => [d.id, f]));
    let n = 0;
    for (const [f, doc] of results) {
      valid('results', doc, f);
      const campaign = campaigns.get(doc.campaign_id);
      if (!campaign) continue;
      const r = cli(['reconcile', '--dataset', join(out, 'dataset.json'), '--campaign', campaign, '--results', f]);
      assert.equal(r.status, 0, `${f}: ${r.stderr}`);
      valid('reconcile', JSON.parse(r.stdout), `reachlens reconcile of ${f}`);
      n++;
    }
    t.diagnostic(`${results.length} results files, ${n} reconciled`);
  });

  test('assets/rules presets validate as reachlens.rules/1', () => {
    const dir = join(ROOT, 'assets/rules');
    const presets = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.ok(presets.length >= 3);
    for (const f of presets) valid('rules', readJson(join(dir, f)), `assets/rules/${f}`);
  });
});

describe('results and reconcile documents as the contract writes them (section 7)', () => {
  const results = {
    format: 'reachlens.results/1', campaign_id: 'spring',
    responses: [
      { api: 'externalcontact/get_groupmsg_send_result', request: { msgid: 'm1', userid: 'li' },
        body: { errcode: 0, errmsg: 'ok', detail_list: [{ external_userid: 'wm1', userid: 'li', status: 1, send_time: 1700000000 },
                                                       { external_userid: 'wm2', userid: 'li', status: 3 }] } },
      { api: 'externalcontact/get_moment_task', request: { moment_id: 'mo1' },
        body: { errcode: 0, task_list: [{ userid: 'li', publish_status: 0 }] } },
      { api: 'externalcontact/get_moment_send_result', request: { moment_id: 'mo1', userid: 'li' },
        body: { errcode: 0, customer_list: [{ external_userid: 'wm1' }] } },
      { api: 'externalcontact/some_future_api', request: {}, body: { errcode: 0 } },
    ],
  };
  const reconcile = {
    format: 'reachlens.reconcile/1', campaign_id: 'spring', audience: 3,
    matrix: { reached: { delivered: 1 }, 'quota:mass_send_any_month': { failed_quota: 1 }, not_friend: { unknown: 1 } },
    agree: 2, disagree: 0, accuracy: 1,
    senders: [{ userid: 'li', tasks: 2, executed: 2, execution_rate: 1 }],
    rules_fit: [{ rules: 'wecom-2025', accuracy: 1 }, { rules: 'wecom-2020', accuracy: 0.5 }],
  };

  test('a results document with each WeCom answer validates; a wrong status, a missing body do not', () => {
    valid('results', results, 'the results example');
    const badStatus = structuredClone(results);
    badStatus.responses[0].body.detail_list[0].status = 5;
    assert.notEqual(validate('results')(badStatus), null);
    const noBody = structuredClone(results);
    delete noBody.responses[1].body;
    assert.notEqual(validate('results')(noBody), null);
  });

  test('a reconcile document validates; an unknown outcome or an accuracy over 1 does not', () => {
    valid('reconcile', reconcile, 'the reconcile example');
    assert.notEqual(validate('reconcile')({ ...reconcile, matrix: { reached: { seen: 1 } } }), null);
    assert.notEqual(validate('reconcile')({ ...reconcile, accuracy: 1.5 }), null);
  });
});

describe('customer-group sends (contract section 8) in the schemas', () => {
  const base = () => readJson(join(EXAMPLES, cases.find((c) => c.startsWith('case-')), 'dataset.json'));
  const withGroups = () => {
    const d = base();
    const owner = d.employees[0].userid;
    d.groupchats = [{ chat_id: 'wrOgQhDgAA', name: '门店VIP群', owner, status: 0, create_time: d.now - 86400,
                      members: [{ type: 1, userid: owner, join_time: d.now - 86400 },
                                { type: 2, external_userid: d.customers[0].external_userid, join_time: d.now - 3600 },
                                { type: 2, external_userid: 'wm-not-a-customer', join_time: d.now - 60 }] }];
    d.deliveries.push({ campaign_id: 'g1', kind: 'group_send', origin: 'enterprise', chat_id: 'wrOgQhDgAA',
                        userid: owner, time: d.now - 100 });
    return d;
  };

  test('a dataset with groupchats and group deliveries validates', () => valid('dataset', withGroups(), 'groups'));

  test('a member without the id its type needs, a group delivery with external_userid, a bad status are rejected', () => {
    const a = withGroups(); delete a.groupchats[0].members[1].external_userid;
    const b = withGroups(); b.deliveries.at(-1).external_userid = a.customers[0].external_userid;
    const c = withGroups(); c.deliveries[0].chat_id = 'wrOgQhDgAA';
    const d = withGroups(); d.groupchats[0].status = 4;
    const e = withGroups(); delete e.groupchats[0].owner;
    for (const [what, doc] of Object.entries({ a, b, c, d, e }))
      assert.notEqual(validate('dataset')(doc), null, `case ${what} validates`);
  });

  test('a group send campaign and per:"group" rules validate', () => {
    valid('campaign', { format: 'reachlens.campaign/1', id: 'g2', kind: 'group_send', origin: 'enterprise',
                        audience: { chat_list: ['wrOgQhDgAA'] }, content: { text: '群发' } }, 'group send');
    valid('rules', { ...readJson(join(ROOT, 'assets/rules/wecom-2025.json')),
                     quotas: [{ id: 'group_send_any_month', kind: 'group_send', origin: 'any', count: 'days_in_month',
                                window: 'month', per: 'group' }] }, 'group rules');
  });
});

// ---------------------------------------------------------------- broken documents
// [document, what, edit]: edit(doc) breaks a copy of the first valid example's document.
const at = (doc, path) => path.reduce((o, k) => o[k], doc);
const drop = (...path) => (doc) => { delete at(doc, path.slice(0, -1))[path.at(-1)]; };
const set = (value, ...path) => (doc) => { at(doc, path.slice(0, -1))[path.at(-1)] = value; };
const firstWith = (list, pred) => { const i = list.findIndex(pred); assert.ok(i >= 0, 'no element to break'); return i; };
const relation = (edit) => (doc) => {
  const c = firstWith(doc.customers, (x) => x.follow_user.length > 0);
  edit(doc.customers[c].follow_user[0]);
};

const MUTATIONS = [
  ['dataset', 'no format', drop('format')],
  ['dataset', 'another format', set('reachlens.dataset/2', 'format')],
  ['dataset', 'no enterprise', drop('enterprise')],
  ['dataset', 'no now', drop('now')],
  ['dataset', 'now a string', set('1746867988', 'now')],
  ['dataset', 'now fractional', set(1746867988.5, 'now')],
  ['dataset', 'no corp_name', drop('enterprise', 'corp_name')],
  ['dataset', 'unknown industry', set('mining', 'enterprise', 'industry')],
  ['dataset', 'verified a string', set('yes', 'enterprise', 'verified')],
  ['dataset', 'tz_offset_minutes a string', set('480', 'enterprise', 'tz_offset_minutes')],
  ['dataset', 'department without parentid', drop('departments', 0, 'parentid')],
  ['dataset', 'department id a string', set('1', 'departments', 0, 'id')],
  ['dataset', 'employee without status', drop('employees', 0, 'status')],
  ['dataset', 'employee status unknown', set('left', 'employees', 0, 'status')],
  ['dataset', 'moments_enabled a number', set(1, 'employees', 0, 'moments_enabled')],
  ['dataset', 'employee department not a list', set(23, 'employees', 0, 'department')],
  ['dataset', 'tag group without tags', drop('tag_groups', 0, 'tags')],
  ['dataset', 'tag without name', drop('tag_groups', 0, 'tags', 0, 'name')],
  ['dataset', 'customer without follow_user', drop('customers', 0, 'follow_user')],
  ['dataset', 'customer without attributes', drop('customers', 0, 'attributes')],
  ['dataset', 'gender 3', set(3, 'customers', 0, 'gender')],
  ['dataset', 'attribute null', set({ level: null }, 'customers', 0, 'attributes')],
  ['dataset', 'attribute a list', set({ level: [1] }, 'customers', 0, 'attributes')],
  ['dataset', 'relation without deleted', relation((r) => { delete r.deleted; })],
  ['dataset', 'relation createtime a string', relation((r) => { r.createtime = 'yesterday'; })],
  ['dataset', 'relation tag_id a string', relation((r) => { r.tag_id = 'et1'; })],
  ['dataset', 'relation last_chat_time a bool', relation((r) => { r.last_chat_time = true; })],
  ['dataset', 'delivery without time', drop('deliveries', 0, 'time')],
  ['dataset', 'delivery kind unknown', set('sms', 'deliveries', 0, 'kind')],
  ['dataset', 'delivery without external_userid', drop('deliveries', 0, 'external_userid')],
  ['dataset', 'not_interested without userid',
   (d) => { d.not_interested = [{ external_userid: d.customers[0].external_userid, time: d.now }]; }],
  ['dataset', 'scheduled campaign without send_time', drop('scheduled', 0, 'send_time')],
  ['dataset', 'scheduled campaign without kind', drop('scheduled', 0, 'kind')],
  ['dataset', 'attribute_meta without a type', set({ level: { name: '等级' } }, 'attribute_meta')],
  ['dataset', 'attribute_meta type unknown', set({ level: { name: '等级', type: 'date' } }, 'attribute_meta')],
  ['dataset', 'attribute_meta enum without values', set({ level: { name: '等级', type: 'enum' } }, 'attribute_meta')],
  ['dataset', 'attribute_meta values on a number', set({ level: { name: '等级', type: 'number', values: [1] } }, 'attribute_meta')],
  ['dataset', 'attribute_meta value a bool', set({ level: { name: '等级', type: 'enum', values: [true] } }, 'attribute_meta')],
  ['campaign', 'no format', drop('format')],
  ['campaign', 'no id', drop('id')],
  ['campaign', 'id a number', set(7, 'id')],
  ['campaign', 'kind unknown', set('sms', 'kind')],
  ['campaign', 'no origin', drop('origin')],
  ['campaign', 'send_time a string', set('tomorrow', 'send_time')],
  ['campaign', 'user_list a string', set({ user_list: 'wu66' }, 'senders')],
  ['campaign', 'department_list of strings', set({ department_list: ['1'] }, 'senders')],
  ['campaign', 'text a number', set({ text: 42 }, 'content')],
  ['campaign', 'attachment msgtype unknown', set({ attachments: [{ msgtype: 'audio', audio: {} }] }, 'content')],
  ['campaign', 'attachment without its body', set({ attachments: [{ msgtype: 'image' }] }, 'content')],
  ['campaign', 'attachment without msgtype', set({ attachments: [{ image: { name: 'a.png' } }] }, 'content')],
  ['campaign', 'image bytes a string',
   set({ attachments: [{ msgtype: 'file', file: { name: 'a.pdf', bytes: '12' } }] }, 'content')],
  ['campaign', 'filter with two operators', set({ filter: { tags_any: [], owner: [] } }, 'audience')],
  ['campaign', 'filter with no operator', set({ filter: {} }, 'audience')],
  ['campaign', 'attr without op', set({ filter: { attr: 'level', value: 1 } }, 'audience')],
  ['campaign', 'attr without value', set({ filter: { attr: 'level', op: 'gt' } }, 'audience')],
  ['campaign', 'attr op unknown', set({ filter: { attr: 'level', op: 'near', value: 1 } }, 'audience')],
  ['campaign', 'attr in without a list', set({ filter: { attr: 'level', op: 'in', value: 1 } }, 'audience')],
  ['campaign', 'received without min', set({ filter: { received: { kind: 'any', within_days: 7 } } }, 'audience')],
  ['campaign', 'gender a string', set({ filter: { gender: '1' } }, 'audience')],
  ['campaign', 'not_interested_active a number', set({ filter: { not_interested_active: 1 } }, 'audience')],
  ['rules', 'no format', drop('format')],
  ['rules', 'no quotas', drop('quotas')],
  ['rules', 'no policies', drop('policies')],
  ['rules', 'no multi_sender', drop('multi_sender')],
  ['rules', 'no moments_require_verified', drop('moments_require_verified')],
  ['rules', 'not_interested_hours a string', set('168', 'not_interested_hours')],
  ['rules', 'quota without per', drop('quotas', 0, 'per')],
  ['rules', 'quota count a word', set('many', 'quotas', 0, 'count')],
  ['rules', 'rolling_days without days', (r) => { r.quotas[0].window = 'rolling_days'; delete r.quotas[0].days; }],
  ['rules', 'multi_sender unknown', set('random', 'multi_sender', 'moment')],
  ['rules', 'multi_sender without mass_send', drop('multi_sender', 'mass_send')],
  ['rules', 'content limit a string', set({ moment: { text_max_chars: '2000' } }, 'content')],
];

describe('documents the engine rejects for a type or a missing field are rejected by the schemas', () => {
  // The example whose three documents are broken in turn (the others stay valid).
  const base = cases.find((c) => c.startsWith('case-') && existsSync(join(EXAMPLES, c, 'rules.json')) &&
                                 readJson(join(EXAMPLES, c, 'dataset.json')).deliveries?.length &&
                                 readJson(join(EXAMPLES, c, 'dataset.json')).scheduled?.length);

  test(`the unbroken documents are accepted by both (${base})`, () => {
    const dir = join(EXAMPLES, base);
    assert.equal(cli(previewArgs(dir)).status, 0);
    for (const f of ['dataset', 'campaign', 'rules']) valid(f, readJson(join(dir, `${f}.json`)), `${base}/${f}.json`);
  });

  for (const [format, what, edit] of MUTATIONS) {
    test(`${format}: ${what}`, () => {
      const dir = join(EXAMPLES, base);
      const doc = readJson(join(dir, `${format}.json`));
      edit(doc);
      const path = join(scratch, `${format}.json`);
      writeFileSync(path, JSON.stringify(doc));
      const files = { dataset: join(dir, 'dataset.json'), campaign: join(dir, 'campaign.json'),
                      rules: join(dir, 'rules.json'), [format]: path };
      const r = cli(['preview', '--dataset', files.dataset, '--campaign', files.campaign, '--rules', files.rules]);
      assert.equal(r.status, 2, `the engine accepted it (exit ${r.status}): ${r.stderr}`);
      assert.notEqual(validate(format)(doc), null, `the schema accepts what the engine rejects: ${r.stderr.trim()}`);
    });
  }

  test('invalid-* examples: the engine rejects each; a type or missing-field defect is rejected by a schema too',
       (t) => {
    for (const c of cases.filter((x) => x.startsWith('invalid-'))) {
      const dir = join(EXAMPLES, c);
      const reason = readFileSync(join(dir, 'expected-error.txt'), 'utf8').trim();
      assert.equal(cli(previewArgs(dir)).status, 2, `${c}: the engine accepted it`);
      const rejected = ['dataset', 'campaign', 'rules'].filter((f) => existsSync(join(dir, `${f}.json`)))
        .filter((f) => validate(f)(readJson(join(dir, `${f}.json`))) !== null);
      if (/^(missing|type|wrong_type|invalid_type|format|unknown_enum)/.test(reason)) {
        assert.ok(rejected.length > 0, `${c} (${reason}): every document validates`);
      } else {
        // Duplicates, unknown references, cycles: JSON Schema cannot say them (docs/schemas/*.json).
        t.diagnostic(`${c}: ${reason}: not a schema matter (schemas rejected: ${rejected.join(', ') || 'none'})`);
      }
    }
  });
});

if (!existsSync(CLI)) throw new Error(`no CLI at ${CLI}: build build/native first`);
