// The binary snapshot (docs/snapshot.md) and shards: a snapshot previews exactly as the
// JSON it was written from; a damaged, truncated or forged one is an InputError, never a
// crash; partial summaries of shards add up to the whole.
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <limits>
#include <optional>
#include <sstream>

#include "core/read/checksum.h"
#include "tools/generator.h"
#include "core/read/snapshot.h"
#include "core/read/input_limits.h"
#include "helpers.h"

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& p) { return th::read_text(p.string()); }

struct Case {
    std::string name;
    std::string dataset_json;
    std::vector<rl::Campaign> campaigns;
    rl::Rules rules;
};

// Every worked example with a valid dataset, and a generated tenant with scheduled campaigns.
const std::vector<Case>& cases() {
    static const std::vector<Case> all = [] {
        std::vector<Case> out;
        std::vector<fs::path> dirs;
        for (const auto& e : fs::directory_iterator(REACHLENS_EXAMPLES_DIR))
            if (fs::exists(e.path() / "expected-summary.json")) dirs.push_back(e.path());
        std::sort(dirs.begin(), dirs.end());
        for (const fs::path& d : dirs) {
            Case c{d.filename().string(), read_text(d / "dataset.json"), {}, {}};
            c.campaigns.push_back(rl::load_campaign(read_text(d / "campaign.json"), "campaign.json"));
            c.rules = fs::exists(d / "rules.json") ? rl::load_rules(read_text(d / "rules.json"), "rules.json")
                                                   : rl::preset_rules("wecom-2020");
            out.push_back(std::move(c));
        }
        // Not named by the pid alone: under node (the wasm build) every process has pid 42.
        const fs::path dir = fs::temp_directory_path() / ("reachlens-snapshot-test-" + std::to_string(::getpid()) + "-" +
                                                          std::to_string(std::random_device{}()));
        rl::GenerateOptions o;
        o.customers = 2500;
        o.seed = 11;
        o.out_dir = dir.string();
        o.scheduled_campaigns = 6;
        rl::generate_tenant(o);
        Case g{"generated", read_text(dir / "dataset.json"), {}, rl::preset_rules("wecom-2025")};
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(dir / "campaigns")) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const fs::path& f : files) g.campaigns.push_back(rl::load_campaign(read_text(f), f.string()));
        out.push_back(std::move(g));
        std::error_code ec;
        fs::remove_all(dir, ec);
        return out;
    }();
    return all;
}

const Case& example() { return cases().front(); }

std::string previews_text(const rl::Dataset& data, const Case& c) {
    std::string out;
    for (const rl::Campaign& campaign : c.campaigns) {
        rl::PreviewResult r = rl::run_preview(data, campaign, c.rules);
        out += rl::summary_json(data, r).dump(1) + rl::verdicts_csv(data, r);
    }
    return out;
}

// The documented layout, read independently of the engine: (name, offset, count * size) per section.
struct Section {
    std::string name;
    uint64_t offset, bytes;
    size_t toc_at;
};
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
std::vector<Section> sections(const std::string& snap) {
    std::vector<Section> out;
    const uint64_t toc = get<uint64_t>(snap, 24);
    const uint32_t count = get<uint32_t>(snap, 32);
    for (uint32_t i = 0; i < count; ++i) {
        const size_t at = toc + i * 64;
        out.push_back({std::string(snap.data() + at, strnlen(snap.data() + at, 32)), get<uint64_t>(snap, at + 40),
                       get<uint64_t>(snap, at + 48) * get<uint32_t>(snap, at + 36), at});
    }
    return out;
}
const Section& section(const std::vector<Section>& all, const std::string& name) {
    for (const Section& s : all)
        if (s.name == name) return s;
    FAIL("no section " << name);
    return all.front();
}
// After an edit: the section's checksum, the table's and the header's made right again,
// as a forger would, so only the reader's own checks stand between it and the data.
void reseal(std::string& snap) {
    for (const Section& s : sections(snap))
        if (s.offset <= snap.size() && s.bytes <= snap.size() - s.offset)  // a forged count may point past the end
            put<uint64_t>(snap, s.toc_at + 56, rl::xxh64(snap.data() + s.offset, s.bytes));
    const uint64_t toc = get<uint64_t>(snap, 24);
    put<uint64_t>(snap, 40, rl::xxh64(snap.data() + toc, uint64_t(get<uint32_t>(snap, 32)) * 64));
    put<uint64_t>(snap, 56, rl::xxh64(snap.data(), 56));
}

std::string rejection(const std::string& snap) {
    try {
        rl::load_dataset(snap, "t.rlsnap");
    } catch (const rl::InputError& e) { return e.pointer() + ": " + e.problem(); }
    return "";
}

// The reader's answer to `snap` after `edit`, resealed (see reseal).
template <class Edit>
std::string forged_rejection(const std::string& snap, Edit edit) {
    std::string s = snap;
    edit(s);
    reseal(s);
    return rejection(s);
}

rl::Dataset generated_dataset() { return rl::load_dataset(cases().back().dataset_json, "dataset.json"); }

}  // namespace

TEST_CASE("xxh64 gives the reference hashes", "[snapshot]") {
    CHECK(rl::xxh64("", 0) == 0xEF46DB3751D8E999ull);
    CHECK(rl::xxh64("a", 1) == 0xD24EC4F1A98C6E5Bull);
    CHECK(rl::xxh64("abc", 3) == 0x44BC2CF5AD770999ull);
    const char* long_text = "Nobody inspects the spammish repetition";  // > 32 bytes: the four-lane loop
    CHECK(rl::xxh64(long_text, std::strlen(long_text)) == 0xFBCEA83C8A378BF1ull);
}

TEST_CASE("xxh64 over bytes given in pieces equals the hash of the whole", "[snapshot]") {
    std::string bytes(1000, '\0');
    std::mt19937 rng(5);
    for (char& c : bytes) c = static_cast<char>(rng());
    for (size_t size : {0, 1, 31, 32, 33, 64, 100, 1000})
        for (size_t piece : {1, 3, 7, 31, 32, 33, 500}) {
            INFO(size << " bytes in pieces of " << piece);
            rl::Xxh64 hash;
            for (size_t at = 0; at < size; at += piece) hash.update(bytes.data() + at, std::min(piece, size - at));
            CHECK(hash.digest() == rl::xxh64(bytes.data(), size));
        }
}

// A snapshot read as the page reads it: one step at a time (a budget of 0 stops after each).
rl::Dataset read_in_steps(const std::string& snap, int* steps = nullptr, bool* progress_rises = nullptr) {
    rl::SnapshotLoad load(snap, "t.rlsnap");
    double last = load.progress();
    int n = 0;
    bool rises = last == 0;
    for (bool done = false; !done; ++n) {
        done = load.step(0);
        rises = rises && load.progress() >= last;
        last = load.progress();
    }
    if (steps) *steps = n;
    if (progress_rises) *progress_rises = rises && last == 1.0;
    return load.take();
}

TEST_CASE("snapshot: read a slice at a time gives exactly the one-pass tenant", "[snapshot]") {
    const std::string snap = rl::snapshot_bytes(generated_dataset());
    int steps = 0;
    bool progress_rises = false;
    const rl::Dataset sliced = read_in_steps(snap, &steps, &progress_rises);
    CHECK(steps > static_cast<int>(sections(snap).size()));  // every section, and more: it really stops
    CHECK(progress_rises);
    CHECK(rl::snapshot_bytes(sliced) == snap);
    const Case& g = cases().back();
    CHECK(previews_text(sliced, g) == previews_text(rl::load_dataset(snap, "t.rlsnap"), g));
}

TEST_CASE("snapshot: a slice-at-a-time read refuses what one pass refuses", "[snapshot]") {
    const std::string snap = rl::snapshot_bytes(rl::load_dataset(example().dataset_json, "dataset.json"));
    auto sliced_rejection = [](const std::string& bad) {
        try {
            read_in_steps(bad);
        } catch (const rl::InputError& e) { return e.pointer() + ": " + e.problem(); }
        return std::string();
    };
    for (size_t i = 8; i < snap.size(); i += 7) {
        std::string bad = snap;
        bad[i] = static_cast<char>(bad[i] ^ 0x10);
        INFO("byte " << i);
        CHECK(!sliced_rejection(bad).empty());
    }
    for (size_t cut : {size_t(8), size_t(64), snap.size() / 2, snap.size() - 1})
        CHECK(!sliced_rejection(snap.substr(0, cut)).empty());
    // Forged with valid checksums: the bounds checks run in the sliced read too.
    const std::vector<Section> all = sections(snap);  // kept alive: `section` returns a reference into it
    const Section& owners = section(all, "relation.employee");
    std::string forged = snap;
    put<uint32_t>(forged, owners.offset, 0xFFFFFFF0u);
    reseal(forged);
    CHECK(sliced_rejection(forged) == rejection(forged));
    CHECK(sliced_rejection(forged).find("relation.employee") != std::string::npos);
}

// A snapshot read as the page streams it: `piece` bytes at a time, fed only when the reader
// asks, the end of input told once the bytes run out.
rl::Dataset read_streamed(const std::string& snap, size_t piece) {
    rl::SnapshotLoad load(rl::SnapshotLoad::kStreamed, "t.rlsnap");
    size_t at = 0;
    bool ended = false;
    for (int64_t guard = 0; !load.step(0); ++guard) {
        REQUIRE(guard < 100000000);
        if (!load.needs_bytes()) continue;
        REQUIRE(!ended);  // it waits only for bytes that can still come
        if (at < snap.size()) {
            const size_t n = std::min(piece, snap.size() - at);
            load.feed(snap.data() + at, n);
            at += n;
        } else {
            load.end_input();
            ended = true;
        }
    }
    CHECK(ended);  // nothing is handed over before the end of the input
    return load.take();
}

std::string streamed_rejection(const std::string& snap, size_t piece) {
    try {
        read_streamed(snap, piece);
    } catch (const rl::InputError& e) { return e.pointer() + ": " + e.problem(); }
    return "";
}

TEST_CASE("snapshot: streamed in pieces of any size gives exactly the one-pass tenant", "[snapshot]") {
    const std::string snap = rl::snapshot_bytes(generated_dataset());
    const Case& g = cases().back();
    const std::string one_pass = previews_text(rl::load_dataset(snap, "t.rlsnap"), g);
    for (size_t piece : {size_t(1), size_t(7), size_t(64), size_t(4096), size_t(100000), snap.size()}) {
        INFO("pieces of " << piece << " bytes");
        const rl::Dataset streamed = read_streamed(snap, piece);
        CHECK(rl::snapshot_bytes(streamed) == snap);
        CHECK(previews_text(streamed, g) == one_pass);
    }
}

TEST_CASE(
    "snapshot: the memory a load needs is estimated from the table of sections; a streamed load over its limit is "
    "refused before any section is held",
    "[snapshot]") {
    for (const Case& c : cases()) {
        INFO(c.name);
        const rl::Dataset data = rl::load_dataset(c.dataset_json, "dataset.json");
        const std::string snap = rl::snapshot_bytes(data);
        const rl::SnapshotMemory m = rl::estimate_snapshot_memory(snap, "t.rlsnap");
        const rl::Dataset loaded = rl::load_dataset(snap, "t.rlsnap");
        const size_t real = loaded.memory_bytes();
        INFO("estimated " << m.model << " bytes, loaded " << real);
        // Never below the model (attribute cells are counted wide), and close above it.
        CHECK(m.model >= real);
        CHECK(double(m.model) <= 1.25 * double(real) + 4096);
        CHECK(m.peak > m.model);
    }
    const std::string snap = rl::snapshot_bytes(generated_dataset());
    const rl::SnapshotMemory m = rl::estimate_snapshot_memory(snap, "t.rlsnap");
    const size_t head = 64 + size_t(get<uint32_t>(snap, 32)) * 64;  // the header and the table of sections
    {
        rl::SnapshotLoad load(rl::SnapshotLoad::kStreamed, "t.rlsnap", m.peak - 1);
        load.feed(snap.data(), head - 1);  // the table not yet whole: nothing to judge by
        std::optional<rl::InputError> refused;
        try {
            load.feed(snap.data() + head - 1, 1);
        } catch (const rl::InputError& e) { refused = e; }
        REQUIRE(refused);
        CHECK(refused->code() == "snapshot.too_big");
        CHECK(refused->pointer() == "header");
        CHECK(refused->problem().find(std::to_string(m.peak >> 20) + " MB") != std::string::npos);
    }
    // At the limit it loads, exactly as one pass does.
    rl::SnapshotLoad load(rl::SnapshotLoad::kStreamed, "t.rlsnap", m.peak);
    load.feed(snap.data(), snap.size());
    load.end_input();
    REQUIRE(load.step(std::numeric_limits<double>::infinity()));
    CHECK(load.memory().model == m.model);
    CHECK(rl::snapshot_bytes(load.take()) == snap);
}

TEST_CASE("snapshot: a streamed read refuses what one pass refuses, before handing anything over", "[snapshot]") {
    const std::string snap = rl::snapshot_bytes(rl::load_dataset(example().dataset_json, "dataset.json"));
    for (size_t i = 8; i < snap.size(); i += 5) {
        std::string bad = snap;
        bad[i] = static_cast<char>(bad[i] ^ 0x10);
        INFO("byte " << i);
        const std::string err = streamed_rejection(bad, 13);
        CHECK(!err.empty());
        CHECK(err == rejection(bad));
    }
    for (size_t cut : {size_t(8), size_t(63), size_t(64), size_t(100), snap.size() / 2, snap.size() - 1}) {
        INFO("cut at " << cut);
        const std::string err = streamed_rejection(snap.substr(0, cut), 1000);
        CHECK(err.rfind("header: ", 0) == 0);
        CHECK(err.find("truncated") != std::string::npos);
    }
    CHECK(streamed_rejection(snap + std::string(8, '\0'), 1000).find("padded") != std::string::npos);
    // Forged with valid checksums: the bounds checks run on a stream too.
    const std::vector<Section> all = sections(snap);
    std::string forged = snap;
    put<uint32_t>(forged, section(all, "relation.employee").offset, 0xFFFFFFF0u);
    reseal(forged);
    CHECK(streamed_rejection(forged, 4096) == rejection(forged));
}

TEST_CASE("snapshot: every example and a generated tenant preview exactly as from JSON", "[snapshot]") {
    for (const Case& c : cases()) {
        INFO(c.name);
        const rl::Dataset from_json = rl::load_dataset(c.dataset_json, "dataset.json");
        const std::string snap = rl::snapshot_bytes(from_json);
        REQUIRE(rl::is_snapshot(snap));
        const rl::Dataset from_snapshot = rl::load_dataset(snap, "t.rlsnap");
        CHECK(from_snapshot.customer_count() == from_json.customer_count());
        CHECK(from_snapshot.scheduled.size() == from_json.scheduled.size());
        CHECK(from_snapshot.past_campaigns.size() == from_json.past_campaigns.size());
        CHECK(previews_text(from_snapshot, c) == previews_text(from_json, c));
        // Written again from what it loaded: the same bytes (nothing lost or reordered).
        CHECK(rl::snapshot_bytes(from_snapshot) == snap);
    }
}

TEST_CASE("snapshot: truncated at every section boundary, or anywhere, is a clear error", "[snapshot]") {
    const std::string snap = rl::snapshot_bytes(generated_dataset());
    // From 8 bytes (the magic) on; shorter, a file is not recognisably a snapshot and is read as JSON.
    std::vector<size_t> cuts = {8, 63, 64, snap.size() - 1};
    for (const Section& s : sections(snap)) {
        cuts.push_back(s.offset);
        cuts.push_back(s.offset + s.bytes);
        cuts.push_back(s.toc_at);
    }
    for (size_t cut : cuts) {
        if (cut >= snap.size()) continue;
        INFO("cut at " << cut << " of " << snap.size());
        const std::string err = rejection(snap.substr(0, cut));
        CHECK(err.rfind("header: ", 0) == 0);
        CHECK(err.find("truncated") != std::string::npos);
    }
    CHECK(rejection(snap + "x").find("the file has") != std::string::npos);
}

TEST_CASE("snapshot: a flipped byte anywhere is caught by a checksum", "[snapshot]") {
    const std::string snap = rl::snapshot_bytes(rl::load_dataset(example().dataset_json, "dataset.json"));
    for (size_t i = 8; i < snap.size(); ++i) {  // from 8: the magic's bytes make it "not a snapshot" (then it is read as JSON)
        std::string bad = snap;
        bad[i] = static_cast<char>(bad[i] ^ 0x10);
        INFO("byte " << i);
        const std::string err = rejection(bad);
        REQUIRE(!err.empty());
        const bool named = err.find("checksum mismatch") != std::string::npos || err.find("version") != std::string::npos ||
                           err.find("nonzero padding") != std::string::npos;
        CHECK(named);
    }
    std::string not_magic = snap;
    not_magic[0] = 'X';
    CHECK(!rl::is_snapshot(not_magic));
    CHECK(rejection(not_magic).find("invalid JSON") != std::string::npos);
}

TEST_CASE("snapshot: another version is refused naming both versions", "[snapshot]") {
    std::string snap = rl::snapshot_bytes(rl::load_dataset(example().dataset_json, "dataset.json"));
    // The version before this one (version 1 knew no groups, and packed a kind in 1 bit).
    const uint32_t older = rl::kSnapshotVersion - 1;
    put<uint32_t>(snap, 8, older);
    reseal(snap);
    const std::string err = rejection(snap);
    CHECK(err.find("snapshot version " + std::to_string(older) + " is not supported") != std::string::npos);
    CHECK(err.find("reads version " + std::to_string(rl::kSnapshotVersion)) != std::string::npos);
}

TEST_CASE("snapshot: customer groups and their ledgers carry over; group sends preview exactly as from JSON",
          "[snapshot][group_send]") {
    const Case& generated = cases().back();
    const rl::Dataset from_json = generated_dataset();
    REQUIRE(from_json.groups.size() > 0);
    REQUIRE(!from_json.groups.deliveries.empty());
    const std::string snap = rl::snapshot_bytes(from_json);
    const rl::Dataset from_snapshot = rl::load_dataset(snap, "t.rlsnap");
    CHECK(from_snapshot.groups.size() == from_json.groups.size());
    CHECK(from_snapshot.groups.member_customer == from_json.groups.member_customer);
    CHECK(from_snapshot.groups.deliveries.size() == from_json.groups.deliveries.size());
    CHECK(from_snapshot.groups.unmatched_deliveries == from_json.groups.unmatched_deliveries);
    int group_sends = 0;
    for (const rl::Campaign& campaign : generated.campaigns) {
        if (campaign.kind != rl::Kind::GroupSend) continue;
        ++group_sends;
        INFO(campaign.id);
        const rl::PreviewResult a = rl::run_preview(from_json, campaign, generated.rules);
        const rl::PreviewResult b = rl::run_preview(from_snapshot, campaign, generated.rules);
        CHECK(a.reached > 0);
        CHECK(b.group_verdict == a.group_verdict);
        CHECK(b.members_reached == a.members_reached);
        CHECK(b.members_multi == a.members_multi);
        CHECK(rl::summary_json(from_snapshot, b).dump(1) == rl::summary_json(from_json, a).dump(1));
        CHECK(rl::verdicts_csv(from_snapshot, b) == rl::verdicts_csv(from_json, a));
        CHECK(rl::wecom_requests(from_snapshot, campaign, b).dump() == rl::wecom_requests(from_json, campaign, a).dump());
    }
    CHECK(group_sends > 0);
    // A scheduled group send's chat_list is checked against the snapshot's groups.
    bool scheduled_group_send = false;
    for (const rl::Campaign& c : from_snapshot.scheduled) scheduled_group_send |= c.kind == rl::Kind::GroupSend;
    CHECK(scheduled_group_send);
}

TEST_CASE("snapshot: forged group columns are refused by the bounds checks", "[snapshot][group_send]") {
    const std::string snap = rl::snapshot_bytes(generated_dataset());
    const std::vector<Section> all = sections(snap);
    auto forged = [&](auto edit) { return forged_rejection(snap, edit); };
    CHECK(forged([&](std::string& s) {
              put<uint32_t>(s, section(all, "groupchat.member_customer").offset, 0x7FFFFFFF);
          }).find("section groupchat.member_customer: element 0") != std::string::npos);
    CHECK(forged([&](std::string& s) {
              put<uint32_t>(s, section(all, "groupchat.owner").offset, 0x7FFFFFFF);
          }).find("section groupchat.owner: element 0") != std::string::npos);
    CHECK(forged([&](std::string& s) { s[section(all, "groupchat.status").offset] = 9; }).find("section groupchat.status") !=
          std::string::npos);
    CHECK(forged([&](std::string& s) {
              put<uint32_t>(s, section(all, "groupchat.member_begin").offset + 4, 0xFFFFFFF0);
          }).find("section groupchat.member_begin") != std::string::npos);
    // A group delivery of another kind (a mass send in a group's ledger), or a customer's group send.
    CHECK(forged([&](std::string& s) {
              const uint64_t at = section(all, "groupchat.delivery.packed").offset;
              put<uint32_t>(s, at, (get<uint32_t>(s, at) & ~3u) | 1u);
          }).find("section groupchat.delivery.packed: element 0 has kind 1") != std::string::npos);
    CHECK(forged([&](std::string& s) {
              const uint64_t at = section(all, "delivery.packed").offset;
              put<uint32_t>(s, at, (get<uint32_t>(s, at) & ~3u) | 2u);
          }).find("section delivery.packed: element 0 has kind 2") != std::string::npos);
    CHECK(forged([&](std::string& s) {
              s[section(all, "groupchat.delivery.begin").toc_at] = 'X';
          }).find("section groupchat.delivery.begin: missing") != std::string::npos);
}

TEST_CASE("snapshot: forged counts, offsets and indices with valid checksums are refused by the bounds checks", "[snapshot]") {
    const std::string snap = rl::snapshot_bytes(generated_dataset());
    const std::vector<Section> all = sections(snap);
    auto forged = [&](auto edit) { return forged_rejection(snap, edit); };
    // A count past the end of the file.
    CHECK(forged([&](std::string& s) {
              put<uint64_t>(s, section(all, "delivery.time").toc_at + 48, uint64_t(1) << 60);
          }).find("lies outside the file") != std::string::npos);
    CHECK(forged([&](std::string& s) {
              put<uint64_t>(s, section(all, "relation.employee").toc_at + 40, snap.size() * 2);
          }).find("lies outside the file") != std::string::npos);
    // A shorter column than its neighbours: its tail is now bytes no checksum covers.
    CHECK(forged([&](std::string& s) {
              put<uint64_t>(s, section(all, "relation.flags").toc_at + 48, 3);
          }).find("nonzero padding") != std::string::npos);
    // ... and once those are zeroed too, shorter than its neighbours.
    CHECK(forged([&](std::string& s) {
              const Section& flags = section(all, "relation.flags");
              std::fill(s.begin() + flags.offset + 8, s.begin() + flags.offset + flags.bytes, '\0');
              put<uint64_t>(s, flags.toc_at + 48, 8);
          }).find("section relation.flags: has 8 elements") != std::string::npos);
    // Indices out of range.
    CHECK(forged([&](std::string& s) {
              put<uint32_t>(s, section(all, "relation.employee").offset + 4, 0x7FFFFFFF);
          }).find("section relation.employee: element 1") != std::string::npos);
    CHECK(forged([&](std::string& s) {
              put<uint32_t>(s, section(all, "delivery.packed").offset, 0xFFFFFFFF);
          }).find("section delivery.packed") != std::string::npos);
    CHECK(forged([&](std::string& s) {
              put<uint32_t>(s, section(all, "customer.tags").offset, 1u << 30);
          }).find("section customer.tags") != std::string::npos);
    // Offsets that go backwards or past their column.
    CHECK(forged([&](std::string& s) {
              put<uint32_t>(s, section(all, "relation.begin").offset + 8, 0xFFFFFFF0);
          }).find("section relation.begin") != std::string::npos);
    CHECK(forged([&](std::string& s) {
              put<uint64_t>(s, section(all, "customer.name.offsets").offset + 8, uint64_t(1) << 40);
          }).find("section customer.name.offsets") != std::string::npos);
    // A delivery time outside [kMinTime, kMaxTime] (a delivery keeps its time in 40 bits).
    CHECK(forged([&](std::string& s) {
              put<int64_t>(s, section(all, "delivery.time").offset, INT64_MAX);
          }).find("section delivery.time: element 0 is out of the time range") != std::string::npos);
    // A name that is not UTF-8 (it would reach the JSON outputs as it is): 0x99 alone, an
    // overlong '/', and a surrogate, each in place of a name's first bytes.
    for (const std::string bad : {std::string("\x99"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80")}) {
        CHECK(forged([&](std::string& s) {
                  const Section& bytes = section(all, "customer.name.bytes");
                  REQUIRE(bytes.bytes >= bad.size());
                  std::copy(bad.begin(), bad.end(), s.begin() + bytes.offset);
              }).find("section customer.name.bytes: string 0 is not valid UTF-8") != std::string::npos);
    }
    // A hash table that would send a lookup round forever (no empty slot).
    CHECK(forged([&](std::string& s) {
              const Section& slots = section(all, "customer.id.slots");
              for (uint64_t i = 0; i < slots.bytes; i += 4) put<uint32_t>(s, slots.offset + i, 0);
          }).find("section customer.id.slots") != std::string::npos);
    // A required section renamed away; a scheduled campaign naming an unknown employee.
    CHECK(forged([&](std::string& s) {
              s[section(all, "delivery.begin").toc_at] = 'X';
          }).find("section delivery.begin: missing") != std::string::npos);
    rl::Dataset d = generated_dataset();
    REQUIRE(!d.scheduled.empty());
    const std::string unknown_sender =
        R"([{"id":"s1","kind":"mass_send","origin":"enterprise","send_time":)" + std::to_string(d.now + 3600) +
        R"(,"senders":{"user_list":["nobody-here"],"department_list":[]},"content":{"text":"hi"}})" + "]";
    d.scheduled_json = unknown_sender;
    const std::string err = rejection(rl::snapshot_bytes(d));
    CHECK(err.find("names an unknown employee \"nobody-here\"") != std::string::npos);
}

TEST_CASE("deliveries keep their campaign, employee, kind, origin and time with more than 65,536 past campaigns", "[snapshot]") {
    // Each delivery its own campaign: the campaign column needs its third byte (a 10M tenant
    // has ~890k past campaigns). Times at both ends of the contract's range.
    using th::json;
    const th::Time now = 1735689600;
    json d = th::tenant(now);
    d["employees"] = json::array({th::employee("a"), th::employee("b")});
    d["customers"] = json::array({th::customer("k1", {th::relation("a", now - 86400)}), th::customer("k2")});
    const int n = 70000;
    json deliveries = json::array();
    for (int i = 0; i < n; ++i) {
        const th::Time t = i == 0 ? rl::limits::kMinTime : i == 1 ? rl::limits::kMaxTime : now - 86400 * 30 + i;
        deliveries.push_back(th::delivery(i % 3 ? "k1" : "k2", i % 2 ? "a" : "b", t, i % 5 ? "mass_send" : "moment",
                                          i % 7 ? "enterprise" : "employee", "c" + std::to_string(i)));
    }
    d["deliveries"] = deliveries;
    const rl::Dataset from_json = th::dataset(d);
    REQUIRE(from_json.past_campaigns.size() == size_t(n));
    const std::string snap = rl::snapshot_bytes(from_json);
    const rl::Dataset from_snapshot = rl::load_dataset(snap, "t.rlsnap");
    CHECK(rl::snapshot_bytes(from_snapshot) == snap);
    for (const rl::Dataset* data : {&from_json, &from_snapshot}) {
        size_t seen = 0;
        for (uint32_t c = 0; c < data->customer_count(); ++c)
            for (uint32_t i = data->delivery_begin[c]; i < data->delivery_begin[c + 1]; ++i, ++seen) {
                const int k = std::stoi(data->past_campaigns[data->delivery_campaign[i]].id.substr(1));
                const rl::PastDelivery& del = data->deliveries[i];
                INFO("delivery of campaign c" << k);
                CHECK(data->external_userid(c) == (k % 3 ? "k1" : "k2"));
                CHECK(data->employees[del.employee].userid == (k % 2 ? "a" : "b"));
                CHECK(del.kind() == (k % 5 ? rl::Kind::MassSend : rl::Kind::Moment));
                CHECK(del.origin() == (k % 7 ? rl::Origin::Enterprise : rl::Origin::Employee));
                CHECK(del.time == (k == 0 ? rl::limits::kMinTime : k == 1 ? rl::limits::kMaxTime : now - 86400 * 30 + k));
            }
        CHECK(seen == size_t(n));
    }
}

TEST_CASE("replace_scheduled: checked like a dataset's, and nothing changes when refused", "[snapshot]") {
    rl::Dataset d = generated_dataset();
    const size_t before = d.scheduled.size();
    const std::string json_before = d.scheduled_json;
    CHECK_THROWS_AS(rl::replace_scheduled(d, R"([{"id":"x"}])", "s.json"), rl::InputError);
    CHECK_THROWS_AS(
        rl::replace_scheduled(
            d,
            R"([{"id":"s1","kind":"moment","origin":"enterprise","send_time":1,"senders":{"user_list":["nobody"],"department_list":[]},"content":{"text":"a"}}])",
            "s.json"),
        rl::InputError);
    CHECK(d.scheduled.size() == before);
    CHECK(d.scheduled_json == json_before);
    rl::replace_scheduled(d, "[]", "s.json");
    CHECK(d.scheduled.empty());
}

TEST_CASE("shards: partial summaries of N = 1, 2 and 7 shards merge into exactly the whole summary", "[snapshot][shards]") {
    for (const Case& c : cases()) {
        const rl::Dataset data = rl::load_dataset(c.dataset_json, "dataset.json");
        for (const rl::Campaign& campaign : c.campaigns) {
            // Groups span customer ranges: group sends are previewed whole (`preview --shard` refuses them).
            if (campaign.kind == rl::Kind::GroupSend) continue;
            INFO(c.name << " " << campaign.id);
            const std::string whole = rl::summary_json(data, rl::run_preview(data, campaign, c.rules)).dump(2);
            for (uint32_t n : {1u, 2u, 7u}) {
                INFO(n << " shards");
                std::vector<std::pair<std::string, th::ojson>> parts;
                uint32_t covered = 0;
                for (uint32_t i = n; i-- > 0;) {  // in reverse: merge takes them in any order
                    auto [begin, end] = rl::shard_range(data.customer_count(), i, n);
                    covered += end - begin;
                    rl::PreviewSession session(data, c.rules);
                    session.set_customer_range(begin, end);
                    rl::PreviewResult r = session.preview(campaign);
                    for (uint32_t k = 0; k < data.customer_count(); ++k)
                        if (k < begin || k >= end) REQUIRE(r.verdict[k] == rl::kNotInAudience);
                    th::ojson s = rl::summary_json(data, r);
                    s["shard"] = {{"index", i}, {"count", n}};
                    parts.emplace_back("part" + std::to_string(i), std::move(s));
                }
                CHECK(covered == data.customer_count());
                CHECK(rl::merge_summaries(parts).dump(2) == whole);
                if (n > 1) {
                    auto missing = parts;
                    missing.pop_back();
                    CHECK_THROWS_AS(rl::merge_summaries(missing), rl::InputError);
                    auto twice = parts;
                    twice.push_back(parts.front());
                    CHECK_THROWS_AS(rl::merge_summaries(twice), rl::InputError);
                }
            }
        }
    }
}
