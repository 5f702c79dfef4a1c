// Reconciliation with WeCom's results (contract section 7): results made from the engine's
// own verdicts agree with it completely; k customers answered otherwise give exactly k
// disagreements in their cells; results made under another rules profile make that profile
// rank first; each row of the outcome precedence (7.2); and bad results files.
#include <algorithm>
#include <filesystem>

#include "core/reconcile/reconcile.h"
#include "tools/results_synth.h"
#include "generated_tenant.h"
#include "helpers.h"

namespace fs = std::filesystem;
using th::json;
using th::kDay;
using th::kHour;
using th::local_time;

namespace {

rl::Results results(const rl::Dataset& data, const json& doc) { return rl::load_results(doc.dump(), "results.json", data); }

// Sat 2026-12-26 10:00 local: a 31-day month, the week Mon 21 - Sun 27.
const th::Time kSend = local_time(2026, 12, 26, 10);

// One enterprise mass send to six customers whose histories each trip exactly one of the
// mass-send settings rules_fit tries, plus a deleted friend and a resigned sender.
json caps_tenant() {
    json d = th::tenant(kSend - kHour);
    d["employees"] = json::array({th::employee("u1"), th::employee("u2", {1}, false)});
    const th::Time added = local_time(2026, 1, 1);
    auto cust = [&](const std::string& id, const std::string& userid = "u1", bool deleted = false) {
        d["customers"].push_back(th::customer(id, {th::relation(userid, added, {}, deleted)}));
    };
    for (const char* id : {"a_week7", "b_today1", "c_ent4", "d_month32", "e_fresh", "e_fresh2"}) cust(id);
    cust("f_deleted", "u1", true);
    cust("g_resigned", "u2");
    auto& dl = d["deliveries"];
    // a: 7 employee mass sends this week (21st-25th), none today.
    for (int day : {21, 21, 22, 22, 23, 24, 25})
        dl.push_back(th::delivery("a_week7", "u1", local_time(2026, 12, day, 15), "mass_send", "employee"));
    // b: one employee mass send earlier today.
    dl.push_back(th::delivery("b_today1", "u1", local_time(2026, 12, 26, 8), "mass_send", "employee"));
    // c: 4 enterprise mass sends this month, before this week.
    for (int day : {1, 5, 9, 13}) dl.push_back(th::delivery("c_ent4", "u1", local_time(2026, 12, day, 15)));
    // d: 32 employee mass sends this month, before this week.
    for (int day = 1; day <= 16; ++day)
        for (int h : {11, 16})
            dl.push_back(th::delivery("d_month32", "u1", local_time(2026, 12, day, h), "mass_send", "employee"));
    return d;
}

json caps_campaign() { return th::campaign("promo", "mass_send", "enterprise", kSend); }

const rl::RulesCandidate& candidate(const std::vector<rl::RulesCandidate>& all, const std::string& name) {
    for (const rl::RulesCandidate& c : all)
        if (c.rules.name == name) return c;
    FAIL("no rules candidate " << name);
    return all.front();
}

int64_t cell(const rl::Reconciliation& r, const std::string& predicted, rl::Actual actual) {
    int64_t n = 0;
    for (size_t code = 0; code < r.matrix.size(); ++code)
        if (r.preview.reason_labels[code] == predicted) n += r.matrix[code][size_t(actual)];
    return n;
}

// The results a campaign would get had it gone out exactly as previewed under `rules`.
json exact_results(const rl::Dataset& data, const rl::Campaign& c, const rl::Rules& rules, const rl::ResultsDeviation& dev = {},
                   size_t page_rows = 7) {
    rl::PreviewSession session(data, rules);
    rl::PreviewResult p = session.preview(c);
    return rl::results_from_preview(session, c, p, dev, page_rows);
}

struct Generated {
    rl::Dataset data;
    std::vector<rl::Campaign> drafts;
};

const Generated& generated() {
    static const Generated g = [] {
        Generated out;
        const fs::path& dir = th::generated_dir();
        out.data = rl::load_dataset(th::read_text(dir / "dataset.json"), "dataset.json");
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(dir / "campaigns")) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const fs::path& f : files) out.drafts.push_back(rl::load_campaign(th::read_text(f), f.string()));
        return out;
    }();
    return g;
}

}  // namespace

TEST_CASE("reconcile: results made from the engine's own verdicts agree completely", "[reconcile]") {
    SECTION("every rules profile rules_fit tries, on the caps tenant") {
        rl::Dataset data = th::dataset(caps_tenant());
        rl::Campaign c = th::load(caps_campaign());
        for (const rl::RulesCandidate& cand : rl::rules_fit_candidates(rl::preset_rules("wecom-2020"))) {
            INFO("rules " << cand.rules.name);
            rl::Reconciliation r = rl::reconcile(data, c, cand.rules, results(data, exact_results(data, c, cand.rules)));
            CHECK(r.disagree == 0);
            CHECK(r.agree == 7);  // every customer but the resigned sender's (no task, no row)
            CHECK(r.accuracy == 1.0);
            CHECK(cell(r, "sender_inactive", rl::Actual::Unknown) == 1);
            CHECK(cell(r, "not_friend", rl::Actual::FailedNotFriend) == 1);
            CHECK(r.outside_audience_rows == 0);
        }
    }
    SECTION("every draft of a generated tenant, moments and mass sends") {
        const Generated& g = generated();
        rl::Rules rules = rl::preset_rules("wecom-2020");
        for (const rl::Campaign& c : g.drafts) {
            if (c.kind == rl::Kind::GroupSend) continue;  // contract 7 reconciles customer campaigns only
            INFO("draft " << c.id);
            rl::Reconciliation r = rl::reconcile(g.data, c, rules, results(g.data, exact_results(g.data, c, rules, {}, 500)));
            CHECK(r.disagree == 0);
            CHECK(r.accuracy == 1.0);
            CHECK(r.agree > 0);
            // Every reached customer is delivered; a moment's blocked ones are hidden.
            CHECK(cell(r, "reached", rl::Actual::Delivered) == r.preview.reached);
            if (c.kind == rl::Kind::Moment) CHECK(r.agree == r.preview.audience);
            for (const rl::SenderExecution& s : r.senders) CHECK(s.executed == s.tasks);
        }
    }
}

TEST_CASE("reconcile: k customers answered otherwise give exactly k disagreements in their cells", "[reconcile]") {
    SECTION("mass send: reached ones failed for quota, quota-blocked ones delivered") {
        rl::Dataset data = th::dataset(caps_tenant());
        rl::Campaign c = th::load(caps_campaign());
        rl::Rules rules = rl::preset_rules("wecom-2020");
        rl::ResultsDeviation dev;
        dev.flip_customer.assign(data.customer_count(), 0);
        for (const char* id : {"e_fresh", "e_fresh2", "a_week7", "c_ent4"}) dev.flip_customer[data.customer_ids.find(id)] = 1;
        rl::Reconciliation r = rl::reconcile(data, c, rules, results(data, exact_results(data, c, rules, dev)));
        CHECK(r.disagree == 4);
        CHECK(r.agree == 3);
        CHECK(cell(r, "reached", rl::Actual::FailedQuota) == 3);  // e_fresh, e_fresh2, a_week7
        CHECK(cell(r, "quota:mass_send_enterprise_month", rl::Actual::Delivered) == 1);  // c_ent4
        CHECK(r.accuracy == Approx(3.0 / 7.0));
    }
    SECTION("generated tenant: every draft, k reached and k blocked customers flipped") {
        const Generated& g = generated();
        rl::Rules rules = rl::preset_rules("wecom-2020");
        for (const rl::Campaign& c : g.drafts) {
            if (c.kind == rl::Kind::GroupSend) continue;  // contract 7 reconciles customer campaigns only
            INFO("draft " << c.id);
            rl::PreviewSession session(g.data, rules);
            rl::PreviewResult p = session.preview(c);
            const bool moment = c.kind == rl::Kind::Moment;
            rl::ResultsDeviation dev;
            dev.flip_customer.assign(g.data.customer_count(), 0);
            std::map<std::string, int64_t> flipped_blocked;  // reason -> customers
            int64_t flipped_reached = 0;
            // Blocked customers a flip can deliver: a moment's with a picked sender (not
            // interested, quota), a mass send's with a row (quota, policy, not a friend).
            auto flippable = [&](uint16_t v) {
                if (moment) return v == rl::kNotInterested || v >= rl::kQuotaReasonBase;
                return v == rl::kNotFriend || v >= rl::kQuotaReasonBase;
            };
            const int k = 5;
            for (uint32_t cu = 0; cu < g.data.customer_count(); ++cu) {
                const uint16_t v = p.verdict[cu];
                if (v == rl::kReached && flipped_reached < k) {
                    dev.flip_customer[cu] = 1;
                    ++flipped_reached;
                } else if (v != rl::kReached && v != rl::kNotInAudience && flippable(v) &&
                           flipped_blocked[p.reason_label(v)] < 2) {
                    dev.flip_customer[cu] = 1;
                    ++flipped_blocked[p.reason_label(v)];
                }
            }
            int64_t total_blocked = 0;
            for (auto& [reason, n] : flipped_blocked) total_blocked += n;
            rl::Reconciliation r =
                rl::reconcile(g.data, c, rules, results(g.data, rl::results_from_preview(session, c, p, dev, 400)));
            CHECK(r.disagree == flipped_reached + total_blocked);
            CHECK(cell(r, "reached", moment ? rl::Actual::Hidden : rl::Actual::FailedQuota) == flipped_reached);
            for (auto& [reason, n] : flipped_blocked) CHECK(cell(r, reason, rl::Actual::Delivered) == n);
        }
    }
}

TEST_CASE("reconcile: results made under another rules profile rank it first in rules_fit", "[reconcile]") {
    rl::Dataset data = th::dataset(caps_tenant());
    rl::Campaign c = th::load(caps_campaign());
    const auto candidates = rl::rules_fit_candidates(rl::preset_rules("wecom-2020"));
    for (const char* real : {"wecom-2020", "wecom-2025", "wecom-2025/mass_send_7_a_week"}) {
        for (const char* given : {"wecom-2020", "wecom-2021"}) {
            INFO("results under " << real << ", previewed under " << given);
            rl::Reconciliation r = rl::reconcile(data, c, rl::preset_rules(given),
                                                 results(data, exact_results(data, c, candidate(candidates, real).rules)));
            REQUIRE(r.rules_fit.size() >= 2);
            CHECK(r.rules_fit[0].rules == real);
            CHECK(r.rules_fit[0].accuracy == 1.0);
            CHECK(r.rules_fit[1].accuracy < 1.0);  // the caps tenant tells each setting apart
            if (std::string(real) == given) CHECK(r.rules_fit[0].setting == "given");
        }
    }
    SECTION("wecom-2021 and the 1-a-day setting tell the same story here: both rank first") {
        rl::Reconciliation r = rl::reconcile(data, c, rl::preset_rules("wecom-2020"),
                                             results(data, exact_results(data, c, rl::preset_rules("wecom-2021"))));
        CHECK(r.rules_fit[0].accuracy == 1.0);
        CHECK(r.rules_fit[1].accuracy == 1.0);
        std::set<std::string> top = {r.rules_fit[0].rules, r.rules_fit[1].rules};
        CHECK(top == std::set<std::string>{"wecom-2021", "wecom-2025/mass_send_1_a_day"});
        CHECK(r.rules_fit[2].accuracy < 1.0);
    }
}

namespace {

json send_result(const std::string& userid, std::vector<json> rows) {
    return {{"api", "externalcontact/get_groupmsg_send_result"},
            {"request", {{"msgid", "m1"}, {"userid", userid}}},
            {"body", {{"errcode", 0}, {"errmsg", "ok"}, {"detail_list", json(std::move(rows))}, {"next_cursor", ""}}}};
}
json row(const std::string& ext, const std::string& userid, int status) {
    return {{"external_userid", ext}, {"userid", userid}, {"status", status}};
}
json results_doc(const std::string& campaign_id, std::vector<json> responses) {
    return {{"format", "reachlens.results/1"}, {"campaign_id", campaign_id}, {"responses", json(std::move(responses))}};
}

// Five customers each related to u1 and u2 (mass send to both: each pair is a task).
json two_sender_tenant() {
    json d = th::tenant(kSend - kHour);
    d["employees"] = json::array({th::employee("u1"), th::employee("u2")});
    for (const char* id : {"c1", "c2", "c3", "c4", "c5", "c6"})
        d["customers"].push_back(
            th::customer(id, {th::relation("u1", local_time(2026, 1, 1)), th::relation("u2", local_time(2026, 1, 2))}));
    return d;
}

}  // namespace

TEST_CASE("reconcile: the actual outcome takes the first row of 7.2 that holds", "[reconcile]") {
    SECTION("mass send rows") {
        rl::Dataset data = th::dataset(two_sender_tenant());
        rl::Campaign c = th::load(caps_campaign());
        json doc = results_doc(
            "promo", {send_result("u1", {row("c1", "u1", 3), row("c2", "u1", 2), row("c3", "u1", 0), row("c4", "u1", 0)}),
                      send_result("u2", {row("c1", "u2", 1), row("c2", "u2", 3), row("c3", "u2", 2), row("c6", "u2", 0)})});
        rl::Reconciliation r = rl::reconcile(data, c, rl::preset_rules("wecom-2020"), results(data, doc));
        auto actual = [&](const char* id) { return static_cast<rl::Actual>(r.actual[data.customer_ids.find(id)]); };
        CHECK(actual("c1") == rl::Actual::Delivered);  // 1 beats 3
        CHECK(actual("c2") == rl::Actual::FailedQuota);  // 3 beats 2
        CHECK(actual("c3") == rl::Actual::FailedNotFriend);  // 2 beats 0
        CHECK(actual("c4") == rl::Actual::NotExecuted);  // only 0
        CHECK(actual("c5") == rl::Actual::Unknown);  // no row
        CHECK(actual("c6") == rl::Actual::NotExecuted);
        // All six predicted reached: delivered agrees, failed_* disagree, the rest left out.
        CHECK(r.agree == 1);
        CHECK(r.disagree == 2);
        CHECK(cell(r, "reached", rl::Actual::NotExecuted) == 2);  // c4, c6
        CHECK(cell(r, "reached", rl::Actual::Unknown) == 1);
        // Tasks: u1 had 4 and sent 2 (a failed send was sent); u2 had 4 and sent 3.
        REQUIRE(r.senders.size() == 2);
        CHECK(r.senders[0].userid == "u1");
        CHECK(r.senders[0].tasks == 4);
        CHECK(r.senders[0].executed == 2);
        CHECK(r.senders[1].tasks == 4);
        CHECK(r.senders[1].executed == 3);
    }
    SECTION("moment answers") {
        json d = two_sender_tenant();
        d["not_interested"].push_back(th::not_interested("c5", "u1", kSend - 2 * kDay));
        rl::Dataset data = th::dataset(d);
        // Moment, first_added: u1 is every customer's picked sender.
        json cdoc = th::campaign("post", "moment", "enterprise", kSend, {"u1", "u2"});
        rl::Campaign c = th::load(cdoc);
        auto task = [](std::vector<json> tasks) {
            return json{{"api", "externalcontact/get_moment_task"},
                        {"request", {{"moment_id", "mo"}}},
                        {"body", {{"errcode", 0}, {"task_list", json(std::move(tasks))}}}};
        };
        auto seen_by = [](const std::string& userid, std::vector<std::string> ids) {
            json list = json::array();
            for (auto& id : ids) list.push_back({{"external_userid", id}});
            return json{{"api", "externalcontact/get_moment_send_result"},
                        {"request", {{"moment_id", "mo"}, {"userid", userid}}},
                        {"body", {{"errcode", 0}, {"customer_list", list}}}};
        };
        rl::Rules rules = rl::preset_rules("wecom-2020");
        SECTION("u1 did not publish") {
            json doc =
                results_doc("post", {task({{{"userid", "u1"}, {"publish_status", 0}}, {{"userid", "u2"}, {"publish_status", 1}}}),
                                     seen_by("u2", {"c1"})});
            rl::Reconciliation r = rl::reconcile(data, c, rules, results(data, doc));
            auto actual = [&](const char* id) { return static_cast<rl::Actual>(r.actual[data.customer_ids.find(id)]); };
            CHECK(actual("c1") == rl::Actual::Delivered);  // in a customer_list, whatever the task says
            CHECK(actual("c2") == rl::Actual::NotExecuted);  // its picked sender u1 did not publish
            CHECK(actual("c5") == rl::Actual::NotExecuted);  // blocked (not interested) but u1 was still its picked sender
            CHECK(cell(r, "not_interested", rl::Actual::NotExecuted) == 1);
            CHECK(r.agree == 1);
            CHECK(r.disagree == 0);
            REQUIRE(r.senders.size() == 2);
            CHECK(r.senders[0].userid == "u1");
            CHECK(r.senders[0].tasks == 6);
            CHECK(r.senders[0].executed == 0);
            CHECK(r.senders[1].tasks == 0);  // picked for nobody under first_added
        }
        SECTION("u1 published") {
            json doc = results_doc("post", {task({{{"userid", "u1"}, {"publish_status", 1}}}), seen_by("u1", {"c1", "c2"})});
            rl::Reconciliation r = rl::reconcile(data, c, rules, results(data, doc));
            auto actual = [&](const char* id) { return static_cast<rl::Actual>(r.actual[data.customer_ids.find(id)]); };
            CHECK(actual("c1") == rl::Actual::Delivered);
            CHECK(actual("c3") == rl::Actual::Hidden);  // published, not shown
            CHECK(actual("c5") == rl::Actual::Hidden);
            CHECK(cell(r, "reached", rl::Actual::Hidden) == 3);  // c3, c4, c6: disagree
            CHECK(cell(r, "not_interested", rl::Actual::Hidden) == 1);  // c5: agrees
            CHECK(r.agree == 3);
            CHECK(r.disagree == 3);
            CHECK(r.senders[0].executed == 6);
        }
        SECTION("no get_moment_task answer: nobody is hidden, only unknown") {
            json doc = results_doc("post", {seen_by("u1", {"c1"})});
            rl::Reconciliation r = rl::reconcile(data, c, rules, results(data, doc));
            CHECK(static_cast<rl::Actual>(r.actual[data.customer_ids.find("c3")]) == rl::Actual::Unknown);
            CHECK(r.agree == 1);
            CHECK(r.disagree == 0);
        }
    }
}

TEST_CASE("reconcile: rows about customers outside the audience are counted apart", "[reconcile]") {
    json d = two_sender_tenant();
    rl::Dataset data = th::dataset(d);
    json cdoc = th::with_filter(caps_campaign(), {{"customers", {"c1", "c2"}}});
    rl::Campaign c = th::load(cdoc);
    json doc = results_doc(
        "promo",
        {send_result("u1", {row("c1", "u1", 1), row("c3", "u1", 1), row("stranger", "u1", 1), row("stranger", "u1", 3)})});
    rl::Reconciliation r = rl::reconcile(data, c, rl::preset_rules("wecom-2020"), results(data, doc));
    CHECK(r.preview.audience == 2);
    CHECK(r.outside_audience_rows == 3);
    CHECK(r.outside_audience_customers == 2);
    CHECK(r.agree == 1);
    CHECK(cell(r, "reached", rl::Actual::Unknown) == 1);  // c2
    auto out = rl::reconcile_json(data, r);
    CHECK(out["outside_audience"] == 3);
    CHECK(out["matrix"]["reached"]["delivered"] == 1);
    CHECK(out["format"] == "reachlens.reconcile/1");
}

TEST_CASE("reconcile: bad results files name the response and row", "[reconcile][invalid]") {
    rl::Dataset data = th::dataset(two_sender_tenant());
    rl::Campaign c = th::load(caps_campaign());
    std::vector<json> rows;
    for (int i = 0; i < 18; ++i) rows.push_back(row("c1", "u1", 1));
    auto pointer_of = [&](const json& doc) -> std::string {
        try {
            rl::Results res = results(data, doc);
            rl::reconcile(data, c, rl::preset_rules("wecom-2020"), res);
        } catch (const rl::InputError& e) {
            CHECK(e.file() == "results.json");
            return e.pointer();
        }
        return "(accepted)";
    };
    std::vector<json> ok = {send_result("u1", rows), send_result("u1", rows), send_result("u2", rows), send_result("u2", rows)};
    SECTION("a WeCom error body") {
        auto responses = ok;
        responses[3]["body"] = {{"errcode", 45009}, {"errmsg", "api freq out of limit"}};
        CHECK(pointer_of(results_doc("promo", responses)) == "/responses/3");
        try {
            results(data, results_doc("promo", responses));
        } catch (const rl::InputError& e) { CHECK_THAT(e.problem(), Catch::Contains("45009")); }
    }
    SECTION("malformed rows") {
        auto responses = ok;
        responses[3]["body"]["detail_list"][17].erase("status");
        CHECK(pointer_of(results_doc("promo", responses)) == "/responses/3/body/detail_list/17/status");
        responses = ok;
        responses[3]["body"]["detail_list"][17]["status"] = "1";
        CHECK(pointer_of(results_doc("promo", responses)) == "/responses/3/body/detail_list/17/status");
        responses = ok;
        responses[3]["body"]["detail_list"][17]["status"] = 4;
        CHECK(pointer_of(results_doc("promo", responses)) == "/responses/3/body/detail_list/17/status");
        responses = ok;
        responses[3]["body"]["detail_list"][17] = "c1";
        CHECK(pointer_of(results_doc("promo", responses)) == "/responses/3/body/detail_list/17");
        responses = ok;
        responses[2]["body"].erase("detail_list");
        CHECK(pointer_of(results_doc("promo", responses)) == "/responses/2/body/detail_list");
        responses = ok;
        responses[1].erase("api");
        CHECK(pointer_of(results_doc("promo", responses)) == "/responses/1/api");
    }
    SECTION("another campaign's results, or another kind's API") {
        CHECK(pointer_of(results_doc("not-this-one", ok)) == "/campaign_id");
        rl::Campaign moment = th::load(th::campaign("promo", "moment", "enterprise", kSend));
        try {
            rl::reconcile(data, moment, rl::preset_rules("wecom-2020"), results(data, results_doc("promo", ok)));
            FAIL("accepted a mass send's answers for a moment");
        } catch (const rl::InputError& e) { CHECK(e.pointer() == "/responses/0/api"); }
    }
    SECTION("not results at all") {
        json doc = results_doc("promo", ok);
        doc["format"] = "reachlens.preview/1";
        CHECK(pointer_of(doc) == "/format");
        CHECK_THROWS_AS(rl::load_results("{\"format\":\"reachlens.results/1\",", "results.json", data), rl::InputError);
        CHECK_THROWS_AS(rl::load_results("{\"format\":\"reachlens.results/1\",\"format\":\"x\"}", "results.json", data),
                        rl::InputError);
    }
    SECTION("an unknown api is ignored with a warning") {
        auto responses = ok;
        responses.insert(responses.begin() + 1, json{{"api", "externalcontact/get_groupmsg_task"},
                                                     {"request", json::object()},
                                                     {"body", {{"errcode", 0}, {"task_list", json::array()}}}});
        rl::Results res = results(data, results_doc("promo", responses));
        REQUIRE(res.warnings.size() == 1);
        CHECK_THAT(res.warnings[0].message, Catch::Contains("/responses/1"));
        rl::Reconciliation r = rl::reconcile(data, c, rl::preset_rules("wecom-2020"), res);
        CHECK(r.warnings.size() == 1);
        CHECK(r.agree == 1);
    }
}

TEST_CASE("reconcile: an accepted campaign scheduled under another id is left off the timeline, once", "[reconcile]") {
    // serve.py schedules an accepted campaign whose id was taken (here by another campaign
    // "promo") as "promo#cmp_1". Reconciling "promo" must leave off that entry, not the other
    // campaign: else the campaign is played twice (scheduled, then as the draft, whose checks
    // then count its own deliveries) and the other campaign vanishes.
    rl::Rules rules = rl::preset_rules("wecom-2020");
    json accepted = th::scheduled("promo#cmp_1", "mass_send", "enterprise", kSend);
    json other = th::scheduled("promo", "mass_send", "enterprise", kSend + 2 * kDay);
    json plain = caps_tenant();
    plain["scheduled"] = json::array({other});
    json renamed = caps_tenant();
    renamed["scheduled"] = json::array({other, accepted});
    const rl::Dataset expected_data = th::dataset(plain), data = th::dataset(renamed);
    rl::Campaign c = th::load(caps_campaign());
    const json doc = exact_results(expected_data, c, rules);
    const rl::Reconciliation expected = rl::reconcile(expected_data, c, rules, results(expected_data, doc));
    REQUIRE(expected.agree > 0);
    const rl::Reconciliation r = rl::reconcile(data, c, rules, results(data, doc), "promo#cmp_1");
    CHECK(r.preview.reached == expected.preview.reached);
    CHECK(r.matrix == expected.matrix);
    CHECK(r.agree == expected.agree);
    CHECK(r.disagree == expected.disagree);
    REQUIRE(r.preview.impact.size() == 1);  // "promo" (the other one) stays on the timeline
    CHECK(r.preview.impact[0].campaign_id == "promo");
    // By its own id alone, the other campaign would go and this one count twice.
    const rl::Reconciliation twice = rl::reconcile(data, c, rules, results(data, doc));
    CHECK(twice.preview.impact.size() == 1);
    CHECK(twice.preview.impact[0].campaign_id == "promo#cmp_1");
    CHECK(twice.preview.impact[0].reached_before > 0);  // the campaign itself, still scheduled, reaches customers
}
