#pragma once
// The browser bridge: every call C++ makes into the page's JavaScript (web/*.js), behind
// this one header and implemented with EM_JS in web.cpp (browser builds only). It knows
// nothing of the UI or the app: plain values in, plain values out. Each call tolerates a
// page without the script it needs (a bare test page): it then does nothing, or returns
// false where the caller must know. The other direction, page -> C++, is the exported
// C API in src/app (every rl_* function).
#include <string>

namespace rl::web {

// ---- page glue (web/platform.js)
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
// Tells the page the first frame with data is on screen (window.reachlens.ready).
void notify_ready();
// Sizes the canvas's drawing buffer (device pixels) and GLFW's window to match; never
// enters or leaves fullscreen (see web.cpp for why not glfwSetWindowSize).
void set_canvas_size(int width, int height);
// The canvas size and devicePixelRatio (the page's resize watcher), read before main().
struct Viewport {
    int css_width = 1280, css_height = 800;
    float device_pixel_ratio = 1.0f;
};
Viewport viewport();

// ---- submit and outbox (web/submit.js, web/outbox.js)
// POSTs `payload` (JSON) to {apiBase}/campaigns with `Idempotency-Key: key`; the answer
// comes back through rl_submit_done(status, text). False when the page has no submit.js
// (nothing was sent).
bool submit_campaign(const std::string& payload, const std::string& key);
void outbox_remove(const std::string& id);  // deletes one entry (by its id = Idempotency-Key)
void outbox_download();  // all entries as one JSON file (a Blob download)
void outbox_retry();  // sends every entry again; accepted ones leave

// ---- drafts kept in the browser (web/storage.js: debounced localStorage writes)
void storage_save(const std::string& id, const std::string& entry_json);
void storage_delete(const std::string& id);
// Writes what storage_save queued now (no debounce); a refusal arrives as rl_storage_error.
void storage_flush();

// ---- datasets read by the page (web/data.js); progress comes back through rl_data_*
void data_open_file_picker();
void data_load_url(const std::string& url);
void data_load_demo();
void data_cancel();

// ---- media (web/media.js decodes the file; the result comes back through rl_media_*)
// Opens the file picker for an attachment of `msgtype` (image, video, file); false when
// the page has no media.js.
bool pick_media(const char* msgtype);
// WeCom's results: the file picker (web/data.js pickResults -> rl_set_results_file) and the
// server's stored results of an accepted campaign (web/submit.js fetchResults ->
// rl_stored_results). False when the page lacks the script or the server.
bool pick_results_file();
bool fetch_stored_results(const std::string& server_id);
// Uploads an attachment's file again (web/upload.js); false when the page has no upload.js.
bool retry_upload(const std::string& upload_id);

// ---- the embedding host (web/host.js posts `json` to the host's origin only)
void host_send(const std::string& json);

}  // namespace rl::web
