// Drafts kept in the browser's storage (src/ui/drafts.cpp, src/app/api_storage.cpp).
//
// Each edited draft is one localStorage entry, key "reachlens.draft.<id>":
//   {"format": "reachlens.saved-draft/1", "id", "updated": ms since 1970, "preset",
//    "rules": custom rules JSON text or null, "draft": the reachlens.campaign/1 document,
//    "submission": {key, version, campaign_id, state, server_id, at, status} or null}
// C++ hands over the current draft after each edit (save); the write happens 0.5 s after
// the last edit, and at once when the page is hidden or closed (pagehide), so a reload or
// a crash loses at most the last half second. Storage full or unavailable (private mode,
// blocked cookies) -> the drafts panel says so and editing continues.
//
// window.ReachLensStorage: attach(Module), restore(Module) (start-up: reopen the last
// edited draft; false = nothing to reopen), save(id, entryJson), remove(id), list(),
// flush().
(function () {
  'use strict';

  const PREFIX = 'reachlens.draft.';
  const DEBOUNCE_MS = 500;
  const S = { Module: null, pending: new Map(), timer: 0, available: true };

  function store() {
    try { return window.localStorage; } catch (e) { return null; }  // SecurityError when blocked
  }

  // A storage failure by code (src/ui/i18n.cpp "drafts.<code>", worded in the UI's language)
  // with the draft id and the English for logs; no code: storage works again.
  function reportError(code, message, params) {
    const report = code ? JSON.stringify(Object.assign({ code, message }, params || {})) : '';
    if (S.Module) S.Module.ccall('rl_storage_error', null, ['string'], [report]);
  }

  function pad(n) { return String(n).padStart(2, '0'); }
  function localTime(ms) {
    const d = new Date(ms);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' +
      pad(d.getMinutes());
  }

  // Every saved draft, newest first.
  S.list = function () {
    const ls = store();
    if (!ls) return [];
    const out = [];
    for (let i = 0; i < ls.length; i++) {
      const key = ls.key(i);
      if (!key || !key.startsWith(PREFIX)) continue;
      let entry = null;
      try { entry = JSON.parse(ls.getItem(key)); } catch (e) { entry = null; }
      const id = key.slice(PREFIX.length);
      if (!entry || typeof entry !== 'object') entry = { id, updated: 0, draft: null };  // shown as damaged
      entry.id = id;
      entry.updated_text = entry.updated ? localTime(entry.updated) : '';
      out.push(entry);
    }
    out.sort((a, b) => (b.updated || 0) - (a.updated || 0));
    return out;
  };

  function pushList() {
    if (S.Module) S.Module.ccall('rl_storage_set_list', null, ['string'], [JSON.stringify(S.list())]);
  }

  function write(id, entryText) {
    const ls = store();
    if (!ls) {
      reportError('storage_unavailable', 'Browser storage is unavailable (private mode?): drafts are not kept, editing continues.');
      return false;
    }
    let entry;
    try { entry = JSON.parse(entryText); } catch (e) { return false; }
    const record = { format: 'reachlens.saved-draft/1', id, updated: Date.now(), preset: entry.preset || null,
                     rules: entry.rules || null, draft: entry.draft, submission: entry.submission || null };
    try {
      ls.setItem(PREFIX + id, JSON.stringify(record));
    } catch (e) {
      const full = e && (e.name === 'QuotaExceededError' || e.code === 22 || e.code === 1014);
      if (full) {
        reportError('storage_full', 'Browser storage is full: draft "' + id + '" was not saved; editing continues — delete old drafts to free space.',
                    { id });
      } else {
        reportError('not_saved', 'Draft "' + id + '" not saved: ' + (e && e.message ? e.message : e), { id });
      }
      return false;
    }
    if (!S.available) reportError();
    S.available = true;
    return true;
  }

  S.flush = function () {
    if (S.timer) { clearTimeout(S.timer); S.timer = 0; }
    if (!S.pending.size) return;
    let ok = true;
    for (const [id, text] of S.pending) {
      if (write(id, text)) S.pending.delete(id);
      else ok = false;
    }
    S.available = ok;
    if (!ok) S.pending.clear();  // reported; the next edit tries again
    pushList();
  };

  S.save = function (id, entryText) {
    S.pending.set(id, entryText);
    if (S.timer) clearTimeout(S.timer);
    S.timer = setTimeout(S.flush, DEBOUNCE_MS);
  };

  S.remove = function (id) {
    S.pending.delete(id);
    const ls = store();
    try { if (ls) ls.removeItem(PREFIX + id); } catch (e) { /* reported by the next write */ }
    pushList();
  };

  S.attach = function (Module) {
    S.Module = Module;
    if (Module._rl_storage_attach) Module._rl_storage_attach();
    const ls = store();
    let ok = !!ls;
    if (ls) {
      try { ls.setItem(PREFIX + '__probe', '1'); } catch (e) { ok = false; }
      try { ls.removeItem(PREFIX + '__probe'); } catch (e) { /* ignore */ }
    }
    S.available = ok;
    if (!ok) {
      reportError('storage_unavailable', 'Browser storage is unavailable (private mode or full): drafts are not kept, editing continues.');
    }
    pushList();
  };

  // Start-up, after the dataset loaded: reopen the last edited draft. Embedded in a host
  // page (web/host.js), the host decides which campaign is open: nothing is reopened.
  S.restore = function (Module) {
    if (!S.Module) S.attach(Module);
    if (window.ReachLensHost && window.ReachLensHost.origin) return false;
    if (!S.list().some((e) => e.draft)) return false;
    return Module._rl_storage_reopen_latest() === 0;
  };

  // Hidden or closed: C++ hands over an edit the debounce has not seen yet, then write.
  function flushNow() {
    if (!S.Module) return;
    try { S.Module._rl_storage_flush(); } catch (e) { /* the module may be gone */ }
    S.flush();
  }
  window.addEventListener('pagehide', flushNow);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flushNow(); });

  window.ReachLensStorage = S;
})();
