#pragma once
// The campaign calendar: a month view of past campaigns (the dataset's deliveries grouped
// by campaign) and scheduled ones with their reach, the draft placed at its send time;
// each openable to see its numbers (scheduled ones: content and own preview).
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/simulation/simulation.h"

namespace rl::ui {

struct AppState;

// A local calendar day of a Unix time (tz offset in minutes); weekday 0 = Monday.
struct LocalDay {
    int64_t year = 1970;
    int month = 1, day = 1, weekday = 3;
};
LocalDay local_day(Time t, int tz_offset_minutes);
// Weekday (0 = Monday) of day 1 of a month.
int first_weekday(int64_t year, int month);
// Moves a (year, month) by `delta` months (-1: the month before).
void step_month(int64_t& year, int& month, int delta);

struct CampaignCalendarState {
    int64_t year = 0;  // the month shown (0 = the draft's month)
    int month = 0;
    int selected_day = 0;  // the day whose campaigns the side list shows (0 = none)
    std::string open_campaign;  // the campaign whose details are open ("" = none)
    // Previews of scheduled campaigns (by index), computed when opened; dropped when the
    // dataset or the rules change (cache_key).
    std::map<size_t, PreviewResult> scheduled_previews;
    std::string cache_key;
    int64_t previews_computed = 0;  // tests: how many previews ran
};

void draw_campaign_calendar(AppState& s, double now);

// What the panel shows, for the host and the tests (rl_panel_json("calendar")).
nlohmann::ordered_json calendar_state_json(const AppState& s);

}  // namespace rl::ui
