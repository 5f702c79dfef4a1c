// libFuzzer: what the embedding host's messages end in (web/host.js -> rl_load_dataset_json,
// rl_set_rules_json, rl_set_campaign_json, rl_set_draft_text, rl_summary_json in
// src/app/api.cpp): the same Workspace calls, in the order the input says.
//
// Input: a sequence of parts separated by a 0xFF byte (never in UTF-8 text). Each part's
// first byte picks the message (mod 5), the rest is its payload. The workspace starts with
// the fixed tenant and draft, as a page that already loaded its data.
#include "fuzz_common.h"

#include "model/workspace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    rl::model::Workspace ws;
    std::string error;
    ws.load_dataset(rl_fuzz::kTenant, "dataset.json", &error);
    ws.set_campaign_json(rl_fuzz::kDraft, "campaign.json", &error);
    std::string_view input = rl_fuzz::as_text(bytes, size);
    while (!input.empty()) {
        size_t end = input.find('\xff');
        std::string_view part = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
        if (part.empty()) continue;
        std::string_view payload = part.substr(1);
        switch (static_cast<uint8_t>(part[0]) % 5) {
            case 0: ws.load_dataset(payload, "dataset.json", &error); break;
            case 1: ws.set_rules_json(payload, "rules.json", &error); break;
            case 2: ws.set_campaign_json(payload, "campaign.json", &error); break;
            case 3: ws.set_draft_text(std::string(payload)); break;
            case 4: ws.set_preset(std::string(payload), &error); break;
        }
        (void)ws.summary_json().dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }
    return 0;
}
