// libFuzzer: the rules loader (reachlens.rules/1), then a preview under those rules.
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    static const rl::Campaign draft = rl::load_campaign(rl_fuzz::kDraft, "campaign.json");
    try {
        rl::Rules rules = rl::load_rules(rl_fuzz::as_text(bytes, size), "rules.json");
        rl_fuzz::preview(rl_fuzz::tenant(), draft, rules);
    } catch (const rl::InputError&) {}
    return 0;
}
