// The C API the page (web/loader.js, web/platform.js) and the browser tests call. Every
// rl_* function lives in src/app (this file and api_*.cpp, one per feature) and is
// exported by its EMSCRIPTEN_KEEPALIVE, the only way exports are declared (CMakeLists.txt
// adds just _main, _malloc and _free); reachable as Module._rl_xxx or through
// Module.ccall / Module.cwrap. The postMessage host protocol (docs/contract.md
// section 9) uses these same calls: web/host.js turns host messages into them;
// api_host_protocol.cpp sends the module's own messages (rl_host_connect).
//
// Conventions
//   - Byte buffers are (pointer, length) in wasm memory: Module._malloc, HEAPU8.set,
//     call, Module._free. Strings are NUL-terminated UTF-8.
//   - Functions returning `char*` return a malloc'd UTF-8 string: the caller frees it
//     (Module.UTF8ToString(p) then Module._free(p)).
//   - Functions returning int return 0 on success; on failure the message is
//     available from rl_last_error() (a pointer to an internal string: do not free).
//
// Data
//   int   rl_load_dataset_json(const char* json, int len)   replace the tenant; on error the previous one stays
//   int   rl_set_campaign_json(const char* json, int len)   replace the draft (recomputed at once)
//   int   rl_add_demo_campaign(const char* name, const char* json, int len)  add a campaign to the picker
//   int   rl_select_campaign(int index)                     load picker entry #index as the draft
//   char* rl_summary_json(void)                             reachlens.preview/1 of the draft (recomputes
//                                                           first if needed); "null" without data or draft
//   const char* rl_last_error(void)                         message of the last failed call ("" if none)
//   char* rl_draft_text(void)                               the draft's content.text
//   char* rl_draft_json(void)                               {"draft": document or null, "error": draft_error}
//   char* rl_panel_json(const char* panel)                  a panel's state (rl::ui::panel_state_json)
//   int   rl_set_draft_text(const char* text)               replace content.text (recomputed at once)
//   int   rl_set_preset(const char* name)                   rules preset (wecom-2020 / -2021 / -2025)
//   int   rl_set_results_json(const char* json, int len)    WeCom's results after the send (reachlens.results/1):
//                                                           reconciled with the draft (tab "reconcile")
//   int   rl_set_results_file(const char* name, const char* data, int len)
//                                                           the same from the panel's file picker (web/data.js)
//   void  rl_stored_results(const char* server_id, int status, const char* data, int len)
//                                                           GET {apiBase}/campaigns/<id>/results answered
//                                                           (status 0: no answer; web/submit.js)
//   int   rl_set_rules_json(const char* json, int len)      a whole rules profile (reachlens.rules/1);
//                                                           on error the previous rules stay
//   char* rl_state_json(void)                               {preset, language, theme, campaign_id, ...,
//                                                           preferred_height (CSS px, reachlens.resize)}
//                                                           (+ submit: {enabled, dialog_open, in_flight,
//                                                           answered, status, id, error_code, key, ...})
// Submit (the dialog in src/ui/submit_dialog.cpp; web/submit.js does the POST)
//   void  rl_submit_done(int status, const char* text)     the server's answer: HTTP status (0 = network
//                                                           failure, text = the error) and the response body
// UI
//   int   rl_frames(void)                                   frames rendered so far (idle tests)
//   void  rl_wake(void)                                     render a few frames (something changed)
//   int   rl_set_language(const char* code)                 "zh-CN" / "en"
//   int   rl_set_theme(const char* name)                    "light" / "dark"
//   int   rl_record_items(int on)                           tests: record widgets by test name (src/ui/
//                                                           test_hooks.h) from the next frame on; off by
//                                                           default. Returns whether it was on
//   char* rl_item_rects(void)                               {name: {x, y, w, h, frame}} in CSS pixels of
//                                                           the canvas, for the recorded widgets
//                                                           (draft_text, language, theme, preset, ...)
//   void  rl_debug_fail(int where)                          tests: 1 = throw in the next UI frame (an ImGui
//                                                           error window), 2 = outside it (the page overlay)
//   int   rl_focus_item(const char* name)                   give keyboard focus to a tracked widget
//                                                           (only "draft_text" for now)
//   void  rl_reset_frame_stats(void)                        frame_ms_max (rl_state_json) starts again
//   int   rl_show_tab(const char* id)                       select a tab (AppState::tab_request ids)
// Page glue (web/platform.js)
//   void  rl_set_font(void* data, int len)                  UI font before main(); ownership moves to C++
//   void  rl_resize(int css_width, int css_height, float device_pixel_ratio)
//   void  rl_text_input(const char* text)                   committed text (typing, IME)
//   void  rl_paste_text(const char* text)                   a paste: inserted when a text field is active
//   void  rl_set_composing(int composing)                   IME composition started / ended
//   void  rl_wheel(float dx, float dy)                      wheel, in ImGui steps (+y = up)
#include <emscripten.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "imgui.h"
#include "imgui_internal.h"

#include "app/app.h"
#include "ui/customer_table.h"
#include "ui/test_hooks.h"
#include "ui/dashboard.h"
#include "ui/data_panel.h"
#include "ui/submit_dialog.h"

namespace rl::app {

char* dup_string(const std::string& s) {
    char* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (!out) return nullptr;
    std::memcpy(out, s.data(), s.size());
    out[s.size()] = '\0';
    return out;
}

int fail(std::string message) {
    app().last_error = std::move(message);
    return 1;
}

int ok() {
    app().last_error.clear();
    wake();
    return 0;
}

}  // namespace rl::app

namespace {

using namespace rl::app;

std::string normalize_newlines(const char* text) {
    std::string out;
    for (const char* p = text; *p; ++p) {
        if (*p == '\r') {
            out.push_back('\n');
            if (p[1] == '\n') ++p;
        } else {
            out.push_back(*p);
        }
    }
    return out;
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE int rl_load_dataset_json(const char* json, int len) {
    std::string error;
    if (!json || len < 0) return fail("rl_load_dataset_json: no data");
    if (!rl::ui::load_dataset(app().state, std::string_view(json, static_cast<size_t>(len)), "dataset.json", &error)) {
        wake();
        return fail(error);
    }
    return ok();
}

EMSCRIPTEN_KEEPALIVE int rl_set_campaign_json(const char* json, int len) {
    auto& a = app();
    std::string error;
    if (!json || len < 0) return fail("rl_set_campaign_json: no data");
    if (!a.state.ws.set_campaign_json(std::string_view(json, static_cast<size_t>(len)), "campaign.json", &error)) {
        a.state.campaign_error = error;
        wake();
        return fail(error);
    }
    a.state.campaign_error.clear();
    return ok();
}

EMSCRIPTEN_KEEPALIVE int rl_add_demo_campaign(const char* name, const char* json, int len) {
    if (!name || !json || len < 0) return fail("rl_add_demo_campaign: no data");
    app().state.ws.add_campaign_file(name, std::string(json, static_cast<size_t>(len)));
    return ok();
}

EMSCRIPTEN_KEEPALIVE int rl_select_campaign(int index) {
    auto& a = app();
    std::string error;
    if (!a.state.ws.select_campaign_file(index, &error)) {
        a.state.campaign_error = error;
        return fail(error);
    }
    a.state.campaign_error.clear();
    return ok();
}

EMSCRIPTEN_KEEPALIVE char* rl_summary_json() {
    try {
        auto j = app().state.ws.summary_json();
        wake();
        return dup_string(j.dump(2));
    } catch (const std::exception& e) {
        fail(e.what());
        return dup_string("null");
    }
}

EMSCRIPTEN_KEEPALIVE const char* rl_last_error() { return app().last_error.c_str(); }

EMSCRIPTEN_KEEPALIVE char* rl_draft_text() {
    const std::string* t = app().state.ws.draft_text();
    return dup_string(t ? *t : std::string());
}

EMSCRIPTEN_KEEPALIVE char* rl_draft_json() {
    auto& ws = app().state.ws;
    nlohmann::ordered_json j;
    j["draft"] = ws.draft_document();
    j["error"] = ws.draft_error();
    return dup_string(j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

EMSCRIPTEN_KEEPALIVE char* rl_panel_json(const char* panel) {
    try {
        return dup_string(rl::ui::panel_state_json(app().state, panel ? panel : "")
                              .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    } catch (const std::exception& e) {
        fail(e.what());
        return dup_string("null");
    }
}

EMSCRIPTEN_KEEPALIVE int rl_set_draft_text(const char* text) {
    auto& ws = app().state.ws;
    if (!ws.has_draft()) return fail("no draft campaign");
    ws.set_draft_text(text ? text : "");
    return ok();
}

EMSCRIPTEN_KEEPALIVE int rl_set_preset(const char* name) {
    std::string error;
    if (!app().state.ws.set_preset(name ? name : "", &error)) return fail(error);
    app().state.rules_json.clear();
    return ok();
}

// WeCom's results after the send (reachlens.results/1, the host's `reachlens.results`):
// reconciled with the draft in the reconciliation tab; on error nothing changes.
EMSCRIPTEN_KEEPALIVE int rl_set_results_json(const char* json, int len) {
    if (!json || len < 0) return fail("rl_set_results_json: no data");
    rl::ui::AppState& s = app().state;
    if (!rl::ui::load_results(s, std::string(json, static_cast<size_t>(len)), "results.json"))
        return fail(rl::ui::message_text(s.reconcile.error));
    s.tab_request = "reconcile";
    return ok();
}

EMSCRIPTEN_KEEPALIVE int rl_set_results_file(const char* name, const char* data, int len) {
    if (!data || len < 0) return fail("rl_set_results_file: no data");
    rl::ui::AppState& s = app().state;
    const bool loaded =
        rl::ui::load_results(s, std::string(data, static_cast<size_t>(len)), name && *name ? name : "results.json");
    s.tab_request = "reconcile";
    wake();
    return loaded ? ok() : fail(rl::ui::message_text(s.reconcile.error));
}

EMSCRIPTEN_KEEPALIVE void rl_stored_results(const char* server_id, int status, const char* data, int len) {
    rl::ui::stored_results_answered(app().state, server_id ? server_id : "", status,
                                    data && len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string());
    wake();
}

EMSCRIPTEN_KEEPALIVE int rl_set_rules_json(const char* json, int len) {
    std::string error;
    if (!json || len < 0) return fail("rl_set_rules_json: no data");
    if (!app().state.ws.set_rules_json(std::string_view(json, static_cast<size_t>(len)), "rules.json", &error))
        return fail(error);
    app().state.rules_json.assign(json, static_cast<size_t>(len));
    return ok();
}

EMSCRIPTEN_KEEPALIVE char* rl_state_json() {
    auto& a = app();
    const auto& ws = a.state.ws;
    nlohmann::ordered_json j;
    j["preset"] = ws.preset();
    j["language"] = rl::ui::language_code(a.state.lang);
    j["theme"] = a.state.dark ? "dark" : "light";
    j["dataset_loaded"] = ws.has_dataset();
    j["dataset_error"] = a.state.dataset_error;
    j["campaign_id"] = ws.draft() ? nlohmann::ordered_json(ws.draft()->id) : nlohmann::ordered_json(nullptr);
    j["selected_campaign"] = ws.selected_file();
    j["tabs"] = a.state.open_tabs;
    j["cut_labels"] = a.state.cut_labels;  // labels drawn cut short (layout tests)
    // Popups open now (pickers, menus, combos, the send-date calendar, modal dialogs).
    j["open_popups"] = a.imgui_ready ? ImGui::GetCurrentContext()->OpenPopupStack.Size : 0;
    j["draft_error"] = ws.draft_error();
    j["campaigns"] = static_cast<int>(ws.campaign_files().size());
    j["recompute_count"] = ws.recompute_count();
    j["recompute_ms"] = ws.last_recompute_ms();
    j["recompute_pending"] = ws.recompute_pending();
    j["frames"] = a.frames;
    j["frame_ms"] = a.frame_ms;
    j["frame_ms_max"] = a.frame_ms_max;  // since rl_reset_frame_stats
    // Frames still wanted: after an event, while ImGui has queued input, while a recompute waits.
    j["busy"] = a.wake_frames > 0 || a.viewport_dirty || ws.recompute_pending() ||
                (a.imgui_ready && ImGui::GetCurrentContext()->InputEventsQueue.Size > 0);
    j["device_pixel_ratio"] = a.dpr;
    j["composing"] = a.composing;
    j["want_text_input"] = a.imgui_ready && ImGui::GetIO().WantTextInput;
    j["ui_error"] = a.state.ui_error;
    j["preferred_height"] = std::lround(a.state.preferred_height / (a.dpr > 0 ? a.dpr : 1.0f));  // CSS px, 0 = not drawn
    const auto& sub = a.state.submit;
    j["submit"] = {{"enabled", sub.enabled},
                   {"dialog_open", sub.dialog_open},
                   {"in_flight", sub.in_flight},
                   {"answered", sub.answered},
                   {"status", sub.status},
                   {"id", sub.id},
                   {"error_code", sub.error_code},
                   {"error_message", sub.error_message},
                   {"key", sub.key},
                   {"attempts", sub.attempts},
                   {"error_pointer", sub.error_pointer},
                   {"existing_id", sub.existing_id}};
    return dup_string(j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

// The answer to a submission web/submit.js sent: HTTP status (0 = network failure, text
// = the error) and the response body.
EMSCRIPTEN_KEEPALIVE void rl_submit_done(int status, const char* text) {
    rl::ui::submit_answered(app().state, status, text ? text : "");
    wake();
}

// GET {apiBase}/campaigns's answer (web/submit.js): drafts whose campaign id the server
// accepted show as submitted, also after a reload or a submission from another tab.
EMSCRIPTEN_KEEPALIVE void rl_set_accepted_campaigns(const char* json) {
    rl::ui::set_accepted_campaigns(app().state, json ? json : "");
    wake();
}

EMSCRIPTEN_KEEPALIVE int rl_frames() { return static_cast<int>(app().frames); }

EMSCRIPTEN_KEEPALIVE void rl_wake() { wake(); }

EMSCRIPTEN_KEEPALIVE int rl_set_language(const char* code) {
    rl::ui::Lang lang;
    if (!code || !rl::ui::parse_language(code, lang)) return fail(std::string("unknown language ") + (code ? code : ""));
    app().state.lang = lang;
    rl::ui::set_language(lang);
    return ok();
}

EMSCRIPTEN_KEEPALIVE int rl_set_theme(const char* name) {
    std::string n = name ? name : "";
    if (n != "light" && n != "dark") return fail("unknown theme " + n);
    app().state.dark = n == "dark";  // the frame loop re-applies the style
    return ok();
}

EMSCRIPTEN_KEEPALIVE char* rl_item_rects() {
    auto& a = app();
    const float s = a.dpr > 0 ? a.dpr : 1.0f;
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& [name, r] : rl::ui::recorded_items())
        j[name] = {{"x", r.x / s}, {"y", r.y / s}, {"w", r.w / s}, {"h", r.h / s}, {"frame", r.frame}};
    return dup_string(j.dump());
}

EMSCRIPTEN_KEEPALIVE int rl_record_items(int on) {
    const bool was = rl::ui::set_item_recording(on != 0);
    if (on && !was) wake();  // a frame that records them
    return was ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE int rl_focus_item(const char* name) {
    std::string n = name ? name : "";
    if (n != "draft_text") return fail("rl_focus_item: cannot focus \"" + n + "\"");
    if (!app().state.ws.has_draft()) return fail("rl_focus_item: no draft");
    app().state.focus_request = n;
    return ok();
}

EMSCRIPTEN_KEEPALIVE int rl_show_tab(const char* id) {
    app().state.tab_request = id ? id : "";
    wake();
    return ok();
}

EMSCRIPTEN_KEEPALIVE void rl_reset_frame_stats() { app().frame_ms_max = 0; }

EMSCRIPTEN_KEEPALIVE void rl_debug_fail(int where) {
    app().state.debug_fail = where;
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_set_font(void* data, int len) {
    auto& a = app();
    if (a.imgui_ready) {  // too late: the atlas is built from the first font
        std::free(data);
        return;
    }
    std::free(a.font_data);
    a.font_data = data;
    a.font_size = len;
}

EMSCRIPTEN_KEEPALIVE void rl_resize(int css_width, int css_height, float device_pixel_ratio) {
    auto& a = app();
    if (css_width < 1) css_width = 1;
    if (css_height < 1) css_height = 1;
    if (!(device_pixel_ratio > 0.25f && device_pixel_ratio < 8.0f)) device_pixel_ratio = 1.0f;
    if (a.css_width == css_width && a.css_height == css_height && a.dpr == device_pixel_ratio) return;
    a.css_width = css_width;
    a.css_height = css_height;
    a.dpr = device_pixel_ratio;
    a.viewport_dirty = true;
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_text_input(const char* text) {
    if (!app().imgui_ready || !text) return;
    ImGui::GetIO().AddInputCharactersUTF8(normalize_newlines(text).c_str());
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_paste_text(const char* text) {
    auto& a = app();
    if (!text) return;
    a.clipboard = normalize_newlines(text);
    // Straight into the active text field (replacing its selection, like Ctrl+V would).
    if (a.imgui_ready && ImGui::GetIO().WantTextInput) ImGui::GetIO().AddInputCharactersUTF8(a.clipboard.c_str());
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_set_composing(int composing) {
    app().composing = composing != 0;
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_wheel(float dx, float dy) {
    if (!app().imgui_ready) return;
    ImGui::GetIO().AddMouseWheelEvent(dx, dy);
    wake();
}

}  // extern "C"

// ---- per-customer table (src/ui/customer_table.cpp)
//   int   rl_table_rows(void)                               rows the table shows under its filters
//   char* rl_table_json(void)                               {rows, audience, search, verdict, reason, sort,
//                                                           descending, top (first 5 external_userids),
//                                                           filter_count, exports, export_name}
//   int   rl_table_set_filter(const char* json)             {search?, verdict?: "all"|"reached"|"blocked",
//                                                           reason?: label or ""}; unknown keys fail
//   char* rl_table_csv(void)                                the CSV the export button downloads
//   int   rl_table_export(void)                             what the export button does
extern "C" {

EMSCRIPTEN_KEEPALIVE int rl_table_rows() {
    auto& s = app().state;
    rl::ui::update_customer_rows(s);
    return static_cast<int>(s.table.rows.size());
}

EMSCRIPTEN_KEEPALIVE char* rl_table_json() { return dup_string(rl::ui::customer_table_json(app().state).dump()); }

EMSCRIPTEN_KEEPALIVE int rl_table_set_filter(const char* json) {
    std::string error;
    if (!rl::ui::customer_table_set_filter(app().state, json ? json : "", &error)) return fail(error);
    return ok();
}

EMSCRIPTEN_KEEPALIVE char* rl_table_csv() { return dup_string(rl::ui::customer_verdicts_csv(app().state)); }

EMSCRIPTEN_KEEPALIVE int rl_table_export() {
    if (!rl::ui::export_customer_verdicts(app().state)) return fail("rl_table_export: no preview");
    return ok();
}

}  // extern "C"
