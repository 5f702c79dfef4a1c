#pragma once
// The time windows of contract section 2, on the local calendar of core/time/calendar.h.
#include <cstdint>

#include "core/time/calendar.h"

namespace rl {

enum class Window : uint8_t { Day, Week, Month, RollingDays };

// A half-open interval [begin, end) of Unix seconds.
struct TimeRange {
    Time begin = 0, end = 0;
    bool contains(Time t) const { return t >= begin && t < end; }
};

// The window of `kind` containing t. RollingDays is (t - days*86400, t], empty when days <= 0.
TimeRange window_range(Window kind, Time t, int tz_offset_minutes, int64_t rolling_days = 0);
// (t - days*86400, t] for possibly fractional days; empty when days <= 0.
bool within_days(double value, Time t, double days);

}  // namespace rl
