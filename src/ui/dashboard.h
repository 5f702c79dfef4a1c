#pragma once
// The dashboard's ImGui code: one call per frame between ImGui::NewFrame and Render.
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

// A panel's state for the host and the tests (rl_panel_json): "composer", "audience",
// "data", "drafts", "preview", "customer_view", "calendar", "media", "submit". Each
// panel's <name>_state_json lives in its own file. Throws for an unknown name.
nlohmann::ordered_json panel_state_json(AppState& state, std::string_view panel);

// Records the last ImGui item's rectangle under `name` (for the host and the tests).
void track_item(AppState& state, const char* name);

}  // namespace rl::ui
