// Input errors (contract 1.1-1.3 and section 4): what must be refused with an InputError
// naming the file and the JSON pointer of the defect, and what must be accepted.
#include "helpers.h"

using th::json;
using th::local_time;

namespace {

const th::Time t = local_time(2024, 3, 5, 10, 0, 0);

// A valid tenant touching every section. nlohmann::json writes keys sorted, so in the text
// "customers" and "deliveries" come before "employees" and "tag_groups": references are
// forward references, which the loader must accept.
json valid() {
    json d = th::tenant(t);
    d["departments"].push_back(th::department(2, 1, "Sales"));
    d["employees"] = {th::employee("a", {2}), th::employee("b")};
    d["tag_groups"].push_back({{"group_id", "g2"}, {"group_name", "Other"}, {"tags", {{{"id", "t9"}, {"name", "nine"}}}}});
    d["customers"] = {th::customer("k1", {th::relation("a", 100, {"t1"})}, {{"level", 3}, {"city", "深圳"}, {"vip", true}}),
                      th::customer("k2", {th::relation("b", 200, {"t2"}, true, 300)}, json::object(), 1)};
    d["deliveries"] = json::array({th::delivery("k1", "a", t - 3600)});
    d["not_interested"] = json::array({th::not_interested("k2", "b", t - 60)});
    json s = th::scheduled("s1", "mass_send", "enterprise", t + 3600, {"a"});
    s["audience"] = {{"filter", {{"tags_any", {"t1"}}}}};
    d["scheduled"] = json::array({s});
    return d;
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// Loads with the given loader and checks the InputError's file and pointer.
template <class Load>
void expect_error_at(Load load, const std::string& text, const std::string& pointer, const char* file) {
    auto e = th::input_error([&] { load(text); });
    if (!e) return;
    INFO("problem: " << e->problem());
    CHECK(e->file() == file);
    CHECK(e->pointer() == pointer);
    CHECK(!e->problem().empty());
}

void dataset_error(const std::string& text, const std::string& pointer) {
    expect_error_at([](const std::string& s) { rl::load_dataset(s, "dataset.json"); }, text, pointer, "dataset.json");
}
void dataset_error(const json& doc, const std::string& pointer) { dataset_error(doc.dump(), pointer); }

// A missing field may be reported at the field or at its object.
void dataset_missing(const json& doc, const std::string& object, const std::string& field) {
    auto e = th::input_error([&] { rl::load_dataset(doc.dump(), "dataset.json"); });
    if (!e) return;
    INFO("pointer " << e->pointer() << ", problem " << e->problem());
    CHECK((e->pointer() == object + "/" + field || e->pointer() == object));
}

void dataset_refused(const std::string& text) {
    auto e = th::input_error([&] { rl::load_dataset(text, "dataset.json"); });
    if (e) CHECK(e->file() == "dataset.json");
}

json base_campaign() { return th::campaign("c", "mass_send", "enterprise", t); }

void campaign_error(const json& doc, const std::string& pointer) {
    expect_error_at([](const std::string& s) { rl::load_campaign(s, "campaign.json"); }, doc.dump(), pointer, "campaign.json");
}
void campaign_error(const std::string& text, const std::string& pointer) {
    expect_error_at([](const std::string& s) { rl::load_campaign(s, "campaign.json"); }, text, pointer, "campaign.json");
}
void filter_error(const json& filter, const std::string& pointer) {
    INFO("filter " << filter.dump());
    campaign_error(th::with_filter(base_campaign(), filter), pointer);
}

json base_rules() { return th::rules_doc({th::quota("q", "mass_send", "any", 1, "day")}); }
void rules_error(const json& doc, const std::string& pointer) {
    expect_error_at([](const std::string& s) { rl::load_rules(s, "rules.json"); }, doc.dump(), pointer, "rules.json");
}

}  // namespace

TEST_CASE("invalid input: the base tenant of these tests loads", "[invalid]") {
    rl::Dataset d = th::dataset(valid());
    CHECK(d.customer_count() == 2);
}

TEST_CASE("invalid input: malformed JSON", "[invalid]") {
    const std::string text = valid().dump();
    dataset_refused(text.substr(0, text.size() - 1));  // truncated
    dataset_refused("");
    dataset_refused("{");
    dataset_refused("[]");  // not an object
    dataset_refused(text + " x");  // trailing garbage
    dataset_refused(replace_once(text, "]", ",]"));  // trailing comma
    dataset_refused(replace_once(text, "\"now\":", "now:"));  // unquoted key
    dataset_refused(replace_once(text, "\"now\":", "'now':"));
    dataset_refused("{\"format\": \"reachlens.dataset/1\", } ");
}

TEST_CASE("invalid input: 'int' is a JSON integer (1.0, 1e3, true are not)", "[invalid]") {
    for (const char* bad : {"1.0", "1e3", "true", "\"1\"", "1E2", "-0.5"}) {
        DYNAMIC_SECTION("value " << bad) {
            json d = valid();
            d["now"] = 987654321;
            dataset_error(replace_once(d.dump(), "987654321", bad), "/now");
            json g = valid();
            g["customers"][0]["gender"] = 7777;
            dataset_error(replace_once(g.dump(), "7777", bad), "/customers/0/gender");
            json c = valid();
            c["customers"][0]["follow_user"][0]["createtime"] = 7777;
            dataset_error(replace_once(c.dump(), "7777", bad), "/customers/0/follow_user/0/createtime");
            json tz = valid();
            tz["enterprise"]["tz_offset_minutes"] = 7777;
            dataset_error(replace_once(tz.dump(), "7777", bad), "/enterprise/tz_offset_minutes");
            json dep = valid();
            dep["departments"][1]["parentid"] = 7777;
            dataset_error(replace_once(dep.dump(), "7777", bad), "/departments/1/parentid");
            json del = valid();
            del["deliveries"][0]["time"] = 7777;
            dataset_error(replace_once(del.dump(), "7777", bad), "/deliveries/0/time");
        }
    }
}

TEST_CASE("invalid input: other wrong types and values", "[invalid]") {
    auto with = [](const std::function<void(json&)>& f) {
        json d = valid();
        f(d);
        return d;
    };
    dataset_error(with([](json& d) { d["customers"][0]["follow_user"][0]["deleted"] = "false"; }),
                  "/customers/0/follow_user/0/deleted");
    dataset_error(with([](json& d) { d["customers"][0]["follow_user"][0]["tag_id"] = "t1"; }),
                  "/customers/0/follow_user/0/tag_id");
    dataset_error(with([](json& d) { d["employees"][0]["moments_enabled"] = 1; }), "/employees/0/moments_enabled");
    dataset_error(with([](json& d) { d["employees"][0]["status"] = "fired"; }), "/employees/0/status");
    dataset_error(with([](json& d) { d["employees"][0]["userid"] = 5; }), "/employees/0/userid");
    dataset_error(with([](json& d) { d["customers"][0]["gender"] = 3; }), "/customers/0/gender");
    dataset_error(with([](json& d) { d["deliveries"][0]["kind"] = "sms"; }), "/deliveries/0/kind");
    dataset_error(with([](json& d) { d["deliveries"][0]["origin"] = "boss"; }), "/deliveries/0/origin");
    dataset_error(with([](json& d) { d["enterprise"]["verified"] = "yes"; }), "/enterprise/verified");
    dataset_error(with([](json& d) { d["customers"] = json::object(); }), "/customers");
    dataset_error(with([](json& d) { d["customers"][0]["attributes"] = json::array(); }), "/customers/0/attributes");
}

TEST_CASE("invalid input: missing required fields", "[invalid]") {
    auto without = [](std::initializer_list<std::string> path, const std::string& field) {
        json d = valid();
        json* at = &d;
        for (const std::string& p : path) at = p[0] >= '0' && p[0] <= '9' ? &(*at)[std::stoul(p)] : &(*at)[p];
        REQUIRE(at->contains(field));
        at->erase(field);
        return d;
    };
    for (const char* f : {"format", "enterprise", "now"}) dataset_missing(without({}, f), "", f);
    for (const char* f : {"corp_name", "industry", "verified"}) dataset_missing(without({"enterprise"}, f), "/enterprise", f);
    for (const char* f : {"id", "name", "parentid"}) dataset_missing(without({"departments", "1"}, f), "/departments/1", f);
    for (const char* f : {"userid", "name", "department", "status", "moments_enabled"})
        dataset_missing(without({"employees", "1"}, f), "/employees/1", f);
    for (const char* f : {"group_id", "group_name", "tags"}) dataset_missing(without({"tag_groups", "0"}, f), "/tag_groups/0", f);
    for (const char* f : {"id", "name"}) dataset_missing(without({"tag_groups", "0", "tags", "1"}, f), "/tag_groups/0/tags/1", f);
    for (const char* f : {"external_userid", "name", "gender", "attributes", "follow_user"})
        dataset_missing(without({"customers", "1"}, f), "/customers/1", f);
    for (const char* f : {"userid", "createtime", "tag_id", "state", "deleted"})
        dataset_missing(without({"customers", "1", "follow_user", "0"}, f), "/customers/1/follow_user/0", f);
    for (const char* f : {"campaign_id", "kind", "origin", "external_userid", "userid", "time"})
        dataset_missing(without({"deliveries", "0"}, f), "/deliveries/0", f);
    for (const char* f : {"external_userid", "userid", "time"})
        dataset_missing(without({"not_interested", "0"}, f), "/not_interested/0", f);
    for (const char* f : {"id", "kind", "origin", "send_time"})
        dataset_missing(without({"scheduled", "0"}, f), "/scheduled/0", f);
}

TEST_CASE("invalid input: duplicate keys in any object, ignored ones included", "[invalid]") {
    const std::string text = valid().dump();
    dataset_error(replace_once(text, "\"now\":", "\"now\":1,\"now\":"), "/now");
    dataset_error(replace_once(text, "\"gender\":", "\"gender\":0,\"gender\":"), "/customers/0/gender");
    dataset_error(replace_once(text, "\"level\":", "\"level\":1,\"level\":"), "/customers/0/attributes/level");
    dataset_error(replace_once(text, "{\"campaign_id\"", "{\"extra\":{\"x\":1,\"x\":2},\"campaign_id\""),
                  "/deliveries/0/extra/x");
    campaign_error(replace_once(base_campaign().dump(), "\"kind\":", "\"kind\":\"moment\",\"kind\":"), "/kind");
}

TEST_CASE("invalid input: duplicate ids", "[invalid]") {
    json d = valid();
    d["employees"].push_back(th::employee("a"));
    dataset_missing(d, "/employees/2", "userid");
    json c = valid();
    c["customers"].push_back(th::customer("k1"));
    dataset_missing(c, "/customers/2", "external_userid");
    json tg = valid();
    tg["tag_groups"][1]["tags"].push_back({{"id", "t1"}, {"name", "again"}});  // t1 is in group g1
    dataset_missing(tg, "/tag_groups/1/tags/1", "id");
    json dep = valid();
    dep["departments"].push_back(th::department(2, 1, "again"));
    dataset_missing(dep, "/departments/2", "id");
    json s = valid();
    s["scheduled"].push_back(th::scheduled("s1", "moment", "enterprise", t + 7200));
    dataset_missing(s, "/scheduled/1", "id");
}

TEST_CASE("invalid input: references to unknown employees, tags and departments", "[invalid]") {
    auto with = [](const std::function<void(json&)>& f) {
        json d = valid();
        f(d);
        return d;
    };
    dataset_error(with([](json& d) { d["customers"][0]["follow_user"][0]["userid"] = "ghost"; }),
                  "/customers/0/follow_user/0/userid");
    dataset_error(with([](json& d) { d["customers"][1]["follow_user"][0]["userid"] = "ghost"; }),  // a deleted relation too
                  "/customers/1/follow_user/0/userid");
    dataset_error(with([](json& d) {
                      d["customers"][0]["follow_user"][0]["tag_id"] = {"t1", "ghost"};
                  }),
                  "/customers/0/follow_user/0/tag_id/1");
    dataset_error(with([](json& d) { d["deliveries"][0]["userid"] = "ghost"; }), "/deliveries/0/userid");
    dataset_error(with([](json& d) { d["not_interested"][0]["userid"] = "ghost"; }), "/not_interested/0/userid");
    dataset_error(with([](json& d) { d["departments"][1]["parentid"] = 42; }), "/departments/1/parentid");
    dataset_error(with([](json& d) { d["employees"][0]["department"] = {1, 42}; }), "/employees/0/department/1");
    dataset_error(with([](json& d) {
                      d["scheduled"][0]["senders"]["user_list"] = {"a", "ghost"};
                  }),
                  "/scheduled/0/senders/user_list/1");
    dataset_error(with([](json& d) { d["scheduled"][0]["senders"]["department_list"] = {42}; }),
                  "/scheduled/0/senders/department_list/0");
    dataset_error(with([](json& d) {
                      d["scheduled"][0]["audience"]["filter"] = {{"tags_any", {"ghost"}}};
                  }),
                  "/scheduled/0/audience/filter/tags_any/0");
    dataset_error(with([](json& d) {
                      d["scheduled"][0]["audience"]["filter"] = {{"owner", {"ghost"}}};
                  }),
                  "/scheduled/0/audience/filter/owner/0");
    dataset_error(with([](json& d) {
                      d["scheduled"][0]["kind"] = "moment";
                      d["scheduled"][0]["audience"] = {{"tag_list", {"ghost"}}};
                  }),
                  "/scheduled/0/audience/tag_list/0");
}

TEST_CASE("invalid input: department cycles", "[invalid]") {
    json two = valid();
    two["departments"].push_back(th::department(5, 6));
    two["departments"].push_back(th::department(6, 5));
    auto e = th::input_error([&] { th::dataset(two); });
    if (e) CHECK(e->pointer().rfind("/departments/", 0) == 0);
    json self = valid();
    self["departments"].push_back(th::department(7, 7));
    auto e2 = th::input_error([&] { th::dataset(self); });
    if (e2) CHECK(e2->pointer().rfind("/departments/", 0) == 0);
}

TEST_CASE("invalid input: attribute values other than number, string or bool, non-finite numbers", "[invalid]") {
    for (json bad : {json(nullptr), json::array({1}), json::object({{"a", 1}})}) {
        json d = valid();
        d["customers"][0]["attributes"]["x"] = bad;
        INFO("value " << bad.dump());
        dataset_error(d, "/customers/0/attributes/x");
    }
    json d = valid();
    d["customers"][0]["attributes"]["x"] = 7777;
    dataset_error(replace_once(d.dump(), "7777", "1e999"), "/customers/0/attributes/x");
    dataset_error(replace_once(d.dump(), "7777", "-1e999"), "/customers/0/attributes/x");
    dataset_refused(replace_once(d.dump(), "7777", "NaN"));
    dataset_refused(replace_once(d.dump(), "7777", "Infinity"));
    json n = valid();
    n["now"] = 987654321;
    dataset_refused(replace_once(n.dump(), "987654321", "1e999"));
}

TEST_CASE("invalid input: invalid UTF-8 and lone surrogate escapes, valid pairs accepted", "[invalid][utf8]") {
    json d = valid();
    d["customers"][0]["name"] = "PLACEHOLDER";
    const std::string text = d.dump();
    for (const char* bad : {"\xff", "a\xc0\xaf", "\xe0\x80\xaf", "\xf0\x82\x82\xac", "\xed\xa0\x80", "\xe4\xb8", "\x80",
                            "\xf4\x90\x80\x80", "\xe4\xb8\x41"}) {
        INFO("bytes of case " << std::string(bad).size());
        dataset_refused(replace_once(text, "PLACEHOLDER", bad));
    }
    for (const char* bad : {"\\ud800", "\\udc00", "x\\ud800y", "\\ud800\\u0041", "\\ude00\\ud83d"}) {
        INFO("escape " << bad);
        dataset_refused(replace_once(text, "PLACEHOLDER", bad));
    }
    // A valid surrogate pair is one character (U+1F600) in the external_userid.
    json ok = valid();
    ok["customers"][0]["external_userid"] = "PLACEHOLDER";
    ok["deliveries"][0]["external_userid"] = "other";
    rl::Dataset data = rl::load_dataset(replace_once(ok.dump(), "\"PLACEHOLDER\"", "\"k\\ud83d\\ude00\""), "dataset.json");
    rl::Campaign c = th::load(th::campaign("c", "mass_send", "enterprise", t, {"a"}));
    std::string csv = rl::verdicts_csv(data, rl::run_preview(data, c, rl::preset_rules("wecom-2020")));
    CHECK(csv.find("\nk\xF0\x9F\x98\x80,reached,,a\n") != std::string::npos);
}

TEST_CASE("invalid input: the format string, a leading byte-order mark is skipped", "[invalid]") {
    json d = valid();
    d["format"] = "reachlens.dataset/2";
    dataset_error(d, "/format");
    json c = base_campaign();
    c["format"] = "reachlens.dataset/1";
    campaign_error(c, "/format");
    json r = base_rules();
    r["format"] = "reachlens.rules/2";
    rules_error(r, "/format");

    const std::string bom = "\xEF\xBB\xBF";
    CHECK(rl::load_dataset(bom + valid().dump(), "dataset.json").customer_count() == 2);
    CHECK(rl::load_campaign(bom + base_campaign().dump(), "campaign.json").id == "c");
    CHECK(rl::load_rules(bom + base_rules().dump(), "rules.json").quotas.size() == 1);
    dataset_refused(" " + bom + valid().dump());  // only a leading one
    dataset_refused(bom + bom + valid().dump());
}

TEST_CASE("invalid input: attachments", "[invalid][campaign]") {
    auto with_attachment = [](json a) {
        json c = base_campaign();
        c["content"]["attachments"] = json::array({std::move(a)});
        return c;
    };
    campaign_error(with_attachment({{"msgtype", "voice"}, {"voice", json::object()}}), "/content/attachments/0/msgtype");
    {
        auto e = th::input_error([&] { th::load(with_attachment({{"msgtype", "image"}})); });
        if (e) CHECK(e->pointer().rfind("/content/attachments/0", 0) == 0);
    }
    {
        auto e = th::input_error([&] {
            th::load(with_attachment({{"msgtype", "image"}, {"video", {{"name", "v"}, {"bytes", 1}, {"seconds", 1}}}}));
        });
        if (e) CHECK(e->pointer().rfind("/content/attachments/0", 0) == 0);
    }
    campaign_error(with_attachment({{"msgtype", "image"}, {"image", "a.png"}}), "/content/attachments/0/image");
    campaign_error(
        with_attachment({{"msgtype", "image"}, {"image", {{"name", "a"}, {"bytes", 1.5}, {"width", 1}, {"height", 1}}}}),
        "/content/attachments/0/image/bytes");
    // accepted: seconds may be fractional; a missing content/text/attachments is empty
    CHECK_NOTHROW(th::load(with_attachment({{"msgtype", "video"}, {"video", {{"name", "v"}, {"bytes", 1}, {"seconds", 1.5}}}})));
    json no_content = base_campaign();
    no_content.erase("content");
    CHECK(th::load(no_content).content.text.empty());
}

TEST_CASE("invalid input: expression nodes need exactly one operator", "[invalid][expressions]") {
    filter_error(json::object(), "/audience/filter");
    filter_error({{"unknown_op", 1}}, "/audience/filter");
    filter_error({{"all", {json::object()}}}, "/audience/filter/all/0");
    // Two operator keys: the pointer names the node or one of its keys.
    auto two = [](const json& filter, const std::string& node) {
        INFO("filter " << filter.dump());
        auto e = th::input_error([&] { th::load(th::with_filter(base_campaign(), filter)); });
        if (e) CHECK(e->pointer().rfind(node, 0) == 0);
    };
    two({{"tags_any", {"t1"}}, {"owner", {"a"}}}, "/audience/filter");
    two({{"not", {{"gender", 1}, {"customers", {"k1"}}}}}, "/audience/filter/not");
    two({{"all", json::array()}, {"any", json::array()}}, "/audience/filter");
}

TEST_CASE("invalid input: badly typed expression operands", "[invalid][expressions]") {
    filter_error({{"tags_any", "t1"}}, "/audience/filter/tags_any");
    filter_error({{"tags_all", {1}}}, "/audience/filter/tags_all/0");
    filter_error({{"tag_filter", {"t1"}}}, "/audience/filter/tag_filter/0");
    filter_error({{"owner", {{{"id", "a"}}}}}, "/audience/filter/owner/0");
    filter_error({{"department", {"1"}}}, "/audience/filter/department/0");
    filter_error({{"gender", "1"}}, "/audience/filter/gender");
    filter_error({{"gender", 1.0}}, "/audience/filter/gender");
    filter_error({{"added_within_days", 1.5}}, "/audience/filter/added_within_days");
    filter_error({{"all", json::array({1})}}, "/audience/filter/all/0");  // an element that is not an object
    filter_error({{"all", json::object()}}, "/audience/filter/all");
    filter_error({{"not", json::array()}}, "/audience/filter/not");
    filter_error({{"not_interested_active", "yes"}}, "/audience/filter/not_interested_active");
    filter_error({{"customers", "k1"}}, "/audience/filter/customers");
    filter_error({{"attr", 5}, {"op", "eq"}, {"value", 1}}, "/audience/filter/attr");
    filter_error({{"attr", "x"}, {"op", "like"}, {"value", 1}}, "/audience/filter/op");
    filter_error({{"attr", "x"}, {"op", "eq"}, {"value", nullptr}}, "/audience/filter/value");
    filter_error({{"attr", "x"}, {"op", "eq"}, {"value", {1, 2}}}, "/audience/filter/value");
    filter_error({{"attr", "x"}, {"op", "in"}, {"value", 1}}, "/audience/filter/value");
    filter_error({{"attr", "x"}, {"op", "in"}, {"value", {1, nullptr}}}, "/audience/filter/value/1");
    filter_error({{"attr", "x"}, {"op", "within_days"}, {"value", "7"}}, "/audience/filter/value");
    filter_error({{"attr", "x"}, {"op", "within_days"}, {"value", true}}, "/audience/filter/value");
    for (const char* missing : {"kind", "within_days", "min"}) {
        json rec = {{"kind", "any"}, {"within_days", 1}, {"min", 1}};
        rec.erase(missing);
        filter_error({{"received", rec}}, std::string("/audience/filter/received/") + missing);
    }
    filter_error({{"received", {{"kind", "sms"}, {"within_days", 1}, {"min", 1}}}}, "/audience/filter/received/kind");
    filter_error({{"received", {{"kind", "any"}, {"within_days", 1.5}, {"min", 1}}}}, "/audience/filter/received/within_days");
    {
        INFO("attr without op / eq without value");
        auto e = th::input_error([&] { th::load(th::with_filter(base_campaign(), {{"attr", "x"}, {"value", 1}})); });
        if (e) CHECK(e->pointer().rfind("/audience/filter", 0) == 0);
        auto e2 = th::input_error([&] { th::load(th::with_filter(base_campaign(), {{"attr", "x"}, {"op", "eq"}})); });
        if (e2) CHECK(e2->pointer().rfind("/audience/filter", 0) == 0);
    }
    // accepted: exists needs no value; within_days takes a fractional value
    CHECK_NOTHROW(th::load(th::with_filter(base_campaign(), {{"attr", "x"}, {"op", "exists"}})));
    CHECK_NOTHROW(th::load(th::with_filter(base_campaign(), {{"attr", "x"}, {"op", "within_days"}, {"value", 0.5}})));
}

TEST_CASE("invalid input: campaign fields", "[invalid][campaign]") {
    auto with = [](const std::function<void(json&)>& f) {
        json c = base_campaign();
        f(c);
        return c;
    };
    campaign_error(with([](json& c) { c["send_time"] = 1.0; }), "/send_time");
    campaign_error(with([](json& c) { c["kind"] = "sms"; }), "/kind");
    campaign_error(with([](json& c) { c["origin"] = "boss"; }), "/origin");
    campaign_error(with([](json& c) { c["senders"]["user_list"] = {1}; }), "/senders/user_list/0");
    campaign_error(with([](json& c) { c["senders"]["department_list"] = {"1"}; }), "/senders/department_list/0");
    campaign_error(with([](json& c) { c["content"]["text"] = 5; }), "/content/text");
    for (const char* f : {"format", "id", "kind", "origin"}) {
        json c = base_campaign();
        c.erase(f);
        auto e = th::input_error([&] { th::load(c); });
        if (e) CHECK((e->pointer() == std::string("/") + f || e->pointer().empty()));
    }
    const std::string text = base_campaign().dump();
    auto e = th::input_error([&] { rl::load_campaign(text.substr(0, text.size() - 2), "campaign.json"); });  // truncated
    if (e) CHECK(e->file() == "campaign.json");
}

TEST_CASE("invalid input: rules profiles", "[invalid][rules]") {
    auto with = [](const std::function<void(json&)>& f) {
        json r = base_rules();
        f(r);
        return r;
    };
    rules_error(with([](json& r) { r["quotas"][0]["count"] = 1.5; }), "/quotas/0/count");
    rules_error(with([](json& r) { r["quotas"][0]["count"] = "lots"; }), "/quotas/0/count");
    rules_error(with([](json& r) { r["quotas"][0]["window"] = "year"; }), "/quotas/0/window");
    rules_error(with([](json& r) { r["quotas"][0]["kind"] = "sms"; }), "/quotas/0/kind");
    rules_error(with([](json& r) { r["quotas"][0]["per"] = "team"; }), "/quotas/0/per");
    rules_error(with([](json& r) { r["multi_sender"]["moment"] = "random"; }), "/multi_sender/moment");
    rules_error(with([](json& r) { r["not_interested_hours"] = 1.0; }), "/not_interested_hours");
    {
        json r = with([](json& r) { r["quotas"][0]["window"] = "rolling_days"; });
        auto e = th::input_error([&] { th::rules(r); });
        if (e) CHECK(e->pointer().rfind("/quotas/0", 0) == 0);
    }
    for (const char* f : {"quotas", "policies", "not_interested_hours", "multi_sender", "moments_excluded_industries",
                          "moments_require_verified"}) {
        json r = base_rules();
        r.erase(f);
        auto e = th::input_error([&] { th::rules(r); });
        if (e) CHECK((e->pointer() == std::string("/") + f || e->pointer().empty()));
    }
    // accepted: count "days_in_month", rolling_days with days, name and content omitted
    json ok = base_rules();
    ok["quotas"].push_back(th::quota("m", "any", "any", "days_in_month", "rolling_days", "customer_sender", 30));
    ok.erase("name");
    CHECK(th::rules(ok).quotas.size() == 2);
}

TEST_CASE("acceptance: unknown customers in the ledger, repeated relations, unknown fields, key order", "[invalid][acceptance]") {
    SECTION("an unknown external_userid in deliveries or not_interested is accepted and matches nobody") {
        json d = valid();
        d["deliveries"] = {th::delivery("nobody", "a", t - 60), th::delivery("k1", "b", t - 86400 * 40)};
        d["not_interested"] = json::array({th::not_interested("nobody", "a", t - 60)});
        auto r = th::run(d, th::campaign("c", "mass_send", "enterprise", t, {"a"}),
                         th::rules_doc({th::quota("q", "any", "any", 1, "day")}));
        CHECK(r.outcome("k1") == "reached via a");
        auto m = th::run(d, th::campaign("m", "moment", "employee", t, {"a"}));
        CHECK(m.outcome("k1") == "reached via a");
    }
    SECTION("two relations of one customer with the same employee are two pairs") {
        json d = valid();
        d["customers"][0]["follow_user"].push_back(th::relation("a", 50, {"t2"}));
        auto r = th::run(d, th::campaign("c", "mass_send", "enterprise", t, {"a"}), th::rules_doc(json::array()));
        CHECK(r.sender_field("a", "pairs") == 2);
        CHECK(r.sender_field("a", "deliveries") == 2);
        CHECK(r.outcome("k1") == "reached via a;a");
    }
    SECTION("unknown extra fields are ignored everywhere") {
        json extra = {{"nested", {{"deep", {1, nullptr, "x", {{"k", false}}}}}}};
        json d = valid();
        d["x_top"] = extra;
        d["enterprise"]["x"] = extra;
        d["departments"][0]["x"] = extra;
        d["employees"][0]["position"] = "导购";
        d["tag_groups"][0]["x"] = extra;
        d["tag_groups"][0]["tags"][0]["order"] = 3;
        d["customers"][0]["unionid"] = "o123";
        d["customers"][0]["follow_user"][0]["remark"] = "r";
        d["deliveries"][0]["x"] = extra;
        d["not_interested"][0]["x"] = extra;
        d["scheduled"][0]["x"] = extra;
        json c = base_campaign();
        c["x"] = extra;
        c["senders"]["x"] = extra;
        c["content"]["x"] = extra;
        c["content"]["attachments"] = {{{"msgtype", "image"},
                                        {"x", extra},
                                        {"image", {{"name", "a"}, {"bytes", 1}, {"width", 1}, {"height", 1}, {"x", 1}}}}};
        c["audience"] = {{"filter", {{"tags_any", {"t1"}}}}, {"x", extra}};
        json r = base_rules();
        r["x"] = extra;
        r["quotas"][0]["x"] = extra;
        r["content"] = {{"moment", {{"x", 1}}}, {"x", extra}};
        auto run = th::run(d, c, r);
        CHECK(run.audience() == std::set<std::string>{"k1"});
    }
    SECTION("object key order does not matter (ids referenced before they are defined)") {
        json d = valid();
        th::ojson reordered;
        for (const char* key : {"scheduled", "not_interested", "deliveries", "customers", "tag_groups", "employees",
                                "departments", "now", "enterprise", "format"})
            reordered[key] = d[key];
        rl::Dataset a = rl::load_dataset(reordered.dump(), "dataset.json");
        CHECK(a.customer_count() == 2);
        CHECK(a.scheduled.size() == 1);
    }
    SECTION("tz_offset_minutes defaults to 480") {
        json d = valid();
        d["enterprise"].erase("tz_offset_minutes");
        d["deliveries"] =
            json::array({th::delivery("k1", "a", local_time(2024, 3, 5, 0, 0, 0, 480))});  // local midnight at +08:00
        auto r = th::run(d, th::campaign("c", "mass_send", "enterprise", t, {"a"}),
                         th::rules_doc({th::quota("q", "any", "any", 1, "day")}));
        CHECK(r.outcome("k1") == "blocked quota:q");
        d["deliveries"] = json::array({th::delivery("k1", "a", local_time(2024, 3, 5, 0, 0, 0, 480) - 1)});
        auto r2 = th::run(d, th::campaign("c", "mass_send", "enterprise", t, {"a"}),
                          th::rules_doc({th::quota("q", "any", "any", 1, "day")}));
        CHECK(r2.outcome("k1") == "reached via a");
    }
    SECTION("scheduled campaigns are not checked as drafts (section 3)") {
        json d = valid();
        d["enterprise"]["industry"] = "finance";
        d["enterprise"]["verified"] = false;
        json s = th::scheduled("odd", "moment", "employee", t + 60, {"a", "b"});
        s["content"] = {{"text", ""}, {"attachments", {{{"msgtype", "file"}, {"file", {{"name", "f"}, {"bytes", 999999999}}}}}}};
        s["audience"] = {{"filter", {{"gender", 1}}}};  // stray key on a moment
        d["scheduled"].push_back(s);
        CHECK_NOTHROW(th::dataset(d));
    }
}

TEST_CASE("invalid input: JSON syntax details (RFC 8259)", "[invalid]") {
    json d = valid();
    d["customers"][0]["name"] = "PLACEHOLDER";
    const std::string text = d.dump();
    SECTION("raw control characters and bad escapes inside strings") {
        for (const char* bad : {"a\nb", "a\tb", "a\x01z", "\\x41", "\\u12", "\\u12G4"}) {
            INFO("string body " << bad);
            dataset_refused(replace_once(text, "PLACEHOLDER", bad));
        }
    }
    SECTION("number formats") {
        json n = valid();
        n["customers"][0]["attributes"]["x"] = 7777;
        for (const char* bad : {"01", "+1", ".5", "1.", "1e", "--1", "0x10"}) {
            INFO("number " << bad);
            dataset_refused(replace_once(n.dump(), "7777", bad));
        }
        for (const char* ok : {"-0", "1.5e3", "-2E-2", "0.0"}) {
            INFO("number " << ok);
            CHECK_NOTHROW(rl::load_dataset(replace_once(n.dump(), "7777", ok), "dataset.json"));
        }
    }
    SECTION("a key spelled with an escape is the same key") {
        dataset_error(replace_once(text, "\"now\":", "\"now\":1,\"n\\u006fw\":"), "/now");
    }
    SECTION("pointers escape '/' and '~' in keys (RFC 6901)") {
        json a = valid();
        a["customers"][0]["attributes"]["a/b~c"] = nullptr;
        dataset_error(a, "/customers/0/attributes/a~1b~0c");
    }
    SECTION("invalid UTF-8 in a key of an ignored object") {
        json x = valid();
        x["x_ignored"] = {{"KEYHOLDER", 1}};
        dataset_refused(replace_once(x.dump(), "KEYHOLDER", "\xff"));
    }
}

TEST_CASE("acceptance: a scheduled filter may name unknown customers", "[invalid][acceptance]") {
    json d = valid();
    d["scheduled"][0]["audience"]["filter"] = {{"customers", {"nobody", "k1"}}};
    CHECK_NOTHROW(th::dataset(d));
}

TEST_CASE("invalid input: duplicate keys are found in large objects too", "[invalid]") {
    for (int dup_of : {0, 5, 31, 35}) {
        json d = valid();
        json attrs = json::object();
        for (int i = 0; i < 40; ++i) attrs["key" + std::to_string(100 + i)] = i;
        d["customers"][0]["attributes"] = attrs;
        // Appended after the 40 keys: a repeat of key number dup_of.
        std::string text = d.dump();
        const std::string last = "\"key139\":39";
        text = replace_once(text, last, last + ",\"key" + std::to_string(100 + dup_of) + "\":0");
        INFO("duplicate of key " << dup_of);
        dataset_error(text, "/customers/0/attributes/key" + std::to_string(100 + dup_of));
    }
    // 40 distinct keys are fine.
    json ok = valid();
    for (int i = 0; i < 40; ++i) ok["customers"][0]["attributes"]["key" + std::to_string(100 + i)] = i;
    CHECK_NOTHROW(th::dataset(ok));
}
