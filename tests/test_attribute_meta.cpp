// The optional dataset field `attribute_meta` (docs/attribute-meta.md): read strictly with
// errors at their JSON pointer, carried through the snapshot, written by the generator, and
// ignored by the rules (a preview is the same with and without it). Also the per-value
// customer counts the audience builder lists.
#include <map>

#include "core/audience/audience.h"
#include "core/read/snapshot.h"
#include "generated_tenant.h"
#include "helpers.h"

using th::json;

namespace {

json meta_tenant(json meta) {
    const th::Time now = th::local_time(2024, 3, 5, 8);
    json d = th::tenant(now);
    d["employees"] = json::array({th::employee("a")});
    d["customers"].push_back(th::customer("c1", {th::relation("a", 1)}, {{"level", "gold"}, {"spend", 120.5}}));
    d["customers"].push_back(th::customer("c2", {th::relation("a", 2)}, {{"level", "gold"}, {"spend", 80}}));
    d["customers"].push_back(th::customer("c3", {th::relation("a", 3)}, {{"level", "silver"}, {"vip", true}}));
    d["attribute_meta"] = std::move(meta);
    return d;
}

json good_meta() {
    return {{"level",
             {{"name", "会员等级"},
              {"name_en", "Level"},
              {"type", "enum"},
              {"values", json::array({json{{"value", "gold"}, {"name", "金卡"}, {"name_en", "Gold"}}, "silver", 3})}}},
            {"spend", {{"name", "近90天消费"}, {"type", "number"}, {"unit", "元"}}},
            {"last_purchase", {{"name", "最近购买"}, {"type", "timestamp"}, {"note", "unknown fields are ignored"}}},
            {"vip", {{"name", "贵宾"}, {"type", "bool"}}}};
}

void meta_error(json meta, const std::string& pointer) {
    INFO("attribute_meta " << meta.dump());
    const auto e = th::input_error([&] { th::dataset(meta_tenant(std::move(meta))); });
    if (!e) return;
    INFO("problem: " << e->problem());
    CHECK(e->file() == "dataset.json");
    CHECK(e->pointer() == pointer);
}

}  // namespace

TEST_CASE("attribute_meta: a well-formed field is read with names, types, units and allowed values", "[attribute_meta]") {
    const rl::Dataset d = th::dataset(meta_tenant(good_meta()));
    REQUIRE(d.attribute_meta.size() == 4);
    const rl::AttributeMeta* level = d.find_attribute_meta("level");
    REQUIRE(level);
    CHECK(level->name == "会员等级");
    CHECK(level->name_en == "Level");
    CHECK(level->type == rl::AttributeMeta::Type::Enum);
    REQUIRE(level->values.size() == 3);
    CHECK(level->values[0].value.text == "gold");
    CHECK(level->values[0].name == "金卡");
    CHECK(level->values[1].value.text == "silver");
    CHECK(level->values[1].name.empty());
    CHECK(level->values[2].value.type == rl::Scalar::Type::Number);
    CHECK(level->values[2].value.number == 3);
    CHECK(d.find_attribute_meta("spend")->unit == "元");
    CHECK(d.find_attribute_meta("last_purchase")->type == rl::AttributeMeta::Type::Timestamp);
    CHECK(d.find_attribute_meta("vip")->type == rl::AttributeMeta::Type::Bool);
    CHECK(d.find_attribute_meta("city") == nullptr);
    // Without the field nothing is described.
    json plain = meta_tenant(json::object());
    plain.erase("attribute_meta");
    CHECK(th::dataset(plain).attribute_meta.empty());
}

TEST_CASE("attribute_meta: malformed metadata is an input error at its JSON pointer", "[attribute_meta]") {
    meta_error(json::array(), "/attribute_meta");
    meta_error({{"level", "会员等级"}}, "/attribute_meta/level");
    meta_error({{"level", {{"type", "number"}}}}, "/attribute_meta/level/name");
    meta_error({{"level", {{"name", ""}, {"type", "number"}}}}, "/attribute_meta/level/name");
    meta_error({{"level", {{"name", 5}, {"type", "number"}}}}, "/attribute_meta/level/name");
    meta_error({{"level", {{"name", "等级"}}}}, "/attribute_meta/level/type");
    meta_error({{"level", {{"name", "等级"}, {"type", "date"}}}}, "/attribute_meta/level/type");
    meta_error({{"level", {{"name", "等级"}, {"type", "enum"}}}}, "/attribute_meta/level/values");
    meta_error({{"level", {{"name", "等级"}, {"type", "enum"}, {"values", json::array()}}}}, "/attribute_meta/level/values");
    meta_error({{"level", {{"name", "等级"}, {"type", "string"}, {"values", json::array({"a"})}}}},
               "/attribute_meta/level/values");
    meta_error({{"level", {{"name", "等级"}, {"type", "enum"}, {"values", json::array({"a", true})}}}},
               "/attribute_meta/level/values/1");
    meta_error({{"level", {{"name", "等级"}, {"type", "enum"}, {"values", json::array({"a", "b", "a"})}}}},
               "/attribute_meta/level/values/2");
    meta_error({{"level", {{"name", "等级"}, {"type", "enum"}, {"values", json::array({json{{"name", "金卡"}}})}}}},
               "/attribute_meta/level/values/0/value");
    meta_error({{"level", {{"name", "等级"}, {"type", "enum"}, {"values", json::array({json{{"value", "a"}, {"name", 1}}})}}}},
               "/attribute_meta/level/values/0/name");
    meta_error({{"level", {{"name", "等级"}, {"type", "number"}, {"unit", false}}}}, "/attribute_meta/level/unit");
}

TEST_CASE("attribute_meta: the rules ignore it, and a snapshot carries it", "[attribute_meta][snapshot]") {
    json with = meta_tenant(good_meta());
    json without = with;
    without.erase("attribute_meta");
    const json draft = th::with_filter(th::campaign("d", "mass_send", "enterprise", std::nullopt, {"a"}),
                                       {{"attr", "level"}, {"op", "eq"}, {"value", "gold"}});
    const th::Run a = th::run(with, draft), b = th::run(without, draft);
    CHECK(a.summary.dump() == b.summary.dump());
    CHECK(a.csv == b.csv);

    const rl::Dataset d = th::dataset(with);
    const rl::Dataset back = rl::read_snapshot(rl::snapshot_bytes(d), "t.rlsnap");
    REQUIRE(back.attribute_meta.size() == d.attribute_meta.size());
    CHECK(back.attribute_meta_json == d.attribute_meta_json);
    CHECK(back.find_attribute_meta("level")->values[0].name == "金卡");
    CHECK(rl::snapshot_bytes(back) == rl::snapshot_bytes(d));
    // A dataset without the field writes no section for it and reads back without it.
    const rl::Dataset plain = rl::read_snapshot(rl::snapshot_bytes(th::dataset(without)), "t.rlsnap");
    CHECK(plain.attribute_meta.empty());
}

TEST_CASE("attribute_value_counts: customers per value, most first", "[attribute_meta]") {
    const rl::Dataset d = th::dataset(meta_tenant(good_meta()));
    const auto level = rl::attribute_value_counts(d, d.attribute_names.find("level"));
    REQUIRE(level.size() == 2);
    CHECK(d.strings[level[0].value.text] == "gold");
    CHECK(level[0].customers == 2);
    CHECK(d.strings[level[1].value.text] == "silver");
    CHECK(level[1].customers == 1);
    const auto vip = rl::attribute_value_counts(d, d.attribute_names.find("vip"));
    REQUIRE(vip.size() == 1);
    CHECK(vip[0].value.type == rl::Scalar::Type::Bool);
    CHECK(vip[0].customers == 1);
    CHECK(rl::attribute_value_counts(d, rl::kNone).empty());
    CHECK(rl::attribute_value_counts(d, d.attribute_names.find("level"), 1).size() == 1);
}

TEST_CASE("attribute_meta: the generator describes every attribute its customers carry, in Chinese", "[attribute_meta]") {
    const rl::Dataset d = rl::load_dataset(th::read_text(th::generated_dir() / "dataset.json"), "dataset.json");
    REQUIRE(d.attribute_names.size() > 0);
    for (uint32_t a = 0; a < d.attribute_names.size(); ++a) {
        const std::string_view key = d.attribute_names[a];
        INFO("attribute " << key);
        const rl::AttributeMeta* m = d.find_attribute_meta(key);
        REQUIRE(m);
        // A display name with a CJK character (UTF-8 lead byte 0xE4..0xE9).
        CHECK(std::any_of(m->name.begin(), m->name.end(), [](char ch) {
            const auto b = static_cast<unsigned char>(ch);
            return b >= 0xE4 && b <= 0xE9;
        }));
        CHECK(!m->name_en.empty());
        // Every value a customer holds fits the declared type (and an enum's list).
        for (const rl::AttrValueCount& v : rl::attribute_value_counts(d, a)) {
            switch (m->type) {
                case rl::AttributeMeta::Type::Number:
                case rl::AttributeMeta::Type::Timestamp: CHECK(v.value.type == rl::Scalar::Type::Number); break;
                case rl::AttributeMeta::Type::String: CHECK(v.value.type == rl::Scalar::Type::String); break;
                case rl::AttributeMeta::Type::Bool: CHECK(v.value.type == rl::Scalar::Type::Bool); break;
                case rl::AttributeMeta::Type::Enum: {
                    REQUIRE(v.value.type == rl::Scalar::Type::String);
                    const std::string_view text = d.strings[v.value.text];
                    CHECK(std::any_of(m->values.begin(), m->values.end(),
                                      [&](const rl::AttributeMeta::Choice& c) { return c.value.text == text; }));
                    break;
                }
            }
        }
    }
    const rl::AttributeMeta* spend = d.find_attribute_meta("spend_90d");
    REQUIRE(spend);
    CHECK(spend->name == "近90天消费");
    CHECK(d.find_attribute_meta("member_level")->type == rl::AttributeMeta::Type::Enum);
    CHECK(d.find_attribute_meta("last_purchase")->type == rl::AttributeMeta::Type::Timestamp);
}
