// ReachLens page glue: what Emscripten 3.1.6's built-in GLFW does not do in a browser.
//   - text input and IME: a hidden <input> at ImGui's caret (focused while a text field
//     is active) forwards committed text (typing, compositionend) to rl_text_input;
//     GLFW's own keypress path is disabled in C++ (no char callback), and key events
//     that belong to a composition never reach GLFW;
//   - clipboard: paste through the document `paste` event (rl_paste_text), copy through
//     navigator.clipboard.writeText from ImGui's set-clipboard hook;
//   - wheel: DOM deltas scaled to ImGui steps (rl_wheel);
//   - hi-DPI and resizing: the canvas is sized in device pixels (C++ calls
//     glfwSetWindowSize with css size × devicePixelRatio, see rl_resize), and
//     devicePixelRatio changes (zoom, moving to another screen) are watched;
//   - the error overlay and the ready flag (window.reachlens).
// C++ calls into this file through EM_JS (src/platform/web.cpp).
(function () {
  'use strict';

  const P = {
    Module: null,           // the Emscripten module once its runtime is up
    canvas: null,
    input: null,
    composing: false,
    wantText: false,
    lastRect: '',
    compositionEndedAt: -1e9,
  };

  // window.reachlens: what tests and embedders read.
  const api = window.reachlens = window.reachlens || {};
  api.ready = false;
  api.error = null;
  api.frames = () => (P.Module && P.Module._rl_frames ? P.Module._rl_frames() : 0);

  // ---------------------------------------------------------------- helpers
  function withString(fn, text) {
    const M = P.Module;
    const n = M.lengthBytesUTF8(text) + 1;
    const ptr = M._malloc(n) >>> 0;
    M.stringToUTF8(text, ptr, n);
    try { return fn(ptr); } finally { M._free(ptr); }
  }
  P.call = function (name, text) {
    if (!P.Module) return undefined;
    const fn = P.Module['_' + name];
    return text === undefined ? fn() : withString(fn, text);
  };
  // Copies bytes (a Uint8Array) into the wasm heap for fn(ptr, length), then frees them.
  P.withBytes = function (bytes, fn) {
    const M = P.Module;
    const ptr = M._malloc(Math.max(1, bytes.length)) >>> 0;
    if (!ptr) throw new Error('out of memory for ' + bytes.length + ' bytes');
    M.HEAPU8.set(bytes, ptr);  // HEAPU8 read after _malloc: memory growth replaces the view
    try { return fn(ptr, bytes.length); } finally { M._free(ptr); }
  };
  // Calls a C function returning a malloc'd string and frees it.
  P.callString = function (name, text) {
    const M = P.Module;
    const ptr = P.call(name, text);
    if (!ptr) return null;
    const s = M.UTF8ToString(ptr);
    M._free(ptr);
    return s;
  };
  P.wake = function () { if (P.Module) P.Module._rl_wake(); };

  P.cssWidth = function () { return Math.max(1, Math.round(P.canvas ? P.canvas.clientWidth : window.innerWidth)); };
  P.cssHeight = function () { return Math.max(1, Math.round(P.canvas ? P.canvas.clientHeight : window.innerHeight)); };
  P.devicePixelRatio = function () { return window.devicePixelRatio || 1; };

  function reportSize() {
    if (P.Module && P.Module._rl_resize) P.Module._rl_resize(P.cssWidth(), P.cssHeight(), P.devicePixelRatio());
  }
  P.reportSize = reportSize;

  function watchDevicePixelRatio() {
    if (!window.matchMedia) return;
    const mq = window.matchMedia('(resolution: ' + P.devicePixelRatio() + 'dppx)');
    const onChange = () => { reportSize(); watchDevicePixelRatio(); };
    if (mq.addEventListener) mq.addEventListener('change', onChange, { once: true });
    else if (mq.addListener) mq.addListener(onChange);
  }

  // ---------------------------------------------------------------- listeners
  // Must run before the module's glfwInit: window capture listeners fire in the order
  // they were added, so these see each key event before GLFW does.
  P.install = function (canvas, input) {
    P.canvas = canvas;
    P.input = input;

    const isPasteKey = (e) => (e.ctrlKey || e.metaKey) && !e.altKey && (e.keyCode === 86 || e.key === 'v' || e.key === 'V');
    window.addEventListener('keydown', (e) => {
      if (!P.Module) return;
      if (e.isComposing || e.keyCode === 229 || P.composing) {
        e.stopImmediatePropagation();   // the IME owns this key
        return;
      }
      // Safari sends the Enter that committed a composition after compositionend.
      if (e.keyCode === 13 && performance.now() - P.compositionEndedAt < 50) {
        e.stopImmediatePropagation();
        return;
      }
      if (isPasteKey(e)) {
        // Let the browser fire `paste` (no preventDefault); ImGui must not paste its stale copy.
        e.stopImmediatePropagation();
        P.wake();
      }
    }, true);
    window.addEventListener('keyup', (e) => {
      if (!P.Module) return;
      if (e.isComposing || e.keyCode === 229) e.stopImmediatePropagation();
    }, true);

    // Clicking the canvas must not move the focus away from the hidden input (and
    // gives it back if the window lost it meanwhile).
    const refocus = () => {
      if (P.wantText && document.activeElement !== input) input.focus({ preventScroll: true });
    };
    canvas.addEventListener('mousedown', (e) => { e.preventDefault(); refocus(); }, false);
    canvas.addEventListener('contextmenu', (e) => { e.preventDefault(); }, false);
    canvas.addEventListener('wheel', (e) => {
      if (!P.Module) return;
      e.preventDefault();
      // One notch of a mouse wheel is ~100 px (Chrome) or 3 lines: one ImGui step.
      const scale = e.deltaMode === 1 ? 1 / 3 : e.deltaMode === 2 ? 10 : 1 / 100;
      let dx = -e.deltaX * scale, dy = -e.deltaY * scale;
      if (e.shiftKey && dx === 0) { dx = dy; dy = 0; }
      const clamp = (v) => Math.max(-5, Math.min(5, v));
      P.Module._rl_wheel(clamp(dx), clamp(dy));
    }, { passive: false });

    // IME and typing, on the hidden input.
    input.addEventListener('compositionstart', () => {
      P.composing = true;
      if (P.Module) P.Module._rl_set_composing(1);
    });
    input.addEventListener('compositionend', (e) => {
      P.composing = false;
      P.compositionEndedAt = performance.now();
      if (!P.Module) return;
      P.Module._rl_set_composing(0);
      if (e.data) P.call('rl_text_input', e.data);
      input.value = '';
    });
    input.addEventListener('input', (e) => {
      if (!P.Module) return;
      // Composition text is committed by compositionend; pastes come through `paste`.
      if (e.isComposing || P.composing) return;
      const type = e.inputType || 'insertText';
      if ((type === 'insertText' || type === 'insertReplacementText') && e.data) P.call('rl_text_input', e.data);
      input.value = '';
    });
    input.addEventListener('blur', () => { P.composing = false; P.wake(); });

    document.addEventListener('paste', (e) => {
      if (!P.Module) return;
      const data = e.clipboardData;
      const text = data ? (data.getData('text/plain') || data.getData('text')) : '';
      if (!text) return;
      e.preventDefault();
      P.call('rl_paste_text', text);
    }, true);

    window.addEventListener('resize', reportSize);
    if (window.ResizeObserver) new ResizeObserver(reportSize).observe(canvas);
    watchDevicePixelRatio();
    // Belt and braces: not every devicePixelRatio change fires the media query (DevTools
    // emulation does not); a cheap check twice a second, no frame unless it changed.
    let lastDpr = P.devicePixelRatio();
    setInterval(() => {
      const dpr = P.devicePixelRatio();
      if (dpr !== lastDpr) { lastDpr = dpr; reportSize(); }
    }, 500);
    document.addEventListener('visibilitychange', () => P.wake());
    window.addEventListener('focus', () => { refocus(); P.wake(); });
    window.addEventListener('blur', () => P.wake());
  };

  P.attach = function (Module) {
    P.Module = Module;
    Module.reachlensFrames = () => Module._rl_frames();
    api.module = Module;
    api.call = P.call;
    api.callString = P.callString;
    reportSize();
  };

  // ---------------------------------------------------------------- C++ → page
  // ImGui's caret (canvas pixels) and whether a text field is active.
  P.setTextInput = function (want, visible, x, y, h) {
    const input = P.input;
    if (!input) return;
    P.wantText = want;
    if (want) {
      const dpr = P.devicePixelRatio();
      const left = P.canvas.offsetLeft + x / dpr, top = P.canvas.offsetTop + y / dpr;
      const height = Math.max(8, (h || 16) / dpr);
      const rect = left.toFixed(1) + ',' + top.toFixed(1) + ',' + height.toFixed(1);
      if (rect !== P.lastRect) {
        P.lastRect = rect;
        input.style.left = left + 'px';
        input.style.top = top + 'px';
        input.style.height = height + 'px';
        input.style.fontSize = Math.round(height * 0.85) + 'px';
      }
      if (document.activeElement !== input) input.focus({ preventScroll: true });
    } else if (document.activeElement === input && !P.composing) {
      input.blur();
    }
  };

  P.writeClipboard = function (text) {
    try {
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(() => {});
    } catch (e) { /* no permission: ImGui keeps its internal copy */ }
  };

  P.showError = function (message) {
    const text = String(message || 'unknown error');
    console.error('[reachlens]', text);
    api.error = text;
    const overlay = document.getElementById('rl-error');
    const pre = document.getElementById('rl-error-text');
    const loading = document.getElementById('rl-loading');
    if (pre) pre.textContent = text;
    // A listener, not an inline onclick: the page runs under a CSP without 'unsafe-inline'.
    const reload = document.getElementById('rl-reload');
    if (reload) reload.onclick = () => location.reload();
    if (overlay) overlay.hidden = false;
    if (loading) loading.hidden = true;
    window.dispatchEvent(new CustomEvent('reachlens:error', { detail: text }));
  };

  P.notifyReady = function () {
    const loading = document.getElementById('rl-loading');
    if (loading) loading.hidden = true;
    api.ready = true;
    window.dispatchEvent(new CustomEvent('reachlens:ready'));
  };

  // The fallback font: characters beyond the UI subset (rare hanzi, Traditional forms,
  // Hangul) come from the rest of Noto Sans CJK SC, fetched once the dashboard is up so it
  // never delays the start. Until it is merged such characters show as □. The single-file
  // build (everything inlined, opened from file://) has no such file and makes no request.
  // Colour emoji: a PNG sheet of Noto Color Emoji bitmaps with its code points
  // (scripts/build_emoji.py), inlined in the single-file build. Decoded here (the browser
  // has a PNG decoder; the module has none) and handed to C++ as RGBA. Until it is merged
  // emoji show as □. Loaded before the fallback font so the emoji source comes first
  // among the merged sources and the order is the same on every load.
  async function emojiSheetDocument() {
    const bundle = window.ReachLensBundle;
    if (bundle) return bundle.emoji || null;
    if (location.protocol === 'file:') return null;
    const response = await fetch('fonts/reachlens-emoji.json');
    return response.ok ? response.json() : null;
  }
  async function loadEmojiSheet() {
    try {
      const doc = await emojiSheetDocument();
      const M = api.module;
      if (!doc || !doc.png || !Array.isArray(doc.codepoints) || !M || !M._rl_set_emoji_sheet) return false;
      const bin = atob(doc.png);
      const png = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; ++i) png[i] = bin.charCodeAt(i);
      const bitmap = await createImageBitmap(new Blob([png], { type: 'image/png' }),
                                             { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
      const canvas = document.createElement('canvas');
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(bitmap, 0, 0);
      const pixels = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;  // straight alpha
      const cps = Uint32Array.from(doc.codepoints);
      const rgbaPtr = M._malloc(pixels.length) >>> 0;
      const cpPtr = M._malloc(cps.byteLength) >>> 0;
      try {
        M.HEAPU8.set(pixels, rgbaPtr);  // HEAPU8 after _malloc: memory growth replaces the view
        M.HEAPU8.set(new Uint8Array(cps.buffer), cpPtr);
        const rc = M._rl_set_emoji_sheet(rgbaPtr, bitmap.width, bitmap.height, doc.cell_w, doc.cell_h,
                                         doc.columns, cpPtr, cps.length);
        if (rc !== 0) return false;
      } finally {
        M._free(rgbaPtr);
        M._free(cpPtr);
      }
      api.emojiFont = true;
      window.dispatchEvent(new CustomEvent('reachlens:emoji-font'));
      return true;
    } catch (e) {
      console.warn('[reachlens] emoji sheet not loaded:', e && e.message);
      return false;
    }
  }

  window.addEventListener('reachlens:ready', () => {
    const emojiLoaded = loadEmojiSheet();
    if (window.ReachLensBundle || location.protocol === 'file:') return;
    const idle = window.requestIdleCallback || ((f) => setTimeout(f, 200));
    idle(async () => {
      await emojiLoaded;
      try {
        const response = await fetch('fonts/reachlens-sc-fallback.otf');
        if (!response.ok) return;
        const bytes = new Uint8Array(await response.arrayBuffer());
        const M = api.module;
        if (!M || !M._rl_add_fallback_font) return;
        const ptr = M._malloc(bytes.length) >>> 0;
        M.HEAPU8.set(bytes, ptr);
        M._rl_add_fallback_font(ptr, bytes.length);  // C++ owns (frees) it
        api.fallbackFont = true;
        window.dispatchEvent(new CustomEvent('reachlens:fallback-font'));
      } catch (e) {
        console.warn('[reachlens] fallback font not loaded:', e && e.message);
      }
    });
  }, { once: true });

  window.ReachLensPlatform = P;
})();
