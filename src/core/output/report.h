#pragma once
// The outputs of contract section 6: the reachlens.preview/1 summary and the verdict CSV.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/model/dataset.h"
#include "core/simulation/simulation.h"

namespace rl {

nlohmann::ordered_json summary_json(const Dataset& data, const PreviewResult& result);
// Header plus one row per audience customer, sorted by external_userid bytewise; for a
// group send, one row per audience group sorted by chat_id (contract 8.3).
std::string verdicts_csv(const Dataset& data, const PreviewResult& result);
std::string csv_field(std::string_view s);
// A `blocked` map of section 6: reason label -> count, labels merged (two quotas may share an
// id), zero counts left out. `counts` are (reason code, count) pairs, codes into `labels`.
nlohmann::ordered_json blocked_by_label(const std::vector<std::string>& labels,
                                        const std::vector<std::pair<uint16_t, int64_t>>& counts);

// The summaries of shards 0..N-1 of one preview (each a summary_json plus
// "shard": {"index": i, "count": N}, in any order) added into the summary of the whole:
// counts add up, campaign-level fields must agree. Throws InputError naming the part.
nlohmann::ordered_json merge_summaries(const std::vector<std::pair<std::string, nlohmann::ordered_json>>& parts);

}  // namespace rl
