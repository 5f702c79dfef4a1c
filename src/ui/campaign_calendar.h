#pragma once
// The campaign calendar: a month view of past campaigns (the dataset's deliveries grouped
// by campaign) and scheduled ones with their reach, the draft placed at its send time;
// each openable to see its numbers (scheduled ones: content and own preview).
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace rl::ui {

struct AppState;

struct CampaignCalendarState {
    int64_t year = 0;             // the month shown (0 = the draft's month)
    int month = 0;
    std::string open_campaign;    // the campaign whose details are open
};

void draw_campaign_calendar(AppState& s, double now);

// What the panel shows, for the host and the tests (rl_panel_json("calendar")).
nlohmann::ordered_json calendar_state_json(const AppState& s);

}  // namespace rl::ui
