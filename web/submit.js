// ReachLens submit flow, page half: POSTs the campaign the confirmation dialog built
// (src/ui/submit_dialog.cpp) to {apiBase}/campaigns (docs/contract.md
// section 10) and hands the answer back to C++ (rl_submit_done(status, text); status 0 =
// not sent, text = why). apiBase and token come from reachlens.config when embedded
// (web/host.js); standalone, "/api" on the page's origin; from file:// there is none.
// When embedded, the host also gets reachlens.submitted {campaign_id, response} or
// reachlens.error {code:"submit_failed"}.
//
// No server: when there is no API base (file://), the POST fails on the network, or the
// origin has no ReachLens API (404/405/501 without a {error:{code}} body, e.g. a static
// file server), the submission goes to the outbox (web/outbox.js) instead of being lost.
(function () {
  'use strict';

  const P = window.ReachLensPlatform;
  const api = window.reachlens = window.reachlens || {};
  const S = { sent: 0, answered: 0, last: null, acceptedLists: 0 };

  function config() {
    const H = window.ReachLensHost;
    const c = H && H.apiConfig ? H.apiConfig() : { apiBase: null, token: null };
    let base = c.apiBase;
    // A page from file:// has the opaque origin "null": no server behind it.
    if (!base && location.origin && location.origin !== 'null' && /^https?:$/.test(location.protocol)) {
      base = new URL('/api', location.origin).href;
    }
    return { apiBase: base ? base.replace(/\/+$/, '') : null, token: c.token || null };
  }

  const errorMessage = (e) => String(e && e.message ? e.message : e);

  function apiError(text) {
    try {
      const e = JSON.parse(text).error;
      if (e && typeof e.code === 'string') return e;
    } catch (err) { /* not JSON */ }
    return null;
  }

  // One POST. Resolves with {status, text, message, offline}: offline = no ReachLens API
  // answered (the submission belongs in the outbox); message = a one-line reason. The UI words
  // these messages by their leads (src/ui/i18n.cpp host_message_text): keep the leads as they are.
  async function post(payload, key) {
    const { apiBase, token } = config();
    if (!apiBase) {
      return { status: 0, text: '', offline: true, message: 'no server to send to: the page was opened from ' + location.protocol + '//' };
    }
    const url = apiBase + '/campaigns';
    const headers = { 'Content-Type': 'application/json', 'Idempotency-Key': key };
    if (token) headers.Authorization = 'Bearer ' + token;
    let response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: payload, cache: 'no-store', credentials: 'omit' });
    } catch (e) {
      return { status: 0, text: '', offline: true, message: 'cannot reach ' + url + ': ' + errorMessage(e) };
    }
    let text = '';
    try { text = await response.text(); } catch (e) { text = ''; }
    const err = apiError(text);
    if (!err && [404, 405, 501].includes(response.status)) {
      return { status: 0, text: '', offline: true, message: 'no ReachLens API at ' + url + ' (HTTP ' + response.status + ')' };
    }
    let message = '';
    if (response.status !== 201) {
      message = err ? 'HTTP ' + response.status + ' ' + err.code + ': ' + err.message
                    : 'HTTP ' + response.status + ': ' + text.slice(0, 300);
    }
    return { status: response.status, text, offline: false, message };
  }

  // The campaigns the server accepted (GET {apiBase}/campaigns), so a draft submitted
  // before a reload, or from another tab, shows as submitted. Nothing without a server.
  async function refreshAccepted() {
    const { apiBase, token } = config();
    const M = P && P.Module;
    if (!apiBase || !M || !M._rl_set_accepted_campaigns) return false;
    try {
      const headers = token ? { Authorization: 'Bearer ' + token } : {};
      const response = await fetch(apiBase + '/campaigns', { headers, cache: 'no-store', credentials: 'omit' });
      if (!response.ok) return false;
      P.call('rl_set_accepted_campaigns', await response.text());
      P.wake();
      S.acceptedLists++;
      return true;
    } catch (e) {
      return false;
    }
  }
  // The results the server stores for accepted campaign `serverId` (GET
  // {apiBase}/campaigns/<id>/results), answered to rl_stored_results(id, status, body);
  // status 0: no answer (body = why). False when there is no server to ask.
  function fetchResults(serverId) {
    const { apiBase, token } = config();
    const M = P && P.Module;
    if (!apiBase || !M || !M._rl_stored_results) return false;
    const answer = (status, text) => {
      P.withBytes(new TextEncoder().encode(text), (ptr, len) =>
        M.ccall('rl_stored_results', null, ['string', 'number', 'number', 'number'], [serverId, status, ptr, len]));
      P.wake();
    };
    const url = apiBase + '/campaigns/' + encodeURIComponent(serverId) + '/results';
    const headers = token ? { Authorization: 'Bearer ' + token } : {};
    fetch(url, { headers, cache: 'no-store', credentials: 'omit' })
      .then(async (response) => answer(response.status, await response.text()))
      .catch((e) => answer(0, 'cannot reach ' + url + ': ' + errorMessage(e)));
    return true;
  }

  window.addEventListener('reachlens:ready', refreshAccepted);
  window.addEventListener('reachlens:api-config', refreshAccepted);

  function announceAccepted(text) {
    const H = window.ReachLensHost;
    if (!H || !H.connected || !H.postSubmitted) return;
    let response = null;
    try { response = JSON.parse(text); } catch (e) { response = text; }
    H.postSubmitted(response && response.id, response);
  }

  function done(answer) {
    S.answered++;
    S.last = { status: answer.status, text: answer.text, offline: answer.offline, message: answer.message };
    const M = P && P.Module;
    if (M && M._rl_submit_done) {
      M.ccall('rl_submit_done', null, ['number', 'string'], [answer.status, answer.status ? answer.text : answer.message]);
    }
    if (answer.status === 201) {
      announceAccepted(answer.text);
      refreshAccepted();
      return;
    }
    const H = window.ReachLensHost;
    if (H && H.connected && H.postSubmitError) {
      H.postSubmitError(answer.saved ? 'saved to the outbox: ' + answer.message : answer.message);
    }
  }

  // Attachments whose upload is still waiting (no server when they were attached) are
  // uploaded now (web/upload.js) and their `media` ids put into the body; the server
  // re-derives the request bodies from the campaign, so only the campaign needs them.
  async function withUploads(payload) {
    const Up = window.ReachLensUpload;
    if (!Up) return payload;
    let body;
    try { body = JSON.parse(payload); } catch (e) { return payload; }
    const before = JSON.stringify(body.campaign);
    await Up.ensureUploaded(body.campaign);
    return JSON.stringify(body.campaign) === before ? payload : JSON.stringify(body);
  }

  async function send(payload, key) {
    S.sent++;
    payload = await withUploads(payload);
    const answer = await post(payload, key);
    const O = window.ReachLensOutbox;
    if (answer.offline && O) {
      answer.saved = !!O.add(payload, key, config().apiBase, answer.message);
      if (!answer.saved) answer.message += ' (and the browser refused to store it in the outbox)';
    } else if (answer.status === 201 && O) {
      O.remove(key);   // a retry from the dialog of a submission the outbox held
    }
    done(answer);
  }

  window.ReachLensSubmit = {
    send(payload, key) {
      send(payload, key).catch((e) => done({ status: 0, text: '', offline: false, message: errorMessage(e) }));
    },
    post,
    announceAccepted,
    config,
    withUploads,
    refreshAccepted,
    fetchResults,
  };
  api.submit = {
    get sent() { return S.sent; },
    get answered() { return S.answered; },
    get last() { return S.last; },
    get apiBase() { return config().apiBase; },
    get acceptedLists() { return S.acceptedLists; },
  };
})();
