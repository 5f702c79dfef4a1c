#include "core/draft/draft_fields.h"

#include <cmath>
#include <cstdio>

namespace rl {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Digits only, exactly n of them.
bool read_digits(std::string_view s, int64_t& out) {
    if (s.empty()) return false;
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

nlohmann::ordered_json quota_document(const Quota& q) {
    nlohmann::ordered_json j;
    j["id"] = q.id;
    j["kind"] = q.kind ? kind_name(*q.kind) : "any";
    j["origin"] = q.origin ? origin_name(*q.origin) : "any";
    if (q.count_is_days_in_month) j["count"] = "days_in_month";
    else j["count"] = q.count;
    j["window"] = window_name(q.window);
    if (q.window == Window::RollingDays) j["days"] = q.days;
    j["per"] = q.per_group ? "group" : q.per_sender ? "customer_sender" : "customer";
    return j;
}

}  // namespace

bool parse_local_date_time(std::string_view date, std::string_view clock, int tz_offset_minutes, Time& out,
                           LocalTimeError* error) {
    auto fail = [&](const char* field, std::string message, const char* code, MessageParams params = {}) {
        if (error) *error = {field, std::move(message), code, std::move(params)};
        return false;
    };
    date = trim(date);
    clock = trim(clock);
    int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0;
    if (date.size() != 10 || date[4] != '-' || date[7] != '-' || !read_digits(date.substr(0, 4), y) ||
        !read_digits(date.substr(5, 2), mo) || !read_digits(date.substr(8, 2), d))
        return fail("date", "expected a date as YYYY-MM-DD, e.g. 2026-05-20", "draft.date_format");
    if (mo < 1 || mo > 12)
        return fail("date", "month " + std::to_string(mo) + " is not 1-12", "draft.month_range", {param_number("month", mo)});
    const int dim = days_in_month(y, static_cast<int>(mo));
    if (d < 1 || d > dim)
        return fail(
            "date",
            "day " + std::to_string(d) + " is not in " + std::string(date.substr(0, 7)) + " (1-" + std::to_string(dim) + ")",
            "draft.day_range", {param_number("day", d), param_number("days", dim)});
    const size_t colon = clock.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || clock.size() - colon - 1 != 2 ||
        !read_digits(clock.substr(0, colon), h) || !read_digits(clock.substr(colon + 1), mi))
        return fail("time", "expected a time as HH:MM (24-hour), e.g. 09:30", "draft.time_format");
    if (h > 23 || mi > 59)
        return fail("time", "time " + std::string(clock) + " is not between 00:00 and 23:59", "draft.time_range",
                    {param_text("time", std::string(clock))});
    out = local_day_start(day_of_date(y, static_cast<int>(mo), static_cast<int>(d)), tz_offset_minutes) + h * 3600 + mi * 60;
    return true;
}

std::string utc_offset_text(int tz_offset_minutes) {
    const int a = tz_offset_minutes < 0 ? -tz_offset_minutes : tz_offset_minutes;
    char buf[32];
    std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d", tz_offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
    return buf;
}

nlohmann::ordered_json rules_document(const Rules& r) {
    using json = nlohmann::ordered_json;
    json j;
    j["format"] = "reachlens.rules/1";
    if (!r.name.empty()) j["name"] = r.name;
    j["quotas"] = json::array();
    for (const Quota& q : r.quotas) j["quotas"].push_back(quota_document(q));
    j["policies"] = json::array();
    for (const Quota& q : r.policies) j["policies"].push_back(quota_document(q));
    j["not_interested_hours"] = r.not_interested_hours;
    j["multi_sender"] = {{"moment", multi_sender_name(r.moment_multi_sender)},
                         {"mass_send", multi_sender_name(r.mass_send_multi_sender)}};
    j["moments_excluded_industries"] = r.moments_excluded_industries;
    j["moments_require_verified"] = r.moments_require_verified;
    const MomentLimits& m = r.moment_limits;
    json moment = {{"text_max_chars", m.text_max_chars},   {"image_max_count", m.image_max_count},
                   {"video_max_count", m.video_max_count}, {"link_max_count", m.link_max_count},
                   {"image_max_bytes", m.image_max_bytes}, {"image_max_pixels", m.image_max_pixels},
                   {"video_max_bytes", m.video_max_bytes}};
    // Whole seconds as an integer, as the presets write them.
    if (m.video_max_seconds == std::floor(m.video_max_seconds) && std::fabs(m.video_max_seconds) < 1e15)
        moment["video_max_seconds"] = static_cast<int64_t>(m.video_max_seconds);
    else moment["video_max_seconds"] = m.video_max_seconds;
    moment["link_title_max_bytes"] = m.link_title_max_bytes;
    const MassSendLimits& s = r.mass_send_limits;
    json mass = {{"text_max_bytes", s.text_max_bytes},
                 {"attachments_max_count", s.attachments_max_count},
                 {"image_max_bytes", s.image_max_bytes},
                 {"video_max_bytes", s.video_max_bytes},
                 {"file_max_bytes", s.file_max_bytes},
                 {"link_title_max_bytes", s.link_title_max_bytes},
                 {"link_desc_max_bytes", s.link_desc_max_bytes},
                 {"link_url_max_bytes", s.link_url_max_bytes},
                 {"miniprogram_title_max_bytes", s.miniprogram_title_max_bytes}};
    j["content"] = {{"moment", moment}, {"mass_send", mass}};
    return j;
}

}  // namespace rl
