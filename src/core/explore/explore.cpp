#include "core/explore/explore.h"

#include <algorithm>
#include <cstdio>

#include "core/output/report.h"
#include "core/time/calendar.h"
#include "core/time/time_windows.h"

namespace rl {

std::vector<Time> explore_candidates(const Dataset& data, const Campaign& draft, const ExploreOptions& options,
                                     int* minute_of_day) {
    const int tz_minutes = data.enterprise.tz_offset_minutes;
    const Time chosen = std::max(draft.send_time.value_or(data.now), data.now);
    const Time chosen_day_start = local_day_start(local_day_number(chosen, tz_minutes), tz_minutes);
    int minute = options.minute_of_day.value_or(static_cast<int>((chosen - chosen_day_start) / 60));
    minute = std::clamp(minute, 0, 24 * 60 - 1);
    if (minute_of_day) *minute_of_day = minute;
    int64_t day = local_day_number(data.now, tz_minutes);
    auto at = [&](int64_t d) { return local_day_start(d, tz_minutes) + int64_t(minute) * 60; };
    if (at(day) < data.now) ++day;
    std::vector<Time> out;
    for (int i = 0; i < options.days; ++i) out.push_back(at(day + i));
    return out;
}

ExploreJob::ExploreJob(PreviewSession& session, const Campaign& draft, const ExploreOptions& options)
    : session_(&session), draft_(draft), previewed_(draft) {
    const Dataset& data = session.data();
    result_.campaign_id = draft.id;
    result_.tz_offset_minutes = data.enterprise.tz_offset_minutes;
    result_.chosen_send_time = std::max(draft.send_time.value_or(data.now), data.now);
    result_.candidates = explore_candidates(data, draft, options, &result_.minute_of_day);
    if (draft.kind == Kind::MassSend && draft.filter && !result_.candidates.empty()) {
        std::vector<UnknownId> unknown;  // match nothing, as in the preview
        bound_draft_ = std::make_shared<const BoundCampaign>(bind_campaign(data, draft, result_.candidates.front(), unknown));
        may_be_in_audience_ = std::make_shared<std::vector<uint8_t>>(data.customer_count(), 0);
        test_audience_ = true;
        if (previewed_.filter->op == ExprOp::All)
            std::erase_if(previewed_.filter->children, [](const Expr& e) { return !reads_time_or_ledger(e); });
    }
}

double ExploreJob::progress() const {
    if (!session_ || result_.candidates.empty()) return 1.0;
    const double part = job_.valid() ? job_.progress() : 0.0;
    return std::min(1.0, (double(result_.bars.size()) + part) / double(result_.candidates.size()));
}

bool ExploreJob::step(uint32_t customers) {
    if (done()) return true;
    const uint32_t total = session_->data().customer_count();
    if (test_audience_) {
        const uint32_t end = customers >= total - tested_ ? total : tested_ + customers;
        const BoundExpr& filter = bound_draft_->filter;
        std::vector<uint8_t>& may_be_in = *may_be_in_audience_;
        for (uint32_t c = tested_; c < end; ++c) may_be_in[c] = may_match_at_any_time(session_->data(), filter, c);
        customers -= end - tested_;
        tested_ = end;
        if (tested_ < total) return false;
        test_audience_ = false;
        bound_draft_.reset();
    }
    while (!done()) {
        if (!job_.valid()) {
            // The session's run without the draft and its ledger events by time (which days
            // play the same), a slice of customers at a time.
            if (!session_->build_baseline(customers) || !session_->build_ledger_events(customers)) return false;
            if (!same_) {
                // Days that play the same give the same bar: each such class is previewed once.
                PreviewSession* session = session_;
                same_ = std::make_shared<const SameWindowsTest>(
                    session->data(), session->rules(), draft_,
                    [session]() -> const LedgerEventIndex& { return session->ledger_events(); });
            }
            if (copy_equal_bar(result_.bars.size())) {
                if (customers == 0) return done();
                continue;
            }
            // What this send time reads, likewise: start() then only binds the draft.
            if (!windows_asked_) {
                previewed_.send_time = result_.candidates[result_.bars.size()];
                session_->ask_windows(previewed_, may_be_in_audience_);
                windows_asked_ = true;
            }
            if (!session_->count_windows(customers)) return false;
            windows_asked_ = false;
            job_ = session_->start(previewed_, may_be_in_audience_, true);  // a bar needs the counts only
        }
        // What the step took of the budget: the customers (or a group send's groups and
        // members) it visited.
        const uint64_t visited = session_->customers_visited();
        const bool finished = job_.step(customers);
        customers -= static_cast<uint32_t>(std::min<uint64_t>(customers, session_->customers_visited() - visited));
        if (!finished) return false;
        PreviewResult p = job_.finish();
        ExploreBar bar;
        bar.send_time = p.send_time;
        bar.audience = p.audience;
        bar.reached = p.reached;
        bar.deliveries = p.deliveries;
        bar.blocked_customers = std::move(p.blocked_customers);
        for (const ImpactEntry& e : p.impact) bar.scheduled_taken += e.reached_before - e.reached_after;
        if (result_.reason_labels.empty()) result_.reason_labels = std::move(p.reason_labels);
        computed_.push_back(result_.bars.size());
        add_bar(std::move(bar));
        if (customers == 0) return done();  // the budget is spent; the next step starts the next candidate
    }
    return true;
}

void ExploreJob::add_bar(ExploreBar bar) {
    const int tz = result_.tz_offset_minutes;
    bar.chosen = local_day_number(bar.send_time, tz) == local_day_number(result_.chosen_send_time, tz);
    if (result_.best < 0 || bar.reached > result_.bars[size_t(result_.best)].reached)
        result_.best = static_cast<int>(result_.bars.size());
    result_.bars.push_back(std::move(bar));
}

bool ExploreJob::copy_equal_bar(size_t i) {
    const Time t = result_.candidates[i];
    for (size_t j : computed_)
        if (same_->same(result_.candidates[j], t)) {
            ExploreBar bar = result_.bars[j];
            bar.send_time = t;
            add_bar(std::move(bar));
            return true;
        }
    return false;
}

Exploration explore(PreviewSession& session, const Campaign& draft, const ExploreOptions& options) {
    ExploreJob job(session, draft, options);
    while (!job.step(UINT32_MAX)) {}
    return job.result();
}

nlohmann::ordered_json explore_json(const Exploration& e) {
    using json = nlohmann::ordered_json;
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
        const int weekday = weekday_of_day(local_day_number(b.send_time, e.tz_offset_minutes));
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
