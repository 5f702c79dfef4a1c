#include "core/insight.h"

namespace rl {

// Placeholders until the engine implements them (see insight.h).
std::vector<CustomerEvent> explain_customer(PreviewSession&, const Campaign&, uint32_t) { return {}; }

QuotaCalendar quota_calendar(PreviewSession&, const Campaign&, const PreviewResult&) { return {}; }

PreviewResult preview_scheduled(const Dataset& data, const Rules& rules, size_t index) {
    return run_preview(data, data.scheduled.at(index), rules);
}

}  // namespace rl
