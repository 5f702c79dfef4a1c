// The audience builder's edits of a mass send's filter (core/draft/filter_edits.h) on the
// draft document, and the contract's key tables (core/model/contract_keys.h) they and the
// loaders share: what a marketer's click does to the document, and that the loader reads
// the result back.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/draft/filter_edits.h"
#include "core/model/contract_keys.h"
#include "core/read/input_error.h"

using json = nlohmann::ordered_json;

namespace {

json draft(json filter) {
    json d = {{"format", "reachlens.campaign/1"}, {"id", "c1"}, {"kind", "mass_send"}, {"origin", "enterprise"}};
    if (!filter.is_null()) d["audience"] = {{"filter", std::move(filter)}};
    return d;
}
json filter_of(const json& d) { return d.at("audience").contains("filter") ? d["audience"]["filter"] : json(); }
json tags(const char* key, std::initializer_list<const char*> ids) {
    json a = json::array();
    for (const char* id : ids) a.push_back(id);
    return {{key, a}};
}

}  // namespace

TEST_CASE("contract keys: every table maps key to enum and back, and the loader reads by the same keys") {
    for (const auto& row : rl::kExprOpKeys) CHECK(rl::enum_of(rl::kExprOpKeys, row.key) == row.value);
    for (const auto& row : rl::kAttachmentTypeKeys) CHECK(rl::attachment_type_name(row.value) == row.key);
    for (const auto& row : rl::kKindKeys) CHECK(rl::kind_name(row.value) == row.key);
    for (const auto& row : rl::kOriginKeys) CHECK(rl::origin_name(row.value) == row.key);
    for (const auto& row : rl::kWindowKeys) CHECK(rl::window_name(row.value) == row.key);
    for (const auto& row : rl::kMultiSenderKeys) CHECK(rl::multi_sender_name(row.value) == row.key);
    CHECK_FALSE(rl::enum_of(rl::kExprOpKeys, "tags").has_value());
    CHECK_FALSE(rl::enum_of(rl::kExprOpKeys, "").has_value());

    // Every operator's default node is an expression the loader accepts, with that operator.
    for (const auto& row : rl::kExprOpKeys) {
        const json node = rl::default_filter_node(row.value, "level");
        CHECK(rl::filter_node_op(node) == row.value);
        const rl::Campaign c = rl::load_campaign(draft(node).dump(), "draft");
        REQUIRE(c.filter.has_value());
        CHECK(c.filter->op == row.value);
    }
    // An unknown kind names the keys of the table.
    try {
        rl::load_campaign(json{{"format", "reachlens.campaign/1"}, {"id", "c"}, {"kind", "post"}, {"origin", "employee"}}.dump(),
                          "d");
        FAIL("a kind outside the table was accepted");
    } catch (const rl::InputError& e) {
        CHECK_THAT(std::string(e.what()),
                   Catch::Contains("\"moment\", \"mass_send\" or \"group_send\"") && Catch::Contains("/kind"));
    }
}

TEST_CASE("filter edits: changing an operator keeps what can be kept") {
    const std::string top = rl::kFilterPointer;
    json d = draft({{"all", {tags("tags_any", {"t1"}), tags("owner", {"a"})}}});

    REQUIRE(rl::set_filter_operator(d, top, rl::ExprOp::Any, "level"));
    CHECK(filter_of(d) == json{{"any", {tags("tags_any", {"t1"}), tags("owner", {"a"})}}});

    // A group of two becomes the negation of the group; "not" back to "all" keeps its operand.
    REQUIRE(rl::set_filter_operator(d, top, rl::ExprOp::Not, "level"));
    CHECK(filter_of(d) == json{{"not", {{"any", {tags("tags_any", {"t1"}), tags("owner", {"a"})}}}}});
    REQUIRE(rl::set_filter_operator(d, top, rl::ExprOp::All, "level"));
    CHECK(filter_of(d) == json{{"all", {{{"any", {tags("tags_any", {"t1"}), tags("owner", {"a"})}}}}}});

    // A group of one becomes the negation of its only child.
    json one = draft({{"any", {tags("tags_all", {"t2"})}}});
    REQUIRE(rl::set_filter_operator(one, top, rl::ExprOp::Not, "level"));
    CHECK(filter_of(one) == json{{"not", tags("tags_all", {"t2"})}});

    // A condition negated stays itself under the not; another operator starts from its default.
    json leaf = draft(tags("customers", {"k1"}));
    REQUIRE(rl::set_filter_operator(leaf, top, rl::ExprOp::Not, "level"));
    CHECK(filter_of(leaf) == json{{"not", tags("customers", {"k1"})}});
    REQUIRE(rl::set_filter_operator(leaf, top + "/not", rl::ExprOp::Attr, "会员等级"));
    CHECK(filter_of(leaf) == json{{"not", {{"attr", "会员等级"}, {"op", "exists"}}}});

    // The same operator, or a pointer to nothing: no change.
    const json before = d;
    CHECK_FALSE(rl::set_filter_operator(d, top, rl::ExprOp::All, "level"));
    CHECK_FALSE(rl::set_filter_operator(d, top + "/all/7", rl::ExprOp::Any, "level"));
    CHECK_FALSE(rl::set_filter_operator(d, "not a pointer", rl::ExprOp::Any, "level"));
    CHECK(d == before);
}

TEST_CASE("filter edits: wrap, add, delete and move") {
    const std::string top = rl::kFilterPointer;
    json d = draft(tags("tags_any", {"t1"}));

    REQUIRE(rl::wrap_filter_node(d, top, rl::ExprOp::Any));
    CHECK(filter_of(d) == json{{"any", {tags("tags_any", {"t1"})}}});
    REQUIRE(rl::add_filter_child(d, top, rl::ExprOp::Gender, ""));
    REQUIRE(rl::add_filter_child(d, top, rl::ExprOp::Received, ""));
    CHECK(filter_of(d) == json{{"any",
                                {tags("tags_any", {"t1"}),
                                 {{"gender", 2}},
                                 {{"received", {{"kind", "mass_send"}, {"within_days", 7}, {"min", 1}}}}}}});
    CHECK_FALSE(rl::add_filter_child(d, top + "/any/1", rl::ExprOp::Owner, ""));  // gender is no group
    CHECK(rl::filter_node_pointers(filter_of(d), top) ==
          std::vector<std::string>{top, top + "/any/0", top + "/any/1", top + "/any/2"});

    REQUIRE(rl::wrap_filter_node(d, top + "/any/0", rl::ExprOp::Not));
    CHECK(filter_of(d)["any"][0] == json{{"not", tags("tags_any", {"t1"})}});
    CHECK(rl::filter_node_pointers(filter_of(d), top)[2] == top + "/any/0/not");

    // Move: within the list, not past its ends.
    CHECK_FALSE(rl::move_filter_node(d, top + "/any/0", -1));
    CHECK_FALSE(rl::move_filter_node(d, top + "/any/2", +1));
    REQUIRE(rl::move_filter_node(d, top + "/any/0", +1));
    CHECK(filter_of(d)["any"][0] == json{{"gender", 2}});
    CHECK(filter_of(d)["any"][1] == json{{"not", tags("tags_any", {"t1"})}});

    // Deleting the operand of a not deletes the not from its list.
    REQUIRE(rl::delete_filter_node(d, top + "/any/1/not"));
    CHECK(filter_of(d)["any"].size() == 2);
    CHECK(filter_of(d)["any"][0] == json{{"gender", 2}});
    CHECK_FALSE(rl::delete_filter_node(d, top + "/any/5"));

    // The document still loads.
    CHECK(rl::load_campaign(d.dump(), "draft").filter->children.size() == 2);

    // Deleting the top node (through nots) removes the filter: everyone.
    json n = draft({{"not", {{"not", tags("owner", {"a"})}}}});
    REQUIRE(rl::delete_filter_node(n, top + "/not/not"));
    CHECK_FALSE(n["audience"].contains("filter"));
    CHECK_FALSE(rl::load_campaign(n.dump(), "draft").filter.has_value());
}

TEST_CASE("filter edits: a condition added at the top joins an all") {
    json d = draft(json());
    REQUIRE(rl::add_filter_condition(d, rl::ExprOp::TagsAny, ""));
    CHECK(filter_of(d) == json{{"tags_any", json::array()}});
    REQUIRE(rl::add_filter_condition(d, rl::ExprOp::NotInterestedActive, ""));
    CHECK(filter_of(d) == json{{"all", {{{"tags_any", json::array()}}, {{"not_interested_active", true}}}}});
    REQUIRE(rl::add_filter_condition(d, rl::ExprOp::AddedWithinDays, ""));
    CHECK(filter_of(d)["all"].size() == 3);
    CHECK(filter_of(d)["all"][2] == json{{"added_within_days", 30}});

    // A draft whose audience is not an object gets one.
    json odd = draft(json());
    odd["audience"] = "everyone";
    REQUIRE(rl::add_filter_condition(odd, rl::ExprOp::Gender, ""));
    CHECK(odd["audience"] == json{{"filter", {{"gender", 2}}}});
}
