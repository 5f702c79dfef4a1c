// The module's side of the host page <-> module message protocol
// (docs/contract.md section 9), C++ half. The JS half, web/host.js,
// owns the transport: the `?host=` origin, the event.source/event.origin checks,
// validating incoming messages and turning them into calls of the exported C API
// (rl_load_dataset_json, rl_set_campaign_json, rl_set_rules_json, rl_set_preset,
// rl_set_language, rl_set_theme, rl_summary_json). This file builds the messages the
// module sends on its own:
//   reachlens.ready    {version, protocol: 1}  returned by rl_host_connect()
//   reachlens.preview  {summary}               after every recompute (Workspace::on_recomputed)
//   reachlens.draft    {campaign}              after a marketer's edit in the UI
//                                              (Workspace::on_draft_edited)
// and hands them to web/host.js (ReachLensHost.send), which posts them to the host's
// origin only. Standalone (no ?host=), rl_host_connect is never called: no hooks.
//
// Exported:
//   char* rl_host_connect(void)   install the hooks; returns the reachlens.ready message
//                                 (malloc'd JSON, the caller frees it)
#include <emscripten.h>

#include <cstdio>
#include <exception>
#include <string>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "platform/web.h"

namespace {

constexpr const char* kModuleVersion = "0.1.0";
constexpr int kProtocol = 1;

void send(const nlohmann::ordered_json& message) {
    // Dataset strings could in theory hold invalid UTF-8: replace, never throw into a frame.
    const std::string text = message.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    rl::web::host_send(text);
}

void send_preview() {
    try {
        auto summary = rl::app::app().state.ws.summary_json();  // already computed: no second run
        if (summary.is_null()) return;
        nlohmann::ordered_json m;
        m["type"] = "reachlens.preview";
        m["summary"] = std::move(summary);
        send(m);
    } catch (const std::exception& e) { std::fprintf(stderr, "reachlens: cannot send reachlens.preview: %s\n", e.what()); }
}

void send_draft() {
    try {
        auto campaign = rl::app::app().state.ws.draft_document();
        if (campaign.is_null()) return;
        nlohmann::ordered_json m;
        m["type"] = "reachlens.draft";
        m["campaign"] = std::move(campaign);
        send(m);
    } catch (const std::exception& e) { std::fprintf(stderr, "reachlens: cannot send reachlens.draft: %s\n", e.what()); }
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE char* rl_host_connect() {
    auto& ws = rl::app::app().state.ws;
    ws.on_recomputed = send_preview;
    ws.on_draft_edited = send_draft;
    nlohmann::ordered_json m;
    m["type"] = "reachlens.ready";
    m["version"] = kModuleVersion;
    m["protocol"] = kProtocol;
    return rl::app::dup_string(m.dump());
}

}  // extern "C"
