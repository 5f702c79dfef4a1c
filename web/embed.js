/*
 * ReachLens embed helper — plain JS, no build step.
 *
 *   <script src="/embed.js"></script>
 *   const rl = ReachLens.mount(document.getElementById('slot'), {
 *     src: 'https://reachlens.example.com/index.html',   // the module page
 *     apiBase: '/api', token: '…', locale: 'zh-CN', theme: 'light',
 *     datasetUrl: '/api/dataset',          // or dataset: {format: 'reachlens.dataset/1', …};
 *                                          // default {apiBase}/dataset; false = none
 *     preset: 'wecom-2025',                // or rules: {format: 'reachlens.rules/1', …}
 *     campaign: {format: 'reachlens.campaign/1', …},
 *   });
 *   rl.on('reachlens.preview', (msg) => show(msg.summary));
 *   const summary = await rl.requestPreview();
 *
 * Protocol: docs/contract.md section 9. The iframe gets
 * `?host=<this page's origin>`; messages go only to the iframe's own origin (never
 * "*"), and only messages from that iframe's window with that origin are accepted.
 * The module's state (config, dataset, rules, campaign) is re-sent whenever it
 * (re)announces `reachlens.ready`, e.g. after the iframe reloads.
 *
 * Embedded, the module loads no tenant of its own: the dataset is the one this page
 * sends (dataset / datasetUrl), by default GET {apiBase}/dataset when apiBase is given.
 */
(function (global) {
  'use strict';

  var PREFIX = 'reachlens.';
  var DEFAULT_TIMEOUT_MS = 15000;

  function isMessage(data) {
    return !!data && typeof data === 'object' && !Array.isArray(data) &&
      typeof data.type === 'string' && data.type.indexOf(PREFIX) === 0;
  }

  function isObject(v) {
    return !!v && typeof v === 'object' && !Array.isArray(v);
  }

  // {url} (a string, or an object with `url` and no `format`) → load by URL;
  // any other object → the dataset itself.
  function loadMessageFor(d) {
    if (typeof d === 'string') return { url: d };
    if (isObject(d) && typeof d.url === 'string' && d.format === undefined) return { url: d.url };
    if (isObject(d)) return { dataset: d };
    throw new TypeError('ReachLens: setDataset expects a dataset object or {url}');
  }

  // 'wecom-2025' or {preset} → by name; any other object → a rules profile.
  function rulesMessageFor(r) {
    if (typeof r === 'string') return { preset: r };
    if (isObject(r) && typeof r.preset === 'string' && r.format === undefined) return { preset: r.preset };
    if (isObject(r)) return { rules: r };
    throw new TypeError('ReachLens: setRules expects a rules object, a preset name or {preset}');
  }

  function withHost(src, hostOrigin) {
    var sep = src.indexOf('?') >= 0 ? '&' : '?';
    var hash = '';
    var h = src.indexOf('#');
    if (h >= 0) { hash = src.slice(h); src = src.slice(0, h); }
    return src + sep + 'host=' + encodeURIComponent(hostOrigin) + hash;
  }

  function mount(element, options) {
    if (typeof element === 'string') element = document.querySelector(element);
    if (!element || typeof element.appendChild !== 'function') {
      throw new TypeError('ReachLens.mount: the first argument must be an element or a selector');
    }
    options = options || {};
    var src = options.src || '/index.html';
    var absolute = new URL(src, global.location.href);
    var targetOrigin = absolute.origin;
    if (!targetOrigin || targetOrigin === 'null') {
      throw new Error('ReachLens.mount: src must be an http(s) URL, got ' + src);
    }
    var timeoutMs = options.timeout > 0 ? options.timeout : DEFAULT_TIMEOUT_MS;
    var onPost = typeof options.onPost === 'function' ? options.onPost : null;

    // What the module should hold; replayed on every reachlens.ready.
    var state = { config: null, load: null, rules: null, campaign: null };
    var config = {};
    ['apiBase', 'token', 'locale', 'theme'].forEach(function (k) {
      if (options[k] !== undefined && options[k] !== null) config[k] = options[k];
    });
    if (Object.keys(config).length) state.config = config;
    if (options.dataset !== undefined && options.dataset !== null) state.load = loadMessageFor(options.dataset);
    else if (typeof options.datasetUrl === 'string') state.load = { url: options.datasetUrl };
    else if (options.datasetUrl !== false && typeof config.apiBase === 'string') {
      // The tenant's dataset lives at {apiBase}/dataset (contract section 2).
      state.load = { url: config.apiBase.replace(/\/+$/, '') + '/dataset' };
    }
    if (options.rules !== undefined && options.rules !== null) state.rules = rulesMessageFor(options.rules);
    else if (typeof options.preset === 'string') state.rules = { preset: options.preset };
    if (isObject(options.campaign)) state.campaign = { campaign: options.campaign };

    var iframe = document.createElement('iframe');
    iframe.src = withHost(src, global.location.origin);
    iframe.setAttribute('allow', 'clipboard-write');
    iframe.setAttribute('title', options.title || 'ReachLens');
    iframe.style.border = '0';
    iframe.style.width = '100%';
    iframe.style.height = '100%';
    iframe.style.display = 'block';

    var ready = false;
    var destroyed = false;
    var readyInfo = null;
    var waitingPreviews = [];   // requestPreview() calls made before ready
    var pending = {};           // id → {resolve, reject, timer}
    var handlers = {};          // type → [fn]
    var counter = 0;
    var readyResolve;
    var readyPromise = new Promise(function (resolve) { readyResolve = resolve; });

    function post(type, fields) {
      if (destroyed || !ready || !iframe.contentWindow) return false;
      var msg = { type: type };
      for (var k in fields) if (Object.prototype.hasOwnProperty.call(fields, k)) msg[k] = fields[k];
      iframe.contentWindow.postMessage(msg, targetOrigin);
      if (onPost) { try { onPost(msg); } catch (e) { setTimeout(function () { throw e; }); } }
      return true;
    }

    function replayState() {
      if (state.config) post('reachlens.config', state.config);
      if (state.load) post('reachlens.load', state.load);
      if (state.rules) post('reachlens.rules', state.rules);
      if (state.campaign) post('reachlens.campaign', state.campaign);
    }

    function emit(type, msg) {
      [type, '*'].forEach(function (t) {
        (handlers[t] || []).slice().forEach(function (fn) {
          try { fn(msg); } catch (e) { setTimeout(function () { throw e; }); }
        });
      });
    }

    function settle(id, error, summary) {
      var p = pending[id];
      if (!p) return;
      delete pending[id];
      clearTimeout(p.timer);
      if (error) p.reject(error); else p.resolve(summary);
    }

    function onMessage(event) {
      if (destroyed || event.source !== iframe.contentWindow || event.origin !== targetOrigin) return;
      var msg = event.data;
      if (!isMessage(msg)) return;
      if (msg.type === 'reachlens.ready') {
        ready = true;
        readyInfo = msg;
        replayState();
        var queued = waitingPreviews;
        waitingPreviews = [];
        queued.forEach(function (id) { post('reachlens.preview', { id: id }); });
        readyResolve(msg);
      } else if (msg.type === 'reachlens.preview' && typeof msg.id === 'string' && pending[msg.id]) {
        settle(msg.id, null, msg.summary);
      } else if (msg.type === 'reachlens.error' && typeof msg.id === 'string' && pending[msg.id]) {
        var err = new Error(msg.message || msg.code || 'reachlens.error');
        err.code = msg.code;
        err.detail = msg;
        settle(msg.id, err);
      }
      emit(msg.type, msg);
    }

    global.addEventListener('message', onMessage);
    element.appendChild(iframe);

    var api = {
      iframe: iframe,
      origin: targetOrigin,
      ready: readyPromise,            // resolves with the reachlens.ready message
      isReady: function () { return ready; },
      info: function () { return readyInfo; },
      setConfig: function (c) {
        if (!isObject(c)) throw new TypeError('ReachLens: setConfig expects an object');
        state.config = Object.assign({}, state.config || {}, c);
        post('reachlens.config', c);
      },
      setCampaign: function (c) {
        if (!isObject(c)) throw new TypeError('ReachLens: setCampaign expects a campaign object');
        state.campaign = { campaign: c };
        post('reachlens.campaign', state.campaign);
      },
      setDataset: function (d) {
        state.load = loadMessageFor(d);
        post('reachlens.load', state.load);
      },
      setRules: function (r) {
        state.rules = rulesMessageFor(r);
        post('reachlens.rules', state.rules);
      },
      requestPreview: function (timeout) {
        var ms = timeout > 0 ? timeout : timeoutMs;
        var id = 'rl-' + Date.now().toString(36) + '-' + (++counter);
        return new Promise(function (resolve, reject) {
          if (destroyed) { reject(new Error('ReachLens: destroyed')); return; }
          pending[id] = {
            resolve: resolve,
            reject: reject,
            timer: setTimeout(function () {
              var e = new Error('ReachLens: no reachlens.preview reply within ' + ms + ' ms');
              e.code = 'timeout';
              settle(id, e);
              waitingPreviews = waitingPreviews.filter(function (x) { return x !== id; });
            }, ms),
          };
          if (ready) post('reachlens.preview', { id: id });
          else waitingPreviews.push(id);
        });
      },
      on: function (type, handler) {
        if (typeof type !== 'string' || typeof handler !== 'function') {
          throw new TypeError('ReachLens: on(type, handler)');
        }
        (handlers[type] = handlers[type] || []).push(handler);
        return function unsubscribe() {
          var list = handlers[type] || [];
          var i = list.indexOf(handler);
          if (i >= 0) list.splice(i, 1);
        };
      },
      destroy: function () {
        if (destroyed) return;
        destroyed = true;
        global.removeEventListener('message', onMessage);
        Object.keys(pending).forEach(function (id) {
          var e = new Error('ReachLens: destroyed');
          e.code = 'destroyed';
          settle(id, e);
        });
        handlers = {};
        if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
      },
    };
    return api;
  }

  global.ReachLens = { mount: mount, version: '1', protocol: 1 };
})(window);
