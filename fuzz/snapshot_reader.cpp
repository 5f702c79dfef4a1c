// libFuzzer: the snapshot reader (docs/snapshot.md), then a preview on what it loaded.
// Random bytes rarely get past the checksums, so every input is read twice: as it is (the
// header, table and checksum checks), and with its checksums sealed again (the header's,
// the table's and every section's recomputed), which takes the fuzzer's mutations into the
// counts, offsets and indices the bounds checks must refuse. The sealed copy is read both
// in one pass (read_snapshot) and a slice at a time (SnapshotLoad, as the page does); both
// must agree.
#include <cstring>
#include <limits>
#include <string>

#include "core/read/checksum.h"
#include "core/read/snapshot.h"
#include "fuzz_common.h"

namespace {

template <class T>
T get(const std::string& s, size_t at) {
    T v;
    std::memcpy(&v, s.data() + at, sizeof v);
    return v;
}
template <class T>
void put(std::string& s, size_t at, T v) {
    std::memcpy(&s[at], &v, sizeof v);
}

// Recomputes the checksums of a snapshot whose header and table lie inside it (the file
// size is set to the real one); anything else is left as it is.
std::string sealed(std::string s) {
    if (s.size() < 64 || std::memcmp(s.data(), rl::kSnapshotMagic, 8) != 0) return s;
    put<uint64_t>(s, 16, s.size());
    const uint64_t toc = get<uint64_t>(s, 24);
    const uint64_t sections = get<uint32_t>(s, 32);
    if (toc < 64 || toc > s.size() || (s.size() - toc) / 64 < sections) return s;
    for (uint64_t i = 0; i < sections; ++i) {
        const size_t at = toc + i * 64;
        const uint64_t elem = get<uint32_t>(s, at + 36), offset = get<uint64_t>(s, at + 40), count = get<uint64_t>(s, at + 48);
        if (elem == 0 || offset > s.size() || count > (s.size() - offset) / elem) continue;
        put<uint64_t>(s, at + 56, rl::xxh64(s.data() + offset, count * elem));
    }
    put<uint64_t>(s, 40, rl::xxh64(s.data() + toc, s.size() - toc));
    put<uint64_t>(s, 56, rl::xxh64(s.data(), 56));
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    static const rl::Campaign draft = rl::load_campaign(rl_fuzz::kDraft, "campaign.json");
    static const rl::Rules rules = rl::preset_rules("wecom-2020");
    const std::string raw(rl_fuzz::as_text(bytes, size));
    try {
        rl::Dataset data = rl::read_snapshot(raw, "tenant.rlsnap");
        rl_fuzz::preview(data, draft, rules);
    } catch (const rl::InputError&) {}

    const std::string resealed = sealed(raw);
    std::string whole_error, sliced_error;
    try {
        rl::Dataset data = rl::read_snapshot(resealed, "tenant.rlsnap");
        rl_fuzz::preview(data, draft, rules);
    } catch (const rl::InputError& e) { whole_error = e.what(); }
    try {
        rl::SnapshotLoad load(resealed, "tenant.rlsnap");
        while (!load.step(0)) {}  // one step at a time: every suspension point is crossed
        (void)load.take();
    } catch (const rl::InputError& e) { sliced_error = e.what(); }
    // The sliced read verifies every checksum first, so a damaged section may be named
    // before a bounds error the one-pass read meets earlier: compare accept/refuse only.
    if (whole_error.empty() != sliced_error.empty()) __builtin_trap();
    return 0;
}
