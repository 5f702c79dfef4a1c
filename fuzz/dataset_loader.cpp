// libFuzzer: the dataset loader (reachlens.dataset/1), then a preview on what it loaded.
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    static const rl::Campaign draft = rl::load_campaign(rl_fuzz::kDraft, "campaign.json");
    static const rl::Rules rules = rl::preset_rules("wecom-2020");
    try {
        rl::Dataset data = rl::load_dataset(rl_fuzz::as_text(bytes, size), "dataset.json");
        rl_fuzz::preview(data, draft, rules);
    } catch (const rl::InputError&) {}
    return 0;
}
