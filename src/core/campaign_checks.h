#pragma once
// Campaign checks of contract section 3: what makes a draft not submittable.
#include <string>
#include <vector>

#include "core/audience.h"
#include "core/campaign.h"
#include "core/dataset.h"
#include "core/rules.h"

namespace rl {

struct Issue {
    std::string code;
    std::string message;
};

// Content limits only (section 3, first two bullets): usable while the marketer types.
std::vector<Issue> check_content(const Content& content, Kind kind, const Rules& rules);

// All checks: content, industry, verification, senders, unknown ids, send time, stray audience keys.
std::vector<Issue> check_campaign(const Dataset& data, const Campaign& campaign, const Rules& rules,
                                  const BoundCampaign& bound, const std::vector<UnknownId>& unknown);

int64_t utf8_code_points(std::string_view s);

}  // namespace rl
