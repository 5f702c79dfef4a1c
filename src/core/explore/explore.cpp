#include "core/explore/explore.h"

#include <algorithm>
#include <cstdio>

#include "core/output/report.h"
#include "core/time/calendar.h"
#include "core/time/time_windows.h"

namespace rl {

// Whether two candidate send times must give the same bar, from the dataset and rules alone
// (contract sections 5-6), so the explorer previews each class of equal days once. A send
// time reaches the engine only through the windows it opens: the draft's checks and
// not-interested window, the `received`/`added_within_days` windows of its audience, the
// scheduled campaigns before it, and which windows of the later scheduled campaigns contain
// it. Two times are alike when each such window holds the same ledger events (deliveries,
// scheduled sends, not-interested events, relations' createtime) at both and every later
// window contains both or neither. Past the last scheduled campaign and the history's
// windows (most of a 30-day range) the days are alike. Anything it cannot judge (group
// sends, `attr within_days`) says "not alike".
struct ExploreJob::SameBarTest {
    SameBarTest(const Dataset& data, const Rules& rules, const Campaign& draft);
    bool same(Time a, Time b) const;

private:
    // Event counts per time bucket, cumulated: any event in [lo, hi) is a lookup.
    bool any_event(Time lo, Time hi) const;
    // r1 and r2 hold the same events (a bucket with one in their difference says no).
    bool hold_same(TimeRange r1, TimeRange r2) const;
    void add_filter_windows(const Expr& e, bool draft);

    bool usable = true;
    int tz = 0;
    Time first = 0, width = 1;
    std::vector<uint32_t> cumulated;  // cumulated[i]: events in buckets < i
    Rules rules;  // copies: the test outlives no job, but a job may move
    Kind kind;
    Origin origin;
    std::vector<Time> scheduled_times;  // the simulated customer campaigns', ascending
    struct Later {  // a scheduled campaign's window: contains both candidates or neither
        Time at;
        TimeRange range;
    };
    std::vector<Later> later;
    std::vector<int64_t> draft_rolling;  // `received` / `added_within_days` days of the draft's filter
};

ExploreJob::SameBarTest::SameBarTest(const Dataset& data, const Rules& r, const Campaign& d)
    : tz(data.enterprise.tz_offset_minutes), rules(r), kind(d.kind), origin(d.origin) {
    if (d.kind == Kind::GroupSend) {
        usable = false;
        return;
    }
    if (d.kind == Kind::MassSend && d.filter) add_filter_windows(*d.filter, true);
    // The scheduled customer campaigns the session simulates (from now on), as the timeline.
    for (const Campaign& c : data.scheduled) {
        if (c.kind == Kind::GroupSend || !c.send_time || *c.send_time < data.now) continue;
        scheduled_times.push_back(*c.send_time);
        for (const std::vector<Quota>* list : {&rules.quotas, &rules.policies})
            for (const Quota& q : *list)
                if (q.matches(c.kind, c.origin))
                    later.push_back({*c.send_time, window_range(q.window, *c.send_time, tz, q.days)});
        if (c.kind == Kind::MassSend && c.filter) {
            const size_t before = draft_rolling.size();
            add_filter_windows(*c.filter, false);
            for (size_t i = before; i < draft_rolling.size(); ++i)
                later.push_back({*c.send_time, window_range(Window::RollingDays, *c.send_time, 0, draft_rolling[i])});
            draft_rolling.resize(before);
        }
    }
    std::sort(scheduled_times.begin(), scheduled_times.end());
    if (!usable) return;
    // Every ledger event's time: one pass to bound them, one to count them into buckets.
    Time lo = INT64_MAX, hi = INT64_MIN;
    auto bound = [&](Time t) {
        lo = std::min(lo, t);
        hi = std::max(hi, t);
    };
    for (const Delivery& x : data.deliveries) bound(x.time);
    for (const NotInterested& x : data.not_interested) bound(x.time);
    for (const Relation& x : data.relations) bound(x.createtime);
    for (Time t : scheduled_times) bound(t);
    if (lo > hi) return;  // no events: every window holds the same (none)
    constexpr uint64_t kMaxBuckets = 1u << 20;
    const uint64_t span = uint64_t(hi) - uint64_t(lo) + 1;  // wraps only for hostile times
    if (span == 0 || span > (uint64_t(1) << 62)) {
        usable = false;
        return;
    }
    first = lo;
    width = static_cast<Time>(std::max<uint64_t>(3600, (span + kMaxBuckets - 1) / kMaxBuckets));
    const size_t buckets = static_cast<size_t>((span + uint64_t(width) - 1) / uint64_t(width));
    cumulated.assign(buckets + 1, 0);
    auto count = [&](Time t) { cumulated[size_t((t - first) / width) + 1] = 1; };
    for (const Delivery& x : data.deliveries) count(x.time);
    for (const NotInterested& x : data.not_interested) count(x.time);
    for (const Relation& x : data.relations) count(x.createtime);
    for (Time t : scheduled_times) count(t);
    for (size_t i = 1; i <= buckets; ++i) cumulated[i] += cumulated[i - 1];
}

void ExploreJob::SameBarTest::add_filter_windows(const Expr& e, bool is_draft) {
    if (e.op == ExprOp::Received || e.op == ExprOp::AddedWithinDays) draft_rolling.push_back(e.number);
    if (e.op == ExprOp::Attr && e.attr_op == AttrOp::WithinDays && is_draft) usable = false;
    for (const Expr& child : e.children) add_filter_windows(child, is_draft);
}

bool ExploreJob::SameBarTest::any_event(Time lo, Time hi) const {
    if (cumulated.empty()) return false;
    const Time last = first + width * Time(cumulated.size() - 1);  // past the last bucket
    lo = std::max(lo, first);
    hi = std::min(hi, last);
    if (lo >= hi) return false;
    return cumulated[size_t((hi - 1 - first) / width) + 1] > cumulated[size_t((lo - first) / width)];
}

bool ExploreJob::SameBarTest::hold_same(TimeRange r1, TimeRange r2) const {
    auto minus = [&](TimeRange x, TimeRange y) {  // any event in x but not in y
        if (x.begin >= x.end) return false;
        if (y.begin >= y.end) return any_event(x.begin, x.end);
        return any_event(x.begin, std::min(x.end, y.begin)) || any_event(std::max(x.begin, y.end), x.end);
    };
    return !minus(r1, r2) && !minus(r2, r1);
}

bool ExploreJob::SameBarTest::same(Time a, Time b) const {
    if (!usable) return false;
    // The same scheduled campaigns before the draft.
    if (std::upper_bound(scheduled_times.begin(), scheduled_times.end(), a) !=
        std::upper_bound(scheduled_times.begin(), scheduled_times.end(), b))
        return false;
    // The draft's checks: the same events in each window, the same count.
    for (const std::vector<Quota>* list : {&rules.quotas, &rules.policies})
        for (const Quota& q : *list) {
            if (!q.matches(kind, origin)) continue;
            if (q.count_is_days_in_month && days_in_local_month(a, tz) != days_in_local_month(b, tz)) return false;
            if (!hold_same(window_range(q.window, a, tz, q.days), window_range(q.window, b, tz, q.days))) return false;
        }
    // "Not interested" (the moment's check 4, the filter's not_interested_active): events in (t - span, t].
    if (rules.not_interested_hours > 0) {
        const int64_t hours = rules.not_interested_hours;
        const int64_t span = hours > (int64_t(1) << 40) ? (int64_t(1) << 52) : hours * 3600;
        if (!hold_same({a - span + 1, a + 1}, {b - span + 1, b + 1})) return false;
    }
    for (int64_t days : draft_rolling)
        if (!hold_same(window_range(Window::RollingDays, a, 0, days), window_range(Window::RollingDays, b, 0, days)))
            return false;
    // The later campaigns see the draft's deliveries in the same windows.
    for (const Later& w : later)
        if (w.at > a && w.range.contains(a) != w.range.contains(b)) return false;
    return true;
}

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
    : session_(&session), draft_(draft) {
    const Dataset& data = session.data();
    result_.campaign_id = draft.id;
    result_.tz_offset_minutes = data.enterprise.tz_offset_minutes;
    result_.chosen_send_time = std::max(draft.send_time.value_or(data.now), data.now);
    result_.candidates = explore_candidates(data, draft, options, &result_.minute_of_day);
    if (draft.kind == Kind::MassSend && draft.filter && !result_.candidates.empty()) {
        std::vector<UnknownId> unknown;  // match nothing, as in the preview
        bound_draft_ = std::make_shared<const BoundCampaign>(bind_campaign(data, draft, result_.candidates.front(), unknown));
        may_be_in_audience_.assign(data.customer_count(), 0);
        test_audience_ = true;
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
        for (uint32_t c = tested_; c < end; ++c) may_be_in_audience_[c] = may_match_at_any_time(session_->data(), filter, c);
        customers -= end - tested_;
        tested_ = end;
        if (tested_ < total) return false;
        test_audience_ = false;
        bound_draft_.reset();
    }
    while (!done()) {
        if (!job_.valid()) {
            if (!same_) same_ = std::make_shared<const SameBarTest>(session_->data(), session_->rules(), draft_);
            if (copy_equal_bar(result_.bars.size())) {
                if (customers == 0) return done();
                continue;
            }
            draft_.send_time = result_.candidates[result_.bars.size()];
            job_ = session_->start(draft_, may_be_in_audience_.empty() ? nullptr : may_be_in_audience_.data());
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
