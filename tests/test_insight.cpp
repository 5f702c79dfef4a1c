// The dashboard's explanations (core/insight.h): one customer's timeline must tell the same
// story as the preview, the quota calendar must count what an independent scan of the
// ledger counts, and a scheduled campaign previewed as the draft must equal a preview on a
// dataset without it.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "core/insight/insight.h"
#include "generated_tenant.h"
#include "tools/generator.h"
#include "helpers.h"

namespace fs = std::filesystem;
using th::json;

namespace {

// A tenant, its rules and the drafts to try on it.
struct Tenant {
    std::string name;
    rl::Dataset data;
    rl::Rules rules;
    std::vector<rl::Campaign> drafts;
};

std::vector<Tenant> example_tenants() {
    std::vector<Tenant> out;
    const fs::path root = REACHLENS_EXAMPLES_DIR;
    REQUIRE(fs::is_directory(root));
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(root))
        if (entry.is_directory() && entry.path().filename().string().rfind("case-", 0) == 0) dirs.push_back(entry.path());
    std::sort(dirs.begin(), dirs.end());
    for (const fs::path& dir : dirs) {
        Tenant t;
        t.name = dir.filename().string();
        t.data = rl::load_dataset(th::read_text(dir / "dataset.json"), (dir / "dataset.json").string());
        t.rules = fs::exists(dir / "rules.json") ? rl::load_rules(th::read_text(dir / "rules.json"), "rules.json")
                                                 : rl::preset_rules("wecom-2020");
        t.drafts.push_back(rl::load_campaign(th::read_text(dir / "campaign.json"), (dir / "campaign.json").string()));
        out.push_back(std::move(t));
    }
    return out;
}

Tenant generated_tenant(const char* preset) {
    const fs::path& dir = th::generated_dir();
    Tenant t;
    t.name = std::string("generated/") + preset;
    t.data = rl::load_dataset(th::read_text(dir / "dataset.json"), "dataset.json");
    t.rules = rl::preset_rules(preset);
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir / "campaigns")) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) t.drafts.push_back(rl::load_campaign(th::read_text(f), f.string()));
    return t;
}

// The customer verdict of contract 5.4, from the pairs alone (written here independently
// of the engine's ranking).
uint16_t verdict_from_pairs(const std::vector<uint16_t>& reasons) {
    if (reasons.empty()) return rl::kNotInAudience;
    if (std::find(reasons.begin(), reasons.end(), uint16_t(rl::kReached)) != reasons.end()) return rl::kReached;
    uint16_t best_quota = 0xFFFF;
    for (uint16_t r : reasons)
        if (r >= rl::kQuotaReasonBase) best_quota = std::min(best_quota, r);  // quotas then policies, in order
    if (best_quota != 0xFFFF) return best_quota;
    for (uint16_t code : {rl::kNotInterested, rl::kNotFriend, rl::kSenderInactive, rl::kNoRelation})
        if (std::find(reasons.begin(), reasons.end(), code) != reasons.end()) return code;
    return rl::kDuplicate;  // never: a live pair is always picked
}

// explain_customer against preview for every customer of the tenant and every draft.
void check_explanations(Tenant& t) {
    rl::PreviewSession session(t.data, t.rules);
    for (const rl::Campaign& draft : t.drafts) {
        INFO("tenant " << t.name << ", draft " << draft.id);
        const rl::PreviewResult result = session.preview(draft);
        std::map<std::string, int64_t> reached_after;  // scheduled campaign id -> customers reached
        int64_t mismatches = 0;
        for (uint32_t c = 0; c < t.data.customer_count(); ++c) {
            const auto events =
                session.data().customer_count() ? rl::explain_customer(session, draft, c) : std::vector<rl::CustomerEvent>{};
            std::vector<uint16_t> draft_reasons;
            std::vector<uint32_t> draft_via;
            std::map<std::string, bool> scheduled_reached;
            size_t past = 0;
            for (size_t i = 0; i < events.size(); ++i) {
                const rl::CustomerEvent& e = events[i];
                if (i > 0) CHECK(events[i - 1].time <= e.time);
                if (e.source == rl::CustomerEvent::Source::Past) {
                    ++past;
                    CHECK(e.verdict == rl::kReached);
                } else if (e.source == rl::CustomerEvent::Source::Draft) {
                    CHECK(e.campaign_id == draft.id);
                    CHECK(e.time == result.send_time);
                    draft_reasons.push_back(e.verdict);
                    if (e.verdict == rl::kReached) draft_via.push_back(e.employee);
                    if (e.employee == rl::kNone) CHECK(e.verdict == rl::kNoRelation);
                } else {
                    REQUIRE(e.scheduled_index >= 0);
                    REQUIRE(size_t(e.scheduled_index) < t.data.scheduled.size());
                    CHECK(t.data.scheduled[e.scheduled_index].id == e.campaign_id);
                    scheduled_reached[e.campaign_id] |= e.verdict == rl::kReached;
                }
            }
            CHECK(past == t.data.delivery_begin[c + 1] - t.data.delivery_begin[c]);
            const std::vector<uint32_t> expected_via(result.via.begin() + result.via_begin[c],
                                                     result.via.begin() + result.via_begin[c + 1]);
            const uint16_t derived = verdict_from_pairs(draft_reasons);
            if (derived != result.verdict[c] || draft_via != expected_via) {
                ++mismatches;
                UNSCOPED_INFO("customer " << t.data.external_userid(c) << ": preview verdict " << result.verdict[c]
                                          << ", from the timeline " << derived);
            }
            for (const auto& [id, reached] : scheduled_reached) reached_after[id] += reached;
        }
        CHECK(mismatches == 0);
        for (const rl::ImpactEntry& e : result.impact) {
            INFO("scheduled " << e.campaign_id);
            // A scheduled group send's impact counts groups (contract 8.3), which no customer's timeline shows.
            auto s = std::find_if(t.data.scheduled.begin(), t.data.scheduled.end(),
                                  [&](const rl::Campaign& c) { return c.id == e.campaign_id; });
            REQUIRE(s != t.data.scheduled.end());
            if (s->kind == rl::Kind::GroupSend) continue;
            CHECK(reached_after[e.campaign_id] == e.reached_after);
        }
    }
}

}  // namespace

TEST_CASE("explain_customer: every worked example's customers get the preview's verdict and via", "[insight]") {
    for (Tenant& t : example_tenants()) check_explanations(t);
}

TEST_CASE("explain_customer: on a generated tenant each customer's timeline agrees with preview and impact", "[insight]") {
    for (const char* preset : {"wecom-2025", "wecom-2020"}) {
        Tenant t = generated_tenant(preset);
        REQUIRE(t.drafts.size() >= 2);
        REQUIRE(!t.data.scheduled.empty());
        check_explanations(t);
    }
}

TEST_CASE("explain_customer: a customer of a mass send without a relation to its senders shows one no_relation event",
          "[insight]") {
    const th::Time now = th::local_time(2024, 3, 5, 8);
    json d = th::tenant(now);
    d["employees"] = json::array({th::employee("a"), th::employee("b")});
    d["customers"].push_back(th::customer("c1", {th::relation("b", 1)}));
    d["deliveries"].push_back(th::delivery("c1", "b", now - th::kDay));
    rl::Dataset data = th::dataset(d);
    rl::Campaign draft = th::load(th::campaign("draft", "mass_send", "enterprise", now + th::kHour, {"a"}));
    rl::PreviewSession session(data, th::rules(th::rules_doc({})));
    const rl::PreviewResult result = session.preview(draft);
    REQUIRE(result.verdict[0] == rl::kNoRelation);
    const auto events = rl::explain_customer(session, draft, 0);
    REQUIRE(events.size() == 2);
    CHECK(events[0].source == rl::CustomerEvent::Source::Past);
    CHECK(events[0].campaign_id == "past");
    CHECK(events[1].source == rl::CustomerEvent::Source::Draft);
    CHECK(events[1].employee == rl::kNone);
    CHECK(events[1].verdict == rl::kNoRelation);
    CHECK(rl::explain_customer(session, draft, 5).empty());
}

// ------------------------------------------------------------------ quota calendar

namespace {

struct Ledgered {
    th::Time time;
    rl::Kind kind;
    rl::Origin origin;
    uint32_t employee;
};

// Every window kind, per customer and per customer_sender, a days_in_month count and a policy.
json calendar_rules() {
    return th::rules_doc({th::quota("ms_day", "mass_send", "any", 1, "day"), th::quota("any_week", "any", "any", 3, "week"),
                          th::quota("moment_ent_month", "moment", "enterprise", 4, "month"),
                          th::quota("ms_dim", "mass_send", "any", "days_in_month", "month"),
                          th::quota("any_roll10", "any", "any", 5, "rolling_days", "customer", 10),
                          th::quota("ms_sender_day", "mass_send", "any", 1, "day", "customer_sender"),
                          th::quota("roll_long", "any", "any", 60, "rolling_days", "customer", 2000),
                          th::quota("none_left", "moment", "employee", 0, "day"),
                          th::quota("none_left_sender", "moment", "employee", 0, "week", "customer_sender")},
                         "first_added", "each", 168,
                         {th::quota("p_moment_roll3", "moment", "any", 2, "rolling_days", "customer", 3),
                          th::quota("p_ms_sender_week", "mass_send", "enterprise", 2, "week", "customer_sender")});
}

// The calendar counted the slow way: each audience customer's ledger rebuilt from the
// dataset and explain_customer, windows computed from the local calendar in this file.
void check_calendar(Tenant& t) {
    rl::PreviewSession session(t.data, t.rules);
    const int tz = t.data.enterprise.tz_offset_minutes;
    for (const rl::Campaign& draft : t.drafts) {
        INFO("tenant " << t.name << ", draft " << draft.id);
        const rl::PreviewResult result = session.preview(draft);
        const rl::QuotaCalendar cal = rl::quota_calendar(session, draft, result);
        const rl::LocalDate send = rl::local_date(result.send_time, tz);
        REQUIRE(cal.year == send.year);
        REQUIRE(cal.month == send.month);
        const int next_month = send.month == 12 ? 1 : send.month + 1;
        const int64_t next_year = send.month == 12 ? send.year + 1 : send.year;
        const int days = int(th::days_from_civil(next_year, next_month, 1) - th::days_from_civil(send.year, send.month, 1));
        REQUIRE(cal.days == days);
        CHECK(cal.first_weekday == int(((th::days_from_civil(send.year, send.month, 1) + 3) % 7 + 7) % 7));
        auto midnight = [&](int day) {  // local midnight starting `day` of the month (day may be days + 1)
            return th::local_time(send.year, send.month, 1, 0, 0, 0, tz) + int64_t(day - 1) * th::kDay;
        };

        // A group send's calendar holds the per-group checks only (contract 8.1: no other applies).
        const bool group_send = draft.kind == rl::Kind::GroupSend;
        std::vector<const rl::Quota*> checks;
        std::vector<std::string> labels;
        for (const rl::Quota& q : t.rules.quotas)
            if (!group_send || q.per_group) {
                checks.push_back(&q);
                labels.push_back("quota:" + q.id);
            }
        for (const rl::Quota& q : t.rules.policies)
            if (!group_send || q.per_group) {
                checks.push_back(&q);
                labels.push_back("policy:" + q.id);
            }
        REQUIRE(cal.labels == labels);
        REQUIRE(cal.use.size() == checks.size());
        REQUIRE(cal.limits.size() == checks.size());
        if (group_send) {
            // Before the tenant's `now` only the dataset's group deliveries into the audience
            // groups count (tests/test_group_send.cpp checks the simulated days by hand).
            const rl::GroupChats& groups = t.data.groups;
            for (size_t q = 0; q < checks.size(); ++q)
                for (int day = 1; day <= days && midnight(day + 1) <= t.data.now; ++day) {
                    int64_t n = 0;
                    for (uint32_t g = 0; g < groups.size(); ++g)
                        if (result.group_verdict[g] != rl::kNotInAudience)
                            for (const rl::PastDelivery& d : groups.ledger(g))
                                n += checks[q]->matches(d.kind(), d.origin()) && d.time >= midnight(day) &&
                                     d.time < midnight(day + 1);
                    INFO(labels[q] << ", day " << day);
                    CHECK(cal.use[q][size_t(day - 1)].deliveries == n);
                }
            continue;
        }

        std::vector<std::vector<rl::QuotaDayUse>> expected(checks.size(), std::vector<rl::QuotaDayUse>(days));
        std::vector<uint8_t> draft_sender(t.data.employees.size(), 0);
        for (const rl::SenderStats& s : result.senders) draft_sender[s.employee] = 1;
        for (uint32_t c = 0; c < t.data.customer_count(); ++c) {
            if (result.verdict[c] == rl::kNotInAudience) continue;
            std::vector<Ledgered> ledger;
            for (uint32_t i = t.data.delivery_begin[c]; i < t.data.delivery_begin[c + 1]; ++i) {
                const rl::PastDelivery& d = t.data.deliveries[i];
                ledger.push_back({d.time, d.kind(), d.origin(), uint32_t(d.employee)});
            }
            for (const rl::CustomerEvent& e : rl::explain_customer(session, draft, c))
                if (e.source != rl::CustomerEvent::Source::Past && e.verdict == rl::kReached)
                    ledger.push_back({e.time, e.kind, e.origin, e.employee});
            std::vector<uint32_t> live_senders;
            for (uint32_t i = t.data.relation_begin[c]; i < t.data.relation_begin[c + 1]; ++i) {
                const rl::Relation& r = t.data.relations[i];
                if (!r.deleted && draft_sender[r.employee]) live_senders.push_back(r.employee);
            }
            for (size_t q = 0; q < checks.size(); ++q) {
                const rl::Quota& quota = *checks[q];
                const int64_t limit = quota.count_is_days_in_month ? days : quota.count;
                for (int day = 1; day <= days; ++day) {
                    const th::Time end = midnight(day + 1) - 1;  // the last second of the day
                    th::Time begin = 0;
                    if (quota.window == rl::Window::Day) begin = midnight(day);
                    else if (quota.window == rl::Window::Month) begin = midnight(1);
                    else if (quota.window == rl::Window::Week) {
                        const int64_t weekday = ((th::days_from_civil(send.year, send.month, day) + 3) % 7 + 7) % 7;
                        begin = midnight(day) - weekday * th::kDay;
                    } else begin = end - quota.days * th::kDay + 1;  // (end - days, end]
                    auto count = [&](uint32_t employee) {
                        int64_t n = 0;
                        for (const Ledgered& d : ledger)
                            if (quota.matches(d.kind, d.origin) && d.time >= begin && d.time <= end &&
                                (employee == rl::kNone || d.employee == employee))
                                ++n;
                        return n;
                    };
                    for (const Ledgered& d : ledger)
                        if (quota.matches(d.kind, d.origin) && d.time >= midnight(day) && d.time < midnight(day + 1))
                            ++expected[q][day - 1].deliveries;
                    bool full;
                    if (!quota.per_sender) full = count(rl::kNone) >= limit;
                    else {
                        full = !live_senders.empty();
                        for (uint32_t e : live_senders) full = full && count(e) >= limit;
                    }
                    expected[q][day - 1].customers_full += full;
                }
            }
        }
        for (size_t q = 0; q < checks.size(); ++q) {
            INFO(labels[q]);
            CHECK(cal.limits[q] == (checks[q]->count_is_days_in_month ? days : checks[q]->count));
            int64_t deliveries = 0, full = 0;
            for (int day = 1; day <= days; ++day) {
                INFO("day " << day);
                CHECK(cal.use[q][day - 1].deliveries == expected[q][day - 1].deliveries);
                CHECK(cal.use[q][day - 1].customers_full == expected[q][day - 1].customers_full);
                deliveries += expected[q][day - 1].deliveries;
                full += expected[q][day - 1].customers_full;
            }
            UNSCOPED_INFO(labels[q] << ": " << deliveries << " deliveries, " << full << " customer-days full");
        }
    }
}

}  // namespace

TEST_CASE("quota_calendar: counts and full customers agree with a brute-force scan of each ledger", "[insight][calendar]") {
    for (const char* preset : {"wecom-2020", "wecom-2025"}) {
        Tenant t = generated_tenant(preset);
        check_calendar(t);
    }
    Tenant t = generated_tenant("wecom-2025");
    t.name = "generated/calendar_rules";
    t.rules = th::rules(calendar_rules());
    check_calendar(t);
}

TEST_CASE("quota_calendar: the worked examples", "[insight][calendar]") {
    for (Tenant& t : example_tenants()) check_calendar(t);
}

TEST_CASE("quota_calendar: a customer the draft fills shows as full from the send day, in the draft's month",
          "[insight][calendar]") {
    const th::Time now = th::local_time(2024, 2, 27, 8);
    json d = th::tenant(now);
    d["employees"] = json::array({th::employee("a")});
    d["customers"].push_back(th::customer("c1", {th::relation("a", 1)}));
    d["customers"].push_back(th::customer("c2", {th::relation("a", 1)}));
    rl::Dataset data = th::dataset(d);
    const th::Time send = th::local_time(2024, 2, 28, 23, 59, 59);
    rl::Campaign draft =
        th::load(th::with_filter(th::campaign("draft", "mass_send", "enterprise", send), {{"customers", {"c1"}}}));
    rl::PreviewSession session(data, th::rules(th::rules_doc({th::quota("q", "mass_send", "any", 1, "month")})));
    const rl::PreviewResult result = session.preview(draft);
    REQUIRE(result.reached == 1);
    const rl::QuotaCalendar cal = rl::quota_calendar(session, draft, result);
    CHECK(cal.year == 2024);
    CHECK(cal.month == 2);
    CHECK(cal.days == 29);
    CHECK(cal.first_weekday == 3);  // 2024-02-01 was a Thursday
    REQUIRE(cal.use.size() == 1);
    CHECK(cal.limits[0] == 1);
    for (int day = 1; day <= 29; ++day) {
        INFO("day " << day);
        CHECK(cal.use[0][day - 1].deliveries == (day == 28 ? 1 : 0));
        CHECK(cal.use[0][day - 1].customers_full == (day >= 28 ? 1 : 0));  // only c1 is in the audience
    }
}

// ------------------------------------------------------------------ scheduled preview

TEST_CASE("preview_scheduled: equals a preview on the dataset without that scheduled campaign", "[insight][scheduled]") {
    Tenant t = generated_tenant("wecom-2025");
    REQUIRE(t.data.scheduled.size() >= 2);
    for (size_t i = 0; i < t.data.scheduled.size(); ++i) {
        INFO("scheduled " << t.data.scheduled[i].id);
        const rl::PreviewResult as_draft = rl::preview_scheduled(t.data, t.rules, i);
        rl::Dataset without = t.data;
        const rl::Campaign campaign = t.data.scheduled[i];
        without.scheduled.erase(without.scheduled.begin() + static_cast<std::ptrdiff_t>(i));
        const rl::PreviewResult expected = rl::run_preview(without, campaign, t.rules);
        CHECK(as_draft.campaign_id == campaign.id);
        CHECK(rl::summary_json(t.data, as_draft).dump() == rl::summary_json(without, expected).dump());
        CHECK(rl::verdicts_csv(t.data, as_draft) == rl::verdicts_csv(without, expected));
        CHECK(as_draft.impact.size() + 1 == t.data.scheduled.size());
    }
}

TEST_CASE("preview_scheduled: the only scheduled campaign, previewed alone, and the draft's quota no longer counts",
          "[insight][scheduled]") {
    const th::Time now = th::local_time(2024, 3, 5, 8);
    json d = th::tenant(now);
    d["employees"] = json::array({th::employee("a")});
    for (const char* c : {"c1", "c2", "c3"}) d["customers"].push_back(th::customer(c, {th::relation("a", 1)}));
    d["deliveries"].push_back(th::delivery("c3", "a", now - th::kHour));
    d["scheduled"] = json::array({th::scheduled("sched", "mass_send", "enterprise", now + 2 * th::kHour)});
    rl::Dataset data = th::dataset(d);
    rl::Rules rules = th::rules(th::rules_doc({th::quota("q", "mass_send", "any", 1, "day")}));
    const rl::PreviewResult r = rl::preview_scheduled(data, rules, 0);
    json empty = d;
    empty["scheduled"] = json::array();
    rl::Dataset without = th::dataset(empty);
    const rl::PreviewResult expected = rl::run_preview(without, data.scheduled[0], rules);
    CHECK(rl::summary_json(data, r).dump() == rl::summary_json(without, expected).dump());
    CHECK(r.impact.empty());
    CHECK(r.reached == 2);  // c3 already had its mass send of the day
    CHECK_THROWS(rl::preview_scheduled(data, rules, 1));
}

// ------------------------------------------------------------------ replay shortcuts

TEST_CASE("impact: a later campaign with headroom left keeps its customer, one without loses it, as a full replay says",
          "[insight][impact]") {
    const th::Time now = th::local_time(2024, 3, 5, 8);
    json d = th::tenant(now);
    d["employees"] = json::array({th::employee("a")});
    for (const char* c : {"c1", "c2", "c3"}) d["customers"].push_back(th::customer(c, {th::relation("a", 1)}));
    d["deliveries"].push_back(th::delivery("c1", "a", now - th::kHour));  // c1 has one of its two for the day
    d["scheduled"] = json::array({th::scheduled("s1", "mass_send", "enterprise", now + 3 * th::kHour),
                                  th::scheduled("s2", "mass_send", "enterprise", now + 4 * th::kHour)});
    rl::Dataset data = th::dataset(d);
    // Two mass sends a day: s1 reaches all three, s2 only c2 and c3 without the draft.
    rl::PreviewSession session(data, th::rules(th::rules_doc({th::quota("q", "mass_send", "any", 2, "day")})));
    rl::Campaign draft = th::load(
        th::with_filter(th::campaign("draft", "mass_send", "enterprise", now + th::kHour), {{"customers", {"c1", "c2"}}}));
    const rl::PreviewResult r = session.preview(draft);
    REQUIRE(r.impact.size() == 2);
    // c1: draft takes its second, s1 and s2 lose it; c2: s1 still fits, s2 no longer; c3 untouched.
    CHECK(r.impact[0].reached_before == 3);
    CHECK(r.impact[0].reached_after == 2);
    CHECK(r.impact[1].reached_before == 2);
    CHECK(r.impact[1].reached_after == 1);
    for (uint32_t c = 0; c < 3; ++c) {
        int reached_scheduled = 0;
        for (const rl::CustomerEvent& e : rl::explain_customer(session, draft, c))
            reached_scheduled += e.source == rl::CustomerEvent::Source::Scheduled && e.verdict == rl::kReached;
        CHECK(reached_scheduled == (c == 2 ? 2 : (c == 1 ? 1 : 0)));  // c3 keeps both
    }
}

// The browser runs a preview a slice of customers per frame (PreviewJob). Whatever the
// slices, the result must be the one-shot preview's, even when the caller edits its own
// draft while the job runs (the job plays its copy).
TEST_CASE("PreviewJob: stepping in slices of any size gives exactly preview()", "[insight][job]") {
    std::vector<Tenant> tenants = example_tenants();
    tenants.push_back(generated_tenant("wecom-2025"));
    for (Tenant& t : tenants) {
        for (const rl::Campaign& draft : t.drafts) {
            rl::PreviewSession reference_session(t.data, t.rules);
            const rl::PreviewResult want = reference_session.preview(draft);
            rl::PreviewSession session(t.data, t.rules);
            for (uint32_t slice : {1u, 7u, 1000u}) {
                rl::Campaign edited = draft;
                rl::PreviewJob job = session.start(edited);
                edited.content.text += " (edited while the job runs)";
                edited.kind = draft.kind == rl::Kind::Moment ? rl::Kind::MassSend : rl::Kind::Moment;
                int steps = 0;
                double last_progress = -1;
                while (!job.step(slice)) {
                    ++steps;
                    CHECK(job.progress() > last_progress);
                    last_progress = job.progress();
                }
                CHECK(job.done());
                const rl::PreviewResult got = job.finish();
                INFO(t.name << " " << draft.id << " slice " << slice);
                CHECK(!job.valid());
                CHECK(steps + 1 >= static_cast<int>((t.data.customer_count() + slice - 1) / slice));
                CHECK(rl::summary_json(t.data, got).dump() == rl::summary_json(t.data, want).dump());
                CHECK(rl::verdicts_csv(t.data, got) == rl::verdicts_csv(t.data, want));
                CHECK(got.via == want.via);
                CHECK(got.via_begin == want.via_begin);
            }
            // The session is still right for a one-shot preview after the jobs.
            CHECK(rl::summary_json(t.data, session.preview(draft)).dump() == rl::summary_json(t.data, want).dump());
        }
    }
}

// ------------------------------------------------------------------ relations

namespace {

using Why = rl::RelationExplanation;

// explain_relations against trace_customer and the preview, customer by customer: the tried
// relations are exactly the draft's pairs (in pair order), the rest name an unselected
// employee, and a quota reason lists at least as many deliveries as the quota allows.
void check_relation_explanations(Tenant& t) {
    rl::PreviewSession session(t.data, t.rules);
    for (const rl::Campaign& draft : t.drafts) {
        INFO("tenant " << t.name << ", draft " << draft.id);
        const rl::PreviewResult result = session.preview(draft);
        std::vector<rl::UnknownId> unknown;
        const rl::BoundCampaign bound = rl::bind_campaign(t.data, draft, result.send_time, unknown);
        std::set<uint32_t> senders(bound.senders.begin(), bound.senders.end());
        int64_t tried_total = 0;
        for (uint32_t c = 0; c < t.data.customer_count(); ++c) {
            const std::vector<Why> why = rl::explain_relations(session, draft, c);
            REQUIRE(why.size() == t.data.relation_begin[c + 1] - t.data.relation_begin[c]);
            std::vector<uint16_t> pair_reasons;
            std::vector<uint32_t> pair_employees;
            for (const rl::PlayedCampaign& p : session.trace_customer(draft, c))
                if (p.draft)
                    for (const rl::PlayedPair& pair : p.pairs)
                        if (pair.employee != rl::kNone) {
                            pair_reasons.push_back(pair.reason);
                            pair_employees.push_back(pair.employee);
                        }
            std::vector<uint16_t> tried_reasons;
            std::vector<uint32_t> tried_employees;
            for (size_t i = 0; i < why.size(); ++i) {
                const Why& w = why[i];
                CHECK(w.relation == t.data.relation_begin[c] + i);
                CHECK(w.employee == t.data.relations[w.relation].employee);
                CHECK((w.state == Why::State::NotSelected) == !senders.count(w.employee));
                if (w.state == Why::State::NotInAudience) CHECK(result.verdict[c] == rl::kNotInAudience);
                if (w.state != Why::State::Tried) continue;
                tried_reasons.push_back(w.verdict);
                tried_employees.push_back(w.employee);
                const rl::Employee& e = t.data.employees[w.employee];
                if (w.verdict == rl::kSenderInactive)
                    CHECK(w.detail == (e.active ? Why::Detail::MomentsDisabled : Why::Detail::Resigned));
                if (w.verdict == rl::kNotFriend) CHECK(t.data.relations[w.relation].deleted);
                if (w.verdict == rl::kNotInterested) CHECK(w.not_interested_until > result.send_time);
                if (w.verdict >= rl::kQuotaReasonBase) CHECK(int64_t(w.quota_used.size()) >= w.quota_limit);
            }
            tried_total += int64_t(tried_reasons.size());
            CHECK(tried_reasons == pair_reasons);
            CHECK(tried_employees == pair_employees);
            if (draft.kind != rl::Kind::GroupSend && !tried_reasons.empty())
                CHECK(verdict_from_pairs(tried_reasons) == result.verdict[c]);
        }
        // A group send reaches customers through groups: no relation is one of its pairs.
        if (draft.kind == rl::Kind::GroupSend) CHECK(tried_total == 0);
        else CHECK(tried_total > 0);
    }
}

}  // namespace

TEST_CASE("explain_relations: on the worked examples and a generated tenant, tried relations are the draft's pairs",
          "[insight][relations]") {
    for (Tenant& t : example_tenants()) check_relation_explanations(t);
    Tenant g = generated_tenant("wecom-2025");
    check_relation_explanations(g);
}

TEST_CASE("explain_relations: one customer, a relation in every state, with the why of each", "[insight][relations]") {
    const th::Time now = th::local_time(2024, 3, 5, 8);  // a Tuesday
    json d = th::tenant(now);
    d["employees"] = json::array({th::employee("gone", {1}, false), th::employee("nomo", {1}, true, false), th::employee("del"),
                                  th::employee("other"), th::employee("ni"), th::employee("q"), th::employee("ok")});
    d["customers"].push_back(
        th::customer("c1", {th::relation("gone", 1), th::relation("nomo", 2), th::relation("del", 3, {}, true),
                            th::relation("other", 4), th::relation("ni", 5), th::relation("q", 6), th::relation("ok", 7)}));
    d["customers"].push_back(th::customer("c2", {th::relation("other", 1)}));
    d["deliveries"].push_back(th::delivery("c1", "q", now - th::kHour, "moment", "enterprise", "spring"));
    d["not_interested"].push_back(th::not_interested("c1", "ni", now - th::kDay));
    d["scheduled"].push_back(th::scheduled("sched1", "moment", "enterprise", now + th::kHour, {"q"}));
    const rl::Dataset data = th::dataset(d);
    const rl::Rules rules = th::rules(
        th::rules_doc({th::quota("q_week", "moment", "enterprise", 2, "week", "customer_sender")}, "each", "each", 168));
    const rl::Campaign draft =
        th::load(th::campaign("draft", "moment", "enterprise", now + 2 * th::kHour, {"gone", "nomo", "del", "ni", "q", "ok"}));
    rl::PreviewSession session(data, rules);
    const rl::PreviewResult result = session.preview(draft);
    REQUIRE(result.verdict[0] == rl::kReached);
    const std::vector<Why> why = rl::explain_relations(session, draft, 0);
    REQUIRE(why.size() == 7);
    CHECK(why[0].state == Why::State::Tried);
    CHECK(why[0].verdict == rl::kSenderInactive);
    CHECK(why[0].detail == Why::Detail::Resigned);
    CHECK(why[1].verdict == rl::kSenderInactive);
    CHECK(why[1].detail == Why::Detail::MomentsDisabled);
    CHECK(why[2].verdict == rl::kNotFriend);
    CHECK(why[3].state == Why::State::NotSelected);
    CHECK(why[4].verdict == rl::kNotInterested);
    CHECK(why[4].not_interested_until == now - th::kDay + 168 * th::kHour);
    CHECK(why[5].verdict == rl::kQuotaReasonBase);
    CHECK(result.reason_label(why[5].verdict) == "quota:q_week");
    CHECK(why[5].quota_limit == 2);
    REQUIRE(why[5].quota_used.size() == 2);
    CHECK(why[5].quota_used[0].campaign_id == "spring");
    CHECK(why[5].quota_used[0].source == rl::CustomerEvent::Source::Past);
    CHECK(why[5].quota_used[1].campaign_id == "sched1");
    CHECK(why[5].quota_used[1].source == rl::CustomerEvent::Source::Scheduled);
    CHECK(why[5].quota_used[1].time == now + th::kHour);
    CHECK(why[6].state == Why::State::Tried);
    CHECK(why[6].verdict == rl::kReached);
    // c2's only relation is with an employee the draft does not select.
    const std::vector<Why> other = rl::explain_relations(session, draft, 1);
    REQUIRE(other.size() == 1);
    CHECK(other[0].state == Why::State::NotSelected);
    CHECK(rl::explain_relations(session, draft, 9).empty());
}

TEST_CASE("explain_relations: the live pairs multi_sender passes over say which rule picked another", "[insight][relations]") {
    const th::Time now = th::local_time(2024, 3, 5, 8);
    json d = th::tenant(now);
    d["employees"] = json::array({th::employee("a"), th::employee("b")});
    d["customers"].push_back(
        th::customer("c1", {th::relation("a", 1, {}, false, now - th::kDay), th::relation("b", 2, {}, false, now - th::kHour)}));
    const rl::Dataset data = th::dataset(d);
    const rl::Campaign draft = th::load(th::campaign("draft", "moment", "enterprise", now + th::kHour, {"a", "b"}));
    {
        rl::PreviewSession session(data, th::rules(th::rules_doc({}, "first_added")));
        const std::vector<Why> why = rl::explain_relations(session, draft, 0);
        REQUIRE(why.size() == 2);
        CHECK(why[0].verdict == rl::kReached);
        CHECK(why[1].verdict == rl::kDuplicate);
        CHECK(why[1].detail == Why::Detail::NotFirstAdded);
    }
    {
        rl::PreviewSession session(data, th::rules(th::rules_doc({}, "last_chat")));
        const std::vector<Why> why = rl::explain_relations(session, draft, 0);
        REQUIRE(why.size() == 2);
        CHECK(why[0].verdict == rl::kDuplicate);
        CHECK(why[0].detail == Why::Detail::NotLastChat);
        CHECK(why[1].verdict == rl::kReached);
    }
}
