#include "core/time/time_windows.h"

#include <cstdint>

namespace rl {

int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

// Howard Hinnant's civil_from_days / days_from_civil.
static LocalDate civil_from_days(int64_t z) {
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return {y + (m <= 2 ? 1 : 0), m, d};
}

static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

LocalDate local_date(Time t, int tz_offset_minutes) {
    return civil_from_days(floor_div(t + int64_t(tz_offset_minutes) * 60, 86400));
}

int days_in_month(int64_t year, int month) {
    static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2) {
        bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
    }
    return kDays[month - 1];
}

int days_in_local_month(Time t, int tz_offset_minutes) {
    LocalDate d = local_date(t, tz_offset_minutes);
    return days_in_month(d.year, d.month);
}

TimeRange window_range(Window kind, Time t, int tz_offset_minutes, int64_t rolling_days) {
    const int64_t offset = int64_t(tz_offset_minutes) * 60;
    const int64_t day = floor_div(t + offset, 86400);  // local day number
    switch (kind) {
        case Window::Day:
            return {day * 86400 - offset, (day + 1) * 86400 - offset};
        case Window::Week: {
            int64_t weekday = ((day + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday; Monday = 0
            int64_t monday = day - weekday;
            return {monday * 86400 - offset, (monday + 7) * 86400 - offset};
        }
        case Window::Month: {
            LocalDate d = civil_from_days(day);
            int64_t first = days_from_civil(d.year, d.month, 1);
            int64_t next = first + days_in_month(d.year, d.month);
            return {first * 86400 - offset, next * 86400 - offset};
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
