#pragma once
// The local calendar of contract section 2: local time is UTC plus a fixed offset (no
// daylight saving, no time-zone database), days follow the proleptic Gregorian calendar.
// Built on std::chrono's civil calendar (year_month_day, weekday); every date computed in
// ReachLens (time windows, typed send times, the calendar panel, the generator) comes
// from here. Day numbers count local days from 1970-01-01 and cover the whole int64 range
// of times: std::chrono's years stop at +-32767, and the Gregorian calendar repeats every
// 400 years (146097 days, a whole number of weeks), so far dates are reduced by 400-year
// cycles before std::chrono sees them.
#include <cstdint>

namespace rl {

using Time = int64_t;  // Unix seconds
inline constexpr int64_t kSecondsPerDay = 86400;

struct LocalDate {
    int64_t year;
    int month;  // 1-12
    int day;  // 1-31
};

// a / b rounded toward negative infinity (b > 0).
int64_t floor_div(int64_t a, int64_t b);

// The local day number containing t, and the UTC time at which local day `day` starts.
int64_t local_day_number(Time t, int tz_offset_minutes);
Time local_day_start(int64_t day, int tz_offset_minutes);

// Day number <-> date. `day_of_date` takes a month 1-12; its day may lie outside the
// month (day 0 is the last day of the month before, day 32 of January is February 1).
LocalDate date_of_day(int64_t day);
int64_t day_of_date(int64_t year, int month, int day);
LocalDate local_date(Time t, int tz_offset_minutes);

// Days of a month (1-12) of a year: 28-31.
int days_in_month(int64_t year, int month);
int days_in_local_month(Time t, int tz_offset_minutes);

// The weekday of a day number, 0 = Monday ... 6 = Sunday (ISO order).
int weekday_of_day(int64_t day);

}  // namespace rl
