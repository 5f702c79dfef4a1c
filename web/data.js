// Loading a dataset for the data panel (src/ui/data_panel.cpp, src/app/api_data.cpp), whichever
// way it arrives: a file (picker, drag-and-drop), a URL, the bundled tenant at start-up
// (web/loader.js), the host's reachlens.load (web/host.js).
//
// Loading never freezes the page (issue 12): the bytes are streamed (file.stream(), the fetch
// body, or pieces already in memory) with the panel's progress bar following them. A JSON
// dataset goes to a Web Worker (web/dataset-worker.js) that parses and checks it and sends
// back a snapshot; a snapshot (a file's, or the worker's) is streamed into the engine in
// pieces and loaded a slice per task (rl_data_stream_start/feed/end, rl_data_step). Every
// main-thread task stays short; the tenant in use stays until the new one is whole; Cancel
// keeps it. Only where no worker can start (the single-file demo from file://) is JSON
// parsed on the page, which the panel says.
//
// window.ReachLensData: attach(Module) (the loader, after main()), openPicker(),
// loadFile(file), loadUrl(url), loadDemo(), loadChunks(source, chunks, size, options),
// loadObject(source, value, options), cancel(), busy, whenIdle(), lastFailure {code, message},
// lastLoad {via: 'worker' | 'snapshot' | 'page' (JSON parsed on this thread), ok};
// pickResults(): the results panel's picker (WeCom's answers, reachlens.results/1) ->
// rl_set_results_file.
(function () {
  'use strict';

  // A JSON dataset is parsed from one buffer: the engine takes a 32-bit length, and the heap
  // must also hold the parsed tenant. A snapshot is streamed (loadSnapshot) and has no such
  // bound: only the tenant itself must fit the 4 GB of wasm32 memory.
  const MAX_BYTES = 2 ** 31 - 1;
  const SNAPSHOT_MAGIC = [0x52, 0x4c, 0x53, 0x4e, 0x41, 0x50, 0x0d, 0x0a];  // "RLSNAP\r\n", docs/snapshot.md
  const NEEDS_BYTES = 2;  // rl_data_step / rl_data_stream_*: a streamed snapshot waits for bytes
  const FEED_BYTES = 2 << 20;  // at most this much copied into the heap (and checksummed) per rl_data_stream_feed
  const D = { Module: null, busy: false, job: null, sliceMs: 16, lastFailure: null, lastLoad: null };

  function mb(n) { return (n / 1048576).toFixed(n < 10485760 ? 1 : 0) + ' MB'; }
  function wake() { if (D.Module) D.Module._rl_wake(); }
  const messageOf = (e) => (e && e.message ? e.message : String(e));

  // ------------------------------------------------------------------ the C side
  // A quiet job (start-up's bundled tenant, the host's dataset) is one the marketer did not
  // start: no success toast. Start-up's makes no draft either (the saved or first demo draft
  // follows it); the host's gives a page without a draft one, as a marketer's load does
  // (src/ui/data_panel.cpp, rl_data_begin: 0 marketer's, 1 quiet, 2 quiet with a draft).
  function begin(job, source, total) {
    const mode = !job.quiet ? 0 : job.draft ? 2 : 1;
    D.Module.ccall('rl_data_begin', null, ['string', 'number', 'number'], [source, total || 0, mode]);
  }
  function progress(loaded, total) { D.Module._rl_data_progress(loaded, total || 0); }
  // A failed read: a catalogue code (src/ui/i18n.cpp "data.<code>") with the source and its
  // parameters, worded by the UI in its language; `message` is the English for logs, tests
  // and the host (lastFailure). No code: cancelled by the marketer (no message).
  function failed(code, source, message, params) {
    D.lastFailure = code ? { code, message: source + ': ' + message } : { code: 'cancelled', message: source ? source + ': cancelled' : 'cancelled' };
    const report = code ? JSON.stringify(Object.assign({ code, source, message: source + ': ' + message }, params || {})) : '';
    D.Module.ccall('rl_data_fail', null, ['string'], [report]);
  }

  // A slice of the engine's load (D.sliceMs): with the frame that follows (software GL:
  // ~10-25 ms), well under the 50 ms after which the browser counts a task as long.
  const LOADING = 1;  // rl_data_step: 1 = loading, 0 = loaded, -1 = failed
  function nextFrame() { return new Promise((resolve) => requestAnimationFrame(() => resolve())); }
  function nextTask() { return new Promise((resolve) => setTimeout(resolve, 0)); }

  function nextPaint() {
    return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }

  // A growing buffer in wasm memory: one allocation when the size is known up front,
  // doubling (realloc through malloc+copy) when it is not.
  function heapBuffer(M, size) {
    let cap = Math.max(1, size || 1 << 20);
    let ptr = M._malloc(cap) >>> 0;
    if (!ptr) return null;
    let len = 0;
    return {
      get ptr() { return ptr; },
      get length() { return len; },
      append(chunk) {
        if (len + chunk.byteLength > cap) {
          let next = cap;
          while (len + chunk.byteLength > next) next *= 2;
          if (next > MAX_BYTES) throw new Error('too large');
          const p = M._malloc(next) >>> 0;
          if (!p) throw new Error('out of memory');
          M.HEAPU8.copyWithin(p, ptr, ptr + len);
          M._free(ptr);
          ptr = p;
          cap = next;
        }
        M.HEAPU8.set(chunk, ptr + len);  // HEAPU8 read after any _malloc: growth replaces the view
        len += chunk.byteLength;
      },
      free() { if (ptr) M._free(ptr); ptr = 0; },
    };
  }

  function isSnapshot(chunk) {
    if (!chunk || chunk.byteLength < SNAPSHOT_MAGIC.length) return false;
    return SNAPSHOT_MAGIC.every((b, i) => chunk[i] === b);
  }

  // Runs the engine's load a slice per task (a frame drawn between) until it finishes or,
  // streaming, waits for bytes: returns 0 loaded, -1 failed, NEEDS_BYTES, or null if cancelled.
  async function runSteps(job) {
    const M = D.Module;
    for (;;) {
      const rc = M._rl_data_step(D.sliceMs);
      if (rc !== LOADING) return rc;
      await nextTask();
      if (job.cancelled) { M._rl_data_cancel_load(); return null; }
      await nextFrame();
    }
  }

  // A snapshot streamed into the engine a piece at a time (docs/snapshot.md): the whole file
  // is never in the wasm heap, so a tenant of 10M customers (3 GB of snapshot) loads into
  // the same 4 GB as its model. Each section is checksummed as it arrives; the tenant in use
  // stays until the new one is whole. A chunk of any size (a file's, or the whole snapshot
  // the dataset worker made) goes in pieces of FEED_BYTES, a task or more each.
  // `showBytes`: the panel's byte figures follow the snapshot's (false: they stay the JSON
  // file's, which the worker turned into this snapshot).
  async function loadSnapshot(source, size, reader, first, job, showBytes = true) {
    const M = D.Module;
    job.via = job.via || 'snapshot';
    M._rl_data_stream_start();
    let staging = 0, stagingCap = 0, loaded = 0, chunk = first, lastYield = performance.now();
    const feed = (piece) => {
      if (piece.byteLength > stagingCap) {
        if (staging) M._free(staging);
        stagingCap = Math.max(piece.byteLength, 1 << 16);
        staging = M._malloc(stagingCap) >>> 0;
        if (!staging) { stagingCap = 0; throw new Error('out of memory'); }
      }
      M.HEAPU8.set(piece, staging);  // HEAPU8 read after any _malloc: growth replaces the view
      return M._rl_data_stream_feed(staging, piece.byteLength) === NEEDS_BYTES;
    };
    try {
      for (;;) {
        for (let at = 0; at < chunk.byteLength; at += FEED_BYTES) {
          const piece = chunk.subarray(at, Math.min(chunk.byteLength, at + FEED_BYTES));
          if (!feed(piece)) return false;  // refused (damaged, truncated): the engine said why
          loaded += piece.byteLength;
          if (showBytes) progress(loaded, size);
          const rc = await runSteps(job);
          if (rc === null) return false;
          if (rc !== NEEDS_BYTES) return rc === 0;
          // Pieces that need no engine work still come back to back: draw a frame now and then.
          if (performance.now() - lastYield > D.sliceMs) {
            await nextFrame();
            lastYield = performance.now();
          }
          if (job.cancelled) { M._rl_data_cancel_load(); return false; }  // the panel says cancelled
        }
        chunk = null;  // read: its memory can go
        const { done, value } = await reader.read();
        if (job.cancelled) { M._rl_data_cancel_load(); return false; }
        if (done) {
          M._rl_data_parsing();
          if (M._rl_data_stream_end() !== NEEDS_BYTES) return false;
          const rc = await runSteps(job);
          if (rc === null) return false;
          if (rc === 0 && !job.quiet) setTimeout(wake, 4100);  // the success toast's end
          return rc === 0;
        }
        chunk = value;
      }
    } catch (e) {
      M._rl_data_cancel_load();
      const outOfMemory = /memory/i.test(messageOf(e));
      failed(outOfMemory ? 'out_of_memory' : 'read_failed', source,
             outOfMemory ? 'not enough memory (' + mb(loaded) + ' read)' : messageOf(e),
             outOfMemory ? { bytes: loaded } : { detail: messageOf(e) });
      reader.cancel().catch(() => {});
      return false;
    } finally {
      if (staging) M._free(staging);
    }
  }

  // Streams `reader` chunks into wasm memory and hands the bytes to the engine; a snapshot
  // (told by its first bytes) goes to loadSnapshot instead, a piece at a time. A JSON
  // dataset reaches this only where no dataset worker runs (it is then parsed on the page).
  async function load(source, size, reader, job) {
    const M = D.Module;
    let first = null;
    if (reader) {
      begin(job, source, size);
      // The first bytes tell a snapshot from JSON (a piece shorter than the magic is rare: gather).
      while (!first || first.byteLength < SNAPSHOT_MAGIC.length) {
        const { done, value } = await reader.read();
        if (job.cancelled) { failed(); return false; }
        if (done) break;
        if (!first) first = value;
        else { const both = new Uint8Array(first.byteLength + value.byteLength); both.set(first); both.set(value, first.byteLength); first = both; }
      }
      if (isSnapshot(first)) return loadSnapshot(source, size, reader, first, job);
    }
    if (size > MAX_BYTES) {
      failed('too_large', source, mb(size) + ' of JSON is over the 2 GB the browser can parse; convert it to a snapshot (reachlens snapshot) and load that', { bytes: size });
      reader && reader.cancel().catch(() => {});
      return false;
    }
    if (!reader) begin(job, source, size);
    job.via = 'page';
    const buf = heapBuffer(M, size);
    if (!buf) {
      failed('out_of_memory', source, 'not enough memory for ' + mb(size), { bytes: size });
      return false;
    }
    try {
      for (let pending = first; ;) {
        const { done, value } = pending ? { done: false, value: pending } : await reader.read();
        pending = null;
        if (job.cancelled) { failed(); return false; }
        if (done) break;
        try {
          buf.append(value);
        } catch (e) {
          failed('out_of_memory', source, 'not enough memory or too large (' + mb(buf.length) + ' read)', { bytes: buf.length });
          reader.cancel().catch(() => {});
          return false;
        }
        progress(buf.length, size);
      }
      // Let the panel say "Parsing…" before the engine starts.
      M._rl_data_parsing();
      await nextPaint();
      if (job.cancelled) { failed(); return false; }
      // The engine parses JSON in one step (the page pauses: the panel said so).
      let rc = M._rl_data_start(buf.ptr, buf.length);
      while (rc === LOADING) {
        await nextTask();
        if (job.cancelled) { M._rl_data_cancel_load(); return false; }
        rc = M._rl_data_step(D.sliceMs);
        if (rc === LOADING) await nextFrame();
      }
      if (rc === 0 && !job.quiet) setTimeout(wake, 4100);  // the success toast's end
      return rc === 0;
    } catch (e) {
      failed('read_failed', source, messageOf(e), { detail: messageOf(e) });
      return false;
    } finally {
      buf.free();
    }
  }

  // ------------------------------------------------------------------ JSON datasets in a worker
  // A JSON dataset is parsed off the main thread (issue 12: no long task while a tenant
  // loads): the bytes go in chunks to a Web Worker running the engine alone
  // (web/dataset-worker.js), which checks the document as strictly as the page would and
  // sends back a snapshot; the page then streams that snapshot into its engine (loadSnapshot),
  // in steps. Refusals come back as the engine's InputError, worded by the UI in its language.
  // Where no worker can start (the single-file demo opened from file://), the JSON is
  // parsed on the main thread as before; the panel says the page may pause (and the console why).
  D.workerUrl = 'dataset-worker.js';  // null: always the main-thread path
  const SNAPSHOT_FIRST_BYTE = 0x52;  // 'R' of the snapshot magic (docs/snapshot.md); no JSON text starts with it
  const WORKER_START_MS = 30000;  // its engine compiled and started (well under a second when the machine is quiet)

  // A reader that first gives back a chunk already read from `reader`.
  function replayed(first, reader) {
    let pending = first;
    return {
      read: () => { if (pending) { const r = pending; pending = null; return Promise.resolve(r); } return reader.read(); },
      cancel: (why) => reader.cancel(why),
    };
  }

  // A reader over byte chunks already in memory (Uint8Arrays or ArrayBuffers), handed on one
  // per read and forgotten here: the worker takes each chunk's memory when it is the chunk's alone.
  function chunksReader(chunks) {
    let at = 0;
    return {
      read: async () => {
        if (at >= chunks.length) return { done: true };
        const c = chunks[at];
        chunks[at++] = null;
        return { done: false, value: c instanceof Uint8Array ? c : new Uint8Array(c) };
      },
      cancel: async () => { at = chunks.length; },
    };
  }

  // A worker whose engine is up, or null (none can be created here). Started at most once
  // ahead of a load (prepareWorker: the loader starts it while the module downloads).
  let prepared = null;
  function startWorker() {
    if (prepared) { const p = prepared; prepared = null; return p; }
    if (!D.workerUrl || typeof Worker !== 'function') return Promise.resolve(null);
    return new Promise((resolve) => {
      let worker;
      try {
        worker = new Worker(D.workerUrl);
      } catch (e) {
        console.warn('[reachlens] no dataset worker here (' + messageOf(e) + '): JSON datasets are parsed on the main thread');
        resolve(null);
        return;
      }
      const timer = setTimeout(() => settle(false, 'no answer in ' + WORKER_START_MS / 1000 + ' s'), WORKER_START_MS);
      const settle = (ok, why) => {
        clearTimeout(timer);
        worker.onmessage = worker.onerror = null;
        if (!ok) {
          worker.terminate();
          console.warn('[reachlens] the dataset worker did not start (' + why + '): JSON datasets are parsed on the main thread');
        }
        resolve(ok ? worker : null);
      };
      worker.onmessage = (e) => settle(e.data && e.data.type === 'ready', (e.data && e.data.message) || 'unexpected message');
      worker.onerror = (e) => { e.preventDefault(); settle(false, e.message || 'cannot load ' + D.workerUrl); };
    });
  }
  D.prepareWorker = () => { if (!prepared) prepared = startWorker(); };

  function readFailed(source, e) {
    failed('read_failed', source, messageOf(e), { detail: messageOf(e) });
  }

  // The engine's refusal, for the UI to word by its code (src/ui/data_panel.cpp).
  function refused(source, input) {
    const message = input.file + ': ' + (input.pointer || '/') + ': ' + input.problem;
    D.lastFailure = { code: 'input', message };
    D.Module.ccall('rl_data_fail', null, ['string'], [JSON.stringify({ code: 'input', source, message, input })]);
  }

  // Reads `reader` into the worker, then loads the snapshot it makes. The tenant in use
  // stays until the snapshot's load adopts the new one; Cancel (job.abort) ends the worker.
  async function loadJsonInWorker(source, size, reader, worker, job) {
    const M = D.Module;
    job.via = 'worker';
    let settle;
    const outcome = new Promise((resolve) => { settle = resolve; });
    const stop = () => { worker.terminate(); settle({ type: 'cancelled' }); };
    job.abort.signal.addEventListener('abort', stop);
    worker.onmessage = (e) => {
      const m = e.data || {};
      if (m.type === 'parsing') M._rl_data_parse_progress(m.total > 0 ? m.read / m.total : 0);
      else settle(m);
    };
    worker.onerror = (e) => { e.preventDefault(); settle({ type: 'failed', code: 'read_failed', message: e.message || 'the dataset worker stopped' }); };
    try {
      begin(job, source, size);
      worker.postMessage({ type: 'begin', source, size });
      let loaded = 0, ended = false;
      const endedEarly = outcome.then(() => { ended = true; return { done: true }; });  // the worker failed or Cancel
      let sliceStart = performance.now();
      for (;;) {
        const { done, value } = await Promise.race([reader.read(), endedEarly]);
        if (job.cancelled) { failed(); return false; }
        if (done) break;
        loaded += value.byteLength;  // before the transfer empties it
        // The chunk's memory moves to the worker (no copy here); a view into a larger buffer
        // is copied out first (posted as it is, the whole buffer would be cloned).
        const own = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? value : value.slice();
        worker.postMessage({ type: 'chunk', bytes: own }, [own.buffer]);
        progress(loaded, size);
        // Chunks already buffered resolve their reads at once (microtasks): without a new task
        // now and then, a fast source is read through in one long task.
        if (performance.now() - sliceStart > D.sliceMs) {
          await nextTask();
          sliceStart = performance.now();
        }
      }
      if (ended) reader.cancel().catch(() => {});
      worker.postMessage({ type: 'end' });
      M._rl_data_parsing();
      const m = await outcome;
      worker.terminate();  // its wasm memory goes before the page's heap grows for the new tenant
      if (m.type === 'cancelled' || job.cancelled) { failed(); return false; }
      if (m.type === 'refused') { refused(source, m.input); return false; }
      if (m.type !== 'snapshot') {
        failed(m.code === 'out_of_memory' ? 'out_of_memory' : 'read_failed', source, m.message || 'the dataset worker failed',
               { bytes: loaded, detail: m.message || '' });
        return false;
      }
      // The snapshot in pieces, each dropped once fed (the page never holds all of it), the
      // panel's byte figures staying the file's.
      const pieces = chunksReader(m.pieces);
      const { value: first } = await pieces.read();
      return await loadSnapshot(source, m.size, pieces, first || new Uint8Array(0), job, false);
    } catch (e) {  // the stream broke (network, file gone)
      if (job.cancelled) failed();
      else readFailed(source, e);
      return false;
    } finally {
      job.abort.signal.removeEventListener('abort', stop);
      worker.terminate();
    }
  }

  // Every way a dataset arrives ends here: a snapshot goes to load(); a JSON dataset to a
  // worker, or to load() where none can start.
  async function loadDataset(source, size, reader, job) {
    if (!reader || size > MAX_BYTES) return load(source, size, reader, job);
    const workerStarting = startWorker();
    let first;
    try {
      first = await reader.read();
    } catch (e) {
      const worker = await workerStarting;
      if (worker) worker.terminate();
      if (job.cancelled) failed();
      else readFailed(source, e);
      return false;
    }
    const worker = await workerStarting;
    const again = replayed(first, reader);
    if (job.cancelled || first.done || !first.value.byteLength || first.value[0] === SNAPSHOT_FIRST_BYTE || !worker) {
      if (worker) worker.terminate();
      else if (!first.done && first.value.byteLength && first.value[0] !== SNAPSHOT_FIRST_BYTE) D.Module._rl_data_parse_on_page();
      return load(source, size, again, job);
    }
    return loadJsonInWorker(source, size, again, worker, job);
  }

  // One load at a time (the panel disables its buttons meanwhile): a load the marketer
  // starts while another runs is refused; a queued one (the host's) waits for its turn.
  let idle = Promise.resolve();
  async function run(fn, { quiet = false, queued = false, draft = false } = {}) {
    if (!D.Module) return false;
    while (queued && D.busy) await idle;
    if (D.busy) return false;
    D.busy = true;
    D.lastFailure = null;
    let done;
    idle = new Promise((resolve) => { done = resolve; });
    const job = D.job = { cancelled: false, abort: new AbortController(), reader: null, quiet, draft, via: null };
    let ok = false;
    try {
      ok = await fn(job);
      return ok;
    } finally {
      D.lastLoad = { via: job.via, ok };
      D.busy = false;
      D.job = null;
      done();
    }
  }
  D.whenIdle = () => idle;

  // Whether a file starts with the snapshot magic (read before streaming a big file).
  async function startsAsSnapshot(file) {
    try {
      return typeof file.slice === 'function' && isSnapshot(new Uint8Array(await file.slice(0, SNAPSHOT_MAGIC.length).arrayBuffer()));
    } catch (e) {
      return false;
    }
  }

  D.loadFile = (file) => run(async (job) => {
    // JSON over the limit is refused before reading; a snapshot of any size is streamed.
    if (file.size > MAX_BYTES && !(await startsAsSnapshot(file))) return load(file.name, file.size, null, job);
    let reader;
    try {
      reader = file.stream().getReader();
    } catch (e) {
      failed('read_failed', file.name, 'cannot read the file (' + messageOf(e) + ')', { detail: messageOf(e) });
      return false;
    }
    job.reader = reader;
    return loadDataset(file.name, file.size, reader, job);
  });

  // The host's bearer token (reachlens.config) goes only to the API's origin (web/host.js).
  function authHeaders(url) {
    const H = window.ReachLensHost;
    return H && H.authHeaders ? H.authHeaders(url.href) : {};
  }

  // loadUrl(text, label, options): options.quiet, options.queued (run), options.credentials (fetch).
  D.loadUrl = (text, label, options = {}) => run(async (job) => {
    const raw = String(text || '').trim();
    let url;
    try { url = new URL(raw, location.href); } catch (e) { url = null; }
    if (!url || !/^https?:$/.test(url.protocol)) {
      failed('not_url', raw, 'not an http(s) URL');
      return false;
    }
    const source = label || raw;
    begin(job, source, 0);
    let response;
    try {
      response = await fetch(url.href, { headers: authHeaders(url), signal: job.abort.signal, cache: 'no-cache',
                                         credentials: options.credentials || 'same-origin' });
    } catch (e) {
      if (job.cancelled) { failed(); return false; }
      failed('fetch_failed', raw, 'cannot fetch (' + messageOf(e) + ')', { detail: messageOf(e) });
      return false;
    }
    if (!response.ok) {
      failed('http', raw, 'HTTP ' + response.status + (response.statusText ? ' ' + response.statusText : ''),
             { status: response.status });
      return false;
    }
    // Content-Length is the compressed size under Content-Encoding: not the bytes we get. A
    // cross-origin response hides Content-Encoding unless the server exposes it: its length
    // is then not known either.
    const encoded = response.headers.get('Content-Encoding');
    const hidden = response.type === 'cors' && encoded === null;
    const length = hidden || (encoded && encoded !== 'identity') ? 0 : Number(response.headers.get('Content-Length') || 0);
    let reader;
    if (response.body) {
      reader = job.reader = response.body.getReader();
    } else {
      // No stream to read (an old engine): the whole body at once, then the same path.
      let bytes;
      try {
        bytes = await response.arrayBuffer();
      } catch (e) {
        if (job.cancelled) failed();
        else readFailed(source, e);
        return false;
      }
      if (job.cancelled) { failed(); return false; }
      reader = chunksReader([bytes]);
    }
    return loadDataset(source, length, reader, job);
  }, options);

  // A dataset already in memory, as byte chunks in order (ArrayBuffers or Uint8Arrays, given
  // up: the worker takes their memory): the bundled tenant the loader fetched, a host's
  // dataset. options: quiet, queued (run).
  D.loadChunks = (source, chunks, size, options = {}) => run((job) => {
    const total = size || chunks.reduce((n, c) => n + c.byteLength, 0);
    return loadDataset(source, total, chunksReader(chunks.slice()), job);
  }, options);

  // A JSON value (the host's dataset object) as its JSON.stringify text, written a slice of
  // elements per task (a tenant's object is hundreds of MB of text: one stringify would be
  // one long task) and handed on as UTF-8 chunks of about JSON_PIECE_CHARS.
  const JSON_PIECE_CHARS = 1 << 20;
  const plainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
  function* jsonText(value, depth) {
    // Objects and arrays near the top (the dataset, its lists) are walked; the rest, the
    // elements, are each one JSON.stringify, which says how they are written.
    if (depth < 2 && Array.isArray(value)) {
      yield '[';
      for (let i = 0; i < value.length; ++i) {
        if (i) yield ',';
        const v = value[i];
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') yield 'null';
        else yield* jsonText(v, depth + 1);
      }
      yield ']';
    } else if (depth < 2 && plainObject(value) && typeof value.toJSON !== 'function') {
      yield '{';
      let first = true;
      for (const key of Object.keys(value)) {
        const v = value[key];
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
        yield (first ? '' : ',') + JSON.stringify(key) + ':';
        first = false;
        yield* jsonText(v, depth + 1);
      }
      yield '}';
    } else {
      const text = JSON.stringify(value);
      yield text === undefined ? 'null' : text;
    }
  }
  // A reader of UTF-8 chunks of the value's JSON text, a task of at most about sliceMs each.
  function jsonReader(value) {
    const parts = jsonText(value, 0);
    const encoder = new TextEncoder();
    let finished = false, taskStart = performance.now();
    return {
      read: async () => {
        if (finished) return { done: true };
        if (performance.now() - taskStart > D.sliceMs) { await nextTask(); taskStart = performance.now(); }
        let text = '';
        for (;;) {
          const { done, value: part } = parts.next();
          if (done) { finished = true; break; }
          text += part;
          if (text.length >= JSON_PIECE_CHARS || performance.now() - taskStart > D.sliceMs) break;
        }
        return text ? { done: false, value: encoder.encode(text) } : { done: true };
      },
      cancel: async () => { finished = true; },
    };
  }
  D.jsonText = (value) => Array.from(jsonText(value, 0)).join('');  // for tests: equals JSON.stringify(value)

  D.loadObject = (source, value, options = {}) => run((job) => loadDataset(source, 0, jsonReader(value), job), options);

  // The bundled tenant the page started with (?data=<folder>, default data/demo/).
  D.loadDemo = () => {
    const param = new URLSearchParams(location.search).get('data');
    const base = (param && param !== 'none' ? param : 'data/demo/').replace(/\/?$/, '/');
    return (async () => {
      let manifest = null;
      try {
        const r = await fetch(base + 'index.json', { cache: 'no-cache' });
        if (r.ok) manifest = await r.json();
      } catch (e) { /* reported below */ }
      if (!manifest || !manifest.dataset) {
        failed('no_demo', base + 'index.json', 'no demo tenant here');
        return false;
      }
      return D.loadUrl(base + manifest.dataset, manifest.dataset);
    })();
  };

  D.cancel = () => {
    const job = D.job;
    if (!job) return;
    job.cancelled = true;
    job.abort.abort();
    if (job.reader) job.reader.cancel().catch(() => {});
  };

  // ------------------------------------------------------------------ file picker
  let input = null;
  D.openPicker = () => {
    if (!input) {
      input = document.createElement('input');
      input.type = 'file';
      input.accept = '.json,.rlsnap,application/json,application/octet-stream';  // a JSON dataset or a snapshot (docs/snapshot.md)
      input.id = 'rl-data-file';
      input.hidden = true;
      input.addEventListener('change', () => {
        const file = input.files && input.files[0];
        input.value = '';  // picking the same file again fires change again
        if (file) D.loadFile(file);
      });
      document.body.appendChild(input);
    }
    input.click();
  };

  // WeCom's results for the reconciliation panel (src/ui/reconcile_panel.cpp): read whole
  // (a few MB at most) and handed to rl_set_results_file with the file's name, which the
  // panel's messages name with the place of a problem (/responses/3/body/detail_list/17).
  let resultsInput = null;
  D.pickResults = () => {
    if (!resultsInput) {
      resultsInput = document.createElement('input');
      resultsInput.type = 'file';
      resultsInput.accept = '.json,application/json';
      resultsInput.id = 'rl-results-file';
      resultsInput.hidden = true;
      resultsInput.addEventListener('change', async () => {
        const file = resultsInput.files && resultsInput.files[0];
        resultsInput.value = '';
        const P = window.ReachLensPlatform;
        if (!file || !D.Module || !P) return;
        if (file.size > MAX_BYTES) {
          console.warn('[reachlens] ' + file.name + ' is ' + mb(file.size) + ': too large to read');
          return;
        }
        const bytes = new Uint8Array(await file.arrayBuffer());
        P.withBytes(bytes, (ptr, len) => D.Module.ccall('rl_set_results_file', 'number', ['string', 'number', 'number'], [file.name, ptr, len]));
        wake();
      });
      document.body.appendChild(resultsInput);
    }
    resultsInput.click();
  };

  // ------------------------------------------------------------------ drag and drop
  // Anywhere on the page; GLFW's own canvas drop handler (which would copy the whole file
  // into MEMFS) never sees the event.
  let overlay = null;
  function showOverlay(show, media) {
    if (!overlay) {
      const style = document.createElement('style');
      style.textContent = `
        #rl-drop { position: absolute; inset: 0; z-index: 20; display: flex; align-items: center; justify-content: center;
          background: rgba(33, 104, 230, 0.10); backdrop-filter: blur(1px); pointer-events: none; }
        #rl-drop[hidden] { display: none; }
        #rl-drop > div { border: 2px dashed #2168e6; border-radius: 14px; background: rgba(255, 255, 255, 0.94);
          padding: 28px 44px; text-align: center; color: #1f2329; box-shadow: 0 8px 30px rgba(0,0,0,0.12); }
        #rl-drop .rl-drop-title { font-size: 22px; font-weight: 600; color: #2168e6; margin: 0 0 6px; }
        #rl-drop .rl-drop-sub { font-size: 13px; color: #6b7280; margin: 0; }
        @media (prefers-color-scheme: dark) {
          #rl-drop > div { background: rgba(30, 32, 37, 0.94); color: #e8eaed; }
        }`;
      document.head.appendChild(style);
      overlay = document.createElement('div');
      overlay.id = 'rl-drop';
      overlay.hidden = true;
      overlay.innerHTML = '<div><p class="rl-drop-title">松开以加载数据 · Drop to load</p>' +
        '<p class="rl-drop-sub">租户数据 JSON（reachlens.dataset/1）· tenant dataset JSON</p></div>';
      (document.getElementById('rl-app') || document.body).appendChild(overlay);
    }
    if (show) {
      overlay.querySelector('.rl-drop-title').textContent = media ? '松开以添加附件 · Drop to attach' : '松开以加载数据 · Drop to load';
      overlay.querySelector('.rl-drop-sub').textContent = media ? '图片和视频加入草稿的附件 · images and videos join the draft'
        : '租户数据 JSON（reachlens.dataset/1）· tenant dataset JSON';
    }
    overlay.hidden = !show;
  }
  D.showDropOverlay = showOverlay;

  const carriesFiles = (e) => !!(e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files'));
  let depth = 0;
  window.addEventListener('dragenter', (e) => {
    if (!carriesFiles(e) || !D.Module) return;
    e.preventDefault();
    e.stopPropagation();
    depth++;
    const media = window.ReachLensMedia;
    const types = Array.from(e.dataTransfer.items || []).filter((i) => i.kind === 'file').map((i) => i.type);
    showOverlay(true, !!(media && media.isMedia(types)));
  }, true);
  window.addEventListener('dragover', (e) => {
    if (!carriesFiles(e) || !D.Module) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = D.busy ? 'none' : 'copy';
  }, true);
  window.addEventListener('dragleave', (e) => {
    if (!carriesFiles(e)) return;
    e.stopPropagation();
    depth = Math.max(0, depth - 1);
    if (depth === 0) showOverlay(false);
  }, true);
  window.addEventListener('drop', (e) => {
    if (!carriesFiles(e) || !D.Module) return;
    e.preventDefault();
    e.stopPropagation();
    depth = 0;
    showOverlay(false);
    const files = Array.from((e.dataTransfer && e.dataTransfer.files) || []);
    // Images and videos become attachments of the draft (web/media.js); anything else is a dataset.
    const media = window.ReachLensMedia;
    if (media && media.isMedia(files.map((f) => f.type))) { media.addFiles(files); return; }
    if (files[0]) D.loadFile(files[0]);
  }, true);

  D.attach = (Module) => {
    D.Module = Module;
    if (Module._rl_data_attach) Module._rl_data_attach();
  };

  window.ReachLensData = D;
})();
