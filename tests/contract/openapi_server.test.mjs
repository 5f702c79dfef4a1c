// serve.py's answers against docs/openapi.yaml: a real serve.py on a free port (small
// tenant, --token, --allow-origin, a small --max-body), requests that reach every
// documented status we can provoke, and each answer's status, Content-Type and body
// checked by the document's schemas. Endpoints the running serve.py does not have yet
// (404 "no such API endpoint") are reported as not covered, not failed; the document
// itself is checked whole (every schema compiles, every contract path and every error
// code of serve.py's docstring is in it).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

import { CLI, ROOT, cli } from './contract.mjs';
import { openApiChecker } from './openapi.mjs';
import { startServePy } from '../browser/helpers.mjs';

const TOKEN = 'contract-token-1';
const ALLOWED = 'http://127.0.0.1:9149';
const MAX_BODY = 200_000;
const api = openApiChecker();

// The contract's paths (docs/contract.md section 10, v1.1), relative to apiBase.
const CONTRACT_PATHS = {
  '/dataset': ['get'], '/campaigns': ['get', 'post'], '/campaigns/{id}': ['get'],
  '/media': ['post'], '/media/{id}': ['get'], '/campaigns/{id}/results': ['post', 'get'],
};

describe('docs/openapi.yaml itself', () => {
  test('every schema it names compiles (docs/schemas/ included)', () => {
    assert.ok(api.compileAll() >= 20);
  });

  test('it has every path and method of contract v1.1, with bearer auth and the Idempotency-Key header', () => {
    for (const [path, methods] of Object.entries(CONTRACT_PATHS))
      for (const m of methods) assert.ok(api.doc.paths[path]?.[m], `${m.toUpperCase()} ${path} missing`);
    assert.equal(api.doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
    const post = api.doc.paths['/campaigns'].post;
    assert.ok(post.parameters.some((p) => p.$ref === '#/components/parameters/IdempotencyKey'));
    assert.equal(api.doc.components.parameters.IdempotencyKey.required, true);
  });

  test('every error code serve.py\'s docstring lists is documented', () => {
    const source = readFileSync(join(ROOT, 'serve.py'), 'utf8');
    const doc = source.slice(source.indexOf('"""') + 3, source.indexOf('"""', source.indexOf('"""') + 3));
    const section = doc.slice(doc.indexOf('Error codes:'));
    const block = section.slice(0, section.search(/\n\* |\n\n/) > 0 ? section.search(/\n\* |\n\n/) : undefined);
    const yaml = readFileSync(join(ROOT, 'docs/openapi.yaml'), 'utf8');
    let status = null;
    let n = 0;
    for (const token of block.replace(/\([^)]*\)/g, ' ').split(/[\s,;:.]+/)) {
      if (/^\d{3}$/.test(token)) { status = token; continue; }
      if (!/^[a-z][a-z_]+$/.test(token) || !status || ['and', 'with', 'an', 'extra', 'the', 'list', 'codes'].includes(token))
        continue;
      assert.ok(yaml.includes(token), `error code ${token} (${status}) of serve.py is not in docs/openapi.yaml`);
      n++;
    }
    assert.ok(n >= 15, `only ${n} codes read from serve.py's docstring`);
  });
});

// ---------------------------------------------------------------- HTTP
let serve, base, dataDir;

function request(method, path, { headers = {}, body, auth = true } = {}) {
  return new Promise((resolve, reject) => {
    const url = new URL(base + path);
    const h = { ...headers };
    if (auth) h.Authorization = 'Bearer ' + TOKEN;
    let payload = body;
    if (body !== undefined && !Buffer.isBuffer(body)) {
      payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      h['Content-Type'] ??= 'application/json';
    }
    if (payload !== undefined) h['Content-Length'] = payload.length;
    const req = httpRequest(url, { method, headers: h }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// A POST without Content-Length or chunked encoding (node's http client always adds one).
function rawPostWithoutLength(path) {
  return new Promise((resolve, reject) => {
    const url = new URL(base + path);
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
                   `Content-Type: application/json\r\nIdempotency-Key: ${randomUUID()}\r\nConnection: close\r\n\r\n`);
    });
    const chunks = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks);
      const head = text.subarray(0, text.indexOf('\r\n\r\n')).toString('latin1');
      const headers = {};
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(head.split(' ')[1]), headers, body: text.subarray(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

const covered = [];        // "METHOD /path status"
const uncovered = [];      // endpoints this serve.py does not have
async function call(method, template, path, options) {
  const res = await request(method, path, options);
  const body = api.check(method, template, res);
  covered.push(`${method} ${template} ${res.status}`);
  return { ...res, json: body };
}
// True when the server has no such endpoint at all (not a documented 404 of a real one).
const missingEndpoint = (res) => res.status === 404 && /no such API endpoint/.test(res.body.toString('utf8'));

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'reachlens-openapi-'));
  serve = await startServePy(['--data', dataDir, '--customers', '300', '--no-build', '--cli', CLI, '--token', TOKEN,
                              '--allow-origin', ALLOWED, '--max-body', String(MAX_BODY), '--quiet']);
  base = serve.origin + '/api';
});
after(async () => {
  await serve?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('serve.py answers as docs/openapi.yaml says', () => {
  let dataset, campaign, accepted;

  test('GET /dataset: 200 (a valid reachlens.dataset/1), 304 with its ETag, 401 without the token, 405 for PUT',
       async () => {
    const r = await call('GET', '/dataset', '/dataset');
    assert.equal(r.status, 200);
    dataset = r.json;
    assert.equal((await call('GET', '/dataset', '/dataset', { headers: { 'If-None-Match': r.headers.etag } })).status, 304);
    const unauth = await call('GET', '/dataset', '/dataset', { auth: false });
    assert.equal(unauth.status, 401);
    assert.equal(unauth.json.error.code, 'unauthorized');
    assert.match(unauth.headers['www-authenticate'], /^Bearer/);
    const put = await request('PUT', '/dataset', { body: {} });
    assert.equal(put.status, 405);
    assert.equal(api.check('GET', '/dataset', { ...put, status: 405 }).error.code, 'method_not_allowed');
  });

  test('POST /campaigns: 201, the replay, and each documented error', async () => {
    // A submittable mass send of serve.py's tenant (checked with the CLI first).
    const dsPath = join(dataDir, 'served-dataset.json');
    writeFileSync(dsPath, JSON.stringify(dataset));
    const dir = join(dataDir, 'demo', 'campaigns');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
      const c = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      if (c.format !== 'reachlens.campaign/1') continue;
      const r = cli(['preview', '--dataset', dsPath, '--campaign', join(dir, f), '--preset', 'wecom-2020']);
      if (r.status === 0 && JSON.parse(r.stdout).submittable) { campaign = c; break; }
    }
    assert.ok(campaign, 'no submittable campaign in serve.py\'s tenant');
    const body = { campaign, rules: 'wecom-2020' };
    // What the module sends is what the document's request schema describes.
    assert.ok(api.requestSchema('POST', '/campaigns')(body), 'the request body does not match SubmitRequest');
    const key = randomUUID();
    const post = (b, headers = {}) => call('POST', '/campaigns', '/campaigns',
                                           { body: b, headers: { 'Idempotency-Key': key, ...headers } });
    const first = await post(body);
    assert.equal(first.status, 201);
    accepted = first.json.id;
    const again = await post(body);
    assert.equal(again.status, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.json, first.json);

    const codeOf = async (promise, status) => {
      const r = await promise;
      assert.equal(r.status, status, r.body.toString('utf8'));
      return r.json.error.code;
    };
    assert.equal(await codeOf(post({ ...body, rules: 'wecom-2021' }), 409), 'idempotency_key_reused');
    assert.equal(await codeOf(call('POST', '/campaigns', '/campaigns', { body }), 400), 'missing_idempotency_key');
    assert.equal(await codeOf(call('POST', '/campaigns', '/campaigns',
                                   { body, headers: { 'Idempotency-Key': 'bad key!' } }), 400), 'invalid_idempotency_key');
    const fresh = () => ({ 'Idempotency-Key': randomUUID() });
    assert.equal(await codeOf(call('POST', '/campaigns', '/campaigns', { body: '{"campaign": ', headers: fresh() }), 400),
                 'invalid_json');
    assert.equal(await codeOf(call('POST', '/campaigns', '/campaigns', { body: [1], headers: fresh() }), 400), 'invalid_body');
    assert.equal(await codeOf(call('POST', '/campaigns', '/campaigns',
                                   { body: { campaign: { ...campaign, id: 7 } }, headers: fresh() }), 400), 'invalid_campaign');
    assert.equal(await codeOf(call('POST', '/campaigns', '/campaigns',
                                   { body: { campaign, rules: 'no such preset!' }, headers: fresh() }), 400), 'invalid_rules');
    const past = { ...campaign, id: campaign.id + '-past', send_time: dataset.now - 86400 };
    const r422 = await call('POST', '/campaigns', '/campaigns', { body: { campaign: past }, headers: fresh() });
    assert.equal(r422.status, 422);
    assert.equal(r422.json.error.code, 'not_submittable');
    assert.ok(r422.json.error.errors.some((e) => e.code === 'campaign.send_time_past'));
    assert.equal(await codeOf(call('POST', '/campaigns', '/campaigns', { body, headers: { ...fresh(), Origin: 'http://evil.example' } }),
                              403), 'origin_not_allowed');
    const big = { campaign: { ...campaign, id: 'big', content: { text: 'x'.repeat(MAX_BODY) } } };
    assert.equal(await codeOf(call('POST', '/campaigns', '/campaigns', { body: big, headers: fresh() }), 413), 'body_too_large');
    const noLength = await rawPostWithoutLength('/campaigns');
    api.check('POST', '/campaigns', noLength);
    assert.equal(noLength.status, 411);
    covered.push('POST /campaigns 411');
  });

  test('POST /campaigns: another key with an accepted campaign id is 409 campaign_exists (where implemented)',
       async (t) => {
    const r = await call('POST', '/campaigns', '/campaigns',
                         { body: { campaign, rules: 'wecom-2020' }, headers: { 'Idempotency-Key': randomUUID() } });
    if (r.status === 201) {
      uncovered.push('POST /campaigns 409 campaign_exists (this serve.py accepts the campaign id twice)');
      t.diagnostic('this serve.py has no campaign_exists yet: the second acceptance was validated as a 201');
      return;
    }
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'campaign_exists');
    assert.equal(r.json.error.id, accepted);
  });

  test('POST /campaigns with a non-JSON Content-Type: 415 (where implemented), else the documented answer',
       async (t) => {
    const r = await call('POST', '/campaigns', '/campaigns',
                         { body: JSON.stringify({ campaign }), headers: { 'Content-Type': 'text/plain', 'Idempotency-Key': randomUUID() } });
    if (r.status === 415) assert.equal(r.json.error.code, 'unsupported_media_type');
    else { uncovered.push('POST /campaigns 415'); t.diagnostic(`this serve.py answers ${r.status} to text/plain`); }
  });

  test('GET /campaigns and GET /campaigns/{id}: 200 with the stored record, 404 for an unknown id', async () => {
    const list = await call('GET', '/campaigns', '/campaigns');
    assert.equal(list.status, 200);
    assert.ok(list.json.campaigns.some((c) => c.id === accepted));
    const one = await call('GET', '/campaigns/{id}', `/campaigns/${accepted}`);
    assert.equal(one.status, 200);
    assert.equal(one.json.campaign.id, campaign.id);
    assert.equal(one.json.summary.submittable, true);
    const none = await call('GET', '/campaigns/{id}', '/campaigns/cmp_000000000000');
    assert.equal(none.status, 404);
    assert.equal(none.json.error.code, 'not_found');
  });

  test('POST /media and GET /media/{id} (where implemented)', async (t) => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
    const res = await request('POST', '/media', { body: png,
                                                  headers: { 'Content-Type': 'image/png', 'X-Filename': encodeURIComponent('海报 💄.png') } });
    if (missingEndpoint(res)) { uncovered.push('POST /media', 'GET /media/{id}'); t.diagnostic('no /media in this serve.py'); return; }
    const up = api.check('POST', '/media', res);
    covered.push(`POST /media ${res.status}`);
    assert.equal(res.status, 201);
    assert.equal(up.media.bytes, png.length);
    assert.equal(up.media.name, '海报 💄.png');
    const again = await call('POST', '/media', '/media', { body: png, headers: { 'Content-Type': 'image/png', 'X-Filename': 'b.png' } });
    assert.equal(again.json.media.id, up.media.id, 'content-addressed: the same bytes give the same id');
    const got = await call('GET', '/media/{id}', `/media/${up.media.id}`);
    assert.equal(got.status, 200);
    assert.ok(got.body.equals(png));
    assert.equal((await call('GET', '/media/{id}', '/media/' + 'f'.repeat(64))).status, 404);
    const lie = await call('POST', '/media', '/media', { body: Buffer.from('not a png at all'),
                                                         headers: { 'Content-Type': 'image/png', 'X-Filename': 'x.png' } });
    assert.equal(lie.status, 400);
  });

  test('POST and GET /campaigns/{id}/results (where implemented)', async (t) => {
    const results = { format: 'reachlens.results/1', campaign_id: campaign.id, responses: [] };
    const res = await request('POST', `/campaigns/${accepted}/results`, { body: results });
    if (missingEndpoint(res)) {
      uncovered.push('POST /campaigns/{id}/results', 'GET /campaigns/{id}/results');
      t.diagnostic('no /campaigns/{id}/results in this serve.py');
      return;
    }
    api.check('POST', '/campaigns/{id}/results', res);
    covered.push(`POST /campaigns/{id}/results ${res.status}`);
    assert.ok(res.status === 200 || res.status === 201, res.body.toString('utf8'));
    const back = await call('GET', '/campaigns/{id}/results', `/campaigns/${accepted}/results`);
    assert.equal(back.status, 200);
    assert.deepEqual(back.json, results);
  });

  test('coverage', (t) => {
    t.diagnostic('validated: ' + [...new Set(covered)].sort().join('; '));
    if (uncovered.length) t.diagnostic('not in this serve.py: ' + uncovered.join('; '));
    for (const must of ['GET /dataset 200', 'POST /campaigns 201', 'GET /campaigns 200', 'GET /campaigns/{id} 200'])
      assert.ok(covered.includes(must), `${must} was not validated`);
  });
});
