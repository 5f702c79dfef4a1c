// The send-time explorer (core/explore.h): every bar equals the preview with that send time,
// the candidates are the chosen time of day on consecutive local days from now on, the best
// day is the one reaching most, and stepping a slice at a time gives the same bars.
#include <algorithm>
#include <filesystem>

#include "core/explore/explore.h"
#include "generated_tenant.h"
#include "helpers.h"

namespace fs = std::filesystem;
using th::json;
using th::kDay;
using th::kHour;
using th::local_time;

namespace {

void check_bars_equal_previews(const rl::Dataset& data, const rl::Rules& rules, const rl::Campaign& draft,
                               const rl::Exploration& e) {
    REQUIRE(e.bars.size() == e.candidates.size());
    rl::PreviewSession fresh(data, rules);
    int best = -1;
    for (size_t i = 0; i < e.bars.size(); ++i) {
        INFO("draft " << draft.id << ", candidate " << i);
        rl::Campaign at = draft;
        at.send_time = e.candidates[i];
        rl::PreviewResult p = fresh.preview(at);
        const rl::ExploreBar& bar = e.bars[i];
        CHECK(bar.send_time == e.candidates[i]);
        CHECK(bar.send_time == p.send_time);
        CHECK(bar.audience == p.audience);
        CHECK(bar.reached == p.reached);
        CHECK(bar.deliveries == p.deliveries);
        CHECK(bar.blocked_customers == p.blocked_customers);
        int64_t taken = 0;
        for (const rl::ImpactEntry& x : p.impact) taken += x.reached_before - x.reached_after;
        CHECK(bar.scheduled_taken == taken);
        if (best < 0 || p.reached > e.bars[size_t(best)].reached) best = static_cast<int>(i);
    }
    CHECK(e.best == best);
}

}  // namespace

TEST_CASE("explore: the candidates are the time of day on consecutive local days from now", "[explore]") {
    const th::Time now = local_time(2026, 12, 7, 14, 30);
    json d = th::tenant(now);
    d["employees"] = json::array({th::employee("u1")});
    rl::Dataset data = th::dataset(d);
    SECTION("a draft at 10:00 tomorrow: 10:00 is past today, so from tomorrow") {
        rl::Campaign c = th::load(th::campaign("x", "mass_send", "enterprise", local_time(2026, 12, 8, 10)));
        int minute = -1;
        auto times = rl::explore_candidates(data, c, {}, &minute);
        CHECK(minute == 600);
        REQUIRE(times.size() == 30);
        CHECK(times.front() == local_time(2026, 12, 8, 10));
        CHECK(times.back() == local_time(2027, 1, 6, 10));
    }
    SECTION("a time of day still ahead today starts today; other zones and ranges") {
        rl::Campaign c = th::load(th::campaign("x", "mass_send", "enterprise"));
        rl::ExploreOptions o;
        o.days = 3;
        o.minute_of_day = 20 * 60 + 15;
        auto times = rl::explore_candidates(data, c, o);
        CHECK(times == std::vector<th::Time>{local_time(2026, 12, 7, 20, 15), local_time(2026, 12, 8, 20, 15),
                                             local_time(2026, 12, 9, 20, 15)});
        json d2 = th::tenant(now, -300);
        rl::Dataset ny = th::dataset(d2);
        o.minute_of_day = 9 * 60;
        times = rl::explore_candidates(ny, c, o);
        CHECK(times.front() == local_time(2026, 12, 7, 9, 0, 0, -300));  // 14:00 UTC, after now (06:30 UTC)
    }
    SECTION("no send time: now's time of day, from tomorrow") {
        rl::Campaign c = th::load(th::campaign("x", "mass_send", "enterprise"));
        int minute = -1;
        auto times = rl::explore_candidates(data, c, {}, &minute);
        CHECK(minute == 14 * 60 + 30);
        CHECK(times.front() == local_time(2026, 12, 7, 14, 30));  // exactly now: not before it
    }
}

TEST_CASE("explore: every bar equals the preview at that send time", "[explore]") {
    SECTION("a quota that frees up day by day, and a scheduled campaign it competes with") {
        const th::Time now = local_time(2026, 12, 7, 9);
        json d = th::tenant(now);
        d["employees"] = json::array({th::employee("u1")});
        for (int i = 0; i < 6; ++i) {
            std::string id = "c" + std::to_string(i);
            d["customers"].push_back(th::customer(id, {th::relation("u1", local_time(2026, 1, 1))}));
            // c0-c3: 4 enterprise mass sends from Nov (20 + i); c4, c5: 3, so the draft and s1 compete for the 4th.
            for (int k = 0; k < (i < 4 ? 4 : 3); ++k)
                d["deliveries"].push_back(th::delivery(id, "u1", local_time(2026, 11, 20 + k + i, 10)));
        }
        d["scheduled"].push_back(th::scheduled("s1", "mass_send", "enterprise", local_time(2026, 12, 20, 10)));
        rl::Dataset data = th::dataset(d);
        // 1 a day any origin, plus 4 in any rolling 30 days: bars change as old sends leave the window.
        rl::Rules rules =
            th::rules(th::rules_doc({th::quota("day", "mass_send", "any", 1, "day"),
                                     th::quota("rolling", "mass_send", "enterprise", 4, "rolling_days", "customer", 30)}));
        rl::Campaign c = th::load(th::campaign("promo", "mass_send", "enterprise", local_time(2026, 12, 9, 10)));
        rl::ExploreOptions o;
        o.days = 20;
        rl::PreviewSession session(data, rules);
        rl::Exploration e = rl::explore(session, c, o);
        check_bars_equal_previews(data, rules, c, e);
        // The bars differ: the rolling window frees customers as the days go by.
        CHECK(e.bars.front().reached < e.bars.back().reached);
        // Competing with s1 on the 20th: that day's bar takes reach from it, the others do not.
        int64_t taken = 0;
        for (const auto& b : e.bars) taken += b.scheduled_taken;
        CHECK(taken > 0);
        CHECK(std::count_if(e.bars.begin(), e.bars.end(), [](const rl::ExploreBar& b) { return b.chosen; }) == 1);
        CHECK(e.bars[2].chosen);  // the 9th
        auto out = rl::explore_json(e);
        CHECK(out["format"] == "reachlens.explore/1");
        CHECK(out["time_of_day"] == "10:00");
        CHECK(out["days"][2]["date"] == "2026-12-09");
        CHECK(out["days"][2]["weekday"] == "Wed");
        CHECK(out["days"].size() == 20);
    }
    SECTION("every draft of a generated tenant, stepped a slice at a time") {
        const fs::path& dir = th::generated_dir();
        rl::Dataset data = rl::load_dataset(th::read_text(dir / "dataset.json"), "dataset.json");
        rl::Rules rules = rl::preset_rules("wecom-2021");
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(dir / "campaigns")) files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const fs::path& f : files) {
            rl::Campaign c = rl::load_campaign(th::read_text(f), f.string());
            rl::ExploreOptions o;
            o.days = 6;
            rl::PreviewSession session(data, rules);
            rl::ExploreJob job(session, c, o);
            size_t steps = 0, last_bars = 0;
            while (!job.step(700)) {
                ++steps;
                CHECK(job.result().bars.size() >= last_bars);  // bars only ever come in
                last_bars = job.result().bars.size();
                CHECK(job.progress() < 1.0);
            }
            CHECK(steps >= data.customer_count() / 700 - 1);  // at least the first bar comes in slices
            CHECK(job.progress() == 1.0);
            check_bars_equal_previews(data, rules, c, job.result());
        }
    }
}

TEST_CASE("explore: bars of days it shares equal single previews (generated tenant, presets, times of day)", "[explore]") {
    // Days past the scheduled campaigns and the history's windows are previewed once and
    // shared (ExploreJob::SameBarTest): each must still be that day's own preview.
    const fs::path& dir = th::generated_dir();
    rl::Dataset data = rl::load_dataset(th::read_text(dir / "dataset.json"), "dataset.json");
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir / "campaigns")) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    uint64_t seed = 13;
    auto next = [&](uint64_t n) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        return (seed >> 33) % n;
    };
    const std::vector<std::string> presets = rl::preset_names();
    for (int round = 0; round < 4; ++round) {
        const rl::Rules rules = rl::preset_rules(presets[next(presets.size())]);
        rl::ExploreOptions o;
        o.days = 40;
        o.minute_of_day = static_cast<int>(next(24 * 60));
        for (const fs::path& f : files) {
            rl::Campaign c = rl::load_campaign(th::read_text(f), f.string());
            INFO("round " << round << ", " << f.filename() << ", rules " << rules.name << ", minute " << *o.minute_of_day);
            rl::PreviewSession session(data, rules);
            check_bars_equal_previews(data, rules, c, rl::explore(session, c, o));
        }
    }
}

TEST_CASE("explore: from a fresh session, no step does more than its slice of customers (generated tenant)", "[explore]") {
    // The page steps the explorer a frame at a time on a session of its own: building that
    // session's run without the draft, the ledger counts of each candidate, the customers by
    // tag and the ledger events by time must come in slices too, not in one step.
    const fs::path& dir = th::generated_dir();
    rl::Dataset data = rl::load_dataset(th::read_text(dir / "dataset.json"), "dataset.json");
    REQUIRE(!data.scheduled.empty());  // a baseline to build
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir / "campaigns")) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const char* preset : {"wecom-2025", "wecom-2021"}) {
        const rl::Rules rules = rl::preset_rules(preset);
        for (const fs::path& f : files) {
            rl::Campaign c = rl::load_campaign(th::read_text(f), f.string());
            INFO(f.filename() << ", rules " << preset);
            rl::ExploreOptions o;
            o.days = 8;
            rl::PreviewSession session(data, rules);
            rl::ExploreJob job(session, c, o);
            constexpr uint32_t kSlice = 700;
            uint64_t largest = 0, steps_before_first_bar = 0;
            for (bool done = false; !done;) {
                const uint64_t before = session.customers_visited();
                if (job.result().bars.empty()) ++steps_before_first_bar;
                done = job.step(kSlice);
                largest = std::max(largest, session.customers_visited() - before);
            }
            CHECK(largest <= kSlice);
            if (c.kind != rl::Kind::GroupSend) {
                // The ledger counts, the baseline's run and the draft's first preview each
                // visit every customer, a slice at a time.
                CHECK(steps_before_first_bar >= 3 * (data.customer_count() / kSlice));
            }
            check_bars_equal_previews(data, rules, c, job.result());
        }
    }
}

TEST_CASE("explore: customers by tag indexed a slice at a time equal the index built at once", "[explore]") {
    const fs::path& dir = th::generated_dir();
    rl::Dataset data = rl::load_dataset(th::read_text(dir / "dataset.json"), "dataset.json");
    const rl::TagCustomers whole = rl::index_tag_customers(data);
    REQUIRE(!whole.customers.empty());
    rl::TagCustomers stepped;
    rl::TagCustomersBuilder builder;
    int steps = 0;
    for (;;) {
        uint32_t budget = 7;
        const bool done = builder.step(data, stepped, budget);
        ++steps;
        if (done) break;
        CHECK(budget == 0);  // an unfinished step spends its whole slice
    }
    CHECK(steps >= static_cast<int>(2 * data.customer_count() / 7));
    CHECK(stepped.begin == whole.begin);
    CHECK(stepped.customers == whole.customers);
}

TEST_CASE("explore: counts made for a filter's possible audience serve no other draft on the session", "[explore]") {
    // A mass send's candidates count their windows for the customers its filter may select
    // only (AudienceBound). The page keeps the explorer's session across edits: the next
    // filter, and a plain preview at one of the same send times (every customer's counts),
    // must still answer as a fresh session.
    const fs::path& dir = th::generated_dir();
    rl::Dataset data = rl::load_dataset(th::read_text(dir / "dataset.json"), "dataset.json");
    std::vector<rl::Campaign> filtered;
    for (const auto& entry : fs::directory_iterator(dir / "campaigns")) {
        rl::Campaign c = rl::load_campaign(th::read_text(entry.path()), entry.path().string());
        if (c.kind == rl::Kind::MassSend && c.filter) filtered.push_back(std::move(c));
    }
    REQUIRE(!filtered.empty());
    // The same filter with its first clause left out selects other customers from the same windows.
    rl::Campaign wider = filtered.front();
    if (wider.filter->op == rl::ExprOp::All && wider.filter->children.size() > 1)
        wider.filter->children.erase(wider.filter->children.begin());
    filtered.push_back(wider);
    for (const char* preset : {"wecom-2025", "wecom-2021"}) {
        const rl::Rules rules = rl::preset_rules(preset);
        rl::PreviewSession session(data, rules);
        rl::ExploreOptions o;
        o.days = 9;
        for (const rl::Campaign& c : filtered) {
            INFO(c.id << ", rules " << preset);
            check_bars_equal_previews(data, rules, c, rl::explore(session, c, o));
        }
        // Every customer's counts for the windows the explorer counted for some only (the
        // last draft's are still kept): the draft without its filter reads its quota windows
        // for every customer.
        rl::PreviewSession fresh(data, rules);
        for (rl::Time t : rl::explore_candidates(data, filtered.back(), o)) {
            rl::Campaign at = filtered.back();
            at.send_time = t;
            rl::Campaign open_to_all = at;
            open_to_all.filter.reset();
            for (const rl::Campaign* draft : {&open_to_all, &at}) {
                INFO((draft->filter ? "as written" : "without its filter") << " at " << t << ", rules " << preset);
                const rl::PreviewResult got = session.preview(*draft), want = fresh.preview(*draft);
                CHECK(got.reached == want.reached);
                CHECK(got.audience == want.audience);
                CHECK(got.blocked_customers == want.blocked_customers);
                CHECK(got.verdict == want.verdict);
            }
        }
    }
}
