// The UI's one calendar (src/ui/date_picker.h) on real Dear ImGui frames, natively, driven
// by the pointer as a person would: open it, step the month, pick a day; the marks asked for
// are those of the month shown.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "imgui.h"
#include "core/time/calendar.h"
#include "headless_imgui.h"
#include "ui/date_picker.h"
#include "ui/test_hooks.h"

namespace {

// The context, recording the widgets' rectangles for the clicks.
struct Headless : HeadlessImGui {
    Headless() : HeadlessImGui(ImVec2(800, 600)) { rl::ui::set_item_recording(true); }
};

struct Picker {
    std::optional<int64_t> selected;
    rl::ui::DatePickerOptions options;
    rl::ui::CalendarShown shown;
    std::vector<std::pair<int64_t, int>> months_marked;  // (year, month) each time marks were asked for
    std::optional<int64_t> picked;

    void frame() {
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(800, 600));
        ImGui::Begin("##root", nullptr, ImGuiWindowFlags_NoDecoration);
        options.shown = &shown;
        options.marks = [this](int64_t year, int month) {
            months_marked.push_back({year, month});
            std::vector<rl::ui::DayMark> marks(static_cast<size_t>(rl::days_in_month(year, month)));
            marks[2].fill = ImVec4(1, 0, 0, 0.5f);  // day 3
            return marks;
        };
        if (auto day = rl::ui::date_picker("test_date", selected, options)) picked = day;
        ImGui::End();
        ImGui::Render();
    }
    // Moves the pointer onto item `name`, presses and releases it over a few frames.
    void click(const char* name) {
        const auto& items = rl::ui::recorded_items();
        const auto it = items.find(name);
        REQUIRE(it != items.end());
        const ImVec2 at(it->second.x + it->second.w / 2, it->second.y + it->second.h / 2);
        ImGuiIO& io = ImGui::GetIO();
        io.AddMousePosEvent(at.x, at.y);
        frame();
        io.AddMouseButtonEvent(0, true);
        frame();
        io.AddMouseButtonEvent(0, false);
        frame();
        frame();
    }
};

}  // namespace

TEST_CASE("date picker: opens on the selected day's month, steps months, returns the day picked") {
    Headless imgui;
    Picker p;
    p.selected = rl::day_of_date(2026, 3, 15);
    p.frame();
    p.frame();
    CHECK_FALSE(p.shown.open);
    CHECK(p.months_marked.empty());  // no marks asked for while closed
    p.click("test_date");
    REQUIRE(p.shown.open);
    CHECK(p.shown.year == 2026);
    CHECK(p.shown.month == 3);
    REQUIRE_FALSE(p.months_marked.empty());
    CHECK(p.months_marked.back() == std::pair<int64_t, int>(2026, 3));
    // March 2026 has 31 days, all drawn; none of April.
    CHECK(rl::ui::recorded_items().count("test_date:day:31") == 1);

    p.click("test_date:next");
    p.click("test_date:next");
    p.click("test_date:prev");
    CHECK(p.shown.month == 4);
    CHECK(p.months_marked.back() == std::pair<int64_t, int>(2026, 4));
    CHECK_FALSE(p.picked);
    p.click("test_date:day:30");
    REQUIRE(p.picked);
    CHECK(*p.picked == rl::day_of_date(2026, 4, 30));
    CHECK_FALSE(p.shown.open);  // picking a day closes the calendar
}

TEST_CASE("date picker: December steps into January; without a selection it opens on its fallback month") {
    Headless imgui;
    Picker p;
    p.options.button_label = "Calendar…###test_date";
    p.options.open_on_day = rl::day_of_date(2025, 12, 31);
    p.frame();
    p.click("test_date");
    REQUIRE(p.shown.open);
    CHECK(p.shown.year == 2025);
    CHECK(p.shown.month == 12);
    p.click("test_date:next");
    CHECK(p.shown.year == 2026);
    CHECK(p.shown.month == 1);
    p.click("test_date:day:3");
    REQUIRE(p.picked);
    CHECK(*p.picked == rl::day_of_date(2026, 1, 3));  // a marked day is picked like any other
}
