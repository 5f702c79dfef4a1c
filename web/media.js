// Picking images, videos and files, decoding images and videos for thumbnails (src/ui/media.cpp).
// C++ calls ReachLensMedia.pick(msgtype) (EM_JS in src/platform/web.cpp) from the composer's buttons;
// this file owns one hidden <input type=file id=rl-media-input multiple>, reads the chosen
// files in the browser, one after the other, and hands each result to the module
// (rl_media_batch(n) first: n files are coming; a drop on the page comes the same way):
//   image: createImageBitmap → real width/height, a ≤ 256 px RGBA thumbnail;
//   video: a <video> element → duration (loadedmetadata), a cover frame drawn to a canvas;
// then rl_media_add(video, name, bytes, width, height, seconds, rgba, tw, th);
//   file: nothing to decode → rl_media_add_file(name, bytes, upload_id); or
// rl_media_error("code\tfile\tdetail") (C++ words it in the UI language), or
// rl_media_cancel(). Each of these wakes the idle loop.
(function () {
  'use strict';

  const P = window.ReachLensPlatform;
  const api = window.reachlens = window.reachlens || {};
  const THUMB = 256;           // long side of a thumbnail, in pixels
  const VIDEO_TIMEOUT_MS = 15000;
  const S = { picks: 0, added: 0, errors: 0, last: null, kind: 'image' };
  api.media = S;
  let input = null;

  function module() { return P && P.Module; }

  function fail(code, file, detail) {
    S.errors++;
    S.last = { error: code, file: file ? file.name : '', detail: String(detail || '') };
    const M = module();
    if (!M) return;
    const text = code + '\t' + (file ? file.name : '') + '\t' + String(detail || '');
    M.ccall('rl_media_error', null, ['string'], [text]);
  }

  // An id for this file's upload, kept on the attachment (upload_id) and in IndexedDB
  // while the file waits for a server (web/upload.js).
  function newUploadId() {
    if (window.crypto && crypto.randomUUID) return 'up-' + crypto.randomUUID();
    return 'up-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12);
  }

  // A file attachment (a brochure, a price list): no thumbnail, uploaded as it is.
  function addFile(file) {
    const M = module();
    if (!M) return;
    const uploadId = newUploadId();
    M.ccall('rl_media_add_file', null, ['string', 'number', 'string'], [file.name, file.size, uploadId]);
    if (window.ReachLensUpload) window.ReachLensUpload.start(uploadId, file, file.name, 'file');
    S.added++;
    S.last = { name: file.name, bytes: file.size, upload_id: uploadId };
  }

  function add(video, file, width, height, seconds, thumb) {
    const M = module();
    if (!M) return;
    const rgba = thumb.data;
    const uploadId = newUploadId();
    const ptr = M._malloc(Math.max(1, rgba.length)) >>> 0;
    M.HEAPU8.set(rgba, ptr);
    try {
      M.ccall('rl_media_add', null,
              ['number', 'string', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'string'],
              [video ? 1 : 0, file.name, file.size, width, height, seconds, ptr, thumb.width, thumb.height, uploadId]);
    } finally { M._free(ptr); }
    // As soon as it is attached (contract v1.1): the upload reports back to the attachment.
    if (window.ReachLensUpload) window.ReachLensUpload.start(uploadId, file, file.name, video ? 'video' : 'image');
    S.added++;
    S.last = { name: file.name, bytes: file.size, width, height, seconds, thumb: [thumb.width, thumb.height], upload_id: uploadId };
  }

  // Draws `source` (w×h) scaled so its long side is at most THUMB; returns ImageData.
  function thumbnail(source, w, h) {
    const scale = Math.min(1, THUMB / Math.max(w, h));
    const tw = Math.max(1, Math.round(w * scale)), th = Math.max(1, Math.round(h * scale));
    const canvas = document.createElement('canvas');
    canvas.width = tw;
    canvas.height = th;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(source, 0, 0, tw, th);
    return ctx.getImageData(0, 0, tw, th);
  }

  async function readImage(file) {
    if (file.type && !file.type.startsWith('image/')) return fail('not_image', file, file.type);
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (e) {
      return fail(file.type ? 'decode_failed' : 'not_image', file, e && e.message ? e.message : e);
    }
    try {
      add(false, file, bitmap.width, bitmap.height, 0, thumbnail(bitmap, bitmap.width, bitmap.height));
    } finally { bitmap.close(); }
  }

  function once(target, names, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { off(); reject(new Error('timed out')); }, timeoutMs);
      const handlers = {};
      function off() {
        clearTimeout(timer);
        for (const n of Object.keys(handlers)) target.removeEventListener(n, handlers[n]);
      }
      for (const n of names) {
        handlers[n] = (ev) => {
          off();
          if (n === 'error') reject(new Error(target.error ? 'media error ' + target.error.code : 'error'));
          else resolve(ev);
        };
        target.addEventListener(n, handlers[n]);
      }
    });
  }

  async function readVideo(file) {
    if (file.type && !file.type.startsWith('video/')) return fail('not_video', file, file.type);
    const url = URL.createObjectURL(file);
    const video = document.createElement('video');
    video.muted = true;
    video.preload = 'auto';
    video.playsInline = true;
    try {
      video.src = url;
      await once(video, ['loadedmetadata', 'error'], VIDEO_TIMEOUT_MS);
      let seconds = video.duration;
      if (!Number.isFinite(seconds)) {
        // Recorded WebM files often carry no duration: seeking past the end makes the
        // browser scan the file and report the real one.
        video.currentTime = 1e101;
        await once(video, ['durationchange', 'seeked', 'error'], VIDEO_TIMEOUT_MS);
        if (!Number.isFinite(video.duration)) await once(video, ['durationchange', 'error'], VIDEO_TIMEOUT_MS);
        seconds = video.duration;
      }
      if (!Number.isFinite(seconds) || !(video.videoWidth > 0)) return fail('video_failed', file, 'no duration or picture');
      // The cover: a frame a little into the clip (the very first one is often black).
      const at = Math.min(seconds / 2, 0.5);
      if (Math.abs(video.currentTime - at) > 1e-3) {
        video.currentTime = at;
        await once(video, ['seeked', 'error'], VIDEO_TIMEOUT_MS);
      }
      if (video.readyState < 2) await once(video, ['loadeddata', 'error'], VIDEO_TIMEOUT_MS);
      add(true, file, video.videoWidth, video.videoHeight, seconds,
          thumbnail(video, video.videoWidth, video.videoHeight));
    } catch (e) {
      fail('video_failed', file, e && e.message ? e.message : e);
    } finally {
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
    }
  }

  // Several files (a dialog's selection or a drop), read one after the other so the
  // attachments keep the order they were picked in. `kind`: 'image', 'video' or 'file' for a
  // picker of one kind, null for a drop (each file by its type). Each file reports on its own
  // (rl_media_add / rl_media_error); the module knows how many are coming.
  async function readAll(files, kind) {
    const M = module();
    if (!M) return;
    S.batches = (S.batches || 0) + 1;
    M._rl_media_batch(files.length);
    for (const file of files) {
      const as = kind || ((file.type || '').startsWith('video/') ? 'video' : 'image');
      try {
        if (as === 'file') addFile(file);
        else await (as === 'video' ? readVideo(file) : readImage(file));
      } catch (e) {
        fail('read_failed', file, e && e.message ? e.message : e);
      }
    }
  }

  function ensureInput() {
    if (input) return input;
    input = document.createElement('input');
    input.type = 'file';
    input.id = 'rl-media-input';
    input.style.display = 'none';
    input.addEventListener('change', () => {
      const files = Array.from(input.files || []);
      input.value = '';
      if (!files.length) { const M = module(); if (M) M._rl_media_cancel(); return; }
      readAll(files, S.kind);
    });
    input.addEventListener('cancel', () => { const M = module(); if (M) M._rl_media_cancel(); });
    document.body.appendChild(input);
    return input;
  }

  window.ReachLensMedia = {
    // msgtype: 'image' | 'video' | 'file' (true/false: video or image, as before).
    pick(msgtype) {
      S.picks++;
      S.kind = msgtype === true ? 'video' : ['video', 'file'].includes(msgtype) ? msgtype : 'image';
      const el = ensureInput();
      el.accept = { image: 'image/*', video: 'video/*', file: '' }[S.kind];
      el.multiple = true;  // nine images in one dialog
      el.click();
    },
    // Files dropped on the page (web/data.js routes a drop of images and videos here).
    addFiles(files) { return readAll(Array.from(files), null); },
    // Whether a drop of these MIME types is media (every item an image or a video).
    isMedia(types) { return types.length > 0 && types.every((t) => /^(image|video)\//.test(t || '')); },
    input: ensureInput,
  };
  if (document.body) ensureInput();
  else document.addEventListener('DOMContentLoaded', ensureInput);
})();
