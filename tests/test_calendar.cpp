// The local calendar (core/time/calendar.h) every date in ReachLens comes from: checked
// against a day-by-day walk with the Gregorian leap rule written out here, at leap days,
// year ends, before 1970, and far from it.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "core/time/calendar.h"

namespace {

bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int month_length(int64_t y, int m) {
    static const int kLength[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : kLength[m - 1];
}
rl::LocalDate next(rl::LocalDate d) {
    if (d.day < month_length(d.year, d.month)) return {d.year, d.month, d.day + 1};
    if (d.month < 12) return {d.year, d.month + 1, 1};
    return {d.year + 1, 1, 1};
}
bool same(rl::LocalDate a, rl::LocalDate b) { return a.year == b.year && a.month == b.month && a.day == b.day; }

}  // namespace

TEST_CASE("calendar: day numbers walk the Gregorian calendar day by day, from 1600 to 2400") {
    const int64_t start = rl::day_of_date(1600, 1, 1);
    rl::LocalDate expected{1600, 1, 1};
    int weekday = rl::weekday_of_day(start);
    int mismatches = 0;
    for (int64_t day = start; expected.year < 2400; ++day) {
        const rl::LocalDate got = rl::date_of_day(day);
        if (!same(got, expected) || rl::day_of_date(expected.year, expected.month, expected.day) != day ||
            rl::weekday_of_day(day) != weekday || rl::days_in_month(got.year, got.month) != month_length(got.year, got.month))
            ++mismatches;
        expected = next(expected);
        weekday = (weekday + 1) % 7;
    }
    CHECK(mismatches == 0);
}

TEST_CASE("calendar: known days, leap years and year boundaries") {
    CHECK(rl::day_of_date(1970, 1, 1) == 0);
    CHECK(rl::weekday_of_day(0) == 3);  // a Thursday
    CHECK(rl::weekday_of_day(rl::day_of_date(2024, 2, 26)) == 0);  // a Monday
    CHECK(rl::weekday_of_day(rl::day_of_date(2026, 12, 6)) == 6);  // a Sunday

    CHECK(rl::days_in_month(2024, 2) == 29);
    CHECK(rl::days_in_month(2023, 2) == 28);
    CHECK(rl::days_in_month(2000, 2) == 29);  // divisible by 400
    CHECK(rl::days_in_month(1900, 2) == 28);  // by 100, not 400
    CHECK(rl::days_in_month(2100, 2) == 28);
    CHECK(rl::days_in_month(2024, 12) == 31);
    CHECK(rl::days_in_month(2024, 4) == 30);

    // Feb 29 and the day after; day 0 and day 32 run into the neighbouring months.
    const int64_t feb29 = rl::day_of_date(2024, 2, 29);
    CHECK(same(rl::date_of_day(feb29 + 1), {2024, 3, 1}));
    CHECK(rl::day_of_date(2024, 3, 0) == feb29);
    CHECK(rl::day_of_date(2024, 1, 32) == rl::day_of_date(2024, 2, 1));

    // The year boundary.
    const int64_t eve = rl::day_of_date(2025, 12, 31);
    CHECK(same(rl::date_of_day(eve + 1), {2026, 1, 1}));
    CHECK(rl::day_of_date(2026, 1, 1) - rl::day_of_date(2025, 1, 1) == 365);
    CHECK(rl::day_of_date(2025, 1, 1) - rl::day_of_date(2024, 1, 1) == 366);
}

TEST_CASE("calendar: local days with a fixed offset, before 1970 too") {
    // China time (+08:00): 16:00 UTC on Feb 29 2024 is already March 1 locally.
    const rl::Time t = rl::local_day_start(rl::day_of_date(2024, 2, 29), 0) + 16 * 3600;
    CHECK(same(rl::local_date(t, 480), {2024, 3, 1}));
    CHECK(same(rl::local_date(t - 1, 480), {2024, 2, 29}));
    CHECK(rl::days_in_local_month(t, 480) == 31);
    CHECK(rl::days_in_local_month(t - 1, 480) == 29);
    CHECK(same(rl::local_date(t, -300), {2024, 2, 29}));  // UTC-05:00

    // Before the epoch: floors, not truncation.
    CHECK(rl::local_day_number(-1, 0) == -1);
    CHECK(rl::local_day_number(-86400, 0) == -1);
    CHECK(rl::local_day_number(-86401, 0) == -2);
    CHECK(rl::local_day_number(-8 * 3600, 480) == 0);
    CHECK(rl::local_day_number(-8 * 3600 - 1, 480) == -1);
    CHECK(same(rl::local_date(-1, 0), {1969, 12, 31}));
    CHECK(rl::weekday_of_day(-1) == 2);  // a Wednesday
    CHECK(rl::local_day_start(-1, 480) == -86400 - 8 * 3600);
    CHECK(rl::floor_div(-7, 2) == -4);
    CHECK(rl::floor_div(7, 2) == 3);
    CHECK(rl::floor_div(-8, 2) == -4);
}

TEST_CASE("calendar: far years and the ends of int64 time") {
    // Years std::chrono alone cannot hold: the 400-year cycle carries them.
    CHECK(rl::days_in_month(1000000, 2) == 29);
    CHECK(rl::days_in_month(1000100, 2) == 28);
    CHECK(rl::days_in_month(-400, 2) == 29);
    CHECK(rl::days_in_month(-100, 2) == 28);
    for (int64_t year : {int64_t(-1000000), int64_t(-32768), int64_t(-1), int64_t(0), int64_t(32768), int64_t(292277026596)}) {
        const int64_t day = rl::day_of_date(year, 2, 28);
        CHECK(same(rl::date_of_day(day), {year, 2, 28}));
        CHECK(same(rl::date_of_day(day + 1), leap(year) ? rl::LocalDate{year, 2, 29} : rl::LocalDate{year, 3, 1}));
        CHECK(rl::day_of_date(year + 400, 2, 28) - day == 146097);
        CHECK(rl::weekday_of_day(day + 146097) == rl::weekday_of_day(day));
    }
    const int64_t max = std::numeric_limits<int64_t>::max(), min = std::numeric_limits<int64_t>::min();
    for (rl::Time t : {max, min, max - 1, min + 1}) {
        const int64_t day = rl::local_day_number(t, 0);
        const rl::LocalDate d = rl::date_of_day(day);
        CHECK(rl::day_of_date(d.year, d.month, d.day) == day);
        CHECK(rl::weekday_of_day(day) == static_cast<int>(((day % 7 + 7) % 7 + 3) % 7));
    }
    CHECK(rl::local_day_number(max, 0) == max / 86400);
    CHECK(rl::local_day_number(min, 0) == min / 86400 - 1);
    CHECK(rl::date_of_day(rl::local_day_number(max, 0)).year == 292277026596);
}
