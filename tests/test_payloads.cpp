// WeCom request bodies (contract section 6, last paragraph): a moment is one
// externalcontact/add_moment_task; a mass send is one externalcontact/add_msg_template per
// sender listing only the customers that sender delivers to, at most 10,000 per request.
#include <map>

#include "helpers.h"

using th::json;
using th::local_time;

namespace {

const th::Time t = local_time(2024, 3, 5, 10, 0, 0);

std::string cid(const char* prefix, int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%05d", prefix, i);
    return buf;
}

// The dataset text is assembled directly (10,000+ customers).
std::string big_tenant(int a_only) {
    json head = th::tenant(t);
    head["employees"] = {th::employee("a"), th::employee("b"), th::employee("idle")};
    head.erase("customers");
    std::string customers = "[";
    auto add = [&](const json& c) {
        if (customers.size() > 1) customers += ",";
        customers += c.dump();
    };
    for (int i = 0; i < a_only; ++i) add(th::customer(cid("ca", i), {th::relation("a", 1000 + i)}));
    for (int i = 0; i < 3; ++i) add(th::customer(cid("cb", i), {th::relation("b", 1000)}));
    add(th::customer("both", {th::relation("a", 1), th::relation("b", 2)}));
    add(th::customer("a_deleted_b_live", {th::relation("a", 1, {}, true), th::relation("b", 2)}));
    add(th::customer("only_deleted", {th::relation("a", 1, {}, true)}));
    add(th::customer("blocked_by_quota", {th::relation("a", 1)}));
    customers += "]";
    std::string text = head.dump();
    text.pop_back();  // the closing brace
    return text + ",\"customers\":" + customers + "}";
}

}  // namespace

TEST_CASE("payloads: a mass send gives one add_msg_template per sender, split at 10,000 customers", "[payload]") {
    const int a_only = 10001;
    std::string text = big_tenant(a_only);
    // blocked_by_quota already had 4 enterprise mass sends this month (wecom-2020).
    json extra = json::array();
    for (int i = 0; i < 4; ++i) extra.push_back(th::delivery("blocked_by_quota", "a", local_time(2024, 3, 1 + i, 9, 0, 0)));
    text = text.substr(0, text.find("\"deliveries\":[]")) + "\"deliveries\":" + extra.dump() +
           text.substr(text.find("\"deliveries\":[]") + std::string("\"deliveries\":[]").size());
    rl::Dataset data = rl::load_dataset(text, "dataset.json");
    REQUIRE(data.customer_count() == uint32_t(a_only + 7));

    json c = th::campaign("big", "mass_send", "enterprise", t, {"a", "b", "idle"});
    c["content"] = {{"text", "新品上市"},
                    {"attachments", {{{"msgtype", "link"}, {"link", {{"title", "T"}, {"url", "https://e.com"}}}}}}};
    rl::Campaign campaign = th::load(c);
    rl::PreviewResult result = rl::run_preview(data, campaign, rl::preset_rules("wecom-2020"));
    REQUIRE(result.reached == a_only + 3 + 2);  // ca*, cb*, both, a_deleted_b_live

    th::ojson requests = rl::wecom_requests(data, campaign, result);
    REQUIRE(requests.is_array());
    std::map<std::string, std::vector<std::string>> by_sender;
    std::map<std::string, int> request_count;
    for (const auto& req : requests) {
        CHECK(req["api"] == "externalcontact/add_msg_template");
        const auto& body = req["body"];
        const std::string sender = body["sender"].get<std::string>();
        const auto& ids = body["external_userid"];
        REQUIRE(ids.is_array());
        CHECK(ids.size() >= 1);
        CHECK(ids.size() <= 10000);
        ++request_count[sender];
        for (const auto& id : ids) by_sender[sender].push_back(id.get<std::string>());
        CHECK(body["text"]["content"] == "新品上市");
        CHECK(body["attachments"].size() == 1);
    }
    // a delivers 10,001 + both = 10,002: two requests; b delivers 3 + both + a_deleted_b_live: one; idle: none.
    CHECK(request_count == std::map<std::string, int>{{"a", 2}, {"b", 1}});
    CHECK(requests.size() == 3);

    std::set<std::string> expected_a{"both"}, expected_b{"both", "a_deleted_b_live"};
    for (int i = 0; i < a_only; ++i) expected_a.insert(cid("ca", i));
    for (int i = 0; i < 3; ++i) expected_b.insert(cid("cb", i));
    std::set<std::string> got_a(by_sender["a"].begin(), by_sender["a"].end());
    std::set<std::string> got_b(by_sender["b"].begin(), by_sender["b"].end());
    CHECK(by_sender["a"].size() == got_a.size());  // nobody twice
    CHECK(got_a == expected_a);
    CHECK(got_b == expected_b);
    CHECK(got_a.count("only_deleted") == 0);
    CHECK(got_a.count("blocked_by_quota") == 0);
}

TEST_CASE("payloads: exactly 10,000 customers of a sender fit in one request", "[payload]") {
    std::string text = big_tenant(9998);  // + "both" + "blocked_by_quota" (no deliveries here) = 10,000 for a
    rl::Dataset data = rl::load_dataset(text, "dataset.json");
    rl::Campaign campaign = th::load(th::campaign("big", "mass_send", "enterprise", t, {"a"}));
    rl::PreviewResult result = rl::run_preview(data, campaign, rl::preset_rules("wecom-2020"));
    th::ojson requests = rl::wecom_requests(data, campaign, result);
    REQUIRE(requests.size() == 1);
    CHECK(requests[0]["body"]["sender"] == "a");
    CHECK(requests[0]["body"]["external_userid"].size() == 10000);
}

TEST_CASE("payloads: a moment gives one add_moment_task with its visible range", "[payload]") {
    json d = th::tenant(t);
    d["employees"] = {th::employee("a"), th::employee("b")};
    d["customers"] = {th::customer("k1", {th::relation("a", 1, {"t1"})}), th::customer("k2", {th::relation("b", 1, {"t2"})})};
    json c = th::campaign("m", "moment", "enterprise", t, {"a", "b"});
    c["audience"] = {{"tag_list", {"t1", "t2"}}};
    c["content"] = {
        {"text", "周末活动"},
        {"attachments", {{{"msgtype", "image"}, {"image", {{"name", "a.png"}, {"bytes", 10}, {"width", 1}, {"height", 1}}}}}}};
    rl::Dataset data = th::dataset(d);
    rl::Campaign campaign = th::load(c);
    rl::PreviewResult result = rl::run_preview(data, campaign, rl::preset_rules("wecom-2020"));
    th::ojson requests = rl::wecom_requests(data, campaign, result);
    REQUIRE(requests.size() == 1);
    CHECK(requests[0]["api"] == "externalcontact/add_moment_task");
    const auto& body = requests[0]["body"];
    CHECK(body["text"]["content"] == "周末活动");
    CHECK(body["attachments"].size() == 1);
    CHECK(body["attachments"][0]["msgtype"] == "image");
    REQUIRE(body.contains("visible_range"));
    CHECK(body["visible_range"]["sender_list"]["user_list"] == th::ojson({"a", "b"}));
    CHECK(body["visible_range"]["external_contact_list"]["tag_list"] == th::ojson({"t1", "t2"}));
}
