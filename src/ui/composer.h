#pragma once
// The composer: kind and origin, senders (department tree, employee search), send time in
// the enterprise's time zone, rules (preset picker and editor), the post text with live
// counters against the limits, and the attachments. Every edit goes into the draft
// document (Workspace::edit_draft); errors are the engine's, shown next to their field.
#include <string>

#include <nlohmann/json.hpp>

namespace rl::ui {

struct AppState;

struct ComposerState {
    std::string sender_search;    // employee search (name or userid)
    std::string send_date;        // the send time fields as typed (YYYY-MM-DD, HH:MM)
    std::string send_clock;
    int send_time_revision = -1;  // draft revision the fields were filled from
    bool rules_editor_open = false;
};

void draw_composer(AppState& s, double now);

// What the panel shows, for the host and the tests (rl_panel_json("composer")).
nlohmann::ordered_json composer_state_json(const AppState& s);

}  // namespace rl::ui
