#pragma once
// The one calendar of the UI: a button that opens a month grid (Monday first, the
// enterprise's local days, core/time/calendar.h). The audience builder picks attribute dates
// with it; the composer picks the send date with it and marks the days on which many of
// the audience are already at a quota.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "imgui.h"

namespace rl::ui {

// A marked day of the month shown: its cell filled in `fill`, `tooltip` on hover.
struct DayMark {
    ImVec4 fill{0, 0, 0, 0};  // alpha 0: not marked
    std::string tooltip;
};

// What the calendar shows this frame (the composer reports it to the host and the tests).
struct CalendarShown {
    bool open = false;
    int64_t year = 0;
    int month = 0;  // 1-12
};

struct DatePickerOptions {
    // The button's label (may carry a ###id); nullptr: the selected day as YYYY-MM-DD, ###<name>.
    const char* button_label = nullptr;
    // The month to open on when no day is selected (a local day number).
    int64_t open_on_day = 0;
    // Marks for the month shown (index 0: day 1); called only while the popup is open.
    std::function<std::vector<DayMark>(int64_t year, int month)> marks;
    // Drawn after the month's title (the time zone) and under the grid (a legend).
    std::string title_note;
    std::function<void()> footer;
    CalendarShown* shown = nullptr;  // filled every frame when set
};

// The date field: a button that opens the month calendar on the selected day's month
// (`selected`: a local day number, days since 1970-01-01; none: options.open_on_day's
// month, nothing highlighted). Returns the day picked this frame, which closes the popup.
// Test names (ui/test_hooks.h): `<name>` (the button unless options.button_label names it),
// `<name>:prev` / `<name>:next` (months), `<name>:month` (the title), `<name>:day:<d>`.
std::optional<int64_t> date_picker(const char* name, std::optional<int64_t> selected, const DatePickerOptions& options = {});

}  // namespace rl::ui
