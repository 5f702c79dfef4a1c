#pragma once
// The dashboard's ImGui code: one call per frame between ImGui::NewFrame and Render.
#include <span>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ui/app_state.h"

namespace rl::ui {

// Base font size in CSS pixels (the UI scales it by AppState::dpi_scale). ImGui sizes a
// font by its line height (ascent - descent), which for Noto Sans CJK is 1.448 em: 20 px
// gives 13.8 px characters, like 14 px text in a browser with 20 px lines.
inline constexpr float kBaseFontSize = 20.0f;

// Colours and sizes for the theme at a DPI scale (call again when either changes).
void apply_style(bool dark, float dpi_scale);

// Draws the whole dashboard. `now_seconds` is a monotonic clock (debounce of edits).
void draw_dashboard(AppState& state, double now_seconds);

// Every panel, listed once (dashboard.cpp): the dashboard draws its tabs from this list,
// in order, and panel_state_json answers from it. A panel's state type and functions live
// in the panel's own header; its state is a member of AppState.
enum class PanelPlace {
    LeftTab,  // what the marketer composes
    RightTab,  // what the engine says about it
    Other  // drawn elsewhere (the header, below the tabs, a popup): no tab
};
struct Panel {
    PanelPlace place;
    const char* tab_id;  // tab id (AppState::tab_request; test name "tab:<id>"); nullptr: no tab
    const char* title_zh;  // the tab's title
    const char* title_en;
    void (*draw)(AppState& s, double now);  // the tab's content; nullptr: no tab
    const char* state_name;  // its name for rl_panel_json; nullptr: none
    nlohmann::ordered_json (*state_json)(const AppState& s);
};
std::span<const Panel> panels();

// A panel's state for the host and the tests (rl_panel_json): "composer", "audience",
// "data", "drafts", "preview", "customer_view", "calendar", "media", "submit", "table"
// (the names in panels()). Throws for an unknown name.
nlohmann::ordered_json panel_state_json(const AppState& state, std::string_view panel);

// Notes that the last item shows `label` in `available` pixels and cuts it short (a tab
// shrunk to "…", a combo's clipped choice): rl_state_json's cut_labels, for the layout tests.
void note_label_fit(AppState& state, const char* name, const char* label, float available);

}  // namespace rl::ui
