#pragma once
// Local calendar arithmetic of contract section 2: fixed UTC offset, no daylight saving.
#include <cstdint>

namespace rl {

using Time = int64_t;

enum class Window : uint8_t { Day, Week, Month, RollingDays };

// A half-open interval [begin, end) of Unix seconds.
struct TimeRange {
    Time begin = 0, end = 0;
    bool contains(Time t) const { return t >= begin && t < end; }
};

struct LocalDate { int64_t year; int month; int day; };

int64_t floor_div(int64_t a, int64_t b);
LocalDate local_date(Time t, int tz_offset_minutes);
int days_in_month(int64_t year, int month);
int days_in_local_month(Time t, int tz_offset_minutes);
// The window of `kind` containing t. RollingDays is (t - days*86400, t], empty when days <= 0.
TimeRange window_range(Window kind, Time t, int tz_offset_minutes, int64_t rolling_days = 0);
// (t - days*86400, t] for possibly fractional days; empty when days <= 0.
bool within_days(double value, Time t, double days);

}  // namespace rl
