// The outbox bridge (web/outbox.js keeps the entries in localStorage):
//   void rl_outbox_set(const char* json)   the page's view of the outbox after a change:
//        {retrying, note, storage_error, entries:[{id, created_at, campaign_id, kind,
//         audience, reached, deliveries, reason, last_error}]} (no request bodies: the
//         UI only lists them)
// The Outbox popup (src/ui/submit_dialog.cpp) calls the page through the host (web_host.cpp).
#include <emscripten.h>

#include <cstdio>
#include <exception>

#include "app/app.h"
#include "ui/submit_dialog.h"

extern "C" {

EMSCRIPTEN_KEEPALIVE void rl_outbox_set(const char* json) {
    try {
        rl::ui::outbox_set_view(rl::app::app().state, json ? json : "{}");
    } catch (const std::exception& e) { std::fprintf(stderr, "reachlens: bad outbox view from the page: %s\n", e.what()); }
    rl::app::wake();
}

}  // extern "C"
