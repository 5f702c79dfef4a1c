// Customer-group sends (客户群群发, contract 8): groupchats and group deliveries in the
// dataset, kind "group_send" campaigns with a chat_list, per-group quotas, the simulation
// per group on the shared timeline, and the outputs per group (summary, verdict CSV,
// members_reached / members_multi, impact, add_msg_template bodies with chat_type "group").
#include "helpers.h"

#include "core/insight/insight.h"
#include "generated_tenant.h"

using th::json;
using th::local_time;
using th::ojson;

namespace {

const th::Time t = local_time(2026, 12, 10, 10, 0, 0);  // a Thursday; December has 31 days

json member_customer(const std::string& external_userid, th::Time join_time) {
    return {{"type", 2}, {"external_userid", external_userid}, {"join_time", join_time}};
}
json member_employee(const std::string& userid, th::Time join_time) {
    return {{"type", 1}, {"userid", userid}, {"join_time", join_time}};
}
json groupchat(const std::string& chat_id, const std::string& owner, int status = 0, std::vector<json> members = {}) {
    return {{"chat_id", chat_id}, {"name", "群 " + chat_id},           {"owner", owner},
            {"status", status},   {"create_time", t - 100 * th::kDay}, {"members", json(std::move(members))}};
}
json group_delivery(const std::string& chat_id, const std::string& userid, th::Time time,
                    const std::string& origin = "enterprise", const std::string& campaign_id = "past-group") {
    return {{"campaign_id", campaign_id}, {"kind", "group_send"}, {"origin", origin},
            {"chat_id", chat_id},         {"userid", userid},     {"time", time}};
}
json group_campaign(const std::string& id, std::vector<std::string> owners, std::optional<th::Time> send_time = t,
                    std::vector<std::string> chat_list = {}, const std::string& origin = "enterprise") {
    json c = th::campaign(id, "group_send", origin, send_time, std::move(owners));
    if (!chat_list.empty()) c["audience"] = {{"chat_list", chat_list}};
    return c;
}
json scheduled_group(const std::string& id, std::vector<std::string> owners, th::Time send_time,
                     std::vector<std::string> chat_list = {}) {
    json c = group_campaign(id, std::move(owners), send_time, std::move(chat_list));
    c.erase("format");
    return c;
}

// A tenant exported two days before t with owners o1, o2 (active), gone (resigned) and a
// customer per name given.
json tenant_with(std::vector<std::string> customers) {
    json d = th::tenant(t - 2 * th::kDay);
    d["employees"] = {th::employee("o1"), th::employee("o2"), th::employee("gone", {1}, false)};
    for (const std::string& c : customers) d["customers"].push_back(th::customer(c, {th::relation("o1", t - 50 * th::kDay)}));
    d["groupchats"] = json::array();
    return d;
}

struct GroupRun {
    rl::Dataset data;
    rl::Campaign draft;
    rl::PreviewResult result;
    ojson summary;
    std::vector<std::vector<std::string>> csv;  // header first
    std::map<std::string, th::Row> rows;  // by chat_id

    std::string outcome(const std::string& chat_id) const {
        auto it = rows.find(chat_id);
        if (it == rows.end()) return "not in audience";
        if (it->second.verdict == "reached") return "reached via " + it->second.via;
        return "blocked " + it->second.reason;
    }
    int64_t count(const char* field) const { return summary[field].get<int64_t>(); }
    std::map<std::string, int64_t> blocked() const { return th::Run::as_map(summary["blocked"]); }
    std::vector<std::string> error_codes() const {
        std::vector<std::string> out;
        for (const auto& e : summary["errors"]) out.push_back(e["code"].get<std::string>());
        return out;
    }
};

GroupRun run_group(const json& dataset_doc, const json& campaign_doc, const rl::Rules& rules) {
    GroupRun r{th::dataset(dataset_doc), th::load(campaign_doc), {}, {}, {}, {}};
    r.result = rl::run_preview(r.data, r.draft, rules);
    r.summary = rl::summary_json(r.data, r.result);
    r.csv = th::parse_csv(rl::verdicts_csv(r.data, r.result));
    REQUIRE(!r.csv.empty());
    REQUIRE(r.csv[0] == std::vector<std::string>{"chat_id", "verdict", "reason", "via"});
    for (size_t i = 1; i < r.csv.size(); ++i) {
        REQUIRE(r.csv[i].size() == 4);
        if (i > 1) CHECK(r.csv[i - 1][0] < r.csv[i][0]);  // sorted by chat_id bytewise
        r.rows[r.csv[i][0]] = th::Row{r.csv[i][1], r.csv[i][2], r.csv[i][3]};
    }
    th::check_summary_invariants(r.summary);
    return r;
}
GroupRun run_group(const json& dataset_doc, const json& campaign_doc, const char* preset = "wecom-2025") {
    return run_group(dataset_doc, campaign_doc, rl::preset_rules(preset));
}

}  // namespace

TEST_CASE("group send: audience is the selected owners' groups; status 1 and 2 or a resigned owner are sender_inactive",
          "[group_send]") {
    json d = tenant_with({"c1"});
    d["employees"].push_back(th::employee("idle"));
    d["groupchats"] = {groupchat("gA", "o1", 0), groupchat("gB", "o1", 1),   groupchat("gC", "o1", 2),
                       groupchat("gD", "o1", 3), groupchat("gE", "gone", 0), groupchat("gF", "o2", 0)};
    GroupRun r = run_group(d, group_campaign("draft", {"o1", "gone", "idle"}));
    CHECK(r.outcome("gA") == "reached via o1");
    CHECK(r.outcome("gB") == "blocked sender_inactive");  // owner resigned, awaiting a new owner
    CHECK(r.outcome("gC") == "blocked sender_inactive");  // being transferred
    CHECK(r.outcome("gD") == "reached via o1");  // transferred: o1 is the new owner
    CHECK(r.outcome("gE") == "blocked sender_inactive");  // the owner resigned
    CHECK(r.outcome("gF") == "not in audience");  // o2 is not selected
    CHECK(r.count("audience") == 5);
    CHECK(r.count("reached") == 2);
    CHECK(r.count("deliveries") == 2);
    CHECK(r.blocked() == std::map<std::string, int64_t>{{"sender_inactive", 3}});
    REQUIRE(r.summary["senders"].size() == 3);  // every selected sender, sorted by userid
    CHECK(r.summary["senders"][0]["userid"] == "gone");
    CHECK(r.summary["senders"][0]["pairs"] == 1);
    CHECK(r.summary["senders"][1]["userid"] == "idle");  // owns no group: 0 pairs
    CHECK(r.summary["senders"][1]["pairs"] == 0);
    CHECK(r.summary["senders"][2]["userid"] == "o1");
    CHECK(r.summary["senders"][2]["pairs"] == 4);
    CHECK(r.summary["senders"][2]["deliveries"] == 2);
    CHECK(th::Run::as_map(r.summary["senders"][2]["blocked"]) == std::map<std::string, int64_t>{{"sender_inactive", 2}});
    CHECK(r.summary["senders"][2]["requires_confirmation"] == true);
    CHECK(r.error_codes().empty());

    SECTION("every employee when senders are empty: o2's group joins the audience") {
        GroupRun all = run_group(d, group_campaign("draft", {}));
        CHECK(all.count("audience") == 6);
        CHECK(all.outcome("gF") == "reached via o2");
    }
    SECTION("origin employee with one owner needs no confirmation") {
        GroupRun one = run_group(d, group_campaign("draft", {"o1"}, t, {}, "employee"));
        CHECK(one.error_codes().empty());
        CHECK(one.summary["senders"][0]["requires_confirmation"] == false);
        GroupRun two = run_group(d, group_campaign("draft", {"o1", "o2"}, t, {}, "employee"));
        CHECK(two.error_codes() == std::vector<std::string>{"senders.employee_origin_needs_one"});
    }
}

TEST_CASE("group send: chat_list restricts the audience; unknown chat ids are campaign errors, one per id", "[group_send]") {
    json d = tenant_with({});
    d["groupchats"] = {groupchat("gA", "o1"), groupchat("gB", "o1"), groupchat("gC", "o1"), groupchat("gF", "o2")};
    GroupRun r = run_group(d, group_campaign("draft", {"o1"}, t, {"gC", "ghost", "gF", "ghost", "gA", "幽灵"}));
    CHECK(r.error_codes() == std::vector<std::string>{"campaign.unknown_chat", "campaign.unknown_chat"});
    CHECK(r.summary["submittable"] == false);
    CHECK(r.outcome("gA") == "reached via o1");
    CHECK(r.outcome("gB") == "not in audience");  // not listed
    CHECK(r.outcome("gC") == "reached via o1");
    CHECK(r.outcome("gF") == "not in audience");  // listed, but o2 is not a selected sender
    CHECK(r.count("audience") == 2);
    const auto& errors = r.result.errors;
    CHECK(errors[0].pointer == "/audience/chat_list/1");
    CHECK(errors[1].pointer == "/audience/chat_list/5");

    SECTION("an empty chat_list is every group of the owners") {
        json c = group_campaign("draft", {"o1"});
        c["audience"] = {{"chat_list", json::array()}};
        CHECK(run_group(d, c).count("audience") == 3);
    }
    SECTION("tag_list or filter on a group send is audience.filter_not_supported, and ignored") {
        json c = group_campaign("draft", {"o1"});
        c["audience"] = {{"tag_list", {"t1"}}, {"filter", {{"gender", 1}}}};
        GroupRun f = run_group(d, c);
        CHECK(f.error_codes() == std::vector<std::string>{"audience.filter_not_supported"});
        CHECK(f.count("audience") == 3);
    }
    SECTION("a scheduled group send naming an unknown chat is an input error") {
        d["scheduled"] = json::array({scheduled_group("s1", {"o1"}, t + th::kHour, {"gA", "ghost"})});
        auto e = th::input_error([&] { th::dataset(d); });
        REQUIRE(e);
        CHECK(e->pointer() == "/scheduled/0/audience/chat_list/1");
    }
}

TEST_CASE("group send: per:\"group\" quotas apply to group sends only; other per never do, even with kind any",
          "[group_send][rules]") {
    json d = tenant_with({"c1"});
    d["groupchats"] = json::array({groupchat("gA", "o1", 0, {member_customer("c1", t - th::kDay)})});
    d["deliveries"] = json::array({group_delivery("gA", "o1", t - th::kHour)});
    const json group_camp = group_campaign("draft", {"o1"});
    const json mass_camp = th::campaign("m", "mass_send", "enterprise", t, {"o1"});

    SECTION("a count-0 customer quota of kind any does not block a group send") {
        auto rules = th::rules(th::rules_doc({th::quota("cust_any", "any", "any", 0, "month", "customer"),
                                              th::quota("cs_any", "any", "any", 0, "month", "customer_sender")}));
        CHECK(run_group(d, group_camp, rules).outcome("gA") == "reached via o1");
        CHECK(th::run(d, mass_camp, rules).outcome("c1") == "blocked quota:cust_any");
    }
    SECTION("a per-group quota of kind any blocks a group send and never a mass send") {
        auto rules = th::rules(th::rules_doc({th::quota("group_any", "any", "any", 1, "day", "group")}));
        CHECK(run_group(d, group_camp, rules).outcome("gA") == "blocked quota:group_any");
        CHECK(th::run(d, mass_camp, rules).outcome("c1") == "reached via o1");
    }
    SECTION("a per-group quota of kind mass_send does not apply to a group send") {
        auto rules = th::rules(th::rules_doc({th::quota("odd", "mass_send", "any", 0, "day", "group")}));
        CHECK(run_group(d, group_camp, rules).outcome("gA") == "reached via o1");
        CHECK(th::run(d, mass_camp, rules).outcome("c1") == "reached via o1");
    }
    SECTION("origin filters group deliveries: an employee-origin quota ignores the enterprise delivery") {
        auto rules = th::rules(th::rules_doc({th::quota("emp", "group_send", "employee", 1, "day", "group")}));
        CHECK(run_group(d, group_campaign("draft", {"o1"}, t, {}, "employee"), rules).outcome("gA") == "reached via o1");
        CHECK(run_group(d, group_camp, rules).outcome("gA") == "reached via o1");  // an enterprise send: the quota does not apply
        d["deliveries"].push_back(group_delivery("gA", "o1", t - 2 * th::kHour, "employee"));
        CHECK(run_group(d, group_campaign("draft", {"o1"}, t, {}, "employee"), rules).outcome("gA") == "blocked quota:emp");
    }
    SECTION("policies per group come after quotas") {
        auto rules = th::rules(th::rules_doc({th::quota("q", "group_send", "any", 5, "month", "group")}, "first_added", "each",
                                             168, {th::quota("brand", "group_send", "any", 1, "week", "group")}));
        CHECK(run_group(d, group_camp, rules).outcome("gA") == "blocked policy:brand");
    }
    SECTION("customer deliveries do not count for a per-group quota") {
        d["deliveries"] = json::array({th::delivery("c1", "o1", t - th::kHour, "mass_send")});
        auto rules = th::rules(th::rules_doc({th::quota("group_any", "any", "any", 1, "day", "group")}));
        CHECK(run_group(d, group_camp, rules).outcome("gA") == "reached via o1");
    }
}

TEST_CASE("group send: group_send_any_month is days_in_month, February included, counted in the local month",
          "[group_send][time]") {
    auto at = [](int y, int m, int day, int h = 12, int mi = 0, int s = 0) { return local_time(y, m, day, h, mi, s); };
    auto tenant_in = [&](th::Time now, int past_in_month, th::Time first_past) {
        json d = th::tenant(now);
        d["employees"] = json::array({th::employee("o1")});
        d["groupchats"] = json::array({groupchat("gA", "o1")});
        d["deliveries"] = json::array();
        for (int i = 0; i < past_in_month; ++i) d["deliveries"].push_back(group_delivery("gA", "o1", first_past + i * th::kHour));
        return d;
    };
    for (const char* preset : {"wecom-2020", "wecom-2021", "wecom-2025"}) {
        INFO(preset);
        // 2027 is not a leap year: February has 28 days.
        const th::Time feb_send = at(2027, 2, 28, 23, 59, 59);
        json d = tenant_in(at(2027, 2, 1, 0, 0, 0), 27, at(2027, 2, 1, 0, 0, 0));
        d["deliveries"].push_back(group_delivery("gA", "o1", at(2027, 1, 31, 23, 59, 59)));  // January: not counted
        d["deliveries"].push_back(group_delivery("gA", "o1", at(2027, 3, 1, 0, 0, 0)));  // March: not counted
        CHECK(run_group(d, group_campaign("draft", {"o1"}, feb_send), preset).outcome("gA") == "reached via o1");
        d["deliveries"].push_back(group_delivery("gA", "o1", at(2027, 2, 14)));  // the 28th of February
        CHECK(run_group(d, group_campaign("draft", {"o1"}, feb_send), preset).outcome("gA") ==
              "blocked quota:group_send_any_month");
        // 2028 is a leap year: 28 in February leave a 29th.
        json leap = tenant_in(at(2028, 2, 1, 0, 0, 0), 28, at(2028, 2, 1, 0, 0, 0));
        CHECK(run_group(leap, group_campaign("draft", {"o1"}, at(2028, 2, 29, 8)), preset).outcome("gA") == "reached via o1");
        leap["deliveries"].push_back(group_delivery("gA", "o1", at(2028, 2, 29, 7)));
        CHECK(run_group(leap, group_campaign("draft", {"o1"}, at(2028, 2, 29, 8)), preset).outcome("gA") ==
              "blocked quota:group_send_any_month");
    }
}

TEST_CASE("group send: group deliveries are ignored by `received` and by customer quotas", "[group_send][expressions]") {
    json d = tenant_with({"c1"});
    d["groupchats"] = json::array({groupchat("gA", "o1", 0, {member_customer("c1", t - th::kDay)})});
    for (int i = 1; i <= 3; ++i) d["deliveries"].push_back(group_delivery("gA", "o1", t - i * th::kHour));
    json received_any = th::with_filter(th::campaign("m", "mass_send", "enterprise", t, {"o1"}),
                                        {{"received", {{"kind", "any"}, {"within_days", 1}, {"min", 1}}}});
    CHECK(th::run(d, received_any).outcome("c1") == "not in audience");
    json received_none = th::with_filter(th::campaign("m", "mass_send", "enterprise", t, {"o1"}),
                                         {{"not", {{"received", {{"kind", "any"}, {"within_days", 1}, {"min", 1}}}}}});
    CHECK(th::run(d, received_none).outcome("c1") == "reached via o1");
    // wecom-2021: mass_send_any_day, 1 a day per customer; the group posts today do not use it.
    CHECK(th::run(d, th::campaign("m", "mass_send", "enterprise", t, {"o1"}), "wecom-2021").outcome("c1") == "reached via o1");

    SECTION("a scheduled group send earlier the same day uses no customer quota either") {
        d["deliveries"] = json::array();
        d["scheduled"] = json::array({scheduled_group("s-group", {"o1"}, t - 1 + th::kHour)});
        th::Run m = th::run(d, th::campaign("m", "mass_send", "enterprise", t + th::kHour, {"o1"}), "wecom-2021");
        CHECK(m.outcome("c1") == "reached via o1");
        REQUIRE(m.summary["impact"].size() == 1);  // the group send is on the timeline, unchanged by a mass send
        CHECK(m.summary["impact"][0]["campaign_id"] == "s-group");
        CHECK(m.summary["impact"][0]["reached_before"] == 1);
        CHECK(m.summary["impact"][0]["reached_after"] == 1);
    }
}

TEST_CASE("group send: scheduled group sends share the group's monthly slots with the draft", "[group_send][impact]") {
    // A rules file allowing 2 group sends a month per group; gA has 1 already this month.
    auto rules = th::rules(th::rules_doc({th::quota("group_month", "group_send", "any", 2, "month", "group")}));
    json d = tenant_with({"c1"});
    d["groupchats"] = {groupchat("gA", "o1", 0, {member_customer("c1", t - th::kDay)}), groupchat("gB", "o1")};
    d["deliveries"] = json::array({group_delivery("gA", "o1", local_time(2026, 12, 1, 9))});

    SECTION("a scheduled send before the draft takes gA's last slot") {
        d["scheduled"] = json::array({scheduled_group("s-before", {"o1"}, t - 1, {"gA"})});
        GroupRun r = run_group(d, group_campaign("draft", {"o1"}), rules);
        CHECK(r.outcome("gA") == "blocked quota:group_month");
        CHECK(r.outcome("gB") == "reached via o1");
        REQUIRE(r.summary["impact"].size() == 1);
        CHECK(r.summary["impact"][0]["reached_before"] == 1);
        CHECK(r.summary["impact"][0]["reached_after"] == 1);  // earlier in the timeline: unaffected
        CHECK(r.summary["members_reached"] == 0);  // c1 is only in gA
    }
    SECTION("the draft takes gA's last slot from a scheduled send after it") {
        d["scheduled"] = {scheduled_group("s-after", {"o1"}, t + th::kDay),
                          scheduled_group("s-next-month", {"o1"}, local_time(2027, 1, 1, 0))};
        GroupRun r = run_group(d, group_campaign("draft", {"o1"}), rules);
        CHECK(r.outcome("gA") == "reached via o1");
        REQUIRE(r.summary["impact"].size() == 2);
        CHECK(r.summary["impact"][0]["campaign_id"] == "s-after");
        CHECK(r.summary["impact"][0]["reached_before"] == 2);  // gA (its 2nd) and gB
        CHECK(r.summary["impact"][0]["reached_after"] == 1);  // gA is full now; gB still has room (draft 1 + s-after 1)
        CHECK(r.summary["impact"][1]["reached_before"] == 2);  // January: a new month
        CHECK(r.summary["impact"][1]["reached_after"] == 2);
    }
    SECTION("a draft at the same time runs after the scheduled one") {
        d["scheduled"] = json::array({scheduled_group("s-same", {"o1"}, t, {"gA"})});
        GroupRun r = run_group(d, group_campaign("draft", {"o1"}), rules);
        CHECK(r.outcome("gA") == "blocked quota:group_month");
    }
    SECTION("a customer draft leaves scheduled group sends as they were, and the other way round") {
        d["scheduled"] = {scheduled_group("s-after", {"o1"}, t + th::kDay),
                          th::scheduled("m-after", "mass_send", "enterprise", t + th::kDay, {"o1"})};
        th::Run m = th::run(d, th::campaign("m", "mass_send", "enterprise", t, {"o1"}), rules);
        GroupRun g = run_group(d, group_campaign("draft", {"o1"}), rules);
        REQUIRE(m.summary["impact"].size() == 2);
        REQUIRE(g.summary["impact"].size() == 2);
        // Timeline order by (send_time, id): "m-after" < "s-after".
        CHECK(m.summary["impact"][0]["campaign_id"] == "m-after");
        CHECK(m.summary["impact"][1] == ojson({{"campaign_id", "s-after"}, {"reached_before", 2}, {"reached_after", 2}}));
        CHECK(g.summary["impact"][0] == ojson({{"campaign_id", "m-after"}, {"reached_before", 1}, {"reached_after", 1}}));
        CHECK(g.summary["impact"][1] == ojson({{"campaign_id", "s-after"}, {"reached_before", 2}, {"reached_after", 1}}));
    }
}

TEST_CASE("group send: the quota calendar lays the per-group checks over the audience groups' ledgers", "[group_send][insight]") {
    // A month quota of 2 and a day policy of 1, both per group; a customer quota the calendar
    // of a group send leaves out. gA had a send on Dec 1; s-after follows the draft a day later.
    auto rules = th::rules(th::rules_doc(
        {th::quota("group_month", "group_send", "any", 2, "month", "group"), th::quota("ms_day", "mass_send", "any", 1, "day")},
        "first_added", "each", 168, {th::quota("p_group_day", "group_send", "enterprise", 1, "day", "group")}));
    json d = tenant_with({"c1"});
    d["groupchats"] = {groupchat("gA", "o1", 0, {member_customer("c1", t - th::kDay)}), groupchat("gB", "o1"),
                       groupchat("gC", "o2")};
    d["deliveries"] = json::array({group_delivery("gA", "o1", local_time(2026, 12, 1, 9)),
                                   group_delivery("gC", "o2", local_time(2026, 12, 2, 9))});  // not in the audience
    d["scheduled"] = json::array({scheduled_group("s-after", {"o1"}, t + th::kDay)});
    const rl::Dataset data = th::dataset(d);
    const rl::Campaign draft = th::load(group_campaign("draft", {"o1"}));
    rl::PreviewSession session(data, rules);
    const rl::PreviewResult result = session.preview(draft);
    REQUIRE(result.reached == 2);
    const rl::QuotaCalendar cal = rl::quota_calendar(session, draft, result);
    REQUIRE(cal.labels == std::vector<std::string>{"quota:group_month", "policy:p_group_day"});
    REQUIRE(cal.limits == std::vector<int64_t>{2, 1});
    REQUIRE(cal.days == 31);
    // Deliveries per day: Dec 1 gA; Dec 10 the draft into gA and gB; Dec 11 s-after into gB
    // only (gA has used its two slots of December).
    auto deliveries = [&](size_t q, int day) { return cal.use[q][size_t(day - 1)].deliveries; };
    auto full = [&](size_t q, int day) { return cal.use[q][size_t(day - 1)].customers_full; };
    for (size_t q : {size_t(0), size_t(1)})
        for (int day = 1; day <= 31; ++day) {
            INFO("check " << cal.labels[q] << ", day " << day);
            CHECK(deliveries(q, day) == (day == 1 ? 1 : day == 10 ? 2 : day == 11 ? 1 : 0));
        }
    for (int day = 1; day <= 31; ++day) {
        INFO("day " << day);
        CHECK(full(0, day) == (day < 10 ? 0 : day == 10 ? 1 : 2));  // groups at the monthly cap
        CHECK(full(1, day) == (day == 1 ? 1 : day == 10 ? 2 : day == 11 ? 1 : 0));  // at the day's cap
    }
    // A customer campaign's calendar keeps every check, in the rules' order.
    const rl::Campaign mass = th::load(th::campaign("m", "mass_send", "enterprise", t, {"o1"}));
    const rl::PreviewResult mass_result = session.preview(mass);
    const rl::QuotaCalendar mass_cal = rl::quota_calendar(session, mass, mass_result);
    CHECK(mass_cal.labels == std::vector<std::string>{"quota:group_month", "quota:ms_day", "policy:p_group_day"});
    for (const rl::QuotaDayUse& u : mass_cal.use[0]) CHECK(u.deliveries == 0);  // group deliveries count for no customer
}

TEST_CASE("group send: members_reached and members_multi count customers who joined by t", "[group_send]") {
    json d = tenant_with({"c1", "c2", "c3", "c4", "c5"});
    d["groupchats"] = {
        groupchat("gA", "o1", 0,
                  {member_customer("c1", t - th::kDay), member_customer("c2", t),  // joining at t counts
                   member_customer("c3", t + 1),  // joins after t
                   member_customer("stranger", t - th::kDay),  // not a customer of the dataset
                   member_employee("o2", t - th::kDay), member_customer("c1", t - 2 * th::kDay)}),  // listed twice: one reader
        groupchat("gB", "o1", 0, {member_customer("c1", t - th::kDay), member_customer("c3", t - th::kDay)}),
        groupchat("gC", "o1", 1, {member_customer("c4", t - th::kDay), member_customer("c1", t - th::kDay)}),  // blocked
        groupchat("gD", "o2", 0, {member_customer("c5", t - th::kDay)}),  // not in the audience
    };
    GroupRun r = run_group(d, group_campaign("draft", {"o1"}));
    CHECK(r.count("reached") == 2);
    // Reached groups gA {c1, c2} and gB {c1, c3}: c1, c2, c3 read it; c1 twice.
    CHECK(r.summary["members_reached"] == 3);
    CHECK(r.summary["members_multi"] == 1);
    CHECK(r.result.group_reads(r.data.customer_ids.find("c1")) == 2);
    CHECK(r.result.group_reads(r.data.customer_ids.find("c3")) == 1);
    CHECK(r.result.group_reads(r.data.customer_ids.find("c4")) == 0);
    // Customer verdicts: a group send marks no customer.
    for (uint16_t v : r.result.verdict) CHECK(v == rl::kNotInAudience);

    SECTION("a later send time lets c3 in through gA as well") {
        GroupRun later = run_group(d, group_campaign("draft", {"o1"}, t + 1));
        CHECK(later.summary["members_reached"] == 3);
        CHECK(later.summary["members_multi"] == 2);  // c1 and c3
    }
    SECTION("groups read before the customers in the file give the same counts") {
        ojson ordered;
        ordered["format"] = d["format"];
        ordered["groupchats"] = d["groupchats"];
        for (const char* k : {"enterprise", "now", "departments", "employees", "tag_groups", "customers", "deliveries",
                              "not_interested", "scheduled"})
            ordered[k] = d[k];
        rl::Dataset data = rl::load_dataset(ordered.dump(), "dataset.json");
        rl::Campaign draft = th::load(group_campaign("draft", {"o1"}));
        rl::PreviewResult res = rl::run_preview(data, draft, rl::preset_rules("wecom-2025"));
        CHECK(res.members_reached == 3);
        CHECK(res.members_multi == 1);
    }
}

TEST_CASE("group send: readers counted over the reached groups or as all groups minus the others agree with a count by hand",
          "[group_send]") {
    // 40 customers, 16 groups of random members (some listed twice), owners o1/o2, a few
    // groups awaiting a new owner. Whichever way the engine counts (it subtracts the groups
    // not reached when those hold fewer memberships and everyone joined by t), the counts
    // must be those of the rows it reports.
    uint64_t x = 12345;
    auto next = [&] {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        return x >> 33;
    };
    std::vector<std::string> names;
    for (int i = 0; i < 40; ++i) names.push_back("c" + std::to_string(i));
    json d = tenant_with(names);
    std::map<std::string, std::vector<std::pair<std::string, th::Time>>> members;
    for (int k = 0; k < 16; ++k) {
        const std::string id = "g" + std::to_string(10 + k);
        std::vector<json> list;
        const int size = 1 + static_cast<int>(next() % 12);
        for (int m = 0; m < size; ++m) {
            const std::string c = names[next() % names.size()];
            const th::Time join = t - th::kDay + static_cast<th::Time>(next() % 3) * th::kDay;  // some join after t
            list.push_back(member_customer(c, join));
            members[id].push_back({c, join});
        }
        d["groupchats"].push_back(groupchat(id, k % 3 ? "o1" : "o2", k % 7 == 3 ? 1 : 0, list));
    }
    for (th::Time when : {t, t + 2 * th::kDay}) {
        for (const std::vector<std::string>& owners :
             {std::vector<std::string>{"o1"}, std::vector<std::string>{"o2"}, std::vector<std::string>{}}) {
            GroupRun r = run_group(d, group_campaign("draft", owners, when));
            std::map<std::string, std::set<std::string>> groups_of;  // customer -> reached groups
            for (const auto& [chat, row] : r.rows)
                if (row.verdict == "reached")
                    for (const auto& [c, join] : members[chat])
                        if (join <= when) groups_of[c].insert(chat);
            int64_t multi = 0;
            for (const auto& [c, chats] : groups_of) multi += chats.size() > 1;
            INFO("send at t + " << (when - t) << ", owners " << owners.size());
            CHECK(r.summary["members_reached"] == static_cast<int64_t>(groups_of.size()));
            CHECK(r.summary["members_multi"] == multi);
            for (uint32_t c = 0; c < r.data.customer_count(); ++c) {
                auto it = groups_of.find(std::string(r.data.external_userid(c)));
                const int want = it == groups_of.end() ? 0 : std::min<int>(2, static_cast<int>(it->second.size()));
                CHECK(r.result.group_reads(c) == want);
            }
        }
    }
}

TEST_CASE("group send: input errors in groupchats and group deliveries name their JSON pointer", "[group_send][invalid]") {
    json d = tenant_with({"c1"});
    d["groupchats"] = json::array({groupchat("gA", "o1", 0, {member_customer("c1", t), member_employee("o2", t)})});
    REQUIRE_NOTHROW(th::dataset(d));
    auto expect_at = [](const json& doc, const std::string& pointer) {
        auto e = th::input_error([&] { th::dataset(doc); });
        if (e) CHECK(e->pointer() == pointer);
    };
    SECTION("duplicate chat_id") {
        d["groupchats"].push_back(groupchat("gA", "o2"));
        expect_at(d, "/groupchats/1/chat_id");
    }
    SECTION("unknown owner") {
        d["groupchats"][0]["owner"] = "nobody";
        expect_at(d, "/groupchats/0/owner");
    }
    SECTION("unknown member userid") {
        d["groupchats"][0]["members"][1]["userid"] = "nobody";
        expect_at(d, "/groupchats/0/members/1/userid");
    }
    SECTION("a member without the id its type needs") {
        d["groupchats"][0]["members"][0].erase("external_userid");
        expect_at(d, "/groupchats/0/members/0/external_userid");
        d["groupchats"][0]["members"][0] = {{"type", 1}, {"external_userid", "c1"}, {"join_time", t}};
        expect_at(d, "/groupchats/0/members/0/userid");
    }
    SECTION("member type, status and missing fields") {
        json bad = d;
        bad["groupchats"][0]["members"][0]["type"] = 3;
        expect_at(bad, "/groupchats/0/members/0/type");
        bad = d;
        bad["groupchats"][0]["status"] = 4;
        expect_at(bad, "/groupchats/0/status");
        bad = d;
        bad["groupchats"][0]["status"] = 1.0;
        expect_at(bad, "/groupchats/0/status");
        bad = d;
        bad["groupchats"][0].erase("create_time");
        expect_at(bad, "/groupchats/0/create_time");
        bad = d;
        bad["groupchats"][0]["members"][0].erase("join_time");
        expect_at(bad, "/groupchats/0/members/0/join_time");
    }
    SECTION("a group_send delivery with external_userid, another kind with chat_id, a group delivery without chat_id") {
        json bad = d;
        json g = group_delivery("gA", "o1", t - 1);
        g["external_userid"] = "c1";
        bad["deliveries"] = json::array({g});
        expect_at(bad, "/deliveries/0/external_userid");
        bad = d;
        json m = th::delivery("c1", "o1", t - 1);
        m["chat_id"] = "gA";
        bad["deliveries"] = json::array({m});
        expect_at(bad, "/deliveries/0/chat_id");
        bad = d;
        g = group_delivery("gA", "o1", t - 1);
        g.erase("chat_id");
        bad["deliveries"] = json::array({g});
        expect_at(bad, "/deliveries/0/chat_id");
    }
    SECTION("accepted: an unknown chat_id in a delivery (matches nothing), an unknown member external_userid") {
        d["deliveries"] = json::array({group_delivery("ghost", "o1", t - 1)});
        d["groupchats"][0]["members"].push_back(member_customer("not-a-customer", t));
        auto rules = th::rules(th::rules_doc({th::quota("one", "group_send", "any", 1, "day", "group")}));
        GroupRun r = run_group(d, group_campaign("draft", {"o1"}), rules);
        CHECK(r.outcome("gA") == "reached via o1");
        bool warned = false;
        for (const auto& w : r.summary["warnings"]) warned |= w["code"] == "deliveries.unknown_chat";
        CHECK(warned);
    }
}

TEST_CASE("group send: add_msg_template bodies, one per owner, chat_type group, at most 2000 chat ids each",
          "[group_send][payload]") {
    json d = tenant_with({});
    for (int i = 0; i < 2001; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "g%04d", i);
        d["groupchats"].push_back(groupchat(id, "o2"));
    }
    d["groupchats"].push_back(groupchat("a-first", "o1"));
    d["groupchats"].push_back(groupchat("b-blocked", "o1", 2));
    json c = group_campaign("draft", {"o1", "o2"});
    c["content"] = {{"text", "新品到店 💄👍🏻"},
                    {"attachments", {{{"msgtype", "link"}, {"link", {{"title", "t"}, {"url", "https://x.cn"}, {"desc", "d"}}}}}}};
    rl::Dataset data = th::dataset(d);
    rl::Campaign draft = th::load(c);
    rl::PreviewResult result = rl::run_preview(data, draft, rl::preset_rules("wecom-2025"));
    ojson requests = rl::wecom_requests(data, draft, result);
    REQUIRE(requests.size() == 3);
    for (const auto& r : requests) {
        CHECK(r["api"] == "externalcontact/add_msg_template");
        CHECK(r["body"]["chat_type"] == "group");
        CHECK(!r["body"].contains("external_userid"));
        CHECK(r["body"]["text"]["content"] == "新品到店 💄👍🏻");
        CHECK(r["body"]["attachments"][0]["link"]["desc"] == "d");
    }
    CHECK(requests[0]["body"]["sender"] == "o1");
    CHECK(requests[0]["body"]["chat_id_list"] == ojson({"a-first"}));  // the blocked group is not listed
    CHECK(requests[1]["body"]["sender"] == "o2");
    CHECK(requests[1]["body"]["chat_id_list"].size() == 2000);
    CHECK(requests[1]["body"]["chat_id_list"][0] == "g0000");
    CHECK(requests[1]["body"]["chat_id_list"][1999] == "g1999");
    CHECK(requests[2]["body"]["sender"] == "o2");
    CHECK(requests[2]["body"]["chat_id_list"] == ojson({"g2000"}));
}

TEST_CASE("group send golden: a tenant computed by hand", "[group_send][golden]") {
    // wecom-2025, December 2026 (31 days), send at t = Dec 10 10:00 local.
    // Owners: o1 (active), o2 (active), gone (resigned). Draft: enterprise, senders o1 and gone.
    //  g1 (o1, status 0): 30 past group sends this month + 1 from scheduled s1 (Dec 9) = 31
    //      = days_in_month -> blocked quota:group_send_any_month.
    //  g2 (o1, status 0): 30 past group sends in November only -> reached. Members c1, c2.
    //  g3 (o1, status 3, transferred to o1): no history -> reached. Members c2, c3 (c3 joins Dec 11: not yet).
    //  g4 (gone, status 0): the owner resigned -> sender_inactive.
    //  g5 (o2): o2 not selected -> not in the audience.
    //  s1 (scheduled Dec 9, all of o1's groups): g1 was at 30, so it reached g1, g2, g3: reached_before 3;
    //      it runs before the draft, so reached_after 3.
    //  s2 (scheduled Dec 20, g2 only): g2 has s1 and the draft in December, 2 < 31: reached
    //      before and after -> 1 / 1.
    // Summary: audience 4 (g1 g2 g3 g4), reached 2, deliveries 2,
    //   blocked {quota:group_send_any_month: 1, sender_inactive: 1};
    //   members_reached: c1 (g2), c2 (g2, g3) = 2; members_multi: c2 = 1.
    //   senders: gone {pairs 1, deliveries 0, blocked {sender_inactive 1}}, o1 {pairs 3, deliveries 2,
    //   blocked {quota:group_send_any_month 1}}.
    json d = th::tenant(local_time(2026, 12, 9, 9));  // exported the day before, before s1
    d["employees"] = {th::employee("o1"), th::employee("o2"), th::employee("gone", {1}, false)};
    d["customers"] = {th::customer("c1"), th::customer("c2"), th::customer("c3")};
    d["groupchats"] = {groupchat("g1", "o1"),
                       groupchat("g2", "o1", 0, {member_customer("c1", t - th::kDay), member_customer("c2", t - th::kDay)}),
                       groupchat("g3", "o1", 3, {member_customer("c2", t - th::kDay), member_customer("c3", t + th::kDay)}),
                       groupchat("g4", "gone"), groupchat("g5", "o2")};
    d["deliveries"] = json::array();
    for (int i = 0; i < 30; ++i) {
        d["deliveries"].push_back(group_delivery("g1", "o1", local_time(2026, 12, 1, 0) + i * 6 * th::kHour));
        d["deliveries"].push_back(group_delivery("g2", "o1", local_time(2026, 11, 1, 0) + i * th::kDay, "employee"));
    }
    d["scheduled"] = {scheduled_group("s1", {"o1"}, local_time(2026, 12, 9, 10)),
                      scheduled_group("s2", {"o1"}, local_time(2026, 12, 20, 10), {"g2"})};
    GroupRun r = run_group(d, group_campaign("golden", {"o1", "gone"}));
    ojson expected = {{"format", "reachlens.preview/1"},
                      {"campaign_id", "golden"},
                      {"send_time", t},
                      {"submittable", true},
                      {"errors", ojson::array()},
                      {"warnings", ojson::array()},
                      {"audience", 4},
                      {"reached", 2},
                      {"deliveries", 2},
                      {"blocked", {{"quota:group_send_any_month", 1}, {"sender_inactive", 1}}},
                      {"members_reached", 2},
                      {"members_multi", 1},
                      {"senders",
                       {{{"userid", "gone"},
                         {"pairs", 1},
                         {"deliveries", 0},
                         {"blocked", {{"sender_inactive", 1}}},
                         {"requires_confirmation", true}},
                        {{"userid", "o1"},
                         {"pairs", 3},
                         {"deliveries", 2},
                         {"blocked", {{"quota:group_send_any_month", 1}}},
                         {"requires_confirmation", true}}}},
                      {"impact",
                       {{{"campaign_id", "s1"}, {"reached_before", 3}, {"reached_after", 3}},
                        {{"campaign_id", "s2"}, {"reached_before", 1}, {"reached_after", 1}}}}};
    CHECK(json::parse(r.summary.dump()) == json::parse(expected.dump()));
    CHECK(rl::verdicts_csv(r.data, r.result) ==
          "chat_id,verdict,reason,via\n"
          "g1,blocked,quota:group_send_any_month,\n"
          "g2,reached,,o1\n"
          "g3,reached,,o1\n"
          "g4,blocked,sender_inactive,\n");
}

TEST_CASE("group send: stepping a preview job gives the same result as preview()", "[group_send]") {
    json d = tenant_with({"c1"});
    d["groupchats"] = {groupchat("gA", "o1", 0, {member_customer("c1", t)}), groupchat("gB", "o2")};
    rl::Dataset data = th::dataset(d);
    rl::Campaign draft = th::load(group_campaign("draft", {}));
    rl::PreviewSession session(data, rl::preset_rules("wecom-2025"));
    rl::PreviewResult whole = session.preview(draft);
    rl::PreviewJob job = session.start(draft);
    while (!job.step(1)) {}
    CHECK(job.progress() == 1.0);
    rl::PreviewResult stepped = job.finish();
    CHECK(rl::summary_json(data, stepped) == rl::summary_json(data, whole));
    CHECK(stepped.group_verdict == whole.group_verdict);
    // The customer's trace has no group send in it: it reaches customers through groups only.
    CHECK(session.trace_customer(draft, 0).empty());
}

#ifndef __EMSCRIPTEN__
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

#include "tools/generator.h"

TEST_CASE("group send: from a fresh session, the groups' play and the readers' count come a slice per step (generated tenant)",
          "[group_send]") {
    // The page steps the preview and the explorer a frame at a time: the scheduled group
    // sends' play over every group (the session's baseline), the draft's play over its
    // groups and the count of the reached groups' readers must not come in one step.
    namespace fs = std::filesystem;
    const fs::path& dir = th::generated_dir();
    rl::Dataset data = rl::load_dataset(th::read_text(dir / "dataset.json"), "dataset.json");
    std::optional<rl::Campaign> draft;
    for (const auto& entry : fs::directory_iterator(dir / "campaigns")) {
        rl::Campaign c = rl::load_campaign(th::read_text(entry.path()), entry.path().string());
        if (c.kind == rl::Kind::GroupSend) draft = c;
    }
    REQUIRE(draft);
    constexpr uint32_t kSlice = 3;  // the tenant has about a dozen groups
    REQUIRE(data.groups.size() > 2 * kSlice);
    for (const char* preset : {"wecom-2025", "wecom-2021"}) {
        INFO("rules " << preset);
        const rl::Rules rules = rl::preset_rules(preset);
        const rl::PreviewResult want = rl::run_preview(data, *draft, rules);
        REQUIRE(want.reached > 0);
        rl::PreviewSession session(data, rules);
        uint64_t largest = 0, steps = 0;
        for (bool built = false; !built; ++steps) {
            const uint64_t before = session.customers_visited();
            uint32_t budget = kSlice;
            built = session.build_baseline(budget);
            largest = std::max(largest, session.customers_visited() - before);
        }
        // Every group, then every customer's ledger counts and run.
        CHECK(steps >= (data.groups.size() + 2 * data.customer_count()) / kSlice);
        const uint64_t before_start = session.customers_visited();
        rl::PreviewJob job = session.start(*draft);
        CHECK(session.customers_visited() == before_start);  // start() plays nothing
        steps = 0;
        for (bool done = false; !done; ++steps) {
            const uint64_t before = session.customers_visited();
            done = job.step(kSlice);
            largest = std::max(largest, session.customers_visited() - before);
        }
        CHECK(largest <= kSlice);
        // Its groups, each customer's reads, then each customer's reader bits.
        CHECK(steps >= (static_cast<uint64_t>(want.audience) + 2 * data.customer_count()) / kSlice);
        const rl::PreviewResult got = job.finish();
        CHECK(rl::summary_json(data, got) == rl::summary_json(data, want));
        CHECK(got.group_verdict == want.group_verdict);
        CHECK(got.group_readers == want.group_readers);
        CHECK(got.members_reached == want.members_reached);
        CHECK(got.members_multi == want.members_multi);
    }
}

TEST_CASE("generator: groups with overlapping members, resigned owners, group-send history and a scheduled group send",
          "[group_send][generator]") {
    namespace fs = std::filesystem;
    const fs::path base = fs::temp_directory_path() /
                          ("reachlens-group-gen-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
    auto generate = [&](const char* name) {
        rl::GenerateOptions o;
        o.customers = 4000;
        o.seed = 11;
        o.out_dir = (base / name).string();
        rl::generate_tenant(o);
        std::ifstream in(base / name / "dataset.json", std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    };
    const std::string text = generate("a");
    CHECK(generate("b") == text);  // deterministic by seed
    rl::Dataset data = rl::load_dataset(text, "dataset.json");
    const rl::GroupChats& groups = data.groups;
    REQUIRE(groups.size() > 5);
    int awaiting = 0, store_sized = 0;
    for (uint32_t g = 0; g < groups.size(); ++g) {
        awaiting += !groups.owner_can_post(g);
        const uint32_t members = groups.member_begin[g + 1] - groups.member_begin[g];
        store_sized += members >= 50 && members <= 500;
    }
    CHECK(awaiting > 0);
    CHECK(store_sized > 0);
    CHECK(!groups.deliveries.empty());
    const auto scheduled_group = std::find_if(data.scheduled.begin(), data.scheduled.end(),
                                              [](const rl::Campaign& c) { return c.kind == rl::Kind::GroupSend; });
    REQUIRE(scheduled_group != data.scheduled.end());
    std::ifstream in(base / "a" / "campaigns" / "07-group-send.json", std::ios::binary);
    std::ostringstream draft_text;
    draft_text << in.rdbuf();
    rl::Campaign draft = rl::load_campaign(draft_text.str(), "07-group-send.json");
    CHECK(draft.kind == rl::Kind::GroupSend);
    rl::PreviewResult r = rl::run_preview(data, draft, rl::preset_rules("wecom-2025"));
    CHECK(r.submittable);
    CHECK(r.reached > 0);
    CHECK(r.members_multi > 0);
    CHECK(r.members_reached > r.members_multi);
    CHECK(r.blocked_customers[rl::kSenderInactive] > 0);
    bool impact_listed = false;
    for (const rl::ImpactEntry& e : r.impact) impact_listed |= e.campaign_id == scheduled_group->id && e.reached_before > 0;
    CHECK(impact_listed);
    std::error_code ec;
    fs::remove_all(base, ec);
}
#endif
