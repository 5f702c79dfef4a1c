// libFuzzer: the campaign loader (reachlens.campaign/1), then a preview of it on a small tenant.
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    static const rl::Rules rules = rl::preset_rules("wecom-2020");
    try {
        rl::Campaign draft = rl::load_campaign(rl_fuzz::as_text(bytes, size), "campaign.json");
        rl_fuzz::preview(rl_fuzz::tenant(), draft, rules);
    } catch (const rl::InputError&) {}
    return 0;
}
