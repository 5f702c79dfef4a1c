// The outbox bridge (web/outbox.js keeps the entries in localStorage):
//   void rl_outbox_set(const char* json)   the page's view of the outbox after a change:
//        {retrying, note, storage_error, entries:[{id, created_at, campaign_id, kind,
//         audience, reached, deliveries, reason, last_error}]} (no request bodies: the
//         UI only lists them)
// and the calls the Outbox popup (src/ui/submit_dialog.cpp) makes into the page.
#include "platform/outbox_web.h"

#include <emscripten.h>

#include <cstdio>
#include <exception>

#include <nlohmann/json.hpp>

#include "app/app.h"

// clang-format off
EM_JS(void, rl_js_outbox_remove, (const char* id), {
    if (typeof ReachLensOutbox !== 'undefined') ReachLensOutbox.remove(UTF8ToString(id));
});
EM_JS(void, rl_js_outbox_download, (), {
    if (typeof ReachLensOutbox !== 'undefined') ReachLensOutbox.download();
});
EM_JS(void, rl_js_outbox_retry, (), {
    if (typeof ReachLensOutbox !== 'undefined') ReachLensOutbox.retry();
});
// clang-format on

namespace rl::web {

void outbox_remove(const std::string& id) { rl_js_outbox_remove(id.c_str()); }
void outbox_download() { rl_js_outbox_download(); }
void outbox_retry() { rl_js_outbox_retry(); }

}  // namespace rl::web

namespace {

std::string str(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
int64_t num(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void rl_outbox_set(const char* json) {
    auto& sub = rl::app::app().state.submit;
    try {
        const auto j = nlohmann::json::parse(json ? json : "{}");
        std::vector<rl::ui::OutboxEntry> entries;
        if (auto it = j.find("entries"); it != j.end() && it->is_array()) {
            for (const auto& e : *it) {
                if (!e.is_object()) continue;
                rl::ui::OutboxEntry x;
                x.id = str(e, "id");
                x.created_at = str(e, "created_at");
                x.campaign_id = str(e, "campaign_id");
                x.kind = str(e, "kind");
                x.reason = str(e, "reason");
                x.last_error = str(e, "last_error");
                x.audience = num(e, "audience");
                x.reached = num(e, "reached");
                x.deliveries = num(e, "deliveries");
                entries.push_back(std::move(x));
            }
        }
        sub.outbox = std::move(entries);
        sub.outbox_retrying = j.value("retrying", false);
        sub.outbox_storage_error = str(j, "storage_error");
        sub.outbox_retry_accepted = sub.outbox_retry_failed = -1;
        if (const std::string note = str(j, "note"); !note.empty()) {
            const auto n = nlohmann::json::parse(note);
            sub.outbox_retry_accepted = static_cast<int>(num(n, "accepted"));
            sub.outbox_retry_failed = static_cast<int>(num(n, "failed"));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "reachlens: bad outbox view from the page: %s\n", e.what());
    }
    rl::app::wake();
}

}  // extern "C"
