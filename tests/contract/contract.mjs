// Shared pieces of the contract tests: the JSON Schemas of docs/schemas/ compiled with
// Ajv (draft 2020-12), the OpenAPI document docs/openapi.yaml, the spec's worked
// examples, and the native CLI.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import Ajv2020 from 'ajv/dist/2020.js';
import YAML from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SCHEMAS = join(ROOT, 'docs/schemas');
export const CLI = process.env.REACHLENS_CLI || join(ROOT, 'build/native/reachlens');
export const FORMATS = ['dataset', 'campaign', 'rules', 'preview', 'results', 'reconcile'];

// One Ajv holding every schema, so that cross-file $refs resolve (dataset → campaign).
export function makeAjv() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  for (const f of readdirSync(SCHEMAS).filter((x) => x.endsWith('.schema.json')).sort()) {
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')));
  }
  return ajv;
}

export const schemaId = (format) => `https://reachlens.example/schemas/${format}.schema.json`;

// validator(format)(doc) → null when valid, else a readable list of errors.
export function validators(ajv = makeAjv()) {
  const cache = {};
  return (format) => {
    const v = cache[format] ||= ajv.getSchema(schemaId(format));
    if (!v) throw new Error(`no schema for ${format}`);
    return (doc) => (v(doc) ? null : ajv.errorsText(v.errors, { separator: '\n  ' }));
  };
}

export const loadOpenApi = () => YAML.parse(readFileSync(join(ROOT, 'docs/openapi.yaml'), 'utf8'));

// The worked examples: $REACHLENS_EXAMPLES_DIR (as for the C++ tests), else the
// repository's copy, tests/spec_examples.
export function examplesDir() {
  const dir = process.env.REACHLENS_EXAMPLES_DIR || join(ROOT, 'tests/spec_examples');
  if (!existsSync(dir) || !readdirSync(dir).some((x) => /^case-/.test(x))) {
    throw new Error(`no worked examples in ${dir} (set REACHLENS_EXAMPLES_DIR)`);
  }
  return dir;
}

export const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

// Runs the CLI; returns {status, stdout, stderr}.
export function cli(args) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return r;
}
