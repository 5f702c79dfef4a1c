// Bounded work and integer safety (issue 10, core/input_limits.h): every limit on what a
// client controls is accepted at the limit and refused one past it, with an InputError
// naming the limit and the place; sizes and times that would overflow are input errors.
// The sanitizer suite (build/sanitize, ASan+UBSan) runs these too: no overflow may be
// reported on the way.
#include "helpers.h"

#include "core/read/input_limits.h"

using th::json;
using th::local_time;
namespace lim = rl::limits;

namespace {

const th::Time t = local_time(2024, 3, 5, 10, 0, 0);

json tenant_with_people() {
    json d = th::tenant(t);
    d["employees"] = {th::employee("a"), th::employee("b")};
    d["customers"] = {th::customer("k1", {th::relation("a", t - 86400, {"t1"})}, {{"level", 3}}),
                      th::customer("k2", {th::relation("b", t - 2 * 86400, {"t2"})})};
    return d;
}

json mass_send(json filter) { return th::with_filter(th::campaign("d", "mass_send", "enterprise", t + 60), std::move(filter)); }

// A filter of exactly `nodes` nodes: `any` over nodes-1 leaves.
json wide_any(size_t nodes) {
    json children = json::array();
    for (size_t i = 0; i + 1 < nodes; ++i) children.push_back({{"tags_any", {"t1"}}});
    return {{"any", children}};
}

// `levels` levels: levels - 1 nested `not`s around a tags_any leaf.
json deep_not(size_t levels) {
    json e = {{"tags_any", {"t1"}}};
    for (size_t i = 1; i < levels; ++i) e = {{"not", e}};
    return e;
}

std::optional<rl::InputError> campaign_error(const json& doc) {
    return th::input_error([&] { rl::load_campaign(doc.dump(), "campaign.json"); });
}

void expect_refused_at(const json& doc, const std::string& pointer, const std::string& names_limit) {
    auto e = campaign_error(doc);
    REQUIRE(e);
    INFO("problem: " << e->problem());
    CHECK(e->file() == "campaign.json");
    CHECK(e->pointer() == pointer);
    CHECK(e->problem().find(names_limit) != std::string::npos);
}

}  // namespace

TEST_CASE("an audience filter of the node limit loads and previews; one node more is refused at the node") {
    json at = mass_send(wide_any(lim::kExpressionMaxNodes));
    rl::Campaign c = th::load(at);
    CHECK(c.expression_nodes == lim::kExpressionMaxNodes);
    th::Run run = th::run(tenant_with_people(), at);
    CHECK(run.reached() == std::set<std::string>{"k1"});

    json over = mass_send(wide_any(lim::kExpressionMaxNodes + 1));
    // Nodes are counted in document order: the root is 1, its children 2..: the one past
    // the limit is child index kExpressionMaxNodes - 1.
    expect_refused_at(over, "/audience/filter/any/" + std::to_string(lim::kExpressionMaxNodes - 1),
                      std::to_string(lim::kExpressionMaxNodes) + " nodes");
}

TEST_CASE("the 440,000-child any of issue 10 is refused while loading, naming the node limit") {
    std::string text = R"({"format":"reachlens.campaign/1","id":"big","kind":"mass_send","origin":"enterprise",)"
                       R"("audience":{"filter":{"any":[)";
    for (int i = 0; i < 440000; ++i) text += i ? R"(,{"gender":1})" : R"({"gender":1})";
    text += "]}}}";
    REQUIRE(text.size() < lim::kCampaignMaxBytes * 8);
    // Over the byte limit too: the document is refused before it is parsed.
    auto e = th::input_error([&] { rl::load_campaign(text, "campaign.json"); });
    REQUIRE(e);
    CHECK(e->problem().find(std::to_string(lim::kCampaignMaxBytes)) != std::string::npos);
    // Under the byte limit, the node limit stops it.
    std::string small = text.substr(0, 900000);
    small = small.substr(0, small.rfind(",{")) + "]}}}";
    REQUIRE(small.size() <= lim::kCampaignMaxBytes);
    expect_refused_at(json::parse(small), "/audience/filter/any/999", "1000 nodes");
}

TEST_CASE("filters nest to the depth limit; one level deeper is refused at that level") {
    th::Run run = th::run(tenant_with_people(), mass_send(deep_not(lim::kExpressionMaxDepth)));
    // levels - 1 nots around tags_any t1: an odd count (31) excludes k1.
    CHECK(run.reached() == (lim::kExpressionMaxDepth % 2 == 1 ? std::set<std::string>{"k1"} : std::set<std::string>{"k2"}));
    std::string pointer = "/audience/filter";
    for (size_t i = 0; i < lim::kExpressionMaxDepth; ++i) pointer += "/not";
    expect_refused_at(mass_send(deep_not(lim::kExpressionMaxDepth + 1)), pointer,
                      std::to_string(lim::kExpressionMaxDepth) + " levels");
}

TEST_CASE("a list of the item limit loads; one item more is refused at that item") {
    json ids = json::array();
    for (size_t i = 0; i < lim::kListMaxItems; ++i) ids.push_back("k" + std::to_string(i));
    json at = mass_send({{"customers", ids}});
    th::Run run = th::run(tenant_with_people(), at);
    CHECK(run.reached() == std::set<std::string>{"k1", "k2"});

    ids.push_back("one-more");
    expect_refused_at(mass_send({{"customers", ids}}), "/audience/filter/customers/" + std::to_string(lim::kListMaxItems),
                      std::to_string(lim::kListMaxItems) + " items");

    // All lists of a campaign together: two half-full lists and one item more.
    json half = json::array();
    for (size_t i = 0; i < lim::kCampaignMaxListItems / 2; ++i) half.push_back("t1");
    json two = mass_send({{"all", {{{"tags_any", half}}, {{"tags_any", half}}}}});
    CHECK_NOTHROW(th::load(two));
    two["senders"]["user_list"] = {"a"};
    expect_refused_at(two, "/senders/user_list/0", "in all");
}

TEST_CASE("strings up to the string limit load; one byte more is refused at the string") {
    json at = mass_send({{"tags_any", {"t1"}}});
    at["content"]["text"] = std::string(lim::kStringMaxBytes, 'x');
    rl::Campaign c = th::load(at);
    CHECK(c.content.text.size() == lim::kStringMaxBytes);
    // Over WeCom's own text limit: still loads, the content check reports it.
    th::Run run = th::run(tenant_with_people(), at);
    CHECK(run.has_error("content.text_too_long"));

    at["content"]["text"] = std::string(lim::kStringMaxBytes + 1, 'x');
    expect_refused_at(at, "/content/text", std::to_string(lim::kStringMaxBytes) + " bytes");
    json attr = mass_send({{"attr", std::string(lim::kStringMaxBytes + 1, 'a')}, {"op", "exists"}});
    expect_refused_at(attr, "/audience/filter/attr", "limit");
}

TEST_CASE("a campaign carries up to the attachment limit; one more is refused at it") {
    json link = {{"msgtype", "link"}, {"link", {{"title", "t"}, {"url", "https://example.com"}}}};
    json at = mass_send({{"tags_any", {"t1"}}});
    at["content"]["attachments"] = json::array();
    for (size_t i = 0; i < lim::kAttachmentsMax; ++i) at["content"]["attachments"].push_back(link);
    th::Run run = th::run(tenant_with_people(), at);
    CHECK(run.has_error("content.too_many_attachments"));  // WeCom's 9, a content issue
    at["content"]["attachments"].push_back(link);
    expect_refused_at(at, "/content/attachments/" + std::to_string(lim::kAttachmentsMax),
                      std::to_string(lim::kAttachmentsMax) + " attachments");
}

TEST_CASE("negative sizes and dimensions are input errors at the field") {
    auto image = [](json body) {
        json c = mass_send({{"tags_any", {"t1"}}});
        c["content"]["attachments"] = {{{"msgtype", "image"}, {"image", std::move(body)}}};
        return c;
    };
    expect_refused_at(image({{"name", "a.png"}, {"bytes", -1}, {"width", 10}, {"height", 10}}),
                      "/content/attachments/0/image/bytes", "negative");
    expect_refused_at(image({{"name", "a.png"}, {"bytes", 10}, {"width", -10}, {"height", 10}}),
                      "/content/attachments/0/image/width", "negative");
    expect_refused_at(image({{"name", "a.png"}, {"bytes", 10}, {"width", 10}, {"height", -4294967296}}),
                      "/content/attachments/0/image/height", "negative");
    json video = mass_send({{"tags_any", {"t1"}}});
    video["content"]["attachments"] = {{{"msgtype", "video"}, {"video", {{"name", "v.mp4"}, {"bytes", 10}, {"seconds", -0.5}}}}};
    expect_refused_at(video, "/content/attachments/0/video/seconds", "negative");
}

TEST_CASE("an image of 4294967296 x 4294967296 pixels is over the pixel limit, not wrapped to zero") {
    json c = th::campaign("m", "moment", "enterprise", t + 60);
    c["content"]["attachments"] = {
        {{"msgtype", "image"},
         {"image", {{"name", "a.png"}, {"bytes", 1000}, {"width", 4294967296LL}, {"height", 4294967296LL}}}}};
    th::Run run = th::run(tenant_with_people(), c);
    CHECK(run.has_error("content.image_too_many_pixels"));
    CHECK_FALSE(run.summary["submittable"].get<bool>());
    // The largest dimensions JSON integers allow: still over, never wrapped.
    c["content"]["attachments"][0]["image"]["width"] = INT64_MAX;
    c["content"]["attachments"][0]["image"]["height"] = INT64_MAX;
    CHECK(th::run(tenant_with_people(), c).has_error("content.image_too_many_pixels"));
}

TEST_CASE("times outside year 1 to 9999 are refused where they are; times at the edges preview") {
    json d = tenant_with_people();
    d["now"] = INT64_MAX;
    auto e = th::input_error([&] { th::dataset(d); });
    REQUIRE(e);
    CHECK(e->pointer() == "/now");
    CHECK(e->problem().find("9999") != std::string::npos);

    d = tenant_with_people();
    d["deliveries"] = json::array({th::delivery("k1", "a", INT64_MIN)});
    e = th::input_error([&] { th::dataset(d); });
    REQUIRE(e);
    CHECK(e->pointer() == "/deliveries/0/time");

    d = tenant_with_people();
    d["customers"][0]["follow_user"][0]["createtime"] = lim::kMaxTime + 1;
    e = th::input_error([&] { th::dataset(d); });
    REQUIRE(e);
    CHECK(e->pointer() == "/customers/0/follow_user/0/createtime");

    expect_refused_at(th::campaign("d", "mass_send", "enterprise", INT64_MAX), "/send_time", "9999");

    // At the edges, with windows that reach past them: the sanitizer suite checks that no
    // arithmetic overflows on the way (rolling windows, not-interested spans, month grids).
    for (th::Time now : {lim::kMinTime + 86400 * 400, lim::kMaxTime - 86400 * 400}) {
        json edge = th::tenant(now, 1440);
        edge["employees"] = json::array({th::employee("a")});
        edge["customers"] = json::array({th::customer("k1", {th::relation("a", lim::kMinTime, {"t1"}, false, lim::kMaxTime)})});
        edge["deliveries"] = {th::delivery("k1", "a", lim::kMaxTime), th::delivery("k1", "a", lim::kMinTime)};
        edge["not_interested"] = json::array({th::not_interested("k1", "a", lim::kMaxTime)});
        json filter = {{"any", json::array({{{"added_within_days", INT64_MAX}},
                                            {{"received", {{"kind", "any"}, {"within_days", INT64_MAX}, {"min", 1}}}},
                                            {{"attr", "x"}, {"op", "within_days"}, {"value", 1e300}}})}};
        json rules =
            th::rules_doc({th::quota("q", "mass_send", "enterprise", "days_in_month", "rolling_days", "customer", INT64_MAX),
                           th::quota("w", "mass_send", "enterprise", 1, "month")},
                          "first_added", "each", INT64_MAX);
        th::Run run = th::run(edge, th::with_filter(th::campaign("d", "mass_send", "enterprise", lim::kMaxTime), filter), rules);
        th::check_summary_invariants(run.summary);
    }
}

TEST_CASE(
    "scheduled campaigns past the timeline work limit are refused; a draft that would pass it is refused before simulating") {
    // A maximal campaign: 1 + 1000 nodes + 999 list items (one tag per leaf).
    const size_t per = 1 + lim::kExpressionMaxNodes + (lim::kExpressionMaxNodes - 1);
    const size_t fit = lim::kTimelineMaxWork / per;
    REQUIRE(fit >= 2);
    auto maximal = [&](const std::string& id) {
        json s = th::scheduled(id, "mass_send", "enterprise", t + 3600);
        s["audience"] = {{"filter", wide_any(lim::kExpressionMaxNodes)}};
        return s;
    };
    json d = tenant_with_people();
    d["scheduled"] = json::array();
    for (size_t i = 0; i < fit; ++i) d["scheduled"].push_back(maximal("s" + std::to_string(i)));
    rl::Dataset full = th::dataset(d);  // exactly at the limit when per divides it
    size_t used = 0;
    for (const auto& s : full.scheduled) used += rl::campaign_work(s);
    CHECK(used == fit * per);

    // One maximal campaign fewer, plus an everyone campaign (work 1): a maximal draft would
    // pass the limit by one and is refused; a draft one item lighter fits exactly.
    d["scheduled"].erase(d["scheduled"].size() - 1);
    d["scheduled"].push_back(th::scheduled("everyone", "mass_send", "enterprise", t + 3600));
    rl::Dataset almost = th::dataset(d);
    used = 0;
    for (const auto& s : almost.scheduled) used += rl::campaign_work(s);
    const size_t left = lim::kTimelineMaxWork - used;
    json draft_doc = mass_send(wide_any(lim::kExpressionMaxNodes));
    rl::Campaign big = th::load(draft_doc);
    REQUIRE(rl::campaign_work(big) == left + 1);
    auto e = th::input_error([&] { rl::check_timeline_work(almost, big, "campaign.json"); });
    REQUIRE(e);
    CHECK(e->file() == "campaign.json");
    CHECK(e->pointer() == "/audience/filter");
    CHECK(e->problem().find(std::to_string(lim::kTimelineMaxWork)) != std::string::npos);
    draft_doc["audience"]["filter"]["any"][0]["tags_any"] = json::array();  // one list item fewer
    rl::Campaign fits = th::load(draft_doc);
    REQUIRE(rl::campaign_work(fits) == left);
    CHECK_NOTHROW(rl::check_timeline_work(almost, fits, "campaign.json"));

    // One more maximal scheduled campaign than fits: the dataset itself is refused at it.
    d["scheduled"].push_back(maximal("over"));
    e = th::input_error([&] { th::dataset(d); });
    REQUIRE(e);
    CHECK(e->pointer() == "/scheduled/" + std::to_string(fit));
}

TEST_CASE("an error line is one line: control characters escaped, cut at a character boundary") {
    CHECK(rl::one_line("bad \"a\nb\tc\x01\x7f\"") == "bad \"a\\nb\\tc\\u0001\\u007F\"");
    CHECK(rl::one_line("短") == "短");
    std::string long_text;
    for (int i = 0; i < 5000; ++i) long_text += "字";
    std::string line = rl::one_line(long_text);
    CHECK(line.size() <= lim::kErrorLineMaxBytes + 3);
    CHECK(line.find('\n') == std::string::npos);
    REQUIRE(line.size() >= 3);
    CHECK(line.substr(line.size() - 3) == "…");
    // Valid UTF-8: whole characters before the ellipsis.
    CHECK((line.size() - 3) % 3 == 0);
}
