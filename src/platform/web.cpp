// C++ -> page calls (see web.h).
#include "platform/web.h"

#include <emscripten.h>

// clang-format off
EM_JS(void, rl_js_set_text_input, (int want, int visible, float x, float y, float h), {
    if (typeof ReachLensPlatform !== 'undefined') ReachLensPlatform.setTextInput(!!want, !!visible, x, y, h);
});
EM_JS(void, rl_js_write_clipboard, (const char* text), {
    if (typeof ReachLensPlatform !== 'undefined') ReachLensPlatform.writeClipboard(UTF8ToString(text));
});
EM_JS(void, rl_js_download, (const char* name, const char* mime, const char* data, int len), {
    data >>>= 0;  // past 2 GB a pointer arrives negative
    var bytes = HEAPU8.slice(data, data + len);  // a copy: the wasm memory may move
    var blob = new Blob([bytes], { type: UTF8ToString(mime) });
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = UTF8ToString(name);
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 30000);
});
EM_JS(void, rl_js_show_error, (const char* text), {
    var message = UTF8ToString(text);
    if (typeof ReachLensPlatform !== 'undefined') ReachLensPlatform.showError(message);
    else console.error(message);
});
EM_JS(void, rl_js_set_cursor, (const char* name), {
    var canvas = Module['canvas'];
    if (canvas) canvas.style.cursor = UTF8ToString(name);
});
EM_JS(int, rl_js_submit, (const char* payload, const char* key), {
    if (typeof ReachLensSubmit === 'undefined') return 0;
    ReachLensSubmit.send(UTF8ToString(payload), UTF8ToString(key));
    return 1;
});
// The canvas's drawing buffer in device pixels, told to GLFW as the window size. Not
// glfwSetWindowSize: Emscripten 3.1.6's version calls requestFullscreen when the size
// equals the screen's (F11 on a normal monitor), which throws outside a user gesture
// ("Permissions check failed").
EM_JS(void, rl_js_set_canvas_size, (int width, int height), {
    try {
        if (typeof Browser !== 'undefined') Browser.setCanvasSize(width, height);
        else if (Module['canvas']) { Module['canvas'].width = width; Module['canvas'].height = height; }
        if (typeof GLFW !== 'undefined' && GLFW.active) { GLFW.active.width = width; GLFW.active.height = height; }
    } catch (e) {
        console.warn('ReachLens: resizing the canvas failed: ' + e);
    }
});
EM_JS(void, rl_js_notify_ready, (), {
    if (typeof ReachLensPlatform !== 'undefined') ReachLensPlatform.notifyReady();
});
EM_JS(int, rl_js_css_width, (), {
    return (typeof ReachLensPlatform !== 'undefined') ? ReachLensPlatform.cssWidth() : 1280;
});
EM_JS(int, rl_js_css_height, (), {
    return (typeof ReachLensPlatform !== 'undefined') ? ReachLensPlatform.cssHeight() : 800;
});
EM_JS(double, rl_js_device_pixel_ratio, (), {
    return (typeof ReachLensPlatform !== 'undefined') ? ReachLensPlatform.devicePixelRatio() : (window.devicePixelRatio || 1);
});
EM_JS(void, rl_js_outbox_remove, (const char* id), {
    if (typeof ReachLensOutbox !== 'undefined') ReachLensOutbox.remove(UTF8ToString(id));
});
EM_JS(void, rl_js_outbox_download, (), {
    if (typeof ReachLensOutbox !== 'undefined') ReachLensOutbox.download();
});
EM_JS(void, rl_js_outbox_retry, (), {
    if (typeof ReachLensOutbox !== 'undefined') ReachLensOutbox.retry();
});
EM_JS(void, rl_js_storage_save, (const char* id, const char* entry), {
    const S = window.ReachLensStorage;
    if (S) S.save(UTF8ToString(id), UTF8ToString(entry));
});
EM_JS(void, rl_js_storage_flush, (), {
    const S = window.ReachLensStorage;
    if (S) S.flush();
});
EM_JS(int, rl_js_retry_upload, (const char* upload_id), {
    const U = window.ReachLensUpload;
    if (!U) return 0;
    U.retry(UTF8ToString(upload_id));
    return 1;
});
EM_JS(void, rl_js_storage_remove, (const char* id), {
    const S = window.ReachLensStorage;
    if (S) S.remove(UTF8ToString(id));
});
EM_JS(void, rl_js_data_call, (const char* method, const char* arg), {
    const D = window.ReachLensData;
    const name = UTF8ToString(method);
    if (D && typeof D[name] === 'function') D[name](arg ? UTF8ToString(arg) : undefined);
    else console.warn('[reachlens] web/data.js is missing: cannot ' + name);
});
EM_JS(int, rl_js_pick_media, (const char* msgtype), {
    const M = window.ReachLensMedia;
    if (!M) return 0;
    M.pick(UTF8ToString(msgtype));
    return 1;
});
EM_JS(int, rl_js_pick_results, (), {
    const D = window.ReachLensData;
    if (!D || typeof D.pickResults !== 'function') return 0;
    D.pickResults();
    return 1;
});
EM_JS(int, rl_js_fetch_results, (const char* server_id), {
    const S = window.ReachLensSubmit;
    if (!S || typeof S.fetchResults !== 'function') return 0;
    return S.fetchResults(UTF8ToString(server_id)) ? 1 : 0;
});
EM_JS(void, rl_js_host_send, (const char* json), {
    if (typeof ReachLensHost !== 'undefined') ReachLensHost.send(UTF8ToString(json));
});
// clang-format on

namespace rl::web {

void set_text_input(bool want_text_input, bool want_ime_visible, float x, float y, float line_height) {
    rl_js_set_text_input(want_text_input, want_ime_visible, x, y, line_height);
}
void write_clipboard(const std::string& text) { rl_js_write_clipboard(text.c_str()); }
void download_file(const std::string& file_name, const std::string& mime_type, const std::string& data) {
    rl_js_download(file_name.c_str(), mime_type.c_str(), data.data(), static_cast<int>(data.size()));
}
void show_error(const std::string& message) { rl_js_show_error(message.c_str()); }
void set_canvas_size(int width, int height) { rl_js_set_canvas_size(width, height); }
void set_cursor(const char* css_cursor) { rl_js_set_cursor(css_cursor); }
void notify_ready() { rl_js_notify_ready(); }

Viewport viewport() {
    Viewport v;
    v.css_width = rl_js_css_width();
    v.css_height = rl_js_css_height();
    v.device_pixel_ratio = static_cast<float>(rl_js_device_pixel_ratio());
    if (v.css_width < 1) v.css_width = 1;
    if (v.css_height < 1) v.css_height = 1;
    if (!(v.device_pixel_ratio > 0.25f && v.device_pixel_ratio < 8.0f)) v.device_pixel_ratio = 1.0f;
    return v;
}

bool submit_campaign(const std::string& payload, const std::string& key) {
    return rl_js_submit(payload.c_str(), key.c_str()) != 0;
}
void outbox_remove(const std::string& id) { rl_js_outbox_remove(id.c_str()); }
void outbox_download() { rl_js_outbox_download(); }
void outbox_retry() { rl_js_outbox_retry(); }

void storage_save(const std::string& id, const std::string& entry_json) { rl_js_storage_save(id.c_str(), entry_json.c_str()); }
void storage_delete(const std::string& id) { rl_js_storage_remove(id.c_str()); }
void storage_flush() { rl_js_storage_flush(); }

void data_open_file_picker() { rl_js_data_call("openPicker", nullptr); }
void data_load_url(const std::string& url) { rl_js_data_call("loadUrl", url.c_str()); }
void data_load_demo() { rl_js_data_call("loadDemo", nullptr); }
void data_cancel() { rl_js_data_call("cancel", nullptr); }

bool pick_media(const char* msgtype) { return rl_js_pick_media(msgtype) != 0; }
bool pick_results_file() { return rl_js_pick_results() != 0; }
bool fetch_stored_results(const std::string& server_id) { return rl_js_fetch_results(server_id.c_str()) != 0; }
bool retry_upload(const std::string& upload_id) { return rl_js_retry_upload(upload_id.c_str()) != 0; }

void host_send(const std::string& json) { rl_js_host_send(json.c_str()); }

}  // namespace rl::web
