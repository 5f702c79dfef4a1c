// Shared pieces of the browser tests: a static server for build/wasm/web, Debian's
// Chromium through playwright-core, and calls into the page's exported C API.
import { createServer } from 'node:http';
import { deflateSync } from 'node:zlib';
import { readFile, stat, mkdir } from 'node:fs/promises';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB = join(ROOT, 'build/wasm/web');
export const SCREENSHOTS = join(ROOT, 'build/screenshots');
export const CLI = join(ROOT, 'build/native/reachlens');
export const DEMO = join(WEB, 'data/demo');
// The preset the app starts with (src/ui/workspace.h kDefaultPreset).
export const APP_PRESET = 'wecom-2025';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json; charset=utf-8', '.otf': 'font/otf', '.ttf': 'font/ttf',
  '.css': 'text/css; charset=utf-8', '.png': 'image/png',
};

// Serves `dir` on 127.0.0.1 at a free port. Returns {url, origin, close}. `routes`:
// extra generated files, {'/path': {body, type, headers}} (served before `dir`).
export async function startServer(dir = WEB, { routes = {} } = {}) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const route = routes[path];
      if (route) {
        const body = Buffer.from(route.body);
        res.writeHead(200, { 'Content-Type': route.type || 'text/html; charset=utf-8', 'Content-Length': body.length,
                             'Cache-Control': 'no-cache', ...route.headers });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      let file = normalize(join(root, path));
      if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
      if (path.endsWith('/')) file = join(file, 'index.html');
      const st = await stat(file);
      if (!st.isFile()) { res.writeHead(404).end(); return; }
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] || 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, origin: `http://127.0.0.1:${port}`,
           close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }) };
}

// Starts `python3 serve.py --port 0 ARGS...` from the repository root and waits for its
// "listening on" line. Returns {origin, log, stop()}; serve.py's output is in `log`.
export async function startServePy(args, { timeout = 90_000 } = {}) {
  const proc = spawn('python3', ['serve.py', '--port', '0', ...args],
                     { cwd: ROOT, env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  const log = [];
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve.py did not start:\n' + log.join(''))), timeout);
    const onData = (d) => {
      log.push(String(d));
      const m = log.join('').match(/listening on (http:\/\/[^/\s]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve.py exited ${code}:\n${log.join('')}`)); });
  });
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((ok) => proc.once('exit', ok));
    proc.kill('SIGTERM');
    await exited;
  };
  return { origin, log, stop };
}

// serve.py on a fresh data folder with a small generated tenant (300 customers): its
// dataset text and its campaigns; find(kind, origin) gives the first of that kind and origin.
export async function startServedTenant(prefix) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const serve = await startServePy(['--data', dataDir, '--customers', '300', '--no-build']);
  const datasetText = await (await fetch(serve.origin + '/api/dataset')).text();
  const dir = join(dataDir, 'demo', 'campaigns');
  const campaigns = readdirSync(dir).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return {
    serve, dataDir, datasetText, campaigns,
    find: (kind, origin) => campaigns.find((c) => c.kind === kind && c.origin === origin),
    stop: async () => { await serve.stop(); rmSync(dataDir, { recursive: true, force: true }); },
  };
}

// Waits until the page has answered submission number `attempts` (rl_state_json's submit).
export async function waitSubmitAnswer(page, attempts) {
  await page.waitForFunction((n) => {
    const s = JSON.parse(window.reachlens.callString('rl_state_json')).submit;
    return s.attempts >= n && s.answered && !s.in_flight;
  }, attempts, { timeout: 90_000, polling: 50 });
  await waitIdle(page);
  return (await state(page)).submit;
}

// 提交 → the confirmation → 确认提交; returns the answered submit state.
export async function submitAndConfirm(page) {
  const attempts = (await state(page)).submit.attempts;
  await clickItem(page, 'submit');
  if (!(await state(page)).submit.dialog_open) throw new Error('the confirmation did not open');
  await clickItem(page, 'submit_confirm');
  return waitSubmitAnswer(page, attempts + 1);
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.REACHLENS_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
           '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// Opens the app and waits for window.reachlens.ready (first frame with a preview drawn).
export async function openApp(browser, url, { dpr = 1, width = 1280, height = 800, log = [], permissions = [] } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: dpr, permissions });
  const page = await context.newPage();
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.reachlens && (window.reachlens.ready || window.reachlens.error), null,
                             { timeout: 90_000 });
  const error = await page.evaluate(() => window.reachlens.error);
  if (error) throw new Error(`the app showed an error: ${error}\n${log.join('\n')}`);
  return { context, page };
}

// Calls an exported C function through web/platform.js (strings in, malloc'd strings out).
export const call = (page, name, arg) => page.evaluate(([n, a]) => window.reachlens.call(n, a), [name, arg]);
export const callString = (page, name, arg) =>
  page.evaluate(([n, a]) => window.reachlens.callString(n, a), [name, arg]);
export const lastError = (page) => page.evaluate(() => window.reachlens.module.UTF8ToString(window.reachlens.module._rl_last_error()));
export const frames = (page) => page.evaluate(() => window.reachlens.frames());
export const state = async (page) => JSON.parse(await callString(page, 'rl_state_json'));
export const summary = async (page) => JSON.parse(await callString(page, 'rl_summary_json'));
export const draftText = (page) => callString(page, 'rl_draft_text');
// Widgets by test name (src/ui/test_hooks.h): the app records them only while a test asks
// (rl_record_items). The first call in a page switches recording on and waits for a frame
// drawn with it. `page` may be a frame (the embedded app).
export const itemRects = async (page) => JSON.parse(await page.evaluate(async () => {
  const r = window.reachlens;
  const start = r.frames();
  if (!r.module._rl_record_items(1)) {
    const deadline = Date.now() + 10_000;
    while (r.frames() <= start && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 10));
  }
  return r.callString('rl_item_rects');
}));

// Passes bytes (a UTF-8 string) as (ptr, len) to an exported function, returns its int result.
export const callBytes = (page, name, text) => page.evaluate(([n, t]) => {
  const M = window.reachlens.module;
  const bytes = new TextEncoder().encode(t);
  const ptr = M._malloc(Math.max(1, bytes.length));
  M.HEAPU8.set(bytes, ptr);
  try { return M['_' + n](ptr, bytes.length); } finally { M._free(ptr); }
}, [name, text]);

// Waits until the frame counter passes `count` (it moves only after events).
export async function waitFramesAbove(page, count, timeout = 10_000) {
  await page.waitForFunction((c) => window.reachlens.frames() > c, count, { timeout });
}

// Waits until the app has handled what happened: no frames wanted any more (events
// processed, ImGui's input queue empty, no recompute pending).
export async function waitIdle(page, timeout = 10_000) {
  await page.waitForFunction(() => !JSON.parse(window.reachlens.callString('rl_state_json')).busy, null,
                             { timeout, polling: 20 });
}


// Clicks tracked item `name` and waits until the app has handled it. `timeout`: how long
// the app may take to settle (a loaded machine can take a second per dpr-2 frame).
export async function clickItem(page, name, { timeout = 10_000 } = {}) {
  const rects = await itemRects(page);
  const r = rects[name];
  if (!r) throw new Error(`no tracked item "${name}" (have: ${Object.keys(rects).join(', ')})`);
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
  await waitIdle(page, timeout);
  return r;
}

// Hovers, then clicks: some ImGui items (tabs, table headers, overlapping items) react to
// a press only on an item hovered in the frame before, as with a real pointer.
export async function hoverClick(page, name, { timeout = 10_000 } = {}) {
  const r = (await itemRects(page))[name];
  if (!r) throw new Error(`no tracked item "${name}"`);
  await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
  await waitIdle(page, timeout);
  return clickItem(page, name, { timeout });
}

// Selects a tab of the dashboard (tracked as "tab:<id>") with the pointer.
export async function clickTab(page, id, { timeout = 10_000 } = {}) {
  await hoverClick(page, `tab:${id}`, { timeout });
  await page.waitForFunction((t) => JSON.parse(window.reachlens.callString('rl_state_json')).tabs?.includes(t), id,
                             { timeout: 5_000 });
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, name);
  const png = await page.screenshot({ path });
  return { path, png };
}

// A PNG's RGBA pixels, decoded by the browser: {width, height, data (Uint8Array)}.
export async function pngPixels(page, png) {
  const { width, height, b64 } = await page.evaluate(async (src) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + src;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let bin = '';
    for (let i = 0; i < d.length; i += 0x8000) bin += String.fromCharCode(...d.subarray(i, i + 0x8000));
    return { width: c.width, height: c.height, b64: btoa(bin) };
  }, png.toString('base64'));
  return { width, height, data: new Uint8Array(Buffer.from(b64, 'base64')) };
}

// Distinct colours and the share of the most common one in a PNG.
export async function colourStats(page, png) {
  const { width, height, data } = await pngPixels(page, png);
  const counts = new Map();
  for (let i = 0; i < data.length; i += 4) {
    const k = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  let top = 0;
  for (const v of counts.values()) top = Math.max(top, v);
  return { width, height, distinct: counts.size, topShare: top / (data.length / 4) };
}

export function haveBuild() {
  return existsSync(join(WEB, 'reachlens.wasm')) && existsSync(join(WEB, 'index.html')) &&
         existsSync(join(DEMO, 'index.json')) && existsSync(CLI);
}

// ---------------------------------------------------------------- a tiny PNG encoder
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
// An RGB PNG; colourAt(x, y) -> [r, g, b].
export function png(width, height, colourAt) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;  // filter: none
    for (let x = 0; x < width; x++) raw.set(colourAt(x, y), y * (width * 3 + 1) + 1 + x * 3);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), pngChunk('IHDR', ihdr),
                        pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

// ---------------------------------------------------------------- media picking
export const mediaPanel = async (page) => JSON.parse(await callString(page, 'rl_panel_json', 'media'));

// Opens the picker the way the composer's button does, then hands the input a file
// ({name, mimeType, buffer}). Returns the media panel once the file was added or refused.
// `kind`: false (an image), true (a video) or 'file' (a file attachment, any type).
export async function pickFile(page, kind, file, { timeout = 30_000 } = {}) {
  const before = await mediaPanel(page);
  const msgtype = kind === 'file' ? 'file' : kind ? 'video' : 'image';
  // A browser opens a file chooser only after a user gesture (a real button click gives
  // one): a key press, then the page's <input type=file> click, caught by Playwright.
  await page.keyboard.press('Shift');
  const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
  await page.evaluate((v) => window.reachlens.module._rl_media_pick(v), { image: 0, video: 1, file: 2 }[msgtype]);
  const fc = await chooser;
  const accept = (await fc.element().getAttribute('accept')) ?? '';
  const want = { image: 'image/*', video: 'video/*', file: '' }[msgtype];
  if (fc.isMultiple() || accept !== want) throw new Error(`the picker takes one ${msgtype} (accept=${accept})`);
  if (!(await mediaPanel(page)).picking) throw new Error('the media panel does not say the picker is open');
  await fc.setFiles(file);
  await page.waitForFunction(([a, f]) => {
    const m = JSON.parse(window.reachlens.callString('rl_panel_json', 'media'));
    return m.added > a || m.failures > f;
  }, [before.added, before.failures], { timeout });
  await waitIdle(page, timeout);
  return mediaPanel(page);
}

// A short WebM recorded by the browser from a canvas (base64), or null when this
// Chromium has no MediaRecorder/encoder.
export function recordWebm(page) {
  return page.evaluate(async () => {
    if (typeof MediaRecorder === 'undefined') return null;
    const c = document.createElement('canvas');
    c.width = 160; c.height = 90;
    const g = c.getContext('2d');
    const stream = c.captureStream(30);
    let rec;
    try { rec = new MediaRecorder(stream, { mimeType: 'video/webm' }); } catch { return null; }
    const parts = [];
    rec.ondataavailable = (e) => parts.push(e.data);
    let frame = 0;
    const timer = setInterval(() => { g.fillStyle = frame++ % 2 ? '#1e90ff' : '#1c86ee'; g.fillRect(0, 0, 160, 90); }, 30);
    rec.start();
    await new Promise((ok) => setTimeout(ok, 1200));
    await new Promise((ok) => { rec.onstop = ok; rec.stop(); });
    clearInterval(timer);
    const bytes = new Uint8Array(await new Blob(parts, { type: 'video/webm' }).arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return bytes.length ? btoa(bin) : null;
  });
}

// The native CLI's verdicts (`reachlens preview --verdicts`) for a campaign (JSON text) on a
// dataset (a file path, or a JSON object written to a temporary file), under the app's preset:
// a Map external_userid -> {verdict, reason, via: [userid]}.
export function cliVerdicts({ datasetPath, dataset, campaignJson }) {
  const dir = mkdtempSync(join(tmpdir(), 'reachlens-verdicts-'));
  try {
    if (!datasetPath) {
      datasetPath = join(dir, 'dataset.json');
      writeFileSync(datasetPath, JSON.stringify(dataset));
    }
    writeFileSync(join(dir, 'campaign.json'), campaignJson);
    execFileSync(CLI, ['preview', '--dataset', datasetPath, '--campaign', join(dir, 'campaign.json'),
                       '--preset', APP_PRESET, '--verdicts', join(dir, 'v.csv')], { encoding: 'utf8' });
    const rows = new Map();
    for (const line of readFileSync(join(dir, 'v.csv'), 'utf8').trimEnd().split('\n').slice(1)) {
      const [id, verdict, reason, via] = line.split(',');
      rows.set(id, { verdict, reason, via: via ? via.split(';') : [] });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
