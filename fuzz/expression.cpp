// libFuzzer: the audience expression parser (contract section 4), then the expression as
// a mass send's filter, evaluated over a small tenant.
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    static const rl::Campaign base = rl::load_campaign(rl_fuzz::kDraft, "campaign.json");
    static const rl::Rules rules = rl::preset_rules("wecom-2020");
    try {
        rl::JsonReader in(rl_fuzz::as_text(bytes, size), "filter.json");
        rl::Campaign draft = base;
        draft.filter = rl::read_expression(in);
        in.expect_end();
        rl_fuzz::preview(rl_fuzz::tenant(), draft, rules);
    } catch (const rl::InputError&) {}
    return 0;
}
