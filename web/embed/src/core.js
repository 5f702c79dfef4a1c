// The ReachLens embed SDK, the one source of both builds (web/embed/build.mjs wraps it
// into an ES module and a classic script; web/embed.js is the classic build). It runs
// inside `function (global) { ... }` and ends by defining `ReachLens`. Nothing here
// touches the DOM before mount(), so importing the ES module on a server is harmless.
//
// Protocol: docs/contract.md section 9, plus the module's reachlens.resize
// (docs/integrate.md). The iframe gets `?host=<this page's origin>`; messages go only
// to the iframe's own origin (never "*"), and only messages from that iframe's window
// with that origin are accepted. The module's state (config, dataset, rules, campaign,
// results) is re-sent whenever it (re)announces reachlens.ready, e.g. after a reload.

var SDK_VERSION = '__SDK_VERSION__';
var PROTOCOL = 1;
// The dashboard's smallest usable size (CSS pixels): below it panels overlap or clip.
var MIN_WIDTH = 800;
var MIN_HEIGHT = 600;
var DEFAULT_READY_TIMEOUT_MS = 60000;    // wasm + font on a slow line
var DEFAULT_HANDSHAKE_MS = 5000;         // after the frame's load event, for the module's first message
var DEFAULT_TIMEOUT_MS = 15000;          // requestPreview()
var PREFIX = 'reachlens.';

class ReachLensError extends Error {
  constructor(code, message, detail) {
    super(message);
    this.name = 'ReachLensError';
    this.code = code;
    if (detail !== undefined) this.detail = detail;
  }
}

function isObject(v) {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function isMessage(data) {
  return isObject(data) && typeof data.type === 'string' && data.type.indexOf(PREFIX) === 0;
}

// A string or {url} (an object with `url` and no `format`) → by URL; another object → the document.
function documentOrUrl(value, field, what) {
  var out = {};
  if (typeof value === 'string') out.url = value;
  else if (isObject(value) && typeof value.url === 'string' && value.format === undefined) out.url = value.url;
  else if (isObject(value)) out[field] = value;
  else throw new TypeError('ReachLens: ' + what + ' expects a ' + field + ' object, a URL or {url}');
  return out;
}

// 'wecom-2025' or {preset} → by name; any other object → a rules profile.
function rulesMessageFor(r) {
  if (typeof r === 'string') return { preset: r };
  if (isObject(r) && typeof r.preset === 'string' && r.format === undefined) return { preset: r.preset };
  if (isObject(r)) return { rules: r };
  throw new TypeError('ReachLens: setRules expects a rules object, a preset name or {preset}');
}

function withHost(src, hostOrigin) {
  var hash = '';
  var h = src.indexOf('#');
  if (h >= 0) { hash = src.slice(h); src = src.slice(0, h); }
  return src + (src.indexOf('?') >= 0 ? '&' : '?') + 'host=' + encodeURIComponent(hostOrigin) + hash;
}

function rethrowLater(e) { setTimeout(function () { throw e; }); }

function positive(v, fallback) { return typeof v === 'number' && v > 0 ? v : fallback; }

function mount(element, options) {
  var doc = global.document;
  if (typeof element === 'string') element = doc.querySelector(element);
  if (!element || typeof element.appendChild !== 'function') {
    throw new TypeError('ReachLens.mount: the first argument must be an element or a selector');
  }
  options = options || {};
  var src = options.src || '/index.html';
  var targetOrigin = new URL(src, global.location.href).origin;
  if (!targetOrigin || targetOrigin === 'null') {
    throw new TypeError('ReachLens.mount: src must be an http(s) URL, got ' + src);
  }
  var previewTimeoutMs = positive(options.timeout, DEFAULT_TIMEOUT_MS);
  var readyTimeoutMs = positive(options.readyTimeout, DEFAULT_READY_TIMEOUT_MS);
  var handshakeMs = positive(options.handshakeTimeout, DEFAULT_HANDSHAKE_MS);
  var sizing = options.sizing === 'content' ? 'content' : 'fill';
  var maxHeight = positive(options.maxHeight, Infinity);
  var onPost = typeof options.onPost === 'function' ? options.onPost : null;

  // What the module should hold; replayed on every reachlens.ready.
  var state = { config: null, load: null, rules: null, campaign: null, results: null };
  var config = {};
  ['apiBase', 'token', 'locale', 'theme'].forEach(function (k) {
    if (options[k] !== undefined && options[k] !== null) config[k] = options[k];
  });
  if (Object.keys(config).length) state.config = config;
  if (options.dataset !== undefined && options.dataset !== null) state.load = documentOrUrl(options.dataset, 'dataset', 'dataset');
  else if (typeof options.datasetUrl === 'string') state.load = { url: options.datasetUrl };
  else if (options.datasetUrl !== false && typeof config.apiBase === 'string') {
    // The tenant's dataset lives at {apiBase}/dataset (contract section 2).
    state.load = { url: config.apiBase.replace(/\/+$/, '') + '/dataset' };
  }
  if (options.rules !== undefined && options.rules !== null) state.rules = rulesMessageFor(options.rules);
  else if (typeof options.preset === 'string') state.rules = { preset: options.preset };
  if (isObject(options.campaign)) state.campaign = { campaign: options.campaign };

  var iframe = doc.createElement('iframe');
  iframe.src = withHost(src, global.location.origin);
  iframe.setAttribute('allow', 'clipboard-write');
  iframe.setAttribute('title', options.title || 'ReachLens');
  iframe.style.border = '0';
  iframe.style.display = 'block';
  iframe.style.width = '100%';
  iframe.style.height = sizing === 'content' ? MIN_HEIGHT + 'px' : '100%';
  if (options.minSize !== false) {
    iframe.style.minWidth = MIN_WIDTH + 'px';
    iframe.style.minHeight = MIN_HEIGHT + 'px';
  }

  var status = 'loading';      // loading → ready | failed; any → destroyed
  var failure = null;          // the ReachLensError ready rejected with
  var readyInfo = null;
  var size = null;             // the last reachlens.resize
  var heardModule = false;     // any message from the module's window yet
  var cspBlocked = null;       // a securitypolicyviolation of this page that blocked the frame
  var waitingPreviews = [];    // requestPreview() ids asked before ready
  var pending = {};            // id → {resolve, reject, timer}
  var handlers = {};           // type → [{fn, once}]
  var counter = 0;
  var readyTimer = null;
  var handshakeTimer = null;
  var readyResolve, readyReject;
  var readyPromise = new Promise(function (resolve, reject) { readyResolve = resolve; readyReject = reject; });
  readyPromise.catch(function () {});  // a host that never awaits ready gets no unhandled rejection

  function post(type, fields) {
    if (status !== 'ready' || !iframe.contentWindow) return false;
    var msg = { type: type };
    for (var k in fields) if (Object.prototype.hasOwnProperty.call(fields, k)) msg[k] = fields[k];
    iframe.contentWindow.postMessage(msg, targetOrigin);
    if (onPost) { try { onPost(msg); } catch (e) { rethrowLater(e); } }
    return true;
  }

  function replayState() {
    if (state.config) post('reachlens.config', state.config);
    if (state.load) post('reachlens.load', state.load);
    if (state.rules) post('reachlens.rules', state.rules);
    if (state.campaign) post('reachlens.campaign', state.campaign);
    if (state.results) post('reachlens.results', state.results);
  }

  function emit(type, msg) {
    [type, '*'].forEach(function (t) {
      var list = handlers[t];
      if (!list) return;
      list.slice().forEach(function (h) {
        if (h.once) removeHandler(t, h.fn);
        try { h.fn(msg); } catch (e) { rethrowLater(e); }
      });
    });
  }

  function removeHandler(type, fn) {
    var list = handlers[type];
    if (!list) return;
    for (var i = list.length - 1; i >= 0; i--) if (!fn || list[i].fn === fn) list.splice(i, 1);
  }

  function settle(id, error, summary) {
    var p = pending[id];
    if (!p) return;
    delete pending[id];
    clearTimeout(p.timer);
    waitingPreviews = waitingPreviews.filter(function (x) { return x !== id; });
    if (error) p.reject(error); else p.resolve(summary);
  }

  function clearTimers() {
    clearTimeout(readyTimer);
    clearTimeout(handshakeTimer);
    readyTimer = handshakeTimer = null;
  }

  // The module will not come: ready rejects, and so does every preview waiting for it.
  function fail(code, message, detail) {
    if (status !== 'loading') return;
    status = 'failed';
    clearTimers();
    failure = new ReachLensError(code, 'ReachLens: ' + message, detail);
    readyReject(failure);
    waitingPreviews.slice().forEach(function (id) { settle(id, new ReachLensError(code, failure.message, detail)); });
  }

  function applySize() {
    if (sizing !== 'content' || !size) return;
    var h = Math.min(Math.max(size.height, MIN_HEIGHT), maxHeight);
    iframe.style.height = h + 'px';
  }

  function onLoad() {
    // The frame's document (or the browser's error page) loaded. The module posts
    // reachlens.resize as soon as its script runs, before this event in practice;
    // silence after it means this is not the module.
    if (status !== 'loading' || heardModule || handshakeTimer) return;
    handshakeTimer = setTimeout(function () {
      if (heardModule) return;
      if (cspBlocked) {
        fail('refused', 'this page\'s Content-Security-Policy (' + cspBlocked + ') blocked the frame ' + src +
             ': allow ' + targetOrigin + ' in frame-src');
      } else {
        fail('load_failed', 'the frame ' + src + ' loaded but no ReachLens module answered within ' + handshakeMs +
             ' ms: a wrong src, an HTTP error, an unreachable server, or a module server that does not allow ' +
             'embedding from ' + global.location.origin + ' (its allowlist: serve.py --allow-embed ORIGIN, ' +
             'frame-ancestors)');
      }
    }, handshakeMs);
  }

  function onViolation(event) {
    var directive = event.effectiveDirective || event.violatedDirective || '';
    if (status !== 'loading' || !/^(frame-src|child-src|default-src)/.test(directive)) return;
    var blocked = String(event.blockedURI || '');
    if (blocked.indexOf(targetOrigin) !== 0 && blocked !== src) return;
    cspBlocked = directive;
    fail('refused', 'this page\'s Content-Security-Policy (' + directive + ') blocked the frame ' + src +
         ': allow ' + targetOrigin + ' in frame-src');
  }

  function onMessage(event) {
    if (status === 'destroyed' || event.source !== iframe.contentWindow || event.origin !== targetOrigin) return;
    var msg = event.data;
    if (!isMessage(msg)) return;
    heardModule = true;
    clearTimeout(handshakeTimer);
    if (msg.type === 'reachlens.ready') {
      if (msg.protocol !== PROTOCOL) {
        // Never replay state into a module that reads messages differently.
        fail('protocol_mismatch', 'the module speaks protocol ' + JSON.stringify(msg.protocol) +
             ', this SDK (' + SDK_VERSION + ') speaks ' + PROTOCOL + ': use the SDK served with the module', msg);
        return;
      }
      if (status === 'failed') return;   // too late: ready rejected already (timeout)
      var first = status === 'loading';
      status = 'ready';
      readyInfo = msg;
      clearTimers();
      replayState();
      var queued = waitingPreviews;
      waitingPreviews = [];
      queued.forEach(function (id) { post('reachlens.preview', { id: id }); });
      if (first) readyResolve(msg);
    } else if (msg.type === 'reachlens.resize') {
      if (typeof msg.height === 'number' && msg.height > 0) {
        size = msg;
        applySize();
      }
    } else if (msg.type === 'reachlens.preview' && (typeof msg.id === 'string') && pending[msg.id]) {
      settle(msg.id, null, msg.summary);
    } else if (msg.type === 'reachlens.error' && typeof msg.id === 'string' && pending[msg.id]) {
      settle(msg.id, new ReachLensError(msg.code || 'internal', 'ReachLens: ' + (msg.message || msg.code), msg));
    }
    emit(msg.type, msg);
  }

  global.addEventListener('message', onMessage);
  doc.addEventListener('securitypolicyviolation', onViolation);
  iframe.addEventListener('load', onLoad);
  readyTimer = setTimeout(function () {
    fail('timeout', 'the module at ' + src + ' did not announce reachlens.ready within ' + readyTimeoutMs + ' ms' +
         (heardModule ? ' (its page loaded: is WebGL2 or WebAssembly unavailable?)' : ''));
  }, readyTimeoutMs);
  element.appendChild(iframe);

  function requireObject(v, what) {
    if (!isObject(v)) throw new TypeError('ReachLens: ' + what + ' expects an object');
  }

  var api = {
    iframe: iframe,
    origin: targetOrigin,
    ready: readyPromise,
    get status() { return status; },
    isReady: function () { return status === 'ready'; },
    info: function () { return readyInfo; },
    size: function () { return size; },
    setConfig: function (c) {
      requireObject(c, 'setConfig');
      state.config = Object.assign({}, state.config || {}, c);
      post('reachlens.config', c);
    },
    setCampaign: function (c) {
      requireObject(c, 'setCampaign');
      state.campaign = { campaign: c };
      post('reachlens.campaign', state.campaign);
    },
    setDataset: function (d) {
      state.load = documentOrUrl(d, 'dataset', 'setDataset');
      post('reachlens.load', state.load);
    },
    setRules: function (r) {
      state.rules = rulesMessageFor(r);
      post('reachlens.rules', state.rules);
    },
    setResults: function (r) {
      state.results = documentOrUrl(r, 'results', 'setResults');
      post('reachlens.results', state.results);
    },
    requestPreview: function (timeout) {
      var ms = positive(timeout, previewTimeoutMs);
      var id = 'rl-' + Date.now().toString(36) + '-' + (++counter);
      return new Promise(function (resolve, reject) {
        if (status === 'destroyed') { reject(new ReachLensError('destroyed', 'ReachLens: destroyed')); return; }
        if (status === 'failed') { reject(new ReachLensError(failure.code, failure.message, failure.detail)); return; }
        pending[id] = {
          resolve: resolve,
          reject: reject,
          timer: setTimeout(function () {
            settle(id, new ReachLensError('timeout', 'ReachLens: no reachlens.preview reply within ' + ms + ' ms'));
          }, ms),
        };
        if (status === 'ready') post('reachlens.preview', { id: id });
        else waitingPreviews.push(id);
      });
    },
    on: function (type, handler) {
      if (typeof type !== 'string' || typeof handler !== 'function') throw new TypeError('ReachLens: on(type, handler)');
      (handlers[type] = handlers[type] || []).push({ fn: handler, once: false });
      return function unsubscribe() { removeHandler(type, handler); };
    },
    once: function (type, handler) {
      if (typeof type !== 'string' || typeof handler !== 'function') throw new TypeError('ReachLens: once(type, handler)');
      (handlers[type] = handlers[type] || []).push({ fn: handler, once: true });
      return function unsubscribe() { removeHandler(type, handler); };
    },
    off: function (type, handler) {
      if (typeof type !== 'string') throw new TypeError('ReachLens: off(type, handler?)');
      removeHandler(type, typeof handler === 'function' ? handler : null);
    },
    destroy: function () {
      if (status === 'destroyed') return;
      var wasLoading = status === 'loading';
      status = 'destroyed';
      clearTimers();
      global.removeEventListener('message', onMessage);
      doc.removeEventListener('securitypolicyviolation', onViolation);
      iframe.removeEventListener('load', onLoad);
      if (wasLoading) readyReject(new ReachLensError('destroyed', 'ReachLens: destroyed before the module was ready'));
      Object.keys(pending).forEach(function (id) { settle(id, new ReachLensError('destroyed', 'ReachLens: destroyed')); });
      handlers = {};
      if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
    },
  };
  return api;
}

var ReachLens = {
  mount: mount,
  ReachLensError: ReachLensError,
  version: SDK_VERSION,
  protocol: PROTOCOL,
  MIN_WIDTH: MIN_WIDTH,
  MIN_HEIGHT: MIN_HEIGHT,
};
