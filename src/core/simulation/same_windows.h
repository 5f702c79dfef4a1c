#pragma once
// Whether a customer campaign sent at one time or at another plays the same for every
// customer (contract sections 5-6): one predicate for the send-time explorer (days that give
// the same bar are previewed once) and PreviewSession::reuse (a send time moved within the
// same windows keeps the last result).
#include <functional>
#include <vector>

#include "core/model/campaign.h"
#include "core/model/dataset.h"
#include "core/model/rules.h"
#include "core/time/time_windows.h"

namespace rl {

// When the events a window can count happen in a tenant, by what reads them: deliveries
// (with the send times of the scheduled customer campaigns) for quotas and `received`,
// not-interested events, and relations' createtime for `added_within_days`. Counted per
// time bucket (an hour or more) and cumulated, so "any event in [lo, hi)" is a lookup.
// Depends on the dataset only.
class LedgerEventIndex {
public:
    enum Events { kDeliveries = 0, kNotInterested = 1, kRelationsAdded = 2, kEventKinds = 3 };
    LedgerEventIndex() = default;  // empty until built
    explicit LedgerEventIndex(const Dataset& data);  // built at once
    // Builds it a slice at a time, for a caller that must not block: reads the events of up
    // to `customers` customers per call (two passes over them) and takes them off it; true
    // when built.
    bool build(const Dataset& data, uint32_t& customers);
    bool built() const { return stage_ == Stage::Built; }
    // Whether r1 and r2 hold the same events of that kind: false when a bucket that overlaps
    // their difference holds one (so false also when unsure).
    bool hold_same(Events kind, TimeRange r1, TimeRange r2) const;

private:
    bool any_event(Events kind, Time lo, Time hi) const;
    enum class Stage : uint8_t { Bound, Mark, Built };
    Stage stage_ = Stage::Bound;
    uint32_t next_ = 0;  // the next customer of the stage's pass
    Time lo_ = INT64_MAX, hi_ = INT64_MIN;  // bounds of the events' times (Stage::Bound)
    bool usable_ = true;  // false for times too far apart to bucket (hostile input)
    Time first_ = 0, width_ = 1;
    std::vector<uint32_t> cumulated_[kEventKinds];  // cumulated_[k][i]: events of kind k in buckets < i
};

// The scheduled customer campaigns a session simulates (send time from `now` on), in
// timeline order of their send times.
std::vector<Time> simulated_scheduled_times(const Dataset& data);

class SameWindowsTest {
public:
    // `events` is asked for only when two windows differ (it may be built on first use).
    SameWindowsTest(const Dataset& data, const Rules& rules, const Campaign& draft,
                    std::function<const LedgerEventIndex&()> events);
    // A send time reaches the engine only through the windows it opens: the draft's checks
    // and not-interested span, the `received` / `added_within_days` windows of its audience,
    // the scheduled campaigns before it, and which windows of the later scheduled campaigns
    // contain it. a and b play the same when each such window holds the same ledger events
    // at both, the month has as many days where a quota counts them, and every later window
    // contains both or neither. Anything it cannot judge (group sends, `attr within_days` in
    // the draft's filter) says "not the same".
    bool same(Time a, Time b) const;

private:
    void add_filter_windows(const Expr& e, bool is_draft);  // into received_days_ and added_days_

    bool usable_ = true;
    int tz_ = 0;
    int64_t not_interested_hours_ = 0;
    std::vector<Quota> checks_;  // the rules' quotas then policies that apply to the draft
    std::vector<Time> scheduled_times_;  // simulated_scheduled_times
    struct Later {  // a scheduled campaign's window: contains both send times or neither
        Time at;
        TimeRange range;
    };
    std::vector<Later> later_;
    // The rolling windows of the draft's filter: `received` (deliveries), `added_within_days` (relations).
    std::vector<int64_t> received_days_, added_days_;
    std::function<const LedgerEventIndex&()> events_;
};

}  // namespace rl
