// Contract section 2 (time): local day / week / month windows at a fixed UTC offset,
// rolling_days, days_in_month; first on the calendar functions, then end to end through a
// quota, which is where a marketer sees them.
#include "helpers.h"

using th::json;
using th::kDay;
using th::local_time;

namespace {

struct Probe {
    std::string name;
    th::Time time;
    bool counted;  // inside the window of t
};

// One employee "a", one customer per probe with a single past delivery at the probe's
// time, a draft mass send at t under one quota `q` (count 1 per customer, the given
// window). A probe inside the window blocks its customer with quota:q.
void check_window_end_to_end(int tz, th::Time t, json quota_window, const std::vector<Probe>& probes) {
    json d = th::tenant(t, tz);
    d["employees"].push_back(th::employee("a"));
    for (const Probe& p : probes) {
        d["customers"].push_back(th::customer(p.name, {th::relation("a", t - 400 * kDay)}));
        d["deliveries"].push_back(th::delivery(p.name, "a", p.time));
    }
    json q = {{"id", "q"}, {"kind", "mass_send"}, {"origin", "any"}, {"count", 1}, {"per", "customer"}};
    for (auto it = quota_window.begin(); it != quota_window.end(); ++it) q[it.key()] = it.value();
    auto r = th::run(d, th::campaign("draft", "mass_send", "enterprise", t), th::rules_doc({q}));
    for (const Probe& p : probes) {
        INFO("tz " << tz << ", probe " << p.name << " at " << p.time << ", t " << t);
        CHECK(r.outcome(p.name) == (p.counted ? "blocked quota:q" : "reached via a"));
    }
    th::check_summary_invariants(r.summary);
}

}  // namespace

TEST_CASE("time windows: local_date and window_range follow the fixed UTC offset", "[time]") {
    for (int tz : {480, -300, 0}) {
        DYNAMIC_SECTION("tz_offset_minutes " << tz) {
            const th::Time midnight = local_time(2024, 3, 5, 0, 0, 0, tz);  // a Tuesday
            SECTION("local_date: local midnight starts the new day, one second before is the old one") {
                auto d = rl::local_date(midnight, tz);
                CHECK((d.year == 2024 && d.month == 3 && d.day == 5));
                auto before = rl::local_date(midnight - 1, tz);
                CHECK((before.year == 2024 && before.month == 3 && before.day == 4));
            }
            SECTION("day window is [local midnight, next local midnight)") {
                const th::Time t = local_time(2024, 3, 5, 10, 0, 0, tz);
                auto w = rl::window_range(rl::Window::Day, t, tz);
                CHECK(w.contains(midnight));
                CHECK_FALSE(w.contains(midnight - 1));
                CHECK(w.contains(midnight + kDay - 1));
                CHECK_FALSE(w.contains(midnight + kDay));
                // t exactly at local midnight belongs to the day it starts.
                auto at = rl::window_range(rl::Window::Day, midnight, tz);
                CHECK(at.contains(midnight));
                CHECK_FALSE(at.contains(midnight - 1));
            }
            SECTION("week window starts on local Monday 00:00") {
                const th::Time monday = local_time(2024, 3, 4, 0, 0, 0, tz);
                const th::Time next_monday = local_time(2024, 3, 11, 0, 0, 0, tz);
                for (th::Time t : {local_time(2024, 3, 6, 10, 0, 0, tz), monday, next_monday - 1}) {
                    INFO("t " << t);
                    auto w = rl::window_range(rl::Window::Week, t, tz);
                    CHECK(w.contains(monday));
                    CHECK_FALSE(w.contains(monday - 1));
                    CHECK(w.contains(next_monday - 1));
                    CHECK_FALSE(w.contains(next_monday));
                }
                // Sunday 23:59:59 and the Monday after are different weeks.
                auto sunday = rl::window_range(rl::Window::Week, next_monday - 1, tz);
                CHECK_FALSE(sunday.contains(next_monday));
                auto new_week = rl::window_range(rl::Window::Week, next_monday, tz);
                CHECK_FALSE(new_week.contains(next_monday - 1));
            }
            SECTION("month window is the local calendar month") {
                const th::Time first = local_time(2024, 3, 1, 0, 0, 0, tz);
                const th::Time next_first = local_time(2024, 4, 1, 0, 0, 0, tz);
                auto w = rl::window_range(rl::Window::Month, local_time(2024, 3, 15, 12, 0, 0, tz), tz);
                CHECK(w.contains(first));
                CHECK_FALSE(w.contains(first - 1));
                CHECK(w.contains(next_first - 1));
                CHECK_FALSE(w.contains(next_first));
            }
            SECTION("rolling_days N is (t - N*86400, t]; empty when N <= 0") {
                const th::Time t = local_time(2024, 3, 5, 10, 0, 0, tz);
                auto w = rl::window_range(rl::Window::RollingDays, t, tz, 3);
                CHECK_FALSE(w.contains(t - 3 * kDay));
                CHECK(w.contains(t - 3 * kDay + 1));
                CHECK(w.contains(t));
                CHECK_FALSE(w.contains(t + 1));
                for (int64_t n : {0, -1, -30}) {
                    auto empty = rl::window_range(rl::Window::RollingDays, t, tz, n);
                    CHECK_FALSE(empty.contains(t));
                    CHECK_FALSE(empty.contains(t - 1));
                    CHECK_FALSE(empty.contains(t + 1));
                }
            }
        }
    }
}

TEST_CASE("time windows: days_in_local_month counts the local month, leap years included", "[time]") {
    CHECK(rl::days_in_local_month(local_time(2024, 2, 15), 480) == 29);  // leap year
    CHECK(rl::days_in_local_month(local_time(2023, 2, 15), 480) == 28);
    CHECK(rl::days_in_local_month(local_time(2000, 2, 10), 480) == 29);  // divisible by 400
    CHECK(rl::days_in_local_month(local_time(1900, 2, 10, 0, 0, 0, 0), 0) == 28);  // divisible by 100, before 1970
    CHECK(rl::days_in_local_month(local_time(2024, 1, 31, 23, 59, 59), 480) == 31);
    CHECK(rl::days_in_local_month(local_time(2024, 4, 1), 480) == 30);
    // The same instant is in February west of UTC and in March east of it.
    const th::Time instant = local_time(2024, 3, 1, 3, 0, 0, 0);  // 2024-03-01 03:00 UTC
    CHECK(rl::days_in_local_month(instant, -300) == 29);  // 2024-02-29 22:00 local
    CHECK(rl::days_in_local_month(instant, 480) == 31);  // 2024-03-01 11:00 local
    CHECK(rl::days_in_local_month(instant, 0) == 31);
}

TEST_CASE("time windows end to end: a day quota counts deliveries from local midnight to the next", "[time][quota]") {
    for (int tz : {480, -300, 0}) {
        DYNAMIC_SECTION("tz_offset_minutes " << tz) {
            const th::Time t = local_time(2024, 3, 5, 10, 0, 0, tz);
            const th::Time midnight = local_time(2024, 3, 5, 0, 0, 0, tz);
            check_window_end_to_end(tz, t, {{"window", "day"}},
                                    {{"one_second_before_midnight", midnight - 1, false},
                                     {"at_local_midnight", midnight, true},
                                     {"same_day_after_t", midnight + kDay - 1, true},
                                     {"next_local_midnight", midnight + kDay, false},
                                     // 2024-03-05 00:00 UTC is 08:00 local at +480, 19:00 of the 4th at -300.
                                     {"utc_midnight", local_time(2024, 3, 5, 0, 0, 0, 0), tz != -300}});
        }
    }
}

TEST_CASE("time windows end to end: a week quota starts on local Monday 00:00", "[time][quota]") {
    for (int tz : {480, -300, 0}) {
        DYNAMIC_SECTION("tz_offset_minutes " << tz) {
            const th::Time monday = local_time(2024, 3, 4, 0, 0, 0, tz);
            const th::Time next_monday = local_time(2024, 3, 11, 0, 0, 0, tz);
            SECTION("t on a Wednesday") {
                check_window_end_to_end(tz, local_time(2024, 3, 6, 10, 0, 0, tz), {{"window", "week"}},
                                        {{"sunday_before_last_second", monday - 1, false},
                                         {"monday_midnight", monday, true},
                                         {"sunday_last_second", next_monday - 1, true},
                                         {"next_monday_midnight", next_monday, false}});
            }
            SECTION("t exactly at Monday 00:00 opens a new week") {
                check_window_end_to_end(tz, next_monday, {{"window", "week"}},
                                        {{"previous_sunday_last_second", next_monday - 1, false}, {"at_t", next_monday, true}});
            }
        }
    }
}

TEST_CASE("time windows end to end: a month quota is the local calendar month", "[time][quota]") {
    for (int tz : {480, -300, 0}) {
        DYNAMIC_SECTION("tz_offset_minutes " << tz) {
            const th::Time first = local_time(2024, 3, 1, 0, 0, 0, tz);
            const th::Time next_first = local_time(2024, 4, 1, 0, 0, 0, tz);
            check_window_end_to_end(tz, local_time(2024, 3, 15, 12, 0, 0, tz), {{"window", "month"}},
                                    {{"last_second_of_february", first - 1, false},
                                     {"month_start", first, true},
                                     {"last_second_of_march", next_first - 1, true},
                                     {"april_first", next_first, false}});
        }
    }
}

TEST_CASE("time windows end to end: rolling_days is (t - N days, t], empty for N <= 0", "[time][quota]") {
    const int tz = 480;
    const th::Time t = local_time(2024, 3, 5, 10, 0, 0, tz);
    SECTION("N = 3") {
        check_window_end_to_end(tz, t, {{"window", "rolling_days"}, {"days", 3}},
                                {{"exactly_3_days_before", t - 3 * kDay, false},
                                 {"one_second_inside", t - 3 * kDay + 1, true},
                                 {"at_t", t, true},
                                 {"one_second_after_t", t + 1, false}});
    }
    SECTION("N = 0 and N = -2 count nothing") {
        for (int n : {0, -2}) {
            INFO("days " << n);
            check_window_end_to_end(tz, t, {{"window", "rolling_days"}, {"days", n}},
                                    {{"at_t", t, false}, {"one_second_before", t - 1, false}});
        }
    }
}

namespace {

// A customer with `n` deliveries in the local month of t (one per day from the 1st, at 00:00).
json month_customer(json& d, const std::string& name, int n, int64_t y, int m, int tz) {
    json c = th::customer(name, {th::relation("a", local_time(2020, 1, 1, 0, 0, 0, tz))});
    for (int i = 0; i < n; ++i) d["deliveries"].push_back(th::delivery(name, "a", local_time(y, m, 1 + i, 0, 0, 0, tz)));
    return c;
}

// count "days_in_month" (window month): n deliveries this month block exactly when n >= month length.
void check_days_in_month(int64_t y, int m, int month_days, int tz, th::Time t) {
    json d = th::tenant(t, tz);
    d["employees"].push_back(th::employee("a"));
    d["customers"].push_back(month_customer(d, "one_under", month_days - 1, y, m, tz));
    d["customers"].push_back(month_customer(d, "at_length", month_days, y, m, tz));
    auto r = th::run(d, th::campaign("draft", "mass_send", "enterprise", t),
                     th::rules_doc({th::quota("q", "mass_send", "any", "days_in_month", "month")}));
    INFO(y << "-" << m << " (" << month_days << " days), tz " << tz);
    CHECK(r.outcome("one_under") == "reached via a");
    CHECK(r.outcome("at_length") == "blocked quota:q");
}

}  // namespace

TEST_CASE("time windows end to end: count days_in_month is the length of the local month of the send time", "[time][quota]") {
    SECTION("February of a leap year: 29") { check_days_in_month(2024, 2, 29, 480, local_time(2024, 2, 29, 12)); }
    SECTION("February of a common year: 28") { check_days_in_month(2023, 2, 28, 480, local_time(2023, 2, 28, 12)); }
    SECTION("a 31-day month") { check_days_in_month(2024, 1, 31, 480, local_time(2024, 1, 31, 12)); }
    SECTION("a 30-day month") { check_days_in_month(2024, 4, 30, 480, local_time(2024, 4, 30, 12)); }
    SECTION("west of UTC: 2024-03-01 03:00 UTC is still February 29 locally") {
        check_days_in_month(2024, 2, 29, -300, local_time(2024, 2, 29, 22, 0, 0, -300));
    }
    SECTION("whatever the window: a day window with count days_in_month still counts 29 in February 2024") {
        const int tz = 480;
        const th::Time t = local_time(2024, 2, 29, 23, 0, 0, tz);
        json d = th::tenant(t, tz);
        d["employees"].push_back(th::employee("a"));
        for (auto [name, n] : {std::pair<const char*, int>{"hourly_28", 28}, {"hourly_29", 29}}) {
            d["customers"].push_back(th::customer(name, {th::relation("a", 0)}));
            // n deliveries on 2024-02-29 local (00:00, 00:30, ... all before t = 23:00).
            for (int i = 0; i < n; ++i)
                d["deliveries"].push_back(th::delivery(name, "a", local_time(2024, 2, 29, 0, 0, 0, tz) + i * 1800));
        }
        auto r = th::run(d, th::campaign("draft", "mass_send", "enterprise", t),
                         th::rules_doc({th::quota("q", "mass_send", "any", "days_in_month", "day")}));
        CHECK(r.outcome("hourly_28") == "reached via a");
        CHECK(r.outcome("hourly_29") == "blocked quota:q");
    }
}

TEST_CASE("time windows: offsets that are not whole hours, and dates before 1970", "[time]") {
    SECTION("+05:45 (345 minutes): day and week boundaries at local midnight") {
        const int tz = 345;
        const th::Time t = local_time(2024, 3, 6, 0, 10, 0, tz);  // Wednesday 00:10 local
        auto day = rl::window_range(rl::Window::Day, t, tz);
        CHECK(day.contains(local_time(2024, 3, 6, 0, 0, 0, tz)));
        CHECK_FALSE(day.contains(local_time(2024, 3, 6, 0, 0, 0, tz) - 1));
        auto week = rl::window_range(rl::Window::Week, t, tz);
        CHECK(week.contains(local_time(2024, 3, 4, 0, 0, 0, tz)));
        CHECK_FALSE(week.contains(local_time(2024, 3, 4, 0, 0, 0, tz) - 1));
        check_window_end_to_end(tz, t, {{"window", "day"}},
                                {{"local_midnight", local_time(2024, 3, 6, 0, 0, 0, tz), true},
                                 {"one_second_before", local_time(2024, 3, 6, 0, 0, 0, tz) - 1, false}});
    }
    SECTION("negative Unix times: 1969-12-24 is in the week of Monday 1969-12-22") {
        for (int tz : {480, -300, 0}) {
            INFO("tz " << tz);
            const th::Time t = local_time(1969, 12, 24, 12, 0, 0, tz);  // a Wednesday
            auto week = rl::window_range(rl::Window::Week, t, tz);
            CHECK(week.contains(local_time(1969, 12, 22, 0, 0, 0, tz)));
            CHECK_FALSE(week.contains(local_time(1969, 12, 22, 0, 0, 0, tz) - 1));
            CHECK(week.contains(local_time(1969, 12, 28, 23, 59, 59, tz)));
            CHECK_FALSE(week.contains(local_time(1969, 12, 29, 0, 0, 0, tz)));
            auto day = rl::window_range(rl::Window::Day, t, tz);
            CHECK(day.contains(local_time(1969, 12, 24, 0, 0, 0, tz)));
            CHECK_FALSE(day.contains(local_time(1969, 12, 24, 0, 0, 0, tz) - 1));
        }
    }
    SECTION("negative Unix times: 1969-12-31 is in the week of Monday 1969-12-29") {
        for (int tz : {480, -300, 0}) {
            INFO("tz " << tz);
            const th::Time t = local_time(1969, 12, 31, 12, 0, 0, tz);
            auto week = rl::window_range(rl::Window::Week, t, tz);
            CHECK(week.contains(local_time(1969, 12, 29, 0, 0, 0, tz)));
            CHECK_FALSE(week.contains(local_time(1969, 12, 29, 0, 0, 0, tz) - 1));
            CHECK(week.contains(local_time(1970, 1, 4, 23, 59, 59, tz)));
            CHECK_FALSE(week.contains(local_time(1970, 1, 5, 0, 0, 0, tz)));
            auto d = rl::local_date(t, tz);
            CHECK((d.year == 1969 && d.month == 12 && d.day == 31));
            auto month = rl::window_range(rl::Window::Month, t, tz);
            CHECK(month.contains(local_time(1969, 12, 1, 0, 0, 0, tz)));
            CHECK_FALSE(month.contains(local_time(1970, 1, 1, 0, 0, 0, tz)));
        }
    }
}
