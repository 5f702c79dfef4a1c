#pragma once
// WeCom request bodies for a previewed campaign: one externalcontact/add_moment_task for a
// moment; for a mass send, one externalcontact/add_msg_template per sender listing the
// customers the preview says that sender delivers to, at most 10,000 per request.
#include <nlohmann/json.hpp>

#include "core/model/campaign.h"
#include "core/model/dataset.h"
#include "core/simulation/simulation.h"

namespace rl {

constexpr size_t kMaxExternalUseridsPerTemplate = 10000;
// A group send: one add_msg_template per owner (chat_type "group"), at most 2,000 chat ids each.
constexpr size_t kMaxChatIdsPerTemplate = 2000;

// [{api, body}] in the shape of the server API's `requests` (embedding contract 2).
nlohmann::ordered_json wecom_requests(const Dataset& data, const Campaign& campaign, const PreviewResult& result);

}  // namespace rl
