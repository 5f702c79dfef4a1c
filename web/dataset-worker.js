// The dataset worker (issue 12): a JSON dataset is parsed and strictly checked here, off the
// page's main thread, by the engine alone (reachlens-worker.js/.wasm, src/worker), and comes
// back as a snapshot (docs/snapshot.md) that web/data.js loads in short steps. The page
// starts one worker per load and terminates it when the load ends or is cancelled, which
// also gives its wasm memory back.
//
// page -> worker   {type: 'begin', source, size}   size 0 = unknown (a compressed response)
//                  {type: 'chunk', bytes}           a Uint8Array of the file, in order
//                  {type: 'end'}                    all bytes sent: parse
// worker -> page   {type: 'ready'}                  the engine is up (sent once)
//                  {type: 'unavailable', message}   or it cannot start (the page parses instead)
//                  {type: 'parsing', read, total}   bytes parsed so far, about every 16 MB
//                  {type: 'snapshot', pieces, size} the snapshot as ArrayBuffers of at most
//                                                   PIECE_BYTES, in order (transferred): the page
//                                                   drops each once it fed it to its engine
//                  {type: 'refused', input}         the engine's InputError as JSON
//                  {type: 'failed', code, message}  out_of_memory or read_failed, in English
'use strict';

importScripts('reachlens-worker.js');

const engine = ReachLensWorkerEngine({
  onParseProgress: (read, total) => postMessage({ type: 'parsing', read, total }),
});
engine.then(() => postMessage({ type: 'ready' }),
            (e) => postMessage({ type: 'unavailable', message: e && e.message ? e.message : String(e) }));

const PIECE_BYTES = 8 << 20;  // the page drops each piece once fed to its engine (web/data.js)
let job = null;  // {source, size, ptr, length, chunks: (unknown size) the bytes until the end}

function fail(code, message) {
  postMessage({ type: 'failed', code, message });
  job = null;
}

function begin(M, message) {
  job = { source: String(message.source || 'dataset.json'), size: Number(message.size) || 0, ptr: 0, length: 0, chunks: [] };
  if (job.size > 0) {
    // One allocation of the known size: no copy of the bytes already in.
    job.ptr = M._malloc(job.size) >>> 0;
    if (!job.ptr) fail('out_of_memory', job.source + ': not enough memory for ' + job.size + ' bytes');
  }
}

function chunk(M, bytes) {
  if (!job) return;
  if (job.ptr) {
    if (job.length + bytes.byteLength > job.size) {
      // More bytes than announced (a Content-Length the page could not tell was compressed):
      // a bigger buffer, the bytes so far moved into it.
      const size = Math.max(job.size * 2, job.length + bytes.byteLength);
      const ptr = M._malloc(size) >>> 0;
      if (!ptr) { fail('out_of_memory', job.source + ': not enough memory for ' + size + ' bytes'); return; }
      M.HEAPU8.copyWithin(ptr, job.ptr, job.ptr + job.length);
      M._free(job.ptr);
      job.ptr = ptr;
      job.size = size;
    }
    M.HEAPU8.set(bytes, job.ptr + job.length);
  } else {
    job.chunks.push(bytes);
  }
  job.length += bytes.byteLength;
}

function end(M) {
  if (!job) return;
  const { source } = job;
  let ptr = job.ptr;
  if (!ptr) {
    // Size unknown until now: one allocation, then the chunks copied in and dropped.
    ptr = M._malloc(Math.max(1, job.length)) >>> 0;
    if (!ptr) { fail('out_of_memory', source + ': not enough memory for ' + job.length + ' bytes'); return; }
    let at = ptr;
    for (const c of job.chunks) { M.HEAPU8.set(c, at); at += c.byteLength; }
    job.chunks = [];
  }
  // rlw_convert takes the buffer and frees it once parsed.
  const rc = M.ccall('rlw_convert', 'number', ['number', 'number', 'string'], [ptr, job.length, source]);
  const at = M._rlw_result_data() >>> 0, size = M._rlw_result_size();
  job = null;
  if (rc === 0) {
    const pieces = [];  // copies the page can own
    for (let from = 0; from < size; from += PIECE_BYTES) pieces.push(M.HEAPU8.slice(at + from, at + Math.min(size, from + PIECE_BYTES)).buffer);
    M._rlw_result_free();
    postMessage({ type: 'snapshot', pieces, size }, pieces);
    return;
  }
  const text = new TextDecoder().decode(M.HEAPU8.subarray(at, at + size));
  M._rlw_result_free();
  if (rc === 1) postMessage({ type: 'refused', input: JSON.parse(text) });
  else fail('out_of_memory', text);
}

// Messages are handled in order, each once the engine is up.
let queue = engine;
self.onmessage = (e) => {
  const message = e.data || {};
  queue = queue.then((M) => {
    try {
      if (message.type === 'begin') begin(M, message);
      else if (message.type === 'chunk') chunk(M, message.bytes);
      else if (message.type === 'end') end(M);
    } catch (err) {
      // An allocation that aborted the runtime, or a bug: the page reports it and ends this worker.
      fail('read_failed', (job ? job.source + ': ' : '') + (err && err.message ? err.message : String(err)));
    }
    return M;
  });
};
