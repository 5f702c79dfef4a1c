#pragma once
// How the host's tests find widgets by name: Dear ImGui's own item hooks (built with
// IMGUI_ENABLE_TEST_ENGINE, implemented in test_hooks.cpp) record each item whose label
// carries a test name after "###" ("Submit###submit": shows "Submit", named "submit").
// ImGui calls the hooks only while recording is on (set_item_recording, from the test
// export rl_record_items): a marketer's frames pay one flag test per item and build nothing.
// Items ImGui does not label to its hooks (text, child windows, tables, combo boxes, table
// headers, hand-drawn rectangles) are named with name_item / name_rect, which return at
// once while recording is off.
#include <map>
#include <string>
#include <string_view>

#include <imgui.h>

namespace rl::ui {

// A widget's rectangle in ImGui coordinates (framebuffer pixels on the web).
struct ItemRect {
    float x = 0, y = 0, w = 0, h = 0;
    int frame = 0;  // ImGui's frame count when it was last drawn
};

// Switches recording on or off for the current ImGui context; returns whether it was on.
bool set_item_recording(bool on);

// The recorded items by name. Hidden widgets keep the rectangle of the last frame that drew them.
const std::map<std::string, ItemRect, std::less<>>& recorded_items();

// Names the last item `name` + `suffix` (for items without a "###name" label, above).
void name_item(std::string_view name, std::string_view suffix = {});
// Names the last item `name` + the decimal `index` (`name` alone for a negative index).
void name_item(std::string_view name, int index);

// Names a rectangle drawn by hand (several ImGui items or none).
void name_rect(std::string_view name, ImVec2 min, ImVec2 max);

}  // namespace rl::ui
