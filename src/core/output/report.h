#pragma once
// The outputs of contract section 6: the reachlens.preview/1 summary and the verdict CSV.
#include <nlohmann/json.hpp>
#include <string>

#include "core/model/dataset.h"
#include "core/simulation/simulation.h"

namespace rl {

nlohmann::ordered_json summary_json(const Dataset& data, const PreviewResult& result);
// Header plus one row per audience customer, sorted by external_userid bytewise; for a
// group send, one row per audience group sorted by chat_id (contract 8.3).
std::string verdicts_csv(const Dataset& data, const PreviewResult& result);
std::string csv_field(std::string_view s);

}  // namespace rl
