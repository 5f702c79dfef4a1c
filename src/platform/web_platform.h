#pragma once
// Browser glue for the dashboard (implemented in platform_web.cpp, browser only): the
// calls C++ makes into the page's JavaScript (web/platform.js, window.ReachLensPlatform).
// The other direction, page → C++, is the exported C API in host_web.cpp.
#include <string>

namespace rl::web {

// Where ImGui's text caret is (ImGui coordinates = canvas pixels) and whether a text
// field is active: the page moves and focuses its hidden <input> for IME there.
void set_text_input(bool want_text_input, bool want_ime_visible, float x, float y, float line_height);
// Copy: the system clipboard (navigator.clipboard.writeText) when the page may.
void write_clipboard(const std::string& text);
// Saves `data` as a file download named `file_name` (a Blob and an <a download>).
void download_file(const std::string& file_name, const std::string& mime_type, const std::string& data);
// A readable error overlay over the canvas (the page never stays blank).
void show_error(const std::string& message);
// The mouse cursor over the canvas, as a CSS cursor name ("default", "text", "pointer", ...).
void set_cursor(const char* css_cursor);
// POSTs `payload` (JSON) to {apiBase}/campaigns with `Idempotency-Key: key` (web/submit.js);
// the answer comes back through rl_submit_done(status, text). False when the page has no
// submit.js (nothing was sent).
bool submit_campaign(const std::string& payload, const std::string& key);
// Tells the page the first frame with data is on screen (window.reachlens.ready).
void notify_ready();
// Sizes the canvas's drawing buffer (device pixels) and GLFW's window to match; never
// enters or leaves fullscreen (see platform_web.cpp for why not glfwSetWindowSize).
void set_canvas_size(int width, int height);
// Called by the page's resize/devicePixelRatio watcher before main() too.
struct Viewport {
    int css_width = 1280, css_height = 800;
    float device_pixel_ratio = 1.0f;
};
Viewport viewport();

}  // namespace rl::web
