#include "core/time/calendar.h"

#include <chrono>

namespace rl {

namespace {

namespace chrono = std::chrono;

constexpr int64_t kDaysPer400Years = 146097;

// A year in [1970, 2370) with the same calendar as `year`, and how many 400-year cycles
// separate them.
int64_t cycles_from_1970(int64_t year) { return floor_div(year - 1970, 400); }

chrono::year chrono_year(int64_t year) { return chrono::year(static_cast<int>(year - cycles_from_1970(year) * 400)); }

}  // namespace

int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

int64_t local_day_number(Time t, int tz_offset_minutes) { return floor_div(t + int64_t(tz_offset_minutes) * 60, kSecondsPerDay); }

Time local_day_start(int64_t day, int tz_offset_minutes) { return day * kSecondsPerDay - int64_t(tz_offset_minutes) * 60; }

LocalDate date_of_day(int64_t day) {
    const int64_t cycles = floor_div(day, kDaysPer400Years);
    const chrono::year_month_day ymd{chrono::sys_days{chrono::days{day - cycles * kDaysPer400Years}}};
    return {int64_t{static_cast<int>(ymd.year())} + cycles * 400, static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int64_t day_of_date(int64_t year, int month, int day) {
    const chrono::sys_days first{chrono_year(year) / chrono::month(static_cast<unsigned>(month)) / 1};
    return first.time_since_epoch().count() + cycles_from_1970(year) * kDaysPer400Years + (day - 1);
}

LocalDate local_date(Time t, int tz_offset_minutes) { return date_of_day(local_day_number(t, tz_offset_minutes)); }

int days_in_month(int64_t year, int month) {
    const chrono::year_month_day_last last{chrono_year(year),
                                           chrono::month_day_last{chrono::month(static_cast<unsigned>(month))}};
    return static_cast<int>(static_cast<unsigned>(last.day()));
}

int days_in_local_month(Time t, int tz_offset_minutes) {
    const LocalDate d = local_date(t, tz_offset_minutes);
    return days_in_month(d.year, d.month);
}

int weekday_of_day(int64_t day) {
    const chrono::weekday w{chrono::sys_days{chrono::days{day - floor_div(day, 7) * 7}}};
    return static_cast<int>(w.iso_encoding()) - 1;
}

}  // namespace rl
