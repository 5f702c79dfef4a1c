// ReachLens submit flow, page half: POSTs the campaign the confirmation dialog built
// (src/ui/dashboard.cpp) to {apiBase}/campaigns (/work/shared/spec/embedding.md section 2)
// and hands the answer back to C++ (rl_submit_done(status, text); status 0 = network
// failure, text = the error). apiBase and token come from reachlens.config when embedded
// (web/host.js); standalone, "/api" on the page's origin. When embedded, the host also
// gets reachlens.submitted {campaign_id, response} or reachlens.error {code:"submit_failed"}.
(function () {
  'use strict';

  const P = window.ReachLensPlatform;
  const api = window.reachlens = window.reachlens || {};
  const S = { sent: 0, answered: 0, last: null };

  function config() {
    const H = window.ReachLensHost;
    const c = H && H.apiConfig ? H.apiConfig() : { apiBase: null, token: null };
    const base = c.apiBase || new URL('/api', location.origin).href;
    return { apiBase: base.replace(/\/+$/, ''), token: c.token || null };
  }

  function done(status, text) {
    S.answered++;
    S.last = { status, text };
    const M = P && P.Module;
    if (M && M._rl_submit_done) M.ccall('rl_submit_done', null, ['number', 'string'], [status, text]);
    const H = window.ReachLensHost;
    if (!H || !H.connected) return;
    if (status === 201) {
      let response = null;
      try { response = JSON.parse(text); } catch (e) { response = text; }
      if (H.postSubmitted) H.postSubmitted(response && response.id, response);
    } else if (H.postSubmitError) {
      let message = text;
      if (status) {
        try {
          const e = JSON.parse(text).error;
          message = 'HTTP ' + status + ' ' + e.code + ': ' + e.message;
        } catch (err) { message = 'HTTP ' + status + ': ' + text; }
      }
      H.postSubmitError(message);
    }
  }

  async function send(payload, key) {
    S.sent++;
    const { apiBase, token } = config();
    const headers = { 'Content-Type': 'application/json', 'Idempotency-Key': key };
    if (token) headers.Authorization = 'Bearer ' + token;
    let response;
    try {
      response = await fetch(apiBase + '/campaigns', {
        method: 'POST', headers, body: payload, cache: 'no-store', credentials: 'omit',
      });
    } catch (e) {
      done(0, 'cannot reach ' + apiBase + '/campaigns: ' + (e && e.message ? e.message : e));
      return;
    }
    let text = '';
    try { text = await response.text(); } catch (e) { text = ''; }
    done(response.status, text);
  }

  window.ReachLensSubmit = {
    send(payload, key) { send(payload, key).catch((e) => done(0, String(e && e.message ? e.message : e))); },
  };
  api.submit = {
    get sent() { return S.sent; },
    get answered() { return S.answered; },
    get last() { return S.last; },
    get apiBase() { return config().apiBase; },
  };
})();
