// Multi-sender policies (contract 5.3): pair order (createtime, userid bytewise, input
// order); each / first_added / last_chat; dead pairs are never picked; duplicates; no
// fall-back when the picked pair is blocked.
#include "helpers.h"

using th::json;
using th::local_time;

namespace {

const th::Time t = local_time(2024, 3, 5, 10, 0, 0);

json people(std::initializer_list<json> employees) {
    json d = th::tenant(t);
    d["employees"] = json::array();
    for (const json& e : employees) d["employees"].push_back(e);
    return d;
}

// Mass send under one quota `q` (mass_send, 1 a day) with the given multi-sender policy.
json mass_rules(const std::string& multi, const std::string& per = "customer") {
    return th::rules_doc({th::quota("q", "mass_send", "any", 1, "day", per)}, "first_added", multi);
}

json draft(std::vector<std::string> senders) { return th::campaign("draft", "mass_send", "enterprise", t, std::move(senders)); }

}  // namespace

TEST_CASE("multi-sender each: every live pair is tried in pair order and sees the earlier pairs' deliveries", "[multi_sender]") {
    json d = people({th::employee("a"), th::employee("b")});
    // Input order b then a; pair order is by createtime: a (100) then b (200).
    d["customers"] = json::array({th::customer("c", {th::relation("b", 200), th::relation("a", 100)})});
    SECTION("quota per customer: the first pair's delivery blocks the second") {
        auto r = th::run(d, draft({"a", "b"}), mass_rules("each"));
        CHECK(r.outcome("c") == "reached via a");
        CHECK(r.count("deliveries") == 1);
        CHECK(r.sender_field("a", "deliveries") == 1);
        CHECK(r.sender_blocked("b") == std::map<std::string, int64_t>{{"quota:q", 1}});
        th::check_summary_invariants(r.summary);
    }
    SECTION("quota per customer_sender: both deliver, via lists them in delivery (pair) order") {
        auto r = th::run(d, draft({"a", "b"}), mass_rules("each", "customer_sender"));
        CHECK(r.outcome("c") == "reached via a;b");
        CHECK(r.count("reached") == 1);
        CHECK(r.count("deliveries") == 2);
        th::check_summary_invariants(r.summary);
    }
    SECTION("two relations of the customer with the same employee are two pairs") {
        d["customers"] = json::array({th::customer("c", {th::relation("a", 100), th::relation("a", 300)})});
        auto r = th::run(d, draft({"a"}), mass_rules("each", "customer_sender"));
        CHECK(r.outcome("c") == "reached via a");
        CHECK(r.sender_field("a", "pairs") == 2);
        CHECK(r.sender_field("a", "deliveries") == 1);
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"quota:q", 1}});
    }
}

TEST_CASE("multi-sender first_added: the earliest live pair is the only one tried", "[multi_sender]") {
    SECTION("ties of createtime are broken by userid bytewise (uppercase sorts before lowercase)") {
        json d = people({th::employee("a"), th::employee("b"), th::employee("B")});
        d["customers"] =
            json::array({th::customer("c", {th::relation("b", 100), th::relation("a", 100), th::relation("B", 100)})});
        auto r = th::run(d, draft({"a", "b", "B"}), mass_rules("first_added"));
        CHECK(r.outcome("c") == "reached via B");
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"duplicate", 1}});
        CHECK(r.sender_blocked("b") == std::map<std::string, int64_t>{{"duplicate", 1}});
        CHECK(r.sender_ids() == std::vector<std::string>{"B", "a", "b"});
        th::check_summary_invariants(r.summary);
    }
    SECTION("a shorter userid that is a prefix sorts first") {
        json d = people({th::employee("ab"), th::employee("a")});
        d["customers"] = json::array({th::customer("c", {th::relation("ab", 100), th::relation("a", 100)})});
        auto r = th::run(d, draft({"a", "ab"}), mass_rules("first_added"));
        CHECK(r.outcome("c") == "reached via a");
    }
    SECTION("createtime decides before userid") {
        json d = people({th::employee("a"), th::employee("z")});
        d["customers"] = json::array({th::customer("c", {th::relation("a", 101), th::relation("z", 100)})});
        auto r = th::run(d, draft({"a", "z"}), mass_rules("first_added"));
        CHECK(r.outcome("c") == "reached via z");
    }
    SECTION("relations with employees who are not senders are not pairs") {
        json d = people({th::employee("a"), th::employee("b"), th::employee("u")});
        d["customers"] =
            json::array({th::customer("c", {th::relation("u", 50), th::relation("b", 200), th::relation("a", 100)})});
        auto r = th::run(d, draft({"a", "b"}), mass_rules("first_added"));
        CHECK(r.outcome("c") == "reached via a");
        CHECK(r.sender_field("a", "pairs") + r.sender_field("b", "pairs") == 2);
    }
    SECTION("no fall-back: when the picked pair is blocked, the others stay duplicate") {
        json d = people({th::employee("a"), th::employee("b")});
        d["customers"] = json::array({th::customer("c", {th::relation("a", 100), th::relation("b", 200)})});
        d["deliveries"] = json::array({th::delivery("c", "a", t - 3600)});  // a used its per-sender daily quota
        auto r = th::run(d, draft({"a", "b"}), mass_rules("first_added", "customer_sender"));
        CHECK(r.outcome("c") == "blocked quota:q");
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"quota:q", 1}});
        CHECK(r.sender_blocked("b") == std::map<std::string, int64_t>{{"duplicate", 1}});
        CHECK(r.blocked() == std::map<std::string, int64_t>{{"quota:q", 1}});
        th::check_summary_invariants(r.summary);
    }
    SECTION("dead pairs are never picked: resigned and deleted relations are skipped") {
        json d = people({th::employee("a", {1}, false), th::employee("b"), th::employee("c")});
        d["customers"] =
            json::array({th::customer("k", {th::relation("a", 100), th::relation("b", 200, {}, true), th::relation("c", 300)})});
        auto r = th::run(d, draft({"a", "b", "c"}), mass_rules("first_added"));
        CHECK(r.outcome("k") == "reached via c");
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"sender_inactive", 1}});
        CHECK(r.sender_blocked("b") == std::map<std::string, int64_t>{{"not_friend", 1}});
        CHECK(r.sender_blocked("c").empty());
    }
    SECTION("moment: a sender without moments_enabled is dead, the next live pair posts (wecom-2020)") {
        json d = people({th::employee("a", {1}, true, false), th::employee("b")});
        d["customers"] = json::array({th::customer("k", {th::relation("a", 100), th::relation("b", 200)})});
        auto r = th::run(d, th::campaign("m", "moment", "enterprise", t, {"a", "b"}));
        CHECK(r.outcome("k") == "reached via b");
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"sender_inactive", 1}});
    }
    SECTION("moment under wecom-2020 is first_added: one post, the later pair is duplicate") {
        json d = people({th::employee("a"), th::employee("b")});
        d["customers"] = json::array({th::customer("k", {th::relation("b", 50), th::relation("a", 100)})});
        auto r = th::run(d, th::campaign("m", "moment", "enterprise", t, {"a", "b"}));
        CHECK(r.outcome("k") == "reached via b");
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"duplicate", 1}});
        CHECK(r.count("deliveries") == 1);
    }
    SECTION("all pairs dead: no duplicates, the customer's reason is the dead pairs' reason") {
        json d = people({th::employee("a", {1}, false), th::employee("b")});
        d["customers"] = json::array({th::customer("k", {th::relation("a", 100), th::relation("b", 200, {}, true)})});
        auto r = th::run(d, draft({"a", "b"}), mass_rules("first_added"));
        CHECK(r.outcome("k") == "blocked not_friend");
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"sender_inactive", 1}});
        CHECK(r.sender_blocked("b") == std::map<std::string, int64_t>{{"not_friend", 1}});
    }
}

TEST_CASE("multi-sender last_chat: the live pair with the largest last_chat_time", "[multi_sender]") {
    SECTION("largest last_chat_time wins regardless of createtime; missing counts as lowest") {
        json d = people({th::employee("a"), th::employee("b"), th::employee("c")});
        d["customers"] = json::array({th::customer(
            "k", {th::relation("a", 100, {}, false, 500), th::relation("b", 200, {}, false, 900), th::relation("c", 300)})});
        auto r = th::run(d, draft({"a", "b", "c"}), mass_rules("last_chat"));
        CHECK(r.outcome("k") == "reached via b");
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"duplicate", 1}});
        CHECK(r.sender_blocked("c") == std::map<std::string, int64_t>{{"duplicate", 1}});
        th::check_summary_invariants(r.summary);
    }
    SECTION("a present last_chat_time of 0 beats a missing one") {
        json d = people({th::employee("a"), th::employee("b")});
        d["customers"] = json::array({th::customer("k", {th::relation("a", 100), th::relation("b", 200, {}, false, 0)})});
        auto r = th::run(d, draft({"a", "b"}), mass_rules("last_chat"));
        CHECK(r.outcome("k") == "reached via b");
    }
    SECTION("ties by pair order (createtime first, whatever the input order)") {
        json d = people({th::employee("a"), th::employee("b")});
        d["customers"] = {th::customer("k", {th::relation("b", 200, {}, false, 900), th::relation("a", 100, {}, false, 900)}),
                          th::customer("m", {th::relation("b", 100, {}, false, 900), th::relation("a", 100, {}, false, 900)})};
        auto r = th::run(d, draft({"a", "b"}), mass_rules("last_chat"));
        CHECK(r.outcome("k") == "reached via a");  // a added first
        CHECK(r.outcome("m") == "reached via a");  // same createtime: userid bytewise
    }
    SECTION("all missing: the first pair in pair order") {
        json d = people({th::employee("a"), th::employee("b")});
        d["customers"] = json::array({th::customer("k", {th::relation("b", 100), th::relation("a", 200)})});
        auto r = th::run(d, draft({"a", "b"}), mass_rules("last_chat"));
        CHECK(r.outcome("k") == "reached via b");
    }
    SECTION("a dead pair with the latest chat is never picked") {
        json d = people({th::employee("a"), th::employee("b"), th::employee("c", {1}, false)});
        d["customers"] =
            json::array({th::customer("k", {th::relation("a", 100, {}, true, 999), th::relation("c", 150, {}, false, 998),
                                            th::relation("b", 200, {}, false, 5)})});
        auto r = th::run(d, draft({"a", "b", "c"}), mass_rules("last_chat"));
        CHECK(r.outcome("k") == "reached via b");
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"not_friend", 1}});
        CHECK(r.sender_blocked("c") == std::map<std::string, int64_t>{{"sender_inactive", 1}});
    }
    SECTION("no fall-back from a blocked last-chat pair") {
        json d = people({th::employee("a"), th::employee("b")});
        d["customers"] =
            json::array({th::customer("k", {th::relation("a", 100, {}, false, 10), th::relation("b", 200, {}, false, 20)})});
        d["deliveries"] = json::array({th::delivery("k", "b", t - 60)});
        auto r = th::run(d, draft({"a", "b"}), mass_rules("last_chat", "customer_sender"));
        CHECK(r.outcome("k") == "blocked quota:q");
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"duplicate", 1}});
        CHECK(r.sender_blocked("b") == std::map<std::string, int64_t>{{"quota:q", 1}});
    }
    SECTION("wecom-2025 preset: mass sends go to the last chatter only") {
        json d = people({th::employee("a"), th::employee("b")});
        d["customers"] =
            json::array({th::customer("k", {th::relation("a", 100, {}, false, 10), th::relation("b", 200, {}, false, 5)})});
        auto r = th::run(d, draft({"a", "b"}), "wecom-2025");
        CHECK(r.outcome("k") == "reached via a");
        CHECK(r.sender_blocked("b") == std::map<std::string, int64_t>{{"duplicate", 1}});
    }
}
