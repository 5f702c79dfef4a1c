#pragma once
// Campaign checks of contract section 3: what makes a draft not submittable.
#include <string>
#include <vector>

#include "core/audience/audience.h"
#include "core/model/campaign.h"
#include "core/model/dataset.h"
#include "core/model/message.h"
#include "core/model/rules.h"

namespace rl {

struct Issue {
    std::string code;
    std::string message;
    // JSON pointer into the campaign document of the field concerned (content checks):
    // "/content/text", "/content/attachments" (counts, mixing), or the attachment's field,
    // e.g. "/content/attachments/2/link/title". Empty when the issue has no single field.
    // Not part of the summary JSON (report.cpp writes code and message only).
    std::string pointer = {};
    // The message as data (limit, actual value, attachment as the cards number it, ids, times):
    // the UI words the code from these in its own language (core/model/message.h).
    MessageParams params = {};
};

// Content limits only (section 3, first two bullets): usable while the marketer types.
std::vector<Issue> check_content(const Content& content, Kind kind, const Rules& rules);

// All checks: content, industry, verification, senders, unknown ids, send time, stray audience keys.
std::vector<Issue> check_campaign(const Dataset& data, const Campaign& campaign, const Rules& rules, const BoundCampaign& bound,
                                  const std::vector<UnknownId>& unknown);

int64_t utf8_code_points(std::string_view s);

}  // namespace rl
