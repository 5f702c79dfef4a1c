#include "core/time/time_windows.h"

#include <cstdint>

namespace rl {

TimeRange window_range(Window kind, Time t, int tz_offset_minutes, int64_t rolling_days) {
    const int64_t day = local_day_number(t, tz_offset_minutes);
    switch (kind) {
        case Window::Day: return {local_day_start(day, tz_offset_minutes), local_day_start(day + 1, tz_offset_minutes)};
        case Window::Week: {
            const int64_t monday = day - weekday_of_day(day);
            return {local_day_start(monday, tz_offset_minutes), local_day_start(monday + 7, tz_offset_minutes)};
        }
        case Window::Month: {
            const LocalDate d = date_of_day(day);
            const int64_t first = day_of_date(d.year, d.month, 1);
            const int64_t next = first + days_in_month(d.year, d.month);
            return {local_day_start(first, tz_offset_minutes), local_day_start(next, tz_offset_minutes)};
        }
        case Window::RollingDays:
            if (rolling_days <= 0) return {t + 1, t + 1};
            if (rolling_days > 100000000) return {INT64_MIN, t + 1};  // longer than any ledger; avoids overflow
            return {t - rolling_days * 86400 + 1, t + 1};
    }
    return {0, 0};
}

bool within_days(double value, Time t, double days) {
    if (!(days > 0)) return false;
    double lo = static_cast<double>(t) - days * 86400.0;
    return value > lo && value <= static_cast<double>(t);
}

}  // namespace rl
