#pragma once
// The send-time explorer of the dashboard: the engine's ExploreJob (core/explore) on a
// PreviewSession of its own, so it runs beside the live preview, a time-boxed slice per
// frame. It starts again whenever the draft's preview was recomputed (an edit), the rules
// change, or the range does.
#include <memory>
#include <optional>

#include "core/explore/explore.h"
#include "model/workspace.h"

namespace rl::model {

class SendTimeExplorer {
public:
    // Starts again when the workspace's draft, rules or dataset changed since the last call.
    void sync(const Workspace& ws);
    // Computes for about `budget_ms` (at least a slice); true while bars are still coming.
    bool step(double budget_ms);
    bool running() const { return job_.valid() && !job_.done(); }
    double progress() const { return job_.valid() ? job_.progress() : 0.0; }
    // Time spent computing the current exploration, in ms (bench/browser_bench.mjs).
    double compute_ms() const { return compute_ms_; }
    // The bars so far (null before the first sync with a draft).
    const Exploration* result() const { return job_.valid() ? &job_.result() : nullptr; }

    ExploreOptions options;  // the range: days and time of day (unset = the draft's)
    void options_changed() { key_recompute_ = -1; }

private:
    std::unique_ptr<PreviewSession> session_;
    const Dataset* session_data_ = nullptr;
    size_t session_skip_ = PreviewSession::kSkipNone;  // Workspace::draft_scheduled_index() of session_
    int key_rules_ = -1;
    int key_recompute_ = -1;
    ExploreJob job_;
    static constexpr uint32_t kMaxSlice = 1u << 15;
    uint32_t slice_ = 4000;  // customers per step, tuned to the budget
    double compute_ms_ = 0;
};

}  // namespace rl::model
