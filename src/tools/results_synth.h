#pragma once
// WeCom's answers (reachlens.results/1) as they would come back if a campaign went out
// exactly as previewed, optionally with employees who did not carry out their task and
// customers the platform treated otherwise. The demo tenant's results files and the
// reconciliation tests are made with it.
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/campaign.h"
#include "core/simulation/simulation.h"

namespace rl {

struct ResultsDeviation {
    std::vector<uint8_t> silent_employee;  // by employee index: did not send / publish (empty = none)
    // By customer index: WeCom answered the opposite of the forecast (empty = none):
    // reached -> failed for quota (mass send) or not shown (moment); blocked by a quota,
    // policy or deleted friend -> delivered by the sender the preview picked.
    std::vector<uint8_t> flip_customer;
};

// Rows per sender in pages of at most `page_rows`, as a host fetching with a cursor stores them.
nlohmann::ordered_json results_from_preview(PreviewSession& session, const Campaign& campaign, const PreviewResult& preview,
                                            const ResultsDeviation& deviation = {}, size_t page_rows = 1000);

}  // namespace rl

#include <string>

#include "core/model/rules.h"

namespace rl {

// The demo tenant's results: for each campaign file in `campaign_paths` (of the tenant
// whose dataset is `dataset_path`), writes `results_dir`/<same file name> as WeCom would
// answer had it gone out under `real_rules`: about one sender in twenty does not carry out
// the task and about one customer in seventy is treated otherwise than forecast (chosen
// by `seed`, deterministically). Returns the paths written.
std::vector<std::string> write_demo_results(const std::string& dataset_path, const std::vector<std::string>& campaign_paths,
                                            const std::string& results_dir, const Rules& real_rules, uint64_t seed);

}  // namespace rl
