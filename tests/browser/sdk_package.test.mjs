// The SDK as an integrator gets it: web/embed/ packed with `npm pack` (its prepack builds
// dist/), installed from the tarball into a scratch TypeScript project, a small host
// type-checked with `tsc --noEmit` (the repository's pinned typescript), then compiled
// and run in Chromium against the real module on another origin. Also the ways `ready`
// rejects: a wrong src, a server that never answers, another protocol version, this
// page's CSP, destroy() while waiting.
//   module  moduleServer  build/wasm/web (+ a fake module speaking protocol 2)
//   host    hostServer    the scratch project (node_modules/@reachlens/embed from the tarball)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CLI, DEMO, ROOT, haveBuild, launchBrowser, screenshot, startServer } from './helpers.mjs';

if (!haveBuild()) throw new Error('build/wasm/web is incomplete: run scripts/build_web.sh first');

const PKG_SRC = join(ROOT, 'web/embed');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const manifest = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8'));
const CAMPAIGN_FILE = join(DEMO, manifest.campaigns[0]);
const CAMPAIGN = JSON.parse(readFileSync(CAMPAIGN_FILE, 'utf8'));
const PRESET = 'wecom-2025';
const withoutWarnings = (s) => { const { warnings, ...rest } = s; return rest; };

// The integrator's host, in TypeScript: every call typed by index.d.ts.
const HOST_TS = `
import { mount, ReachLensError, MIN_WIDTH, MIN_HEIGHT, protocol } from '@reachlens/embed';
import type { Campaign, Summary, ResizeMessage, ReachLensEmbed, ReadyErrorCode, MountOptions } from '@reachlens/embed';

export interface HostRun {
  summary?: Summary; reached?: number; resizes: ResizeMessage[]; previews: number; onceCalls: number;
  offCalls: number; frameHeight?: string; error?: { code: string; message: string }; min: [number, number];
  protocol: number;
}

declare global { interface Window { runHost(options: MountOptions & { campaign: Campaign }): Promise<HostRun>;
                                    rejection(options: MountOptions, destroyEarly?: boolean): Promise<HostRun>;
                                    rl?: ReachLensEmbed; } }

window.runHost = async (options) => {
  const run: HostRun = { resizes: [], previews: 0, onceCalls: 0, offCalls: 0, min: [MIN_WIDTH, MIN_HEIGHT], protocol };
  const rl = mount('#slot', { ...options, sizing: 'content', maxHeight: 4000 });
  window.rl = rl;
  rl.on('reachlens.resize', (m) => { run.resizes.push(m); });
  rl.on('reachlens.preview', (m) => { run.previews++; run.reached = m.summary.reached; });
  rl.once('reachlens.preview', () => { run.onceCalls++; });
  const counted = () => { run.offCalls++; };
  rl.on('reachlens.preview', counted);
  rl.off('reachlens.preview', counted);
  try {
    const ready = await rl.ready;
    if (ready.protocol !== 1) throw new Error('protocol');
    run.summary = await rl.requestPreview(60_000);
    await new Promise((ok) => setTimeout(ok, 1500));   // a few more previews and the resize poll
    run.frameHeight = rl.iframe.style.height;
  } catch (e) {
    if (e instanceof ReachLensError) run.error = { code: e.code, message: e.message };
    else throw e;
  }
  return run;
};

window.rejection = async (options, destroyEarly = false) => {
  const run: HostRun = { resizes: [], previews: 0, onceCalls: 0, offCalls: 0, min: [MIN_WIDTH, MIN_HEIGHT], protocol };
  const rl = mount('#slot', options);
  window.rl = rl;
  const preview = rl.requestPreview(30_000).then(
    () => null, (e: unknown) => (e instanceof ReachLensError ? e.code : 'not a ReachLensError'));
  if (destroyEarly) rl.destroy();
  try {
    await rl.ready;
  } catch (e) {
    if (!(e instanceof ReachLensError)) throw e;
    const code: ReadyErrorCode | string = e.code;
    run.error = { code, message: e.message };
  }
  const previewCode = await preview;
  return { ...run, previewCode, status: rl.status, inDom: !!rl.iframe.parentNode } as HostRun;
};
`;

// Types that must NOT compile: if index.d.ts were loose (any), these would pass and tsc
// would report the unused @ts-expect-error.
const MISUSE_TS = `
import { mount } from '@reachlens/embed';
const rl = mount('#slot', { src: '/index.html' });
// @ts-expect-error: summaries have no such field
rl.on('reachlens.preview', (m) => m.summary.reachedd);
// @ts-expect-error: unknown event type
rl.on('reachlens.previews', () => {});
// @ts-expect-error: sizing is "fill" or "content"
mount('#slot', { sizing: 'auto' });
// @ts-expect-error: locale is zh-CN or en
rl.setConfig({ locale: 'fr' });
// @ts-expect-error: a campaign needs id, kind and origin
rl.setCampaign({ format: 'reachlens.campaign/1' });
// @ts-expect-error: kind is moment, mass_send or group_send
rl.setCampaign({ id: 'x', kind: 'sms', origin: 'enterprise' });
// @ts-expect-error: requestPreview resolves with a Summary
rl.requestPreview().then((s) => s.senders[0].pairss);
// @ts-expect-error: resize heights are numbers
rl.on('reachlens.resize', (m) => m.height.toUpperCase());
rl.on('reachlens.submitted', (m) => m.response.status === 'accepted' && m.campaign_id.length);
rl.on('reachlens.error', (m) => m.code === 'no_preview' || m.message.length);
`;

// The classic script's global, typed by @reachlens/embed/global.
const CLASSIC_TS = `
/// <reference types="@reachlens/embed/global" />
const handle = window.ReachLens.mount(document.body, { src: '/index.html', preset: 'wecom-2021' });
handle.ready.then((r) => r.version.toUpperCase());
export {};
`;

const TSCONFIG = {
  compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true,
                     lib: ['es2022', 'dom'], outDir: 'out', skipLibCheck: false, types: [] },
  include: ['src/*.ts'],
};

let scratch, packInfo, moduleServer, hostServer, silentServer, browser;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'reachlens-sdk-'));
  // Pack a copy: prepack (build.mjs) writes beside its copy, never into the repository.
  const pkgDir = join(scratch, 'src-copy', 'embed');
  mkdirSync(pkgDir, { recursive: true });
  for (const f of ['package.json', 'build.mjs', 'index.d.ts', 'global.d.ts', 'README.md', 'src'])
    cpSync(join(PKG_SRC, f), join(pkgDir, f), { recursive: true });
  const packDir = join(scratch, 'packed');
  mkdirSync(packDir);
  [packInfo] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', packDir],
                                       { cwd: pkgDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  const project = join(scratch, 'host-project');
  mkdirSync(join(project, 'src'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'saas-admin', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(packDir, packInfo.filename)],
               { cwd: project, stdio: ['ignore', 'ignore', 'pipe'] });
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  writeFileSync(join(project, 'src/host.ts'), HOST_TS);
  writeFileSync(join(project, 'src/misuse.ts'), MISUSE_TS);
  writeFileSync(join(project, 'src/classic.ts'), CLASSIC_TS);

  const FAKE_V2 = `<!doctype html><meta charset="utf-8"><script>
    var host = new URLSearchParams(location.search).get('host');
    parent.postMessage({ type: 'reachlens.resize', height: 700, min_width: 800, min_height: 600 }, host);
    setTimeout(function () { parent.postMessage({ type: 'reachlens.ready', version: '9.0.0', protocol: 2 }, host); }, 50);
    window.addEventListener('message', function (e) { parent.postMessage({ type: 'reachlens.error', code: 'unexpected',
      message: 'the SDK posted ' + (e.data && e.data.type) }, host); });
  </script>`;
  // Ready (protocol 1), then silent: answers no preview request.
  const FAKE_SILENT = `<!doctype html><meta charset="utf-8"><script>
    var host = new URLSearchParams(location.search).get('host');
    parent.postMessage({ type: 'reachlens.ready', version: '0.0.1', protocol: 1 }, host);
  </script>`;
  const HOST_HTML = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
    <script type="importmap">{"imports": {"@reachlens/embed": "/node_modules/@reachlens/embed/dist/reachlens-embed.mjs"}}</script>
    </head><body style="margin:0"><div id="slot" style="width:1100px"></div>
    <script type="module" src="/out/host.js"></script></body></html>`;
  hostServer = await startServer(project, { routes: {
    '/host.html': { body: HOST_HTML },
    // This admin's CSP lets frames come only from itself: the module's origin is not allowed.
    '/strict.html': { body: HOST_HTML, headers: { 'Content-Security-Policy': "frame-src 'self'" } },
  } });
  // The module's server lists the host among the origins that may embed it (the module
  // reads reachlens-embed.json before it accepts ?host=, when its server has an allowlist).
  moduleServer = await startServer(undefined, { routes: {
    '/fake-v2.html': { body: FAKE_V2 },
    '/fake-silent.html': { body: FAKE_SILENT },
    '/reachlens-embed.json': { body: JSON.stringify({ allow_embed: [hostServer.origin] }), type: 'application/json' },
  } });
  // Accepts connections and never answers (a hung upstream).
  silentServer = createServer(() => {});
  await new Promise((ok) => silentServer.listen(0, '127.0.0.1', ok));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  silentServer?.closeAllConnections?.();
  await Promise.all([moduleServer?.close(), hostServer?.close(), new Promise((ok) => (silentServer ? silentServer.close(ok) : ok()))]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('@reachlens/embed as a package', () => {
  test('web/embed.js is the classic build of web/embed/src/core.js', async () => {
    const { classic } = await import(join(PKG_SRC, 'build.mjs'));
    assert.equal(readFileSync(join(ROOT, 'web/embed.js'), 'utf8'), classic,
                 'web/embed.js is stale: run node web/embed/build.mjs');
  });

  test('npm pack: the tarball holds the two builds, the types and the readme, nothing else', (t) => {
    const files = packInfo.files.map((f) => f.path).sort();
    assert.deepEqual(files, ['README.md', 'dist/reachlens-embed.js', 'dist/reachlens-embed.mjs', 'global.d.ts',
                             'index.d.ts', 'package.json']);
    assert.equal(packInfo.name, '@reachlens/embed');
    t.diagnostic(`${packInfo.filename}: ${packInfo.size} bytes packed, ${packInfo.unpackedSize} bytes unpacked, ` +
                 `${files.length} files`);
  });

  test('tsc --noEmit type-checks the host against the installed tarball (misuse is a type error)', () => {
    const project = join(scratch, 'host-project');
    try {
      execFileSync(process.execPath, [TSC, '--noEmit', '-p', project], { cwd: project, encoding: 'utf8' });
    } catch (e) {
      assert.fail(`tsc --noEmit failed:\n${e.stdout}${e.stderr}`);
    }
    // The same project with one misuse left unmarked must fail: the types are not any.
    const broken = join(scratch, 'broken-project');
    cpSync(project, broken, { recursive: true });
    writeFileSync(join(broken, 'src/misuse.ts'), MISUSE_TS.replace('// @ts-expect-error: summaries have no such field\n', ''));
    let out = '';
    try {
      execFileSync(process.execPath, [TSC, '--noEmit', '-p', broken], { cwd: broken, encoding: 'utf8' });
    } catch (e) { out = e.stdout; }
    assert.match(out, /Property 'reachedd' does not exist on type 'Summary'/);
    // Compile for the browser (checked above).
    execFileSync(process.execPath, [TSC, '-p', project, '--noCheck'], { cwd: project });
  });
});

describe('the TypeScript host drives the module in Chromium', () => {
  let context, page;
  const errors = [];
  before(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });
  after(async () => { await context?.close(); });

  const open = async (path = 'host.html') => {
    await page.goto(hostServer.url + path);
    await page.waitForFunction(() => typeof window.runHost === 'function', null, { timeout: 10_000 });
  };

  test('ready, requestPreview equal to the CLI, events with once/off, content sizing from reachlens.resize',
       { timeout: 180_000 }, async (t) => {
    await open();
    const run = await page.evaluate(([src, campaign, preset, datasetUrl]) => window.runHost({
      src, campaign, preset, datasetUrl, locale: 'zh-CN',
    }), [moduleServer.url + 'index.html', CAMPAIGN, PRESET, moduleServer.url + 'data/demo/dataset.json']);
    assert.equal(run.error, undefined, JSON.stringify(run.error));
    const want = JSON.parse(execFileSync(CLI, ['preview', '--dataset', join(DEMO, 'dataset.json'), '--campaign',
                                               CAMPAIGN_FILE, '--preset', PRESET], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    assert.deepEqual(withoutWarnings(run.summary), withoutWarnings(want));
    assert.equal(run.reached, want.reached);
    assert.ok(run.previews >= 2, `${run.previews} previews`);
    assert.equal(run.onceCalls, 1, 'once() handler ran more than once or never');
    assert.equal(run.offCalls, 0, 'off() did not remove the handler');
    assert.deepEqual(run.min, [800, 600]);
    assert.equal(run.protocol, 1);
    // The module announced its page at once, then its preferred height once drawn; the
    // frame follows it (never under the minimum).
    assert.ok(run.resizes.length >= 2, JSON.stringify(run.resizes));
    assert.deepEqual(run.resizes[0], { type: 'reachlens.resize', height: 600, min_width: 800, min_height: 600 });
    assert.ok(run.resizes.slice(1).every((m) => m.height >= 600), JSON.stringify(run.resizes));
    // The frame settles at the module's own measure (the height at which the composer
    // column needs no scrolling), which the SDK heard last and gave the frame.
    const frame = page.frames().find((f) => f.url().startsWith(moduleServer.origin));
    let settled;
    for (let i = 0; i < 50; i++) {
      const preferred = JSON.parse(await frame.evaluate(() => window.reachlens.callString('rl_state_json'))).preferred_height;
      const sdk = await page.evaluate(() => ({ heard: window.rl.size().height, style: window.rl.iframe.style.height,
                                               box: window.rl.iframe.getBoundingClientRect().height }));
      settled = { preferred, ...sdk };
      if (sdk.heard === Math.max(600, preferred) && sdk.style === `${sdk.heard}px` && Math.round(sdk.box) === sdk.heard) break;
      await new Promise((ok) => setTimeout(ok, 200));
    }
    assert.equal(settled.heard, Math.max(600, settled.preferred), JSON.stringify(settled));
    assert.equal(settled.style, `${settled.heard}px`);
    assert.equal(Math.round(settled.box), settled.heard);
    t.diagnostic(`preferred height at a 1100 px wide frame: ${settled.preferred} px`);
    await screenshot(page, 'sdk-host-content-sizing.png');
    assert.deepEqual(errors, []);
  });

  test('a page that is not the module: ready rejects with load_failed', { timeout: 60_000 }, async () => {
    await open();
    const run = await page.evaluate((src) => window.rejection({ src, handshakeTimeout: 1500, readyTimeout: 30_000 }),
                                    moduleServer.url + 'no-such-page.html');
    assert.equal(run.error?.code, 'load_failed', JSON.stringify(run));
    assert.match(run.error.message, /no-such-page\.html/);
    assert.equal(run.previewCode, 'load_failed', 'a preview asked before ready rejects with the same code');
    assert.equal(run.status, 'failed');
  });

  test('a server that never answers: ready rejects with timeout', { timeout: 60_000 }, async () => {
    await open();
    const { port } = silentServer.address();
    // A short handshake: were a load event fired for the frame's initial about:blank, this
    // would be load_failed after 1 s.
    const run = await page.evaluate((src) => window.rejection({ src, handshakeTimeout: 1000, readyTimeout: 4000 }),
                                    `http://127.0.0.1:${port}/index.html`);
    assert.equal(run.error?.code, 'timeout', JSON.stringify(run));
    assert.equal(run.previewCode, 'timeout');
  });

  test('a module speaking another protocol: protocol_mismatch, and nothing is posted to it', { timeout: 60_000 },
       async () => {
    await open();
    const run = await page.evaluate((src) => {
      const posted = [];
      return window.rejection({ src, preset: 'wecom-2020', campaign: undefined, onPost: (m) => posted.push(m.type) })
        .then((r) => new Promise((ok) => setTimeout(() => ok({ ...r, posted, heard: window.rl.size() }), 300)));
    }, moduleServer.url + 'fake-v2.html');
    assert.equal(run.error?.code, 'protocol_mismatch', JSON.stringify(run));
    assert.match(run.error.message, /protocol 2/);
    assert.equal(run.previewCode, 'protocol_mismatch');
    assert.deepEqual(run.posted, []);
  });

  test('a ready module that does not answer: requestPreview rejects with timeout; the state was sent on ready',
       { timeout: 60_000 }, async () => {
    await open();
    const got = await page.evaluate(async (src) => {
      const posted = [];
      const mod = await import('@reachlens/embed');
      const rl = mod.mount('#slot', { src, preset: 'wecom-2021', locale: 'en', datasetUrl: false,
                                      onPost: (m) => posted.push(m) });
      await rl.ready;
      const started = performance.now();
      const code = await rl.requestPreview(500).then(() => 'resolved', (e) => e.code);
      const waited = performance.now() - started;
      rl.destroy();
      return { code, waited, posted };
    }, moduleServer.url + 'fake-silent.html');
    assert.equal(got.code, 'timeout');
    assert.ok(got.waited >= 450, `rejected after ${got.waited} ms`);
    assert.deepEqual(got.posted.map((m) => m.type), ['reachlens.config', 'reachlens.rules', 'reachlens.preview']);
    assert.deepEqual(got.posted[0], { type: 'reachlens.config', locale: 'en' });
    assert.deepEqual(got.posted[1], { type: 'reachlens.rules', preset: 'wecom-2021' });
  });

  test('this page\'s CSP blocks the frame: ready rejects with refused', { timeout: 60_000 }, async () => {
    await open('strict.html');
    const run = await page.evaluate((src) => window.rejection({ src, handshakeTimeout: 3000, readyTimeout: 30_000 }),
                                    moduleServer.url + 'index.html');
    assert.equal(run.error?.code, 'refused', JSON.stringify(run));
    assert.match(run.error.message, /frame-src/);
  });

  test('destroy() while waiting: ready and a pending preview reject with destroyed, the frame is gone',
       { timeout: 60_000 }, async () => {
    await open();
    const run = await page.evaluate((src) => window.rejection({ src }, true), moduleServer.url + 'index.html');
    assert.equal(run.error?.code, 'destroyed', JSON.stringify(run));
    assert.equal(run.previewCode, 'destroyed');
    assert.equal(run.status, 'destroyed');
    assert.equal(run.inDom, false);
  });
});
