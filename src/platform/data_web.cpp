// The data panel's page glue (web/data.js): a dataset read from a file (picker or
// drag-and-drop) or fetched from a URL arrives in chunks into one wasm buffer that the
// page allocated with the known size; the page reports progress here and hands the
// complete buffer to rl_data_finish, which gives it to the engine (Workspace::
// load_dataset: on error nothing changes, the previous tenant and the draft stay).
//
//   void rl_data_attach(void)                        after main(): draws the data toast every frame
//   void rl_data_begin(const char* source, double total_bytes)   a read starts (total 0 = unknown)
//   void rl_data_progress(double loaded_bytes, double total_bytes)
//   void rl_data_parsing(void)                       all bytes are in; the engine parses next
//   int  rl_data_finish(const char* json, double len)   parse; 0 = loaded, else rl_last_error()
//   void rl_data_fail(const char* message)           the read failed (network, too large); "" = cancelled
//
// C++ -> page: the panel's buttons call window.ReachLensData.{openPicker, loadUrl, loadDemo, cancel}.
#include <emscripten.h>

#include <string>
#include <string_view>

#include "imgui.h"
#include "imgui_internal.h"

#include "app/app.h"
#include "ui/data_panel.h"

namespace {

using rl::app::app;
using rl::app::wake;

// The toast (load progress, a failed load) must show whatever tab is open, so it is
// drawn from an end-of-frame hook rather than from the data tab.
void draw_toast_hook(ImGuiContext* ctx, ImGuiContextHook*) {
    ImGuiErrorRecoveryState recovery;
    ImGui::ErrorRecoveryStoreState(&recovery);
    try {
        rl::ui::draw_data_toast(app().state, rl::app::now_seconds());
    } catch (const std::exception& e) {
        ImGui::ErrorRecoveryTryToRecoverState(&recovery);
        app().state.ui_error = e.what();
    }
    (void)ctx;
}

EM_JS(void, js_data_call, (const char* method, const char* arg), {
    const D = window.ReachLensData;
    const name = UTF8ToString(method);
    if (D && typeof D[name] === 'function') D[name](arg ? UTF8ToString(arg) : undefined);
    else console.warn('[reachlens] web/data.js is missing: cannot ' + name);
});

}  // namespace

namespace rl::web {
void data_open_file_picker() { js_data_call("openPicker", nullptr); }
void data_load_url(const std::string& url) { js_data_call("loadUrl", url.c_str()); }
void data_load_demo() { js_data_call("loadDemo", nullptr); }
void data_cancel() { js_data_call("cancel", nullptr); }
}  // namespace rl::web

extern "C" {

EMSCRIPTEN_KEEPALIVE void rl_data_attach() {
    static bool attached = false;
    if (attached || !app().imgui_ready) return;
    attached = true;
    ImGuiContextHook hook;
    hook.Type = ImGuiContextHookType_EndFramePre;
    hook.Callback = draw_toast_hook;
    ImGui::AddContextHook(ImGui::GetCurrentContext(), &hook);
}

EMSCRIPTEN_KEEPALIVE void rl_data_begin(const char* source, double total_bytes) {
    auto& d = app().state.data_panel;
    d.busy = true;
    d.parsing = false;
    d.busy_source = source ? source : "";
    d.loaded_bytes = 0;
    d.total_bytes = total_bytes > 0 ? total_bytes : 0;
    d.progress = 0;
    d.loaded_at = -1;
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_data_progress(double loaded_bytes, double total_bytes) {
    auto& d = app().state.data_panel;
    d.loaded_bytes = loaded_bytes;
    if (total_bytes > 0) d.total_bytes = total_bytes;
    d.progress = d.total_bytes > 0 ? loaded_bytes / d.total_bytes : 0;
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_data_parsing() {
    auto& d = app().state.data_panel;
    d.parsing = true;
    d.progress = 1;
    wake();
}

EMSCRIPTEN_KEEPALIVE int rl_data_finish(const char* json, double len) {
    auto& a = app();
    auto& s = a.state;
    auto& d = s.data_panel;
    const std::string source = d.busy_source.empty() ? "dataset.json" : d.busy_source;
    std::string error;
    bool loaded = false;
    if (!json || !(len >= 0)) error = source + ": no data";
    else loaded = s.ws.load_dataset(std::string_view(json, static_cast<size_t>(len)), source, &error);
    d.busy = false;
    d.parsing = false;
    s.loading = false;
    wake();
    if (!loaded) {
        s.dataset_error = error;
        ++d.error_seq;
        a.last_error = error;
        return 1;
    }
    s.dataset_error.clear();
    ++d.loads;
    d.last_loaded = source;
    d.loaded_at = rl::app::now_seconds();
    // A page started without a tenant has no draft yet: give the new tenant one.
    if (!s.ws.has_draft()) {
        std::string ignored;
        if (s.ws.campaign_files().empty() || !s.ws.select_campaign_file(0, &ignored))
            s.ws.new_draft(rl::Kind::Moment, rl::Origin::Enterprise, rl::app::now_seconds());
    }
    a.last_error.clear();
    return 0;
}

EMSCRIPTEN_KEEPALIVE void rl_data_fail(const char* message) {
    auto& a = app();
    auto& d = a.state.data_panel;
    d.busy = false;
    d.parsing = false;
    a.state.loading = false;
    wake();
    if (!message || !*message) return;  // cancelled by the marketer: not an error
    a.state.dataset_error = message;
    a.last_error = a.state.dataset_error;
    ++d.error_seq;
}

}  // extern "C"
