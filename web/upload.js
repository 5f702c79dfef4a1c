// ReachLens media upload: every image, video and file attached in the composer goes to
// {apiBase}/media as soon as it is attached (docs/contract.md section 10), with
// progress, a clear error (too large, wrong type, network, server) and retry. The answer's
// `media` id is handed to C++ (rl_upload_state), which stores it on the attachment, so the
// request bodies carry "media_id":"media:<id>".
//
// Without a server (no apiBase, file://, the network down) the file is kept in IndexedDB
// (files are too big for localStorage) under its upload id; the submit path
// (ensureUploaded, called by web/submit.js and the outbox's retry) uploads whatever is
// still waiting there before it sends, and fills in the `media` ids.
//
// C++ → page: ReachLensUpload.retry(upload_id) (EM_JS in src/ui/media.cpp).
// Page → C++: rl_upload_state(json) {upload_id, name, kind, state, loaded, total, media?,
// error?, message?, params?}; state is uploading | done | failed | waiting (kept in the browser).
// A failure is a code (too_large, wrong_type, storage, server) with params the UI words in
// its language (src/ui/i18n.cpp "upload.<code>", "server.<code>"); `message` is the English
// for logs and tests.
(function () {
  'use strict';

  const P = window.ReachLensPlatform;
  const api = window.reachlens = window.reachlens || {};
  const MiB = 1024 * 1024;
  // The server's limits (serve.py MEDIA_LIMITS, the presets' *_max_bytes): checked here
  // first so a too-large file fails at once instead of after 20 MB went up the wire.
  const LIMITS = { image: 10 * MiB, video: 10 * MiB, file: 20 * MiB };
  const TYPES = {
    image: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp'],
    video: ['video/mp4', 'video/quicktime', 'video/x-m4v', 'video/3gpp', 'video/webm', 'video/x-matroska'],
  };
  const DB_NAME = 'reachlens-media';
  const DB_STORE = 'waiting';

  const U = new Map();   // upload_id -> {id, name, kind, type, blob, state, loaded, total, media, error, message}
  const stats = { started: 0, retries: 0, posts: 0, done: 0, failed: 0, waiting: 0, bytesSent: 0 };

  const errorText = (e) => String(e && e.message ? e.message : e);

  function report(u) {
    const M = P && P.Module;
    const view = { upload_id: u.id, name: u.name, kind: u.kind, state: u.state, loaded: u.loaded, total: u.total };
    if (u.media) view.media = u.media;
    if (u.error) { view.error = u.error; view.message = u.message || ''; view.params = u.params || {}; }
    if (M && M._rl_upload_state) { P.call('rl_upload_state', JSON.stringify(view)); P.wake(); }
    window.dispatchEvent(new CustomEvent('reachlens:upload', { detail: view }));
  }

  // ---------------------------------------------------------------- IndexedDB
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        if (!window.indexedDB) { reject(new Error('this browser has no IndexedDB')); return; }
        const req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = () => req.result.createObjectStore(DB_STORE);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error || new Error('IndexedDB refused to open'));
      });
      dbPromise.catch(() => { dbPromise = null; });
    }
    return dbPromise;
  }
  async function idb(mode, fn) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const tx = d.transaction(DB_STORE, mode);
      const req = fn(tx.objectStore(DB_STORE));
      tx.oncomplete = () => resolve(req ? req.result : undefined);
      tx.onerror = tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction failed'));
    });
  }
  const keep = (u) => idb('readwrite', (s) => s.put({ blob: u.blob, name: u.name, kind: u.kind, type: u.type }, u.id));
  const forget = (id) => idb('readwrite', (s) => s.delete(id)).catch(() => {});
  const lookUp = (id) => idb('readonly', (s) => s.get(id)).catch(() => undefined);

  // ---------------------------------------------------------------- upload
  function apiConfig() {
    const S = window.ReachLensSubmit;
    return S && S.config ? S.config() : { apiBase: null, token: null };
  }

  function fail(u, code, message, params) {
    u.state = 'failed';
    u.error = code;
    u.message = message;
    u.params = Object.assign({ name: u.name, kind: u.kind }, params || {});
    stats.failed++;
    report(u);
    return u;
  }

  async function wait(u, reason) {
    try {
      await keep(u);
    } catch (e) {
      return fail(u, 'storage', 'no server (' + reason + '), and the browser could not keep the file: ' + errorText(e),
                  { detail: errorText(e) });
    }
    u.state = 'waiting';
    u.error = '';
    u.message = reason;
    stats.waiting++;
    report(u);
    return u;
  }

  // One POST with progress (XMLHttpRequest: fetch reports no upload progress).
  function post(u, apiBase, token) {
    stats.posts++;
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', apiBase + '/media');
      xhr.setRequestHeader('Content-Type', u.type || 'application/octet-stream');
      xhr.setRequestHeader('X-Filename', encodeURIComponent(u.name));
      if (token) xhr.setRequestHeader('Authorization', 'Bearer ' + token);
      xhr.upload.onprogress = (e) => {
        u.loaded = e.loaded;
        u.total = e.lengthComputable ? e.total : u.total;
        report(u);
      };
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText || '' });
      xhr.onerror = () => resolve({ status: 0, text: '', network: true });
      xhr.ontimeout = () => resolve({ status: 0, text: '', network: true });
      xhr.send(u.blob);
    });
  }

  async function send(u) {
    const { apiBase, token } = apiConfig();
    if (!apiBase) return wait(u, 'no_server');
    u.state = 'uploading';
    u.error = '';
    u.message = '';
    u.loaded = 0;
    u.total = u.blob.size;
    report(u);
    const answer = await post(u, apiBase, token);
    let err = null, media = null;
    try {
      const doc = JSON.parse(answer.text);
      err = doc && doc.error;
      media = doc && doc.media;
    } catch (e) { /* not JSON */ }
    if (answer.status === 201 && media && typeof media.id === 'string') {
      u.state = 'done';
      u.media = media.id;
      u.loaded = u.total;
      stats.done++;
      stats.bytesSent += u.blob.size;
      forget(u.id);
      report(u);
      return u;
    }
    if (answer.network || (!err && [404, 405, 501].includes(answer.status))) {
      return wait(u, answer.network ? 'network' : 'no_api');
    }
    const message = err && err.message ? err.message : 'HTTP ' + answer.status;
    const params = { status: answer.status, code: err ? err.code : '', message };
    if (answer.status === 413) return fail(u, 'too_large', message, Object.assign(params, { bytes: u.blob.size, limit: LIMITS[u.kind] }));
    if (answer.status === 400 && err && /media_type|unsupported_media|content_type/.test(err.code)) {
      return fail(u, 'wrong_type', message, Object.assign(params, { type: u.type || '?' }));
    }
    return fail(u, 'server', 'HTTP ' + answer.status + (err ? ' ' + err.code : '') + ': ' + message, params);
  }

  function kindOf(kind, type) {
    if (kind === 'image' || kind === 'video' || kind === 'file') return kind;
    return type.startsWith('image/') ? 'image' : type.startsWith('video/') ? 'video' : 'file';
  }

  // Starts uploading `blob` for the attachment `uploadId`. Checks size and type first.
  function start(uploadId, blob, name, kind) {
    const type = (blob.type || '').toLowerCase();
    const u = { id: uploadId, name: name || blob.name || 'file', kind: kindOf(kind, type), type, blob,
                state: 'checking', loaded: 0, total: blob.size, media: '', error: '', message: '' };
    U.set(uploadId, u);
    stats.started++;
    const limit = LIMITS[u.kind];
    if (blob.size > limit) {
      fail(u, 'too_large', u.name + ' is ' + blob.size + ' bytes; the limit for ' + u.kind + ' is ' + limit + ' bytes',
           { bytes: blob.size, limit });
      return Promise.resolve(u);
    }
    if (TYPES[u.kind] && !TYPES[u.kind].includes(type)) {
      fail(u, 'wrong_type', (type || 'an unknown type') + ' is not an accepted ' + u.kind + ' type (' + TYPES[u.kind].join(', ') + ')',
           { type: type || '?' });
      return Promise.resolve(u);
    }
    u.promise = send(u);
    return u.promise;
  }

  // Again, for a failed or waiting upload (from this page or one kept in IndexedDB).
  async function retry(uploadId) {
    stats.retries++;
    let u = U.get(uploadId);
    if (u && u.state === 'uploading') return u.promise;
    if (!u) {
      const kept = await lookUp(uploadId);
      if (!kept) return null;
      u = { id: uploadId, name: kept.name, kind: kept.kind, type: kept.type, blob: kept.blob,
            state: 'waiting', loaded: 0, total: kept.blob.size, media: '', error: '', message: '' };
      U.set(uploadId, u);
    }
    u.promise = send(u);
    return u.promise;
  }

  // Before a submission leaves: every image/video/file attachment of `campaign` with an
  // upload_id but no `media` is uploaded now (from memory or IndexedDB) and its `media`
  // filled in. Resolves with the names still missing (empty when all are uploaded).
  async function ensureUploaded(campaign) {
    const missing = [];
    const atts = campaign && campaign.content && Array.isArray(campaign.content.attachments) ? campaign.content.attachments : [];
    for (const att of atts) {
      const kind = att && att.msgtype;
      const body = (kind === 'image' || kind === 'video' || kind === 'file') ? att[kind] : null;
      if (!body || body.media || !body.upload_id) continue;
      let u = U.get(body.upload_id);
      if (u && u.state === 'uploading') u = await u.promise;
      else if (!u || u.state !== 'done') u = await retry(body.upload_id);
      if (u && u.state === 'done') body.media = u.media;
      else missing.push(body.name || kind);
    }
    return missing;
  }

  window.ReachLensUpload = { start, retry, ensureUploaded, limits: LIMITS };
  api.uploads = {
    get list() {
      return [...U.values()].map((u) => ({ upload_id: u.id, name: u.name, kind: u.kind, state: u.state, loaded: u.loaded,
                                           total: u.total, media: u.media, error: u.error, message: u.message }));
    },
    get stats() { return Object.assign({}, stats); },
    kept: () => idb('readonly', (s) => s.getAllKeys()).catch(() => []),
  };
})();
