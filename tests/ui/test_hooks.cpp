// The test hooks (src/ui/test_hooks.cpp) on real Dear ImGui frames, natively: no renderer,
// ImGui's own item hooks record widgets by the name after "###" in their labels, only while
// recording is on.
#include <catch2/catch.hpp>

#include <string>

#include "imgui.h"
#include "headless_imgui.h"
#include "ui/test_hooks.h"

namespace {

// A window with a button, a text named by hand, and a scrolling child of 40 buttons.
void draw_frame(float scroll_y) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(400, 300));
    ImGui::Begin("##root", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::Button("Submit###hooks_submit");
    ImGui::TextUnformatted("a status line");
    rl::ui::name_item("hooks_status:", "1");
    ImGui::BeginChild("###hooks_feed", ImVec2(200, 100));
    for (int i = 0; i < 40; ++i) ImGui::Button(("row " + std::to_string(i) + "###hooks_row:" + std::to_string(i)).c_str());
    if (scroll_y >= 0) ImGui::SetScrollY(scroll_y);
    ImGui::EndChild();
    ImGui::End();
    ImGui::Render();
}

const rl::ui::ItemRect* find(const char* name) {
    const auto& items = rl::ui::recorded_items();
    const auto it = items.find(name);
    return it == items.end() ? nullptr : &it->second;
}

}  // namespace

TEST_CASE("test hooks: widgets recorded by their ### name only while a test records") {
    HeadlessImGui imgui;
    draw_frame(0);
    draw_frame(0);
    CHECK(find("hooks_submit") == nullptr);  // recording is off by default
    CHECK(find("hooks_status:1") == nullptr);

    REQUIRE_FALSE(rl::ui::set_item_recording(true));
    draw_frame(0);
    const int frame = ImGui::GetFrameCount();
    const rl::ui::ItemRect* submit = find("hooks_submit");
    REQUIRE(submit);
    CHECK(submit->frame == frame);
    CHECK(submit->w > 0);
    CHECK(submit->h > 0);
    CHECK(find("Submit###hooks_submit") == nullptr);  // the visible text is not part of the name
    const rl::ui::ItemRect* status = find("hooks_status:1");
    REQUIRE(status);  // a text, named by hand
    CHECK(status->y > submit->y);
    const rl::ui::ItemRect* feed = find("hooks_feed");
    REQUIRE(feed);  // a child window, by the name after its own "###"
    CHECK(feed->w == Approx(200));
    CHECK(feed->h == Approx(100));
    const rl::ui::ItemRect* first = find("hooks_row:0");
    REQUIRE(first);
    CHECK(first->y >= feed->y);
    CHECK(find("hooks_row:39") == nullptr);  // below the child's view: never reported with its label yet

    // Scrolled to the end: the last row is named, and the first row, now above the view,
    // still moves with the scroll (ImGui reports its id and rectangle, not its label).
    draw_frame(10000);
    draw_frame(-1);
    const rl::ui::ItemRect* last = find("hooks_row:39");
    REQUIRE(last);
    CHECK(last->frame == ImGui::GetFrameCount());
    CHECK(last->y + last->h <= feed->y + feed->h + 1);
    REQUIRE(find("hooks_row:0"));
    CHECK(find("hooks_row:0")->frame == ImGui::GetFrameCount());
    CHECK(find("hooks_row:0")->y < feed->y);

    // Off again: nothing is recorded any more.
    REQUIRE(rl::ui::set_item_recording(false));
    const int before = find("hooks_submit")->frame;
    draw_frame(0);
    CHECK(find("hooks_submit")->frame == before);
    CHECK(find("hooks_status:1")->frame == before);
}
