#pragma once
// Drafts: the bundled demo campaigns, the drafts saved in the browser's storage as the
// marketer edits (restored after a reload or a crash; reopen or delete), and templates
// (a saved draft's text and attachments applied to the current draft).
#include <string>

#include <nlohmann/json.hpp>

namespace rl::ui {

struct AppState;

struct DraftsState {
    std::string error;
};

void draw_drafts_panel(AppState& s, double now);

// What the panel shows, for the host and the tests (rl_panel_json("drafts")).
nlohmann::ordered_json drafts_state_json(const AppState& s);

}  // namespace rl::ui
