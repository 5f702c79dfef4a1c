// Customer verdicts and the summary (contract 5.4 and 6): reason precedence, no_relation,
// the sender table, requires_confirmation, and how quotas and policies match ledger
// deliveries (1.3).
#include "helpers.h"

using th::json;
using th::kDay;
using th::local_time;

namespace {

const th::Time t = local_time(2024, 3, 13, 10, 0, 0);  // a Wednesday
const th::Time today = t - 3600;  // same local day
const th::Time this_week = local_time(2024, 3, 11, 10, 0, 0);  // Monday of the same week, not today
const th::Time this_month = local_time(2024, 3, 2, 10, 0, 0);  // Saturday of the previous week, same month

// q1 day, q2 week (quota order), p1 month (policy); all per customer_sender, kind/origin any.
json precedence_rules(const std::string& multi) {
    return th::rules_doc(
        {th::quota("q1", "any", "any", 1, "day", "customer_sender"), th::quota("q2", "any", "any", 1, "week", "customer_sender")},
        multi, multi, 168, {th::quota("p1", "any", "any", 1, "month", "customer_sender")});
}

}  // namespace

TEST_CASE("verdict precedence: quota (in quota order) > policy > not_friend > sender_inactive, no_relation", "[verdict]") {
    json d = th::tenant(t);
    d["employees"] = {th::employee("a"),    th::employee("b"), th::employee("c"), th::employee("r", {1}, false),
                      th::employee("Idle"), th::employee("u")};
    auto cust = [&](const std::string& name, std::vector<json> rels) {
        d["customers"].push_back(th::customer(name, std::move(rels)));
    };
    auto past = [&](const std::string& name, const std::string& who, th::Time when) {
        d["deliveries"].push_back(th::delivery(name, who, when));
    };
    cust("q_order", {th::relation("a", 1), th::relation("b", 2)});
    past("q_order", "a", this_week);  // pair a -> quota:q2
    past("q_order", "b", today);  // pair b -> quota:q1
    cust("quota_over_policy", {th::relation("a", 1), th::relation("b", 2)});
    past("quota_over_policy", "a", this_month);  // policy:p1
    past("quota_over_policy", "b", this_week);  // quota:q2
    cust("policy_over_not_friend", {th::relation("a", 1, {}, true), th::relation("b", 2)});
    past("policy_over_not_friend", "b", this_month);
    cust("not_friend_over_inactive", {th::relation("r", 1), th::relation("a", 2, {}, true)});
    cust("inactive_only", {th::relation("r", 1)});
    cust("no_relation", {th::relation("u", 1)});  // u is not a sender
    cust("no_relation_at_all", json::array());
    cust("reached_after_block", {th::relation("a", 1), th::relation("b", 2)});
    past("reached_after_block", "a", today);
    cust("two_deliveries", {th::relation("a", 1), th::relation("c", 2)});

    auto r = th::run(d, th::campaign("s", "mass_send", "enterprise", t, {"a", "b", "c", "r", "Idle"}), precedence_rules("each"));
    CHECK(r.outcome("q_order") == "blocked quota:q1");
    CHECK(r.outcome("quota_over_policy") == "blocked quota:q2");
    CHECK(r.outcome("policy_over_not_friend") == "blocked policy:p1");
    CHECK(r.outcome("not_friend_over_inactive") == "blocked not_friend");
    CHECK(r.outcome("inactive_only") == "blocked sender_inactive");
    CHECK(r.outcome("no_relation") == "blocked no_relation");
    CHECK(r.outcome("no_relation_at_all") == "blocked no_relation");
    CHECK(r.outcome("reached_after_block") == "reached via b");
    CHECK(r.outcome("two_deliveries") == "reached via a;c");

    SECTION("summary totals") {
        CHECK(r.count("audience") == 9);
        CHECK(r.count("reached") == 2);
        CHECK(r.count("deliveries") == 3);
        CHECK(r.blocked() == std::map<std::string, int64_t>{{"quota:q1", 1},
                                                            {"quota:q2", 1},
                                                            {"policy:p1", 1},
                                                            {"not_friend", 1},
                                                            {"sender_inactive", 1},
                                                            {"no_relation", 2}});
        th::check_summary_invariants(r.summary);
    }
    SECTION("senders: every selected sender, sorted bytewise, with pairs = deliveries + blocked") {
        CHECK(r.sender_ids() == std::vector<std::string>{"Idle", "a", "b", "c", "r"});
        CHECK(r.sender_field("Idle", "pairs") == 0);
        CHECK(r.sender_field("Idle", "deliveries") == 0);
        CHECK(r.sender_blocked("Idle").empty());
        CHECK(r.sender_field("a", "pairs") == 6);
        CHECK(r.sender_field("a", "deliveries") == 1);
        CHECK(r.sender_blocked("a") ==
              std::map<std::string, int64_t>{{"quota:q1", 1}, {"quota:q2", 1}, {"policy:p1", 1}, {"not_friend", 2}});
        CHECK(r.sender_field("b", "pairs") == 4);
        CHECK(r.sender_field("b", "deliveries") == 1);
        CHECK(r.sender_blocked("b") == std::map<std::string, int64_t>{{"quota:q1", 1}, {"quota:q2", 1}, {"policy:p1", 1}});
        CHECK(r.sender_field("c", "pairs") == 1);
        CHECK(r.sender_field("c", "deliveries") == 1);
        CHECK(r.sender_field("r", "pairs") == 2);
        CHECK(r.sender_blocked("r") == std::map<std::string, int64_t>{{"sender_inactive", 2}});
        CHECK(r.sender("u") == nullptr);  // not selected
        for (const auto& s : r.summary["senders"]) CHECK(s["requires_confirmation"] == true);
    }
    SECTION("the verdict CSV: header, rows sorted by external_userid bytewise, empty reason when reached") {
        CHECK(r.csv ==
              "external_userid,verdict,reason,via\n"
              "inactive_only,blocked,sender_inactive,\n"
              "no_relation,blocked,no_relation,\n"
              "no_relation_at_all,blocked,no_relation,\n"
              "not_friend_over_inactive,blocked,not_friend,\n"
              "policy_over_not_friend,blocked,policy:p1,\n"
              "q_order,blocked,quota:q1,\n"
              "quota_over_policy,blocked,quota:q2,\n"
              "reached_after_block,reached,,b\n"
              "two_deliveries,reached,,a;c\n");
    }
}

TEST_CASE("verdict precedence for moments: policy > not_interested > not_friend > sender_inactive", "[verdict][not_interested]") {
    json d = th::tenant(t);
    d["employees"] = {th::employee("a"), th::employee("b"), th::employee("r", {1}, false), th::employee("m", {1}, true, false),
                      th::employee("u")};
    auto cust = [&](const std::string& name, std::vector<json> rels) {
        d["customers"].push_back(th::customer(name, std::move(rels)));
    };
    cust("ni_over_not_friend", {th::relation("a", 1, {}, true), th::relation("b", 2)});
    d["not_interested"].push_back(th::not_interested("ni_over_not_friend", "b", t - 3600));
    cust("policy_over_ni", {th::relation("a", 1), th::relation("b", 2)});
    d["not_interested"].push_back(th::not_interested("policy_over_ni", "a", t - 3600));
    d["deliveries"].push_back(th::delivery("policy_over_ni", "b", this_month, "moment", "enterprise"));
    cust("quota_over_ni", {th::relation("a", 1), th::relation("b", 2)});
    d["not_interested"].push_back(th::not_interested("quota_over_ni", "a", t - 3600));
    d["deliveries"].push_back(th::delivery("quota_over_ni", "b", today, "mass_send", "employee"));  // kind any counts it
    cust("ni_over_inactive", {th::relation("r", 1), th::relation("a", 2)});
    d["not_interested"].push_back(th::not_interested("ni_over_inactive", "a", t - 3600));
    cust("moments_disabled", {th::relation("m", 1)});
    cust("deleted_relation_only", {th::relation("a", 1, {}, true)});  // in a moment's audience: a relation, deleted or not
    cust("unselected_only", {th::relation("u", 1)});
    cust("no_relation_at_all", json::array());

    auto r = th::run(d, th::campaign("m", "moment", "enterprise", t, {"a", "b", "r", "m"}), precedence_rules("each"));
    CHECK(r.outcome("ni_over_not_friend") == "blocked not_interested");
    CHECK(r.outcome("policy_over_ni") == "blocked policy:p1");
    CHECK(r.outcome("quota_over_ni") == "blocked quota:q1");
    CHECK(r.outcome("ni_over_inactive") == "blocked not_interested");
    CHECK(r.outcome("moments_disabled") == "blocked sender_inactive");
    CHECK(r.outcome("deleted_relation_only") == "blocked not_friend");
    // A moment's audience has a pair by definition: no no_relation rows.
    CHECK(r.outcome("unselected_only") == "not in audience");
    CHECK(r.outcome("no_relation_at_all") == "not in audience");
    CHECK(r.count("audience") == 6);
    CHECK(r.blocked().count("no_relation") == 0);
    th::check_summary_invariants(r.summary);
}

TEST_CASE("requires_confirmation: true for every sender of an enterprise campaign, false for employee origin", "[verdict]") {
    json d = th::tenant(t);
    d["employees"] = {th::employee("a"), th::employee("b")};
    d["customers"] = json::array({th::customer("k", {th::relation("a", 1), th::relation("b", 2)})});
    for (const char* kind : {"moment", "mass_send"}) {
        DYNAMIC_SECTION(kind) {
            auto ent = th::run(d, th::campaign("e", kind, "enterprise", t, {"a", "b"}));
            REQUIRE(ent.summary["senders"].size() == 2);
            for (const auto& s : ent.summary["senders"]) CHECK(s["requires_confirmation"] == true);
            auto emp = th::run(d, th::campaign("p", kind, "employee", t, {"a"}));
            REQUIRE(emp.summary["senders"].size() == 1);
            CHECK(emp.summary["senders"][0]["requires_confirmation"] == false);
            CHECK(emp.summary["submittable"] == true);
        }
    }
}

TEST_CASE("quota matching: kind, origin, per, counts of 0 or less, duplicate ids", "[verdict][quota]") {
    json d = th::tenant(t);
    d["employees"] = {th::employee("a"), th::employee("b")};
    auto cust = [&](const std::string& name, std::vector<json> past) {
        d["customers"].push_back(th::customer(name, {th::relation("a", 1)}));
        for (json& p : past) {
            p["external_userid"] = name;
            d["deliveries"].push_back(p);
        }
    };
    cust("clean", {});
    cust("moment_enterprise_today", {th::delivery("", "a", today, "moment", "enterprise")});
    cust("mass_employee_today", {th::delivery("", "a", today, "mass_send", "employee")});
    cust("mass_enterprise_today_by_b", {th::delivery("", "b", today, "mass_send", "enterprise")});
    auto draft = th::campaign("s", "mass_send", "enterprise", t, {"a"});

    SECTION("a quota counts only ledger deliveries it matches (kind and origin)") {
        auto r = th::run(d, draft, th::rules_doc({th::quota("mass_ent", "mass_send", "enterprise", 1, "day")}));
        CHECK(r.outcome("clean") == "reached via a");
        CHECK(r.outcome("moment_enterprise_today") == "reached via a");  // other kind
        CHECK(r.outcome("mass_employee_today") == "reached via a");  // other origin
        CHECK(r.outcome("mass_enterprise_today_by_b") == "blocked quota:mass_ent");
    }
    SECTION("kind any and origin any count everything") {
        auto r = th::run(d, draft, th::rules_doc({th::quota("all", "any", "any", 1, "day")}));
        CHECK(r.outcome("clean") == "reached via a");
        CHECK(r.outcome("moment_enterprise_today") == "blocked quota:all");
        CHECK(r.outcome("mass_employee_today") == "blocked quota:all");
        CHECK(r.outcome("mass_enterprise_today_by_b") == "blocked quota:all");
    }
    SECTION("per customer_sender counts only this sender's deliveries") {
        auto r = th::run(d, draft, th::rules_doc({th::quota("mine", "any", "any", 1, "day", "customer_sender")}));
        CHECK(r.outcome("mass_enterprise_today_by_b") == "reached via a");
        CHECK(r.outcome("mass_employee_today") == "blocked quota:mine");
    }
    SECTION("a quota that does not match the campaign does not apply") {
        auto r = th::run(d, draft,
                         th::rules_doc({th::quota("moments_only", "moment", "any", 0, "day"),
                                        th::quota("employee_only", "any", "employee", 0, "day")}));
        CHECK(r.reached().size() == 4);
    }
    SECTION("a count of 0 or less always blocks, even with an empty ledger") {
        for (int count : {0, -1}) {
            INFO("count " << count);
            auto r =
                th::run(d, draft, th::rules_doc({th::quota("closed", "mass_send", "any", count, "rolling_days", "customer", 0)}));
            CHECK(r.outcome("clean") == "blocked quota:closed");
            CHECK(r.count("reached") == 0);
        }
    }
    SECTION("policies apply after quotas and report as policy:<id>") {
        auto r = th::run(d, draft,
                         th::rules_doc({th::quota("loose", "any", "any", 5, "day")}, "first_added", "each", 168,
                                       {th::quota("brand_cap", "any", "any", 1, "week")}));
        CHECK(r.outcome("clean") == "reached via a");
        CHECK(r.outcome("moment_enterprise_today") == "blocked policy:brand_cap");
    }
    SECTION("duplicate quota ids are accepted") {
        auto r = th::run(
            d, draft,
            th::rules_doc({th::quota("same", "moment", "any", 1, "day"), th::quota("same", "mass_send", "any", 1, "day")}));
        CHECK(r.outcome("clean") == "reached via a");
        CHECK(r.outcome("mass_employee_today") == "blocked quota:same");
        th::check_summary_invariants(r.summary);
    }
    SECTION("the draft's own earlier delivery to the customer counts for the later pair") {
        d["customers"] = json::array({th::customer("twice", {th::relation("a", 1), th::relation("b", 2)})});
        d["deliveries"] = json::array();
        auto r = th::run(d, th::campaign("s", "mass_send", "enterprise", t, {"a", "b"}),
                         th::rules_doc({th::quota("two", "mass_send", "any", 2, "day")}));
        CHECK(r.outcome("twice") == "reached via a;b");  // 0 then 1 delivery before each pair: both pass
        d["deliveries"] = json::array({th::delivery("twice", "a", today)});
        auto r2 = th::run(d, th::campaign("s", "mass_send", "enterprise", t, {"a", "b"}),
                          th::rules_doc({th::quota("two", "mass_send", "any", 2, "day")}));
        CHECK(r2.outcome("twice") == "reached via a");  // 1 then 2: b blocked by a's new delivery
        CHECK(r2.sender_blocked("b") == std::map<std::string, int64_t>{{"quota:two", 1}});
    }
}

TEST_CASE("presets: the platform quotas as a marketer meets them", "[verdict][quota][presets]") {
    json d = th::tenant(t);
    d["employees"] = {th::employee("a"), th::employee("b")};
    d["customers"] = json::array({th::customer("k", {th::relation("a", 1), th::relation("b", 2)})});
    SECTION("wecom-2020: employee mass sends are 1 a day per customer and sender") {
        d["deliveries"] = json::array({th::delivery("k", "b", today, "mass_send", "employee")});
        auto by_a = th::run(d, th::campaign("p", "mass_send", "employee", t, {"a"}));
        CHECK(by_a.outcome("k") == "reached via a");
        auto by_b = th::run(d, th::campaign("p", "mass_send", "employee", t, {"b"}));
        CHECK(by_b.outcome("k") == "blocked quota:mass_send_employee_day");
    }
    SECTION("wecom-2020: enterprise mass sends are 4 a month per customer") {
        for (int i = 0; i < 4; ++i) d["deliveries"].push_back(th::delivery("k", "a", this_month + i * kDay));
        auto r = th::run(d, th::campaign("s", "mass_send", "enterprise", t, {"a"}));
        CHECK(r.outcome("k") == "blocked quota:mass_send_enterprise_month");
        d["deliveries"].erase(0);
        auto r3 = th::run(d, th::campaign("s", "mass_send", "enterprise", t, {"a"}));
        CHECK(r3.outcome("k") == "reached via a");
    }
    SECTION("wecom-2020: employee and enterprise moments do not affect each other") {
        d["deliveries"] = json::array({th::delivery("k", "a", today, "moment", "employee")});
        for (int i = 0; i < 3; ++i)
            d["deliveries"].push_back(th::delivery("k", "a", this_month + i * kDay, "moment", "enterprise"));
        auto ent = th::run(d, th::campaign("m", "moment", "enterprise", t, {"a"}));
        CHECK(ent.outcome("k") == "reached via a");  // 3 enterprise posts this month < 4
        auto emp = th::run(d, th::campaign("m", "moment", "employee", t, {"a"}));
        CHECK(emp.outcome("k") == "blocked quota:moment_employee_day");
    }
    SECTION("wecom-2021: enterprise and employee mass sends share 1 a day per customer") {
        d["deliveries"] = json::array({th::delivery("k", "b", today, "mass_send", "employee")});
        auto r = th::run(d, th::campaign("s", "mass_send", "enterprise", t, {"a"}), "wecom-2021");
        CHECK(r.outcome("k") == "blocked quota:mass_send_any_day");
    }
    SECTION("wecom-2025: days_in_month mass sends a month per customer (31 in March)") {
        for (int i = 0; i < 30; ++i)
            d["deliveries"].push_back(th::delivery("k", "a", local_time(2024, 3, 1, 0, 0, 0) + i * 3600));
        auto r = th::run(d, th::campaign("s", "mass_send", "enterprise", t, {"a"}), "wecom-2025");
        CHECK(r.outcome("k") == "reached via a");  // 30 < 31
        d["deliveries"].push_back(th::delivery("k", "b", today));
        auto r2 = th::run(d, th::campaign("s", "mass_send", "enterprise", t, {"a"}), "wecom-2025");
        CHECK(r2.outcome("k") == "blocked quota:mass_send_any_month");
    }
}

TEST_CASE("verdict CSV: fields quoted only when needed, rows sorted by external_userid bytewise", "[verdict][csv]") {
    json d = th::tenant(t);
    d["employees"] = {th::employee("a"), th::employee("x,y")};
    // Bytewise: "B" (0x42) < "a" (0x61) < "z" (0x7A) < "Ä" (0xC3 ...) < "中" (0xE4 ...).
    for (const char* id : {"中", "z", "a", "Ä", "B", "has,comma", "has\"quote"})
        d["customers"].push_back(th::customer(id, {th::relation("a", 1), th::relation("x,y", 2)}));
    d["customers"].push_back(th::customer("blocked", {th::relation("a", 1, {}, true)}));
    auto r = th::run(d, th::campaign("s", "mass_send", "enterprise", t), th::rules_doc(json::array()));
    CHECK(r.csv ==
          "external_userid,verdict,reason,via\n"
          "B,reached,,\"a;x,y\"\n"
          "a,reached,,\"a;x,y\"\n"
          "blocked,blocked,not_friend,\n"
          "\"has\"\"quote\",reached,,\"a;x,y\"\n"
          "\"has,comma\",reached,,\"a;x,y\"\n"
          "z,reached,,\"a;x,y\"\n"
          "Ä,reached,,\"a;x,y\"\n"
          "中,reached,,\"a;x,y\"\n");
    CHECK(r.csv.find('\r') == std::string::npos);
    CHECK(r.csv.rfind("\xEF\xBB\xBF", 0) == std::string::npos);  // no BOM
}

TEST_CASE("senders: resolution of user_list and department_list", "[verdict][senders]") {
    json d = th::tenant(t);
    d["departments"] = {th::department(1, 0), th::department(2, 1), th::department(3, 2), th::department(4, 0)};
    d["employees"] = {th::employee("中"), th::employee("z", {3}), th::employee("a", {2}), th::employee("r", {4}, false),
                      th::employee("m", {4}, true, false)};
    d["customers"] = json::array({th::customer("k", {th::relation("z", 1)})});
    auto senders_of = [&](json user_list, json department_list) {
        json c = th::campaign("s", "mass_send", "enterprise", t);
        c["senders"] = {{"user_list", user_list}, {"department_list", department_list}};
        return th::run(d, c).sender_ids();
    };
    using V = std::vector<std::string>;
    SECTION("both empty or missing: every employee (resigned too), sorted bytewise") {
        CHECK(senders_of(json::array(), json::array()) == V{"a", "m", "r", "z", "中"});
        json c = th::campaign("s", "mass_send", "enterprise", t);
        c.erase("senders");
        CHECK(th::run(d, c).sender_ids() == V{"a", "m", "r", "z", "中"});
    }
    SECTION("a department includes its sub-departments; users and departments are merged without duplicates") {
        CHECK(senders_of(json::array(), {2}) == V{"a", "z"});
        CHECK(senders_of({"z", "r"}, {3}) == V{"r", "z"});
        CHECK(senders_of(json::array(), {1}) == V{"a", "z", "中"});  // 中 is in 1 itself, a in 2, z in 3
    }
    SECTION("only unknown ids: nobody, not everybody") {
        CHECK(senders_of(json::array(), {99}).empty());
        CHECK(senders_of({"ghost"}, json::array()).empty());
    }
}

TEST_CASE("moment audience: tag_list [] means every customer with a relation to a sender", "[verdict][moment]") {
    json d = th::tenant(t);
    d["employees"] = {th::employee("a"), th::employee("b")};
    d["customers"] = {th::customer("k1", {th::relation("a", 1, {"t1"})}), th::customer("k2", {th::relation("a", 1)}),
                      th::customer("k3", {th::relation("a", 1, {"t1"}, true)}),  // t1 only on a deleted relation
                      th::customer("k4", {th::relation("b", 1, {"t1"})})};
    json c = th::campaign("m", "moment", "enterprise", t, {"a"});
    c["audience"] = {{"tag_list", json::array()}};
    CHECK(th::run(d, c).audience() == std::set<std::string>{"k1", "k2", "k3"});
    c["audience"] = {{"tag_list", {"t1"}}};
    CHECK(th::run(d, c).audience() == std::set<std::string>{"k1"});
    c["audience"] = {{"tag_list", {"t1", "t2"}}};
    d["customers"][1]["follow_user"][0]["tag_id"] = {"t2"};
    CHECK(th::run(d, c).audience() == std::set<std::string>{"k1", "k2"});
}

TEST_CASE("summary: format, campaign_id and effective send_time", "[verdict]") {
    json d = th::tenant(t);
    d["employees"] = json::array({th::employee("a")});
    auto r = th::run(d, th::campaign("新品预告", "mass_send", "enterprise"));
    CHECK(r.summary["format"] == "reachlens.preview/1");
    CHECK(r.summary["campaign_id"] == "新品预告");
    CHECK(r.summary["send_time"] == t);  // no send_time: the dataset's now
    CHECK(r.summary["submittable"] == true);
    CHECK(r.summary["errors"].empty());
    CHECK(r.count("audience") == 0);
    CHECK(r.summary["blocked"].empty());
    CHECK(r.summary["impact"].empty());
}
