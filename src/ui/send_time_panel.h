#pragma once
// The send-time explorer panel: the draft's exact preview at its time of day on each of
// the next days (model::SendTimeExplorer), drawn as bars as they come: reached customers,
// blocked ones split by reason, the reach taken from scheduled campaigns, today's choice
// outlined, the best day highlighted; hover for the numbers, click to send then.
#include <nlohmann/json.hpp>

#include "model/send_time_explorer.h"

namespace rl::ui {

struct AppState;

struct SendTimePanelState {
    model::SendTimeExplorer explorer;
    int days = 30;
    char time_of_day[16] = "";  // HH:MM typed by the marketer; empty = the draft's
    bool time_invalid = false;  // the typed time of day does not parse (worded when drawn)
    int hovered = -1;
};

// Keeps the explorer going, a slice of about 8 ms per frame (the app calls it while the
// tab is open and the live preview is done).
void step_send_time_explorer(AppState& s);
void draw_send_time_panel(AppState& s, double now);
nlohmann::ordered_json send_time_state_json(const AppState& s);

}  // namespace rl::ui
