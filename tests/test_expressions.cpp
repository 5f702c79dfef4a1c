// Audience expressions of contract section 4, evaluated per customer at the send time t:
// the audience of a mass send with the filter is exactly the customers it is true for.
#include <algorithm>

#include "helpers.h"

using th::json;
using th::kDay;
using th::local_time;
using Set = std::set<std::string>;

namespace {

const th::Time t = local_time(2024, 3, 5, 10, 0, 0);
const Set kAll{"k1", "k2", "k3", "k4", "k5"};

// Departments 1 > 2 > 3, 1 > 4, and a separate root 5. a in 3, b (resigned) in 4, c in 1, e in 5.
json tenant() {
    json d = th::tenant(t);
    d["departments"] = {th::department(1, 0), th::department(2, 1), th::department(3, 2), th::department(4, 1),
                        th::department(5, 0)};
    d["employees"] = {th::employee("a", {3}), th::employee("b", {4}, false), th::employee("c", {1}), th::employee("e", {5})};
    d["customers"] = {
        th::customer("k1", {th::relation("a", t - 2 * kDay, {"t1", "t2"})},
                     {{"level", 3}, {"name_s", "abc"}, {"vip", true}, {"last", t - kDay}, {"note", "早鸟优惠"}, {"soon", t + 1}},
                     1),
        th::customer("k2", {th::relation("a", t - 2 * kDay + 1, {"t1"}), th::relation("c", t - 100 * kDay, {"t3"})},
                     {{"level", 3.0}, {"name_s", "abd"}, {"vip", false}, {"last", t - 129600}}, 2),
        th::customer("k3", {th::relation("b", t, {"t2"})}, {{"level", "3"}, {"name_s", "B"}, {"vip", 1}, {"last", "2024-03-04"}},
                     0),
        th::customer("k4", {th::relation("a", t - 3600, {"t1", "t4"}, true), th::relation("c", t - 100 * kDay, {"t3"})},
                     {{"level", 10}, {"name_s", "a"}, {"last", true}}, 0),
        th::customer("k5", {th::relation("c", t + 1)}, json::object(), 0),
    };
    d["deliveries"] = {
        th::delivery("k1", "a", t - kDay + 1, "mass_send", "enterprise"),
        th::delivery("k1", "a", t - kDay, "moment", "enterprise"),
        th::delivery("k2", "a", t - 10, "moment", "employee"),
        th::delivery("k2", "c", t - 5 * kDay, "mass_send", "employee"),
        th::delivery("k3", "b", t + 1, "mass_send", "enterprise"),
        th::delivery("ghost", "a", t - 10, "mass_send", "enterprise"),  // unknown customer: counts for nobody
    };
    d["not_interested"] = {th::not_interested("k3", "b", t - 3600), th::not_interested("k4", "c", t - 168 * 3600)};
    return d;
}

struct Eval {
    Set audience;
    std::vector<std::string> errors;
};

Eval eval(const json& filter) {
    static const json d = tenant();
    auto r = th::run(d, th::with_filter(th::campaign("x", "mass_send", "enterprise", t), filter));
    th::check_summary_invariants(r.summary);
    return {r.audience(), r.error_codes()};
}

void expect(const json& filter, const Set& expected) {
    INFO("filter " << filter.dump());
    Eval e = eval(filter);
    CHECK(th::set_text(e.audience) == th::set_text(expected));
    CHECK(e.errors.empty());
}

json attr(const std::string& name, const std::string& op, json value) {
    return {{"attr", name}, {"op", op}, {"value", std::move(value)}};
}
json received(const std::string& kind, int64_t days, int64_t min) {
    return {{"received", {{"kind", kind}, {"within_days", days}, {"min", min}}}};
}

}  // namespace

TEST_CASE("expressions: all / any / not and their empty lists", "[expressions]") {
    expect({{"all", json::array()}}, kAll);
    expect({{"any", json::array()}}, {});
    expect({{"not", {{"any", json::array()}}}}, kAll);
    expect({{"all", {{{"tags_any", {"t1"}}}, {{"not", {{"owner", {"c"}}}}}}}}, {"k1"});
    expect({{"any", {{{"gender", 1}}, attr("level", "eq", "3")}}}, {"k1", "k3"});
}

TEST_CASE("expressions: tags are the union over relations that are not deleted", "[expressions]") {
    expect({{"tags_any", {"t1"}}}, {"k1", "k2"});
    expect({{"tags_any", {"t4"}}}, {});  // t4 only on k4's deleted relation
    expect({{"tags_any", json::array()}}, {});
    expect({{"tags_all", {"t1", "t2"}}}, {"k1"});
    expect({{"tags_all", {"t1", "t3"}}}, {"k2"});  // one tag from each relation
    expect({{"tags_all", json::array()}}, kAll);
    expect({{"tags_none", {"t1"}}}, {"k3", "k4", "k5"});
    expect({{"tags_none", {"t4"}}}, kAll);
    expect({{"tags_none", json::array()}}, kAll);
}

TEST_CASE("expressions: tag_filter is OR inside a list, AND across lists", "[expressions]") {
    expect({{"tag_filter", {{"t1", "t3"}, {"t2"}}}}, {"k1"});
    expect({{"tag_filter", {{"t3"}}}}, {"k2", "k4"});
    expect({{"tag_filter", json::array()}}, kAll);
    expect({{"tag_filter", {json::array()}}}, {});
    expect({{"tag_filter", {{"t2"}, json::array()}}}, {});
}

TEST_CASE("expressions: owner and department count live relations, resigned employees included", "[expressions]") {
    expect({{"owner", {"a"}}}, {"k1", "k2"});  // k4's relation with a is deleted
    expect({{"owner", {"b"}}}, {"k3"});  // b resigned
    expect({{"owner", {"c"}}}, {"k2", "k4", "k5"});
    expect({{"owner", json::array()}}, {});
    expect({{"department", {1}}}, kAll);  // sub-departments 2, 3, 4 included
    expect({{"department", {2}}}, {"k1", "k2"});  // a is in 3, a child of 2
    expect({{"department", {4}}}, {"k3"});  // resigned b
    expect({{"department", {5}}}, {});  // e has no customers
    expect({{"department", json::array()}}, {});
}

TEST_CASE("expressions: gender and added_within_days", "[expressions]") {
    expect({{"gender", 1}}, {"k1"});
    expect({{"gender", 0}}, {"k3", "k4", "k5"});
    // (t - 2 days, t]: k1 added exactly 2 days ago is out, k2 one second later is in, k3 at t is in,
    // k4's recent relation is deleted, k5's relation is dated after t.
    expect({{"added_within_days", 2}}, {"k2", "k3"});
    expect({{"added_within_days", 101}}, {"k1", "k2", "k3", "k4"});
    expect({{"added_within_days", 0}}, {});
    expect({{"added_within_days", -1}}, {});
}

TEST_CASE("expressions: attr eq / ne / in with mixed types", "[expressions][attr]") {
    expect(attr("level", "eq", 3), {"k1", "k2"});  // 3 = 3.0
    expect(attr("level", "eq", 3.0), {"k1", "k2"});
    expect(attr("level", "eq", "3"), {"k3"});  // strings by bytes, never equal to a number
    expect(attr("level", "ne", 3), {"k3", "k4"});  // "3" ne 3; k5 has no level: false
    expect(attr("vip", "eq", true), {"k1"});
    expect(attr("vip", "eq", 1), {"k3"});  // a bool never equals a number
    expect(attr("vip", "eq", false), {"k2"});
    expect(attr("vip", "ne", true), {"k2", "k3"});
    expect(attr("level", "in", {3, "x"}), {"k1", "k2"});
    expect(attr("level", "in", {"3", true}), {"k3"});
    expect(attr("level", "in", json::array()), {});
}

TEST_CASE("expressions: attr gt / gte / lt / lte compare numbers with numbers and strings bytewise", "[expressions][attr]") {
    expect(attr("level", "gt", 2), {"k1", "k2", "k4"});  // "3" vs 2: false
    expect(attr("level", "gt", "2"), {"k3"});
    expect(attr("level", "gte", 3), {"k1", "k2", "k4"});
    expect(attr("level", "lt", 3), {});
    expect(attr("level", "lte", 3), {"k1", "k2"});
    expect(attr("level", "lt", 10), {"k1", "k2"});
    expect(attr("level", "lte", 10), {"k1", "k2", "k4"});
    expect(attr("vip", "gt", 0), {"k3"});  // bools are not numbers
    expect(attr("name_s", "gt", "abc"), {"k2"});
    expect(attr("name_s", "gte", "abc"), {"k1", "k2"});
    expect(attr("name_s", "lt", "a"), {"k3"});  // "B" (0x42) < "a" (0x61)
    expect(attr("name_s", "lt", "abc"), {"k3", "k4"});  // a prefix sorts first
}

TEST_CASE("expressions: attr contains / exists / within_days, and missing attributes", "[expressions][attr]") {
    expect(attr("name_s", "contains", "ab"), {"k1", "k2"});
    expect(attr("level", "contains", "3"), {"k3"});  // only the string attribute
    expect(attr("note", "contains", "优惠"), {"k1"});
    expect(attr("note", "exists", "ignored"), {"k1"});
    expect({{"attr", "level"}, {"op", "exists"}}, {"k1", "k2", "k3", "k4"});
    // (t - v days, t], v fractional: k1 is 1 day old, k2 exactly 1.5 days old.
    expect(attr("last", "within_days", 1.5), {"k1"});
    expect(attr("last", "within_days", 2), {"k1", "k2"});
    expect(attr("last", "within_days", 1), {});  // k1 exactly on the open edge
    expect(attr("last", "within_days", 0), {});
    expect(attr("soon", "within_days", 10), {});  // after t
    expect(attr("ghost_attr", "ne", 1), {});  // missing: every op false, ne included
    expect(attr("ghost_attr", "exists", 1), {});
    expect({{"not", attr("ghost_attr", "eq", 1)}}, kAll);
}

TEST_CASE("expressions: received counts ledger deliveries of every origin in (t - N days, t]", "[expressions]") {
    expect(received("any", 1, 1), {"k1", "k2"});
    expect(received("moment", 1, 1), {"k2"});  // k1's moment is exactly 1 day old
    expect(received("mass_send", 1, 1), {"k1"});
    expect(received("any", 7, 2), {"k1", "k2"});
    expect(received("any", 7, 3), {});
    expect(received("mass_send", 7, 1), {"k1", "k2"});  // employee origin counts; k3's is after t
    expect(received("any", 1, 0), kAll);
    expect(received("any", 0, 1), {});
}

TEST_CASE("expressions: not_interested_active and customers", "[expressions]") {
    expect({{"not_interested_active", true}}, {"k3"});  // k4's event expired exactly 168 h ago
    expect({{"not_interested_active", false}}, {"k1", "k2", "k4", "k5"});
    expect({{"customers", {"k2", "k4", "nobody"}}}, {"k2", "k4"});  // unknown external_userid: no error
    expect({{"customers", json::array()}}, {});
}

TEST_CASE("expressions: unknown ids are campaign errors (once per distinct id) and match nothing",
          "[expressions][campaign_errors]") {
    auto count = [](const std::vector<std::string>& v, const std::string& code) { return std::count(v.begin(), v.end(), code); };
    SECTION("tags_all with a ghost tag is false") {
        auto e = eval({{"tags_all", {"t1", "ghost"}}});
        CHECK(e.audience.empty());
        CHECK(e.errors == std::vector<std::string>{"campaign.unknown_tag"});
    }
    SECTION("tags_any / tags_none: the ghost matches nothing") {
        auto any = eval({{"tags_any", {"t1", "ghost"}}});
        CHECK(any.audience == Set{"k1", "k2"});
        CHECK(count(any.errors, "campaign.unknown_tag") == 1);
        auto none = eval({{"tags_none", {"ghost"}}});
        CHECK(none.audience == kAll);
    }
    SECTION("owner / department with unknown ids") {
        auto o = eval({{"owner", {"ghost"}}});
        CHECK(o.audience.empty());
        CHECK(o.errors == std::vector<std::string>{"campaign.unknown_userid"});
        auto dep = eval({{"department", {99}}});
        CHECK(dep.audience.empty());
        CHECK(dep.errors == std::vector<std::string>{"campaign.unknown_department"});
    }
    SECTION("one error per distinct id across the whole filter") {
        auto e = eval({{"all",
                        {{{"tags_any", {"ghost", "ghost"}}},
                         {{"tag_filter", {{"ghost"}}}},
                         {{"tags_none", {"ghost2"}}},
                         {{"owner", {"nobody", "nobody"}}}}}});
        CHECK(count(e.errors, "campaign.unknown_tag") == 2);
        CHECK(count(e.errors, "campaign.unknown_userid") == 1);
        CHECK(e.audience.empty());  // tags_any [ghost] is false
    }
}

TEST_CASE("expressions: an unknown id used in senders and in the filter is one error per code",
          "[expressions][campaign_errors]") {
    static const json d = tenant();
    json c = th::with_filter(th::campaign("x", "mass_send", "enterprise", t, {"a", "ghost"}),
                             {{"any", {{{"owner", {"ghost"}}}, {{"tags_any", {"ghost"}}}}}});
    c["senders"]["department_list"] = {99};
    c["audience"]["filter"]["any"].push_back({{"department", {99}}});
    auto r = th::run(d, c);
    auto codes = r.error_codes();
    std::sort(codes.begin(), codes.end());
    CHECK(codes == std::vector<std::string>{"campaign.unknown_department", "campaign.unknown_tag", "campaign.unknown_userid"});
    CHECK(r.audience().empty());
}
