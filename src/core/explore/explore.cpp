#include "core/explore/explore.h"

#include <algorithm>
#include <cstdio>

#include "core/output/report.h"
#include "core/time/time_windows.h"

namespace rl {

std::vector<Time> explore_candidates(const Dataset& data, const Campaign& draft, const ExploreOptions& options,
                                     int* minute_of_day) {
    const int64_t tz = int64_t(data.enterprise.tz_offset_minutes) * 60;
    const Time chosen = std::max(draft.send_time.value_or(data.now), data.now);
    int minute = options.minute_of_day.value_or(static_cast<int>((chosen + tz - floor_div(chosen + tz, 86400) * 86400) / 60));
    minute = std::clamp(minute, 0, 24 * 60 - 1);
    if (minute_of_day) *minute_of_day = minute;
    int64_t day = floor_div(data.now + tz, 86400);
    auto at = [&](int64_t d) { return d * 86400 + int64_t(minute) * 60 - tz; };
    if (at(day) < data.now) ++day;
    std::vector<Time> out;
    for (int i = 0; i < options.days; ++i) out.push_back(at(day + i));
    return out;
}

ExploreJob::ExploreJob(PreviewSession& session, const Campaign& draft, const ExploreOptions& options)
    : session_(&session), draft_(draft) {
    const Dataset& data = session.data();
    result_.campaign_id = draft.id;
    result_.tz_offset_minutes = data.enterprise.tz_offset_minutes;
    result_.chosen_send_time = std::max(draft.send_time.value_or(data.now), data.now);
    result_.candidates = explore_candidates(data, draft, options, &result_.minute_of_day);
}

double ExploreJob::progress() const {
    if (!session_ || result_.candidates.empty()) return 1.0;
    const double part = job_.valid() ? job_.progress() : 0.0;
    return std::min(1.0, (double(result_.bars.size()) + part) / double(result_.candidates.size()));
}

bool ExploreJob::step(uint32_t customers) {
    if (done()) return true;
    const int64_t tz = int64_t(result_.tz_offset_minutes) * 60;
    const int64_t chosen_day = floor_div(result_.chosen_send_time + tz, 86400);
    const uint32_t total = session_->data().customer_count();
    while (!done()) {
        if (!job_.valid()) {
            draft_.send_time = result_.candidates[result_.bars.size()];
            job_ = session_->start(draft_);
            played_ = 0;
        }
        // PreviewJob::step plays min(budget, what is left) customers.
        const uint32_t played = std::min(customers, total - played_);
        const bool finished = job_.step(customers);
        played_ += played;
        customers -= played;
        if (!finished) return false;
        PreviewResult p = job_.finish();
        ExploreBar bar;
        bar.send_time = p.send_time;
        bar.audience = p.audience;
        bar.reached = p.reached;
        bar.deliveries = p.deliveries;
        bar.blocked_customers = std::move(p.blocked_customers);
        for (const ImpactEntry& e : p.impact) bar.scheduled_taken += e.reached_before - e.reached_after;
        bar.chosen = floor_div(bar.send_time + tz, 86400) == chosen_day;
        if (result_.reason_labels.empty()) result_.reason_labels = std::move(p.reason_labels);
        if (result_.best < 0 || bar.reached > result_.bars[size_t(result_.best)].reached)
            result_.best = static_cast<int>(result_.bars.size());
        result_.bars.push_back(std::move(bar));
        if (customers == 0) return done();  // the budget is spent; the next step starts the next candidate
    }
    return true;
}

Exploration explore(PreviewSession& session, const Campaign& draft, const ExploreOptions& options) {
    ExploreJob job(session, draft, options);
    while (!job.step(UINT32_MAX)) {}
    return job.result();
}

nlohmann::ordered_json explore_json(const Exploration& e) {
    using json = nlohmann::ordered_json;
    const int64_t tz = int64_t(e.tz_offset_minutes) * 60;
    auto date_text = [&](Time t) {
        LocalDate d = local_date(t, e.tz_offset_minutes);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(d.year), d.month, d.day);
        return std::string(buf);
    };
    char hhmm[16];
    std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", e.minute_of_day / 60, e.minute_of_day % 60);
    json out;
    out["format"] = "reachlens.explore/1";
    out["campaign_id"] = e.campaign_id;
    out["tz_offset_minutes"] = e.tz_offset_minutes;
    out["time_of_day"] = hhmm;
    out["chosen_send_time"] = e.chosen_send_time;
    out["best"] = e.best;
    json days = json::array();
    for (const ExploreBar& b : e.bars) {
        static const char* const kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        // 1970-01-01 was a Thursday (index 3 from Monday).
        const int64_t weekday = (floor_div(b.send_time + tz, 86400) % 7 + 7 + 3) % 7;
        std::vector<std::pair<uint16_t, int64_t>> blocked;
        for (size_t code = 0; code < b.blocked_customers.size(); ++code)
            if (b.blocked_customers[code]) blocked.push_back({static_cast<uint16_t>(code), b.blocked_customers[code]});
        days.push_back({{"send_time", b.send_time},
                        {"date", date_text(b.send_time)},
                        {"weekday", kWeekdays[weekday]},
                        {"audience", b.audience},
                        {"reached", b.reached},
                        {"deliveries", b.deliveries},
                        {"blocked", blocked_by_label(e.reason_labels, blocked)},
                        {"scheduled_taken", b.scheduled_taken},
                        {"chosen", b.chosen}});
    }
    out["days"] = std::move(days);
    return out;
}

}  // namespace rl
