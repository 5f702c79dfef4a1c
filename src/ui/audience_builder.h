#pragma once
// The audience: for moments the tag picker (what the WeCom API can express), for mass
// sends a visual builder over every expression of the contract (nested all/any/not, tags,
// tag_filter groups, owners, departments, gender, added within, attributes, received,
// not-interested, explicit list), editing the draft document; the live count of matching
// customers comes from the engine's preview.
#include <string>

#include <nlohmann/json.hpp>

namespace rl::ui {

struct AppState;

struct AudienceBuilderState {
    std::string tag_search;
};

void draw_audience_builder(AppState& s, double now);

// What the panel shows, for the host and the tests (rl_panel_json("audience")).
nlohmann::ordered_json audience_state_json(const AppState& s);

}  // namespace rl::ui
