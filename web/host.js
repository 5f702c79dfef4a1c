// ReachLens host protocol, JS half: the module's side of the host page <-> module
// messages (docs/contract.md section 9). The C++ half
// (src/app/api_host_protocol.cpp) builds the messages the module sends on its own
// (reachlens.ready, reachlens.preview after every recompute, reachlens.draft after a UI
// edit) and hands them to ReachLensHost.send.
//
//   - The host's origin comes from `?host=<origin>` (exactly an origin, e.g.
//     https://saas.example.com). Without it, or when the page is not in a frame, the
//     module is standalone and accepts no messages.
//   - The module obeys its embedder: a ?host= origin is accepted only when the server that
//     served this page lists it in reachlens-embed.json ({allow_embed:[origins]}, served by
//     serve.py from --allow-embed), fetched from the page's own origin before any message
//     is taken, or when it is the page's own origin. Not listed, no such file, or a page from file:// / the single-file build:
//     no host is accepted. The module still considers itself embedded (it loads no demo
//     tenant), so a stranger's frame shows an empty module that answers nothing.
//   - Accepted: only messages whose event.source is window.parent and whose
//     event.origin is exactly that origin. Posted: only to that origin, never "*".
//   - Incoming messages are validated here (an object, a string `type`, field types)
//     and turned into calls of the exported C API; campaign and rules objects go to the
//     engine's loaders as JSON text (rl_set_campaign_json, ...); a dataset (object or URL)
//     loads as the data panel's do (web/data.js: parsed in the dataset worker, the page
//     never paused). Malformed messages get reachlens.error and change nothing; unknown
//     reachlens.* types and non-reachlens types are ignored. Messages are handled one after
//     another (a dataset load finishes before the next message runs).
//   - Messages that arrive before the module is ready wait for it; reachlens.ready is
//     posted once the first frame with data is up (window.reachlens.ready).
//   - reachlens.resize {height, min_width, min_height} (CSS px; docs/integrate.md): posted
//     as soon as the host is known to be allowed (height = min_height: nothing is drawn yet; it also tells
//     the host SDK that the page at its src is the module), then whenever the dashboard's
//     preferred height (rl_state_json preferred_height: the composer column unscrolled)
//     changes. It is the only message posted before reachlens.ready.
//   - apiBase and token (reachlens.config) are kept here for the submit flow; a
//     relative `url`/`apiBase` is resolved against the host's origin. The token goes only
//     to apiBase's origin (H.authHeaders): a reachlens.load url elsewhere is fetched
//     without it.
(function () {
  'use strict';

  const P = window.ReachLensPlatform;
  const api = window.reachlens = window.reachlens || {};

  const H = {
    origin: null,        // the host's origin, null when standalone
    allowed: null,       // the server's allowlist has the origin: null = not known yet
    connected: false,    // reachlens.ready sent: the module takes messages and posts its own
    apiBase: null,
    token: null,
    waiting: [],         // messages received before ready
    chain: Promise.resolve(),
    received: 0,         // accepted messages (tests)
    ignored: 0,          // messages dropped by the origin/source check (tests)
  };

  function parseHost() {
    const raw = new URLSearchParams(location.search).get('host');
    if (!raw) return null;
    let origin = null;
    try { origin = new URL(raw).origin; } catch (e) { origin = null; }
    if (!origin || origin === 'null' || origin !== raw) {
      console.warn('[reachlens] ?host= must be exactly an origin (scheme://host[:port]), got ' + raw + ': standalone');
      return null;
    }
    if (window.parent === window) {
      console.warn('[reachlens] ?host= given but the page is not in a frame: standalone');
      return null;
    }
    return origin;
  }
  H.origin = parseHost();

  // Asks the page's own server whether it lets H.origin embed the module.
  async function embedAllowed(origin) {
    if (window.ReachLensBundle || location.protocol === 'file:') return false;  // offline: nobody
    if (origin === location.origin) return true;  // a page of the module's own site (serve.py's /host-demo.html)
    try {
      const r = await fetch(new URL('reachlens-embed.json', location.href).href,
                            { cache: 'no-store', credentials: 'same-origin' });
      if (!r.ok) return false;
      const cfg = await r.json();
      return !!cfg && Array.isArray(cfg.allow_embed) && cfg.allow_embed.includes(origin);
    } catch (e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- sending
  function post(msg) {
    if (!H.origin || !H.connected) return;
    window.parent.postMessage(msg, H.origin);
  }

  // The dashboard's smallest usable size (also the SDK's MIN_WIDTH/MIN_HEIGHT).
  const MIN_WIDTH = 800;
  const MIN_HEIGHT = 600;
  const RESIZE_POLL_MS = 250;
  let postedHeight = 0;
  function postResize(height) {
    if (!H.origin || !H.allowed || height === postedHeight) return;  // a host not allowed hears nothing
    postedHeight = height;
    window.parent.postMessage({ type: 'reachlens.resize', height, min_width: MIN_WIDTH, min_height: MIN_HEIGHT }, H.origin);
  }
  function watchPreferredHeight() {
    setInterval(() => {
      if (document.hidden || !P.Module || !P.Module._rl_state_json) return;
      let height = 0;
      try { height = JSON.parse(P.callString('rl_state_json')).preferred_height || 0; } catch (e) { return; }
      if (height > 0) postResize(Math.max(MIN_HEIGHT, Math.round(height)));
    }, RESIZE_POLL_MS);
  }
  function postError(code, message, id) {
    const msg = { type: 'reachlens.error', code, message: String(message) };
    if (id !== undefined) msg.id = id;
    post(msg);
  }
  // From C++ (src/app/api_host_protocol.cpp): a message as JSON text.
  H.send = function (json) {
    if (!H.connected) return;
    try { post(JSON.parse(json)); } catch (e) { console.error('[reachlens] bad outgoing message', e); }
  };

  // ---------------------------------------------------------------- C API
  function M() { return P.Module; }
  function lastError() { return M().UTF8ToString(M()._rl_last_error()); }
  // Passes text as (ptr, len) to an exported function; returns its int result.
  function callBytes(name, text) {
    const Mod = M();
    const bytes = new TextEncoder().encode(text);
    const ptr = Mod._malloc(Math.max(1, bytes.length)) >>> 0;
    if (!ptr) throw new Error('out of memory for ' + bytes.length + ' bytes');
    Mod.HEAPU8.set(bytes, ptr);  // HEAPU8 read after _malloc: memory growth replaces the view
    try { return Mod['_' + name](ptr, bytes.length); } finally { Mod._free(ptr); }
  }

  // ---------------------------------------------------------------- validation
  const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);
  const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined;
  class Invalid extends Error {}
  function check(cond, message) { if (!cond) throw new Invalid(message); }
  function optionalString(msg, key) {
    check(!has(msg, key) || typeof msg[key] === 'string', key + ' must be a string');
  }
  function resolveUrl(url) {
    return new URL(url, H.origin + '/').href;
  }

  // The API's origin: the host's apiBase, else the page's own /api (web/submit.js).
  function apiOrigin() {
    try {
      if (H.apiBase) return new URL(H.apiBase).origin;
      if (/^https?:$/.test(location.protocol)) return location.origin;
    } catch (e) { /* no API */ }
    return null;
  }
  // Authorization for a request to `url`: the bearer token only when `url` is on the API's
  // origin, so a host-named dataset URL elsewhere never sees it.
  H.authHeaders = function (url) {
    if (!H.token) return {};
    let origin = null;
    try { origin = new URL(url, location.href).origin; } catch (e) { return {}; }
    return origin === apiOrigin() ? { Authorization: 'Bearer ' + H.token } : {};
  };

  // type → handler(msg, id). Each validates everything before changing anything.
  const handlers = {
    'reachlens.config'(msg) {
      optionalString(msg, 'apiBase');
      optionalString(msg, 'token');
      check(!has(msg, 'locale') || msg.locale === 'zh-CN' || msg.locale === 'en', 'locale must be "zh-CN" or "en"');
      check(!has(msg, 'theme') || msg.theme === 'light' || msg.theme === 'dark', 'theme must be "light" or "dark"');
      let apiBase;
      if (has(msg, 'apiBase')) {
        try { apiBase = resolveUrl(msg.apiBase); } catch (e) { throw new Invalid('apiBase is not a URL: ' + msg.apiBase); }
      }
      if (apiBase !== undefined) {
        H.apiBase = apiBase.replace(/\/+$/, '');
        window.dispatchEvent(new CustomEvent('reachlens:api-config'));  // web/submit.js re-reads the accepted campaigns
      }
      if (has(msg, 'token')) H.token = msg.token || null;
      if (has(msg, 'locale')) P.call('rl_set_language', msg.locale);
      if (has(msg, 'theme')) P.call('rl_set_theme', msg.theme);
    },

    // The dataset loads as one the marketer picked would (web/data.js: streamed, parsed in the
    // dataset worker, loaded in short steps, the tenant in use kept until the new one is
    // whole), after any load already running, quietly (no toast; a module without a draft
    // gets one, which the host's campaign replaces). The next message runs once it ended.
    async 'reachlens.load'(msg, id) {
      check(has(msg, 'dataset') !== has(msg, 'url'), 'reachlens.load needs exactly one of dataset (object) or url (string)');
      const D = window.ReachLensData;
      const options = { quiet: true, queued: true, draft: true };
      let loaded;
      if (has(msg, 'dataset')) {
        check(isObject(msg.dataset), 'dataset must be an object');
        loaded = await D.loadObject('dataset.json', msg.dataset, options);
      } else {
        const url = messageUrl(msg);
        loaded = await D.loadUrl(url, url, Object.assign({ credentials: 'omit' }, options));
      }
      if (!loaded) postLoadError(D.lastFailure, id);
    },

    // WeCom's results after the send (reachlens.results/1): reconciled with the draft.
    async 'reachlens.results'(msg, id) {
      check(has(msg, 'results') !== has(msg, 'url'), 'reachlens.results needs exactly one of results (object) or url (string)');
      let text;
      if (has(msg, 'results')) {
        check(isObject(msg.results), 'results must be an object');
        text = JSON.stringify(msg.results);
      } else {
        text = await fetchText(msg, id);
        if (text === null) return;
      }
      if (callBytes('rl_set_results_json', text) !== 0) postError('invalid_results', lastError(), id);
    },

    'reachlens.rules'(msg, id) {
      check(has(msg, 'rules') !== has(msg, 'preset'), 'reachlens.rules needs exactly one of rules (object) or preset (string)');
      if (has(msg, 'rules')) {
        check(isObject(msg.rules), 'rules must be an object');
        if (callBytes('rl_set_rules_json', JSON.stringify(msg.rules)) !== 0) postError('invalid_rules', lastError(), id);
      } else {
        check(typeof msg.preset === 'string', 'preset must be a string');
        if (P.call('rl_set_preset', msg.preset) !== 0) postError('invalid_rules', lastError(), id);
      }
    },

    'reachlens.campaign'(msg, id) {
      check(isObject(msg.campaign), 'campaign must be an object');
      if (callBytes('rl_set_campaign_json', JSON.stringify(msg.campaign)) !== 0) postError('invalid_campaign', lastError(), id);
    },

    'reachlens.preview'(msg, id) {
      const text = P.callString('rl_summary_json');
      const summary = text ? JSON.parse(text) : null;
      if (!summary) {
        postError('no_preview', 'nothing to preview yet: the module needs a dataset and a campaign', id);
        return;
      }
      const reply = { type: 'reachlens.preview', summary };
      if (id !== undefined) reply.id = id;
      post(reply);
    },
  };

  // A message's url, resolved against the host's origin.
  function messageUrl(msg) {
    check(typeof msg.url === 'string' && msg.url !== '', 'url must be a non-empty string');
    try { return resolveUrl(msg.url); } catch (e) { throw new Invalid('url is not a URL: ' + msg.url); }
  }

  // A dataset load that did not happen (web/data.js lastFailure): the engine refused the
  // document (invalid_dataset, its English message with the JSON pointer), or the bytes
  // never came whole (load_failed: fetch, HTTP, read error, or the marketer's Cancel).
  function postLoadError(failure, id) {
    const code = failure && failure.code;
    const invalid = code === 'input' || code === 'too_large' || code === 'out_of_memory';
    postError(invalid ? 'invalid_dataset' : 'load_failed', failure ? failure.message : 'the dataset did not load', id);
  }

  // msg.url fetched with the host's token; null (and a load_failed error posted) when it fails.
  async function fetchText(msg, id) {
    const url = messageUrl(msg);
    const headers = H.authHeaders(url);
    let response;
    try {
      response = await fetch(url, { headers, cache: 'no-cache', credentials: 'omit' });
    } catch (e) {
      postError('load_failed', 'cannot fetch ' + url + ': ' + (e && e.message ? e.message : e), id);
      return null;
    }
    if (!response.ok) {
      postError('load_failed', 'cannot fetch ' + url + ': HTTP ' + response.status + ' ' + response.statusText, id);
      return null;
    }
    return await response.text();
  }

  async function handle(msg) {
    if (!isObject(msg)) {
      postError('invalid_message', 'a message must be an object with a string type');
      return;
    }
    let id;
    if (has(msg, 'id') && (typeof msg.id === 'string' || (typeof msg.id === 'number' && isFinite(msg.id)))) id = msg.id;
    if (typeof msg.type !== 'string') {
      postError('invalid_message', 'a message needs a string type', id);
      return;
    }
    if (msg.type.indexOf('reachlens.') !== 0) return;              // not ours
    const handler = Object.prototype.hasOwnProperty.call(handlers, msg.type) ? handlers[msg.type] : null;
    if (!handler) return;                                           // unknown reachlens.* type: ignored
    if (has(msg, 'id') && id === undefined) {
      postError('invalid_message', 'id must be a string or a number');
      return;
    }
    try {
      await handler(msg, id);
    } catch (e) {
      if (e instanceof Invalid) postError('invalid_message', msg.type + ': ' + e.message, id);
      else postError('internal', msg.type + ': ' + (e && e.message ? e.message : e), id);
    }
  }

  function enqueue(msg) {
    H.chain = H.chain.then(() => handle(msg)).catch((e) => console.error('[reachlens] host message', e));
  }

  function onMessage(event) {
    if (!H.origin) return;
    if (event.source !== window.parent || event.origin !== H.origin || H.allowed === false) {
      H.ignored++;
      return;
    }
    H.received++;
    if (H.connected) enqueue(event.data);
    else H.waiting.push(event.data);
  }

  // The module can take messages: hooks on, reachlens.ready, then what waited.
  function connect() {
    if (!H.origin || !H.allowed || H.connected || !api.ready || !P.Module || !P.Module._rl_host_connect) return;
    const ready = P.callString('rl_host_connect');
    H.connected = true;
    post(JSON.parse(ready));
    watchPreferredHeight();
    const waiting = H.waiting;
    H.waiting = [];
    waiting.forEach(enqueue);
  }

  if (H.origin) {
    window.addEventListener('message', onMessage);
    window.addEventListener('reachlens:ready', connect);
    embedAllowed(H.origin).then((ok) => {
      H.allowed = ok;
      if (ok) {
        postResize(MIN_HEIGHT);
        connect();
        return;
      }
      console.warn('[reachlens] ' + H.origin + ' may not embed this module (not in its server\'s allow_embed list): ' +
                   'no message is taken or sent');
      H.ignored += H.waiting.length;
      H.received -= H.waiting.length;
      H.waiting = [];
    });
  }

  // What tests and the console can see (no token).
  api.host = {
    get origin() { return H.origin; },
    get allowed() { return H.allowed; },
    get connected() { return H.connected; },
    get apiBase() { return H.apiBase; },
    get hasToken() { return !!H.token; },
    get received() { return H.received; },
    get ignored() { return H.ignored; },
  };
  // For the submit flow (web/submit.js): where and with which credentials, and what
  // the host hears about the answer.
  H.apiConfig = () => ({ apiBase: H.apiBase, token: H.token });
  H.postSubmitted = (campaignId, response) =>
    post({ type: 'reachlens.submitted', campaign_id: campaignId, response });
  H.postSubmitError = (message) => postError('submit_failed', message);
  window.ReachLensHost = H;
})();
