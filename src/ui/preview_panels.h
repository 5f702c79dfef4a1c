#pragma once
// The preview dashboard: overview (status, funnel audience -> pairs -> reached, blocked
// customers per reason), the per-sender table and department roll-up, the quota heat
// map around the send date, and the impact on scheduled campaigns. Reads the engine's
// PreviewResult (and rl::quota_calendar); computes no rule.
#include <string>

#include <nlohmann/json.hpp>

namespace rl::ui {

struct AppState;

struct PreviewPanelsState {
    int sender_sort_column = 0;
    bool sender_sort_descending = false;
    int heatmap_quota = 0;        // which quota/policy the heat map shows
};

void draw_preview_overview(AppState& s);
void draw_sender_panel(AppState& s);
void draw_quota_heatmap(AppState& s);
void draw_impact_panel(AppState& s);

// What the panel shows, for the host and the tests (rl_panel_json("preview")).
nlohmann::ordered_json preview_state_json(const AppState& s);

}  // namespace rl::ui
