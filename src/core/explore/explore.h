#pragma once
// The send-time explorer: the draft's exact preview at each candidate send time (by default
// its time of day on each of the next 30 days in the enterprise's zone), so the marketer
// sees the best day before sending. Computed a slice of customers at a time (ExploreJob),
// so a page can draw the bars as they come without blocking.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/campaign.h"
#include "core/model/dataset.h"
#include "core/simulation/simulation.h"

namespace rl {

struct ExploreOptions {
    int days = 30;  // candidates, one a local day
    std::optional<int> minute_of_day;  // local minutes after midnight; default: the draft's send time's, else now's
};

// One candidate send time: the preview's summary at that time.
struct ExploreBar {
    Time send_time = 0;
    int64_t audience = 0, reached = 0, deliveries = 0;
    std::vector<int64_t> blocked_customers;  // by reason code (Exploration::reason_labels)
    int64_t scheduled_taken = 0;  // reach the draft takes from scheduled campaigns (Σ before - after)
    bool chosen = false;  // the local day of the draft's own send time
};

struct Exploration {
    std::string campaign_id;
    int tz_offset_minutes = 480;
    int minute_of_day = 0;
    Time chosen_send_time = 0;  // the draft's effective send time
    std::vector<Time> candidates;  // every send time to try, ascending
    std::vector<std::string> reason_labels;  // by reason code, as PreviewResult::reason_labels
    std::vector<ExploreBar> bars;  // computed so far, in candidate order
    int best = -1;  // the bar with the most reached customers (the earliest of equals)
};

// The candidate send times: the time of day on `days` consecutive local days, from the first
// one not before the dataset's `now`.
std::vector<Time> explore_candidates(const Dataset& data, const Campaign& draft, const ExploreOptions& options,
                                     int* minute_of_day = nullptr);

// Previews the draft at each candidate in turn, a slice of customers per step. Uses the
// session's PreviewJob: at most one job per session is live, so nothing else may call the
// session while the exploration runs (give it a session of its own).
class ExploreJob {
public:
    ExploreJob() = default;
    ExploreJob(PreviewSession& session, const Campaign& draft, const ExploreOptions& options);
    bool valid() const { return session_ != nullptr; }
    // Plays up to `customers` more customers (across candidates); true when every bar is done.
    bool step(uint32_t customers);
    bool done() const { return !session_ || result_.bars.size() == result_.candidates.size(); }
    double progress() const;  // 0..1
    const Exploration& result() const { return result_; }

private:
    // The bar of candidate `i` when an earlier bar provably equals it (copied), else false.
    bool copy_equal_bar(size_t i);
    void add_bar(ExploreBar bar);  // sets `chosen` and `best`
    PreviewSession* session_ = nullptr;
    Campaign draft_;
    // What each candidate previews: the draft, or a mass send's filter without the clauses of
    // its `all` that read neither the time nor the ledger (true for every customer
    // may_be_in_audience_ keeps: the same audience, selected faster).
    Campaign previewed_;
    std::shared_ptr<const SameWindowsTest> same_;  // built at the first step
    std::vector<size_t> computed_;  // bars previewed, not copied
    // A mass send's filter tested once without the time and the ledger (the first steps):
    // the customers it rules out are outside the audience on every day, and every
    // candidate's preview skips them: neither selected, played nor counted in its windows.
    std::shared_ptr<std::vector<uint8_t>> may_be_in_audience_;
    std::shared_ptr<const BoundCampaign> bound_draft_;  // while testing
    uint32_t tested_ = 0;  // customers tested so far
    bool test_audience_ = false;
    bool windows_asked_ = false;  // the session counts the next candidate's windows (PreviewSession::ask_windows)
    PreviewJob job_;
    Exploration result_;
};

Exploration explore(PreviewSession& session, const Campaign& draft, const ExploreOptions& options);

// reachlens.explore/1 (docs/explore-format.md).
nlohmann::ordered_json explore_json(const Exploration& e);

}  // namespace rl
