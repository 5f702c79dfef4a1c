// Drafts kept in the browser's storage: the C++ half of web/storage.js.
//
//   void rl_storage_attach(void)              after main(): watch the draft at the end of every frame
//   void rl_storage_set_list(const char* json)   the saved drafts (a JSON array of entries), after every change
//   int  rl_storage_reopen_latest(void)       start-up: reopen the most recently saved draft
//                                             (0 = reopened; 1 = none or it does not load)
//   void rl_storage_error(const char* json)   storage full / unavailable: {code, message, id?} ("" = fine again)
//   void rl_storage_flush(void)               the page is being hidden: hand over unsaved edits now
//
// C++ -> page: the drafts panel asks the host (web_host.cpp -> window.ReachLensStorage
// .save(id, entryJson), a debounced write, and .remove(id)).
#include <emscripten.h>

#include <exception>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"

#include "app/app.h"
#include "ui/drafts.h"

namespace {

using namespace rl::app;

// At the end of every frame, whatever tab is open: the draft may have been edited.
// Cheap when nothing changed (counters only); frames run only after events, so the idle
// loop stays idle.
void watch_draft_hook(ImGuiContext*, ImGuiContextHook*) {
    try {
        rl::ui::drafts_tick(app().state, false);
    } catch (const std::exception& e) { rl::ui::drafts_storage_failed(app().state, std::string("drafts: ") + e.what()); }
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void rl_storage_attach() { add_end_of_frame_hook(watch_draft_hook); }

EMSCRIPTEN_KEEPALIVE void rl_storage_set_list(const char* json) {
    rl::ui::drafts_set_list(app().state, json ? json : "[]");
    wake();
}

EMSCRIPTEN_KEEPALIVE int rl_storage_reopen_latest() {
    auto& s = app().state;
    for (const auto& d : s.drafts.saved) {  // newest first; the first that loads
        rl::ui::StoredMessage error;
        if (rl::ui::drafts_reopen(s, d.id, &error)) {
            s.drafts.restored_id = d.id;
            wake();
            return 0;
        }
    }
    return 1;
}

EMSCRIPTEN_KEEPALIVE void rl_storage_error(const char* report_json) {
    rl::ui::drafts_storage_failed(app().state, report_json ? report_json : "");
    wake();
}

EMSCRIPTEN_KEEPALIVE void rl_storage_flush() {
    try {
        rl::ui::drafts_tick(app().state, true);
    } catch (const std::exception& e) { rl::ui::drafts_storage_failed(app().state, std::string("drafts: ") + e.what()); }
}

}  // extern "C"
