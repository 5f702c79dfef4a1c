// The application model (src/model): a draft the server accepted stands among the dataset's
// scheduled campaigns (serve.py may rename it "<id>#<server id>"); the draft's previews (the
// live one and the send-time explorer's) leave that copy off, or it would play twice and take
// its own customers' quota.
#include <catch2/catch.hpp>

#include <string>

#include "../helpers.h"
#include "model/send_time_explorer.h"
#include "model/workspace.h"

using th::json;
using th::local_time;

namespace {

const th::Time kNow = local_time(2024, 3, 5, 8, 0, 0);
const th::Time kSend = local_time(2024, 3, 5, 12, 0, 0);

// One sender, customers c1..c3, a rule of one mass send a day per customer; a scheduled
// mass send two hours after the draft, to customers c1..c2.
json tenant_without_copy() {
    json d = th::tenant(kNow);
    d["employees"] = json::array({th::employee("a")});
    for (const char* c : {"c1", "c2", "c3"}) d["customers"].push_back(th::customer(c, {th::relation("a", 1)}));
    d["scheduled"].push_back(
        th::with_filter(th::scheduled("later", "mass_send", "enterprise", kSend + 2 * th::kHour), {{"customers", {"c1", "c2"}}}));
    return d;
}

json draft(const std::string& id = "双12-群发") {
    return th::with_filter(th::campaign(id, "mass_send", "enterprise", kSend), {{"customers", {"c1", "c2", "c3"}}});
}

// The tenant as the server hands it out once it accepted `draft`: the campaign among the
// scheduled ones under `scheduled_id`.
json tenant_with_copy(const std::string& scheduled_id) {
    json d = tenant_without_copy();
    json copy = draft();
    copy.erase("format");
    copy["id"] = scheduled_id;
    d["scheduled"].push_back(copy);
    return d;
}

const std::string kRules = th::rules_doc({th::quota("q", "mass_send", "any", 1, "day")}).dump();

void load(rl::model::Workspace& ws, const json& dataset, const json& campaign) {
    std::string error;
    REQUIRE(ws.set_rules_json(kRules, "rules.json", &error));
    REQUIRE(ws.load_dataset(dataset.dump(), "dataset.json", &error));
    REQUIRE(ws.set_campaign_json(campaign.dump(), "campaign.json", &error));
}

// The summary of the draft on a tenant that never had the copy (the CLI's preview without it).
nlohmann::ordered_json summary_without_copy() {
    rl::model::Workspace ws;
    load(ws, tenant_without_copy(), draft());
    return ws.summary_json();
}

bool impact_lists(const nlohmann::ordered_json& summary, const std::string& id) {
    for (const auto& e : summary["impact"])
        if (e["campaign_id"] == id) return true;
    return false;
}

}  // namespace

TEST_CASE("workspace: the preview of an accepted draft leaves its own scheduled copy off, renamed or not", "[workspace]") {
    const nlohmann::ordered_json want = summary_without_copy();
    REQUIRE(want["reached"] == 3);
    REQUIRE(impact_lists(want, "later"));

    SECTION("renamed by the server: left off once the server's list names it") {
        const std::string copy_id = "双12-群发#cmp_0123456789ab";
        rl::model::Workspace ws;
        load(ws, tenant_with_copy(copy_id), draft());
        // Before the list is known the copy is just another scheduled campaign: it goes out at
        // the same time, first, and takes every customer's one send of the day.
        CHECK(ws.draft_scheduled_index() == rl::PreviewSession::kSkipNone);
        nlohmann::ordered_json twice = ws.summary_json();
        CHECK(twice["reached"] == 0);
        CHECK(impact_lists(twice, copy_id));

        ws.set_accepted_campaigns({{"双12-群发", copy_id}});
        REQUIRE(ws.draft_scheduled_index() == 1);
        nlohmann::ordered_json got = ws.summary_json();
        CHECK_FALSE(impact_lists(got, copy_id));
        CHECK(got["reached"] == 3);
        CHECK(got == want);
    }
    SECTION("under its own id: that entry is the campaign, listed or not") {
        rl::model::Workspace ws;
        load(ws, tenant_with_copy("双12-群发"), draft());
        CHECK(ws.draft_scheduled_index() == 1);
        CHECK(ws.summary_json() == want);
        ws.set_accepted_campaigns({{"双12-群发", ""}});  // a server that does not say the scheduled id
        CHECK(ws.draft_scheduled_index() == 1);
        CHECK(ws.summary_json() == want);
    }
    SECTION("renamed because another scheduled campaign has its id: only the copy is left off") {
        const std::string copy_id = "双12-群发#cmp_0123456789ab";
        json d = tenant_with_copy(copy_id);
        json other = th::with_filter(th::scheduled("双12-群发", "mass_send", "enterprise", kSend + 4 * th::kHour),
                                     {{"customers", {"c3"}}});
        d["scheduled"].push_back(other);
        rl::model::Workspace ws;
        load(ws, d, draft());
        ws.set_accepted_campaigns({{"双12-群发", copy_id}});
        CHECK(ws.draft_scheduled_index() == 1);
        nlohmann::ordered_json got = ws.summary_json();
        CHECK(got["reached"] == 3);
        CHECK(impact_lists(got, "双12-群发"));  // the other campaign of that id plays, after the draft
        CHECK_FALSE(impact_lists(got, copy_id));
    }
}

TEST_CASE("workspace: only the draft's own copy is left off; it follows the draft, the list and the dataset", "[workspace]") {
    const std::string copy_id = "双12-群发#cmp_0123456789ab";
    rl::model::Workspace ws;
    load(ws, tenant_with_copy(copy_id), draft());
    ws.set_accepted_campaigns({{"双12-群发", copy_id}, {"别的活动", "别的活动"}});
    CHECK(ws.summary_json()["reached"] == 3);

    SECTION("another draft: the accepted campaign plays as scheduled and takes the day's send") {
        std::string error;
        REQUIRE(ws.set_campaign_json(draft("另一个草稿💄").dump(), "campaign.json", &error));
        CHECK(ws.draft_scheduled_index() == rl::PreviewSession::kSkipNone);
        nlohmann::ordered_json got = ws.summary_json();
        CHECK(got["reached"] == 0);
        CHECK(impact_lists(got, copy_id));
        // Back to the accepted draft: left off again.
        REQUIRE(ws.set_campaign_json(draft().dump(), "campaign.json", &error));
        CHECK(ws.draft_scheduled_index() == 1);
        CHECK(ws.summary_json()["reached"] == 3);
    }
    SECTION("the draft's id edited in the document: it is another campaign now") {
        (*ws.edit_draft())["id"] = "改名的草稿";
        ws.draft_edited(0);
        CHECK(ws.draft_error().empty());
        CHECK(ws.draft_scheduled_index() == rl::PreviewSession::kSkipNone);
        CHECK(ws.summary_json()["reached"] == 0);
    }
    SECTION("a list without the draft (e.g. another server): nothing says the renamed copy is the draft, it plays") {
        ws.set_accepted_campaigns({});
        CHECK(ws.draft_scheduled_index() == rl::PreviewSession::kSkipNone);
        CHECK(ws.summary_json()["reached"] == 0);
    }
    SECTION("a tenant without the copy: nothing is left off, and the preview is the same") {
        std::string error;
        REQUIRE(ws.load_dataset(tenant_without_copy().dump(), "dataset.json", &error));
        CHECK(ws.draft_scheduled_index() == rl::PreviewSession::kSkipNone);
        CHECK(ws.summary_json() == summary_without_copy());
    }
    SECTION("the copy at another place among the scheduled ones after a reload") {
        json d = tenant_with_copy(copy_id);
        std::swap(d["scheduled"][0], d["scheduled"][1]);
        std::string error;
        REQUIRE(ws.load_dataset(d.dump(), "dataset.json", &error));
        CHECK(ws.draft_scheduled_index() == 0);
        CHECK(ws.summary_json()["reached"] == 3);
    }
    SECTION("the rules change: the copy stays off") {
        std::string error;
        REQUIRE(ws.set_preset("wecom-2020", &error));
        CHECK(ws.draft_scheduled_index() == 1);
        REQUIRE(ws.set_rules_json(kRules, "rules.json", &error));
        CHECK(ws.summary_json() == summary_without_copy());
    }
}

TEST_CASE("workspace: the send-time explorer's bars leave the accepted draft's copy off too", "[workspace][explore]") {
    const std::string copy_id = "双12-群发#cmp_0123456789ab";
    rl::model::Workspace ws;
    load(ws, tenant_with_copy(copy_id), draft());
    rl::model::SendTimeExplorer explorer;
    explorer.options.days = 3;
    auto explore = [&] {
        ws.recompute();
        explorer.sync(ws);
        while (explorer.step(1000)) {}
        REQUIRE(explorer.result() != nullptr);
        REQUIRE(explorer.result()->bars.size() == 3);
        return *explorer.result();
    };
    // Played twice, the copy takes the chosen day (the first candidate, the draft's own day).
    rl::Exploration twice = explore();
    CHECK(twice.bars[0].chosen);
    CHECK(twice.bars[0].reached == 0);

    ws.set_accepted_campaigns({{"双12-群发", copy_id}});
    rl::Exploration once = explore();
    CHECK(once.bars[0].chosen);
    CHECK(once.bars[0].reached == ws.summary_json()["reached"].get<int64_t>());
    CHECK(once.bars[0].reached == 3);
    // Later days: the copy is not there to collide with; "later" is taken on none of them.
    for (const rl::ExploreBar& b : once.bars) CHECK(b.reached == 3);
}
