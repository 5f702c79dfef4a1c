#pragma once
// The preview dashboard: overview (status, funnel audience -> pairs -> reached, blocked
// customers per reason), the per-sender table and department roll-up, the quota heat
// map around the send date, and the impact on scheduled campaigns. Reads the engine's
// PreviewResult (and rl::quota_calendar); computes no rule.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rl::ui {

struct AppState;

// One department of the roll-up: its senders' engine numbers summed (each sender counted
// once per department it or a sub-department belongs to).
struct DepartmentRollup {
    int64_t senders = 0, pairs = 0, deliveries = 0, blocked = 0;
    std::vector<uint32_t> children;  // department indices with senders, by pairs descending
};

struct PreviewPanelsState {
    // Sender table: column (see kSenderColumns in preview_panels.cpp) and direction.
    int sender_sort_column = 2;
    bool sender_sort_descending = true;
    int heatmap_quota = 0;  // which quota/policy the heat map shows (index into its labels)
    std::string heatmap_campaign;  // draft id|kind|origin heatmap_quota was chosen for (a change picks again)
    double pending_since = -1;  // ImGui time the current pending recompute was first seen

    // Caches, rebuilt when the result or the sort changes.
    std::vector<uint32_t> sender_order;  // indices into PreviewResult::senders, display order
    std::vector<DepartmentRollup> departments;  // by department index
    std::vector<uint32_t> department_roots;  // roots with senders, by pairs descending
    const void* key_result = nullptr;
    int key_recompute = -1;
    int key_sort_column = -1;
    bool key_sort_descending = false;
};

void draw_preview_overview(AppState& s);
void draw_sender_panel(AppState& s);
void draw_quota_heatmap(AppState& s);
void draw_impact_panel(AppState& s);

// What the panel shows, for the host and the tests (rl_panel_json("preview")).
nlohmann::ordered_json preview_state_json(const AppState& s);

}  // namespace rl::ui
