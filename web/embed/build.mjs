// Builds the SDK from its one source (src/core.js), Node standard library only:
//   dist/reachlens-embed.mjs   ES module: export { mount, ReachLensError, ... }, default ReachLens
//   dist/reachlens-embed.js    classic script: sets window.ReachLens
//   ../embed.js                the classic build again, where the module's server serves it
//                              (/embed.js: web/host-demo.html and hosts without a bundler)
// `node build.mjs --check` writes nothing and fails when ../embed.js is not what the
// source builds to (run by tests/contract/sdk_package.test.mjs).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8'));
const core = readFileSync(join(HERE, 'src/core.js'), 'utf8').replace('__SDK_VERSION__', pkg.version);
const indented = core.replace(/^(?=.)/gm, '  ');
const banner = (kind) =>
  `/*! ${pkg.name} ${pkg.version} (${kind}) — generated from web/embed/src/core.js by web/embed/build.mjs; ` +
  'edit the source, not this file. */\n';

export const classic = banner('classic script: window.ReachLens') +
  `(function (global) {\n  'use strict';\n${indented}\n  global.ReachLens = ReachLens;\n})(window);\n`;

export const esm = banner('ES module') +
  `const ReachLens = (function (global) {\n  'use strict';\n${indented}\n  return ReachLens;\n})(globalThis);\n` +
  'export const mount = ReachLens.mount;\n' +
  'export const ReachLensError = ReachLens.ReachLensError;\n' +
  'export const version = ReachLens.version;\n' +
  'export const protocol = ReachLens.protocol;\n' +
  'export const MIN_WIDTH = ReachLens.MIN_WIDTH;\n' +
  'export const MIN_HEIGHT = ReachLens.MIN_HEIGHT;\n' +
  'export default ReachLens;\n';

const LEGACY = join(HERE, '..', 'embed.js');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const have = readFileSync(LEGACY, 'utf8');
    if (have !== classic) {
      console.error('web/embed.js is not the build of web/embed/src/core.js: run node web/embed/build.mjs');
      process.exit(1);
    }
  } else {
    mkdirSync(join(HERE, 'dist'), { recursive: true });
    writeFileSync(join(HERE, 'dist/reachlens-embed.mjs'), esm);
    writeFileSync(join(HERE, 'dist/reachlens-embed.js'), classic);
    writeFileSync(LEGACY, classic);
  }
}
