// "Not interested" (contract 5.3 step 3 and the not_interested_active expression):
// active while time <= t < time + not_interested_hours*3600, for moments only, for that
// customer and that sender only.
#include "helpers.h"

using th::json;
using th::kHour;
using th::local_time;

namespace {

const th::Time t = local_time(2024, 3, 5, 10, 0, 0);

// Customers with one relation each to "a" (b exists too), one not-interested event each.
json tenant_with_events() {
    json d = th::tenant(t);
    d["employees"] = {th::employee("a"), th::employee("b")};
    auto add = [&](const std::string& name, const std::string& with, th::Time time) {
        d["customers"].push_back(th::customer(name, {th::relation("a", t - 100 * th::kDay)}));
        d["not_interested"].push_back(th::not_interested(name, with, time));
    };
    add("expired_exactly_168h", "a", t - 168 * kHour);
    add("active_168h_minus_1s", "a", t - 168 * kHour + 1);
    add("tapped_at_t", "a", t);
    add("tapped_after_t", "a", t + 1);
    add("other_sender_at_t", "b", t);
    add("expired_24h_rule", "a", t - 24 * kHour);
    add("active_24h_rule", "a", t - 24 * kHour + 1);
    d["customers"].push_back(th::customer("no_event", {th::relation("a", t - 100 * th::kDay)}));
    return d;
}

}  // namespace

TEST_CASE("not interested: the 168-hour edge, events after t, other senders", "[not_interested]") {
    json d = tenant_with_events();
    SECTION("employee moment by a, wecom-2020 (168 h)") {
        auto r = th::run(d, th::campaign("m", "moment", "employee", t, {"a"}));
        CHECK(r.outcome("expired_exactly_168h") == "reached via a");  // t < time + 168h is false
        CHECK(r.outcome("active_168h_minus_1s") == "blocked not_interested");
        CHECK(r.outcome("tapped_at_t") == "blocked not_interested");  // time <= t
        CHECK(r.outcome("tapped_after_t") == "reached via a");  // time > t: not active yet
        CHECK(r.outcome("other_sender_at_t") == "reached via a");  // only that sender's posts are hidden
        CHECK(r.outcome("expired_24h_rule") == "blocked not_interested");
        CHECK(r.outcome("active_24h_rule") == "blocked not_interested");
        CHECK(r.outcome("no_event") == "reached via a");
        CHECK(r.blocked() == std::map<std::string, int64_t>{{"not_interested", 4}});
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"not_interested", 4}});
        th::check_summary_invariants(r.summary);
    }
    SECTION("enterprise moments are hidden too (moments of either origin)") {
        auto r = th::run(d, th::campaign("m", "moment", "enterprise", t, {"a"}));
        CHECK(r.outcome("tapped_at_t") == "blocked not_interested");
        CHECK(r.outcome("active_168h_minus_1s") == "blocked not_interested");
        CHECK(r.outcome("expired_exactly_168h") == "reached via a");
    }
    SECTION("mass sends ignore not-interested events") {
        auto r = th::run(d, th::campaign("s", "mass_send", "enterprise", t, {"a"}));
        CHECK(r.reached().size() == r.audience().size());
        CHECK(r.outcome("tapped_at_t") == "reached via a");
        CHECK(r.blocked().empty());
    }
    SECTION("not_interested_hours comes from the rules profile (24 h)") {
        auto rules = th::rules_doc({th::quota("moment_day", "moment", "employee", 1, "day")}, "first_added", "each", 24);
        auto r = th::run(d, th::campaign("m", "moment", "employee", t, {"a"}), rules);
        CHECK(r.outcome("expired_24h_rule") == "reached via a");
        CHECK(r.outcome("active_24h_rule") == "blocked not_interested");
        CHECK(r.outcome("active_168h_minus_1s") == "reached via a");  // long expired under 24 h
        CHECK(r.outcome("tapped_at_t") == "blocked not_interested");
    }
}

TEST_CASE("not interested: the event with one sender does not hide the others' posts", "[not_interested][multi_sender]") {
    json d = th::tenant(t);
    d["employees"] = {th::employee("a"), th::employee("b")};
    // a added first, b later: first_added picks a.
    d["customers"] = json::array({th::customer("both", {th::relation("a", 100), th::relation("b", 200)})});
    d["not_interested"] = json::array({th::not_interested("both", "a", t - kHour)});
    SECTION("first_added: the picked pair is blocked, no fall-back to b") {
        auto r = th::run(d, th::campaign("m", "moment", "enterprise", t, {"a", "b"}));
        CHECK(r.outcome("both") == "blocked not_interested");
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"not_interested", 1}});
        CHECK(r.sender_blocked("b") == std::map<std::string, int64_t>{{"duplicate", 1}});
    }
    SECTION("each: b still posts") {
        auto rules = th::rules_doc({th::quota("moment_month", "moment", "enterprise", 4, "month")}, "each", "each");
        auto r = th::run(d, th::campaign("m", "moment", "enterprise", t, {"a", "b"}), rules);
        CHECK(r.outcome("both") == "reached via b");
        CHECK(r.sender_blocked("a") == std::map<std::string, int64_t>{{"not_interested", 1}});
        CHECK(r.sender_field("b", "deliveries") == 1);
    }
    SECTION("an event with b only: first_added a posts") {
        d["not_interested"] = json::array({th::not_interested("both", "b", t - kHour)});
        auto r = th::run(d, th::campaign("m", "moment", "enterprise", t, {"a", "b"}));
        CHECK(r.outcome("both") == "reached via a");
    }
}

TEST_CASE("not interested: the not_interested_active expression (any employee, same edge)", "[not_interested][expressions]") {
    json d = tenant_with_events();
    auto filter_true = th::with_filter(th::campaign("s", "mass_send", "enterprise", t), {{"not_interested_active", true}});
    auto filter_false = th::with_filter(th::campaign("s", "mass_send", "enterprise", t), {{"not_interested_active", false}});
    SECTION("168 h (wecom-2020)") {
        auto yes = th::run(d, filter_true);
        CHECK(yes.audience() == std::set<std::string>{"active_168h_minus_1s", "tapped_at_t", "other_sender_at_t",
                                                      "expired_24h_rule", "active_24h_rule"});
        auto no = th::run(d, filter_false);
        CHECK(no.audience() == std::set<std::string>{"expired_exactly_168h", "tapped_after_t", "no_event"});
    }
    SECTION("24 h from a custom rules profile") {
        auto rules = th::rules_doc(json::array(), "first_added", "each", 24);
        auto yes = th::run(d, filter_true, rules);
        CHECK(yes.audience() == std::set<std::string>{"tapped_at_t", "other_sender_at_t", "active_24h_rule"});
    }
}

TEST_CASE("not interested: not_interested_hours 0 hides nothing", "[not_interested]") {
    json d = tenant_with_events();
    auto rules = th::rules_doc({th::quota("moment_day", "moment", "employee", 1, "day")}, "first_added", "each", 0);
    auto r = th::run(d, th::campaign("m", "moment", "employee", t, {"a"}), rules);
    CHECK(r.outcome("tapped_at_t") == "reached via a");  // time <= t < time + 0 never holds
    CHECK(r.blocked().empty());
}
