#include "model/send_time_explorer.h"

#include <algorithm>
#include <chrono>

namespace rl::model {

void SendTimeExplorer::sync(const Workspace& ws) {
    const Dataset* data = ws.dataset();
    if (!data || !ws.draft() || !ws.result()) return;
    const bool rules_changed = key_rules_ != ws.rules_revision();
    if (!session_ || session_data_ != data || session_skip_ != ws.draft_scheduled_index()) {
        session_ = ws.new_session();  // the draft's accepted copy left off, as in its preview
        session_data_ = data;
        session_skip_ = ws.draft_scheduled_index();
    } else if (rules_changed) {
        session_->set_rules(ws.rules());
    } else if (key_recompute_ == ws.recompute_count()) {
        return;
    }
    key_rules_ = ws.rules_revision();
    key_recompute_ = ws.recompute_count();
    job_ = ExploreJob(*session_, *ws.draft(), options);
    compute_ms_ = 0;
}

bool SendTimeExplorer::step(double budget_ms) {
    if (!running()) return false;
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    double spent = 0;
    while (spent < budget_ms && !job_.done()) {
        const auto ts = Clock::now();
        job_.step(slice_);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - ts).count();
        // Aim at a quarter of the budget per slice (a candidate's start costs more). The
        // steps' phases cost from ~0.03 to ~1 us a customer (counting ledgers, playing a
        // moment to everyone, in wasm): a slice grown in a cheap one stays short enough for
        // the next, dearer one.
        if (ms < budget_ms / 8) slice_ = std::min<uint32_t>(slice_ * 2, kMaxSlice);
        else if (ms > budget_ms / 2) slice_ = std::max<uint32_t>(slice_ / 2, 256);
        spent = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    }
    compute_ms_ += spent;
    return running();
}

}  // namespace rl::model
