// The timeline (contract 5.1): scheduled campaigns and the draft on one ledger, the
// impact of the draft on each scheduled campaign, and PreviewSession's cached baseline
// giving the same answers as fresh previews.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "generated_tenant.h"
#include "helpers.h"

using th::json;
using th::local_time;

namespace {

const th::Time now = local_time(2024, 3, 5, 8, 0, 0);
const th::Time T = local_time(2024, 3, 5, 12, 0, 0);  // the scheduled send time, same local day as now

// One sender a, customers c1..c3, quota q: 1 mass send a day per customer.
json base() {
    json d = th::tenant(now);
    d["employees"] = json::array({th::employee("a")});
    for (const char* c : {"c1", "c2", "c3"}) d["customers"].push_back(th::customer(c, {th::relation("a", 1)}));
    return d;
}

json day_rules() { return th::rules_doc({th::quota("q", "mass_send", "any", 1, "day")}); }

json draft_for(std::optional<th::Time> send_time, std::vector<std::string> customers, const std::string& id = "draft") {
    return th::with_filter(th::campaign(id, "mass_send", "enterprise", send_time), {{"customers", customers}});
}

struct Impact {
    std::string id;
    int64_t before, after;
    bool operator==(const Impact& o) const { return id == o.id && before == o.before && after == o.after; }
};
std::ostream& operator<<(std::ostream& os, const Impact& i) { return os << i.id << " " << i.before << "->" << i.after; }

std::vector<Impact> impact(const th::Run& r) {
    std::vector<Impact> out;
    for (const auto& e : r.summary["impact"])
        out.push_back(
            {e["campaign_id"].get<std::string>(), e["reached_before"].get<int64_t>(), e["reached_after"].get<int64_t>()});
    return out;
}

}  // namespace

TEST_CASE("impact: a draft before a scheduled campaign takes its quota, a draft after it does not", "[impact]") {
    json d = base();
    d["scheduled"] = json::array({th::scheduled("sched", "mass_send", "enterprise", T)});
    SECTION("draft one hour before: the scheduled campaign loses the two customers the draft reaches") {
        auto r = th::run(d, draft_for(T - 3600, {"c1", "c2"}), day_rules());
        CHECK(r.count("reached") == 2);
        CHECK(impact(r) == std::vector<Impact>{{"sched", 3, 1}});
    }
    SECTION("draft without send_time runs at now, before the scheduled campaign") {
        auto r = th::run(d, draft_for(std::nullopt, {"c1"}), day_rules());
        CHECK(r.summary["send_time"] == now);
        CHECK(r.count("reached") == 1);
        CHECK(impact(r) == std::vector<Impact>{{"sched", 3, 2}});
    }
    SECTION("draft one hour after: blocked by the scheduled campaign's deliveries, no impact") {
        auto r = th::run(d, draft_for(T + 3600, {"c1", "c2"}), day_rules());
        CHECK(r.outcome("c1") == "blocked quota:q");
        CHECK(r.outcome("c2") == "blocked quota:q");
        CHECK(impact(r) == std::vector<Impact>{{"sched", 3, 3}});
    }
    SECTION("same send_time: the scheduled campaign runs first, even when the draft's id sorts first") {
        for (const char* id : {"0-draft", "zz-draft"}) {
            INFO("draft id " << id);
            auto r = th::run(d, draft_for(T, {"c1", "c2"}, id), day_rules());
            CHECK(r.count("reached") == 0);
            CHECK(r.blocked() == std::map<std::string, int64_t>{{"quota:q", 2}});
            CHECK(impact(r) == std::vector<Impact>{{"sched", 3, 3}});
        }
    }
    SECTION("a draft of another kind leaves a mass-send quota alone") {
        auto r = th::run(d, th::campaign("m", "moment", "enterprise", T - 3600), day_rules());
        CHECK(r.count("reached") == 3);
        CHECK(impact(r) == std::vector<Impact>{{"sched", 3, 3}});
    }
}

TEST_CASE("impact: scheduled campaigns before now are not simulated and give a warning", "[impact]") {
    json d = base();
    d["scheduled"] = {th::scheduled("gone", "mass_send", "enterprise", now - 60),
                      th::scheduled("sched", "mass_send", "enterprise", T)};
    auto r = th::run(d, draft_for(now, {"c1", "c2", "c3"}), day_rules());
    // "gone" would have used today's quota of every customer; it is not simulated.
    CHECK(r.count("reached") == 3);
    CHECK(impact(r) == std::vector<Impact>{{"sched", 3, 0}});
    CHECK(r.summary["warnings"].size() >= 1);
    for (const auto& w : r.summary["warnings"]) {
        CHECK(w.contains("code"));
        CHECK(w.contains("message"));
    }
    SECTION("a scheduled campaign exactly at now is simulated") {
        d["scheduled"] = json::array({th::scheduled("at_now", "mass_send", "enterprise", now)});
        auto r2 = th::run(d, draft_for(now, {"c1"}), day_rules());
        CHECK(r2.outcome("c1") == "blocked quota:q");
        CHECK(impact(r2) == std::vector<Impact>{{"at_now", 3, 3}});
    }
}

TEST_CASE("impact: timeline order is send_time, then id bytewise", "[impact]") {
    json d = base();
    // Three at T (ids "b", "Z", "B": bytewise B < Z < b), one later with the smallest id.
    d["scheduled"] = {th::scheduled("b", "mass_send", "enterprise", T), th::scheduled("a", "mass_send", "enterprise", T + 60),
                      th::scheduled("Z", "mass_send", "enterprise", T), th::scheduled("B", "mass_send", "enterprise", T)};
    auto r = th::run(d, draft_for(now, {"c1"}), day_rules());
    // "B" runs first and uses every customer's quota of the day; the others reach nobody.
    CHECK(impact(r) == std::vector<Impact>{{"B", 3, 2}, {"Z", 0, 0}, {"b", 0, 0}, {"a", 0, 0}});
}

TEST_CASE("impact: a scheduled campaign's audience reads the ledger as it is when it starts", "[impact][expressions]") {
    json d = base();
    json recent = th::scheduled("follow_up", "mass_send", "enterprise", T);
    recent["audience"] = {{"filter", {{"received", {{"kind", "mass_send"}, {"within_days", 1}, {"min", 1}}}}}};
    d["scheduled"] = json::array({recent});
    auto no_quota = th::rules_doc(json::array());
    SECTION("the draft's delivery before it puts the customer in its audience") {
        auto r = th::run(d, draft_for(now, {"c1", "c2"}), no_quota);
        CHECK(impact(r) == std::vector<Impact>{{"follow_up", 0, 2}});
    }
    SECTION("a draft after it changes nothing") {
        auto r = th::run(d, draft_for(T + 1, {"c1", "c2"}), no_quota);
        CHECK(impact(r) == std::vector<Impact>{{"follow_up", 0, 0}});
    }
    SECTION("the draft's own audience sees deliveries of scheduled campaigns before it") {
        json d2 = base();
        d2["scheduled"] =
            json::array({th::with_filter(th::scheduled("first", "mass_send", "enterprise", T), {{"customers", {"c3"}}})});
        auto draft = th::with_filter(th::campaign("draft", "mass_send", "enterprise", T + 60),
                                     {{"received", {{"kind", "any"}, {"within_days", 1}, {"min", 1}}}});
        auto r = th::run(d2, draft, no_quota);
        CHECK(r.audience() == std::set<std::string>{"c3"});
    }
}

namespace {

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Drafts derived from a campaign document: other send times (around every scheduled
// campaign), the other kind and origin, no senders.
std::vector<json> variants(const json& campaign_doc, const json& dataset_doc) {
    std::vector<json> out{campaign_doc};
    std::vector<th::Time> times{dataset_doc["now"].get<th::Time>()};
    for (const auto& s : dataset_doc["scheduled"]) {
        th::Time st = s["send_time"].get<th::Time>();
        times.insert(times.end(), {st - 1, st, st + 1});
    }
    for (th::Time st : times) {
        json c = campaign_doc;
        c["send_time"] = st;
        out.push_back(c);
    }
    json other_kind = campaign_doc;
    other_kind["kind"] = campaign_doc["kind"] == "moment" ? "mass_send" : "moment";
    other_kind.erase("audience");
    out.push_back(other_kind);
    json everyone = campaign_doc;
    everyone.erase("senders");
    everyone["origin"] = "enterprise";
    out.push_back(everyone);
    return out;
}

void check_session_matches_fresh(const json& dataset_doc, const json& campaign_doc, const rl::Rules& rules) {
    rl::Dataset data = th::dataset(dataset_doc);
    rl::PreviewSession session(data, rules);
    auto drafts = variants(campaign_doc, dataset_doc);
    // Forward, backward, then forward again: the cache must not leak one draft into the next.
    std::vector<size_t> order;
    for (size_t i = 0; i < drafts.size(); ++i) order.push_back(i);
    for (size_t i = drafts.size(); i-- > 0;) order.push_back(i);
    for (size_t i = 0; i < drafts.size(); ++i) order.push_back(i);
    for (size_t i : order) {
        rl::Campaign draft = th::load(drafts[i]);
        rl::PreviewResult from_session = session.preview(draft);
        rl::PreviewResult fresh = rl::run_preview(data, draft, rules);
        INFO("draft variant " << i << ": " << drafts[i].dump().substr(0, 300));
        CHECK(rl::summary_json(data, from_session).dump() == rl::summary_json(data, fresh).dump());
        CHECK(rl::verdicts_csv(data, from_session) == rl::verdicts_csv(data, fresh));
    }
}

}  // namespace

TEST_CASE("PreviewSession: repeated previews of different drafts equal fresh run_preview calls", "[impact][session]") {
    SECTION("small tenant with scheduled campaigns") {
        json d = base();
        d["scheduled"] = {th::scheduled("s1", "mass_send", "enterprise", T),
                          th::scheduled("s2", "mass_send", "enterprise", T + 3600),
                          th::scheduled("gone", "mass_send", "enterprise", now - 1)};
        check_session_matches_fresh(d, draft_for(now, {"c1", "c2"}), th::rules(day_rules()));
    }
    SECTION("every golden example tenant") {
        const std::filesystem::path root = REACHLENS_EXAMPLES_DIR;
        REQUIRE(std::filesystem::is_directory(root));
        for (const auto& entry : std::filesystem::directory_iterator(root)) {
            if (!entry.is_directory() || entry.path().filename().string().rfind("case-", 0) != 0) continue;
            INFO(entry.path().filename().string());
            json d = json::parse(read_text(entry.path() / "dataset.json"));
            json c = json::parse(read_text(entry.path() / "campaign.json"));
            rl::Rules rules = std::filesystem::exists(entry.path() / "rules.json")
                                  ? rl::load_rules(read_text(entry.path() / "rules.json"), "rules.json")
                                  : rl::preset_rules("wecom-2020");
            check_session_matches_fresh(d, c, rules);
        }
    }
    SECTION("set_rules drops the cached baseline") {
        json d = base();
        d["scheduled"] = json::array({th::scheduled("s1", "mass_send", "enterprise", T)});
        rl::Dataset data = th::dataset(d);
        rl::PreviewSession session(data, th::rules(day_rules()));
        rl::Campaign draft = th::load(draft_for(T + 60, {"c1"}));
        CHECK(session.preview(draft).reached == 0);  // s1 used the day's quota
        rl::Rules open = th::rules(th::rules_doc(json::array()));
        session.set_rules(open);
        rl::PreviewResult after = session.preview(draft);
        CHECK(after.reached == 1);
        CHECK(rl::summary_json(data, after).dump() == rl::summary_json(data, rl::run_preview(data, draft, open)).dump());
    }
}

TEST_CASE("impact: ids compare bytewise, not by locale or signed chars", "[impact]") {
    json d = base();
    // At the same time: "A" < "a" < "z" < "中" bytewise. The first one takes the day's quota.
    d["scheduled"] = {th::scheduled("中", "mass_send", "enterprise", T), th::scheduled("z", "mass_send", "enterprise", T),
                      th::scheduled("a", "mass_send", "enterprise", T), th::scheduled("A", "mass_send", "enterprise", T)};
    auto r = th::run(d, draft_for(T + 1, {"c1"}), day_rules());
    CHECK(impact(r) == std::vector<Impact>{{"A", 3, 3}, {"a", 0, 0}, {"z", 0, 0}, {"中", 0, 0}});
    CHECK(r.outcome("c1") == "blocked quota:q");
}

TEST_CASE("impact: effects chain through the timeline (a blocked scheduled campaign frees quota for a later one)", "[impact]") {
    json d = th::tenant(now);
    d["employees"] = {th::employee("a"), th::employee("b")};
    d["customers"] = json::array({th::customer("c", {th::relation("a", 1), th::relation("b", 2)})});
    d["scheduled"] = {th::scheduled("s1-moment-by-a", "moment", "enterprise", T, {"a"}),
                      th::scheduled("s2-mass-by-a", "mass_send", "enterprise", T + 60, {"a"})};
    // qm: one moment a day per customer; qa: one anything a day per customer and sender.
    json rules =
        th::rules_doc({th::quota("qm", "moment", "any", 1, "day"), th::quota("qa", "any", "any", 1, "day", "customer_sender")});
    SECTION("without the draft s1 posts and s2 is blocked by qa; the draft's post by b blocks s1, so s2 goes out") {
        auto r = th::run(d, th::campaign("draft", "moment", "enterprise", now, {"b"}), rules);
        CHECK(r.outcome("c") == "reached via b");
        CHECK(impact(r) == std::vector<Impact>{{"s1-moment-by-a", 1, 0}, {"s2-mass-by-a", 0, 1}});
    }
    SECTION("a draft between them changes only what comes after it") {
        auto r = th::run(d, th::campaign("draft", "mass_send", "enterprise", T + 30, {"b"}), rules);
        CHECK(r.outcome("c") == "reached via b");  // qa counts per sender: a's post does not block b
        CHECK(impact(r) == std::vector<Impact>{{"s1-moment-by-a", 1, 1}, {"s2-mass-by-a", 0, 0}});
    }
}

TEST_CASE("impact: scheduled campaigns' reach equals each customer's whole timeline played in full", "[impact][generated]") {
    // The baseline plays a customer for a scheduled campaign only when the clauses that read no
    // ledger admit it; trace_customer plays every campaign for every customer without shortcuts.
    json d = json::parse(th::read_text(th::generated_dir() / "dataset.json"));
    const th::Time now_g = d["now"].get<th::Time>(), day = 86400;
    const json& relation = d["customers"][0]["follow_user"][0];
    std::string shapes = R"([
        {"not": {"any": [{"received": {"kind": "any", "within_days": 2, "min": 1}}, {"tags_any": ["TAG"]}]}},
        {"any": [{"received": {"kind": "moment", "within_days": 3, "min": 1}}, {"gender": 1}]},
        {"all": [{"owner": ["OWNER"]}, {"not": {"received": {"kind": "any", "within_days": 1, "min": 1}}}]},
        {"not": {"all": [{"tags_any": ["TAG"]}, {"not": {"received": {"kind": "moment", "within_days": 5, "min": 1}}}]}}
    ])";
    for (auto [key, value] : {std::pair{std::string("TAG"), relation["tag_id"][0].get<std::string>()},
                              std::pair{std::string("OWNER"), relation["userid"].get<std::string>()}})
        for (size_t at; (at = shapes.find(key)) != std::string::npos;) shapes.replace(at, key.size(), value);
    const json filters = json::parse(shapes);
    for (size_t i = 0; i < filters.size(); ++i) {  // after the generated ones, which end before now + 7 days
        json c = th::with_filter(
            th::scheduled("ledger-" + std::to_string(i), "mass_send", "enterprise", now_g + 7 * day + i * 3600), filters[i]);
        c["senders"]["department_list"] = {1};
        d["scheduled"].push_back(c);
    }
    const rl::Dataset data = th::dataset(d);
    const rl::Rules rules = rl::preset_rules("wecom-2025");
    const th::Time draft_time = now_g + 6 * day + 12 * 3600;  // seen by every `received` window above
    json moment = th::campaign("moment", "moment", "enterprise", draft_time), mass = moment, nobody = moment;
    moment["senders"]["department_list"] = {1};
    mass["kind"] = "mass_send";
    mass["senders"]["department_list"] = {1};
    nobody = th::with_filter(mass, {{"customers", json::array()}});
    rl::PreviewSession session(data, rules);
    for (const json& doc : {moment, mass, nobody}) {
        INFO(doc["id"].get<std::string>() << " " << doc["kind"].get<std::string>());
        const rl::Campaign draft = th::load(doc);
        const rl::PreviewResult result = session.preview(draft);
        std::map<std::string, int64_t> traced;
        for (uint32_t c = 0; c < data.customer_count(); ++c)
            for (const rl::PlayedCampaign& p : session.trace_customer(draft, c))
                if (!p.draft && p.verdict == rl::kReached) ++traced[p.campaign->id];
        int64_t ledger_reach = 0;
        for (const rl::ImpactEntry& e : result.impact) {
            if (e.campaign_id.rfind("ledger-", 0) == 0) ledger_reach += e.reached_after;
            if (data.scheduled[*data.find_scheduled(e.campaign_id)].kind == rl::Kind::GroupSend) continue;
            CHECK(e.reached_after == traced[e.campaign_id]);
        }
        CHECK(ledger_reach > 0);
    }
}
