// docs/openapi.yaml as validators: compiles the document's schemas (components and
// docs/schemas/*.json, which it references as ./schemas/<name>.schema.json) with Ajv and
// checks a real HTTP answer against the operation's documented responses.
import assert from 'node:assert/strict';
import { loadOpenApi, makeAjv, schemaId } from './contract.mjs';

const BUNDLE_ID = 'https://reachlens.example/openapi.json';

// './schemas/x.schema.json#/...' → the schema's $id; '#/components/schemas/X' → the bundle.
function rewriteRefs(node) {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') {
      let m;
      if ((m = v.match(/^\.\/schemas\/([a-z]+)\.schema\.json(#.*)?$/))) out[k] = schemaId(m[1]) + (m[2] || '');
      else if ((m = v.match(/^#\/components\/schemas\/(.+)$/))) out[k] = `${BUNDLE_ID}#/$defs/${m[1]}`;
      else throw new Error(`unexpected $ref ${v}`);
    } else {
      out[k] = rewriteRefs(v);
    }
  }
  return out;
}

// '#/components/<section>/<name>' inside the document.
export function resolveLocal(doc, node) {
  let guard = 0;
  while (node && typeof node.$ref === 'string' && node.$ref.startsWith('#/components/') && !('schema' in node)) {
    node = node.$ref.slice(2).split('/').reduce((o, k) => o?.[k], doc);
    assert.ok(node, 'dangling $ref');
    assert.ok(++guard < 10, 'a $ref cycle');
  }
  return node;
}

export function openApiChecker() {
  const doc = loadOpenApi();
  const ajv = makeAjv();
  ajv.addSchema({ $id: BUNDLE_ID, $defs: rewriteRefs(doc.components.schemas) });
  const compiled = new Map();
  const schemaOf = (s) => {
    const key = JSON.stringify(s);
    if (!compiled.has(key)) compiled.set(key, ajv.compile(rewriteRefs(s)));
    return compiled.get(key);
  };

  // Asserts that (method, template path, status, content type, body) is documented and
  // the body validates. Returns the parsed JSON body (or null).
  function check(method, template, res) {
    const op = doc.paths[template]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${template} is not in docs/openapi.yaml`);
    const response = resolveLocal(doc, op.responses[String(res.status)]);
    assert.ok(response, `${method} ${template} answered ${res.status}, which docs/openapi.yaml does not list ` +
                        `(${Object.keys(op.responses).join(', ')}): ${res.body.toString('utf8').slice(0, 300)}`);
    if (!response.content) {
      assert.equal(res.body.length, 0, `${method} ${template} ${res.status} has a body the document does not describe`);
      return null;
    }
    const type = String(res.headers['content-type'] || '').split(';')[0].trim();
    const media = response.content[type] || response.content['*/*'];
    assert.ok(media, `${method} ${template} ${res.status}: Content-Type ${type} is not documented ` +
                     `(${Object.keys(response.content).join(', ')})`);
    if (type !== 'application/json') return null;
    const body = JSON.parse(res.body.toString('utf8'));
    const validate = schemaOf(media.schema);
    assert.ok(validate(body), `${method} ${template} ${res.status}: the body does not match docs/openapi.yaml:\n  ` +
              ajv.errorsText(validate.errors, { separator: '\n  ' }) + '\n  ' + JSON.stringify(body).slice(0, 400));
    return body;
  }

  // Every schema of every operation compiles (dangling refs, typos in keywords).
  function compileAll() {
    let n = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters') continue;
        const contents = [];
        if (op.requestBody) contents.push(op.requestBody.content);
        for (const r of Object.values(op.responses)) contents.push(resolveLocal(doc, r).content);
        for (const c of contents.filter(Boolean)) {
          for (const m of Object.values(c)) { schemaOf(m.schema); n++; }
        }
        assert.ok(Object.keys(op.responses).length > 0, `${method} ${path} has no responses`);
      }
    }
    return n;
  }

  const requestSchema = (method, template) =>
    schemaOf(doc.paths[template][method.toLowerCase()].requestBody.content['application/json'].schema);

  return { doc, check, compileAll, requestSchema, ajv };
}
