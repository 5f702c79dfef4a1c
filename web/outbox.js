// ReachLens outbox: submissions that could not reach a server, kept in the browser
// (localStorage) instead of being lost. web/submit.js puts a submission here when the
// POST fails on the network, when the page has no API at all (opened from file://, or
// a static server that answers 404/405 without a ReachLens error body); the Outbox
// popup (src/ui/submit_dialog.cpp) lists the entries, deletes them, downloads them all
// as one JSON file and retries sending them once a server is reachable.
//
// An entry keeps the exact POST body and its Idempotency-Key: a retry of an entry the
// server already took (e.g. the answer was lost) gets the first answer back and stores
// nothing twice. Entries are keyed by the Idempotency-Key, so saving the same draft
// version twice keeps one entry.
//
// C++ sees the list (without the bodies) through rl_outbox_set(json), called after every
// change; it calls back through ReachLensOutbox.remove/download/retry (EM_JS in
// src/app/api_outbox.cpp).
(function () {
  'use strict';

  const STORAGE_KEY = 'reachlens.outbox/1';
  const FORMAT = 'reachlens.outbox/1';
  const P = window.ReachLensPlatform;
  const api = window.reachlens = window.reachlens || {};
  const O = { retrying: false, note: '', downloads: 0, storageError: '' };

  // ---------------------------------------------------------------- storage
  function read() {
    try {
      const raw = window.localStorage.getItem(STORAGE_KEY);
      const list = raw ? JSON.parse(raw) : [];
      return Array.isArray(list) ? list.filter((e) => e && typeof e.key === 'string' && e.body) : [];
    } catch (e) {
      return [];   // unreadable (storage off, or edited by hand): an empty outbox, never a crash
    }
  }
  function write(list) {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
      O.storageError = '';
      return true;
    } catch (e) {
      O.storageError = 'browser storage refused the outbox: ' + (e && e.message ? e.message : e);
      console.warn('[reachlens] ' + O.storageError);
      return false;
    }
  }

  // What the dashboard shows: everything but the bodies.
  function view() {
    return {
      retrying: O.retrying,
      note: O.note,
      storage_error: O.storageError,
      entries: read().map((e) => ({
        id: e.id, created_at: e.created_at, campaign_id: e.campaign_id, kind: e.kind,
        origin: e.body && e.body.campaign && typeof e.body.campaign.origin === 'string' ? e.body.campaign.origin : '',
        audience: e.audience, reached: e.reached, deliveries: e.deliveries,
        reason: e.reason || '', last_error: e.last_error || '',
      })),
    };
  }
  function sync() {
    const M = P && P.Module;
    if (!M || !M._rl_outbox_set) return;
    P.call('rl_outbox_set', JSON.stringify(view()));
    P.wake();
  }

  const num = (v) => (typeof v === 'number' && isFinite(v) ? v : 0);

  // Saves a submission the server did not get. Returns the entry, or null when the
  // browser refused to store it (the dialog then says so).
  function add(payloadText, key, apiBase, reason) {
    let body;
    try { body = JSON.parse(payloadText); } catch (e) { return null; }
    const summary = (body && body.summary) || {};
    const campaign = (body && body.campaign) || {};
    const entry = {
      id: key,
      key,
      created_at: new Date().toISOString(),
      campaign_id: typeof campaign.id === 'string' ? campaign.id : '',
      kind: typeof campaign.kind === 'string' ? campaign.kind : '',
      audience: num(summary.audience),
      reached: num(summary.reached),
      deliveries: num(summary.deliveries),
      api_base: apiBase || null,
      reason: String(reason || ''),
      body,
    };
    const list = read().filter((e) => e.key !== key);
    list.push(entry);
    const ok = write(list);
    sync();
    return ok ? entry : null;
  }

  function remove(id) {
    const list = read();
    const kept = list.filter((e) => e.id !== id);
    if (kept.length !== list.length) write(kept);
    sync();
    return kept.length !== list.length;
  }

  function setError(key, message) {
    const list = read();
    const e = list.find((x) => x.key === key);
    if (!e) return;
    e.last_error = message;
    write(list);
  }

  function exportDocument() {
    return { format: FORMAT, exported_at: new Date().toISOString(), entries: read() };
  }

  function download() {
    const text = JSON.stringify(exportDocument(), null, 2);
    const blob = new Blob([text], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 13);
    a.href = url;
    a.download = 'reachlens-outbox-' + stamp + '.json';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    O.downloads++;
  }

  // Sends every entry again with its own key. Accepted ones leave the outbox; the others
  // stay with the reason on them.
  async function retry() {
    if (O.retrying) return;
    const S = window.ReachLensSubmit;
    if (!S || !S.post) return;
    O.retrying = true;
    O.note = '';
    sync();
    let accepted = 0, failed = 0;
    try {
      for (const e of read()) {
        // Files kept in the browser (IndexedDB, web/upload.js) go up first.
        const payload = S.withUploads ? await S.withUploads(JSON.stringify(e.body)) : JSON.stringify(e.body);
        const answer = await S.post(payload, e.key);
        if (answer.status === 201) {
          accepted++;
          remove(e.id);
          S.announceAccepted(answer.text);
        } else {
          failed++;
          setError(e.key, answer.message);
        }
      }
    } finally {
      O.retrying = false;
      O.note = JSON.stringify({ accepted, failed });
      sync();
    }
  }

  // Another tab changed the outbox.
  window.addEventListener('storage', (e) => { if (e.key === STORAGE_KEY) sync(); });
  window.addEventListener('reachlens:ready', sync);

  window.ReachLensOutbox = { add, remove, download, retry, sync, list: read, exportDocument };
  api.outbox = {
    get entries() { return read(); },
    get downloads() { return O.downloads; },
    get retrying() { return O.retrying; },
  };
})();
