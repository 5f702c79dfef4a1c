#pragma once
// The audience: for moments the tag picker (what the WeCom API can express), for mass
// sends a visual builder over every expression of the contract (nested all/any/not, tags,
// tag_filter groups, owners, departments, gender, added within, attributes, received,
// not-interested, explicit list), editing the draft document; the live count of matching
// customers comes from the engine's preview.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace rl::ui {

struct AppState;

struct AudienceBuilderState {
    // Pickers (one open at a time): their search text and the rows it selects, cached
    // until the search or the dataset changes (300 tags, thousands of employees).
    std::string tag_search;
    std::string employee_search;
    std::string department_search;
    std::vector<std::pair<int, uint32_t>> tag_rows;  // (0 group / 1 tag, index)
    std::vector<uint32_t> employee_rows;
    std::vector<std::pair<int, uint32_t>> department_rows;  // (depth, index)
    std::string key_tag_search = "\x01", key_employee_search = "\x01", key_department_search = "\x01";
    const void* key_dataset = nullptr;
    // Free-text boxes (explicit customer list, attr `in` values) by node pointer: what the
    // marketer typed, kept while it still parses to what the document holds.
    std::map<std::string, std::string> text_boxes;
    // What the panel showed in its last frame (tests, rl_panel_json).
    int nodes = 0;
    int64_t shown_audience = -1, shown_reached = -1;
    bool shown_computing = false;
    std::string error_node;  // the node the draft error points into
};

void draw_audience_builder(AppState& s, double now);

// What the panel shows, for the host and the tests (rl_panel_json("audience")).
nlohmann::ordered_json audience_state_json(const AppState& s);

}  // namespace rl::ui
