#pragma once
// The audience: for moments the tag picker (what the WeCom API can express), for mass
// sends a visual builder over every expression of the contract (nested all/any/not, tags,
// tag_filter groups, owners, departments, gender, added within, attributes, received,
// not-interested, explicit list), editing the draft document; the live count of matching
// customers comes from the engine's preview.
#include <string>

namespace rl::ui {

struct AppState;

struct AudienceBuilderState {
    std::string tag_search;
};

void draw_audience_builder(AppState& s, double now);

}  // namespace rl::ui
