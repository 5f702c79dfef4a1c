// The data panel's page glue (web/data.js): a dataset read from a file (picker or
// drag-and-drop) or fetched from a URL arrives in chunks into one wasm buffer that the
// page allocated with the known size; the page reports progress here and hands the
// complete buffer to rl_data_finish, which gives it to the engine (ui::data_read_finished
// -> Workspace::load_dataset: on error nothing changes, the previous tenant and the draft stay).
//
//   void rl_data_attach(void)                        after main(): draws the data toast every frame
//   void rl_data_begin(const char* source, double total_bytes, int quiet)   a read starts (total 0 =
//                                                    unknown; quiet: 0 the marketer's, 1 start-up's (no
//                                                    toast, no draft), 2 the host's (no toast), ui::DataPanelState)
//   void rl_data_progress(double loaded_bytes, double total_bytes)
//   void rl_data_parsing(void)                       all bytes are in; the engine parses next
//   void rl_data_parse_progress(double fraction)     how far a JSON parse is (0..1): the page's
//                                                    dataset worker (web/dataset-worker.js)
//   void rl_data_parse_on_page(void)                 no worker could start: the page parses
//   int  rl_data_finish(const char* json, double len)   parse; 0 = loaded, else rl_last_error()
//   int  rl_data_start(const char* bytes, double len)   the same load a slice at a time: the
//   int  rl_data_step(double budget_ms)                  page keeps the buffer and calls step once
//                                                        per frame: 1 = loading, 0 = loaded,
//                                                        -1 = failed (rl_last_error())
//                                                        2 = a streamed snapshot needs more bytes
//   void rl_data_stream_start(void)                   a snapshot streamed in pieces instead
//   int  rl_data_stream_feed(const char* bytes, double len)   (the whole file is never in the
//   int  rl_data_stream_end(void)                        heap): feed copies a piece, end says no
//                                                        more come; 2 = go on, -1 = failed
//   void rl_data_cancel_load(void)                      stop it; the previous tenant stays
//   void rl_data_fail(const char* message)           the read failed (network, too large); "" = cancelled
//
// C++ -> page: the panel's buttons ask the host (web_host.cpp -> web/data.js).
#include <emscripten.h>
#include <emscripten/heap.h>
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"

#include "app/app.h"
#include "ui/data_panel.h"

namespace {

using namespace rl::app;

// The toast (load progress, a failed load) must show whatever tab is open, so it is
// drawn from an end-of-frame hook rather than from the data tab.
void draw_toast_hook(ImGuiContext*, ImGuiContextHook*) {
    ImGuiErrorRecoveryState recovery;
    ImGui::ErrorRecoveryStoreState(&recovery);
    try {
        rl::ui::draw_data_toast(app().state, now_seconds());
    } catch (const std::exception& e) {
        ImGui::ErrorRecoveryTryToRecoverState(&recovery);
        app().state.ui_error = e.what();
    }
}

// What a streamed snapshot may hold at its load's peak: wasm32's heap maximum less what is
// allocated now (the tenant in use stays until the new one is whole) and a reserve for
// previewing the new tenant (a preview session keeps a few arrays per customer).
uint64_t snapshot_memory_limit() {
    constexpr uint64_t kPreviewReserve = uint64_t(384) << 20;
    const uint64_t max = emscripten_get_heap_max();
    const uint64_t used = static_cast<uint32_t>(mallinfo().uordblks);  // wasm32: under 4 GB (the field may be an int)
    const uint64_t left = max - std::min(max, used);
    return left > kPreviewReserve ? left - kPreviewReserve : 0;
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void rl_data_attach() { add_end_of_frame_hook(draw_toast_hook); }

EMSCRIPTEN_KEEPALIVE void rl_data_begin(const char* source, double total_bytes, int quiet) {
    rl::ui::data_read_started(app().state, source ? source : "", total_bytes, quiet != 0, quiet != 1);
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_data_progress(double loaded_bytes, double total_bytes) {
    rl::ui::data_read_progress(app().state, loaded_bytes, total_bytes);
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_data_parsing() {
    rl::ui::data_read_parsing(app().state);
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_data_parse_progress(double fraction) {
    rl::ui::data_read_parse_progress(app().state, fraction);
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_data_parse_on_page() {
    rl::ui::data_read_parse_on_page(app().state);
    wake();
}

EMSCRIPTEN_KEEPALIVE int rl_data_finish(const char* json, double len) {
    std::string error;
    const bool loaded = rl::ui::data_read_finished(app().state, json, len, now_seconds(), &error);
    wake();
    if (!loaded) return fail(error);
    app().last_error.clear();
    return 0;
}

EMSCRIPTEN_KEEPALIVE int rl_data_start(const char* bytes, double len) {
    rl::ui::data_read_start(app().state, bytes, len);
    wake();
    return rl::ui::kDataLoading;
}

EMSCRIPTEN_KEEPALIVE int rl_data_step(double budget_ms) {
    std::string error;
    const rl::ui::DataStep step = rl::ui::data_read_step(app().state, budget_ms, now_seconds(), &error);
    wake();
    if (step == rl::ui::kDataFailed) fail(error);  // sets rl_last_error()
    else if (step == rl::ui::kDataLoaded) app().last_error.clear();
    return step;
}

EMSCRIPTEN_KEEPALIVE void rl_data_stream_start() {
    rl::ui::data_stream_start(app().state, snapshot_memory_limit());
    wake();
}

EMSCRIPTEN_KEEPALIVE int rl_data_stream_feed(const char* bytes, double len) {
    std::string error;
    const rl::ui::DataStep step = rl::ui::data_stream_feed(app().state, bytes, len, &error);
    if (step == rl::ui::kDataFailed) {
        wake();
        fail(error);  // sets rl_last_error()
    }
    return step;
}

EMSCRIPTEN_KEEPALIVE int rl_data_stream_end() {
    std::string error;
    const rl::ui::DataStep step = rl::ui::data_stream_end(app().state, &error);
    wake();
    if (step == rl::ui::kDataFailed) fail(error);  // sets rl_last_error()
    return step;
}

EMSCRIPTEN_KEEPALIVE void rl_data_cancel_load() {
    rl::ui::data_read_cancel(app().state);
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_data_fail(const char* message) {
    const std::string text = message ? message : "";
    rl::ui::data_read_failed(app().state, text);
    wake();
    if (!text.empty()) app().last_error = text;
}

}  // extern "C"
