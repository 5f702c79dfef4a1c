#include "core/simulation/same_windows.h"

#include <algorithm>

#include "core/audience/audience.h"
#include "core/time/calendar.h"

namespace rl {

std::vector<Time> simulated_scheduled_times(const Dataset& data) {
    std::vector<Time> out;
    for (const Campaign& c : data.scheduled)
        if (c.kind != Kind::GroupSend && c.send_time && *c.send_time >= data.now) out.push_back(*c.send_time);
    std::sort(out.begin(), out.end());
    return out;
}

LedgerEventIndex::LedgerEventIndex(const Dataset& data) {
    uint32_t unbounded = UINT32_MAX;
    build(data, unbounded);
}

bool LedgerEventIndex::build(const Dataset& data, uint32_t& customers) {
    // Every event's time, customer by customer: one pass to bound them, one to count them
    // into buckets, then the buckets cumulated.
    const uint32_t n = data.customer_count();
    auto each_event = [&](uint32_t from, uint32_t to, auto&& visit) {
        for (uint32_t c = from; c < to; ++c) {
            for (uint32_t i = data.delivery_begin[c]; i < data.delivery_begin[c + 1]; ++i)
                visit(kDeliveries, data.deliveries[i].time);
            for (uint32_t i = data.not_interested_begin[c]; i < data.not_interested_begin[c + 1]; ++i)
                visit(kNotInterested, data.not_interested[i].time);
            for (uint32_t i = data.relation_begin[c]; i < data.relation_begin[c + 1]; ++i)
                visit(kRelationsAdded, data.relations[i].createtime);
        }
    };
    auto slice = [&](auto&& visit) {  // the next customers of this pass; true when it is over
        const uint32_t to = customers >= n - next_ ? n : next_ + customers;
        each_event(next_, to, visit);
        customers -= to - next_;
        next_ = to;
        return next_ == n;
    };
    if (stage_ == Stage::Bound) {
        if (!slice([&](Events, Time t) {
                lo_ = std::min(lo_, t);
                hi_ = std::max(hi_, t);
            }))
            return false;
        for (Time t : simulated_scheduled_times(data)) {
            lo_ = std::min(lo_, t);
            hi_ = std::max(hi_, t);
        }
        next_ = 0;
        stage_ = Stage::Mark;
        if (lo_ > hi_) {  // no events: every window holds the same (none)
            stage_ = Stage::Built;
            return true;
        }
        constexpr uint64_t kMaxBuckets = 1u << 20;
        const uint64_t span = uint64_t(hi_) - uint64_t(lo_) + 1;  // wraps only for hostile times
        if (span == 0 || span > (uint64_t(1) << 62)) {
            usable_ = false;
            stage_ = Stage::Built;
            return true;
        }
        first_ = lo_;
        width_ = static_cast<Time>(std::max<uint64_t>(3600, (span + kMaxBuckets - 1) / kMaxBuckets));
        const size_t buckets = static_cast<size_t>((span + uint64_t(width_) - 1) / uint64_t(width_));
        for (std::vector<uint32_t>& c : cumulated_) c.assign(buckets + 1, 0);
        for (Time t : simulated_scheduled_times(data)) cumulated_[kDeliveries][size_t((t - first_) / width_) + 1] = 1;
    }
    if (stage_ == Stage::Mark) {
        if (!slice([&](Events kind, Time t) { cumulated_[kind][size_t((t - first_) / width_) + 1] = 1; })) return false;
        for (std::vector<uint32_t>& c : cumulated_)  // at most 2^20 buckets each, whatever the tenant's size
            for (size_t i = 1; i < c.size(); ++i) c[i] += c[i - 1];
        stage_ = Stage::Built;
    }
    return true;
}

bool LedgerEventIndex::any_event(Events kind, Time lo, Time hi) const {
    if (!usable_) return true;
    const std::vector<uint32_t>& cumulated = cumulated_[kind];
    if (cumulated.empty()) return false;
    const Time last = first_ + width_ * Time(cumulated.size() - 1);  // past the last bucket
    lo = std::max(lo, first_);
    hi = std::min(hi, last);
    if (lo >= hi) return false;
    return cumulated[size_t((hi - 1 - first_) / width_) + 1] > cumulated[size_t((lo - first_) / width_)];
}

bool LedgerEventIndex::hold_same(Events kind, TimeRange r1, TimeRange r2) const {
    auto minus = [&](TimeRange x, TimeRange y) {  // any event in x but not in y
        if (x.begin >= x.end) return false;
        if (y.begin >= y.end) return any_event(kind, x.begin, x.end);
        return any_event(kind, x.begin, std::min(x.end, y.begin)) || any_event(kind, std::max(x.begin, y.end), x.end);
    };
    return !minus(r1, r2) && !minus(r2, r1);
}

SameWindowsTest::SameWindowsTest(const Dataset& data, const Rules& rules, const Campaign& draft,
                                 std::function<const LedgerEventIndex&()> events)
    : tz_(data.enterprise.tz_offset_minutes),
      not_interested_hours_(rules.not_interested_hours),
      scheduled_times_(simulated_scheduled_times(data)),
      events_(std::move(events)) {
    if (draft.kind == Kind::GroupSend) {
        usable_ = false;
        return;
    }
    for (const std::vector<Quota>* list : {&rules.quotas, &rules.policies})
        for (const Quota& q : *list)
            if (q.matches(draft.kind, draft.origin)) checks_.push_back(q);
    if (draft.kind == Kind::MassSend && draft.filter) add_filter_windows(*draft.filter, true);
    const size_t draft_added = added_days_.size();
    // The later campaigns' windows that count the draft's deliveries: their checks, and the
    // `received` windows of their audience.
    for (const Campaign& c : data.scheduled) {
        if (c.kind == Kind::GroupSend || !c.send_time || *c.send_time < data.now) continue;
        const Time at = *c.send_time;
        for (const std::vector<Quota>* list : {&rules.quotas, &rules.policies})
            for (const Quota& q : *list)
                if (q.matches(c.kind, c.origin)) later_.push_back({at, window_range(q.window, at, tz_, q.days)});
        if (c.kind == Kind::MassSend && c.filter) {
            // Only its `received` windows see the draft's deliveries (added_within_days reads relations).
            const size_t before = received_days_.size();
            add_filter_windows(*c.filter, false);
            for (size_t i = before; i < received_days_.size(); ++i)
                later_.push_back({at, window_range(Window::RollingDays, at, 0, received_days_[i])});
            received_days_.resize(before);
            added_days_.resize(draft_added);
        }
    }
}

void SameWindowsTest::add_filter_windows(const Expr& e, bool is_draft) {
    if (e.op == ExprOp::Received) received_days_.push_back(e.number);
    if (e.op == ExprOp::AddedWithinDays) added_days_.push_back(e.number);
    if (e.op == ExprOp::Attr && e.attr_op == AttrOp::WithinDays && is_draft) usable_ = false;
    for (const Expr& child : e.children) add_filter_windows(child, is_draft);
}

bool SameWindowsTest::same(Time a, Time b) const {
    if (!usable_) return false;
    if (a == b) return true;
    // The same scheduled campaigns before the draft (it plays after those at or before its time).
    if (std::upper_bound(scheduled_times_.begin(), scheduled_times_.end(), a) !=
        std::upper_bound(scheduled_times_.begin(), scheduled_times_.end(), b))
        return false;
    using Events = LedgerEventIndex::Events;
    auto hold_same = [&](Events kind, TimeRange r1, TimeRange r2) {
        return (r1.begin == r2.begin && r1.end == r2.end) || events_().hold_same(kind, r1, r2);
    };
    // The draft's checks: the same events in each window, the same count.
    for (const Quota& q : checks_) {
        if (q.count_is_days_in_month && days_in_local_month(a, tz_) != days_in_local_month(b, tz_)) return false;
        if (!hold_same(Events::kDeliveries, window_range(q.window, a, tz_, q.days), window_range(q.window, b, tz_, q.days)))
            return false;
    }
    // "Not interested" (the moment's check 4, the filter's not_interested_active): an event
    // at time e is active at t when t - span < e <= t.
    if (not_interested_hours_ > 0) {
        const int64_t span = not_interested_span(not_interested_hours_);
        if (!hold_same(Events::kNotInterested, {a - span + 1, a + 1}, {b - span + 1, b + 1})) return false;
    }
    auto rolling = [](Time t, int64_t days) { return window_range(Window::RollingDays, t, 0, days); };
    for (int64_t days : received_days_)
        if (!hold_same(Events::kDeliveries, rolling(a, days), rolling(b, days))) return false;
    for (int64_t days : added_days_)
        if (!hold_same(Events::kRelationsAdded, rolling(a, days), rolling(b, days))) return false;
    // The later campaigns see the draft's deliveries in the same windows.
    for (const Later& w : later_)
        if (w.at > a && w.range.contains(a) != w.range.contains(b)) return false;
    return true;
}

}  // namespace rl
