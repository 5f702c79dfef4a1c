// ReachLens loader: fetches the module, the font and the demo tenant with a real
// progress bar (streamed fetch, Content-Length), then starts the Emscripten module
// (reachlens.js) with the wasm bytes already in hand, hands it the font, the
// campaign files and the dataset, and removes the loading screen once the first
// frame with data is drawn (window.reachlens.ready).
//
// URL parameters: ?data=<folder with index.json> (default data/demo/); ?data=none
// starts without a tenant. Embedded (web/host.js found a ?host= origin) the default is
// no tenant: the host's reachlens.load brings the dataset, and the bundled demo is not
// fetched at all (a host's marketers never see another tenant's customers).
//
// Single-file build (scripts/build_single_html.py): window.ReachLensBundle holds the
// font, the tenant and the module's JS (wasm inside), so nothing is fetched — the page
// works from file:// where Chromium refuses fetch() of relative files.
(function () {
  'use strict';

  const P = window.ReachLensPlatform;
  const bundle = window.ReachLensBundle || null;
  const params = new URLSearchParams(location.search);
  const dataParam = params.get('data');
  const embedded = !!(window.ReachLensHost && window.ReachLensHost.origin);
  const dataDefault = embedded ? null : 'data/demo/';
  const dataBase = dataParam === 'none' ? null : dataParam ? dataParam.replace(/\/?$/, '/') : dataDefault;

  const bar = document.getElementById('rl-progress');
  const barFill = bar.firstElementChild;
  const statusText = document.getElementById('rl-progress-text');
  const pctText = document.getElementById('rl-progress-pct');
  const filesText = document.getElementById('rl-progress-files');

  function fail(message) {
    P.showError(message);
    throw new Error(message);
  }
  window.addEventListener('error', (e) => {
    if (!window.reachlens.ready && e.message) P.showError(e.message + (e.filename ? '\n' + e.filename + ':' + e.lineno : ''));
  });
  window.addEventListener('unhandledrejection', (e) => {
    const r = e.reason;
    if (r && r.reachlensShown) return;
    P.showError('ReachLens: ' + (r && r.stack ? r.stack : r));
  });

  // ---------------------------------------------------------------- progress
  const downloads = [];
  function mb(n) { return (n / 1048576).toFixed(n < 10485760 ? 1 : 0); }
  function renderProgress() {
    let loaded = 0, total = 0, known = true;
    for (const d of downloads) {
      loaded += d.loaded;
      if (d.total > 0) total += Math.max(d.total, d.loaded); else known = false;
    }
    if (known && total > 0) {
      const pct = Math.min(100, (100 * loaded) / total);
      bar.classList.remove('indeterminate');
      barFill.style.width = pct.toFixed(1) + '%';
      pctText.textContent = pct.toFixed(0) + '%';
    } else {
      bar.classList.add('indeterminate');
      pctText.textContent = mb(loaded) + ' MB';
    }
    statusText.textContent = '正在下载 Downloading… ' + mb(loaded) + (known ? ' / ' + mb(total) : '') + ' MB';
    filesText.textContent = downloads.filter((d) => !d.done).map((d) => d.label).join(' · ');
  }
  function setStatus(text) {
    statusText.textContent = text;
    filesText.textContent = '';
  }

  // Sizes written by scripts/build_web.sh (files.json): the total when the server
  // compresses and Content-Length is not the number of bytes fetch() delivers.
  let knownSizes = {};

  // Fetches url as an ArrayBuffer, counting bytes as they arrive; `asChunks`: as the chunks
  // it arrived in, {chunks, size} (the dataset: handed to web/data.js as they are, no copy).
  async function fetchBytes(url, label, optional, asChunks = false) {
    const d = { label, loaded: 0, total: knownSizes[url] || 0, done: false };
    downloads.push(d);
    let response;
    try {
      response = await fetch(url, { cache: 'no-cache' });
    } catch (e) {
      d.done = true;
      if (optional) return null;
      fail('无法下载 Cannot download ' + url + ': ' + e.message);
    }
    if (!response.ok) {
      d.done = true;
      if (optional) return null;
      fail('无法下载 Cannot download ' + url + ': HTTP ' + response.status + ' ' + response.statusText);
    }
    // With Content-Encoding the length is the compressed size: not comparable to the bytes we read.
    const length = Number(response.headers.get('Content-Length') || 0);
    const encoded = response.headers.get('Content-Encoding');
    d.total = encoded && encoded !== 'identity' ? (knownSizes[url] || 0) : (length || knownSizes[url] || 0);
    renderProgress();
    if (!response.body || !response.body.getReader) {
      const buf = await response.arrayBuffer();
      d.loaded = buf.byteLength; d.total = buf.byteLength; d.done = true;
      renderProgress();
      return asChunks ? { chunks: [buf], size: buf.byteLength } : buf;
    }
    const reader = response.body.getReader();
    const chunks = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      d.loaded += value.byteLength;
      renderProgress();
    }
    d.done = true;
    d.total = d.loaded;
    renderProgress();
    if (asChunks) return { chunks, size: d.loaded };
    const out = new Uint8Array(d.loaded);
    let off = 0;
    for (const c of chunks) { out.set(c, off); off += c.byteLength; }
    return out.buffer;
  }

  // The single-file build's assets, decoded from the page itself.
  function fromBase64(b64) {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; ++i) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  const utf8Bytes = (text) => new TextEncoder().encode(text).buffer;
  function bundledAssets() {
    return {
      wasm: null,  // inside the module's JS (-sSINGLE_FILE)
      font: bundle.font ? fromBase64(bundle.font) : null,
      dataset: bundle.dataset ? { name: 'dataset.json', chunks: [utf8Bytes(bundle.dataset)] } : null,
      campaigns: (bundle.campaigns || []).map((c) => ({ name: c.name, bytes: utf8Bytes(c.text) })),
    };
  }

  async function fetchedAssets() {
    // Two tiny files first: the sizes of everything (for the progress bar) and the
    // tenant's manifest, which names the dataset and campaign files.
    try {
      const r = await fetch('files.json', { cache: 'no-cache' });
      if (r.ok) knownSizes = await r.json();
    } catch (e) { /* optional */ }
    let manifest = null;
    if (dataBase) {
      try {
        const r = await fetch(dataBase + 'index.json', { cache: 'no-cache' });
        if (r.ok) manifest = await r.json();
      } catch (e) { /* no tenant: the dashboard starts empty */ }
    }
    const wasmP = fetchBytes('reachlens.wasm', 'reachlens.wasm', false);
    const fontP = fetchBytes('fonts/reachlens-sc.otf', 'fonts/reachlens-sc.otf', true);
    let dataP = Promise.resolve(null);
    if (manifest && manifest.dataset) {
      // The dataset worker starts meanwhile: the tenant is parsed there, off this thread.
      if (window.ReachLensData) window.ReachLensData.prepareWorker();
      dataP = fetchBytes(dataBase + manifest.dataset, manifest.dataset, false, true)
        .then((got) => Object.assign(got, { name: manifest.dataset }));
    }
    const campaignsP = Promise.all(((manifest && manifest.campaigns) || []).map(async (name) => ({
      name: name.replace(/^.*\//, ''),
      bytes: await fetchBytes(dataBase + name, name, true),
    })));
    const [wasm, font, dataset, campaigns] = await Promise.all([wasmP, fontP, dataP, campaignsP]);
    return { wasm, font, dataset, campaigns };
  }

  // ---------------------------------------------------------------- module
  function copyToHeap(Module, bytes) {
    const u8 = new Uint8Array(bytes);
    const ptr = Module._malloc(Math.max(1, u8.byteLength)) >>> 0;
    if (!ptr) fail('out of memory copying ' + u8.byteLength + ' bytes into WebAssembly');
    Module.HEAPU8.set(u8, ptr);  // HEAPU8 read after _malloc: memory growth replaces the view
    return ptr;
  }

  function nextPaint() {
    return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }

  async function start() {
    const canvas = document.getElementById('canvas');
    P.install(canvas, document.getElementById('rl-text-input'));
    if (typeof WebAssembly !== 'object') fail('这个浏览器不支持 WebAssembly。This browser has no WebAssembly.');

    const { wasm, font, dataset, campaigns } = bundle ? bundledAssets() : await fetchedAssets();
    if (!font) console.warn('[reachlens] font not found: Chinese text will not render');
    setStatus('正在启动 Starting…');
    bar.classList.remove('indeterminate');
    barFill.style.width = '100%';

    const Module = window.Module = {
      canvas,
      noExitRuntime: true,
      print: (t) => console.log(t),
      printErr: (t) => console.warn(t),
      onAbort: (what) => P.showError('WebAssembly 已中止 aborted: ' + what),
      locateFile: (path) => path,
      onRuntimeInitialized() {
        // Before main(): the font must be there when ImGui's atlas is created.
        P.attach(Module);
        if (font) Module._rl_set_font(copyToHeap(Module, font), font.byteLength);  // C++ owns (frees) it
        const utf8 = new TextEncoder();
        for (const c of campaigns) {
          if (!c.bytes) continue;
          const ptr = copyToHeap(Module, c.bytes);
          const name = utf8.encode(c.name + '\0');
          const namePtr = copyToHeap(Module, name);
          Module._rl_add_demo_campaign(namePtr, ptr, c.bytes.byteLength);
          Module._free(ptr);
          Module._free(namePtr);
        }
      },
      postRun: [async () => {
        // After main(): the loop runs. The tenant loads as any other (web/data.js: parsed in
        // the dataset worker, loaded in short steps), quietly: no toast, no draft made.
        const D = window.ReachLensData;
        for (const ext of [D, window.ReachLensStorage]) if (ext) ext.attach(Module);
        if (!dataset) {
          P.notifyReady();
          return;
        }
        const size = dataset.chunks.reduce((n, c) => n + c.byteLength, 0);
        setStatus('正在解析数据 Parsing ' + mb(size) + ' MB…');
        await nextPaint();
        if (!(await D.loadChunks(dataset.name, dataset.chunks, size, { quiet: true, queued: true }))) {
          // Not fatal: the dashboard shows the engine's message in its data panel.
          console.warn('[reachlens] dataset rejected: ' + (D.lastFailure ? D.lastFailure.message : 'not loaded'));
          P.notifyReady();
          return;
        }
        // The draft edited last (web/storage.js) comes back instead of the first demo campaign.
        if (window.ReachLensStorage && window.ReachLensStorage.restore(Module)) { /* reopened */ }
        else if (campaigns.some((c) => c.bytes)) Module._rl_select_campaign(0);
        else P.notifyReady();  // nothing to preview: C++ signals ready after the first preview
        Module._rl_wake();
      }],
    };

    if (wasm) Module.wasmBinary = wasm;
    const script = document.createElement('script');
    if (bundle) {
      // The module's JS sits at the end of the page: wait until it is parsed.
      if (document.readyState === 'loading') await new Promise((ok) => document.addEventListener('DOMContentLoaded', ok, { once: true }));
      const code = document.getElementById('rl-bundle-module');
      if (!code) fail('reachlens.html is incomplete: no module script (rl-bundle-module)');
      script.text = code.textContent;
      document.body.appendChild(script);
      return;
    }
    script.src = 'reachlens.js';
    script.onerror = () => P.showError('无法加载 Cannot load reachlens.js');
    document.body.appendChild(script);
  }

  start().catch((e) => {
    if (!window.reachlens.error) P.showError('ReachLens: ' + (e && e.stack ? e.stack : e));
  });
})();
