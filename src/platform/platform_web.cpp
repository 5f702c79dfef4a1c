// C++ → page calls (see web_platform.h). Each one tolerates a page without
// web/platform.js loaded (a bare test page): the call then does nothing.
#include "platform/web_platform.h"

#include <emscripten.h>

// clang-format off
EM_JS(void, rl_js_set_text_input, (int want, int visible, float x, float y, float h), {
    if (typeof ReachLensPlatform !== 'undefined') ReachLensPlatform.setTextInput(!!want, !!visible, x, y, h);
});
EM_JS(void, rl_js_write_clipboard, (const char* text), {
    if (typeof ReachLensPlatform !== 'undefined') ReachLensPlatform.writeClipboard(UTF8ToString(text));
});
EM_JS(void, rl_js_download, (const char* name, const char* mime, const char* data, int len), {
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
bool submit_campaign(const std::string& payload, const std::string& key) {
    return rl_js_submit(payload.c_str(), key.c_str()) != 0;
}
void notify_ready() { rl_js_notify_ready(); }
void set_canvas_size(int width, int height) { rl_js_set_canvas_size(width, height); }
void set_cursor(const char* css_cursor) { rl_js_set_cursor(css_cursor); }

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

}  // namespace rl::web
